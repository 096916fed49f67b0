//! The text sketches a batch of new articles is compared with: the stored ones that
//! share a band with any of the batch's, read from the band index in key order before
//! the batch is grouped, and the batch's own, filed in memory as they are grouped and
//! their bands written in key order after.
//!
//! Why in key order: twelve band rows per article, looked up and written one article
//! at a time at random places of the index, missed the page cache and cost four times
//! the rest of a cold refresh; in key order each page is read and written once per
//! batch. And why an index at all rather than every recent sketch read into memory: a
//! refresh that brings one article then reads a handful of rows, not a week of them.

use super::{bands, Arrival, BandFilter, Result, TEXT_WINDOW};
use crate::story::{text, Mode};
use rusqlite::{params, Connection};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

/// Articles looked at per band of a new article, at most.
const PER_BAND: usize = 32;
/// Candidates whose sketches are compared, at most, per new article.
const MAX_CANDIDATES: usize = 32;
const END: u32 = u32::MAX;

/// One article whose sketch is filed.
#[derive(Clone, Copy)]
pub(super) struct Sketched {
    pub id: i64,
    pub feed: i64,
    pub time: i64,
}

/// Sketches (their bins one after another, `text::BINS` each), and for each band key
/// the sketches that have it: a chain through `slots`, in the order filed.
pub(super) struct Sketches {
    all: Vec<Sketched>,
    bins: Vec<u32>,
    heads: HashMap<u64, u32, BuildHasherDefault<text::Mixed>>,
    /// (sketch, the previous slot of the same band key).
    slots: Vec<(u32, u32)>,
    /// Rows of the band index to write (see `bands::row`).
    new: Vec<i64>,
}

impl Sketches {
    /// The stored sketches sharing a band with any arrival compared by text (their
    /// articles' feed and time as they are now; an article gone since has none).
    pub fn around(tx: &Connection, arrivals: &[Arrival], filter: &BandFilter) -> Result<Sketches> {
        let mut out = Sketches {
            all: Vec::new(),
            bins: Vec::new(),
            heads: HashMap::default(),
            slots: Vec::new(),
            new: Vec::new(),
        };
        let mut keys: Vec<i64> = arrivals
            .iter()
            .filter(|a| a.mode == Mode::On)
            .flat_map(|a| a.keys.bands.iter().copied())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut stmt = tx.prepare_cached(
            "SELECT i.id, i.feed_id, i.sort_time, s.sketch FROM story_band_keys b
             JOIN items i ON i.id = b.k & 4294967295 JOIN story_sketches s ON s.item = i.id
             WHERE b.k BETWEEN ?1 AND ?2 LIMIT ?3",
        )?;
        let mut loaded = HashSet::new();
        for key in keys {
            let (first, last) = bands::range(key);
            if !filter.may_have(first) {
                continue;
            }
            let mut rows = stmt.query(params![first, last, PER_BAND as i64])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if !loaded.insert(id) {
                    continue;
                }
                let bytes: Vec<u8> = r.get(3)?;
                let sketch = text::sketch_from_bytes(&bytes);
                out.file(id, r.get(1)?, r.get(2)?, &sketch, &text::bands(&sketch));
            }
        }
        Ok(out)
    }

    /// Files an arrival's sketch once it is grouped: later arrivals of the batch may
    /// be its copies, and its bands are written with the batch's.
    pub fn add(&mut self, a: &Arrival) {
        self.file(a.id, a.feed.0, a.time, &a.keys.sketch, &a.keys.bands);
        self.new.extend(
            a.keys
                .bands
                .iter()
                .filter_map(|band| bands::row(*band, a.id)),
        );
    }

    fn file(&mut self, id: i64, feed: i64, time: i64, sketch: &[u32], bands: &[i64]) {
        if sketch.len() != text::BINS {
            return;
        }
        let at = self.all.len() as u32;
        self.all.push(Sketched { id, feed, time });
        self.bins.extend_from_slice(sketch);
        for band in bands {
            let slot = self.slots.len() as u32;
            let previous = self.heads.insert(*band as u64, slot).unwrap_or(END);
            self.slots.push((at, previous));
        }
    }

    /// Articles of other feeds whose sketches share a band with `a`'s, published within
    /// the window, with their sketches.
    pub fn near(&self, a: &Arrival) -> Vec<(Sketched, &[u32])> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for band in &a.keys.bands {
            let mut slot = self.heads.get(&(*band as u64)).copied().unwrap_or(END);
            // A band many of the batch's own articles share is walked only so far.
            let mut looked = 0;
            while slot != END && looked < 2 * PER_BAND {
                looked += 1;
                let (at, previous) = self.slots[slot as usize];
                let s = self.all[at as usize];
                if s.id != a.id
                    && s.feed != a.feed.0
                    && (s.time - a.time).abs() <= TEXT_WINDOW
                    && seen.insert(s.id)
                {
                    let at = at as usize * text::BINS;
                    out.push((s, &self.bins[at..at + text::BINS]));
                    if out.len() == MAX_CANDIDATES {
                        return out;
                    }
                }
                slot = previous;
            }
        }
        out
    }

    /// Writes the bands filed, in key order.
    pub fn write(mut self, tx: &Connection, filter: &mut BandFilter) -> Result<()> {
        for row in &self.new {
            filter.add(*row);
        }
        bands::write(tx, &mut self.new)
    }
}
