//! The catalogues of power items (权责清单) and service items (政务服务事项): each catalogue's
//! index of agencies with their categories, an agency's items by category, page by page, and
//! the page of one item.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fingerprint::Fingerprint;
use crate::model::urls;
use crate::model::*;
use crate::render::context::{Ctx, ToRender};
use crate::render::pagination::{pager, pages};
use crate::render::views::{
    power_summary, power_view, service_summary, service_view, AgencyRef, ItemSummary,
};

impl Ctx<'_> {
    pub(super) fn items_index(&self, kind: Kind) -> ToRender {
        let p = self.portal;
        let url = urls::section(kind);
        let title = kind.label();
        let mut c = self.base(title, &url, &[(title, url.clone())]);
        let groups = if kind == Kind::Power {
            &self.portal.lookup.power_by_agency
        } else {
            &self.portal.lookup.services_by_agency
        };
        #[derive(Serialize)]
        struct Group {
            agency: AgencyRef,
            url: String,
            count: usize,
            categories: Vec<(String, usize)>,
        }
        let list: Vec<Group> = p
            .agencies
            .iter()
            .filter_map(|a| {
                let idx = groups.get(&a.meta.slug)?;
                let mut cats: BTreeMap<String, usize> = BTreeMap::new();
                for &i in idx {
                    let cat = if kind == Kind::Power {
                        &p.power[i].data.category
                    } else {
                        &p.services[i].data.kind
                    };
                    *cats.entry(cat.clone()).or_default() += 1;
                }
                Some(Group {
                    agency: self.ix.agency(&a.meta.slug),
                    url: urls::items_of_agency(kind, &a.meta.slug),
                    count: idx.len(),
                    categories: sort_categories(cats),
                })
            })
            .collect();
        c.insert("kind", kind.name());
        c.insert("groups", &list);
        c.insert("downloads", &crate::render::catalogs::downloads(kind, None));
        (url, "items_index.html", c)
    }

    /// Page `page` (from 1) of an agency's items of `kind`, grouped by category.
    pub(super) fn items_of_agency(&self, kind: Kind, agency: &str, page: usize) -> ToRender {
        let p = self.portal;
        let base = urls::items_of_agency(kind, agency);
        let url = urls::paged(&base, page);
        let a = self.ix.agency(agency);
        let groups = if kind == Kind::Power {
            &self.portal.lookup.power_by_agency
        } else {
            &self.portal.lookup.services_by_agency
        };
        let idx = &groups[agency];
        let ranges = pages(idx.len(), p.config.paginate_by);
        let title = format!("{}{}", a.name, kind.label());
        let mut c = self.base(
            &title,
            &url,
            &[(kind.label(), urls::section(kind)), (&a.name, base.clone())],
        );
        let mut items: Vec<ItemSummary> = idx[ranges[page - 1].clone()]
            .iter()
            .map(|&i| {
                if kind == Kind::Power {
                    power_summary(&p.power[i], &self.ix)
                } else {
                    service_summary(&p.services[i], &self.ix)
                }
            })
            .collect();
        items.sort_by_key(|s| (category_rank(&s.category), s.code.clone()));
        let mut by_cat: Vec<(String, Vec<ItemSummary>)> = Vec::new();
        for it in items {
            match by_cat.last_mut() {
                Some((cat, list)) if *cat == it.category => list.push(it),
                _ => by_cat.push((it.category.clone(), vec![it])),
            }
        }
        c.insert("heading", &title);
        c.insert("kind", kind.name());
        c.insert("agency", &a);
        c.insert("categories", &by_cat);
        c.insert(
            "downloads",
            &crate::render::catalogs::downloads(kind, Some(agency)),
        );
        c.insert("total", &idx.len());
        c.insert("pager", &pager(&base, page, ranges.len()));
        (url, "items_list.html", c)
    }

    pub(super) fn power(&self, i: usize) -> ToRender {
        let p = self.portal;
        let r = &p.power[i];
        if let Some(keyed) = self.keyed(|| self.power_key(i)) {
            return (urls::record(Kind::Power, &r.meta), "power_item.html", keyed);
        }
        let v = power_view(
            r,
            &self.ix,
            p.lookup
                .services_of_power
                .get(&r.data.code)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&s| service_summary(&p.services[s], &self.ix))
                .collect(),
        );
        let url = v.summary.url.clone();
        let mut c = self.base(
            &r.data.name,
            &url,
            &[
                ("权责清单", urls::section(Kind::Power)),
                (
                    &v.summary.agency.name,
                    urls::items_of_agency(Kind::Power, &v.summary.agency.slug),
                ),
                (&r.data.name, url.clone()),
            ],
        );
        c.insert("item", &v);
        (url, "power_item.html", c)
    }

    pub(super) fn service(&self, i: usize) -> ToRender {
        let r = &self.portal.services[i];
        if let Some(keyed) = self.keyed(|| self.service_key(i)) {
            return (
                urls::record(Kind::Service, &r.meta),
                "service_item.html",
                keyed,
            );
        }
        let v = service_view(r, &self.ix);
        let url = v.summary.url.clone();
        let mut c = self.base(
            &r.data.name,
            &url,
            &[
                ("政务服务事项", urls::section(Kind::Service)),
                (
                    &v.summary.agency.name,
                    urls::items_of_agency(Kind::Service, &v.summary.agency.slug),
                ),
                (&r.data.name, url.clone()),
            ],
        );
        c.insert("item", &v);
        (url, "service_item.html", c)
    }
}

impl Ctx<'_> {
    /// What power item `i`'s page is made of besides the site and its template: the record,
    /// its agency, the services that carry it out with theirs, and the site's address.
    /// A record stands in by its meta, which holds the hash of the file's text that the
    /// record was read from whole (`Meta::source_hash`). Hashed as Rust holds them: at
    /// 100,000 records a build that changed one document asks this of 8,000 pages, and
    /// making each page's view to hash its JSON cost several times as much.
    fn power_key(&self, i: usize) -> u64 {
        let p = self.portal;
        let r = &p.power[i];
        let mut f = Fingerprint::new("power page");
        f.add_hashed(&r.meta)
            .add_u64(self.folder_agency_key(&r.meta))
            .add_str(p.config.base());
        let services = p.lookup.services_of_power.get(&r.data.code);
        for s in services.into_iter().flatten().map(|&s| &p.services[s]) {
            f.add_hashed(&s.meta)
                .add_u64(self.folder_agency_key(&s.meta));
        }
        f.finish()
    }

    /// What service item `i`'s page is made of besides the site and its template, as
    /// [`Ctx::power_key`] says it: the record, its agency, the power item it carries out (as
    /// its link shows it), and the site's address.
    fn service_key(&self, i: usize) -> u64 {
        let p = self.portal;
        let r = &p.services[i];
        let power = r.data.power_item.as_deref().map(|code| {
            let item = self.ix.power_item(code);
            (code, item.map(|t| (&t.meta, &t.data.name)))
        });
        Fingerprint::new("service page")
            .add_hashed(&r.meta)
            .add_u64(self.folder_agency_key(&r.meta))
            .add_hashed(&power)
            .add_str(p.config.base())
            .finish()
    }

    /// The hash of the agency an item's page shows: the one whose folder it is in.
    fn folder_agency_key(&self, meta: &Meta) -> u64 {
        self.agency_key(meta.folder_agency.as_deref().unwrap_or(""))
    }
}

/// Lists categories in the order docs/content-format.md gives them, unknown ones last.
fn sort_categories(cats: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<_> = cats.into_iter().collect();
    v.sort_by_key(|(c, _)| (category_rank(c), c.clone()));
    v
}

fn category_rank(c: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|x| *x == c)
        .unwrap_or(CATEGORIES.len())
}
