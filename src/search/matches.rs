//! All of a query's matches, not only the ones listed: how many pass the filters, and how
//! many fall in each category (主题分类, 体裁).
//!
//! The set is the one the search page's client counts (search.js `matchSets`), so that
//! `gongkai search` and the page give the same numbers: a record matches when it holds every
//! term of the query, or each word and lone character of it with no two neighbouring bigrams
//! missing, or at least 60% of its terms, or when the query is one of its codes. It is built
//! the client's way too, as bitsets per segment from each term's matches.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::query::{SearchIndex, MIN_SHOULD_MATCH};
use super::tokenize::{normalize_code, tokenize_query, TokenKind};
use super::{Answer, SearchError, SearchQuery};

/// One bit per document of each segment, segments in order.
type Bits = Vec<Vec<u64>>;

impl SearchIndex {
    /// The hits of `q` with the count of its matches that pass its filters and the count of
    /// all its matches per category, whatever the filters (as the page counts its facets).
    pub fn answer(&self, q: &SearchQuery) -> Result<Answer, SearchError> {
        let hits = self.search(q)?;
        let searcher = self.reader().searcher();
        let member = self.members(&searcher, &q.text)?;
        let filter = self.filter_terms(q);
        let total = if filter.is_empty() {
            member
                .iter()
                .flatten()
                .map(|w| u64::from(w.count_ones()))
                .sum()
        } else {
            let clauses = filter
                .into_iter()
                .map(|t| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::Basic));
                    (Occur::Must, q)
                })
                .collect();
            let allowed = bits(&searcher, &BooleanQuery::new(clauses))?;
            member
                .iter()
                .flatten()
                .zip(allowed.iter().flatten())
                .map(|(m, a)| u64::from((m & a).count_ones()))
                .sum()
        };
        let categories = category_counts(&searcher, &member)?;
        Ok(Answer {
            hits,
            total,
            categories,
        })
    }

    /// The matches of `text`, by search.js `matchSets` (its `member` set).
    fn members(&self, searcher: &Searcher, text: &str) -> Result<Bits, SearchError> {
        let empty = || -> Bits {
            searcher
                .segment_readers()
                .iter()
                .map(|r| vec![0u64; words_of(r)])
                .collect()
        };
        let tokens = tokenize_query(text);
        let code = normalize_code(text);
        if tokens.is_empty() && code.is_empty() {
            return Ok(empty());
        }
        let terms = tokens.terms();
        let present: Vec<Bits> = terms
            .iter()
            .map(|t| bits(searcher, self.term(t).as_ref()))
            .collect::<Result<_, _>>()?;
        let code = if code.is_empty() {
            None
        } else {
            let q = TermQuery::new(
                Term::from_field_text(self.fields().codes, &code),
                IndexRecordOption::Basic,
            );
            Some(bits(searcher, &q)?)
        };
        // Runs of bigrams at consecutive positions are one group; every other token is one.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut prev: Option<(TokenKind, u32)> = None;
        for t in &tokens.tokens {
            let i = terms.iter().position(|x| *x == t.text).unwrap_or(0);
            match (prev, groups.last_mut()) {
                (Some((TokenKind::Bigram, p)), Some(g))
                    if t.kind == TokenKind::Bigram && t.position == p + 1 =>
                {
                    g.push(i)
                }
                _ => groups.push(vec![i]),
            }
            prev = Some((t.kind, t.position));
        }
        let n = terms.len();
        let min_match = if n > 1 {
            ((n as f64) * MIN_SHOULD_MATCH).ceil() as u32
        } else {
            n as u32
        };
        let mut member = empty();
        for (s, words) in member.iter_mut().enumerate() {
            for (w, out) in words.iter_mut().enumerate() {
                let at = |t: usize| present[t][s][w];
                let all = if n > 0 {
                    (0..n).fold(!0u64, |a, t| a & at(t))
                } else {
                    0
                };
                let mut m = all;
                if n > 1 {
                    let mut covered = !0u64;
                    for g in &groups {
                        covered &= at(g[0]) & at(g[g.len() - 1]);
                        for k in 1..g.len() {
                            covered &= at(g[k - 1]) | at(g[k]);
                        }
                    }
                    let any = (0..n).fold(0u64, |a, t| a | at(t));
                    let mut most = 0u64;
                    let mut rest = any;
                    while rest != 0 {
                        let b = rest.trailing_zeros();
                        rest &= rest - 1;
                        let count = (0..n).filter(|&t| at(t) >> b & 1 == 1).count() as u32;
                        if count >= min_match {
                            most |= 1 << b;
                        }
                    }
                    m |= covered | most;
                }
                if let Some(c) = &code {
                    m |= c[s][w];
                }
                *out = m;
            }
        }
        Ok(member)
    }
}

/// Words of a segment's bitset.
fn words_of(r: &SegmentReader) -> usize {
    (r.max_doc() as usize).div_ceil(64)
}

/// The documents `query` matches (deleted ones left out), as bitsets per segment.
fn bits(searcher: &Searcher, query: &dyn Query) -> Result<Bits, SearchError> {
    Ok(searcher.search(query, &BitsCollector)?)
}

/// Matches per category among `member`, most first, ties in code point order (as the
/// page sorts its facets).
fn category_counts(searcher: &Searcher, member: &Bits) -> Result<Vec<(String, u64)>, SearchError> {
    let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for (reader, words) in searcher.segment_readers().iter().zip(member) {
        let Some(column) = reader.fast_fields().str("categories")? else {
            continue;
        };
        let mut by_ord: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
        for (w, &word) in words.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                let doc = (w * 64) as DocId + rest.trailing_zeros();
                rest &= rest - 1;
                for ord in column.term_ords(doc) {
                    *by_ord.entry(ord).or_default() += 1;
                }
            }
        }
        let mut name = String::new();
        for (ord, n) in by_ord {
            if column.ord_to_str(ord, &mut name)? {
                *counts.entry(name.clone()).or_default() += n;
            }
        }
    }
    let mut out: Vec<(String, u64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

struct BitsCollector;

struct SegmentBits {
    ord: SegmentOrdinal,
    words: Vec<u64>,
}

impl Collector for BitsCollector {
    type Fruit = Bits;
    type Child = SegmentBits;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentBits> {
        Ok(SegmentBits {
            ord,
            words: vec![0; words_of(segment)],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, mut parts: Vec<(SegmentOrdinal, Vec<u64>)>) -> tantivy::Result<Bits> {
        parts.sort_by_key(|p| p.0);
        Ok(parts.into_iter().map(|p| p.1).collect())
    }
}

impl SegmentCollector for SegmentBits {
    type Fruit = (SegmentOrdinal, Vec<u64>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.words[doc as usize / 64] |= 1 << (doc % 64);
    }

    fn harvest(self) -> Self::Fruit {
        (self.ord, self.words)
    }
}
