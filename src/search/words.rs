//! Dictionary words (jieba-rs), used to rank a query that is itself one word above records
//! that contain its characters only across a word boundary: 吉林市 finds both
//! 吉林市人民政府 (吉林市/人民政府) and 吉林市场 (吉林/市场), and ranks the first higher.
//!
//! Index side: every jieba word of [`WORD_MIN_CHARS`] or more CJK characters in a record
//! becomes the term `~word`. Query side: a query that is one such run of CJK characters looks
//! up `~query` (no segmentation needed, so the browser client does the same without a
//! dictionary).
//!
//! Two-character words are left out. Two characters that are not a word of their own in a
//! record are nearly always part of a longer word — 许可 in 行政许可, 政府 in 人民政府,
//! 安全 in 食品安全 — rarely two words' edges (城市/长期 for 市长). Ranking those records
//! second would put every record about 行政许可 below one that says 许可 alone. And of a
//! record's distinct words, four in five have two characters (227 of 280 in the generated
//! corpus), so leaving them out also spares both indexes most of the word terms.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use super::FastHasher;
use crate::text::cjk::is_cjk;

/// The prefix of word terms (no token of the tokenizer contains it).
pub const WORD_PREFIX: char = '~';

pub(crate) fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// The fewest characters of a word term (see the module's documentation).
pub const WORD_MIN_CHARS: usize = 3;

fn is_cjk_word(w: &str) -> bool {
    w.chars().nth(WORD_MIN_CHARS - 1).is_some() && w.chars().all(is_cjk)
}

/// Loads the dictionary now (in a thread of the caller's choosing) rather than on first use.
pub fn warm_up() {
    jieba();
}

/// The distinct word terms (`~word`) of `text`, in order of first occurrence.
pub fn word_terms(text: &str) -> WordTerms {
    // Distinct words first (a body repeats its words), then one buffer for all of them:
    // a record has hundreds of words, and both index writers read them.
    let mut seen: HashSet<&str, BuildHasherDefault<FastHasher>> = HashSet::default();
    let words: Vec<&str> = jieba()
        .cut(text, false)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| is_cjk_word(w) && seen.insert(w))
        .collect();
    let mut terms = WordTerms {
        text: String::with_capacity(words.iter().map(|w| w.len() + 2).sum()),
    };
    for w in words {
        if !terms.text.is_empty() {
            terms.text.push('\n');
        }
        terms.text.push(WORD_PREFIX);
        terms.text.push_str(w);
    }
    terms
}

/// Distinct word terms, kept in one buffer (one per line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordTerms {
    text: String,
}

impl WordTerms {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.iter_at().map(|(_, t)| t)
    }

    /// The terms with the byte offset each starts at (for [`WordTerms::term_at`]).
    pub fn iter_at(&self) -> impl Iterator<Item = (u32, &str)> {
        let mut next = 0;
        self.text
            .split('\n')
            .map(move |t| {
                let at = next;
                next += t.len() + 1;
                (at as u32, t)
            })
            .filter(|(_, t)| !t.is_empty())
    }

    /// The term starting at byte offset `at` (as given by [`WordTerms::iter_at`]).
    pub fn term_at(&self, at: u32) -> &str {
        let rest = self.text.get(at as usize..).unwrap_or("");
        rest.split('\n').next().unwrap_or("")
    }

    pub fn contains(&self, term: &str) -> bool {
        self.iter().any(|t| t == term)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// All terms, one per line.
    pub fn as_lines(&self) -> &str {
        &self.text
    }
}

/// The word terms of one record's title and body, computed once per build and shared by
/// both index writers (jieba segmentation is the most expensive step of indexing, so it
/// must not run twice per record).
#[derive(Debug, Clone, Default)]
pub struct DocWords {
    pub title: WordTerms,
    pub body: WordTerms,
}

impl DocWords {
    pub fn of(title: &str, body: &str) -> DocWords {
        DocWords {
            title: word_terms(title),
            body: word_terms(body),
        }
    }
}

/// The word term a query looks up: `~query` when the query (trimmed) is one run of
/// [`WORD_MIN_CHARS`] or more CJK characters.
pub fn query_word_term(query: &str) -> Option<String> {
    let q = query.trim();
    is_cjk_word(q).then(|| format!("{WORD_PREFIX}{q}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_city_is_a_word_and_a_market_is_not_a_city() {
        assert!(word_terms("吉林市人民政府关于印发").contains("~吉林市"));
        assert!(word_terms("吉林市人民政府关于印发").contains("~人民政府"));
        assert!(!word_terms("吉林市场监管动态").contains("~吉林市"));
        assert!(word_terms("吉林市场监管动态").contains("~市场监管"));
    }

    #[test]
    fn two_character_words_are_no_terms() {
        // 吉林/市场监管: 吉林 is a word there, but two characters are not ranked by words.
        assert!(!word_terms("吉林市场监管动态").contains("~吉林"));
        assert!(!word_terms("市政府关于行政许可事项的通知").contains("~事项"));
        assert!(word_terms("市政府关于行政许可事项的通知").contains("~行政许可"));
    }

    #[test]
    fn only_cjk_runs_are_query_words() {
        assert_eq!(query_word_term(" 吉林市 ").as_deref(), Some("~吉林市"));
        assert_eq!(query_word_term("吉"), None);
        assert_eq!(query_word_term("许可"), None);
        assert_eq!(query_word_term("吉林 市"), None);
        assert_eq!(query_word_term("2015年"), None);
    }
}
