//! The `gongkai` binary under test.
//!
//! Normally `CARGO_BIN_EXE_gongkai`. During development several worktrees of this
//! repository may share one cargo target directory: the uplifted `target/debug/gongkai` is
//! then whichever worktree built last, and can change while tests run, while each worktree's
//! own binaries stay in `target/debug/deps/gongkai-<hash>`. So the newest binary in `deps/`
//! that was built from this crate's directory and has `subcommand` is used; without one (a
//! separate target directory, as in CI) `CARGO_BIN_EXE_gongkai`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `bin` is a gongkai binary with `subcommand` (test harnesses in `deps/` also
/// answer `--help`, but not with a subcommand's usage line).
fn has(bin: &Path, subcommand: &str) -> bool {
    Command::new(bin)
        .args([subcommand, "--help"])
        .output()
        .map(|o| {
            let out = String::from_utf8_lossy(&o.stdout);
            o.status.success()
                && out.contains("Usage: ")
                && out.contains(&format!(" {subcommand} [OPTIONS]"))
        })
        .unwrap_or(false)
}

/// Whether `bin` was built from this crate's directory (the debug info's compilation
/// directory, a NUL-terminated string).
fn built_here(bin: &Path) -> bool {
    let marker = format!("\0{}\0", env!("CARGO_MANIFEST_DIR"));
    let re = regex::bytes::Regex::new(&regex::escape(&marker)).unwrap();
    std::fs::read(bin).is_ok_and(|b| re.is_match(&b))
}

pub fn gongkai_with(subcommand: &str) -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_gongkai"));
    let deps = exe.parent().unwrap().join("deps");
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&deps)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix("gongkai-")?;
            if rest.contains('.') {
                return None;
            }
            let modified = e.metadata().ok()?.modified().ok()?;
            Some((modified, e.path()))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .rev()
        .map(|(_, p)| p)
        .find(|p| has(p, subcommand) && built_here(p))
        .unwrap_or(exe)
}
