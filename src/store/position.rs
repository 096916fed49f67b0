//! Where an article stands in a list, by id: the TUI keeps its cursor on an article
//! through reloads, and `M` marks the rows shown above it, in whatever order the list
//! has (newest first, oldest, by title, or a search's relevance).

use super::{ItemQuery, Result, Store};
use crate::model::ItemId;

/// Rows read at a time while walking a list.
const CHUNK: usize = 20_000;

impl Store {
    /// Walks a list in its own order (the pages the TUI shows, concatenated) until `f`
    /// says stop; returns the index where it stopped.
    fn walk_list(
        &self,
        q: &ItemQuery,
        mut f: impl FnMut(&crate::model::ItemRow) -> bool,
    ) -> Result<Option<usize>> {
        let mut offset = 0;
        loop {
            let rows = self.items(q, offset, CHUNK)?;
            for (i, row) in rows.iter().enumerate() {
                if f(row) {
                    return Ok(Some(offset + i));
                }
            }
            if rows.len() < CHUNK {
                return Ok(None);
            }
            offset += rows.len();
        }
    }

    /// The row `id` is on in this list, or None when the list does not hold it.
    pub fn list_position(&self, q: &ItemQuery, id: ItemId) -> Result<Option<usize>> {
        self.walk_list(q, |r| r.id == id)
    }

    /// The unread articles listed above `id`, in the list's own order; None when the list
    /// does not hold `id` (nothing is then above it).
    pub fn unread_above(&self, q: &ItemQuery, id: ItemId) -> Result<Option<Vec<ItemId>>> {
        let mut above = Vec::new();
        let found = self.walk_list(q, |r| {
            if r.id == id {
                return true;
            }
            if !r.read {
                above.push(r.id);
            }
            false
        })?;
        Ok(found.map(|_| above))
    }
}
