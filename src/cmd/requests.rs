//! The request register at the terminal, for officers: its notices (for `gongkai deadlines`
//! and `gongkai check`), and `gongkai requests`, the open requests with their limits or an
//! agency's section-3 table for a year as the register counts it.
//!
//! Nothing here writes a file: the register is shown on the officer's own terminal only.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::deadlines_output::display_width;
use crate::derive::deadlines::Severity;
use crate::derive::requests::{RequestNotice, RequestRef};
use crate::diagnostics::{codes, Diagnostic};

/// The heading of the register's part of `gongkai deadlines`.
pub const HEADING: &str = "依申请公开答复期限（仅供工作人员查看，不在网站上显示）";

fn request_json(r: &RequestRef) -> Value {
    json!({
        "id": r.id,
        "year": r.year,
        "file": crate::validate::slash_path(&r.path),
        "agency": r.agency,
        "agency_name": r.agency_name,
        "received": r.received.to_string(),
    })
}

/// One notice as JSON:
///
/// ```json
/// {"id": "request-overdue/2025/2025-0003/2025-03-31", "kind": "request-overdue",
///  "kind_label": "逾期未答复", "severity": "overdue", "severity_label": "已逾期",
///  "request": {"id": "2025-0003", "year": 2025, "file": "requests/2025/2025-0003.yaml",
///              "agency": "gov-office", "agency_name": "…", "received": "2025-03-03"},
///  "due": "2025-03-31", "days_left": -2, "unit": "working_days", "answered": null,
///  "extended": false, "message": "…", "days_text": "已逾期 2 个工作日", "fallback_years": []}
/// ```
pub fn notice_json(n: &RequestNotice) -> Value {
    json!({
        "id": n.id(),
        "kind": n.kind.name(),
        "kind_label": n.kind.label(),
        "severity": n.severity.name(),
        "severity_label": n.severity.label(),
        "request": request_json(&n.request),
        "due": n.due.to_string(),
        "days_left": n.days_left,
        "unit": "working_days",
        "answered": n.answered.map(|d| d.to_string()),
        "extended": n.extended,
        "message": n.message,
        "days_text": n.days_text(),
        "fallback_years": n.fallback_years,
    })
}

/// The notices grouped by severity, like the site's notices in `gongkai deadlines`:
///
/// ```text
/// 已逾期（1）
///   答复期限    类型        申请
///   2025-03-31  逾期未答复  示例市人民政府办公室 2025-0003
///               2025-03-03 收到的申请应于 2025-03-31 前答复，至今未答复，已逾期 2 个工作日
///               requests/2025/2025-0003.yaml
/// ```
pub fn print_notices(notices: &[RequestNotice], w: &mut dyn Write) -> io::Result<()> {
    if notices.is_empty() {
        return writeln!(w, "没有依申请公开答复期限提醒。");
    }
    let kind_width = notices
        .iter()
        .map(|n| display_width(n.kind.label()))
        .max()
        .unwrap_or(0)
        .max(display_width("类型"));
    let pad = |s: &str, width: usize| {
        format!("{s}{}", " ".repeat(width.saturating_sub(display_width(s))))
    };
    let mut first = true;
    for severity in Severity::ALL {
        let group: Vec<&RequestNotice> =
            notices.iter().filter(|n| n.severity == severity).collect();
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
            "  {}  {}  申请",
            pad("答复期限", 10),
            pad("类型", kind_width)
        )?;
        let indent = " ".repeat(2 + 10 + 2);
        for n in group {
            writeln!(
                w,
                "  {}  {}  {} {}",
                n.due,
                pad(n.kind.label(), kind_width),
                n.request.agency_text(),
                n.request.id
            )?;
            writeln!(w, "{indent}{}", n.message)?;
            writeln!(
                w,
                "{indent}{}",
                crate::validate::slash_path(&n.request.path)
            )?;
        }
    }
    let overdue = notices
        .iter()
        .filter(|n| n.severity == Severity::Overdue)
        .count();
    writeln!(w)?;
    writeln!(
        w,
        "共 {} 条：已逾期 {overdue} 条，预警 {} 条。",
        notices.len(),
        notices.len() - overdue
    )
}

/// The notices as `gongkai check` lists them: warnings naming the request's file (the whole
/// file, so that no line of it, which may hold personal data, is quoted).
pub fn notice_diagnostics(notices: &[RequestNotice]) -> Vec<Diagnostic> {
    use crate::derive::requests::RequestNoticeKind as K;
    notices
        .iter()
        .map(|n| {
            let (code, hint) = match n.kind {
                K::Overdue => (
                    codes::REQUEST_OVERDUE,
                    "尽快答复；答复后在登记中填写 answered 和 outcome",
                ),
                K::DueSoon => (
                    codes::REQUEST_DUE_SOON,
                    "在期限内答复；确需延长的，在期限届满前决定延长并告知申请人，登记中填写 extension",
                ),
                K::AnsweredLate => (
                    codes::REQUEST_ANSWERED_LATE,
                    "已超过法定期限答复，年度报告中如实说明；日期填错的请改正",
                ),
            };
            Diagnostic::warning(
                code,
                &n.request.path,
                format!("{}：{} {}", n.kind.label(), n.request.agency_text(), n.message),
            )
            .hint(hint)
        })
        .collect()
}
