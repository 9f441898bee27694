//! `dict.bin`, the term dictionary, and `post.bin`, the postings too long to sit in it.
//!
//! The dictionary is cut in fixed-width pages, a term in page FNV-1a(term) mod pages, so the
//! client computes a page's byte range from the term alone. Entries are appended as the
//! terms are encoded, in any order, and laid out in their pages at the end, once the number
//! of pages is known.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::format::{get_varint, put_varint};
use super::postings::Encoded;
use crate::search::SearchError;

/// Width of a dictionary page (one HTTP range per page a query needs).
pub const PAGE_BYTES: usize = 1024;
/// Average fill the first page count aims at; raised until no page overflows.
const PAGE_FILL: f64 = 0.6;
/// Postings up to this many bytes live in the dictionary entry itself.
const INLINE_MAX: usize = 32;

/// FNV-1a, 32 bit, over the UTF-8 bytes: the dictionary page hash (mirrored in search.js).
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for &b in s.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The dictionary page of `term` among `pages`.
pub fn page_of(term: &str, pages: u32) -> u32 {
    fnv1a(term) % pages
}

/// What [`DictWriter::finish`] wrote.
pub(super) struct DictStats {
    pub(super) pages: u32,
    pub(super) terms: u64,
    pub(super) dict_bytes: u64,
    pub(super) postings_bytes: u64,
}

/// Writes `post.bin` as terms are appended, and `dict.bin` at the end.
/// The spares of the dense terms (`postings::DENSE_SPARES`), written beside the
/// index for the private base and never published: per term `u8 len, term, varint k`, then
/// k times `varint id, u8 weight`, by rank.
pub const SPARES: &str = ".spares.bin";

pub(super) struct DictWriter {
    post: BufWriter<File>,
    spares: BufWriter<File>,
    post_len: u64,
    /// The entries, in the order appended.
    entries: Vec<u8>,
    /// (hash, entry offset, entry len) of each entry.
    index: Vec<(u32, u32, u32)>,
}

impl DictWriter {
    /// Creates `post.bin` in `dir`.
    pub(super) fn create(dir: &Path) -> Result<DictWriter, SearchError> {
        Ok(DictWriter {
            post: BufWriter::new(File::create(dir.join("post.bin"))?),
            spares: BufWriter::new(File::create(dir.join(SPARES))?),
            post_len: 0,
            entries: Vec::new(),
            index: Vec::new(),
        })
    }

    /// Adds the entry of one term (`u8 len, term, varint df, u8 form, payload`), its
    /// postings inline (form 0) or in `post.bin` (form 1). A term longer than a length byte
    /// can say is left out.
    pub(super) fn append(&mut self, (term, df, blob, spares): Encoded) -> Result<(), SearchError> {
        if term.len() > 255 {
            return Ok(());
        }
        if !spares.is_empty() {
            let mut s = vec![term.len() as u8];
            s.extend_from_slice(term.as_bytes());
            put_varint(&mut s, spares.len() as u64);
            for (id, w) in spares {
                put_varint(&mut s, u64::from(id));
                s.push(w);
            }
            self.spares.write_all(&s)?;
        }
        let entries = &mut self.entries;
        let start = entries.len();
        entries.push(term.len() as u8);
        entries.extend_from_slice(term.as_bytes());
        put_varint(entries, u64::from(df));
        if blob.len() <= INLINE_MAX {
            entries.push(0);
            put_varint(entries, blob.len() as u64);
            entries.extend_from_slice(&blob);
        } else {
            entries.push(1);
            put_varint(entries, self.post_len);
            put_varint(entries, blob.len() as u64);
            self.post.write_all(&blob)?;
            self.post_len += blob.len() as u64;
        }
        self.index
            .push((fnv1a(&term), start as u32, (entries.len() - start) as u32));
        Ok(())
    }

    /// Completes `post.bin` and writes `dict.bin` into `dir`.
    pub(super) fn finish(mut self, dir: &Path) -> Result<DictStats, SearchError> {
        self.post.flush()?;
        self.spares.flush()?;
        // Dictionary pages: fixed-width, so the client computes a page's byte range from the
        // term's hash alone and looks terms up in the same round trip as `meta.json`.
        let index = &mut self.index;
        let (pages, page_sizes) = page_layout(index);
        index.sort_by_key(|&(h, off, _)| (h % pages, h, off));
        let mut dict = BufWriter::new(File::create(dir.join("dict.bin"))?);
        let mut at = 0;
        let zeros = [0u8; PAGE_BYTES];
        for (p, &used) in page_sizes.iter().enumerate() {
            while at < index.len() && index[at].0 % pages == p as u32 {
                let (_, off, len) = index[at];
                dict.write_all(&self.entries[off as usize..(off + len) as usize])?;
                at += 1;
            }
            dict.write_all(&zeros[..PAGE_BYTES - used])?;
        }
        dict.flush()?;
        Ok(DictStats {
            pages,
            terms: index.len() as u64,
            dict_bytes: u64::from(pages) * PAGE_BYTES as u64,
            postings_bytes: self.post_len,
        })
    }
}

/// The number of dictionary pages for entries `(hash, offset, len)`, and each page's fill:
/// the smallest count from an average fill of [`PAGE_FILL`] up (in steps of ~1/8) at which
/// every page's entries fit in [`PAGE_BYTES`]. An entry is at most ~300 bytes (a term of up
/// to 255 bytes, inline postings of up to [`INLINE_MAX`]), so enough pages always fit.
fn page_layout(index: &[(u32, u32, u32)]) -> (u32, Vec<usize>) {
    let total: usize = index.iter().map(|e| e.2 as usize).sum();
    let mut pages = ((total as f64 / (PAGE_BYTES as f64 * PAGE_FILL)).ceil() as u32).max(1);
    loop {
        let mut used = vec![0usize; pages as usize];
        for &(h, _, len) in index {
            used[(h % pages) as usize] += len as usize;
        }
        if used.iter().all(|&u| u <= PAGE_BYTES) {
            return (pages, used);
        }
        pages += pages / 8 + 1;
    }
}

/// Where a dictionary entry's postings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stored<'a> {
    /// Form 0: in the entry itself.
    Inline(&'a [u8]),
    /// Form 1: `len` bytes at `off` in `post.bin`; form 2 (`delta`): in `post-delta.bin`.
    External { delta: bool, off: u64, len: u64 },
}

/// One entry of a dictionary page.
#[derive(Debug, Clone, Copy)]
pub(super) struct DictEntry<'a> {
    pub(super) term: &'a [u8],
    pub(super) df: u64,
    pub(super) postings: Stored<'a>,
    /// The whole entry, as written.
    pub(super) bytes: &'a [u8],
}

/// The entries of a dictionary page, in order, up to its zero padding. An entry cut short
/// or of an unknown form (a damaged page) comes out as `None`, and nothing after it.
pub(super) fn page_entries(page: &[u8]) -> impl Iterator<Item = Option<DictEntry<'_>>> {
    let mut at = 0;
    let mut damaged = false;
    std::iter::from_fn(move || {
        if damaged || at >= page.len() || page[at] == 0 {
            return None;
        }
        let entry = entry_at(page, &mut at);
        damaged = entry.is_none();
        Some(entry)
    })
}

/// The entry starting at `*at`, which is moved past it.
fn entry_at<'a>(page: &'a [u8], at: &mut usize) -> Option<DictEntry<'a>> {
    let start = *at;
    let len = page[start] as usize;
    let term = page.get(start + 1..start + 1 + len)?;
    *at = start + 1 + len;
    let df = get_varint(page, at)?;
    let form = *page.get(*at)?;
    *at += 1;
    let postings = match form {
        0 => {
            let n = get_varint(page, at)? as usize;
            let inline = page.get(*at..*at + n)?;
            *at += n;
            Stored::Inline(inline)
        }
        1 | 2 => Stored::External {
            delta: form == 2,
            off: get_varint(page, at)?,
            len: get_varint(page, at)?,
        },
        _ => return None,
    };
    Some(DictEntry {
        term,
        df,
        postings,
        bytes: &page[start..*at],
    })
}

/// Looks `term` up in one page: (df, length of its out-of-line postings if any).
pub(super) fn find_entry(page: &[u8], term: &str) -> Option<(u64, Option<u64>)> {
    let e = page_entries(page)
        .map_while(|e| e)
        .find(|e| e.term == term.as_bytes())?;
    let external = match e.postings {
        Stored::Inline(_) => None,
        Stored::External { len, .. } => Some(len),
    };
    Some((e.df, external))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_reference() {
        assert_eq!(fnv1a(""), 0x811C_9DC5);
        assert_eq!(fnv1a("a"), 0xE40C_292C);
    }
}
