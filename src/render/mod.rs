//! Stage 5: render every page of the site in parallel and write it under an output directory.
//!
//! The plan is a flat list of light jobs (an enum pointing at records by index). Each job builds
//! its own context, renders and writes its file, then drops everything, so memory stays flat
//! however many records the portal holds, and a paginated list costs time linear in its length:
//! each page's context holds only that page's slice.
//!
//! `plan.rs` lists the jobs; `Ctx::job` and [`reports`] fill each page's template context from
//! the portal and what derive computed, each starting from the base that `context.rs` gives;
//! this module renders the templates and writes the pages (`output.rs`). `feeds.rs`,
//! [`deadlines`] and [`reports`] write the files for machines beside them: sitemap, feeds,
//! CSV and JSON downloads.

pub mod chart;
mod context;
pub mod deadlines;
pub mod deadlines_feed;
pub mod export;
mod feeds;
mod output;
mod pagination;
mod plan;
pub mod reports;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::derive::Derived;
use crate::diagnostics::{codes, Diagnostic};
use crate::model::urls;
use crate::model::*;
use context::{site_context, Crumb, Ctx, ToRender};
pub use output::write_file;
use pagination::{pager, pages};
use plan::{Job, Plan};
use theme::Theme;
use views::*;

#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    pub pages: usize,
    pub files: usize,
}

/// What the search page tells its script about the static index under `search/`, so that
/// the first query fetches dictionary pages without waiting for `meta.json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchHint {
    /// `static_index::FORMAT_VERSION`.
    pub version: u32,
    /// Dictionary pages; 0: unknown, the script reads `meta.json` first.
    pub pages: u32,
}

/// Renders the whole site into `out` (which must exist and be empty). The search page is
/// rendered last, with the hint `search` returns once every other page is written: the
/// caller can build the search indexes meanwhile.
pub fn render(
    portal: &Portal,
    root: &Path,
    derived: &Derived,
    theme: &mut Theme,
    search: impl FnOnce() -> Result<SearchHint, Diagnostic>,
    out: &Path,
    on_page: &(dyn Fn(usize, usize) + Sync),
) -> Result<RenderStats, Diagnostic> {
    let site = site_context(portal, derived);
    theme.tera.global_context().insert("site", &site);
    let theme: &Theme = theme;
    let cx = Ctx::new(portal, root, derived, theme);
    let jobs = Plan::jobs(portal, derived);
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let page = |job: &Job, hint: Option<&SearchHint>| {
        let (url, template, mut context) = cx.job(job)?;
        if let Some(hint) = hint {
            context.insert("search_index", hint);
        }
        let file = if matches!(job, Job::NotFound) {
            "404.html".to_string()
        } else {
            urls::file_for(&url)
        };
        // Rendered as bytes into one buffer per thread: Tera's `render` would allocate a
        // String per page and check it for UTF-8, which its output already is.
        PAGE_BUFFER.with(|buf| {
            let buf = &mut *buf.borrow_mut();
            buf.clear();
            cx.theme
                .tera
                .render_to(template, &context, &mut *buf)
                .map_err(|e| {
                    Diagnostic::error(
                        codes::SITE_CONFIG,
                        format!("themes/{}", template),
                        format!("rendering {url} with {template} failed: {e:#}"),
                    )
                })?;
            write_file(out, &file, buf)
        })?;
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        on_page(n, total);
        Ok::<(), Diagnostic>(())
    };
    jobs.par_iter()
        .filter(|job| !matches!(job, Job::Search))
        .try_for_each(|job| page(job, None))?;
    let hint = search()?;
    page(&Job::Search, Some(&hint))?;
    let mut files = total;
    files += output::write_assets(portal, root, theme, out)?;
    files += feeds::write_feeds_and_data(&cx, out)?;
    files += deadlines::write_feed(portal, derived, out)?;
    files += reports::write_report_data(&cx, out)?;
    Ok(RenderStats {
        pages: total,
        files,
    })
}

thread_local! {
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Ctx<'_> {
    fn job(&self, job: &Job) -> Result<ToRender, Diagnostic> {
        let p = self.portal;
        let per = p.config.paginate_by;
        Ok(match job {
            Job::Home => {
                let url = urls::home();
                let mut c = self.base(&p.config.title, &url, &[]);
                c.insert("crumbs", &Vec::<Crumb>::new());
                let intro = match &p.home {
                    Some(h) => self.body_html(&h.meta)?,
                    None => String::new(),
                };
                c.insert("intro_html", &intro);
                let newest: Vec<usize> = (0..p.documents.len().min(10)).collect();
                c.insert("newest", &self.doc_items(&newest));
                let agencies: Vec<_> = p
                    .agencies
                    .iter()
                    .map(|a| agency_view(a, &self.ix))
                    .collect();
                c.insert("agencies", &agencies);
                let column: Vec<Crumb> = [
                    ("guide", "公开指南"),
                    ("rules", "公开制度"),
                    ("proactive", "法定主动公开内容"),
                ]
                .iter()
                .filter(|(slug, _)| p.pages.iter().any(|pg| pg.meta.slug == *slug))
                .map(|(slug, t)| Crumb {
                    title: t.to_string(),
                    url: format!("/pages/{slug}/"),
                })
                .chain(std::iter::once(Crumb {
                    title: "公开年报".into(),
                    url: urls::section(Kind::Report),
                }))
                .collect();
                c.insert("column", &column);
                c.insert(
                    "counts",
                    &BTreeMap::from([
                        ("documents", p.documents.len()),
                        ("power", p.power.len()),
                        ("services", p.services.len()),
                        ("decisions", p.decisions.len()),
                        ("reports", p.reports.len()),
                        ("agencies", p.agencies.len()),
                    ]),
                );
                let open: Vec<DecisionItem> = p
                    .decisions
                    .iter()
                    .zip(&self.derived.decisions)
                    .filter(|(_, state)| state.consultation_open)
                    .map(|(d, _)| decision_item(d, &self.ix))
                    .collect();
                c.insert("open_consultations", &open);
                c.insert("deadline_counts", &deadlines::counts(&self.derived.notices));
                (url, "index.html", c)
            }
            Job::Page(i) => {
                let r = &p.pages[*i];
                let url = urls::record(Kind::Page, &r.meta);
                let mut c = self.base(&r.data.title, &url, &[(&r.data.title, url.clone())]);
                c.insert("page", &r.data);
                c.insert("body_html", &self.body_html(&r.meta)?);
                (url, "page.html", c)
            }
            Job::Agencies => {
                let url = urls::section(Kind::Agency);
                let mut c = self.base("机构设置", &url, &[("机构设置", url.clone())]);
                let list: Vec<_> = p
                    .agencies
                    .iter()
                    .map(|a| agency_view(a, &self.ix))
                    .collect();
                c.insert("agencies", &list);
                (url, "agencies.html", c)
            }
            Job::Agency(i) => {
                let a = &p.agencies[*i];
                let slug = a.meta.slug.as_str();
                let url = urls::agency(slug);
                let mut c = self.base(
                    &a.data.name,
                    &url,
                    &[
                        ("机构设置", urls::section(Kind::Agency)),
                        (&a.data.name, url.clone()),
                    ],
                );
                c.insert("agency", &agency_view(a, &self.ix));
                c.insert("notices", &self.notices_for(Kind::Agency, &a.meta));
                let empty = Vec::new();
                let power: Vec<_> = self
                    .portal
                    .lookup
                    .power_by_agency
                    .get(slug)
                    .unwrap_or(&empty)
                    .iter()
                    .map(|&i| power_summary(&p.power[i], &self.ix))
                    .collect();
                let services: Vec<_> = self
                    .portal
                    .lookup
                    .services_by_agency
                    .get(slug)
                    .unwrap_or(&empty)
                    .iter()
                    .map(|&i| service_summary(&p.services[i], &self.ix))
                    .collect();
                let decisions: Vec<_> = p
                    .decisions
                    .iter()
                    .filter(|d| d.data.agency == slug)
                    .map(|d| decision_item(d, &self.ix))
                    .collect();
                let docs = self
                    .portal
                    .lookup
                    .documents_by_agency
                    .get(slug)
                    .unwrap_or(&empty);
                let reports: Vec<_> = self
                    .portal
                    .lookup
                    .reports_by_agency
                    .get(slug)
                    .unwrap_or(&empty)
                    .iter()
                    .map(|&i| self.report_entry(i))
                    .collect();
                c.insert("reports_url", &urls::agency_reports(slug));
                c.insert("power", &power);
                c.insert("services", &services);
                c.insert("decisions", &decisions);
                c.insert("documents", &self.doc_items(&docs[..docs.len().min(10)]));
                c.insert("documents_total", &docs.len());
                c.insert("documents_url", &urls::agency_documents(slug));
                c.insert("reports", &reports);
                c.insert(
                    "children",
                    &p.agencies
                        .iter()
                        .filter(|x| x.data.parent.as_deref() == Some(slug))
                        .map(|x| self.ix.agency(&x.meta.slug))
                        .collect::<Vec<_>>(),
                );
                (url, "agency.html", c)
            }
            Job::AgencyDocuments { agency, page } => {
                let a = &p.agencies[*agency];
                let slug = a.meta.slug.as_str();
                let base = urls::agency_documents(slug);
                let url = urls::paged(&base, *page);
                let empty = Vec::new();
                let docs = self
                    .portal
                    .lookup
                    .documents_by_agency
                    .get(slug)
                    .unwrap_or(&empty);
                let ranges = pages(docs.len(), per);
                let title = format!("{}公开目录", a.data.name);
                let mut c = self.base(
                    &title,
                    &url,
                    &[
                        ("机构设置", urls::section(Kind::Agency)),
                        (&a.data.name, urls::agency(slug)),
                        ("公开目录", base.clone()),
                    ],
                );
                c.insert("heading", &title);
                c.insert(
                    "documents",
                    &self.doc_items(&docs[ranges[page - 1].clone()]),
                );
                c.insert("total", &docs.len());
                c.insert("pager", &pager(&base, *page, ranges.len()));
                (url, "documents_list.html", c)
            }
            Job::AgencyReports(i) => self.agency_reports_page(*i),
            Job::ItemsIndex(kind) => {
                let url = urls::section(*kind);
                let title = kind.label();
                let mut c = self.base(title, &url, &[(title, url.clone())]);
                let groups = if *kind == Kind::Power {
                    &self.portal.lookup.power_by_agency
                } else {
                    &self.portal.lookup.services_by_agency
                };
                #[derive(Serialize)]
                struct Group {
                    agency: AgencyRef,
                    url: String,
                    count: usize,
                    categories: Vec<(String, usize)>,
                }
                let list: Vec<Group> = p
                    .agencies
                    .iter()
                    .filter_map(|a| {
                        let idx = groups.get(&a.meta.slug)?;
                        let mut cats: BTreeMap<String, usize> = BTreeMap::new();
                        for &i in idx {
                            let cat = if *kind == Kind::Power {
                                &p.power[i].data.category
                            } else {
                                &p.services[i].data.kind
                            };
                            *cats.entry(cat.clone()).or_default() += 1;
                        }
                        Some(Group {
                            agency: self.ix.agency(&a.meta.slug),
                            url: urls::items_of_agency(*kind, &a.meta.slug),
                            count: idx.len(),
                            categories: sort_categories(cats),
                        })
                    })
                    .collect();
                c.insert("kind", kind.name());
                c.insert("groups", &list);
                (url, "items_index.html", c)
            }
            Job::ItemsOfAgency { kind, agency, page } => {
                let base = urls::items_of_agency(*kind, agency);
                let url = urls::paged(&base, *page);
                let a = self.ix.agency(agency);
                let groups = if *kind == Kind::Power {
                    &self.portal.lookup.power_by_agency
                } else {
                    &self.portal.lookup.services_by_agency
                };
                let idx = &groups[agency];
                let ranges = pages(idx.len(), per);
                let title = format!("{}{}", a.name, kind.label());
                let mut c = self.base(
                    &title,
                    &url,
                    &[
                        (kind.label(), urls::section(*kind)),
                        (&a.name, base.clone()),
                    ],
                );
                let mut items: Vec<ItemSummary> = idx[ranges[page - 1].clone()]
                    .iter()
                    .map(|&i| {
                        if *kind == Kind::Power {
                            power_summary(&p.power[i], &self.ix)
                        } else {
                            service_summary(&p.services[i], &self.ix)
                        }
                    })
                    .collect();
                items.sort_by_key(|s| (category_rank(&s.category), s.code.clone()));
                let mut by_cat: Vec<(String, Vec<ItemSummary>)> = Vec::new();
                for it in items {
                    match by_cat.last_mut() {
                        Some((cat, list)) if *cat == it.category => list.push(it),
                        _ => by_cat.push((it.category.clone(), vec![it])),
                    }
                }
                c.insert("heading", &title);
                c.insert("kind", kind.name());
                c.insert("agency", &a);
                c.insert("categories", &by_cat);
                c.insert("total", &idx.len());
                c.insert("pager", &pager(&base, *page, ranges.len()));
                (url, "items_list.html", c)
            }
            Job::Power(i) => {
                let r = &p.power[*i];
                let v = power_view(
                    r,
                    &self.ix,
                    p.lookup
                        .services_of_power
                        .get(&r.data.code)
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .map(|&s| service_summary(&p.services[s], &self.ix))
                        .collect(),
                );
                let url = v.summary.url.clone();
                let mut c = self.base(
                    &r.data.name,
                    &url,
                    &[
                        ("权责清单", urls::section(Kind::Power)),
                        (
                            &v.summary.agency.name,
                            urls::items_of_agency(Kind::Power, &v.summary.agency.slug),
                        ),
                        (&r.data.name, url.clone()),
                    ],
                );
                c.insert("item", &v);
                (url, "power_item.html", c)
            }
            Job::Service(i) => {
                let r = &p.services[*i];
                let v = service_view(r, &self.ix);
                let url = v.summary.url.clone();
                let mut c = self.base(
                    &r.data.name,
                    &url,
                    &[
                        ("政务服务事项", urls::section(Kind::Service)),
                        (
                            &v.summary.agency.name,
                            urls::items_of_agency(Kind::Service, &v.summary.agency.slug),
                        ),
                        (&r.data.name, url.clone()),
                    ],
                );
                c.insert("item", &v);
                (url, "service_item.html", c)
            }
            Job::DecisionsIndex => {
                let url = urls::section(Kind::Decision);
                let mut c = self.base(
                    "重大行政决策事项目录",
                    &url,
                    &[("重大行政决策", url.clone())],
                );
                let years: Vec<(i32, Vec<DecisionItem>)> = self
                    .portal
                    .lookup
                    .decisions_by_year
                    .iter()
                    .rev()
                    .map(|(y, idx)| {
                        (
                            *y,
                            idx.iter()
                                .map(|&i| decision_item(&p.decisions[i], &self.ix))
                                .collect(),
                        )
                    })
                    .collect();
                c.insert("years", &years);
                (url, "decisions_index.html", c)
            }
            Job::DecisionsYear(year) => {
                let url = urls::year(Kind::Decision, *year);
                let title = format!("{year}年度重大行政决策事项目录");
                let mut c = self.base(
                    &title,
                    &url,
                    &[
                        ("重大行政决策", urls::section(Kind::Decision)),
                        (&format!("{year}年度"), url.clone()),
                    ],
                );
                let list: Vec<_> = self.portal.lookup.decisions_by_year[year]
                    .iter()
                    .map(|&i| decision_item(&p.decisions[i], &self.ix))
                    .collect();
                c.insert("heading", &title);
                c.insert("year", year);
                c.insert("decisions", &list);
                (url, "decisions_year.html", c)
            }
            Job::Decision(i) => {
                let r = &p.decisions[*i];
                let v = decision_view(
                    r,
                    &self.ix,
                    &self.derived.decisions[*i],
                    self.body_html(&r.meta)?,
                );
                let url = v.item.url.clone();
                let year = v.item.year;
                let mut c = self.base(
                    &r.data.title,
                    &url,
                    &[
                        ("重大行政决策", urls::section(Kind::Decision)),
                        (&format!("{year}年度"), urls::year(Kind::Decision, year)),
                        (&r.data.title, url.clone()),
                    ],
                );
                c.insert("decision", &v);
                deadlines::decision_context(&mut c, self.notices_for(Kind::Decision, &r.meta));
                (url, "decision.html", c)
            }
            Job::DocumentsIndex => {
                let url = urls::section(Kind::Document);
                let mut c = self.base("政府信息公开目录", &url, &[("公开目录", url.clone())]);
                let years: Vec<(i32, usize, String)> = self
                    .portal
                    .lookup
                    .documents_by_year
                    .iter()
                    .rev()
                    .map(|(y, idx)| (*y, idx.len(), urls::year(Kind::Document, *y)))
                    .collect();
                c.insert("years", &years);
                let newest: Vec<usize> = (0..p.documents.len().min(20)).collect();
                c.insert("newest", &self.doc_items(&newest));
                c.insert("total", &p.documents.len());
                c.insert(
                    "normative",
                    &self.doc_items(
                        &p.documents
                            .iter()
                            .enumerate()
                            .filter(|(i, d)| {
                                d.data.normative
                                    && self.derived.validity[*i].status == DocStatus::Effective
                            })
                            .map(|(i, _)| i)
                            .collect::<Vec<_>>(),
                    ),
                );
                (url, "documents_index.html", c)
            }
            Job::DocumentsYear { year, page } => {
                let base = urls::year(Kind::Document, *year);
                let url = urls::paged(&base, *page);
                let idx = &self.portal.lookup.documents_by_year[year];
                let ranges = pages(idx.len(), per);
                let title = format!("{year}年政府信息公开目录");
                let mut c = self.base(
                    &title,
                    &url,
                    &[
                        ("公开目录", urls::section(Kind::Document)),
                        (&format!("{year}年"), base.clone()),
                    ],
                );
                c.insert("heading", &title);
                c.insert("documents", &self.doc_items(&idx[ranges[page - 1].clone()]));
                c.insert("total", &idx.len());
                c.insert("pager", &pager(&base, *page, ranges.len()));
                (url, "documents_list.html", c)
            }
            Job::Document(i) => {
                let r = &p.documents[*i];
                let v = doc_view(
                    r,
                    &self.ix,
                    &self.derived.validity[*i],
                    self.body_html(&r.meta)?,
                );
                let url = v.item.url.clone();
                let year = v.item.year;
                let mut c = self.base(
                    &r.data.title,
                    &url,
                    &[
                        ("公开目录", urls::section(Kind::Document)),
                        (&format!("{year}年"), urls::year(Kind::Document, year)),
                        (&r.data.title, url.clone()),
                    ],
                );
                c.insert("doc", &v);
                c.insert("notices", &self.notices_for(Kind::Document, &r.meta));
                (url, "document.html", c)
            }
            Job::ReportsIndex => {
                let url = urls::section(Kind::Report);
                let mut c = self.base(
                    "政府信息公开工作年度报告",
                    &url,
                    &[("公开年报", url.clone())],
                );
                let years: Vec<(i32, Vec<reports::ReportEntry>)> = self
                    .derived
                    .reports
                    .years
                    .iter()
                    .rev()
                    .map(|y| {
                        let idx = self.portal.lookup.reports_by_year.get(y);
                        let list = idx.into_iter().flatten();
                        (*y, list.map(|&i| self.report_entry(i)).collect())
                    })
                    .collect();
                c.insert("years", &years);
                (url, "reports_index.html", c)
            }
            Job::ReportsYear { year, sort } => self.comparison_page(*year, *sort),
            Job::Report(i) => self.report_page(*i),
            Job::Search => {
                let url = "/search/".to_string();
                let c = self.base("站内搜索", &url, &[("站内搜索", url.clone())]);
                (url, "search.html", c)
            }
            Job::Deadlines => {
                let url = urls::deadlines();
                let mut c = self.base("期限提醒", &url, &[("期限提醒", url.clone())]);
                deadlines::board_context(&mut c, p, &self.derived.notices);
                (url, "deadlines.html", c)
            }
            Job::NotFound => {
                let url = "/404.html".to_string();
                let c = self.base("页面未找到", &url, &[]);
                (url, "404.html", c)
            }
        })
    }
}

/// Lists categories in the spec's order, unknown ones last.
fn sort_categories(cats: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<_> = cats.into_iter().collect();
    v.sort_by_key(|(c, _)| (category_rank(c), c.clone()));
    v
}

fn category_rank(c: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|x| *x == c)
        .unwrap_or(CATEGORIES.len())
}
