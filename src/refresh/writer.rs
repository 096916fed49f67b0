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

use super::handover::Receiver;
use super::work::{write, Written};
use super::{FeedDone, FeedTarget, Options, Summary, Work};
use crate::store::Store;
use chrono::Utc;
use std::time::{Duration, Instant};

/// How long one batch may go on writing.
const BATCH_TIME: Duration = Duration::from_millis(50);

/// At most this many feeds a batch.
const BATCH_FEEDS: usize = 64;

/// How long the writer lets feeds gather before a batch, when fewer than a batch wait
/// (outside any transaction: nothing waits on the lock meanwhile). Feeds answering 304
/// come every 50 microseconds from a server nearby, and each was written alone the moment
/// it came: a refresh of 1,000 such feeds made some 800 commits and 3.4 MB of log for 25
/// pages of feeds (0.3 MB now; 57 ms against 62 ms for the refresh, 11 alternating runs).
/// A writer behind the fetches never waits here: its feeds are waiting already.
const GATHER: Duration = Duration::from_millis(3);

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
    rx: &Receiver<'_, (FeedTarget, Work)>,
    opts: &Options,
    summary: &mut Summary,
    mut on_done: impl FnMut(&FeedDone, &Summary),
) {
    // New articles are grouped with their copies by link and id in batches of their
    // own (the keys' index pages written once); their texts wait for the next reader
    // (store::story::waiting).
    let mut arrivals = Vec::new();
    while let Some(first) = rx.recv() {
        // Another connection of this process waits for the lock (a mark from the TUI's
        // worker, looking every millisecond: store::lock_wait): the lock stays free
        // long enough for it before the next batch.
        if crate::store::lock_wanted_within(GIVE_WAY_WITHIN) {
            std::thread::sleep(GIVE_WAY);
        }
        rx.wait_for(BATCH_FEEDS - 1, Instant::now() + GATHER);
        let mut batch_arrivals = Vec::new();
        let written = write_batch(store, first, rx, opts, &mut batch_arrivals);
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
        store.flush_checks_now_and_then();
    }
    group(store, &mut arrivals);
    if let Err(e) = store.end_batches() {
        tracing::warn!("cannot give the page cache back: {e}");
    }
    store.flush_checks();
}

/// Writes `first` and whatever else waits, in one transaction. Should the cache refuse
/// any of it, the batch is rolled back and its feeds are written again one by one, each
/// in its own transaction as without batches: one feed's failure costs only that feed.
fn write_batch(
    store: &mut Store,
    first: (FeedTarget, Work),
    rx: &Receiver<'_, (FeedTarget, Work)>,
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
            Some(next) => works.push(next),
            None => break,
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
#[path = "writer_tests.rs"]
mod tests;
