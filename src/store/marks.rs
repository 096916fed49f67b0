//! Marks written to the cache: read and starred, over ids, feeds and lists, marks
//! imported from another reader; and the articles of feeds no longer subscribed.

use super::{ReadMark, Result, Store};
use crate::model::{FeedId, ItemId};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

impl Store {
    /// Sets the read flag of these items; returns how many changed. Like every mark, it
    /// first compares the texts waiting (`compare_before_marking`), so that it reaches
    /// every copy.
    pub fn set_read(&mut self, ids: &[ItemId], read: bool) -> Result<usize> {
        self.compare_before_marking()?;
        self.execute_each(
            "UPDATE items SET is_read = ?2 WHERE id = ?1 AND is_read != ?2",
            ids.iter().map(|id| (id.0, read)),
        )
    }

    /// Sets the read flag of every item of these feeds; returns how many changed.
    pub fn set_feeds_read(&mut self, feeds: &[FeedId], read: bool) -> Result<usize> {
        self.compare_before_marking()?;
        self.execute_each(
            "UPDATE items SET is_read = ?2 WHERE feed_id = ?1 AND is_read != ?2",
            feeds.iter().map(|id| (id.0, read)),
        )
    }

    /// Marks read every unread item of a list (its feeds, starred or text filter);
    /// returns the ids it changed, so that exactly this can be undone.
    /// With `above`, only the items listed above that one, in the list's own order; never
    /// one newer than `upto`, the newest article the list was loaded with.
    pub fn mark_query_read(
        &mut self,
        q: &super::ItemQuery,
        above: Option<ItemId>,
        upto: ItemId,
    ) -> Result<Vec<ItemId>> {
        self.compare_before_marking()?;
        let mut ids = match above {
            Some(id) => self.unread_above(q, id)?.unwrap_or_default(),
            None => {
                let source = self.source(q)?;
                let sql = format!("SELECT items.id {} AND items.is_read = 0", source.sql);
                let mut select = self.conn.prepare(&sql)?;
                let rows =
                    select.query_map(rusqlite::params_from_iter(source.args), |r| r.get(0))?;
                rows.map(|r| r.map(ItemId))
                    .collect::<rusqlite::Result<Vec<_>>>()?
            }
        };
        // What came after the list was read was never shown: not marked.
        ids.retain(|id| id.0 <= upto.0);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = Vec::with_capacity(ids.len());
        {
            // Only what is still unread: the list was read before this transaction.
            let mut mark =
                tx.prepare_cached("UPDATE items SET is_read = 1 WHERE id = ?1 AND is_read = 0")?;
            for id in ids {
                if mark.execute([id.0])? > 0 {
                    changed.push(id);
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Sets the read flag of every item a list holds (a saved search, say); returns how
    /// many changed.
    pub fn set_query_read(&mut self, q: &super::ItemQuery, read: bool) -> Result<usize> {
        self.compare_before_marking()?;
        let source = self.source(q)?;
        let sql = format!(
            "UPDATE items SET is_read = {} WHERE is_read = {} AND id IN (SELECT items.id {})",
            i64::from(read),
            i64::from(!read),
            source.sql
        );
        Ok(self
            .conn
            .execute(&sql, rusqlite::params_from_iter(source.args))?)
    }

    /// Drops an unsubscribed feed's articles, all but the starred ones, and the feed itself
    /// once nothing of it is left. Returns (dropped, kept).
    pub fn remove_feed(&mut self, id: FeedId) -> Result<(usize, usize)> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let dropped = tx.execute(
            "DELETE FROM items WHERE feed_id = ?1 AND starred = 0",
            [id.0],
        )?;
        let kept: i64 = tx.query_row(
            "SELECT count(*) FROM items WHERE feed_id = ?1",
            [id.0],
            |r| r.get(0),
        )?;
        // No longer one of the sync server's feeds either. The articles kept for their
        // stars are no longer the server's (it deletes a feed's articles with it): their
        // ids are kept as carried ones, which the server's lists do not touch, and which
        // its articles take again, star and all, should the feed come back (subscribed
        // again on another device). A mark still queued for them goes nowhere now.
        tx.execute(
            "DELETE FROM sync_queue WHERE remote_id IN
                 (SELECT remote_id FROM items WHERE feed_id = ?1 AND remote_id IS NOT NULL)",
            [id.0],
        )?;
        tx.execute(
            "UPDATE items SET remote_id = 'carried:' || remote_id
             WHERE feed_id = ?1 AND remote_id IS NOT NULL AND remote_id NOT LIKE 'carried:%'",
            [id.0],
        )?;
        tx.execute(
            "UPDATE feeds SET remote_id = NULL, remote_groups = NULL WHERE id = ?1",
            [id.0],
        )?;
        if kept == 0 {
            tx.execute("DELETE FROM feeds WHERE id = ?1", [id.0])?;
        } else {
            // Kept for its starred articles, the row must not carry the validators of a
            // feed whose articles are gone: subscribed again, the feed was asked for
            // with them, answered 304, and its articles never came back.
            tx.execute(
                "UPDATE feeds SET etag = NULL, last_modified = NULL WHERE id = ?1",
                [id.0],
            )?;
        }
        tx.commit()?;
        Ok((dropped, kept.max(0) as usize))
    }

    /// Drops an unstarred article whose feed is no longer subscribed (one of `subscribed`
    /// URLs), and the feed once nothing of it is left; says whether it did.
    pub fn drop_if_unsubscribed(&mut self, id: ItemId, subscribed: &[&str]) -> Result<bool> {
        let feed: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT f.id, f.url FROM items i JOIN feeds f ON f.id = i.feed_id
                 WHERE i.id = ?1 AND i.starred = 0",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((feed_id, url)) = feed else {
            return Ok(false);
        };
        if subscribed.contains(&url.as_str()) {
            return Ok(false);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM items WHERE id = ?1", [id.0])?;
        tx.execute(
            "DELETE FROM feeds WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1)",
            [feed_id],
        )?;
        tx.commit()?;
        Ok(true)
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
        self.compare_before_marking()?;
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
                "INSERT OR IGNORE INTO imported_read (feed_url, guid, link) VALUES (?1, ?2, ?3)",
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
}
