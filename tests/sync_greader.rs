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
use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Env, Reply, Request, Server};

const AUTH: &str = "alice/8e6845e456da9b0fb3d6";
const EDIT_TOKEN: &str = "Zm9vYmFyZWRpdHRva2VuZm9v";
const LONG: &str = "tag:google.com,2005:reader/item/";
/// Where the API lives on the server, as FreshRSS's greader.php does.
const BASE: &str = "/api/greader.php";

#[derive(Clone)]
struct Item {
    feed: String,
    title: String,
    crawl_ms: i64,
    read: bool,
    starred: bool,
}

struct Sub {
    id: String,
    title: String,
    url: String,
    labels: Vec<String>,
}

#[derive(Default)]
struct State {
    subs: Vec<Sub>,
    /// By id (FreshRSS: the microsecond the server took the article in).
    items: BTreeMap<i64, Item>,
    /// Answer 503 to everything, as a server that is down behind its proxy.
    down: bool,
    /// edit-tag takes the request and never answers.
    stall_edits: bool,
    /// How many articles `stream/contents` has sent.
    sent: usize,
}

fn form(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn query(r: &Request) -> Vec<(String, String)> {
    form(r.path.split_once('?').map(|(_, q)| q).unwrap_or(""))
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A decimal id from either form.
fn parse_id(raw: &str) -> Option<i64> {
    match raw.strip_prefix(LONG) {
        Some(hex) => u64::from_str_radix(hex, 16).ok().map(|n| n as i64),
        None => raw.parse().ok(),
    }
}

fn item_json(s: &State, id: i64, item: &Item) -> Value {
    let sub = s.subs.iter().find(|f| f.id == item.feed);
    let mut categories = vec!["user/-/state/com.google/reading-list".to_string()];
    if item.read {
        categories.push("user/-/state/com.google/read".into());
    }
    if item.starred {
        categories.push("user/-/state/com.google/starred".into());
    }
    for l in sub.map(|f| f.labels.clone()).unwrap_or_default() {
        categories.push(format!("user/-/label/{l}"));
    }
    json!({
        "id": format!("{LONG}{:016x}", id as u64),
        "crawlTimeMsec": item.crawl_ms.to_string(),
        "timestampUsec": id.to_string(),
        "published": item.crawl_ms / 1000 - 3600,
        "title": item.title,
        "canonical": [{"href": format!("https://news.example/{id}")}],
        "alternate": [{"href": format!("https://news.example/{id}"), "type": "text/html"}],
        "categories": categories,
        "origin": {"streamId": item.feed, "title": sub.map(|f| f.title.clone()), "htmlUrl": "https://news.example/"},
        "summary": {"content": format!("<p>The words of {}.</p>", item.title)},
        "enclosure": [{"href": format!("https://news.example/{id}.mp3"), "type": "audio/mpeg", "length": 1234567}],
        "author": "Desk"
    })
}

fn greader_server(state: Arc<Mutex<State>>) -> Server {
    let server = Server::start();
    // Every route goes through here: down, then authorization, then the endpoint.
    let guard = |state: Arc<Mutex<State>>, write: bool, f: fn(&mut State, &Request) -> Reply| {
        move |r: &Request| {
            let mut s = state.lock().unwrap();
            if s.down {
                return Reply::status(503);
            }
            if r.header("authorization") != Some(&format!("GoogleLogin auth={AUTH}")) {
                return Reply::status(401);
            }
            if write && get(&form(&r.body), "T") != Some(EDIT_TOKEN) {
                return Reply::status(401);
            }
            f(&mut s, r)
        }
    };
    {
        let state = state.clone();
        server.route(&format!("{BASE}/accounts/ClientLogin"), move |r| {
            if state.lock().unwrap().down {
                return Reply::status(503);
            }
            let f = form(&r.body);
            if get(&f, "Email") == Some("alice") && get(&f, "Passwd") == Some("secret") {
                Reply::ok(
                    "text/plain",
                    format!("SID={AUTH}\nLSID=null\nAuth={AUTH}\n"),
                )
            } else {
                Reply::Full {
                    status: 401,
                    headers: vec![],
                    body: b"Error=BadAuthentication\n".to_vec(),
                }
            }
        });
    }
    server.route(
        &format!("{BASE}/reader/api/0/token"),
        guard(state.clone(), false, |_, _| {
            Reply::ok("text/plain", format!("{EDIT_TOKEN}\n"))
        }),
    );
    server.route(
        &format!("{BASE}/reader/api/0/subscription/list"),
        guard(state.clone(), false, |s, _| {
            let subs: Vec<Value> = s
                .subs
                .iter()
                .map(|f| {
                    json!({
                        "id": f.id, "title": f.title, "url": f.url,
                        "htmlUrl": "https://news.example/", "iconUrl": "",
                        "categories": f.labels.iter().map(|l| json!({"id": format!("user/-/label/{l}"), "label": l})).collect::<Vec<_>>()
                    })
                })
                .collect();
            Reply::ok("application/json", json!({"subscriptions": subs}).to_string())
        }),
    );
    server.route(
        &format!("{BASE}/reader/api/0/stream/contents/user/-/state/com.google/reading-list"),
        guard(state.clone(), false, |s, r| {
            let q = query(r);
            let n: usize = get(&q, "n").and_then(|n| n.parse().ok()).unwrap_or(20);
            let ot: i64 = get(&q, "ot").and_then(|n| n.parse().ok()).unwrap_or(0);
            let offset: usize = get(&q, "c").and_then(|n| n.parse().ok()).unwrap_or(0);
            let matching: Vec<(i64, Item)> = s
                .items
                .iter()
                .rev()
                .filter(|(_, i)| i.crawl_ms / 1000 > ot)
                .map(|(id, i)| (*id, i.clone()))
                .collect();
            let page: Vec<Value> = matching
                .iter()
                .skip(offset)
                .take(n)
                .map(|(id, i)| item_json(s, *id, i))
                .collect();
            s.sent += page.len();
            let mut answer = json!({"id": "user/-/state/com.google/reading-list", "items": page});
            if offset + n < matching.len() {
                answer["continuation"] = (offset + n).to_string().into();
            }
            Reply::ok("application/json", answer.to_string())
        }),
    );
    server.route(
        &format!("{BASE}/reader/api/0/stream/items/ids"),
        guard(state.clone(), false, |s, r| {
            let q = query(r);
            // Pages of at most 100, whatever was asked, to exercise the continuation.
            let n: usize = get(&q, "n")
                .and_then(|n| n.parse().ok())
                .unwrap_or(20)
                .min(100);
            let offset: usize = get(&q, "c").and_then(|n| n.parse().ok()).unwrap_or(0);
            let stream = get(&q, "s").unwrap_or("");
            let exclude_read = get(&q, "xt") == Some("user/-/state/com.google/read");
            let ids: Vec<i64> = s
                .items
                .iter()
                .rev()
                .filter(|(_, i)| match stream {
                    "user/-/state/com.google/starred" => i.starred,
                    _ => !(exclude_read && i.read),
                })
                .map(|(id, _)| *id)
                .collect();
            let refs: Vec<Value> = ids
                .iter()
                .skip(offset)
                .take(n)
                .map(|id| json!({"id": id.to_string(), "directStreamIds": [], "timestampUsec": id.to_string()}))
                .collect();
            let mut answer = json!({"itemRefs": refs});
            if offset + n < ids.len() {
                answer["continuation"] = (offset + n).to_string().into();
            }
            Reply::ok("application/json", answer.to_string())
        }),
    );
    server.route(
        &format!("{BASE}/reader/api/0/stream/items/contents"),
        guard(state.clone(), false, |s, r| {
            let items: Vec<Value> = form(&r.body)
                .iter()
                .filter(|(k, _)| k == "i")
                .filter_map(|(_, v)| parse_id(v))
                .filter_map(|id| Some(item_json(s, id, s.items.get(&id)?)))
                .collect();
            Reply::ok("application/json", json!({"items": items}).to_string())
        }),
    );
    server.route(
        &format!("{BASE}/reader/api/0/edit-tag"),
        guard(state.clone(), true, |s, r| {
            if s.stall_edits {
                return Reply::Hang;
            }
            let f = form(&r.body);
            let ids: Vec<i64> = f
                .iter()
                .filter(|(k, _)| k == "i")
                .filter_map(|(_, v)| parse_id(v))
                .collect();
            for (key, on) in [("a", true), ("r", false)] {
                for state in f.iter().filter(|(k, _)| k == key).map(|(_, v)| v) {
                    for id in &ids {
                        if let Some(item) = s.items.get_mut(id) {
                            match state.as_str() {
                                "user/-/state/com.google/read" => item.read = on,
                                "user/-/state/com.google/starred" => item.starred = on,
                                _ => {}
                            }
                        }
                    }
                }
            }
            Reply::ok("text/plain", "OK")
        }),
    );
    server.route(
        &format!("{BASE}/reader/api/0/subscription/quickadd"),
        guard(state.clone(), true, |s, r| {
            // FreshRSS reads it from the query, others from the form.
            let (f, q) = (form(&r.body), query(r));
            let url = get(&q, "quickadd")
                .or(get(&f, "quickadd"))
                .unwrap_or("")
                .to_string();
            let id = format!("feed/{}", s.subs.len() + 100);
            s.subs.push(Sub {
                id: id.clone(),
                title: "Added Feed".into(),
                url: url.clone(),
                labels: vec![],
            });
            let now = s.items.keys().last().copied().unwrap_or(0) + 1_000_000;
            s.items.insert(
                now,
                Item {
                    feed: id.clone(),
                    title: "Added article".into(),
                    crawl_ms: now / 1000,
                    read: false,
                    starred: false,
                },
            );
            Reply::ok(
                "application/json",
                json!({"query": url, "numResults": 1, "streamId": id, "streamName": "Added Feed"})
                    .to_string(),
            )
        }),
    );
    server.route(
        &format!("{BASE}/reader/api/0/subscription/edit"),
        guard(state.clone(), true, |s, r| {
            let f = form(&r.body);
            let stream = get(&f, "s").unwrap_or("").to_string();
            match get(&f, "ac") {
                Some("unsubscribe") => {
                    s.subs.retain(|f| f.id != stream);
                    s.items.retain(|_, i| i.feed != stream);
                }
                Some("edit") => {
                    if let Some(sub) = s.subs.iter_mut().find(|f| f.id == stream) {
                        if let Some(label) =
                            get(&f, "a").and_then(|a| a.strip_prefix("user/-/label/"))
                        {
                            sub.labels.push(label.to_string());
                        }
                    }
                }
                _ => return Reply::status(400),
            }
            Reply::ok("text/plain", "OK")
        }),
    );
    server
}

/// Two feeds (one in two labels), `n` articles between them, every third one read.
fn state_with(n: i64) -> Arc<Mutex<State>> {
    let mut s = State {
        subs: vec![
            Sub {
                id: "feed/1".into(),
                title: "Security Weekly".into(),
                url: "https://sec.example/feed".into(),
                labels: vec!["security".into(), "weekly".into()],
            },
            Sub {
                id: "feed/2".into(),
                title: "Harbour &amp; Town".into(),
                url: "https://harbour.example/rss".into(),
                labels: vec![],
            },
        ],
        ..State::default()
    };
    let base: i64 = 1_764_000_000_000_000;
    for k in 0..n {
        let id = base + k * 1_000_000;
        s.items.insert(
            id,
            Item {
                feed: if k % 2 == 0 { "feed/1" } else { "feed/2" }.into(),
                title: format!("Article {k}"),
                crawl_ms: id / 1000,
                read: k % 3 == 0,
                starred: false,
            },
        );
    }
    Arc::new(Mutex::new(s))
}

fn config(server: &Server, password_env: &str) -> String {
    format!(
        "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"greader\"\nurl = \"{}\"\nusername = \"alice\"\npassword_env = \"{password_env}\"\n",
        server.url(BASE)
    )
}

/// The server's id of the article with this title.
fn sid(state: &Arc<Mutex<State>>, title: &str) -> i64 {
    let s = state.lock().unwrap();
    *s.items
        .iter()
        .find(|(_, i)| i.title == title)
        .unwrap_or_else(|| panic!("{title} is not on the server"))
        .0
}

/// The server's article with this title, as it is now.
fn server_item(state: &Arc<Mutex<State>>, title: &str) -> Item {
    let id = sid(state, title);
    state.lock().unwrap().items[&id].clone()
}

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

    // Read and starred here → there.
    env.ok(&["mark-read", &local(&env, "Article 1")["id"].to_string()]);
    env.ok(&["star", &local(&env, "Article 2")["id"].to_string()]);
    let s = sync(&env);
    assert_eq!(s["pushed"], 2, "{s}");
    assert!(server_item(&state, "Article 1").read);
    assert!(server_item(&state, "Article 2").starred);

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
    env.ok(&["mark-read", &local(&env, "Article 7")["id"].to_string()]);
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
    env.ok(&["mark-read", &local(&env, "Article 1")["id"].to_string()]);
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
    tmux.keys(&["q", "G", "d"]);
    tmux.wait_for("Remove Harbour & Town");
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
    tmux.keys(&["q", "q", "q"]);
    tmux.wait_exit();
}
