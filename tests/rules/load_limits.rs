//! Files made to hurt the loader: YAML nested deep enough to make the parser crawl, and
//! invisible control characters. Each is refused with its own code at the right place, fast.

use std::path::Path;
use std::time::{Duration, Instant};

use gongkai::diagnostics::{Diagnostic, Severity};
use gongkai::load::parse_bytes;

/// Parses `text` as the file at `rel`, returning whether a record came out, the diagnostics,
/// and how long it took.
fn parse(rel: &str, text: impl Into<Vec<u8>>) -> (bool, Vec<Diagnostic>, Duration) {
    let start = Instant::now();
    let (parsed, diags) = parse_bytes(Path::new(rel), text.into());
    (parsed, diags, start.elapsed())
}

/// The only diagnostic, which must be an error with `code`; returns its (line, column).
fn sole_error(diags: &[Diagnostic], code: &str) -> (usize, usize) {
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!((d.code, d.severity), (code, Severity::Error), "{d:#?}");
    (d.line, d.column)
}

/// A document whose front matter holds `nested` after a valid title: the nesting starts on
/// line 3 of the file.
fn document(nested: &str) -> String {
    format!("---\ntitle: 关于印发某某办法的通知\n{nested}\n---\n正文。\n")
}

const DEEP: usize = 100_000;

/// Deep nesting must be refused in far less than this (the parser alone took over a minute on
/// these files); generous, for debug builds on a busy machine.
const FAST: Duration = Duration::from_secs(2);

#[test]
fn deep_flow_sequences_are_refused_at_the_first_level_too_deep() {
    let nested = format!("agency: {}x{}", "[".repeat(DEEP), "]".repeat(DEEP));
    let (parsed, diags, took) = parse("content/documents/2025/a.md", document(&nested));
    assert!(!parsed);
    // The top-level mapping is level 1, the first `[` (column 9) level 2, so level 65 is the
    // 64th bracket.
    assert_eq!(sole_error(&diags, "E016"), (3, 9 + 63));
    assert!(diags[0].message.contains("64"), "{}", diags[0].message);
    assert!(took < FAST, "took {took:?}");
}

#[test]
fn deep_flow_mappings_are_refused() {
    let nested = format!("agency: {}1{}", "{a: ".repeat(DEEP), "}".repeat(DEEP));
    let (parsed, diags, took) = parse("content/documents/2025/a.md", document(&nested));
    assert!(!parsed);
    assert_eq!(sole_error(&diags, "E016"), (3, 9 + 63 * 4));
    assert!(took < FAST, "took {took:?}");
}

#[test]
fn deep_block_sequences_are_refused() {
    let nested = format!("agency:\n{}x", "- ".repeat(DEEP));
    let (parsed, diags, took) = parse("content/documents/2025/a.md", document(&nested));
    assert!(!parsed);
    // `agency:` is level 1, its list (column 1) level 2: level 65 is the 64th dash.
    assert_eq!(sole_error(&diags, "E016"), (4, 1 + 63 * 2));
    assert!(took < FAST, "took {took:?}");
}

#[test]
fn deep_block_mappings_are_refused() {
    // One space per level: 1,000 levels are half a megabyte.
    let yaml: String = (0..1000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let (parsed, diags, took) = parse("content/agencies/a.yaml", yaml);
    assert!(!parsed);
    assert_eq!(sole_error(&diags, "E016"), (65, 65));
    assert!(took < FAST, "took {took:?}");
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    // Level 1 the mapping, then 63 brackets: 64 levels. An unknown key, so only a warning.
    let nested = format!("extra: {}x{}", "[".repeat(63), "]".repeat(63));
    let (parsed, diags, _) = parse("content/pages/a.md", document(&nested));
    assert!(parsed, "{diags:#?}");
    assert!(diags.iter().all(|d| d.code == "W014"), "{diags:#?}");
    // One more is refused.
    let nested = format!("extra: {}x{}", "[".repeat(64), "]".repeat(64));
    let (parsed, diags, _) = parse("content/pages/a.md", document(&nested));
    assert!(!parsed);
    assert_eq!(sole_error(&diags, "E016"), (3, 8 + 63));
}

#[test]
fn an_annual_report_with_its_nested_tables_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = "content/reports/2024/fgw.yaml";
    let text = std::fs::read(root.join(rel)).unwrap();
    assert!(
        String::from_utf8_lossy(&text).contains("    withheld:\n      state_secret: ["),
        "the demo report no longer nests its withheld rows"
    );
    let (parsed, diags, _) = parse(rel, text);
    assert!(parsed, "{diags:#?}");
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn a_control_character_in_a_body_is_refused_where_it_is() {
    let text = "---\r\ntitle: 通知\r\n---\r\n第一段。\r\n\r\n第二\u{0}段。\r\n";
    let (parsed, diags, _) = parse("content/documents/2025/a.md", text);
    assert!(!parsed);
    assert_eq!(sole_error(&diags, "E017"), (6, 3));
    assert!(diags[0].message.contains("U+0000"), "{}", diags[0].message);
    assert!(diags[0].hint.as_deref().unwrap().contains("复制粘贴"));
}

#[test]
fn control_characters_in_yaml_are_counted() {
    // An escape sequence (ESC) and a C1 control pasted into a calendar's holiday names.
    let text = "holidays:\n  - {name: \"春节\u{1b}[0m\", from: 2025-01-28, to: 2025-02-04}\n  - {name: 清明\u{85}, from: 2025-04-04, to: 2025-04-06}\n";
    let (parsed, diags, _) = parse("content/calendar/2025.yaml", text);
    assert!(!parsed);
    assert_eq!(sole_error(&diags, "E017"), (2, 15));
    let m = &diags[0].message;
    assert!(m.contains("2 个控制字符") && m.contains("U+001B"), "{m}");
}

#[test]
fn a_control_character_in_site_toml_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"示例市\"\nbase_url = \"https://www.example.gov.cn\u{7f}\"\n",
    )
    .unwrap();
    let d = gongkai::model::config::SiteConfig::load(dir.path()).unwrap_err();
    assert_eq!((d.code, d.line, d.column), ("E017", 2, 39));
    assert_eq!(d.file, Path::new("site.toml"));
}

mod depth_scan {
    use gongkai::load::yaml_depth::too_deep;
    use proptest::prelude::*;
    use serde_yaml::{Mapping, Value};

    fn depth(v: &Value) -> usize {
        match v {
            Value::Sequence(s) => 1 + s.iter().map(depth).max().unwrap_or(0),
            Value::Mapping(m) => {
                1 + m
                    .iter()
                    .map(|(k, v)| depth(k).max(depth(v)))
                    .max()
                    .unwrap_or(0)
            }
            Value::Tagged(t) => depth(&t.value),
            _ => 0,
        }
    }

    /// The smallest limit the scan accepts `yaml` under.
    fn scanned(yaml: &str) -> usize {
        (0..64).find(|&max| too_deep(yaml, max).is_none()).unwrap()
    }

    /// Strings that look like YAML syntax, so that quoting and block scalars are exercised.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("it's".to_string()),
            Just("[x] {y}".to_string()),
            Just("a: b # c".to_string()),
            Just("- d".to_string()),
            Just("多行\n文本 [[".to_string()),
            Just("\"q\" '".to_string()),
            Just("|".to_string()),
            "[a-z:#\\[\\]{}\\-? ]{0,6}",
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            text().prop_map(Value::String),
            any::<u16>().prop_map(|n| Value::Number(n.into())),
            Just(Value::Null),
        ];
        leaf.prop_recursive(8, 64, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
                prop::collection::vec(
                    (
                        prop_oneof![3 => text().prop_map(Value::String), 1 => inner.clone()],
                        inner
                    ),
                    0..4
                )
                .prop_map(|kv| Value::Mapping(kv.into_iter().collect::<Mapping>())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// On what the YAML emitter writes (block style) and on JSON (flow style), the scan
        /// sees exactly the depth the parser builds.
        #[test]
        fn the_scan_agrees_with_the_parser(v in value()) {
            for text in [serde_yaml::to_string(&v).ok(), serde_json::to_string(&v).ok()].into_iter().flatten() {
                // Whatever the emitter writes that its parser refuses is not the scan's to judge.
                let Ok(parsed) = serde_yaml::from_str::<Value>(&text) else {
                    continue;
                };
                prop_assert_eq!(scanned(&text), depth(&parsed), "{}", text);
            }
        }
    }
}
