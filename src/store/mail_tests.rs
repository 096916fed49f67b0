use super::*;
use crate::model::ParsedItem;

fn message(key: &str, list: &str, seen: bool) -> NewMessage {
    NewMessage {
        key: key.into(),
        location: Some(format!("cur/{key}")),
        flags: MailFlags {
            seen,
            flagged: false,
        },
        article: Some(MailArticle {
            list: list.into(),
            list_name: format!("List {list}"),
            unsubscribe: Some("https://list.example/unsub".into()),
            item: ParsedItem {
                guid: format!("mid:{key}"),
                title: format!("Issue {key}"),
                content_html: Some("<p>Body</p>".into()),
                ..Default::default()
            },
        }),
    }
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache.db")).unwrap();
    (dir, store)
}

fn id_of(store: &Store, key: &str) -> ItemId {
    store.mail_known("box").unwrap()[key].item.unwrap()
}

fn read(store: &Store, id: ItemId) -> bool {
    store.item(id).unwrap().unwrap().read
}

#[test]
fn messages_become_articles_of_their_lists_and_marks_queue_for_the_mailbox() {
    let (_dir, mut store) = open();
    let applied = store
        .apply_mail(
            "box",
            vec![
                message("a", "one.example", false),
                message("b", "one.example", true),
                message("c", "two.example", false),
                NewMessage {
                    key: "junk".into(),
                    location: None,
                    flags: MailFlags::default(),
                    article: None,
                },
            ],
            &[],
            &[],
            1_764_000_000,
        )
        .unwrap();
    assert_eq!((applied.new_items, applied.new_feeds), (3, 2));
    let feeds = store.mail_feeds().unwrap();
    assert_eq!(
        feeds.iter().map(|f| f.url.as_str()).collect::<Vec<_>>(),
        ["mail:box/one.example", "mail:box/two.example"]
    );
    assert!(read(&store, id_of(&store, "b")), "seen there: read here");
    let item = store.item(id_of(&store, "a")).unwrap().unwrap();
    assert_eq!(item.mailbox.as_deref(), Some("box"));
    assert_eq!(
        item.unsubscribe.as_deref(),
        Some("https://list.example/unsub")
    );
    assert_eq!(store.mail_known("box").unwrap()["junk"].item, None);

    // A mark here queues; the mailbox's flags, unchanged for it there, do not undo it,
    // and what did change there (flagged) arrives (starred).
    let a = id_of(&store, "a");
    store.set_read(&[a], true).unwrap();
    assert_eq!(store.mail_queue("box").unwrap().len(), 1);
    let flagged_there = FlagChange {
        key: "a".into(),
        location: Some("cur/a:2,F".into()),
        flags: MailFlags {
            seen: false,
            flagged: true,
        },
    };
    store
        .apply_mail("box", Vec::new(), &[flagged_there], &[], 0)
        .unwrap();
    assert!(read(&store, a), "the queued mark wins");
    assert!(
        store.item(a).unwrap().unwrap().starred,
        "flagged there: starred"
    );
    let queue = store.mail_queue("box").unwrap();
    assert_eq!(
        queue.iter().map(|q| (q.flag, q.on)).collect::<Vec<_>>(),
        [(MailFlag::Seen, true)],
        "the star came from there: it is not sent back"
    );
    // Once the mailbox has it, the queue is empty and its flags count again.
    let queue = store.mail_queue("box").unwrap();
    store.mail_pushed("box", &queue).unwrap();
    assert_eq!(store.mail_queue_len().unwrap(), 0);
    let there = FlagChange {
        key: "c".into(),
        location: Some("cur/c:2,S".into()),
        flags: MailFlags {
            seen: true,
            flagged: false,
        },
    };
    store
        .apply_mail("box", Vec::new(), &[there], &[], 0)
        .unwrap();
    assert!(read(&store, id_of(&store, "c")));
    assert_eq!(
        store.mail_queue_len().unwrap(),
        0,
        "the mailbox's own flag is not sent back to it"
    );
    assert_eq!(
        store.mail_known("box").unwrap()["c"].location.as_deref(),
        Some("cur/c:2,S")
    );

    // A star here queues for the flagged flag.
    store.set_starred(id_of(&store, "b"), true).unwrap();
    let queue = store.mail_queue("box").unwrap();
    assert_eq!(
        queue
            .iter()
            .map(|q| (q.key.as_str(), q.flag, q.on))
            .collect::<Vec<_>>(),
        [("b", MailFlag::Flagged, true)]
    );
    store.mail_pushed("box", &queue).unwrap();
    assert!(store.mail_known("box").unwrap()["b"].flags.flagged);
    // Gone there: gone here, but a starred article stays.
    store
        .apply_mail("box", vec![message("d", "two.example", false)], &[], &[], 0)
        .unwrap();
    let (b, d) = (id_of(&store, "b"), id_of(&store, "d"));
    store
        .apply_mail("box", Vec::new(), &[], &["b".into(), "d".into()], 0)
        .unwrap();
    assert!(store.item(d).unwrap().is_none());
    assert!(store.item(b).unwrap().is_some());
    assert!(!store.mail_known("box").unwrap().contains_key("d"));

    // A purged article leaves its message remembered, so it is not read again.
    let c = id_of(&store, "c");
    store
        .conn
        .execute("DELETE FROM items WHERE id = ?1", [c.0])
        .unwrap();
    assert_eq!(store.mail_known("box").unwrap()["c"].item, None);
}

#[test]
fn a_folder_remembers_where_it_was_left() {
    let (_dir, mut store) = open();
    assert_eq!(
        store.mailbox_state("imap").unwrap(),
        MailboxState::default()
    );
    let state = MailboxState {
        uidvalidity: Some(7),
        uidnext: Some(42),
        modseq: Some(1 << 40),
        stamp: None,
    };
    store.set_mailbox_state("imap", &state).unwrap();
    assert_eq!(store.mailbox_state("imap").unwrap(), state);
}

#[test]
fn the_same_message_in_two_mailboxes_is_one_article_and_both_get_its_marks() {
    let (_dir, mut store) = open();
    store
        .apply_mail(
            "box",
            vec![message("m1", "one.example", false)],
            &[],
            &[],
            0,
        )
        .unwrap();
    // The same Message-ID in another mailbox (its own key and list there).
    let mut copy = message("m1", "one.example", false);
    copy.key = "uid-7".into();
    let applied = store.apply_mail("work", vec![copy], &[], &[], 0).unwrap();
    assert_eq!(applied.new_items, 0, "no second article");
    let id = id_of(&store, "m1");
    assert_eq!(store.mail_known("work").unwrap()["uid-7"].item, Some(id));
    let count: i64 = store
        .conn
        .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
    // Read here: both mailboxes are told; the mark waits until both have it.
    store.set_read(&[id], true).unwrap();
    let first = store.mail_queue("box").unwrap();
    store.mail_pushed("box", &first).unwrap();
    assert_eq!(
        store.mail_queue_len().unwrap(),
        1,
        "work has not got it yet"
    );
    let second = store.mail_queue("work").unwrap();
    assert_eq!(second.len(), 1);
    store.mail_pushed("work", &second).unwrap();
    assert_eq!(store.mail_queue_len().unwrap(), 0);
}
