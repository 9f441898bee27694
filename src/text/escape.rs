//! The one escaper for text gongkai writes into markup itself (outside Tera's templates):
//! attribute values, SVG charts, Atom feeds, the sitemap and search snippets.
//!
//! The same text must be safe in all of them, so the rule is the strictest of the five:
//! `&`, `<`, `>`, `"` and `'` become entities (`&#39;`, which HTML and XML both know), and
//! the characters XML 1.0 forbids (control characters other than tab, line feed and carriage
//! return; U+FFFE and U+FFFF) are dropped, since a feed reader rejects a feed that holds one.

/// `s`, escaped (see the module).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(s, &mut out);
    out
}

/// Appends `s`, escaped, to `out`.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities_and_forbidden_ones_go() {
        assert_eq!(
            escape("a<b>&\"'\u{1}c\u{FFFE}\td\n"),
            "a&lt;b&gt;&amp;&quot;&#39;c\td\n"
        );
        assert_eq!(escape("示例市 · 2025"), "示例市 · 2025");
        let mut out = String::from("x");
        escape_into("<", &mut out);
        assert_eq!(out, "x&lt;");
    }
}
