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
        .filter(|f| f.remote.is_none() && f.mailbox.is_none())
        .map(|f| (f.url.clone(), (f.name.clone(), f.tags.clone())))
        .collect()
}

/// What changed in the config's feed list since it was last written: a line per
/// feed added, removed, renamed or retagged, and the list to remember once written.
pub(super) fn changes(
    config: &Config,
    store: &Store,
    device: &mut Device,
) -> Result<(Vec<FolderFeed>, Option<String>), FolderError> {
    if config.path.is_none() {
        return Ok((Vec::new(), None));
    }
    let before: Published = store
        .meta(PUBLISHED)?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let now = own_feeds(config);
    if before == now {
        return Ok((Vec::new(), None));
    }
    let ms = clock::wall_ms();
    let mut out = Vec::new();
    for (url, (name, tags)) in &now {
        if before.get(url) != Some(&(name.clone(), tags.clone())) {
            out.push(FolderFeed {
                url: url.clone(),
                at: device.clock.tick(ms),
                device: device.id.clone(),
                present: true,
                name: name.clone(),
                tags: tags.clone(),
            });
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
    for feed in &pending {
        let here = current.feeds.iter().find(|f| f.url == feed.url);
        match (feed.present, here) {
            (true, None) => {
                file.add_feed(&feed.url, feed.name.as_deref(), &feed.tags)
                    .map_err(config_error)?;
                applied += 1;
            }
            (true, Some(spec)) => {
                if spec.name != feed.name {
                    file.set_name(&feed.url, feed.name.as_deref())
                        .map_err(config_error)?;
                }
                if spec.tags != feed.tags {
                    file.set_tags(&feed.url, &feed.tags).map_err(config_error)?;
                }
                applied += usize::from(spec.name != feed.name || spec.tags != feed.tags);
            }
            (false, Some(_)) => {
                file.remove_feed(&feed.url).map_err(config_error)?;
                removed.push(feed.url.clone());
                applied += 1;
            }
            (false, None) => {}
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
    // The config as it is now is what this device has written: the changes just made
    // are another device's, not to be written back as this one's.
    if let Ok(text) = serde_json::to_string(&own_feeds(&saved)) {
        store.set_meta(PUBLISHED, &text)?;
    }
    for feed in &pending {
        store.folder_feed_applied(&feed.url)?;
    }
    Ok((changed.then_some(saved), applied))
}
