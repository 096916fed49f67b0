//! Moving through the lists and the reader, and paging article lists in from the cache.

use super::super::model::{inner_height, reader_text_width, FeedRow, Model, Pane, PAGE_SIZE};
use super::super::msg::Cmd;

/// Starts loading the list for the selected feed row from its first page.
pub(super) fn reload_articles(m: &mut Model, cmds: &mut Vec<Cmd>, reset_selection: bool) {
    let Some(row) = m.selected_feed_row().cloned() else {
        m.articles = Default::default();
        return;
    };
    let mut query = m.row_query(&row);
    match super::search::row_search(m, &row) {
        Ok(search) => {
            m.articles.search_error = None;
            query.search = search;
        }
        // A query being typed is often incomplete: the list stays as it was, unless
        // there is none yet (a saved search that names no feed lists nothing).
        Err(e) => {
            m.articles.search_error = Some(e);
            if m.articles.query.is_some() && !m.articles.filter.is_empty() {
                return;
            }
            query.search = Some(crate::search::Compiled {
                never: true,
                ..Default::default()
            });
        }
    }
    // A reload that keeps the selection keeps it on its article, by id, whoever asked:
    // the rows may move under the cursor (new ones above, read ones gone).
    if !reset_selection && m.articles.want.is_none() {
        m.articles.hold_selection();
    }
    let count = query.search.is_some() || m.row_total(&row).is_none();
    m.articles.sum = m.row_sum(&row).unwrap_or(0);
    m.articles.req = m.req();
    m.articles.query = Some(query.clone());
    // (Set either way: a count left over from the list before kept the window from
    // following a shorter list.)
    m.articles.counting = count;
    if count {
        // Until the store counts, the list is as long as the pages that came.
        m.articles.total = 0;
    }
    m.articles.pages.clear();
    m.articles.pending.clear();
    // A Locate in flight answers the old request: the new pages ask again if need be.
    m.articles.locating = false;
    if reset_selection {
        m.articles.release();
        m.articles.selected = 0;
        m.articles.offset = 0;
        // Another list: nothing of it is on screen until its first page comes. (A
        // reload keeps the bound it had until its own first page replaces it.)
        m.articles.upto = None;
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

/// Whether the loaded pages hold rows the list's query no longer takes (marked read in
/// a list of unread articles, unstarred in Starred): the cache's list has lost them, so
/// a page counted from it now starts that many rows further on than the rows on screen
/// say, and the rows between would be passed over unseen.
pub(super) fn pages_stale(m: &Model) -> bool {
    let Some(q) = &m.articles.query else {
        return false;
    };
    (q.unread_only || q.starred_only)
        && m.articles
            .pages
            .values()
            .flatten()
            .any(|r| (q.unread_only && r.read) || (q.starred_only && !r.starred))
}

/// Whether a window from `first` to `last` needs a page that is neither loaded nor on
/// its way.
fn missing_page(m: &Model, first: usize, last: usize) -> bool {
    (first / PAGE_SIZE..=last / PAGE_SIZE).any(|page| {
        let past_the_end = page * PAGE_SIZE >= m.articles.total.max(1) && page > 0;
        let there = m.articles.pages.contains_key(&page) || m.articles.pending.contains(&page);
        !past_the_end && !there
    })
}

/// Asks for the pages around the selection that are neither loaded nor on their way.
/// Over stale pages (see `pages_stale`) the list is read again instead, from the
/// cursor's article, when the cursor is on a loaded row; otherwise the page waits.
pub(super) fn ensure_pages(m: &mut Model, cmds: &mut Vec<Cmd>) {
    let Some(query) = m.articles.query.clone() else {
        return;
    };
    let height = m.areas().articles.map(inner_height).unwrap_or(20);
    let first = m.articles.offset.min(m.articles.selected);
    let last = (m.articles.offset + height).max(m.articles.selected);
    if missing_page(m, first, last) && pages_stale(m) {
        if m.articles.want.is_none() && m.articles.selected_row().is_some() {
            m.articles.hold_selection();
            reload_articles(m, cmds, false);
        }
        return;
    }
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

pub(super) fn reader_width(m: &Model) -> usize {
    m.areas()
        .reader
        .map(reader_text_width)
        .unwrap_or(60)
        .min(m.reader_max_width.max(10))
}

pub(super) fn rewrap_reader(m: &mut Model) -> Vec<Cmd> {
    let width = reader_width(m);
    match &m.reader {
        Some(r) if r.width != width || r.lines.is_empty() => lay_out_reader(m),
        _ => Vec::new(),
    }
}

/// Lays the open article out at the reader's width, rows kept for its pictures, and asks
/// for the pictures drawn at that width.
pub(super) fn lay_out_reader(m: &mut Model) -> Vec<Cmd> {
    let width = reader_width(m);
    let images_on = m.images_on;
    let Some(r) = &mut m.reader else {
        return Vec::new();
    };
    let lines = r.prepared.layout(width);
    let (lines, slots) = if images_on {
        crate::tui::images::reserve(lines, &r.prepared.doc.images, &|_| None)
    } else {
        (lines, Vec::new())
    };
    r.lines = lines;
    r.slots = slots;
    r.width = width;
    r.scroll = r.scroll.min(r.lines.len().saturating_sub(1));
    m.pictures.clear();
    m.picture_rows.clear();
    m.picture_req += 1;
    let images: Vec<(usize, String)> = r
        .slots
        .iter()
        .filter_map(|s| Some((s.image, r.prepared.doc.images.get(s.image)?.clone()?)))
        .collect();
    if images.is_empty() {
        return Vec::new();
    }
    vec![Cmd::LoadImages {
        req: m.picture_req,
        width,
        images,
        // A feed read from a file may show its own files; mail shows its inline parts
        // (the only file: pictures a message keeps, see Prepared::mail_images).
        allow_file: r.item.feed_url.starts_with("file:") || r.item.mailbox.is_some(),
        // Web pictures in mail come only with the mailbox's `remote_images`, the
        // user's own choice for their own mail: as trusted as a feed read from a file.
        origin: if r.item.mailbox.is_some() {
            "file:".into()
        } else {
            r.item.feed_url.clone()
        },
    }]
}

/// The pictures' sizes came: the rows kept under each become its own height (none for
/// one that could not be shown), the pictures loaded stay, and the text at the top of
/// the pane stays there.
pub(super) fn refit_pictures(m: &mut Model) {
    let known = m.picture_rows.clone();
    let Some(r) = &mut m.reader else {
        return;
    };
    let lines = r.prepared.layout(r.width);
    let (lines, slots) =
        crate::tui::images::reserve(lines, &r.prepared.doc.images, &|k| known.get(&k).copied());
    // Rows taken away above the top line move it up by as many.
    let gone: usize = r
        .slots
        .iter()
        .zip(&slots)
        .filter(|(old, _)| old.line + usize::from(old.rows) <= r.scroll)
        .map(|(old, new)| usize::from(old.rows.saturating_sub(new.rows)))
        .sum();
    r.scroll = r
        .scroll
        .saturating_sub(gone)
        .min(lines.len().saturating_sub(1));
    r.lines = lines;
    r.slots = slots;
}

/// Moves list offsets so that the selections stay on screen.
pub(super) fn keep_visible(m: &mut Model) {
    let areas = m.areas();
    let fh = areas.feeds.map(inner_height).unwrap_or(20);
    let feeds = m.feeds_pane.rows.len();
    m.feeds_pane.offset = follow(m.feeds_pane.offset, m.feeds_pane.selected, fh, feeds);
    let ah = areas.articles.map(inner_height).unwrap_or(20);
    let a = &mut m.articles;
    // While the list is counted, its length is what has come so far: no pulling back.
    let len = if a.counting {
        usize::MAX
    } else {
        a.shown_len()
    };
    a.offset = follow(a.offset, a.selected, ah, len);
}

/// The first row shown: the selected one kept in view, and no rows hidden above while
/// there is room below (a window grown back after a shrink showed the list from the
/// cursor's row on, with blank lines under it).
pub(super) fn follow(offset: usize, selected: usize, height: usize, len: usize) -> usize {
    let offset = offset.min(len.saturating_sub(height));
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

pub(super) fn page_step(m: &Model) -> isize {
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

/// The pane `step` away from the focused one: Tab and Shift-Tab go round, `h` and `l`
/// (`wrap` false) stop at the first and last pane.
pub(super) fn next_pane(m: &Model, step: isize, wrap: bool) -> Pane {
    let panes: Vec<Pane> = if m.reader.is_some() {
        vec![Pane::Feeds, Pane::Articles, Pane::Reader]
    } else {
        vec![Pane::Feeds, Pane::Articles]
    };
    let n = panes.len() as isize;
    let i = panes.iter().position(|p| *p == m.focus).unwrap_or(0) as isize;
    let j = if wrap {
        (i + step).rem_euclid(n)
    } else {
        (i + step).clamp(0, n - 1)
    };
    panes[j as usize]
}

pub(super) fn clamp_add(value: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let v = value as isize + delta.clamp(-(len as isize), len as isize);
    v.clamp(0, len as isize - 1) as usize
}

/// `J`/`K` (newsboat's next-feed and prev-feed): the feed list's selection moves a row
/// and its articles are listed, whatever pane has the focus; from the reader, the list
/// takes it.
pub(super) fn step_feed(m: &mut Model, delta: isize) -> Vec<Cmd> {
    let focus = m.focus;
    m.focus = Pane::Feeds;
    let cmds = move_by(m, delta);
    m.focus = match focus {
        Pane::Reader => Pane::Articles,
        other => other,
    };
    // The list the step shows is the one the keys now act on: a full-screen reader
    // over it hid it, and `m` then marked its cursor's article, not the one on screen.
    m.fullscreen = false;
    keep_visible(m);
    cmds
}

pub(super) fn move_by(m: &mut Model, delta: isize) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    match m.focus {
        Pane::Feeds => {
            let n = m.visible_feed_rows().len();
            let new = clamp_add(m.feeds_pane.selected, delta, n);
            if new != m.feeds_pane.selected {
                let leaving_search = m.selected_feed_row() == Some(&FeedRow::Search);
                m.feeds_pane.selected = new;
                if leaving_search {
                    super::search::remove_search_row(m);
                }
                m.articles.filter.clear();
                reload_articles(m, &mut cmds, true);
            }
        }
        Pane::Articles if m.articles.want.is_some() => {
            // A reload is placing the held row: the move waits for where it lands (the
            // rows under the old row number are others now).
            // A jump to the top or bottom (a huge step) replaces what came before it.
            m.articles.moved = if delta.unsigned_abs() >= (isize::MAX / 4) as usize {
                delta
            } else {
                m.articles.moved.saturating_add(delta)
            };
            return cmds;
        }
        Pane::Articles
            if pages_stale(m) && {
                let to = clamp_add(m.articles.selected, delta, m.articles.total);
                let height = m.areas().articles.map(inner_height).unwrap_or(20);
                missing_page(m, to.saturating_sub(height), to + height)
            } =>
        {
            // Into rows not loaded, past rows read since the pages came: the list is
            // read again first, from the cursor's article, and the move goes on from
            // where it lands (the rows under the row numbers are others now).
            m.articles.hold_selection();
            if m.articles.want.is_some() {
                m.articles.moved = delta;
                reload_articles(m, &mut cmds, false);
                return cmds;
            }
            m.articles.release();
            m.articles.selected = clamp_add(m.articles.selected, delta, m.articles.total);
        }
        Pane::Articles => {
            // A cursor held on an article that left the list lets go: down lands on the
            // row that took its place, up on the one before.
            let delta = if m.articles.detached() && delta > 0 {
                delta - 1
            } else {
                delta
            };
            m.articles.release();
            m.articles.selected = clamp_add(m.articles.selected, delta, m.articles.total);
        }
        Pane::Reader => scroll_reader(m, delta),
    }
    keep_visible(m);
    ensure_pages(m, &mut cmds);
    cmds
}

pub(super) fn reader_height(m: &Model) -> usize {
    m.areas().reader.map(inner_height).unwrap_or(10)
}

pub(super) fn scroll_reader(m: &mut Model, delta: isize) {
    let height = reader_height(m);
    if let Some(r) = &mut m.reader {
        let max = r.lines.len().saturating_sub(height);
        r.scroll =
            (r.scroll as isize + delta.clamp(-(1 << 30), 1 << 30)).clamp(0, max as isize) as usize;
    }
}
