//! Line breaks inside Chinese sentences, dropped.
//!
//! Text pasted from a PDF or a Word file breaks lines in mid-sentence:
//! `为贯彻落实《中共中央关于全面推进依法治国若干重大问题` / `的决定》`. In Markdown the two lines
//! are one paragraph joined by a soft break, which HTML writes as a newline, and Chromium
//! shows as a space between two characters (`问题 的决定`). The search text had a newline
//! there too, which cut the bigram 题的, so the phrase 问题的决定 did not find the record.
//!
//! So a soft break between two wide characters (East Asian Width Wide or Fullwidth: Han,
//! kana, full-width punctuation) is dropped, as CSS Text's segment break rules and
//! markdown-it-cjk-breaks do. Korean keeps its breaks, since Korean separates words by
//! spaces. So does every break next to a Latin letter, a digit or other narrow text:
//! `中文` / `English` still reads `中文 English`.

use crate::text::cjk::is_wide;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Whether `ev` opens or closes something inside a line of text (emphasis, a link), as
/// opposed to a block (a paragraph, a cell), beyond which a break has no neighbour.
fn is_inline(ev: &Event<'_>) -> bool {
    matches!(
        ev,
        Event::Start(
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ) | Event::End(
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        )
    )
}

/// What the search for a break's neighbours sees in an event.
#[derive(Clone, Copy)]
enum Seen {
    /// Text, with its first and last characters (none if empty).
    Text(Option<(char, char)>),
    /// Looked past: emphasis, links, code spans, other breaks, an image's alt text.
    Past,
    /// The end of the block: no neighbour beyond.
    Wall,
}

fn seen(events: &[Event<'_>]) -> Vec<Seen> {
    let mut in_image = 0usize;
    events
        .iter()
        .map(|ev| {
            match ev {
                Event::Start(Tag::Image { .. }) => in_image += 1,
                Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                _ => {}
            }
            match ev {
                // Raw HTML is shown as text, so it is text here too. Empty text is what a
                // marker of `cjk_emphasis` leaves between two delimiters: nothing to see.
                Event::Text(s) | Event::InlineHtml(s) if in_image == 0 && !s.is_empty() => {
                    Seen::Text(s.chars().next().zip(s.chars().next_back()))
                }
                _ if is_inline(ev) => Seen::Past,
                Event::Start(_) | Event::End(_) | Event::Rule | Event::Html(_) => Seen::Wall,
                _ => Seen::Past,
            }
        })
        .collect()
}

/// The events without the soft breaks that sit between two wide characters.
///
/// The neighbours are found as markdown-it-cjk-breaks finds them, so that its output can
/// serve as the reference: the nearest text in the block on each side, past code spans and
/// markup; a break dropped already reads as empty text.
pub fn drop_wide_breaks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events.iter().any(|e| matches!(e, Event::SoftBreak)) {
        return events;
    }
    let mut seen = seen(&events);
    for i in 0..events.len() {
        if !matches!(events[i], Event::SoftBreak) {
            continue;
        }
        let nearest = |s: &Seen| !matches!(s, Seen::Past);
        let before = match seen[..i].iter().rev().find(|s| nearest(s)) {
            Some(Seen::Text(Some((_, last)))) => Some(*last),
            _ => None,
        };
        let after = match seen[i + 1..].iter().find(|s| nearest(s)) {
            Some(Seen::Text(Some((first, _)))) => Some(*first),
            _ => None,
        };
        if before.is_some_and(is_wide) && after.is_some_and(is_wide) {
            seen[i] = Seen::Text(None);
        }
    }
    events
        .into_iter()
        .zip(seen)
        .filter_map(|(ev, s)| match (&ev, s) {
            (Event::SoftBreak, Seen::Text(None)) => None,
            _ => Some(ev),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn breaks_left(md: &str) -> usize {
        drop_wide_breaks(Parser::new(md).collect())
            .iter()
            .filter(|e| matches!(e, Event::SoftBreak))
            .count()
    }

    #[test]
    fn a_break_inside_a_chinese_sentence_is_dropped() {
        assert_eq!(breaks_left("若干重大问题\n的决定》"), 0);
        assert_eq!(breaks_left("重大**问题**\n的决定"), 0);
        assert_eq!(breaks_left("提出如下意见：\n一、总体要求"), 0);
    }

    #[test]
    fn breaks_next_to_narrow_text_or_korean_stay() {
        assert_eq!(breaks_left("中文\nEnglish"), 1);
        assert_eq!(breaks_left("2025年\n3月"), 1);
        assert_eq!(breaks_left("第3\n条"), 1);
        assert_eq!(breaks_left("한국어\n문장"), 1);
        assert_eq!(breaks_left("中文\n`code`"), 1);
    }
}
