//! `gongkai new <type> <path>`: commented template records that load as they are written, so
//! an officer starts from something valid and fills in the blanks. The path must be where the
//! kind's records live; where it names an agency (or `--agency` does), what the agency decides
//! is filled in: a document's `agency` and the next free 索引号 of that agency and year.

use std::path::{Component, Path, PathBuf};

use pinyin::ToPinyin;

use crate::domain::identifiers as id;
use crate::model::kinds::Layout;
use crate::model::slug::{slug_is_valid, suggest_slug};
use crate::model::{Kind, Portal};

/// The record types `gongkai new` writes: every kind.
pub fn types() -> impl Iterator<Item = &'static str> {
    crate::model::KINDS.iter().map(|k| k.name)
}

pub fn template(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "agency" => AGENCY,
        "power" => POWER,
        "service" => SERVICE,
        "decision" => DECISION,
        "document" => DOCUMENT,
        "report" => REPORT,
        "page" => PAGE,
        "calendar" => CALENDAR,
        _ => return None,
    })
}

/// What `gongkai new` is asked to write.
pub struct NewRecord<'a> {
    pub kind: &'a str,
    pub path: &'a Path,
    /// The portal the record goes into.
    pub root: &'a Path,
    /// The agency whose record it is, when the path does not say.
    pub agency: Option<&'a str>,
}

/// Runs `gongkai new`: writes the template and says what to do next.
pub fn run(request: &NewRecord) -> std::process::ExitCode {
    match new_record(request) {
        Ok(filled) => {
            let path = request.path.display();
            println!(
                "{}",
                crate::zh_en!(
                    format!("已写出 {path}{filled}：请按注释填写后运行 gongkai check"),
                    format!("wrote {path}{filled}: fill it in as its comments say, then run gongkai check")
                )
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", super::error_line(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Writes the template for `kind` at `path`, refusing to overwrite an existing file or to
/// write outside the kind's folder. Returns what was filled in, for the message.
pub fn new_record(r: &NewRecord) -> Result<String, String> {
    let kind = Kind::from_name(r.kind).ok_or_else(|| {
        let kind = r.kind;
        crate::zh_en!(
            format!(
                "没有 `{kind}` 这种记录；可以是：{}",
                types().collect::<Vec<_>>().join("、")
            ),
            format!(
                "there is no kind of record `{kind}`; the kinds are: {}",
                types().collect::<Vec<_>>().join(", ")
            )
        )
    })?;
    let info = kind.info();
    let text = template(r.kind).expect("every kind has a template");
    let stem = r.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if info.stem == "<slug>" && !slug_is_valid(stem) {
        let slug = suggest_pinyin_slug(stem);
        return Err(crate::zh_en!(
            format!("文件名 `{stem}` 不能用作短名（网址的一部分），可以改为 `{slug}`"),
            format!("the file name `{stem}` cannot be a slug (a part of the URL): use `{slug}`")
        ));
    }
    let ext = r.path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext != info.extension && !(info.extension == "yaml" && ext == "yml") {
        return Err(crate::zh_en!(
            format!("{}是 .{} 文件", info.title, info.extension),
            format!("{} are .{} files", info.folder, info.extension)
        ));
    }
    let place = Place::of(r.root, r.path, kind)?;
    if r.path.exists() {
        let p = r.path.display();
        return Err(crate::zh_en!(
            format!("{p} 已经存在，不会覆盖它"),
            format!("{p} exists already: it is not overwritten")
        ));
    }
    let agency = place.agency.as_deref().or(r.agency);
    let (text, filled) = fill(text, kind, agency, place.year, r.root)?;
    if let Some(dir) = r.path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            let d = dir.display();
            crate::zh_en!(
                format!("无法创建 {d}：{e}"),
                format!("cannot create {d}: {e}")
            )
        })?;
    }
    std::fs::write(r.path, text).map_err(|e| {
        let p = r.path.display();
        crate::zh_en!(
            format!("无法写入 {p}：{e}"),
            format!("cannot write {p}: {e}")
        )
    })?;
    Ok(filled)
}

/// Where under content/ a new record's path puts it.
struct Place {
    /// The agency its folder (or, for a report, its file name) names.
    agency: Option<String>,
    /// The year of its folder.
    year: Option<i32>,
}

impl Place {
    /// The place of `path` in the portal at `root`, if it is where `kind`'s records live.
    fn of(root: &Path, path: &Path, kind: Kind) -> Result<Place, String> {
        let info = kind.info();
        let wrong = || {
            let (layout, p) = (info.layout_text(), path.display());
            crate::zh_en!(
                format!("{}应放在 content/{layout}，不能写到 {p}", info.title),
                format!("{} go in content/{layout}, not in {p}", info.folder)
            )
        };
        let content = absolute(&root.join("content"));
        let rel = absolute(path)
            .strip_prefix(&content)
            .map(Path::to_path_buf)
            .map_err(|_| wrong())?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let depth = match info.layout {
            Layout::Flat => 2,
            Layout::ByAgency | Layout::ByYear => 3,
        };
        if parts.len() != depth || parts[0] != info.folder {
            return Err(wrong());
        }
        let stem = Path::new(&parts[depth - 1])
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        let mut place = Place {
            agency: None,
            year: None,
        };
        match info.layout {
            Layout::ByAgency => place.agency = Some(parts[1].clone()),
            Layout::ByYear => {
                place.year = Some(
                    parts[1]
                        .parse()
                        .ok()
                        .filter(|_| parts[1].len() == 4)
                        .ok_or_else(wrong)?,
                );
            }
            Layout::Flat => {}
        }
        if info.stem == "<agency>" {
            place.agency = stem;
        }
        Ok(place)
    }
}

/// `path` absolute and without `.` and `..`, for comparing paths.
fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The template with what the agency and the year decide filled in, and a note of it.
fn fill(
    text: &str,
    kind: Kind,
    agency: Option<&str>,
    year: Option<i32>,
    root: &Path,
) -> Result<(String, String), String> {
    let mut text = text.to_string();
    if let Some(y) = year {
        // The templates are dated in one sample year; a record goes in its folder's year.
        text = text.replace("2026", &y.to_string());
    }
    if kind == Kind::Agency {
        // Check reminds the office (W073) until the agency's own code replaces it.
        text = text.replace("11990100MB0000000X", id::PLACEHOLDER_CREDIT_CODE);
    }
    let Some(slug) = agency.filter(|_| matches!(kind, Kind::Document | Kind::Decision)) else {
        return Ok((text, String::new()));
    };
    let loaded = crate::load::load(root).map_err(|d| d.message)?;
    let portal = &loaded.portal;
    let a = portal.agency(slug).ok_or_else(|| {
        let known: Vec<&str> = portal
            .agencies
            .iter()
            .map(|a| a.meta.slug.as_str())
            .collect();
        crate::zh_en!(
            format!("没有代号为 `{slug}` 的机关；现有：{}", known.join("、")),
            format!(
                "there is no agency `{slug}`; the agencies are: {}",
                known.join(", ")
            )
        )
    })?;
    text = text.replacen("agency: gov", &format!("agency: {slug}"), 1);
    let name = &a.data.name;
    let mut filled = crate::zh_en!(format!("（发文机关 {name}）"), format!(" (agency {name})"));
    if let (Kind::Document, Some(year)) = (kind, year) {
        let code = id::normalize(&a.data.credit_code);
        let serial = next_serial(portal, slug, year);
        let index_no = format!("{code}/{year}-{serial}");
        text = text.replacen(&format!("11990100MB0000000X/{year}-00001"), &index_no, 1);
        filled = crate::zh_en!(
            format!("（发文机关 {name}，索引号 {index_no}）"),
            format!(" (agency {name}, 索引号 {index_no})")
        );
    }
    Ok((text, filled))
}

/// The next free serial of `agency`'s 索引号 in `year`, as wide as the widest in use (at
/// least five digits).
fn next_serial(p: &Portal, agency: &str, year: i32) -> String {
    let pattern = p
        .config
        .catalog
        .index_no_pattern
        .as_deref()
        .and_then(|s| regex::Regex::new(s).ok());
    let used: Vec<(u64, usize)> = p
        .lookup
        .documents_by_agency
        .get(agency)
        .into_iter()
        .flatten()
        .filter_map(|&i| id::parse_index_no(&p.documents[i].data.index_no, pattern.as_ref()))
        .filter(|n| {
            n.year
                .as_deref()
                .is_some_and(|y| y.starts_with(&year.to_string()))
        })
        .filter_map(|n| {
            let s = n.serial?;
            Some((s.parse().ok()?, s.len()))
        })
        .collect();
    let next = used.iter().map(|&(n, _)| n).max().unwrap_or(0) + 1;
    let width = used.iter().map(|&(_, w)| w).max().unwrap_or(5).max(5);
    format!("{next:0width$}")
}

/// A slug for a file name: Chinese words in pinyin (split into words as jieba reads them),
/// joined by `-`; anything else as [`suggest_slug`] makes it.
pub fn suggest_pinyin_slug(name: &str) -> String {
    let mut words = Vec::new();
    for token in crate::search::words::jieba().cut(name, false) {
        let word = token.word;
        let syllables: Vec<&str> = word
            .to_pinyin()
            .map(|p| p.map_or("", |p| p.plain()))
            .collect();
        if syllables.iter().all(|s| !s.is_empty()) {
            words.push(syllables.concat());
        } else {
            words.push(word.to_string());
        }
    }
    suggest_slug(&words.join(" "))
}

const AGENCY: &str = r#"# 机构信息 · content/agencies/<slug>.yaml（文件名即机构代号）
name: 示例市某某局                 # 机构全称（必填）
short_name: 某某局                 # 简称（选填）
kind: department                   # government 一级人民政府 / department 政府部门（必填，决定年报截止日期）
credit_code: 11990100MB0000000X    # 统一社会信用代码，18位，校验位须正确（必填）——请改为本机关的真实代码
# parent: gov                      # 上级机关的代号（选填）
address: 示例市人民大道1号
postcode: "990100"
phone: 0999-12345678
email: gongkai@example.gov.cn
office_hours: 工作日 9:00-12:00，13:30-17:30
website: https://www.example.gov.cn
disclosure_office:                 # 政府信息公开工作机构
  name: 某某局办公室
  address: 示例市人民大道1号201室
  phone: 0999-12345679
  email: gongkai@example.gov.cn
  office_hours: 工作日 9:00-17:00
order: 10                          # 列表中的排序（选填）
"#;

const POWER: &str = r#"# 权责清单事项 · content/power/<机构代号>/<slug>.yaml
code: "XK-0001"                    # 事项编码，全站唯一（必填）
name: 某某许可                     # 事项名称（必填）
category: 行政许可                 # 行政许可 行政处罚 行政强制 行政征收 行政给付 行政检查 行政确认 行政奖励 行政裁决 其他行政权力 公共服务
# implementing_body: 示例市某某局  # 实施主体，默认为所属机关
legal_basis:                       # 设定依据（至少一条）
  - law: 《中华人民共和国行政许可法》
    article: 第十二条
    # text: 条文内容（选填）
responsibilities:                  # 责任事项
  - 受理责任：公示应当提交的材料，一次性告知补正材料，依法受理或不予受理。
  - 审查责任：对申请材料进行审查，提出审查意见。
  - 决定责任：作出行政许可或者不予行政许可决定。
  - 送达责任：制作并送达决定文书，信息公开。
  - 事后监管责任：开展监督检查。
accountability:                    # 追责情形（选填）
  - 对符合法定条件的申请不予受理的。
process:                           # 运行流程（选填），按顺序
  - 受理
  - {name: 审查, description: 审查申请材料, days: 10}
  - 决定
supervision_phone: 0999-12345678
status: active                     # active 在用 / adjusted 已调整 / abolished 已取消
effective: 2025-01-01
changes:                           # 动态调整记录，按时间先后
  - {date: 2025-01-01, action: added, basis: 示政发〔2024〕1号, note: 新增事项}
"#;

const SERVICE: &str = r#"# 政务服务事项 · content/services/<机构代号>/<slug>.yaml
code: "FW-0001"                    # 实施编码（或基本编码），全站唯一（必填）
name: 某某许可办理                 # 事项名称（必填）
type: 行政许可                     # 事项类型，同权责清单类别（必填）
# power_item: "XK-0001"            # 对应的权责清单事项编码（选填）
legal_basis:
  - law: 《中华人民共和国行政许可法》
    article: 第十二条
conditions:                        # 受理条件
  - 申请人具有完全民事行为能力。
materials:                         # 申请材料
  - name: 申请表
    form: 原件                     # 原件 / 复印件 / 电子
    copies: 1
    required: true
    # template: templates/form.docx  # 示范文本，相对于 content/static/ 的路径或 https 链接
time_limit:
  statutory_days: 20               # 法定办结时限（工作日）
  promised_days: 10                # 承诺办结时限（工作日），不得超过法定时限
fees:
  free: true                       # 不收费；收费时改为列表：[{item: , standard: , basis: }]
location: 示例市政务服务中心二楼
office_hours: 工作日 9:00-17:00
consult_phone: 0999-12345678
complaint_phone: 12345
# online_url: https://zwfw.example.gov.cn/
online_level: 3                    # 网办深度 0-4
status: active
"#;

const DECISION: &str = r#"---
# 重大行政决策事项 · content/decisions/<目录年度>/<slug>.md
title: 示例市某某规划（2026—2030年）   # 决策事项名称（必填）
agency: gov                            # 承办单位代号（必填）
basis: 《重大行政决策程序暂行条例》    # 法律政策依据（选填）
planned: 2026-12-31                    # 计划完成时间（选填）
status: planned                        # planned consulting reviewing decided implementing evaluated withdrawn
# consultation: {start: 2026-06-01, end: 2026-07-01, url: "https://www.example.gov.cn/zqyj/1", summary: , adopted: }
# hearing: {date: 2026-07-10, notes: }
# expert_review: {date: 2026-07-15, notes: }
# risk_assessment: {date: 2026-07-20, level: 低, notes: }
# legality_review: {date: 2026-08-01, result: 合法}
# collective_decision: {date: 2026-08-15, meeting: 市政府第N次常务会议}
# publication: {date: 2026-08-30, document: 示政发〔2026〕N号}
# evaluation: {date: 2027-08-30, notes: }
---

决策事项的背景、主要内容和进展说明。
"#;

const DOCUMENT: &str = r#"---
# 公开目录文件 · content/documents/<年份>/<slug>.md
title: 示例市人民政府关于某某事项的通知   # 标题（必填）
agency: gov                              # 发文机关代号（必填）
index_no: 11990100MB0000000X/2026-00001  # 索引号，全站唯一：机关信用代码/年份-流水号（必填）
categories: [综合政务, 通知]             # 主题分类、体裁分类（选填）
doc_number: 示政发〔2026〕1号            # 发文字号（选填）
written: 2026-01-05                      # 成文日期（必填）
published: 2026-01-08                    # 发布日期（必填），应在成文后20个工作日内
normative: false                         # 是否行政规范性文件
# registration_no: 示规〔2026〕001        # 统一登记号（规范性文件）
# valid_from: 2026-02-01
# valid_until: 2031-01-31                # 不填时：暂行/试行2年，其他5年
# long_term: true                        # 长期有效（规范性文件，不填 valid_until）
# status: effective                      # effective 有效 / expired 失效 / repealed 废止 / amended 已修订
# replaces: old-slug                     # 替代的文件
# interprets: policy-slug                # 本文件是政策解读时：所解读文件的短名，两个页面互相链接
# interpretation: 文字解读               # 解读形式：文字解读 / 图文解读 / 视频解读 / 新闻发布会 / 专家解读
# attachments: [{title: 附件1, file: attachments/list.csv}]
---

正文（Markdown）。
"#;

const REPORT: &str = r#"# 政府信息公开工作年度报告 · content/reports/<报告年度>/<机构代号>.yaml
format: "2021"
published: 2026-01-20
overview: |
  一、总体情况（Markdown）
proactive:
  rules:               {issued: 0, repealed: 0, in_force: 0}
  normative_documents: {issued: 0, repealed: 0, in_force: 0}
  licensing:   {decisions: 0}
  penalties:   {decisions: 0}
  enforcement: {decisions: 0}
  fees:        {amount: 0}
applications:
  # 每行7个数：[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]
  new:          [0, 0, 0, 0, 0, 0, 0]
  carried_over: [0, 0, 0, 0, 0, 0, 0]
  results:
    disclosed:           [0, 0, 0, 0, 0, 0, 0]
    partially_disclosed: [0, 0, 0, 0, 0, 0, 0]
    withheld:
      state_secret:      [0, 0, 0, 0, 0, 0, 0]
      law_prohibited:    [0, 0, 0, 0, 0, 0, 0]
      three_safeties:    [0, 0, 0, 0, 0, 0, 0]
      third_party:       [0, 0, 0, 0, 0, 0, 0]
      internal_affairs:  [0, 0, 0, 0, 0, 0, 0]
      process_info:      [0, 0, 0, 0, 0, 0, 0]
      enforcement_files: [0, 0, 0, 0, 0, 0, 0]
      query_matters:     [0, 0, 0, 0, 0, 0, 0]
    unable:
      not_held:          [0, 0, 0, 0, 0, 0, 0]
      needs_creation:    [0, 0, 0, 0, 0, 0, 0]
      unclear:           [0, 0, 0, 0, 0, 0, 0]
    not_processed:
      petition:          [0, 0, 0, 0, 0, 0, 0]
      repeated:          [0, 0, 0, 0, 0, 0, 0]
      publications:      [0, 0, 0, 0, 0, 0, 0]
      mass_repeated:     [0, 0, 0, 0, 0, 0, 0]
      confirm_or_reissue: [0, 0, 0, 0, 0, 0, 0]
    other:
      overdue_correction: [0, 0, 0, 0, 0, 0, 0]
      overdue_fee:       [0, 0, 0, 0, 0, 0, 0]
      other:             [0, 0, 0, 0, 0, 0, 0]
    total:               [0, 0, 0, 0, 0, 0, 0]
  carried_forward: [0, 0, 0, 0, 0, 0, 0]
reviews_and_litigation:
  # 每行5个数：[结果维持, 结果纠正, 其他结果, 尚未审结, 总计]
  review:                  [0, 0, 0, 0, 0]
  litigation_direct:       [0, 0, 0, 0, 0]
  litigation_after_review: [0, 0, 0, 0, 0]
problems: |
  五、存在的主要问题及改进情况
other: |
  六、其他需要报告的事项
"#;

const PAGE: &str = r#"---
title: 页面标题
# description: 一句话说明（选填）
# order: 10
---

页面正文（Markdown）。
"#;

const CALENDAR: &str = r#"# 工作日历覆盖 · content/calendar/<年份>.yaml（整年替换内置日历）
holidays:                          # 法定节假日（含调休放假）
  - {name: 元旦, from: 2027-01-01, to: 2027-01-01}
workdays: []                       # 调休上班的周末日期
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn front(md: &str) -> &str {
        let rest = md.strip_prefix("---\n").unwrap();
        &rest[..rest.find("\n---\n").unwrap()]
    }

    #[test]
    fn every_template_parses_as_its_type() {
        serde_yaml::from_str::<Agency>(AGENCY).unwrap();
        serde_yaml::from_str::<PowerItem>(POWER).unwrap();
        serde_yaml::from_str::<ServiceItem>(SERVICE).unwrap();
        serde_yaml::from_str::<Decision>(front(DECISION)).unwrap();
        serde_yaml::from_str::<Document>(front(DOCUMENT)).unwrap();
        serde_yaml::from_str::<Report>(REPORT).unwrap();
        serde_yaml::from_str::<Page>(front(PAGE)).unwrap();
        serde_yaml::from_str::<crate::domain::calendar::CalendarYear>(CALENDAR).unwrap();
    }

    /// A copy of the minimal good portal of the tests.
    fn portal() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good/minimal");
        for e in walkdir::WalkDir::new(&from) {
            let e = e.unwrap();
            let to = dir.path().join(e.path().strip_prefix(&from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
        dir
    }

    fn new(kind: &str, root: &Path, rel: &str, agency: Option<&str>) -> Result<String, String> {
        new_record(&NewRecord {
            kind,
            path: &root.join(rel),
            root,
            agency,
        })
    }

    #[test]
    fn refuses_bad_slugs_wrong_folders_and_overwrites() {
        let dir = portal();
        let root = dir.path();
        let e = new(
            "document",
            root,
            "content/documents/2026/关于印发通知.md",
            None,
        )
        .unwrap_err();
        assert!(e.contains("guanyu-yinfa-tongzhi"), "{e}");
        new("document", root, "content/documents/2026/a.md", None).unwrap();
        assert!(new("document", root, "content/documents/2026/a.md", None)
            .unwrap_err()
            .contains("已经存在"));
        assert!(new("memo", root, "content/x.md", None).is_err());
        for (kind, rel) in [
            ("document", "content/pages/b.md"),
            ("document", "content/documents/b.md"),
            ("document", "content/documents/26/b.md"),
            ("power", "content/power/b.yaml"),
            ("page", "elsewhere/b.md"),
        ] {
            let e = new(kind, root, rel, None).unwrap_err();
            assert!(e.contains("应放在 content/"), "{kind} {rel}: {e}");
            assert!(!root.join(rel).exists());
        }
    }

    #[test]
    fn an_agencys_document_gets_its_code_and_the_next_free_serial() {
        let dir = portal();
        let root = dir.path();
        // The minimal portal's fgw has document 00001 of 2025.
        let filled = new("document", root, "content/documents/2025/n.md", Some("fgw")).unwrap();
        let text = std::fs::read_to_string(root.join("content/documents/2025/n.md")).unwrap();
        assert!(text.contains("agency: fgw"), "{text}");
        assert!(
            text.contains("index_no: 11370829004333910Q/2025-00002"),
            "{text}"
        );
        assert!(filled.contains("11370829004333910Q/2025-00002"), "{filled}");
        assert!(
            text.contains("written: 2025-"),
            "dated in the folder's year: {text}"
        );
        assert!(new(
            "document",
            root,
            "content/documents/2025/m.md",
            Some("nobody")
        )
        .unwrap_err()
        .contains("fgw"));
        // The new document checks: the slot, the code and the serial are right.
        let outcome = crate::build::check(root).unwrap();
        let about: Vec<_> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.file.ends_with("n.md"))
            .collect();
        assert!(about.is_empty(), "{about:?}");
    }

    #[test]
    fn chinese_file_names_get_a_pinyin_slug() {
        assert_eq!(suggest_pinyin_slug("关于印发通知"), "guanyu-yinfa-tongzhi");
        assert_eq!(
            suggest_pinyin_slug("2025年工作要点"),
            "2025-nian-gongzuo-yaodian"
        );
        assert_eq!(suggest_pinyin_slug("My File"), "my-file");
    }

    #[test]
    fn a_new_agency_carries_the_placeholder_code() {
        let dir = portal();
        new("agency", dir.path(), "content/agencies/jyj.yaml", None).unwrap();
        let text = std::fs::read_to_string(dir.path().join("content/agencies/jyj.yaml")).unwrap();
        assert!(text.contains(id::PLACEHOLDER_CREDIT_CODE));
    }
}
