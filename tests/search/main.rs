//! The search indexes and the JavaScript client: tiered search over a tantivy index of the seed
//! documents, the static index read by the real client under Node, and the tokenizer vectors
//! both tokenizers must produce.
//!
//! One test binary with a module per file (`cargo test --test search`); tests/rules/main.rs
//! says why.

#[path = "../support/seeds.rs"]
mod seeds;
#[path = "../support/tools.rs"]
mod tools;

mod search_query;
mod search_static;
mod search_tokenizer_vectors;
mod search_update;
