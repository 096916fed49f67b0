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

/// A row that may take an incoming article.
#[derive(Debug, Clone)]
struct Candidate {
    id: i64,
    /// Its carried server id; None for one fetched from the feed.
    carried: Option<String>,
    title: String,
    published: Option<i64>,
}

/// The statements of one batch of the server's articles, the rows that may take them
/// (read once a feed, by link), and which links and titles the batch shares.
pub(super) struct TakeOver<'tx> {
    rows_of_feed: CachedStatement<'tx>,
    relink: CachedStatement<'tx>,
    carry_marks: CachedStatement<'tx>,
    carry_state: CachedStatement<'tx>,
    /// A feed's rows that may take articles, by link (None: no link), read at its first
    /// article in the batch: one pass over the feed, not one an article.
    feeds: HashMap<FeedId, HashMap<Option<String>, Vec<Candidate>>>,
    /// How many of the batch's articles each feed's link has, and each link and title:
    /// a link several articles share (a comic's every strip, a post and its follow-up)
    /// says nothing alone, and a title they share (a daily digest) needs the date too.
    sharing: HashMap<(String, String), usize>,
    sharing_titled: HashMap<(String, String, String), usize>,
}

impl<'tx> TakeOver<'tx> {
    pub(super) fn new(tx: &'tx Transaction, items: &[RemoteItem]) -> Result<TakeOver<'tx>> {
        let mut sharing: HashMap<(String, String), usize> = HashMap::new();
        let mut sharing_titled: HashMap<(String, String, String), usize> = HashMap::new();
        for item in items {
            if let Some(url) = &item.url {
                *sharing
                    .entry((item.feed_id.clone(), url.clone()))
                    .or_default() += 1;
                *sharing_titled
                    .entry((item.feed_id.clone(), url.clone(), item.title.clone()))
                    .or_default() += 1;
            }
        }
        Ok(TakeOver {
            rows_of_feed: tx.prepare_cached(
                "SELECT id, remote_id, title, published, link FROM items
                 WHERE feed_id = ?1 AND (remote_id IS NULL OR remote_id LIKE 'carried:%')",
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
            sharing_titled,
        })
    }

    /// Whether a row of the cache took this article (then it is not inserted).
    pub(super) fn take(&mut self, feed: FeedId, item: &RemoteItem) -> Result<bool> {
        if !self.feeds.contains_key(&feed) {
            let mut by_link: HashMap<Option<String>, Vec<Candidate>> = HashMap::new();
            let rows = self.rows_of_feed.query_map([feed.0], |r| {
                Ok((
                    r.get::<_, Option<String>>(4)?,
                    Candidate {
                        id: r.get(0)?,
                        carried: r.get(1)?,
                        title: r.get(2)?,
                        published: r.get(3)?,
                    },
                ))
            })?;
            for row in rows {
                let (link, candidate) = row?;
                by_link.entry(link).or_default().push(candidate);
            }
            self.feeds.insert(feed, by_link);
        }
        let Some(candidates) = self.feeds.get_mut(&feed).and_then(|f| f.get_mut(&item.url)) else {
            return Ok(false);
        };
        // Without a link, only the same title and date.
        let no_link: Vec<Candidate>;
        let candidates_here: &[Candidate] = if item.url.is_none() {
            no_link = candidates
                .iter()
                .filter(|c| c.title == item.title && c.published == item.published)
                .cloned()
                .collect();
            &no_link
        } else {
            candidates
        };
        let (link_alone, title_shared) = match &item.url {
            Some(url) => {
                let feed_id = item.feed_id.clone();
                (
                    self.sharing.get(&(feed_id.clone(), url.clone())) == Some(&1),
                    self.sharing_titled
                        .get(&(feed_id, url.clone(), item.title.clone()))
                        .is_some_and(|n| *n > 1),
                )
            }
            None => (false, true),
        };
        let Some(chosen) = matching(
            candidates_here,
            &item.title,
            item.published,
            link_alone,
            title_shared,
        ) else {
            return Ok(false);
        };
        if self.relink.execute(params![chosen.id, item.id])? == 0 {
            return Ok(false);
        }
        // Taken: no other article of the batch takes it again.
        candidates.retain(|c| c.id != chosen.id);
        if let Some(old) = &chosen.carried {
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
/// its title (and its date too when the batch has several articles of that link and
/// title, a daily digest's), else, when the link is the only one with it on both
/// sides, that one; never a guess among several, which would put marks on another
/// article.
fn matching(
    candidates: &[Candidate],
    title: &str,
    published: Option<i64>,
    link_alone: bool,
    title_shared: bool,
) -> Option<Candidate> {
    let only = |found: Vec<&Candidate>| match found.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    };
    let titled: Vec<&Candidate> = candidates.iter().filter(|c| c.title == title).collect();
    match titled.len() {
        0 if link_alone && candidates.len() == 1 => only(candidates.iter().collect()),
        0 => None,
        1 if !title_shared => only(titled),
        _ => only(
            titled
                .into_iter()
                .filter(|c| c.published == published)
                .collect(),
        ),
    }
}
