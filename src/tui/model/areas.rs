//! Where each pane is on the screen, from the terminal's size: what `update` keeps
//! selections visible in and the view draws into.

use super::*;

/// Where each pane is drawn. Computed from the model alone, so `update` (mouse hits,
/// reader width) and `view` agree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub feeds: Option<Rect>,
    pub articles: Option<Rect>,
    pub reader: Option<Rect>,
    pub status: Rect,
}

impl Areas {
    pub fn compute(m: &Model) -> Areas {
        let screen = Rect::new(0, 0, m.size.0, m.size.1);
        let [main, status] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(screen);
        let mut areas = Areas {
            status,
            ..Areas::default()
        };
        if m.fullscreen && m.reader.is_some() {
            areas.reader = Some(main);
        } else if m.is_narrow() {
            match m.focus {
                Pane::Feeds => areas.feeds = Some(main),
                Pane::Articles => areas.articles = Some(main),
                Pane::Reader => areas.reader = Some(main),
            }
        } else {
            // Wide enough for the longest name with its counts, up to a third of the screen.
            let wanted = (m.feed_name_width + 16).min(usize::from(u16::MAX)) as u16;
            let feeds_width = wanted.clamp(24, (m.size.0 / 3).max(24));
            let [left, right] =
                Layout::horizontal([Constraint::Length(feeds_width), Constraint::Min(1)])
                    .areas(main);
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)])
                    .areas(right);
            areas.feeds = Some(left);
            areas.articles = Some(top);
            areas.reader = Some(bottom);
        }
        areas
    }
}

/// Inner width of a bordered pane with one column of padding each side.
pub fn reader_text_width(area: Rect) -> usize {
    area.width.saturating_sub(4).max(10) as usize
}

/// Visible rows inside a bordered pane.
pub fn inner_height(area: Rect) -> usize {
    area.height.saturating_sub(2).max(1) as usize
}
