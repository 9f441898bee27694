//! The reports' downloads: report.csv and report.json beside every report page, and
//! comparison.csv and comparison.json beside every year's comparison.

use crate::render::output::Output;

use rayon::prelude::*;
use serde::Serialize;

use super::comparison::ComparisonRow;
use crate::derive::reports::ReportDue;
use crate::diagnostics::{codes, Diagnostic};
use crate::model::urls;
use crate::model::*;
use crate::render::context::Ctx;
use crate::render::export::{self, ReportMeta, BOM};

fn data_error(path: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        codes::WRITE_FAILED,
        path,
        crate::zh_en!(
            format!("无法写入 {path}：{e}"),
            format!("cannot write {path}: {e}")
        ),
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

impl<'a> ComparisonJsonRow<'a> {
    fn new(r: &'a ComparisonRow, base: &str) -> Self {
        ComparisonJsonRow {
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
        }
    }
}

/// Writes report.csv and report.json beside every report page, and comparison.csv and
/// comparison.json beside every year's comparison page. Returns the number of files.
pub(in crate::render) fn write_report_data(cx: &Ctx, out: &Output) -> Result<usize, Diagnostic> {
    let p = cx.portal;
    (0..p.reports.len())
        .into_par_iter()
        .try_for_each(|i| write_report_files(cx, out, i))?;
    let years = &cx.derived.reports.years;
    years
        .par_iter()
        .try_for_each(|&year| write_comparison_files(cx, out, year))?;
    Ok(p.reports.len() * 2 + years.len() * 2)
}

/// report.csv and report.json of report `i`.
fn write_report_files(cx: &Ctx, out: &Output, i: usize) -> Result<(), Diagnostic> {
    let p = cx.portal;
    let base = p.config.base();
    let r = &p.reports[i];
    let entry = cx.report_entry(i);
    let url = entry.item.url.clone();
    let csv_path = urls::file_for(&urls::download(&url, "report.csv"));
    let bytes = export::report_csv(&r.data).map_err(|e| data_error(&csv_path, e))?;
    out.write(&csv_path, &bytes)?;
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
    out.write(&json_path, &bytes)
}

/// comparison.csv and comparison.json of `year`'s comparison.
fn write_comparison_files(cx: &Ctx, out: &Output, year: i32) -> Result<(), Diagnostic> {
    let base = cx.portal.config.base();
    let rows = cx.comparison_rows(year);
    let page = urls::year(Kind::Report, year);
    let csv_path = urls::file_for(&urls::download(&page, "comparison.csv"));
    let bytes = comparison_csv(&rows, base).map_err(|e| data_error(&csv_path, e))?;
    out.write(&csv_path, &bytes)?;
    let json = ComparisonJson {
        year,
        as_of: cx.derived.today.to_string(),
        rows: rows
            .iter()
            .map(|r| ComparisonJsonRow::new(r, base))
            .collect(),
    };
    let json_path = urls::file_for(&urls::download(&page, "comparison.json"));
    let bytes = serde_json::to_vec_pretty(&json).map_err(|e| data_error(&json_path, e))?;
    out.write(&json_path, &bytes)
}
