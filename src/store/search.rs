//! The search index: every article's title, author, feed name and text in an FTS5 table.
//!
//! A refresh only queues what it wrote (a trigger fills `search_pending`, one row per
//! item); whoever searches next takes the queue in first (`store::indexing`), and the
//! TUI does so in the background after each refresh. That keeps the refresh's single
//! writer as fast as before: tokenizing every body costs more than writing it. Deletes
//! (purges) leave the index at once, by trigger.
//!
//! The index's rowid is not the item id but `key(sort_time, id)`, which sorts as the
//! lists do, so "newest matches first" is a walk of the index with no sort, whatever
//! the number of matches.

use super::{ItemQuery, Result, Scope, Store};
use crate::model::FeedId;
use rusqlite::params;
use rusqlite::types::Value;

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

pub use super::indexing::{INDEX_ALL_BATCH, INDEX_BATCH};

/// The FROM and WHERE of a list, and its parameters.
pub(super) struct Source {
    pub sql: String,
    pub args: Vec<Value>,
    /// Whether rows come from the index (and so can be ranked).
    pub indexed: bool,
    /// Whether the query asks for relevance where it can have it.
    pub ranked: bool,
}

impl Store {
    /// How many articles filters hid, and how many of those are unread (marked so after).
    pub fn hidden_count(&self) -> Result<(usize, usize)> {
        let (n, unread): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(is_read = 0), 0) FROM items WHERE hidden = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((n.max(0) as usize, unread.max(0) as usize))
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
                ranked: false,
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
            ranked: search.is_some_and(|s| !s.by_time),
        })
    }

    /// The ORDER BY for a list: by relevance then time when few articles match,
    /// otherwise by time (the index's own order).
    pub(super) fn order(&self, source: &Source) -> Result<&'static str> {
        if !source.indexed {
            return Ok("ORDER BY items.sort_time DESC, items.id DESC");
        }
        if !source.ranked {
            return Ok("ORDER BY search.rowid DESC");
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
