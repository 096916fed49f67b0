//! What `--json` prints, as types: the contract scripts rely on is these structs, in this
//! field order, and nothing else.

use crate::model::{FeedSummary, ItemRow, ParsedFeed, ParsedItem};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// A date as RFC 3339 in UTC, to the second; null when there is none.
fn rfc3339(d: Option<DateTime<Utc>>) -> Option<String> {
    d.map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// One feed of `feeds --json`.
#[derive(Serialize)]
pub struct FeedJson<'a> {
    title: &'a str,
    url: &'a str,
    tags: &'a [String],
    unread: u32,
    total: u32,
    last_error: Option<&'a str>,
    last_success: Option<String>,
    consecutive_failures: u32,
    newest_item: Option<String>,
    moved_from: Option<&'a str>,
    status: crate::model::Status,
    /// Left out of the TUI's feed list (`hidden = true`); said only when it is.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    hidden: bool,
}

impl<'a> FeedJson<'a> {
    pub fn new(f: &'a FeedSummary, now: DateTime<Utc>) -> FeedJson<'a> {
        FeedJson {
            title: &f.name,
            url: &f.url,
            tags: &f.tags,
            unread: f.unread,
            total: f.total,
            last_error: f.last_error.as_deref(),
            last_success: rfc3339(f.last_success),
            consecutive_failures: f.health.consecutive_failures,
            newest_item: rfc3339(f.health.newest_item),
            moved_from: f.health.moved_from.as_deref(),
            status: f.status(now),
            hidden: f.hidden,
        }
    }
}

/// One item of `items --json`.
#[derive(Serialize)]
pub struct ItemJson<'a> {
    id: i64,
    feed: &'a str,
    title: &'a str,
    link: Option<&'a str>,
    published: Option<String>,
    read: bool,
    starred: bool,
    /// Shared by every copy of one story (in other feeds); its own id when it has none.
    story: i64,
}

impl<'a> ItemJson<'a> {
    pub fn new(r: &'a ItemRow, feed: &'a str) -> ItemJson<'a> {
        ItemJson {
            id: r.id.0,
            feed,
            title: &r.title,
            link: r.link.as_deref(),
            published: rfc3339(r.published),
            read: r.read,
            starred: r.starred,
            story: r.story,
        }
    }
}

/// `probe --json`: the feed and its items, text fields as the reader renders them.
#[derive(Serialize)]
pub struct ProbeJson<'a> {
    feed: ProbeFeed<'a>,
    items: Vec<ProbeItem<'a>>,
}

#[derive(Serialize)]
struct ProbeFeed<'a> {
    title: Option<&'a str>,
    link: Option<&'a str>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct ProbeItem<'a> {
    id: &'a str,
    title: &'a str,
    link: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<String>,
    updated: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    enclosures: Vec<EnclosureJson<'a>>,
}

#[derive(Serialize)]
struct EnclosureJson<'a> {
    url: &'a str,
    #[serde(rename = "type")]
    mime: Option<&'a str>,
    length: Option<u64>,
}

impl<'a> ProbeJson<'a> {
    /// `text` renders an item's HTML (with the base for its relative links) as text.
    pub fn new(
        feed: &'a ParsedFeed,
        text: impl Fn(&ParsedItem, &Option<String>) -> Option<String>,
    ) -> ProbeJson<'a> {
        ProbeJson {
            feed: ProbeFeed {
                title: feed.title.as_deref(),
                link: feed.link.as_deref(),
                description: feed.description.as_deref(),
            },
            items: feed
                .items
                .iter()
                .map(|i| ProbeItem {
                    id: &i.guid,
                    title: &i.title,
                    link: i.link.as_deref(),
                    author: i.author.as_deref(),
                    published: rfc3339(i.published),
                    updated: rfc3339(i.updated),
                    summary: text(i, &i.summary_html),
                    content: text(i, &i.content_html),
                    enclosures: i
                        .enclosures
                        .iter()
                        .map(|e| EnclosureJson {
                            url: &e.url,
                            mime: e.mime.as_deref(),
                            length: e.length,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Pretty JSON and a newline.
pub fn to_json(value: &impl Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}
