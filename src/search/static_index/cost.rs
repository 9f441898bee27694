//! What a first query costs the browser client (requests, round trips, bytes), estimated
//! from the files of a built site: for tests and benchmarks of the index's layout.

use std::path::Path;

use serde::Serialize;

use super::dictionary::{find_entry, page_of, PAGE_BYTES};
use crate::search::tokenize::{normalize_code, tokenize_query};
use crate::search::SearchError;

/// Results on the search page's first screen (search.js `PAGE`); the client fetches the
/// slots of [`FIRST_SCREEN`] + [`LOOKAHEAD`] records to settle their order.
pub const FIRST_SCREEN: u64 = 10;
pub const LOOKAHEAD: u64 = 5;

/// What a first query costs the browser client, estimated from the files on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueryCost {
    pub query: String,
    /// Files or byte ranges fetched.
    pub requests: u64,
    /// Sequential rounds of fetches: meta.json with the dictionary pages, then
    /// out-of-line postings (if any), then document slots (if any result).
    pub round_trips: u64,
    pub bytes: u64,
}

/// The cost of `query` as the first query of a fresh page on the site built in `out`:
/// `meta.json` and one dictionary page per distinct page of the query's terms (its tokens,
/// its code `#…` and its word `~…`), the out-of-line postings of the terms found, and one
/// slot per fetched result (at most [`FIRST_SCREEN`] + [`LOOKAHEAD`]; the most frequent
/// term's document frequency stands in for the number of matches). The Node harness
/// `tests/js/static_query.mjs` and the browser probe `tests/browser/search_cost.mjs` measure
/// what the real client fetches, and its time.
///
/// A query with a category filter, or with the category counts open, also reads
/// `categories.bin` (that list, or the whole file), not counted here; it needs `meta.json`
/// alone, so the client fetches it with the postings: still three round trips at most,
/// though a query whose postings are all inline then takes three instead of two.
///
/// For benchmark scripts: `cargo run --release --example search_cost -- <site dir> QUERY…`
/// prints one JSON object per query from this function.
pub fn query_cost_of(out: &Path, query: &str) -> Result<QueryCost, SearchError> {
    let dir = out.join("search");
    let meta_bytes = std::fs::read(dir.join("meta.json"))?;
    let meta: serde_json::Value =
        serde_json::from_slice(&meta_bytes).map_err(|e| SearchError::Format(e.to_string()))?;
    let pages = meta["pages"].as_u64().unwrap_or(1).max(1) as u32;
    let page_bytes = meta["page_bytes"].as_u64().unwrap_or(PAGE_BYTES as u64) as usize;
    let slot = meta["slot"].as_u64().unwrap_or(0);
    let dict = std::fs::read(dir.join("dict.bin"))?;
    let mut cost = QueryCost {
        query: query.to_string(),
        requests: 1,
        round_trips: 1,
        bytes: meta_bytes.len() as u64,
    };

    let mut terms: Vec<String> = tokenize_query(query)
        .terms()
        .into_iter()
        .map(str::to_string)
        .collect();
    let code = normalize_code(query);
    if !code.is_empty() {
        terms.push(format!("#{code}"));
    }
    terms.extend(crate::search::words::query_word_term(query));
    let mut pages_seen = Vec::new();
    let mut max_df = 0u64;
    let mut postings = 0u64;
    for term in &terms {
        let p = page_of(term, pages);
        let from = (p as usize * page_bytes).min(dict.len());
        let to = (from + page_bytes).min(dict.len());
        if !pages_seen.contains(&p) {
            pages_seen.push(p);
            cost.requests += 1;
            cost.bytes += (to - from) as u64;
        }
        if let Some((df, external)) = find_entry(&dict[from..to], term) {
            max_df = max_df.max(df);
            if let Some(len) = external {
                postings += 1;
                cost.bytes += len;
            }
        }
    }
    if postings > 0 {
        cost.requests += postings;
        cost.round_trips += 1;
    }
    let shown = max_df.min(FIRST_SCREEN + LOOKAHEAD);
    if shown > 0 {
        cost.requests += shown;
        cost.bytes += shown * slot;
        cost.round_trips += 1;
    }
    Ok(cost)
}

/// (requests, bytes) of [`query_cost_of`].
pub fn query_cost(out: &Path, query: &str) -> Result<(u64, u64), SearchError> {
    let c = query_cost_of(out, query)?;
    Ok((c.requests, c.bytes))
}
