//! Where an article stands in a list, by id: the TUI keeps its cursor on an article
//! through reloads, and `M` marks the rows shown above it, in whatever order the list
//! has. A list in one of the orders (newest, oldest, by title...) answers with one
//! query on the order's keys; only a search in relevance order, which no key gives, is
//! walked a chunk at a time.

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

    /// Whether the list's order is its `Order`'s keys (not a search's relevance).
    fn keyed(&self, q: &ItemQuery) -> Result<bool> {
        Ok(q.order != super::Order::Newest || !self.source(q)?.indexed)
    }

    /// Whether the list holds `id`.
    fn holds(&self, q: &ItemQuery, id: ItemId) -> Result<bool> {
        let source = self.source(q)?;
        let mut args = source.args;
        args.push(rusqlite::types::Value::Integer(id.0));
        let sql = format!("SELECT EXISTS (SELECT 1 {} AND items.id = ?)", source.sql);
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?)
    }

    /// The row `id` is on in this list, or None when the list does not hold it.
    pub fn list_position(&self, q: &ItemQuery, id: ItemId) -> Result<Option<usize>> {
        if !self.keyed(q)? {
            return self.walk_list(q, |r| r.id == id);
        }
        if !self.holds(q, id)? {
            return Ok(None);
        }
        self.list_place(q, id)
    }

    /// Where `id` would be in the list were it in it: how many of the list's rows come
    /// before it in the list's order. None for a list in relevance order (no keys).
    pub fn list_place(&self, q: &ItemQuery, id: ItemId) -> Result<Option<usize>> {
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM items WHERE id = ?1)")?
            .query_row([id.0], |r| r.get(0))?;
        // A deleted article has no keys to place it by.
        if !exists || !self.keyed(q)? {
            return Ok(None);
        }
        let source = self.source(q)?;
        let mut args = source.args;
        args.push(rusqlite::types::Value::Integer(id.0));
        let sql = format!(
            "SELECT count(*) {} AND {}",
            source.sql,
            q.order.before_sql()
        );
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(Some(n.max(0) as usize))
    }

    /// The unread articles listed above `id`, in the list's own order; None when the list
    /// does not hold `id` (nothing is then above it).
    pub fn unread_above(&self, q: &ItemQuery, id: ItemId) -> Result<Option<Vec<ItemId>>> {
        if self.keyed(q)? {
            if !self.holds(q, id)? {
                return Ok(None);
            }
            let source = self.source(q)?;
            let mut args = source.args;
            args.push(rusqlite::types::Value::Integer(id.0));
            let sql = format!(
                "SELECT items.id {} AND items.is_read = 0 AND {}",
                source.sql,
                q.order.before_sql()
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(0))?;
            let ids = rows
                .map(|r| r.map(ItemId))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return Ok(Some(ids));
        }
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
            stories: false,
            ..ItemQuery::feed(ids[0])
        };
        let rows = store.items(&q, 0, 10).unwrap();
        let shown: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(shown, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]);
        assert_eq!(store.list_position(&q, rows[3].id).unwrap(), Some(3));
        let marked = store
            .mark_query_read(&q, Some(rows[3].id), crate::model::ItemId(i64::MAX))
            .unwrap();
        assert_eq!(marked, vec![rows[0].id, rows[1].id, rows[2].id]);
        let after = store.items(&q, 0, 10).unwrap();
        let read: Vec<bool> = after.iter().map(|r| r.read).collect();
        assert_eq!(read, [true, true, true, false, false]);
        // Read ones hidden: Charlie left the list, and would stand before Delta, the
        // first row left; Echo is still on its row.
        let unread = ItemQuery {
            unread_only: true,
            ..q
        };
        assert_eq!(store.list_position(&unread, rows[2].id).unwrap(), None);
        assert_eq!(store.list_place(&unread, rows[2].id).unwrap(), Some(0));
        assert_eq!(store.list_place(&unread, rows[4].id).unwrap(), Some(1));
        store
            .conn
            .execute("DELETE FROM items WHERE id = ?1", [rows[2].id.0])
            .unwrap();
        assert_eq!(store.list_place(&unread, rows[2].id).unwrap(), None);
    }

    /// The position the order's keys give is the row the list shows it on, in every
    /// order; and an article the list does not hold has none.
    #[test]
    fn positions_agree_with_the_rows_in_every_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(2)).unwrap();
        for (f, id) in ids.iter().enumerate() {
            let items = (0..15)
                .map(|i| ParsedItem {
                    guid: format!("{f}-{i}"),
                    title: format!("{} {i}", ["Zeta", "alpha", "Mid"][i % 3]),
                    // Ties in time across feeds, so the id breaks them.
                    published: Some(
                        Utc.timestamp_opt(1_700_000_000 + (i % 5) as i64, 0)
                            .unwrap(),
                    ),
                    ..ParsedItem::default()
                })
                .collect();
            crate::store::test_write(&mut store, *id, items);
        }
        for order in Order::ALL {
            let q = ItemQuery {
                order,
                stories: false,
                ..ItemQuery {
                    scope: crate::store::Scope::Feeds(vec![ids[0], ids[1]]),
                    ..ItemQuery::feed(ids[0])
                }
            };
            let rows = store.items(&q, 0, 100).unwrap();
            assert_eq!(rows.len(), 30);
            for (i, row) in rows.iter().enumerate() {
                assert_eq!(
                    store.list_position(&q, row.id).unwrap(),
                    Some(i),
                    "{order:?}"
                );
            }
            let one = ItemQuery {
                order,
                stories: false,
                ..ItemQuery::feed(ids[0])
            };
            let other = store.items(&ItemQuery::feed(ids[1]), 0, 1).unwrap()[0].id;
            assert_eq!(store.list_position(&one, other).unwrap(), None);
        }
    }
}
