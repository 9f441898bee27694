//! How long the search indexes take to take one changed record, against writing them anew,
//! on the synthetic corpus of `search_bench` (seed sentences, 2–8 KB bodies).
//!
//!   cargo run --release --example search_update -- 10000 100000
//!
//! For each size: the cold write, then (in place) one changed record, one added, one
//! removed, one renamed, and a run of 20 changes (which merges the small segments once),
//! and what a query costs before and after; and the static index written again, which is
//! what `update_indexes` does with it. Prints a Markdown table.

use std::path::{Path, PathBuf};
use std::time::Instant;

use gongkai::search::index::write_index;
use gongkai::search::query::SearchIndex;
use gongkai::search::static_index::write_static_dir;
use gongkai::search::update::update_index;
use gongkai::search::{SearchDoc, SearchQuery};

#[path = "support/corpus.rs"]
mod corpus;

use corpus::{corpus, record, sentences, Rng};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Milliseconds of one query (opening the index included, as `gongkai search` does).
fn query_ms(dir: &Path) -> f64 {
    let t = Instant::now();
    let index = SearchIndex::open(dir).unwrap();
    index.search(&SearchQuery::new("政府信息公开")).unwrap();
    ms(t)
}

/// Merges the segments of the index in `dir` that hold deleted records; how many there were.
fn merge_deletions(dir: &Path) -> usize {
    let index = tantivy::Index::open_in_dir(dir).unwrap();
    gongkai::search::index::register_tokenizer(&index);
    let ids: Vec<_> = index
        .searchable_segment_metas()
        .unwrap()
        .into_iter()
        .filter(|m| m.num_deleted_docs() > 0)
        .map(|m| m.id())
        .collect();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 64 << 20).unwrap();
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    if !ids.is_empty() {
        writer.merge(&ids).wait().unwrap();
    }
    writer.wait_merging_threads().unwrap();
    ids.len()
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000]
    } else {
        sizes
    };
    let root = std::env::var_os("GONGKAI_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("gongkai-update-bench"));
    let sents = sentences();
    println!("| records | step | ms |");
    println!("|---:|---|---:|");
    for n in sizes {
        let docs: Vec<SearchDoc> = corpus(n).collect();
        let dir = root.join(n.to_string()).join("search-index");
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        write_index(docs.iter().cloned(), &dir).unwrap();
        println!("| {n} | cold write | {:.0} |", ms(t));
        println!("| {n} | query (cold index) | {:.1} |", query_ms(&dir));
        // What `update_indexes` does for the static index today: write it again.
        let t = Instant::now();
        write_static_dir(
            docs.iter().cloned(),
            &root.join(n.to_string()).join("search"),
        )
        .unwrap();
        println!(
            "| {n} | static index written again (update_indexes) | {:.0} |",
            ms(t)
        );
        let mut rng = Rng(7);
        let changed = |i: usize, rng: &mut Rng| {
            let mut d = record(&sents, rng, i);
            d.url = docs[i].url.clone();
            d
        };
        let t = Instant::now();
        update_index(&dir, vec![changed(n / 2, &mut rng)], &[]).unwrap();
        println!("| {n} | one record changed | {:.1} |", ms(t));
        let t = Instant::now();
        let mut added = record(&sents, &mut rng, n);
        added.url = format!("/documents/new/r{n}/");
        update_index(&dir, vec![added], &[]).unwrap();
        println!("| {n} | one record added | {:.1} |", ms(t));
        let t = Instant::now();
        update_index(&dir, Vec::new(), std::slice::from_ref(&docs[n / 3].url)).unwrap();
        println!("| {n} | one record removed | {:.1} |", ms(t));
        let t = Instant::now();
        let mut renamed = docs[n / 4].clone();
        renamed.url = format!("/documents/renamed/r{}/", n / 4);
        update_index(&dir, vec![renamed], std::slice::from_ref(&docs[n / 4].url)).unwrap();
        println!("| {n} | one record renamed | {:.1} |", ms(t));
        let mut each = Vec::new();
        let mut merged = 0;
        for k in 0..20 {
            let i = (k * 7919) % n;
            let t = Instant::now();
            let stats = update_index(&dir, vec![changed(i, &mut rng)], &[]).unwrap();
            merged += stats.merged_segments;
            each.push(ms(t));
        }
        each.sort_by(f64::total_cmp);
        println!(
            "| {n} | 20 changes one by one: median / slowest ({merged} segments merged) | {:.1} / {:.1} |",
            each[each.len() / 2],
            each[each.len() - 1]
        );
        println!("| {n} | query (updated index) | {:.1} |", query_ms(&dir));
        // The alternative to scoring from live statistics: merging away every deleted
        // record after each update, so that tantivy's own statistics are right.
        let t = Instant::now();
        let merged = merge_deletions(&dir);
        println!(
            "| {n} | alternative: merging the {merged} segments holding deletions | {:.0} |",
            ms(t)
        );
    }
}
