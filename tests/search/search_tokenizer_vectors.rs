//! tests/data/tokenizer_vectors.json holds inputs and the tokens the Rust tokenizer
//! produces; tests/js/tokenizer.test.mjs checks the JavaScript tokenizer against the same
//! file. `GONGKAI_BLESS=1 cargo test --test search search_tokenizer_vectors` rewrites the
//! expected tokens from the inputs.

use gongkai::search::static_index::fnv1a;
use gongkai::search::tokenize::{normalize_code, tokenize_index, tokenize_query, Token, TokenKind};
use serde_json::{json, Value};

use crate::tools;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/tokenizer_vectors.json"
);

fn rows(tokens: &[Token]) -> Value {
    tokens
        .iter()
        .map(|t| {
            let kind = match t.kind {
                TokenKind::Unigram => "u",
                TokenKind::Bigram => "b",
                TokenKind::Word => "w",
            };
            json!([t.text, kind, t.position, t.start, t.end])
        })
        .collect()
}

fn expected(input: &str) -> Value {
    json!({
        "input": input,
        "index": rows(&tokenize_index(input)),
        "query": rows(&tokenize_query(input).tokens),
        "code": normalize_code(input),
        "fnv1a": fnv1a(input),
    })
}

#[test]
fn vectors_match_the_rust_tokenizer() {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    let cases = file["cases"].as_array().unwrap();
    if std::env::var_os("GONGKAI_BLESS").is_some() {
        let cases: Vec<Value> = cases
            .iter()
            .map(|c| expected(c["input"].as_str().unwrap()))
            .collect();
        let out = json!({ "note": file["note"], "cases": cases });
        std::fs::write(PATH, serde_json::to_string_pretty(&out).unwrap() + "\n").unwrap();
        return;
    }
    assert!(cases.len() >= 10);
    for case in cases {
        let input = case["input"].as_str().unwrap();
        assert_eq!(&expected(input), case, "vector for {input:?}");
    }
}

/// The JavaScript half: every test under tests/js/ (`node --test`: the tokenizer against
/// these vectors, the client's inflate, snippets, slot reading, ranking, and reading from a
/// host that ignores Range); needs node (tests/support/tools.rs).
#[test]
fn the_javascript_client_tests_pass() {
    if !tools::available("the_javascript_client_tests_pass", &[tools::Need::Node]) {
        return;
    }
    let out = std::process::Command::new("node")
        .args(["--test", "tests/js/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("# fail 0"), "{stdout}");
    assert!(!stdout.contains("# pass 0\n"), "{stdout}");
}
