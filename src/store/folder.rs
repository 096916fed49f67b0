//! The cache's side of syncing through a folder (migration 15): the marks made here
//! waiting for the journal, the winning mark of every article and kind seen in the
//! folder (last writer by the hybrid clock, ties to the larger device id), applied to
//! the articles here, and how far each file of the folder has been read.
//!
//! Marks made here are queued by triggers, from any process, once the cache takes part.
//! Applying the folder's marks happens with `folder_applying` set in the same
//! transaction, so those marks are not queued back as if they had been made here.

use super::{Result, Store};
use crate::folder::clock::Stamp;
use crate::folder::journal::Kind;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::collections::HashMap;

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

/// A subscription as the folder has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFeed {
    pub url: String,
    pub at: Stamp,
    pub device: String,
    pub present: bool,
    pub name: Option<String>,
    pub tags: Vec<String>,
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
        let mut stmt = self.conn.prepare_cached(
            "SELECT q.seq, q.kind, q.value, q.at_ms, f.url, f.mailbox, i.guid
             FROM folder_queue q
             LEFT JOIN items i ON i.id = q.item_id
             LEFT JOIN feeds f ON f.id = i.feed_id
             ORDER BY q.seq",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(1)?;
            let url: Option<String> = r.get(4)?;
            let mailbox: Option<String> = r.get(5)?;
            let guid: Option<String> = r.get(6)?;
            let key = match (url, guid) {
                (Some(_), Some(guid)) if mailbox.is_some() => guid
                    .starts_with("mid:")
                    .then(|| (MAIL_FEED.to_string(), guid)),
                (Some(url), Some(guid)) => Some((url, guid)),
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
    /// kept (by stamp, then device id). `own` marks were made here, so their articles
    /// already show them: a winning own mark needs no applying, a losing one has its
    /// article set back to the winner. Returns how many marks won.
    pub fn folder_merge_marks(&mut self, marks: &[FolderMark], own: bool) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut won = 0;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO folder_marks (feed, item, kind, ms, n, device, value, pending)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (feed, item, kind) DO UPDATE SET
                     ms = excluded.ms, n = excluded.n, device = excluded.device,
                     value = excluded.value, pending = excluded.pending
                 WHERE (excluded.ms, excluded.n, excluded.device)
                     > (folder_marks.ms, folder_marks.n, folder_marks.device)",
            )?;
            let mut set_back = tx.prepare_cached(
                "UPDATE folder_marks SET pending = 1
                 WHERE feed = ?1 AND item = ?2 AND kind = ?3",
            )?;
            for m in marks {
                let changed = upsert.execute(params![
                    m.feed,
                    m.item,
                    m.kind.as_str(),
                    m.at.0,
                    m.at.1,
                    m.device,
                    m.value,
                    !own
                ])?;
                if changed > 0 {
                    won += 1;
                } else if own {
                    set_back.execute(params![m.feed, m.item, m.kind.as_str()])?;
                }
            }
        }
        tx.commit()?;
        Ok(won)
    }

    /// Applies the folder's winning marks that wait for it to the articles here (those
    /// whose articles have arrived), except where a mark made here since waits for the
    /// journal: that one goes out at the next push and is merged then. Returns how many
    /// articles changed.
    pub fn folder_apply(&mut self) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("INSERT INTO folder_applying (flag) VALUES (1)", [])?;
        let mut changed = 0;
        {
            let mut pending = tx.prepare_cached(
                "SELECT feed, item, kind, value FROM folder_marks WHERE pending = 1",
            )?;
            let rows: Vec<(String, String, String, bool)> = pending
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut find = tx.prepare_cached(
                "SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id
                 WHERE f.url = ?1 AND i.guid = ?2",
            )?;
            let mut find_mail = tx.prepare_cached(
                "SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id
                 WHERE f.mailbox IS NOT NULL AND i.guid = ?1 LIMIT 1",
            )?;
            let mut queued = tx.prepare_cached(
                "SELECT 1 FROM folder_queue WHERE item_id = ?1 AND kind = ?2 LIMIT 1",
            )?;
            let mut read =
                tx.prepare_cached("UPDATE items SET is_read = ?2 WHERE id = ?1 AND is_read != ?2")?;
            let mut star =
                tx.prepare_cached("UPDATE items SET starred = ?2 WHERE id = ?1 AND starred != ?2")?;
            let mut done = tx.prepare_cached(
                "UPDATE folder_marks SET pending = 0 WHERE feed = ?1 AND item = ?2 AND kind = ?3",
            )?;
            for (feed, item, kind, value) in rows {
                let id: Option<i64> = if feed == MAIL_FEED {
                    find_mail.query_row([&item], |r| r.get(0)).optional()?
                } else {
                    find.query_row([&feed, &item], |r| r.get(0)).optional()?
                };
                let Some(id) = id else {
                    continue;
                };
                if queued
                    .query_row(params![id, kind], |_| Ok(()))
                    .optional()?
                    .is_some()
                {
                    continue;
                }
                changed += match kind.as_str() {
                    "read" => read.execute(params![id, value])?,
                    _ => star.execute(params![id, value])?,
                };
                done.execute(params![feed, item, kind])?;
            }
        }
        tx.execute("DELETE FROM folder_applying", [])?;
        tx.commit()?;
        Ok(changed)
    }

    /// How far each file of the folder has been read, by file name.
    pub fn folder_offsets(&self) -> Result<HashMap<String, u64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, offset FROM folder_files")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (name, offset) = row?;
            out.insert(name, offset.max(0) as u64);
        }
        Ok(out)
    }

    /// Remembers how far each file has been read (files gone are forgotten).
    pub fn folder_set_offsets(&mut self, offsets: &HashMap<String, u64>) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM folder_files", [])?;
        {
            let mut insert =
                tx.prepare_cached("INSERT INTO folder_files (name, offset) VALUES (?1, ?2)")?;
            for (name, offset) in offsets {
                insert.execute(params![name, *offset as i64])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Merges subscription states (the later wins, as for marks); returns those that
    /// won and came from another device, to be applied to the config.
    pub fn folder_merge_feeds(&mut self, feeds: &[FolderFeed], own: &str) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut won = 0;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO folder_feeds (url, ms, n, device, present, name, tags, pending)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (url) DO UPDATE SET
                     ms = excluded.ms, n = excluded.n, device = excluded.device,
                     present = excluded.present, name = excluded.name, tags = excluded.tags,
                     pending = excluded.pending
                 WHERE (excluded.ms, excluded.n, excluded.device)
                     > (folder_feeds.ms, folder_feeds.n, folder_feeds.device)",
            )?;
            for f in feeds {
                won += upsert.execute(params![
                    f.url,
                    f.at.0,
                    f.at.1,
                    f.device,
                    f.present,
                    f.name,
                    f.tags.join("\n"),
                    f.device != own
                ])?;
            }
        }
        tx.commit()?;
        Ok(won)
    }

    /// The subscription states another device set that are not applied here yet.
    pub fn folder_pending_feeds(&self) -> Result<Vec<FolderFeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, ms, n, device, present, name, tags FROM folder_feeds
             WHERE pending = 1 ORDER BY ms, n",
        )?;
        let rows = stmt.query_map([], |r| {
            let tags: String = r.get(6)?;
            Ok(FolderFeed {
                url: r.get(0)?,
                at: Stamp(r.get(1)?, r.get::<_, i64>(2)? as u32),
                device: r.get(3)?,
                present: r.get(4)?,
                name: r.get(5)?,
                tags: tags
                    .lines()
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn folder_feed_applied(&mut self, url: &str) -> Result<()> {
        self.conn
            .execute("UPDATE folder_feeds SET pending = 0 WHERE url = ?1", [url])?;
        Ok(())
    }

    /// Subscriptions present in the folder's state.
    pub fn folder_feed_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM folder_feeds WHERE present = 1",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// The marks and subscriptions this device wrote that still win: what a snapshot
    /// of its journal keeps.
    pub fn folder_own_state(&self, device: &str) -> Result<(Vec<FolderMark>, Vec<FolderFeed>)> {
        let mut marks = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT feed, item, kind, ms, n, value FROM folder_marks WHERE device = ?1",
            )?;
            let rows = stmt.query_map([device], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    Stamp(r.get(3)?, r.get::<_, i64>(4)? as u32),
                    r.get::<_, bool>(5)?,
                ))
            })?;
            for row in rows {
                let (feed, item, kind, at, value) = row?;
                if let Some(kind) = Kind::parse(&kind) {
                    marks.push(FolderMark {
                        feed,
                        item,
                        kind,
                        at,
                        device: device.to_string(),
                        value,
                    });
                }
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, ms, n, present, name, tags FROM folder_feeds WHERE device = ?1",
        )?;
        let rows = stmt.query_map([device], |r| {
            let tags: String = r.get(5)?;
            Ok(FolderFeed {
                url: r.get(0)?,
                at: Stamp(r.get(1)?, r.get::<_, i64>(2)? as u32),
                device: device.to_string(),
                present: r.get(3)?,
                name: r.get(4)?,
                tags: tags.lines().map(str::to_string).collect(),
            })
        })?;
        let feeds = rows.collect::<rusqlite::Result<_>>()?;
        Ok((marks, feeds))
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
