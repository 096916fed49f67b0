use super::*;
use crate::model::{ParsedFeed, ParsedItem, Validators};
use crate::store::PreparedFeed;
use chrono::{TimeZone, Utc};

/// A cache of `feeds` feeds whose items' times interleave, every third item read.
fn cache(dir: &std::path::Path, feeds: usize) -> (Store, Vec<FeedId>) {
    let mut store = Store::open(&dir.join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(feeds)).unwrap();
    for (f, id) in ids.iter().enumerate() {
        let items = (0..12)
            .map(|i| ParsedItem {
                guid: format!("{f}-{i}"),
                title: format!("item {f}-{i}"),
                // Equal times across feeds too, so the id breaks ties.
                published: Some(
                    Utc.timestamp_opt(1_700_000_000 + ((i * 7 + f) % 20) as i64 * 60, 0)
                        .unwrap(),
                ),
                ..ParsedItem::default()
            })
            .collect();
        crate::store::test_write(&mut store, *id, items);
    }
    let all: Vec<ItemId> = store
        .items(&ItemQuery::feed(ids[0]), 0, 1000)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(all.len(), 12);
    let every_third: Vec<ItemId> = (1..=(feeds * 12) as i64)
        .filter(|i| i % 3 == 0)
        .map(ItemId)
        .collect();
    store.set_read(&every_third, true).unwrap();
    (store, ids)
}

#[test]
fn lists_over_many_feeds_page_in_time_order_across_read_states() {
    let dir = tempfile::tempdir().unwrap();
    let (store, ids) = cache(dir.path(), MANY_FEEDS + 4);
    let query = ItemQuery {
        scope: Scope::Feeds(ids.clone()),
        unread_only: false,
        starred_only: false,
        search: None,
        order: Default::default(),
        stories: false,
    };
    let expected: Vec<(i64, i64)> = {
        let mut stmt = store
            .conn
            .prepare("SELECT sort_time, id FROM items ORDER BY sort_time DESC, id DESC")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_eq!(expected.len(), ids.len() * 12);
    for (offset, limit) in [(0, 10), (7, 25), (100, 50), (230, 50), (0, 1000)] {
        let got: Vec<i64> = store
            .items(&query, offset, limit)
            .unwrap()
            .iter()
            .map(|r| r.id.0)
            .collect();
        let want: Vec<i64> = expected
            .iter()
            .skip(offset)
            .take(limit)
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(got, want, "offset {offset} limit {limit}");
    }
    assert_eq!(store.count_items(&query).unwrap(), ids.len() * 12);
}

#[test]
fn each_read_state_is_read_in_index_order_without_a_sort() {
    let dir = tempfile::tempdir().unwrap();
    let (store, ids) = cache(dir.path(), 2);
    let marks = vec!["?"; MANY_FEEDS + 1].join(",");
    let plan: Vec<String> = {
        let mut stmt = store
            .conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT id FROM items WHERE is_read = 1 AND +feed_id IN ({marks})
                 ORDER BY sort_time DESC, id DESC LIMIT 10"
            ))
            .unwrap();
        let args = (0..=MANY_FEEDS).map(|i| ids[i % 2].0);
        let rows = stmt
            .query_map(params_from_iter(args), |r| r.get::<_, String>(3))
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let plan = plan.join("\n");
    assert!(plan.contains("items_by_unread"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}

#[test]
fn marking_a_list_read_marks_only_what_it_lists() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = cache(dir.path(), 3);
    let everything = ItemQuery {
        scope: Scope::Feeds(ids.clone()),
        unread_only: false,
        starred_only: false,
        search: None,
        order: Default::default(),
        stories: false,
    };
    let rows = store.items(&everything, 0, 1000).unwrap();
    let unread_before = rows.iter().filter(|r| !r.read).count();
    // Star one unread item and one read item.
    let unread_one = rows.iter().find(|r| !r.read).unwrap().id;
    let read_one = rows.iter().find(|r| r.read).unwrap().id;
    store.set_starred(unread_one, true).unwrap();
    store.set_starred(read_one, true).unwrap();

    let starred = ItemQuery {
        starred_only: true,
        ..everything.clone()
    };
    let marked = store
        .mark_query_read(&starred, None, crate::model::ItemId(i64::MAX))
        .unwrap();
    assert_eq!(marked, vec![unread_one], "only the unread starred item");
    let unread_after = store
        .items(&everything, 0, 1000)
        .unwrap()
        .iter()
        .filter(|r| !r.read)
        .count();
    assert_eq!(unread_after, unread_before - 1);

    // A search, matched without regard to case or accents.
    let first = rows.iter().find(|r| !r.read && r.id != unread_one).unwrap();
    store
        .conn
        .execute(
            "UPDATE items SET title = 'ÄPFEL und Birnen' WHERE id = ?1",
            [first.id.0],
        )
        .unwrap();
    store.index_all(&Default::default(), |_, _| {}).unwrap();
    let query = crate::search::parse("apfel", chrono::Utc::now()).unwrap();
    let filtered = ItemQuery {
        search: Some(crate::search::compile(&query, &[]).unwrap()),
        ..everything.clone()
    };
    assert_eq!(store.count_items(&filtered).unwrap(), 1);
    assert_eq!(
        store
            .mark_query_read(&filtered, None, crate::model::ItemId(i64::MAX))
            .unwrap(),
        vec![first.id]
    );
    // Above an item: only the newer ones of the list.
    let list = store.items(&everything, 0, 1000).unwrap();
    let third = list[2].id;
    let above = store
        .mark_query_read(&everything, Some(third), crate::model::ItemId(i64::MAX))
        .unwrap();
    let expected: Vec<ItemId> = list[..2].iter().filter(|r| !r.read).map(|r| r.id).collect();
    let mut above_sorted = above.clone();
    above_sorted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.retain(|id| *id != first.id);
    expected_sorted.sort();
    assert_eq!(above_sorted, expected_sorted);
    // Undo is a plain set_read of what was marked.
    assert_eq!(store.set_read(&[first.id], false).unwrap(), 1);
}

#[test]
fn a_removed_feeds_starred_article_goes_when_unstarred() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = cache(dir.path(), 2);
    let kept = store.items(&ItemQuery::feed(ids[1]), 0, 1).unwrap()[0].id;
    let other = store.items(&ItemQuery::feed(ids[0]), 0, 1).unwrap()[0].id;
    store.set_starred(kept, true).unwrap();
    store
        .conn
        .execute(
            "UPDATE feeds SET etag = '\"v1\"', last_modified = 'Mon, 02 Nov 2026 08:00:00 GMT'",
            [],
        )
        .unwrap();
    assert_eq!(store.remove_feed(ids[1]).unwrap(), (11, 1));
    // The row kept for the starred article forgets its validators: subscribed again,
    // the feed is fetched whole (it was answered 304, its articles never back).
    let target = &store.feed_targets(&[ids[1]]).unwrap()[0];
    let v = &target.validators;
    assert_eq!((&v.etag, &v.last_modified), (&None, &None));
    let subscribed = ["http://127.0.0.1:1/0"];
    store.set_starred(other, false).unwrap();
    assert!(
        !store.drop_if_unsubscribed(other, &subscribed).unwrap(),
        "subscribed"
    );
    assert!(
        !store.drop_if_unsubscribed(kept, &subscribed).unwrap(),
        "still starred"
    );
    store.set_starred(kept, false).unwrap();
    assert!(store.drop_if_unsubscribed(kept, &subscribed).unwrap());
    assert!(store.item(kept).unwrap().is_none());
    assert_eq!(
        store.feed_id("http://127.0.0.1:1/1").unwrap(),
        None,
        "the feed went with it"
    );
}

/// A list's mark reaches no article that came after the list was read: a refresh that
/// lands between the list on screen and `A` (or `M`) leaves its new articles unread,
/// newer (listed above) as they are.
#[test]
fn a_lists_mark_stops_at_the_newest_article_it_was_read_with() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ids) = cache(dir.path(), 1);
    let list = ItemQuery::feed(ids[0]);
    let shown = store.items(&list, 0, 1000).unwrap();
    let upto = store.newest_item().unwrap().unwrap();
    assert_eq!(shown.iter().map(|r| r.id).max(), Some(upto));
    // The cron refresh: two new articles, newer than all the list showed.
    let newer = (0..2)
        .map(|i| ParsedItem {
            guid: format!("new-{i}"),
            title: format!("new {i}"),
            published: Some(Utc.timestamp_opt(1_800_000_000 + i, 0).unwrap()),
            ..ParsedItem::default()
        })
        .collect();
    crate::store::test_write(&mut store, ids[0], newer);
    assert!(store.newest_item().unwrap().unwrap() > upto);
    let mut unread_shown: Vec<ItemId> = shown.iter().filter(|r| !r.read).map(|r| r.id).collect();
    unread_shown.sort();
    // `M` on the third row shown: the new ones are above it too, and stay unread.
    let above = store
        .mark_query_read(&list, Some(shown[2].id), upto)
        .unwrap();
    assert!(above.iter().all(|id| *id <= upto), "{above:?}");
    // `A`: exactly the unread rows the list showed.
    let mut all = store.mark_query_read(&list, None, upto).unwrap();
    all.extend(above);
    all.sort();
    assert_eq!(all, unread_shown);
    let unread_now = store
        .items(
            &ItemQuery {
                unread_only: true,
                ..list
            },
            0,
            1000,
        )
        .unwrap();
    let titles: Vec<&str> = unread_now.iter().map(|r| r.title.as_str()).collect();
    // (Dated in the future, both sort as their arrival; the later date first.)
    assert_eq!(titles, ["new 1", "new 0"]);
}

/// Bodies go in as Snappy; a cache written before that holds LZ4 blobs, read all the
/// same, as are the first Snappy blobs' other tag. Short bodies stay text.
#[test]
fn bodies_read_back_in_every_stored_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
    let long = "<p>Patch Tuesday: ünïcode, 日本語 and 🔒.</p>".repeat(40);
    let items = ["short", long.as_str()]
        .iter()
        .enumerate()
        .map(|(i, body)| ParsedItem {
            guid: format!("g{i}"),
            title: format!("t{i}"),
            content_html: Some(body.to_string()),
            summary_html: Some(format!("<p>{body}</p>")),
            ..ParsedItem::default()
        })
        .collect();
    crate::store::test_write(&mut store, ids[0], items);
    let kinds: Vec<(String, Vec<u8>)> = store
        .conn
        .prepare("SELECT typeof(content), CAST(content AS BLOB) FROM items ORDER BY guid")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(kinds[0].0, "text");
    assert_eq!(kinds[1].0, "blob");
    assert!(kinds[1].1.starts_with(&crate::store::write::SNAPPY_TAG));
    assert!(kinds[1].1.len() < long.len() / 2);
    let body = |guid: &str| {
        let id: i64 = store
            .conn
            .query_row("SELECT id FROM items WHERE guid = ?1", [guid], |r| r.get(0))
            .unwrap();
        store.item(ItemId(id)).unwrap().unwrap()
    };
    assert_eq!(body("g0").content_html.as_deref(), Some("short"));
    let whole = body("g1");
    assert_eq!(whole.content_html.as_deref(), Some(long.as_str()));
    assert_eq!(whole.summary_html, Some(format!("<p>{long}</p>")));
    // As the first commits with Snappy tagged it.
    let mut early = vec![0xFF; 4];
    early.extend(
        snap::raw::Encoder::new()
            .compress_vec(long.as_bytes())
            .unwrap(),
    );
    store
        .conn
        .execute("UPDATE items SET content = ?1 WHERE guid = 'g1'", [&early])
        .unwrap();
    assert_eq!(body("g1").content_html.as_deref(), Some(long.as_str()));
    // As an earlier version wrote it.
    let lz4 = lz4_flex::compress_prepend_size(long.as_bytes());
    store
        .conn
        .execute("UPDATE items SET content = ?1 WHERE guid = 'g1'", [&lz4])
        .unwrap();
    assert_eq!(body("g1").content_html.as_deref(), Some(long.as_str()));
}

/// Items dated in the future sort as the time they arrived, and among themselves by
/// their dates, newest first (they listed in the feed's order: oldest first from a feed
/// written in date order); undated ones of that refresh list below them, in the feed's
/// order, and dated ones by their dates.
#[test]
fn future_dated_items_list_newest_first_above_the_undated() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
    let now = Utc::now();
    let item = |guid: &str, days: Option<i64>| ParsedItem {
        guid: guid.into(),
        title: guid.into(),
        published: days.map(|d| now + chrono::Duration::days(d)),
        ..Default::default()
    };
    let feed = ParsedFeed {
        items: vec![
            item("old", Some(-3)),
            item("undated-a", None),
            item("in-1-day", Some(1)),
            item("undated-b", None),
            item("in-2-days", Some(2)),
            item("in-7-days", Some(7)),
            item("older", Some(-4)),
        ],
        ..Default::default()
    };
    store
        .apply(
            ids[0],
            &PreparedFeed::new(feed),
            &Validators::default(),
            Some(200),
            now,
            0,
        )
        .unwrap();
    let titles: Vec<String> = store
        .items(&ItemQuery::feed(ids[0]), 0, 100)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(
        titles,
        [
            "in-7-days",
            "in-2-days",
            "in-1-day",
            "undated-a",
            "undated-b",
            "old",
            "older"
        ]
    );
}

/// One article's row, as a list shows it, by id; none for an id the cache lacks.
#[test]
fn an_articles_row_is_read_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let (store, ids) = cache(dir.path(), 2);
    let listed = store.items(&ItemQuery::feed(ids[1]), 0, 3).unwrap();
    for row in &listed {
        assert_eq!(store.item_row(row.id).unwrap().as_ref(), Some(row));
    }
    assert_eq!(store.item_row(ItemId(999_999)).unwrap(), None);
}
