//! The static search index's base, kept beside the output (`.gongkai-<name>-static/`,
//! e.g. `.gongkai-public-static/`) so that a later build can add a delta to it instead of
//! writing the index again (`search::static_index::try_delta`).
//!
//! The folder holds hard links to the files of the last static index written whole (they
//! take no space of their own while a site tree holds them too), `records.json` (each
//! record's URL, search document fingerprint and what the delta needs of it) and
//! `delta.json` (what the deltas since have touched). Both JSON files carry a checksum and
//! the binary that wrote them, like the manifest; anything damaged, foreign or missing
//! means no base, and the next build writes the index whole. Deleting the folder is safe.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::manifest::{checksum, read_checked, this_binary, write_checked};
use super::tree;
use crate::search::static_index::{DeltaState, Records, FILES, SPARES};

const RECORDS: &str = "records.json";
const DELTA: &str = "delta.json";

/// The private folder beside `out`.
pub fn location(out: &Path) -> PathBuf {
    tree::sibling(out, "static")
}

#[derive(Serialize, Deserialize)]
struct RecordsFile<'a> {
    binary: String,
    /// Each base file's size, checked before the base is used.
    sizes: HashMap<String, u64>,
    fingerprints: Vec<u64>,
    /// Borrowed when written (no copy of 100,000 records' table), owned when read.
    records: Cow<'a, Records>,
}

#[derive(Serialize, Deserialize)]
struct DeltaFile {
    binary: String,
    /// The checksum of the `records.json` whose base the state is of.
    base: u64,
    state: DeltaState,
}

/// A base that can be used: its records, their fingerprints, and the last delta's state.
pub struct Base {
    pub dir: PathBuf,
    pub records: Records,
    pub fingerprints: Vec<u64>,
    pub state: Option<DeltaState>,
}

/// The base beside `out`, if it is whole and this binary's.
pub fn load(out: &Path) -> Option<Base> {
    let dir = location(out);
    let body = read_checked(&dir.join(RECORDS))?;
    let file: RecordsFile = serde_json::from_str(&body).ok()?;
    if file.binary != this_binary() || file.sizes.len() != FILES.len() + 1 {
        return None;
    }
    for (name, size) in &file.sizes {
        if fs::metadata(dir.join(name)).ok()?.len() != *size {
            return None;
        }
    }
    let state = read_checked(&dir.join(DELTA))
        .and_then(|d| serde_json::from_str::<DeltaFile>(&d).ok())
        .filter(|d| d.binary == this_binary() && d.base == checksum(&body))
        .map(|d| d.state);
    Some(Base {
        dir,
        records: file.records.into_owned(),
        fingerprints: file.fingerprints,
        state,
    })
}

/// Makes the static index in `search` (written whole) the base beside `out`, with the
/// fingerprints of its records in stream order. Failing to is no error: the next build
/// writes the index whole again. The dense terms' spares are not published: they move from
/// `search` into the base, or are removed ([`remove_spares`]).
pub fn save(out: &Path, search: &Path, records: &Records, fingerprints: &[(String, u64)]) {
    let dir = location(out);
    // The old record goes first: a base half replaced is never read as whole.
    let _ = fs::remove_file(dir.join(RECORDS));
    let _ = fs::remove_file(dir.join(DELTA));
    let same_order = records.urls.len() == fingerprints.len()
        && records
            .urls
            .iter()
            .zip(fingerprints)
            .all(|(u, f)| *u == f.0);
    if !same_order || fs::create_dir_all(&dir).is_err() {
        return;
    }
    let mut sizes = HashMap::new();
    let names = FILES
        .iter()
        .map(|f| (*f, *f))
        .chain([(SPARES, "spares.bin")]);
    for (f, kept_as) in names {
        let (from, to) = (search.join(f), dir.join(kept_as));
        let _ = fs::remove_file(&to);
        let Ok(size) = fs::hard_link(&from, &to)
            .and_then(|()| fs::metadata(&to))
            .map(|m| m.len())
        else {
            return;
        };
        sizes.insert(kept_as.to_string(), size);
    }
    let file = RecordsFile {
        binary: this_binary(),
        sizes,
        fingerprints: fingerprints.iter().map(|f| f.1).collect(),
        records: Cow::Borrowed(records),
    };
    if let Ok(body) = serde_json::to_string(&file) {
        write_checked(
            &dir.join(RECORDS),
            &dir.join(format!("{RECORDS}.new")),
            &body,
        );
    }
}

/// Records what the deltas on the base beside `out` have touched so far.
pub fn save_state(out: &Path, state: DeltaState) {
    let dir = location(out);
    let Some(body) = read_checked(&dir.join(RECORDS)) else {
        return;
    };
    let file = DeltaFile {
        binary: this_binary(),
        base: checksum(&body),
        state,
    };
    let path = dir.join(DELTA);
    let written = serde_json::to_string(&file)
        .is_ok_and(|b| write_checked(&path, &dir.join(format!("{DELTA}.new")), &b));
    if !written {
        let _ = fs::remove_file(path);
    }
}

/// Removes the spares a static index written whole leaves in `search` (published, they
/// would be served).
pub fn remove_spares(search: &Path) {
    let _ = fs::remove_file(search.join(SPARES));
}
