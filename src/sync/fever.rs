//! The Fever API (FreshRSS, Miniflux, coldsweat, Tiny Tiny RSS's plugin): every call is a
//! form POST to `URL?api&WHAT` with `api_key = md5("user:password")`; answers are JSON
//! objects that carry `auth` (1 when the key was taken) beside what was asked. Servers
//! differ on numbers as numbers or strings, so ids are read as either.

use super::json::{id, number, text};
use super::{
    clean_link, clean_title, Mark, Paged, RemoteFeed, RemoteItem, SyncError, SyncProvider,
};
use crate::fetch::Fetcher;
use md5::{Digest, Md5};
use serde_json::Value;
use std::collections::HashMap;

pub struct Fever {
    fetcher: Fetcher,
    url: String,
    api_key: String,
}

impl Fever {
    pub fn new(fetcher: Fetcher, url: &str, user: &str, password: &str) -> Fever {
        let digest = Md5::digest(format!("{user}:{password}").as_bytes());
        let api_key = digest.iter().map(|b| format!("{b:02x}")).collect();
        Fever {
            fetcher,
            url: url.to_string(),
            api_key,
        }
    }

    /// One call: `what` is the query after `api` (`feeds`, `items&since_id=5`, ...).
    fn call(&self, what: &str, extra: &[(&str, &str)]) -> Result<Value, SyncError> {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        let url = if what.is_empty() {
            format!("{}{sep}api", self.url)
        } else {
            format!("{}{sep}api&{what}", self.url)
        };
        let mut form = vec![("api_key", self.api_key.as_str())];
        form.extend_from_slice(extra);
        let (status, body) = self.fetcher.post_form(&url, &form)?;
        if status == 404 && extra.iter().any(|(k, _)| *k == "mark") {
            // The article is no longer on the server: nothing left to mark.
            return Ok(Value::Null);
        }
        if status == 401 || status == 403 {
            return Err(SyncError::Auth);
        }
        if !(200..300).contains(&status) {
            return Err(SyncError::Status(status));
        }
        let value: Value = serde_json::from_slice(&body)
            .map_err(|e| SyncError::Protocol(format!("not JSON ({e})")))?;
        if number(&value["auth"]) != Some(1) {
            return Err(SyncError::Auth);
        }
        Ok(value)
    }

    /// One `items` call, in id order whatever order the server used.
    fn items(&self, what: &str) -> Result<Vec<RemoteItem>, SyncError> {
        self.parse_items(&self.call(what, &[])?)
    }

    /// The highest id of the articles `items&since_id` lists above `since`, and how many
    /// it listed; `None` when none is above it. Only the ids are read.
    fn above(&self, since: u64) -> Result<Option<(u64, usize)>, SyncError> {
        let answer = self.call(&format!("items&since_id={since}"), &[])?;
        let items = answer["items"]
            .as_array()
            .ok_or_else(|| SyncError::Protocol("no \"items\" in the answer".into()))?;
        let ids: Vec<u64> = items
            .iter()
            .filter_map(|i| id(&i["id"])?.parse().ok())
            .collect();
        Ok(ids.iter().max().map(|&top| (top, ids.len())))
    }

    /// The articles of an `items` answer, in id order.
    fn parse_items(&self, answer: &Value) -> Result<Vec<RemoteItem>, SyncError> {
        let items = answer["items"]
            .as_array()
            .ok_or_else(|| SyncError::Protocol("no \"items\" in the answer".into()))?;
        let mut out: Vec<RemoteItem> = items
            .iter()
            .filter_map(|i| {
                Some(RemoteItem {
                    id: id(&i["id"])?,
                    feed_id: id(&i["feed_id"])?,
                    title: text(&i["title"])
                        .map(|t| clean_title(&t))
                        .unwrap_or_default(),
                    author: text(&i["author"])
                        .map(|a| clean_title(&a))
                        .filter(|a| !a.is_empty()),
                    html: text(&i["html"]).unwrap_or_default(),
                    url: text(&i["url"]).and_then(|u| clean_link(&u)),
                    published: number(&i["created_on_time"]).filter(|t| *t > 0),
                    read: number(&i["is_read"]) == Some(1),
                    starred: number(&i["is_saved"]) == Some(1),
                    enclosures: Vec::new(),
                })
            })
            .collect();
        out.sort_by_key(|i| i.id.parse::<u64>().unwrap_or(u64::MAX));
        Ok(out)
    }
}

/// Articles in a full page of `items`, as the protocol fixes it.
const PAGE: usize = 50;

fn ignores_since_id() -> SyncError {
    SyncError::Unsupported("the Fever server does not page by since_id".into())
}

/// "1,2,3" (how Fever sends id lists), or a JSON array of ids.
fn id_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Value::Array(a) => a.iter().filter_map(id).collect(),
        _ => Vec::new(),
    }
}

impl SyncProvider for Fever {
    fn name(&self) -> &'static str {
        "fever"
    }

    fn set_deadline(&mut self, limit: std::time::Duration) {
        self.fetcher = self.fetcher.with_deadline(limit);
    }

    fn login(&mut self) -> Result<(), SyncError> {
        self.call("", &[]).map(|_| ())
    }

    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError> {
        let answer = self.call("feeds&groups", &[])?;
        let names: HashMap<String, String> = answer["groups"]
            .as_array()
            .map(|gs| {
                gs.iter()
                    .filter_map(|g| Some((id(&g["id"])?, clean_title(&text(&g["title"])?))))
                    .collect()
            })
            .unwrap_or_default();
        // feeds_groups: which feeds each group holds.
        let mut groups_of: HashMap<String, Vec<String>> = HashMap::new();
        for fg in answer["feeds_groups"].as_array().into_iter().flatten() {
            let Some(group) = id(&fg["group_id"]).and_then(|g| names.get(&g).cloned()) else {
                continue;
            };
            for feed in id_list(&fg["feed_ids"]) {
                groups_of.entry(feed).or_default().push(group.clone());
            }
        }
        let feeds = answer["feeds"]
            .as_array()
            .ok_or_else(|| SyncError::Protocol("no \"feeds\" in the answer".into()))?;
        Ok(feeds
            .iter()
            .filter_map(|f| {
                let feed_id = id(&f["id"])?;
                let url = text(&f["url"]).and_then(|u| clean_link(&u))?;
                Some(RemoteFeed {
                    title: text(&f["title"])
                        .map(|t| clean_title(&t))
                        .unwrap_or_else(|| url.clone()),
                    site_url: text(&f["site_url"]).and_then(|u| clean_link(&u)),
                    groups: groups_of.remove(&feed_id).unwrap_or_default(),
                    id: feed_id,
                    url,
                })
            })
            .collect())
    }

    fn new_items(
        &mut self,
        cursor: Option<&str>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Paged, SyncError> {
        // Fever pages forward from an id, 50 at a time; the highest id is the cursor.
        let mut since = cursor.unwrap_or("0").to_string();
        let mut taken = 0;
        let mut more = false;
        loop {
            let items = self.items(&format!("items&since_id={since}"))?;
            let Some(last) = items.last() else { break };
            if last.id.parse::<u64>().ok() <= since.parse::<u64>().ok() {
                // A server that ignores since_id would send the same page for ever.
                break;
            }
            since = last.id.clone();
            taken += items.len();
            match page(&items) {
                Err(SyncError::Enough) => {
                    more = true;
                    break;
                }
                other => other?,
            }
            if taken >= limit {
                more = true;
                break;
            }
        }
        Ok(Paged {
            cursor: Some(since),
            more,
            top: None,
        })
    }

    fn older_items(
        &mut self,
        before: Option<&str>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Paged, SyncError> {
        // `max_id` pages backwards, 50 at a time, newest first where the server sorts
        // them so (FreshRSS, Miniflux); a server that answers `max_id` with its oldest
        // articles instead (coldsweat) cannot page backwards, which the first page shows.
        let mut below: u64 = match before {
            Some(b) => b
                .parse()
                .map_err(|_| SyncError::Protocol(format!("history cursor {b:?}")))?,
            // The largest id every server reads as a number (JavaScript's too).
            None => (1 << 53) - 1,
        };
        let mut out = Paged::default();
        let mut taken = 0;
        loop {
            let answer = self.call(&format!("items&max_id={below}"), &[])?;
            if !answer["items"].is_array() {
                // No list at all: the server does not know max_id.
                return Err(SyncError::Unsupported(
                    "the Fever server does not page backwards (max_id)".into(),
                ));
            }
            let ids: Vec<u64> = answer["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| id(&i["id"])?.parse().ok())
                .collect();
            if ids.iter().any(|&i| i >= below) || ids.windows(2).any(|w| w[0] <= w[1]) {
                return Err(SyncError::Unsupported(
                    "the Fever server does not page backwards (max_id)".into(),
                ));
            }
            let Some(&lowest) = ids.last() else { break };
            let items = self.parse_items(&answer)?;
            if out.top.is_none() {
                out.top = items.last().map(|i| i.id.clone());
            }
            below = lowest;
            out.cursor = Some(lowest.to_string());
            taken += items.len();
            match page(&items) {
                Err(SyncError::Enough) => {
                    out.more = true;
                    break;
                }
                other => other?,
            }
            if taken >= limit {
                out.more = true;
                break;
            }
        }
        Ok(out)
    }

    fn newest_id(&mut self, above: u64) -> Result<Option<u64>, SyncError> {
        // `items&since_id=X` lists (at most 50) articles above X, and nothing when X is
        // the newest, in whatever order the server likes (coldsweat: by feed). From
        // `above` up by doubling steps until nothing is above, then halving the gap. A
        // page of fewer than 50 holds every article above, so its highest is the newest.
        // About 15 requests from 0 on an account of 100,000; one when nothing is new.
        let Some((mut low, n)) = self.above(above)? else {
            return Ok(None);
        };
        if n < PAGE {
            return Ok(Some(low));
        }
        let mut step: u64 = 1024;
        let mut high = loop {
            let at = low.saturating_add(step);
            match self.above(at)? {
                Some((top, _)) if top <= at => return Err(ignores_since_id()),
                Some((top, n)) if n < PAGE => return Ok(Some(top)),
                Some((top, _)) => low = top,
                None => break at,
            }
            if step > 1 << 53 {
                return Err(ignores_since_id());
            }
            step *= 2;
        };
        // An article at `low`, none above `high` (one may be at `high`).
        while high > low + 1 {
            let mid = low + (high - low) / 2;
            match self.above(mid)? {
                Some((top, _)) if top <= mid => return Err(ignores_since_id()),
                Some((top, n)) if n < PAGE => return Ok(Some(top)),
                Some((top, _)) => low = top,
                None => high = mid,
            }
        }
        // `high` itself, when it is an article.
        Ok(Some(match self.above(low)? {
            Some((top, _)) if top > low => top,
            _ => low,
        }))
    }

    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(50) {
            out.extend(self.items(&format!("items&with_ids={}", chunk.join(",")))?);
        }
        Ok(out)
    }

    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError> {
        Ok(id_list(
            &self.call("unread_item_ids", &[])?["unread_item_ids"],
        ))
    }

    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError> {
        Ok(id_list(
            &self.call("saved_item_ids", &[])?["saved_item_ids"],
        ))
    }

    fn mark(&mut self, ids: &[String], mark: Mark) -> Result<(), SyncError> {
        let state = match mark {
            Mark::Read => "read",
            Mark::Unread => "unread",
            Mark::Star => "saved",
            Mark::Unstar => "unsaved",
        };
        // Fever marks one item per call (whole feeds go by `mark_feed_read`).
        for item in ids {
            self.call(
                "",
                &[("mark", "item"), ("as", state), ("id", item.as_str())],
            )?;
        }
        Ok(())
    }

    fn marks_feeds(&self) -> bool {
        true
    }

    fn mark_feed_read(&mut self, feed_id: &str, before: i64) -> Result<(), SyncError> {
        let before = before.to_string();
        self.call(
            "",
            &[
                ("mark", "feed"),
                ("as", "read"),
                ("id", feed_id),
                ("before", &before),
            ],
        )
        .map(|_| ())
    }
}
