//! The project's own domain types, independent of feed-rs, SQLite and the terminal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Row id of a feed in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeedId(pub i64);

/// Row id of an item in the cache; what `show` and `mark-read` take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub i64);

/// A feed as parsed, before it touches the cache.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub link: Option<String>,
    pub description: Option<String>,
    pub items: Vec<ParsedItem>,
}

/// One entry of a parsed feed. Text fields are already free of control characters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedItem {
    /// Stable across parses: guid/id, else the link, else a hash of title, date and content.
    pub guid: String,
    pub title: String,
    /// The title as the feed wrote it (XML decoded, white space collapsed), before any
    /// rendering: ids and change detection hash this, so a change in how titles are
    /// rendered gives no item a new id and rewrites no row. None for items not read
    /// from a feed.
    pub title_source: Option<String>,
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    pub enclosures: Vec<Enclosure>,
    /// The id is a relative one the feed gave (a JSON Feed's `"id": "1"`, an Atom
    /// `<id>1</id>`), resolved against the feed's address: unique within the feed only,
    /// never a sign that another feed's article is the same story.
    pub guid_local: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    pub url: String,
    #[serde(rename = "type")]
    pub mime: Option<String>,
    pub length: Option<u64>,
}

/// Conditional-GET validators remembered per feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A feed as the lists show it: identity, display name and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSummary {
    pub id: FeedId,
    pub url: String,
    /// The configured name, else the feed's own title, else the URL.
    pub name: String,
    pub tags: Vec<String>,
    pub unread: u32,
    pub total: u32,
    pub last_error: Option<String>,
    pub last_success: Option<DateTime<Utc>>,
    pub health: Health,
    /// `hidden = true`: not in the feed list (its articles are in searches and lists).
    pub hidden: bool,
    /// The web site the feed names as its own (its `<link>`), for `o` in the feed list.
    pub site: Option<String>,
}

/// How a feed has been doing, for `feeds --json` and the health view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Health {
    /// Failed refreshes in a row (0 after a success or a 304).
    pub consecutive_failures: u32,
    /// When the current run of failures began.
    pub failing_since: Option<DateTime<Utc>>,
    /// The server answered 410 Gone: not fetched again until asked.
    pub gone: bool,
    /// The URL the feed had before a permanent redirect moved it.
    pub moved_from: Option<String>,
    /// The time of its newest article.
    pub newest_item: Option<DateTime<Utc>>,
}

/// A feed failing this long is reported dead.
pub const DEAD_AFTER_DAYS: i64 = 30;

/// What a feed's health comes to, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Moved,
    Failing,
    Dead,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Moved => "moved",
            Status::Failing => "failing",
            Status::Dead => "dead",
        }
    }
}

impl FeedSummary {
    /// Dead: gone (410), or failing for DEAD_AFTER_DAYS; failing: its last refresh
    /// failed; moved: a permanent redirect moved it; else ok.
    pub fn status(&self, now: DateTime<Utc>) -> Status {
        let h = &self.health;
        let long_failing = h
            .failing_since
            .is_some_and(|since| now - since >= chrono::Duration::days(DEAD_AFTER_DAYS));
        if h.gone || (h.consecutive_failures > 0 && long_failing) {
            Status::Dead
        } else if h.consecutive_failures > 0 || self.last_error.is_some() {
            Status::Failing
        } else if h.moved_from.is_some() {
            Status::Moved
        } else {
            Status::Ok
        }
    }
}

/// What an article list row needs; the body stays in the cache until the article is opened.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub title: String,
    pub link: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub read: bool,
    pub starred: bool,
    /// The number its story's copies share (its own id when it has none).
    pub story: i64,
    /// How many other copies its story has, in any feed.
    pub copies: u32,
}

/// A whole article, as the reader pane and `show` need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub feed_url: String,
    pub feed_title: Option<String>,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    pub enclosures: Vec<Enclosure>,
    pub read: bool,
    pub starred: bool,
    /// The article's page, extracted, when it was fetched (or why it could not be).
    pub full_text: FullText,
    /// For a newsletter from email: the `[[mailbox]]` it came from, and its
    /// List-Unsubscribe link.
    pub mailbox: Option<String>,
    pub unsubscribe: Option<String>,
}

/// An article's full text as the cache keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FullText {
    pub html: Option<String>,
    /// The page it was extracted from.
    pub url: Option<String>,
    /// Why the page gave no article (a 404, a paywall, not an article): one line.
    pub error: Option<String>,
    /// The page's byline and site name (Reader View's), for the reader's header.
    pub byline: Option<String>,
    pub site_name: Option<String>,
}

/// A feed's name, by the one rule every list, header and export follows: the name the
/// config gives it, else the feed's own title, else its URL; as one clean line.
pub fn feed_display_name(configured: Option<&str>, title: Option<&str>, url: &str) -> String {
    let name = [configured, title]
        .into_iter()
        .flatten()
        .find(|n| !n.trim().is_empty())
        .unwrap_or(url);
    crate::sanitize::clean_line(name)
}

impl Item {
    /// The name of the feed this item came from, when no configured name is at hand.
    pub fn feed_name(&self) -> String {
        feed_display_name(None, self.feed_title.as_deref(), &self.feed_url)
    }
}

/// How an email's attachment is named among an article's enclosures: it has no web
/// address, only its file name after this.
pub const ATTACHMENT_SCHEME: &str = "attachment:";

/// An email message made an article, with the newsletter it belongs to (see the mail
/// module).
#[derive(Debug, Clone, PartialEq)]
pub struct MailArticle {
    /// The newsletter: its List-Id, else the sender's address (lower case).
    pub list: String,
    /// The newsletter's name: the List-Id's phrase, else the sender's name or address.
    pub list_name: String,
    pub item: ParsedItem,
    /// `List-Unsubscribe`'s web or mailto link.
    pub unsubscribe: Option<String>,
}

/// A feed as a sync server lists it (see the sync module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFeed {
    pub id: String,
    pub title: String,
    pub url: String,
    pub site_url: Option<String>,
    /// The server's groups or categories: tags here.
    pub groups: Vec<String>,
}

/// An article as the server has it. Text fields are clean (see the sync module's clean_title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    pub id: String,
    pub feed_id: String,
    pub title: String,
    pub author: Option<String>,
    pub html: String,
    pub url: Option<String>,
    /// A Unix time.
    pub published: Option<i64>,
    pub read: bool,
    pub starred: bool,
    /// Podcasts and attachments, when the protocol sends them (the Google Reader API).
    pub enclosures: Vec<Enclosure>,
}

/// A change of state sent to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    Read,
    Unread,
    Star,
    Unstar,
}

impl Mark {
    /// As the cache's queue writes it.
    pub fn name(self) -> &'static str {
        match self {
            Mark::Read => "read",
            Mark::Unread => "unread",
            Mark::Star => "star",
            Mark::Unstar => "unstar",
        }
    }

    pub fn from_name(name: &str) -> Option<Mark> {
        [Mark::Read, Mark::Unread, Mark::Star, Mark::Unstar]
            .into_iter()
            .find(|m| m.name() == name)
    }

    /// Read/unread and star/unstar are two separate states of an article.
    pub fn is_star(self) -> bool {
        matches!(self, Mark::Star | Mark::Unstar)
    }
}

/// A stamp of the hybrid clock that orders marks through a sync folder (see
/// `folder::clock`): milliseconds since the epoch (as the device's clock had it, or
/// later) and a counter for stamps within one millisecond.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Stamp(pub i64, pub u32);

impl Stamp {
    /// As kept in the cache's meta table: `ms.n`.
    pub fn to_meta(self) -> String {
        format!("{}.{}", self.0, self.1)
    }

    pub fn from_meta(text: &str) -> Option<Stamp> {
        let (ms, n) = text.split_once('.')?;
        Some(Stamp(ms.parse().ok()?, n.parse().ok()?))
    }
}

/// The kind of mark that travels through a sync folder: read state, or star.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkKind {
    Read,
    Star,
}

impl MarkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Read => "read",
            MarkKind::Star => "star",
        }
    }

    pub fn parse(text: &str) -> Option<MarkKind> {
        match text {
            "read" => Some(MarkKind::Read),
            "star" => Some(MarkKind::Star),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn status_says_dead_failing_moved_or_ok() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        let feed = |health: Health, error: Option<&str>| FeedSummary {
            id: FeedId(1),
            url: "https://a.example/".into(),
            name: "A".into(),
            tags: vec![],
            unread: 0,
            total: 0,
            last_error: error.map(str::to_string),
            last_success: None,
            health,
            hidden: false,
            site: None,
        };
        let failing_since = |days| Health {
            consecutive_failures: 3,
            failing_since: Some(now - chrono::Duration::days(days)),
            ..Health::default()
        };
        assert_eq!(feed(Health::default(), None).status(now), Status::Ok);
        assert_eq!(
            feed(failing_since(29), Some("HTTP 500")).status(now),
            Status::Failing
        );
        assert_eq!(
            feed(failing_since(30), Some("HTTP 500")).status(now),
            Status::Dead
        );
        let gone = Health {
            gone: true,
            consecutive_failures: 1,
            ..Health::default()
        };
        assert_eq!(feed(gone, Some("HTTP 410 Gone")).status(now), Status::Dead);
        let moved = Health {
            moved_from: Some("http://old.example/".into()),
            ..Health::default()
        };
        assert_eq!(feed(moved.clone(), None).status(now), Status::Moved);
        // Failing wins over moved: the new address fails.
        let moved_failing = Health {
            consecutive_failures: 1,
            ..moved
        };
        assert_eq!(feed(moved_failing, Some("x")).status(now), Status::Failing);
    }
}
