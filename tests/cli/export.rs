//! `gongkai export --format ndjson` on the demo portal: one line per record, the shared
//! fields on top, and under `record` the entry its published schema describes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use gongkai::render::catalogs::{schema, CATALOG_KINDS};
use serde_json::Value;

use crate::bin;

fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_demo_exports_every_record_as_a_line_that_its_schema_accepts() {
    let out = bin::command()
        .args([
            "export",
            "--format",
            "ndjson",
            "--today",
            "2026-06-01",
            "--root",
        ])
        .arg(demo_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let portal = gongkai::load::load(&demo_root()).unwrap().portal;
    let base = portal.config.base();
    let validators: BTreeMap<&str, jsonschema::Validator> = CATALOG_KINDS
        .iter()
        .map(|&k| {
            (
                k.name(),
                jsonschema::validator_for(&schema(k, base).unwrap()).unwrap(),
            )
        })
        .collect();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let t = v["record_type"].as_str().unwrap().to_string();
        let record = &v["record"];
        assert_eq!(record["record_type"], t.as_str());
        assert_eq!(v["id"], record["url"], "the id is the record's page");
        assert!(
            ids.insert(v["id"].as_str().unwrap().to_string()),
            "ids are unique"
        );
        assert_eq!(v["portal"], base);
        assert!(!v["title"].as_str().unwrap().is_empty());
        let errors: Vec<String> = validators[t.as_str()]
            .iter_errors(record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", v["id"]);
        if t == "document" {
            assert!(
                !v["text"].as_str().unwrap().is_empty(),
                "a document's text: {}",
                v["id"]
            );
            assert_eq!(v["categories"], record["categories"]);
        }
        *per_type.entry(t).or_default() += 1;
    }
    for kind in CATALOG_KINDS {
        assert_eq!(
            per_type.get(kind.name()).copied().unwrap_or(0),
            portal.count(kind),
            "{kind:?}"
        );
    }
    assert_eq!(per_type.len(), CATALOG_KINDS.len(), "{per_type:?}");
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains(&format!("已导出 {} 条记录", text.lines().count())));
}

#[test]
fn a_portal_with_errors_exports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"测试\"\nbase_url = \"https://t.example.gov.cn\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/agencies")).unwrap();
    std::fs::write(
        dir.path().join("content/agencies/a.yaml"),
        "name: 甲\nkind: nonsense\n",
    )
    .unwrap();
    let out = bin::command()
        .args(["export", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}
