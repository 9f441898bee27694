//! Stage 2: everything about a loaded portal that the loader cannot see in one file alone —
//! identifiers, cross-references, procedural rules and annual-report arithmetic.
//!
//! Checks work on the typed records and produce `Issue`s that name a YAML path
//! (`legal_basis.0.law`). Only when there is something to report is the record's file read
//! again to turn the path into a line and column, so a correct portal costs one pass over
//! memory. Records are checked in parallel; duplicates and references use hash maps.

mod identifiers;
mod references;
pub(crate) mod reports;
mod requests;
mod rules;

pub use requests::validate_register;

pub(crate) use rules::toml_value_pos;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use regex::Regex;

use crate::diagnostics::{Diagnostic, Pos, Severity};
use crate::domain::report_math::{self, ReportFindings};
use crate::load::locate;
use crate::load::source;
use crate::model::*;
use crate::table::{HashMap, HashSet};

/// What validation found: problems, and what the report arithmetic found (which the report
/// pages mark too, so it is computed once, here).
#[derive(Debug, Default)]
pub struct Validation {
    /// The problems the loader did not report, located in their files; the caller sorts
    /// and merges them.
    pub diagnostics: Vec<Diagnostic>,
    /// Per report, in the portal's order.
    pub report_findings: Vec<ReportFindings>,
}

/// Validates a loaded portal (`root` is the folder holding site.toml).
pub fn validate(portal: &Portal, root: &Path) -> Validation {
    let report_findings = report_math::portal_findings(portal);
    let ctx = Ctx::new(portal, root);
    let mut issues: Vec<FileIssue> = Vec::new();

    macro_rules! per_record {
        ($records:expr, $check:path) => {
            issues.par_extend($records.par_iter().flat_map_iter(|r| {
                let path = &r.meta.path;
                $check(&ctx, r)
                    .into_iter()
                    .map(move |issue| (path.clone(), issue))
            }))
        };
    }
    per_record!(portal.agencies, identifiers::agency);
    per_record!(portal.agencies, references::agency);
    per_record!(portal.agencies, rules::agency);
    per_record!(portal.power, references::power);
    per_record!(portal.power, rules::power);
    per_record!(portal.services, references::service);
    per_record!(portal.services, rules::service);
    per_record!(portal.decisions, references::decision);
    per_record!(portal.decisions, rules::decision);
    per_record!(portal.documents, identifiers::document);
    per_record!(portal.documents, references::document);
    per_record!(portal.documents, rules::document);
    issues.par_extend(
        portal
            .reports
            .par_iter()
            .zip(report_findings.par_iter())
            .flat_map_iter(|(r, found)| {
                reports::report(&ctx, r, found)
                    .into_iter()
                    .map(move |issue| (r.meta.path.clone(), issue))
            }),
    );
    per_record!(portal.calendars, rules::calendar);

    issues.extend(identifiers::duplicates(&ctx));
    issues.extend(references::duplicate_document_slugs(&ctx));
    issues.extend(reports::carry_over(&ctx, &report_findings));
    issues.extend(reports::in_force_across_years(&ctx));
    issues.extend(rules::site(portal, root));
    issues.extend(rules::static_files(portal));

    drop_issues_about_stand_ins(portal, &mut issues);
    Validation {
        diagnostics: resolve(issues, root, portal.config.max_file_bytes),
        report_findings,
    }
}

/// Shared lookups, built once.
pub(crate) struct Ctx<'a> {
    pub portal: &'a Portal,
    pub root: &'a Path,
    pub statics: HashSet<&'a str>,
    /// The portal's own index-number pattern; `None` means the default.
    pub index_re: Option<Regex>,
    /// The portal's pattern does not compile (the loader reported it): skip shape checks.
    pub index_re_broken: bool,
    /// Each agency's credit code, normalized, where it is valid: checked once per agency
    /// rather than once for each of its documents.
    pub agency_codes: HashMap<&'a str, String>,
}

impl<'a> Ctx<'a> {
    fn new(portal: &'a Portal, root: &'a Path) -> Self {
        let (index_re, index_re_broken) = match &portal.config.catalog.index_no_pattern {
            Some(p) => match Regex::new(p) {
                Ok(re) => (Some(re), false),
                Err(_) => (None, true),
            },
            None => (None, false),
        };
        Ctx {
            portal,
            root,
            statics: portal.static_files.iter().map(String::as_str).collect(),
            index_re,
            index_re_broken,
            agency_codes: portal
                .agencies
                .iter()
                .filter_map(|a| {
                    let code = crate::domain::identifiers::normalize(&a.data.credit_code);
                    let valid = crate::domain::identifiers::check_credit_code(&code).is_ok();
                    valid.then_some((a.meta.slug.as_str(), code))
                })
                .collect(),
        }
    }

    /// Whether agency `slug` is unknown. An agency whose file exists but did not load (its
    /// own error is reported) is not unknown: references to it would only repeat that error.
    pub fn agency_missing(&self, slug: &str) -> bool {
        self.portal.agency(slug).is_none()
            && !["yaml", "yml"].iter().any(|ext| {
                crate::model::slug::slug_is_valid(slug)
                    && self
                        .root
                        .join("content/agencies")
                        .join(format!("{slug}.{ext}"))
                        .is_file()
            })
    }

    /// Whether document `slug` is unknown (with the same care as [`Ctx::agency_missing`]).
    pub fn document_missing(&self, slug: &str) -> bool {
        if self.portal.document(slug).is_some() {
            return false;
        }
        if !crate::model::slug::slug_is_valid(slug) {
            return true;
        }
        let Ok(years) = std::fs::read_dir(self.root.join("content/documents")) else {
            return true;
        };
        !years
            .flatten()
            .any(|y| y.path().join(format!("{slug}.md")).is_file())
    }

    /// The slugs of the portal's agencies, in no particular order.
    pub fn agency_slugs(&self) -> impl Iterator<Item = &'a str> {
        self.portal.lookup.agency.keys().map(String::as_str)
    }

    /// "did you mean `x`?" over the agency slugs.
    pub fn suggest_agency(&self, slug: &str) -> String {
        let mut hint = closest(slug, self.agency_slugs())
            .map(did_you_mean)
            .unwrap_or_default();
        hint.push_str(crate::zh_en!(
            "请写 `content/agencies/` 中某个机关的文件名（不含 `.yaml`）",
            "agencies are the file names in content/agencies/ (without .yaml)"
        ));
        hint
    }
}

/// "did you mean `x`?", to go before the rest of a hint.
pub(crate) fn did_you_mean(s: &str) -> String {
    crate::zh_en!(
        format!("是不是要写 `{s}`？"),
        format!("did you mean `{s}`? ")
    )
}

/// The closest candidate to `s` by Jaro–Winkler similarity, if it is close enough.
pub(crate) fn closest<'b>(s: &str, candidates: impl Iterator<Item = &'b str>) -> Option<&'b str> {
    candidates
        .map(|c| (strsim::jaro_winkler(s, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Which part of a YAML entry a diagnostic points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum At {
    Key,
    Value,
}

/// A problem found in one record, before it is located.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub severity: Severity,
    pub code: &'static str,
    /// The YAML path of the offending entry; empty for the whole file.
    pub path: String,
    pub at: At,
    pub message: String,
    pub hint: Option<String>,
    /// The other place of a duplicate or a cross-record mismatch, named in the message.
    pub also: Option<(PathBuf, String)>,
    /// Other keys of the same record the issue is about (the earlier date of two in the
    /// wrong order), besides `path`.
    pub involves: Vec<String>,
}

impl Issue {
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }

    pub fn warning(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            severity,
            code,
            path: path.into(),
            at: At::Value,
            message: message.into(),
            hint: None,
            also: None,
            involves: Vec::new(),
        }
    }

    /// Names another key of the record the issue is about.
    pub fn involving(mut self, path: impl Into<String>) -> Self {
        self.involves.push(path.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at_key(mut self) -> Self {
        self.at = At::Key;
        self
    }

    pub fn also(mut self, file: &Path, path: impl Into<String>) -> Self {
        self.also = Some((file.to_path_buf(), path.into()));
        self
    }
}

pub(crate) type FileIssue = (PathBuf, Issue);

/// Drops what validation found about the stand-in values of keys whose own value was wrong
/// (`Meta::damaged`): those keys were reported when the record was loaded, and anything
/// said about their stand-ins would be noise.
fn drop_issues_about_stand_ins(portal: &Portal, issues: &mut Vec<FileIssue>) {
    let mut damaged: HashMap<&Path, &Meta> = HashMap::default();
    macro_rules! add {
        ($records:expr) => {
            for r in $records.iter().filter(|r| !r.meta.damaged.is_empty()) {
                damaged.insert(r.meta.path.as_path(), &r.meta);
            }
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
    if damaged.is_empty() {
        return;
    }
    issues.retain(|(file, issue)| {
        let Some(meta) = damaged.get(file.as_path()) else {
            return true;
        };
        !meta.is_damaged(&issue.path) && !issue.involves.iter().any(|p| meta.is_damaged(p))
    });
}

/// Turns issues into diagnostics, reading each file that has issues once.
fn resolve(issues: Vec<FileIssue>, root: &Path, max_bytes: u64) -> Vec<Diagnostic> {
    // Every (file, path, at) whose position is needed, grouped by file.
    let mut wanted: HashMap<&Path, Vec<(&str, At)>> = HashMap::default();
    for (file, issue) in &issues {
        if !issue.path.is_empty() {
            wanted
                .entry(file.as_path())
                .or_default()
                .push((issue.path.as_str(), issue.at));
        }
        if let Some((other, path)) = &issue.also {
            wanted
                .entry(other.as_path())
                .or_default()
                .push((path.as_str(), At::Key));
        }
    }
    let files: Vec<(&Path, Vec<(&str, At)>)> = wanted.into_iter().collect();
    let found: HashMap<(&Path, &str, At), Option<Pos>> = files
        .par_iter()
        .flat_map_iter(|(file, paths)| {
            let positions = locate_in_file(root, file, paths, max_bytes);
            paths
                .iter()
                .zip(positions)
                .map(move |((p, at), pos)| ((*file, *p, *at), pos))
        })
        .collect();
    issues
        .iter()
        .map(|(file, issue)| {
            let pos = if issue.path.is_empty() {
                None
            } else {
                found
                    .get(&(file.as_path(), issue.path.as_str(), issue.at))
                    .copied()
                    .flatten()
            };
            let mut message = issue.message.clone();
            if let Some((other, path)) = &issue.also {
                let line = found
                    .get(&(other.as_path(), path.as_str(), At::Key))
                    .copied()
                    .flatten()
                    .map(|p| format!(":{}", p.line))
                    .unwrap_or_default();
                let other = slash_path(other);
                message.push_str(&crate::zh_en!(
                    format!("（另见 `{other}{line}`）"),
                    format!(" (also in {other}{line})")
                ));
            }
            let d = match issue.severity {
                Severity::Error => Diagnostic::error(issue.code, file, message),
                Severity::Warning => Diagnostic::warning(issue.code, file, message),
            }
            .at(pos);
            match &issue.hint {
                Some(h) => d.hint(h.clone()),
                None => d,
            }
        })
        .collect()
}

/// A path with `/` separators, as diagnostics print it.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Locates YAML paths in one file; an entry the locator cannot find falls back to its
/// nearest enclosing entry, then to the whole file (`None`).
fn locate_in_file(root: &Path, rel: &Path, paths: &[(&str, At)], max: u64) -> Vec<Option<Pos>> {
    let Ok(src) = source::read_source(&root.join(rel), rel, max) else {
        return vec![None; paths.len()];
    };
    let text = src.text.as_str();
    if rel == Path::new("site.toml") {
        return paths
            .iter()
            .map(|(p, _)| rules::toml_value_pos(text, p))
            .collect();
    }
    let is_md = rel.extension().is_some_and(|e| e == "md");
    let part = if is_md {
        match source::split_front_matter(text, rel) {
            Ok(fm) => fm.yaml,
            Err(_) => return vec![None; paths.len()],
        }
    } else {
        source::YamlPart {
            yaml: text,
            line_offset: 0,
        }
    };
    paths
        .iter()
        .map(|(path, at)| {
            let mut p: &str = path;
            let mut at = *at;
            loop {
                let pos = match at {
                    At::Key => locate::locate_key(&part, p),
                    At::Value => locate::locate_value(&part, p),
                };
                if pos.is_some() {
                    return pos;
                }
                match p.rfind('.') {
                    Some(i) => {
                        p = &p[..i];
                        at = At::Key;
                    }
                    None => return None,
                }
            }
        })
        .collect()
}

/// Whether a reference to a file under content/static/ is an absolute URL instead.
pub(crate) fn is_url(s: &str) -> bool {
    let l = s.trim().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::codes;

    /// The codes the unit tests of the rules look at: the portals they
    /// build have no agencies and placeholder index numbers, which other checks report.
    pub(super) const CONCERNED: [&str; 2] =
        [codes::LONG_TERM_WITH_END, codes::LONG_TERM_NOT_NORMATIVE];
}
