//! The `gongkai` binary under test.
//!
//! A cargo target directory must not be shared by two working trees of this repository:
//! cargo gives the crate the same file names in both, so one tree's build can pass for the
//! other's. With one target directory per tree, the binary cargo built for these tests is
//! the one to run.

use std::path::PathBuf;

pub fn gongkai() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gongkai"))
}
