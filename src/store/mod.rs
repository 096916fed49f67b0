//! The offline cache: feeds, items and read state in SQLite (WAL).
//!
//! Every write is one transaction, so a SIGKILL at any moment leaves a database that opens
//! with every committed read mark. Two processes (the TUI and a cron `refresh`) share the
//! file through WAL and a busy timeout.

mod migrate;

use crate::config::FeedSpec;
use crate::model::{Enclosure, FeedId, FeedSummary, Item, ItemId, ItemRow, ParsedFeed, Validators};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{
    params, params_from_iter, Connection, OpenFlags, OptionalExtension, TransactionBehavior,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use migrate::LATEST as SCHEMA_VERSION;

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

/// Above this many feeds, a list is paged along the time index rather than per feed.
const MANY_FEEDS: usize = 16;

/// What a refresh needs to know about one feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedTarget {
    pub id: FeedId,
    pub url: String,
    pub validators: Validators,
    pub retry_after: Option<DateTime<Utc>>,
}

/// Which items a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Feed(FeedId),
    /// Several feeds at once, e.g. "All unread" over every configured feed.
    Feeds(Vec<FeedId>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemQuery {
    pub scope: Scope,
    pub unread_only: bool,
    pub starred_only: bool,
    /// Case-insensitive substring of the title.
    pub text: Option<String>,
}

impl ItemQuery {
    pub fn feed(id: FeedId) -> ItemQuery {
        ItemQuery {
            scope: Scope::Feed(id),
            unread_only: false,
            starred_only: false,
            text: None,
        }
    }
}

/// A parsed feed made ready for the cache: bodies compressed, fingerprints taken. Built
/// on the fetch threads, so the single writer only writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedFeed {
    pub title: Option<String>,
    pub link: Option<String>,
    pub description: Option<String>,
    pub items: Vec<PreparedItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreparedItem {
    pub guid: String,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<i64>,
    pub updated: Option<i64>,
    pub summary: Option<Stored>,
    pub content: Option<Stored>,
    pub enclosures: Option<String>,
    /// Changes when anything stored changes, so unchanged items skip the write.
    pub hash: i64,
}

/// An article body as stored: short ones as text, longer ones LZ4-compressed. HTML
/// compresses about threefold, which keeps the cache small and its writes few.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    Text(String),
    Lz4(Vec<u8>),
}

const COMPRESS_ABOVE: usize = 256;

impl Stored {
    fn new(text: String) -> Stored {
        if text.len() > COMPRESS_ABOVE {
            Stored::Lz4(lz4_flex::compress_prepend_size(text.as_bytes()))
        } else {
            Stored::Text(text)
        }
    }
}

impl rusqlite::ToSql for Stored {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(match self {
            Stored::Text(t) => t.as_str().into(),
            Stored::Lz4(b) => b.as_slice().into(),
        })
    }
}

/// Reads a body written as text or as LZ4 bytes.
fn stored_text(value: rusqlite::types::ValueRef) -> Option<String> {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => lz4_flex::decompress_size_prepended(b).ok().map(|v| {
            String::from_utf8(v)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }),
        _ => None,
    }
}

impl PreparedFeed {
    pub fn new(feed: ParsedFeed) -> PreparedFeed {
        let items = feed
            .items
            .into_iter()
            .map(|item| {
                let hash = item_hash(&item);
                PreparedItem {
                    hash,
                    published: item.published.map(|d| d.timestamp()),
                    updated: item.updated.map(|d| d.timestamp()),
                    enclosures: (!item.enclosures.is_empty())
                        .then(|| serde_json::to_string(&item.enclosures).ok())
                        .flatten(),
                    summary: item.summary_html.map(Stored::new),
                    content: item.content_html.map(Stored::new),
                    guid: item.guid,
                    title: item.title,
                    link: item.link,
                    author: item.author,
                }
            })
            .collect();
        PreparedFeed {
            title: feed.title,
            link: feed.link,
            description: feed.description,
            items,
        }
    }
}

/// A fingerprint of everything stored for an item (xxh3: fast, and stable across builds).
fn item_hash(item: &crate::model::ParsedItem) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        item.title.as_str(),
        item.link.as_deref().unwrap_or(""),
        item.author.as_deref().unwrap_or(""),
        item.summary_html.as_deref().unwrap_or(""),
        item.content_html.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    for d in [item.published, item.updated] {
        h.update(&d.map(|d| d.timestamp()).unwrap_or(i64::MIN).to_le_bytes());
    }
    for e in &item.enclosures {
        h.update(e.url.as_bytes());
        h.update(&[0]);
    }
    h.digest() as i64
}

/// The outcome of writing one parsed feed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyStats {
    pub new_items: usize,
    pub dropped: usize,
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
    path: PathBuf,
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
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
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
        // Checkpoint less often than the default 1000 pages: a refresh rewrites the same
        // index pages feed after feed, and each checkpoint copies them again.
        conn.pragma_update(None, "wal_autocheckpoint", 10000)?;
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::run(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes sure every configured feed has a row; returns their ids in config order.
    pub fn sync_feeds(&mut self, specs: &[FeedSpec]) -> Result<Vec<FeedId>> {
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

    /// Looks up feed ids for configured feeds without writing (read-only callers).
    pub fn feed_ids(&self, specs: &[FeedSpec]) -> Result<Vec<Option<FeedId>>> {
        let mut select = self
            .conn
            .prepare_cached("SELECT id FROM feeds WHERE url = ?1")?;
        specs
            .iter()
            .map(|s| {
                Ok(select
                    .query_row([&s.url], |r| r.get(0))
                    .optional()?
                    .map(FeedId))
            })
            .collect()
    }

    pub fn feed_targets(&self, ids: &[FeedId]) -> Result<Vec<FeedTarget>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, etag, last_modified, retry_after FROM feeds WHERE id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let target = stmt.query_row([id.0], |r| {
                Ok(FeedTarget {
                    id: *id,
                    url: r.get(0)?,
                    validators: Validators {
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                    },
                    retry_after: r.get::<_, Option<i64>>(3)?.and_then(from_ts),
                })
            })?;
            out.push(target);
        }
        Ok(out)
    }

    /// Writes a freshly parsed feed in one transaction. Items seen before keep their read
    /// and starred state; unchanged items cost an index probe and no write.
    pub fn apply(
        &mut self,
        id: FeedId,
        feed: &PreparedFeed,
        validators: &Validators,
        http_status: Option<u16>,
        now: DateTime<Utc>,
        keep_days: u32,
    ) -> Result<ApplyStats> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stats = write_feed(&tx, id, feed, validators, http_status, now, keep_days)?;
        tx.commit()?;
        Ok(stats)
    }

    pub fn record_not_modified(&mut self, id: FeedId, now: DateTime<Utc>) -> Result<()> {
        write_not_modified(&self.conn, id, now)
    }

    pub fn record_failure(
        &mut self,
        id: FeedId,
        failure: &Failure,
        now: DateTime<Utc>,
    ) -> Result<()> {
        write_failure(&self.conn, id, failure, now)
    }

    /// The configured feeds with their counts, in config order. Feeds never refreshed
    /// show with zero counts.
    pub fn feed_summaries(&self, specs: &[FeedSpec]) -> Result<Vec<FeedSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, unread, total, last_error, last_success FROM feeds WHERE url = ?1",
        )?;
        let mut out = Vec::with_capacity(specs.len());
        for spec in specs {
            let row = stmt
                .query_row([&spec.url], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<i64>>(5)?,
                    ))
                })
                .optional()?;
            let Some((id, title, unread, total, last_error, last_success)) = row else {
                continue;
            };
            let name = spec
                .name
                .clone()
                .or(title.filter(|t| !t.is_empty()))
                .unwrap_or_else(|| spec.url.clone());
            out.push(FeedSummary {
                id: FeedId(id),
                url: spec.url.clone(),
                name: crate::sanitize::clean_line(&name),
                tags: spec.tags.clone(),
                unread: unread.max(0) as u32,
                total: total.max(0) as u32,
                last_error,
                last_success: last_success.and_then(from_ts),
            });
        }
        Ok(out)
    }

    fn where_clause(q: &ItemQuery) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut clauses = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        match &q.scope {
            Scope::Feed(id) => {
                clauses.push("feed_id = ?".to_string());
                args.push(Value::Integer(id.0));
            }
            Scope::Feeds(ids) => {
                let marks = vec!["?"; ids.len()].join(",");
                // Over many feeds, walking a time-ordered index and filtering beats
                // gathering every row of every feed and sorting: the unary + keeps
                // SQLite from using the per-feed index for this test.
                let column = if ids.len() > MANY_FEEDS {
                    "+feed_id"
                } else {
                    "feed_id"
                };
                clauses.push(format!("{column} IN ({marks})"));
                args.extend(ids.iter().map(|i| Value::Integer(i.0)));
            }
        }
        if q.unread_only {
            clauses.push("is_read = 0".into());
        }
        if q.starred_only {
            clauses.push("starred = 1".into());
        }
        if let Some(text) = q.text.as_deref().filter(|t| !t.is_empty()) {
            clauses.push("title LIKE ? ESCAPE '\\'".into());
            let escaped = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(Value::Text(format!("%{escaped}%")));
        }
        (clauses.join(" AND "), args)
    }

    /// A page of a list, newest first.
    pub fn items(&self, q: &ItemQuery, offset: usize, limit: usize) -> Result<Vec<ItemRow>> {
        let (clause, mut args) = Store::where_clause(q);
        let sql = format!(
            "SELECT id, feed_id, title, link, published, updated, is_read, starred FROM items
             WHERE {clause} ORDER BY sort_time DESC, id DESC LIMIT ? OFFSET ?"
        );
        args.push((limit as i64).into());
        args.push((offset as i64).into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(ItemRow {
                id: ItemId(r.get(0)?),
                feed_id: FeedId(r.get(1)?),
                title: r.get(2)?,
                link: r.get(3)?,
                published: r
                    .get::<_, Option<i64>>(4)?
                    .or(r.get::<_, Option<i64>>(5)?)
                    .and_then(from_ts),
                read: r.get(6)?,
                starred: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn count_items(&self, q: &ItemQuery) -> Result<usize> {
        let (clause, args) = Store::where_clause(q);
        let sql = format!("SELECT count(*) FROM items WHERE {clause}");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }

    pub fn item(&self, id: ItemId) -> Result<Option<Item>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.feed_id, f.url, f.title, i.title, i.link, i.author, i.published,
                    i.updated, i.summary, i.content, i.enclosures, i.is_read, i.starred
             FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?1",
        )?;
        let item = stmt
            .query_row([id.0], |r| {
                let enclosures: Option<String> = r.get(11)?;
                Ok(Item {
                    id: ItemId(r.get(0)?),
                    feed_id: FeedId(r.get(1)?),
                    feed_url: r.get(2)?,
                    feed_title: r.get(3)?,
                    title: r.get(4)?,
                    link: r.get(5)?,
                    author: r.get(6)?,
                    published: r.get::<_, Option<i64>>(7)?.and_then(from_ts),
                    updated: r.get::<_, Option<i64>>(8)?.and_then(from_ts),
                    summary_html: stored_text(r.get_ref(9)?),
                    content_html: stored_text(r.get_ref(10)?),
                    enclosures: enclosures
                        .and_then(|e| serde_json::from_str::<Vec<Enclosure>>(&e).ok())
                        .unwrap_or_default(),
                    read: r.get(12)?,
                    starred: r.get(13)?,
                })
            })
            .optional()?;
        Ok(item)
    }

    /// Sets the read flag of these items; returns how many changed.
    pub fn set_read(&mut self, ids: &[ItemId], read: bool) -> Result<usize> {
        self.execute_each(
            "UPDATE items SET is_read = ?2 WHERE id = ?1 AND is_read != ?2",
            ids.iter().map(|id| (id.0, read)),
        )
    }

    /// Marks every item of these feeds read; returns how many changed.
    pub fn mark_feeds_read(&mut self, feeds: &[FeedId]) -> Result<usize> {
        self.execute_each(
            "UPDATE items SET is_read = 1 WHERE feed_id = ?1 AND is_read = 0",
            feeds.iter().map(|id| [id.0]),
        )
    }

    /// Runs one statement for each set of parameters, all in one transaction: a mark is
    /// committed whole or not at all. Returns the rows changed.
    fn execute_each<P: rusqlite::Params>(
        &mut self,
        sql: &str,
        each: impl IntoIterator<Item = P>,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = 0;
        {
            let mut stmt = tx.prepare_cached(sql)?;
            for p in each {
                changed += stmt.execute(p)?;
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    pub fn set_starred(&mut self, id: ItemId, starred: bool) -> Result<()> {
        self.conn.execute(
            "UPDATE items SET starred = ?2 WHERE id = ?1",
            params![id.0, starred],
        )?;
        Ok(())
    }

    /// Remembers read marks from another reader (feed URL, guid, link) and applies them to
    /// the items already cached; later refreshes apply them to items as they arrive.
    /// Returns how many cached items were marked read now.
    pub fn import_read_marks(&mut self, marks: &[ReadMark]) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut marked = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO imported_read (feed_url, guid, link) VALUES (?1, ?2, ?3)",
            )?;
            let mut mark = tx.prepare_cached(
                "UPDATE items SET is_read = 1
                 WHERE is_read = 0 AND feed_id = (SELECT id FROM feeds WHERE url = ?1)
                   AND (guid = ?2 OR link = ?3)",
            )?;
            for (feed, guid, link) in marks {
                insert.execute(params![feed, guid, link])?;
                marked += mark.execute(params![feed, guid, link])?;
            }
        }
        tx.commit()?;
        Ok(marked)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

fn write_not_modified(conn: &Connection, id: FeedId, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE feeds SET last_attempt = ?2, last_success = ?2, http_status = 304,
             last_error = NULL, retry_after = NULL WHERE id = ?1",
    )?
    .execute(params![id.0, now.timestamp()])?;
    Ok(())
}

fn write_failure(
    conn: &Connection,
    id: FeedId,
    failure: &Failure,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE feeds SET last_attempt = ?2, http_status = ?3, last_error = ?4,
             retry_after = ?5 WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        now.timestamp(),
        failure.http_status,
        failure.message,
        failure.retry_after.map(|d| d.timestamp())
    ])?;
    Ok(())
}

/// One feed's items upserted, its metadata and validators updated; the caller commits.
fn write_feed(
    tx: &Connection,
    id: FeedId,
    feed: &PreparedFeed,
    validators: &Validators,
    http_status: Option<u16>,
    now: DateTime<Utc>,
    keep_days: u32,
) -> Result<ApplyStats> {
    let total_before: i64 = tx.query_row("SELECT total FROM feeds WHERE id = ?1", [id.0], |r| {
        r.get(0)
    })?;
    // New rows get ids above this one: how the newsboat marks below find them.
    let max_id_before: i64 =
        tx.query_row("SELECT coalesce(max(id), 0) FROM items", [], |r| r.get(0))?;
    tx.execute(
        "UPDATE feeds SET title = ?2, site_link = ?3, description = ?4, etag = ?5,
             last_modified = ?6, last_attempt = ?7, last_success = ?7, http_status = ?8,
             last_error = NULL, retry_after = NULL
         WHERE id = ?1",
        params![
            id.0,
            feed.title,
            feed.link,
            feed.description,
            validators.etag,
            validators.last_modified,
            now.timestamp(),
            http_status
        ],
    )?;
    {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO items (feed_id, guid, title, link, author, published, updated,
                 sort_time, summary, content, enclosures, hash, first_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (feed_id, guid) DO UPDATE SET
                 title = excluded.title, link = excluded.link, author = excluded.author,
                 published = excluded.published, updated = excluded.updated,
                 sort_time = coalesce(excluded.published, excluded.updated, items.first_seen),
                 summary = excluded.summary, content = excluded.content,
                 enclosures = excluded.enclosures, hash = excluded.hash
             WHERE items.hash != excluded.hash",
        )?;
        for item in &feed.items {
            upsert.execute(params![
                id.0,
                item.guid,
                item.title,
                item.link,
                item.author,
                item.published,
                item.updated,
                item.published.or(item.updated).unwrap_or(now.timestamp()),
                item.summary,
                item.content,
                item.enclosures,
                item.hash,
                now.timestamp(),
            ])?;
        }
    }
    // Items new to us that were read in newsboat arrive read. (Asked first, so that a
    // feed with no imported marks costs one index probe, not a scan.)
    let url = feed_url(tx, id)?;
    let has_marks: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM imported_read WHERE feed_url = ?1)")?
        .query_row([&url], |r| r.get(0))?;
    if has_marks {
        tx.execute(
            "UPDATE items SET is_read = 1
             WHERE feed_id = ?1 AND id > ?2 AND +is_read = 0 AND (
                 guid IN (SELECT guid FROM imported_read WHERE feed_url = ?3)
                 OR link IN (SELECT link FROM imported_read WHERE feed_url = ?3))",
            params![id.0, max_id_before, url],
        )?;
    }
    let total_after: i64 = tx.query_row("SELECT total FROM feeds WHERE id = ?1", [id.0], |r| {
        r.get(0)
    })?;
    let dropped = if keep_days > 0 {
        let cutoff = now - chrono::Duration::days(i64::from(keep_days));
        let current: HashSet<&str> = feed.items.iter().map(|i| i.guid.as_str()).collect();
        drop_old(tx, id, cutoff, &current)?
    } else {
        0
    };
    Ok(ApplyStats {
        new_items: (total_after - total_before).max(0) as usize,
        dropped,
    })
}

fn feed_url(tx: &Connection, id: FeedId) -> Result<String> {
    Ok(tx.query_row("SELECT url FROM feeds WHERE id = ?1", [id.0], |r| r.get(0))?)
}

/// Read, unstarred items older than the cutoff that the feed no longer lists.
fn drop_old(
    tx: &Connection,
    id: FeedId,
    cutoff: DateTime<Utc>,
    current: &HashSet<&str>,
) -> Result<usize> {
    let candidates: Vec<(i64, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, guid FROM items WHERE feed_id = ?1 AND is_read = 1 AND starred = 0 AND sort_time < ?2",
        )?;
        let rows = stmt.query_map(params![id.0, cutoff.timestamp()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut delete = tx.prepare_cached("DELETE FROM items WHERE id = ?1")?;
    let mut dropped = 0;
    for (item_id, guid) in candidates {
        // Still in the feed: dropping it would bring it back as unread next refresh.
        if !current.contains(guid.as_str()) {
            dropped += delete.execute([item_id])?;
        }
    }
    Ok(dropped)
}

fn from_ts(ts: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_opt(ts, 0).single()
}
