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

/// Words per shingle: four keep a rewording's damage local, yet are rare enough that
/// two unrelated texts share few.
const WORDS: usize = 4;
/// Words read of one article (a hostile feed's megabytes are not hashed).
const MAX_WORDS: usize = 4000;
/// Fewer distinct shingles than this (about thirty words) say too little to compare.
pub const MIN_SHINGLES: usize = 24;
/// Bins of the sketch, banded in pairs: twelve bands find a pair sharing half their
/// shingles 97 times in 100, and unrelated texts almost never.
pub const BINS: usize = 24;

/// HTML read of one article, at most (a hostile feed's megabytes are not read).
const MAX_HTML: usize = 4 * 1024 * 1024;

/// An article's shingles in text order (hashes), boilerplate removed by the caller.
///
/// Read straight from the HTML in one pass, tags and scripts skipped and entities
/// decoded as the search index's text has them (`search::text::index_text`), without a
/// copy of the text: this runs for every new article of a refresh, and building the
/// text first was a third of its cost. ASCII words are read eight bytes at a time.
pub fn shingles(html: &str) -> Vec<u64> {
    let bytes = html.as_bytes();
    let end = bytes.len().min(MAX_HTML);
    let mut w = Words::with_capacity((end / 6).min(MAX_WORDS));
    let mut i = 0;
    while i < end && w.words < MAX_WORDS {
        match bytes[i] {
            b'<' => {
                w.end();
                i = crate::search::text::end_of_markup(bytes, i);
            }
            b'&' => i = w.entity(html, i),
            b if b >= 0x80 => {
                // `i` is at a character's start: only whole characters are stepped over.
                let c = html[i..].chars().next().unwrap_or(' ');
                w.char(c);
                i += c.len_utf8();
            }
            _ => {
                let x = load8(bytes, i);
                let run = (!word_bytes(x) & HIGH).trailing_zeros() / 8;
                if run == 0 {
                    w.end();
                    i += 1;
                } else {
                    // Letters lower-cased by their 0x20 bit (digits have it already).
                    let lower = x | 0x2020_2020_2020_2020;
                    let chunk = if run == 8 {
                        lower
                    } else {
                        lower & ((1u64 << (8 * run)) - 1)
                    };
                    w.push(chunk, run);
                    i += run as usize;
                }
            }
        }
    }
    w.end();
    w.out
}

const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// Eight bytes from `at`, zeros past the end.
fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        None => {
            let mut buf = [0u8; 8];
            let rest = &bytes[at..];
            buf[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(buf)
        }
    }
}

/// The high bit of each byte of `x` that is an ASCII letter or digit (eight bytes
/// classified at once, with no branch).
fn word_bytes(x: u64) -> u64 {
    // The high bit of (b | 0x80) - n is set when b >= n, for bytes below 0x80.
    let at_least = |v: u64, n: u64| (v | HIGH).wrapping_sub(n * ONES);
    let digit = at_least(x, 0x30) & !at_least(x, 0x3a);
    let folded = x | 0x2020_2020_2020_2020;
    let letter = at_least(folded, 0x61) & !at_least(folded, 0x7b);
    (digit | letter) & !x & HIGH
}

/// Words hashed as their lower-cased UTF-8 bytes go by, eight at a time, and the
/// shingles they end.
struct Words {
    /// The hash of the word's bytes so far, eight at a time.
    h: u64,
    /// The word's bytes not yet hashed (fewer than eight), from the low end.
    acc: u64,
    fill: u32,
    /// The word's length in bytes (zero: no word under way).
    len: u32,
    /// The last WORDS word hashes, oldest first once full: each word ends a shingle.
    last: [u64; WORDS],
    words: usize,
    out: Vec<u64>,
}

const SEED: u64 = 0xcbf2_9ce4_8422_2325;

fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(27) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl Words {
    fn with_capacity(n: usize) -> Words {
        Words {
            h: SEED,
            acc: 0,
            fill: 0,
            len: 0,
            last: [0; WORDS],
            words: 0,
            out: Vec::with_capacity(n),
        }
    }

    /// `n` bytes (1 to 8) of a word, in `chunk`'s low end, the rest of it zero. The
    /// hash is of the bytes however they come: by eights, by characters, from entities.
    fn push(&mut self, chunk: u64, n: u32) {
        self.len += n;
        self.acc |= chunk << (8 * self.fill);
        let filled = self.fill + n;
        if filled >= 8 {
            self.h = mix(self.h, self.acc);
            self.acc = if self.fill == 0 {
                0
            } else {
                chunk >> (8 * (8 - self.fill))
            };
            self.fill = filled - 8;
        } else {
            self.fill = filled;
        }
    }

    /// A character of the text: a letter or digit goes into the word, lower-cased;
    /// anything else ends it.
    fn char(&mut self, c: char) {
        if !c.is_alphanumeric() {
            return self.end();
        }
        for l in c.to_lowercase() {
            let mut buf = [0u8; 8];
            let n = l.encode_utf8(&mut buf).len() as u32;
            self.push(u64::from_le_bytes(buf), n);
        }
    }

    /// `html[at]` is `&`: an entity's characters (`&eacute;` is the letter it names),
    /// or a separator when it is none. Returns where reading goes on.
    fn entity(&mut self, html: &str, at: usize) -> usize {
        let bytes = html.as_bytes();
        let window = &bytes[at + 1..bytes.len().min(at + 33)];
        if let Some(semi) = memchr::memchr(b';', window) {
            let name = &window[..semi];
            if !name.is_empty() && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'#') {
                let whole = &html[at..at + semi + 2];
                let decoded = html_escape::decode_html_entities(whole);
                if decoded != whole {
                    decoded.chars().for_each(|c| self.char(c));
                    return at + whole.len();
                }
            }
        }
        self.end();
        at + 1
    }

    /// Ends the word under way, if any: its hash, and the shingle it completes.
    fn end(&mut self) {
        if self.len == 0 {
            return;
        }
        // The length in the top byte, which the bytes left (seven at most) never reach.
        let h = mix(self.h, self.acc ^ (u64::from(self.len & 0xff) << 56));
        self.last.copy_within(1.., 0);
        self.last[WORDS - 1] = h;
        self.words += 1;
        if self.words >= WORDS {
            self.out.push(shingle(&self.last));
        }
        self.h = SEED;
        self.acc = 0;
        self.fill = 0;
        self.len = 0;
    }
}

/// One hash of a run of word hashes, its bits well mixed (splitmix64's finish): the
/// sketch takes its bins from the high bits and its minima from the low ones.
fn shingle(words: &[u64]) -> u64 {
    let mut h = 0u64;
    for w in words {
        h = (h.rotate_left(23) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

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
