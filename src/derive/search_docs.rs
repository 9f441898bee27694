//! The search documents of a portal: what of each record the two search indexes hold
//! (document bodies as text, power and service items with their bases and steps, decisions,
//! annual reports, pages), as [`SearchDoc`]s, the one type the search stage takes.

use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::load::read_body;
use crate::model::urls;
use crate::model::*;
use crate::search::SearchDoc;
use crate::table::HashSet;
use crate::text::markdown;

/// Every searchable record of the portal, streamed: bodies are read from their files one at
/// a time. A body that cannot be read is indexed without it and the first such failure is
/// stored in `failed`.
pub fn search_docs<'a>(
    p: &'a Portal,
    root: &'a Path,
    failed: &'a Mutex<Option<Diagnostic>>,
) -> impl Iterator<Item = SearchDoc> + 'a {
    let s = Sources {
        p,
        root,
        failed,
        body_tokens: false,
    };
    searchable(p)
        .map(move |r| s.doc(r))
        .enumerate()
        .map(|(i, mut d)| {
            d.id = i as u32;
            d
        })
}

/// Every searchable record's URL with a fingerprint of its search document, each body
/// standing in as the hash of its file: which records changed since an index was written,
/// told without reading a body.
pub fn search_fingerprints(p: &Portal) -> Vec<(String, u64)> {
    let failed = Mutex::new(None);
    let s = Sources {
        p,
        root: Path::new(""),
        failed: &failed,
        body_tokens: true,
    };
    let records: Vec<Searchable> = searchable(p).collect();
    records
        .par_iter()
        .map(|&r| match r {
            // A document's search document is made of the record and its agency's name
            // ([`Sources::document`]): hashing those spares making 85,000 search documents
            // and their JSON at 100,000 records. The record stands in by its meta, which
            // holds the hash of the text it was read from whole (`Meta::source_hash`).
            Searchable::Document(doc) => {
                let fp = Fingerprint::new("search-doc of a document")
                    .add_hashed(&doc.meta)
                    .add_str(&s.agency_name(&doc.data.agency))
                    .finish();
                (r.url(), fp)
            }
            _ => {
                let d = s.doc(r);
                let fp = Fingerprint::new("search-doc").add_json(&d).finish();
                (d.url, fp)
            }
        })
        .collect()
}

/// The search documents of the records at `urls` only, in the order of [`search_docs`] (their
/// ids are left 0: the index they go into numbers them). `in_order`: what
/// [`search_fingerprints`] gave for `p`, whose URLs are looked up rather than made again for
/// every record (at 100,000 records, a tenth of a second to find the few that changed).
pub fn search_docs_at(
    p: &Portal,
    root: &Path,
    failed: &Mutex<Option<Diagnostic>>,
    urls: &HashSet<String>,
    in_order: &[(String, u64)],
) -> Vec<SearchDoc> {
    let s = Sources {
        p,
        root,
        failed,
        body_tokens: false,
    };
    debug_assert_eq!(searchable(p).count(), in_order.len());
    searchable(p)
        .zip(in_order)
        .filter(|(_, (url, _))| urls.contains(url))
        .map(|(r, (url, _))| {
            debug_assert_eq!(&r.url(), url);
            s.doc(r)
        })
        .collect()
}

/// One searchable record.
#[derive(Clone, Copy)]
enum Searchable<'a> {
    Document(&'a Record<Document>),
    Power(&'a Record<PowerItem>),
    Service(&'a Record<ServiceItem>),
    Decision(&'a Record<Decision>),
    Report(&'a Record<Report>),
    Page(&'a Record<Page>),
}

impl Searchable<'_> {
    fn url(&self) -> String {
        match self {
            Searchable::Document(r) => urls::record(Kind::Document, &r.meta),
            Searchable::Power(r) => urls::record(Kind::Power, &r.meta),
            Searchable::Service(r) => urls::record(Kind::Service, &r.meta),
            Searchable::Decision(r) => urls::record(Kind::Decision, &r.meta),
            Searchable::Report(r) => urls::record(Kind::Report, &r.meta),
            Searchable::Page(r) => urls::record(Kind::Page, &r.meta),
        }
    }
}

/// The searchable records in the order the indexes number them.
fn searchable(p: &Portal) -> impl Iterator<Item = Searchable<'_>> {
    p.documents
        .iter()
        .map(Searchable::Document)
        .chain(p.power.iter().map(Searchable::Power))
        .chain(p.services.iter().map(Searchable::Service))
        .chain(p.decisions.iter().map(Searchable::Decision))
        .chain(p.reports.iter().map(Searchable::Report))
        .chain(p.pages.iter().map(Searchable::Page))
}

/// Where the search documents' text comes from: the records, and their bodies read again.
#[derive(Clone, Copy)]
struct Sources<'a> {
    p: &'a Portal,
    root: &'a Path,
    failed: &'a Mutex<Option<Diagnostic>>,
    /// Whether bodies stand in as their files' hashes, for fingerprints.
    body_tokens: bool,
}

impl Sources<'_> {
    fn doc(&self, r: Searchable) -> SearchDoc {
        match r {
            Searchable::Document(r) => self.document(r),
            Searchable::Power(r) => self.power(r),
            Searchable::Service(r) => self.service(r),
            Searchable::Decision(r) => self.decision(r),
            Searchable::Report(r) => self.report(r),
            Searchable::Page(r) => self.page(r),
        }
    }

    /// A record's Markdown body as text; empty (the failure kept) if it cannot be read.
    fn body(&self, meta: &Meta) -> String {
        if self.body_tokens {
            return format!("\u{1}body {:016x}", meta.source_hash);
        }
        match read_body(self.root, meta, self.p.config.max_file_bytes) {
            Ok(md) => markdown::to_text(&md),
            Err(d) => {
                let mut f = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                f.get_or_insert(d);
                String::new()
            }
        }
    }

    fn agency_name(&self, slug: &str) -> String {
        self.p
            .agency(slug)
            .map(|a| a.data.name.clone())
            .unwrap_or_default()
    }

    /// Made of the record and its agency's name only: [`search_fingerprints`] hashes those
    /// in its place.
    fn document(&self, r: &Record<Document>) -> SearchDoc {
        let d = &r.data;
        let mut text = String::new();
        if let Some(s) = &d.summary {
            push_line(&mut text, s);
        }
        push_line(&mut text, &self.body(&r.meta));
        for a in &d.attachments {
            push_line(&mut text, &a.title);
        }
        let mut codes = vec![d.index_no.clone()];
        codes.extend(d.doc_number.clone());
        codes.extend(d.registration_no.clone());
        let mut found = doc(
            Kind::Document,
            &r.meta,
            d.title.clone(),
            text,
            &d.agency,
            self.agency_name(&d.agency),
            r.meta.year.or(Some(year_of(d.published))),
            codes,
            Some(d.published.to_string()),
        );
        found.categories = distinct(&d.categories);
        found
    }

    fn power(&self, r: &Record<PowerItem>) -> SearchDoc {
        let d = &r.data;
        let mut text = String::new();
        push_line(&mut text, &d.category);
        for s in &d.sub_items {
            push_line(&mut text, &s.name);
        }
        if let Some(b) = &d.implementing_body {
            push_line(&mut text, b);
        }
        legal_basis(&mut text, &d.legal_basis);
        for s in d.responsibilities.iter().chain(&d.accountability) {
            push_line(&mut text, s);
        }
        process(&mut text, &d.process);
        changes(&mut text, &d.changes);
        let agency = r.meta.folder_agency.clone().unwrap_or_default();
        let mut codes = vec![d.code.clone()];
        codes.extend(d.sub_items.iter().filter_map(|s| s.code.clone()));
        let date = d.effective.or(d.reviewed);
        doc(
            Kind::Power,
            &r.meta,
            d.name.clone(),
            text,
            &agency,
            self.agency_name(&agency),
            date.map(year_of),
            codes,
            date.map(|d| d.to_string()),
        )
    }

    fn service(&self, r: &Record<ServiceItem>) -> SearchDoc {
        let d = &r.data;
        let mut text = String::new();
        push_line(&mut text, &d.kind);
        legal_basis(&mut text, &d.legal_basis);
        for s in &d.conditions {
            push_line(&mut text, s);
        }
        for m in &d.materials {
            push_line(&mut text, &m.name);
            if let Some(n) = &m.note {
                push_line(&mut text, n);
            }
        }
        process(&mut text, &d.process);
        if let Some(Fees::List(fees)) = &d.fees {
            for f in fees {
                push_line(&mut text, &format!("{}：{}", f.item, f.standard));
            }
        }
        for s in [&d.quantity_limit, &d.location, &d.office_hours]
            .into_iter()
            .flatten()
        {
            push_line(&mut text, s);
        }
        changes(&mut text, &d.changes);
        let agency = r.meta.folder_agency.clone().unwrap_or_default();
        doc(
            Kind::Service,
            &r.meta,
            d.name.clone(),
            text,
            &agency,
            self.agency_name(&agency),
            None,
            vec![d.code.clone()],
            None,
        )
    }

    fn decision(&self, r: &Record<Decision>) -> SearchDoc {
        let d = &r.data;
        let mut text = String::new();
        push_line(&mut text, d.status.label());
        if let Some(b) = &d.basis {
            push_line(&mut text, b);
        }
        if let Some(c) = &d.consultation {
            for s in c.summary.iter().chain(&c.adopted) {
                push_line(&mut text, s);
            }
        }
        for n in [&d.hearing, &d.expert_review, &d.evaluation]
            .into_iter()
            .flatten()
        {
            if let Some(s) = &n.notes {
                push_line(&mut text, s);
            }
        }
        if let Some(s) = d.risk_assessment.as_ref().and_then(|r| r.notes.as_ref()) {
            push_line(&mut text, s);
        }
        if let Some(s) = d.legality_review.as_ref().and_then(|r| r.result.as_ref()) {
            push_line(&mut text, s);
        }
        if let Some(c) = &d.collective_decision {
            push_line(&mut text, &c.meeting);
        }
        if let Some(s) = d.publication.as_ref().and_then(|p| p.document.as_ref()) {
            push_line(&mut text, s);
        }
        push_line(&mut text, &self.body(&r.meta));
        let date = d.collective_decision.as_ref().map(|c| c.date).or(d.planned);
        doc(
            Kind::Decision,
            &r.meta,
            d.title.clone(),
            text,
            &d.agency,
            self.agency_name(&d.agency),
            r.meta.year,
            Vec::new(),
            date.map(|d| d.to_string()),
        )
    }

    fn report(&self, r: &Record<Report>) -> SearchDoc {
        let d = &r.data;
        let agency = r.meta.folder_agency.clone().unwrap_or_default();
        let name = self.agency_name(&agency);
        let year = r.meta.year.unwrap_or(0);
        let mut text = String::new();
        for s in [&d.overview, &d.problems, &d.other].into_iter().flatten() {
            push_line(&mut text, &markdown::to_text(s));
        }
        doc(
            Kind::Report,
            &r.meta,
            format!("{name}{year}年政府信息公开工作年度报告"),
            text,
            &agency,
            name,
            r.meta.year,
            Vec::new(),
            d.published.map(|d| d.to_string()),
        )
    }

    fn page(&self, r: &Record<Page>) -> SearchDoc {
        let mut text = String::new();
        if let Some(s) = &r.data.description {
            push_line(&mut text, s);
        }
        push_line(&mut text, &self.body(&r.meta));
        doc(
            Kind::Page,
            &r.meta,
            r.data.title.clone(),
            text,
            "",
            String::new(),
            None,
            Vec::new(),
            None,
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn doc(
    kind: Kind,
    meta: &Meta,
    title: String,
    body: String,
    agency: &str,
    agency_name: String,
    year: Option<i32>,
    codes: Vec<String>,
    date: Option<String>,
) -> SearchDoc {
    SearchDoc {
        id: 0,
        slug: meta.slug.clone(),
        kind: kind.name().to_string(),
        url: urls::record(kind, meta),
        title,
        body,
        agency: agency.to_string(),
        agency_name,
        year,
        codes: codes.into_iter().filter(|c| !c.trim().is_empty()).collect(),
        date,
        categories: Vec::new(),
    }
}

/// The categories in the order written, each once: a category written twice is one
/// category of the document, and the search counts documents, not mentions.
fn distinct(categories: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in categories {
        let c = c.trim();
        if !c.is_empty() && !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
    }
    out
}

fn year_of(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    d.year()
}

fn push_line(out: &mut String, s: &str) {
    let s = s.trim();
    if s.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(s);
}

fn legal_basis(out: &mut String, basis: &[LegalBasis]) {
    for b in basis {
        let mut line = b.law.clone();
        if let Some(a) = &b.article {
            line.push_str(a);
        }
        push_line(out, &line);
        if let Some(t) = &b.text {
            push_line(out, t);
        }
    }
}

fn changes(out: &mut String, changes: &[Change]) {
    for c in changes {
        for s in c.basis.iter().chain(&c.note) {
            push_line(out, s);
        }
    }
}

fn process(out: &mut String, steps: &[ProcessStep]) {
    for s in steps {
        push_line(out, s.name());
        if let ProcessStep::Detailed {
            description: Some(d),
            ..
        } = s
        {
            push_line(out, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(before: &[(String, u64)], after: &[(String, u64)]) -> Vec<String> {
        assert_eq!(before.len(), after.len());
        before
            .iter()
            .zip(after)
            .filter(|(b, a)| b.1 != a.1)
            .map(|(b, _)| b.0.clone())
            .collect()
    }

    #[test]
    fn a_document_s_search_fingerprint_follows_its_record_and_its_agency_s_name() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut p = crate::load::load(root).unwrap().portal;
        let before = search_fingerprints(&p);
        assert_eq!(before, search_fingerprints(&p));
        let url = urls::record(Kind::Document, &p.documents[0].meta);
        // The file edited: the record read from it and the hash of its text both change
        // (a record is never changed after it is read, and its meta stands in for it).
        let (title, text) = (
            p.documents[0].data.title.clone(),
            p.documents[0].meta.source_hash,
        );
        p.documents[0].data.title.push_str("（修订）");
        p.documents[0].meta.source_hash ^= 1;
        assert_eq!(changed(&before, &search_fingerprints(&p)), vec![url]);
        p.documents[0].data.title = title;
        p.documents[0].meta.source_hash = text;
        assert_eq!(search_fingerprints(&p), before);
        let slug = p.documents[0].data.agency.clone();
        let of_agency: Vec<String> = p
            .documents
            .iter()
            .filter(|d| d.data.agency == slug)
            .map(|d| urls::record(Kind::Document, &d.meta))
            .collect();
        let agency = p.agencies.iter_mut().find(|a| a.meta.slug == slug).unwrap();
        agency.data.name.push_str("（更名）");
        let renamed = changed(&before, &search_fingerprints(&p));
        for url in &of_agency {
            assert!(renamed.contains(url), "{url} kept its fingerprint");
        }
    }
}
