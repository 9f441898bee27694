//! The request register at the terminal, for officers: its notices (for `gongkai deadlines`
//! and `gongkai check`), and `gongkai requests`, the open requests with their limits or an
//! agency's section-3 table for a year as the register counts it.
//!
//! Nothing here writes a file: the register is shown on the officer's own terminal only.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::deadlines_output::{display_width, print_groups, Row};
use crate::derive::deadlines::Severity;
use crate::derive::requests::{RequestNotice, RequestRef};
use crate::diagnostics::{codes, Diagnostic};

/// The heading of the register's part of `gongkai deadlines`.
pub fn heading() -> &'static str {
    crate::zh_en!(
        "依申请公开答复期限（仅供工作人员查看，不在网站上显示）",
        "Time limits of applications for disclosure (for officers only; never on the site)"
    )
}

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
        return writeln!(
            w,
            "{}",
            crate::zh_en!(
                "没有依申请公开答复期限提醒。",
                "No notices about applications for disclosure."
            )
        );
    }
    let rows: Vec<Row> = notices
        .iter()
        .map(|n| Row {
            severity: n.severity,
            due: n.due,
            kind: n.kind.label(),
            object: format!("{} {}", n.request.agency_text(), n.request.id),
            message: &n.message,
            place: crate::validate::slash_path(&n.request.path),
        })
        .collect();
    print_groups(
        &rows,
        crate::zh_en!("答复期限", "due"),
        crate::zh_en!("申请", "request"),
        w,
    )?;
    let overdue = notices
        .iter()
        .filter(|n| n.severity == Severity::Overdue)
        .count();
    writeln!(w)?;
    let (total, warnings) = (notices.len(), notices.len() - overdue);
    writeln!(
        w,
        "{}",
        crate::zh_en!(
            format!("共 {total} 条：已逾期 {overdue} 条，预警 {warnings} 条。"),
            format!("{total} notices: {overdue} overdue, {warnings} warnings.")
        )
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
                    crate::zh_en!(
                        "尽快答复；答复后在登记中填写 answered 和 outcome",
                        "answer it soon, then write answered and outcome in the register"
                    ),
                ),
                K::DueSoon => (
                    codes::REQUEST_DUE_SOON,
                    crate::zh_en!(
                        "在期限内答复；确需延长的，在期限届满前决定延长并告知申请人，登记中填写 extension",
                        "answer within the limit; to extend it, decide before it runs out, tell the applicant and write extension in the register"
                    ),
                ),
                K::AnsweredLate => (
                    codes::REQUEST_ANSWERED_LATE,
                    crate::zh_en!(
                        "已超过法定期限答复，年度报告中如实说明；日期填错的请改正",
                        "answered after the statutory limit: say so in the annual report; correct the dates if they are wrong"
                    ),
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

/// Runs `gongkai requests` on the terminal: the listing or table on stdout, problems on stderr.
pub fn run(
    root: &std::path::Path,
    today: chrono::NaiveDate,
    format: super::Format,
    agency: Option<&str>,
    year: Option<i32>,
) -> std::process::ExitCode {
    let stderr = io::stderr();
    let color = super::colored(&stderr);
    let (mut out, mut err) = (io::stdout().lock(), stderr.lock());
    let query = Query {
        today,
        format,
        agency,
        year,
    };
    match write(root, &query, &mut out, &mut err, color) {
        Ok(code) => std::process::ExitCode::from(code),
        Err(e) => {
            eprintln!(
                "{}",
                crate::zh_en!(format!("错误：{e}"), format!("error: {e}"))
            );
            std::process::ExitCode::from(super::deadlines::EXIT_BROKEN)
        }
    }
}

/// What `gongkai requests` was asked for.
pub struct Query<'a> {
    pub today: chrono::NaiveDate,
    pub format: super::Format,
    /// Only this agency's requests; with `year`, its section-3 table.
    pub agency: Option<&'a str>,
    pub year: Option<i32>,
}

/// Loads and validates the portal at `root` and writes the open requests, or an agency's
/// section 3 for a year, to `out`; problems go to `err`. Exit status as `gongkai deadlines`:
/// 0, or 2 when the portal has errors or the agency does not exist.
pub fn write(
    root: &std::path::Path,
    q: &Query,
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> io::Result<u8> {
    use super::deadlines::{EXIT_BROKEN, EXIT_OK};
    let Some(outcome) = super::deadlines::checked(root, err, color, |n| {
        crate::zh_en!(
            format!("门户有 {n} 个错误，未统计依申请公开登记；请先运行 gongkai check"),
            format!("the portal has {n} errors, so the register was not counted: run gongkai check first")
        )
    })?
    else {
        return Ok(EXIT_BROKEN);
    };
    let portal = &outcome.portal;
    let register = &outcome.register;
    if let Some(a) = q.agency {
        if portal.agency(a).is_none() {
            writeln!(
                err,
                "{}",
                crate::zh_en!(
                    format!("错误：没有代号为 `{a}` 的机关（content/agencies/{a}.yaml）"),
                    format!("error: there is no agency `{a}` (content/agencies/{a}.yaml)")
                )
            )?;
            return Ok(EXIT_BROKEN);
        }
    }
    if !register.present {
        writeln!(
            err,
            "{}",
            crate::zh_en!(
                format!(
                    "提示：没有依申请公开登记文件夹 {}，按没有申请统计",
                    register.dir_text()
                ),
                format!(
                    "note: there is no register folder {}: counted as no requests",
                    register.dir_text()
                )
            )
        )?;
    }
    match (q.agency, q.year) {
        (Some(agency), Some(year)) => table(portal, register, agency, year, q.format, out)?,
        _ => open_list(portal, register, q, out)?,
    }
    Ok(EXIT_OK)
}

/// The open requests on `q.today` (of `q.agency` when given), earliest limit first.
fn open_list(
    portal: &crate::model::Portal,
    register: &crate::model::requests::Register,
    q: &Query,
    out: &mut dyn Write,
) -> io::Result<()> {
    use crate::derive::requests::{open_requests, Standing};
    let cal = crate::derive::deadlines::portal_calendar(portal);
    let open: Vec<_> = open_requests(portal, register, &cal, q.today)
        .into_iter()
        .filter(|o| q.agency.is_none_or(|a| o.request.agency == a))
        .collect();
    if q.format == super::Format::Json {
        let list: Vec<Value> = open
            .iter()
            .map(|o| {
                let (days_left, extended, fallback) = match &o.standing {
                    Standing::Runs {
                        days_left,
                        extended,
                        fallback_years,
                        ..
                    } => (Some(*days_left), *extended, fallback_years.clone()),
                    _ => (None, false, Vec::new()),
                };
                json!({
                    "request": request_json(&o.request),
                    "applicant": o.applicant.key(),
                    "status": o.standing.label(),
                    "due": o.standing.due().map(|d| d.to_string()),
                    "days_left": days_left,
                    "extended": extended,
                    "detail": o.standing.detail(),
                    "fallback_years": fallback,
                })
            })
            .collect();
        let doc = json!({"today": q.today.to_string(), "open": list});
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    writeln!(
        out,
        "{}",
        crate::zh_en!(
            format!(
                "未答复的依申请公开申请（按 {} 计算；仅供工作人员查看，不在网站上显示）",
                q.today
            ),
            format!(
                "Open applications for disclosure as of {} (for officers only; never on the site)",
                q.today
            )
        )
    )?;
    writeln!(out)?;
    if open.is_empty() {
        return writeln!(
            out,
            "{}",
            crate::zh_en!("没有未答复的申请。", "No open applications.")
        );
    }
    let indent = " ".repeat(2 + 10 + 2);
    for o in &open {
        let due = o
            .standing
            .due()
            .map_or_else(|| "—".to_string(), |d| d.to_string());
        let who = crate::zh_en!(
            format!("（{}，{} 收到）", o.applicant.label(), o.request.received),
            format!(" ({}, received {})", o.applicant.key(), o.request.received)
        );
        writeln!(
            out,
            "  {due:<10}  {}  {} {}{who}",
            o.standing.label(),
            o.request.agency_text(),
            o.request.id,
        )?;
        writeln!(out, "{indent}{}", o.standing.detail())?;
        writeln!(
            out,
            "{indent}{}",
            crate::validate::slash_path(&o.request.path)
        )?;
    }
    let overdue = open
        .iter()
        .filter(|o| matches!(o.standing, Standing::Runs { days_left, .. } if days_left < 0))
        .count();
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        crate::zh_en!(
            format!("共 {} 件未答复，其中已逾期 {overdue} 件。", open.len()),
            format!("{} open, {overdue} of them overdue.", open.len())
        )
    )
}

/// Section 3 of `agency`'s annual report for `year` as the register counts it, in the form of
/// the year (the form of the agency's report of that year when it has one).
fn table(
    portal: &crate::model::Portal,
    register: &crate::model::requests::Register,
    agency: &str,
    year: i32,
    format: super::Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    use crate::domain::report_form::{cells, rows, APPLICANT_COLUMNS};
    use crate::model::ReportFormat;
    let form = portal
        .lookup
        .report_of(portal, agency, year)
        .map(|i| portal.reports[i].data.format)
        .unwrap_or_else(|| crate::validate::reports::form_of_year(year));
    // Before 2019 no form was set; the register is counted in today's.
    let form = if form == ReportFormat::Free {
        ReportFormat::F2021
    } else {
        form
    };
    let apps = crate::domain::requests::section_three(
        register.requests.iter().map(|r| &r.data),
        agency,
        year,
        form,
    );
    let name = portal
        .agency(agency)
        .map_or(agency.to_string(), |a| a.data.name.clone());
    let table: Vec<(&crate::domain::report_form::RowDef, Vec<i64>)> = rows(form)
        .iter()
        .filter_map(|r| {
            let row = cells(&apps, r.key)?;
            Some((r, row.iter().map(|c| c.unwrap_or(0)).collect()))
        })
        .collect();
    let form_name = match form {
        ReportFormat::Trial2019 => "2019-trial",
        _ => "2021",
    };
    if format == super::Format::Json {
        let list: Vec<Value> = table
            .iter()
            .map(|(r, cells)| json!({"key": r.key, "label": r.full_label(), "cells": cells}))
            .collect();
        let doc = json!({
            "agency": agency,
            "agency_name": name,
            "year": year,
            "format": form_name,
            "columns": APPLICANT_COLUMNS.iter().map(|c| c.label).collect::<Vec<_>>(),
            "rows": list,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    writeln!(
        out,
        "{}",
        crate::zh_en!(
            format!("{name} {year}年度政府信息公开工作年度报告 第三部分：收到和处理政府信息公开申请情况"),
            format!("{name}, annual report {year}, section 3: applications received and handled")
        )
    )?;
    writeln!(
        out,
        "{}",
        crate::zh_en!(
            format!("由依申请公开登记统计（{form_name} 格式；仅供工作人员核对，年度报告中可写 applications: register）"),
            format!("counted from the request register ({form_name} form; for officers; a report may write applications: register)")
        )
    )?;
    writeln!(out)?;
    let label_width = table
        .iter()
        .map(|(r, _)| display_width(&r.full_label()))
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = APPLICANT_COLUMNS
        .iter()
        .map(|c| display_width(c.label).max(4))
        .collect();
    let pad_left =
        |s: &str, w: usize| format!("{}{s}", " ".repeat(w.saturating_sub(display_width(s))));
    let mut head = " ".repeat(label_width);
    for (c, w) in APPLICANT_COLUMNS.iter().zip(&widths) {
        head.push_str("  ");
        head.push_str(&pad_left(c.label, *w));
    }
    writeln!(out, "{}", head.trim_end())?;
    for (r, cells) in &table {
        let label = r.full_label();
        let mut line = format!("{label}{}", " ".repeat(label_width - display_width(&label)));
        for (c, w) in cells.iter().zip(&widths) {
            line.push_str("  ");
            line.push_str(&pad_left(&c.to_string(), *w));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
