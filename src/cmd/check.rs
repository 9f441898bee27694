//! `gongkai check`: print what loading and validating a portal found ([`crate::build::check`])
//! — for people (rustc-style, with the source line and a marker) or for scripts (JSON).

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use crate::build;
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::validate::slash_path;

use super::{colored, Format};

/// Runs `gongkai check` on the portal at `root`: exit 1 when there is any error. The request
/// register's notices on `today` are listed as warnings.
pub fn run(root: &Path, format: Format, today: NaiveDate) -> ExitCode {
    let mut outcome = match build::check_cached(root) {
        Ok(o) => o,
        Err(d) => {
            let diags = std::slice::from_ref(&d);
            match format {
                Format::Text => print_diagnostics_to_stderr(diags, root),
                // Scripts parse stdout: the problem that stopped the check is its one entry.
                Format::Json => {
                    if let Err(e) = print_json(diags, &mut io::stdout()) {
                        eprintln!("{}", super::error_line(&e));
                    }
                }
            }
            return ExitCode::FAILURE;
        }
    };
    add_request_notices(&mut outcome, today);
    let stdout = io::stdout();
    let color = colored(&stdout);
    let mut out = stdout.lock();
    let written = match format {
        Format::Text => print_text(&outcome.diagnostics, root, &mut out, color, outcome.checked),
        Format::Json => print_json(&outcome.diagnostics, &mut out),
    };
    if let Err(e) = written {
        eprintln!("{}", super::error_line(&e));
        return ExitCode::FAILURE;
    }
    if outcome.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Adds the request register's notices on `today` to what a check found, as warnings. Not
/// on a portal with errors: a limit computed from a file the build rejects is not worth
/// trusting (as with `gongkai deadlines`).
pub fn add_request_notices(outcome: &mut build::CheckOutcome, today: NaiveDate) {
    if outcome.has_errors() || !outcome.register.present {
        return;
    }
    let portal = &outcome.portal;
    let calendar = crate::derive::deadlines::portal_calendar(portal);
    let notices = crate::derive::requests::notices(portal, &outcome.register, &calendar, today);
    outcome
        .diagnostics
        .extend(super::requests::notice_diagnostics(&notices));
    diagnostics::sort(&mut outcome.diagnostics);
}

/// Prints diagnostics for people on stderr, in colour when stderr is a terminal.
pub fn print_diagnostics_to_stderr(diags: &[Diagnostic], root: &Path) {
    let stderr = io::stderr();
    let color = colored(&stderr);
    if let Err(e) = print_diagnostics(diags, root, &mut stderr.lock(), color) {
        eprintln!("{}", super::error_line(&e));
    }
}

/// The one-line summary printed after the diagnostics.
pub fn summary(diags: &[Diagnostic], checked: usize) -> String {
    let errors = diagnostics::count_errors(diags);
    let warnings = diags.len() - errors;
    crate::zh_en!(
        format!("检查完成：{errors} 个错误，{warnings} 个警告，共 {checked} 个文件/记录"),
        format!("checked: {errors} errors, {warnings} warnings, {checked} files/records")
    )
}

/// Prints diagnostics like rustc: `error[E030]: message`, `┌─ file:line:column`, the source
/// line with a marker under the offending text, the hint as a note; then the summary line.
/// `checked` is [`build::CheckOutcome::checked`]. Source lines are read from the files under `root`.
pub fn print_text(
    diags: &[Diagnostic],
    root: &Path,
    w: &mut dyn Write,
    color: bool,
    checked: usize,
) -> io::Result<()> {
    print_diagnostics(diags, root, w, color)?;
    writeln!(w, "{}", summary(diags, checked))
}

/// Prints the diagnostics as [`print_text`] does, without the summary line (what `build`
/// shows before its own summary).
pub fn print_diagnostics(
    diags: &[Diagnostic],
    root: &Path,
    w: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<&Path, Option<usize>> = HashMap::new();
    let config = term::Config::default();
    for d in diags {
        let id = if d.line > 0 {
            *ids.entry(d.file.as_path()).or_insert_with(|| {
                read_for_display(root, &d.file).map(|text| files.add(slash_path(&d.file), text))
            })
        } else {
            None
        };
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut cs = CsDiagnostic::new(severity)
            .with_code(d.code)
            .with_message(&d.message);
        let mut notes = Vec::new();
        let span = id.filter(|_| d.line > 0).and_then(|id| {
            let text = files.get(id).ok()?.source();
            byte_span(text, d.line, d.column, d.span_chars).map(|r| (id, r))
        });
        match span {
            Some((id, range)) => cs = cs.with_labels(vec![Label::primary(id, range)]),
            None => {
                let place = if d.line > 0 {
                    format!("{}:{}:{}", slash_path(&d.file), d.line, d.column)
                } else {
                    slash_path(&d.file)
                };
                notes.push(crate::zh_en!(
                    format!("位置：{place}"),
                    format!("in {place}")
                ));
            }
        }
        if let Some(h) = &d.hint {
            notes.push(crate::zh_en!(format!("提示：{h}"), format!("hint: {h}")));
        }
        cs = cs.with_notes(notes);
        let result = if color {
            let mut ansi = termcolor::Ansi::new(&mut *w);
            term::emit_to_write_style(&mut ansi, &config, &files, &cs)
        } else {
            term::emit_to_io_write(&mut *w, &config, &files, &cs)
        };
        result.map_err(|e| io::Error::other(e.to_string()))?;
    }
    Ok(())
}

/// The file's text as diagnostics count lines and columns (BOM and CRLF removed), or `None`
/// when it cannot be shown (missing, or too large to be worth reading for one line).
/// Control characters are shown as visible stand-ins, one for one so that columns stay
/// right: printed raw, a NUL is invisible and an ESC would drive the officer's terminal.
fn read_for_display(root: &Path, rel: &Path) -> Option<String> {
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).ok()?;
    if meta.len() > 64 * 1024 * 1024 {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Some(
        text.replace("\r\n", "\n")
            .chars()
            .map(|c| match c {
                // U+2400 SYMBOL FOR NULL … U+241F, and U+2421 SYMBOL FOR DELETE.
                '\0'..='\u{1f}' if !matches!(c, '\t' | '\n' | '\r') => {
                    char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}')
                }
                '\u{7f}' => '\u{2421}',
                _ if crate::load::source::is_control(c) => '\u{fffd}',
                _ => c,
            })
            .collect(),
    )
}

/// The byte range of `len` characters at 1-based `line` and character `column`.
fn byte_span(text: &str, line: usize, column: usize, len: usize) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = &text[start..start + text[start..].find('\n').unwrap_or(text.len() - start)];
    let mut chars = line_text.char_indices().skip(column.saturating_sub(1));
    let (from, _) = chars.next().unwrap_or((line_text.len(), ' '));
    let to = line_text[from..]
        .char_indices()
        .nth(len.max(1))
        .map_or(line_text.len(), |(i, _)| from + i);
    Some(start + from..start + to.max(from))
}

/// Prints one JSON array of `{severity, code, file, line, column, message, hint}`; `file` is
/// relative to the portal root with `/` separators, `line` and `column` are 1-based and `null`
/// for a problem with the whole file, `hint` is `null` when there is none.
pub fn print_json(diags: &[Diagnostic], w: &mut dyn Write) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Item<'a> {
        severity: Severity,
        code: &'a str,
        file: String,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
        hint: Option<&'a str>,
    }
    let items: Vec<Item> = diags
        .iter()
        .map(|d| {
            let located = d.line > 0;
            Item {
                severity: d.severity,
                code: d.code,
                file: slash_path(&d.file),
                line: located.then_some(d.line),
                column: located.then_some(d.column),
                message: &d.message,
                hint: d.hint.as_deref(),
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *w, &items)?;
    writeln!(w)
}

/// One line per diagnostic, `file:line:column: severity[code]: message (hint)`, for logs.
pub fn print_plain(diags: &[Diagnostic], w: &mut dyn std::io::Write) {
    for d in diags {
        let sev = match d.severity {
            Severity::Error => crate::zh_en!("错误", "error"),
            Severity::Warning => crate::zh_en!("警告", "warning"),
        };
        let hint = d
            .hint
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        let _ = writeln!(
            w,
            "{}:{}:{}: {sev}[{}]: {}{hint}",
            d.file.display(),
            d.line,
            d.column,
            d.code,
            d.message
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters() {
        let text = "a: 1\n名称: 政府办公室\n";
        let r = byte_span(text, 2, 5, 2).unwrap();
        assert_eq!(&text[r], "政府");
        let r = byte_span(text, 2, 50, 2).unwrap();
        assert_eq!(r.start, r.end);
        assert!(byte_span(text, 9, 1, 1).is_none());
    }

    #[test]
    fn control_characters_are_shown_not_sent_to_the_terminal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "x\n正文\u{0}\u{1b}[2J\u{85}尾\n").unwrap();
        let diags = vec![Diagnostic::error(
            crate::diagnostics::codes::CONTROL_CHARACTER,
            "a.md",
            "control",
        )
        .at(Some(crate::diagnostics::Pos::new(2, 4, 1)))];
        let mut out = Vec::new();
        print_text(&diags, dir.path(), &mut out, false, 1).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("正文\u{2400}\u{241b}[2J\u{fffd}尾"), "{s}");
        assert!(!s.contains(['\0', '\u{1b}', '\u{85}']), "{s:?}");
        // The marker is under the ESC stand-in: the columns did not move.
        let line = s.lines().find(|l| l.contains("正文")).unwrap();
        let marker = s.lines().find(|l| l.contains('^')).unwrap();
        let col = |l: &str, i: usize| unicode_width::UnicodeWidthStr::width(&l[..i]);
        assert_eq!(
            col(marker, marker.find('^').unwrap()),
            col(line, line.find('\u{241b}').unwrap()),
            "{s}"
        );
    }

    #[test]
    fn text_and_json_output() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/agencies")).unwrap();
        std::fs::write(
            dir.path().join("content/agencies/a.yaml"),
            "\u{feff}name: 示例\r\ncredit_code: 11220200795219742X\r\n",
        )
        .unwrap();
        let diags = vec![
            Diagnostic::error(
                crate::diagnostics::codes::CREDIT_CODE,
                "content/agencies/a.yaml",
                "bad",
            )
            .at(Some(crate::diagnostics::Pos::new(2, 14, 18)))
            .hint("the check digit should be `W`"),
            Diagnostic::warning(
                crate::diagnostics::codes::UNKNOWN_FILE,
                "content/x.txt",
                "ignored",
            ),
        ];
        let mut out = Vec::new();
        print_text(&diags, dir.path(), &mut out, false, 3).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("error[E030]: bad"), "{s}");
        assert!(s.contains("content/agencies/a.yaml:2:14"), "{s}");
        assert!(s.contains("credit_code: 11220200795219742X"), "{s}");
        assert!(s.contains("^^^^^^^^^^^^^^^^^^"), "{s}");
        assert!(s.contains("提示：the check digit should be `W`"), "{s}");
        assert!(s.contains("位置：content/x.txt"), "{s}");
        assert!(
            s.ends_with("检查完成：1 个错误，1 个警告，共 3 个文件/记录\n"),
            "{s}"
        );

        let mut out = Vec::new();
        print_text(&diags, dir.path(), &mut out, true, 3).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("\u{1b}["));

        let mut out = Vec::new();
        print_json(&diags, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["severity"], "error");
        assert_eq!(v[0]["code"], "E030");
        assert_eq!(v[0]["file"], "content/agencies/a.yaml");
        assert_eq!(v[0]["line"], 2);
        assert_eq!(v[0]["column"], 14);
        assert_eq!(v[1]["line"], serde_json::Value::Null);
        assert_eq!(v[1]["hint"], serde_json::Value::Null);
    }
}
