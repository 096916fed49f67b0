//! Reading the config again in a running TUI: on Ctrl-r, and when its file changed under
//! it (`bulletin add`, `remove` or `rename` from another shell, an editor's save). The
//! store thread reads a changed file when idle, and the refresh thread, asked to refresh
//! before that, reads it itself: a feed `bulletin remove` took out is never fetched back
//! into the cache by a config this process read before.

use super::msg::Msg;
use crate::config::Config;
use crate::model::FeedId;
use crate::store::Store;
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::Sender;

/// What tells one version of the file from the next (see `config::FileStamp`).
pub use crate::config::FileStamp as Stamp;

pub fn stamp(path: Option<&Path>) -> Stamp {
    crate::config::file_stamp(path?)
}

/// The store thread's look at the config file: a change is read once the file has
/// stayed the same for a look (a second), so that a file rewritten in place is not read
/// half-written, or empty, with every feed gone for a moment.
pub(super) struct Watch {
    /// The file as the config in force was read from it.
    seen: Stamp,
    /// A change seen at the last look, not yet read.
    settling: Option<Stamp>,
}

impl Watch {
    pub(super) fn new(config: &Config) -> Watch {
        Watch {
            seen: config.stamp,
            settling: None,
        }
    }

    /// Whether the file changed and has since stayed the same for a look: then it is
    /// taken as seen, to be read.
    pub(super) fn settled_change(&mut self, path: Option<&Path>) -> bool {
        let now = stamp(path);
        if now == self.seen {
            self.settling = None;
            return false;
        }
        if self.settling != Some(now) {
            self.settling = Some(now);
            return false;
        }
        self.settling = None;
        self.seen = now;
        true
    }

    /// The file is about to be read on request (Ctrl-r, an edit made here): as it is
    /// now, it is seen (taken before the read: a change during it shows at the next look).
    pub(super) fn reading(&mut self, path: Option<&Path>) {
        self.seen = stamp(path);
        self.settling = None;
    }
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

/// Why the config is read again: asked for (Ctrl-r, an edit made here), or its file
/// was seen to change. An error in a file seen to change (an editor's save half-way) is
/// said on the status line, not in a box over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reload {
    Asked,
    Noticed,
}

/// Reads the config again; on success the feed list follows it, read state untouched.
pub(super) fn reload(
    store: &mut Store,
    config: &mut Config,
    path: Option<&std::path::Path>,
    tx: &Sender<Msg>,
    names: &mut HashMap<FeedId, String>,
    why: Reload,
) {
    let loaded = match path {
        None => Err("the demo has no config file: create one and restart".to_string()),
        Some(p) => Config::load(p).map_err(|e| e.to_string()),
    };
    let mut added = Vec::new();
    let loaded = loaded.and_then(|mut c| {
        crate::feedlist::merge(&mut c, store).map_err(|e| e.to_string())?;
        let list = crate::feedlist::FeedList::of(&c, store).map_err(|e| e.to_string())?;
        // Feeds the list did not have are fetched at once: new in the file, or put back
        // after `bulletin remove` from another shell took them out of the cache (a new
        // row, though the config held here still named them). By id, as last listed:
        // a server's or a mailbox's feeds, or feeds not fetched yet, are not new.
        added = list
            .iter()
            .map(|f| f.id)
            .filter(|id| !names.contains_key(id))
            .collect();
        Ok(c)
    });
    if let Ok(new) = &loaded {
        *config = new.clone();
        tracing::info!(feeds = new.feeds.len(), "config reloaded");
        let _ = super::worker::load_feeds(store, config, tx, names);
    }
    if let Err(e) = &loaded {
        tracing::warn!("config not reloaded: {e}");
        if why == super::config_watch::Reload::Noticed {
            // Where first (the status line cuts a long line at the screen's width).
            let first = e.lines().next().unwrap_or_default();
            let _ = tx.send(Msg::Notice(format!(
                "Config changed, not read: {first} (reload it to see it whole)"
            )));
            return;
        }
    }
    let _ = tx.send(Msg::ConfigReloaded(loaded.map(Box::new)));
    if !added.is_empty() {
        let _ = tx.send(Msg::FeedsAdded(added));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change is read at the second look that finds the file the same, once; one
    /// still being written (it changed again in between) waits another look.
    #[test]
    fn a_change_is_read_once_the_file_has_settled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bulletin.toml");
        std::fs::write(&path, "[[feed]]\nurl = \"http://127.0.0.1:9/a.xml\"\n").unwrap();
        let config = Config::load(&path).unwrap();
        let mut watch = Watch::new(&config);
        let at = Some(path.as_path());
        assert!(!watch.settled_change(at), "unchanged");
        std::fs::write(&path, "").unwrap();
        assert!(
            !watch.settled_change(at),
            "first seen: it may be half-written"
        );
        std::fs::write(&path, "[general]\n").unwrap();
        assert!(!watch.settled_change(at), "changed again: another look");
        assert!(watch.settled_change(at), "the same twice: read");
        assert!(!watch.settled_change(at), "read once");
        std::fs::write(&path, "[general]\n\n").unwrap();
        watch.reading(at);
        assert!(!watch.settled_change(at), "read on request: seen");
    }

    /// A rewrite in place that keeps the length and puts the modification time back
    /// (a restore, `touch -r`, a save within the time's resolution) is still a change.
    #[cfg(unix)]
    #[test]
    fn a_rewrite_keeping_time_and_length_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bulletin.toml");
        std::fs::write(&path, "[[feed]]\nurl = \"http://127.0.0.1:9/a.xml\"\n").unwrap();
        let before = stamp(Some(&path));
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, "[[feed]]\nurl = \"http://127.0.0.1:9/b.xml\"\n").unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_modified(modified).unwrap();
        drop(file);
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.modified().unwrap(), modified, "time put back");
        assert_ne!(stamp(Some(&path)), before);
    }
}
