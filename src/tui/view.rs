//! Drawing: a pure function of `&Model`. No I/O, no state changes; list offsets come from
//! the model, where `update` keeps them.

use super::model::Model;
use super::theme::Theme;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

pub mod links;
mod lists;
mod marks;
mod panes;

use lists::{draw_articles, draw_feeds};
use panes::{draw_overlay, draw_reader, draw_status};
use unicode_width::UnicodeWidthStr;

pub fn draw(f: &mut Frame, m: &Model, theme: &Theme) {
    let areas = m.areas();
    if let Some(area) = areas.feeds {
        draw_feeds(f, m, theme, area);
    }
    if let Some(area) = areas.articles {
        draw_articles(f, m, theme, area);
    }
    if let Some(area) = areas.reader {
        draw_reader(f, m, theme, area);
    }
    draw_status(f, m, areas.status);
    if m.overlay.is_some() {
        draw_overlay(f, m, theme);
    }
}

pub(super) fn pane_block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    let style = if focused {
        theme.border_focus
    } else {
        theme.border
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(
            format!(" {title} "),
            style.add_modifier(Modifier::BOLD),
        ))
}

/// "12/1163" on the bottom border: where the selection is in the list.
pub(super) fn with_position(block: Block<'_>, selected: usize, total: usize) -> Block<'_> {
    if total == 0 {
        return block;
    }
    block.title_bottom(Line::from(format!(" {}/{total} ", selected + 1)).right_aligned())
}

/// Cuts `s` to `width` columns, with an ellipsis when something was cut.
pub(super) fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// `left` then `right` pushed to the right edge of `width` columns.
pub(super) fn spread(left: &str, right: &str, width: usize) -> String {
    let right_w = right.width();
    let left = fit(left, width.saturating_sub(right_w + 1));
    let pad = width.saturating_sub(left.width() + right_w);
    format!("{left}{}{right}", " ".repeat(pad))
}

/// A box `dx` columns in from each side and `dy` rows down from the top of `area`,
/// `height` rows high, cut to what lies inside the pane's border (maybe nothing).
pub(super) fn inside(area: Rect, dx: u16, dy: u16, height: u16) -> Rect {
    let inner = Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    Rect::new(
        area.x.saturating_add(dx),
        area.y.saturating_add(dy),
        area.width.saturating_sub(dx * 2),
        height,
    )
    .intersection(inner)
}

/// The focused pane's selection is reverse video; the others' is the quieter variant.
/// (Never DIM on top of a BOLD row: terminals share one SGR code to clear both.)
pub(super) fn selection(theme: &Theme, focused: bool) -> Style {
    if focused {
        theme.selection
    } else {
        theme.selection_unfocused
    }
}
