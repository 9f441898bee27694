//! Chinese public-sector identifiers, checked without any knowledge of files or records:
//! the unified social credit code (统一社会信用代码, GB 32100-2015) with its check character,
//! the organisation code embedded in it (GB 11714), the catalogue index number (索引号) and the
//! document number (发文字号).
//!
//! Everything here is pure: strings in, verdicts out. Validation turns the verdicts into
//! located diagnostics.

use std::sync::OnceLock;

use regex::Regex;

use crate::zh_en;

/// The 31 characters of a credit code, in value order (no I, O, S, V, Z).
pub const CREDIT_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17: 3^(i−1) mod 31.
pub const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Weights of the 8 body characters of an organisation code (GB 11714).
pub const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Removes spaces (a code copied from a certificate often has them between its groups),
/// maps full-width ASCII (Ａ１－／) to half-width, and upper-cases. Letters that are not in the code's alphabet (O, I, S, V, Z) are kept as they
/// are, so that the check reports them rather than silently "fixing" them.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .to_ascii_uppercase()
}

fn credit_value(c: char) -> Option<u32> {
    CREDIT_CHARSET.find(c).map(|i| i as u32)
}

/// Why a credit code is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCodeError {
    /// Not 18 characters (after normalisation).
    Length { found: usize },
    /// A character outside the 31-character set, at 1-based `position`. `suggestion` is the
    /// character it is commonly confused with (O → 0, I → 1, S → 5, Z → 2), if any.
    BadChar {
        position: usize,
        found: char,
        suggestion: Option<char>,
    },
    /// Characters 3–8, the registration authority's administrative division code
    /// (GB/T 2260), are not all digits.
    Region { found: String },
    /// The 18th character does not match the other 17.
    CheckChar { expected: char, found: char },
}

impl CreditCodeError {
    /// A sentence describing the problem, in the language of messages.
    pub fn message(&self) -> String {
        match self {
            CreditCodeError::Length { found } => zh_en!(
                format!("统一社会信用代码应为 18 位，这里是 {found} 位"),
                format!("a unified social credit code has 18 characters, this one has {found}")
            ),
            CreditCodeError::BadChar {
                position, found, ..
            } => zh_en!(
                format!(
                    "统一社会信用代码第 {position} 位是 `{found}`，不能用这个字符（代码只用数字 0—9 和大写字母 A—Y，不用 I、O、S、V、Z）"
                ),
                format!(
                    "character {position} of the credit code is `{found}`, which is not allowed (the code uses 0–9 and A–Y without I, O, S, V, Z)"
                )
            ),
            CreditCodeError::Region { found } => zh_en!(
                format!(
                    "统一社会信用代码第3—8位是登记管理机关的行政区划码，应为6位数字，这里是 `{found}`"
                ),
                format!(
                    "characters 3–8 of the credit code are the registration authority's division code and must be 6 digits; here they are `{found}`"
                )
            ),
            CreditCodeError::CheckChar { expected, found } => zh_en!(
                format!(
                    "统一社会信用代码的最后一位（校验码）是 `{found}`，但按前 17 位算出应为 `{expected}`（GB 32100-2015）"
                ),
                format!(
                    "the credit code's check character is `{found}` but its first 17 characters give `{expected}` (GB 32100-2015)"
                )
            ),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            CreditCodeError::Length { .. } => zh_en!(
                "请照《统一社会信用代码证书》抄写 18 位代码",
                "copy the 18-character code from the agency's registration certificate"
            )
            .into(),
            CreditCodeError::BadChar {
                found,
                suggestion: Some(s),
                ..
            } => zh_en!(
                format!("`{found}` 可能是 `{s}`：请对照证书改正（gongkai 不会替您改）"),
                format!(
                    "`{found}` is probably `{s}`: check the certificate and correct it (gongkai does not change it for you)"
                )
            ),
            CreditCodeError::BadChar { .. } => zh_en!(
                "请对照《统一社会信用代码证书》核对代码",
                "check the code against the agency's registration certificate"
            )
            .into(),
            CreditCodeError::Region { .. } => zh_en!(
                "请照《统一社会信用代码证书》核对代码：第3—8位只有数字",
                "check the code against the registration certificate: characters 3–8 are digits only"
            )
            .into(),
            CreditCodeError::CheckChar { expected, .. } => zh_en!(
                format!(
                    "请对照证书核对代码：校验码应为 `{expected}`；如果最后一位没错，就是前 17 位中有一位写错了"
                ),
                format!(
                    "the check digit should be `{expected}`; if the last character is right, one of the first 17 is wrong — compare the code with the certificate"
                )
            ),
        }
    }
}

/// The check character of the first 17 characters of a credit code, or `None` when one of
/// them is outside the character set.
pub fn credit_check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut n = 0;
    for (c, w) in first17.chars().zip(CREDIT_WEIGHTS) {
        sum += credit_value(c)? * w;
        n += 1;
    }
    if n != 17 || first17.chars().count() != 17 {
        return None;
    }
    let check = (31 - sum % 31) % 31;
    CREDIT_CHARSET.chars().nth(check as usize)
}

fn confusable(c: char) -> Option<char> {
    match c {
        'O' => Some('0'),
        'I' => Some('1'),
        'S' => Some('5'),
        'Z' => Some('2'),
        'V' => Some('U'),
        _ => None,
    }
}

/// Checks a credit code (normalise it first with [`normalize`]).
pub fn check_credit_code(code: &str) -> Result<(), CreditCodeError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length { found: chars.len() });
    }
    for (i, &c) in chars.iter().enumerate() {
        if credit_value(c).is_none() {
            return Err(CreditCodeError::BadChar {
                position: i + 1,
                found: c,
                suggestion: confusable(c),
            });
        }
    }
    if !chars[2..8].iter().all(char::is_ascii_digit) {
        return Err(CreditCodeError::Region {
            found: chars[2..8].iter().collect(),
        });
    }
    let first17: String = chars[..17].iter().collect();
    let expected = credit_check_char(&first17).expect("all characters are in the set");
    if expected != chars[17] {
        return Err(CreditCodeError::CheckChar {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// The credit code `gongkai init` writes for the agency an office has yet to fill in: the
/// category 11 (机关), then zeros, then the check character those give.
pub const PLACEHOLDER_CREDIT_CODE: &str = "11000000000000000U";

/// Whether a valid credit code is a placeholder rather than an agency's own: characters 3–17
/// (the registration authority's division code and the organisation code) all `0`. No real
/// code has them, as no division code (GB/T 2260) is 000000, so the placeholder of `gongkai
/// init` and any hand-made one like it are told apart from every real code.
pub fn is_placeholder_credit_code(code: &str) -> bool {
    code.len() == 18
        && code.is_ascii()
        && code[2..17].bytes().all(|b| b == b'0')
        && check_credit_code(code).is_ok()
}

fn org_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        _ => None,
    }
}

/// The check character of an organisation code's 8-character body (GB 11714), or `None`
/// when the body is not 8 digits or capital letters.
pub fn org_check_char(body8: &str) -> Option<char> {
    if body8.chars().count() != 8 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in body8.chars().zip(ORG_WEIGHTS) {
        sum += org_value(c)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).expect("0..=9"),
    })
}

/// A failed organisation-code check: the code's last character and the one its body gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgCodeError {
    pub code: String,
    pub expected: Option<char>,
    pub found: char,
}

/// Checks a 9-character organisation code, with or without the hyphen before the check
/// character (`79521974-2`, `795219742`).
pub fn check_org_code(code: &str) -> Result<(), OrgCodeError> {
    let plain: String = code.chars().filter(|&c| c != '-').collect();
    let chars: Vec<char> = plain.chars().collect();
    let found = chars.last().copied().unwrap_or(' ');
    let expected = if chars.len() == 9 {
        org_check_char(&plain[..8])
    } else {
        None
    };
    if expected == Some(found) {
        Ok(())
    } else {
        Err(OrgCodeError {
            code: plain,
            expected,
            found,
        })
    }
}

/// The organisation code embedded in a credit code (positions 9–17), without hyphen.
pub fn embedded_org_code(credit_code: &str) -> Option<&str> {
    if credit_code.len() == 18 && credit_code.is_ascii() {
        Some(&credit_code[8..17])
    } else {
        None
    }
}

/// Checks the organisation code embedded in a valid-shaped credit code. A failure is a
/// warning: a few legacy codes do not follow it.
pub fn check_embedded_org_code(credit_code: &str) -> Result<(), OrgCodeError> {
    match embedded_org_code(credit_code) {
        Some(org) => check_org_code(org),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// 索引号

/// The parts of an index number that a pattern captured.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexNo {
    pub code: Option<String>,
    pub year: Option<String>,
    pub serial: Option<String>,
}

/// The default index-number pattern: an 18-character credit code or a 9-character
/// organisation code (with or without the hyphen), `/`, the year, `-`, a serial of 4 or
/// more digits. E.g. `11220200795219742W/2015-04754`, `000014349/2015-00200`,
/// `01424668-5/2021-00063`.
pub const DEFAULT_INDEX_NO_PATTERN: &str =
    r"^(?P<code>[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9X])/(?P<year>\d{4})-(?P<serial>\d{4,})$";

/// The compiled default pattern.
pub fn default_index_no_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(DEFAULT_INDEX_NO_PATTERN).expect("valid pattern"))
}

/// Parses an index number against `pattern` (the portal's, or the default when `None`).
/// Returns `None` when it does not match. Whitespace around it is ignored; nothing else is
/// normalised, because the number is shown and searched exactly as written.
pub fn parse_index_no(s: &str, pattern: Option<&Regex>) -> Option<IndexNo> {
    let s = s.trim();
    if pattern.is_none() && s.is_ascii() {
        return parse_default_index_no(s);
    }
    let re = pattern.unwrap_or_else(|| default_index_no_regex());
    let caps = re.captures(s)?;
    let group = |name: &str| caps.name(name).map(|m| m.as_str().to_string());
    Some(IndexNo {
        code: group("code"),
        year: group("year"),
        serial: group("serial"),
    })
}

/// [`DEFAULT_INDEX_NO_PATTERN`] read by hand, for ASCII text (where `\d` is `[0-9]`): the
/// captures cost a check of 100,000 documents about 0.07 s of CPU on every build.
fn parse_default_index_no(s: &str) -> Option<IndexNo> {
    let (code, rest) = s.split_once('/')?;
    let (year, serial) = rest.split_once('-')?;
    let b = code.as_bytes();
    let code_char = |c: &u8| c.is_ascii_digit() || c.is_ascii_uppercase();
    let check_char = |c: u8| c.is_ascii_digit() || c == b'X';
    let code_ok = match b.len() {
        18 => b.iter().all(code_char),
        9 => b[..8].iter().all(code_char) && check_char(b[8]),
        10 => b[..8].iter().all(code_char) && b[8] == b'-' && check_char(b[9]),
        _ => false,
    };
    let digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
    let ok = code_ok && year.len() == 4 && digits(year) && serial.len() >= 4 && digits(serial);
    ok.then(|| IndexNo {
        code: Some(code.to_string()),
        year: Some(year.to_string()),
        serial: Some(serial.to_string()),
    })
}

// ---------------------------------------------------------------------------------------------
// 发文字号

/// A parsed document number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    /// The agency designator, e.g. 吉市政发; for orders, e.g. 国务院令.
    pub org: String,
    /// The year in the brackets; `None` for orders (令), which have no year.
    pub year: Option<i32>,
    pub serial: u32,
    /// The canonical spelling: 〔〕 brackets, ASCII digits, no spaces.
    pub canonical: String,
    /// Whether the input was already canonical.
    pub is_canonical: bool,
}

fn doc_number_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?P<org>[\p{Han}A-Za-z]{1,16})〔(?P<year>\d{4})〕(?P<seq>\d*[1-9]\d*)号$")
            .expect("valid pattern")
    })
}

fn order_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?P<org>[\p{Han}A-Za-z]{1,30}令)第(?P<seq>[1-9]\d*)号$")
            .expect("valid pattern")
    })
}

/// Parses a 发文字号 such as 吉市政发〔2015〕6号 (or an order number such as 国务院令第711号).
/// Bracket variants `[]`, `［］`, `()`, `（）`, `【】`, `〔〕`-lookalikes and full-width digits
/// are accepted, with `is_canonical` false so the caller can suggest the canonical form.
/// Returns `None` when it is not a document number at all.
pub fn parse_doc_number(s: &str) -> Option<DocNumber> {
    canonical_doc_number(s).or_else(|| parse_doc_number_in_full(s))
}

/// [`parse_doc_number`] of a number already written as 〔〕 brackets and ASCII digits
/// require, without a space, as nearly every number is: cut where the brackets are instead
/// of matched as a whole (the checks parse each of 85,000 documents' numbers at 100,000
/// records). `None` for anything else, which the full parse then reads.
fn canonical_doc_number(s: &str) -> Option<DocNumber> {
    fn org_regex() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"^[\p{Han}A-Za-z]{1,16}$").expect("valid pattern"))
    }
    let (org, rest) = s.split_once('〔')?;
    let (year, rest) = rest.split_once('〕')?;
    let seq = rest.strip_suffix('号')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !digits(year) || !digits(seq) || !org_regex().is_match(org) {
        return None;
    }
    let serial: u32 = seq.parse().ok().filter(|&n| n > 0)?;
    let year: i32 = year.parse().ok()?;
    let canonical = format!("{org}〔{year}〕{serial}号");
    Some(DocNumber {
        org: org.to_string(),
        year: Some(year),
        serial,
        is_canonical: canonical == s,
        canonical,
    })
}

/// [`parse_doc_number`] by normalising the number and matching it whole.
fn parse_doc_number_in_full(s: &str) -> Option<DocNumber> {
    let normalised: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '［' | '(' | '（' | '【' | '〖' | '｛' | '{' => '〔',
            ']' | '］' | ')' | '）' | '】' | '〗' | '｝' | '}' => '〕',
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    if let Some(c) = doc_number_regex().captures(&normalised) {
        let year: i32 = c["year"].parse().ok()?;
        // `〔2025〕03号` is the same number as `〔2025〕3号`, written against GB/T 9704.
        let serial: u32 = c["seq"].parse().ok()?;
        let canonical = format!("{}〔{year}〕{serial}号", &c["org"]);
        return Some(DocNumber {
            org: c["org"].to_string(),
            year: Some(year),
            serial,
            is_canonical: canonical == s,
            canonical,
        });
    }
    if let Some(c) = order_regex().captures(&normalised) {
        let serial: u32 = c["seq"].parse().ok()?;
        return Some(DocNumber {
            org: c["org"].to_string(),
            year: None,
            serial,
            is_canonical: normalised == s,
            canonical: normalised,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_cut_at_its_brackets_reads_as_the_full_parse_reads_it() {
        let orgs = [
            "吉市政发",
            "ABC",
            "吉市 政发",
            "国务院令",
            "",
            "吉市政发吉市政发吉市政发吉市政发吉",
            "吉市政发吉市政发吉市政发吉市政发",
            "(市)发",
            "１发",
            "示〔环发",
        ];
        let opens = ["〔", "[", "（", "【", ""];
        let years = ["2023", "２０２３", "202", "20230", "٢٠٢٣", "abcd"];
        let closes = ["〕", "]", "）", ""];
        let seqs = [
            "10",
            "010",
            "0",
            "000",
            "",
            "4294967296",
            "1 0",
            "１０",
            "٣",
            "第7",
        ];
        let ends = ["号", "", "号 ", "號"];
        let mut cut = 0;
        for org in orgs {
            for open in opens {
                for year in years {
                    for close in closes {
                        for seq in seqs {
                            for end in ends {
                                let s = format!("{org}{open}{year}{close}{seq}{end}");
                                let full = parse_doc_number_in_full(&s);
                                if let Some(fast) = canonical_doc_number(&s) {
                                    assert_eq!(Some(fast), full, "{s}");
                                    cut += 1;
                                }
                                assert_eq!(parse_doc_number(&s), full, "{s}");
                            }
                        }
                    }
                }
            }
        }
        // 吉市政发, ABC, 国务院令 and the 16-character designator, with 10 and 010.
        assert_eq!(cut, 8);
    }

    #[test]
    fn worked_example_and_fixtures_validate() {
        assert_eq!(credit_check_char("11220200795219742"), Some('W'));
        for code in [
            "11220200795219742W",
            "11341702486344515H",
            "11370829004333910Q",
            "11330881002630911A",
            "11370322004222241N",
            "12441500196720244T",
            "11511301008778183N",
            "115113010833722043",
        ] {
            assert_eq!(check_credit_code(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn placeholders_are_valid_codes_no_real_code_resembles() {
        assert_eq!(check_credit_code(PLACEHOLDER_CREDIT_CODE), Ok(()));
        assert_eq!(check_embedded_org_code(PLACEHOLDER_CREDIT_CODE), Ok(()));
        assert!(is_placeholder_credit_code(PLACEHOLDER_CREDIT_CODE));
        // A 事业单位 placeholder made by hand, with its own check character.
        let public_institution = format!("12{}", "0".repeat(15));
        let check = credit_check_char(&public_institution).unwrap();
        assert!(is_placeholder_credit_code(&format!(
            "{public_institution}{check}"
        )));
        // The zeros with a wrong check character are a mistyped code, not a placeholder.
        assert!(!is_placeholder_credit_code("11000000000000000X"));
        // Real codes, and a fictional one with a division code, are not placeholders.
        for code in [
            "11220200795219742W",
            "12441500196720244T",
            "119901009901001659",
        ] {
            assert!(!is_placeholder_credit_code(code), "{code}");
        }
    }

    #[test]
    fn wrong_check_char_names_the_right_one() {
        assert_eq!(
            check_credit_code("11220200795219742X"),
            Err(CreditCodeError::CheckChar {
                expected: 'W',
                found: 'X'
            })
        );
        let e = check_credit_code("11220200795219742X").unwrap_err();
        // In-process messages are Chinese unless English is asked for.
        assert!(e.hint().contains("应为 `W`"), "{}", e.hint());
        assert!(e.message().contains("应为 `W`"), "{}", e.message());
    }

    #[test]
    fn letters_outside_the_set_are_reported_not_fixed() {
        let e = check_credit_code("1122O200795219742W").unwrap_err();
        assert_eq!(
            e,
            CreditCodeError::BadChar {
                position: 5,
                found: 'O',
                suggestion: Some('0')
            }
        );
        assert_eq!(
            check_credit_code("1122"),
            Err(CreditCodeError::Length { found: 4 })
        );
    }

    #[test]
    fn normalisation() {
        assert_eq!(
            normalize(" １１２２０２００７９５２１９７４２ｗ "),
            "11220200795219742W"
        );
        assert_eq!(normalize("abc"), "ABC");
    }

    #[test]
    fn organisation_codes() {
        assert_eq!(org_check_char("79521974"), Some('2'));
        assert_eq!(org_check_char("00001434"), Some('9'));
        assert_eq!(org_check_char("01424668"), Some('5'));
        assert_eq!(org_check_char("01527918"), Some('X'));
        assert!(check_org_code("01424668-5").is_ok());
        assert!(check_org_code("000014349").is_ok());
        assert!(check_org_code("000014348").is_err());
        assert!(check_embedded_org_code("11220200795219742W").is_ok());
    }

    #[test]
    fn index_numbers() {
        let i = parse_index_no("11220200795219742W/2015-04754", None).unwrap();
        assert_eq!(i.code.as_deref(), Some("11220200795219742W"));
        assert_eq!(i.year.as_deref(), Some("2015"));
        assert_eq!(i.serial.as_deref(), Some("04754"));
        assert!(parse_index_no("000014349/2015-00200", None).is_some());
        assert!(parse_index_no("01424668-5/2021-00063", None).is_some());
        assert!(parse_index_no("11370322004222241N/2021-5135380", None).is_some());
        assert!(parse_index_no("11220200795219742W/2015-047", None).is_none());
        assert!(parse_index_no("11220200795219742W-2015-04754", None).is_none());
        let custom =
            Regex::new(r"^(?P<code>[0-9A-Z]{9})-(?P<year>\d{4})-(?P<serial>\d+)$").unwrap();
        let i = parse_index_no("01527918X-2020-153077", Some(&custom)).unwrap();
        assert_eq!(i.code.as_deref(), Some("01527918X"));
    }

    proptest::proptest! {
        /// The hand reading of the default pattern answers as the pattern does.
        #[test]
        fn the_default_index_number_is_read_as_its_pattern_reads_it(
            s in proptest::prop_oneof![
                // Near the shape: about a quarter of these have it.
                "[ ]?([0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9X]|[0-9A-Z-]{7,19})/[0-9]{4}-[0-9]{3,7}A?[ ]?",
                "[0-9A-Z/X -]{0,3}([0-9A-Z]{8,18}-?[0-9X]?)?[/-]?[0-9]{0,6}-?[0-9]{0,8}[A /-]{0,2}",
            ],
        ) {
            let by_pattern = |s: &str| {
                default_index_no_regex().captures(s.trim()).map(|caps| {
                    let group = |name: &str| caps.name(name).map(|m| m.as_str().to_string());
                    IndexNo { code: group("code"), year: group("year"), serial: group("serial") }
                })
            };
            proptest::prop_assert_eq!(parse_index_no(&s, None), by_pattern(&s));
        }
    }

    #[test]
    fn a_leading_zero_is_a_variant_of_the_number() {
        let d = parse_doc_number("示政发〔2025〕03号").unwrap();
        assert!(!d.is_canonical);
        assert_eq!(d.canonical, "示政发〔2025〕3号");
        assert_eq!(d.serial, 3);
        assert!(parse_doc_number("示政发〔2025〕0号").is_none());
        assert!(parse_doc_number("示政发〔2025〕10号").unwrap().is_canonical);
    }

    #[test]
    fn the_division_code_is_digits_and_spaces_go() {
        // A valid check character over letters where the division code goes.
        let body = "11ABCDEF12345678";
        let first17 = format!("{body}8");
        let code = format!("{first17}{}", credit_check_char(&first17).unwrap());
        assert!(matches!(
            check_credit_code(&code),
            Err(CreditCodeError::Region { found }) if found == "ABCDEF"
        ));
        assert_eq!(normalize(" 1122 0200 7952 1974 2W "), "11220200795219742W");
        assert_eq!(
            normalize("１１２２０２００７９５２１９７４２ｗ"),
            "11220200795219742W"
        );
    }

    #[test]
    fn document_numbers() {
        let d = parse_doc_number("吉市政发〔2015〕6号").unwrap();
        assert!(d.is_canonical);
        assert_eq!(
            (d.org.as_str(), d.year, d.serial),
            ("吉市政发", Some(2015), 6)
        );
        let d = parse_doc_number("吉市政发[2015]6号").unwrap();
        assert!(!d.is_canonical);
        assert_eq!(d.canonical, "吉市政发〔2015〕6号");
        let d = parse_doc_number("国办函（２０２０）109号").unwrap();
        assert_eq!(d.canonical, "国办函〔2020〕109号");
        let d = parse_doc_number("国务院令第711号").unwrap();
        assert_eq!(d.year, None);
        assert!(parse_doc_number("国辦公開辦函〔202130").is_none());
        assert!(parse_doc_number("").is_none());
    }
}
