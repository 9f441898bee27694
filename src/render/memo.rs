//! Which pages a build may leave as they are. A page's *fingerprint* hashes everything its
//! bytes are made of: the theme, the site-wide context, the template and the page's own
//! context, with each Markdown body standing in as the hash of its file. A page whose
//! fingerprint equals the one recorded for the file already in the output tree
//! (`write::manifest`) comes out the same, so it is neither rendered nor written.
//!
//! Hashing the context rather than listing what each page depends on keeps this correct by
//! construction: a page that starts to show one more value of another record is rendered
//! again when that value changes, without anyone having to declare it.
//!
//! The one exception is where it pays most: a document's page (85,000 of them at 100,000
//! records) hashes what it is made of, listed by its page function (`Ctx::keyed`), rather
//! than its view. Debug builds, which the tests run, render every page a build leaves as it
//! is and compare it with the file, so a value such a page shows and its list misses fails
//! the tests.

use crate::table::HashMap;

/// What the output tree holds that this build may trust: each page file (relative to the
/// tree, as `urls::file_for` names it) with the fingerprint of the page written there.
#[derive(Debug, Default, Clone)]
pub struct Reuse {
    pub pages: HashMap<String, u64>,
    /// What the tree's static search index holds (URL → fingerprint of the record's search
    /// document), when the manifest recorded it and its files are as they were.
    pub search: Option<HashMap<String, u64>>,
}

/// One page of this build: its file, its fingerprint, and whether it was rendered and
/// written (`false`: the tree's file was already this page).
#[derive(Debug, Clone)]
pub struct PageOutcome {
    pub file: String,
    pub fingerprint: u64,
    pub rendered: bool,
}
