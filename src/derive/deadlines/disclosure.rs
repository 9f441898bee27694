//! Notices about disclosure on time (逾期公开): a document published more than
//! `disclosure_working_days` working days after it was written, or not published yet as that
//! deadline nears or passes. Counted in working days on the portal calendar; a notice says which
//! years had no calendar and were counted on weekdays alone.

use chrono::NaiveDate;

use super::notice::{days_text, DayUnit, Notice, NoticeKind, Severity};
use super::Ctx;
use crate::model::{Document, Record};

impl Ctx<'_> {
    /// 逾期公开: published more than `disclosure_working_days` working days after written.
    pub(super) fn late_disclosure(&self, doc: &Record<Document>, out: &mut Vec<Notice>) {
        let d = &doc.data;
        if d.published <= d.written {
            return;
        }
        let n = self.cfg.deadlines.disclosure_working_days;
        let due = self.cal.add_working_days(d.written, n);
        if d.published > self.today {
            // Not published as of `today` (a replay of the past with --today, or a record
            // scheduled ahead): what the office faced that day, not what happened later.
            self.pending_disclosure(doc, due, out);
            return;
        }
        if d.published <= due.date {
            return;
        }
        let nth = self.cal.working_days_between(d.written, d.published);
        let late_by = self.cal.working_days_between(due.date, d.published);
        let fallback = self.fallback_years(&due, d.written, d.published);
        let mut message = format!(
            "逾期公开：{} 成文，{} 发布，成文后第 {nth} 个工作日才发布（应在 {n} 个工作日内，最迟 {}）",
            d.written, d.published, due.date
        );
        push_fallback_note(&mut message, &fallback);
        out.push(Notice {
            kind: NoticeKind::LateDisclosure,
            severity: Severity::Overdue,
            record: self.document_ref(doc),
            due: due.date,
            days_left: -late_by,
            unit: DayUnit::WorkingDays,
            done: Some(d.published),
            since: d.published,
            detail: message.clone(),
            message,
            fallback_years: fallback,
        });
    }

    /// Years without a working-day calendar that a count ending at `due`, and one from `from`
    /// to `to`, fell back to weekdays for: sorted, each once.
    fn fallback_years(
        &self,
        due: &crate::domain::calendar::WorkingDayResult,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<i32> {
        let mut years = due.used_fallback_years.clone();
        years.extend(self.cal.fallback_years_between(from, to));
        years.sort_unstable();
        years.dedup();
        years
    }

    /// A document written on or before `today` but published after it, planned later than its
    /// disclosure deadline `due`: overdue once `due` has passed, a warning within `warn_days`.
    /// Counted in working days, as the deadline is.
    fn pending_disclosure(
        &self,
        doc: &Record<Document>,
        due: crate::domain::calendar::WorkingDayResult,
        out: &mut Vec<Notice>,
    ) {
        let d = &doc.data;
        if d.written > self.today || d.published <= due.date {
            return;
        }
        let n = self.cfg.deadlines.disclosure_working_days;
        let (kind, severity, since) = if self.today > due.date {
            (
                NoticeKind::DisclosureOverdue,
                Severity::Overdue,
                due.date.succ_opt().unwrap_or(due.date),
            )
        } else if (due.date - self.today).num_days() <= self.warn {
            (
                NoticeKind::DisclosureDue,
                Severity::Warning,
                due.date - chrono::Duration::days(self.warn),
            )
        } else {
            return;
        };
        let days_left = self.cal.working_days_between(self.today, due.date);
        let fallback = self.fallback_years(&due, self.today, due.date);
        let mut detail = format!(
            "{} 成文，应在 {n} 个工作日内（最迟 {}）公开，尚未公开（计划 {} 发布）",
            d.written, due.date, d.published
        );
        push_fallback_note(&mut detail, &fallback);
        let unit = DayUnit::WorkingDays;
        out.push(Notice {
            kind,
            severity,
            record: self.document_ref(doc),
            due: due.date,
            days_left,
            unit,
            done: None,
            since,
            message: format!("{detail}，{}", days_text(kind, days_left, unit, false)),
            detail,
            fallback_years: fallback,
        });
    }
}

/// Says in a notice's sentence which years were counted as plain weekdays, if any.
fn push_fallback_note(sentence: &mut String, years: &[i32]) {
    if !years.is_empty() {
        sentence.push_str(&format!(
            "；{} 年没有工作日历，按周一至周五计算",
            join_years(years)
        ));
    }
}

fn join_years(years: &[i32]) -> String {
    years
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join("、")
}
