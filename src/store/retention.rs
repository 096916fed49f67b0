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
