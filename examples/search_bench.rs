//! Scale check for the search indexes on a synthetic corpus built from the seed documents'
//! sentences (2–8 KB bodies, 6 record types, 30 agencies, 18 years). The seeds are read from
//! tests/fixtures/seeds, or from the folder of .txt files that `GONGKAI_SEEDS` names.
//!
//!   cargo run --release --example search_bench -- static  100000 /tmp/bench
//!   cargo run --release --example search_bench -- tantivy 100000 /tmp/bench
//!   cargo run --release --example search_bench -- cost    100000 /tmp/bench 政府 吉林市 …
//!
//! Prints JSON stats; peak RSS (VmHWM) of the process is included.

use std::path::Path;

use gongkai::search::index::write_index;
use gongkai::search::static_index::{query_cost, write_static};

#[path = "support/corpus.rs"]
mod corpus;

use corpus::corpus;

fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("static");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let out = Path::new(
        args.get(3)
            .map(String::as_str)
            .unwrap_or("/tmp/gongkai-bench"),
    )
    .join(n.to_string());
    match mode {
        "static" => {
            let stats = write_static(corpus(n), &out).unwrap();
            println!(
                "{}",
                serde_json::json!({"step": "static", "stats": stats, "peak_rss_mb": peak_rss_mb()})
            );
        }
        "tantivy" => {
            let stats = write_index(corpus(n), &out.join("search-index")).unwrap();
            println!(
                "{}",
                serde_json::json!({"step": "tantivy", "stats": stats, "peak_rss_mb": peak_rss_mb()})
            );
        }
        "cost" => {
            for q in &args[4..] {
                let (requests, bytes) = query_cost(&out, q).unwrap();
                println!(
                    "{}",
                    serde_json::json!({"q": q, "requests": requests, "bytes": bytes})
                );
            }
        }
        _ => eprintln!("usage: search_bench static|tantivy|cost N DIR [queries…]"),
    }
}
