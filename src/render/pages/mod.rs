//! The HTML pages, one module per family of pages; [`Ctx::page`] hands each job of the plan to
//! the function that fills its template's context. The annual reports' pages are in
//! [`super::reports`].

mod agencies;
mod decisions;
mod documents;
mod home;
mod items;
mod standalone;

use crate::diagnostics::Diagnostic;

use super::context::{Ctx, ToRender};
use super::plan::Job;

impl Ctx<'_> {
    pub(super) fn page(&self, job: &Job) -> Result<ToRender, Diagnostic> {
        Ok(match job {
            Job::Home => self.home()?,
            Job::Page(i) => self.content_page(*i)?,
            Job::Agencies => self.agencies(),
            Job::Agency(i) => self.agency(*i),
            Job::AgencyDocuments { agency, page } => self.agency_documents(*agency, *page),
            Job::AgencyReports(i) => self.agency_reports_page(*i),
            Job::ItemsIndex(kind) => self.items_index(*kind),
            Job::ItemsOfAgency { kind, agency, page } => self.items_of_agency(*kind, agency, *page),
            Job::Power(i) => self.power(*i),
            Job::Service(i) => self.service(*i),
            Job::DecisionsIndex => self.decisions_index(),
            Job::DecisionsYear(year) => self.decisions_year(*year),
            Job::Decision(i) => self.decision(*i)?,
            Job::DocumentsIndex => self.documents_index(),
            Job::Interpretations(page) => self.interpretations(*page),
            Job::DocumentCategories => self.document_categories(),
            Job::DocumentCategory { category, page } => self.document_category(category, *page),
            Job::DocumentsYear { year, page } => self.documents_year(*year, *page),
            Job::Document(i) => self.document(*i)?,
            Job::ReportsIndex => self.reports_index(),
            Job::ReportsYear { year, sort } => self.comparison_page(*year, *sort),
            Job::Report(i) => self.report_page(*i),
            Job::Search => self.search(),
            Job::Deadlines => self.deadlines(),
            Job::Data => self.data_page(),
            Job::NotFound => self.not_found(),
        })
    }
}
