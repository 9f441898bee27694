//! The notices: what a notice says (its kind, how urgent it is, the record it concerns, its due
//! date and its count of days) and the Chinese words it says it in.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Kind;

/// How urgent a notice is. Ordered: `Info < Warning < Overdue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information: a consultation is open, or closed recently; a document's validity ran out.
    Info,
    /// A due date is near (within `warn_days`) and the obligation is not met yet.
    Warning,
    /// A due date has passed and the obligation was not met in time (still missing, or met late).
    Overdue,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Overdue, Severity::Warning, Severity::Info];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Overdue => "overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "预警",
            Severity::Overdue => "已逾期",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Severity {
    type Err = String;

    /// Accepts `info`, `warning` (or `upcoming`), `overdue`, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "warning" | "warn" | "upcoming" => Ok(Severity::Warning),
            "overdue" => Ok(Severity::Overdue),
            other => Err(crate::zh_en!(
                format!("不认识的提醒级别 `{other}`：只能是 `info`、`warning` 或 `overdue`"),
                format!("unknown severity `{other}`: expected info, warning or overdue")
            )),
        }
    }
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// An annual report not published yet, due within `warn_days`.
    ReportDue,
    /// An annual report not published by its due date.
    ReportMissing,
    /// An annual report published after its due date.
    ReportLate,
    /// A document published more than `disclosure_working_days` working days after it was written.
    LateDisclosure,
    /// A document written but not published yet (its `published` lies after today) whose
    /// disclosure deadline falls within `warn_days`, and its planned date is after that deadline.
    DisclosureDue,
    /// A document written but not published yet whose disclosure deadline has passed.
    DisclosureOverdue,
    /// A public consultation is open.
    ConsultationOpen,
    /// A public consultation closes within a few days.
    ConsultationClosingSoon,
    /// A public consultation closed within the last `warn_days` days.
    ConsultationClosed,
    /// A normative document's validity ends within `warn_days`.
    NormativeExpiring,
    /// A normative document's validity ended, and its status says nothing of what became of it.
    NormativeExpired,
    /// An interpretation (政策解读) published more than `interpretation_working_days` working
    /// days after the document it explains.
    InterpretationLate,
    /// A normative document in force with no interpretation once that time has passed.
    InterpretationMissing,
    /// A decision's planned completion date is within `warn_days` and it is not decided yet.
    DecisionDue,
    /// A decision's planned completion date passed and it is still planned/consulting/reviewing.
    DecisionOverdue,
}

impl NoticeKind {
    pub fn name(self) -> &'static str {
        match self {
            NoticeKind::ReportDue => "report-due",
            NoticeKind::ReportMissing => "report-missing",
            NoticeKind::ReportLate => "report-late",
            NoticeKind::LateDisclosure => "late-disclosure",
            NoticeKind::DisclosureDue => "disclosure-due",
            NoticeKind::DisclosureOverdue => "disclosure-overdue",
            NoticeKind::ConsultationOpen => "consultation-open",
            NoticeKind::ConsultationClosingSoon => "consultation-closing-soon",
            NoticeKind::ConsultationClosed => "consultation-closed",
            NoticeKind::NormativeExpiring => "normative-expiring",
            NoticeKind::NormativeExpired => "normative-expired",
            NoticeKind::InterpretationLate => "interpretation-late",
            NoticeKind::InterpretationMissing => "interpretation-missing",
            NoticeKind::DecisionDue => "decision-due",
            NoticeKind::DecisionOverdue => "decision-overdue",
        }
    }

    /// A short Chinese label, for badges and table columns.
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::ReportDue => "年报即将到期",
            NoticeKind::ReportMissing => "年报逾期未公开",
            NoticeKind::ReportLate => "年报逾期公开",
            NoticeKind::LateDisclosure => "逾期公开",
            NoticeKind::DisclosureDue => "公开期限临近",
            NoticeKind::DisclosureOverdue => "逾期未公开",
            NoticeKind::ConsultationOpen => "征求意见中",
            NoticeKind::ConsultationClosingSoon => "征求意见即将截止",
            NoticeKind::ConsultationClosed => "征求意见已截止",
            NoticeKind::NormativeExpiring => "即将到期失效",
            NoticeKind::NormativeExpired => "已到期失效",
            NoticeKind::InterpretationLate => "解读逾期发布",
            NoticeKind::InterpretationMissing => "缺少政策解读",
            NoticeKind::DecisionDue => "决策即将到期",
            NoticeKind::DecisionOverdue => "决策逾期未完成",
        }
    }
}

impl NoticeKind {
    /// The words around a count of days: before, on and after the due date
    /// ("距截止还有 N 天" / "今天截止" / "已逾期 N 天").
    pub fn phrases(self) -> (&'static str, &'static str, &'static str) {
        match self {
            NoticeKind::ConsultationOpen
            | NoticeKind::ConsultationClosingSoon
            | NoticeKind::ConsultationClosed => ("距截止还有", "今天截止", "已截止"),
            NoticeKind::NormativeExpiring | NoticeKind::NormativeExpired => {
                ("距到期还有", "今天到期", "已到期")
            }
            _ => ("距截止还有", "今天截止", "已逾期"),
        }
    }
}

impl fmt::Display for NoticeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `days_left` counts calendar days or working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    CalendarDays,
    WorkingDays,
}

impl DayUnit {
    pub fn name(self) -> &'static str {
        match self {
            DayUnit::CalendarDays => "calendar_days",
            DayUnit::WorkingDays => "working_days",
        }
    }

    /// "天" or "个工作日", to follow a number.
    pub fn suffix(self) -> &'static str {
        match self {
            DayUnit::CalendarDays => "天",
            DayUnit::WorkingDays => "个工作日",
        }
    }
}

/// The three parts of the notice board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// 即将到期: due today or later, not overdue.
    Upcoming,
    /// 已逾期: every notice of severity [`Severity::Overdue`].
    Overdue,
    /// 近期截止: past, but not a failure (a consultation closed, a document expired).
    Recent,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Upcoming, Section::Overdue, Section::Recent];

    pub fn name(self) -> &'static str {
        match self {
            Section::Upcoming => "upcoming",
            Section::Overdue => "overdue",
            Section::Recent => "recent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Upcoming => "即将到期",
            Section::Overdue => "已逾期",
            Section::Recent => "近期截止",
        }
    }
}

/// The record a notice concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    /// The record's type. A missing report has no record of its own: its notice concerns the
    /// agency (`Kind::Agency`), with `year` the reporting year.
    pub kind: Kind,
    pub slug: String,
    /// The directory year (documents, decisions, reports), or the reporting year of a missing
    /// report.
    pub year: Option<i32>,
    /// The agency slug.
    pub agency: Option<String>,
    /// The agency's name, when the agency exists.
    pub agency_name: Option<String>,
    pub title: String,
    /// Root-relative URL with a trailing slash, e.g. `/documents/2025/a/`.
    pub url: String,
}

/// One notice: a deadline, the record it concerns, and what is the matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub severity: Severity,
    pub record: RecordRef,
    pub due: NaiveDate,
    /// Days from `today` to `due` (negative once passed), or for a thing done late, minus the
    /// days from `due` to `done`. In `unit`.
    pub days_left: i64,
    pub unit: DayUnit,
    /// When the obligation was met, for notices about something done late.
    pub done: Option<NaiveDate>,
    /// The day this notice began to apply (e.g. the day after a missed due date); stable from
    /// build to build, used as the feed entry's `updated`.
    pub since: NaiveDate,
    /// One sentence in Chinese, with the count of days as of `today`.
    pub message: String,
    /// The sentence without its trailing count of days, for pages that show the count
    /// separately (and refresh it in the browser): for a live notice `message` is `detail` +
    /// "，" + [`Notice::days_text`].
    pub detail: String,
    /// Years whose working days were counted on weekdays alone (no calendar): the caller should
    /// warn that the dates may be off.
    pub fallback_years: Vec<i32>,
}

impl Notice {
    /// A stable identifier: kind, record and due date, e.g.
    /// `late-disclosure/document/2025/notice-a/2025-02-05`.
    pub fn id(&self) -> String {
        let mut id = format!("{}/{}/", self.kind.name(), self.record.kind.name());
        if let Some(y) = self.record.year {
            id.push_str(&format!("{y}/"));
        }
        id.push_str(&format!("{}/{}", self.record.slug, self.due));
        id
    }

    /// Where the notice goes on the notice board.
    pub fn section(&self) -> Section {
        if self.severity == Severity::Overdue {
            Section::Overdue
        } else if self.done.is_none() && self.days_left >= 0 {
            Section::Upcoming
        } else {
            Section::Recent
        }
    }

    /// True when `days_left` changes with the date (the thing is not done), so a page may
    /// recompute it in the browser.
    pub fn is_live(&self) -> bool {
        self.done.is_none()
    }

    /// The count of days as words: "距截止还有 5 天", "今天截止", "已逾期 12 天" (see
    /// [`NoticeKind::phrases`]); for a thing done late, "逾期 7 个工作日".
    pub fn days_text(&self) -> String {
        days_text(self.kind, self.days_left, self.unit, self.done.is_some())
    }
}

pub(super) fn days_text(kind: NoticeKind, days_left: i64, unit: DayUnit, done: bool) -> String {
    let (future, today, past) = kind.phrases();
    let unit = unit.suffix();
    if done {
        format!("逾期 {} {unit}", -days_left)
    } else if days_left > 0 {
        format!("{future} {days_left} {unit}")
    } else if days_left == 0 {
        today.to_string()
    } else {
        format!("{past} {} {unit}", -days_left)
    }
}

/// Builds a notice about something not done yet: the message is `detail` and the count of days.
#[allow(clippy::too_many_arguments)]
pub(super) fn live(
    kind: NoticeKind,
    severity: Severity,
    record: RecordRef,
    due: NaiveDate,
    days_left: i64,
    since: NaiveDate,
    detail: String,
) -> Notice {
    let unit = DayUnit::CalendarDays;
    Notice {
        kind,
        severity,
        record,
        due,
        days_left,
        unit,
        done: None,
        since,
        message: format!("{detail}，{}", days_text(kind, days_left, unit, false)),
        detail,
        fallback_years: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_and_parse() {
        assert!(Severity::Info < Severity::Warning);
        assert!(Severity::Warning < Severity::Overdue);
        assert_eq!("overdue".parse::<Severity>(), Ok(Severity::Overdue));
        assert_eq!("Upcoming".parse::<Severity>(), Ok(Severity::Warning));
        assert!("late".parse::<Severity>().is_err());
    }

    #[test]
    fn countdown_texts() {
        use NoticeKind::*;
        let cal = DayUnit::CalendarDays;
        assert_eq!(
            days_text(LateDisclosure, 5, DayUnit::WorkingDays, false),
            "距截止还有 5 个工作日"
        );
        assert_eq!(days_text(ReportDue, 0, cal, false), "今天截止");
        assert_eq!(days_text(ReportMissing, -12, cal, false), "已逾期 12 天");
        assert_eq!(days_text(ConsultationClosed, -3, cal, false), "已截止 3 天");
        assert_eq!(days_text(NormativeExpiring, 0, cal, false), "今天到期");
        assert_eq!(days_text(NormativeExpired, -1, cal, false), "已到期 1 天");
        assert_eq!(
            days_text(LateDisclosure, -7, DayUnit::WorkingDays, true),
            "逾期 7 个工作日"
        );
    }
}
