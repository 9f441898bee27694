//! What the report page says about inconsistent cells: the findings indexed by cell, and the
//! sentence of each finding, on its cell and in the page's list.

use std::collections::HashMap;

use crate::domain::report_math::{Finding, Rule};

/// Findings by (row key, column); `None` for whole-row findings.
pub(super) type Notes<'f> = HashMap<(&'static str, Option<usize>), Vec<&'f Finding>>;

pub(super) fn index_findings(findings: &[Finding]) -> Notes<'_> {
    let mut m: Notes = HashMap::new();
    for f in findings {
        m.entry((f.row_key, f.column_index)).or_default().push(f);
    }
    m
}

/// The visible note of a finding on a cell, e.g. `应为 272（各项之和），报告所载为空白`.
pub fn note_text(f: &Finding, blank: bool) -> String {
    let found = if blank {
        "空白".to_string()
    } else {
        f.found.to_string()
    };
    let (e, sep) = (f.expected, if blank { "" } else { " " });
    match f.rule {
        Rule::RowTotal | Rule::ReviewTotal => {
            format!("应为 {e}（各项之和），报告所载为{sep}{found}")
        }
        Rule::ResultsTotal => format!("应为 {e}（各项办理结果之和），报告所载为{sep}{found}"),
        Rule::Balance => {
            format!("应为 {e}（第一项加第二项，减去（七）总计），报告所载为{sep}{found}")
        }
        Rule::CarryOver => {
            format!("上年报告“结转下年度继续办理”为 {e}，本报告所载为{sep}{found}")
        }
        Rule::Negative => format!("应为不小于 0 的整数，报告所载为 {}", f.found),
        Rule::RowShape => format!("本行应有 {} 个数，报告所载为 {} 个", f.expected, f.found),
    }
}

pub(super) fn note_class(f: &Finding) -> &'static str {
    match f.rule {
        Rule::CarryOver => "carry-over",
        _ => "inconsistent",
    }
}

pub(super) fn finding_line(f: &Finding) -> String {
    let col = f
        .column_label
        .map(|c| format!("“{c}”列"))
        .unwrap_or_default();
    format!("{}{col}：{}", f.row_label, note_text(f, false))
}
