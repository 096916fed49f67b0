//! Finding the articles here that the folder's marks name, inside one transaction: the
//! feeds by URL from a map made once (a mark for a feed this device does not have costs
//! no query), newsletters by Message-ID, and whether a mark made here waits.

use super::folder::MAIL_FEED;
use super::Result;
use crate::model::MarkKind as Kind;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// Finds the articles here that the folder's marks name, within one transaction.
pub(super) struct Locate<'t> {
    tx: &'t rusqlite::Transaction<'t>,
    /// Feed URL to id: the feeds here (a mark for another feed needs no query).
    feeds: HashMap<String, i64>,
    /// Whether marks made here wait for the journal (none, nearly always).
    queue: bool,
}

impl<'t> Locate<'t> {
    pub(super) fn new(tx: &'t rusqlite::Transaction<'t>) -> Result<Locate<'t>> {
        let feeds = tx
            .prepare_cached("SELECT url, id FROM feeds WHERE mailbox IS NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let queue = tx
            .query_row("SELECT 1 FROM folder_queue LIMIT 1", [], |_| Ok(()))
            .optional()?
            .is_some();
        Ok(Locate { tx, feeds, queue })
    }

    pub(super) fn item(&self, feed: &str, guid: &str) -> Result<Option<i64>> {
        if feed == MAIL_FEED {
            return Ok(self
                .tx
                .prepare_cached(
                    "SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id
                     WHERE f.mailbox IS NOT NULL AND i.guid = ?1 LIMIT 1",
                )?
                .query_row([guid], |r| r.get(0))
                .optional()?);
        }
        let Some(feed_id) = self.feeds.get(feed) else {
            return Ok(None);
        };
        Ok(self
            .tx
            .prepare_cached("SELECT id FROM items WHERE feed_id = ?1 AND guid = ?2")?
            .query_row(params![feed_id, guid], |r| r.get(0))
            .optional()?)
    }

    pub(super) fn queued(&self, id: i64, kind: Kind) -> Result<bool> {
        if !self.queue {
            return Ok(false);
        }
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM folder_queue WHERE item_id = ?1 AND kind = ?2 LIMIT 1")?
            .query_row(params![id, kind.as_str()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Whether a mark on this article and kind was queued after number `seq`.
    pub(super) fn queued_after(&self, id: i64, kind: Kind, seq: i64) -> Result<bool> {
        if !self.queue {
            return Ok(false);
        }
        Ok(self
            .tx
            .prepare_cached(
                "SELECT 1 FROM folder_queue WHERE item_id = ?1 AND kind = ?2 AND seq > ?3 LIMIT 1",
            )?
            .query_row(params![id, kind.as_str(), seq], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Sets the article's state; 1 when it changed.
    pub(super) fn set(&self, id: i64, kind: Kind, value: bool) -> Result<usize> {
        let sql = match kind {
            Kind::Read => "UPDATE items SET is_read = ?2 WHERE id = ?1 AND is_read != ?2",
            Kind::Star => "UPDATE items SET starred = ?2 WHERE id = ?1 AND starred != ?2",
        };
        Ok(self.tx.prepare_cached(sql)?.execute(params![id, value])?)
    }
}
