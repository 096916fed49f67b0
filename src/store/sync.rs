//! The cache's side of syncing with an aggregator server: the server's feeds and items
//! with their ids, the queue of marks waiting to be sent, and the server's read and
//! starred state applied without undoing a mark made here since.
//!
//! Marks are queued by triggers (migration 9) in the same transaction as the mark, so a
//! mark is never committed without its queue entry, and a kill at any moment loses
//! neither. Applying the server's state writes through the same triggers; that
//! transaction holds the write lock, so every queue entry it adds is its own, and it
//! drops them before committing.

use super::{write::Stored, Result, Store};
use crate::model::FeedId;
use crate::model::{Mark, RemoteFeed, RemoteItem};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::collections::{HashMap, HashSet};

/// A feed the server sends, as the cache keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedFeed {
    pub id: FeedId,
    pub remote_id: String,
    pub url: String,
    pub title: Option<String>,
    pub groups: Vec<String>,
}

/// A mark waiting to be sent, in the order it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMark {
    pub seq: i64,
    pub remote_id: String,
    pub mark: Mark,
}

/// Group names are kept one per line: a name has no newline (they are clean lines).
fn join_groups(groups: &[String]) -> String {
    groups.join("\n")
}

fn split_groups(text: Option<String>) -> Vec<String> {
    text.map(|t| {
        t.lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

impl Store {
    /// The feeds the server sent at the last sync, in the order they were first seen.
    pub fn synced_feeds(&self) -> Result<Vec<SyncedFeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, remote_id, url, title, remote_groups FROM feeds
             WHERE remote_id IS NOT NULL AND remote_id NOT LIKE 'carried:%' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SyncedFeed {
                id: FeedId(r.get(0)?),
                remote_id: r.get(1)?,
                url: r.get(2)?,
                title: r.get(3)?,
                groups: split_groups(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Makes the synced feeds those the server lists: new ones get a row (or take over
    /// the row of a configured feed with that URL), and those the server dropped lose
    /// their unstarred articles unless `configured` (URLs) still lists them. Returns the
    /// server's feed ids with the cache's.
    pub fn apply_remote_feeds(
        &mut self,
        feeds: &[RemoteFeed],
        configured: &[&str],
    ) -> Result<HashMap<String, FeedId>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut ids = HashMap::with_capacity(feeds.len());
        {
            let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO feeds (url) VALUES (?1)")?;
            let mut update = tx.prepare_cached(
                "UPDATE feeds SET remote_id = ?2, title = coalesce(?3, title),
                     site_link = coalesce(?4, site_link), remote_groups = ?5
                 WHERE url = ?1 RETURNING id",
            )?;
            for f in feeds {
                insert.execute([&f.url])?;
                let id: i64 = update.query_row(
                    params![
                        f.url,
                        f.id,
                        Some(f.title.as_str()).filter(|t| !t.is_empty()),
                        f.site_url,
                        join_groups(&f.groups)
                    ],
                    |r| r.get(0),
                )?;
                ids.insert(f.id.clone(), FeedId(id));
            }
        }
        let listed: HashSet<i64> = ids.values().map(|id| id.0).collect();
        let dropped: Vec<(i64, String)> = {
            let mut stmt = tx.prepare("SELECT id, url FROM feeds WHERE remote_id IS NOT NULL")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter(|(id, _)| !listed.contains(id))
                .collect()
        };
        for (id, url) in dropped {
            tx.execute(
                "UPDATE feeds SET remote_id = NULL, remote_groups = NULL WHERE id = ?1",
                [id],
            )?;
            if !configured.contains(&url.as_str()) {
                tx.execute("DELETE FROM items WHERE feed_id = ?1 AND starred = 0", [id])?;
                tx.execute(
                    "DELETE FROM feeds WHERE id = ?1
                     AND NOT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1)",
                    [id],
                )?;
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Which of these server item ids the cache does not hold.
    pub fn missing_remote_items(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM items WHERE remote_id = ?1")?;
        let mut missing = Vec::new();
        for id in ids {
            if !stmt.exists([id])? {
                missing.push(id.clone());
            }
        }
        Ok(missing)
    }

    /// Stores the server's articles (those of feeds in `feeds`, the server's feed ids
    /// with the cache's), in one transaction; returns how many were new. An article
    /// already cached keeps its state here: the id sets decide it.
    pub fn insert_remote_items(
        &mut self,
        items: &[RemoteItem],
        feeds: &HashMap<String, FeedId>,
        now: i64,
    ) -> Result<usize> {
        self.insert_filtered(items, feeds, now, None)
    }

    /// `insert_remote_items`, with `[[filter]]` rules deciding the state a new article
    /// arrives in; what a rule marked read or starred is queued for the server too (its
    /// own state would otherwise undo it at the next sync).
    pub fn insert_filtered(
        &mut self,
        items: &[RemoteItem],
        feeds: &HashMap<String, FeedId>,
        now: i64,
        filters: Option<&crate::search::rules::ServerFeeds>,
    ) -> Result<usize> {
        let filters = filters.filter(|f| !f.is_empty());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut added = 0;
        {
            let mut ids = super::item_ids::ItemIds::start(&tx)?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO items (feed_id, guid, remote_id, title, link, author, published,
                     sort_time, content, hash, first_seen, is_read, starred, enclosures, id,
                     hidden)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12, ?13, ?14, ?15
                 WHERE NOT EXISTS (SELECT 1 FROM items WHERE remote_id = ?3)
                 ON CONFLICT (feed_id, guid) DO NOTHING",
            )?;
            let mut queue = tx.prepare_cached(
                "INSERT INTO sync_queue (remote_id, mark, at) VALUES (?1, ?2, unixepoch())",
            )?;
            // An article this cache has under no id of this server (carried from the
            // account before, or fetched from the feed before it was synced) takes the
            // server's id instead of coming again as new.
            let mut take_over = super::take_over::TakeOver::new(&tx, items)?;
            for item in items {
                let Some(feed) = feeds.get(&item.feed_id) else {
                    continue;
                };
                if take_over.take(*feed, item)? {
                    continue;
                }
                // A date in the future sorts as the time it arrived, as for local feeds.
                let sort_time = item.published.map_or(now, |p| p.min(now));
                let arrival = filters.map(|f| f.arrival(item)).unwrap_or_default();
                let inserted = insert.execute(params![
                    feed.0,
                    format!("sync:{}", item.id),
                    item.id,
                    item.title,
                    item.url,
                    item.author,
                    item.published,
                    sort_time,
                    (!item.html.is_empty()).then(|| Stored::new(item.html.clone())),
                    now,
                    item.read || arrival.read,
                    item.starred || arrival.starred,
                    (!item.enclosures.is_empty())
                        .then(|| serde_json::to_string(&item.enclosures).ok())
                        .flatten(),
                    ids.next(),
                    arrival.hidden,
                ])?;
                added += ids.counted(inserted);
                if inserted > 0 {
                    if arrival.read && !item.read {
                        queue.execute(params![item.id, "read"])?;
                    }
                    if arrival.starred && !item.starred {
                        queue.execute(params![item.id, "star"])?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// The marks waiting to be sent, oldest first.
    pub fn queued_marks(&self) -> Result<Vec<QueuedMark>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, remote_id, mark FROM sync_queue
                 WHERE remote_id NOT LIKE 'carried:%' ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut marks = Vec::new();
        for row in rows {
            let (seq, remote_id, mark) = row?;
            if let Some(mark) = Mark::from_name(&mark) {
                marks.push(QueuedMark {
                    seq,
                    remote_id,
                    mark,
                });
            }
        }
        Ok(marks)
    }

    /// Forgets exactly these queued marks (by their numbers, never reused), once the
    /// server has them: a mark queued while they were on their way stays.
    pub fn unqueue_marks(&mut self, seqs: &[i64]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut delete = tx.prepare_cached("DELETE FROM sync_queue WHERE seq = ?1")?;
            for seq in seqs {
                delete.execute([seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Gives every synced article the server's state (unread unless its id is in
    /// `unread`, starred when in `starred`), except articles with a mark still queued:
    /// a mark made here since the last push wins. Returns how many articles changed.
    pub fn apply_remote_state(
        &mut self,
        unread: &HashSet<String>,
        starred: &HashSet<String>,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before: i64 =
            tx.query_row("SELECT coalesce(max(seq), 0) FROM sync_queue", [], |r| {
                r.get(0)
            })?;
        // Only what can differ is read (by the indexes of unread and starred articles:
        // the planner would rather walk every synced one by its remote id): the synced articles unread or starred here,
        // and those the server lists unread or starred. A sync with nothing changed
        // costs as much as the account has unread and starred articles, not more (the
        // account's read ones are never read from the disk).
        let waiting: HashSet<String> = {
            let mut stmt = tx.prepare("SELECT DISTINCT remote_id FROM sync_queue")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // Articles marked here meanwhile keep their mark; carried ones belong to the
        // account before.
        let skip = |remote: &str| remote.starts_with("carried:") || waiting.contains(remote);
        let local = |sql: &str| -> rusqlite::Result<Vec<(i64, String)>> {
            let mut stmt = tx.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        let unread_here =
            local("SELECT id, remote_id FROM items INDEXED BY items_by_unread WHERE is_read = 0 AND remote_id IS NOT NULL")?;
        let starred_here =
            local("SELECT id, remote_id FROM items INDEXED BY items_by_starred WHERE starred = 1 AND remote_id IS NOT NULL")?;
        // (article, read, starred): what to set; None leaves it as it is.
        let mut set: HashMap<i64, (Option<bool>, Option<bool>)> = HashMap::new();
        for (id, remote) in &unread_here {
            if !skip(remote) && !unread.contains(remote) {
                set.entry(*id).or_default().0 = Some(true);
            }
        }
        for (id, remote) in &starred_here {
            if !skip(remote) && !starred.contains(remote) {
                set.entry(*id).or_default().1 = Some(false);
            }
        }
        {
            let mut by_remote =
                tx.prepare_cached("SELECT id, is_read, starred FROM items WHERE remote_id = ?1")?;
            for (list, star) in [(unread, false), (starred, true)] {
                for remote in list.iter().filter(|r| !skip(r)) {
                    let row = by_remote
                        .query_row([remote], |r| {
                            Ok((
                                r.get::<_, i64>(0)?,
                                r.get::<_, bool>(1)?,
                                r.get::<_, bool>(2)?,
                            ))
                        })
                        .optional()?;
                    match row {
                        Some((id, true, _)) if !star => set.entry(id).or_default().0 = Some(false),
                        Some((id, _, false)) if star => set.entry(id).or_default().1 = Some(true),
                        _ => {}
                    }
                }
            }
        }
        // An article kept for its star after its feed was unsubscribed is no longer the
        // server's (which deletes a feed's articles with it): the server's lists say
        // nothing of it, and its star stays as promised. (`remove_feed` now carries such
        // an article's id, which `skip` passes by; this is for the ones kept before.)
        {
            let mut synced = tx.prepare_cached(
                "SELECT f.remote_id IS NOT NULL FROM items i JOIN feeds f ON f.id = i.feed_id
                 WHERE i.id = ?1",
            )?;
            let mut kept = Vec::new();
            for id in set.keys() {
                let of_server: Option<bool> = synced.query_row([id], |r| r.get(0)).optional()?;
                if of_server != Some(true) {
                    kept.push(*id);
                }
            }
            for id in kept {
                set.remove(&id);
            }
        }
        let changed = set.len();
        // The server's state is per copy: it is not given to the other copies of a story
        // (they have their own state there, which this same pass applies).
        tx.execute("INSERT INTO story_quiet VALUES (1)", [])?;
        {
            let mut set_read = tx.prepare_cached("UPDATE items SET is_read = ?2 WHERE id = ?1")?;
            let mut set_star = tx.prepare_cached("UPDATE items SET starred = ?2 WHERE id = ?1")?;
            let mut ids: Vec<_> = set.into_iter().collect();
            ids.sort_unstable_by_key(|(id, _)| *id);
            for (id, (read, star)) in ids {
                if let Some(read) = read {
                    set_read.execute(params![id, read])?;
                }
                if let Some(star) = star {
                    set_star.execute(params![id, star])?;
                }
            }
        }
        tx.execute("DELETE FROM story_quiet", [])?;
        // What these writes queued is the server's own state: not to be sent back.
        tx.execute("DELETE FROM sync_queue WHERE seq > ?1", [before])?;
        tx.commit()?;
        Ok(changed)
    }

    /// The server this cache syncs with ("provider url user"), so that a change of
    /// server starts afresh instead of mixing two servers' ids.
    pub fn sync_account(&self) -> Result<Option<String>> {
        self.meta("sync.account")
    }

    /// Moves the cache to another account (a new server, user or provider): what the
    /// old one synced is carried, not dropped. Its feeds and articles keep their rows
    /// and state with their old ids marked `carried:`, so the new account's feeds take
    /// them over by URL, its articles by link (see `insert_remote_items`), and nothing
    /// comes back as new. Marks queued for the old account stay queued on the carried
    /// ids: they go to the new server once their article is linked, and are reported
    /// meanwhile, never dropped.
    pub fn start_sync_account(&mut self, account: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        const CARRY: &str = "CASE WHEN remote_id LIKE 'carried:%' THEN remote_id
                             ELSE 'carried:' || remote_id END";
        for table in ["feeds", "items", "sync_queue"] {
            tx.execute(
                &format!("UPDATE {table} SET remote_id = {CARRY} WHERE remote_id IS NOT NULL"),
                [],
            )?;
        }
        tx.execute("DELETE FROM meta WHERE key LIKE 'sync.%'", [])?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('sync.account', ?1)",
            [account],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Marks queued for an account this cache no longer syncs with, whose articles the
    /// new one has not (yet) sent. Marks of carried articles that are gone (their feed
    /// left, or keep_days) go with them first.
    pub fn carried_mark_count(&mut self) -> Result<usize> {
        // Gone, or kept after their feed left the server (`remove`): no server will take
        // them, and the feed's return takes the article's state from its row.
        self.conn.execute(
            "DELETE FROM sync_queue WHERE remote_id LIKE 'carried:%'
             AND remote_id NOT IN (SELECT i.remote_id FROM items i JOIN feeds f
                                   ON f.id = i.feed_id
                                   WHERE i.remote_id LIKE 'carried:%'
                                   AND f.remote_id IS NOT NULL)",
            [],
        )?;
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM sync_queue WHERE remote_id LIKE 'carried:%'",
            [],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// How many marks wait to be sent.
    pub fn queued_mark_count(&self) -> Result<usize> {
        let n: Option<i64> = self
            .conn
            .query_row("SELECT count(*) FROM sync_queue", [], |r| r.get(0))
            .optional()?;
        Ok(n.unwrap_or(0).max(0) as usize)
    }
}

#[cfg(test)]
#[path = "sync_tests.rs"]
mod tests;
