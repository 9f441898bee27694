//! `gongkai export`: the portal's records as data on stdout or in a file, for loading into a
//! search engine (docs/data.md).

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::check::print_diagnostics;
use super::{colored, error_line};

/// Exit status: the portal could not be read or has errors; nothing was exported.
pub const EXIT_BROKEN: u8 = 2;

/// Runs `gongkai export --format ndjson`: the lines to `output` (stdout without it), problems
/// and the count to stderr.
pub fn run(root: &Path, today: NaiveDate, output: Option<&Path>) -> ExitCode {
    let stderr = io::stderr();
    let color = colored(&stderr);
    let mut err = stderr.lock();
    let outcome = match crate::build::check_cached(root) {
        Ok(o) => o,
        Err(d) => {
            let _ = print_diagnostics(std::slice::from_ref(&d), root, &mut err, color);
            return ExitCode::from(EXIT_BROKEN);
        }
    };
    let _ = print_diagnostics(&outcome.diagnostics, root, &mut err, color);
    if outcome.has_errors() {
        let n = outcome.errors();
        let _ = writeln!(
            err,
            "{}",
            crate::zh_en!(
                format!("门户有 {n} 个错误，未导出；请先运行 gongkai check"),
                format!(
                    "the portal has {n} errors, so nothing was exported: run gongkai check first"
                )
            )
        );
        return ExitCode::from(EXIT_BROKEN);
    }
    let portal = &outcome.portal;
    let derived = crate::derive::derive(portal, &outcome.report_findings, today);
    let written = match output {
        Some(path) => std::fs::File::create(path)
            .map_err(|e| crate::render::catalogs::write_error(&path.display().to_string(), e))
            .and_then(|f| {
                let mut w = BufWriter::new(f);
                let n = crate::render::ndjson::export_ndjson(portal, root, &derived, &mut w)?;
                w.flush().map_err(|e| {
                    crate::render::catalogs::write_error(&path.display().to_string(), e)
                })?;
                Ok(n)
            }),
        None => {
            let mut w = BufWriter::new(io::stdout().lock());
            crate::render::ndjson::export_ndjson(portal, root, &derived, &mut w).and_then(|n| {
                w.flush()
                    .map(|_| n)
                    .map_err(|e| crate::render::catalogs::write_error("stdout", e))
            })
        }
    };
    match written {
        Ok(n) => {
            let _ = writeln!(
                err,
                "{}",
                crate::zh_en!(
                    format!("已导出 {n} 条记录"),
                    format!("exported {n} records")
                )
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            let _ = writeln!(err, "{}", error_line(&d.message));
            ExitCode::from(EXIT_BROKEN)
        }
    }
}
