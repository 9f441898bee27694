//! Annual reports on the day of a build: each report's due date and timeliness, the due
//! dates of the reports that are missing, and the years that get a comparison page.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};

use super::deadlines::{report_due, Timeliness};
use super::report_figures::{self, Figures};
use crate::domain::report_math::{Finding, ReportFindings};
use crate::model::{Agency, Portal, Report};

/// When a report was due and whether it came in time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportDue {
    pub due: NaiveDate,
    pub timeliness: Timeliness,
}

/// The reports of a portal, as of a day.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    /// Years with a comparison page: every year with a report on the portal, and every later
    /// year (up to the last one whose due date has passed) in which some agency is missing
    /// its report, so that a year nobody reported for still shows who is late.
    pub years: Vec<i32>,
    /// Per report, in the portal's order.
    pub due: Vec<ReportDue>,
    /// Per report, what its arithmetic found (own tables, then the carry-over).
    pub findings: Vec<Vec<Finding>>,
    /// Per report, its headline figures (comparison tables, trends, downloads).
    pub figures: Vec<Figures>,
    /// For each agency (by position) and each of [`Reports::years`] it has no report for.
    pub unreported: HashMap<(usize, i32), ReportDue>,
}

impl Reports {
    /// The due date and timeliness of agency `agency`'s report for `year`: its report's
    /// when the portal has one, else the missing report's.
    pub fn of_agency(&self, p: &Portal, agency: usize, year: i32) -> Option<ReportDue> {
        match p.lookup.report_of(p, &p.agencies[agency].meta.slug, year) {
            Some(i) => Some(self.due[i]),
            None => self.unreported.get(&(agency, year)).copied(),
        }
    }
}

/// The due date and timeliness of `agency`'s report for `year` (`report`: the one on the
/// portal, if any). An unknown agency is treated as a department, the stricter rule.
fn due_of(
    p: &Portal,
    agency: Option<&Agency>,
    year: i32,
    report: Option<&Report>,
    today: NaiveDate,
) -> ReportDue {
    let fallback = Agency::default();
    let agency = agency.unwrap_or(&fallback);
    let due = report_due(agency, year, &p.config);
    ReportDue {
        due,
        timeliness: Timeliness::of(report.map(|r| r.published), due, today),
    }
}

pub fn reports(p: &Portal, findings: &[ReportFindings], today: NaiveDate) -> Reports {
    let mut years: BTreeSet<i32> = p
        .lookup
        .reports_by_year
        .keys()
        .copied()
        .filter(|y| *y > 0)
        .collect();
    if let Some(&first) = years.iter().next() {
        for y in first..today.year() {
            let due_passed = p
                .agencies
                .iter()
                .any(|a| report_due(&a.data, y, &p.config) < today);
            if due_passed {
                years.insert(y);
            }
        }
    }
    let years: Vec<i32> = years.into_iter().collect();
    let due = p
        .reports
        .iter()
        .map(|r| {
            let agency = p.agency(r.meta.folder_agency.as_deref().unwrap_or(""));
            due_of(
                p,
                agency.map(|a| &a.data),
                r.meta.year.unwrap_or(0),
                Some(&r.data),
                today,
            )
        })
        .collect();
    let mut unreported = HashMap::new();
    for (i, a) in p.agencies.iter().enumerate() {
        for &y in &years {
            if p.lookup.report_of(p, &a.meta.slug, y).is_none() {
                unreported.insert((i, y), due_of(p, Some(&a.data), y, None, today));
            }
        }
    }
    Reports {
        years,
        due,
        findings: findings.iter().map(ReportFindings::all).collect(),
        figures: p
            .reports
            .iter()
            .map(|r| report_figures::figures(&r.data))
            .collect(),
        unreported,
    }
}
