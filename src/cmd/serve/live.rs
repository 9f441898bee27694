//! What the open pages of `gongkai serve` are told: after a rebuild they reload; after a
//! failed one they show its errors over the page, and reload once the file is fixed.
//!
//! Pages served by `serve` (never the output of `build`) get one `<script src>` added before
//! `</head>`; the script listens to server-sent events on [`EVENTS`]. Script and style sheet
//! come from the server itself, so the pages' Content-Security-Policy (`'self'`) allows them.

use std::io::{self, Write};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::diagnostics::Diagnostic;

/// The event stream the pages listen to.
pub const EVENTS: &str = "/__gongkai/events";
/// The script that listens, and its style sheet.
pub const SCRIPT: &str = "/__gongkai/live.js";
pub const STYLE: &str = "/__gongkai/live.css";

pub const SCRIPT_JS: &str = include_str!("live.js");
pub const STYLE_CSS: &str = include_str!("live.css");

/// How long a page's stream stays silent before a comment keeps it open.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The builds the pages are told about.
#[derive(Default)]
pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default, Clone)]
struct State {
    /// Counts the builds since the server started.
    generation: u64,
    /// The last build's errors as the page shows them, if it failed.
    failure: Option<String>,
    /// Which pages reload after it (the event's data): `{}`, all of them.
    reload: String,
}

impl Live {
    /// A build succeeded: the pages reload, but those at `urls`, which show what it made.
    pub fn built_except(&self, urls: Vec<String>) {
        let reload = match urls.is_empty() {
            true => json!({}),
            false => json!({ "except": urls }),
        };
        self.set(None, reload.to_string());
    }

    /// Counts the events so far: what a page is served at ([`inject`]), so that its stream
    /// starts from there, not from when it connects.
    pub fn generation(&self) -> u64 {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .generation
    }

    /// The pages at `urls` were put in place ahead of a build (`crate::preview`): they
    /// reload, the others wait for the build.
    pub fn reload_only(&self, urls: Vec<String>) {
        self.set(None, json!({ "only": urls }).to_string());
    }

    /// A build failed: the pages show `diagnostics`.
    pub fn failed(&self, diagnostics: &[Diagnostic]) {
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                json!({
                    "file": d.file.to_string_lossy(),
                    "line": d.line,
                    "column": d.column,
                    "code": d.code,
                    "message": d.message,
                    "hint": d.hint,
                })
            })
            .collect();
        self.set(Some(json!({ "errors": errors }).to_string()), String::new());
    }

    fn set(&self, failure: Option<String>, reload: String) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        s.failure = failure;
        s.reload = reload;
        self.changed.notify_all();
    }

    /// Streams events to one page until it goes away: the current failure at once, if any,
    /// then one event per build. `since`: the generation the page was served at; an event
    /// since then (between serving the page and its stream connecting) comes at once.
    pub fn stream(&self, out: &mut impl Write, since: Option<u64>) -> io::Result<()> {
        write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
        )?;
        let mut seen = {
            let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(f) = &s.failure {
                write!(out, "event: failed\ndata: {f}\n\n")?;
            }
            since.map_or(s.generation, |since| since.min(s.generation))
        };
        out.flush()?;
        loop {
            let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let (s, _) = self
                .changed
                .wait_timeout_while(s, KEEPALIVE, |s| s.generation == seen)
                .unwrap_or_else(|e| e.into_inner());
            let now = s.clone();
            drop(s);
            if now.generation == seen {
                // A write to a page that has gone fails, which ends this thread.
                write!(out, ": keepalive\n\n")?;
            } else {
                // A page that missed an event (a preview, then its build) reloads whatever
                // the last one says.
                let missed = now.generation > seen + 1;
                seen = now.generation;
                match &now.failure {
                    Some(f) => write!(out, "event: failed\ndata: {f}\n\n")?,
                    None if missed => write!(out, "event: reload\ndata: {{}}\n\n")?,
                    None => write!(out, "event: reload\ndata: {}\n\n", now.reload)?,
                }
            }
            out.flush()?;
        }
    }
}

/// An HTML page as `serve` sends it: with the live script before `</head>`, which tells the
/// stream the generation the page was read at (`since`, read before the file).
pub fn inject(html: &[u8], since: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}\" data-since=\"{since}\" defer></script>");
    let Some(at) = find(html, b"</head>") else {
        return html.to_vec();
    };
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_head_ends() {
        let page = inject(
            b"<html><head><title>x</title></head><body></body></html>",
            4,
        );
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><head><title>x</title><script src=\"/__gongkai/live.js\" data-since=\"4\" defer></script></head><body></body></html>"
        );
        assert_eq!(inject(b"no head", 4), b"no head");
    }

    /// What a stream connecting with `since` writes first, before any new event.
    fn first_event(live: &Live, since: Option<u64>) -> String {
        struct Once(Vec<u8>);
        impl Write for Once {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.extend_from_slice(b);
                // The first event ends the stream, by failing as a page gone does.
                match self.0.ends_with(b"\n\n") && self.0.windows(6).any(|w| w == b"event:") {
                    true => Err(io::Error::other("enough")),
                    false => Ok(b.len()),
                }
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Once(Vec::new());
        let _ = live.stream(&mut out, since);
        let text = String::from_utf8(out.0).unwrap();
        text[text.find("event:").unwrap()..].to_string()
    }

    #[test]
    fn a_page_hears_what_happened_since_it_was_served() {
        let live = Live::default();
        let served = live.generation();
        live.reload_only(vec!["/a/".into()]);
        assert_eq!(
            first_event(&live, Some(served)),
            "event: reload\ndata: {\"only\":[\"/a/\"]}\n\n"
        );
        // Two events since: it reloads, whatever the last one says.
        live.built_except(vec!["/a/".into()]);
        assert_eq!(
            first_event(&live, Some(served)),
            "event: reload\ndata: {}\n\n"
        );
        assert_eq!(
            first_event(&live, Some(served + 1)),
            "event: reload\ndata: {\"except\":[\"/a/\"]}\n\n"
        );
    }

    #[test]
    fn a_page_hears_the_failure_then_the_fix() {
        let live = std::sync::Arc::new(Live::default());
        live.failed(&[
            Diagnostic::error("E012", "content/a.md", "日期不存在").hint("改为实际存在的日期")
        ]);
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
        struct Pipe(std::sync::mpsc::Sender<Vec<u8>>);
        impl Write for Pipe {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0
                    .send(b.to_vec())
                    .map_err(|_| io::Error::other("closed"))?;
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let l = live.clone();
        std::thread::spawn(move || l.stream(&mut Pipe(tx), None));
        let mut got = Vec::new();
        let mut read_until = |end: &str| loop {
            let text = String::from_utf8_lossy(&got).into_owned();
            if text.ends_with("\n\n") && text.contains(end) {
                got.clear();
                return text;
            }
            got.extend(rx.recv().unwrap());
        };
        let text = read_until("event: failed");
        assert!(
            text.contains("日期不存在") && text.contains("content/a.md"),
            "{text}"
        );
        live.built_except(Vec::new());
        let text = read_until("event: reload");
        assert!(text.ends_with("event: reload\ndata: {}\n\n"), "{text}");
        // A preview reloads its page alone; the build after it, every page but that one.
        live.reload_only(vec!["/documents/2024/a/".into()]);
        let text = read_until("event: reload");
        assert!(
            text.ends_with("data: {\"only\":[\"/documents/2024/a/\"]}\n\n"),
            "{text}"
        );
        live.built_except(vec!["/documents/2024/a/".into()]);
        let text = read_until("event: reload");
        assert!(
            text.ends_with("data: {\"except\":[\"/documents/2024/a/\"]}\n\n"),
            "{text}"
        );
    }
}
