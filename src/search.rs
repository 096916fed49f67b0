//! Search: the query language, the index's words, and rules that judge new articles.
//!
//! `query` parses what the user types, `compile` makes it a question the cache's FTS5
//! index answers, `matcher` answers it for one article in memory (the arrival filters),
//! `fold` says what a word is, `text` turns an article's HTML into its words, and `rules`
//! holds the configured saved searches and filters.

pub mod compile;
pub mod fold;
mod lex;
pub mod matcher;
pub mod query;
pub mod rules;
pub mod text;
mod when;

pub use compile::{compile, Compiled, FeedInfo};
pub use fold::{fold, Highlighter};
pub use query::{parse, Field, Filter, Query, QueryError, Term, Text};
