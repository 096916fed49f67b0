//! Near-identical texts: an article as the sequence of its four-word shingles, a
//! sketch of them for an index lookup (one-permutation MinHash, banded in pairs), and
//! the exact comparison that decides.
//!
//! The comparison asks more than overlap: the shorter text must be mostly in the
//! longer, the shared part must be a good part of the longer, and the shared shingles
//! must run through the whole of the shorter text (each third of it), so that two
//! articles sharing only a long footer or an opening boilerplate never meet, and a
//! digest that quotes a story's first lines is not that story.

use std::collections::HashSet;

/// Words per shingle: four keep a rewording's damage local, yet are rare enough that
/// two unrelated texts share few.
const WORDS: usize = 4;
/// Words read of one article (a hostile feed's megabytes are not hashed).
const MAX_WORDS: usize = 4000;
/// Fewer distinct shingles than this (about thirty words) say too little to compare.
pub const MIN_SHINGLES: usize = 24;
/// Bins of the sketch, banded in pairs: twelve bands find a pair sharing half their
/// shingles 97 times in 100, and unrelated texts almost never.
const BINS: usize = 24;

/// An article's shingles in text order (hashes), boilerplate removed by the caller.
pub fn shingles(html: &str) -> Vec<u64> {
    let text = crate::search::text::index_text(html);
    let words: Vec<String> = crate::search::fold::words(&text)
        .map(|(_, w)| w)
        .take(MAX_WORDS)
        .collect();
    if words.len() < WORDS {
        return Vec::new();
    }
    words
        .windows(WORDS)
        .map(|w| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            for word in w {
                h.update(word.as_bytes());
                h.update(&[0]);
            }
            h.digest()
        })
        .collect()
}

/// The index keys of a text: one per band whose two bins are filled. Empty when the
/// text is too short to compare.
pub fn bands(shingles: &[u64]) -> Vec<i64> {
    let distinct: HashSet<u64> = shingles.iter().copied().collect();
    if distinct.len() < MIN_SHINGLES {
        return Vec::new();
    }
    let mut mins = [u64::MAX; BINS];
    for h in distinct {
        // The high bits choose the bin, the rest compete for its minimum.
        let bin = (((h >> 32) * BINS as u64) >> 32) as usize;
        let value = h & 0xffff_ffff;
        mins[bin] = mins[bin].min(value);
    }
    mins.chunks(2)
        .enumerate()
        .filter(|(_, pair)| pair.iter().all(|m| *m != u64::MAX))
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

/// The shingles several of `texts` share (a feed's footer, its opening lines): the
/// boilerplate to remove before comparing any of them with another feed's.
pub fn common(texts: &[&[u64]]) -> HashSet<u64> {
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for text in texts {
        let distinct: HashSet<u64> = text.iter().copied().collect();
        for h in distinct {
            *seen.entry(h).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(h, _)| h)
        .collect()
}

/// `text` without the shingles in `boilerplate`.
pub fn without(text: &[u64], boilerplate: &HashSet<u64>) -> Vec<u64> {
    if boilerplate.is_empty() {
        return text.to_vec();
    }
    text.iter()
        .copied()
        .filter(|h| !boilerplate.contains(h))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "<p>The central bank raised its main interest rate by a quarter of a point on Tuesday, the third increase this year, citing persistent inflation in services and a labour market that has barely cooled.</p>
<p>Markets had expected the move. The currency rose slightly against the dollar after the announcement, while government bond yields edged higher across the curve.</p>
<p>The governor told reporters that further increases could not be ruled out if wage growth stayed high through the winter, but said the board would look at each meeting's data.</p>
<p>Opposition politicians criticised the decision, saying households with variable mortgages would pay hundreds more each month at a time when energy bills remain high.</p>";

    #[test]
    fn a_copy_with_a_line_added_and_a_paragraph_cut_is_the_same_text() {
        let copy = STORY.replace(
            "<p>Markets had expected the move. The currency rose slightly against the dollar after the announcement, while government bond yields edged higher across the curve.</p>",
            "",
        ) + "<p>Reporting by our correspondent; editing by the desk.</p>";
        let (a, b) = (shingles(STORY), shingles(&copy));
        assert!(same_text(&a, &b));
        assert!(!bands(&a).is_empty());
        let shared = bands(&a).iter().filter(|k| bands(&b).contains(k)).count();
        assert!(shared > 0, "the index finds the copy");
    }

    #[test]
    fn a_shared_footer_or_opening_is_not_a_story() {
        let footer = "<p>You are receiving this newsletter because you subscribed on our website. To change how often we write, or to stop these messages altogether, visit your account settings page. Our postal address is printed below, and replies to this address reach a person who reads every one of them, usually within a working day or two.</p>";
        let one = format!("<p>A short note on the new release of the parser library and what changed in it.</p>{footer}");
        let two = format!("<p>Conference season starts next week, with talks on storage engines and networks.</p>{footer}");
        assert!(!same_text(&shingles(&one), &shingles(&two)));
        let opening = format!("{footer}<p>A short note on the new release of the parser library: it reads dates in more forms, no longer stops at a stray ampersand, and runs a little faster on large files, which users of the command line tool will notice first.</p>");
        let other = format!("{footer}<p>Conference season starts next week, with talks on storage engines, on networks that survive partitions, and on the long history of the terminal, followed by a panel on maintaining open source projects for a decade.</p>");
        assert!(!same_text(&shingles(&opening), &shingles(&other)));
    }

    #[test]
    fn a_digest_quoting_a_story_is_not_that_story() {
        let first = "<p>The central bank raised its main interest rate by a quarter of a point on Tuesday, the third increase this year, citing persistent inflation in services and a labour market that has barely cooled.</p>";
        let digest = format!(
            "{first}{}",
            "<p>In other news, the city council approved a new budget for road repairs, a museum reopened after two years of renovation, the football club signed a new coach from abroad, and scientists announced the discovery of a comet visible next spring from the southern hemisphere without a telescope.</p>".repeat(3)
        );
        assert!(!same_text(&shingles(first), &shingles(&digest)));
    }

    #[test]
    fn short_texts_are_never_compared() {
        let a = shingles("<p>Weekly roundup of security news</p>");
        assert!(!same_text(&a, &a));
        assert!(bands(&a).is_empty());
    }

    #[test]
    fn boilerplate_common_to_a_feed_goes() {
        let a = shingles("one two three four five six");
        let b = shingles("nine two three four five ten");
        let common = common(&[&a, &b]);
        assert_eq!(without(&a, &common).len(), 2);
    }
}
