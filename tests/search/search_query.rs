//! Tiered search over a tantivy index built from the seed documents.

use gongkai::search::index::write_index;
use gongkai::search::query::SearchIndex;
use gongkai::search::{tokenize_query, Hit, SearchDoc, SearchQuery, Tier};

use crate::seeds;

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search-index");
    let stats = write_index(seeds::fixture_docs().into_iter(), &path).unwrap();
    assert_eq!(stats.docs, 8);
    let index = SearchIndex::open(&path).unwrap();
    (dir, index)
}

fn slugs(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.slug.as_str()).collect()
}

fn run(index: &SearchIndex, text: &str) -> Vec<Hit> {
    index.search(&SearchQuery::new(text)).unwrap()
}

#[test]
fn must_hold_cases() {
    let (_dir, index) = index();

    // 行政许可 finds a record containing 不予行政许可决定书.
    let hits = run(&index, "行政许可");
    assert!(slugs(&hits).contains(&"power-xk-001"), "{:?}", slugs(&hits));
    assert!(hits.iter().all(|h| h.tier == Tier::Phrase));

    // 政府信息公开年度报告 finds 政府信息公开工作年度报告 (all words, not the phrase).
    let hits = run(&index, "政府信息公开年度报告");
    let report = hits
        .iter()
        .find(|h| h.slug == "report-2023")
        .expect("report found");
    assert_eq!(report.tier, Tier::Words);
    assert!(report.snippet.contains("<mark>"));

    // 吉林市 ranks the record about 吉林市 above the one that only has 吉林市场.
    let hits = run(&index, "吉林市");
    let s = slugs(&hits);
    let about = s.iter().position(|s| s.starts_with("000_")).unwrap();
    let market = s.iter().position(|s| *s == "page-market").unwrap();
    assert!(about < market, "{s:?}");

    // 吉市政发〔2015〕6号 puts that document first, in any bracket form.
    for q in [
        "吉市政发〔2015〕6号",
        "吉市政发[2015]6号",
        "吉市政发［２０１５］６号",
    ] {
        let hits = run(&index, q);
        assert!(hits[0].slug.starts_with("000_"), "{q}: {:?}", slugs(&hits));
        assert_eq!(hits[0].tier, Tier::Code, "{q}");
    }

    // 2015 finds the records containing 2015.
    let s: Vec<String> = run(&index, "2015").into_iter().map(|h| h.slug).collect();
    for prefix in ["000_", "003_", "004_"] {
        assert!(s.iter().any(|x| x.starts_with(prefix)), "{prefix} in {s:?}");
    }

    // A one-character query works.
    let hits = run(&index, "嘉");
    assert_eq!(slugs(&hits), vec!["001_a9ce39b527703592"]);
    assert!(hits[0].snippet.contains("<mark>嘉</mark>"));

    // Query syntax characters are just separators.
    for q in [
        ": + - ( ) \" *",
        "法治:政府",
        "\"依法行政",
        "(吉林*",
        "-",
        "+依法 -行政",
        "title:吉林",
    ] {
        run(&index, q);
    }
    assert!(run(&index, ": + - ( ) \" *").is_empty());
    assert!(!run(&index, "\"依法行政\"").is_empty());
}

#[test]
fn body_only_phrases_find_their_document() {
    let (_dir, index) = index();
    for (q, prefix) in [
        ("长白山管委会", "002_"),
        ("径向市法制局反映", "004_"),
        ("清廉尚志", "003_"),
        ("嘉兴", "001_"),
    ] {
        let hits = run(&index, q);
        assert!(!hits.is_empty(), "{q}");
        assert!(hits[0].slug.starts_with(prefix), "{q}: {:?}", slugs(&hits));
        assert_eq!(hits[0].tier, Tier::Phrase, "{q}");
        assert!(
            hits[0].snippet.contains("<mark>"),
            "{q}: {}",
            hits[0].snippet
        );
    }
}

#[test]
fn filters_restrict_without_changing_tiers() {
    let (_dir, index) = index();
    let mut q = SearchQuery::new("行政许可");
    q.kind = Some("power".into());
    let hits = index.search(&q).unwrap();
    assert_eq!(slugs(&hits), vec!["power-xk-001"]);
    q.kind = None;
    q.year = Some(2015);
    let hits = index.search(&q).unwrap();
    assert!(
        hits.iter()
            .all(|h| h.date.as_deref().unwrap_or("").starts_with("2015")),
        "{hits:?}"
    );
    assert!(!hits.is_empty());
    q.year = None;
    q.limit = 2;
    assert_eq!(index.search(&q).unwrap().len(), 2);
}

/// Whether the query's tokens stand at consecutive positions of `doc`'s title, body or one
/// of its codes, judged from the full index-side tokens (unigrams included).
fn phrase_in(doc: &gongkai::search::SearchDoc, query: &str) -> bool {
    use gongkai::search::tokenize::{scan, Side};
    use std::collections::HashSet;
    let phrase: Vec<(u32, String)> = tokenize_query(query)
        .phrase()
        .iter()
        .map(|&(o, t)| (o, t.to_string()))
        .collect();
    let texts = std::iter::once(doc.title.as_str())
        .chain(std::iter::once(doc.body.as_str()))
        .chain(doc.codes.iter().map(String::as_str));
    texts.into_iter().any(|text| {
        let mut at: HashSet<(u32, String)> = HashSet::new();
        let mut last = 0;
        scan(text, Side::Index, |t| {
            at.insert((t.position, t.text.to_string()));
            last = last.max(t.position);
        });
        (0..=last).any(|p| phrase.iter().all(|(o, t)| at.contains(&(p + o, t.clone()))))
    })
}

#[test]
fn a_lone_character_is_found_wherever_it_stands() {
    let (_dir, index) = index();
    let docs = seeds::fixture_docs();
    // Characters that start, end and sit inside runs; phrases mixing them with bigrams.
    for q in [
        "市",
        "吉",
        "府",
        "的",
        "号",
        "吉林 市",
        "市 政府",
        "政府 信",
        "信 息 公 开",
    ] {
        let mut want: Vec<&str> = docs
            .iter()
            .filter(|d| phrase_in(d, q))
            .map(|d| d.slug.as_str())
            .collect();
        want.sort();
        assert!(!want.is_empty(), "{q}");
        let mut query = SearchQuery::new(q);
        query.limit = 100;
        let hits = index.search(&query).unwrap();
        let mut got: Vec<&str> = hits
            .iter()
            .filter(|h| h.tier <= Tier::Phrase)
            .map(|h| h.slug.as_str())
            .collect();
        got.sort();
        assert_eq!(got, want, "{q}");
    }
}

/// Two characters are ranked by their counts alone: a record where 许可 stands only inside
/// 行政许可 is not put below one where it stands once as a word of its own (经/许可).
#[test]
fn two_characters_inside_a_longer_word_are_not_ranked_second() {
    let doc = |id: u32, slug: &str, body: &str| SearchDoc {
        id,
        slug: slug.into(),
        kind: "document".into(),
        url: format!("/documents/{slug}/"),
        title: "通知".into(),
        body: body.into(),
        agency: String::new(),
        agency_name: String::new(),
        year: None,
        codes: Vec::new(),
        date: None,
        categories: Vec::new(),
    };
    let docs = vec![
        doc(
            0,
            "alone",
            "本办法自发布之日起施行，须经许可，方可施工，其他事项另行通知。",
        ),
        doc(
            1,
            "compound",
            "行政许可事项清单。行政许可的办理。不予行政许可决定书。",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search-index");
    write_index(docs.into_iter(), &path).unwrap();
    let index = SearchIndex::open(&path).unwrap();
    let hits = run(&index, "许可");
    assert_eq!(slugs(&hits), ["compound", "alone"]);
    assert!(hits.iter().all(|h| h.tier == Tier::Phrase));
}

/// Records that score alike come in the order of their URLs, however the writer threads
/// split them into segments and whatever the order they were indexed in: the same query
/// gives the same list on every build, and after updates in place.
#[test]
fn equal_scores_come_in_the_order_of_their_urls() {
    let docs: Vec<SearchDoc> = (0..3000)
        .map(|i| SearchDoc {
            id: i,
            slug: format!("notice-{:04}", 2999 - i),
            kind: "document".into(),
            url: format!("/documents/notice-{:04}/", 2999 - i),
            title: "关于做好防汛工作的通知".into(),
            body: "各有关单位：请做好防汛工作。".into(),
            agency: "sfj".into(),
            agency_name: "示例市司法局".into(),
            year: Some(2025),
            codes: Vec::new(),
            date: Some("2025-06-01".into()),
            categories: Vec::new(),
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search-index");
    std::fs::create_dir(&path).unwrap();
    // Two writer threads, so that the records land in two segments whatever the machine.
    gongkai::search::index::write_index_into(docs.into_iter().map(|d| (d, None)), &path, 2)
        .unwrap();
    let index = SearchIndex::open(&path).unwrap();
    let mut q = SearchQuery::new("防汛");
    q.limit = 50;
    let hits = index.search(&q).unwrap();
    let want: Vec<String> = (0..50).map(|i| format!("notice-{i:04}")).collect();
    assert_eq!(slugs(&hits), want);
}
