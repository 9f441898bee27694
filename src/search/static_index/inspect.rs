//! What a static index says, whatever its layout: a base with a delta and an index written
//! whole answer alike exactly when these views are equal, so the tests compare them.

use std::collections::BTreeMap;
use std::path::Path;

use super::delta::DELTA_FILES;
use super::dictionary::{page_entries, Stored, PAGE_BYTES};
use crate::search::SearchError;

/// The index in `dir` as named parts: `meta.json` without its file sizes and delta,
/// `docs.bin` with the delta's slots in place, and `terms`: every dictionary entry as
/// `term, df, postings` in term order, wherever its postings are stored. Other files
/// (categories.bin) as they are.
pub fn logical_files(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, SearchError> {
    let bad = |what: &str| SearchError::Format(format!("{}: {what}", dir.display()));
    let read = |f: &str| std::fs::read(dir.join(f));
    let mut meta: serde_json::Value =
        serde_json::from_slice(&read("meta.json")?).map_err(|e| bad(&e.to_string()))?;
    let slot = meta["slot"].as_u64().ok_or_else(|| bad("no slot"))? as usize;
    let pages = meta["pages"].as_u64().ok_or_else(|| bad("no pages"))? as usize;
    let changed: Vec<usize> = meta["delta"]["ids"]
        .as_array()
        .map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_u64())
                .map(|i| i as usize)
                .collect()
        })
        .unwrap_or_default();
    if let Some(m) = meta.as_object_mut() {
        m.remove("files");
        m.remove("delta");
    }
    let mut out = BTreeMap::new();
    out.insert(
        "meta.json".to_string(),
        serde_json::to_vec(&meta).map_err(|e| bad(&e.to_string()))?,
    );

    let mut docs = read("docs.bin")?;
    if !changed.is_empty() {
        let delta = read("docs-delta.bin")?;
        for (i, id) in changed.into_iter().enumerate() {
            let (from, to) = (i * slot, id * slot);
            if from + slot > delta.len() || to + slot > docs.len() {
                return Err(bad("a delta slot out of range"));
            }
            docs[to..to + slot].copy_from_slice(&delta[from..from + slot]);
        }
    }
    out.insert("docs.bin".to_string(), docs);

    let dict = read("dict.bin")?;
    if dict.len() != pages * PAGE_BYTES {
        return Err(bad("dict.bin is not `pages` pages long"));
    }
    let post = read("post.bin")?;
    let post_delta = read("post-delta.bin").unwrap_or_default();
    let mut terms: BTreeMap<Vec<u8>, (u64, Vec<u8>)> = BTreeMap::new();
    for page in dict.chunks(PAGE_BYTES) {
        for entry in page_entries(page) {
            let e = entry.ok_or_else(|| bad("a damaged dictionary entry"))?;
            let blob = match e.postings {
                Stored::Inline(b) => b,
                Stored::External { delta, off, len } => {
                    let file = if delta { &post_delta } else { &post };
                    file.get(off as usize..(off + len) as usize)
                        .ok_or_else(|| bad("postings out of range"))?
                }
            };
            if terms
                .insert(e.term.to_vec(), (e.df, blob.to_vec()))
                .is_some()
            {
                return Err(bad("a term listed twice"));
            }
        }
    }
    let mut listed = Vec::new();
    for (term, (df, blob)) in terms {
        listed.extend_from_slice(format!("{} {df} {}\n", term.len(), blob.len()).as_bytes());
        listed.extend_from_slice(&term);
        listed.extend_from_slice(&blob);
        listed.push(b'\n');
    }
    out.insert("terms".to_string(), listed);

    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let known = ["meta.json", "docs.bin", "dict.bin", "post.bin"];
        if !known.contains(&name.as_str()) && !DELTA_FILES.contains(&name.as_str()) {
            out.insert(name.clone(), read(&name)?);
        }
    }
    Ok(out)
}
