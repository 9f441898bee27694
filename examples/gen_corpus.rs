//! Generates a synthetic, valid portal for benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out DIR --records N --seed S [--hugo DIR]
//! ```
//!
//! `DIR` receives `site.toml` and `content/` holding N records in the proportions of a real
//! city portal: agencies (N/2000, at least 5), power-list and service items, major decisions,
//! yearly reports and, above all, disclosure-catalog documents (about 85 %) with 2–8 KB Chinese
//! Markdown bodies built from `bench/phrases.txt` (sentences taken from real disclosure
//! documents, place names replaced by 示例市). Every record follows docs/content-format.md: credit
//! codes carry valid check digits (GB 32100-2015 / GB 11714), index numbers are unique and match
//! their agency and folder year, reports add up, decisions go through legality review before
//! collective decision, consultations last at least 30 days.
//!
//! `--hugo DIR` also writes a minimal Hugo site holding the same documents' Markdown (front
//! matter title and date), for the side-by-side comparison in bench/run.sh.
//!
//! The output is a pure function of (records, seed): every record draws from its own PRNG
//! stream, so files are generated and written in parallel without changing a byte.
//! Pages (home, 公开指南) and attachment files are written in addition to the N records.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};
use rayon::prelude::*;

const PHRASES: &str = include_str!("../bench/phrases.txt");

/// What to generate.
pub struct Options {
    pub out: PathBuf,
    pub records: usize,
    pub seed: u64,
    pub hugo: Option<PathBuf>,
}

/// How many records of each kind were written.
#[derive(Debug, Default)]
pub struct Summary {
    pub agencies: usize,
    pub power: usize,
    pub services: usize,
    pub decisions: usize,
    pub documents: usize,
    pub reports: usize,
    pub files: usize,
    pub bytes: u64,
}

impl Summary {
    pub fn records(&self) -> usize {
        self.agencies + self.power + self.services + self.decisions + self.documents + self.reports
    }
}

// ---------------------------------------------------------------------------------------------
// A small deterministic PRNG: splitmix64, one stream per (kind, record index).

#[derive(Clone)]
pub struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64, stream: u64, index: u64) -> Rng {
        Rng(mix(seed
            ^ mix(
                stream.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ mix(index)
            )))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = *cumulative.last().unwrap();
        let x = self.below(total);
        cumulative.partition_point(|&c| c <= x)
    }
}

fn cumulative(weights: impl IntoIterator<Item = u64>) -> Vec<u64> {
    let mut acc = 0;
    weights
        .into_iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

// Streams, so that adding a record of one kind does not shift another kind's draws.
const S_AGENCY: u64 = 1;
const S_DOC_PLAN: u64 = 2;
const S_DOC: u64 = 3;
const S_POWER: u64 = 4;
const S_SERVICE: u64 = 5;
const S_DECISION: u64 = 6;
const S_REPORT: u64 = 7;
const S_ASSIGN: u64 = 8;
const S_LINK: u64 = 9;

// ---------------------------------------------------------------------------------------------
// Identifiers: 统一社会信用代码 (GB 32100-2015) with its embedded 组织机构代码 (GB 11714).

const CREDIT_CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The check character of an 8-character organisation-code body (digits and capitals).
pub fn org_check(body: &str) -> char {
    let s: u32 = body
        .chars()
        .zip(ORG_WEIGHTS)
        .map(|(c, w)| c.to_digit(36).expect("alphanumeric") * w)
        .sum();
    match 11 - s % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap(),
    }
}

/// The check character of the first 17 characters of a credit code.
pub fn credit_check(first17: &str) -> char {
    let s: u32 = first17
        .bytes()
        .zip(CREDIT_WEIGHTS)
        .map(|(b, w)| {
            CREDIT_CHARSET
                .iter()
                .position(|&c| c == b)
                .expect("charset") as u32
                * w
        })
        .sum();
    CREDIT_CHARSET[((31 - s % 31) % 31) as usize] as char
}

/// A credit code for a government organ (登记管理部门 1 机构编制, 类别 1 机关) in `region`.
pub fn credit_code(region: &str, org_body: &str) -> String {
    let first17 = format!("11{region}{org_body}{}", org_check(org_body));
    let check = credit_check(&first17);
    format!("{first17}{check}")
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/// (slug, full name after the place, short name, 发文字号 token after the place character)
const DEPARTMENTS: &[(&str, &str, &str, &str)] = &[
    ("bgs", "人民政府办公室", "政府办", "政办"),
    ("fgw", "发展和改革委员会", "发展改革委", "发改"),
    ("jyj", "教育局", "教育局", "教"),
    ("kjj", "科学技术局", "科技局", "科"),
    ("gxj", "工业和信息化局", "工信局", "工信"),
    ("gaj", "公安局", "公安局", "公"),
    ("mzj", "民政局", "民政局", "民"),
    ("sfj", "司法局", "司法局", "司"),
    ("czj", "财政局", "财政局", "财"),
    ("rsj", "人力资源和社会保障局", "人社局", "人社"),
    ("zrj", "自然资源和规划局", "自然资源局", "自然资"),
    ("sthj", "生态环境局", "生态环境局", "环"),
    ("zjj", "住房和城乡建设局", "住建局", "建"),
    ("jtj", "交通运输局", "交通运输局", "交"),
    ("swj", "水务局", "水务局", "水"),
    ("nyj", "农业农村局", "农业农村局", "农"),
    ("swuj", "商务局", "商务局", "商"),
    ("wlj", "文化广电和旅游局", "文广旅局", "文旅"),
    ("wjw", "卫生健康委员会", "卫生健康委", "卫健"),
    ("tyj", "退役军人事务局", "退役军人局", "退役"),
    ("yjj", "应急管理局", "应急局", "应急"),
    ("sjj", "审计局", "审计局", "审"),
    ("scj", "市场监督管理局", "市场监管局", "市监"),
    ("tjj", "统计局", "统计局", "统"),
    ("ybj", "医疗保障局", "医保局", "医保"),
    ("lyj", "林业局", "林业局", "林"),
    ("tyuj", "体育局", "体育局", "体"),
    ("xfj", "信访局", "信访局", "访"),
    ("zwj", "政务服务和数据管理局", "政数局", "政数"),
    ("cgj", "城市管理综合行政执法局", "城管执法局", "城管"),
];

/// (slug prefix, name, one-character abbreviation, region code)
const DISTRICTS: &[(&str, &str, &str, &str)] = &[
    ("dc", "东城区", "东", "990102"),
    ("xc", "西城区", "西", "990103"),
    ("nh", "南湖区", "南", "990104"),
    ("bs", "北山区", "北", "990105"),
    ("hx", "河西区", "河", "990106"),
    ("gx", "高新区", "高", "990171"),
    ("jk", "经开区", "经", "990172"),
    ("ly", "临溪县", "溪", "990121"),
    ("qs", "青山县", "青", "990122"),
    ("ph", "平湖市", "平", "990181"),
    ("sy", "松源县", "松", "990123"),
    ("hy", "禾阳县", "禾", "990124"),
];

const CITY: &str = "示例市";
const CITY_REGION: &str = "990100";

const TOPICS: &[&str] = &[
    "进一步加强政务公开工作",
    "深入推进依法行政加快建设法治政府",
    "加强城市生活垃圾分类管理",
    "持续优化营商环境",
    "推进政务服务“一网通办”",
    "加强安全生产监督管理",
    "做好防汛抗旱工作",
    "促进中小企业健康发展",
    "加快推进农村人居环境整治",
    "加强重大行政决策程序管理",
    "规范行政执法行为",
    "推进基层政务公开标准化规范化",
    "加强行政规范性文件制定和监督管理",
    "做好就业创业工作",
    "加强住房公积金管理",
    "推进老旧小区改造",
    "加强食品安全监管",
    "推动数字政府建设",
    "加强生态环境保护",
    "落实减税降费政策",
    "做好困难群众基本生活保障",
    "加快发展养老服务业",
    "推进“双随机、一公开”监管",
    "加强政府信息公开申请办理",
    "规范涉企行政检查",
    "健全行政复议工作机制",
    "加强公共法律服务体系建设",
    "推进城乡供水一体化",
    "加强耕地保护",
    "做好高校毕业生就业",
    "开展营商环境专项整治",
    "加强校园安全管理",
    "推进医疗保障信用体系建设",
    "做好冬春季疫病防控",
    "加强道路交通安全管理",
    "推进政务数据共享",
    "规范政府购买服务",
    "加强预算绩效管理",
    "开展“放管服”改革",
    "加快建设全民健身设施",
];

const GENRES: &[&str] = &[
    "通知",
    "意见",
    "实施意见",
    "决定",
    "通告",
    "批复",
    "函",
    "公告",
];
const RULE_GENRES: &[&str] = &["管理办法", "实施办法", "管理规定"];
const PROVISIONAL_GENRES: &[&str] = &["暂行办法", "实施细则（试行）"];
const SUBJECTS: &[&str] = &[
    "综合政务",
    "国民经济管理",
    "财政、金融、审计",
    "工业、交通",
    "商贸、海关、旅游",
    "城乡建设、环境保护",
    "农业、林业、水利",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "市场监管、安全生产监管",
];
const HEADINGS: &[&str] = &[
    "总体要求",
    "工作目标",
    "基本原则",
    "主要任务",
    "重点工作",
    "职责分工",
    "实施步骤",
    "保障措施",
    "组织实施",
    "监督检查",
    "工作要求",
    "附则",
];
const POINTS: &[&str] = &[
    "加强组织领导",
    "健全工作机制",
    "强化责任落实",
    "完善制度建设",
    "加强督促检查",
    "强化宣传引导",
    "加强队伍建设",
    "提升服务水平",
    "规范工作流程",
    "推进信息公开",
    "强化监督问责",
    "加强经费保障",
];
const LAWS: &[(&str, &str)] = &[
    ("《中华人民共和国行政许可法》", "第十二条"),
    ("《中华人民共和国行政处罚法》", "第十八条"),
    ("《中华人民共和国行政强制法》", "第九条"),
    ("《中华人民共和国政府信息公开条例》", "第十九条"),
    ("《中华人民共和国食品安全法》", "第三十五条"),
    ("《中华人民共和国安全生产法》", "第六十二条"),
    ("《中华人民共和国环境保护法》", "第二十四条"),
    ("《中华人民共和国建筑法》", "第七条"),
    ("《中华人民共和国道路交通安全法》", "第八十七条"),
    ("《中华人民共和国城乡规划法》", "第四十条"),
    ("《中华人民共和国水法》", "第四十八条"),
    ("《中华人民共和国药品管理法》", "第五十一条"),
    ("《优化营商环境条例》", "第三十九条"),
    ("《重大行政决策程序暂行条例》", "第二十五条"),
];
const ITEM_OBJECTS: &[&str] = &[
    "建设工程",
    "食品经营",
    "排污",
    "道路运输",
    "取水",
    "城市绿地占用",
    "户外广告设置",
    "民办学校设立",
    "医疗机构执业",
    "药品零售",
    "建筑施工",
    "特种设备使用",
    "社会团体成立",
    "劳务派遣经营",
    "娱乐场所经营",
    "林木采伐",
    "燃气经营",
    "养老机构备案",
    "生产建设项目水土保持方案",
    "临时占用城市道路",
];
const MEETINGS: &[&str] = &["政府常务会议", "政府全体会议", "局务会议", "主任办公会议"];
const FORMS: &[&str] = &["原件", "复印件", "电子"];
const COLUMN_TASKS: &[&str] = &[
    "制定年度工作方案",
    "开展专项检查",
    "完善配套制度",
    "组织业务培训",
    "建设信息平台",
    "开展评估总结",
];

/// The sentence list, split once.
fn phrases() -> &'static [&'static str] {
    use std::sync::OnceLock;
    static P: OnceLock<Vec<&'static str>> = OnceLock::new();
    P.get_or_init(|| PHRASES.lines().filter(|l| !l.is_empty()).collect())
}

fn cn_num(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
    }
}

fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn sentences(rng: &mut Rng, n: usize, out: &mut String) {
    let p = phrases();
    for _ in 0..n {
        let sentence = *rng.pick(p);
        out.push_str(sentence);
    }
}

// ---------------------------------------------------------------------------------------------
// The plan: who publishes what, decided before any text is written.

#[derive(Clone, Copy, PartialEq, Eq)]
enum AgencyKind {
    Government,
    Department,
}

struct AgencyPlan {
    slug: String,
    name: String,
    short: String,
    kind: AgencyKind,
    code: String,
    token: String,
    parent: Option<String>,
    region_name: String,
    /// Weight when assigning documents and items (a few agencies publish most).
    weight: u64,
}

fn plan_agencies(seed: u64, n: usize) -> Vec<AgencyPlan> {
    let mut out: Vec<AgencyPlan> = Vec::with_capacity(n);
    let mut used_org = std::collections::HashSet::new();
    // (prefix slug, place name, place abbreviation, region, parent government)
    let mut places = vec![("", CITY.to_string(), "示".to_string(), CITY_REGION, None)];
    for (slug, name, abbr, region) in DISTRICTS {
        places.push((
            slug,
            format!("{CITY}{name}"),
            format!("示{abbr}"),
            region,
            Some("szf"),
        ));
    }
    let mut extra = 0;
    'outer: loop {
        for (pi, (prefix, place, abbr, region, parent)) in places.iter().enumerate() {
            // Each place: its government, then its departments (districts: fewer of them).
            let depts = if pi == 0 {
                DEPARTMENTS.len()
            } else {
                DEPARTMENTS.len() / 2
            };
            for di in 0..=depts {
                if out.len() == n {
                    break 'outer;
                }
                let i = out.len() as u64;
                let mut rng = Rng::new(seed, S_AGENCY, i);
                let suffix = if extra == 0 {
                    String::new()
                } else {
                    format!("{extra}")
                };
                let (slug, name, short, token, kind, par) = if di == 0 {
                    let slug = if prefix.is_empty() {
                        format!("szf{suffix}")
                    } else {
                        format!("{prefix}-qzf{suffix}")
                    };
                    (
                        slug,
                        format!("{place}人民政府"),
                        format!("{place}政府"),
                        format!("{abbr}政发"),
                        AgencyKind::Government,
                        parent.map(String::from),
                    )
                } else {
                    let (ds, dn, dshort, dtok) = DEPARTMENTS[di - 1];
                    let dn = if pi == 0 {
                        dn.to_string()
                    } else {
                        dn.replace("委员会", "局")
                    };
                    let slug = if prefix.is_empty() {
                        format!("{ds}{suffix}")
                    } else {
                        format!("{prefix}-{ds}{suffix}")
                    };
                    let gov = if prefix.is_empty() {
                        format!("szf{suffix}")
                    } else {
                        format!("{prefix}-qzf{suffix}")
                    };
                    (
                        slug,
                        format!("{place}{dn}"),
                        format!("{}{dshort}", if pi == 0 { "市" } else { "区" }),
                        format!("{abbr}{dtok}发"),
                        AgencyKind::Department,
                        Some(gov),
                    )
                };
                let name = if extra == 0 {
                    name
                } else {
                    format!("{name}（第{}分局）", cn_num(extra))
                };
                let token = if extra == 0 {
                    token
                } else {
                    format!("{token}{}", cn_num(extra))
                };
                let org_body = loop {
                    let b = format!("{:08}", rng.below(100_000_000));
                    if used_org.insert(b.clone()) {
                        break b;
                    }
                };
                let weight = if kind == AgencyKind::Government {
                    8
                } else {
                    1 + rng.below(6)
                };
                out.push(AgencyPlan {
                    slug,
                    name,
                    short,
                    kind,
                    code: credit_code(region, &org_body),
                    token,
                    parent: par,
                    region_name: place.clone(),
                    weight,
                });
            }
        }
        extra += 1;
    }
    out
}

#[derive(Clone)]
struct DocPlan {
    agency: usize,
    year: i32,
    written: NaiveDate,
    published: NaiveDate,
    slug: String,
    serial: u32,
    doc_number: Option<u32>,
    normative: bool,
    provisional: bool,
    replaces: Option<usize>,
    replaced_by: Option<usize>,
}

const FIRST_YEAR: i32 = 2016;
const LAST_YEAR: i32 = 2025;

fn day_in_year(rng: &mut Rng, year: i32, last_day_of_year: u32) -> NaiveDate {
    NaiveDate::from_yo_opt(year, rng.range(1, i64::from(last_day_of_year)) as u32).unwrap()
}

fn plan_documents(seed: u64, n: usize, agencies: &[AgencyPlan]) -> Vec<DocPlan> {
    let agency_w = cumulative(agencies.iter().map(|a| a.weight));
    let year_w = cumulative((FIRST_YEAR..=LAST_YEAR).map(|y| (y - FIRST_YEAR + 2) as u64));
    let mut docs: Vec<DocPlan> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut rng = Rng::new(seed, S_DOC_PLAN, i as u64);
            let agency = rng.weighted(&agency_w);
            let year = FIRST_YEAR + rng.weighted(&year_w) as i32;
            let written = day_in_year(&mut rng, year, 330);
            // Most within days; a few late (over 20 working days), as real catalogs show.
            let lag = if rng.chance(0.02) {
                rng.range(35, 60)
            } else {
                rng.range(0, 12)
            };
            let published =
                (written + Duration::days(lag)).min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
            let slug = format!("t{}_{}", written.format("%Y%m%d"), 1_000_000 + i);
            let has_number = rng.chance(0.65);
            let normative = has_number && rng.chance(0.18);
            DocPlan {
                agency,
                year,
                written,
                published,
                slug,
                serial: 0,
                doc_number: has_number.then_some(0),
                normative,
                provisional: normative && rng.chance(0.25),
                replaces: None,
                replaced_by: None,
            }
        })
        .collect();
    // Serials per (agency, year) in order of writing, so numbers grow with time.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (docs[i].agency, docs[i].year, docs[i].written, i));
    let mut serial: HashMap<(usize, i32), u32> = HashMap::new();
    let mut number: HashMap<(usize, i32), u32> = HashMap::new();
    for &i in &order {
        let d = &mut docs[i];
        let s = serial.entry((d.agency, d.year)).or_insert(0);
        *s += 1;
        d.serial = *s;
        if d.doc_number.is_some() {
            let k = number.entry((d.agency, d.year)).or_insert(0);
            *k += 1;
            d.doc_number = Some(*k);
        }
    }
    // Some normative documents replace an earlier one of the same agency.
    let mut last_normative: HashMap<usize, usize> = HashMap::new();
    for &i in &order {
        if !docs[i].normative {
            continue;
        }
        let a = docs[i].agency;
        if let Some(&prev) = last_normative.get(&a) {
            let mut rng = Rng::new(seed, S_LINK, i as u64);
            if docs[prev].published < docs[i].published && rng.chance(0.15) {
                docs[i].replaces = Some(prev);
                docs[prev].replaced_by = Some(i);
            }
        }
        last_normative.insert(a, i);
    }
    docs
}

// ---------------------------------------------------------------------------------------------
// Writing

struct Ctx<'a> {
    seed: u64,
    agencies: &'a [AgencyPlan],
    docs: &'a [DocPlan],
    docs_by_agency: Vec<Vec<usize>>,
    /// Power codes of each agency's 行政许可 items, for services to point at.
    licences: Vec<Vec<String>>,
}

/// The title and its topic.
fn doc_title(rng: &mut Rng, a: &AgencyPlan, d: &DocPlan) -> (String, &'static str) {
    let topic = *rng.pick(TOPICS);
    let title = if d.normative {
        let genre = rng.pick(if d.provisional {
            PROVISIONAL_GENRES
        } else {
            RULE_GENRES
        });
        let thing = topic
            .trim_start_matches("进一步")
            .trim_start_matches("加强")
            .trim_start_matches("推进");
        format!(
            "{}关于印发《{}{}{}》的通知",
            a.name, a.region_name, thing, genre
        )
    } else if rng.chance(0.3) {
        format!("{}关于{}年{}的{}", a.name, d.year, topic, rng.pick(GENRES))
    } else {
        format!("{}关于{}的{}", a.name, topic, rng.pick(GENRES))
    };
    (title, topic)
}

/// A document body of roughly `target` bytes: salutation, preamble, numbered sections with
/// points, now and then a table, signature and date.
fn doc_body(rng: &mut Rng, a: &AgencyPlan, d: &DocPlan, topic: &str, target: usize) -> String {
    let mut s = String::with_capacity(target + 1024);
    if let Some(n) = d.doc_number {
        let _ = writeln!(s, "{}〔{}〕{}号\n", a.token, d.year, n);
    }
    s.push_str(if a.kind == AgencyKind::Government {
        "各区县人民政府，市政府各部门，各直属机构：\n\n"
    } else {
        "各区县相关部门，局机关各处室、各直属单位：\n\n"
    });
    s.push('为');
    sentences(rng, 1, &mut s);
    s.pop(); // 。
    let _ = write!(s, "，结合{}实际，现就", a.region_name);
    s.push_str(topic);
    s.push_str("有关事项通知如下：\n\n");
    let mut section = 0;
    while s.len() < target {
        section += 1;
        let _ = writeln!(s, "## {}、{}\n", cn_num(section), rng.pick(HEADINGS));
        match rng.below(6) {
            0 => {
                // A numbered list.
                for k in 1..=rng.range(3, 6) {
                    let _ = write!(s, "{k}. ");
                    let n = 1 + rng.below(2) as usize;
                    sentences(rng, n, &mut s);
                    s.push('\n');
                }
                s.push('\n');
            }
            1 if rng.chance(0.6) => {
                // A task table (重点任务分工).
                s.push_str("| 序号 | 重点任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n");
                for k in 1..=rng.range(3, 8) {
                    let _ = writeln!(
                        s,
                        "| {k} | {} | {} | {}年{}月底前 |",
                        rng.pick(COLUMN_TASKS),
                        a.short,
                        d.year,
                        rng.range(3, 12)
                    );
                }
                s.push('\n');
            }
            _ => {
                // Points （一）… each a bold lead and a paragraph.
                for k in 1..=rng.range(2, 4) as usize {
                    let _ = write!(s, "（{}）**{}。**", cn_num(k), rng.pick(POINTS));
                    let n = 2 + rng.below(3) as usize;
                    sentences(rng, n, &mut s);
                    s.push_str("\n\n");
                }
            }
        }
    }
    let _ = write!(
        s,
        "本文件自印发之日起施行。\n\n{}\n\n{}\n",
        a.name,
        cn_date(d.written)
    );
    s
}

fn write_document(ctx: &Ctx, i: usize) -> (String, String) {
    let d = &ctx.docs[i];
    let a = &ctx.agencies[d.agency];
    let mut rng = Rng::new(ctx.seed, S_DOC, i as u64);
    let (title, topic) = doc_title(&mut rng, a, d);
    // Body sizes between 2 and 8 KB, skewed towards the short end as real catalogs are.
    let target = 2048 + (rng.below(6145) * rng.below(6145) / 6144) as usize;
    let body = doc_body(&mut rng, a, d, topic, target);
    let mut fm = String::with_capacity(512);
    let _ = writeln!(fm, "---\ntitle: {}", q(&title));
    let _ = writeln!(fm, "agency: {}", a.slug);
    let _ = writeln!(fm, "index_no: {}/{}-{:05}", a.code, d.year, d.serial);
    let genre = if d.normative {
        "规范性文件"
    } else {
        "通知"
    };
    let subject = *rng.pick(SUBJECTS);
    let _ = writeln!(fm, "categories: [{}, {}]", q(subject), genre);
    if let Some(n) = d.doc_number {
        let _ = writeln!(fm, "doc_number: {}〔{}〕{}号", a.token, d.year, n);
    }
    let _ = writeln!(fm, "written: {}", d.written);
    let _ = writeln!(fm, "published: {}", d.published);
    if d.normative {
        fm.push_str("normative: true\n");
        let _ = writeln!(
            fm,
            "registration_no: {}规〔{}〕{:03}",
            a.token.trim_end_matches('发'),
            d.year,
            d.doc_number.unwrap_or(d.serial)
        );
        let _ = writeln!(fm, "valid_from: {}", d.published);
        if d.replaced_by.is_some() {
            fm.push_str("status: repealed\n");
        }
    }
    if let Some(r) = d.replaces {
        let _ = writeln!(fm, "replaces: {}", ctx.docs[r].slug);
    }
    if let Some(r) = d.replaced_by {
        let _ = writeln!(fm, "replaced_by: {}", ctx.docs[r].slug);
    }
    if rng.chance(0.08) {
        let _ = writeln!(
            fm,
            "attachments:\n  - {{title: 附件1 重点任务清单, file: attachments/{}/tasks-{}.csv}}",
            a.slug,
            rng.below(3)
        );
    }
    if rng.chance(0.3) {
        let mut sum = String::new();
        sentences(&mut rng, 1, &mut sum);
        let _ = writeln!(fm, "summary: {}", q(&sum));
    }
    fm.push_str("---\n\n");
    (title, fm + &body)
}

fn legal_basis(rng: &mut Rng, out: &mut String) {
    out.push_str("legal_basis:\n");
    for _ in 0..rng.range(1, 3) {
        let (law, art) = rng.pick(LAWS);
        let _ = writeln!(out, "  - law: {law}\n    article: {art}");
        if rng.chance(0.5) {
            let mut t = String::new();
            sentences(rng, 1, &mut t);
            let _ = writeln!(out, "    text: {}", q(&t));
        }
    }
}

fn power_code(agency: usize, i: usize, category: usize) -> String {
    format!("{:02}{:03}{:06}", category + 1, agency, i)
}

fn power_item(ctx: &Ctx, i: usize, agency: usize, category: usize) -> String {
    let a = &ctx.agencies[agency];
    let mut rng = Rng::new(ctx.seed, S_POWER, i as u64);
    let cat = gongkai_categories()[category];
    let object = rng.pick(ITEM_OBJECTS);
    let name = match cat {
        "行政许可" => format!("{object}许可"),
        "行政处罚" => format!("对违反{object}管理规定行为的处罚"),
        "行政检查" => format!("{object}监督检查"),
        "行政强制" => format!("查封、扣押与{object}有关的设施、财物"),
        _ => format!("{object}{}", &cat[6..]),
    };
    let mut s = String::with_capacity(2048);
    let _ = writeln!(s, "code: \"{}\"", power_code(agency, i, category));
    let _ = writeln!(s, "name: {}", q(&name));
    let _ = writeln!(s, "category: {cat}");
    if rng.chance(0.2) {
        s.push_str("sub_items:\n");
        for k in 1..=rng.range(2, 4) {
            let _ = writeln!(
                s,
                "  - {{code: \"{}-{k}\", name: {}}}",
                power_code(agency, i, category),
                q(&format!("{name}（情形{}）", cn_num(k as usize)))
            );
        }
    }
    let _ = writeln!(s, "implementing_body: {}", q(&a.name));
    legal_basis(&mut rng, &mut s);
    s.push_str("responsibilities:\n");
    for r in [
        "受理责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或不予受理。",
        "审查责任：对申请材料进行审查，提出审查意见。",
        "决定责任：作出决定，不予许可或处罚的说明理由。",
        "送达责任：依法送达并信息公开。",
        "事后监管责任：开展定期和不定期检查，依法采取相关处置措施。",
    ] {
        let _ = writeln!(s, "  - {r}");
    }
    s.push_str("accountability:\n");
    for _ in 0..rng.range(2, 4) {
        let mut t = String::new();
        sentences(&mut rng, 1, &mut t);
        let _ = writeln!(s, "  - {}", q(&t));
    }
    s.push_str("process:\n");
    for (step, days) in [("受理", 1), ("审查", 5), ("决定", 3), ("送达", 1)] {
        let _ = writeln!(s, "  - {{name: {step}, days: {days}}}");
    }
    let _ = writeln!(
        s,
        "supervision_phone: \"0999-{:08}\"",
        rng.below(100_000_000)
    );
    let status = match rng.below(20) {
        0 => "abolished",
        1 | 2 => "adjusted",
        _ => "active",
    };
    let _ = writeln!(s, "status: {status}");
    let year = rng.range(2018, 2023) as i32;
    let effective = day_in_year(&mut rng, year, 360);
    let _ = writeln!(s, "effective: {effective}");
    let reviewed = effective + Duration::days(rng.range(200, 700));
    let _ = writeln!(s, "reviewed: {reviewed}");
    s.push_str("changes:\n");
    let _ = writeln!(
        s,
        "  - {{date: {effective}, action: added, basis: 权责清单编制}}"
    );
    match status {
        "adjusted" => {
            let _ = writeln!(
                s,
                "  - {{date: {reviewed}, action: modified, note: 调整办理时限}}"
            );
        }
        "abolished" => {
            let _ = writeln!(
                s,
                "  - {{date: {reviewed}, action: abolished, basis: 国务院决定取消}}"
            );
        }
        _ => {}
    }
    s
}

fn gongkai_categories() -> [&'static str; 11] {
    gongkai::model::CATEGORIES
}

fn service_item(ctx: &Ctx, i: usize, agency: usize) -> String {
    let a = &ctx.agencies[agency];
    let mut rng = Rng::new(ctx.seed, S_SERVICE, i as u64);
    let object = rng.pick(ITEM_OBJECTS);
    let mut s = String::with_capacity(2048);
    let _ = writeln!(s, "code: \"11{}{:03}{:07}\"", &a.code[2..8], agency, i);
    let power = &ctx.licences[agency];
    let (kind, name) = if !power.is_empty() && rng.chance(0.7) {
        let _ = writeln!(s, "power_item: \"{}\"", rng.pick(power));
        ("行政许可", format!("{object}许可（新办）"))
    } else {
        ("公共服务", format!("{object}信息查询"))
    };
    let _ = writeln!(s, "name: {}", q(&name));
    let _ = writeln!(s, "type: {kind}");
    legal_basis(&mut rng, &mut s);
    s.push_str("conditions:\n");
    for _ in 0..rng.range(2, 4) {
        let mut t = String::new();
        sentences(&mut rng, 1, &mut t);
        let _ = writeln!(s, "  - {}", q(&t));
    }
    s.push_str("materials:\n");
    for (k, m) in [
        "申请书",
        "营业执照或身份证明",
        "场地使用证明",
        "相关技术资料",
    ]
    .iter()
    .take(rng.range(2, 4) as usize)
    .enumerate()
    {
        let _ = writeln!(
            s,
            "  - {{name: {m}, form: {}, copies: {}, required: {}}}",
            rng.pick(FORMS),
            rng.range(1, 2),
            k < 2
        );
    }
    s.push_str("process:\n");
    for (step, desc) in [
        ("申请", "申请人通过窗口或网上提交材料"),
        ("受理", "材料齐全、符合法定形式的予以受理"),
        ("审查", "对申请材料进行审查"),
        ("决定", "作出准予或不予许可的决定"),
    ] {
        let _ = writeln!(s, "  - {{name: {step}, description: {desc}}}");
    }
    let statutory = *rng.pick(&[5u32, 10, 15, 20, 30]);
    let promised = rng.range(1, i64::from(statutory)) as u32;
    let _ = writeln!(
        s,
        "time_limit: {{statutory_days: {statutory}, promised_days: {promised}}}"
    );
    if rng.chance(0.9) {
        s.push_str("fees: {free: true}\n");
    } else {
        s.push_str("fees:\n  - {item: 工本费, standard: 每证10元, basis: 示例省物价局文件}\n");
    }
    let _ = writeln!(
        s,
        "location: {}",
        q(&format!(
            "{}政务服务中心{}号窗口",
            a.region_name,
            rng.range(1, 60)
        ))
    );
    s.push_str("office_hours: \"工作日 9:00-12:00，13:30-17:00\"\n");
    let _ = writeln!(s, "consult_phone: \"0999-{:08}\"", rng.below(100_000_000));
    s.push_str("complaint_phone: \"12345\"\n");
    let _ = writeln!(s, "online_url: https://zwfw.example.gov.cn/item/{i}");
    let _ = writeln!(s, "online_level: {}", rng.range(0, 4));
    let _ = writeln!(
        s,
        "status: {}",
        if rng.chance(0.95) {
            "active"
        } else {
            "adjusted"
        }
    );
    s
}

fn decision(ctx: &Ctx, i: usize, agency: usize, year: i32) -> String {
    let a = &ctx.agencies[agency];
    let mut rng = Rng::new(ctx.seed, S_DECISION, i as u64);
    let topic = rng.pick(TOPICS);
    // Progress reached, in statutory order.
    // Older decisions are further along; evaluation comes a year after publication.
    let stage = if year <= 2022 {
        rng.range(3, 5)
    } else {
        rng.range(0, 4)
    };
    let mut s = String::with_capacity(4096);
    let _ = writeln!(
        s,
        "---\ntitle: {}",
        q(&format!("{}{}年度重大行政决策：{}", a.name, year, topic))
    );
    let _ = writeln!(s, "agency: {}", a.slug);
    let _ = writeln!(s, "basis: {}", LAWS[13].0);
    let start = day_in_year(&mut rng, year, 200);
    let _ = writeln!(
        s,
        "planned: {}",
        start + Duration::days(rng.range(150, 300))
    );
    let withdrawn = stage < 5 && rng.chance(0.05);
    let status = if withdrawn {
        "withdrawn"
    } else {
        [
            "planned",
            "consulting",
            "reviewing",
            "decided",
            "implementing",
            "evaluated",
        ][stage as usize]
    };
    let _ = writeln!(s, "status: {status}");
    let mut date = start;
    if stage >= 1 {
        let end = date + Duration::days(rng.range(30, 45));
        let _ = writeln!(
            s,
            "consultation: {{start: {date}, end: {end}, url: \"https://www.example.gov.cn/hdjl/zjdc/{i}\", summary: \"共收到意见建议{}条，采纳{}条。\"}}",
            rng.range(10, 60),
            rng.range(1, 9)
        );
        date = end;
        if rng.chance(0.6) {
            let _ = writeln!(
                s,
                "expert_review: {{date: {}, notes: 组织专家论证，原则同意。}}",
                date + Duration::days(3)
            );
        }
        if rng.chance(0.5) {
            let _ = writeln!(
                s,
                "risk_assessment: {{date: {}, level: {}}}",
                date + Duration::days(5),
                rng.pick(&["低", "低", "中"])
            );
        }
    }
    if stage >= 2 {
        date += Duration::days(rng.range(10, 40));
        let _ = writeln!(s, "legality_review: {{date: {date}, result: 合法}}");
    }
    if stage >= 3 {
        date += Duration::days(rng.range(5, 30));
        let _ = writeln!(
            s,
            "collective_decision: {{date: {date}, meeting: {}}}",
            q(&format!(
                "{}第{}次{}",
                a.short,
                rng.range(1, 40),
                rng.pick(MEETINGS)
            ))
        );
        date += Duration::days(rng.range(3, 20));
        let docs = &ctx.docs_by_agency[agency];
        if docs.is_empty() {
            let _ = writeln!(s, "publication: {{date: {date}}}");
        } else {
            let d = &ctx.docs[*rng.pick(docs)];
            let _ = writeln!(s, "publication: {{date: {date}, document: {}}}", d.slug);
        }
    }
    if stage >= 5 {
        date += Duration::days(rng.range(365, 500));
        let _ = writeln!(s, "evaluation: {{date: {date}, notes: 决策执行效果良好。}}");
    }
    s.push_str("---\n\n## 决策事项概述\n\n");
    let n = rng.range(3, 8) as usize;
    sentences(&mut rng, n, &mut s);
    s.push_str("\n\n## 主要内容\n\n");
    for k in 1..=rng.range(3, 6) {
        let _ = write!(s, "{k}. ");
        sentences(&mut rng, 1, &mut s);
        s.push('\n');
    }
    s
}

const ROW_NAMES: &[(&str, &[&str])] = &[
    ("disclosed", &[]),
    ("partially_disclosed", &[]),
    (
        "withheld",
        &[
            "state_secret",
            "law_prohibited",
            "three_safeties",
            "third_party",
            "internal_affairs",
            "process_info",
            "enforcement_files",
            "query_matters",
        ],
    ),
    ("unable", &["not_held", "needs_creation", "unclear"]),
    (
        "not_processed",
        &[
            "petition",
            "repeated",
            "publications",
            "mass_repeated",
            "confirm_or_reissue",
        ],
    ),
    ("other", &["overdue_correction", "overdue_fee", "other"]),
];

fn row(cells: &[i64]) -> String {
    let total: i64 = cells.iter().sum();
    let mut s = String::from("[");
    for c in cells {
        let _ = write!(s, "{c}, ");
    }
    let _ = write!(s, "{total}]");
    s
}

/// One agency's reports for every year, carried_over chained to last year's carried_forward,
/// the normative documents issued as many as the agency's in the catalogue written that year,
/// and those in force chained to last year's.
fn reports(ctx: &Ctx, agency: usize, years: &[i32]) -> Vec<(i32, String)> {
    let a = &ctx.agencies[agency];
    let scale = if a.kind == AgencyKind::Government {
        40
    } else {
        8
    };
    let mut carried = [0i64; 6];
    // Normative documents and rules in force, carried from year to year.
    let mut in_force: Option<i64> = None;
    let mut rules_in_force: Option<i64> = None;
    let mut out = Vec::new();
    for &year in years {
        let mut rng = Rng::new(
            ctx.seed,
            S_REPORT,
            (agency * 100 + (year - 2000) as usize) as u64,
        );
        let mut s = String::with_capacity(4096);
        s.push_str("format: \"2021\"\n");
        let published = if a.kind == AgencyKind::Government {
            NaiveDate::from_ymd_opt(year + 1, 3, rng.range(1, 25) as u32).unwrap()
        } else {
            NaiveDate::from_ymd_opt(year + 1, 1, rng.range(5, 25) as u32).unwrap()
        };
        let _ = writeln!(s, "published: {published}");
        s.push_str("overview: |\n  ");
        let _ = write!(
            s,
            "{}年，{}认真贯彻落实《中华人民共和国政府信息公开条例》。",
            year, a.name
        );
        sentences(&mut rng, 4, &mut s);
        s.push_str("\n  \n  ");
        sentences(&mut rng, 3, &mut s);
        s.push('\n');
        let issued = ctx.docs_by_agency[agency]
            .iter()
            .filter(|&&i| ctx.docs[i].normative && ctx.docs[i].written.year() == year)
            .count() as i64;
        let before = in_force.unwrap_or_else(|| rng.range(10, 60));
        let repealed = rng.range(0, 3).min(before + issued);
        let now = before + issued - repealed;
        in_force = Some(now);
        let rules = *rules_in_force.get_or_insert_with(|| {
            if a.kind == AgencyKind::Government {
                rng.range(0, 5)
            } else {
                0
            }
        });
        let _ = writeln!(
            s,
            "proactive:\n  rules: {{issued: 0, repealed: 0, in_force: {rules}}}\n  normative_documents: {{issued: {issued}, repealed: {repealed}, in_force: {now}}}\n  licensing: {{decisions: {}}}\n  penalties: {{decisions: {}}}\n  enforcement: {{decisions: {}}}\n  fees: {{amount: {}.{}}}",
            rng.range(0, 3000),
            rng.range(0, 800),
            rng.range(0, 40),
            rng.range(0, 200),
            rng.range(0, 9)
        );
        // Results per column, then totals and what carries forward.
        let mut total = [0i64; 6];
        let mut lines = String::new();
        for (name, subs) in ROW_NAMES {
            let mut one = |rng: &mut Rng, big: bool| {
                let mut cells = [0i64; 6];
                for (c, cell) in cells.iter_mut().enumerate() {
                    let hi = if big { scale } else { scale / 8 } / (c as i64 + 1);
                    *cell = if big || rng.chance(0.2) {
                        rng.range(0, hi.max(1))
                    } else {
                        0
                    };
                    total[c] += *cell;
                }
                cells
            };
            if subs.is_empty() {
                let cells = one(&mut rng, true);
                let _ = writeln!(lines, "    {name}: {}", row(&cells));
            } else {
                let _ = writeln!(lines, "    {name}:");
                for sub in *subs {
                    let cells = one(&mut rng, false);
                    let _ = writeln!(lines, "      {sub}: {}", row(&cells));
                }
            }
        }
        let mut forward = [0i64; 6];
        let mut new = [0i64; 6];
        for c in 0..6 {
            forward[c] = if rng.chance(0.3) { rng.range(0, 3) } else { 0 };
            // new + carried_over = total + carried_forward; keep new ≥ 0.
            new[c] = total[c] + forward[c] - carried[c];
            if new[c] < 0 {
                forward[c] -= new[c];
                new[c] = 0;
            }
        }
        let _ = writeln!(
            s,
            "applications:\n  new: {}\n  carried_over: {}\n  results:\n{lines}    total: {}\n  carried_forward: {}",
            row(&new),
            row(&carried),
            row(&total),
            row(&forward)
        );
        carried = forward;
        let rl = |rng: &mut Rng| {
            let cells: Vec<i64> = (0..4).map(|_| rng.range(0, 2)).collect();
            row(&cells)
        };
        let _ = writeln!(
            s,
            "reviews_and_litigation:\n  review: {}\n  litigation_direct: {}\n  litigation_after_review: {}",
            rl(&mut rng),
            rl(&mut rng),
            rl(&mut rng)
        );
        s.push_str("problems: |\n  ");
        sentences(&mut rng, 3, &mut s);
        s.push_str("\nother: |\n  ");
        let _ = writeln!(s, "本机关{}年未收取信息处理费。", year);
        out.push((year, s));
    }
    out
}

fn agency_yaml(a: &AgencyPlan, i: usize) -> String {
    let mut s = String::with_capacity(1024);
    let _ = writeln!(s, "name: {}", q(&a.name));
    let _ = writeln!(s, "short_name: {}", q(&a.short));
    let _ = writeln!(
        s,
        "kind: {}",
        if a.kind == AgencyKind::Government {
            "government"
        } else {
            "department"
        }
    );
    let _ = writeln!(s, "credit_code: {}", a.code);
    if let Some(p) = &a.parent {
        let _ = writeln!(s, "parent: {p}");
    }
    let _ = writeln!(
        s,
        "address: {}",
        q(&format!("{}人民路{}号", a.region_name, 10 + i))
    );
    s.push_str("postcode: \"999000\"\n");
    let _ = writeln!(s, "phone: \"0999-{:08}\"", 62_000_000 + i);
    let _ = writeln!(s, "email: {}@example.gov.cn", a.slug);
    s.push_str("office_hours: \"工作日 8:30-12:00，13:30-17:30\"\n");
    let _ = writeln!(s, "website: https://www.example.gov.cn/{}/", a.slug);
    let _ = writeln!(
        s,
        "disclosure_office:\n  name: {}\n  address: {}\n  phone: \"0999-{:08}\"",
        q(&format!("{}政务公开办公室", a.short)),
        q(&format!(
            "{}人民路{}号{}室",
            a.region_name,
            10 + i,
            101 + i % 20
        )),
        63_000_000 + i
    );
    let _ = writeln!(s, "order: {}", i + 1);
    s
}

const SITE_TOML: &str = r#"title = "示例市人民政府信息公开（基准测试语料）"
description = "gongkai bench/gen_corpus 生成的合成门户，仅用于性能测试"
base_url = "https://www.example.gov.cn"
language = "zh-CN"
theme = "default"
output_dir = "public"
search_index_dir = "search-index"

[footer]
organizer = "示例市人民政府办公室"
site_code = "9999000001"
icp = "示ICP备00000000号"
police = "示公网安备 99999999999999号"
"#;

const HOME: &str = "---\ntitle: 示例市人民政府信息公开\n---\n\n本站为基准测试生成的合成门户，内容由公开文件语句随机组合而成，不代表任何真实机关。\n";
const GUIDE: &str = "---\ntitle: 政府信息公开指南\norder: 1\n---\n\n## 一、主动公开\n\n公民、法人和其他组织可以通过本网站查阅主动公开的政府信息。\n\n## 二、依申请公开\n\n申请人可以通过网上申请、信函申请、当面申请等方式提出政府信息公开申请。\n";

/// Writes files, counting them; creates parent folders as needed.
struct Writer {
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
}

impl Writer {
    fn write(&self, path: &Path, text: &str) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        fs::write(path, text)?;
        self.files.fetch_add(1, Relaxed);
        self.bytes.fetch_add(text.len() as u64, Relaxed);
        Ok(())
    }
}

const HUGO_TOML: &str = r#"baseURL = "https://www.example.gov.cn/"
languageCode = "zh-CN"
title = "示例市人民政府信息公开（Hugo 对照）"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
hasCJKLanguage = true
# Hugo < 0.128 reads `paginate`; newer versions read [pagination].
paginate = 50

[pagination]
pagerSize = 50
"#;
const HUGO_BASEOF: &str = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }} - {{ .Site.Title }}</title></head>\n<body><header><a href=\"/\">{{ .Site.Title }}</a></header>\n<main>{{ block \"main\" . }}{{ end }}</main></body></html>\n";
const HUGO_SINGLE: &str = "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format \"2006-01-02\" }}</p>{{ .Content }}</article>{{ end }}\n";
const HUGO_LIST: &str = "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }}</li>{{ end }}</ul>{{ with .Paginator }}{{ if .HasNext }}<a href=\"{{ .Next.URL }}\">下一页</a>{{ end }}{{ end }}{{ end }}\n";

pub fn generate(opts: &Options) -> io::Result<Summary> {
    let n = opts.records;
    if n < 60 {
        return Err(io::Error::other("--records must be at least 60"));
    }
    let seed = opts.seed;
    let content = opts.out.join("content");
    if content.exists() {
        fs::remove_dir_all(&content)?;
    }
    // Proportions of a city portal.
    let n_agencies = (n / 2000).max(5);
    let report_years: Vec<i32> = (LAST_YEAR - 4..=LAST_YEAR).collect();
    let n_reports = n_agencies * report_years.len();
    let n_power = n * 8 / 100;
    let n_services = n * 5 / 100;
    let n_decisions = (n * 12 / 1000).max(n_agencies);
    let n_docs = n - n_agencies - n_reports - n_power - n_services - n_decisions;

    let agencies = plan_agencies(seed, n_agencies);
    let docs = plan_documents(seed, n_docs, &agencies);
    let mut docs_by_agency = vec![Vec::new(); agencies.len()];
    for (i, d) in docs.iter().enumerate() {
        docs_by_agency[d.agency].push(i);
    }
    // Items go to departments; the government holds few.
    let item_w = cumulative(agencies.iter().map(|a| {
        if a.kind == AgencyKind::Government {
            1
        } else {
            4
        }
    }));
    // Category shares of a real power list: penalties dominate.
    let cat_w = cumulative([10, 55, 6, 2, 2, 12, 4, 2, 1, 4, 2]);
    let power: Vec<(usize, usize)> = (0..n_power)
        .map(|i| {
            let mut rng = Rng::new(seed, S_ASSIGN, i as u64);
            (rng.weighted(&item_w), rng.weighted(&cat_w))
        })
        .collect();
    let mut licences = vec![Vec::new(); agencies.len()];
    for (i, &(a, c)) in power.iter().enumerate() {
        if c == 0 {
            licences[a].push(power_code(a, i, c));
        }
    }
    let services: Vec<usize> = (0..n_services)
        .map(|i| Rng::new(seed, S_ASSIGN, (n_power + i) as u64).weighted(&item_w))
        .collect();
    let agency_w = cumulative(agencies.iter().map(|a| a.weight));
    let decisions: Vec<(usize, i32)> = (0..n_decisions)
        .map(|i| {
            let mut rng = Rng::new(seed, S_ASSIGN, (n_power + n_services + i) as u64);
            (rng.weighted(&agency_w), rng.range(2019, 2025) as i32)
        })
        .collect();
    let ctx = Ctx {
        seed,
        agencies: &agencies,
        docs: &docs,
        docs_by_agency,
        licences,
    };

    // Folders first (cheap, sequential), then every file in parallel.
    let mut dirs = vec![content.join("pages"), content.join("agencies")];
    for a in &agencies {
        dirs.push(content.join("power").join(&a.slug));
        dirs.push(content.join("services").join(&a.slug));
        dirs.push(content.join("static/attachments").join(&a.slug));
    }
    for y in FIRST_YEAR..=LAST_YEAR {
        dirs.push(content.join("documents").join(y.to_string()));
        dirs.push(content.join("decisions").join(y.to_string()));
        dirs.push(content.join("reports").join(y.to_string()));
    }
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    let w = Writer {
        files: Default::default(),
        bytes: Default::default(),
    };
    w.write(&opts.out.join("site.toml"), SITE_TOML)?;
    w.write(&content.join("index.md"), HOME)?;
    w.write(&content.join("pages/guide.md"), GUIDE)?;

    let hugo_posts = match &opts.hugo {
        Some(h) => {
            if h.exists() {
                fs::remove_dir_all(h)?;
            }
            fs::create_dir_all(h.join("layouts/_default"))?;
            fs::write(h.join("hugo.toml"), HUGO_TOML)?;
            fs::write(h.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
            fs::write(h.join("layouts/_default/single.html"), HUGO_SINGLE)?;
            fs::write(h.join("layouts/_default/list.html"), HUGO_LIST)?;
            fs::write(h.join("layouts/index.html"), HUGO_LIST)?;
            let posts = h.join("content/posts");
            for y in FIRST_YEAR..=LAST_YEAR {
                fs::create_dir_all(posts.join(y.to_string()))?;
            }
            Some(posts)
        }
        None => None,
    };

    agencies
        .par_iter()
        .enumerate()
        .try_for_each(|(i, a)| -> io::Result<()> {
            w.write(&content.join(format!("agencies/{}.yaml", a.slug)), &agency_yaml(a, i))?;
            for k in 0..3 {
                w.write(
                    &content.join(format!("static/attachments/{}/tasks-{k}.csv", a.slug)),
                    "序号,重点任务,责任单位,完成时限\n1,制定年度工作方案,办公室,3月底前\n2,开展专项检查,执法科,9月底前\n",
                )?;
            }
            for (year, text) in reports(&ctx, i, &report_years) {
                w.write(&content.join(format!("reports/{year}/{}.yaml", a.slug)), &text)?;
            }
            Ok(())
        })?;
    (0..docs.len())
        .into_par_iter()
        .try_for_each(|i| -> io::Result<()> {
            let d = &docs[i];
            let (title, text) = write_document(&ctx, i);
            w.write(
                &content.join(format!("documents/{}/{}.md", d.year, d.slug)),
                &text,
            )?;
            if let Some(posts) = &hugo_posts {
                // The same Markdown body under Hugo's front matter.
                let body = &text[text[4..].find("\n---\n").unwrap() + 9..];
                let hugo = format!(
                    "---\ntitle: {}\ndate: {}\n---\n{}",
                    q(&title),
                    d.published,
                    body
                );
                fs::write(posts.join(format!("{}/{}.md", d.year, d.slug)), hugo)?;
            }
            Ok(())
        })?;
    power.par_iter().enumerate().try_for_each(|(i, &(a, c))| {
        w.write(
            &content.join(format!("power/{}/p{:06}.yaml", agencies[a].slug, i)),
            &power_item(&ctx, i, a, c),
        )
    })?;
    services.par_iter().enumerate().try_for_each(|(i, &a)| {
        w.write(
            &content.join(format!("services/{}/s{:06}.yaml", agencies[a].slug, i)),
            &service_item(&ctx, i, a),
        )
    })?;
    decisions
        .par_iter()
        .enumerate()
        .try_for_each(|(i, &(a, y))| {
            w.write(
                &content.join(format!("decisions/{y}/jc{y}{:05}.md", i)),
                &decision(&ctx, i, a, y),
            )
        })?;
    // Empty year folders would only be noise.
    for d in &dirs {
        let _ = fs::remove_dir(d);
    }
    use std::sync::atomic::Ordering::Relaxed;
    Ok(Summary {
        agencies: agencies.len(),
        power: n_power,
        services: n_services,
        decisions: n_decisions,
        documents: n_docs,
        reports: n_reports,
        files: w.files.load(Relaxed),
        bytes: w.bytes.load(Relaxed),
    })
}

fn usage() -> ! {
    eprintln!("usage: gen_corpus --out DIR --records N [--seed S] [--hugo DIR]");
    std::process::exit(2)
}

fn main() {
    let mut out = None;
    let mut records = None;
    let mut seed = 1u64;
    let mut hugo = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(val())),
            "--records" => records = val().parse().ok(),
            "--seed" => seed = val().parse().unwrap_or_else(|_| usage()),
            "--hugo" => hugo = Some(PathBuf::from(val())),
            _ => usage(),
        }
    }
    let (Some(out), Some(records)) = (out, records) else {
        usage()
    };
    let start = std::time::Instant::now();
    let opts = Options {
        out,
        records,
        seed,
        hugo,
    };
    match generate(&opts) {
        Ok(s) => println!(
            "generated {} records (agencies {}, power {}, services {}, decisions {}, documents {}, reports {}) in {} files, {:.1} MB, {:.2} s → {}",
            s.records(),
            s.agencies,
            s.power,
            s.services,
            s.decisions,
            s.documents,
            s.reports,
            s.files,
            s.bytes as f64 / 1e6,
            start.elapsed().as_secs_f64(),
            opts.out.display()
        ),
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_match_the_published_example() {
        // 11220200795219742W is on the Jilin city portal (seed 000).
        assert_eq!(org_check("79521974"), '2');
        assert_eq!(credit_check("11220200795219742"), 'W');
    }
}
