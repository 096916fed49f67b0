//! A Fever API server on loopback, written from the protocol's documentation (no Fever
//! server installs from a package registry alone): every call a form POST to
//! `?api&...` with `api_key = md5("user:password")`, answers with `auth`,
//! `feeds`/`groups`/`feeds_groups`, `items` after `since_id` fifty at a time (and before
//! `max_id`, newest first, as FreshRSS and Miniflux page backwards), id lists as
//! comma-separated strings, `mark=item&as=read|unread|saved|unsaved&id=N`, and
//! `mark=feed&as=read&id=F&before=T` (the feed's articles published before T, as
//! Miniflux and coldsweat read `before`). An article's `created_on_time` is
//! 1780000000 + its id.

use super::{Reply, Server};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// md5("alice:secret"), as the protocol's clients compute it.
pub const KEY: &str = "6f622058968bb90757e6c6ed79e5df81";

#[derive(Default)]
pub struct State {
    /// id -> (feed id, read, saved)
    pub items: BTreeMap<u64, (u64, bool, bool)>,
    /// Every call, by its query and form (`api_key` left out), in order.
    pub calls: Vec<String>,
    /// Articles `mark=feed` leaves unread (as a server that reads `before` as the time
    /// it took an article in may).
    pub feed_mark_skips: Vec<u64>,
    /// Lists articles as coldsweat 0.10.2 does: for `since_id` and `max_id`, fifty of
    /// those above or below, by feed then id (its joins' order), so that it cannot page
    /// backwards, nor forwards by the highest id of a page.
    pub by_feed: bool,
}

fn form(body: &str) -> BTreeMap<String, String> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%2C", ",")))
        .collect()
}

/// The first fifty ids of `range`, by feed then id.
fn by_feed(
    items: &BTreeMap<u64, (u64, bool, bool)>,
    range: impl std::ops::RangeBounds<u64>,
) -> Vec<u64> {
    let mut ids: Vec<(u64, u64)> = items.range(range).map(|(k, v)| (v.0, *k)).collect();
    ids.sort_unstable();
    ids.into_iter().take(50).map(|(_, k)| k).collect()
}

pub fn fever_server(state: Arc<Mutex<State>>, key: String) -> Server {
    let server = Server::start();
    server.route("/fever/", move |r| {
        let f = form(&r.body);
        let query = r.path.split_once('?').map(|(_, q)| q).unwrap_or("");
        if f.get("api_key").map(String::as_str) != Some(key.as_str()) {
            return Reply::ok("application/json", r#"{"api_version":3,"auth":0}"#);
        }
        let mut s = state.lock().unwrap();
        let mut answer = serde_json::json!({"api_version": 3, "auth": 1, "last_refreshed_on_time": 1780000000});
        let call: Vec<String> = r.body.split('&').filter(|kv| !kv.starts_with("api_key=")).map(str::to_string).collect();
        s.calls.push(format!("{query} {}", call.join("&")));
        if f.get("mark").map(String::as_str) == Some("feed") && f.get("as").map(String::as_str) == Some("read") {
            let feed: u64 = f["id"].parse().unwrap();
            let before: u64 = f["before"].parse().unwrap();
            let skips = s.feed_mark_skips.clone();
            for (id, item) in s.items.iter_mut() {
                if item.0 == feed && 1780000000 + id < before && !skips.contains(id) {
                    item.1 = true;
                }
            }
        }
        if f.get("mark").map(String::as_str) == Some("item") {
            let id: u64 = f["id"].parse().unwrap();
            if let Some(item) = s.items.get_mut(&id) {
                match f["as"].as_str() {
                    "read" => item.1 = true,
                    "unread" => item.1 = false,
                    "saved" => item.2 = true,
                    "unsaved" => item.2 = false,
                    _ => {}
                }
            }
        }
        for part in query.split('&') {
            match part {
                "feeds" => {
                    answer["feeds"] = serde_json::json!([
                        {"id": 1, "favicon_id": 1, "title": "Security Weekly", "url": "https://sec.example/feed", "site_url": "https://sec.example/", "is_spark": 0, "last_updated_on_time": 1780000000},
                        // Some servers send numbers as strings.
                        {"id": "2", "favicon_id": 1, "title": "Harbour Notes", "url": "https://harbour.example/rss", "site_url": "https://harbour.example/", "is_spark": 0, "last_updated_on_time": 1780000000}
                    ]);
                    answer["feeds_groups"] = serde_json::json!([{"group_id": 10, "feed_ids": "1"}, {"group_id": 11, "feed_ids": "1,2"}]);
                }
                "groups" => {
                    answer["groups"] = serde_json::json!([{"id": 10, "title": "security"}, {"id": 11, "title": "weekly"}]);
                }
                "unread_item_ids" => {
                    let ids: Vec<String> = s.items.iter().filter(|(_, v)| !v.1).map(|(k, _)| k.to_string()).collect();
                    answer["unread_item_ids"] = ids.join(",").into();
                }
                "saved_item_ids" => {
                    let ids: Vec<String> = s.items.iter().filter(|(_, v)| v.2).map(|(k, _)| k.to_string()).collect();
                    answer["saved_item_ids"] = ids.join(",").into();
                }
                p if p.starts_with("since_id=") || p.starts_with("with_ids=") || p.starts_with("max_id=") => {
                    let wanted: Vec<u64> = match (p.strip_prefix("since_id="), p.strip_prefix("max_id=")) {
                        (Some(since), _) if s.by_feed => {
                            let since: u64 = since.parse().unwrap();
                            by_feed(&s.items, since + 1..)
                        }
                        (_, Some(max)) if s.by_feed => {
                            let max: u64 = max.parse().unwrap();
                            by_feed(&s.items, ..max)
                        }
                        (Some(since), _) => {
                            let since: u64 = since.parse().unwrap();
                            s.items.range(since + 1..).take(50).map(|(k, _)| *k).collect()
                        }
                        (_, Some(max)) => {
                            let max: u64 = max.parse().unwrap();
                            s.items.range(..max).rev().take(50).map(|(k, _)| *k).collect()
                        }
                        _ => p["with_ids=".len()..]
                            .split([',', '%'])
                            .filter_map(|i| i.trim_start_matches("2C").parse().ok())
                            .take(50)
                            .collect(),
                    };
                    let items: Vec<serde_json::Value> = wanted
                        .iter()
                        .filter_map(|id| Some((id, s.items.get(id)?)))
                        .map(|(id, (feed, read, saved))| serde_json::json!({
                            "id": id, "feed_id": feed, "title": format!("Item {id}"), "author": "",
                            "html": format!("<p>Body {id}</p>"), "url": format!("https://sec.example/{id}"),
                            "is_saved": *saved as u8, "is_read": *read as u8, "created_on_time": 1780000000 + id
                        }))
                        .collect();
                    answer["items"] = items.into();
                    answer["total_items"] = s.items.len().into();
                }
                _ => {}
            }
        }
        let reply = Reply::ok("application/json", answer.to_string());
        // As a server behind a web server that compresses its JSON.
        match r.header("accept-encoding") {
            Some(accepted) if accepted.contains("gzip") => reply.gzipped(),
            _ => reply,
        }
    });
    server
}

/// A config that syncs with this loopback Fever server as alice, her password in
/// `password_env`.
pub fn config(server: &Server, password_env: &str) -> String {
    format!(
        "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"fever\"\nurl = \"{}\"\nusername = \"alice\"\npassword_env = \"{password_env}\"\n",
        server.url("/fever/")
    )
}
