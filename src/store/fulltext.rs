//! Full text in the cache: an article's extracted page, or why there is none, and the
//! articles a refresh still has to fetch it for.

use super::{write::Stored, Result, Store};
use crate::model::{FeedId, ItemId};
use rusqlite::params;

impl Store {
    /// Keeps an article's full text (compressed like bodies), or why there is none; an
    /// article with either is not fetched again on its own.
    pub fn set_full_text(
        &mut self,
        id: ItemId,
        result: std::result::Result<&crate::fulltext::Extracted, &str>,
    ) -> Result<()> {
        match result {
            Ok(page) => self.conn.execute(
                "UPDATE items SET full_text = ?2, full_text_url = ?3, full_text_error = NULL,
                     full_text_byline = ?4, full_text_site = ?5
                 WHERE id = ?1",
                params![
                    id.0,
                    Stored::new(page.html.clone()),
                    page.url,
                    page.byline,
                    page.site_name
                ],
            )?,
            Err(error) => self.conn.execute(
                "UPDATE items SET full_text_error = ?2 WHERE id = ?1",
                params![id.0, crate::sanitize::clean_line(error)],
            )?,
        };
        Ok(())
    }

    /// Articles of these feeds that arrived since `since` with a link and no full text
    /// tried yet, newest first: what a refresh fetches for `full_text` feeds.
    pub fn full_text_wanted(
        &self,
        feeds: &[FeedId],
        since: i64,
        limit: usize,
    ) -> Result<Vec<(ItemId, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, link FROM items
             WHERE feed_id = ?1 AND first_seen >= ?2 AND link IS NOT NULL
               AND full_text IS NULL AND full_text_error IS NULL
             ORDER BY sort_time DESC LIMIT ?3",
        )?;
        let mut out = Vec::new();
        for feed in feeds {
            let rows = stmt.query_map(params![feed.0, since, limit as i64], |r| {
                Ok((ItemId(r.get(0)?), r.get::<_, String>(1)?))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }
}
