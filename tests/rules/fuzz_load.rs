//! Property tests of the loader: no input, however broken, makes it panic, and whatever it
//! reports points inside the file.
//!
//! `cargo test` runs a few hundred cases per property. For a long fuzzing run:
//! `PROPTEST_CASES=100000 cargo test --release --test rules fuzz_load`.
//! Proptest keeps the failing cases it finds in tests/proptest-regressions/fuzz_load.txt and
//! tries them first on every run.

use std::path::Path;

use gongkai::diagnostics::{Diagnostic, Severity};
use gongkai::load::parse_bytes;
use proptest::prelude::*;

/// One path per record kind, in the folders docs/content-format.md puts them in.
const PATHS: &[&str] = &[
    "content/index.md",
    "content/pages/about.md",
    "content/agencies/fgw.yaml",
    "content/power/fgw/xk-001.yaml",
    "content/services/fgw/svc-001.yaml",
    "content/decisions/2025/plan.md",
    "content/documents/2025/notice.md",
    "content/reports/2024/fgw.yaml",
    "content/calendar/2025.yaml",
];

/// Real records of every kind from the demo portal: mutating them reaches deep into the schema.
fn seeds() -> Vec<(&'static str, String)> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let pick = |dir: &str| -> String {
        let mut files: Vec<_> = walkdir::WalkDir::new(demo.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        files.sort();
        std::fs::read_to_string(files.first().expect("the demo portal has this kind")).unwrap()
    };
    vec![
        ("content/index.md", pick("index.md")),
        ("content/pages/about.md", pick("pages")),
        ("content/agencies/fgw.yaml", pick("agencies")),
        ("content/power/fgw/xk-001.yaml", pick("power")),
        ("content/services/fgw/svc-001.yaml", pick("services")),
        ("content/decisions/2025/plan.md", pick("decisions")),
        ("content/documents/2025/notice.md", pick("documents")),
        ("content/reports/2024/fgw.yaml", pick("reports")),
    ]
}

/// What must hold for any input: a file that yields no record says why with an error, and
/// every located diagnostic points at a line and column that exist in the file.
fn assert_sane(rel: &str, bytes: &[u8], parsed: bool, diags: &[Diagnostic]) {
    if !parsed {
        assert!(
            diags.iter().any(|d| d.severity == Severity::Error),
            "{rel}: no record and no error for {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diags {
        if d.line == 0 {
            continue;
        }
        assert!(
            d.line <= lines.len(),
            "{rel}: {} points at line {} of {}: {}",
            d.code,
            d.line,
            lines.len(),
            d.message
        );
        let width = lines[d.line - 1].chars().count();
        assert!(
            d.column >= 1 && d.column <= width + 2,
            "{rel}: {} points at column {} of a {}-character line {}: {}",
            d.code,
            d.column,
            width,
            d.line,
            d.message
        );
    }
}

fn check(rel: &str, bytes: Vec<u8>) {
    let (parsed, diags) = parse_bytes(Path::new(rel), bytes.clone());
    assert_sane(rel, &bytes, parsed, &diags);
}

/// Text made of what trips YAML and front-matter parsers: indicators, quotes, indentation,
/// fences, BOM, CR, tabs, and Chinese.
fn yamlish() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("---\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("\t".to_string()),
        Just("- ".to_string()),
        Just(": ".to_string()),
        Just("title: ".to_string()),
        Just("agency: ".to_string()),
        Just("code: ".to_string()),
        Just("date: 2025-02-30".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("!!binary ".to_string()),
        Just("|\n".to_string()),
        Just(">-\n".to_string()),
        Just("? ".to_string()),
        Just("# ".to_string()),
        Just("%YAML 1.2\n".to_string()),
        Just("...\n".to_string()),
        "[a-z_]{1,12}".prop_map(|s| s),
        "[0-9]{1,20}".prop_map(|s| s),
        "[一-龥]{1,6}".prop_map(|s| s),
    ];
    prop::collection::vec(atom, 0..60).prop_map(|v| v.concat())
}

/// A seed record with a few random edits: deletions, insertions and duplicated lines.
fn mutated() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    let seeds = seeds();
    (
        0..seeds.len(),
        prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, yamlish()), 1..6),
    )
        .prop_map(move |(i, edits)| {
            let (rel, text) = &seeds[i];
            let mut bytes = text.clone().into_bytes();
            for (at, op, insert) in edits {
                let pos = at.index(bytes.len() + 1);
                match op {
                    0 => {
                        let end = (pos + 1 + insert.len() % 40).min(bytes.len());
                        bytes.drain(pos..end.max(pos));
                    }
                    1 => {
                        bytes.splice(pos..pos, insert.into_bytes());
                    }
                    2 => {
                        // Cut in the middle of a UTF-8 sequence, or repeat a line.
                        let line_start = bytes[..pos]
                            .iter()
                            .rposition(|&b| b == b'\n')
                            .map_or(0, |p| p + 1);
                        let line_end = bytes[pos..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(bytes.len(), |p| pos + p);
                        let line = bytes[line_start..line_end].to_vec();
                        bytes.splice(line_end..line_end, [b"\n".as_slice(), &line].concat());
                    }
                    _ => {
                        if pos < bytes.len() {
                            bytes[pos] ^= 0x80;
                        }
                    }
                }
            }
            (*rel, bytes)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(i in 0..PATHS.len(), bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(PATHS[i], bytes);
    }

    #[test]
    fn yaml_like_text_never_panics(i in 0..PATHS.len(), text in yamlish()) {
        check(PATHS[i], text.into_bytes());
    }

    #[test]
    fn front_matter_like_text_never_panics(i in 0..PATHS.len(), yaml in yamlish(), body in yamlish(), close in any::<bool>()) {
        let fence = if close { "---\n" } else { "" };
        check(PATHS[i], format!("---\n{yaml}\n{fence}{body}").into_bytes());
    }

    #[test]
    fn mutated_real_records_never_panic((rel, bytes) in mutated()) {
        check(rel, bytes);
    }
}

#[test]
fn the_unmutated_seeds_load_without_errors() {
    // The mutation property is only meaningful if its starting points are valid records.
    for (rel, text) in seeds() {
        let (parsed, diags) = parse_bytes(Path::new(rel), text.into_bytes());
        assert!(parsed, "{rel} did not load: {diags:?}");
        assert!(
            diags.iter().all(|d| d.severity != Severity::Error),
            "{rel}: {diags:?}"
        );
    }
}
