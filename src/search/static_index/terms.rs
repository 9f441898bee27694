//! One record's distinct terms and their title and body frequencies, counted as the record
//! is tokenized; the terms as `u64` keys, grouped by the partition of the postings table
//! they go to.
//!
//! The terms: the text terms (characters, bigrams, Latin words) of the title, the codes and
//! the body, unless they are read from tantivy's segments instead; a code as `#` +
//! [`normalize_code`]; a dictionary word as `~` + word ([`crate::search::words`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::search::tokenize::{normalize_code, scan, Side, TokenKind};
use crate::search::words::DocWords;
use crate::search::{FastHasher, SearchDoc};

/// Partitions of the in-memory postings (merged in parallel).
pub(super) const PARTS: usize = 64;

/// A table keyed by term keys.
pub(super) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<FastHasher>>;

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

/// The text of a CJK unigram's or bigram's key (`None` for hashed keys).
pub(super) fn cjk_text(key: u64) -> Option<String> {
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

/// Where the text of one of a record's terms is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Text {
    /// A CJK unigram or bigram: the key holds the text ([`cjk_text`]).
    InKey,
    /// `RecordTerms::strings[i]`.
    Owned(u32),
    /// The dictionary word at this byte offset of the title's or the body's word terms.
    TitleWord(u32),
    BodyWord(u32),
}

/// A term of one record and its frequencies.
#[derive(Debug, Clone, Copy)]
pub(super) struct Term {
    pub(super) key: u64,
    pub(super) title: u32,
    pub(super) body: u32,
    pub(super) text: Text,
}

/// One record after tokenizing: its distinct terms grouped by partition, and its lengths.
pub(super) struct RecordTerms {
    pub(super) terms: Vec<Term>,
    /// Where each partition's terms start in `terms` (and, last, where they end).
    pub(super) parts: [u32; PARTS + 1],
    /// Texts of the hashed terms other than dictionary words.
    strings: Vec<String>,
    /// The dictionary words, whose texts are kept in the shared list.
    words: Arc<DocWords>,
    pub(super) title_len: u32,
    pub(super) body_len: u32,
}

impl RecordTerms {
    /// The text of a hashed term (`None` for CJK terms, whose keys hold their text).
    pub(super) fn text(&self, t: Text) -> Option<&str> {
        match t {
            Text::InKey => None,
            Text::Owned(i) => self.strings.get(i as usize).map(String::as_str),
            Text::TitleWord(at) => Some(self.words.title.term_at(at)),
            Text::BodyWord(at) => Some(self.words.body.term_at(at)),
        }
    }
}

thread_local! {
    /// [`count_terms`]'s scratch table, term → index in its counted terms, kept per thread
    /// so its capacity is allocated once.
    static SEEN: RefCell<KeyMap<u32>> = RefCell::new(KeyMap::default());
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

/// The terms of `doc`, whose dictionary words are `words` (`None`: found here);
/// `scan_text`: whether its text terms are counted here (not when they are read from
/// the tantivy index).
pub(super) fn count_terms(
    doc: &SearchDoc,
    words: Option<Arc<DocWords>>,
    scan_text: bool,
) -> RecordTerms {
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
            // Rounded as tantivy rounds its field norms, each field on its own (the codes
            // are one field there), so that an index counted here weighs its records
            // exactly as one read from tantivy's segments does, byte for byte.
            add(&doc.title, TITLE, &mut title_len);
            let mut codes_len = 0;
            for code in &doc.codes {
                add(code, TITLE, &mut codes_len);
            }
            title_len = as_field_norm(title_len) + as_field_norm(codes_len);
            add(&doc.body, BODY, &mut body_len);
            body_len = as_field_norm(body_len);
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
    let (terms, parts) = by_part(counted);
    RecordTerms {
        terms,
        parts,
        strings,
        words,
        title_len,
        body_len,
    }
}

/// Distinct terms grouped by partition (a counting sort), and where each group starts.
fn by_part(counted: Vec<Term>) -> (Vec<Term>, [u32; PARTS + 1]) {
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
    (terms, parts)
}

/// A length as tantivy's field norms store it: exact up to 40 and rounded above.
fn as_field_norm(len: u32) -> u32 {
    use tantivy::fieldnorm::FieldNormReader;
    FieldNormReader::id_to_fieldnorm(FieldNormReader::fieldnorm_to_id(len))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{sample_docs, weights_of};
    use super::super::weight::weight;
    use super::super::{build_spilling_at, TextTerms};
    use super::*;
    use crate::search::words::WordTerms;

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
                        let has = |t: &WordTerms| u32::from(t.contains(&format!("~{w}")));
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
}
