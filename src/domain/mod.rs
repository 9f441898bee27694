//! What the regulations say, as pure functions and tables: the identifiers (统一社会信用代码,
//! 索引号, 发文字号, 事项编码), the working-day calendar, the national annual-report form and
//! its arithmetic, the time limits of applications for disclosure. Nothing here reads files
//! or knows about pages.

pub mod calendar;
pub mod categories;
pub mod identifiers;
pub mod report_form;
pub mod report_math;
pub mod requests;
