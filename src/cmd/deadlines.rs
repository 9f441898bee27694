//! `gongkai deadlines`: the notices of a portal on a day, for a person at a terminal or for a
//! script, and an exit status an office's daily CI job can act on. The request register's
//! notices follow the site's, apart: they are for the office only.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::check::print_diagnostics;
pub use super::deadlines_output::{notice_json, print_text, to_json};
use super::{colored, Format};
use crate::derive::deadlines::{fallback_years, notices, portal_calendar, should_fail, Severity};

/// Exit status: notices printed, none of the `--fail-on` severity (or no `--fail-on`).
pub const EXIT_OK: u8 = 0;
/// Exit status: a notice of the `--fail-on` severity (or a more severe one) exists.
pub const EXIT_NOTICE: u8 = 1;
/// Exit status: the portal could not be read or has errors, so no notice can be trusted. Kept
/// apart from [`EXIT_NOTICE`] so a CI job can tell "an office is late" from "the portal is broken".
pub const EXIT_BROKEN: u8 = 2;

/// Runs `gongkai deadlines` on the terminal: notices on stdout, problems on stderr.
pub fn run(root: &Path, today: NaiveDate, format: Format, fail_on: Option<Severity>) -> ExitCode {
    let stderr = io::stderr();
    let color = colored(&stderr);
    let (mut out, mut err) = (io::stdout().lock(), stderr.lock());
    match write(root, today, format, fail_on, &mut out, &mut err, color) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_BROKEN)
        }
    }
}

/// Loads and validates the portal at `root`, writes the notices on `today` to `out` and
/// problems to `err`, and returns the exit status.
pub fn write(
    root: &Path,
    today: NaiveDate,
    format: Format,
    fail_on: Option<Severity>,
    mut out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> io::Result<u8> {
    let Some(outcome) = checked(root, err, color, |n| {
        crate::zh_en!(
            format!("门户有 {n} 个错误，未计算期限提醒；请先运行 gongkai check"),
            format!(
                "the portal has {n} errors, so no deadlines were computed: run gongkai check first"
            )
        )
    })?
    else {
        return Ok(EXIT_BROKEN);
    };
    let portal = &outcome.portal;
    let calendar = portal_calendar(portal);
    let list = notices(portal, &calendar, today);
    let register = &outcome.register;
    let requests = crate::derive::requests::notices(portal, register, &calendar, today);
    let mut years = fallback_years(&list);
    years.extend(
        requests
            .iter()
            .flat_map(|n| n.fallback_years.iter().copied()),
    );
    years.sort_unstable();
    years.dedup();
    if !years.is_empty() {
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        writeln!(
            err,
            "{}",
            crate::zh_en!(
                format!(
                    "警告：没有 {} 年的工作日历，这些年份按周一至周五计算工作日；请添加 content/calendar/<年份>.yaml",
                    years.join("、")
                ),
                format!(
                    "warning: no working-day calendar for {}: Monday to Friday counted as working days; add content/calendar/<year>.yaml",
                    years.join(", ")
                )
            )
        )?;
    }
    match format {
        Format::Text => {
            writeln!(
                out,
                "{}",
                crate::zh_en!(
                    format!("期限提醒（按 {today} 计算）"),
                    format!("Deadline notices as of {today}")
                )
            )?;
            writeln!(out)?;
            print_text(&list, &mut out)?;
            if register.present {
                writeln!(out)?;
                writeln!(out, "{}", super::requests::heading())?;
                writeln!(out)?;
                super::requests::print_notices(&requests, out)?;
            }
        }
        Format::Json => {
            let requests: Vec<_> = requests.iter().map(super::requests::notice_json).collect();
            let doc = serde_json::json!({
                "today": today.to_string(),
                "notices": to_json(&list),
                "requests": requests,
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(match fail_on {
        Some(s) if should_fail(&list, s) || requests.iter().any(|n| n.severity >= s) => EXIT_NOTICE,
        _ => EXIT_OK,
    })
}

/// The checked portal, its warnings printed on `err`; `None` (the problems printed, and
/// `refused(errors)` saying what was not done) when it has errors. Errors stop what a
/// command computes from the portal, as they stop a build: a figure computed from a record
/// the build would reject is not worth trusting.
pub(super) fn checked(
    root: &Path,
    err: &mut dyn Write,
    color: bool,
    refused: impl Fn(usize) -> String,
) -> io::Result<Option<crate::build::CheckOutcome>> {
    let outcome = match crate::build::check_cached(root) {
        Ok(o) => o,
        Err(d) => {
            print_diagnostics(std::slice::from_ref(&d), root, err, color)?;
            return Ok(None);
        }
    };
    print_diagnostics(&outcome.diagnostics, root, err, color)?;
    if outcome.has_errors() {
        writeln!(err, "{}", refused(outcome.errors()))?;
        return Ok(None);
    }
    Ok(Some(outcome))
}
