//! Writing into the output folder: one file, left untouched when its bytes are already there,
//! and the files copied as they are (the theme's assets, the portal's static files).

use std::fs;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{codes, Diagnostic};
use crate::model::Portal;

use super::theme::Theme;

pub fn write_file(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = out.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| io_error(&path, e))?;
    }
    if crate::write::tree::keep_if_same(&path, bytes) {
        return Ok(());
    }
    let mut f = fs::File::create(&path).map_err(|e| io_error(&path, e))?;
    f.write_all(bytes).map_err(|e| io_error(&path, e))
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
    out: &Path,
) -> Result<usize, Diagnostic> {
    for a in &theme.assets {
        write_file(out, &format!("assets/{}", a.path), &a.bytes)?;
    }
    let static_dir = root.join("content").join("static");
    p.static_files.par_iter().try_for_each(|rel| {
        let dest = out.join(rel);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(&dest, e))?;
        }
        crate::write::tree::copy_if_changed(&static_dir.join(rel), &dest)
            .map_err(|e| io_error(&dest, e))
    })?;
    Ok(theme.assets.len() + p.static_files.len())
}
