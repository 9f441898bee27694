//! The disclosure catalogue of documents (政府信息公开目录): its index (years, newest documents,
//! normative documents in force), a year's documents page by page, and the page of one
//! document.

use crate::diagnostics::Diagnostic;
use crate::domain::categories::Facet;
use crate::fingerprint::Fingerprint;
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
        c.insert("categories_url", &urls::document_categories());
        let newest: Vec<usize> = (0..p.documents.len().min(20)).collect();
        self.insert_doc_items(&mut c, "newest", &newest);
        c.insert("total", &p.documents.len());
        self.insert_doc_items(
            &mut c,
            "normative",
            &p.documents
                .iter()
                .enumerate()
                .filter(|(i, d)| {
                    d.data.normative && self.derived.validity[*i].status == DocStatus::Effective
                })
                .map(|(i, _)| i)
                .collect::<Vec<_>>(),
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
        self.insert_doc_items(&mut c, "documents", &idx[ranges[page - 1].clone()]);
        c.insert("total", &idx.len());
        c.insert("pager", &pager(&base, page, ranges.len()));
        (url, "documents_list.html", c)
    }

    /// The categories of documents, 主题分类 and 体裁 apart, each with its count.
    pub(super) fn document_categories(&self) -> ToRender {
        let url = urls::document_categories();
        let title = "按主题分类、体裁浏览";
        let mut c = self.base(
            title,
            &url,
            &[
                ("公开目录", urls::section(Kind::Document)),
                (title, url.clone()),
            ],
        );
        let ix = &self.portal.lookup;
        // Each facet's categories as (name, count of documents, page).
        type Category = (String, usize, String);
        let facets: Vec<(&str, Vec<Category>)> = [Facet::Theme, Facet::Genre]
            .into_iter()
            .map(|f| {
                let list = ix
                    .documents_by_category
                    .iter()
                    .filter(|(name, _)| Facet::of(name) == f)
                    .map(|(name, docs)| {
                        (
                            name.clone(),
                            docs.len(),
                            urls::document_category(&ix.category_slug[name]),
                        )
                    })
                    .collect::<Vec<_>>();
                // The most used first: what most of the catalog is about leads.
                let mut list = list;
                list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (f.label(), list)
            })
            .collect();
        c.insert("heading", title);
        c.insert("facets", &facets);
        (url, "document_categories.html", c)
    }

    /// Page `page` (from 1) of the documents of one category, newest first.
    pub(super) fn document_category(&self, category: &str, page: usize) -> ToRender {
        let ix = &self.portal.lookup;
        let base = urls::document_category(&ix.category_slug[category]);
        let url = urls::paged(&base, page);
        let idx = &ix.documents_by_category[category];
        let ranges = pages(idx.len(), self.portal.config.paginate_by);
        let title = format!("{}：{category}", Facet::of(category).label());
        let mut c = self.base(
            &title,
            &url,
            &[
                ("公开目录", urls::section(Kind::Document)),
                ("按主题分类、体裁浏览", urls::document_categories()),
                (category, base.clone()),
            ],
        );
        c.insert("heading", &title);
        self.insert_doc_items(&mut c, "documents", &idx[ranges[page - 1].clone()]);
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
        self.insert_doc_items(&mut c, "documents", &idx[ranges[page - 1].clone()]);
        c.insert("total", &idx.len());
        c.insert("pager", &pager(&base, page, ranges.len()));
        (url, "documents_list.html", c)
    }

    pub(super) fn document(&self, i: usize) -> Result<ToRender, Diagnostic> {
        let r = &self.portal.documents[i];
        if let Some(keyed) = self.keyed(|| self.document_key(i)) {
            return Ok((
                urls::record(Kind::Document, &r.meta),
                "document.html",
                keyed,
            ));
        }
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

    /// What document `i`'s page is made of besides the site and its template: its list item
    /// ([`Ctx::doc_item_key`], which holds the record itself and so its body's hash), the
    /// documents it links to by slug (replaces, replaced by, interprets) and those that
    /// interpret it, as the page shows them, its notices and the site's address. At 100,000
    /// records a build that changed one document asks this of 85,000 pages: hashing these
    /// values costs a fraction of making each page's view and hashing its JSON.
    fn document_key(&self, i: usize) -> u64 {
        let r = &self.portal.documents[i];
        let d = &r.data;
        let mut f = Fingerprint::new("document page");
        f.add_u64(self.doc_item_key(i))
            .add_str(self.portal.config.base());
        let linked = [&d.replaces, &d.replaced_by]
            .into_iter()
            .flatten()
            .map(|s| s.to_string())
            .chain(
                d.interprets
                    .iter()
                    .flat_map(|s| s.each("interprets"))
                    .map(|(slug, _)| slug),
            );
        for slug in linked {
            f.add_str(&slug);
            match self.ix.document(&slug) {
                Some(t) => f.add_hashed(&(&t.meta, &t.data.title)),
                None => f.add_u64(0),
            };
        }
        // By position rather than by slug, as the page finds them: slugs are unique in a
        // portal that builds.
        let interpretations = self.portal.lookup.interpretations.get(&i);
        for t in interpretations
            .into_iter()
            .flatten()
            .map(|&j| &self.portal.documents[j])
        {
            let t_data = &t.data;
            f.add_hashed(&(
                &t.meta,
                &t_data.title,
                &t_data.interpretation,
                t_data.published,
            ));
        }
        f.add_json(&self.notices_for(Kind::Document, &r.meta));
        f.finish()
    }
}
