//! The parse cache kept on disk between runs (`.gongkai-<site>-parsed` beside the site's
//! output folder, `build::parse_cache_file`): what `gongkai build` parsed, so that the next run reads and parses only the files that changed.
//! At 100,000 records parsing is most of what loading costs, and a build after one edit
//! needs one file parsed.
//!
//! A file is taken from it while its stamp is the one recorded (size, times, inode), or,
//! once the stamp moved (a fresh clone in CI, a checkout, a touch), while its bytes hash the
//! same. Only records that parsed without a single diagnostic are kept, and only of the
//! kinds whose data reads back from JSON as it was written: reports (whose section 2 is kept
//! as YAML, and whose table may come from the request register) and calendars are parsed
//! every time; there are few of them.
//!
//! Like the manifest it is a cache: trusted only when whole (its checksum), written by this
//! very binary, and read with the `max_file_bytes` it was written with; deleting it costs
//! one full parse. A line that does not read back is parsed again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Lent, Parse, ParseCache, Parsed, Stamp};
use crate::model::{Agency, Decision, Document, Meta, Page, PowerItem, Record, ServiceItem};
use crate::write::manifest::{read_checked, this_binary, write_checked};

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
#[derive(Serialize)]
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

fn read(line: Line<PathBuf, String, Read>) -> (PathBuf, Parse) {
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
        parsed: Lent::In(parsed),
        diags: Vec::new(),
    };
    (line.path, parse)
}

impl ParseCache {
    /// The cache kept in `file`; empty if there is none this binary can trust.
    pub fn stored(file: &Path) -> ParseCache {
        read_checked(file)
            .map(|body| ParseCache::from_body(&body))
            .unwrap_or_default()
    }

    /// Keeps in `file` what the cache holds that the next run can take: records that parsed
    /// without a diagnostic, with their content hash. Not being able to is no error: the
    /// next run parses every file.
    pub fn store(&self, file: &Path) {
        if let Some(body) = self.body() {
            let mut tmp = file.as_os_str().to_owned();
            tmp.push(format!("-new-{}", std::process::id()));
            write_checked(file, Path::new(&tmp), &body);
        }
    }

    fn from_body(body: &str) -> ParseCache {
        let mut lines = body.split('\n');
        let head = lines
            .next()
            .and_then(|h| serde_json::from_str::<Head>(h).ok())
            .filter(|h| h.binary == this_binary());
        let Some(head) = head else {
            return ParseCache::default();
        };
        let lines: Vec<&str> = lines.collect();
        let files: HashMap<PathBuf, Parse> = lines
            .par_iter()
            .filter_map(|l| serde_json::from_str::<Line<PathBuf, String, Read>>(l).ok())
            .map(read)
            .collect();
        ParseCache {
            files,
            max: head.max,
            parsed: 0,
        }
    }

    fn body(&self) -> Option<String> {
        let head = Head {
            binary: this_binary(),
            max: self.max,
        };
        let head = serde_json::to_string(&head).ok()?;
        let lines: Vec<String> = self
            .files
            .par_iter()
            .filter_map(|(path, parse)| {
                let (Lent::In(parsed), Some(content), true) =
                    (&parse.parsed, parse.content, parse.diags.is_empty())
                else {
                    return None;
                };
                let (meta, record) = written(parsed)?;
                // Damaged records have diagnostics; this only makes sure.
                if !meta.damaged.is_empty() {
                    return None;
                }
                let line = Line {
                    path: path.as_path(),
                    stamp: parse.stamp,
                    content,
                    slug: meta.slug.as_str(),
                    year: meta.year,
                    folder_agency: meta.folder_agency.as_deref(),
                    body_start: meta.body_start,
                    source_hash: meta.source_hash,
                    record,
                };
                serde_json::to_string(&line).ok()
            })
            .collect();
        let mut body = head;
        for line in &lines {
            body.push('\n');
            body.push_str(line);
        }
        Some(body)
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
                    Some((path.clone(), shown))
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
            let back = ParseCache::from_body(&cache.body().unwrap());
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

    #[test]
    fn a_later_run_parses_only_files_whose_bytes_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.toml"), "title = \"测试\"\n").unwrap();
        let write = |rel: &str, text: &str| {
            let path = root.join("content").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            // Written beside and renamed over: a new inode, so the stamp always moves.
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(tmp, path).unwrap();
        };
        write("pages/a.md", "---\ntitle: 甲\n---\n正文\n");
        write("pages/b.md", "---\ntitle: 乙\n---\n正文\n");
        write("pages/c.md", "---\ntitle: 丙\nunknown: 1\n---\n正文\n");
        let file = root.join(".gongkai-public-parsed");
        let run = || {
            let mut cache = ParseCache::stored(&file);
            let loaded = load_reusing(root, Some(&mut cache)).unwrap();
            let mut titles: Vec<String> = loaded
                .portal
                .pages
                .iter()
                .map(|p| p.data.title.clone())
                .collect();
            titles.sort();
            cache.restore(loaded.portal);
            cache.store(&file);
            (titles, cache.parsed())
        };
        assert_eq!(run(), (vec!["丙".into(), "乙".into(), "甲".into()], 3));
        // c.md has a diagnostic (an unknown key): it is parsed every time, to tell it again.
        assert_eq!(run().1, 1);
        // a.md rewritten with the same bytes (as a fresh clone or a checkout does), b.md
        // changed.
        write("pages/a.md", "---\ntitle: 甲\n---\n正文\n");
        write("pages/b.md", "---\ntitle: 乙（修订）\n---\n正文\n");
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
        std::fs::write(root.join("site.toml"), "title = \"测试\"\n").unwrap();
        std::fs::create_dir_all(root.join("content/pages")).unwrap();
        std::fs::write(root.join("content/pages/a.md"), "---\ntitle: 甲\n---\n").unwrap();
        let mut cache = ParseCache::default();
        let loaded = load_reusing(root, Some(&mut cache)).unwrap();
        cache.restore(loaded.portal);
        let path = root.join(".gongkai-public-parsed");
        cache.store(&path);
        assert_eq!(ParseCache::stored(&path).files.len(), 1);
        let whole = std::fs::read_to_string(&path).unwrap();
        // Cut short, as by a crash in the middle of a write that was not renamed into place.
        std::fs::write(&path, &whole[..whole.len() - 3]).unwrap();
        assert!(ParseCache::stored(&path).files.is_empty());
        // Another binary's.
        let body = cache
            .body()
            .unwrap()
            .replacen(&this_binary(), "gongkai 0.0.0 1 1", 1);
        write_checked(&path, &root.join("tmp"), &body);
        assert!(ParseCache::stored(&path).files.is_empty());
        // Its own again.
        cache.store(&path);
        assert_eq!(ParseCache::stored(&path).files.len(), 1);
    }
}
