//! Key bindings as data: actions with descriptions, default keys, and parsing of key names
//! ("j", "Ctrl-d", "PageDown", "Shift-Tab") so the help overlay and the config agree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;

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
    Open,
    ToggleFullscreen,
    PageReader,
    NextUnread,
    PrevUnread,
    ToggleRead,
    MarkAllRead,
    ToggleStar,
    Refresh,
    RefreshAll,
    OpenInBrowser,
    FollowLink,
    CopyUrl,
    Filter,
    ShowErrors,
    Help,
    Back,
    Quit,
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
    (
        Action::NextPane,
        "next_pane",
        "Next pane",
        &["Tab", "l", "Right"],
    ),
    (
        Action::PrevPane,
        "prev_pane",
        "Previous pane",
        &["Shift-Tab", "h", "Left"],
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
        "Mark feed or view read",
        &["A"],
    ),
    (Action::ToggleStar, "toggle_star", "Star or unstar", &["s"]),
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
        "Open link n (then a number; 1-9 directly)",
        &["f"],
    ),
    (Action::CopyUrl, "copy_url", "Copy the article URL", &["y"]),
    (Action::Filter, "filter", "Filter the list by text", &["/"]),
    (
        Action::ShowErrors,
        "show_errors",
        "List feed errors",
        &["e"],
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
    pub fn name(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|a| a.0 == self)
            .map(|a| a.1)
            .unwrap_or("")
    }
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

/// A key with the modifiers that matter (Shift is part of the character itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyCombo {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyCombo {
    pub fn from_event(ev: &KeyEvent) -> KeyCombo {
        KeyCombo {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses names like `j`, `G`, `Ctrl-d`, `Alt-x`, `Enter`, `Shift-Tab`, `F5`, `Space`.
    pub fn parse(name: &str) -> Result<KeyCombo, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
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
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if shift => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            f if f.starts_with('f') && f.len() > 1 && f[1..].parse::<u8>().is_ok() => {
                let n: u8 = f[1..].parse().unwrap_or(0);
                if !(1..=12).contains(&n) {
                    return Err(format!("unknown key {name:?}"));
                }
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        let c = if shift { c.to_ascii_uppercase() } else { c };
                        // Ctrl-D and Ctrl-d are the same key to a terminal.
                        KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                    }
                    _ => return Err(format!("unknown key {name:?}")),
                }
            }
        };
        Ok(KeyCombo { code, ctrl, alt })
    }

    pub fn display(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::F(n) => format!("F{n}"),
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

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    map: HashMap<KeyCombo, Action>,
    /// Keys per action, in the order shown by the help overlay.
    keys: Vec<(Action, Vec<KeyCombo>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = ACTIONS
            .iter()
            .map(|(action, _, _, defaults)| {
                let combos = defaults
                    .iter()
                    .filter_map(|k| KeyCombo::parse(k).ok())
                    .collect();
                (*action, combos)
            })
            .collect();
        Keymap::from_keys(keys)
    }
}

impl Keymap {
    fn from_keys(keys: Vec<(Action, Vec<KeyCombo>)>) -> Keymap {
        let mut map = HashMap::new();
        for (action, combos) in &keys {
            for combo in combos {
                map.insert(*combo, *action);
            }
        }
        Keymap { map, keys }
    }

    /// The defaults with some actions rebound: `overrides` maps action names to key names.
    pub fn with_overrides(overrides: &[(String, Vec<String>)]) -> Result<Keymap, String> {
        let mut keys = Keymap::default().keys;
        for (name, key_names) in overrides {
            let action =
                Action::from_name(name).ok_or_else(|| format!("unknown action {name:?}"))?;
            let combos = key_names
                .iter()
                .map(|k| KeyCombo::parse(k))
                .collect::<Result<Vec<_>, _>>()?;
            // A key given to this action is taken away from whatever had it before.
            for (_, other) in keys.iter_mut() {
                other.retain(|c| !combos.contains(c));
            }
            if let Some(entry) = keys.iter_mut().find(|(a, _)| *a == action) {
                entry.1 = combos;
            }
        }
        Ok(Keymap::from_keys(keys))
    }

    pub fn resolve(&self, ev: &KeyEvent) -> Option<Action> {
        self.map.get(&KeyCombo::from_event(ev)).copied()
    }

    /// (keys, description) rows for the help overlay.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        self.keys
            .iter()
            .map(|(action, combos)| {
                let keys: Vec<String> = combos.iter().map(KeyCombo::display).collect();
                (keys.join(", "), action.describe())
            })
            .collect()
    }

    /// The first key of an action, for hints in the status bar.
    pub fn key_for(&self, action: Action) -> String {
        self.keys
            .iter()
            .find(|(a, _)| *a == action)
            .and_then(|(_, c)| c.first())
            .map(KeyCombo::display)
            .unwrap_or_else(|| "?".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_names() {
        assert_eq!(KeyCombo::parse("Ctrl-d").unwrap().code, KeyCode::Char('d'));
        assert!(KeyCombo::parse("Ctrl-d").unwrap().ctrl);
        assert_eq!(KeyCombo::parse("Shift-Tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(KeyCombo::parse("G").unwrap().code, KeyCode::Char('G'));
        assert!(KeyCombo::parse("Hyper-x").is_err());
        assert!(KeyCombo::parse("F13").is_err());
    }

    #[test]
    fn overrides_replace_and_steal_keys() {
        let km =
            Keymap::with_overrides(&[("next_unread".into(), vec!["j".into(), "Ctrl-n".into()])])
                .unwrap();
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&j), Some(Action::NextUnread));
        let n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&n), None);
        assert!(Keymap::with_overrides(&[("fly".into(), vec!["x".into()])]).is_err());
    }
}
