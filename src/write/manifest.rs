//! What each output tree holds, recorded beside the output in a file of its own
//! (`.gongkai-<name>-manifest-<device>-<inode>`, e.g. `.gongkai-public-manifest-2049-1234`,
//! named after the tree however it is renamed): for every page, the fingerprint of the page
//! written there (`render::memo`) and the file's status-change time when the build left it.
//! The next build that recycles the tree trusts an entry only where the file's time has not
//! moved since, so a page someone edited, restored or deleted in the tree is written again.
//!
//! The file is a cache: deleting it costs one full build, nothing else. It is trusted only
//! when it is whole (its checksum), of this format, and written by this very binary (the
//! executable's size and modification time): another gongkai may render the same context
//! differently. Anything else is ignored, never half-read.
//!
//! A build reads only the record of the tree it recycles and writes only the record of the
//! tree it made: at 100,000 records each is 200,000 lines, 20 MB. They are plain lines, one
//! per file, rather than JSON: a build after one edit reads and writes one of them, and JSON
//! took a fifth of a second each way.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::tree::{self, ChangeTime, Scratch};
use crate::fingerprint::Fingerprint;
use crate::render::memo::{PageOutcome, Reuse};
use crate::table::HashMap;

const HEADER: &str = "gongkai-manifest 1";

/// The first line of a tree's record, after the checksum's: its format.
const FORMAT: &str = "tree-record 2";

/// What a tree held when the build that made it left it.
struct TreeRecord {
    /// `tree::tree_id`: the tree, however it was renamed since.
    tree: (u64, u64),
    /// file → (fingerprint, status-change time).
    pages: Vec<(String, (u64, ChangeTime))>,
    /// What the tree's static search index holds, if it was recorded.
    search: Option<SearchRecord>,
    /// The tree's other files, and its folders with their status-change times, for the
    /// next build that recycles it to find what the tree holds without reading every folder
    /// (`tree::Listing`).
    others: Vec<String>,
    dirs: Vec<(String, ChangeTime)>,
    /// Whether the file beside the output holds this record already.
    on_disk: bool,
}

/// The records of a tree's static search index (URL → fingerprint of its search
/// document), and the index's files with their status-change times: the records hold
/// while none of those files changed.
struct SearchRecord {
    docs: HashMap<String, u64>,
    files: Vec<(String, ChangeTime)>,
}

/// What a finished tree holds, to be recorded once it is in place.
pub struct Entries {
    tree: Option<(u64, u64)>,
    pages: Vec<(String, (u64, ChangeTime))>,
    search: Option<SearchRecord>,
    others: Vec<String>,
    dirs: Vec<(String, ChangeTime)>,
}

/// Where the record of the tree `id` beside `out` is kept.
fn location(out: &Path, (dev, ino): (u64, u64)) -> PathBuf {
    tree::sibling(out, &format!("manifest-{dev}-{ino}"))
}

/// The tree whose record `name` (a file name beside `out`) is, if it is one.
fn recorded_tree(out: &Path, name: &str) -> Option<(u64, u64)> {
    let prefix = tree::sibling(out, "manifest-");
    let prefix = prefix.file_name()?.to_str()?;
    let (dev, ino) = name.strip_prefix(prefix)?.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(dev) && digits(ino)).then_some((dev.parse().ok()?, ino.parse().ok()?))
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
pub(super) fn read_checked(path: &Path) -> Option<Checked> {
    let text = fs::read_to_string(path).ok()?;
    let (head, body) = text.split_once('\n')?;
    if head != format!("{HEADER} {:016x}", checksum(body)) {
        return None;
    }
    let body_at = head.len() + 1;
    Some(Checked { text, body_at })
}

/// A file [`write_checked`] wrote, read whole: the body is left where it was read rather
/// than copied out from behind its head (20 MB for a tree's record at 100,000 records).
pub(super) struct Checked {
    text: String,
    body_at: usize,
}

impl std::ops::Deref for Checked {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text[self.body_at..]
    }
}

/// Writes `body` behind a header with its checksum to `tmp`, then renames it to `path`, so
/// that a reader finds the previous file or this one, whole. Whether it was written.
pub(super) fn write_checked(path: &Path, tmp: &Path, body: &str) -> bool {
    write_checked_parts(path, tmp, &[body.as_bytes()])
}

/// [`write_checked`] of the body made of `parts`, one after the other, never joined.
fn write_checked_parts(path: &Path, tmp: &Path, parts: &[&[u8]]) -> bool {
    let head = format!("{HEADER} {:016x}\n", checksum_of_parts(parts));
    let whole: Vec<&[u8]> = std::iter::once(head.as_bytes())
        .chain(parts.iter().copied())
        .collect();
    super::write_whole_parts(path, tmp, &whole).is_ok()
}

pub(super) fn checksum(body: &str) -> u64 {
    checksum_of_parts(&[body.as_bytes()])
}

/// [`checksum`] of the body made of `parts`, one after the other.
fn checksum_of_parts(parts: &[&[u8]]) -> u64 {
    Fingerprint::new("manifest").add_parts(parts).finish()
}

impl TreeRecord {
    /// The record as its file holds it, after the checksum's line:
    ///
    /// ```text
    /// tree-record 2
    /// "<binary>"
    /// tree <device> <inode>
    /// page <fingerprint> <seconds> <nanoseconds> <file>      (one per page)
    /// other <file>                                           (one per other file)
    /// dir <seconds> <nanoseconds> <folder>                   (one per folder)
    /// search                                                 (if recorded:)
    /// doc <fingerprint> <url>                                (one per search record)
    /// file <seconds> <nanoseconds> <file>                    (one per index file)
    /// ```
    ///
    /// The file or URL ends the line; one holding a line break is left out (its page is
    /// then written again), as is the search record if any of its values would be. So are
    /// all other files and folders, if any of them would be: without them the next build
    /// reads every folder.
    ///
    /// Made in parts, in parallel (300,000 lines and more at 100,000 records), to be written
    /// one after the other.
    fn text(&self) -> Vec<String> {
        let binary = serde_json::to_string(&this_binary()).unwrap_or_default();
        let (dev, ino) = self.tree;
        let head = format!("{FORMAT}\n{binary}\ntree {dev} {ino}\n");
        let whole = |s: &String| !s.contains('\n');
        let listed = self.others.iter().all(whole) && self.dirs.iter().all(|(d, _)| whole(d));
        let search = self
            .search
            .as_ref()
            .filter(|s| s.docs.keys().all(whole) && s.files.iter().all(|(f, _)| whole(f)));
        let (pages, (dirs, docs)) = rayon::join(
            || {
                lines(&self.pages, |text, (file, (fingerprint, (secs, nanos)))| {
                    if whole(file) {
                        let _ = writeln!(text, "page {fingerprint:016x} {secs} {nanos} {file}");
                    }
                })
            },
            || {
                rayon::join(
                    || match listed {
                        true => lines(&self.dirs, |text, (dir, (secs, nanos))| {
                            let _ = writeln!(text, "dir {secs} {nanos} {dir}");
                        }),
                        false => Vec::new(),
                    },
                    || {
                        let Some(search) = search else {
                            return Vec::new();
                        };
                        let mut text = String::from("search\n");
                        for (url, fingerprint) in &search.docs {
                            let _ = writeln!(text, "doc {fingerprint:016x} {url}");
                        }
                        for (file, (secs, nanos)) in &search.files {
                            let _ = writeln!(text, "file {secs} {nanos} {file}");
                        }
                        vec![text]
                    },
                )
            },
        );
        let mut others = String::new();
        if listed {
            for file in &self.others {
                let _ = writeln!(others, "other {file}");
            }
        }
        let mut text = vec![head];
        text.extend(pages);
        text.push(others);
        text.extend(dirs);
        text.extend(docs);
        text
    }

    /// The record [`TreeRecord::text`] wrote, if this binary wrote it for the tree `id`.
    fn parse(body: &str, id: (u64, u64)) -> Option<TreeRecord> {
        // Not `lines`, which would take a carriage return off the end of a file's name.
        let mut lines = body.strip_suffix('\n')?.split('\n');
        let (format, binary, tree) = (lines.next()?, lines.next()?, lines.next()?);
        let binary: String = serde_json::from_str(binary).ok()?;
        if format != FORMAT || binary != this_binary() || tree != format!("tree {} {}", id.0, id.1)
        {
            return None;
        }
        let rest: Vec<&str> = lines.collect();
        let search_at = rest.iter().position(|l| *l == "search");
        let (files, search) = match search_at {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (&rest[..], None),
        };
        let known = ["page ", "other ", "dir "];
        if !files
            .par_iter()
            .all(|l| known.iter().any(|k| l.starts_with(k)))
        {
            return None;
        }
        let pages = files
            .par_iter()
            .filter_map(|line| line.strip_prefix("page "))
            .map(|line| {
                let [fingerprint, secs, nanos, file] = fields(line)?;
                let time = (secs.parse().ok()?, nanos.parse().ok()?);
                Some((file.to_string(), (hex(fingerprint)?, time)))
            })
            .collect::<Option<Vec<_>>>()?;
        let others = files
            .par_iter()
            .filter_map(|line| line.strip_prefix("other "))
            .map(str::to_string)
            .collect();
        let dirs = files
            .par_iter()
            .filter_map(|line| line.strip_prefix("dir "))
            .map(|line| {
                let [secs, nanos, dir] = fields(line)?;
                Some((dir.to_string(), (secs.parse().ok()?, nanos.parse().ok()?)))
            })
            .collect::<Option<Vec<_>>>()?;
        let search = match search {
            Some(lines) => {
                let mut docs = HashMap::default();
                let mut files = Vec::new();
                for line in lines {
                    if let Some(doc) = line.strip_prefix("doc ") {
                        let (fingerprint, url) = doc.split_once(' ')?;
                        docs.insert(url.to_string(), hex(fingerprint)?);
                    } else {
                        let [secs, nanos, file] = fields(line.strip_prefix("file ")?)?;
                        files.push((file.to_string(), (secs.parse().ok()?, nanos.parse().ok()?)));
                    }
                }
                Some(SearchRecord { docs, files })
            }
            None => None,
        };
        Some(TreeRecord {
            tree: id,
            pages,
            search,
            others,
            dirs,
            on_disk: true,
        })
    }

    /// The record kept beside `out` for the tree `id`, if there is one this binary can trust.
    fn read(out: &Path, id: (u64, u64)) -> Option<TreeRecord> {
        TreeRecord::parse(&read_checked(&location(out, id))?, id)
    }
}

/// The first `N - 1` space-separated fields of `line`, then the rest of it.
fn fields<const N: usize>(line: &str) -> Option<[&str; N]> {
    let mut fields = [""; N];
    let mut rest = line;
    for field in fields.iter_mut().take(N - 1) {
        let (head, tail) = rest.split_once(' ')?;
        *field = head;
        rest = tail;
    }
    fields[N - 1] = rest;
    Some(fields)
}

fn hex(text: &str) -> Option<u64> {
    u64::from_str_radix(text, 16).ok()
}

/// The records of the trees beside an output that a build needs: the one it recycles, read
/// before it starts, and the one it made, written once it is in place. A process that builds
/// again (`serve`) keeps them between builds.
#[derive(Default)]
pub struct Manifest {
    trees: Vec<TreeRecord>,
}

impl Manifest {
    /// The record of the spare tree beside `out`, which the next build recycles; empty if
    /// there is none this binary can trust.
    pub fn read(out: &Path) -> Manifest {
        let mut manifest = Manifest::default();
        manifest.read_spare(out);
        manifest
    }

    /// Reads the record of the spare tree beside `out` unless it is held already: what a
    /// process that builds again does while nobody waits, so that the next build finds the
    /// record it recycles read.
    pub fn read_spare(&mut self, out: &Path) {
        let Some(spare) = tree::tree_id(&tree::sibling(out, "spare")) else {
            return;
        };
        if self.trees.iter().all(|t| t.tree != spare) {
            self.trees.extend(TreeRecord::read(out, spare));
        }
    }

    /// What the record of the spare tree beside `out` says it holds, if it is held and
    /// says (`tree::Listing`).
    pub fn spare_listing(&self, out: &Path) -> Option<tree::Listing<'_>> {
        let spare = tree::tree_id(&tree::sibling(out, "spare"))?;
        let record = self.trees.iter().find(|t| t.tree == spare)?;
        if record.dirs.is_empty() {
            // Not recorded (a tree the build made afresh): its folders are read.
            return None;
        }
        let pages = record.pages.iter().map(|(file, _)| file);
        let files = pages.chain(&record.others).map(String::as_str);
        Some(tree::Listing {
            files: files.collect(),
            dirs: &record.dirs,
        })
    }

    /// The pages of the recycled tree `scratch` beside `out` that this build may leave as
    /// they are: those the manifest records for this very tree whose files have not changed
    /// since.
    pub fn trusted(&mut self, out: &Path, scratch: &Scratch) -> Reuse {
        let Some(id) = tree::tree_id(&scratch.dir).filter(|_| scratch.is_recycled()) else {
            return Reuse::default();
        };
        let record = match self.trees.iter().position(|t| t.tree == id) {
            Some(at) => Some(self.trees.swap_remove(at)),
            None => TreeRecord::read(out, id),
        };
        match record {
            Some(record) => trusted_in(record, scratch),
            None => Reuse::default(),
        }
    }

    /// The manifest once the tree now at `out` is in place: its record, and the record of
    /// the tree it replaced (the spare, which a later build recycles) if it is held.
    pub fn updated(self, out: &Path, entries: Entries) -> Manifest {
        let Some(id) = entries.tree else {
            return Manifest::default();
        };
        let spare = tree::tree_id(&tree::sibling(out, "spare"));
        let mut trees: Vec<TreeRecord> = self
            .trees
            .into_iter()
            .filter(|t| Some(t.tree) == spare && t.tree != id)
            .collect();
        trees.push(TreeRecord {
            tree: id,
            pages: entries.pages,
            search: entries.search,
            others: entries.others,
            dirs: entries.dirs,
            on_disk: false,
        });
        Manifest { trees }
    }

    /// Writes beside `out` the records not written yet, and removes the records of trees
    /// that are neither the site nor its spare any more. A record that cannot be written is
    /// no error: the next build that recycles its tree renders every page.
    pub fn write(&mut self, out: &Path) {
        let tmp = tree::private_sibling(out, "manifest-new");
        for record in self.trees.iter_mut().filter(|t| !t.on_disk) {
            let path = location(out, record.tree);
            let text = record.text();
            let parts: Vec<&[u8]> = text.iter().map(|part| part.as_bytes()).collect();
            if !write_checked_parts(&path, &tmp, &parts) {
                let _ = fs::remove_file(path);
            }
            record.on_disk = true;
        }
        let kept = [
            tree::tree_id(out),
            tree::tree_id(&tree::sibling(out, "spare")),
        ];
        let Some(folder) = tree::sibling(out, "").parent().map(Path::to_path_buf) else {
            return;
        };
        let Ok(entries) = fs::read_dir(&folder) else {
            return;
        };
        // What earlier versions kept for both trees in one file goes too.
        let _ = fs::remove_file(tree::sibling(out, "manifest"));
        for entry in entries.flatten() {
            let name = entry.file_name();
            let stale = name
                .to_str()
                .and_then(|name| recorded_tree(out, name))
                .is_some_and(|id| !kept.contains(&Some(id)));
            if stale {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// What of `record` (the recycled tree's) still holds: its files whose times did not move.
fn trusted_in(record: TreeRecord, scratch: &Scratch) -> Reuse {
    let unchanged = |file: &str, time: &ChangeTime| scratch.change_time_before(file) == Some(*time);
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
/// `before`: each of `outcomes`' time before the build, as [`Scratch::set_apart`] gave it.
/// `search`: the records the tree's static index (`search/`) now holds, `None` if unknown.
/// Takes what the tree held before the build from `scratch`.
pub fn entries(
    scratch: &mut Scratch,
    outcomes: Vec<PageOutcome>,
    before: Vec<Option<ChangeTime>>,
    search: Option<HashMap<String, u64>>,
) -> Entries {
    let held = scratch.take_held();
    let pages: Vec<(String, (u64, ChangeTime))> = outcomes
        .into_par_iter()
        .zip(before)
        .filter_map(|(o, before)| {
            let time = match o.rendered {
                true => tree::change_time_of(&scratch.dir.join(&o.file)),
                false => before,
            }?;
            Some((o.file, (o.fingerprint, time)))
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
    // A name that is not UTF-8 cannot be listed: without a listing, the next build reads
    // every folder.
    let others = held
        .files
        .into_keys()
        .map(|f| f.into_string().ok())
        .collect();
    let dirs = held
        .dirs
        .into_iter()
        .map(|(d, time)| Some((d.into_string().ok()?, time)))
        .collect();
    let (others, dirs) = match (others, dirs) {
        (Some(others), Some(dirs)) => (others, dirs),
        _ => (Vec::new(), Vec::new()),
    };
    Entries {
        tree: tree::tree_id(&scratch.dir),
        pages,
        search,
        others,
        dirs,
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
struct IndexRecords<D> {
    binary: String,
    opstamp: u64,
    /// URL → fingerprint: read as a map, written from the pairs the build holds.
    docs: D,
}

/// URL and fingerprint pairs written as the JSON map they are read back as, without a table
/// of 100,000 URLs copied to write them.
struct AsMap<'a>(&'a [(String, u64)]);

impl Serialize for AsMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(url, fp)| (url, fp)))
    }
}

/// The records the index in `dir` holds, if its record can be trusted.
pub fn index_records(dir: &Path) -> Option<HashMap<String, u64>> {
    let body = read_checked(&dir.join(INDEX_RECORDS))?;
    let records: IndexRecords<HashMap<String, u64>> = serde_json::from_str(&body).ok()?;
    let opstamp = crate::search::index::committed_opstamp(dir)?;
    (records.binary == this_binary() && records.opstamp == opstamp).then_some(records.docs)
}

/// Records what the index in `dir` now holds: each record's URL with its fingerprint. Not
/// being able to is no error: the next build writes the index afresh.
pub fn save_index_records(dir: &Path, docs: &[(String, u64)]) {
    let Some(opstamp) = crate::search::index::committed_opstamp(dir) else {
        return;
    };
    let records = IndexRecords {
        binary: this_binary(),
        opstamp,
        docs: AsMap(docs),
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

/// The lines `line` writes for each of `items`, in order, made in chunks in parallel.
fn lines<T: Sync>(items: &[T], line: impl Fn(&mut String, &T) + Sync) -> Vec<String> {
    items
        .par_chunks(16_384)
        .map(|chunk| {
            let mut text = String::with_capacity(100 * chunk.len());
            for item in chunk {
                line(&mut text, item);
            }
            text
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_records_written_from_pairs_read_back_as_their_table() {
        let pairs = [
            ("/documents/2024/a/".to_string(), 7),
            ("/power/fgw/b \"c\"/".to_string(), u64::MAX),
            ("/pages/关于/".to_string(), 0),
        ];
        let written = IndexRecords {
            binary: this_binary(),
            opstamp: 3,
            docs: AsMap(&pairs),
        };
        let json = serde_json::to_string(&written).unwrap();
        let back: IndexRecords<HashMap<String, u64>> = serde_json::from_str(&json).unwrap();
        assert_eq!((back.binary, back.opstamp), (this_binary(), 3));
        assert_eq!(back.docs, pairs.iter().cloned().collect::<HashMap<_, _>>());
    }

    fn record(tree: (u64, u64), pages: &[&str]) -> TreeRecord {
        TreeRecord {
            tree,
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        p.to_string(),
                        (u64::MAX - i as u64, (1_700_000_000, i as i64)),
                    )
                })
                .collect(),
            search: Some(SearchRecord {
                docs: HashMap::from_iter([("/documents/a b/".to_string(), 3)]),
                files: vec![("search/meta.json".to_string(), (5, 6))],
            }),
            others: vec!["attachments/a b.pdf".to_string()],
            dirs: vec![("a".to_string(), (7, 8)), ("b c".to_string(), (9, 10))],
            on_disk: false,
        }
    }

    fn site() -> (tempfile::TempDir, PathBuf, (u64, u64), (u64, u64)) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(tree::sibling(&out, "spare")).unwrap();
        let live = tree::tree_id(&out).unwrap();
        let spare = tree::tree_id(&tree::sibling(&out, "spare")).unwrap();
        (dir, out, live, spare)
    }

    #[test]
    fn a_tree_s_record_reads_back_as_it_was_written_and_for_that_tree_only() {
        let (_dir, out, live, spare) = site();
        let pages = [
            "a/index.html",
            "b c/index.html",
            "d\ne/index.html",
            "f\r/index.html",
        ];
        let mut written = Manifest {
            trees: vec![record(spare, &pages), record(live, &["x/index.html"])],
        };
        written.write(&out);
        let read = Manifest::read(&out);
        let [back] = &read.trees[..] else {
            panic!("only the spare's record is read");
        };
        let wrote = &written.trees[0];
        assert_eq!(back.tree, spare);
        // A file whose name holds a line break is left out: its page is written again.
        let mut expected = wrote.pages.clone();
        expected.retain(|(file, _)| file != pages[2]);
        assert_eq!(back.pages, expected);
        let (search, wrote_search) = (
            back.search.as_ref().unwrap(),
            wrote.search.as_ref().unwrap(),
        );
        assert_eq!(search.docs, wrote_search.docs);
        assert_eq!(search.files, wrote_search.files);
        assert_eq!((&back.others, &back.dirs), (&wrote.others, &wrote.dirs));
        // The other tree's record is there for it alone.
        assert!(TreeRecord::read(&out, live).is_some_and(|r| r.pages.len() == 1));
        fs::rename(location(&out, live), location(&out, (live.0, live.1 + 1))).unwrap();
        assert!(TreeRecord::read(&out, (live.0, live.1 + 1)).is_none());

        // A file cut short, or changed by anything else, is not read at all.
        let file = location(&out, spare);
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, &text[..text.len() - 3]).unwrap();
        assert!(Manifest::read(&out).trees.is_empty());
        fs::write(&file, text.replace("a/index", "c/index")).unwrap();
        assert!(Manifest::read(&out).trees.is_empty());
    }

    #[test]
    fn writing_keeps_the_records_of_the_site_and_its_spare_only() {
        let (dir, out, live, spare) = site();
        let gone = (live.0, live.1 + 7);
        let mut manifest = Manifest {
            trees: vec![record(gone, &["a/index.html"])],
        };
        manifest.write(&out);
        // What an earlier version wrote, and another process's file being written.
        let others = [
            tree::sibling(&out, "manifest"),
            tree::sibling(&out, "manifest-new-1"),
        ];
        for other in &others {
            fs::write(other, "x").unwrap();
        }
        let entries = |tree| Entries {
            tree: Some(tree),
            pages: Vec::new(),
            search: None,
            others: Vec::new(),
            dirs: Vec::new(),
        };
        let mut manifest = Manifest {
            trees: vec![record(spare, &["b/index.html"])],
        }
        .updated(&out, entries(live));
        manifest.write(&out);
        assert!(location(&out, live).is_file());
        assert!(location(&out, spare).is_file());
        assert!(!location(&out, gone).exists());
        assert!(!others[0].exists());
        assert!(others[1].exists());
        let names = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(
            names, 5,
            "public, its spare, two records, the other process's file"
        );
    }
}
