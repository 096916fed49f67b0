//! An article the cache already has, under no id of the sync server, taking the
//! server's id when the server lists it: one carried from the account before (another
//! provider or server), or one fetched from the feed itself before the feed was synced
//! (a config feed the server also has). It keeps its row, its state and its queued marks
//! instead of coming again as new beside itself; what it had read or starred that the
//! server has not is queued for the server.

use super::Result;
use crate::model::{FeedId, RemoteItem};
use rusqlite::{params, CachedStatement, Transaction};
use std::collections::HashMap;

/// The statements of one batch of the server's articles, and which of its links are
/// shared.
pub(super) struct TakeOver<'tx> {
    candidates: CachedStatement<'tx>,
    any_in_feed: CachedStatement<'tx>,
    relink: CachedStatement<'tx>,
    carry_marks: CachedStatement<'tx>,
    carry_state: CachedStatement<'tx>,
    /// Feeds with rows to take (most synced feeds have none: asked once a batch).
    feeds: HashMap<FeedId, bool>,
    /// How many of the batch's articles each feed's link has: a link several articles
    /// share (a comic's every strip, a post and its follow-up) says nothing alone.
    sharing: HashMap<(String, String), usize>,
}

/// A row that may take an incoming article: its id, its carried server id (None for
/// one fetched from the feed), its title and date.
type Candidate = (i64, Option<String>, String, Option<i64>);

impl<'tx> TakeOver<'tx> {
    pub(super) fn new(tx: &'tx Transaction, items: &[RemoteItem]) -> Result<TakeOver<'tx>> {
        let mut sharing: HashMap<(String, String), usize> = HashMap::new();
        for item in items {
            if let Some(url) = &item.url {
                *sharing
                    .entry((item.feed_id.clone(), url.clone()))
                    .or_default() += 1;
            }
        }
        Ok(TakeOver {
            // The feed's rows with this link (or, without one, this title and date).
            candidates: tx.prepare_cached(
                "SELECT id, remote_id, title, published FROM items
                 WHERE feed_id = ?1 AND (remote_id IS NULL OR remote_id LIKE 'carried:%')
                 AND (link = ?2 OR (?2 IS NULL AND link IS NULL AND title = ?3
                                    AND published IS ?4))",
            )?,
            any_in_feed: tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1
                     AND (remote_id IS NULL OR remote_id LIKE 'carried:%'))",
            )?,
            relink: tx.prepare_cached(
                "UPDATE items SET remote_id = ?2 WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM items WHERE remote_id = ?2)",
            )?,
            carry_marks: tx
                .prepare_cached("UPDATE sync_queue SET remote_id = ?2 WHERE remote_id = ?1")?,
            // (A mark already queued on it says the latest; none is added beside it.)
            carry_state: tx.prepare_cached(
                "INSERT INTO sync_queue (remote_id, mark, at)
                 SELECT ?1, 'read', unixepoch() FROM items
                 WHERE remote_id = ?1 AND is_read = 1 AND NOT ?2
                 AND NOT EXISTS (SELECT 1 FROM sync_queue
                                 WHERE remote_id = ?1 AND mark IN ('read', 'unread'))
                 UNION ALL
                 SELECT ?1, 'star', unixepoch() FROM items
                 WHERE remote_id = ?1 AND starred = 1 AND NOT ?3
                 AND NOT EXISTS (SELECT 1 FROM sync_queue
                                 WHERE remote_id = ?1 AND mark IN ('star', 'unstar'))",
            )?,
            feeds: HashMap::new(),
            sharing,
        })
    }

    /// Whether a row of the cache took this article (then it is not inserted).
    pub(super) fn take(&mut self, feed: FeedId, item: &RemoteItem) -> Result<bool> {
        let any = match self.feeds.get(&feed) {
            Some(any) => *any,
            None => {
                let any: bool = self.any_in_feed.query_row([feed.0], |r| r.get(0))?;
                self.feeds.insert(feed, any);
                any
            }
        };
        if !any {
            return Ok(false);
        }
        let candidates: Vec<Candidate> = self
            .candidates
            .query_map(params![feed.0, item.url, item.title, item.published], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let link_alone = item
            .url
            .as_ref()
            .is_some_and(|u| self.sharing.get(&(item.feed_id.clone(), u.clone())) == Some(&1));
        let Some((row, old)) = matching(&candidates, &item.title, item.published, link_alone)
        else {
            return Ok(false);
        };
        if self.relink.execute(params![row, item.id])? == 0 {
            return Ok(false);
        }
        if let Some(old) = old {
            self.carry_marks.execute(params![old, item.id])?;
        }
        // What was read or starred here, and the server has not, goes to it: its state
        // would otherwise undo it at the next sync.
        self.carry_state
            .execute(params![item.id, item.read, item.starred])?;
        Ok(true)
    }
}

/// Which row (of those with an incoming article's link) is that article: the one with
/// its title and date, else the one with its title, else, when the link is the only one
/// with it on both sides, that one; never a guess among several, which would put marks
/// on another article.
fn matching(
    candidates: &[Candidate],
    title: &str,
    published: Option<i64>,
    link_alone: bool,
) -> Option<(i64, Option<String>)> {
    let only = |found: Vec<&Candidate>| match found.as_slice() {
        [one] => Some((one.0, one.1.clone())),
        _ => None,
    };
    let titled: Vec<&Candidate> = candidates.iter().filter(|c| c.2 == title).collect();
    match titled.len() {
        0 if link_alone && candidates.len() == 1 => only(candidates.iter().collect()),
        0 => None,
        1 => only(titled),
        _ => only(titled.into_iter().filter(|c| c.3 == published).collect()),
    }
}
