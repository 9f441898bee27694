//! `gongkai serve`: the officer's preview. Builds the portal, serves the site on loopback,
//! rebuilds when a file under content/, themes/ or site.toml changes, and tells the open pages:
//! they reload after a rebuild, and show the errors of a failed one over the page until the
//! file is fixed (`live`).
//!
//! The server only ever reads files under the output directory: request paths are decoded,
//! `..` and absolute segments are refused, and anything else gets the site's 404 page.

mod http;
mod live;

pub use http::{content_type, resolve};

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use super::progress::Bars;
use crate::build::{self, BuildOptions, Retained};
use live::Live;

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: String,
    pub port: u16,
}

/// Builds once, prints what happened with the time it took, and tells the open pages.
fn rebuild(opts: &BuildOptions, retained: &mut Retained, live: &Live) -> Option<PathBuf> {
    let started = Instant::now();
    let done = build::build_in(opts, retained);
    let secs = started.elapsed().as_secs_f64();
    match done {
        Ok(report) => {
            eprintln!("{}", report.summary());
            eprintln!("  {}", report.breakdown());
            // A page shown first as the build made it need not reload again.
            let same: Vec<String> = report
                .previewed
                .iter()
                .filter(|p| std::fs::read(report.output.join(&p.file)).is_ok_and(|b| b == p.bytes))
                .map(|p| p.url.clone())
                .collect();
            live.built_except(same);
            retained.read_spare_ahead(&report.output);
            Some(report.output)
        }
        Err(fail) => {
            super::check::print_plain(&fail.diagnostics, &mut std::io::stderr());
            eprintln!(
                "{}",
                crate::zh_en!(
                    format!("构建失败（用时 {secs:.2} 秒）：网站保持上一次成功构建的版本，已打开的页面会显示这些错误"),
                    format!("build failed ({secs:.2} s): the site stays as last built, and open pages show these errors")
                )
            );
            live.failed(&fail.diagnostics);
            None
        }
    }
}

/// Runs `gongkai serve` until it is stopped.
pub fn run(opts: ServeOptions) -> std::process::ExitCode {
    match serve(opts) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", super::error_line(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let live = Arc::new(Live::default());
    // Kept for every rebuild: each reads and parses only the files that changed.
    let mut retained = Retained::for_build(&opts.build);
    // Events name the paths watched, made absolute here, so that each is told relative to
    // the portal as a build names its files.
    let root = opts.build.root.clone();
    let root = root.canonicalize().unwrap_or(root);
    let out = rebuild(&opts.build, &mut retained, &live).ok_or(crate::zh_en!(
        "第一次构建失败：请按上面的提示改正后重新运行 gongkai serve",
        "the first build failed: correct what is shown above, then run gongkai serve again"
    ))?;
    let site = Arc::new(RwLock::new(out));
    let addr = format!("{}:{}", opts.bind, opts.port);
    let listener = TcpListener::bind(&addr).map_err(|e| {
        crate::zh_en!(
            format!("无法在 {addr} 上监听：{e}"),
            format!("cannot listen on {addr}: {e}")
        )
    })?;
    eprintln!(
        "{}",
        crate::zh_en!(
            format!("正在 http://{addr}/ 提供网站，保存文件后页面会自动刷新（Ctrl+C 退出）"),
            format!("serving http://{addr}/ — pages reload by themselves after each save (Ctrl+C to stop)")
        )
    );

    let (tx, rx) = mpsc::channel();
    let mut debouncer =
        // An editor's save is a burst of events within a few milliseconds (write a temporary
        // file, rename it over the old one); 100 ms of quiet ends it without eating much of
        // the second an officer waits for the page.
        new_debouncer(Duration::from_millis(100), None, tx).map_err(|e| e.to_string())?;
    for watched in [
        root.join("content"),
        root.join("themes"),
        root.join("site.toml"),
    ] {
        if watched.exists() {
            debouncer
                .watch(&watched, RecursiveMode::Recursive)
                .map_err(|e| {
                    let w = watched.display();
                    crate::zh_en!(
                        format!("无法监视 {w}：{e}"),
                        format!("cannot watch {w}: {e}")
                    )
                })?;
        }
    }
    // Watched from here on, a rebuild asks only the files the watcher names whether they
    // changed (at 100,000 records, asking every file and walking every folder took a second
    // of each rebuild). Some may have changed while the first build ran, before anything
    // was watched: every file is asked once more now, before the officer saves anything.
    retained.watched();
    let (site_w, live_w) = (Arc::clone(&site), Arc::clone(&live));
    let mut build_opts = opts.build;
    std::thread::spawn(move || {
        // Kept alive as long as events are wanted.
        let _debouncer = debouncer;
        retained.catch_up(&build_opts.root);
        eprintln!(
            "{}",
            crate::zh_en!(
                "正在监视 content/、themes/ 与 site.toml：保存后先更新修改的记录页面，再重建全站",
                "watching content/, themes/ and site.toml: an edited record's page is shown first, then the whole site is rebuilt"
            )
        );
        for events in rx {
            let files = changed_files(&events, &root);
            match &files {
                Some(files) => retained.changed(files.iter().cloned()),
                None => retained.lost_track(),
            }
            let Some(changed) = changed_paths(&events, &root) else {
                continue;
            };
            let saved = saved_at(&events);
            let waited = saved.elapsed();
            // Edits of records show their pages first. A change of a template or of
            // site.toml may change every page, and goes through the whole rebuild alone.
            if let Some(files) = files.filter(|f| f.iter().all(|f| f.starts_with("content"))) {
                let live = Arc::clone(&live_w);
                let site = site_w.read().unwrap().clone();
                retained.preview(&site, files, move |shown| {
                    let urls: Vec<String> = shown.pages.iter().map(|p| p.url.clone()).collect();
                    if urls.is_empty() {
                        return;
                    }
                    live.reload_only(urls);
                    let (n, took, total) = (shown.pages.len(), shown.seconds, saved.elapsed().as_secs_f64());
                    eprintln!(
                        "  {}",
                        crate::zh_en!(
                            format!("已先更新修改的 {n} 个页面（用时 {took:.2} 秒，保存后 {total:.2} 秒），其余页面、下载文件与检索索引接着构建"),
                            format!("{n} edited page(s) shown first ({took:.2} s; {total:.2} s after the save); the rest of the site follows")
                        )
                    );
                });
            }
            eprintln!(
                "{}",
                crate::zh_en!(
                    format!("检测到修改：{changed}，重新构建……"),
                    format!("changed: {changed}; rebuilding…")
                )
            );
            // A progress of its own, so that its times count from this rebuild.
            build_opts.progress = Box::new(Bars::auto());
            if let Some(out) = rebuild(&build_opts, &mut retained, &live_w) {
                *site_w.write().unwrap() = out;
                let (total, waited) = (saved.elapsed().as_secs_f64(), waited.as_secs_f64());
                eprintln!(
                    "  {}",
                    crate::zh_en!(
                        format!("保存后 {total:.2} 秒已通知页面刷新（其中等待文件保存完 {waited:.2} 秒）"),
                        format!("pages told to reload {total:.2} s after the save ({waited:.2} s of it waiting for the save to settle)")
                    )
                );
            }
        }
    });

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (site, live) = (Arc::clone(&site), Arc::clone(&live));
        std::thread::spawn(move || {
            let dir = site.read().unwrap().clone();
            // A client that sends garbage or goes away costs only its own thread.
            let _ = http::answer(stream, &dir, &live);
        });
    }
    Ok(())
}

/// Every file a batch of events may have changed, relative to the portal at `root`;
/// `None` when the watcher may have missed some (it says so, or reports an error, or names
/// a path outside the portal).
fn changed_files(events: &DebounceEventResult, root: &Path) -> Option<Vec<PathBuf>> {
    let events = events.as_ref().ok()?;
    let mut files = Vec::new();
    for e in events.iter().filter(|e| !e.event.kind.is_access()) {
        if e.event.need_rescan() {
            return None;
        }
        for path in &e.event.paths {
            files.push(path.strip_prefix(root).ok()?.to_path_buf());
        }
    }
    Some(files)
}

/// When the first change of a batch happened: the save the officer made.
fn saved_at(events: &DebounceEventResult) -> Instant {
    events
        .as_ref()
        .ok()
        .and_then(|events| {
            events
                .iter()
                .filter(|e| !e.event.kind.is_access())
                .map(|e| e.time)
                .min()
        })
        .unwrap_or_else(Instant::now)
}

/// The files a batch of events changed, as a short line for the log; `None` when nothing
/// changed. Reading files is an event too (inotify reports opens): a build reads every
/// content file, so only changes may trigger a rebuild, or it would never stop.
fn changed_paths(events: &DebounceEventResult, root: &Path) -> Option<String> {
    let Ok(events) = events else {
        return None;
    };
    let mut paths: Vec<String> = events
        .iter()
        .filter(|e| !e.event.kind.is_access())
        .flat_map(|e| e.event.paths.iter())
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    paths.sort();
    paths.dedup();
    let (first, rest) = paths.split_first()?;
    Some(match rest.len() {
        0 => first.clone(),
        n => crate::zh_en!(
            format!("{first} 等 {} 个文件", n + 1),
            format!("{first} and {n} more")
        ),
    })
}
