//! Asking many files under one folder for their status, as `fs::metadata` and
//! `fs::symlink_metadata` would. A build after a small change asks 300,000 names and more
//! at 100,000 records (every content file; every file and folder of the tree it recycles),
//! and most of each ask went into walking the path from `/` again, component by component.
//! On Linux a name is asked by its path from its folder, or else its folder's folder, held
//! open when many of the names are in it, or else from the root, held open too. Anything
//! that goes wrong that way is asked again by the whole path, so a name gets the answer, or
//! the error, the whole path gives.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::Path;

#[cfg(target_os = "linux")]
use crate::table::HashMap;

/// What a build needs to know of a file or folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    pub is_dir: bool,
    pub is_file: bool,
    pub len: u64,
    /// Its times, where the system has a status-change time.
    pub times: Option<Times>,
    pub inode: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Times {
    /// Modification time, in nanoseconds since the epoch.
    pub modified: i128,
    /// Status-change time: seconds and nanoseconds.
    pub changed: (i64, i64),
}

/// Asks names relative to `root`, from any number of threads at once.
pub struct Asker<'a> {
    root: &'a Path,
    /// Whether a symbolic link is followed (`fs::metadata`) or asked itself
    /// (`fs::symlink_metadata`).
    follow: bool,
    #[cfg(target_os = "linux")]
    held: Held,
}

/// The folders held open: the root, and the folders that hold many of the names, in them
/// or a folder down, by their path relative to the root.
#[cfg(target_os = "linux")]
#[derive(Default)]
struct Held {
    root: Option<rustix::fd::OwnedFd>,
    folders: HashMap<Vec<u8>, rustix::fd::OwnedFd>,
}

/// A folder is held open for the names in it only if it holds at least this many of them.
#[cfg(target_os = "linux")]
const HELD_FROM: usize = 16;
/// At most this many folders are held open at once, well below any limit on open files.
#[cfg(target_os = "linux")]
const HELD_AT_MOST: usize = 256;

impl<'a> Asker<'a> {
    /// An asker for `names` (and any other name under `root`) that follows symbolic links,
    /// as `fs::metadata` does.
    pub fn following<'n>(root: &'a Path, names: impl Iterator<Item = &'n OsStr>) -> Self {
        Self::new(root, true, names)
    }

    /// An asker for `names` (and any other name under `root`) that asks a symbolic link
    /// itself, as `fs::symlink_metadata` does.
    pub fn not_following<'n>(root: &'a Path, names: impl Iterator<Item = &'n OsStr>) -> Self {
        Self::new(root, false, names)
    }

    #[cfg_attr(not(target_os = "linux"), allow(unused_variables))]
    fn new<'n>(root: &'a Path, follow: bool, names: impl Iterator<Item = &'n OsStr>) -> Self {
        Asker {
            root,
            follow,
            #[cfg(target_os = "linux")]
            held: Held::open(root, names, HELD_FROM),
        }
    }

    /// The status of `rel`, a path relative to the root without `.` or `..` in it.
    pub fn ask(&self, rel: &Path) -> io::Result<Status> {
        #[cfg(target_os = "linux")]
        if let Some(status) = self.ask_from_held(rel) {
            return Ok(status);
        }
        self.ask_whole(rel)
    }

    fn ask_whole(&self, rel: &Path) -> io::Result<Status> {
        let path = self.root.join(rel);
        let meta = match self.follow {
            true => fs::metadata(path)?,
            false => fs::symlink_metadata(path)?,
        };
        Ok(of_metadata(&meta))
    }

    /// `None` when asking from a held folder did not answer: `ask_whole` asks then.
    #[cfg(target_os = "linux")]
    fn ask_from_held(&self, rel: &Path) -> Option<Status> {
        use rustix::fs::{AtFlags, FileType, StatxFlags};
        use std::os::unix::ffi::OsStrExt;
        let bytes = rel.as_os_str().as_bytes();
        if bytes.is_empty() {
            return None;
        }
        // Its folder if held, else its folder's folder, else the root.
        let in_folder = (1..=2).find_map(|up| {
            let (folder, rest) = cut(bytes, up)?;
            Some((self.held.folders.get(folder)?, rest))
        });
        let (fd, path) = match in_folder {
            Some(held) => held,
            None => (self.held.root.as_ref()?, bytes),
        };
        let at = match self.follow {
            true => AtFlags::empty(),
            false => AtFlags::SYMLINK_NOFOLLOW,
        };
        let want = StatxFlags::TYPE
            | StatxFlags::SIZE
            | StatxFlags::MTIME
            | StatxFlags::CTIME
            | StatxFlags::INO;
        let st = rustix::fs::statx(fd, OsStr::from_bytes(path), at, want).ok()?;
        if st.stx_mask & want.bits() != want.bits() {
            return None;
        }
        let kind = FileType::from_raw_mode(u32::from(st.stx_mode));
        let ns = |t: rustix::fs::StatxTimestamp| {
            i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec)
        };
        Some(Status {
            is_dir: kind == FileType::Directory,
            is_file: kind == FileType::RegularFile,
            len: st.stx_size,
            times: Some(Times {
                modified: ns(st.stx_mtime),
                changed: (st.stx_ctime.tv_sec, i64::from(st.stx_ctime.tv_nsec)),
            }),
            inode: st.stx_ino,
        })
    }
}

#[cfg(target_os = "linux")]
impl Held {
    /// Opens `root` and the folders that hold the most of `names`, in them or a folder down.
    fn open<'n>(root: &Path, names: impl Iterator<Item = &'n OsStr>, from: usize) -> Held {
        use rustix::fs::{Mode, OFlags};
        use std::os::unix::ffi::OsStrExt;
        let open = |path: &Path| {
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            rustix::fs::open(path, flags, Mode::empty()).ok()
        };
        let mut counts: HashMap<&[u8], usize> = HashMap::default();
        for name in names {
            for up in 1..=2 {
                if let Some((folder, _)) = cut(name.as_bytes(), up) {
                    *counts.entry(folder).or_default() += 1;
                }
            }
        }
        let mut most: Vec<(&[u8], usize)> =
            counts.into_iter().filter(|(_, n)| *n >= from).collect();
        most.sort_unstable_by_key(|(folder, n)| (std::cmp::Reverse(*n), *folder));
        most.truncate(HELD_AT_MOST);
        let folders = most
            .into_iter()
            .filter_map(|(folder, _)| {
                let fd = open(&root.join(OsStr::from_bytes(folder)))?;
                Some((folder.to_vec(), fd))
            })
            .collect();
        Held {
            root: open(root),
            folders,
        }
    }
}

/// `rel` cut before its last `up` components: the folder they are in and the path from
/// there. `None` for no components, a path of no more than `up`, or one that starts or ends
/// with a separator.
#[cfg(any(target_os = "linux", test))]
fn cut(rel: &[u8], up: usize) -> Option<(&[u8], &[u8])> {
    if rel.ends_with(b"/") || rel.starts_with(b"/") {
        return None;
    }
    let (at, _) = rel
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, &b)| b == b'/')
        .nth(up.checked_sub(1)?)?;
    Some((&rel[..at], &rel[at + 1..]))
}

#[cfg(unix)]
fn of_metadata(meta: &fs::Metadata) -> Status {
    use std::os::unix::fs::MetadataExt;
    let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
    Status {
        is_dir: meta.is_dir(),
        is_file: meta.is_file(),
        len: meta.len(),
        times: Some(Times {
            modified: ns(meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        }),
        inode: meta.ino(),
    }
}

#[cfg(not(unix))]
fn of_metadata(meta: &fs::Metadata) -> Status {
    Status {
        is_dir: meta.is_dir(),
        is_file: meta.is_file(),
        len: meta.len(),
        times: None,
        inode: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_cut_before_its_last_components() {
        let cut = |rel: &str, up| {
            cut(rel.as_bytes(), up).map(|(a, b)| {
                (
                    String::from_utf8(a.to_vec()).unwrap(),
                    String::from_utf8(b.to_vec()).unwrap(),
                )
            })
        };
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        let rel = "documents/2021/a/index.html";
        assert_eq!(cut(rel, 1), pair("documents/2021/a", "index.html"));
        assert_eq!(cut(rel, 2), pair("documents/2021", "a/index.html"));
        assert_eq!(cut(rel, 3), pair("documents", "2021/a/index.html"));
        assert_eq!(cut(rel, 4), None);
        assert_eq!(cut(rel, 0), None);
        assert_eq!(cut("documents/a", 2), None);
        assert_eq!(cut("index.html", 1), None);
        assert_eq!(cut("documents/", 1), None);
        assert_eq!(cut("", 1), None);
    }

    /// Every way a name can be (a file, a folder, a link to either, a dangling link,
    /// nothing, a file where a folder was expected) is answered as the whole path answers,
    /// following links or not, whichever folder was held before.
    #[test]
    fn every_name_is_answered_as_its_whole_path_answers() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a/b/c")).unwrap();
        fs::write(root.join("a/b/c/file.html"), "x").unwrap();
        fs::write(root.join("a/b/top.txt"), "hello").unwrap();
        fs::create_dir_all(root.join("d/e")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("c/file.html", root.join("a/b/link")).unwrap();
            symlink("c", root.join("a/b/dirlink")).unwrap();
            symlink("nowhere", root.join("a/b/dangling")).unwrap();
            symlink("../a/b", root.join("d/linked")).unwrap();
        }
        let names = [
            "a/b/c/file.html",
            "a/b/top.txt",
            "a/b/c",
            "a/b",
            "a",
            "a/b/link",
            "a/b/dirlink",
            "a/b/dirlink/file.html",
            "a/b/dangling",
            "a/b/missing",
            "a/missing/x",
            "a/b/top.txt/under",
            "d/e",
            "d/linked/c/file.html",
            "d/linked/top.txt",
            "missing/x/y",
        ];
        for follow in [true, false] {
            let asker = Asker {
                root,
                follow,
                // Every folder and its parent held, however few names they hold.
                #[cfg(target_os = "linux")]
                held: Held::open(root, names.iter().map(OsStr::new), 1),
            };
            #[cfg(target_os = "linux")]
            {
                assert!(asker.held.folders.contains_key(b"a/b".as_slice()));
                assert!(asker.held.folders.contains_key(b"a/b/c".as_slice()));
                assert!(asker.ask_from_held(Path::new("a/b/c/file.html")).is_some());
                assert!(asker.ask_from_held(Path::new("a")).is_some());
            }
            // Twice, in two orders, so that each name is asked with another folder held.
            for name in names.iter().chain(names.iter().rev()) {
                let whole = asker.ask_whole(Path::new(name));
                let asked = asker.ask(Path::new(name));
                match (whole, asked) {
                    (Ok(whole), Ok(asked)) => assert_eq!(whole, asked, "{name} ({follow})"),
                    (Err(whole), Err(asked)) => {
                        assert_eq!(whole.kind(), asked.kind(), "{name} ({follow})")
                    }
                    (whole, asked) => panic!("{name} ({follow}): {whole:?} but {asked:?}"),
                }
            }
        }
    }
}
