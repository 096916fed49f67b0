//! The Google Reader API's streams as the sync reads them: an article of
//! `stream/contents` as the core's `RemoteItem`, and the reading list paged newest first
//! within a window of crawl times (`ot`, `nt`), for new articles and the history alike.

use super::{enc, short_id, GReader, PAGE, READING_LIST};
use crate::sync::json::{id, number, text};
use crate::sync::{clean_link, clean_title, RemoteItem, SyncError};
use serde_json::Value;

/// A label's name from its id (`user/-/label/Security`, `user/1005/label/Security`).
pub(super) fn label_name(category: &Value) -> Option<String> {
    let from_id = id(&category["id"]).and_then(|i| {
        let at = i.find("/label/")?;
        Some(i[at + "/label/".len()..].to_string())
    });
    text(&category["label"])
        .or(from_id)
        .map(|l| clean_title(&l))
        .filter(|l| !l.is_empty())
}

fn has_state(item: &Value, state: &str) -> bool {
    item["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|c| c.ends_with(state))
}

/// An article of `stream/contents` or `stream/items/contents`.
pub(super) fn item(v: &Value) -> Option<RemoteItem> {
    let first_href = |key: &str| {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|l| text(&l["href"]).and_then(|h| clean_link(&h)))
    };
    let html = text(&v["content"]["content"])
        .or_else(|| text(&v["summary"]["content"]))
        .unwrap_or_default();
    Some(RemoteItem {
        id: short_id(&id(&v["id"])?),
        feed_id: id(&v["origin"]["streamId"])?,
        title: text(&v["title"])
            .map(|t| clean_title(&t))
            .unwrap_or_default(),
        author: text(&v["author"])
            .map(|a| clean_title(&a))
            .filter(|a| !a.is_empty()),
        html,
        url: first_href("canonical").or_else(|| first_href("alternate")),
        published: number(&v["published"])
            .or_else(|| number(&v["updated"]))
            .filter(|t| *t > 0),
        read: has_state(v, "/state/com.google/read"),
        starred: has_state(v, "/state/com.google/starred"),
        enclosures: v["enclosure"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| {
                Some(crate::model::Enclosure {
                    url: text(&e["href"]).and_then(|h| clean_link(&h))?,
                    mime: text(&e["type"]).map(|t| crate::sanitize::clean_line(&t)),
                    length: number(&e["length"]).and_then(|n| u64::try_from(n).ok()),
                })
            })
            .collect(),
    })
}

/// The crawl times a run of pages saw, and whether it stopped before the end.
pub(super) struct Run {
    pub newest: Option<i64>,
    pub oldest: Option<i64>,
    pub more: bool,
}

impl GReader {
    /// The reading list newest first, narrowed by `window` (`&ot=` or `&nt=`), a page at
    /// a time to `page` until `limit` articles, the list's end, or `Enough`.
    pub(super) fn pages(
        &self,
        window: Option<String>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Run, SyncError> {
        let mut run = Run {
            newest: None,
            oldest: None,
            more: false,
        };
        let mut continuation: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        let mut taken = 0;
        loop {
            let mut url = format!(
                "{}/{READING_LIST}?output=json&n={PAGE}{}",
                self.api("stream/contents"),
                window.as_deref().unwrap_or_default()
            );
            if let Some(c) = &continuation {
                url.push_str(&format!("&c={}", enc(c)));
            }
            let answer = self.json(&url, None)?;
            let raw = answer["items"].as_array().cloned().unwrap_or_default();
            let times: Vec<i64> = raw.iter().filter_map(crawled).collect();
            run.newest = times.iter().copied().chain(run.newest).max();
            run.oldest = times.iter().copied().chain(run.oldest).min();
            let items: Vec<RemoteItem> = raw.iter().filter_map(item).collect();
            taken += raw.len();
            continuation = text(&answer["continuation"]).filter(|_| !raw.is_empty());
            match page(&items) {
                Err(SyncError::Enough) => {
                    run.more = continuation.is_some();
                    break;
                }
                other => other?,
            }
            let Some(c) = &continuation else { break };
            // A server that hands back a continuation it gave before would loop.
            if !seen.insert(c.clone()) {
                tracing::warn!("the server repeated a continuation; paging ends");
                break;
            }
            if taken >= limit {
                run.more = true;
                break;
            }
        }
        Ok(run)
    }
}

/// When the server took an article in, in seconds: the cursor of the next sync.
pub(super) fn crawled(v: &Value) -> Option<i64> {
    number(&v["crawlTimeMsec"])
        .map(|ms| ms / 1000)
        .or_else(|| number(&v["timestampUsec"]).map(|us| us / 1_000_000))
        .or_else(|| number(&v["published"]))
}
