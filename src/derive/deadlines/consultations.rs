//! Notices about a decision's public consultation (征求意见): open, closing soon, or closed
//! within the last `warn_days` days; once closed, saying whether the decision has published how
//! the comments were taken up (意见采纳情况).

use super::notice::{live, Notice, NoticeKind, Severity};
use super::Ctx;
use crate::model::{Decision, DecisionStatus, Record};

/// A consultation is "closing soon" in its last this many calendar days (capped by `warn_days`).
pub const CONSULTATION_CLOSING_SOON_DAYS: i64 = 7;

impl Ctx<'_> {
    /// Public consultation: open, closing soon, or closed within the last `warn_days` days.
    pub(super) fn consultation(&self, dec: &Record<Decision>, out: &mut Vec<Notice>) {
        let d = &dec.data;
        let Some(c) = &d.consultation else { return };
        if d.status == DecisionStatus::Withdrawn || c.start > self.today || c.end < c.start {
            return;
        }
        let days_left = (c.end - self.today).num_days();
        let period = format!("{} 至 {}", c.start, c.end);
        let soon = CONSULTATION_CLOSING_SOON_DAYS.min(self.warn);
        let (kind, severity, since, detail) = if days_left >= 0 {
            let kind = if days_left < soon {
                NoticeKind::ConsultationClosingSoon
            } else {
                NoticeKind::ConsultationOpen
            };
            let severity = if kind == NoticeKind::ConsultationClosingSoon {
                Severity::Warning
            } else {
                Severity::Info
            };
            let since = if kind == NoticeKind::ConsultationClosingSoon {
                (c.end - chrono::Duration::days(soon - 1)).max(c.start)
            } else {
                c.start
            };
            (kind, severity, since, format!("公开征求意见（{period}）"))
        } else if -days_left <= self.warn {
            let adopted = if c.summary.is_some() || c.adopted.is_some() {
                "已公布意见采纳情况"
            } else {
                "尚未公布意见采纳情况"
            };
            (
                NoticeKind::ConsultationClosed,
                Severity::Info,
                c.end.succ_opt().unwrap_or(c.end),
                format!("公开征求意见（{period}），{adopted}"),
            )
        } else {
            return;
        };
        out.push(live(
            kind,
            severity,
            self.decision_ref(dec),
            c.end,
            days_left,
            since,
            detail,
        ));
    }
}
