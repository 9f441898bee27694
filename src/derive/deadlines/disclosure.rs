//! Notices about disclosure on time (逾期公开): a document published more than its disclosure
//! period (`disclosure_working_days`, or `[deadlines.by_category]` for its 主题分类) after it
//! was written, or not published yet as that deadline nears or passes. Counted in working days
//! on the portal calendar; a notice says which years had no calendar and were counted on
//! weekdays alone.

use chrono::NaiveDate;

use super::notice::{days_text, DayUnit, Notice, NoticeKind, Severity};
use super::Ctx;
use crate::model::config::Deadlines;
use crate::model::{Document, Record};

/// The day the first 政府信息公开条例 took effect. Nothing obliged an agency to disclose a
/// document within a period before it, so documents written earlier are never late.
pub const FIRST_REGULATION_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2008, 5, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// A document's disclosure period in working days, and the 主题分类 that set it when that is
/// not the general `disclosure_working_days`. Each of its categories has the period
/// `[deadlines.by_category]` gives it, or the general one; the smallest applies, as a document
/// in two categories must meet the stricter rule. A document without categories has the
/// general period.
pub fn disclosure_period<'a>(doc: &'a Document, rules: &Deadlines) -> (u32, Option<&'a str>) {
    let general = rules.disclosure_working_days;
    // Most portals set no period by category: then no category needs reading (100,000
    // documents on every build).
    if rules.by_category.is_empty() {
        return (general, None);
    }
    let mut best: Option<(u32, Option<&str>)> = None;
    for c in &doc.categories {
        let c = c.trim();
        let period = match rules.by_category.get(c) {
            Some(&n) if n != general => (n, Some(c)),
            _ => (general, None),
        };
        if best.is_none_or(|b| period.0 < b.0) {
            best = Some(period);
        }
    }
    best.unwrap_or((general, None))
}

/// "应在 20 个工作日内" or, for a period set by category, "“行政处罚”类信息应在 7 个工作日内".
fn period_text(n: u32, category: Option<&str>) -> String {
    match category {
        Some(c) => format!("“{c}”类信息应在 {n} 个工作日内"),
        None => format!("应在 {n} 个工作日内"),
    }
}

impl Ctx<'_> {
    /// 逾期公开: published more than the document's disclosure period after written.
    pub(super) fn late_disclosure(&self, doc: &Record<Document>, out: &mut Vec<Notice>) {
        let d = &doc.data;
        if d.published <= d.written || d.written < FIRST_REGULATION_IN_FORCE {
            return;
        }
        let (n, category) = disclosure_period(d, &self.cfg.deadlines);
        let due = self.cal.add_working_days(d.written, n);
        if d.published > self.today {
            // Not published as of `today` (a replay of the past with --today, or a record
            // scheduled ahead): what the office faced that day, not what happened later.
            self.pending_disclosure(doc, due, (n, category), out);
            return;
        }
        if d.published <= due.date {
            return;
        }
        let nth = self.cal.working_days_between(d.written, d.published);
        let message = format!(
            "逾期公开：{} 成文，{} 发布，成文后第 {nth} 个工作日才发布（{}，最迟 {}）",
            d.written,
            d.published,
            period_text(n, category),
            due.date
        );
        let fallback = self.fallback_years(&due, d.written, d.published);
        out.push(self.published_late(NoticeKind::LateDisclosure, doc, due.date, message, fallback));
    }

    /// The notice that `doc` was published after `due`: overdue by the working days between,
    /// `message` ending with the years counted without a calendar (`fallback`).
    pub(super) fn published_late(
        &self,
        kind: NoticeKind,
        doc: &Record<Document>,
        due: NaiveDate,
        mut message: String,
        fallback: Vec<i32>,
    ) -> Notice {
        let published = doc.data.published;
        push_fallback_note(&mut message, &fallback);
        Notice {
            kind,
            severity: Severity::Overdue,
            record: self.document_ref(doc),
            due,
            days_left: -self.cal.working_days_between(due, published),
            unit: DayUnit::WorkingDays,
            done: Some(published),
            since: published,
            detail: message.clone(),
            message,
            fallback_years: fallback,
        }
    }

    /// Years without a working-day calendar that a count ending at `due`, and one from `from`
    /// to `to`, fell back to weekdays for: sorted, each once.
    pub(super) fn fallback_years(
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
        (n, category): (u32, Option<&str>),
        out: &mut Vec<Notice>,
    ) {
        let d = &doc.data;
        if d.written > self.today || d.published <= due.date {
            return;
        }
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
            "{} 成文，{}（最迟 {}）公开，尚未公开（计划 {} 发布）",
            d.written,
            period_text(n, category),
            due.date,
            d.published
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
pub(super) fn push_fallback_note(sentence: &mut String, years: &[i32]) {
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::{notices, NoticeKind};
    use super::*;
    use crate::domain::calendar::Calendar;
    use crate::model::testing::{doc, portal};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rules() -> Deadlines {
        let mut rules = Deadlines::default();
        rules.by_category.insert("行政处罚".into(), 7);
        rules.by_category.insert("行政许可".into(), 5);
        rules.by_category.insert("统计".into(), 30);
        rules
    }

    fn with(categories: &str) -> Document {
        doc(
            "a",
            &format!(
                "title: 决定\nagency: scjg\nindex_no: x\ncategories: {categories}\n\
                 written: 2025-03-03\npublished: 2025-03-13\n"
            ),
        )
        .data
    }

    #[test]
    fn the_smallest_period_of_a_documents_categories_applies() {
        let r = rules();
        assert_eq!(disclosure_period(&with("[]"), &r), (20, None));
        assert_eq!(disclosure_period(&with("[市场监管, 通知]"), &r), (20, None));
        assert_eq!(
            disclosure_period(&with("[市场监管, 行政处罚]"), &r),
            (7, Some("行政处罚"))
        );
        assert_eq!(
            disclosure_period(&with("[行政处罚, 行政许可]"), &r),
            (5, Some("行政许可"))
        );
        // A category may have a longer period; another category of the document with the
        // general one is then the stricter.
        assert_eq!(disclosure_period(&with("[统计]"), &r), (30, Some("统计")));
        assert_eq!(disclosure_period(&with("[统计, 通知]"), &r), (20, None));
    }

    #[test]
    fn a_category_period_makes_a_document_late_sooner() {
        // 2025-03-03 + 7 WD = 03-12; published 03-13 is the 8th working day.
        let mut p = portal(vec![doc(
            "penalty",
            "title: 行政处罚决定书\nagency: scjg\nindex_no: x\ncategories: [市场监管, 行政处罚]\n\
             written: 2025-03-03\npublished: 2025-03-13\n",
        )]);
        let cal = Calendar::official();
        assert!(notices(&p, &cal, d("2025-04-01")).is_empty(), "20 days");
        p.config.deadlines = rules();
        let ns = notices(&p, &cal, d("2025-04-01"));
        assert_eq!(ns.len(), 1);
        assert_eq!(
            (ns[0].kind, ns[0].days_left),
            (NoticeKind::LateDisclosure, -1)
        );
        assert_eq!(
            ns[0].message,
            "逾期公开：2025-03-03 成文，2025-03-13 发布，成文后第 8 个工作日才发布（“行政处罚”类信息应在 7 个工作日内，最迟 2025-03-12）"
        );
        // Not yet published on 03-10: the category's deadline is the one that nears.
        let ns = notices(&p, &cal, d("2025-03-10"));
        assert_eq!(ns[0].kind, NoticeKind::DisclosureDue);
        assert!(
            ns[0]
                .detail
                .contains("“行政处罚”类信息应在 7 个工作日内（最迟 2025-03-12）公开"),
            "{}",
            ns[0].detail
        );
    }

    #[test]
    fn documents_written_before_the_first_regulation_are_never_late() {
        let late = |written: &str| {
            portal(vec![doc(
                "old",
                &format!(
                    "title: 通知\nagency: gov\nindex_no: x\nwritten: {written}\npublished: 2008-09-01\n"
                ),
            )])
        };
        let cal = Calendar::official();
        assert!(notices(&late("2008-04-30"), &cal, d("2025-01-01")).is_empty());
        let ns = notices(&late("2008-05-01"), &cal, d("2025-01-01"));
        assert_eq!(ns.len(), 1);
        assert_eq!(ns[0].kind, NoticeKind::LateDisclosure);
        // 2008 has its calendar: 05-01…05-03 off, Sunday 05-04 worked.
        assert!(ns[0].fallback_years.is_empty());
        assert_eq!(ns[0].due, d("2008-05-29"));
    }
}
