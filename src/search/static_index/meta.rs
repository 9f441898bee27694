//! `meta.json`, and the internal order of the records it describes: internal ids are sorted
//! by (type, agency, year), so every facet value is a set of id ranges ("runs") and facet
//! counts and filters are range arithmetic, with no per-record table.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::categories::CategoryEntry;
use super::dictionary::PAGE_BYTES;
use super::format::FORMAT_VERSION;
use super::weight::{BM25_B, BM25_K1};
use crate::search::SearchError;

/// The records' facet values by caller id, collected as they stream by.
#[derive(Default)]
pub(super) struct Facets {
    /// (type, agency slug, year) by caller id.
    records: Vec<(String, String, Option<i32>)>,
    /// Agency slug → name.
    agency_names: HashMap<String, String>,
    /// Category → its documents' caller ids.
    pub(super) categories: BTreeMap<String, Vec<u32>>,
}

/// The records in internal order, and the facet tables `meta.json` gives.
pub(super) struct Ordered {
    /// Caller ids by internal id.
    pub(super) order: Vec<u32>,
    /// Internal ids by caller id.
    pub(super) internal: Vec<u32>,
    pub(super) tables: FacetTables,
}

pub(super) struct FacetTables {
    kinds: Vec<String>,
    /// (slug, name).
    agencies: Vec<(String, String)>,
    years: Vec<i32>,
    /// `[first internal id, count, kind index, agency index, year index or -1]`.
    runs: Vec<[i64; 5]>,
}

impl Facets {
    /// Adds the next record's facets.
    pub(super) fn push(
        &mut self,
        kind: String,
        agency: String,
        agency_name: String,
        year: Option<i32>,
        categories: Vec<String>,
    ) {
        if !agency.is_empty() {
            self.agency_names
                .entry(agency.clone())
                .or_insert(agency_name);
        }
        let caller = self.records.len() as u32;
        for c in categories {
            let ids = self.categories.entry(c).or_default();
            // A category written twice on one record lists it once.
            if ids.last() != Some(&caller) {
                ids.push(caller);
            }
        }
        self.records.push((kind, agency, year));
    }

    /// The number of records.
    pub(super) fn len(&self) -> usize {
        self.records.len()
    }

    /// Internal ids: sorted by (type, agency, year), then caller id.
    pub(super) fn order(&mut self) -> Ordered {
        let facets = &self.records;
        let n = facets.len();
        let mut kinds: Vec<String> = facets.iter().map(|f| f.0.clone()).collect();
        kinds.sort();
        kinds.dedup();
        let mut agencies: Vec<String> = facets.iter().map(|f| f.1.clone()).collect();
        agencies.sort();
        agencies.dedup();
        let mut years: Vec<i32> = facets.iter().filter_map(|f| f.2).collect();
        years.sort();
        years.dedup();
        let facet_key = |f: &(String, String, Option<i32>)| -> [i64; 3] {
            [
                kinds.binary_search(&f.0).unwrap_or(0) as i64,
                agencies.binary_search(&f.1).unwrap_or(0) as i64,
                f.2.and_then(|y| years.binary_search(&y).ok())
                    .map_or(-1, |i| i as i64),
            ]
        };
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&c| (facet_key(&facets[c as usize]), c));
        let mut internal = vec![0u32; n];
        for (i, &c) in order.iter().enumerate() {
            internal[c as usize] = i as u32;
        }
        let mut runs: Vec<[i64; 5]> = Vec::new();
        for (i, &c) in order.iter().enumerate() {
            let k = facet_key(&facets[c as usize]);
            match runs.last_mut() {
                Some(r) if [r[2], r[3], r[4]] == k => r[1] += 1,
                _ => runs.push([i as i64, 1, k[0], k[1], k[2]]),
            }
        }
        let agencies = agencies
            .into_iter()
            .map(|a| {
                let name = self.agency_names.get(&a).cloned().unwrap_or_default();
                (a, name)
            })
            .collect();
        Ordered {
            order,
            internal,
            tables: FacetTables {
                kinds,
                agencies,
                years,
                runs,
            },
        }
    }
}

#[derive(Serialize)]
struct Meta {
    version: u32,
    docs: usize,
    pages: u32,
    page_bytes: u32,
    slot: u32,
    /// Byte sizes of `dict.bin`, `post.bin`, `docs.bin` and `categories.bin`: what a client
    /// on a server that ignores `Range` would download to load them whole, known before it
    /// asks for them. The client treats an index without them as too large to load whole.
    files: FileSizes,
    k1: f64,
    b: f64,
    kinds: Vec<String>,
    agencies: Vec<(String, String)>,
    years: Vec<i32>,
    /// `[first internal id, count, kind index, agency index, year index or -1]`.
    runs: Vec<[i64; 5]>,
    /// `[name, documents, offset, length]` of each category's list in `categories.bin`,
    /// by name (code point order).
    categories: Vec<CategoryEntry>,
}

#[derive(Serialize)]
struct FileSizes {
    #[serde(rename = "dict.bin")]
    dict: u64,
    #[serde(rename = "post.bin")]
    post: u64,
    #[serde(rename = "docs.bin")]
    docs: u64,
    #[serde(rename = "categories.bin")]
    categories: u64,
}

/// Writes `meta.json` into `dir`, where the other files are complete.
pub(super) fn write_meta(
    dir: &Path,
    docs: usize,
    pages: u32,
    slot: u32,
    tables: FacetTables,
    categories: Vec<CategoryEntry>,
) -> Result<(), SearchError> {
    let size = |f: &str| std::fs::metadata(dir.join(f)).map(|m| m.len());
    let FacetTables {
        kinds,
        agencies,
        years,
        runs,
    } = tables;
    let meta = Meta {
        version: FORMAT_VERSION,
        docs,
        pages,
        page_bytes: PAGE_BYTES as u32,
        slot,
        files: FileSizes {
            dict: size("dict.bin")?,
            post: size("post.bin")?,
            docs: size("docs.bin")?,
            categories: size("categories.bin")?,
        },
        k1: BM25_K1,
        b: BM25_B,
        kinds,
        agencies,
        years,
        runs,
        categories,
    };
    std::fs::write(
        dir.join("meta.json"),
        serde_json::to_vec(&meta).map_err(|e| SearchError::Format(e.to_string()))?,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample_docs;
    use super::super::{build_spilling_at, TextTerms};

    /// meta.json gives the size of every file a client may have to load whole, byte for
    /// byte what was written (post.bin holds something: 1,500 records have long postings).
    #[test]
    fn meta_gives_the_size_of_each_file() {
        let dir = tempfile::tempdir().unwrap();
        build_spilling_at(
            sample_docs(1500).into_iter(),
            dir.path(),
            usize::MAX,
            TextTerms::Scanned,
        )
        .unwrap();
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("meta.json")).unwrap()).unwrap();
        let files = meta["files"].as_object().unwrap();
        assert_eq!(files.len(), 4, "{meta}");
        for f in ["dict.bin", "post.bin", "docs.bin", "categories.bin"] {
            let len = std::fs::metadata(dir.path().join(f)).unwrap().len();
            assert!(len > 0, "{f} is empty");
            assert_eq!(files[f].as_u64(), Some(len), "{f}");
        }
    }
}
