//! The `gongkai` command as an officer runs it: `check` on good and broken portals, `build`
//! and what it refuses to overwrite, `search`, `serve`, `init` with the portal's CI and its
//! nginx hosting, and the benchmark corpus generator's portals passing `check`.
//!
//! One test binary with a module per file (`cargo test --test cli`); tests/rules/main.rs
//! says why.

#[path = "../support/bin.rs"]
mod bin;
#[path = "../support/cli_search.rs"]
mod cli_search;
#[path = "../support/tools.rs"]
mod tools;
#[path = "../support/tree.rs"]
mod tree;

mod bad_corpus;
mod check_cli;
mod export;
mod gen_corpus;
mod init;
mod lang;
mod output_safety;
mod register_private;
mod requests_cli;
mod search_cli;
mod serve;
