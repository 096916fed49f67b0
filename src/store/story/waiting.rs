//! Articles waiting to be grouped, in `story_pending`. A refresh files its new articles
//! there as it writes them, and groups them by their certain keys (link, id) in
//! batches as it goes; those it finds no copy for by key wait on, as `text`, to be
//! compared by their text (`Store::group_texts`) by whoever reads stories next: a CLI
//! command before it answers, the TUI between keys.
//!
//! Why the text waits: shingling and sketching every new article, and filing twelve
//! band rows for each, doubled the CPU a cold refresh of 50,000 articles took on a
//! machine whose cores the refresh already keeps busy. Read back from the cache in
//! slices, the same work no longer holds up the articles themselves.

use super::{Arrival, Result};
use crate::model::FeedId;
use crate::story::{text, Keys, Mode};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// The queue's mode for an article grouped by its keys, waiting for its text.
pub(super) const TEXT: &str = "text";
/// Articles waiting longer than this to be grouped by their keys were left by a
/// refresh that ended before grouping them (killed): the next grouping works out their
/// keys again. (A refresh running now groups its own within minutes.)
pub(super) const ORPHANED_AFTER: i64 = 600;
/// Of those, at most this many at a time.
const ORPHANS_AT_ONCE: i64 = 5_000;
/// Below this many texts, one thread shingles them (threads cost more than they save).
const PARALLEL_ABOVE: usize = 64;

/// Files new articles as waiting to be grouped, in the transaction that writes them.
pub(in crate::store) fn queue(tx: &Connection, arrivals: &[Arrival], now: i64) -> Result<()> {
    for a in arrivals {
        wait(tx, a.id, a.mode.name(), now)?;
    }
    Ok(())
}

/// Leaves an article grouped by its keys waiting for its text: its row changed in
/// place: one change to the queue's b-tree where a delete and an insert made two.
pub(super) fn wait_for_text(tx: &Connection, id: i64, now: i64) -> Result<()> {
    let changed = tx
        .prepare_cached("UPDATE story_pending SET mode = ?2, at = ?3 WHERE item = ?1")?
        .execute(params![id, TEXT, now])?;
    if changed == 0 {
        wait(tx, id, TEXT, now)?;
    }
    Ok(())
}

fn wait(tx: &Connection, id: i64, mode: &str, now: i64) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO story_pending (item, mode, at) VALUES (?1, ?2, ?3)")?
        .execute(params![id, mode, now])?;
    Ok(())
}

/// Articles waiting for their text to be compared.
pub(super) fn text_backlog(conn: &Connection) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM story_pending WHERE mode = ?1")?
        .query_row([TEXT], |r| r.get(0))?;
    Ok(n as usize)
}

/// Whether any article waits for its text.
pub(super) fn any_text(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM story_pending WHERE mode = ?1)")?
        .query_row([TEXT], |r| r.get(0))?)
}

/// Articles left waiting by a refresh that ended before grouping them by their keys,
/// with their keys worked out again from the cache.
pub(super) fn orphans(tx: &Connection, now: i64) -> Result<Vec<Arrival>> {
    let waiting: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT item, mode FROM story_pending WHERE mode != ?1 AND at < ?2 LIMIT ?3",
        )?
        .query_map(params![TEXT, now - ORPHANED_AFTER, ORPHANS_AT_ONCE], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut item =
        tx.prepare_cached("SELECT feed_id, link, guid, sort_time FROM items WHERE id = ?1")?;
    let mut out = Vec::new();
    for (id, mode) in waiting {
        let mode = Mode::from_name(&mode).unwrap_or(Mode::Off);
        let row: Option<(i64, Option<String>, String, i64)> = item
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let key = |k: Option<String>| k.as_deref().map(crate::story::key_hash);
        out.push(match row {
            Some((feed, link, guid, time)) => Arrival {
                feed: FeedId(feed),
                id,
                time,
                mode,
                keys: Keys {
                    link: key(link.as_deref().and_then(crate::story::canon::canonical)),
                    guid: key(crate::story::canon::guid_key(&guid)),
                    ..Keys::default()
                },
            },
            // Gone (dropped, its feed removed): only its place in the queue is left.
            None => gone(id),
        });
    }
    Ok(out)
}

/// An article gone from the cache: grouping only takes it off the queue.
fn gone(id: i64) -> Arrival {
    Arrival {
        feed: FeedId(0),
        id,
        time: 0,
        mode: Mode::Off,
        keys: Keys::default(),
    }
}

/// One article read back for its text.
struct Body {
    id: i64,
    feed: i64,
    time: i64,
    summary: Value,
    content: Value,
}

/// The next `limit` articles waiting for their text, oldest first (see `texts_of`).
pub(super) fn texts(tx: &Connection, limit: usize) -> Result<Vec<Arrival>> {
    let ids: Vec<i64> = tx
        .prepare_cached("SELECT item FROM story_pending WHERE mode = ?1 ORDER BY item LIMIT ?2")?
        .query_map(params![TEXT, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    texts_of(tx, ids)
}

/// These waiting articles, each sketched less what it shares near its ends with its
/// feed's other articles (those of the slice, and stored neighbours when the slice
/// holds few): its boilerplate.
fn texts_of(tx: &Connection, ids: Vec<i64>) -> Result<Vec<Arrival>> {
    let mut read = tx.prepare_cached(
        "SELECT id, feed_id, sort_time, summary, content FROM items WHERE id = ?1",
    )?;
    let mut out = Vec::new();
    let mut by_feed: HashMap<i64, Vec<Body>> = HashMap::new();
    for id in ids {
        match read.query_row([id], body).optional()? {
            Some(b) => by_feed.entry(b.feed).or_default().push(b),
            None => out.push(gone(id)),
        }
    }
    let mut feeds: Vec<(Vec<Body>, Vec<Body>)> = Vec::with_capacity(by_feed.len());
    for (feed, bodies) in by_feed {
        let neighbours = if bodies.len() as i64 <= super::NEIGHBOURS {
            neighbours(tx, feed, bodies[0].id)?
        } else {
            Vec::new()
        };
        feeds.push((bodies, neighbours));
    }
    for (bodies, sketches) in sketch_all(&feeds) {
        out.extend(bodies.iter().zip(sketches).map(|(b, sketch)| Arrival {
            feed: FeedId(b.feed),
            id: b.id,
            time: b.time,
            mode: Mode::On,
            keys: Keys {
                bands: text::bands(&sketch),
                sketch,
                ..Keys::default()
            },
        }));
    }
    out.sort_unstable_by_key(|a| a.id);
    Ok(out)
}

fn body(r: &rusqlite::Row) -> rusqlite::Result<Body> {
    Ok(Body {
        id: r.get(0)?,
        feed: r.get(1)?,
        time: r.get(2)?,
        summary: r.get(3)?,
        content: r.get(4)?,
    })
}

/// The feed's stored articles just before `first`, for its boilerplate. (The ids are
/// chosen first, from the feed's own rows (the `+`s keep the planner on them: by id it
/// walked the table back from the newest article, 50,000 rows to find six of a feed
/// written first), and only then the bodies read: sorted with the ids, every body of a
/// feed of 2,000 articles was copied, 2.6 ms an article.)
fn neighbours(tx: &Connection, feed: i64, first: i64) -> Result<Vec<Body>> {
    Ok(tx
        .prepare_cached(
            "SELECT id, feed_id, sort_time, summary, content FROM items WHERE id IN (
                 SELECT id FROM items WHERE feed_id = ?1 AND +id < ?2
                 ORDER BY +id DESC LIMIT ?3)",
        )?
        .query_map(params![feed, first, super::NEIGHBOURS], body)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Each feed's sketches, its texts shingled on every core when there are many (the
/// texts are read on this thread: a connection is one thread's).
fn sketch_all(feeds: &[(Vec<Body>, Vec<Body>)]) -> Vec<(&[Body], Vec<Vec<u32>>)> {
    let total: usize = feeds.iter().map(|(b, n)| b.len() + n.len()).sum();
    let threads = if total > PARALLEL_ABOVE {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    } else {
        1
    };
    let per_thread = feeds.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = feeds
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    // At the lowest priority, as the refresh's fetch threads: in the TUI
                    // this runs beside the UI thread, which must get a core at once.
                    let _ = thread_priority::set_current_thread_priority(
                        thread_priority::ThreadPriority::Min,
                    );
                    part.iter().map(sketch_feed).collect::<Vec<_>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_default())
            .collect()
    })
}

/// One feed's new articles' sketches, less its boilerplate. A text the reader cannot
/// take (a panic) costs its feed's sketches, never the slice: the articles leave the
/// queue uncompared rather than fail every pass after.
fn sketch_feed(feed: &(Vec<Body>, Vec<Body>)) -> (&[Body], Vec<Vec<u32>>) {
    let (bodies, neighbours) = feed;
    let sketched = std::panic::catch_unwind(|| {
        let texts: Vec<Vec<u64>> = bodies
            .iter()
            .chain(neighbours)
            .map(|b| super::shingles_of((&b.summary).into(), (&b.content).into()))
            .collect();
        text::sketches(&texts, bodies.len())
    });
    let sketches = sketched.unwrap_or_else(|_| {
        tracing::warn!(
            "stories: the texts of feed {} could not be read",
            bodies[0].feed
        );
        vec![Vec::new(); bodies.len()]
    });
    (bodies.as_slice(), sketches)
}
