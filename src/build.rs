//! The whole pipeline, load → validate → derive → render → write, and the atomic swap of the
//! finished site into place: a failed build never leaves a half-written site.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use crate::diagnostics::{self, codes, Diagnostic};
use crate::model::Portal;
use crate::output_tree;
use crate::progress::Progress;
use crate::render::{self, theme::Theme, Derived};

pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` of site.toml.
    pub output: Option<PathBuf>,
    pub today: NaiveDate,
    pub progress: Progress,
}

#[derive(Debug)]
pub struct BuildReport {
    pub counts: Vec<(&'static str, usize)>,
    pub pages: usize,
    pub files: usize,
    pub seconds: f64,
    pub output: PathBuf,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildReport {
    /// The one-line summary a build ends with.
    pub fn summary(&self) -> String {
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        format!(
            "构建完成：{}；共写出 {} 个页面（{} 个文件），用时 {:.2} 秒 → {}",
            counts.join("，"),
            self.pages,
            self.files,
            self.seconds,
            self.output.display()
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

pub fn record_counts(p: &Portal) -> Vec<(&'static str, usize)> {
    vec![
        ("机构", p.agencies.len()),
        ("权责事项", p.power.len()),
        ("服务事项", p.services.len()),
        ("重大决策", p.decisions.len()),
        ("公开文件", p.documents.len()),
        ("年度报告", p.reports.len()),
        ("页面", p.pages.len() + usize::from(p.home.is_some())),
    ]
}

/// Loads and validates: the part `check` and `build` share.
pub fn load_and_validate(root: &Path) -> Result<(Portal, Vec<Diagnostic>), BuildFailure> {
    let outcome = crate::check::check(root)?;
    Ok((outcome.portal, outcome.diagnostics))
}

pub fn derive(p: &Portal, today: NaiveDate) -> Derived {
    let validity = p
        .documents
        .iter()
        .map(|d| crate::derive::validity(&d.data, &p.config, today))
        .collect();
    let calendar = crate::deadlines::portal_calendar(p);
    let notices = crate::deadlines::notices(p, &calendar, today);
    Derived {
        today,
        validity,
        notices,
    }
}

pub fn output_dir(root: &Path, config_dir: &str, cli: Option<&Path>) -> PathBuf {
    match cli {
        Some(p) => p.to_path_buf(),
        None => root.join(config_dir),
    }
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let progress = &opts.progress;
    // jieba's dictionary takes most of a second to load; load it while the content is read.
    std::thread::spawn(crate::search::words::warm_up);
    progress.stage("读取内容");
    let (portal, diags) = load_and_validate(&opts.root)?;
    if diagnostics::count_errors(&diags) > 0 {
        return Err(BuildFailure { diagnostics: diags });
    }
    let out = output_dir(
        &opts.root,
        &portal.config.output_dir,
        opts.output.as_deref(),
    );
    guard_output(&opts.root, &out)?;
    progress.stage("计算期限与状态");
    let derived = derive(&portal, opts.today);
    let mut theme = Theme::load(&opts.root, &portal.config.theme)?;

    let mut scratch = output_tree::prepare(&out).map_err(|e| io_fail(&out, e))?;
    let mut result = render_site(&portal, opts, &derived, &mut theme, &scratch.dir);
    if result.as_ref().is_err_and(only_write_errors) && scratch.is_recycled() {
        // The recycled tree may hold a folder where this build writes a file, or a file
        // where it needs a folder (an attachment folder that became a file). Nothing in a
        // fresh tree can be in the way, so one more attempt there tells a stale leftover
        // from a real failure; the tree in the way is not kept for the next build.
        output_tree::remove(scratch);
        scratch = output_tree::prepare_fresh(&out).map_err(|e| io_fail(&out, e))?;
        result = render_site(&portal, opts, &derived, &mut theme, &scratch.dir);
    }
    let tmp = scratch.dir.clone();
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            output_tree::discard(scratch, &out);
            return Err(in_output_terms(e, &tmp, &out));
        }
    };
    progress.stage("替换站点");
    if let Err(e) = output_tree::prune(&scratch) {
        output_tree::discard(scratch, &out);
        return Err(in_output_terms(io_fail(&tmp, e), &tmp, &out));
    }
    output_tree::swap_into_place(scratch, &out).map_err(|e| io_fail(&out, e))?;
    Ok(BuildReport {
        counts: record_counts(&portal),
        pages: stats.pages,
        files: stats.files,
        seconds: start.elapsed().as_secs_f64(),
        output: out,
        diagnostics: diags,
    })
}

/// Renders the pages and writes both search indexes into `tmp`.
fn render_site(
    portal: &Portal,
    opts: &BuildOptions,
    derived: &Derived,
    theme: &mut Theme,
    tmp: &Path,
) -> Result<render::RenderStats, BuildFailure> {
    let progress = &opts.progress;
    std::thread::scope(|s| {
        // The indexes are built while the pages are rendered: both keep every core busy
        // only part of the time. The search page waits for them, as its HTML carries the
        // static index's geometry, which saves the browser a round trip on a first query.
        progress.stage("生成页面与搜索索引");
        let indexes = s.spawn(|| crate::search::site::write_indexes(portal, &opts.root, tmp));
        let mut static_files = 0;
        let mut stats = render::render(
            portal,
            &opts.root,
            derived,
            theme,
            || {
                let search = indexes
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))?;
                static_files = search.static_index.files as usize;
                Ok(render::SearchHint {
                    version: crate::search::static_index::FORMAT_VERSION,
                    pages: search.static_index.pages,
                })
            },
            tmp,
            &|n, total| progress.tick(n, total),
        )?;
        progress.finish_ticks();
        stats.files += static_files;
        Ok(stats)
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

/// Refuses output directories that would overwrite the portal itself.
fn guard_output(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root_c = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out_abs = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(out)
    };
    let out_c = normalize(&out_abs);
    let content = root_c.join("content");
    if root_c.starts_with(&out_c)
        || out_c.starts_with(&content)
        || out_c.starts_with(root_c.join("themes"))
    {
        return Err(Diagnostic::error(
            codes::SITE_CONFIG,
            "site.toml",
            format!(
                "refusing to build into {}: it would replace the portal's own files",
                out.display()
            ),
        )
        .hint("set output_dir to a folder of its own, such as \"public\""));
    }
    Ok(())
}

/// Resolves `..` and `.` without touching the filesystem (the output may not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Canonicalise the longest existing ancestor so symlinked roots compare equal.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut base = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        base.push(n);
    }
    base
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
