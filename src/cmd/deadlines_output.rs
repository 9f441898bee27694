//! Notices as text (for people) and JSON (for scripts).

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::derive::deadlines::{Notice, Severity};

/// One notice as JSON, with stable keys:
///
/// ```json
/// {"id": "...", "kind": "report-missing", "kind_label": "年报逾期未公开",
///  "severity": "overdue", "severity_label": "已逾期", "section": "overdue",
///  "record": {"type": "agency", "slug": "sthj", "year": 2024, "title": "...",
///             "url": "/agencies/sthj/", "agency": "sthj", "agency_name": "..."},
///  "due": "2025-01-31", "days_left": -60, "unit": "calendar_days", "done": null,
///  "since": "2025-02-01", "message": "...", "fallback_years": []}
/// ```
pub fn notice_json(n: &Notice) -> Value {
    json!({
        "id": n.id(),
        "kind": n.kind.name(),
        "kind_label": n.kind.label(),
        "severity": n.severity.name(),
        "severity_label": n.severity.label(),
        "section": n.section().name(),
        "record": {
            "type": n.record.kind.name(),
            "slug": n.record.slug,
            "year": n.record.year,
            "title": n.record.title,
            "url": n.record.url,
            "agency": n.record.agency,
            "agency_name": n.record.agency_name,
        },
        "due": n.due.to_string(),
        "days_left": n.days_left,
        "unit": n.unit.name(),
        "done": n.done.map(|d| d.to_string()),
        "since": n.since.to_string(),
        "message": n.message,
        "detail": n.detail,
        "days_text": n.days_text(),
        "fallback_years": n.fallback_years,
    })
}

/// All notices as a JSON array, in the order given.
pub fn to_json(notices: &[Notice]) -> Value {
    Value::Array(notices.iter().map(notice_json).collect())
}

/// Writes the notices for a terminal, grouped by severity (已逾期, 预警, 提示), each group in
/// the order given:
///
/// ```text
/// 已逾期（2）
///   截止日期    类型            对象
///   2025-01-31  年报逾期未公开  示例市生态环境局（2024年度）
///               2024年度政府信息公开工作年度报告应于 2025-01-31 前公开，至今未公开，已逾期 60 天
///               /agencies/sthj/
/// ```
pub fn print_text(notices: &[Notice], w: &mut impl Write) -> io::Result<()> {
    if notices.is_empty() {
        return writeln!(
            w,
            "{}",
            crate::zh_en!("没有期限提醒。", "No deadline notices.")
        );
    }
    let rows: Vec<Row> = notices
        .iter()
        .map(|n| Row {
            severity: n.severity,
            due: n.due,
            kind: n.kind.label(),
            object: match (n.record.kind, n.record.year) {
                (crate::model::Kind::Agency, Some(y)) => format!("{}（{y}年度）", n.record.title),
                _ => n.record.title.clone(),
            },
            message: &n.message,
            place: n.record.url.clone(),
        })
        .collect();
    print_groups(
        &rows,
        crate::zh_en!("截止日期", "due"),
        crate::zh_en!("对象", "record"),
        w,
    )?;
    let total = notices.len();
    let overdue = notices
        .iter()
        .filter(|n| n.severity == Severity::Overdue)
        .count();
    let warning = notices
        .iter()
        .filter(|n| n.severity == Severity::Warning)
        .count();
    writeln!(w)?;
    let info = total - overdue - warning;
    writeln!(
        w,
        "{}",
        crate::zh_en!(
            format!("共 {total} 条：已逾期 {overdue} 条，预警 {warning} 条，提示 {info} 条。"),
            format!(
                "{total} notices: {overdue} overdue, {warning} warnings, {info} for information."
            )
        )
    )
}

/// One notice as a table shows it: its due date, its type, what it is about, what it says
/// and where to look.
pub struct Row<'a> {
    pub severity: Severity,
    pub due: chrono::NaiveDate,
    pub kind: &'static str,
    pub object: String,
    pub message: &'a str,
    pub place: String,
}

/// Writes `rows` grouped by severity, most urgent first, each group under its label and
/// count and a header line (`due_header`, the type, `object_header`); a row's message and
/// place are indented under it. `gongkai deadlines` and `gongkai requests` share it.
pub fn print_groups(
    rows: &[Row],
    due_header: &str,
    object_header: &str,
    w: &mut dyn Write,
) -> io::Result<()> {
    let kind_header = crate::zh_en!("类型", "type");
    let kind_width = rows
        .iter()
        .map(|r| display_width(r.kind))
        .max()
        .unwrap_or(0)
        .max(display_width(kind_header));
    let indent = " ".repeat(2 + 10 + 2);
    let mut first = true;
    for severity in Severity::ALL {
        let group: Vec<&Row> = rows.iter().filter(|r| r.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        if !first {
            writeln!(w)?;
        }
        first = false;
        writeln!(w, "{}（{}）", severity.label(), group.len())?;
        writeln!(
            w,
            "  {}  {}  {}",
            pad(due_header, 10),
            pad(kind_header, kind_width),
            object_header
        )?;
        for r in group {
            writeln!(w, "  {}  {}  {}", r.due, pad(r.kind, kind_width), r.object)?;
            writeln!(w, "{indent}{}", r.message)?;
            writeln!(w, "{indent}{}", r.place)?;
        }
    }
    Ok(())
}

/// Terminal columns taken by `s`: 2 for East Asian wide and fullwidth characters, else 1.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

pub(crate) fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.push_str(&" ".repeat(width.saturating_sub(display_width(s))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(display_width("逾期公开"), 8);
        assert_eq!(display_width("2025-01-31"), 10);
        assert_eq!(display_width("（1）"), 5);
        assert_eq!(pad("类型", 6), "类型  ");
    }
}
