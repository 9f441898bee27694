//! The records of a portal, typed as docs/content-format.md defines them.
//!
//! These types are plain data: loading fills them, validation reads them, rendering reads them.

pub mod config;
pub mod index;
pub mod kinds;
pub mod requests;
pub mod slug;
pub mod urls;

pub use kinds::{Kind, KINDS};

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::config::SiteConfig;

/// Where a record came from. `body_start` lets renderers re-read a Markdown body when they need
/// it, so a portal of a hundred thousand documents does not keep every body in memory.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub slug: String,
    /// Path relative to the portal root, e.g. `content/documents/2025/a.md`.
    pub path: PathBuf,
    /// The directory year for decisions, documents and reports.
    pub year: Option<i32>,
    /// The agency folder for power and service items; the file stem for reports.
    pub folder_agency: Option<String>,
    #[serde(skip)]
    pub body_start: Option<usize>,
    /// Top-level keys whose value was wrong and was reported when the record was loaded; the
    /// record holds stand-in values there, which validation does not look at.
    #[serde(skip)]
    pub damaged: Vec<String>,
    /// A hash of the file's text as it was loaded: what stands for the Markdown body in a
    /// page's fingerprint (`render::memo`), so that deciding whether a page changed needs
    /// neither its body read again nor converted. A record is read from its text alone and
    /// never changed after (but a report's table filled from the request register), so with
    /// the rest of the meta it stands for the whole record in the keys of pages and catalog
    /// entries too.
    #[serde(skip)]
    pub source_hash: u64,
}

/// By every field, the path as its bytes: `Path`'s own hash goes component by component,
/// and the keys of a build hash 100,000 metas several times over.
impl std::hash::Hash for Meta {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Meta {
            slug,
            path,
            year,
            folder_agency,
            body_start,
            damaged,
            source_hash,
        } = self;
        slug.hash(state);
        path.as_os_str().hash(state);
        year.hash(state);
        folder_agency.hash(state);
        body_start.hash(state);
        damaged.hash(state);
        source_hash.hash(state);
    }
}

impl Meta {
    /// Whether the top-level key of the YAML path `path` (`consultation.end` → `consultation`)
    /// held a wrong value when the record was loaded.
    pub fn is_damaged(&self, path: &str) -> bool {
        let top = path.split('.').next().unwrap_or(path);
        self.damaged.iter().any(|k| k == top)
    }
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct Record<T> {
    pub meta: Meta,
    pub data: T,
}

// ---------------------------------------------------------------------------------------------
// Pages

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Page {
    pub title: String,
    pub description: Option<String>,
    pub order: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Agencies

/// `Default` is only for stand-ins (an agency the portal does not hold): a department, whose
/// report deadline is the stricter one. Officers must always write `kind`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AgencyKind {
    Government,
    #[default]
    Department,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Agency {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
    pub credit_code: String,
    pub parent: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub office_hours: Option<String>,
    pub website: Option<String>,
    pub disclosure_office: Option<DisclosureOffice>,
    pub order: Option<i64>,
    /// Per-agency due date of the annual report ("MM-DD"), overriding the site-wide rule.
    pub report_due: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct DisclosureOffice {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub office_hours: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Power list and service items

pub const CATEGORIES: [&str; 11] = [
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
];

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct LegalBasis {
    pub law: String,
    pub article: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SubItem {
    pub code: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ProcessStep {
    Name(String),
    Detailed {
        name: String,
        description: Option<String>,
        days: Option<f64>,
    },
}

impl ProcessStep {
    pub fn name(&self) -> &str {
        match self {
            ProcessStep::Name(n) => n,
            ProcessStep::Detailed { name, .. } => name,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    Active,
    Adjusted,
    Abolished,
}

impl ItemStatus {
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Active => "在用",
            ItemStatus::Adjusted => "已调整",
            ItemStatus::Abolished => "已取消",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    Added,
    Modified,
    Abolished,
    Delegated,
    Transferred,
    Received,
    Merged,
}

impl ChangeAction {
    pub fn label(self) -> &'static str {
        match self {
            ChangeAction::Added => "新增",
            ChangeAction::Modified => "调整",
            ChangeAction::Abolished => "取消",
            ChangeAction::Delegated => "下放",
            ChangeAction::Transferred => "划转",
            ChangeAction::Received => "承接",
            ChangeAction::Merged => "合并",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub date: NaiveDate,
    pub action: ChangeAction,
    pub basis: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PowerItem {
    pub code: String,
    pub name: String,
    pub category: String,
    #[serde(default)]
    pub sub_items: Vec<SubItem>,
    pub implementing_body: Option<String>,
    pub legal_basis: Vec<LegalBasis>,
    pub responsibilities: Vec<String>,
    #[serde(default)]
    pub accountability: Vec<String>,
    #[serde(default)]
    pub process: Vec<ProcessStep>,
    pub supervision_phone: Option<String>,
    pub status: ItemStatus,
    pub effective: Option<NaiveDate>,
    pub reviewed: Option<NaiveDate>,
    #[serde(default)]
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Material {
    pub name: String,
    pub form: String,
    pub copies: Option<u32>,
    pub required: bool,
    pub template: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct TimeLimit {
    pub statutory_days: u32,
    pub promised_days: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Fee {
    pub item: String,
    pub standard: String,
    pub basis: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Fees {
    Free { free: bool },
    List(Vec<Fee>),
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ServiceItem {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub power_item: Option<String>,
    pub legal_basis: Vec<LegalBasis>,
    pub conditions: Vec<String>,
    pub materials: Vec<Material>,
    #[serde(default)]
    pub process: Vec<ProcessStep>,
    pub time_limit: TimeLimit,
    pub fees: Option<Fees>,
    pub quantity_limit: Option<String>,
    pub location: Option<String>,
    pub office_hours: Option<String>,
    pub consult_phone: Option<String>,
    pub complaint_phone: Option<String>,
    pub online_url: Option<String>,
    pub online_level: Option<u8>,
    pub status: ItemStatus,
    /// When the guide changed (materials, time limits, fees…), oldest first, as a power
    /// item's log: the feed of services and the record's dates are made of it.
    #[serde(default)]
    pub changes: Vec<Change>,
}

// ---------------------------------------------------------------------------------------------
// Major administrative decisions

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DecisionStatus {
    Planned,
    Consulting,
    Reviewing,
    Decided,
    Implementing,
    Evaluated,
    Withdrawn,
}

impl DecisionStatus {
    pub fn label(self) -> &'static str {
        match self {
            DecisionStatus::Planned => "拟决策",
            DecisionStatus::Consulting => "征求意见中",
            DecisionStatus::Reviewing => "审查中",
            DecisionStatus::Decided => "已决策",
            DecisionStatus::Implementing => "实施中",
            DecisionStatus::Evaluated => "已评估",
            DecisionStatus::Withdrawn => "已撤回",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Consultation {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub adopted: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct DatedNote {
    pub date: NaiveDate,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct RiskAssessment {
    pub date: NaiveDate,
    pub level: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct LegalityReview {
    pub date: NaiveDate,
    pub result: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct CollectiveDecision {
    pub date: NaiveDate,
    pub meeting: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Publication {
    pub date: NaiveDate,
    pub document: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Decision {
    pub title: String,
    pub agency: String,
    pub basis: Option<String>,
    pub planned: Option<NaiveDate>,
    pub status: DecisionStatus,
    pub consultation: Option<Consultation>,
    pub hearing: Option<DatedNote>,
    pub expert_review: Option<DatedNote>,
    pub risk_assessment: Option<RiskAssessment>,
    pub legality_review: Option<LegalityReview>,
    pub collective_decision: Option<CollectiveDecision>,
    pub publication: Option<Publication>,
    pub evaluation: Option<DatedNote>,
}

// ---------------------------------------------------------------------------------------------
// Disclosure-catalog documents

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocStatus {
    Effective,
    Expired,
    Repealed,
    Amended,
}

impl DocStatus {
    pub fn label(self) -> &'static str {
        match self {
            DocStatus::Effective => "有效",
            DocStatus::Expired => "失效",
            DocStatus::Repealed => "废止",
            DocStatus::Amended => "已修订",
        }
    }
}

#[derive(Debug, Clone, Hash, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Attachment {
    pub title: String,
    pub file: String,
}

/// One slug or a list of them, as an officer may write either.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Slugs {
    One(String),
    Many(Vec<String>),
}

impl Slugs {
    /// Each slug, trimmed, with the path of its value in the file (`interprets` for one,
    /// `interprets.1` for the second of a list), under `key`.
    pub fn each(&self, key: &str) -> Vec<(String, String)> {
        match self {
            Slugs::One(s) => vec![(s.trim().to_string(), key.to_string())],
            Slugs::Many(v) => v
                .iter()
                .enumerate()
                .map(|(i, s)| (s.trim().to_string(), format!("{key}.{i}")))
                .collect(),
        }
    }
}

/// The forms of a policy interpretation (政策解读) the national website rules name.
pub const INTERPRETATION_FORMS: [&str; 5] =
    ["文字解读", "图文解读", "视频解读", "新闻发布会", "专家解读"];

#[derive(Debug, Clone, Hash, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Document {
    pub title: String,
    pub agency: String,
    pub index_no: String,
    #[serde(default)]
    pub categories: Vec<String>,
    pub doc_number: Option<String>,
    pub written: NaiveDate,
    pub published: NaiveDate,
    #[serde(default)]
    pub normative: bool,
    pub registration_no: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub status: Option<DocStatus>,
    /// 长期有效: a normative document in force until it is repealed, with no default period.
    #[serde(default)]
    pub long_term: bool,
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
    /// 政策解读: the documents this one explains, by slug; they link back to it.
    pub interprets: Option<Slugs>,
    /// The form of an interpretation (文字解读, 图文解读 …), one of [`INTERPRETATION_FORMS`].
    pub interpretation: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// 内容概述: the catalogue summary required by Regulation Art. 12 (optional here).
    pub summary: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Annual reports

/// A table cell: `None` where the published report left it blank (counted as 0, shown blank).
pub type Cell = Option<i64>;
pub type Row = Vec<Cell>;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default, schemars::JsonSchema,
)]
pub enum ReportFormat {
    #[default]
    #[serde(rename = "2021")]
    F2021,
    #[serde(rename = "2019-trial")]
    Trial2019,
    #[serde(rename = "free")]
    Free,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Report {
    #[serde(default)]
    pub format: ReportFormat,
    pub published: Option<NaiveDate>,
    pub overview: Option<String>,
    /// Section 2. Its shape differs between formats, so it is kept as YAML and read by the
    /// report renderer for the format at hand.
    #[schemars(with = "Option<serde_json::Value>")]
    pub proactive: Option<serde_yaml::Value>,
    /// Section 3; `applications: register` reads as a table counted from the request register.
    #[serde(default, deserialize_with = "requests::applications_or_register")]
    pub applications: Option<Applications>,
    pub reviews_and_litigation: Option<ReviewsAndLitigation>,
    pub problems: Option<String>,
    pub other: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Applications {
    pub new: Row,
    pub carried_over: Row,
    pub results: Results,
    pub carried_forward: Row,
    /// Counted from the request register (`applications: register`), not written.
    #[serde(skip)]
    pub from_register: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Results {
    pub disclosed: Row,
    pub partially_disclosed: Row,
    pub withheld: BTreeMap<String, Row>,
    pub unable: BTreeMap<String, Row>,
    pub not_processed: BTreeMap<String, Row>,
    pub other: OtherOutcome,
    pub total: Row,
}

/// （六）其他处理: three rows in the 2021 format, one row in the 2019 trial format.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OtherOutcome {
    Single(Row),
    Split(BTreeMap<String, Row>),
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ReviewsAndLitigation {
    pub review: Row,
    pub litigation_direct: Row,
    pub litigation_after_review: Row,
}

// ---------------------------------------------------------------------------------------------
// Working-day calendars

/// One year's calendar file, as written in `calendar/<year>.yaml`.
///
/// ```yaml
/// holidays:
///   - {name: 春节, from: 2025-01-28, to: 2025-02-04}
/// workdays: [2025-01-26, 2025-02-08]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    /// Blocks of days off (statutory holidays plus the weekdays turned into days off).
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Weekend days that are working days (调休上班).
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

impl CalendarYear {
    /// Parses a calendar file.
    pub fn from_yaml(text: &str) -> Result<CalendarYear, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }
}

/// A block of consecutive days off, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

// ---------------------------------------------------------------------------------------------
// The whole portal

#[derive(Debug, Default, Clone)]
pub struct Portal {
    pub config: SiteConfig,
    pub home: Option<Record<Page>>,
    pub pages: Vec<Record<Page>>,
    pub agencies: Vec<Record<Agency>>,
    pub power: Vec<Record<PowerItem>>,
    pub services: Vec<Record<ServiceItem>>,
    pub decisions: Vec<Record<Decision>>,
    pub documents: Vec<Record<Document>>,
    pub reports: Vec<Record<Report>>,
    pub calendars: Vec<Record<CalendarYear>>,
    /// Files under content/static/, relative to it, with `/` separators.
    pub static_files: Vec<String>,
    /// The lookups over the records above; [`Portal::reindex`] builds them once the records
    /// are all there (the loader does).
    pub lookup: index::Lookup,
}

impl Portal {
    /// Builds the lookups over the records, which every stage after loading reads.
    pub fn reindex(&mut self) {
        self.lookup = index::Lookup::new(self);
    }

    pub fn agency(&self, slug: &str) -> Option<&Record<Agency>> {
        debug_assert!(
            self.agencies.is_empty() || !self.lookup.agency.is_empty(),
            "Portal::reindex was not called after the records were added"
        );
        self.lookup.agency.get(slug).map(|&i| &self.agencies[i])
    }

    pub fn document(&self, slug: &str) -> Option<&Record<Document>> {
        self.lookup.document.get(slug).map(|&i| &self.documents[i])
    }

    pub fn power_item(&self, code: &str) -> Option<&Record<PowerItem>> {
        self.lookup.power.get(code).map(|&i| &self.power[i])
    }

    /// The documents `interprets` names, by slug (those that exist), in the order written.
    pub fn interpreted(&self, doc: &Document) -> Vec<usize> {
        doc.interprets
            .iter()
            .flat_map(|s| s.each("interprets"))
            .filter_map(|(slug, _)| self.lookup.document.get(&slug).copied())
            .collect()
    }

    /// The number of records of `kind` (pages include the home page).
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Page => self.pages.len() + usize::from(self.home.is_some()),
            Kind::Agency => self.agencies.len(),
            Kind::Power => self.power.len(),
            Kind::Service => self.services.len(),
            Kind::Decision => self.decisions.len(),
            Kind::Document => self.documents.len(),
            Kind::Report => self.reports.len(),
            Kind::Calendar => self.calendars.len(),
        }
    }

    pub fn record_count(&self) -> usize {
        self.pages.len()
            + self.agencies.len()
            + self.power.len()
            + self.services.len()
            + self.decisions.len()
            + self.documents.len()
            + self.reports.len()
    }
}

/// Portals for unit tests: documents written as front matter.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::PathBuf;

    use super::{Document, Meta, Portal, Record};

    /// A document of the folder year of its `published`, from its front matter.
    pub(crate) fn doc(slug: &str, yaml: &str) -> Record<Document> {
        let data: Document = serde_yaml::from_str(yaml).unwrap();
        let year = chrono::Datelike::year(&data.published);
        Record {
            meta: Meta {
                slug: slug.into(),
                path: PathBuf::from(format!("content/documents/{year}/{slug}.md")),
                year: Some(year),
                folder_agency: None,
                body_start: None,
                damaged: Vec::new(),
                source_hash: 0,
            },
            data,
        }
    }

    /// A portal of `documents`, with its lookups.
    pub(crate) fn portal(documents: Vec<Record<Document>>) -> Portal {
        let mut p = Portal {
            documents,
            ..Portal::default()
        };
        p.reindex();
        p
    }
}
