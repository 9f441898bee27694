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
/// key, so two builds list them in the same order). The documents' are listed in parallel:
/// at 100,000 records they are most of the list, which the feeds wait for.
pub fn events(
    p: &Portal,
    validity: &[Validity],
    decisions: &[DecisionState],
    today: NaiveDate,
) -> Vec<Event> {
    use rayon::prelude::*;
    let until_today = |e: &Event| e.date <= today;
    let mut out: Vec<Event> = p
        .documents
        .par_iter()
        .zip(validity)
        .enumerate()
        .flat_map_iter(|(i, (r, v))| document_events(p, i, r, v).filter(until_today))
        .collect();
    out.extend(others(p, decisions).filter(until_today));
    out.par_sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.kind.cmp(&b.kind))
            .then(a.record.cmp(&b.record))
            .then(a.key.cmp(&b.key))
    });
    out
}

/// One event, its agency copied.
fn event(
    kind: Kind,
    record: usize,
    date: NaiveDate,
    what: &'static str,
    detail: String,
    key: String,
    agency: &str,
) -> Event {
    Event {
        kind,
        record,
        date,
        what,
        detail,
        key,
        agency: agency.to_string(),
    }
}

/// The document's publication, expiry and replacement, whenever they fall.
fn document_events(
    p: &Portal,
    i: usize,
    r: &Record<Document>,
    v: &Validity,
) -> impl Iterator<Item = Event> {
    let d = &r.data;
    let agency = d.agency.as_str();
    let number = d.doc_number.as_deref().unwrap_or_default();
    let published = event(
        Kind::Document,
        i,
        d.published,
        "发布",
        [number, d.index_no.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        "published".into(),
        agency,
    );
    let expired = v
        .valid_until
        .and_then(|u| u.succ_opt())
        .filter(|_| v.status == DocStatus::Expired)
        .map(|day| {
            event(
                Kind::Document,
                i,
                day,
                DocStatus::Expired.label(),
                format!("有效期至 {}", v.valid_until.unwrap_or(day)),
                "expired".into(),
                agency,
            )
        });
    let replaced = d
        .replaced_by
        .as_deref()
        .and_then(|s| p.document(s))
        .map(|next| {
            let what = match v.status {
                DocStatus::Amended => DocStatus::Amended.label(),
                _ => DocStatus::Repealed.label(),
            };
            event(
                Kind::Document,
                i,
                next.data.published,
                what,
                format!("由《{}》代替", next.data.title),
                "replaced".into(),
                agency,
            )
        });
    std::iter::once(published).chain(expired).chain(replaced)
}

/// The events of every record but the documents, whenever they fall: power and service
/// items' logged changes, decisions' stages, reports' publication.
fn others<'a>(p: &'a Portal, decisions: &'a [DecisionState]) -> impl Iterator<Item = Event> + 'a {
    let logged = |kind: Kind, i: usize, changes: &'a [Change], agency: &'a str| {
        changes.iter().enumerate().map(move |(n, c)| {
            let detail = [c.basis.as_deref(), c.note.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            event(
                kind,
                i,
                c.date,
                c.action.label(),
                detail,
                format!("change-{}", n + 1),
                agency,
            )
        })
    };
    let agency = |m: &'a Meta| m.folder_agency.as_deref().unwrap_or_default();
    let power = p
        .power
        .iter()
        .enumerate()
        .flat_map(move |(i, r)| logged(Kind::Power, i, &r.data.changes, agency(&r.meta)));
    let services = p
        .services
        .iter()
        .enumerate()
        .flat_map(move |(i, r)| logged(Kind::Service, i, &r.data.changes, agency(&r.meta)));
    let decided = p
        .decisions
        .iter()
        .zip(decisions)
        .enumerate()
        .flat_map(|(i, (r, state))| {
            let agency = r.data.agency.as_str();
            state.stages.iter().flat_map(move |s| {
                let begun = event(
                    Kind::Decision,
                    i,
                    s.date,
                    s.kind.label(),
                    String::new(),
                    s.kind.key().to_string(),
                    agency,
                );
                let ended = s.end.map(|end| {
                    event(
                        Kind::Decision,
                        i,
                        end,
                        "征求意见截止",
                        String::new(),
                        format!("{}-end", s.kind.key()),
                        agency,
                    )
                });
                std::iter::once(begun).chain(ended)
            })
        });
    let reports = p.reports.iter().enumerate().filter_map(move |(i, r)| {
        r.data.published.map(|date| {
            event(
                Kind::Report,
                i,
                date,
                "发布",
                String::new(),
                "published".into(),
                agency(&r.meta),
            )
        })
    });
    power.chain(services).chain(decided).chain(reports)
}
