//! What a first query costs the browser on a built site: one JSON object per query with
//! `requests`, `round_trips` and `bytes` (from `static_index::query_cost_of`), and, when
//! node is installed, `client_ms`, `client_requests` and `client_bytes` as measured by
//! running the real client (`tests/js/static_query.mjs`) against the files.
//!
//!   cargo run --release --example search_cost -- public 政府 吉林市 示政发〔2025〕3号
//!
//! The site directory is the build output (holding `search/`). For bench/run.sh.

use std::path::Path;
use std::process::Command;

use gongkai::search::static_index::{query_cost_of, FIRST_SCREEN};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((site, queries)) = args.split_first() else {
        eprintln!("usage: search_cost SITE_DIR QUERY…");
        std::process::exit(2);
    };
    let site = Path::new(site);
    let client = client_costs(site, queries);
    for (i, q) in queries.iter().enumerate() {
        let cost = match query_cost_of(site, q) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        let mut v = serde_json::to_value(&cost).unwrap();
        if let Some(c) = client.as_ref().and_then(|c| c.get(i)) {
            v["client_ms"] = c["ms"].clone();
            v["client_requests"] = c["requests"].clone();
            v["client_bytes"] = c["bytes"].clone();
            v["total"] = c["total"].clone();
        }
        println!("{v}");
    }
}

/// Runs the browser client under node, if there is one.
fn client_costs(site: &Path, queries: &[String]) -> Option<Vec<serde_json::Value>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/static_query.mjs");
    let mut dir = site.join("search").to_string_lossy().into_owned();
    dir.push('/');
    let out = Command::new("node")
        .arg(script)
        .arg(dir)
        .arg(serde_json::to_string(queries).ok()?)
        .arg(FIRST_SCREEN.to_string())
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("client: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}
