//! The parse cache kept on disk between runs (`.gongkai-<site>-parsed` beside the site's
//! output folder, `build::parse_cache_file`): what `gongkai build` parsed, so that the next
//! run reads and parses only the files that changed. At 100,000 records parsing is most of
//! what loading costs, and a build after one edit needs one file parsed.
//!
//! A file is taken from it while its stamp is the one recorded (size, times, inode), or,
//! once the stamp moved (a fresh clone in CI, a checkout, a touch), while its bytes hash the
//! same. Only records that parsed without a single diagnostic are kept, and only of the
//! kinds whose data reads back from JSON as it was written: reports (whose section 2 is kept
//! as YAML, and whose table may come from the request register) and calendars are parsed
//! every time; there are few of them.
//!
//! The file is a log, one JSON line per file after a head line: a build appends the lines
//! of the files it parsed (one line after one edit, where writing the whole file again
//! would take a second at 100,000 records), a later line replacing an earlier one, and
//! writes it anew once it holds twice the lines it needs. Each line carries its checksum,
//! so a line cut short by a build killed midway is not read; the head names the binary,
//! whose cache alone is trusted, and the `max_file_bytes` it was read with. Deleting it
//! costs one full parse. A line that does not read back is parsed again.

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Lent, Parse, ParseCache, Parsed, Stamp};
use crate::fingerprint::Fingerprint;
use crate::model::{
    Agency, Decision, Document, Meta, Page, Portal, PowerItem, Record, ServiceItem,
};
use crate::table::HashMap;
use crate::write::manifest::this_binary;

/// The first line: whose cache it is.
#[derive(Serialize, Deserialize)]
struct Head {
    binary: String,
    max: u64,
}

/// One file: where it is, its stamp and content hash, its record's meta and its data.
/// Generic over borrowing (written) or owning (read) its strings and record.
#[derive(Serialize, Deserialize)]
struct Line<P, S, R> {
    path: P,
    stamp: Stamp,
    content: u64,
    slug: S,
    year: Option<i32>,
    folder_agency: Option<S>,
    body_start: Option<usize>,
    source_hash: u64,
    record: R,
}

/// A record as it is written.
#[derive(Serialize, Clone, Copy)]
enum Written<'a> {
    Home(&'a Page),
    Page(&'a Page),
    Agency(&'a Agency),
    Power(&'a PowerItem),
    Service(&'a ServiceItem),
    Decision(&'a Decision),
    Document(&'a Document),
}

/// A record as it is read back.
#[derive(Deserialize)]
enum Read {
    Home(Page),
    Page(Page),
    Agency(Agency),
    Power(PowerItem),
    Service(ServiceItem),
    Decision(Decision),
    Document(Document),
}

fn written(parsed: &Parsed) -> Option<(&Meta, Written<'_>)> {
    Some(match parsed {
        Parsed::Home(r) => (&r.meta, Written::Home(&r.data)),
        Parsed::Page(r) => (&r.meta, Written::Page(&r.data)),
        Parsed::Agency(r) => (&r.meta, Written::Agency(&r.data)),
        Parsed::Power(r) => (&r.meta, Written::Power(&r.data)),
        Parsed::Service(r) => (&r.meta, Written::Service(&r.data)),
        Parsed::Decision(r) => (&r.meta, Written::Decision(&r.data)),
        Parsed::Document(r) => (&r.meta, Written::Document(&r.data)),
        Parsed::Report(_) | Parsed::Calendar(_) => return None,
    })
}

fn read(line: Line<PathBuf, String, Read>) -> (OsString, Parse) {
    let meta = Meta {
        slug: line.slug,
        path: line.path.clone(),
        year: line.year,
        folder_agency: line.folder_agency,
        body_start: line.body_start,
        damaged: Vec::new(),
        source_hash: line.source_hash,
    };
    let parsed = match line.record {
        Read::Home(data) => Parsed::Home(Record { meta, data }),
        Read::Page(data) => Parsed::Page(Record { meta, data }),
        Read::Agency(data) => Parsed::Agency(Record { meta, data }),
        Read::Power(data) => Parsed::Power(Record { meta, data }),
        Read::Service(data) => Parsed::Service(Record { meta, data }),
        Read::Decision(data) => Parsed::Decision(Record { meta, data }),
        Read::Document(data) => Parsed::Document(Record { meta, data }),
    };
    let parse = Parse {
        stamp: line.stamp,
        content: Some(line.content),
        stored: true,
        parsed: Lent::In(parsed),
        diags: Vec::new(),
    };
    (line.path.into_os_string(), parse)
}

impl ParseCache {
    /// The cache kept in `file`; empty if there is none this binary can trust.
    pub fn stored(file: &Path) -> ParseCache {
        fs::read(file)
            .ok()
            .and_then(ParseCache::from_bytes)
            .unwrap_or_default()
    }

    /// [`ParseCache::stored`], read on a thread of its own: a load that is given this
    /// cache walks content/ meanwhile, and waits for it only then (at 100,000 records the
    /// file is 100 MB, read in half a second).
    pub fn stored_ahead(file: &Path) -> ParseCache {
        let file = file.to_path_buf();
        ParseCache {
            reading: Some(std::thread::spawn(move || ParseCache::stored(&file))),
            ..ParseCache::default()
        }
    }

    /// Keeps in `file` what the cache holds that the next run can take: records that parsed
    /// without a diagnostic, with their stamp and content hash. The lines of records parsed
    /// since the file was read are appended to it, unless it would then hold more than twice
    /// the lines it needs: then it is written anew. Not being able to is no error: the next
    /// run parses every file.
    pub fn store(&mut self, file: &Path) {
        self.settle();
        let keep: Vec<(&Parse, _)> = self
            .files
            .values()
            .filter_map(|parse| Some((parse, storable(parse)?)))
            .collect();
        if keep.is_empty() && self.stored_lines == 0 {
            // Nothing parsed (no content, or every file has a diagnostic): no file either.
            return;
        }
        let fresh = keep.iter().filter(|(parse, _)| !parse.stored).count();
        let bound = 2 * keep.len() + 64;
        if self.stored_lines > 0 && self.stored_lines + fresh <= bound {
            if fresh > 0 {
                let lines = lines(
                    keep.into_iter()
                        .filter(|(parse, _)| !parse.stored)
                        .map(|(_, line)| line),
                );
                append(file, &lines);
            }
            return;
        }
        let head = Head {
            binary: this_binary(),
            max: self.max,
        };
        let Ok(head) = serde_json::to_string(&head) else {
            return;
        };
        let head = format!("{HEADER} {}", framed(&head));
        let lines = lines(keep.into_iter().map(|(_, line)| line));
        let _ = crate::write::write_whole_beside(file, &[head.as_bytes(), lines.as_bytes()]);
    }

    /// [`ParseCache::store`] by a process that exits next (`gongkai build`), with the
    /// records still lent to `portal`: while the file is only appended to, the lines of the
    /// records this run parsed are made from the portal's, and no record is taken back (at
    /// 100,000 records, moving them back and freeing what was not wanted took a tenth of a
    /// second on the build's last stretch). Whether it stored them: `false` when the file is
    /// to be written anew, which takes every record back first ([`ParseCache::restore`]).
    pub fn store_lent(&mut self, portal: &Portal, file: &Path) -> bool {
        self.settle();
        // The files parsed this run whose records the portal holds: at most this many lines
        // to append, for at least `kept` kept, and appending is then sure to be what `store`
        // does. Found in one pass, so that the portal's 100,000 records are then looked up
        // among these few rather than in the whole table.
        let mut fresh: HashMap<&std::ffi::OsStr, &Parse> = HashMap::default();
        let mut kept = 0;
        for (path, parse) in &self.files {
            match (parse.stored, &parse.parsed) {
                (false, Lent::Out) => {
                    fresh.insert(path.as_os_str(), parse);
                }
                (true, Lent::In(_) | Lent::Out) => kept += 1,
                _ => {}
            }
        }
        if self.stored_lines == 0 || self.stored_lines + fresh.len() > 2 * kept + 64 {
            return false;
        }
        if fresh.is_empty() {
            // Nothing parsed: no record of the portal's to look up.
            return true;
        }
        let wanted: Vec<(&Meta, Written<'_>, &Parse)> = lent(portal)
            .filter_map(|(meta, record)| {
                let parse = *fresh.get(meta.path.as_os_str())?;
                let kept = parse.diags.is_empty() && parse.content.is_some();
                kept.then_some((meta, record, parse))
            })
            .collect();
        let lines =
            lines(wanted.into_iter().filter_map(|(meta, record, parse)| {
                Some((meta, record, parse.stamp, parse.content?))
            }));
        if !lines.is_empty() {
            append(file, &lines);
        }
        true
    }

    fn from_bytes(bytes: Vec<u8>) -> Option<ParseCache> {
        let mut lines = bytes.split(|&b| b == b'\n');
        let head = std::str::from_utf8(lines.next()?).ok()?;
        let head = unframed(head.strip_prefix(HEADER)?.strip_prefix(' ')?.as_bytes())?;
        let head: Head = serde_json::from_slice(head).ok()?;
        if head.binary != this_binary() {
            return None;
        }
        let lines: Vec<&[u8]> = lines.filter(|l| !l.is_empty()).collect();
        let stored_lines = lines.len();
        let read: Vec<Option<(OsString, Parse)>> = lines
            .par_iter()
            .map(|line| {
                // Read as bytes: the JSON reader checks the text of each string it reads,
                // and checking all 100 MB first as well took a thread most of a tenth of a
                // second.
                let json = unframed(line)?;
                let line = serde_json::from_slice::<Line<PathBuf, String, Read>>(json).ok()?;
                Some(read(line))
            })
            .collect();
        // The records own their text: the file's 100 MB (at 100,000 records) can go before
        // the table is made.
        drop(lines);
        drop(bytes);
        // A later line of a file replaces an earlier one. Sized first: grown as it fills,
        // the table moved its 100,000 records (each as large as a parsed document) again at
        // every doubling, on the thread the load waits for.
        let mut files: HashMap<OsString, Parse> = crate::table::map_with_capacity(read.len());
        files.extend(read.into_iter().flatten());
        Some(ParseCache {
            files,
            max: head.max,
            parsed: 0,
            stored_lines,
            ..ParseCache::default()
        })
    }
}

/// The first line's start: the file's format.
const HEADER: &str = "gongkai-parsed 1";

/// A line as the file holds it: its checksum, then its JSON. A line cut short (a write
/// interrupted) or damaged fails its checksum and is not read.
fn framed(json: &str) -> String {
    format!("{:016x} {json}", checksum(json.as_bytes()))
}

fn unframed(line: &[u8]) -> Option<&[u8]> {
    let space = line.iter().position(|&b| b == b' ')?;
    let (sum, json) = (
        std::str::from_utf8(&line[..space]).ok()?,
        &line[space + 1..],
    );
    (u64::from_str_radix(sum, 16).ok()? == checksum(json)).then_some(json)
}

fn checksum(json: &[u8]) -> u64 {
    Fingerprint::new("parsed").add_bytes(json).finish()
}

/// What of an entry goes into the file: its record's meta and data, its stamp and its
/// content hash. `None` for what is not kept: no record, a diagnostic, or a kind parsed
/// every time.
fn storable(parse: &Parse) -> Option<(&Meta, Written<'_>, Stamp, u64)> {
    let (Lent::In(parsed), Some(content), true) =
        (&parse.parsed, parse.content, parse.diags.is_empty())
    else {
        return None;
    };
    let (meta, record) = written(parsed)?;
    Some((meta, record, parse.stamp, content))
}

/// The records of `portal` of the kinds the file keeps, as they are written.
fn lent(portal: &Portal) -> impl Iterator<Item = (&Meta, Written<'_>)> {
    let p = portal;
    let home = p.home.iter().map(|r| (&r.meta, Written::Home(&r.data)));
    let pages = p.pages.iter().map(|r| (&r.meta, Written::Page(&r.data)));
    let agencies = p
        .agencies
        .iter()
        .map(|r| (&r.meta, Written::Agency(&r.data)));
    let power = p.power.iter().map(|r| (&r.meta, Written::Power(&r.data)));
    let services = p
        .services
        .iter()
        .map(|r| (&r.meta, Written::Service(&r.data)));
    let decisions = p
        .decisions
        .iter()
        .map(|r| (&r.meta, Written::Decision(&r.data)));
    let documents = p
        .documents
        .iter()
        .map(|r| (&r.meta, Written::Document(&r.data)));
    home.chain(pages)
        .chain(agencies)
        .chain(power)
        .chain(services)
        .chain(decisions)
        .chain(documents)
}

/// The lines of these records (meta, data, stamp, content hash), each after a line break.
fn lines<'a>(entries: impl Iterator<Item = (&'a Meta, Written<'a>, Stamp, u64)>) -> String {
    let entries: Vec<_> = entries.collect();
    let lines: Vec<String> = entries
        .par_iter()
        .filter_map(|(meta, record, stamp, content)| {
            let line = Line {
                path: meta.path.as_path(),
                stamp: *stamp,
                content: *content,
                slug: meta.slug.as_str(),
                year: meta.year,
                folder_agency: meta.folder_agency.as_deref(),
                body_start: meta.body_start,
                source_hash: meta.source_hash,
                record: *record,
            };
            serde_json::to_string(&line).ok().map(|json| framed(&json))
        })
        .collect();
    let mut text = String::new();
    for line in &lines {
        text.push('\n');
        text.push_str(line);
    }
    text
}

/// Appends `lines` to `file` in one write: a build beside this one appending too writes
/// its own lines whole, before or after these.
fn append(file: &Path, lines: &str) {
    if let Ok(mut f) = fs::OpenOptions::new().append(true).open(file) {
        let _ = f.write_all(lines.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_reusing;

    /// What a cache holds of each file it would keep, as text: stamp, content hash, meta
    /// and data.
    fn kept(cache: &ParseCache) -> HashMap<PathBuf, String> {
        cache
            .files
            .iter()
            .filter_map(|(path, parse)| match &parse.parsed {
                Lent::In(parsed) if parse.diags.is_empty() && written(parsed).is_some() => {
                    let shown = format!("{:?} {:?} {parsed:?}", parse.stamp, parse.content);
                    Some((PathBuf::from(path), shown))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_record_reads_back_as_it_was_parsed() {
        let mut kinds = std::collections::BTreeSet::new();
        for root in [
            ".",
            "tests/fixtures/basic",
            "tests/fixtures/seeds-portal",
            "tests/fixtures/reports",
        ] {
            let mut cache = ParseCache::default();
            let loaded = load_reusing(Path::new(root), Some(&mut cache)).unwrap();
            let documents = loaded.portal.documents.len();
            cache.restore(loaded.portal);
            let before = kept(&cache);
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join(".gongkai-public-parsed");
            cache.store(&file);
            let back = ParseCache::stored(&file);
            assert_eq!(back.max, cache.max);
            let after = kept(&back);
            assert_eq!(after.len(), before.len(), "{root}: every record is kept");
            assert!(before.len() >= documents, "{root}");
            for (path, shown) in &before {
                assert_eq!(after.get(path), Some(shown), "{root}: {}", path.display());
            }
            kinds.extend(before.keys().filter_map(|p| {
                let mut parts = p.iter().skip(1);
                parts.next().map(|k| k.to_string_lossy().into_owned())
            }));
        }
        for kind in [
            "pages",
            "agencies",
            "power",
            "services",
            "decisions",
            "documents",
        ] {
            assert!(kinds.contains(kind), "no {kind} in the fixtures: {kinds:?}");
        }
    }

    /// Writes site.toml and these pages (slug, front matter) at `root`. Each file is written
    /// beside and renamed over: a new inode, so its stamp always moves.
    fn write_pages(root: &Path, pages: &[(&str, &str)]) {
        std::fs::write(root.join("site.toml"), "title = \"测试\"\n").unwrap();
        std::fs::create_dir_all(root.join("content/pages")).unwrap();
        for (slug, yaml) in pages {
            let path = root.join(format!("content/pages/{slug}.md"));
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, format!("---\n{yaml}\n---\n正文\n")).unwrap();
            std::fs::rename(tmp, path).unwrap();
        }
    }

    /// Loads the portal at `root` from the parse cache kept in `file`, and stores the cache
    /// again: the pages' titles, and how many files were parsed.
    fn load_and_store(root: &Path, file: &Path) -> (Vec<String>, usize) {
        let mut cache = ParseCache::stored(file);
        let titles = crate::load::tests::page_titles(root, &mut cache, false);
        cache.store(file);
        (titles, cache.parsed())
    }

    /// [`load_and_store`] as `gongkai build` does it: the records stay lent to the portal
    /// ([`ParseCache::store_lent`]).
    fn load_and_store_lent(root: &Path, file: &Path) -> (Vec<String>, usize) {
        let mut cache = ParseCache::stored(file);
        let loaded = load_reusing(root, Some(&mut cache)).unwrap();
        let titles = crate::load::tests::titles(&loaded.portal);
        if !cache.store_lent(&loaded.portal, file) {
            cache.restore(loaded.portal);
            cache.store(file);
        }
        (titles, cache.parsed())
    }

    #[test]
    fn a_later_run_parses_only_files_whose_bytes_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let file = root.join(".gongkai-public-parsed");
        write_pages(
            root,
            &[
                ("a", "title: 甲"),
                ("b", "title: 乙"),
                ("c", "title: 丙\nunknown: 1"),
            ],
        );
        let run = || load_and_store(root, &file);
        assert_eq!(run(), (vec!["丙".into(), "乙".into(), "甲".into()], 3));
        // c.md has a diagnostic (an unknown key): it is parsed every time, to tell it again.
        assert_eq!(run().1, 1);
        // a.md rewritten with the same bytes (as a fresh clone or a checkout does), b.md
        // changed.
        write_pages(root, &[("a", "title: 甲"), ("b", "title: 乙（修订）")]);
        assert_eq!(
            run(),
            (vec!["丙".into(), "乙（修订）".into(), "甲".into()], 2),
            "b.md and c.md"
        );
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_pages(root, &[("a", "title: 甲"), ("b", "title: 乙")]);
        let file = root.join(".gongkai-public-parsed");
        assert_eq!(load_and_store(root, &file).1, 2);
        assert_eq!(ParseCache::stored(&file).files.len(), 2);
        let whole = std::fs::read_to_string(&file).unwrap();
        // The last line cut short, as by a build killed while it appended: the other is read.
        std::fs::write(&file, &whole[..whole.len() - 3]).unwrap();
        assert_eq!(ParseCache::stored(&file).files.len(), 1);
        // A line changed: its checksum no longer holds.
        std::fs::write(&file, whole.replace("甲", "丙")).unwrap();
        assert_eq!(ParseCache::stored(&file).files.len(), 1);
        // Another binary's, with a head whose checksum holds.
        let (head, rest) = whole.split_once('\n').unwrap();
        let json = head.splitn(4, ' ').nth(3).unwrap();
        let foreign = json.replace(&this_binary(), "gongkai 0.0.0 1 1");
        let foreign = format!("{HEADER} {}\n{rest}", framed(&foreign));
        std::fs::write(&file, foreign).unwrap();
        assert!(ParseCache::stored(&file).files.is_empty());
        // A head that is damaged.
        std::fs::write(&file, whole.replacen("binary", "binarz", 1)).unwrap();
        assert!(ParseCache::stored(&file).files.is_empty());
        // Each time the file was not read, the load parsed both files and wrote it anew.
        assert_eq!(load_and_store(root, &file).1, 2);
        assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 3);
    }

    #[test]
    fn one_edit_appends_one_line_and_a_long_log_is_written_anew() {
        one_edit_appends_one_line_and_a_long_log_is_written_anew_by(load_and_store);
    }

    #[test]
    fn a_run_that_keeps_its_records_lent_appends_the_same_lines() {
        one_edit_appends_one_line_and_a_long_log_is_written_anew_by(load_and_store_lent);
        // Several files parsed in one run, one of them added: each gets its line, and the
        // next run parses none of them.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let file = root.join(".gongkai-public-parsed");
        write_pages(
            root,
            &[("a", "title: 甲"), ("b", "title: 乙"), ("c", "title: 丙")],
        );
        load_and_store_lent(root, &file);
        let first = std::fs::read_to_string(&file).unwrap();
        write_pages(root, &[("a", "title: 甲二"), ("d", "title: 丁")]);
        assert_eq!(load_and_store_lent(root, &file).1, 2);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with(&first), "appended to");
        assert_eq!(text.lines().count(), first.lines().count() + 2);
        assert_eq!(
            load_and_store_lent(root, &file),
            (
                vec!["丁".into(), "丙".into(), "乙".into(), "甲二".into()],
                0
            )
        );
    }

    fn one_edit_appends_one_line_and_a_long_log_is_written_anew_by(
        load_and_store: fn(&Path, &Path) -> (Vec<String>, usize),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_pages(root, &[("a", "title: 甲"), ("b", "title: 乙")]);
        let file = root.join(".gongkai-public-parsed");
        load_and_store(root, &file);
        let first = std::fs::read_to_string(&file).unwrap();
        assert_eq!(load_and_store(root, &file).1, 0);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            first,
            "nothing to add"
        );
        let mut longest = 0;
        for edit in 1..=100 {
            let title = "甲".repeat(edit + 1);
            write_pages(root, &[("a", &format!("title: {title}"))]);
            assert_eq!(load_and_store(root, &file).1, 1);
            let text = std::fs::read_to_string(&file).unwrap();
            if edit == 1 {
                assert!(text.starts_with(&first), "appended to");
                assert_eq!(text.lines().count(), 4);
            }
            longest = longest.max(text.lines().count());
            let cache = ParseCache::stored(&file);
            let Some(Parse {
                parsed: Lent::In(Parsed::Page(page)),
                ..
            }) = cache.files.get(std::ffi::OsStr::new("content/pages/a.md"))
            else {
                panic!("a.md is not in the cache after edit {edit}");
            };
            assert_eq!(page.data.title, title);
        }
        // Two records need two lines and the head: the log is written anew past 2 × 2 + 64.
        assert!(longest <= 2 * 2 + 64 + 1, "{longest} lines");
        assert!(std::fs::read_to_string(&file).unwrap().lines().count() < longest);
    }
}
