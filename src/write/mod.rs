//! The write stage: which folders a build may replace ([`paths`]) and how a finished tree is
//! swapped into place ([`tree`]), and what each tree holds, so that the next build leaves
//! the pages that come out the same as they are ([`manifest`]).

pub mod manifest;
pub mod paths;
pub mod static_base;
pub mod tree;

use std::path::Path;

/// Writes `bytes` to `tmp`, then renames it over `path`: a reader finds the file as it was
/// or as it is now, never half written. What is left of `tmp` after a failure is removed.
pub fn write_whole(path: &Path, tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_whole_parts(path, tmp, &[bytes])
}

/// [`write_whole`] of the bytes of `parts`, one after the other, without joining them.
pub fn write_whole_parts(path: &Path, tmp: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(tmp)?;
        parts.iter().try_for_each(|part| file.write_all(part))
    };
    write()
        .and_then(|()| std::fs::rename(tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(tmp);
        })
}

/// [`write_whole_parts`] through `<path>-new-<pid>`, a temporary file of this process's own
/// beside `path`.
pub fn write_whole_beside(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!("-new-{}", std::process::id()));
    write_whole_parts(path, Path::new(&tmp), parts)
}
