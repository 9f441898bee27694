//! gongkai's emphasis and line breaks against the reference implementations of the
//! CommonMark CJK-friendly amendments and of the CJK line-break rule (markdown-it with
//! markdown-it-cjk-friendly and markdown-it-cjk-breaks, run by node from tests/browser).
//!
//! Thousands of seeded random snippets of Chinese, Korean and Latin text, punctuation, `*`
//! runs, backslashes, code spans and line breaks must render the same. `~` is left out:
//! pulldown-cmark's strikethrough already differs from markdown-it's (a single `~` strikes
//! through, `~~~~` is one run), with or without the amendments.
//!
//! Needs node and `npm install` in tests/browser (tests/support/tools.rs).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::tools;

const ATOMS: &[&str] = &[
    "中", "文", "a", "x", "1", "Ａ", "１", "。", "，", "、", "：", "（", "）", "《", "》", "“",
    "”", "\"", ".", "!", "—", "…", "😀", " ", "\\", "`", "*", "**", "**", "***", "\n", "\n", "한",
];

/// A deterministic snippet of 3 to 14 atoms.
fn line(state: &mut u64) -> String {
    let mut next = |n: usize| {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*state >> 33) % n as u64) as usize
    };
    let len = 3 + next(12);
    (0..len).map(|_| ATOMS[next(ATOMS.len())]).collect()
}

/// HTML with the two renderers' spellings made equal (`<hr />`/`<hr>`, `<br />`/`<br>`, `"` escaped or not,
/// a code block's last newline).
fn normalized(html: &str) -> String {
    html.replace("<hr />", "<hr>")
        .replace("<br />", "<br>")
        .replace("\n</code>", "</code>")
        .replace("&quot;", "\"")
        .trim_end()
        .to_string()
}

/// Per case, the reference rendering (`None` where the reference fails) and markdown-it's
/// without the CJK rules.
fn reference(cases: &[String]) -> Vec<(Option<String>, String)> {
    let mut child = Command::new("node")
        .arg("tests/browser/markdown_reference.mjs")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = serde_json::to_vec(cases).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "markdown_reference.mjs failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn emphasis_and_line_breaks_match_the_references() {
    let mut state = 20261203;
    let cases: Vec<String> = (0..6000).map(|_| line(&mut state)).collect();
    if !tools::available(
        "emphasis_and_line_breaks_match_the_references",
        &[tools::Need::Node, tools::Need::NodePackages],
    ) {
        return;
    }
    let rendered = reference(&cases);
    let mut mismatches = Vec::new();
    let mut amended_differs = 0;
    let mut no_reference = 0;
    for (md, (amended, original)) in cases.iter().zip(&rendered) {
        let Some(amended) = amended else {
            no_reference += 1;
            continue;
        };
        if amended != original {
            amended_differs += 1;
        }
        let ours = normalized(&gongkai::text::markdown::to_html(md));
        if ours != normalized(amended) {
            mismatches.push(format!("{md:?}\n  reference: {amended}  gongkai:   {ours}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} snippets differ from the references, e.g.:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
    assert!(
        no_reference < cases.len() / 100,
        "the reference failed on {no_reference} snippets"
    );
    // The CJK rules must be exercised, or the comparison proves nothing.
    assert!(
        amended_differs > cases.len() / 50,
        "only {amended_differs} snippets where the CJK rules matter"
    );
}
