//! The request register never leaves the office: a portal whose every request carries marker
//! phrases (in its subject, and in its file name) is built, and no file of the site or of the
//! search index holds any of them, no search finds them, and `gongkai serve` answers no path
//! to the register's files. A published document carries a control phrase the same scans must
//! find, so that a scan that could not see the text would fail here too.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::bin;

/// Per request: its year, file name, and the markers its subject holds.
const REQUESTS: [(i32, &str, &str, &str, &str); 7] = [
    (2024, "2024-zqxid1", "zqxmarka", "甲号登记暗记", "answered: 2024-03-20\noutcome: disclosed\n"),
    (2024, "2024-zqxid2", "zqxmarkb", "乙号登记暗记", "answered: 2024-05-06\noutcome: unable.not_held\n"),
    (2024, "2024-zqxid3", "zqxmarkc", "丙号登记暗记",
     "third_party: {asked: 2024-06-05, answered: 2024-06-14}\nanswered: 2024-06-28\noutcome: withheld.third_party\n"),
    (2024, "2024-zqxid4", "zqxmarkd", "丁号登记暗记", ""),
    (2025, "2025-zqxid5", "zqxmarke", "戊号登记暗记", ""),
    (2025, "2025-zqxid6", "zqxmarkf", "己号登记暗记", "correction: {requested: 2025-03-12}\n"),
    (2025, "2025-zqxid7", "zqxmarkg", "庚号登记暗记", "extension: {decided: 2025-03-20}\n"),
];

/// The published control: a document whose text the scans must find.
const CONTROL: (&str, &str) = ("zqxcontrol", "公开对照暗记");

fn received(year: i32, i: usize) -> String {
    format!("{year}-03-{:02}", 3 + i)
}

/// The minimal good portal, its 2024 report's section 3 counted from the register, a
/// register of fgw's requests with markers, and one published document with the control.
fn portal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good/minimal");
    for entry in walkdir::WalkDir::new(&base) {
        let entry = entry.unwrap();
        let dest = dir.path().join(entry.path().strip_prefix(&base).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
    let report = dir.path().join("content/reports/2024/fgw.yaml");
    let text = fs::read_to_string(&report).unwrap();
    let start = text.find("\napplications:").expect("a section 3") + 1;
    let end = start
        + text[start..]
            .find("\nreviews_and_litigation:")
            .expect("section 4 follows")
        + 1;
    fs::write(
        &report,
        format!("{}applications: register\n{}", &text[..start], &text[end..]),
    )
    .unwrap();
    for (i, (year, id, ascii, zh, extra)) in REQUESTS.iter().enumerate() {
        let folder = dir.path().join(format!("requests/{year}"));
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            folder.join(format!("{id}.yaml")),
            format!(
                "agency: fgw\nreceived: {}\nchannel: 网络\napplicant: natural_person\n\
                 subject: |\n  申请公开{zh}有关材料（{ascii}）。\n{extra}",
                received(*year, i)
            ),
        )
        .unwrap();
    }
    fs::write(
        dir.path().join("content/documents/2025/control.md"),
        format!(
            "---\ntitle: 关于{}的通知\nagency: fgw\nindex_no: 11370829004333910Q/2025-00009\n\
             written: 2025-05-06\npublished: 2025-05-06\n---\n本通知含{}（{}）。\n",
            CONTROL.1, CONTROL.1, CONTROL.0
        ),
    )
    .unwrap();
    dir
}

/// Every marker of the register, ASCII and Chinese, with the file names.
fn markers() -> Vec<&'static str> {
    REQUESTS
        .iter()
        .flat_map(|(_, id, ascii, zh, _)| [*id, *ascii, *zh])
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn holds(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn nothing_of_the_register_reaches_the_site_its_index_or_search() {
    let dir = portal();
    let root = dir.path();
    let out = bin::command()
        .args(["build", "--today", "2025-06-01", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The register was read: the report's section 3 is its count (3 answered of 4 in 2024).
    let report = fs::read_to_string(root.join("public/reports/2024/fgw/index.html")).unwrap();
    assert!(report.contains("予以公开"), "the report page has its table");
    let check = bin::command()
        .args([
            "requests", "--agency", "fgw", "--year", "2024", "--format", "json", "--root",
        ])
        .arg(root)
        .output()
        .unwrap();
    let table: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let new = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "new")
        .unwrap()["cells"][6]
        .clone();
    assert_eq!(new, 4);

    let mut files = files_under(&root.join("public"));
    files.extend(files_under(&root.join("search-index")));
    assert!(files.iter().any(|f| f.ends_with("sitemap.xml")));
    assert!(files.iter().any(|f| f.ends_with("deadlines/atom.xml")));
    assert!(files.iter().any(|f| f.ends_with("documents/catalog.csv")));
    let mut control_seen = false;
    for f in &files {
        let name = f.to_string_lossy();
        let bytes = fs::read(f).unwrap();
        for m in markers() {
            assert!(
                !name.contains(m),
                "{name} is named after the register ({m})"
            );
            assert!(!holds(&bytes, m), "{name} holds `{m}` from the register");
        }
        assert!(
            !holds(&bytes, "requests/20"),
            "{name} names a register file"
        );
        control_seen |= holds(&bytes, CONTROL.0) && holds(&bytes, CONTROL.1);
    }
    assert!(control_seen, "the scan finds a published document's text");

    let search = |q: &str| -> usize {
        let out = bin::command()
            .args(["search", q, "--json", "--root"])
            .arg(root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    assert!(search(CONTROL.0) > 0 && search(CONTROL.1) > 0);
    for m in markers() {
        assert_eq!(search(m), 0, "search finds `{m}`");
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> Option<(u16, Vec<u8>)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let status = String::from_utf8_lossy(&buf)
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((status, buf))
}

#[test]
fn serve_answers_no_path_to_the_register() {
    let dir = portal();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
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
    let deadline = Instant::now() + Duration::from_secs(60);
    while get(port, "/").is_none_or(|(s, _)| s != 200) {
        assert!(Instant::now() < deadline, "serve did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = get(port, "/documents/2025/control/").unwrap();
    assert_eq!(status, 200);
    assert!(holds(&body, CONTROL.1), "serve sends a published page");
    for (year, id, ..) in REQUESTS {
        for path in [
            format!("/requests/{year}/{id}.yaml"),
            format!("/../requests/{year}/{id}.yaml"),
            format!("/%2e%2e/requests/{year}/{id}.yaml"),
            format!("/documents/../../requests/{year}/{id}.yaml"),
            format!("/requests/{year}/"),
        ] {
            let (status, body) = get(port, &path).unwrap();
            assert_ne!(status, 200, "{path}");
            for m in markers() {
                assert!(!holds(&body, m), "{path} sends `{m}`");
            }
        }
    }
}
