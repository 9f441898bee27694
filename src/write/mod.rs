//! The write stage: which folders a build may replace ([`paths`]) and how a finished tree is
//! swapped into place ([`tree`]), and what each tree holds, so that the next build leaves
//! the pages that come out the same as they are ([`manifest`]).

pub mod manifest;
pub mod paths;
pub mod static_base;
pub mod tree;
