//! The static index's text postings read back from the tantivy index of the same records.
//!
//! Both indexes hold the same text terms — the tokens of [`crate::search::tokenize::scan`] in the
//! title, the codes and the body — so `gongkai build` tokenizes and counts each record once,
//! in tantivy, and the static index takes each term's documents and frequencies from the
//! segments once they are written. Reading them back is cheap next to counting: tantivy's
//! postings decode in blocks, about 25 ms for the 7.6 million postings of 10,000 records.
//!
//! What the static index counts differently is derived here:
//! - a title occurrence is one in `title` or `codes_text`, a body occurrence one in `body`;
//! - a CJK character is a term of its own, whose frequency is the sum over the terms it
//!   starts (the bigrams, and itself at the end of a run): those are adjacent in the term
//!   dictionary, as UTF-8 sorts by code point;
//! - lengths are tantivy's field norms (`title` + `codes_text`, `body`), so the browser
//!   ranks with the lengths `gongkai search` ranks with.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;
use std::sync::Arc;

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Index, InvertedIndexReader, Searcher, TERMINATED};

use super::postings::{encode_weighted, Encoded};
use super::weight::{weight_normed, Lengths};
use crate::search::index::{register_tokenizer, Fields};
use crate::search::SearchError;
use crate::text::cjk::is_cjk;

/// First characters the term space is cut at, so that ranges are encoded in parallel: the
/// terms before U+3000 (Latin words, digits), the kana and rarer CJK up to U+4E00, then
/// the common CJK block in pieces of 1,024 code points, then the rest. A character and the
/// bigrams it starts always fall in one range.
fn boundaries() -> Vec<char> {
    let mut b = vec!['\u{3000}', '\u{4E00}'];
    b.extend((1..=20).filter_map(|k| char::from_u32(0x4E00 + k * 0x400)));
    b
}

/// The opened tantivy index, with each segment document's caller id.
pub(super) struct TantivyTerms {
    searcher: Searcher,
    /// The text fields and whether an occurrence in it counts as one in the title.
    fields: [(Field, bool); 3],
    /// Per segment, by segment document: caller id, or `u32::MAX` (the version document).
    callers: Vec<Vec<u32>>,
    cuts: Vec<char>,
}

impl TantivyTerms {
    /// Opens the index in `dir`, which holds the `n` records the static index is built from;
    /// also their title and body lengths by caller id.
    pub(super) fn open(
        dir: &Path,
        n: usize,
    ) -> Result<(TantivyTerms, Vec<u32>, Vec<u32>), SearchError> {
        let index = Index::open_in_dir(dir)?;
        register_tokenizer(&index);
        let f = Fields::from_schema(&index.schema())?;
        let searcher = index.reader()?.searcher();
        let mut title = vec![0u32; n];
        let mut body = vec![0u32; n];
        let mut seen = 0usize;
        let mut callers = Vec::new();
        for seg in searcher.segment_readers() {
            let ids = seg.fast_fields().u64("id")?;
            let t = seg.get_fieldnorms_reader(f.title)?;
            let c = seg.get_fieldnorms_reader(f.codes_text)?;
            let b = seg.get_fieldnorms_reader(f.body)?;
            let mut of_doc = Vec::with_capacity(seg.max_doc() as usize);
            for doc in 0..seg.max_doc() {
                let Some(id) = ids.first(doc) else {
                    of_doc.push(u32::MAX);
                    continue;
                };
                let caller = usize::try_from(id).ok().filter(|&c| c < n).ok_or_else(|| {
                    SearchError::Format(format!(
                        "{}: record {id} of {n} records is not among those indexed",
                        dir.display()
                    ))
                })?;
                title[caller] = t.fieldnorm(doc) + c.fieldnorm(doc);
                body[caller] = b.fieldnorm(doc);
                of_doc.push(caller as u32);
                seen += 1;
            }
            callers.push(of_doc);
        }
        if seen != n {
            return Err(SearchError::Format(format!(
                "{}: holds {seen} records, the static index {n}",
                dir.display()
            )));
        }
        let terms = TantivyTerms {
            searcher,
            fields: [(f.title, true), (f.codes_text, true), (f.body, false)],
            callers,
            cuts: boundaries(),
        };
        Ok((terms, title, body))
    }

    /// The number of ranges [`TantivyTerms::encode_range`] takes.
    pub(super) fn ranges(&self) -> usize {
        self.cuts.len() + 1
    }

    /// The terms of range `r` with their postings encoded, in no particular order; `norms`
    /// as [`Lengths::norms`] gives them.
    pub(super) fn encode_range(
        &self,
        r: usize,
        lens: &Lengths,
        norms: &[(f64, f64)],
    ) -> Result<Vec<Encoded>, SearchError> {
        let lo = r
            .checked_sub(1)
            .and_then(|i| self.cuts.get(i))
            .map(|c| c.to_string());
        let hi = self.cuts.get(r).map(|c| c.to_string());
        // One sorted term stream per segment and field, merged by term.
        let mut readers: Vec<(usize, bool, Arc<InvertedIndexReader>)> = Vec::new();
        for (s, seg) in self.searcher.segment_readers().iter().enumerate() {
            for &(field, is_title) in &self.fields {
                readers.push((s, is_title, seg.inverted_index(field)?));
            }
        }
        let mut streams = Vec::with_capacity(readers.len());
        for (_, _, inv) in &readers {
            let mut range = inv.terms().range();
            if let Some(lo) = &lo {
                range = range.ge(lo);
            }
            if let Some(hi) = &hi {
                range = range.lt(hi);
            }
            streams.push(range.into_stream()?);
        }
        let mut heads: BinaryHeap<Reverse<(Vec<u8>, usize)>> = BinaryHeap::new();
        for (i, stream) in streams.iter_mut().enumerate() {
            if stream.advance() {
                heads.push(Reverse((stream.key().to_vec(), i)));
            }
        }
        let n = lens.internal.len();
        let mut out: Vec<Encoded> = Vec::new();
        let mut term = Counts::new(n);
        // The character whose terms are being read, and the counts of all of them.
        let mut group: Option<char> = None;
        let mut char_counts = Counts::new(n);
        while let Some(Reverse((key, first))) = heads.pop() {
            let lead = std::str::from_utf8(&key)
                .ok()
                .and_then(|t| t.chars().next())
                .filter(|&c| is_cjk(c));
            if group != lead {
                if let Some(c) = group {
                    out.push(char_counts.encode(c.to_string(), norms));
                }
                group = lead;
            }
            let mut at = Some(first);
            while let Some(i) = at {
                let (s, is_title, inv) = &readers[i];
                let info = streams[i].value().clone();
                let mut postings =
                    inv.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                let callers = &self.callers[*s];
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let caller = callers.get(doc as usize).copied().unwrap_or(u32::MAX);
                    if caller != u32::MAX {
                        let id = lens.internal[caller as usize];
                        let tf = postings.term_freq();
                        let tfs = if *is_title { (tf, 0) } else { (0, tf) };
                        term.add(id, tfs);
                        if lead.is_some() {
                            char_counts.add(id, tfs);
                        }
                    }
                    doc = postings.advance();
                }
                if streams[i].advance() {
                    heads.push(Reverse((streams[i].key().to_vec(), i)));
                }
                at = match heads.peek() {
                    Some(Reverse((k, _))) if *k == key => heads.pop().map(|Reverse((_, j))| j),
                    _ => None,
                };
            }
            match String::from_utf8(key).ok() {
                // A character alone is encoded with the bigrams it starts, as one term.
                Some(t) if lead.is_none() || t.chars().nth(1).is_some() => {
                    out.push(term.encode(t, norms))
                }
                _ => term.clear(),
            }
        }
        if let Some(c) = group {
            out.push(char_counts.encode(c.to_string(), norms));
        }
        Ok(out)
    }
}

/// Title and body frequencies of one term by internal id, and the records counted.
struct Counts {
    tf: Vec<(u32, u32)>,
    counted: Vec<u32>,
}

impl Counts {
    fn new(n: usize) -> Counts {
        Counts {
            tf: vec![(0, 0); n],
            counted: Vec::new(),
        }
    }

    fn add(&mut self, id: u32, (title, body): (u32, u32)) {
        let e = &mut self.tf[id as usize];
        if *e == (0, 0) {
            self.counted.push(id);
        }
        e.0 += title;
        e.1 += body;
    }

    fn clear(&mut self) {
        for &c in &self.counted {
            self.tf[c as usize] = (0, 0);
        }
        self.counted.clear();
    }

    /// The term's postings encoded (`norms`: each record's title and body length norms);
    /// the counts are cleared.
    fn encode(&mut self, term: String, norms: &[(f64, f64)]) -> Encoded {
        let n = self.tf.len();
        // A term in many records is read off the table in id order instead of sorting.
        if self.counted.len() * 16 >= n {
            self.counted.clear();
            self.counted
                .extend((0..n as u32).filter(|&i| self.tf[i as usize] != (0, 0)));
        } else {
            self.counted.sort_unstable();
        }
        let docs: Vec<(u32, u8)> = self
            .counted
            .iter()
            .map(|&i| {
                let (tt, tb) = self.tf[i as usize];
                let (nt, nb) = norms[i as usize];
                (i, weight_normed(tt, tb, nt, nb))
            })
            .collect();
        self.clear();
        let df = docs.len() as u32;
        let mut blob = Vec::new();
        let spares = encode_weighted(docs, n, &mut blob);
        (term, df, blob, spares)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{all_postings, sample_docs};
    use super::super::{build_spilling_at, TextTerms};
    use crate::search::index::write_index_threads;
    use crate::search::SearchError;

    /// Read from tantivy's segments (as `gongkai build` does), the static index holds what
    /// it holds when it counts the terms itself (as a build that updates the tantivy index
    /// does): the same terms in the same records with the same weights, so both answer
    /// alike. Two writer threads, so segments hold records out of order.
    #[test]
    fn postings_read_from_tantivy_are_the_ones_counted() {
        let docs = sample_docs(1500);
        let counted = tempfile::tempdir().unwrap();
        build_spilling_at(
            docs.clone().into_iter(),
            counted.path(),
            usize::MAX,
            TextTerms::Scanned,
        )
        .unwrap();
        let tantivy = tempfile::tempdir().unwrap();
        let index_dir = tantivy.path().join("idx");
        write_index_threads(docs.clone().into_iter(), &index_dir, 2).unwrap();
        let read = tempfile::tempdir().unwrap();
        let dir = index_dir.clone();
        build_spilling_at(
            docs.into_iter(),
            read.path(),
            usize::MAX,
            TextTerms::FromTantivy(Box::new(move || Ok(dir))),
        )
        .unwrap();
        let (a, b) = (all_postings(counted.path()), all_postings(read.path()));
        assert!(a.len() > 100, "{} terms", a.len());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "the same terms"
        );
        for (term, (ids, weights)) in &a {
            let (ids_b, weights_b) = &b[term];
            assert_eq!(ids, ids_b, "{term}: the same records");
            assert_eq!(weights, weights_b, "{term}: the same weights");
        }
        // dict.bin and post.bin hold the same entries, laid out in another order.
        for f in ["meta.json", "docs.bin", "categories.bin"] {
            let x = std::fs::read(counted.path().join(f)).unwrap();
            let y = std::fs::read(read.path().join(f)).unwrap();
            assert!(x == y, "{f} differs");
        }
    }

    /// A tantivy index of other records than the static index's is refused, not read.
    #[test]
    fn postings_are_not_read_from_another_portals_index() {
        let tantivy = tempfile::tempdir().unwrap();
        let index_dir = tantivy.path().join("idx");
        write_index_threads(sample_docs(10).into_iter(), &index_dir, 1).unwrap();
        let out = tempfile::tempdir().unwrap();
        let err = build_spilling_at(
            sample_docs(12).into_iter(),
            out.path(),
            usize::MAX,
            TextTerms::FromTantivy(Box::new(move || Ok(index_dir))),
        )
        .unwrap_err();
        assert!(
            matches!(&err, SearchError::Format(m) if m.contains("10 records, the static index 12")),
            "{err}"
        );
    }
}
