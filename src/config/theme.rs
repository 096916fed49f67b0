//! `[theme]`: colours by role over a preset, as names or `#rrggbb`. Terminal-free: the
//! TUI maps these onto its own colours.

use serde::Deserialize;
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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTheme {
    preset: Option<Preset>,
    selection: Option<Spanned<String>>,
    unread: Option<Spanned<String>>,
    read: Option<Spanned<String>>,
    error: Option<Spanned<String>>,
    border: Option<Spanned<String>>,
    header: Option<Spanned<String>>,
    link: Option<Spanned<String>>,
}

impl RawTheme {
    /// The colours by role, each checked; `invalid` words an error at an offset.
    pub(super) fn read<E>(self, invalid: impl Fn(usize, String) -> E) -> Result<ThemeConfig, E> {
        let mut colors = Vec::new();
        for (role, value) in [
            (Role::Selection, self.selection),
            (Role::Unread, self.unread),
            (Role::Read, self.read),
            (Role::Error, self.error),
            (Role::Border, self.border),
            (Role::Header, self.header),
            (Role::Link, self.link),
        ] {
            if let Some(v) = value {
                let color = Color::parse(v.get_ref()).map_err(|m| invalid(v.span().start, m))?;
                colors.push((role, color));
            }
        }
        Ok(ThemeConfig {
            preset: self.preset.unwrap_or_default(),
            colors,
        })
    }
}
