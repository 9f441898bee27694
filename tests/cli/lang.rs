//! The language gongkai speaks: Chinese unless English is asked for, by `--lang`,
//! `GONGKAI_LANG` or the locale, with the same codes and values in both.

use std::path::Path;
use std::process::{Command, Output};

use crate::bin;

/// The binary with no language asked for, whatever the machine running the tests has set.
fn bare() -> Command {
    let mut c = Command::new(bin::gongkai());
    for var in ["GONGKAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(var);
    }
    c
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn help(c: &mut Command) -> String {
    let out = c.arg("--help").output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[test]
fn help_is_chinese_unless_english_is_asked_for() {
    let zh = help(&mut bare());
    assert!(
        zh.contains("用法：gongkai") && zh.contains("检查整个门户"),
        "{zh}"
    );
    assert!(
        !zh.contains("Usage") && !zh.contains("Check the whole"),
        "{zh}"
    );

    let sub = help(bare().arg("check"));
    assert!(
        sub.contains("用法：gongkai check") && sub.contains("门户文件夹"),
        "{sub}"
    );

    for en in [
        help(bare().args(["--lang", "en"])),
        help(bare().arg("--lang=en")),
        help(bare().env("GONGKAI_LANG", "en")),
        help(bare().env("LANG", "en_US.UTF-8")),
    ] {
        assert!(
            en.contains("Usage: gongkai") && en.contains("Check the whole portal"),
            "{en}"
        );
        assert!(!en.contains("检查整个门户"), "{en}");
    }
    let en_sub = help(bare().args(["new", "--lang", "en"]));
    assert!(
        en_sub.contains("Arguments:") && en_sub.contains("The kind of record"),
        "{en_sub}"
    );

    // A Chinese or a C locale, or --lang zh over an English locale: Chinese.
    for zh in [
        help(bare().env("LANG", "zh_CN.UTF-8")),
        help(bare().env("LANG", "C.UTF-8")),
        help(bare().env("LANG", "en_US.UTF-8").args(["--lang", "zh"])),
        help(
            bare()
                .env("LC_ALL", "zh_CN.UTF-8")
                .env("LANG", "en_US.UTF-8"),
        ),
    ] {
        assert!(zh.contains("用法："), "{zh}");
    }
}

#[test]
fn command_line_errors_are_chinese_unless_english_is_asked_for() {
    let run = |args: &[&str]| {
        let out = bare().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        text(&out)
    };
    let unknown = run(&["build", "--roo", "x"]);
    assert!(
        unknown.starts_with("错误：不认识的参数 `--roo`\n  提示：是不是要写 `--root`？"),
        "{unknown}"
    );
    assert!(unknown.contains("用法：gongkai build"), "{unknown}");
    assert!(
        !unknown.contains("Usage") && !unknown.contains("error:"),
        "{unknown}"
    );
    let command = run(&["chek"]);
    assert!(command.contains("没有 `chek` 这个命令"), "{command}");
    assert!(command.contains("是不是要写 `check`？"), "{command}");
    let kind = run(&["new", "wat"]);
    assert!(
        kind.contains("不能取 `wat`；可以写：document、power"),
        "{kind}"
    );
    let date = run(&["build", "--today", "2026-13-01"]);
    assert!(
        date.contains("--today <TODAY> 的值 `2026-13-01` 不对：应为 YYYY-MM-DD"),
        "{date}"
    );
    let port = run(&["serve", "--port", "abc"]);
    assert!(port.contains("--port <PORT> 的值 `abc` 不对"), "{port}");
    assert!(!port.contains("invalid digit"), "{port}");
    assert!(run(&["search"]).contains("缺少必须写的参数：<QUERY>"));
    assert!(run(&["check", "--root", "a", "--root", "b"]).contains("--root <ROOT> 只能写一次"));
    let en = run(&["build", "--bogus", "--lang", "en"]);
    assert!(en.contains("error: unexpected argument '--bogus'"), "{en}");
}

#[test]
fn an_unknown_language_is_refused_in_chinese() {
    let out = bare().args(["check", "--lang", "fr"]).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("zh 或 en"), "{}", text(&out));
}

#[test]
fn summaries_and_command_errors_follow_the_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let check = |lang: &str| {
        let out = bare()
            .args(["check", "--lang", lang, "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        text(&out)
    };
    let zh = check("zh");
    assert!(
        zh.ends_with("检查完成：0 个错误，0 个警告，共 16 个文件/记录\n"),
        "{zh}"
    );
    let en = check("en");
    assert!(
        en.ends_with("checked: 0 errors, 0 warnings, 16 files/records\n"),
        "{en}"
    );

    // A portal just made, never built: no search index yet.
    let tmp = tempfile::tempdir().unwrap();
    let fresh = tmp.path().join("fresh");
    assert!(bare()
        .arg("init")
        .arg(&fresh)
        .output()
        .unwrap()
        .status
        .success());
    let search = |lang: &str| {
        let out = bare()
            .args(["search", "许可", "--lang", lang, "--root"])
            .arg(&fresh)
            .output()
            .unwrap();
        assert!(!out.status.success());
        text(&out)
    };
    let zh = search("zh");
    assert!(
        zh.starts_with("错误：没有找到搜索索引") && zh.contains("请先运行 gongkai build"),
        "{zh}"
    );
    let en = search("en");
    assert!(
        en.starts_with("error: no search index") && en.contains("run gongkai build first"),
        "{en}"
    );

    let taken = tmp.path().join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("notes.txt"), "x").unwrap();
    let init = |lang: &str| {
        let out = bare()
            .args(["init", "--lang", lang])
            .arg(&taken)
            .output()
            .unwrap();
        assert!(!out.status.success());
        text(&out)
    };
    let zh = init("zh");
    assert!(
        zh.contains("不是空文件夹") && zh.contains("notes.txt"),
        "{zh}"
    );
    let en = init("en");
    assert!(
        en.contains("is not empty") && en.contains("notes.txt"),
        "{en}"
    );
    assert_eq!(
        std::fs::read_dir(&taken).unwrap().count(),
        1,
        "init wrote into a taken folder"
    );
}
