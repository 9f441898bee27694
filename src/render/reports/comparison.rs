//! The year's comparison across agencies: one row per agency (its figures and timeliness),
//! the sortable columns with the pages of their pre-rendered sort orders, and the page itself.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::derive::deadlines::Timeliness;
use crate::derive::report_figures::{percent, Figures};
use crate::derive::reports::ReportDue;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::render::views::AgencyRef;

/// The due-date rule of `year`'s reports as the comparison page states it, from site.toml.
fn due_rule(cfg: &crate::model::config::SiteConfig, year: i32) -> String {
    use crate::derive::deadlines::{parse_month_day, LAST_YEAR_UNDER_2007_REGULATION};
    if year <= LAST_YEAR_UNDER_2007_REGULATION {
        return format!("{year}年度报告应于{}年3月31日前发布。", year + 1);
    }
    let md = |s: &str, default: (u32, u32)| {
        let (m, d) = parse_month_day(s).unwrap_or(default);
        format!("{m}月{d}日")
    };
    format!(
        "政府部门的报告应于{}年{}前、人民政府的报告应于{}年{}前发布。",
        year + 1,
        md(&cfg.deadlines.report_due_department, (1, 31)),
        year + 1,
        md(&cfg.deadlines.report_due_government, (3, 31)),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Agency,
    Applications,
    DisclosureRate,
    WithheldShare,
    Reviews,
    Lawsuits,
    Published,
    Timeliness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

impl Dir {
    fn name(self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }

    fn aria(self) -> &'static str {
        match self {
            Dir::Asc => "ascending",
            Dir::Desc => "descending",
        }
    }

    fn flip(self) -> Dir {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Agency,
        SortKey::Applications,
        SortKey::DisclosureRate,
        SortKey::WithheldShare,
        SortKey::Reviews,
        SortKey::Lawsuits,
        SortKey::Published,
        SortKey::Timeliness,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Agency => "agency",
            SortKey::Applications => "applications",
            SortKey::DisclosureRate => "disclosure-rate",
            SortKey::WithheldShare => "withheld-share",
            SortKey::Reviews => "reviews",
            SortKey::Lawsuits => "lawsuits",
            SortKey::Published => "published",
            SortKey::Timeliness => "timeliness",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Agency => "机关",
            SortKey::Applications => "新收申请",
            SortKey::DisclosureRate => "公开率",
            SortKey::WithheldShare => "不予公开占比",
            SortKey::Reviews => "行政复议",
            SortKey::Lawsuits => "行政诉讼",
            SortKey::Published => "发布日期",
            SortKey::Timeliness => "按时发布",
        }
    }

    /// The first click's direction: names and dates ascending, numbers and lateness from the
    /// largest.
    pub fn default_dir(self) -> Dir {
        match self {
            SortKey::Agency | SortKey::Published => Dir::Asc,
            _ => Dir::Desc,
        }
    }

    /// The URL of this sort order. The base comparison page is the agencies' own order.
    pub fn url(self, year: i32, dir: Dir) -> String {
        if self == SortKey::Agency && dir == Dir::Asc {
            urls::year(Kind::Report, year)
        } else if dir == self.default_dir() {
            urls::reports_sorted(year, self.name(), None)
        } else {
            urls::reports_sorted(year, self.name(), Some(dir.name()))
        }
    }

    fn value(self, r: &ComparisonRow) -> Option<f64> {
        match self {
            SortKey::Agency => Some(r.order as f64),
            SortKey::Applications => r.new.map(|v| v as f64),
            SortKey::DisclosureRate => r.disclosure_rate,
            SortKey::WithheldShare => r.withheld_share,
            SortKey::Reviews => r.reviews.map(|v| v as f64),
            SortKey::Lawsuits => r.lawsuits.map(|v| v as f64),
            SortKey::Published => r.published_day.map(|v| v as f64),
            SortKey::Timeliness => r.lateness.map(|v| v as f64),
        }
    }
}

/// Every sort order that gets its own page: both directions of every column but the base one.
pub(in crate::render) fn sort_orders() -> Vec<(SortKey, Dir)> {
    SortKey::ALL
        .iter()
        .flat_map(|&k| [(k, k.default_dir()), (k, k.default_dir().flip())])
        .filter(|&(k, d)| !(k == SortKey::Agency && d == Dir::Asc))
        .collect()
}

/// One agency's line in the year's comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// Position in the portal's agency order.
    pub order: usize,
    pub agency: AgencyRef,
    /// The report page; empty when the report is missing.
    pub url: String,
    pub free_format: bool,
    pub new: Option<i64>,
    pub handled: Option<i64>,
    pub disclosed: Option<i64>,
    pub partially_disclosed: Option<i64>,
    pub withheld: Option<i64>,
    pub disclosure_rate: Option<f64>,
    pub withheld_share: Option<f64>,
    pub disclosure_rate_text: String,
    pub withheld_share_text: String,
    pub reviews: Option<i64>,
    pub lawsuits: Option<i64>,
    pub published: String,
    pub published_day: Option<i32>,
    pub due: String,
    pub timeliness: String,
    pub timeliness_class: &'static str,
    pub late_days: Option<i64>,
    pub lateness: Option<i64>,
    /// `data-value` of each sortable column, in `SortKey::ALL` order ("" when unknown).
    pub sort_values: Vec<String>,
}

#[derive(Serialize)]
struct SortHeader {
    key: &'static str,
    label: &'static str,
    url: String,
    aria_sort: &'static str,
    default_dir: &'static str,
    /// What following the link does, for screen readers: `按新收申请从多到少排列`.
    hint: String,
    /// The hints of both directions, for the script that sorts in place.
    hint_asc: String,
    hint_desc: String,
    numeric: bool,
}

fn sort_hint(k: SortKey, d: Dir) -> String {
    let how = match (k, d) {
        (SortKey::Agency, Dir::Asc) => "按机关顺序排列",
        (SortKey::Agency, Dir::Desc) => "按机关逆序排列",
        (SortKey::Published, Dir::Asc) => "按发布日期从早到晚排列",
        (SortKey::Published, Dir::Desc) => "按发布日期从晚到早排列",
        (SortKey::Timeliness, Dir::Desc) => "按逾期天数从多到少排列",
        (SortKey::Timeliness, Dir::Asc) => "按逾期天数从少到多排列",
        (_, Dir::Desc) => "从高到低排列",
        (_, Dir::Asc) => "从低到高排列",
    };
    match k {
        SortKey::Agency | SortKey::Published | SortKey::Timeliness => how.to_string(),
        _ => format!("按{}{how}", k.label()),
    }
}

/// The sortable column headers of `year`'s comparison sorted by `key` in `dir`: each links to
/// the order a click asks for (the other direction of the active column, else the column's
/// first direction).
fn sort_headers(year: i32, key: SortKey, dir: Dir) -> Vec<SortHeader> {
    SortKey::ALL
        .iter()
        .map(|&k| {
            let active = k == key;
            let next = if active { dir.flip() } else { k.default_dir() };
            SortHeader {
                key: k.name(),
                label: k.label(),
                url: k.url(year, next),
                aria_sort: if active { dir.aria() } else { "" },
                default_dir: k.default_dir().name(),
                hint: sort_hint(k, next),
                hint_asc: sort_hint(k, Dir::Asc),
                hint_desc: sort_hint(k, Dir::Desc),
                numeric: !matches!(k, SortKey::Agency),
            }
        })
        .collect()
}

/// Sorts rows by a column: rows without a value last in either direction, ties in the
/// agencies' order.
pub fn sort_rows(rows: &mut [ComparisonRow], key: SortKey, dir: Dir) {
    rows.sort_by(|a, b| {
        let (va, vb) = (key.value(a), key.value(b));
        let ord = match (va, vb) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                if dir == Dir::Desc {
                    o.reverse()
                } else {
                    o
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        ord.then(a.order.cmp(&b.order))
    });
}

impl<'a> Ctx<'a> {
    /// The rows of a year's comparison, in the agencies' order: every agency with a report for
    /// the year, and every agency whose report is overdue (未发布).
    pub(super) fn comparison_rows(&self, year: i32) -> Vec<ComparisonRow> {
        let p = self.portal;
        let mut rows = Vec::new();
        for (order, a) in p.agencies.iter().enumerate() {
            let slug = a.meta.slug.as_str();
            let index = self.report_of(slug, year);
            let report = index.map(|i| &p.reports[i]);
            let Some(ReportDue { due, timeliness: t }) =
                self.derived.reports.of_agency(p, order, year)
            else {
                continue;
            };
            if report.is_none() && !matches!(t, Timeliness::Missing { .. }) {
                continue;
            }
            let f = index
                .map(|i| self.derived.reports.figures[i])
                .unwrap_or_default();
            rows.push(self.comparison_row(order, slug, report, f, due, t));
        }
        // Reports of agencies the portal does not list (validation reports them): still shown.
        if let Some(idx) = self.portal.lookup.reports_by_year.get(&year) {
            for &i in idx {
                let r = &p.reports[i];
                let slug = r.meta.folder_agency.as_deref().unwrap_or("");
                if p.agency(slug).is_none() {
                    let ReportDue { due, timeliness: t } = self.derived.reports.due[i];
                    let f = self.derived.reports.figures[i];
                    rows.push(self.comparison_row(p.agencies.len() + i, slug, Some(r), f, due, t));
                }
            }
        }
        rows
    }

    fn comparison_row(
        &self,
        order: usize,
        slug: &str,
        report: Option<&Record<Report>>,
        f: Figures,
        due: NaiveDate,
        t: Timeliness,
    ) -> ComparisonRow {
        let apps = f.applications;
        let published = match t {
            Timeliness::OnTime { published } | Timeliness::Late { published, .. } => {
                Some(published)
            }
            _ => None,
        };
        let mut row = ComparisonRow {
            order,
            agency: self.ix.agency(slug),
            url: report
                .map(|r| urls::record(Kind::Report, &r.meta))
                .unwrap_or_default(),
            free_format: report.is_some_and(|r| r.data.format == ReportFormat::Free),
            new: apps.map(|a| a.new),
            handled: apps.map(|a| a.handled),
            disclosed: apps.map(|a| a.disclosed),
            partially_disclosed: apps.map(|a| a.partially_disclosed),
            withheld: apps.map(|a| a.withheld),
            disclosure_rate: apps.and_then(|a| a.disclosure_rate()),
            withheld_share: apps.and_then(|a| a.withheld_share()),
            disclosure_rate_text: percent(apps.and_then(|a| a.disclosure_rate())),
            withheld_share_text: percent(apps.and_then(|a| a.withheld_share())),
            reviews: f.reviews.map(|r| r.reviews),
            lawsuits: f.reviews.map(|r| r.lawsuits()),
            published: published.map(|d| d.to_string()).unwrap_or_default(),
            published_day: published.map(|d| d.num_days_from_ce()),
            due: due.to_string(),
            timeliness: t.label(),
            timeliness_class: t.class(),
            late_days: match t {
                Timeliness::Late { days, .. } => Some(days),
                Timeliness::OnTime { .. } => Some(0),
                _ => None,
            },
            lateness: t.lateness(),
            sort_values: Vec::new(),
        };
        row.sort_values = SortKey::ALL
            .iter()
            .map(|k| k.value(&row).map(|v| v.to_string()).unwrap_or_default())
            .collect();
        row
    }

    /// The year's comparison page, sorted by `sort` (None: the agencies' order).
    pub(in crate::render) fn comparison_page(
        &self,
        year: i32,
        sort: Option<(SortKey, Dir)>,
    ) -> ToRender {
        let base = urls::year(Kind::Report, year);
        let (key, dir) = sort.unwrap_or((SortKey::Agency, Dir::Asc));
        let url = key.url(year, dir);
        let title = format!("{year}年度政府信息公开工作年度报告");
        let mut c = self.base(
            &title,
            &url,
            &[
                ("公开年报", urls::section(Kind::Report)),
                (&format!("{year}年度"), base.clone()),
            ],
        );
        let mut rows = self.comparison_rows(year);
        let count = |class: &str| rows.iter().filter(|r| r.timeliness_class == class).count();
        let summary = [
            ("按时", count("on-time")),
            ("逾期", count("late")),
            ("未发布", count("missing")),
            ("未注明日期", count("undated")),
        ];
        sort_rows(&mut rows, key, dir);
        if sort.is_some() {
            // A sort order is the same table: search engines should index the base page only.
            let canonical = format!("{}{base}", self.portal.config.base());
            c.insert("canonical", &canonical);
        }
        c.insert("heading", &title);
        c.insert("year", &year);
        c.insert("due_rule", &due_rule(&self.portal.config, year));
        c.insert("rows", &rows);
        c.insert("headers", &sort_headers(year, key, dir));
        c.insert("summary", &summary);
        c.insert("sort_label", &sort_hint(key, dir));
        c.insert("base_url", &base);
        c.insert("csv_url", &urls::download(&base, "comparison.csv"));
        c.insert("json_url", &urls::download(&base, "comparison.json"));
        let years = self.derived.reports.years.clone();
        c.insert("years", &years);
        (url, "reports_year.html", c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(order: usize, new: Option<i64>) -> ComparisonRow {
        ComparisonRow {
            order,
            agency: AgencyRef {
                slug: format!("a{order}"),
                name: String::new(),
                short_name: String::new(),
                url: String::new(),
            },
            url: String::new(),
            free_format: false,
            new,
            handled: None,
            disclosed: None,
            partially_disclosed: None,
            withheld: None,
            disclosure_rate: None,
            withheld_share: None,
            disclosure_rate_text: String::new(),
            withheld_share_text: String::new(),
            reviews: None,
            lawsuits: None,
            published: String::new(),
            published_day: None,
            due: String::new(),
            timeliness: String::new(),
            timeliness_class: "",
            late_days: None,
            lateness: None,
            sort_values: Vec::new(),
        }
    }

    #[test]
    fn missing_values_sort_last_both_ways() {
        let mut rows = vec![
            row(0, None),
            row(1, Some(5)),
            row(2, Some(9)),
            row(3, Some(5)),
        ];
        sort_rows(&mut rows, SortKey::Applications, Dir::Desc);
        let o: Vec<usize> = rows.iter().map(|r| r.order).collect();
        assert_eq!(o, vec![2, 1, 3, 0]);
        sort_rows(&mut rows, SortKey::Applications, Dir::Asc);
        let o: Vec<usize> = rows.iter().map(|r| r.order).collect();
        assert_eq!(o, vec![1, 3, 2, 0]);
    }

    #[test]
    fn sort_urls() {
        assert_eq!(SortKey::Agency.url(2024, Dir::Asc), "/reports/2024/");
        assert_eq!(
            SortKey::Applications.url(2024, Dir::Desc),
            "/reports/2024/sort/applications/"
        );
        assert_eq!(
            SortKey::Applications.url(2024, Dir::Asc),
            "/reports/2024/sort/applications/asc/"
        );
        assert_eq!(sort_orders().len(), 15);
    }
}
