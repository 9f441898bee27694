//! The data catalog: every download of the site as a dataset, with its title, description,
//! publisher, last change, formats, URLs and licence. `/data.json` gives it to programs in the
//! DCAT vocabulary, in the shape of data.gov's catalogs (Project Open Data 1.1, the `data.json`
//! that harvesters such as CKAN read); `/data/` (数据下载) gives it to people.

use crate::render::output::Output;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};

use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::*;

use super::catalogs::{AGENCY_KINDS, CATALOG_KINDS};
use super::context::{Ctx, ToRender};

/// One file of a dataset.
#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    /// CSV, JSON or Atom.
    pub format: &'static str,
    pub media_type: &'static str,
    pub url: String,
}

/// One dataset: a catalog of the portal or of one agency, or a year's comparison of reports.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    pub title: String,
    pub description: String,
    /// Who publishes it: the agency, or the portal's publisher.
    pub publisher: String,
    /// The newest change among its records, where the files tell.
    pub modified: Option<NaiveDate>,
    /// The page a person reads it on.
    pub page: String,
    /// The JSON Schema its JSON entries follow.
    pub schema: Option<String>,
    pub distributions: Vec<Distribution>,
}

fn description(kind: Kind) -> &'static str {
    match kind {
        Kind::Document => "政府信息公开目录：每件文件的索引号、标题、发文机关、发文字号、成文和发布日期、有效性和分类",
        Kind::Power => "权责清单：每个事项的编码、名称、类别、实施机关、设定依据、状态和调整记录",
        Kind::Service => "政务服务事项目录：每个事项的编码、名称、类型、实施机关、办理时限、收费和调整记录",
        Kind::Decision => "重大行政决策事项目录：每个事项的决策机关、依据、状态和公众参与、合法性审查、集体讨论等各环节日期",
        Kind::Report => "政府信息公开工作年度报告：每份报告的发布日期、应发布日期、是否按时，以及报告表格的全部数字",
        Kind::Agency => "机关名录：每个机关的名称、类型、统一社会信用代码、上级机关和联系方式",
        Kind::Page | Kind::Calendar => "",
    }
}

fn csv_json(kind: Kind, agency: Option<&str>) -> Vec<Distribution> {
    vec![
        Distribution {
            format: "CSV",
            media_type: "text/csv",
            url: urls::catalog(kind, agency, "csv"),
        },
        Distribution {
            format: "JSON",
            media_type: "application/json",
            url: urls::catalog(kind, agency, "json"),
        },
    ]
}

fn feed(url: String) -> Distribution {
    Distribution {
        format: "Atom",
        media_type: "application/atom+xml",
        url,
    }
}

impl Ctx<'_> {
    /// Every dataset of the site: the portal's catalogs, each year's comparison of reports,
    /// then each agency's catalogs that hold records.
    pub(super) fn datasets(&self) -> Vec<Dataset> {
        let p = self.portal;
        let publisher = self.publisher();
        let events = &self.derived.events;
        let newest = |kind: Kind, agency: Option<&str>| {
            events
                .iter()
                .find(|e| e.kind == kind && agency.is_none_or(|a| e.agency == a))
                .map(|e| e.date)
        };
        let mut out = Vec::new();
        for kind in CATALOG_KINDS {
            if p.count(kind) == 0 {
                continue;
            }
            let mut distributions = csv_json(kind, None);
            if super::feeds::FEED_KINDS.contains(&kind) {
                distributions.push(feed(urls::feed(kind)));
            }
            out.push(Dataset {
                title: format!("{}（全部机关）", kind.label()),
                description: description(kind).to_string(),
                publisher: publisher.clone(),
                modified: newest(kind, None),
                page: urls::section(kind),
                schema: Some(urls::schema(kind.name())),
                distributions,
            });
        }
        for &year in &self.derived.reports.years {
            let page = urls::year(Kind::Report, year);
            let modified = p
                .lookup
                .reports_by_year
                .get(&year)
                .into_iter()
                .flatten()
                .filter_map(|&i| p.reports[i].data.published)
                .max();
            out.push(Dataset {
                title: format!("{year}年度政府信息公开工作年度报告各机关对比"),
                description: "各机关当年收到和办理政府信息公开申请的数量、公开率、行政复议和诉讼数量，以及报告是否按时发布（含未发布的机关）".into(),
                publisher: publisher.clone(),
                modified,
                page: page.clone(),
                schema: None,
                distributions: vec![
                    Distribution {
                        format: "CSV",
                        media_type: "text/csv",
                        url: urls::download(&page, "comparison.csv"),
                    },
                    Distribution {
                        format: "JSON",
                        media_type: "application/json",
                        url: urls::download(&page, "comparison.json"),
                    },
                ],
            });
        }
        let ix = &p.lookup;
        for a in &p.agencies {
            let slug = a.meta.slug.as_str();
            for kind in AGENCY_KINDS {
                let has = match kind {
                    Kind::Power => ix.power_by_agency.contains_key(slug),
                    Kind::Service => ix.services_by_agency.contains_key(slug),
                    Kind::Decision => ix.decisions_by_agency.contains_key(slug),
                    Kind::Document => ix.documents_by_agency.contains_key(slug),
                    Kind::Report => ix.reports_by_agency.contains_key(slug),
                    _ => false,
                };
                if !has {
                    continue;
                }
                out.push(Dataset {
                    title: format!("{}{}", a.data.name, kind.label()),
                    description: description(kind).to_string(),
                    publisher: a.data.name.clone(),
                    modified: newest(kind, Some(slug)),
                    page: urls::agency(slug),
                    schema: Some(urls::schema(kind.name())),
                    distributions: csv_json(kind, Some(slug)),
                });
            }
        }
        out
    }

    fn publisher(&self) -> String {
        let c = &self.portal.config;
        [&c.data.publisher, &c.footer.organizer, &c.title]
            .into_iter()
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_default()
    }

    /// The human page of the data catalog.
    pub(super) fn data_page(&self) -> ToRender {
        let url = urls::data_page();
        let title = "数据下载";
        let mut c = self.base(title, &url, &[(title, url.clone())]);
        let data = &self.portal.config.data;
        c.insert("datasets", &self.datasets());
        c.insert("licence", &data.licence);
        c.insert("licence_url", &data.licence_url);
        c.insert("contact_email", &data.contact_email);
        c.insert("catalog_url", &urls::data_catalog());
        (url, "data.html", c)
    }
}

/// `/data.json`: the datasets in DCAT terms, with absolute URLs.
pub(super) fn write_data_catalog(cx: &Ctx, out: &Output) -> Result<usize, Diagnostic> {
    let p = cx.portal;
    let c = &p.config;
    let base = c.base();
    let abs = |u: &str| format!("{base}{u}");
    let contact = |name: &str| {
        let mut v = json!({"@type": "vcard:Contact", "fn": name});
        if !c.data.contact_email.is_empty() {
            v["hasEmail"] = format!("mailto:{}", c.data.contact_email).into();
        }
        v
    };
    let datasets: Vec<Value> = cx
        .datasets()
        .into_iter()
        .map(|d| {
            let mut v = json!({
                "@type": "dcat:Dataset",
                "title": d.title,
                "description": d.description,
                "keyword": ["政府信息公开", d.publisher.clone()],
                "publisher": {"@type": "org:Organization", "name": d.publisher},
                "contactPoint": contact(&d.publisher),
                "identifier": abs(&d.distributions[0].url),
                "accessLevel": "public",
                "language": [c.language.clone()],
                "landingPage": abs(&d.page),
                "distribution": d.distributions.iter().map(|f| {
                    let mut dist = json!({
                        "@type": "dcat:Distribution",
                        "title": format!("{}（{}）", d.title, f.format),
                        "format": f.format,
                        "mediaType": f.media_type,
                        "downloadURL": abs(&f.url),
                    });
                    if let (Some(s), "JSON") = (&d.schema, f.format) {
                        dist["describedBy"] = abs(s).into();
                        dist["describedByType"] = "application/schema+json".into();
                    }
                    dist
                }).collect::<Vec<_>>(),
            });
            if let Some(m) = d.modified {
                v["modified"] = m.to_string().into();
            }
            if !c.data.licence_url.is_empty() {
                v["license"] = c.data.licence_url.clone().into();
            }
            if !c.data.licence.is_empty() {
                v["rights"] = c.data.licence.clone().into();
            }
            if let Some(s) = d.schema {
                v["describedBy"] = abs(&s).into();
            }
            v
        })
        .collect();
    let catalog = json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": abs(&urls::data_catalog()),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "title": format!("{} · 数据目录", c.title),
        "dataset": datasets,
    });
    let file = urls::file_for(&urls::data_catalog());
    let bytes =
        serde_json::to_vec_pretty(&catalog).map_err(|e| super::catalogs::write_error(&file, e))?;
    out.write(&file, &bytes)?;
    Ok(1)
}
