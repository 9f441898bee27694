//! The postings counted during a build: held in memory by partition, spilled to run files
//! when they grow too large, and encoded in the format of `post.bin` (list, or bitset and
//! top-k for dense terms) with their weight bytes.

use std::collections::hash_map::Entry;
use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::format::{get_varint, put_varint};
use super::terms::{cjk_text, KeyMap, RecordTerms, PARTS};
use super::weight::Lengths;
use crate::search::SearchError;

/// Portals from this size on store very frequent terms as bitset + top-k.
const DENSE_MIN_DOCS: usize = 4096;
pub(super) const DENSE_TOP_K: usize = 512;
/// A dense term's records ranked just after its top k, kept for the private base
/// (`delta.rs`, never published): what lets a delta know who enters the top k when
/// changed records leave it.
pub(super) const DENSE_SPARES: usize = 64;
/// Postings held in memory before they are spilled to per-partition run files, so that
/// memory stays flat whatever the portal size (100,000 records hold ~1 GB of postings).
pub(super) const SPILL_BYTES: usize = 128 << 20;

#[derive(Default)]
pub(super) struct Postings {
    /// Caller id + 1 of the last document appended.
    last: u32,
    df: u32,
    /// varint(id delta), varint(title tf), varint(body tf) per document.
    bytes: Vec<u8>,
}

/// A partition's postings with its terms' texts.
pub(super) type Part = (KeyMap<Postings>, KeyMap<Box<str>>);
/// A term's text, its document frequency, its encoded postings and its spares
/// ([`DENSE_SPARES`]).
pub(super) type Encoded = (String, u32, Vec<u8>, Vec<(u32, u8)>);

/// The postings of all terms counted so far, by partition (so that they are added and
/// encoded in parallel), with the texts of the hashed terms.
pub(super) struct PostingsTable {
    parts: Vec<KeyMap<Postings>>,
    /// The texts of hashed terms, per partition, first seen (never spilled).
    texts: Vec<KeyMap<Box<str>>>,
    /// Bytes of postings added since the last spill.
    held: usize,
    spill_bytes: usize,
    /// Whether some postings are in run files.
    spilled: bool,
}

impl PostingsTable {
    /// An empty table that spills to run files whenever more than `spill_bytes` are held.
    pub(super) fn new(spill_bytes: usize) -> PostingsTable {
        PostingsTable {
            parts: (0..PARTS).map(|_| KeyMap::default()).collect(),
            texts: (0..PARTS).map(|_| KeyMap::default()).collect(),
            held: 0,
            spill_bytes,
            spilled: false,
        }
    }

    /// Adds the terms of `batch`, the records with caller ids from `first_id` on, then
    /// spills every partition to its run file in `dir` if too much is held.
    pub(super) fn add_batch(
        &mut self,
        dir: &Path,
        batch: &[RecordTerms],
        first_id: u32,
    ) -> Result<(), SearchError> {
        self.held += self
            .parts
            .par_iter_mut()
            .zip(self.texts.par_iter_mut())
            .enumerate()
            .map(|(p, (map, texts))| add_to_part(p, map, texts, batch, first_id))
            .sum::<usize>();
        if self.held > self.spill_bytes {
            self.parts
                .par_iter_mut()
                .enumerate()
                .try_for_each(|(p, map)| spill(dir, p, std::mem::take(map)))?;
            self.spilled = true;
            self.held = 0;
        }
        Ok(())
    }

    /// The partitions, in order, and whether some of their postings are in run files.
    pub(super) fn into_parts(self) -> (Vec<Part>, bool) {
        (
            self.parts.into_iter().zip(self.texts).collect(),
            self.spilled,
        )
    }
}

/// Appends the postings of partition `p`'s terms of `batch` to `map` (texts to `texts`);
/// the bytes added.
fn add_to_part(
    p: usize,
    map: &mut KeyMap<Postings>,
    texts: &mut KeyMap<Box<str>>,
    batch: &[RecordTerms],
    first_id: u32,
) -> usize {
    let mut added = 0;
    for (i, d) in batch.iter().enumerate() {
        let id = first_id + i as u32;
        let (from, to) = (d.parts[p] as usize, d.parts[p + 1] as usize);
        for t in &d.terms[from..to] {
            let e = map.entry(t.key).or_default();
            if e.df == 0 {
                if let Some(s) = d.text(t.text) {
                    texts.entry(t.key).or_insert_with(|| s.into());
                }
            }
            let before = e.bytes.len();
            let delta = if e.df == 0 { id } else { id + 1 - e.last };
            put_varint(&mut e.bytes, u64::from(delta));
            put_varint(&mut e.bytes, u64::from(t.title));
            put_varint(&mut e.bytes, u64::from(t.body));
            e.last = id + 1;
            e.df += 1;
            added += e.bytes.len() - before;
        }
    }
    added
}

fn spill_path(dir: &Path, part: usize) -> PathBuf {
    dir.join(format!(".postings-{part}.tmp"))
}

/// Appends the postings of one partition to its run file: per term `u64 key, u32 last,
/// u32 df, u32 n, n bytes` (the bytes as in [`Postings`], starting from an absolute id).
fn spill(dir: &Path, part: usize, map: KeyMap<Postings>) -> Result<(), SearchError> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(spill_path(dir, part))?;
    let mut out = BufWriter::new(file);
    for (k, p) in map {
        out.write_all(&k.to_le_bytes())?;
        out.write_all(&p.last.to_le_bytes())?;
        out.write_all(&p.df.to_le_bytes())?;
        out.write_all(&(p.bytes.len() as u32).to_le_bytes())?;
        out.write_all(&p.bytes)?;
    }
    out.flush()?;
    Ok(())
}

/// The postings of one partition: its run file (deleted once read), in the order it was
/// written, then `tail` (the postings still in memory, the newest documents).
fn unspill(
    dir: &Path,
    part: usize,
    tail: KeyMap<Postings>,
) -> Result<KeyMap<Postings>, SearchError> {
    let path = spill_path(dir, part);
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(tail),
        Err(e) => return Err(e.into()),
    };
    std::fs::remove_file(&path)?;
    let bad = || SearchError::Format(format!("{}: truncated run file", path.display()));
    let u32_at = |at: usize| -> Result<u32, SearchError> {
        let b = data.get(at..at + 4).ok_or_else(bad)?;
        Ok(u32::from_le_bytes(b.try_into().map_err(|_| bad())?))
    };
    let mut map: KeyMap<Postings> = KeyMap::default();
    let mut at = 0;
    while at < data.len() {
        let key = data.get(at..at + 8).ok_or_else(bad)?;
        let key = u64::from_le_bytes(key.try_into().map_err(|_| bad())?);
        let (last, df, n) = (u32_at(at + 8)?, u32_at(at + 12)?, u32_at(at + 16)? as usize);
        at += 20;
        let bytes = data.get(at..at + n).ok_or_else(bad)?.to_vec();
        at += n;
        append_run(&mut map, key, Postings { last, df, bytes });
    }
    for (key, p) in tail {
        append_run(&mut map, key, p);
    }
    Ok(map)
}

/// Appends a later run of a term's postings: its first id, stored absolute, becomes a delta.
fn append_run(map: &mut KeyMap<Postings>, key: u64, run: Postings) {
    match map.entry(key) {
        Entry::Vacant(v) => {
            v.insert(run);
        }
        Entry::Occupied(mut o) => {
            let e = o.get_mut();
            let mut at = 0;
            let first = get_varint(&run.bytes, &mut at).unwrap_or(0);
            put_varint(&mut e.bytes, first + 1 - u64::from(e.last));
            e.bytes.extend_from_slice(&run.bytes[at..]);
            e.df += run.df;
            e.last = run.last;
        }
    }
}

/// The terms of partition `p` in key order, their postings encoded (read back from its run
/// file first if `spilled`).
pub(super) fn encode_part(
    dir: &Path,
    spilled: bool,
    p: usize,
    (map, mut texts): Part,
    lens: &Lengths,
) -> Result<Vec<Encoded>, SearchError> {
    let map = if spilled { unspill(dir, p, map)? } else { map };
    let mut terms: Vec<(u64, Postings)> = map.into_iter().collect();
    terms.sort_unstable_by_key(|t| t.0);
    Ok(terms
        .into_iter()
        .filter_map(|(k, p)| {
            let term = cjk_text(k).or_else(|| texts.remove(&k).map(String::from))?;
            let mut blob = Vec::new();
            let spares = encode_postings(&p, lens, &mut blob);
            Some((term, p.df, blob, spares))
        })
        .collect())
}

/// Encodes one term's postings in the final format (ids are internal).
fn encode_postings(p: &Postings, lens: &Lengths, out: &mut Vec<u8>) -> Vec<(u32, u8)> {
    let mut docs: Vec<(u32, u8)> = Vec::with_capacity(p.df as usize);
    let mut at = 0;
    let mut caller = 0u64;
    let mut first = true;
    while at < p.bytes.len() {
        let delta = get_varint(&p.bytes, &mut at).unwrap_or(0);
        caller = if first { delta } else { caller + delta };
        first = false;
        let tt = get_varint(&p.bytes, &mut at).unwrap_or(0) as u32;
        let tb = get_varint(&p.bytes, &mut at).unwrap_or(0) as u32;
        let c = caller as usize;
        docs.push((lens.internal[c], lens.weight(c, tt, tb)));
    }
    encode_weighted(docs, lens.internal.len(), out)
}

/// Encodes the postings `(internal id, weight)` of one term, in any order, of a portal of
/// `n` records; the spares of a dense term (by rank), none for a list.
pub(super) fn encode_weighted(docs: Vec<(u32, u8)>, n: usize, out: &mut Vec<u8>) -> Vec<(u32, u8)> {
    encode_weighted_in(docs, &IdSpace::whole(n), out)
}

/// Whether a term of `df` records, in a portal of `n`, is stored dense.
pub(super) fn is_dense(df: usize, n: usize) -> bool {
    n >= DENSE_MIN_DOCS && df * 16 >= n
}

/// The internal ids a term's postings are written over. An index written whole has ids
/// `0..n` in their order; a delta that added records gives them ids after the base's, so
/// it has more ids than records and an order (`rank`, by id) that is not the ids'.
pub(super) struct IdSpace<'a> {
    /// Records: what decides whether a term is dense.
    pub(super) n: usize,
    /// Ids: the length of a bitset.
    pub(super) span: usize,
    pub(super) rank: Option<&'a [u32]>,
}

impl IdSpace<'_> {
    pub(super) fn whole(n: usize) -> IdSpace<'static> {
        IdSpace {
            n,
            span: n,
            rank: None,
        }
    }

    /// Where `id` stands in the order of the records, which breaks ties in weight.
    pub(super) fn rank(&self, id: u32) -> u32 {
        self.rank.map_or(id, |r| r[id as usize])
    }
}

/// [`encode_weighted`] over the ids `ids`.
pub(super) fn encode_weighted_in(
    mut docs: Vec<(u32, u8)>,
    ids: &IdSpace<'_>,
    out: &mut Vec<u8>,
) -> Vec<(u32, u8)> {
    docs.sort_unstable_by_key(|d| d.0);
    if !is_dense(docs.len(), ids.n) {
        out.push(0);
        put_ids(out, docs.iter().map(|d| d.0));
        out.extend(docs.iter().map(|d| d.1));
        return Vec::new();
    }
    let mut bits = vec![0u8; ids.span.div_ceil(8)];
    for &(id, _) in &docs {
        bits[id as usize / 8] |= 1 << (id % 8);
    }
    encode_dense(&bits, docs, ids, out)
}

/// Encodes a dense term: its bitset `bits`, then its top k of `by_weight` (every record of
/// the term with its weight, or at least those that can be in the top k), then the weight of
/// all others; the spares.
pub(super) fn encode_dense(
    bits: &[u8],
    mut by_weight: Vec<(u32, u8)>,
    ids: &IdSpace<'_>,
    out: &mut Vec<u8>,
) -> Vec<(u32, u8)> {
    out.push(1);
    put_varint(out, bits.len() as u64);
    out.extend_from_slice(bits);
    // The top k by (weight descending, rank): selected, not sorted, as a dense term holds
    // a large share of all postings.
    let order =
        |a: &(u32, u8), b: &(u32, u8)| b.1.cmp(&a.1).then(ids.rank(a.0).cmp(&ids.rank(b.0)));
    let mut spares = Vec::new();
    if by_weight.len() > DENSE_TOP_K {
        let known = by_weight.len().min(DENSE_TOP_K + DENSE_SPARES);
        by_weight.select_nth_unstable_by(known - 1, order);
        by_weight.truncate(known);
        by_weight.select_nth_unstable_by(DENSE_TOP_K - 1, order);
        spares = by_weight.split_off(DENSE_TOP_K);
        spares.sort_unstable_by(order);
    }
    let rest = by_weight
        .iter()
        .max_by(|a, b| order(a, b))
        .map_or(1, |d| d.1);
    by_weight.sort_unstable_by_key(|d| d.0);
    put_varint(out, by_weight.len() as u64);
    put_ids(out, by_weight.iter().map(|d| d.0));
    out.extend(by_weight.iter().map(|d| d.1));
    out.push(rest);
    spares
}

fn put_ids(out: &mut Vec<u8>, ids: impl Iterator<Item = u32>) {
    let mut prev = 0u32;
    for (i, id) in ids.enumerate() {
        put_varint(out, u64::from(if i == 0 { id } else { id - prev }));
        prev = id;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample_docs;
    use super::super::{build_spilling_at, TextTerms, FILES, SPARES};

    /// Spilling postings to run files and merging them back gives the same index, byte for
    /// byte, as holding them all in memory, and leaves no run file behind.
    #[test]
    fn spilled_postings_merge_back_identically() {
        let whole = tempfile::tempdir().unwrap();
        let spilled = tempfile::tempdir().unwrap();
        build_spilling_at(
            sample_docs(1500).into_iter(),
            whole.path(),
            usize::MAX,
            TextTerms::Scanned,
        )
        .unwrap();
        // A few hundred bytes: several spills per batch of documents' lifetime.
        build_spilling_at(
            sample_docs(1500).into_iter(),
            spilled.path(),
            300,
            TextTerms::Scanned,
        )
        .unwrap();
        for f in FILES.iter().chain(&[SPARES]) {
            let a = std::fs::read(whole.path().join(f)).unwrap();
            let b = std::fs::read(spilled.path().join(f)).unwrap();
            assert!(a == b, "{f} differs after spilling");
        }
        let left: Vec<_> = std::fs::read_dir(spilled.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.') && n != SPARES)
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
