//! The check times beside the cache: kept for the very row they were made for, moved
//! with a feed, pruned when rows change, and put into the cache when the file cannot be
//! written.

use super::*;
use crate::store::{test_store, FeedTarget};

/// Every feed last fetched (successfully) at `t`.
fn fetched_at(store: &Store, t: i64) {
    store
        .conn
        .execute("UPDATE feeds SET last_attempt = ?1, last_success = ?1", [t])
        .unwrap();
}

fn cached_attempt(store: &Store, id: i64) -> i64 {
    store
        .conn
        .query_row("SELECT last_attempt FROM feeds WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

fn at(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap()
}

fn targets(store: &Store, ids: &[crate::model::FeedId]) -> Vec<FeedTarget> {
    store.feed_targets(ids).unwrap()
}

#[test]
fn a_healthy_feeds_304_goes_beside_the_cache_and_counts_for_its_row() {
    let (dir, mut store, ids) = test_store(3);
    fetched_at(&store, 100);
    let t = targets(&store, &ids);
    store.record_not_modified(&t[0], at(500)).unwrap();
    // A feed moved by a redirect after its 304 keeps the check under its new address.
    store.record_not_modified(&t[1], at(600)).unwrap();
    store.move_feed(ids[1], "http://127.0.0.1:1/moved").unwrap();
    // A failing feed's 304 clears it in the cache itself.
    store
        .conn
        .execute(
            "UPDATE feeds SET last_error = 'x' WHERE id = ?1",
            [ids[2].0],
        )
        .unwrap();
    store.record_not_modified(&t[2], at(700)).unwrap();
    assert_eq!(cached_attempt(&store, ids[0].0), 100);
    assert_eq!(cached_attempt(&store, ids[2].0), 700);
    store.flush_checks();
    let t = targets(&store, &ids);
    assert_eq!(t[0].last_attempt, Some(at(500)));
    assert_eq!(t[0].cached_attempt, Some(100));
    assert_eq!(t[1].last_attempt, Some(at(600)));
    assert_eq!(t[2].last_attempt, Some(at(700)));
    // An update since voids the entry; the cache's time is later anyway.
    fetched_at(&store, 800);
    assert_eq!(targets(&store, &ids)[0].last_attempt, Some(at(800)));
    // The next write of the file drops what no row matches any more.
    store
        .record_not_modified(&targets(&store, &ids)[2], at(900))
        .unwrap();
    store.flush_checks();
    let read = Checks::read(&dir.path().join("cache.db"));
    assert_eq!(read.0.keys().copied().collect::<Vec<_>>(), vec![ids[2].0]);
}

#[test]
fn checks_the_file_cannot_take_go_into_the_cache() {
    let (dir, mut store, ids) = test_store(2);
    fetched_at(&store, 100);
    std::fs::create_dir(file_of(&dir.path().join("cache.db"))).unwrap();
    let t = targets(&store, &ids);
    store.record_not_modified(&t[0], at(500)).unwrap();
    assert_eq!(cached_attempt(&store, ids[0].0), 100);
    store.flush_checks();
    assert_eq!(cached_attempt(&store, ids[0].0), 500);
    assert_eq!(cached_attempt(&store, ids[1].0), 100);
}

/// Checks wait in memory for at most `FLUSH_AFTER` during a refresh, and a store closed
/// before the refresh's end still writes them.
#[test]
fn checks_are_written_now_and_then_and_when_the_cache_closes() {
    let (dir, mut store, ids) = test_store(1);
    let db = dir.path().join("cache.db");
    fetched_at(&store, 100);
    let t = targets(&store, &ids);
    store.record_not_modified(&t[0], at(500)).unwrap();
    store.flush_checks_now_and_then();
    assert!(Checks::read(&db).0.is_empty(), "written at once");
    store.checks.since = Some(Instant::now() - FLUSH_AFTER);
    store.flush_checks_now_and_then();
    assert_eq!(
        Checks::read(&db).last_checked(ids[0].0, &t[0].url, Some(100)),
        Some(500)
    );
    store.record_not_modified(&t[0], at(600)).unwrap();
    drop(store);
    assert_eq!(
        Checks::read(&db).last_checked(ids[0].0, &t[0].url, Some(100)),
        Some(600)
    );
    // Nothing aside is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("cache.db-checks"))
        .collect();
    assert_eq!(names, vec!["cache.db-checks".to_string()]);
}

/// An entry counts only for the row it was made for: another address under the same id
/// (a feed removed and another added), a row attempted since (a failure or an update), a
/// row never attempted (added again).
#[test]
fn an_entry_for_another_row_is_void() {
    let checks = parse(&format!("{HEADER}\n7\t100\t500\thttp://a/feed\n"));
    let url = "http://a/feed";
    assert_eq!(checks.last_checked(7, url, Some(100)), Some(500));
    assert_eq!(
        checks.last_checked(7, "http://other/feed", Some(100)),
        Some(100)
    );
    assert_eq!(checks.last_checked(7, url, Some(600)), Some(600));
    assert_eq!(checks.last_checked(7, url, None), None);
    assert_eq!(checks.last_checked(8, url, Some(100)), Some(100));
}

/// A file of another shape, or with broken lines, costs only what it cannot say.
#[test]
fn a_foreign_or_broken_file_reads_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.db");
    std::fs::write(file_of(&db), b"\xff\xfe not ours").unwrap();
    assert!(Checks::read(&db).0.is_empty());
    std::fs::write(file_of(&db), "7\t100\t500\thttp://a\n").unwrap();
    assert!(Checks::read(&db).0.is_empty());
    let text = format!(
        "{HEADER}\nx\t1\t2\thttp://a\n3\t1\n4\t1\t2\thttp://b\t\n5\t1\t{}\thttp://c\n",
        i64::MAX
    );
    std::fs::write(file_of(&db), text).unwrap();
    let read = Checks::read(&db);
    assert_eq!(read.0.len(), 1, "{:?}", read.0);
    assert_eq!(read.last_checked(4, "http://b\t", Some(1)), Some(2));
    assert_eq!(read.last_checked(5, "http://c", Some(1)), Some(1));
}
