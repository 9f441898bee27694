//! Slugs: the file and folder names that become URLs. Lower-case ASCII letters, digits,
//! `.`, `_` and `-`, starting with a letter or digit.

/// Whether `s` is a valid slug.
pub fn slug_is_valid(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// A valid slug close to `s`, for the hint of a bad file name.
pub fn suggest_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out
        .trim_matches(|c| c == '-' || c == '.' || c == '_')
        .to_string();
    if out.is_empty() {
        "item-1".to_string()
    } else {
        out
    }
}
