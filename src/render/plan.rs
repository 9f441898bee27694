//! What pages a site has: one light job per page (an enum pointing at records by index), so the
//! renderer's threads share out a flat list and each page's context lives only while it renders.

use crate::derive::Derived;
use crate::model::*;

use super::pagination::pages;
use super::reports;

/// One page (or a set of pages) to render.
pub(super) enum Job {
    Home,
    Page(usize),
    Agencies,
    Agency(usize),
    AgencyDocuments {
        agency: usize,
        page: usize,
    },
    AgencyReports(usize),
    ItemsIndex(Kind),
    ItemsOfAgency {
        kind: Kind,
        agency: String,
        page: usize,
    },
    Power(usize),
    Service(usize),
    DecisionsIndex,
    DecisionsYear(i32),
    Decision(usize),
    DocumentsIndex,
    /// A page of the catalog filtered to interpretations.
    Interpretations(usize),
    DocumentCategories,
    DocumentCategory {
        category: String,
        page: usize,
    },
    DocumentsYear {
        year: i32,
        page: usize,
    },
    Document(usize),
    ReportsIndex,
    ReportsYear {
        year: i32,
        sort: Option<(reports::SortKey, reports::Dir)>,
    },
    Report(usize),
    Search,
    Deadlines,
    Data,
    NotFound,
}

/// The pages of a site, as jobs for the renderer's threads.
pub(super) struct Plan;

impl Plan {
    pub(super) fn jobs(p: &Portal, derived: &Derived) -> Vec<Job> {
        let ix = &p.lookup;
        let per = p.config.paginate_by;
        let mut jobs = vec![
            Job::Home,
            Job::Agencies,
            Job::ItemsIndex(Kind::Power),
            Job::ItemsIndex(Kind::Service),
            Job::DecisionsIndex,
            Job::DocumentsIndex,
            Job::DocumentCategories,
            Job::ReportsIndex,
            Job::Search,
            Job::Deadlines,
            Job::Data,
            Job::NotFound,
        ];
        jobs.extend((0..p.pages.len()).map(Job::Page));
        for (i, a) in p.agencies.iter().enumerate() {
            jobs.push(Job::Agency(i));
            let n = ix.documents_by_agency.get(&a.meta.slug).map_or(0, Vec::len);
            jobs.extend(
                (1..=pages(n, per).len()).map(|page| Job::AgencyDocuments { agency: i, page }),
            );
            jobs.push(Job::AgencyReports(i));
        }
        for (kind, groups) in [
            (Kind::Power, &ix.power_by_agency),
            (Kind::Service, &ix.services_by_agency),
        ] {
            for (agency, items) in groups {
                for page in 1..=pages(items.len(), per).len() {
                    jobs.push(Job::ItemsOfAgency {
                        kind,
                        agency: agency.clone(),
                        page,
                    });
                }
            }
        }
        jobs.extend((0..p.power.len()).map(Job::Power));
        jobs.extend((0..p.services.len()).map(Job::Service));
        jobs.extend(ix.decisions_by_year.keys().map(|y| Job::DecisionsYear(*y)));
        jobs.extend((0..p.decisions.len()).map(Job::Decision));
        for (year, docs) in &ix.documents_by_year {
            for page in 1..=pages(docs.len(), per).len() {
                jobs.push(Job::DocumentsYear { year: *year, page });
            }
        }
        let interpretations = p
            .documents
            .iter()
            .filter(|d| d.data.interprets.is_some())
            .count();
        jobs.extend((1..=pages(interpretations, per).len()).map(Job::Interpretations));
        for (category, docs) in &ix.documents_by_category {
            for page in 1..=pages(docs.len(), per).len() {
                jobs.push(Job::DocumentCategory {
                    category: category.clone(),
                    page,
                });
            }
        }
        jobs.extend((0..p.documents.len()).map(Job::Document));
        for &year in &derived.reports.years {
            jobs.push(Job::ReportsYear { year, sort: None });
            jobs.extend(
                reports::sort_orders()
                    .into_iter()
                    .map(|s| Job::ReportsYear {
                        year,
                        sort: Some(s),
                    }),
            );
        }
        jobs.extend((0..p.reports.len()).map(Job::Report));
        jobs
    }
}
