//! Copies of fixture folders, for tests that build or change a portal without touching the
//! repository.

use std::fs;
use std::path::Path;

/// Copies the folder `from` into `to`, every file and folder, over what `to` already holds.
pub fn copy_tree(from: &Path, to: &Path) {
    copy_tree_except(from, to, |_| false);
}

/// [`copy_tree`], leaving out the files `skip` names by their path relative to `from`.
pub fn copy_tree_except(from: &Path, to: &Path, skip: impl Fn(&Path) -> bool) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else if !skip(rel) {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
