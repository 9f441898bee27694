//! The request register on a day: each open request's time limit, and the notices of requests
//! due soon, overdue, or answered late — for officers only (`gongkai deadlines`, `gongkai
//! check`, `gongkai requests`).
//!
//! These are a list of their own, not [`super::deadlines::Notice`]s, and [`super::Derived`]
//! has no place for them: everything the site is rendered from is a `Portal` and a `Derived`,
//! and neither can hold a request, so no page, feed, count or search term of the site can
//! show one, whatever a template does. Only the command layer, which holds the register,
//! calls the functions here.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

use super::deadlines::Severity;
use crate::domain::calendar::Calendar;
use crate::domain::requests::{as_of, limit, Limit};
use crate::model::requests::{Register, Request};
use crate::model::{Portal, Record};

/// A request whose limit is this many working days away or fewer is due soon.
pub const DUE_SOON_WORKING_DAYS: i64 = 5;

/// What a request notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RequestNoticeKind {
    /// Open, its limit within [`DUE_SOON_WORKING_DAYS`] working days.
    DueSoon,
    /// Open past its limit.
    Overdue,
    /// Answered after its limit, this year or last.
    AnsweredLate,
}

impl RequestNoticeKind {
    pub fn name(self) -> &'static str {
        match self {
            RequestNoticeKind::DueSoon => "request-due",
            RequestNoticeKind::Overdue => "request-overdue",
            RequestNoticeKind::AnsweredLate => "request-answered-late",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestNoticeKind::DueSoon => "答复期限临近",
            RequestNoticeKind::Overdue => "逾期未答复",
            RequestNoticeKind::AnsweredLate => "逾期答复",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            RequestNoticeKind::DueSoon => Severity::Warning,
            RequestNoticeKind::Overdue | RequestNoticeKind::AnsweredLate => Severity::Overdue,
        }
    }
}

/// The request a notice or a listing is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRef {
    /// The file name, e.g. `2025-0001`.
    pub id: String,
    /// The year folder.
    pub year: Option<i32>,
    /// The file, as diagnostics name it.
    pub path: PathBuf,
    pub agency: String,
    pub agency_name: Option<String>,
    pub received: NaiveDate,
}

impl RequestRef {
    fn new(portal: &Portal, r: &Record<Request>) -> RequestRef {
        RequestRef {
            id: r.meta.slug.clone(),
            year: r.meta.year,
            path: r.meta.path.clone(),
            agency: r.data.agency.clone(),
            agency_name: portal.agency(&r.data.agency).map(|a| a.data.name.clone()),
            received: r.data.received,
        }
    }

    /// The agency's name, or its slug when it has none.
    pub fn agency_text(&self) -> &str {
        self.agency_name.as_deref().unwrap_or(&self.agency)
    }
}

/// One notice about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestNotice {
    pub kind: RequestNoticeKind,
    pub severity: Severity,
    pub request: RequestRef,
    /// The time limit.
    pub due: NaiveDate,
    /// Working days from `today` to `due` (negative once passed); for a request answered
    /// late, minus the working days from `due` to the answer.
    pub days_left: i64,
    pub answered: Option<NaiveDate>,
    pub extended: bool,
    /// One sentence in Chinese.
    pub message: String,
    /// Years counted on weekdays alone (no calendar): the dates may be off.
    pub fallback_years: Vec<i32>,
}

impl RequestNotice {
    /// A stable identifier: kind, year folder, id and limit.
    pub fn id(&self) -> String {
        let year = self
            .request
            .year
            .map(|y| format!("{y}/"))
            .unwrap_or_default();
        format!(
            "{}/{year}{}/{}",
            self.kind.name(),
            self.request.id,
            self.due
        )
    }

    /// "距期限还有 3 个工作日", "今天是答复期限", "已逾期 2 个工作日", "逾期 4 个工作日".
    pub fn days_text(&self) -> String {
        days_text(self.days_left, self.answered.is_some())
    }
}

fn days_text(days_left: i64, done: bool) -> String {
    if done {
        format!("逾期 {} 个工作日", -days_left)
    } else if days_left > 0 {
        format!("距期限还有 {days_left} 个工作日")
    } else if days_left == 0 {
        "今天是答复期限".to_string()
    } else {
        format!("已逾期 {} 个工作日", -days_left)
    }
}

/// Where an open request stands on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The limit runs: `due`, and the working days left (negative once passed).
    Runs {
        due: NaiveDate,
        days_left: i64,
        extended: bool,
        fallback_years: Vec<i32>,
    },
    /// Waiting on the applicant's correction, asked for on `requested`.
    AwaitingCorrection { requested: NaiveDate },
    /// Waiting on a third party asked on `asked`; `counted` working days had run.
    AwaitingThirdParty { asked: NaiveDate, counted: u32 },
}

impl Standing {
    /// The status in words: 办理中, 已延长, 等待补正, 征求第三方意见中.
    pub fn label(&self) -> &'static str {
        match self {
            Standing::Runs {
                extended: false, ..
            } => "办理中",
            Standing::Runs { extended: true, .. } => "已延长",
            Standing::AwaitingCorrection { .. } => "等待补正",
            Standing::AwaitingThirdParty { .. } => "征求第三方意见中",
        }
    }

    /// The limit and what is left of it, in words.
    pub fn detail(&self) -> String {
        match self {
            Standing::Runs { days_left, .. } => days_text(*days_left, false),
            Standing::AwaitingCorrection { requested } => {
                format!("{requested} 通知补正，收到补正后重新计算期限")
            }
            Standing::AwaitingThirdParty { asked, counted } => {
                format!("{asked} 征求第三方意见，期限暂停（已计 {counted} 个工作日）")
            }
        }
    }

    pub fn due(&self) -> Option<NaiveDate> {
        match self {
            Standing::Runs { due, .. } => Some(*due),
            _ => None,
        }
    }
}

/// An open request on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRequest {
    pub request: RequestRef,
    pub applicant: crate::model::requests::Applicant,
    pub standing: Standing,
}

/// Every request not answered by the end of `today` (received by then), earliest limit first;
/// those without a running limit last, by receipt.
pub fn open_requests(
    portal: &Portal,
    register: &Register,
    cal: &Calendar,
    today: NaiveDate,
) -> Vec<OpenRequest> {
    let days = portal.config.deadlines.request_working_days;
    let mut out: Vec<OpenRequest> = register
        .requests
        .iter()
        .filter_map(|r| {
            let then = as_of(&r.data, today)?;
            if then.answered.is_some() {
                return None;
            }
            let standing = match limit(&then, cal, days) {
                Limit::Runs(d) => Standing::Runs {
                    due: d.due,
                    days_left: cal.working_days_between(today, d.due),
                    extended: d.extended,
                    fallback_years: fallback(&d.fallback_years, cal, today, d.due),
                },
                Limit::AwaitingCorrection { requested } => {
                    Standing::AwaitingCorrection { requested }
                }
                Limit::AwaitingThirdParty { asked, counted } => {
                    Standing::AwaitingThirdParty { asked, counted }
                }
            };
            Some(OpenRequest {
                request: RequestRef::new(portal, r),
                applicant: r.data.applicant,
                standing,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |o: &OpenRequest| {
            (
                o.standing.due().is_none(),
                o.standing.due(),
                o.request.received,
                o.request.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

/// The years without a calendar in a limit's count or in the count from `today` to it.
fn fallback(counted: &[i32], cal: &Calendar, today: NaiveDate, due: NaiveDate) -> Vec<i32> {
    let mut years = counted.to_vec();
    years.extend(cal.fallback_years_between(today, due));
    years.sort_unstable();
    years.dedup();
    years
}

/// The register's notices on `today`, most severe first, then by limit: open requests due
/// within [`DUE_SOON_WORKING_DAYS`] working days or overdue, and requests answered late in
/// `today`'s year or the year before (the years whose annual reports are being written).
pub fn notices(
    portal: &Portal,
    register: &Register,
    cal: &Calendar,
    today: NaiveDate,
) -> Vec<RequestNotice> {
    let days = portal.config.deadlines.request_working_days;
    let mut out = Vec::new();
    for r in &register.requests {
        let Some(then) = as_of(&r.data, today) else {
            continue;
        };
        let Limit::Runs(limit) = limit(&then, cal, days) else {
            continue;
        };
        let request = RequestRef::new(portal, r);
        let extended = if limit.extended {
            "（已延长答复期限）"
        } else {
            ""
        };
        let (kind, days_left, detail) = match then.answered {
            Some(answered) => {
                if answered <= limit.due || answered.year() < today.year() - 1 {
                    continue;
                }
                let late = cal.working_days_between(limit.due, answered);
                (
                    RequestNoticeKind::AnsweredLate,
                    -late,
                    format!(
                        "{} 收到的申请应于 {} 前答复{extended}，{answered} 才答复",
                        then.received, limit.due
                    ),
                )
            }
            None => {
                let left = cal.working_days_between(today, limit.due);
                let kind = if today > limit.due {
                    RequestNoticeKind::Overdue
                } else if left <= DUE_SOON_WORKING_DAYS {
                    RequestNoticeKind::DueSoon
                } else {
                    continue;
                };
                let state = if kind == RequestNoticeKind::Overdue {
                    "至今未答复"
                } else {
                    "尚未答复"
                };
                (
                    kind,
                    left,
                    format!(
                        "{} 收到的申请应于 {} 前答复{extended}，{state}",
                        then.received, limit.due
                    ),
                )
            }
        };
        let fallback_years = fallback(&limit.fallback_years, cal, today, limit.due);
        let mut message = format!(
            "{detail}，{}",
            days_text(days_left, then.answered.is_some())
        );
        if !fallback_years.is_empty() {
            let years: Vec<String> = fallback_years.iter().map(i32::to_string).collect();
            message.push_str(&format!(
                "；{} 年没有工作日历，按周一至周五计算",
                years.join("、")
            ));
        }
        out.push(RequestNotice {
            kind,
            severity: kind.severity(),
            request,
            due: limit.due,
            days_left,
            answered: then.answered,
            extended: limit.extended,
            message,
            fallback_years,
        });
    }
    out.sort_by_cached_key(|n| (std::cmp::Reverse(n.severity), n.due, n.kind, n.id()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::requests::{Applicant, Channel, Extension};
    use crate::model::Meta;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn record(id: &str, received: &str, answered: Option<&str>) -> Record<Request> {
        Record {
            meta: Meta {
                slug: id.into(),
                path: format!("requests/{}/{id}.yaml", &received[..4]).into(),
                year: received[..4].parse().ok(),
                folder_agency: None,
                body_start: None,
                damaged: Vec::new(),
                source_hash: 0,
            },
            data: Request {
                agency: "gov-office".into(),
                received: d(received),
                channel: Channel::Online,
                applicant: Applicant::NaturalPerson,
                subject: "申请公开……".into(),
                correction: None,
                third_party: None,
                extension: None,
                answered: answered.map(d),
                outcome: answered.map(|_| "disclosed"),
            },
        }
    }

    fn register(records: Vec<Record<Request>>) -> Register {
        Register {
            dir: "requests".into(),
            present: true,
            requests: records,
        }
    }

    #[test]
    fn due_soon_overdue_and_answered_late() {
        let portal = Portal::default();
        let cal = Calendar::official();
        // Limits: 2025-03-03 → 03-31; 2025-03-10 → 04-08 (清明 04-04 off); 2025-02-10 → 03-10.
        // Extended, 2025-03-03 runs to 04-28 and is neither overdue nor due soon.
        let mut extended = record("ext", "2025-03-03", None);
        extended.data.extension = Some(Extension {
            decided: d("2025-03-20"),
        });
        let reg = register(vec![
            record("overdue", "2025-03-03", None),
            record("soon", "2025-03-10", None),
            record("late", "2025-02-10", Some("2025-03-12")),
            record("in-time", "2025-02-10", Some("2025-03-10")),
            record("old-late", "2023-02-10", Some("2023-06-01")),
            record("future", "2025-04-10", None),
            extended,
        ]);
        let today = d("2025-04-02");
        let list = notices(&portal, &reg, &cal, today);
        let got: Vec<(&str, RequestNoticeKind, i64)> = list
            .iter()
            .map(|n| (n.request.id.as_str(), n.kind, n.days_left))
            .collect();
        assert_eq!(
            got,
            vec![
                ("late", RequestNoticeKind::AnsweredLate, -2),
                ("overdue", RequestNoticeKind::Overdue, -2),
                ("soon", RequestNoticeKind::DueSoon, 3),
            ],
            "{list:#?}"
        );
        assert_eq!(
            list[1].message,
            "2025-03-03 收到的申请应于 2025-03-31 前答复，至今未答复，已逾期 2 个工作日"
        );
        assert_eq!(
            list[0].message,
            "2025-02-10 收到的申请应于 2025-03-10 前答复，2025-03-12 才答复，逾期 2 个工作日"
        );
        assert_eq!(list[2].days_text(), "距期限还有 3 个工作日");
        assert_eq!(list[0].severity, Severity::Overdue);
        assert_eq!(list[2].severity, Severity::Warning);
        assert_eq!(list[1].id(), "request-overdue/2025/overdue/2025-03-31");
        // Counted on weekdays alone, a notice says so.
        let plain = notices(&portal, &reg, &Calendar::empty(), today);
        let overdue = plain.iter().find(|n| n.request.id == "overdue").unwrap();
        assert_eq!(overdue.fallback_years, vec![2025]);
        assert!(
            overdue
                .message
                .ends_with("；2025 年没有工作日历，按周一至周五计算"),
            "{}",
            overdue.message
        );
        // An extended limit says so (from Friday 04-25: Sunday 04-27 is worked, then 04-28).
        let ext = notices(&portal, &reg, &cal, d("2025-04-25"));
        let ext = ext.iter().find(|n| n.request.id == "ext").unwrap();
        assert_eq!(
            ext.message,
            "2025-03-03 收到的申请应于 2025-04-28 前答复（已延长答复期限），尚未答复，距期限还有 2 个工作日"
        );
        // On the day the answer came, before it: the request was overdue then, not late.
        let then = notices(&portal, &reg, &cal, d("2025-03-11"));
        assert!(then
            .iter()
            .any(|n| n.request.id == "late" && n.kind == RequestNoticeKind::Overdue));
    }

    #[test]
    fn open_requests_in_order_of_their_limits() {
        let portal = Portal::default();
        let cal = Calendar::official();
        let mut waiting = record("waiting", "2025-03-01", None);
        waiting.data.correction = Some(crate::model::requests::Correction {
            requested: d("2025-03-03"),
            received: None,
        });
        let reg = register(vec![
            record("b", "2025-03-10", None),
            record("a", "2025-03-03", None),
            record("done", "2025-03-03", Some("2025-03-20")),
            waiting,
        ]);
        let open = open_requests(&portal, &reg, &cal, d("2025-03-20"));
        let ids: Vec<&str> = open.iter().map(|o| o.request.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b", "waiting"]);
        assert_eq!(open[0].standing.due(), Some(d("2025-03-31")));
        assert_eq!(open[0].standing.label(), "办理中");
        assert_eq!(open[0].standing.detail(), "距期限还有 7 个工作日");
        assert_eq!(open[2].standing.label(), "等待补正");
        assert_eq!(
            open[2].standing.detail(),
            "2025-03-03 通知补正，收到补正后重新计算期限"
        );
    }
}
