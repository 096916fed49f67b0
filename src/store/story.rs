//! Grouping new articles with their copies in other feeds: the certain keys first (the
//! canonical link, the id), then the text's sketch, each an index lookup; a text match
//! is confirmed by comparing the two texts. A refresh groups what it brought by the
//! certain keys as it goes (`Store::group_stories`); the texts are compared after, by
//! whoever reads stories next (`Store::group_texts`, see `waiting`). Also the copies
//! of a story, for the reader and the CLI.

use super::Result;
use crate::model::{FeedId, ItemId};
use crate::story::{text, Keys, Mode};
use links::Links;
use rusqlite::{params, Connection, OptionalExtension};
use sketches::Sketches;
use std::collections::HashSet;

mod bands;
mod filter;
mod links;
mod sketches;
mod waiting;

pub(super) use filter::BandFilter;
pub(super) use waiting::queue;
#[cfg(test)]
use waiting::ORPHANED_AFTER;

/// Copies by text are published within this many seconds of each other (days, not
/// months: a recurring text a month apart is another issue).
const TEXT_WINDOW: i64 = 7 * 86_400;
/// Text sketches are kept this long after an article arrives.
const SKETCH_DAYS: i64 = 30;
/// Candidates whose texts are read and compared, at most (their sketches agree most).
const MAX_COMPARED: usize = 3;
/// Sketches agreeing on fewer bins than this share are not compared further: texts that
/// pass `same_text` share half their shingles or more.
const MIN_RESEMBLANCE: f64 = 0.3;
/// Other articles of a candidate's feed read to learn that feed's boilerplate.
const NEIGHBOURS: i64 = 6;
/// Articles compared by their text in one transaction, at most, when a command waits
/// for them all (the TUI takes smaller slices, between keys).
pub const TEXT_SLICE: usize = 5_000;

/// What a grouping looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The certain keys; an article they find no copy for waits for its text.
    Keys,
    /// The text's sketch.
    Text,
}
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
    story: i64,
}

/// Groups each new article with a copy in another feed, and files its keys.
fn group(
    tx: &Connection,
    arrivals: &[Arrival],
    now: i64,
    filter: &mut BandFilter,
    pass: Pass,
) -> Result<()> {
    let mut add_sketch =
        tx.prepare_cached("INSERT OR REPLACE INTO story_sketches VALUES (?1, ?2, ?3)")?;
    let mut unqueue = tx.prepare_cached("DELETE FROM story_pending WHERE item = ?1")?;
    let mut links = Links::around(tx, arrivals)?;
    let mut texts = Sketches::around(tx, arrivals, filter)?;
    for a in arrivals {
        // Its text is compared after (and sketched, so that a later copy by text finds
        // it, found by a key or not): its place in the queue changes in place.
        let text_waits = pass == Pass::Keys && a.mode == Mode::On;
        if text_waits {
            waiting::wait_for_text(tx, a.id, now)?;
        } else {
            unqueue.execute([a.id])?;
        }
        if a.mode == Mode::Off {
            continue;
        }
        let (feed, mode) = (a.feed, a.mode);
        let mut found = None;
        let keys = a.keys.certain();
        for key in keys.into_iter().flatten() {
            if found.is_none() {
                found = by_key(tx, &links, feed, key)?;
            }
        }
        if found.is_none() && mode == Mode::On && !a.keys.bands.is_empty() {
            found = by_text(tx, &texts, a)?;
        }
        for key in keys.into_iter().flatten() {
            links.add(key, a.id, feed.0);
        }
        if !a.keys.bands.is_empty() {
            add_sketch.execute(params![a.id, now, text::sketch_bytes(&a.keys.sketch)])?;
            texts.add(a);
        }
        if let Some(c) = found {
            join(tx, a.id, &c)?;
        }
    }
    links.write(tx)?;
    texts.write(tx, filter)
}

/// The copy a certain key finds: the key must name one article per feed (a link many
/// items of one feed share names none of them), and the copy's story must have no
/// article of this feed yet.
fn by_key(tx: &Connection, links: &Links, feed: FeedId, key: i64) -> Result<Option<Candidate>> {
    let found = links.get(key);
    let mut feeds = HashSet::new();
    for (_, f) in found {
        if *f == feed.0 || !feeds.insert(*f) {
            return Ok(None);
        }
    }
    for (id, _) in found {
        if let Some(c) = article(tx, *id)? {
            if !story_has_feed(tx, c.story, feed)? {
                return Ok(Some(c));
            }
        }
    }
    Ok(None)
}

/// A stored article as a candidate copy; None when it is gone since (purged, its feed
/// removed), or a filter hid it (one filed before hidden articles were kept out of
/// stories): its keys wait for the pruning.
fn article(tx: &Connection, id: i64) -> Result<Option<Candidate>> {
    Ok(tx
        .prepare_cached("SELECT id, coalesce(story, id) FROM items WHERE id = ?1 AND hidden = 0")?
        .query_row([id], candidate)
        .optional()?)
}

fn candidate(r: &rusqlite::Row) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        id: r.get(0)?,
        story: r.get(1)?,
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
fn by_text(tx: &Connection, texts: &Sketches, a: &Arrival) -> Result<Option<Candidate>> {
    // The sketches first: reading and comparing texts is for the few that agree.
    let mut likely: Vec<(f64, i64, i64)> = texts
        .near(a)
        .into_iter()
        .filter_map(|(t, sketch)| {
            let r = text::resemblance(&a.keys.sketch, sketch);
            (r >= MIN_RESEMBLANCE).then_some((r, t.id, t.feed))
        })
        .collect();
    if likely.is_empty() {
        return Ok(None);
    }
    likely.sort_by(|x, y| y.0.total_cmp(&x.0));
    let ours = stored_shingles(tx, a.id, a.feed.0)?;
    let mut compared = 0;
    for (_, id, feed) in likely {
        if compared == MAX_COMPARED {
            break;
        }
        let Some(c) = article(tx, id)? else {
            continue;
        };
        if story_has_feed(tx, c.story, a.feed)? {
            continue;
        }
        compared += 1;
        let theirs = stored_shingles(tx, id, feed)?;
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

/// Puts the new article in the copy's story, with the copies it has already (found by
/// a key before its text was compared), unless a feed has an article in both stories;
/// a story already read is read here too (the reader has seen it), through the same
/// update any mark takes.
fn join(tx: &Connection, id: i64, copy: &Candidate) -> Result<()> {
    let own: Option<i64> = tx
        .prepare_cached("SELECT coalesce(story, id) FROM items WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let Some(own) = own.filter(|own| *own != copy.story) else {
        return Ok(());
    };
    let clash: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM items x JOIN items y ON y.feed_id = x.feed_id
             WHERE (x.story = ?1 OR x.id = ?1) AND (y.story = ?2 OR y.id = ?2))",
        )?
        .query_row(params![own, copy.story], |r| r.get(0))?;
    if clash {
        return Ok(());
    }
    let read: bool = tx
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM items WHERE (story = ?1 OR id = ?1) AND is_read = 0)",
        )?
        .query_row([copy.story], |r| r.get(0))?;
    tx.execute(
        "UPDATE items SET story = ?1
         WHERE (id IN (?1, ?2, ?3) AND story IS NULL) OR story = ?4",
        params![copy.story, copy.id, id, own],
    )?;
    if read {
        tx.execute(
            "UPDATE items SET is_read = 1 WHERE id = ?1 AND is_read = 0 AND story = ?2",
            params![id, copy.story],
        )?;
    }
    Ok(())
}

/// Forgets text sketches older than a month (at most once a day) and, when grouping
/// was turned off, every group.
pub(super) fn maintain(tx: &Connection, mode: Mode, now: i64) -> Result<()> {
    if super::meta_get(tx, "stories.mode")?.as_deref() != Some(mode.name()) {
        if mode == Mode::Off {
            tx.execute("UPDATE items SET story = NULL WHERE story IS NOT NULL", [])?;
        }
        // What waits for its text is compared only with stories on.
        if mode != Mode::On {
            tx.execute("DELETE FROM story_pending WHERE mode = ?1", [waiting::TEXT])?;
        }
        super::meta_set(tx, "stories.mode", mode.name())?;
    }
    let pruned: Option<i64> = super::meta_get(tx, "stories.pruned")?.and_then(|v| v.parse().ok());
    if pruned.is_none_or(|p| now - p > 86_400) {
        let cutoff = now - SKETCH_DAYS * 86_400;
        bands::prune(tx, cutoff)?;
        super::meta_set(tx, "stories.pruned", &now.to_string())?;
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

impl Copy {
    /// The copy's feed as the feed list names it: `configured` (the config's name),
    /// else the feed's own title, else its address.
    pub fn feed_name(&self, configured: Option<&str>) -> String {
        crate::model::feed_display_name(configured, self.feed_title.as_deref(), &self.feed_url)
    }
}

impl super::Store {
    /// The other copies of this article's story, oldest first.
    pub fn copies(&self, id: ItemId) -> Result<Vec<Copy>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.feed_id, f.url, f.title FROM items i
             JOIN items c ON c.story = i.story AND c.id != i.id AND c.hidden = 0
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

    /// Unread articles of `feeds` that are a second (third...) unread copy of a story
    /// in them: what All unread, one row per story over those feeds, does not list.
    /// (Copies in feeds the list leaves out, such as feeds a cache still holds but the
    /// config no longer lists, are none of its business: counted, they took its count
    /// below its rows.)
    pub fn unread_copies(&self, feeds: &[FeedId]) -> Result<usize> {
        let list: Vec<String> = feeds.iter().map(|f| f.0.to_string()).collect();
        let n: i64 = self
            .conn
            .prepare_cached(
                // The planner would walk every unread article (items_by_unread).
                "SELECT count(*) - count(DISTINCT story) FROM items
                 INDEXED BY items_unread_copies
                 WHERE story IS NOT NULL AND is_read = 0 AND hidden = 0
                     AND feed_id IN (SELECT value FROM json_each(?1))",
            )?
            .query_row([format!("[{}]", list.join(","))], |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }

    /// Every grouped article a list shows (not hidden): its feed, its story and whether
    /// it is unread, in one pass over the grouped ones (the rest cost nothing), for the
    /// tags' counts of one row per story.
    pub fn grouped_articles(&self) -> Result<Vec<(FeedId, i64, bool)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT feed_id, story, is_read = 0 FROM items INDEXED BY items_by_story
             WHERE story IS NOT NULL AND hidden = 0",
        )?;
        let rows = stmt.query_map([], |r| Ok((FeedId(r.get(0)?), r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Groups articles that arrived in a refresh with their copies by their certain
    /// keys, in one transaction (the keys' index pages are written once, not at every
    /// feed's commit), and those an earlier refresh left waiting. Those found no copy
    /// wait for their text (`group_texts`).
    pub fn group_stories(&mut self, arrivals: &[Arrival], now: i64) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        group(&tx, arrivals, now, &mut self.story_bands, Pass::Keys)?;
        let left = waiting::orphans(&tx, now)?;
        group(&tx, &left, now, &mut self.story_bands, Pass::Keys)?;
        tx.commit()?;
        Ok(())
    }

    /// Articles waiting for their text to be compared with other feeds' articles.
    pub fn story_backlog(&self) -> Result<usize> {
        waiting::text_backlog(&self.conn)
    }

    /// Compares every text waiting before a mark is given (see `Store::set_read`): a
    /// mark on an article must reach the copies its text will join, and a copy joined
    /// later takes the story's read state, never the other way.
    pub(super) fn compare_before_marking(&mut self) -> Result<()> {
        if self.stories_waiting()? {
            self.group_all_texts(chrono::Utc::now().timestamp(), |_, _| {})?;
        }
        Ok(())
    }

    /// Whether texts wait to be compared under `mode` (the config as read now). With
    /// stories no longer on, what waits is forgotten at once, as the next refresh would
    /// (`maintain`), so that no mark (`compare_before_marking`) compares it after all.
    pub fn texts_waiting_for(&mut self, mode: Mode) -> Result<bool> {
        if !self.stories_waiting()? {
            return Ok(false);
        }
        if mode != Mode::On {
            self.conn
                .execute("DELETE FROM story_pending WHERE mode = ?1", [waiting::TEXT])?;
            return Ok(false);
        }
        Ok(true)
    }

    /// Whether any article waits for its text to be compared (at once, whatever the
    /// number: the TUI asks at start).
    pub fn stories_waiting(&self) -> Result<bool> {
        waiting::any_text(&self.conn)
    }

    /// Compares the text of up to `limit` waiting articles with the recent articles of
    /// other feeds, oldest first, in one transaction; returns how many left the queue
    /// (0: none waits).
    pub fn group_texts(&mut self, limit: usize, now: i64) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if bands::rebuild_if_asked(&tx)? {
            self.story_bands.forget();
        }
        self.story_bands.update(&tx, limit)?;
        let texts = waiting::texts(&tx, limit)?;
        group(&tx, &texts, now, &mut self.story_bands, Pass::Text)?;
        tx.commit()?;
        Ok(texts.len())
    }

    /// Runs `chore`, waiting for another process's write lock only briefly: a listing
    /// or the TUI's idle time compares texts when it can, and is never held up for
    /// them (`StoreError::is_busy` then says why it did not).
    pub fn briefly<T>(&mut self, chore: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.conn
            .busy_handler(Some(super::lock_wait::wait_briefly))?;
        let done = chore(self);
        self.conn.busy_handler(Some(super::lock_wait::wait_long))?;
        done
    }

    /// Compares every waiting article's text (see `group_texts`), telling `progress`
    /// how many are done of how many.
    pub fn group_all_texts(
        &mut self,
        now: i64,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<()> {
        let total = self.story_backlog()?;
        super::drain(
            total,
            |store| store.group_texts(TEXT_SLICE, now),
            self,
            &mut progress,
        )?;
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

#[cfg(test)]
#[path = "story_tests.rs"]
mod tests;
#[cfg(test)]
#[path = "story_waiting_tests.rs"]
mod waiting_tests;
