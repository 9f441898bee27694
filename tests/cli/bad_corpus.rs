//! The corpus of bad portals: each case under tests/bad/<case>/ is the minimal good portal
//! (tests/good/minimal/) with ONE defect, given as the files that replace or add to it, plus
//! an expected.json naming every diagnostic the defect must produce (code, file, line, and
//! optionally column and severity). A case passes when `check` reports exactly those.
//!
//! expected.json:
//! ```json
//! { "defect": "what is wrong",
//!   "remove": ["content/…"],                 // optional: files of the base to delete
//!   "symlink_outside": "content/pages/x.md", // optional: a link to a file outside the portal
//!   "expected": [{"code": "E030", "file": "content/agencies/gov.yaml", "line": 4}] }
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use gongkai::build::{self as check, CheckOutcome};
use gongkai::diagnostics::{Diagnostic, Severity};
use serde::Deserialize;

use crate::tree;

#[derive(Debug, Deserialize)]
struct Case {
    defect: String,
    #[serde(default)]
    remove: Vec<String>,
    symlink_outside: Option<String>,
    expected: Vec<Expected>,
}

#[derive(Debug, Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    code: String,
    file: String,
    line: usize,
    column: Option<usize>,
    severity: Option<String>,
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn copy_tree(from: &Path, to: &Path) {
    tree::copy_tree_except(from, to, |rel| rel == Path::new("expected.json"));
}

fn render(outcome: &CheckOutcome, root: &Path) -> String {
    let mut out = Vec::new();
    gongkai::cmd::check::print_text(&outcome.diagnostics, root, &mut out, false, outcome.checked)
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_minimal_portal_checks_clean() {
    let root = tests_dir().join("good/minimal");
    let outcome = check::check(&root).unwrap();
    assert!(
        outcome.diagnostics.is_empty(),
        "{}",
        render(&outcome, &root)
    );
    assert_eq!(outcome.exit_code(), 0);
    let p = &outcome.portal;
    assert!(p.home.is_some());
    assert_eq!(
        (
            p.pages.len(),
            p.agencies.len(),
            p.power.len(),
            p.services.len()
        ),
        (1, 2, 1, 1)
    );
    assert_eq!(
        (
            p.decisions.len(),
            p.documents.len(),
            p.reports.len(),
            p.calendars.len()
        ),
        (1, 2, 2, 1)
    );
    assert_eq!(p.static_files.len(), 2);
    assert_eq!(outcome.checked, 13);
}

/// Runs one case; its diagnostics when they are what expected.json says.
fn run_case(dir: &Path) -> Result<Vec<Diagnostic>, String> {
    let case: Case = serde_json::from_str(
        &fs::read_to_string(dir.join("expected.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("expected.json: {e}"))?;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("portal");
    copy_tree(&tests_dir().join("good/minimal"), &root);
    for r in &case.remove {
        fs::remove_file(root.join(r)).map_err(|e| format!("remove {r}: {e}"))?;
    }
    copy_tree(dir, &root);
    let outside = tempfile::tempdir().unwrap();
    if let Some(link) = &case.symlink_outside {
        let target = outside.path().join("secret.md");
        fs::write(&target, "---\ntitle: 外部文件\n---\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, root.join(link)).unwrap();
    }

    let first = check::check(&root).map_err(|d| format!("check failed: {d:?}"))?;
    let second = check::check(&root).unwrap();
    if first.diagnostics != second.diagnostics {
        return Err("diagnostics differ between two runs".into());
    }
    let got: Vec<Expected> = first
        .diagnostics
        .iter()
        .map(|d| Expected {
            code: d.code.to_string(),
            file: d.file.to_string_lossy().replace('\\', "/"),
            line: d.line,
            column: Some(d.column),
            severity: Some(
                match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                }
                .to_string(),
            ),
        })
        .collect();
    let mut want = case.expected.clone();
    want.sort();
    // Compare on the fields each expectation names.
    let mut unmatched: Vec<Expected> = got.clone();
    let mut missing = Vec::new();
    for w in &want {
        let pos = unmatched.iter().position(|g| {
            g.code == w.code
                && g.file == w.file
                && g.line == w.line
                && (w.column.is_none() || g.column == w.column)
                && (w.severity.is_none() || g.severity == w.severity)
        });
        match pos {
            Some(i) => {
                unmatched.remove(i);
            }
            None => missing.push(w.clone()),
        }
    }
    if !missing.is_empty() || !unmatched.is_empty() {
        return Err(format!(
            "defect: {}\nmissing: {missing:#?}\nunexpected: {unmatched:#?}\n{}",
            case.defect,
            render(&first, &root)
        ));
    }
    // Every diagnostic renders, with its place, and errors set the exit code.
    let text = render(&first, &root);
    for w in &want {
        let place = if w.line > 0 {
            format!("{}:{}:", w.file, w.line)
        } else {
            w.file.clone()
        };
        if !text.contains(&place) {
            return Err(format!("text output lacks `{place}`:\n{text}"));
        }
    }
    let errors = want
        .iter()
        .filter(|w| w.code.starts_with('E') && w.severity.as_deref() != Some("warning"))
        .count();
    if (first.exit_code() == 1) != (errors > 0) {
        return Err(format!(
            "exit code {} with {errors} errors",
            first.exit_code()
        ));
    }
    Ok(first.diagnostics)
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(tests_dir().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.json").is_file())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_portal_reports_its_defect() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            run_case(c)
                .err()
                .map(|e| format!("=== {}\n{e}", c.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The table of docs/content-format.md that tells officers what each message means: rows of
/// `| `E0xx` | “message” | cause | remedy |`, where `……` in a quoted message stands for the
/// part that varies (a file name, a value).
fn guide_rows() -> Vec<(String, Vec<String>)> {
    let guide = fs::read_to_string(tests_dir().join("../docs/content-format.md")).unwrap();
    let start = guide
        .find("## 十三、常见错误及处理")
        .expect("the guide's table of messages");
    guide[start..]
        .lines()
        .take_while(|l| !l.starts_with("## ") || l.contains("十三"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.trim_matches('`');
            let is_code = code.len() == 4
                && (code.starts_with('E') || code.starts_with('W'))
                && code[1..].bytes().all(|b| b.is_ascii_digit());
            if !is_code {
                return None;
            }
            let quotes: Vec<String> = cells[2]
                .split('“')
                .skip(1)
                .filter_map(|q| q.split_once('”').map(|(q, _)| q.to_string()))
                .collect();
            Some((code.to_string(), quotes))
        })
        .collect()
}

/// Whether `text` holds the parts of `pattern` between its `……`, in order.
fn matches_pattern(text: &str, pattern: &str) -> bool {
    let mut rest = text;
    for part in pattern.split("……").filter(|p| !p.is_empty()) {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn the_officers_guide_quotes_the_messages_check_prints() {
    let mut seen: Vec<Diagnostic> = Vec::new();
    for case in cases() {
        seen.extend(run_case(&case).unwrap_or_default());
    }
    let rows = guide_rows();
    assert!(
        rows.len() >= 20,
        "only {} rows read from the guide's table",
        rows.len()
    );
    let mut wrong = Vec::new();
    for (code, quotes) in &rows {
        if quotes.is_empty() {
            wrong.push(format!("{code}: the row quotes no message"));
        }
        let of_code: Vec<&Diagnostic> = seen.iter().filter(|d| d.code == code.as_str()).collect();
        if of_code.is_empty() {
            wrong.push(format!("{code}: no case under tests/bad/ produces it"));
            continue;
        }
        for q in quotes {
            let found = of_code.iter().any(|d| {
                matches_pattern(&d.message, q)
                    || d.hint.as_deref().is_some_and(|h| matches_pattern(h, q))
            });
            if !found {
                let real: Vec<&str> = of_code.iter().map(|d| d.message.as_str()).collect();
                wrong.push(format!(
                    "{code}: “{q}” is not what check says; it says {real:#?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_guide_pattern_matches_only_its_parts_in_order() {
    assert!(matches_pattern("机关 `swj` 不存在", "机关 `……` 不存在"));
    assert!(!matches_pattern("不存在的机关 `swj`", "机关 `……` 不存在"));
    assert!(!matches_pattern(
        "agency `swj` does not exist",
        "机关 `……` 不存在"
    ));
}
