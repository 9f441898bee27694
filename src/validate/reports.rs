//! Annual reports: the file names an agency, the tables have the form's rows, and the
//! numbers add up (see [`crate::domain::report_math`]).

use serde_yaml::Value;

use crate::diagnostics::{codes, Severity};
use crate::domain::report_form::{self, APPLICANT_COLUMNS, REVIEW_COLUMNS};
use crate::domain::report_math::{Finding, ReportFindings, Rule};
use crate::model::config::ArithmeticMode;
use crate::model::*;

use super::{closest, Ctx, FileIssue, Issue};

fn severity(ctx: &Ctx, rule: Rule) -> Severity {
    if rule == Rule::CarryOver
        || (rule.is_arithmetic() && ctx.portal.config.reports.arithmetic == ArithmeticMode::Warn)
    {
        Severity::Warning
    } else {
        Severity::Error
    }
}

const WARN_MODE_HINT: &str = "to publish a historical report exactly as it was issued, set `[reports] arithmetic = \"warn\"` in site.toml";

fn finding_issue(ctx: &Ctx, f: &Finding) -> Issue {
    let row = &f.row_label;
    let col = f.column_label.unwrap_or("");
    let (message, hint) = match f.rule {
        Rule::RowTotal => (
            format!(
                "row 「{row}」: 总计 is {} but the first six columns add up to {}",
                f.found, f.expected
            ),
            format!("总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他: correct the total or the cell that is wrong; {WARN_MODE_HINT}"),
        ),
        Rule::ResultsTotal => (
            format!(
                "row 「{row}」, column 「{col}」: the total is {} but the outcome rows （一）–（六） add up to {}",
                f.found, f.expected
            ),
            format!("（七）总计 = （一）+（二）+（三）+（四）+（五）+（六） column by column; {WARN_MODE_HINT}"),
        ),
        Rule::Balance => (
            format!(
                "row 「{row}」, column 「{col}」: is {} but 一 + 二 − （七）总计 = {}",
                f.found, f.expected
            ),
            format!("each column must balance: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理; {WARN_MODE_HINT}"),
        ),
        Rule::ReviewTotal => (
            format!(
                "「{row}」: 总计 is {} but 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {}",
                f.found, f.expected
            ),
            format!("correct the total or the cell that is wrong; {WARN_MODE_HINT}"),
        ),
        Rule::RowShape => (
            format!(
                "row 「{row}」 has {} numbers; the form has {}",
                f.found, f.expected
            ),
            if f.expected == 7 {
                format!(
                    "write 7 numbers in this order: [{}]; leave a cell blank with `~`",
                    APPLICANT_COLUMNS.map(|c| c.label).join(", ")
                )
            } else {
                format!(
                    "write 5 numbers in this order: [{}]; leave a cell blank with `~`",
                    REVIEW_COLUMNS.join(", ")
                )
            },
        ),
        Rule::Negative => (
            format!("row 「{row}」, column 「{col}」: {} is negative", f.found),
            "counts are whole numbers ≥ 0: correct the cell (a blank cell is written `~`)".into(),
        ),
        Rule::CarryOver => (
            format!(
                "row 「{row}」, column 「{col}」: {} carried over, but last year's report carries forward {}",
                f.found, f.expected
            ),
            "this year's 二、上年结转 normally equals last year's 四、结转下年度继续办理: check both reports (agencies that were reorganised can ignore this)".into(),
        ),
    };
    let mut issue = Issue::error(f.rule.code(), f.cell_path(), message).hint(hint);
    issue.severity = severity(ctx, f.rule);
    if f.column_index.is_none() {
        issue = issue.at_key();
    }
    issue
}

pub(crate) fn report(ctx: &Ctx, r: &Record<Report>, found: &ReportFindings) -> Vec<Issue> {
    let mut out = Vec::new();
    if let Some(a) = r.meta.folder_agency.as_deref() {
        if ctx.agency_missing(a) {
            out.push(
                Issue::error(
                    codes::UNKNOWN_AGENCY,
                    "",
                    format!(
                        "a report's file is named after its agency, but there is no agency `{a}`"
                    ),
                )
                .hint(format!(
                    "rename the file to <agency slug>.yaml; {}",
                    ctx.suggest_agency(a)
                )),
            );
        }
    }
    let rep = &r.data;
    let format = rep.format;
    if format == ReportFormat::Free {
        return out;
    }
    let format_name = match format {
        ReportFormat::F2021 => "2021",
        _ => "2019-trial",
    };
    if rep.applications.is_none() {
        out.push(
            Issue::error(
                codes::MISSING_KEY,
                "format",
                format!("a report in the {format_name} format needs the `applications` table (section 三)"),
            )
            .at_key()
            .hint("add `applications:` with its rows, or set `format: free` for an older report kept as prose")
            .involving("applications"),
        );
    }
    if rep.reviews_and_litigation.is_none() {
        out.push(
            Issue::error(
                codes::MISSING_KEY,
                "format",
                format!("a report in the {format_name} format needs the `reviews_and_litigation` table (section 四)"),
            )
            .at_key()
            .hint("add `reviews_and_litigation:` with review, litigation_direct and litigation_after_review, or set `format: free`")
            .involving("reviews_and_litigation"),
        );
    }
    if let Some(apps) = &rep.applications {
        rows_of_form(&mut out, format, format_name, apps);
    }
    if let Some(p) = &rep.proactive {
        proactive(&mut out, format, p);
    }
    for f in &found.own {
        out.push(finding_issue(ctx, f));
    }
    out
}

/// Sub-rows that are not in the form (errors) or missing from the report (warnings), and a
/// （六） shape that does not match the format.
fn rows_of_form(
    out: &mut Vec<Issue>,
    format: ReportFormat,
    format_name: &str,
    apps: &Applications,
) {
    let r = &apps.results;
    let mut groups: Vec<(&str, Option<&std::collections::BTreeMap<String, Row>>)> = vec![
        ("withheld", Some(&r.withheld)),
        ("unable", Some(&r.unable)),
        ("not_processed", Some(&r.not_processed)),
    ];
    match (&r.other, format) {
        (OtherOutcome::Split(m), ReportFormat::F2021) => groups.push(("other", Some(m))),
        (OtherOutcome::Single(_), ReportFormat::F2021) => out.push(
            Issue::error(
                codes::ROW_SHAPE,
                "applications.results.other",
                "in the 2021 format （六）其他处理 has three rows, not one",
            )
            .at_key()
            .hint("write `other:` as a mapping with overdue_correction, overdue_fee and other (7 numbers each), or set `format: \"2019-trial\"` for a 2019 or 2020 report"),
        ),
        (OtherOutcome::Split(_), _) => out.push(
            Issue::error(
                codes::ROW_SHAPE,
                "applications.results.other",
                format!("in the {format_name} format （六）其他处理 is one row of 7 numbers"),
            )
            .at_key()
            .hint("write `other: [..7 numbers..]`, or set `format: \"2021\"` for a report of 2021 or later"),
        ),
        (OtherOutcome::Single(_), _) => {}
    }
    for (group, map) in groups {
        let Some(map) = map else { continue };
        let members = report_form::group_members(format, group);
        for key in map.keys() {
            if !members.contains(&key.as_str()) {
                let suggestion = closest(key, members.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                out.push(
                    Issue::error(
                        codes::UNKNOWN_ROW,
                        format!("applications.results.{group}.{key}"),
                        format!("the report form has no row `{key}` under `{group}`"),
                    )
                    .at_key()
                    .hint(format!("{suggestion}the rows are: {}", members.join(", "))),
                );
            }
        }
        let missing: Vec<&str> = members
            .iter()
            .copied()
            .filter(|m| !map.contains_key(*m))
            .collect();
        if !missing.is_empty() {
            let labels: Vec<String> = missing
                .iter()
                .filter_map(|m| report_form::find_row(format, &format!("results.{group}.{m}")))
                .map(|d| d.full_label())
                .collect();
            out.push(
                Issue::warning(
                    codes::MISSING_ROW,
                    format!("applications.results.{group}"),
                    format!(
                        "row(s) {} missing: read as blank",
                        labels
                            .iter()
                            .map(|l| format!("「{l}」"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .at_key()
                .hint(format!(
                    "add {} with 7 numbers each (`~` for a blank cell)",
                    missing
                        .iter()
                        .map(|m| format!("`{m}:`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
}

/// Section 2: known rows and columns, whole numbers ≥ 0 (decimals where the form has amounts).
fn proactive(out: &mut Vec<Issue>, format: ReportFormat, value: &Value) {
    let Value::Mapping(rows) = value else {
        if !value.is_null() {
            out.push(
                Issue::error(
                    codes::WRONG_TYPE,
                    "proactive",
                    "`proactive` should be a mapping of tables",
                )
                .at_key()
                .hint("see the report example in docs/content-format.md"),
            );
        }
        return;
    };
    let known_rows: Vec<&str> = report_form::proactive_tables(format)
        .iter()
        .flat_map(|t| t.rows.iter().map(|r| r.key))
        .collect();
    for (k, v) in rows {
        let Some(key) = k.as_str() else { continue };
        let path = format!("proactive.{key}");
        let Some((table, row)) = report_form::find_proactive_row(format, key) else {
            let suggestion = closest(key, known_rows.iter().copied())
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            out.push(
                Issue::warning(
                    codes::UNKNOWN_KEY,
                    path,
                    format!("unknown key `proactive.{key}` is ignored"),
                )
                .at_key()
                .hint(format!(
                    "{suggestion}the rows are: {}",
                    known_rows.join(", ")
                )),
            );
            continue;
        };
        let Value::Mapping(cells) = v else {
            if !v.is_null() {
                out.push(Issue::error(
                    codes::WRONG_TYPE,
                    path,
                    format!(
                        "「{}」 should be a mapping such as {{{}: 0}}",
                        row.label, table.columns[0].key
                    ),
                ));
            }
            continue;
        };
        for (ck, cv) in cells {
            let Some(ckey) = ck.as_str() else { continue };
            let cpath = format!("{path}.{ckey}");
            let Some(col) = table.columns.iter().find(|c| c.key == ckey) else {
                let names: Vec<&str> = table.columns.iter().map(|c| c.key).collect();
                out.push(
                    Issue::warning(
                        codes::UNKNOWN_KEY,
                        cpath,
                        format!("unknown key `{path}.{ckey}` is ignored"),
                    )
                    .at_key()
                    .hint(format!(
                        "{}the columns of 「{}」 are: {}",
                        closest(ckey, names.iter().copied())
                            .map(|s| format!("did you mean `{s}`? "))
                            .unwrap_or_default(),
                        row.label,
                        names.join(", ")
                    )),
                );
                continue;
            };
            let what = format!("「{}」 「{}」", row.label, col.label);
            match cv {
                Value::Null => {}
                Value::Number(n) => {
                    let whole = n.as_i64().is_some() || n.as_u64().is_some();
                    let negative = n.as_f64().is_some_and(|f| f < 0.0);
                    if (!whole && !col.decimal) || (negative && !col.signed) {
                        out.push(
                            Issue::error(
                                codes::NEGATIVE_NUMBER,
                                cpath,
                                format!("{what}: {n} is not a whole number ≥ 0"),
                            )
                            .hint(if col.decimal {
                                "write an amount ≥ 0".to_string()
                            } else {
                                "write a count: a whole number ≥ 0 (`~` for a blank cell)"
                                    .to_string()
                            }),
                        );
                    }
                }
                _ => out.push(
                    Issue::error(
                        codes::WRONG_TYPE,
                        cpath,
                        format!("{what} should be a number"),
                    )
                    .hint("write the number without units or quotes (`~` for a blank cell)"),
                ),
            }
        }
    }
}

/// The cross-year carry-over check between consecutive reports of each agency.
pub(crate) fn carry_over(ctx: &Ctx, found: &[ReportFindings]) -> Vec<FileIssue> {
    let mut out = Vec::new();
    for (r, found) in ctx.portal.reports.iter().zip(found) {
        let Some((prev, findings)) = &found.carry_over else {
            continue;
        };
        let prev = &ctx.portal.reports[*prev];
        for f in findings {
            let col = f.column_index.unwrap_or(0);
            let issue = finding_issue(ctx, f).also(
                &prev.meta.path,
                format!("applications.carried_forward.{col}"),
            );
            out.push((r.meta.path.clone(), issue));
        }
    }
    out
}
