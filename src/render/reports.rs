//! The annual-report pages: a report in the national form's shape, an agency's reports over the
//! years with trend charts, and the year's comparison across agencies with its pre-rendered sort
//! orders; plus their CSV and JSON downloads.
//!
//! The form's rows, labels and columns come from `report_form`; inconsistent cells from
//! `report_math`; everything here only arranges them for the templates.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::context::{Ctx, ToRender};
use super::views::{report_item, AgencyRef, ReportItem};
use super::write_file;
use crate::derive::deadlines::Timeliness;
use crate::derive::report_figures::{self as figures, percent, Figures};
use crate::derive::reports::ReportDue;
use crate::diagnostics::{codes, Diagnostic};
use crate::domain::report_form::{
    self, APPLICANT_COLUMNS, APPLICANT_HEADER, BALANCE_NOTE, REVIEW_BLOCKS, REVIEW_COLUMNS,
    SECTIONS,
};
use crate::domain::report_math::{Finding, Rule};
use crate::model::urls;
use crate::model::*;
use crate::render::chart::{self, Chart, Layout, Series, PALETTE};
use crate::render::export::{self, ReportMeta, BOM};
use crate::text::markdown;

// ---------------------------------------------------------------------------------------------
// A table in the form's shape, generic enough for sections 2, 3 and 4

/// A header or data cell. Header cells carry an `id`; data cells name their headers in
/// `headers`, so a screen reader reads every number with its row and column labels even across
/// the merged cells.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TCell {
    pub th: bool,
    pub text: String,
    pub id: String,
    pub colspan: usize,
    pub rowspan: usize,
    pub scope: &'static str,
    pub headers: String,
    pub class: String,
    pub notes: Vec<String>,
}

fn th(text: &str, id: String, scope: &'static str) -> TCell {
    TCell {
        th: true,
        text: text.to_string(),
        id,
        colspan: 1,
        rowspan: 1,
        scope,
        ..TCell::default()
    }
}

impl TCell {
    fn span(mut self, colspan: usize, rowspan: usize) -> TCell {
        self.colspan = colspan;
        self.rowspan = rowspan;
        self
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TRow {
    pub cells: Vec<TCell>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TBody {
    pub rows: Vec<TRow>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FormTable {
    pub id: String,
    pub caption: String,
    pub class: String,
    /// Spans of the `<colgroup>` elements, so that `scope="colgroup"` headers have column
    /// groups to refer to: the label columns, then one group per grouped header.
    pub colgroups: Vec<usize>,
    pub head: Vec<TRow>,
    pub bodies: Vec<TBody>,
}

// ---------------------------------------------------------------------------------------------
// Notes on inconsistent cells

/// Findings by (row key, column); `None` for whole-row findings.
type Notes<'f> = HashMap<(&'static str, Option<usize>), Vec<&'f Finding>>;

fn index_findings(findings: &[Finding]) -> Notes<'_> {
    let mut m: Notes = HashMap::new();
    for f in findings {
        m.entry((f.row_key, f.column_index)).or_default().push(f);
    }
    m
}

/// The visible note of a finding on a cell, e.g. `应为 272（各项之和），报告所载为空白`.
pub fn note_text(f: &Finding, blank: bool) -> String {
    let found = if blank {
        "空白".to_string()
    } else {
        f.found.to_string()
    };
    let (e, sep) = (f.expected, if blank { "" } else { " " });
    match f.rule {
        Rule::RowTotal | Rule::ReviewTotal => {
            format!("应为 {e}（各项之和），报告所载为{sep}{found}")
        }
        Rule::ResultsTotal => format!("应为 {e}（各项办理结果之和），报告所载为{sep}{found}"),
        Rule::Balance => {
            format!("应为 {e}（第一项加第二项，减去（七）总计），报告所载为{sep}{found}")
        }
        Rule::CarryOver => {
            format!("上年报告“结转下年度继续办理”为 {e}，本报告所载为{sep}{found}")
        }
        Rule::Negative => format!("应为不小于 0 的整数，报告所载为 {}", f.found),
        Rule::RowShape => format!("本行应有 {} 个数，报告所载为 {} 个", f.expected, f.found),
    }
}

fn note_class(f: &Finding) -> &'static str {
    match f.rule {
        Rule::CarryOver => "carry-over",
        _ => "inconsistent",
    }
}

/// A data cell with its value (blank stays blank) and the notes that concern it.
fn data_cell(value: Option<i64>, headers: String, notes: &[&Finding]) -> TCell {
    let mut c = TCell {
        text: value.map(|v| v.to_string()).unwrap_or_default(),
        headers,
        colspan: 1,
        rowspan: 1,
        ..TCell::default()
    };
    if value.is_none() {
        c.class.push_str("blank");
    }
    for f in notes {
        if !c.class.contains(note_class(f)) {
            if !c.class.is_empty() {
                c.class.push(' ');
            }
            c.class.push_str(note_class(f));
        }
        c.notes.push(note_text(f, value.is_none()));
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Section 3

/// The applications table exactly as the national form draws it: three label columns (三、本年度
/// 办理结果 / （三）不予公开 / 1.属于国家秘密), the balance note in the corner, 申请人情况 over all
/// seven columns and 法人或其他组织 over five.
pub fn applications_table(format: ReportFormat, a: &Applications, notes: &Notes) -> FormTable {
    let p = "s3";
    // Header rows.
    let mut r1 = TRow::default();
    r1.cells.push(TCell {
        text: BALANCE_NOTE.into(),
        class: "corner".into(),
        colspan: 3,
        rowspan: 3,
        ..TCell::default()
    });
    r1.cells.push(
        th(APPLICANT_HEADER, format!("{p}-applicants"), "colgroup")
            .span(APPLICANT_COLUMNS.len(), 1),
    );
    let (mut r2, mut r3) = (TRow::default(), TRow::default());
    let mut col_headers = Vec::new();
    for (i, c) in APPLICANT_COLUMNS.iter().enumerate() {
        let mut hs = vec![format!("{p}-applicants")];
        match c.group {
            None => r2
                .cells
                .push(th(c.label, format!("{p}-c{i}"), "col").span(1, 2)),
            Some(g) => {
                let first = APPLICANT_COLUMNS
                    .iter()
                    .position(|x| x.group == Some(g))
                    .unwrap_or(i);
                if first == i {
                    let n = APPLICANT_COLUMNS[i..]
                        .iter()
                        .take_while(|x| x.group == Some(g))
                        .count();
                    r2.cells
                        .push(th(g, format!("{p}-g{i}"), "colgroup").span(n, 1));
                }
                hs.push(format!("{p}-g{first}"));
                r3.cells.push(th(c.label, format!("{p}-c{i}"), "col"));
            }
        }
        hs.push(format!("{p}-c{i}"));
        col_headers.push(hs.join(" "));
    }
    // Body rows.
    let rows = report_form::rows(format);
    let mut body = TBody::default();
    for (n, def) in rows.iter().enumerate() {
        let mut row = TRow::default();
        let mut row_headers = Vec::new();
        let mut label_cols = 3;
        if let Some(sec) = def.section {
            let first = rows
                .iter()
                .position(|r| r.section == Some(sec))
                .unwrap_or(n);
            if first == n {
                let span = rows[n..]
                    .iter()
                    .take_while(|r| r.section == Some(sec))
                    .count();
                row.cells
                    .push(th(sec, format!("{p}-s{n}"), "rowgroup").span(1, span));
            }
            row_headers.push(format!("{p}-s{first}"));
            label_cols -= 1;
        }
        if let Some(g) = def.group {
            let first = rows.iter().position(|r| r.group == Some(g)).unwrap_or(n);
            if first == n {
                let span = rows[n..].iter().take_while(|r| r.group == Some(g)).count();
                row.cells
                    .push(th(g, format!("{p}-g-r{n}"), "rowgroup").span(1, span));
            }
            row_headers.push(format!("{p}-g-r{first}"));
            label_cols -= 1;
        }
        let cells = report_form::cells(a, def.key);
        let mut label = th(def.label, format!("{p}-r{n}"), "row").span(label_cols, 1);
        for f in notes.get(&(def.key, None)).into_iter().flatten() {
            label.class = "inconsistent".into();
            label.notes.push(note_text(f, false));
        }
        row.cells.push(label);
        row_headers.push(format!("{p}-r{n}"));
        for (c, col_h) in col_headers.iter().enumerate() {
            let value = cells.and_then(|r| r.get(c)).copied().flatten();
            let here = notes
                .get(&(def.key, Some(c)))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            row.cells.push(data_cell(
                value,
                format!("{} {col_h}", row_headers.join(" ")),
                here,
            ));
        }
        body.rows.push(row);
    }
    FormTable {
        id: "table-applications".into(),
        caption: "收到和处理政府信息公开申请情况".into(),
        class: "report-form form-applications".into(),
        colgroups: applicant_colgroups(),
        head: vec![r1, r2, r3],
        bodies: vec![body],
    }
}

/// The label columns, then runs of applicant columns that share a group (ungrouped columns
/// alone): 3, 1, 5, 1 for the 2021 form.
fn applicant_colgroups() -> Vec<usize> {
    let mut spans = vec![3];
    let mut last: Option<Option<&str>> = None;
    for c in APPLICANT_COLUMNS.iter() {
        match (last, c.group) {
            (Some(Some(prev)), Some(g)) if prev == g => *spans.last_mut().unwrap_or(&mut 0) += 1,
            _ => spans.push(1),
        }
        last = Some(c.group);
    }
    spans
}

// ---------------------------------------------------------------------------------------------
// Section 4

/// The reconsideration and litigation table: 行政复议 over five columns, 行政诉讼 over ten, split
/// into 未经复议直接起诉 and 复议后起诉; one row of fifteen numbers.
pub fn reviews_table(rl: &ReviewsAndLitigation, notes: &Notes) -> FormTable {
    let p = "s4";
    let (mut r1, mut r2, mut r3) = (TRow::default(), TRow::default(), TRow::default());
    let mut data = TRow::default();
    let w = REVIEW_COLUMNS.len();
    for (b, block) in REVIEW_BLOCKS.iter().enumerate() {
        let mut hs = Vec::new();
        match block.group {
            None => r1
                .cells
                .push(th(block.label, format!("{p}-b{b}"), "colgroup").span(w, 2)),
            Some(g) => {
                let first = REVIEW_BLOCKS
                    .iter()
                    .position(|x| x.group == Some(g))
                    .unwrap_or(b);
                if first == b {
                    let n = REVIEW_BLOCKS[b..]
                        .iter()
                        .take_while(|x| x.group == Some(g))
                        .count();
                    r1.cells
                        .push(th(g, format!("{p}-g{b}"), "colgroup").span(w * n, 1));
                }
                hs.push(format!("{p}-g{first}"));
                r2.cells
                    .push(th(block.label, format!("{p}-b{b}"), "colgroup").span(w, 1));
            }
        }
        hs.push(format!("{p}-b{b}"));
        let cells = report_form::block_cells(rl, block.key);
        let shape: Vec<&Finding> = notes
            .get(&(block.key, None))
            .map(|v| v.to_vec())
            .unwrap_or_default();
        for (c, label) in REVIEW_COLUMNS.iter().enumerate() {
            let id = format!("{p}-b{b}-c{c}");
            r3.cells.push(th(label, id.clone(), "col"));
            let mut here: Vec<&Finding> = notes
                .get(&(block.key, Some(c)))
                .map(|v| v.to_vec())
                .unwrap_or_default();
            if c == 0 {
                here.extend(shape.iter().copied());
            }
            let value = cells.and_then(|r| r.get(c)).copied().flatten();
            data.cells
                .push(data_cell(value, format!("{} {id}", hs.join(" ")), &here));
        }
    }
    FormTable {
        id: "table-reviews".into(),
        caption: "政府信息公开行政复议、行政诉讼情况".into(),
        class: "report-form form-reviews".into(),
        colgroups: vec![w; REVIEW_BLOCKS.len()],
        head: vec![r1, r2, r3],
        bodies: vec![TBody { rows: vec![data] }],
    }
}

// ---------------------------------------------------------------------------------------------
// Section 2

/// The proactive-disclosure tables of the format, drawn as the form draws them: one table, a
/// block per item of Regulation Art. 20, each with its own header row.
pub fn proactive_table(format: ReportFormat, p: &serde_yaml::Value) -> FormTable {
    let tables = report_form::proactive_tables(format);
    let width = tables.iter().map(|t| t.columns.len()).max().unwrap_or(1);
    let mut bodies = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        let tid = format!("s2-t{t}");
        let mut body = TBody::default();
        body.rows.push(TRow {
            cells: vec![th(table.caption, tid.clone(), "colgroup").span(width + 1, 1)],
        });
        let k = table.columns.len();
        let span = |c: usize| if c + 1 == k { width - k + 1 } else { 1 };
        let mut head = TRow {
            cells: vec![th(table.label_header, format!("{tid}-h"), "col")],
        };
        for (c, col) in table.columns.iter().enumerate() {
            head.cells
                .push(th(col.label, format!("{tid}-c{c}"), "col").span(span(c), 1));
        }
        for cell in &mut head.cells {
            cell.headers = tid.clone();
        }
        body.rows.push(head);
        for (r, row) in table.rows.iter().enumerate() {
            let rid = format!("{tid}-r{r}");
            let mut label = th(row.label, rid.clone(), "row");
            label.headers = format!("{tid} {tid}-h");
            let mut tr = TRow { cells: vec![label] };
            let data = p.get(row.key);
            for (c, col) in table.columns.iter().enumerate() {
                let text = export::yaml_text(data.and_then(|d| d.get(col.key)));
                tr.cells.push(TCell {
                    class: if text.is_empty() {
                        "blank".into()
                    } else {
                        String::new()
                    },
                    text,
                    headers: format!("{tid} {rid} {tid}-c{c}"),
                    colspan: span(c),
                    rowspan: 1,
                    ..TCell::default()
                });
            }
            body.rows.push(tr);
        }
        bodies.push(body);
    }
    FormTable {
        id: "table-proactive".into(),
        caption: "主动公开政府信息情况".into(),
        class: "report-form form-proactive".into(),
        colgroups: Vec::new(),
        head: Vec::new(),
        bodies,
    }
}

// ---------------------------------------------------------------------------------------------
// Timeliness and entries in lists

#[derive(Debug, Clone, Serialize)]
pub struct ReportEntry {
    #[serde(flatten)]
    pub item: ReportItem,
    pub due: String,
    pub timeliness: String,
    pub timeliness_class: &'static str,
    /// A sentence for the report page, e.g. `逾期 3 天发布（应于 2025-01-31 前发布）`.
    pub timeliness_text: String,
}

fn timeliness_text(t: &Timeliness, due: NaiveDate) -> String {
    match t {
        Timeliness::OnTime { .. } => format!("按时发布（应于 {due} 前发布）"),
        Timeliness::Late { days, .. } => format!("逾期 {days} 天发布（应于 {due} 前发布）"),
        Timeliness::Missing { overdue_days } => {
            format!("未发布（应于 {due} 前发布，已逾期 {overdue_days} 天）")
        }
        Timeliness::NotYetDue { days_left } => {
            format!("尚未到期（应于 {due} 前发布，还有 {days_left} 天）")
        }
        Timeliness::Undated => format!("未注明发布日期（应于 {due} 前发布）"),
    }
}

impl Ctx<'_> {
    pub(super) fn report_entry(&self, i: usize) -> ReportEntry {
        let r = &self.portal.reports[i];
        let ReportDue { due, timeliness: t } = self.derived.reports.due[i];
        ReportEntry {
            item: report_item(r, &self.ix),
            due: due.to_string(),
            timeliness: t.label(),
            timeliness_class: t.class(),
            timeliness_text: timeliness_text(&t, due),
        }
    }

    /// The list of every year's reports, newest year first.
    pub(super) fn reports_index(&self) -> ToRender {
        let url = urls::section(Kind::Report);
        let mut c = self.base(
            "政府信息公开工作年度报告",
            &url,
            &[("公开年报", url.clone())],
        );
        let years: Vec<(i32, Vec<ReportEntry>)> = self
            .derived
            .reports
            .years
            .iter()
            .rev()
            .map(|y| {
                let idx = self.portal.lookup.reports_by_year.get(y);
                let list = idx.into_iter().flatten();
                (*y, list.map(|&i| self.report_entry(i)).collect())
            })
            .collect();
        c.insert("years", &years);
        (url, "reports_index.html", c)
    }

    /// The report of `agency` for `year`, by index.
    fn report_of(&self, agency: &str, year: i32) -> Option<usize> {
        self.portal.lookup.report_of(self.portal, agency, year)
    }

    /// Every finding the page marks on a report (none on a report kept as prose).
    fn findings(&self, i: usize) -> &[Finding] {
        if self.portal.reports[i].data.format == ReportFormat::Free {
            return &[];
        }
        &self.derived.reports.findings[i]
    }
}

/// The due-date rule of `year`'s reports as the comparison page states it, from site.toml.
fn due_rule(cfg: &crate::model::config::SiteConfig, year: i32) -> String {
    use crate::derive::deadlines::{parse_month_day, LAST_YEAR_UNDER_2007_REGULATION};
    if year <= LAST_YEAR_UNDER_2007_REGULATION {
        return format!("{year}年度报告应于{}年3月31日前发布。", year + 1);
    }
    let md = |s: &str, default: (u32, u32)| {
        let (m, d) = parse_month_day(s).unwrap_or(default);
        format!("{m}月{d}日")
    };
    format!(
        "政府部门的报告应于{}年{}前、人民政府的报告应于{}年{}前发布。",
        year + 1,
        md(&cfg.deadlines.report_due_department, (1, 31)),
        year + 1,
        md(&cfg.deadlines.report_due_government, (3, 31)),
    )
}

// ---------------------------------------------------------------------------------------------
// The comparison across agencies

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Agency,
    Applications,
    DisclosureRate,
    WithheldShare,
    Reviews,
    Lawsuits,
    Published,
    Timeliness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

impl Dir {
    fn name(self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }

    fn aria(self) -> &'static str {
        match self {
            Dir::Asc => "ascending",
            Dir::Desc => "descending",
        }
    }

    fn flip(self) -> Dir {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Agency,
        SortKey::Applications,
        SortKey::DisclosureRate,
        SortKey::WithheldShare,
        SortKey::Reviews,
        SortKey::Lawsuits,
        SortKey::Published,
        SortKey::Timeliness,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Agency => "agency",
            SortKey::Applications => "applications",
            SortKey::DisclosureRate => "disclosure-rate",
            SortKey::WithheldShare => "withheld-share",
            SortKey::Reviews => "reviews",
            SortKey::Lawsuits => "lawsuits",
            SortKey::Published => "published",
            SortKey::Timeliness => "timeliness",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Agency => "机关",
            SortKey::Applications => "新收申请",
            SortKey::DisclosureRate => "公开率",
            SortKey::WithheldShare => "不予公开占比",
            SortKey::Reviews => "行政复议",
            SortKey::Lawsuits => "行政诉讼",
            SortKey::Published => "发布日期",
            SortKey::Timeliness => "按时发布",
        }
    }

    /// The first click's direction: names and dates ascending, numbers and lateness from the
    /// largest.
    pub fn default_dir(self) -> Dir {
        match self {
            SortKey::Agency | SortKey::Published => Dir::Asc,
            _ => Dir::Desc,
        }
    }

    /// The URL of this sort order. The base comparison page is the agencies' own order.
    pub fn url(self, year: i32, dir: Dir) -> String {
        if self == SortKey::Agency && dir == Dir::Asc {
            urls::year(Kind::Report, year)
        } else if dir == self.default_dir() {
            urls::reports_sorted(year, self.name(), None)
        } else {
            urls::reports_sorted(year, self.name(), Some(dir.name()))
        }
    }

    fn value(self, r: &ComparisonRow) -> Option<f64> {
        match self {
            SortKey::Agency => Some(r.order as f64),
            SortKey::Applications => r.new.map(|v| v as f64),
            SortKey::DisclosureRate => r.disclosure_rate,
            SortKey::WithheldShare => r.withheld_share,
            SortKey::Reviews => r.reviews.map(|v| v as f64),
            SortKey::Lawsuits => r.lawsuits.map(|v| v as f64),
            SortKey::Published => r.published_day.map(|v| v as f64),
            SortKey::Timeliness => r.lateness.map(|v| v as f64),
        }
    }
}

/// Every sort order that gets its own page: both directions of every column but the base one.
pub(super) fn sort_orders() -> Vec<(SortKey, Dir)> {
    SortKey::ALL
        .iter()
        .flat_map(|&k| [(k, k.default_dir()), (k, k.default_dir().flip())])
        .filter(|&(k, d)| !(k == SortKey::Agency && d == Dir::Asc))
        .collect()
}

/// One agency's line in the year's comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// Position in the portal's agency order.
    pub order: usize,
    pub agency: AgencyRef,
    /// The report page; empty when the report is missing.
    pub url: String,
    pub free_format: bool,
    pub new: Option<i64>,
    pub handled: Option<i64>,
    pub disclosed: Option<i64>,
    pub partially_disclosed: Option<i64>,
    pub withheld: Option<i64>,
    pub disclosure_rate: Option<f64>,
    pub withheld_share: Option<f64>,
    pub disclosure_rate_text: String,
    pub withheld_share_text: String,
    pub reviews: Option<i64>,
    pub lawsuits: Option<i64>,
    pub published: String,
    pub published_day: Option<i32>,
    pub due: String,
    pub timeliness: String,
    pub timeliness_class: &'static str,
    pub late_days: Option<i64>,
    pub lateness: Option<i64>,
    /// `data-value` of each sortable column, in `SortKey::ALL` order ("" when unknown).
    pub sort_values: Vec<String>,
}

#[derive(Serialize)]
struct SortHeader {
    key: &'static str,
    label: &'static str,
    url: String,
    aria_sort: &'static str,
    default_dir: &'static str,
    /// What following the link does, for screen readers: `按新收申请从多到少排列`.
    hint: String,
    /// The hints of both directions, for the script that sorts in place.
    hint_asc: String,
    hint_desc: String,
    numeric: bool,
}

fn sort_hint(k: SortKey, d: Dir) -> String {
    let how = match (k, d) {
        (SortKey::Agency, Dir::Asc) => "按机关顺序排列",
        (SortKey::Agency, Dir::Desc) => "按机关逆序排列",
        (SortKey::Published, Dir::Asc) => "按发布日期从早到晚排列",
        (SortKey::Published, Dir::Desc) => "按发布日期从晚到早排列",
        (SortKey::Timeliness, Dir::Desc) => "按逾期天数从多到少排列",
        (SortKey::Timeliness, Dir::Asc) => "按逾期天数从少到多排列",
        (_, Dir::Desc) => "从高到低排列",
        (_, Dir::Asc) => "从低到高排列",
    };
    match k {
        SortKey::Agency | SortKey::Published | SortKey::Timeliness => how.to_string(),
        _ => format!("按{}{how}", k.label()),
    }
}

/// Sorts rows by a column: rows without a value last in either direction, ties in the
/// agencies' order.
pub fn sort_rows(rows: &mut [ComparisonRow], key: SortKey, dir: Dir) {
    rows.sort_by(|a, b| {
        let (va, vb) = (key.value(a), key.value(b));
        let ord = match (va, vb) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                if dir == Dir::Desc {
                    o.reverse()
                } else {
                    o
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        ord.then(a.order.cmp(&b.order))
    });
}

impl<'a> Ctx<'a> {
    /// The rows of a year's comparison, in the agencies' order: every agency with a report for
    /// the year, and every agency whose report is overdue (未发布).
    pub(super) fn comparison_rows(&self, year: i32) -> Vec<ComparisonRow> {
        let p = self.portal;
        let mut rows = Vec::new();
        for (order, a) in p.agencies.iter().enumerate() {
            let slug = a.meta.slug.as_str();
            let report = self.report_of(slug, year).map(|i| &p.reports[i]);
            let Some(ReportDue { due, timeliness: t }) =
                self.derived.reports.of_agency(p, order, year)
            else {
                continue;
            };
            if report.is_none() && !matches!(t, Timeliness::Missing { .. }) {
                continue;
            }
            let f = report
                .map(|r| figures::figures(&r.data))
                .unwrap_or_default();
            rows.push(self.comparison_row(order, slug, report, f, due, t));
        }
        // Reports of agencies the portal does not list (validation reports them): still shown.
        if let Some(idx) = self.portal.lookup.reports_by_year.get(&year) {
            for &i in idx {
                let r = &p.reports[i];
                let slug = r.meta.folder_agency.as_deref().unwrap_or("");
                if p.agency(slug).is_none() {
                    let ReportDue { due, timeliness: t } = self.derived.reports.due[i];
                    let f = figures::figures(&r.data);
                    rows.push(self.comparison_row(p.agencies.len() + i, slug, Some(r), f, due, t));
                }
            }
        }
        rows
    }

    fn comparison_row(
        &self,
        order: usize,
        slug: &str,
        report: Option<&Record<Report>>,
        f: Figures,
        due: NaiveDate,
        t: Timeliness,
    ) -> ComparisonRow {
        let apps = f.applications;
        let published = match t {
            Timeliness::OnTime { published } | Timeliness::Late { published, .. } => {
                Some(published)
            }
            _ => None,
        };
        let mut row = ComparisonRow {
            order,
            agency: self.ix.agency(slug),
            url: report
                .map(|r| urls::record(Kind::Report, &r.meta))
                .unwrap_or_default(),
            free_format: report.is_some_and(|r| r.data.format == ReportFormat::Free),
            new: apps.map(|a| a.new),
            handled: apps.map(|a| a.handled),
            disclosed: apps.map(|a| a.disclosed),
            partially_disclosed: apps.map(|a| a.partially_disclosed),
            withheld: apps.map(|a| a.withheld),
            disclosure_rate: apps.and_then(|a| a.disclosure_rate()),
            withheld_share: apps.and_then(|a| a.withheld_share()),
            disclosure_rate_text: percent(apps.and_then(|a| a.disclosure_rate())),
            withheld_share_text: percent(apps.and_then(|a| a.withheld_share())),
            reviews: f.reviews.map(|r| r.reviews),
            lawsuits: f.reviews.map(|r| r.lawsuits()),
            published: published.map(|d| d.to_string()).unwrap_or_default(),
            published_day: published.map(|d| d.num_days_from_ce()),
            due: due.to_string(),
            timeliness: t.label(),
            timeliness_class: t.class(),
            late_days: match t {
                Timeliness::Late { days, .. } => Some(days),
                Timeliness::OnTime { .. } => Some(0),
                _ => None,
            },
            lateness: t.lateness(),
            sort_values: Vec::new(),
        };
        row.sort_values = SortKey::ALL
            .iter()
            .map(|k| k.value(&row).map(|v| v.to_string()).unwrap_or_default())
            .collect();
        row
    }

    /// The year's comparison page, sorted by `sort` (None: the agencies' order).
    pub(super) fn comparison_page(
        &self,
        year: i32,
        sort: Option<(SortKey, Dir)>,
    ) -> (String, &'static str, Context) {
        let base = urls::year(Kind::Report, year);
        let (key, dir) = sort.unwrap_or((SortKey::Agency, Dir::Asc));
        let url = key.url(year, dir);
        let title = format!("{year}年度政府信息公开工作年度报告");
        let mut c = self.base(
            &title,
            &url,
            &[
                ("公开年报", urls::section(Kind::Report)),
                (&format!("{year}年度"), base.clone()),
            ],
        );
        let mut rows = self.comparison_rows(year);
        let count = |class: &str| rows.iter().filter(|r| r.timeliness_class == class).count();
        let summary = [
            ("按时", count("on-time")),
            ("逾期", count("late")),
            ("未发布", count("missing")),
            ("未注明日期", count("undated")),
        ];
        sort_rows(&mut rows, key, dir);
        let headers: Vec<SortHeader> = SortKey::ALL
            .iter()
            .map(|&k| {
                let active = k == key;
                let next = if active { dir.flip() } else { k.default_dir() };
                SortHeader {
                    key: k.name(),
                    label: k.label(),
                    url: k.url(year, next),
                    aria_sort: if active { dir.aria() } else { "" },
                    default_dir: k.default_dir().name(),
                    hint: sort_hint(k, next),
                    hint_asc: sort_hint(k, Dir::Asc),
                    hint_desc: sort_hint(k, Dir::Desc),
                    numeric: !matches!(k, SortKey::Agency),
                }
            })
            .collect();
        if sort.is_some() {
            // A sort order is the same table: search engines should index the base page only.
            let canonical = format!("{}{base}", self.portal.config.base());
            c.insert("canonical", &canonical);
        }
        c.insert("heading", &title);
        c.insert("year", &year);
        c.insert("due_rule", &due_rule(&self.portal.config, year));
        c.insert("rows", &rows);
        c.insert("headers", &headers);
        c.insert("summary", &summary);
        c.insert("sort_label", &sort_hint(key, dir));
        c.insert("base_url", &base);
        c.insert("csv_url", &urls::download(&base, "comparison.csv"));
        c.insert("json_url", &urls::download(&base, "comparison.json"));
        let years = self.derived.reports.years.clone();
        c.insert("years", &years);
        (url, "reports_year.html", c)
    }

    // -----------------------------------------------------------------------------------------
    // The report page

    pub(super) fn report_page(&self, i: usize) -> (String, &'static str, Context) {
        let p = self.portal;
        let r = &p.reports[i];
        let entry = self.report_entry(i);
        let item = &entry.item;
        let url = item.url.clone();
        let title = format!(
            "{}{}年政府信息公开工作年度报告",
            item.agency.name, item.year
        );
        let mut c = self.base(
            &title,
            &url,
            &[
                ("公开年报", urls::section(Kind::Report)),
                (
                    &format!("{}年度", item.year),
                    urls::year(Kind::Report, item.year),
                ),
                (&item.agency.name, url.clone()),
            ],
        );
        c.insert("notices", &self.notices_for(Kind::Report, &r.meta));
        let md = |s: &Option<String>| s.as_deref().map(markdown::to_html).unwrap_or_default();
        let d = &r.data;
        let tables = d.format != ReportFormat::Free;
        let findings = self.findings(i);
        let notes = index_findings(findings);
        #[derive(Serialize)]
        struct Sec {
            number: u8,
            heading: &'static str,
            html: String,
            table: Option<FormTable>,
            /// Section present in the format but not given in the file.
            absent: bool,
        }
        let sections: Vec<Sec> = SECTIONS
            .iter()
            .filter_map(|s| {
                let (html, table) = match s.number {
                    1 => (md(&d.overview), None),
                    5 => (md(&d.problems), None),
                    6 => (md(&d.other), None),
                    _ if !tables => return None,
                    2 => (
                        String::new(),
                        d.proactive.as_ref().map(|v| proactive_table(d.format, v)),
                    ),
                    3 => (
                        String::new(),
                        d.applications
                            .as_ref()
                            .map(|a| applications_table(d.format, a, &notes)),
                    ),
                    _ => (
                        String::new(),
                        d.reviews_and_litigation
                            .as_ref()
                            .map(|rl| reviews_table(rl, &notes)),
                    ),
                };
                if !tables && html.is_empty() {
                    return None;
                }
                let absent = html.is_empty() && table.is_none();
                Some(Sec {
                    number: s.number,
                    heading: s.heading,
                    html,
                    table,
                    absent,
                })
            })
            .collect();
        let arithmetic: Vec<String> = findings
            .iter()
            .filter(|f| f.rule != Rule::CarryOver)
            .map(finding_line)
            .collect();
        let carry: Vec<String> = findings
            .iter()
            .filter(|f| f.rule == Rule::CarryOver)
            .map(finding_line)
            .collect();
        c.insert("heading", &title);
        c.insert("report", &entry);
        c.insert(
            "format_label",
            match d.format {
                ReportFormat::F2021 => "2021年版格式（国办公开办函〔2021〕30号）",
                ReportFormat::Trial2019 => "2019年试行格式（国办公开办函〔2019〕60号）",
                ReportFormat::Free => "自行格式（2019年以前）",
            },
        );
        c.insert("free_format", &!tables);
        c.insert("sections", &sections);
        c.insert("inconsistencies", &arithmetic);
        c.insert("carry_over", &carry);
        c.insert(
            "warn_mode",
            &(p.config.reports.arithmetic == crate::model::config::ArithmeticMode::Warn),
        );
        c.insert("csv_url", &urls::download(&url, "report.csv"));
        c.insert("json_url", &urls::download(&url, "report.json"));
        c.insert(
            "agency_reports_url",
            &urls::agency_reports(&item.agency.slug),
        );
        // Kept for themes written against the simple tables.
        c.insert("overview_html", &md(&d.overview));
        c.insert("problems_html", &md(&d.problems));
        c.insert("other_html", &md(&d.other));
        (url, "report.html", c)
    }

    // -----------------------------------------------------------------------------------------
    // An agency's reports over the years

    pub(super) fn agency_reports_page(&self, i: usize) -> (String, &'static str, Context) {
        let p = self.portal;
        let a = &p.agencies[i];
        let slug = a.meta.slug.as_str();
        let url = urls::agency_reports(slug);
        let title = format!("{}政府信息公开工作年度报告", a.data.name);
        let mut c = self.base(
            &title,
            &url,
            &[
                ("机构设置", urls::section(Kind::Agency)),
                (&a.data.name, urls::agency(slug)),
                ("年度报告", url.clone()),
            ],
        );
        #[derive(Serialize)]
        struct YearLine {
            year: i32,
            report: Option<ReportEntry>,
            due: String,
            timeliness: String,
            timeliness_class: &'static str,
            csv_url: String,
            json_url: String,
        }
        let mut years: BTreeSet<i32> = self.derived.reports.years.iter().copied().collect();
        let own: Vec<usize> = self
            .portal
            .lookup
            .reports_by_agency
            .get(slug)
            .cloned()
            .unwrap_or_default();
        years.extend(own.iter().filter_map(|&i| p.reports[i].meta.year));
        let mut lines = Vec::new();
        for &y in years.iter().rev() {
            match self.report_of(slug, y) {
                Some(ri) => {
                    let e = self.report_entry(ri);
                    lines.push(YearLine {
                        year: y,
                        due: e.due.clone(),
                        timeliness: e.timeliness.clone(),
                        timeliness_class: e.timeliness_class,
                        csv_url: urls::download(&e.item.url, "report.csv"),
                        json_url: urls::download(&e.item.url, "report.json"),
                        report: Some(e),
                    });
                }
                None => {
                    let unreported = self.derived.reports.unreported.get(&(i, y));
                    if let Some(&ReportDue {
                        due,
                        timeliness: t @ Timeliness::Missing { .. },
                    }) = unreported
                    {
                        lines.push(YearLine {
                            year: y,
                            report: None,
                            due: due.to_string(),
                            timeliness: t.label(),
                            timeliness_class: t.class(),
                            csv_url: String::new(),
                            json_url: String::new(),
                        });
                    }
                }
            }
        }
        // Trend data: the years whose report has tables, oldest first.
        let mut data: Vec<(i32, Figures)> = own
            .iter()
            .map(|&i| {
                (
                    p.reports[i].meta.year.unwrap_or(0),
                    figures::figures(&p.reports[i].data),
                )
            })
            .filter(|(_, f)| f.applications.is_some() || f.reviews.is_some())
            .collect();
        data.sort_by_key(|(y, _)| *y);
        c.insert("heading", &title);
        c.insert("agency", &self.ix.agency(slug));
        c.insert("lines", &lines);
        c.insert("charts", &trend_charts(&a.data.name, &data));
        // Kept for themes written against the simple list.
        let reports: Vec<ReportItem> = own
            .iter()
            .map(|&i| report_item(&p.reports[i], &self.ix))
            .collect();
        c.insert("reports", &reports);
        (url, "agency_reports.html", c)
    }
}

fn finding_line(f: &Finding) -> String {
    let col = f
        .column_label
        .map(|c| format!("“{c}”列"))
        .unwrap_or_default();
    format!("{}{col}：{}", f.row_label, note_text(f, false))
}

// ---------------------------------------------------------------------------------------------
// Trend charts

#[derive(Serialize)]
pub struct TrendChart {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// The numbers of the chart: header cells, then one row per year.
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

fn trend(
    id: &str,
    agency: &str,
    title: &str,
    layout: Layout,
    years: &[String],
    series: Vec<Series>,
) -> TrendChart {
    let mut desc = format!("{agency}{title}，");
    let parts: Vec<String> = years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let vals: Vec<String> = series
                .iter()
                .filter_map(|s| {
                    s.values[i].map(|v| {
                        if series.len() == 1 {
                            format!("{v}件")
                        } else {
                            format!("{}{v}件", s.label)
                        }
                    })
                })
                .collect();
            format!("{y}：{}", vals.join("，"))
        })
        .collect();
    desc.push_str(&parts.join("；"));
    desc.push('。');
    let full_title = format!("{agency}{title}");
    let svg = chart::render(&Chart {
        id,
        title: &full_title,
        desc: &desc,
        categories: years,
        series: &series,
        layout,
        unit: "件",
    });
    TrendChart {
        id: id.to_string(),
        title: title.to_string(),
        svg,
        columns: std::iter::once("年度".to_string())
            .chain(series.iter().map(|s| s.label.clone()))
            .collect(),
        rows: years
            .iter()
            .enumerate()
            .map(|(i, y)| {
                (
                    y.clone(),
                    series
                        .iter()
                        .map(|s| s.values[i].map(|v| v.to_string()).unwrap_or_default())
                        .collect(),
                )
            })
            .collect(),
    }
}

/// The three trend charts of an agency: applications received, outcomes, reviews and lawsuits.
pub fn trend_charts(agency: &str, data: &[(i32, Figures)]) -> Vec<TrendChart> {
    let mut out = Vec::new();
    let apps: Vec<(i32, figures::ApplicationFigures)> = data
        .iter()
        .filter_map(|(y, f)| f.applications.map(|a| (*y, a)))
        .collect();
    if !apps.is_empty() {
        let years: Vec<String> = apps.iter().map(|(y, _)| format!("{y}年")).collect();
        out.push(trend(
            "chart-new",
            agency,
            "本年新收政府信息公开申请数量",
            Layout::Grouped,
            &years,
            vec![Series {
                label: "新收申请".into(),
                color: PALETTE[0],
                values: apps.iter().map(|(_, a)| Some(a.new)).collect(),
            }],
        ));
        let outcome_series = (0..6)
            .map(|k| Series {
                label: apps[0].1.outcomes()[k].1.to_string(),
                color: PALETTE[k],
                values: apps.iter().map(|(_, a)| Some(a.outcomes()[k].2)).collect(),
            })
            .collect();
        out.push(trend(
            "chart-outcomes",
            agency,
            "申请办理结果",
            Layout::Stacked,
            &years,
            outcome_series,
        ));
    }
    let rev: Vec<(i32, figures::ReviewFigures)> = data
        .iter()
        .filter_map(|(y, f)| f.reviews.map(|r| (*y, r)))
        .collect();
    if !rev.is_empty() {
        let years: Vec<String> = rev.iter().map(|(y, _)| format!("{y}年")).collect();
        out.push(trend(
            "chart-reviews",
            agency,
            "政府信息公开行政复议、行政诉讼数量",
            Layout::Grouped,
            &years,
            vec![
                Series {
                    label: "行政复议".into(),
                    color: PALETTE[0],
                    values: rev.iter().map(|(_, r)| Some(r.reviews)).collect(),
                },
                Series {
                    label: "行政诉讼".into(),
                    color: PALETTE[5],
                    values: rev.iter().map(|(_, r)| Some(r.lawsuits())).collect(),
                },
            ],
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Downloads

fn data_error(path: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        codes::WRITE_FAILED,
        path,
        format!("cannot write {path}: {e}"),
    )
}

/// The CSV header of the comparison download.
pub const COMPARISON_CSV_HEADER: [&str; 16] = [
    "机关",
    "机关代号",
    "新收申请",
    "办理总数",
    "予以公开",
    "部分公开",
    "公开率（%，含部分公开）",
    "不予公开",
    "不予公开占比（%）",
    "行政复议",
    "行政诉讼",
    "发布日期",
    "应发布日期",
    "按时发布",
    "逾期天数",
    "报告链接",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}", x * 100.0)).unwrap_or_default()
}

fn comparison_csv(rows: &[ComparisonRow], base: &str) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    w.write_record(COMPARISON_CSV_HEADER)?;
    for r in rows {
        w.write_record([
            r.agency.name.clone(),
            r.agency.slug.clone(),
            opt(r.new),
            opt(r.handled),
            opt(r.disclosed),
            opt(r.partially_disclosed),
            pct(r.disclosure_rate),
            opt(r.withheld),
            pct(r.withheld_share),
            opt(r.reviews),
            opt(r.lawsuits),
            r.published.clone(),
            r.due.clone(),
            r.timeliness.clone(),
            opt(r.late_days),
            if r.url.is_empty() {
                String::new()
            } else {
                format!("{base}{}", r.url)
            },
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[derive(Serialize)]
struct ComparisonJsonRow<'a> {
    agency: &'a str,
    agency_name: &'a str,
    new: Option<i64>,
    handled: Option<i64>,
    disclosed: Option<i64>,
    partially_disclosed: Option<i64>,
    disclosure_rate: Option<f64>,
    withheld: Option<i64>,
    withheld_share: Option<f64>,
    reviews: Option<i64>,
    lawsuits: Option<i64>,
    published: Option<&'a str>,
    due: &'a str,
    /// on-time, late, missing, undated
    status: &'a str,
    late_days: Option<i64>,
    url: Option<String>,
}

#[derive(Serialize)]
struct ComparisonJson<'a> {
    year: i32,
    /// The build day the timeliness was judged on.
    as_of: String,
    rows: Vec<ComparisonJsonRow<'a>>,
}

/// Writes report.csv and report.json beside every report page, and comparison.csv and
/// comparison.json beside every year's comparison page. Returns the number of files.
pub(super) fn write_report_data(cx: &Ctx, out: &Path) -> Result<usize, Diagnostic> {
    let p = cx.portal;
    let base = p.config.base();
    (0..p.reports.len()).into_par_iter().try_for_each(|i| {
        let r = &p.reports[i];
        let entry = cx.report_entry(i);
        let url = entry.item.url.clone();
        let csv_path = urls::file_for(&urls::download(&url, "report.csv"));
        let bytes = export::report_csv(&r.data).map_err(|e| data_error(&csv_path, e))?;
        write_file(out, &csv_path, &bytes)?;
        let ReportDue { due, timeliness: t } = cx.derived.reports.due[i];
        let json = export::report_json(
            &r.data,
            ReportMeta {
                agency: r.meta.folder_agency.as_deref().unwrap_or(""),
                agency_name: &entry.item.agency.name,
                year: r.meta.year.unwrap_or(0),
                url: format!("{base}{url}"),
                due,
                timeliness: t,
            },
            cx.findings(i),
        );
        let json_path = urls::file_for(&urls::download(&url, "report.json"));
        let bytes = serde_json::to_vec_pretty(&json).map_err(|e| data_error(&json_path, e))?;
        write_file(out, &json_path, &bytes)
    })?;
    let years = &cx.derived.reports.years;
    years.par_iter().try_for_each(|&year| {
        let rows = cx.comparison_rows(year);
        let page = urls::year(Kind::Report, year);
        let csv_path = urls::file_for(&urls::download(&page, "comparison.csv"));
        let bytes = comparison_csv(&rows, base).map_err(|e| data_error(&csv_path, e))?;
        write_file(out, &csv_path, &bytes)?;
        let json = ComparisonJson {
            year,
            as_of: cx.derived.today.to_string(),
            rows: rows
                .iter()
                .map(|r| ComparisonJsonRow {
                    agency: &r.agency.slug,
                    agency_name: &r.agency.name,
                    new: r.new,
                    handled: r.handled,
                    disclosed: r.disclosed,
                    partially_disclosed: r.partially_disclosed,
                    disclosure_rate: r.disclosure_rate.map(|x| (x * 10000.0).round() / 10000.0),
                    withheld: r.withheld,
                    withheld_share: r.withheld_share.map(|x| (x * 10000.0).round() / 10000.0),
                    reviews: r.reviews,
                    lawsuits: r.lawsuits,
                    published: (!r.published.is_empty()).then_some(r.published.as_str()),
                    due: &r.due,
                    status: r.timeliness_class,
                    late_days: r.late_days,
                    url: (!r.url.is_empty()).then(|| format!("{base}{}", r.url)),
                })
                .collect(),
        };
        let json_path = urls::file_for(&urls::download(&page, "comparison.json"));
        let bytes = serde_json::to_vec_pretty(&json).map_err(|e| data_error(&json_path, e))?;
        write_file(out, &json_path, &bytes)
    })?;
    Ok(p.reports.len() * 2 + years.len() * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(order: usize, new: Option<i64>) -> ComparisonRow {
        ComparisonRow {
            order,
            agency: AgencyRef {
                slug: format!("a{order}"),
                name: String::new(),
                short_name: String::new(),
                url: String::new(),
            },
            url: String::new(),
            free_format: false,
            new,
            handled: None,
            disclosed: None,
            partially_disclosed: None,
            withheld: None,
            disclosure_rate: None,
            withheld_share: None,
            disclosure_rate_text: String::new(),
            withheld_share_text: String::new(),
            reviews: None,
            lawsuits: None,
            published: String::new(),
            published_day: None,
            due: String::new(),
            timeliness: String::new(),
            timeliness_class: "",
            late_days: None,
            lateness: None,
            sort_values: Vec::new(),
        }
    }

    #[test]
    fn missing_values_sort_last_both_ways() {
        let mut rows = vec![
            row(0, None),
            row(1, Some(5)),
            row(2, Some(9)),
            row(3, Some(5)),
        ];
        sort_rows(&mut rows, SortKey::Applications, Dir::Desc);
        let o: Vec<usize> = rows.iter().map(|r| r.order).collect();
        assert_eq!(o, vec![2, 1, 3, 0]);
        sort_rows(&mut rows, SortKey::Applications, Dir::Asc);
        let o: Vec<usize> = rows.iter().map(|r| r.order).collect();
        assert_eq!(o, vec![1, 3, 2, 0]);
    }

    #[test]
    fn sort_urls() {
        assert_eq!(SortKey::Agency.url(2024, Dir::Asc), "/reports/2024/");
        assert_eq!(
            SortKey::Applications.url(2024, Dir::Desc),
            "/reports/2024/sort/applications/"
        );
        assert_eq!(
            SortKey::Applications.url(2024, Dir::Asc),
            "/reports/2024/sort/applications/asc/"
        );
        assert_eq!(sort_orders().len(), 15);
    }

    #[test]
    fn applicant_column_groups_follow_the_form() {
        assert_eq!(applicant_colgroups(), vec![3, 1, 5, 1]);
    }
}
