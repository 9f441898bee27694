//! The disclosure-request register: each request's agency, folder and dates, where the
//! register lives, and the annual reports against it (section 3 counted from it, or compared
//! with it cell by cell from `[requests] complete_since` on).

use std::path::Path;

use chrono::Datelike;

use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::domain::calendar::Calendar;
use crate::domain::report_form::{self, APPLICANT_COLUMNS};
use crate::domain::requests::{limit, section_three, Limit};
use crate::load::requests::{place_problem, DOC};
use crate::model::config::ArithmeticMode;
use crate::model::requests::{Register, Request};
use crate::model::{Portal, Record, Report, ReportFormat, Row};

use super::{closest, resolve, Ctx, FileIssue, Issue};

/// Everything `check` reports about the register beyond parsing, located in its files.
pub fn validate_register(portal: &Portal, register: &Register, root: &Path) -> Vec<Diagnostic> {
    let ctx = Ctx::new(portal, root);
    let cal = Calendar::official().with_overrides(
        portal
            .calendars
            .iter()
            .filter_map(|r| r.meta.year.map(|y| (y, r.data.clone()))),
    );
    let mut issues: Vec<FileIssue> = Vec::new();
    if let Some(why) = place_problem(root, &portal.config) {
        issues.push((
            "site.toml".into(),
            Issue::error(
                codes::REGISTER_PLACE,
                "requests.dir",
                crate::zh_en!(
                    format!(
                        "依申请公开登记不能放在 `{}`：{why}",
                        portal.config.requests.dir
                    ),
                    format!(
                        "the request register cannot be in `{}`: {why}",
                        portal.config.requests.dir
                    )
                ),
            )
            .hint(crate::zh_en!(
                "登记含申请人的个人信息，请放在门户根目录下的 requests/（默认），或门户之外的另一个不公开的文件夹（写绝对路径）",
                "the register holds applicants' personal data: keep it in requests/ at the portal root (the default), or in a private folder outside the portal (an absolute path)"
            )),
        ));
    }
    for r in &register.requests {
        for issue in request(&ctx, &cal, register, r) {
            issues.push((r.meta.path.clone(), issue));
        }
    }
    issues.extend(reports(&ctx, register));
    resolve(issues, root, portal.config.max_file_bytes)
}

fn request(ctx: &Ctx, cal: &Calendar, register: &Register, r: &Record<Request>) -> Vec<Issue> {
    let q = &r.data;
    let mut out = Vec::new();
    if ctx.agency_missing(&q.agency) {
        let guess = closest(&q.agency, ctx.agency_slugs())
            .map(|s| crate::zh_en!(format!("是不是 `{s}`？"), format!("did you mean `{s}`? ")))
            .unwrap_or_default();
        out.push(
            Issue::error(
                codes::UNKNOWN_AGENCY,
                "agency",
                crate::zh_en!(
                    format!("没有短名为 `{}` 的机关", q.agency),
                    format!("there is no agency `{}`", q.agency)
                ),
            )
            .hint(crate::zh_en!(
                format!("{guess}机关短名是 content/agencies/ 下的文件名（不含 .yaml）"),
                format!(
                    "{guess}an agency's slug is its file name in content/agencies/ (without .yaml)"
                )
            )),
        );
    }
    if let Some(folder) = r.meta.year {
        let year = q.received.year();
        if folder != year {
            out.push(
                Issue::error(
                    codes::REQUEST_YEAR,
                    "received",
                    crate::zh_en!(
                        format!("这件申请 {} 收到，却放在 {folder}/ 文件夹中", q.received),
                        format!("this request was received on {} but is in the {folder}/ folder", q.received)
                    ),
                )
                .hint(crate::zh_en!(
                    format!(
                        "申请按收到的年份存放：移到 {}/{year}/，或改正 received",
                        register.dir_text()
                    ),
                    format!(
                        "requests are filed by the year received: move it to {}/{year}/, or correct received",
                        register.dir_text()
                    )
                )),
            );
        }
    }
    let mut order = |path: &str,
                     later: chrono::NaiveDate,
                     earlier: chrono::NaiveDate,
                     what: (&str, &str)| {
        if later < earlier {
            out.push(
                    Issue::error(
                        codes::REQUEST_DATE_ORDER,
                        path,
                        crate::zh_en!(
                            format!("{}（{later} 早于 {earlier}）", what.0),
                            format!("{} ({later} is before {earlier})", what.1)
                        ),
                    )
                    .hint(crate::zh_en!(
                        "核对这两个日期：办理的各个环节不会早于它之前的环节",
                        "check both dates: no step of handling a request comes before the one it follows"
                    )),
                );
        }
    };
    if let Some(c) = q.correction {
        order(
            "correction.requested",
            c.requested,
            q.received,
            (
                "通知补正之日早于收到申请之日",
                "the correction was asked for before the request was received",
            ),
        );
        if let Some(got) = c.received {
            order(
                "correction.received",
                got,
                c.requested,
                (
                    "收到补正之日早于通知补正之日",
                    "the correction was received before it was asked for",
                ),
            );
        }
    }
    if let Some(t) = q.third_party {
        order(
            "third_party.asked",
            t.asked,
            q.received,
            (
                "征求第三方意见之日早于收到申请之日",
                "the third party was asked before the request was received",
            ),
        );
        if let Some(a) = t.answered {
            order(
                "third_party.answered",
                a,
                t.asked,
                (
                    "第三方答复之日早于征求意见之日",
                    "the third party answered before it was asked",
                ),
            );
        }
    }
    if let Some(e) = q.extension {
        order(
            "extension.decided",
            e.decided,
            q.received,
            (
                "决定延长之日早于收到申请之日",
                "the extension was decided before the request was received",
            ),
        );
    }
    if let Some(a) = q.answered {
        order(
            "answered",
            a,
            q.received,
            (
                "答复之日早于收到申请之日",
                "the answer is dated before the request was received",
            ),
        );
        if let Some(e) = q.extension {
            order(
                "answered",
                a,
                e.decided,
                (
                    "答复之日早于决定延长之日",
                    "the answer is dated before the extension was decided",
                ),
            );
        }
        if let Some(t) = q.third_party {
            order(
                "answered",
                a,
                t.asked,
                (
                    "答复之日早于征求第三方意见之日",
                    "the answer is dated before the third party was asked",
                ),
            );
        }
    }
    if let (Some(e), Limit::Runs(d)) = (
        q.extension,
        limit(q, cal, ctx.portal.config.deadlines.request_working_days),
    ) {
        if e.decided > d.first && e.decided >= q.received {
            out.push(
                Issue::error(
                    codes::REQUEST_LATE_EXTENSION,
                    "extension.decided",
                    crate::zh_en!(
                        format!(
                            "{} 决定延长答复期限，但原答复期限 {} 已经届满",
                            e.decided, d.first
                        ),
                        format!(
                            "the extension was decided on {}, after the time limit ran out on {}",
                            e.decided, d.first
                        )
                    ),
                )
                .hint(crate::zh_en!(
                    "条例第三十三条：需要延长的，应当在答复期限届满前决定并告知申请人；日期填错的请改正",
                    "Regulation Art. 33: an extension is decided, and the applicant told, before the limit runs out; correct the date if it is wrong"
                )),
            );
        }
    }
    out
}

/// The reports against the register: `applications: register` without a register or for a
/// year it does not fully hold, and the own numbers of reports from `complete_since` on.
fn reports(ctx: &Ctx, register: &Register) -> Vec<FileIssue> {
    let cfg = &ctx.portal.config;
    let complete_since = cfg.requests.complete_since;
    let mut out = Vec::new();
    if complete_since.is_some() && !register.present {
        out.push((
            "site.toml".into(),
            Issue::warning(
                codes::REGISTER_NOT_FOUND,
                "requests.complete_since",
                crate::zh_en!(
                    format!(
                        "设置了 complete_since，但依申请公开登记文件夹 `{}` 不存在，年度报告未与登记核对",
                        register.dir_text()
                    ),
                    format!(
                        "complete_since is set but the register folder `{}` does not exist: no report was compared with it",
                        register.dir_text()
                    )
                ),
            )
            .hint(crate::zh_en!(
                "在这台机器上放好登记（[requests] dir），或删去 complete_since",
                "put the register on this machine ([requests] dir), or remove complete_since"
            )),
        ));
    }
    for r in &ctx.portal.reports {
        let (Some(year), Some(agency)) = (r.meta.year, r.meta.folder_agency.as_deref()) else {
            continue;
        };
        let Some(apps) = &r.data.applications else {
            continue;
        };
        if apps.from_register {
            if !register.present {
                out.push((
                    r.meta.path.clone(),
                    Issue::error(
                        codes::REGISTER_MISSING,
                        "applications",
                        crate::zh_en!(
                            format!(
                                "第三部分要从依申请公开登记统计，但登记文件夹 `{}` 不存在",
                                register.dir_text()
                            ),
                            format!(
                                "section 3 is to be counted from the register, but the register folder `{}` does not exist",
                                register.dir_text()
                            )
                        ),
                    )
                    .hint(crate::zh_en!(
                        format!(
                            "放好登记（site.toml 的 [requests] dir），或在报告中填写第三部分的表格；见 {DOC}"
                        ),
                        format!(
                            "put the register in place (site.toml [requests] dir), or write section 3's table in the report; see {DOC}"
                        )
                    )),
                ));
            } else if complete_since.is_some_and(|since| year < since) {
                out.push((
                    r.meta.path.clone(),
                    Issue::warning(
                        codes::REGISTER_INCOMPLETE,
                        "applications",
                        crate::zh_en!(
                            format!(
                                "第三部分从依申请公开登记统计，但登记从 {} 年起才完整，{year} 年度的数字可能偏少",
                                complete_since.unwrap_or(year)
                            ),
                            format!(
                                "section 3 is counted from the register, which is complete only from {} on: the numbers for {year} may be short",
                                complete_since.unwrap_or(year)
                            )
                        ),
                    )
                    .hint(crate::zh_en!(
                        "补全这一年的登记后调整 complete_since，或在报告中照原样填写第三部分的表格",
                        "complete that year's register and move complete_since, or write section 3's table as issued"
                    )),
                ));
            }
            continue;
        }
        if !register.present || complete_since.is_none_or(|since| year < since) {
            continue;
        }
        if r.data.format == ReportFormat::Free {
            continue;
        }
        for issue in compare(ctx, register, &r.data, agency, year) {
            out.push((r.meta.path.clone(), issue));
        }
    }
    out
}

/// Each cell of `report`'s section 3 that differs from the register's count.
fn compare(ctx: &Ctx, register: &Register, report: &Report, agency: &str, year: i32) -> Vec<Issue> {
    let Some(written) = &report.applications else {
        return Vec::new();
    };
    let counted = section_three(
        register.requests.iter().map(|r| &r.data),
        agency,
        year,
        report.format,
    );
    let severity = match ctx.portal.config.reports.arithmetic {
        ArithmeticMode::Error => Severity::Error,
        ArithmeticMode::Warn => Severity::Warning,
    };
    let blank = vec![None; APPLICANT_COLUMNS.len()];
    let mut out = Vec::new();
    for def in report_form::rows(report.format) {
        let ours: &Row = report_form::cells(written, def.key).unwrap_or(&blank);
        let Some(theirs) = report_form::cells(&counted, def.key) else {
            continue;
        };
        // A row of the wrong length is an error of its own (E064).
        if ours.len() != APPLICANT_COLUMNS.len() {
            continue;
        }
        for (c, column) in APPLICANT_COLUMNS.iter().enumerate() {
            let a = ours[c].unwrap_or(0);
            let b = theirs[c].unwrap_or(0);
            if a == b {
                continue;
            }
            let mut issue = Issue::error(
                codes::REGISTER_MISMATCH,
                format!("{}.{c}", def.yaml_path()),
                crate::zh_en!(
                    format!(
                        "第三部分「{}」「{}」：报告填写 {a}，依申请公开登记统计为 {b}",
                        def.full_label(),
                        column.label
                    ),
                    format!(
                        "section 3, row 「{}」, column 「{}」: the report gives {a}, the register counts {b}",
                        def.full_label(),
                        column.label
                    )
                ),
            )
            .hint(crate::zh_en!(
                "逐件核对报告和登记，或在报告中写 `applications: register`；照原样发布历史报告的，可在 site.toml 设置 [reports] arithmetic = \"warn\"",
                "check the report against the register request by request, or write `applications: register`; to publish a historical report as issued, set [reports] arithmetic = \"warn\" in site.toml"
            ));
            issue.severity = severity;
            out.push(issue);
        }
    }
    out
}
