//! Colours by role. Readable on dark and light backgrounds: selection is reverse video,
//! accents are the terminal's own palette colours, and with `NO_COLOR` only bold, dim,
//! italic and reverse remain.

use crate::config::{Color as ColorSpec, Preset, Role, ThemeConfig};
use crate::render::Style as TextStyle;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub selection: Style,
    pub selection_unfocused: Style,
    pub unread: Style,
    pub read: Style,
    pub error: Style,
    pub border: Style,
    pub border_focus: Style,
    pub header: Style,
    pub link: Style,
    pub code: Style,
    pub quote: Style,
    pub dim: Style,
    /// Words a search found.
    pub matched: Style,
}

impl Theme {
    pub fn new(no_color: bool) -> Theme {
        if no_color {
            return Theme {
                selection: Style::new().add_modifier(Modifier::REVERSED),
                selection_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
                unread: Style::new().add_modifier(Modifier::BOLD),
                read: Style::new().add_modifier(Modifier::DIM),
                error: Style::new().add_modifier(Modifier::BOLD),
                border: Style::new().add_modifier(Modifier::DIM),
                border_focus: Style::new().add_modifier(Modifier::BOLD),
                header: Style::new().add_modifier(Modifier::BOLD),
                link: Style::new().add_modifier(Modifier::UNDERLINED),
                code: Style::new(),
                quote: Style::new().add_modifier(Modifier::ITALIC),
                dim: Style::new().add_modifier(Modifier::DIM),
                matched: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            };
        }
        Theme {
            selection: Style::new().add_modifier(Modifier::REVERSED),
            selection_unfocused: Style::new().bg(Color::DarkGray).fg(Color::White),
            unread: Style::new().add_modifier(Modifier::BOLD),
            read: Style::new().add_modifier(Modifier::DIM),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            border_focus: Style::new().fg(Color::Cyan),
            header: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            code: Style::new().fg(Color::Green),
            quote: Style::new()
                .fg(Color::Magenta)
                .add_modifier(Modifier::ITALIC),
            dim: Style::new().add_modifier(Modifier::DIM),
            matched: Style::new().bg(Color::Yellow).fg(Color::Black),
        }
    }

    /// The light preset: darker accents that read on a white background.
    pub fn light() -> Theme {
        Theme {
            selection_unfocused: Style::new().bg(Color::Gray).fg(Color::Black),
            border: Style::new().fg(Color::Gray),
            border_focus: Style::new().fg(Color::Blue),
            header: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            code: Style::new().fg(Color::Green),
            matched: Style::new().bg(Color::LightYellow).fg(Color::Black),
            ..Theme::new(false)
        }
    }

    /// The theme the config asks for; NO_COLOR wins over everything.
    pub fn from_config(config: &ThemeConfig, no_color: bool) -> Theme {
        if no_color {
            return Theme::new(true);
        }
        let mut theme = match config.preset {
            Preset::Dark => Theme::new(false),
            Preset::Light => Theme::light(),
        };
        for (role, color) in &config.colors {
            let c = to_color(*color);
            match role {
                Role::Selection => {
                    theme.selection = Style::new().bg(c).add_modifier(Modifier::BOLD);
                    theme.selection_unfocused = Style::new().bg(c);
                }
                Role::Unread => theme.unread = theme.unread.fg(c),
                Role::Read => theme.read = theme.read.fg(c),
                Role::Error => theme.error = theme.error.fg(c),
                Role::Border => theme.border = theme.border.fg(c),
                Role::Header => {
                    theme.header = theme.header.fg(c);
                    theme.border_focus = theme.border_focus.fg(c);
                }
                Role::Link => theme.link = theme.link.fg(c),
                Role::Match => theme.matched = Style::new().bg(c).fg(Color::Black),
            }
        }
        theme
    }

    /// NO_COLOR (any non-empty value) turns colours off, as https://no-color.org asks.
    pub fn no_color_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// The terminal style of a run of article text.
    pub fn text(&self, s: TextStyle) -> Style {
        let mut style = Style::new();
        if s.has(TextStyle::HEADING) {
            style = style.patch(self.header);
        }
        if s.has(TextStyle::BOLD) {
            style = style.add_modifier(Modifier::BOLD);
        }
        if s.has(TextStyle::ITALIC) {
            style = style.add_modifier(Modifier::ITALIC);
        }
        if s.has(TextStyle::CODE) {
            style = style.patch(self.code);
        }
        if s.has(TextStyle::LINK) {
            style = style.patch(self.link);
        }
        if s.has(TextStyle::QUOTE) {
            style = style.patch(self.quote);
        }
        if s.has(TextStyle::DIM) {
            style = style.patch(self.dim);
        }
        style
    }
}

fn to_color(c: ColorSpec) -> Color {
    use std::str::FromStr;
    match c {
        ColorSpec::Reset => Color::Reset,
        // The config's palette names are ratatui's names for the same colours.
        ColorSpec::Indexed(i) => crate::config::COLOR_NAMES
            .get(usize::from(i))
            .and_then(|name| Color::from_str(name).ok())
            .unwrap_or(Color::Reset),
        ColorSpec::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_colours_apply_and_no_color_wins() {
        let config = ThemeConfig {
            preset: Preset::Light,
            colors: vec![
                (Role::Link, ColorSpec::Rgb(1, 2, 3)),
                (Role::Error, ColorSpec::Indexed(1)),
            ],
        };
        let t = Theme::from_config(&config, false);
        assert_eq!(t.link.fg, Some(Color::Rgb(1, 2, 3)));
        assert_eq!(t.error.fg, Some(Color::Red));
        assert_eq!(t.header.fg, Some(Color::Blue), "light preset");
        assert_eq!(Theme::from_config(&config, true), Theme::new(true));
    }
}

#[cfg(test)]
mod palette_tests {
    use super::*;

    /// Every palette name the config accepts is a terminal colour, the one of its index.
    #[test]
    fn every_palette_name_maps_to_its_colour() {
        let expected = [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ];
        for (i, want) in expected.iter().enumerate() {
            assert_eq!(to_color(ColorSpec::Indexed(i as u8)), *want, "{i}");
        }
    }
}
