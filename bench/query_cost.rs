//! Probe for bench/run.sh: what a browser downloads per static-search query.
//!
//! Not compiled with the crate: run.sh builds it as a scratch binary against the repository,
//! and only when `src/search/static_index.rs` defines `query_cost`. It assumes the signature
//! of the `search` branch:
//!
//! ```ignore
//! pub fn query_cost(out: &Path, query: &str) -> Result<(u64, u64), SearchError>
//! ```
//!
//! (requests and bytes the search client fetches to answer `query` on a fresh page of the
//! site built in `out`). If the search module settles on another signature, adjust the call
//! below; run.sh prints "n/a" when this probe does not compile.
//!
//! Usage: query_cost SITE_DIR — prints `median_bytes max_bytes median_requests` over a fixed
//! query set.

use std::path::PathBuf;

const QUERIES: &[&str] = &[
    "政府信息公开",
    "行政许可",
    "法治政府建设",
    "安全生产",
    "优化营商环境",
    "示例市人民政府办公室",
    "2023",
    "通知",
    "政",
    "依法行政加快建设法治政府",
];

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    let site = PathBuf::from(std::env::args().nth(1).expect("usage: query_cost SITE_DIR"));
    let costs: Vec<(u64, u64)> = QUERIES
        .iter()
        .map(|q| {
            gongkai::search::static_index::query_cost(&site, q)
                .unwrap_or_else(|e| panic!("query_cost({q}): {e}"))
        })
        .collect();
    let bytes: Vec<u64> = costs.iter().map(|c| c.1).collect();
    let requests: Vec<u64> = costs.iter().map(|c| c.0).collect();
    println!(
        "{} {} {}",
        median(bytes.clone()),
        bytes.iter().max().unwrap(),
        median(requests)
    );
}
