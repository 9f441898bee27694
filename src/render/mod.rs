//! Stage 5: render every page of the site in parallel and write it under an output directory.
//!
//! The plan is a flat list of light jobs (an enum pointing at records by index). Each job builds
//! its own context, renders and writes its file, then drops everything, so memory stays flat
//! however many records the portal holds, and a paginated list costs time linear in its length:
//! each page's context holds only that page's slice.
//!
//! `plan.rs` lists the jobs; `pages/` and [`reports`] fill each page's template context from
//! the portal and what derive computed, each starting from the base that `context.rs` gives;
//! this module renders the templates and writes the pages (`output.rs`). `feeds.rs`,
//! [`deadlines`] and [`reports`] write the files for machines beside them: sitemap, feeds,
//! CSV and JSON downloads.

pub mod catalogs;
pub mod chart;
mod context;
mod datasets;
pub mod deadlines;
pub mod deadlines_feed;
pub mod export;
mod feeds;
pub mod kept_rows;
pub mod memo;
pub mod ndjson;
mod output;
mod pages;
mod pagination;
mod plan;
pub mod reports;
pub mod theme;
pub mod views;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::derive::Derived;
use crate::diagnostics::{codes, Diagnostic};
use crate::fingerprint::Fingerprint;
use crate::model::urls;
use crate::model::*;
use context::{site_context, Ctx};
pub use output::{write_file, Output};
use plan::{Job, Plan};
use theme::Theme;

#[derive(Debug, Default, Clone)]
pub struct RenderStats {
    pub pages: usize,
    pub files: usize,
    /// Pages rendered and written; the others were in the tree already (`memo`).
    pub rendered: usize,
    /// Where the time went (filled by the caller, which times what runs beside).
    pub steps: Vec<(&'static str, std::time::Duration)>,
    /// What the next build can take of the catalogs (`kept_rows`), once this
    /// one's site is in place.
    pub rows: Vec<kept_rows::Made>,
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

/// Renders the whole site into `out`. The search page is rendered last, with the hint
/// `search` returns once every other page is written: the caller can build the search
/// indexes meanwhile. A page whose fingerprint the tree's manifest holds for its file is
/// left as the tree has it.
pub fn render(
    portal: &Portal,
    root: &Path,
    derived: &Derived,
    theme: &mut Theme,
    search: impl FnOnce() -> Result<SearchHint, Diagnostic>,
    out: &Output,
    on_page: &(dyn Fn(usize, usize) + Sync),
) -> Result<RenderStats, Diagnostic> {
    let site = site_context(portal, derived);
    theme.tera.global_context().insert("site", &site);
    let theme: &Theme = theme;
    let everywhere = Fingerprint::new("site")
        .add_u64(theme.fingerprint)
        .add_str(&serde_json::to_string(&site).unwrap_or_default())
        .finish();
    let cx = Ctx::new(portal, root, derived, theme);
    let fp_cx = Ctx::for_fingerprints(portal, root, derived, theme);
    let jobs = Plan::jobs(portal, derived);
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let rendered = AtomicUsize::new(0);
    let page = |job: &Job, hint: Option<&SearchHint>| -> Result<(), Diagnostic> {
        let (url, template, mut context) = fp_cx.page(job)?;
        finish(job, &url, &mut context, hint);
        let file = file_for(job, &url);
        let mut fingerprint = Fingerprint::new("page");
        fingerprint.add_u64(everywhere).add_str(template);
        context.fingerprint_into(&mut fingerprint);
        let fingerprint = fingerprint.finish();
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if hint.is_none() && out.holds(&file, fingerprint) {
            #[cfg(debug_assertions)]
            assert_kept_as_rendered(&cx, job, &file, out.dir)?;
            out.record(file, fingerprint, false);
            on_page(n, total);
            return Ok(());
        }
        PAGE_BUFFER.with(|buf| {
            let buf = &mut *buf.borrow_mut();
            render_page(&cx, job, hint, buf)?;
            write_file(out.dir, &file, buf)
        })?;
        // The search page carries the index's geometry, which is not in its fingerprint.
        if hint.is_none() {
            out.record(file, fingerprint, true);
        }
        rendered.fetch_add(1, Ordering::Relaxed);
        on_page(n, total);
        Ok(())
    };
    // The files for machines are written beside the pages rather than after them: each of
    // the portal's catalogs (tens of MB at 100,000 records) is made and written by one
    // thread, which the pages keep the other cores busy beside.
    let started = std::time::Instant::now();
    let (pages, machines) = rayon::join(
        || {
            let done = jobs
                .par_iter()
                .filter(|job| !matches!(job, Job::Search))
                .try_for_each(|job| page(job, None));
            (done, started.elapsed())
        },
        || {
            // Split into tasks, so that the threads the pages leave free at their end take
            // what is left of them.
            let ((feeds, catalogs), others) = rayon::join(
                || {
                    rayon::join(
                        || feeds::write_feeds_and_data(&cx, out),
                        || catalogs::write_catalogs(&cx, out),
                    )
                },
                || -> Result<usize, Diagnostic> {
                    let (feed, rest) = rayon::join(
                        || deadlines::write_feed(portal, derived, out),
                        || -> Result<usize, Diagnostic> {
                            Ok(catalogs::write_schemas(&cx, out)?
                                + datasets::write_data_catalog(&cx, out)?
                                + reports::write_report_data(&cx, out)?)
                        },
                    );
                    Ok(feed? + rest?)
                },
            );
            let done = (|| {
                let (catalogs, rows) = catalogs?;
                Ok((feeds? + catalogs + others?, rows))
            })();
            (done, started.elapsed())
        },
    );
    pages.0?;
    let (machine_files, rows) = machines.0?;
    let hint = search()?;
    page(&Job::Search, Some(&hint))?;
    let files = total + machine_files + output::write_assets(portal, root, theme, out)?;
    Ok(RenderStats {
        pages: total,
        files,
        rendered: rendered.into_inner(),
        steps: vec![
            (crate::zh_en!("页面", "pages"), pages.1),
            (
                crate::zh_en!("下载与订阅文件", "downloads and feeds"),
                machines.1,
            ),
        ],
        rows,
    })
}

/// A page as a build renders it: for `serve`, which shows the page of an edited record before
/// the rest of the site is rebuilt.
#[derive(Debug)]
pub struct RenderedPage {
    pub url: String,
    /// Relative to the site, as a build writes it.
    pub file: String,
    pub bytes: Vec<u8>,
}

/// The pages of the records `records` (their kind and index in the portal), rendered as
/// [`render`] renders them. A calendar has no page of its own (and the home page, which shows
/// the newest of everything, is not among them).
pub fn record_pages(
    portal: &Portal,
    root: &Path,
    derived: &Derived,
    theme: &mut Theme,
    records: &[(Kind, usize)],
) -> Result<Vec<RenderedPage>, Diagnostic> {
    let site = site_context(portal, derived);
    theme.tera.global_context().insert("site", &site);
    let theme: &Theme = theme;
    let cx = Ctx::new(portal, root, derived, theme);
    let jobs = records.iter().filter_map(|&(kind, i)| {
        Some(match kind {
            Kind::Page => Job::Page(i),
            Kind::Agency => Job::Agency(i),
            Kind::Power => Job::Power(i),
            Kind::Service => Job::Service(i),
            Kind::Decision => Job::Decision(i),
            Kind::Document => Job::Document(i),
            Kind::Report => Job::Report(i),
            Kind::Calendar => return None,
        })
    });
    jobs.map(|job| {
        let mut bytes = Vec::new();
        let url = render_page(&cx, &job, None, &mut bytes)?;
        Ok(RenderedPage {
            file: file_for(&job, &url),
            url,
            bytes,
        })
    })
    .collect()
}

/// What every page's context holds beside what its page function put there.
fn finish(job: &Job, url: &str, context: &mut context::PageContext, hint: Option<&SearchHint>) {
    if let Some(hint) = hint {
        context.insert("search_index", hint);
    }
    // A record's page announces its data (`index.json` beside it) to programs.
    let record = matches!(
        job,
        Job::Agency(_)
            | Job::Power(_)
            | Job::Service(_)
            | Job::Decision(_)
            | Job::Document(_)
            | Job::Report(_)
    );
    context.insert(
        "data_url",
        &if record {
            urls::record_json(url)
        } else {
            String::new()
        },
    );
}

/// A page left as the tree holds it must be what rendering it now gives. Some pages'
/// fingerprints hash what the page is made of rather than its context (`Ctx::keyed`); a value
/// such a page shows and its key misses would leave the page stale. Debug builds, which the
/// tests run, render every page left as it is and compare.
#[cfg(debug_assertions)]
fn assert_kept_as_rendered(cx: &Ctx, job: &Job, file: &str, dir: &Path) -> Result<(), Diagnostic> {
    let mut now = Vec::new();
    render_page(cx, job, None, &mut now)?;
    let kept = std::fs::read(dir.join(file)).unwrap_or_default();
    assert!(
        kept == now,
        "{file} was left as it is, but rendering it now gives other bytes: its fingerprint \
         misses something the page shows"
    );
    Ok(())
}

fn file_for(job: &Job, url: &str) -> String {
    if matches!(job, Job::NotFound) {
        "404.html".to_string()
    } else {
        urls::file_for(url)
    }
}

/// Renders the page of `job` with its full context into `buf` (emptied first), as bytes:
/// Tera's `render` would allocate a String per page and check it for UTF-8, which its output
/// already is. Returns the page's URL.
fn render_page(
    cx: &Ctx,
    job: &Job,
    hint: Option<&SearchHint>,
    buf: &mut Vec<u8>,
) -> Result<String, Diagnostic> {
    let (url, template, mut context) = cx.page(job)?;
    finish(job, &url, &mut context, hint);
    let Some(context) = context.context() else {
        unreachable!("a page's context for rendering is full")
    };
    buf.clear();
    cx.theme
        .tera
        .render_to(template, context, &mut *buf)
        .map_err(|e| {
            Diagnostic::error(
                codes::SITE_CONFIG,
                format!("themes/{}", template),
                crate::zh_en!(
                    format!("用模板 {template} 生成页面 {url} 失败：{e:#}"),
                    format!("rendering {url} with {template} failed: {e:#}")
                ),
            )
        })?;
    Ok(url)
}

thread_local! {
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}
