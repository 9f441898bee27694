//! Notices about policy interpretations (政策解读): an interpretation published more than
//! `interpretation_working_days` working days after the document it explains, and a
//! normative document in force with no interpretation once that time has passed. The national
//! website rules ask for both to be published together; a few working days' grace is the
//! portal's setting.

use super::dates::effective_status;
use super::disclosure::push_fallback_note;
use super::notice::{days_text, DayUnit, Notice, NoticeKind, Severity};
use super::Ctx;
use crate::model::{DocStatus, Document, Record};

impl Ctx<'_> {
    /// 解读逾期: each document `doc` explains that it followed by more than the allowed time.
    pub(super) fn late_interpretation(&self, doc: &Record<Document>, out: &mut Vec<Notice>) {
        let d = &doc.data;
        if d.published > self.today {
            return;
        }
        let n = self.cfg.deadlines.interpretation_working_days;
        for target in self.portal.interpreted(d) {
            let t = &self.portal.documents[target];
            if t.meta.slug == doc.meta.slug {
                continue;
            }
            let due = self.cal.add_working_days(t.data.published, n);
            if d.published <= due.date {
                continue;
            }
            let message = format!(
                "解读逾期：所解读的《{}》{} 发布，解读 {} 才发布（应在 {n} 个工作日内，最迟 {}）",
                t.data.title, t.data.published, d.published, due.date
            );
            let fallback = self.fallback_years(&due, due.date, d.published);
            out.push(self.published_late(
                NoticeKind::InterpretationLate,
                doc,
                due.date,
                message,
                fallback,
            ));
        }
    }

    /// 缺少解读: a normative document in force, published more than the allowed time ago, that
    /// no interpretation published by `today` explains.
    pub(super) fn missing_interpretation(
        &self,
        i: usize,
        doc: &Record<Document>,
        out: &mut Vec<Notice>,
    ) {
        let d = &doc.data;
        if !d.normative || d.published > self.today {
            return;
        }
        if effective_status(d, self.cfg, self.today) != DocStatus::Effective {
            return;
        }
        let explained = self
            .portal
            .lookup
            .interpretations
            .get(&i)
            .is_some_and(|list| {
                list.iter()
                    .any(|&j| self.portal.documents[j].data.published <= self.today)
            });
        if explained {
            return;
        }
        let n = self.cfg.deadlines.interpretation_working_days;
        let due = self.cal.add_working_days(d.published, n);
        if self.today <= due.date {
            return;
        }
        let days_left = -self.cal.working_days_between(due.date, self.today);
        let kind = NoticeKind::InterpretationMissing;
        let unit = DayUnit::WorkingDays;
        let mut detail = format!(
            "规范性文件 {} 发布，应在 {n} 个工作日内（最迟 {}）发布政策解读，尚无解读",
            d.published, due.date
        );
        let mut fallback = due.used_fallback_years.clone();
        fallback.extend(self.cal.fallback_years_between(due.date, self.today));
        fallback.sort_unstable();
        fallback.dedup();
        push_fallback_note(&mut detail, &fallback);
        out.push(Notice {
            kind,
            severity: Severity::Warning,
            record: self.document_ref(doc),
            due: due.date,
            days_left,
            unit,
            done: None,
            since: due.date.succ_opt().unwrap_or(due.date),
            message: format!("{detail}，{}", days_text(kind, days_left, unit, false)),
            detail,
            fallback_years: fallback,
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::{notices, NoticeKind, Severity};
    use crate::domain::calendar::Calendar;
    use crate::model::testing::{doc, portal};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const POLICY: &str = "title: 示例市某某管理办法\nagency: gov\nindex_no: x\nnormative: true\n\
                          written: 2025-03-03\npublished: 2025-03-07\n";

    fn interpretation(published: &str) -> crate::model::Record<crate::model::Document> {
        doc(
            "policy-jiedu",
            &format!(
                "title: 《示例市某某管理办法》解读\nagency: gov\nindex_no: y\n\
                 written: {published}\npublished: {published}\ninterprets: policy\n\
                 interpretation: 文字解读\n"
            ),
        )
    }

    fn kinds(p: &crate::model::Portal, today: &str) -> Vec<(NoticeKind, Severity, String)> {
        notices(p, &Calendar::official(), d(today))
            .into_iter()
            .filter(|n| {
                matches!(
                    n.kind,
                    NoticeKind::InterpretationLate | NoticeKind::InterpretationMissing
                )
            })
            .map(|n| (n.kind, n.severity, n.record.slug))
            .collect()
    }

    #[test]
    fn a_policy_without_interpretation_is_noticed_once_the_time_has_passed() {
        let p = portal(vec![doc("policy", POLICY)]);
        // Friday 03-07 + 3 working days = Wednesday 03-12.
        assert!(kinds(&p, "2025-03-12").is_empty());
        assert_eq!(
            kinds(&p, "2025-03-13"),
            [(
                NoticeKind::InterpretationMissing,
                Severity::Warning,
                "policy".to_string()
            )]
        );
        let n = notices(&p, &Calendar::official(), d("2025-03-14"));
        let n = n
            .iter()
            .find(|n| n.kind == NoticeKind::InterpretationMissing)
            .unwrap();
        assert_eq!((n.due, n.days_left), (d("2025-03-12"), -2));
        assert!(n.message.contains("最迟 2025-03-12"), "{}", n.message);
    }

    #[test]
    fn an_interpretation_on_time_silences_it_and_a_late_one_is_overdue() {
        let on_time = portal(vec![doc("policy", POLICY), interpretation("2025-03-12")]);
        assert!(kinds(&on_time, "2025-06-01").is_empty());
        // Before it is published it does not count yet.
        let late = portal(vec![doc("policy", POLICY), interpretation("2025-03-14")]);
        assert_eq!(
            kinds(&late, "2025-03-13"),
            [(
                NoticeKind::InterpretationMissing,
                Severity::Warning,
                "policy".to_string()
            )]
        );
        let ns = notices(&late, &Calendar::official(), d("2025-06-01"));
        let n: Vec<_> = ns
            .iter()
            .filter(|n| n.kind == NoticeKind::InterpretationLate)
            .collect();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].record.slug, "policy-jiedu");
        assert_eq!((n[0].severity, n[0].days_left), (Severity::Overdue, -2));
        assert_eq!(n[0].done, Some(d("2025-03-14")));
        assert!(!ns
            .iter()
            .any(|n| n.kind == NoticeKind::InterpretationMissing));
    }

    #[test]
    fn only_normative_documents_in_force_need_one() {
        let plain = POLICY.replace("normative: true\n", "");
        assert!(kinds(&portal(vec![doc("policy", &plain)]), "2025-06-01").is_empty());
        let repealed = format!("{POLICY}status: repealed\n");
        assert!(kinds(&portal(vec![doc("policy", &repealed)]), "2025-06-01").is_empty());
    }
}
