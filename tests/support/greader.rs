//! A Google Reader API server on loopback, written from the protocol as FreshRSS and
//! Miniflux document it (no server of that API installs from the package registries
//! here), keeping its state in memory. See tests/sync_greader.rs for the routes.

use super::{Reply, Request, Server};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

const AUTH: &str = "alice/8e6845e456da9b0fb3d6";
const EDIT_TOKEN: &str = "Zm9vYmFyZWRpdHRva2VuZm9v";
const LONG: &str = "tag:google.com,2005:reader/item/";
/// Where the API lives on the server, as FreshRSS's greader.php does.
pub const BASE: &str = "/api/greader.php";

#[derive(Clone)]
pub struct Item {
    pub feed: String,
    pub title: String,
    pub crawl_ms: i64,
    pub read: bool,
    pub starred: bool,
}

pub struct Sub {
    pub id: String,
    pub title: String,
    pub url: String,
    pub labels: Vec<String>,
}

#[derive(Default)]
pub struct State {
    pub subs: Vec<Sub>,
    /// By id (FreshRSS: the microsecond the server took the article in).
    pub items: BTreeMap<i64, Item>,
    /// Answer 503 to everything, as a server that is down behind its proxy.
    pub down: bool,
    /// edit-tag takes the request and never answers.
    pub stall_edits: bool,
    /// How many articles `stream/contents` has sent.
    pub sent: usize,
    /// `stream/items/ids` hands back the same continuation for ever (a broken server).
    pub repeat_continuation: bool,
    /// `stream/items/ids` never ends: a new continuation each page, and ids on each.
    pub endless: bool,
    /// How many `stream/items/ids` pages were asked for.
    pub id_pages: usize,
    /// Articles listed by id (unread, starred) whose contents are never sent: a server
    /// that keeps saying there is more and brings none of it.
    pub never_sent: std::collections::HashSet<i64>,
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

pub fn greader_server(state: Arc<Mutex<State>>) -> Server {
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
            // As a server behind a web server that compresses its JSON: every answer to a
            // client that accepts gzip comes gzipped.
            let reply = f(&mut s, r);
            match r.header("accept-encoding") {
                Some(accepted) if accepted.contains("gzip") => reply.gzipped(),
                _ => reply,
            }
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
            // `nt`: nothing newer than this second (FreshRSS, Miniflux).
            let nt: i64 = get(&q, "nt")
                .and_then(|n| n.parse().ok())
                .unwrap_or(i64::MAX);
            let offset: usize = get(&q, "c").and_then(|n| n.parse().ok()).unwrap_or(0);
            let matching: Vec<(i64, Item)> = s
                .items
                .iter()
                .rev()
                .filter(|(_, i)| i.crawl_ms / 1000 > ot && i.crawl_ms / 1000 < nt)
                .filter(|(id, _)| !s.never_sent.contains(id))
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
            let offset = if s.endless { 0 } else { offset };
            let refs: Vec<Value> = ids
                .iter()
                .skip(offset)
                .take(n)
                .map(|id| json!({"id": id.to_string(), "directStreamIds": [], "timestampUsec": id.to_string()}))
                .collect();
            let mut answer = json!({"itemRefs": refs});
            s.id_pages += 1;
            if s.repeat_continuation {
                answer["continuation"] = "again".into();
            } else if s.endless {
                answer["continuation"] = s.id_pages.to_string().into();
            } else if offset + n < ids.len() {
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
                .filter(|id| !s.never_sent.contains(id))
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
pub fn state_with(n: i64) -> Arc<Mutex<State>> {
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

pub fn config(server: &Server, password_env: &str) -> String {
    format!(
        "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"greader\"\nurl = \"{}\"\nusername = \"alice\"\npassword_env = \"{password_env}\"\n",
        server.url(BASE)
    )
}

/// The server's id of the article with this title.
pub fn sid(state: &Arc<Mutex<State>>, title: &str) -> i64 {
    let s = state.lock().unwrap();
    *s.items
        .iter()
        .find(|(_, i)| i.title == title)
        .unwrap_or_else(|| panic!("{title} is not on the server"))
        .0
}

/// The server's article with this title, as it is now.
pub fn server_item(state: &Arc<Mutex<State>>, title: &str) -> Item {
    let id = sid(state, title);
    state.lock().unwrap().items[&id].clone()
}
