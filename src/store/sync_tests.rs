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
    store.unqueue_marks(queued[1].seq).unwrap();
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

#[test]
fn another_server_starts_afresh() {
    let (_dir, mut store) = open();
    store
        .start_sync_account("fever https://one.example/ alice", &[])
        .unwrap();
    let ids = store
        .apply_remote_feeds(&[feed("1", "https://a.example/feed", &[])], &[])
        .unwrap();
    store
        .insert_remote_items(&[item("10", "1", false)], &ids, 0)
        .unwrap();
    store.set_read(&[local_id(&store, "10")], true).unwrap();
    store.set_meta("sync.cursor", "10").unwrap();
    store
        .start_sync_account("greader https://two.example/ alice", &[])
        .unwrap();
    assert_eq!(
        store.sync_account().unwrap().as_deref(),
        Some("greader https://two.example/ alice")
    );
    assert!(store.synced_feeds().unwrap().is_empty());
    assert_eq!(store.queued_mark_count().unwrap(), 0);
    assert_eq!(store.meta("sync.cursor").unwrap(), None);
}
