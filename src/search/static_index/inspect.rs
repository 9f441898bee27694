//! What a static index says, whatever its layout: a base with a delta and an index written
//! whole answer alike exactly when these views are equal, so the tests compare them.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::categories::decode_ids;
use super::delta::{decode, ranks, Base, DELTA_FILES};
use super::dictionary::{page_entries, Stored, PAGE_BYTES};
use crate::search::SearchError;

/// The index in `dir` as named parts, its records numbered in their order (a delta's
/// added records in their place, its removed ones left out), as an index written whole
/// numbers them:
/// - `meta.json` without the file sizes, the dictionary's page count and the delta, with
///   the facet runs of that numbering and each category's name and document count;
/// - `docs.bin`: each record's slot in that order, wherever it is stored;
/// - `terms`: every dictionary entry as `term, df` and its postings spelled out (ids and
///   weights; a dense term's ids, its top records and the weight of the others), in term
///   order, wherever it is stored;
/// - `categories`: each category's ids;
/// - any other file as it is.
pub fn logical_files(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, SearchError> {
    let bad = |what: &str| SearchError::Format(format!("{}: {what}", dir.display()));
    let read = |f: &str| std::fs::read(dir.join(f));
    let mut meta: serde_json::Value =
        serde_json::from_slice(&read("meta.json")?).map_err(|e| bad(&e.to_string()))?;
    let slot = meta["slot"].as_u64().ok_or_else(|| bad("no slot"))? as usize;
    let pages = meta["pages"].as_u64().ok_or_else(|| bad("no pages"))? as usize;
    let docs = meta["docs"].as_u64().ok_or_else(|| bad("no docs"))? as usize;
    let numbers = |v: &serde_json::Value| -> Vec<u32> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i.as_u64())
                    .map(|i| i as u32)
                    .collect()
            })
            .unwrap_or_default()
    };
    let delta = &meta["delta"];
    let changed = numbers(&delta["ids"]);
    let added = numbers(&delta["added"]);
    let removed: HashSet<u32> = numbers(&delta["removed"]).into_iter().collect();
    let span = delta["span"].as_u64().map_or(docs, |s| s as usize);
    let base = span
        .checked_sub(added.len())
        .ok_or_else(|| bad("more added records than ids"))?;

    // The numbering an index written whole gives the records.
    let rank = ranks(base, &added);
    let mut by_rank = vec![0u32; span];
    for (id, &r) in rank.iter().enumerate() {
        by_rank[r as usize] = id as u32;
    }
    let mut number = vec![None; span];
    let mut next = 0u32;
    for &id in &by_rank {
        if !removed.contains(&id) {
            number[id as usize] = Some(next);
            next += 1;
        }
    }
    if next as usize != docs {
        return Err(bad("the record count is not the ids' less the removed"));
    }
    let renumber = |id: u32| -> Result<u32, SearchError> {
        number
            .get(id as usize)
            .copied()
            .flatten()
            .ok_or_else(|| bad(&format!("id {id} is removed or out of range")))
    };

    // The facet runs of the new numbering.
    let runs: Vec<[i64; 5]> =
        serde_json::from_value(meta["runs"].clone()).map_err(|e| bad(&e.to_string()))?;
    let mut key_of = vec![None; span];
    for run in &runs {
        for id in run[0]..run[0] + run[1] {
            *key_of
                .get_mut(id as usize)
                .ok_or_else(|| bad("a run out of range"))? = Some([run[2], run[3], run[4]]);
        }
    }
    let mut new_runs: Vec<[i64; 5]> = Vec::new();
    for (i, &id) in by_rank
        .iter()
        .filter(|id| !removed.contains(id))
        .enumerate()
    {
        let k = key_of[id as usize].ok_or_else(|| bad("a record in no run"))?;
        match new_runs.last_mut() {
            Some(r) if [r[2], r[3], r[4]] == k => r[1] += 1,
            _ => new_runs.push([i as i64, 1, k[0], k[1], k[2]]),
        }
    }

    // The categories, by name.
    let file = read("categories.bin").unwrap_or_default();
    let entries: Vec<(String, u32, u64, u64)> =
        serde_json::from_value(meta["categories"].clone()).map_err(|e| bad(&e.to_string()))?;
    let mut categories = Vec::new();
    let mut counts = Vec::new();
    for (name, n, off, len) in entries {
        let data = file
            .get(off as usize..(off + len) as usize)
            .ok_or_else(|| bad("a category out of range"))?;
        let ids = decode_ids(data, span).ok_or_else(|| bad("a damaged category"))?;
        let mut ids = ids
            .into_iter()
            .map(renumber)
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable();
        if ids.len() != n as usize {
            return Err(bad("a category's count is not its list's"));
        }
        categories.extend_from_slice(format!("{name} {ids:?}\n").as_bytes());
        counts.push((name, n));
    }

    if let Some(m) = meta.as_object_mut() {
        m.remove("files");
        m.remove("delta");
        m.remove("pages");
        m.insert("runs".into(), serde_json::json!(new_runs));
        m.insert("categories".into(), serde_json::json!(counts));
    }
    let mut out = BTreeMap::new();
    out.insert(
        "meta.json".to_string(),
        serde_json::to_vec(&meta).map_err(|e| bad(&e.to_string()))?,
    );
    out.insert("categories".to_string(), categories);

    let stored = read("docs.bin")?;
    let delta_slots = if changed.is_empty() {
        Vec::new()
    } else {
        read("docs-delta.bin")?
    };
    let slot_of = |id: u32| -> Result<&[u8], SearchError> {
        let (file, at) = match changed.binary_search(&id) {
            Ok(i) => (&delta_slots, i * slot),
            Err(_) => (&stored, id as usize * slot),
        };
        file.get(at..at + slot)
            .ok_or_else(|| bad("a slot out of range"))
    };
    let mut docs_bin = Vec::with_capacity(docs * slot);
    for &id in by_rank.iter().filter(|id| !removed.contains(id)) {
        docs_bin.extend_from_slice(slot_of(id)?);
    }
    out.insert("docs.bin".to_string(), docs_bin);

    let dict = read("dict.bin")?;
    if dict.len() != pages * PAGE_BYTES {
        return Err(bad("dict.bin is not `pages` pages long"));
    }
    let post = read("post.bin")?;
    let post_delta = read("post-delta.bin").unwrap_or_default();
    let mut terms: BTreeMap<Vec<u8>, String> = BTreeMap::new();
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
            let said = spell(decode(blob, e.df), e.df, span, &renumber)?;
            if terms.insert(e.term.to_vec(), said).is_some() {
                return Err(bad("a term listed twice"));
            }
        }
    }
    let mut listed = Vec::new();
    for (term, said) in terms {
        listed.extend_from_slice(&term);
        listed.extend_from_slice(said.as_bytes());
        listed.push(b'\n');
    }
    out.insert("terms".to_string(), listed);

    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let known = [
            "meta.json",
            "docs.bin",
            "dict.bin",
            "post.bin",
            "categories.bin",
        ];
        if !known.contains(&name.as_str()) && !DELTA_FILES.contains(&name.as_str()) {
            out.insert(name.clone(), read(&name)?);
        }
    }
    Ok(out)
}

/// A term's postings spelled out in the new numbering.
fn spell(
    base: Option<Base>,
    df: u64,
    span: usize,
    renumber: &dyn Fn(u32) -> Result<u32, SearchError>,
) -> Result<String, SearchError> {
    let weighted = |docs: Vec<(u32, u8)>| -> Result<Vec<(u32, u8)>, SearchError> {
        let mut docs = docs
            .into_iter()
            .map(|(id, w)| Ok((renumber(id)?, w)))
            .collect::<Result<Vec<_>, SearchError>>()?;
        docs.sort_unstable();
        Ok(docs)
    };
    match base {
        Some(Base::List(docs)) => Ok(format!(" {df} list {:?}", weighted(docs)?)),
        Some(Base::Dense {
            bits, known, rest, ..
        }) => {
            let mut ids = (0..(bits.len() * 8).min(span) as u32)
                .filter(|&i| bits[i as usize / 8] >> (i % 8) & 1 == 1)
                .map(renumber)
                .collect::<Result<Vec<_>, _>>()?;
            ids.sort_unstable();
            if ids.len() as u64 != df {
                return Err(SearchError::Format(
                    "a dense term's df is not its bits'".into(),
                ));
            }
            Ok(format!(
                " {df} dense {ids:?} top {:?} rest {rest}",
                weighted(known)?
            ))
        }
        None => Err(SearchError::Format("a damaged posting list".into())),
    }
}
