//! Text handling shared by every stage: Markdown to HTML and to plain text, the one escaper
//! for markup gongkai writes itself, which link targets a page may carry, and the language
//! of messages.

pub mod cjk;
pub mod escape;
pub mod lang;
pub mod markdown;
pub mod url;
