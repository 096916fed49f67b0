//! What a refresh or a sync brought: the unread articles that arrived since it began,
//! for the notification that says so.

use super::{Result, Store};
use crate::model::FeedId;
use rusqlite::params;

impl Store {
    /// The newest article's row id: what arrives later has a larger one (a clock's
    /// seconds would not tell two refreshes of the same second apart).
    pub fn last_item_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM items", [], |r| r.get(0))?)
    }

    /// Unread, unhidden articles of these feeds stored after the article `since` (a row
    /// id from `last_item_id`): how many, which feeds have some, the newest one's title.
    pub fn arrived_unread(
        &self,
        feeds: &[FeedId],
        since: i64,
    ) -> Result<(usize, Vec<FeedId>, String)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*), max(sort_time) FROM items
             WHERE feed_id = ?1 AND id > ?2 AND is_read = 0 AND hidden = 0",
        )?;
        let mut count = 0;
        let mut with_news = Vec::new();
        let mut newest: Option<(i64, FeedId)> = None;
        for feed in feeds {
            let (n, latest): (i64, Option<i64>) =
                stmt.query_row(params![feed.0, since], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if n > 0 {
                count += n as usize;
                with_news.push(*feed);
                if let Some(t) = latest.filter(|t| newest.is_none_or(|(best, _)| *t > best)) {
                    newest = Some((t, *feed));
                }
            }
        }
        let title = match newest {
            Some((_, feed)) => self.conn.query_row(
                "SELECT title FROM items WHERE feed_id = ?1 AND id > ?2
                 AND is_read = 0 AND hidden = 0 ORDER BY sort_time DESC LIMIT 1",
                params![feed.0, since],
                |r| r.get(0),
            )?,
            None => String::new(),
        };
        Ok((count, with_news, title))
    }
}
