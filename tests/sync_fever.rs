//! The Fever client against a loopback Fever server written from the protocol's
//! documentation (no Fever server installs from a package registry alone): every call a
//! form POST to `?api&...` with `api_key = md5("user:password")`, answers with `auth`,
//! `feeds`/`groups`/`feeds_groups`, `items` after `since_id` fifty at a time, id lists as
//! comma-separated strings, and `mark=item&as=read|unread|saved|unsaved&id=N`.

mod support;

use bulletin::sync::fever::Fever;
use bulletin::sync::{Mark, SyncError, SyncProvider};
use std::sync::{Arc, Mutex};
use support::fever::*;
use support::Server;

fn client(server: &Server, user: &str, password: &str) -> Fever {
    let fetcher = bulletin::fetch::Fetcher::new(&Default::default()).unwrap();
    Fever::new(fetcher, &server.url("/fever/"), user, password)
}

#[test]
fn feeds_groups_items_ids_and_marks() {
    let state = Arc::new(Mutex::new(State::default()));
    for id in 1..=120u64 {
        state
            .lock()
            .unwrap()
            .items
            .insert(id, (1 + id % 2, id % 3 == 0, id % 10 == 0));
    }
    let server = fever_server(state.clone(), KEY.to_string());
    let mut fever = client(&server, "alice", "secret");
    fever.login().unwrap();
    let feeds = fever.feeds().unwrap();
    assert_eq!(feeds.len(), 2);
    assert_eq!(feeds[0].groups, ["security", "weekly"]);
    assert_eq!(feeds[1].id, "2");
    assert_eq!(feeds[1].groups, ["weekly"]);
    // Paging by since_id, fifty at a time, until an empty page; the cursor is the last id.
    let mut all = Vec::new();
    let cursor = fever
        .new_items(None, 10_000, &mut |page| {
            assert!(page.len() <= 50);
            all.extend_from_slice(page);
            Ok(())
        })
        .unwrap();
    assert_eq!(cursor.as_deref(), Some("120"));
    // A limit stops the paging at a page's end; the next sync goes on from the cursor.
    let mut some = 0;
    let part = fever
        .new_items(Some("20"), 60, &mut |page| {
            some += page.len();
            Ok(())
        })
        .unwrap();
    assert_eq!((some, part.as_deref()), (100, Some("120")));
    let by_id = fever.items_by_id(&["7".into(), "99".into()]).unwrap();
    assert_eq!(by_id.len(), 2);
    assert_eq!(all.len(), 120);
    assert!(all
        .windows(2)
        .all(|w| w[0].id.parse::<u64>().unwrap() < w[1].id.parse::<u64>().unwrap()));
    assert!(all[2].read);
    assert!(all[9].starred);
    assert_eq!(all[0].html, "<p>Body 1</p>");
    let unread = fever.unread_ids().unwrap();
    assert_eq!(unread.len(), 80);
    assert_eq!(fever.starred_ids().unwrap().len(), 12);
    fever.mark(&["1".into(), "2".into()], Mark::Read).unwrap();
    fever.mark(&["3".into()], Mark::Unread).unwrap();
    fever.mark(&["4".into()], Mark::Star).unwrap();
    let s = state.lock().unwrap();
    assert!(s.items[&1].1 && s.items[&2].1 && !s.items[&3].1 && s.items[&4].2);
}

#[test]
fn a_wrong_password_is_an_auth_error() {
    let server = fever_server(Arc::new(Mutex::new(State::default())), KEY.to_string());
    let mut fever = client(&server, "alice", "wrong");
    assert!(matches!(fever.login(), Err(SyncError::Auth)));
}
