//! The search index: every article's title, author, feed name and text in an FTS5 table.
//!
//! A refresh only queues what it wrote (a trigger fills `search_pending`, one row per
//! item); whoever searches next takes the queue in first (`index_pending`), and the TUI
//! does so in the background after each refresh. That keeps the refresh's single writer
//! as fast as before: tokenizing every body costs more than writing it. Deletes (purges)
//! leave the index at once, by trigger.
//!
//! The index's rowid is not the item id but `key(sort_time, id)`, which sorts as the
//! lists do, so "newest matches first" is a walk of the index with no sort, whatever
//! the number of matches.

use super::{ItemQuery, Result, Scope, Store};
use crate::model::FeedId;
use rusqlite::types::Value;
use rusqlite::{params, TransactionBehavior};
use std::collections::HashMap;

const SHIFT: i64 = 1 << 31;
/// The item id inside a key: its low 31 bits.
pub const ID_MASK: i64 = SHIFT - 1;

/// The index key of an item: its sort time (clamped to what fits) above its id.
pub fn key(sort_time: i64, id: i64) -> i64 {
    sort_time.clamp(-SHIFT, SHIFT - 1) * SHIFT + id
}

/// Up to this many matches are ranked by relevance (bm25); beyond it the words are in so
/// many articles that relevance says little, and matches are listed newest first.
pub const RANK_AT_MOST: usize = 1000;

/// Above this many feeds, a list's feeds are not handed to the index as `fid` terms.
const FID_TERMS_AT_MOST: usize = 200;

/// Items indexed per transaction: small enough that a reader waiting for the lock (the
/// TUI's marks) waits only a moment.
pub const INDEX_BATCH: usize = 500;

/// Items indexed per transaction when nothing else waits (`bulletin search` taking the
/// queue in): each commit ends an index segment, and fewer, larger segments cost less
/// to write and to merge (50,000 articles: 3.3 s in batches of 2,000, 3.0 s of 5,000,
/// 2.9 s of 10,000 at 68 MiB of memory against 43).
pub const INDEX_ALL_BATCH: usize = 5_000;

/// The FROM and WHERE of a list, and its parameters.
pub(super) struct Source {
    pub sql: String,
    pub args: Vec<Value>,
    /// Whether rows come from the index (and so can be ranked).
    pub indexed: bool,
}

impl Store {
    /// How many articles filters hid.
    pub fn hidden_count(&self) -> Result<usize> {
        let n: i64 =
            self.conn
                .query_row("SELECT count(*) FROM items WHERE hidden = 1", [], |r| {
                    r.get(0)
                })?;
        Ok(n.max(0) as usize)
    }

    /// How many articles wait to be indexed.
    pub fn index_backlog(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }

    /// Indexes up to `limit` waiting articles in one transaction; returns how many.
    /// `names` gives feeds their configured names (else the feed's own title is used).
    pub fn index_some(&mut self, names: &HashMap<FeedId, String>, limit: usize) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut done = 0;
        {
            let mut select = tx.prepare_cached(
                "SELECT p.item_id, i.feed_id, i.sort_time, i.title, i.author, f.title, f.url,
                        i.summary, i.content, i.full_text
                 FROM search_pending p
                 JOIN items i ON i.id = p.item_id JOIN feeds f ON f.id = i.feed_id
                 LIMIT ?1",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO search (rowid, title, author, feed, body, fid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut unqueue = tx.prepare_cached("DELETE FROM search_pending WHERE item_id = ?1")?;
            let mut rows = select.query([limit as i64])?;
            let mut batch = Vec::new();
            while let Some(r) = rows.next()? {
                let feed_id = FeedId(r.get(1)?);
                let feed_name = names.get(&feed_id).cloned().unwrap_or_else(|| {
                    crate::model::feed_display_name(
                        None,
                        r.get::<_, Option<String>>(5).ok().flatten().as_deref(),
                        &r.get::<_, String>(6).unwrap_or_default(),
                    )
                });
                let summary = super::read::stored_text(r.get_ref(7)?);
                let content = super::read::stored_text(r.get_ref(8)?);
                let full = super::read::stored_text(r.get_ref(9)?);
                // The text the reader shows: the full text, else the content, else the
                // summary.
                let html = full
                    .or(content)
                    .filter(|c| !c.trim().is_empty())
                    .or(summary)
                    .unwrap_or_default();
                batch.push((
                    r.get::<_, i64>(0)?,
                    key(r.get(2)?, r.get(0)?),
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    feed_name,
                    crate::search::text::index_text(&html),
                    format!("f{}", feed_id.0),
                ));
            }
            drop(rows);
            // FTS5 starts a new segment whenever a rowid is lower than the last one it
            // took, and the queue is in arrival order, not key order: taken as it came,
            // a batch made hundreds of small segments that then had to be merged (a
            // third of the indexing's time). Read in the queue's order (the items' own,
            // so the table is read front to back), written in key order.
            batch.sort_unstable_by_key(|b| b.1);
            for (id, k, title, author, feed, body, fid) in &batch {
                insert.execute(params![k, title, author, feed, body, fid])?;
                unqueue.execute([id])?;
                done += 1;
            }
            // Queued ids whose item is gone (deleted before indexing) leave the queue.
            if batch.len() < limit {
                tx.execute(
                    "DELETE FROM search_pending WHERE item_id NOT IN (SELECT id FROM items)",
                    [],
                )?;
            }
        }
        tx.commit()?;
        Ok(done)
    }

    /// Indexes every waiting article, telling `progress` (done, total) after each batch.
    pub fn index_all(
        &mut self,
        names: &HashMap<FeedId, String>,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize> {
        let total = self.index_backlog()?;
        super::drain(
            total,
            |store| store.index_some(names, INDEX_ALL_BATCH),
            self,
            &mut progress,
        )
    }

    /// Where a list's rows come from: the items table, or the index joined to it when the
    /// query has words.
    pub(super) fn source(&self, q: &ItemQuery) -> Result<Source> {
        let (clause, mut args) = Store::where_clause(q);
        let Some(matching) = q.search.as_ref().and_then(|s| s.matching.as_ref()) else {
            return Ok(Source {
                sql: format!("FROM items WHERE {clause}"),
                args,
                indexed: false,
            });
        };
        let search = q.search.as_ref();
        let mut expr = format!("({matching})");
        // A few feeds are told to the index itself, which then reads only their entries.
        let feeds = list_feeds(q);
        if let Some(ids) = feeds.filter(|ids| !ids.is_empty() && ids.len() <= FID_TERMS_AT_MOST) {
            let terms: Vec<String> = ids.iter().map(|id| format!("f{}", id.0)).collect();
            expr.push_str(&format!(" AND fid : ({})", terms.join(" OR ")));
        }
        let mut sql = String::from(
            "FROM search CROSS JOIN items ON items.id = (search.rowid & 2147483647)
             WHERE search MATCH ?",
        );
        let mut front = vec![Value::Text(expr)];
        if let Some(after) = search.and_then(|s| s.after) {
            sql.push_str(" AND search.rowid >= ?");
            front.push(Value::Integer(key(after, 0)));
        }
        if let Some(before) = search.and_then(|s| s.before) {
            sql.push_str(" AND search.rowid < ?");
            front.push(Value::Integer(key(before, 0)));
        }
        sql.push_str(&format!(" AND {clause}"));
        front.append(&mut args);
        Ok(Source {
            sql,
            args: front,
            indexed: true,
        })
    }

    /// The ORDER BY for a list: by relevance then time when few articles match,
    /// otherwise by time (the index's own order).
    pub(super) fn order(&self, source: &Source) -> Result<&'static str> {
        if !source.indexed {
            return Ok("ORDER BY items.sort_time DESC, items.id DESC");
        }
        let expr = &source.args[0];
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ?1 LIMIT ?2)",
            )?
            .query_row(params![expr, RANK_AT_MOST as i64 + 1], |r| r.get(0))?;
        Ok(if n as usize <= RANK_AT_MOST {
            // Column weights: a word in the title counts most, the feed id not at all.
            "ORDER BY bm25(search, 8.0, 4.0, 2.0, 1.0, 0.0), search.rowid DESC"
        } else {
            "ORDER BY search.rowid DESC"
        })
    }
}

/// The feeds a list is limited to, by its scope and its query's `feed:`/`tag:`.
fn list_feeds(q: &ItemQuery) -> Option<Vec<FeedId>> {
    let scope: Vec<FeedId> = match &q.scope {
        Scope::Feed(id) => vec![*id],
        Scope::Feeds(ids) => ids.clone(),
    };
    match q.search.as_ref().and_then(|s| s.feeds.as_ref()) {
        Some(wanted) => Some(scope.into_iter().filter(|i| wanted.contains(i)).collect()),
        None => Some(scope),
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
