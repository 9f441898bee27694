//! Updating the tantivy index in place: a few records changed, added or removed without
//! writing the other hundred thousand again.
//!
//! [`update_index`] deletes every version of the changed and removed records by their URL
//! (a record's identity; its `id` shifts when records are added) and adds the new
//! versions, in one commit. The answers are then those of an index written afresh from the
//! final records — same hits, same scores, same order — because:
//!
//! - Ties are ordered by URL (see [`super::query`]), not by stream order.
//! - Scores use the statistics of the live records (`LiveStatistics`). tantivy drops a
//!   deleted record from its segment only when the segment is merged; until then its own
//!   statistics still count it: the number of records (`max_doc`), each term's document
//!   frequency and each field's token total, all of which BM25 reads. `LiveStatistics`
//!   counts records alive, document frequencies over alive records (a segment without
//!   deletions answers from its dictionary as before; one with deletions reads the term's
//!   postings) and token totals less those of the deleted versions.
//! - The deleted versions' token totals are counted once, when they are deleted, by
//!   tokenizing their stored fields again, and kept per segment in [`DELETED_FILE`] with
//!   what merges leave inexact ([`Excess`]); a segment whose deletions the file does not
//!   account for (written by another version, or the file lost) has them counted afresh
//!   when the index is opened.
//! - Each part of a score is rounded so that their sum does not depend on how the records
//!   are split into segments ([`super::exact_score`]).
//!
//! Merging was the alternative: merging every segment that holds a deletion leaves no
//! deleted record, so tantivy's own statistics are right. But a record of a portal
//! written cold sits in one of a dozen large segments, which take seconds to rewrite, for
//! each update: merging the segments holding deletions took 1.5 s at 10,000 records and
//! 10 s at 100,000, where one change takes 0.1 s (`examples/search_update`). So merges are left to [`SMALL_SEGMENTS`]:
//! each update adds one small segment, and once there are more than that many, the small
//! ones are merged into one (the slowest of 20 changes in a row, the merging ones, took
//! 0.1–0.4 s). A large segment is
//! rewritten only once half of its records are deleted (`merge_candidates`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::index::SegmentId;
use tantivy::query::{Bm25StatisticsProvider, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocSet, Index, IndexWriter, Searcher, SegmentReader, TantivyDocument, Term, TERMINATED,
};

use super::index::{register_tokenizer, to_document, Fields, SCHEMA_VERSION};
use super::tokenize::{normalize_code, scan, Side};
use super::words::DocWords;
use super::{SearchDoc, SearchError};

/// The file, in the index folder, holding the token totals of deleted records per segment.
pub const DELETED_FILE: &str = "gongkai-deleted.json";

/// Small segments (fewer than [`SMALL_DOCS`] records) allowed before they are merged.
pub const SMALL_SEGMENTS: usize = 8;

/// A segment with fewer records than this is small (what updates write).
pub const SMALL_DOCS: u32 = 1_000;

/// Writer memory for an update (tantivy's minimum is 15 MB per thread).
const UPDATE_MEMORY: usize = 32 << 20;

/// What [`update_index`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateStats {
    /// Records added or replaced.
    pub upserted: u64,
    /// Versions deleted (replaced or removed records found in the index).
    pub deleted: u64,
    /// Segments merged after the commit (0: none).
    pub merged_segments: u64,
    pub millis: u64,
}

/// How much tantivy's token total of a field, in one segment, exceeds the exact total of
/// its live records, per field; and how many deleted records that accounts for.
///
/// A deleted record's tokens stay in its segment's totals until the segment is merged. A
/// merge does not give the exact totals either: for a segment with deletions tantivy
/// estimates them from the field norms, which are exact only up to 40 tokens. So the
/// excess of a merged segment is measured right after the merge (its total less the exact
/// live totals of the segments merged) and kept like the others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excess {
    /// Deleted records accounted for (a segment's entry holds while this equals its number
    /// of deleted records).
    pub deleted: u64,
    pub title: i64,
    pub body: i64,
    pub codes_text: i64,
    pub codes: i64,
}

impl Excess {
    fn add(&mut self, o: &Excess) {
        self.deleted += o.deleted;
        self.title += o.title;
        self.body += o.body;
        self.codes_text += o.codes_text;
        self.codes += o.codes;
    }

    /// The tokens of one stored record, counted as the tokenizers of the schema count
    /// them: what deleting it leaves in its segment's totals.
    fn of_deleted(f: &Fields, doc: &TantivyDocument) -> Excess {
        let count = |field: Field| -> i64 {
            doc.get_all(field)
                .filter_map(|v| v.as_str())
                .map(|text| {
                    let mut n = 0i64;
                    scan(text, Side::IndexBigrams, |_| n += 1);
                    n
                })
                .sum()
        };
        let codes = doc
            .get_all(f.codes_text)
            .filter_map(|v| v.as_str())
            .filter(|c| !normalize_code(c).is_empty())
            .count() as i64;
        Excess {
            deleted: 1,
            title: count(f.title),
            body: count(f.body),
            codes_text: count(f.codes_text),
            codes,
        }
    }

    fn field(&self, f: &Fields, field: Field) -> i64 {
        if field == f.title {
            self.title
        } else if field == f.body {
            self.body
        } else if field == f.codes_text {
            self.codes_text
        } else if field == f.codes {
            self.codes
        } else {
            0
        }
    }

    fn set_field(&mut self, f: &Fields, field: Field, v: i64) {
        if field == f.title {
            self.title = v;
        } else if field == f.body {
            self.body = v;
        } else if field == f.codes_text {
            self.codes_text = v;
        } else if field == f.codes {
            self.codes = v;
        }
    }
}

/// The fields whose token totals BM25 reads.
fn scored_fields(f: &Fields) -> [Field; 4] {
    [f.title, f.body, f.codes_text, f.codes]
}

/// [`DELETED_FILE`]: segment id (uuid) → its [`Excess`].
type ExcessFile = BTreeMap<String, Excess>;

fn read_excess_file(dir: &Path) -> ExcessFile {
    std::fs::read(dir.join(DELETED_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn write_excess_file(dir: &Path, file: &ExcessFile) -> Result<(), SearchError> {
    let json = serde_json::to_vec(file).map_err(|e| SearchError::Format(e.to_string()))?;
    let tmp = dir.join(format!("{DELETED_FILE}.tmp"));
    std::fs::write(&tmp, json)?;
    std::fs::rename(tmp, dir.join(DELETED_FILE))?;
    Ok(())
}

/// The tokens of the deleted records of `reader`'s segment, counted from their stored
/// fields (tantivy keeps them until the segment is merged).
fn count_deleted(f: &Fields, reader: &SegmentReader) -> Result<Excess, SearchError> {
    let mut total = Excess::default();
    let Some(alive) = reader.alive_bitset() else {
        return Ok(total);
    };
    let store = reader.get_store_reader(1)?;
    for doc in 0..reader.max_doc() {
        if alive.is_deleted(doc) {
            let stored: TantivyDocument = store.get(doc)?;
            total.add(&Excess::of_deleted(f, &stored));
        }
    }
    Ok(total)
}

/// The [`Excess`] of each segment of `searcher`: from [`DELETED_FILE`] where its entry
/// accounts for all the segment's deleted records, otherwise the deleted records counted
/// now (what a file from another version, or lost, leaves to do).
pub(crate) fn segment_excess(
    dir: &Path,
    f: &Fields,
    searcher: &Searcher,
) -> Result<HashMap<SegmentId, Excess>, SearchError> {
    let file = read_excess_file(dir);
    let mut out = HashMap::new();
    for reader in searcher.segment_readers() {
        let id = reader.segment_id();
        let deleted = u64::from(reader.num_deleted_docs());
        let excess = match file.get(&id.uuid_string()) {
            Some(e) if e.deleted == deleted => *e,
            _ if deleted == 0 => continue,
            _ => count_deleted(f, reader)?,
        };
        out.insert(id, excess);
    }
    Ok(out)
}

/// BM25 statistics over the live records only: those of an index written afresh from the
/// same records.
pub(crate) struct LiveStatistics<'a> {
    searcher: &'a Searcher,
    fields: Fields,
    /// Summed over segments.
    excess: Excess,
}

impl<'a> LiveStatistics<'a> {
    pub(crate) fn new(
        searcher: &'a Searcher,
        fields: Fields,
        excess: &HashMap<SegmentId, Excess>,
    ) -> LiveStatistics<'a> {
        let mut total = Excess::default();
        for reader in searcher.segment_readers() {
            if let Some(e) = excess.get(&reader.segment_id()) {
                total.add(e);
            }
        }
        LiveStatistics {
            searcher,
            fields,
            excess: total,
        }
    }
}

impl Bm25StatisticsProvider for LiveStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let all = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        Ok((all as i64 - self.excess.field(&self.fields, field)).max(0) as u64)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.searcher.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut n = 0u64;
        for reader in self.searcher.segment_readers() {
            let inverted = reader.inverted_index(term.field())?;
            let Some(alive) = reader.alive_bitset() else {
                n += u64::from(inverted.doc_freq(term)?);
                continue;
            };
            if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_alive(doc) {
                        n += 1;
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(n)
    }
}

/// A searcher of the index as committed now.
fn fresh_searcher(index: &Index) -> Result<Searcher, SearchError> {
    let reader: tantivy::IndexReader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    Ok(reader.searcher())
}

/// The live stored versions of the record at `url` (one, unless the index is damaged),
/// with the segment holding each.
fn live_versions(
    searcher: &Searcher,
    f: &Fields,
    url: &str,
) -> Result<Vec<(SegmentId, TantivyDocument)>, SearchError> {
    let term = Term::from_field_text(f.url, url);
    let mut found = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let inverted = reader.inverted_index(f.url)?;
        let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if reader.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                let stored: TantivyDocument =
                    searcher.doc(tantivy::DocAddress::new(ord as u32, doc))?;
                found.push((reader.segment_id(), stored));
            }
            doc = postings.advance();
        }
    }
    Ok(found)
}

/// The text the index in `dir` holds of each record at `urls` (title, body and codes; the
/// other fields left empty), in the order of `urls`; `None` if one is missing or held twice.
/// The static index's delta reads the versions it replaces from here.
pub fn stored_texts(dir: &Path, urls: &[&str]) -> Result<Option<Vec<SearchDoc>>, SearchError> {
    let index = Index::open_in_dir(dir)?;
    let f = Fields::from_schema(&index.schema())?;
    let searcher = fresh_searcher(&index)?;
    let texts = |doc: &TantivyDocument, field: Field| -> Vec<String> {
        doc.get_all(field)
            .filter_map(|v| v.as_str())
            .map(String::from)
            .collect()
    };
    let mut out = Vec::with_capacity(urls.len());
    for url in urls {
        let found = live_versions(&searcher, &f, url)?;
        let [(_, doc)] = found.as_slice() else {
            return Ok(None);
        };
        out.push(SearchDoc {
            id: 0,
            slug: String::new(),
            kind: String::new(),
            url: url.to_string(),
            title: texts(doc, f.title).concat(),
            body: texts(doc, f.body).concat(),
            agency: String::new(),
            agency_name: String::new(),
            year: None,
            codes: texts(doc, f.codes_text),
            date: None,
            categories: Vec::new(),
        });
    }
    Ok(Some(out))
}

/// Replaces or adds `upserts` and removes the records whose URL is in `deleted`, in the
/// tantivy index in `dir` (written by [`super::index::write_index`]), with one commit.
pub fn update_index(
    dir: &Path,
    upserts: Vec<SearchDoc>,
    deleted: &[String],
) -> Result<UpdateStats, SearchError> {
    update_index_with_words(
        dir,
        upserts.into_iter().map(|d| (d, None)).collect(),
        deleted,
    )
}

/// [`update_index`] of records whose word terms may already be known (`None`: computed
/// here).
pub fn update_index_with_words(
    dir: &Path,
    upserts: Vec<(SearchDoc, Option<Arc<DocWords>>)>,
    deleted: &[String],
) -> Result<UpdateStats, SearchError> {
    let started = Instant::now();
    let index = Index::open_in_dir(dir)?;
    register_tokenizer(&index);
    let f = Fields::from_schema(&index.schema())?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let version = TermQuery::new(
        Term::from_field_text(f.version, SCHEMA_VERSION),
        IndexRecordOption::Basic,
    );
    if searcher.search(&version, &tantivy::collector::Count)? == 0 {
        return Err(SearchError::Format(crate::zh_en!(
            format!("{} 不是这个版本的 gongkai 生成的", dir.display()),
            format!(
                "{} was not written by this version of gongkai",
                dir.display()
            )
        )));
    }

    // A URL given twice keeps its last version; a URL both upserted and deleted is upserted.
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, (d, _)) in upserts.iter().enumerate() {
        last.insert(d.url.as_str(), i);
    }
    let mut urls: Vec<&str> = deleted.iter().map(String::as_str).collect();
    urls.extend(last.keys().copied());
    urls.sort_unstable();
    urls.dedup();

    // The versions about to be deleted, counted while they are still alive.
    let mut file: ExcessFile = segment_excess(dir, &f, &searcher)?
        .into_iter()
        .map(|(id, e)| (id.uuid_string(), e))
        .collect();
    let mut removed = 0u64;
    for url in &urls {
        for (segment, stored) in live_versions(&searcher, &f, url)? {
            file.entry(segment.uuid_string())
                .or_default()
                .add(&Excess::of_deleted(&f, &stored));
            removed += 1;
        }
    }

    let mut writer: IndexWriter = index.writer_with_num_threads(1, UPDATE_MEMORY)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    for url in &urls {
        writer.delete_term(Term::from_field_text(f.url, url));
    }
    let n = last.len() as u64;
    let keep: Vec<usize> = {
        let mut v: Vec<usize> = last.values().copied().collect();
        v.sort_unstable();
        v
    };
    let mut upserts: Vec<Option<(SearchDoc, Option<Arc<DocWords>>)>> =
        upserts.into_iter().map(Some).collect();
    for i in keep {
        if let Some((d, words)) = upserts[i].take() {
            writer.add_document(to_document(&f, d, words))?;
        }
    }
    writer.commit()?;
    // Written now and again after a merge, so that a process stopped in between leaves a
    // file that accounts for the deletions just committed.
    write_excess_file(dir, &live_entries(&index, file.clone())?)?;

    let metas = index.searchable_segment_metas()?;
    let merge = merge_candidates(&metas);
    if !merge.is_empty() {
        // The exact live totals of the segments merged, to measure the merged one's excess.
        let searcher = fresh_searcher(&index)?;
        let mut live = Excess::default();
        for reader in searcher.segment_readers() {
            if !merge.contains(&reader.segment_id()) {
                continue;
            }
            let e = file
                .get(&reader.segment_id().uuid_string())
                .copied()
                .unwrap_or_default();
            for field in scored_fields(&f) {
                let total = reader.inverted_index(field)?.total_num_tokens() as i64;
                let sum = live.field(&f, field) + total - e.field(&f, field);
                live.set_field(&f, field, sum);
            }
        }
        if let Some(merged) = writer.merge(&merge).wait()? {
            let searcher = fresh_searcher(&index)?;
            if let Some(reader) = searcher
                .segment_readers()
                .iter()
                .find(|r| r.segment_id() == merged.id())
            {
                let mut e = Excess::default();
                for field in scored_fields(&f) {
                    let total = reader.inverted_index(field)?.total_num_tokens() as i64;
                    e.set_field(&f, field, total - live.field(&f, field));
                }
                file.insert(merged.id().uuid_string(), e);
            }
        }
    }
    writer.wait_merging_threads()?;

    write_excess_file(dir, &live_entries(&index, file)?)?;
    Ok(UpdateStats {
        upserted: n,
        deleted: removed,
        merged_segments: merge.len() as u64,
        millis: started.elapsed().as_millis() as u64,
    })
}

/// The entries of `file` for the segments of `index` as committed, each accounting for all
/// its deletions: entries of segments merged away go.
fn live_entries(index: &Index, mut file: ExcessFile) -> Result<ExcessFile, SearchError> {
    let segments: HashMap<String, u32> = index
        .searchable_segment_metas()?
        .iter()
        .map(|m| (m.id().uuid_string(), m.num_deleted_docs()))
        .collect();
    file.retain(|uuid, e| {
        segments
            .get(uuid)
            .is_some_and(|&d| u64::from(d) == e.deleted)
            && *e != Excess::default()
    });
    Ok(file)
}

/// The segments to merge after an update: all the small ones once there are more than
/// [`SMALL_SEGMENTS`], and any with half of its records deleted (then its deleted records
/// cost as much to skip as its live ones to read).
fn merge_candidates(metas: &[tantivy::index::SegmentMeta]) -> Vec<SegmentId> {
    let small: Vec<SegmentId> = metas
        .iter()
        .filter(|m| m.max_doc() < SMALL_DOCS)
        .map(|m| m.id())
        .collect();
    let mut out: Vec<SegmentId> = metas
        .iter()
        .filter(|m| m.max_doc() >= SMALL_DOCS && m.num_deleted_docs() * 2 >= m.max_doc())
        .map(|m| m.id())
        .collect();
    if small.len() > SMALL_SEGMENTS || (!out.is_empty() && !small.is_empty()) {
        out.extend(small);
    }
    // One segment alone is worth rewriting only to drop its deleted records.
    let worth = out.len() >= 2
        || out.iter().any(|id| {
            metas
                .iter()
                .any(|m| m.id() == *id && m.num_deleted_docs() > 0)
        });
    if worth {
        out
    } else {
        Vec::new()
    }
}
