//! The article list's state: a window onto a query, paged lazily from the cache, and
//! the cursor held on its article by id while the rows move under it.

use super::{Direction, PAGE_SIZE};
use crate::model::{ItemId, ItemRow};
use crate::store::ItemQuery;
use crate::tui::msg::ReqId;
use std::collections::{BTreeMap, HashSet};

/// The article list: a window onto a query, paged lazily from the cache.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticlesPane {
    pub query: Option<ItemQuery>,
    pub req: ReqId,
    pub total: usize,
    pub pages: BTreeMap<usize, Vec<ItemRow>>,
    pub pending: HashSet<usize>,
    pub selected: usize,
    pub offset: usize,
    /// The search typed with `/` (the query language), and why it does not parse.
    pub filter: String,
    pub search_error: Option<String>,
    /// The list's length is being counted; `total` is what the pages so far show.
    pub counting: bool,
    /// The feed counts' sum for the list when it was loaded: a larger one means new
    /// articles (the list itself may be shorter: one row per story).
    pub sum: usize,
    /// Open the first (or last) unread row once the first page arrives (n/N across feeds).
    pub open_unread: Option<Direction>,
    /// Select this item once its page arrives (restored selection, reload after refresh).
    /// While it is looked for, `held` is the row the cursor is on.
    pub want: Option<ItemId>,
    /// The cursor's row, by id, while a reload moves the rows under it, or after its
    /// article left the list (a read row hidden): keys act on this one, never on whatever
    /// row took its place. Moving the cursor lets it go.
    pub held: Option<ItemRow>,
    /// The store was asked where `want` is (it was on none of the pages loaded).
    pub locating: bool,
    /// `j`/`k` pressed while a reload was placing the held row: applied from where it
    /// lands, not from the row number it had (new rows above moved it).
    pub moved: isize,
    /// The newest article the cache held when the list's first page was read: a mark of
    /// the whole list goes no further (None: no page of this list has come yet).
    pub upto: Option<ItemId>,
    /// The held article had left the list when a reload began: it stays shown (the
    /// ghost) while the reload looks for it, instead of vanishing for the round trip.
    pub ghost_kept: bool,
}

impl ArticlesPane {
    pub fn row(&self, index: usize) -> Option<&ItemRow> {
        self.pages.get(&(index / PAGE_SIZE))?.get(index % PAGE_SIZE)
    }
    pub fn row_mut(&mut self, index: usize) -> Option<&mut ItemRow> {
        self.pages
            .get_mut(&(index / PAGE_SIZE))?
            .get_mut(index % PAGE_SIZE)
    }
    /// The row the cursor is on: the held one while the list reloads under it or after it
    /// left the list, else the row at `selected`.
    pub fn selected_row(&self) -> Option<&ItemRow> {
        self.held.as_ref().or_else(|| self.row(self.selected))
    }
    /// The cursor's article is no longer in the list (read elsewhere, and read ones
    /// hidden): it is still shown, at the cursor, until the cursor moves.
    pub fn detached(&self) -> bool {
        self.held.is_some() && self.want.is_none()
    }
    /// The article gone from the list that is still shown at the cursor, if any.
    pub fn ghost(&self) -> Option<&ItemRow> {
        self.held
            .as_ref()
            .filter(|_| self.want.is_none() || self.ghost_kept)
    }
    /// How many rows the list shows: the query's, and the ghost's.
    pub fn shown_len(&self) -> usize {
        self.total + usize::from(self.ghost().is_some())
    }
    /// The row shown at `index`: the ghost at the cursor, the query's rows around it.
    pub fn shown_row(&self, index: usize) -> Option<&ItemRow> {
        match self.ghost() {
            Some(ghost) if index == self.selected => Some(ghost),
            Some(_) if index > self.selected => self.row(index - 1),
            _ => self.row(index),
        }
    }
    /// Shows every loaded row up to `upto` read, as a mark of the whole list writes it
    /// (`A`, `C`): rows newer than the bound stay as they are.
    pub fn show_read_upto(&mut self, upto: ItemId) {
        for r in self.pages.values_mut().flatten().filter(|r| r.id <= upto) {
            r.read = true;
        }
    }
    /// Keeps the cursor on its article through a reload: the row is held by id until the
    /// new pages say where it went.
    pub fn hold_selection(&mut self) {
        self.ghost_kept = self.ghost().is_some();
        if let Some(row) = self.selected_row().cloned() {
            self.want = Some(row.id);
            self.held = Some(row);
        }
        self.locating = false;
    }
    /// The user moved the cursor: what it was held on is let go.
    pub fn release(&mut self) {
        self.held = None;
        self.want = None;
        self.locating = false;
        self.moved = 0;
        self.ghost_kept = false;
    }
    pub fn position_of(&self, id: ItemId) -> Option<usize> {
        self.pages.iter().find_map(|(page, rows)| {
            rows.iter()
                .position(|r| r.id == id)
                .map(|i| page * PAGE_SIZE + i)
        })
    }
}
