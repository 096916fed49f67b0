//! `[[filter]]` rules at work: each new article of a refresh is tried against every rule
//! on the fetch threads, and arrives marked read, starred or hidden accordingly; so is
//! each new article a sync server brings (`ServerFeeds`).

use super::matcher::{matches, Article, Words};
use super::query::Query;

/// What a filter does to a new article it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    MarkRead,
    /// Kept, marked read, and listed only under "Hidden".
    Hide,
    Star,
}

/// The state a new article arrives in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Arrival {
    pub read: bool,
    pub starred: bool,
    pub hidden: bool,
}

impl Arrival {
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::MarkRead => self.read = true,
            Action::Star => self.starred = true,
            Action::Hide => {
                self.hidden = true;
                self.read = true;
            }
        }
    }
}

/// The rules of one refresh, parsed once (relative dates count from its start).
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<(Query, Action)>,
}

impl Rules {
    /// Parses the configured rules; the config was checked at load, so a rule that fails
    /// now (it cannot) is left out rather than stopping the refresh.
    pub fn new<'a>(
        rules: impl IntoIterator<Item = (&'a str, Action)>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Rules {
        Rules {
            rules: rules
                .into_iter()
                .filter_map(|(q, a)| super::parse(q, now).ok().map(|q| (q, a)))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The state this article arrives in.
    pub fn arrival(&self, article: &Article) -> Arrival {
        let mut arrival = Arrival::default();
        if self.rules.is_empty() {
            return arrival;
        }
        let words = Words::new(article);
        for (query, action) in &self.rules {
            if matches(query, article, &words) {
                arrival.apply(*action);
            }
        }
        arrival
    }
}

/// The config's rules, and its own names and tags of the feeds it lists (by address):
/// a feed both in the config and on the sync server goes by the config's.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub rules: Rules,
    pub named: std::collections::HashMap<String, (Option<String>, Vec<String>)>,
}

/// The rules and what they need to know of a sync server's feeds (its names, addresses
/// and groups, or the config's name and tags of a feed it lists too), for the articles
/// it brings.
pub struct ServerFeeds<'a> {
    rules: &'a Rules,
    /// By the server's feed id: name, address, tags.
    feeds: std::collections::HashMap<String, (String, String, Vec<String>)>,
    now: i64,
}

impl<'a> ServerFeeds<'a> {
    pub fn new(filters: &'a Filters, feeds: &[crate::model::RemoteFeed], now: i64) -> Self {
        let feeds = feeds
            .iter()
            .map(|f| {
                let (name, tags) = match filters.named.get(&f.url) {
                    Some((name, tags)) => (
                        name.clone().unwrap_or_else(|| f.title.clone()),
                        tags.clone(),
                    ),
                    None => (f.title.clone(), f.groups.clone()),
                };
                (f.id.clone(), (name, f.url.clone(), tags))
            })
            .collect();
        ServerFeeds {
            rules: &filters.rules,
            feeds,
            now,
        }
    }

    /// Whether any rule is there to try (most configs have none).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The state this article of the server arrives in, by the rules.
    pub fn arrival(&self, item: &crate::model::RemoteItem) -> Arrival {
        if self.rules.is_empty() {
            return Arrival::default();
        }
        let none = (String::new(), String::new(), Vec::new());
        let (name, url, tags) = self.feeds.get(&item.feed_id).unwrap_or(&none);
        let body = super::text::index_text(&item.html);
        self.rules.arrival(&Article {
            title: &item.title,
            author: item.author.as_deref().unwrap_or(""),
            feed_name: name,
            feed_url: url,
            tags,
            body: &body,
            time: item.published.map_or(self.now, |t| t.min(self.now)),
        })
    }
}
