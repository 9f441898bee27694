//! `gongkai init [DIR]`: a new portal that checks and builds as it is written, for an office to
//! fill in: commented settings, the content folders, one agency whose credit code is the
//! placeholder `check` warns about (W073), a home page, the skeleton of the disclosure guide,
//! CI for GitLab and GitHub, and a README of the daily commands. The files are in `init/`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The files of a new portal: the path in the portal (with `/`), and the contents.
pub const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("init/site.toml")),
    ("README.md", include_str!("init/README.md")),
    // Kept without the dot here: a `.gitignore` under src/ would apply to this repository.
    (".gitignore", include_str!("init/gitignore")),
    (".gitlab-ci.yml", include_str!("init/gitlab-ci.yml")),
    (
        ".github/workflows/portal.yml",
        include_str!("init/github-portal.yml"),
    ),
    ("content/index.md", include_str!("init/index.md")),
    ("content/pages/guide.md", include_str!("init/guide.md")),
    (AGENCY_FILE, include_str!("init/agency.yaml")),
    // git keeps no empty folder; the loader and the site copy skip dot files.
    ("content/documents/.gitkeep", ""),
    ("content/power/.gitkeep", ""),
    ("content/services/.gitkeep", ""),
    ("content/decisions/.gitkeep", ""),
    ("content/reports/.gitkeep", ""),
    ("content/static/.gitkeep", ""),
];

/// The agency file the office fills in first.
pub const AGENCY_FILE: &str = "content/agencies/gov.yaml";

/// Runs `gongkai init`: writes the portal and says what to do next.
pub fn run(dir: &Path) -> ExitCode {
    match create(dir) {
        Ok(()) => {
            let shown = dir.display();
            let mut steps = Vec::new();
            if dir != Path::new(".") {
                steps.push(crate::zh_en!(
                    format!("进入门户文件夹：cd {shown}"),
                    format!("go into the portal's folder: cd {shown}")
                ));
            }
            steps.extend(crate::zh_en!(
                [
                    "编辑 site.toml：站点名称 title、正式网址 base_url 和页脚 [footer]".to_string(),
                    format!("编辑 {AGENCY_FILE}：本机关全称和统一社会信用代码（现在是占位代码，gongkai check 会提示 W073）"),
                    "编辑 content/pages/guide.md（政府信息公开指南）：把“【请填写……】”换成实际内容".to_string(),
                    "运行 gongkai check，再用 gongkai serve 在本机预览".to_string(),
                ],
                [
                    "edit site.toml: the site's title, its base_url and the [footer]".to_string(),
                    format!("edit {AGENCY_FILE}: the agency's full name and credit code (a placeholder now: gongkai check warns W073)"),
                    "edit content/pages/guide.md (the disclosure guide): replace every “【请填写……】”".to_string(),
                    "run gongkai check, then preview with gongkai serve".to_string(),
                ]
            ));
            println!(
                "{}",
                crate::zh_en!(
                    format!("已在 {shown} 新建门户。接下来："),
                    format!("New portal in {shown}. Next:")
                )
            );
            for (i, s) in steps.iter().enumerate() {
                println!("  {}. {s}", i + 1);
            }
            println!(
                "{}",
                crate::zh_en!(
                    "日常命令、自动检查和发布的设置见 README.md。",
                    "README.md describes the daily commands, the automatic checks and publishing."
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", super::error_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// Writes a new portal into `dir`, which must not exist, be empty, or hold only `.git` (a
/// repository just cloned). Nothing is written when it is refused.
pub fn create(dir: &Path) -> Result<(), String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut taken = Vec::new();
            for e in entries {
                let e = e.map_err(|e| unreadable(dir, &e))?;
                if e.file_name() != ".git" {
                    taken.push(e.file_name().to_string_lossy().into_owned());
                }
            }
            if !taken.is_empty() {
                taken.sort();
                let shown = taken.iter().take(3).cloned().collect::<Vec<_>>().join("、");
                let more = taken.len() > 3;
                let dir = dir.display();
                return Err(crate::zh_en!(
                    format!(
                        "{dir} 不是空文件夹（其中有 {shown}{}），gongkai init 没有写入任何文件。请指定一个新的或空的文件夹，例如：gongkai init my-portal",
                        if more { " 等" } else { "" }
                    ),
                    format!(
                        "{dir} is not empty (it holds {}{}), so gongkai init wrote nothing: name a new or empty folder, e.g. gongkai init my-portal",
                        shown.replace('、', ", "),
                        if more { " and more" } else { "" }
                    )
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) if dir.is_file() => {
            let shown = dir.display();
            return Err(crate::zh_en!(
                format!("{shown} 是一个文件，不是文件夹，gongkai init 没有写入任何文件。请指定一个新的或空的文件夹"),
                format!("{shown} is a file, not a folder, so gongkai init wrote nothing: name a new or empty folder")
            ));
        }
        Err(e) => return Err(unreadable(dir, &e)),
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                let p = parent.display();
                crate::zh_en!(
                    format!("无法建立文件夹 {p}：{e}"),
                    format!("cannot create folder {p}: {e}")
                )
            })?;
        }
        // create_new: a file that appeared since the folder was found empty is not replaced.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| {
                let p = path.display();
                crate::zh_en!(
                    format!("无法写入 {p}：{e}"),
                    format!("cannot write {p}: {e}")
                )
            })?;
    }
    Ok(())
}

fn unreadable(dir: &Path, e: &std::io::Error) -> String {
    let d = dir.display();
    crate::zh_en!(
        format!("无法读取文件夹 {d}：{e}"),
        format!("cannot read folder {d}: {e}")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::SiteConfig;

    fn file(rel: &str) -> &'static str {
        FILES.iter().find(|(p, _)| *p == rel).unwrap().1
    }

    /// The keys of a TOML table, dotted, leaves only.
    fn leaves(prefix: &str, v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    leaves(&key, v, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }

    #[test]
    fn site_toml_sets_every_setting_to_its_default_with_a_chinese_comment() {
        let text = file("site.toml");
        let (config, warnings) = SiteConfig::parse(text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        // What the file itself sets, not what loading fills in with defaults.
        let mut written = Vec::new();
        leaves(
            "",
            &text.parse::<toml::Table>().unwrap().into(),
            &mut written,
        );
        let mut defaults = Vec::new();
        let default = toml::Value::try_from(SiteConfig::default()).unwrap();
        leaves("", &default, &mut defaults);
        assert_eq!(written, defaults, "site.toml leaves out a setting");
        let ours = ["title", "description", "base_url"];
        let footer = |k: &str| k.starts_with("footer.");
        for key in defaults
            .iter()
            .filter(|k| !ours.contains(&k.as_str()) && !footer(k))
        {
            let get = |v: &toml::Value| {
                key.split('.')
                    .try_fold(v.clone(), |v, k| v.get(k).cloned())
                    .unwrap()
            };
            assert_eq!(
                get(&toml::Value::try_from(&config).unwrap()),
                get(&default),
                "{key}"
            );
        }
        // Each setting (and the commented-out index_no_pattern and [deadlines.by_category]
        // example) has a comment in Chinese on its line.
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let mut settings = 0;
        for line in text.lines() {
            let code = line.trim_start_matches("# ");
            if code.contains(" = ") || code.starts_with('[') {
                settings += 1;
                let body = line.strip_prefix('#').unwrap_or(line);
                let comment = body.split_once(" #").map(|(_, c)| c);
                assert!(comment.is_some_and(cjk), "no Chinese comment: {line}");
            }
        }
        assert_eq!(
            settings,
            defaults.len() + 2 + 2 + 8,
            "settings + index_no_pattern and complete_since + two by_category examples + eight tables"
        );
    }

    #[test]
    fn every_setting_is_described_for_officers() {
        let doc = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content-format.md"),
        )
        .unwrap();
        let start = doc.find("## 三、站点设置").unwrap();
        let end = doc.find("## 四、").unwrap();
        let section = &doc[start..end];
        let mut settings = Vec::new();
        leaves(
            "",
            &toml::Value::try_from(SiteConfig::default()).unwrap(),
            &mut settings,
        );
        settings.push("catalog.index_no_pattern".into());
        settings.push("requests.complete_since".into());
        for key in settings {
            let name = key.rsplit('.').next().unwrap();
            assert!(section.contains(&format!("| `{name}` |")), "{key}");
        }
    }

    #[test]
    fn the_agency_carries_the_placeholder_credit_code() {
        let text = file(AGENCY_FILE);
        let code = crate::domain::identifiers::PLACEHOLDER_CREDIT_CODE;
        assert!(text.contains(&format!("credit_code: \"{code}\"")), "{text}");
    }

    #[test]
    fn refuses_a_folder_with_anything_but_git_in_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let e = create(dir.path()).unwrap_err();
        assert!(e.contains("不是空文件夹") && e.contains("notes.txt"), "{e}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);

        let clone = tempfile::tempdir().unwrap();
        std::fs::create_dir(clone.path().join(".git")).unwrap();
        create(clone.path()).unwrap();
        assert!(clone.path().join(AGENCY_FILE).is_file());
    }
}
