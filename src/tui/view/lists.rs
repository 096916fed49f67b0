//! The feed list and the article list.

use super::{fit, inside, pane_block, selection, spread, with_position};
use crate::model::ItemRow;
use crate::tui::model::{inner_height, FeedRow, Model, Pane};
use crate::tui::theme::Theme;
use chrono::{DateTime, Datelike, Local, Utc};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

pub(super) fn draw_feeds(f: &mut Frame, m: &Model, theme: &Theme, area: Rect) {
    let focused = m.focus == Pane::Feeds;
    let block = with_position(
        pane_block("Feeds".to_string(), focused, theme),
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
            Paragraph::new("No feeds yet: add [[feed]] (or [[mailbox]]) tables to the config.")
                .style(theme.dim)
                .wrap(Wrap { trim: true }),
            inner,
        );
    }
}

fn feed_item<'a>(m: &Model, theme: &Theme, row: &FeedRow, width: usize) -> ListItem<'a> {
    match row {
        FeedRow::AllUnread => {
            let n = m.unread_stories();
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
        FeedRow::Search => {
            let label = format!("⌕ /{}", m.articles.filter);
            ListItem::new(Line::styled(
                spread(&label, &m.articles.total.to_string(), width),
                theme.header,
            ))
        }
        FeedRow::Query(i) => {
            let saved = m.searches.get(*i);
            let name = saved.map(|s| s.name.as_str()).unwrap_or("");
            let (count, style) = match saved.and_then(|s| s.counts) {
                Some((unread, total)) => (
                    format!("{unread}/{total}"),
                    if unread > 0 { theme.unread } else { theme.read },
                ),
                None => ("…".to_string(), theme.dim),
            };
            ListItem::new(Line::styled(
                spread(&format!("⌕ {name}"), &count, width),
                style,
            ))
        }
        FeedRow::Hidden => ListItem::new(Line::styled(
            spread("Hidden", &m.hidden.to_string(), width),
            theme.dim,
        )),
        FeedRow::Tag(tag) => {
            let label = if tag.is_empty() { "Untagged" } else { tag };
            let (unread, _) = m.row_counts(row).unwrap_or_default();
            ListItem::new(Line::styled(
                spread(
                    &format!(
                        "{} {label}",
                        if m.collapsed.contains(tag) {
                            "▸"
                        } else {
                            "▾"
                        }
                    ),
                    &unread.to_string(),
                    width,
                ),
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
        Some(FeedRow::Search) => "Search".into(),
        Some(FeedRow::Query(i)) => m
            .searches
            .get(*i)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        Some(FeedRow::Hidden) => "Hidden (by filters)".into(),
        None => "Articles".into(),
    }
}

pub(super) fn draw_articles(f: &mut Frame, m: &Model, theme: &Theme, area: Rect) {
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
        None if a.counting => format!("{} ({}+)", view_title(m), a.total),
        None => format!("{} ({})", view_title(m), a.total),
    };
    if let Some(q) = a
        .query
        .as_ref()
        .filter(|q| q.order != crate::store::Order::Newest)
    {
        title.push_str(&format!(" · {}", q.order.name()));
    }
    if !a.filter.is_empty() {
        title.push_str(&format!(" /{}", a.filter));
    }
    let block = with_position(pane_block(title, focused, theme), a.selected, a.shown_len());
    let width = area.width.saturating_sub(2) as usize;
    let height = inner_height(area);
    let aggregated = !matches!(m.selected_feed_row(), Some(FeedRow::Feed(_)));
    let end = (a.offset + height).min(a.shown_len());
    let rows: Vec<Option<&ItemRow>> = (a.offset..end).map(|i| a.shown_row(i)).collect();
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
    let marks = super::marks::highlighter(m);
    let items: Vec<ListItem> = rows
        .iter()
        .map(|row| match row {
            Some(row) => article_item(m, theme, row, &cols, &marks),
            None => ListItem::new(Line::styled("  …", theme.dim)),
        })
        .collect();
    let mut state = ListState::default();
    // A cursor held on its article while a reload places it highlights no other row:
    // keys act on the held one. One gone from the list is shown where it was, and
    // highlighted: keys act on the row the user sees.
    if (a.total > 0 && a.held.is_none()) || a.ghost().is_some() {
        state.select(Some(a.selected.saturating_sub(a.offset)));
    }
    f.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(selection(theme, focused)),
        area,
        &mut state,
    );
    if a.shown_len() == 0 && !a.pending.contains(&0) {
        let msg = if a.filter.is_empty() {
            "Nothing here yet."
        } else {
            "No article matches the search."
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

fn article_item<'a>(
    m: &Model,
    theme: &Theme,
    row: &ItemRow,
    cols: &Columns,
    marks: &crate::search::Highlighter,
) -> ListItem<'a> {
    // Two markers, so that a starred unread article shows both.
    let unread = if row.read { ' ' } else { '●' };
    let star = if row.starred { '★' } else { ' ' };
    let date = short_date(row.published, m.now);
    let mut text = format!("{unread}{star}{date:<w$} ", w = cols.date);
    if cols.feed > 0 {
        let name = fit(m.feed_name(row.feed_id), cols.feed);
        // Padded to the column's width on screen: a name in a wide script takes two
        // columns a character (`{:<w$}` counts characters, and the titles after it
        // stood out of line).
        let shown = unicode_width::UnicodeWidthStr::width(name.as_str());
        text.push_str(&name);
        text.push_str(&" ".repeat(cols.feed.saturating_sub(shown) + 2));
    }
    // A story in several feeds: how many other copies ("Also in" in the reader).
    if row.copies > 0 {
        text.push_str(&format!("+{} ", row.copies));
    }
    let title_at = text.len();
    text.push_str(&row.title);
    let style = if row.read { theme.read } else { theme.unread };
    let shown = fit(&text, cols.width);
    // Only when the columns before the title were kept whole (a narrow list cuts them).
    if marks.is_empty() || shown.len() <= title_at || shown.get(..title_at) != text.get(..title_at)
    {
        return ListItem::new(Line::styled(shown, style));
    }
    // The found words of the title stand out; the date and feed columns never match.
    let mut spans = vec![Span::styled(shown[..title_at].to_string(), style)];
    spans.extend(super::marks::spans(&shown[title_at..], style, marks, theme));
    ListItem::new(Line::from(spans))
}
