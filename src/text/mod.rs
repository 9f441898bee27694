//! Text handling shared by every stage: Markdown to HTML and to plain text, the one escaper
//! for markup gongkai writes itself, and which link targets a page may carry.

pub mod cjk;
pub mod escape;
pub mod markdown;
pub mod url;
