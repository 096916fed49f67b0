//! Grouping a new article with its copies in other feeds, in the transaction that
//! writes it: the certain keys first (the canonical link, the id), then the text's
//! sketch, each an index lookup; a text match is confirmed by comparing the two texts.
//! Also the copies of a story, for the reader and the CLI.

use super::Result;
use crate::model::{FeedId, ItemId};
use crate::story::{text, Keys, Mode};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;

/// Copies by text are published within this many seconds of each other (days, not
/// months: a recurring text a month apart is another issue).
const TEXT_WINDOW: i64 = 7 * 86_400;
/// Text sketches are kept this long after an article arrives.
const SKETCH_DAYS: i64 = 30;
/// Candidates by text whose sketches are compared, at most, per new article.
const MAX_CANDIDATES: usize = 32;
/// Candidates whose texts are read and compared, at most (their sketches agree most).
const MAX_COMPARED: usize = 3;
/// Sketches agreeing on fewer bins than this share are not compared further: texts that
/// pass `same_text` share half their shingles or more.
const MIN_RESEMBLANCE: f64 = 0.3;
/// Other articles of a candidate's feed read to learn that feed's boilerplate.
const NEIGHBOURS: i64 = 6;

/// A new article and what it offers for finding its copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    pub feed: FeedId,
    pub id: i64,
    pub time: i64,
    pub mode: Mode,
    pub keys: Keys,
}

struct Candidate {
    id: i64,
    feed: i64,
    story: i64,
    time: i64,
}

/// Groups each new article with a copy in another feed, and files its keys.
pub(super) fn group(tx: &Connection, arrivals: &[Arrival], now: i64) -> Result<()> {
    let mut add_link = tx.prepare_cached("INSERT OR IGNORE INTO story_links VALUES (?1, ?2)")?;
    let mut add_band =
        tx.prepare_cached("INSERT OR IGNORE INTO story_bands VALUES (?1, ?2, ?3)")?;
    let mut add_sketch =
        tx.prepare_cached("INSERT OR REPLACE INTO story_sketches VALUES (?1, ?2, ?3)")?;
    for a in arrivals.iter().filter(|a| a.mode != Mode::Off) {
        let (feed, mode) = (a.feed, a.mode);
        let mut found = None;
        for key in [a.keys.link, a.keys.guid].into_iter().flatten() {
            if found.is_none() {
                found = by_key(tx, feed, key)?;
            }
        }
        if found.is_none() && mode == Mode::On && !a.keys.bands.is_empty() {
            found = by_text(tx, feed, a)?;
        }
        for key in [a.keys.link, a.keys.guid].into_iter().flatten() {
            add_link.execute(params![key, a.id])?;
        }
        for band in &a.keys.bands {
            add_band.execute(params![band, a.id, now])?;
        }
        if !a.keys.bands.is_empty() {
            add_sketch.execute(params![a.id, now, text::sketch_bytes(&a.keys.sketch)])?;
        }
        if let Some(c) = found {
            join(tx, a.id, &c)?;
        }
    }
    Ok(())
}

/// The copy a certain key finds: the key must name one article per feed (a link many
/// items of one feed share names none of them), and the copy's story must have no
/// article of this feed yet.
fn by_key(tx: &Connection, feed: FeedId, key: i64) -> Result<Option<Candidate>> {
    let mut stmt = tx.prepare_cached(
        "SELECT i.id, i.feed_id, coalesce(i.story, i.id), i.sort_time
         FROM story_links k JOIN items i ON i.id = k.item WHERE k.key = ?1 LIMIT 64",
    )?;
    let found: Vec<Candidate> = stmt
        .query_map([key], candidate)?
        .collect::<rusqlite::Result<_>>()?;
    let mut feeds = HashSet::new();
    for c in &found {
        if c.feed == feed.0 || !feeds.insert(c.feed) {
            return Ok(None);
        }
    }
    for c in found {
        if !story_has_feed(tx, c.story, feed)? {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

fn candidate(r: &rusqlite::Row) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        id: r.get(0)?,
        feed: r.get(1)?,
        story: r.get(2)?,
        time: r.get(3)?,
    })
}

fn story_has_feed(tx: &Connection, story: i64, feed: FeedId) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM items WHERE (story = ?1 OR id = ?1) AND feed_id = ?2)",
        )?
        .query_row(params![story, feed.0], |r| r.get(0))?)
}

/// The copy whose text is this article's, among those sharing a band of its sketch
/// and published within the window.
fn by_text(tx: &Connection, feed: FeedId, a: &Arrival) -> Result<Option<Candidate>> {
    let mut stmt = tx.prepare_cached(
        "SELECT i.id, i.feed_id, coalesce(i.story, i.id), i.sort_time
         FROM story_bands b JOIN items i ON i.id = b.item WHERE b.key = ?1 LIMIT 32",
    )?;
    let mut seen = HashSet::new();
    let mut candidates = Vec::new();
    for band in &a.keys.bands {
        for c in stmt.query_map([band], candidate)? {
            let c = c?;
            if c.feed != feed.0 && (c.time - a.time).abs() <= TEXT_WINDOW && seen.insert(c.id) {
                candidates.push(c);
            }
        }
    }
    candidates.truncate(MAX_CANDIDATES);
    // The sketches first: reading and comparing texts is for the few that agree.
    let mut sketch = tx.prepare_cached("SELECT sketch FROM story_sketches WHERE item = ?1")?;
    let mut likely = Vec::new();
    for c in candidates {
        let theirs: Option<Vec<u8>> = sketch.query_row([c.id], |r| r.get(0)).optional()?;
        let r = theirs.map_or(0.0, |t| {
            text::resemblance(&a.keys.sketch, &text::sketch_from_bytes(&t))
        });
        if r >= MIN_RESEMBLANCE {
            likely.push((r, c));
        }
    }
    likely.sort_by(|x, y| y.0.total_cmp(&x.0));
    if likely.is_empty() {
        return Ok(None);
    }
    let ours = stored_shingles(tx, a.id, feed.0)?;
    for (_, c) in likely.into_iter().take(MAX_COMPARED) {
        if story_has_feed(tx, c.story, feed)? {
            continue;
        }
        let theirs = stored_shingles(tx, c.id, c.feed)?;
        if text::same_text(&ours, &theirs) {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// A stored article's shingles, less what it shares with its feed's neighbours.
fn stored_shingles(tx: &Connection, id: i64, feed: i64) -> Result<Vec<u64>> {
    let mut stmt = tx.prepare_cached(
        "SELECT summary, content FROM items WHERE id IN (
             SELECT id FROM items WHERE feed_id = ?2 AND id != ?1
             ORDER BY abs(id - ?1) LIMIT ?3)",
    )?;
    let neighbours: Vec<Vec<u64>> = stmt
        .query_map(params![id, feed, NEIGHBOURS], |r| {
            Ok(shingles_of(r.get_ref(0)?, r.get_ref(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let own: Vec<u64> = tx
        .prepare_cached("SELECT summary, content FROM items WHERE id = ?1")?
        .query_row([id], |r| Ok(shingles_of(r.get_ref(0)?, r.get_ref(1)?)))
        .optional()?
        .unwrap_or_default();
    let shared: HashSet<u64> = neighbours.into_iter().flatten().collect();
    Ok(own.into_iter().filter(|h| !shared.contains(h)).collect())
}

fn shingles_of(summary: rusqlite::types::ValueRef, content: rusqlite::types::ValueRef) -> Vec<u64> {
    let summary = super::read::stored_text(summary);
    let content = super::read::stored_text(content);
    text::shingles(crate::story::body(summary.as_deref(), content.as_deref()))
}

/// Puts the new article in the copy's story; a story already read is read here too
/// (the reader has seen it), through the same update any mark takes.
fn join(tx: &Connection, id: i64, copy: &Candidate) -> Result<()> {
    tx.execute(
        "UPDATE items SET story = ?1 WHERE id IN (?1, ?2, ?3) AND story IS NULL",
        params![copy.story, copy.id, id],
    )?;
    tx.execute(
        "UPDATE items SET is_read = 1 WHERE id = ?1 AND is_read = 0
         AND NOT EXISTS (SELECT 1 FROM items WHERE story = ?2 AND id != ?1 AND is_read = 0)",
        params![id, copy.story],
    )?;
    Ok(())
}

/// Forgets text sketches older than a month (at most once a day) and, when grouping
/// was turned off, every group.
pub(super) fn maintain(tx: &Connection, mode: Mode, now: i64) -> Result<()> {
    let stored: Option<String> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = 'stories.mode'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if stored.as_deref() != Some(mode.name()) {
        if mode == Mode::Off {
            tx.execute("UPDATE items SET story = NULL WHERE story IS NOT NULL", [])?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('stories.mode', ?1)",
            [mode.name()],
        )?;
    }
    let pruned: Option<i64> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = 'stories.pruned'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok());
    if pruned.is_none_or(|p| now - p > 86_400) {
        let cutoff = now - SKETCH_DAYS * 86_400;
        tx.execute("DELETE FROM story_bands WHERE at < ?1", [cutoff])?;
        tx.execute("DELETE FROM story_sketches WHERE at < ?1", [cutoff])?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('stories.pruned', ?1)",
            [now.to_string()],
        )?;
    }
    Ok(())
}

/// Another article of the same story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub feed_url: String,
    pub feed_title: Option<String>,
}

impl super::Store {
    /// The other copies of this article's story, oldest first.
    pub fn copies(&self, id: ItemId) -> Result<Vec<Copy>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.feed_id, f.url, f.title FROM items i
             JOIN items c ON c.story = i.story AND c.id != i.id
             JOIN feeds f ON f.id = c.feed_id
             WHERE i.id = ?1 AND i.story IS NOT NULL ORDER BY c.id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(Copy {
                id: ItemId(r.get(0)?),
                feed_id: FeedId(r.get(1)?),
                feed_url: r.get(2)?,
                feed_title: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Unread articles that are a second (third...) unread copy of a story.
    pub fn unread_copies(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) - count(DISTINCT story) FROM items
             WHERE story IS NOT NULL AND is_read = 0 AND hidden = 0",
            )?
            .query_row([], |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }

    /// Groups articles that arrived in a refresh with their copies, in one transaction:
    /// the keys' index pages are written once, not at every feed's commit.
    pub fn group_stories(&mut self, arrivals: &[Arrival], now: i64) -> Result<()> {
        if arrivals.is_empty() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        group(&tx, arrivals, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Groups and sketches as `[general] stories` now says (see `maintain`).
    pub fn keep_stories(&mut self, mode: Mode, now: i64) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        maintain(&tx, mode, now)?;
        tx.commit()?;
        Ok(())
    }
}
