//! The dev server's HTTP: one request per connection on std::net, files under the output
//! folder only, byte ranges as static hosts serve them.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use super::live::{self, Live};

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

/// Longest request line or header line read, and most header lines: a local preview server
/// needs no more, and a hostile client gets no further.
const MAX_LINE: u64 = 8 * 1024;
const MAX_HEADERS: usize = 100;

/// Answers one request and closes the connection. Plain HTTP/1.1 on std::net, one thread per
/// connection and no keep-alive: with tiny_http, headless chromium now and then waited forever
/// for one request of a page's parallel burst (reproduced; Python's http.server on the same
/// files never stalled), and a preview server loses nothing by closing.
pub(super) fn answer(stream: TcpStream, dir: &Path, live: &Live) -> std::io::Result<()> {
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
    let path_only = target.split(['?', '#']).next().unwrap_or("");
    match path_only {
        live::EVENTS if !head_only => {
            // The page's event stream stays open: no read timeout would end it, and the
            // writes of a page that has gone fail.
            out.get_ref().set_read_timeout(None)?;
            out.get_ref()
                .set_write_timeout(Some(Duration::from_secs(5)))?;
            let since = target
                .split_once('?')
                .and_then(|(_, query)| query.split('&').find_map(|q| q.strip_prefix("since=")))
                .and_then(|n| n.parse().ok());
            return live.stream(&mut out, since);
        }
        live::SCRIPT => {
            let kind = (
                "Content-Type",
                content_type(Path::new("live.js")).to_string(),
            );
            return respond(
                &mut out,
                "200 OK",
                &[kind],
                live::SCRIPT_JS.as_bytes(),
                head_only,
            );
        }
        live::STYLE => {
            let kind = (
                "Content-Type",
                content_type(Path::new("live.css")).to_string(),
            );
            return respond(
                &mut out,
                "200 OK",
                &[kind],
                live::STYLE_CSS.as_bytes(),
                head_only,
            );
        }
        _ => {}
    }
    let (found, path) = match resolve(dir, &target) {
        Some(p) => (true, Some(p)),
        None => (false, Some(dir.join("404.html")).filter(|p| p.is_file())),
    };
    // Read before the file: an event after this reaches the page, even one before its
    // stream connects.
    let generation = live.generation();
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
    // Pages listen for rebuilds; the files on disk stay as `build` wrote them.
    let bytes = if path.extension().is_some_and(|e| e == "html") {
        live::inject(&bytes, generation)
    } else {
        bytes
    };
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
