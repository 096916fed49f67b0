//! The refresh's single writer: feeds as the fetch threads hand them over, written a
//! batch at a time in one transaction. Should the cache refuse any feed's write, the
//! batch is taken back and its feeds are written one by one, each in a transaction of
//! its own, so that one feed's failure costs only that feed.
//!
//! Why batches: every commit writes each page it touched to the log once more, and the
//! index by time and the stories' index by key spread a feed's fifty new articles over
//! as many pages. At a transaction a feed, the cold refresh of 1,000 feeds wrote about
//! 94,000 log frames for a cache of 40,000 pages; the feeds that wait together share
//! those pages. A batch takes what is waiting, never waits for more, and stops taking
//! feeds after `BATCH_TIME`, so that it holds the write lock about as long as a few
//! feeds' writes did; and before the next batch it gives way to a connection of its
//! process that waits for the lock (a mark from the TUI's worker: store::lock_wait).

use super::work::{write, Written};
use super::{FeedDone, FeedTarget, Options, Summary, Work};
use crate::store::Store;
use chrono::Utc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// How long one batch may go on writing.
const BATCH_TIME: Duration = Duration::from_millis(50);

/// At most this many feeds a batch.
const BATCH_FEEDS: usize = 64;

/// A wait for the lock this recent is given way to, for this long (three of the
/// waiter's looks).
const GIVE_WAY_WITHIN: Duration = Duration::from_millis(20);
const GIVE_WAY: Duration = Duration::from_millis(3);

/// New articles grouped with their copies at once, at most: their keys wait in memory
/// until then (with sketches and bands, at 20,000 a cold refresh peaked at 90 MiB, at
/// 5,000 at 68 MiB, in the same time).
const STORY_BATCH: usize = 5_000;

/// Writes every feed `rx` brings until the fetch threads are done; `on_done` hears of
/// each once its batch is committed.
pub(super) fn write_all(
    store: &mut Store,
    rx: Receiver<(FeedTarget, Work)>,
    opts: &Options,
    summary: &mut Summary,
    mut on_done: impl FnMut(&FeedDone, &Summary),
) {
    // New articles are grouped with their copies by link and id in batches of their
    // own (the keys' index pages written once); their texts wait for the next reader
    // (store::story::waiting).
    let mut arrivals = Vec::new();
    while let Ok(first) = rx.recv() {
        // Another connection of this process waits for the lock (a mark from the TUI's
        // worker, looking every millisecond: store::lock_wait): the lock stays free
        // long enough for it before the next batch.
        if crate::store::lock_wanted_within(GIVE_WAY_WITHIN) {
            std::thread::sleep(GIVE_WAY);
        }
        let mut batch_arrivals = Vec::new();
        let written = write_batch(store, first, &rx, opts, &mut batch_arrivals);
        arrivals.append(&mut batch_arrivals);
        for w in written {
            if w.settle(store, opts) {
                summary.moved += 1;
            }
            let done = FeedDone {
                id: w.target.id,
                url: w.target.url,
                result: w.result,
            };
            summary.add(&done.result);
            on_done(&done, summary);
        }
        if arrivals.len() >= STORY_BATCH {
            group(store, &mut arrivals);
        }
    }
    group(store, &mut arrivals);
    if let Err(e) = store.end_batches() {
        tracing::warn!("cannot give the page cache back: {e}");
    }
}

/// Writes `first` and whatever else waits, in one transaction. Should the cache refuse
/// any of it, the batch is rolled back and its feeds are written again one by one, each
/// in its own transaction as without batches: one feed's failure costs only that feed.
fn write_batch(
    store: &mut Store,
    first: (FeedTarget, Work),
    rx: &Receiver<(FeedTarget, Work)>,
    opts: &Options,
    arrivals: &mut Vec<crate::store::StoryArrival>,
) -> Vec<Written> {
    let started = Instant::now();
    let mut works = vec![first];
    if let Err(e) = store.begin_batch() {
        tracing::warn!("cannot open a batch of writes: {e}");
        return one_by_one(store, &works, opts, arrivals);
    }
    let mut written = Vec::new();
    loop {
        let (target, work) = &works[written.len()];
        let w = write(store, target, work, opts, arrivals);
        // SQLite may also have ended the transaction itself (a full disk).
        if w.cache_failed || !store.in_batch() {
            return taken_back(store, &works, opts, arrivals);
        }
        written.push(w);
        if started.elapsed() >= BATCH_TIME || works.len() >= BATCH_FEEDS {
            break;
        }
        match rx.try_recv() {
            Ok(next) => works.push(next),
            Err(_) => break,
        }
    }
    if let Err(e) = store.commit_batch() {
        tracing::warn!(
            "a batch of {} feeds was not kept ({e}): written one by one",
            works.len()
        );
        return taken_back(store, &works, opts, arrivals);
    }
    written
}

/// The batch rolled back, its feeds written one by one; all of them failed when the
/// transaction cannot even be ended (nothing written after would be committed).
fn taken_back(
    store: &mut Store,
    works: &[(FeedTarget, Work)],
    opts: &Options,
    arrivals: &mut Vec<crate::store::StoryArrival>,
) -> Vec<Written> {
    arrivals.clear();
    match store.rollback_batch() {
        Ok(()) => one_by_one(store, works, opts, arrivals),
        Err(e) => {
            let why = format!("the cache cannot end its transaction: {e}");
            tracing::error!("{why}");
            works
                .iter()
                .map(|(target, _)| Written::failed(target, &why))
                .collect()
        }
    }
}

fn one_by_one(
    store: &mut Store,
    works: &[(FeedTarget, Work)],
    opts: &Options,
    arrivals: &mut Vec<crate::store::StoryArrival>,
) -> Vec<Written> {
    works
        .iter()
        .map(|(target, work)| write(store, target, work, opts, arrivals))
        .collect()
}

fn group(store: &mut Store, arrivals: &mut Vec<crate::store::StoryArrival>) {
    if let Err(e) = store.group_stories(arrivals, Utc::now().timestamp()) {
        tracing::warn!("grouping copies of stories: {e}");
    }
    arrivals.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ParsedFeed, ParsedItem, Validators};
    use crate::refresh::FeedResult;
    use std::sync::mpsc;

    fn parsed(feed: usize, guids: &[&str]) -> Work {
        let items = guids
            .iter()
            .map(|g| ParsedItem {
                guid: format!("{feed}-{g}"),
                title: format!("{feed} {g}"),
                ..ParsedItem::default()
            })
            .collect();
        let feed = crate::store::PreparedFeed::new(ParsedFeed {
            items,
            ..ParsedFeed::default()
        });
        Work::Parsed(feed, Validators::default(), Some(200), None)
    }

    /// Three feeds wait together, so they go in one batch; the cache refuses one
    /// article of the second. The batch is taken back and written feed by feed: the
    /// other two keep everything, and each feed is announced only once it is committed
    /// (a second connection, as the TUI's, sees it then).
    #[test]
    fn a_feed_the_cache_refuses_costs_only_itself_and_done_means_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let mut store = Store::open(&path).unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(3)).unwrap();
        crate::store::test_sql(
            &store,
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON items WHEN NEW.guid = '1-b'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        );
        let targets = store.feed_targets(&ids).unwrap();
        let (tx, rx) = mpsc::sync_channel(8);
        for (f, target) in targets.into_iter().enumerate() {
            tx.send((target, parsed(f, &["a", "b", "c"]))).unwrap();
        }
        drop(tx);
        let opts = Options::new(&crate::config::General::default(), false);
        let mut summary = Summary::default();
        let reader = rusqlite::Connection::open(&path).unwrap();
        let mut seen = Vec::new();
        write_all(&mut store, rx, &opts, &mut summary, |done, _| {
            let visible: i64 = reader
                .query_row(
                    "SELECT count(*) FROM items WHERE feed_id = ?1",
                    [done.id.0],
                    |r| r.get(0),
                )
                .unwrap();
            seen.push((done.id, done.result.clone(), visible));
        });
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0], (ids[0], FeedResult::Updated { new_items: 3 }, 3));
        assert!(
            matches!(&seen[1], (id, FeedResult::Failed(e), 0) if *id == ids[1] && e.contains("refused by the test")),
            "{:?}",
            seen[1]
        );
        assert_eq!(seen[2], (ids[2], FeedResult::Updated { new_items: 3 }, 3));
        assert_eq!((summary.ok, summary.failed, summary.new_items), (2, 1, 6));
        assert!(!store.in_batch(), "no transaction is left open");
    }

    /// Feeds that wait together are written in one transaction: a second connection
    /// sees the cache change once for all of them.
    #[test]
    fn feeds_that_wait_together_are_committed_together() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let mut store = Store::open(&path).unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(5)).unwrap();
        let targets = store.feed_targets(&ids).unwrap();
        let (tx, rx) = mpsc::sync_channel(8);
        for (f, target) in targets.into_iter().enumerate() {
            tx.send((target, parsed(f, &["a", "b"]))).unwrap();
        }
        drop(tx);
        let opts = Options::new(&crate::config::General::default(), false);
        let reader = rusqlite::Connection::open(&path).unwrap();
        let mut counts = Vec::new();
        write_all(&mut store, rx, &opts, &mut Summary::default(), |_, _| {
            counts.push(
                reader
                    .query_row("SELECT count(*) FROM items", [], |r| r.get::<_, i64>(0))
                    .unwrap(),
            );
        });
        assert_eq!(counts, vec![10; 5], "all five feeds were committed at once");
    }
}

#[cfg(test)]
mod seams {
    use super::*;
    use crate::model::{ParsedFeed, ParsedItem, Validators};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;

    /// A mark from another connection of the process (the TUI's worker) while the
    /// writer is busy batch after batch, as in a cold refresh: it gets in between two
    /// batches, while the writer still has feeds coming, instead of failing after the
    /// ten seconds a write waits.
    #[test]
    fn a_mark_gets_in_between_the_batches_of_a_busy_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let mut store = Store::open(&path).unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(2)).unwrap();
        crate::store::test_write(
            &mut store,
            ids[1],
            vec![ParsedItem {
                guid: "mark me".into(),
                title: "Mark me".into(),
                ..ParsedItem::default()
            }],
        );
        let mut marker = Store::open(&path).unwrap();
        let target = store.feed_targets(&ids[..1]).unwrap().remove(0);
        let (tx, rx) = mpsc::sync_channel(16);
        let done = AtomicBool::new(false);
        let mut marked = None;
        let mut feeds_after = 0;
        std::thread::scope(|s| {
            let (done, target) = (&done, &target);
            s.spawn(move || {
                // Feeds of fifty new articles each, faster than the writer takes them
                // (copies of one feed under new ids), until the mark is in or long
                // after it would have given up.
                let template = crate::store::PreparedFeed::new(ParsedFeed {
                    items: (0..50)
                        .map(|i| ParsedItem {
                            guid: i.to_string(),
                            title: format!("Article {i}"),
                            content_html: Some("<p>words</p>".repeat(40)),
                            ..ParsedItem::default()
                        })
                        .collect(),
                    ..ParsedFeed::default()
                });
                for n in 0..20_000 {
                    if done.load(Ordering::Relaxed) {
                        break;
                    }
                    let mut feed = template.clone();
                    for (i, item) in feed.items.iter_mut().enumerate() {
                        item.guid = format!("{n}-{i}");
                    }
                    let work = Work::Parsed(feed, Validators::default(), Some(200), None);
                    if tx.send((target.clone(), work)).is_err() {
                        break;
                    }
                }
            });
            s.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(300));
                let id: i64 = rusqlite::Connection::open(&path)
                    .unwrap()
                    .query_row("SELECT id FROM items WHERE guid = 'mark me'", [], |r| {
                        r.get(0)
                    })
                    .unwrap();
                marked = Some(marker.set_read(&[crate::model::ItemId(id)], true));
                done.store(true, Ordering::Relaxed);
            });
            let opts = Options::new(&crate::config::General::default(), false);
            write_all(&mut store, rx, &opts, &mut Summary::default(), |_, _| {
                if done.load(Ordering::Relaxed) {
                    feeds_after += 1;
                }
            });
        });
        assert_eq!(marked.map(|r| r.map_err(|e| e.to_string())), Some(Ok(1)));
        assert!(
            feeds_after > 0,
            "the writer still had feeds to write when the mark got in"
        );
    }
}
