//! `categories.bin`: the internal ids of each category's documents (主题分类, 体裁), one list
//! after the other; `meta.json` gives each list's name, document count, offset and length.
//!
//! Unlike type, agency and year, a document has any number of categories, so they cannot be
//! runs of the internal order. The lists are a file of their own, which the client reads only
//! when the reader filters by a category (that list) or opens the counts (the whole file):
//! a first query without them costs what it did.
//!
//! A list is form 0, `0, varint k, k ids` (the first id, then the gaps to the next, as
//! varints), or form 1, `1` and a bitset of `ceil(n / 8)` bytes over all `n` ids (id `i` is
//! bit `i % 8` of byte `i / 8`), whichever is shorter; a tie is a list.

use std::collections::BTreeMap;
use std::path::Path;

use super::format::{get_varint, put_varint};
use crate::search::SearchError;

/// One category of `meta.json`: `[name, documents, offset, length]`.
pub(super) type CategoryEntry = (String, u32, u64, u64);

/// Encodes the ascending, distinct internal ids `ids` of a portal of `n` records.
pub(super) fn encode_ids(ids: &[u32], n: usize) -> Vec<u8> {
    let mut list = vec![0u8];
    put_varint(&mut list, ids.len() as u64);
    let mut prev = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        put_varint(&mut list, u64::from(if i == 0 { id } else { id - prev }));
        prev = id;
    }
    let bitset = 1 + n.div_ceil(8);
    if list.len() <= bitset {
        return list;
    }
    let mut out = vec![0u8; bitset];
    out[0] = 1;
    for &id in ids {
        out[1 + id as usize / 8] |= 1 << (id % 8);
    }
    out
}

/// The ids of one encoded list of a portal of `n` records (`None`: malformed).
pub(super) fn decode_ids(data: &[u8], n: usize) -> Option<Vec<u32>> {
    match *data.first()? {
        0 => {
            let mut at = 1;
            let k = get_varint(data, &mut at)? as usize;
            let mut ids = Vec::with_capacity(k.min(n));
            let mut id = 0u64;
            for i in 0..k {
                let d = get_varint(data, &mut at)?;
                id = if i == 0 { d } else { id + d };
                ids.push(u32::try_from(id).ok()?);
            }
            Some(ids)
        }
        1 => {
            let bits = data.get(1..1 + n.div_ceil(8))?;
            Some(
                (0..n as u32)
                    .filter(|&i| bits[i as usize / 8] >> (i % 8) & 1 == 1)
                    .collect(),
            )
        }
        _ => None,
    }
}

/// Writes `categories.bin` into `dir` from each category's documents by caller id
/// (`internal`: internal ids by caller id); the entries of `meta.json`, by name.
pub(super) fn write_categories(
    dir: &Path,
    categories: BTreeMap<String, Vec<u32>>,
    internal: &[u32],
) -> Result<Vec<CategoryEntry>, SearchError> {
    let lists = categories.into_iter().map(|(name, callers)| {
        let mut ids: Vec<u32> = callers.iter().map(|&c| internal[c as usize]).collect();
        ids.sort_unstable();
        ids.dedup();
        (name, ids)
    });
    let (file, entries) = encode_lists(lists, internal.len());
    std::fs::write(dir.join("categories.bin"), file)?;
    Ok(entries)
}

/// `categories.bin` of the categories' ascending, distinct internal ids, over `n` ids, and
/// the entries of `meta.json`, in the order given (by name).
pub(super) fn encode_lists(
    lists: impl Iterator<Item = (String, Vec<u32>)>,
    n: usize,
) -> (Vec<u8>, Vec<CategoryEntry>) {
    let mut file = Vec::new();
    let mut entries = Vec::new();
    for (name, ids) in lists {
        let bytes = encode_ids(&ids, n);
        entries.push((
            name,
            ids.len() as u32,
            file.len() as u64,
            bytes.len() as u64,
        ));
        file.extend_from_slice(&bytes);
    }
    (file, entries)
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample_docs;
    use super::super::{build_spilling_at, TextTerms};
    use super::*;

    /// Each category's list holds its documents once, by internal id: every second sample
    /// record is a document of 综合政务, every tenth one of 司法 too (written twice).
    #[test]
    fn each_category_lists_its_documents_once() {
        let dir = tempfile::tempdir().unwrap();
        build_spilling_at(
            sample_docs(1500).into_iter(),
            dir.path(),
            usize::MAX,
            TextTerms::Scanned,
        )
        .unwrap();
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("meta.json")).unwrap()).unwrap();
        let file = std::fs::read(dir.path().join("categories.bin")).unwrap();
        assert_eq!(meta["files"]["categories.bin"], file.len() as u64);
        let kinds = meta["kinds"].as_array().unwrap();
        let document = kinds.iter().position(|k| k == "document").unwrap() as i64;
        let is_document = |id: u32| {
            meta["runs"].as_array().unwrap().iter().any(|r| {
                let (start, count) = (r[0].as_u64().unwrap() as u32, r[1].as_u64().unwrap() as u32);
                (start..start + count).contains(&id) && r[2].as_i64() == Some(document)
            })
        };
        let entries = meta["categories"].as_array().unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e[0].as_str().unwrap()).collect();
        assert_eq!(names, ["司法", "综合政务"]);
        for (e, want) in entries.iter().zip([150usize, 750]) {
            let (from, len) = (
                e[2].as_u64().unwrap() as usize,
                e[3].as_u64().unwrap() as usize,
            );
            let ids = decode_ids(&file[from..from + len], 1500).unwrap();
            assert_eq!(ids.len(), want, "{e}");
            assert_eq!(e[1], want as u64);
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{e}: not ascending");
            assert!(ids.iter().all(|&id| is_document(id)), "{e}");
        }
    }

    /// A few ids among many are a list of gaps; ids of most records a bitset; either reads
    /// back as the ids it was given.
    #[test]
    fn id_lists_are_gaps_or_bitsets_whichever_is_shorter() {
        let n = 1000;
        let sparse = [3u32, 130, 131, 999];
        let bytes = encode_ids(&sparse, n);
        assert_eq!(bytes[0], 0);
        // 0, k = 4, then 3, 127, 1, 868 (two bytes).
        assert_eq!(bytes, [0, 4, 3, 127, 1, 0xE4, 0x06]);
        assert_eq!(decode_ids(&bytes, n).unwrap(), sparse);

        let dense: Vec<u32> = (0..n as u32).filter(|i| i % 3 != 0).collect();
        let bytes = encode_ids(&dense, n);
        assert_eq!(bytes[0], 1);
        assert_eq!(bytes.len(), 1 + 125);
        // Ids 1, 2, 4, 5 and 7 in the first byte.
        assert_eq!(bytes[1], 0b1011_0110);
        assert_eq!(decode_ids(&bytes, n).unwrap(), dense);

        assert_eq!(encode_ids(&[], n), [0, 0]);
        assert_eq!(decode_ids(&[0, 0], n).unwrap(), Vec::<u32>::new());
        // A list cut short, or of an unknown form, is no list.
        assert_eq!(decode_ids(&[0, 2, 5], n), None);
        assert_eq!(decode_ids(&[2], n), None);
        assert_eq!(decode_ids(&[1, 0xFF], n), None);
    }
}
