//! From an empty folder to a live portal: `gongkai init` writes a portal that checks and
//! builds, whose CI files run (their gongkai lines, with this build's binary) against it; and
//! the nginx configuration of docs/hosting.md serves a built site as the search page needs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::bin;
use crate::cli_search;
use crate::tree;

fn run(dir: &Path, args: &[&str]) -> Output {
    bin::command().args(args).current_dir(dir).output().unwrap()
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

// ---------------------------------------------------------------------------------------------
// Hosting: docs/hosting.md's nginx configuration

use crate::tools;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

fn hosting_doc() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/hosting.md")).unwrap()
}

#[test]
fn the_hosting_doc_sends_exactly_the_pages_security_policy() {
    let doc = hosting_doc();
    let csp = gongkai::text::url::CONTENT_SECURITY_POLICY;
    let headers: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .filter(|l| l.contains("Content-Security-Policy \""))
        .collect();
    // The server's and those of the locations that set headers of their own.
    assert_eq!(headers.len(), 3, "{headers:#?}");
    for line in headers {
        assert_eq!(
            line,
            format!("add_header Content-Security-Policy \"{csp}\" always;")
        );
    }
    // And quoted on a line of its own for the reader.
    assert!(doc.lines().any(|l| l == csp));
}

/// The nginx binary: Debian's, or where `NGINX` says.
fn nginx() -> String {
    std::env::var("NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into())
}

/// Whether nginx is here; without it the test says it is skipped, on the terminal (as
/// tests/support/tools.rs does for the browser), or fails under GONGKAI_REQUIRE_BROWSER=1.
fn nginx_available(test: &str) -> bool {
    let path = nginx();
    if Path::new(&path).exists() {
        return true;
    }
    let why = format!("no nginx at {path} (Debian: apt-get install nginx-light)");
    assert!(
        std::env::var("GONGKAI_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "GONGKAI_REQUIRE_BROWSER=1 but {test} cannot run: {why}"
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why}. It passes without running; CI sets GONGKAI_REQUIRE_BROWSER=1 to require it."
    );
    false
}

/// The server block of docs/hosting.md, between its marker comments, listening on `port`
/// of the loopback and serving `root`.
fn documented_server(port: u16, root: &Path) -> String {
    let doc = hosting_doc();
    let start = doc.find("# gongkai-nginx-begin\n").expect("begin marker");
    let end = doc.find("# gongkai-nginx-end\n").expect("end marker");
    let block = &doc[start..end];
    let mut replaced = (0, 0);
    let lines: Vec<String> = block
        .lines()
        .map(|l| match l.trim() {
            "listen 80;" => {
                replaced.0 += 1;
                format!("    listen 127.0.0.1:{port};")
            }
            "root /var/www/gongkai/public;" => {
                replaced.1 += 1;
                format!("    root {};", root.display())
            }
            _ => l.to_string(),
        })
        .collect();
    assert_eq!(
        replaced,
        (1, 1),
        "the block's listen and root lines changed"
    );
    lines.join("\n")
}

/// nginx in the foreground as one process (no master and workers), killed when dropped.
struct Nginx {
    child: std::process::Child,
    log: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_nginx(dir: &Path, site: &Path) -> (Nginx, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = dir.display();
    // What Debian's nginx.conf puts around a site, with every path nginx writes in `dir`.
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n\
         include /etc/nginx/mime.types;\ndefault_type application/octet-stream;\n\
         access_log off;\nsendfile on;\n\
         client_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
         {}\n}}\n",
        documented_server(port, site)
    );
    let conf_path = dir.join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let log = dir.join("error.log");
    let child = Command::new(nginx())
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&conf_path)
        .arg("-e")
        .arg(&log)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Nginx { child, log };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "nginx exited ({status}):\n{}",
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
        }
        assert!(Instant::now() < deadline, "nginx did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, port)
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One GET over plain HTTP/1.1, the connection closed after it.
fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: www.example.gov.cn\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    s.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.to_string(), v.trim().to_string())
        })
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

#[test]
fn nginx_with_the_documented_config_serves_the_site_and_its_search() {
    const TEST: &str = "nginx_with_the_documented_config_serves_the_site_and_its_search";
    if !nginx_available(TEST) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let portal = tmp.path().join("portal");
    tree::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds-portal"),
        &portal,
    );
    let out = run(&portal, &["build", "--today", "2025-06-01"]);
    assert!(out.status.success(), "{}", text(&out));
    let site = portal.join("public");
    let (_nginx, port) = start_nginx(tmp.path(), &site);
    let csp = gongkai::text::url::CONTENT_SECURITY_POLICY;
    let gzip = ("Accept-Encoding", "gzip, deflate");

    // A range of the dictionary: 206, the very bytes, not compressed.
    let dict = std::fs::read(site.join("search/dict.bin")).unwrap();
    assert!(dict.len() > 5000, "{}", dict.len());
    let r = get(
        port,
        "/search/dict.bin",
        &[("Range", "bytes=4096-5095"), gzip],
    );
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("Content-Range"),
        Some(format!("bytes 4096-5095/{}", dict.len()).as_str())
    );
    assert_eq!(r.body, dict[4096..5096]);
    assert_eq!(r.header("Content-Encoding"), None);
    // Whole index files are not compressed either, though the client would accept it.
    for file in ["dict.bin", "docs.bin", "post.bin"] {
        let r = get(port, &format!("/search/{file}"), &[gzip]);
        assert_eq!(r.status, 200, "{file}");
        assert_eq!(r.header("Content-Encoding"), None, "{file}");
        assert_eq!(
            r.body,
            std::fs::read(site.join("search").join(file)).unwrap()
        );
    }

    // Pages: the policy as a header, revalidated on every use, compressed.
    let r = get(port, "/", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Security-Policy"), Some(csp));
    assert_eq!(r.header("Cache-Control"), Some("no-cache"));
    assert_eq!(r.body, std::fs::read(site.join("index.html")).unwrap());
    let etag = r.header("ETag").expect("an ETag").to_string();
    let again = get(port, "/", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    for (path, file, cache) in [
        ("/", "index.html", "no-cache"),
        ("/search/meta.json", "search/meta.json", "no-cache"),
        (
            "/assets/search.js",
            "assets/search.js",
            "public, max-age=86400",
        ),
        (
            "/assets/style.css",
            "assets/style.css",
            "public, max-age=86400",
        ),
    ] {
        let r = get(port, path, &[gzip]);
        assert_eq!(r.status, 200, "{path}");
        // Files under gzip_min_length (meta.json of a small portal) are sent as they are.
        let size = std::fs::metadata(site.join(file)).unwrap().len();
        let compressed = (size >= 1024).then_some("gzip");
        assert_eq!(
            r.header("Content-Encoding"),
            compressed,
            "{path}: {size} bytes"
        );
        assert_eq!(r.header("Cache-Control"), Some(cache), "{path}");
        assert_eq!(r.header("Content-Security-Policy"), Some(csp), "{path}");
    }
    let r = get(port, "/documents/catalog.csv", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Type"), Some("text/csv"));
    assert_eq!(r.header("Content-Security-Policy"), Some(csp));

    // The site's own 404 page, with the 404 status and the policy.
    let not_found = std::fs::read(site.join("404.html")).unwrap();
    for path in ["/nonexistent", "/documents/2099/none/", "/.gongkai-output"] {
        let r = get(port, path, &[]);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.body, not_found, "{path}");
        assert_eq!(r.header("Content-Security-Policy"), Some(csp), "{path}");
    }
    // A folder without its slash: a relative redirect, right behind any front server.
    let r = get(port, "/documents", &[]);
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location"), Some("/documents/"));

    // The search page through it in a real browser: the same top results as `gongkai
    // search`, a first query in at most three round trips of range requests (search.mjs).
    if !tools::available(
        TEST,
        &[
            tools::Need::Node,
            tools::Need::NodePackages,
            tools::Need::Chromium,
        ],
    ) {
        return;
    }
    let _one = tools::one_browser();
    let expected = cli_search::top_results(&portal, &["吉林市", "法治政府", "吉市政发〔2015〕6号"]);
    // The category lists by range through nginx too.
    let categories = cli_search::category_answers(
        &portal,
        &[
            ("法治政府", None),
            ("法治政府", Some("意见")),
            ("依法行政", Some("通知")),
        ],
    );
    let out = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.mjs"))
        .arg(format!("http://127.0.0.1:{port}"))
        .arg(&expected)
        .arg(&categories)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("search: all checks passed"),
        "the search page behind nginx:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{stdout}");
}
