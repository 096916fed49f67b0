//! What sits over the panes (help, health, pickers, overlays), the prompt being typed,
//! and the marks `u` can undo.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    /// `e`: every feed's health, sorted, one selected.
    Health {
        sort: crate::tui::health::HealthSort,
        selected: usize,
    },
    /// Several feeds found for an address: pick one.
    Picker {
        candidates: Vec<crate::discover::Candidate>,
        selected: usize,
    },
    /// A feed found, before subscribing: its title and newest articles.
    Preview(Box<crate::discover::Found>),
    /// `v`: the open article's enclosures, one selected.
    Enclosures {
        selected: usize,
    },
    /// `L`: the downloads and how far they got.
    Downloads,
}

/// A line of text being typed in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Filter {
        pane: Pane,
        text: String,
    },
    /// `f` was pressed: digits choose a link.
    LinkNumber(String),
    /// `|` was pressed: the command to pipe the article to.
    Pipe(String),
    /// `a`: the address of a feed or a site.
    AddFeed(String),
    /// `E`: the feed's new name.
    RenameFeed {
        url: String,
        text: String,
    },
    /// `T`: the feed's tags, separated by commas.
    EditTags {
        url: String,
        text: String,
    },
    /// `d`: y removes the feed.
    ConfirmRemove {
        url: String,
        name: String,
    },
}

/// How many marking actions `u` can undo.
pub const UNDO_LEVELS: usize = 100;

/// A marking action as it was done, so that `u` can do the opposite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// These items were set to `read` (they were the opposite before).
    Read { ids: Vec<ItemId>, read: bool },
    /// This item was starred (or unstarred).
    Star { id: ItemId, starred: bool },
}

impl Undo {
    /// What was done, for the status line.
    pub fn describe(&self) -> String {
        let plural = |n: usize| if n == 1 { "article" } else { "articles" };
        match self {
            Undo::Read { ids, read } => format!(
                "marked {} {} {}",
                ids.len(),
                plural(ids.len()),
                if *read { "read" } else { "unread" }
            ),
            Undo::Star { starred: true, .. } => "starred an article".into(),
            Undo::Star { starred: false, .. } => "unstarred an article".into(),
        }
    }
}
