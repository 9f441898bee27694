//! What every page's template context starts from: the site-wide values (title, navigation,
//! footer, build date) set once on the theme, and [`Ctx`], what page functions share, which
//! starts each page's context with its title, URL, canonical link and breadcrumbs.

use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use crate::derive::Derived;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::model::urls;
use crate::model::*;
use crate::table::HashMap;
use crate::text::markdown;

use super::deadlines;
use super::theme::Theme;
use super::views::{doc_item, DocItem, Index};

/// What a page function hands to the renderer: the page's URL, its template and the
/// template's context.
pub(super) type ToRender = (String, &'static str, PageContext);

/// A page's template context, or only what its fingerprint (`memo`) needs of it. Most pages
/// of a rebuild are only fingerprinted, and hashing each value's JSON as it is inserted
/// spares building tera's values for them.
pub(super) enum PageContext {
    /// For the template.
    Full(Context),
    /// Each key with the hash of its value's JSON, in the order inserted (a key inserted
    /// again replaces its hash).
    Hashed(Vec<(&'static str, u64)>),
}

impl PageContext {
    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, val: &T) {
        match self {
            PageContext::Full(context) => context.insert(key, val),
            PageContext::Hashed(hashes) => {
                let hash = Fingerprint::new("value").add_json(val).finish();
                Self::set(hashes, key, hash);
            }
        }
    }

    fn set(hashes: &mut Vec<(&'static str, u64)>, key: &'static str, hash: u64) {
        match hashes.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = hash,
            None => hashes.push((key, hash)),
        }
    }

    /// Adds every key with its value's hash to `f`, in the order of the keys. Only a context
    /// made for a fingerprint has them: the fingerprint of a full one would hold nothing of
    /// the page, and leave it as the tree has it whatever changed.
    pub(super) fn fingerprint_into(&self, f: &mut Fingerprint) {
        let PageContext::Hashed(hashes) = self else {
            unreachable!("a full context is rendered, never fingerprinted")
        };
        let mut sorted = hashes.clone();
        sorted.sort_unstable_by_key(|(key, _)| *key);
        for (key, hash) in sorted {
            f.add_str(key).add_u64(hash);
        }
    }

    /// A context for a fingerprint that holds `key`, the hash of what the page is made of,
    /// in place of its values (`Ctx::keyed`).
    fn keyed(key: u64) -> PageContext {
        PageContext::Hashed(vec![("made of", key)])
    }

    /// The template's context; `None` for one made for a fingerprint.
    pub(super) fn context(&self) -> Option<&Context> {
        match self {
            PageContext::Full(context) => Some(context),
            PageContext::Hashed(_) => None,
        }
    }
}

#[derive(Serialize)]
pub(super) struct Crumb {
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
struct NavItem {
    title: &'static str,
    url: String,
}

#[derive(Serialize)]
pub(super) struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    footer: &'a crate::model::config::Footer,
    nav: Vec<NavItem>,
    build_date: String,
    /// Whether the portal has an about page (关于本站) for the footer to link.
    about: bool,
    /// `url::CONTENT_SECURITY_POLICY`, for the `<meta>` of every page.
    content_security_policy: &'static str,
}

pub(super) fn site_context<'a>(p: &'a Portal, d: &Derived) -> SiteContext<'a> {
    let mut nav = vec![NavItem {
        title: "首页",
        url: urls::home(),
    }];
    let has_page = |slug: &str| p.pages.iter().any(|pg| pg.meta.slug == slug);
    if has_page("guide") {
        nav.push(NavItem {
            title: "公开指南",
            url: "/pages/guide/".into(),
        });
    }
    nav.extend(KINDS.iter().filter_map(|k| {
        Some(NavItem {
            title: k.nav?,
            url: urls::section(k.kind),
        })
    }));
    nav.push(NavItem {
        title: "期限提醒",
        url: urls::deadlines(),
    });
    SiteContext {
        title: &p.config.title,
        description: &p.config.description,
        base_url: p.config.base(),
        language: &p.config.language,
        footer: &p.config.footer,
        nav,
        build_date: d.today.to_string(),
        about: has_page("about"),
        content_security_policy: crate::text::url::CONTENT_SECURITY_POLICY,
    }
}

pub(super) struct Ctx<'a> {
    pub(super) portal: &'a Portal,
    root: &'a Path,
    pub(super) derived: &'a Derived,
    pub(super) ix: Index<'a>,
    pub(super) theme: &'a Theme,
    notices: deadlines::NoticeIndex,
    /// Whether this `Ctx` makes contexts for fingerprints (`memo`), never rendered: each body
    /// stands in as its file's hash instead of being read and converted, and each value as
    /// the hash of its JSON.
    body_tokens: bool,
    /// For fingerprints: what each document's list item is made of ([`Ctx::doc_item_key`]),
    /// hashed the first time a list or its page asks. A document is on four or five lists
    /// (its year, categories and agency, the newest); making its item for each took a third
    /// of fingerprinting a site.
    doc_item_hashes: Vec<OnceLock<u64>>,
    /// For fingerprints: each agency as a page shows it ([`Index::agency`]) and each
    /// category's link, hashed once per build, by slug and by name: at 100,000 records,
    /// 98,000 documents and items name a few dozen agencies.
    agency_hashes: HashMap<&'a str, u64>,
    category_hashes: HashMap<&'a str, u64>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        portal: &'a Portal,
        root: &'a Path,
        derived: &'a Derived,
        theme: &'a Theme,
    ) -> Ctx<'a> {
        Ctx {
            portal,
            root,
            derived,
            ix: Index::new(portal),
            theme,
            notices: deadlines::NoticeIndex::new(&derived.notices),
            body_tokens: false,
            doc_item_hashes: Vec::new(),
            agency_hashes: HashMap::default(),
            category_hashes: HashMap::default(),
        }
    }

    /// The same pages' contexts, for fingerprints: each body is its file's hash, and each
    /// context holds its values' hashes only ([`PageContext::Hashed`]).
    pub(super) fn for_fingerprints(
        portal: &'a Portal,
        root: &'a Path,
        derived: &'a Derived,
        theme: &'a Theme,
    ) -> Ctx<'a> {
        let ix = Index::new(portal);
        let agencies = portal.agencies.iter().map(|a| a.meta.slug.as_str());
        let agency_hashes = agencies
            .map(|slug| (slug, agency_hash(&ix, slug)))
            .collect();
        let categories = portal.lookup.category_slug.keys().map(String::as_str);
        let category_hashes = categories
            .map(|name| (name, category_hash(&ix, name)))
            .collect();
        Ctx {
            body_tokens: true,
            doc_item_hashes: portal.documents.iter().map(|_| OnceLock::new()).collect(),
            agency_hashes,
            category_hashes,
            ..Ctx::new(portal, root, derived, theme)
        }
    }

    /// The hash of agency `slug` as a page shows it ([`Index::agency`]).
    pub(super) fn agency_key(&self, slug: &str) -> u64 {
        match self.agency_hashes.get(slug) {
            Some(&hash) => hash,
            None => agency_hash(&self.ix, slug),
        }
    }

    /// Adds to `f` the links of `categories` as a page shows them
    /// ([`Index::category_links`]), each by its hash.
    fn add_category_links(&self, f: &mut Fingerprint, categories: &[String]) {
        f.add_u64(categories.len() as u64);
        for name in categories {
            f.add_u64(match self.category_hashes.get(name.as_str()) {
                Some(&hash) => hash,
                None => category_hash(&self.ix, name),
            });
        }
    }

    /// For fingerprints: a context holding only `key()`, the hash of what the page is made
    /// of, for a page function that can say that for less than making the page's values.
    /// `None` when the context is for rendering.
    pub(super) fn keyed(&self, key: impl FnOnce() -> u64) -> Option<PageContext> {
        self.body_tokens.then(|| PageContext::keyed(key()))
    }

    pub(super) fn notices_for(&self, kind: Kind, meta: &Meta) -> Vec<deadlines::NoticeView> {
        self.notices.for_record(&self.derived.notices, kind, meta)
    }

    pub(super) fn body_html(&self, meta: &Meta) -> Result<String, Diagnostic> {
        if self.body_tokens {
            // Markdown to HTML is a function of the text alone.
            return Ok(format!("\u{1}body {:016x}", meta.source_hash));
        }
        Ok(markdown::to_html(&self.body(meta)?))
    }

    fn body(&self, meta: &Meta) -> Result<String, Diagnostic> {
        crate::load::read_body(self.root, meta, self.portal.config.max_file_bytes)
    }

    pub(super) fn base(&self, title: &str, url: &str, crumbs: &[(&str, String)]) -> PageContext {
        let mut c = if self.body_tokens {
            PageContext::Hashed(Vec::new())
        } else {
            PageContext::Full(Context::new())
        };
        c.insert("page_title", title);
        c.insert("url", url);
        c.insert(
            "canonical",
            &format!("{}{}", self.portal.config.base(), url),
        );
        let mut list = vec![Crumb {
            title: "首页".into(),
            url: "/".into(),
        }];
        list.extend(crumbs.iter().map(|(t, u)| Crumb {
            title: t.to_string(),
            url: u.clone(),
        }));
        c.insert("crumbs", &list);
        c
    }

    /// Inserts the documents `idx` as a list at `key` of `c`; for a fingerprint, the list's
    /// hash is made of its items' hashes.
    pub(super) fn insert_doc_items(&self, c: &mut PageContext, key: &'static str, idx: &[usize]) {
        match c {
            PageContext::Full(_) => c.insert(key, &self.doc_items(idx)),
            PageContext::Hashed(hashes) => {
                let mut list = Fingerprint::new("document items");
                for &i in idx {
                    list.add_u64(self.doc_item_key(i));
                }
                PageContext::set(hashes, key, list.finish());
            }
        }
    }

    /// What document `i`'s list item ([`doc_item`]) is made of, hashed as Rust holds it: the
    /// record, its validity, its agency and its categories' links. The record stands in by
    /// its meta, which holds the hash of the text it was read from whole
    /// (`Meta::source_hash`): hashing each of 85,000 records' values took longer. Made once
    /// per build, the first time a list or the document's page asks.
    pub(super) fn doc_item_key(&self, i: usize) -> u64 {
        *self.doc_item_hashes[i].get_or_init(|| {
            let r = &self.portal.documents[i];
            let mut f = Fingerprint::new("document item");
            f.add_hashed(&r.meta)
                .add_hashed(&self.derived.validity[i])
                .add_u64(self.agency_key(&r.data.agency));
            self.add_category_links(&mut f, &r.data.categories);
            f.finish()
        })
    }

    fn doc_items(&self, idx: &[usize]) -> Vec<DocItem> {
        idx.iter()
            .map(|&i| {
                doc_item(
                    &self.portal.documents[i],
                    &self.ix,
                    &self.derived.validity[i],
                )
            })
            .collect()
    }
}

fn agency_hash(ix: &Index, slug: &str) -> u64 {
    Fingerprint::new("agency")
        .add_hashed(&ix.agency(slug))
        .finish()
}

fn category_hash(ix: &Index, name: &str) -> u64 {
    let links = ix.category_links(std::slice::from_ref(&name.to_string()));
    Fingerprint::new("category link")
        .add_hashed(&links)
        .finish()
}
