//! `[theme]`: colours by role over a preset, as names or `#rrggbb`. Terminal-free: the
//! TUI maps these onto its own colours.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Colours by role: a name (`red`, `lightblue`, `darkgray`, `reset`) or `#rrggbb`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeConfig {
    /// `dark` (the default) or `light`.
    pub preset: Preset,
    pub colors: Vec<(Role, Color)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    #[default]
    Dark,
    Light,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Selection,
    Unread,
    Read,
    Error,
    Border,
    Header,
    Link,
    /// Words a search found, in lists and the reader.
    Match,
}

/// A terminal colour: one of the 16 palette names, an RGB value, or the terminal default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Reset,
    /// Palette index 0-15.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

/// The 16 palette colours by name, in palette order: the one table of them (the TUI
/// maps a name to its terminal colour).
pub const COLOR_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

impl Color {
    pub fn parse(s: &str) -> Result<Color, String> {
        let lower = s.trim().to_ascii_lowercase().replace(['_', '-', ' '], "");
        if lower == "reset" || lower == "default" {
            return Ok(Color::Reset);
        }
        if let Some(hex) = lower.strip_prefix('#') {
            if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
                return Ok(Color::Rgb(byte(0), byte(2), byte(4)));
            }
        }
        let lower = if lower == "grey" {
            "gray".to_string()
        } else {
            lower.replace("grey", "gray")
        };
        COLOR_NAMES
            .iter()
            .position(|n| *n == lower)
            .map(|i| Color::Indexed(i as u8))
            .ok_or_else(|| {
                format!(
                    "unknown colour {s:?}: use a name such as red, lightblue, darkgray, or #rrggbb"
                )
            })
    }
}

/// The roles by their names in `[theme]`: the one table of them.
pub const ROLES: [(Role, &str); 8] = [
    (Role::Selection, "selection"),
    (Role::Unread, "unread"),
    (Role::Read, "read"),
    (Role::Error, "error"),
    (Role::Border, "border"),
    (Role::Header, "header"),
    (Role::Link, "link"),
    (Role::Match, "match"),
];

/// `[theme]` as written: `preset` and colours by role name, each with its place in the file.
#[derive(Deserialize, Default)]
#[serde(transparent)]
pub(super) struct RawTheme(BTreeMap<String, Spanned<String>>);

impl RawTheme {
    /// The preset and the colours by role, each checked; `invalid` words an error at an
    /// offset.
    pub(super) fn read<E>(self, invalid: impl Fn(usize, String) -> E) -> Result<ThemeConfig, E> {
        let mut theme = ThemeConfig::default();
        for (key, value) in self.0 {
            let at = value.span().start;
            if key == "preset" {
                theme.preset = match value.get_ref().as_str() {
                    "dark" => Preset::Dark,
                    "light" => Preset::Light,
                    other => {
                        return Err(invalid(
                            at,
                            format!("unknown preset {other:?}: use \"dark\" or \"light\""),
                        ))
                    }
                };
                continue;
            }
            let Some((role, _)) = ROLES.iter().find(|(_, name)| *name == key) else {
                let names: Vec<&str> = ROLES.iter().map(|(_, n)| *n).collect();
                return Err(invalid(
                    at,
                    format!(
                        "unknown theme role {key:?}; roles are: preset, {}",
                        names.join(", ")
                    ),
                ));
            };
            let color = Color::parse(value.get_ref()).map_err(|m| invalid(at, m))?;
            theme.colors.push((*role, color));
        }
        Ok(theme)
    }
}
