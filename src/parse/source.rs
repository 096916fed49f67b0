//! What a feed says, in the few fields bulletin keeps, before any cleaning, and how
//! feed-rs's model maps onto it (the direct reader fills it itself).

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, Text};

/// What a feed says, in the few fields bulletin keeps, before any cleaning. Both readers
/// fill it: [`direct`] for plain RSS 2.0 and Atom, feed-rs for everything else; one
/// cleaning step ([`finish`]) then makes the [`ParsedFeed`], so the two cannot drift.
#[derive(Debug, Default)]
pub(super) struct Source {
    pub(super) title: Option<SourceText>,
    pub(super) links: Vec<SourceLink>,
    pub(super) description: Option<SourceText>,
    pub(super) entries: Vec<SourceEntry>,
    /// RSS (any version), where an item's guid is also its permalink when it has no link.
    pub(super) is_rss: bool,
    /// The root's xml:base: the base of what the document says, before the feed's URL.
    pub(super) base: Option<String>,
}

#[derive(Debug)]
pub(super) struct SourceText {
    pub(super) body: String,
    pub(super) html: bool,
}

#[derive(Debug)]
pub(super) struct SourceLink {
    pub(super) href: String,
    pub(super) rel: Option<String>,
    pub(super) media_type: Option<String>,
    pub(super) length: Option<u64>,
    /// An address written without its scheme from `www.` (`www.example.com/post`),
    /// as that site: `href` keeps feed-rs's reading of it (a path under the feed's
    /// address), from which an item without an id of its own was always known.
    pub(super) site: Option<String>,
}

#[derive(Debug, Default)]
pub(super) struct SourceEntry {
    pub(super) id: String,
    /// The id is no address (RSS's `isPermaLink="false"`): never taken as the link.
    pub(super) id_not_link: bool,
    /// xml:base of the entry, which wins over the feed URL for its relative links.
    pub(super) base: Option<String>,
    /// What xml:base makes of the content's and summary's addresses, when one is in
    /// scope (parse::bases): their relative links resolve against it.
    pub(super) content_base: Option<String>,
    pub(super) summary_base: Option<String>,
    /// What xml:base makes of an RSS guid's address, when one is in scope: a relative
    /// permalink resolves against it.
    pub(super) guid_base: Option<String>,
    /// Its plain texts' single line breaks are the author's (a JSON Feed's
    /// `content_text`: a list, a poem), kept as breaks; elsewhere they are wrapping.
    pub(super) text_lines: bool,
    pub(super) title: Option<SourceText>,
    pub(super) links: Vec<SourceLink>,
    /// Its address written as Atom writes one in RSS (`<link href="..."/>`), read by a
    /// later version than the item's id: the link, but no part of the id, which stays
    /// the one made without it (else such items came back as new after an upgrade).
    pub(super) late_links: Vec<SourceLink>,
    pub(super) author_names: Vec<String>,
    pub(super) content: Option<SourceText>,
    pub(super) summary: Option<SourceText>,
    /// Media objects (url, type, size), as feed-rs reads enclosures and Media RSS.
    pub(super) media: Vec<(Option<String>, Option<String>, Option<u64>)>,
    pub(super) published: Option<DateTime<Utc>>,
    pub(super) updated: Option<DateTime<Utc>>,
}

impl Source {
    pub(super) fn from_feed_rs(feed: Feed) -> Source {
        // RSS 0.9x and 1.0 say nothing of a description's type, and feed-rs takes it for
        // text; feeds put HTML there as they do in RSS 2.0 (feedparser reads it so).
        let old_rss = matches!(
            feed.feed_type,
            feed_rs::model::FeedType::RSS0 | feed_rs::model::FeedType::RSS1
        );
        let mut source = Source {
            title: feed.title.map(SourceText::from_feed_rs),
            links: feed
                .links
                .into_iter()
                .map(SourceLink::from_feed_rs)
                .collect(),
            description: feed.description.map(SourceText::from_feed_rs),
            entries: feed
                .entries
                .into_iter()
                .map(SourceEntry::from_feed_rs)
                .collect(),
            is_rss: matches!(
                feed.feed_type,
                feed_rs::model::FeedType::RSS0
                    | feed_rs::model::FeedType::RSS1
                    | feed_rs::model::FeedType::RSS2
            ),
            base: None,
        };
        if old_rss {
            for summary in source.entries.iter_mut().filter_map(|e| e.summary.as_mut()) {
                summary.html = true;
            }
        }
        if source.is_rss {
            // Texts feed-rs took for plain (an episode's itunes:summary, a
            // media:description) are HTML when they look it: feedparser's rule for
            // untyped text outside Atom (show notes in CDATA were shown with their tags).
            for entry in &mut source.entries {
                for text in [&mut entry.summary, &mut entry.content]
                    .into_iter()
                    .flatten()
                {
                    if !text.html {
                        text.html = super::looks_html::looks_like_html(&text.body);
                    }
                }
            }
        }
        source
    }
}

impl SourceText {
    pub(super) fn from_feed_rs(text: Text) -> SourceText {
        SourceText {
            html: text.content_type.as_ref().contains("html"),
            body: text.content,
        }
    }
}

impl SourceLink {
    pub(super) fn from_feed_rs(link: feed_rs::model::Link) -> SourceLink {
        // An RSS `<comments>` is where people talk about the item, never the item's
        // address (feedparser's reading too): marked so, as the direct reader marks it.
        let rel = match link.target {
            Some(feed_rs::model::LinkTarget::Comments) => Some("comments".into()),
            Some(feed_rs::model::LinkTarget::CommentsFeed) => Some("comments-feed".into()),
            _ => link.rel,
        };
        SourceLink {
            href: link.href,
            rel,
            media_type: link.media_type,
            length: link.length,
            site: None,
        }
    }
}

impl SourceEntry {
    pub(super) fn from_feed_rs(entry: Entry) -> SourceEntry {
        let media = entry
            .media
            .iter()
            .flat_map(|m| m.content.iter())
            .map(|c| {
                (
                    c.url.as_ref().map(|u| u.to_string()),
                    c.content_type
                        .as_ref()
                        .map(|t| AsRef::<str>::as_ref(t).to_owned()),
                    c.size,
                )
            })
            .collect();
        SourceEntry {
            id_not_link: false,
            id: entry.id,
            base: entry.base,
            content_base: None,
            summary_base: None,
            guid_base: None,
            text_lines: false,
            title: entry.title.map(SourceText::from_feed_rs),
            links: entry
                .links
                .into_iter()
                .map(SourceLink::from_feed_rs)
                .collect(),
            late_links: Vec::new(),
            // A person written as an e-mail address alone is named by it (as feedparser
            // does).
            author_names: {
                let mut names: Vec<String> = entry
                    .authors
                    .into_iter()
                    .filter_map(|p| p.name.filter(|n| !n.trim().is_empty()).or(p.email))
                    .collect();
                // A podcast episode's itunes:author, where the item names no one else.
                if names.is_empty() {
                    names.extend(
                        entry
                            .media
                            .iter()
                            .flat_map(|m| m.credits.iter())
                            .map(|c| c.entity.clone()),
                    );
                }
                names
            },
            // A content type feed-rs left empty is taken for HTML. An episode with both a
            // description and an itunes:summary has the second as its content, as
            // feedparser reads it; unless it is the shorter: then it is a picture's
            // caption (a media:description, which feed-rs keeps in the same place),
            // and the article is the description.
            content: entry
                .content
                .and_then(|c| {
                    let ct = c.content_type.as_ref();
                    let html = ct.contains("html") || ct.is_empty();
                    Some(SourceText {
                        body: c.body?,
                        html,
                    })
                })
                .or_else(|| {
                    let summary = entry.summary.as_ref()?;
                    entry
                        .media
                        .iter()
                        .find_map(|m| m.description.clone())
                        .filter(|d| d.content.trim().len() > summary.content.trim().len())
                        .map(SourceText::from_feed_rs)
                }),
            // An episode's itunes:summary stands in for a missing description.
            summary: entry.summary.map(SourceText::from_feed_rs).or_else(|| {
                entry
                    .media
                    .iter()
                    .find_map(|m| m.description.clone())
                    .map(SourceText::from_feed_rs)
            }),
            media,
            published: entry.published,
            updated: entry.updated,
        }
    }
}
