//! Subscriptions through the folder: the config's own feed list is what this device
//! says; what changed in it since the last sync is written (a feed added, removed,
//! renamed or retagged, by any means: a command, the TUI, an editor), and another
//! device's changes that win are made to the config here through the editing that keeps
//! its comments, then remembered as said so that they are not written back as ours.

use super::{clock, Device, FolderError, PUBLISHED};
use crate::config::Config;
use crate::store::{FolderFeed, Store};
use std::collections::BTreeMap;

/// The config's own feeds as last written to the folder: URL to name and tags.
type Published = BTreeMap<String, (Option<String>, Vec<String>)>;

fn own_feeds(config: &Config) -> Published {
    config
        .feeds
        .iter()
        // A command feed runs a program of this machine's: never another device's.
        .filter(|f| {
            f.remote.is_none()
                && f.mailbox.is_none()
                && !f.url.starts_with(crate::config::EXEC_PREFIX)
        })
        .map(|f| (f.url.clone(), (f.name.clone(), f.tags.clone())))
        .collect()
}

/// What changed in the config's feed list (`config` is the file as it is now) since it
/// was last written: a line per
/// feed added, removed, renamed or retagged, and the list to remember once written.
/// Nothing before the first sync: a device that joins takes the folder's state first
/// (`first_join`).
pub(super) fn changes(
    config: &Config,
    store: &Store,
    device: &mut Device,
) -> Result<(Vec<FolderFeed>, Option<String>), FolderError> {
    let Some(before) = store.meta(PUBLISHED)? else {
        return Ok((Vec::new(), None));
    };
    let before: Published = serde_json::from_str(&before).unwrap_or_default();
    if config.path.is_none() {
        return Ok((Vec::new(), None));
    }
    let now = own_feeds(config);
    if before == now {
        return Ok((Vec::new(), None));
    }
    let ms = clock::wall_ms();
    let mut out = Vec::new();
    for (url, (name, tags)) in &now {
        if before.get(url) != Some(&(name.clone(), tags.clone())) {
            out.push(present(device, ms, url, name, tags));
        }
    }
    for url in before.keys().filter(|u| !now.contains_key(*u)) {
        out.push(FolderFeed {
            url: url.clone(),
            at: device.clock.tick(ms),
            device: device.id.clone(),
            present: false,
            name: None,
            tags: Vec::new(),
        });
    }
    Ok((out, serde_json::to_string(&now).ok()))
}

fn present(
    device: &mut Device,
    ms: i64,
    url: &str,
    name: &Option<String>,
    tags: &[String],
) -> FolderFeed {
    FolderFeed {
        url: url.to_string(),
        at: device.clock.tick(ms),
        device: device.id.clone(),
        present: true,
        name: name.clone(),
        tags: tags.to_vec(),
    }
}

/// A device's first sync, after the folder's subscriptions were made to its config:
/// only the feeds the folder has never heard of are written (a device that joins with
/// feeds in its config neither renames, retags nor brings back what the others did).
/// Returns the lines to write and the list to remember.
pub(super) fn first_join(
    config: &Config,
    store: &Store,
    device: &mut Device,
) -> Result<(Vec<FolderFeed>, Option<String>), FolderError> {
    if store.meta(PUBLISHED)?.is_some() {
        return Ok((Vec::new(), None));
    }
    if config.path.is_none() {
        return Ok((Vec::new(), None));
    }
    let now = own_feeds(config);
    let known = store.folder_feed_urls()?;
    let ms = clock::wall_ms();
    let out = now
        .iter()
        .filter(|(url, _)| !known.contains(*url))
        .map(|(url, (name, tags))| present(device, ms, url, name, tags))
        .collect();
    Ok((out, serde_json::to_string(&now).ok()))
}

/// Makes another device's subscription changes to the config file here. Returns the
/// config as it is now when the file changed, and how many feeds did.
pub(super) fn apply(
    config: &Config,
    store: &mut Store,
) -> Result<(Option<Config>, usize), FolderError> {
    let pending = store.folder_pending_feeds()?;
    let Some(path) = config.path.as_deref().filter(|_| !pending.is_empty()) else {
        return Ok((None, 0));
    };
    let config_error = |e: crate::config::EditError| FolderError::Config(e.to_string());
    let mut file = crate::config::ConfigFile::open(path).map_err(config_error)?;
    let current = file
        .config()
        .map_err(|e| FolderError::Config(e.to_string()))?;
    let mut applied = 0;
    let mut removed = Vec::new();
    let mut done = Vec::new();
    for feed in &pending {
        let here = current.feeds.iter().find(|f| f.url == feed.url);
        // A name one of this config's saved searches has (another device named a feed
        // as a search is named here) is not taken: the file would not load, and every
        // sync and refresh here failed on it. The feed keeps its name here.
        // (Compared as the config reads names: cleaned.)
        let taken = feed.name.as_deref().is_some_and(|n| {
            let n = crate::sanitize::clean_line(n);
            current.queries.iter().any(|q| q.name == n)
        });
        if taken {
            tracing::warn!(
                "sync folder: {}: not named {:?} here: a saved search has that name",
                feed.url,
                feed.name.as_deref().unwrap_or_default()
            );
        }
        let name = if taken {
            here.and_then(|spec| spec.name.clone())
        } else {
            feed.name.clone()
        };
        // One feed this config cannot take (a URL or tag this version refuses) is said
        // and left waiting; the others are made.
        let made: Result<usize, crate::config::EditError> = (|| {
            Ok(match (feed.present, here) {
                (true, None) => {
                    file.add_feed(&feed.url, name.as_deref(), &feed.tags)?;
                    1
                }
                (true, Some(spec)) => {
                    if spec.name != name {
                        file.set_name(&feed.url, name.as_deref())?;
                    }
                    if spec.tags != feed.tags {
                        file.set_tags(&feed.url, &feed.tags)?;
                    }
                    usize::from(spec.name != name || spec.tags != feed.tags)
                }
                (false, Some(_)) => {
                    file.remove_feed(&feed.url)?;
                    removed.push(feed.url.clone());
                    1
                }
                (false, None) => 0,
            })
        })();
        match made {
            Ok(n) => {
                applied += n;
                done.push(feed);
            }
            Err(e) => tracing::warn!("sync folder: {}: {e}", feed.url),
        }
    }
    let changed = applied > 0;
    let saved = if changed {
        file.save().map_err(config_error)?
    } else {
        current
    };
    for url in &removed {
        if let Some(id) = store.feed_id(url)? {
            store.remove_feed(id)?;
        }
    }
    // What was just made is another device's, not to be written back as this one's:
    // those feeds (only those) are remembered as the config now has them. (Before a
    // first join, `first_join` remembers the whole list.)
    if let Some(text) = store.meta(PUBLISHED)? {
        let mut published: Published = serde_json::from_str(&text).unwrap_or_default();
        let now = own_feeds(&saved);
        for feed in &done {
            match now.get(&feed.url) {
                Some(state) => published.insert(feed.url.clone(), state.clone()),
                None => published.remove(&feed.url),
            };
        }
        if let Ok(text) = serde_json::to_string(&published) {
            store.set_meta(PUBLISHED, &text)?;
        }
    }
    for feed in &done {
        store.folder_feed_applied(&feed.url)?;
    }
    Ok((changed.then_some(saved), applied))
}
