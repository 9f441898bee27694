//! The outside programs some tests drive: node, the npm packages of tests/browser, Debian's
//! chromium, and a Java runtime for the W3C Nu validator.
//!
//! Without them such a test cannot run. It then says so on the terminal, in the normal
//! `cargo test` output (a line starting with `SKIPPED`), and passes, unless
//! GONGKAI_REQUIRE_BROWSER=1 (set by CI), where a missing program is a failure: CI never
//! passes without having run them.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

/// What a test needs from outside the repository.
#[derive(Clone, Copy)]
pub enum Need {
    /// `node` on the PATH.
    Node,
    /// `npm install` run in tests/browser (playwright-core, axe-core, vnu-jar, markdown-it and
    /// its plugins).
    NodePackages,
    /// Debian's chromium at /usr/bin/chromium, or where `CHROMIUM` says.
    Chromium,
    /// `java` on the PATH, which runs the Nu validator of the vnu-jar package.
    Java,
}

/// The chromium binary the browser tests start.
pub fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Held by every test that starts chromium, so that a test binary runs one browser at a time:
/// two chromium instances and two builds at once on a small machine make page loads slow
/// enough to time out.
pub fn one_browser() -> MutexGuard<'static, ()> {
    static ONE_BROWSER: Mutex<()> = Mutex::new(());
    // A browser test that failed holding it must not fail the others.
    ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner())
}

fn missing(need: Need) -> Option<String> {
    match need {
        Need::Node => match Command::new("node").arg("--version").output() {
            Ok(o) if o.status.success() => None,
            _ => Some("node is not installed (Debian: apt-get install nodejs npm)".into()),
        },
        Need::NodePackages => {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules");
            let packages = ["playwright-core", "markdown-it", "axe-core", "vnu-jar"];
            (!packages.iter().all(|p| dir.join(p).is_dir())).then(|| {
                "tests/browser/node_modules is missing or out of date (run `npm install` there)"
                    .into()
            })
        }
        Need::Java => match Command::new("java").arg("-version").output() {
            Ok(o) if o.status.success() => None,
            _ => {
                Some("java is not installed (Debian: apt-get install default-jre-headless)".into())
            }
        },
        Need::Chromium => {
            let path = chromium();
            (!Path::new(&path).exists()).then(|| {
                format!("no chromium at {path} (Debian: apt-get install chromium fonts-noto-cjk)")
            })
        }
    }
}

/// Whether everything `needs` lists is here. When something is missing, `test` is reported
/// as skipped on the terminal and `false` returned, or, under GONGKAI_REQUIRE_BROWSER=1,
/// the test fails.
pub fn available(test: &str, needs: &[Need]) -> bool {
    let why: Vec<String> = needs.iter().filter_map(|n| missing(*n)).collect();
    if why.is_empty() {
        return true;
    }
    let why = why.join("; ");
    assert!(
        std::env::var("GONGKAI_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "GONGKAI_REQUIRE_BROWSER=1 but {test} cannot run: {why}"
    );
    // Straight to the process's stderr: libtest captures `eprintln!` of a passing test, and
    // a skip nobody sees looks like a pass.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why}. It passes without running; CI sets GONGKAI_REQUIRE_BROWSER=1 to require it."
    );
    false
}
