//! Near-identical texts: an article as the sequence of its four-word shingles, a
//! sketch of them for an index lookup (one-permutation MinHash, banded in pairs), and
//! the exact comparison that decides.
//!
//! The comparison asks more than overlap: the shorter text must be mostly in the
//! longer, the shared part must be a good part of the longer, and the shared shingles
//! must run through the whole of the shorter text (each third of it), so that two
//! articles sharing only a long footer or an opening boilerplate never meet, and a
//! digest that quotes a story's first lines is not that story.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub use super::words::shingles;
#[cfg(test)]
use super::words::Words;

/// Fewer distinct shingles than this (about thirty words) say too little to compare.
pub const MIN_SHINGLES: usize = 24;
/// Bins of the sketch, banded in pairs: twelve bands find a pair sharing half their
/// shingles 97 times in 100, and unrelated texts almost never.
pub const BINS: usize = 24;

/// The sketch of a text: the least hash in each of the bins (one-permutation MinHash);
/// empty when the text is too short to compare (fewer than half the bins filled, about
/// MIN_SHINGLES distinct shingles). Two texts agree on a bin about as often as they
/// share shingles (their Jaccard resemblance).
pub fn sketch(shingles: &[u64]) -> Vec<u32> {
    let mut mins = vec![u32::MAX; BINS];
    for h in shingles {
        // The high bits choose the bin, the low ones compete for its minimum.
        let bin = (((h >> 32) * BINS as u64) >> 32) as usize;
        mins[bin] = mins[bin].min(*h as u32);
    }
    if mins.iter().filter(|m| **m != u32::MAX).count() < BINS / 2 {
        return Vec::new();
    }
    mins
}

/// The index keys of a sketch: one per band (two bins) whose bins are filled.
pub fn bands(sketch: &[u32]) -> Vec<i64> {
    sketch
        .chunks(2)
        .enumerate()
        .filter(|(_, pair)| pair.len() == 2 && pair.iter().all(|m| *m != u32::MAX))
        .map(|(band, pair)| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(b"band");
            h.update(&(band as u64).to_le_bytes());
            h.update(&pair[0].to_le_bytes());
            h.update(&pair[1].to_le_bytes());
            h.digest() as i64
        })
        .collect()
}

/// The share of bins two sketches agree on: an estimate of their resemblance, cheap
/// enough to try on every candidate before the texts are read.
pub fn resemblance(a: &[u32], b: &[u32]) -> f64 {
    let (mut filled, mut same) = (0, 0);
    for (x, y) in a.iter().zip(b) {
        if *x != u32::MAX || *y != u32::MAX {
            filled += 1;
            same += usize::from(x == y);
        }
    }
    if filled == 0 {
        0.0
    } else {
        same as f64 / filled as f64
    }
}

/// The sketch as stored (little-endian words).
pub fn sketch_bytes(sketch: &[u32]) -> Vec<u8> {
    sketch.iter().flat_map(|m| m.to_le_bytes()).collect()
}

pub fn sketch_from_bytes(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Whether two shingle sequences are one text, edited a little (a line added, a
/// paragraph cut, a headline changed).
pub fn same_text(a: &[u64], b: &[u64]) -> bool {
    let set_a: HashSet<u64> = a.iter().copied().collect();
    let set_b: HashSet<u64> = b.iter().copied().collect();
    let (short_seq, short, long) = if set_a.len() <= set_b.len() {
        (a, &set_a, &set_b)
    } else {
        (b, &set_b, &set_a)
    };
    if short.len() < MIN_SHINGLES {
        return false;
    }
    let shared = short.intersection(long).count() as f64;
    // Most of the shorter is in the longer, and it is a good part of the longer.
    if shared / (short.len() as f64) < 0.7 || shared / (long.len() as f64) < 0.4 {
        return false;
    }
    // The shared shingles run through the whole shorter text.
    let third = short_seq.len().div_ceil(3);
    short_seq.chunks(third).all(|part| {
        let hit = part.iter().filter(|h| long.contains(h)).count();
        hit as f64 >= part.len() as f64 * 0.5
    })
}

/// Shingles at each end of a text where boilerplate is looked for.
const EDGE: usize = 64;

/// The shingles several of `texts` share near their ends (a feed's footer, its opening
/// lines): the boilerplate to leave out of the sketches before comparing any of them
/// with another feed's. Only the ends are looked at: that is where feeds put what every
/// item repeats, and hashing every shingle of every text again cost as much as
/// shingling them. (The texts' own comparison, `same_text` after `Boilerplate` of the
/// stored neighbours, looks at the whole.)
pub struct Boilerplate(HashMap<u64, Seen, BuildHasherDefault<Mixed>>);

/// Where a shingle was last seen, and whether two texts have it.
#[derive(Clone, Copy)]
struct Seen {
    text: u32,
    shared: bool,
}

impl Boilerplate {
    /// Counted in one hash map (this runs for every feed of a refresh: sorting every
    /// text's shingles cost more than hashing them once).
    pub fn of(texts: &[&[u64]]) -> Boilerplate {
        let total = texts.iter().map(|t| t.len().min(2 * EDGE)).sum();
        let mut seen: HashMap<u64, Seen, _> =
            HashMap::with_capacity_and_hasher(total, BuildHasherDefault::<Mixed>::default());
        for (i, text) in texts.iter().enumerate() {
            let i = i as u32;
            for h in ends(text) {
                seen.entry(*h)
                    .and_modify(|s| {
                        s.shared |= s.text != i;
                        s.text = i;
                    })
                    .or_insert(Seen {
                        text: i,
                        shared: false,
                    });
            }
        }
        Boilerplate(seen)
    }

    pub fn contains(&self, h: u64) -> bool {
        self.0.get(&h).is_some_and(|s| s.shared)
    }

    /// `text` without the boilerplate.
    pub fn remove(&self, text: &[u64]) -> Vec<u64> {
        let n = text.len();
        text.iter()
            .enumerate()
            .filter(|(at, h)| (*at >= EDGE && *at + EDGE < n) || !self.contains(**h))
            .map(|(_, h)| *h)
            .collect()
    }
}

/// The sketches of the first `own` of one feed's `texts`, each less the boilerplate it
/// shares with the others (all of them: the feed's other articles tell what it repeats).
pub fn sketches(texts: &[Vec<u64>], own: usize) -> Vec<Vec<u32>> {
    let views: Vec<&[u64]> = texts.iter().map(Vec::as_slice).collect();
    let boilerplate = Boilerplate::of(&views);
    texts[..own.min(texts.len())]
        .iter()
        .map(|t| sketch(&boilerplate.remove(t)))
        .collect()
}

/// The shingles within EDGE of either end of `text`.
fn ends(text: &[u64]) -> impl Iterator<Item = &u64> {
    let head = text.len().min(EDGE);
    let tail = text.len().saturating_sub(EDGE).max(head);
    text[..head].iter().chain(&text[tail..])
}

/// The hasher of shingle hashes and band keys, which are mixed already (see `shingle`,
/// `bands`): hashing them again would be wasted work.
#[derive(Default)]
pub struct Mixed(u64);

impl Hasher for Mixed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u64(&mut self, h: u64) {
        self.0 = h;
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
