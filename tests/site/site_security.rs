//! What a built page may contain: links only with the schemes `url::check_url` allows,
//! whatever reaches the templates; URL attributes of the themes only through the `url`
//! filter.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::render::{self, theme::Theme, SearchHint};
use regex::Regex;
use scraper::{Html, Selector};

use crate::tree;

fn html_files(out: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Attributes whose value a browser reads as a URL to follow or fetch.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "data",
    "srcset",
    "xlink:href",
    "background",
    "ping",
    "manifest",
    "longdesc",
];

#[test]
fn every_url_attribute_of_the_theme_goes_through_the_url_filter() {
    let names = URL_ATTRIBUTES.join("|");
    let attr = Regex::new(&format!(
        r#"(?i)[\s"'](?:{names})\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#
    ))
    .unwrap();
    let one_filtered = Regex::new(r"^\{\{[^{}]*\|\s*url\s*\}\}$").unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut checked = 0;
    let mut bad = Vec::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap()
            .display()
            .to_string();
        for (i, line) in text.lines().enumerate() {
            for c in attr.captures_iter(line) {
                let value = c.get(1).or(c.get(2)).or(c.get(3)).unwrap().as_str();
                if !value.contains("{{") && !value.contains("{%") {
                    continue; // a fixed URL of the theme
                }
                checked += 1;
                // The whole value is one expression ending in `| url`: a literal before it
                // (`/{{ x | url }}` with x = `/evil.example`) could still make a link away.
                if !one_filtered.is_match(value) {
                    bad.push(format!("{rel}:{}: {}", i + 1, &c[0][1..]));
                }
            }
        }
    }
    assert!(
        checked >= 50,
        "only {checked} URL attributes with values found"
    );
    assert!(
        bad.is_empty(),
        "URL attributes rendered without the `url` filter (write `{{{{ expr | url }}}}`):\n{}",
        bad.join("\n")
    );
}

/// Every URL attribute of every page of `out` has a value `url::check_url` allows.
fn refused_links(out: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    let any = Selector::parse("*").unwrap();
    for file in html_files(out) {
        let doc = Html::parse_document(&fs::read_to_string(&file).unwrap());
        for el in doc.select(&any) {
            for (name, value) in el.value().attrs() {
                if URL_ATTRIBUTES.contains(&name) && !gongkai::text::url::url_is_allowed(value) {
                    bad.push(format!("{}: {name}={value:?}", file.display()));
                }
            }
        }
    }
    bad
}

#[test]
fn links_that_escape_validation_are_neutralised_in_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree::copy_tree(Path::new("tests/fixtures/basic"), root);
    let service = root.join("content/services/fgw/hz-001.yaml");
    let text = fs::read_to_string(&service).unwrap().replace(
        "status: active",
        "online_url: \"JaVaScRiPt:alert(1)\"\nstatus: active",
    );
    fs::write(&service, text).unwrap();
    // Open on the build date, so the page also shows the "查看征求意见稿" notice link.
    let decision = root.join("content/decisions/2025/plan.md");
    let text = fs::read_to_string(&decision).unwrap().replace(
        "consultation: {start: 2025-03-01, end: 2025-04-05}",
        "consultation: {start: 2025-05-01, end: 2025-06-30, url: \" java\\tscript:alert(2)\"}",
    );
    fs::write(&decision, text).unwrap();

    // `check` refuses both, so `build` would stop; render the pages regardless, as a broken
    // validator or a theme fed from elsewhere would.
    let outcome = gongkai::build::check(root).unwrap();
    let e027: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == "E027")
        .map(|d| d.file.display().to_string())
        .collect();
    assert_eq!(
        e027,
        [
            "content/decisions/2025/plan.md",
            "content/services/fgw/hz-001.yaml"
        ]
    );
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let derived = gongkai::derive::derive(&outcome.portal, &outcome.report_findings, today);
    let mut theme = Theme::load(root, "default").unwrap();
    let out = root.join("public");
    fs::create_dir_all(&out).unwrap();
    render::render(
        &outcome.portal,
        root,
        &derived,
        &mut theme,
        || Ok(SearchHint::default()),
        &render::Output::new(&out, &Default::default()),
        &|_, _| {},
    )
    .unwrap();

    let page = |url: &str| Html::parse_document(&fs::read_to_string(out.join(url)).unwrap());
    let links = |doc: &Html, css: &str| -> Vec<(String, String)> {
        doc.select(&Selector::parse(css).unwrap())
            .map(|a| {
                let href = a.value().attr("href").unwrap_or("").to_string();
                (a.text().collect::<String>(), href)
            })
            .collect()
    };
    let svc = page("services/fgw/hz-001/index.html");
    assert_eq!(
        links(&svc, "a[rel=external]"),
        [("JaVaScRiPt:alert(1)".to_string(), "#".to_string())]
    );
    let dec = page("decisions/2025/plan/index.html");
    let consultation: Vec<_> = links(&dec, "main a")
        .into_iter()
        .filter(|(text, _)| text.contains("征求意见稿"))
        .collect();
    assert_eq!(
        consultation,
        [
            ("查看征求意见稿并提出意见".to_string(), "#".to_string()),
            ("征求意见稿".to_string(), "#".to_string())
        ],
        "the notice and the consultation stage both link the consultation"
    );
    let bad = refused_links(&out);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A page whose body tries everything the policy forbids, by way of the Markdown renderer.
const HOSTILE_PAGE: &str = r#"---
title: 内容安全策略检查
---
正文<script>alert(1)</script>，<span style="color:red" onclick="alert(2)">红字</span>。

<div style="display:none"><img src=x onerror="alert(3)"></div>

[点我](javascript:alert(4)) [再点](JaVa&#9;ScRiPt:alert(5)) [外站](//evil.example/)
![图](https://other.example/a.png)

| 左 | 中 | 右 |
|:---|:--:|---:|
| 1 | 2 | 3 |
"#;

#[test]
fn every_page_carries_the_policy_and_nothing_inline() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    // A copy, so the build writes nothing (its search index) into the repository.
    tree::copy_tree(&demo.join("content"), &dir.path().join("content"));
    // The register fills a report of the demo.
    tree::copy_tree(&demo.join("requests"), &dir.path().join("requests"));
    fs::copy(demo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    fs::write(dir.path().join("content/pages/csp-check.md"), HOSTILE_PAGE).unwrap();
    let out = dir.path().join("public");
    gongkai::build::build(&gongkai::build::BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(out.clone()),
        today: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        progress: Box::new(gongkai::build::Silent),
    })
    .expect("the demo builds");

    let policy = gongkai::text::url::CONTENT_SECURITY_POLICY;
    let all = Selector::parse("*").unwrap();
    let head = Selector::parse("head > *").unwrap();
    let files = html_files(&out);
    assert!(files.len() > 200, "only {} pages", files.len());
    let mut bad = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&out).unwrap().display().to_string();
        let doc = Html::parse_document(&fs::read_to_string(file).unwrap());
        // Second in <head>, after the charset: a policy only covers what follows it.
        let first: Vec<_> = doc.select(&head).take(2).map(|e| e.value()).collect();
        let is_policy = first.get(1).is_some_and(|m| {
            m.name() == "meta"
                && m.attr("http-equiv") == Some("Content-Security-Policy")
                && m.attr("content") == Some(policy)
        });
        if first.first().and_then(|m| m.attr("charset")).is_none() || !is_policy {
            bad.push(format!("{rel}: no policy right after <meta charset>"));
        }
        for el in doc.select(&all) {
            let v = el.value();
            if v.name() == "script" && (v.attr("src").is_none() || el.text().next().is_some()) {
                bad.push(format!("{rel}: inline <script>"));
            }
            if v.name() == "style" {
                bad.push(format!("{rel}: <style> element"));
            }
            for (name, value) in v.attrs() {
                if name == "style" || name.starts_with("on") {
                    bad.push(format!("{rel}: <{} {name}={value:?}>", v.name()));
                }
            }
        }
    }
    bad.extend(refused_links(&out));
    assert!(bad.is_empty(), "{}", bad.join("\n"));

    // The hostile page did render its body (as text and classes), so it was checked.
    let page = fs::read_to_string(out.join("pages/csp-check/index.html")).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains(r#"<th class="align-center">中</th>"#),
        "{page}"
    );
}
