//! Runs the browser checks under tests/browser/ in headless chromium against a fixture portal
//! served by `gongkai serve`, or by a host that ignores `Range` written here.
//!
//! They need node, Debian's chromium and `npm install` in tests/browser, and the accessibility
//! checks a Java runtime (what `.ci/run` installs); without them each test prints a SKIPPED
//! line and passes, except in CI (tests/support/tools.rs).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::bin;
use crate::cli_search;
use crate::tools::{self, Need};
use crate::tree;

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
    tree::copy_tree(fixture, dir);
    serve(dir, "2025-06-01")
}

/// Starts `gongkai serve` on the portal in `dir`, built as on `today`.
fn serve(dir: &Path, today: &str) -> (Server, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Server(
        bin::command()
            .args(["serve", "--root"])
            .arg(dir)
            .args(["--port", &port.to_string(), "--today", today])
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
    let _one = tools::one_browser();
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

/// A page open in the browser follows the officer's edits: it reloads after a rebuild, shows
/// a failed build's errors over the page, and recovers when the file is fixed.
#[test]
fn a_page_open_in_serve_follows_the_edits() {
    let _one = tools::one_browser();
    if !tools::available("a_page_open_in_serve_follows_the_edits", BROWSER) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_fixture(Path::new("tests/fixtures/basic"), dir.path());
    let out = Command::new("node")
        .arg("tests/browser/live.mjs")
        .arg(&base)
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "live reload checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("live: all checks passed"), "{stdout}");
    // What build writes is left as it was: the script is added only to what serve sends.
    let page = std::fs::read_to_string(dir.path().join("public/pages/guide/index.html")).unwrap();
    assert!(
        !page.contains("__gongkai"),
        "the live script was written into the site"
    );
}

#[test]
fn search_works_in_a_real_browser() {
    let _one = tools::one_browser();
    if !tools::available("search_works_in_a_real_browser", BROWSER) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_fixture(Path::new("tests/fixtures/seeds-portal"), dir.path());
    let expected = cli_search::top_results(
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
    let categories = cli_search::category_answers(
        dir.path(),
        &[
            ("法治政府", None),
            ("法治政府", Some("意见")),
            ("法治政府", Some("综合政务")),
            ("依法行政", Some("通知")),
            ("行政许可", None),
        ],
    );
    let out = Command::new("node")
        .arg("tests/browser/search.mjs")
        .arg(&base)
        .arg(&expected)
        .arg(&categories)
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

/// One response of [`NoRangeHost`]: what was asked for and how many body bytes went out
/// before the transfer ended (finished, or stopped by the client).
#[derive(Clone, Default, serde::Serialize)]
struct Served {
    path: String,
    range: bool,
    size: u64,
    sent: u64,
    done: bool,
}

/// A static host that ignores `Range`, as python's http.server does: every request is
/// answered 200 with the whole file. It sends 16 KB every 100 ms (a slow link), so a client
/// that stops a transfer at its headers leaves most of the file unsent, and it notices a
/// client that went away before the next 16 KB. `GET /__log` returns what it served, as
/// JSON. `claim` multiplies the file sizes meta.json gives (an index over the client's
/// budget, without writing megabytes).
struct NoRangeHost {
    base: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    addr: std::net::SocketAddr,
}

impl NoRangeHost {
    fn start(root: &Path, claim: u64) -> NoRangeHost {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Mutex};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let log: Arc<Mutex<Vec<Served>>> = Arc::default();
        let root = root.to_path_buf();
        let stopping = stop.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (root, log) = (root.clone(), log.clone());
                std::thread::spawn(move || {
                    let _ = answer(conn, &root, claim, &log);
                });
            }
        });
        NoRangeHost {
            base: format!("http://{addr}"),
            stop,
            addr,
        }
    }
}

impl Drop for NoRangeHost {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(self.addr);
    }
}

/// Answers the one request on `conn` (every response closes its connection).
fn answer(
    mut conn: std::net::TcpStream,
    root: &Path,
    claim: u64,
    log: &std::sync::Mutex<Vec<Served>>,
) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if conn.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split(' ').nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/").to_string();
    let range = head
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("range:"));
    let (body, kind) = if path == "/__log" {
        let served = log.lock().unwrap().clone();
        (serde_json::to_vec(&served).unwrap(), "application/json")
    } else {
        let mut file = root.join(path.trim_start_matches('/'));
        if path.contains("..") {
            file = root.join("missing");
        }
        if file.is_dir() {
            file = file.join("index.html");
        }
        let Ok(mut body) = std::fs::read(&file) else {
            conn.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
            return Ok(());
        };
        if path == "/search/meta.json" && claim > 1 {
            let mut meta: serde_json::Value = serde_json::from_slice(&body).unwrap();
            for size in meta["files"].as_object_mut().unwrap().values_mut() {
                *size = (size.as_u64().unwrap() * claim).into();
            }
            body = serde_json::to_vec(&meta).unwrap();
        }
        let kind = match file.extension().and_then(|e| e.to_str()) {
            Some("html") => "text/html; charset=utf-8",
            Some("js") => "text/javascript",
            Some("css") => "text/css",
            Some("json") => "application/json",
            Some("svg") => "image/svg+xml",
            _ => "application/octet-stream",
        };
        (body, kind)
    };
    let at = {
        let mut served = log.lock().unwrap();
        served.push(Served {
            path: path.clone(),
            range,
            size: body.len() as u64,
            ..Served::default()
        });
        served.len() - 1
    };
    let finish = |sent: u64| {
        let mut served = log.lock().unwrap();
        served[at].sent = sent;
        served[at].done = true;
    };
    let header = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if conn.write_all(header.as_bytes()).is_err() {
        finish(0);
        return Ok(());
    }
    let pause = Duration::from_millis(100);
    conn.set_read_timeout(Some(pause))?;
    let mut sent = 0u64;
    for (i, chunk) in body.chunks(16 * 1024).enumerate() {
        if i > 0 {
            // The pause between chunks, cut short by the client closing the connection.
            match conn.peek(&mut byte) {
                Ok(0) => break,
                Ok(_) => std::thread::sleep(pause),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => break,
            }
        }
        if conn.write_all(chunk).is_err() {
            break;
        }
        sent += chunk.len() as u64;
        log.lock().unwrap()[at].sent = sent;
    }
    finish(sent);
    Ok(())
}

/// The search page on a host that ignores `Range`: a small portal loads its index files
/// whole, once, and finds; an index over the client's budget gives the Chinese notice
/// after a bounded download, and later queries ask for nothing.
#[test]
fn search_copes_with_a_host_that_ignores_range() {
    let _one = tools::one_browser();
    if !tools::available("search_copes_with_a_host_that_ignores_range", BROWSER) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    tree::copy_tree(Path::new("tests/fixtures/seeds-portal"), dir.path());
    let out = bin::command()
        .args(["build", "--today", "2025-06-01", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("public");
    let small = NoRangeHost::start(&site, 1);
    let over = NoRangeHost::start(&site, 100);
    let out = Command::new("node")
        .arg("tests/browser/search_norange.mjs")
        .arg(&small.base)
        .arg(&over.base)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("search without Range: all checks passed"),
        "{stdout}"
    );
    eprintln!("{stdout}");
}

/// A copy of the demo portal (content/ and site.toml at the repository root) in `dir`.
fn copy_demo(dir: &Path) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"));
    tree::copy_tree(&demo.join("content"), &dir.join("content"));
    // The register fills a report of the demo.
    tree::copy_tree(&demo.join("requests"), &dir.join("requests"));
    std::fs::copy(demo.join("site.toml"), dir.join("site.toml")).unwrap();
}

/// One page of every kind of the demo portal under the Content-Security-Policy it declares:
/// no refusal, and the scripts (search, reading aids, deadlines, report sorting) still work.
#[test]
fn every_kind_of_page_works_under_the_security_policy() {
    let _one = tools::one_browser();
    if !tools::available(
        "every_kind_of_page_works_under_the_security_policy",
        BROWSER,
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_demo(dir.path());
    // The consultation of school-district-adjustment is open on this day (csp.mjs).
    let (_server, base) = serve(dir.path(), "2025-03-10");
    let out = Command::new("node")
        .arg("tests/browser/csp.mjs")
        .arg(&base)
        .arg(gongkai::text::url::CONTENT_SECURITY_POLICY)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks under the security policy failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("csp: all checks passed"), "{stdout}");
}

/// The demo portal on phones and for weak eyesight (tests/browser/a11y.mjs): no W3C Nu
/// validator error on any page; no axe-core WCAG 2.1 AA violation on any kind of page at
/// desktop and phone width, at 特大 and in high contrast; at 390 px and every font setting no
/// sideways scrolling, no squeezed table column, no date or code broken across lines, the
/// navigation folded behind a menu that works by keyboard and without JavaScript; and the
/// 适老化 requirements of docs/accessibility.md that a browser can measure. It leaves a
/// phone-size screenshot of every kind of page at 标准 and 特大 in target/tmp/screenshots/.
#[test]
fn pages_are_valid_accessible_and_readable_on_phones() {
    let _one = tools::one_browser();
    let needs = [BROWSER, &[Need::Java]].concat();
    if !tools::available("pages_are_valid_accessible_and_readable_on_phones", &needs) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_demo(dir.path());
    let (_server, base) = serve(dir.path(), "2025-03-10");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    let out = Command::new("node")
        .arg("tests/browser/a11y.mjs")
        .arg(&base)
        .arg(dir.path().join("public"))
        .arg(&shots)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "accessibility checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("a11y: all checks passed"), "{stdout}");
    // Straight to the terminal, where a person looking for the screenshots will see it.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "pages_are_valid_accessible_and_readable_on_phones: screenshots in {}",
        shots.display()
    );
}
