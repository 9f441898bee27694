//! Indexes updated in place answer as indexes written afresh from the final records: random
//! sequences of changes, additions, removals and renames (a URL removed, another added),
//! compared after every step on a fixed list of queries.

use std::collections::BTreeMap;
use std::path::Path;

use gongkai::search::index::write_index;
use gongkai::search::query::SearchIndex;
use gongkai::search::update::{update_index, SMALL_SEGMENTS};
use gongkai::search::{SearchDoc, SearchQuery};

use crate::seeds;

/// xorshift64*: deterministic, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Sentences of the seed documents, for generated records.
pub fn sentences() -> Vec<String> {
    let mut out: Vec<String> = seeds::seed_docs()
        .iter()
        .flat_map(|d| {
            d.body
                .split(['。', '；', '\n'])
                .map(|s| s.trim().to_string())
                .filter(|s| s.chars().count() >= 6)
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort();
    out.dedup();
    // Short records and repeated phrases make equal scores, which must be ordered alike.
    out.extend(
        [
            "政府信息公开",
            "行政许可",
            "吉林市人民政府",
            "法治政府建设",
            "年度报告",
        ]
        .map(String::from),
    );
    out
}

pub const KINDS: [&str; 4] = ["document", "power", "service", "report"];
pub const AGENCIES: [&str; 3] = ["jls", "sfj", "fgw"];

/// A generated record at `url` (its content drawn from `rng`).
pub fn record(rng: &mut Rng, sents: &[String], url: &str) -> SearchDoc {
    let n = 1 + rng.below(8);
    let body: String = (0..n)
        .map(|_| format!("{}。", sents[rng.below(sents.len())]))
        .collect();
    let title: String = sents[rng.below(sents.len())].chars().take(24).collect();
    let year = [None, Some(2015), Some(2016), Some(2017)][rng.below(4)];
    let agency = AGENCIES[rng.below(AGENCIES.len())];
    let no = rng.below(12);
    let mut codes = vec![format!("吉市政发〔{}〕{no}号", year.unwrap_or(2015))];
    if rng.below(2) == 0 {
        codes.push(format!("11220200MB{no:04}/2016-0{}", rng.below(9)));
    }
    SearchDoc {
        id: 0,
        slug: url.trim_matches('/').replace('/', "-"),
        kind: KINDS[rng.below(KINDS.len())].into(),
        url: url.into(),
        title,
        body,
        agency: agency.into(),
        agency_name: format!("{agency}局"),
        year,
        codes,
        date: year.map(|y| format!("{y}-0{}-1{}", 1 + rng.below(9), rng.below(10))),
        // Categories change with a record too: the index must follow.
        categories: ["综合政务", "行政处罚", "通知"][..rng.below(4)]
            .iter()
            .map(|c| c.to_string())
            .collect(),
    }
}

/// One step of a sequence: what changed, applied to the record set `set`.
pub struct Step {
    pub upserts: Vec<SearchDoc>,
    pub deleted: Vec<String>,
}

/// A random step: a few records changed, added, removed or renamed.
pub fn step(
    rng: &mut Rng,
    sents: &[String],
    set: &mut BTreeMap<String, SearchDoc>,
    next_url: &mut usize,
) -> Step {
    let mut s = Step {
        upserts: Vec::new(),
        deleted: Vec::new(),
    };
    let fresh = |next_url: &mut usize| {
        *next_url += 1;
        format!("/{}/r{}/", KINDS[*next_url % KINDS.len()], *next_url)
    };
    for _ in 0..1 + rng.below(3) {
        let urls: Vec<String> = set.keys().cloned().collect();
        match rng.below(4) {
            // Changed.
            0 if !urls.is_empty() => {
                let url = &urls[rng.below(urls.len())];
                let d = record(rng, sents, url);
                set.insert(url.clone(), d.clone());
                s.upserts.push(d);
            }
            // Removed.
            1 if urls.len() > 4 => {
                let url = urls[rng.below(urls.len())].clone();
                set.remove(&url);
                s.upserts.retain(|d| d.url != url);
                s.deleted.push(url);
            }
            // Renamed: the same content at another URL.
            2 if urls.len() > 4 => {
                let url = urls[rng.below(urls.len())].clone();
                let mut d = set.remove(&url).unwrap();
                s.upserts.retain(|u| u.url != url);
                s.deleted.push(url);
                d.url = fresh(next_url);
                set.insert(d.url.clone(), d.clone());
                s.upserts.push(d);
            }
            // Added.
            _ => {
                let url = fresh(next_url);
                let d = record(rng, sents, &url);
                set.insert(url, d.clone());
                s.upserts.push(d);
            }
        }
    }
    s
}

/// The records in stream order (by URL), ids `0..n`, as a build would hand them over.
pub fn stream(set: &BTreeMap<String, SearchDoc>) -> Vec<SearchDoc> {
    set.values()
        .enumerate()
        .map(|(i, d)| SearchDoc {
            id: i as u32,
            ..d.clone()
        })
        .collect()
}

/// The fixed queries: words, single characters, codes, Latin/digits, with and without
/// filters.
pub fn queries() -> Vec<SearchQuery> {
    let texts = [
        "政府",
        "信息公开",
        "行政许可",
        "吉林市",
        "法治政府建设",
        "政府信息公开年度报告",
        "市",
        "政",
        "吉市政发〔2016〕3号",
        "吉市政发[2015]7号",
        "11220200MB0003",
        "2016",
        "工作 报告",
    ];
    let mut out = Vec::new();
    for t in texts {
        let base = SearchQuery {
            limit: 40,
            ..SearchQuery::new(t)
        };
        out.push(base.clone());
        out.push(SearchQuery {
            kind: Some("document".into()),
            ..base.clone()
        });
        out.push(SearchQuery {
            agency: Some("sfj".into()),
            year: Some(2016),
            ..base.clone()
        });
    }
    out
}

/// A hit as compared: URL, tier, score (to the bit), snippet and title.
type Seen = (String, String, u32, String, String);

/// Each query's hits: everything the user sees, and the score to the bit.
fn answers(index: &SearchIndex) -> Vec<Vec<Seen>> {
    queries()
        .iter()
        .map(|q| {
            index
                .search(q)
                .unwrap()
                .into_iter()
                .map(|h| {
                    (
                        h.url,
                        format!("{:?}", h.tier),
                        h.score.to_bits(),
                        h.snippet,
                        h.title,
                    )
                })
                .collect()
        })
        .collect()
}

fn cold(dir: &Path, set: &BTreeMap<String, SearchDoc>) -> SearchIndex {
    let _ = std::fs::remove_dir_all(dir);
    write_index(stream(set).into_iter(), dir).unwrap();
    SearchIndex::open(dir).unwrap()
}

#[test]
fn an_updated_tantivy_index_answers_as_a_fresh_one() {
    let sents = sentences();
    for seed in [7u64, 1_234_567] {
        let tmp = tempfile::tempdir().unwrap();
        let live = tmp.path().join("live");
        let fresh = tmp.path().join("fresh");
        let mut rng = Rng::new(seed);
        let mut set = BTreeMap::new();
        let mut next_url = 0;
        for _ in 0..40 {
            next_url += 1;
            let url = format!("/{}/r{next_url}/", KINDS[next_url % KINDS.len()]);
            set.insert(url.clone(), record(&mut rng, &sents, &url));
        }
        write_index(stream(&set).into_iter(), &live).unwrap();
        let mut hits = 0;
        let mut merged = 0;
        // More steps than small segments allowed, so merges happen along the way.
        for n in 0..SMALL_SEGMENTS * 2 + 4 {
            let s = step(&mut rng, &sents, &mut set, &mut next_url);
            merged += update_index(&live, s.upserts, &s.deleted)
                .unwrap()
                .merged_segments;
            let got = answers(&SearchIndex::open(&live).unwrap());
            let want = answers(&cold(&fresh, &set));
            for ((q, g), w) in queries().iter().zip(&got).zip(&want) {
                assert_eq!(g, w, "seed {seed}, step {n}, query {q:?}");
                hits += g.len();
            }
        }
        assert!(hits > 1000, "the queries find records ({hits})");
        assert!(merged > 0, "small segments were merged");
    }
}

#[test]
fn a_removed_record_is_found_no_more_and_counts_no_more() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    let docs = seeds::fixture_docs();
    write_index(docs.clone().into_iter(), &dir).unwrap();
    let market = docs.iter().find(|d| d.slug == "page-market").unwrap();
    let q = SearchQuery::new("吉林市场");
    let before = SearchIndex::open(&dir).unwrap().search(&q).unwrap();
    assert!(before.iter().any(|h| h.slug == "page-market"));
    let stats = update_index(&dir, Vec::new(), std::slice::from_ref(&market.url)).unwrap();
    assert_eq!((stats.upserted, stats.deleted), (0, 1));
    let after = SearchIndex::open(&dir).unwrap().search(&q).unwrap();
    assert!(after.iter().all(|h| h.slug != "page-market"), "{after:?}");
    // Removing a URL the index does not hold changes nothing.
    let stats = update_index(&dir, Vec::new(), &["/nowhere/".to_string()]).unwrap();
    assert_eq!(stats.deleted, 0);
}

#[test]
fn without_its_file_of_deletions_an_index_recounts_them() {
    let sents = sentences();
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    let mut rng = Rng::new(99);
    let mut set = BTreeMap::new();
    for i in 0..30 {
        let url = format!("/document/r{i}/");
        set.insert(url.clone(), record(&mut rng, &sents, &url));
    }
    write_index(stream(&set).into_iter(), &live).unwrap();
    // Fewer steps than small segments allowed: deletions, no merge.
    let mut next_url = 100;
    for _ in 0..3 {
        let s = step(&mut rng, &sents, &mut set, &mut next_url);
        let stats = update_index(&live, s.upserts, &s.deleted).unwrap();
        assert_eq!(stats.merged_segments, 0);
    }
    let file = live.join(gongkai::search::update::DELETED_FILE);
    assert!(file.exists());
    std::fs::remove_file(&file).unwrap();
    let got = answers(&SearchIndex::open(&live).unwrap());
    let want = answers(&cold(&tmp.path().join("fresh"), &set));
    assert_eq!(got, want);
}

#[test]
fn update_indexes_takes_a_change_set_into_both_indexes() {
    use gongkai::search::site::{update_indexes, write_indexes};
    use gongkai::search::static_index::write_static_dir;

    let sents = sentences();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("public");
    let index = tmp.path().join("search-index");
    let mut rng = Rng::new(5);
    let mut set = BTreeMap::new();
    for i in 0..30 {
        let url = format!("/document/r{i}/");
        set.insert(url.clone(), record(&mut rng, &sents, &url));
    }
    std::fs::create_dir_all(&site).unwrap();
    let fresh = tmp.path().join("fresh-index");
    std::fs::create_dir_all(&fresh).unwrap();
    write_indexes(stream(&set).into_iter(), &site, &fresh).unwrap();
    std::fs::rename(&fresh, &index).unwrap();
    let mut next_url = 100;
    for _ in 0..3 {
        let s = step(&mut rng, &sents, &mut set, &mut next_url);
        let done = update_indexes(
            s.upserts,
            &s.deleted,
            stream(&set).into_iter(),
            &site.join("search"),
            &index,
        )
        .unwrap();
        assert_eq!(done.static_index.docs, set.len() as u64);
    }
    let want = answers(&cold(&tmp.path().join("cold"), &set));
    assert_eq!(answers(&SearchIndex::open(&index).unwrap()), want);
    let cold_static = tmp.path().join("cold-static");
    write_static_dir(stream(&set).into_iter(), &cold_static).unwrap();
    for f in gongkai::search::static_index::FILES {
        assert!(
            std::fs::read(site.join("search").join(f)).unwrap()
                == std::fs::read(cold_static.join(f)).unwrap(),
            "{f} differs from a fresh write"
        );
    }
}

#[test]
fn a_large_segment_half_deleted_is_merged_and_answers_alike() {
    let sents = sentences();
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let mut rng = Rng::new(3);
    let mut set = BTreeMap::new();
    for i in 0..1200 {
        let url = format!("/document/r{i:04}/");
        set.insert(url.clone(), record(&mut rng, &sents, &url));
    }
    // One writer thread: one segment, larger than the small ones updates write.
    gongkai::search::index::write_index_into(stream(&set).into_iter().map(|d| (d, None)), &live, 1)
        .unwrap();
    let gone: Vec<String> = set.keys().step_by(2).cloned().collect();
    for url in &gone {
        set.remove(url);
    }
    let changed = record(&mut rng, &sents, "/document/r0001/");
    set.insert(changed.url.clone(), changed.clone());
    let stats = update_index(&live, vec![changed], &gone).unwrap();
    assert_eq!(stats.deleted, 601);
    assert!(stats.merged_segments >= 1, "{stats:?}");
    let got = answers(&SearchIndex::open(&live).unwrap());
    let want = answers(&cold(&tmp.path().join("fresh"), &set));
    assert_eq!(got, want);
}
