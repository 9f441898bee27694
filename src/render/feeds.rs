//! The site's files for machines, beside its pages: sitemap.xml (with each record's last
//! change) and robots.txt for search engines, and an Atom feed of what happened to every
//! catalog (`/power/atom.xml`…) and to each agency's records (`/agencies/fgw/atom.xml`), made
//! of derive's events and written with atom_syndication.

use crate::render::output::Output;

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;

use crate::derive::dates::{self, RecordDates};
use crate::derive::events::Event;
use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::*;
use crate::text::escape::escape;

use super::context::Ctx;
use super::deadlines_feed::host_of;

/// How many of the newest events a feed holds: enough for a reader polling weekly on a busy
/// portal; the catalogs' downloads hold the whole history.
pub const FEED_ENTRIES: usize = 100;

/// The kinds with a feed of their own.
pub const FEED_KINDS: [Kind; 5] = [
    Kind::Document,
    Kind::Power,
    Kind::Service,
    Kind::Decision,
    Kind::Report,
];

/// Writes the sitemap, the feeds and robots.txt. Returns the number of files.
pub(super) fn write_feeds_and_data(cx: &Ctx, out: &Output) -> Result<usize, Diagnostic> {
    let p = cx.portal;
    let base = p.config.base();
    out.write("sitemap.xml", sitemap(cx).as_bytes())?;
    let mut feeds: Vec<(String, String, Vec<&Event>)> = FEED_KINDS
        .iter()
        .map(|&k| {
            let events = cx
                .derived
                .events
                .iter()
                .filter(|e| e.kind == k)
                .take(FEED_ENTRIES)
                .collect();
            (urls::feed(k), format!("{}更新", feed_title(k)), events)
        })
        .collect();
    for a in &p.agencies {
        let slug = a.meta.slug.as_str();
        let events = cx
            .derived
            .events
            .iter()
            .filter(|e| e.agency == slug)
            .take(FEED_ENTRIES)
            .collect();
        feeds.push((
            urls::agency_feed(slug),
            format!("{}公开的信息", a.data.name),
            events,
        ));
    }
    feeds.par_iter().try_for_each(|(url, title, events)| {
        let feed = atom(cx, url, title, events);
        let file = urls::file_for(url);
        let bytes = feed
            .write_to(Vec::new())
            .map_err(|e| super::catalogs::write_error(&file, e))?;
        out.write(&file, &bytes)
    })?;
    out.write(
        "robots.txt",
        format!("User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n").as_bytes(),
    )?;
    Ok(feeds.len() + 2)
}

/// What a kind's feed is called: its catalog's name.
fn feed_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => "政务服务事项",
        Kind::Decision => "重大行政决策",
        Kind::Report => "政府信息公开工作年度报告",
        _ => kind.label(),
    }
}

fn midnight(d: NaiveDate) -> FixedDateTime {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
    china
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has one midnight")
}

/// A record's title and page, as a feed entry names it.
fn record_of(cx: &Ctx, kind: Kind, i: usize) -> (String, String) {
    let p = cx.portal;
    match kind {
        Kind::Power => (
            p.power[i].data.name.clone(),
            urls::record(kind, &p.power[i].meta),
        ),
        Kind::Service => (
            p.services[i].data.name.clone(),
            urls::record(kind, &p.services[i].meta),
        ),
        Kind::Decision => (
            p.decisions[i].data.title.clone(),
            urls::record(kind, &p.decisions[i].meta),
        ),
        Kind::Document => (
            p.documents[i].data.title.clone(),
            urls::record(kind, &p.documents[i].meta),
        ),
        Kind::Report => {
            let r = &p.reports[i];
            let agency = cx
                .ix
                .agency(r.meta.folder_agency.as_deref().unwrap_or_default());
            (
                format!(
                    "{}{}年政府信息公开工作年度报告",
                    agency.name,
                    r.meta.year.unwrap_or(0)
                ),
                urls::record(kind, &r.meta),
            )
        }
        Kind::Page | Kind::Agency | Kind::Calendar => (String::new(), urls::home()),
    }
}

/// An Atom feed of `events` at `url`.
///
/// Entry ids are `tag:` URIs (RFC 4151) of the site's host, the event's year, the record's
/// page and the event's key, so they stay the same from build to build; a document's
/// publication keeps the page's own URL, the id the feed of documents always gave it. Times
/// are midnight China Standard Time. The feed's `updated` is its newest event's day (the
/// build day when it has none yet).
fn atom(cx: &Ctx, url: &str, title: &str, events: &[&Event]) -> Feed {
    let p = cx.portal;
    let base = p.config.base();
    let host = host_of(base);
    let page = url.rsplit_once('/').map_or("/", |(dir, _)| dir).to_string() + "/";
    let entries = events
        .iter()
        .map(|e| {
            let (name, record_url) = record_of(cx, e.kind, e.record);
            let link = format!("{base}{record_url}");
            let id = if e.kind == Kind::Document && e.key == "published" {
                link.clone()
            } else {
                format!(
                    "tag:{host},{}:{}{}",
                    e.date.format("%Y"),
                    record_url.trim_start_matches('/'),
                    e.key
                )
            };
            let agency = cx.ix.agency(&e.agency);
            Entry {
                title: Text::plain(format!("{}：{}", e.what, name)),
                id,
                updated: midnight(e.date),
                authors: vec![Person {
                    name: agency.name,
                    uri: Some(format!("{base}{}", agency.url)),
                    ..Default::default()
                }],
                categories: vec![Category {
                    term: e.kind.name().to_string(),
                    label: Some(e.kind.noun().to_string()),
                    ..Default::default()
                }],
                links: vec![Link {
                    href: link,
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                summary: (!e.detail.is_empty()).then(|| Text::plain(e.detail.clone())),
                ..Default::default()
            }
        })
        .collect();
    Feed {
        title: Text::plain(format!("{} · {title}", p.config.title)),
        id: format!("{base}{page}"),
        updated: midnight(events.first().map_or(cx.derived.today, |e| e.date)),
        authors: vec![Person {
            name: p.config.title.clone(),
            uri: Some(format!("{base}/")),
            ..Default::default()
        }],
        links: vec![
            Link {
                href: format!("{base}{url}"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            Link {
                href: format!("{base}{page}"),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ],
        generator: Some(atom_syndication::Generator {
            value: "gongkai".into(),
            ..Default::default()
        }),
        lang: Some(p.config.language.clone()),
        entries,
        ..Default::default()
    }
}

/// Sitemap of every record page and list root, each record with the day it last changed
/// where its file tells (`derive::dates`).
fn sitemap(cx: &Ctx) -> String {
    let p = cx.portal;
    let today = cx.derived.today;
    let base = p.config.base();
    let mut sm = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut add = |url: String, when: RecordDates| {
        sm.push_str(&format!("<url><loc>{}{}</loc>", escape(base), escape(&url)));
        if let Some(d) = when.last_changed {
            sm.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        sm.push_str("</url>\n");
    };
    let none = RecordDates::default();
    add(urls::home(), none);
    add(urls::deadlines(), none);
    add(urls::data_page(), none);
    for k in crate::model::kinds::sections() {
        add(urls::section(k), none);
    }
    add(urls::interpretations(), none);
    add(urls::document_categories(), none);
    for slug in p.lookup.category_slug.values() {
        add(urls::document_category(slug), none);
    }
    for r in &p.pages {
        add(urls::record(Kind::Page, &r.meta), none);
    }
    for r in &p.agencies {
        add(urls::agency(&r.meta.slug), none);
    }
    for r in &p.power {
        let d = &r.data;
        add(
            urls::record(Kind::Power, &r.meta),
            dates::item_dates(&d.changes, d.effective, today),
        );
    }
    for r in &p.services {
        add(
            urls::record(Kind::Service, &r.meta),
            dates::item_dates(&r.data.changes, None, today),
        );
    }
    for (r, state) in p.decisions.iter().zip(&cx.derived.decisions) {
        add(
            urls::record(Kind::Decision, &r.meta),
            dates::decision_dates(state, today),
        );
    }
    for (r, v) in p.documents.iter().zip(&cx.derived.validity) {
        add(
            urls::record(Kind::Document, &r.meta),
            dates::document_dates(p, &r.data, v, today),
        );
    }
    for r in &p.reports {
        add(
            urls::record(Kind::Report, &r.meta),
            dates::report_dates(&r.data),
        );
    }
    sm.push_str("</urlset>\n");
    sm
}
