//! The whole pipeline, load → validate → derive → render → write, and the atomic swap of the
//! finished site into place: a failed build never leaves a half-written site.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use crate::derive::{self, Derived};
use crate::diagnostics::{self, codes, Diagnostic};
use crate::domain::report_math::ReportFindings;
use crate::load;
use crate::model::requests::Register;
use crate::model::{Kind, Portal};
use crate::preview;
use crate::render::memo::{PageOutcome, Reuse};
use crate::render::{self, theme::Theme};
use crate::table::{HashMap, HashSet};
use crate::validate;
use crate::write::tree;
use crate::write::{manifest, paths, static_base};

/// What a build tells while it runs; the command layer shows it (`cmd::progress`).
pub trait Progress: Send + Sync {
    /// A stage begins.
    fn stage(&self, _name: &str) {}
    /// `n` of `total` pages are written.
    fn tick(&self, _n: usize, _total: usize) {}
    /// Every page is written.
    fn finish_ticks(&self) {}
}

/// A build that tells nothing: tests, and callers of the library.
pub struct Silent;

impl Progress for Silent {}

pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` of site.toml.
    pub output: Option<PathBuf>,
    pub today: NaiveDate,
    pub progress: Box<dyn Progress>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub counts: Vec<(&'static str, usize)>,
    /// Content files read and parsed; the others were taken from the parse cache.
    pub parsed: usize,
    pub pages: usize,
    /// Pages rendered and written; the others were already in the output as they are.
    pub rendered: usize,
    pub files: usize,
    pub seconds: f64,
    pub output: PathBuf,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Vec<Diagnostic>,
    /// Where the time went: each step with its seconds, in order.
    pub steps: Vec<(&'static str, f64)>,
    /// The pages shown before the checks ([`Retained::preview`]), as they were shown.
    pub previewed: Vec<render::RenderedPage>,
}

impl BuildReport {
    /// Where the time went, on one line: `读取与检查 0.12 秒 · 计算 0.01 秒 · …`.
    pub fn breakdown(&self) -> String {
        let unit = crate::zh_en!(" 秒", " s");
        self.steps
            .iter()
            .map(|(name, secs)| format!("{name} {secs:.2}{unit}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The one-line summary a build ends with.
    pub fn summary(&self) -> String {
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let (parsed, pages, rendered, files, seconds, output) = (
            self.parsed,
            self.pages,
            self.rendered,
            self.files,
            self.seconds,
            self.output.display(),
        );
        crate::zh_en!(
            format!(
                "构建完成：{}；解析 {parsed} 个文件，共 {pages} 个页面，重新生成 {rendered} 个（{files} 个文件），用时 {seconds:.2} 秒 → {output}",
                counts.join("，")
            ),
            format!(
                "built: {}; {parsed} files parsed, {pages} pages, {rendered} of them rendered ({files} files) in {seconds:.2} s → {output}",
                counts.join(", ")
            )
        )
    }
}

/// A failed build: everything that went wrong, and nothing written.
#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for BuildFailure {
    fn from(d: Diagnostic) -> Self {
        BuildFailure {
            diagnostics: vec![d],
        }
    }
}

/// How many records of each kind a portal has (calendars aside), named as one record of it
/// is (in English, as its folder is), in the order of [`crate::model::KINDS`].
pub fn record_counts(p: &Portal) -> Vec<(&'static str, usize)> {
    crate::model::KINDS
        .iter()
        .filter(|k| k.kind != Kind::Calendar)
        .map(|k| (crate::zh_en!(k.noun, k.folder), p.count(k.kind)))
        .collect()
}

/// The result of checking a portal.
#[derive(Debug)]
pub struct CheckOutcome {
    pub portal: Portal,
    /// Every problem found, sorted by file, line and column (deterministic between runs).
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files checked (site.toml, records, calendars, and files that failed to
    /// load): the "K" of the summary line.
    pub checked: usize,
    /// What the report arithmetic found, per report (validation's, for the derive stage).
    pub report_findings: Vec<ReportFindings>,
    /// The private request register: for the officers' commands (`deadlines`, `requests`,
    /// `check`), never handed to the stages that write the site.
    pub register: Register,
}

impl CheckOutcome {
    pub fn errors(&self) -> usize {
        diagnostics::count_errors(&self.diagnostics)
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Whether there is any error (warnings alone do not count): a build must not write.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// The exit code of `gongkai check`: 1 with errors, 0 otherwise.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.has_errors())
    }
}

/// Loads and validates the portal at `root`. `Err` only when there is no portal to check
/// (no site.toml, an unreadable site.toml, or no content/ folder).
pub fn check(root: &Path) -> Result<CheckOutcome, Diagnostic> {
    check_reusing(root, None)
}

/// [`check`], starting from the parse cache the last build left beside its output (which
/// it only reads): at 100,000 records, parsing is most of a check.
pub fn check_cached(root: &Path) -> Result<CheckOutcome, Diagnostic> {
    let mut cache = parse_cache_file(root, None)
        .map(|file| load::ParseCache::stored(&file))
        .unwrap_or_default();
    check_reusing(root, Some(&mut cache))
}

/// [`check`], reusing what `cache` holds of files unchanged since an earlier load.
pub fn check_reusing(
    root: &Path,
    cache: Option<&mut load::ParseCache>,
) -> Result<CheckOutcome, Diagnostic> {
    Ok(check_loaded(load::load_reusing(root, cache)?, root))
}

/// The checks of a loaded portal.
fn check_loaded(loaded: load::Loaded, root: &Path) -> CheckOutcome {
    let mut diags = loaded.diagnostics;
    let validation = validate::validate(&loaded.portal, root);
    diags.extend(validation.diagnostics);
    diags.extend(validate::validate_register(
        &loaded.portal,
        &loaded.register,
        root,
    ));
    diagnostics::sort(&mut diags);
    diags.dedup();
    let portal = loaded.portal;
    let checked = count_checked(&portal, &loaded.register, &diags);
    CheckOutcome {
        portal,
        diagnostics: diags,
        checked,
        report_findings: validation.report_findings,
        register: loaded.register,
    }
}

/// Files checked: site.toml, every record loaded, and every other file a diagnostic names
/// (files that failed to load).
fn count_checked(portal: &Portal, register: &Register, diags: &[Diagnostic]) -> usize {
    // Each record is a file of its own; only the few files diagnostics name are looked up
    // among them (a set of 100,000 paths took a tenth of a second).
    // Paths as plain bytes: a `Path` hashes component by component (see `load::ParseCache`).
    let mut others: HashSet<&std::ffi::OsStr> = diags.iter().map(|d| d.file.as_os_str()).collect();
    others.remove(std::ffi::OsStr::new("site.toml"));
    let mut records = 0;
    let mut count = |paths: &mut dyn Iterator<Item = &std::ffi::OsStr>| {
        for path in paths {
            records += 1;
            if !others.is_empty() {
                others.remove(path);
            }
        }
    };
    macro_rules! add {
        ($records:expr) => {
            count(&mut $records.iter().map(|r| r.meta.path.as_os_str()))
        };
    }
    add!(portal.home);
    add!(portal.pages);
    add!(portal.agencies);
    add!(portal.power);
    add!(portal.services);
    add!(portal.decisions);
    add!(portal.documents);
    add!(portal.reports);
    add!(portal.calendars);
    add!(register.requests);
    1 + records + others.len()
}

/// The two folders a build replaces, decided and resolved (write::paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    /// The site: `--output`, else site.toml's `output_dir`.
    pub site: PathBuf,
    /// The tantivy index: site.toml's `search_index_dir`.
    pub index: PathBuf,
}

/// The site folder a build of the portal at `root` writes: `flag`, else site.toml's
/// `output_dir`, decided (write::paths) but not yet adopted.
fn decide_site(
    root: &Path,
    config: &crate::model::config::SiteConfig,
    flag: Option<&Path>,
) -> Result<paths::Decided, paths::Refusal> {
    use paths::{Origin, Purpose};
    match flag {
        Some(p) => paths::decide(root, p, Origin::Flag, Purpose::Site),
        None => paths::decide(
            root,
            Path::new(&config.output_dir),
            Origin::Setting,
            Purpose::Site,
        ),
    }
}

/// Decides where a build of the portal at `root` writes, before anything is written: a
/// refusal is an error located at the setting in site.toml (or naming the flag).
pub fn outputs(
    root: &Path,
    config: &crate::model::config::SiteConfig,
    flag: Option<&Path>,
) -> Result<Outputs, BuildFailure> {
    use paths::{Origin, Purpose};
    let settings = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    let refused = |key: Option<&str>, r: paths::Refusal| -> BuildFailure {
        let d = match key {
            Some(key) => Diagnostic::error(codes::UNSAFE_PATH, "site.toml", r.message)
                .at(crate::validate::toml_value_pos(&settings, key)),
            None => Diagnostic::error(codes::UNSAFE_PATH, "--output", r.message),
        };
        d.hint(r.hint).into()
    };
    let site = decide_site(root, config, flag)
        .map_err(|r| refused(flag.is_none().then_some("output_dir"), r))?;
    let index = paths::decide(
        root,
        Path::new(&config.search_index_dir),
        Origin::Setting,
        Purpose::SearchIndex,
    )
    .map_err(|r| refused(Some("search_index_dir"), r))?;
    paths::check_apart(&site.path, &index.path)
        .map_err(|r| refused(flag.is_none().then_some("output_dir"), r))?;
    for decided in [&site, &index] {
        paths::adopt(decided).map_err(|e| io_fail(&decided.path, e))?;
    }
    Ok(Outputs {
        site: site.path,
        index: index.path,
    })
}

/// What a process that builds the same portal again and again (`serve`) keeps between
/// builds: each build then reads and parses only the files that changed, and finds the
/// manifest it left in memory instead of reading it back.
#[derive(Default)]
pub struct Retained {
    parsed: load::ParseCache,
    /// The manifest the last build left beside its output (`.0`), and the spare tree
    /// beside it once it was read ahead of the next build.
    manifest: Option<(PathBuf, KeptManifest)>,
    /// The site the next build shows the pages of the records in these files in first, and
    /// whom it tells.
    preview: Option<(PathBuf, HashSet<OsString>, Tell)>,
    /// Where a build leaves the portal it loaded.
    portal: AfterBuild,
}

/// Where a build leaves the portal it loaded: its records go back to the parse cache in a
/// process that loads again (`serve`), or stay lent to it in one that exits after one build
/// (`gongkai build`), which appends the lines of the few it parsed from there
/// (`load::ParseCache::store_lent`) rather than taking back 100,000 records.
#[derive(Default)]
enum AfterBuild {
    #[default]
    GiveBack,
    /// The portal of the last build, if there was one.
    Keep(Option<Box<Portal>>),
}

/// Whom a build tells of the pages it previewed, before it goes on.
type Tell = Box<dyn FnOnce(&preview::Shown) + Send>;

/// A manifest kept in memory. At 100,000 records writing a tree's record takes a tenth of a
/// second or more, which the officer need not wait for (it is written while the page
/// reloads), and reading it back as long (which `gongkai build` does while it reads the
/// content).
enum KeptManifest {
    /// Being written, or read, on a thread.
    Pending(std::thread::JoinHandle<Ahead>),
    Written(Ahead),
}

/// What a build finds read for it: the manifest, and the spare tree it recycles if that
/// was read too (the spare is read from its record in the manifest).
#[derive(Default)]
struct Ahead {
    manifest: manifest::Manifest,
    spare: Option<tree::SpareReading>,
}

impl KeptManifest {
    fn written(self) -> Option<Ahead> {
        match self {
            KeptManifest::Pending(pending) => pending.join().ok(),
            KeptManifest::Written(ahead) => Some(ahead),
        }
    }
}

impl Retained {
    /// What a process keeps for the builds `opts` asks for, starting from the parse cache
    /// the last `gongkai build` left beside its output (`load::ParseCache::stored`).
    pub fn for_build(opts: &BuildOptions) -> Retained {
        Retained::from_parse_cache(parse_cache_file(&opts.root, opts.output.as_deref()).as_deref())
    }

    fn from_parse_cache(file: Option<&Path>) -> Retained {
        Retained {
            parsed: file.map(load::ParseCache::stored_ahead).unwrap_or_default(),
            manifest: None,
            preview: None,
            portal: AfterBuild::GiveBack,
        }
    }

    /// Says that a watcher tells every change to the portal's files from now on
    /// ([`Retained::changed`]): a build then asks only those files whether they changed.
    pub fn watched(&mut self) {
        self.parsed.watched();
    }

    /// Tells that the files `paths` (relative to the portal) may have changed.
    pub fn changed(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        self.parsed.changed(paths);
    }

    /// Asks the next build to put the pages of the records in `files` (relative to the
    /// portal) in place in `site`, the site as last built, as soon as they are loaded,
    /// before the checks and the rest of the site ([`crate::preview`]), and to tell `shown`
    /// once they are.
    pub fn preview(
        &mut self,
        site: &Path,
        files: impl IntoIterator<Item = PathBuf>,
        shown: impl FnOnce(&preview::Shown) + Send + 'static,
    ) {
        let files = files.into_iter().map(PathBuf::into_os_string).collect();
        self.preview = Some((site.to_path_buf(), files, Box::new(shown)));
    }

    /// Asks every file of the portal at `root` whether it changed since the last build
    /// (`load::ParseCache::catch_up`): once the watcher has started, while nobody waits, so
    /// that the first rebuild it calls for asks only the files it names.
    pub fn catch_up(&mut self, root: &Path) {
        self.parsed.catch_up(root);
    }

    /// Tells that the watcher may have missed changes: the next build asks every file.
    pub fn lost_track(&mut self) {
        self.parsed.lost_track();
    }

    /// Reads the spare tree beside `out` in the background, for the next build to take
    /// (`tree::read_spare`), from its record in the manifest (read first, unless the last
    /// build left it in memory): what `serve` does once the page has reloaded, while the
    /// officer reads it, and `build` while it reads the content.
    pub fn read_spare_ahead(&mut self, out: &Path) {
        let at = out.to_path_buf();
        let kept = self.manifest.take();
        let reading = std::thread::spawn(move || {
            let kept = kept
                .filter(|(p, _)| *p == at)
                .and_then(|(_, k)| k.written());
            let mut manifest = kept.map(|ahead| ahead.manifest).unwrap_or_default();
            manifest.read_spare(&at);
            let spare = tree::read_spare(&at, manifest.spare_listing(&at));
            Ahead { manifest, spare }
        });
        self.manifest = Some((out.to_path_buf(), KeptManifest::Pending(reading)));
    }

    /// The manifest beside `out` and the spare tree's reading, as read ahead: the manifest
    /// the last build left, once it is on disk, else the one on disk.
    fn ahead(&mut self, out: &Path) -> Ahead {
        let kept = self
            .manifest
            .take()
            .filter(|(at, _)| at == out)
            .and_then(|(_, kept)| kept.written());
        kept.unwrap_or_else(|| Ahead {
            manifest: manifest::Manifest::read(out),
            spare: None,
        })
    }

    /// Keeps the manifest of a build that just finished, and writes it beside `out` in the
    /// background.
    fn keep_manifest(&mut self, out: &Path, manifest: manifest::Manifest) {
        // A write still under way finishes first: both go through the same temporary file.
        self.finish();
        let at = out.to_path_buf();
        // The record of the tree it replaced, which the next build recycles, is read with
        // that tree in `read_spare_ahead` (serve calls it after every build that succeeds).
        let writing = std::thread::spawn(move || {
            let mut manifest = manifest;
            manifest.write(&at);
            Ahead {
                manifest,
                spare: None,
            }
        });
        self.manifest = Some((out.to_path_buf(), KeptManifest::Pending(writing)));
    }

    /// Waits until what the last build keeps beside its output is written.
    pub fn finish(&mut self) {
        if let Some((at, kept)) = self.manifest.take() {
            self.manifest = kept
                .written()
                .map(|manifest| (at, KeptManifest::Written(manifest)));
        }
    }
}

/// Builds the portal, parsing only the files that changed since the last build's parse
/// cache, which it then leaves for the next one.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let site = site_folder(&opts.root, opts.output.as_deref());
    let cache = site.as_deref().map(parse_cache_beside);
    let mut retained = Retained::from_parse_cache(cache.as_deref());
    retained.portal = AfterBuild::Keep(None);
    // The manifest and the spare tree's inventory are read while the content is, as the
    // parse cache is.
    if let Some(site) = &site {
        retained.read_spare_ahead(site);
    }
    let built = build_in(opts, &mut retained).map(|mut report| {
        report.seconds = started.elapsed().as_secs_f64();
        report
    });
    // A build that fails writes nothing, not even this cache. The manifest is meanwhile
    // still being written, on a thread of its own.
    if let (Some(file), true) = (&cache, built.is_ok()) {
        let stored = match &retained.portal {
            AfterBuild::Keep(Some(portal)) => retained.parsed.store_lent(portal, file),
            _ => false,
        };
        if !stored {
            if let AfterBuild::Keep(kept) = &mut retained.portal {
                if let Some(portal) = kept.take() {
                    retained.parsed.restore(*portal);
                }
            }
            retained.parsed.store(file);
        }
    }
    retained.finish();
    // At 100,000 records freeing what the build kept takes half a second, which a process
    // that exits next need not wait for.
    std::thread::spawn(move || drop(retained));
    built
}

/// Where the parse cache of the portal at `root` is kept: beside the site's output folder
/// (`flag`, else site.toml's), as `.gongkai-<name>-parsed`. `None` while site.toml does not
/// say where that is.
fn parse_cache_file(root: &Path, flag: Option<&Path>) -> Option<PathBuf> {
    site_folder(root, flag).as_deref().map(parse_cache_beside)
}

/// The parse cache beside the site folder `site`.
fn parse_cache_beside(site: &Path) -> PathBuf {
    tree::sibling(site, "parsed")
}

/// The site folder a build of the portal at `root` writes, if site.toml can say.
fn site_folder(root: &Path, flag: Option<&Path>) -> Option<PathBuf> {
    let (config, _) = crate::model::config::SiteConfig::load(root).ok()?;
    decide_site(root, &config, flag).ok().map(|site| site.path)
}

/// [`build`], keeping in `retained` what the next build of the same portal can reuse.
pub fn build_in(opts: &BuildOptions, retained: &mut Retained) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let progress = &*opts.progress;
    // jieba's dictionary takes most of a second to load; load it while the content is read.
    std::thread::spawn(crate::search::words::warm_up);
    progress.stage(crate::zh_en!("读取内容", "reading content"));
    // The register stays here: nothing from it reaches derive, render or the indexes (the
    // reports it fills were filled while loading).
    let loaded = load::load_reusing(&opts.root, Some(&mut retained.parsed))?;
    let shown = retained
        .preview
        .take()
        .and_then(|(site, files, tell)| show_first(opts, &loaded, &site, &files).map(|s| (s, tell)))
        .map(|(shown, tell)| {
            tell(&shown);
            shown
        });
    let CheckOutcome {
        portal,
        diagnostics: diags,
        report_findings,
        ..
    } = check_loaded(loaded, &opts.root);
    let built = build_checked(opts, retained, &portal, diags, &report_findings, start);
    match &mut retained.portal {
        AfterBuild::Keep(kept) => *kept = Some(Box::new(portal)),
        AfterBuild::GiveBack => retained.parsed.restore(portal),
    }
    match (built, shown) {
        (Ok(report), Some(shown)) => Ok(BuildReport {
            previewed: shown.pages,
            ..report
        }),
        (Err(failed), Some(shown)) => {
            shown.undo();
            Err(failed)
        }
        (built, None) => built,
    }
}

/// The preview of `files` (`Retained::preview`), unless loading found errors: the build
/// that follows fails then, and the site stays as last built.
fn show_first(
    opts: &BuildOptions,
    loaded: &load::Loaded,
    site: &Path,
    files: &HashSet<OsString>,
) -> Option<preview::Shown> {
    if diagnostics::count_errors(&loaded.diagnostics) > 0 {
        return None;
    }
    preview::show(&loaded.portal, &opts.root, opts.today, site, files)
}

/// The rest of [`build_in`], once the portal is loaded and checked.
fn build_checked(
    opts: &BuildOptions,
    retained: &mut Retained,
    portal: &Portal,
    diags: Vec<Diagnostic>,
    report_findings: &[ReportFindings],
    start: Instant,
) -> Result<BuildReport, BuildFailure> {
    let progress = &*opts.progress;
    if diagnostics::count_errors(&diags) > 0 {
        return Err(BuildFailure { diagnostics: diags });
    }
    let Outputs { site: out, index } = outputs(&opts.root, &portal.config, opts.output.as_deref())?;
    progress.stage(crate::zh_en!(
        "计算期限与状态",
        "computing deadlines and states"
    ));
    let mut steps = vec![(
        crate::zh_en!("读取与检查", "load and check"),
        start.elapsed(),
    )];
    let lap = Instant::now();
    // The catalogs' entries the last build left are read while derive and the comparison
    // keep one core busy.
    let kept_rows = {
        let out = out.clone();
        std::thread::spawn(move || render::kept_rows::Kept::read(&out))
    };
    // The search documents' fingerprints are made while derive lists the feeds' events on
    // one thread.
    let (derived, in_order) = rayon::join(
        || derive::derive(portal, report_findings, opts.today),
        || crate::derive::search_docs::search_fingerprints(portal),
    );
    let mut theme = Theme::load(&opts.root, &portal.config.theme)?;
    steps.push((crate::zh_en!("计算", "derive"), lap.elapsed()));
    let lap = Instant::now();
    // The manifest first: a record still being written when the spare is taken would be
    // taken for one of a tree that is gone.
    let Ahead {
        manifest: mut recorded,
        spare,
    } = retained.ahead(&out);
    let mut scratch = tree::prepare_from(&out, spare).map_err(|e| io_fail(&out, e))?;
    // Three reads of what the last build left, each on a thread: the recycled tree's
    // record, the tantivy index's records and the static index's base (read before it is
    // known to be needed: it is not when the index is written afresh or left as it is).
    let (reuse, ((fingerprints, plan), base)) = rayon::join(
        || recorded.trusted(&out, &scratch),
        || {
            rayon::join(
                || {
                    let fingerprints: HashMap<String, u64> = in_order.iter().cloned().collect();
                    let plan = plan_indexes(&index, &fingerprints);
                    (fingerprints, plan)
                },
                || static_base::load(&out),
            )
        },
    );
    let mut plan = plan?;
    if let IndexPlan::Update { static_as_is, .. } = &mut plan {
        *static_as_is = reuse.search.as_ref() == Some(&fingerprints);
    }
    let statics = StaticPlan {
        base: match &plan {
            IndexPlan::Update {
                static_as_is: false,
                ..
            } => base,
            _ => None,
        },
        in_order: &in_order,
        index: &index,
        written: std::sync::Mutex::new(None),
    };
    let kept_rows = kept_rows.join().ok().flatten();
    steps.push((
        crate::zh_en!("对照上次的输出", "compare with the last output"),
        lap.elapsed(),
    ));
    let lap = Instant::now();
    let mut result = render_site(
        portal,
        opts,
        &derived,
        &mut theme,
        &reuse,
        kept_rows.as_ref(),
        &scratch.dir,
        &plan,
        &statics,
    );
    if result.as_ref().is_err_and(only_write_errors) && scratch.is_recycled() {
        // The recycled tree may hold a folder where this build writes a file, or a file
        // where it needs a folder (an attachment folder that became a file). Nothing in a
        // fresh tree can be in the way, so one more attempt there tells a stale leftover
        // from a real failure; the tree in the way is not kept for the next build.
        tree::remove(scratch);
        scratch = tree::prepare_fresh(&out).map_err(|e| io_fail(&out, e))?;
        // A fresh tree holds no static index to leave as it is.
        plan = match plan {
            IndexPlan::Afresh(old) => {
                tree::remove(old);
                IndexPlan::Afresh(tree::prepare_fresh(&index).map_err(|e| io_fail(&index, e))?)
            }
            IndexPlan::Update {
                changed,
                deleted,
                before,
                ..
            } => IndexPlan::Update {
                changed,
                deleted,
                before,
                static_as_is: false,
            },
        };
        result = render_site(
            portal,
            opts,
            &derived,
            &mut theme,
            &Reuse::default(),
            kept_rows.as_ref(),
            &scratch.dir,
            &plan,
            &statics,
        );
    }
    let tmp = scratch.dir.clone();
    // Neither the site nor the index is replaced unless both were written in full.
    let stats = match result.and_then(|(stats, outcomes)| {
        let as_is = matches!(
            plan,
            IndexPlan::Update {
                static_as_is: true,
                ..
            }
        );
        // Left as it is, the static index is kept whole (a file it did not need to write is
        // no leftover); had it been written, keeping changes nothing.
        let search: Vec<String> = match as_is {
            true => std::fs::read_dir(scratch.dir.join("search"))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| format!("search/{}", e.file_name().to_string_lossy()))
                .collect(),
            false => Vec::new(),
        };
        // Every file this build made, written or found right, with its time before.
        let before = scratch.set_apart(outcomes.iter().map(|o| o.file.as_str()));
        let kept: HashSet<&str> = search.iter().map(String::as_str).collect();
        tree::prune(&scratch, &kept)
            .map(|()| (stats, outcomes, before))
            .map_err(|e| io_fail(&tmp, e))
    }) {
        Ok(s) => s,
        Err(e) => {
            tree::discard(scratch, &out);
            plan.discard();
            return Err(in_output_terms(e, &tmp, &out));
        }
    };
    if let IndexPlan::Update {
        changed, deleted, ..
    } = &plan
    {
        let failed = std::sync::Mutex::new(None);
        let upserts = crate::derive::search_docs::search_docs_at(
            portal, &opts.root, &failed, changed, &in_order,
        );
        let updated = match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(d) => Err(d.into()),
            None => crate::search::update::update_index(&index, upserts, deleted)
                .map_err(|e| BuildFailure::from(crate::search::site::write_failed(&index, e))),
        };
        if let Err(e) = updated {
            tree::discard(scratch, &out);
            return Err(e);
        }
    }
    steps.push((
        crate::zh_en!("生成页面与索引", "pages and indexes"),
        lap.elapsed(),
    ));
    // Pages and indexes are made at the same time; how long each took on its own.
    steps.extend(stats.0.steps.iter().copied());
    let lap = Instant::now();
    progress.stage(crate::zh_en!("替换站点", "swapping in the site"));
    let (stats, outcomes, before) = stats;
    static_base::take_spares(&out, &scratch.dir.join("search"));
    let entries = manifest::entries(&mut scratch, outcomes, before, Some(fingerprints));
    tree::swap_into_place(scratch, &out).map_err(|e| io_fail(&out, e))?;
    render::kept_rows::save(&out, &stats.rows);
    retained.keep_manifest(&out, recorded.updated(&out, entries));
    match statics
        .written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
    {
        Some(StaticWritten::Whole(records)) => {
            static_base::save(&out, &out.join("search"), &records, &in_order)
        }
        Some(StaticWritten::Delta(state)) => {
            if let Some(base) = &statics.base {
                static_base::save_state(base, state)
            }
        }
        None => {}
    }
    steps.push((crate::zh_en!("替换站点", "swap"), lap.elapsed()));
    // A build killed between the two swaps leaves the new site beside the old index: each
    // is whole, and the next build writes both again.
    if let IndexPlan::Afresh(index_scratch) = plan {
        tree::swap_deleting_old(index_scratch, &index).map_err(|e| io_fail(&index, e))?;
    }
    manifest::save_index_records(&index, &in_order);
    let report = BuildReport {
        counts: record_counts(portal),
        parsed: retained.parsed.parsed(),
        pages: stats.pages,
        rendered: stats.rendered,
        files: stats.files,
        seconds: start.elapsed().as_secs_f64(),
        output: out,
        diagnostics: diags,
        steps: steps
            .into_iter()
            .map(|(name, d)| (name, d.as_secs_f64()))
            .collect(),
        previewed: Vec::new(),
    };
    // At 100,000 records freeing what the build derived, compared and rendered takes a few
    // hundredths of a second, which nothing waits for.
    let base = statics.base;
    std::thread::spawn(move || drop((derived, stats, reuse, kept_rows, base, in_order)));
    Ok(report)
}

/// How a build brings the search indexes up to date.
enum IndexPlan {
    /// Both written afresh: the tantivy index into this scratch tree, swapped in at the end.
    Afresh(tree::Scratch),
    /// The records whose search documents changed (by URL) and those removed, taken into
    /// the live tantivy index in place.
    Update {
        changed: HashSet<String>,
        deleted: Vec<String>,
        /// What the index held before: each record's URL and fingerprint.
        before: HashMap<String, u64>,
        /// Whether the scratch tree's static index holds these very records already (a
        /// change of a template, of `--today`, of what no search document shows): it is
        /// then left as it is.
        static_as_is: bool,
    },
}

impl IndexPlan {
    /// For a build that failed: a scratch tree is removed (an index to update in place has
    /// not been touched yet).
    fn discard(self) {
        if let IndexPlan::Afresh(scratch) = self {
            tree::remove(scratch);
        }
    }
}

/// The most records an update in place takes: past this many (or a tenth of the portal),
/// writing the index afresh costs little more, and leaves no deleted records behind.
const UPDATE_AT_MOST: usize = 2_000;

/// Updates the index in place when its record says what it holds and little changed since;
/// otherwise writes it afresh.
fn plan_indexes(index: &Path, now: &HashMap<String, u64>) -> Result<IndexPlan, BuildFailure> {
    if let Some(before) = manifest::index_records(index) {
        let changed: HashSet<String> = now
            .iter()
            .filter(|(url, fp)| before.get(*url) != Some(fp))
            .map(|(url, _)| url.clone())
            .collect();
        let deleted: Vec<String> = before
            .keys()
            .filter(|url| !now.contains_key(*url))
            .cloned()
            .collect();
        if changed.len() + deleted.len() <= UPDATE_AT_MOST.min(now.len() / 10).max(1) {
            return Ok(IndexPlan::Update {
                changed,
                deleted,
                before,
                static_as_is: false,
            });
        }
    }
    tree::remove_abandoned(index, tree::ABANDONED_AFTER);
    Ok(IndexPlan::Afresh(
        tree::prepare_fresh(index).map_err(|e| io_fail(index, e))?,
    ))
}

/// How the static index is brought up to date when the tantivy index is updated in place.
struct StaticPlan<'a> {
    /// The base beside the output, to add a delta to.
    base: Option<static_base::Base>,
    /// This build's search documents: URL and fingerprint, in stream order.
    in_order: &'a [(String, u64)],
    /// The live tantivy index.
    index: &'a Path,
    /// How the static index was written, for what the build keeps once it succeeded.
    written: std::sync::Mutex<Option<StaticWritten>>,
}

enum StaticWritten {
    /// Whole: it becomes the base.
    Whole(std::sync::Arc<crate::search::static_index::Records>),
    /// As a delta on the base: what the deltas have touched so far.
    Delta(crate::search::static_index::DeltaState),
}

impl StaticPlan<'_> {
    /// The static index as a delta on the base, if one can be written (`None`: it must be
    /// written whole).
    fn delta(
        &self,
        portal: &Portal,
        root: &Path,
        dir: &Path,
        before: &HashMap<String, u64>,
        failed: &std::sync::Mutex<Option<Diagnostic>>,
    ) -> Option<crate::search::static_index::StaticStats> {
        use crate::search::static_index::{tell, try_delta, DeltaInputs};
        let Some(base) = self.base.as_ref() else {
            tell(format_args!("written whole: no base beside the output"));
            return None;
        };
        let docs_at = |urls: &HashSet<String>| {
            Ok(crate::derive::search_docs::search_docs_at(
                portal,
                root,
                failed,
                urls,
                self.in_order,
            ))
        };
        // The live index holds the version the base has of a record if its record says
        // the fingerprint is the same.
        let base_docs = |wanted: &[(&str, u64)]| {
            if wanted.iter().any(|(u, fp)| before.get(*u) != Some(fp)) {
                return None;
            }
            let urls: Vec<&str> = wanted.iter().map(|w| w.0).collect();
            crate::search::update::stored_texts(self.index, &urls)
                .ok()
                .flatten()
        };
        let inputs = DeltaInputs {
            base_dir: &base.dir,
            records: &base.records,
            fingerprints: &base.fingerprints,
            state: base.state.as_ref(),
            dir,
            current: self.in_order,
            docs_at: &docs_at,
            base_docs: &base_docs,
        };
        let tried = try_delta(&inputs);
        if let Err(e) = &tried {
            tell(format_args!("written whole: {e}"));
        }
        let (stats, state) = tried.ok().flatten()?;
        *self.written.lock().unwrap_or_else(|e| e.into_inner()) = Some(StaticWritten::Delta(state));
        Some(stats)
    }

    /// Notes a static index written whole.
    fn whole(&self, stats: &crate::search::static_index::StaticStats) {
        *self.written.lock().unwrap_or_else(|e| e.into_inner()) =
            stats.base.clone().map(StaticWritten::Whole);
    }
}

/// Renders the pages and the static index into `tmp`, and brings the tantivy index up to
/// date as `plan` says (`index` is the live one).
#[allow(clippy::too_many_arguments)]
fn render_site(
    portal: &Portal,
    opts: &BuildOptions,
    derived: &Derived,
    theme: &mut Theme,
    reuse: &Reuse,
    kept_rows: Option<&render::kept_rows::Kept>,
    tmp: &Path,
    plan: &IndexPlan,
    statics: &StaticPlan<'_>,
) -> Result<(render::RenderStats, Vec<PageOutcome>), BuildFailure> {
    let progress = &*opts.progress;
    std::thread::scope(|s| {
        // The indexes are built while the pages are rendered: both keep every core busy
        // only part of the time. The search page waits for them, as its HTML carries the
        // static index's geometry, which saves the browser a round trip on a first query.
        progress.stage(crate::zh_en!(
            "生成页面与搜索索引",
            "rendering pages and search indexes"
        ));
        let started = Instant::now();
        let indexes = s.spawn(|| {
            // A body that cannot be read stops the build, after both indexes are written
            // without it (their writers stream the documents and cannot stop midway).
            let started = Instant::now();
            let failed = std::sync::Mutex::new(None);
            let docs = || crate::derive::search_docs::search_docs(portal, &opts.root, &failed);
            let written = match plan {
                IndexPlan::Afresh(scratch) => {
                    crate::search::site::write_indexes(docs(), tmp, &scratch.dir).map(|w| {
                        statics.whole(&w.static_index);
                        w.static_index
                    })
                }
                // The tantivy index is updated only once the site is written: a build that
                // fails leaves it as it was.
                IndexPlan::Update {
                    static_as_is,
                    before,
                    ..
                } => {
                    let dir = tmp.join("search");
                    let as_is = static_as_is
                        .then(|| crate::search::static_index::existing(&dir))
                        .flatten();
                    match as_is.or_else(|| statics.delta(portal, &opts.root, &dir, before, &failed))
                    {
                        Some(stats) => Ok(stats),
                        None => crate::search::static_index::write_static_dir(docs(), &dir)
                            .inspect(|stats| statics.whole(stats))
                            .map_err(|e| crate::search::site::write_failed(&dir, e)),
                    }
                }
            };
            match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
                Some(d) => Err(d),
                None => written.map(|w| (w, started.elapsed())),
            }
        });
        // When the pages, downloads and feeds are written (all but the search page).
        let mut files_done = None;
        let mut index_took = None;
        let mut static_files = 0;
        let output = render::Output::new(tmp, reuse).keeping_rows(kept_rows);
        let mut stats = render::render(
            portal,
            &opts.root,
            derived,
            theme,
            || {
                files_done = Some(started.elapsed());
                let (search, took) = indexes
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))?;
                index_took = Some(took);
                static_files = search.files as usize;
                Ok(render::SearchHint {
                    version: crate::search::static_index::FORMAT_VERSION,
                    pages: search.pages,
                })
            },
            &output,
            &|n, total| progress.tick(n, total),
        )?;
        progress.finish_ticks();
        stats.files += static_files;
        // Pages, downloads and indexes are made side by side; then the search page and the
        // theme's files.
        stats.steps.extend([
            (
                crate::zh_en!("检索索引", "search indexes"),
                index_took.unwrap_or_default(),
            ),
            (
                crate::zh_en!("其余文件", "other files"),
                started.elapsed() - files_done.max(index_took).unwrap_or_default(),
            ),
        ]);
        Ok((stats, output.into_outcomes()))
    })
}

/// A failure as the officer should read it: the private scratch tree (`.gongkai-public-tmp-…`)
/// named as the output folder it was to become.
fn in_output_terms(mut f: BuildFailure, tmp: &Path, out: &Path) -> BuildFailure {
    let (from, to) = (tmp.display().to_string(), out.display().to_string());
    for d in &mut f.diagnostics {
        if let Ok(rest) = d.file.strip_prefix(tmp) {
            d.file = out.join(rest);
        }
        d.message = d.message.replace(&from, &to);
    }
    f
}

/// Whether a failure is nothing but output that could not be written.
fn only_write_errors(f: &BuildFailure) -> bool {
    f.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .all(|d| d.code == codes::WRITE_FAILED)
}

fn io_fail(path: &Path, e: std::io::Error) -> BuildFailure {
    Diagnostic::error(
        codes::WRITE_FAILED,
        path,
        format!("{}: {e}", path.display()),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_names_the_output_not_the_scratch_tree() {
        let tmp = Path::new("./.gongkai-public-tmp-17922");
        let out = Path::new("./public");
        let path = tmp.join("attachments/a.pdf");
        let f = io_fail(&path, std::io::Error::other("disk full"));
        let f = in_output_terms(f, tmp, out);
        let d = &f.diagnostics[0];
        assert_eq!(d.file, Path::new("./public/attachments/a.pdf"));
        assert_eq!(d.message, "./public/attachments/a.pdf: disk full");
        // Diagnostics about the sources are left as they are.
        let source = Diagnostic::error(codes::READ_FAILED, "content/index.md", "unreadable");
        let f = in_output_terms(source.clone().into(), tmp, out);
        assert_eq!(f.diagnostics[0], source);
    }
}
