//! The built-in demo: bulletins the project wrote itself, embedded in the binary, so that
//! `bulletin` with no config shows real content with no network.

use crate::config::{Config, FeedSpec};
use std::path::Path;

const FEEDS: &[(&str, &str, &[&str])] = &[
    (
        "security-weekly.xml",
        include_str!("demo/security-weekly.xml"),
        &["security"],
    ),
    (
        "release-notes.xml",
        include_str!("demo/release-notes.xml"),
        &["software"],
    ),
    (
        "harbour-notes.json",
        include_str!("demo/harbour-notes.json"),
        &[],
    ),
];

/// The demo feeds could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write the demo: {reason}")]
pub struct DemoError {
    path: String,
    reason: String,
}

/// Writes the demo feeds under `dir` and returns a config that reads them. No refresh on
/// a timer: the files never change.
pub fn config(dir: &Path) -> Result<Config, DemoError> {
    let failed = |path: &Path, reason: String| DemoError {
        path: path.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(dir, e.to_string()))?;
    let mut feeds = Vec::new();
    for (name, body, tags) in FEEDS {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(*body) {
            std::fs::write(&path, body).map_err(|e| failed(&path, e.to_string()))?;
        }
        let url = crate::config::canonical_url(&path.to_string_lossy(), dir)
            .map_err(|reason| failed(&path, reason))?;
        feeds.push(FeedSpec {
            options: Default::default(),
            url,
            name: None,
            hidden: false,
            remote: None,
            mailbox: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        });
    }
    let mut config = Config {
        feeds,
        ..Config::default()
    };
    config.general.refresh_interval_minutes = 0;
    Ok(config)
}
