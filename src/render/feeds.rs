//! The site's files for machines, beside its pages: sitemap.xml and robots.txt for search
//! engines, and the Atom feed of the newest documents.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::*;
use crate::text::escape::escape;

use super::context::Ctx;
use super::output::write_file;
use super::views::doc_item;

/// Writes the sitemap, the documents' feed, the catalogue downloads and robots.txt. Returns
/// the number of files.
pub(super) fn write_feeds_and_data(cx: &Ctx, out: &Path) -> Result<usize, Diagnostic> {
    let p = cx.portal;
    let base = p.config.base();
    write_file(out, "sitemap.xml", sitemap(p).as_bytes())?;
    write_file(out, "documents/atom.xml", documents_feed(cx).as_bytes())?;
    write_file(
        out,
        "robots.txt",
        format!("User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n").as_bytes(),
    )?;
    Ok(4)
}

/// Sitemap of every record page and list root.
fn sitemap(p: &Portal) -> String {
    let base = p.config.base();
    let mut sm = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut add = |url: String| {
        sm.push_str(&format!(
            "<url><loc>{}{}</loc></url>\n",
            escape(base),
            escape(&url)
        ));
    };
    add(urls::home());
    add(urls::deadlines());
    for k in crate::model::kinds::sections() {
        add(urls::section(k));
    }
    add(urls::interpretations());
    p.pages
        .iter()
        .for_each(|r| add(urls::record(Kind::Page, &r.meta)));
    p.agencies
        .iter()
        .for_each(|r| add(urls::agency(&r.meta.slug)));
    p.power
        .iter()
        .for_each(|r| add(urls::record(Kind::Power, &r.meta)));
    p.services
        .iter()
        .for_each(|r| add(urls::record(Kind::Service, &r.meta)));
    p.decisions
        .iter()
        .for_each(|r| add(urls::record(Kind::Decision, &r.meta)));
    p.documents
        .iter()
        .for_each(|r| add(urls::record(Kind::Document, &r.meta)));
    p.reports
        .iter()
        .for_each(|r| add(urls::record(Kind::Report, &r.meta)));
    sm.push_str("</urlset>\n");
    sm
}

/// Atom feed of the newest documents.
fn documents_feed(cx: &Ctx) -> String {
    let p = cx.portal;
    let base = p.config.base();
    let updated = p
        .documents
        .first()
        .map(|d| d.data.published)
        .unwrap_or(cx.derived.today);
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n<title>{} · 公开目录</title>\n<id>{}/documents/</id>\n<link rel=\"self\" href=\"{}/documents/atom.xml\"/>\n<link href=\"{}/documents/\"/>\n<updated>{}T00:00:00+08:00</updated>\n",
        escape(&p.config.title), escape(base), escape(base), escape(base), updated
    );
    for (i, d) in p.documents.iter().enumerate().take(50) {
        let item = doc_item(d, &cx.ix, &cx.derived.validity[i]);
        feed.push_str(&format!(
            "<entry><title>{}</title><id>{}{}</id><link href=\"{}{}\"/><updated>{}T00:00:00+08:00</updated><author><name>{}</name></author><summary>{} {}</summary></entry>\n",
            escape(&item.title), escape(base), escape(&item.url), escape(base), escape(&item.url),
            item.published, escape(&item.agency.name), escape(&item.index_no), escape(&item.doc_number)
        ));
    }
    feed.push_str("</feed>\n");
    feed
}
