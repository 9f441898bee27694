//! No setting, flag or link makes a build destroy an officer's files: the folders a build
//! replaces (the site, the tantivy index) are refused by `check` at their site.toml line and
//! by `build` before anything is written, and a failed build replaces neither.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::bin;
use crate::tree;

/// A copy of the minimal good portal, with a git folder and a data folder of its own.
fn portal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good/minimal"),
        dir.path(),
    );
    fs::create_dir_all(dir.path().join(".git/objects")).unwrap();
    fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::create_dir_all(dir.path().join("data")).unwrap();
    fs::write(dir.path().join("data/list.csv"), "a,b\n").unwrap();
    dir
}

fn gongkai(args: &[&str], root: &Path) -> Output {
    bin::command()
        .args(args)
        .arg("--root")
        .arg(root)
        .args(if args[0] == "build" {
            &["--today", "2026-06-01"][..]
        } else {
            &[]
        })
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn set(root: &Path, key: &str, value: &str) -> usize {
    let path = root.join("site.toml");
    let text = fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(&format!("{key} ")))
        .collect();
    // Top-level keys go before the first table.
    let at = kept
        .iter()
        .position(|l| l.starts_with('['))
        .unwrap_or(kept.len());
    let mut lines: Vec<String> = kept.iter().map(|s| s.to_string()).collect();
    lines.insert(at, format!("{key} = {value:?}"));
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    at + 1
}

/// Every file under `dir` with its bytes, to compare before and after.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `check` reports E025 at the setting's line, and `build` writes nothing and loses
/// nothing.
fn refused_by_check_and_build(root: &Path, key: &str, value: &str, kept: &Path) {
    let line = set(root, key, value);
    let before = snapshot(kept);
    assert!(!before.is_empty(), "nothing to lose in {}", kept.display());
    let check = gongkai(&["check", "--format", "json"], root);
    assert_eq!(
        check.status.code(),
        Some(1),
        "{key} = {value:?}: {}",
        stderr(&check)
    );
    let diags: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let hit = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E025")
        .unwrap_or_else(|| panic!("{key} = {value:?}: no E025 in {diags}"));
    assert_eq!(hit["file"], "site.toml", "{hit}");
    assert_eq!(hit["line"], line, "{hit}");
    let build = gongkai(&["build"], root);
    assert!(!build.status.success(), "{key} = {value:?} was built into");
    assert!(stderr(&build).contains("E025"), "{}", stderr(&build));
    assert_eq!(
        snapshot(kept),
        before,
        "{key} = {value:?} changed {}",
        kept.display()
    );
}

#[test]
fn settings_that_name_the_portals_own_folders_are_refused() {
    for key in ["search_index_dir", "output_dir"] {
        for (value, kept) in [
            ("./content", "content"),
            ("content", "content"),
            ("./.git", ".git"),
            ("./themes", "content"),
            ("data", "data"),
            ("./data/", "data"),
            (".", "content"),
            ("content/../content", "content"),
            ("..", "content"),
            ("site.toml", "site.toml"),
        ] {
            let dir = portal();
            let root = dir.path();
            if value.contains("themes") {
                fs::create_dir_all(root.join("themes/mine/templates")).unwrap();
                fs::write(root.join("themes/mine/templates/page.html"), "x").unwrap();
            }
            let kept = if value.contains("themes") {
                root.join("themes")
            } else {
                root.join(kept)
            };
            refused_by_check_and_build(root, key, value, &kept);
        }
    }
}

#[cfg(unix)]
#[test]
fn a_link_in_the_portal_cannot_lead_a_build_outside_it() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir(outside.path().join("victim")).unwrap();
    fs::write(outside.path().join("victim/keep.txt"), "keep").unwrap();
    for key in ["search_index_dir", "output_dir"] {
        let dir = portal();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        refused_by_check_and_build(dir.path(), key, "link/victim", outside.path());
    }
}

#[test]
fn output_flags_at_files_or_foreign_folders_are_refused() {
    let dir = portal();
    let root = dir.path();
    let before = snapshot(root);
    let toml = root.join("site.toml");
    let theirs = tempfile::tempdir().unwrap();
    fs::write(theirs.path().join("thesis.txt"), "four years of work").unwrap();
    for out in [
        toml.as_path(),
        theirs.path(),
        &root.join("content"),
        &root.join(".git"),
    ] {
        for _ in 0..2 {
            let build = gongkai(&["build", "--output", out.to_str().unwrap()], root);
            assert!(!build.status.success(), "built into {}", out.display());
            let err = stderr(&build);
            assert!(err.contains("E025") && err.contains("--output"), "{err}");
        }
    }
    assert_eq!(snapshot(root), before);
    assert_eq!(
        fs::read_to_string(theirs.path().join("thesis.txt")).unwrap(),
        "four years of work"
    );
    let names: Vec<_> = fs::read_dir(theirs.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".gongkai-"))
        .collect();
    assert!(
        names.is_empty(),
        "scratch trees left beside the folder: {names:?}"
    );
    // A new folder, outside the portal: allowed, and marked as gongkai's.
    let fresh = theirs.path().join("site");
    let build = gongkai(&["build", "--output", fresh.to_str().unwrap()], root);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(fresh.join("index.html").is_file());
    assert!(fresh.join(".gongkai-output").is_file());
    // And built into again.
    let again = gongkai(&["build", "--output", fresh.to_str().unwrap()], root);
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn the_two_outputs_may_not_overlap() {
    let dir = portal();
    let line = set(dir.path(), "search_index_dir", "public/index");
    let check = gongkai(&["check", "--format", "json"], dir.path());
    assert_eq!(check.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "E025" && d["line"] == line),
        "{diags}"
    );
    assert!(!gongkai(&["build"], dir.path()).status.success());
}

#[test]
fn a_site_and_index_of_an_older_gongkai_are_taken_over() {
    let dir = portal();
    let root = dir.path();
    assert!(gongkai(&["build"], root).status.success());
    // As an older gongkai left them: no mark.
    fs::remove_file(root.join("public/.gongkai-output")).unwrap();
    fs::remove_file(root.join("search-index/.gongkai-output")).unwrap();
    let build = gongkai(&["build"], root);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(root.join("public/.gongkai-output").is_file());
    assert!(root.join("search-index/.gongkai-output").is_file());
}

#[test]
fn a_build_that_fails_while_rendering_replaces_neither_output() {
    let dir = portal();
    let root = dir.path();
    assert!(gongkai(&["build"], root).status.success());
    let site = snapshot(&root.join("public"));
    let index = snapshot(&root.join("search-index"));
    // A theme whose 404 page fails only when it is rendered.
    let templates = root.join("themes/broken/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.field }}{% endblock content %}",
    )
    .unwrap();
    set(root, "theme", "broken");
    assert!(gongkai(&["check"], root).status.success(), "check passes");
    let build = gongkai(&["build"], root);
    assert!(!build.status.success(), "the broken template rendered");
    assert_eq!(snapshot(&root.join("public")), site);
    assert_eq!(snapshot(&root.join("search-index")), index);
    let left: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".gongkai-search-index"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
