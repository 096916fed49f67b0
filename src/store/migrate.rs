//! Numbered schema migrations keyed on `PRAGMA user_version`.

use rusqlite::Connection;

mod steps_13_on;
mod steps_1_to_12;

/// Each entry brings the schema from version `i` to `i + 1`, in order.
fn migrations() -> impl Iterator<Item = &'static str> {
    steps_1_to_12::STEPS
        .iter()
        .chain(steps_13_on::STEPS)
        .copied()
}

pub const LATEST: i64 = (steps_1_to_12::STEPS.len() + steps_13_on::STEPS.len()) as i64;

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies what is missing, each step in its own transaction with its version bump.
pub fn run(conn: &mut Connection) -> rusqlite::Result<()> {
    let current = version(conn)?;
    for (i, sql) in migrations().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        if version(&tx)? > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// A cache file brought to schema `version` only, as an older bulletin left it.
#[cfg(test)]
fn cache_at(path: &std::path::Path, version: usize) -> Connection {
    let mut conn = Connection::open(path).unwrap();
    for (i, sql) in migrations().take(version).enumerate() {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(sql).unwrap();
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .unwrap();
        tx.commit().unwrap();
    }
    conn
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache written before search (schema 6) gets the index's queue filled with every
    /// article it holds, so the next search indexes them all.
    #[test]
    fn a_cache_from_before_search_queues_every_article() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        {
            let conn = cache_at(&path, 6);
            conn.execute(
                "INSERT INTO feeds (url) VALUES ('http://127.0.0.1:1/f')",
                [],
            )
            .unwrap();
            for i in 0..5 {
                conn.execute(
                    "INSERT INTO items (feed_id, guid, title, sort_time, hash, first_seen, content)
                     VALUES (1, ?1, ?2, 0, 0, 0, '<p>old words</p>')",
                    rusqlite::params![i.to_string(), format!("Old {i}")],
                )
                .unwrap();
            }
        }
        let mut store = crate::store::Store::open(&path).unwrap();
        assert_eq!(store.index_backlog().unwrap(), 5);
        let mut seen = Vec::new();
        store
            .index_all(&Default::default(), |d, t| seen.push((d, t)))
            .unwrap();
        assert_eq!(seen.last(), Some(&(5, 5)));
        let q = crate::search::compile(
            &crate::search::parse("old words", chrono::Utc::now()).unwrap(),
            &[],
        )
        .unwrap();
        let query = crate::store::ItemQuery {
            scope: crate::store::Scope::Feeds(vec![crate::model::FeedId(1)]),
            unread_only: false,
            starred_only: false,
            search: Some(q),
            order: Default::default(),
            stories: false,
        };
        assert_eq!(store.count_items(&query).unwrap(), 5);
    }
}

#[cfg(test)]
mod hidden_counts {
    use super::*;

    /// A cache from before hidden articles were left out of counts and stories (schema
    /// 21), holding a hidden article made unread and one in a story: the counts are those
    /// of the rows listed, and the hidden one leaves its story.
    #[test]
    fn a_cache_with_hidden_articles_counts_as_it_lists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        {
            let conn = cache_at(&path, 21);
            conn.execute_batch(
                "INSERT INTO feeds (url) VALUES ('http://127.0.0.1:1/a'), ('http://127.0.0.1:1/b');
                 INSERT INTO items (feed_id, guid, title, sort_time, hash, first_seen, is_read, hidden)
                 VALUES (1, 'shown', 'Shown', 0, 0, 0, 0, 0),
                        (1, 'hid', 'Sponsored', 0, 0, 0, 0, 1),
                        (2, 'copy', 'Copy', 0, 0, 0, 1, 0);
                 UPDATE items SET story = 2 WHERE guid IN ('hid', 'copy');",
            )
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        let (total, unread): (i64, i64) = store
            .conn
            .query_row("SELECT total, unread FROM feeds WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((total, unread), (1, 1));
        let story: Option<i64> = store
            .conn
            .query_row("SELECT story FROM items WHERE guid = 'hid'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(story, None);
    }
}

#[cfg(test)]
mod outdated {
    #[test]
    fn an_older_cache_says_it_needs_migrating_and_a_current_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        assert!(!crate::store::Store::needs_migration(&path), "no cache yet");
        drop(crate::store::Store::open(&path).unwrap());
        assert!(!crate::store::Store::needs_migration(&path), "current");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", super::LATEST - 1)
            .unwrap();
        drop(conn);
        assert!(crate::store::Store::needs_migration(&path));
    }
}
