//! The demo portal's data for machines, read back as a journalist's script would: every
//! catalog's CSV and JSON, for the portal and for each agency, compared with the records the
//! content files hold.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use gongkai::build::{build, BuildOptions};
use gongkai::model::{Kind, Portal};
use gongkai::render::catalogs::{csv_header, AGENCY_KINDS, CATALOG_KINDS};
use scraper::{Html, Selector};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::tree;

fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The demo, built once for every test here (into a copy: the build writes nothing into the
/// repository), and its records as loaded.
struct Demo {
    _dir: tempfile::TempDir,
    out: PathBuf,
    portal: Portal,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        tree::copy_tree(&demo_root().join("content"), &dir.path().join("content"));
        tree::copy_tree(&demo_root().join("requests"), &dir.path().join("requests"));
        fs::copy(demo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
        let out = dir.path().join("public");
        build(&BuildOptions {
            root: dir.path().to_path_buf(),
            output: Some(out.clone()),
            today: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            progress: Box::new(gongkai::build::Silent),
        })
        .expect("the demo builds");
        let portal = gongkai::load::load(dir.path()).unwrap().portal;
        Demo {
            _dir: dir,
            out,
            portal,
        }
    })
}

/// A CSV download: it starts with a BOM, then its header and rows.
fn read_csv(out: &Path, url: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes =
        fs::read(out.join(url.trim_start_matches('/'))).unwrap_or_else(|e| panic!("{url}: {e}"));
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "{url} starts with a BOM for Excel"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn read_json(out: &Path, url: &str) -> Vec<Value> {
    let text = fs::read_to_string(out.join(url.trim_start_matches('/')))
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap_or_else(|| panic!("{url} is an array"))
        .clone()
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// An entry of a JSON download, read as the content file's own type, must say what the file
/// says: the keys the download adds around it are ignored by the reading.
fn same_as_records<T: DeserializeOwned + Serialize>(entries: &[Value], records: Vec<(&str, &T)>) {
    let by_slug: BTreeMap<&str, &T> = records.into_iter().collect();
    for e in entries {
        let slug = e["slug"].as_str().unwrap();
        let read: T =
            serde_json::from_value(e.clone()).unwrap_or_else(|err| panic!("{slug}: {err}"));
        let want = by_slug
            .get(slug)
            .unwrap_or_else(|| panic!("{slug} is not a record"));
        assert_eq!(
            serde_json::to_value(&read).unwrap(),
            serde_json::to_value(want).unwrap(),
            "{slug}"
        );
    }
}

#[test]
fn every_catalog_downloads_as_csv_and_json_that_read_back_as_its_records() {
    let d = demo();
    let p = &d.portal;
    for kind in CATALOG_KINDS {
        let csv_url = format!("/{}/catalog.csv", kind.folder());
        let (header, rows) = read_csv(&d.out, &csv_url);
        assert_eq!(header, csv_header(kind), "{csv_url}");
        let json = read_json(&d.out, &format!("/{}/catalog.json", kind.folder()));
        assert_eq!(rows.len(), p.count(kind), "{csv_url}: one row per record");
        assert_eq!(json.len(), p.count(kind), "{kind:?}: one entry per record");
        assert!(p.count(kind) > 0, "the demo has records of {kind:?}");
        // Row for row, the CSV and the JSON are the same records in the same order.
        let link = column(&header, "链接");
        for (row, e) in rows.iter().zip(&json) {
            assert_eq!(row[link], e["url"].as_str().unwrap(), "{csv_url}");
            assert_eq!(e["record_type"], kind.name());
        }
        // Every record's page is one that the site has.
        for e in &json {
            let url = e["url"].as_str().unwrap();
            let path = url.strip_prefix("https://www.example.gov.cn/").unwrap();
            assert!(d.out.join(path).join("index.html").is_file(), "{url}");
        }
        match kind {
            Kind::Power => {
                same_as_records(
                    &json,
                    p.power
                        .iter()
                        .map(|r| (r.meta.slug.as_str(), &r.data))
                        .collect(),
                );
                let code = column(&header, "事项编码");
                let mut want: Vec<_> = p.power.iter().map(|r| r.data.code.clone()).collect();
                let mut got: Vec<_> = rows.iter().map(|r| r[code].clone()).collect();
                want.sort();
                got.sort();
                assert_eq!(got, want);
            }
            Kind::Service => {
                same_as_records(
                    &json,
                    p.services
                        .iter()
                        .map(|r| (r.meta.slug.as_str(), &r.data))
                        .collect(),
                );
                let name = column(&header, "事项名称");
                let mut want: Vec<_> = p.services.iter().map(|r| r.data.name.clone()).collect();
                let mut got: Vec<_> = rows.iter().map(|r| r[name].clone()).collect();
                want.sort();
                got.sort();
                assert_eq!(got, want);
            }
            Kind::Decision => {
                same_as_records(
                    &json,
                    p.decisions
                        .iter()
                        .map(|r| (r.meta.slug.as_str(), &r.data))
                        .collect(),
                );
                let title = column(&header, "决策事项");
                let mut want: Vec<_> = p.decisions.iter().map(|r| r.data.title.clone()).collect();
                let mut got: Vec<_> = rows.iter().map(|r| r[title].clone()).collect();
                want.sort();
                got.sort();
                assert_eq!(got, want);
            }
            Kind::Document => {
                same_as_records(
                    &json,
                    p.documents
                        .iter()
                        .map(|r| (r.meta.slug.as_str(), &r.data))
                        .collect(),
                );
                let (index_no, published) =
                    (column(&header, "索引号"), column(&header, "发布日期"));
                let mut want: Vec<_> = p
                    .documents
                    .iter()
                    .map(|r| (r.data.index_no.clone(), r.data.published.to_string()))
                    .collect();
                let mut got: Vec<_> = rows
                    .iter()
                    .map(|r| (r[index_no].clone(), r[published].clone()))
                    .collect();
                want.sort();
                got.sort();
                assert_eq!(got, want);
                for e in &json {
                    assert_eq!(
                        e["first_published"], e["published"],
                        "a document's first publication is its 发布日期"
                    );
                }
            }
            Kind::Agency => {
                same_as_records(
                    &json,
                    p.agencies
                        .iter()
                        .map(|r| (r.meta.slug.as_str(), &r.data))
                        .collect(),
                );
                let (code, credit) = (
                    column(&header, "机关代号"),
                    column(&header, "统一社会信用代码"),
                );
                let want: Vec<_> = p
                    .agencies
                    .iter()
                    .map(|r| (r.meta.slug.clone(), r.data.credit_code.clone()))
                    .collect();
                let got: Vec<_> = rows
                    .iter()
                    .map(|r| (r[code].clone(), r[credit].clone()))
                    .collect();
                assert_eq!(got, want, "agencies in the portal's order");
            }
            Kind::Report => {
                // A report's slug is its agency: read them by their page instead.
                let by_url: BTreeMap<String, &gongkai::model::Report> = p
                    .reports
                    .iter()
                    .map(|r| {
                        (
                            format!(
                                "https://www.example.gov.cn{}",
                                gongkai::model::urls::record(Kind::Report, &r.meta)
                            ),
                            &r.data,
                        )
                    })
                    .collect();
                for e in &json {
                    let want = by_url[e["url"].as_str().unwrap()];
                    let read: gongkai::model::Report = serde_json::from_value(e.clone()).unwrap();
                    assert_eq!(
                        serde_json::to_value(&read).unwrap(),
                        serde_json::to_value(want).unwrap()
                    );
                }
                let (year, agency, published) = (
                    column(&header, "年度"),
                    column(&header, "机关代号"),
                    column(&header, "发布日期"),
                );
                let mut want: Vec<_> = p
                    .reports
                    .iter()
                    .map(|r| {
                        (
                            r.meta.year.unwrap().to_string(),
                            r.meta.folder_agency.clone().unwrap(),
                            r.data.published.map(|d| d.to_string()).unwrap_or_default(),
                        )
                    })
                    .collect();
                let mut got: Vec<_> = rows
                    .iter()
                    .map(|r| (r[year].clone(), r[agency].clone(), r[published].clone()))
                    .collect();
                want.sort();
                got.sort();
                assert_eq!(got, want);
            }
            Kind::Page | Kind::Calendar => unreachable!(),
        }
    }
}

#[test]
fn each_agency_downloads_exactly_its_own_records_of_every_catalog() {
    let d = demo();
    for kind in AGENCY_KINDS {
        let (_, all) = read_csv(&d.out, &format!("/{}/catalog.csv", kind.folder()));
        let mut whole: Vec<Vec<String>> = Vec::new();
        let mut agencies_with_records = 0;
        for a in &d.portal.agencies {
            let slug = &a.meta.slug;
            let url = format!("/agencies/{slug}/{}.csv", kind.folder());
            let (header, rows) = read_csv(&d.out, &url);
            assert_eq!(header, csv_header(kind), "{url}");
            let json = read_json(&d.out, &format!("/agencies/{slug}/{}.json", kind.folder()));
            assert_eq!(json.len(), rows.len(), "{url}");
            let code = column(
                &header,
                match kind {
                    Kind::Power | Kind::Service => "实施机关代号",
                    Kind::Decision => "决策机关代号",
                    Kind::Document => "发文机关代号",
                    _ => "机关代号",
                },
            );
            for r in &rows {
                assert_eq!(&r[code], slug, "{url} holds only its agency's records");
            }
            agencies_with_records += usize::from(!rows.is_empty());
            whole.extend(rows);
        }
        assert!(
            agencies_with_records > 1,
            "{kind:?}: several agencies publish"
        );
        let mut all = all;
        all.sort();
        whole.sort();
        assert_eq!(
            whole, all,
            "{kind:?}: the agencies' files make the portal's"
        );
    }
}

fn links(doc: &Html) -> Vec<String> {
    let sel = Selector::parse("a[href]").unwrap();
    doc.select(&sel)
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

fn page_of(out: &Path, path: &str) -> Html {
    page(out, &format!("/{path}"))
}

fn page(out: &Path, url: &str) -> Html {
    let file = out.join(url.trim_start_matches('/')).join("index.html");
    Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

#[test]
fn catalog_pages_link_their_downloads() {
    let d = demo();
    for kind in CATALOG_KINDS {
        let section = format!("/{}/", kind.folder());
        let l = links(&page(&d.out, &section));
        for ext in ["csv", "json"] {
            let want = format!("/{}/catalog.{ext}", kind.folder());
            assert!(l.contains(&want), "{section} links {want}: {l:?}");
        }
    }
    let l = links(&page(&d.out, "/power/fgw/"));
    assert!(l.contains(&"/agencies/fgw/power.csv".to_string()), "{l:?}");
    let l = links(&page(&d.out, "/agencies/fgw/"));
    for kind in AGENCY_KINDS {
        for ext in ["csv", "json"] {
            let want = format!("/agencies/fgw/{}.{ext}", kind.folder());
            assert!(l.contains(&want), "the agency's page links {want}");
            assert!(d.out.join(want.trim_start_matches('/')).is_file(), "{want}");
        }
    }
}

fn feed(out: &Path, url: &str) -> atom_syndication::Feed {
    let text =
        fs::read(out.join(url.trim_start_matches('/'))).unwrap_or_else(|e| panic!("{url}: {e}"));
    atom_syndication::Feed::read_from(&text[..])
        .unwrap_or_else(|e| panic!("{url} is not Atom: {e}"))
}

/// What RFC 4287 requires of a feed and its entries, beyond parsing: ids, titles, a date,
/// an author for every entry, links to pages the site has, newest first.
fn assert_valid_atom(out: &Path, url: &str, f: &atom_syndication::Feed) {
    assert!(!f.id.is_empty() && !f.title.value.is_empty(), "{url}");
    assert!(
        f.links
            .iter()
            .any(|l| l.rel == "self" && l.href.ends_with(url)),
        "{url}"
    );
    let mut ids = std::collections::BTreeSet::new();
    for e in &f.entries {
        assert!(ids.insert(e.id.clone()), "{url}: entry id {} twice", e.id);
        assert!(
            e.id.starts_with("tag:") || e.id.starts_with("https://"),
            "{url}: {}",
            e.id
        );
        assert!(!e.title.value.is_empty(), "{url}");
        assert!(!e.authors.is_empty() || !f.authors.is_empty(), "{url}");
        let page = &e
            .links
            .iter()
            .find(|l| l.rel == "alternate")
            .expect("entry links its page")
            .href;
        let path = page.strip_prefix("https://www.example.gov.cn/").unwrap();
        assert!(out.join(path).join("index.html").is_file(), "{url}: {page}");
        assert!(
            e.updated <= f.updated,
            "{url}: the feed's date is its newest entry's"
        );
    }
    assert!(
        f.entries.windows(2).all(|w| w[0].updated >= w[1].updated),
        "{url}: newest first"
    );
}

#[test]
fn every_catalog_and_every_agency_has_a_valid_feed_of_its_changes() {
    let d = demo();
    let p = &d.portal;
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut urls: Vec<String> = ["documents", "power", "services", "decisions", "reports"]
        .iter()
        .map(|k| format!("/{k}/atom.xml"))
        .collect();
    urls.extend(
        p.agencies
            .iter()
            .map(|a| format!("/agencies/{}/atom.xml", a.meta.slug)),
    );
    urls.push("/deadlines/atom.xml".into());
    for url in &urls {
        let f = feed(&d.out, url);
        assert_valid_atom(&d.out, url, &f);
        assert!(!f.entries.is_empty(), "{url} has entries");
    }
    // The power list's feed: one entry per logged change made by the build day.
    let f = feed(&d.out, "/power/atom.xml");
    let mut want: Vec<(String, String)> = p
        .power
        .iter()
        .flat_map(|r| {
            let page = format!(
                "https://www.example.gov.cn{}",
                gongkai::model::urls::record(Kind::Power, &r.meta)
            );
            r.data
                .changes
                .iter()
                .filter(|c| c.date <= today)
                .map(move |c| {
                    (
                        page.clone(),
                        format!("{}：{}", c.action.label(), r.data.name),
                    )
                })
        })
        .collect();
    let mut got: Vec<(String, String)> = f
        .entries
        .iter()
        .map(|e| (e.links[0].href.clone(), e.title.value.clone()))
        .collect();
    want.sort();
    got.sort();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    // A service's log feeds the services' feed.
    let f = feed(&d.out, "/services/atom.xml");
    assert!(
        f.entries
            .iter()
            .any(|e| e.title.value == "调整：食品经营许可证核发"),
        "{:?}",
        f.entries.iter().map(|e| &e.title.value).collect::<Vec<_>>()
    );
    // Documents: publication, and the status changes the files date.
    let f = feed(&d.out, "/documents/atom.xml");
    let titles: Vec<&str> = f.entries.iter().map(|e| e.title.value.as_str()).collect();
    assert!(titles.iter().any(|t| t.starts_with("废止：")), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("失效：")), "{titles:?}");
    // Decisions: each stage as it begins.
    let f = feed(&d.out, "/decisions/atom.xml");
    assert!(f
        .entries
        .iter()
        .any(|e| e.title.value.starts_with("公开征求意见：")));
    // Reports: one entry per published report.
    let f = feed(&d.out, "/reports/atom.xml");
    assert_eq!(
        f.entries.len(),
        p.reports
            .iter()
            .filter(|r| r.data.published.is_some_and(|d| d <= today))
            .count()
    );
    // An agency's feed holds its own records only, of every kind it publishes.
    for a in &p.agencies {
        let url = format!("/agencies/{}/atom.xml", a.meta.slug);
        let f = feed(&d.out, &url);
        for e in &f.entries {
            assert_eq!(e.authors[0].name, a.data.name, "{url}");
        }
    }
    let f = feed(&d.out, "/agencies/scjg/atom.xml");
    let kinds: std::collections::BTreeSet<&str> = f
        .entries
        .iter()
        .map(|e| e.categories[0].term.as_str())
        .collect();
    assert!(
        kinds.len() >= 3,
        "scjg's feed mixes its catalogs: {kinds:?}"
    );
}

#[test]
fn the_sitemap_dates_each_record_by_its_last_change() {
    let d = demo();
    let sitemap = fs::read_to_string(d.out.join("sitemap.xml")).unwrap();
    let r = d
        .portal
        .power
        .iter()
        .find(|r| r.meta.slug == "food-business-licence")
        .unwrap();
    let last = r.data.changes.iter().map(|c| c.date).max().unwrap();
    let loc = format!(
        "<loc>https://www.example.gov.cn{}</loc><lastmod>{last}</lastmod>",
        gongkai::model::urls::record(Kind::Power, &r.meta)
    );
    assert!(sitemap.contains(&loc), "{loc}");
    let doc = &d.portal.documents[0];
    assert!(sitemap.contains(&format!(
        "{}</loc><lastmod>{}</lastmod>",
        gongkai::model::urls::record(Kind::Document, &doc.meta),
        doc.data.published
    )));
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn documents_can_be_browsed_by_subject_and_by_genre() {
    let d = demo();
    let p = &d.portal;
    let index = page(&d.out, "/documents/category/");
    assert_eq!(texts(&index, "main h2"), vec!["主题分类", "体裁"]);
    let genres = texts(&index, "section[aria-labelledby=facet-2] li a");
    assert!(genres.iter().any(|t| t.starts_with("通知 ")), "{genres:?}");
    let subjects = texts(&index, "section[aria-labelledby=facet-1] li a");
    assert!(
        subjects.iter().any(|t| t.starts_with("综合政务 ")),
        "{subjects:?}"
    );
    assert!(
        !subjects.iter().any(|t| t.starts_with("通知 ")),
        "通知 is a genre: {subjects:?}"
    );
    let sel = Selector::parse("section[aria-labelledby^=facet] li a").unwrap();
    let mut seen = 0;
    for a in index.select(&sel) {
        let name = a.text().next().unwrap().trim().to_string();
        let count: usize = a.text().nth(1).unwrap().trim().parse().unwrap();
        let mut want: Vec<String> = p
            .documents
            .iter()
            .filter(|r| r.data.categories.contains(&name))
            .map(|r| r.data.title.clone())
            .collect();
        assert_eq!(count, want.len(), "{name}");
        // Every page of the category, without JavaScript: the titles of its documents.
        let first = a.value().attr("href").unwrap().to_string();
        let mut got = Vec::new();
        let mut url = Some(first.clone());
        while let Some(u) = url {
            let pg = page(&d.out, &u);
            got.extend(texts(&pg, ".doc-list tbody th a"));
            url = Selector::parse("a[rel=next]").ok().and_then(|s| {
                pg.select(&s)
                    .next()
                    .map(|a| a.value().attr("href").unwrap().to_string())
            });
        }
        want.sort();
        got.sort();
        assert_eq!(got, want, "{first}");
        seen += 1;
    }
    assert!(seen >= 10, "the demo has many categories");
    // A document's categories link their pages.
    let r = p
        .documents
        .iter()
        .find(|r| r.meta.slug == "rsj-employment-subsidy-2021")
        .unwrap();
    let doc = page(
        &d.out,
        &gongkai::model::urls::record(Kind::Document, &r.meta),
    );
    let tags = texts(&doc, "a.tag");
    assert_eq!(tags, r.data.categories);
    let hrefs: Vec<String> = links(&doc)
        .into_iter()
        .filter(|l| l.starts_with("/documents/category/"))
        .collect();
    assert_eq!(hrefs.len(), r.data.categories.len());
    for h in hrefs {
        assert!(
            d.out
                .join(h.trim_start_matches('/'))
                .join("index.html")
                .is_file(),
            "{h}"
        );
    }
    assert!(links(&page(&d.out, "/documents/")).contains(&"/documents/category/".to_string()));
}

/// A schema as the site publishes it, compiled.
fn validator(out: &Path, kind: Kind) -> jsonschema::Validator {
    let url = format!("/schemas/{}.schema.json", kind.name());
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(out.join(url.trim_start_matches('/')))
            .unwrap_or_else(|e| panic!("{url}: {e}")),
    )
    .unwrap();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{url}"
    );
    assert!(
        !schema["title"].as_str().unwrap().is_empty(),
        "{url} has a Chinese title"
    );
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{url}: {e}"))
}

fn assert_conforms(v: &jsonschema::Validator, what: &str, e: &Value) {
    let errors: Vec<String> = v
        .iter_errors(e)
        .map(|err| format!("{err} at {}", err.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

#[test]
fn every_record_of_the_demo_conforms_to_its_published_schema() {
    let d = demo();
    for kind in CATALOG_KINDS {
        let v = validator(&d.out, kind);
        let entries = read_json(&d.out, &format!("/{}/catalog.json", kind.folder()));
        for e in &entries {
            assert_conforms(&v, e["url"].as_str().unwrap(), e);
            // The record's own JSON beside its page is the same entry.
            let page = e["url"]
                .as_str()
                .unwrap()
                .strip_prefix("https://www.example.gov.cn/")
                .unwrap();
            let own: Value = serde_json::from_str(
                &fs::read_to_string(d.out.join(page).join("index.json"))
                    .unwrap_or_else(|err| panic!("{page}index.json: {err}")),
            )
            .unwrap();
            assert_eq!(&own, e, "{page}index.json");
            let alternate =
                Selector::parse("link[rel=alternate][type='application/json']").unwrap();
            let html = page_of(&d.out, page);
            let linked: Vec<&str> = html
                .select(&alternate)
                .filter_map(|l| l.value().attr("href"))
                .collect();
            assert_eq!(
                linked,
                vec![format!("/{page}index.json")],
                "{page} announces its data"
            );
        }
        // The schema holds what matters: a record without its required keys, or with a
        // status no one defined, does not conform.
        let mut broken = entries[0].clone();
        let required = match kind {
            Kind::Power | Kind::Service => "code",
            Kind::Decision | Kind::Document => "title",
            Kind::Agency => "credit_code",
            _ => "url",
        };
        broken.as_object_mut().unwrap().remove(required);
        assert!(!v.is_valid(&broken), "{kind:?} without {required}");
    }
    let v = validator(&d.out, Kind::Document);
    let mut e = read_json(&d.out, "/documents/catalog.json").remove(0);
    e["effective_status"] = "abolished".into();
    assert!(!v.is_valid(&e), "a document status outside the four");
}

#[test]
fn the_data_catalog_lists_every_download_with_its_licence() {
    let d = demo();
    let p = &d.portal;
    let catalog: Value =
        serde_json::from_str(&fs::read_to_string(d.out.join("data.json")).unwrap()).unwrap();
    assert_eq!(catalog["@type"], "dcat:Catalog");
    let datasets = catalog["dataset"].as_array().unwrap();
    let mut downloads = std::collections::BTreeSet::new();
    for ds in datasets {
        for key in ["title", "description", "identifier", "landingPage"] {
            assert!(
                !ds[key].as_str().unwrap_or_default().is_empty(),
                "{key}: {ds}"
            );
        }
        assert!(!ds["publisher"]["name"].as_str().unwrap().is_empty());
        // The licence is the one site.toml gives.
        assert_eq!(
            ds["license"],
            "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
        );
        assert_eq!(ds["rights"], "知识共享署名 4.0 国际许可协议（CC BY 4.0）");
        assert_eq!(ds["contactPoint"]["hasEmail"], "mailto:data@example.gov.cn");
        for f in ds["distribution"].as_array().unwrap() {
            let url = f["downloadURL"].as_str().unwrap();
            let path = url.strip_prefix("https://www.example.gov.cn/").unwrap();
            assert!(d.out.join(path).is_file(), "{url}");
            assert!(["CSV", "JSON", "Atom"].contains(&f["format"].as_str().unwrap()));
            downloads.insert(format!("/{path}"));
        }
    }
    // Every catalog of the portal, every agency's that holds records, each year's comparison.
    for kind in CATALOG_KINDS {
        assert!(
            downloads.contains(&format!("/{}/catalog.csv", kind.folder())),
            "{kind:?}"
        );
        assert!(
            downloads.contains(&format!("/{}/catalog.json", kind.folder())),
            "{kind:?}"
        );
    }
    for (agency, docs) in &p.lookup.documents_by_agency {
        assert!(!docs.is_empty());
        assert!(
            downloads.contains(&format!("/agencies/{agency}/documents.csv")),
            "{agency}"
        );
    }
    for year in p.lookup.reports_by_year.keys() {
        assert!(
            downloads.contains(&format!("/reports/{year}/comparison.csv")),
            "{year}"
        );
    }
    // The power list's dataset was last modified on the newest logged change.
    let power = datasets
        .iter()
        .find(|ds| ds["landingPage"] == "https://www.example.gov.cn/power/")
        .unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let newest = p
        .power
        .iter()
        .flat_map(|r| r.data.changes.iter().map(|c| c.date))
        .filter(|d| *d <= today)
        .max()
        .unwrap();
    assert_eq!(power["modified"], newest.to_string());
    // The page for people links the same files, and every page's footer links it.
    let page_links: std::collections::BTreeSet<String> =
        links(&page(&d.out, "/data/")).into_iter().collect();
    for u in &downloads {
        assert!(page_links.contains(u), "/data/ links {u}");
    }
    assert!(links(&page(&d.out, "/")).contains(&"/data/".to_string()));
}
