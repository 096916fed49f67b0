//! The text sketches a batch of new articles is compared with, banded in memory: the
//! stored ones published within the window of the batch's times, read in one scan,
//! and the batch's own as they are filed.
//!
//! Why not an index in the cache: twelve band rows per article, written and looked up
//! at random places of a B-tree, cost four times the rest of a cold refresh; one
//! sketch row per article, appended, and a hash map cost next to nothing. The scan is
//! bounded: sketches are kept a month after arrival (see `maintain`).

use super::{Arrival, Result, TEXT_WINDOW};
use crate::story::{text, Mode};
use rusqlite::{params, Connection};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

/// Candidates looked at per band of a new article, at most (the newest first).
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
/// the sketches that have it: a chain through `slots`, newest first. Band keys are cut
/// to 32 bits, which keeps a month of a busy cache in a few megabytes; a collision
/// only adds a candidate that the sketches' resemblance turns down.
pub(super) struct Sketches {
    all: Vec<Sketched>,
    bins: Vec<u32>,
    heads: HashMap<u32, u32, BuildHasherDefault<text::Mixed>>,
    /// (sketch, the previous slot of the same band key).
    slots: Vec<(u32, u32)>,
}

impl Sketches {
    /// The stored sketches within the text window of any of `arrivals` that are
    /// compared by text; none when no arrival is.
    pub fn around(tx: &Connection, arrivals: &[Arrival]) -> Result<Sketches> {
        let mut out = Sketches {
            all: Vec::new(),
            bins: Vec::new(),
            heads: HashMap::default(),
            slots: Vec::new(),
        };
        let mut stmt = tx.prepare_cached(
            "SELECT item, feed, time, sketch FROM story_sketches WHERE time BETWEEN ?1 AND ?2",
        )?;
        for (lo, hi) in windows(arrivals) {
            let mut rows = stmt.query(params![lo, hi])?;
            while let Some(r) = rows.next()? {
                let bytes: Vec<u8> = r.get(3)?;
                let sketch = text::sketch_from_bytes(&bytes);
                let bands = text::bands(&sketch);
                out.add(r.get(0)?, r.get(1)?, r.get(2)?, &sketch, &bands);
            }
        }
        Ok(out)
    }

    /// Files one more sketch (an arrival's, once it is grouped: later arrivals of the
    /// batch may be its copies).
    pub fn add(&mut self, id: i64, feed: i64, time: i64, sketch: &[u32], bands: &[i64]) {
        if sketch.len() != text::BINS {
            return;
        }
        let at = self.all.len() as u32;
        self.all.push(Sketched { id, feed, time });
        self.bins.extend_from_slice(sketch);
        for band in bands {
            let slot = self.slots.len() as u32;
            let previous = self.heads.insert(*band as u32, slot).unwrap_or(END);
            self.slots.push((at, previous));
        }
    }

    /// Articles of other feeds whose sketches share a band with `a`'s, published within
    /// the window, with their sketches.
    pub fn near(&self, a: &Arrival) -> Vec<(Sketched, &[u32])> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for band in &a.keys.bands {
            let mut slot = self.heads.get(&(*band as u32)).copied().unwrap_or(END);
            let mut looked = 0;
            while slot != END && looked < PER_BAND {
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
                looked += 1;
                slot = previous;
            }
        }
        out
    }
}

/// The times within the window of an arrival compared by text, as disjoint ranges in
/// order (a refresh that brings one old article with the new ones reads two short
/// ranges, not the years between them).
fn windows(arrivals: &[Arrival]) -> Vec<(i64, i64)> {
    let mut times: Vec<i64> = arrivals
        .iter()
        .filter(|a| a.mode == Mode::On && !a.keys.bands.is_empty())
        .map(|a| a.time)
        .collect();
    times.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for t in times {
        let (lo, hi) = (t.saturating_sub(TEXT_WINDOW), t.saturating_add(TEXT_WINDOW));
        match out.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FeedId;
    use crate::story::Keys;

    fn at(time: i64, mode: Mode) -> Arrival {
        Arrival {
            feed: FeedId(1),
            id: time,
            time,
            mode,
            keys: Keys {
                bands: vec![1],
                ..Keys::default()
            },
        }
    }

    #[test]
    fn windows_join_where_they_meet_and_skip_the_years_between() {
        let w = TEXT_WINDOW;
        let arrivals = [
            at(100 * w, Mode::On),
            at(10 * w, Mode::On),
            at(101 * w, Mode::On),
            at(50 * w, Mode::Links),
        ];
        assert_eq!(
            windows(&arrivals),
            vec![(9 * w, 11 * w), (99 * w, 102 * w)],
            "a links-only arrival reads no sketch"
        );
        assert!(windows(&[]).is_empty());
    }
}
