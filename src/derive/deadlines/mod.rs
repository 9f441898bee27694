//! Stage "derive": deadlines and the notices they produce.
//!
//! The module is pure: `(portal, calendar, today) → Vec<Notice>`, with the rules taken from the
//! portal's `site.toml` (`[deadlines]`, `[documents]`). Nothing here reads the clock or the disk;
//! the caller passes `today` (the CLI's `--today`, or [`crate::domain::calendar::today_utc8`]).
//!
//! # The rules and how each counts
//!
//! | notice | due date | counted in |
//! |---|---|---|
//! | annual report due / missing / late | Y+1-MM-DD from `[deadlines]` or the agency's `report_due`; 03-31 for every report of 2008–2018 | calendar days (a fixed date, never shifted off a weekend) |
//! | late disclosure (逾期公开) | `written` + `disclosure_working_days` working days, or the smallest period `[deadlines.by_category]` gives the document's categories (the day of writing not counted); none for documents written before 2008-05-01 | working days on the portal calendar |
//! | consultation open / closing soon / closed | `consultation.end` | calendar days (日 without 工作日) |
//! | normative document expiring / expired (until its status or validity is updated) | [`normative_valid_until`] | calendar days |
//! | interpretation late / missing (政策解读) | the explained document's `published` + `interpretation_working_days` working days | working days on the portal calendar |
//! | decision due / overdue | `planned` | calendar days |
//!
//! `Notice::days_left` is measured from `today` to `due` (negative once passed) for notices that
//! are still open; for a notice about something done late (a late report, a late disclosure) it
//! is measured from the due date to the day it was done (`Notice::done`), negated — so it is the
//! lateness, fixed forever, and does not grow with `today`.
//!
//! This module holds the public API and runs every rule over a portal; the rest has its file:
//! - `notice.rs`: the notice types and their wording;
//! - `dates.rs`: the dates of single records (report due dates and timeliness, normative
//!   documents' validity and status);
//! - one file per row of the table above, each adding its rule as a method of `Ctx`:
//!   `reports.rs`, `disclosure.rs`, `consultations.rs`, `normative.rs`, `decisions.rs`.

mod consultations;
mod dates;
mod decisions;
mod disclosure;
mod interpretation;
mod normative;
mod notice;
mod reports;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::domain::calendar::Calendar;
use crate::model::config::SiteConfig;
use crate::model::urls;
use crate::model::{Decision, Document, Kind, Portal, Record};

pub use consultations::CONSULTATION_CLOSING_SOON_DAYS;
pub use dates::{
    effective_status, is_provisional, normative_valid_until, parse_month_day, report_due,
    report_timeliness, Timeliness, LAST_YEAR_UNDER_2007_REGULATION,
};
pub use disclosure::{disclosure_period, FIRST_REGULATION_IN_FORCE};
pub use notice::{DayUnit, Notice, NoticeKind, RecordRef, Section, Severity};

/// The working-day calendar of a portal: the shipped official years, with the portal's own
/// `content/calendar/<year>.yaml` files replacing or adding years.
pub fn portal_calendar(portal: &Portal) -> Calendar {
    Calendar::official().with_overrides(
        portal
            .calendars
            .iter()
            .filter_map(|r| r.meta.year.map(|y| (y, r.data.clone()))),
    )
}

/// Every notice of the portal on `today`, most severe first, then by due date.
///
/// Rules come from `portal.config` (`[deadlines]`, `[documents]`); working days from `cal`
/// (normally [`portal_calendar`]).
pub fn notices(portal: &Portal, cal: &Calendar, today: NaiveDate) -> Vec<Notice> {
    let ctx = Ctx {
        portal,
        cal,
        today,
        cfg: &portal.config,
        warn: i64::from(portal.config.deadlines.warn_days),
    };
    let mut out = Vec::new();
    ctx.reports(&mut out);
    // Each document's rules count working days in the calendar: at 100,000 records the
    // documents took a fifth of a second on one thread.
    out.par_extend(
        portal
            .documents
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, doc)| {
                let mut found = Vec::new();
                ctx.late_disclosure(doc, &mut found);
                ctx.normative(doc, &mut found);
                ctx.late_interpretation(doc, &mut found);
                ctx.missing_interpretation(i, doc, &mut found);
                found
            }),
    );
    for decision in &portal.decisions {
        ctx.consultation(decision, &mut out);
        ctx.decision_planned(decision, &mut out);
    }
    sort_notices(&mut out);
    out
}

/// Most severe first, then earliest due, then by kind and id.
pub fn sort_notices(notices: &mut [Notice]) {
    notices.sort_by_cached_key(|n| (std::cmp::Reverse(n.severity), n.due, n.kind, n.id()));
}

/// True when a notice of severity `fail_on` or more severe exists (`--fail-on`).
pub fn should_fail(notices: &[Notice], fail_on: Severity) -> bool {
    notices.iter().any(|n| n.severity >= fail_on)
}

/// The years counted on weekdays alone by any notice, ascending, for one warning.
pub fn fallback_years(notices: &[Notice]) -> Vec<i32> {
    let mut years: Vec<i32> = notices
        .iter()
        .flat_map(|n| n.fallback_years.iter().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// What the rules read: the portal, its working-day calendar, the day, the portal's settings and
/// `warn_days` as a number. The references to records the notices share are made here.
struct Ctx<'a> {
    portal: &'a Portal,
    cal: &'a Calendar,
    today: NaiveDate,
    cfg: &'a SiteConfig,
    warn: i64,
}

impl Ctx<'_> {
    fn agency_name(&self, slug: &str) -> Option<String> {
        self.portal.agency(slug).map(|a| a.data.name.clone())
    }

    /// A reference to a record that belongs to one agency.
    fn agency_record_ref(
        &self,
        kind: Kind,
        meta: &crate::model::Meta,
        agency: &str,
        title: &str,
    ) -> RecordRef {
        RecordRef {
            kind,
            slug: meta.slug.clone(),
            year: meta.year,
            agency: Some(agency.to_string()),
            agency_name: self.agency_name(agency),
            title: title.to_string(),
            url: urls::record(kind, meta),
        }
    }

    fn document_ref(&self, doc: &Record<Document>) -> RecordRef {
        self.agency_record_ref(Kind::Document, &doc.meta, &doc.data.agency, &doc.data.title)
    }

    fn decision_ref(&self, dec: &Record<Decision>) -> RecordRef {
        self.agency_record_ref(Kind::Decision, &dec.meta, &dec.data.agency, &dec.data.title)
    }
}
