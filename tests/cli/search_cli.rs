//! `gongkai build` writes both search indexes, and `gongkai search` finds records by words that
//! occur only in their bodies, on a portal made of real government documents
//! (tests/fixtures/seeds-portal, from the texts in tests/fixtures/seeds).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::bin;
use crate::tools;
use crate::tree;

const FIXTURE: &str = "tests/fixtures/seeds-portal";

fn gongkai(args: &[&str], root: &Path) -> Output {
    bin::command()
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A built copy of the fixture.
fn built() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(Path::new(FIXTURE), dir.path());
    let out = gongkai(&["build", "--today", "2025-06-01"], dir.path());
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn search(root: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = gongkai(&all, root);
    assert!(
        out.status.success(),
        "search {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
        .as_array()
        .unwrap()
        .clone()
}

fn slugs(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["slug"].as_str().unwrap()).collect()
}

#[test]
fn the_fixture_passes_check() {
    let out = gongkai(&["check"], Path::new(FIXTURE));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("0 个错误"), "{stdout}");
}

#[test]
fn build_writes_both_indexes() {
    let dir = built();
    let root = dir.path();
    assert!(root.join("search-index/meta.json").is_file());
    for f in gongkai::search::static_index::FILES {
        assert!(root.join("public/search").join(f).is_file(), "{f}");
    }
    let meta: Value =
        serde_json::from_slice(&std::fs::read(root.join("public/search/meta.json")).unwrap())
            .unwrap();
    // Five documents, a power item, a report and two pages (the home page is not a record).
    assert_eq!(meta["docs"], 9, "{meta}");
    let kinds: Vec<&str> = meta["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["document", "page", "power", "report"]);
    // The search page loads the client and keeps a plain form for browsers without JS.
    let page = std::fs::read_to_string(root.join("public/search/index.html")).unwrap();
    assert!(page.contains(r#"<script type="module" src="/assets/search.js">"#));
    assert!(page.contains(r#"action="/search/" method="get""#));
    assert!(page.contains("<noscript>") && page.contains(r#"href="/documents/""#));
    // It carries the static index's geometry (rendered once the indexes are built, while
    // every other page is rendered alongside them).
    assert!(meta["pages"].as_u64().unwrap() > 0, "{meta}");
    let hint = format!(r#"data-pages="{}""#, meta["pages"]);
    assert!(page.contains(&hint), "{hint} not in the search page");
    let version = format!(r#"data-version="{}""#, meta["version"]);
    assert!(page.contains(&version), "{version} not in the search page");
    assert!(root.join("public/assets/search.js").is_file());
    // A second build swaps the tantivy index in again, leaving nothing temporary behind
    // (the site it replaced is kept as the next build's spare tree, a record for each of
    // the two trees says what it holds, the parse cache what was parsed, and the rows
    // record where the documents' catalogs hold each entry).
    let out = gongkai(&["build", "--today", "2025-06-01"], root);
    assert!(out.status.success());
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let tree_id = |dir: &str| {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(root.join(dir)).unwrap();
        format!("{}-{}", meta.dev(), meta.ino())
    };
    let records = [
        format!(".gongkai-public-manifest-{}", tree_id("public")),
        format!(
            ".gongkai-public-manifest-{}",
            tree_id(".gongkai-public-spare")
        ),
    ];
    for record in &records {
        assert!(names.contains(record), "{record} not in {names:?}");
    }
    let leftovers: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.starts_with('.')
                && !records.contains(n)
                && ![
                    ".gongkai-public-spare",
                    ".gongkai-public-static",
                    ".gongkai-public-parsed",
                    ".gongkai-public-rows",
                ]
                .contains(&n.as_str())
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(search(root, &["长白山管委会"]).len(), 1);
}

#[test]
fn words_found_only_in_bodies_find_their_documents() {
    let dir = built();
    for (q, slug) in [
        ("长白山管委会", "jlsheng-fzzf-indicators-2014"),
        ("径向市法制局反映", "jm-yfxz-2018"),
        ("清廉尚志", "szs-fzzf-plan-2016"),
        ("浙江省法治政府建设实施标准", "jx-fzzf-2014"),
        ("江城日报社", "jls-fzzf-2015"),
        ("不予行政许可决定书", "xk-001"),
        // Split over two lines of the source (重大建设 / 项目批准), as pasted from a PDF.
        ("重大建设项目批准", "jm-yfxz-2018"),
    ] {
        let hits = search(dir.path(), &[q]);
        assert!(!hits.is_empty(), "{q}: nothing found");
        assert_eq!(hits[0]["slug"], slug, "{q}: {:?}", slugs(&hits));
        let title = hits[0]["title"].as_str().unwrap();
        assert!(
            !title.contains(q),
            "{q} is in the title {title}: not a body test"
        );
        assert_eq!(hits[0]["tier"], "phrase", "{q}");
        let snippet = hits[0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{q}: {snippet}");
        for key in ["slug", "type", "url", "title", "score", "snippet"] {
            assert!(!hits[0][key].is_null(), "{q}: {key} missing");
        }
    }
}

#[test]
fn the_must_hold_cases_through_the_cli() {
    let dir = built();
    let root = dir.path();

    // 行政许可 finds the item whose text has 不予行政许可决定书.
    assert!(slugs(&search(root, &["行政许可"])).contains(&"xk-001"));

    // 政府信息公开年度报告 finds 政府信息公开工作年度报告, though not a contiguous phrase.
    let hits = search(root, &["政府信息公开年度报告"]);
    assert_eq!(hits[0]["type"], "report", "{:?}", slugs(&hits));
    assert_eq!(hits[0]["url"], "/reports/2024/jls/");

    // 吉林市 ranks the document about 吉林市 above the page about 吉林市场.
    let hits = search(root, &["吉林市"]);
    let s = slugs(&hits);
    let about = s.iter().position(|s| *s == "jls-fzzf-2015").unwrap();
    let market = s.iter().position(|s| *s == "market").unwrap();
    assert!(about < market, "{s:?}");

    // A document number puts its document first, whatever the brackets.
    for q in [
        "吉市政发〔2015〕6号",
        "吉市政发[2015]6号",
        "江府办（2018）7号",
    ] {
        let hits = search(root, &[q]);
        assert_eq!(hits[0]["tier"], "code", "{q}: {:?}", slugs(&hits));
    }
    assert_eq!(
        search(root, &["吉市政发〔2015〕6号"])[0]["slug"],
        "jls-fzzf-2015"
    );
    // So does an index number.
    assert_eq!(
        search(root, &["11220200795219742W/2015-04754"])[0]["slug"],
        "jls-fzzf-2015"
    );

    // 2015 finds the records containing 2015 and no other.
    let s: Vec<String> = slugs(&search(root, &["2015"]))
        .into_iter()
        .map(String::from)
        .collect();
    assert!(s.contains(&"jls-fzzf-2015".into()), "{s:?}");
    assert!(s.contains(&"szs-fzzf-plan-2016".into()), "{s:?}");
    assert!(!s.contains(&"market".into()), "{s:?}");

    // Full-width input is folded: ２０１５ is 2015.
    assert_eq!(
        slugs(&search(root, &["２０１５"])),
        slugs(&search(root, &["2015"]))
    );
}

#[test]
fn filters_and_limit() {
    let dir = built();
    let root = dir.path();
    let all = search(root, &["法治政府"]);
    assert!(all.len() >= 5, "{:?}", slugs(&all));
    let hits = search(root, &["法治政府", "--agency", "jlsheng"]);
    assert_eq!(slugs(&hits), ["jlsheng-fzzf-indicators-2014"]);
    let hits = search(root, &["法治政府", "--year", "2014"]);
    let mut s = slugs(&hits);
    s.sort();
    assert_eq!(s, ["jlsheng-fzzf-indicators-2014", "jx-fzzf-2014"]);
    assert!(search(root, &["法治政府", "--type", "power"]).is_empty());
    assert_eq!(
        search(root, &["行政", "--type", "power"])[0]["slug"],
        "xk-001"
    );
    assert_eq!(search(root, &["法治政府", "--limit", "2"]).len(), 2);
}

#[test]
fn text_output_for_people() {
    let dir = built();
    let out = gongkai(&["search", "长白山管委会"], dir.path());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(" 1. 吉林省人民政府关于印发吉林省法治政府建设指标体系的通知\n"),
        "{text}"
    );
    assert!(text.contains("    /documents/2014/jlsheng-fzzf-indicators-2014/\n"));
    assert!(text.contains("政府文件 · 吉林省人民政府 · 2014-09-20"));
    assert!(
        text.contains("【长白】") || text.contains("【长白山管委会】"),
        "{text}"
    );
    assert!(!text.contains("<mark>"), "{text}");

    let out = gongkai(&["search", "没有这样的词语组合"], dir.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("没有找到"));
}

#[test]
fn query_syntax_is_just_text() {
    let dir = built();
    for q in ["title:吉林", "\"依法行政", "(法治 -政府)", "*", "+-"] {
        let out = gongkai(&["search", q, "--json"], dir.path());
        assert!(
            out.status.success(),
            "{q}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The quote is a separator, not an unbalanced phrase operator.
    assert_eq!(
        slugs(&search(dir.path(), &["\"江城日报社"])),
        ["jls-fzzf-2015"]
    );
}

#[test]
fn searching_before_building_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(Path::new(FIXTURE), dir.path());
    let out = gongkai(&["search", "法治"], dir.path());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("gongkai build"));
}

/// The demo portal's first queries stay within the issue's budget (under 50 KB).
#[test]
fn demo_portal_first_queries_are_small() {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(Path::new("content"), &dir.path().join("content"));
    // The register fills a report of the demo.
    tree::copy_tree(Path::new("requests"), &dir.path().join("requests"));
    std::fs::copy("site.toml", dir.path().join("site.toml")).unwrap();
    let out = gongkai(&["build", "--today", "2026-06-01"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("public");
    let queries = [
        "政府",
        "行政许可",
        "示政发〔2025〕3号",
        "政府信息公开年度报告",
        "2025",
        "优化营商环境",
    ];
    for q in queries {
        let cost = gongkai::search::static_index::query_cost_of(&site, q).unwrap();
        assert!(cost.bytes < 50 * 1024, "{cost:?}");
        assert!(cost.round_trips <= 3, "{cost:?}");
        assert!(cost.requests > 3, "{cost:?}: a query that found nothing");
    }
    // The real client, with the hint the search page carries: every file it fetches.
    if !tools::available("demo_portal_first_queries_are_small", &[tools::Need::Node]) {
        return;
    }
    let out = Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/js/static_query.mjs"
        ))
        .arg(site.join("search"))
        .arg(serde_json::to_string(&queries).unwrap())
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for a in &answers {
        assert!(a["total"].as_u64().unwrap() > 0, "{a}");
        assert!(
            a["bytes"].as_u64().unwrap() < 50 * 1024,
            "{}: {}",
            a["q"],
            a["bytes"]
        );
        assert!(
            a["round_trips"].as_u64().unwrap() <= 3,
            "{}: {}",
            a["q"],
            a["round_trips"]
        );
    }
}

/// `--category` keeps the documents of one 主题分类 or 体裁; the text and `--format json`
/// give the number of matches and the matches per category, whatever the filter.
#[test]
fn a_category_narrows_the_results_and_each_is_counted() {
    let dir = built();
    let root = dir.path();
    let answer = |args: &[&str]| -> Value {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let out = gongkai(&all, root);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
    };
    let counts = serde_json::json!([
        ["综合政务", 4],
        ["意见", 2],
        ["通知", 2],
        ["司法", 1],
        ["方案", 1]
    ]);
    let all = answer(&["法治政府"]);
    assert_eq!(all["total"], 6, "{all}");
    assert_eq!(all["categories"], counts, "{all}");
    assert_eq!(all["category"], Value::Null);
    assert_eq!(all["hits"].as_array().unwrap().len(), 6);

    let opinions = answer(&["法治政府", "--category", "意见"]);
    assert_eq!(opinions["total"], 2, "{opinions}");
    assert_eq!(opinions["category"], "意见");
    // The counts are of all the matches, so the reader sees where else to look.
    assert_eq!(opinions["categories"], counts, "{opinions}");
    let mut s = slugs(opinions["hits"].as_array().unwrap());
    s.sort();
    assert_eq!(s, ["jls-fzzf-2015", "jx-fzzf-2014"]);
    // --json still prints the hits alone, filtered the same way.
    let hits = search(root, &["法治政府", "--category", "意见"]);
    assert_eq!(hits.len(), 2);
    // A power item has no category: with one chosen, only documents are found.
    assert!(search(root, &["行政许可", "--category", "司法"])
        .iter()
        .all(|h| h["type"] == "document"));

    let out = gongkai(&["search", "法治政府"], root);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\n共 6 条结果\n"), "{text}");
    assert!(
        text.contains("按分类（全部结果）：综合政务 4、意见 2、通知 2、司法 1、方案 1"),
        "{text}"
    );
    let out = gongkai(&["search", "法治政府", "--category", "没有这个分类"], root);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("在分类“没有这个分类”中没有找到与“法治政府”相关的内容。"),
        "{text}"
    );
    let unknown = answer(&["法治政府", "--category", "没有这个分类"]);
    assert_eq!(unknown["total"], 0);
    assert_eq!(unknown["hits"], serde_json::json!([]));
}

/// An index written before documents' categories were indexed is refused with the advice
/// to rebuild, not read as if no document had a category.
#[test]
fn an_index_of_an_older_version_is_refused() {
    let dir = built();
    let root = dir.path();
    let index = root.join("search-index");
    std::fs::remove_dir_all(&index).unwrap();
    std::fs::create_dir(&index).unwrap();
    // The previous schema's mark, without the categories field.
    let mut schema = tantivy::schema::Schema::builder();
    let version = schema.add_text_field("version", tantivy::schema::STRING);
    let old = tantivy::Index::create_in_dir(&index, schema.build()).unwrap();
    let mut writer: tantivy::IndexWriter = old.writer(15_000_000).unwrap();
    writer
        .add_document(tantivy::doc!(version => "gongkai-search-4"))
        .unwrap();
    writer.commit().unwrap();
    let out = gongkai(&["search", "法治政府"], root);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("不是这个版本的 gongkai 生成的"), "{err}");
}
