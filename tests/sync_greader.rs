//! Two-way sync over the Google Reader API. No server of that API installs from the
//! package registries here, so this is a loopback server written from the protocol as
//! FreshRSS and Miniflux document it, keeping its state in memory:
//!
//! - `POST /accounts/ClientLogin` (Email, Passwd) answers `SID=`, `LSID=`, `Auth=` lines;
//!   every other call needs `Authorization: GoogleLogin auth=<Auth>`.
//! - `GET /reader/api/0/token` gives the edit token; every write carries it as `T`.
//! - `subscription/list`, `stream/contents/user/-/state/com.google/reading-list` (newest
//!   first, `n`, `ot` in seconds, `c` continuation), `stream/items/ids` (`s`, `xt`, `n`,
//!   `c`; decimal ids), `stream/items/contents` (POST `i`, long or short ids).
//! - `edit-tag` (`i` repeated, `a`/`r` a state), `subscription/quickadd`,
//!   `subscription/edit` (`ac=unsubscribe`, `ac=edit` with `a` a label).
//!
//! Article ids are FreshRSS's (microsecond times); streams send the long form
//! `tag:google.com,2005:reader/item/<16 hex>`, id lists the decimal one.

mod support;

use serde_json::{json, Value};
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::greader::*;
use support::Env;

fn local(env: &Env, title: &str) -> Value {
    let items = env.json(&[
        "search",
        "--json",
        "--limit",
        "5",
        &format!("title:\"{title}\""),
    ]);
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == title)
        .cloned()
        .unwrap_or_else(|| panic!("{title} is not here: {items}"))
}

fn sync(env: &Env) -> Value {
    env.json(&["sync", "--json"])
}

#[test]
fn read_and_starred_go_both_ways_and_only_new_articles_travel() {
    std::env::set_var("BULLETIN_TEST_GREADER_PW", "secret");
    let state = state_with(600);
    let server = greader_server(state.clone());
    let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_PW"));
    let s = sync(&env);
    assert_eq!(
        (
            s["provider"].as_str(),
            s["feeds"].as_u64(),
            s["new_items"].as_u64()
        ),
        (Some("greader"), Some(2), Some(600)),
        "{s}"
    );
    let feeds = env.json(&["feeds", "--json"]);
    let list = feeds.as_array().unwrap();
    assert_eq!(list.len(), 2, "{feeds}");
    assert_eq!(list[0]["tags"], json!(["security", "weekly"]));
    assert_eq!(list[1]["title"], "Harbour & Town");
    let unread: u64 = list.iter().map(|f| f["unread"].as_u64().unwrap()).sum();
    assert_eq!(unread, 400, "every third of 600 was read there");
    // An article's text and its enclosure came too, for offline reading.
    let one = local(&env, "Article 10");
    let shown = env.ok(&["show", &one["id"].to_string()]);
    assert!(shown.contains("The words of Article 10."), "{shown}");
    assert!(shown.contains(".mp3"), "{shown}");

    // Only what is new travels at the next sync.
    state.lock().unwrap().sent = 0;
    let s = sync(&env);
    assert_eq!(
        (s["new_items"].as_u64(), s["pulled"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(state.lock().unwrap().sent, 0);
    {
        let mut st = state.lock().unwrap();
        let id = st.items.keys().last().unwrap() + 5_000_000;
        st.items.insert(
            id,
            Item {
                feed: "feed/2".into(),
                title: "Fresh news".into(),
                crawl_ms: id / 1000,
                read: false,
                starred: false,
            },
        );
    }
    let s = sync(&env);
    assert_eq!(s["new_items"], 1, "{s}");
    assert_eq!(state.lock().unwrap().sent, 1);

    // Read and starred here → there: the commands send them at once (no TUI runs).
    let out = env.run(&["mark-read", &local(&env, "Article 1")["id"].to_string()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sent 1 mark to the server"), "{err}");
    assert!(server_item(&state, "Article 1").read);
    env.ok(&["star", &local(&env, "Article 2")["id"].to_string()]);
    assert!(server_item(&state, "Article 2").starred);
    let s = sync(&env);
    assert_eq!(s["pushed"], 0, "sent already: {s}");
    // With --no-push (after the id, as people type it), the sync sends them.
    env.ok(&[
        "star",
        &local(&env, "Article 6")["id"].to_string(),
        "--no-push",
    ]);
    assert!(!server_item(&state, "Article 6").starred);
    let s = sync(&env);
    assert_eq!(s["pushed"], 1, "{s}");
    assert!(server_item(&state, "Article 6").starred);

    // Read, unread and starred there → here.
    {
        let (a4, a3, a5) = (
            sid(&state, "Article 4"),
            sid(&state, "Article 3"),
            sid(&state, "Article 5"),
        );
        let mut st = state.lock().unwrap();
        st.items.get_mut(&a4).unwrap().read = true;
        st.items.get_mut(&a3).unwrap().read = false;
        st.items.get_mut(&a5).unwrap().starred = true;
    }
    let s = sync(&env);
    assert_eq!(s["pulled"], 3, "{s}");
    assert_eq!(local(&env, "Article 4")["read"], true);
    assert_eq!(local(&env, "Article 3")["read"], false);
    assert_eq!(local(&env, "Article 5")["starred"], true);

    // A mark made here after the last sync wins over the server's older state: the
    // server still says unread, the queued mark stands until it is sent.
    env.ok(&[
        "mark-read",
        "--no-push",
        &local(&env, "Article 7")["id"].to_string(),
    ]);
    state.lock().unwrap().down = true;
    let out = env.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("503"), "{err}");
    assert_eq!(local(&env, "Article 7")["read"], true);
    state.lock().unwrap().down = false;
    let s = sync(&env);
    assert_eq!(s["pushed"], 1, "{s}");
    assert!(server_item(&state, "Article 7").read);
    assert_eq!(local(&env, "Article 7")["read"], true);
}

#[test]
fn a_kill_during_a_sync_loses_no_queued_mark() {
    std::env::set_var("BULLETIN_TEST_GREADER_PW", "secret");
    let state = state_with(10);
    let server = greader_server(state.clone());
    let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_PW"));
    sync(&env);
    env.ok(&[
        "mark-read",
        "--no-push",
        &local(&env, "Article 1")["id"].to_string(),
    ]);
    state.lock().unwrap().stall_edits = true;
    let mut child = env
        .command(&["sync"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed while the server holds the mark's request, before it answers.
    let started = Instant::now();
    while server
        .requests_to(&format!("{BASE}/reader/api/0/edit-tag"))
        .is_empty()
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no edit-tag came"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!server_item(&state, "Article 1").read);
    state.lock().unwrap().stall_edits = false;
    let s = sync(&env);
    assert_eq!(s["pushed"], 1, "the queued mark survived the kill: {s}");
    assert!(server_item(&state, "Article 1").read);
}

#[test]
fn feeds_are_added_and_removed_on_the_server() {
    std::env::set_var("BULLETIN_TEST_GREADER_PW", "secret");
    let state = state_with(4);
    let server = greader_server(state.clone());
    server.fixed(
        "/feeds/new.xml",
        "application/rss+xml",
        "<rss version=\"2.0\"><channel><title>New one</title><item><title>X</title><guid>x</guid></item></channel></rss>",
    );
    let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_PW"));
    sync(&env);
    let out = env.ok(&["add", &server.url("/feeds/new.xml"), "--tag", "fresh"]);
    assert!(out.contains("Subscribed on"), "{out}");
    {
        let st = state.lock().unwrap();
        let added = st
            .subs
            .iter()
            .find(|f| f.url == server.url("/feeds/new.xml"));
        assert_eq!(
            added.map(|f| f.labels.clone()),
            Some(vec!["fresh".to_string()])
        );
    }
    // The server fetches it: it is not in the config file, and bulletin lists it.
    let file = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(!file.contains("[[feed]]"), "{file}");
    let feeds = env.json(&["feeds", "--json"]);
    assert!(
        feeds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["title"] == "Added Feed" && f["tags"] == json!(["fresh"])),
        "{feeds}"
    );
    env.ok(&["remove", "Harbour"]);
    assert!(state.lock().unwrap().subs.iter().all(|f| f.id != "feed/2"));
    let feeds = env.json(&["feeds", "--json"]);
    assert!(
        feeds
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["title"] != "Harbour & Town"),
        "{feeds}"
    );
}

#[test]
fn a_wrong_password_fails_in_one_line_without_the_password() {
    std::env::set_var("BULLETIN_TEST_GREADER_WRONG", "not-the-password");
    let state = state_with(2);
    let server = greader_server(state);
    let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_WRONG"));
    let out = env.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("refused the user name or password"), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
    // Nothing without a password source at all either.
    env.write_config(&config(&server, "BULLETIN_TEST_GREADER_UNSET"));
    let out = env.run(&["sync"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("BULLETIN_TEST_GREADER_UNSET is not set"),
        "{err}"
    );
}

/// The real binary in tmux: it syncs on start and on `R`, a mark made in the reader
/// reaches the server, a mark made there arrives here, and a failed sync says so on
/// the status line.
#[test]
fn the_tui_syncs_in_the_background() {
    let state = state_with(6);
    let server = greader_server(state.clone());
    let config = config(&server, "BULLETIN_TEST_GREADER_TUI").replace(
        "refresh_on_startup = false",
        "refresh_on_startup = true\nrefresh_interval_minutes = 0",
    );
    let env = Env::new(&config);
    let tmux = support::tmux::Tmux::new(env.path());
    let data = env.data_dir();
    tmux.run(
        &["NO_COLOR=1", "BULLETIN_TEST_GREADER_TUI=secret"],
        &[
            "--config",
            env.config_path().to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
    );
    tmux.wait_for("Security Weekly");
    tmux.wait_for("Harbour & Town");
    // The newest article is Article 5 (unread there); opening it marks it read here,
    // and the mark goes to the server a few seconds later, without a key.
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for("The words of Article 5.");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server_item(&state, "Article 5").read {
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    // Read there, R here: it arrives.
    let a4 = sid(&state, "Article 4");
    state.lock().unwrap().items.get_mut(&a4).unwrap().read = true;
    tmux.keys(&["R"]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while local(&env, "Article 4")["read"] != true {
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
    // d on one of the server's feeds unsubscribes there (on a thread of its own).
    // It asks as what it is: the server's, for every device.
    tmux.keys(&["Escape", "G", "d"]);
    tmux.wait_for("Unsubscribe from Harbour & Town on the server (every device)? y/n");
    tmux.keys(&["y"]);
    tmux.wait_for("Unsubscribed on the server from https://harbour.example/rss");
    assert!(state.lock().unwrap().subs.iter().all(|f| f.id != "feed/2"));
    let deadline = Instant::now() + Duration::from_secs(20);
    let in_feed_list = |screen: String| {
        screen
            .lines()
            .any(|l| l.chars().take(31).collect::<String>().contains("Harbour"))
    };
    while in_feed_list(tmux.screen()) {
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    // Down: the status line says the sync failed, in one line, and the UI goes on.
    state.lock().unwrap().down = true;
    tmux.keys(&["R"]);
    let screen = tmux.wait_for("Sync failed");
    assert!(screen.contains("503"), "{screen}");
    assert!(!screen.contains("secret"), "{screen}");
    // Marks made while it is down wait, counted on the status line: one here (m on the
    // list's first row), one from another shell, which the running TUI sends too.
    tmux.keys(&["Tab", "g", "m"]);
    tmux.wait_for("1 mark to send");
    let other = local(&env, "Article 2");
    let read_there = |title: &str| server_item(&state, title).read;
    assert!(
        !read_there("Article 2") && other["read"] == false,
        "{other}"
    );
    let out = env.run(&["mark-read", &other["id"].to_string()]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("the running bulletin sends"), "{said}");
    tmux.wait_for("2 marks to send");
    // Back online: the TUI notices by itself (it retries, 5 s then twice as long each
    // time), sends both, and the error and the count go.
    state.lock().unwrap().down = false;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !read_there("Article 2") || tmux.screen().contains("to send") {
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(200));
    }
    let screen = tmux.wait_gone("Sync failed");
    assert!(!screen.contains("marks to send"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_exit();
}

/// Issue 26/27: a server whose `continuation` comes back the same for ever ends the
/// paging (before: `sync` never ended, gigabytes later); and `refresh --json` with the
/// server down says the sync's error in its JSON and once on standard error.
#[test]
fn a_looping_server_ends_the_paging_and_a_server_down_is_said_once() {
    std::env::set_var("BULLETIN_TEST_GREADER_PW", "secret");
    let state = state_with(30);
    let server = greader_server(state.clone());
    let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_PW"));
    state.lock().unwrap().repeat_continuation = true;
    let out = env.run(&["sync"]);
    // The list paging stops at the repeat; a list cut there is never applied (it would
    // read as "every other article is read"), so the sync says so in one line, and the
    // articles that came are kept.
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("repeated a continuation"), "{err}");
    assert!(state.lock().unwrap().id_pages <= 2, "paging ended");
    assert_eq!(env.json(&["items", "--json"]).as_array().unwrap().len(), 30);

    // A server whose paging never ends: the sync stops at the page limit, in one line,
    // and applies nothing it did not get whole.
    {
        let mut s = state.lock().unwrap();
        s.repeat_continuation = false;
        s.endless = true;
        s.id_pages = 0;
    }
    let out = env.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("past 200 pages"), "{err}");
    assert!(state.lock().unwrap().id_pages <= 201);
    state.lock().unwrap().endless = false;

    state.lock().unwrap().down = true;
    let out = env.run(&["refresh", "--json"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "said once: {stderr}");
    assert!(stderr.contains("503"), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = json["sync"]["error"].as_str().unwrap_or_default();
    assert!(error.contains("503"), "{json}");
}

/// Options after the query are options: `search WORD --json --limit N`.
#[test]
fn search_takes_its_options_after_the_query() {
    std::env::set_var("BULLETIN_TEST_GREADER_PW", "secret");
    let state = state_with(12);
    let server = greader_server(state);
    let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_PW"));
    sync(&env);
    let found = env.json(&["search", "Article", "--json", "--limit", "2"]);
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    let found = env.json(&["search", "--limit=1", "Article", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    // After `--`, every word is the query's, the first too (clap took that `--` for its
    // own): `--json` is a word looked for, not an option, so the answer is no JSON.
    let literal = env.run(&["search", "--", "--json", "Article", "--limit", "1"]);
    assert!(literal.status.success());
    assert!(
        serde_json::from_slice::<serde_json::Value>(&literal.stdout).is_err(),
        "{}",
        String::from_utf8_lossy(&literal.stdout)
    );
    // Options before `--`, the words after it, one of them looking like an option.
    let found = env.json(&["search", "--json", "--", "Article", "--data-dir"]);
    assert!(found.is_array(), "{found}");
    let unknown = env.run(&["search", "Article", "--jsn"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--jsn"));
}

/// Issue 26, item 8: a `password_command` that waits for ever hung `bulletin sync` for
/// good. It is stopped, and the sync fails in one line naming it.
#[test]
fn a_password_command_that_hangs_ends_the_sync_in_one_line() {
    let state = state_with(3);
    let server = greader_server(state);
    let config = config(&server, "UNUSED").replace(
        "password_env = \"UNUSED\"",
        "password_command = [\"sh\", \"-c\", \"exec sleep 600\"]",
    );
    let env = Env::new(&config);
    let out = env.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("did not answer"), "{err}");
}

#[test]
fn a_big_account_comes_newest_first_and_all_of_it_over_the_syncs() {
    std::env::set_var("BULLETIN_TEST_GREADER_PW", "secret");
    // 12,500 articles, all read but the five oldest: more than one sync pages in.
    let state = state_with(12_500);
    for (k, item) in state.lock().unwrap().items.values_mut().enumerate() {
        item.read = k >= 5;
    }
    let server = greader_server(state.clone());
    let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_PW"));
    let line = env.ok(&["sync"]);
    // The newest 10,000, and the five unread by id however old.
    assert_eq!(
        line,
        "Synced with greader: 2 feeds, 10005 new items, 0 marks sent, 0 changes received; \
         older articles come at the next syncs, 10,000 an hour at most (`bulletin sync --all` \
         brings them now)\n"
    );
    assert_eq!(env.item("Article 12499")["read"], true);
    assert_eq!(env.item("Article 0")["read"], false);
    let here = env.json(&["items", "--json"]);
    let here = here.as_array().unwrap();
    assert_eq!(here.len(), 10_005);
    assert!(!here.iter().any(|i| i["title"] == "Article 2000"));
    // A sync right after it takes no history (the next stretch waits an hour): it
    // costs what changed, nothing here.
    let sent = state.lock().unwrap().sent;
    let s = sync(&env);
    assert_eq!(
        (s["new_items"].as_u64(), s["older_left"].as_bool()),
        (Some(0), Some(true))
    );
    assert_eq!(state.lock().unwrap().sent, sent);
    // Articles that arrive meanwhile come as new, the history goes on, and --all ends
    // when the account's oldest is here (options after the subcommand's own).
    state.lock().unwrap().items.insert(
        1_800_000_000_000_000,
        Item {
            feed: "feed/1".into(),
            title: "Arrived later".into(),
            crawl_ms: 1_800_000_000_000,
            read: false,
            starred: false,
        },
    );
    let all = env.json(&["sync", "--all", "--json"]);
    assert_eq!(
        (all["new_items"].as_u64(), all["older_left"].as_bool()),
        (Some(2_496), Some(false)),
        "{all}"
    );
    let items = env.json(&["items", "--json"]);
    assert_eq!(items.as_array().unwrap().len(), 12_501);
    assert_eq!(env.item("Arrived later")["read"], false);
    // Once done, a sync with nothing new pages nothing.
    let sent = state.lock().unwrap().sent;
    let s = sync(&env);
    assert_eq!(
        (s["new_items"].as_u64(), s["older_left"].as_bool()),
        (Some(0), Some(false))
    );
    assert_eq!(state.lock().unwrap().sent, sent);
}

/// `sync --all` goes on while the server says more is left and the last sync brought
/// some: a server that lists unread articles it never sends ends it, after the sync that
/// brought nothing (it looped for ever under --json once).
#[test]
fn sync_all_ends_when_the_server_lists_unread_articles_it_never_sends() {
    std::env::set_var("BULLETIN_TEST_GREADER_PW", "secret");
    // 10,150 articles: the 30 newest read and sent; the 10,120 older unread, listed by
    // id, never sent (more than a sync asks for by id, so "more" stays true).
    let state = state_with(10_150);
    {
        let mut s = state.lock().unwrap();
        let ids: Vec<i64> = s.items.keys().copied().collect();
        for (k, id) in ids.iter().enumerate() {
            s.items.get_mut(id).unwrap().read = k >= 10_120;
        }
        s.never_sent = ids[..10_120].iter().copied().collect();
    }
    let server = greader_server(state.clone());
    for json in [true, false] {
        let env = Env::new(&config(&server, "BULLETIN_TEST_GREADER_PW"));
        let mut args = vec!["sync", "--all"];
        if json {
            args.push("--json");
        }
        let mut child = env
            .command(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("sync --all {json} did not end");
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        if json {
            let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(summary["new_items"], 30, "{summary}");
            assert!(summary["unread_left"].as_u64().unwrap() > 0, "{summary}");
        } else {
            // A line for each sync: the one that brought the 30, the one that brought none.
            assert_eq!(text.lines().count(), 2, "{text}");
            assert!(
                text.lines().last().unwrap().contains("0 new items"),
                "{text}"
            );
        }
    }
}
