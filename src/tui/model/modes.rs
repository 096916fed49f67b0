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
    /// A text to read: a config that did not load, what a piped command printed.
    Text {
        title: String,
        /// Sanitized lines (no control characters), wrapped when drawn.
        lines: Vec<String>,
        error: bool,
    },
    /// `U`: the open article's links, one selected.
    Links {
        selected: usize,
    },
    /// `Ctrl-t`: the tags, one selected; Enter goes to its group.
    Tags {
        selected: usize,
    },
}

impl Overlay {
    /// A text overlay from untrusted text (a command's output, an error message).
    pub fn text(title: &str, text: &str, error: bool) -> Overlay {
        Overlay::Text {
            title: crate::sanitize::clean_line(title),
            lines: crate::sanitize::clean_text(text)
                .lines()
                .map(|l| l.replace('\t', "    ").trim_end().to_string())
                .collect(),
            error,
        }
    }
}

/// What the status bar asks for: a line to type, or a yes or no.
#[derive(Debug, Clone, PartialEq)]
pub enum Prompt {
    Line {
        ask: Ask,
        line: super::super::line::LineEdit,
    },
    /// `d`: y removes the feed; `server` says it is unsubscribed on the sync server.
    ConfirmRemove {
        url: String,
        name: String,
        server: Option<String>,
    },
    /// `C`: y marks every feed read (newsboat asks too: its
    /// confirm-mark-all-feeds-read is on by default), the marks reaching a sync server.
    /// Up to the newest article shown when `C` was pressed: what a reload brings while
    /// the question is open was never seen.
    ConfirmMarkEverything { upto: crate::model::ItemId },
}

/// What a typed line is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// `/`: a search, applied as it is typed.
    Filter { pane: Pane },
    /// `f` was pressed: digits choose a link.
    LinkNumber,
    /// A digit in a list: the row number to go to (Enter).
    Jump,
    /// `|`: the command (run by the shell) the article is piped to.
    Pipe,
    /// `w`: the file the article is saved to.
    SaveTo { title: String, text: String },
    /// `a`: the address of a feed or a site.
    AddFeed,
    /// `E`: the feed's new name.
    RenameFeed { url: String },
    /// `T`: the feed's tags, separated by commas.
    EditTags { url: String },
}

impl Ask {
    /// Which history the prompt's Up and Down walk: one per kind of question.
    pub fn history(&self) -> &'static str {
        match self {
            Ask::Filter { .. } => "search",
            Ask::LinkNumber | Ask::Jump => "number",
            Ask::Pipe => "pipe",
            Ask::SaveTo { .. } => "save",
            Ask::AddFeed => "add",
            Ask::RenameFeed { .. } => "rename",
            Ask::EditTags { .. } => "tags",
        }
    }

    /// The text before the line, in the status bar.
    pub fn label(&self) -> &'static str {
        match self {
            Ask::Filter { .. } => "/",
            Ask::LinkNumber => "Open link number: ",
            Ask::Jump => "Go to number: ",
            Ask::Pipe => "Pipe the article to (sh -c): ",
            Ask::SaveTo { .. } => "Save the article to: ",
            Ask::AddFeed => "Add a feed (its address or its site's): ",
            Ask::RenameFeed { .. } => "Rename to (empty: its own title): ",
            Ask::EditTags { .. } => "Tags, separated by commas: ",
        }
    }

    /// The characters the line takes.
    pub fn accepts(&self) -> fn(char) -> bool {
        match self {
            Ask::LinkNumber | Ask::Jump => super::super::line::digits,
            _ => super::super::line::any,
        }
    }
}

impl Prompt {
    /// A line prompt holding `text`, the cursor at its end.
    pub fn line(ask: Ask, text: &str) -> Prompt {
        Prompt::Line {
            ask,
            line: super::super::line::LineEdit::new(text),
        }
    }
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
