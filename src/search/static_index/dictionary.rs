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
/// The spares of the dense terms ([`super::postings::DENSE_SPARES`]), written beside the
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

/// Looks `term` up in one page: (df, length of its out-of-line postings if any).
pub(super) fn find_entry(page: &[u8], term: &str) -> Option<(u64, Option<u64>)> {
    let mut at = 0;
    while at < page.len() {
        let len = page[at] as usize;
        if len == 0 {
            return None;
        }
        let t = page.get(at + 1..at + 1 + len)?;
        at += 1 + len;
        let df = get_varint(page, &mut at)?;
        let form = *page.get(at)?;
        at += 1;
        let external = if form == 0 {
            let n = get_varint(page, &mut at)?;
            at += n as usize;
            None
        } else {
            get_varint(page, &mut at)?;
            Some(get_varint(page, &mut at)?)
        };
        if t == term.as_bytes() {
            return Some((df, external));
        }
    }
    None
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
