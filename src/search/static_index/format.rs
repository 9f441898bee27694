//! What every file of the static index shares: the format version, the file names, and the
//! varints (LEB128, unsigned) all the binary files are made of.

/// Bumped on every incompatible change of the files (see the module [`super`]).
pub const FORMAT_VERSION: u32 = 4;

/// The files of a static index, all under `search/`.
pub const FILES: [&str; 5] = [
    "meta.json",
    "dict.bin",
    "post.bin",
    "docs.bin",
    "categories.bin",
];

pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(super) fn get_varint(data: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *data.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut v = Vec::new();
        for x in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX >> 1] {
            put_varint(&mut v, x);
        }
        let mut at = 0;
        for x in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX >> 1] {
            assert_eq!(get_varint(&v, &mut at), Some(x));
        }
    }
}
