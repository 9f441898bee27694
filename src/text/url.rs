//! What the pages of a built site let a browser do: which URLs may stand in their links, and
//! the Content-Security-Policy every page declares.
//!
//! A URL an officer writes ends up in an `href`; one that starts with `javascript:` runs
//! script when a visitor clicks it. [`check_url`] is the one rule for what may stand there:
//! `gongkai check` reports a value it refuses (E027), and the themes' `url` filter and the
//! Markdown renderer put `#` in its place, so a theme or a value that escaped validation
//! cannot bring such a link back.

/// The policy every HTML page carries in `<meta http-equiv="Content-Security-Policy">`.
/// Scripts, styles, fonts, images and requests come from the site itself; no inline script,
/// inline style or event-handler attribute runs, no plugin loads, and `<base>` and forms
/// cannot point elsewhere. `data:` images are allowed because they cannot run anything.
/// A web server may send the same text as a header (which also covers non-HTML files).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'";

/// The schemes a link may have. Anything else (`javascript:`, `vbscript:`, `data:`,
/// `file:`, …) is refused.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Why [`check_url`] refused a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// A scheme outside [`ALLOWED_SCHEMES`], lower-cased and without the tabs and line
    /// breaks a browser drops (`java\tscript:` is `javascript`).
    Scheme(String),
    /// `//host/…` (or with backslashes, which browsers read as slashes): another site,
    /// reached with whatever scheme the page itself has.
    ProtocolRelative,
    /// Control characters, or a character reference (`&#58;`, `&colon;`) where the scheme
    /// is read: a browser may decode it into a scheme this rule never saw.
    Disguised,
}

/// Whether `url` may be a link target of the site: `http:`, `https:`, `mailto:`, `tel:`, or
/// a relative URL (`/path`, `path/x`, `#frag`, `?q`; empty is the page itself).
///
/// The URL is read the way a browser reads an attribute value: leading and trailing spaces
/// and control characters go, tabs and line breaks anywhere go, and the scheme is what comes
/// before the first `:` if nothing before it is `/`, `?` or `#`, in any letter case.
pub fn check_url(url: &str) -> Result<(), UrlProblem> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let s: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if s.chars().any(|c| c.is_ascii_control()) {
        return Err(UrlProblem::Disguised);
    }
    let mut chars = s.chars();
    if let (Some(a), Some(b)) = (chars.next(), chars.next()) {
        if matches!(a, '/' | '\\') && matches!(b, '/' | '\\') {
            return Err(UrlProblem::ProtocolRelative);
        }
    }
    // Where the scheme is read: up to the first `/`, `?` or `#`, except the `#` of a
    // numeric character reference (`&#58;`).
    let bytes = s.as_bytes();
    let head_end = (0..bytes.len())
        .find(|&i| match bytes[i] {
            b'/' | b'\\' | b'?' => true,
            b'#' => i == 0 || bytes[i - 1] != b'&',
            _ => false,
        })
        .unwrap_or(bytes.len());
    let head = &s[..head_end];
    // An `&` followed by `#` or a letter may be a character reference; where the scheme is
    // read, a template or an HTML-aware reader could decode it into `:` or a letter.
    if head
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'&' && (w[1] == b'#' || w[1].is_ascii_alphabetic()))
    {
        return Err(UrlProblem::Disguised);
    }
    let Some(colon) = head.find(':') else {
        return Ok(());
    };
    let scheme = &head[..colon];
    // Only a well-formed scheme is read as one; anything else before the colon (a Chinese
    // word, a space) makes the whole value a relative path to a browser.
    let well_formed = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !well_formed {
        return Ok(());
    }
    let scheme = scheme.to_ascii_lowercase();
    if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        Ok(())
    } else {
        Err(UrlProblem::Scheme(scheme))
    }
}

/// [`check_url`] as a yes or no.
pub fn url_is_allowed(url: &str) -> bool {
    check_url(url).is_ok()
}

/// `url` ready for a double- or single-quoted HTML attribute: `#` if [`check_url`] refuses
/// it, otherwise the URL with `&`, `<`, `>`, `"` and `'` escaped.
pub fn attribute_url(url: &str) -> String {
    if !url_is_allowed(url) {
        return "#".into();
    }
    super::escape::escape(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(s: &str) -> Result<(), UrlProblem> {
        Err(UrlProblem::Scheme(s.into()))
    }

    #[test]
    fn ordinary_links_pass() {
        for url in [
            "https://zwfw.example.gov.cn/item/1?a=1&b=2#x",
            "http://www.example.gov.cn",
            "HTTPS://WWW.EXAMPLE.GOV.CN/",
            "mailto:gkb@example.gov.cn",
            "tel:0371-12345678",
            "/pages/guide/",
            "attachments/list.csv",
            "#main",
            "?q=行政许可",
            "",
            // Before the colon is no scheme a browser would read: a relative path.
            "征求意见:第一稿.html",
            "a b:c",
            " https://example.gov.cn/ ",
        ] {
            assert_eq!(check_url(url), Ok(()), "{url:?}");
        }
    }

    #[test]
    fn other_schemes_are_refused_in_any_case() {
        assert_eq!(check_url("javascript:alert(1)"), scheme("javascript"));
        assert_eq!(check_url("JaVaScRiPt:alert(1)"), scheme("javascript"));
        assert_eq!(check_url("vbscript:msgbox(1)"), scheme("vbscript"));
        assert_eq!(
            check_url("data:text/html,<script>alert(1)</script>"),
            scheme("data")
        );
        assert_eq!(check_url("file:///etc/passwd"), scheme("file"));
        assert_eq!(check_url("ftp://example.gov.cn/a"), scheme("ftp"));
    }

    #[test]
    fn whitespace_and_controls_do_not_hide_a_scheme() {
        // Browsers drop leading spaces and controls, and tabs and newlines anywhere.
        assert_eq!(check_url("  javascript:alert(1)"), scheme("javascript"));
        assert_eq!(check_url("\u{1}javascript:alert(1)"), scheme("javascript"));
        assert_eq!(check_url(" java\tscript:alert(1)"), scheme("javascript"));
        assert_eq!(check_url("java\nscr\ript:alert(1)"), scheme("javascript"));
        assert_eq!(
            check_url("java\u{0}script:alert(1)"),
            Err(UrlProblem::Disguised)
        );
        assert_eq!(check_url("https://a\u{7f}b/"), Err(UrlProblem::Disguised));
    }

    #[test]
    fn character_references_where_the_scheme_is_read_are_refused() {
        for url in [
            "javascript&#58;alert(1)",
            "javascript&#x3A;alert(1)",
            "javascript&colon;alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#106avascript:alert(1)",
        ] {
            assert_eq!(check_url(url), Err(UrlProblem::Disguised), "{url:?}");
        }
        // After the scheme, `&` is an ordinary query separator.
        assert_eq!(check_url("https://a.example/?x=1&amp=2&#frag"), Ok(()));
        assert_eq!(check_url("/search/?q=a&b=c"), Ok(()));
    }

    #[test]
    fn protocol_relative_urls_are_refused() {
        for url in [
            "//evil.example/",
            " //evil.example",
            "\\\\evil.example",
            "/\\evil",
        ] {
            assert_eq!(check_url(url), Err(UrlProblem::ProtocolRelative), "{url:?}");
        }
    }

    #[test]
    fn attribute_urls_are_escaped_or_replaced() {
        assert_eq!(
            attribute_url("/search/?q=\"a\"&b=<c>'"),
            "/search/?q=&quot;a&quot;&amp;b=&lt;c&gt;&#39;"
        );
        assert_eq!(attribute_url("javascript:alert(1)"), "#");
        assert_eq!(attribute_url("//evil.example"), "#");
    }

    #[test]
    fn the_policy_allows_nothing_inline_or_foreign() {
        let p = CONTENT_SECURITY_POLICY;
        assert!(!p.contains("unsafe"), "{p}");
        assert!(!p.contains("http"), "{p}");
        assert!(!p.contains('*'), "{p}");
        for d in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ] {
            assert!(p.split("; ").any(|x| x == d), "{d} missing from {p}");
        }
    }
}
