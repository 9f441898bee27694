//! Tiered search over the tantivy index.
//!
//! Raw user input never goes through tantivy's `QueryParser`: every query is built from
//! the tokens of [`tokenize_query`], so `: + - ( ) " *` are just separators.
//!
//! Tiers, best first (a record is reported in the best tier it reaches):
//! 1. exact code: the folded query equals one of the record's folded codes;
//! 2. phrase: the whole query, as a phrase of its tokens, in the title, body or codes
//!    (a query that is one CJK word: first the records holding it as a dictionary word,
//!    see [`super::words`]);
//! 3. words: every jieba-rs word of the query, each as a phrase of its tokens, anywhere;
//! 4. bigrams: at least 60% of the query's distinct tokens, anywhere.
//!
//! Within a tier: the sum of the query tokens' BM25 scores, with field boosts (title over
//! codes over body), as the static client computes it.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use tantivy::collector::TopDocs;
use tantivy::index::SegmentId;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RegexPhraseQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::char_query::CharQuery;
use super::exact_score::Exact;
use super::index::{register_tokenizer, Fields, SCHEMA_VERSION};
use super::snippet::snippet;
use super::tokenize::{normalize_code, tokenize_query, QueryTokens};
use super::update::{segment_excess, Excess, LiveStatistics};
use super::{Hit, SearchError, SearchQuery, Tier};
use crate::text::cjk::is_cjk;

/// Field boosts inside a tier.
pub const TITLE_BOOST: f32 = 3.0;
pub const CODES_BOOST: f32 = 2.0;
pub const BODY_BOOST: f32 = 1.0;

/// Share of the query's distinct tokens a record needs for the bigram tier.
pub const MIN_SHOULD_MATCH: f64 = 0.6;

/// Length of a snippet, in characters.
pub const SNIPPET_CHARS: usize = 120;

use super::words::{jieba, query_word_term};

/// The words of the query by jieba-rs (without HMM, so the split is dictionary-only and
/// deterministic), each tokenized; words without tokens (punctuation) are dropped.
pub fn query_words(text: &str) -> Vec<QueryTokens> {
    jieba()
        .cut(text, false)
        .into_iter()
        .map(|w| tokenize_query(w.word))
        .filter(|t| !t.is_empty())
        .collect()
}

/// An opened tantivy index, for repeated queries (`serve`).
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// How far the segments' token totals are off after updates, for [`LiveStatistics`]
    /// (the reader is never reloaded, so its segments stay these).
    excess: HashMap<SegmentId, Excess>,
    /// Per segment, the rank of each of its URLs (by term ordinal) among all the index's.
    url_ranks: Arc<HashMap<SegmentId, Arc<Vec<u32>>>>,
}

impl SearchIndex {
    /// Opens the index written by [`super::index::write_index`].
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let index = Index::open_in_dir(dir)?;
        register_tokenizer(&index);
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        // The version before the fields: an index of an older schema lacks some of them, and
        // is refused as written by another version rather than for a missing field.
        let version = index.schema().get_field("version").ok().map(|field| {
            TermQuery::new(
                Term::from_field_text(field, SCHEMA_VERSION),
                IndexRecordOption::Basic,
            )
        });
        let current = match version {
            Some(v) => searcher.search(&v, &tantivy::collector::Count)? > 0,
            None => false,
        };
        if !current {
            return Err(SearchError::Format(crate::zh_en!(
                format!("{} 不是这个版本的 gongkai 生成的", dir.display()),
                format!(
                    "{} was not written by this version of gongkai",
                    dir.display()
                )
            )));
        }
        let fields = Fields::from_schema(&index.schema())?;
        let excess = segment_excess(dir, &fields, &searcher)?;
        let url_ranks = Arc::new(url_ranks(&searcher)?);
        Ok(SearchIndex {
            reader,
            fields,
            excess,
            url_ranks,
        })
    }

    pub(super) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    pub(super) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Runs one query; see the module documentation for the tiers.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, SearchError> {
        let tokens = tokenize_query(&q.text);
        let code = normalize_code(&q.text);
        if q.limit == 0 || (tokens.is_empty() && code.is_empty()) {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let stats = LiveStatistics::new(&searcher, self.fields, &self.excess);
        let f = &self.fields;
        let mut tiers: Vec<(Tier, Box<dyn Query>)> = Vec::new();
        if !code.is_empty() {
            tiers.push((
                Tier::Code,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.codes, &code),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if !tokens.is_empty() {
            // A one-word query: records where it stands as a word first (吉林市 in
            // 吉林市人民政府), then those where it only spans words (吉林市场).
            if let Some(word) = query_word_term(&q.text) {
                let filter: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, self.phrase(&tokens)),
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.words, &word),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ]));
                tiers.push((Tier::Phrase, self.scored_by_terms(filter, &tokens)));
            }
            tiers.push((
                Tier::Phrase,
                self.scored_by_terms(self.phrase(&tokens), &tokens),
            ));
            let words = query_words(&q.text);
            if words.len() > 1 {
                let clauses = words
                    .iter()
                    .map(|w| (Occur::Must, self.phrase(w)))
                    .collect();
                let filter: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
                tiers.push((Tier::Words, self.scored_by_terms(filter, &tokens)));
            }
            let terms = tokens.terms();
            if terms.len() > 1 {
                let min = ((terms.len() as f64) * MIN_SHOULD_MATCH).ceil() as usize;
                let clauses = terms
                    .iter()
                    .map(|t| (Occur::Should, self.term(t)))
                    .collect();
                tiers.push((
                    Tier::Bigrams,
                    Box::new(BooleanQuery::with_minimum_required_clauses(clauses, min)),
                ));
            }
        }

        let mut seen: HashSet<DocAddress> = HashSet::new();
        let mut hits = Vec::new();
        for (tier, query) in tiers {
            if hits.len() >= q.limit {
                break;
            }
            let query = self.filtered(query, q);
            // Equal scores in the order of their URLs: not in the order of the segments,
            // which depends on how the writer threads took turns and on updates, nor in
            // stream order, which shifts whenever a record is added before another.
            let url_ranks = self.url_ranks.clone();
            let top = searcher.search_with_statistics_provider(
                &query,
                &TopDocs::with_limit(q.limit + seen.len()).tweak_score(
                    move |segment: &tantivy::SegmentReader| {
                        let urls = segment.fast_fields().str("url").ok().flatten();
                        let ranks = url_ranks.get(&segment.segment_id()).cloned();
                        move |doc: tantivy::DocId, score: tantivy::Score| {
                            let rank = urls
                                .as_ref()
                                .and_then(|c| c.ords().first(doc))
                                .and_then(|ord| ranks.as_ref()?.get(ord as usize).copied());
                            (score, std::cmp::Reverse(rank.unwrap_or(u32::MAX)))
                        }
                    },
                ),
                &stats,
            )?;
            for ((score, _), addr) in top {
                if hits.len() >= q.limit {
                    break;
                }
                if seen.insert(addr) {
                    hits.push(self.hit(&searcher, addr, score, tier, &tokens)?);
                }
            }
        }
        Ok(hits)
    }

    /// Records matching `filter`, scored by the sum of the BM25 scores of the query's
    /// distinct tokens (with field boosts): the score every tier uses, and the one the
    /// static index's client computes, so the CLI and the browser rank alike.
    fn scored_by_terms(&self, filter: Box<dyn Query>, tokens: &QueryTokens) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0)))];
        clauses.extend(tokens.terms().iter().map(|t| (Occur::Should, self.term(t))));
        Box::new(BooleanQuery::new(clauses))
    }

    /// A single token in any text field, with field boosts.
    pub(super) fn term(&self, text: &str) -> Box<dyn Query> {
        if let Some(ch) = lone_char(text) {
            return self.per_field(|field| Box::new(CharQuery::new(field, ch)));
        }
        self.per_field(|field| {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ))
        })
    }

    /// The tokens as one phrase (a single token is a term) in any text field.
    fn phrase(&self, tokens: &QueryTokens) -> Box<dyn Query> {
        let phrase = tokens.phrase();
        if phrase.len() == 1 {
            return self.term(phrase[0].1);
        }
        if phrase.iter().any(|&(_, t)| lone_char(t).is_some()) {
            // A lone character is whichever token starts with it at its position (see
            // `char_query`); the other tokens match themselves.
            let patterns: Vec<(usize, String)> = phrase
                .iter()
                .map(|&(off, t)| {
                    let pattern = match lone_char(t) {
                        Some(_) => format!("{}.?", regex_literal(t)),
                        None => regex_literal(t),
                    };
                    (off as usize, pattern)
                })
                .collect();
            return self.per_field(|field| {
                let mut q = RegexPhraseQuery::new_with_offset(field, patterns.clone());
                // A character starts at most one term per character it precedes.
                q.set_max_expansions(1 << 20);
                Box::new(q)
            });
        }
        self.per_field(|field| {
            Box::new(PhraseQuery::new_with_offset(
                phrase
                    .iter()
                    .map(|&(off, t)| (off as usize, Term::from_field_text(field, t)))
                    .collect(),
            ))
        })
    }

    fn per_field(&self, make: impl Fn(tantivy::schema::Field) -> Box<dyn Query>) -> Box<dyn Query> {
        let f = &self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = [
            (f.title, TITLE_BOOST),
            (f.codes_text, CODES_BOOST),
            (f.body, BODY_BOOST),
        ]
        .into_iter()
        .map(|(field, boost)| {
            // Rounded so that the sum of the parts does not depend on the segments
            // (`super::exact_score`).
            (
                Occur::Should,
                Box::new(Exact(Box::new(BoostQuery::new(make(field), boost)))) as Box<dyn Query>,
            )
        })
        .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// The terms a record must hold to pass the filters of `q`.
    pub(super) fn filter_terms(&self, q: &SearchQuery) -> Vec<Term> {
        let f = &self.fields;
        let mut filters: Vec<Term> = Vec::new();
        if let Some(kind) = &q.kind {
            filters.push(Term::from_field_text(f.kind, kind));
        }
        if let Some(agency) = &q.agency {
            filters.push(Term::from_field_text(f.agency, agency));
        }
        if let Some(year) = q.year {
            filters.push(Term::from_field_i64(f.year, i64::from(year)));
        }
        if let Some(category) = &q.category {
            filters.push(Term::from_field_text(f.categories, category));
        }
        filters
    }

    /// Adds the record-type, agency, year and category filters (which do not score).
    fn filtered(&self, query: Box<dyn Query>, q: &SearchQuery) -> Box<dyn Query> {
        let filters = self.filter_terms(q);
        if filters.is_empty() {
            return query;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        for term in filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    0.0,
                )),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        tier: Tier,
        tokens: &QueryTokens,
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let title = text(f.title).unwrap_or_default();
        let body = text(f.body).unwrap_or_default();
        // The body's best passage, unless only the title matches.
        let body_snippet = snippet(&body, tokens, SNIPPET_CHARS);
        let snippet = if body_snippet.contains("<mark>") {
            body_snippet
        } else {
            let title_snippet = snippet(&title, tokens, SNIPPET_CHARS);
            if title_snippet.contains("<mark>") {
                title_snippet
            } else {
                body_snippet
            }
        };
        Ok(Hit {
            slug: text(f.slug).unwrap_or_default(),
            kind: text(f.kind).unwrap_or_default(),
            url: text(f.url).unwrap_or_default(),
            title,
            agency_name: text(f.agency_name).unwrap_or_default(),
            date: text(f.date),
            score,
            snippet,
            tier,
        })
    }
}

/// For each segment, the rank of each of its URLs (by term ordinal in its `url` column) in
/// the sorted URLs of all segments: a key that orders records by URL across segments,
/// where the ordinals of one segment's column say nothing about another's. A URL in two
/// segments (a deleted version and its successor) has one rank.
fn url_ranks(searcher: &Searcher) -> Result<HashMap<SegmentId, Arc<Vec<u32>>>, SearchError> {
    let mut all: Vec<(Vec<u8>, usize, u32)> = Vec::new();
    let mut sizes = Vec::new();
    for (s, reader) in searcher.segment_readers().iter().enumerate() {
        let Some(column) = reader.fast_fields().str("url")? else {
            sizes.push(0);
            continue;
        };
        let mut terms = column.dictionary().stream()?;
        let mut ord = 0u32;
        while terms.advance() {
            all.push((terms.key().to_vec(), s, ord));
            ord += 1;
        }
        sizes.push(ord as usize);
    }
    all.sort_unstable();
    let mut ranks: Vec<Vec<u32>> = sizes.iter().map(|&n| vec![0; n]).collect();
    let mut rank = 0u32;
    for i in 0..all.len() {
        if i > 0 && all[i].0 != all[i - 1].0 {
            rank += 1;
        }
        let (_, s, ord) = &all[i];
        ranks[*s][*ord as usize] = rank;
    }
    Ok(searcher
        .segment_readers()
        .iter()
        .zip(ranks)
        .map(|(r, v)| (r.segment_id(), Arc::new(v)))
        .collect())
}

/// The character of a query token that is one CJK character (a unigram).
fn lone_char(token: &str) -> Option<char> {
    let mut cs = token.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) if is_cjk(c) => Some(c),
        _ => None,
    }
}

/// `text` as a regular expression matching itself.
fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Opens the index in `dir` and runs one query (see [`SearchIndex`] for repeated queries).
pub fn search(dir: &Path, q: &SearchQuery) -> Result<Vec<Hit>, SearchError> {
    SearchIndex::open(dir)?.search(q)
}
