//! Runs the browser checks under tests/browser/ in headless chromium against the fixture portal
//! served by `gongkai serve`.
//!
//! They need node, Debian's chromium and `npm install` in tests/browser (what `.ci/run` does);
//! without them each test prints a SKIPPED line and passes, except in CI (tests/support/tools.rs).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/bin.rs"]
mod bin;
#[path = "support/tools.rs"]
mod tools;

use tools::Need;

/// One browser at a time: two chromium instances and two builds at once on a small machine
/// make page loads slow enough to time out.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const BROWSER: &[Need] = &[Need::Node, Need::NodePackages, Need::Chromium];

/// Starts `gongkai serve` on a copy of a fixture portal and returns the server and its base URL.
fn serve_fixture(fixture: &Path, dir: &Path) -> (Server, String) {
    for e in walkdir::WalkDir::new(fixture) {
        let e = e.unwrap();
        let dest = dir.join(e.path().strip_prefix(fixture).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Server(
        Command::new(bin::gongkai_with("serve"))
            .args(["serve", "--root"])
            .arg(dir)
            .args(["--port", &port.to_string(), "--today", "2025-06-01"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "gongkai serve did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, format!("http://127.0.0.1:{port}"))
}

#[test]
fn site_behaves_in_a_real_browser() {
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    if !tools::available("site_behaves_in_a_real_browser", BROWSER) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_fixture(Path::new("tests/fixtures/basic"), dir.path());
    let out = Command::new("node")
        .arg("tests/browser/site.mjs")
        .arg(&base)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("browser: all checks passed"), "{stdout}");
}

/// Top result URLs of `gongkai search` for each query, as search.mjs expects them.
fn cli_top_results(root: &Path, queries: &[&str]) -> String {
    let gongkai = bin::gongkai_with("search");
    let rows: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| {
            let out = Command::new(&gongkai)
                .args(["search", q, "--json", "--limit", "5", "--root"])
                .arg(root)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
            let urls: Vec<&str> = hits.iter().map(|h| h["url"].as_str().unwrap()).collect();
            serde_json::json!({ "q": q, "urls": urls })
        })
        .collect();
    serde_json::to_string(&rows).unwrap()
}

#[test]
fn search_works_in_a_real_browser() {
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    if !tools::available("search_works_in_a_real_browser", BROWSER) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_fixture(Path::new("tests/fixtures/seeds-portal"), dir.path());
    let expected = cli_top_results(
        dir.path(),
        &[
            "吉林市",
            "法治政府",
            "行政许可",
            "政府信息公开年度报告",
            "吉市政发〔2015〕6号",
            "2015",
            "依法行政",
        ],
    );
    let out = Command::new("node")
        .arg("tests/browser/search.mjs")
        .arg(&base)
        .arg(&expected)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser search checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("search: all checks passed"), "{stdout}");
    eprintln!("{stdout}");
}
