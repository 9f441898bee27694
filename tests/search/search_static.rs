//! The static index, read by the real browser client (search.js) under Node, answers the
//! same queries with the same leading results as the tantivy search.

use std::path::Path;
use std::process::Command;

use gongkai::search::index::write_index;
use gongkai::search::query::SearchIndex;
use gongkai::search::static_index::{query_cost, write_static};
use gongkai::search::SearchQuery;
use serde_json::Value;

use crate::seeds;
use crate::tools;

const QUERIES: &[&str] = &[
    "行政许可",
    "政府信息公开年度报告",
    "吉林市",
    "吉市政发〔2015〕6号",
    "吉市政发[2015]6号",
    "2015",
    "嘉",
    "长白山管委会",
    "径向市法制局反映",
    "清廉尚志",
    "嘉兴",
    "法治政府",
    ": + - ( ) \" *",
    "(吉林*",
];

/// The slugs of one client answer's hits, in rank order.
fn hit_slugs(answer: &Value) -> Vec<&str> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap())
        .collect()
}

/// The client's answers to `queries`: texts, or objects with a text and filters.
fn run_client(search_dir: &Path, queries: &(impl serde::Serialize + ?Sized)) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js/static_query.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(search_dir)
        .arg(serde_json::to_string(queries).unwrap())
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn static_client_agrees_with_tantivy() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("public");
    let stats = write_static(seeds::fixture_docs().into_iter(), &site).unwrap();
    assert_eq!(stats.docs, 8);
    assert!(stats.files <= 8, "{stats:?}");
    write_index(seeds::fixture_docs().into_iter(), &tmp.path().join("idx")).unwrap();
    let tantivy = SearchIndex::open(&tmp.path().join("idx")).unwrap();

    for q in QUERIES {
        let (requests, bytes) = query_cost(&site, q).unwrap();
        assert!(bytes < 50_000, "{q}: {bytes} bytes");
        assert!(requests < 40, "{q}: {requests} requests");
    }
    if !tools::available("static_client_agrees_with_tantivy", &[tools::Need::Node]) {
        return;
    }
    let answers = run_client(&site.join("search"), QUERIES);
    for (q, answer) in QUERIES.iter().zip(&answers) {
        let want = tantivy
            .search(&SearchQuery {
                limit: 10,
                ..SearchQuery::new(*q)
            })
            .unwrap();
        let got = answer["hits"].as_array().unwrap();
        let got_slugs: Vec<&str> = got.iter().map(|h| h["slug"].as_str().unwrap()).collect();
        let want_slugs: Vec<&str> = want.iter().map(|h| h.slug.as_str()).collect();
        assert_eq!(
            got.len(),
            want.len(),
            "{q}: static {got_slugs:?} vs tantivy {want_slugs:?}"
        );
        if let (Some(g), Some(w)) = (got.first(), want.first()) {
            assert_eq!(g["tier"], serde_json::to_value(w.tier).unwrap(), "{q}");
            // Where the best tier holds one record, both put it first.
            if want.iter().filter(|h| h.tier == w.tier).count() == 1 {
                assert_eq!(
                    g["slug"],
                    w.slug.as_str(),
                    "{q}: static {got_slugs:?} vs tantivy {want_slugs:?}"
                );
            }
        }
        // Same set of results in the same tiers (order inside a tier may differ: the
        // client sums per-term BM25 weights, tantivy scores phrases).
        let mut g: Vec<(String, String)> = got
            .iter()
            .map(|h| {
                (
                    h["tier"].as_str().unwrap().to_string(),
                    h["slug"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut w: Vec<(String, String)> = want
            .iter()
            .map(|h| {
                (
                    serde_json::to_value(h.tier)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string(),
                    h.slug.clone(),
                )
            })
            .collect();
        g.sort();
        w.sort();
        assert_eq!(g, w, "{q}");
        assert!(
            answer["bytes"].as_u64().unwrap() < 50_000,
            "{q}: {}",
            answer["bytes"]
        );
        for h in got {
            let s = h["snippet"].as_str().unwrap();
            assert!(!s.contains("<b>") && !s.contains("<script"), "{s}");
        }
    }
    // 吉林市 ranks the 吉林市 document above the 吉林市场 page in the client too.
    let jl = hit_slugs(&answers[2]);
    let about = jl.iter().position(|s| s.starts_with("000_")).unwrap();
    let market = jl.iter().position(|s| *s == "page-market").unwrap();
    assert!(about < market, "{jl:?}");
    // Facet counts come with the answer.
    let kinds = answers[0]["facets"]["kinds"].as_array().unwrap();
    assert!(kinds.iter().any(|k| k[0] == "power"), "{kinds:?}");
}

/// With and without a category filter, the client finds what tantivy finds, in the same
/// tiers, and counts the same: the matches that pass the filter, and all matches per
/// category (read from categories.bin, which only these queries fetch).
#[test]
fn categories_in_the_client_agree_with_tantivy() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("public");
    write_static(seeds::fixture_docs().into_iter(), &site).unwrap();
    write_index(seeds::fixture_docs().into_iter(), &tmp.path().join("idx")).unwrap();
    let tantivy = SearchIndex::open(&tmp.path().join("idx")).unwrap();
    let category_of: std::collections::HashMap<String, Vec<String>> = seeds::fixture_docs()
        .into_iter()
        .map(|d| (d.slug, d.categories))
        .collect();
    let mut cases: Vec<(&str, Option<&str>)> = Vec::new();
    for q in QUERIES.iter().chain(&["依法行政", "法治", "通知"]) {
        for c in [
            None,
            Some("综合政务"),
            Some("意见"),
            Some("通知"),
            Some("司法"),
        ] {
            cases.push((q, c));
        }
    }
    // A category no document has, as a hand-written URL may name.
    cases.push(("法治政府", Some("没有这个分类")));
    let asked: Vec<Value> = cases
        .iter()
        .map(|(q, c)| serde_json::json!({ "q": q, "category": c, "categoryCounts": true }))
        .collect();
    if !tools::available(
        "categories_in_the_client_agree_with_tantivy",
        &[tools::Need::Node],
    ) {
        return;
    }
    let answers = run_client(&site.join("search"), &asked);
    assert_eq!(answers.len(), cases.len());
    let mut filtered_hits = 0;
    let mut counted = 0;
    for ((q, c), answer) in cases.iter().zip(&answers) {
        let want = tantivy
            .answer(&SearchQuery {
                limit: 10,
                category: c.map(str::to_string),
                ..SearchQuery::new(*q)
            })
            .unwrap();
        let what = format!("{q} in {c:?}");
        assert_eq!(answer["total"], want.total, "{what}");
        let counts: Vec<(String, u64)> =
            serde_json::from_value(answer["facets"]["categories"].clone()).unwrap();
        // The client keeps a chosen category listed at 0, so that it can be cleared.
        let want_counts: Vec<(String, u64)> = want
            .categories
            .iter()
            .cloned()
            .chain(
                c.filter(|c| *c != "没有这个分类" && !want.categories.iter().any(|w| w.0 == *c))
                    .map(|c| (c.to_string(), 0)),
            )
            .collect();
        assert_eq!(counts, want_counts, "{what}");
        counted += counts.len();
        let mut got: Vec<(String, String)> = answer["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["tier"].as_str().unwrap().into(),
                    h["slug"].as_str().unwrap().into(),
                )
            })
            .collect();
        let mut hits: Vec<(String, String)> = want
            .hits
            .iter()
            .map(|h| {
                let tier = serde_json::to_value(h.tier).unwrap();
                (tier.as_str().unwrap().to_string(), h.slug.clone())
            })
            .collect();
        got.sort();
        hits.sort();
        assert_eq!(got, hits, "{what}");
        if let Some(c) = c {
            for (_, slug) in &hits {
                assert!(category_of[slug].iter().any(|x| x == c), "{what}: {slug}");
            }
            filtered_hits += hits.len();
        }
        assert_eq!(
            answer["unknownCategory"],
            *c == Some("没有这个分类"),
            "{what}"
        );
    }
    // Not vacuous: filters that let records through, and counts that were compared.
    assert!(filtered_hits > 10, "{filtered_hits}");
    assert!(counted > 20, "{counted}");
}

#[test]
fn filters_in_the_client() {
    if !tools::available("filters_in_the_client", &[tools::Need::Node]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("public");
    write_static(seeds::fixture_docs().into_iter(), &site).unwrap();
    let v = run_client(
        &site.join("search"),
        &serde_json::json!([{"q":"行政许可","kind":"power"},{"q":"行政许可","year":2015}]),
    );
    let slugs = |i: usize| hit_slugs(&v[i]);
    assert_eq!(slugs(0), vec!["power-xk-001"]);
    assert!(!slugs(1).is_empty());
    assert!(
        slugs(1).iter().all(|s| s.starts_with("000_")),
        "{:?}",
        slugs(1)
    );
}

/// A portal of `n` records made of the fixtures (so that common terms are dense), each with
/// its own URL and slug, in stream order.
fn many_docs(n: usize) -> Vec<gongkai::search::SearchDoc> {
    let fixtures = seeds::fixture_docs();
    (0..n)
        .map(|i| {
            let mut d = fixtures[i % fixtures.len()].clone();
            d.id = i as u32;
            d.slug = format!("{}-{i}", d.slug);
            d.url = format!("{}{i}/", d.url);
            d
        })
        .collect()
}

/// The static index of `docs` written whole into `search`, with its spares left for a base.
fn written_whole(
    docs: &[gongkai::search::SearchDoc],
    search: &Path,
) -> gongkai::search::static_index::StaticStats {
    gongkai::search::static_index::write_static_dir_with_words(
        docs.iter().cloned().map(|d| (d, None)),
        search,
        gongkai::search::static_index::TextTerms::Scanned,
    )
    .unwrap()
}

/// A build that took changed, added, removed and renamed records as a delta on the base
/// answers in the browser's client exactly as the index written whole from the same
/// records: the same hits, scores, tiers, snippets, totals and facet counts. The records
/// are copies of eight fixtures, so most of them tie in score with hundreds of others, and
/// the added ones must fall in their place among them.
#[test]
fn a_delta_answers_in_the_client_as_the_index_written_whole() {
    use gongkai::search::static_index::{logical_files, try_delta, DeltaInputs};
    use gongkai::table::HashSet;
    use gongkai::write::static_base;

    let tmp = tempfile::tempdir().unwrap();
    let original = many_docs(4200);
    let fingerprint = |docs: &[gongkai::search::SearchDoc]| -> Vec<(String, u64)> {
        docs.iter()
            .map(|d| {
                let json = serde_json::to_string(d).unwrap();
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::hash::Hash::hash(&json, &mut h);
                (d.url.clone(), std::hash::Hasher::finish(&h))
            })
            .collect()
    };
    // The base, kept beside its output as a build keeps it.
    let out = tmp.path().join("public");
    let stats = written_whole(&original, &out.join("search"));
    static_base::take_spares(&out, &out.join("search"));
    static_base::save(
        &out,
        &out.join("search"),
        stats.base.as_ref().unwrap(),
        &fingerprint(&original),
    );
    let base = static_base::load(&out).expect("the base just kept");

    // Two records changed, keeping their lengths (so the averages stay on their grid).
    let mut docs = original.clone();
    docs[3].title = std::iter::once('林')
        .chain(docs[3].title.chars().skip(1))
        .collect();
    docs[1000].body = docs[1000].body.replacen("政府", "法院", 2);
    let retitled = docs[3].clone();
    // Two copies added and two records of the same fixtures removed, so that the average
    // lengths stay where they were; one record renamed.
    for (copy_of, at, gone) in [(8usize, 1usize, 16usize), (9, 3, 4000)] {
        let mut copy = original[copy_of].clone();
        copy.url = format!("/copies/{copy_of}/");
        copy.slug = format!("copy-{copy_of}");
        docs.insert(at, copy);
        docs.retain(|d| d.url != original[gone].url);
    }
    docs[2500].url = "/renamed/".into();
    let current = fingerprint(&docs);
    let docs_at = |urls: &HashSet<String>| {
        Ok(docs
            .iter()
            .filter(|d| urls.contains(&d.url))
            .cloned()
            .collect())
    };
    let base_docs = |wanted: &[(&str, u64)]| {
        Some(
            wanted
                .iter()
                .map(|(u, _)| original.iter().find(|d| d.url == *u).unwrap().clone())
                .collect(),
        )
    };
    let delta = tmp.path().join("delta/search");
    let taken = try_delta(&DeltaInputs {
        base_dir: &base.dir,
        records: &base.records,
        fingerprints: &base.fingerprints,
        state: base.state.as_ref(),
        dir: &delta,
        current: &current,
        docs_at: &docs_at,
        base_docs: &base_docs,
    })
    .unwrap();
    assert!(taken.is_some(), "the changes are taken as a delta");
    for f in ["post-delta.bin", "docs-delta.bin"] {
        assert!(std::fs::metadata(delta.join(f)).unwrap().len() > 0, "{f}");
    }
    let cold = tmp.path().join("cold/search");
    written_whole(&docs, &cold);
    std::fs::remove_file(cold.join(gongkai::search::static_index::SPARES)).unwrap();
    assert_eq!(
        logical_files(&delta).unwrap(),
        logical_files(&cold).unwrap()
    );

    if !tools::available(
        "a_delta_answers_in_the_client_as_the_index_written_whole",
        &[tools::Need::Node],
    ) {
        return;
    }
    let agency = &docs[5].agency;
    let queries: Vec<Value> = QUERIES
        .iter()
        .copied()
        .chain(["法院", "政府", "法治政府建设"])
        .map(Value::from)
        .chain([
            serde_json::json!({"q": "政府", "categoryCounts": true}),
            serde_json::json!({"q": "政府", "agency": agency, "limit": 30}),
        ])
        .collect();
    let answers = |dir: &Path| -> Vec<Value> {
        run_client(dir, &queries)
            .into_iter()
            .map(|mut a| {
                // What the client fetched differs by the delta's list in meta.json.
                for k in ["requests", "bytes", "ms"] {
                    a.as_object_mut().unwrap().remove(k);
                }
                a
            })
            .collect()
    };
    let (got, want) = (answers(&delta), answers(&cold));
    for ((q, g), w) in queries.iter().zip(&got).zip(&want) {
        assert_eq!(g, w, "{q}");
    }
    let title = retitled.title.clone();
    let found = run_client(&delta, &[title.as_str()]);
    let slugs = hit_slugs(&found[0]);
    assert_eq!(
        slugs.first(),
        Some(&retitled.slug.as_str()),
        "{title}: {slugs:?}"
    );
}
