//! `docs.bin`: one fixed-width slot per record in internal id order, holding its head
//! (title, URL, date, slug, codes) and its body as zlib segments.
//!
//! Records are encoded as they stream by (in parallel), spooled in caller id order to a
//! temporary file, and copied into their slots once the internal order and the slot width
//! are known.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::format::put_varint;
use crate::search::{SearchDoc, SearchError};

/// zlib level of the body segments (libdeflate): on 1.5 KB segments of Chinese text, level 1
/// is half as fast again as miniz_oxide's level 1 and compresses them a little better, and
/// levels 2–6 take half as long again for 2 % smaller segments.
const ZLIB_LEVEL: i32 = 1;
/// The widest slot chosen for the body; a slot is wider only to fit a record's head.
const SLOT_MAX: u32 = 4096;
/// Title and codes in a record's head are cut to this many bytes.
const HEAD_FIELD_MAX: usize = 600;
/// Body text per zlib segment.
const SEGMENT_BYTES: usize = 1536;

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A record's head (title, URL, date, slug, codes) and as much of its body as the widest
/// slot can hold; the length of the head. Title and codes are cut to a few hundred bytes
/// (no real title is longer), so every head fits in its slot.
pub(super) fn encode_record(doc: &SearchDoc) -> Result<(Vec<u8>, u32), SearchError> {
    let mut out = Vec::with_capacity(SLOT_MAX as usize);
    put_str(&mut out, cut(&doc.title, HEAD_FIELD_MAX));
    put_str(&mut out, &doc.url);
    put_str(&mut out, doc.date.as_deref().unwrap_or(""));
    put_str(&mut out, &doc.slug);
    put_str(&mut out, cut(&doc.codes.join("\n"), HEAD_FIELD_MAX));
    let head = out.len() as u32;
    let body = doc.body.trim();
    let mut from = 0;
    // Segments past the widest slot would be cut anyway: not compressing them saves time.
    while from < body.len() && out.len() < SLOT_MAX as usize {
        let mut to = (from + SEGMENT_BYTES).min(body.len());
        while !body.is_char_boundary(to) {
            to += 1;
        }
        compress_segment(&body.as_bytes()[from..to], &mut out)?;
        from = to;
    }
    // The end mark only after the whole body: a body stopped at the widest slot reads as
    // cut (heads are under 2 KB — title and codes cut here, slug and URL from file names —
    // so no slot is wider than SLOT_MAX and such a record always overflows its slot).
    if from >= body.len() {
        put_varint(&mut out, 0);
    }
    Ok((out, head))
}

thread_local! {
    /// [`compress_segment`]'s compressor and output buffer, made once per thread.
    static DEFLATE: RefCell<(libdeflater::Compressor, Vec<u8>)> =
        RefCell::new((
            libdeflater::Compressor::new(
                libdeflater::CompressionLvl::new(ZLIB_LEVEL).unwrap_or_default(),
            ),
            Vec::new(),
        ));
}

/// Appends `text` as one zlib stream: `varint n, n bytes`.
fn compress_segment(text: &[u8], out: &mut Vec<u8>) -> Result<(), SearchError> {
    DEFLATE.with(|d| {
        let (compressor, seg) = &mut *d.borrow_mut();
        seg.resize(compressor.zlib_compress_bound(text.len()), 0);
        let n = compressor
            .zlib_compress(text, seg)
            .map_err(|e| SearchError::Format(format!("compressing a record: {e}")))?;
        put_varint(out, n as u64);
        out.extend_from_slice(&seg[..n]);
        Ok(())
    })
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The encoded records, in caller id order, in a temporary file of the index folder
/// (`.records.tmp`), while the rest of the stream is read.
pub(super) struct RecordSpool {
    path: PathBuf,
    file: BufWriter<File>,
    /// (offset, length) of each record in the file, by caller id.
    at: Vec<(u64, u32)>,
    /// The length of each record's head, by caller id.
    heads: Vec<u32>,
    end: u64,
}

impl RecordSpool {
    pub(super) fn create(dir: &Path) -> Result<RecordSpool, SearchError> {
        let path = dir.join(".records.tmp");
        let file = BufWriter::new(File::create(&path)?);
        Ok(RecordSpool {
            path,
            file,
            at: Vec::new(),
            heads: Vec::new(),
            end: 0,
        })
    }

    /// Appends the next record, as [`encode_record`] gives it.
    pub(super) fn push(&mut self, record: &[u8], head_len: u32) -> Result<(), SearchError> {
        self.file.write_all(record)?;
        self.heads.push(head_len);
        self.at.push((self.end, record.len() as u32));
        self.end += record.len() as u64;
        Ok(())
    }

    /// The spooled records, their file complete and closed.
    pub(super) fn finish(mut self) -> Result<SpooledRecords, SearchError> {
        self.file.flush()?;
        Ok(SpooledRecords {
            path: self.path,
            at: self.at,
            heads: self.heads,
        })
    }
}

/// The slot width of records of encoded lengths `lens` and head lengths `heads`: the 75th
/// percentile record, rounded up to 256 bytes, between 512 and [`SLOT_MAX`] — and never
/// narrower than the widest head, so every title and URL is whole.
pub(super) fn slot_width_of(mut lens: Vec<u32>, heads: &[u32]) -> u32 {
    let p = if lens.is_empty() {
        0
    } else {
        let at = (lens.len() * 3 / 4).min(lens.len() - 1);
        *lens.select_nth_unstable(at).1
    };
    let body = p.div_ceil(256).saturating_mul(256).clamp(512, SLOT_MAX);
    let max_head = heads.iter().copied().max().unwrap_or(0);
    body.max((max_head + 2).div_ceil(256) * 256)
}

/// Fills `slot` with a record's bytes, cut at the slot's end and zero-padded.
pub(super) fn fill_slot(record: &[u8], slot: &mut [u8]) {
    slot.fill(0);
    let kept = record.len().min(slot.len());
    slot[..kept].copy_from_slice(&record[..kept]);
}

/// The records of a [`RecordSpool`] once all are read.
pub(super) struct SpooledRecords {
    path: PathBuf,
    at: Vec<(u64, u32)>,
    pub(super) heads: Vec<u32>,
}

impl SpooledRecords {
    /// The slot width of these records ([`slot_width_of`]).
    pub(super) fn slot_width(&self) -> u32 {
        slot_width_of(self.lens(), &self.heads)
    }

    /// Each record's encoded length, by caller id.
    pub(super) fn lens(&self) -> Vec<u32> {
        self.at.iter().map(|r| r.1).collect()
    }

    /// Writes `docs.bin` into `dir`: the records in internal id order (`order`: caller ids),
    /// each in a slot of `slot` bytes.
    pub(super) fn write_slots(
        &self,
        dir: &Path,
        order: &[u32],
        slot: u32,
    ) -> Result<(), SearchError> {
        let mut src = File::open(&self.path)?;
        let mut docs_out = BufWriter::new(File::create(dir.join("docs.bin"))?);
        let mut rec = Vec::new();
        let mut slot_buf = vec![0u8; slot as usize];
        for &c in order {
            let (off, len) = self.at[c as usize];
            rec.resize(len as usize, 0);
            src.seek(SeekFrom::Start(off))?;
            src.read_exact(&mut rec)?;
            fill_slot(&rec, &mut slot_buf);
            docs_out.write_all(&slot_buf)?;
        }
        docs_out.flush()?;
        Ok(())
    }

    /// Deletes the temporary file.
    pub(super) fn remove(self) -> Result<(), SearchError> {
        std::fs::remove_file(&self.path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::get_varint;
    use super::super::tests::sample_docs;
    use super::*;

    /// A body is stored as zlib segments of about SEGMENT_BYTES that inflate back to it.
    #[test]
    fn body_segments_inflate_to_the_body() {
        let (doc, _) = sample_docs(1).remove(0);
        let body = "政府信息公开工作年度报告。".repeat(100);
        let (record, head) = encode_record(&SearchDoc {
            body: body.clone(),
            ..doc
        })
        .unwrap();
        let mut at = head as usize;
        let mut text = Vec::new();
        let mut segments = 0;
        let mut inflate = libdeflater::Decompressor::new();
        loop {
            let n = get_varint(&record, &mut at).unwrap() as usize;
            if n == 0 {
                break;
            }
            let mut seg = vec![0u8; SEGMENT_BYTES + 4];
            let len = inflate
                .zlib_decompress(&record[at..at + n], &mut seg)
                .unwrap();
            text.extend_from_slice(&seg[..len]);
            at += n;
            segments += 1;
        }
        assert_eq!(String::from_utf8(text).unwrap(), body);
        assert_eq!(segments, body.len().div_ceil(SEGMENT_BYTES));
    }
}
