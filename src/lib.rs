//! gongkai: a static site generator for Chinese government information-disclosure portals.
//!
//! The pipeline runs in stages with plain data between them:
//! load → validate → model → derive → render → write.

pub mod build;
pub mod calendar;
pub mod check;
pub mod config;
pub mod deadlines;
pub mod derive;
pub mod diagnostics;
pub mod identifiers;
pub mod load;
pub mod locate;
pub mod markdown;
pub mod model;
pub mod output_paths;
pub mod output_tree;
pub mod progress;
pub mod render;
pub mod report_form;
pub mod report_math;
pub mod reports;
pub mod scaffold;
pub mod search;
pub mod security;
pub mod serve;
pub mod source;
pub mod urls;
pub mod validate;
pub mod yaml_depth;
