//! What happened to the records, and when, as far as their files tell: the entries of the
//! feeds. A power or service item's logged changes, a decision's stages as they begin, a
//! document's publication, expiry and replacement, a report's publication. Events dated after
//! the build day have not happened yet and are left out; nothing is dated by the build day.

use chrono::NaiveDate;

use crate::derive::decisions::DecisionState;
use crate::derive::Validity;
use crate::model::*;

/// One thing that happened to one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: Kind,
    /// The record's position in its kind's list in the portal.
    pub record: usize,
    pub date: NaiveDate,
    /// What happened, in Chinese: 新增, 调整, 发布, 失效, 公开征求意见…
    pub what: &'static str,
    /// Its basis and note, where the file gives them.
    pub detail: String,
    /// Tells this event from the record's others, stably from build to build: `change-2`,
    /// `published`, `consultation`.
    pub key: String,
    /// The agency the record belongs to.
    pub agency: String,
}

/// Every event of the portal up to `today`, newest first (ties: by kind, then record, then
/// key, so two builds list them in the same order).
pub fn events(
    p: &Portal,
    validity: &[Validity],
    decisions: &[DecisionState],
    today: NaiveDate,
) -> Vec<Event> {
    let mut out = Vec::new();
    let mut push =
        |kind, record, date: NaiveDate, what, detail: String, key: String, agency: &str| {
            if date <= today {
                out.push(Event {
                    kind,
                    record,
                    date,
                    what,
                    detail,
                    key,
                    agency: agency.to_string(),
                });
            }
        };
    let logged = |changes: &[Change],
                  push: &mut dyn FnMut(NaiveDate, &'static str, String, String)| {
        for (n, c) in changes.iter().enumerate() {
            let detail = [c.basis.as_deref(), c.note.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            push(
                c.date,
                c.action.label(),
                detail,
                format!("change-{}", n + 1),
            );
        }
    };
    for (i, r) in p.power.iter().enumerate() {
        let agency = r.meta.folder_agency.as_deref().unwrap_or_default();
        logged(&r.data.changes, &mut |date, what, detail, key| {
            push(Kind::Power, i, date, what, detail, key, agency)
        });
    }
    for (i, r) in p.services.iter().enumerate() {
        let agency = r.meta.folder_agency.as_deref().unwrap_or_default();
        logged(&r.data.changes, &mut |date, what, detail, key| {
            push(Kind::Service, i, date, what, detail, key, agency)
        });
    }
    for (i, (r, state)) in p.decisions.iter().zip(decisions).enumerate() {
        let agency = r.data.agency.as_str();
        for s in &state.stages {
            push(
                Kind::Decision,
                i,
                s.date,
                s.kind.label(),
                String::new(),
                s.kind.key().to_string(),
                agency,
            );
            if let Some(end) = s.end {
                push(
                    Kind::Decision,
                    i,
                    end,
                    "征求意见截止",
                    String::new(),
                    format!("{}-end", s.kind.key()),
                    agency,
                );
            }
        }
    }
    for (i, (r, v)) in p.documents.iter().zip(validity).enumerate() {
        let d = &r.data;
        let agency = d.agency.as_str();
        let number = d.doc_number.clone().unwrap_or_default();
        push(
            Kind::Document,
            i,
            d.published,
            "发布",
            [number.as_str(), d.index_no.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            "published".into(),
            agency,
        );
        if let Some(day) = v.valid_until.and_then(|u| u.succ_opt()) {
            if v.status == DocStatus::Expired {
                push(
                    Kind::Document,
                    i,
                    day,
                    DocStatus::Expired.label(),
                    format!("有效期至 {}", v.valid_until.unwrap_or(day)),
                    "expired".into(),
                    agency,
                );
            }
        }
        if let Some(next) = d.replaced_by.as_deref().and_then(|s| p.document(s)) {
            let what = match v.status {
                DocStatus::Amended => DocStatus::Amended.label(),
                _ => DocStatus::Repealed.label(),
            };
            push(
                Kind::Document,
                i,
                next.data.published,
                what,
                format!("由《{}》代替", next.data.title),
                "replaced".into(),
                agency,
            );
        }
    }
    for (i, r) in p.reports.iter().enumerate() {
        if let Some(date) = r.data.published {
            push(
                Kind::Report,
                i,
                date,
                "发布",
                String::new(),
                "published".into(),
                r.meta.folder_agency.as_deref().unwrap_or_default(),
            );
        }
    }
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.kind.cmp(&b.kind))
            .then(a.record.cmp(&b.record))
            .then(a.key.cmp(&b.key))
    });
    out
}
