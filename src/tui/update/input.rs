//! Keys, the prompt line and the mouse, turned into actions on the model.

use super::super::keymap::Action;
use super::super::line::{remember, Edited};
use super::super::model::{Ask, Direction, FeedRow, Model, Overlay, Pane, Prompt};
use super::super::msg::Cmd;
use super::articles::{
    article_text, current_link, follow_link, mark_above_read, mark_all_read, next_unread, open,
    page_reader, start_refresh, toggle_read, toggle_star, undo,
};
use super::lists::{move_by, next_pane, page_step, reload_articles, rewrap_reader, step_feed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};

pub(super) fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    m.message = None;
    // Ctrl-c (or whatever Ctrl key quits) quits from anywhere: a prompt, an overlay.
    if m.keymap.resolve(&key) == Some(Action::Quit) && key.modifiers.contains(KeyModifiers::CONTROL)
    {
        m.prompt = None;
        return quit(m);
    }
    if let Some(prompt) = m.prompt.clone() {
        return on_prompt_key(m, prompt, key);
    }
    if m.overlay.is_some() {
        if let Some(cmds) = super::manage::on_overlay_key(m, key) {
            return cmds;
        }
        if let Some(cmds) = super::links::on_overlay_key(m, key) {
            return cmds;
        }
        return on_overlay_key(m, key);
    }
    let digit = match key.code {
        KeyCode::Char(c @ '0'..='9')
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    };
    let reading = m.fullscreen || m.focus == Pane::Reader;
    match (m.keymap.resolve(&key), digit) {
        // In a list a number is a row to go to (newsboat's habit); in the reader, the
        // link of that number. A link never opens from a list by accident.
        (Some(Action::OpenLink) | None, Some(c)) if !reading => {
            m.prompt = Some(Prompt::line(Ask::Jump, &c.to_string()));
            Vec::new()
        }
        (Some(Action::OpenLink), Some(c)) => follow_link(m, c as usize - '0' as usize),
        (Some(Action::OpenLink), None) => on_action(m, Action::FollowLink),
        (Some(action), _) => on_action(m, action),
        (None, _) => {
            // Say so, so that a habit from another reader does not fail in silence.
            if let Some(name) = super::super::keymap::key_name(&key) {
                m.message = Some(format!(
                    "{name}: not bound ({} for help)",
                    m.keymap.key_for(Action::Help)
                ));
            }
            Vec::new()
        }
    }
}

/// A key's action on an overlay: q (whichever quit it is bound to) closes an overlay,
/// as in less and newsboat's help; Ctrl-c was taken before.
pub(super) fn overlay_action(m: &Model, key: &KeyEvent) -> Option<Action> {
    match m.keymap.resolve(key) {
        Some(Action::Quit | Action::BackOrQuit) => Some(Action::Back),
        other => other,
    }
}

/// An overlay takes the keys while it is open: the movement keys scroll it.
fn on_overlay_key(m: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let placed = super::super::overlay::place(m);
    let max = placed.max_scroll();
    let page = placed.visible.saturating_sub(1).max(1);
    let scroll = m.overlay_scroll.min(max);
    m.overlay_scroll = match overlay_action(m, &key) {
        Some(Action::Back | Action::Help | Action::ShowErrors | Action::Open) => {
            m.overlay = None;
            0
        }
        Some(Action::Down) => (scroll + 1).min(max),
        Some(Action::Up) => scroll.saturating_sub(1),
        Some(Action::PageDown | Action::PageReader) => (scroll + page).min(max),
        Some(Action::PageUp) => scroll.saturating_sub(page),
        Some(Action::Top) => 0,
        Some(Action::Bottom) => max,
        _ => scroll,
    };
    Vec::new()
}

pub(super) fn on_prompt_key(m: &mut Model, prompt: Prompt, key: KeyEvent) -> Vec<Cmd> {
    let (ask, mut line) = match prompt {
        Prompt::Line { ask, line } => (ask, line),
        confirm => return super::manage::on_confirm_key(m, confirm, key),
    };
    // A number typed in a list: a key that is no digit (j, k, a letter) ends it and does
    // what it does; Backspace past the first digit closes it.
    if ask == Ask::Jump {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let other = matches!(key.code, KeyCode::Char(c) if plain && !c.is_ascii_digit())
            || matches!(key.code, KeyCode::Up | KeyCode::Down);
        let emptied = key.code == KeyCode::Backspace && line.value().chars().count() <= 1;
        if other || emptied {
            m.prompt = None;
            return if other { on_key(m, key) } else { Vec::new() };
        }
    }
    let history = m.histories.get(ask.history()).map(Vec::as_slice);
    match line.key(&key, history.unwrap_or_default(), ask.accepts()) {
        Edited::Cancel => {
            m.prompt = None;
            match ask {
                Ask::Filter { .. } => super::search::end(m),
                _ => Vec::new(),
            }
        }
        Edited::Submit => {
            m.prompt = None;
            let text = line.value().to_string();
            remember(m.histories.entry(ask.history()).or_default(), &text);
            submit(m, ask, text)
        }
        Edited::Changed => {
            let text = line.value().to_string();
            let filter = matches!(ask, Ask::Filter { .. });
            m.prompt = Some(Prompt::Line { ask, line });
            if filter {
                return super::search::apply(m, text);
            }
            Vec::new()
        }
        Edited::Moved => {
            m.prompt = Some(Prompt::Line { ask, line });
            Vec::new()
        }
    }
}

/// Enter on a typed line.
fn submit(m: &mut Model, ask: Ask, text: String) -> Vec<Cmd> {
    match ask {
        Ask::Filter { pane } => super::search::confirm(m, pane),
        Ask::LinkNumber => text.parse().map(|n| follow_link(m, n)).unwrap_or_default(),
        Ask::Jump => match text.parse::<usize>() {
            Ok(n) if n > 0 => jump_to(m, n - 1),
            _ => Vec::new(),
        },
        Ask::Pipe if text.trim().is_empty() => Vec::new(),
        Ask::Pipe => match article_text(m) {
            Some((_, article)) => {
                m.message = Some(format!("Running {}…", text.trim()));
                vec![Cmd::PipeArticle {
                    command: text,
                    text: article,
                }]
            }
            None => Vec::new(),
        },
        Ask::SaveTo { .. } if text.trim().is_empty() => {
            m.message = Some("Not saved".into());
            Vec::new()
        }
        Ask::SaveTo {
            title,
            text: article,
        } => vec![Cmd::SaveArticle {
            path: crate::paths::expand_home(std::path::Path::new(text.trim())),
            title,
            text: article,
        }],
        ask @ (Ask::AddFeed | Ask::RenameFeed { .. } | Ask::EditTags { .. }) => {
            super::manage::submit(m, ask, text)
        }
    }
}

/// A number typed in a list and Enter: the cursor goes to that row (counted from 1, as
/// the list shows them; past the end, the last).
fn jump_to(m: &mut Model, row: usize) -> Vec<Cmd> {
    let current = match m.focus {
        Pane::Feeds => m.feeds_pane.selected,
        Pane::Articles => {
            m.articles.release();
            m.articles.selected
        }
        Pane::Reader => return Vec::new(),
    };
    move_by(m, row as isize - current as isize)
}

pub(super) fn on_action(m: &mut Model, action: Action) -> Vec<Cmd> {
    // Keys on the open article, pressed in the list on another row: that row first.
    if matches!(
        action,
        Action::SaveArticle
            | Action::PipeArticle
            | Action::ShowLinks
            | Action::FollowLink
            | Action::ToggleFullText
            | Action::OtherCopy
            | Action::Enclosures
            | Action::QueueDownload
    ) {
        if let Some(cmds) = super::articles::open_first(m, action) {
            return cmds;
        }
    }
    act(m, action)
}

/// An action on what is shown now (`on_action`, past its look at the cursor).
pub(super) fn act(m: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Down => move_by(m, 1),
        Action::NextFeed => step_feed(m, 1),
        Action::PrevFeed => step_feed(m, -1),
        Action::Up => move_by(m, -1),
        Action::Top => move_by(m, isize::MIN / 2),
        Action::Bottom => move_by(m, isize::MAX / 2),
        Action::PageDown => move_by(m, page_step(m)),
        Action::PageUp => move_by(m, -page_step(m)),
        Action::NextPane => {
            m.focus = next_pane(m, 1, true);
            Vec::new()
        }
        Action::PrevPane => {
            m.focus = next_pane(m, -1, true);
            Vec::new()
        }
        Action::PaneRight => {
            m.focus = next_pane(m, 1, false);
            Vec::new()
        }
        Action::PaneLeft => {
            m.focus = next_pane(m, -1, false);
            Vec::new()
        }
        Action::Open => open(m),
        Action::ToggleFullscreen => {
            if m.reader.is_some() {
                m.fullscreen = !m.fullscreen;
                m.focus = if m.fullscreen {
                    Pane::Reader
                } else {
                    Pane::Articles
                };
                return rewrap_reader(m);
            }
            Vec::new()
        }
        Action::PageReader => page_reader(m),
        Action::NextUnread => next_unread(m, Direction::Forward),
        Action::PrevUnread => next_unread(m, Direction::Backward),
        Action::ToggleRead => toggle_read(m),
        Action::MarkAllRead => mark_all_read(m),
        Action::ToggleStar => toggle_star(m),
        Action::ToggleFullText => super::fulltext::toggle_full_text(m),
        Action::OtherCopy => super::copies::other_copy(m),
        Action::Undo => undo(m),
        Action::MarkAboveRead => mark_above_read(m),
        Action::SortArticles => {
            let Some(row) = m.selected_feed_row().cloned() else {
                return Vec::new();
            };
            let key = row.key(&m.feeds);
            let order = m.sorts.get(&key).copied().unwrap_or_default().next();
            if order == crate::store::Order::default() {
                m.sorts.remove(&key);
            } else {
                m.sorts.insert(key, order);
            }
            m.message = Some(format!("Sorted {}", order.name()));
            let mut cmds = vec![Cmd::SaveSorts(m.sorts.clone())];
            m.articles.hold_selection();
            reload_articles(m, &mut cmds, false);
            cmds
        }
        Action::ToggleShowRead => {
            m.hide_read = !m.hide_read;
            m.message = Some(
                if m.hide_read {
                    "Read articles and fully read feeds hidden"
                } else {
                    "Read articles and feeds shown"
                }
                .into(),
            );
            let mut cmds = vec![Cmd::SaveHideRead(m.hide_read)];
            cmds.extend(super::feedrows::rebuild(m));
            m.articles.hold_selection();
            reload_articles(m, &mut cmds, false);
            cmds
        }
        Action::SaveArticle => match article_text(m) {
            Some((title, text)) => {
                let path = crate::export::default_path(m.save_dir.as_deref(), &title)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                m.prompt = Some(Prompt::line(Ask::SaveTo { title, text }, &path));
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::PipeArticle => {
            if m.reader.is_some() {
                // Empty: the last command is one Up away.
                m.prompt = Some(Prompt::line(Ask::Pipe, ""));
            } else {
                m.message = Some("Open an article first".into());
            }
            Vec::new()
        }
        Action::Refresh => {
            let ids = m
                .selected_feed_row()
                .map(|r| m.row_feed_ids(r))
                .unwrap_or_default();
            start_refresh(m, Some(ids))
        }
        Action::RefreshAll => start_refresh(m, None),
        // On a feed in the feed list: the feed's web site, as newsboat's `o` there.
        Action::OpenInBrowser | Action::CopyUrl
            if m.focus == Pane::Feeds && super::manage::selected_feed_site(m).is_some() =>
        {
            match super::manage::selected_feed_site(m).flatten() {
                Some(url) if action == Action::CopyUrl => {
                    m.message = Some(format!("Copied {url}"));
                    vec![Cmd::CopyToClipboard(url)]
                }
                Some(url) => vec![Cmd::OpenUrl(url)],
                None => {
                    m.message = Some("This feed names no web site".into());
                    Vec::new()
                }
            }
        }
        // On All unread, Starred, a tag: no site, and the article list's cursor is not
        // what the key was pressed on (at 70 columns it is not even on screen).
        Action::OpenInBrowser | Action::CopyUrl if m.focus == Pane::Feeds => {
            // The keys as bound (the keymap may move them).
            let (open, copy) = (
                m.keymap.key_for(Action::OpenInBrowser),
                m.keymap.key_for(Action::CopyUrl),
            );
            m.message = Some(format!(
                "Not a feed: {open} and {copy} act on a feed here, or on an article in the list or the reader"
            ));
            Vec::new()
        }
        Action::OpenInBrowser => match current_link(m) {
            Some(url) => vec![Cmd::OpenUrl(url)],
            None => {
                m.message = Some("This article has no link".into());
                Vec::new()
            }
        },
        Action::FollowLink | Action::OpenLink => {
            if m.reader.is_some() {
                m.prompt = Some(Prompt::line(Ask::LinkNumber, ""));
            } else {
                m.message = Some("Open an article first".into());
            }
            Vec::new()
        }
        Action::CopyUrl => match current_link(m) {
            Some(url) => {
                m.message = Some(format!("Copied {url}"));
                vec![Cmd::CopyToClipboard(url)]
            }
            None => Vec::new(),
        },
        Action::Filter => super::search::start(m),
        Action::AddFeed => super::manage::add(m),
        Action::RemoveFeed => super::manage::remove(m),
        Action::RenameFeed => super::manage::rename(m),
        Action::EditTags => super::manage::edit_tags(m),
        Action::Enclosures | Action::QueueDownload | Action::Downloads => {
            super::background::on_media_key(m, action)
        }
        Action::ShowErrors => {
            m.overlay = Some(Overlay::Health {
                sort: Default::default(),
                selected: 0,
            });
            m.overlay_scroll = 0;
            vec![Cmd::CountRecent]
        }
        Action::ReloadConfig => vec![Cmd::ReloadConfig],
        Action::Help => {
            m.overlay = Some(Overlay::Help);
            m.overlay_scroll = 0;
            Vec::new()
        }
        Action::Back => back(m, false),
        Action::BackOrQuit => back(m, true),
        Action::Quit => quit(m),
        Action::MarkEverythingRead => super::articles::ask_mark_everything_read(m),
        Action::ShowLinks => super::links::show(m),
        Action::SelectTag => super::links::select_tag(m),
        Action::EditConfig => vec![Cmd::EditConfig],
    }
}

/// Esc (and newsboat's q): leaves full screen, the reader, a search, an article list.
/// At the top Esc does nothing (it is pressed to cancel, never to quit); `or_quit` quits.
pub(super) fn back(m: &mut Model, or_quit: bool) -> Vec<Cmd> {
    if m.fullscreen {
        m.fullscreen = false;
        m.focus = Pane::Articles;
        return rewrap_reader(m);
    }
    match m.focus {
        Pane::Reader => m.focus = Pane::Articles,
        Pane::Articles if !m.articles.filter.is_empty() => return super::search::end(m),
        Pane::Articles => m.focus = Pane::Feeds,
        Pane::Feeds if m.feeds_pane.rows.first() == Some(&FeedRow::Search) => {
            return super::search::end(m)
        }
        Pane::Feeds if or_quit => return quit(m),
        Pane::Feeds => {}
    }
    Vec::new()
}

pub(super) fn quit(m: &mut Model) -> Vec<Cmd> {
    m.quit = true;
    let feed_key = m
        .selected_feed_row()
        .map(|r| r.key(&m.feeds))
        .unwrap_or_default();
    let item = m.articles.selected_row().map(|r| r.id);
    vec![Cmd::SaveSelection { feed_key, item }]
}

pub(super) fn on_mouse(m: &mut Model, ev: crossterm::event::MouseEvent) -> Vec<Cmd> {
    let areas = m.areas();
    let hit = |r: Option<ratatui::layout::Rect>| {
        r.is_some_and(|r| {
            ev.column >= r.x
                && ev.column < r.x + r.width
                && ev.row >= r.y
                && ev.row < r.y + r.height
        })
    };
    let pane = if hit(areas.feeds) {
        Pane::Feeds
    } else if hit(areas.articles) {
        Pane::Articles
    } else if hit(areas.reader) {
        Pane::Reader
    } else {
        return Vec::new();
    };
    match ev.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let delta = if ev.kind == MouseEventKind::ScrollDown {
                3
            } else {
                -3
            };
            let saved = m.focus;
            m.focus = pane;
            let cmds = move_by(m, delta);
            if pane != Pane::Feeds {
                m.focus = saved;
            }
            cmds
        }
        MouseEventKind::Down(MouseButton::Left) => {
            m.focus = pane;
            let area = match pane {
                Pane::Feeds => areas.feeds,
                Pane::Articles => areas.articles,
                Pane::Reader => return Vec::new(),
            };
            let Some(area) = area else { return Vec::new() };
            if ev.row <= area.y || ev.row >= area.y + area.height - 1 {
                return Vec::new();
            }
            let offset = if pane == Pane::Feeds {
                m.feeds_pane.offset
            } else {
                m.articles.offset
            };
            let mut target = offset + (ev.row - area.y - 1) as usize;
            let current = if pane == Pane::Feeds {
                m.feeds_pane.selected
            } else {
                let a = &mut m.articles;
                if a.ghost().is_some() {
                    // The article gone from the list, clicked: it stays the cursor's.
                    if target == a.selected {
                        return Vec::new();
                    }
                    // Below it, the rows are one further down than their places.
                    if target > a.selected {
                        target -= 1;
                    }
                }
                // A click picks the row clicked, whatever the cursor was held on.
                a.release();
                a.selected
            };
            move_by(m, target as isize - current as isize)
        }
        _ => Vec::new(),
    }
}
