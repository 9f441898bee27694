//! A few changed, added or removed records taken into the static index without writing it
//! again.
//!
//! A build that writes the whole index (the *base*) keeps its files, hard-linked, in a
//! private folder beside the output, with what it knew of each record ([`Records`]). A later
//! build in which only a few records changed, came or went, and none moved to another type,
//! agency, year or category, links the base's `post.bin` and `docs.bin` into its own tree
//! and writes:
//! - `dict.bin` again (some MB, no record is read for it): the base's pages with the entries
//!   of the *affected* terms replaced, every term of a changed or removed record's base
//!   version or of a changed or added one's current version, each recomputed as a cold build
//!   computes it. Postings too long to be inline go to `post-delta.bin`: entry form 2,
//!   `varint offset, varint n` there;
//! - `docs-delta.bin`: the changed and added records' slots, in internal id order, whose
//!   ids `meta.json` lists under `delta.ids`;
//! - `categories.bin` again when records came or went (else the base's, linked).
//!
//! A removed record keeps its id, which nothing names any more: `meta.json` lists it under
//! `delta.removed`, and `docs` counts the records left. An added record takes an id after
//! the base's (`delta.span` ids in all), a facet run of its own, and its place in the
//! records' order: `delta.added` gives, for ids `span - added.len()` on, the base id each
//! goes before, from which the client ranks records that tie in score as a cold build's
//! ids would rank them ([`ranks`]).
//!
//! The base's `docs.bin` is every tree's, and public: once a tree is published, the slots
//! of the records changed or removed since the base are zeroed in it ([`blank_withdrawn`]),
//! and every later delta on the base takes those records as changed.
//!
//! The client reads these in the round trips in which it reads the base files. The answers
//! are a cold build's: weights depend on the average lengths, kept on a grid
//! ([`super::weight::on_grid`]); ties on the order, kept or ranked; whether a term is dense
//! on the record count, checked for every term; a dense term's top records on weights the
//! base no longer holds for records outside them. Whenever one of these cannot be shown to
//! hold, [`try_delta`] declines and the caller writes the index afresh, which becomes the
//! next base.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::categories::{decode_ids, encode_lists};
use super::dictionary::{fnv1a, page_entries, DictEntry, Stored, PAGE_BYTES, SPARES};
use super::format::{get_varint, put_varint, FILES};
use super::postings::{encode_dense, encode_weighted_in, is_dense, IdSpace, DENSE_TOP_K};
use super::records::{encode_record, fill_slot, slot_width_of};
use super::terms::{cjk_text, count_terms, RecordTerms};
use super::weight::{average, weight};
use super::StaticStats;
use crate::fingerprint::Fingerprint;
use crate::search::{SearchDoc, SearchError};
use crate::table::{HashMap, HashSet};

/// The files a delta adds to the base's.
pub const DELTA_FILES: [&str; 2] = ["post-delta.bin", "docs-delta.bin"];

/// The most records a delta holds; past it the index is written afresh.
const CHANGED_AT_MOST: usize = 256;
/// The most affected terms a delta recomputes; past it the index is written afresh.
const TERMS_AT_MOST: usize = 30_000;
/// Inline postings of at most this many bytes, as the base's dictionary has them.
const INLINE_MAX: usize = 32;

/// What a build that wrote the whole index knew of each record, by caller id (stream
/// order): what a delta needs to weigh, place and order changed records as it did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Records {
    pub urls: Vec<String>,
    /// Caller id → internal id.
    pub internal: Vec<u32>,
    pub title_len: Vec<u32>,
    pub body_len: Vec<u32>,
    /// Encoded record and head lengths, of which the slot width is made.
    pub enc_len: Vec<u32>,
    pub head_len: Vec<u32>,
    /// `shape_of` each record.
    pub shape: Vec<u64>,
}

impl Records {
    /// Each record's caller id, by URL.
    fn caller_of(&self) -> HashMap<&str, usize> {
        self.urls
            .iter()
            .enumerate()
            .map(|(c, u)| (u.as_str(), c))
            .collect()
    }
}

/// What decides a record's internal id and its facets and categories: a record whose shape
/// changed cannot keep its id.
pub(super) fn shape_of(doc: &SearchDoc) -> u64 {
    Fingerprint::new("static-shape")
        .add_str(&doc.kind)
        .add_str(&doc.agency)
        .add_str(&doc.agency_name)
        .add_json(&doc.year)
        .add_json(&doc.categories)
        .finish()
}

/// What the deltas written on one base have touched: the changed records (by URL) whose
/// base versions' terms are all in `terms`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeltaState {
    pub changed: Vec<String>,
    pub terms: Vec<String>,
}

/// This build's search documents of the given URLs.
pub type DocsAt<'a> = dyn Fn(&HashSet<String>) -> Result<Vec<SearchDoc>, SearchError> + Sync + 'a;
/// The base's versions of the given records (URL, fingerprint), if they can be read.
pub type BaseDocs<'a> = dyn Fn(&[(&str, u64)]) -> Option<Vec<SearchDoc>> + Sync + 'a;
/// A dense term's records ranked after its top k, by term.
type Spares<'a> = HashMap<&'a [u8], Vec<(u32, u8)>>;
/// A recomputed entry: document frequency and postings; `None` for a term no record has.
type NewEntry = Option<(u32, Vec<u8>)>;

/// What [`try_delta`] works from.
pub struct DeltaInputs<'a> {
    /// The private folder holding the base's files.
    pub base_dir: &'a Path,
    pub records: &'a Records,
    /// The base's search document fingerprints, by caller id.
    pub fingerprints: &'a [u64],
    /// The state the last delta on this base left, if known.
    pub state: Option<&'a DeltaState>,
    /// The `search/` folder to write into.
    pub dir: &'a Path,
    /// This build's records: URL and fingerprint, in stream order.
    pub current: &'a [(String, u64)],
    /// This build's search documents of these URLs.
    pub docs_at: &'a DocsAt<'a>,
    /// The version of each of these records (URL, fingerprint) that the base holds, in
    /// this order, if it can be read (from the search index, when it still holds it).
    pub base_docs: &'a BaseDocs<'a>,
}

/// One record's terms as the dictionary spells them, with title and body frequencies.
fn terms_of(rt: &RecordTerms) -> Vec<(String, u32, u32)> {
    rt.terms
        .iter()
        .filter_map(|t| {
            let s = cjk_text(t.key).or_else(|| rt.text(t.text).map(String::from))?;
            (s.len() <= 255).then_some((s, t.title, t.body))
        })
        .collect()
}

/// A changed or added record as this build has it.
struct Changed {
    /// Its caller id in the base; `None` for a record the base does not have.
    caller: Option<usize>,
    /// Its place in this build's stream of records.
    stream: usize,
    internal: u32,
    terms: HashMap<String, (u32, u32)>,
    title_len: u32,
    body_len: u32,
    slot: Vec<u8>,
    enc_len: u32,
    head_len: u32,
    categories: Vec<String>,
}

/// What `meta.json` of the base says that a delta needs.
#[derive(Deserialize)]
struct BaseMeta {
    pages: u32,
    slot: u32,
    kinds: Vec<String>,
    agencies: Vec<(String, String)>,
    years: Vec<i32>,
    runs: Vec<[i64; 5]>,
    categories: Vec<(String, u32, u64, u64)>,
}

impl BaseMeta {
    /// The facet key of a record the base does not have, as the base's tables number it;
    /// `None` if a table lacks its value (an index written whole would number them anew).
    fn facet_key(&self, doc: &SearchDoc) -> Option<[i64; 3]> {
        let k = self.kinds.binary_search(&doc.kind).ok()?;
        let a = self
            .agencies
            .binary_search_by(|(slug, _)| slug.as_str().cmp(&doc.agency))
            .ok()?;
        // The name is the first record's of the agency: the same for every record, or the
        // table could say another.
        if !doc.agency.is_empty() && self.agencies[a].1 != doc.agency_name {
            return None;
        }
        let y = match doc.year {
            None => -1,
            Some(y) => self.years.binary_search(&y).ok()? as i64,
        };
        Some([k as i64, a as i64, y])
    }
}

/// The base's `meta.json` in `base_dir`.
fn base_meta(base_dir: &Path) -> Result<serde_json::Value, SearchError> {
    serde_json::from_slice(&std::fs::read(base_dir.join("meta.json"))?)
        .map_err(|e| SearchError::Format(e.to_string()))
}

/// The base's records matched with this build's, by URL.
struct Matched<'a> {
    /// This build's place of each base record (caller id), `None` for one removed.
    stream_of: Vec<Option<u32>>,
    changed: Vec<usize>,
    removed: Vec<usize>,
    /// This build's places of the records the base does not have.
    added: Vec<usize>,
    /// The changed and added records' places in this build's stream, and the changed
    /// ones' caller ids in the base, by URL.
    at: HashMap<&'a str, (usize, Option<usize>)>,
}

/// `earlier`: the records earlier deltas on this base changed or removed, whose base slots
/// may be blanked ([`blank_withdrawn`]): each is changed whatever its fingerprint.
fn match_records<'a>(
    inputs: &DeltaInputs<'a>,
    earlier: &HashSet<&str>,
) -> Result<Matched<'a>, &'static str> {
    let r = inputs.records;
    let base_of = r.caller_of();
    let mut stream_of = vec![None; r.urls.len()];
    let (mut changed, mut added) = (Vec::new(), Vec::new());
    let mut at = HashMap::default();
    let mut last = None;
    for (s, (url, fp)) in inputs.current.iter().enumerate() {
        let Some(&c) = base_of.get(url.as_str()) else {
            added.push(s);
            at.insert(url.as_str(), (s, None));
            continue;
        };
        // The ids of the records the base has keep their order only if the records do.
        if stream_of[c].is_some() || last.is_some_and(|l| c < l) {
            return Err("records were reordered");
        }
        last = Some(c);
        stream_of[c] = Some(s as u32);
        if *fp != inputs.fingerprints[c] || earlier.contains(url.as_str()) {
            changed.push(c);
            at.insert(url.as_str(), (s, Some(c)));
        }
    }
    let removed = (0..r.urls.len())
        .filter(|&c| stream_of[c].is_none())
        .collect();
    Ok(Matched {
        stream_of,
        changed,
        removed,
        added,
        at,
    })
}

/// Where each added record goes in the order an index written whole would give it: before
/// the base's internal id `before` (the base's record count: after all). Internal ids are
/// sorted by facet key, then by place in the stream; `runs` are the base's.
fn place_added(
    runs: &[[i64; 5]],
    stream_of_id: &[Option<u32>],
    key: [i64; 3],
    stream: usize,
) -> u32 {
    for run in runs {
        let (start, count) = (run[0] as usize, run[1] as usize);
        match [run[2], run[3], run[4]].cmp(&key) {
            std::cmp::Ordering::Less => continue,
            std::cmp::Ordering::Greater => return start as u32,
            std::cmp::Ordering::Equal => {
                let later = (start..start + count)
                    .find(|&id| stream_of_id[id].is_some_and(|s| s as usize > stream));
                if let Some(id) = later {
                    return id as u32;
                }
            }
        }
    }
    stream_of_id.len() as u32
}

/// The order of ids `0..base + added.len()` when added id `base + j` goes before base id
/// `added[j]` (ascending): each id's rank, as the client computes it from `meta.json`.
pub(super) fn ranks(base: usize, added: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; base + added.len()];
    let mut next = 0u32;
    let mut j = 0;
    for id in 0..=base {
        while j < added.len() && added[j] as usize == id {
            rank[base + j] = next;
            next += 1;
            j += 1;
        }
        if id < base {
            rank[id] = next;
            next += 1;
        }
    }
    rank
}

/// Writes the index of `inputs.current` into `inputs.dir` as the base plus a delta, if it
/// can equal a cold build's; `Ok(None)` if not (nothing of the index is then in `dir`
/// yet). The state to keep for the next delta comes back with the stats.
///
/// Records may change, be added or be removed. A removed record keeps its id, which no
/// posting, category or slot names any more; an added one takes an id after the base's,
/// and `meta.json` says where it stands in the records' order (`delta.added`), which
/// breaks ties in score as an index written whole breaks them by id.
pub fn try_delta(
    inputs: &DeltaInputs<'_>,
) -> Result<Option<(StaticStats, DeltaState)>, SearchError> {
    let started = std::time::Instant::now();
    let r = inputs.records;
    let n_base = r.urls.len();
    if inputs.fingerprints.len() != n_base
        || [
            &r.internal,
            &r.title_len,
            &r.body_len,
            &r.enc_len,
            &r.head_len,
        ]
        .iter()
        .any(|v| v.len() != n_base)
        || r.shape.len() != n_base
    {
        return declined("the base's record table is damaged");
    }
    let earlier: HashSet<&str> = inputs
        .state
        .map(|s| s.changed.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let m = match match_records(inputs, &earlier) {
        Ok(m) => m,
        Err(why) => return declined(why),
    };
    if m.changed.len() + m.added.len() + m.removed.len() > CHANGED_AT_MOST {
        return declined("too many records changed");
    }
    let live = inputs.current.len();
    if live == 0 {
        return declined("no records are left");
    }
    let span = n_base + m.added.len();
    let meta = base_meta(inputs.base_dir)?;
    let Ok(bm) = serde_json::from_value::<BaseMeta>(meta.clone()) else {
        return declined("the base's meta.json is damaged");
    };
    let (pages, slot) = (bm.pages, bm.slot);
    let covered: i64 = bm.runs.iter().map(|run| run[1]).sum();
    if covered != n_base as i64
        || bm.runs.windows(2).any(|w| w[0][0] + w[0][1] != w[1][0])
        || bm.pages == 0
    {
        return declined("the base's meta.json is damaged");
    }

    // This build's version of each changed and added record.
    let wanted: HashSet<String> = m.at.keys().map(|u| u.to_string()).collect();
    let docs = (inputs.docs_at)(&wanted)?;
    if docs.len() != wanted.len() {
        return declined("a changed record was not found");
    }
    let mut changed = Vec::with_capacity(docs.len());
    let mut keys = HashMap::default();
    for doc in &docs {
        let Some(&(stream, caller)) = m.at.get(doc.url.as_str()) else {
            return declined("a changed record was not found");
        };
        match caller {
            Some(c) if shape_of(doc) != r.shape[c] => {
                return declined("a record moved to another type, agency, year or category");
            }
            Some(_) => {}
            None => {
                let Some(key) = bm.facet_key(doc) else {
                    return declined("an added record brings a new type, agency or year");
                };
                keys.insert(stream, key);
            }
        }
        let rt = count_terms(doc, None, true);
        let (bytes, head_len) = encode_record(doc)?;
        let Ok(enc_len) = u32::try_from(bytes.len()) else {
            return declined("a record is too large");
        };
        let mut slot_bytes = vec![0u8; slot as usize];
        fill_slot(&bytes, &mut slot_bytes);
        changed.push(Changed {
            caller,
            stream,
            internal: caller.map_or(u32::MAX, |c| r.internal[c]),
            terms: terms_of(&rt)
                .into_iter()
                .map(|(s, t, b)| (s, (t, b)))
                .collect(),
            title_len: rt.title_len,
            body_len: rt.body_len,
            slot: slot_bytes,
            enc_len,
            head_len,
            categories: doc.categories.clone(),
        });
    }

    // Every value of the facet tables keeps a record, or they would be numbered anew.
    let mut run_of_id = vec![0usize; n_base];
    for (i, run) in bm.runs.iter().enumerate() {
        run_of_id[run[0] as usize..(run[0] + run[1]) as usize].fill(i);
    }
    let mut uses = [
        vec![0i64; bm.kinds.len()],
        vec![0i64; bm.agencies.len()],
        vec![0i64; bm.years.len()],
    ];
    let mut count = |key: [i64; 3], by: i64| {
        for (t, &v) in key.iter().enumerate() {
            if let Some(u) = usize::try_from(v).ok().and_then(|v| uses[t].get_mut(v)) {
                *u += by;
            }
        }
    };
    for run in &bm.runs {
        count([run[2], run[3], run[4]], run[1]);
    }
    for &c in &m.removed {
        let run = bm.runs[run_of_id[r.internal[c] as usize]];
        count([run[2], run[3], run[4]], -1);
    }
    for key in keys.values() {
        count(*key, 1);
    }
    if uses.iter().flatten().any(|&u| u <= 0) {
        return declined("a type, agency or year lost its last record");
    }

    // The added records' ids, after the base's, in the order a cold build gives them.
    let mut stream_of_id = vec![None; n_base];
    for c in 0..n_base {
        stream_of_id[r.internal[c] as usize] = m.stream_of[c];
    }
    let mut placed: Vec<(u32, [i64; 3], usize)> = keys
        .iter()
        .map(|(&s, &key)| (place_added(&bm.runs, &stream_of_id, key, s), key, s))
        .collect();
    placed.sort();
    let id_of_added: HashMap<usize, u32> = placed
        .iter()
        .enumerate()
        .map(|(j, p)| (p.2, (n_base + j) as u32))
        .collect();
    for ch in &mut changed {
        if ch.caller.is_none() {
            ch.internal = id_of_added[&ch.stream];
        }
    }
    let before: Vec<u32> = placed.iter().map(|p| p.0).collect();
    let rank = ranks(n_base, &before);
    let ids_space = IdSpace {
        n: live,
        span,
        rank: (!before.is_empty()).then_some(rank.as_slice()),
    };

    // The averages on their grid and the slot width must not move.
    let sum = |v: &[u32]| v.iter().map(|&x| u64::from(x)).sum::<u64>();
    let (base_title, base_body) = (sum(&r.title_len), sum(&r.body_len));
    let (mut title, mut body) = (base_title, base_body);
    for &c in &m.removed {
        title -= u64::from(r.title_len[c]);
        body -= u64::from(r.body_len[c]);
    }
    for ch in &changed {
        if let Some(c) = ch.caller {
            title -= u64::from(r.title_len[c]);
            body -= u64::from(r.body_len[c]);
        }
        title += u64::from(ch.title_len);
        body += u64::from(ch.body_len);
    }
    let (avg_title, avg_body) = (average(base_title, n_base), average(base_body, n_base));
    if average(title, live).to_bits() != avg_title.to_bits()
        || average(body, live).to_bits() != avg_body.to_bits()
    {
        return declined("the average title or body length moved to another grid point");
    }
    let mut enc_len = r.enc_len.clone();
    let mut head_len = r.head_len.clone();
    for ch in &changed {
        match ch.caller {
            Some(c) => {
                enc_len[c] = ch.enc_len;
                head_len[c] = ch.head_len;
            }
            None => {
                enc_len.push(ch.enc_len);
                head_len.push(ch.head_len);
            }
        }
    }
    let gone: HashSet<usize> = m.removed.iter().copied().collect();
    let kept = |v: Vec<u32>| -> Vec<u32> {
        v.into_iter()
            .enumerate()
            .filter(|(c, _)| !gone.contains(c))
            .map(|(_, x)| x)
            .collect()
    };
    if slot_width_of(kept(enc_len), &kept(head_len)) != slot {
        return declined("the slot width changed");
    }

    // The affected terms: the base versions' of every changed or removed record, and the
    // current versions' of every changed or added one. A record changed or removed by an
    // earlier delta on this base has its base version's terms in that delta's state; any
    // other one is read as the base holds it.
    let mut terms: BTreeSet<String> = inputs
        .state
        .map(|s| s.terms.iter().cloned().collect())
        .unwrap_or_default();
    let first_time: Vec<(&str, u64)> = m
        .changed
        .iter()
        .chain(&m.removed)
        .map(|&c| (r.urls[c].as_str(), inputs.fingerprints[c]))
        .filter(|(u, _)| !earlier.contains(u))
        .collect();
    if !first_time.is_empty() {
        let Some(base_versions) = (inputs.base_docs)(&first_time) else {
            return declined("the base version of a changed record is not in the search index");
        };
        if base_versions.len() != first_time.len() {
            return declined("the base version of a changed record is not in the search index");
        }
        for doc in &base_versions {
            terms.extend(
                terms_of(&count_terms(doc, None, true))
                    .into_iter()
                    .map(|t| t.0),
            );
        }
    }
    for ch in &changed {
        terms.extend(ch.terms.keys().cloned());
    }
    if terms.len() > TERMS_AT_MOST {
        return declined("too many terms changed");
    }

    let mut dict = std::fs::read(inputs.base_dir.join("dict.bin"))?;
    if dict.len() != pages as usize * PAGE_BYTES {
        return declined("the base's dict.bin is damaged");
    }
    // With another record count, a term the delta leaves alone must stay in its form.
    if live != n_base {
        for page in dict.chunks(PAGE_BYTES) {
            for e in page_entries(page) {
                let Some(e) = e else {
                    return declined("the base's dict.bin is damaged");
                };
                let df = e.df as usize;
                if is_dense(df, n_base) != is_dense(df, live)
                    && !std::str::from_utf8(e.term).is_ok_and(|t| terms.contains(t))
                {
                    return declined("a term would change its form with the record count");
                }
            }
        }
    }

    // Each affected term's entry, recomputed from the base's postings.
    let mut post = File::open(inputs.base_dir.join("post.bin"))?;
    let spares = std::fs::read(inputs.base_dir.join("spares.bin"))?;
    let Some(spares) = read_spares(&spares) else {
        return declined("the base's spares are damaged");
    };
    let dropped: HashSet<u32> = m
        .changed
        .iter()
        .chain(&m.removed)
        .map(|&c| r.internal[c])
        .collect();
    let weigh = |ch: &Changed, (tt, tb): (u32, u32)| {
        weight(tt, tb, ch.title_len, ch.body_len, avg_title, avg_body)
    };
    let mut by_page: BTreeMap<u32, Vec<(&str, NewEntry)>> = BTreeMap::new();
    for term in &terms {
        let p = fnv1a(term) % pages;
        let page = &dict[p as usize * PAGE_BYTES..(p as usize + 1) * PAGE_BYTES];
        let Some(entries) = page_entries(page).collect::<Option<Vec<_>>>() else {
            return declined("the base's dict.bin is damaged");
        };
        let base = match entries.iter().find(|e| e.term == term.as_bytes()) {
            Some(e) => Some(read_postings(e, &mut post, spares.get(term.as_bytes()))?),
            None => None,
        };
        let added: Vec<(u32, u8)> = changed
            .iter()
            .filter_map(|ch| ch.terms.get(term).map(|&tf| (ch.internal, weigh(ch, tf))))
            .collect();
        let Some(entry) = recompute(base, &dropped, added, &ids_space) else {
            return declined("a dense term's top records are not known");
        };
        by_page.entry(p).or_default().push((term, entry));
    }

    // The pages holding them, written again.
    let mut post_delta = Vec::new();
    for (p, replaced) in by_page {
        let at = p as usize * PAGE_BYTES;
        let page = &dict[at..at + PAGE_BYTES];
        let drop: HashSet<&[u8]> = replaced.iter().map(|(t, _)| t.as_bytes()).collect();
        // Every entry of the page was read whole above, when its terms were looked up.
        let mut out: Vec<u8> = page_entries(page)
            .map_while(|e| e)
            .filter(|e| !drop.contains(e.term))
            .flat_map(|e| e.bytes.iter().copied())
            .collect();
        for (term, entry) in replaced {
            let Some((df, blob)) = entry else { continue };
            out.push(term.len() as u8);
            out.extend_from_slice(term.as_bytes());
            put_varint(&mut out, u64::from(df));
            if blob.len() <= INLINE_MAX {
                out.push(0);
                put_varint(&mut out, blob.len() as u64);
                out.extend_from_slice(&blob);
            } else {
                out.push(2);
                put_varint(&mut out, post_delta.len() as u64);
                put_varint(&mut out, blob.len() as u64);
                post_delta.extend_from_slice(&blob);
            }
        }
        if out.len() > PAGE_BYTES {
            return declined("a dictionary page overflows");
        }
        out.resize(PAGE_BYTES, 0);
        dict[at..at + PAGE_BYTES].copy_from_slice(&out);
    }

    // The categories' lists, written again when records came or went.
    let new_categories = if m.added.is_empty() && m.removed.is_empty() {
        None
    } else {
        let removed_ids: HashSet<u32> = m.removed.iter().map(|&c| r.internal[c]).collect();
        let Some(lists) = edit_categories(
            &std::fs::read(inputs.base_dir.join("categories.bin"))?,
            &bm.categories,
            n_base,
            &removed_ids,
            changed
                .iter()
                .filter(|ch| ch.caller.is_none())
                .map(|ch| (ch.internal, ch.categories.as_slice())),
        ) else {
            return declined("the base's categories.bin is damaged");
        };
        Some(encode_lists(lists.into_iter(), span))
    };

    // Written: the base's files linked, the rest new.
    changed.sort_by_key(|c| c.internal);
    let mut docs_delta = Vec::with_capacity(changed.len() * slot as usize);
    for ch in &changed {
        docs_delta.extend_from_slice(&ch.slot);
    }
    let dir = inputs.dir;
    remove_index_files(dir)?;
    std::fs::create_dir_all(dir)?;
    for f in ["post.bin", "docs.bin"] {
        std::fs::hard_link(inputs.base_dir.join(f), dir.join(f))?;
    }
    let mut meta = meta;
    match new_categories {
        None => std::fs::hard_link(
            inputs.base_dir.join("categories.bin"),
            dir.join("categories.bin"),
        )?,
        Some((file, entries)) => {
            std::fs::write(dir.join("categories.bin"), &file)?;
            meta["files"]["categories.bin"] = file.len().into();
            meta["categories"] = serde_json::json!(entries);
        }
    }
    std::fs::write(dir.join("dict.bin"), &dict)?;
    std::fs::write(dir.join("post-delta.bin"), &post_delta)?;
    std::fs::write(dir.join("docs-delta.bin"), &docs_delta)?;
    meta["docs"] = live.into();
    meta["files"]["post-delta.bin"] = post_delta.len().into();
    meta["files"]["docs-delta.bin"] = docs_delta.len().into();
    let mut delta = serde_json::json!({
        "ids": changed.iter().map(|c| c.internal).collect::<Vec<_>>(),
    });
    if !m.added.is_empty() || !m.removed.is_empty() {
        let mut removed: Vec<u32> = m.removed.iter().map(|&c| r.internal[c]).collect();
        removed.sort_unstable();
        delta["span"] = span.into();
        delta["added"] = before.into();
        delta["removed"] = removed.into();
    }
    meta["delta"] = delta;
    if let Some(runs) = meta["runs"].as_array_mut() {
        for (j, p) in placed.iter().enumerate() {
            runs.push(serde_json::json!([n_base + j, 1, p.1[0], p.1[1], p.1[2]]));
        }
    }
    std::fs::write(
        dir.join("meta.json"),
        serde_json::to_vec(&meta).map_err(|e| SearchError::Format(e.to_string()))?,
    )?;
    let mut stats = StaticStats {
        docs: live as u64,
        terms: terms.len() as u64,
        slot,
        pages,
        millis: started.elapsed().as_millis() as u64,
        ..StaticStats::default()
    };
    for f in FILES.iter().chain(&DELTA_FILES) {
        stats.bytes += std::fs::metadata(dir.join(f))?.len();
        stats.files += 1;
    }
    tell(format_args!(
        "as a delta: {} records changed, {} added and {} removed since the base, {} terms",
        m.changed.len(),
        m.added.len(),
        m.removed.len(),
        terms.len()
    ));
    let state = DeltaState {
        changed: m
            .changed
            .iter()
            .chain(&m.removed)
            .map(|&c| r.urls[c].clone())
            .chain(earlier.iter().map(|u| u.to_string()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        terms: terms.into_iter().collect(),
    };
    Ok(Some((stats, state)))
}

/// The base's category lists (`entries` of `meta.json` over `file`, ids of `n` records)
/// without the ids `removed` and with the added records' ids, by name; a category left
/// empty is gone. `None` if the file is damaged.
fn edit_categories<'a>(
    file: &[u8],
    entries: &[(String, u32, u64, u64)],
    n: usize,
    removed: &HashSet<u32>,
    added: impl Iterator<Item = (u32, &'a [String])>,
) -> Option<BTreeMap<String, Vec<u32>>> {
    let mut lists = BTreeMap::new();
    for (name, _, off, len) in entries {
        let data = file.get(usize::try_from(*off).ok()?..usize::try_from(off + len).ok()?)?;
        let mut ids = decode_ids(data, n)?;
        ids.retain(|id| !removed.contains(id));
        lists.insert(name.clone(), ids);
    }
    for (id, categories) in added {
        for c in categories {
            lists.entry(c.clone()).or_default().push(id);
        }
    }
    lists.retain(|_, ids| !ids.is_empty());
    for ids in lists.values_mut() {
        // A category written twice on one record lists it once.
        ids.sort_unstable();
        ids.dedup();
    }
    Some(lists)
}

/// Zeroes, in the base's `docs.bin`, the slots of the records that the deltas on it changed
/// or removed (`state.changed`). Every tree of the site shares that file, which anyone can
/// download: a document withdrawn or corrected must not stay readable in it. Called once
/// the tree that no longer reads those slots is published and `state` is kept; every later
/// delta on the base takes these records as changed (their slots in `docs-delta.bin`),
/// even back at their base versions.
pub fn blank_withdrawn(
    base_dir: &Path,
    records: &Records,
    state: &DeltaState,
) -> Result<(), SearchError> {
    use std::io::Write;
    let slot = base_meta(base_dir)?["slot"]
        .as_u64()
        .ok_or_else(|| SearchError::Format("the base's meta.json has no slot".into()))?;
    let caller = records.caller_of();
    let mut docs = std::fs::OpenOptions::new()
        .write(true)
        .open(base_dir.join("docs.bin"))?;
    let zeros = vec![0u8; slot as usize];
    for url in &state.changed {
        if let Some(&c) = caller.get(url.as_str()) {
            docs.seek(SeekFrom::Start(u64::from(records.internal[c]) * slot))?;
            docs.write_all(&zeros)?;
        }
    }
    docs.sync_data()?;
    Ok(())
}

/// Says how the static index was written, on stderr, when `GONGKAI_DEBUG_DELTA` is set: for
/// whoever measures builds (`bench/incremental.sh`).
pub fn tell(how: std::fmt::Arguments<'_>) {
    if std::env::var_os("GONGKAI_DEBUG_DELTA").is_some() {
        eprintln!("static index {how}");
    }
}

/// [`try_delta`] declining, and why ([`tell`]).
fn declined<T>(why: &str) -> Result<Option<T>, SearchError> {
    tell(format_args!("written whole: {why}"));
    Ok(None)
}

/// Removes the index files from `dir`, before a build writes them: a file a delta linked is
/// the base's own, and writing into it would change the base (and every tree sharing it).
pub(super) fn remove_index_files(dir: &Path) -> Result<(), SearchError> {
    for f in FILES.iter().chain(&DELTA_FILES).chain(&[SPARES]) {
        match std::fs::remove_file(dir.join(f)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

/// A term's postings in the base: a list with every weight, or a dense term's bitset
/// with the weights of its top records and its spares (`known`), the others' unknown.
pub(super) enum Base {
    List(Vec<(u32, u8)>),
    Dense {
        bits: Vec<u8>,
        df: u64,
        known: Vec<(u32, u8)>,
        /// The weight of all others.
        rest: u8,
    },
}

/// The spares file of the base: each dense term's records ranked after its top k.
fn read_spares(data: &[u8]) -> Option<Spares<'_>> {
    let mut out = HashMap::default();
    let mut at = 0;
    while at < data.len() {
        let len = data[at] as usize;
        let term = data.get(at + 1..at + 1 + len)?;
        at += 1 + len;
        let k = get_varint(data, &mut at)? as usize;
        let mut list = Vec::with_capacity(k);
        for _ in 0..k {
            let id = u32::try_from(get_varint(data, &mut at)?).ok()?;
            list.push((id, *data.get(at)?));
            at += 1;
        }
        out.insert(term, list);
    }
    Some(out)
}

fn read_postings(
    e: &DictEntry<'_>,
    post: &mut File,
    spares: Option<&Vec<(u32, u8)>>,
) -> Result<Base, SearchError> {
    let damaged = || SearchError::Format("the base's postings are damaged".into());
    let blob = match e.postings {
        Stored::Inline(b) => b.to_vec(),
        Stored::External {
            delta: false,
            off,
            len,
        } => {
            let mut b = vec![0u8; usize::try_from(len).map_err(|_| damaged())?];
            post.seek(SeekFrom::Start(off))?;
            post.read_exact(&mut b)?;
            b
        }
        // A base is written whole: it has no delta.
        Stored::External { delta: true, .. } => return Err(damaged()),
    };
    let mut base = decode(&blob, e.df).ok_or_else(damaged)?;
    if let (Base::Dense { known, .. }, Some(s)) = (&mut base, spares) {
        known.extend_from_slice(s);
    }
    Ok(base)
}

/// A term's postings, as `dict.bin` or `post.bin` stores them (`None`: malformed).
pub(super) fn decode(blob: &[u8], df: u64) -> Option<Base> {
    let list = |at: &mut usize, k: usize| -> Option<Vec<(u32, u8)>> {
        let mut ids = Vec::with_capacity(k);
        let mut id = 0u64;
        for i in 0..k {
            let d = get_varint(blob, at)?;
            id = if i == 0 { d } else { id + d };
            ids.push(u32::try_from(id).ok()?);
        }
        let weights = blob.get(*at..*at + k)?;
        *at += k;
        Some(ids.into_iter().zip(weights.iter().copied()).collect())
    };
    let mut at = 1;
    match *blob.first()? {
        0 => list(&mut at, usize::try_from(df).ok()?).map(Base::List),
        1 => {
            let nb = get_varint(blob, &mut at)? as usize;
            let bits = blob.get(at..at + nb)?.to_vec();
            at += nb;
            let k = get_varint(blob, &mut at)? as usize;
            let known = list(&mut at, k)?;
            let rest = *blob.get(at)?;
            Some(Base::Dense {
                bits,
                df,
                known,
                rest,
            })
        }
        _ => None,
    }
}

/// A term's entry after the change: the base's postings without the records `dropped`
/// (changed or removed), plus `added`, encoded as a cold build encodes them over `ids`;
/// `None` if they cannot be known as a cold build would weigh them.
fn recompute(
    base: Option<Base>,
    dropped: &HashSet<u32>,
    added: Vec<(u32, u8)>,
    ids: &IdSpace<'_>,
) -> Option<NewEntry> {
    let list = |mut docs: Vec<(u32, u8)>| {
        docs.retain(|d| !dropped.contains(&d.0));
        docs.extend_from_slice(&added);
        (!docs.is_empty()).then(|| {
            let mut blob = Vec::new();
            let df = docs.len() as u32;
            encode_weighted_in(docs, ids, &mut blob);
            (df, blob)
        })
    };
    match base {
        None => Some(list(Vec::new())),
        Some(Base::List(docs)) => Some(list(docs)),
        // Every record of the term known with its weight.
        Some(Base::Dense { df, known, .. }) if known.len() as u64 == df => Some(list(known)),
        Some(Base::Dense {
            mut bits, known, ..
        }) => {
            // Every other record of the term ranks after the last known one (the last
            // spare): if at least k records still rank before it, the others stay out of
            // the top, and their weights are not needed.
            let rank = |&(id, w): &(u32, u8)| (std::cmp::Reverse(w), ids.rank(id));
            let last = known.iter().map(rank).max()?;
            let mut candidates: Vec<(u32, u8)> = known
                .into_iter()
                .filter(|d| !dropped.contains(&d.0))
                .collect();
            let ahead = added.iter().filter(|d| rank(d) < last).count();
            if candidates.len() + ahead < DENSE_TOP_K {
                return None;
            }
            for &id in dropped {
                if let Some(b) = bits.get_mut(id as usize / 8) {
                    *b &= !(1 << (id % 8));
                }
            }
            if bits.len() < ids.span.div_ceil(8) {
                bits.resize(ids.span.div_ceil(8), 0);
            }
            for &(id, _) in &added {
                *bits.get_mut(id as usize / 8)? |= 1 << (id % 8);
            }
            let df: u32 = bits.iter().map(|b| b.count_ones()).sum();
            // Still dense, as a cold build would store it.
            if !is_dense(df as usize, ids.n) {
                return None;
            }
            candidates.extend(added);
            let mut blob = Vec::new();
            encode_dense(&bits, candidates, ids, &mut blob);
            Some(Some((df, blob)))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::tests::sample_docs;
    use super::super::{logical_files, write_static_dir_with_words, TextTerms};
    use super::*;

    /// A base written whole from `docs`, its files linked into `base_dir` as the private
    /// base keeps them.
    fn base(docs: &[SearchDoc], dir: &Path, base_dir: &Path) -> Records {
        let stats = write_static_dir_with_words(
            docs.iter().cloned().map(|d| (d, None)),
            dir,
            TextTerms::Scanned,
        )
        .unwrap();
        std::fs::create_dir_all(base_dir).unwrap();
        for f in FILES {
            std::fs::hard_link(dir.join(f), base_dir.join(f)).unwrap();
        }
        std::fs::rename(dir.join(SPARES), base_dir.join("spares.bin")).unwrap();
        Arc::try_unwrap(stats.base.unwrap()).unwrap()
    }

    fn fingerprints(docs: &[SearchDoc]) -> Vec<(String, u64)> {
        docs.iter()
            .map(|d| (d.url.clone(), Fingerprint::new("t").add_json(d).finish()))
            .collect()
    }

    /// Asserts that the index in `dir` says what the index of `docs` written whole says.
    fn says_what_cold_says(dir: &Path, docs: &[SearchDoc], what: &str) {
        let got = logical_files(dir).unwrap();
        let want = cold(docs);
        for (name, bytes) in &want {
            assert!(got.get(name) == Some(bytes), "{what}: {name} differs");
        }
        assert_eq!(got.len(), want.len(), "{what}");
    }

    /// The index of `docs` written whole, as [`logical_files`] sees it.
    fn cold(docs: &[SearchDoc]) -> BTreeMap<String, Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        write_static_dir_with_words(
            docs.iter().cloned().map(|d| (d, None)),
            dir.path(),
            TextTerms::Scanned,
        )
        .unwrap();
        std::fs::remove_file(dir.path().join(SPARES)).unwrap();
        logical_files(dir.path()).unwrap()
    }

    /// A base written whole from `original`, to write deltas on.
    struct Based {
        tmp: tempfile::TempDir,
        base_dir: std::path::PathBuf,
        original: Vec<SearchDoc>,
        records: Records,
        fingerprints: Vec<u64>,
    }

    impl Based {
        fn new(original: Vec<SearchDoc>) -> Based {
            let tmp = tempfile::tempdir().unwrap();
            let base_dir = tmp.path().join("base");
            let records = base(&original, &tmp.path().join("a"), &base_dir);
            let fingerprints = fingerprints(&original).into_iter().map(|f| f.1).collect();
            Based {
                tmp,
                base_dir,
                original,
                records,
                fingerprints,
            }
        }

        /// Applies the steps one after the other to the base's records, each taken as a
        /// delta on the base (in `step<i>`) after the last, with the state it left: each
        /// must say what an index written whole from the same records says.
        fn take_steps<E: Fn(&mut Vec<SearchDoc>)>(&self, steps: &[(&str, E)]) {
            let mut docs = self.original.clone();
            let mut state: Option<DeltaState> = None;
            for (i, (what, edit)) in steps.iter().enumerate() {
                edit(&mut docs);
                let dir = self.tmp.path().join(format!("step{i}"));
                let (_, next) = self
                    .delta(&docs, state.as_ref(), &dir)
                    .unwrap()
                    .unwrap_or_else(|| panic!("{what}: no delta"));
                // As a build does once the tree is published.
                blank_withdrawn(&self.base_dir, &self.records, &next).unwrap();
                says_what_cold_says(&dir, &docs, what);
                state = Some(next);
            }
        }

        /// [`try_delta`] of `docs` into `dir`, after the deltas that left `state`.
        fn delta(
            &self,
            docs: &[SearchDoc],
            state: Option<&DeltaState>,
            dir: &Path,
        ) -> Result<Option<(StaticStats, DeltaState)>, SearchError> {
            let current = fingerprints(docs);
            let docs_at = |urls: &HashSet<String>| {
                Ok(docs
                    .iter()
                    .filter(|d| urls.contains(&d.url))
                    .cloned()
                    .collect())
            };
            let base_docs = |wanted: &[(&str, u64)]| {
                wanted
                    .iter()
                    .map(|(u, _)| self.original.iter().find(|d| d.url == *u).cloned())
                    .collect()
            };
            try_delta(&DeltaInputs {
                base_dir: &self.base_dir,
                records: &self.records,
                fingerprints: &self.fingerprints,
                state,
                dir,
                current: &current,
                docs_at: &docs_at,
                base_docs: &base_docs,
            })
        }
    }

    /// Each step edits some records and writes a delta on the base over the last step's
    /// tree, with the state the last delta left: the index must say what one written whole
    /// from the same records says, term by term and slot by slot.
    #[test]
    fn a_delta_on_the_base_equals_an_index_written_whole() {
        let based = Based::new(sample_docs(4200).into_iter().map(|d| d.0).collect());
        // Same lengths, so the averages stay on their grid point: the title of a record
        // at the top of dense terms, a body, several records, one changed back.
        type Edit = fn(&mut Vec<SearchDoc>);
        let steps: [(&str, Edit); 4] = [
            ("a retitled record", |d| {
                d[10].title = d[10].title.replace("关于", "有关")
            }),
            ("a body and a title", |d| {
                d[300].body = d[300].body.replacen("政府", "法院", 3);
                d[4000].title = d[4000].title.replace("通知", "决定");
            }),
            ("the first record back as it was", |d| {
                d[10].title = d[10].title.replace("有关", "关于")
            }),
            ("codes and a body", |d| {
                d[7].codes = vec!["示政发〔2016〕99号".into()];
                d[7].body.push_str("补充的正文");
                d[9].body = d[9].body.replace("吉林市", "长春市");
            }),
        ];
        based.take_steps(&steps);
        // The base's own files were left as they were.
        assert_eq!(
            std::fs::read(based.base_dir.join("dict.bin")).unwrap(),
            std::fs::read(based.tmp.path().join("a").join("dict.bin")).unwrap()
        );
    }

    /// Records added, removed and renamed: the delta numbers them differently, and says
    /// the same as an index written whole, ties in weight included (a copy of a record
    /// weighs what the record does, so it ties with it on every term).
    #[test]
    fn records_added_and_removed_are_taken_as_a_delta() {
        let based = Based::new(sample_docs(4200).into_iter().map(|d| d.0).collect());
        let copy = |d: &SearchDoc, url: &str| SearchDoc {
            url: url.into(),
            slug: url.trim_matches('/').replace('/', "-"),
            ..d.clone()
        };
        type Edit = Box<dyn Fn(&mut Vec<SearchDoc>)>;
        let steps: Vec<(&str, Edit)> = vec![
            (
                "a copy of a record added after it",
                Box::new(move |d| {
                    let c = copy(&d[2101], "/documents/copy-a/");
                    d.insert(2102, c)
                }),
            ),
            (
                "a copy added before its record, another one removed",
                Box::new(move |d| {
                    let c = copy(&d[3001], "/documents/copy-b/");
                    d.insert(3001, c);
                    d.remove(3500);
                }),
            ),
            (
                "a record renamed, a title changed",
                Box::new(|d| {
                    d[1200].url = "/documents/renamed/".into();
                    d[10].title = d[10].title.replace("关于", "有关");
                }),
            ),
            (
                "the first copy removed again, a copy at the end of the stream",
                Box::new(move |d| {
                    d.retain(|x| x.url != "/documents/copy-a/");
                    let c = copy(&d[4000], "/documents/copy-c/");
                    d.push(c);
                }),
            ),
        ];
        based.take_steps(&steps);
        // Three records the base lacks (two copies and the renamed one) took ids after
        // its own; two (the removed one and the renamed one's old URL) are gone.
        let meta: serde_json::Value = serde_json::from_slice(
            &std::fs::read(based.tmp.path().join("step3/meta.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(meta["delta"]["span"], 4203, "{}", meta["delta"]);
        assert_eq!(meta["delta"]["removed"].as_array().unwrap().len(), 2);
        assert_eq!(meta["docs"], 4201);
    }

    /// Random steps of copies added, records removed and renamed, and titles changed, each
    /// taken as a delta on the base after the last: the index says what one written whole
    /// says. A copy is paired with the removal of a record of the same lengths, so that the
    /// averages stay on their grid point (sample bodies differ only by the record's parity;
    /// titles by its word, `i % 7`, and its number's digits).
    #[test]
    fn random_additions_and_removals_equal_an_index_written_whole() {
        let based = Based::new(sample_docs(4200).into_iter().map(|d| d.0).collect());
        let mut docs = based.original.clone();
        let mut state: Option<DeltaState> = None;
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut below = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut taken = 0;
        // The URLs of the records removed and of the renamed ones' old names.
        let mut withdrawn: Vec<String> = Vec::new();
        for step in 0..8 {
            let mut what = Vec::new();
            for _ in 0..1 + below(3) {
                match below(3) {
                    0 => {
                        // A copy of a four-digit record, and one of the same lengths gone.
                        let i = 1000 + below(3000);
                        let Some(from) = docs.iter().position(|d| d.id == i as u32) else {
                            continue;
                        };
                        let twin = (i + 14 * (1 + below(40))) as u32;
                        let Some(gone) = docs.iter().position(|d| d.id == twin) else {
                            continue;
                        };
                        let mut copy = docs[from].clone();
                        copy.url = format!("/copies/{step}-{i}/");
                        copy.slug = format!("copy-{step}-{i}");
                        withdrawn.push(docs.remove(gone).url);
                        let at = below(docs.len() + 1);
                        docs.insert(at, copy);
                        what.push(format!("copy of {i} at {at}, {twin} removed"));
                    }
                    1 => {
                        let at = below(docs.len());
                        withdrawn.push(docs[at].url.clone());
                        docs[at].url = format!("/renamed/{step}-{at}/");
                        what.push(format!("{at} renamed"));
                    }
                    _ => {
                        let at = below(docs.len());
                        docs[at].title = docs[at].title.replace("关于", "有关");
                        what.push(format!("{at} retitled"));
                    }
                }
            }
            let what = what.join("; ");
            let dir = based.tmp.path().join(format!("step{step}"));
            let Some((_, next)) = based.delta(&docs, state.as_ref(), &dir).unwrap() else {
                // Declined (say a term changed its form): written whole, which a build
                // would then take as its base; these steps keep the first base.
                continue;
            };
            taken += 1;
            blank_withdrawn(&based.base_dir, &based.records, &next).unwrap();
            says_what_cold_says(&dir, &docs, &what);
            // What was withdrawn is no longer in the file the site shares with the base.
            let shared = std::fs::read(dir.join("docs.bin")).unwrap();
            for url in withdrawn.iter().filter(|u| u.starts_with("/documents/")) {
                let found = shared.windows(url.len()).any(|w| w == url.as_bytes());
                assert!(!found, "{what}: {url} is still in docs.bin");
            }
            state = Some(next);
        }
        assert!(taken >= 6, "only {taken} of 8 steps were taken as a delta");
    }

    /// A record that moved to another category, a record of a type the base has no record
    /// of, or the last record of an agency removed, cannot keep the base's ids and facet
    /// tables: no delta, the index is written whole.
    #[test]
    fn a_changed_shape_or_facet_table_declines() {
        let mut original: Vec<SearchDoc> = sample_docs(300).into_iter().map(|d| d.0).collect();
        original[299].agency = "z".into();
        let based = Based::new(original);
        let mut moved = based.original.clone();
        moved[3].categories = vec!["司法".into()];
        let mut new_kind = based.original.clone();
        let mut extra = new_kind[0].clone();
        extra.url = "/documents/new/".into();
        extra.kind = "decision".into();
        new_kind.push(extra);
        let mut last_of_agency = based.original.clone();
        last_of_agency.pop();
        for docs in [moved, new_kind, last_of_agency] {
            let dir = based.tmp.path().join("b");
            assert!(based.delta(&docs, None, &dir).unwrap().is_none());
        }
    }
}
