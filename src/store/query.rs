//! What an article list asks the cache for: its scope, filters and order, and the order
//! as SQL (for the list, and for where an article stands in it).

use crate::model::FeedId;

/// Which items a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Feed(FeedId),
    /// Several feeds at once, e.g. "All unread" over every configured feed.
    Feeds(Vec<FeedId>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemQuery {
    pub scope: Scope,
    pub unread_only: bool,
    pub starred_only: bool,
    /// A search within the list (words, fields, filters); None lists it all.
    pub search: Option<crate::search::Compiled>,
    /// How the list is sorted (a search with few matches: by relevance when Newest).
    pub order: Order,
    /// One row per story: of an article's copies in the list's feeds, the first
    /// stands for the others (lists over several feeds).
    pub stories: bool,
}

/// The orders an article list can take (`S` cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Order {
    #[default]
    Newest,
    Oldest,
    UnreadFirst,
    /// Grouped by feed (in the order feeds were added), newest first in each.
    Feed,
    Title,
}

impl Order {
    pub const ALL: [Order; 5] = [
        Order::Newest,
        Order::Oldest,
        Order::UnreadFirst,
        Order::Feed,
        Order::Title,
    ];

    pub fn next(self) -> Order {
        let i = Order::ALL.iter().position(|o| *o == self).unwrap_or(0);
        Order::ALL[(i + 1) % Order::ALL.len()]
    }

    /// Its name, as remembered in the cache and shown in the list's title.
    pub fn name(self) -> &'static str {
        match self {
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::UnreadFirst => "unread first",
            Order::Feed => "by feed",
            Order::Title => "by title",
        }
    }

    pub fn from_name(name: &str) -> Option<Order> {
        Order::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The ORDER BY terms over `items`.
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Order::Newest => "items.sort_time DESC, items.id DESC",
            Order::Oldest => "items.sort_time ASC, items.id ASC",
            Order::UnreadFirst => "items.is_read ASC, items.sort_time DESC, items.id DESC",
            Order::Feed => "items.feed_id ASC, items.sort_time DESC, items.id DESC",
            Order::Title => "items.title COLLATE NOCASE ASC, items.sort_time DESC, items.id DESC",
        }
    }

    /// The order as ascending keys of the row named `t`.
    fn keys(self, t: &str) -> String {
        match self {
            Order::Newest => format!("-{t}.sort_time, -{t}.id"),
            Order::Oldest => format!("{t}.sort_time, {t}.id"),
            Order::UnreadFirst => format!("{t}.is_read, -{t}.sort_time, -{t}.id"),
            Order::Feed => format!("{t}.feed_id, -{t}.sort_time, -{t}.id"),
            Order::Title => format!("{t}.title COLLATE NOCASE, -{t}.sort_time, -{t}.id"),
        }
    }

    /// Rows listed before the item `?` in this order.
    pub(crate) fn before_sql(self) -> String {
        format!(
            "({}) < (SELECT {} FROM items a WHERE a.id = ?)",
            self.keys("items"),
            self.keys("a")
        )
    }
}

impl ItemQuery {
    pub fn feed(id: FeedId) -> ItemQuery {
        ItemQuery {
            scope: Scope::Feed(id),
            unread_only: false,
            starred_only: false,
            search: None,
            order: Order::Newest,
            stories: false,
        }
    }
}
