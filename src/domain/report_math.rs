//! The arithmetic of an annual report's tables (sections 3 and 4), as pure functions.
//!
//! Each failure is a [`Finding`] that names the row and the column (by the form's Chinese
//! labels) with the expected and the found number, so that validation can report it and the
//! report renderer can mark the cell when a portal publishes historical reports as issued.
//! Blank cells (`None`) count as 0.

use crate::diagnostics::codes;
use crate::domain::report_form::{
    self, RowRole, APPLICANT_COLUMNS, APPLICANT_TOTAL, REVIEW_BLOCKS, REVIEW_COLUMNS, REVIEW_TOTAL,
};
use crate::model::{Applications, OtherOutcome, Portal, Report, ReportFormat, Row};

/// Which invariant failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Section 3 row: 总计 ≠ the sum of the first six columns.
    RowTotal,
    /// Section 3 column: （七）总计 ≠ the sum of the outcome rows.
    ResultsTotal,
    /// Section 3 column: 一 + 二 ≠ （七）总计 + 四.
    Balance,
    /// Across years: 二、上年结转 ≠ last year's 四、结转下年度继续办理 (a warning).
    CarryOver,
    /// A row with the wrong number of cells (7 in section 3, 5 in section 4).
    RowShape,
    /// Section 4 block: 总计 ≠ the sum of the first four.
    ReviewTotal,
    /// A negative number.
    Negative,
}

impl Rule {
    /// The diagnostic code of this rule.
    pub fn code(self) -> &'static str {
        match self {
            Rule::RowTotal => codes::ROW_TOTAL,
            Rule::ResultsTotal => codes::RESULTS_TOTAL,
            Rule::Balance => codes::BALANCE,
            Rule::CarryOver => codes::CARRY_OVER,
            Rule::RowShape => codes::ROW_SHAPE,
            Rule::ReviewTotal => codes::REVIEW_TOTAL,
            Rule::Negative => codes::NEGATIVE_NUMBER,
        }
    }

    /// Whether `[reports] arithmetic = "warn"` turns this rule into a warning. Wrong row
    /// shapes and negative numbers are data-entry errors, not historical inconsistencies, and
    /// stay errors; the carry-over rule is a warning anyway.
    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            Rule::RowTotal | Rule::ResultsTotal | Rule::Balance | Rule::ReviewTotal
        )
    }
}

/// One failed invariant, pointing at one cell (or, for [`Rule::RowShape`], a whole row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// The row's key: a section-3 key such as `results.withheld.state_secret` (see
    /// [`report_form::ROWS_2021`]) or a section-4 block key such as `litigation_direct`.
    pub row_key: &'static str,
    /// The row's label as the form prints it, with its group: `（三）不予公开 1.属于国家秘密`.
    pub row_label: String,
    /// 0-based column; `None` for a finding about the whole row.
    pub column_index: Option<usize>,
    /// The column header, e.g. `总计`; `None` with `column_index`.
    pub column_label: Option<&'static str>,
    /// What the cell should hold (for `RowShape`: the number of cells; for `Negative`: 0,
    /// the smallest allowed value).
    pub expected: i64,
    /// What it holds (blank = 0; for `RowShape`: the number of cells found).
    pub found: i64,
}

impl Finding {
    /// Whether this finding is about section 4.
    pub fn is_review(&self) -> bool {
        REVIEW_BLOCKS.iter().any(|b| b.key == self.row_key)
    }

    /// The YAML path of the row in the report file, e.g. `applications.results.total`.
    pub fn yaml_path(&self) -> String {
        if self.is_review() {
            format!("reviews_and_litigation.{}", self.row_key)
        } else {
            format!("applications.{}", self.row_key)
        }
    }

    /// The YAML path of the cell (or of the row for a whole-row finding).
    pub fn cell_path(&self) -> String {
        match self.column_index {
            Some(c) => format!("{}.{c}", self.yaml_path()),
            None => self.yaml_path(),
        }
    }
}

fn v(row: Option<&Row>, i: usize) -> i64 {
    row.and_then(|r| r.get(i).copied().flatten()).unwrap_or(0)
}

fn sum_first(row: &Row, n: usize) -> i64 {
    row.iter()
        .take(n)
        .map(|c| c.unwrap_or(0))
        .fold(0i64, |a, b| a.saturating_add(b))
}

struct Ctx {
    out: Vec<Finding>,
}

impl Ctx {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: Rule,
        row_key: &'static str,
        row_label: String,
        column: Option<(usize, &'static str)>,
        expected: i64,
        found: i64,
    ) {
        self.out.push(Finding {
            rule,
            row_key,
            row_label,
            column_index: column.map(|c| c.0),
            column_label: column.map(|c| c.1),
            expected,
            found,
        });
    }

    /// Checks the shape and the signs of one row; returns whether the shape is right.
    fn cells(
        &mut self,
        row: &Row,
        width: usize,
        key: &'static str,
        label: &str,
        headers: &[&'static str],
    ) -> bool {
        if row.len() != width {
            self.push(
                Rule::RowShape,
                key,
                label.to_string(),
                None,
                width as i64,
                row.len() as i64,
            );
            return false;
        }
        for (i, c) in row.iter().enumerate() {
            if let Some(n) = c {
                if *n < 0 {
                    self.push(
                        Rule::Negative,
                        key,
                        label.to_string(),
                        Some((i, headers[i])),
                        0,
                        *n,
                    );
                }
            }
        }
        true
    }
}

/// Checks every invariant of one report that needs no other report: row shapes, signs, row
/// totals, （七）总计 column by column, the balance 一 + 二 = （七） + 四, and section 4 totals.
/// `free` reports have no tables and give no findings. Findings come in the form's row order.
pub fn check_report(r: &Report) -> Vec<Finding> {
    let mut ctx = Ctx { out: Vec::new() };
    if r.format == ReportFormat::Free {
        return ctx.out;
    }
    let headers: Vec<&'static str> = APPLICANT_COLUMNS.iter().map(|c| c.label).collect();
    if let Some(apps) = &r.applications {
        let mut shapes_ok = true;
        for def in report_form::rows(r.format) {
            let Some(row) = report_form::cells(apps, def.key) else {
                continue; // a missing sub-row is blank; validation warns about it
            };
            let label = def.full_label();
            if !ctx.cells(row, 7, def.key, &label, &headers) {
                shapes_ok = false;
                continue;
            }
            let expected = sum_first(row, APPLICANT_TOTAL);
            let found = v(Some(row), APPLICANT_TOTAL);
            if expected != found {
                ctx.push(
                    Rule::RowTotal,
                    def.key,
                    label,
                    Some((APPLICANT_TOTAL, headers[APPLICANT_TOTAL])),
                    expected,
                    found,
                );
            }
        }
        // Rows that are in the report but not in the form (a misspelt sub-row key) still
        // count in the totals, so that one typo gives one diagnostic, not three.
        if shapes_ok && outcome_rows(apps).all(|row| row.len() == 7) {
            let total = row_def(r.format, "results.total");
            let forward = row_def(r.format, "carried_forward");
            for (c, header) in headers.iter().enumerate() {
                let outcomes = outcome_rows(apps)
                    .map(|row| v(Some(row), c))
                    .fold(0i64, i64::saturating_add);
                let found_total = v(Some(&apps.results.total), c);
                if outcomes != found_total {
                    ctx.push(
                        Rule::ResultsTotal,
                        total.key,
                        total.full_label(),
                        Some((c, header)),
                        outcomes,
                        found_total,
                    );
                }
                // 四 = 一 + 二 − （七）
                let expected_forward = v(Some(&apps.new), c)
                    .saturating_add(v(Some(&apps.carried_over), c))
                    .saturating_sub(found_total);
                let found_forward = v(Some(&apps.carried_forward), c);
                if expected_forward != found_forward {
                    ctx.push(
                        Rule::Balance,
                        forward.key,
                        forward.full_label(),
                        Some((c, header)),
                        expected_forward,
                        found_forward,
                    );
                }
            }
        }
    }
    if let Some(rl) = &r.reviews_and_litigation {
        for block in &REVIEW_BLOCKS {
            let row = report_form::block_cells(rl, block.key).expect("known block");
            let label = block.full_label();
            if !ctx.cells(row, 5, block.key, &label, &REVIEW_COLUMNS) {
                continue;
            }
            let expected = sum_first(row, REVIEW_TOTAL);
            let found = v(Some(row), REVIEW_TOTAL);
            if expected != found {
                ctx.push(
                    Rule::ReviewTotal,
                    block.key,
                    label,
                    Some((REVIEW_TOTAL, REVIEW_COLUMNS[REVIEW_TOTAL])),
                    expected,
                    found,
                );
            }
        }
    }
    ctx.out
}

fn row_def(format: ReportFormat, key: &str) -> &'static report_form::RowDef {
    report_form::find_row(format, key).expect("row of the form")
}

/// Every outcome row present in the report, whatever its key.
fn outcome_rows(apps: &Applications) -> impl Iterator<Item = &Row> {
    let r = &apps.results;
    let other: Vec<&Row> = match &r.other {
        OtherOutcome::Single(row) => vec![row],
        OtherOutcome::Split(m) => m.values().collect(),
    };
    [&r.disclosed, &r.partially_disclosed]
        .into_iter()
        .chain(r.withheld.values())
        .chain(r.unable.values())
        .chain(r.not_processed.values())
        .chain(other)
}

/// Everything the arithmetic finds in one report of a portal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportFindings {
    /// In the report's own tables ([`check_report`]).
    pub own: Vec<Finding>,
    /// Against the same agency's report of the year before, when the portal has it
    /// ([`carry_over`]): that report's position in the portal, and what differs.
    pub carry_over: Option<(usize, Vec<Finding>)>,
}

impl ReportFindings {
    /// The own findings, then the carry-over ones.
    pub fn all(&self) -> Vec<Finding> {
        let mut all = self.own.clone();
        if let Some((_, c)) = &self.carry_over {
            all.extend(c.iter().cloned());
        }
        all
    }
}

/// What the arithmetic finds in every report of `p`, in the portal's order: computed once
/// (validation reports it, the report pages mark it).
pub fn portal_findings(p: &Portal) -> Vec<ReportFindings> {
    p.reports
        .iter()
        .map(|r| {
            let previous = match (r.meta.folder_agency.as_deref(), r.meta.year) {
                (Some(agency), Some(year)) => p.lookup.report_of(p, agency, year - 1),
                _ => None,
            };
            ReportFindings {
                own: check_report(&r.data),
                carry_over: previous.map(|i| (i, carry_over(&p.reports[i].data, &r.data))),
            }
        })
        .collect()
}

/// The cross-year check: this year's 二、上年结转 against the previous year's
/// 四、结转下年度继续办理, column by column (a warning: agencies are reorganised and counts
/// corrected). `expected` is last year's number, `found` this year's.
pub fn carry_over(prev: &Report, cur: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    if prev.format == ReportFormat::Free || cur.format == ReportFormat::Free {
        return out;
    }
    let (Some(p), Some(c)) = (&prev.applications, &cur.applications) else {
        return out;
    };
    if p.carried_forward.len() != 7 || c.carried_over.len() != 7 {
        return out;
    }
    let def = row_def(cur.format, "carried_over");
    debug_assert_eq!(def.role, RowRole::CarriedOver);
    for (i, col) in APPLICANT_COLUMNS.iter().enumerate() {
        let expected = v(Some(&p.carried_forward), i);
        let found = v(Some(&c.carried_over), i);
        if expected != found {
            out.push(Finding {
                rule: Rule::CarryOver,
                row_key: def.key,
                row_label: def.full_label(),
                column_index: Some(i),
                column_label: Some(col.label),
                expected,
                found,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn row(v: &[i64]) -> Row {
        v.iter().map(|&n| Some(n)).collect()
    }

    fn zeros() -> Row {
        vec![Some(0); 7]
    }

    fn map(keys: &[&str]) -> BTreeMap<String, Row> {
        keys.iter().map(|k| (k.to_string(), zeros())).collect()
    }

    /// A consistent report: natural-person column detail, the other columns folded into
    /// the totals.
    fn consistent() -> Report {
        use crate::model::*;
        let mut withheld = map(&[
            "state_secret",
            "law_prohibited",
            "three_safeties",
            "third_party",
            "internal_affairs",
            "process_info",
            "enforcement_files",
            "query_matters",
        ]);
        withheld.insert("state_secret".into(), row(&[2, 0, 0, 0, 0, 0, 2]));
        Report {
            format: ReportFormat::F2021,
            published: None,
            overview: None,
            proactive: None,
            applications: Some(Applications {
                new: row(&[10, 2, 0, 0, 0, 0, 12]),
                carried_over: row(&[1, 0, 0, 0, 0, 0, 1]),
                results: Results {
                    disclosed: row(&[5, 1, 0, 0, 0, 0, 6]),
                    partially_disclosed: row(&[1, 0, 0, 0, 0, 0, 1]),
                    withheld,
                    unable: map(&["not_held", "needs_creation", "unclear"]),
                    not_processed: map(&[
                        "petition",
                        "repeated",
                        "publications",
                        "mass_repeated",
                        "confirm_or_reissue",
                    ]),
                    other: OtherOutcome::Split(map(&[
                        "overdue_correction",
                        "overdue_fee",
                        "other",
                    ])),
                    total: row(&[8, 1, 0, 0, 0, 0, 9]),
                },
                carried_forward: row(&[3, 1, 0, 0, 0, 0, 4]),
                from_register: false,
            }),
            reviews_and_litigation: Some(ReviewsAndLitigation {
                review: row(&[1, 0, 0, 1, 2]),
                litigation_direct: vec![None; 5],
                litigation_after_review: row(&[0, 0, 0, 0, 0]),
            }),
            problems: None,
            other: None,
        }
    }

    #[test]
    fn a_consistent_report_has_no_findings() {
        assert_eq!(check_report(&consistent()), vec![]);
    }

    #[test]
    fn a_wrong_row_total_names_row_column_and_numbers() {
        let mut r = consistent();
        let apps = r.applications.as_mut().unwrap();
        apps.results.withheld.get_mut("state_secret").unwrap()[6] = Some(3);
        let f = check_report(&r);
        // The row total and the column sum of 总计 both fail.
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].rule, Rule::RowTotal);
        assert_eq!(f[0].row_label, "（三）不予公开 1.属于国家秘密");
        assert_eq!(f[0].column_label, Some("总计"));
        assert_eq!((f[0].expected, f[0].found), (2, 3));
        assert_eq!(
            f[0].cell_path(),
            "applications.results.withheld.state_secret.6"
        );
        assert_eq!(f[1].rule, Rule::ResultsTotal);
        assert_eq!((f[1].expected, f[1].found), (10, 9));
    }

    #[test]
    fn balance_and_blank_cells() {
        let mut r = consistent();
        let apps = r.applications.as_mut().unwrap();
        apps.carried_forward = vec![Some(2), Some(1), None, None, None, None, Some(3)];
        let f = check_report(&r);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(f.iter().all(|x| x.rule == Rule::Balance));
        assert_eq!(f[0].column_label, Some("自然人"));
        assert_eq!((f[0].expected, f[0].found), (3, 2));
        assert_eq!(f[1].column_label, Some("总计"));
    }

    #[test]
    fn shapes_negatives_and_section_four() {
        let mut r = consistent();
        r.applications.as_mut().unwrap().new.pop();
        let rl = r.reviews_and_litigation.as_mut().unwrap();
        rl.review = row(&[1, 0, 0, 1, 3]);
        rl.litigation_after_review = row(&[0, -1, 0, 0, -1]);
        let f = check_report(&r);
        let rules: Vec<Rule> = f.iter().map(|x| x.rule).collect();
        assert_eq!(
            rules,
            vec![
                Rule::RowShape,
                Rule::ReviewTotal,
                Rule::Negative,
                Rule::Negative
            ]
        );
        assert_eq!((f[0].expected, f[0].found), (7, 6));
        assert_eq!(f[1].cell_path(), "reviews_and_litigation.review.4");
        assert_eq!(f[1].row_label, "行政复议");
    }

    #[test]
    fn carry_over_compares_columns() {
        let prev = consistent();
        let mut cur = consistent();
        assert_eq!(carry_over(&prev, &cur).len(), 3); // 1,0,..,1 vs 3,1,..,4
        cur.applications.as_mut().unwrap().carried_over = row(&[3, 1, 0, 0, 0, 0, 4]);
        assert!(carry_over(&prev, &cur).is_empty());
    }
}
