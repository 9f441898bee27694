//! The `gongkai` binary under test.
//!
//! A cargo target directory must not be shared by two working trees of this repository:
//! cargo gives the crate the same file names in both, so one tree's build can pass for the
//! other's. With one target directory per tree, the binary cargo built for these tests is
//! the one to run.

use std::path::PathBuf;
use std::process::Command;

pub fn gongkai() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gongkai"))
}

/// The binary, speaking Chinese whatever the locale of the machine running the tests: the
/// tests read its messages, and an `en_US` locale would otherwise turn them English.
pub fn command() -> Command {
    let mut c = Command::new(gongkai());
    c.env("GONGKAI_LANG", "zh");
    c
}
