//! `gongkai serve` end to end: it serves the built site on loopback, answers 404 with the site's
//! page, refuses paths that leave the site, and rebuilds when content changes.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};

use crate::bin;
use crate::tree;
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text))
}

fn wait_for(mut cond: impl FnMut() -> bool, secs: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn copy_fixture(to: &Path) {
    tree::copy_tree(Path::new("tests/fixtures/basic"), to);
}

#[test]
fn serves_the_site_and_rebuilds_on_change() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path());
    let port = free_port();
    let _server = Server(
        bin::command()
            .args(["serve", "--root"])
            .arg(dir.path())
            .args(["--port", &port.to_string(), "--today", "2025-06-01"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    assert!(
        wait_for(|| get(port, "/").is_some(), 30),
        "server did not start"
    );

    let (status, body) = get(port, "/documents/2025/doc-1/").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("text/html; charset=utf-8"));
    assert!(body.contains("测政发〔2025〕1号"));

    let (status, body) = get(port, "/no/such/page/").unwrap();
    assert_eq!(status, 404);
    assert!(body.contains("页面未找到"));
    let (status, _) = get(port, "/../site.toml").unwrap();
    assert_eq!(status, 404);
    let (status, _) = get(port, "/%2e%2e/site.toml").unwrap();
    assert_eq!(status, 404);

    let doc = dir.path().join("content/documents/2025/doc-1.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replace("第1项工作的通知", "第1项工作的补充通知")).unwrap();
    let rebuilt = wait_for(
        || {
            get(port, "/documents/2025/doc-1/")
                .is_some_and(|(_, b)| b.contains("第1项工作的补充通知"))
        },
        30,
    );
    assert!(rebuilt, "the change was not rebuilt");

    // Later rebuilds ask only the files the watcher names: an edit, a new document (which
    // walks content/ again), then an edit of the new one.
    let shows = |url: &str, text: &str| {
        wait_for(
            || get(port, url).is_some_and(|(s, b)| s == 200 && b.contains(text)),
            30,
        )
    };
    std::fs::write(
        &doc,
        text.replace("第1项工作的通知", "第1项工作的再次补充通知"),
    )
    .unwrap();
    assert!(shows("/documents/2025/doc-1/", "第1项工作的再次补充通知"));
    let added = dir.path().join("content/documents/2025/doc-9.md");
    let copy = text
        .replace("第1项工作的通知", "第9项工作的通知")
        .replace("2025-00001", "2025-00009")
        .replace("doc_number: 测政发〔2025〕1号\n", "");
    std::fs::write(&added, &copy).unwrap();
    assert!(shows("/documents/2025/doc-9/", "第9项工作的通知"));
    std::fs::write(&added, copy.replace("第9项工作的通知", "第9项工作的新通知")).unwrap();
    assert!(shows("/documents/2025/doc-9/", "第9项工作的新通知"));
    std::fs::remove_file(&added).unwrap();
    assert!(wait_for(
        || get(port, "/documents/2025/doc-9/").is_some_and(|(s, _)| s == 404),
        30
    ));
}

#[test]
fn an_edited_page_is_shown_first_and_taken_back_when_the_build_fails() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    copy_fixture(&root);
    let log = dir.path().join("serve.log");
    let port = free_port();
    let _server = Server(
        bin::command()
            .args(["serve", "--root"])
            .arg(&root)
            .args(["--port", &port.to_string(), "--today", "2025-06-01"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    assert!(
        wait_for(|| get(port, "/").is_some(), 30),
        "server did not start"
    );
    let logged = || std::fs::read_to_string(&log).unwrap_or_default();
    let page = "/documents/2025/doc-1/";
    let doc = root.join("content/documents/2025/doc-1.md");
    let text = std::fs::read_to_string(&doc).unwrap();

    std::fs::write(&doc, text.replace("第1项工作的通知", "第1项工作的补充通知")).unwrap();
    assert!(wait_for(|| logged().matches("构建完成").count() == 2, 30));
    let log_text = logged();
    let shown = log_text.find("已先更新修改的 1 个页面").expect(&log_text);
    assert!(
        shown < log_text.rfind("构建完成").unwrap(),
        "the page is shown before the build ends: {log_text}"
    );
    let (_, body) = get(port, page).unwrap();
    assert!(body.contains("第1项工作的补充通知"));

    // A reference to an agency that does not exist fails the checks, which come after the
    // preview: the page shown goes back to the site as last built.
    std::fs::write(
        &doc,
        text.replace("第1项工作的通知", "第1项工作的错误通知")
            .replace("agency: gov", "agency: nowhere"),
    )
    .unwrap();
    assert!(
        wait_for(|| logged().contains("构建失败"), 30),
        "{}",
        logged()
    );
    assert_eq!(
        logged().matches("已先更新修改的").count(),
        2,
        "{}",
        logged()
    );
    let (status, body) = get(port, page).unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains("第1项工作的补充通知") && !body.contains("错误通知"),
        "{body}"
    );
}
