//! A refresh's batch: the writes of the feeds waiting for the writer in one transaction
//! (refresh::writer says why), with a larger page cache while the refresh lasts.

use super::{Result, Store, StoreError};

/// The page cache during a refresh's batches, in KiB: the cold refresh of 1,000 feeds
/// wrote 94,000 log frames at SQLite's default 2 MB and 46,000 at this size (no fewer
/// at 32 MiB, which costs 20 MB more memory).
const BATCH_CACHE_KIB: u32 = 8 * 1024;

/// Whether a batch is open, and the page cache to go back to.
#[derive(Debug, Default)]
pub(super) struct Batch {
    pub(super) open: bool,
    cache_before: Option<i64>,
}

impl Store {
    /// Opens one transaction for the writes of several feeds: each feed's
    /// `apply_ungrouped` then writes within it, until `commit_batch` or `rollback_batch`.
    /// The page cache grows for it until `end_batches`: a batch's pages that no longer
    /// fit go to the log before the commit, and again at it.
    pub fn begin_batch(&mut self) -> Result<()> {
        if self.batch.cache_before.is_none() {
            let before: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
            self.conn
                .execute_batch(&format!("PRAGMA cache_size = -{BATCH_CACHE_KIB}"))?;
            self.batch.cache_before = Some(before);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.batch.open = true;
        Ok(())
    }

    /// Commits the open batch; when that fails, nothing of it is kept.
    pub fn commit_batch(&mut self) -> Result<()> {
        self.batch_alive()?;
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            self.rollback_batch()?;
            return Err(e.into());
        }
        self.batch.open = false;
        Ok(())
    }

    /// Takes back everything the open batch wrote (if SQLite has not already). An error
    /// means the transaction could not be ended: nothing more should be written here.
    pub fn rollback_batch(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        self.batch.open = false;
        Ok(())
    }

    /// Whether a batch was opened and not yet committed or rolled back here.
    pub fn batch_open(&self) -> bool {
        self.batch.open
    }

    /// Whether the open batch still holds its writes: SQLite itself ends a transaction
    /// on some errors (a full disk, an I/O error), taking back everything written in it.
    pub fn in_batch(&self) -> bool {
        self.batch.open && !self.conn.is_autocommit()
    }

    /// An error when a batch was opened and SQLite has since ended it: what would be
    /// written now would be committed alone, and then once more with the batch's feeds.
    pub(super) fn batch_alive(&self) -> Result<()> {
        if self.batch_open() && !self.in_batch() {
            return Err(StoreError::Sql(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
                Some("the refresh's batch of writes was taken back by the cache".into()),
            )));
        }
        Ok(())
    }

    /// The page cache back to what it was before the first batch.
    pub fn end_batches(&mut self) -> Result<()> {
        if let Some(before) = self.batch.cache_before.take() {
            self.conn
                .execute_batch(&format!("PRAGMA cache_size = {before}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ParsedFeed, ParsedItem, Validators};
    use crate::store::PreparedFeed;

    /// A batch SQLite ended by itself (as on a full disk; here a ROLLBACK behind the
    /// batch's back) takes no more writes: one would be committed alone, then written
    /// again with the batch's other feeds. The page cache goes back to what it was.
    #[test]
    fn a_batch_the_cache_ended_takes_no_more_writes() {
        let (_dir, mut store, ids) = crate::store::test_store(1);
        let cache = |store: &Store| -> i64 {
            store
                .conn
                .query_row("PRAGMA cache_size", [], |r| r.get(0))
                .unwrap()
        };
        let before = cache(&store);
        store.begin_batch().unwrap();
        assert!(store.in_batch());
        assert_eq!(cache(&store), -i64::from(BATCH_CACHE_KIB));
        crate::store::test_sql(&store, "ROLLBACK");
        assert!(!store.in_batch() && store.batch_open());
        let feed = PreparedFeed::new(ParsedFeed {
            items: vec![ParsedItem {
                guid: "a".into(),
                title: "A".into(),
                ..ParsedItem::default()
            }],
            ..ParsedFeed::default()
        });
        let now = chrono::Utc::now();
        let refused = store.apply_ungrouped(ids[0], &feed, &Validators::default(), None, now, 0);
        assert!(refused.is_err());
        let items: i64 = store
            .conn
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items, 0, "nothing was written outside the batch");
        assert!(store.commit_batch().is_err());
        store.rollback_batch().unwrap();
        assert!(!store.batch_open());
        // Written on its own, as the writer then does.
        store
            .apply_ungrouped(ids[0], &feed, &Validators::default(), None, now, 0)
            .unwrap();
        store.end_batches().unwrap();
        assert_eq!(cache(&store), before);
    }
}
