//! The agencies' pages: the list of agencies (机构设置), an agency's page with everything it
//! publishes, and its paginated catalogue of documents.

use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::render::pagination::{pager, pages};
use crate::render::views::{agency_view, decision_item, power_summary, service_summary};

impl Ctx<'_> {
    pub(super) fn agencies(&self) -> ToRender {
        let url = urls::section(Kind::Agency);
        let mut c = self.base("机构设置", &url, &[("机构设置", url.clone())]);
        let list: Vec<_> = self
            .portal
            .agencies
            .iter()
            .map(|a| agency_view(a, &self.ix))
            .collect();
        c.insert("agencies", &list);
        c.insert(
            "downloads",
            &crate::render::catalogs::downloads(Kind::Agency, None),
        );
        (url, "agencies.html", c)
    }

    pub(super) fn agency(&self, i: usize) -> ToRender {
        let p = self.portal;
        let a = &p.agencies[i];
        let slug = a.meta.slug.as_str();
        let url = urls::agency(slug);
        let mut c = self.base(
            &a.data.name,
            &url,
            &[
                ("机构设置", urls::section(Kind::Agency)),
                (&a.data.name, url.clone()),
            ],
        );
        c.insert("agency", &agency_view(a, &self.ix));
        c.insert("notices", &self.notices_for(Kind::Agency, &a.meta));
        let data: Vec<_> = crate::render::catalogs::AGENCY_KINDS
            .iter()
            .map(|&k| (k.label(), crate::render::catalogs::downloads(k, Some(slug))))
            .collect();
        c.insert("data", &data);
        c.insert("feed_url", &urls::agency_feed(slug));
        let empty = Vec::new();
        let power: Vec<_> = self
            .portal
            .lookup
            .power_by_agency
            .get(slug)
            .unwrap_or(&empty)
            .iter()
            .map(|&i| power_summary(&p.power[i], &self.ix))
            .collect();
        let services: Vec<_> = self
            .portal
            .lookup
            .services_by_agency
            .get(slug)
            .unwrap_or(&empty)
            .iter()
            .map(|&i| service_summary(&p.services[i], &self.ix))
            .collect();
        let decisions: Vec<_> = p
            .lookup
            .decisions_by_agency
            .get(slug)
            .unwrap_or(&empty)
            .iter()
            .map(|&i| decision_item(&p.decisions[i], &self.ix))
            .collect();
        let docs = self
            .portal
            .lookup
            .documents_by_agency
            .get(slug)
            .unwrap_or(&empty);
        let reports: Vec<_> = self
            .portal
            .lookup
            .reports_by_agency
            .get(slug)
            .unwrap_or(&empty)
            .iter()
            .map(|&i| self.report_entry(i))
            .collect();
        c.insert("reports_url", &urls::agency_reports(slug));
        c.insert("power", &power);
        c.insert("services", &services);
        c.insert("decisions", &decisions);
        self.insert_doc_items(&mut c, "documents", &docs[..docs.len().min(10)]);
        c.insert("documents_total", &docs.len());
        c.insert("documents_url", &urls::agency_documents(slug));
        c.insert("reports", &reports);
        c.insert(
            "children",
            &p.agencies
                .iter()
                .filter(|x| x.data.parent.as_deref() == Some(slug))
                .map(|x| self.ix.agency(&x.meta.slug))
                .collect::<Vec<_>>(),
        );
        (url, "agency.html", c)
    }

    /// Page `page` (from 1) of an agency's catalogue of documents.
    pub(super) fn agency_documents(&self, agency: usize, page: usize) -> ToRender {
        let a = &self.portal.agencies[agency];
        let slug = a.meta.slug.as_str();
        let base = urls::agency_documents(slug);
        let url = urls::paged(&base, page);
        let empty = Vec::new();
        let docs = self
            .portal
            .lookup
            .documents_by_agency
            .get(slug)
            .unwrap_or(&empty);
        let ranges = pages(docs.len(), self.portal.config.paginate_by);
        let title = format!("{}公开目录", a.data.name);
        let mut c = self.base(
            &title,
            &url,
            &[
                ("机构设置", urls::section(Kind::Agency)),
                (&a.data.name, urls::agency(slug)),
                ("公开目录", base.clone()),
            ],
        );
        c.insert("heading", &title);
        self.insert_doc_items(&mut c, "documents", &docs[ranges[page - 1].clone()]);
        c.insert("total", &docs.len());
        c.insert("pager", &pager(&base, page, ranges.len()));
        (url, "documents_list.html", c)
    }
}
