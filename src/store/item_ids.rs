//! Article ids that are never reused (migration 21): a new article is numbered above
//! every article there is and every one ever deleted.

use super::Result;
use rusqlite::Connection;

/// Numbers a transaction's new articles: the first id free for good, counted up as rows
/// go in. Every statement that inserts into `items` takes its id from here.
pub(super) struct ItemIds {
    next: i64,
}

impl ItemIds {
    /// Read within the writing transaction, so that no other writer numbers in between.
    pub(super) fn start(tx: &Connection) -> Result<ItemIds> {
        let next: i64 = tx
            .prepare_cached(
                "SELECT max(coalesce((SELECT max(id) FROM items), 0),
                            coalesce((SELECT CAST(value AS INTEGER) FROM meta
                                      WHERE key = 'items.high'), 0)) + 1",
            )?
            .query_row([], |r| r.get(0))?;
        Ok(ItemIds { next })
    }

    /// The id the next insert gives its row.
    pub(super) fn next(&self) -> i64 {
        self.next
    }

    /// The insert took `next` (it inserted a row rather than finding one there).
    pub(super) fn taken(&mut self) {
        self.next += 1;
    }

    /// After an insert that may have found its row there instead (`DO NOTHING`): how
    /// many rows it inserted, passed on, and `next` moved past the id if it took it.
    pub(super) fn counted(&mut self, inserted: usize) -> usize {
        if inserted > 0 {
            self.taken();
        }
        inserted
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{FeedId, ParsedItem};
    use crate::store::Store;

    fn write(store: &mut Store, feed: FeedId, guids: &[&str]) {
        let items = guids
            .iter()
            .map(|g| ParsedItem {
                guid: g.to_string(),
                title: g.to_string(),
                ..Default::default()
            })
            .collect();
        crate::store::test_write(store, feed, items);
    }

    fn ids(store: &Store) -> Vec<i64> {
        let mut stmt = store
            .conn
            .prepare("SELECT id FROM items ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// The newest articles deleted, the next ones are numbered above them, not given
    /// their ids; the bound survives reopening the cache.
    #[test]
    fn deleted_newest_ids_are_never_given_again() {
        let (dir, mut store, feeds) = crate::store::test_store(2);
        write(&mut store, feeds[0], &["a", "b"]);
        write(&mut store, feeds[1], &["c", "d", "e"]);
        let before = ids(&store);
        let high = *before.last().unwrap();
        store
            .conn
            .execute("DELETE FROM items WHERE feed_id = ?1", [feeds[1].0])
            .unwrap();
        drop(store);
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        write(&mut store, feeds[0], &["f", "g"]);
        let after = ids(&store);
        assert_eq!(after.len(), 4);
        assert!(
            after[2..].iter().all(|&id| id > high),
            "new ids {after:?} above {high}"
        );
        // An update of a known article takes no id: the next new one follows on.
        write(&mut store, feeds[0], &["f", "g", "h"]);
        assert_eq!(*ids(&store).last().unwrap(), after[3] + 1);
    }
}
