//! From an empty folder to a live portal: `gongkai init` writes a portal that checks and
//! builds, whose CI files run (their gongkai lines, with this build's binary) against it; and
//! the nginx configuration of docs/hosting.md serves a built site as the search page needs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/bin.rs"]
mod bin;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin::gongkai())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A new portal in a temporary folder, made by `gongkai init DIR`.
fn new_portal() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    let out = run(tmp.path(), &["init", "portal"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("cd portal"), "{}", text(&out));
    (tmp, dir)
}

/// `gongkai check --format json` of `dir`: exit status and findings.
fn check(dir: &Path) -> (bool, Vec<serde_json::Value>) {
    let out = run(dir, &["check", "--format", "json"]);
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    (out.status.success(), findings)
}

fn codes(findings: &[serde_json::Value]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_new_portal_checks_with_only_the_placeholder_warning_and_builds() {
    let (_tmp, dir) = new_portal();
    for folder in [
        "agencies",
        "documents",
        "power",
        "services",
        "decisions",
        "reports",
        "pages",
        "static",
    ] {
        assert!(dir.join("content").join(folder).is_dir(), "{folder}");
    }
    let (ok, findings) = check(&dir);
    assert!(ok, "{findings:#?}");
    assert_eq!(
        codes(&findings),
        [("W073".to_string(), "content/agencies/gov.yaml".to_string())],
        "{findings:#?}"
    );
    assert_eq!(findings[0]["severity"], "warning");

    let before: Vec<_> = top_level(&dir);
    let out = run(&dir, &["build", "--today", "2026-03-02"]);
    assert!(out.status.success(), "{}", text(&out));
    let guide = std::fs::read_to_string(dir.join("public/pages/guide/index.html")).unwrap();
    for heading in [
        "信息分类和编排体系",
        "获取方式",
        "受理机构",
        "办理程序和时限",
        "监督方式和救济途径",
        "政府信息公开工作机构",
    ] {
        assert!(guide.contains(heading), "the guide has no {heading}");
    }
    assert!(dir.join("public/agencies/gov/index.html").is_file());
    // A second build leaves the first site beside the new one as its spare. All that the
    // builds wrote is what .gitignore keeps out of the repository.
    let out = run(&dir, &["build", "--today", "2026-03-02"]);
    assert!(out.status.success(), "{}", text(&out));
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    let patterns: Vec<&str> = ignore.lines().filter(|l| l.starts_with('/')).collect();
    assert_eq!(patterns, ["/public", "/search-index", "/.gongkai-*"]);
    let made: Vec<String> = top_level(&dir)
        .into_iter()
        .filter(|n| !before.contains(n))
        .collect();
    assert!(made.len() >= 3, "{made:?}");
    for name in made {
        let ignored = patterns.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => format!("/{name}").starts_with(prefix),
            None => format!("/{name}") == *p,
        });
        assert!(ignored, "{name} is not in .gitignore");
    }
}

fn top_level(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_placeholder_warning_goes_once_the_agency_has_its_own_code() {
    let (_tmp, dir) = new_portal();
    let agency = dir.join("content/agencies/gov.yaml");
    let yaml = std::fs::read_to_string(&agency).unwrap();
    // A second agency copied from the first, still on the placeholder: two warnings, and
    // not a duplicate-code error.
    std::fs::write(dir.join("content/agencies/office.yaml"), &yaml).unwrap();
    let (ok, findings) = check(&dir);
    assert!(ok, "{findings:#?}");
    let mut found = codes(&findings);
    found.sort();
    assert_eq!(
        found,
        [
            ("W073".to_string(), "content/agencies/gov.yaml".to_string()),
            (
                "W073".to_string(),
                "content/agencies/office.yaml".to_string()
            ),
        ]
    );
    std::fs::remove_file(dir.join("content/agencies/office.yaml")).unwrap();
    // The same zeros with a wrong check character are a mistyped code: an error.
    std::fs::write(
        &agency,
        yaml.replace("11000000000000000U", "11000000000000000X"),
    )
    .unwrap();
    let (ok, findings) = check(&dir);
    assert!(!ok);
    assert_eq!(codes(&findings)[0].0, "E030", "{findings:#?}");
    // A real code: nothing left to report.
    std::fs::write(
        &agency,
        yaml.replace("11000000000000000U", "11220200795219742W"),
    )
    .unwrap();
    let (ok, findings) = check(&dir);
    assert!(ok && findings.is_empty(), "{findings:#?}");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("existing");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.md"), "草稿").unwrap();
    let out = run(tmp.path(), &["init", "existing"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("不是空文件夹") && said.contains("没有写入任何文件"),
        "{said}"
    );
    let left: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert_eq!(left, [dir.clone(), dir.join("notes.md")]);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.md")).unwrap(),
        "草稿"
    );

    // DIR defaults to the current folder, refused the same way.
    let out = run(&dir, &["init"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    // An empty folder, and a fresh clone (only .git), are filled.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(empty.join(".git")).unwrap();
    let out = run(&empty, &["init"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("cd "), "{}", text(&out));
    assert!(empty.join("site.toml").is_file());
}

/// The jobs of a CI file: GitHub's `jobs`, or GitLab's top-level entries (`default` among
/// them, whose `before_script` every job runs).
fn jobs(yaml: &serde_yaml::Value) -> Vec<serde_yaml::Value> {
    let jobs = yaml.get("jobs").unwrap_or(yaml).as_mapping().unwrap();
    jobs.values().cloned().collect()
}

/// The shell lines of a job, in order: GitLab's `before_script`, `script` and
/// `after_script`, GitHub's steps' `run`.
fn job_lines(job: &serde_yaml::Value) -> Vec<String> {
    fn strings(v: Option<&serde_yaml::Value>, out: &mut Vec<String>) {
        match v {
            Some(serde_yaml::Value::String(s)) => {
                out.extend(s.lines().map(|l| l.trim().to_string()))
            }
            Some(serde_yaml::Value::Sequence(items)) => {
                for item in items {
                    strings(Some(item), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for key in ["before_script", "script", "after_script"] {
        strings(job.get(key), &mut out);
    }
    for step in job
        .get("steps")
        .and_then(|s| s.as_sequence())
        .into_iter()
        .flatten()
    {
        strings(step.get("run"), &mut out);
    }
    out
}

/// The gongkai commands of a job.
fn gongkai_lines(job: &serde_yaml::Value) -> Vec<String> {
    job_lines(job)
        .into_iter()
        .filter(|l| l.split_whitespace().next() == Some("gongkai"))
        .collect()
}

fn read_yaml(path: &Path) -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_ci_files_gongkai_commands_run_on_the_new_portal() {
    let (_tmp, dir) = new_portal();
    let gitlab = read_yaml(&dir.join(".gitlab-ci.yml"));
    let github = read_yaml(&dir.join(".github/workflows/portal.yml"));
    for (name, yaml) in [("GitLab", &gitlab), ("GitHub", &github)] {
        let lines: Vec<String> = jobs(yaml).iter().flat_map(gongkai_lines).collect();
        let mut commands: Vec<&str> = lines.iter().map(String::as_str).collect();
        commands.sort();
        commands.dedup();
        assert_eq!(
            commands,
            [
                "gongkai --version",
                "gongkai build",
                "gongkai check",
                "gongkai deadlines --fail-on overdue",
            ],
            "{name}"
        );
        for line in &lines {
            // Split on spaces as the shell would: nothing here for it to interpret.
            assert!(
                !line.contains(|c: char| "$`'\"|&;<>(){}*?\\".contains(c)),
                "{name}: {line}"
            );
            let args: Vec<&str> = line.split_whitespace().skip(1).collect();
            let out = run(&dir, &args);
            assert!(out.status.success(), "{name}: {line}\n{}", text(&out));
        }
    }
    assert!(dir.join("public/index.html").is_file());

    // Check and build on commits, deadlines on the schedule only.
    let job_of = |yaml: &serde_yaml::Value, command: &str| -> serde_yaml::Value {
        jobs(yaml)
            .into_iter()
            .find(|job| gongkai_lines(job).iter().any(|l| l == command))
            .unwrap_or_else(|| panic!("no job runs {command}"))
    };
    let rule = |job: &serde_yaml::Value| serde_yaml::to_string(&job["rules"]).unwrap();
    assert!(
        rule(&job_of(&gitlab, "gongkai deadlines --fail-on overdue"))
            .contains("$CI_PIPELINE_SOURCE == \"schedule\"")
    );
    for command in ["gongkai check", "gongkai build"] {
        assert!(rule(&job_of(&gitlab, command)).contains("$CI_PIPELINE_SOURCE != \"schedule\""));
    }
    assert!(github["on"]["schedule"][0]["cron"].as_str().is_some());
    let deadlines = job_of(&github, "gongkai deadlines --fail-on overdue");
    assert!(deadlines["if"].as_str().unwrap().contains("'schedule'"));
    let site = job_of(&github, "gongkai check");
    assert!(site["if"].as_str().unwrap().contains("!= 'schedule'"));
}
