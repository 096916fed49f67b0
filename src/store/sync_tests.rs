use super::*;
use crate::model::ItemId;

fn feed(id: &str, url: &str, groups: &[&str]) -> RemoteFeed {
    RemoteFeed {
        id: id.into(),
        title: format!("Feed {id}"),
        url: url.into(),
        site_url: None,
        groups: groups.iter().map(|g| g.to_string()).collect(),
    }
}

fn item(id: &str, feed: &str, read: bool) -> RemoteItem {
    RemoteItem {
        id: id.into(),
        feed_id: feed.into(),
        title: format!("Item {id}"),
        author: None,
        html: format!(
            "<p>Body of {id}, long enough to be compressed: {}</p>",
            "x".repeat(300)
        ),
        url: None,
        published: Some(1_764_000_000),
        read,
        starred: false,
        enclosures: Vec::new(),
    }
}

/// The queued marks as (server id, mark), by server id.
fn queued(store: &Store) -> Vec<(String, Mark)> {
    let mut marks: Vec<(String, Mark)> = store
        .queued_marks()
        .unwrap()
        .into_iter()
        .map(|m| (m.remote_id, m.mark))
        .collect();
    marks.sort_by(|a, b| a.0.cmp(&b.0));
    marks
}

fn set(ids: &[&str]) -> HashSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn local_id(store: &Store, remote: &str) -> ItemId {
    ItemId(
        store
            .conn
            .query_row("SELECT id FROM items WHERE remote_id = ?1", [remote], |r| {
                r.get(0)
            })
            .unwrap(),
    )
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache.db")).unwrap();
    (dir, store)
}

#[test]
fn feeds_and_items_arrive_with_their_server_ids() {
    let (_dir, mut store) = open();
    let ids = store
        .apply_remote_feeds(
            &[
                feed("1", "https://a.example/feed", &["security", "weekly"]),
                feed("2", "https://b.example/rss", &[]),
            ],
            &[],
        )
        .unwrap();
    let synced = store.synced_feeds().unwrap();
    assert_eq!(synced.len(), 2);
    assert_eq!(synced[0].groups, ["security", "weekly"]);
    assert_eq!(synced[0].title.as_deref(), Some("Feed 1"));
    let items = [
        item("10", "1", false),
        item("11", "1", true),
        item("12", "9", false),
    ];
    assert_eq!(
        store
            .insert_remote_items(&items, &ids, 1_764_000_100)
            .unwrap(),
        2
    );
    // Again: nothing new, and an unknown feed's article is skipped.
    assert_eq!(
        store
            .insert_remote_items(&items, &ids, 1_764_000_100)
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .missing_remote_items(&["10".into(), "12".into()])
            .unwrap(),
        ["12"]
    );
    let one = store.item(local_id(&store, "10")).unwrap().unwrap();
    assert!(one.content_html.unwrap().starts_with("<p>Body of 10"));
    assert!(!one.read);
    assert!(store.item(local_id(&store, "11")).unwrap().unwrap().read);
}

#[test]
fn marks_here_are_queued_and_win_over_the_servers_older_state() {
    let (_dir, mut store) = open();
    let ids = store
        .apply_remote_feeds(&[feed("1", "https://a.example/feed", &[])], &[])
        .unwrap();
    let items = [
        item("10", "1", false),
        item("11", "1", false),
        item("12", "1", false),
    ];
    store.insert_remote_items(&items, &ids, 0).unwrap();
    assert_eq!(
        store.queued_mark_count().unwrap(),
        0,
        "arrival queues nothing"
    );
    let ten = local_id(&store, "10");
    store.set_read(&[ten], true).unwrap();
    store.set_starred(local_id(&store, "11"), true).unwrap();
    let queued = store.queued_marks().unwrap();
    let marks: Vec<(&str, Mark)> = queued
        .iter()
        .map(|m| (m.remote_id.as_str(), m.mark))
        .collect();
    assert_eq!(marks, [("10", Mark::Read), ("11", Mark::Star)]);
    // The server still says all three are unread and none starred: the queued marks
    // stand, the server's state decides the rest, and its writes queue nothing.
    let changed = store
        .apply_remote_state(&set(&["10", "11"]), &set(&[]))
        .unwrap();
    assert_eq!(changed, 1, "12 became read");
    assert!(store.item(ten).unwrap().unwrap().read);
    assert!(store.item(local_id(&store, "11")).unwrap().unwrap().starred);
    assert!(store.item(local_id(&store, "12")).unwrap().unwrap().read);
    assert_eq!(store.queued_marks().unwrap(), queued);
    // Once pushed, the queue empties and the server's state applies to all.
    let seqs: Vec<i64> = queued.iter().map(|m| m.seq).collect();
    store.unqueue_marks(&seqs).unwrap();
    store
        .apply_remote_state(&set(&["10", "11", "12"]), &set(&[]))
        .unwrap();
    assert!(!store.item(ten).unwrap().unwrap().read);
    assert_eq!(store.queued_mark_count().unwrap(), 0);
}

#[test]
fn a_feed_the_server_drops_goes_with_its_unstarred_articles() {
    let (_dir, mut store) = open();
    let ids = store
        .apply_remote_feeds(
            &[
                feed("1", "https://a.example/feed", &[]),
                feed("2", "https://b.example/rss", &[]),
            ],
            &[],
        )
        .unwrap();
    let mut starred = item("21", "2", true);
    starred.starred = true;
    store
        .insert_remote_items(
            &[item("20", "2", false), starred, item("10", "1", false)],
            &ids,
            0,
        )
        .unwrap();
    store
        .apply_remote_feeds(&[feed("1", "https://a.example/feed", &[])], &[])
        .unwrap();
    assert_eq!(store.synced_feeds().unwrap().len(), 1);
    assert_eq!(
        store
            .missing_remote_items(&["20".into(), "21".into()])
            .unwrap(),
        ["20"]
    );
    // A feed the config lists keeps its articles when the server drops it.
    store
        .apply_remote_feeds(&[], &["https://a.example/feed"])
        .unwrap();
    assert!(store
        .missing_remote_items(&["10".into()])
        .unwrap()
        .is_empty());
    assert!(store.feed_id("https://a.example/feed").unwrap().is_some());
}

/// Issue 26, item 3: greader then fever on one server. The starred article, the read
/// one and the mark queued under the old account are carried over by feed URL and
/// article link: nothing new, nothing orphaned, the queued unstar reaches the new ids.
#[test]
fn another_account_takes_over_the_articles_by_feed_url_and_link() {
    let (_dir, mut store) = open();
    store
        .start_sync_account("greader https://one.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("feed/1", "https://a.example/feed", &[])], &[])
        .unwrap();
    let linked = |id: &str, link: &str, starred: bool| RemoteItem {
        url: Some(link.into()),
        starred,
        ..item(id, "feed/1", false)
    };
    store
        .insert_remote_items(
            &[
                linked("tag:1", "https://a.example/1", true),
                linked("tag:2", "https://a.example/2", false),
            ],
            &ids,
            0,
        )
        .unwrap();
    let one = local_id(&store, "tag:1");
    store.set_starred(one, false).unwrap();
    store.set_meta("sync.cursor", "10").unwrap();
    assert_eq!(store.queued_marks().unwrap().len(), 1);

    store
        .start_sync_account("fever https://one.example alice")
        .unwrap();
    assert_eq!(store.meta("sync.cursor").unwrap(), None);
    assert!(store.synced_feeds().unwrap().is_empty());
    assert!(
        store.queued_marks().unwrap().is_empty(),
        "not pushed to the new ids yet"
    );
    assert_eq!(store.carried_mark_count().unwrap(), 1, "kept, not dropped");

    let ids = store
        .apply_remote_feeds(&[feed("7", "https://a.example/feed", &[])], &[])
        .unwrap();
    let feed_id = store.feed_id("https://a.example/feed").unwrap().unwrap();
    assert_eq!(ids["7"], feed_id, "the feed row is taken over by URL");
    let fever = |id: &str, link: &str| RemoteItem {
        url: Some(link.into()),
        ..item(id, "7", false)
    };
    let added = store
        .insert_remote_items(
            &[
                fever("501", "https://a.example/1"),
                fever("502", "https://a.example/2"),
            ],
            &ids,
            0,
        )
        .unwrap();
    assert_eq!(added, 0, "no article is new");
    assert_eq!(local_id(&store, "501"), one, "same row, new id");
    let marks = queued(&store);
    assert_eq!(marks, [("501".to_string(), Mark::Unstar)]);
    assert_eq!(store.carried_mark_count().unwrap(), 0);
}

/// Articles that share a link (a comic's every strip; a post and its follow-up) are
/// taken over by their titles, never by the link alone: marks went to another strip.
#[test]
fn articles_sharing_a_link_are_taken_over_by_title() {
    let (_dir, mut store) = open();
    store
        .start_sync_account("greader https://one.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("feed/1", "https://a.example/feed", &[])], &[])
        .unwrap();
    let strip = |id: &str, title: &str, feed: &str| RemoteItem {
        url: Some("https://a.example/".into()),
        title: title.into(),
        ..item(id, feed, false)
    };
    let old: Vec<RemoteItem> = (0..4)
        .map(|n| strip(&format!("tag:{n}"), &format!("Strip {n}"), "feed/1"))
        .chain([strip("tag:9", "Article 28", "feed/1")])
        .collect();
    store.insert_remote_items(&old, &ids, 0).unwrap();
    let two = local_id(&store, "tag:2");
    let post = local_id(&store, "tag:9");
    store.set_read(&[two, post], true).unwrap();

    store
        .start_sync_account("fever https://two.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("7", "https://a.example/feed", &[])], &[])
        .unwrap();
    // The new server lists them in another order, and a follow-up with the same link.
    let new: Vec<RemoteItem> = [3, 2, 1, 0]
        .iter()
        .map(|n| strip(&format!("5{n}"), &format!("Strip {n}"), "7"))
        .chain([
            strip("60", "Article 28 follow-up", "7"),
            strip("61", "Article 28", "7"),
        ])
        .collect();
    let added = store.insert_remote_items(&new, &ids, 0).unwrap();
    assert_eq!(added, 1, "only the follow-up is new");
    assert_eq!(local_id(&store, "52"), two);
    assert_eq!(local_id(&store, "61"), post);
    let marks: Vec<String> = queued(&store).into_iter().map(|m| m.0).collect();
    assert_eq!(marks, ["52", "61"]);
}

/// A daily digest: one link and one title for every day's issue. The cache's
/// yesterday is taken by the server's yesterday (by its date), never by today's, which
/// comes new and unread (it was marked read on the server unseen).
#[test]
fn issues_sharing_a_link_and_a_title_are_told_apart_by_date() {
    let (_dir, mut store) = open();
    store
        .start_sync_account("greader https://one.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("feed/1", "https://a.example/feed", &[])], &[])
        .unwrap();
    let digest = |id: &str, day: i64, feed: &str| RemoteItem {
        url: Some("https://a.example/digest".into()),
        title: "Daily digest".into(),
        published: Some(1_764_000_000 + day * 86_400),
        ..item(id, feed, false)
    };
    store
        .insert_remote_items(&[digest("old:1", 1, "feed/1")], &ids, 0)
        .unwrap();
    let yesterday = local_id(&store, "old:1");
    store.set_read(&[yesterday], true).unwrap();
    store
        .start_sync_account("fever https://two.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("7", "https://a.example/feed", &[])], &[])
        .unwrap();
    // Newest first, as the Google Reader API lists them.
    let added = store
        .insert_remote_items(&[digest("92", 2, "7"), digest("91", 1, "7")], &ids, 0)
        .unwrap();
    assert_eq!(added, 1, "today's is new");
    assert_eq!(local_id(&store, "91"), yesterday);
    let marks: Vec<String> = queued(&store).into_iter().map(|m| m.0).collect();
    assert_eq!(marks, ["91"], "no mark for today's");
}

/// Stars and read marks the account before already had (none queued) go to the new
/// account when their articles are taken over: its state said unstarred and unread, and
/// the next sync undid them here.
#[test]
fn what_the_account_before_had_read_and_starred_goes_to_the_new_one() {
    let (_dir, mut store) = open();
    store
        .start_sync_account("greader https://one.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("feed/1", "https://a.example/feed", &[])], &[])
        .unwrap();
    let linked = |id: &str, n: u32, read: bool, starred: bool, feed: &str| RemoteItem {
        url: Some(format!("https://a.example/{n}")),
        title: format!("Post {n}"),
        starred,
        ..item(id, feed, read)
    };
    let old = [
        linked("tag:1", 1, false, true, "feed/1"),
        linked("tag:2", 2, true, false, "feed/1"),
        linked("tag:3", 3, false, false, "feed/1"),
    ];
    store.insert_remote_items(&old, &ids, 0).unwrap();
    assert!(store.queued_marks().unwrap().is_empty());
    store
        .start_sync_account("greader https://two.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("feed/9", "https://a.example/feed", &[])], &[])
        .unwrap();
    // The new account has 3 read on its own, which stays so.
    let new = [
        linked("b1", 1, false, false, "feed/9"),
        linked("b2", 2, false, false, "feed/9"),
        linked("b3", 3, true, false, "feed/9"),
    ];
    assert_eq!(store.insert_remote_items(&new, &ids, 0).unwrap(), 0);
    let marks = queued(&store);
    assert_eq!(
        marks,
        [
            ("b1".to_string(), Mark::Star),
            ("b2".to_string(), Mark::Read)
        ]
    );
}

/// A config feed fetched here before the server synced it: the server's copies of its
/// articles take the rows it has (by link and title), not come again beside them, and
/// what was read here goes to the server.
#[test]
fn a_config_feed_the_server_also_has_keeps_its_rows() {
    let (_dir, mut store) = open();
    let specs = crate::store::test_specs(1);
    let ids = store.sync_feeds(&specs).unwrap();
    let local = |n: u32| crate::model::ParsedItem {
        guid: format!("https://a.example/{n}"),
        title: format!("Post {n}"),
        link: Some(format!("https://a.example/{n}")),
        ..Default::default()
    };
    let parsed = crate::model::ParsedFeed {
        items: (1..=3).map(local).collect(),
        ..Default::default()
    };
    let now = chrono::Utc::now();
    store
        .apply(
            ids[0],
            &crate::store::PreparedFeed::new(parsed),
            &Default::default(),
            Some(200),
            now,
            0,
        )
        .unwrap();
    let two = store
        .items(&crate::store::ItemQuery::feed(ids[0]), 0, 10)
        .unwrap()
        .into_iter()
        .find(|r| r.title == "Post 2")
        .unwrap()
        .id;
    store.set_read(&[two], true).unwrap();
    store
        .start_sync_account("greader https://one.example alice")
        .unwrap();
    let remote_ids = store
        .apply_remote_feeds(&[feed("feed/1", &specs[0].url, &[])], &[])
        .unwrap();
    assert_eq!(remote_ids["feed/1"], ids[0], "the config's feed row");
    let server = |n: u32| RemoteItem {
        url: Some(format!("https://a.example/{n}")),
        title: format!("Post {n}"),
        ..item(&format!("r{n}"), "feed/1", false)
    };
    let added = store
        .insert_remote_items(
            &[server(1), server(2), server(3), server(4)],
            &remote_ids,
            0,
        )
        .unwrap();
    assert_eq!(added, 1, "only Post 4 is new");
    assert_eq!(local_id(&store, "r2"), two);
    let marks = queued(&store);
    assert_eq!(marks, [("r2".to_string(), Mark::Read)]);
}

/// A server's feed removed here keeps its starred article, as `remove` says; the next
/// sync's lists (the server deleted the feed's articles with it) leave its star and
/// read state alone.
#[test]
fn an_article_kept_for_its_star_is_not_the_servers_any_more() {
    let (_dir, mut store) = open();
    store
        .start_sync_account("greader https://one.example alice")
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("feed/1", "https://a.example/feed", &[])], &[])
        .unwrap();
    let starred = RemoteItem {
        starred: true,
        ..item("r1", "feed/1", false)
    };
    store
        .insert_remote_items(&[starred, item("r2", "feed/1", false)], &ids, 0)
        .unwrap();
    let kept = local_id(&store, "r1");
    let (_, left) = store.remove_feed(ids["feed/1"]).unwrap();
    assert_eq!(left, 1);
    let changed = store.apply_remote_state(&set(&[]), &set(&[])).unwrap();
    assert_eq!(changed, 0);
    let (read, starred): (bool, bool) = store
        .conn
        .query_row(
            "SELECT is_read, starred FROM items WHERE id = ?1",
            [kept.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((read, starred), (false, true));
    // Subscribed again on another device, the feed comes back with the article under a
    // new id: the kept row takes it, star and all, and the star goes to the server.
    let ids = store
        .apply_remote_feeds(&[feed("feed/1", "https://a.example/feed", &[])], &[])
        .unwrap();
    let again = RemoteItem {
        title: "Item r1".into(),
        ..item("r9", "feed/1", false)
    };
    assert_eq!(store.insert_remote_items(&[again], &ids, 0).unwrap(), 0);
    assert_eq!(local_id(&store, "r9"), kept);
    let marks = queued(&store);
    assert_eq!(marks, [("r9".to_string(), Mark::Star)]);
    store.apply_remote_state(&set(&["r9"]), &set(&[])).unwrap();
    let starred: bool = store
        .conn
        .query_row("SELECT starred FROM items WHERE id = ?1", [kept.0], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(starred, "the queued star keeps it until it is sent");
}

/// Issue 26, item 2: a push read marks 1 and 2 while another push emptied the queue and
/// the user marked again. The new mark must get a new number and survive the first
/// push's unqueue (before: seq reused as 1, and `DELETE seq <= 2` took it unsent).
#[test]
fn a_push_unqueues_only_the_marks_it_sent_and_numbers_are_never_reused() {
    let (_dir, mut store) = open();
    let ids = store
        .apply_remote_feeds(&[feed("1", "https://a.example/feed", &[])], &[])
        .unwrap();
    store
        .insert_remote_items(
            &[
                item("10", "1", false),
                item("11", "1", false),
                item("12", "1", false),
            ],
            &ids,
            0,
        )
        .unwrap();
    store.set_read(&[local_id(&store, "10")], true).unwrap();
    store.set_read(&[local_id(&store, "11")], true).unwrap();
    // The first pusher reads the queue...
    let first: Vec<i64> = store
        .queued_marks()
        .unwrap()
        .iter()
        .map(|m| m.seq)
        .collect();
    assert_eq!(first.len(), 2);
    // ...a second pusher sends and unqueues the same marks, emptying the table...
    store.unqueue_marks(&first).unwrap();
    assert_eq!(store.queued_mark_count().unwrap(), 0);
    // ...the user marks again...
    store.set_starred(local_id(&store, "12"), true).unwrap();
    let newer = store.queued_marks().unwrap();
    assert!(
        newer[0].seq > *first.iter().max().unwrap(),
        "a number was reused: {newer:?} after {first:?}"
    );
    // ...and the first pusher's unqueue leaves it alone.
    store.unqueue_marks(&first).unwrap();
    assert_eq!(store.queued_marks().unwrap(), newer);
}

/// Two synced articles of one story (grouped by hand here: the server's articles are
/// grouped by the feeds' refresh): a mark here goes to the server for both; the server's
/// own state, per article, is applied as it is, not spread to the other copy.
#[test]
fn a_story_mark_is_queued_for_every_copy_and_the_servers_state_is_not_spread() {
    let (_dir, mut store) = open();
    let ids = store
        .apply_remote_feeds(
            &[
                feed("1", "https://a.example/feed", &[]),
                feed("2", "https://b.example/feed", &[]),
            ],
            &[],
        )
        .unwrap();
    store
        .insert_remote_items(&[item("10", "1", false), item("20", "2", false)], &ids, 0)
        .unwrap();
    let (ten, twenty) = (local_id(&store, "10"), local_id(&store, "20"));
    store
        .conn
        .execute(
            "UPDATE items SET story = ?1 WHERE id IN (?1, ?2)",
            [ten.0, twenty.0],
        )
        .unwrap();
    store.set_read(&[ten], true).unwrap();
    let marks = queued(&store);
    assert_eq!(
        marks,
        [
            ("10".to_string(), Mark::Read),
            ("20".to_string(), Mark::Read)
        ]
    );
    let seqs: Vec<i64> = store
        .queued_marks()
        .unwrap()
        .iter()
        .map(|m| m.seq)
        .collect();
    store.unqueue_marks(&seqs).unwrap();
    // The server says 10 unread, 20 read: so it stays.
    store.apply_remote_state(&set(&["10"]), &set(&[])).unwrap();
    assert!(!store.item(ten).unwrap().unwrap().read);
    assert!(store.item(twenty).unwrap().unwrap().read);
    assert_eq!(store.queued_mark_count().unwrap(), 0);
    // Marks after the sync spread again.
    store.set_read(&[twenty], false).unwrap();
    assert!(!store.item(ten).unwrap().unwrap().read);
    store.set_read(&[twenty], true).unwrap();
    assert!(store.item(ten).unwrap().unwrap().read);
}
