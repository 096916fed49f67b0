//! Reading an article's words: its HTML in one pass, tags, scripts and entities as the
//! search index's text has them, each word hashed as its lower-cased bytes go by, and
//! the four-word shingles they make (what `text` sketches and compares).
//!
//! The hashes are stored (in the sketches of the month's articles): a change to how
//! words are read or hashed needs a migration that sketches the kept articles again.

/// Words per shingle: four keep a rewording's damage local, yet are rare enough that
/// two unrelated texts share few.
const WORDS: usize = 4;
/// Words read of one article (a hostile feed's megabytes are not hashed).
const MAX_WORDS: usize = 4000;

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
pub(super) struct Words {
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
    pub(super) out: Vec<u64>,
}

const SEED: u64 = 0xcbf2_9ce4_8422_2325;

fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(27) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl Words {
    pub(super) fn with_capacity(n: usize) -> Words {
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
    pub(super) fn char(&mut self, c: char) {
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
    pub(super) fn end(&mut self) {
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
