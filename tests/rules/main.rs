//! The library's rules, with no site built: working-day calendars, deadlines and notices, the
//! loader on broken and hostile files, and Markdown against the reference renderers.
//!
//! Each former test file is a module of this one binary (`cargo test --test rules`): every test
//! binary links the whole crate with tantivy and jieba's dictionary, so a new file joins one of
//! the binaries under tests/ as a module rather than making another.

#[path = "../support/tools.rs"]
mod tools;

mod calendar;
mod deadlines;
mod fuzz_load;
mod load_limits;
mod markdown_reference;
mod requests;
