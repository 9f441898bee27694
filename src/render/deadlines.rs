//! The deadline parts of the site: the notice board (/deadlines/), the badges on the records a
//! notice concerns, and the Atom feed of notices (/deadlines/atom.xml).
//!
//! Every count of days is rendered twice over: as text computed for the build date (so the page
//! reads right without JavaScript, next to the due date and `数据生成于 <build date>`), and as
//! data attributes that `deadlines.js` uses to recompute the text for the visitor's day.

use crate::render::output::Output;
use crate::table::HashMap;

use serde::Serialize;

use crate::derive::deadlines::{self, DayUnit, Notice, Section, Severity};
use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::{Kind, Meta, Portal};

use super::Derived;

/// What templates see of a notice.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub severity: &'static str,
    pub severity_label: &'static str,
    pub section: &'static str,
    pub message: String,
    /// `message` without the count of days (which `days_text` carries).
    pub detail: String,
    pub due: String,
    pub days_left: i64,
    /// "calendar_days" or "working_days".
    pub unit: &'static str,
    /// The days as text for the build date: "距截止还有 5 天", "已逾期 12 天", "逾期 7 个工作日".
    pub days_text: String,
    /// True when the count changes with the date and is in calendar days, so the browser may
    /// recompute it (the template then adds the data attributes).
    pub live: bool,
    /// Words for the script: before, on and after the due date.
    pub future: &'static str,
    pub today: &'static str,
    pub past: &'static str,
    /// The day the thing was done, for notices about something done late.
    pub done: String,
    pub record: RecordView,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub title: String,
    pub url: String,
    pub year: Option<i32>,
    pub agency_name: String,
}

pub fn notice_view(n: &Notice) -> NoticeView {
    let (future, today, past) = n.kind.phrases();
    let record_label = match n.record.kind {
        // A missing report's notice concerns the agency; say what is missing.
        Kind::Agency => "年度报告",
        k => k.label(),
    };
    let title = match (n.record.kind, n.record.year) {
        (Kind::Agency, Some(y)) => format!("{}{y}年度政府信息公开工作年度报告", n.record.title),
        _ => n.record.title.clone(),
    };
    NoticeView {
        id: n.id(),
        kind: n.kind.name(),
        kind_label: n.kind.label(),
        severity: n.severity.name(),
        severity_label: n.severity.label(),
        section: n.section().name(),
        message: n.message.clone(),
        detail: n.detail.clone(),
        due: n.due.to_string(),
        days_left: n.days_left,
        unit: n.unit.name(),
        days_text: n.days_text(),
        live: n.is_live() && n.unit == DayUnit::CalendarDays,
        future,
        today,
        past,
        done: n.done.map(|d| d.to_string()).unwrap_or_default(),
        record: RecordView {
            kind: n.record.kind.name(),
            kind_label: record_label,
            title,
            url: n.record.url.clone(),
            year: n.record.year,
            agency_name: n.record.agency_name.clone().unwrap_or_default(),
        },
    }
}

/// The notices of each record page, found by (kind, slug, directory year).
pub struct NoticeIndex {
    by_record: HashMap<(Kind, String, Option<i32>), Vec<usize>>,
}

impl NoticeIndex {
    pub fn new(notices: &[Notice]) -> NoticeIndex {
        let mut by_record: HashMap<_, Vec<usize>> = HashMap::default();
        for (i, n) in notices.iter().enumerate() {
            // An agency's notices are about its reports of several years: one page shows all.
            let year = match n.record.kind {
                Kind::Agency => None,
                _ => n.record.year,
            };
            by_record
                .entry((n.record.kind, n.record.slug.clone(), year))
                .or_default()
                .push(i);
        }
        NoticeIndex { by_record }
    }

    /// The notices concerning the record of `kind` described by `meta`, most severe first.
    pub fn for_record(&self, notices: &[Notice], kind: Kind, meta: &Meta) -> Vec<NoticeView> {
        let year = match kind {
            Kind::Agency => None,
            _ => meta.year,
        };
        self.by_record
            .get(&(kind, meta.slug.clone(), year))
            .map(|idx| idx.iter().map(|&i| notice_view(&notices[i])).collect())
            .unwrap_or_default()
    }
}

/// One part of the notice board.
#[derive(Debug, Serialize)]
pub struct BoardSection {
    pub name: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub notices: Vec<NoticeView>,
}

/// How many notices of each severity, for the board's summary and the home page.
#[derive(Debug, Default, Serialize)]
pub struct NoticeCounts {
    pub overdue: usize,
    pub warning: usize,
    pub info: usize,
    pub upcoming: usize,
    pub recent: usize,
    pub total: usize,
}

pub fn counts(notices: &[Notice]) -> NoticeCounts {
    let mut c = NoticeCounts {
        total: notices.len(),
        ..NoticeCounts::default()
    };
    for n in notices {
        match n.severity {
            Severity::Overdue => c.overdue += 1,
            Severity::Warning => c.warning += 1,
            Severity::Info => c.info += 1,
        }
        match n.section() {
            Section::Upcoming => c.upcoming += 1,
            Section::Recent => c.recent += 1,
            Section::Overdue => {}
        }
    }
    c
}

/// The notice board's sections, in the order 即将到期, 已逾期, 近期截止. Upcoming notices are
/// listed soonest first; overdue and recent ones most recent first.
pub fn board_sections(notices: &[Notice]) -> Vec<BoardSection> {
    Section::ALL
        .iter()
        .map(|&section| {
            let mut list: Vec<&Notice> = notices.iter().filter(|n| n.section() == section).collect();
            match section {
                Section::Upcoming => list.sort_by_key(|n| (n.due, std::cmp::Reverse(n.severity))),
                _ => list.sort_by_key(|n| {
                    (
                        std::cmp::Reverse(n.done.unwrap_or(n.due)),
                        std::cmp::Reverse(n.severity),
                    )
                }),
            }
            BoardSection {
                name: section.name(),
                label: section.label(),
                description: match section {
                    Section::Upcoming => "截止日期在今后，尚未完成的事项：年度报告、正在征求意见的决策、即将到期的规范性文件、计划完成时间临近的决策。",
                    Section::Overdue => "已过截止日期仍未完成，或逾期才完成的事项：逾期未公开或逾期公开的年度报告和文件、逾期未完成的重大行政决策。",
                    Section::Recent => "近期已截止的公开征求意见，有效期已届满、尚未标注处理结果的规范性文件，以及发布后尚无政策解读的规范性文件。",
                },
                notices: list.into_iter().map(notice_view).collect(),
            }
        })
        .collect()
}

/// What deadlines.html needs beyond the base context: the sections, the counts, the rules.
pub(super) fn board_context(c: &mut super::context::PageContext, p: &Portal, notices: &[Notice]) {
    let d = &p.config.deadlines;
    c.insert("sections", &board_sections(notices));
    c.insert("counts", &counts(notices));
    c.insert("feed_url", &urls::deadlines_feed());
    c.insert("warn_days", &d.warn_days);
    c.insert("disclosure_working_days", &d.disclosure_working_days);
    c.insert(
        "interpretation_working_days",
        &d.interpretation_working_days,
    );
    c.insert(
        "disclosure_by_category",
        &d.by_category.iter().collect::<Vec<_>>(),
    );
    c.insert("fallback_years", &deadlines::fallback_years(notices));
}

/// A decision page's notices: an open consultation's countdown goes with the consultation (as
/// `consultation_countdown`), not among the badges (`notices`).
pub(super) fn decision_context(c: &mut super::context::PageContext, notices: Vec<NoticeView>) {
    let (countdown, notices): (Vec<_>, Vec<_>) = notices
        .into_iter()
        .partition(|n| matches!(n.kind, "consultation-open" | "consultation-closing-soon"));
    c.insert("notices", &notices);
    c.insert("consultation_countdown", &countdown.first());
}

/// Writes `deadlines/atom.xml`. Returns the number of files written.
pub fn write_feed(p: &Portal, derived: &Derived, out: &Output) -> Result<usize, Diagnostic> {
    let feed = super::deadlines_feed::atom_feed(
        &derived.notices,
        &p.config.title,
        p.config.base(),
        derived.today,
    );
    out.write(&urls::file_for(&urls::deadlines_feed()), feed.as_bytes())?;
    Ok(1)
}
