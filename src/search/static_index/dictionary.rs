//! The layout of `dict.bin`, the term dictionary: fixed-width pages, a term in page
//! FNV-1a(term) mod pages, so the client computes a page's byte range from the term alone.

use super::format::get_varint;

/// Width of a dictionary page (one HTTP range per page a query needs).
pub const PAGE_BYTES: usize = 1024;
/// Average fill the first page count aims at; raised until no page overflows.
const PAGE_FILL: f64 = 0.6;
/// Postings up to this many bytes live in the dictionary entry itself.
pub(super) const INLINE_MAX: usize = 32;

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

/// The number of dictionary pages for entries `(hash, offset, len)`, and each page's fill:
/// the smallest count from an average fill of [`PAGE_FILL`] up (in steps of ~1/8) at which
/// every page's entries fit in [`PAGE_BYTES`]. An entry is at most ~300 bytes (a term of up
/// to 255 bytes, inline postings of up to [`INLINE_MAX`]), so enough pages always fit.
pub(super) fn page_layout(index: &[(u32, u32, u32)]) -> (u32, Vec<usize>) {
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
