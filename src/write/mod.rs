//! The write stage: which folders a build may replace ([`paths`]) and how a finished tree is
//! swapped into place ([`tree`]).

pub mod paths;
pub mod tree;
