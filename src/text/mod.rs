//! Text handling shared by every stage: Markdown to HTML and to plain text, and which link
//! targets a page may carry.

pub mod markdown;
pub mod url;
