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

/// The slug of a category's page: its pinyin, one word per run of Chinese characters
/// (`城乡建设、环境保护` → `chengxiangjianshe-huanjingbaohu`), so its URL stays readable and
/// plain ASCII on any server. Two categories with the same pinyin are told apart by the
/// portal's lookup, which numbers the second.
pub fn category_slug(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::new();
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => out.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {
                if !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "category".into()
    } else {
        out
    }
}

#[cfg(test)]
mod category_tests {
    use super::*;

    #[test]
    fn categories_read_as_pinyin() {
        assert_eq!(category_slug("综合政务"), "zonghezhengwu");
        assert_eq!(
            category_slug("城乡建设、环境保护"),
            "chengxiangjianshe-huanjingbaohu"
        );
        assert!(slug_is_valid(&category_slug("财政、金融、审计")));
        assert_eq!(category_slug("、"), "category");
    }
}
