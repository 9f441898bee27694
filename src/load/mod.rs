//! Stage 1: walk `content/`, read and parse every file in parallel, and assemble a [`Portal`].
//!
//! Loading never stops at the first problem: every file that can be parsed is, and every file
//! that cannot yields a diagnostic with its place.

pub(crate) mod explain;
pub mod locate;
pub mod requests;
pub mod source;
mod stored;
pub mod yaml_depth;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use regex::Regex;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::{self, codes, Diagnostic, Pos};
use crate::domain::calendar::CalendarYear;
use crate::model::config::SiteConfig;
use crate::model::kinds::Layout;
use crate::model::slug::{slug_is_valid, suggest_slug};
use crate::model::*;
use crate::status::Asker;
use crate::table::{HashMap, HashSet};
use source::YamlPart;

/// The loaded portal with the diagnostics of loading.
pub struct Loaded {
    pub portal: Portal,
    /// The private request register, kept apart from the portal (see
    /// [`crate::model::requests`]).
    pub register: crate::model::requests::Register,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a content file belongs, decided by its path alone.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Home,
    Record {
        kind: Kind,
        slug: String,
        year: Option<i32>,
        folder_agency: Option<String>,
    },
}

#[derive(Debug, Clone)]
enum Parsed {
    Home(Record<Page>),
    Page(Record<Page>),
    Agency(Record<Agency>),
    Power(Record<PowerItem>),
    Service(Record<ServiceItem>),
    Decision(Record<Decision>),
    Document(Record<Document>),
    Report(Record<Report>),
    Calendar(Record<CalendarYear>),
}

/// What earlier loads of the same portal parsed, file by file, for a process that loads it
/// again and again (`serve`): a file whose size, times and inode are those it had is neither
/// read nor parsed again.
///
/// A load lends the cache's records to the portal it returns rather than copying them, so
/// that a build holds one copy of 100,000 records, not two; [`ParseCache::restore`] takes
/// them back once the portal is done with. A record never given back is parsed again.
#[derive(Default)]
pub struct ParseCache {
    /// By path relative to the portal, as plain bytes: a `Path` hashes component by
    /// component, and every load looks up, removes and inserts each file's path.
    files: HashMap<OsString, Parse>,
    /// The `max_file_bytes` the files were read with: what was too large may fit now.
    max: u64,
    /// How many files the last load read and parsed.
    parsed: usize,
    /// How many lines the cache's file had when it was read (`stored`): what it would grow
    /// to if appended to.
    stored_lines: usize,
    /// What the last load's walk of content/ found.
    walked: Option<Walk>,
    /// What may have changed under the portal since the last load.
    since: Since,
    /// Whether a watcher tells every change (`serve`): each load then starts knowing that
    /// nothing has changed yet.
    watched: bool,
    /// The cache's file, still being read ([`ParseCache::stored_ahead`]).
    reading: Option<std::thread::JoinHandle<ParseCache>>,
}

/// What may have changed under the portal since the last load.
#[derive(Default)]
enum Since {
    /// Anything: the next load walks content/ and asks every file for its times.
    #[default]
    Unknown,
    /// Only these files (relative to the portal, as plain bytes): the next load takes every
    /// other file as it was, without walking content/ or asking for its times.
    Only(HashSet<OsString>),
}

/// A walk of content/: the content files with their slots, the static files, what the walk
/// itself found wrong, and whether it went through a symbolic link (whose target changes
/// without any event under content/).
#[derive(Default)]
struct Walk {
    files: Vec<(PathBuf, Slot)>,
    statics: Vec<String>,
    diags: Vec<Diagnostic>,
    linked: bool,
}

impl ParseCache {
    /// How many files the last load read and parsed (the others were unchanged).
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// Says that a watcher will tell every change from now on ([`ParseCache::changed`]),
    /// until it loses track ([`ParseCache::lost_track`]). Whoever calls this must know: a
    /// change it does not tell is not seen.
    pub fn watched(&mut self) {
        self.watched = true;
    }

    /// Tells that the files `paths` (relative to the portal) may have changed. While a
    /// watcher tells every change, a load takes the files it was not told of as they were,
    /// and walks content/ again only if one of `paths` adds, removes or renames a file.
    pub fn changed(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        if let Since::Only(files) = &mut self.since {
            files.extend(paths.into_iter().map(PathBuf::into_os_string));
        }
    }

    /// Asks every file whether it changed since the last load, as the next load would:
    /// what a process does once after its watcher starts (`serve`, whose first build runs
    /// before anything is watched), while nobody waits. If nothing changed, the first
    /// change the watcher tells is loaded without walking content/ or asking every file;
    /// otherwise the next load does both, as it would have.
    pub fn catch_up(&mut self, root: &Path) {
        if !self.watched || !matches!(self.since, Since::Unknown) {
            return;
        }
        self.settle();
        let now = walk(root, &root.join("content"));
        // The table holds every file the last load found, and only those.
        let unchanged = !now.linked && now.files.len() == self.files.len() && {
            let asker = Asker::following(root, now.files.iter().map(|(rel, _)| rel.as_os_str()));
            now.files.par_iter().all(|(rel, _)| {
                self.files
                    .get(rel.as_os_str())
                    .is_some_and(|then| Some(then.stamp) == stamp(&asker, rel))
            })
        };
        if unchanged {
            self.since = Since::Only(HashSet::default());
            self.walked = Some(now);
        }
    }

    /// Tells that the watcher may have missed changes: the next load asks every file.
    pub fn lost_track(&mut self) {
        self.since = Since::Unknown;
    }

    /// Waits for the cache's file to be read, if it is still being read.
    fn settle(&mut self) {
        if let Some(reading) = self.reading.take() {
            let read = reading.join().unwrap_or_default();
            *self = ParseCache {
                since: std::mem::take(&mut self.since),
                watched: self.watched,
                walked: self.walked.take(),
                ..read
            };
        }
    }

    /// Takes back the records a load lent to `portal`. Loading changes no record after its
    /// parse but the reports' tables filled from the request register, which the next load
    /// fills again from the register as it is then.
    pub fn restore(&mut self, portal: Portal) {
        self.settle();
        // Each record is looked up by the path it holds, then moved in: no copy of 100,000
        // paths.
        let files = &mut self.files;
        macro_rules! give {
            ($records:expr, $variant:ident) => {
                for r in $records {
                    if let Some(entry) = files.get_mut(r.meta.path.as_os_str()) {
                        if matches!(entry.parsed, Lent::Out) {
                            entry.parsed = Lent::In(Parsed::$variant(r));
                        }
                    }
                }
            };
        }
        give!(portal.home.into_iter(), Home);
        give!(portal.pages, Page);
        give!(portal.agencies, Agency);
        give!(portal.power, Power);
        give!(portal.services, Service);
        give!(portal.decisions, Decision);
        give!(portal.documents, Document);
        give!(portal.reports, Report);
        give!(portal.calendars, Calendar);
    }
}

/// What a file's parse gave, as the cache holds it. As large as the parsed record, as the
/// cache's entries always were: boxing it would cost an allocation per record per load.
#[allow(clippy::large_enum_variant)]
enum Lent {
    /// No record (the file's diagnostics say why).
    Nothing,
    /// The record, here.
    In(Parsed),
    /// The record, lent to a portal.
    Out,
}

/// What parsing one file gave: its record, if any, and its diagnostics.
type FileParse = (Option<Parsed>, Vec<Diagnostic>);

/// A file read and parsed afresh: what it gave, and the hash of its bytes if they were read.
type Fresh = (FileParse, Option<u64>);

/// A file's stamp (size, modification and status-change times in ns, inode), what its
/// parse gave, and its diagnostics.
struct Parse {
    stamp: Stamp,
    /// The hash of the file's bytes ([`content_hash`]), if they were read: a file whose
    /// stamp moved (touched, checked out again, cloned afresh) but whose bytes are the same
    /// parses the same.
    content: Option<u64>,
    /// Whether the cache's file holds this very entry (`stored`), stamp included.
    stored: bool,
    parsed: Lent,
    diags: Vec<Diagnostic>,
}
type Stamp = (u64, i128, i128, u64);

/// The stamp of the file `rel` under the asker's root; `None` without a status-change time
/// (a system without one), where a stamp cannot be trusted and every file is parsed.
fn stamp(asker: &Asker, rel: &Path) -> Option<Stamp> {
    let status = asker.ask(rel).ok()?;
    let times = status.times?;
    let (secs, nanos) = times.changed;
    let changed = i128::from(secs) * 1_000_000_000 + i128::from(nanos);
    Some((status.len, times.modified, changed, status.inode))
}

/// Loads the portal at `root` (which holds site.toml and content/).
pub fn load(root: &Path) -> Result<Loaded, Diagnostic> {
    load_reusing(root, None)
}

/// Loads the portal at `root`, taking what `cache` holds for files unchanged since it was
/// filled, and leaves in `cache` what this load parsed.
pub fn load_reusing(root: &Path, mut cache: Option<&mut ParseCache>) -> Result<Loaded, Diagnostic> {
    let (config, mut diags) = SiteConfig::load(root)?;
    if let Some(pattern) = &config.catalog.index_no_pattern {
        if let Err(e) = Regex::new(pattern) {
            diags.push(Diagnostic::error(
                codes::SITE_CONFIG,
                "site.toml",
                crate::zh_en!(
                    format!(
                        "site.toml 中 `[catalog]` 的 `index_no_pattern` 不是有效的正则表达式：{e}"
                    ),
                    format!("[catalog] index_no_pattern is not a valid regular expression: {e}")
                ),
            ));
        }
    }
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::error(
            codes::READ_FAILED,
            "content",
            crate::zh_en!(
                format!("{} 中没有 content/ 文件夹", root.display()),
                format!("no content/ folder in {}", root.display())
            ),
        )
        .hint(crate::zh_en!(
            "请在 site.toml 旁边建立 content/ 文件夹；`gongkai new` 可以生成记录模板",
            "create content/ beside site.toml; `gongkai new` writes template records"
        )));
    }
    let changed = cache.as_deref_mut().and_then(|c| {
        let next = match c.watched {
            true => Since::Only(HashSet::default()),
            false => Since::Unknown,
        };
        match std::mem::replace(&mut c.since, next) {
            Since::Only(files) => Some(files),
            Since::Unknown => None,
        }
    });
    let walked = cache.as_deref_mut().and_then(|c| c.walked.take());
    let (walked, changed) = match (walked, changed) {
        (Some(walked), Some(changed))
            if cache.as_deref_mut().is_some_and(|c| {
                c.settle();
                walk_still_holds(root, &walked, c, &changed)
            }) =>
        {
            (walked, Some(changed))
        }
        // The cache's file is read meanwhile (`ParseCache::stored_ahead`).
        _ => (walk(root, &content), None),
    };
    if let Some(cache) = cache.as_deref_mut() {
        cache.settle();
    }
    let files = &walked.files;
    diags.extend(walked.diags.iter().cloned());

    let max = config.max_file_bytes;
    if let Some(cache) = cache.as_deref_mut() {
        if cache.max != max {
            cache.files.clear();
            cache.max = max;
        }
    }
    let previous = cache.as_deref();
    // Every file is asked for its stamp, unless the watcher names the few that changed.
    let asking = files.iter().map(|(rel, _)| rel.as_os_str());
    let asker = match (previous, &changed) {
        (Some(_), None) => Asker::following(root, asking),
        _ => Asker::following(root, std::iter::empty()),
    };
    // `None`: unchanged since the cache's parse, which the record is taken from below.
    let parses: Vec<(Option<Stamp>, Option<Fresh>)> = files
        .par_iter()
        .map(|(rel, slot)| {
            let Some(previous) = previous else {
                return (None, Some(parse_file(root, rel, slot, max)));
            };
            let then = previous
                .files
                .get(rel.as_os_str())
                .filter(|then| !matches!(then.parsed, Lent::Out));
            let now = match (then, &changed) {
                (Some(then), Some(changed)) if !changed.contains(rel.as_os_str()) => {
                    Some(then.stamp)
                }
                _ => stamp(&asker, rel),
            };
            match then {
                Some(then) if Some(then.stamp) == now => (now, None),
                Some(Parse {
                    content: Some(content),
                    ..
                }) => match source::read_bytes(&root.join(rel), rel, max) {
                    Ok(bytes) => {
                        let read = content_hash(&bytes);
                        match read == *content {
                            true => (now, None),
                            false => (now, Some((parse_read(rel, slot, bytes), Some(read)))),
                        }
                    }
                    Err(d) => (now, Some(((None, vec![*d]), None))),
                },
                _ => (now, Some(parse_file(root, rel, slot, max))),
            }
        })
        .collect();
    // Updated in place: at 100,000 records, moving every entry into a new table took a
    // fifth of a second of each rebuild.
    let mut table = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.files))
        .unwrap_or_default();
    let mut present = 0;
    let mut parsed = 0;
    // Each record is moved from the cache (or its parse) straight into the portal's list,
    // sized first: at 100,000 records every move of them all is 60 MB.
    let mut portal = Portal::default();
    let mut counts: HashMap<Kind, usize> = HashMap::default();
    for (_, slot) in files {
        if let Slot::Record { kind, .. } = slot {
            *counts.entry(*kind).or_default() += 1;
        }
    }
    let count = |kind: Kind| counts.get(&kind).copied().unwrap_or(0);
    portal.pages.reserve(count(Kind::Page));
    portal.agencies.reserve(count(Kind::Agency));
    portal.power.reserve(count(Kind::Power));
    portal.services.reserve(count(Kind::Service));
    portal.decisions.reserve(count(Kind::Decision));
    portal.documents.reserve(count(Kind::Document));
    portal.reports.reserve(count(Kind::Report));
    let lent = |record: &Option<Parsed>| match record {
        Some(_) => Lent::Out,
        None => Lent::Nothing,
    };
    for ((rel, _), (now, parse)) in files.iter().zip(parses) {
        let key = rel.as_os_str();
        let (record, file_diags) = match (parse, now) {
            (Some((fresh, content)), now) => {
                parsed += 1;
                if let Some(stamp) = now {
                    let entry = Parse {
                        stamp,
                        content,
                        stored: false,
                        parsed: lent(&fresh.0),
                        diags: fresh.1.clone(),
                    };
                    present += 1;
                    table.insert(key.to_owned(), entry);
                } else {
                    table.remove(key);
                }
                fresh
            }
            (None, now) => {
                let Some(entry) = table.get_mut(key) else {
                    unreachable!("an unchanged file is in the cache")
                };
                let record = match std::mem::replace(&mut entry.parsed, Lent::Out) {
                    Lent::In(record) => Some(record),
                    _ => None,
                };
                let diags = entry.diags.clone();
                match now {
                    Some(stamp) => {
                        entry.stored = entry.stored && entry.stamp == stamp;
                        entry.stamp = stamp;
                        entry.parsed = lent(&record);
                        present += 1;
                    }
                    None => {
                        table.remove(key);
                    }
                }
                (record, diags)
            }
        };
        diags.extend(file_diags);
        match record {
            None => {}
            Some(Parsed::Home(r)) => portal.home = Some(r),
            Some(Parsed::Page(r)) => portal.pages.push(r),
            Some(Parsed::Agency(r)) => portal.agencies.push(r),
            Some(Parsed::Power(r)) => portal.power.push(r),
            Some(Parsed::Service(r)) => portal.services.push(r),
            Some(Parsed::Decision(r)) => portal.decisions.push(r),
            Some(Parsed::Document(r)) => portal.documents.push(r),
            Some(Parsed::Report(r)) => portal.reports.push(r),
            Some(Parsed::Calendar(r)) => portal.calendars.push(r),
        }
    }
    // Files gone since the last load.
    if table.len() > present {
        let walked: HashSet<&std::ffi::OsStr> = files.iter().map(|f| f.0.as_os_str()).collect();
        table.retain(|file, _| walked.contains(file.as_os_str()));
    }
    let static_files = walked.statics.clone();
    if let Some(cache) = cache {
        cache.files = table;
        cache.parsed = parsed;
        // Only a watched load can use it (20 MB at 100,000 records).
        cache.walked = cache.watched.then_some(walked);
    }

    portal.config = config;
    portal.static_files = static_files;
    sort_portal(&mut portal);
    portal.reindex();
    let (register, register_diags) = requests::load_register(root, &portal.config);
    diags.extend(register_diags);
    requests::fill_reports(&mut portal, &register);
    diagnostics::sort(&mut diags);
    Ok(Loaded {
        portal,
        register,
        diagnostics: diags,
    })
}

/// Orders records the way lists show them, so that every stage after this is deterministic.
fn sort_portal(p: &mut Portal) {
    p.pages.sort_by(|a, b| {
        (a.data.order.unwrap_or(i64::MAX), &a.meta.slug)
            .cmp(&(b.data.order.unwrap_or(i64::MAX), &b.meta.slug))
    });
    p.agencies.sort_by(|a, b| {
        (a.data.order.unwrap_or(i64::MAX), &a.data.name, &a.meta.slug).cmp(&(
            b.data.order.unwrap_or(i64::MAX),
            &b.data.name,
            &b.meta.slug,
        ))
    });
    p.power.sort_by(|a, b| {
        (&a.meta.folder_agency, &a.data.code).cmp(&(&b.meta.folder_agency, &b.data.code))
    });
    p.services.sort_by(|a, b| {
        (&a.meta.folder_agency, &a.data.code).cmp(&(&b.meta.folder_agency, &b.data.code))
    });
    // Newest first for dated lists.
    p.decisions
        .sort_by(|a, b| (b.meta.year, &a.meta.slug).cmp(&(a.meta.year, &b.meta.slug)));
    sort_moving_once(&mut p.documents, |a, b| {
        (b.data.published, &a.data.index_no, &a.meta.slug).cmp(&(
            a.data.published,
            &b.data.index_no,
            &b.meta.slug,
        ))
    });
    p.reports
        .sort_by(|a, b| (b.meta.year, &a.meta.slug).cmp(&(a.meta.year, &b.meta.slug)));
    p.calendars.sort_by_key(|c| c.meta.year);
}

/// `records` sorted by `cmp`, stably, each record moved once: the positions are sorted
/// rather than the records, which are large (sorting 85,000 documents in place moved them
/// seventeen times over, a twentieth of a second of every load).
fn sort_moving_once<T: Send + Sync>(
    records: &mut Vec<T>,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync,
) {
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.par_sort_by(|&a, &b| cmp(&records[a], &records[b]));
    let mut taken: Vec<Option<T>> = records.drain(..).map(Some).collect();
    records.extend(order.into_iter().filter_map(|i| taken[i].take()));
}

/// Whether `walked`, the last load's walk, still lists content/ as it is, when only the
/// files `changed` may have changed since: each is a file the walk found and still a file,
/// or a file the walk would pass over (an editor's swap or backup file), or gone without
/// having been found. A file added, removed or renamed under content/, a folder, or a walk
/// that went through a symbolic link calls for a new walk.
fn walk_still_holds(
    root: &Path,
    walked: &Walk,
    cache: &ParseCache,
    changed: &HashSet<OsString>,
) -> bool {
    if walked.linked {
        return false;
    }
    let static_dir = Path::new("content").join("static");
    changed.iter().all(|rel| {
        let rel = Path::new(rel);
        if !rel.starts_with("content") {
            // site.toml and the theme: read again by every load or build, whatever changed.
            return true;
        }
        let now = fs::symlink_metadata(root.join(rel)).ok();
        let is_file = now.as_ref().is_some_and(fs::Metadata::is_file);
        if let Ok(in_static) = rel.strip_prefix(&static_dir) {
            // Copied again by every build if its size or time moved.
            let name = in_static.to_string_lossy();
            return is_file && walked.statics.iter().any(|s| *s == name);
        }
        if cache.files.contains_key(rel.as_os_str()) {
            return is_file;
        }
        let name = rel.file_name().unwrap_or_default().to_string_lossy();
        match now {
            Some(meta) => meta.is_file() && is_editor_leftover(&name),
            // Gone: fine, unless it was a folder the walk found files in.
            None => !walked.files.iter().any(|(f, _)| f.starts_with(rel)),
        }
    })
}

fn walk(root: &Path, content: &Path) -> Walk {
    let root_canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // Files under content/static/ are published as they are, so a link there may only lead to
    // another of them: inside the portal is not enough (public/, .git). The folder is taken
    // by name, so content/static itself may not be a link elsewhere either.
    let static_dir = content.join("static");
    let static_canon = content
        .canonicalize()
        .map(|c| c.join("static"))
        .unwrap_or_else(|_| static_dir.clone());
    let escapes = Mutex::new(Vec::new());
    let linked = std::sync::atomic::AtomicBool::new(false);
    let mut files = Vec::new();
    let mut statics = Vec::new();
    let mut diags = Vec::new();
    let walker = WalkDir::new(content)
        .follow_links(true)
        // By name, as `sort_by_file_name` does: siblings' paths differ only after their
        // folder's, so comparing them whole compares their names, without cutting each name
        // out of its path at every comparison (most of the walk at 100,000 files).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| {
            if e.path_is_symlink() {
                linked.store(true, std::sync::atomic::Ordering::Relaxed);
                let in_static = e.path().starts_with(&static_dir);
                let bound = if in_static {
                    &static_canon
                } else {
                    &root_canon
                };
                let inside = e
                    .path()
                    .canonicalize()
                    .map(|p| p.starts_with(bound))
                    .unwrap_or(false);
                if !inside {
                    escapes
                        .lock()
                        .unwrap()
                        .push((e.path().to_path_buf(), in_static));
                    return false;
                }
            }
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if is_editor_leftover(&name) {
                return false;
            }
            // Hidden files and folders (.git, .DS_Store) are not content, but a hidden file
            // with a record's extension under a record folder (`..yaml`, `.draft.md`) would be
            // a record nobody sees published: `classify` names it.
            !name.starts_with('.')
                || (e.file_type().is_file()
                    && !e.path().starts_with(&static_dir)
                    && has_record_extension(&name))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // A link to a folder that holds content/static/ (`..`) is found as a loop before
            // the filter sees it.
            Err(e)
                if e.path().is_some_and(|p| p.starts_with(&static_dir))
                    && e.loop_ancestor()
                        .is_some_and(|a| !a.starts_with(&static_dir)) =>
            {
                let path = e.path().unwrap_or(&static_dir).to_path_buf();
                escapes.lock().unwrap().push((path, true));
                continue;
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel_to(root, p))
                    .unwrap_or_else(|| PathBuf::from("content"));
                diags.push(Diagnostic::error(
                    codes::READ_FAILED,
                    path,
                    crate::zh_en!(
                        match (e.io_error(), e.loop_ancestor()) {
                            (_, Some(_)) => "无法读取：文件夹的符号链接形成了循环".to_string(),
                            (Some(io), _) => {
                                format!("无法读取：{}", crate::text::lang::io_reason(io))
                            }
                            _ => format!("无法读取：{e}"),
                        },
                        format!("cannot read: {e}")
                    ),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_to(root, entry.path());
        let in_content = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let parts: Vec<String> = in_content
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        if parts.first().map(String::as_str) == Some("static") {
            statics.push(parts[1..].join("/"));
            continue;
        }
        match classify(&parts) {
            Ok(Some(slot)) => files.push((rel, slot)),
            Ok(None) => {}
            Err(d) => diags.push(Diagnostic { file: rel, ..*d }),
        }
    }
    // A link met again through a linked folder is reported once, where it is.
    let mut seen = HashSet::default();
    for (path, in_static) in escapes.into_inner().unwrap() {
        let real = path
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .zip(path.file_name())
            .map(|(dir, name)| dir.join(name));
        if !seen.insert(real.unwrap_or_else(|| path.clone())) {
            continue;
        }
        let d = if in_static {
            Diagnostic::error(
                codes::SYMLINK_OUTSIDE,
                rel_to(root, &path),
                crate::zh_en!(
                    "这个符号链接指向 content/static/ 以外的位置（或指向的文件不存在），已拒绝：生成网站时不会复制它指向的内容",
                    "this symbolic link points outside content/static/ (or to nothing) and is refused: the build does not copy what it points to"
                ),
            )
            .hint(crate::zh_en!(
                "请把要发布的文件本身放进 content/static/；这里的链接只能指向 content/static/ 中的其他文件",
                "put the file itself in content/static/; a link here may only point to another file in content/static/"
            ))
        } else {
            Diagnostic::error(
                codes::SYMLINK_OUTSIDE,
                rel_to(root, &path),
                crate::zh_en!(
                    "这个符号链接指向门户文件夹以外的位置，已拒绝",
                    "this symbolic link points outside the portal folder and is refused"
                ),
            )
            .hint(crate::zh_en!(
                "请把文件本身复制到门户文件夹里，不要用链接",
                "copy the file into the portal instead of linking to it"
            ))
        };
        diags.push(d);
    }
    Walk {
        files,
        statics,
        diags,
        linked: linked.into_inner(),
    }
}

/// Files editors leave beside the one being edited (vim's swap files, Emacs' backups and
/// locks): never content, and not worth a warning.
fn is_editor_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('.') && [".swp", ".swo", ".swx"].iter().any(|x| name.ends_with(x)))
}

fn has_record_extension(name: &str) -> bool {
    [".md", ".yaml", ".yml"].iter().any(|x| name.ends_with(x))
}

fn rel_to(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

/// The content folders of the record kinds.
fn kind_folders() -> Vec<&'static str> {
    crate::model::KINDS.iter().map(|k| k.folder).collect()
}

fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => (name, ""),
    }
}

/// Decides the slot of a content file from its path parts (relative to content/).
fn classify(parts: &[String]) -> Result<Option<Slot>, Box<Diagnostic>> {
    let misplaced = |msg: String, hint: String| {
        Err(Box::new(
            Diagnostic::warning(codes::UNKNOWN_FILE, "", msg).hint(hint),
        ))
    };
    let name = parts.last().map(String::as_str).unwrap_or("");
    let (stem, ext) = split_ext(name);
    let is_md = ext == "md";
    let is_yaml = ext == "yaml" || ext == "yml";
    if parts.len() == 1 {
        if name == "index.md" {
            return Ok(Some(Slot::Home));
        }
        let folders = kind_folders().join("/, ");
        return misplaced(
            crate::zh_en!(
                format!("`{name}` 不是网站内容文件，已忽略"),
                format!("`{name}` is not a known content file and is ignored")
            ),
            crate::zh_en!(
                format!("content/ 里只放 index.md 和这些文件夹：{folders}/, static/"),
                format!("content/ holds index.md and the folders {folders}/, static/")
            ),
        );
    }
    let Some(kind) = Kind::from_folder(&parts[0]) else {
        let folder = &parts[0];
        let folders = kind_folders().join(", ");
        return misplaced(
            crate::zh_en!(
                format!("文件夹 `{folder}` 不是网站内容的文件夹，其中的文件已忽略"),
                format!(
                    "folder `{folder}` is not part of the content format; its files are ignored"
                )
            ),
            crate::zh_en!(
                format!("内容文件夹只有：{folders}, static"),
                format!("known folders: {folders}, static")
            ),
        );
    };
    let want_md = kind.info().extension == "md";
    if (want_md && !is_md) || (!want_md && !is_yaml) {
        let want = if want_md { ".md" } else { ".yaml" };
        let folder = &parts[0];
        return misplaced(
            crate::zh_en!(
                format!("`{name}` 已忽略：{folder}/ 里的文件应为 {want} 文件"),
                format!("`{name}` is ignored: files in {folder}/ are {want} files")
            ),
            crate::zh_en!(
                "请改文件名，或把文件移到 content/static/".to_string(),
                "rename the file or move it to content/static/".to_string()
            ),
        );
    }
    let info = kind.info();
    let depth_ok = match info.layout {
        Layout::Flat => parts.len() == 2,
        Layout::ByAgency | Layout::ByYear => parts.len() == 3,
    };
    if !depth_ok {
        let layout = info.layout_text();
        return Err(Box::new(
            Diagnostic::error(
                codes::MISPLACED_FILE,
                "",
                crate::zh_en!(
                    format!("这个文件放错了位置：这类文件应放在 content/{layout}"),
                    format!(
                        "this file is not where its type belongs: the layout is content/{layout}"
                    )
                ),
            )
            .hint(crate::zh_en!(
                format!("请移到 content/{layout}"),
                format!("move it to content/{layout}")
            )),
        ));
    }
    if info.stem == "<year>" {
        return match stem.parse::<i32>() {
            Ok(y) if stem.len() == 4 => Ok(Some(Slot::Record {
                kind,
                slug: stem.to_string(),
                year: Some(y),
                folder_agency: None,
            })),
            _ => Err(Box::new(
                Diagnostic::error(
                    codes::BAD_SLUG,
                    "",
                    crate::zh_en!(
                        format!("节假日安排文件 `{name}` 须以年份命名"),
                        format!("calendar file `{name}` must be named after its year")
                    ),
                )
                .hint(crate::zh_en!(
                    "请命名为 content/calendar/2026.yaml 这样的文件名",
                    "name it like content/calendar/2026.yaml"
                )),
            )),
        };
    }
    if !slug_is_valid(stem) {
        return Err(Box::new(
            Diagnostic::error(
                codes::BAD_SLUG,
                "",
                crate::zh_en!(
                    format!("文件名 `{name}` 不符合要求：`{stem}` 只能用小写英文字母、数字和 `.`、`_`、`-`，并以字母或数字开头"),
                    format!("the file name `{name}` does not make a valid slug: `{stem}` (lower-case ASCII letters, digits, `.`, `_`, `-`; starting with a letter or digit)")
                ),
            )
            .at(Some(Pos::new(0, 0, 0)))
            .hint({
                let to = format!("{}.{ext}", suggest_slug(stem));
                crate::zh_en!(
                    format!("请把文件改名为 `{to}`"),
                    format!("rename the file to `{to}`")
                )
            }),
        ));
    }
    let mut year = None;
    let mut folder_agency = None;
    match info.layout {
        Layout::ByAgency => {
            let agency = &parts[1];
            if !slug_is_valid(agency) {
                return Err(Box::new(
                    Diagnostic::error(
                        codes::BAD_SLUG,
                        "",
                        crate::zh_en!(
                            format!("文件夹名 `{agency}` 不是有效的机关文件名：只能用小写英文字母、数字和 `.`、`_`、`-`"),
                            format!("the folder name `{agency}` is not a valid agency slug")
                        ),
                    )
                    .hint({
                        let to = suggest_slug(agency);
                        crate::zh_en!(
                            format!("请把文件夹改名为 `{to}`"),
                            format!("rename the folder to `{to}`")
                        )
                    }),
                ));
            }
            folder_agency = Some(agency.clone());
        }
        Layout::ByYear => {
            let y = &parts[1];
            match y.parse::<i32>() {
                Ok(v) if y.len() == 4 => year = Some(v),
                _ => {
                    return Err(Box::new(
                        Diagnostic::error(
                            codes::MISPLACED_FILE,
                            "",
                            crate::zh_en!(
                                format!("`{y}` 不是四位数字的年份文件夹"),
                                format!("`{y}` is not a four-digit year folder")
                            ),
                        )
                        .hint({
                            let folder = &parts[0];
                            crate::zh_en!(
                                format!("请把文件放到 content/{folder}/<年份>/ 下"),
                                format!("put the file under content/{folder}/<year>/")
                            )
                        }),
                    ))
                }
            }
            if info.stem == "<agency>" {
                folder_agency = Some(stem.to_string());
            }
        }
        Layout::Flat => {}
    }
    Ok(Some(Slot::Record {
        kind,
        slug: stem.to_string(),
        year,
        folder_agency,
    }))
}

/// Reads and parses one file.
fn parse_file(root: &Path, rel: &Path, slot: &Slot, max: u64) -> Fresh {
    match source::read_bytes(&root.join(rel), rel, max) {
        Ok(bytes) => {
            let content = content_hash(&bytes);
            (parse_read(rel, slot, bytes), Some(content))
        }
        Err(d) => ((None, vec![*d]), None),
    }
}

/// Parses one file's bytes, read from `rel`.
fn parse_read(rel: &Path, slot: &Slot, bytes: Vec<u8>) -> FileParse {
    match source::decode(bytes, rel) {
        Ok(src) => parse_text(rel, slot, &src.text),
        Err(d) => (None, vec![d]),
    }
}

/// What stands for a file's bytes in the parse cache.
fn content_hash(bytes: &[u8]) -> u64 {
    crate::fingerprint::Fingerprint::new("content")
        .add_bytes(bytes)
        .finish()
}

/// Parses one file's bytes as the loader would find them at `rel` (a path under `content/`),
/// without touching the disk: what the fuzz tests drive. Returns whether a record came out,
/// and the diagnostics.
pub fn parse_bytes(rel: &Path, bytes: Vec<u8>) -> (bool, Vec<Diagnostic>) {
    let parts: Vec<String> = rel
        .strip_prefix("content")
        .unwrap_or(rel)
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let slot = match classify(&parts) {
        Ok(Some(slot)) => slot,
        Ok(None) => return (false, Vec::new()),
        Err(d) => return (false, vec![*d]),
    };
    let (parsed, diags) = parse_read(rel, &slot, bytes);
    (parsed.is_some(), diags)
}

fn parse_text(rel: &Path, slot: &Slot, text: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if text.trim().is_empty() {
        return (
            None,
            vec![Diagnostic::error(
                codes::EMPTY_FILE,
                rel,
                crate::zh_en!("文件是空的", "the file is empty"),
            )
            .hint(crate::zh_en!(
                "请填写记录的字段，或删除这个文件；`gongkai new` 可以生成模板",
                "fill in the record's keys, or delete the file; `gongkai new` writes a template"
            ))],
        );
    }
    let (kind, slug, year, folder_agency) = match slot {
        Slot::Home => (Kind::Page, "index".to_string(), None, None),
        Slot::Record {
            kind,
            slug,
            year,
            folder_agency,
        } => (*kind, slug.clone(), *year, folder_agency.clone()),
    };
    let is_md = rel.extension().is_some_and(|e| e == "md");
    let (part, body_start) = if is_md {
        match source::split_front_matter(text, rel) {
            Ok(fm) => (fm.yaml, Some(fm.body_start)),
            Err(d) => return (None, vec![d]),
        }
    } else {
        (
            YamlPart {
                yaml: text,
                line_offset: 0,
            },
            None,
        )
    };
    // Before anything else reads the YAML: the parser's time grows with the square of the
    // nesting depth.
    if let Some((line, byte)) = yaml_depth::too_deep(part.yaml, yaml_depth::MAX_DEPTH) {
        let text = part.yaml.split('\n').nth(line).unwrap_or("");
        let column = text.get(..byte).unwrap_or(text).chars().count() + 1;
        diags.push(
            Diagnostic::error(
                codes::NESTED_TOO_DEEP,
                rel,
                {
                    let (max, here) = (yaml_depth::MAX_DEPTH, yaml_depth::MAX_DEPTH + 1);
                    crate::zh_en!(
                        format!("列表和字段最多嵌套 {max} 层，这里是第 {here} 层；文件未读取"),
                        format!("lists and mappings nest at most {max} levels deep, this is level {here}; the file is not read")
                    )
                },
            )
            .at(Some(Pos::new(line + 1 + part.line_offset, column, 1)))
            .hint(crate::zh_en!(
                "正常的记录不会嵌套这么多层：请检查这里是否误粘贴了成串的 `[`、`{` 或 `- `",
                "no record nests this deep: check for a pasted run of `[`, `{` or `- `"
            )),
        );
        return (None, diags);
    }
    let meta = Meta {
        slug,
        path: rel.to_path_buf(),
        year,
        folder_agency,
        body_start,
        damaged: Vec::new(),
        source_hash: crate::fingerprint::Fingerprint::new("source")
            .add_str(text)
            .finish(),
    };
    macro_rules! typed {
        ($variant:ident) => {
            parse_record(&part, rel, &mut diags).map(|(data, damaged)| {
                Parsed::$variant(Record {
                    meta: Meta { damaged, ..meta },
                    data,
                })
            })
        };
    }
    // Duplicate keys, located at their second occurrence (serde points at the mapping).
    let duplicates = locate::duplicate_keys(&part);
    for (key, pos, first) in &duplicates {
        diags.push(
            Diagnostic::error(
                codes::DUPLICATE_KEY,
                rel,
                crate::zh_en!(
                    format!("字段 `{key}` 在同一层出现了两次（第一次在第 {first} 行）"),
                    format!(
                        "the key `{key}` appears twice in this mapping (first on line {first})"
                    )
                ),
            )
            .at(Some(*pos))
            .hint(duplicate_hint()),
        );
    }
    let located = diags.len();
    let parsed = match (slot, kind) {
        (Slot::Home, _) => typed!(Home),
        (_, Kind::Page) => typed!(Page),
        (_, Kind::Agency) => typed!(Agency),
        (_, Kind::Power) => typed!(Power),
        (_, Kind::Service) => typed!(Service),
        (_, Kind::Decision) => typed!(Decision),
        (_, Kind::Document) => typed!(Document),
        (_, Kind::Report) => typed!(Report),
        (_, Kind::Calendar) => typed!(Calendar),
    };
    if !duplicates.is_empty() {
        // Already reported where they are; drop the parser's own report of the same thing.
        let mut i = 0;
        diags.retain(|d| {
            i += 1;
            i <= located || d.code != codes::DUPLICATE_KEY
        });
    }
    (parsed, diags)
}

/// Every key any record type knows, to suggest a correction for an unknown one.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "order",
    "name",
    "short_name",
    "kind",
    "credit_code",
    "parent",
    "address",
    "postcode",
    "phone",
    "email",
    "office_hours",
    "website",
    "disclosure_office",
    "report_due",
    "code",
    "category",
    "sub_items",
    "implementing_body",
    "legal_basis",
    "law",
    "article",
    "text",
    "responsibilities",
    "accountability",
    "process",
    "days",
    "supervision_phone",
    "status",
    "effective",
    "reviewed",
    "changes",
    "date",
    "action",
    "basis",
    "note",
    "type",
    "power_item",
    "conditions",
    "materials",
    "form",
    "copies",
    "required",
    "template",
    "time_limit",
    "statutory_days",
    "promised_days",
    "fees",
    "free",
    "item",
    "standard",
    "quantity_limit",
    "location",
    "consult_phone",
    "complaint_phone",
    "online_url",
    "online_level",
    "agency",
    "planned",
    "consultation",
    "start",
    "end",
    "url",
    "summary",
    "adopted",
    "hearing",
    "notes",
    "expert_review",
    "risk_assessment",
    "level",
    "legality_review",
    "result",
    "collective_decision",
    "meeting",
    "publication",
    "document",
    "evaluation",
    "index_no",
    "categories",
    "doc_number",
    "written",
    "published",
    "normative",
    "registration_no",
    "valid_from",
    "valid_until",
    "replaces",
    "replaced_by",
    "interprets",
    "interpretation",
    "long_term",
    "attachments",
    "file",
    "format",
    "overview",
    "proactive",
    "applications",
    "reviews_and_litigation",
    "problems",
    "other",
    "holidays",
    "workdays",
    "from",
    "to",
];

pub fn suggest_key(unknown: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// How many wrong values of one record are reported before loading gives up on it.
const MAX_WRONG_VALUES: usize = 20;

/// Deserialises a record, reporting every top-level key whose value is wrong rather than the
/// first only: after each error the key's lines are blanked (line numbers stay as they are)
/// and the rest deserialised again; a required key that is wrong or missing gets a stand-in
/// value of its type. The record comes back with those keys in `damaged`, so that validation
/// says nothing about the stand-ins while it checks everything else (the unknown agency and
/// the wrong 索引号 year of a record whose date is impossible: all three in one run). A
/// record with any such error never reaches a site: the errors stop the build.
fn parse_record<T: DeserializeOwned>(
    part: &YamlPart,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<(T, Vec<String>)> {
    // The file's own lines, some blanked as the loop goes, then the stand-ins, so that every
    // error about the file's lines keeps its line number.
    let mut lines: Vec<String> = part.yaml.split('\n').map(str::to_string).collect();
    let own = lines.len();
    let mut damaged: Vec<String> = Vec::new();
    for _ in 0..=MAX_WRONG_VALUES {
        let text = lines.join("\n");
        let now = YamlPart {
            yaml: &text,
            line_offset: part.line_offset,
        };
        let e = match deserialize::<T>(&text) {
            Ok((value, unknown)) => {
                unknown_key_warnings(&now, rel, unknown, diags);
                return Some((value, damaged));
            }
            Err(e) => e,
        };
        let missing = missing_field(&e);
        if !missing.as_ref().is_some_and(|k| damaged.contains(k)) {
            let d = yaml_error(&now, rel, &e);
            let syntax = d.code == codes::YAML_SYNTAX;
            diags.push(d);
            if syntax {
                // The text itself is broken: there are no values to tell apart.
                return None;
            }
        }
        let key = match missing {
            Some(key) => {
                lines.push(stand_in::<T>(&lines, &key, own)?);
                key
            }
            None => {
                let line = match explain::untagged_key(&strip_location(&e.to_string())) {
                    Some(key) => locate::locate_key(&now, key)?
                        .line
                        .checked_sub(1 + part.line_offset)?,
                    None => e.location()?.line().checked_sub(1)?,
                };
                if line >= own {
                    return None;
                }
                let (key, span) = top_level_key_at(&lines[..own], line)?;
                if damaged.contains(&key) {
                    // Blanking the key did not help: the error is not its value's.
                    return None;
                }
                for l in &mut lines[span] {
                    l.clear();
                }
                key
            }
        };
        if !damaged.contains(&key) {
            damaged.push(key);
        }
    }
    None
}

/// `T` from YAML text, with the paths of the keys it does not know.
fn deserialize<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<String>), serde_yaml::Error> {
    let mut unknown = Vec::new();
    let de = serde_yaml::Deserializer::from_str(text);
    let value = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))?;
    Ok((value, unknown))
}

fn missing_field(e: &serde_yaml::Error) -> Option<String> {
    let msg = e.to_string();
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

/// The line `key: <value>` to add after the file's `own` lines: the first stand-in value a
/// `T` accepts there; `None` if none fits.
fn stand_in<T: DeserializeOwned>(lines: &[String], key: &str, own: usize) -> Option<String> {
    const STAND_INS: [&str; 6] = ["\"\"", "2000-01-01", "0", "[]", "{}", "false"];
    STAND_INS.iter().find_map(|v| {
        let line = format!("{key}: {v}");
        let candidate = format!("{}\n{line}", lines.join("\n"));
        match deserialize::<T>(&candidate) {
            Ok(_) => Some(line),
            // Another key's error, in the file's own lines: the stand-in fits.
            Err(e)
                if missing_field(&e).as_deref() != Some(key)
                    && e.location().is_some_and(|l| l.line() <= own) =>
            {
                Some(line)
            }
            Err(_) => None,
        }
    })
}

/// The top-level key whose value holds 0-based line `line`, and the range of its lines.
fn top_level_key_at(lines: &[String], line: usize) -> Option<(String, std::ops::Range<usize>)> {
    let is_key = |l: &str| {
        l.starts_with(|c: char| !c.is_whitespace() && !matches!(c, '#' | '-' | '[' | '{'))
            && l.contains(':')
    };
    let start = (0..=line.min(lines.len().checked_sub(1)?))
        .rev()
        .find(|&i| is_key(&lines[i]))?;
    let end = (start + 1..lines.len())
        .find(|&i| is_key(&lines[i]))
        .unwrap_or(lines.len());
    let key = lines[start]
        .split(':')
        .next()?
        .trim()
        .trim_matches(['"', '\'']);
    Some((key.to_string(), start..end))
}

/// Warnings for keys a record type does not know, each at its place.
fn unknown_key_warnings(
    part: &YamlPart,
    rel: &Path,
    unknown: Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    for key in unknown {
        let last = key.rsplit('.').next().unwrap_or(&key).to_string();
        let mut d = Diagnostic::warning(
            codes::UNKNOWN_KEY,
            rel,
            crate::zh_en!(
                format!("不认识的字段 `{key}`，已忽略"),
                format!("unknown key `{key}` is ignored")
            ),
        )
        .at(locate::locate_key(part, &key));
        if let Some(s) = suggest_key(&last) {
            d = d.hint(crate::zh_en!(
                format!("是不是要写 `{s}`？"),
                format!("did you mean `{s}`?")
            ));
        }
        diags.push(d);
    }
}

/// Deserialises one YAML document into `T`, turning serde's errors into located diagnostics and
/// collecting unknown keys as warnings.
pub fn parse_yaml<T: DeserializeOwned>(
    part: &YamlPart,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match deserialize(part.yaml) {
        Ok((v, unknown)) => {
            unknown_key_warnings(part, rel, unknown, diags);
            Some(v)
        }
        Err(e) => {
            diags.push(yaml_error(part, rel, &e));
            None
        }
    }
}

pub(crate) fn yaml_error(part: &YamlPart, rel: &Path, e: &serde_yaml::Error) -> Diagnostic {
    let full = e.to_string();
    let message = strip_location(&full);
    let pos = e.location().map(|l| {
        // libyaml counts columns in characters; the span is the rest of the token on that line.
        // At the end of the input it points one line past the last: clamp to the last line's end.
        let lines: Vec<&str> = part.yaml.split('\n').collect();
        let (line, column) = if l.line() > lines.len() {
            let last = lines.last().map_or(0, |t| t.chars().count());
            (lines.len(), last + 1)
        } else {
            (l.line().max(1), l.column().max(1))
        };
        let line_text = lines.get(line - 1).copied().unwrap_or("");
        let column = column.min(line_text.chars().count() + 1);
        let rest: String = line_text.chars().skip(column - 1).collect();
        let len = rest.trim_end().chars().count().max(1);
        Pos::new(line + part.line_offset, column, len)
    });
    if message.contains("while scanning a quoted scalar") {
        if let Some((line, byte)) = yaml_depth::unclosed_quote(part.yaml) {
            let line_text = part.yaml.split('\n').nth(line).unwrap_or("");
            let column = line_text[..byte.min(line_text.len())].chars().count() + 1;
            let quote = &line_text[byte..byte + 1];
            return Diagnostic::error(
                codes::YAML_SYNTAX,
                rel,
                crate::zh_en!(
                    format!("引号没有闭合：这里以 {quote} 开始的值一直到文件结束都没有结束的 {quote}"),
                    format!("unclosed quote: the value that starts with {quote} here has no closing {quote} before the end of the file")
                ),
            )
            .at(Some(Pos::new(line + 1 + part.line_offset, column, 1)))
            .hint(crate::zh_en!(
                format!("请在这个值的末尾补上 {quote}；值里本身含有 {quote} 时，改用另一种引号把整个值括起来"),
                format!("add {quote} at the end of the value; if the value itself holds {quote}, enclose it in the other kind of quotes")
            ));
        }
    }
    let pos = match explain::untagged_key(&message) {
        Some(key) => locate::locate_value(part, key).or(pos),
        None => pos,
    };
    let (code, hint) = classify_error(&message);
    let shown = crate::zh_en!(explain::yaml_message_zh(&message), message);
    let mut d = Diagnostic::error(code, rel, shown).at(pos);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

fn strip_location(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) if s[i..].contains(" column ") => s[..i].to_string(),
        _ => s.to_string(),
    }
}

/// The code of a serde or libyaml message (read in English, as they come) and its hint in
/// the language of the process.
fn classify_error(msg: &str) -> (&'static str, Option<String>) {
    if msg.contains("missing field") {
        let field = msg.split('`').nth(1).unwrap_or("");
        return (
            codes::MISSING_KEY,
            Some(crate::zh_en!(
                format!("请添加 `{field}:` 并填写它的值，写法见 docs/content-format.md"),
                format!("add `{field}:` with its value; see docs/content-format.md")
            )),
        );
    }
    if msg.contains("duplicate field") || msg.contains("duplicate entry") {
        return (codes::DUPLICATE_KEY, Some(duplicate_hint()));
    }
    if msg.contains("unknown variant") {
        return (
            codes::NOT_ALLOWED,
            Some(
                crate::zh_en!("请改为列出的值之一", "use one of the allowed values listed").into(),
            ),
        );
    }
    if msg.contains("input is out of range")
        || msg.contains("premature end of input")
        || msg.contains("input contains invalid characters")
        || msg.contains("trailing input")
        || msg.contains("no possible date and time")
    {
        return (
            codes::INVALID_DATE,
            Some(
                crate::zh_en!(
                    "请写成 `2025-03-31` 这样的日期（年-月-日），并确认这一天存在（没有 `2025-02-30`）",
                    "write dates as YYYY-MM-DD, and check the day exists (e.g. no 2025-02-30)"
                )
                .into(),
            ),
        );
    }
    if msg.contains("invalid type")
        || msg.contains("invalid value")
        || msg.contains("invalid length")
    {
        return (codes::WRONG_TYPE, None);
    }
    if msg.contains("did not match any variant") {
        return (
            codes::WRONG_TYPE,
            Some(
                crate::zh_en!(
                    "请按 docs/content-format.md 中的写法填写",
                    "see docs/content-format.md for the accepted shapes"
                )
                .into(),
            ),
        );
    }
    (
        codes::YAML_SYNTAX,
        Some(
            crate::zh_en!(
                "请检查缩进（只能用空格，不能用 Tab）、冒号后面是否有空格，以及含有 `: ` 或以特殊字符开头的值是否加了引号",
                "check indentation (spaces, not tabs), colons followed by a space, and quotes around values that contain `: ` or start with a special character"
            )
            .into(),
        ),
    )
}

/// What to do about a key written twice.
fn duplicate_hint() -> String {
    crate::zh_en!(
        "同一层里每个字段只能出现一次：请删除或合并重复的那个",
        "a key may appear only once in a mapping: remove or merge the repeated one"
    )
    .into()
}

/// The Markdown body of a record, read again from its file: bodies are not kept in memory,
/// so that a portal of a hundred thousand documents fits in a few hundred megabytes.
pub fn read_body(root: &Path, meta: &Meta, max: u64) -> Result<String, Diagnostic> {
    let Some(start) = meta.body_start else {
        return Ok(String::new());
    };
    let src = source::read_source(&root.join(&meta.path), &meta.path, max).map_err(|d| *d)?;
    Ok(src.text.get(start..).unwrap_or("").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(p: &str) -> Vec<String> {
        p.split('/').map(String::from).collect()
    }

    #[test]
    fn slugs() {
        assert!(slug_is_valid("a-1.b_c"));
        assert!(!slug_is_valid("../x"));
        assert!(!slug_is_valid("Abc"));
        assert!(!slug_is_valid("政府"));
        assert_eq!(suggest_slug("My File 2025"), "my-file-2025");
        assert_eq!(suggest_slug("政府"), "item-1");
    }

    /// A portal of pages for the parse cache's tests: its root, and a function that writes
    /// the file `rel` under its content/.
    fn portal_of_pages() -> (tempfile::TempDir, impl Fn(&str, &str)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"测试\"\n").unwrap();
        let content = dir.path().join("content");
        let write = move |rel: &str, text: &str| {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        (dir, write)
    }

    /// A page titled `title`.
    fn page(title: &str) -> String {
        format!("---\ntitle: {title}\n---\n正文\n")
    }

    /// A portal of two pages, a.md (甲) and b.md (乙), and its writer.
    fn pages_a_and_b() -> (tempfile::TempDir, impl Fn(&str, &str)) {
        let (dir, write) = portal_of_pages();
        write("pages/a.md", &page("甲"));
        write("pages/b.md", &page("乙"));
        (dir, write)
    }

    /// The titles of the pages of `portal`, sorted.
    pub(super) fn titles(portal: &Portal) -> Vec<String> {
        let mut t: Vec<String> = portal.pages.iter().map(|p| p.data.title.clone()).collect();
        t.sort();
        t
    }

    /// The titles of the pages a load of `root` with `cache` finds, sorted. The portal is
    /// given back to the cache, as a build gives it back when it is done, unless `keep`.
    pub(super) fn page_titles(root: &Path, cache: &mut ParseCache, keep: bool) -> Vec<String> {
        let loaded = load_reusing(root, Some(cache)).unwrap();
        let t = titles(&loaded.portal);
        if !keep {
            cache.restore(loaded.portal);
        }
        t
    }

    #[test]
    fn a_reload_parses_only_the_files_that_changed() {
        let (dir, write) = portal_of_pages();
        let root = dir.path();
        write("pages/a.md", "---\ntitle: 甲\n---\n正文\n");
        write("pages/b.md", "---\ntitle: 乙\n---\n正文\n");
        write("pages/c.md", "---\ntitle: 丙\n---\n正文\n");
        let mut cache = ParseCache::default();
        let titles = |cache: &mut ParseCache, keep: bool| page_titles(root, cache, keep);
        assert_eq!(titles(&mut cache, false), ["丙", "乙", "甲"]);
        assert_eq!(cache.parsed(), 3);
        assert_eq!(titles(&mut cache, false), ["丙", "乙", "甲"]);
        assert_eq!(cache.parsed(), 0, "nothing changed");
        // A longer file: its size moved, whatever the clock's resolution.
        write("pages/b.md", "---\ntitle: 乙（修订）\n---\n正文\n");
        std::fs::remove_file(root.join("content/pages/c.md")).unwrap();
        write("pages/d.md", "---\ntitle: 丁\n---\n正文\n");
        assert_eq!(titles(&mut cache, true), ["丁", "乙（修订）", "甲"]);
        assert_eq!(cache.parsed(), 2, "the edited file and the new one");
        // Records lent to a portal that was not given back are parsed again.
        assert_eq!(titles(&mut cache, false), ["丁", "乙（修订）", "甲"]);
        assert_eq!(cache.parsed(), 3, "nothing was given back");
        assert_eq!(titles(&mut cache, false), ["丁", "乙（修订）", "甲"]);
        assert_eq!(cache.parsed(), 0);
    }

    #[test]
    fn a_watcher_started_after_a_load_asks_every_file_once_while_nobody_waits() {
        let (dir, write) = pages_a_and_b();
        let root = dir.path();
        let mut cache = ParseCache::default();
        let titles = |cache: &mut ParseCache| page_titles(root, cache, false);
        assert_eq!(titles(&mut cache), ["乙", "甲"]);
        cache.watched();
        // Changed before the watcher started: the next load asks every file, and sees
        // also what changed after it, untold.
        write("pages/b.md", &page("乙一"));
        cache.catch_up(root);
        write("pages/b.md", &page("乙二"));
        assert_eq!(titles(&mut cache), ["乙二", "甲"]);
        // So with a file added before.
        cache.lost_track();
        write("pages/c.md", &page("丙"));
        cache.catch_up(root);
        assert_eq!(titles(&mut cache), ["丙", "乙二", "甲"]);
        // Nothing changed before: the next load asks no file it is not told of.
        cache.lost_track();
        cache.catch_up(root);
        write("pages/b.md", &page("乙三"));
        assert_eq!(titles(&mut cache), ["丙", "乙二", "甲"], "nothing was told");
        assert_eq!(cache.parsed(), 0);
        cache.changed(vec![Path::new("content/pages/b.md").to_path_buf()]);
        assert_eq!(titles(&mut cache), ["丙", "乙三", "甲"]);
        assert_eq!(cache.parsed(), 1);
    }

    #[test]
    fn a_watched_portal_asks_only_the_files_it_is_told_of() {
        let (dir, write) = pages_a_and_b();
        let root = dir.path();
        let mut cache = ParseCache::default();
        let titles = |cache: &mut ParseCache| page_titles(root, cache, false);
        let told = |rel: &str| vec![Path::new("content").join(rel)];
        assert_eq!(titles(&mut cache), ["乙", "甲"]);
        cache.watched();
        // The first load after watching starts still asks every file: it cannot know what
        // changed before.
        write("pages/a.md", &page("甲一"));
        assert_eq!(titles(&mut cache), ["乙", "甲一"]);
        assert_eq!(cache.parsed(), 1);
        // A change nobody told of is not seen: proof that no file was asked.
        write("pages/a.md", &page("甲二"));
        assert_eq!(titles(&mut cache), ["乙", "甲一"]);
        assert_eq!(cache.parsed(), 0);
        // Told, it is; so are changes told before a load that did not happen.
        write("pages/b.md", &page("乙二"));
        cache.changed(told("pages/a.md"));
        cache.changed(told("pages/b.md"));
        assert_eq!(titles(&mut cache), ["乙二", "甲二"]);
        assert_eq!(cache.parsed(), 2);
        // An editor's swap file is no reason to walk content/ again; a new file is, and a
        // removed one.
        write("pages/.a.md.swp", "swap");
        write("pages/c.md", &page("丙"));
        cache.changed(told("pages/.a.md.swp"));
        assert_eq!(titles(&mut cache), ["乙二", "甲二"], "c.md was not told of");
        cache.changed(told("pages/c.md"));
        assert_eq!(titles(&mut cache), ["丙", "乙二", "甲二"]);
        std::fs::remove_file(root.join("content/pages/b.md")).unwrap();
        cache.changed(told("pages/b.md"));
        assert_eq!(titles(&mut cache), ["丙", "甲二"]);
        // A folder moved away is told as the folder alone.
        write("static/more/a.pdf", "%PDF");
        cache.changed(told("static/more/a.pdf"));
        let statics = |cache: &mut ParseCache| {
            let loaded = load_reusing(root, Some(cache)).unwrap();
            let files = loaded.portal.static_files.clone();
            cache.restore(loaded.portal);
            files
        };
        assert_eq!(statics(&mut cache), ["more/a.pdf"]);
        std::fs::rename(root.join("content/static/more"), root.join("moved")).unwrap();
        cache.changed(told("static/more"));
        assert!(statics(&mut cache).is_empty());
        let walked = Walk {
            files: vec![(PathBuf::from("content/decisions/2024/a.md"), Slot::Home)],
            ..Walk::default()
        };
        let gone = |rel: &str| HashSet::from_iter([OsString::from(rel)]);
        let holds = |rel| walk_still_holds(root, &walked, &cache, &gone(rel));
        assert!(
            !holds("content/decisions/2024"),
            "a folder that held a record"
        );
        assert!(holds("content/decisions/2023"), "nothing the walk found");
        // A watcher that lost track: every file is asked again.
        write("pages/a.md", &page("甲三"));
        cache.lost_track();
        assert_eq!(titles(&mut cache), ["丙", "甲三"]);
        // And from then on, only those told of.
        write("pages/a.md", &page("甲四"));
        assert_eq!(titles(&mut cache), ["丙", "甲三"]);
    }

    #[test]
    fn hidden_record_files_are_named_and_editor_leftovers_pass_in_silence() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for (rel, text) in [
            ("agencies/..yaml", "name: x\n"),
            ("documents/2025/.draft.md", "---\ntitle: x\n---\n"),
            ("power/gov/.yaml", "name: x\n"),
            ("pages/guide.md~", "old"),
            ("pages/.guide.md.swp", "swap"),
            ("pages/.#guide.md", "lock"),
            ("pages/.DS_Store", "finder"),
            ("static/.hidden.yaml", "not published"),
        ] {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let Walk {
            files,
            statics,
            diags,
            ..
        } = walk(dir.path(), &content);
        assert!(files.is_empty(), "{files:?}");
        assert!(statics.is_empty(), "{statics:?}");
        let mut named: Vec<(String, &str)> = diags
            .iter()
            .map(|d| (d.file.to_string_lossy().into_owned(), d.code))
            .collect();
        named.sort();
        assert_eq!(
            named,
            [
                ("content/agencies/..yaml".to_string(), codes::BAD_SLUG),
                (
                    "content/documents/2025/.draft.md".to_string(),
                    codes::BAD_SLUG
                ),
                ("content/power/gov/.yaml".to_string(), codes::BAD_SLUG),
            ]
        );
        assert!(diags.iter().all(|d| d.is_error()));
    }

    #[test]
    fn classify_paths() {
        assert_eq!(
            classify(&parts("documents/2025/a.md")).unwrap(),
            Some(Slot::Record {
                kind: Kind::Document,
                slug: "a".into(),
                year: Some(2025),
                folder_agency: None
            })
        );
        assert_eq!(
            classify(&parts("reports/2024/fgw.yaml")).unwrap(),
            Some(Slot::Record {
                kind: Kind::Report,
                slug: "fgw".into(),
                year: Some(2024),
                folder_agency: Some("fgw".into())
            })
        );
        assert_eq!(
            classify(&parts("documents/25/a.md")).unwrap_err().code,
            codes::MISPLACED_FILE
        );
        assert_eq!(
            classify(&parts("documents/2025/A B.md")).unwrap_err().code,
            codes::BAD_SLUG
        );
        assert_eq!(
            classify(&parts("power/a.yaml")).unwrap_err().code,
            codes::MISPLACED_FILE
        );
    }

    #[test]
    fn every_wrong_value_of_a_record_is_reported_and_the_rest_kept() {
        let part = YamlPart {
            yaml: "title: x\nagency: a\nindex_no: i\nwritten: 2025-02-30\npublished: 2025-03-01\nnormative: maybe\nattachments:\n  - title: 表\n    file: 3\n    extra: [\n",
            line_offset: 1,
        };
        let mut d = Vec::new();
        // The wrong values before it are reported; the syntax error (the unclosed `[`) leaves
        // nothing more to recover.
        assert!(parse_record::<Document>(&part, Path::new("d.md"), &mut d).is_none());
        let found: Vec<(&str, usize)> = d.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            found,
            [
                (codes::INVALID_DATE, 5),
                (codes::WRONG_TYPE, 7),
                (codes::YAML_SYNTAX, 12)
            ],
            "{d:?}"
        );

        let part = YamlPart {
            yaml: "title: x\nagency: a\nwritten: 2025-02-30\npublished: 2025-03-01\nnormative: maybe\n",
            line_offset: 1,
        };
        let mut d = Vec::new();
        let (doc, damaged) = parse_record::<Document>(&part, Path::new("d.md"), &mut d).unwrap();
        let found: Vec<(&str, usize)> = d.iter().map(|d| (d.code, d.line)).collect();
        // The impossible date, the missing 索引号 and the word for a boolean: each once.
        assert_eq!(
            found,
            [
                (codes::INVALID_DATE, 4),
                (codes::WRONG_TYPE, 6),
                (codes::MISSING_KEY, 2)
            ],
            "{d:?}"
        );
        assert_eq!(damaged, ["written", "normative", "index_no"]);
        // What was right is kept as written.
        assert_eq!(doc.agency, "a");
        assert_eq!(doc.published.to_string(), "2025-03-01");
    }

    #[test]
    fn a_wrong_fees_value_is_reported_once_where_it_is() {
        let part = YamlPart {
            yaml: "code: a\nname: b\ntype: c\nlegal_basis: [{law: x}]\nconditions: []\nmaterials: []\ntime_limit: {statutory_days: 2, promised_days: 1}\nfees: 3\nstatus: active\n",
            line_offset: 0,
        };
        let mut d = Vec::new();
        let r = parse_record::<ServiceItem>(&part, Path::new("s.yaml"), &mut d);
        let (_, damaged) = r.unwrap_or_else(|| panic!("{d:#?}"));
        let wrong: Vec<(&str, usize)> = d
            .iter()
            .filter(|d| d.code == codes::WRONG_TYPE)
            .map(|d| (d.code, d.line))
            .collect();
        assert_eq!(wrong, [(codes::WRONG_TYPE, 8)], "{d:?}");
        assert!(damaged.contains(&"fees".to_string()), "{damaged:?}");
        assert!(!damaged.contains(&"code".to_string()), "{damaged:?}");
    }

    #[test]
    fn yaml_errors_are_located_and_classified() {
        let part = YamlPart {
            yaml: "title: x\nagency: a\nwritten: 2025-02-30\n",
            line_offset: 1,
        };
        let mut d = Vec::new();
        let r: Option<Document> = parse_yaml(&part, Path::new("d.md"), &mut d);
        assert!(r.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, codes::INVALID_DATE, "{:?}", d[0]);
        assert_eq!(d[0].line, 4);
    }

    #[test]
    fn unknown_keys_warn_with_suggestion() {
        let part = YamlPart {
            yaml: "title: x\ndescripton: y\n",
            line_offset: 1,
        };
        let mut d = Vec::new();
        let r: Option<Page> = parse_yaml(&part, Path::new("p.md"), &mut d);
        assert!(r.is_some());
        assert_eq!(d[0].code, codes::UNKNOWN_KEY);
        assert_eq!(d[0].line, 3);
        assert_eq!(d[0].hint.as_deref(), Some("是不是要写 `description`？"));
    }
}
