//! Markdown bodies to HTML and to plain text.
//!
//! Officers write CommonMark with tables, footnotes and strikethrough. Raw HTML in a body is
//! shown as text, not passed through: a pasted `<script>` must never run on a government site.
//! Emphasis follows the CommonMark CJK-friendly amendments (module `cjk_emphasis`), so that
//! `**推进信息公开。**建立…` is bold as its writer meant; a line break between two Chinese
//! characters is no space (module `cjk_breaks`).

mod cjk_breaks;
mod cjk_emphasis;

use std::borrow::Cow;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

use crate::text::url::url_is_allowed;

/// A body prepared for the CJK-friendly emphasis rules, and its parser's events with the
/// CJK line-break rule applied.
struct Body<'a> {
    text: Cow<'a, str>,
}

impl<'a> Body<'a> {
    fn new(md: &'a str) -> Body<'a> {
        Body {
            text: cjk_emphasis::prepare(md),
        }
    }

    fn events(&self) -> impl Iterator<Item = Event<'_>> {
        let marked = matches!(self.text, Cow::Owned(_));
        let events = Parser::new_ext(&self.text, options())
            .map(move |ev| if marked { cjk_emphasis::unmark(ev) } else { ev })
            .collect();
        cjk_breaks::drop_wide_breaks(events).into_iter()
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML with raw HTML escaped and unsafe link schemes dropped.
pub fn to_html(md: &str) -> String {
    let body = Body::new(md);
    let events = body.events().map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !url_is_allowed(&dest_url) => Event::Start(Tag::Link {
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
        }) if !url_is_allowed(&dest_url) => Event::Start(Tag::Image {
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
    let mut html = html
        .replace(
            "<table>",
            "<div class=\"table-wrap\" tabindex=\"0\"><table>",
        )
        .replace("</table>", "</table></div>");
    // pulldown-cmark aligns columns (`|:-:|`) with style attributes, which the pages'
    // Content-Security-Policy ignores; classes of style.css do the same. The exact text can
    // only come from the writer: every `<` of the body's own text is escaped.
    for cell in ["th", "td"] {
        for align in ["left", "center", "right"] {
            html = html.replace(
                &format!("<{cell} style=\"text-align: {align}\">"),
                &format!("<{cell} class=\"align-{align}\">"),
            );
        }
    }
    html
}

/// The text of a Markdown body without markup, for search and summaries.
pub fn to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in Body::new(md).events() {
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
        // The parser decodes `&#9;` to a tab, which a browser would drop again.
        let h = to_html("[点我](java&#9;script:alert(1)) [去](//evil.example/)");
        assert_eq!(h, "<p><a href=\"#\">点我</a> <a href=\"#\">去</a></p>\n");
        let h = to_html("![图](data:image/svg+xml,x) [信](mailto:gkb@example.gov.cn)");
        assert!(h.contains("<img src=\"\""), "{h}");
        assert!(h.contains("href=\"mailto:gkb@example.gov.cn\""), "{h}");
    }

    #[test]
    fn tables_render_and_scroll() {
        let h = to_html("|a|b|\n|-|-|\n|1|2|\n");
        assert!(h.contains("<div class=\"table-wrap\" tabindex=\"0\"><table>"));
    }

    #[test]
    fn aligned_columns_use_classes_not_style_attributes() {
        let h = to_html("|a|b|c|d|\n|:-|:-:|-:|-|\n|1|2|3|4|\n");
        assert!(!h.contains("style="), "{h}");
        assert!(h.contains("<th class=\"align-left\">a</th><th class=\"align-center\">b</th><th class=\"align-right\">c</th><th>d</th>"), "{h}");
        assert!(h.contains("<td class=\"align-center\">2</td>"), "{h}");
        // Text that merely looks like the writer's markup stays text.
        let h = to_html("<td style=\"text-align: left\">x");
        assert!(h.contains("&lt;td style=\"text-align: left\"&gt;x"), "{h}");
    }

    #[test]
    fn text_and_excerpt() {
        let t = to_text("# 标题\n\n第一段**重点**。\n");
        assert_eq!(t, "标题\n第一段重点。\n");
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
    }

    #[test]
    fn bold_lead_sentences_of_chinese_documents_are_bold() {
        assert_eq!(
            to_html("（一）**推进信息公开。**建立健全制度。"),
            "<p>（一）<strong>推进信息公开。</strong>建立健全制度。</p>\n"
        );
        assert_eq!(
            to_html("建立**“三个一”**机制，~~旧办法（已废止）。~~新办法"),
            "<p>建立<strong>“三个一”</strong>机制，<del>旧办法（已废止）。</del>新办法</p>\n"
        );
        assert_eq!(
            to_text("**一是加强领导。**成立领导小组。"),
            "一是加强领导。成立领导小组。\n"
        );
        // Strict CommonMark stays in force for Latin text.
        assert_eq!(to_html("foo**\"bar\"**baz"), "<p>foo**\"bar\"**baz</p>\n");
    }

    #[test]
    fn a_line_break_inside_a_chinese_sentence_is_no_space() {
        assert_eq!(
            to_html("若干重大问题\n的决定》"),
            "<p>若干重大问题的决定》</p>\n"
        );
        assert_eq!(to_text("若干重大问题\n的决定》"), "若干重大问题的决定》\n");
        assert_eq!(to_html("中文\nEnglish"), "<p>中文\nEnglish</p>\n");
    }

    #[test]
    fn markers_never_reach_the_output() {
        let md = "`代码。**建`\n\n```\n示例。**文本\n```\n\n[链接](a/。**b) <b>。**c</b>\n";
        let html = to_html(md);
        assert!(!html.contains('\u{FDD0}'), "{html}");
        assert!(html.contains("<code>代码。**建</code>"), "{html}");
        assert!(html.contains("示例。**文本"), "{html}");
        assert!(!to_text(md).contains('\u{FDD0}'));
    }
}
