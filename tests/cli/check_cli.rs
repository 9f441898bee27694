//! `gongkai check` and `gongkai build` as an officer runs them: exit codes, the text and JSON
//! reports, and a build that refuses to publish what check rejects.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::bin;
use crate::tree;

/// A copy of the minimal good portal of the bad-portal corpus.
fn good_portal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good/minimal"),
        dir.path(),
    );
    dir
}

fn gongkai(args: &[&str], root: &Path) -> Output {
    bin::command()
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Breaks the first agency's credit code check digit, returning the file and the line.
fn break_credit_code(root: &Path) -> (String, usize) {
    let dir = root.join("content/agencies");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        if let Some(i) = text.lines().position(|l| l.starts_with("credit_code:")) {
            let line = text.lines().nth(i).unwrap();
            let code = line.split(':').nth(1).unwrap().trim().trim_matches('"');
            let last = code.chars().last().unwrap();
            let wrong = if last == '0' { '1' } else { '0' };
            let broken = format!("{}{wrong}", &code[..code.len() - 1]);
            fs::write(&path, text.replacen(code, &broken, 1)).unwrap();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            return (rel, i + 1);
        }
    }
    panic!("no agency with a credit code in the minimal portal");
}

#[test]
fn a_clean_portal_prints_only_the_summary_and_exits_0() {
    let portal = good_portal();
    let out = gongkai(&["check"], portal.path());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("检查完成：0 个错误，0 个警告"),
        "{stdout}"
    );
}

#[test]
fn the_demo_portal_checks_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = gongkai(&["check"], root);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert_eq!(
        stdout.lines().count(),
        1,
        "the demo must check clean:\n{stdout}"
    );
}

#[test]
fn an_error_is_shown_with_its_place_and_exits_1() {
    let portal = good_portal();
    let (file, line) = break_credit_code(portal.path());
    let out = gongkai(&["check"], portal.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("error[E"), "{stdout}");
    assert!(stdout.contains(&format!("{file}:{line}:")), "{stdout}");
    assert!(stdout.contains("检查完成：1 个错误"), "{stdout}");
}

#[test]
fn json_output_names_file_line_and_code() {
    let portal = good_portal();
    let (file, line) = break_credit_code(portal.path());
    let out = gongkai(&["check", "--format", "json"], portal.path());
    assert_eq!(out.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = diags.as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], file.as_str());
    assert_eq!(d["line"], line);
    assert!(d["code"].as_str().unwrap().starts_with('E'));
    assert!(d["hint"].as_str().is_some_and(|h| !h.is_empty()), "{d}");
}

/// `check --format json` of `root`, with `extra` arguments (`--lang en`).
fn json_check(root: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = gongkai(&args, root);
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    diags.as_array().unwrap().clone()
}

/// The diagnostic of `code`, and its message and hint.
fn by_code<'a>(diags: &'a [serde_json::Value], code: &str) -> (&'a str, &'a str) {
    let d = diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"));
    (
        d["message"].as_str().unwrap(),
        d["hint"].as_str().unwrap_or(""),
    )
}

/// Where each diagnostic is and what it is, without its words.
fn places(diags: &[serde_json::Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| format!("{} {}:{} {}", d["code"], d["file"], d["line"], d["column"]))
        .collect()
}

/// An officer reads the findings about references and identifiers in Chinese; `--lang en`
/// gives the same findings, at the same places, with the same quoted values, in English.
#[test]
fn reference_and_credit_code_findings_are_chinese_unless_english_is_asked_for() {
    let portal = good_portal();
    let decision = portal.path().join("content/decisions/2025/bus-fares.md");
    let text = fs::read_to_string(&decision).unwrap();
    fs::write(&decision, text.replacen("agency: fgw", "agency: fgx", 1)).unwrap();
    break_credit_code(portal.path());

    let zh = json_check(portal.path(), &[]);
    let en = json_check(portal.path(), &["--lang", "en"]);
    assert_eq!(places(&zh), places(&en));

    let (message, hint) = by_code(&zh, "E040");
    assert_eq!(message, "机关 `fgx` 不存在");
    assert!(
        hint.starts_with("是不是要写 `fgw`？请写 `content/agencies/`"),
        "{hint}"
    );
    let (message, hint) = by_code(&en, "E040");
    assert_eq!(message, "agency `fgx` does not exist");
    assert!(
        hint.starts_with("did you mean `fgw`? agencies are"),
        "{hint}"
    );

    let (message, hint) = by_code(&zh, "E030");
    assert!(
        message.starts_with("统一社会信用代码的最后一位（校验码）是 `"),
        "{message}"
    );
    assert!(hint.starts_with("请对照证书核对代码"), "{hint}");
    let (message, _) = by_code(&en, "E030");
    assert!(
        message.starts_with("the credit code's check character is `"),
        "{message}"
    );
}

/// The report arithmetic and the carry-over warning, whose other place (last year's report)
/// is named in the message, in both languages.
#[test]
fn report_arithmetic_is_chinese_unless_english_is_asked_for() {
    let portal = good_portal();
    let report = portal.path().join("content/reports/2024/fgw.yaml");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        text.replacen(
            "carried_over: [1, 0, 0, 0, 0, 0, 1]",
            "carried_over: [2, 0, 0, 0, 0, 0, 2]",
            1,
        ),
    )
    .unwrap();

    let zh = json_check(portal.path(), &[]);
    let en = json_check(portal.path(), &["--lang", "en"]);
    assert_eq!(places(&zh), places(&en));

    let (message, hint) = by_code(&zh, "E062");
    assert_eq!(
        message,
        "「四、结转下年度继续办理」行「自然人」列：填的是 1，但 一 + 二 − （七）总计 = 2"
    );
    assert!(hint.starts_with("请逐列核对："), "{hint}");
    let (message, _) = by_code(&en, "E062");
    assert_eq!(
        message,
        "row 「四、结转下年度继续办理」, column 「自然人」: is 1 but 一 + 二 − （七）总计 = 2"
    );

    let (message, _) = by_code(&zh, "W063");
    assert!(
        message.contains("（另见 `content/reports/2023/fgw.yaml:42`）"),
        "{message}"
    );
    let (message, _) = by_code(&en, "W063");
    assert!(
        message.ends_with(" (also in content/reports/2023/fgw.yaml:42)"),
        "{message}"
    );
}

#[test]
fn build_refuses_what_check_rejects_and_writes_nothing() {
    let portal = good_portal();
    break_credit_code(portal.path());
    let out = gongkai(&["build", "--today", "2026-01-05"], portal.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("构建失败"), "{stderr}");
    assert!(!portal.path().join("public").exists());
    let leftovers: Vec<_> = fs::read_dir(portal.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".gongkai"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn warnings_alone_exit_0() {
    let portal = good_portal();
    let agency = portal.path().join("content/agencies");
    let first = fs::read_dir(&agency)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = fs::read_to_string(&first).unwrap();
    fs::write(&first, format!("{text}\nadress: 示例路 1 号\n")).unwrap();
    let out = gongkai(&["check"], portal.path());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("warning["), "{stdout}");
    assert!(stdout.contains("是不是要写 `address`？"), "{stdout}");
}

#[test]
fn a_static_file_may_not_land_among_the_generated_pages() {
    let portal = good_portal();
    let statics = portal.path().join("content/static");
    fs::create_dir_all(statics.join("documents")).unwrap();
    fs::write(statics.join("documents/notice.pdf"), "%PDF").unwrap();
    fs::write(statics.join("index.html"), "<p>mine</p>").unwrap();
    fs::write(statics.join("search"), "a file where the search index goes").unwrap();
    // A top-level file of another name is fine, as is a folder of one's own.
    fs::write(statics.join("favicon.ico"), "ico").unwrap();
    fs::create_dir_all(statics.join("downloads/documents")).unwrap();
    fs::write(statics.join("downloads/documents/a.pdf"), "%PDF").unwrap();
    let out = gongkai(&["check", "--format", "json"], portal.path());
    assert_eq!(out.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut files: Vec<(&str, &str)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ("content/static/documents/notice.pdf", "E026"),
            ("content/static/index.html", "E026"),
            ("content/static/search", "E026"),
        ],
        "{diags:#}"
    );
    let hint = diags[0]["hint"].as_str().unwrap();
    assert!(hint.contains("content/static/attachments/"), "{hint}");
}

/// A link in content/static/ may only lead to another file of content/static/: the site would
/// otherwise publish whatever it points at (the portal's .git, the built site, /etc/passwd).
#[cfg(unix)]
#[test]
fn a_static_link_out_of_content_static_is_refused_and_never_followed() {
    use std::os::unix::fs::symlink;
    let portal = good_portal();
    let root = portal.path();
    let statics = root.join("content/static");
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join(".git/config"), "[remote] url = secret").unwrap();
    symlink("../../site.toml", statics.join("settings.toml")).unwrap();
    symlink(root.join(".git"), statics.join("repo")).unwrap();
    symlink("/etc/passwd", statics.join("passwd.txt")).unwrap();
    symlink("../..", statics.join("attachments/everything")).unwrap();
    // Links that stay inside content/static/ are kept.
    symlink("fares.csv", statics.join("attachments/fares-latest.csv")).unwrap();
    symlink("attachments", statics.join("files")).unwrap();

    let out = gongkai(&["check", "--format", "json"], root);
    assert_eq!(out.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<(&str, &str, serde_json::Value)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["line"].clone(),
            )
        })
        .collect();
    found.sort_by_key(|f| f.0);
    let null = serde_json::Value::Null;
    assert_eq!(
        found,
        [
            (
                "content/static/attachments/everything",
                "E021",
                null.clone()
            ),
            ("content/static/passwd.txt", "E021", null.clone()),
            ("content/static/repo", "E021", null.clone()),
            ("content/static/settings.toml", "E021", null),
        ],
        "{diags:#}"
    );

    let loaded = gongkai::load::load(root).unwrap();
    let mut published = loaded.portal.static_files.clone();
    published.sort();
    assert_eq!(
        published,
        [
            "attachments/fares-latest.csv",
            "attachments/fares.csv",
            "files/fares-latest.csv",
            "files/fares.csv",
            "templates/application.docx",
        ]
    );

    let out = gongkai(&["build", "--today", "2026-01-05"], root);
    assert_eq!(out.status.code(), Some(1));
    assert!(!root.join("public").exists());

    // Without the links that leave, the build copies what the others point at.
    for link in [
        "settings.toml",
        "repo",
        "passwd.txt",
        "attachments/everything",
    ] {
        fs::remove_file(statics.join(link)).unwrap();
    }
    let out = gongkai(&["build", "--today", "2026-01-05"], root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fares = fs::read(statics.join("attachments/fares.csv")).unwrap();
    assert_eq!(
        fs::read(root.join("public/attachments/fares-latest.csv")).unwrap(),
        fares
    );
    assert_eq!(
        fs::read(root.join("public/files/fares.csv")).unwrap(),
        fares
    );
}

/// `check --format json` prints a JSON array whatever goes wrong, so that a script can always
/// parse its output: also when there is no portal to check.
#[test]
fn json_output_is_an_array_even_when_site_toml_is_broken() {
    let json_check = |root: &Path| {
        let out = gongkai(&["check", "--format", "json"], root);
        assert_eq!(out.status.code(), Some(1));
        let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {:?}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let diags = diags.as_array().unwrap().clone();
        assert_eq!(diags.len(), 1, "{diags:?}");
        diags[0].clone()
    };

    let portal = good_portal();
    let site = portal.path().join("site.toml");
    fs::write(&site, "title = \"示例市\"\npaginate_by = \n").unwrap();
    let d = json_check(portal.path());
    assert_eq!(
        (&d["severity"], &d["code"], &d["file"], &d["line"]),
        (
            &"error".into(),
            &"E008".into(),
            &"site.toml".into(),
            &2.into()
        ),
        "{d}"
    );
    assert!(d["column"].as_u64().is_some_and(|c| c > 0), "{d}");

    fs::write(&site, "title = \"示例\u{0}市\"\r\n").unwrap();
    let d = json_check(portal.path());
    assert_eq!(
        (&d["code"], &d["file"]),
        (&"E017".into(), &"site.toml".into())
    );
    assert_eq!((&d["line"], &d["column"]), (&1.into(), &12.into()));

    fs::remove_file(&site).unwrap();
    let d = json_check(portal.path());
    assert_eq!(
        (&d["code"], &d["file"]),
        (&"E008".into(), &"site.toml".into())
    );
    assert_eq!(d["line"], serde_json::Value::Null);
}

/// What the loader says about a record it cannot read is Chinese by default and English with
/// `--lang en`; the code, the key and the place are the same in both.
#[test]
fn load_errors_are_chinese_by_default_and_english_on_request() {
    let portal = good_portal();
    let doc = portal.path().join("content/documents/2025/price-notice.md");
    let text = fs::read_to_string(&doc).unwrap();
    let text = text
        .replace("written: 2025-04-25", "written: 2025-02-30")
        .replace("normative: true", "normative: 是");
    fs::write(&doc, text.replacen("---\n", "---\nsumary: x\n", 1)).unwrap();
    let diags = |lang: &[&str]| {
        let out = gongkai(
            &[&["check", "--format", "json"], lang].concat(),
            portal.path(),
        );
        assert_eq!(out.status.code(), Some(1));
        let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut found: Vec<(String, u64, String, String)> = diags
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["file"] == "content/documents/2025/price-notice.md")
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                    d["hint"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let zh = diags(&[]);
    let en = diags(&["--lang", "en"]);
    let place = |f: &[(String, u64, String, String)]| -> Vec<(String, u64)> {
        f.iter().map(|(c, l, _, _)| (c.clone(), *l)).collect()
    };
    assert_eq!(
        place(&zh),
        [
            ("E011".to_string(), 10),
            ("E012".to_string(), 8),
            ("W014".to_string(), 2)
        ],
        "{zh:#?}"
    );
    assert_eq!(place(&en), place(&zh));
    assert_eq!(
        zh[0].2,
        "字段 `normative` 应为是/否（`true` 或 `false`），实际是文字 `是`"
    );
    assert_eq!(
        en[0].2,
        "normative: invalid type: string \"是\", expected a boolean"
    );
    assert_eq!(
        zh[1].2,
        "字段 `written` 的日期不存在（月份在 1–12 之间，日不超过当月天数）"
    );
    assert!(zh[1].3.starts_with("请写成 `2025-03-31`"), "{zh:#?}");
    assert_eq!(en[1].2, "written: input is out of range");
    assert!(en[1].3.starts_with("write dates as YYYY-MM-DD"), "{en:#?}");
    assert_eq!(
        (zh[2].2.as_str(), zh[2].3.as_str()),
        ("不认识的字段 `sumary`，已忽略", "是不是要写 `summary`？")
    );
    assert_eq!(
        (en[2].2.as_str(), en[2].3.as_str()),
        ("unknown key `sumary` is ignored", "did you mean `summary`?")
    );
}

/// site.toml's errors name the key in Chinese; English with GONGKAI_LANG=en as with --lang.
#[test]
fn a_site_toml_error_names_its_key_in_chinese_or_english() {
    let portal = good_portal();
    let site = portal.path().join("site.toml");
    let text = fs::read_to_string(&site).unwrap();
    fs::write(
        &site,
        text.replace("[deadlines]\n", "[deadlines]\nwarn_days = -3\n"),
    )
    .unwrap();
    let out = gongkai(&["check"], portal.path());
    // A portal that cannot be loaded is reported on stderr.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "site.toml：字段 `deadlines.warn_days` 的值不对：应为不小于 0 的整数，实际是整数 `-3`"
        ),
        "{stderr}"
    );
    let out = bin::command()
        .args(["check", "--root"])
        .arg(portal.path())
        .env("NO_COLOR", "1")
        .env("GONGKAI_LANG", "en")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("site.toml: invalid value: integer `-3`, expected u32"),
        "{stderr}"
    );
}
