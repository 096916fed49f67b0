//! `keep_days` for articles no feed fetch writes: those a sync server or a mailbox
//! brought. A feed's own old articles go as each fetch is written (`write::drop_old`);
//! these go after a sync or a mailbox read, by the same rule: read, not starred, older
//! than the cutoff. A synced article is not brought back (syncs page forward and fetch
//! by id only what is unread or starred); a newsletter's message stays known by its key,
//! so it is not read again either.

use super::{Result, Store};
use rusqlite::params;

/// Which articles: those a server synced, or those a mailbox brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brought {
    Synced,
    Mail,
}

impl Store {
    /// Drops the read, unstarred articles of this kind older than `keep_days` (0 keeps
    /// everything); returns how many went.
    pub fn drop_old_brought(&mut self, kind: Brought, keep_days: u32, now: i64) -> Result<usize> {
        if keep_days == 0 {
            return Ok(0);
        }
        let cutoff = now - i64::from(keep_days) * 86_400;
        let which = match kind {
            Brought::Synced => "remote_id IS NOT NULL",
            Brought::Mail => "id IN (SELECT item_id FROM mail_messages WHERE item_id IS NOT NULL)",
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ids: Vec<i64> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT id FROM items
                 WHERE is_read = 1 AND starred = 0 AND sort_time < ?1 AND {which}"
            ))?;
            let rows = stmt.query_map(params![cutoff], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        {
            // A message keeps its key (never read again) but no longer names the
            // article: a later article could be given its number.
            let mut unlink =
                tx.prepare_cached("UPDATE mail_messages SET item_id = NULL WHERE item_id = ?1")?;
            let mut delete = tx.prepare_cached("DELETE FROM items WHERE id = ?1")?;
            for id in &ids {
                unlink.execute([id])?;
                delete.execute([id])?;
            }
        }
        let n = ids.len();
        tx.commit()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RemoteFeed, RemoteItem};

    /// Issue 26: keep_days applies to synced articles as to a feed's, never to starred
    /// or unread ones.
    #[test]
    fn old_read_synced_articles_go_and_starred_or_unread_stay() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let feeds = store
            .apply_remote_feeds(
                &[RemoteFeed {
                    id: "1".into(),
                    title: "F".into(),
                    url: "https://f.example/feed".into(),
                    site_url: None,
                    groups: vec![],
                }],
                &[],
            )
            .unwrap();
        let now = 1_800_000_000;
        let item = |id: &str, age_days: i64, read: bool, starred: bool| RemoteItem {
            id: id.into(),
            feed_id: "1".into(),
            title: id.into(),
            author: None,
            html: String::new(),
            url: None,
            published: Some(now - age_days * 86_400),
            read,
            starred,
            enclosures: vec![],
        };
        store
            .insert_remote_items(
                &[
                    item("old-read", 100, true, false),
                    item("old-unread", 100, false, false),
                    item("old-starred", 100, true, true),
                    item("new-read", 1, true, false),
                ],
                &feeds,
                now,
            )
            .unwrap();
        assert_eq!(store.drop_old_brought(Brought::Synced, 0, now).unwrap(), 0);
        assert_eq!(store.drop_old_brought(Brought::Synced, 30, now).unwrap(), 1);
        let left = store
            .missing_remote_items(&[
                "old-read".into(),
                "old-unread".into(),
                "old-starred".into(),
                "new-read".into(),
            ])
            .unwrap();
        assert_eq!(left, ["old-read"]);
    }
}
