//! Texts compared after the refresh that brought them (`group_texts`): what happened to
//! an article meanwhile (a copy found by its link, a mark) must not split a story or
//! leave a copy behind.

use super::tests::{dated, feed, open_with, put, story_of, OTHER, WIRE};
use crate::model::{ItemId, ParsedItem};
use crate::store::Store;
use chrono::Utc;

/// A refresh of one feed, grouped by key only: its texts wait.
fn refresh(store: &mut Store, feed_id: crate::model::FeedId, items: Vec<ParsedItem>) {
    store
        .apply(
            feed_id,
            &feed(items),
            &Default::default(),
            Some(200),
            Utc::now(),
            0,
        )
        .unwrap();
}

fn is_read(store: &Store, guid: &str) -> bool {
    store
        .conn
        .query_row("SELECT is_read FROM items WHERE guid = ?1", [guid], |r| {
            r.get(0)
        })
        .unwrap()
}

/// An article whose copy was found by its link is sketched too: a third copy, which
/// only the text joins, finds their story through it (the first copy is a summary too
/// short to sketch).
#[test]
fn a_copy_found_by_its_link_is_sketched_for_the_copies_by_text() {
    let (_dir, mut store, ids) = open_with(3);
    let now = Utc::now();
    let link = "https://payments.example/2026/inquiry";
    put(
        &mut store,
        ids[0],
        vec![dated("s-1", link, "<p>Inquiry opened.</p>", 2)],
        now,
    );
    put(
        &mut store,
        ids[1],
        vec![dated("f-1", link, &WIRE.concat(), 2)],
        now,
    );
    assert_eq!(story_of(&store, "s-1"), story_of(&store, "f-1"));
    let copy = format!("<p>From the wire.</p>{}", WIRE[..3].concat());
    put(
        &mut store,
        ids[2],
        vec![dated("w-1", "https://wire.example/x/77", &copy, 3)],
        now,
    );
    assert_eq!(story_of(&store, "w-1"), story_of(&store, "f-1"));
}

/// Two copies by text wait; before they are compared, a third feed's copy joins one of
/// them by its link. Comparing the texts then makes the two stories one.
#[test]
fn a_story_found_by_a_link_while_waiting_is_joined_to_its_copy_by_text() {
    let (_dir, mut store, ids) = open_with(3);
    let relay = "https://relay.example/story/payments-inquiry";
    refresh(
        &mut store,
        ids[0],
        vec![dated("c-1", "https://wire.example/a/1", &WIRE.concat(), 2)],
    );
    let copy = format!("{}<p>Reporting by the desk.</p>", WIRE[..3].concat());
    refresh(&mut store, ids[1], vec![dated("a-1", relay, &copy, 3)]);
    refresh(
        &mut store,
        ids[2],
        vec![dated("b-1", &format!("{relay}?utm_source=rss"), OTHER, 3)],
    );
    assert_eq!(story_of(&store, "a-1"), story_of(&store, "b-1"));
    assert_ne!(story_of(&store, "a-1"), story_of(&store, "c-1"));
    store
        .group_all_texts(Utc::now().timestamp(), |_, _| {})
        .unwrap();
    assert_eq!(story_of(&store, "a-1"), story_of(&store, "c-1"));
    assert_eq!(story_of(&store, "b-1"), story_of(&store, "c-1"));
    assert_eq!(store.story_backlog().unwrap(), 0);
}

/// A copy read (or starred) before its text was compared: the mark waits for the
/// comparison, and so reaches the older copy, which the later join would not touch.
#[test]
fn a_mark_given_before_the_text_is_compared_reaches_the_copy() {
    let (_dir, mut store, ids) = open_with(2);
    put(
        &mut store,
        ids[0],
        vec![dated("c-1", "https://wire.example/a/1", &WIRE.concat(), 2)],
        Utc::now(),
    );
    let copy = format!("{}<p>Reporting by the desk.</p>", WIRE[..3].concat());
    refresh(
        &mut store,
        ids[1],
        vec![dated("a-1", "https://relay.example/s/1", &copy, 3)],
    );
    assert_eq!(store.story_backlog().unwrap(), 1);
    let a: i64 = store
        .conn
        .query_row("SELECT id FROM items WHERE guid = 'a-1'", [], |r| r.get(0))
        .unwrap();
    store.set_read(&[ItemId(a)], true).unwrap();
    assert!(is_read(&store, "c-1"), "the older copy is read too");
    assert_eq!(story_of(&store, "a-1"), story_of(&store, "c-1"));
}

/// Stories turned to "links" after a refresh queued texts: the texts are forgotten the
/// first time the setting is read, and a mark then compares none of them.
#[test]
fn texts_queued_before_stories_were_turned_to_links_are_never_compared() {
    let (_dir, mut store, ids) = open_with(2);
    put(
        &mut store,
        ids[0],
        vec![dated("c-1", "https://wire.example/a/1", &WIRE.concat(), 2)],
        Utc::now(),
    );
    let copy = format!("{}<p>Reporting by the desk.</p>", WIRE[..3].concat());
    refresh(
        &mut store,
        ids[1],
        vec![dated("a-1", "https://relay.example/s/1", &copy, 3)],
    );
    assert!(store.texts_waiting_for(crate::story::Mode::On).unwrap());
    assert!(!store.texts_waiting_for(crate::story::Mode::Links).unwrap());
    assert_eq!(store.story_backlog().unwrap(), 0);
    let a: i64 = store
        .conn
        .query_row("SELECT id FROM items WHERE guid = 'a-1'", [], |r| r.get(0))
        .unwrap();
    store.set_read(&[ItemId(a)], true).unwrap();
    assert_ne!(story_of(&store, "a-1"), story_of(&store, "c-1"));
    assert!(!is_read(&store, "c-1"));
}
