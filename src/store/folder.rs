//! The cache's side of syncing through a folder (migration 15): the marks made here
//! waiting for the journal, the winning mark of every article and kind seen in the
//! folder (last writer by the hybrid clock, ties to the larger device id), applied to
//! the articles here, and how far each file of the folder has been read.
//!
//! Marks made here are queued by triggers, from any process, once the cache takes part.
//! Applying the folder's marks happens with `folder_applying` set in the same
//! transaction, so those marks are not queued back as if they had been made here.

use super::folder_locate::Locate;
use super::{Result, Store};
use crate::model::MarkKind as Kind;
use crate::model::Stamp;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

/// Newsletters are named by their Message-ID (`mid:` ids), whatever mailbox brings them.
pub const MAIL_FEED: &str = "mail:";

/// A mark made here, waiting to be written to the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMark {
    pub seq: i64,
    /// The feed's URL (`mail:` for a newsletter) and the article's id there; None for an
    /// article no other device can name (a newsletter without a Message-ID).
    pub key: Option<(String, String)>,
    pub kind: Kind,
    pub value: bool,
    pub at_ms: i64,
}

/// One article's mark as the folder has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderMark {
    pub feed: String,
    pub item: String,
    pub kind: Kind,
    pub at: Stamp,
    pub device: String,
    pub value: bool,
}

/// A stored mark of one kind: the check hash, its stamp and its device (None: none yet).
type WinnerRow = (i64, Option<i64>, Option<i64>, Option<String>);

/// An article's place in `folder_marks`: a hash of its feed and id, and a second one
/// that tells two articles apart should the first ever collide.
pub fn folder_key(feed: &str, item: &str) -> (i64, i64) {
    let hash = |seed| {
        let mut h = xxhash_rust::xxh3::Xxh3::with_seed(seed);
        h.update(feed.as_bytes());
        h.update(&[0]);
        h.update(item.as_bytes());
        h.digest() as i64
    };
    (hash(0), hash(1))
}

impl Store {
    /// Makes this cache take part in folder sync as `device`: from now on its marks are
    /// queued, and what is read and starred here already is queued too, stamped at the
    /// clock's beginning so that any mark made anywhere since wins over it. True the
    /// first time.
    pub fn folder_join(&mut self, device: &str) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'sync.folder.device'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_some() {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('sync.folder.device', ?1)",
            [device],
        )?;
        tx.execute(
            "INSERT INTO folder_queue (item_id, kind, value, at_ms)
             SELECT id, 'read', 1, 0 FROM items WHERE is_read = 1 AND remote_id IS NULL",
            [],
        )?;
        tx.execute(
            "INSERT INTO folder_queue (item_id, kind, value, at_ms)
             SELECT id, 'star', 1, 0 FROM items WHERE starred = 1 AND remote_id IS NULL",
            [],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// This cache's device id in the folder, once it takes part.
    pub fn folder_device(&self) -> Result<Option<String>> {
        self.meta("sync.folder.device")
    }

    pub fn folder_queue_len(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM folder_queue", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The marks made here and not yet in the journal, oldest first, with the names
    /// every device knows their articles by.
    pub fn folder_queued(&self) -> Result<Vec<LocalMark>> {
        // The article's name was taken with the mark (it may be gone since); the join
        // is for marks queued before the name was.
        let mut stmt = self.conn.prepare_cached(
            "SELECT q.seq, q.kind, q.value, q.at_ms,
                    coalesce(q.feed, CASE WHEN f.mailbox IS NOT NULL THEN 'mail:' ELSE f.url END),
                    coalesce(q.item, i.guid)
             FROM folder_queue q
             LEFT JOIN items i ON i.id = q.item_id
             LEFT JOIN feeds f ON f.id = i.feed_id
             ORDER BY q.seq",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(1)?;
            let feed: Option<String> = r.get(4)?;
            let guid: Option<String> = r.get(5)?;
            // A newsletter is named by its Message-ID only.
            let key = match (feed, guid) {
                (Some(feed), Some(guid)) if feed == MAIL_FEED => {
                    guid.starts_with("mid:").then_some((feed, guid))
                }
                (Some(feed), Some(guid)) => Some((feed, guid)),
                _ => None,
            };
            Ok((
                r.get::<_, i64>(0)?,
                kind,
                r.get::<_, i64>(2)? != 0,
                r.get::<_, i64>(3)?,
                key,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, kind, value, at_ms, key) = row?;
            let Some(kind) = Kind::parse(&kind) else {
                continue;
            };
            out.push(LocalMark {
                seq,
                key,
                kind,
                value,
                at_ms,
            });
        }
        Ok(out)
    }

    /// Drops these marks from the queue: they are in the journal.
    pub fn folder_unqueue(&mut self, seqs: &[i64]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare_cached("DELETE FROM folder_queue WHERE seq = ?1")?;
            for seq in seqs {
                delete.execute([seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Merges marks into the folder's state: each wins where it is later than the one
    /// kept for its article and kind (by stamp, then device id). Another device's
    /// winning mark is applied to the article here when it is here (unless a mark made
    /// here since waits for the journal: that one goes out at the next push and is
    /// merged then); an own mark that lost sets its article back to the winner. Marks
    /// come in key order for the fastest writes (`folder::key`).
    /// `own`: the marks are this device's, queued up to that number (a mark made here
    /// since, later in the queue, is not undone by one of them losing).
    pub fn folder_merge_marks(&mut self, marks: &[FolderMark], own: Option<i64>) -> Result<usize> {
        let up_to = own;
        let own = own.is_some();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("INSERT INTO folder_applying (flag) VALUES (1)", [])?;
        let mut changed = 0;
        let empty = !own
            && tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM folder_marks)", [], |r| {
                r.get::<_, bool>(0)
            })?;
        if empty {
            // A first read (a device joining): nothing to compare with, one row per
            // article with both its marks, in key order.
            let locate = Locate::new(&tx)?;
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO folder_marks (key, check_hash,
                     read_ms, read_n, read_device, read_value,
                     star_ms, star_n, star_device, star_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut at = 0;
            while at < marks.len() {
                let (key, check) = folder_key(&marks[at].feed, &marks[at].item);
                let mut end = at + 1;
                while end < marks.len()
                    && marks[end].feed == marks[at].feed
                    && marks[end].item == marks[at].item
                {
                    end += 1;
                }
                let read = marks[at..end].iter().find(|m| m.kind == Kind::Read);
                let star = marks[at..end].iter().find(|m| m.kind == Kind::Star);
                insert.execute(params![
                    key,
                    check,
                    read.map(|m| m.at.0),
                    read.map(|m| m.at.1),
                    read.map(|m| m.device.as_str()),
                    read.map(|m| m.value),
                    star.map(|m| m.at.0),
                    star.map(|m| m.at.1),
                    star.map(|m| m.device.as_str()),
                    star.map(|m| m.value),
                ])?;
                for m in &marks[at..end] {
                    if let Some(id) = locate.item(&m.feed, &m.item)? {
                        if !locate.queued(id, m.kind)? {
                            changed += locate.set(id, m.kind, m.value)?;
                        }
                    }
                }
                at = end;
            }
        }
        if !empty {
            let locate = Locate::new(&tx)?;
            let upsert_sql = |k: &str| {
                format!(
                    "INSERT INTO folder_marks (key, check_hash, {k}_ms, {k}_n, {k}_device, {k}_value)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (key) DO UPDATE SET
                         {k}_ms = excluded.{k}_ms, {k}_n = excluded.{k}_n,
                         {k}_device = excluded.{k}_device, {k}_value = excluded.{k}_value
                     WHERE folder_marks.check_hash = excluded.check_hash
                         AND (folder_marks.{k}_ms IS NULL
                         OR (excluded.{k}_ms, excluded.{k}_n, excluded.{k}_device)
                            > (folder_marks.{k}_ms, folder_marks.{k}_n, folder_marks.{k}_device))"
                )
            };
            let mut upsert_read = tx.prepare_cached(&upsert_sql("read"))?;
            let mut upsert_star = tx.prepare_cached(&upsert_sql("star"))?;
            for m in marks {
                let (key, check) = folder_key(&m.feed, &m.item);
                let upsert = match m.kind {
                    Kind::Read => &mut upsert_read,
                    Kind::Star => &mut upsert_star,
                };
                let won =
                    upsert.execute(params![key, check, m.at.0, m.at.1, m.device, m.value])? > 0;
                let value = match (won, own) {
                    (true, true) => continue,
                    (true, false) => m.value,
                    // Another device's mark that lost changes nothing.
                    (false, false) => continue,
                    (false, true) => {
                        let k = m.kind.as_str();
                        let select = format!("SELECT {k}_value FROM folder_marks WHERE key = ?1");
                        match tx
                            .prepare_cached(&select)?
                            .query_row([key], |r| r.get::<_, Option<bool>>(0))
                            .optional()?
                            .flatten()
                        {
                            Some(v) => v,
                            None => continue,
                        }
                    }
                };
                if let Some(id) = locate.item(&m.feed, &m.item)? {
                    let waits = match up_to {
                        Some(seq) => locate.queued_after(id, m.kind, seq)?,
                        None => locate.queued(id, m.kind)?,
                    };
                    if !waits {
                        changed += locate.set(id, m.kind, value)?;
                    }
                }
            }
        }
        tx.execute("DELETE FROM folder_applying", [])?;
        tx.commit()?;
        Ok(changed)
    }

    /// Applies the folder's marks to the articles that arrived since this was last done
    /// (by article id, kept in the cache: a refresh cut short is caught up next time):
    /// marks made elsewhere before this device had the article. Returns how many changed.
    pub fn folder_apply_arrived(&mut self) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("INSERT INTO folder_applying (flag) VALUES (1)", [])?;
        let mut changed = 0;
        {
            let after: i64 = tx
                .query_row(
                    "SELECT value FROM meta WHERE key = 'sync.folder.applied_id'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let arrived: Vec<(i64, String, bool, String)> = tx
                .prepare_cached(
                    "SELECT i.id, f.url, f.mailbox IS NOT NULL, i.guid FROM items i
                     JOIN feeds f ON f.id = i.feed_id
                     WHERE i.id > ?1 AND i.remote_id IS NULL ORDER BY i.id",
                )?
                .query_map([after], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            if let Some((last, ..)) = arrived.last() {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('sync.folder.applied_id', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [last.to_string()],
                )?;
            }
            let locate = Locate::new(&tx)?;
            let mut marks = tx.prepare_cached(
                "SELECT check_hash, read_value, star_value FROM folder_marks WHERE key = ?1",
            )?;
            for (id, url, mail, guid) in arrived {
                let feed = if mail { MAIL_FEED } else { url.as_str() };
                let (key, check) = folder_key(feed, &guid);
                let found: Option<(i64, Option<bool>, Option<bool>)> = marks
                    .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                let Some((_, read, star)) = found.filter(|f| f.0 == check) else {
                    continue;
                };
                for (kind, value) in [(Kind::Read, read), (Kind::Star, star)] {
                    if let Some(value) = value {
                        if !locate.queued(id, kind)? {
                            changed += locate.set(id, kind, value)?;
                        }
                    }
                }
            }
        }
        tx.execute("DELETE FROM folder_applying", [])?;
        tx.commit()?;
        Ok(changed)
    }

    /// The winning mark of an article and kind: its stamp and device.
    pub fn folder_winner(
        &self,
        feed: &str,
        item: &str,
        kind: Kind,
    ) -> Result<Option<(Stamp, String)>> {
        let (key, check) = folder_key(feed, item);
        let k = kind.as_str();
        let row: Option<WinnerRow> = self
            .conn
            .prepare_cached(&format!(
                "SELECT check_hash, {k}_ms, {k}_n, {k}_device FROM folder_marks WHERE key = ?1"
            ))?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        Ok(match row {
            Some((c, Some(ms), Some(n), Some(device))) if c == check => {
                Some((Stamp(ms, n as u32), device))
            }
            _ => None,
        })
    }
}

#[cfg(test)]
impl Store {
    /// Every article's (guid, read, starred), by guid: what the folder tests compare.
    pub(crate) fn folder_test_state(&self) -> Vec<(String, bool, bool)> {
        let mut stmt = self
            .conn
            .prepare("SELECT guid, is_read, starred FROM items ORDER BY guid")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// The article with this guid.
    pub(crate) fn folder_test_item(&self, guid: &str) -> crate::model::ItemId {
        crate::model::ItemId(
            self.conn
                .query_row("SELECT id FROM items WHERE guid = ?1", [guid], |r| r.get(0))
                .unwrap(),
        )
    }
}
