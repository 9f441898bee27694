//! `gongkai deadlines` and the deadline pages, end to end on the demo portal (repository root:
//! site.toml + content/), whose records were written to raise known notices:
//!
//! - `jyj` (示例市教育局, a department) has no 2024 report: due 2025-01-31, missing;
//! - `sthj`'s 2024 report was published 2025-02-14, 14 days after 2025-01-31;
//! - `fgw-projects-2024` was written 2024-02-26 and published 2024-05-10, after its 20th working
//!   day (2024-03-25);
//! - `rsj-employment-points-2025` was written 2025-03-03 and is published 2025-04-30: on
//!   2025-04-01 it is one working day past its deadline (2025-03-31) and still unpublished.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::bin;
use crate::tree;

use chrono::NaiveDate;
use gongkai::build::{build, BuildOptions};

use scraper::{Html, Selector};
use serde_json::Value;

use crate::tools;

fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn gongkai(args: &[&str]) -> Output {
    bin::command()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("gongkai runs")
}

fn deadlines_on(root: &Path, today: &str, extra: &[&str]) -> Output {
    let root = root.to_str().unwrap();
    let mut args = vec!["deadlines", "--root", root, "--today", today];
    args.extend_from_slice(extra);
    gongkai(&args)
}

fn json_notices(out: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    v["notices"].as_array().expect("a notices array").clone()
}

/// (severity, kind, record URL, due, days_left) of each notice, in the order printed.
fn summary(notices: &[Value]) -> Vec<(String, String, String, String, i64)> {
    notices
        .iter()
        .map(|n| {
            (
                n["severity"].as_str().unwrap().to_string(),
                n["kind"].as_str().unwrap().to_string(),
                n["record"]["url"].as_str().unwrap().to_string(),
                n["due"].as_str().unwrap().to_string(),
                n["days_left"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn row(
    sev: &str,
    kind: &str,
    url: &str,
    due: &str,
    days: i64,
) -> (String, String, String, String, i64) {
    (sev.into(), kind.into(), url.into(), due.into(), days)
}

/// What the demo holds on 2025-04-01, most severe first, then by due date.
fn expected_on_2025_04_01() -> Vec<(String, String, String, String, i64)> {
    vec![
        row(
            "overdue",
            "late-disclosure",
            "/documents/2024/fgw-projects-2024/",
            "2024-03-25",
            -31,
        ),
        row(
            "overdue",
            "report-missing",
            "/agencies/jyj/",
            "2025-01-31",
            -60,
        ),
        row(
            "overdue",
            "report-late",
            "/reports/2024/sthj/",
            "2025-01-31",
            -14,
        ),
        row(
            "overdue",
            "disclosure-overdue",
            "/documents/2025/rsj-employment-points-2025/",
            "2025-03-31",
            -1,
        ),
        // Normative documents in force whose interpretation (政策解读) never came.
        row(
            "warning",
            "interpretation-missing",
            "/documents/2022/gov-business-env-measures-2022/",
            "2022-03-25",
            -753,
        ),
        row(
            "warning",
            "interpretation-missing",
            "/documents/2023/sthj-eia-tiered-approval/",
            "2023-06-06",
            -454,
        ),
        row(
            "warning",
            "interpretation-missing",
            "/documents/2023/jyj-private-school-conduct/",
            "2023-08-22",
            -400,
        ),
        row(
            "warning",
            "interpretation-missing",
            "/documents/2023/rsj-skills-subsidy-2023/",
            "2023-09-19",
            -380,
        ),
        row(
            "info",
            "consultation-closed",
            "/decisions/2025/school-district-adjustment/",
            "2025-03-24",
            -8,
        ),
    ]
}

#[test]
fn the_demo_on_2025_04_01_lists_exactly_its_overdue_reports_and_late_documents() {
    let out = deadlines_on(&demo_root(), "2025-04-01", &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let notices = json_notices(&out);
    assert_eq!(summary(&notices), expected_on_2025_04_01());
    // The 2024 report of jyj concerns the agency, with the reporting year.
    let jyj = &notices[1];
    assert_eq!(jyj["record"]["year"], 2024);
    assert_eq!(jyj["record"]["agency_name"], "示例市教育局");

    // The text listing: the same notices, grouped, with their sentences.
    let text = deadlines_on(&demo_root(), "2025-04-01", &[]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("期限提醒（按 2025-04-01 计算）\n"),
        "{text}"
    );
    assert!(text.contains("已逾期（4）"), "{text}");
    // The only warnings are the normative documents still without an interpretation.
    assert!(text.contains("预警（4）"), "{text}");
    assert_eq!(text.matches("尚无解读").count(), 4, "{text}");
    for needle in [
        "示例市教育局（2024年度）",
        "2024年度政府信息公开工作年度报告应于 2025-01-31 前公开，至今未公开，已逾期 60 天",
        "2024年度报告应于 2025-01-31 前公开，2025-02-14 才公开，逾期 14 天",
        "成文后第 51 个工作日才发布（应在 20 个工作日内，最迟 2024-03-25）",
        "尚未公开（计划 2025-04-30 发布），已逾期 1 个工作日",
        "共 9 条：已逾期 4 条，预警 4 条，提示 1 条。",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn fail_on_sets_the_exit_status() {
    let root = demo_root();
    // 2025-04-01: overdue notices exist.
    assert_eq!(
        deadlines_on(&root, "2025-04-01", &["--fail-on", "overdue"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        deadlines_on(&root, "2025-04-01", &[]).status.code(),
        Some(0),
        "no --fail-on"
    );
    // 2024-01-05: the 2023 reports are coming due (warnings), nothing is overdue.
    let warned = deadlines_on(&root, "2024-01-05", &["--format", "json"]);
    let notices = json_notices(&warned);
    assert!(!notices.is_empty());
    assert!(
        notices.iter().all(|n| n["severity"] == "warning"),
        "{notices:?}"
    );
    assert_eq!(
        deadlines_on(&root, "2024-01-05", &["--fail-on", "overdue"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        deadlines_on(&root, "2024-01-05", &["--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
    // An unknown severity is a usage error.
    let bad = deadlines_on(&root, "2025-04-01", &["--fail-on", "late"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("不认识的提醒级别 `late`"));
}

#[test]
fn a_broken_portal_exits_2_without_notices() {
    let missing = deadlines_on(
        Path::new("/nonexistent/portal"),
        "2025-04-01",
        &["--fail-on", "overdue"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());

    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(&demo_root().join("content"), &dir.path().join("content"));
    tree::copy_tree(&demo_root().join("requests"), &dir.path().join("requests"));
    fs::copy(demo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
    fs::write(
        dir.path().join("content/agencies/jyj.yaml"),
        "name: [unclosed\n",
    )
    .unwrap();
    let broken = deadlines_on(dir.path(), "2025-04-01", &["--fail-on", "overdue"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(broken.stdout.is_empty());
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("未计算期限提醒"), "{err}");
}

/// A count that runs through a year without a calendar (2027) falls back to weekdays: the
/// notice says so, and the command warns on stderr (stdout stays the listing).
#[test]
fn a_year_without_calendar_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(&demo_root().join("content"), &dir.path().join("content"));
    tree::copy_tree(&demo_root().join("requests"), &dir.path().join("requests"));
    fs::copy(demo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
    fs::create_dir_all(dir.path().join("content/documents/2027")).unwrap();
    fs::write(
        dir.path().join("content/documents/2027/sthj-winter.md"),
        "---\ntitle: 示例市生态环境局关于2026—2027年冬季大气污染防治的通知\nagency: sthj\n\
         index_no: \"119901009901002372/2027-00031\"\ncategories: [城乡建设、环境保护, 通知]\n\
         written: 2026-12-15\npublished: 2027-02-20\n---\n\n正文。\n",
    )
    .unwrap();
    // Written 2026-12-15, planned for 2027-02-20: its 20 working days run into 2027, counted
    // Monday to Friday (2027-01-01 is a Friday) to 2027-01-12.
    let out = deadlines_on(dir.path(), "2026-12-20", &[]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("没有 2027 年的工作日历"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("最迟 2027-01-12）公开，尚未公开（计划 2027-02-20 发布）；2027 年没有工作日历，按周一至周五计算"),
        "{text}"
    );
    // The demo alone runs on shipped calendars: no such warning.
    let demo = deadlines_on(&demo_root(), "2025-04-01", &[]);
    assert!(!String::from_utf8_lossy(&demo.stderr).contains("工作日历"));
}

// ---------------------------------------------------------------------------------------------
// The site

/// The demo built on `today` into a temporary folder (a copy, so the build writes nothing into
/// the repository).
fn built_demo(today: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(&demo_root().join("content"), &dir.path().join("content"));
    tree::copy_tree(&demo_root().join("requests"), &dir.path().join("requests"));
    fs::copy(demo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
    let out = dir.path().join("public");
    build(&BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(out.clone()),
        today: today.parse::<NaiveDate>().unwrap(),
        progress: Box::new(gongkai::build::Silent),
    })
    .expect("the demo builds");
    (dir, out)
}

fn page(out: &Path, url: &str) -> Html {
    let file = out.join(url.trim_start_matches('/')).join("index.html");
    Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn attr(e: &scraper::ElementRef, name: &str) -> String {
    e.value().attr(name).unwrap_or_default().to_string()
}

#[test]
fn the_notice_board_shows_the_demo_notices() {
    let (_dir, out) = built_demo("2025-04-01");
    let board = page(&out, "/deadlines/");

    // Each section lists the records of its notices, linked, with the due date as <time>.
    let links = |section: &str| -> Vec<String> {
        select(&board, &format!("#{section} tbody th a"))
            .iter()
            .map(|a| attr(a, "href"))
            .collect()
    };
    let mut overdue = links("overdue");
    overdue.sort();
    assert_eq!(
        overdue,
        vec![
            "/agencies/jyj/",
            "/documents/2024/fgw-projects-2024/",
            "/documents/2025/rsj-employment-points-2025/",
            "/reports/2024/sthj/",
        ]
    );
    assert_eq!(
        links("recent"),
        vec![
            "/decisions/2025/school-district-adjustment/",
            "/documents/2023/rsj-skills-subsidy-2023/",
            "/documents/2023/jyj-private-school-conduct/",
            "/documents/2023/sthj-eia-tiered-approval/",
            "/documents/2022/gov-business-env-measures-2022/",
        ]
    );
    assert!(links("upcoming").is_empty());
    let due: Vec<String> = select(&board, "#overdue tbody td.date time")
        .iter()
        .map(|t| attr(t, "datetime"))
        .collect();
    assert_eq!(due.len(), 4);
    assert!(due.contains(&"2024-03-25".to_string()) && due.contains(&"2025-03-31".to_string()));

    // The missing report is named as what it is, not as the agency.
    let rows: Vec<String> = select(&board, "#overdue tbody tr")
        .iter()
        .map(text)
        .collect();
    assert!(
        rows.iter().any(
            |r| r.contains("示例市教育局2024年度政府信息公开工作年度报告")
                && r.contains("已逾期 60 天")
        ),
        "{rows:#?}"
    );

    // Without JavaScript the page says which day the counts are for.
    let summary = text(&select(&board, ".deadline-summary")[0]);
    assert!(summary.contains("按 2025-04-01 计算"), "{summary}");
    assert!(summary.contains("已逾期 4 项"), "{summary}");
    // The script that refreshes the counts is linked and shipped; the feed is announced.
    assert!(select(&board, "script[src='/assets/deadlines.js']").len() == 1);
    assert!(out.join("assets/deadlines.js").is_file());
    assert!(!select(&board, "link[rel=alternate][href='/deadlines/atom.xml']").is_empty());
    // The board is in the navigation of every page.
    let home = page(&out, "/");
    assert!(!select(&home, "a[href='/deadlines/']").is_empty());
}

#[test]
fn each_record_a_notice_concerns_carries_a_badge() {
    let (_dir, out) = built_demo("2025-04-01");
    for (url, label, words) in [
        ("/agencies/jyj/", "年报逾期未公开", "已逾期 60 天"),
        (
            "/reports/2024/sthj/",
            "年报逾期公开",
            "2025-02-14 才公开，逾期 14 天",
        ),
        (
            "/documents/2024/fgw-projects-2024/",
            "逾期公开",
            "成文后第 51 个工作日才发布",
        ),
        (
            "/documents/2025/rsj-employment-points-2025/",
            "逾期未公开",
            "已逾期 1 个工作日",
        ),
    ] {
        let doc = page(&out, url);
        let badges = select(&doc, ".deadline-notices .deadline-badge");
        assert_eq!(badges.len(), 1, "{url}");
        let b = text(&badges[0]);
        assert!(b.starts_with(label), "{url}: {b}");
        assert!(b.contains(words), "{url}: {b}");
        assert!(
            badges[0].value().classes().any(|c| c == "severity-overdue"),
            "{url}"
        );
        assert_eq!(
            select(&doc, ".deadline-badge time[datetime]").len(),
            1,
            "{url}"
        );
    }
    // Records without a notice carry none: another agency, an on-time report and document.
    for url in [
        "/agencies/fgw/",
        "/reports/2024/fgw/",
        "/documents/2024/gov-office-zwgk-points-2024/",
    ] {
        assert!(
            select(&page(&out, url), ".deadline-badge").is_empty(),
            "{url}"
        );
    }
}

#[test]
fn an_open_consultation_counts_down_on_its_decision_page() {
    // 2025-03-10: the school-district consultation (2025-02-20 … 2025-03-24) is open.
    let (_dir, out) = built_demo("2025-03-10");
    let doc = page(&out, "/decisions/2025/school-district-adjustment/");
    let countdown = select(&doc, ".consultation-countdown");
    assert_eq!(countdown.len(), 1);
    let days = select(&doc, ".consultation-countdown .days[data-due='2025-03-24']");
    assert_eq!(
        days.len(),
        1,
        "the count carries its due date for the script"
    );
    assert_eq!(text(&days[0]), "距截止还有 14 天");
    assert_eq!(attr(&days[0], "data-days-left"), "14");
    assert_eq!(attr(&days[0], "data-unit"), "calendar_days");
    assert!(!select(&doc, ".consultation-countdown time[datetime='2025-03-24']").is_empty());
    // The countdown is not repeated as a badge; the board lists it as upcoming.
    assert!(select(&doc, ".deadline-badge").is_empty());
    let board = page(&out, "/deadlines/");
    let upcoming: Vec<String> = select(&board, "#upcoming tbody th a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert!(
        upcoming.contains(&"/decisions/2025/school-district-adjustment/".to_string()),
        "{upcoming:?}"
    );

    // Once closed it counts no more.
    let (_dir, out) = built_demo("2025-04-01");
    let doc = page(&out, "/decisions/2025/school-district-adjustment/");
    assert!(select(&doc, ".consultation-countdown").is_empty());
}

#[test]
fn the_atom_feed_has_one_entry_per_notice() {
    let (_dir, out) = built_demo("2025-04-01");
    let feed = fs::read_to_string(out.join("deadlines/atom.xml")).unwrap();
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    assert_eq!(
        feed.matches("<entry>").count(),
        expected_on_2025_04_01().len()
    );
    for (_, kind, url, _, _) in expected_on_2025_04_01() {
        assert!(
            feed.contains(&format!("<category term=\"{kind}\"")),
            "{kind}"
        );
        assert!(
            feed.contains(&format!("href=\"https://www.example.gov.cn{url}\"")),
            "{url}"
        );
    }
    // Built twice on the same day, the feed is byte-identical (readers see no phantom updates).
    let (_dir2, again) = built_demo("2025-04-01");
    assert_eq!(
        feed,
        fs::read_to_string(again.join("deadlines/atom.xml")).unwrap()
    );
}

// ---------------------------------------------------------------------------------------------
// In a browser: deadlines.js recomputes the counts for the visitor's day

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The page at `url` after its scripts ran, from headless chromium (`--dump-dom`).
fn rendered_dom(chromium: &str, url: &str) -> Html {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            url,
        ])
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Html::parse_document(&String::from_utf8_lossy(&out.stdout))
}

/// A page built on 2025-03-10 and read later: the script counts from the visitor's date (China
/// time), turning the open consultation's "距截止还有 14 天" into "已截止 N 天".
#[test]
fn the_script_recounts_days_for_the_visitor() {
    let _one = tools::one_browser();
    if !tools::available(
        "the_script_recounts_days_for_the_visitor",
        &[tools::Need::Chromium],
    ) {
        return;
    }
    let chromium = tools::chromium();
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(&demo_root().join("content"), &dir.path().join("content"));
    tree::copy_tree(&demo_root().join("requests"), &dir.path().join("requests"));
    fs::copy(demo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Server(
        bin::command()
            .args(["serve", "--root"])
            .arg(dir.path())
            .args(["--port", &port.to_string(), "--today", "2025-03-10"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "gongkai serve did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let base = format!("http://127.0.0.1:{port}");
    let today = gongkai::domain::calendar::today_utc8();
    let since = |due: &str| (today - due.parse::<NaiveDate>().unwrap()).num_days();
    assert!(
        since("2025-03-24") > 0,
        "the test assumes it runs after 2025-03-24"
    );

    let doc = rendered_dom(
        &chromium,
        &format!("{base}/decisions/2025/school-district-adjustment/"),
    );
    let days = select(&doc, ".consultation-countdown .days");
    assert_eq!(days.len(), 1);
    assert_eq!(text(&days[0]), format!("已截止 {} 天", since("2025-03-24")));
    let para = text(&select(&doc, ".consultation-countdown")[0]);
    assert!(
        para.starts_with("公开征求意见已截止，截止日期 2025-03-24"),
        "{para}"
    );

    // The missing report's count grows; the board says the counts were redone for today.
    let doc = rendered_dom(&chromium, &format!("{base}/agencies/jyj/"));
    let days = select(&doc, ".deadline-badge .days");
    assert_eq!(text(&days[0]), format!("已逾期 {} 天", since("2025-01-31")));
    let board = rendered_dom(&chromium, &format!("{base}/deadlines/"));
    let note = select(&board, ".countdown-note");
    assert!(note[0].value().attr("hidden").is_none());
    assert!(
        text(&note[0]).contains(&today.to_string()),
        "{}",
        text(&note[0])
    );
    // A working-day count is left as built (its due date is shown beside it).
    let rsj = select(&board, "#upcoming .days[data-unit='working_days']");
    assert!(
        rsj.is_empty(),
        "working-day counts carry no data for the script"
    );
    assert!(text(&select(&board, "#upcoming")[0]).contains("距截止还有 15 个工作日"));
}
