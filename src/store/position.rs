//! Where an article stands in a list, by id: the TUI keeps its cursor on an article
//! through reloads, and `M` marks the rows shown above it, in whatever order the list
//! has (newest first, oldest, by title, or a search's relevance).

use super::{ItemQuery, Result, Store};
use crate::model::ItemId;

/// Rows read at a time while walking a list.
const CHUNK: usize = 20_000;

impl Store {
    /// Walks a list in its own order (the pages the TUI shows, concatenated) until `f`
    /// says stop; returns the index where it stopped.
    fn walk_list(
        &self,
        q: &ItemQuery,
        mut f: impl FnMut(&crate::model::ItemRow) -> bool,
    ) -> Result<Option<usize>> {
        let mut offset = 0;
        loop {
            let rows = self.items(q, offset, CHUNK)?;
            for (i, row) in rows.iter().enumerate() {
                if f(row) {
                    return Ok(Some(offset + i));
                }
            }
            if rows.len() < CHUNK {
                return Ok(None);
            }
            offset += rows.len();
        }
    }

    /// The row `id` is on in this list, or None when the list does not hold it.
    pub fn list_position(&self, q: &ItemQuery, id: ItemId) -> Result<Option<usize>> {
        self.walk_list(q, |r| r.id == id)
    }

    /// The unread articles listed above `id`, in the list's own order; None when the list
    /// does not hold `id` (nothing is then above it).
    pub fn unread_above(&self, q: &ItemQuery, id: ItemId) -> Result<Option<Vec<ItemId>>> {
        let mut above = Vec::new();
        let found = self.walk_list(q, |r| {
            if r.id == id {
                return true;
            }
            if !r.read {
                above.push(r.id);
            }
            false
        })?;
        Ok(found.map(|_| above))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::ParsedItem;
    use crate::store::{ItemQuery, Order, Store};
    use chrono::{TimeZone, Utc};

    /// Issue 26: `M` marks exactly the rows shown above the cursor, whatever the list's
    /// order. Before, "above" was worked out by time, so in a list sorted by title (or a
    /// search in relevance order) it marked rows below the cursor and left some above.
    #[test]
    fn m_marks_the_rows_above_in_the_lists_own_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
        // Titles in the opposite order to their dates.
        let items = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
            .iter()
            .enumerate()
            .map(|(i, t)| ParsedItem {
                guid: t.to_string(),
                title: t.to_string(),
                published: Some(
                    Utc.timestamp_opt(1_700_000_000 - i as i64 * 3600, 0)
                        .unwrap(),
                ),
                ..ParsedItem::default()
            })
            .collect();
        crate::store::test_write(&mut store, ids[0], items);
        let q = ItemQuery {
            order: Order::Title,
            ..ItemQuery::feed(ids[0])
        };
        let rows = store.items(&q, 0, 10).unwrap();
        let shown: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(shown, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]);
        assert_eq!(store.list_position(&q, rows[3].id).unwrap(), Some(3));
        let marked = store.mark_query_read(&q, Some(rows[3].id)).unwrap();
        assert_eq!(marked, vec![rows[0].id, rows[1].id, rows[2].id]);
        let after = store.items(&q, 0, 10).unwrap();
        let read: Vec<bool> = after.iter().map(|r| r.read).collect();
        assert_eq!(read, [true, true, true, false, false]);
    }
}
