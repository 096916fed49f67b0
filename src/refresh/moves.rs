//! Following feeds that moved. A permanent redirect (301 or 308 at every hop) seen on
//! three refreshes in a row moves the feed; so does one, when the new address answers
//! with the feed already cached (a 304 to our validators, or an article we have). The
//! move rewrites the URL in config.toml (comments kept) and in the cache, where the feed
//! keeps its id and so every article and read mark. Temporary redirects never move.

use crate::store::{FeedTarget, Store};
use std::path::Path;

/// Permanent redirects to the same place on this many refreshes in a row move a feed.
pub const MOVE_AFTER: u32 = 3;

/// Notes what this refresh saw (in the writer's batch); returns how many refreshes in
/// a row have seen this redirect, None when it could not be noted.
pub(super) fn note(store: &mut Store, target: &FeedTarget, moved_to: Option<&str>) -> Option<u32> {
    store
        .note_redirect(target.id, moved_to)
        .map_err(|e| tracing::warn!(url = %target.url, "cannot note a redirect: {e}"))
        .ok()
}

/// Moves the feed when what `note` counted says so, after the batch is committed: the
/// config is rewritten only for a feed whose refresh the cache kept. Returns the new URL.
pub(super) fn follow(
    store: &mut Store,
    target: &FeedTarget,
    moved_to: Option<&str>,
    same_feed: bool,
    streak: u32,
    config_path: Option<&Path>,
) -> Option<String> {
    let to = moved_to?;
    if to == target.url || !(same_feed || streak >= MOVE_AFTER) {
        return None;
    }
    // The config first: a feed moved in the cache but not in the config would come back
    // under its old URL as a new, empty feed.
    let path = config_path?;
    let edited = crate::config::ConfigFile::open(path).and_then(|mut file| {
        file.set_url(&target.url, to)?;
        file.save()
    });
    if let Err(e) = edited {
        tracing::warn!(url = %target.url, "moved to {to}, but the config cannot follow: {e}");
        return None;
    }
    match store.move_feed(target.id, to) {
        Ok(()) => {
            tracing::info!(from = %target.url, to, "feed moved");
            Some(to.to_string())
        }
        Err(e) => {
            tracing::warn!(url = %target.url, "moved to {to} in the config, not in the cache: {e}");
            None
        }
    }
}
