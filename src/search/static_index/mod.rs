//! The static index under `<out>/search/`, read by `themes/default/static/search.js`.
//!
//! A handful of files, whatever the portal's size; the client reads byte ranges of them
//! (HTTP `Range`). On a server that ignores `Range` it loads the other files whole,
//! once per page, when `meta.json` says they are small enough, and otherwise tells the
//! reader that search cannot work on this host (search.js `WHOLE_BUDGET`):
//!
//! - `meta.json`: format version, document count, BM25 parameters, the slot width, the byte
//!   size of each other file (`files`), the facet tables (record types, agencies, years)
//!   and the facet runs. Internal document ids are sorted by (type, agency, year), so every
//!   facet value is a set of id ranges ("runs"): facet counts and filters are range
//!   arithmetic, no per-document table. Then `categories`: `[name, documents, offset,
//!   length]` of each category's list in `categories.bin`, by name.
//! - `dict.bin`: the term dictionary in `pages` fixed-width pages of `page_bytes`; a term
//!   lives in page FNV-1a (32 bit, UTF-8) of the term mod `pages`. The search page carries
//!   `pages` in its HTML, so the client fetches the pages of a query's terms in the same
//!   round trip as `meta.json`. Entry: `u8 len, term, varint df, u8 form, payload`; form
//!   0: `varint n, n bytes of postings` inline; form 1: `varint offset, varint n` into
//!   `post.bin`. A page ends at its end or at a zero length byte (zero padding).
//! - `post.bin`: postings. Format byte 0 (list): `df` delta-varint internal ids, then `df`
//!   weight bytes. Format byte 1 (dense, for terms in ≥ 1/16 of a large portal): `varint
//!   n, n bytes` of a bitset over all ids, then `varint k`, k delta-varint ids and k weight
//!   bytes of the k highest-weight documents, then one weight byte for all others. So a
//!   query for 政府 on 100,000 records fetches ~14 KB, not an 800 KB list.
//!   A weight byte is the BM25 term-frequency part (title weighted 3, body 1), scaled to
//!   1..=255; the client multiplies by the term's idf.
//! - `docs.bin`: one fixed-width slot per internal id (`slot` bytes, so the client fetches
//!   a result with one range and no lookup, in the same round trip as the others): the
//!   record's `varint+title, varint+url, varint+date, varint+slug, varint+codes` (one per
//!   line, for the client's phrase check), then the body as zlib segments (`varint n, n
//!   bytes`, each ~1.5 KB of text) ended by `varint 0`, zero-padded. A record longer than
//!   its slot is cut at the slot's end (its head always fits): the client checks phrases
//!   and finds snippets in the first few thousand characters and never needs a fourth
//!   round trip for the rest.
//! - `categories.bin`: the internal ids of each category's documents (主题分类, 体裁), one
//!   list after the other: a document has any number of categories, so they cannot be runs.
//!   A list is `0, varint k`, then k delta-varint ids, or `1` and a bitset of `ceil(docs /
//!   8)` bytes, whichever is shorter. The client reads it only when the reader filters by a
//!   category (that list, in the round trip of the postings) or opens the category counts
//!   (the whole file), so a first query without them costs what it did: three round trips
//!   at most.
//!
//! - After a build that took a few changed, added or removed records as a delta
//!   (`delta.rs`): `dict.bin` with the entries of their terms replaced, whose postings may
//!   be in `post-delta.bin` (entry form 2: `varint offset, varint n` there), and
//!   `docs-delta.bin`, the changed and added records' slots in the order of their ids,
//!   which `meta.json` lists as `delta.ids`. When records came or went, `categories.bin` is
//!   written again and `meta.json`'s `delta` also gives `span` (ids in all: `docs` counts
//!   records, and a removed record keeps an id nothing names, listed under `removed`) and
//!   `added` (for the ids after the base's, the base id each goes before in the records'
//!   order, which breaks ties in score); each added record has a facet run of its own. The
//!   other files are the base's (hard links to the last index written whole), and
//!   `meta.json`'s `files` lists the two delta files too. The client reads them in the same
//!   round trips.
//!
//! Codes are terms too: `#` + [`normalize_code`](super::normalize_code) (no token contains
//! `#`), and so are the dictionary words of [`super::words`]: `~` + word.
//!
//! `gongkai build` counts only those two kinds here; the text terms (characters, bigrams,
//! Latin words) it reads back from the tantivy index written alongside
//! ([`TextTerms::FromTantivy`], `tantivy_terms.rs`), so each record is tokenized once.
//!
//! This module holds the public API and runs a build; each step has its file here:
//! - `terms.rs`: one record's distinct terms and their frequencies;
//! - `postings.rs`: the postings table (in memory, spilled to run files) and the postings
//!   format of `post.bin`; `weight.rs`: the weight bytes;
//! - `tantivy_terms.rs`: the text terms' postings read from tantivy's segments instead;
//! - `dictionary.rs`: `dict.bin` and `post.bin`; `records.rs`: `docs.bin`; `meta.rs`:
//!   `meta.json` and the internal order of the records; `categories.rs`: `categories.bin`;
//!   `format.rs`: what all files share;
//! - `cost.rs`: what a query costs the client, read from the files.

mod categories;
mod cost;
mod delta;
mod dictionary;
mod format;
mod inspect;
mod meta;
mod postings;
mod records;
mod tantivy_terms;
mod terms;
mod weight;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use categories::write_categories;
use dictionary::{DictStats, DictWriter};
use meta::{write_meta, Facets, Ordered};
use postings::{encode_part, Encoded, Part, PostingsTable, SPILL_BYTES};
use records::{encode_record, RecordSpool, SpooledRecords};
use tantivy_terms::TantivyTerms;
use terms::{count_terms, RecordTerms};
use weight::Lengths;

use super::words::DocWords;
use super::{dir_size, write_swapped, SearchDoc, SearchError};

pub use cost::{query_cost, query_cost_of, QueryCost, FIRST_SCREEN, LOOKAHEAD};
pub use delta::{blank_withdrawn, tell, try_delta, DeltaInputs, DeltaState, Records, DELTA_FILES};
pub use dictionary::{fnv1a, page_of, PAGE_BYTES, SPARES};
pub use format::{FILES, FORMAT_VERSION};
pub use inspect::logical_files;
pub use weight::{BM25_B, BM25_K1, BODY_WEIGHT, TITLE_WEIGHT};

/// Documents tokenized in parallel per batch.
const BATCH: usize = 512;

/// What [`write_static`] wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StaticStats {
    pub docs: u64,
    pub terms: u64,
    pub files: u64,
    pub bytes: u64,
    pub dict_bytes: u64,
    pub postings_bytes: u64,
    pub docs_bytes: u64,
    pub slot: u32,
    /// Dictionary pages (the search page's HTML carries this number).
    pub pages: u32,
    pub millis: u64,
    /// What a later build needs to take changed records as a delta (`delta.rs`): set by a
    /// build that wrote every file, `None` when the index was left as it was or is a delta.
    #[serde(skip)]
    pub base: Option<Arc<Records>>,
}

/// What the static index already in `dir` is, for a build that leaves it as it is (its
/// records did not change): its dictionary pages, records and files, read from its
/// `meta.json`. `None` if there is no index of this format there.
pub fn existing(dir: &Path) -> Option<StaticStats> {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).ok()?).ok()?;
    if meta["version"].as_u64()? != u64::from(FORMAT_VERSION) {
        return None;
    }
    let files = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_name() != "index.html")
        .count();
    Some(StaticStats {
        docs: meta["docs"].as_u64()?,
        files: files as u64,
        pages: u32::try_from(meta["pages"].as_u64()?).ok()?,
        ..StaticStats::default()
    })
}

/// Writes the static index of `docs` (streamed) into `out/search/`, built in a temporary
/// directory and swapped into place.
pub fn write_static(
    docs: impl Iterator<Item = SearchDoc>,
    out: &Path,
) -> Result<StaticStats, SearchError> {
    let started = std::time::Instant::now();
    let dir = out.join("search");
    let mut stats = write_swapped(&dir, |tmp| {
        let stats = build_spilling_at(
            docs.map(|d| (d, None)),
            tmp,
            SPILL_BYTES,
            TextTerms::Scanned,
        )?;
        // No base is kept for an index written on its own.
        std::fs::remove_file(tmp.join(SPARES))?;
        Ok(stats)
    })?;
    let (bytes, files) = dir_size(&dir)?;
    stats.bytes = bytes;
    stats.files = files;
    stats.millis = started.elapsed().as_millis() as u64;
    Ok(stats)
}

/// Writes the static index of `docs` straight into `dir` (created if missing), for callers
/// that already write into a temporary tree swapped into place as a whole (`gongkai build`
/// writes it into the site's temporary output). `dir` is the `search/` folder itself.
pub fn write_static_dir(
    docs: impl Iterator<Item = SearchDoc>,
    dir: &Path,
) -> Result<StaticStats, SearchError> {
    write_static_dir_with_words(docs.map(|d| (d, None)), dir, TextTerms::Scanned)
}

/// Where the static index's text terms come from: the characters, bigrams and Latin words
/// of titles, codes and bodies. Dictionary words and exact codes are counted here always.
pub enum TextTerms<'a> {
    /// Tokenized and counted here.
    Scanned,
    /// Read from the segments of the tantivy index of the same records, in the same order,
    /// which is written meanwhile ([`super::index::write_index_into`]); the function
    /// waits for it and returns its folder. Each record is then tokenized and counted once,
    /// by tantivy, instead of once per index, and lengths are tantivy's field norms.
    FromTantivy(Box<dyn FnOnce() -> Result<PathBuf, SearchError> + 'a>),
}

/// [`write_static_dir`] of documents whose word terms may already be known (`None`:
/// computed here) and whose text terms may be read from the tantivy index, so that a
/// caller writing both indexes segments and tokenizes each record once.
pub fn write_static_dir_with_words(
    docs: impl Iterator<Item = (SearchDoc, Option<Arc<DocWords>>)>,
    dir: &Path,
    terms: TextTerms<'_>,
) -> Result<StaticStats, SearchError> {
    let started = std::time::Instant::now();
    std::fs::create_dir_all(dir)?;
    delta::remove_index_files(dir)?;
    let mut stats = build_spilling_at(docs, dir, SPILL_BYTES, terms)?;
    stats.millis = started.elapsed().as_millis() as u64;
    for f in FILES {
        stats.bytes += std::fs::metadata(dir.join(f))?.len();
        stats.files += 1;
    }
    Ok(stats)
}

/// Builds the index files in `dir`, spilling postings to run files whenever more than
/// `spill_bytes` are held: the records are read once, then the files are written.
fn build_spilling_at(
    docs: impl Iterator<Item = (SearchDoc, Option<Arc<DocWords>>)>,
    dir: &Path,
    spill_bytes: usize,
    text_terms: TextTerms<'_>,
) -> Result<StaticStats, SearchError> {
    let scan_text = matches!(text_terms, TextTerms::Scanned);
    let Counted {
        postings,
        mut records,
        title_lens,
        body_lens,
        facets,
        urls,
        shapes,
    } = count_records(docs, dir, spill_bytes, scan_text)?;
    let mut facets = facets;
    let n = facets.len();
    let Ordered {
        order,
        internal,
        tables,
    } = facets.order();
    let categories = write_categories(dir, std::mem::take(&mut facets.categories), &internal)?;
    // The document slots (one thread, mostly copying) are written while the postings are
    // encoded (the others), and while tantivy's segments are awaited: one after the other,
    // each left a core idle.
    let slot = records.slot_width();
    let (slots, dict) = std::thread::scope(|s| {
        let slots = s.spawn(|| records.write_slots(dir, &order, slot));
        let dict = write_terms(
            dir,
            postings,
            text_terms,
            internal.clone(),
            title_lens,
            body_lens,
        );
        let slots = slots
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (slots, dict)
    });
    slots?;
    let (
        DictStats {
            pages,
            terms,
            dict_bytes,
            postings_bytes,
        },
        lens,
    ) = dict?;
    let base = Records {
        urls,
        internal,
        title_len: lens.title,
        body_len: lens.body,
        enc_len: records.lens(),
        head_len: std::mem::take(&mut records.heads),
        shape: shapes,
    };
    records.remove()?;
    write_meta(dir, n, pages, slot, tables, categories)?;
    Ok(StaticStats {
        docs: n as u64,
        terms,
        dict_bytes,
        postings_bytes,
        docs_bytes: u64::from(slot) * n as u64,
        slot,
        pages,
        base: Some(Arc::new(base)),
        ..StaticStats::default()
    })
}

/// What reading the records leaves for writing the files.
struct Counted {
    postings: PostingsTable,
    records: SpooledRecords,
    /// Title and body lengths by caller id, as counted here (no text terms: zero).
    title_lens: Vec<u32>,
    body_lens: Vec<u32>,
    facets: Facets,
    /// Each record's URL and [`delta::shape_of`], by caller id.
    urls: Vec<String>,
    shapes: Vec<u64>,
}

/// A record's part of the index other than its terms.
struct Record {
    /// Its slot's contents, as [`encode_record`] gives them.
    bytes: Vec<u8>,
    head_len: u32,
    kind: String,
    agency: String,
    agency_name: String,
    year: Option<i32>,
    categories: Vec<String>,
    url: String,
    shape: u64,
}

/// Reads `docs` in batches, each tokenized and encoded in parallel: their terms go to the
/// postings table, their slots to the spool; `scan_text` as in [`count_terms`].
fn count_records(
    docs: impl Iterator<Item = (SearchDoc, Option<Arc<DocWords>>)>,
    dir: &Path,
    spill_bytes: usize,
    scan_text: bool,
) -> Result<Counted, SearchError> {
    let mut postings = PostingsTable::new(spill_bytes);
    let mut records = RecordSpool::create(dir)?;
    let mut title_lens = Vec::new();
    let mut body_lens = Vec::new();
    let mut facets = Facets::default();
    let mut urls = Vec::new();
    let mut shapes = Vec::new();
    let mut docs = docs.peekable();
    let mut next_id = 0u32;
    while docs.peek().is_some() {
        let batch: Vec<_> = docs.by_ref().take(BATCH).collect();
        let (terms, batch): (Vec<RecordTerms>, Vec<Record>) = batch
            .into_par_iter()
            .map(|d| process(d, scan_text))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .unzip();
        postings.add_batch(dir, &terms, next_id)?;
        for (t, r) in terms.iter().zip(batch) {
            records.push(&r.bytes, r.head_len)?;
            title_lens.push(t.title_len);
            body_lens.push(t.body_len);
            urls.push(r.url);
            shapes.push(r.shape);
            facets.push(r.kind, r.agency, r.agency_name, r.year, r.categories);
            next_id += 1;
        }
    }
    Ok(Counted {
        postings,
        records: records.finish()?,
        title_lens,
        body_lens,
        facets,
        urls,
        shapes,
    })
}

/// One record's terms and slot; `scan_text` as in [`count_terms`].
fn process(
    (doc, words): (SearchDoc, Option<Arc<DocWords>>),
    scan_text: bool,
) -> Result<(RecordTerms, Record), SearchError> {
    let terms = count_terms(&doc, words, scan_text);
    let (bytes, head_len) = encode_record(&doc)?;
    let shape = delta::shape_of(&doc);
    let record = Record {
        bytes,
        head_len,
        url: doc.url,
        shape,
        kind: doc.kind,
        agency: doc.agency,
        agency_name: doc.agency_name,
        year: doc.year,
        categories: doc.categories,
    };
    Ok((terms, record))
}

/// Writes `post.bin` and `dict.bin` from the postings counted here and, for
/// [`TextTerms::FromTantivy`], those read from tantivy's segments (waited for here), whose
/// lengths then replace the ones counted. `internal`: internal ids by caller id.
fn write_terms(
    dir: &Path,
    postings: PostingsTable,
    text_terms: TextTerms<'_>,
    internal: Vec<u32>,
    title_lens: Vec<u32>,
    body_lens: Vec<u32>,
) -> Result<(DictStats, Lengths), SearchError> {
    let (derived, title_lens, body_lens) = match text_terms {
        TextTerms::Scanned => (None, title_lens, body_lens),
        TextTerms::FromTantivy(wait) => {
            let (derived, title, body) = TantivyTerms::open(&wait()?, internal.len())?;
            (Some(derived), title, body)
        }
    };
    let lens = Lengths::new(internal, title_lens, body_lens);
    let stats = write_dictionary(dir, postings, &lens, derived.as_ref())?;
    Ok((stats, lens))
}

/// A share of the dictionary, encoded in parallel with the others: a partition of the
/// terms counted here, or a range of the terms read from tantivy's segments.
enum Job {
    Part(usize, Part),
    Range(usize),
}

/// Writes `post.bin` and `dict.bin`: the shares are encoded a few at a time in parallel,
/// each group while the previous one is appended to the files.
fn write_dictionary(
    dir: &Path,
    postings: PostingsTable,
    lens: &Lengths,
    derived: Option<&TantivyTerms>,
) -> Result<DictStats, SearchError> {
    let mut dict = DictWriter::create(dir)?;
    let (parts, spilled) = postings.into_parts();
    // Jobs of uneven size (the ranges of tantivy's terms), so twice as many as threads
    // at a time.
    let threads = rayon::current_num_threads().max(1) * 2;
    let mut jobs: Vec<Job> = parts
        .into_iter()
        .enumerate()
        .map(|(p, part)| Job::Part(p, part))
        .collect();
    if let Some(t) = derived {
        jobs.extend((0..t.ranges()).map(Job::Range));
    }
    let norms = derived.map(|_| lens.norms()).unwrap_or_default();
    let mut jobs = jobs.into_iter();
    let mut pending: Vec<Vec<Encoded>> = Vec::new();
    loop {
        let group: Vec<Job> = jobs.by_ref().take(threads).collect();
        if group.is_empty() {
            break;
        }
        let (encoded, appended) = rayon::join(
            || {
                group
                    .into_par_iter()
                    .map(|job| match (job, derived) {
                        (Job::Part(p, part), _) => encode_part(dir, spilled, p, part, lens),
                        (Job::Range(r), Some(t)) => t.encode_range(r, lens, &norms),
                        (Job::Range(_), None) => Ok(Vec::new()),
                    })
                    .collect::<Result<Vec<_>, _>>()
            },
            || pending.drain(..).flatten().try_for_each(|e| dict.append(e)),
        );
        appended?;
        pending = encoded?;
    }
    pending
        .into_iter()
        .flatten()
        .try_for_each(|e| dict.append(e))?;
    dict.finish(dir)
}

/// Records and readers of built indexes for the tests of the submodules.
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::dictionary::{page_entries, Stored};
    use super::format::get_varint;
    use super::*;

    pub(super) fn sample_docs(n: u32) -> Vec<(SearchDoc, Option<Arc<DocWords>>)> {
        let words = [
            "政府",
            "信息公开",
            "行政许可",
            "吉林市",
            "年度报告",
            "2015",
            "依法行政",
        ];
        (0..n)
            .map(|i| {
                let body: String = (0..40)
                    .map(|j| words[((i * 7 + j * 3) % words.len() as u32) as usize])
                    .collect::<Vec<_>>()
                    .join(if i % 2 == 0 { "，" } else { "" });
                let doc = SearchDoc {
                    id: i,
                    slug: format!("d{i}"),
                    kind: ["document", "power"][(i % 2) as usize].into(),
                    url: format!("/documents/d{i}/"),
                    title: format!("{}关于{}的通知", words[(i % 7) as usize], i),
                    body,
                    agency: ["a", "b", "c"][(i % 3) as usize].into(),
                    agency_name: "机关".into(),
                    year: Some(2015 + (i % 4) as i32),
                    codes: vec![format!("示政发〔2015〕{i}号")],
                    date: None,
                    // Every document 综合政务, every tenth 司法 too (and once more, which
                    // counts once): a dense list and a sparse one.
                    categories: match (i % 2, i % 5) {
                        (0, 0) => vec!["综合政务".into(), "司法".into(), "司法".into()],
                        (0, _) => vec!["综合政务".into()],
                        _ => Vec::new(),
                    },
                };
                (doc, None)
            })
            .collect()
    }

    /// The weight bytes of `term`'s postings (a list, not dense), in internal id order.
    pub(super) fn weights_of(dir: &Path, term: &str) -> Vec<u8> {
        let mut all = all_postings(dir);
        all.remove(term)
            .unwrap_or_else(|| panic!("{term} is not in the index"))
            .1
    }

    /// Every term of a static index: its internal ids and weight bytes (list form only).
    pub(super) fn all_postings(dir: &Path) -> BTreeMap<String, (Vec<u32>, Vec<u8>)> {
        let dict = std::fs::read(dir.join("dict.bin")).unwrap();
        let post = std::fs::read(dir.join("post.bin")).unwrap();
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
        let pages = meta["pages"].as_u64().unwrap() as u32;
        let mut all = BTreeMap::new();
        for (number, page) in dict.chunks(PAGE_BYTES).enumerate() {
            for e in page_entries(page) {
                let e = e.expect("a whole entry");
                let term = String::from_utf8(e.term.to_vec()).unwrap();
                assert_eq!(
                    page_of(&term, pages) as usize,
                    number,
                    "{term}: in its page"
                );
                let blob = match e.postings {
                    Stored::Inline(b) => b,
                    Stored::External { delta, off, len } => {
                        assert!(!delta, "{term}: an index written whole has no delta");
                        &post[off as usize..(off + len) as usize]
                    }
                };
                assert_eq!(blob[0], 0, "{term}: a list");
                let df = e.df as usize;
                let mut p = 1;
                let mut ids = Vec::new();
                for i in 0..df {
                    let d = get_varint(blob, &mut p).unwrap() as u32;
                    ids.push(if i == 0 { d } else { ids[i - 1] + d });
                }
                all.insert(term, (ids, blob[p..p + df].to_vec()));
            }
        }
        all
    }
}
