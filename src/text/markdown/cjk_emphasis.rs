//! Emphasis next to Chinese punctuation, as Chinese writers expect it.
//!
//! CommonMark decides whether `**` opens or closes by its neighbours. A run that follows
//! punctuation closes only if whitespace or punctuation comes after it. Chinese has no
//! spaces, so the commonest bold lead sentence of a government document,
//! `（一）**推进信息公开。**建立…`, stays literal asterisks: the closing `**` follows `。`
//! and precedes `建`. The same happens with quotation marks: `建立**“三个一”**机制`.
//!
//! The CommonMark CJK-friendly amendments (commonmark-spec issue 650; markdown-it and
//! pulldown-cmark's unreleased main have it as an option) fix this. CJK punctuation no
//! longer counts as punctuation there, and a CJK character beside a run counts like
//! whitespace does. pulldown-cmark 0.13 parses by the original rules. So [`prepare`] puts a
//! marker character next to each `*` or `~~` run that the amended rules would let open or
//! close and the original rules would not. The marker is an ordinary character to the
//! parser, which makes the run flanking on that side. [`unmark`] takes the marker out of
//! the events again. Only such runs get a marker, and the marker changes none of their
//! other flags, so every other run parses as before.
//!
//! `_` and a single `~` are left alone: Chinese writers do not emphasise with underscores,
//! and `1~3日` is a range, not strikethrough.

use std::borrow::Cow;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag};

use crate::text::cjk::{is_cjk, is_cjk_punct};

/// A noncharacter (never in interchanged text) that the parser treats as a letter.
const MARK: char = '\u{FDD0}';

/// What a delimiter run's neighbour is, for the flanking rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Whitespace, the start or the end of the line.
    Space,
    /// A CJK character that is not punctuation (Han, kana, Hangul, full-width letters).
    Cjk,
    /// A letter or digit of another script.
    Alnum,
    /// Punctuation of full width (。，、：；！？（）《》【】…).
    CjkPunct,
    /// Anything else: other punctuation (“”‘’—…"), symbols, emoji.
    Punct,
}

fn side(c: Option<char>) -> Side {
    let Some(c) = c else {
        return Side::Space;
    };
    if c.is_whitespace() {
        Side::Space
    } else if is_cjk(c) || matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A) {
        Side::Cjk
    } else if c.is_alphanumeric() {
        Side::Alnum
    } else if is_cjk_punct(c) {
        Side::CjkPunct
    } else {
        Side::Punct
    }
}

/// Where the marker goes for a run between `before` and `after`, if anywhere.
///
/// Under the original rules a run can open when it is left-flanking and close when it is
/// right-flanking. The amendments make a run left-flanking in two more cases: before CJK
/// punctuation after a letter, and before other punctuation after a CJK character. The
/// right-flanking cases mirror these. The marker after the run makes it left-flanking, the
/// marker before it right-flanking. In both cases the other flag stays set: the far
/// neighbour is a letter.
fn marker_for(before: Side, after: Side) -> Option<Place> {
    use Side::*;
    match (before, after) {
        (Cjk | Alnum, CjkPunct) | (Cjk, Punct) => Some(Place::After),
        (CjkPunct, Cjk | Alnum) | (Punct, Cjk) => Some(Place::Before),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Before,
    After,
}

/// The Markdown with markers placed; borrowed when no run needs one (most bodies), or when
/// the text already holds the marker character (then it parses by the original rules, and
/// nothing of the text is lost to [`unmark`]).
pub fn prepare(md: &str) -> Cow<'_, str> {
    if !md.contains(['*', '~']) || md.contains(MARK) {
        return Cow::Borrowed(md);
    }
    let mut out = String::new();
    let mut copied = 0;
    let bytes = md.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'*' && b != b'~' {
            i += 1;
            continue;
        }
        let mut start = i;
        while i < bytes.len() && bytes[i] == b {
            i += 1;
        }
        let backslashes = bytes[..start]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if backslashes % 2 == 1 {
            // The first delimiter is escaped, a literal character before the run of the
            // rest (the backslash must stay right before it).
            start += 1;
        }
        if start == i || (b == b'~' && i - start < 2) {
            continue;
        }
        let prev = md[..start].chars().next_back();
        let next = md[i..].chars().next();
        let Some(place) = marker_for(side(prev), side(next)) else {
            continue;
        };
        let at = if place == Place::Before { start } else { i };
        out.push_str(&md[copied..at]);
        out.push(MARK);
        copied = at;
    }
    if copied == 0 {
        return Cow::Borrowed(md);
    }
    out.push_str(&md[copied..]);
    Cow::Owned(out)
}

fn strip(s: CowStr<'_>) -> CowStr<'_> {
    if s.contains(MARK) {
        CowStr::from(s.replace(MARK, ""))
    } else {
        s
    }
}

/// The event without the markers [`prepare`] placed. A marker can land in any text the
/// parser hands on (a code span, a URL, a code block's info string), so every string of
/// the event is cleaned.
pub fn unmark(ev: Event<'_>) -> Event<'_> {
    match ev {
        Event::Text(s) => Event::Text(strip(s)),
        Event::Code(s) => Event::Code(strip(s)),
        Event::Html(s) => Event::Html(strip(s)),
        Event::InlineHtml(s) => Event::InlineHtml(strip(s)),
        Event::InlineMath(s) => Event::InlineMath(strip(s)),
        Event::DisplayMath(s) => Event::DisplayMath(strip(s)),
        Event::FootnoteReference(s) => Event::FootnoteReference(strip(s)),
        Event::Start(tag) => Event::Start(match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: strip(dest_url),
                title: strip(title),
                id: strip(id),
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type,
                dest_url: strip(dest_url),
                title: strip(title),
                id: strip(id),
            },
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                Tag::CodeBlock(CodeBlockKind::Fenced(strip(info)))
            }
            Tag::FootnoteDefinition(label) => Tag::FootnoteDefinition(strip(label)),
            other => other,
        }),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_runs_the_original_rules_reject_get_a_marker() {
        let m = MARK;
        // After `）` the opening run may also close (as after a space); after `。` the
        // closing run may close at all.
        assert_eq!(
            prepare("（一）**推进。**建立"),
            format!("（一）{m}**推进。{m}**建立")
        );
        assert_eq!(
            prepare("建立**“三个一”**机制"),
            format!("建立**{m}“三个一”{m}**机制")
        );
        // Already emphasis by the original rules: untouched.
        assert!(matches!(prepare("**推进信息公开**工作"), Cow::Borrowed(_)));
        assert!(matches!(prepare("a **b** c"), Cow::Borrowed(_)));
        // Latin text keeps CommonMark's rule: no emphasis in foo**"bar"**.
        assert!(matches!(prepare("foo**\"bar\"**baz"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_ranges_and_existing_markers_are_left_alone() {
        assert!(matches!(prepare("注：\\*建立"), Cow::Borrowed(_)));
        // After an escaped `*`, the rest of the run follows punctuation.
        assert_eq!(prepare("“\\**中"), format!("“\\*{MARK}*中"));
        // An escaped backslash is punctuation before the run, not an escape of it.
        assert_eq!(prepare("注：\\\\**建立"), format!("注：\\\\{MARK}**建立"));
        assert!(matches!(prepare("1~3日，（一）~建"), Cow::Borrowed(_)));
        let with_mark = format!("{MARK}（一）**推进。**建立");
        assert!(matches!(prepare(&with_mark), Cow::Borrowed(_)));
    }
}
