//! What `serve` shows of an edit before the rest of the site is rebuilt: the pages of the
//! records whose files changed, rendered from the freshly loaded portal as the build that
//! follows renders them, and put in place of the live site's files. At 100,000 records a
//! rebuild takes seconds (every list, download, index and check of the portal); the page the
//! officer edited is there in a fraction of that.
//!
//! The preview comes before the checks: the build that follows replaces the whole site as
//! usual, and if it fails, the previewed files get their bytes back ([`Shown::undo`]), so
//! that the site stays as last built.

use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use crate::derive;
use crate::domain::report_math;
use crate::model::{Kind, Portal};
use crate::render::{self, theme::Theme, RenderedPage};
use crate::table::HashSet;

/// The pages a preview put in place, with what their files held before.
pub struct Shown {
    pub pages: Vec<RenderedPage>,
    /// Each page's file under the site, with its bytes before (`None`: it was not there).
    before: Vec<(PathBuf, Option<Vec<u8>>)>,
    pub seconds: f64,
}

/// Renders the pages of the records in `files` (paths relative to the portal) and puts them
/// in place under `site`. `None` when none of `files` is a record with a page of its own, or
/// when a page cannot be made (the build that follows says why).
pub fn show(
    portal: &Portal,
    root: &Path,
    today: NaiveDate,
    site: &Path,
    files: &HashSet<OsString>,
) -> Option<Shown> {
    let started = Instant::now();
    let records = records_in(portal, files);
    if records.is_empty() || !site.is_dir() {
        return None;
    }
    let derived = derive::for_pages(portal, &report_math::portal_findings(portal), today);
    let mut theme = Theme::load(root, &portal.config.theme).ok()?;
    let pages = render::record_pages(portal, root, &derived, &mut theme, &records).ok()?;
    // The checks of a safe output path come after the preview: a file name that would leave
    // the site is not previewed.
    if !pages.iter().all(|p| stays_inside(&p.file)) {
        return None;
    }
    let mut shown = Shown {
        pages: Vec::new(),
        before: Vec::new(),
        seconds: 0.0,
    };
    for page in pages {
        let path = site.join(&page.file);
        let before = fs::read(&path).ok();
        if before.as_deref() == Some(&page.bytes[..]) {
            continue;
        }
        if replace(&path, &page.bytes).is_err() {
            shown.undo();
            return None;
        }
        shown.before.push((path, before));
        shown.pages.push(page);
    }
    shown.seconds = started.elapsed().as_secs_f64();
    Some(shown)
}

impl Shown {
    /// Gives the previewed files their bytes back (a file that was not there is removed).
    pub fn undo(&self) {
        for (path, before) in &self.before {
            match before {
                Some(bytes) => {
                    let _ = replace(path, bytes);
                }
                None => {
                    let _ = fs::remove_file(path);
                }
            }
        }
    }
}

/// The records whose files are among `files`, as (kind, index in the portal).
fn records_in(portal: &Portal, files: &HashSet<OsString>) -> Vec<(Kind, usize)> {
    let mut found = Vec::new();
    macro_rules! look {
        ($records:expr, $kind:expr) => {
            found.extend(
                $records
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| files.contains(r.meta.path.as_os_str()))
                    .map(|(i, _)| ($kind, i)),
            )
        };
    }
    look!(portal.pages, Kind::Page);
    look!(portal.agencies, Kind::Agency);
    look!(portal.power, Kind::Power);
    look!(portal.services, Kind::Service);
    look!(portal.decisions, Kind::Decision);
    look!(portal.documents, Kind::Document);
    look!(portal.reports, Kind::Report);
    found
}

fn stays_inside(file: &str) -> bool {
    let path = Path::new(file);
    !file.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `bytes` beside `path` and renames them over it: a page being served is never seen
/// half written.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    crate::write::write_whole(path, &dir.join(format!(".{name}.gongkai-preview")), bytes)
}
