//! The portal's lookups, built once when it is loaded and read by validate, derive and
//! render: records by slug and by code, grouped by agency and by year, and the services that
//! carry out each power item. Values are positions in the portal's record lists, so the
//! lookups live beside the records without borrowing them.

use std::collections::BTreeMap;

use super::{Meta, Portal};
use crate::table::HashMap;

#[derive(Debug, Default, Clone)]
pub struct Lookup {
    /// Agencies by slug (the first loaded where two share one; validation reports that).
    pub agency: HashMap<String, usize>,
    /// Documents by slug (the first by file path where two share one; an error too).
    pub document: HashMap<String, usize>,
    /// Documents by 发文字号 (the last in list order where two share one, which is only a
    /// warning).
    pub document_by_number: HashMap<String, usize>,
    /// Power items by code.
    pub power: HashMap<String, usize>,
    /// The services that name each power item's code, in list order.
    pub services_of_power: HashMap<String, Vec<usize>>,
    /// Documents by the year of their folder, and by issuing agency.
    pub documents_by_year: BTreeMap<i32, Vec<usize>>,
    pub documents_by_agency: BTreeMap<String, Vec<usize>>,
    /// Power items and services by the agency folder they are in.
    pub power_by_agency: BTreeMap<String, Vec<usize>>,
    pub services_by_agency: BTreeMap<String, Vec<usize>>,
    /// Decisions by the year of their folder, and by deciding agency.
    pub decisions_by_year: BTreeMap<i32, Vec<usize>>,
    pub decisions_by_agency: BTreeMap<String, Vec<usize>>,
    /// Annual reports by year and by agency (their file name).
    pub reports_by_year: BTreeMap<i32, Vec<usize>>,
    pub reports_by_agency: BTreeMap<String, Vec<usize>>,
    /// The interpretations (政策解读) of each document: the documents whose `interprets` names
    /// it, earliest published first.
    pub interpretations: HashMap<usize, Vec<usize>>,
    /// Documents by each of their categories, in list order.
    pub documents_by_category: BTreeMap<String, Vec<usize>>,
    /// Each category's slug (`slug::category_slug`, numbered where two read the same).
    pub category_slug: BTreeMap<String, String>,
}

/// Positions of `items` grouped by `key`, each group in list order.
fn group<K: Ord, T>(items: &[T], key: impl Fn(&T) -> K) -> BTreeMap<K, Vec<usize>> {
    let mut map: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        map.entry(key(it)).or_default().push(i);
    }
    map
}

/// [`group`] by a text key, which is copied once per group rather than once per item.
fn group_by_text<T>(items: &[T], key: impl Fn(&T) -> &str) -> BTreeMap<String, Vec<usize>> {
    let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        push_to(&mut map, key(it), i);
    }
    map
}

/// Appends `i` to the list of `key`, copying the key only for a new list.
fn push_to(map: &mut BTreeMap<String, Vec<usize>>, key: &str, i: usize) {
    match map.get_mut(key) {
        Some(list) => list.push(i),
        None => {
            map.insert(key.to_string(), vec![i]);
        }
    }
}

fn folder(m: &Meta) -> &str {
    m.folder_agency.as_deref().unwrap_or_default()
}

/// The lookups keyed by a record's text (codes, numbers, agencies), made on one side of
/// [`Lookup::new`].
struct ByText {
    document_by_number: HashMap<String, usize>,
    power: HashMap<String, usize>,
    services_of_power: HashMap<String, Vec<usize>>,
    documents_by_agency: BTreeMap<String, Vec<usize>>,
    power_by_agency: BTreeMap<String, Vec<usize>>,
    services_by_agency: BTreeMap<String, Vec<usize>>,
    decisions_by_agency: BTreeMap<String, Vec<usize>>,
    reports_by_agency: BTreeMap<String, Vec<usize>>,
}

fn by_text(p: &Portal) -> ByText {
    let mut services_of_power: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, s) in p.services.iter().enumerate() {
        if let Some(code) = &s.data.power_item {
            services_of_power.entry(code.clone()).or_default().push(i);
        }
    }
    ByText {
        document_by_number: p
            .documents
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.data.doc_number.clone().map(|n| (n, i)))
            .collect(),
        power: p
            .power
            .iter()
            .enumerate()
            .map(|(i, r)| (r.data.code.clone(), i))
            .collect(),
        services_of_power,
        documents_by_agency: group_by_text(&p.documents, |d| &d.data.agency),
        power_by_agency: group_by_text(&p.power, |r| folder(&r.meta)),
        services_by_agency: group_by_text(&p.services, |r| folder(&r.meta)),
        decisions_by_agency: group_by_text(&p.decisions, |d| &d.data.agency),
        reports_by_agency: group_by_text(&p.reports, |r| folder(&r.meta)),
    }
}

fn agencies_by_slug(p: &Portal) -> HashMap<String, usize> {
    let mut agency = crate::table::map_with_capacity(p.agencies.len());
    for (i, a) in p.agencies.iter().enumerate() {
        agency.entry(a.meta.slug.clone()).or_insert(i);
    }
    agency
}

/// Of documents sharing a slug, the first by path. Sorted by slug first: paths compare
/// component by component, and sorting 100,000 of them took most of [`Lookup::new`].
fn documents_by_slug(p: &Portal) -> HashMap<String, usize> {
    let mut by_slug: Vec<usize> = (0..p.documents.len()).collect();
    by_slug.sort_unstable_by(|&a, &b| {
        let (a, b) = (&p.documents[a].meta, &p.documents[b].meta);
        a.slug.cmp(&b.slug).then_with(|| a.path.cmp(&b.path))
    });
    let mut document = crate::table::map_with_capacity(p.documents.len());
    for i in by_slug {
        document
            .entry(p.documents[i].meta.slug.clone())
            .or_insert(i);
    }
    document
}

fn interpretations(p: &Portal, document: &HashMap<String, usize>) -> HashMap<usize, Vec<usize>> {
    let mut interpretations: HashMap<usize, Vec<usize>> = HashMap::default();
    for (i, d) in p.documents.iter().enumerate() {
        for (slug, _) in d.data.interprets.iter().flat_map(|s| s.each("interprets")) {
            if let Some(&target) = document.get(&slug) {
                if target != i {
                    interpretations.entry(target).or_default().push(i);
                }
            }
        }
    }
    for list in interpretations.values_mut() {
        list.sort_by_key(|&i| (p.documents[i].data.published, i));
        list.dedup();
    }
    interpretations
}

fn documents_by_category(p: &Portal) -> BTreeMap<String, Vec<usize>> {
    let mut documents_by_category: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in p.documents.iter().enumerate() {
        for c in &d.data.categories {
            // A category written twice on one document lists it once.
            if documents_by_category.get(c).and_then(|l| l.last()) != Some(&i) {
                push_to(&mut documents_by_category, c, i);
            }
        }
    }
    documents_by_category
}

/// Each category's slug, numbered where two read the same.
fn category_slugs(categories: &BTreeMap<String, Vec<usize>>) -> BTreeMap<String, String> {
    let mut category_slug = BTreeMap::new();
    let mut taken = crate::table::HashSet::default();
    for c in categories.keys() {
        let stem = super::slug::category_slug(c);
        let mut slug = stem.clone();
        let mut n = 1;
        while !taken.insert(slug.clone()) {
            n += 1;
            slug = format!("{stem}-{n}");
        }
        category_slug.insert(c.clone(), slug);
    }
    category_slug
}

impl Lookup {
    pub fn new(p: &Portal) -> Lookup {
        // Two halves with nothing in common, side by side: every load builds these, and
        // serve waits for them before it shows an edited page.
        let ((agency, document, interpretations), (by_text, documents_by_category, category_slug)) =
            rayon::join(
                || {
                    let agency = agencies_by_slug(p);
                    let document = documents_by_slug(p);
                    let interpretations = interpretations(p, &document);
                    (agency, document, interpretations)
                },
                || {
                    let documents_by_category = documents_by_category(p);
                    let category_slug = category_slugs(&documents_by_category);
                    (by_text(p), documents_by_category, category_slug)
                },
            );
        let ByText {
            document_by_number,
            power,
            services_of_power,
            documents_by_agency,
            power_by_agency,
            services_by_agency,
            decisions_by_agency,
            reports_by_agency,
        } = by_text;
        Lookup {
            agency,
            document,
            interpretations,
            document_by_number,
            power,
            services_of_power,
            documents_by_year: group(&p.documents, |d| d.meta.year.unwrap_or(0)),
            documents_by_agency,
            power_by_agency,
            services_by_agency,
            decisions_by_year: group(&p.decisions, |d| d.meta.year.unwrap_or(0)),
            decisions_by_agency,
            reports_by_year: group(&p.reports, |r| r.meta.year.unwrap_or(0)),
            reports_by_agency,
            documents_by_category,
            category_slug,
        }
    }

    /// The report of `agency` for `year`, if the portal has it.
    pub fn report_of(&self, p: &Portal, agency: &str, year: i32) -> Option<usize> {
        self.reports_by_agency
            .get(agency)?
            .iter()
            .copied()
            .find(|&i| p.reports[i].meta.year == Some(year))
    }
}
