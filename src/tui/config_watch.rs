//! The config file changed under a running TUI: `bulletin add`, `remove` or `rename`
//! from another shell, or an editor's save. The store thread reads it again when idle
//! (as Ctrl-r would), and the refresh thread, asked to refresh before that, reads it
//! itself: a feed `bulletin remove` took out is never fetched back into the cache by a
//! config this process read before.

use crate::config::Config;
use crate::store::Store;
use std::path::Path;

/// What tells one version of the file from the next: its time and length (an editor
/// that saves within the file system's time resolution and keeps the length is missed
/// until the next save; Ctrl-r reads it in any case).
pub use crate::config::FileStamp as Stamp;

pub fn stamp(path: Option<&Path>) -> Stamp {
    crate::config::file_stamp(path?)
}

/// For the refresh thread: the config as the file now has it (with the server's and the
/// mailboxes' feeds, as the store thread merges them) when the file changed since
/// `seen`, which then moves on. None when it did not change, or reads with an error (the
/// store thread says so; the refresh goes on with the config it has).
pub fn fresher(config: &Config, seen: &mut Stamp, store: &Store) -> Option<Config> {
    let path = config.path.as_deref()?;
    let now = stamp(Some(path));
    if now == *seen {
        return None;
    }
    *seen = now;
    let mut fresh = Config::load(path).ok()?;
    crate::feedlist::merge(&mut fresh, store).ok()?;
    Some(fresh)
}
