//! The static index under `<out>/search/`, read by `themes/default/static/search.js`.
//!
//! A handful of files, whatever the portal's size; the client reads byte ranges of them
//! (HTTP `Range`). On a server that ignores `Range` it loads the other three files whole,
//! once per page, when `meta.json` says they are small enough, and otherwise tells the
//! reader that search cannot work on this host (search.js `WHOLE_BUDGET`):
//!
//! - `meta.json`: format version, document count, BM25 parameters, the slot width, the byte
//!   size of each other file (`files`), the facet tables (record types, agencies, years)
//!   and the facet runs. Internal document ids are sorted by (type, agency, year), so every
//!   facet value is a set of id ranges ("runs"): facet counts and filters are range
//!   arithmetic, no per-document table.
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
//!
//! Codes are terms too: `#` + [`normalize_code`] (no token contains `#`), and so are the
//! dictionary words of [`super::words`]: `~` + word.
//!
//! `gongkai build` counts only those two kinds here; the text terms (characters, bigrams,
//! Latin words) it reads back from the tantivy index written alongside
//! ([`TextTerms::FromTantivy`], [`tantivy_terms`]), so each record is tokenized once.

mod tantivy_terms;

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::tokenize::{normalize_code, scan, tokenize_query, Side, TokenKind};
use super::words::DocWords;
use super::{dir_size, write_swapped, FastHasher, SearchDoc, SearchError};
use tantivy_terms::TantivyTerms;

/// Bumped on every incompatible change of the files above.
pub const FORMAT_VERSION: u32 = 3;
pub const BM25_K1: f64 = 1.2;
pub const BM25_B: f64 = 0.75;
pub const TITLE_WEIGHT: f64 = 3.0;
pub const BODY_WEIGHT: f64 = 1.0;
/// Postings up to this many bytes live in the dictionary entry itself.
const INLINE_MAX: usize = 32;
/// Portals from this size on store very frequent terms as bitset + top-k.
const DENSE_MIN_DOCS: usize = 4096;
const DENSE_TOP_K: usize = 512;
/// Width of a dictionary page (one HTTP range per page a query needs).
pub const PAGE_BYTES: usize = 1024;
/// Average fill the first page count aims at; raised until no page overflows.
const PAGE_FILL: f64 = 0.6;
/// zlib level of the body segments (libdeflate): on 1.5 KB segments of Chinese text, level 1
/// is half as fast again as miniz_oxide's level 1 and compresses them a little better, and
/// levels 2–6 take half as long again for 2 % smaller segments.
const ZLIB_LEVEL: i32 = 1;
/// The widest slot chosen for the body; a slot is wider only to fit a record's head.
const SLOT_MAX: u32 = 4096;
/// Title and codes in a record's head are cut to this many bytes.
const HEAD_FIELD_MAX: usize = 600;
/// Body text per zlib segment.
const SEGMENT_BYTES: usize = 1536;
/// Documents tokenized in parallel per batch.
const BATCH: usize = 512;
/// Partitions of the in-memory postings (merged in parallel).
const PARTS: usize = 64;
/// Postings held in memory before they are spilled to per-partition run files, so that
/// memory stays flat whatever the portal size (100,000 records hold ~1 GB of postings).
const SPILL_BYTES: usize = 128 << 20;

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
}

// ---------------------------------------------------------------------------------------
// Encoding helpers

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn get_varint(data: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *data.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// FNV-1a, 32 bit, over the UTF-8 bytes: the dictionary page hash (mirrored in search.js).
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for &b in s.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The dictionary page of `term` among `pages`.
pub fn page_of(term: &str, pages: u32) -> u32 {
    fnv1a(term) % pages
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<FastHasher>>;

/// A term as a u64: CJK unigrams and bigrams by their code points (reversible), words and
/// codes by a 62-bit hash (their text kept aside).
fn key_of(kind: TokenKind, text: &str) -> u64 {
    let mut cs = text.chars();
    match kind {
        TokenKind::Unigram => (1 << 62) | u64::from(cs.next().map_or(0, u32::from)),
        TokenKind::Bigram => {
            let a = u64::from(cs.next().map_or(0, u32::from));
            let b = u64::from(cs.next().map_or(0, u32::from));
            (2 << 62) | (a << 21) | b
        }
        TokenKind::Word => hashed_key(text),
    }
}

fn hashed_key(text: &str) -> u64 {
    let mut h = FastHasher(0xCBF2_9CE4_8422_2325);
    h.write(text.as_bytes());
    (3 << 62) | (h.finish() >> 2)
}

fn cjk_text(key: u64) -> Option<String> {
    let c = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32);
    match key >> 62 {
        1 => c(key).map(String::from),
        2 => Some([c(key >> 21)?, c(key)?].iter().collect()),
        _ => None,
    }
}

fn part_of(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % PARTS
}

// ---------------------------------------------------------------------------------------
// Writing

/// Where the text of one of a record's terms is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    /// A CJK unigram or bigram: the key holds the text ([`cjk_text`]).
    InKey,
    /// `DocTerms::strings[i]`.
    Owned(u32),
    /// The dictionary word at this byte offset of the title's or the body's word terms.
    TitleWord(u32),
    BodyWord(u32),
}

/// A term of one record and its frequencies.
#[derive(Debug, Clone, Copy)]
struct Term {
    key: u64,
    title: u32,
    body: u32,
    text: Text,
}

/// One document after tokenizing: its distinct terms grouped by partition.
struct DocTerms {
    terms: Vec<Term>,
    /// Where each partition's terms start in `terms` (and, last, where they end).
    parts: [u32; PARTS + 1],
    /// Texts of the hashed terms other than dictionary words.
    strings: Vec<String>,
    /// The dictionary words, whose texts are kept in the shared list.
    words: Arc<DocWords>,
    title_len: u32,
    body_len: u32,
    record: Vec<u8>,
    /// Bytes of `record` before the body.
    head_len: u32,
    kind: String,
    agency: String,
    agency_name: String,
    year: Option<i32>,
}

impl DocTerms {
    /// The text of a hashed term (`None` for CJK terms, whose keys hold their text).
    fn text(&self, t: Text) -> Option<&str> {
        match t {
            Text::InKey => None,
            Text::Owned(i) => self.strings.get(i as usize).map(String::as_str),
            Text::TitleWord(at) => Some(self.words.title.term_at(at)),
            Text::BodyWord(at) => Some(self.words.body.term_at(at)),
        }
    }
}

#[derive(Default)]
struct Postings {
    /// Caller id + 1 of the last document appended.
    last: u32,
    df: u32,
    /// varint(id delta), varint(title tf), varint(body tf) per document.
    bytes: Vec<u8>,
}

fn spill_path(dir: &Path, part: usize) -> std::path::PathBuf {
    dir.join(format!(".postings-{part}.tmp"))
}

/// Appends the postings of one partition to its run file: per term `u64 key, u32 last,
/// u32 df, u32 n, n bytes` (the bytes as in [`Postings`], starting from an absolute id).
fn spill(dir: &Path, part: usize, map: KeyMap<Postings>) -> Result<(), SearchError> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(spill_path(dir, part))?;
    let mut out = BufWriter::new(file);
    for (k, p) in map {
        out.write_all(&k.to_le_bytes())?;
        out.write_all(&p.last.to_le_bytes())?;
        out.write_all(&p.df.to_le_bytes())?;
        out.write_all(&(p.bytes.len() as u32).to_le_bytes())?;
        out.write_all(&p.bytes)?;
    }
    out.flush()?;
    Ok(())
}

/// The postings of one partition: its run file (deleted once read), in the order it was
/// written, then `tail` (the postings still in memory, the newest documents).
fn unspill(
    dir: &Path,
    part: usize,
    tail: KeyMap<Postings>,
) -> Result<KeyMap<Postings>, SearchError> {
    let path = spill_path(dir, part);
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(tail),
        Err(e) => return Err(e.into()),
    };
    std::fs::remove_file(&path)?;
    let bad = || SearchError::Format(format!("{}: truncated run file", path.display()));
    let u32_at = |at: usize| -> Result<u32, SearchError> {
        let b = data.get(at..at + 4).ok_or_else(bad)?;
        Ok(u32::from_le_bytes(b.try_into().map_err(|_| bad())?))
    };
    let mut map: KeyMap<Postings> = KeyMap::default();
    let mut at = 0;
    while at < data.len() {
        let key = data.get(at..at + 8).ok_or_else(bad)?;
        let key = u64::from_le_bytes(key.try_into().map_err(|_| bad())?);
        let (last, df, n) = (u32_at(at + 8)?, u32_at(at + 12)?, u32_at(at + 16)? as usize);
        at += 20;
        let bytes = data.get(at..at + n).ok_or_else(bad)?.to_vec();
        at += n;
        append_run(&mut map, key, Postings { last, df, bytes });
    }
    for (key, p) in tail {
        append_run(&mut map, key, p);
    }
    Ok(map)
}

/// Appends a later run of a term's postings: its first id, stored absolute, becomes a delta.
fn append_run(map: &mut KeyMap<Postings>, key: u64, run: Postings) {
    match map.entry(key) {
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(run);
        }
        std::collections::hash_map::Entry::Occupied(mut o) => {
            let e = o.get_mut();
            let mut at = 0;
            let first = get_varint(&run.bytes, &mut at).unwrap_or(0);
            put_varint(&mut e.bytes, first + 1 - u64::from(e.last));
            e.bytes.extend_from_slice(&run.bytes[at..]);
            e.df += run.df;
            e.last = run.last;
        }
    }
}

thread_local! {
    /// [`process`]'s scratch table, term → index in its counted terms, kept per thread so
    /// its capacity is allocated once.
    static SEEN: std::cell::RefCell<KeyMap<u32>> = std::cell::RefCell::new(KeyMap::default());
}

/// Adds `title` and `body` occurrences of `key` to `counted`, indexed by `seen`; whether
/// `key` is new to the record (then its text is `text`).
fn count(
    seen: &mut KeyMap<u32>,
    counted: &mut Vec<Term>,
    key: u64,
    (title, body): (u32, u32),
    text: Text,
) -> bool {
    let mut new = false;
    let i = *seen.entry(key).or_insert_with(|| {
        new = true;
        counted.push(Term {
            key,
            title: 0,
            body: 0,
            text,
        });
        (counted.len() - 1) as u32
    });
    let c = &mut counted[i as usize];
    c.title += title;
    c.body += body;
    new
}

/// One occurrence in the title, or in the body.
const TITLE: (u32, u32) = (1, 0);
const BODY: (u32, u32) = (0, 1);

/// The unigram key of the character a bigram key starts with.
fn first_char_key(bigram: u64) -> u64 {
    (1 << 62) | ((bigram >> 21) & 0x1F_FFFF)
}

/// One record's terms; `scan_text`: whether its text terms are counted here (not when they
/// are read from the tantivy index, [`TextTerms::FromTantivy`]).
fn process(
    (doc, words): (SearchDoc, Option<Arc<DocWords>>),
    scan_text: bool,
) -> Result<DocTerms, SearchError> {
    // Counted in a hash table as they come: a record has thousands of token occurrences
    // but only about a third as many distinct terms, and sorting every occurrence cost
    // more than tokenizing.
    let mut counted: Vec<Term> = Vec::new();
    let mut strings: Vec<String> = Vec::new();
    let mut title_len = 0u32;
    let mut body_len = 0u32;
    let words = words.unwrap_or_else(|| Arc::new(DocWords::of(&doc.title, &doc.body)));
    SEEN.with(|seen| {
        let seen = &mut *seen.borrow_mut();
        seen.clear();
        // One token per position (the bigram a character starts, or the character at the
        // end of its run), as in tantivy; a character's count is then the sum over the
        // distinct bigrams it starts, added below, which halves the lookups per position.
        let mut add = |text: &str, tf: (u32, u32), len: &mut u32| {
            scan(text, Side::IndexBigrams, |t| {
                let k = key_of(t.kind, t.text);
                let word = t.kind == TokenKind::Word;
                let at = if word {
                    Text::Owned(strings.len() as u32)
                } else {
                    Text::InKey
                };
                if count(seen, &mut counted, k, tf, at) && word {
                    strings.push(t.text.to_string());
                }
                // A length counts positions (characters and words), as tantivy's field
                // norms do, so both rank alike.
                *len += 1;
            });
        };
        if scan_text {
            add(&doc.title, TITLE, &mut title_len);
            for code in &doc.codes {
                add(code, TITLE, &mut title_len);
            }
            add(&doc.body, BODY, &mut body_len);
        }
        for i in 0..counted.len() {
            let t = counted[i];
            if t.key >> 62 == 2 {
                let k = first_char_key(t.key);
                count(seen, &mut counted, k, (t.title, t.body), Text::InKey);
            }
        }
        // Dictionary words (`~word`): membership only, they do not count towards lengths.
        // Their texts stay in `words`.
        for (at, term) in words.title.iter_at() {
            count(
                seen,
                &mut counted,
                hashed_key(term),
                TITLE,
                Text::TitleWord(at),
            );
        }
        for (at, term) in words.body.iter_at() {
            count(
                seen,
                &mut counted,
                hashed_key(term),
                BODY,
                Text::BodyWord(at),
            );
        }
        for code in &doc.codes {
            let norm = normalize_code(code);
            if !norm.is_empty() {
                let term = format!("#{norm}");
                let k = hashed_key(&term);
                if count(
                    seen,
                    &mut counted,
                    k,
                    TITLE,
                    Text::Owned(strings.len() as u32),
                ) {
                    strings.push(term);
                }
            }
        }
    });
    // Distinct terms grouped by partition (a counting sort).
    let mut starts = [0usize; PARTS + 1];
    for t in &counted {
        starts[part_of(t.key) + 1] += 1;
    }
    for p in 0..PARTS {
        starts[p + 1] += starts[p];
    }
    let parts = starts.map(|at| at as u32);
    let mut terms = counted.clone();
    for t in counted {
        let p = part_of(t.key);
        terms[starts[p]] = t;
        starts[p] += 1;
    }
    let (record, head_len) = encode_record(&doc)?;
    Ok(DocTerms {
        terms,
        parts,
        strings,
        words,
        title_len,
        body_len,
        record,
        head_len,
        kind: doc.kind,
        agency: doc.agency,
        agency_name: doc.agency_name,
        year: doc.year,
    })
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A record's head (title, URL, date, slug, codes) and as much of its body as the widest
/// slot can hold; the length of the head. Title and codes are cut to a few hundred bytes
/// (no real title is longer), so every head fits in its slot.
fn encode_record(doc: &SearchDoc) -> Result<(Vec<u8>, u32), SearchError> {
    let mut out = Vec::with_capacity(SLOT_MAX as usize);
    put_str(&mut out, cut(&doc.title, HEAD_FIELD_MAX));
    put_str(&mut out, &doc.url);
    put_str(&mut out, doc.date.as_deref().unwrap_or(""));
    put_str(&mut out, &doc.slug);
    put_str(&mut out, cut(&doc.codes.join("\n"), HEAD_FIELD_MAX));
    let head = out.len() as u32;
    let body = doc.body.trim();
    let mut from = 0;
    // Segments past the widest slot would be cut anyway: not compressing them saves time.
    while from < body.len() && out.len() < SLOT_MAX as usize {
        let mut to = (from + SEGMENT_BYTES).min(body.len());
        while !body.is_char_boundary(to) {
            to += 1;
        }
        compress_segment(&body.as_bytes()[from..to], &mut out)?;
        from = to;
    }
    // The end mark only after the whole body: a body stopped at the widest slot reads as
    // cut (heads are under 2 KB — title and codes cut here, slug and URL from file names —
    // so no slot is wider than SLOT_MAX and such a record always overflows its slot).
    if from >= body.len() {
        put_varint(&mut out, 0);
    }
    Ok((out, head))
}

thread_local! {
    /// [`compress_segment`]'s compressor and output buffer, made once per thread.
    static DEFLATE: std::cell::RefCell<(libdeflater::Compressor, Vec<u8>)> =
        std::cell::RefCell::new((
            libdeflater::Compressor::new(
                libdeflater::CompressionLvl::new(ZLIB_LEVEL).unwrap_or_default(),
            ),
            Vec::new(),
        ));
}

/// Appends `text` as one zlib stream: `varint n, n bytes`.
fn compress_segment(text: &[u8], out: &mut Vec<u8>) -> Result<(), SearchError> {
    DEFLATE.with(|d| {
        let (compressor, seg) = &mut *d.borrow_mut();
        seg.resize(compressor.zlib_compress_bound(text.len()), 0);
        let n = compressor
            .zlib_compress(text, seg)
            .map_err(|e| SearchError::Format(format!("compressing a record: {e}")))?;
        put_varint(out, n as u64);
        out.extend_from_slice(&seg[..n]);
        Ok(())
    })
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// BM25's length part of a field of `len` positions (`avg` on average).
fn length_norm(len: u32, avg: f64) -> f64 {
    BM25_K1 * (1.0 - BM25_B + BM25_B * f64::from(len) / avg.max(1.0))
}

fn tf_norm(tf: u32, norm: f64) -> f64 {
    if tf == 0 {
        return 0.0;
    }
    let tf = f64::from(tf);
    tf * (BM25_K1 + 1.0) / (tf + norm)
}

/// The weight byte of one posting (1..=255), from the fields' [`length_norm`]s.
pub(super) fn weight_normed(tt: u32, tb: u32, norm_t: f64, norm_b: f64) -> u8 {
    let s = TITLE_WEIGHT * tf_norm(tt, norm_t) + BODY_WEIGHT * tf_norm(tb, norm_b);
    let max = (TITLE_WEIGHT + BODY_WEIGHT) * (BM25_K1 + 1.0);
    ((s / max * 255.0).round() as u8).max(1)
}

/// The weight byte of one posting (1..=255).
fn weight(tt: u32, tb: u32, lt: u32, lb: u32, avg_t: f64, avg_b: f64) -> u8 {
    weight_normed(tt, tb, length_norm(lt, avg_t), length_norm(lb, avg_b))
}

/// Document table entries needed while encoding postings.
pub(super) struct Lengths {
    /// Caller id → internal id.
    pub(super) internal: Vec<u32>,
    pub(super) title: Vec<u32>,
    pub(super) body: Vec<u32>,
    pub(super) avg_title: f64,
    pub(super) avg_body: f64,
}

impl Lengths {
    /// The weight byte of a posting of the record with caller id `caller`.
    pub(super) fn weight(&self, caller: usize, title_tf: u32, body_tf: u32) -> u8 {
        weight(
            title_tf,
            body_tf,
            self.title[caller],
            self.body[caller],
            self.avg_title,
            self.avg_body,
        )
    }

    /// Each record's title and body [`length_norm`]s, by internal id, so that a term's
    /// records come out in the order they are stored.
    pub(super) fn norms(&self) -> Vec<(f64, f64)> {
        let mut norms = vec![(0.0, 0.0); self.internal.len()];
        for (caller, &i) in self.internal.iter().enumerate() {
            norms[i as usize] = (
                length_norm(self.title[caller], self.avg_title),
                length_norm(self.body[caller], self.avg_body),
            );
        }
        norms
    }
}

/// Encodes one term's postings in the final format (ids are internal).
fn encode_postings(p: &Postings, lens: &Lengths, out: &mut Vec<u8>) {
    let mut docs: Vec<(u32, u8)> = Vec::with_capacity(p.df as usize);
    let mut at = 0;
    let mut caller = 0u64;
    let mut first = true;
    while at < p.bytes.len() {
        let delta = get_varint(&p.bytes, &mut at).unwrap_or(0);
        caller = if first { delta } else { caller + delta };
        first = false;
        let tt = get_varint(&p.bytes, &mut at).unwrap_or(0) as u32;
        let tb = get_varint(&p.bytes, &mut at).unwrap_or(0) as u32;
        let c = caller as usize;
        docs.push((lens.internal[c], lens.weight(c, tt, tb)));
    }
    encode_weighted(docs, lens.internal.len(), out);
}

/// Encodes the postings `(internal id, weight)` of one term, in any order, of a portal of
/// `n` records.
pub(super) fn encode_weighted(mut docs: Vec<(u32, u8)>, n: usize, out: &mut Vec<u8>) {
    docs.sort_unstable_by_key(|d| d.0);
    let dense = n >= DENSE_MIN_DOCS && docs.len() * 16 >= n;
    if !dense {
        out.push(0);
        put_ids(out, docs.iter().map(|d| d.0));
        out.extend(docs.iter().map(|d| d.1));
        return;
    }
    out.push(1);
    let mut bits = vec![0u8; n.div_ceil(8)];
    for &(id, _) in &docs {
        bits[id as usize / 8] |= 1 << (id % 8);
    }
    put_varint(out, bits.len() as u64);
    out.extend_from_slice(&bits);
    // The top k by (weight descending, id): selected, not sorted, as a dense term holds
    // a large share of all postings.
    let order = |a: &(u32, u8), b: &(u32, u8)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    let mut by_weight = docs.clone();
    if by_weight.len() > DENSE_TOP_K {
        by_weight.select_nth_unstable_by(DENSE_TOP_K - 1, order);
        by_weight.truncate(DENSE_TOP_K);
    }
    let rest = by_weight
        .iter()
        .max_by(|a, b| order(a, b))
        .map_or(1, |d| d.1);
    by_weight.sort_unstable_by_key(|d| d.0);
    put_varint(out, by_weight.len() as u64);
    put_ids(out, by_weight.iter().map(|d| d.0));
    out.extend(by_weight.iter().map(|d| d.1));
    out.push(rest);
}

fn put_ids(out: &mut Vec<u8>, ids: impl Iterator<Item = u32>) {
    let mut prev = 0u32;
    for (i, id) in ids.enumerate() {
        put_varint(out, u64::from(if i == 0 { id } else { id - prev }));
        prev = id;
    }
}

#[derive(Serialize)]
struct Meta {
    version: u32,
    docs: usize,
    pages: u32,
    page_bytes: u32,
    slot: u32,
    /// Byte sizes of `dict.bin`, `post.bin` and `docs.bin`: what a client on a server that
    /// ignores `Range` would download to load them whole, known before it asks for them.
    /// Added within format 3, which stays readable: a client that predates the key ignores
    /// it, and the client treats an index without it as too large to load whole.
    files: FileSizes,
    k1: f64,
    b: f64,
    kinds: Vec<String>,
    agencies: Vec<(String, String)>,
    years: Vec<i32>,
    /// `[first internal id, count, kind index, agency index, year index or -1]`.
    runs: Vec<[i64; 5]>,
}

#[derive(Serialize)]
struct FileSizes {
    #[serde(rename = "dict.bin")]
    dict: u64,
    #[serde(rename = "post.bin")]
    post: u64,
    #[serde(rename = "docs.bin")]
    docs: u64,
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
        build_spilling_at(
            docs.map(|d| (d, None)),
            tmp,
            SPILL_BYTES,
            TextTerms::Scanned,
        )
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

/// The files of a static index, all under `search/`.
pub const FILES: [&str; 4] = ["meta.json", "dict.bin", "post.bin", "docs.bin"];

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
    let mut stats = build_spilling_at(docs, dir, SPILL_BYTES, terms)?;
    stats.millis = started.elapsed().as_millis() as u64;
    for f in FILES {
        stats.bytes += std::fs::metadata(dir.join(f))?.len();
        stats.files += 1;
    }
    Ok(stats)
}

/// Builds the index files in `dir`, spilling postings to run files whenever more than
/// `spill_bytes` are held.
fn build_spilling_at(
    docs: impl Iterator<Item = (SearchDoc, Option<Arc<DocWords>>)>,
    dir: &Path,
    spill_bytes: usize,
    text_terms: TextTerms<'_>,
) -> Result<StaticStats, SearchError> {
    let scan_text = matches!(text_terms, TextTerms::Scanned);
    let mut parts: Vec<KeyMap<Postings>> = (0..PARTS).map(|_| KeyMap::default()).collect();
    // The texts of hashed terms, per partition, first seen (never spilled).
    let mut texts: Vec<KeyMap<Box<str>>> = (0..PARTS).map(|_| KeyMap::default()).collect();
    let records_path = dir.join(".records.tmp");
    let mut records = BufWriter::new(File::create(&records_path)?);
    let mut record_at: Vec<(u64, u32)> = Vec::new();
    let mut record_end = 0u64;
    let mut title_lens = Vec::new();
    let mut body_lens = Vec::new();
    let mut facets: Vec<(String, String, Option<i32>)> = Vec::new();
    let mut agency_names: HashMap<String, String> = HashMap::new();

    let mut docs = docs.peekable();
    let mut next_id = 0u32;
    let mut held = 0usize;
    let mut max_head = 0u32;
    let mut spilled = false;
    while docs.peek().is_some() {
        let batch: Vec<_> = docs.by_ref().take(BATCH).collect();
        let batch: Vec<DocTerms> = batch
            .into_par_iter()
            .map(|d| process(d, scan_text))
            .collect::<Result<_, _>>()?;
        let first_id = next_id;
        held += parts
            .par_iter_mut()
            .zip(texts.par_iter_mut())
            .enumerate()
            .map(|(p, (map, texts))| {
                let mut added = 0;
                for (i, d) in batch.iter().enumerate() {
                    let id = first_id + i as u32;
                    let (from, to) = (d.parts[p] as usize, d.parts[p + 1] as usize);
                    for t in &d.terms[from..to] {
                        let e = map.entry(t.key).or_default();
                        if e.df == 0 {
                            if let Some(s) = d.text(t.text) {
                                texts.entry(t.key).or_insert_with(|| s.into());
                            }
                        }
                        let before = e.bytes.len();
                        let delta = if e.df == 0 { id } else { id + 1 - e.last };
                        put_varint(&mut e.bytes, u64::from(delta));
                        put_varint(&mut e.bytes, u64::from(t.title));
                        put_varint(&mut e.bytes, u64::from(t.body));
                        e.last = id + 1;
                        e.df += 1;
                        added += e.bytes.len() - before;
                    }
                }
                added
            })
            .sum::<usize>();
        if held > spill_bytes {
            parts
                .par_iter_mut()
                .enumerate()
                .try_for_each(|(p, map)| spill(dir, p, std::mem::take(map)))?;
            spilled = true;
            held = 0;
        }
        for d in batch {
            records.write_all(&d.record)?;
            max_head = max_head.max(d.head_len);
            record_at.push((record_end, d.record.len() as u32));
            record_end += d.record.len() as u64;
            title_lens.push(d.title_len);
            body_lens.push(d.body_len);
            if !d.agency.is_empty() {
                agency_names
                    .entry(d.agency.clone())
                    .or_insert(d.agency_name);
            }
            facets.push((d.kind, d.agency, d.year));
            next_id += 1;
        }
    }
    records.flush()?;
    drop(records);
    let n = facets.len();

    // Internal ids: sorted by (type, agency, year), so facets are id ranges.
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
    // The document slots (one thread, mostly copying) are written while the postings are
    // encoded (the others), and while tantivy's segments are awaited: one after the other,
    // each left a core idle.
    let slot = slot_width(&record_at, max_head);
    let (slots, dict) = std::thread::scope(|s| {
        let slots = s.spawn(|| write_slots(&records_path, dir, &order, &record_at, slot));
        let dict = (|| {
            let (derived, title_lens, body_lens) = match text_terms {
                TextTerms::Scanned => (None, title_lens, body_lens),
                TextTerms::FromTantivy(wait) => {
                    let (derived, title, body) = TantivyTerms::open(&wait()?, n)?;
                    (Some(derived), title, body)
                }
            };
            let avg =
                |v: &[u32]| v.iter().map(|&x| f64::from(x)).sum::<f64>() / (v.len().max(1) as f64);
            let lens = Lengths {
                avg_title: avg(&title_lens),
                avg_body: avg(&body_lens),
                internal,
                title: title_lens,
                body: body_lens,
            };
            write_postings(dir, parts, texts, spilled, &lens, derived.as_ref())
        })();
        let slots = slots
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (slots, dict)
    });
    slots?;
    let DictStats {
        pages,
        terms,
        dict_bytes,
        postings_bytes,
    } = dict?;
    std::fs::remove_file(&records_path)?;

    let size = |f: &str| std::fs::metadata(dir.join(f)).map(|m| m.len());
    let meta = Meta {
        version: FORMAT_VERSION,
        docs: n,
        pages,
        page_bytes: PAGE_BYTES as u32,
        slot,
        files: FileSizes {
            dict: size("dict.bin")?,
            post: size("post.bin")?,
            docs: size("docs.bin")?,
        },
        k1: BM25_K1,
        b: BM25_B,
        kinds,
        agencies: agencies
            .into_iter()
            .map(|a| {
                let name = agency_names.get(&a).cloned().unwrap_or_default();
                (a, name)
            })
            .collect(),
        years,
        runs,
    };
    std::fs::write(
        dir.join("meta.json"),
        serde_json::to_vec(&meta).map_err(|e| SearchError::Format(e.to_string()))?,
    )?;
    Ok(StaticStats {
        docs: n as u64,
        terms,
        dict_bytes,
        postings_bytes,
        docs_bytes: u64::from(slot) * n as u64,
        slot,
        pages,
        ..StaticStats::default()
    })
}

/// A partition's postings with its terms' texts.
type Part = (KeyMap<Postings>, KeyMap<Box<str>>);
/// A term's text, its document frequency and its encoded postings.
pub(super) type Encoded = (String, u32, Vec<u8>);

/// The terms of one partition in key order, their postings encoded.
fn encode_part(
    dir: &Path,
    spilled: bool,
    p: usize,
    (map, mut texts): Part,
    lens: &Lengths,
) -> Result<Vec<Encoded>, SearchError> {
    let map = if spilled { unspill(dir, p, map)? } else { map };
    let mut terms: Vec<(u64, Postings)> = map.into_iter().collect();
    terms.sort_unstable_by_key(|t| t.0);
    Ok(terms
        .into_iter()
        .filter_map(|(k, p)| {
            let term = cjk_text(k).or_else(|| texts.remove(&k).map(String::from))?;
            let mut blob = Vec::new();
            encode_postings(&p, lens, &mut blob);
            Some((term, p.df, blob))
        })
        .collect())
}

/// A share of the dictionary, encoded in parallel with the others: a partition of the
/// terms counted here, or a range of the terms read from tantivy's segments.
enum Job {
    Part(usize, Part),
    Range(usize),
}

/// What [`write_postings`] wrote.
struct DictStats {
    pages: u32,
    terms: u64,
    dict_bytes: u64,
    postings_bytes: u64,
}

/// Writes `post.bin` and `dict.bin`: the partitions are encoded a few at a time in
/// parallel, each group while the previous one is appended to the files.
fn write_postings(
    dir: &Path,
    parts: Vec<KeyMap<Postings>>,
    texts: Vec<KeyMap<Box<str>>>,
    spilled: bool,
    lens: &Lengths,
    derived: Option<&TantivyTerms>,
) -> Result<DictStats, SearchError> {
    let mut post = BufWriter::new(File::create(dir.join("post.bin"))?);
    let mut post_len = 0u64;
    let mut entries: Vec<u8> = Vec::new();
    let mut index: Vec<(u32, u32, u32)> = Vec::new(); // (hash, entry offset, entry len)
    let mut append = |(term, df, blob): Encoded| -> Result<(), SearchError> {
        if term.len() > 255 {
            return Ok(());
        }
        let start = entries.len();
        entries.push(term.len() as u8);
        entries.extend_from_slice(term.as_bytes());
        put_varint(&mut entries, u64::from(df));
        if blob.len() <= INLINE_MAX {
            entries.push(0);
            put_varint(&mut entries, blob.len() as u64);
            entries.extend_from_slice(&blob);
        } else {
            entries.push(1);
            put_varint(&mut entries, post_len);
            put_varint(&mut entries, blob.len() as u64);
            post.write_all(&blob)?;
            post_len += blob.len() as u64;
        }
        index.push((fnv1a(&term), start as u32, (entries.len() - start) as u32));
        Ok(())
    };
    // Jobs of uneven size (the ranges of tantivy's terms), so twice as many as threads
    // at a time.
    let threads = rayon::current_num_threads().max(1) * 2;
    let mut jobs: Vec<Job> = parts
        .into_iter()
        .zip(texts)
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
            || pending.drain(..).flatten().try_for_each(&mut append),
        );
        appended?;
        pending = encoded?;
    }
    pending.into_iter().flatten().try_for_each(&mut append)?;
    post.flush()?;

    // Dictionary pages: fixed-width, so the client computes a page's byte range from the
    // term's hash alone and looks terms up in the same round trip as `meta.json`.
    let (pages, page_sizes) = page_layout(&index);
    index.sort_by_key(|&(h, off, _)| (h % pages, h, off));
    let mut dict = BufWriter::new(File::create(dir.join("dict.bin"))?);
    let mut at = 0;
    let zeros = [0u8; PAGE_BYTES];
    for (p, &used) in page_sizes.iter().enumerate() {
        while at < index.len() && index[at].0 % pages == p as u32 {
            let (_, off, len) = index[at];
            dict.write_all(&entries[off as usize..(off + len) as usize])?;
            at += 1;
        }
        dict.write_all(&zeros[..PAGE_BYTES - used])?;
    }
    dict.flush()?;
    Ok(DictStats {
        pages,
        terms: index.len() as u64,
        dict_bytes: u64::from(pages) * PAGE_BYTES as u64,
        postings_bytes: post_len,
    })
}

/// Writes `docs.bin`: the records of `records_path` (at `record_at`, by caller id) in
/// internal id order, each in a slot of `slot` bytes.
fn write_slots(
    records_path: &Path,
    dir: &Path,
    order: &[u32],
    record_at: &[(u64, u32)],
    slot: u32,
) -> Result<(), SearchError> {
    let mut src = File::open(records_path)?;
    let mut docs_out = BufWriter::new(File::create(dir.join("docs.bin"))?);
    let mut rec = Vec::new();
    let mut slot_buf = vec![0u8; slot as usize];
    for &c in order {
        let (off, len) = record_at[c as usize];
        rec.resize(len as usize, 0);
        src.seek(SeekFrom::Start(off))?;
        src.read_exact(&mut rec)?;
        slot_buf.fill(0);
        let kept = rec.len().min(slot as usize);
        slot_buf[..kept].copy_from_slice(&rec[..kept]);
        docs_out.write_all(&slot_buf)?;
    }
    docs_out.flush()?;
    Ok(())
}

/// The number of dictionary pages for entries `(hash, offset, len)`, and each page's fill:
/// the smallest count from an average fill of [`PAGE_FILL`] up (in steps of ~1/8) at which
/// every page's entries fit in [`PAGE_BYTES`]. An entry is at most ~300 bytes (a term of up
/// to 255 bytes, inline postings of up to [`INLINE_MAX`]), so enough pages always fit.
fn page_layout(index: &[(u32, u32, u32)]) -> (u32, Vec<usize>) {
    let total: usize = index.iter().map(|e| e.2 as usize).sum();
    let mut pages = ((total as f64 / (PAGE_BYTES as f64 * PAGE_FILL)).ceil() as u32).max(1);
    loop {
        let mut used = vec![0usize; pages as usize];
        for &(h, _, len) in index {
            used[(h % pages) as usize] += len as usize;
        }
        if used.iter().all(|&u| u <= PAGE_BYTES) {
            return (pages, used);
        }
        pages += pages / 8 + 1;
    }
}

/// The slot width: the 75th percentile record, rounded up to 256 bytes, between 512 and
/// [`SLOT_MAX`] — and never narrower than the widest head, so every title and URL is whole.
fn slot_width(records: &[(u64, u32)], max_head: u32) -> u32 {
    let mut lens: Vec<u32> = records.iter().map(|r| r.1).collect();
    let p = if lens.is_empty() {
        0
    } else {
        lens.sort_unstable();
        lens[(lens.len() * 3 / 4).min(lens.len() - 1)]
    };
    let body = p.div_ceil(256).saturating_mul(256).clamp(512, SLOT_MAX);
    body.max((max_head + 2).div_ceil(256) * 256)
}

// ---------------------------------------------------------------------------------------
// Reading (what the client fetches)

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
    terms.extend(super::words::query_word_term(query));
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

/// Looks `term` up in one page: (df, length of its out-of-line postings if any).
fn find_entry(page: &[u8], term: &str) -> Option<(u64, Option<u64>)> {
    let mut at = 0;
    while at < page.len() {
        let len = page[at] as usize;
        if len == 0 {
            return None;
        }
        let t = page.get(at + 1..at + 1 + len)?;
        at += 1 + len;
        let df = get_varint(page, &mut at)?;
        let form = *page.get(at)?;
        at += 1;
        let external = if form == 0 {
            let n = get_varint(page, &mut at)?;
            at += n as usize;
            None
        } else {
            get_varint(page, &mut at)?;
            Some(get_varint(page, &mut at)?)
        };
        if t == term.as_bytes() {
            return Some((df, external));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut v = Vec::new();
        for x in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX >> 1] {
            put_varint(&mut v, x);
        }
        let mut at = 0;
        for x in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX >> 1] {
            assert_eq!(get_varint(&v, &mut at), Some(x));
        }
    }

    #[test]
    fn keys_are_reversible_for_cjk() {
        assert_eq!(
            cjk_text(key_of(TokenKind::Bigram, "吉林")).as_deref(),
            Some("吉林")
        );
        assert_eq!(
            cjk_text(key_of(TokenKind::Unigram, "𠀀")).as_deref(),
            Some("𠀀")
        );
        assert_eq!(cjk_text(key_of(TokenKind::Word, "abc")), None);
    }

    fn sample_docs(n: u32) -> Vec<(SearchDoc, Option<Arc<DocWords>>)> {
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
                };
                (doc, None)
            })
            .collect()
    }

    /// Spilling postings to run files and merging them back gives the same index, byte for
    /// byte, as holding them all in memory, and leaves no run file behind.
    #[test]
    fn spilled_postings_merge_back_identically() {
        let whole = tempfile::tempdir().unwrap();
        let spilled = tempfile::tempdir().unwrap();
        build_spilling_at(
            sample_docs(1500).into_iter(),
            whole.path(),
            usize::MAX,
            TextTerms::Scanned,
        )
        .unwrap();
        // A few hundred bytes: several spills per batch of documents' lifetime.
        build_spilling_at(
            sample_docs(1500).into_iter(),
            spilled.path(),
            300,
            TextTerms::Scanned,
        )
        .unwrap();
        for f in FILES {
            let a = std::fs::read(whole.path().join(f)).unwrap();
            let b = std::fs::read(spilled.path().join(f)).unwrap();
            assert!(a == b, "{f} differs after spilling");
        }
        let left: Vec<_> = std::fs::read_dir(spilled.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

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

    /// The weight bytes of `term`'s postings (a list, not dense), in internal id order.
    fn weights_of(dir: &Path, term: &str) -> Vec<u8> {
        let mut all = all_postings(dir);
        all.remove(term)
            .unwrap_or_else(|| panic!("{term} is not in the index"))
            .1
    }

    /// Every term of a static index: its internal ids and weight bytes (list form only).
    fn all_postings(dir: &Path) -> std::collections::BTreeMap<String, (Vec<u32>, Vec<u8>)> {
        let dict = std::fs::read(dir.join("dict.bin")).unwrap();
        let post = std::fs::read(dir.join("post.bin")).unwrap();
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
        let pages = meta["pages"].as_u64().unwrap() as u32;
        let mut all = std::collections::BTreeMap::new();
        for (number, page) in dict.chunks(PAGE_BYTES).enumerate() {
            let mut at = 0;
            while at < page.len() && page[at] > 0 {
                let len = page[at] as usize;
                let term = String::from_utf8(page[at + 1..at + 1 + len].to_vec()).unwrap();
                assert_eq!(
                    page_of(&term, pages) as usize,
                    number,
                    "{term}: in its page"
                );
                at += 1 + len;
                let df = get_varint(page, &mut at).unwrap() as usize;
                let form = page[at];
                at += 1;
                let blob = if form == 0 {
                    let n = get_varint(page, &mut at).unwrap() as usize;
                    at += n;
                    &page[at - n..at]
                } else {
                    let off = get_varint(page, &mut at).unwrap() as usize;
                    let n = get_varint(page, &mut at).unwrap() as usize;
                    &post[off..off + n]
                };
                assert_eq!(blob[0], 0, "{term}: a list");
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

    /// Read from tantivy's segments (as `gongkai build` does), the static index holds the
    /// same terms in the same records as when it counts them itself, with weights that
    /// differ only by tantivy's rounding of lengths (its field norms): at most a few units
    /// of 255. Two writer threads, so segments hold records out of order.
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
        super::super::index::write_index_threads(docs.clone().into_iter(), &index_dir, 2).unwrap();
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
        let mut worst = 0;
        for (term, (ids, weights)) in &a {
            let (ids_b, weights_b) = &b[term];
            assert_eq!(ids, ids_b, "{term}: the same records");
            for (x, y) in weights.iter().zip(weights_b) {
                worst = worst.max(x.abs_diff(*y));
            }
        }
        assert!(worst <= 4, "weights differ by up to {worst}");
        for f in ["meta.json", "docs.bin"] {
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
        super::super::index::write_index_threads(sample_docs(10).into_iter(), &index_dir, 1)
            .unwrap();
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

    /// Every term's postings weigh what counting its occurrences in each record gives:
    /// characters (counted through the bigrams they start, or alone at a run's end),
    /// bigrams, Latin words, codes and dictionary words.
    #[test]
    fn postings_weigh_every_occurrence() {
        let docs = sample_docs(300);
        let dir = tempfile::tempdir().unwrap();
        build_spilling_at(
            docs.clone().into_iter(),
            dir.path(),
            usize::MAX,
            TextTerms::Scanned,
        )
        .unwrap();
        let positions = |text: &str| {
            let mut n = 0;
            scan(text, Side::IndexBigrams, |_| n += 1);
            n
        };
        let lens: Vec<(u32, u32)> = docs
            .iter()
            .map(|(d, _)| {
                let codes: u32 = d.codes.iter().map(|c| positions(c)).sum();
                (positions(&d.title) + codes, positions(&d.body))
            })
            .collect();
        let avg = |f: fn(&(u32, u32)) -> u32| {
            lens.iter().map(|l| f64::from(f(l))).sum::<f64>() / lens.len() as f64
        };
        let (avg_t, avg_b) = (avg(|l| l.0), avg(|l| l.1));
        let occurrences = |text: &str, term: &str| text.matches(term).count() as u32;
        let code = format!("#{}", normalize_code("示政发〔2015〕7号"));
        for term in [
            "政",
            "市",
            "法",
            "吉林",
            "公开",
            "2015",
            "~吉林市",
            "~行政许可",
            &code,
        ] {
            let mut want: Vec<u8> = docs
                .iter()
                .zip(&lens)
                .filter_map(|((d, _), &(lt, lb))| {
                    let (tt, tb) = if let Some(w) = term.strip_prefix('~') {
                        let words = DocWords::of(&d.title, &d.body);
                        let has = |t: &super::super::words::WordTerms| {
                            u32::from(t.contains(&format!("~{w}")))
                        };
                        (has(&words.title), has(&words.body))
                    } else if let Some(code) = term.strip_prefix('#') {
                        let has = d.codes.iter().any(|c| normalize_code(c) == code);
                        (u32::from(has), 0)
                    } else {
                        let codes: u32 = d.codes.iter().map(|c| occurrences(c, term)).sum();
                        (
                            occurrences(&d.title, term) + codes,
                            occurrences(&d.body, term),
                        )
                    };
                    (tt + tb > 0).then(|| weight(tt, tb, lt, lb, avg_t, avg_b))
                })
                .collect();
            assert!(!want.is_empty(), "{term} occurs in the sample");
            let mut got = weights_of(dir.path(), term);
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{term}");
        }
    }

    /// A body is stored as zlib segments of about SEGMENT_BYTES that inflate back to it.
    #[test]
    fn body_segments_inflate_to_the_body() {
        let (doc, _) = sample_docs(1).remove(0);
        let body = "政府信息公开工作年度报告。".repeat(100);
        let (record, head) = encode_record(&SearchDoc {
            body: body.clone(),
            ..doc
        })
        .unwrap();
        let mut at = head as usize;
        let mut text = Vec::new();
        let mut segments = 0;
        let mut inflate = libdeflater::Decompressor::new();
        loop {
            let n = get_varint(&record, &mut at).unwrap() as usize;
            if n == 0 {
                break;
            }
            let mut seg = vec![0u8; SEGMENT_BYTES + 4];
            let len = inflate
                .zlib_decompress(&record[at..at + n], &mut seg)
                .unwrap();
            text.extend_from_slice(&seg[..len]);
            at += n;
            segments += 1;
        }
        assert_eq!(String::from_utf8(text).unwrap(), body);
        assert_eq!(segments, body.len().div_ceil(SEGMENT_BYTES));
    }

    #[test]
    fn fnv_matches_reference() {
        assert_eq!(fnv1a(""), 0x811C_9DC5);
        assert_eq!(fnv1a("a"), 0xE40C_292C);
    }
}
