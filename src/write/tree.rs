//! The output tree's life cycle: every build writes a scratch tree beside the site and swaps
//! it in whole once it succeeded, so the live site is never half-written; the site it
//! replaces is kept beside it (`.gongkai-<name>-spare`) and becomes the next build's
//! scratch tree: files that come out the same are left alone ([`keep_if_same`]), others
//! rewritten in place, and those not written again removed ([`prune`]).
//!
//! Which folder is the output is decided by [`crate::write::paths`]; every tree made here
//! carries its mark ([`crate::write::paths::MARK`]), and a tree without it is never moved
//! or deleted ([`remove_tree`]).
//!
//! Why not delete the old site: on ext4, creating files within minutes of deleting as many
//! makes the inode allocator look at every recently freed inode before it picks one
//! (`recently_deleted` in the kernel's profile), and the cost grows with each rebuild. Five
//! 10,000-record rebuilds in a row, each writing a new tree of 10,575 files and 8,600
//! folders and deleting the previous one, took 4.3, 7.3, 8.1, 10.7 and 12.1 s. Rewriting
//! an existing file keeps its inode, as Hugo's one output folder does, without ever
//! writing into the live site. The price is a second copy of the site on disk, which may
//! be deleted at any time.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::status::Asker;
use crate::table::{HashMap, HashSet};
use crate::write::paths;

/// Where a build writes: a fresh folder, or a recycled tree with what it held before.
#[derive(Debug)]
pub struct Scratch {
    pub dir: PathBuf,
    /// What a recycled tree held before the build.
    before: Option<Inventory>,
}

/// A tree's files (relative to it) with their status-change times, and its empty folders.
/// A file whose time is the same after the build was not written by it. Files are named by
/// their relative path as plain bytes: hashing a `Path` goes component by component, and
/// 200,000 of them took most of a second.
#[derive(Debug)]
struct Inventory {
    files: HashMap<OsString, ChangeTime>,
    /// Its folders (but the tree's own) with their status-change times.
    dirs: HashMap<OsString, ChangeTime>,
    /// The folders that held nothing.
    empty: Vec<PathBuf>,
}

/// What a recycled tree held when a build began ([`Scratch::take_held`]), by relative path.
#[derive(Default)]
pub struct Held {
    pub files: HashMap<OsString, ChangeTime>,
    pub dirs: HashMap<OsString, ChangeTime>,
}

/// What a record of a tree says it held (`write::manifest`), relative to the tree: its
/// files, and its folders with their status-change times then. A folder whose time has not
/// moved since holds the same names: creating, removing or renaming anything in it moves
/// its time. So only the tree's top and the folders whose time moved are read again; every
/// file is still asked for its own time, which tells whether it was written since.
pub struct Listing<'a> {
    pub files: Vec<&'a str>,
    pub dirs: &'a [(String, ChangeTime)],
}

pub type ChangeTime = (i64, i64);

/// The hidden sibling of `out` named after `what` (same file system, so renames are atomic).
pub fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".gongkai-{name}-{what}"))
}

/// A sibling of `out` private to this process, so that two builds never share one.
pub fn private_sibling(out: &Path, what: &str) -> PathBuf {
    sibling(out, &format!("{what}-{}", std::process::id()))
}

/// How old a tree left by a build that is gone must be before another build removes it:
/// far longer than any build takes, so a live build whose process this one cannot see (in
/// another container sharing the folder) keeps its tree.
pub const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the private siblings of `out` (`.gongkai-<name>-tmp-<pid>`, `-old-<pid>`) that
/// builds killed midway left behind: at 100,000 records each is a copy of the site, 1.5 GB.
/// Only a tree whose process is gone and whose status changed `min_age` ago or longer is
/// removed; where either cannot be told, nothing is.
pub fn remove_abandoned(out: &Path, min_age: std::time::Duration) {
    // `.gongkai-<name>-` in the folder of `out`.
    let prefix = sibling(out, "");
    let (Some(parent), Some(name)) = (prefix.parent(), prefix.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = ["tmp-", "old-"].iter().find_map(|what| {
            file_name
                .strip_prefix(&*name)?
                .strip_prefix(what)?
                .parse::<u32>()
                .ok()
        }) else {
            continue;
        };
        if pid == std::process::id() || process_may_live(pid) {
            continue;
        }
        let old_enough = entry
            .metadata()
            .ok()
            .and_then(|m| change_time(&m))
            .and_then(|(secs, _)| {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()?;
                Some(now.as_secs() as i64 - secs >= min_age.as_secs() as i64)
            })
            .unwrap_or(false);
        if old_enough {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Whether process `pid` may still be running (where this cannot be told: yes).
fn process_may_live(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// The scratch tree of a build of `out`: the spare tree of the previous build when there is
/// one (taken by a rename, so a concurrent build cannot take it too), else a new folder.
pub fn prepare(out: &Path) -> io::Result<Scratch> {
    prepare_from(out, None)
}

/// The spare tree's inventory, read ahead of the build that takes it (`serve` reads it
/// while it waits for the next save, `build` while it reads the content: at 100,000
/// records that is a second and more of each rebuild), with what tells whether the spare
/// was taken since it was read.
#[derive(Debug)]
pub struct SpareReading {
    /// The spare's identity and status-change time when it was read. A build that takes the
    /// spare renames it, which moves its time, and what a build leaves as the spare is
    /// another tree; adding or removing a file at its top moves its time too. A file edited
    /// by hand deeper inside the hidden spare folder after the reading is not noticed.
    seen: ((u64, u64), ChangeTime),
    inventory: Inventory,
}

/// Reads the spare tree of `out` ahead of the build that takes it ([`prepare_from`]), from
/// what `listed` says it held if there is a record of it, else folder by folder.
pub fn read_spare(out: &Path, listed: Option<Listing>) -> Option<SpareReading> {
    let spare = sibling(out, "spare");
    if !paths::is_marked(&spare) {
        return None;
    }
    let before = seen(&spare)?;
    let inventory = match listed {
        Some(listed) => inventory_listed(&spare, &listed)?,
        None => inventory(&spare)?,
    };
    // Taken by a build while it was read: the reading is of no use.
    (seen(&spare)? == before).then_some(SpareReading {
        seen: before,
        inventory,
    })
}

fn seen(dir: &Path) -> Option<((u64, u64), ChangeTime)> {
    Some((tree_id(dir)?, change_time_of(dir)?))
}

/// [`prepare`], taking the spare's inventory from `reading` if the spare is still the tree
/// it read, as it was.
pub fn prepare_from(out: &Path, reading: Option<SpareReading>) -> io::Result<Scratch> {
    remove_abandoned(out, ABANDONED_AFTER);
    let dir = private_sibling(out, "tmp");
    remove_tree(&dir)?;
    let spare = sibling(out, "spare");
    // A spare kept by a gongkai from before the mark is one all the same.
    if !paths::is_marked(&spare) && paths::is_older_output(&spare, paths::Purpose::Site) {
        paths::mark(&spare)?;
    }
    // Without the parent folder there is no spare either: `prepare_fresh` makes both. A
    // spare without the mark is not gongkai's: it is left where it is.
    let ahead = reading.filter(|r| seen(&spare) == Some(r.seen));
    if paths::is_marked(&spare) && fs::rename(&spare, &dir).is_ok() {
        // The tree renamed is the one read (not one a build left there in between).
        let ahead = ahead.filter(|r| tree_id(&dir) == Some(r.seen.0));
        match ahead.map(|r| r.inventory).or_else(|| inventory(&dir)) {
            Some(before) => {
                // The mark is written by every build, so that `prune` keeps it.
                if !keep_if_same(&dir.join(paths::MARK), paths::mark_bytes()) {
                    paths::mark(&dir)?;
                }
                crash_point("prepared");
                return Ok(Scratch {
                    dir,
                    before: Some(before),
                });
            }
            // Something other than files and folders: start afresh rather than write
            // through a link someone put there.
            None => remove_tree(&dir)?,
        }
    }
    prepare_fresh(out)
}

/// A new, empty scratch tree for `out` (holding only gongkai's mark), whatever spare tree
/// there is.
pub fn prepare_fresh(out: &Path) -> io::Result<Scratch> {
    let dir = private_sibling(out, "tmp");
    remove_tree(&dir)?;
    fs::create_dir_all(&dir)?;
    paths::mark(&dir)?;
    Ok(Scratch { dir, before: None })
}

/// Deletes the tree at `dir` if gongkai made it (it carries the mark) or it is an empty
/// folder; nothing there is fine too. Anything else is left as it is, and is an error.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.is_dir() && paths::is_marked(dir) => fs::remove_dir_all(dir),
        Ok(meta) if meta.is_dir() && fs::remove_dir(dir).is_ok() => Ok(()),
        Ok(_) => Err(io::Error::other(crate::zh_en!(
            format!(
                "{} 不是 gongkai 生成的，保持原样未动；请把它移走",
                dir.display()
            ),
            format!(
                "{} was not made by gongkai: it is left as it is; move it away",
                dir.display()
            )
        ))),
    }
}

impl Scratch {
    /// Whether the tree held a previous site when the build began.
    pub fn is_recycled(&self) -> bool {
        self.before.is_some()
    }

    /// The status-change time the file `rel` (relative to [`Scratch::dir`]) had before this
    /// build: `None` for a fresh tree, or a file it did not hold.
    pub fn change_time_before(&self, rel: &str) -> Option<ChangeTime> {
        self.before.as_ref()?.files.get(OsStr::new(rel)).copied()
    }

    /// Takes the files `made` (relative to [`Scratch::dir`]) out of what the recycled tree
    /// held, each with the status-change time it had before this build (`None` for a fresh
    /// tree, or a file it did not hold). [`prune`] then looks only at the files the build
    /// did not make, and [`Scratch::take_held`] gives only those: the 200,000 files a build
    /// makes at 100,000 records are taken out once, on the build's last stretch, rather than
    /// gathered in a table for one and taken out again for the other.
    pub fn set_apart<'a>(
        &mut self,
        made: impl Iterator<Item = &'a str>,
    ) -> Vec<Option<ChangeTime>> {
        match self.before.as_mut() {
            Some(before) => made.map(|f| before.files.remove(OsStr::new(f))).collect(),
            None => made.map(|_| None).collect(),
        }
    }

    /// What the recycled tree held before this build, for its record: its files (but those
    /// set apart, [`Scratch::set_apart`]), and its folders with their times then; taken, so
    /// that [`Scratch::change_time_before`] knows nothing afterwards. A file or folder this
    /// build made is not among them: the folder it was made in moved its time, and is read
    /// again by the next build that recycles the tree ([`Listing`]). Nothing for a fresh
    /// tree.
    pub fn take_held(&mut self) -> Held {
        match self.before.as_mut() {
            Some(before) => Held {
                files: std::mem::take(&mut before.files),
                dirs: std::mem::take(&mut before.dirs),
            },
            None => Held::default(),
        }
    }
}

/// The status-change time of the file at `path`, where the system has one.
pub fn change_time_of(path: &Path) -> Option<ChangeTime> {
    change_time(&fs::symlink_metadata(path).ok()?)
}

/// What tells one tree from another however it is renamed: its device and inode.
#[cfg(unix)]
pub fn tree_id(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(dir).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn tree_id(_dir: &Path) -> Option<(u64, u64)> {
    None
}

/// Deletes a scratch tree that is not to be kept, not even as the next build's spare.
pub fn remove(scratch: Scratch) {
    let _ = remove_tree(&scratch.dir);
}

/// Files with their change times and folders under `dir`; `None` if anything else is there
/// (a symbolic link) or its times cannot be read. Folders are read in parallel: a
/// 100,000-record tree holds over 200,000 files in 100,000 folders, and one thread reading
/// their metadata took 2.3 s of a rebuild that renders six pages.
fn inventory(dir: &Path) -> Option<Inventory> {
    let found = Found::default();
    rayon::scope(|s| visit(s, dir.to_path_buf(), PathBuf::new(), &found, None));
    found.into_inventory(HashMap::default())
}

/// What a walk of folders found.
#[derive(Default)]
struct Found {
    files: Mutex<Vec<(OsString, ChangeTime)>>,
    dirs: Mutex<Vec<(OsString, ChangeTime)>>,
    empty: Mutex<Vec<PathBuf>>,
    /// Something other than files and folders.
    other: std::sync::atomic::AtomicBool,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Found {
    fn into_inventory(self, mut files: HashMap<OsString, ChangeTime>) -> Option<Inventory> {
        fn inner<T>(m: Mutex<T>) -> T {
            m.into_inner().unwrap_or_else(|e| e.into_inner())
        }
        if self.other.into_inner() {
            return None;
        }
        files.extend(inner(self.files));
        Some(Inventory {
            files,
            dirs: inner(self.dirs).into_iter().collect(),
            empty: inner(self.empty),
        })
    }
}

/// What a walk need not find again: the folders and files a listing accounted for.
struct Known<'a> {
    dirs: HashSet<&'a str>,
    files: &'a HashMap<OsString, ChangeTime>,
}

/// Reads the folder `dir`, which is `rel` in the tree, and every folder in it, leaving out
/// what `known` holds (and the folders in a known one).
fn visit<'s>(
    s: &rayon::Scope<'s>,
    dir: PathBuf,
    rel: PathBuf,
    found: &'s Found,
    known: Option<&'s Known<'s>>,
) {
    use std::sync::atomic::Ordering;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let mut entries = 0;
    let mut list = || -> io::Result<bool> {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            entries += 1;
            let (kind, sub) = (entry.file_type()?, rel.join(entry.file_name()));
            if !kind.is_dir() && !kind.is_file() {
                return Ok(false);
            }
            let is_known = known.is_some_and(|k| match kind.is_dir() {
                true => sub.to_str().is_some_and(|d| k.dirs.contains(d)),
                false => k.files.contains_key(sub.as_os_str()),
            });
            if is_known {
                continue;
            }
            let Some(time) = change_time(&entry.metadata()?) else {
                return Ok(false);
            };
            match kind.is_dir() {
                true => dirs.push((entry.file_name(), sub.into_os_string(), time)),
                false => files.push((sub.into_os_string(), time)),
            }
        }
        Ok(true)
    };
    if !list().unwrap_or(false) {
        found.other.store(true, Ordering::Relaxed);
        return;
    }
    if entries == 0 {
        locked(&found.empty).push(dir.clone());
    }
    let mut found_dirs = Vec::with_capacity(dirs.len());
    for (name, sub_rel, time) in dirs {
        let sub = dir.join(name);
        found_dirs.push((sub_rel.clone(), time));
        s.spawn(move |s| visit(s, sub, PathBuf::from(sub_rel), found, None));
    }
    locked(&found.dirs).extend(found_dirs);
    locked(&found.files).extend(files);
}

/// [`inventory`] of a tree `listed` says what it held: each listed file and folder is
/// asked for its time (one call each, where reading 100,000 folders took three each), and
/// only the top and the folders whose time moved are read, with any folder in them the
/// listing does not know.
fn inventory_listed(dir: &Path, listed: &Listing) -> Option<Inventory> {
    use rayon::prelude::*;
    /// What asking for a listed name found: its time, or nothing there of its kind.
    fn asked(asker: &Asker, rel: &str, want_dir: bool) -> Option<Option<ChangeTime>> {
        match asker.ask(Path::new(rel)) {
            Ok(status) if status.is_dir == want_dir && (want_dir || status.is_file) => {
                Some(Some(status.times?.changed))
            }
            // Its folder's time moved, so that folder is read.
            Ok(_) => Some(None),
            Err(e) if is_gone(&e) => Some(None),
            Err(_) => None,
        }
    }
    let names = listed.dirs.iter().map(|(rel, _)| rel.as_str());
    let names = names.chain(listed.files.iter().copied()).map(OsStr::new);
    let asker = Asker::not_following(dir, names);
    let dirs: Vec<(&str, Option<ChangeTime>, ChangeTime)> = listed
        .dirs
        .par_iter()
        .map(|(rel, then)| Some((rel.as_str(), asked(&asker, rel, true)?, *then)))
        .collect::<Option<_>>()?;
    let files: Vec<(&str, ChangeTime)> = listed
        .files
        .par_iter()
        .map(|rel| match asked(&asker, rel, false) {
            Some(Some(time)) => Some(Some((*rel, time))),
            Some(None) => None,
            None => Some(None),
        })
        .flatten()
        .collect::<Option<_>>()?;
    // The folders that hold nothing are those neither a file nor a folder names its
    // parent. The table of files, the known folders and the parents of what was listed are
    // made at once, each on a thread: 200,000 names and more at 100,000 records.
    let present_dirs = || dirs.iter().filter(|(_, now, _)| now.is_some());
    let (files, (known_dirs, listed_parents)) = rayon::join(
        || {
            let mut table: HashMap<OsString, ChangeTime> =
                crate::table::map_with_capacity(files.len());
            table.extend(
                files
                    .iter()
                    .map(|(rel, time)| (OsString::from(*rel), *time)),
            );
            table
        },
        || {
            rayon::join(
                || dirs.iter().map(|(rel, ..)| *rel).collect::<HashSet<&str>>(),
                || {
                    let mut parents: HashSet<&[u8]> = HashSet::default();
                    parents.reserve(dirs.len());
                    let listed = files.iter().map(|(rel, _)| *rel);
                    let dirs = present_dirs().map(|(rel, ..)| *rel);
                    parents.extend(listed.chain(dirs).map(|rel| parent(rel.as_ref())));
                    parents
                },
            )
        },
    );
    let known = Known {
        dirs: known_dirs,
        files: &files,
    };
    let moved = std::iter::once("").chain(
        dirs.iter()
            .filter(|(_, now, then)| now.is_some_and(|now| now != *then))
            .map(|(rel, ..)| *rel),
    );
    let found = Found::default();
    rayon::scope(|s| {
        for rel in moved {
            let (sub, rel) = (dir.join(rel), PathBuf::from(rel));
            let (found, known) = (&found, &known);
            s.spawn(move |s| visit(s, sub, rel, found, Some(known)));
        }
    });
    // What reading the folders found beside the listing: few.
    let found_parents: HashSet<Vec<u8>> = {
        let files = locked(&found.files);
        let dirs = locked(&found.dirs);
        let names = files.iter().chain(dirs.iter());
        names.map(|(rel, _)| parent(rel).to_vec()).collect()
    };
    locked(&found.dirs)
        .extend(present_dirs().filter_map(|(rel, now, _)| Some((OsString::from(*rel), (*now)?))));
    let mut inventory = found.into_inventory(files)?;
    let empty: Vec<PathBuf> = inventory
        .dirs
        .keys()
        .filter(|rel| {
            let rel = rel.as_encoded_bytes();
            !listed_parents.contains(rel) && !found_parents.contains(rel)
        })
        .map(|rel| dir.join(rel))
        .collect();
    inventory.empty = empty;
    Some(inventory)
}

/// The folder `rel` is in, cut at its last separator as bytes (`Path::parent` parses every
/// component of 300,000 names): empty at the top of the tree.
fn parent(rel: &OsStr) -> &[u8] {
    let bytes = rel.as_encoded_bytes();
    let cut = bytes
        .iter()
        .rposition(|&b| std::path::is_separator(b as char));
    &bytes[..cut.unwrap_or(0)]
}

fn is_gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

#[cfg(unix)]
fn change_time(meta: &fs::Metadata) -> Option<ChangeTime> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.ctime(), meta.ctime_nsec()))
}

/// Without a status-change time nothing is recycled (see [`inventory`]).
#[cfg(not(unix))]
fn change_time(_meta: &fs::Metadata) -> Option<ChangeTime> {
    None
}

/// Removes what a recycled tree held and this build did not write: files whose change time
/// did not move (opening a file to rewrite it truncates it, which moves the time, whatever
/// the clock says) and that are neither in `kept` (files, relative to the tree, that the
/// build made or found already right) nor set apart as made ([`Scratch::set_apart`]), then
/// folders left empty.
pub fn prune(scratch: &Scratch, kept: &HashSet<&str>) -> io::Result<()> {
    use rayon::prelude::*;
    let Some(Inventory { files, empty, .. }) = &scratch.before else {
        return Ok(());
    };
    let removed = files
        .par_iter()
        .filter(|(rel, _)| !rel.to_str().is_some_and(|rel| kept.contains(rel)))
        .map(|(rel, time)| {
            let path = scratch.dir.join(rel);
            match fs::symlink_metadata(&path) {
                Ok(meta) if change_time(&meta).as_ref() == Some(time) => {
                    fs::remove_file(&path).map(|()| Some(path))
                }
                Ok(_) => Ok(None),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        })
        .collect::<io::Result<Vec<Option<PathBuf>>>>()?;
    // Only a folder that lost a file, or held none, can have been left empty; asking the
    // others (100,000 at 100,000 records) would fail for each.
    let folders = removed
        .iter()
        .flatten()
        .filter_map(|file| file.parent())
        .chain(empty.iter().map(PathBuf::as_path));
    let mut candidates: Vec<&Path> = folders
        .flat_map(|folder| {
            folder
                .ancestors()
                .take_while(|a| *a != scratch.dir.as_path())
        })
        .collect();
    // Children before their parents.
    candidates.sort_unstable_by_key(|d| std::cmp::Reverse((d.components().count(), *d)));
    candidates.dedup();
    for dir in candidates {
        // Fails, as it should, for every folder the build wrote into.
        let _ = fs::remove_dir(dir);
    }
    crash_point("pruned");
    Ok(())
}

/// Whether `path` holds exactly `bytes` already, as most files of a recycled tree do; such a
/// file is left as it is, its modification time too, and only marked as written by this
/// build (`mark_written`).
/// Rewriting it would free its blocks and allocate new ones, which on a disk mounted with
/// `discard` made a recycled 100,000-record rebuild 15 s slower than writing a new tree.
pub fn keep_if_same(path: &Path, bytes: &[u8]) -> bool {
    keep_if_same_parts(path, &[bytes])
}

/// [`keep_if_same`] for the bytes of `parts`, one after the other.
pub fn keep_if_same_parts(path: &Path, parts: &[&[u8]]) -> bool {
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let Ok(meta) = file.metadata() else {
        return false;
    };
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if !meta.is_file() || meta.len() != len as u64 {
        return false;
    }
    let mut file = io::BufReader::with_capacity(16 << 10, file);
    let mut chunk = [0u8; 16 << 10];
    for bytes in parts {
        let mut at = 0;
        while at < bytes.len() {
            let n = (bytes.len() - at).min(chunk.len());
            if io::Read::read_exact(&mut file, &mut chunk[..n]).is_err()
                || chunk[..n] != bytes[at..at + n]
            {
                return false;
            }
            at += n;
        }
    }
    mark_written(path, &meta).is_ok()
}

/// Writes the bytes of `parts`, one after the other, over the file at `path` (made if it is
/// not there): only the stretches of `OVER_CHUNK` bytes that differ are written, and the
/// file is then cut to its new length. A file left with the same bytes is marked as written
/// by this build (`mark_written`), as [`keep_if_same`] does.
///
/// For a large file of a recycled tree that differs in a few places: a catalog of 100,000
/// records (80 MB) after one title changed. Truncating and writing it whole frees every
/// block and allocates as many again (discarded on a disk mounted with `discard`), and
/// hands all of it to the disk once more; the file's cached pages are mostly overwritten
/// with what they hold.
#[cfg(unix)]
pub fn write_over(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    let file = match fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
    {
        Ok(file) => file,
        // Not readable: written whole, as any other file.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return write_anew(path, parts);
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
    let mut old = vec![0u8; OVER_CHUNK];
    let mut new = Vec::with_capacity(OVER_CHUNK);
    let (mut at, mut wrote) = (0u64, false);
    let mut flush = |new: &mut Vec<u8>, at: &mut u64| -> io::Result<()> {
        let n = new.len();
        let held = match meta.len().saturating_sub(*at) {
            0 => 0,
            left => read_fully_at(&file, &mut old[..n.min(left as usize)], *at)?,
        };
        if held != n || old[..n] != new[..] {
            file.write_all_at(new, *at)?;
            wrote = true;
        }
        *at += n as u64;
        new.clear();
        Ok(())
    };
    for mut part in parts.iter().copied() {
        while !part.is_empty() {
            let take = (OVER_CHUNK - new.len()).min(part.len());
            new.extend_from_slice(&part[..take]);
            part = &part[take..];
            if new.len() == OVER_CHUNK {
                flush(&mut new, &mut at)?;
            }
        }
    }
    if !new.is_empty() {
        flush(&mut new, &mut at)?;
    }
    if meta.len() != len {
        file.set_len(len)?;
    } else if !wrote {
        mark_written(path, &meta)?;
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn write_over(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    write_anew(path, parts)
}

/// The stretch [`write_over`] compares and writes at once.
const OVER_CHUNK: usize = 256 << 10;

/// Reads into `buf` from `at` until it is full or the file ends; how much it read.
#[cfg(unix)]
fn read_fully_at(file: &fs::File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Writes the bytes of `parts` to a file at `path` made anew (emptied if it was there), in
/// place: unlike [`crate::write::write_whole`], which renames a finished file over it, for
/// the scratch tree, which no one reads while it is written.
pub fn write_anew(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    use io::Write;
    let f = fs::File::create(path)?;
    let mut f = io::BufWriter::with_capacity(64 << 10, f);
    for part in parts {
        f.write_all(part)?;
    }
    f.flush()
}

/// Marks a file this build left as it was as written by it: a mode change to the same mode
/// moves its status-change time, which [`prune`] reads.
fn mark_written(path: &Path, meta: &fs::Metadata) -> io::Result<()> {
    fs::set_permissions(path, meta.permissions())
}

/// Copies the file `src` to `dest` unless `dest` is already a copy of it: same size and the
/// same modification time, which every copy made here is given (rsync's quick check). An
/// attachment folder can hold gigabytes of PDFs, so comparing their bytes, as
/// [`keep_if_same`] does for rendered pages, would cost nearly what copying them does.
/// A kept copy is marked as written by this build (`mark_written`).
pub fn copy_if_changed(src: &Path, dest: &Path) -> io::Result<()> {
    let from = fs::metadata(src)?;
    if let Ok(to) = fs::symlink_metadata(dest) {
        if to.is_file() && to.len() == from.len() && to.modified()? == from.modified()? {
            return mark_written(dest, &to);
        }
        // A copy of a read-only source is read-only too: replace it rather than write into it.
        fs::remove_file(dest)?;
    }
    fs::copy(src, dest)?;
    // The copy's time is the source's, so the next build recognises it and an HTTP server's
    // Last-Modified says when the attachment changed, not when the site was last built.
    // (Setting the time needs ownership, not write access.)
    fs::File::open(dest)?.set_modified(from.modified()?)
}

/// Swaps the finished scratch tree into place at `out`; the site it replaces becomes the
/// spare tree of the next build.
pub fn swap_into_place(scratch: Scratch, out: &Path) -> io::Result<()> {
    crash_point("before-swap");
    if let Some(old) = replace(&scratch.dir, out)? {
        crash_point("swapped");
        keep_as_spare(&old, out);
    }
    crash_point("spared");
    Ok(())
}

/// Swaps the finished scratch tree into place at `out` and deletes the tree it replaced,
/// for outputs that are written afresh every time (the tantivy index).
pub fn swap_deleting_old(scratch: Scratch, out: &Path) -> io::Result<()> {
    if let Some(old) = replace(&scratch.dir, out)? {
        remove_tree(&old)?;
    }
    Ok(())
}

/// Puts the finished tree `new` at `out` and returns where the tree it replaced now is (a
/// private sibling), if there was one. Readers see the old tree or the new one, never a mix
/// and never nothing: on Linux the two are exchanged in one step (`renameat2` with
/// `RENAME_EXCHANGE`), so a build killed at any moment leaves one of them at `out`.
///
/// Where the operating system or the file system cannot exchange, the old tree is renamed
/// aside and the new one into its place: for that moment `out` does not exist, and a build
/// killed in it leaves the old tree at `.gongkai-<name>-old-<pid>` and the new one at
/// `.gongkai-<name>-tmp-<pid>`. If the second rename fails, the old tree is put back.
pub fn replace(new: &Path, out: &Path) -> io::Result<Option<PathBuf>> {
    let empty = fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none());
    if out.exists() && !empty && !paths::is_marked(out) {
        // The last line of defence behind paths::decide: what is not gongkai's is
        // never moved.
        return Err(io::Error::other(crate::zh_en!(
            format!("{} 不是 gongkai 生成的，保持原样未动", out.display()),
            format!(
                "{} was not made by gongkai: it is left as it is",
                out.display()
            )
        )));
    }
    if fs::symlink_metadata(out).is_err() {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        fs::rename(new, out)?;
        return Ok(None);
    }
    match exchange(new, out) {
        Ok(()) => return Ok(Some(new.to_path_buf())),
        Err(e) if !exchange_unsupported(&e) => return Err(e),
        Err(_) => {}
    }
    let old = private_sibling(out, "old");
    remove_tree(&old)?;
    fs::rename(out, &old)?;
    crash_point("moved-aside");
    if let Err(e) = fs::rename(new, out) {
        // Put the previous tree back: it must survive a failed swap.
        let _ = fs::rename(&old, out);
        return Err(e);
    }
    Ok(Some(old))
}

/// Exchanges the two paths atomically: each then names what the other did.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // The raw system call rather than glibc's wrapper, which older C libraries lack.
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether an exchange failed because this kernel or file system has none (then the two
/// renames are the way), not because of the paths.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if let Some(code) = e.raw_os_error() {
        return [libc::ENOSYS, libc::EINVAL, libc::EOPNOTSUPP].contains(&code);
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Test builds only: ends the process at the named step of a swap when
/// `GONGKAI_TEST_CRASH_AT` names it, as a kill would, for the kill-at-every-step test.
#[cfg(test)]
fn crash_point(step: &str) {
    if std::env::var("GONGKAI_TEST_CRASH_AT").as_deref() == Ok(step) {
        std::process::exit(86);
    }
}

#[cfg(not(test))]
#[inline(always)]
fn crash_point(_step: &str) {}

/// A failed build's tree: kept as the spare (the next build prunes what it does not write).
pub fn discard(scratch: Scratch, out: &Path) {
    keep_as_spare(&scratch.dir, out);
}

fn keep_as_spare(tree: &Path, out: &Path) {
    // A concurrent build may have left a spare already; one is enough.
    if fs::rename(tree, sibling(out, "spare")).is_err() {
        let _ = remove_tree(tree);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn generation(out: &Path, files: &[&str]) {
        let scratch = prepare(out).unwrap();
        for f in files {
            write(&scratch.dir, f, f);
        }
        prune(&scratch, &HashSet::default()).unwrap();
        swap_into_place(scratch, out).unwrap();
    }

    #[test]
    fn a_spare_read_ahead_is_used_only_while_it_is_the_tree_it_read() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let spare = sibling(&out, "spare");
        generation(&out, &["index.html", "a/index.html"]);
        generation(&out, &["index.html", "a/index.html"]);
        let time = |scratch: &Scratch| scratch.change_time_before("a/index.html").unwrap();
        let before = change_time_of(&spare.join("a/index.html")).unwrap();
        // Read ahead, and used: a file edited by hand inside the hidden spare in between is
        // not seen (what the reading documents).
        let reading = read_spare(&out, None).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(spare.join("a/index.html"), "edited").unwrap();
        let scratch = prepare_from(&out, Some(reading)).unwrap();
        assert_eq!(time(&scratch), before);
        swap_into_place(scratch, &out).unwrap();
        // Read ahead, then the spare taken by another build and a spare left again: the
        // spare is read afresh.
        let reading = read_spare(&out, None).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let elsewhere = tmp.path().join("elsewhere");
        fs::rename(&spare, &elsewhere).unwrap();
        fs::write(elsewhere.join("a/index.html"), "rewritten").unwrap();
        fs::rename(&elsewhere, &spare).unwrap();
        let now = change_time_of(&spare.join("a/index.html")).unwrap();
        let scratch = prepare_from(&out, Some(reading)).unwrap();
        assert_eq!(time(&scratch), now);
        swap_into_place(scratch, &out).unwrap();
        // A file added at the spare's top moves its time as well.
        let reading = read_spare(&out, None).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&spare, "stray.html", "stray");
        let scratch = prepare_from(&out, Some(reading)).unwrap();
        assert!(scratch.change_time_before("stray.html").is_some());
    }

    /// An inventory as plain sorted lists, to compare.
    type Plain = (
        Vec<(OsString, ChangeTime)>,
        Vec<(OsString, ChangeTime)>,
        Vec<PathBuf>,
    );

    fn plain(inventory: Inventory) -> Plain {
        let mut files: Vec<_> = inventory.files.into_iter().collect();
        let mut dirs: Vec<_> = inventory.dirs.into_iter().collect();
        let mut empty = inventory.empty;
        files.sort();
        dirs.sort();
        empty.sort();
        (files, dirs, empty)
    }

    #[test]
    fn a_tree_read_from_its_listing_is_what_reading_every_folder_finds() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("tree");
        for rel in [
            "index.html",
            "a/index.html",
            "a/index.json",
            "b/x/index.html",
            "b/y/index.html",
            "c/index.html",
            "d/deep/er/index.html",
        ] {
            write(&dir, rel, rel);
        }
        fs::create_dir_all(dir.join("empty/inside")).unwrap();
        let then = inventory(&dir).unwrap();
        let files: Vec<String> = then
            .files
            .keys()
            .map(|f| f.to_str().unwrap().to_string())
            // Listed, never there: as a page the build meant to write and did not.
            .chain(["b/never.html".to_string()])
            .collect();
        let dirs: Vec<(String, ChangeTime)> = then
            .dirs
            .iter()
            .map(|(d, t)| (d.to_str().unwrap().to_string(), *t))
            .collect();
        let listing = || Listing {
            files: files.iter().map(String::as_str).collect(),
            dirs: &dirs,
        };
        assert_eq!(
            plain(inventory_listed(&dir, &listing()).unwrap()),
            plain(inventory(&dir).unwrap())
        );
        // The times move: later changes fall in a later clock tick.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&dir, "a/index.html", "edited");
        write(&dir, "a/new.html", "added beside a listed file");
        write(
            &dir,
            "b/z/deeper/index.html",
            "a folder the listing does not know",
        );
        fs::remove_file(dir.join("b/y/index.html")).unwrap();
        fs::remove_dir_all(dir.join("c")).unwrap();
        fs::remove_dir(dir.join("empty/inside")).unwrap();
        write(&dir, "top.html", "at the top");
        // A folder removed and made again under the same name holds what it holds now.
        fs::remove_dir_all(dir.join("d/deep")).unwrap();
        write(&dir, "d/deep/other.html", "remade");
        let listed = inventory_listed(&dir, &listing()).unwrap();
        let walked = inventory(&dir).unwrap();
        assert!(walked
            .files
            .contains_key(OsStr::new("b/z/deeper/index.html")));
        assert!(walked.empty.contains(&dir.join("empty")));
        assert_eq!(plain(listed), plain(walked));
        // Anything but files and folders, as for a walk: no inventory.
        std::os::unix::fs::symlink("/etc", dir.join("a/link")).unwrap();
        assert!(inventory_listed(&dir, &listing()).is_none());
    }

    #[test]
    fn the_third_build_rewrites_the_first_ones_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        generation(&out, &["index.html", "a/index.html", "gone/index.html"]);
        let inode = fs::metadata(out.join("a/index.html")).unwrap().ino();
        assert!(!sibling(&out, "spare").exists(), "no old site yet");
        generation(&out, &["index.html", "a/index.html", "gone/index.html"]);
        assert!(sibling(&out, "spare").join("a/index.html").is_file());
        generation(&out, &["index.html", "a/index.html", "new/x.csv"]);
        assert_eq!(fs::metadata(out.join("a/index.html")).unwrap().ino(), inode);
        assert_eq!(
            fs::read_to_string(out.join("new/x.csv")).unwrap(),
            "new/x.csv"
        );
        assert!(
            !out.join("gone").exists(),
            "a stale page and its folder survived"
        );
    }

    #[test]
    fn an_attachment_is_copied_again_only_when_it_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("a.pdf");
        fs::write(&src, "v1").unwrap();
        let out = tmp.path().join("public");
        let copy = |out: &Path| {
            let scratch = prepare(out).unwrap();
            copy_if_changed(&src, &scratch.dir.join("a.pdf")).unwrap();
            prune(&scratch, &HashSet::default()).unwrap();
            swap_into_place(scratch, out).unwrap();
        };
        copy(&out);
        let first = fs::metadata(out.join("a.pdf")).unwrap();
        assert_eq!(
            first.modified().unwrap(),
            fs::metadata(&src).unwrap().modified().unwrap(),
            "the copy carries the source's time"
        );
        // Mark both copies (the site's and, after the next build, the spare's) so that a
        // copy made again would show: the quick check trusts size and time.
        let mark = |path: &Path| {
            fs::write(path, "v!").unwrap();
            fs::File::open(path)
                .unwrap()
                .set_modified(first.modified().unwrap())
                .unwrap();
        };
        mark(&out.join("a.pdf"));
        copy(&out);
        mark(&out.join("a.pdf"));
        copy(&out);
        assert_eq!(
            fs::read_to_string(out.join("a.pdf")).unwrap(),
            "v!",
            "an unchanged attachment was copied again"
        );
        // Same size, new content, new time: copied.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&src, "v2").unwrap();
        copy(&out);
        assert_eq!(fs::read_to_string(out.join("a.pdf")).unwrap(), "v2");
        // A read-only source makes a read-only copy, which the next change still replaces.
        let mut ro = fs::metadata(&src).unwrap().permissions();
        ro.set_readonly(true);
        fs::set_permissions(&src, ro).unwrap();
        copy(&out);
        copy(&out);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut rw = fs::metadata(&src).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        rw.set_readonly(false);
        fs::set_permissions(&src, rw).unwrap();
        fs::write(&src, "v3").unwrap();
        copy(&out);
        assert_eq!(fs::read_to_string(out.join("a.pdf")).unwrap(), "v3");
    }

    #[test]
    fn pruning_keeps_what_the_build_made_and_removes_the_folders_it_emptied() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        generation(
            &out,
            &[
                "index.html",
                "deep/a/b/x.html",
                "deep/c/y.html",
                "k/kept.html",
                "s/apart.html",
            ],
        );
        generation(&out, &["index.html"]);
        fs::create_dir_all(sibling(&out, "spare").join("hollow/inner")).unwrap();
        let mut scratch = prepare(&out).unwrap();
        write(&scratch.dir, "deep/c/y.html", "written again");
        let times = scratch.set_apart(["s/apart.html", "new.html"].into_iter());
        assert!(times[0].is_some(), "held, with its time");
        assert_eq!(times[1], None, "not held");
        prune(&scratch, &HashSet::from_iter(["k/kept.html"])).unwrap();
        let held = scratch.take_held();
        let d = &scratch.dir;
        assert!(d.join("k/kept.html").is_file(), "found right, so kept");
        assert!(
            d.join("s/apart.html").is_file(),
            "set apart as made, so kept"
        );
        assert!(!held.files.contains_key(OsStr::new("s/apart.html")));
        assert!(held.files.contains_key(OsStr::new("k/kept.html")));
        assert!(d.join("deep/c/y.html").is_file(), "written, so kept");
        assert!(!d.join("index.html").exists(), "not made again, so stale");
        assert!(!d.join("deep/a").exists(), "a folder it emptied survived");
        assert!(!d.join("hollow").exists(), "an empty folder survived");
        assert!(d.join("deep").is_dir());
    }

    #[test]
    fn writing_over_a_file_leaves_it_holding_exactly_the_new_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("catalog.json");
        // Several chunks, so that some are left alone and some written.
        let old: Vec<u8> = (0..OVER_CHUNK * 3 + 17).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &old).unwrap();
        let mut changed = old.clone();
        changed[OVER_CHUNK + 5] ^= 1;
        let (head, tail) = changed.split_at(1000);
        write_over(&path, &[head, tail]).unwrap();
        assert_eq!(fs::read(&path).unwrap(), changed);
        // Shorter, then longer, split across the parts anywhere.
        let shorter = &old[..OVER_CHUNK + 3];
        write_over(&path, &[&shorter[..7], &shorter[7..]]).unwrap();
        assert_eq!(fs::read(&path).unwrap(), shorter);
        let mut longer = old.clone();
        longer.extend_from_slice(b"more");
        longer[0] = b'{';
        write_over(&path, &[&longer]).unwrap();
        assert_eq!(fs::read(&path).unwrap(), longer);
        // The same bytes: not written, so its modification time stays.
        let mtime = fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_over(&path, &[&longer[..3], &longer[3..]]).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        // Emptied, and a file that was not there.
        write_over(&path, &[]).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"");
        let new = tmp.path().join("new.csv");
        write_over(&new, &[b"a,b\n", b"1,2\n"]).unwrap();
        assert_eq!(fs::read(&new).unwrap(), b"a,b\n1,2\n");
    }

    #[test]
    fn an_unchanged_file_is_kept_and_survives_the_pruning() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        generation(&out, &["same.html", "changed.html"]);
        generation(&out, &["other.html"]);
        let scratch = prepare(&out).unwrap();
        let same = scratch.dir.join("same.html");
        let mtime = fs::metadata(&same).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(keep_if_same(&same, b"same.html"));
        assert!(!keep_if_same(
            &scratch.dir.join("changed.html"),
            b"new text"
        ));
        assert!(!keep_if_same(&scratch.dir.join("same.html"), b"same.htmX"));
        assert!(!keep_if_same(&scratch.dir.join("missing.html"), b""));
        prune(&scratch, &HashSet::default()).unwrap();
        assert_eq!(fs::metadata(&same).unwrap().modified().unwrap(), mtime);
        assert!(
            !scratch.dir.join("changed.html").exists(),
            "not written, so stale"
        );
        swap_into_place(scratch, &out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("same.html")).unwrap(),
            "same.html"
        );
    }

    #[test]
    fn a_link_in_the_spare_tree_is_not_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let outside = tmp.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        generation(&out, &["index.html"]);
        generation(&out, &["index.html"]);
        let spare = sibling(&out, "spare");
        fs::remove_file(spare.join("index.html")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("index.html")).unwrap();
        generation(&out, &["index.html"]);
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
        let meta = fs::symlink_metadata(out.join("index.html")).unwrap();
        assert!(meta.file_type().is_file());
    }

    #[test]
    fn trees_of_killed_builds_are_removed_and_live_ones_kept() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        // Above any pid_max: no such process.
        let dead = root.path().join(".gongkai-public-tmp-999999999");
        let dead_old = root.path().join(".gongkai-public-old-999999998");
        let mine = private_sibling(&out, "tmp");
        let other_site = root.path().join(".gongkai-site-tmp-999999999");
        let live = root.path().join(".gongkai-public-tmp-1");
        // Named like a killed build's tree, but without the mark: not gongkai's.
        let foreign = root.path().join(".gongkai-public-tmp-999999997");
        for d in [&dead, &dead_old, &mine, &other_site, &live, &foreign] {
            fs::create_dir_all(d.join("documents")).unwrap();
            if d != &foreign {
                paths::mark(d).unwrap();
            }
        }
        // Too recent: a build in another container may be writing it.
        remove_abandoned(&out, ABANDONED_AFTER);
        assert!(dead.exists() && dead_old.exists());
        remove_abandoned(&out, std::time::Duration::ZERO);
        assert!(!dead.exists() && !dead_old.exists());
        assert!(mine.exists(), "this process's own tree");
        assert!(other_site.exists(), "another output's tree");
        assert!(live.exists(), "the tree of a running process (init)");
        assert!(
            foreign.join("documents").exists(),
            "a tree without the mark"
        );
    }

    /// A site of `files`, each holding `text`.
    fn generation_of(out: &Path, files: &[&str], text: &str) {
        let scratch = prepare(out).unwrap();
        for f in files {
            write(&scratch.dir, f, text);
        }
        prune(&scratch, &HashSet::default()).unwrap();
        swap_into_place(scratch, out).unwrap();
    }

    /// What `out` holds: its files (the mark aside) with their texts.
    fn site_of(out: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(out)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file() && e.file_name() != paths::MARK)
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    const OLD: &[&str] = &["index.html", "old.html"];
    const NEW: &[&str] = &["index.html", "new.html"];

    /// Not a test of its own: the build that the kill test runs in a child process and
    /// ends at the step `GONGKAI_TEST_CRASH_AT` names. Without `GONGKAI_TEST_OUT` it does
    /// nothing.
    #[test]
    fn child_build_for_the_kill_test() {
        if let Some(out) = std::env::var_os("GONGKAI_TEST_OUT") {
            generation_of(Path::new(&out), NEW, "new");
        }
    }

    /// The child test's name as the test harness knows it (the module path without the crate).
    fn child_test_name() -> String {
        let module = module_path!().split_once("::").map_or("", |(_, m)| m);
        format!("{module}::child_build_for_the_kill_test")
    }

    #[test]
    fn a_build_killed_at_any_step_leaves_the_old_site_or_the_new_one() {
        let expect = |files: &[&str], text: &str| -> Vec<(String, String)> {
            files
                .iter()
                .map(|f| (f.to_string(), text.to_string()))
                .collect()
        };
        let (old, new) = (expect(OLD, "old"), expect(NEW, "new"));
        let steps = [
            "prepared",
            "pruned",
            "before-swap",
            "moved-aside",
            "swapped",
            "spared",
        ];
        let mut killed = 0;
        for step in steps {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("public");
            // Two builds, so that the killed one recycles a spare tree.
            generation_of(&out, OLD, "old");
            generation_of(&out, OLD, "old");
            let child = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", &child_test_name()])
                .args(["--test-threads", "1"])
                .env("GONGKAI_TEST_OUT", &out)
                .env("GONGKAI_TEST_CRASH_AT", step)
                .output()
                .unwrap();
            match child.status.code() {
                Some(86) => killed += 1,
                // Only the fallback of systems without an exchange reaches `moved-aside`.
                Some(0) => assert_eq!(step, "moved-aside", "step `{step}` was never reached"),
                other => panic!("child ended with {other:?}: {child:?}"),
            }
            let now = site_of(&out);
            assert!(now == old || now == new, "killed at `{step}`: {now:?}");
            if ["prepared", "pruned", "before-swap"].contains(&step) {
                assert_eq!(now, old, "killed at `{step}`");
            } else {
                assert_eq!(now, new, "killed at `{step}`");
            }
            // The next build goes through, and its site is exactly what it wrote.
            generation_of(&out, &["index.html", "third.html"], "third");
            assert_eq!(
                site_of(&out),
                expect(&["index.html", "third.html"], "third")
            );
        }
        assert_eq!(killed, steps.len() - 1);
    }

    #[test]
    fn the_live_site_is_never_missing_during_a_swap() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        generation_of(&out, &["index.html"], "0");
        let stop = std::sync::atomic::AtomicBool::new(false);
        let (missing, looks) = std::thread::scope(|s| {
            let poller = s.spawn(|| {
                let (mut missing, mut looks) = (0, 0);
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    looks += 1;
                    if fs::metadata(out.join("index.html")).is_err() {
                        missing += 1;
                    }
                }
                (missing, looks)
            });
            for i in 1..=200 {
                generation_of(&out, &["index.html"], &i.to_string());
            }
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            poller.join().unwrap()
        });
        assert!(looks > 200, "the poller hardly looked: {looks}");
        assert_eq!(
            missing, 0,
            "index.html was missing {missing} times in {looks} looks"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "200");
    }

    #[test]
    fn a_folder_gongkai_did_not_make_is_never_moved() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("thesis");
        write(&out, "thesis.txt", "mine");
        let scratch = prepare_fresh(&out).unwrap();
        write(&scratch.dir, "index.html", "site");
        let tree = scratch.dir.clone();
        assert!(swap_into_place(scratch, &out).is_err());
        assert_eq!(fs::read_to_string(out.join("thesis.txt")).unwrap(), "mine");
        assert!(!out.join("index.html").exists());
        // Nor deleted as an abandoned or spare tree.
        assert!(remove_tree(&out).is_err());
        assert!(out.join("thesis.txt").exists());
        assert!(remove_tree(&tree).is_ok() && !tree.exists());
        // An empty folder may be replaced.
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        generation_of(&empty, &["index.html"], "site");
        assert!(paths::is_marked(&empty));
    }

    #[test]
    fn a_failed_build_leaves_the_site_and_one_spare() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        generation(&out, &["index.html"]);
        let scratch = prepare(&out).unwrap();
        write(&scratch.dir, "half.html", "half");
        discard(scratch, &out);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "index.html"
        );
        assert!(!out.join("half.html").exists());
        generation(&out, &["index.html", "b.html"]);
        let spare_free: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(spare_free.len(), 2, "{spare_free:?}");
        assert!(
            !out.join("half.html").exists(),
            "a failed build's file went live"
        );
    }
}
