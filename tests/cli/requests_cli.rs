//! The request register at the officer's terminal: `gongkai deadlines` and `gongkai check`
//! with its notices.
//!
//! The portal is the minimal good portal without its reports (so that the site itself has no
//! notice above `info` in March–April 2025) and with a register of fgw's requests whose
//! limits were worked out by hand on the 2025 calendar (清明 2025-04-04 is a day off, Sunday
//! 2025-04-27 a working day):
//!
//! | id | received | what | limit |
//! |---|---|---|---|
//! | 2025-0001 | 2025-03-03 | open | 2025-03-31 |
//! | 2025-0002 | 2025-03-10 | open | 2025-04-08 |
//! | 2025-0003 | 2025-02-10 | answered 2025-03-12, two working days late | 2025-03-10 |
//! | 2025-0004 | 2025-03-03 | open, extended on 2025-03-20 | 2025-04-28 |
//! | 2025-0005 | 2025-03-03 | waiting on the applicant's correction since 2025-03-05 | none |

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Words of the requests' subjects, which no output of these commands may show.
pub const SUBJECT: &str = "申请公开甲乙丙项目的批复文件";

fn request(received: &str, extra: &str) -> String {
    format!(
        "agency: fgw\nreceived: {received}\nchannel: 网络\napplicant: natural_person\n\
         subject: |\n  {SUBJECT}。\n{extra}"
    )
}

/// The minimal portal without reports, with the register above.
pub fn portal_with_register() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good/minimal");
    for entry in walkdir::WalkDir::new(&base) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&base).unwrap();
        if rel.starts_with("content/reports") {
            continue;
        }
        let dest = dir.path().join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
    let register = dir.path().join("requests/2025");
    fs::create_dir_all(&register).unwrap();
    for (id, text) in [
        ("2025-0001", request("2025-03-03", "")),
        ("2025-0002", request("2025-03-10", "")),
        (
            "2025-0003",
            request("2025-02-10", "answered: 2025-03-12\noutcome: disclosed\n"),
        ),
        (
            "2025-0004",
            request("2025-03-03", "extension: {decided: 2025-03-20}\n"),
        ),
        (
            "2025-0005",
            request("2025-03-03", "correction: {requested: 2025-03-05}\n"),
        ),
    ] {
        fs::write(register.join(format!("{id}.yaml")), text).unwrap();
    }
    dir
}

pub fn gongkai(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn deadlines_lists_the_registers_notices_apart_from_the_sites() {
    let portal = portal_with_register();
    let out = gongkai(
        &["deadlines", "--today", "2025-04-02", "--format", "json"],
        portal.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    // The site's notices hold none of the register.
    let site = v["notices"].as_array().unwrap();
    assert!(
        site.iter()
            .all(|n| !n["kind"].as_str().unwrap().starts_with("request")),
        "{site:?}"
    );
    let requests: Vec<(&str, &str, &str, &str, i64)> = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["request"]["id"].as_str().unwrap(),
                n["kind"].as_str().unwrap(),
                n["severity"].as_str().unwrap(),
                n["due"].as_str().unwrap(),
                n["days_left"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        requests,
        vec![
            (
                "2025-0003",
                "request-answered-late",
                "overdue",
                "2025-03-10",
                -2
            ),
            ("2025-0001", "request-overdue", "overdue", "2025-03-31", -2),
            ("2025-0002", "request-due", "warning", "2025-04-08", 3),
        ]
    );
    let first = &v["requests"][0];
    assert_eq!(first["request"]["file"], "requests/2025/2025-0003.yaml");
    assert_eq!(first["request"]["agency_name"], "测试市发展和改革委员会");
    assert_eq!(first["answered"], "2025-03-12");
    assert_eq!(first["unit"], "working_days");

    let text = gongkai(&["deadlines", "--today", "2025-04-02"], portal.path());
    let text = String::from_utf8(text.stdout).unwrap();
    let (site, register) = text
        .split_once("依申请公开答复期限（仅供工作人员查看，不在网站上显示）")
        .expect(&text);
    assert!(!site.contains("2025-0001"), "{site}");
    for needle in [
        "已逾期（2）",
        "2025-03-31  逾期未答复    测试市发展和改革委员会 2025-0001",
        "2025-03-03 收到的申请应于 2025-03-31 前答复，至今未答复，已逾期 2 个工作日",
        "requests/2025/2025-0001.yaml",
        "2025-02-10 收到的申请应于 2025-03-10 前答复，2025-03-12 才答复，逾期 2 个工作日",
        "预警（1）",
        "2025-03-10 收到的申请应于 2025-04-08 前答复，尚未答复，距期限还有 3 个工作日",
        "共 3 条：已逾期 2 条，预警 1 条。",
    ] {
        assert!(
            register.contains(needle),
            "missing {needle:?} in\n{register}"
        );
    }
    assert!(!text.contains(SUBJECT), "{text}");
}

#[test]
fn fail_on_counts_the_registers_notices() {
    let portal = portal_with_register();
    let root = portal.path();
    let code = |today: &str, fail_on: &str| {
        gongkai(&["deadlines", "--today", today, "--fail-on", fail_on], root)
            .status
            .code()
    };
    // 2025-03-10: 2025-0003 is due that day (a warning); the site has only a consultation
    // open (info). 2025-04-02: two requests overdue.
    assert_eq!(code("2025-03-10", "overdue"), Some(0));
    assert_eq!(code("2025-03-10", "warning"), Some(1));
    assert_eq!(code("2025-04-02", "overdue"), Some(1));
    // Without the register the same day fails on nothing above info.
    fs::remove_dir_all(root.join("requests")).unwrap();
    assert_eq!(code("2025-03-10", "warning"), Some(0));
    let text = gongkai(&["deadlines", "--today", "2025-03-10"], root);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        !text.contains("依申请公开"),
        "no register, no section: {text}"
    );
}

#[test]
fn check_lists_the_registers_notices_as_warnings_without_quoting_the_files() {
    let portal = portal_with_register();
    let out = gongkai(
        &["check", "--today", "2025-04-02", "--format", "json"],
        portal.path(),
    );
    assert_eq!(out.status.code(), Some(0), "warnings only");
    let found: Vec<(String, String, Value)> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "W090".to_string(),
                "requests/2025/2025-0001.yaml".to_string(),
                Value::Null
            ),
            (
                "W091".to_string(),
                "requests/2025/2025-0002.yaml".to_string(),
                Value::Null
            ),
            (
                "W092".to_string(),
                "requests/2025/2025-0003.yaml".to_string(),
                Value::Null
            ),
        ]
    );
    let text = gongkai(&["check", "--today", "2025-04-02"], portal.path());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("warning[W090]: 逾期未答复：测试市发展和改革委员会 2025-03-03 收到的申请应于 2025-03-31 前答复，至今未答复，已逾期 2 个工作日"),
        "{text}"
    );
    assert!(text.contains("检查完成：0 个错误，3 个警告"), "{text}");
    assert!(!text.contains(SUBJECT), "{text}");
    // A day when nothing is due (2025-0003 has six working days left): a clean check.
    let quiet = gongkai(&["check", "--today", "2025-02-28"], portal.path());
    let quiet = String::from_utf8(quiet.stdout).unwrap();
    assert!(quiet.starts_with("检查完成：0 个错误，0 个警告"), "{quiet}");
}

#[test]
fn requests_lists_the_open_requests_by_their_limits() {
    let portal = portal_with_register();
    let out = gongkai(
        &["requests", "--today", "2025-04-02", "--format", "json"],
        portal.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json(&out);
    let open: Vec<(&str, &str, Value, Value)> = v["open"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["request"]["id"].as_str().unwrap(),
                o["status"].as_str().unwrap(),
                o["due"].clone(),
                o["days_left"].clone(),
            )
        })
        .collect();
    assert_eq!(
        open,
        [
            ("2025-0001", "办理中", "2025-03-31".into(), (-2).into()),
            ("2025-0002", "办理中", "2025-04-08".into(), 3.into()),
            ("2025-0004", "已延长", "2025-04-28".into(), 18.into()),
            ("2025-0005", "等待补正", Value::Null, Value::Null),
        ]
    );
    let text = gongkai(&["requests", "--today", "2025-04-02"], portal.path());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("2025-03-31  办理中"), "{text}");
    assert!(text.contains("共 4 件未答复，其中已逾期 1 件。"), "{text}");
    assert!(!text.contains(SUBJECT), "{text}");
    // Another agency has none.
    let other = gongkai(
        &["requests", "--today", "2025-04-02", "--agency", "gov"],
        portal.path(),
    );
    assert!(String::from_utf8(other.stdout)
        .unwrap()
        .contains("没有未答复的申请。"));
}

#[test]
fn requests_counts_an_agencys_section_three_for_a_year() {
    let portal = portal_with_register();
    let out = gongkai(
        &[
            "requests", "--agency", "fgw", "--year", "2025", "--format", "json",
        ],
        portal.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json(&out);
    assert_eq!(v["format"], "2021");
    let row = |key: &str| -> Vec<i64> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("no row {key}"))["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_i64().unwrap())
            .collect()
    };
    assert_eq!(row("new"), [5, 0, 0, 0, 0, 0, 5]);
    assert_eq!(row("carried_over"), [0; 7]);
    assert_eq!(row("results.disclosed"), [1, 0, 0, 0, 0, 0, 1]);
    assert_eq!(row("results.total"), [1, 0, 0, 0, 0, 0, 1]);
    assert_eq!(row("carried_forward"), [4, 0, 0, 0, 0, 0, 4]);
    let text = gongkai(
        &["requests", "--agency", "fgw", "--year", "2025"],
        portal.path(),
    );
    let text = String::from_utf8(text.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("四、结转下年度继续办理"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.ends_with(" 4"), "{line}");
    // An agency that does not exist is an error, not an empty table.
    let out = gongkai(
        &["requests", "--agency", "fwg", "--year", "2025"],
        portal.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`fwg`"));
}

#[test]
fn the_registers_findings_are_chinese_unless_english_is_asked_for() {
    let portal = portal_with_register();
    fs::write(
        portal.path().join("requests/2025/2025-0009.yaml"),
        request(
            "2025-03-10",
            "answered: 2025-03-07\noutcome: disclosed\nchanel: 网络\n",
        ),
    )
    .unwrap();
    let find = |lang: &str, code: &str| -> (String, String) {
        let out = gongkai(
            &["check", "--format", "json", "--lang", lang],
            portal.path(),
        );
        let v = json(&out);
        let d = v
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {v:#}"))
            .clone();
        (
            d["message"].as_str().unwrap().to_string(),
            d["hint"].as_str().unwrap_or("").to_string(),
        )
    };
    let (zh, _) = find("zh", "E080");
    assert_eq!(zh, "答复之日早于收到申请之日（2025-03-07 早于 2025-03-10）");
    let (en, hint) = find("en", "E080");
    assert_eq!(
        en,
        "the answer is dated before the request was received (2025-03-07 is before 2025-03-10)"
    );
    assert!(hint.starts_with("check both dates"), "{hint}");
    assert_eq!(find("zh", "W014").0, "未知字段 `chanel`，已忽略");
    assert_eq!(find("en", "W014").0, "unknown key `chanel`: ignored");
}
