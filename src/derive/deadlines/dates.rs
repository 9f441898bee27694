//! The dates the rules set for single records: when an agency's annual report is due and
//! whether it came on time, and until when a normative document is valid and what status that
//! gives it on a day. Calendar dates all, never shifted off a weekend or holiday.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::model::config::SiteConfig;
use crate::model::{Agency, AgencyKind, DocStatus, Document, Report};

/// The last reporting year under the 2007 Regulation, whose reports were all due on 31 March.
pub const LAST_YEAR_UNDER_2007_REGULATION: i32 = 2018;

/// The due date of `agency`'s annual report for `year` (published in `year + 1`).
///
/// Reports for 2008–2018 (and any earlier year) were due on 31 March for every agency under the
/// 2007 Regulation. From 2019: the agency's own `report_due` ("MM-DD") if set and valid, else
/// `[deadlines] report_due_department` / `report_due_government` by the agency's kind, else the
/// spec's defaults (01-31 / 03-31). A calendar date: never shifted off a weekend or holiday.
/// 02-29 in a year without one becomes 02-28.
pub fn report_due(agency: &Agency, year: i32, cfg: &SiteConfig) -> NaiveDate {
    let due_year = year + 1;
    if year <= LAST_YEAR_UNDER_2007_REGULATION {
        return month_day(due_year, 3, 31);
    }
    let (rule, default) = match agency.kind {
        AgencyKind::Department => (&cfg.deadlines.report_due_department, (1, 31)),
        AgencyKind::Government => (&cfg.deadlines.report_due_government, (3, 31)),
    };
    let (m, d) = agency
        .report_due
        .as_deref()
        .and_then(parse_month_day)
        .or_else(|| parse_month_day(rule))
        .unwrap_or(default);
    month_day(due_year, m, d)
}

/// Parses "MM-DD" (also "M-D"); `None` unless it names a day of a leap year.
pub fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.trim().split_once('-')?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

/// The date `m`-`d` of `year`, the last day of the month when `d` is too large for it.
fn month_day(year: i32, m: u32, d: u32) -> NaiveDate {
    (1..=d.max(1))
        .rev()
        .find_map(|day| NaiveDate::from_ymd_opt(year, m, day))
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year"))
}

/// Whether `agency`'s report for `year` was published on time, as of `today`.
///
/// `report` is the report on the portal, if any. A report whose `published` date lies after
/// `today` counts as not published yet (so `--today` in the past replays the past faithfully).
pub fn report_timeliness(
    report: Option<&Report>,
    agency: &Agency,
    year: i32,
    cfg: &SiteConfig,
    today: NaiveDate,
) -> Timeliness {
    let due = report_due(agency, year, cfg);
    Timeliness::of(report.map(|r| r.published), due, today)
}

/// The timeliness of one agency's annual report for one year, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Timeliness {
    /// Published on or before the due date.
    OnTime { published: NaiveDate },
    /// Published after the due date, `days` calendar days late.
    Late { published: NaiveDate, days: i64 },
    /// Not published (as of today), and the due date has passed `overdue_days` days ago.
    Missing { overdue_days: i64 },
    /// Not published (as of today), due in `days_left` days (0: due today).
    NotYetDue { days_left: i64 },
    /// On the portal without a publication date: timeliness cannot be judged.
    Undated,
}

impl Timeliness {
    /// `published` is the report's date if the portal has the report (`Some(None)`: undated).
    /// A date after `today` counts as not published yet, so a build for a past day replays it.
    pub fn of(published: Option<Option<NaiveDate>>, due: NaiveDate, today: NaiveDate) -> Self {
        match published {
            Some(None) => Timeliness::Undated,
            Some(Some(p)) if p <= today => {
                if p <= due {
                    Timeliness::OnTime { published: p }
                } else {
                    Timeliness::Late {
                        published: p,
                        days: (p - due).num_days(),
                    }
                }
            }
            _ if today > due => Timeliness::Missing {
                overdue_days: (today - due).num_days(),
            },
            _ => Timeliness::NotYetDue {
                days_left: (due - today).num_days(),
            },
        }
    }

    /// The short label of the comparison table: 按时 / 逾期N天 / 未发布 / 未到期 / 未注明日期.
    pub fn label(&self) -> String {
        match self {
            Timeliness::OnTime { .. } => "按时".into(),
            Timeliness::Late { days, .. } => format!("逾期{days}天"),
            Timeliness::Missing { .. } => "未发布".into(),
            Timeliness::NotYetDue { .. } => "未到期".into(),
            Timeliness::Undated => "未注明日期".into(),
        }
    }

    /// A CSS-friendly name: on-time, late, missing, not-yet-due, undated.
    pub fn class(&self) -> &'static str {
        match self {
            Timeliness::OnTime { .. } => "on-time",
            Timeliness::Late { .. } => "late",
            Timeliness::Missing { .. } => "missing",
            Timeliness::NotYetDue { .. } => "not-yet-due",
            Timeliness::Undated => "undated",
        }
    }

    /// Days late (0 on time), for sorting: missing reports are the latest of all.
    pub fn lateness(&self) -> Option<i64> {
        match self {
            Timeliness::OnTime { .. } => Some(0),
            Timeliness::Late { days, .. } => Some(*days),
            Timeliness::Missing { overdue_days } => Some(i64::MAX / 2 + overdue_days),
            Timeliness::NotYetDue { .. } | Timeliness::Undated => None,
        }
    }
}

/// Whether a title marks a provisional document (暂行 / 试行).
pub fn is_provisional(title: &str) -> bool {
    title.contains("暂行") || title.contains("试行")
}

/// The last day a document is valid.
///
/// An explicit `valid_until` always wins (any document). A `long_term` document (长期有效)
/// has no end. Otherwise, for a normative document only: a period of `[documents] provisional_valid_years` when the title holds 暂行 or 试行,
/// else `valid_years`, starting on `valid_from` (or, without it, `published`). The first day
/// counts, as in "自2023年5月1日起施行，有效期2年" = valid through 2025-04-30: the result is the
/// day before the anniversary (an anniversary on 29 February falls back to the 28th).
/// `None` for a non-normative or `long_term` document without `valid_until`.
pub fn normative_valid_until(doc: &Document, cfg: &SiteConfig) -> Option<NaiveDate> {
    if let Some(until) = doc.valid_until {
        return Some(until);
    }
    if !doc.normative || doc.long_term {
        return None;
    }
    let years = if is_provisional(&doc.title) {
        cfg.documents.provisional_valid_years
    } else {
        cfg.documents.valid_years
    };
    let start = doc.valid_from.unwrap_or(doc.published);
    start
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .and_then(|anniversary| anniversary.pred_opt())
}

/// The status a document has on `today`: its own `repealed` / `amended` / `expired` status if
/// it has one; else `expired` once `today` is past its validity ([`normative_valid_until`]);
/// else its status, `effective` by default.
pub fn effective_status(doc: &Document, cfg: &SiteConfig, today: NaiveDate) -> DocStatus {
    match doc.status {
        Some(s @ (DocStatus::Repealed | DocStatus::Amended | DocStatus::Expired)) => s,
        status => match normative_valid_until(doc, cfg) {
            Some(until) if today > until => DocStatus::Expired,
            _ => status.unwrap_or(DocStatus::Effective),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn month_days() {
        assert_eq!(parse_month_day("01-31"), Some((1, 31)));
        assert_eq!(parse_month_day(" 2-20 "), Some((2, 20)));
        assert_eq!(parse_month_day("02-29"), Some((2, 29)));
        assert_eq!(parse_month_day("02-30"), None);
        assert_eq!(parse_month_day("13-01"), None);
        assert_eq!(parse_month_day("0131"), None);
        assert_eq!(month_day(2025, 2, 29), d("2025-02-28"));
        assert_eq!(month_day(2024, 2, 29), d("2024-02-29"));
    }

    #[test]
    fn timeliness_labels_and_replayed_days() {
        let due = d("2025-01-31");
        let today = d("2025-06-01");
        let t = Timeliness::of(Some(Some(d("2025-01-31"))), due, today);
        assert_eq!(t.label(), "按时");
        let t = Timeliness::of(Some(Some(d("2025-02-03"))), due, today);
        assert_eq!(t.label(), "逾期3天");
        assert_eq!(Timeliness::of(None, due, today).label(), "未发布");
        assert_eq!(
            Timeliness::of(None, due, d("2025-01-10")),
            Timeliness::NotYetDue { days_left: 21 }
        );
        // Published after the build day: not published yet.
        assert_eq!(
            Timeliness::of(Some(Some(d("2025-07-01"))), due, today),
            Timeliness::Missing { overdue_days: 121 }
        );
        assert_eq!(Timeliness::of(Some(None), due, today), Timeliness::Undated);
    }
}
