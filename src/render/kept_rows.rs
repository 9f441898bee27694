//! The catalog entries of records as the last build wrote them, for the next build to take
//! instead of making them again: at 100,000 records, making 85,000 documents' JSON entries
//! and CSV lines was a third of the downloads of a build that changed one document, and
//! making 13,000 power and service items' most of the rest.
//!
//! A build that succeeded leaves beside the site (`.gongkai-<site>-rows`), for each of these
//! kinds ([`KEPT_KINDS`]), the key of each record's entry (the hash of what it is made of,
//! `catalogs::Data::key`) and where the entry and the line are in the site's
//! `<kind>/catalog.json` and `<kind>/catalog.csv`, with the length and fingerprint of both
//! files. The next build reads the files back from the site and takes a record's entry and
//! line from them while its key is the same. A kind whose files are not as recorded
//! (edited, cut short, written by another build) is not used, nor is a record written by
//! another binary or cut short. Deleting it costs one build making every entry.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::fingerprint::Fingerprint;
use crate::model::{urls, Kind};
use crate::table::HashMap;
use crate::write::manifest::this_binary;

const HEADER: &str = "gongkai-rows 2";

/// The kinds whose entries are kept.
pub const KEPT_KINDS: [Kind; 3] = [Kind::Power, Kind::Service, Kind::Document];

/// The record beside the site `site`.
pub fn file_beside(site: &Path) -> PathBuf {
    crate::write::tree::sibling(site, "rows")
}

/// A kind's two catalogs, relative to the site.
fn catalogs(kind: Kind) -> [String; 2] {
    ["json", "csv"].map(|ext| urls::file_for(&urls::catalog(kind, None, ext)))
}

/// The fingerprint of a file's bytes, as `render::Output` records it.
pub fn file_fingerprint(parts: &[&[u8]]) -> u64 {
    crate::fingerprint::of_parts("file", parts)
}

/// Where one record's entry and line are in its kind's two catalogs.
#[derive(Clone)]
struct Spans {
    json: Range<usize>,
    csv: Range<usize>,
}

/// One kind's entries and lines the last build wrote, by key.
struct Catalog {
    kind: Kind,
    json: Vec<u8>,
    csv: Vec<u8>,
    by_key: HashMap<u64, Spans>,
}

/// The entries and lines the last build wrote, of each kind whose catalogs are as it left
/// them.
pub struct Kept {
    catalogs: Vec<Catalog>,
}

impl Kept {
    /// What the last build left beside `site` and in it, of the kinds whose catalogs are as
    /// it left them; `None` if the record is not this binary's or not whole.
    pub fn read(site: &Path) -> Option<Kept> {
        let record = fs::read(file_beside(site)).ok()?;
        let (header, rest) = split_line(&record)?;
        let (binary, mut rest) = split_line(rest)?;
        if header != HEADER || binary != this_binary() {
            return None;
        }
        let mut sections = Vec::new();
        while !rest.is_empty() {
            let (numbers, after) = split_line(rest)?;
            let mut words = numbers.split(' ');
            let kind = Kind::from_name(words.next()?)?;
            let numbers: Vec<u64> = words.map(|w| w.parse().ok()).collect::<Option<_>>()?;
            let [json_len, json_fp, csv_len, csv_fp, count, sum] = numbers[..] else {
                return None;
            };
            let len = usize::try_from(count).ok()?.checked_mul(40)?;
            let body = after.get(..len)?;
            if Fingerprint::new("rows").add_bytes(body).finish() != sum {
                return None;
            }
            sections.push((kind, [json_len, json_fp, csv_len, csv_fp], body));
            rest = &after[len..];
        }
        // Each kind's catalogs are read and checked on a thread of their own.
        let catalogs = std::thread::scope(|s| {
            let reading: Vec<_> = sections
                .into_iter()
                .map(|(kind, sizes, body)| s.spawn(move || Catalog::read(site, kind, sizes, body)))
                .collect();
            reading
                .into_iter()
                .filter_map(|r| r.join().ok().flatten())
                .collect()
        });
        Some(Kept { catalogs })
    }

    /// The CSV line and JSON entry of the record of `kind` whose key is `key`, as last
    /// written.
    pub fn get(&self, kind: Kind, key: u64) -> Option<(&[u8], &[u8])> {
        let c = self.catalogs.iter().find(|c| c.kind == kind)?;
        let spans = c.by_key.get(&key)?;
        Some((&c.csv[spans.csv.clone()], &c.json[spans.json.clone()]))
    }
}

impl Catalog {
    /// `kind`'s catalogs in `site`, if they are as the record says (`sizes`: the JSON
    /// catalog's length and fingerprint, then the CSV catalog's), with the spans `body`
    /// gives each key.
    fn read(site: &Path, kind: Kind, sizes: [u64; 4], body: &[u8]) -> Option<Catalog> {
        let [json_len, json_fp, csv_len, csv_fp] = sizes;
        let [json_file, csv_file] = catalogs(kind);
        let json = fs::read(site.join(json_file)).ok()?;
        let csv = fs::read(site.join(csv_file)).ok()?;
        let as_left = |bytes: &[u8], len: u64, fp: u64| {
            bytes.len() as u64 == len && file_fingerprint(&[bytes]) == fp
        };
        if !as_left(&json, json_len, json_fp) || !as_left(&csv, csv_len, csv_fp) {
            return None;
        }
        let mut by_key = crate::table::map_with_capacity(body.len() / 40);
        for chunk in body.chunks_exact(40) {
            let n = |i: usize| {
                let bytes: [u8; 8] = chunk[i * 8..i * 8 + 8].try_into().unwrap_or_default();
                u64::from_le_bytes(bytes) as usize
            };
            // A span must lie within its file, however the numbers were written.
            let within = |at: usize, len: usize, file: &[u8]| {
                at.checked_add(len)
                    .filter(|&end| end <= file.len())
                    .map(|end| at..end)
            };
            let spans = Spans {
                json: within(n(1), n(2), &json)?,
                csv: within(n(3), n(4), &csv)?,
            };
            by_key.insert(n(0) as u64, spans);
        }
        Some(Catalog {
            kind,
            json,
            csv,
            by_key,
        })
    }
}

/// The first line of `bytes` and what follows it.
fn split_line(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let end = bytes.iter().position(|&b| b == b'\n')?;
    Some((std::str::from_utf8(&bytes[..end]).ok()?, &bytes[end + 1..]))
}

/// What a build wrote of one kind's catalogs, for the next one.
#[derive(Debug, Clone)]
pub struct Made {
    pub kind: Kind,
    /// Each record's key, in the catalogs' order.
    pub keys: Vec<u64>,
    /// The JSON catalog's length and fingerprint, and the CSV catalog's.
    pub json: (u64, u64),
    pub csv: (u64, u64),
    /// Where each entry starts in the JSON catalog and how long it is, and the same of its
    /// line in the CSV catalog.
    pub spans: Vec<(u64, u64, u64, u64)>,
}

impl Made {
    /// From the parts of `kind`'s two catalogs as written, each with the fingerprint of its
    /// bytes: the JSON catalog's are `[`, then for each entry a separator and the entry, then
    /// the end; the CSV catalog's the header, then a line per record.
    pub fn new(kind: Kind, keys: Vec<u64>, json: (&[&[u8]], u64), csv: (&[&[u8]], u64)) -> Made {
        let ((json_parts, json_fp), (csv_parts, csv_fp)) = (json, csv);
        let n = keys.len();
        debug_assert!(json_parts.len() == 2 * n + 2 && csv_parts.len() == n + 1);
        let mut spans = Vec::with_capacity(n);
        let mut json_at = json_parts[0].len() as u64;
        let mut csv_at = csv_parts[0].len() as u64;
        for i in 0..n {
            json_at += json_parts[1 + 2 * i].len() as u64;
            let entry = json_parts[2 + 2 * i].len() as u64;
            let line = csv_parts[1 + i].len() as u64;
            spans.push((json_at, entry, csv_at, line));
            json_at += entry;
            csv_at += line;
        }
        let json_len = json_at + json_parts[2 * n + 1].len() as u64;
        Made {
            kind,
            keys,
            json: (json_len, json_fp),
            csv: (csv_at, csv_fp),
            spans,
        }
    }
}

/// Writes the record of `made` beside `site`, whole or not at all.
pub fn save(site: &Path, made: &[Made]) {
    let mut text = format!("{HEADER}\n{}\n", this_binary()).into_bytes();
    for m in made {
        let mut body = Vec::with_capacity(m.keys.len() * 40);
        for (key, (a, b, c, d)) in m.keys.iter().zip(&m.spans) {
            for n in [*key, *a, *b, *c, *d] {
                body.extend_from_slice(&n.to_le_bytes());
            }
        }
        let sum = Fingerprint::new("rows").add_bytes(&body).finish();
        let numbers = format!(
            "{} {} {} {} {} {} {sum}\n",
            m.kind.name(),
            m.json.0,
            m.json.1,
            m.csv.0,
            m.csv.1,
            m.keys.len()
        );
        text.extend_from_slice(numbers.as_bytes());
        text.extend_from_slice(&body);
    }
    let _ = crate::write::write_whole_beside(&file_beside(site), &[&text]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `kind`'s catalogs in `site` holding `entries` (key, CSV line, JSON entry), and what
    /// a build would record of them.
    fn catalogs_with(site: &Path, kind: Kind, entries: &[(u64, &str, &str)]) -> Made {
        let mut json: Vec<&[u8]> = vec![b"["];
        let mut csv: Vec<&[u8]> = vec![b"header\n"];
        for (n, (_, line, entry)) in entries.iter().enumerate() {
            json.push(if n == 0 { b"\n" } else { b",\n" });
            json.push(entry.as_bytes());
            csv.push(line.as_bytes());
        }
        json.push(b"\n]\n");
        let [json_file, csv_file] = catalogs(kind);
        fs::create_dir_all(site.join(&json_file).parent().unwrap()).unwrap();
        fs::write(site.join(&json_file), json.concat()).unwrap();
        fs::write(site.join(&csv_file), csv.concat()).unwrap();
        let keys = entries.iter().map(|e| e.0).collect();
        Made::new(
            kind,
            keys,
            (&json, file_fingerprint(&json)),
            (&csv, file_fingerprint(&csv)),
        )
    }

    /// A site whose document catalogs hold [`ENTRIES`] and whose power catalogs hold
    /// [`POWER`], with the record a build leaves of them.
    fn site_with() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("public");
        let made = [
            catalogs_with(&site, Kind::Document, &ENTRIES),
            catalogs_with(&site, Kind::Power, &POWER),
        ];
        save(&site, &made);
        dir
    }

    const ENTRIES: [(u64, &str, &str); 3] = [
        (7, "a,甲\n", "{\"title\": \"甲\"}"),
        (9, "b,乙\n", "{\"title\": \"乙\"}"),
        (3, "c,丙\n", "{\"title\": \"丙\"}"),
    ];

    // The same keys as two documents': each kind is looked up on its own.
    const POWER: [(u64, &str, &str); 2] = [
        (9, "p1,行政许可\n", "{\"name\": \"许可\"}"),
        (10, "p2,行政处罚\n", "{\"name\": \"处罚\"}"),
    ];

    #[test]
    fn each_entry_is_found_by_its_kind_and_key_as_it_was_written() {
        let dir = site_with();
        let kept = Kept::read(&dir.path().join("public")).expect("the record reads back");
        for (kind, entries) in [(Kind::Document, &ENTRIES[..]), (Kind::Power, &POWER[..])] {
            for (key, line, entry) in entries {
                let (l, e) = kept.get(kind, *key).unwrap();
                assert_eq!(
                    (l, e),
                    (line.as_bytes(), entry.as_bytes()),
                    "{kind:?} {key}"
                );
            }
        }
        assert!(kept.get(Kind::Document, 8).is_none());
        assert!(kept.get(Kind::Power, 7).is_none());
        assert!(kept.get(Kind::Service, 9).is_none());
    }

    #[test]
    fn a_catalog_or_record_not_as_the_build_left_it_is_not_used() {
        let [json_file, csv_file] = catalogs(Kind::Document);
        // A catalog edited in place, its length the same: that kind is not used, the other
        // is.
        let dir = site_with();
        let site = dir.path().join("public");
        let text = fs::read_to_string(site.join(&json_file)).unwrap();
        fs::write(site.join(&json_file), text.replace('乙', "丁")).unwrap();
        let kept = Kept::read(&site).unwrap();
        assert!(kept.get(Kind::Document, 7).is_none());
        assert!(kept.get(Kind::Power, 9).is_some());
        // A catalog cut short.
        let dir = site_with();
        let site = dir.path().join("public");
        let text = fs::read(site.join(&csv_file)).unwrap();
        fs::write(site.join(&csv_file), &text[..text.len() - 1]).unwrap();
        assert!(Kept::read(&site).unwrap().get(Kind::Document, 7).is_none());
        // The record cut short, or written by another binary.
        let dir = site_with();
        let site = dir.path().join("public");
        let record = fs::read(file_beside(&site)).unwrap();
        fs::write(file_beside(&site), &record[..record.len() - 8]).unwrap();
        assert!(Kept::read(&site).is_none());
        let (header, rest) = split_line(&record).unwrap();
        let (binary, rest) = split_line(rest).unwrap();
        assert_eq!(binary, this_binary());
        let other = [format!("{header}\n0.0.0 1 2\n").as_bytes(), rest].concat();
        fs::write(file_beside(&site), other).unwrap();
        assert!(Kept::read(&site).is_none());
        // As left, it reads.
        fs::write(file_beside(&site), &record).unwrap();
        assert!(Kept::read(&site).unwrap().get(Kind::Document, 7).is_some());
        // A record whose spans run past a catalog, or wrap around, however its sum was made.
        for span in [(1, 1_000_000, 0, 1), (u64::MAX, 2, 0, 1)] {
            let [json, csv] = catalogs(Kind::Document).map(|f| fs::read(site.join(f)).unwrap());
            let made = Made {
                kind: Kind::Document,
                keys: vec![7],
                json: (json.len() as u64, file_fingerprint(&[&json])),
                csv: (csv.len() as u64, file_fingerprint(&[&csv])),
                spans: vec![span],
            };
            save(&site, &[made]);
            let kept = Kept::read(&site);
            assert!(
                kept.is_some_and(|k| k.get(Kind::Document, 7).is_none()),
                "{span:?} was read"
            );
        }
    }
}
