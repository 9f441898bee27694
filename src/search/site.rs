//! From a loaded portal to the two search indexes: every record type becomes [`SearchDoc`]s
//! (document bodies, power and service items, decisions, annual reports, pages), written as
//! the tantivy index in `search_index_dir` and as the static index in the site's `search/`.
//!
//! `gongkai build` calls [`write_indexes`] while it renders the pages into the temporary
//! output, so the static index is swapped into place with the rest of the site; the tantivy
//! index is written into a temporary sibling of `search_index_dir`, which the build swaps in
//! once the site is written too.

use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::{codes, Diagnostic};
use crate::model::urls;
use crate::model::*;
use crate::render::read_body;
use crate::text::markdown;

use super::index::{write_index_into, writer_threads, IndexStats};
use super::static_index::{write_static_dir_with_words, StaticStats, TextTerms};
use super::words::DocWords;
use super::{SearchDoc, SearchError};

/// What [`write_indexes`] wrote.
#[derive(Debug, Clone)]
pub struct SearchBuild {
    pub tantivy: IndexStats,
    pub static_index: StaticStats,
    /// The tantivy index folder.
    pub index_dir: PathBuf,
}

/// A record with its word terms, as handed to both writers.
type Prepared = (SearchDoc, Option<Arc<DocWords>>);

/// Records segmented per batch and queued per writer.
const QUEUE: usize = 256;

/// The record-type names used in the indexes, the CLI's `--type` and the search page.
pub const KINDS: [&str; 6] = ["document", "power", "service", "decision", "report", "page"];

/// Writes both indexes: tantivy into `index_dir` (a new folder holding nothing but
/// gongkai's mark, which the caller swaps into place) and the static index into
/// `site_out/search/`.
pub fn write_indexes(
    portal: &Portal,
    root: &Path,
    site_out: &Path,
    index_dir: &Path,
) -> Result<SearchBuild, Diagnostic> {
    let index_dir = index_dir.to_path_buf();
    let failed: Mutex<Option<Diagnostic>> = Mutex::new(None);
    // One pass over the records feeds both writers: each body is read and converted once,
    // and each record segmented by jieba once (in parallel batches), instead of once per
    // index. The bounded channels keep memory flat whichever writer is slower.
    let (to_tantivy, for_tantivy) = sync_channel::<Prepared>(QUEUE);
    let (to_static, for_static) = sync_channel::<Prepared>(QUEUE);
    let static_dir = site_out.join("search");
    let (tantivy, static_index) = std::thread::scope(|s| {
        let failed = &failed;
        s.spawn(move || {
            let mut docs = search_docs(portal, root, failed).peekable();
            while docs.peek().is_some() {
                let batch: Vec<SearchDoc> = docs.by_ref().take(QUEUE).collect();
                let words: Vec<Arc<DocWords>> = batch
                    .par_iter()
                    .map(|d| Arc::new(DocWords::of(&d.title, &d.body)))
                    .collect();
                for (d, w) in batch.into_iter().zip(words) {
                    // A writer that failed has dropped its receiver; its error is reported
                    // below, the other writer still gets every document.
                    let _ = to_tantivy.send((d.clone(), Some(w.clone())));
                    let _ = to_static.send((d, Some(w)));
                }
            }
        });
        let tantivy =
            s.spawn(|| write_index_into(for_tantivy.into_iter(), &index_dir, writer_threads()));
        let join = |h: std::thread::ScopedJoinHandle<'_, _>| {
            h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        };
        // The static index takes its text postings from tantivy's segments, once written,
        // rather than tokenizing and counting every record a second time.
        let mut running = Some(tantivy);
        let mut written = None;
        let wait = || {
            written = running.take().map(join);
            match &written {
                Some(Ok(_)) => Ok(index_dir.clone()),
                _ => Err(SearchError::Format(
                    "the tantivy index was not written".into(),
                )),
            }
        };
        let static_index = write_static_dir_with_words(
            for_static.into_iter(),
            &static_dir,
            TextTerms::FromTantivy(Box::new(wait)),
        );
        // Joined while the static index waited, or now if it failed before.
        let tantivy = written
            .or_else(|| running.map(join))
            .expect("the tantivy writer is either joined or still running");
        (tantivy, static_index)
    });
    if let Some(d) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(d);
    }
    let fail = |what: &Path, e: super::SearchError| {
        Diagnostic::error(
            codes::WRITE_FAILED,
            what,
            format!("cannot write the search index {}: {e}", what.display()),
        )
    };
    Ok(SearchBuild {
        tantivy: tantivy.map_err(|e| fail(&index_dir, e))?,
        static_index: static_index.map_err(|e| fail(&site_out.join("search"), e))?,
        index_dir,
    })
}

/// Every searchable record of the portal, streamed: bodies are read from their files one at
/// a time. A body that cannot be read is indexed without it and the first such failure is
/// stored in `failed`.
pub fn search_docs<'a>(
    p: &'a Portal,
    root: &'a Path,
    failed: &'a Mutex<Option<Diagnostic>>,
) -> impl Iterator<Item = SearchDoc> + 'a {
    let body = move |meta: &Meta| -> String {
        match read_body(root, meta, p.config.max_file_bytes) {
            Ok(md) => markdown::to_text(&md),
            Err(d) => {
                let mut f = failed.lock().unwrap_or_else(|e| e.into_inner());
                f.get_or_insert(d);
                String::new()
            }
        }
    };
    let agency_name = move |slug: &str| -> String {
        p.agency(slug)
            .map(|a| a.data.name.clone())
            .unwrap_or_default()
    };
    let documents = p.documents.iter().map(move |r| {
        let d = &r.data;
        let mut text = String::new();
        if let Some(s) = &d.summary {
            push_line(&mut text, s);
        }
        push_line(&mut text, &body(&r.meta));
        for a in &d.attachments {
            push_line(&mut text, &a.title);
        }
        let mut codes = vec![d.index_no.clone()];
        codes.extend(d.doc_number.clone());
        codes.extend(d.registration_no.clone());
        doc(
            Kind::Document,
            &r.meta,
            d.title.clone(),
            text,
            &d.agency,
            agency_name(&d.agency),
            r.meta.year.or(Some(year_of(d.published))),
            codes,
            Some(d.published.to_string()),
        )
    });
    let power = p.power.iter().map(move |r| {
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
        for c in &d.changes {
            for s in c.basis.iter().chain(&c.note) {
                push_line(&mut text, s);
            }
        }
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
            agency_name(&agency),
            date.map(year_of),
            codes,
            date.map(|d| d.to_string()),
        )
    });
    let services = p.services.iter().map(move |r| {
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
        let agency = r.meta.folder_agency.clone().unwrap_or_default();
        doc(
            Kind::Service,
            &r.meta,
            d.name.clone(),
            text,
            &agency,
            agency_name(&agency),
            None,
            vec![d.code.clone()],
            None,
        )
    });
    let decisions = p.decisions.iter().map(move |r| {
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
        push_line(&mut text, &body(&r.meta));
        let date = d.collective_decision.as_ref().map(|c| c.date).or(d.planned);
        doc(
            Kind::Decision,
            &r.meta,
            d.title.clone(),
            text,
            &d.agency,
            agency_name(&d.agency),
            r.meta.year,
            Vec::new(),
            date.map(|d| d.to_string()),
        )
    });
    let reports = p.reports.iter().map(move |r| {
        let d = &r.data;
        let agency = r.meta.folder_agency.clone().unwrap_or_default();
        let name = agency_name(&agency);
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
    });
    let pages = p.pages.iter().map(move |r| {
        let mut text = String::new();
        if let Some(s) = &r.data.description {
            push_line(&mut text, s);
        }
        push_line(&mut text, &body(&r.meta));
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
    });
    documents
        .chain(power)
        .chain(services)
        .chain(decisions)
        .chain(reports)
        .chain(pages)
        .enumerate()
        .map(|(i, mut d)| {
            d.id = i as u32;
            d
        })
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
    }
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
