//! The one tokenizer, used at index time and at query time, in Rust and (mirrored
//! exactly by `themes/default/static/search.js`) in the browser.
//!
//! Rules:
//! - Full-width ASCII forms are folded to half-width (`ＡＢＣ１２３` → `abc123`), the
//!   ideographic space to a space.
//! - A run of CJK characters (Han, 〇, kana, Hangul syllables) takes one position per
//!   character. The index side emits, at each character's position, the character as a
//!   unigram and the bigram it starts (if a next character exists in the run); both
//!   indexes store only the bigram, or the unigram at the run's end, and derive the
//!   unigram from it ([`Side::IndexBigrams`]). The query side emits the run's bigrams (a
//!   phrase), or the character itself if the run has one character.
//! - A run of letters/digits (ASCII, Latin-1/Extended, Greek, Cyrillic) is one lower-cased
//!   word at one position.
//! - Everything else (punctuation, spaces, symbols) separates runs and takes no position.
//!
//! Byte offsets (`start..end`) always refer to the original text.

use crate::text::cjk::is_cjk;

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// One CJK character.
    Unigram,
    /// Two adjacent CJK characters of one run.
    Bigram,
    /// A lower-cased run of letters and digits.
    Word,
}

/// A token with its position and byte offsets in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub kind: TokenKind,
    pub position: u32,
    pub start: usize,
    pub end: usize,
}

/// A borrowed token, handed to [`scan`]'s callback without allocating.
#[derive(Debug, Clone, Copy)]
pub struct TokenRef<'a> {
    pub text: &'a str,
    pub kind: TokenKind,
    pub position: u32,
    pub start: usize,
    pub end: usize,
}

impl TokenRef<'_> {
    pub fn to_token(&self) -> Token {
        Token {
            text: self.text.to_string(),
            kind: self.kind,
            position: self.position,
            start: self.start,
            end: self.end,
        }
    }
}

/// Folds a full-width ASCII form to half-width and the ideographic space to a space.
pub fn fold_char(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// Whether `c` (already folded) belongs to a word: ASCII letters and digits, and the
/// alphabetic characters of Latin-1/Latin Extended-A/B, Greek and Cyrillic.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(c as u32, 0xC0..=0x24F | 0x370..=0x3FF | 0x400..=0x4FF)
        && c != '\u{D7}'
        && c != '\u{F7}'
        && c.is_alphabetic()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Sep,
}

fn classify(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if is_word_char(c) {
        Class::Word
    } else {
        Class::Sep
    }
}

/// Which side of the search a token stream is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Unigrams and bigrams: snippets, and the reference the other index side is checked
    /// against.
    Index,
    /// One token per position, starting with the character there: the bigram it starts, or
    /// the character alone at the end of its run. Both indexes: it halves the tokens. In
    /// tantivy a character is found as every term it starts (`super::char_query`); the
    /// static index adds a character's counts from the bigrams it starts.
    IndexBigrams,
    Query,
}

/// Runs the tokenizer over `text`, calling `f` for every token in order. This is the
/// allocation-light core that [`tokenize_index`], [`tokenize_query`] and the index
/// writers share.
pub fn scan(text: &str, side: Side, mut f: impl FnMut(TokenRef<'_>)) {
    let mut position: u32 = 0;
    let mut word = String::new();
    // Byte starts of the current CJK run's characters, plus the run's end.
    let mut run: Vec<usize> = Vec::new();
    let mut run_end = 0usize;
    let mut word_start: Option<usize> = None;
    let mut word_end = 0usize;

    let flush_run = |run: &mut Vec<usize>,
                     run_end: usize,
                     position: &mut u32,
                     f: &mut dyn FnMut(TokenRef<'_>)| {
        let n = run.len();
        if n == 0 {
            return;
        }
        let end_of = |i: usize| if i + 1 < n { run[i + 1] } else { run_end };
        match side {
            Side::Index => {
                for i in 0..n {
                    let pos = *position + i as u32;
                    f(TokenRef {
                        text: &text[run[i]..end_of(i)],
                        kind: TokenKind::Unigram,
                        position: pos,
                        start: run[i],
                        end: end_of(i),
                    });
                    if i + 1 < n {
                        f(TokenRef {
                            text: &text[run[i]..end_of(i + 1)],
                            kind: TokenKind::Bigram,
                            position: pos,
                            start: run[i],
                            end: end_of(i + 1),
                        });
                    }
                }
            }
            Side::IndexBigrams => {
                for i in 0..n {
                    let (kind, end) = if i + 1 < n {
                        (TokenKind::Bigram, end_of(i + 1))
                    } else {
                        (TokenKind::Unigram, end_of(i))
                    };
                    f(TokenRef {
                        text: &text[run[i]..end],
                        kind,
                        position: *position + i as u32,
                        start: run[i],
                        end,
                    });
                }
            }
            Side::Query => {
                if n == 1 {
                    f(TokenRef {
                        text: &text[run[0]..run_end],
                        kind: TokenKind::Unigram,
                        position: *position,
                        start: run[0],
                        end: run_end,
                    });
                } else {
                    for i in 0..n - 1 {
                        f(TokenRef {
                            text: &text[run[i]..end_of(i + 1)],
                            kind: TokenKind::Bigram,
                            position: *position + i as u32,
                            start: run[i],
                            end: end_of(i + 1),
                        });
                    }
                }
            }
        }
        *position += n as u32;
        run.clear();
    };

    for (i, raw) in text.char_indices() {
        let c = fold_char(raw);
        let class = classify(c);
        if class != Class::Word {
            if let Some(ws) = word_start.take() {
                f(TokenRef {
                    text: &word,
                    kind: TokenKind::Word,
                    position,
                    start: ws,
                    end: word_end,
                });
                position += 1;
                word.clear();
            }
        }
        if class != Class::Cjk {
            flush_run(&mut run, run_end, &mut position, &mut f);
        }
        match class {
            Class::Cjk => {
                run.push(i);
                run_end = i + raw.len_utf8();
            }
            Class::Word => {
                if word_start.is_none() {
                    word_start = Some(i);
                }
                word_end = i + raw.len_utf8();
                if c.is_ascii() {
                    word.push(c.to_ascii_lowercase());
                } else {
                    word.extend(c.to_lowercase());
                }
            }
            Class::Sep => {}
        }
    }
    if let Some(ws) = word_start.take() {
        f(TokenRef {
            text: &word,
            kind: TokenKind::Word,
            position,
            start: ws,
            end: word_end,
        });
        position += 1;
    }
    flush_run(&mut run, run_end, &mut position, &mut f);
}

/// Index-side tokens: unigrams and bigrams for CJK runs, words for the rest.
pub fn tokenize_index(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(text, Side::Index, |t| out.push(t.to_token()));
    out
}

/// The tokens of a query, in order, with their positions: together they form the
/// query's phrase (bigrams of each CJK run, a lone CJK character as a unigram, words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryTokens {
    pub tokens: Vec<Token>,
}

impl QueryTokens {
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The distinct token texts, in first-seen order.
    pub fn terms(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.tokens {
            if !out.contains(&t.text.as_str()) {
                out.push(&t.text);
            }
        }
        out
    }

    /// (offset from the first token, text) pairs of the phrase.
    pub fn phrase(&self) -> Vec<(u32, &str)> {
        let base = self.tokens.first().map_or(0, |t| t.position);
        self.tokens
            .iter()
            .map(|t| (t.position - base, t.text.as_str()))
            .collect()
    }
}

/// Query-side tokens (see [`QueryTokens`]).
pub fn tokenize_query(text: &str) -> QueryTokens {
    let mut tokens = Vec::new();
    scan(text, Side::Query, |t| tokens.push(t.to_token()));
    QueryTokens { tokens }
}

/// Folds an exact identifier (事项编码, 索引号, 发文字号, credit code) for exact matching:
/// full-width to half-width, every bracket variant to `[` `]`, dash variants to `-`,
/// whitespace removed, ASCII upper-cased. `吉市政发[2015]6号` and `吉市政发〔2015〕6号`
/// fold to the same string.
pub fn normalize_code(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for raw in s.chars() {
        let c = fold_char(raw);
        let c = match c {
            '〔' | '【' | '〖' | '(' | '[' | '{' | '﹝' | '〘' => '[',
            '〕' | '】' | '〗' | ')' | ']' | '}' | '﹞' | '〙' => ']',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_whitespace() => continue,
            c => c.to_ascii_uppercase(),
        };
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<(String, u32)> {
        tokens
            .iter()
            .map(|t| (t.text.clone(), t.position))
            .collect()
    }

    fn pairs(v: &[(&str, u32)]) -> Vec<(String, u32)> {
        v.iter().map(|(s, p)| (s.to_string(), *p)).collect()
    }

    #[test]
    fn cjk_index_side_has_unigrams_and_bigrams_at_one_position_per_char() {
        let t = tokenize_index("吉林市");
        assert_eq!(
            texts(&t),
            pairs(&[("吉", 0), ("吉林", 0), ("林", 1), ("林市", 1), ("市", 2)])
        );
        assert_eq!((t[1].start, t[1].end), (0, 6));
    }

    #[test]
    fn query_side_is_a_bigram_phrase_or_a_unigram() {
        assert_eq!(
            texts(&tokenize_query("吉林市").tokens),
            pairs(&[("吉林", 0), ("林市", 1)])
        );
        assert_eq!(texts(&tokenize_query("市").tokens), pairs(&[("市", 0)]));
    }

    #[test]
    fn full_width_is_folded_and_words_lower_cased() {
        let t = tokenize_index("ＡＢＣ１２３");
        assert_eq!(texts(&t), pairs(&[("abc123", 0)]));
        assert_eq!((t[0].start, t[0].end), (0, 18));
        assert_eq!(
            texts(&tokenize_query("Hello, World").tokens),
            pairs(&[("hello", 0), ("world", 1)])
        );
    }

    #[test]
    fn mixed_text_and_punctuation() {
        let t = tokenize_query("吉市政发〔2015〕6号");
        assert_eq!(
            texts(&t.tokens),
            pairs(&[
                ("吉市", 0),
                ("市政", 1),
                ("政发", 2),
                ("2015", 4),
                ("6", 5),
                ("号", 6)
            ])
        );
        let t = tokenize_index("2015年，依法");
        assert_eq!(
            texts(&t),
            pairs(&[("2015", 0), ("年", 1), ("依", 2), ("依法", 2), ("法", 3)])
        );
    }

    #[test]
    fn long_cjk_runs_are_not_dropped() {
        let s = "关于深入推进依法行政加快建设法治政府的实施意见关于深入推进依法行政";
        assert!(s.len() > 40);
        let q = tokenize_query(s);
        assert_eq!(q.tokens.len(), s.chars().count() - 1);
        let last = q.tokens.last().unwrap();
        assert_eq!(&s[last.start..last.end], "行政");
        let i = tokenize_index(s);
        assert_eq!(i.len(), 2 * s.chars().count() - 1);
    }

    #[test]
    fn punctuation_only_is_empty() {
        assert!(tokenize_query(": + - ( ) \" *").is_empty());
        assert!(tokenize_index("，。、；").is_empty());
    }

    #[test]
    fn codes_normalize_across_bracket_variants() {
        let a = normalize_code("吉市政发〔2015〕6号");
        assert_eq!(a, "吉市政发[2015]6号");
        assert_eq!(normalize_code("吉市政发[2015]6号"), a);
        assert_eq!(normalize_code("吉市政发［２０１５］６号"), a);
        assert_eq!(normalize_code("吉市政发【2015】 6号"), a);
        assert_eq!(normalize_code("吉市政发(2015)6号"), a);
        assert_eq!(
            normalize_code("11220200795219742w/2015—04754"),
            "11220200795219742W/2015-04754"
        );
    }
}
