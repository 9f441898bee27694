//! The derive stage: everything computed from the model for the day of a build, once,
//! before anything is rendered: document validity, decision stages, report due dates and
//! findings, deadline notices, and the documents the search indexes are made of. Render
//! arranges what is here; it computes none of it.

pub mod dates;
pub mod deadlines;
pub mod decisions;
pub mod events;
pub mod report_figures;
pub mod reports;
pub mod requests;
pub mod search_docs;
pub mod validity;

pub use validity::{valid_until, validity, Validity};

use chrono::NaiveDate;

use crate::domain::report_math::ReportFindings;
use crate::model::Portal;

/// What the renderer needs beyond the portal.
pub struct Derived {
    pub today: NaiveDate,
    /// Validity of each document, in the order of `portal.documents`.
    pub validity: Vec<Validity>,
    /// Each decision's stages and consultation, in the order of `portal.decisions`.
    pub decisions: Vec<decisions::DecisionState>,
    /// Report due dates, timeliness and findings.
    pub reports: reports::Reports,
    /// Deadline notices on `today` (see [`deadlines::notices`]).
    pub notices: Vec<deadlines::Notice>,
    /// What happened to the records up to `today`, newest first: the feeds' entries.
    pub events: Vec<events::Event>,
}

/// Derives everything for `today` from a validated portal and what validation's report
/// arithmetic found.
pub fn derive(p: &Portal, report_findings: &[ReportFindings], today: NaiveDate) -> Derived {
    derive_with(p, report_findings, today, true)
}

/// [`derive()`] but the feeds' events, which no page shows: what `serve` needs to show an
/// edited record's page before the rest of the site (`crate::preview`).
pub fn for_pages(p: &Portal, report_findings: &[ReportFindings], today: NaiveDate) -> Derived {
    derive_with(p, report_findings, today, false)
}

fn derive_with(
    p: &Portal,
    report_findings: &[ReportFindings],
    today: NaiveDate,
    with_events: bool,
) -> Derived {
    use rayon::prelude::*;
    let calendar = deadlines::portal_calendar(p);
    let validity: Vec<Validity> = p
        .documents
        .par_iter()
        .map(|d| validity(&d.data, &p.config, today))
        .collect();
    let decisions: Vec<decisions::DecisionState> = p
        .decisions
        .iter()
        .map(|d| decisions::decision_state(&d.data, today))
        .collect();
    // The events are listed on one thread, while the notices are worked out on the others.
    let ((reports, notices), events) = rayon::join(
        || {
            (
                reports::reports(p, report_findings, today),
                deadlines::notices(p, &calendar, today),
            )
        },
        || match with_events {
            true => events::events(p, &validity, &decisions, today),
            false => Vec::new(),
        },
    );
    Derived {
        today,
        validity,
        decisions,
        reports,
        notices,
        events,
    }
}
