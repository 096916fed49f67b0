//! Subscriptions changed from the TUI: discovery on a thread of its own (it waits on the
//! network), and the config edits on the store thread, which then reloads the config as
//! Ctrl-r does. The same core as `bulletin add`, `remove`, `rename` and `tag`.

use super::msg::{FeedEdit, Msg};
use crate::config::{ConfigFile, General};
use crate::store::{PreparedFeed, Store};
use std::path::Path;
use std::sync::mpsc::Sender;

/// Looks for the feed(s) at `url` on a new thread; the answer comes as `Msg::Discovered`.
pub fn discover(general: &General, url: String, events: Sender<Msg>) {
    let general = general.clone();
    let spawned = std::thread::Builder::new()
        .name("discover".into())
        .spawn(move || {
            let found = crate::fetch::Fetcher::new(&general)
                .map_err(|e| e.to_string())
                .and_then(|f| crate::discover::discover(&f, &url).map_err(|e| e.to_string()));
            let _ = events.send(Msg::Discovered(found));
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start discovery: {e}");
    }
}

/// Writes the change to the config file; returns what to tell the user. The caller
/// reloads the config afterwards.
pub fn apply(
    store: &mut Store,
    config_path: Option<&Path>,
    edit: &FeedEdit,
) -> Result<String, String> {
    let Some(path) = config_path else {
        return Err("the demo has no config file: `bulletin init` writes one".into());
    };
    let mut file = ConfigFile::open(path).map_err(|e| e.to_string())?;
    let said = match edit {
        FeedEdit::Subscribe(found) => {
            let config = file.config().map_err(|e| e.to_string())?;
            if let Some(f) = config.feeds.iter().find(|f| f.url == found.url) {
                return Err(format!(
                    "{} is already subscribed, as {:?}",
                    found.url,
                    f.name.as_deref().unwrap_or(&f.url)
                ));
            }
            file.add_feed(&found.url, None, &[])
                .map_err(|e| e.to_string())?;
            let config = file.save().map_err(|e| e.to_string())?;
            // The articles are in hand: into the cache now.
            let ids = store.sync_feeds(&config.feeds).map_err(|e| e.to_string())?;
            if let Some((id, _)) = ids
                .iter()
                .zip(&config.feeds)
                .find(|(_, s)| s.url == found.url)
            {
                store
                    .apply(
                        *id,
                        &PreparedFeed::new(found.feed.clone()),
                        &Default::default(),
                        Some(200),
                        chrono::Utc::now(),
                        config.general.keep_days,
                    )
                    .map_err(|e| e.to_string())?;
            }
            let title = found
                .feed
                .title
                .clone()
                .unwrap_or_else(|| found.url.clone());
            format!("Subscribed to {title}: {} articles", found.feed.items.len())
        }
        FeedEdit::Remove { url } => {
            file.remove_feed(url).map_err(|e| e.to_string())?;
            file.save().map_err(|e| e.to_string())?;
            let config_ids = store.feed_id(url).map_err(|e| e.to_string())?;
            let kept = match config_ids {
                Some(id) => store.remove_feed(id).map_err(|e| e.to_string())?.1,
                None => 0,
            };
            if kept > 0 {
                format!("Removed {url}; its {kept} starred articles stay under Starred")
            } else {
                format!("Removed {url}")
            }
        }
        FeedEdit::Rename { url, name } => {
            let name = name.trim();
            file.set_name(url, (!name.is_empty()).then_some(name))
                .map_err(|e| e.to_string())?;
            file.save().map_err(|e| e.to_string())?;
            format!("Renamed to {name:?}")
        }
        FeedEdit::Tags { url, tags } => {
            file.set_tags(url, tags).map_err(|e| e.to_string())?;
            file.save().map_err(|e| e.to_string())?;
            format!("Tags: {}", tags.join(", "))
        }
    };
    Ok(said)
}

/// Tags as typed at the prompt: separated by commas (or spaces when there is no comma).
pub fn split_tags(text: &str) -> Vec<String> {
    let parts: Vec<&str> = if text.contains(',') {
        text.split(',').collect()
    } else {
        text.split_whitespace().collect()
    };
    let mut out: Vec<String> = Vec::new();
    for p in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|t| t == p) {
            out.push(p.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_split_on_commas_else_spaces() {
        assert_eq!(
            super::split_tags("security, weekly news ,x"),
            ["security", "weekly news", "x"]
        );
        assert_eq!(super::split_tags("a b a"), ["a", "b"]);
        assert!(super::split_tags("  ").is_empty());
    }
}
