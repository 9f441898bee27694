//! The synthetic search corpus the search examples share: records built from the seed
//! documents' sentences (2–8 KB bodies, 6 record types, 30 agencies, 18 years). The seeds are
//! read from tests/fixtures/seeds, or from the folder of .txt files that `GONGKAI_SEEDS`
//! names. Included with `#[path]` by each example.

use std::path::PathBuf;

use gongkai::search::SearchDoc;

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

pub fn sentences() -> Vec<String> {
    let dir = std::env::var_os("GONGKAI_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("seeds").flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        for s in text.split(['。', '；', '\n']) {
            let s = s.trim();
            if s.chars().count() >= 8 {
                out.push(format!("{s}。"));
            }
        }
    }
    out.sort();
    out
}

pub const KINDS: [&str; 6] = ["document", "power", "service", "decision", "report", "page"];

/// Record `i` of the corpus: the same seed gives the same records.
pub fn record(sents: &[String], rng: &mut Rng, i: usize) -> SearchDoc {
    let target = 2048 + rng.below(6144);
    let mut body = String::new();
    while body.len() < target {
        body.push_str(&sents[rng.below(sents.len())]);
        if rng.below(6) == 0 {
            body.push('\n');
        }
    }
    let t = &sents[rng.below(sents.len())];
    let title: String = t.chars().take(12 + rng.below(20)).collect();
    let year = 2008 + rng.below(18) as i32;
    let agency = rng.below(30);
    let kind = KINDS[rng.below(KINDS.len())];
    SearchDoc {
        id: i as u32,
        slug: format!("r{i}"),
        kind: kind.into(),
        url: format!("/{kind}s/{year}/r{i}/"),
        title: format!("{title}的通知"),
        body,
        agency: format!("a{agency:02}"),
        agency_name: format!("示例市第{agency}局"),
        year: Some(year),
        codes: vec![
            format!("11220200795219742W/{year}-{i:05}"),
            format!("示政发〔{year}〕{}号", i % 1000),
        ],
        date: Some(format!(
            "{year}-{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        )),
        categories: Vec::new(),
    }
}

/// The first `n` records of the corpus.
pub fn corpus(n: usize) -> impl Iterator<Item = SearchDoc> {
    let sents = sentences();
    let mut rng = Rng(42);
    (0..n).map(move |i| record(&sents, &mut rng, i))
}
