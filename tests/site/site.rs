//! Builds fixture portals and asserts on the pages, as a visitor (or a link checker) would.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::build::{build, BuildOptions, BuildReport};

use scraper::{Html, Selector};

use crate::tree;

const FIXTURE: &str = "tests/fixtures/basic";

/// A private copy of the fixture portal, so tests may modify it.
fn portal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(Path::new(FIXTURE), dir.path());
    dir
}

fn build_at(root: &Path, out: &Path) -> Result<BuildReport, gongkai::build::BuildFailure> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        today: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        progress: Box::new(gongkai::build::Silent),
    })
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = portal();
    let out = dir.path().join("public");
    build_at(dir.path(), &out).expect("fixture builds");
    (dir, out)
}

fn page(out: &Path, url: &str) -> Html {
    let file = out.join(url.trim_start_matches('/')).join("index.html");
    Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn html_files(out: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn document_page_opens_with_the_catalog_block() {
    let (_dir, out) = built();
    let doc = page(&out, "/documents/2025/doc-3/");
    let heads = texts(&doc, ".catalog-meta-table th");
    for label in [
        "索引号",
        "分类",
        "发文机关",
        "成文日期",
        "标题",
        "发文字号",
        "发布日期",
    ] {
        assert!(
            heads.iter().any(|h| h == label),
            "missing {label} in {heads:?}"
        );
    }
    let cells = texts(&doc, ".catalog-meta-table td");
    assert!(
        cells.contains(&"11990000000001011Q/2025-00003".to_string()),
        "{cells:?}"
    );
    assert!(
        cells.contains(&"测政发〔2025〕3号".to_string()),
        "{cells:?}"
    );
    assert!(cells.contains(&"2025-05-03".to_string()));
    assert_eq!(texts(&doc, "h1"), vec!["测试市人民政府关于第3项工作的通知"]);
}

#[test]
fn normative_documents_show_validity() {
    let (_dir, out) = built();
    let doc = page(&out, "/documents/2024/rule/");
    let cells = texts(&doc, ".catalog-meta-table td");
    // 暂行 → two years from publication.
    assert!(cells.contains(&"2026-03-04".to_string()), "{cells:?}");
    assert!(cells.contains(&"有效".to_string()));
    assert!(cells.contains(&"测规〔2024〕001".to_string()));
    assert_eq!(texts(&doc, "#h-att + ul a"), vec!["附件：申请表"]);
    assert!(out.join("attachments/form.txt").is_file());
}

#[test]
fn agency_page_lists_its_records() {
    let (_dir, out) = built();
    let doc = page(&out, "/agencies/fgw/");
    let power = texts(&doc, "#h-power ~ ul.item-list a");
    assert!(power.contains(&"企业投资项目核准".to_string()), "{power:?}");
    assert!(power.contains(&"对以不正当手段取得项目核准的处罚".to_string()));
    let gov = page(&out, "/agencies/gov/");
    let office = texts(&gov, "#h-office ~ dl dd");
    assert!(office.contains(&"0990-1000001".to_string()), "{office:?}");
    assert!(texts(&gov, "#h-reports ~ ul a").contains(&"2024年度报告".to_string()));
}

#[test]
fn items_show_every_field() {
    let (_dir, out) = built();
    let p = page(&out, "/power/fgw/xk-001/");
    assert_eq!(
        texts(&p, "ol.flow .step-name"),
        vec!["受理", "审查", "决定"]
    );
    assert!(texts(&p, ".basis li").iter().any(|t| t.contains("第三条")));
    assert!(texts(&p, "#h-svc + ul a").contains(&"企业投资项目核准办理".to_string()));
    let s = page(&out, "/services/fgw/hz-001/");
    let materials = texts(&s, "#h-mat ~ .table-wrap tbody th");
    assert_eq!(materials, vec!["项目申请报告"]);
    let links: Vec<_> = s
        .select(&Selector::parse("#h-mat ~ .table-wrap tbody a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links, vec!["/attachments/form.txt"]);
    // A service's own log of changes, oldest first, as a power item's.
    assert_eq!(
        texts(&s, "#h-changes ~ .table-wrap tbody td:nth-child(2)"),
        vec!["新增", "调整"]
    );
    assert!(texts(&s, "#h-changes ~ .table-wrap tbody td")
        .iter()
        .any(|t| t.contains("承诺时限由15个工作日压缩为10个工作日")));
}

#[test]
fn decisions_show_stages_in_order() {
    let (_dir, out) = built();
    let d = page(&out, "/decisions/2025/plan/");
    assert_eq!(
        texts(&d, ".timeline .stage"),
        vec![
            "公众参与（征求意见）",
            "合法性审查",
            "集体讨论决定",
            "决策公布"
        ]
    );
}

#[test]
fn lists_paginate_linearly() {
    let (_dir, out) = built();
    // Five 2025 documents at two per page: pages 1, 2 and 3, the last with one row.
    let first = page(&out, "/documents/2025/");
    assert_eq!(texts(&first, "table.doc-list tbody tr").len(), 2);
    let last = page(&out, "/documents/2025/page/3/");
    assert_eq!(texts(&last, "table.doc-list tbody tr").len(), 1);
    assert!(!out.join("documents/2025/page/4").exists());
    assert!(texts(&last, ".pager a[rel=prev]").len() == 1);
    // Newest first across pages.
    assert!(texts(&first, "table.doc-list tbody th a")[0].contains("第5项"));
}

#[test]
fn every_page_is_chinese_accessible_and_self_contained() {
    let (_dir, out) = built();
    let files = html_files(&out);
    assert!(files.len() > 30, "{}", files.len());
    let any_src = Selector::parse("[src]").unwrap();
    let links = Selector::parse("link[href]").unwrap();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let doc = Html::parse_document(&text);
        assert!(text.contains("<html lang=\"zh-CN\">"), "{}", f.display());
        for landmark in ["<header", "<nav", "<main", "<footer"] {
            assert!(text.contains(landmark), "{} lacks {landmark}", f.display());
        }
        assert!(text.contains("网站标识码：9900000001"), "{}", f.display());
        assert!(text.contains("测ICP备00000001号"));
        for el in doc.select(&any_src) {
            let src = el.value().attr("src").unwrap();
            assert!(src.starts_with('/'), "{}: external src {src}", f.display());
        }
        for el in doc.select(&links) {
            let rel = el.value().attr("rel").unwrap_or("");
            let href = el.value().attr("href").unwrap();
            if rel != "canonical" {
                assert!(
                    href.starts_with('/'),
                    "{}: link to another host {href}",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn every_internal_link_resolves() {
    let (_dir, out) = built();
    let anchors = Selector::parse("a[href]").unwrap();
    for f in html_files(&out) {
        let doc = Html::parse_document(&fs::read_to_string(&f).unwrap());
        for a in doc.select(&anchors) {
            let href = a.value().attr("href").unwrap();
            if !href.starts_with('/') {
                continue;
            }
            let path = href.split(['?', '#']).next().unwrap();
            let target = out.join(path.trim_start_matches('/'));
            let ok = target.is_file() || target.join("index.html").is_file();
            assert!(ok, "{} links to missing {href}", f.display());
        }
    }
}

#[test]
fn a_portal_without_themes_builds_with_the_embedded_theme() {
    let (dir, out) = built();
    assert!(!dir.path().join("themes").exists());
    assert!(out.join("assets/style.css").is_file());
    assert!(out.join("404.html").is_file());
    assert!(out.join("sitemap.xml").is_file());
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://test.example.gov.cn/documents/2025/doc-1/</loc>"));
}

#[test]
fn a_theme_override_replaces_the_builtin_template() {
    let dir = portal();
    let tpl = dir.path().join("themes/default/templates");
    fs::create_dir_all(&tpl).unwrap();
    fs::write(
        tpl.join("page.html"),
        "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">自定义模板：{{ page.title }}</p>{% endblock content %}",
    )
    .unwrap();
    let out = dir.path().join("public");
    build_at(dir.path(), &out).unwrap();
    let p = page(&out, "/pages/guide/");
    assert_eq!(texts(&p, "#custom"), vec!["自定义模板：政府信息公开指南"]);
    // Other templates stay built-in.
    assert_eq!(
        texts(&page(&out, "/documents/2025/doc-1/"), ".catalog-meta-table").len(),
        1
    );
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let dir = portal();
    let out = dir.path().join("public");
    build_at(dir.path(), &out).unwrap();
    let before = fs::read_to_string(out.join("index.html")).unwrap();
    fs::write(
        dir.path().join("content/documents/2025/doc-1.md"),
        "---\ntitle: [unclosed\n---\nbody\n",
    )
    .unwrap();
    let fail = build_at(dir.path(), &out).unwrap_err();
    assert!(fail.diagnostics.iter().any(|d| d.is_error()));
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), before);
    assert!(out.join("documents/2025/doc-1/index.html").is_file());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The record of the site in place stays: it says what that site holds; so do
        // the static index's base, which its search index builds on, the parse cache of
        // the build that made it and where its catalogs hold each document's entry.
        .filter(|n| {
            n.starts_with(".gongkai-")
                && !n.starts_with(".gongkai-public-manifest-")
                && !n.ends_with("-static")
                && !n.ends_with("-parsed")
                && !n.ends_with("-rows")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary trees left behind: {leftovers:?}"
    );
}

#[test]
fn a_rebuild_replaces_the_site_whole() {
    let dir = portal();
    let out = dir.path().join("public");
    build_at(dir.path(), &out).unwrap();
    // The second build keeps the first one's site as its spare tree, which the third
    // rewrites: the page of a record deleted in between must not survive either.
    build_at(dir.path(), &out).unwrap();
    let docs = |out: &Path| -> u64 {
        let meta = fs::read_to_string(out.join("search/meta.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&meta).unwrap()["docs"]
            .as_u64()
            .unwrap()
    };
    let indexed = docs(&out);
    let spare = dir.path().join(".gongkai-public-spare");
    assert!(spare.join("documents/2025/doc-5/index.html").is_file());
    fs::remove_file(dir.path().join("content/documents/2025/doc-5.md")).unwrap();
    let report = build_at(dir.path(), &out).unwrap();
    assert!(
        !out.join("documents/2025/doc-5").exists(),
        "stale page survived"
    );
    assert!(out.join("documents/2025/doc-4/index.html").is_file());
    assert_eq!(docs(&out), indexed - 1, "the search index is the new one");
    assert!(
        report.summary().contains("政府文件 5"),
        "{}",
        report.summary()
    );
}

#[test]
fn a_folder_of_attachments_may_become_a_file_and_back() {
    let dir = portal();
    let out = dir.path().join("public");
    let statics = dir.path().join("content/static");
    fs::create_dir_all(statics.join("notices")).unwrap();
    fs::write(statics.join("notices/a.txt"), "a").unwrap();
    build_at(dir.path(), &out).unwrap();
    build_at(dir.path(), &out).unwrap();
    // The spare tree now holds the folder `notices/` where the next builds write a file.
    fs::remove_dir_all(statics.join("notices")).unwrap();
    fs::write(statics.join("notices"), "now a file").unwrap();
    for _ in 0..3 {
        build_at(dir.path(), &out).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
        assert_eq!(
            fs::read_to_string(out.join("notices")).unwrap(),
            "now a file"
        );
    }
    fs::remove_file(statics.join("notices")).unwrap();
    fs::create_dir_all(statics.join("notices")).unwrap();
    fs::write(statics.join("notices/b.txt"), "b").unwrap();
    for _ in 0..3 {
        build_at(dir.path(), &out).unwrap_or_else(|e| panic!("{:?}", e.diagnostics));
        assert_eq!(fs::read_to_string(out.join("notices/b.txt")).unwrap(), "b");
    }
    assert!(out.join("documents/2025/doc-4/index.html").is_file());
}

#[test]
fn the_generated_names_are_the_ones_static_files_may_not_use() {
    let (dir, out) = built();
    let statics: Vec<String> = fs::read_dir(dir.path().join("content/static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for entry in fs::read_dir(&out).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if statics.contains(&name) {
            continue;
        }
        let listed = if entry.file_type().unwrap().is_dir() {
            gongkai::model::urls::GENERATED_FOLDERS.contains(&name.as_str())
        } else {
            gongkai::model::urls::GENERATED_FILES.contains(&name.as_str())
        };
        assert!(
            listed,
            "the build writes `{name}`, missing from urls::GENERATED_*"
        );
    }
    for name in gongkai::model::urls::GENERATED_FOLDERS {
        assert!(
            out.join(name).is_dir(),
            "`{name}/` is listed but not written"
        );
    }
    for name in gongkai::model::urls::GENERATED_FILES {
        assert!(
            out.join(name).is_file(),
            "`{name}` is listed but not written"
        );
    }
}

#[test]
fn the_output_may_not_replace_the_portal() {
    let dir = portal();
    let err = build_at(dir.path(), &dir.path().join("content")).unwrap_err();
    assert_eq!(err.diagnostics[0].code, "E025", "{:?}", err.diagnostics);
    assert!(dir.path().join("content/index.md").is_file());
}

#[test]
fn downloads_and_feeds_are_written() {
    let (_dir, out) = built();
    let csv = fs::read(out.join("documents/catalog.csv")).unwrap();
    assert_eq!(
        &csv[..3],
        b"\xEF\xBB\xBF",
        "CSV starts with a BOM for Excel"
    );
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("索引号,标题,发文机关"));
    assert_eq!(text.lines().count(), 7);
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("documents/catalog.json")).unwrap())
            .unwrap();
    let json = json.as_array().unwrap();
    assert_eq!(json.len(), 6);
    assert!(json
        .iter()
        .any(|d| d["url"] == "https://test.example.gov.cn/documents/2025/doc-5/"));
    let atom = fs::read_to_string(out.join("documents/atom.xml")).unwrap();
    assert!(atom.contains("https://test.example.gov.cn/documents/2025/doc-5/"));
}

#[test]
fn a_policy_and_its_interpretation_link_to_each_other() {
    let dir = portal();
    fs::write(
        dir.path().join("content/documents/2024/rule-jiedu.md"),
        "---\ntitle: 《测试市企业投资项目管理暂行办法》政策解读\nagency: fgw\n\
         index_no: 1199000000000102XG/2024-00002\nwritten: 2024-03-05\npublished: 2024-03-06\n\
         interprets: rule\ninterpretation: 图文解读\n---\n解读正文。\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    build_at(dir.path(), &out).expect("builds");
    let rule = page(&out, "/documents/2024/rule/");
    assert_eq!(
        texts(&rule, "#h-interp + ul a"),
        ["《测试市企业投资项目管理暂行办法》政策解读"]
    );
    let href = |doc: &Html, css: &str| -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        doc.select(&sel)
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(
        href(&rule, "#h-interp + ul a"),
        ["/documents/2024/rule-jiedu/"]
    );
    let jiedu = page(&out, "/documents/2024/rule-jiedu/");
    assert_eq!(href(&jiedu, ".interprets a"), ["/documents/2024/rule/"]);
    assert!(texts(&jiedu, ".interprets")[0].contains("图文解读"));
    // The catalog filtered to interpretations holds it and nothing else.
    let list = page(&out, "/documents/interpretations/");
    assert_eq!(
        href(&list, "table a[href^='/documents/20']"),
        ["/documents/2024/rule-jiedu/"]
    );
    let index = page(&out, "/documents/");
    assert_eq!(
        href(&index, ".filter-links a"),
        ["/documents/interpretations/"]
    );
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/documents/interpretations/</loc>"));
    // The notice board states the rule with the portal's number of working days.
    let board = fs::read_to_string(out.join("deadlines/index.html")).unwrap();
    assert!(board.contains("政策解读应在所解读文件发布后 3 个工作日内发布"));
    let catalog: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("documents/catalog.json")).unwrap()).unwrap();
    let flagged: Vec<&str> = catalog
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["is_interpretation"] == true)
        .map(|d| d["slug"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, ["rule-jiedu"]);
}
