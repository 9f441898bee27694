//! Search: one tokenizer, two indexes.
//!
//! - [`tokenize`]: the one Chinese-aware tokenizer (mirrored in `search.js`).
//! - [`index`]: writes the tantivy index used by `gongkai search` and `serve`.
//! - [`query`]: tiered search over the tantivy index.
//! - [`static_index`]: writes the sharded static index the browser client reads; during a
//!   build it reads its text postings from tantivy's segments.
//! - [`site`]: turns a loaded portal into `SearchDoc`s and writes both indexes (`build`).
//! - [`update`]: takes a few changed records into the tantivy index in place.
//!
//! The rest of the generator talks to this module through [`SearchDoc`] only.

pub mod char_query;
pub mod exact_score;
pub mod index;
pub mod matches;
pub mod query;
pub mod site;
pub mod snippet;
pub mod static_index;
pub mod tokenize;
pub mod update;
pub mod words;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use query::{search, SearchIndex};
pub use tokenize::{normalize_code, tokenize_index, tokenize_query, QueryTokens, Token};

/// One searchable record, as handed over by the rest of the generator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Dense `0..n`, assigned by the caller in stream order.
    pub id: u32,
    /// Record slug.
    pub slug: String,
    /// `"document" | "power" | "service" | "decision" | "report" | "page"`.
    pub kind: String,
    /// Root-relative URL, e.g. `/documents/2015/jsz-2015-6/`.
    pub url: String,
    pub title: String,
    /// Plain text (Markdown already stripped by the caller).
    pub body: String,
    /// Agency slug (`""` if none).
    pub agency: String,
    pub agency_name: String,
    pub year: Option<i32>,
    /// Exact identifiers: 事项编码, 索引号, 发文字号, …
    pub codes: Vec<String>,
    /// ISO date.
    pub date: Option<String>,
    /// 主题分类 and 体裁 of a document, each once, as written (other records: none).
    #[serde(default)]
    pub categories: Vec<String>,
}

/// A search request. Filters are exact (record type, agency slug, year, category text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    pub kind: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// A 主题分类 or 体裁, exactly as the documents write it.
    #[serde(default)]
    pub category: Option<String>,
    pub limit: usize,
}

impl SearchQuery {
    /// A query for `text` without filters, returning at most 20 hits.
    pub fn new(text: impl Into<String>) -> Self {
        SearchQuery {
            text: text.into(),
            kind: None,
            agency: None,
            year: None,
            category: None,
            limit: 20,
        }
    }
}

/// Why a record matched; hits are ordered by tier first, score second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// The query is one of the record's codes (索引号, 事项编码, 发文字号), in any bracket form.
    Code = 1,
    /// The whole query occurs contiguously (in the title, the body or a code).
    Phrase = 2,
    /// Every word of the query (jieba segmentation) occurs somewhere.
    Words = 3,
    /// At least 60% of the query's bigrams occur.
    Bigrams = 4,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub slug: String,
    pub kind: String,
    pub url: String,
    pub title: String,
    pub agency_name: String,
    pub date: Option<String>,
    pub score: f32,
    /// HTML: the matched passage, escaped, with `<mark>` around matches.
    pub snippet: String,
    pub tier: Tier,
}

/// The hits of a query and what the search page counts of all its matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub hits: Vec<Hit>,
    /// Matches that pass the filters (the page's 找到 N 条结果).
    pub total: u64,
    /// Matches per category, whatever the filters: most first, ties in code point order.
    pub categories: Vec<(String, u64)>,
}

/// Everything that can go wrong while writing or reading an index.
#[derive(Debug)]
pub enum SearchError {
    Io(std::io::Error),
    Index(tantivy::TantivyError),
    /// The index on disk is not what this version writes (rebuild it).
    Format(String),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::Io(e) => crate::zh_en!(
                write!(f, "检索索引读写出错：{}", crate::text::lang::io_reason(e)),
                write!(f, "search index I/O error: {e}")
            ),
            SearchError::Index(e) => crate::zh_en!(
                write!(f, "检索索引出错：{e}"),
                write!(f, "search index error: {e}")
            ),
            SearchError::Format(m) => crate::zh_en!(
                write!(f, "检索索引的文件格式不对：{m}（请重新生成网站）"),
                write!(f, "search index format error: {m} (rebuild the site)")
            ),
        }
    }
}

impl std::error::Error for SearchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SearchError::Io(e) => Some(e),
            SearchError::Index(e) => Some(e),
            SearchError::Format(_) => None,
        }
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Io(e)
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e)
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        SearchError::Index(e.into())
    }
}

/// A quick hasher for the terms and words the build hashes by the million: keys (`u64`)
/// mixed once, bytes one at a time. Not resistant to crafted collisions, which is fine for
/// the portal's own content.
#[derive(Default)]
pub(crate) struct FastHasher(pub(crate) u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ (v >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Writes into a fresh sibling of `dir` and swaps it into place once `build` succeeded,
/// so readers never see a half-written index. The replaced index is deleted: tantivy names
/// its segment files afresh each time, so there is nothing to recycle.
pub(crate) fn write_swapped<T>(
    dir: &std::path::Path,
    build: impl FnOnce(&std::path::Path) -> Result<T, SearchError>,
) -> Result<T, SearchError> {
    use crate::write::tree;
    tree::remove_abandoned(dir, tree::ABANDONED_AFTER);
    let scratch = tree::prepare_fresh(dir)?;
    match build(&scratch.dir) {
        Ok(v) => {
            tree::swap_deleting_old(scratch, dir)?;
            Ok(v)
        }
        Err(e) => {
            tree::remove(scratch);
            Err(e)
        }
    }
}

/// Total size and count of the files under `dir`.
pub(crate) fn dir_size(dir: &std::path::Path) -> std::io::Result<(u64, u64)> {
    let mut bytes = 0;
    let mut files = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            let (b, f) = dir_size(&entry.path())?;
            bytes += b;
            files += f;
        } else {
            bytes += meta.len();
            files += 1;
        }
    }
    Ok((bytes, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn an_index_is_replaced_whole_or_not_at_all() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("search-index");
        let write = |text: &'static str| {
            write_swapped(&dir, move |tmp| {
                std::fs::write(tmp.join("meta.json"), text)?;
                Ok(())
            })
        };
        write("first").unwrap();
        write("second").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("meta.json")).unwrap(),
            "second"
        );
        assert_eq!(names(root.path()), ["search-index"]);

        let failed = write_swapped(&dir, |tmp| -> Result<(), SearchError> {
            std::fs::write(tmp.join("meta.json"), "half")?;
            // A build killed here leaves a `.gongkai-*` folder, which the officers' guide has
            // them git-ignore (docs/content-format.md), like the site's own scratch trees.
            let scratch = tmp.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                scratch.starts_with(".gongkai-search-index-tmp-"),
                "{scratch}"
            );
            Err(SearchError::Format("broken".into()))
        });
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(dir.join("meta.json")).unwrap(),
            "second"
        );
        assert_eq!(names(root.path()), ["search-index"]);
    }
}
