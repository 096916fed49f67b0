//! `[[filter]]` rules at work: each new article of a refresh is tried against every rule
//! on the fetch threads, and arrives marked read, starred or hidden accordingly.

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
