//! Built sites read back: the pages of fixture portals as a visitor or a link checker sees them,
//! what a page may link to, annual reports against their YAML, the deadline pages of the demo
//! portal, and the site's scripts in headless chromium.
//!
//! One test binary with a module per file (`cargo test --test site`); tests/rules/main.rs
//! says why. Every test here that starts chromium holds `tools::one_browser()`.

#[path = "../support/bin.rs"]
mod bin;
#[path = "../support/cli_search.rs"]
mod cli_search;
#[path = "../support/tools.rs"]
mod tools;
#[path = "../support/tree.rs"]
mod tree;

mod browser;
mod data;
mod deadlines_site;
mod incremental;
mod reports;
mod site;
mod site_security;
