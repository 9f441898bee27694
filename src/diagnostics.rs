//! Problems found in a portal, collected rather than thrown, so that one run of `gongkai check`
//! lists every one of them with the place it was found and what to do about it.

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a source file relative to the portal root.
///
/// `line` and `column` are 1-based and count characters, not bytes; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// Length in characters of the offending text, for the underline; at least 1 when known.
    #[serde(skip)]
    pub span_chars: usize,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    pub fn warning(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: impl AsRef<Path>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.as_ref().to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            span_chars: 0,
        }
    }

    pub fn at(mut self, pos: Option<Pos>) -> Self {
        if let Some(pos) = pos {
            self.line = pos.line;
            self.column = pos.column;
            self.span_chars = pos.len;
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A position in a source file: 1-based line and column (in characters) and the span length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize, len: usize) -> Self {
        Pos { line, column, len }
    }
}

/// Sorts by file, then line and column, then code, so that output is stable between runs.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

pub fn count_errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

/// The catalogue of diagnostic codes. Codes are stable: scripts and CI jobs match on them.
pub mod codes {
    // Syntax and files
    pub const NOT_UTF8: &str = "E001";
    pub const TOO_LARGE: &str = "E002";
    pub const YAML_SYNTAX: &str = "E003";
    pub const FRONT_MATTER: &str = "E004";
    pub const EMPTY_FILE: &str = "E005";
    pub const DUPLICATE_KEY: &str = "E006";
    pub const READ_FAILED: &str = "E007";
    pub const SITE_CONFIG: &str = "E008";
    /// A file or folder of the output (the site, its search index) that could not be
    /// written. A build retries once in a fresh tree when it has no other error.
    pub const WRITE_FAILED: &str = "E009";
    // Schema
    pub const MISSING_KEY: &str = "E010";
    pub const WRONG_TYPE: &str = "E011";
    pub const INVALID_DATE: &str = "E012";
    pub const NOT_ALLOWED: &str = "E013";
    pub const UNKNOWN_KEY: &str = "W014";
    pub const INVALID_VALUE: &str = "E015";
    /// YAML nested deeper than `yaml_depth::MAX_DEPTH` levels: refused before it is parsed,
    /// as the parser slows down with the square of the depth.
    pub const NESTED_TOO_DEEP: &str = "E016";
    /// An invisible control character (C0 other than tab, LF and CR; DEL; C1) in a file.
    pub const CONTROL_CHARACTER: &str = "E017";
    // Slugs and paths
    pub const BAD_SLUG: &str = "E020";
    /// A symbolic link that leads out of where it may: out of the portal folder for one under
    /// content/, out of content/static/ for one there (or to nothing). It is never followed.
    pub const SYMLINK_OUTSIDE: &str = "E021";
    pub const MISPLACED_FILE: &str = "E022";
    pub const UNKNOWN_FILE: &str = "W023";
    pub const SLUG_COLLISION: &str = "E024";
    /// A path in a record or in site.toml that leaves its folder (`..`, absolute paths).
    pub const UNSAFE_PATH: &str = "E025";
    /// A file of content/static/ that would land in or on what the generator writes.
    pub const STATIC_SHADOWS_SITE: &str = "E026";
    /// A link (`online_url`, `consultation.url`, `website`, an attachment or template given
    /// as a URL, `base_url`) with a scheme other than http, https, mailto or tel, starting
    /// with `//`, or disguised with control characters or character references.
    pub const UNSAFE_URL: &str = "E027";
    // Identifiers
    pub const CREDIT_CODE: &str = "E030";
    pub const INDEX_NO_SHAPE: &str = "E031";
    pub const INDEX_NO_AGENCY: &str = "E032";
    pub const INDEX_NO_YEAR: &str = "E033";
    pub const DOC_NUMBER_SHAPE: &str = "E034";
    pub const DUPLICATE_CODE: &str = "E035";
    pub const DUPLICATE_INDEX_NO: &str = "E036";
    pub const ORG_CODE: &str = "W037";
    pub const DOC_NUMBER_YEAR: &str = "W038";
    /// A 发文字号 with brackets other than 〔〕 or full-width digits.
    pub const DOC_NUMBER_VARIANT: &str = "W039";
    // References
    pub const UNKNOWN_AGENCY: &str = "E040";
    pub const UNKNOWN_POWER_ITEM: &str = "E041";
    pub const UNKNOWN_DOCUMENT: &str = "E042";
    pub const MISSING_STATIC_FILE: &str = "E043";
    pub const PARENT_CYCLE: &str = "E044";
    /// `replaces` / `replaced_by` not answered by the other document.
    pub const NOT_RECIPROCAL: &str = "W045";
    // Rules
    pub const PROMISED_OVER_STATUTORY: &str = "E050";
    pub const STAGE_ORDER: &str = "E051";
    pub const NO_LEGALITY_REVIEW: &str = "E052";
    pub const SHORT_CONSULTATION: &str = "W053";
    pub const DATE_ORDER: &str = "E054";
    pub const CALENDAR: &str = "E055";
    // Annual reports
    pub const ROW_TOTAL: &str = "E060";
    pub const RESULTS_TOTAL: &str = "E061";
    pub const BALANCE: &str = "E062";
    pub const CARRY_OVER: &str = "W063";
    pub const ROW_SHAPE: &str = "E064";
    pub const REVIEW_TOTAL: &str = "E065";
    /// A report number below 0 (or a fraction where a count is expected).
    pub const NEGATIVE_NUMBER: &str = "E066";
    /// A row key the report form does not have (e.g. a misspelt sub-row of （三）不予公开).
    pub const UNKNOWN_ROW: &str = "E067";
    /// A row of the form left out of the report (read as blank).
    pub const MISSING_ROW: &str = "W068";
    // Identifiers, continued
    pub const DUPLICATE_DOC_NUMBER: &str = "W070";
    /// An agency's credit code that does not start with 11 (机关) or 12 (事业单位).
    pub const CREDIT_CODE_CATEGORY: &str = "W071";
    pub const DUPLICATE_CREDIT_CODE: &str = "E072";
    /// An agency's credit code that is a placeholder (characters 3–17 all zero, as `gongkai
    /// init` writes): the portal builds, but the code must be replaced before it goes live.
    pub const PLACEHOLDER_CREDIT_CODE: &str = "W073";
    /// A credit code written with spaces inside: read without them.
    pub const CODE_WITH_SPACES: &str = "W074";
    // The disclosure-request register (依申请公开登记)
    /// Dates of a request in an impossible order (answered before received, a correction
    /// received before it was asked for, a third party answering before it was asked…).
    pub const REQUEST_DATE_ORDER: &str = "E080";
    /// An extension (Art. 33) decided after the first time limit had run out.
    pub const REQUEST_LATE_EXTENSION: &str = "E081";
    /// An `outcome` that is not a result row of the annual report's section 3.
    pub const REQUEST_OUTCOME: &str = "E082";
    /// A request filed in a year folder other than the year it was received.
    pub const REQUEST_YEAR: &str = "E083";
    /// A request answered without an `outcome`, or with an `outcome` and no `answered`.
    pub const REQUEST_ANSWER_OUTCOME: &str = "E084";
    /// `[requests] dir` where the register could be published or deleted: in content/ or
    /// themes/, in or around the output or search-index folders, or around the portal.
    pub const REGISTER_PLACE: &str = "E085";
    /// A report asks for `applications: register`, and there is no register folder.
    pub const REGISTER_MISSING: &str = "E086";
    /// A cell of a report's section 3 that differs from the register (years from
    /// `[requests] complete_since` on); a warning with `[reports] arithmetic = "warn"`.
    pub const REGISTER_MISMATCH: &str = "E087";
    /// `applications: register` for a year before `[requests] complete_since`.
    pub const REGISTER_INCOMPLETE: &str = "W088";
    /// `[requests] complete_since` is set and the register folder does not exist: no report
    /// is compared.
    pub const REGISTER_NOT_FOUND: &str = "W089";
    /// `gongkai check`: an open request past its time limit.
    pub const REQUEST_OVERDUE: &str = "W090";
    /// `gongkai check`: an open request whose time limit is a few working days away.
    pub const REQUEST_DUE_SOON: &str = "W091";
    /// `gongkai check`: a request answered after its time limit (this year or last).
    pub const REQUEST_ANSWERED_LATE: &str = "W092";
    // Validity
    /// `long_term: true` beside a `valid_until`: in force until repealed, or until a date.
    pub const LONG_TERM_WITH_END: &str = "E091";
    /// `long_term` on a document that is not a normative document.
    pub const LONG_TERM_NOT_NORMATIVE: &str = "W096";
    // Reports against the form of their year, each other and the catalogue
    /// An annual report whose `format` is not the form of its reporting year.
    pub const REPORT_FORMAT_YEAR: &str = "W093";
    /// Section 2's 现行有效件数 that does not follow from the same agency's previous report
    /// (last year's + 本年制发 − 本年废止).
    pub const IN_FORCE_ACROSS_YEARS: &str = "W094";
    /// Normative documents issued per a report (section 2) that the catalogue does not match.
    pub const ISSUED_VS_CATALOG: &str = "W095";
    // Policy interpretations (政策解读)
    /// An `interpretation` that is not one of the forms the national rules name.
    pub const INTERPRETATION_FORM: &str = "E097";
    /// An `interpretation` form on a document that explains nothing (no `interprets`).
    pub const INTERPRETATION_WITHOUT_TARGET: &str = "W098";
}
