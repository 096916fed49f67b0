//! Grouping in a real SQLite file: a refresh killed between writing its articles and
//! grouping them, a story listed by the copy a search finds, and the list's own test
//! held to the copies.

use super::*;
use crate::model::{ParsedFeed, ParsedItem};
use crate::store::{ItemQuery, PreparedFeed, Scope, Store};
use chrono::{TimeZone, Utc};

const TEXT: &str = "<p>The harbour authority approved the new container terminal on Monday after a vote that took three hours.</p>";

pub(super) fn item(guid: &str, link: &str, body: &str) -> ParsedItem {
    ParsedItem {
        guid: guid.into(),
        title: format!("Title {guid}"),
        link: Some(link.into()),
        published: Some(Utc.with_ymd_and_hms(2026, 11, 10, 8, 0, 0).unwrap()),
        content_html: Some(body.into()),
        ..ParsedItem::default()
    }
}

pub(super) fn feed(items: Vec<ParsedItem>) -> PreparedFeed {
    PreparedFeed::new(ParsedFeed {
        items,
        ..Default::default()
    })
}

fn open() -> (tempfile::TempDir, Store, Vec<FeedId>) {
    open_with(2)
}

pub(super) fn open_with(feeds: usize) -> (tempfile::TempDir, Store, Vec<FeedId>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(feeds)).unwrap();
    (dir, store, ids)
}

/// A refresh of one feed that brought `items` at `at`, grouped at once by keys and by
/// text (as the next reader does).
pub(super) fn put(
    store: &mut Store,
    feed_id: FeedId,
    items: Vec<ParsedItem>,
    at: chrono::DateTime<Utc>,
) {
    store
        .apply(feed_id, &feed(items), &Default::default(), Some(200), at, 0)
        .unwrap();
    store.group_all_texts(at.timestamp(), |_, _| {}).unwrap();
}

pub(super) fn story_of(store: &Store, guid: &str) -> i64 {
    store
        .conn
        .query_row(
            "SELECT coalesce(story, id) FROM items WHERE guid = ?1",
            [guid],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn articles_a_killed_refresh_left_ungrouped_are_grouped_by_the_next() {
    let (_dir, mut store, ids) = open();
    let now = Utc::now();
    let page = "https://ledger.example/2026/terminal";
    store
        .apply(
            ids[0],
            &feed(vec![item("a-1", page, TEXT)]),
            &Default::default(),
            Some(200),
            now,
            0,
        )
        .unwrap();
    // Written, and the process dies before grouping: the arrivals are dropped.
    let stats = store
        .apply_ungrouped(
            ids[1],
            &feed(vec![item("b-1", &format!("{page}?utm_source=rss"), TEXT)]),
            &Default::default(),
            Some(200),
            now,
            0,
        )
        .unwrap();
    assert_eq!(stats.arrivals.len(), 1);
    drop(stats);
    assert_ne!(story_of(&store, "a-1"), story_of(&store, "b-1"));
    // A refresh running now has not been away long enough to be taken for dead.
    store.group_stories(&[], now.timestamp()).unwrap();
    assert_ne!(story_of(&store, "a-1"), story_of(&store, "b-1"));
    // Later, the next refresh's grouping finds it waiting and works its keys out again.
    store
        .group_stories(&[], now.timestamp() + ORPHANED_AFTER + 1)
        .unwrap();
    assert_eq!(story_of(&store, "a-1"), story_of(&store, "b-1"));
    // Both wait for their text, to be sketched (and compared).
    assert_eq!(store.story_backlog().unwrap(), 2);
    store.group_all_texts(now.timestamp(), |_, _| {}).unwrap();
    let waiting: i64 = store
        .conn
        .query_row("SELECT count(*) FROM story_pending", [], |r| r.get(0))
        .unwrap();
    assert_eq!(waiting, 0);
}

#[test]
fn a_search_lists_a_story_by_a_copy_that_has_the_words() {
    let (_dir, mut store, ids) = open();
    let page = "https://ledger.example/2026/terminal";
    let now = Utc::now();
    store
        .apply(
            ids[0],
            &feed(vec![item("a-1", page, "<p>Short summary.</p>")]),
            &Default::default(),
            Some(200),
            now,
            0,
        )
        .unwrap();
    store
        .apply(
            ids[1],
            &feed(vec![item("b-1", page, TEXT)]),
            &Default::default(),
            Some(200),
            now,
            0,
        )
        .unwrap();
    assert_eq!(story_of(&store, "a-1"), story_of(&store, "b-1"));
    store.index_all(&Default::default(), |_, _| {}).unwrap();
    let search = |text: &str| {
        let q = crate::search::compile(&crate::search::parse(text, now).unwrap(), &[]).unwrap();
        let query = ItemQuery {
            scope: Scope::Feeds(ids.clone()),
            unread_only: false,
            starred_only: false,
            search: Some(q),
            order: Default::default(),
            stories: true,
        };
        let rows = store.items(&query, 0, 10).unwrap();
        assert_eq!(store.count_items(&query).unwrap(), rows.len());
        rows.iter().map(|r| r.title.clone()).collect::<Vec<_>>()
    };
    // Only the second copy has the words: the story is listed, by that copy.
    assert_eq!(search("container terminal"), ["Title b-1"]);
    // Both have these: listed once, by the first.
    assert_eq!(search("summary OR terminal"), ["Title a-1"]);
}

/// One story by its link, in the first two feeds: `a-1` and `b-1`.
fn copies_of(store: &mut Store, ids: &[FeedId], page: &str, now: chrono::DateTime<Utc>) {
    for (feed_id, guid) in [(ids[0], "a-1"), (ids[1], "b-1")] {
        store
            .apply(
                feed_id,
                &feed(vec![item(guid, page, TEXT)]),
                &Default::default(),
                Some(200),
                now,
                0,
            )
            .unwrap();
    }
}

#[test]
fn all_unread_keeps_a_story_whose_first_copy_was_read_alone() {
    let (_dir, mut store, ids) = open();
    let page = "https://ledger.example/2026/terminal";
    let now = Utc::now();
    copies_of(&mut store, &ids, page, now);
    // A server's own state reads one copy only (see apply_remote_state).
    store
        .conn
        .execute("INSERT INTO story_quiet VALUES (1)", [])
        .unwrap();
    store
        .conn
        .execute("UPDATE items SET is_read = 1 WHERE guid = 'a-1'", [])
        .unwrap();
    store.conn.execute("DELETE FROM story_quiet", []).unwrap();
    let unread = ItemQuery {
        scope: Scope::Feeds(ids.clone()),
        unread_only: true,
        starred_only: false,
        search: None,
        order: Default::default(),
        stories: true,
    };
    let rows = store.items(&unread, 0, 10).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].title, "Title b-1");
    assert_eq!(rows[0].copies, 1);
    assert_eq!(store.unread_copies(&ids).unwrap(), 0);
}

/// All unread's count over the listed feeds: a copy in a feed the cache holds but the
/// list leaves out (a config that no longer has it) takes nothing off the count. It took
/// one off for each such copy, down to `All unread (1)` over a dozen unread rows.
#[test]
fn copies_in_feeds_not_listed_do_not_lower_all_unread() {
    let (_dir, mut store, ids) = open();
    let page = "https://ledger.example/2026/harbour";
    let now = Utc::now();
    copies_of(&mut store, &ids, page, now);
    store.group_stories(&[], now.timestamp()).unwrap();
    assert_eq!(
        store.unread_copies(&ids).unwrap(),
        1,
        "one story, two copies"
    );
    assert_eq!(store.unread_copies(&ids[..1]).unwrap(), 0);
    assert_eq!(store.unread_copies(&ids[1..2]).unwrap(), 0);
    assert_eq!(store.unread_copies(&[]).unwrap(), 0);
    // What the tags' counts are made of: both copies, one story, unread.
    let grouped = store.grouped_articles().unwrap();
    assert_eq!(grouped.len(), 2, "{grouped:?}");
    assert_eq!(grouped[0].1, grouped[1].1);
    assert!(grouped.iter().all(|g| g.2));
}

/// Thousands of feeds: the copies' test takes the list's feeds as one argument, so the
/// list of all of them stays within SQLite's limit on arguments (the list of everything
/// passes them twice over already).
#[test]
fn a_list_over_ten_thousand_feeds_shows_one_row_per_story() {
    let (_dir, mut store, ids) = open();
    let page = "https://ledger.example/2026/terminal";
    let now = Utc::now();
    copies_of(&mut store, &ids, page, now);
    let mut many = ids.clone();
    many.extend((1_000..11_000).map(FeedId));
    let all = ItemQuery {
        scope: Scope::Feeds(many),
        unread_only: false,
        starred_only: false,
        search: None,
        order: Default::default(),
        stories: true,
    };
    let rows = store.items(&all, 0, 10).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(store.count_items(&all).unwrap(), 1);
}

pub(super) const WIRE: [&str; 4] = [
    "<p>Regulators in three countries opened an inquiry on Thursday into how the payments company handled a data breach that exposed the card details of several million customers over the summer months.</p>",
    "<p>The company said it had notified every affected customer and replaced the compromised cards, and that it was cooperating fully with the authorities in each country where the inquiry was opened.</p>",
    "<p>Analysts said fines could reach a tenth of annual revenue under the rules that came into force two years ago, though earlier cases had ended with far smaller penalties after lengthy appeals.</p>",
    "<p>Shares in the company fell by four per cent in early trading before recovering some of the loss by the afternoon, as investors weighed the likely cost of the inquiry against strong quarterly results.</p>",
];

pub(super) const OTHER: &str = "<p>The city library will stay open until midnight during the exam weeks, the council said, after students collected more than four thousand signatures asking for longer hours and quiet rooms on every floor of the old building by the river.</p>";

pub(super) fn dated(guid: &str, link: &str, body: &str, day: u32) -> ParsedItem {
    ParsedItem {
        published: Some(Utc.with_ymd_and_hms(2026, 10, day, 8, 0, 0).unwrap()),
        ..item(guid, link, body)
    }
}

#[test]
fn a_text_copy_is_found_among_the_sketches_an_earlier_refresh_stored() {
    let (_dir, mut store, ids) = open_with(3);
    let now = Utc::now();
    let apply = |store: &mut Store, feed_id, items| put(store, feed_id, items, now);
    let whole = WIRE.concat();
    // The first refresh brings the story to one feed, and one an unrelated text.
    apply(
        &mut store,
        ids[0],
        vec![
            dated("w-1", "https://wire.example/a/1", &whole, 2),
            dated("w-gone", "https://wire.example/a/2", OTHER, 2),
        ],
    );
    // The story's text under another headline and link, a paragraph cut and a line
    // added, a day later; and the same text a month later in a third feed (another
    // issue, not a copy).
    let copy = format!(
        "{}{}<p>Reporting by the desk.</p>",
        WIRE[0],
        WIRE[2..].concat()
    );
    // Its near twin is purged before the next refresh; its sketch and bands stay until
    // the pruning, and must find nothing.
    store
        .conn
        .execute("DELETE FROM items WHERE guid = 'w-gone'", [])
        .unwrap();
    apply(
        &mut store,
        ids[1],
        vec![dated(
            "r-1",
            "https://relay.example/story/payments-inquiry",
            &copy,
            3,
        )],
    );
    apply(
        &mut store,
        ids[2],
        vec![dated(
            "r-late",
            "https://late.example/story/again",
            &whole,
            30,
        )],
    );
    assert_eq!(story_of(&store, "w-1"), story_of(&store, "r-1"));
    assert_ne!(story_of(&store, "w-1"), story_of(&store, "r-late"));
}

fn band_rows(store: &Store) -> i64 {
    store
        .conn
        .query_row("SELECT count(*) FROM story_band_keys", [], |r| r.get(0))
        .unwrap()
}

/// Words are hashed anew and the band index changed form (migration 17): the articles
/// whose sketches are kept are sketched and banded again, so that a story filed before
/// the upgrade still finds its copies by text after it.
#[test]
fn sketches_filed_before_the_band_index_changed_form_still_find_their_copies() {
    let (_dir, mut store, ids) = open_with(3);
    let now = Utc::now();
    let whole = WIRE.concat();
    let apply = |store: &mut Store, feed_id, items| put(store, feed_id, items, now);
    apply(
        &mut store,
        ids[0],
        vec![dated("w-1", "https://wire.example/a/1", &whole, 2)],
    );
    assert!(band_rows(&store) > 0);
    // The index as the migration leaves it: empty. Without its rebuilding, a copy
    // arriving now finds nothing by text.
    store
        .conn
        .execute_batch("DELETE FROM story_band_keys")
        .unwrap();
    apply(
        &mut store,
        ids[1],
        vec![dated("r-1", "https://relay.example/s/1", &whole, 2)],
    );
    assert_ne!(story_of(&store, "w-1"), story_of(&store, "r-1"));
    // With it (the migration asks for it), the next copy finds the first, whose sketch
    // was made another way.
    store
        .conn
        .execute_batch(
            "DELETE FROM story_band_keys;
             UPDATE story_sketches SET sketch = zeroblob(length(sketch));
             INSERT INTO meta (key, value) VALUES ('stories.resketch', '1')",
        )
        .unwrap();
    apply(
        &mut store,
        ids[2],
        vec![dated("p-1", "https://proxy.example/x/1", &whole, 3)],
    );
    assert!(
        [story_of(&store, "w-1"), story_of(&store, "r-1")].contains(&story_of(&store, "p-1")),
        "the copy after the rebuild joined neither earlier copy"
    );
    let asked: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM meta WHERE key = 'stories.resketch'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(asked, 0, "the rebuild is done once");
}

/// Sketches are kept a month after their article arrived; their rows of the band index
/// go with them, and a newer article's stay.
#[test]
fn the_pruning_forgets_old_sketches_and_their_band_rows() {
    let (_dir, mut store, ids) = open_with(2);
    let now = Utc::now();
    let old = now - chrono::Duration::days(SKETCH_DAYS + 1);
    put(
        &mut store,
        ids[0],
        vec![dated("w-1", "https://wire.example/a/1", &WIRE.concat(), 2)],
        old,
    );
    let first = band_rows(&store);
    assert!(first > 0);
    put(
        &mut store,
        ids[1],
        vec![dated("o-1", "https://other.example/b/1", OTHER, 2)],
        now,
    );
    let both = band_rows(&store);
    assert!(both > first);
    store.keep_stories(Mode::On, now.timestamp()).unwrap();
    assert_eq!(band_rows(&store), both - first);
    let sketches: Vec<String> = store
        .conn
        .prepare("SELECT i.guid FROM story_sketches s JOIN items i ON i.id = s.item")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(sketches, ["o-1"]);
}

/// Each connection keeps in memory which bands the text index may have; a band another
/// process filed meanwhile (a cron refresh beside the TUI) must still be looked up.
#[test]
fn a_text_copy_filed_by_another_connection_is_found() {
    let (dir, mut tui, ids) = open_with(3);
    let mut cron = Store::open(&dir.path().join("cache.db")).unwrap();
    let now = Utc::now();
    let whole = WIRE.concat();
    let apply = |store: &mut Store, feed_id, items| put(store, feed_id, items, now);
    // The first connection groups once (its bands are known to it), then another
    // connection files a story, and the first gets a copy of it.
    apply(
        &mut tui,
        ids[0],
        vec![dated("o-1", "https://other.example/b/1", OTHER, 2)],
    );
    apply(
        &mut cron,
        ids[1],
        vec![dated("w-1", "https://wire.example/a/1", &whole, 2)],
    );
    apply(
        &mut tui,
        ids[2],
        vec![dated("r-1", "https://relay.example/s/1", &whole, 2)],
    );
    assert_eq!(story_of(&tui, "w-1"), story_of(&tui, "r-1"));
    assert_ne!(story_of(&tui, "o-1"), story_of(&tui, "r-1"));
}

/// An article a filter hid joins no story: its copy in another feed, arriving after it,
/// arrives unread (it took the hidden copy's read mark, and was never seen), and lists
/// no hidden copy as another of its story.
#[test]
fn a_hidden_article_joins_no_story() {
    let (_dir, mut store, ids) = open();
    let page = "https://ledger.example/2026/terminal";
    let now = Utc::now();
    let mut sponsored = feed(vec![item("a-1", page, TEXT)]);
    sponsored.items[0].arrival.hidden = true;
    sponsored.items[0].arrival.read = true;
    store
        .apply(ids[0], &sponsored, &Default::default(), Some(200), now, 0)
        .unwrap();
    store.group_all_texts(now.timestamp(), |_, _| {}).unwrap();
    put(&mut store, ids[1], vec![item("b-1", page, TEXT)], now);
    let (read, story): (bool, Option<i64>) = store
        .conn
        .query_row(
            "SELECT is_read, story FROM items WHERE guid = 'b-1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(!read, "the real article arrives unread");
    assert_ne!(
        story_of(&store, "a-1"),
        story_of(&store, "b-1"),
        "{story:?}"
    );
    let b = store
        .items(&ItemQuery::feed(ids[1]), 0, 1)
        .unwrap()
        .remove(0);
    assert!(store.copies(b.id).unwrap().is_empty());
}
