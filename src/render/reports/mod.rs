//! The annual reports' pages and downloads: the list of every year's reports, a report in the
//! national form's shape, an agency's reports over the years with trend charts, and the year's
//! comparison across agencies with its pre-rendered sort orders; plus their CSV and JSON
//! downloads.
//!
//! The form's rows, labels and columns come from `report_form`; due dates, timeliness and
//! inconsistent cells from derive; everything here only arranges them for the templates.

mod agency;
mod comparison;
mod downloads;
mod form;
mod notes;
mod page;
mod trends;

use chrono::NaiveDate;
use serde::Serialize;

use super::context::{Ctx, ToRender};
use super::views::{report_item, ReportItem};
use crate::derive::deadlines::Timeliness;
use crate::derive::reports::ReportDue;
use crate::domain::report_math::Finding;
use crate::model::urls;
use crate::model::*;

pub(super) use comparison::sort_orders;
pub use comparison::{sort_rows, ComparisonRow, Dir, SortKey};
pub(super) use downloads::write_report_data;
pub use downloads::COMPARISON_CSV_HEADER;
pub use form::{applications_table, proactive_table, reviews_table, FormTable, TBody, TCell, TRow};
pub use notes::note_text;
pub use trends::{trend_charts, TrendChart};

/// A report as the lists show it (a year's reports, an agency's page): its item, due date
/// and timeliness.
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
        c.insert(
            "downloads",
            &crate::render::catalogs::downloads(Kind::Report, None),
        );
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
