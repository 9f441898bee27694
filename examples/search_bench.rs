//! Scale check for the search indexes on a synthetic corpus built from the seed documents'
//! sentences (2–8 KB bodies, 6 record types, 30 agencies, 18 years). The seeds are read from
//! tests/fixtures/seeds, or from the folder of .txt files that `GONGKAI_SEEDS` names.
//!
//!   cargo run --release --example search_bench -- static  100000 /tmp/bench
//!   cargo run --release --example search_bench -- tantivy 100000 /tmp/bench
//!   cargo run --release --example search_bench -- cost    100000 /tmp/bench 政府 吉林市 …
//!
//! Prints JSON stats; peak RSS (VmHWM) of the process is included.

use std::path::{Path, PathBuf};

use gongkai::search::index::write_index;
use gongkai::search::static_index::{query_cost, write_static};
use gongkai::search::SearchDoc;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentences() -> Vec<String> {
    let dir = std::env::var_os("GONGKAI_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("seeds").flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        for s in text.split(['。', '；', '\n']) {
            let s = s.trim();
            if s.chars().count() >= 8 {
                out.push(format!("{s}。"));
            }
        }
    }
    out.sort();
    out
}

const KINDS: [&str; 6] = ["document", "power", "service", "decision", "report", "page"];

fn corpus(n: usize) -> impl Iterator<Item = SearchDoc> {
    let sents = sentences();
    let mut rng = Rng(42);
    (0..n).map(move |i| {
        let target = 2048 + rng.below(6144);
        let mut body = String::new();
        while body.len() < target {
            body.push_str(&sents[rng.below(sents.len())]);
            if rng.below(6) == 0 {
                body.push('\n');
            }
        }
        let t = &sents[rng.below(sents.len())];
        let title: String = t.chars().take(12 + rng.below(20)).collect();
        let year = 2008 + rng.below(18) as i32;
        let agency = rng.below(30);
        let kind = KINDS[rng.below(KINDS.len())];
        SearchDoc {
            id: i as u32,
            slug: format!("r{i}"),
            kind: kind.into(),
            url: format!("/{kind}s/{year}/r{i}/"),
            title: format!("{title}的通知"),
            body,
            agency: format!("a{agency:02}"),
            agency_name: format!("示例市第{agency}局"),
            year: Some(year),
            codes: vec![
                format!("11220200795219742W/{year}-{i:05}"),
                format!("示政发〔{year}〕{}号", i % 1000),
            ],
            date: Some(format!(
                "{year}-{:02}-{:02}",
                1 + rng.below(12),
                1 + rng.below(28)
            )),
            categories: Vec::new(),
        }
    })
}

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
