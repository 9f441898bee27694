//! `gongkai export --format ndjson`: every record of a portal as one line of JSON, for loading a
//! province's or the country's portals into one search engine (docs/data.md gives the mappings
//! for Quickwit and OpenSearch). Each line has the fields every record shares at the top, for
//! the engine's mapping, the plain text the site's own search indexes, and under `record` the
//! record's entry exactly as its `index.json` and the published schema give it.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

use crate::derive::search_docs::search_docs;
use crate::derive::Derived;
use crate::diagnostics::{codes, Diagnostic};
use crate::model::*;

use super::catalogs::Data;

/// The fields of a line besides `record`.
#[derive(Serialize)]
struct Line<'a> {
    /// The record's page, absolute: unique across portals.
    id: String,
    /// The portal's `base_url` and title, so one index can hold many portals.
    portal: &'a str,
    portal_title: &'a str,
    record_type: &'static str,
    title: &'a str,
    agency: &'a str,
    agency_name: &'a str,
    year: Option<i32>,
    /// ISO date: a document's 发布日期, a decision's planned date, a report's publication…
    date: Option<&'a str>,
    /// Exact identifiers: 索引号, 发文字号, 事项编码…
    codes: &'a [String],
    /// A document's 主题分类 and 体裁.
    categories: &'a [String],
    /// Plain text: the body without Markdown, or the item's bases, conditions and steps.
    text: &'a str,
}

fn failed(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        codes::WRITE_FAILED,
        "export",
        crate::zh_en!(
            format!("无法写出导出数据：{e}"),
            format!("cannot write the export: {e}")
        ),
    )
}

/// Writes every searchable record and every agency of the portal at `root` to `out`, one line
/// each. Returns the number of lines.
pub fn export_ndjson(
    portal: &Portal,
    root: &Path,
    derived: &Derived,
    out: &mut dyn Write,
) -> Result<usize, Diagnostic> {
    let data = Data { portal, derived };
    let base = portal.config.base();
    let title = portal.config.title.as_str();
    let body_failed = Mutex::new(None);
    let mut seen: HashMap<Kind, usize> = HashMap::new();
    let mut n = 0;
    let mut line = |l: &Line, kind: Kind, i: usize| -> Result<(), Diagnostic> {
        let (_, record) = data.row(kind, i, false).map_err(failed)?;
        let mut bytes = serde_json::to_vec(l).map_err(failed)?;
        // `record` is spliced in as written, so it stays byte for byte the record's entry.
        bytes.pop();
        bytes.extend_from_slice(b",\"record\":");
        bytes.extend_from_slice(&record);
        bytes.extend_from_slice(b"}\n");
        out.write_all(&bytes).map_err(failed)?;
        n += 1;
        Ok(())
    };
    for doc in search_docs(portal, root, &body_failed) {
        let Some(kind) = Kind::from_name(&doc.kind) else {
            continue;
        };
        let i = {
            let c = seen.entry(kind).or_default();
            *c += 1;
            *c - 1
        };
        if kind == Kind::Page {
            continue;
        }
        let categories: &[String] = match kind {
            Kind::Document => &portal.documents[i].data.categories,
            _ => &[],
        };
        line(
            &Line {
                id: format!("{base}{}", doc.url),
                portal: base,
                portal_title: title,
                record_type: kind.name(),
                title: &doc.title,
                agency: &doc.agency,
                agency_name: &doc.agency_name,
                year: doc.year,
                date: doc.date.as_deref(),
                codes: &doc.codes,
                categories,
                text: &doc.body,
            },
            kind,
            i,
        )?;
    }
    if let Some(d) = body_failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(d);
    }
    for (i, a) in portal.agencies.iter().enumerate() {
        let d = &a.data;
        let text = [&d.address, &d.phone, &d.email, &d.office_hours, &d.website]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        line(
            &Line {
                id: format!("{base}{}", urls::agency(&a.meta.slug)),
                portal: base,
                portal_title: title,
                record_type: Kind::Agency.name(),
                title: &d.name,
                agency: &a.meta.slug,
                agency_name: &d.name,
                year: None,
                date: None,
                codes: std::slice::from_ref(&d.credit_code),
                categories: &[],
                text: &text,
            },
            Kind::Agency,
            i,
        )?;
    }
    Ok(n)
}
