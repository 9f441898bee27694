//! `meta.json`: what the client reads first, the facet tables and the sizes of the other
//! files. Internal ids are sorted by (type, agency, year), so every facet value is a set of
//! id ranges ("runs") and facet counts and filters are range arithmetic, with no per-record
//! table.

use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Meta {
    pub(super) version: u32,
    pub(super) docs: usize,
    pub(super) pages: u32,
    pub(super) page_bytes: u32,
    pub(super) slot: u32,
    /// Byte sizes of `dict.bin`, `post.bin` and `docs.bin`: what a client on a server that
    /// ignores `Range` would download to load them whole, known before it asks for them.
    /// Added within format 3, which stays readable: a client that predates the key ignores
    /// it, and the client treats an index without it as too large to load whole.
    pub(super) files: FileSizes,
    pub(super) k1: f64,
    pub(super) b: f64,
    pub(super) kinds: Vec<String>,
    pub(super) agencies: Vec<(String, String)>,
    pub(super) years: Vec<i32>,
    /// `[first internal id, count, kind index, agency index, year index or -1]`.
    pub(super) runs: Vec<[i64; 5]>,
}

#[derive(Serialize)]
pub(super) struct FileSizes {
    #[serde(rename = "dict.bin")]
    pub(super) dict: u64,
    #[serde(rename = "post.bin")]
    pub(super) post: u64,
    #[serde(rename = "docs.bin")]
    pub(super) docs: u64,
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
        assert_eq!(files.len(), 3, "{meta}");
        for f in ["dict.bin", "post.bin", "docs.bin"] {
            let len = std::fs::metadata(dir.path().join(f)).unwrap().len();
            assert!(len > 0, "{f} is empty");
            assert_eq!(files[f].as_u64(), Some(len), "{f}");
        }
    }
}
