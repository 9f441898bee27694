//! Loading the disclosure-request register (`[requests] dir`, default `requests/`): one YAML
//! file per application at `<year>/<id>.yaml`, read in parallel like content, each problem
//! located at its line and column and told in Chinese.
//!
//! The files are read field by field from the YAML tree rather than through serde, so that
//! every problem of a file is reported in one run and each in the officer's words.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_yaml::{Mapping, Value};
use walkdir::WalkDir;

use crate::diagnostics::{codes, Diagnostic, Pos};
use crate::domain::requests::{outcome, section_three, OUTCOMES};
use crate::load::source::{self, YamlPart};
use crate::load::{locate, yaml_depth};
use crate::model::config::SiteConfig;
use crate::model::requests::{
    Applicant, Channel, Correction, Extension, Register, Request, ThirdParty,
};
use crate::model::slug::{slug_is_valid, suggest_slug};
use crate::model::{Meta, Portal, Record};

/// Where the contract describes the register, for hints.
pub const DOC: &str = "docs/content-format.md 的“依申请公开登记”";

/// The register's keys, and the keys of its three nested entries.
const KEYS: [&str; 10] = [
    "agency",
    "received",
    "channel",
    "applicant",
    "subject",
    "correction",
    "third_party",
    "extension",
    "answered",
    "outcome",
];

/// Loads the register of the portal at `root`. A register that does not exist is empty and
/// not `present`; one in a place where it could be published or deleted
/// ([`place_problem`]) is not read at all (validation reports it).
pub fn load_register(root: &Path, config: &SiteConfig) -> (Register, Vec<Diagnostic>) {
    let dir = PathBuf::from(&config.requests.dir);
    let abs = root.join(&dir);
    let mut register = Register {
        dir: dir.clone(),
        present: abs.is_dir(),
        requests: Vec::new(),
    };
    if !register.present || place_problem(root, config).is_some() {
        return (register, Vec::new());
    }
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(&abs)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        // Hidden files and folders (.git of a separate repository) are not requests.
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| dir.join(p.strip_prefix(&abs).unwrap_or(p)))
                    .unwrap_or_else(|| dir.clone());
                diags.push(Diagnostic::error(
                    codes::READ_FAILED,
                    path,
                    crate::zh_en!(format!("无法读取：{e}"), format!("cannot read: {e}")),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let inside = entry.path().strip_prefix(&abs).unwrap_or(entry.path());
        let rel = dir.join(inside);
        match classify(inside) {
            Ok(Some((year, id))) => files.push((rel, year, id)),
            Ok(None) => {}
            Err(d) => diags.push(Diagnostic { file: rel, ..*d }),
        }
    }
    let max = config.max_file_bytes;
    let parsed: Vec<(Option<Record<Request>>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(
            |(rel, year, id)| match source::read_source(&root.join(rel), rel, max) {
                Ok(src) => {
                    let (request, d) = parse_request(rel, &src.text);
                    let record = request.map(|data| Record {
                        meta: Meta {
                            slug: id.clone(),
                            path: rel.clone(),
                            year: Some(*year),
                            folder_agency: None,
                            body_start: None,
                            damaged: Vec::new(),
                            source_hash: 0,
                        },
                        data,
                    });
                    (record, d)
                }
                Err(d) => (None, vec![*d]),
            },
        )
        .collect();
    for (record, d) in parsed {
        diags.extend(d);
        register.requests.extend(record);
    }
    register
        .requests
        .sort_by(|a, b| (a.data.received, &a.meta.slug).cmp(&(b.data.received, &b.meta.slug)));
    (register, diags)
}

/// The year folder and id of a file of the register (`inside` is relative to the register),
/// `None` for a file that is not meant as a request (a README at the top), or the problem.
fn classify(inside: &Path) -> Result<Option<(i32, String)>, Box<Diagnostic>> {
    let parts: Vec<String> = inside
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let name = parts.last().map(String::as_str).unwrap_or("");
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (name, ""),
    };
    let yaml = ext == "yaml" || ext == "yml";
    let misplaced = |message: String| {
        Err(Box::new(
            Diagnostic::error(codes::MISPLACED_FILE, "", message).hint(crate::zh_en!(
                "每件申请一个文件，放在收到申请的年份文件夹中，例如 requests/2025/2025-0001.yaml",
                "one file per request, in the folder of the year it was received, e.g. requests/2025/2025-0001.yaml"
            )),
        ))
    };
    match parts.len() {
        // A README or notes beside the year folders are the office's own.
        1 if !yaml => Ok(None),
        1 => misplaced(crate::zh_en!(
            format!("`{name}` 没有放在年份文件夹中，未读取"),
            format!("`{name}` is not in a year folder: not read")
        )),
        2 => {
            let folder = &parts[0];
            let year = match folder.parse::<i32>() {
                Ok(y) if folder.len() == 4 => y,
                _ => {
                    return misplaced(crate::zh_en!(
                        format!("`{folder}` 不是四位数字的年份文件夹，其中的申请未读取"),
                        format!(
                        "`{folder}` is not a four-digit year folder: its requests were not read"
                    )
                    ))
                }
            };
            if !yaml {
                return Err(Box::new(
                    Diagnostic::warning(
                        codes::UNKNOWN_FILE,
                        "",
                        crate::zh_en!(
                            format!("`{name}` 不是 .yaml 文件，已忽略"),
                            format!("`{name}` is not a .yaml file: ignored")
                        ),
                    )
                    .hint(crate::zh_en!(
                        "登记中每件申请是一个 .yaml 文件；其他材料请另行保存",
                        "each request of the register is one .yaml file; keep other papers elsewhere"
                    )),
                ));
            }
            if !slug_is_valid(stem) {
                return Err(Box::new(
                    Diagnostic::error(
                        codes::BAD_SLUG,
                        "",
                        crate::zh_en!(
                            format!(
                                "文件名 `{stem}` 不能作为申请编号：只能使用小写英文字母、数字和 `.` `_` `-`，并以字母或数字开头"
                            ),
                            format!(
                                "the file name `{stem}` cannot be a request's id: lower-case letters, digits, `.` `_` `-` only, starting with a letter or digit"
                            )
                        ),
                    )
                    .hint(crate::zh_en!(
                        format!("把文件改名为 `{}.{ext}`", suggest_slug(stem)),
                        format!("rename the file `{}.{ext}`", suggest_slug(stem))
                    )),
                ));
            }
            Ok(Some((year, stem.to_string())))
        }
        _ => misplaced(crate::zh_en!(
            format!(
                "`{}` 放得太深：登记只有“年份/编号.yaml”一层文件夹，未读取",
                parts.join("/")
            ),
            format!(
                "`{}` is too deep: the register is year/id.yaml, one folder deep; not read",
                parts.join("/")
            )
        )),
    }
}

/// Why the register may not be at `[requests] dir`, if it may not: where a build would
/// publish it (content/, themes/), replace or delete it (the output and search-index folders,
/// or around them), or read the portal itself as requests (the portal or a folder holding it).
pub fn place_problem(root: &Path, config: &SiteConfig) -> Option<String> {
    let resolve = |p: &Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        crate::write::paths::resolve(&p).unwrap_or(p)
    };
    let root = resolve(root);
    let register = resolve(&root.join(&config.requests.dir));
    if config.requests.dir.trim().is_empty() || root.starts_with(&register) {
        return Some(
            crate::zh_en!(
                "它就是门户文件夹本身或其上级文件夹，门户的全部文件都会被当作申请读取",
                "it is the portal folder or a folder above it: every file of the portal would be read as a request"
            )
            .into(),
        );
    }
    if register.is_file() {
        return Some(
            crate::zh_en!("这是一个文件，不是文件夹", "it is a file, not a folder").into(),
        );
    }
    for (name, why) in [
        (
            "content",
            crate::zh_en!(
                "其中的文件会被当作网站内容读取，放在 content/static/ 下还会原样发布",
                "its files are read as the site's content, and under content/static/ published as they are"
            ),
        ),
        (
            "themes",
            crate::zh_en!(
                "主题中的文件会被复制到网站",
                "a theme's files are copied to the site"
            ),
        ),
    ] {
        let own = resolve(&root.join(name));
        if register.starts_with(&own) {
            return Some(crate::zh_en!(
                format!("它在 `{name}/` 里面：{why}"),
                format!("it is inside `{name}/`: {why}")
            ));
        }
    }
    for (setting, what, value) in [
        (
            "output_dir",
            crate::zh_en!("网站输出文件夹", "the site's output folder"),
            &config.output_dir,
        ),
        (
            "search_index_dir",
            crate::zh_en!("检索索引文件夹", "the search index folder"),
            &config.search_index_dir,
        ),
    ] {
        let out = resolve(&root.join(value));
        if register.starts_with(&out) || out.starts_with(&register) {
            return Some(crate::zh_en!(
                format!(
                    "它与{what} `{value}`（{setting}）重叠：每次生成都会整体替换该文件夹，登记会被删除或发布"
                ),
                format!(
                    "it overlaps {what} `{value}` ({setting}), which every build replaces whole: the register would be deleted or published"
                )
            ));
        }
    }
    None
}

/// Fills the section-3 table of every report that says `applications: register`, counted
/// from the register for the report's agency and year.
pub fn fill_reports(portal: &mut Portal, register: &Register) {
    for report in &mut portal.reports {
        let (Some(year), Some(agency)) = (report.meta.year, report.meta.folder_agency.as_deref())
        else {
            continue;
        };
        if report
            .data
            .applications
            .as_ref()
            .is_some_and(|a| a.from_register)
        {
            let requests = register.requests.iter().map(|r| &r.data);
            report.data.applications =
                Some(section_three(requests, agency, year, report.data.format));
        }
    }
}

/// Collects a file's problems with their places.
struct Reader<'a> {
    part: YamlPart<'a>,
    rel: &'a Path,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn push(
        &mut self,
        code: &'static str,
        path: &str,
        at_key: bool,
        message: String,
        hint: String,
    ) {
        let pos = if path.is_empty() {
            None
        } else if at_key {
            locate::locate_key(&self.part, path)
        } else {
            locate::locate_value(&self.part, path)
        };
        self.diags.push(
            Diagnostic::error(code, self.rel, message)
                .at(pos)
                .hint(hint),
        );
    }

    fn unknown_keys(&mut self, map: &Mapping, prefix: &str, known: &[&str]) {
        for key in map.keys() {
            let name = match key {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            if known.contains(&name.as_str()) {
                continue;
            }
            let path = format!("{prefix}{name}");
            let suggestion = closest(&name, known.iter().copied())
                .map(|s| crate::zh_en!(format!("是不是 `{s}`？"), format!("did you mean `{s}`? ")))
                .unwrap_or_default();
            let pos = locate::locate_key(&self.part, &path);
            self.diags.push(
                Diagnostic::warning(
                    codes::UNKNOWN_KEY,
                    self.rel,
                    crate::zh_en!(
                        format!("未知字段 `{path}`，已忽略"),
                        format!("unknown key `{path}`: ignored")
                    ),
                )
                .at(pos)
                .hint(crate::zh_en!(
                    format!("{suggestion}可用的字段：{}", known.join("、")),
                    format!("{suggestion}the keys are: {}", known.join(", "))
                )),
            );
        }
    }

    fn missing(&mut self, path: &str, what: &str) {
        let (parent, key) = match path.rsplit_once('.') {
            Some((p, k)) => (p, k),
            None => ("", path),
        };
        self.push(
            codes::MISSING_KEY,
            parent,
            true,
            crate::zh_en!(
                format!("缺少必填字段 `{path}`（{what}）"),
                format!("the required key `{path}` ({what}) is missing")
            ),
            crate::zh_en!(
                format!("补上 `{key}:` 及其值，写法见 {DOC}"),
                format!("add `{key}:` and its value, as {DOC} shows")
            ),
        );
    }

    fn text(&mut self, v: &Value, path: &str, what: &str) -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::String(_) | Value::Null => {
                self.push(
                    codes::INVALID_VALUE,
                    path,
                    true,
                    crate::zh_en!(
                        format!("`{path}`（{what}）是空的"),
                        format!("`{path}` ({what}) is empty")
                    ),
                    crate::zh_en!("填写内容，或删去这一行", "fill it in, or remove the line")
                        .into(),
                );
                None
            }
            _ => {
                self.push(
                    codes::WRONG_TYPE,
                    path,
                    false,
                    crate::zh_en!(
                        format!("`{path}`（{what}）应是一段文字"),
                        format!("`{path}` ({what}) should be text")
                    ),
                    crate::zh_en!(
                        "多行文字写在 `|` 之后，下面各行统一缩进两个空格",
                        "write several lines after `|`, each indented by two spaces"
                    )
                    .into(),
                );
                None
            }
        }
    }

    fn date(&mut self, v: &Value, path: &str, what: &str) -> Option<NaiveDate> {
        let parsed = match v {
            Value::String(s) => parse_date(s),
            _ => None,
        };
        if parsed.is_none() {
            let shown = match v {
                Value::String(s) => format!("`{s}`"),
                Value::Null => crate::zh_en!("空白", "blank").to_string(),
                other => format!(
                    "`{}`",
                    serde_yaml::to_string(other).unwrap_or_default().trim()
                ),
            };
            self.push(
                codes::INVALID_DATE,
                path,
                false,
                crate::zh_en!(
                    format!("`{path}`（{what}）应是日期，这里是 {shown}"),
                    format!("`{path}` ({what}) should be a date, not {shown}")
                ),
                crate::zh_en!(
                    "日期写成 年-月-日，月和日都写两位，如 2025-03-05；并检查这一天确实存在",
                    "write a date as YYYY-MM-DD, e.g. 2025-03-05, and check that the day exists"
                )
                .into(),
            );
        }
        parsed
    }

    /// An optional date: absent and `~` are `None` without a problem.
    fn optional_date(
        &mut self,
        map: &Mapping,
        key: &str,
        path: &str,
        what: &str,
    ) -> Option<NaiveDate> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.date(v, path, what),
        }
    }

    /// The date at `key` of `map`, reported as missing when the key is absent.
    fn required_date(
        &mut self,
        map: &Mapping,
        key: &str,
        path: &str,
        what: &str,
    ) -> Option<NaiveDate> {
        match map.get(key) {
            None => {
                self.missing(path, what);
                None
            }
            Some(v) => self.date(v, path, what),
        }
    }

    /// A nested mapping (`correction`, `third_party`, `extension`), `None` when absent.
    fn nested<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        shape: &str,
        known: &[&str],
    ) -> Option<&'v Mapping> {
        match v {
            Value::Mapping(m) => {
                self.unknown_keys(m, &format!("{path}."), known);
                Some(m)
            }
            _ => {
                self.push(
                    codes::WRONG_TYPE,
                    path,
                    false,
                    crate::zh_en!(
                        format!("`{path}` 应写成 {shape}"),
                        format!("`{path}` should be written {shape}")
                    ),
                    crate::zh_en!(format!("写法见 {DOC}"), format!("see {DOC}")),
                );
                None
            }
        }
    }
}

/// The candidate closest to `s`, if it is close enough to be what was meant.
fn closest<'b>(s: &str, candidates: impl Iterator<Item = &'b str>) -> Option<&'b str> {
    candidates
        .map(|c| (strsim::jaro_winkler(s, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `YYYY-MM-DD` with two-digit month and day, a day that exists.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Parses one request file's text. Returns the request when every required field could be
/// read (optional ones that could not are left out, with their problem).
pub fn parse_request(rel: &Path, text: &str) -> (Option<Request>, Vec<Diagnostic>) {
    let part = YamlPart {
        yaml: text,
        line_offset: 0,
    };
    let mut r = Reader {
        part,
        rel,
        diags: Vec::new(),
    };
    if text.trim().is_empty() {
        r.diags.push(
            Diagnostic::error(
                codes::EMPTY_FILE,
                rel,
                crate::zh_en!("文件是空的", "the file is empty"),
            )
            .hint(crate::zh_en!(
                format!("填写这件申请的各个字段（见 {DOC}），或删除这个文件"),
                format!("fill in the request's keys (see {DOC}), or delete the file")
            )),
        );
        return (None, r.diags);
    }
    if let Some((line, byte)) = yaml_depth::too_deep(text, yaml_depth::MAX_DEPTH) {
        let l = text.split('\n').nth(line).unwrap_or("");
        let column = l.get(..byte).unwrap_or(l).chars().count() + 1;
        r.diags.push(
            Diagnostic::error(
                codes::NESTED_TOO_DEEP,
                rel,
                crate::zh_en!(
                    format!(
                        "YAML 的列表和映射最多嵌套 {} 层，这里是第 {} 层；文件未读取",
                        yaml_depth::MAX_DEPTH,
                        yaml_depth::MAX_DEPTH + 1
                    ),
                    format!(
                        "YAML lists and mappings nest {} levels at most, this is level {}: the file was not read",
                        yaml_depth::MAX_DEPTH,
                        yaml_depth::MAX_DEPTH + 1
                    )
                ),
            )
            .at(Some(Pos::new(line + 1, column, 1)))
            .hint(crate::zh_en!(
                "检查这里是否误粘贴了成串的 `[`、`{` 或 `- `",
                "check for a run of `[`, `{` or `- ` pasted here by mistake"
            )),
        );
        return (None, r.diags);
    }
    let duplicates = locate::duplicate_keys(&part);
    for (key, pos, first) in &duplicates {
        r.diags.push(
            Diagnostic::error(
                codes::DUPLICATE_KEY,
                rel,
                crate::zh_en!(
                    format!("字段 `{key}` 出现了两次（第一次在第 {first} 行）"),
                    format!("the key `{key}` appears twice (first on line {first})")
                ),
            )
            .at(Some(*pos))
            .hint(crate::zh_en!(
                "同一字段只能写一次：删去或合并重复的一行",
                "a key is written once: remove or merge the repeated line"
            )),
        );
    }
    let tree: Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            if duplicates.is_empty() {
                let located = super::yaml_error(&part, rel, &e);
                r.diags.push(
                    Diagnostic::error(
                        codes::YAML_SYNTAX,
                        rel,
                        crate::zh_en!(
                            format!("YAML 写法有误，文件未读取（{}）", located.message),
                            format!("a YAML syntax error: the file was not read ({})", located.message)
                        ),
                    )
                    .at(Some(Pos::new(located.line, located.column, located.span_chars.max(1))).filter(|p| p.line > 0))
                    .hint(crate::zh_en!(
                        "检查缩进（只用空格、同层对齐）、冒号后的空格，含 `: `、` #` 或以特殊符号开头的值请加英文引号",
                        "check the indentation (spaces only, aligned), the space after each colon, and quote values holding `: `, ` #` or starting with a symbol"
                    )),
                );
            }
            return (None, r.diags);
        }
    };
    let Value::Mapping(map) = tree else {
        r.push(
            codes::WRONG_TYPE,
            "",
            false,
            crate::zh_en!(
                "申请文件应是一组“字段: 值”",
                "a request file is a mapping of `key: value` lines"
            )
            .into(),
            crate::zh_en!(format!("写法见 {DOC}"), format!("see {DOC}")),
        );
        return (None, r.diags);
    };
    r.unknown_keys(&map, "", &KEYS);

    let agency = match map.get("agency") {
        None => {
            r.missing("agency", "受理机关的短名");
            None
        }
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(v) => r.text(v, "agency", "受理机关的短名"),
    };
    let received = r.required_date(&map, "received", "received", "收到申请之日");
    let channel = match map.get("channel") {
        None => {
            r.missing("channel", "申请方式");
            None
        }
        Some(v) => {
            let found = v.as_str().and_then(Channel::from_label);
            if found.is_none() {
                let labels: Vec<&str> = Channel::ALL.iter().map(|c| c.label()).collect();
                r.push(
                    codes::NOT_ALLOWED,
                    "channel",
                    false,
                    crate::zh_en!(
                        format!("`channel`（申请方式）只能是 {} 之一", labels.join("、")),
                        format!("`channel` (申请方式) is one of {}", labels.join(", "))
                    ),
                    crate::zh_en!(
                        "当面提交的写 当面，信函写 邮寄，网上申请（含电子邮件）写 网络",
                        "in person: 当面; by post: 邮寄; online (e-mail too): 网络"
                    )
                    .into(),
                );
            }
            found
        }
    };
    let applicant = match map.get("applicant") {
        None => {
            r.missing("applicant", "申请人类别");
            None
        }
        Some(v) => {
            let s = v.as_str().unwrap_or("");
            let found = Applicant::from_key(s);
            if found.is_none() {
                let by_label = Applicant::ALL.into_iter().find(|a| a.label() == s);
                let hint = match by_label {
                    Some(a) => crate::zh_en!(
                        format!("“{s}”写作 `{}`", a.key()),
                        format!("“{s}” is written `{}`", a.key())
                    ),
                    None => Applicant::ALL
                        .iter()
                        .map(|a| format!("{} {}", a.key(), a.label()))
                        .collect::<Vec<_>>()
                        .join("、"),
                };
                r.push(
                    codes::NOT_ALLOWED,
                    "applicant",
                    false,
                    crate::zh_en!(
                        "`applicant`（申请人类别）应是年度报告第三部分的一列",
                        "`applicant` (申请人类别) is a column of the annual report's section 3"
                    )
                    .into(),
                    hint,
                );
            }
            found
        }
    };
    let subject = match map.get("subject") {
        None => {
            r.missing("subject", "申请内容");
            None
        }
        Some(v) => r.text(v, "subject", "申请内容"),
    };

    let correction = map
        .get("correction")
        .filter(|v| !v.is_null())
        .and_then(|v| {
            let m = r.nested(
                v,
                "correction",
                "{requested: 通知补正之日, received: 收到补正之日}",
                &["requested", "received"],
            )?;
            let requested =
                r.required_date(m, "requested", "correction.requested", "通知补正之日")?;
            let received = r.optional_date(m, "received", "correction.received", "收到补正之日");
            Some(Correction {
                requested,
                received,
            })
        });
    let third_party = map
        .get("third_party")
        .filter(|v| !v.is_null())
        .and_then(|v| {
            let m = r.nested(
                v,
                "third_party",
                "{asked: 征求意见之日, answered: 第三方答复之日}",
                &["asked", "answered"],
            )?;
            let asked = r.required_date(m, "asked", "third_party.asked", "征求第三方意见之日")?;
            let answered = r.optional_date(m, "answered", "third_party.answered", "第三方答复之日");
            Some(ThirdParty { asked, answered })
        });
    let extension = map.get("extension").filter(|v| !v.is_null()).and_then(|v| {
        let m = r.nested(v, "extension", "{decided: 决定延长之日}", &["decided"])?;
        let decided = r.required_date(m, "decided", "extension.decided", "决定延长答复期限之日")?;
        Some(Extension { decided })
    });
    let answered = r.optional_date(&map, "answered", "answered", "答复之日");
    let outcome = match map.get("outcome") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let s = v.as_str().unwrap_or("");
            let found = outcome(s).or_else(|| s.strip_prefix("results.").and_then(outcome));
            if found.is_none() {
                let hint = match closest(s, OUTCOMES.iter().copied()) {
                    Some(k) => {
                        crate::zh_en!(format!("是不是 `{k}`？"), format!("did you mean `{k}`? "))
                    }
                    None => String::new(),
                };
                r.push(
                    codes::REQUEST_OUTCOME,
                    "outcome",
                    false,
                    crate::zh_en!(
                        format!("`outcome` 不是年度报告第三部分的办理结果：`{s}`"),
                        format!(
                            "`outcome` is not a result row of the annual report's section 3: `{s}`"
                        )
                    ),
                    crate::zh_en!(
                        format!("{hint}可填：{}（各项含义见 {DOC}）", OUTCOMES.join("、")),
                        format!("{hint}one of: {} (see {DOC})", OUTCOMES.join(", "))
                    ),
                );
            }
            found
        }
    };

    let given = |key: &str| map.get(key).is_some_and(|v| !v.is_null());
    match (given("answered"), given("outcome")) {
        (true, false) => r.push(
            codes::REQUEST_ANSWER_OUTCOME,
            "answered",
            true,
            crate::zh_en!(
                "填写了答复之日 `answered`，但没有填写办理结果 `outcome`",
                "`answered` is given but `outcome` is not"
            )
            .into(),
            crate::zh_en!(
                "补上 `outcome:`，填年度报告第三部分的办理结果，如 disclosed、unable.not_held",
                "add `outcome:`, the result row of the report's section 3, e.g. disclosed, unable.not_held"
            )
            .into(),
        ),
        (false, true) => r.push(
            codes::REQUEST_ANSWER_OUTCOME,
            "outcome",
            true,
            crate::zh_en!(
                "填写了办理结果 `outcome`，但没有填写答复之日 `answered`",
                "`outcome` is given but `answered` is not"
            )
            .into(),
            crate::zh_en!(
                "补上 `answered:` 答复之日；尚未答复的申请不填 outcome",
                "add `answered:`, the day of the answer; an open request has no outcome"
            )
            .into(),
        ),
        _ => {}
    }

    let request = match (agency, received, channel, applicant, subject) {
        (Some(agency), Some(received), Some(channel), Some(applicant), Some(subject)) => {
            Some(Request {
                agency,
                received,
                channel,
                applicant,
                subject,
                correction,
                third_party,
                extension,
                answered,
                outcome,
            })
        }
        _ => None,
    };
    (request, r.diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Request>, Vec<Diagnostic>) {
        parse_request(Path::new("requests/2025/a.yaml"), text)
    }

    const GOOD: &str = "agency: gov-office
received: 2025-03-03
channel: 网络
applicant: natural_person
subject: |
  申请公开……
correction: {requested: 2025-03-05, received: 2025-03-12}
third_party:
  asked: 2025-03-14
  answered: 2025-03-20
extension: {decided: 2025-03-28}
answered: 2025-04-01
outcome: withheld.third_party
";

    #[test]
    fn a_complete_request_reads_without_a_problem() {
        let (r, d) = parse(GOOD);
        assert!(d.is_empty(), "{d:?}");
        let r = r.unwrap();
        assert_eq!(r.agency, "gov-office");
        assert_eq!(r.channel, Channel::Online);
        assert_eq!(r.applicant, Applicant::NaturalPerson);
        assert_eq!(r.subject, "申请公开……\n");
        assert_eq!(
            r.correction.unwrap().received,
            Some("2025-03-12".parse().unwrap())
        );
        assert_eq!(r.third_party.unwrap().asked.to_string(), "2025-03-14");
        assert_eq!(r.extension.unwrap().decided.to_string(), "2025-03-28");
        assert_eq!(r.outcome, Some("withheld.third_party"));
    }

    #[test]
    fn every_problem_of_a_file_is_located_in_chinese() {
        let text = "agency: gov-office
received: 2025-3-3
channel: 网上
applicant: 自然人
subjct: x
correction: {requested: 2025-03-05, recieved: 2025-03-12}
outcome: disclosd
";
        let (r, d) = parse(text);
        assert!(r.is_none());
        let found: Vec<(&str, usize, usize)> =
            d.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert!(found.contains(&(codes::INVALID_DATE, 2, 11)), "{d:#?}");
        assert!(found.contains(&(codes::NOT_ALLOWED, 3, 10)), "{d:#?}");
        assert!(found.contains(&(codes::NOT_ALLOWED, 4, 12)), "{d:#?}");
        assert!(found.contains(&(codes::UNKNOWN_KEY, 5, 1)), "{d:#?}");
        assert!(found.contains(&(codes::MISSING_KEY, 0, 0)), "{d:#?}");
        assert!(found.contains(&(codes::UNKNOWN_KEY, 6, 37)), "{d:#?}");
        assert!(found.contains(&(codes::REQUEST_OUTCOME, 7, 10)), "{d:#?}");
        // An outcome without an answer date.
        assert!(
            found.contains(&(codes::REQUEST_ANSWER_OUTCOME, 7, 1)),
            "{d:#?}"
        );
        assert_eq!(d.len(), 8, "{d:#?}");
        let applicant = d.iter().find(|d| d.line == 4).unwrap();
        assert_eq!(
            applicant.hint.as_deref(),
            Some("“自然人”写作 `natural_person`")
        );
        let outcome = d.iter().find(|d| d.code == codes::REQUEST_OUTCOME).unwrap();
        assert!(outcome
            .hint
            .as_deref()
            .unwrap()
            .starts_with("是不是 `disclosed`？"));
        let unknown = d.iter().find(|d| d.line == 5).unwrap();
        assert_eq!(unknown.message, "未知字段 `subjct`，已忽略");
        assert!(unknown
            .hint
            .as_deref()
            .unwrap()
            .starts_with("是不是 `subject`？"));
        // Every message is in Chinese.
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(d.iter().all(|d| cjk(&d.message)), "{d:#?}");
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(parse_date("2025-03-05").unwrap().to_string(), "2025-03-05");
        for bad in [
            "2025-3-5",
            "2025-02-30",
            "2025/03/05",
            "20250305",
            " 2025-03-05",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn syntax_errors_and_duplicates_stop_the_file() {
        let (r, d) = parse("agency: gov-office\nagency: fgw\n");
        assert!(r.is_none());
        assert_eq!(d[0].code, codes::DUPLICATE_KEY);
        assert_eq!(d[0].line, 2);
        assert_eq!(d.len(), 1, "{d:?}");
        let (r, d) = parse("agency: [gov\nreceived: 2025-03-03\n");
        assert!(r.is_none());
        assert_eq!(d[0].code, codes::YAML_SYNTAX);
        assert!(d[0].message.starts_with("YAML 写法有误"), "{d:?}");
        assert!(d[0].line > 0);
        let (_, d) = parse("   \n");
        assert_eq!(d[0].code, codes::EMPTY_FILE);
    }

    #[test]
    fn files_go_in_year_folders_named_as_ids() {
        let c = |p: &str| classify(Path::new(p));
        assert_eq!(
            c("2025/2025-0001.yaml").unwrap(),
            Some((2025, "2025-0001".into()))
        );
        assert_eq!(c("README.md").unwrap(), None);
        assert_eq!(c("a.yaml").unwrap_err().code, codes::MISPLACED_FILE);
        assert_eq!(c("25/a.yaml").unwrap_err().code, codes::MISPLACED_FILE);
        assert_eq!(c("2025/x/a.yaml").unwrap_err().code, codes::MISPLACED_FILE);
        assert_eq!(c("2025/申请一.yaml").unwrap_err().code, codes::BAD_SLUG);
        assert_eq!(c("2025/notes.txt").unwrap_err().code, codes::UNKNOWN_FILE);
    }
}
