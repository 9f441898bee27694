//! The derive stage: everything computed from the model for a given day, once, before
//! anything is rendered: document validity, deadline notices, report figures.

pub mod deadlines;
pub mod report_figures;
pub mod validity;

pub use validity::{valid_until, validity};
