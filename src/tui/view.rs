//! Drawing: a pure function of `&Model`. No I/O, no state changes; list offsets come from
//! the model, where `update` keeps them.

use super::model::{inner_height, FeedRow, Model, Pane, Prompt};
use super::theme::Theme;
use crate::model::ItemRow;
use chrono::{DateTime, Datelike, Local, Utc};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, List, ListItem, ListState, Padding, Paragraph, Scrollbar,
    ScrollbarOrientation, ScrollbarState, Wrap,
};
use ratatui::Frame;
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

fn pane_block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
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
fn with_position(block: Block<'_>, selected: usize, total: usize) -> Block<'_> {
    if total == 0 {
        return block;
    }
    block.title_bottom(Line::from(format!(" {}/{total} ", selected + 1)).right_aligned())
}

/// Cuts `s` to `width` columns, with an ellipsis when something was cut.
fn fit(s: &str, width: usize) -> String {
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
fn spread(left: &str, right: &str, width: usize) -> String {
    let right_w = right.width();
    let left = fit(left, width.saturating_sub(right_w + 1));
    let pad = width.saturating_sub(left.width() + right_w);
    format!("{left}{}{right}", " ".repeat(pad))
}

fn draw_feeds(f: &mut Frame, m: &Model, theme: &Theme, area: Rect) {
    let focused = m.focus == Pane::Feeds;
    let title = if m.feeds_pane.filter.is_empty() {
        "Feeds".to_string()
    } else {
        format!("Feeds /{}", m.feeds_pane.filter)
    };
    let block = with_position(
        pane_block(title, focused, theme),
        m.feeds_pane.selected,
        m.visible_feed_rows().len(),
    );
    let width = area.width.saturating_sub(2) as usize;
    let height = inner_height(area);
    let visible = m.visible_feed_rows();
    let items: Vec<ListItem> = visible
        .iter()
        .skip(m.feeds_pane.offset)
        .take(height)
        .map(|&i| feed_item(m, theme, &m.feeds_pane.rows[i], width))
        .collect();
    let mut state = ListState::default();
    if !visible.is_empty() {
        state.select(Some(
            m.feeds_pane.selected.saturating_sub(m.feeds_pane.offset),
        ));
    }
    let list = List::new(items)
        .block(block)
        .highlight_style(selection(theme, focused));
    f.render_stateful_widget(list, area, &mut state);
    if m.feeds.is_empty() {
        // Below the two fixed rows, and only as much of it as fits the pane.
        let inner = inside(area, 2, 4, 3);
        f.render_widget(
            Paragraph::new("No feeds yet: add [[feed]] tables to the config.")
                .style(theme.dim)
                .wrap(Wrap { trim: true }),
            inner,
        );
    }
}

/// A box `dx` columns in from each side and `dy` rows down from the top of `area`,
/// `height` rows high, cut to what lies inside the pane's border (maybe nothing).
fn inside(area: Rect, dx: u16, dy: u16, height: u16) -> Rect {
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
fn selection(theme: &Theme, focused: bool) -> Style {
    if focused {
        theme.selection
    } else {
        theme.selection_unfocused
    }
}

fn feed_item<'a>(m: &Model, theme: &Theme, row: &FeedRow, width: usize) -> ListItem<'a> {
    match row {
        FeedRow::AllUnread => {
            let n = m.total_unread();
            let style = if n > 0 { theme.unread } else { theme.read };
            ListItem::new(Line::styled(
                spread("All unread", &n.to_string(), width),
                style,
            ))
        }
        FeedRow::Starred => {
            let (unread, total) = m.starred;
            ListItem::new(Line::styled(
                spread("★ Starred", &format!("{unread}/{total}"), width),
                if total > 0 { theme.header } else { theme.dim },
            ))
        }
        FeedRow::Tag(tag) => {
            let label = if tag.is_empty() { "Untagged" } else { tag };
            let (unread, _) = m.row_counts(row).unwrap_or_default();
            ListItem::new(Line::styled(
                spread(&format!("▾ {label}"), &unread.to_string(), width),
                theme.header,
            ))
        }
        FeedRow::Feed(i) => {
            let feed = &m.feeds[*i];
            let marker = if feed.last_error.is_some() {
                "! "
            } else {
                "  "
            };
            // Always unread/total, so a read feed's total never reads as unread.
            let count = format!("{}/{}", feed.unread, feed.total);
            let text = spread(&format!("  {}", feed.name), &count, width.saturating_sub(2));
            let style = if feed.unread > 0 {
                theme.unread
            } else {
                theme.read
            };
            let marker_style = if feed.last_error.is_some() {
                theme.error
            } else {
                style
            };
            ListItem::new(Line::from(vec![
                Span::styled(marker, marker_style),
                Span::styled(text, style),
            ]))
        }
    }
}

fn view_title(m: &Model) -> String {
    match m.selected_feed_row() {
        Some(FeedRow::AllUnread) => "All unread".into(),
        Some(FeedRow::Starred) => "Starred".into(),
        Some(FeedRow::Tag(t)) if t.is_empty() => "Untagged".into(),
        Some(FeedRow::Tag(t)) => format!("Tag: {t}"),
        Some(FeedRow::Feed(i)) => m.feeds.get(*i).map(|f| f.name.clone()).unwrap_or_default(),
        None => "Articles".into(),
    }
}

fn draw_articles(f: &mut Frame, m: &Model, theme: &Theme, area: Rect) {
    let focused = m.focus == Pane::Articles;
    let a = &m.articles;
    // The same counts as the feed list shows for this row; a filter or the starred
    // view count what is listed.
    let counts = match m.selected_feed_row() {
        Some(row) if a.filter.is_empty() => m.row_counts(row),
        _ => None,
    };
    let mut title = match counts {
        Some((unread, _)) if matches!(m.selected_feed_row(), Some(FeedRow::AllUnread)) => {
            format!("{} ({unread})", view_title(m))
        }
        Some((unread, total)) => format!("{} ({unread}/{total})", view_title(m)),
        None => format!("{} ({})", view_title(m), a.total),
    };
    if !a.filter.is_empty() {
        title.push_str(&format!(" /{}", a.filter));
    }
    let block = with_position(pane_block(title, focused, theme), a.selected, a.total);
    let width = area.width.saturating_sub(2) as usize;
    let height = inner_height(area);
    let aggregated = !matches!(m.selected_feed_row(), Some(FeedRow::Feed(_)));
    let end = (a.offset + height).min(a.total);
    let rows: Vec<Option<&ItemRow>> = (a.offset..end).map(|i| a.row(i)).collect();
    let this_year = m.now.with_timezone(&Local).year();
    let older = rows.iter().flatten().any(|r| {
        r.published
            .is_some_and(|d| d.with_timezone(&Local).year() != this_year)
    });
    let cols = Columns {
        date: if older { 10 } else { 6 },
        // The feed names get a quarter of the width, as much as the longest needs.
        feed: if aggregated {
            (width / 4).clamp(8, 40).min(m.feed_name_width.max(8))
        } else {
            0
        },
        width,
    };
    let items: Vec<ListItem> = rows
        .iter()
        .map(|row| match row {
            Some(row) => article_item(m, theme, row, &cols),
            None => ListItem::new(Line::styled("  …", theme.dim)),
        })
        .collect();
    let mut state = ListState::default();
    if a.total > 0 {
        state.select(Some(a.selected.saturating_sub(a.offset)));
    }
    f.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(selection(theme, focused)),
        area,
        &mut state,
    );
    if a.total == 0 && !a.pending.contains(&0) {
        let msg = if a.filter.is_empty() {
            "Nothing here yet."
        } else {
            "No titles match the filter."
        };
        f.render_widget(Paragraph::new(msg).style(theme.dim), inside(area, 2, 1, 1));
    }
}

/// This year's dates as "Nov 23", older ones with the day: "2024-05-14".
fn short_date(d: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match d {
        Some(d) => {
            let local = d.with_timezone(&Local);
            if local.year() == now.with_timezone(&Local).year() {
                local.format("%b %d").to_string()
            } else {
                local.format("%Y-%m-%d").to_string()
            }
        }
        None => String::new(),
    }
}

/// How a list draws its rows: the widths of its columns.
struct Columns {
    date: usize,
    /// The feed-name column of lists over several feeds; 0 for one feed's list.
    feed: usize,
    width: usize,
}

fn article_item<'a>(m: &Model, theme: &Theme, row: &ItemRow, cols: &Columns) -> ListItem<'a> {
    // Two markers, so that a starred unread article shows both.
    let unread = if row.read { ' ' } else { '●' };
    let star = if row.starred { '★' } else { ' ' };
    let date = short_date(row.published, m.now);
    let mut text = format!("{unread}{star}{date:<w$} ", w = cols.date);
    if cols.feed > 0 {
        let name = fit(m.feed_name(row.feed_id), cols.feed);
        text.push_str(&format!("{name:<w$}  ", w = cols.feed));
    }
    text.push_str(&row.title);
    let style = if row.read { theme.read } else { theme.unread };
    ListItem::new(Line::styled(fit(&text, cols.width), style))
}

fn draw_reader(f: &mut Frame, m: &Model, theme: &Theme, area: Rect) {
    let focused = m.focus == Pane::Reader || m.fullscreen;
    let Some(r) = &m.reader else {
        let block = pane_block("Article".into(), focused, theme);
        let hint = format!(
            "Select an article and press {} to read it here.",
            m.keymap.key_for(super::keymap::Action::Open)
        );
        f.render_widget(
            Paragraph::new(Line::styled(hint, theme.dim))
                .block(block.padding(Padding::horizontal(1)))
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    let height = inner_height(area);
    let percent = if r.lines.len() <= height {
        100
    } else {
        ((r.scroll + height) * 100 / r.lines.len()).min(100)
    };
    let star = if r.item.starred { " ★" } else { "" };
    // The text keeps its measure; what is left of the pane goes either side.
    let spare = (area.width.saturating_sub(2) as usize).saturating_sub(r.width + 2) / 2;
    let pad = 1 + spare.min(usize::from(u16::MAX)) as u16;
    let block = pane_block(format!("Article{star} {percent}%"), focused, theme)
        .padding(Padding::horizontal(pad));
    let lines: Vec<Line> = r
        .lines
        .iter()
        .skip(r.scroll)
        .take(height)
        .map(|l| {
            Line::from(
                l.spans
                    .iter()
                    .map(|s| Span::styled(s.text.clone(), theme.text(s.style)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(block), area);
}

fn status_text(m: &Model) -> String {
    if let Some(p) = &m.prompt {
        return match p {
            Prompt::Filter { text, .. } => format!("/{text}"),
            Prompt::LinkNumber(d) => format!("Open link number: {d}"),
            Prompt::Pipe(line) => format!("Pipe the article to: {line}"),
        };
    }
    let mut parts = Vec::new();
    if let Some((done, total)) = m.refresh.running {
        parts.push(format!("Refreshing {done}/{total}"));
    } else if m.refresh.requested {
        parts.push("Refreshing…".into());
    } else if let Some(last) = m.refresh.last {
        parts.push(format!(
            "Refreshed {}, {} new",
            last.with_timezone(&Local).format("%H:%M"),
            m.refresh.last_new
        ));
    }
    let failing = m.failing_feeds().len();
    if failing > 0 {
        let s = if failing == 1 { "" } else { "s" };
        parts.push(format!(
            "{failing} feed{s} failed, press {}",
            m.keymap.key_for(super::keymap::Action::ShowErrors)
        ));
    }
    if let Some(msg) = &m.message {
        parts.push(msg.clone());
    } else if let Some(hint) = &m.hint {
        parts.push(hint.clone());
    }
    parts.join(" │ ")
}

fn draw_status(f: &mut Frame, m: &Model, area: Rect) {
    use super::keymap::Action;
    let k = |a| m.keymap.key_for(a);
    let hints = format!(
        "{} help  {} open  {} next unread  {} refresh  {} quit",
        k(Action::Help),
        k(Action::Open),
        k(Action::NextUnread),
        k(Action::RefreshAll),
        k(Action::Back)
    );
    let width = area.width as usize;
    let left = status_text(m);
    // The status comes first; the key hints take what room is left, in short if need be.
    let short = format!("{} help", k(Action::Help));
    let line = if left.width() + hints.width() + 2 <= width {
        spread(&left, &hints, width)
    } else if left.width() + short.width() + 2 <= width {
        spread(&left, &short, width)
    } else {
        fit(&left, width)
    };
    // Reverse video reads as a bar on dark and light terminals alike.
    f.render_widget(
        Paragraph::new(line).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

fn draw_overlay(f: &mut Frame, m: &Model, theme: &Theme) {
    use super::overlay::{place, Tone};
    let placed = place(m);
    let scroll = m.overlay_scroll.min(placed.max_scroll());
    let mut title = placed.title.clone();
    if placed.max_scroll() > 0 {
        // Where the window is, as "lines 1-9 of 40".
        let last = (scroll + placed.visible).min(placed.lines.len());
        title = format!("{} {}-{last}/{}", title, scroll + 1, placed.lines.len());
    }
    let lines: Vec<Line> = placed
        .lines
        .iter()
        .skip(scroll)
        .take(placed.visible)
        .map(|row| {
            Line::from(
                row.iter()
                    .map(|(text, tone)| {
                        let style = match tone {
                            Tone::Plain => Style::default(),
                            Tone::Key => theme.header,
                            Tone::Title => theme.unread,
                            Tone::Dim => theme.dim,
                            Tone::Error => theme.error,
                        };
                        Span::styled(text.clone(), style)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    f.render_widget(Clear, placed.area);
    let block = pane_block(title, true, theme).padding(Padding::horizontal(1));
    f.render_widget(Paragraph::new(lines).block(block), placed.area);
    if placed.max_scroll() > 0 && placed.area.height > 2 {
        let mut state = ScrollbarState::new(placed.max_scroll() + 1).position(scroll);
        f.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            placed.area.inner(ratatui::layout::Margin::new(0, 1)),
            &mut state,
        );
    }
}
