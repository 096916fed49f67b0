//! `update(model, msg)`: the only place the UI state changes. No I/O, no channels, no clock:
//! effects come back as `Cmd`s for the runner, so everything here is unit-testable.

use super::keymap::Action;
use super::model::{
    inner_height, reader_text_width, Direction, FeedRow, Model, Overlay, Pane, Prompt, ReaderPane,
    PAGE_SIZE,
};
use super::msg::{Cmd, Msg};
use crate::model::{FeedSummary, ItemId};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

/// Pages kept on each side of the selected one.
const KEEP_PAGES: usize = 3;

#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub cmds: Vec<Cmd>,
    pub redraw: bool,
}

impl Outcome {
    fn redraw(cmds: Vec<Cmd>) -> Outcome {
        Outcome { cmds, redraw: true }
    }
}

pub fn update(m: &mut Model, msg: Msg) -> Outcome {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => Outcome::redraw(on_key(m, key)),
        Msg::Key(_) => Outcome::default(),
        Msg::Mouse(ev) => Outcome::redraw(on_mouse(m, ev)),
        Msg::Resize(w, h) => {
            m.size = (w, h);
            rewrap_reader(m);
            let mut cmds = Vec::new();
            keep_visible(m);
            ensure_pages(m, &mut cmds);
            Outcome::redraw(cmds)
        }
        Msg::Tick => {
            if m.feeds_dirty {
                m.feeds_dirty = false;
                return Outcome::redraw(vec![Cmd::LoadFeeds]);
            }
            Outcome::redraw(Vec::new())
        }
        Msg::FeedsLoaded(feeds) => Outcome::redraw(on_feeds_loaded(m, feeds)),
        Msg::PageLoaded {
            req,
            page,
            total,
            rows,
        } => {
            if req != m.articles.req {
                return Outcome::default();
            }
            Outcome::redraw(on_page_loaded(m, page, total, rows))
        }
        Msg::ArticleLoaded {
            req,
            item,
            prepared,
        } => {
            if req != m.reader_req {
                return Outcome::default();
            }
            let width = reader_width(m);
            let lines = prepared.layout(width);
            m.reader = Some(ReaderPane {
                item: *item,
                prepared: *prepared,
                lines,
                width,
                scroll: 0,
            });
            Outcome::redraw(Vec::new())
        }
        Msg::Restored { feed_key, item } => {
            m.restore = Some((feed_key, item));
            if m.feeds.is_empty() {
                return Outcome::default();
            }
            let feeds = m.feeds.clone();
            Outcome::redraw(on_feeds_loaded(m, feeds))
        }
        Msg::InputClosed => Outcome::redraw(quit(m)),
        Msg::ReloadRequested => Outcome::redraw(vec![Cmd::ReloadConfig]),
        Msg::ConfigReloaded(Ok(config)) => {
            // The config was validated when read, so the keymap builds.
            m.keymap = super::keymap::Keymap::with_overrides(&config.keys).unwrap_or_default();
            m.theme = super::theme::Theme::from_config(&config.theme, m.no_color);
            m.message = Some(format!("Config reloaded: {} feeds", config.feeds.len()));
            Outcome::redraw(vec![Cmd::UseConfig(config)])
        }
        Msg::ConfigReloaded(Err(e)) => {
            m.message = Some(format!("Config not reloaded: {e}"));
            Outcome::redraw(Vec::new())
        }
        Msg::StoreFailed(e) => {
            m.message = Some(e);
            Outcome::redraw(Vec::new())
        }
        Msg::RefreshStarted { total } => {
            m.refresh.running = Some((0, total));
            Outcome::redraw(Vec::new())
        }
        Msg::RefreshProgress { summary, .. } => {
            let total = m.refresh.running.map(|r| r.1).unwrap_or(summary.feeds);
            m.refresh.running = Some((summary.ok + summary.failed, total));
            m.feeds_dirty = true;
            Outcome::redraw(Vec::new())
        }
        Msg::RefreshFinished { summary, at } => {
            m.refresh.running = None;
            m.refresh.last = Some(at);
            m.refresh.last_failed = summary.failed;
            m.feeds_dirty = false;
            m.message = None;
            let mut cmds = vec![Cmd::LoadFeeds];
            // New items may have arrived in the list on screen: reload it, keeping the row.
            m.articles.want = m.articles.selected_row().map(|r| r.id);
            reload_articles(m, &mut cmds, false);
            Outcome::redraw(cmds)
        }
    }
}

/// Builds the feed-list rows: "All unread", "Starred", then feeds, grouped under their
/// tags when tags are set (a feed with two tags shows under both).
pub fn feed_rows(feeds: &[FeedSummary]) -> Vec<FeedRow> {
    let mut rows = vec![FeedRow::AllUnread, FeedRow::Starred];
    let mut tags: Vec<&str> = Vec::new();
    for f in feeds {
        for t in &f.tags {
            if !tags.contains(&t.as_str()) {
                tags.push(t);
            }
        }
    }
    for tag in &tags {
        rows.push(FeedRow::Tag(tag.to_string()));
        rows.extend(
            feeds
                .iter()
                .enumerate()
                .filter(|(_, f)| f.tags.iter().any(|t| t == tag))
                .map(|(i, _)| FeedRow::Feed(i)),
        );
    }
    if !tags.is_empty() && feeds.iter().any(|f| f.tags.is_empty()) {
        rows.push(FeedRow::Tag(String::new()));
    }
    rows.extend(
        feeds
            .iter()
            .enumerate()
            .filter(|(_, f)| f.tags.is_empty())
            .map(|(i, _)| FeedRow::Feed(i)),
    );
    rows
}

fn on_feeds_loaded(m: &mut Model, feeds: Vec<FeedSummary>) -> Vec<Cmd> {
    let old_key = m.selected_feed_row().map(|r| r.key(&m.feeds));
    let old_query = m.selected_feed_row().map(|r| m.row_query(r));
    m.feeds = feeds;
    m.feed_name_width = m
        .feeds
        .iter()
        .map(|f| unicode_width::UnicodeWidthStr::width(f.name.as_str()))
        .max()
        .unwrap_or(0);
    m.feeds_pane.rows = feed_rows(&m.feeds);
    let restore = m.restore.take();
    let wanted_key = restore.as_ref().and_then(|(k, _)| k.clone()).or(old_key);
    if let Some(key) = wanted_key {
        let visible = m.visible_feed_rows();
        if let Some(pos) = visible
            .iter()
            .position(|&i| m.feeds_pane.rows[i].key(&m.feeds) == key)
        {
            m.feeds_pane.selected = pos;
        }
    }
    clamp_feed_selection(m);
    let mut cmds = Vec::new();
    if let Some((_, item)) = restore {
        m.articles.want = item;
        if item.is_some() {
            m.focus = Pane::Articles;
        }
    }
    let new_query = m.selected_feed_row().map(|r| m.row_query(r));
    if new_query != old_query || m.articles.query.is_none() || m.articles.want.is_some() {
        reload_articles(m, &mut cmds, old_query != new_query);
    } else if m.articles.filter.is_empty() {
        if let Some(total) = m.selected_feed_row().and_then(|r| m.row_total(r)) {
            if total > m.articles.total {
                reload_articles(m, &mut cmds, false);
            }
        }
    }
    keep_visible(m);
    cmds
}

fn clamp_feed_selection(m: &mut Model) {
    let n = m.visible_feed_rows().len();
    m.feeds_pane.selected = m.feeds_pane.selected.min(n.saturating_sub(1));
}

/// Starts loading the list for the selected feed row from its first page.
fn reload_articles(m: &mut Model, cmds: &mut Vec<Cmd>, reset_selection: bool) {
    let Some(row) = m.selected_feed_row().cloned() else {
        m.articles = Default::default();
        return;
    };
    let mut query = m.row_query(&row);
    let filter = m.articles.filter.trim().to_string();
    query.text = (!filter.is_empty()).then_some(filter);
    let count = query.text.is_some() || m.row_total(&row).is_none();
    m.articles.req = m.req();
    m.articles.query = Some(query.clone());
    m.articles.pages.clear();
    m.articles.pending.clear();
    if reset_selection {
        m.articles.selected = 0;
        m.articles.offset = 0;
    }
    if !count {
        m.articles.total = m.row_total(&row).unwrap_or(0);
    }
    let page = if reset_selection {
        0
    } else {
        m.articles.selected / PAGE_SIZE
    };
    m.articles.pending.insert(page);
    cmds.push(Cmd::LoadPage {
        req: m.articles.req,
        query,
        page,
        count,
    });
    if page != 0 {
        m.articles.pending.insert(0);
        cmds.push(Cmd::LoadPage {
            req: m.articles.req,
            query: m
                .articles
                .query
                .clone()
                .unwrap_or_else(|| m.row_query(&row)),
            page: 0,
            count,
        });
    }
}

fn on_page_loaded(
    m: &mut Model,
    page: usize,
    total: Option<usize>,
    rows: Vec<crate::model::ItemRow>,
) -> Vec<Cmd> {
    let a = &mut m.articles;
    a.pending.remove(&page);
    let page_len = rows.len();
    a.pages.insert(page, rows);
    let seen = page * PAGE_SIZE + page_len;
    // A count from the store wins; a short page marks the end; otherwise the counts from
    // the feed list stand, grown if the cache holds more than they say.
    if let Some(t) = total {
        a.total = t;
    } else if page_len < PAGE_SIZE {
        a.total = seen;
    } else {
        a.total = a.total.max(seen);
    }
    // Keep memory flat however far the user scrolls: only pages near the selection stay.
    let near = a.selected / PAGE_SIZE;
    a.pages
        .retain(|p, _| p.abs_diff(near) <= KEEP_PAGES || *p == 0);
    let mut cmds = Vec::new();
    if let Some(want) = a.want {
        if let Some(pos) = a.position_of(want) {
            a.selected = pos;
            a.want = None;
        } else if page == 0 {
            a.want = None;
        }
    }
    a.selected = a.selected.min(a.total.saturating_sub(1));
    if let Some(dir) = a.open_unread.take() {
        let found = match dir {
            Direction::Forward => (0..a.total).find(|&i| a.row(i).is_some_and(|r| !r.read)),
            Direction::Backward => (0..a.total)
                .rev()
                .find(|&i| a.row(i).is_some_and(|r| !r.read)),
        };
        if let Some(i) = found {
            a.selected = i;
            keep_visible(m);
            cmds.extend(open_selected(m));
        }
    }
    keep_visible(m);
    ensure_pages(m, &mut cmds);
    cmds
}

/// Asks for the pages around the selection that are neither loaded nor on their way.
fn ensure_pages(m: &mut Model, cmds: &mut Vec<Cmd>) {
    let Some(query) = m.articles.query.clone() else {
        return;
    };
    let height = m.areas().articles.map(inner_height).unwrap_or(20);
    let first = m.articles.offset.min(m.articles.selected);
    let last = (m.articles.offset + height).max(m.articles.selected);
    for page in first / PAGE_SIZE..=last / PAGE_SIZE {
        if page * PAGE_SIZE >= m.articles.total.max(1) && page > 0 {
            break;
        }
        if !m.articles.pages.contains_key(&page) && m.articles.pending.insert(page) {
            cmds.push(Cmd::LoadPage {
                req: m.articles.req,
                query: query.clone(),
                page,
                count: false,
            });
        }
    }
}

fn reader_width(m: &Model) -> usize {
    m.areas().reader.map(reader_text_width).unwrap_or(60)
}

fn rewrap_reader(m: &mut Model) {
    let width = reader_width(m);
    if let Some(r) = &mut m.reader {
        if r.width != width {
            r.lines = r.prepared.layout(width);
            r.width = width;
            r.scroll = r.scroll.min(r.lines.len().saturating_sub(1));
        }
    }
}

/// Moves list offsets so that the selections stay on screen.
fn keep_visible(m: &mut Model) {
    let areas = m.areas();
    let fh = areas.feeds.map(inner_height).unwrap_or(20);
    m.feeds_pane.offset = follow(m.feeds_pane.offset, m.feeds_pane.selected, fh);
    let ah = areas.articles.map(inner_height).unwrap_or(20);
    m.articles.offset = follow(m.articles.offset, m.articles.selected, ah);
}

fn follow(offset: usize, selected: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

fn on_key(m: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    m.message = None;
    if let Some(prompt) = m.prompt.clone() {
        return on_prompt_key(m, prompt, key);
    }
    if m.overlay.is_some() {
        if matches!(
            m.keymap.resolve(&key),
            Some(Action::Back | Action::Help | Action::ShowErrors | Action::Open)
        ) {
            m.overlay = None;
        } else if m.keymap.resolve(&key) == Some(Action::Quit) {
            return quit(m);
        }
        return Vec::new();
    }
    if let KeyCode::Char(c @ '1'..='9') = key.code {
        if key.modifiers.is_empty() {
            return follow_link(m, c as usize - '0' as usize);
        }
    }
    match m.keymap.resolve(&key) {
        Some(action) => on_action(m, action),
        None => Vec::new(),
    }
}

fn on_prompt_key(m: &mut Model, prompt: Prompt, key: KeyEvent) -> Vec<Cmd> {
    match prompt {
        Prompt::LinkNumber(mut digits) => match key.code {
            KeyCode::Char(c) if c.is_ascii_digit() && digits.len() < 4 => {
                digits.push(c);
                m.prompt = Some(Prompt::LinkNumber(digits));
                Vec::new()
            }
            KeyCode::Backspace => {
                digits.pop();
                m.prompt = Some(Prompt::LinkNumber(digits));
                Vec::new()
            }
            KeyCode::Enter => {
                m.prompt = None;
                digits
                    .parse()
                    .map(|n| follow_link(m, n))
                    .unwrap_or_default()
            }
            _ => {
                m.prompt = None;
                Vec::new()
            }
        },
        Prompt::Filter { pane, mut text } => {
            match key.code {
                KeyCode::Esc => {
                    m.prompt = None;
                    text.clear();
                }
                KeyCode::Enter => m.prompt = None,
                KeyCode::Backspace => {
                    text.pop();
                    m.prompt = Some(Prompt::Filter {
                        pane,
                        text: text.clone(),
                    });
                }
                KeyCode::Char(c) if !c.is_control() => {
                    text.push(c);
                    m.prompt = Some(Prompt::Filter {
                        pane,
                        text: text.clone(),
                    });
                }
                _ => return Vec::new(),
            }
            apply_filter(m, pane, text)
        }
    }
}

fn apply_filter(m: &mut Model, pane: Pane, text: String) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    if pane == Pane::Feeds {
        if m.feeds_pane.filter != text {
            let before = m.selected_feed_row().cloned();
            m.feeds_pane.filter = text;
            m.feeds_pane.selected = 0;
            m.feeds_pane.offset = 0;
            if m.selected_feed_row().cloned() != before {
                reload_articles(m, &mut cmds, true);
            }
        }
    } else if m.articles.filter != text {
        m.articles.filter = text;
        reload_articles(m, &mut cmds, true);
    }
    cmds
}

fn on_action(m: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Down => move_by(m, 1),
        Action::Up => move_by(m, -1),
        Action::Top => move_by(m, isize::MIN / 2),
        Action::Bottom => move_by(m, isize::MAX / 2),
        Action::PageDown => move_by(m, page_step(m)),
        Action::PageUp => move_by(m, -page_step(m)),
        Action::NextPane => {
            m.focus = next_pane(m, 1);
            Vec::new()
        }
        Action::PrevPane => {
            m.focus = next_pane(m, -1);
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
                rewrap_reader(m);
            }
            Vec::new()
        }
        Action::PageReader => page_reader(m),
        Action::NextUnread => next_unread(m, Direction::Forward),
        Action::PrevUnread => next_unread(m, Direction::Backward),
        Action::ToggleRead => toggle_read(m),
        Action::MarkAllRead => mark_all_read(m),
        Action::ToggleStar => toggle_star(m),
        Action::Refresh => {
            let ids = m
                .selected_feed_row()
                .map(|r| m.row_feed_ids(r))
                .unwrap_or_default();
            start_refresh(m, Some(ids))
        }
        Action::RefreshAll => start_refresh(m, None),
        Action::OpenInBrowser => match current_link(m) {
            Some(url) => vec![Cmd::OpenUrl(url)],
            None => {
                m.message = Some("This article has no link".into());
                Vec::new()
            }
        },
        Action::FollowLink => {
            if m.reader.is_some() {
                m.prompt = Some(Prompt::LinkNumber(String::new()));
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
        Action::Filter => {
            let pane = if m.focus == Pane::Feeds {
                Pane::Feeds
            } else {
                Pane::Articles
            };
            if pane == Pane::Articles {
                m.focus = Pane::Articles;
                m.fullscreen = false;
            }
            let text = match pane {
                Pane::Feeds => m.feeds_pane.filter.clone(),
                _ => m.articles.filter.clone(),
            };
            m.prompt = Some(Prompt::Filter { pane, text });
            Vec::new()
        }
        Action::ShowErrors => {
            m.overlay = Some(Overlay::Errors);
            Vec::new()
        }
        Action::ReloadConfig => vec![Cmd::ReloadConfig],
        Action::Help => {
            m.overlay = Some(Overlay::Help);
            Vec::new()
        }
        Action::Back => back(m),
        Action::Quit => quit(m),
    }
}

fn page_step(m: &Model) -> isize {
    let area = match m.focus {
        Pane::Feeds => m.areas().feeds,
        Pane::Articles => m.areas().articles,
        Pane::Reader => m.areas().reader,
    };
    area.map(inner_height)
        .unwrap_or(10)
        .saturating_sub(1)
        .max(1) as isize
}

fn next_pane(m: &Model, step: isize) -> Pane {
    let panes: Vec<Pane> = if m.reader.is_some() {
        vec![Pane::Feeds, Pane::Articles, Pane::Reader]
    } else {
        vec![Pane::Feeds, Pane::Articles]
    };
    let i = panes.iter().position(|p| *p == m.focus).unwrap_or(0) as isize;
    panes[(i + step).rem_euclid(panes.len() as isize) as usize]
}

fn clamp_add(value: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let v = value as isize + delta.clamp(-(len as isize), len as isize);
    v.clamp(0, len as isize - 1) as usize
}

fn move_by(m: &mut Model, delta: isize) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    match m.focus {
        Pane::Feeds => {
            let n = m.visible_feed_rows().len();
            let new = clamp_add(m.feeds_pane.selected, delta, n);
            if new != m.feeds_pane.selected {
                m.feeds_pane.selected = new;
                m.articles.filter.clear();
                reload_articles(m, &mut cmds, true);
            }
        }
        Pane::Articles => {
            m.articles.selected = clamp_add(m.articles.selected, delta, m.articles.total);
            ensure_pages_after_move(m, &mut cmds);
        }
        Pane::Reader => scroll_reader(m, delta),
    }
    keep_visible(m);
    cmds
}

fn ensure_pages_after_move(m: &mut Model, cmds: &mut Vec<Cmd>) {
    keep_visible(m);
    ensure_pages(m, cmds);
}

fn reader_height(m: &Model) -> usize {
    m.areas().reader.map(inner_height).unwrap_or(10)
}

fn scroll_reader(m: &mut Model, delta: isize) {
    let height = reader_height(m);
    if let Some(r) = &mut m.reader {
        let max = r.lines.len().saturating_sub(height);
        r.scroll =
            (r.scroll as isize + delta.clamp(-(1 << 30), 1 << 30)).clamp(0, max as isize) as usize;
    }
}

fn open(m: &mut Model) -> Vec<Cmd> {
    match m.focus {
        Pane::Feeds => {
            m.focus = Pane::Articles;
            Vec::new()
        }
        Pane::Articles => {
            let selected = m.articles.selected_row().map(|r| r.id);
            let open_id = m.reader.as_ref().map(|r| r.item.id);
            if selected.is_some() && selected == open_id {
                m.fullscreen = true;
                m.focus = Pane::Reader;
                rewrap_reader(m);
                Vec::new()
            } else {
                open_selected(m)
            }
        }
        Pane::Reader => {
            m.fullscreen = !m.fullscreen;
            rewrap_reader(m);
            Vec::new()
        }
    }
}

/// Loads the selected article into the reader and marks it read at once.
fn open_selected(m: &mut Model) -> Vec<Cmd> {
    let Some(row) = m.articles.selected_row().cloned() else {
        return Vec::new();
    };
    m.reader_req = m.req();
    let mut cmds = vec![Cmd::LoadArticle {
        req: m.reader_req,
        id: row.id,
    }];
    if !row.read {
        set_row_read(m, m.articles.selected, true);
        cmds.push(Cmd::SetRead {
            ids: vec![row.id],
            read: true,
        });
    }
    if m.is_narrow() {
        m.focus = Pane::Reader;
    }
    cmds
}

/// Flips a row's read flag and the feed's unread count, as the store will.
fn set_row_read(m: &mut Model, index: usize, read: bool) {
    let Some(row) = m.articles.row_mut(index) else {
        return;
    };
    if row.read == read {
        return;
    }
    row.read = read;
    let feed_id = row.feed_id;
    if let Some(f) = m.feeds.iter_mut().find(|f| f.id == feed_id) {
        f.unread = if read {
            f.unread.saturating_sub(1)
        } else {
            f.unread + 1
        };
    }
    if let Some(r) = m
        .reader
        .as_mut()
        .filter(|r| r.item.id == m.articles.row(index).map(|r| r.id).unwrap_or(ItemId(-1)))
    {
        r.item.read = read;
    }
}

fn page_reader(m: &mut Model) -> Vec<Cmd> {
    let height = reader_height(m);
    let at_end = m
        .reader
        .as_ref()
        .map(|r| r.scroll + height >= r.lines.len())
        .unwrap_or(true);
    if at_end {
        next_unread(m, Direction::Forward)
    } else {
        scroll_reader(m, height.saturating_sub(1).max(1) as isize);
        Vec::new()
    }
}

/// n/N: the next unread article in this list, else in the next feed that has one.
fn next_unread(m: &mut Model, dir: Direction) -> Vec<Cmd> {
    let a = &m.articles;
    let current_open = m.reader.as_ref().map(|r| r.item.id);
    let start = a.selected;
    let found = match dir {
        Direction::Forward => (start..a.total).find(|&i| {
            a.row(i)
                .is_some_and(|r| !r.read && (i != start || Some(r.id) != current_open))
        }),
        Direction::Backward => (0..start)
            .rev()
            .find(|&i| a.row(i).is_some_and(|r| !r.read)),
    };
    if let Some(i) = found {
        m.articles.selected = i;
        keep_visible(m);
        return open_selected(m);
    }
    // Cross into the next (or previous) feed with unread items.
    let visible = m.visible_feed_rows();
    let sel = m.feeds_pane.selected;
    let has_unread = |pos: &usize| match &m.feeds_pane.rows[visible[*pos]] {
        FeedRow::Feed(f) => m.feeds[*f].unread > 0,
        _ => false,
    };
    let target = match dir {
        Direction::Forward => (sel + 1..visible.len()).find(has_unread),
        Direction::Backward => (0..sel).rev().find(has_unread),
    };
    match target {
        Some(pos) => {
            m.feeds_pane.selected = pos;
            m.articles.filter.clear();
            let mut cmds = Vec::new();
            reload_articles(m, &mut cmds, true);
            m.articles.open_unread = Some(dir);
            if m.focus == Pane::Feeds {
                m.focus = Pane::Articles;
            }
            keep_visible(m);
            cmds
        }
        None => {
            m.message = Some("No more unread articles".into());
            Vec::new()
        }
    }
}

fn toggle_read(m: &mut Model) -> Vec<Cmd> {
    let index = m.articles.selected;
    let Some(row) = m.articles.row(index).cloned() else {
        return Vec::new();
    };
    set_row_read(m, index, !row.read);
    vec![Cmd::SetRead {
        ids: vec![row.id],
        read: !row.read,
    }]
}

fn mark_all_read(m: &mut Model) -> Vec<Cmd> {
    let Some(row) = m.selected_feed_row().cloned() else {
        return Vec::new();
    };
    let ids = m.row_feed_ids(&row);
    for page in m.articles.pages.values_mut() {
        for r in page.iter_mut() {
            r.read = true;
        }
    }
    for f in m.feeds.iter_mut().filter(|f| ids.contains(&f.id)) {
        f.unread = 0;
    }
    m.message = Some("Marked read".into());
    vec![Cmd::MarkFeedsRead(ids)]
}

fn toggle_star(m: &mut Model) -> Vec<Cmd> {
    let index = m.articles.selected;
    let Some(row) = m.articles.row_mut(index) else {
        return Vec::new();
    };
    row.starred = !row.starred;
    let (id, starred) = (row.id, row.starred);
    if let Some(r) = m.reader.as_mut().filter(|r| r.item.id == id) {
        r.item.starred = starred;
    }
    vec![Cmd::SetStarred { id, starred }]
}

fn start_refresh(m: &mut Model, feeds: Option<Vec<crate::model::FeedId>>) -> Vec<Cmd> {
    if m.refresh.running.is_some() {
        m.message = Some("A refresh is already running".into());
        return Vec::new();
    }
    if feeds.as_ref().is_some_and(|f| f.is_empty()) {
        return Vec::new();
    }
    m.refresh.running = Some((0, feeds.as_ref().map(Vec::len).unwrap_or(m.feeds.len())));
    vec![Cmd::Refresh(feeds)]
}

fn current_link(m: &Model) -> Option<String> {
    let reader_link = m.reader.as_ref().and_then(|r| r.item.link.clone());
    let row_link = m.articles.selected_row().and_then(|r| r.link.clone());
    match m.focus {
        Pane::Reader => reader_link.or(row_link),
        _ => row_link.or(reader_link),
    }
}

fn follow_link(m: &mut Model, n: usize) -> Vec<Cmd> {
    let link = m
        .reader
        .as_ref()
        .and_then(|r| r.prepared.links().get(n.wrapping_sub(1)).cloned());
    match link {
        Some(url) => vec![Cmd::OpenUrl(url)],
        None => {
            m.message = Some(format!("No link [{n}] in this article"));
            Vec::new()
        }
    }
}

fn back(m: &mut Model) -> Vec<Cmd> {
    if m.fullscreen {
        m.fullscreen = false;
        m.focus = Pane::Articles;
        rewrap_reader(m);
        return Vec::new();
    }
    match m.focus {
        Pane::Reader => m.focus = Pane::Articles,
        Pane::Articles if !m.articles.filter.is_empty() => {
            m.articles.filter.clear();
            let mut cmds = Vec::new();
            reload_articles(m, &mut cmds, true);
            return cmds;
        }
        Pane::Articles => m.focus = Pane::Feeds,
        Pane::Feeds if !m.feeds_pane.filter.is_empty() => {
            return apply_filter(m, Pane::Feeds, String::new());
        }
        Pane::Feeds => return quit(m),
    }
    Vec::new()
}

fn quit(m: &mut Model) -> Vec<Cmd> {
    m.quit = true;
    let feed_key = m
        .selected_feed_row()
        .map(|r| r.key(&m.feeds))
        .unwrap_or_default();
    let item = m.articles.selected_row().map(|r| r.id);
    vec![Cmd::SaveSelection { feed_key, item }]
}

fn on_mouse(m: &mut Model, ev: crossterm::event::MouseEvent) -> Vec<Cmd> {
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
            let target = offset + (ev.row - area.y - 1) as usize;
            let current = if pane == Pane::Feeds {
                m.feeds_pane.selected
            } else {
                m.articles.selected
            };
            move_by(m, target as isize - current as isize)
        }
        _ => Vec::new(),
    }
}
