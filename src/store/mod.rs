//! The offline cache: feeds, items and read state in SQLite (WAL).
//!
//! Every write is one transaction, so a SIGKILL at any moment leaves a database that opens
//! with every committed read mark. Two processes (the TUI and a cron `refresh`) share the
//! file through WAL and a busy timeout.

mod arrivals;
mod batch;
mod checkpoint;
mod checks;
mod downloads;
mod file_sync;
mod folder;
mod folder_feeds;
mod folder_files;
mod folder_locate;
mod fulltext;
#[cfg(unix)]
mod gather;
mod indexing;
mod item_ids;
mod lock_wait;
mod mail;
mod mail_queue;
mod marks;
mod migrate;
mod position;
mod query;
mod read;
mod retention;
mod story;
pub use story::{Arrival as StoryArrival, Copy as StoryCopy};
pub mod search;
mod sync;
mod sync_batch;
mod take_over;
mod targets;
mod write;

use crate::config::FeedSpec;
use crate::model::FeedId;
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::Path;

pub use checkpoint::Checkpointer;
pub use downloads::Download;
pub use folder::{folder_key, FolderMark, LocalMark, MAIL_FEED};
pub use folder_feeds::FolderFeed;
pub use folder_files::FileMark;
pub use lock_wait::lock_wanted_within;
pub use mail::{
    mail_feed_url, FlagChange, KnownMessage, MailApplied, MailFeed, MailFlag, MailFlags,
    MailboxState, NewMessage, QueuedFlag,
};
pub use query::{ItemQuery, Order, Scope};
pub use retention::Brought;
pub use sync::{QueuedMark, SyncedFeed};
pub use sync_batch::ReadFeed;
pub use targets::FeedTarget;
pub use write::{PreparedFeed, PreparedItem, Stored};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {reason}; move it aside or choose another place with --data-dir")]
    NotOurs { path: String, reason: String },
    #[error("{path}: the cache was written by a newer bulletin (schema {found}, this one knows {known})")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("{path}: cannot create the data directory: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    /// Not a `#[source]`: the message already says it, and one line is the rule.
    #[error("cache: {}", explain(.0))]
    Sql(rusqlite::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// Another process held the write lock for longer than this one waited.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Sql(e)
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy))
    }
}

/// Takes a backlog of `total` in by `step`s (each returns how many it took; 0: none
/// left), telling `progress` (done, total) after each. Bounded by `total`: what others
/// queue meanwhile waits for the next taker.
fn drain(
    total: usize,
    mut step: impl FnMut(&mut Store) -> Result<usize>,
    store: &mut Store,
    progress: &mut impl FnMut(usize, usize),
) -> Result<usize> {
    let mut done = 0;
    while done < total {
        let n = step(store)?;
        if n == 0 {
            break;
        }
        done += n;
        progress(done.min(total), total);
    }
    Ok(done)
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sql(e)
    }
}

/// SQLite's words for the failures users can act on, in theirs.
fn explain(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => format!("the cache is read-only, nothing was written ({e})"),
        Some(ErrorCode::DiskFull) => format!("the disk is full, nothing was written ({e})"),
        Some(ErrorCode::CannotOpen) => {
            format!("cannot open or create the cache files; is the data dir writable? ({e})")
        }
        Some(ErrorCode::PermissionDenied) => format!("permission denied ({e})"),
        _ => e.to_string(),
    }
}

/// The outcome of writing one parsed feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyStats {
    pub new_items: usize,
    pub dropped: usize,
    /// The new articles, for grouping with their copies by key (`Store::group_stories`;
    /// `apply` has done so already; their texts wait for `Store::group_texts`).
    pub arrivals: Vec<story::Arrival>,
}

/// A read mark from another reader: feed URL, item guid, item link.
pub type ReadMark = (String, Option<String>, Option<String>);

/// A failed fetch, as recorded on the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure<'a> {
    pub message: &'a str,
    pub http_status: Option<u16>,
    pub retry_after: Option<DateTime<Utc>>,
}

pub struct Store {
    conn: Connection,
    /// The bands the text index may have (see store::story::filter).
    story_bands: story::BandFilter,
    /// A refresh's batch of writes, when one is open (see batch).
    batch: batch::Batch,
    /// Healthy feeds' 304s not yet written beside the cache (see checks).
    checks: checks::Pending,
}

impl Store {
    /// Opens (creating if needed) the cache at `path`. A file that is not a bulletin cache
    /// is refused, never overwritten.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let shown = path.display().to_string();
        let not_ours = |reason: String| StoreError::NotOurs {
            path: shown.clone(),
            reason,
        };
        #[cfg(unix)]
        gather::install();
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_handler(Some(lock_wait::wait_long))?;
        // Only "this is not a database" means the file is someone else's; any other
        // failure (read-only, disk full) is reported as what it is.
        let foreign = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                not_ours(format!("not a bulletin cache ({e})"))
            }
            _ => StoreError::Sql(e),
        };
        let version = migrate::version(&conn).map_err(foreign)?;
        if version == 0 {
            let tables: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(foreign)?;
            if tables > 0 {
                return Err(not_ours("a SQLite database of another program".into()));
            }
        }
        if version > migrate::LATEST {
            return Err(StoreError::TooNew {
                path: shown,
                found: version,
                known: migrate::LATEST,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| not_ours(format!("cannot use the cache ({e})")))?;
        // NORMAL in WAL mode is durable against a crash of the process, which is the
        // failure we must survive; it only risks the last commit on power loss.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::AUTOCHECKPOINT_PAGES)?;
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.create_scalar_function(
            "fold",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|t| fold(&t))),
        )?;
        migrate::run(&mut conn)?;
        // A feed's write alone runs a dozen cached statements and the story grouping as
        // many again: at rusqlite's 16 they pushed each other out and were parsed anew.
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn,
            story_bands: Default::default(),
            batch: Default::default(),
            checks: Default::default(),
        })
    }

    /// Whether the cache at `path` exists and predates this version's schema (opening it
    /// will migrate it, which takes a while on a big cache). Read without writing.
    pub fn needs_migration(path: &Path) -> bool {
        if !path.exists() {
            return false;
        }
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| migrate::version(&c))
            .is_ok_and(|v| v > 0 && v < migrate::LATEST)
    }

    /// The file the cache is in (for another connection to it).
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self.conn.path().map(std::path::PathBuf::from)
    }

    /// Makes sure every configured feed has a row; returns their ids in config order.
    /// When every feed has one already, nothing is written (read-only commands then
    /// take no write lock).
    pub fn sync_feeds(&mut self, specs: &[FeedSpec]) -> Result<Vec<FeedId>> {
        if let Some(ids) = self.feed_ids(specs)? {
            return Ok(ids);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut ids = Vec::with_capacity(specs.len());
        {
            let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO feeds (url) VALUES (?1)")?;
            let mut select = tx.prepare_cached("SELECT id FROM feeds WHERE url = ?1")?;
            for spec in specs {
                insert.execute([&spec.url])?;
                ids.push(FeedId(select.query_row([&spec.url], |r| r.get(0))?));
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// The id of the feed with this URL, if the cache has it.
    pub fn feed_id(&self, url: &str) -> Result<Option<FeedId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM feeds WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?
            .map(FeedId))
    }

    /// The ids of these feeds, or None when one has no row yet.
    fn feed_ids(&self, specs: &[FeedSpec]) -> Result<Option<Vec<FeedId>>> {
        // One pass over the table beats a lookup per feed once there are thousands.
        let mut all = self.conn.prepare_cached("SELECT url, id FROM feeds")?;
        let known: std::collections::HashMap<String, i64> = all
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(specs
            .iter()
            .map(|s| known.get(&s.url).map(|id| FeedId(*id)))
            .collect())
    }

    /// Changes whenever another connection commits to the cache (SQLite's
    /// `data_version`); this connection's own writes leave it as it is.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        meta_get(&self.conn, key)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        meta_set(&self.conn, key, value)
    }
}

/// A value of the meta table, on a connection or inside a transaction.
pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Text folded for case-insensitive matching across Unicode.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// Writes `items` as one fetch of `feed` would (tests).
#[cfg(test)]
pub(crate) fn test_write(store: &mut Store, feed: FeedId, items: Vec<crate::model::ParsedItem>) {
    let feed_data = PreparedFeed::new(crate::model::ParsedFeed {
        items,
        ..Default::default()
    });
    store
        .apply(
            feed,
            &feed_data,
            &crate::model::Validators::default(),
            Some(200),
            Utc::now(),
            0,
        )
        .expect("write the feed");
}

/// Runs SQL on the store's own connection (tests: a temporary trigger that refuses a
/// write, say).
#[cfg(test)]
pub(crate) fn test_sql(store: &Store, sql: &str) {
    store.conn.execute_batch(sql).expect("test SQL");
}

/// A new cache in a temporary folder with `feeds` feeds of `test_specs` (tests); the
/// folder goes when the first value is dropped.
#[cfg(test)]
pub(crate) fn test_store(feeds: usize) -> (tempfile::TempDir, Store, Vec<FeedId>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut store = Store::open(&dir.path().join("cache.db")).expect("a new cache");
    let ids = store.sync_feeds(&test_specs(feeds)).expect("the feeds");
    (dir, store, ids)
}

/// Feeds for the store's tests, at addresses nothing is fetched from.
#[cfg(test)]
pub(crate) fn test_specs(n: usize) -> Vec<FeedSpec> {
    (0..n)
        .map(|f| FeedSpec {
            options: Default::default(),
            url: format!("http://127.0.0.1:1/{f}"),
            name: None,
            hidden: false,
            remote: None,
            mailbox: None,
            tags: vec![],
        })
        .collect()
}

fn from_ts(ts: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_opt(ts, 0).single()
}
