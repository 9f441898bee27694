//! Markdown bodies to HTML and to plain text.
//!
//! Officers write CommonMark with tables, footnotes and strikethrough. Raw HTML in a body is
//! shown as text, not passed through: a pasted `<script>` must never run on a government site.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML with raw HTML escaped and unsafe link schemes dropped.
pub fn to_html(md: &str) -> String {
    let events = Parser::new_ext(md, options()).map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: "#".into(),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: "".into(),
            title,
            id,
        }),
        // Tables need a wrapper to scroll on phones; pulldown-cmark writes the bare table.
        other => other,
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events);
    wrap_tables(out)
}

fn wrap_tables(html: String) -> String {
    if !html.contains("<table>") {
        return html;
    }
    html.replace(
        "<table>",
        "<div class=\"table-wrap\" tabindex=\"0\"><table>",
    )
    .replace("</table>", "</table></div>")
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    !(lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || lower.starts_with("data:"))
}

/// The text of a Markdown body without markup, for search and summaries.
pub fn to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new_ext(md, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The first `chars` characters of the text, ending with an ellipsis when cut.
pub fn excerpt(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        flat
    } else {
        let mut s: String = flat.chars().take(chars).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let h = to_html("正文<script>alert(1)</script>");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"));
    }

    #[test]
    fn javascript_links_are_dropped() {
        let h = to_html("[点我](javascript:alert(1))");
        assert!(!h.contains("javascript"), "{h}");
    }

    #[test]
    fn tables_render_and_scroll() {
        let h = to_html("|a|b|\n|-|-|\n|1|2|\n");
        assert!(h.contains("<div class=\"table-wrap\" tabindex=\"0\"><table>"));
    }

    #[test]
    fn text_and_excerpt() {
        let t = to_text("# 标题\n\n第一段**重点**。\n");
        assert_eq!(t, "标题\n第一段重点。\n");
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
    }
}
