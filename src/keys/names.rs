//! Key names as the config and the help overlay write them (`j`, `Ctrl-d`, `Shift-Tab`,
//! `F5`), parsed into keys, and bindings of an action to its keys.

use super::*;

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
