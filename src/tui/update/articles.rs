//! What is done to articles: opening, marking, starring, next unread, links, refreshing.

use super::super::keymap::Action;
use super::super::model::{
    inner_height, Direction, FeedRow, Model, Pane, Prompt, Undo, UNDO_LEVELS,
};
use super::super::msg::Cmd;
use super::lists::{keep_visible, reader_height, reload_articles, rewrap_reader, scroll_reader};
use crate::model::ItemId;
use std::collections::HashSet;

pub(super) fn open(m: &mut Model) -> Vec<Cmd> {
    match m.focus {
        // On a tag's group Enter folds it shut or open (l or Tab go to its articles).
        Pane::Feeds => match m.selected_feed_row() {
            Some(FeedRow::Tag(tag)) => super::feedrows::toggle_group(m, tag.clone()),
            _ => {
                m.focus = Pane::Articles;
                Vec::new()
            }
        },
        Pane::Articles => {
            let selected = m.articles.selected_row().map(|r| r.id);
            // The row the reader stands for (its article, or the copy `c` shows).
            let open_id = m.reader.as_ref().map(|r| r.row);
            if let Some(id) = selected.filter(|_| selected == open_id) {
                m.fullscreen = true;
                m.focus = Pane::Reader;
                let mut cmds = rewrap_reader(m);
                // Shown by a key that acts on it (`open_first`), it was not marked read:
                // opened now, it is, as any article opened.
                if m.articles.selected_row().is_some_and(|r| !r.read) {
                    cmds.push(read_on_open(m, id));
                }
                cmds
            } else {
                open_selected(m)
            }
        }
        Pane::Reader => {
            m.fullscreen = !m.fullscreen;
            rewrap_reader(m)
        }
    }
}

/// Loads the selected article into the reader and marks it read at once.
pub(super) fn open_selected(m: &mut Model) -> Vec<Cmd> {
    let Some(row) = m.articles.selected_row().cloned() else {
        return Vec::new();
    };
    m.reader_req = m.req();
    let mut cmds = Vec::new();
    // The mark first: the store then reads the article as read.
    if !row.read {
        cmds.push(read_on_open(m, row.id));
    }
    cmds.push(Cmd::LoadArticle {
        req: m.reader_req,
        id: row.id,
        full: true,
    });
    // Narrow, the reader takes the screen. Where q goes back a level (newsboat's q), the
    // article opened is a level, as newsboat's article view: the keys go into it, and q
    // comes back to the list (beside the list it went past the article, to the feeds).
    if m.is_narrow() || m.keymap.keys_of(Action::BackOrQuit).is_some() {
        m.focus = Pane::Reader;
    }
    cmds
}

/// An article opened is read: marked as `m` marks it, and one step for `u` like any mark
/// (an article opened by mistake is the read most often taken back).
fn read_on_open(m: &mut Model, id: ItemId) -> Cmd {
    set_read(m, id, true);
    remember(
        m,
        Undo::Read {
            ids: vec![id],
            read: true,
        },
    );
    Cmd::SetRead {
        ids: vec![id],
        read: true,
    }
}

/// Flips an article's read flag wherever the UI shows it (its row, the held row, the
/// reader) and its feed's unread count, as the store will. By id: a reload may have moved
/// the rows since the key was pressed.
pub(super) fn set_read(m: &mut Model, id: ItemId, read: bool) {
    let ids = shown_as(m, id);
    let mut feed = None;
    let rows = m.articles.pages.values_mut().flatten();
    for row in rows
        .chain(m.articles.held.as_mut())
        .filter(|r| ids.contains(&r.id))
    {
        if row.read != read {
            feed = Some(row.feed_id);
        }
        row.read = read;
    }
    if let Some(r) = m.reader.as_mut().filter(|r| ids.contains(&r.item.id)) {
        if r.item.read != read {
            feed = Some(r.item.feed_id);
        }
        r.item.read = read;
    }
    if let Some(f) = feed.and_then(|id| m.feeds.iter_mut().find(|f| f.id == id)) {
        f.unread = if read {
            f.unread.saturating_sub(1)
        } else {
            f.unread + 1
        };
    }
}

/// The ids an article is shown under: its own; where the reader shows another copy of a
/// row's story (`c`), the row's and the copy's both (the store marks a story's copies
/// together).
fn shown_as(m: &Model, id: ItemId) -> Vec<ItemId> {
    match &m.reader {
        Some(r) if r.item.id == id || r.row == id => vec![r.item.id, r.row],
        _ => vec![id],
    }
}

/// The article a marking key acts on: the open one when the reader has the focus or
/// stands for the cursor's row (the copy `c` shows), else the cursor's (held by id
/// through reloads), none in the feed list (said on the status line). Its id, read and
/// starred flags.
pub(super) fn target(m: &mut Model) -> Option<(ItemId, bool, bool)> {
    match (&m.reader, m.focus) {
        (Some(r), Pane::Reader) => Some((r.item.id, r.item.read, r.item.starred)),
        (Some(r), Pane::Articles) if m.articles.selected_row().is_some_and(|s| s.id == r.row) => {
            Some((r.item.id, r.item.read, r.item.starred))
        }
        // In the feed list the cursor is on a feed: the article list's row beside it was
        // never chosen (and after a feed left, it is another list's), so `m` and `s`
        // there touch no article.
        (_, Pane::Feeds) => {
            use crate::tui::keymap::Action;
            m.message = Some(format!(
                "In the feed list: {} goes to its articles, then {} or {}",
                m.keymap.key_for(Action::Open),
                m.keymap.key_for(Action::ToggleRead),
                m.keymap.key_for(Action::ToggleStar)
            ));
            None
        }
        _ => m.articles.selected_row().map(|r| (r.id, r.read, r.starred)),
    }
}

pub(super) fn page_reader(m: &mut Model) -> Vec<Cmd> {
    if let (Pane::Feeds, Some(FeedRow::Tag(tag))) = (m.focus, m.selected_feed_row()) {
        return super::feedrows::toggle_group(m, tag.clone());
    }
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

/// n/N, as newsboat does it: the next unread article after the cursor in this list, then
/// in the following feeds, then from the start (the end, for N) around to the cursor.
/// Only when nothing is unread anywhere does it say so.
pub(super) fn next_unread(m: &mut Model, dir: Direction) -> Vec<Cmd> {
    if let Some(i) = unread_in_list(m, dir, false) {
        return open_row(m, i);
    }
    if m.total_unread() == 0 {
        m.message = Some("No unread articles".into());
        return Vec::new();
    }
    // "All unread" holds every unread article: go round it rather than leave it.
    if matches!(m.selected_feed_row(), Some(FeedRow::AllUnread)) {
        return wrap_in_list(m, dir);
    }
    let visible = m.visible_feed_rows();
    let n = visible.len();
    let sel = m.feeds_pane.selected;
    for k in 1..=n {
        let pos = match dir {
            Direction::Forward => (sel + k) % n,
            Direction::Backward => (sel + n - k % n) % n,
        };
        if pos == sel {
            return wrap_in_list(m, dir);
        }
        let has_unread = match &m.feeds_pane.rows[visible[pos]] {
            FeedRow::Feed(f) => m.feeds.get(*f).is_some_and(|f| f.unread > 0),
            _ => false,
        };
        if has_unread {
            m.feeds_pane.selected = pos;
            m.articles.filter.clear();
            let mut cmds = Vec::new();
            reload_articles(m, &mut cmds, true);
            m.articles.open_unread = Some(dir);
            if m.focus == Pane::Feeds {
                m.focus = Pane::Articles;
            }
            keep_visible(m);
            return cmds;
        }
    }
    wrap_in_list(m, dir)
}

/// Back round to the other side of the cursor in this list: the rows loaded, else the
/// list again from its first page.
fn wrap_in_list(m: &mut Model, dir: Direction) -> Vec<Cmd> {
    if let Some(i) = unread_in_list(m, dir, true) {
        return open_row(m, i);
    }
    let unread_here = m
        .selected_feed_row()
        .and_then(|r| m.row_counts(r))
        .is_some_and(|(unread, _)| unread > 0);
    if unread_here && m.articles.filter.is_empty() {
        let mut cmds = Vec::new();
        reload_articles(m, &mut cmds, true);
        m.articles.open_unread = Some(dir);
        return cmds;
    }
    m.message = Some("No unread articles in the feeds shown".into());
    Vec::new()
}

/// An unread row of the loaded list: after the cursor (before it, for N), or with
/// `wrapped` on the other side. The open article at the cursor does not count.
fn unread_in_list(m: &Model, dir: Direction, wrapped: bool) -> Option<usize> {
    let a = &m.articles;
    let open = m.reader.as_ref().map(|r| r.row);
    let cursor = a.selected.min(a.total);
    let is_open = |i: usize, id| i == cursor && Some(id) == open;
    let is_unread = |i: &usize| a.row(*i).is_some_and(|r| !r.read && !is_open(*i, r.id));
    match (dir, wrapped) {
        (Direction::Forward, false) => (cursor..a.total).find(is_unread),
        (Direction::Forward, true) => (0..=cursor.min(a.total.saturating_sub(1))).find(is_unread),
        (Direction::Backward, false) => (0..cursor).rev().find(is_unread),
        (Direction::Backward, true) => (cursor..a.total).rev().find(is_unread),
    }
}

fn open_row(m: &mut Model, index: usize) -> Vec<Cmd> {
    m.articles.release();
    m.articles.selected = index;
    keep_visible(m);
    open_selected(m)
}

pub(super) fn toggle_read(m: &mut Model) -> Vec<Cmd> {
    let Some((id, read, _)) = target(m) else {
        return Vec::new();
    };
    set_read(m, id, !read);
    remember(
        m,
        Undo::Read {
            ids: vec![id],
            read: !read,
        },
    );
    vec![Cmd::SetRead {
        ids: vec![id],
        read: !read,
    }]
}

/// `A`: marks read exactly what the list shows (its feeds, starred or not, its filter),
/// and nothing that came after the list was read. The store answers with the ids it
/// changed, which become one undo step.
pub(super) fn mark_all_read(m: &mut Model) -> Vec<Cmd> {
    let (Some(query), Some(upto)) = (m.articles.query.clone(), m.articles.upto) else {
        m.message = Some("Nothing to mark read".into());
        return Vec::new();
    };
    m.articles.show_read_upto(upto);
    if let Some(r) = m.reader.as_mut() {
        if r.row <= upto && m.articles.position_of(r.row).is_some() {
            r.item.read = true;
        }
    }
    m.message = Some("Marking read…".into());
    vec![Cmd::MarkRead { query, upto }]
}

/// `C`: asks first (see `Prompt::ConfirmMarkEverything`), bound to the newest article
/// the feed list's counts knew of (or the list's) as the key is pressed.
pub(super) fn ask_mark_everything_read(m: &mut Model) -> Vec<Cmd> {
    match m.feeds_upto.or(m.articles.upto) {
        Some(upto) => m.prompt = Some(Prompt::ConfirmMarkEverything { upto }),
        None => m.message = Some("Nothing to mark read".into()),
    }
    Vec::new()
}

/// Marks every feed read (newsboat's mark-all-feeds-read), whatever list is open, up to
/// `upto`; one undo step like `A`.
pub(super) fn mark_everything_read(m: &mut Model, upto: ItemId) -> Vec<Cmd> {
    let all = m.row_query(&FeedRow::AllUnread);
    m.articles.show_read_upto(upto);
    if let Some(r) = m.reader.as_mut().filter(|r| r.item.id <= upto) {
        r.item.read = true;
    }
    m.message = Some("Marking every feed read…".into());
    vec![Cmd::MarkRead { query: all, upto }]
}

/// `M`: marks read the articles above the cursor in this list (newsboat's "mark all
/// above as read"), one undo step like `A`; none that came after the list was read.
pub(super) fn mark_above_read(m: &mut Model) -> Vec<Cmd> {
    let (Some(query), Some(row), Some(upto)) = (
        m.articles.query.clone(),
        m.articles.selected_row(),
        m.articles.upto,
    ) else {
        m.message = Some("Nothing to mark read".into());
        return Vec::new();
    };
    let below = row.id;
    if m.articles.held.is_some() {
        // Which rows are above it is known once the reload places it (or it left).
        m.message = Some(format!(
            "The list is changing under the cursor: move it, then {}",
            m.keymap.key_for(crate::tui::keymap::Action::MarkAboveRead)
        ));
        return Vec::new();
    }
    for i in 0..m.articles.selected {
        if let Some(r) = m.articles.row_mut(i).filter(|r| r.id <= upto) {
            r.read = true;
        }
    }
    m.message = Some("Marking read…".into());
    vec![Cmd::MarkAboveRead { query, below, upto }]
}

/// A key that acts on the open article (save, pipe, the links, a link by number, full
/// text, another copy, the enclosures, a download), pressed in the list on
/// a row that is not the one open (or with none open): that row is opened, not marked
/// read, and the key kept for when it is shown (`Model::after_open`). None when the key
/// acts at once: the reader shows the row under the cursor, or the list has no focus.
/// (The key acted on the open article, which after a reload or a few moves was not
/// the one under the cursor; in newsboat it acts on the highlighted one.)
pub(super) fn open_first(m: &mut Model, action: Action) -> Option<Vec<Cmd>> {
    if m.focus != Pane::Articles {
        return None;
    }
    let id = m.articles.selected_row()?.id;
    // The copy `c` shows stands for its row: the key acts on it.
    let shown = m.reader.as_ref().is_some_and(|r| r.row == id);
    if shown && m.reader_req == m.reader_shown_req {
        return None;
    }
    m.reader_req = m.req();
    m.after_open = Some((m.reader_req, action));
    Some(vec![Cmd::LoadArticle {
        req: m.reader_req,
        id,
        // `t` then shows the full text: loaded with it, `t` went back to the feed's.
        full: action != Action::ToggleFullText,
    }])
}

/// The open article as the reader shows it, with its title; None (and a message) when
/// no article is open.
pub(super) fn article_text(m: &mut Model) -> Option<(String, String)> {
    let Some(r) = &m.reader else {
        m.message = Some("Open an article first".into());
        return None;
    };
    let text = crate::render::to_plain(&r.lines);
    Some((r.item.title.clone(), text))
}

/// The store marked these read after an `A`.
pub(super) fn marked_read(m: &mut Model, ids: Vec<crate::model::ItemId>) {
    if ids.is_empty() {
        m.message = Some("No unread articles here".into());
        return;
    }
    let n = ids.len();
    let screenful = m.areas().articles.map(inner_height).unwrap_or(20);
    let plural = if n == 1 { "article" } else { "articles" };
    m.message = Some(if n > screenful {
        match m.keymap.keys_of(Action::Undo) {
            Some(key) => format!("Marked {n} {plural} read; {key} undoes it"),
            None => format!("Marked {n} {plural} read"),
        }
    } else {
        format!("Marked {n} {plural} read")
    });
    remember(m, Undo::Read { ids, read: true });
}

/// `u`: undoes the newest marking action of this session.
pub(super) fn undo(m: &mut Model) -> Vec<Cmd> {
    let Some(last) = m.undo.pop() else {
        m.message =
            Some("Nothing to undo (undo takes back marks: read, unread, star, mark-all)".into());
        return Vec::new();
    };
    m.message = Some(format!("Undone: {}", last.describe()));
    match last {
        Undo::Read { ids, read } => {
            let wanted: HashSet<ItemId> = ids.iter().flat_map(|id| shown_as(m, *id)).collect();
            let rows = m.articles.pages.values_mut().flatten();
            for r in rows.chain(m.articles.held.as_mut()) {
                if wanted.contains(&r.id) {
                    r.read = !read;
                }
            }
            if let Some(r) = m.reader.as_mut().filter(|r| wanted.contains(&r.item.id)) {
                r.item.read = !read;
            }
            // The store answers with fresh feed counts.
            vec![Cmd::SetRead { ids, read: !read }]
        }
        Undo::Star { id, starred } => {
            set_starred(m, id, !starred);
            vec![Cmd::SetStarred {
                id,
                starred: !starred,
            }]
        }
    }
}

fn remember(m: &mut Model, undo: Undo) {
    if m.undo.len() >= UNDO_LEVELS {
        m.undo.remove(0);
    }
    m.undo.push(undo);
}

/// A mark shown at once could not be written: it is taken back, its undo step goes, and
/// the lists are read again from the cache, which holds the truth.
pub(super) fn mark_failed(m: &mut Model, error: String, mark: Option<Undo>) -> Vec<Cmd> {
    m.message = Some(format!("{error}; the mark was not kept"));
    if let Some(done) = mark {
        if let Some(pos) = m.undo.iter().rposition(|u| *u == done) {
            m.undo.remove(pos);
        }
        match done {
            Undo::Read { ids, read } => {
                for id in ids {
                    set_read(m, id, !read);
                }
            }
            Undo::Star { id, starred } => set_starred(m, id, !starred),
        }
    }
    let mut cmds = vec![Cmd::LoadFeeds];
    m.articles.hold_selection();
    reload_articles(m, &mut cmds, false);
    cmds
}

fn set_starred(m: &mut Model, id: ItemId, starred: bool) {
    let ids = shown_as(m, id);
    let rows = m.articles.pages.values_mut().flatten();
    for r in rows
        .chain(m.articles.held.as_mut())
        .filter(|r| ids.contains(&r.id))
    {
        r.starred = starred;
    }
    if let Some(r) = m.reader.as_mut().filter(|r| ids.contains(&r.item.id)) {
        r.item.starred = starred;
    }
}

pub(super) fn toggle_star(m: &mut Model) -> Vec<Cmd> {
    let Some((id, _, starred)) = target(m) else {
        return Vec::new();
    };
    let starred = !starred;
    set_starred(m, id, starred);
    remember(m, Undo::Star { id, starred });
    vec![Cmd::SetStarred { id, starred }]
}

/// `r`/`R`: the user asked, so the feeds are fetched even if a server asked to wait.
pub(super) fn start_refresh(m: &mut Model, feeds: Option<Vec<crate::model::FeedId>>) -> Vec<Cmd> {
    if m.is_busy() {
        m.message = Some("A refresh is already running".into());
        return Vec::new();
    }
    if feeds.as_ref().is_some_and(|f| f.is_empty()) {
        return Vec::new();
    }
    // Only requested: the worker's RefreshStarted says it is running.
    m.refresh.requested = true;
    vec![Cmd::Refresh { feeds, force: true }]
}

pub(super) fn current_link(m: &Model) -> Option<String> {
    let reader_link = m.reader.as_ref().and_then(|r| r.item.link.clone());
    let row = m.articles.selected_row();
    let row_link = row.and_then(|r| r.link.clone());
    // On the row the reader stands for, the copy on screen (`c`) is the article.
    let on_row = m
        .reader
        .as_ref()
        .zip(row)
        .is_some_and(|(r, s)| r.row == s.id);
    match m.focus {
        Pane::Reader => reader_link.or(row_link),
        Pane::Articles if on_row => reader_link.or(row_link),
        _ => row_link.or(reader_link),
    }
}

pub(super) fn follow_link(m: &mut Model, n: usize) -> Vec<Cmd> {
    if m.reader.is_none() {
        m.message = Some("Open an article first".into());
        return Vec::new();
    }
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
