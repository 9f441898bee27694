//! From the search documents of a portal (derive's) to the two search indexes: the tantivy
//! index in `search_index_dir` and the static index in the site's `search/`.
//!
//! `gongkai build` calls [`write_indexes`] while it renders the pages into the temporary
//! output, so the static index is swapped into place with the rest of the site; the tantivy
//! index is written into a temporary sibling of `search_index_dir`, which the build swaps in
//! once the site is written too.
//!
//! After a change to a few records, [`update_indexes`] takes them into both instead.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{codes, Diagnostic};

use super::index::{write_index_into, writer_threads, IndexStats};
use super::static_index::{write_static_dir_with_words, StaticStats, TextTerms};
use super::update::{update_index_with_words, UpdateStats};
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

/// Writes both indexes: tantivy into `index_dir` (a new folder holding nothing but
/// gongkai's mark, which the caller swaps into place) and the static index into
/// `site_out/search/`.
pub fn write_indexes(
    docs: impl Iterator<Item = SearchDoc> + Send,
    site_out: &Path,
    index_dir: &Path,
) -> Result<SearchBuild, Diagnostic> {
    let index_dir = index_dir.to_path_buf();
    // One pass over the records feeds both writers: each body is read and converted once,
    // and each record segmented by jieba once (in parallel batches), instead of once per
    // index. The bounded channels keep memory flat whichever writer is slower.
    let (to_tantivy, for_tantivy) = sync_channel::<Prepared>(QUEUE);
    let (to_static, for_static) = sync_channel::<Prepared>(QUEUE);
    let static_dir = site_out.join("search");
    let (tantivy, static_index) = std::thread::scope(|s| {
        s.spawn(move || {
            let mut docs = docs.peekable();
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
    Ok(SearchBuild {
        tantivy: tantivy.map_err(|e| write_failed(&index_dir, e))?,
        static_index: static_index.map_err(|e| write_failed(&site_out.join("search"), e))?,
        index_dir,
    })
}

/// What [`update_indexes`] did.
#[derive(Debug, Clone)]
pub struct SearchUpdate {
    pub tantivy: UpdateStats,
    pub static_index: StaticStats,
}

/// Takes a change set into both indexes: `upserts` (records changed or added, by URL) and
/// `deleted` (URLs of records removed; a renamed record is its old URL removed and its new
/// one upserted). The tantivy index in `index_dir` is updated in place
/// ([`super::update`]); the static index is written again from `all`, the final records in
/// stream order, straight into `static_dir` (the `search/` folder of a site tree the caller
/// swaps into place, as `gongkai build` does). Each changed record is segmented by jieba
/// once, for both.
pub fn update_indexes(
    upserts: Vec<SearchDoc>,
    deleted: &[String],
    all: impl Iterator<Item = SearchDoc> + Send,
    static_dir: &Path,
    index_dir: &Path,
) -> Result<SearchUpdate, Diagnostic> {
    let prepared: Vec<Prepared> = upserts
        .into_par_iter()
        .map(|d| {
            let w = Arc::new(DocWords::of(&d.title, &d.body));
            (d, Some(w))
        })
        .collect();
    let words: HashMap<String, Arc<DocWords>> = prepared
        .iter()
        .filter_map(|(d, w)| Some((d.url.clone(), w.clone()?)))
        .collect();
    let (tantivy, static_index) = rayon::join(
        || update_index_with_words(index_dir, prepared, deleted),
        || {
            let docs = all.map(|d| {
                let w = words.get(&d.url).cloned();
                (d, w)
            });
            let written = write_static_dir_with_words(docs, static_dir, TextTerms::Scanned);
            // No base is kept here: the spares it would need are not published.
            let _ = std::fs::remove_file(static_dir.join(super::static_index::SPARES));
            written
        },
    );
    Ok(SearchUpdate {
        tantivy: tantivy.map_err(|e| write_failed(index_dir, e))?,
        static_index: static_index.map_err(|e| write_failed(static_dir, e))?,
    })
}

/// A search index that could not be written or updated, as the build reports it.
pub fn write_failed(what: &Path, e: SearchError) -> Diagnostic {
    Diagnostic::error(
        codes::WRITE_FAILED,
        what,
        crate::zh_en!(
            format!("无法写入检索索引 {}：{e}", what.display()),
            format!("cannot write the search index {}: {e}", what.display())
        ),
    )
}
