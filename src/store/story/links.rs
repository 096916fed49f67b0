//! The certain keys (canonical links, ids) of a batch of new articles: the stored
//! articles that have them, read in key order before the batch is grouped, and the
//! batch's own, filed as they are grouped and written in key order after.
//!
//! Why in key order: one probe per key at random places of the index missed the page
//! cache and read the file, a tenth of a cold refresh; in order, each page of the
//! index is read and written once per batch.

use super::{Arrival, Result};
use crate::story::Mode;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// Articles looked at per key, at most: a key more have is no key (see `by_key`).
const PER_KEY: i64 = 64;

pub(super) struct Links {
    /// For each key of the batch, the articles (id, feed) that have it.
    known: HashMap<i64, Vec<(i64, i64)>>,
    /// (key, article) rows to write.
    new: Vec<(i64, i64)>,
}

impl Links {
    /// The stored articles having any certain key of `arrivals`.
    pub fn around(tx: &Connection, arrivals: &[Arrival]) -> Result<Links> {
        let mut keys: Vec<i64> = arrivals
            .iter()
            .filter(|a| a.mode != Mode::Off)
            .flat_map(|a| a.keys.certain().into_iter().flatten())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut stmt = tx.prepare_cached(
            "SELECT k.item, i.feed_id FROM story_links k JOIN items i ON i.id = k.item
             WHERE k.key = ?1 LIMIT ?2",
        )?;
        let mut known = HashMap::new();
        for key in keys {
            let found: Vec<(i64, i64)> = stmt
                .query_map(params![key, PER_KEY], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            if !found.is_empty() {
                known.insert(key, found);
            }
        }
        Ok(Links {
            known,
            new: Vec::new(),
        })
    }

    /// The articles (id, feed) having `key`, so far.
    pub fn get(&self, key: i64) -> &[(i64, i64)] {
        self.known.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Files an article's key (later arrivals of the batch may be its copies).
    pub fn add(&mut self, key: i64, id: i64, feed: i64) {
        let have = self.known.entry(key).or_default();
        // Filed already (an id reused after its article went): once is one article.
        if !have.iter().any(|(i, _)| *i == id) {
            have.push((id, feed));
        }
        self.new.push((key, id));
    }

    /// Writes the keys filed, in key order.
    pub fn write(mut self, tx: &Connection) -> Result<()> {
        self.new.sort_unstable();
        let mut add = tx.prepare_cached("INSERT OR IGNORE INTO story_links VALUES (?1, ?2)")?;
        for (key, id) in self.new {
            add.execute([key, id])?;
        }
        Ok(())
    }
}
