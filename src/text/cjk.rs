//! Classes of East Asian characters, by the rule each use follows.
//!
//! They differ on purpose, each matching its reference: search bigrams [`is_cjk`] text (the
//! tokenizer, mirrored in the search page's script); Markdown emphasis follows the CommonMark
//! CJK-friendly amendments ([`is_cjk`], [`is_cjk_punct`]), and line breaks CSS Text's segment
//! break rules by East Asian Width ([`is_wide`]), which counts emoji as wide.

use unicode_width::UnicodeWidthChar;

/// Whether `c` (already folded) is a CJK character: one position, bigrammed with neighbours.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3041..=0x3096
        | 0x30A1..=0x30FA
        | 0x30FC
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F
        | 0x30000..=0x3134F)
}

/// Punctuation of East Asian width Wide, Fullwidth or Halfwidth (the amendments' CJK
/// punctuation): CJK symbols and punctuation, vertical, compatibility and small forms, and
/// the full- and half-width forms that are not letters or digits.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32,
        0x3001..=0x3006 | 0x3008..=0x303F
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE6B
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Hangul, whose writing separates words by spaces: its line breaks stay spaces.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x302E | 0x302F | 0x3131..=0x318E | 0x3200..=0x321E
        | 0x3260..=0x327E | 0xA960..=0xA97C | 0xAC00..=0xD7A3 | 0xD7B0..=0xD7FB
        | 0xFFA0..=0xFFDC)
}

/// Whether a line break between `c` and a character like it is no space in the text.
pub fn is_wide(c: char) -> bool {
    c.width() == Some(2) && !is_hangul(c)
}
