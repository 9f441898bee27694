//! Notices about major decisions not decided yet as their planned completion date nears or
//! passes.

use super::notice::{live, Notice, NoticeKind, Severity};
use super::Ctx;
use crate::model::{Decision, DecisionStatus, Record};

impl Ctx<'_> {
    /// A decision whose planned completion date is near or passed while it is still planned,
    /// consulting or reviewing.
    pub(super) fn decision_planned(&self, dec: &Record<Decision>, out: &mut Vec<Notice>) {
        let d = &dec.data;
        let Some(planned) = d.planned else { return };
        if !matches!(
            d.status,
            DecisionStatus::Planned | DecisionStatus::Consulting | DecisionStatus::Reviewing
        ) {
            return;
        }
        let days_left = (planned - self.today).num_days();
        let state = format!("目前状态为“{}”", d.status.label());
        let (kind, severity, since) = if days_left < 0 {
            (
                NoticeKind::DecisionOverdue,
                Severity::Overdue,
                planned.succ_opt().unwrap_or(planned),
            )
        } else if days_left <= self.warn {
            (
                NoticeKind::DecisionDue,
                Severity::Warning,
                planned - chrono::Duration::days(self.warn),
            )
        } else {
            return;
        };
        out.push(live(
            kind,
            severity,
            self.decision_ref(dec),
            planned,
            days_left,
            since,
            format!("计划于 {planned} 前完成决策，{state}"),
        ));
    }
}
