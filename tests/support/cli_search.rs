//! What `gongkai search` answers, as tests/browser/search.mjs expects it: the browser tests
//! under `serve` and behind nginx compare the page with these.

use std::path::Path;
use std::process::Output;

use crate::bin;

fn search(root: &Path, args: &[&str]) -> serde_json::Value {
    let out: Output = bin::command()
        .arg("search")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn urls(hits: &serde_json::Value) -> Vec<&str> {
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect()
}

/// Top result URLs of `gongkai search` for each query.
pub fn top_results(root: &Path, queries: &[&str]) -> String {
    let rows: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| {
            let hits = search(root, &[q, "--json", "--limit", "5"]);
            serde_json::json!({ "q": q, "urls": urls(&hits) })
        })
        .collect();
    serde_json::to_string(&rows).unwrap()
}

/// What `gongkai search --format json` answers for each (query, category): the total, the
/// counts per category and the result URLs.
pub fn category_answers(root: &Path, cases: &[(&str, Option<&str>)]) -> String {
    let rows: Vec<serde_json::Value> = cases
        .iter()
        .map(|(q, c)| {
            let mut args = vec![*q, "--format", "json"];
            if let Some(c) = c {
                args.extend(["--category", c]);
            }
            let v = search(root, &args);
            serde_json::json!({ "q": q, "category": c, "total": v["total"], "categories": v["categories"], "urls": urls(&v["hits"]) })
        })
        .collect();
    serde_json::to_string(&rows).unwrap()
}
