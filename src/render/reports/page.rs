//! The page of one annual report: its six sections, tables in the form's shape, the findings
//! of its arithmetic and carry-over, and links to its downloads.

use serde::Serialize;

use super::form::{applications_table, proactive_table, reviews_table, FormTable};
use super::notes::{finding_line, index_findings, Notes};
use crate::domain::report_form::SECTIONS;
use crate::domain::report_math::Rule;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::text::markdown;

impl Ctx<'_> {
    pub(in crate::render) fn report_page(&self, i: usize) -> ToRender {
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
        let d = &r.data;
        let findings = self.findings(i);
        let sections = sections(d, &index_findings(findings));
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
        c.insert("format_label", format_label(d.format));
        c.insert("free_format", &(d.format == ReportFormat::Free));
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
}

/// A section of the report as the page shows it: prose, or a table in the form's shape.
#[derive(Serialize)]
struct Section {
    number: u8,
    heading: &'static str,
    html: String,
    table: Option<FormTable>,
    /// Section present in the format but not given in the file.
    absent: bool,
}

/// The sections of the report's format: sections 1, 5 and 6 as prose, 2, 3 and 4 as tables
/// with `notes` on their cells. A report kept as prose shows only the prose it gives.
fn sections(d: &Report, notes: &Notes) -> Vec<Section> {
    let tables = d.format != ReportFormat::Free;
    SECTIONS
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
                        .map(|a| applications_table(d.format, a, notes)),
                ),
                _ => (
                    String::new(),
                    d.reviews_and_litigation
                        .as_ref()
                        .map(|rl| reviews_table(rl, notes)),
                ),
            };
            if !tables && html.is_empty() {
                return None;
            }
            let absent = html.is_empty() && table.is_none();
            Some(Section {
                number: s.number,
                heading: s.heading,
                html,
                table,
                absent,
            })
        })
        .collect()
}

fn md(s: &Option<String>) -> String {
    s.as_deref().map(markdown::to_html).unwrap_or_default()
}

fn format_label(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::F2021 => "2021年版格式（国办公开办函〔2021〕30号）",
        ReportFormat::Trial2019 => "2019年试行格式（国办公开办函〔2019〕60号）",
        ReportFormat::Free => "自行格式（2019年以前）",
    }
}
