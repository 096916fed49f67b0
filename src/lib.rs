//! bulletin: a terminal reader for RSS, Atom and JSON Feed bulletins with an offline cache.
//!
//! The core (`config`, `fetch`, `parse`, `store`, `refresh`, `render`) knows nothing of the
//! terminal; `tui` builds the interactive program on top of it, `cli` the headless one.
// Unsafe code only where a C library is reached through its interface: SQLite
// (store::gather) and libdeflate (fetch::decode::libdeflate).
#![deny(unsafe_code)]
// Outside tests, a failure is an error value with a message, never a panic.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod article;
pub mod cli;
pub mod config;
pub mod demo;
pub mod discover;
pub mod download;
pub mod export;
pub mod feedlist;
pub mod fetch;
pub mod folder;
pub mod fulltext;
pub mod gemini;
pub mod html_depth;
pub mod imagecache;
pub mod keys;
pub mod links;
pub mod mail;
pub mod model;
pub mod newsboat;
pub mod notify;
pub mod opml;
pub mod parse;
pub mod paths;
pub mod process;
pub mod refresh;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod store;
pub mod story;
pub mod sync;
pub mod tui;
