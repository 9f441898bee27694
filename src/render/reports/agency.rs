//! An agency's reports over the years: a line per year (with the years it has not reported
//! when they are overdue) and trend charts of its figures.

use std::collections::BTreeSet;

use serde::Serialize;

use super::trends::trend_charts;
use super::ReportEntry;
use crate::derive::deadlines::Timeliness;
use crate::derive::report_figures::Figures;
use crate::derive::reports::ReportDue;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::render::views::{report_item, ReportItem};

/// A year of the agency's reports: its report with due date and timeliness, or the report
/// it has not published.
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

impl Ctx<'_> {
    pub(in crate::render) fn agency_reports_page(&self, i: usize) -> ToRender {
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
        let own = p
            .lookup
            .reports_by_agency
            .get(slug)
            .map_or(&[][..], Vec::as_slice);
        c.insert("heading", &title);
        c.insert("agency", &self.ix.agency(slug));
        c.insert("lines", &self.year_lines(i, own));
        c.insert("charts", &trend_charts(&a.data.name, &self.trend_data(own)));
        // Kept for themes written against the simple list.
        let reports: Vec<ReportItem> = own
            .iter()
            .map(|&i| report_item(&p.reports[i], &self.ix))
            .collect();
        c.insert("reports", &reports);
        (url, "agency_reports.html", c)
    }

    /// The lines of agency `i`, newest year first: the years of the comparison and the years of
    /// its own reports (`own`); a year without its report only when the report is overdue.
    fn year_lines(&self, i: usize, own: &[usize]) -> Vec<YearLine> {
        let p = self.portal;
        let slug = p.agencies[i].meta.slug.as_str();
        let mut years: BTreeSet<i32> = self.derived.reports.years.iter().copied().collect();
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
        lines
    }

    /// Trend data: the years whose report has tables, oldest first.
    fn trend_data(&self, own: &[usize]) -> Vec<(i32, Figures)> {
        let p = self.portal;
        let mut data: Vec<(i32, Figures)> = own
            .iter()
            .map(|&i| {
                (
                    p.reports[i].meta.year.unwrap_or(0),
                    self.derived.reports.figures[i],
                )
            })
            .filter(|(_, f)| f.applications.is_some() || f.reviews.is_some())
            .collect();
        data.sort_by_key(|(y, _)| *y);
        data
    }
}
