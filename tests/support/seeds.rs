//! Test fixture: the seed documents in tests/fixtures/seeds (public government documents,
//! as published) parsed into `SearchDoc`s, plus a few small records for the must-hold
//! ranking cases.

#![allow(dead_code)]

use std::path::PathBuf;

use gongkai::search::SearchDoc;
use regex::Regex;

pub fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

/// Parses one seed: an optional metadata block (索引号, 分类, 发文机关, 成文日期, 标题,
/// 发文字号, 发布日期, tab separated), then the text. Missing fields are guessed from the
/// text (title: the first line with 关于; 发文字号: the first 〔year〕 number).
pub fn parse_seed(id: u32, name: &str, text: &str) -> SearchDoc {
    let field = |label: &str| -> Option<String> {
        let re = Regex::new(&format!(r"{label}:\s*([^\t\n]+)")).unwrap();
        re.captures(text)
            .map(|c| c[1].trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let title = field("标题").unwrap_or_else(|| {
        text.lines()
            .map(str::trim)
            .find(|l| l.contains("关于") && l.chars().count() < 60)
            .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()))
            .unwrap_or(name)
            .to_string()
    });
    let doc_no = field("发文字号").or_else(|| {
        Regex::new(r"[\p{Han}]{1,8}〔\d{4}〕\d+号")
            .unwrap()
            .find(text)
            .map(|m| m.as_str().to_string())
    });
    let index_no = field("索引号");
    let date = field("成文日期")
        .or_else(|| field("发布日期"))
        .and_then(|d| {
            let c = Regex::new(r"(\d{4})\D(\d{1,2})\D(\d{1,2})")
                .unwrap()
                .captures(&d)?;
            Some(format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]))
        });
    let year = date
        .as_deref()
        .and_then(|d| d[..4].parse().ok())
        .or_else(|| {
            let c = Regex::new(r"〔(\d{4})〕")
                .unwrap()
                .captures(doc_no.as_deref()?)?;
            c[1].parse().ok()
        });
    let agency_name = field("发文机关").unwrap_or_default();
    let body_start = text
        .find("发布日期:")
        .map_or(0, |i| text[i..].find('\n').map_or(text.len(), |j| i + j));
    let slug = name.trim_end_matches(".txt").to_string();
    SearchDoc {
        id,
        url: format!("/documents/{slug}/"),
        slug,
        kind: "document".into(),
        title,
        body: text[body_start..].trim().to_string(),
        agency: if agency_name.is_empty() {
            String::new()
        } else {
            "jls".into()
        },
        agency_name,
        year,
        codes: index_no.into_iter().chain(doc_no).collect(),
        date,
        categories: Vec::new(),
    }
}

/// The seed documents, in file-name order, ids 0..n.
pub fn seed_docs() -> Vec<SearchDoc> {
    let mut names: Vec<_> = std::fs::read_dir(seeds_dir())
        .expect("seed directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    names
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = std::fs::read_to_string(p).unwrap();
            parse_seed(i as u32, &p.file_name().unwrap().to_string_lossy(), &text)
        })
        .collect()
}

fn small(id: u32, slug: &str, kind: &str, title: &str, body: &str, year: i32) -> SearchDoc {
    SearchDoc {
        id,
        slug: slug.into(),
        kind: kind.into(),
        url: format!("/{kind}/{slug}/"),
        title: title.into(),
        body: body.into(),
        agency: "sfj".into(),
        agency_name: "示例市司法局".into(),
        year: Some(year),
        codes: Vec::new(),
        date: Some(format!("{year}-03-01")),
        categories: Vec::new(),
    }
}

/// The seeds plus records for the ranking cases: a 行政许可 decision form, an annual
/// report with 工作 inside its title phrase, and a record that only mentions 吉林市场.
pub fn fixture_docs() -> Vec<SearchDoc> {
    let mut docs = seed_docs();
    // 主题分类 and 体裁 as a portal writes them, one of them twice (it counts once).
    for (d, categories) in docs.iter_mut().zip([
        &["司法", "意见"][..],
        &["综合政务", "通知"],
        &["综合政务", "通知", "综合政务"],
        &["综合政务", "意见"],
        &["综合政务", "方案"],
    ]) {
        d.categories = categories.iter().map(|c| c.to_string()).collect();
    }
    let n = docs.len() as u32;
    docs.push(small(
        n,
        "power-xk-001",
        "power",
        "食品经营许可",
        "申请材料不齐全的，出具不予行政许可决定书并说明理由。",
        2021,
    ));
    docs.push(small(
        n + 1,
        "report-2023",
        "report",
        "示例市司法局2023年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》编制。",
        2024,
    ));
    docs.push(small(
        n + 2,
        "page-market",
        "page",
        "农贸市场名录",
        "本市农贸市场包括东市场、西市场、吉林市场等，营业时间为每日六时至十八时。",
        2022,
    ));
    docs
}
