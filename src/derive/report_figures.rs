//! The headline figures of a report, for the comparison table, the trend charts and the
//! downloads: one number per row or group, as a reader of the published report would take it.
//!
//! A row's figure is its 总计 cell; where the report left 总计 blank (real reports do, e.g. on
//! the detail rows of the Shanghai 2019 report), it is the sum of the row's other cells. Blank
//! cells count as 0. The figures are never "corrected": in warn mode the page marks the
//! inconsistent cells, and the figures keep the published totals.

use serde::Serialize;

use crate::model::{Applications, OtherOutcome, Report, ReportFormat, ReviewsAndLitigation, Row};

/// Figures from section 3 (applications), totals across applicant types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ApplicationFigures {
    /// 一、本年新收
    pub new: i64,
    /// 二、上年结转
    pub carried_over: i64,
    /// （一）予以公开
    pub disclosed: i64,
    /// （二）部分公开
    pub partially_disclosed: i64,
    /// （三）不予公开, all reasons
    pub withheld: i64,
    /// （四）无法提供
    pub unable: i64,
    /// （五）不予处理
    pub not_processed: i64,
    /// （六）其他处理
    pub other: i64,
    /// （七）总计: applications handled in the year
    pub handled: i64,
    /// 四、结转下年度继续办理
    pub carried_forward: i64,
}

impl ApplicationFigures {
    /// 予以公开率: (予以公开 + 部分公开) / 办理总数; `None` when nothing was handled.
    pub fn disclosure_rate(&self) -> Option<f64> {
        ratio(self.disclosed + self.partially_disclosed, self.handled)
    }

    /// 不予公开占比: 不予公开 / 办理总数.
    pub fn withheld_share(&self) -> Option<f64> {
        ratio(self.withheld, self.handled)
    }

    /// The six outcome groups with their labels, in the form's order.
    pub fn outcomes(&self) -> [(&'static str, &'static str, i64); 6] {
        [
            ("disclosed", "予以公开", self.disclosed),
            ("partially_disclosed", "部分公开", self.partially_disclosed),
            ("withheld", "不予公开", self.withheld),
            ("unable", "无法提供", self.unable),
            ("not_processed", "不予处理", self.not_processed),
            ("other", "其他处理", self.other),
        ]
    }
}

/// Figures from section 4: the 总计 of each block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ReviewFigures {
    /// 行政复议
    pub reviews: i64,
    /// 行政诉讼 未经复议直接起诉
    pub litigation_direct: i64,
    /// 行政诉讼 复议后起诉
    pub litigation_after_review: i64,
}

impl ReviewFigures {
    /// 行政诉讼, both kinds.
    pub fn lawsuits(&self) -> i64 {
        self.litigation_direct + self.litigation_after_review
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Figures {
    pub applications: Option<ApplicationFigures>,
    pub reviews: Option<ReviewFigures>,
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The figure of a row whose last cell is its total.
pub fn row_figure(row: &Row) -> i64 {
    match row.last() {
        Some(Some(total)) => *total,
        Some(None) => row[..row.len() - 1].iter().map(|c| c.unwrap_or(0)).sum(),
        None => 0,
    }
}

fn group<'a>(rows: impl IntoIterator<Item = &'a Row>) -> i64 {
    rows.into_iter().map(row_figure).sum()
}

pub fn application_figures(a: &Applications) -> ApplicationFigures {
    let r = &a.results;
    let other = match &r.other {
        OtherOutcome::Single(row) => row_figure(row),
        OtherOutcome::Split(m) => group(m.values()),
    };
    let mut f = ApplicationFigures {
        new: row_figure(&a.new),
        carried_over: row_figure(&a.carried_over),
        disclosed: row_figure(&r.disclosed),
        partially_disclosed: row_figure(&r.partially_disclosed),
        withheld: group(r.withheld.values()),
        unable: group(r.unable.values()),
        not_processed: group(r.not_processed.values()),
        other,
        handled: 0,
        carried_forward: row_figure(&a.carried_forward),
    };
    f.handled = match r.total.last() {
        Some(Some(t)) => *t,
        _ => f.outcomes().iter().map(|o| o.2).sum(),
    };
    f
}

pub fn review_figures(r: &ReviewsAndLitigation) -> ReviewFigures {
    ReviewFigures {
        reviews: row_figure(&r.review),
        litigation_direct: row_figure(&r.litigation_direct),
        litigation_after_review: row_figure(&r.litigation_after_review),
    }
}

/// The figures of a report; none for a `free` report (prose only).
pub fn figures(r: &Report) -> Figures {
    if r.format == ReportFormat::Free {
        return Figures::default();
    }
    Figures {
        applications: r.applications.as_ref().map(application_figures),
        reviews: r.reviews_and_litigation.as_ref().map(review_figures),
    }
}

/// A share as a percentage with one decimal, e.g. `39.4%`.
pub fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_totals_fall_back_to_the_sum() {
        assert_eq!(
            row_figure(&vec![
                Some(258),
                Some(12),
                None,
                None,
                Some(1),
                Some(1),
                None
            ]),
            272
        );
        assert_eq!(row_figure(&vec![Some(1), Some(2), Some(9)]), 9);
        assert_eq!(row_figure(&vec![None; 7]), 0);
        assert_eq!(row_figure(&vec![]), 0);
    }

    #[test]
    fn rates() {
        let f = ApplicationFigures {
            disclosed: 3,
            partially_disclosed: 1,
            withheld: 1,
            handled: 8,
            ..Default::default()
        };
        assert_eq!(f.disclosure_rate(), Some(0.5));
        assert_eq!(percent(f.withheld_share()), "12.5%");
        assert_eq!(ApplicationFigures::default().disclosure_rate(), None);
    }
}
