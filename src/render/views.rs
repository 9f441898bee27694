//! View models: what templates see of each record. Plain serialisable data built from the model,
//! with every label already in Chinese and every URL already computed, so templates stay dumb.

use chrono::NaiveDate;
use serde::Serialize;

use crate::derive::decisions::{self, DecisionState, StageKind};
use crate::derive::Validity;
use crate::model::urls;
use crate::model::*;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct AgencyRef {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub url: String,
}

/// What every view looks up: agencies, documents and power items by slug or code, through
/// the portal's own lookups ([`Portal::lookup`]).
pub struct Index<'a> {
    portal: &'a Portal,
}

impl<'a> Index<'a> {
    pub fn new(portal: &'a Portal) -> Self {
        Index { portal }
    }

    pub fn agency(&self, slug: &str) -> AgencyRef {
        match self.portal.agency(slug) {
            Some(a) => AgencyRef {
                slug: a.meta.slug.clone(),
                name: a.data.name.clone(),
                short_name: a
                    .data
                    .short_name
                    .clone()
                    .unwrap_or_else(|| a.data.name.clone()),
                url: urls::agency(&a.meta.slug),
            },
            None => AgencyRef {
                slug: slug.to_string(),
                name: slug.to_string(),
                short_name: slug.to_string(),
                url: urls::agency(slug),
            },
        }
    }

    pub fn document(&self, slug: &str) -> Option<&'a Record<Document>> {
        self.portal.document(slug)
    }

    /// The interpretations (政策解读) of document `slug`, earliest first.
    pub fn interpretations_of(&self, slug: &str) -> Vec<&'a Record<Document>> {
        let p = self.portal;
        p.lookup
            .document
            .get(slug)
            .and_then(|i| p.lookup.interpretations.get(i))
            .map(|list| list.iter().map(|&j| &p.documents[j]).collect())
            .unwrap_or_default()
    }

    pub fn document_by_number(&self, number: &str) -> Option<&'a Record<Document>> {
        let i = *self.portal.lookup.document_by_number.get(number)?;
        Some(&self.portal.documents[i])
    }

    /// Categories with their pages (a category the portal does not list has none).
    pub fn category_links(&self, categories: &[String]) -> Vec<Link> {
        let slugs = &self.portal.lookup.category_slug;
        categories
            .iter()
            .map(|c| Link {
                title: c.clone(),
                url: slugs
                    .get(c)
                    .map(|s| urls::document_category(s))
                    .unwrap_or_default(),
            })
            .collect()
    }

    pub fn power_item(&self, code: &str) -> Option<&'a Record<PowerItem>> {
        self.portal.power_item(code)
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct DocItem {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub agency: AgencyRef,
    pub index_no: String,
    pub doc_number: String,
    pub written: String,
    pub published: String,
    pub year: i32,
    pub normative: bool,
    pub status: String,
    pub status_class: String,
    pub categories: Vec<String>,
    /// An interpretation (政策解读): it explains another document of the catalog.
    pub is_interpretation: bool,
    /// Each category with its page, in the file's order.
    pub category_links: Vec<Link>,
}

pub fn doc_item(r: &Record<Document>, ix: &Index, v: &Validity) -> DocItem {
    let d = &r.data;
    DocItem {
        slug: r.meta.slug.clone(),
        url: urls::record(Kind::Document, &r.meta),
        title: d.title.clone(),
        agency: ix.agency(&d.agency),
        index_no: d.index_no.clone(),
        doc_number: d.doc_number.clone().unwrap_or_default(),
        written: d.written.to_string(),
        published: d.published.to_string(),
        year: r.meta.year.unwrap_or(0),
        normative: d.normative,
        status: v.status.label().to_string(),
        status_class: format!("{:?}", v.status).to_lowercase(),
        categories: d.categories.clone(),
        is_interpretation: d.interprets.is_some(),
        category_links: ix.category_links(&d.categories),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    #[serde(flatten)]
    pub item: DocItem,
    pub registration_no: String,
    pub valid_from: String,
    pub valid_until: String,
    /// 长期有效: in force until repealed (shown in place of an end date).
    pub long_term: bool,
    pub replaces: Option<Link>,
    pub replaced_by: Option<Link>,
    /// The documents this interpretation explains, and its form (文字解读 …).
    pub interprets: Vec<Link>,
    pub interpretation: String,
    /// The interpretations that explain this document, with their forms.
    pub interpretations: Vec<InterpretationLink>,
    pub attachments: Vec<Link>,
    pub summary: String,
    pub body_html: String,
}

pub fn doc_view(r: &Record<Document>, ix: &Index, v: &Validity, body_html: String) -> DocView {
    let d = &r.data;
    let link = |slug: &Option<String>| {
        slug.as_deref().map(|s| match ix.document(s) {
            Some(t) => Link {
                title: t.data.title.clone(),
                url: urls::record(Kind::Document, &t.meta),
            },
            None => Link {
                title: s.to_string(),
                url: String::new(),
            },
        })
    };
    DocView {
        item: doc_item(r, ix, v),
        registration_no: d.registration_no.clone().unwrap_or_default(),
        valid_from: date(d.valid_from),
        valid_until: date(v.valid_until),
        long_term: v.long_term,
        replaces: link(&d.replaces),
        replaced_by: link(&d.replaced_by),
        interprets: d
            .interprets
            .iter()
            .flat_map(|s| s.each("interprets"))
            .filter(|(slug, _)| *slug != r.meta.slug)
            .filter_map(|(slug, _)| link(&Some(slug)))
            .collect(),
        interpretation: d.interpretation.clone().unwrap_or_default(),
        interpretations: ix
            .interpretations_of(&r.meta.slug)
            .into_iter()
            .map(|t| InterpretationLink {
                title: t.data.title.clone(),
                url: urls::record(Kind::Document, &t.meta),
                form: t.data.interpretation.clone().unwrap_or_default(),
                published: t.data.published.to_string(),
            })
            .collect(),
        attachments: d
            .attachments
            .iter()
            .map(|a| Link {
                title: a.title.clone(),
                url: static_url(&a.file),
            })
            .collect(),
        summary: d.summary.clone().unwrap_or_default(),
        body_html,
    }
}

/// A link to an interpretation of a document.
#[derive(Debug, Clone, Serialize)]
pub struct InterpretationLink {
    pub title: String,
    pub url: String,
    /// 文字解读, 图文解读 … (empty when not given).
    pub form: String,
    pub published: String,
}

/// Files under content/static/ are served from the site root; URLs pass through.
pub fn static_url(file: &str) -> String {
    if file.starts_with("https://") || file.starts_with("http://") {
        file.to_string()
    } else {
        format!("/{}", file.trim_start_matches('/'))
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub name: String,
    pub description: String,
    pub days: String,
}

fn steps(process: &[ProcessStep]) -> Vec<Step> {
    process
        .iter()
        .map(|s| match s {
            ProcessStep::Name(n) => Step {
                name: n.clone(),
                description: String::new(),
                days: String::new(),
            },
            ProcessStep::Detailed {
                name,
                description,
                days,
            } => Step {
                name: name.clone(),
                description: description.clone().unwrap_or_default(),
                days: days.map(format_days).unwrap_or_default(),
            },
        })
        .collect()
}

fn format_days(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("{}", d as i64)
    } else {
        format!("{d}")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub date: String,
    pub action: String,
    pub basis: String,
    pub note: String,
}

fn change_views(changes: &[Change]) -> Vec<ChangeView> {
    changes
        .iter()
        .map(|c| ChangeView {
            date: c.date.to_string(),
            action: c.action.label().into(),
            basis: c.basis.clone().unwrap_or_default(),
            note: c.note.clone().unwrap_or_default(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemSummary {
    pub slug: String,
    pub url: String,
    pub code: String,
    pub name: String,
    pub category: String,
    pub agency: AgencyRef,
    pub status: String,
    pub status_class: String,
}

pub fn power_summary(r: &Record<PowerItem>, ix: &Index) -> ItemSummary {
    ItemSummary {
        slug: r.meta.slug.clone(),
        url: urls::record(Kind::Power, &r.meta),
        code: r.data.code.clone(),
        name: r.data.name.clone(),
        category: r.data.category.clone(),
        agency: ix.agency(r.meta.folder_agency.as_deref().unwrap_or("")),
        status: r.data.status.label().into(),
        status_class: format!("{:?}", r.data.status).to_lowercase(),
    }
}

pub fn service_summary(r: &Record<ServiceItem>, ix: &Index) -> ItemSummary {
    ItemSummary {
        slug: r.meta.slug.clone(),
        url: urls::record(Kind::Service, &r.meta),
        code: r.data.code.clone(),
        name: r.data.name.clone(),
        category: r.data.kind.clone(),
        agency: ix.agency(r.meta.folder_agency.as_deref().unwrap_or("")),
        status: r.data.status.label().into(),
        status_class: format!("{:?}", r.data.status).to_lowercase(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PowerView<'a> {
    #[serde(flatten)]
    pub summary: ItemSummary,
    pub item: &'a PowerItem,
    pub implementing_body: String,
    pub process: Vec<Step>,
    pub changes: Vec<ChangeView>,
    pub effective: String,
    pub reviewed: String,
    pub services: Vec<ItemSummary>,
}

pub fn power_view<'a>(
    r: &'a Record<PowerItem>,
    ix: &Index,
    services: Vec<ItemSummary>,
) -> PowerView<'a> {
    let summary = power_summary(r, ix);
    PowerView {
        implementing_body: r
            .data
            .implementing_body
            .clone()
            .unwrap_or_else(|| summary.agency.name.clone()),
        summary,
        item: &r.data,
        process: steps(&r.data.process),
        changes: change_views(&r.data.changes),
        effective: date(r.data.effective),
        reviewed: date(r.data.reviewed),
        services,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MaterialView {
    pub name: String,
    pub form: String,
    pub copies: String,
    pub required: bool,
    pub template: Option<Link>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceView<'a> {
    #[serde(flatten)]
    pub summary: ItemSummary,
    pub item: &'a ServiceItem,
    pub power_item: Option<Link>,
    pub process: Vec<Step>,
    pub materials: Vec<MaterialView>,
    pub free: bool,
    pub fees: Vec<Fee>,
    pub online_level: String,
    pub changes: Vec<ChangeView>,
}

pub fn service_view<'a>(r: &'a Record<ServiceItem>, ix: &Index) -> ServiceView<'a> {
    let d = &r.data;
    let (free, fees) = match &d.fees {
        None => (true, Vec::new()),
        Some(Fees::Free { free }) => (*free, Vec::new()),
        Some(Fees::List(list)) => (list.is_empty(), list.clone()),
    };
    ServiceView {
        summary: service_summary(r, ix),
        item: d,
        power_item: d
            .power_item
            .as_deref()
            .map(|code| match ix.power_item(code) {
                Some(p) => Link {
                    title: format!("{}（{}）", p.data.name, code),
                    url: urls::record(Kind::Power, &p.meta),
                },
                None => Link {
                    title: code.to_string(),
                    url: String::new(),
                },
            }),
        process: steps(&d.process),
        materials: d
            .materials
            .iter()
            .map(|m| MaterialView {
                name: m.name.clone(),
                form: m.form.clone(),
                copies: m.copies.map(|c| c.to_string()).unwrap_or_default(),
                required: m.required,
                template: m.template.as_deref().map(|t| Link {
                    title: t.rsplit('/').next().unwrap_or(t).to_string(),
                    url: static_url(t),
                }),
                note: m.note.clone().unwrap_or_default(),
            })
            .collect(),
        free,
        fees,
        online_level: d
            .online_level
            .map(|l| {
                match l {
                    0 => "0级（未开通网上办理）",
                    1 => "一级（网上公开办事指南）",
                    2 => "二级（网上下载表格）",
                    3 => "三级（网上预审）",
                    _ => "四级（全程网办）",
                }
                .to_string()
            })
            .unwrap_or_default(),
        changes: change_views(&d.changes),
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct DecisionItem {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub agency: AgencyRef,
    pub year: i32,
    pub status: String,
    pub status_class: String,
    pub planned: String,
}

pub fn decision_item(r: &Record<Decision>, ix: &Index) -> DecisionItem {
    DecisionItem {
        slug: r.meta.slug.clone(),
        url: urls::record(Kind::Decision, &r.meta),
        title: r.data.title.clone(),
        agency: ix.agency(&r.data.agency),
        year: r.meta.year.unwrap_or(0),
        status: r.data.status.label().into(),
        status_class: format!("{:?}", r.data.status).to_lowercase(),
        planned: date(r.data.planned),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub label: String,
    pub date: String,
    pub end: String,
    pub detail: Vec<String>,
    pub link: Option<Link>,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    #[serde(flatten)]
    pub item: DecisionItem,
    pub basis: String,
    pub stages: Vec<Stage>,
    pub consultation_open: bool,
    pub consultation_end: String,
    pub consultation_url: String,
    pub body_html: String,
}

pub fn decision_view(
    r: &Record<Decision>,
    ix: &Index,
    state: &DecisionState,
    body_html: String,
) -> DecisionView {
    let d = &r.data;
    let stages = state.stages.iter().map(|s| stage(d, ix, s)).collect();
    DecisionView {
        item: decision_item(r, ix),
        basis: d.basis.clone().unwrap_or_default(),
        stages,
        consultation_open: state.consultation_open,
        consultation_end: d
            .consultation
            .as_ref()
            .map(|c| c.end.to_string())
            .unwrap_or_default(),
        consultation_url: d
            .consultation
            .as_ref()
            .and_then(|c| c.url.clone())
            .unwrap_or_default(),
        body_html,
    }
}

/// A stage of the decision as the page shows it: what derive says of its date and whether it
/// is done, with the decision file's notes on it and a link where it has one.
fn stage(d: &Decision, ix: &Index, s: &decisions::Stage) -> Stage {
    let notes = |n: &Option<String>| vec![n.clone().unwrap_or_default()];
    let (label, detail, link) = match s.kind {
        StageKind::Consultation => {
            let c = d.consultation.as_ref();
            (
                "公众参与（征求意见）",
                vec![
                    c.and_then(|c| c.summary.clone()).unwrap_or_default(),
                    c.and_then(|c| c.adopted.clone()).unwrap_or_default(),
                ],
                c.and_then(|c| c.url.as_ref()).map(|u| Link {
                    title: "征求意见稿".into(),
                    url: u.clone(),
                }),
            )
        }
        StageKind::Hearing => (
            "听证",
            notes(&d.hearing.as_ref().and_then(|h| h.notes.clone())),
            None,
        ),
        StageKind::ExpertReview => (
            "专家论证",
            notes(&d.expert_review.as_ref().and_then(|e| e.notes.clone())),
            None,
        ),
        StageKind::RiskAssessment => {
            let r = d.risk_assessment.as_ref();
            (
                "风险评估",
                vec![
                    r.map(|r| format!("风险等级：{}", r.level))
                        .unwrap_or_default(),
                    r.and_then(|r| r.notes.clone()).unwrap_or_default(),
                ],
                None,
            )
        }
        StageKind::LegalityReview => (
            "合法性审查",
            notes(&d.legality_review.as_ref().and_then(|l| l.result.clone())),
            None,
        ),
        StageKind::CollectiveDecision => (
            "集体讨论决定",
            notes(&d.collective_decision.as_ref().map(|c| c.meeting.clone())),
            None,
        ),
        StageKind::Publication => {
            let link = d
                .publication
                .as_ref()
                .and_then(|p| p.document.as_deref())
                .map(
                    |doc| match ix.document(doc).or_else(|| ix.document_by_number(doc)) {
                        Some(t) => Link {
                            title: t
                                .data
                                .doc_number
                                .clone()
                                .unwrap_or_else(|| t.data.title.clone()),
                            url: urls::record(Kind::Document, &t.meta),
                        },
                        None => Link {
                            title: doc.to_string(),
                            url: String::new(),
                        },
                    },
                );
            ("决策公布", Vec::new(), link)
        }
        StageKind::Evaluation => (
            "决策后评估",
            notes(&d.evaluation.as_ref().and_then(|e| e.notes.clone())),
            None,
        ),
    };
    Stage {
        label: label.to_string(),
        date: s.date.to_string(),
        end: s.end.map(|e| e.to_string()).unwrap_or_default(),
        detail: detail.into_iter().filter(|s| !s.is_empty()).collect(),
        link,
        done: s.done,
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    pub url: String,
    pub year: i32,
    pub agency: AgencyRef,
    pub published: String,
}

pub fn report_item(r: &Record<Report>, ix: &Index) -> ReportItem {
    ReportItem {
        url: urls::record(Kind::Report, &r.meta),
        year: r.meta.year.unwrap_or(0),
        agency: ix.agency(r.meta.folder_agency.as_deref().unwrap_or("")),
        published: date(r.data.published),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AgencyView<'a> {
    pub slug: String,
    pub url: String,
    pub agency: &'a Agency,
    pub kind: String,
    pub parent: Option<AgencyRef>,
}

pub fn agency_view<'a>(r: &'a Record<Agency>, ix: &Index) -> AgencyView<'a> {
    AgencyView {
        slug: r.meta.slug.clone(),
        url: urls::agency(&r.meta.slug),
        agency: &r.data,
        kind: match r.data.kind {
            AgencyKind::Government => "人民政府".into(),
            AgencyKind::Department => "政府部门".into(),
        },
        parent: r.data.parent.as_deref().map(|p| ix.agency(p)),
    }
}
