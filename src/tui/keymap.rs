//! Key bindings: the defaults from `keys::ACTIONS`, with the config's `[keys]` over them,
//! resolved from crossterm key events.

pub use crate::keys::Action;
use crate::keys::{KeyName, KeySpec, ACTIONS};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;

fn spec_of(ev: &KeyEvent) -> Option<KeySpec> {
    let key = match ev.code {
        KeyCode::Char(c) => KeyName::Char(if ev.modifiers.contains(KeyModifiers::CONTROL) {
            c.to_ascii_lowercase()
        } else {
            c
        }),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Esc => KeyName::Esc,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::Insert => KeyName::Insert,
        KeyCode::F(n) => KeyName::F(n),
        _ => return None,
    };
    Some(KeySpec {
        key,
        ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
        alt: ev.modifiers.contains(KeyModifiers::ALT),
    })
}

/// A key as the help and the config name it (`x`, `Ctrl-x`, `F5`); None for keys that
/// have no name there (media keys, a lone modifier).
pub fn key_name(ev: &KeyEvent) -> Option<String> {
    spec_of(ev).map(|s| s.display())
}

/// Whether keys are consecutive digits ("1".."9"), shown as one range in the help.
fn is_digit_run(keys: &[String]) -> bool {
    let digits: Vec<u32> = keys
        .iter()
        .filter_map(|k| k.parse().ok().filter(|_| k.len() == 1))
        .collect();
    digits.len() == keys.len() && digits.windows(2).all(|w| w[1] == w[0] + 1)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    map: HashMap<KeySpec, Action>,
    /// Keys per action, in the order shown by the help overlay.
    keys: Vec<(Action, Vec<KeySpec>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = ACTIONS
            .iter()
            .map(|(action, _, _, defaults)| {
                let specs = defaults
                    .iter()
                    .filter_map(|k| KeySpec::parse(k).ok())
                    .collect();
                (*action, specs)
            })
            .collect();
        Keymap::from_keys(keys)
    }
}

impl Keymap {
    fn from_keys(keys: Vec<(Action, Vec<KeySpec>)>) -> Keymap {
        let mut map = HashMap::new();
        for (action, specs) in &keys {
            for spec in specs {
                map.insert(*spec, *action);
            }
        }
        Keymap { map, keys }
    }

    /// The defaults with some actions rebound, as the config read them (so nothing is
    /// left to fail here).
    pub fn with_overrides(overrides: &[crate::keys::Binding]) -> Keymap {
        let mut keys = Keymap::default().keys;
        for (action, specs) in overrides {
            // A key given to this action is taken away from whatever had it before.
            for (_, other) in keys.iter_mut() {
                other.retain(|c| !specs.contains(c));
            }
            if let Some(entry) = keys.iter_mut().find(|(a, _)| a == action) {
                entry.1 = specs.clone();
            }
        }
        Keymap::from_keys(keys)
    }

    pub fn resolve(&self, ev: &KeyEvent) -> Option<Action> {
        self.map.get(&spec_of(ev)?).copied()
    }

    /// (keys, description) rows for the help overlay.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        self.keys
            .iter()
            .map(|(action, specs)| {
                let keys: Vec<String> = specs.iter().map(KeySpec::display).collect();
                let keys = if keys.is_empty() {
                    "(unbound)".to_string()
                } else if keys.len() > 2 && is_digit_run(&keys) {
                    format!("{}-{}", keys[0], keys[keys.len() - 1])
                } else {
                    keys.join(", ")
                };
                (keys, action.describe())
            })
            .collect()
    }

    /// The first key of an action, for hints in the status bar.
    pub fn key_for(&self, action: Action) -> String {
        self.keys_of(action).unwrap_or_else(|| "?".into())
    }

    /// The first key of an action, None when it has none.
    pub fn keys_of(&self, action: Action) -> Option<String> {
        self.keys
            .iter()
            .find(|(a, _)| *a == action)
            .and_then(|(_, c)| c.first())
            .map(KeySpec::display)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_and_steal_keys() {
        let binding =
            crate::keys::parse_binding("next_unread", &["j".into(), "Ctrl-n".into()]).unwrap();
        let km = Keymap::with_overrides(&[binding]);
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&j), Some(Action::NextUnread));
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(km.resolve(&ctrl_n), Some(Action::NextUnread));
        let n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&n), None);
        let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(
            km.resolve(&down),
            Some(Action::Down),
            "the other default key stays"
        );
    }

    #[test]
    fn shifted_letters_and_backtab() {
        let km = Keymap::default();
        let g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.resolve(&g), Some(Action::Bottom));
        let bt = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(km.resolve(&bt), Some(Action::PrevPane));
    }
}
