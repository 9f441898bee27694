//! The static search index's base, kept beside the output (`.gongkai-<name>-static/`,
//! e.g. `.gongkai-public-static/`) so that a later build can add a delta to it instead of
//! writing the index again (`search::static_index::try_delta`).
//!
//! The folder holds hard links to the files of the last static index written whole (they
//! take no space of their own while a site tree holds them too), its `spares.bin` (the
//! dense terms' records ranked after their top k, taken out of the tree before it is
//! published, [`take_spares`]), `records.json` (each
//! record's URL, search document fingerprint and what the delta needs of it) and
//! `delta.json` (what the deltas since have touched). Both JSON files carry a checksum and
//! the binary that wrote them, like the manifest; anything damaged, foreign or missing
//! means no base, and the next build writes the index whole. Deleting the folder is safe.

use std::borrow::Cow;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::manifest::{checksum, read_checked, this_binary, write_checked};
use super::tree;
use crate::search::static_index::{DeltaState, Records, FILES, SPARES};
use crate::table::HashMap;

const RECORDS: &str = "records.json";
const DELTA: &str = "delta.json";
/// The spares of the index being published, until [`save`] makes them the base's.
const PENDING: &str = "spares.bin.pending";
const KEPT_SPARES: &str = "spares.bin";

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
    /// The checksum of its `records.json`, which the state names.
    sum: u64,
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
    let sum = checksum(&body);
    let state = read_checked(&dir.join(DELTA))
        .and_then(|d| serde_json::from_str::<DeltaFile>(&d).ok())
        .filter(|d| d.binary == this_binary() && d.base == sum)
        .map(|d| d.state);
    Some(Base {
        dir,
        records: file.records.into_owned(),
        fingerprints: file.fingerprints,
        state,
        sum,
    })
}

/// Makes the static index in `search` (written whole) the base beside `out`, with the
/// fingerprints of its records in stream order, and the spares [`take_spares`] took from
/// it. Failing to is no error: the next build writes the index whole again.
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
    let mut sizes = HashMap::default();
    for f in FILES.iter().copied().chain([KEPT_SPARES]) {
        let to = dir.join(f);
        let _ = fs::remove_file(&to);
        let moved = if f == KEPT_SPARES {
            fs::rename(dir.join(PENDING), &to)
        } else {
            fs::hard_link(search.join(f), &to)
        };
        let Ok(size) = moved.and_then(|()| fs::metadata(&to)).map(|m| m.len()) else {
            return;
        };
        sizes.insert(f.to_string(), size);
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

/// Records what the deltas on `base` have touched so far, then blanks the
/// slots of the records they changed or removed in the base's `docs.bin`
/// ([`blank_withdrawn`](crate::search::static_index::blank_withdrawn)). A state that cannot
/// be kept, or slots that cannot be blanked, leave no base: the next build writes the index
/// whole.
pub fn save_state(base: &Base, state: DeltaState) {
    let dir = &base.dir;
    let file = DeltaFile {
        binary: this_binary(),
        base: base.sum,
        state,
    };
    let path = dir.join(DELTA);
    let written = serde_json::to_string(&file)
        .is_ok_and(|b| write_checked(&path, &dir.join(format!("{DELTA}.new")), &b));
    // Without the state, a later delta would read a blanked slot as a record's.
    if !written
        || crate::search::static_index::blank_withdrawn(&base.dir, &base.records, &file.state)
            .is_err()
    {
        let _ = fs::remove_file(dir.join(RECORDS));
        let _ = fs::remove_file(path);
    }
}

/// Moves the spares a static index written whole leaves in `search`, a tree not yet
/// published (they would be served), into the private folder beside `out`, where [`save`]
/// finds them; removes them if they cannot be kept. Spares an earlier build left there are
/// dropped first, so that a base is never saved with another index's spares.
pub fn take_spares(out: &Path, search: &Path) {
    let (from, dir) = (search.join(SPARES), location(out));
    let _ = fs::remove_file(dir.join(PENDING));
    if !from.exists() {
        return;
    }
    let kept = fs::create_dir_all(&dir).and_then(|()| fs::rename(&from, dir.join(PENDING)));
    if kept.is_err() {
        let _ = fs::remove_file(&from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::static_index::write_static_dir_with_words;
    use crate::search::static_index::TextTerms;
    use crate::search::SearchDoc;

    fn docs() -> Vec<SearchDoc> {
        (0..50u32)
            .map(|i| SearchDoc {
                id: i,
                slug: format!("d{i}"),
                kind: "document".into(),
                url: format!("/documents/d{i}/"),
                title: format!("关于第{i}号文件的通知"),
                body: "信息公开".repeat(1 + i as usize % 7),
                agency: "a".into(),
                agency_name: "机关".into(),
                year: Some(2020),
                codes: Vec::new(),
                date: None,
                categories: Vec::new(),
            })
            .collect()
    }

    /// The spares leave the tree before it is published and become the base's; spares an
    /// earlier build left pending are never saved with another index.
    #[test]
    fn the_spares_are_taken_out_of_the_tree_and_kept_with_the_base() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let search = tmp.path().join("tree/search");
        let docs = docs();
        let stats = write_static_dir_with_words(
            docs.iter().cloned().map(|d| (d, None)),
            &search,
            TextTerms::Scanned,
        )
        .unwrap();
        let written = fs::read(search.join(SPARES)).unwrap();
        let fingerprints: Vec<(String, u64)> = docs
            .iter()
            .map(|d| (d.url.clone(), u64::from(d.id)))
            .collect();

        take_spares(&out, &search);
        assert!(!search.join(SPARES).exists(), "the spares stay in the tree");
        save(&out, &search, stats.base.as_ref().unwrap(), &fingerprints);
        assert_eq!(fs::read(location(&out).join(KEPT_SPARES)).unwrap(), written);
        assert!(load(&out).is_some(), "the base just saved is not whole");

        // Spares left pending by a build that failed, then a tree without spares (they
        // could not be taken): the base is not saved with the stale ones.
        fs::write(location(&out).join(PENDING), b"stale").unwrap();
        take_spares(&out, &search);
        save(&out, &search, stats.base.as_ref().unwrap(), &fingerprints);
        assert!(load(&out).is_none(), "a base saved without its own spares");
    }
}
