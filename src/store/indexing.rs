//! Taking the search index's queue in: the articles a refresh wrote wait in
//! `search_pending` until someone indexes them (`bulletin search` all at once, the TUI in
//! small batches between requests).
//!
//! Most of the time goes to SQLite's FTS5 (tokenizing, its term hash, writing segments),
//! which runs on the thread that holds the connection. What is ours (unpacking a body,
//! taking the words out of its HTML) runs on a second thread while FTS5 takes in the
//! article before it, so that on two cores it costs no time at all.

use super::{Result, Store};
use crate::model::FeedId;
use rusqlite::types::Value;
use rusqlite::{params, TransactionBehavior};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

/// Items indexed per transaction: small enough that a reader waiting for the lock (the
/// TUI's marks) waits only a moment.
pub const INDEX_BATCH: usize = 500;

/// Items indexed per transaction when nothing else waits (`bulletin search` taking the
/// queue in): each commit ends an index segment, and fewer, larger segments cost less
/// to write and to merge (50,000 articles: 3.3 s in batches of 2,000, 3.0 s of 5,000,
/// 2.9 s of 10,000 at 68 MiB of memory against 43).
pub const INDEX_ALL_BATCH: usize = 5_000;

/// Articles handed from the thread that reads them to the one that unpacks them, and
/// back: enough to keep both busy, few enough to bound the memory.
const IN_FLIGHT: usize = 64;

/// A waiting article as read from the cache, its bodies still as stored.
struct Waiting {
    id: i64,
    key: i64,
    feed_id: i64,
    title: String,
    author: String,
    feed: String,
    /// Full text, content, summary: the first with words is the one indexed.
    bodies: [Value; 3],
}

impl Store {
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
        let mut batch = waiting(&tx, names, limit)?;
        // FTS5 starts a new segment whenever a rowid is lower than the last one it
        // took, and the queue is in arrival order, not key order: taken as it came,
        // a batch made hundreds of small segments that then had to be merged (a
        // third of the indexing's time). Read in the queue's order (the items' own,
        // so the table is read front to back), written in key order.
        batch.sort_unstable_by_key(|w| w.key);
        let read = batch.len();
        let done = {
            let mut insert = tx.prepare_cached(
                "INSERT INTO search (rowid, title, author, feed, body, fid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut unqueue = tx.prepare_cached("DELETE FROM search_pending WHERE item_id = ?1")?;
            let mut done = 0;
            unpacked(&batch, |w, body| {
                insert.execute(params![w.key, w.title, w.author, w.feed, body, fid(w)])?;
                unqueue.execute([w.id])?;
                done += 1;
                Ok(())
            })?;
            done
        };
        // Queued ids whose item is gone (deleted before indexing) leave the queue.
        if read < limit {
            tx.execute(
                "DELETE FROM search_pending WHERE item_id NOT IN (SELECT id FROM items)",
                [],
            )?;
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
        if total == 0 {
            return Ok(0);
        }
        // The log's copies into the file (and their waits for the disk) go to another
        // connection, as in a refresh: made by the writer, 10 checkpoints cost 0.75 s of
        // a 50,000-article indexing's wall time. (A bigger page cache, tried too, saved
        // nothing measurable for 65 MiB more.)
        let checkpoints = self.background_checkpoints()?;
        let done = super::drain(
            total,
            |store| store.index_some(names, INDEX_ALL_BATCH),
            self,
            &mut progress,
        );
        drop(checkpoints);
        done
    }
}

/// The feed id as the index's `fid` column holds it.
fn fid(w: &Waiting) -> String {
    format!("f{}", w.feed_id)
}

/// Hands each article of `batch`, in order, to `take` with the words of its body; the
/// next ones are unpacked on another thread meanwhile.
fn unpacked(batch: &[Waiting], mut take: impl FnMut(&Waiting, &str) -> Result<()>) -> Result<()> {
    if batch.len() < 2 {
        return batch.iter().try_for_each(|w| take(w, &words(w)));
    }
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<String>(IN_FLIGHT);
        let unpacking = std::thread::Builder::new()
            .name("index-words".into())
            .spawn_scoped(s, move || {
                for w in batch {
                    // Gone when `take` failed: the batch is abandoned.
                    if tx.send(words(w)).is_err() {
                        return;
                    }
                }
            });
        if unpacking.is_err() {
            return batch.iter().try_for_each(|w| take(w, &words(w)));
        }
        for w in batch {
            let body = rx.recv().unwrap_or_else(|_| words(w));
            take(w, &body)?;
        }
        Ok(())
    })
}

/// The words of the text the reader shows: the full text, else the content, else the
/// summary (the first that has any). A body that makes the extraction fail is indexed
/// without its text rather than holding up the queue.
fn words(w: &Waiting) -> String {
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        let html = w
            .bodies
            .iter()
            .filter_map(|b| super::read::stored_text(b.into()))
            .find(|t| !t.trim().is_empty())
            .unwrap_or_default();
        crate::search::text::index_text(&html)
    }))
    .unwrap_or_else(|_| {
        tracing::error!("item {}: its text could not be read for the index", w.id);
        String::new()
    })
}

/// Reads up to `limit` waiting articles, in the queue's order.
fn waiting(
    tx: &rusqlite::Transaction,
    names: &HashMap<FeedId, String>,
    limit: usize,
) -> Result<Vec<Waiting>> {
    let mut select = tx.prepare_cached(
        "SELECT p.item_id, i.feed_id, i.sort_time, i.title, i.author, f.title, f.url,
                i.full_text, i.content, i.summary
         FROM search_pending p
         JOIN items i ON i.id = p.item_id JOIN feeds f ON f.id = i.feed_id
         LIMIT ?1",
    )?;
    let mut rows = select.query([limit as i64])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let feed_id = FeedId(r.get(1)?);
        let feed = names.get(&feed_id).cloned().unwrap_or_else(|| {
            crate::model::feed_display_name(
                None,
                r.get::<_, Option<String>>(5).ok().flatten().as_deref(),
                &r.get::<_, String>(6).unwrap_or_default(),
            )
        });
        let id: i64 = r.get(0)?;
        out.push(Waiting {
            id,
            key: super::search::key(r.get(2)?, id),
            feed_id: feed_id.0,
            title: r.get(3)?,
            author: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            feed,
            bodies: [r.get(7)?, r.get(8)?, r.get(9)?],
        });
    }
    Ok(out)
}
