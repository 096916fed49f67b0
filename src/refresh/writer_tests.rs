//! The writer's batches, tested on a real cache file: what a refused feed costs, when a
//! feed counts as done, and a mark from another connection while the writer is busy.

use super::super::handover::Handover;
use super::*;
use crate::model::{FeedId, ParsedFeed, ParsedItem, Validators};
use crate::refresh::FeedResult;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// A cache with `n` feeds, in a directory kept as long as the caller holds it.
fn fresh(n: usize) -> (tempfile::TempDir, PathBuf, Store, Vec<FeedId>) {
    let (dir, store, ids) = crate::store::test_store(n);
    let path = dir.path().join("cache.db");
    (dir, path, store, ids)
}

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
    Work::Parsed(feed, Validators::default(), Some(200), None, false)
}

/// Each feed with `guids` waiting for the writer at once, then written as the refresh
/// writes them; `on_done` hears of each.
fn write_waiting(
    store: &mut Store,
    ids: &[FeedId],
    guids: &[&str],
    summary: &mut Summary,
    on_done: impl FnMut(&FeedDone, &Summary),
) {
    let targets = store.feed_targets(ids).unwrap();
    let handover = Handover::new(usize::MAX);
    let tx = handover.sender();
    for (f, target) in targets.into_iter().enumerate() {
        assert!(tx.send((target, parsed(f, guids))).is_ok());
    }
    drop(tx);
    let opts = Options::new(&crate::config::General::default(), false);
    write_all(store, &handover.receiver(), &opts, summary, on_done);
}

/// Three feeds wait together, so they go in one batch; the cache refuses one
/// article of the second. The batch is taken back and written feed by feed: the
/// other two keep everything, and each feed is announced only once it is committed
/// (a second connection, as the TUI's, sees it then).
#[test]
fn a_feed_the_cache_refuses_costs_only_itself_and_done_means_committed() {
    let (_dir, path, mut store, ids) = fresh(3);
    crate::store::test_sql(
        &store,
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON items WHEN NEW.guid = '1-b'
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
    );
    let mut summary = Summary::default();
    let reader = rusqlite::Connection::open(&path).unwrap();
    let mut seen = Vec::new();
    write_waiting(
        &mut store,
        &ids,
        &["a", "b", "c"],
        &mut summary,
        |done, _| {
            let visible: i64 = reader
                .query_row(
                    "SELECT count(*) FROM items WHERE feed_id = ?1",
                    [done.id.0],
                    |r| r.get(0),
                )
                .unwrap();
            seen.push((done.id, done.result.clone(), visible));
        },
    );
    assert_eq!(seen.len(), 3);
    assert_eq!(
        seen[0],
        (
            ids[0],
            FeedResult::Updated {
                new_items: 3,
                cut_short: false
            },
            3
        )
    );
    assert!(
        matches!(&seen[1], (id, FeedResult::Failed(e), 0) if *id == ids[1] && e.contains("refused by the test")),
        "{:?}",
        seen[1]
    );
    assert_eq!(
        seen[2],
        (
            ids[2],
            FeedResult::Updated {
                new_items: 3,
                cut_short: false
            },
            3
        )
    );
    assert_eq!((summary.ok, summary.failed, summary.new_items), (2, 1, 6));
    assert!(!store.in_batch(), "no transaction is left open");
}

/// Feeds that wait together are written in one transaction: a second connection
/// sees the cache change once for all of them.
#[test]
fn feeds_that_wait_together_are_committed_together() {
    let (_dir, path, mut store, ids) = fresh(5);
    let reader = rusqlite::Connection::open(&path).unwrap();
    let mut counts = Vec::new();
    write_waiting(
        &mut store,
        &ids,
        &["a", "b"],
        &mut Summary::default(),
        |_, _| {
            counts.push(
                reader
                    .query_row("SELECT count(*) FROM items", [], |r| r.get::<_, i64>(0))
                    .unwrap(),
            );
        },
    );
    assert_eq!(counts, vec![10; 5], "all five feeds were committed at once");
}

/// A mark from another connection of the process (the TUI's worker) while the
/// writer is busy batch after batch, as in a cold refresh: it gets in between two
/// batches, while the writer still has feeds coming, instead of failing after the
/// ten seconds a write waits.
#[test]
fn a_mark_gets_in_between_the_batches_of_a_busy_writer() {
    let (_dir, path, mut store, ids) = fresh(2);
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
    // Feeds of fifty new articles each, faster than the writer takes them (copies of
    // one feed under new ids), until the mark is in or long after it would have given
    // up; room for sixteen of them.
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
    let handover = Handover::new(16 * template.bytes());
    let tx = handover.sender();
    let done = AtomicBool::new(false);
    let mut marked = None;
    let mut feeds_after = 0;
    std::thread::scope(|s| {
        let (done, target, template) = (&done, &target, &template);
        s.spawn(move || {
            for n in 0..20_000 {
                if done.load(Ordering::Relaxed) {
                    break;
                }
                let mut feed = template.clone();
                for (i, item) in feed.items.iter_mut().enumerate() {
                    item.guid = format!("{n}-{i}");
                }
                let work = Work::Parsed(feed, Validators::default(), Some(200), None, false);
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
        write_all(
            &mut store,
            &handover.receiver(),
            &opts,
            &mut Summary::default(),
            |_, _| {
                if done.load(Ordering::Relaxed) {
                    feeds_after += 1;
                }
            },
        );
    });
    assert_eq!(marked.map(|r| r.map_err(|e| e.to_string())), Some(Ok(1)));
    assert!(
        feeds_after > 0,
        "the writer still had feeds to write when the mark got in"
    );
}
