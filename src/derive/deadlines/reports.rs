//! Notices about annual reports: due soon, missing past their due date, or published late, for
//! every agency and every year from the portal's earliest report on.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::dates::{report_due, report_timeliness, Timeliness};
use super::notice::{live, DayUnit, Notice, NoticeKind, RecordRef, Severity};
use super::Ctx;
use crate::model::urls;
use crate::model::{Agency, Kind, Record, Report};

impl Ctx<'_> {
    /// Annual reports: for every agency and every year from the earliest report on the portal up
    /// to the last year whose due date has passed or falls within `warn_days`. A portal without
    /// any report gets no report notices.
    pub(super) fn reports(&self, out: &mut Vec<Notice>) {
        let by_key: BTreeMap<(i32, &str), &Record<Report>> = self
            .portal
            .reports
            .iter()
            .filter_map(|r| Some(((r.meta.year?, r.meta.folder_agency.as_deref()?), r)))
            .collect();
        // A portal without any report does not publish reports here: nothing to check.
        let Some(earliest) = by_key.keys().map(|(y, _)| *y).min() else {
            return;
        };
        let horizon = self.today + chrono::Duration::days(self.warn);
        for agency in &self.portal.agencies {
            let a = &agency.data;
            // The last reporting year in view: its due date (in the next year) is on or before
            // `horizon`; the year before last always is.
            let Some(last) = (self.today.year() - 2..=self.today.year())
                .rev()
                .find(|y| report_due(a, *y, self.cfg) <= horizon)
            else {
                continue;
            };
            for year in earliest..=last {
                let report = by_key.get(&(year, agency.meta.slug.as_str()));
                self.report(agency, year, report.copied(), out);
            }
        }
    }

    fn report(
        &self,
        agency: &Record<Agency>,
        year: i32,
        report: Option<&Record<Report>>,
        out: &mut Vec<Notice>,
    ) {
        let a = &agency.data;
        let slug = &agency.meta.slug;
        let due = report_due(a, year, self.cfg);
        let report_title = format!("{}{year}年政府信息公开工作年度报告", a.name);
        let agency_ref = || RecordRef {
            kind: Kind::Agency,
            slug: slug.clone(),
            year: Some(year),
            agency: Some(slug.clone()),
            agency_name: Some(a.name.clone()),
            title: a.name.clone(),
            url: urls::agency(slug),
        };
        let notice = match report_timeliness(report.map(|r| &r.data), a, year, self.cfg, self.today)
        {
            Timeliness::OnTime { .. } | Timeliness::Undated => return,
            Timeliness::NotYetDue { days_left } => {
                if days_left > self.warn {
                    return;
                }
                live(
                    NoticeKind::ReportDue,
                    Severity::Warning,
                    agency_ref(),
                    due,
                    days_left,
                    due - chrono::Duration::days(self.warn),
                    format!("{year}年度政府信息公开工作年度报告应于 {due} 前公开，尚未公开"),
                )
            }
            Timeliness::Missing { overdue_days } => live(
                NoticeKind::ReportMissing,
                Severity::Overdue,
                agency_ref(),
                due,
                -overdue_days,
                due.succ_opt().unwrap_or(due),
                format!("{year}年度政府信息公开工作年度报告应于 {due} 前公开，至今未公开"),
            ),
            Timeliness::Late { published, days } => {
                let r = report.expect("a late report exists");
                let detail = format!("{year}年度报告应于 {due} 前公开，{published} 才公开");
                let message = format!("逾期公开：{detail}，逾期 {days} 天");
                Notice {
                    kind: NoticeKind::ReportLate,
                    severity: Severity::Overdue,
                    record: RecordRef {
                        kind: Kind::Report,
                        slug: slug.clone(),
                        year: Some(year),
                        agency: Some(slug.clone()),
                        agency_name: Some(a.name.clone()),
                        title: report_title,
                        url: urls::record(Kind::Report, &r.meta),
                    },
                    due,
                    days_left: -days,
                    unit: DayUnit::CalendarDays,
                    done: Some(published),
                    since: published,
                    message,
                    detail,
                    fallback_years: Vec::new(),
                }
            }
        };
        out.push(notice);
    }
}
