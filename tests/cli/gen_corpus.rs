//! The benchmark corpus generator (examples/gen_corpus.rs) writes a portal that `gongkai check`
//! passes without an error or a warning, and the same seed gives the same bytes.

#[allow(dead_code)]
#[path = "../../examples/gen_corpus.rs"]
mod generator;

use std::collections::BTreeMap;
use std::path::Path;

fn generate(dir: &Path, records: usize, seed: u64) -> generator::Summary {
    generator::generate(&generator::Options {
        out: dir.to_path_buf(),
        records,
        seed,
        hugo: None,
    })
    .expect("generate")
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn gongkai_check_passes_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(dir.path(), 300, 7);
    assert_eq!(summary.records(), 300);
    assert!(summary.agencies >= 5);
    assert!(summary.documents * 100 / 300 >= 75, "{summary:?}");

    let outcome = gongkai::build::check(dir.path()).expect("check");
    assert!(
        outcome.diagnostics.is_empty(),
        "gongkai check: {} errors, {} warnings: {:#?}",
        outcome.errors(),
        outcome.warnings(),
        outcome.diagnostics
    );
    let p = &outcome.portal;
    assert_eq!(
        p.record_count(),
        300 + 1,
        "the N records and the guide page"
    );
    assert_eq!(p.documents.len(), summary.documents);
    assert_eq!(p.reports.len(), summary.reports);
    assert_eq!(p.power.len(), summary.power);
    assert_eq!(p.services.len(), summary.services);
    assert_eq!(p.decisions.len(), summary.decisions);
    assert_eq!(p.agencies.len(), summary.agencies);
}

#[test]
fn generated_documents_follow_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 400, 11);
    let p = gongkai::load::load(dir.path()).expect("load").portal;
    let codes: BTreeMap<&str, &str> = p
        .agencies
        .iter()
        .map(|a| (a.meta.slug.as_str(), a.data.credit_code.as_str()))
        .collect();
    for code in codes.values() {
        assert_eq!(code.len(), 18);
        assert_eq!(
            generator::credit_check(&code[..17]),
            code.chars().last().unwrap(),
            "{code}"
        );
        assert_eq!(
            generator::org_check(&code[8..16]),
            code.chars().nth(16).unwrap(),
            "{code}"
        );
    }
    let mut index_nos = std::collections::HashSet::new();
    let doc_number = regex::Regex::new(r"^\p{Han}+〔(\d{4})〕[1-9]\d*号$").unwrap();
    for d in &p.documents {
        let year = d.meta.year.unwrap();
        let (code, rest) = d.data.index_no.split_once('/').unwrap();
        assert_eq!(code, codes[d.data.agency.as_str()]);
        let (y, serial) = rest.split_once('-').unwrap();
        assert_eq!(y, year.to_string());
        assert!(serial.len() >= 4 && serial.bytes().all(|b| b.is_ascii_digit()));
        assert!(index_nos.insert(d.data.index_no.clone()), "duplicate");
        if let Some(n) = &d.data.doc_number {
            let c = doc_number.captures(n).unwrap_or_else(|| panic!("{n}"));
            assert_eq!(&c[1], y);
        }
        assert!(d.data.written <= d.data.published);
        let body = std::fs::read_to_string(dir.path().join(&d.meta.path)).unwrap();
        let len = body.len() - d.meta.body_start.unwrap();
        assert!((1800..=10_000).contains(&len), "{} bytes", len);
    }
    for s in &p.services {
        assert!(s.data.time_limit.promised_days <= s.data.time_limit.statutory_days);
    }
    for d in &p.decisions {
        let d = &d.data;
        if d.collective_decision.is_some() {
            assert!(d.legality_review.is_some());
        }
        if let (Some(l), Some(c)) = (&d.legality_review, &d.collective_decision) {
            assert!(l.date <= c.date);
        }
        if let Some(c) = &d.consultation {
            assert!((c.end - c.start).num_days() >= 30);
            if let Some(l) = &d.legality_review {
                assert!(c.end <= l.date);
            }
        }
    }
    for r in &p.reports {
        let a = r.data.applications.as_ref().unwrap();
        let sum = |row: &gongkai::model::Row| row.iter().map(|c| c.unwrap_or(0)).sum::<i64>();
        let mut rows = vec![&a.new, &a.carried_over, &a.carried_forward];
        rows.extend([
            &a.results.disclosed,
            &a.results.partially_disclosed,
            &a.results.total,
        ]);
        rows.extend(a.results.withheld.values());
        rows.extend(a.results.unable.values());
        rows.extend(a.results.not_processed.values());
        for row in &rows {
            assert_eq!(row.len(), 7);
            assert_eq!(sum(row) - row[6].unwrap(), row[6].unwrap());
        }
        for c in 0..7 {
            let v = |row: &gongkai::model::Row| row[c].unwrap_or(0);
            assert_eq!(
                v(&a.new) + v(&a.carried_over),
                v(&a.results.total) + v(&a.carried_forward)
            );
        }
    }
}

#[test]
fn same_seed_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    generate(a.path(), 120, 3);
    generate(b.path(), 120, 3);
    assert!(tree(a.path()) == tree(b.path()));
    let c = tempfile::tempdir().unwrap();
    generate(c.path(), 120, 4);
    assert!(tree(a.path()) != tree(c.path()));
}
