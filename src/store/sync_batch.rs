//! Read marks that one request can carry: where the marks made here cover every article
//! of a synced feed that the server has unread, "mark the feed read up to its newest
//! marked article" says the same as one mark per article (Fever's
//! `mark=feed&before=`). The cache knows which feeds those are; the sync decides
//! whether its protocol has the form.

use super::{Result, Store};
use rusqlite::OptionalExtension;
use std::collections::{HashMap, HashSet};

/// A synced feed whose every article the server has unread is marked read here, with
/// those marks and the newest of their articles' publication times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFeed {
    /// The server's id of the feed.
    pub remote_id: String,
    /// The articles' server ids.
    pub items: Vec<String>,
    /// The latest publication time among them (a Unix time).
    pub newest: i64,
}

impl Store {
    /// Of these articles marked read (server ids), those whose feed has at least `min`
    /// of them and no other article in `server_unread` (the server's unread list, so
    /// that another device's unread mark is not swept along), by feed. An article
    /// without a publication time keeps its feed out: no time would bound it.
    ///
    /// `held_back` are feeds (server ids) that hold an unread article the cache does not
    /// have: a mark of the whole feed would read it on the server, unseen.
    pub fn read_feeds(
        &self,
        ids: &[String],
        min: usize,
        server_unread: &HashSet<String>,
        held_back: &HashSet<String>,
    ) -> Result<Vec<ReadFeed>> {
        let mut of_item = self.conn.prepare_cached(
            "SELECT f.id, f.remote_id, i.published FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE i.remote_id = ?1 AND f.remote_id IS NOT NULL AND f.remote_id NOT LIKE 'carried:%'",
        )?;
        type Row = (i64, String, Option<i64>);
        let mut lookup = |id: &str| -> Result<Option<Row>> {
            Ok(of_item
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?)
        };
        let mut feeds: HashMap<i64, ReadFeed> = HashMap::new();
        for id in ids {
            let Some((feed, remote_id, published)) = lookup(id)? else {
                continue;
            };
            let entry = feeds.entry(feed).or_insert(ReadFeed {
                remote_id,
                items: Vec::new(),
                newest: i64::MIN,
            });
            entry.items.push(id.clone());
            // No time: i64::MAX, which no `before` passes, leaves the feed out below.
            entry.newest = entry.newest.max(published.unwrap_or(i64::MAX));
        }
        feeds.retain(|_, f| {
            f.items.len() >= min && f.newest < i64::MAX && !held_back.contains(&f.remote_id)
        });
        let ours: HashSet<&String> = ids.iter().collect();
        for id in server_unread.iter().filter(|id| !ours.contains(id)) {
            if feeds.is_empty() {
                break;
            }
            if let Some((feed, ..)) = lookup(id)? {
                feeds.remove(&feed);
            }
        }
        let mut out: Vec<ReadFeed> = feeds.into_values().collect();
        out.sort_by(|a, b| a.remote_id.cmp(&b.remote_id));
        Ok(out)
    }
}
