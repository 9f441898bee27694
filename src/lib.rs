//! gongkai: a static site generator for Chinese government information-disclosure portals.
//!
//! The pipeline runs in stages with plain data between them (docs/architecture.md):
//! load → validate → derive → render → write, driven by [`build`], with the command layer
//! ([`cmd`]) the only code that prints or exits.

pub mod build;
pub mod cmd;
pub mod derive;
pub mod diagnostics;
pub mod domain;
pub mod fingerprint;
pub mod load;
pub mod model;
pub mod preview;
pub mod render;
pub mod search;
pub mod status;
pub mod table;
pub mod text;
pub mod validate;
pub mod write;
