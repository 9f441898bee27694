//! Annual information-disclosure reports beyond their own page (their due dates and timeliness
//! live in `deadlines`, shared with the notices):
//! headline figures, downloads (CSV and JSON) and trend charts.
//!
//! The national form itself (rows, labels, columns) is `report_form`; the arithmetic is
//! `report_math`. This module only reads reports.

pub mod chart;
pub mod export;
pub mod figures;
