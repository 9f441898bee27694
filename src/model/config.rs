//! `site.toml`: the portal's settings, with the defaults docs/content-format.md gives.

use std::collections::BTreeMap;
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
    pub requests: RequestRules,
    pub data: OpenData,
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
            requests: RequestRules::default(),
            data: OpenData::default(),
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
    /// Working days after a policy document by which its interpretation (政策解读) is due.
    pub interpretation_working_days: u32,
    pub decision_consultation_min_days: u32,
    pub warn_days: u32,
    /// Working days to answer an application for disclosure (Regulation Art. 33), and the
    /// days an extension adds.
    pub request_working_days: u32,
    /// `[deadlines.by_category]`: disclosure periods in working days by 主题分类, in place of
    /// `disclosure_working_days` for documents in that category.
    pub by_category: BTreeMap<String, u32>,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            report_due_government: "03-31".into(),
            report_due_department: "01-31".into(),
            disclosure_working_days: 20,
            interpretation_working_days: 3,
            decision_consultation_min_days: 30,
            warn_days: 30,
            request_working_days: 20,
            by_category: BTreeMap::new(),
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

/// `[requests]`: the private disclosure-request register (依申请公开登记).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct RequestRules {
    /// The register's folder, relative to the portal root (or absolute: a separate private
    /// repository).
    pub dir: String,
    /// The first year the register holds every application: reports of that year and later
    /// that give their own section-3 numbers are compared with it. `None`: never compared.
    pub complete_since: Option<i32>,
}

impl Default for RequestRules {
    fn default() -> Self {
        RequestRules {
            dir: "requests".into(),
            complete_since: None,
        }
    }
}

/// `[data]`: what the data catalog (`/data.json`, `/data/`) says of the downloads: under
/// which licence they may be reused, and whom to ask about them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OpenData {
    /// The licence's name, e.g. 知识共享署名 4.0 国际许可协议（CC BY 4.0）.
    pub licence: String,
    /// The licence's text, e.g. <https://creativecommons.org/licenses/by/4.0/deed.zh-hans>.
    pub licence_url: String,
    /// The publisher the catalog names; the footer's 主办单位 when empty.
    pub publisher: String,
    /// Where questions about the data go.
    pub contact_email: String,
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
                crate::zh_en!(
                    format!(
                        "无法读取 {} 中的 site.toml：{}",
                        root.display(),
                        crate::text::lang::io_reason(&e)
                    ),
                    format!("cannot read site.toml in {}: {e}", root.display())
                ),
            )
            .hint(crate::zh_en!(
                "请在门户文件夹中运行 gongkai，或用 --root 指定门户文件夹",
                "run gongkai in the portal's folder, or pass --root DIR"
            ))
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
                    crate::zh_en!(
                        format!("site.toml 中有不认识的字段 `{key}`，已忽略"),
                        format!("unknown key `{key}` in site.toml is ignored")
                    ),
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
    let message = e.message().trim_end();
    let shown = crate::zh_en!(
        format!("site.toml：{}", toml_message_zh(text, e.span(), message)),
        format!("site.toml: {message}")
    );
    Diagnostic::error(codes::SITE_CONFIG, "site.toml", shown).at(pos)
}

/// The toml parser's and serde's message in words. serde's does not name the key: it is
/// read from the line the error points at, under its `[table]`.
fn toml_message_zh(text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> String {
    let problem = message.split(", expected").next().unwrap_or(message);
    let syntax = match problem {
        "string values must be quoted" => Some("文字的值须加引号，如 `title = \"某某县人民政府\"`"),
        "invalid basic string" | "invalid literal string" => Some("引号没有闭合"),
        "unclosed table" | "unclosed array table" => {
            Some("方括号没有闭合：表名应写成 `[footer]` 这样")
        }
        "unclosed array" => Some("方括号 `[` 没有闭合，或列表的各项之间缺少 `,`"),
        "unclosed inline table" => Some("花括号 `{` 没有闭合"),
        "key with no value" | "missing assignment between key-value pairs" => {
            Some("这一行缺少 `=`，应写成 `字段 = 值`")
        }
        "missing value" | "missing value for key" => Some("`=` 后面缺少值"),
        "duplicate key" => Some("这个字段重复出现：同一个表里每个字段只能写一次"),
        "invalid boolean" => Some("是/否只能写 `true` 或 `false`"),
        "invalid integer number" | "unexpected leading zero" => Some("数字的写法不对"),
        "integer number overflowed" => Some("数字太大"),
        _ => None,
    };
    if let Some(zh) = syntax {
        return zh.to_string();
    }
    let key = span.and_then(|span| key_on_line(text, span.start));
    let serde = match key {
        Some(k) => format!("{k}: {message}"),
        None => message.to_string(),
    };
    crate::load::explain::yaml_message_zh(&serde)
}

/// The dotted key (`deadlines.warn_days`) of the `key = value` line holding byte `at`.
fn key_on_line(text: &str, at: usize) -> Option<String> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|l| l.trim_matches(['[', ']']).trim());
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_string(),
    })
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
    fn disclosure_periods_by_category() {
        let (c, w) = SiteConfig::parse("title = \"x\"").unwrap();
        assert!(c.deadlines.by_category.is_empty());
        let (c, w2) =
            SiteConfig::parse("[deadlines.by_category]\n\"行政处罚\" = 7\n\"行政许可\" = 7\n")
                .unwrap();
        assert!(w.is_empty() && w2.is_empty(), "{w2:?}");
        assert_eq!(c.deadlines.by_category.get("行政处罚"), Some(&7));
        assert_eq!(c.deadlines.by_category.len(), 2);
    }

    #[test]
    fn unknown_keys_warn_with_line() {
        let (_, w) = SiteConfig::parse("title = \"x\"\n[footer]\norganiser = \"y\"\n").unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, codes::UNKNOWN_KEY);
        assert_eq!(w[0].line, 3);
    }

    #[test]
    fn errors_name_the_key_in_chinese() {
        let e = SiteConfig::parse("title = \"x\"\n[deadlines]\nwarn_days = -3\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(
            e.message,
            "site.toml：字段 `deadlines.warn_days` 的值不对：应为不小于 0 的整数，实际是整数 `-3`"
        );
        let e = SiteConfig::parse("paginate_by = \"x\"\n").unwrap_err();
        assert_eq!(
            e.message,
            "site.toml：字段 `paginate_by` 应为不小于 0 的整数，实际是文字 `x`"
        );
        let e = SiteConfig::parse("title = 县政府\n").unwrap_err();
        assert!(
            e.message.starts_with("site.toml：文字的值须加引号"),
            "{}",
            e.message
        );
        let e = SiteConfig::parse("[reports]\narithmetic = \"maybe\"\n").unwrap_err();
        assert_eq!(
            e.message,
            "site.toml：字段 `reports.arithmetic` 的值 `maybe` 不是允许的值：只能是 `error`、`warn` 之一"
        );
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = SiteConfig::parse("title = \"x\"\nbase_url = \n").unwrap_err();
        assert_eq!(e.code, codes::SITE_CONFIG);
        assert_eq!(e.line, 2);
    }
}
