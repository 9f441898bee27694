//! Writing into the output folder: one file, left untouched when its bytes are already there,
//! and the files copied as they are (the theme's assets, the portal's static files).
//!
//! Every generated file goes through [`Output`], which records what it wrote for the next
//! build (`write::manifest`): a file whose bytes hash to what the tree's manifest holds is
//! not even opened.

use std::fs;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::{codes, Diagnostic};
use crate::model::Portal;

use super::kept_rows::Kept;
use super::memo::{PageOutcome, Reuse};
use super::theme::Theme;

/// The tree a build writes into, with what it already holds (`reuse`) and what this build
/// put there.
pub struct Output<'a> {
    pub dir: &'a Path,
    reuse: &'a Reuse,
    /// The documents' catalog entries as the last build wrote them (`kept_rows`).
    kept_rows: Option<&'a Kept>,
    outcomes: Mutex<Vec<PageOutcome>>,
}

impl<'a> Output<'a> {
    pub fn new(dir: &'a Path, reuse: &'a Reuse) -> Output<'a> {
        Output {
            dir,
            reuse,
            kept_rows: None,
            outcomes: Mutex::new(Vec::new()),
        }
    }

    /// The same, taking the documents' catalog entries from `kept` where they are the same.
    pub fn keeping_rows(self, kept: Option<&'a Kept>) -> Output<'a> {
        Output {
            kept_rows: kept,
            ..self
        }
    }

    pub(super) fn kept_rows(&self) -> Option<&'a Kept> {
        self.kept_rows
    }

    /// Whether the tree's file `rel` holds what has `fingerprint`.
    pub(super) fn holds(&self, rel: &str, fingerprint: u64) -> bool {
        self.reuse.pages.get(rel) == Some(&fingerprint)
    }

    /// Records that the file `rel` holds what has `fingerprint`; `rendered`: written (or
    /// found the same) by this build, rather than trusted from the manifest.
    pub(super) fn record(&self, file: String, fingerprint: u64, rendered: bool) {
        let outcome = PageOutcome {
            file,
            fingerprint,
            rendered,
        };
        self.outcomes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(outcome);
    }

    /// Writes `bytes` to the file `rel`, unless the tree holds them already.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write_parts(rel, &[bytes]).map(|_| ())
    }

    /// Writes the bytes of `parts`, one after the other, to the file `rel`, unless the tree
    /// holds them already: a file of many records' entries (a catalog of 100,000 records
    /// is 80 MB) is never joined in memory. Returns the fingerprint of the file's bytes.
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<u64, Diagnostic> {
        let fingerprint = super::kept_rows::file_fingerprint(parts);
        let kept = self.holds(rel, fingerprint);
        if !kept {
            // A file the tree holds with another fingerprint of its bytes, untouched since,
            // holds other bytes: comparing them first (most of an 80 MB catalog) is no use.
            let differs = self.reuse.pages.contains_key(rel);
            write_file_parts(self.dir, rel, parts, !differs)?;
        }
        self.record(rel.to_string(), fingerprint, !kept);
        Ok(fingerprint)
    }

    /// What this build wrote or kept, for the manifest.
    pub fn into_outcomes(self) -> Vec<PageOutcome> {
        self.outcomes
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
    }
}

pub fn write_file(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_file_parts(out, rel, &[bytes], true)
}

/// Writes the bytes of `parts` to the file `rel` under `out`. `compare`: unless the file
/// holds them already (`tree::keep_if_same_parts`); else the file is known to hold other
/// bytes of the same kind, and only what differs is written over it (`tree::write_over`).
fn write_file_parts(
    out: &Path,
    rel: &str,
    parts: &[&[u8]],
    compare: bool,
) -> Result<(), Diagnostic> {
    use crate::write::tree;
    let path = out.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| io_error(&path, e))?;
    }
    let written = match compare {
        true if tree::keep_if_same_parts(&path, parts) => Ok(()),
        true => tree::write_anew(&path, parts),
        false => tree::write_over(&path, parts),
    };
    written.map_err(|e| io_error(&path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        codes::WRITE_FAILED,
        path,
        crate::zh_en!(
            format!(
                "无法写入 {}：{}",
                path.display(),
                crate::text::lang::io_reason(&e)
            ),
            format!("cannot write {}: {e}", path.display())
        ),
    )
}

pub(super) fn write_assets(
    p: &Portal,
    root: &Path,
    theme: &Theme,
    out: &Output,
) -> Result<usize, Diagnostic> {
    for a in &theme.assets {
        out.write(&format!("assets/{}", a.path), &a.bytes)?;
    }
    let static_dir = root.join("content").join("static");
    p.static_files.par_iter().try_for_each(|rel| {
        let dest = out.dir.join(rel);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(&dest, e))?;
        }
        crate::write::tree::copy_if_changed(&static_dir.join(rel), &dest)
            .map_err(|e| io_error(&dest, e))
    })?;
    Ok(theme.assets.len() + p.static_files.len())
}
