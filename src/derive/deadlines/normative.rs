//! Notices about normative documents whose validity ([`normative_valid_until`]) ends within
//! `warn_days`, or has ended while the document still says nothing of what became of it,
//! saying when the period was presumed.

use super::dates::{is_provisional, normative_valid_until};
use super::notice::{live, Notice, NoticeKind, Severity};
use super::Ctx;
use crate::model::{DocStatus, Document, Record};

impl Ctx<'_> {
    /// Normative documents whose validity ends within `warn_days`, or has ended. An ended
    /// period keeps its notice until the officer records the outcome — `status` expired,
    /// repealed or amended, a new `valid_until`, or `long_term` — since a document that merely
    /// ran out of time is one nobody has reviewed (规范性文件清理), however long ago that was.
    pub(super) fn normative(&self, doc: &Record<Document>, out: &mut Vec<Notice>) {
        let d = &doc.data;
        if !d.normative || d.published > self.today {
            return;
        }
        if matches!(
            d.status,
            Some(DocStatus::Repealed | DocStatus::Amended | DocStatus::Expired)
        ) {
            return;
        }
        let Some(until) = normative_valid_until(d, self.cfg) else {
            return;
        };
        let days_left = (until - self.today).num_days();
        let presumed = if d.valid_until.is_some() {
            String::new()
        } else if is_provisional(&d.title) {
            format!(
                "（未标注有效期，按暂行、试行文件 {} 年推定）",
                self.cfg.documents.provisional_valid_years
            )
        } else {
            format!(
                "（未标注有效期，按 {} 年推定）",
                self.cfg.documents.valid_years
            )
        };
        let (kind, severity, since, detail) = if (0..=self.warn).contains(&days_left) {
            (
                NoticeKind::NormativeExpiring,
                Severity::Warning,
                until - chrono::Duration::days(self.warn),
                format!("规范性文件有效期至 {until}{presumed}，到期前应评估是否延续、修订或废止"),
            )
        } else if days_left < 0 {
            (
                NoticeKind::NormativeExpired,
                Severity::Info,
                until.succ_opt().unwrap_or(until),
                format!(
                    "规范性文件有效期已于 {until} 届满{presumed}，尚未标注失效、废止、修订或延续"
                ),
            )
        } else {
            return;
        };
        out.push(live(
            kind,
            severity,
            self.document_ref(doc),
            until,
            days_left,
            since,
            detail,
        ));
    }
}
