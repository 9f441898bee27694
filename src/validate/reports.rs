//! Annual reports: the file names an agency, the tables have the form's rows, and the
//! numbers add up (see [`crate::domain::report_math`]).

use chrono::Datelike;
use serde_yaml::Value;

use crate::diagnostics::{codes, Severity};
use crate::domain::report_form::{self, APPLICANT_COLUMNS, REVIEW_COLUMNS};
use crate::domain::report_math::{Finding, ReportFindings, Rule};
use crate::model::config::ArithmeticMode;
use crate::model::*;

use super::{closest, did_you_mean, Ctx, FileIssue, Issue};
use crate::zh_en;

fn severity(ctx: &Ctx, rule: Rule) -> Severity {
    if rule == Rule::CarryOver
        || (rule.is_arithmetic() && ctx.portal.config.reports.arithmetic == ArithmeticMode::Warn)
    {
        Severity::Warning
    } else {
        Severity::Error
    }
}

fn warn_mode_hint() -> &'static str {
    zh_en!(
        "如要按印发时的原样发布历史年报，请在 `site.toml` 中设置 `[reports] arithmetic = \"warn\"`",
        "to publish a historical report exactly as it was issued, set `[reports] arithmetic = \"warn\"` in site.toml"
    )
}

fn finding_issue(ctx: &Ctx, f: &Finding) -> Issue {
    let row = &f.row_label;
    let col = f.column_label.unwrap_or("");
    let (found, expected) = (f.found, f.expected);
    let warn = warn_mode_hint();
    let (message, hint) = match f.rule {
        Rule::RowTotal => zh_en!(
            (
                format!("「{row}」行：总计是 {found}，但前六列相加是 {expected}"),
                format!("请改正总计或有误的单元格：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他；{warn}"),
            ),
            (
                format!("row 「{row}」: 总计 is {found} but the first six columns add up to {expected}"),
                format!("总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他: correct the total or the cell that is wrong; {warn}"),
            )
        ),
        Rule::ResultsTotal => zh_en!(
            (
                format!("「{row}」行「{col}」列：总计是 {found}，但（一）至（六）各项办理结果相加是 {expected}"),
                format!("请逐列核对：（七）总计 = （一）+（二）+（三）+（四）+（五）+（六）；{warn}"),
            ),
            (
                format!("row 「{row}」, column 「{col}」: the total is {found} but the outcome rows （一）–（六） add up to {expected}"),
                format!("（七）总计 = （一）+（二）+（三）+（四）+（五）+（六） column by column; {warn}"),
            )
        ),
        Rule::Balance => zh_en!(
            (
                format!("「{row}」行「{col}」列：填的是 {found}，但 一 + 二 − （七）总计 = {expected}"),
                format!("请逐列核对：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理；{warn}"),
            ),
            (
                format!("row 「{row}」, column 「{col}」: is {found} but 一 + 二 − （七）总计 = {expected}"),
                format!("each column must balance: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理; {warn}"),
            )
        ),
        Rule::ReviewTotal => zh_en!(
            (
                format!("「{row}」：总计是 {found}，但 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {expected}"),
                format!("请改正总计或有误的单元格；{warn}"),
            ),
            (
                format!("「{row}」: 总计 is {found} but 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {expected}"),
                format!("correct the total or the cell that is wrong; {warn}"),
            )
        ),
        Rule::RowShape => {
            let columns = if expected == 7 {
                APPLICANT_COLUMNS.map(|c| c.label).join(", ")
            } else {
                REVIEW_COLUMNS.join(", ")
            };
            zh_en!(
                (
                    format!("「{row}」行有 {found} 个数字，表格规定是 {expected} 个"),
                    format!("请按以下顺序写 {expected} 个数字：[{columns}]；空着的单元格写 `~`"),
                ),
                (
                    format!("row 「{row}」 has {found} numbers; the form has {expected}"),
                    format!("write {expected} numbers in this order: [{columns}]; leave a cell blank with `~`"),
                )
            )
        }
        Rule::Negative => zh_en!(
            (
                format!("「{row}」行「{col}」列：{found} 是负数"),
                "请改正这个单元格：件数须为不小于 0 的整数（空着的单元格写 `~`）".into(),
            ),
            (
                format!("row 「{row}」, column 「{col}」: {found} is negative"),
                "counts are whole numbers ≥ 0: correct the cell (a blank cell is written `~`)".into(),
            )
        ),
        Rule::CarryOver => zh_en!(
            (
                format!("「{row}」行「{col}」列：上年结转 {found} 件，但上一年度报告的结转下年度继续办理是 {expected} 件"),
                "请核对两份报告：本年的“二、上年结转”一般等于上年的“四、结转下年度继续办理”（经过机构改革的机关可以不管这条提示）".into(),
            ),
            (
                format!("row 「{row}」, column 「{col}」: {found} carried over, but last year's report carries forward {expected}"),
                "this year's 二、上年结转 normally equals last year's 四、结转下年度继续办理: check both reports (agencies that were reorganised can ignore this)".into(),
            )
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
                    zh_en!(
                        format!("年度报告的文件名应是其机关的文件名，但没有机关 `{a}`"),
                        format!(
                            "a report's file is named after its agency, but there is no agency `{a}`"
                        )
                    ),
                )
                .hint(zh_en!(
                    format!(
                        "请把文件改名为“机关文件名.yaml”；{}",
                        ctx.suggest_agency(a)
                    ),
                    format!(
                        "rename the file to <agency slug>.yaml; {}",
                        ctx.suggest_agency(a)
                    )
                )),
            );
        }
    }
    let rep = &r.data;
    let format = rep.format;
    if format == ReportFormat::Free {
        out.extend(format_for_year(r));
        return out;
    }
    let format_name = match format {
        ReportFormat::F2021 => zh_en!("2021 年版", "2021"),
        _ => zh_en!("2019 年试行版", "2019-trial"),
    };
    if rep.applications.is_none() {
        out.push(
            Issue::error(
                codes::MISSING_KEY,
                "format",
                zh_en!(
                    format!("{format_name}格式的年度报告须有 `applications` 表（第三部分）"),
                    format!("a report in the {format_name} format needs the `applications` table (section 三)")
                ),
            )
            .at_key()
            .hint(zh_en!(
                "请添加 `applications:` 及其各行；只有文字的早年报告请设 `format: free`",
                "add `applications:` with its rows, or set `format: free` for an older report kept as prose"
            ))
            .involving("applications"),
        );
    }
    if rep.reviews_and_litigation.is_none() {
        out.push(
            Issue::error(
                codes::MISSING_KEY,
                "format",
                zh_en!(
                    format!("{format_name}格式的年度报告须有 `reviews_and_litigation` 表（第四部分）"),
                    format!("a report in the {format_name} format needs the `reviews_and_litigation` table (section 四)")
                ),
            )
            .at_key()
            .hint(zh_en!(
                "请添加 `reviews_and_litigation:`，写上 `review`、`litigation_direct` 和 `litigation_after_review`，或设 `format: free`",
                "add `reviews_and_litigation:` with review, litigation_direct and litigation_after_review, or set `format: free`"
            ))
            .involving("reviews_and_litigation"),
        );
    }
    out.extend(format_for_year(r));
    out.extend(issued_against_catalog(ctx, r));
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
                zh_en!(
                    "2021 年版格式中，（六）其他处理分三行，不是一行",
                    "in the 2021 format （六）其他处理 has three rows, not one"
                ),
            )
            .at_key()
            .hint(zh_en!(
                "请在 `other:` 下写 `overdue_correction`、`overdue_fee`、`other` 三个字段（各 7 个数字）；2019、2020 年的报告请设 `format: \"2019-trial\"`",
                "write `other:` as a mapping with overdue_correction, overdue_fee and other (7 numbers each), or set `format: \"2019-trial\"` for a 2019 or 2020 report"
            )),
        ),
        (OtherOutcome::Split(_), _) => out.push(
            Issue::error(
                codes::ROW_SHAPE,
                "applications.results.other",
                zh_en!(
                    format!("{format_name}格式中，（六）其他处理是一行 7 个数字"),
                    format!("in the {format_name} format （六）其他处理 is one row of 7 numbers")
                ),
            )
            .at_key()
            .hint(zh_en!(
                "请写成 `other: [..7 个数字..]`；2021 年及以后的报告请设 `format: \"2021\"`",
                "write `other: [..7 numbers..]`, or set `format: \"2021\"` for a report of 2021 or later"
            )),
        ),
        (OtherOutcome::Single(_), _) => {}
    }
    for (group, map) in groups {
        let Some(map) = map else { continue };
        let members = report_form::group_members(format, group);
        for key in map.keys() {
            if !members.contains(&key.as_str()) {
                let suggestion = closest(key, members.iter().copied())
                    .map(did_you_mean)
                    .unwrap_or_default();
                out.push(
                    Issue::error(
                        codes::UNKNOWN_ROW,
                        format!("applications.results.{group}.{key}"),
                        zh_en!(
                            format!("年度报告表格的 `{group}` 下没有 `{key}` 这一行"),
                            format!("the report form has no row `{key}` under `{group}`")
                        ),
                    )
                    .at_key()
                    .hint(zh_en!(
                        format!("{suggestion}请从这些行中选：{}", members.join("、")),
                        format!("{suggestion}the rows are: {}", members.join(", "))
                    )),
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
                    zh_en!(
                        format!(
                            "缺少{}行，按空白处理",
                            labels
                                .iter()
                                .map(|l| format!("「{l}」"))
                                .collect::<Vec<_>>()
                                .join("、")
                        ),
                        format!(
                            "row(s) {} missing: read as blank",
                            labels
                                .iter()
                                .map(|l| format!("「{l}」"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    ),
                )
                .at_key()
                .hint({
                    let keys: Vec<String> = missing.iter().map(|m| format!("`{m}:`")).collect();
                    zh_en!(
                        format!(
                            "请添加 {}，各写 7 个数字（空着的单元格写 `~`）",
                            keys.join("、")
                        ),
                        format!(
                            "add {} with 7 numbers each (`~` for a blank cell)",
                            keys.join(", ")
                        )
                    )
                }),
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
                    zh_en!(
                        "`proactive` 下面须按行写字段，如 `licensing: {decisions: 0}`",
                        "`proactive` should be a mapping of tables"
                    ),
                )
                .at_key()
                .hint(zh_en!(
                    "请参照 `docs/content-format.md` 中的年度报告示例",
                    "see the report example in docs/content-format.md"
                )),
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
                .map(did_you_mean)
                .unwrap_or_default();
            out.push(
                Issue::warning(
                    codes::UNKNOWN_KEY,
                    path,
                    zh_en!(
                        format!("不认识的字段 `proactive.{key}`，已忽略"),
                        format!("unknown key `proactive.{key}` is ignored")
                    ),
                )
                .at_key()
                .hint(zh_en!(
                    format!("{suggestion}请从这些行中选：{}", known_rows.join("、")),
                    format!("{suggestion}the rows are: {}", known_rows.join(", "))
                )),
            );
            continue;
        };
        let Value::Mapping(cells) = v else {
            if !v.is_null() {
                out.push(Issue::error(
                    codes::WRONG_TYPE,
                    path,
                    zh_en!(
                        format!(
                            "「{}」须写成 `{{{}: 0}}` 这样的字段",
                            row.label, table.columns[0].key
                        ),
                        format!(
                            "「{}」 should be a mapping such as {{{}: 0}}",
                            row.label, table.columns[0].key
                        )
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
                let suggestion = closest(ckey, names.iter().copied())
                    .map(did_you_mean)
                    .unwrap_or_default();
                out.push(
                    Issue::warning(
                        codes::UNKNOWN_KEY,
                        cpath,
                        zh_en!(
                            format!("不认识的字段 `{path}.{ckey}`，已忽略"),
                            format!("unknown key `{path}.{ckey}` is ignored")
                        ),
                    )
                    .at_key()
                    .hint(zh_en!(
                        format!(
                            "{suggestion}「{}」可用的列有：{}",
                            row.label,
                            names.join("、")
                        ),
                        format!(
                            "{suggestion}the columns of 「{}」 are: {}",
                            row.label,
                            names.join(", ")
                        )
                    )),
                );
                continue;
            };
            let what = zh_en!(
                format!("「{}」行「{}」列", row.label, col.label),
                format!("「{}」 「{}」", row.label, col.label)
            );
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
                                zh_en!(
                                    format!("{what}：{n} 不是不小于 0 的整数"),
                                    format!("{what}: {n} is not a whole number ≥ 0")
                                ),
                            )
                            .hint(if col.decimal {
                                zh_en!("请写不小于 0 的金额", "write an amount ≥ 0")
                            } else {
                                zh_en!(
                                    "请写件数：不小于 0 的整数（空着的单元格写 `~`）",
                                    "write a count: a whole number ≥ 0 (`~` for a blank cell)"
                                )
                            }),
                        );
                    }
                }
                _ => out.push(
                    Issue::error(
                        codes::WRONG_TYPE,
                        cpath,
                        zh_en!(
                            format!("{what}须为数字"),
                            format!("{what} should be a number")
                        ),
                    )
                    .hint(zh_en!(
                        "请只写数字，不带单位或引号（空着的单元格写 `~`）",
                        "write the number without units or quotes (`~` for a blank cell)"
                    )),
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

/// The national form of a reporting year: the 2021 form (国办公开办函〔2021〕30号) from the
/// 2021 reports on, the 2019 trial form for 2019 and 2020, and prose before, when the 2007
/// Regulation set no form.
pub(crate) fn form_of_year(year: i32) -> ReportFormat {
    match year {
        2021.. => ReportFormat::F2021,
        2019..=2020 => ReportFormat::Trial2019,
        _ => ReportFormat::Free,
    }
}

fn form_name(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::F2021 => {
            crate::zh_en!("`\"2021\"`（2021 年格式）", "`\"2021\"` (the 2021 form)")
        }
        ReportFormat::Trial2019 => crate::zh_en!(
            "`\"2019-trial\"`（2019 年试行格式）",
            "`\"2019-trial\"` (the 2019 trial form)"
        ),
        ReportFormat::Free => crate::zh_en!("`free`（只有文字）", "`free` (prose only)"),
    }
}

/// A report whose `format` is not the form of its year: likely a `format` left out (the
/// default is 2021) or a report filed in the wrong year's folder.
fn format_for_year(r: &Record<Report>) -> Option<Issue> {
    let year = r.meta.year?;
    let expected = form_of_year(year);
    if r.data.format == expected {
        return None;
    }
    Some(
        Issue::warning(
            codes::REPORT_FORMAT_YEAR,
            "format",
            crate::zh_en!(
                format!(
                    "{year} 年度报告的 `format` 应为 {}，本文件是 {}",
                    form_name(expected),
                    form_name(r.data.format)
                ),
                format!(
                    "a report for {year} has `format` {}; this one is {}",
                    form_name(expected),
                    form_name(r.data.format)
                )
            ),
        )
        .at_key()
        .hint(crate::zh_en!(
            format!(
                "2021 年度及以后的报告用 2021 年格式，2019、2020 年度用 2019 年试行格式，2018 年度及以前只有文字；核对 `format` 和报告所在的年度文件夹 reports/{year}/"
            ),
            format!(
                "reports for 2021 on use the 2021 form, 2019 and 2020 the 2019 trial form, 2018 and before prose only: check `format` and the year folder reports/{year}/"
            )
        )),
    )
}

/// A number of section 2 as written (`None` for a blank cell or anything but a whole number).
fn proactive_number(rep: &Report, row: &str, column: &str) -> Option<i64> {
    rep.proactive.as_ref()?.get(row)?.get(column)?.as_i64()
}

/// Section 2's normative documents issued in the year (本年制发, or 本年新制作 in the 2019 trial
/// form) against the catalogue's normative documents of the agency written that year. Only when
/// the catalogue has some document of the agency written that year: a portal that has not
/// entered its older documents would otherwise be told so for every year.
fn issued_against_catalog(ctx: &Ctx, r: &Record<Report>) -> Option<Issue> {
    let year = r.meta.year?;
    let agency = r.meta.folder_agency.as_deref()?;
    let column = match r.data.format {
        ReportFormat::F2021 => "issued",
        ReportFormat::Trial2019 => "made",
        ReportFormat::Free => return None,
    };
    let reported = proactive_number(&r.data, "normative_documents", column)?;
    let docs = &ctx.portal.documents;
    let of_year: Vec<&Document> = ctx
        .portal
        .lookup
        .documents_by_agency
        .get(agency)?
        .iter()
        .map(|&i| &docs[i].data)
        .filter(|d| d.written.year() == year)
        .collect();
    if of_year.is_empty() {
        return None;
    }
    let listed = of_year.iter().filter(|d| d.normative).count() as i64;
    if listed == reported {
        return None;
    }
    Some(
        Issue::warning(
            codes::ISSUED_VS_CATALOG,
            format!("proactive.normative_documents.{column}"),
            crate::zh_en!(
                format!(
                    "报告填写本年制发行政规范性文件 {reported} 件，公开目录中本机关 {year} 年成文的行政规范性文件有 {listed} 件"
                ),
                format!(
                    "the report gives {reported} normative documents issued; the catalog has {listed} of this agency written in {year}"
                )
            ),
        )
        .hint(crate::zh_en!(
            "核对报告中的数字；或在公开目录中补录文件，为规范性文件加上 `normative: true`。公开目录没有收录本机关当年全部文件的，可以不理会本提示",
            "check the report's number, or add the documents to the catalog with `normative: true`; a catalog that does not hold all of the year's documents may ignore this"
        )),
    )
}

/// Section 2 across years: this year's 现行有效件数 of 规章 and 行政规范性文件 should be last
/// year's plus this year's 本年制发 less 本年废止, when the same agency's report of the year
/// before is on the portal, both in the 2021 form, with all four numbers filled in.
pub(crate) fn in_force_across_years(ctx: &Ctx) -> Vec<FileIssue> {
    let p = ctx.portal;
    let mut out = Vec::new();
    for r in &p.reports {
        let (Some(year), Some(agency)) = (r.meta.year, r.meta.folder_agency.as_deref()) else {
            continue;
        };
        let Some(prev) = p
            .lookup
            .report_of(p, agency, year - 1)
            .map(|i| &p.reports[i])
        else {
            continue;
        };
        if r.data.format != ReportFormat::F2021 || prev.data.format != ReportFormat::F2021 {
            continue;
        }
        for row in report_form::PROACTIVE_2021[0].rows {
            let n = |rep: &Report, column| proactive_number(rep, row.key, column);
            let (Some(in_force), Some(issued), Some(repealed), Some(before)) = (
                n(&r.data, "in_force"),
                n(&r.data, "issued"),
                n(&r.data, "repealed"),
                n(&prev.data, "in_force"),
            ) else {
                continue;
            };
            let expected = before + issued - repealed;
            if in_force == expected {
                continue;
            }
            let path = format!("proactive.{}.in_force", row.key);
            out.push((
                r.meta.path.clone(),
                Issue::warning(
                    codes::IN_FORCE_ACROSS_YEARS,
                    path.clone(),
                    crate::zh_en!(
                        format!(
                            "「{}」现行有效件数为 {in_force}，但上年度报告的现行有效件数 {before} + 本年制发 {issued} − 本年废止 {repealed} = {expected}",
                            row.label
                        ),
                        format!(
                            "「{}」: {in_force} in force, but last year's {before} in force + {issued} issued − {repealed} repealed = {expected}",
                            row.label
                        )
                    ),
                )
                .hint(crate::zh_en!(
                    "核对两年的报告；有效期届满自然失效或被修订的文件也会使数字不一致，属于这种情况的，可在第一部分总体情况中说明",
                    "check both years' reports; documents that expired or were amended also make the numbers differ, which the overview may explain"
                ))
                .also(&prev.meta.path, path),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_year_has_its_form() {
        assert_eq!(form_of_year(2008), ReportFormat::Free);
        assert_eq!(form_of_year(2018), ReportFormat::Free);
        assert_eq!(form_of_year(2019), ReportFormat::Trial2019);
        assert_eq!(form_of_year(2020), ReportFormat::Trial2019);
        assert_eq!(form_of_year(2021), ReportFormat::F2021);
        assert_eq!(form_of_year(2030), ReportFormat::F2021);
    }
}
