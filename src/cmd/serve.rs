//! `gongkai serve`: build, serve the site on loopback, and rebuild when the portal changes.
//!
//! The server only ever reads files under the output directory: request paths are decoded,
//! `..` and absolute segments are refused, and anything else gets the site's 404 page.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::new_debouncer;

use crate::build::{self, BuildOptions};

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: String,
    pub port: u16,
}

/// Maps a request path to a file under `root`, or `None` for anything hostile or missing.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for part in decoded.split('/') {
        if part.is_empty() {
            continue;
        }
        let c = Path::new(part).components().next()?;
        if !matches!(c, Component::Normal(_)) || part.contains('\\') || part.contains('\0') {
            return None;
        }
        out.push(part);
    }
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn rebuild(opts: &BuildOptions) -> Option<PathBuf> {
    match build::build(opts) {
        Ok(report) => {
            eprintln!("{}", report.summary());
            Some(report.output)
        }
        Err(fail) => {
            super::check::print_plain(&fail.diagnostics, &mut std::io::stderr());
            eprintln!("构建失败：网站保持上一次成功构建的版本");
            None
        }
    }
}

/// Runs `gongkai serve` until it is stopped.
pub fn run(opts: ServeOptions) -> std::process::ExitCode {
    match serve(opts) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let out = rebuild(&opts.build)
        .ok_or("the first build failed; fix the errors above and run serve again")?;
    let site = Arc::new(RwLock::new(out));
    let addr = format!("{}:{}", opts.bind, opts.port);
    let listener = TcpListener::bind(&addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    eprintln!("正在 http://{addr}/ 提供网站（Ctrl+C 退出）");

    let (tx, rx) = mpsc::channel();
    let mut debouncer =
        new_debouncer(Duration::from_millis(300), None, tx).map_err(|e| e.to_string())?;
    let root = opts.build.root.clone();
    for watched in [
        root.join("content"),
        root.join("themes"),
        root.join("site.toml"),
    ] {
        if watched.exists() {
            debouncer
                .watch(&watched, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", watched.display()))?;
        }
    }
    let site_w = Arc::clone(&site);
    let build_opts = opts.build;
    std::thread::spawn(move || {
        for events in rx {
            // Reading files is an event too (inotify reports opens): a build reads every
            // content file, so only changes may trigger a rebuild, or it would never stop.
            match &events {
                Ok(evs) if evs.iter().any(|e| !e.event.kind.is_access()) => {}
                _ => continue,
            }
            eprintln!("检测到修改，重新构建……");
            if let Some(out) = rebuild(&build_opts) {
                *site_w.write().unwrap() = out;
            }
        }
    });

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let site = Arc::clone(&site);
        std::thread::spawn(move || {
            let dir = site.read().unwrap().clone();
            // A client that sends garbage or goes away costs only its own thread.
            let _ = answer(stream, &dir);
        });
    }
    Ok(())
}

/// Longest request line or header line read, and most header lines: a local preview server
/// needs no more, and a hostile client gets no further.
const MAX_LINE: u64 = 8 * 1024;
const MAX_HEADERS: usize = 100;

/// Answers one request and closes the connection. Plain HTTP/1.1 on std::net, one thread per
/// connection and no keep-alive: with tiny_http, headless chromium now and then waited forever
/// for one request of a page's parallel burst (reproduced; Python's http.server on the same
/// files never stalled), and a preview server loses nothing by closing.
fn answer(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    (&mut reader).take(MAX_LINE).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut range = None;
    for _ in 0..MAX_HEADERS {
        line.clear();
        if (&mut reader).take(MAX_LINE).read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.trim().eq_ignore_ascii_case("range") {
                range = Some(v.trim().to_string());
            }
        }
    }
    let mut out = BufWriter::new(stream);
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            "405 Method Not Allowed",
            &[("Allow", "GET, HEAD".into())],
            b"",
            true,
        );
    }
    let head_only = method == "HEAD";
    let (found, path) = match resolve(dir, &target) {
        Some(p) => (true, Some(p)),
        None => (false, Some(dir.join("404.html")).filter(|p| p.is_file())),
    };
    let Some((bytes, path)) = path.and_then(|p| std::fs::read(&p).ok().map(|b| (b, p))) else {
        return respond(
            &mut out,
            "404 Not Found",
            &[("Content-Type", "text/plain; charset=utf-8".into())],
            b"404",
            head_only,
        );
    };
    let kind = ("Content-Type", content_type(&path).to_string());
    if !found {
        return respond(&mut out, "404 Not Found", &[kind], &bytes, head_only);
    }
    // `Range: bytes=a-b` as static hosts honour it (the search client reads index slices).
    match range.and_then(|r| byte_range(&r, bytes.len())) {
        Some((from, to)) => {
            let content_range = format!("bytes {from}-{}/{}", to - 1, bytes.len());
            respond(
                &mut out,
                "206 Partial Content",
                &[kind, ("Content-Range", content_range)],
                &bytes[from..to],
                head_only,
            )
        }
        None => respond(
            &mut out,
            "200 OK",
            &[kind, ("Accept-Ranges", "bytes".into())],
            &bytes,
            head_only,
        ),
    }
}

fn respond(
    out: &mut impl Write,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(out, "HTTP/1.1 {status}\r\n")?;
    for (k, v) in headers {
        write!(out, "{k}: {v}\r\n")?;
    }
    write!(
        out,
        "Content-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

/// The byte range `start..end` of a single-range `Range: bytes=a-b` / `bytes=a-` / `bytes=-n`
/// header within a file of `len` bytes; `None` for anything else (the whole file is sent).
fn byte_range(value: &str, len: usize) -> Option<(usize, usize)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (from, to) = match (a.trim(), b.trim()) {
        ("", n) => (len.checked_sub(n.parse::<usize>().ok()?.min(len))?, len),
        (a, "") => (a.parse().ok()?, len),
        (a, b) => (
            a.parse().ok()?,
            b.parse::<usize>().ok()?.saturating_add(1).min(len),
        ),
    };
    (from < to).then_some((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-9", 100), Some((0, 10)));
        assert_eq!(byte_range("bytes=90-200", 100), Some((90, 100)));
        assert_eq!(byte_range("bytes=90-", 100), Some((90, 100)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 100)));
        assert_eq!(byte_range("bytes=100-120", 100), None);
        assert_eq!(byte_range("bytes=5-2", 100), None);
        assert_eq!(byte_range("bytes=0-1,4-5", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
    }

    #[test]
    fn hostile_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "y").unwrap();
        assert_eq!(
            resolve(dir.path(), "/"),
            Some(dir.path().join("index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/a/?q=1"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/a/..%2F..%2Fx"), None);
        assert_eq!(resolve(dir.path(), "/%ZZ"), None);
    }
}
