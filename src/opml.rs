//! OPML import (into the config file, keeping its comments) and export.

use crate::config::{canonical_url, Config, FeedSpec};
use std::collections::HashSet;
use std::path::Path;

/// A feed found in an OPML or newsboat urls file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportedFeed {
    /// Its URL; empty for a command feed.
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// A command feed's argv (newsboat's `exec:`).
    pub command: Vec<String>,
    /// The argv its body is piped through (newsboat's `filter:`).
    pub filter: Vec<String>,
    /// Left out of the feed list (newsboat's `!`).
    pub hidden: bool,
}

/// An OPML file that cannot be read, or a config it cannot be added to.
#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    #[error("{path}:{line}:{column}: not valid OPML: {reason}")]
    Invalid {
        path: String,
        line: u32,
        column: u32,
        reason: String,
    },
    #[error("{0}: not OPML: no <body>")]
    NoBody(String),
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

mod read;
pub use read::{parse, parse_bytes, Read};

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub skipped: Vec<(String, String)>,
}

/// Appends `feeds` to the config file as `[[feed]]` tables, creating the file if needed and
/// keeping its comments and layout. Feeds already there are skipped and reported.
pub fn append_to_config(
    config_path: &Path,
    feeds: &[ImportedFeed],
) -> Result<ImportReport, OpmlError> {
    let file_error = |reason: String| OpmlError::File {
        path: config_path.display().to_string(),
        reason,
    };
    let read = match std::fs::read_to_string(config_path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(file_error(format!("cannot read: {e}"))),
    };
    let text = read.clone().unwrap_or_default();
    // Validate what is there first: never append to a config we would refuse to load.
    let existing = Config::parse(&text, config_path)?;
    let mut known: HashSet<String> = existing.feeds.iter().map(|f| f.url.clone()).collect();
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| file_error(e.to_string()))?;
    let dir = config_path.parent().unwrap_or(Path::new("."));
    let mut report = ImportReport::default();
    for feed in feeds {
        let identity = if feed.command.is_empty() {
            canonical_url(&feed.url, dir)
        } else {
            crate::config::command_identity(&feed.command)
        };
        let url = match identity {
            Ok(u) => u,
            Err(reason) => {
                report.skipped.push((feed.url.clone(), reason));
                continue;
            }
        };
        if !known.insert(url.clone()) {
            // newsboat can hold one address twice, once through a filter; bulletin keeps
            // one feed per address, and says what was not brought over.
            let why = if feed.filter.is_empty() {
                "already subscribed".to_string()
            } else {
                format!(
                    "already subscribed: bulletin keeps one feed per address, so its filter \
                     ({}) is not brought over; add `filter` to that feed to use it",
                    crate::sanitize::clean_line(&feed.filter.join(" "))
                )
            };
            report.skipped.push((url, why));
            continue;
        }
        let mut table = toml_edit::Table::new();
        let argv = |words: &[String]| {
            toml_edit::value(
                words
                    .iter()
                    .map(String::as_str)
                    .collect::<toml_edit::Array>(),
            )
        };
        if feed.command.is_empty() {
            table.insert("url", toml_edit::value(url.clone()));
        } else {
            table.insert("command", argv(&feed.command));
        }
        if !feed.filter.is_empty() {
            table.insert("filter", argv(&feed.filter));
        }
        if feed.hidden {
            table.insert("hidden", toml_edit::value(true));
        }
        if let Some(name) = &feed.name {
            table.insert("name", toml_edit::value(name.clone()));
        }
        if !feed.tags.is_empty() {
            let tags: toml_edit::Array = feed.tags.iter().map(String::as_str).collect();
            table.insert("tags", toml_edit::value(tags));
        }
        crate::config::push_table(&mut doc, "feed", table).map_err(file_error)?;
        report.added.push(url);
    }
    if !report.added.is_empty() {
        // As every config edit is written: mode, owner and symlink kept, never over a
        // change made meanwhile.
        crate::config::replace_file(config_path, read.as_deref(), &doc.to_string())
            .map_err(file_error)?;
    }
    Ok(report)
}

/// The namespace of the attributes OPML has no word for (`bulletin:hidden`); other
/// readers pass them by.
const OWN_NAMESPACE: &str = "urn:bulletin:opml";

/// OPML 2.0 of the configured feeds. Feeds sit in a folder named after their first tag;
/// every tag is also in `category` (a comma in a tag written `%2C`, as the list is
/// comma-separated), so an import gives back the same tags; a hidden feed says so in
/// an attribute of bulletin's own.
pub fn export(feeds: &[FeedSpec], names: &dyn Fn(&FeedSpec) -> String) -> String {
    // The namespace only when it is used: most exports read as they always did.
    let root = match feeds.iter().any(|f| f.hidden) {
        true => format!("<opml version=\"2.0\" xmlns:bulletin=\"{OWN_NAMESPACE}\">"),
        false => "<opml version=\"2.0\">".to_string(),
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{root}\n  <head>\n    <title>bulletin subscriptions</title>\n  </head>\n  <body>\n",
    );
    let outline = |f: &FeedSpec, indent: &str| {
        let name = names(f);
        let mut line = format!(
            "{indent}<outline type=\"rss\" text=\"{n}\" title=\"{n}\" xmlUrl=\"{u}\"",
            n = attr(&name),
            u = attr(&f.url)
        );
        if !f.tags.is_empty() {
            let cats: Vec<String> = f
                .tags
                .iter()
                .map(|t| format!("/{}", t.replace('%', "%25").replace(',', "%2C")))
                .collect();
            line.push_str(&format!(" category=\"{}\"", attr(&cats.join(","))));
        }
        if f.hidden {
            line.push_str(" bulletin:hidden=\"true\"");
        }
        line.push_str("/>\n");
        line
    };
    let mut folders: Vec<&str> = Vec::new();
    for f in feeds {
        if let Some(first) = f.tags.first() {
            if !folders.contains(&first.as_str()) {
                folders.push(first);
            }
        }
    }
    for f in feeds.iter().filter(|f| f.tags.is_empty()) {
        out.push_str(&outline(f, "    "));
    }
    for folder in folders {
        out.push_str(&format!(
            "    <outline text=\"{0}\" title=\"{0}\">\n",
            attr(folder)
        ));
        for f in feeds
            .iter()
            .filter(|f| f.tags.first().map(String::as_str) == Some(folder))
        {
            out.push_str(&outline(f, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(&crate::sanitize::clean_line(s)).into_owned()
}

#[cfg(test)]
mod import_tests {
    use super::*;

    /// newsboat's one address twice, plain and through a filter: one feed, and the skip
    /// says the filter was not brought over (it said only "already subscribed").
    #[test]
    fn a_second_filtered_copy_of_an_address_is_skipped_saying_so() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bulletin.toml");
        let feed = |filter: &[&str]| ImportedFeed {
            url: "https://a.example/rss".into(),
            name: None,
            tags: Vec::new(),
            command: Vec::new(),
            filter: filter.iter().map(|s| s.to_string()).collect(),
            hidden: false,
        };
        let report =
            append_to_config(&config, &[feed(&[]), feed(&["sh", "-c", "sed s/a/b/"])]).unwrap();
        assert_eq!(report.added.len(), 1);
        let (_, why) = &report.skipped[0];
        assert!(
            why.contains("filter") && why.contains("sed s/a/b/"),
            "{why}"
        );
    }
}
