//! The cache's side of email newsletters: which messages each mailbox holds (by their
//! key there, with their seen and flagged flags as last seen there), the newsletters as
//! feeds, the read marks and stars waiting for the mailbox, and where an IMAP folder was
//! left (UIDVALIDITY, UIDNEXT, MODSEQ).
//!
//! A read mark or a star on a message's article is queued by a trigger (migration 12) in
//! the mark's own transaction, like a sync mark, so neither a kill nor a failed push
//! loses it. Applying the mailbox's own flags writes through those triggers too; the
//! transaction drops what it queued itself, changes only what changed there, and leaves
//! alone every article with a mark of the user's still queued: a mark made here wins
//! until the mailbox has it.

use super::{write::PreparedFeed, Result, Store};
use crate::model::{FeedId, ItemId, MailArticle, ParsedFeed};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::collections::HashMap;

/// The flags bulletin follows: seen (read here) and flagged (starred here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailFlags {
    pub seen: bool,
    pub flagged: bool,
}

/// One of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailFlag {
    Seen,
    Flagged,
}

impl MailFlag {
    pub(super) fn name(self) -> &'static str {
        match self {
            MailFlag::Seen => "seen",
            MailFlag::Flagged => "flagged",
        }
    }
}

/// What the cache remembers of a message in a mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownMessage {
    /// Its article; None once purged or when the message could not be read.
    pub item: Option<ItemId>,
    /// Maildir: the file's path inside the Maildir (it moves as flags change).
    pub location: Option<String>,
    /// The flags as the mailbox had them at the last look.
    pub flags: MailFlags,
}

/// A message the cache has not seen yet.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub key: String,
    pub location: Option<String>,
    pub flags: MailFlags,
    /// None for a message that could not be read: it is remembered, so that it is not
    /// read again at every refresh.
    pub article: Option<MailArticle>,
}

/// A known message whose flag or place changed in the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagChange {
    pub key: String,
    pub location: Option<String>,
    pub flags: MailFlags,
}

/// A read mark or a star made here, waiting for the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedFlag {
    pub item: ItemId,
    pub key: String,
    pub location: Option<String>,
    pub flag: MailFlag,
    pub on: bool,
}

/// A newsletter as the feed list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFeed {
    pub id: FeedId,
    pub url: String,
    pub mailbox: String,
}

/// Where an IMAP folder was left, and a local mailbox's last look (its size and time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailboxState {
    pub uidvalidity: Option<u32>,
    pub uidnext: Option<u32>,
    pub modseq: Option<u64>,
    pub stamp: Option<String>,
}

/// What one mailbox read brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailApplied {
    pub new_items: usize,
    pub new_feeds: usize,
    pub changed: usize,
    pub gone: usize,
}

/// The feed id of a newsletter: the mailbox's name and the list's key.
pub fn mail_feed_url(mailbox: &str, list: &str) -> String {
    format!("mail:{mailbox}/{list}")
}

impl Store {
    /// Every message the cache knows in `mailbox`, by key.
    pub fn mail_known(&self, mailbox: &str) -> Result<HashMap<String, KnownMessage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, item_id, location, seen, flagged FROM mail_messages WHERE mailbox = ?1",
        )?;
        let rows = stmt.query_map([mailbox], |r| {
            Ok((
                r.get::<_, String>(0)?,
                KnownMessage {
                    item: r.get::<_, Option<i64>>(1)?.map(ItemId),
                    location: r.get(2)?,
                    flags: MailFlags {
                        seen: r.get(3)?,
                        flagged: r.get(4)?,
                    },
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes one read of a mailbox in one transaction: new messages as articles of
    /// their newsletters' feeds (read there: read; flagged there: starred), flags
    /// changed there applied (unless a mark made here waits), and messages gone from
    /// the mailbox dropped with their article unless it is starred.
    pub fn apply_mail(
        &mut self,
        mailbox: &str,
        new: Vec<NewMessage>,
        changed: &[FlagChange],
        gone: &[String],
        now: i64,
    ) -> Result<MailApplied> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut applied = MailApplied::default();
        {
            let mut feed_of = tx.prepare_cached("SELECT id FROM feeds WHERE url = ?1")?;
            let mut new_feed = tx.prepare_cached(
                "INSERT INTO feeds (url, title, mailbox) VALUES (?1, ?2, ?3) RETURNING id",
            )?;
            let mut ids = super::item_ids::ItemIds::start(&tx)?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO items (feed_id, guid, title, link, author, published, sort_time,
                     content, enclosures, hash, first_seen, is_read, starred, id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT (feed_id, guid) DO NOTHING",
            )?;
            let mut item_of =
                tx.prepare_cached("SELECT id FROM items WHERE feed_id = ?1 AND guid = ?2")?;
            // The same message (by its Message-ID) in another mailbox, or in another
            // folder of this one: one article, which both mailboxes' flags follow.
            let mut same_message = tx.prepare_cached(
                "SELECT items.id FROM items JOIN feeds ON feeds.id = items.feed_id
                 WHERE items.guid = ?1 AND feeds.mailbox IS NOT NULL LIMIT 1",
            )?;
            let mut remember = tx.prepare_cached(
                "INSERT OR REPLACE INTO mail_messages
                     (mailbox, key, item_id, location, seen, flagged, unsubscribe)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut feeds: HashMap<String, i64> = HashMap::new();
            for message in new {
                let Some(article) = message.article else {
                    remember.execute(params![
                        mailbox,
                        message.key,
                        None::<i64>,
                        message.location,
                        message.flags.seen,
                        message.flags.flagged,
                        None::<String>
                    ])?;
                    continue;
                };
                let known: Option<i64> = if article.item.guid.starts_with("mid:") {
                    same_message
                        .query_row([&article.item.guid], |r| r.get(0))
                        .optional()?
                } else {
                    None
                };
                let id = match known {
                    Some(id) => id,
                    None => {
                        let url = mail_feed_url(mailbox, &article.list);
                        let feed = match feeds.get(&url) {
                            Some(id) => *id,
                            None => {
                                let id = match feed_of.query_row([&url], |r| r.get(0)).optional()? {
                                    Some(id) => id,
                                    None => {
                                        applied.new_feeds += 1;
                                        new_feed.query_row(
                                            params![url, article.list_name, mailbox],
                                            |r| r.get(0),
                                        )?
                                    }
                                };
                                feeds.insert(url, id);
                                id
                            }
                        };
                        // Newsletters are not grouped (see README): no keys to work out.
                        let prepared = PreparedFeed::grouped(
                            ParsedFeed {
                                items: vec![article.item],
                                ..Default::default()
                            },
                            crate::story::Mode::Off,
                        );
                        let Some(item) = prepared.items.first() else {
                            continue;
                        };
                        // A date in the future sorts as the time it arrived, as for feeds.
                        let sort_time = item.published.map_or(now, |p| p.min(now));
                        let inserted = insert.execute(params![
                            feed,
                            item.guid,
                            item.title,
                            item.link,
                            item.author,
                            item.published,
                            sort_time,
                            item.content,
                            item.enclosures,
                            item.hash,
                            now,
                            message.flags.seen,
                            message.flags.flagged,
                            ids.next(),
                        ])?;
                        applied.new_items += ids.counted(inserted);
                        item_of.query_row(params![feed, item.guid], |r| r.get(0))?
                    }
                };
                remember.execute(params![
                    mailbox,
                    message.key,
                    id,
                    message.location,
                    message.flags.seen,
                    message.flags.flagged,
                    article.unsubscribe
                ])?;
            }
        }
        {
            let mut known = tx.prepare_cached(
                "SELECT item_id, seen, flagged FROM mail_messages WHERE mailbox = ?1 AND key = ?2",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE mail_messages SET location = ?3, seen = ?4, flagged = ?5
                 WHERE mailbox = ?1 AND key = ?2",
            )?;
            let mut waiting =
                tx.prepare_cached("SELECT 1 FROM mail_queue WHERE item_id = ?1 AND flag = ?2")?;
            let mut read = tx.prepare_cached("UPDATE items SET is_read = ?2 WHERE id = ?1")?;
            let mut star = tx.prepare_cached("UPDATE items SET starred = ?2 WHERE id = ?1")?;
            let mut unqueue =
                tx.prepare_cached("DELETE FROM mail_queue WHERE item_id = ?1 AND flag = ?2")?;
            for change in changed {
                let Some((item, seen, flagged)) = known
                    .query_row(params![mailbox, change.key], |r| {
                        Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, bool>(1)?, r.get(2)?))
                    })
                    .optional()?
                else {
                    continue;
                };
                update.execute(params![
                    mailbox,
                    change.key,
                    change.location,
                    change.flags.seen,
                    change.flags.flagged
                ])?;
                applied.changed += 1;
                let Some(item) = item else { continue };
                // Only what changed there, and not over a mark made here and not sent.
                for (flag, was, now, write) in [
                    (MailFlag::Seen, seen, change.flags.seen, &mut read),
                    (MailFlag::Flagged, flagged, change.flags.flagged, &mut star),
                ] {
                    if was == now || waiting.exists(params![item, flag.name()])? {
                        continue;
                    }
                    write.execute(params![item, now])?;
                    unqueue.execute(params![item, flag.name()])?;
                }
            }
        }
        {
            let mut forget = tx.prepare_cached(
                "DELETE FROM mail_messages WHERE mailbox = ?1 AND key = ?2 RETURNING item_id",
            )?;
            let mut drop_item = tx.prepare_cached(
                "DELETE FROM items WHERE id = ?1 AND starred = 0
                 AND NOT EXISTS (SELECT 1 FROM mail_messages WHERE item_id = ?1)",
            )?;
            for key in gone {
                let item: Option<Option<i64>> = forget
                    .query_row(params![mailbox, key], |r| r.get(0))
                    .optional()?;
                applied.gone += 1;
                if let Some(Some(item)) = item {
                    drop_item.execute([item])?;
                }
            }
        }
        tx.commit()?;
        Ok(applied)
    }

    /// The newsletters of every mailbox, in the order they were first seen.
    /// The mailboxes holding the message behind an article, with its key in each.
    pub fn mail_keys_of(&self, item: ItemId) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT mailbox, key FROM mail_messages WHERE item_id = ?1")?;
        let rows = stmt.query_map([item.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mail_feeds(&self) -> Result<Vec<MailFeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, url, mailbox FROM feeds WHERE mailbox IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MailFeed {
                id: FeedId(r.get(0)?),
                url: r.get(1)?,
                mailbox: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mailbox_state(&self, mailbox: &str) -> Result<MailboxState> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT uidvalidity, uidnext, modseq, stamp FROM mail_state WHERE mailbox = ?1",
            )?
            .query_row([mailbox], |r| {
                Ok(MailboxState {
                    uidvalidity: r.get(0)?,
                    uidnext: r.get(1)?,
                    modseq: r.get::<_, Option<i64>>(2)?.map(|m| m as u64),
                    stamp: r.get(3)?,
                })
            })
            .optional()?
            .unwrap_or_default())
    }

    pub fn set_mailbox_state(&mut self, mailbox: &str, state: &MailboxState) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO mail_state (mailbox, uidvalidity, uidnext, modseq, stamp)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                mailbox,
                state.uidvalidity,
                state.uidnext,
                state.modseq.map(|m| m as i64),
                state.stamp
            ],
        )?;
        Ok(())
    }

    /// A read of `mailbox` went through: its newsletters' feeds were read now (the
    /// health view said "last ok: never" of them).
    pub fn mailbox_read_ok(&mut self, mailbox: &str, now: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE feeds SET last_attempt = ?2, last_success = ?2 WHERE mailbox = ?1",
            params![mailbox, now],
        )?;
        Ok(())
    }

    /// The articles of `mailbox` that no message there names any more (after a folder
    /// was made anew and read again), unless starred: they are gone there.
    pub fn drop_unlisted_mail_items(&mut self, mailbox: &str) -> Result<usize> {
        Ok(self.conn.execute(
            "DELETE FROM items WHERE starred = 0
                 AND feed_id IN (SELECT id FROM feeds WHERE mailbox = ?1)
                 AND NOT EXISTS (SELECT 1 FROM mail_messages WHERE item_id = items.id)",
            [mailbox],
        )?)
    }

    /// An IMAP folder whose UIDVALIDITY changed: its UIDs mean nothing any more. The
    /// articles stay; the next read finds them again by their Message-ID.
    pub fn forget_mailbox_keys(&mut self, mailbox: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM mail_messages WHERE mailbox = ?1", [mailbox])?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "mail_tests.rs"]
mod tests;
