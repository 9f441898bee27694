//! The tantivy index (`search-index/`): used by `gongkai search` and the search API of
//! `gongkai serve`.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use super::tokenize::{normalize_code, scan, Side};
use super::words::DocWords;
use super::{dir_size, write_swapped, SearchDoc, SearchError};

/// The name under which [`CjkTokenizer`] is registered with tantivy.
pub const TOKENIZER: &str = "gongkai";

/// Bumped whenever the schema or the tokenizer changes; `search` refuses other versions.
pub const SCHEMA_VERSION: &str = "gongkai-search-5";

/// The tokenizer of [`super::tokenize`] ([`Side::IndexBigrams`]) as a tantivy tokenizer.
#[derive(Clone)]
pub struct CjkTokenizer {
    side: Side,
    spans: Vec<Span>,
    words: String,
}

impl CjkTokenizer {
    /// A tokenizer for `side` (the index uses [`Side::IndexBigrams`]).
    pub fn new(side: Side) -> CjkTokenizer {
        CjkTokenizer {
            side,
            spans: Vec::new(),
            words: String::new(),
        }
    }
}

impl Default for CjkTokenizer {
    fn default() -> CjkTokenizer {
        CjkTokenizer::new(Side::IndexBigrams)
    }
}

/// A token's offsets and position; words carry their folded text as a range of `words`.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    position: u32,
    word: Option<(u32, u32)>,
}

/// Token stream over precomputed spans; token texts are copied into one reused buffer.
pub struct CjkTokenStream<'a> {
    text: &'a str,
    spans: &'a [Span],
    words: &'a str,
    next: usize,
    token: TantivyToken,
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream<'a> {
        self.spans.clear();
        self.words.clear();
        let (spans, words) = (&mut self.spans, &mut self.words);
        scan(text, self.side, |t| {
            let word = (t.kind == super::tokenize::TokenKind::Word).then(|| {
                let from = words.len() as u32;
                words.push_str(t.text);
                (from, words.len() as u32)
            });
            spans.push(Span {
                start: t.start,
                end: t.end,
                position: t.position,
                word,
            });
        });
        CjkTokenStream {
            text,
            spans: &self.spans,
            words: &self.words,
            next: 0,
            token: TantivyToken::default(),
        }
    }
}

impl TokenStream for CjkTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.token.text.clear();
        match span.word {
            Some((from, to)) => self
                .token
                .text
                .push_str(&self.words[from as usize..to as usize]),
            None => self.token.text.push_str(&self.text[span.start..span.end]),
        }
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position = span.position as usize;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

/// The fields of the tantivy index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub title: Field,
    pub body: Field,
    /// Codes tokenized like text, so part of a code finds the record.
    pub codes_text: Field,
    /// Codes folded by [`normalize_code`], untokenized: the exact-code tier.
    pub codes: Field,
    pub kind: Field,
    pub agency: Field,
    pub agency_name: Field,
    /// Dictionary words (`~word`, see [`super::words`]) of the title and body, untokenized.
    pub words: Field,
    pub year: Field,
    pub date: Field,
    pub slug: Field,
    pub url: Field,
    pub version: Field,
    /// The record's [`SearchDoc::id`] (stream order), as a fast field: the static index
    /// reads its postings from this index's segments and needs each document's id. Only an
    /// index written afresh maps ids to one stream: records updated in place
    /// (`super::update`) keep the ids of the streams they came with.
    pub id: Field,
    /// A document's categories (主题分类, 体裁), untokenized, one value each: indexed for
    /// the filter, a fast field for the counts of a query's matches.
    pub categories: Field,
}

impl Fields {
    pub fn from_schema(schema: &Schema) -> Result<Fields, SearchError> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| SearchError::Format(format!("field `{name}` missing")))
        };
        Ok(Fields {
            title: f("title")?,
            body: f("body")?,
            codes_text: f("codes_text")?,
            codes: f("codes")?,
            kind: f("kind")?,
            agency: f("agency")?,
            agency_name: f("agency_name")?,
            words: f("words")?,
            year: f("year")?,
            date: f("date")?,
            slug: f("slug")?,
            url: f("url")?,
            version: f("version")?,
            id: f("id")?,
            categories: f("categories")?,
        })
    }
}

/// The schema: text fields with positions through [`CjkTokenizer`], exact fields raw.
pub fn schema() -> Schema {
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text_stored = TextOptions::default()
        .set_indexing_options(text_indexing.clone())
        .set_stored();
    // Stored although never shown: an update recounts the tokens of the versions it deletes
    // (see `super::update`), and for codes only the stored text can tell.
    let codes_text = TextOptions::default()
        .set_indexing_options(text_indexing)
        .set_stored();
    let raw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic),
    );
    let mut b = Schema::builder();
    b.add_text_field("title", text_stored.clone());
    b.add_text_field("body", text_stored);
    b.add_text_field("codes_text", codes_text);
    b.add_text_field("codes", raw.clone());
    b.add_text_field("kind", STRING | STORED);
    b.add_text_field("agency", STRING);
    b.add_text_field("agency_name", STORED);
    // One value per record, a term per line (see `DocWords`).
    b.add_text_field(
        "words",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    b.add_i64_field("year", NumericOptions::default().set_indexed().set_stored());
    b.add_text_field("date", STRING | STORED);
    b.add_text_field("slug", STRING | STORED);
    // Indexed: the URL is a record's identity, by which an update deletes its old version;
    // and a fast field: records with equal scores are ordered by it (`super::query`).
    b.add_text_field("url", STRING | STORED | FAST);
    b.add_text_field("version", STRING);
    b.add_u64_field("id", FAST);
    b.add_text_field("categories", STRING | FAST);
    b.build()
}

/// Registers [`CjkTokenizer`] on an index (tokenizers are not persisted by tantivy).
pub fn register_tokenizer(index: &Index) {
    index
        .tokenizers()
        .register(TOKENIZER, CjkTokenizer::default());
}

/// What [`write_index`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    pub docs: u64,
    pub bytes: u64,
    pub files: u64,
    pub millis: u64,
}

/// Writer threads: one per core, at most 8. tantivy is the one writer that tokenizes and
/// counts the records (the static index reads its postings back from the segments), so it
/// is what a build waits for. On 2 cores, two writer threads instead of one: 10,000 records
/// 2.23–2.27 s against 2.26–2.45 s (three alternating rounds, output on tmpfs), 100,000
/// records 23.3/23.7 s against 24.1/24.6 s, peak RSS 580 MB against 470–480 MB. (While the
/// static index counted every token too, one thread was faster: the two competed for cores.)
pub fn writer_threads() -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    cores.clamp(1, 8)
}

/// Per-thread indexing memory; the total stays at or below 768 MB.
const MEMORY_PER_THREAD: usize = 96 << 20;

/// Builds the tantivy index of `docs` (streamed, never collected) in a temporary sibling of
/// `dir`, then swaps it into place.
pub fn write_index(
    docs: impl Iterator<Item = SearchDoc>,
    dir: &Path,
) -> Result<IndexStats, SearchError> {
    write_index_threads(docs.map(|d| (d, None)), dir, writer_threads())
}

/// [`write_index`] with `threads` writer threads.
pub(crate) fn write_index_threads(
    docs: impl Iterator<Item = (SearchDoc, Option<Arc<DocWords>>)>,
    dir: &Path,
    threads: usize,
) -> Result<IndexStats, SearchError> {
    write_swapped(dir, |tmp| write_index_into(docs, tmp, threads))
}

/// The commit stamp of the index in `dir`: it moves with every commit, so a record of what
/// the index held that names another stamp is stale.
pub fn committed_opstamp(dir: &Path) -> Option<u64> {
    let index = Index::open_in_dir(dir).ok()?;
    Some(index.load_metas().ok()?.opstamp)
}

/// Writes the tantivy index of `docs` into `dir`, a new folder that the caller swaps into
/// place; a record's word terms may already be known (`None`: computed here), so a caller
/// writing both indexes segments each record once.
pub fn write_index_into(
    docs: impl Iterator<Item = (SearchDoc, Option<Arc<DocWords>>)>,
    dir: &Path,
    threads: usize,
) -> Result<IndexStats, SearchError> {
    let started = Instant::now();
    let schema = schema();
    let f = Fields::from_schema(&schema)?;
    let index = Index::create_in_dir(dir, schema)?;
    register_tokenizer(&index);
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, threads * MEMORY_PER_THREAD)?;
    // The index is written once per build and never updated, so background merges only
    // cost time and memory (they map every segment being merged): at 100,000 records a
    // dozen segments are left, which a query reads without noticing.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut n: u64 = 0;
    for (d, words) in docs {
        writer.add_document(to_document(&f, d, words))?;
        n += 1;
    }
    let mut version = TantivyDocument::default();
    version.add_text(f.version, SCHEMA_VERSION);
    writer.add_document(version)?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    let (bytes, files) = dir_size(dir)?;
    Ok(IndexStats {
        docs: n,
        bytes,
        files,
        millis: started.elapsed().as_millis() as u64,
    })
}

pub(crate) fn to_document(
    f: &Fields,
    d: SearchDoc,
    words: Option<Arc<DocWords>>,
) -> TantivyDocument {
    let words = words.unwrap_or_else(|| Arc::new(DocWords::of(&d.title, &d.body)));
    let mut doc = doc!(
        f.title => d.title,
        f.body => d.body,
        f.kind => d.kind,
        f.agency => d.agency,
        f.agency_name => d.agency_name,
        f.slug => d.slug,
        f.id => u64::from(d.id),
        f.url => d.url,
    );
    for code in &d.codes {
        let norm = normalize_code(code);
        if !norm.is_empty() {
            doc.add_text(f.codes, norm);
        }
        doc.add_text(f.codes_text, code);
    }
    for w in [&words.title, &words.body] {
        if !w.is_empty() {
            doc.add_text(f.words, w.as_lines());
        }
    }
    if let Some(y) = d.year {
        doc.add_i64(f.year, i64::from(y));
    }
    if let Some(date) = d.date {
        doc.add_text(f.date, date);
    }
    // Once each: the counts read every value of the fast field.
    let mut seen: Vec<&str> = Vec::new();
    for c in &d.categories {
        if !c.is_empty() && !seen.contains(&c.as_str()) {
            seen.push(c);
            doc.add_text(f.categories, c);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_stream_matches_the_tokenizer() {
        let text = "吉林市 ＡＢＣ１２３ test 依法";
        let mut tok = CjkTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((
                t.text.clone(),
                t.position as u32,
                t.offset_from,
                t.offset_to,
            ));
        }
        let mut want = Vec::new();
        scan(text, Side::IndexBigrams, |t| {
            want.push((t.text.to_string(), t.position, t.start, t.end))
        });
        assert_eq!(got, want);
        let texts: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            texts,
            ["吉林", "林市", "市", "abc123", "test", "依法", "法"]
        );
    }
}
