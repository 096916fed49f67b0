//! The article list's pages as they arrive from the store, and the cursor placed on
//! them: on its held article, where the store found it, or next to where it left the list.

use super::articles::open_selected;
use super::lists::{clamp_add, ensure_pages, keep_visible};
use crate::tui::model::{Direction, Model, PAGE_SIZE};
use crate::tui::msg::Cmd;

/// Pages kept on each side of the selected one.
const KEEP_PAGES: usize = 3;

/// The store said where the held article went: its page is loaded and the cursor lands
/// on it; or it left the list, and the cursor stays held on it (keys act on it, the
/// reader keeps it) until the user moves.
pub(super) fn on_located(
    m: &mut Model,
    position: Option<usize>,
    place: Option<usize>,
    row: Option<crate::model::ItemRow>,
) -> Vec<Cmd> {
    let a = &mut m.articles;
    a.locating = false;
    let mut cmds = Vec::new();
    match position {
        Some(pos) => {
            // In the list again: no ghost stands for it.
            a.ghost_kept = false;
            a.total = a.total.max(pos + 1);
            a.selected = pos;
            if a.moved != 0 {
                a.selected = clamp_add(pos, a.moved, a.total);
                a.release();
            }
            keep_visible(m);
            ensure_pages(m, &mut cmds);
        }
        None => {
            // It left the list (read, and read ones hidden): the cursor stays held on
            // it, at the place it had among the rows left, so that `j` lands on the row
            // after it and `k` on the one before, however many rows above it left too.
            a.want = None;
            // Shown (and toggled) as the cache has it now, not as the list last had it:
            // read elsewhere, retitled by a refresh. Without the row (the cache could not
            // say), gone from a list of unread articles means read.
            match (row, a.held.as_mut()) {
                (Some(row), Some(held)) if row.id == held.id => *held = row,
                (_, Some(held)) if a.query.as_ref().is_some_and(|q| q.unread_only) => {
                    held.read = true;
                }
                _ => {}
            }
            if place.is_none() {
                // Nowhere to go on from (a search's relevance order): the moves made
                // while it was looked for are dropped, not kept for a later reload.
                a.moved = 0;
            }
            if let Some(place) = place {
                a.selected = place.min(a.total);
                // Moves made while it was looked for: down from the row after it, up
                // from the one before, as `j`/`k` on a detached cursor do.
                let moved = std::mem::take(&mut a.moved);
                if moved != 0 {
                    let moved = if moved > 0 { moved - 1 } else { moved };
                    a.selected = clamp_add(a.selected, moved, a.total);
                    a.release();
                }
                keep_visible(m);
                ensure_pages(m, &mut cmds);
            }
        }
    }
    cmds
}

/// Whether the store's answer disagrees with the pages the cursor moves over: the
/// article is not at its `position` there, or another row than `next` is at its
/// `place` (pages not loaded say nothing).
pub(super) fn shifted(
    m: &Model,
    id: crate::model::ItemId,
    position: Option<usize>,
    place: Option<usize>,
    next: Option<crate::model::ItemId>,
) -> bool {
    let a = &m.articles;
    match (position, place, next) {
        (Some(pos), _, _) => a.row(pos).is_some_and(|r| r.id != id),
        (None, Some(at), Some(next)) => a.row(at).is_some_and(|r| r.id != next),
        _ => false,
    }
}

pub(super) fn on_page_loaded(
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
        a.counting = false;
    } else if page_len < PAGE_SIZE && !a.counting {
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
            a.selected = clamp_add(pos, a.moved, a.total.max(pos + 1));
            a.release();
        } else if a.pending.is_empty() && !a.locating {
            // Not on the pages around where it was: the store walks the list for it.
            if let Some(query) = a.query.clone() {
                a.locating = true;
                cmds.push(Cmd::Locate {
                    req: a.req,
                    query,
                    id: want,
                });
            }
        }
    }
    // (An article gone from the list may stand after its last row.)
    a.selected = a.selected.min(a.shown_len().saturating_sub(1));
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
