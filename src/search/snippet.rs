//! Highlighted snippets: the passage of a text where the query's tokens are densest,
//! HTML-escaped, with `<mark>` around every matched token. `search.js` implements the
//! same algorithm for the static index.

use std::collections::HashSet;

use super::tokenize::{scan, QueryTokens, Side, TokenKind};

pub use crate::text::escape::escape_into as escape_html;

/// Collapses every run of whitespace to one space and trims the ends.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Character ranges (`start..end`, in chars of `text`) of the tokens of `text` that match
/// the query: its bigrams and words everywhere, its lone characters as unigrams.
pub fn match_ranges(text: &str, query: &QueryTokens) -> Vec<(usize, usize)> {
    let terms: HashSet<(&str, TokenKind)> = query
        .tokens
        .iter()
        .map(|t| (t.text.as_str(), t.kind))
        .collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let mut byte_ranges: Vec<(usize, usize)> = Vec::new();
    scan(text, Side::Index, |t| {
        if terms.contains(&(t.text, t.kind)) {
            byte_ranges.push((t.start, t.end));
        }
    });
    // Byte offsets to char offsets.
    let mut char_at = vec![0usize; text.len() + 1];
    let mut n = 0;
    for (i, c) in text.char_indices() {
        for slot in &mut char_at[i..i + c.len_utf8()] {
            *slot = n;
        }
        n += 1;
    }
    char_at[text.len()] = n;
    let mut ranges: Vec<(usize, usize)> = byte_ranges
        .into_iter()
        .map(|(s, e)| (char_at[s], char_at[e]))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The passage of at most `max_chars` characters of `text` that holds the most matched
/// characters, as HTML. Without a match, the beginning of the text.
pub fn snippet(text: &str, query: &QueryTokens, max_chars: usize) -> String {
    let clean = collapse_whitespace(text);
    let chars: Vec<char> = clean.chars().collect();
    let n = chars.len();
    let marks = match_ranges(&clean, query);
    let mut start = 0usize;
    if !marks.is_empty() && n > max_chars {
        let lead = max_chars / 4;
        let mut best = (0usize, 0usize);
        for &(ms, _) in &marks {
            let ws = ms.saturating_sub(lead).min(n - max_chars);
            let we = ws + max_chars;
            let covered: usize = marks
                .iter()
                .map(|&(s, e)| e.min(we).saturating_sub(s.max(ws)))
                .sum();
            if covered > best.1 {
                best = (ws, covered);
            }
        }
        start = best.0;
    }
    let end = (start + max_chars).min(n);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    let mut buf = String::new();
    for &(s, e) in &marks {
        if e <= start || s >= end {
            continue;
        }
        let (s, e) = (s.max(start), e.min(end));
        buf.clear();
        buf.extend(&chars[i..s]);
        escape_html(&buf, &mut out);
        buf.clear();
        buf.extend(&chars[s..e]);
        out.push_str("<mark>");
        escape_html(&buf, &mut out);
        out.push_str("</mark>");
        i = e;
    }
    buf.clear();
    buf.extend(&chars[i..end]);
    escape_html(&buf, &mut out);
    if end < n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokenize::tokenize_query;

    #[test]
    fn marks_and_escapes() {
        let q = tokenize_query("行政许可");
        let s = snippet("<b>不予行政许可决定书</b>", &q, 100);
        assert_eq!(s, "&lt;b&gt;不予<mark>行政许可</mark>决定书&lt;/b&gt;");
    }

    #[test]
    fn picks_the_dense_window() {
        let q = tokenize_query("法治");
        let text = format!("{}法治政府{}", "甲".repeat(200), "乙".repeat(200));
        let s = snippet(&text, &q, 40);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>法治</mark>"), "{s}");
        assert_eq!(s.chars().count(), 40 + 2 + "<mark></mark>".len());
    }

    #[test]
    fn lone_char_queries_mark_unigrams_only() {
        let q = tokenize_query("市");
        assert_eq!(snippet("吉林市", &q, 10), "吉林<mark>市</mark>");
    }
}
