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
    Enclosures,
    QueueDownload,
    Downloads,
    ShowErrors,
    ReloadConfig,
    Help,
    Back,
    Quit,
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
    (Action::ToggleRead, "toggle_read", "Toggle read", &["m"]),
    (
        Action::MarkAllRead,
        "mark_all_read",
        "Mark what the list shows read",
        &["A"],
    ),
    (Action::ToggleStar, "toggle_star", "Star or unstar", &["s"]),
    (
        Action::Undo,
        "undo",
        "Undo the last mark (read, unread, star, all)",
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
        "Open the article in the browser",
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
        "Open the link of that number",
        &["1", "2", "3", "4", "5", "6", "7", "8", "9"],
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
        Action::ToggleFullText,
        "toggle_full_text",
        "Full text (fetched from the page) or the feed's",
        &["t"],
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
        Action::ReloadConfig,
        "reload_config",
        "Reload the config file",
        &["Ctrl-r"],
    ),
    (Action::Help, "help", "This help", &["?"]),
    (
        Action::Back,
        "back",
        "Back; quit from the top",
        &["q", "Esc"],
    ),
    (Action::Quit, "quit", "Quit", &["Ctrl-c"]),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyName {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Backspace,
    Delete,
    Insert,
    F(u8),
}

/// A key with the modifiers that matter (Shift is part of the character itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub key: KeyName,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    /// Parses names like `j`, `G`, `Ctrl-d`, `Alt-x`, `Enter`, `Shift-Tab`, `F5`, `Space`.
    pub fn parse(name: &str) -> Result<KeySpec, String> {
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = name;
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl-") && rest.len() > 5 {
                ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                alt = true;
                rest = &rest[4..];
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let unknown =
            || format!("unknown key {name:?} (try j, G, Ctrl-d, Enter, Shift-Tab, PageDown, F5)");
        let key = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyName::Enter,
            "esc" | "escape" => KeyName::Esc,
            "tab" if shift => KeyName::BackTab,
            "tab" => KeyName::Tab,
            "backtab" => KeyName::BackTab,
            "space" => KeyName::Char(' '),
            "up" => KeyName::Up,
            "down" => KeyName::Down,
            "left" => KeyName::Left,
            "right" => KeyName::Right,
            "home" => KeyName::Home,
            "end" => KeyName::End,
            "pageup" | "pgup" => KeyName::PageUp,
            "pagedown" | "pgdn" => KeyName::PageDown,
            "backspace" => KeyName::Backspace,
            "delete" | "del" => KeyName::Delete,
            "insert" => KeyName::Insert,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyName::F(n),
                    _ => return Err(unknown()),
                }
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        let c = if shift { c.to_ascii_uppercase() } else { c };
                        // Ctrl-D and Ctrl-d are the same key to a terminal.
                        KeyName::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                    }
                    _ => return Err(unknown()),
                }
            }
        };
        Ok(KeySpec { key, ctrl, alt })
    }

    pub fn display(&self) -> String {
        let base = match self.key {
            KeyName::Char(' ') => "Space".to_string(),
            KeyName::Char(c) => c.to_string(),
            KeyName::BackTab => "Shift-Tab".into(),
            KeyName::PageDown => "PgDn".into(),
            KeyName::PageUp => "PgUp".into(),
            KeyName::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        s + &base
    }
}

/// Checks a `[keys]` entry: the action exists and every key name parses.
/// A `[keys]` entry read into its action and key specs, or why it cannot be.
pub fn parse_binding(action: &str, keys: &[String]) -> Result<Binding, String> {
    let Some(parsed) = Action::from_name(action) else {
        let known: Vec<&str> = ACTIONS.iter().map(|a| a.1).collect();
        return Err(format!(
            "unknown action {action:?}; actions are: {}",
            known.join(", ")
        ));
    };
    if keys.is_empty() {
        return Err(format!("no keys given for {action}"));
    }
    let specs = keys
        .iter()
        .map(|k| KeySpec::parse(k))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((parsed, specs))
}

/// An action with the keys the config gives it.
pub type Binding = (Action, Vec<KeySpec>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_names() {
        assert_eq!(
            KeySpec::parse("Ctrl-d").unwrap(),
            KeySpec {
                key: KeyName::Char('d'),
                ctrl: true,
                alt: false
            }
        );
        assert_eq!(KeySpec::parse("Shift-Tab").unwrap().key, KeyName::BackTab);
        assert_eq!(KeySpec::parse("G").unwrap().key, KeyName::Char('G'));
        assert_eq!(KeySpec::parse("F5").unwrap().key, KeyName::F(5));
        assert!(KeySpec::parse("Hyper-x").is_err());
        assert!(KeySpec::parse("F13").is_err());
        assert!(KeySpec::parse("").is_err());
    }

    #[test]
    fn validates_bindings() {
        assert!(parse_binding("next_unread", &["n".into(), "Ctrl-n".into()]).is_ok());
        assert!(parse_binding("fly", &["x".into()])
            .unwrap_err()
            .contains("unknown action"));
        assert!(parse_binding("quit", &["Meta-q".into()])
            .unwrap_err()
            .contains("unknown key"));
    }

    #[test]
    fn command_lines_split_without_a_shell() {
        assert_eq!(split_command("wc -l"), vec!["wc", "-l"]);
        assert_eq!(
            split_command("sh -c 'less -R'  "),
            vec!["sh", "-c", "less -R"]
        );
        assert_eq!(split_command("a \"b c\" ''"), vec!["a", "b c", ""]);
        assert_eq!(
            split_command("echo $(rm -rf x);"),
            vec!["echo", "$(rm", "-rf", "x);"]
        );
        assert!(split_command("   ").is_empty());
    }

    /// The example config and README list every action by its config name.
    #[test]
    fn every_action_is_documented() {
        let example = include_str!("../config.example.toml");
        let readme = include_str!("../README.md");
        for (_, name, _, _) in ACTIONS {
            assert!(example.contains(name), "config.example.toml lacks {name}");
            assert!(readme.contains(name), "README.md lacks {name}");
        }
    }
}
