//! Actions and key names, as the config and the help overlay speak of them. Terminal-free:
//! the TUI maps these to its input events.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    PaneRight,
    PaneLeft,
    Open,
    ToggleFullscreen,
    PageReader,
    NextUnread,
    PrevUnread,
    NextFeed,
    PrevFeed,
    ToggleRead,
    MarkAllRead,
    ToggleStar,
    Undo,
    MarkAboveRead,
    ToggleShowRead,
    SaveArticle,
    PipeArticle,
    Refresh,
    RefreshAll,
    OpenInBrowser,
    FollowLink,
    OpenLink,
    CopyUrl,
    Filter,
    SortArticles,
    AddFeed,
    RemoveFeed,
    RenameFeed,
    EditTags,
    ToggleFullText,
    OtherCopy,
    Enclosures,
    QueueDownload,
    Downloads,
    ShowErrors,
    ReloadConfig,
    Help,
    Back,
    BackOrQuit,
    Quit,
    MarkEverythingRead,
    ShowLinks,
    SelectTag,
    EditConfig,
}

/// Splits a command line typed at a prompt into argv: words separated by spaces, with
/// '...' or "..." keeping spaces inside one word. No shell: `sh -c '...'` is the user's
/// to write.
pub fn split_command(line: &str) -> Vec<String> {
    let mut argv = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    argv.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        argv.push(word);
    }
    argv
}

/// Every action with its config name, help text and default keys, in help order.
pub const ACTIONS: &[(Action, &str, &str, &[&str])] = &[
    (Action::Down, "down", "Move down", &["j", "Down"]),
    (Action::Up, "up", "Move up", &["k", "Up"]),
    (Action::Top, "top", "Go to the top", &["g", "Home"]),
    (Action::Bottom, "bottom", "Go to the bottom", &["G", "End"]),
    (
        Action::PageDown,
        "page_down",
        "Page down",
        &["PageDown", "Ctrl-d"],
    ),
    (Action::PageUp, "page_up", "Page up", &["PageUp", "Ctrl-u"]),
    (Action::NextPane, "next_pane", "Next pane (round)", &["Tab"]),
    (
        Action::PrevPane,
        "prev_pane",
        "Previous pane (round)",
        &["Shift-Tab"],
    ),
    (
        Action::PaneRight,
        "pane_right",
        "Pane to the right (stops at the last)",
        &["l", "Right"],
    ),
    (
        Action::PaneLeft,
        "pane_left",
        "Pane to the left (stops at the first)",
        &["h", "Left"],
    ),
    (
        Action::Open,
        "open",
        "Open (again: full-screen reader)",
        &["Enter"],
    ),
    (
        Action::ToggleFullscreen,
        "toggle_fullscreen",
        "Full-screen reader on/off",
        &["z"],
    ),
    (
        Action::PageReader,
        "page_reader",
        "Page the article, then next unread",
        &["Space"],
    ),
    (
        Action::NextUnread,
        "next_unread",
        "Next unread article",
        &["n"],
    ),
    (
        Action::PrevUnread,
        "prev_unread",
        "Previous unread article",
        &["N"],
    ),
    (
        Action::NextFeed,
        "next_feed",
        "Next row of the feed list, its articles listed",
        &["J"],
    ),
    (
        Action::PrevFeed,
        "prev_feed",
        "Previous row of the feed list, its articles listed",
        &["K"],
    ),
    (Action::ToggleRead, "toggle_read", "Toggle read", &["m"]),
    (
        Action::MarkAllRead,
        "mark_all_read",
        "Mark what the list shows read",
        &["A"],
    ),
    (
        Action::MarkEverythingRead,
        "mark_everything_read",
        "Mark every feed read (asks y/n)",
        &["C"],
    ),
    (Action::ToggleStar, "toggle_star", "Star or unstar", &["s"]),
    (
        Action::Undo,
        "undo",
        "Undo the last mark (read, unread, star, A, M, C)",
        &["u"],
    ),
    (
        Action::MarkAboveRead,
        "mark_above_read",
        "Mark the articles above the cursor read",
        &["M"],
    ),
    (
        Action::ToggleShowRead,
        "toggle_show_read",
        "Hide or show read articles",
        &["H"],
    ),
    (
        Action::SaveArticle,
        "save_article",
        "Save the article to a file (as shown)",
        &["w"],
    ),
    (
        Action::PipeArticle,
        "pipe_article",
        "Pipe the article to a command",
        &["|"],
    ),
    (
        Action::Refresh,
        "refresh",
        "Refresh the selected feed",
        &["r"],
    ),
    (
        Action::RefreshAll,
        "refresh_all",
        "Refresh all feeds",
        &["R"],
    ),
    (
        Action::OpenInBrowser,
        "open_in_browser",
        "Open the article in the browser (on a feed: its web site)",
        &["o"],
    ),
    (
        Action::FollowLink,
        "follow_link",
        "Open link n (then its number)",
        &["f"],
    ),
    (
        Action::OpenLink,
        "open_link",
        "Reader: open link n; a list: go to row n (Enter)",
        &["1", "2", "3", "4", "5", "6", "7", "8", "9"],
    ),
    (
        Action::ShowLinks,
        "show_links",
        "The article's links: open or copy one",
        &["U"],
    ),
    (Action::CopyUrl, "copy_url", "Copy the article URL", &["y"]),
    (
        Action::Filter,
        "filter",
        "Search: all articles (feed list) or this list",
        &["/"],
    ),
    (
        Action::SortArticles,
        "sort_articles",
        "Sort the list: newest, oldest, unread, feed, title",
        &["S"],
    ),
    (
        Action::AddFeed,
        "add_feed",
        "Add a feed: its address or its site's",
        &["a"],
    ),
    (
        Action::RemoveFeed,
        "remove_feed",
        "Remove the selected feed (asks first)",
        &["d"],
    ),
    (
        Action::RenameFeed,
        "rename_feed",
        "Rename the selected feed",
        &["E"],
    ),
    (
        Action::EditTags,
        "edit_tags",
        "Edit the selected feed's tags",
        &["T"],
    ),
    (
        Action::SelectTag,
        "select_tag",
        "Go to a tag's group in the feed list",
        &["Ctrl-t"],
    ),
    (
        Action::ToggleFullText,
        "toggle_full_text",
        "Full text (fetched from the page) or the feed's",
        &["t"],
    ),
    (
        Action::OtherCopy,
        "other_copy",
        "Another copy of the story (its other feeds)",
        &["c"],
    ),
    (
        Action::Enclosures,
        "enclosures",
        "The article's enclosures: open or download",
        &["v"],
    ),
    (
        Action::QueueDownload,
        "download",
        "Download the enclosure (in the background)",
        &["D"],
    ),
    (
        Action::Downloads,
        "downloads",
        "Downloads and their progress",
        &["L"],
    ),
    (
        Action::ShowErrors,
        "show_errors",
        "Feed health: status, failures, newest; sortable",
        &["e"],
    ),
    (
        Action::EditConfig,
        "edit_config",
        "Edit the config in $EDITOR, then reload it",
        &["Ctrl-e"],
    ),
    (
        Action::ReloadConfig,
        "reload_config",
        "Reload the config file",
        &["Ctrl-r"],
    ),
    (Action::Help, "help", "This help", &["?"]),
    (
        Action::Back,
        "back",
        "Close, cancel, go back (never quits)",
        &["Esc"],
    ),
    (
        Action::BackOrQuit,
        "back_or_quit",
        "Back; quit from the feed list (newsboat's q)",
        &[],
    ),
    (Action::Quit, "quit", "Quit", &["q", "Ctrl-c"]),
];

impl Action {
    pub fn describe(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|a| a.0 == self)
            .map(|a| a.2)
            .unwrap_or("")
    }
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|a| a.1 == name).map(|a| a.0)
    }
}

mod names;
pub use names::*;
mod presets;
pub use presets::*;

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
