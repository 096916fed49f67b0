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
    assert_eq!(cursor.cursor.as_deref(), Some("120"));
    assert!(!cursor.more);
    // A limit stops the paging at a page's end; the next sync goes on from the cursor.
    let mut some = 0;
    let part = fever
        .new_items(Some("20"), 60, &mut |page| {
            some += page.len();
            Ok(())
        })
        .unwrap();
    assert_eq!(
        (some, part.cursor.as_deref(), part.more),
        (100, Some("120"), true)
    );
    // The history, newest first by max_id: a stretch, then where it goes on, to the end.
    let mut old = Vec::new();
    let stretch = fever
        .older_items(None, 60, &mut |page| {
            old.extend(page.iter().map(|i| i.id.parse::<u64>().unwrap()));
            Ok(())
        })
        .unwrap();
    assert_eq!(old.len(), 100);
    assert_eq!(old.iter().max(), Some(&120));
    assert_eq!(
        (
            stretch.cursor.as_deref(),
            stretch.more,
            stretch.top.as_deref()
        ),
        (Some("21"), true, Some("120"))
    );
    let rest = fever
        .older_items(Some("21"), 60, &mut |page| {
            old.extend(page.iter().map(|i| i.id.parse::<u64>().unwrap()));
            Ok(())
        })
        .unwrap();
    assert!(!rest.more, "{rest:?}");
    old.sort_unstable();
    assert_eq!(old, (1..=120).collect::<Vec<u64>>());
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

/// The marks calls the server had, as "item ID as" and "feed ID before".
fn marks_sent(state: &Arc<Mutex<State>>) -> Vec<String> {
    let s = state.lock().unwrap();
    let mut out: Vec<String> = s
        .calls
        .iter()
        .filter_map(|c| {
            let form: std::collections::HashMap<&str, &str> = c
                .split_once(' ')?
                .1
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .collect();
            Some(match *form.get("mark")? {
                "item" => format!("item {} {}", form["id"], form["as"]),
                what => format!("{what} {} {}", form["id"], form["before"]),
            })
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_feed_marked_read_goes_in_one_request_and_what_the_server_left_one_by_one() {
    std::env::set_var("BULLETIN_TEST_FEVER_BATCH_PW", "secret");
    // 40 unread articles: the even ids in feed 1, the odd in feed 2.
    let mut s = State::default();
    for id in 1..=40u64 {
        s.items.insert(id, (1 + id % 2, false, false));
    }
    // The server's `before` leaves article 4 unread.
    s.feed_mark_skips = vec![4];
    let state = Arc::new(Mutex::new(s));
    let server = fever_server(state.clone(), KEY.to_string());
    let env = support::Env::new(&config(&server, "BULLETIN_TEST_FEVER_BATCH_PW"));
    let first = env.ok(&["sync"]);
    assert!(first.contains("40 new items"), "{first}");
    state.lock().unwrap().calls.clear();
    // Marks go to the server as they are made (`--local` would leave them queued).
    env.ok(&["mark-read", "--feed", "Security Weekly"]);
    // Six of feed 2's twenty: the server has its other fourteen unread, so they go one
    // by one (a mark of the feed would sweep the fourteen along).
    let odd: Vec<String> = [1, 3, 5, 7, 9, 11]
        .iter()
        .map(|i| env.item_id(&format!("Item {i}")))
        .collect();
    let mut args = vec!["mark-read"];
    args.extend(odd.iter().map(String::as_str));
    env.ok(&args);
    let mut expected: Vec<String> = [1, 3, 5, 7, 9, 11]
        .iter()
        .map(|i| format!("item {i} read"))
        .collect();
    // Feed 1 up to its newest article (40, published at 1780000040), then article 4
    // again, which the server's list still had unread.
    expected.push("feed 1 1780000041".into());
    expected.push("item 4 read".into());
    expected.sort();
    assert_eq!(marks_sent(&state), expected);
    let s = state.lock().unwrap();
    for (id, (_, read, _)) in &s.items {
        let want = id % 2 == 0 || *id <= 11;
        assert_eq!(*read, want, "article {id}");
    }
    drop(s);
    // Nothing is undone by the next sync, here or there.
    env.ok(&["sync"]);
    assert_eq!(env.item("Item 4")["read"], true);
    assert_eq!(env.item("Item 13")["read"], false);
}

/// An article the server has unread and this cache has not seen yet (it came after the
/// last sync, dated before the feed's newest) keeps its feed from being marked read
/// whole: `before` would have read it on the server, unseen. The marks go one by one,
/// and the next sync brings it unread.
#[test]
fn an_unseen_unread_article_keeps_its_feed_from_a_whole_feed_mark() {
    std::env::set_var("BULLETIN_TEST_FEVER_UNSEEN_PW", "secret");
    let mut s = State::default();
    for id in 10..=29u64 {
        s.items.insert(id, (1, false, false));
    }
    let state = Arc::new(Mutex::new(s));
    let server = fever_server(state.clone(), KEY.to_string());
    let env = support::Env::new(&config(&server, "BULLETIN_TEST_FEVER_UNSEEN_PW"));
    env.ok(&["sync"]);
    // Arrives on the server after the sync, published before the feed's newest.
    state.lock().unwrap().items.insert(5, (1, false, false));
    state.lock().unwrap().calls.clear();
    env.ok(&["mark-read", "--feed", "Security Weekly"]);
    let sent = marks_sent(&state);
    assert!(!sent.iter().any(|m| m.starts_with("feed ")), "{sent:?}");
    assert_eq!(sent.len(), 20, "{sent:?}");
    assert!(
        !state.lock().unwrap().items[&5].1,
        "read on the server unseen"
    );
    env.ok(&["sync"]);
    assert_eq!(env.item("Item 5")["read"], false);
}

/// Another server whose articles are not the ones a queued mark was made on: the mark
/// waits, and `sync` says so (the TUI counted it as a mark to send, and nothing said why
/// it never went).
#[test]
fn marks_waiting_for_their_articles_on_another_server_are_said() {
    std::env::set_var("BULLETIN_TEST_FEVER_MOVE_PW", "secret");
    let server = |first: u64| {
        let mut s = State::default();
        for id in first..first + 5 {
            s.items.insert(id, (1, false, false));
        }
        let state = Arc::new(Mutex::new(s));
        (fever_server(state.clone(), KEY.to_string()), state)
    };
    let (a, _) = server(1);
    let (b, _) = server(100);
    let env = support::Env::new(&config(&a, "BULLETIN_TEST_FEVER_MOVE_PW"));
    env.ok(&["sync"]);
    env.ok(&["mark-read", &env.item_id("Item 2"), "--no-push"]);
    env.write_config(&config(&b, "BULLETIN_TEST_FEVER_MOVE_PW"));
    let said = env.ok(&["sync"]);
    assert!(
        said.contains("1 mark on articles of the account before waits for them on this server"),
        "{said}"
    );
    let summary = env.json(&["sync", "--json"]);
    assert_eq!(summary["carried_waiting"], 1, "{summary}");
}

/// `[[filter]]` rules act on the articles a sync brings as on a refresh's: a matching
/// article arrives read (and the server is told, or its own state would undo it),
/// starred, or hidden.
#[test]
fn filters_act_on_the_articles_a_sync_brings() {
    std::env::set_var("BULLETIN_TEST_FEVER_FILTER_PW", "secret");
    let mut s = State::default();
    for id in 1..=6u64 {
        s.items.insert(id, (1, false, false));
    }
    let state = Arc::new(Mutex::new(s));
    let server = fever_server(state.clone(), KEY.to_string());
    let config = format!(
        "{}\n[[filter]]\nquery = \"title:\\\"Item 3\\\"\"\naction = \"mark_read\"\n\n[[filter]]\nquery = \"title:\\\"Item 4\\\"\"\naction = \"star\"\n\n[[filter]]\nquery = \"title:\\\"Item 5\\\"\"\naction = \"hide\"\n",
        config(&server, "BULLETIN_TEST_FEVER_FILTER_PW")
    );
    let env = support::Env::new(&config);
    env.ok(&["sync"]);
    assert_eq!(env.item("Item 3")["read"], true);
    assert_eq!(env.item("Item 4")["starred"], true);
    assert_eq!(env.item("Item 2")["read"], false);
    let listed = env.json(&["items", "--json"]);
    assert!(!listed.to_string().contains("Item 5"), "hidden: {listed}");
    let s = state.lock().unwrap();
    assert!(s.items[&3].1, "the server has Item 3 read");
    assert!(s.items[&4].2, "and Item 4 saved");
    drop(s);
    // The next sync keeps them so.
    env.ok(&["sync"]);
    assert_eq!(env.item("Item 3")["read"], true);
    assert_eq!(env.item("Item 4")["starred"], true);
}

/// The newest article's id, by `since_id` alone: ids that are far apart and far from 0
/// take a few requests, an account of one page one, an empty account one.
#[test]
fn the_newest_id_is_found_by_since_id_alone() {
    for (ids, newest) in [
        (
            (1..=3_000u64)
                .map(|i| i * 3)
                .chain([70_001, 70_007])
                .collect::<Vec<_>>(),
            Some(70_007),
        ),
        ((1..=20).collect(), Some(20)),
        (vec![], None),
    ] {
        let mut s = State::default();
        for id in ids {
            s.items.insert(id, (1, true, false));
        }
        s.by_feed = true;
        let state = Arc::new(Mutex::new(s));
        let server = fever_server(state.clone(), KEY.to_string());
        let mut fever = client(&server, "alice", "secret");
        assert_eq!(fever.newest_id(0).unwrap(), newest);
        if let Some(top) = newest {
            assert_eq!(fever.newest_id(top).unwrap(), None);
        }
        let calls = state.lock().unwrap().calls.len();
        assert!(calls <= 40, "{calls} requests for {newest:?}");
    }
}

/// The newest id exactly, on a server that lists by feed, whatever the account's size
/// and its number of feeds.
#[test]
fn the_newest_id_is_exact_on_a_server_that_lists_by_feed() {
    for (n, feeds) in [(51u64, 2u64), (137, 3), (400, 7), (1_999, 5), (4_321, 30)] {
        let mut s = State::default();
        for id in 1..=n {
            s.items.insert(id, (1 + id % feeds, true, false));
        }
        s.by_feed = true;
        let state = Arc::new(Mutex::new(s));
        let server = fever_server(state.clone(), KEY.to_string());
        let mut fever = client(&server, "alice", "secret");
        assert_eq!(fever.newest_id(0).unwrap(), Some(n), "{n} in {feeds} feeds");
    }
}

/// A big account on a server that cannot page backwards and lists any fifty articles
/// above an id (as coldsweat): the first sync brings the newest stretch and every unread
/// article, the next sync right after asks for what is new and the ids, nothing of the
/// history; `sync --all` brings the rest, every article once; new articles come whole.
#[test]
fn a_big_account_without_max_id_comes_newest_first_and_the_history_on_demand() {
    std::env::set_var("BULLETIN_TEST_FEVER_BIG_PW", "secret");
    let mut s = State::default();
    // 12,000 articles, even ids up to 24,000; one in a thousand unread.
    for i in 1..=12_000u64 {
        s.items.insert(i * 2, (1 + i % 2, i % 1_000 != 0, false));
    }
    s.by_feed = true;
    let state = Arc::new(Mutex::new(s));
    let server = fever_server(state.clone(), KEY.to_string());
    let env = support::Env::new(&config(&server, "BULLETIN_TEST_FEVER_BIG_PW"));

    let first = env.json(&["sync", "--json"]);
    assert_eq!(first["older_left"], true, "{first}");
    let calls = std::mem::take(&mut state.lock().unwrap().calls);
    let newest_first = env.json(&["items", "--json", "--limit", "1"]);
    assert!(
        newest_first.to_string().contains("Item 24000"),
        "{newest_first}"
    );
    // The newest 10,000 (ids 4,002 to 24,000), from the newest down, and the two unread
    // below them, by id.
    assert_eq!(
        first["new_items"],
        10_002,
        "{first} after {} calls",
        calls.len()
    );

    let second = env.json(&["sync", "--json"]);
    assert_eq!(
        (&second["new_items"], &second["older_left"]),
        (&0.into(), &true.into()),
        "{second}"
    );
    let calls = std::mem::take(&mut state.lock().unwrap().calls);
    assert!(calls.len() <= 6, "{calls:?}");
    assert_eq!(
        calls.iter().filter(|c| c.contains("_id=")).count(),
        1,
        "only what is new: {calls:?}"
    );

    let all = env.json(&["sync", "--all", "--json"]);
    assert_eq!(all["older_left"], false, "{all}");
    assert_eq!(all["new_items"], 12_000 - 10_002, "{all}");

    // 120 new articles on the server, in both feeds: all of them come.
    for i in 12_001..=12_120u64 {
        state
            .lock()
            .unwrap()
            .items
            .insert(i * 2, (1 + i % 2, false, false));
    }
    let next = env.json(&["sync", "--json"]);
    assert_eq!(next["new_items"], 120, "{next}");
}
