//! Checkpoints of the write-ahead log on a thread of their own during a refresh.
//!
//! A checkpoint copies the log into the database and waits for the disk twice (fsync of
//! the log, then of the database). Done by the writer alone, as SQLite does by default,
//! those waits held up every write behind them: 0.6 s of a 1.6 s cold refresh. Here a
//! second connection checkpoints every few tens of milliseconds while the writer goes on
//! appending; WAL allows exactly this. The writer keeps its own automatic checkpoint: it
//! now finds the copying and syncing all but done, and only a checkpoint by the writer
//! lets the log start over from its beginning instead of growing by the whole refresh.
//! Durability is unchanged: a commit is durable in the log, as before.
//!
//! SQLite syncs the database file only in a checkpoint that reaches the log's end, which
//! this one, behind a busy writer, never does: the pages it copied piled up unsynced
//! until the writer's own checkpoint, whose sync then waited 0.1 to 0.16 s for all of
//! them, with every other thread of the refresh waiting on the writer. So this thread
//! also syncs the database file itself after a round that copied pages (file_sync.rs).

use super::{Result, Store};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// The writer's automatic checkpoint threshold, in pages (SQLite's default is 1000): a
/// refresh rewrites the same index pages feed after feed, and each checkpoint copies
/// them again.
pub(super) const AUTOCHECKPOINT_PAGES: i64 = 10000;

/// Time between passive checkpoints: often enough that the writer's checkpoint finds
/// little left to copy and sync, rarely enough that the syncs do not come one after
/// another. (25 ms rather than 50 once this thread synced the database file too: the
/// cold refresh's median went from 2.61 s to 2.42 s, 6 runs each, alternating.)
const ROUND: Duration = Duration::from_millis(25);

/// Background checkpoints, running until this is dropped (which waits for the round in
/// progress, if any, to finish).
pub struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Store {
    /// Starts checkpointing on a second connection and another thread. `None` when there
    /// is no file to open a second connection on.
    pub fn background_checkpoints(&self) -> Result<Option<Checkpointer>> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        // No busy timeout: a passive checkpoint that finds the database busy just waits
        // for its next round, and stopping never waits on a lock.
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let (stop, stopped) = mpsc::channel();
        let path = PathBuf::from(path);
        let thread = std::thread::spawn(move || checkpoint_until(&conn, &path, &stopped));
        Ok(Some(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        }))
    }
}

/// A log this long (in pages) has the database file synced after each round: below it,
/// the writer's checkpoint has little to wait for, and a small refresh keeps no handle.
const SYNC_FROM_PAGES: i64 = 2000;

fn checkpoint_until(conn: &Connection, path: &Path, stopped: &mpsc::Receiver<()>) {
    let mut copied_before = None;
    let mut synced_first = false;
    loop {
        // What another process left unwritten in the database file (a refresh just
        // before, a copy of the cache) is written now, while the fetches wait on the
        // network: at the end, the writer's checkpoint waited for it (78 ms of a 0.13 s
        // refresh of 304s on a cache copied just before). Only once the log has frames,
        // though: a refresh that writes nothing (all 304s, their times kept beside the
        // cache: store::checks) has nothing to sync, and should not wait for a copy's
        // pages at its end. (A log another connection filled, as a TUI open on the
        // cache, has frames from the start: then the sync is made at once, as before.)
        if !synced_first && log_has_frames(path) {
            super::file_sync::sync_data(path);
            synced_first = true;
        }
        // A short log is left to the close's checkpoint: a refresh of 304s writes a few
        // hundred kilobytes, and copying them here too only wrote the same pages twice.
        // A refresh that writes much passes the length within its first batches.
        if !log_is_long(path) {
            match stopped.recv_timeout(ROUND) {
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                _ => return,
            }
        }
        // PASSIVE never waits for the writer: it copies what is committed and syncs the
        // log (the database file only when it reaches the log's end). It says how long
        // the log is and how much of it is in the database file now.
        let round = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        });
        if let Ok((log, copied)) = round {
            if log >= SYNC_FROM_PAGES && copied_before.is_some_and(|before| before != copied) {
                // Only ever earlier than SQLite's own sync, never instead of it.
                super::file_sync::sync_data(path);
            }
            copied_before = Some(copied);
        }
        match stopped.recv_timeout(ROUND) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => return,
        }
    }
}

/// A log this long is checkpointed during the refresh (SQLite's own automatic checkpoint
/// starts at 1,000 pages, about this size).
const CHECKPOINT_FROM_BYTES: u64 = 4 << 20;

/// Whether the log beside the database at `db` holds anything past its header (32 bytes).
fn log_has_frames(db: &Path) -> bool {
    std::fs::metadata(log_of(db)).is_ok_and(|m| m.len() > 32)
}

fn log_of(db: &Path) -> PathBuf {
    let mut log = db.as_os_str().to_owned();
    log.push("-wal");
    PathBuf::from(log)
}

/// Whether the log beside the database at `db` is past `CHECKPOINT_FROM_BYTES` (its
/// file's length: the most it held since it last started over, an upper bound).
fn log_is_long(db: &Path) -> bool {
    std::fs::metadata(log_of(db)).is_ok_and(|m| m.len() > CHECKPOINT_FROM_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ParsedFeed, ParsedItem, Validators};
    use crate::store::{ItemQuery, PreparedFeed, Scope};

    /// Bodies LZ4 cannot shrink much, so the log grows as a real refresh's does.
    fn feed(f: usize) -> PreparedFeed {
        let items = (0..20)
            .map(|i| {
                // xorshift: letters with no pattern for LZ4 to find.
                let mut x = (f as u64 * 1000 + i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
                let noise: String = (0..4000)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        char::from(b'a' + (x % 26) as u8)
                    })
                    .collect();
                ParsedItem {
                    guid: format!("{f}-{i}"),
                    title: format!("item {f}-{i}"),
                    content_html: Some(noise),
                    ..ParsedItem::default()
                }
            })
            .collect();
        PreparedFeed::new(ParsedFeed {
            items,
            ..ParsedFeed::default()
        })
    }

    #[test]
    fn the_log_stays_bounded_and_every_write_stays_while_another_connection_checkpoints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let mut store = Store::open(&path).unwrap();
        // A small threshold, so that a few megabytes show whether the log starts over.
        store
            .conn
            .pragma_update(None, "wal_autocheckpoint", 100)
            .unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(60)).unwrap();
        let checkpointer = store.background_checkpoints().unwrap().unwrap();
        let mut largest_log = 0;
        for (f, id) in ids.iter().enumerate() {
            let now = chrono::Utc::now();
            store
                .apply(*id, &feed(f), &Validators::default(), Some(200), now, 0)
                .unwrap();
            let log = std::fs::metadata(dir.path().join("cache.db-wal")).map_or(0, |m| m.len());
            largest_log = largest_log.max(log);
        }
        drop(checkpointer);
        // About 7 MB went through the log; had it never started over, it would hold all of
        // it (7 MB and more). The bound is loose: on a busy machine (the test suite on two
        // cores) the checkpointing thread runs late, and 5.1 MB was seen.
        assert!(
            largest_log < 6_000_000,
            "the log grew to {largest_log} bytes"
        );
        drop(store);
        let store = Store::open(&path).unwrap();
        let all = ItemQuery {
            scope: Scope::Feeds(ids),
            unread_only: false,
            starred_only: false,
            search: None,
            order: Default::default(),
            stories: false,
        };
        assert_eq!(store.count_items(&all).unwrap(), 60 * 20);
    }
}
