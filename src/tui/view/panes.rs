//! The reader pane, the status line and the overlays.

use super::{fit, pane_block, spread};
use crate::tui::line::LineEdit;
use crate::tui::model::{inner_height, Ask, Model, Pane, Prompt};
use crate::tui::theme::Theme;
use chrono::Local;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Clear, Padding, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap,
};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub(super) fn draw_reader(f: &mut Frame, m: &Model, theme: &Theme, area: Rect) {
    let focused = m.focus == Pane::Reader || m.fullscreen;
    let Some(r) = &m.reader else {
        let block = pane_block("Article".into(), focused, theme);
        let hint = format!(
            "Select an article and press {} to read it here.",
            m.keymap.key_for(crate::tui::keymap::Action::Open)
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
    let marks = super::marks::highlighter(m);
    let lines: Vec<Line> = r
        .lines
        .iter()
        .skip(r.scroll)
        .take(height)
        .map(|l| {
            Line::from(
                l.spans
                    .iter()
                    .flat_map(|s| super::marks::spans(&s.text, theme.text(s.style), &marks, theme))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(block), area);
    let inner = Rect {
        x: area.x.saturating_add(1 + pad),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2 + 2 * pad),
        height: area.height.saturating_sub(2),
    };
    if m.hyperlinks {
        let shown = r.lines.iter().skip(r.scroll).take(height);
        super::links::hyperlink(f.buffer_mut(), inner, shown);
    }
    // Pictures in the rows kept for them, once their top row is in sight; cut at the
    // bottom of the pane where the protocol can be (kitty, half-blocks), else drawn when
    // whole (a picture cannot be cut at its top).
    for slot in &r.slots {
        let Some(picture) = m.pictures.get(&slot.image) else {
            continue;
        };
        if slot.line < r.scroll || slot.line >= r.scroll + height {
            continue;
        }
        let offset = slot.line - r.scroll;
        let shown = usize::from(slot.rows).min(height - offset);
        let (Ok(offset), Ok(shown)) = (u16::try_from(offset), u16::try_from(shown)) else {
            continue;
        };
        let at = Rect {
            y: inner.y.saturating_add(offset),
            height: shown,
            ..inner
        };
        f.render_widget(
            ratatui_image::Image::new(&picture.protocol).allow_clipping(true),
            at,
        );
    }
}

/// A yes-or-no question about a feed, its name cut to what the line leaves room for:
/// the question's end and its keys must show.
fn question(m: &Model, before: &str, name: &str, after: &str) -> String {
    let width = m.size.0 as usize;
    // Too narrow for the whole question (40 columns): its short form.
    let after = if before.width() + after.width() + 8 > width {
        "? y/n"
    } else {
        after
    };
    let room = width.saturating_sub(before.width() + after.width());
    format!("{before}{}{after}", fit(name, room.max(4)))
}

fn status_text(m: &Model) -> String {
    if let Some(Prompt::ConfirmRemove { name, server, .. }) = &m.prompt {
        return match server {
            Some(_) => question(
                m,
                "Unsubscribe from ",
                name,
                " on the server (every device)? y/n",
            ),
            None => question(m, "Remove ", name, " and its articles (starred stay)? y/n"),
        };
    }
    if let Some(Prompt::ConfirmMarkEverything { .. }) = &m.prompt {
        return "Mark every article of every feed read? y/n".into();
    }
    let mut parts = Vec::new();
    if m.refresh.syncing {
        parts.push("Syncing with the server…".into());
    } else if let Some((done, total)) = m.refresh.running {
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
    // Before the errors, which can be long: the count is what tells the marks are safe.
    if m.marks_to_send > 0 {
        let s = if m.marks_to_send == 1 { "" } else { "s" };
        parts.push(format!("{} mark{s} to send", m.marks_to_send));
    }
    if let Some(e) = m.refresh.sync_error.as_ref().filter(|_| !m.refresh.syncing) {
        parts.push(format!("Sync failed: {e}"));
    }
    if let Some(e) = &m.refresh.mail_error {
        parts.push(format!("Mail failed: {e}"));
    }

    if let Some(d) = m.downloads.iter().find(|d| d.state == "downloading") {
        let of = d
            .total
            .filter(|t| *t > 0)
            .map(|t| format!(" {}%", d.bytes * 100 / t))
            .unwrap_or_default();
        parts.push(format!("Downloading {}{of}", d.title));
    }
    if m.full_text_fetching.is_some() {
        parts.push("Fetching the full text…".into());
    }
    if m.indexing > 0 {
        parts.push(format!("Indexing for search: {} left", m.indexing));
    }
    if let Some(e) = &m.articles.search_error {
        parts.push(format!("Search: {e}"));
    }
    let failing = m.failing_feeds().len();
    if failing > 0 {
        let s = if failing == 1 { "" } else { "s" };
        parts.push(format!(
            "{failing} feed{s} failed, press {}",
            m.keymap.key_for(crate::tui::keymap::Action::ShowErrors)
        ));
    }
    if let Some(msg) = &m.message {
        parts.push(msg.clone());
    } else if let Some(hint) = &m.hint {
        parts.push(hint.clone());
    }
    parts.join(" │ ")
}

/// A line prompt in the status bar: its label, the part of the line around the cursor,
/// and the terminal's cursor where the next character goes.
fn draw_prompt(f: &mut Frame, m: &Model, ask: &Ask, line: &LineEdit, area: Rect) {
    let fever = m.server.as_ref().filter(|s| !s.edits_feeds);
    let label = match (ask, &m.articles.search_error, fever) {
        (Ask::Filter { .. }, Some(e), _) if !line.value().is_empty() => format!("({e}) /"),
        // Said where the feed goes, since the server cannot take it.
        (Ask::AddFeed, _, Some(s)) => format!(
            "Add a feed to this config only (the {} server cannot subscribe): ",
            s.name
        ),
        _ => ask.label().to_string(),
    };
    let width = area.width as usize;
    // The label gives way to the line on a narrow terminal.
    let label = fit(&label, (width / 2).max(1));
    let room = width.saturating_sub(label.width());
    let (scroll, cursor) = line.window(room);
    let shown = skip_columns(line.value(), scroll);
    let text = fit(&format!("{label}{shown}"), width);
    f.render_widget(
        Paragraph::new(text).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
    let x = (label.width() + cursor).min(width.saturating_sub(1));
    f.set_cursor_position((area.x.saturating_add(x as u16), area.y));
}

/// `text` without its first `columns` display columns.
fn skip_columns(text: &str, columns: usize) -> &str {
    let mut seen = 0;
    for (at, c) in text.char_indices() {
        if seen >= columns {
            return &text[at..];
        }
        seen += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    ""
}

pub(super) fn draw_status(f: &mut Frame, m: &Model, area: Rect) {
    use crate::tui::keymap::Action;
    if let Some(Prompt::Line { ask, line }) = &m.prompt {
        return draw_prompt(f, m, ask, line, area);
    }
    let k = |a| m.keymap.key_for(a);
    // At a question, its keys (n answers it: it is no next-unread then).
    if matches!(
        m.prompt,
        Some(Prompt::ConfirmRemove { .. } | Prompt::ConfirmMarkEverything { .. })
    ) {
        let left = status_text(m);
        let keys = "y yes  n/Esc no";
        let width = area.width as usize;
        let line = if left.width() + keys.width() + 2 <= width {
            spread(&left, keys, width)
        } else {
            fit(&left, width)
        };
        f.render_widget(
            Paragraph::new(line).style(Style::new().add_modifier(Modifier::REVERSED)),
            area,
        );
        return;
    }
    let hints = format!(
        "{} help  {} open  {} next unread  {} refresh  {} quit",
        k(Action::Help),
        k(Action::Open),
        k(Action::NextUnread),
        k(Action::RefreshAll),
        m.keymap
            .keys_of(Action::Quit)
            .unwrap_or_else(|| "Ctrl-c".into())
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

pub(super) fn draw_overlay(f: &mut Frame, m: &Model, theme: &Theme) {
    use crate::tui::overlay::{place, Tone};
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
