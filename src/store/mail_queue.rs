//! The read marks and stars made here on newsletters, waiting for their mailbox: a
//! trigger queues each (migration 12), the mail reader sends them (`mail_queue`) and
//! says which the mailbox took (`mail_pushed`), and a mailbox that takes none (an mbox)
//! has them dropped (`mail_drop_queue`).

use super::mail::{MailFlag, QueuedFlag};
use super::{Result, Store};
use crate::model::ItemId;
use rusqlite::{params, TransactionBehavior};

impl Store {
    /// The read marks and stars made here on `mailbox`'s messages, waiting for the
    /// mailbox.
    pub fn mail_queue(&self, mailbox: &str) -> Result<Vec<QueuedFlag>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT q.item_id, m.key, m.location, q.flag, q.value FROM mail_queue q
             JOIN mail_messages m ON m.item_id = q.item_id WHERE m.mailbox = ?1
             ORDER BY m.key, q.flag",
        )?;
        let rows = stmt.query_map([mailbox], |r| {
            let flag: String = r.get(3)?;
            Ok(QueuedFlag {
                item: ItemId(r.get(0)?),
                key: r.get(1)?,
                location: r.get(2)?,
                flag: if flag == "flagged" {
                    MailFlag::Flagged
                } else {
                    MailFlag::Seen
                },
                on: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The mailbox took these marks: they leave the queue (unless marked again since),
    /// and the cache remembers the flag and where the message is now.
    pub fn mail_pushed(&mut self, mailbox: &str, done: &[QueuedFlag]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut seen = tx.prepare_cached(
                "UPDATE mail_messages SET location = ?3, seen = ?4 WHERE mailbox = ?1 AND key = ?2",
            )?;
            let mut flagged = tx.prepare_cached(
                "UPDATE mail_messages SET location = ?3, flagged = ?4
                 WHERE mailbox = ?1 AND key = ?2",
            )?;
            for d in done {
                let update = match d.flag {
                    MailFlag::Seen => &mut seen,
                    MailFlag::Flagged => &mut flagged,
                };
                update.execute(params![mailbox, d.key, d.location, d.on])?;
            }
            // A mark leaves the queue once every mailbox holding the message has it
            // (the same newsletter in two mailboxes is one article).
            let mut unqueue_seen = tx.prepare_cached(
                "DELETE FROM mail_queue WHERE item_id = ?1 AND flag = 'seen' AND value = ?2
                 AND NOT EXISTS (SELECT 1 FROM mail_messages WHERE item_id = ?1 AND seen != ?2)",
            )?;
            let mut unqueue_flagged = tx.prepare_cached(
                "DELETE FROM mail_queue WHERE item_id = ?1 AND flag = 'flagged' AND value = ?2
                 AND NOT EXISTS
                     (SELECT 1 FROM mail_messages WHERE item_id = ?1 AND flagged != ?2)",
            )?;
            for d in done {
                let unqueue = match d.flag {
                    MailFlag::Seen => &mut unqueue_seen,
                    MailFlag::Flagged => &mut unqueue_flagged,
                };
                unqueue.execute(params![d.item.0, d.on])?;
            }
            // Marks on articles whose message is gone have nowhere to go.
            tx.execute(
                "DELETE FROM mail_queue WHERE item_id NOT IN
                     (SELECT item_id FROM mail_messages WHERE item_id IS NOT NULL)",
                [],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Drops marks the mailbox refused (a read-only folder): they stay marks here, and
    /// the mailbox's state is left as it was seen, so reading it undoes nothing.
    pub fn mail_refused(&mut self, refused: &[QueuedFlag]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        unqueue(&tx, refused)?;
        tx.commit()?;
        Ok(())
    }

    /// Drops the marks waiting for a mailbox that takes none (an mbox): they stay marks
    /// here, and the mailbox's own state is left as it was seen.
    pub fn mail_drop_queue(&mut self, mailbox: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM mail_queue WHERE item_id IN
                 (SELECT item_id FROM mail_messages WHERE mailbox = ?1)",
            [mailbox],
        )?;
        Ok(())
    }

    /// How many read marks and stars wait for a mailbox.
    pub fn mail_queue_len(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM mail_queue", [], |r| r.get(0))?;
        Ok(n as usize)
    }
}

/// Takes these marks out of the queue (a mark made again since, with another value,
/// stays).
fn unqueue(tx: &rusqlite::Transaction, marks: &[QueuedFlag]) -> Result<()> {
    let mut delete = tx
        .prepare_cached("DELETE FROM mail_queue WHERE item_id = ?1 AND flag = ?2 AND value = ?3")?;
    for d in marks {
        delete.execute(params![d.item.0, d.flag.name(), d.on])?;
    }
    Ok(())
}
