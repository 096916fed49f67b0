//! The overlays (help, feed health, the feed picker and preview, links, tags, text) as text, and where they sit on screen. One source for
//! `view`, which draws them, and `update`, which scrolls them and must know how far.

use super::model::{Model, Overlay};
use chrono::Local;
use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::UnicodeWidthStr;

/// How a line of an overlay is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Key,
    Title,
    Dim,
    Error,
}

/// One line: spans of text with their tone.
pub type Row = Vec<(String, Tone)>;

/// The lines of the open overlay, wrapped to `width` columns, and its title.
pub fn content(m: &Model, width: usize) -> (String, Vec<Row>) {
    match &m.overlay {
        Some(Overlay::Help) => ("Keys (? or q closes)".into(), help(m)),
        Some(Overlay::Health { sort, selected }) => (
            format!("Feed health by {}", sort.label()),
            super::health::content(m, *sort, *selected, width).0,
        ),
        Some(Overlay::Picker {
            candidates,
            selected,
        }) => (
            "Feeds found (Enter picks, q cancels)".into(),
            picker(candidates, *selected, width),
        ),
        Some(Overlay::Preview(found)) => (
            "Subscribe? (Enter subscribes, q cancels)".into(),
            preview(found, width),
        ),
        Some(Overlay::Enclosures { selected }) => (
            "Enclosures (Enter opens, D downloads, q closes)".into(),
            super::enclosures::content(m, *selected),
        ),
        Some(Overlay::Downloads) => (
            "Downloads (q closes)".into(),
            super::enclosures::downloads(&m.downloads),
        ),
        Some(Overlay::Text {
            title,
            lines,
            error,
        }) => {
            let tone = if *error { Tone::Error } else { Tone::Plain };
            let rows = lines
                .iter()
                .flat_map(|l| wrap_keeping_spaces(l, width.max(1)))
                .map(|l| vec![(l, tone)])
                .collect();
            (format!("{title} (q closes)"), rows)
        }
        Some(Overlay::Links { selected }) => (
            "Links (Enter opens, y copies, q closes)".into(),
            links(m, *selected, width),
        ),
        Some(Overlay::Tags { selected }) => (
            "Tags (Enter goes to the group, q closes)".into(),
            m.tags()
                .iter()
                .enumerate()
                .map(|(i, tag)| choice(i == *selected, tag))
                .collect(),
        ),
        None => (String::new(), Vec::new()),
    }
}

/// A line cut into rows of at most `width` columns, at a space where there is one (a
/// path or a word longer than a row is cut where it must be). Spaces are kept as they
/// are: a command's output may be columns.
fn wrap_keeping_spaces(line: &str, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    let mut rest = line;
    while rest.width() > width {
        // The most characters that fit, then back to the last space among them.
        let mut fit = 0;
        let mut used = 0;
        for (at, c) in rest.char_indices() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w > width {
                break;
            }
            used += w;
            fit = at + c.len_utf8();
        }
        let cut = match rest[..fit].rfind(' ') {
            Some(space) if space > 0 => space + 1,
            _ => fit.max(rest.chars().next().map_or(1, char::len_utf8)),
        };
        rows.push(rest[..cut].trim_end().to_string());
        rest = &rest[cut..];
    }
    rows.push(rest.to_string());
    rows
}

/// A line of a list to choose from, marked when it is the one selected.
fn choice(selected: bool, text: &str) -> Row {
    if selected {
        vec![(format!("▸ {text}"), Tone::Title)]
    } else {
        vec![(format!("  {text}"), Tone::Plain)]
    }
}

/// The open article's links, numbered as the reader numbers them.
fn links(m: &Model, selected: usize, width: usize) -> Vec<Row> {
    let Some(r) = &m.reader else {
        return Vec::new();
    };
    if r.prepared.links().is_empty() {
        return vec![vec![("This article has no links".into(), Tone::Dim)]];
    }
    r.prepared
        .links()
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let text = format!("[{}] {url}", i + 1);
            let text = crate::render::chunk_by_width(&text, width.saturating_sub(2).max(1))
                .into_iter()
                .next()
                .unwrap_or_default();
            choice(i == selected, &text)
        })
        .collect()
}

fn help(m: &Model) -> Vec<Row> {
    let rows = m.keymap.help_rows();
    let key_w = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let mut lines: Vec<Row> = rows
        .into_iter()
        .map(|(keys, desc)| {
            vec![
                (format!("{keys:<key_w$}  "), Tone::Key),
                (desc.to_string(), Tone::Plain),
            ]
        })
        .collect();
    lines.push(Vec::new());
    lines.push(vec![(
        "Mouse: click selects, the wheel scrolls".into(),
        Tone::Dim,
    )]);
    lines
}

fn picker(candidates: &[crate::discover::Candidate], selected: usize, width: usize) -> Vec<Row> {
    candidates
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let (mark, tone) = if i == selected {
                ("▸ ", Tone::Title)
            } else {
                ("  ", Tone::Plain)
            };
            let title = c.title.clone().unwrap_or_else(|| "(no title)".into());
            let url = crate::render::chunk_by_width(&format!("    {}", c.url), width.max(1));
            std::iter::once(vec![(format!("{mark}{title}"), tone)])
                .chain(url.into_iter().map(|u| vec![(u, Tone::Dim)]))
        })
        .collect()
}

/// A feed before subscribing: its title, address, and newest titles.
fn preview(found: &crate::discover::Found, width: usize) -> Vec<Row> {
    let mut lines: Vec<Row> = Vec::new();
    let title = found
        .feed
        .title
        .clone()
        .unwrap_or_else(|| "(no title)".into());
    lines.push(vec![(crate::sanitize::clean_line(&title), Tone::Title)]);
    for piece in crate::render::chunk_by_width(&found.url, width.max(1)) {
        lines.push(vec![(piece, Tone::Dim)]);
    }
    lines.push(vec![(
        format!(
            "{} article{}; the newest:",
            found.feed.items.len(),
            if found.feed.items.len() == 1 { "" } else { "s" }
        ),
        Tone::Plain,
    )]);
    // Newest first, whatever order the feed lists them in (undated ones last).
    let mut items: Vec<&crate::model::ParsedItem> = found.feed.items.iter().collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.published.or(i.updated)));
    for item in items.into_iter().take(8) {
        let date = item
            .published
            .or(item.updated)
            .map(|d| d.with_timezone(&Local).format("%Y-%m-%d ").to_string())
            .unwrap_or_default();
        lines.push(vec![(format!("  {date}{}", item.title), Tone::Plain)]);
    }
    lines
}

/// The overlay's box on a screen of `size`, its lines, and how far it can scroll.
pub struct Placed {
    pub area: Rect,
    pub title: String,
    pub lines: Vec<Row>,
    /// Lines that fit inside the border.
    pub visible: usize,
}

impl Placed {
    pub fn max_scroll(&self) -> usize {
        self.lines.len().saturating_sub(self.visible)
    }
}

pub fn place(m: &Model) -> Placed {
    let screen = Rect::new(0, 0, m.size.0, m.size.1);
    let width = match m.overlay {
        // As wide as the longest help line, with the border and padding.
        Some(Overlay::Help) => {
            help(m)
                .iter()
                .map(|l| l.iter().map(|(t, _)| t.width()).sum::<usize>())
                .max()
                .unwrap_or(40) as u16
                + 4
        }
        Some(Overlay::Health { .. }) => screen.width.saturating_sub(4).clamp(20, 120),
        _ => screen.width.saturating_sub(8).clamp(20, 100),
    };
    let width = width.min(screen.width);
    let (title, lines) = content(m, width.saturating_sub(4) as usize);
    let height = (lines.len() as u16).saturating_add(2);
    let area = centered(screen, width, height);
    Placed {
        area,
        title,
        lines,
        visible: area.height.saturating_sub(2) as usize,
    }
}

/// A box of at most `width` x `height` in the middle of `area`, leaving the status line.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    // Centred in what is above the status line, so a tall box never covers it.
    let area = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let w = width.min(area.width);
    let h = height.min(area.height);
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(h),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, center, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(w),
        Constraint::Fill(1),
    ])
    .areas(mid);
    center
}

#[cfg(test)]
mod wrap_tests {
    #[test]
    fn long_lines_break_at_spaces_and_keep_their_columns() {
        assert_eq!(
            super::wrap_keeping_spaces("alpha beta gamma", 11),
            ["alpha beta", "gamma"]
        );
        assert_eq!(super::wrap_keeping_spaces("  12  34", 20), ["  12  34"]);
        assert_eq!(
            super::wrap_keeping_spaces("abcdefgh", 3),
            ["abc", "def", "gh"]
        );
        assert_eq!(super::wrap_keeping_spaces("", 3), [""]);
    }
}
