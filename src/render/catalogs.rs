//! Every catalog as data: the power list, the service items, the decisions, the documents, the
//! agencies and the annual reports, each as CSV (UTF-8 with BOM and Chinese headers, so Excel
//! and WPS open it right) and JSON (the content files' own keys, with the record's URL, its
//! agency and its dates), for the whole portal and for each agency (`urls::catalog`).
//!
//! The JSON of one record ([`Entry`]) is the same in every download, so a script written
//! against the portal's file reads an agency's too.

use crate::render::output::Output;
use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::derive::dates::{self, RecordDates};
use crate::derive::deadlines::Timeliness;
use crate::diagnostics::{codes, Diagnostic};
use crate::fingerprint::Fingerprint;
use crate::model::urls;
use crate::model::*;

use crate::derive::Derived;

use super::context::Ctx;
use super::export::BOM;
use super::kept_rows;

/// One record in a JSON download: what it is (`record_type`: an agency's file has a `kind`
/// of its own) and where, then the keys of its content file
/// (docs/content-format.md), then what the build worked out of it for the day.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Entry<'a, T: Serialize> {
    /// `power`, `service`, `decision`, `document`, `agency` or `report`.
    pub record_type: &'static str,
    /// The file name without its extension (an agency's code for reports).
    pub slug: &'a str,
    /// The record's page, absolute.
    pub url: String,
    /// The year folder of a decision, document or report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The agency's code, where the file's own keys do not name it (power and service items
    /// by their folder, reports by their file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<&'a str>,
    /// The agency's full name, for reading without a second download.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_name: Option<&'a str>,
    /// When it was first published, where the file tells.
    pub first_published: Option<NaiveDate>,
    /// When it last changed (a logged change, a stage, expiry, repeal), where the file tells.
    pub last_changed: Option<NaiveDate>,
    #[serde(flatten)]
    pub data: &'a T,
    /// A document's status as of the build day (expiry worked out from its dates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_status: Option<DocStatus>,
    /// A normative document's last valid day, given or worked out by the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<NaiveDate>,
    /// Whether a document is a policy interpretation (政策解读: it has `interprets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_interpretation: Option<bool>,
    /// Whether a decision's draft is open for comment on the build day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consultation_open: Option<bool>,
    /// A report's due date, under the site's rule or the agency's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// A report's timeliness as of the build day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeliness: Option<Timeliness>,
}

impl<'a, T: Serialize> Entry<'a, T> {
    fn new(kind: Kind, meta: &'a Meta, base: &str, data: &'a T, when: RecordDates) -> Self {
        Entry {
            record_type: kind.name(),
            slug: &meta.slug,
            url: format!("{base}{}", page_url(kind, meta)),
            year: meta.year,
            agency: None,
            agency_name: None,
            first_published: when.first_published,
            last_changed: when.last_changed,
            data,
            effective_status: None,
            effective_until: None,
            is_interpretation: None,
            consultation_open: None,
            due: None,
            timeliness: None,
        }
    }
}

fn page_url(kind: Kind, meta: &Meta) -> String {
    match kind {
        Kind::Agency => urls::agency(&meta.slug),
        _ => urls::record(kind, meta),
    }
}

/// Entries of different record types through one closure.
mod erased {
    pub trait Json {
        fn bytes(&self, pretty: bool) -> Result<Vec<u8>, serde_json::Error>;
    }

    impl<T: serde::Serialize> Json for T {
        fn bytes(&self, pretty: bool) -> Result<Vec<u8>, serde_json::Error> {
            if pretty {
                serde_json::to_vec_pretty(self)
            } else {
                serde_json::to_vec(self)
            }
        }
    }
}

/// The kinds that have a catalog to download, in the order the data page lists them.
pub const CATALOG_KINDS: [Kind; 6] = [
    Kind::Document,
    Kind::Power,
    Kind::Service,
    Kind::Decision,
    Kind::Report,
    Kind::Agency,
];

/// The kinds one agency publishes, each downloadable for that agency alone.
pub const AGENCY_KINDS: [Kind; 5] = [
    Kind::Document,
    Kind::Power,
    Kind::Service,
    Kind::Decision,
    Kind::Report,
];

// ---------------------------------------------------------------------------------------------
// The CSV columns, in Chinese: the first row of every file.

pub const POWER_HEADER: [&str; 14] = [
    "事项编码",
    "事项名称",
    "事项类别",
    "实施机关代号",
    "实施机关",
    "实施主体",
    "子项",
    "设定依据",
    "状态",
    "施行日期",
    "复核日期",
    "首次公布日期",
    "最近调整日期",
    "链接",
];

pub const SERVICE_HEADER: [&str; 17] = [
    "事项编码",
    "事项名称",
    "事项类型",
    "实施机关代号",
    "实施机关",
    "对应权责事项编码",
    "设定依据",
    "法定办结时限（工作日）",
    "承诺办结时限（工作日）",
    "是否收费",
    "网办深度",
    "咨询电话",
    "监督投诉电话",
    "网上办理地址",
    "状态",
    "最近调整日期",
    "链接",
];

pub const DECISION_HEADER: [&str; 13] = [
    "年度",
    "决策事项",
    "决策机关代号",
    "决策机关",
    "决策依据",
    "计划完成时间",
    "状态",
    "征求意见开始",
    "征求意见截止",
    "集体讨论决定日期",
    "公布日期",
    "最近进展日期",
    "链接",
];

pub const DOCUMENT_HEADER: [&str; 14] = [
    "索引号",
    "标题",
    "发文机关",
    "发文字号",
    "成文日期",
    "发布日期",
    "规范性文件",
    "有效性",
    "分类",
    "链接",
    "发文机关代号",
    "有效期至",
    "最近变化日期",
    "内容概述",
];

pub const AGENCY_HEADER: [&str; 13] = [
    "机关代号",
    "机关名称",
    "简称",
    "机构类型",
    "统一社会信用代码",
    "上级机关代号",
    "办公地址",
    "邮政编码",
    "联系电话",
    "电子邮箱",
    "办公时间",
    "网站",
    "链接",
];

pub const REPORT_HEADER: [&str; 10] = [
    "年度",
    "机关代号",
    "机关",
    "报告格式",
    "发布日期",
    "应发布日期",
    "按时发布",
    "逾期天数",
    "链接",
    "报告数据（CSV）",
];

/// The header of a kind's CSV download.
pub fn csv_header(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Power => &POWER_HEADER,
        Kind::Service => &SERVICE_HEADER,
        Kind::Decision => &DECISION_HEADER,
        Kind::Document => &DOCUMENT_HEADER,
        Kind::Agency => &AGENCY_HEADER,
        Kind::Report => &REPORT_HEADER,
        Kind::Page | Kind::Calendar => &[],
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// Several values in one cell: a full-width semicolon, which no title or law uses.
fn joined<'a>(v: impl IntoIterator<Item = &'a str>) -> String {
    v.into_iter().collect::<Vec<_>>().join("；")
}

fn laws(basis: &[LegalBasis]) -> String {
    joined(basis.iter().map(|b| b.law.as_str()))
}

// ---------------------------------------------------------------------------------------------

/// A record's CSV row and its JSON entry.
type Row = (Vec<String>, Vec<u8>);

/// A record in the catalog files: its CSV line and its JSON entry, made by this build or
/// taken as the last one wrote them (`kept_rows`).
type Written<'k> = (Cow<'k, [u8]>, Cow<'k, [u8]>);

/// What the data of records is made of: the portal and what derive computed for the day.
/// Rendering uses it for the downloads; `gongkai export` for its lines.
#[derive(Clone, Copy)]
pub struct Data<'a> {
    pub portal: &'a Portal,
    pub derived: &'a Derived,
}

impl<'a> Data<'a> {
    fn agency_name(&self, slug: &str) -> Option<&'a str> {
        self.portal.agency(slug).map(|a| a.data.name.as_str())
    }

    /// Every record of `kind`, by position: its CSV line and JSON entry, the entry also
    /// written beside its page (`<page>index.json`) under `out`, with its key
    /// ([`Data::key`]; 0 for a kind whose entries are not kept). A record whose key the last
    /// build wrote is taken as it wrote it (`kept_rows`).
    fn rows<'k>(
        &self,
        kind: Kind,
        out: &Output<'k>,
    ) -> Result<Vec<(Written<'k>, u64)>, Diagnostic> {
        let keyed = kept_rows::KEPT_KINDS.contains(&kind);
        let kept = out.kept_rows().filter(|_| keyed);
        (0..self.portal.count(kind))
            .into_par_iter()
            .map(|i| {
                let key = if keyed { self.key(kind, i) } else { 0 };
                let page = page_url(kind, self.meta(kind, i));
                let json_file = urls::file_for(&urls::record_json(&page));
                if let Some((line, entry)) = kept.and_then(|k| k.get(kind, key)) {
                    #[cfg(debug_assertions)]
                    self.assert_kept_as_made(kind, i, line, entry);
                    out.write(&json_file, entry)?;
                    return Ok(((Cow::Borrowed(line), Cow::Borrowed(entry)), key));
                }
                let (row, entry) = self
                    .row(kind, i, true)
                    .map_err(|e| write_error(kind.folder(), e))?;
                out.write(&json_file, &entry)?;
                let line = csv_line(&row).map_err(|e| write_error(kind.folder(), e))?;
                Ok(((Cow::Owned(line), Cow::Owned(entry)), key))
            })
            .collect()
    }

    /// What the CSV line and JSON entry of record `i` of `kind` (one of
    /// `kept_rows::KEPT_KINDS`) are made of ([`Data::row`]).
    fn key(&self, kind: Kind, i: usize) -> u64 {
        match kind {
            Kind::Document => self.document_key(i),
            Kind::Power => {
                let r = &self.portal.power[i];
                let when = dates::item_dates(&r.data.changes, r.data.effective, self.derived.today);
                self.item_key("power row", &r.meta, when)
            }
            Kind::Service => {
                let r = &self.portal.services[i];
                let when = dates::item_dates(&r.data.changes, None, self.derived.today);
                self.item_key("service row", &r.meta, when)
            }
            _ => 0,
        }
    }

    /// A power or service item's: the record, by its meta, which holds the hash of the text
    /// it was read from whole (`Meta::source_hash`), its dates as of the build day, the name
    /// of the agency whose folder it is in, and the site's address.
    fn item_key(&self, what: &str, meta: &Meta, when: RecordDates) -> u64 {
        let agency = meta.folder_agency.as_deref().unwrap_or_default();
        Fingerprint::new(what)
            .add_hashed(meta)
            .add_hashed(&(when.first_published, when.last_changed))
            .add_hashed(&self.agency_name(agency))
            .add_str(self.portal.config.base())
            .finish()
    }

    /// What document `i`'s CSV line and JSON entry are made of: the record (by its meta, as
    /// in [`Data::item_key`]), its validity, its dates as of the build day (which read the
    /// document that replaced it), its agency's name and the site's address.
    fn document_key(&self, i: usize) -> u64 {
        let p = self.portal;
        let r = &p.documents[i];
        let v = &self.derived.validity[i];
        let when = dates::document_dates(p, &r.data, v, self.derived.today);
        Fingerprint::new("document row")
            .add_hashed(&r.meta)
            .add_hashed(v)
            .add_hashed(&(when.first_published, when.last_changed))
            .add_hashed(&self.agency_name(&r.data.agency))
            .add_str(p.config.base())
            .finish()
    }

    /// A record's line and entry taken from the last build must be what making them now
    /// gives: debug builds, which the tests run, make them again and compare, so a value
    /// they show and [`Data::key`] misses fails the tests.
    #[cfg(debug_assertions)]
    fn assert_kept_as_made(&self, kind: Kind, i: usize, line: &[u8], entry: &[u8]) {
        let (row, made) = self.row(kind, i, true).expect("a kept row is made");
        let made_line = csv_line(&row).expect("a kept row is made");
        assert!(
            made == entry && made_line == line,
            "the catalog entry of {} was taken from the last build, but making it now gives \
             other bytes: its key misses something the entry shows",
            self.meta(kind, i).path.display()
        );
    }

    pub fn meta(&self, kind: Kind, i: usize) -> &'a Meta {
        let p = self.portal;
        match kind {
            Kind::Power => &p.power[i].meta,
            Kind::Service => &p.services[i].meta,
            Kind::Decision => &p.decisions[i].meta,
            Kind::Document => &p.documents[i].meta,
            Kind::Agency => &p.agencies[i].meta,
            Kind::Report => &p.reports[i].meta,
            Kind::Page => &p.pages[i].meta,
            Kind::Calendar => &p.calendars[i].meta,
        }
    }

    /// Record `i` of `kind`: its CSV row and its JSON entry (indented when `pretty`).
    pub fn row(&self, kind: Kind, i: usize, pretty: bool) -> Result<Row, serde_json::Error> {
        let json = |e: &dyn erased::Json| e.bytes(pretty);
        let p = self.portal;
        let base = p.config.base();
        let today = self.derived.today;
        Ok(match kind {
            Kind::Power => {
                let r = &p.power[i];
                let d = &r.data;
                let agency = r.meta.folder_agency.as_deref().unwrap_or_default();
                let when = dates::item_dates(&d.changes, d.effective, today);
                let mut e = Entry::new(kind, &r.meta, base, d, when);
                e.agency = Some(agency);
                e.agency_name = self.agency_name(agency);
                let row = vec![
                    d.code.clone(),
                    d.name.clone(),
                    d.category.clone(),
                    agency.to_string(),
                    opt(e.agency_name),
                    text(&d.implementing_body),
                    joined(d.sub_items.iter().map(|s| s.name.as_str())),
                    laws(&d.legal_basis),
                    d.status.label().to_string(),
                    opt(d.effective),
                    opt(d.reviewed),
                    opt(when.first_published),
                    opt(when.last_changed),
                    e.url.clone(),
                ];
                (row, json(&e)?)
            }
            Kind::Service => {
                let r = &p.services[i];
                let d = &r.data;
                let agency = r.meta.folder_agency.as_deref().unwrap_or_default();
                let when = dates::item_dates(&d.changes, None, today);
                let mut e = Entry::new(kind, &r.meta, base, d, when);
                e.agency = Some(agency);
                e.agency_name = self.agency_name(agency);
                let charged = match &d.fees {
                    Some(Fees::Free { free }) => if *free { "否" } else { "是" }.to_string(),
                    Some(Fees::List(list)) => if list.is_empty() { "否" } else { "是" }.to_string(),
                    None => String::new(),
                };
                let row = vec![
                    d.code.clone(),
                    d.name.clone(),
                    d.kind.clone(),
                    agency.to_string(),
                    opt(e.agency_name),
                    text(&d.power_item),
                    laws(&d.legal_basis),
                    d.time_limit.statutory_days.to_string(),
                    d.time_limit.promised_days.to_string(),
                    charged,
                    opt(d.online_level),
                    text(&d.consult_phone),
                    text(&d.complaint_phone),
                    text(&d.online_url),
                    d.status.label().to_string(),
                    opt(when.last_changed),
                    e.url.clone(),
                ];
                (row, json(&e)?)
            }
            Kind::Decision => {
                let r = &p.decisions[i];
                let d = &r.data;
                let state = &self.derived.decisions[i];
                let when = dates::decision_dates(state, today);
                let mut e = Entry::new(kind, &r.meta, base, d, when);
                e.agency_name = self.agency_name(&d.agency);
                e.consultation_open = Some(state.consultation_open);
                let row = vec![
                    opt(r.meta.year),
                    d.title.clone(),
                    d.agency.clone(),
                    opt(e.agency_name),
                    text(&d.basis),
                    opt(d.planned),
                    d.status.label().to_string(),
                    opt(d.consultation.as_ref().map(|c| c.start)),
                    opt(d.consultation.as_ref().map(|c| c.end)),
                    opt(d.collective_decision.as_ref().map(|c| c.date)),
                    opt(d.publication.as_ref().map(|c| c.date)),
                    opt(when.last_changed),
                    e.url.clone(),
                ];
                (row, json(&e)?)
            }
            Kind::Document => {
                let r = &p.documents[i];
                let d = &r.data;
                let v = &self.derived.validity[i];
                let when = dates::document_dates(p, d, v, today);
                let mut e = Entry::new(kind, &r.meta, base, d, when);
                e.agency_name = self.agency_name(&d.agency);
                e.effective_status = Some(v.status);
                e.effective_until = v.valid_until;
                e.is_interpretation = Some(d.interprets.is_some());
                let row = vec![
                    d.index_no.clone(),
                    d.title.clone(),
                    e.agency_name.unwrap_or(&d.agency).to_string(),
                    text(&d.doc_number),
                    d.written.to_string(),
                    d.published.to_string(),
                    if d.normative { "是" } else { "否" }.to_string(),
                    v.status.label().to_string(),
                    d.categories.join(";"),
                    e.url.clone(),
                    d.agency.clone(),
                    opt(v.valid_until),
                    opt(when.last_changed),
                    text(&d.summary),
                ];
                (row, json(&e)?)
            }
            Kind::Agency => {
                let r = &p.agencies[i];
                let d = &r.data;
                let e = Entry::new(kind, &r.meta, base, d, RecordDates::default());
                let row = vec![
                    r.meta.slug.clone(),
                    d.name.clone(),
                    text(&d.short_name),
                    match d.kind {
                        AgencyKind::Government => "人民政府",
                        AgencyKind::Department => "政府部门",
                    }
                    .to_string(),
                    d.credit_code.clone(),
                    text(&d.parent),
                    text(&d.address),
                    text(&d.postcode),
                    text(&d.phone),
                    text(&d.email),
                    text(&d.office_hours),
                    text(&d.website),
                    e.url.clone(),
                ];
                (row, json(&e)?)
            }
            Kind::Report => {
                let r = &p.reports[i];
                let d = &r.data;
                let agency = r.meta.folder_agency.as_deref().unwrap_or_default();
                let due = self.derived.reports.due[i];
                let mut e = Entry::new(kind, &r.meta, base, d, dates::report_dates(d));
                e.agency = Some(agency);
                e.agency_name = self.agency_name(agency);
                e.due = Some(due.due);
                e.timeliness = Some(due.timeliness);
                let (on_time, late) = match due.timeliness {
                    Timeliness::OnTime { .. } => ("按时", None),
                    Timeliness::Late { days, .. } => ("逾期", Some(days)),
                    Timeliness::Missing { overdue_days } => ("未发布", Some(overdue_days)),
                    Timeliness::NotYetDue { .. } => ("未到期", None),
                    Timeliness::Undated => ("未注明发布日期", None),
                };
                let row = vec![
                    opt(r.meta.year),
                    agency.to_string(),
                    opt(e.agency_name),
                    match d.format {
                        ReportFormat::F2021 => "2021年版",
                        ReportFormat::Trial2019 => "2019年试行版",
                        ReportFormat::Free => "自由格式",
                    }
                    .to_string(),
                    opt(d.published),
                    due.due.to_string(),
                    on_time.to_string(),
                    opt(late),
                    e.url.clone(),
                    if d.format == ReportFormat::Free {
                        String::new()
                    } else {
                        format!("{}report.csv", e.url)
                    },
                ];
                (row, json(&e)?)
            }
            Kind::Page | Kind::Calendar => (Vec::new(), Vec::new()),
        })
    }

    /// The records of `kind` of each agency that has any.
    fn by_agency(&self, kind: Kind) -> Vec<(&str, Vec<usize>)> {
        let ix = &self.portal.lookup;
        let groups: &BTreeMap<String, Vec<usize>> = match kind {
            Kind::Power => &ix.power_by_agency,
            Kind::Service => &ix.services_by_agency,
            Kind::Decision => &ix.decisions_by_agency,
            Kind::Document => &ix.documents_by_agency,
            Kind::Report => &ix.reports_by_agency,
            _ => return Vec::new(),
        };
        self.portal
            .agencies
            .iter()
            .map(|a| {
                let slug = a.meta.slug.as_str();
                let mut idx = groups.get(slug).cloned().unwrap_or_default();
                idx.sort_unstable();
                (slug, idx)
            })
            .collect()
    }
}

/// A file of the site's data that could not be made or written.
pub(crate) fn write_error(path: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        codes::WRITE_FAILED,
        path,
        crate::zh_en!(
            format!("无法写入 {path}：{e}"),
            format!("cannot write {path}: {e}")
        ),
    )
}

/// One record's CSV line, as [`csv_bytes`] writes it.
fn csv_line(row: &[String]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 10)
        .from_writer(Vec::new());
    w.write_record(row)?;
    w.into_inner().map_err(|e| e.into_error().into())
}

/// A CSV file's bytes: BOM, the header, the rows.
pub fn csv_bytes(header: &[&str], rows: &[&Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    w.write_record(header)?;
    for r in rows {
        w.write_record(*r)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Writes every catalog's CSV and JSON, for the portal and for each agency (every agency
/// has every file, empty ones with their header only, so their URLs can be guessed). Returns
/// the number of files, and what the next build can take of them (`kept_rows`).
pub(super) fn write_catalogs(
    cx: &Ctx,
    out: &Output,
) -> Result<(usize, Vec<kept_rows::Made>), Diagnostic> {
    let cx = Data {
        portal: cx.portal,
        derived: cx.derived,
    };
    let written: Vec<(usize, Option<kept_rows::Made>)> = CATALOG_KINDS
        .par_iter()
        .map(|&kind| {
            // Each record is made once; the agencies' files are cut from the portal's, and
            // every file is written from the records' lines as they are, never joined.
            let rows = cx.rows(kind, out)?;
            let all: Vec<usize> = (0..rows.len()).collect();
            let mut files = vec![(None, all)];
            files.extend(
                cx.by_agency(kind)
                    .into_iter()
                    .map(|(a, idx)| (Some(a), idx)),
            );
            let header =
                csv_bytes(csv_header(kind), &[]).map_err(|e| write_error(kind.folder(), e))?;
            let made = files
                .par_iter()
                .map(|(agency, idx)| {
                    let csv_path = urls::file_for(&urls::catalog(kind, *agency, "csv"));
                    let json_path = urls::file_for(&urls::catalog(kind, *agency, "json"));
                    let mut csv: Vec<&[u8]> = Vec::with_capacity(idx.len() + 1);
                    csv.push(&header);
                    csv.extend(idx.iter().map(|&i| &*rows[i].0 .0));
                    let json = json_parts(idx.iter().map(|&i| &*rows[i].0 .1));
                    // The portal's catalogs are the largest files a build writes (tens of MB
                    // each at 100,000 records): its two are hashed and written at once.
                    let (csv_fp, json_fp) = rayon::join(
                        || out.write_parts(&csv_path, &csv),
                        || out.write_parts(&json_path, &json),
                    );
                    let (csv_fp, json_fp) = (csv_fp?, json_fp?);
                    let kept = kept_rows::KEPT_KINDS.contains(&kind) && agency.is_none();
                    Ok(kept.then(|| {
                        let keys = rows.iter().map(|r| r.1).collect();
                        kept_rows::Made::new(kind, keys, (&json, json_fp), (&csv, csv_fp))
                    }))
                })
                .collect::<Result<Vec<_>, Diagnostic>>()?;
            Ok((
                files.len() * 2 + rows.len(),
                made.into_iter().flatten().next(),
            ))
        })
        .collect::<Result<_, Diagnostic>>()?;
    let files = written.iter().map(|w| w.0).sum();
    Ok((files, written.into_iter().filter_map(|w| w.1).collect()))
}

/// A JSON array of entries already written, as the parts of its bytes.
fn json_parts<'b>(entries: impl Iterator<Item = &'b [u8]>) -> Vec<&'b [u8]> {
    let mut parts: Vec<&[u8]> = vec![b"["];
    for (n, entry) in entries.enumerate() {
        parts.push(if n == 0 { b"\n" } else { b",\n" });
        parts.push(entry);
    }
    parts.push(b"\n]\n");
    parts
}

/// What each kind's schema is called, in Chinese, with the file it is published as.
fn schema_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Power => "权责清单事项",
        Kind::Service => "政务服务事项",
        Kind::Decision => "重大行政决策事项",
        Kind::Document => "政府信息公开目录文件",
        Kind::Agency => "机关",
        Kind::Report => "政府信息公开工作年度报告",
        Kind::Page | Kind::Calendar => "",
    }
}

/// The JSON Schema (draft 2020-12) of one entry of `kind`'s downloads and of its records'
/// `index.json`, generated from the very types they are written from ([`Entry`] and the
/// model's record types), so the two cannot drift apart. `None` for kinds without data.
pub fn schema(kind: Kind, base: &str) -> Option<serde_json::Value> {
    let schema = match kind {
        Kind::Power => schemars::schema_for!(Entry<'static, PowerItem>),
        Kind::Service => schemars::schema_for!(Entry<'static, ServiceItem>),
        Kind::Decision => schemars::schema_for!(Entry<'static, Decision>),
        Kind::Document => schemars::schema_for!(Entry<'static, Document>),
        Kind::Agency => schemars::schema_for!(Entry<'static, Agency>),
        Kind::Report => schemars::schema_for!(Entry<'static, Report>),
        Kind::Page | Kind::Calendar => return None,
    };
    let mut v = schema.to_value();
    if let Some(map) = v.as_object_mut() {
        map.insert(
            "$id".into(),
            format!("{base}{}", urls::schema(kind.name())).into(),
        );
        map.insert("title".into(), schema_title(kind).into());
        map.insert(
            "description".into(),
            format!(
                "{}的一条数据：目录下载（CSV 之外的 JSON）中的一项，也是每条记录页面旁 index.json 的内容。键名同 gongkai 的内容文件格式。",
                schema_title(kind)
            )
            .into(),
        );
    }
    Some(v)
}

/// Writes every kind's schema under `/schemas/`. Returns the number of files.
pub(super) fn write_schemas(cx: &Ctx, out: &Output) -> Result<usize, Diagnostic> {
    let base = cx.portal.config.base();
    let mut n = 0;
    for kind in CATALOG_KINDS {
        if let Some(schema) = schema(kind, base) {
            let file = urls::file_for(&urls::schema(kind.name()));
            let bytes = serde_json::to_vec_pretty(&schema).map_err(|e| write_error(&file, e))?;
            out.write(&file, &bytes)?;
            n += 1;
        }
    }
    Ok(n)
}

/// The links to a catalog's downloads, for its page: the portal's, or one agency's.
#[derive(Debug, Clone, Serialize)]
pub struct Downloads {
    pub csv: String,
    pub json: String,
    /// The catalog's Atom feed; an agency has one feed of everything it publishes, which its
    /// own page links.
    pub feed: Option<String>,
}

pub fn downloads(kind: Kind, agency: Option<&str>) -> Downloads {
    Downloads {
        csv: urls::catalog(kind, agency, "csv"),
        json: urls::catalog(kind, agency, "json"),
        feed: (agency.is_none() && super::feeds::FEED_KINDS.contains(&kind))
            .then(|| urls::feed(kind)),
    }
}
