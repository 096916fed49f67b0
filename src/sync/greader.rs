//! The Google Reader API as FreshRSS, Miniflux, Inoreader, The Old Reader and BazQux
//! serve it: `ClientLogin` gives a token sent as `Authorization: GoogleLogin auth=...`;
//! writes carry a second, short-lived edit token (`T`). Streams page with a
//! continuation string. Article ids come in a long form (`tag:google.com,2005:reader/
//! item/` and 16 hex digits) and a short one (the same number in decimal): the cache
//! keeps the decimal form, and writes send the long one, which every server takes.

use super::json::{id, number, text};
use super::{
    clean_link, clean_title, Mark, Paged, RemoteFeed, RemoteItem, SyncError, SyncProvider,
};
use crate::fetch::Fetcher;
use serde_json::Value;

const LONG_PREFIX: &str = "tag:google.com,2005:reader/item/";
const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
/// Pages of 10,000 ids read for one list at most: two million unread or starred
/// articles, beyond any account, and a bound on a server that never stops paging.
const MAX_ID_PAGES: usize = 200;
/// Articles per page of a stream, and ids per write.
const PAGE: usize = 250;

mod stream;
use stream::{item, label_name};

pub struct GReader {
    fetcher: Fetcher,
    /// The API base: FreshRSS's `.../api/greader.php`, Miniflux's root, ...
    base: String,
    user: String,
    password: String,
    auth: Option<String>,
    edit_token: Option<String>,
}

impl GReader {
    pub fn new(fetcher: Fetcher, base: &str, user: &str, password: &str) -> GReader {
        GReader {
            fetcher,
            base: base.trim_end_matches('/').to_string(),
            user: user.to_string(),
            password: password.to_string(),
            auth: None,
            edit_token: None,
        }
    }

    fn api(&self, path: &str) -> String {
        format!("{}/reader/api/0/{path}", self.base)
    }

    /// One call with the login token; the body when the server said 2xx.
    fn call(&self, url: &str, form: Option<&[(&str, &str)]>) -> Result<Vec<u8>, SyncError> {
        let auth = format!("GoogleLogin auth={}", self.auth.as_deref().unwrap_or(""));
        let (status, body) =
            self.fetcher
                .api_call(url, &[("Authorization", auth.as_str())], form)?;
        match status {
            200..=299 => Ok(body),
            401 | 403 => Err(SyncError::Auth),
            s => Err(SyncError::Status(s)),
        }
    }

    fn json(&self, url: &str, form: Option<&[(&str, &str)]>) -> Result<Value, SyncError> {
        let body = self.call(url, form)?;
        serde_json::from_slice(&body).map_err(|e| SyncError::Protocol(format!("not JSON ({e})")))
    }

    /// A write: the edit token goes with the form, fetched once a sync, and once more
    /// when the server says it has expired (a 401 to a write).
    fn write(&mut self, path: &str, form: &[(&str, &str)]) -> Result<Vec<u8>, SyncError> {
        let mut retried = false;
        loop {
            if self.edit_token.is_none() {
                let body = self.call(&self.api("token"), None)?;
                self.edit_token = Some(String::from_utf8_lossy(&body).trim().to_string());
            }
            let token = self.edit_token.clone().unwrap_or_default();
            let mut full: Vec<(&str, &str)> = form.to_vec();
            full.push(("T", token.as_str()));
            match self.call(&self.api(path), Some(&full)) {
                Err(SyncError::Auth) if !retried => {
                    retried = true;
                    self.edit_token = None;
                }
                other => return other,
            }
        }
    }

    /// Every id of a stream (`s`), less those with the state `xt`, page by page. A
    /// continuation given twice ends the paging (a server that loops); more than
    /// `MAX_ID_PAGES` pages is an error, so that a list cut short never reads as "all
    /// the rest are read".
    fn ids(&self, stream: &str, exclude: Option<&str>) -> Result<Vec<String>, SyncError> {
        let mut out = Vec::new();
        let mut continuation: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_ID_PAGES {
            let mut url = format!(
                "{}?output=json&n=10000&s={}",
                self.api("stream/items/ids"),
                enc(stream)
            );
            if let Some(x) = exclude {
                url.push_str(&format!("&xt={}", enc(x)));
            }
            if let Some(c) = &continuation {
                url.push_str(&format!("&c={}", enc(c)));
            }
            let answer = self.json(&url, None)?;
            let refs = answer["itemRefs"].as_array();
            out.extend(
                refs.into_iter()
                    .flatten()
                    .filter_map(|r| id(&r["id"]))
                    .map(|i| short_id(&i)),
            );
            continuation = text(&answer["continuation"]);
            if continuation.is_none() || refs.is_none_or(|r| r.is_empty()) {
                return Ok(out);
            }
            // A continuation given twice would loop for ever; and a list cut there is not
            // the whole list, which must never be applied as "the rest are read".
            if let Some(c) = &continuation {
                if !seen.insert(c.clone()) {
                    return Err(SyncError::Protocol(format!(
                        "the server repeated a continuation while listing {stream}; the paging ends there and no state is applied"
                    )));
                }
            }
        }
        Err(SyncError::Protocol(format!(
            "{stream} goes on past {MAX_ID_PAGES} pages of ids; the sync stops there"
        )))
    }
}

/// Percent-encodes a query value.
fn enc(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// An article id in decimal, from either form; an id in neither form stays as it is.
pub fn short_id(raw: &str) -> String {
    if let Some(hex) = raw.strip_prefix(LONG_PREFIX) {
        if let Ok(n) = u64::from_str_radix(hex, 16) {
            // Ids are signed 64-bit numbers on the servers that use the top bit.
            return (n as i64).to_string();
        }
    } else if raw.parse::<i64>().is_ok() {
        return raw.to_string();
    }
    raw.to_string()
}

/// The long form, for writes.
pub fn long_id(short: &str) -> String {
    match short.parse::<i64>() {
        Ok(n) => format!("{LONG_PREFIX}{:016x}", n as u64),
        Err(_) => short.to_string(),
    }
}

impl SyncProvider for GReader {
    fn name(&self) -> &'static str {
        "greader"
    }

    fn set_deadline(&mut self, limit: std::time::Duration) {
        self.fetcher = self.fetcher.with_deadline(limit);
    }

    fn login(&mut self) -> Result<(), SyncError> {
        let url = format!("{}/accounts/ClientLogin", self.base);
        let form = [
            ("Email", self.user.as_str()),
            ("Passwd", self.password.as_str()),
        ];
        let (status, body) = self.fetcher.api_call(&url, &[], Some(&form))?;
        match status {
            200..=299 => {}
            401 | 403 => return Err(SyncError::Auth),
            s => return Err(SyncError::Status(s)),
        }
        let body = String::from_utf8_lossy(&body);
        let auth = body
            .lines()
            .find_map(|l| l.trim().strip_prefix("Auth="))
            .filter(|a| !a.is_empty())
            .ok_or(SyncError::Auth)?;
        self.auth = Some(auth.to_string());
        self.edit_token = None;
        Ok(())
    }

    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError> {
        let answer = self.json(
            &format!("{}?output=json", self.api("subscription/list")),
            None,
        )?;
        let subs = answer["subscriptions"]
            .as_array()
            .ok_or_else(|| SyncError::Protocol("no \"subscriptions\" in the answer".into()))?;
        Ok(subs
            .iter()
            .filter_map(|s| {
                let feed_id = id(&s["id"])?;
                // Some servers name the feed by its URL in the id only.
                let url = text(&s["url"])
                    .or_else(|| feed_id.strip_prefix("feed/").map(str::to_string))
                    .and_then(|u| clean_link(&u))?;
                let groups = s["categories"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(label_name)
                    .collect();
                Some(RemoteFeed {
                    title: text(&s["title"])
                        .map(|t| clean_title(&t))
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| url.clone()),
                    site_url: text(&s["htmlUrl"]).and_then(|u| clean_link(&u)),
                    groups,
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
        let since: Option<i64> = cursor.and_then(|c| c.parse().ok());
        let run = self.pages(since.map(|t| format!("&ot={t}")), limit, page)?;
        Ok(Paged {
            cursor: run.newest.or(since).map(|t| t.to_string()),
            more: run.more,
            top: None,
        })
    }

    fn older_items(
        &mut self,
        before: Option<&str>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Paged, SyncError> {
        let before: Option<i64> = before.and_then(|c| c.parse().ok());
        // `nt` leaves out what is newer than its second: the next run starts one second
        // above the oldest seen, taking that second's articles again (kept once) rather
        // than risking one left out.
        let run = self.pages(before.map(|t| format!("&nt={t}")), limit, page)?;
        Ok(Paged {
            cursor: run.oldest.map(|t| (t + 1).to_string()),
            more: run.more && run.oldest.is_some(),
            top: run.newest.map(|t| t.to_string()),
        })
    }

    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError> {
        let mut out = Vec::new();
        let url = format!("{}?output=json", self.api("stream/items/contents"));
        for chunk in ids.chunks(PAGE) {
            let long: Vec<String> = chunk.iter().map(|i| long_id(i)).collect();
            let form: Vec<(&str, &str)> = long.iter().map(|i| ("i", i.as_str())).collect();
            let answer = self.json(&url, Some(&form))?;
            out.extend(
                answer["items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(item),
            );
        }
        Ok(out)
    }

    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.ids(READING_LIST, Some(READ))
    }

    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.ids(STARRED, None)
    }

    fn mark(&mut self, ids: &[String], mark: Mark) -> Result<(), SyncError> {
        let (action, state) = match mark {
            Mark::Read => ("a", READ),
            Mark::Unread => ("r", READ),
            Mark::Star => ("a", STARRED),
            Mark::Unstar => ("r", STARRED),
        };
        for chunk in ids.chunks(PAGE) {
            let long: Vec<String> = chunk.iter().map(|i| long_id(i)).collect();
            let mut form: Vec<(&str, &str)> = long.iter().map(|i| ("i", i.as_str())).collect();
            form.push((action, state));
            self.write("edit-tag", &form)?;
        }
        Ok(())
    }

    fn subscribe(&mut self, url: &str, group: Option<&str>) -> Result<(), SyncError> {
        // In the query and the form: FreshRSS reads the one, other servers the other.
        let path = format!("subscription/quickadd?quickadd={}", enc(url));
        let body = self.write(&path, &[("quickadd", url)])?;
        let answer: Value = serde_json::from_slice(&body)
            .map_err(|e| SyncError::Protocol(format!("not JSON ({e})")))?;
        if number(&answer["numResults"]) == Some(0) {
            let why = text(&answer["error"]).unwrap_or_else(|| "no feed found there".into());
            return Err(SyncError::Protocol(format!(
                "the server could not subscribe to {url}: {}",
                crate::sanitize::clean_line(&why)
            )));
        }
        // The new feed's stream: "feed/12", or (FreshRSS) just its number.
        let stream = id(&answer["streamId"]).map(|s| {
            if s.contains('/') {
                s
            } else {
                format!("feed/{s}")
            }
        });
        if let (Some(group), Some(stream)) = (group, stream) {
            let label = format!("user/-/label/{group}");
            self.write(
                "subscription/edit",
                &[
                    ("ac", "edit"),
                    ("s", stream.as_str()),
                    ("a", label.as_str()),
                ],
            )?;
        }
        Ok(())
    }

    fn unsubscribe(&mut self, feed_id: &str) -> Result<(), SyncError> {
        self.write(
            "subscription/edit",
            &[("ac", "unsubscribe"), ("s", feed_id)],
        )?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "greader_tests.rs"]
mod tests;
