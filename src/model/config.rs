//! `site.toml`: the portal's settings, with the defaults docs/content-format.md gives.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{codes, Diagnostic, Pos};
use crate::load::source::line_col;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub output_dir: String,
    pub search_index_dir: String,
    /// Files larger than this are refused without being read whole.
    pub max_file_bytes: u64,
    /// Entries per page on paginated lists.
    pub paginate_by: usize,
    pub footer: Footer,
    pub deadlines: Deadlines,
    pub documents: DocumentRules,
    pub reports: ReportRules,
    pub catalog: Catalog,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "政府信息公开".into(),
            description: String::new(),
            base_url: "http://localhost".into(),
            language: "zh-CN".into(),
            theme: "default".into(),
            output_dir: "public".into(),
            search_index_dir: "search-index".into(),
            max_file_bytes: 5 * 1024 * 1024,
            paginate_by: 50,
            footer: Footer::default(),
            deadlines: Deadlines::default(),
            documents: DocumentRules::default(),
            reports: ReportRules::default(),
            catalog: Catalog::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Footer {
    /// 主办单位
    pub organizer: String,
    /// 网站标识码
    pub site_code: String,
    pub icp: String,
    /// 公安备案
    pub police: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Deadlines {
    pub report_due_government: String,
    pub report_due_department: String,
    pub disclosure_working_days: u32,
    pub decision_consultation_min_days: u32,
    pub warn_days: u32,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            report_due_government: "03-31".into(),
            report_due_department: "01-31".into(),
            disclosure_working_days: 20,
            decision_consultation_min_days: 30,
            warn_days: 30,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct DocumentRules {
    pub provisional_valid_years: u32,
    pub valid_years: u32,
}

impl Default for DocumentRules {
    fn default() -> Self {
        DocumentRules {
            provisional_valid_years: 2,
            valid_years: 5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ArithmeticMode {
    #[default]
    Error,
    Warn,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReportRules {
    pub arithmetic: ArithmeticMode,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Catalog {
    pub index_no_pattern: Option<String>,
}

impl SiteConfig {
    /// Reads `site.toml` under `root`. A missing file is an error: it is what marks a portal.
    pub fn load(root: &Path) -> Result<(SiteConfig, Vec<Diagnostic>), Diagnostic> {
        let path = root.join("site.toml");
        let rel = Path::new("site.toml");
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(
                codes::SITE_CONFIG,
                rel,
                format!("cannot read site.toml in {}: {e}", root.display()),
            )
            .hint("run gongkai in the portal's folder, or pass --root DIR")
        })?;
        let text = crate::load::source::decode(bytes, rel)?.text;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<(SiteConfig, Vec<Diagnostic>), Diagnostic> {
        let rel = Path::new("site.toml");
        let mut unknown = Vec::new();
        let de = toml::Deserializer::parse(text).map_err(|e| toml_error(text, e))?;
        let config: SiteConfig = serde_ignored::deserialize(de, |path| {
            unknown.push(path.to_string());
        })
        .map_err(|e| toml_error(text, e))?;
        let warnings = unknown
            .into_iter()
            .map(|key| {
                Diagnostic::warning(
                    codes::UNKNOWN_KEY,
                    rel,
                    format!("unknown key `{key}` in site.toml is ignored"),
                )
                .at(find_toml_key(text, &key))
            })
            .collect();
        Ok((config, warnings))
    }

    /// `base_url` without a trailing slash, for absolute links.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

fn toml_error(text: &str, e: toml::de::Error) -> Diagnostic {
    let pos = e.span().map(|span| {
        let (line, column) = line_col(text, span.start);
        Pos::new(line, column, text[span.clone()].chars().count().max(1))
    });
    Diagnostic::error(
        codes::SITE_CONFIG,
        "site.toml",
        format!("site.toml: {}", e.message()),
    )
    .at(pos)
}

/// Finds the line of the last segment of a dotted key, for the unknown-key warning.
fn find_toml_key(text: &str, dotted: &str) -> Option<Pos> {
    let key = dotted.rsplit('.').next()?;
    text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_start();
        let rest = trimmed.strip_prefix(key)?;
        rest.trim_start().starts_with('=').then(|| {
            Pos::new(
                i + 1,
                line.chars().count() - trimmed.chars().count() + 1,
                key.chars().count(),
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_spec() {
        let (c, w) = SiteConfig::parse("title = \"x\"").unwrap();
        assert!(w.is_empty());
        assert_eq!(c.output_dir, "public");
        assert_eq!(c.deadlines.disclosure_working_days, 20);
        assert_eq!(c.documents.provisional_valid_years, 2);
        assert_eq!(c.reports.arithmetic, ArithmeticMode::Error);
    }

    #[test]
    fn unknown_keys_warn_with_line() {
        let (_, w) = SiteConfig::parse("title = \"x\"\n[footer]\norganiser = \"y\"\n").unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, codes::UNKNOWN_KEY);
        assert_eq!(w[0].line, 3);
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = SiteConfig::parse("title = \"x\"\nbase_url = \n").unwrap_err();
        assert_eq!(e.code, codes::SITE_CONFIG);
        assert_eq!(e.line, 2);
    }
}
