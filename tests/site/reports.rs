//! Annual reports end to end: build the fixture portal in tests/fixtures/reports, read the pages
//! and downloads back as a reader (or a journalist's script) would, and compare every number
//! with the YAML files it came from.
//!
//! The expected labels and YAML paths are written out here from the national form, not taken
//! from `report_form`, so that a wrong label or a row in the wrong place in the form's data
//! fails these tests too.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai::build::{build, BuildOptions};

use scraper::{ElementRef, Html, Selector};
use serde_yaml::Value;

use crate::tools;
use crate::tree;

const FIXTURE: &str = "tests/fixtures/reports";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The fixture's reports, as (year, agency).
const REPORTS: [(i32, &str); 6] = [
    (2023, "gov"),
    (2023, "fgw"),
    (2023, "sthj"),
    (2024, "gov"),
    (2024, "fgw"),
    (2024, "sthj"),
];

const APPLICANT_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
const REVIEW_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// Section 3 of the 2021 form: (group heading, row label) → YAML path under `applications`.
fn application_rows() -> Vec<(Option<&'static str>, &'static str, &'static str)> {
    let w = Some("（三）不予公开");
    let u = Some("（四）无法提供");
    let n = Some("（五）不予处理");
    let o = Some("（六）其他处理");
    vec![
        (None, "一、本年新收政府信息公开申请数量", "new"),
        (None, "二、上年结转政府信息公开申请数量", "carried_over"),
        (None, "（一）予以公开", "results.disclosed"),
        (
            None,
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "results.partially_disclosed",
        ),
        (w, "1.属于国家秘密", "results.withheld.state_secret"),
        (
            w,
            "2.其他法律行政法规禁止公开",
            "results.withheld.law_prohibited",
        ),
        (w, "3.危及“三安全一稳定”", "results.withheld.three_safeties"),
        (w, "4.保护第三方合法权益", "results.withheld.third_party"),
        (
            w,
            "5.属于三类内部事务信息",
            "results.withheld.internal_affairs",
        ),
        (w, "6.属于四类过程性信息", "results.withheld.process_info"),
        (
            w,
            "7.属于行政执法案卷",
            "results.withheld.enforcement_files",
        ),
        (w, "8.属于行政查询事项", "results.withheld.query_matters"),
        (u, "1.本机关不掌握相关政府信息", "results.unable.not_held"),
        (
            u,
            "2.没有现成信息需要另行制作",
            "results.unable.needs_creation",
        ),
        (u, "3.补正后申请内容仍不明确", "results.unable.unclear"),
        (n, "1.信访举报投诉类申请", "results.not_processed.petition"),
        (n, "2.重复申请", "results.not_processed.repeated"),
        (
            n,
            "3.要求提供公开出版物",
            "results.not_processed.publications",
        ),
        (
            n,
            "4.无正当理由大量反复申请",
            "results.not_processed.mass_repeated",
        ),
        (
            n,
            "5.要求行政机关确认或重新出具已获取信息",
            "results.not_processed.confirm_or_reissue",
        ),
        (
            o,
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "results.other.overdue_correction",
        ),
        (
            o,
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "results.other.overdue_fee",
        ),
        (o, "3.其他", "results.other.other"),
        (None, "（七）总计", "results.total"),
        (None, "四、结转下年度继续办理", "carried_forward"),
    ]
}

/// Section 4: block label → YAML key under `reviews_and_litigation`.
const REVIEW_BLOCKS: [(&str, &str); 3] = [
    ("行政复议", "review"),
    ("未经复议直接起诉", "litigation_direct"),
    ("复议后起诉", "litigation_after_review"),
];

/// Section 2: row label → key, column label → key.
const PROACTIVE_ROWS: [(&str, &str); 6] = [
    ("规章", "rules"),
    ("行政规范性文件", "normative_documents"),
    ("行政许可", "licensing"),
    ("行政处罚", "penalties"),
    ("行政强制", "enforcement"),
    ("行政事业性收费", "fees"),
];
const PROACTIVE_COLUMNS: [(&str, &str); 5] = [
    ("本年制发件数", "issued"),
    ("本年废止件数", "repealed"),
    ("现行有效件数", "in_force"),
    ("本年处理决定数量", "decisions"),
    ("本年收费金额（单位：万元）", "amount"),
];

// ---------------------------------------------------------------------------------------------
// Helpers

fn copy_dir(from: &Path, to: &Path) {
    tree::copy_tree_except(from, to, |rel| rel.extension().is_some_and(|x| x == "py"));
}

fn portal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), dir.path());
    dir
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

fn try_build(root: &Path) -> Result<PathBuf, gongkai::build::BuildFailure> {
    let out = root.join("public");
    build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.clone()),
        today: today(),
        progress: Box::new(gongkai::build::Silent),
    })?;
    Ok(out)
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = portal();
    let out = try_build(dir.path()).expect("the reports fixture builds");
    (dir, out)
}

fn page(out: &Path, url: &str) -> Html {
    let file = out.join(url.trim_start_matches('/')).join("index.html");
    Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// A cell's own value: its text without the notes the page adds to inconsistent cells.
fn value_text(e: ElementRef) -> String {
    e.children()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect::<String>()
        .trim()
        .to_string()
}

fn yaml(year: i32, agency: &str) -> Value {
    let path = format!("{FIXTURE}/content/reports/{year}/{agency}.yaml");
    serde_yaml::from_str(&fs::read_to_string(&path).unwrap()).unwrap()
}

fn at<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(v, |v, k| {
        v.get(k).unwrap_or_else(|| panic!("no {k} in {path}"))
    })
}

/// A YAML cell as the page shows it: blank for `~`.
fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a cell: {other:?}"),
    }
}

fn row_cells(v: &Value) -> Vec<String> {
    v.as_sequence().unwrap().iter().map(cell_text).collect()
}

fn total(v: &Value) -> i64 {
    v.as_sequence().unwrap().last().unwrap().as_i64().unwrap()
}

/// Header cells of a table by id.
fn header_ids<'a>(table: ElementRef<'a>) -> HashMap<String, ElementRef<'a>> {
    table
        .select(&sel("th[id]"))
        .map(|th| (th.value().attr("id").unwrap().to_string(), th))
        .collect()
}

/// The header cells a data cell names, in order.
fn headers_of<'a>(td: ElementRef, ids: &HashMap<String, ElementRef<'a>>) -> Vec<ElementRef<'a>> {
    td.value()
        .attr("headers")
        .expect("every data cell names its headers")
        .split_whitespace()
        .map(|id| *ids.get(id).unwrap_or_else(|| panic!("no header {id}")))
        .collect()
}

fn scope(th: &ElementRef) -> &'static str {
    match th.value().attr("scope") {
        Some("row") => "row",
        Some("rowgroup") => "rowgroup",
        Some("col") => "col",
        Some("colgroup") => "colgroup",
        other => panic!("header without a known scope: {other:?}"),
    }
}

fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let s = sel(css);
    let mut it = doc.select(&s);
    let e = it.next().unwrap_or_else(|| panic!("nothing matches {css}"));
    assert!(it.next().is_none(), "more than one {css}");
    e
}

// ---------------------------------------------------------------------------------------------
// The report page

#[test]
fn report_page_has_the_six_sections_in_the_national_order() {
    let (_dir, out) = built();
    let doc = page(&out, "/reports/2024/gov/");
    let headings: Vec<String> = doc.select(&sel(".report-section > h2")).map(text).collect();
    assert_eq!(
        headings,
        [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]
    );
    for (id, caption) in [
        ("table-proactive", "主动公开政府信息情况"),
        ("table-applications", "收到和处理政府信息公开申请情况"),
        ("table-reviews", "政府信息公开行政复议、行政诉讼情况"),
    ] {
        let t = one(&doc, &format!("table#{id}"));
        let c = t.select(&sel("caption")).next().map(text);
        assert_eq!(c.as_deref(), Some(caption), "{id}");
    }
}

#[test]
fn applications_table_has_every_cell_of_the_yaml_by_row_and_column() {
    let (_dir, out) = built();
    let rows = application_rows();
    for (year, agency) in REPORTS {
        let src = yaml(year, agency);
        let doc = page(&out, &format!("/reports/{year}/{agency}/"));
        let table = one(&doc, "table#table-applications");
        let ids = header_ids(table);
        let mut seen: BTreeMap<(String, usize), String> = BTreeMap::new();
        for td in table.select(&sel("tbody td")) {
            let hs = headers_of(td, &ids);
            let row_label = hs
                .iter()
                .find(|h| scope(h) == "row")
                .map(|h| text(*h))
                .expect("a row header");
            let group = hs
                .iter()
                .filter(|h| scope(h) == "rowgroup")
                .map(|h| text(*h))
                .find(|t| t.starts_with('（'));
            let col = hs
                .iter()
                .find(|h| scope(h) == "col")
                .map(|h| text(*h))
                .expect("a column header");
            let (_, _, path) = rows
                .iter()
                .find(|(g, l, _)| *l == row_label && g.map(str::to_string) == group)
                .unwrap_or_else(|| panic!("unexpected row {group:?} {row_label}"));
            let c = APPLICANT_COLUMNS
                .iter()
                .position(|x| *x == col)
                .unwrap_or_else(|| panic!("unexpected column {col}"));
            // Columns under 法人或其他组织 name that group header too.
            let in_group = hs.iter().any(|h| text(*h) == "法人或其他组织");
            assert_eq!(in_group, (1..=5).contains(&c), "{row_label} / {col}");
            let before = seen.insert((path.to_string(), c), value_text(td));
            assert!(before.is_none(), "{path}[{c}] appears twice");
        }
        assert_eq!(seen.len(), rows.len() * 7, "{year}/{agency}: cell count");
        for (_, _, path) in &rows {
            let want = row_cells(at(&src, &format!("applications.{path}")));
            for (c, w) in want.iter().enumerate() {
                assert_eq!(
                    &seen[&(path.to_string(), c)],
                    w,
                    "{year}/{agency} {path} column {}",
                    APPLICANT_COLUMNS[c]
                );
            }
        }
    }
}

#[test]
fn applications_table_headers_are_grouped_as_on_the_form() {
    let (_dir, out) = built();
    let doc = page(&out, "/reports/2024/gov/");
    let table = one(&doc, "table#table-applications");
    let head: Vec<Vec<(String, String, String)>> = table
        .select(&sel("thead tr"))
        .map(|tr| {
            tr.select(&sel("th"))
                .map(|th| {
                    let a = |n| th.value().attr(n).unwrap_or("1").to_string();
                    (text(th), a("scope"), a("colspan"))
                })
                .collect()
        })
        .collect();
    let t = |s: &str, scope: &str, span: &str| (s.to_string(), scope.into(), span.into());
    assert_eq!(head[0], vec![t("申请人情况", "colgroup", "7")]);
    assert_eq!(
        head[1],
        vec![
            t("自然人", "col", "1"),
            t("法人或其他组织", "colgroup", "5"),
            t("总计", "col", "1")
        ]
    );
    let third: Vec<&str> = head[2].iter().map(|h| h.0.as_str()).collect();
    assert_eq!(
        third,
        [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他"
        ]
    );
    let spans: Vec<String> = table
        .select(&sel("colgroup"))
        .map(|c| c.value().attr("span").unwrap().to_string())
        .collect();
    assert_eq!(spans, ["3", "1", "5", "1"]);
    // The blank cell (~ in the YAML) is shown blank, not as 0.
    let blank = table
        .select(&sel("td.blank"))
        .map(value_text)
        .collect::<Vec<_>>();
    assert_eq!(blank, [""]);
}

#[test]
fn reviews_table_has_every_cell_of_the_yaml_under_its_grouped_headers() {
    let (_dir, out) = built();
    for (year, agency) in REPORTS {
        let src = yaml(year, agency);
        let doc = page(&out, &format!("/reports/{year}/{agency}/"));
        let table = one(&doc, "table#table-reviews");
        let ids = header_ids(table);
        let top: Vec<(String, String)> = table
            .select(&sel("thead tr:first-child th"))
            .map(|th| (text(th), th.value().attr("colspan").unwrap().to_string()))
            .collect();
        assert_eq!(
            top,
            [
                ("行政复议".into(), "5".into()),
                ("行政诉讼".into(), "10".into())
            ]
        );
        let mut seen = BTreeMap::new();
        for td in table.select(&sel("tbody td")) {
            let hs = headers_of(td, &ids);
            let labels: Vec<String> = hs.iter().map(|h| text(*h)).collect();
            let (block_label, key) = REVIEW_BLOCKS
                .iter()
                .find(|(l, _)| labels.iter().any(|x| x == l))
                .expect("a block header");
            let litigation = labels.iter().any(|l| l == "行政诉讼");
            assert_eq!(litigation, *block_label != "行政复议", "{labels:?}");
            let col = hs
                .iter()
                .find(|h| scope(h) == "col")
                .map(|h| text(*h))
                .unwrap();
            let c = REVIEW_COLUMNS.iter().position(|x| *x == col).unwrap();
            assert!(seen.insert((*key, c), value_text(td)).is_none());
        }
        assert_eq!(seen.len(), 15);
        for (_, key) in REVIEW_BLOCKS {
            let want = row_cells(at(&src, &format!("reviews_and_litigation.{key}")));
            for (c, w) in want.iter().enumerate() {
                assert_eq!(&seen[&(key, c)], w, "{year}/{agency} {key}[{c}]");
            }
        }
    }
}

#[test]
fn proactive_table_has_every_number_of_the_yaml() {
    let (_dir, out) = built();
    for (year, agency) in REPORTS {
        let src = yaml(year, agency);
        let doc = page(&out, &format!("/reports/{year}/{agency}/"));
        let table = one(&doc, "table#table-proactive");
        let ids = header_ids(table);
        let mut n = 0;
        for td in table.select(&sel("td")) {
            let hs = headers_of(td, &ids);
            let row = hs.iter().find(|h| scope(h) == "row").map(|h| text(*h));
            let col = hs
                .iter()
                .rev()
                .find(|h| scope(h) == "col")
                .map(|h| text(*h));
            let rk = PROACTIVE_ROWS
                .iter()
                .find(|(l, _)| Some(*l) == row.as_deref())
                .unwrap()
                .1;
            let ck = PROACTIVE_COLUMNS
                .iter()
                .find(|(l, _)| Some(*l) == col.as_deref())
                .unwrap()
                .1;
            let want = at(&src, &format!("proactive.{rk}.{ck}"));
            let want = match want {
                Value::Number(x) => x.to_string(),
                other => panic!("{other:?}"),
            };
            assert_eq!(value_text(td), want, "{year}/{agency} {rk}.{ck}");
            n += 1;
        }
        assert_eq!(n, 6 + 1 + 2 + 1, "{year}/{agency}");
    }
}

// ---------------------------------------------------------------------------------------------
// Downloads

fn strip_bom(bytes: &[u8]) -> &[u8] {
    assert!(
        bytes.starts_with(BOM),
        "a CSV download starts with the UTF-8 BOM"
    );
    &bytes[BOM.len()..]
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(path).unwrap();
    let mut r = csv::Reader::from_reader(strip_bom(&bytes));
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

#[test]
fn report_csv_parses_back_to_the_numbers_of_the_yaml() {
    let (_dir, out) = built();
    for (year, agency) in REPORTS {
        let src = yaml(year, agency);
        let (head, rows) = read_csv(&out.join(format!("reports/{year}/{agency}/report.csv")));
        let col = |label: &str| head.iter().position(|h| h == label).unwrap();
        assert_eq!(&head[..3], ["部分", "项目", "键"]);
        let by_key: HashMap<&str, &Vec<String>> = rows.iter().map(|r| (r[2].as_str(), r)).collect();
        for (_, _, path) in application_rows() {
            let key = format!("applications.{path}");
            let rec = by_key.get(key.as_str()).unwrap_or_else(|| panic!("{key}"));
            let got: Vec<&str> = APPLICANT_COLUMNS
                .iter()
                .map(|c| rec[col(c)].as_str())
                .collect();
            assert_eq!(got, row_cells(at(&src, &key)), "{year}/{agency} {key}");
        }
        for (_, k) in REVIEW_BLOCKS {
            let key = format!("reviews_and_litigation.{k}");
            let rec = by_key[key.as_str()];
            let got: Vec<&str> = REVIEW_COLUMNS
                .iter()
                .map(|c| rec[col(c)].as_str())
                .collect();
            assert_eq!(got, row_cells(at(&src, &key)), "{year}/{agency} {key}");
        }
        let fees = by_key["proactive.fees"];
        assert_eq!(
            fees[col("本年收费金额（单位：万元）")],
            at(&src, "proactive.fees.amount")
                .as_f64()
                .unwrap()
                .to_string()
        );
        assert_eq!(
            rows.len(),
            6 + 25 + 3,
            "{year}/{agency}: one line per table row"
        );
    }
}

#[test]
fn report_json_has_the_file_keys_and_the_same_numbers() {
    let (_dir, out) = built();
    for (year, agency) in REPORTS {
        let src: serde_json::Value = serde_json::to_value(yaml(year, agency)).unwrap();
        let path = out.join(format!("reports/{year}/{agency}/report.json"));
        let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        for key in ["proactive", "applications", "reviews_and_litigation"] {
            assert_eq!(json[key], src[key], "{year}/{agency} {key}");
        }
        assert_eq!(json["year"], year);
        assert_eq!(json["agency"], agency);
        assert_eq!(json["inconsistencies"], serde_json::json!([]));
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic: refused by default, marked in warn mode

/// Adds 5 to the 总计 of （一）予以公开 in fgw's 2024 report; returns what the sum should be.
fn break_a_total(root: &Path) -> i64 {
    let file = root.join("content/reports/2024/fgw.yaml");
    let src = fs::read_to_string(&file).unwrap();
    let v: Value = serde_yaml::from_str(&src).unwrap();
    let row = at(&v, "applications.results.disclosed");
    let sum: i64 = row.as_sequence().unwrap()[..6]
        .iter()
        .map(|c| c.as_i64().unwrap_or(0))
        .sum();
    let old = format!(
        "disclosed: {}",
        serde_json::to_string(&serde_json::to_value(row).unwrap())
            .unwrap()
            .replace(',', ", ")
    );
    let mut cells: Vec<i64> = row
        .as_sequence()
        .unwrap()
        .iter()
        .map(|c| c.as_i64().unwrap())
        .collect();
    cells[6] += 5;
    let new = format!(
        "disclosed: [{}]",
        cells
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(src.contains(&old), "{old}");
    fs::write(&file, src.replacen(&old, &new, 1)).unwrap();
    sum
}

#[test]
fn a_wrong_total_is_refused_by_default() {
    let dir = portal();
    let expected = break_a_total(dir.path());
    let err = try_build(dir.path()).expect_err("a wrong total stops the build");
    let messages: Vec<String> = err.diagnostics.iter().map(|d| format!("{d:?}")).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("（一）予以公开") && m.contains(&expected.to_string())),
        "{messages:#?}"
    );
    assert!(!dir
        .path()
        .join("public/reports/2024/fgw/index.html")
        .exists());
}

#[test]
fn a_wrong_total_is_marked_in_warn_mode_with_the_right_sum() {
    let dir = portal();
    let expected = break_a_total(dir.path());
    let toml = dir.path().join("site.toml");
    let mut s = fs::read_to_string(&toml).unwrap();
    s.push_str("\n[reports]\narithmetic = \"warn\"\n");
    fs::write(&toml, s).unwrap();
    let out = try_build(dir.path()).expect("warn mode publishes the report as issued");
    let doc = page(&out, "/reports/2024/fgw/");
    let table = one(&doc, "table#table-applications");
    let ids = header_ids(table);
    let marked: Vec<ElementRef> = table.select(&sel("td.inconsistent")).collect();
    let cell = marked
        .iter()
        .find(|td| {
            let hs: Vec<String> = headers_of(**td, &ids).into_iter().map(text).collect();
            hs.iter().any(|h| h == "（一）予以公开") && hs.iter().any(|h| h == "总计")
        })
        .expect("the wrong 总计 of （一）予以公开 is marked");
    // The published number stays as issued; the note says what it should be.
    assert_eq!(value_text(*cell), (expected + 5).to_string());
    let note = cell
        .select(&sel(".cell-note"))
        .map(text)
        .collect::<String>();
    assert!(note.contains(&format!("应为 {expected}")), "note: {note}");
    // Only cells the arithmetic actually implicates are marked: this row's total and the
    // column total it feeds.
    assert!(marked.len() <= 3, "{} cells marked", marked.len());
    let summary = text(one(&doc, ".report-inconsistent"));
    assert!(summary.contains("（一）予以公开"), "{summary}");
    // The JSON download carries the same finding.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("reports/2024/fgw/report.json")).unwrap())
            .unwrap();
    let found = json["inconsistencies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["expected"] == expected && f["found"] == expected + 5);
    assert!(found, "{}", json["inconsistencies"]);
    // Consistent reports carry no marks.
    let ok = page(&out, "/reports/2024/gov/");
    assert_eq!(ok.select(&sel(".inconsistent, .cell-note")).count(), 0);
}

// ---------------------------------------------------------------------------------------------
// The year's comparison

/// The comparison table's rows: (agency name, cells by column header).
fn comparison(doc: &Html) -> Vec<(String, HashMap<String, String>)> {
    let table = one(doc, "table#compare");
    let heads: Vec<String> = table
        .select(&sel("thead th"))
        .map(|th| value_text(th.select(&sel("a")).next().unwrap()))
        .collect();
    table
        .select(&sel("tbody tr"))
        .map(|tr| {
            let cells: Vec<String> = tr.select(&sel("th, td")).map(text).collect();
            (
                cells[0].clone(),
                heads.iter().cloned().zip(cells).collect::<HashMap<_, _>>(),
            )
        })
        .collect()
}

fn agency_name(slug: &str) -> &'static str {
    match slug {
        "gov" => "报告市人民政府",
        "fgw" => "报告市发展和改革委员会",
        "jyj" => "报告市教育局",
        "sthj" => "报告市生态环境局",
        _ => unreachable!(),
    }
}

#[test]
fn comparison_sorted_by_applications_is_descending_with_the_yaml_numbers() {
    let (_dir, out) = built();
    let doc = page(&out, "/reports/2024/sort/applications/");
    let rows = comparison(&doc);
    let mut want: Vec<(i64, &str)> = ["gov", "fgw", "sthj"]
        .iter()
        .map(|a| (total(at(&yaml(2024, a), "applications.new")), *a))
        .collect();
    want.sort_by_key(|w| std::cmp::Reverse(w.0));
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|(name, c)| (name.clone(), c["新收申请"].clone()))
        .collect();
    let mut expected: Vec<(String, String)> = want
        .iter()
        .map(|(n, a)| (agency_name(a).to_string(), n.to_string()))
        .collect();
    // The education bureau published nothing for 2024: listed last, as missing.
    expected.push((agency_name("jyj").to_string(), String::new()));
    assert_eq!(got, expected);
    assert_eq!(rows[3].1["按时发布"], "未发布");
    let numbers: Vec<i64> = got[..3].iter().map(|r| r.1.parse().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] >= w[1]), "{numbers:?}");

    // The other figures of each row, from the YAML.
    for (name, cells) in &rows[..3] {
        let slug = ["gov", "fgw", "sthj"]
            .into_iter()
            .find(|a| agency_name(a) == name)
            .unwrap();
        let y = yaml(2024, slug);
        let handled = total(at(&y, "applications.results.total")) as f64;
        // 公开率 counts partly disclosed applications as disclosed, as the page explains.
        let disclosed = (total(at(&y, "applications.results.disclosed"))
            + total(at(&y, "applications.results.partially_disclosed")))
            as f64;
        let withheld: i64 = at(&y, "applications.results.withheld")
            .as_mapping()
            .unwrap()
            .values()
            .map(total)
            .sum();
        assert_eq!(
            cells["公开率"],
            format!("{:.1}%", disclosed / handled * 100.0)
        );
        assert_eq!(
            cells["不予公开占比"],
            format!("{:.1}%", withheld as f64 / handled * 100.0)
        );
        assert_eq!(
            cells["行政复议"],
            total(at(&y, "reviews_and_litigation.review")).to_string()
        );
        let lawsuits = total(at(&y, "reviews_and_litigation.litigation_direct"))
            + total(at(&y, "reviews_and_litigation.litigation_after_review"));
        assert_eq!(cells["行政诉讼"], lawsuits.to_string());
    }
    // The sort order is not a page of its own for search engines.
    let canonical = one(&doc, "link[rel=canonical]").value().attr("href");
    assert_eq!(
        canonical,
        Some("https://reports.example.gov.cn/reports/2024/")
    );
    // The active column says so to assistive technology.
    let active: Vec<String> = doc
        .select(&sel("#compare th[aria-sort]"))
        .map(|th| {
            format!(
                "{}={}",
                th.value().attr("data-key").unwrap(),
                th.value().attr("aria-sort").unwrap()
            )
        })
        .collect();
    assert_eq!(active, ["applications=descending"]);
}

#[test]
fn every_sort_link_leads_to_a_page_in_that_order() {
    let (_dir, out) = built();
    let doc = page(&out, "/reports/2024/");
    let links: Vec<String> = doc
        .select(&sel("#compare thead th a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links.len(), 8);
    for href in &links {
        let target = page(&out, href);
        let names: Vec<String> = comparison(&target).into_iter().map(|r| r.0).collect();
        assert_eq!(names.len(), 4, "{href}");
    }
    // Following 新收申请 twice flips the order.
    let desc = page(&out, "/reports/2024/sort/applications/");
    let flip = desc
        .select(&sel("#compare th[data-key=applications] a"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(flip, "/reports/2024/sort/applications/asc/");
    let asc: Vec<String> = comparison(&page(&out, &flip))
        .into_iter()
        .map(|r| r.1["新收申请"].clone())
        .filter(|v| !v.is_empty())
        .collect();
    let n: Vec<i64> = asc.iter().map(|v| v.parse().unwrap()).collect();
    assert!(n.windows(2).all(|w| w[0] <= w[1]), "{n:?}");
}

#[test]
fn comparison_csv_has_the_bom_chinese_headers_and_the_yaml_numbers() {
    let (_dir, out) = built();
    let (head, rows) = read_csv(&out.join("reports/2024/comparison.csv"));
    let col = |l: &str| {
        head.iter()
            .position(|h| h == l)
            .unwrap_or_else(|| panic!("{l}"))
    };
    for l in [
        "机关",
        "新收申请",
        "公开率（%，含部分公开）",
        "行政复议",
        "行政诉讼",
        "按时发布",
        "逾期天数",
    ] {
        col(l);
    }
    assert_eq!(rows.len(), 4);
    for slug in ["gov", "fgw", "sthj"] {
        let y = yaml(2024, slug);
        let r = rows
            .iter()
            .find(|r| r[col("机关")] == agency_name(slug))
            .unwrap();
        assert_eq!(
            r[col("新收申请")],
            total(at(&y, "applications.new")).to_string()
        );
        assert_eq!(
            r[col("办理总数")],
            total(at(&y, "applications.results.total")).to_string()
        );
        assert_eq!(
            r[col("行政复议")],
            total(at(&y, "reviews_and_litigation.review")).to_string()
        );
    }
    let jyj = rows
        .iter()
        .find(|r| r[col("机关")] == "报告市教育局")
        .unwrap();
    assert_eq!(jyj[col("按时发布")], "未发布");
    assert_eq!(jyj[col("新收申请")], "");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("reports/2024/comparison.json")).unwrap())
            .unwrap();
    let gov = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agency"] == "gov")
        .unwrap();
    assert_eq!(
        gov["new"],
        total(at(&yaml(2024, "gov"), "applications.new"))
    );
}

// ---------------------------------------------------------------------------------------------
// Timeliness

#[test]
fn publication_is_judged_against_the_due_date() {
    let (_dir, out) = built();
    let rows = comparison(&page(&out, "/reports/2024/"));
    let status = |slug: &str| {
        rows.iter()
            .find(|r| r.0 == agency_name(slug))
            .map(|r| r.1["按时发布"].clone())
            .unwrap()
    };
    // Government: due 31 March, published 28 March. Department: due 31 January,
    // fgw published 10 February, sthj 20 January; jyj never.
    assert_eq!(status("gov"), "按时");
    assert_eq!(status("fgw"), "逾期10天");
    assert_eq!(status("sthj"), "按时");
    assert_eq!(status("jyj"), "未发布");
    let fgw = page(&out, "/reports/2024/fgw/");
    let t = text(one(&fgw, ".report-meta .timeliness"));
    assert_eq!(t, "逾期 10 天发布（应于 2025-01-31 前发布）");
}

#[test]
fn due_dates_follow_site_toml() {
    let dir = portal();
    let toml = dir.path().join("site.toml");
    let mut s = fs::read_to_string(&toml).unwrap();
    s.push_str("\n[deadlines]\nreport_due_department = \"02-15\"\n");
    fs::write(&toml, s).unwrap();
    let out = try_build(dir.path()).unwrap();
    let fgw = page(&out, "/reports/2024/fgw/");
    assert_eq!(
        text(one(&fgw, ".report-meta .timeliness")),
        "按时发布（应于 2025-02-15 前发布）"
    );
    let summary = text(one(&page(&out, "/reports/2024/"), ".timeliness-summary"));
    assert!(
        summary
            .contains("政府部门的报告应于2025年2月15日前、人民政府的报告应于2025年3月31日前发布"),
        "{summary}"
    );
}

// ---------------------------------------------------------------------------------------------
// An agency over the years

#[test]
fn agency_page_draws_accessible_trends_with_the_numbers_beside_them() {
    let (_dir, out) = built();
    let doc = page(&out, "/agencies/gov/reports/");
    let charts: Vec<ElementRef> = doc.select(&sel("section.trend")).collect();
    assert_eq!(charts.len(), 3);
    for c in &charts {
        let svg = c.select(&sel("svg")).next().expect("an inline SVG");
        assert_eq!(svg.value().attr("role"), Some("img"));
        let labelled = svg.value().attr("aria-labelledby").unwrap();
        for id in labelled.split_whitespace() {
            let found = svg.select(&sel(&format!("[id='{id}']"))).next();
            assert!(found.is_some_and(|e| !text(e).is_empty()), "{id}");
        }
        assert!(c.select(&sel("table caption")).next().is_some());
    }
    // The first chart's table: applications received per year, from the YAML.
    let rows: Vec<(String, String)> = charts[0]
        .select(&sel("table tbody tr"))
        .map(|tr| {
            let th = tr.select(&sel("th")).next().map(text).unwrap();
            let td = tr.select(&sel("td")).next().map(text).unwrap();
            (th, td)
        })
        .collect();
    let want: Vec<(String, String)> = [2023, 2024]
        .iter()
        .map(|y| {
            (
                format!("{y}年"),
                total(at(&yaml(*y, "gov"), "applications.new")).to_string(),
            )
        })
        .collect();
    assert_eq!(rows, want);
    // The outcomes chart has the six outcome series, and its description names the years.
    let outcome_heads: Vec<String> = charts[1].select(&sel("thead th")).map(text).collect();
    assert_eq!(outcome_heads.len(), 7, "{outcome_heads:?}");
    let desc = text(charts[1].select(&sel("desc")).next().unwrap());
    assert!(desc.contains("2023年") && desc.contains("2024年"), "{desc}");
    // Lawsuits are direct plus after review.
    let last: Vec<String> = charts[2]
        .select(&sel("tbody tr:last-child td"))
        .map(text)
        .collect();
    let y = yaml(2024, "gov");
    assert_eq!(
        last,
        [
            total(at(&y, "reviews_and_litigation.review")).to_string(),
            (total(at(&y, "reviews_and_litigation.litigation_direct"))
                + total(at(&y, "reviews_and_litigation.litigation_after_review")))
            .to_string()
        ]
    );
}

#[test]
fn pages_work_without_javascript_and_request_nothing_foreign() {
    let (_dir, out) = built();
    for url in [
        "/reports/2024/",
        "/reports/2024/gov/",
        "/agencies/gov/reports/",
    ] {
        let html =
            fs::read_to_string(out.join(url.trim_start_matches('/')).join("index.html")).unwrap();
        for attr in ["src=\"http", "href=\"http://", "url(http"] {
            assert!(!html.contains(attr), "{url} refers to {attr}");
        }
    }
    assert!(out.join("assets/reports.css").exists());
    assert!(out.join("assets/reports.js").exists());
}

// ---------------------------------------------------------------------------------------------
// In a real browser

/// The sorting script and the print layout, in headless chromium (tests/browser/reports.mjs).
/// Needs node, Debian's chromium and `npm install` in tests/browser (tests/support/tools.rs).
#[test]
fn comparison_sorts_in_the_browser_and_tables_fit_a4_in_print() {
    use tools::Need;
    let _one = tools::one_browser();
    if !tools::available(
        "comparison_sorts_in_the_browser_and_tables_fit_a4_in_print",
        &[Need::Node, Need::NodePackages, Need::Chromium],
    ) {
        return;
    }
    let (_dir, out) = built();
    let run = std::process::Command::new("node")
        .arg("tests/browser/reports.mjs")
        .arg(&out)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("browser: all checks passed"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// Older formats

#[test]
fn trial_and_free_format_reports_keep_their_own_shape() {
    let dir = portal();
    let reports = dir.path().join("content/reports");
    fs::create_dir_all(reports.join("2020")).unwrap();
    fs::create_dir_all(reports.join("2018")).unwrap();
    // 2019 trial form: （六）其他处理 is one row.
    let trial = r#"format: "2019-trial"
published: 2021-03-30
overview: 总体情况。
proactive:
  fees: {previous: 4, change: -1, decisions: 3}
applications:
  new: [5, 1, 0, 0, 0, 0, 6]
  carried_over: [0, 0, 0, 0, 0, 0, 0]
  results:
    disclosed: [3, 1, 0, 0, 0, 0, 4]
    partially_disclosed: [0, 0, 0, 0, 0, 0, 0]
    withheld: {state_secret: [0, 0, 0, 0, 0, 0, 0]}
    unable: {not_held: [1, 0, 0, 0, 0, 0, 1]}
    not_processed: {petition: [0, 0, 0, 0, 0, 0, 0]}
    other: [1, 0, 0, 0, 0, 0, 1]
    total: [5, 1, 0, 0, 0, 0, 6]
  carried_forward: [0, 0, 0, 0, 0, 0, 0]
reviews_and_litigation:
  review: [1, 0, 0, 0, 1]
  litigation_direct: [0, 0, 0, 0, 0]
  litigation_after_review: [0, 0, 0, 0, 0]
"#;
    fs::write(reports.join("2020/gov.yaml"), trial).unwrap();
    fs::write(
        reports.join("2018/gov.yaml"),
        "format: free\npublished: 2019-03-29\noverview: 二〇一八年总体情况。\nproblems: 问题。\n",
    )
    .unwrap();
    let out = try_build(dir.path()).expect("older formats build");

    let doc = page(&out, "/reports/2020/gov/");
    let table = one(&doc, "table#table-applications");
    let ids = header_ids(table);
    let other: Vec<String> = table
        .select(&sel("tbody td"))
        .filter(|td| {
            headers_of(*td, &ids)
                .iter()
                .any(|h| scope(h) == "row" && text(*h) == "（六）其他处理")
        })
        .map(value_text)
        .collect();
    assert_eq!(other, ["1", "0", "0", "0", "0", "0", "1"]);
    let labels: Vec<String> = table
        .select(&sel("tbody th[scope=row]"))
        .map(text)
        .collect();
    assert!(!labels.iter().any(|l| l == "3.其他"), "{labels:?}");
    let proactive = one(&doc, "table#table-proactive");
    assert!(text(proactive).contains("上一年项目数量"));

    // Before 2019: prose only, no tables, and due on 31 March for every agency.
    let free = page(&out, "/reports/2018/gov/");
    assert_eq!(free.select(&sel("table.report-form")).count(), 0);
    let headings: Vec<String> = free
        .select(&sel(".report-section > h2"))
        .map(text)
        .collect();
    assert_eq!(headings, ["一、总体情况", "五、存在的主要问题及改进情况"]);
    assert_eq!(
        text(one(&free, ".report-meta .timeliness")),
        "按时发布（应于 2019-03-31 前发布）"
    );
}
