//! The disclosure catalogue of documents (政府信息公开目录): its index (years, newest documents,
//! normative documents in force), a year's documents page by page, and the page of one
//! document.

use crate::diagnostics::Diagnostic;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::render::pagination::{pager, pages};
use crate::render::views::doc_view;

impl Ctx<'_> {
    pub(super) fn documents_index(&self) -> ToRender {
        let p = self.portal;
        let url = urls::section(Kind::Document);
        let mut c = self.base("政府信息公开目录", &url, &[("公开目录", url.clone())]);
        let years: Vec<(i32, usize, String)> = self
            .portal
            .lookup
            .documents_by_year
            .iter()
            .rev()
            .map(|(y, idx)| (*y, idx.len(), urls::year(Kind::Document, *y)))
            .collect();
        c.insert("years", &years);
        c.insert(
            "downloads",
            &crate::render::catalogs::downloads(Kind::Document, None),
        );
        let newest: Vec<usize> = (0..p.documents.len().min(20)).collect();
        c.insert("newest", &self.doc_items(&newest));
        c.insert("total", &p.documents.len());
        c.insert(
            "normative",
            &self.doc_items(
                &p.documents
                    .iter()
                    .enumerate()
                    .filter(|(i, d)| {
                        d.data.normative && self.derived.validity[*i].status == DocStatus::Effective
                    })
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>(),
            ),
        );
        c.insert(
            "interpretations",
            &p.documents
                .iter()
                .filter(|d| d.data.interprets.is_some())
                .count(),
        );
        c.insert("interpretations_url", &urls::interpretations());
        (url, "documents_index.html", c)
    }

    /// Page `page` (from 1) of the catalog's interpretations (政策解读), newest first.
    pub(super) fn interpretations(&self, page: usize) -> ToRender {
        let base = urls::interpretations();
        let url = urls::paged(&base, page);
        let idx: Vec<usize> = (0..self.portal.documents.len())
            .filter(|&i| self.portal.documents[i].data.interprets.is_some())
            .collect();
        let ranges = pages(idx.len(), self.portal.config.paginate_by);
        let title = "政策解读";
        let mut c = self.base(
            title,
            &url,
            &[
                ("公开目录", urls::section(Kind::Document)),
                (title, base.clone()),
            ],
        );
        c.insert("heading", title);
        c.insert("documents", &self.doc_items(&idx[ranges[page - 1].clone()]));
        c.insert("total", &idx.len());
        c.insert("pager", &pager(&base, page, ranges.len()));
        (url, "documents_list.html", c)
    }

    /// Page `page` (from 1) of the documents published in `year`.
    pub(super) fn documents_year(&self, year: i32, page: usize) -> ToRender {
        let base = urls::year(Kind::Document, year);
        let url = urls::paged(&base, page);
        let idx = &self.portal.lookup.documents_by_year[&year];
        let ranges = pages(idx.len(), self.portal.config.paginate_by);
        let title = format!("{year}年政府信息公开目录");
        let mut c = self.base(
            &title,
            &url,
            &[
                ("公开目录", urls::section(Kind::Document)),
                (&format!("{year}年"), base.clone()),
            ],
        );
        c.insert("heading", &title);
        c.insert("documents", &self.doc_items(&idx[ranges[page - 1].clone()]));
        c.insert("total", &idx.len());
        c.insert("pager", &pager(&base, page, ranges.len()));
        (url, "documents_list.html", c)
    }

    pub(super) fn document(&self, i: usize) -> Result<ToRender, Diagnostic> {
        let r = &self.portal.documents[i];
        let v = doc_view(
            r,
            &self.ix,
            &self.derived.validity[i],
            self.body_html(&r.meta)?,
        );
        let url = v.item.url.clone();
        let year = v.item.year;
        let mut c = self.base(
            &r.data.title,
            &url,
            &[
                ("公开目录", urls::section(Kind::Document)),
                (&format!("{year}年"), urls::year(Kind::Document, year)),
                (&r.data.title, url.clone()),
            ],
        );
        c.insert("doc", &v);
        c.insert("notices", &self.notices_for(Kind::Document, &r.meta));
        Ok((url, "document.html", c))
    }
}
