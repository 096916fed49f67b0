//! Colours by role. Readable on dark and light backgrounds: selection is reverse video,
//! accents are the terminal's own palette colours, and with `NO_COLOR` only bold, dim,
//! italic and reverse remain.

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
        }
    }

    /// Honours NO_COLOR (any non-empty value), as https://no-color.org asks.
    pub fn from_env() -> Theme {
        Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
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
