//! The index against a real SQLite file: queued on write, taken in before a search,
//! left by deletes, ranked by relevance when few match and by time when many do.

use super::*;
use crate::model::{ItemId, ParsedFeed, ParsedItem, Validators};
use crate::search::{compile, parse, FeedInfo};
use crate::store::{PreparedFeed, Store};
use chrono::{TimeZone, Utc};
use std::collections::HashMap;

fn item(guid: &str, title: &str, body: &str, day: i64) -> ParsedItem {
    ParsedItem {
        guid: guid.into(),
        title: title.into(),
        content_html: Some(body.into()),
        published: Utc.timestamp_opt(1_780_000_000 + day * 86_400, 0).single(),
        ..ParsedItem::default()
    }
}

fn query(store: &Store, ids: &[FeedId], text: &str) -> ItemQuery {
    let names = ["Security Weekly", "Harbour Notes"];
    let tags = [vec!["security".to_string()], vec![]];
    let feeds: Vec<FeedInfo> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| FeedInfo {
            id: *id,
            name: names[i],
            url: "",
            tags: &tags[i],
        })
        .collect();
    let _ = store;
    ItemQuery {
        scope: Scope::Feeds(ids.to_vec()),
        unread_only: false,
        starred_only: false,
        search: Some(compile(&parse(text, Utc::now()).unwrap(), &feeds).unwrap()),
        order: Default::default(),
        stories: false,
    }
}

/// The titles found, sorted (ranking has its own test).
fn titles(store: &Store, q: &ItemQuery) -> Vec<String> {
    let mut t: Vec<String> = store
        .items(q, 0, 100)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    t.sort();
    t
}

#[test]
fn searches_words_phrases_fields_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(2)).unwrap();
    let sec = PreparedFeed::new(ParsedFeed {
        items: vec![
            item(
                "1",
                "Passkeys are here",
                "<p>Rotate your tokens. Caf&eacute; wifi is risky.</p>",
                1,
            ),
            item(
                "2",
                "Weekly digest",
                "<p>Nothing about keys. <script>passkeys</script></p>",
                2,
            ),
            item(
                "3",
                "Sponsored: buy passkeys",
                "<p>An advert for passkeys.</p>",
                3,
            ),
        ],
        ..ParsedFeed::default()
    });
    let harbour = PreparedFeed::new(ParsedFeed {
        items: vec![item(
            "4",
            "Ferry times",
            "<p>The ferry to the café runs on Passkey day.</p>",
            4,
        )],
        ..ParsedFeed::default()
    });
    let now = Utc::now();
    store
        .apply(ids[0], &sec, &Validators::default(), Some(200), now, 0)
        .unwrap();
    store
        .apply(ids[1], &harbour, &Validators::default(), Some(200), now, 0)
        .unwrap();
    assert_eq!(store.index_backlog().unwrap(), 4);
    let mut progress = Vec::new();
    let names: HashMap<FeedId, String> = [(ids[1], "Harbour Notes".to_string())].into();
    assert_eq!(
        store
            .index_all(&names, |d, t| progress.push((d, t)))
            .unwrap(),
        4
    );
    assert_eq!(progress, vec![(4, 4)]);
    assert_eq!(store.index_backlog().unwrap(), 0);

    // Words ignore case and accents; a script's text is not the article's.
    assert_eq!(
        titles(&store, &query(&store, &ids, "PASSKEYS")),
        ["Passkeys are here", "Sponsored: buy passkeys"]
    );
    assert_eq!(
        titles(&store, &query(&store, &ids, "cafe")),
        ["Ferry times", "Passkeys are here"]
    );
    assert_eq!(titles(&store, &query(&store, &ids, "passkey*")).len(), 3);
    assert_eq!(
        titles(&store, &query(&store, &ids, "\"rotate your tokens\"")),
        ["Passkeys are here"]
    );
    assert!(titles(&store, &query(&store, &ids, "\"tokens your\"")).is_empty());
    assert_eq!(
        titles(&store, &query(&store, &ids, "passkeys -sponsored")),
        ["Passkeys are here"]
    );
    assert_eq!(
        titles(&store, &query(&store, &ids, "title:ferry OR title:digest")),
        ["Ferry times", "Weekly digest"]
    );
    assert_eq!(
        titles(&store, &query(&store, &ids, "tag:security cafe")),
        ["Passkeys are here"]
    );
    assert_eq!(
        titles(&store, &query(&store, &ids, "feed:harbour")),
        ["Ferry times"]
    );
    assert_eq!(
        titles(&store, &query(&store, &ids, "-passkey* -ferry")),
        ["Weekly digest"]
    );
    // The feed's name is searched too.
    let ferry = titles(&store, &query(&store, &ids, "harbour"));
    assert_eq!(ferry, ["Ferry times"], "the configured name is indexed");
    // Filters on state and date.
    let first = store
        .items(&query(&store, &ids, "title:\"passkeys are\""), 0, 10)
        .unwrap()[0]
        .id;
    store.set_read(&[first], true).unwrap();
    assert_eq!(
        titles(&store, &query(&store, &ids, "passkeys is:unread")),
        ["Sponsored: buy passkeys"]
    );
    assert_eq!(
        store
            .count_items(&query(&store, &ids, "passkeys is:read"))
            .unwrap(),
        1
    );
    let day3 = Utc
        .timestamp_opt(1_780_000_000 + 3 * 86_400, 0)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        titles(
            &store,
            &query(&store, &ids, &format!("passkey* after:{day3}"))
        ),
        ["Ferry times", "Sponsored: buy passkeys"]
    );
    assert_eq!(
        store
            .count_items(&query(&store, &ids, &format!("passkey* before:{day3}")))
            .unwrap(),
        1
    );
    // Marking a search read marks exactly its matches.
    let marked = store
        .mark_query_read(
            &query(&store, &ids, "ferry"),
            None,
            crate::model::ItemId(i64::MAX),
        )
        .unwrap();
    assert_eq!(marked.len(), 1);
}

#[test]
fn changes_and_deletes_reach_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
    let write = |store: &mut Store, body: &str| {
        let feed = PreparedFeed::new(ParsedFeed {
            items: vec![item("1", "Advisory", body, 1)],
            ..ParsedFeed::default()
        });
        store
            .apply(
                ids[0],
                &feed,
                &Validators::default(),
                Some(200),
                Utc::now(),
                0,
            )
            .unwrap();
        store.index_all(&HashMap::new(), |_, _| {}).unwrap();
    };
    write(&mut store, "<p>old words</p>");
    assert_eq!(titles(&store, &query(&store, &ids, "old")).len(), 1);
    write(&mut store, "<p>new words</p>");
    assert!(
        titles(&store, &query(&store, &ids, "old")).is_empty(),
        "the old text left the index"
    );
    assert_eq!(titles(&store, &query(&store, &ids, "new")).len(), 1);
    store.conn.execute("DELETE FROM items", []).unwrap();
    let left: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM search WHERE search MATCH 'words'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(store.index_backlog().unwrap(), 0);
}

#[test]
fn many_matches_list_newest_first_few_by_relevance() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
    let n = RANK_AT_MOST + 50;
    let items = (0..n)
        .map(|i| {
            // Day order differs from insertion order; item 7 says "kernel" most.
            let day = ((i * 37) % n) as i64;
            let body = if i == 7 {
                "kernel kernel kernel patch"
            } else {
                "kernel patch notes for the week"
            };
            item(&i.to_string(), &format!("Item {i}"), body, day)
        })
        .collect();
    crate::store::test_write(&mut store, ids[0], items);
    store.index_all(&HashMap::new(), |_, _| {}).unwrap();
    // Every item matches: newest first, as the list is sorted.
    let rows = store.items(&query(&store, &ids, "kernel"), 0, 20).unwrap();
    assert_eq!(
        store.count_items(&query(&store, &ids, "kernel")).unwrap(),
        n
    );
    let plain = store.items(&ItemQuery::feed(ids[0]), 0, 20).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        plain.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    // Few match: the most relevant first.
    let ranked = store
        .items(
            &query(&store, &ids, "kernel title:\"item 7\" OR title:\"item 8\""),
            0,
            5,
        )
        .unwrap();
    assert_eq!(ranked[0].title, "Item 7");
    assert_eq!(key(-5_000_000_000, 3) & ID_MASK, 3);
    assert_eq!(key(1_780_000_000, ItemId(9).0) & ID_MASK, 9);
}

#[test]
fn items_changed_before_they_were_indexed_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
    for body in ["<p>one</p>", "<p>two</p>", "<p>three</p>"] {
        let feed = PreparedFeed::new(ParsedFeed {
            items: vec![item("1", "Advisory", body, 1)],
            ..ParsedFeed::default()
        });
        store
            .apply(
                ids[0],
                &feed,
                &Validators::default(),
                Some(200),
                Utc::now(),
                0,
            )
            .unwrap();
    }
    store.index_all(&HashMap::new(), |_, _| {}).unwrap();
    assert_eq!(titles(&store, &query(&store, &ids, "three")).len(), 1);
    assert!(titles(&store, &query(&store, &ids, "two")).is_empty());
}

/// An article still waiting for the index when its full text arrives (an update of an
/// article whose id is already queued: the trigger of migration 19 must not refuse it)
/// is queued once and indexed with the full text.
#[test]
fn a_full_text_for_an_article_still_waiting_is_indexed_once() {
    let (_dir, mut store, ids) = crate::store::test_store(1);
    crate::store::test_write(
        &mut store,
        ids[0],
        vec![item("1", "Advisory", "<p>short</p>", 1)],
    );
    let id: i64 = store
        .conn
        .query_row("SELECT id FROM items", [], |r| r.get(0))
        .unwrap();
    let page = crate::fulltext::Extracted {
        title: "Advisory".into(),
        byline: None,
        site_name: None,
        excerpt: None,
        html: "<p>the whole page says quokka</p>".into(),
        url: "https://example.com/a".into(),
    };
    store.set_full_text(ItemId(id), Ok(&page)).unwrap();
    let queued: i64 = store
        .conn
        .query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))
        .unwrap();
    assert_eq!(queued, 1);
    store.index_all(&HashMap::new(), |_, _| {}).unwrap();
    assert_eq!(
        titles(&store, &query(&store, &ids, "quokka")),
        vec!["Advisory"]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// Whatever is typed, a query that parses runs: FTS5 never sees its own syntax.
    #[test]
    fn any_query_that_parses_runs(text in "[a-zé\"()*:^{}+.,;'-]{0,6}( ?(OR|NEAR|AND|NOT|title:|author:|-|\\*|\"|\\(|\\)|[a-z0-9é]{1,5}|[^ ]{1,3})){0,8}") {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
        let feed = PreparedFeed::new(ParsedFeed {
            items: vec![item("1", "Title words", "<p>body words</p>", 1)],
            ..ParsedFeed::default()
        });
        store.apply(ids[0], &feed, &Validators::default(), Some(200), Utc::now(), 0).unwrap();
        store.index_all(&HashMap::new(), |_, _| {}).unwrap();
        if let Ok(parsed) = parse(&text, Utc::now()) {
            if let Ok(search) = compile(&parsed, &[]) {
                let q = ItemQuery { scope: Scope::Feeds(ids.clone()), unread_only: false, starred_only: false, search: Some(search), order: Default::default(), stories: false };
                let rows = store.items(&q, 0, 10);
                proptest::prop_assert!(rows.is_ok(), "{text:?}: {rows:?}");
                proptest::prop_assert!(store.count_items(&q).is_ok(), "{text:?}");
            }
        }
    }
}

#[test]
fn every_order_lists_and_marks_above_consistently() {
    use crate::store::Order;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(3)).unwrap();
    for (f, id) in ids.iter().enumerate() {
        let items = (0..6)
            .map(|i| {
                item(
                    &format!("{f}-{i}"),
                    &format!("{} title {f}{i}", ["b", "A", "c"][i % 3]),
                    "<p>x</p>",
                    (i * 3 + f) as i64 % 7,
                )
            })
            .collect();
        crate::store::test_write(&mut store, *id, items);
    }
    let all: Vec<ItemId> = (1..=18).filter(|i| i % 4 == 0).map(ItemId).collect();
    store.set_read(&all, true).unwrap();
    for order in Order::ALL {
        let q = ItemQuery {
            order,
            stories: false,
            ..ItemQuery {
                scope: Scope::Feeds(ids.clone()),
                unread_only: false,
                starred_only: false,
                search: None,
                order,
                stories: false,
            }
        };
        let rows = store.items(&q, 0, 100).unwrap();
        assert_eq!(rows.len(), 18, "{order:?}");
        // Each order's own rule holds between neighbours.
        for w in rows.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let ok = match order {
                Order::Newest => a.published >= b.published,
                Order::Oldest => a.published <= b.published,
                Order::UnreadFirst => (a.read as u8) <= (b.read as u8),
                Order::Feed => a.feed_id <= b.feed_id,
                Order::Title => a.title.to_lowercase() <= b.title.to_lowercase(),
            };
            assert!(ok, "{order:?}: {a:?} before {b:?}");
        }
        // Paging agrees with the whole list.
        let page: Vec<ItemId> = store
            .items(&q, 5, 4)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            page,
            rows[5..9].iter().map(|r| r.id).collect::<Vec<_>>(),
            "{order:?}"
        );
        // Above the 7th row: exactly the unread among the first six.
        let marked = store
            .mark_query_read(&q, Some(rows[6].id), crate::model::ItemId(i64::MAX))
            .unwrap();
        let mut want: Vec<ItemId> = rows[..6].iter().filter(|r| !r.read).map(|r| r.id).collect();
        let mut got = marked.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{order:?}");
        store.set_read(&marked, false).unwrap();
    }
}

/// The words indexed are those the reader shows: the full text once it came, else the
/// content, else the summary, whichever is the first with any words; and many articles
/// in one batch (their words unpacked on a second thread) each keep their own.
#[test]
fn the_index_takes_the_text_the_reader_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
    let mut items: Vec<ParsedItem> = (0..300)
        .map(|i| {
            item(
                &format!("g{i}"),
                &format!("Issue {i}"),
                &format!("<p>word{i} here</p>"),
                i,
            )
        })
        .collect();
    // Blank content, or none: the summary is the text (as in the reader).
    items[0].content_html = Some(" \n ".into());
    items[0].summary_html = Some("<p>lighthouse keepers</p>".into());
    items[1].content_html = None;
    items[1].summary_html = Some("<p>tidal charts</p>".into());
    let feed = PreparedFeed::new(ParsedFeed {
        items,
        ..ParsedFeed::default()
    });
    store
        .apply(
            ids[0],
            &feed,
            &Validators::default(),
            Some(500),
            Utc::now(),
            0,
        )
        .unwrap();
    store.index_all(&HashMap::new(), |_, _| {}).unwrap();
    let found = |store: &Store, text: &str| titles(store, &query(store, &ids, text));
    assert_eq!(found(&store, "lighthouse"), ["Issue 0"]);
    assert_eq!(found(&store, "tidal"), ["Issue 1"]);
    assert_eq!(found(&store, "word2"), ["Issue 2"]);
    assert_eq!(found(&store, "word299"), ["Issue 299"]);
    assert_eq!(
        found(&store, "here").len(),
        100,
        "the first page of 298 matches"
    );

    // The full text, when it comes, replaces the content in the index.
    let two = store.items(&query(&store, &ids, "word2"), 0, 1).unwrap()[0].id;
    let page = crate::fulltext::Extracted {
        title: "Issue 2".into(),
        byline: None,
        site_name: None,
        excerpt: None,
        html: "<p>the whole article about estuaries</p>".into(),
        url: "http://127.0.0.1:1/2".into(),
    };
    store.set_full_text(two, Ok(&page)).unwrap();
    store.index_all(&HashMap::new(), |_, _| {}).unwrap();
    assert_eq!(found(&store, "estuaries"), ["Issue 2"]);
    assert!(found(&store, "word2").is_empty());
}

/// The index writes its pending terms out at 16 MiB, not FTS5's 1 MiB (migration 18).
#[test]
fn the_index_keeps_a_big_hash_of_pending_terms() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache.db")).unwrap();
    let size: i64 = store
        .conn
        .query_row(
            "SELECT v FROM search_config WHERE k = 'hashsize'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(size, 16 * 1024 * 1024);
}
