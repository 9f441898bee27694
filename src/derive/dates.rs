//! When a record was first published and when it last changed, as far as its file tells: the
//! dates the downloads, the feeds and the sitemap's `lastmod` give. A date the file does not
//! give is `None`, never the day of the build: a journalist comparing two downloads must be
//! able to trust that a date moved only because the record did.

use chrono::NaiveDate;

use crate::derive::decisions::DecisionState;
use crate::derive::Validity;
use crate::model::*;

/// First published and last changed, where known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordDates {
    pub first_published: Option<NaiveDate>,
    pub last_changed: Option<NaiveDate>,
}

/// A power or service item: its log of changes (oldest first, but read in any order), a
/// power item's 施行日期 where the log is empty. Changes dated after `today` are announced,
/// not yet made.
pub fn item_dates(
    changes: &[Change],
    effective: Option<NaiveDate>,
    today: NaiveDate,
) -> RecordDates {
    let made = changes.iter().map(|c| c.date).filter(|d| *d <= today);
    let first = changes
        .iter()
        .filter(|c| matches!(c.action, ChangeAction::Added | ChangeAction::Received))
        .map(|c| c.date)
        .min()
        .or(effective)
        .or_else(|| made.clone().min());
    RecordDates {
        first_published: first,
        last_changed: made.max().or(effective).or(first),
    }
}

/// A decision: the first and the latest of its stages that had begun by `today`.
pub fn decision_dates(state: &DecisionState, today: NaiveDate) -> RecordDates {
    let begun = state
        .stages
        .iter()
        .flat_map(|s| [Some(s.date), s.end].into_iter().flatten())
        .filter(|d| *d <= today);
    RecordDates {
        first_published: begun.clone().min(),
        last_changed: begun.max(),
    }
}

/// A document: its 发布日期; it last changed when it expired (the day after its last valid
/// day) or when the document that replaced it was published, whichever is later and has come.
pub fn document_dates(p: &Portal, d: &Document, v: &Validity, today: NaiveDate) -> RecordDates {
    let expired = v
        .valid_until
        .and_then(|u| u.succ_opt())
        .filter(|day| *day <= today);
    let replaced = d
        .replaced_by
        .as_deref()
        .and_then(|s| p.document(s))
        .map(|r| r.data.published)
        .filter(|day| *day <= today);
    RecordDates {
        first_published: Some(d.published),
        last_changed: [Some(d.published), expired, replaced]
            .into_iter()
            .flatten()
            .max(),
    }
}

/// A report: its 发布日期, if the file gives one.
pub fn report_dates(r: &Report) -> RecordDates {
    RecordDates {
        first_published: r.published,
        last_changed: r.published,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn change(date: &str, action: ChangeAction) -> Change {
        Change {
            date: day(date),
            action,
            basis: None,
            note: None,
        }
    }

    #[test]
    fn an_item_dates_from_its_log_and_ignores_announced_changes() {
        let log = [
            change("2020-01-01", ChangeAction::Added),
            change("2023-05-01", ChangeAction::Modified),
            change("2030-01-01", ChangeAction::Abolished),
        ];
        let d = item_dates(&log, None, day("2025-06-01"));
        assert_eq!(d.first_published, Some(day("2020-01-01")));
        assert_eq!(d.last_changed, Some(day("2023-05-01")));
        let none = item_dates(&[], Some(day("2019-03-01")), day("2025-06-01"));
        assert_eq!(none.first_published, Some(day("2019-03-01")));
        assert_eq!(none.last_changed, Some(day("2019-03-01")));
        assert_eq!(
            item_dates(&[], None, day("2025-06-01")),
            RecordDates::default()
        );
    }
}
