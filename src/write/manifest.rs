//! What each output tree holds, recorded beside the output in one file
//! (`.gongkai-<name>-manifest`, e.g. `.gongkai-public-manifest`): for every page, the
//! fingerprint of the page written there (`render::memo`) and the file's status-change
//! time when the build left it. The next build that recycles the tree trusts an entry only
//! where the file's time has not moved since, so a page someone edited, restored or
//! deleted in the tree is written again.
//!
//! The file is a cache: deleting it costs one full build, nothing else. It is trusted only
//! when it is whole (its checksum), of this format, and written by this very binary (the
//! executable's size and modification time): another gongkai may render the same context
//! differently. Anything else is ignored, never half-read.
//!
//! After the head, each tree's record is a line of its own, behind the tree's id: a build
//! parses only the record of the tree it recycles, and writes the other tree's line back as
//! it read it (at 100,000 records each is 24 MB of JSON, a fifth of a second to write).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::tree::{self, ChangeTime, Scratch};
use crate::fingerprint::Fingerprint;
use crate::render::memo::{PageOutcome, Reuse};

const HEADER: &str = "gongkai-manifest 1";

/// A tree's record as the manifest holds it.
enum Held {
    Parsed(TreeRecord),
    /// As it was read (its JSON), for a build that does not recycle the tree: written back
    /// as it is.
    Line {
        tree: (u64, u64),
        json: String,
    },
}

impl Held {
    fn tree(&self) -> (u64, u64) {
        match self {
            Held::Parsed(record) => record.tree,
            Held::Line { tree, .. } => *tree,
        }
    }

    fn parsed(self) -> Option<TreeRecord> {
        match self {
            Held::Parsed(record) => Some(record),
            Held::Line { json, .. } => serde_json::from_str(&json).ok(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct TreeRecord {
    /// `tree::tree_id`: the tree, however it was renamed since.
    tree: (u64, u64),
    /// file → (fingerprint, status-change time).
    pages: HashMap<String, (u64, ChangeTime)>,
    /// What the tree's static search index holds, if it was recorded.
    #[serde(default)]
    search: Option<SearchRecord>,
}

/// The records of a tree's static search index (URL → fingerprint of its search
/// document), and the index's files with their status-change times: the records hold
/// while none of those files changed.
#[derive(Serialize, Deserialize)]
struct SearchRecord {
    docs: HashMap<String, u64>,
    files: Vec<(String, ChangeTime)>,
}

/// What a finished tree holds, to be recorded once it is in place.
pub struct Entries {
    tree: Option<(u64, u64)>,
    pages: HashMap<String, (u64, ChangeTime)>,
    search: Option<SearchRecord>,
}

fn location(out: &Path) -> std::path::PathBuf {
    tree::sibling(out, "manifest")
}

/// The executable that renders: a manifest of another one is not trusted.
pub(crate) fn this_binary() -> String {
    let exe = std::env::current_exe().ok();
    let meta = exe.as_ref().and_then(|e| fs::metadata(e).ok());
    let mtime = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!(
        "{} {} {mtime}",
        env!("CARGO_PKG_VERSION"),
        meta.map_or(0, |m| m.len())
    )
}

/// The body of the file at `path` that [`write_checked`] wrote, if it is whole.
pub(super) fn read_checked(path: &Path) -> Option<String> {
    let mut text = fs::read_to_string(path).ok()?;
    let (head, body) = text.split_once('\n')?;
    if head != format!("{HEADER} {:016x}", checksum(body)) {
        return None;
    }
    let start = head.len() + 1;
    Some(text.split_off(start))
}

/// Writes `body` behind a header with its checksum to `tmp`, then renames it to `path`, so
/// that a reader finds the previous file or this one, whole. Whether it was written.
pub(super) fn write_checked(path: &Path, tmp: &Path, body: &str) -> bool {
    let text = format!("{HEADER} {:016x}\n{body}", checksum(body));
    super::write_whole(path, tmp, text.as_bytes()).is_ok()
}

pub(super) fn checksum(body: &str) -> u64 {
    Fingerprint::new("manifest").add_str(body).finish()
}

/// The manifest beside an output, read once per build: what the build recycles is taken
/// from it, and what it keeps of the spare tree is written back with the new tree's record.
#[derive(Default)]
pub struct Manifest {
    trees: Vec<Held>,
}

impl Manifest {
    /// The manifest beside `out`; empty if there is none this binary can trust. The record
    /// of the spare tree, which the next build recycles, is parsed; the others are kept as
    /// they were read.
    pub fn read(out: &Path) -> Manifest {
        let spare = tree::tree_id(&tree::sibling(out, "spare"));
        let trees = read_checked(&location(out)).and_then(|body| {
            let mut lines = body.lines();
            let binary: String = serde_json::from_str(lines.next()?).ok()?;
            if binary != this_binary() {
                return None;
            }
            lines
                .map(|line| {
                    let (dev, rest) = line.split_once(' ')?;
                    let (ino, json) = rest.split_once(' ')?;
                    let tree = (dev.parse().ok()?, ino.parse().ok()?);
                    Some(match Some(tree) == spare {
                        true => Held::Parsed(serde_json::from_str(json).ok()?),
                        false => Held::Line {
                            tree,
                            json: json.to_string(),
                        },
                    })
                })
                .collect::<Option<Vec<Held>>>()
        });
        Manifest {
            trees: trees.unwrap_or_default(),
        }
    }

    /// The pages of the recycled tree `scratch` that this build may leave as they are:
    /// those the manifest records for this very tree whose files have not changed since.
    pub fn trusted(&mut self, scratch: &Scratch) -> Reuse {
        let Some(id) = tree::tree_id(&scratch.dir).filter(|_| scratch.is_recycled()) else {
            return Reuse::default();
        };
        let Some(at) = self.trees.iter().position(|t| t.tree() == id) else {
            return Reuse::default();
        };
        match self.trees.swap_remove(at).parsed() {
            Some(record) => trusted_in(record, scratch),
            None => Reuse::default(),
        }
    }

    /// The manifest once the tree now at `out` is in place: its record, and the record of
    /// the tree it replaced (the spare, which a later build recycles).
    pub fn updated(self, out: &Path, entries: Entries) -> Manifest {
        let Some(id) = entries.tree else {
            return Manifest::default();
        };
        let spare = tree::tree_id(&tree::sibling(out, "spare"));
        let mut trees: Vec<Held> = self
            .trees
            .into_iter()
            .filter(|t| Some(t.tree()) == spare && t.tree() != id)
            .collect();
        trees.push(Held::Parsed(TreeRecord {
            tree: id,
            pages: entries.pages,
            search: entries.search,
        }));
        Manifest { trees }
    }

    /// Parses every record kept as it was read: what a process that builds again (`serve`)
    /// does while nobody waits, so that the next build finds the record it recycles parsed.
    /// A record that does not parse is dropped (its tree's pages are written again).
    pub fn parse_all(&mut self) {
        self.trees = std::mem::take(&mut self.trees)
            .into_iter()
            .filter_map(|held| held.parsed().map(Held::Parsed))
            .collect();
    }

    /// Writes the manifest beside `out`. A manifest that cannot be written is no error: the
    /// next build renders every page.
    pub fn write(&self, out: &Path) {
        let Ok(mut body) = serde_json::to_string(&this_binary()) else {
            return;
        };
        body.push('\n');
        for held in &self.trees {
            let (dev, ino) = held.tree();
            body.push_str(&format!("{dev} {ino} "));
            match held {
                Held::Parsed(record) => match serde_json::to_string(record) {
                    Ok(json) => body.push_str(&json),
                    Err(_) => return,
                },
                Held::Line { json, .. } => body.push_str(json),
            }
            body.push('\n');
        }
        write_checked(
            &location(out),
            &tree::private_sibling(out, "manifest-new"),
            &body,
        );
    }
}

/// What of `record` (the recycled tree's) still holds: its files whose times did not move.
fn trusted_in(record: TreeRecord, scratch: &Scratch) -> Reuse {
    let unchanged = |file: &str, time: &ChangeTime| scratch.change_time_before(file) == Some(*time);
    use rayon::prelude::*;
    // 200,000 lookups at 100,000 records: in parallel.
    let pages = record
        .pages
        .into_par_iter()
        .filter(|(file, (_, time))| unchanged(file, time))
        .map(|(file, (fp, _))| (file, fp))
        .collect();
    let search = record
        .search
        .filter(|s| !s.files.is_empty() && s.files.iter().all(|(f, t)| unchanged(f, t)))
        .map(|s| s.docs);
    Reuse { pages, search }
}

/// What the finished (pruned) scratch tree holds, read before it is swapped into place: a
/// kept page's time is the one it had, a written page's is read from its file.
/// `search`: the records the tree's static index (`search/`) now holds, `None` if unknown.
pub fn entries(
    scratch: &Scratch,
    outcomes: &[PageOutcome],
    search: Option<HashMap<String, u64>>,
) -> Entries {
    use rayon::prelude::*;
    let pages = outcomes
        .par_iter()
        .filter_map(|o| {
            let time = if o.rendered {
                tree::change_time_of(&scratch.dir.join(&o.file))
            } else {
                scratch.change_time_before(&o.file)
            }?;
            Some((o.file.clone(), (o.fingerprint, time)))
        })
        .collect();
    let search = search.and_then(|docs| {
        let dir = scratch.dir.join("search");
        let mut files = Vec::new();
        for entry in fs::read_dir(&dir).ok()? {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            // The search page is a page: the manifest's pages hold it.
            if name != "index.html" {
                let time = tree::change_time_of(&dir.join(&name))?;
                files.push((format!("search/{name}"), time));
            }
        }
        Some(SearchRecord { docs, files })
    });
    Entries {
        tree: tree::tree_id(&scratch.dir),
        pages,
        search,
    }
}

/// What the tantivy index in `search_index_dir` holds, kept inside it
/// ([`INDEX_RECORDS`]): each record's URL with the fingerprint of the search document it was
/// indexed from (`derive::search_docs::search_fingerprints`), and the index's commit stamp
/// then. The next build updates the index in place with the records whose fingerprint
/// changed; a stamp that is not the index's own (a build killed between its commit and this
/// file, an index written by something else) makes it write the index afresh.
pub const INDEX_RECORDS: &str = "gongkai-records.json";

#[derive(Serialize, Deserialize)]
struct IndexRecords {
    binary: String,
    opstamp: u64,
    docs: HashMap<String, u64>,
}

/// The records the index in `dir` holds, if its record can be trusted.
pub fn index_records(dir: &Path) -> Option<HashMap<String, u64>> {
    let body = read_checked(&dir.join(INDEX_RECORDS))?;
    let records: IndexRecords = serde_json::from_str(&body).ok()?;
    let opstamp = crate::search::index::committed_opstamp(dir)?;
    (records.binary == this_binary() && records.opstamp == opstamp).then_some(records.docs)
}

/// Records what the index in `dir` now holds. Not being able to is no error: the next
/// build writes the index afresh.
pub fn save_index_records(dir: &Path, docs: HashMap<String, u64>) {
    let Some(opstamp) = crate::search::index::committed_opstamp(dir) else {
        return;
    };
    let records = IndexRecords {
        binary: this_binary(),
        opstamp,
        docs,
    };
    let path = dir.join(INDEX_RECORDS);
    let written = serde_json::to_string(&records)
        .is_ok_and(|body| write_checked(&path, &dir.join(format!("{INDEX_RECORDS}.new")), &body));
    if !written {
        // A record of an earlier commit would not match the index anyway; gone, it is
        // not even read.
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(tree: (u64, u64), page: &str) -> TreeRecord {
        TreeRecord {
            tree,
            pages: HashMap::from([(page.to_string(), (7, ChangeTime::default()))]),
            search: None,
        }
    }

    #[test]
    fn only_the_spare_record_is_parsed_and_the_other_is_written_back_as_read() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(tree::sibling(&out, "spare")).unwrap();
        let (live, spare) = (
            tree::tree_id(&out).unwrap(),
            tree::tree_id(&tree::sibling(&out, "spare")).unwrap(),
        );
        let written = Manifest {
            trees: vec![
                Held::Parsed(record(spare, "a/index.html")),
                Held::Parsed(record(live, "b/index.html")),
            ],
        };
        written.write(&out);
        let first = fs::read_to_string(location(&out)).unwrap();
        let read = Manifest::read(&out);
        assert!(matches!(&read.trees[..], [Held::Parsed(r), Held::Line { .. }] if r.tree == spare));
        read.write(&out);
        assert_eq!(fs::read_to_string(location(&out)).unwrap(), first);
        let mut read = Manifest::read(&out);
        read.parse_all();
        assert!(read.trees.iter().all(|t| matches!(t, Held::Parsed(_))));
        let pages = |m: Manifest| -> Vec<String> {
            m.trees
                .into_iter()
                .flat_map(|t| t.parsed().unwrap().pages.into_keys())
                .collect()
        };
        assert_eq!(pages(read), ["a/index.html", "b/index.html"]);

        // A file cut short, or changed by anything else, is not read at all.
        fs::write(location(&out), &first[..first.len() - 3]).unwrap();
        assert!(Manifest::read(&out).trees.is_empty());
        fs::write(location(&out), first.replace("b/index", "c/index")).unwrap();
        assert!(Manifest::read(&out).trees.is_empty());
    }
}
