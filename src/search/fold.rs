//! Words as the index sees them: split at anything that is not a letter or digit,
//! lower-cased, accents removed. The highlighter and the arrival filters use this so
//! that they agree with the index (SQLite's unicode61 tokenizer with diacritics removed).

use std::ops::Range;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Text folded for matching: lower case, accents removed ("Café" → "cafe").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
    }
    out
}

/// The words of a text with their byte ranges, folded.
pub fn words(text: &str) -> impl Iterator<Item = (Range<usize>, String)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while chars.peek().is_some_and(|(_, c)| !is_word_char(*c)) {
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut end = start;
        while let Some((i, c)) = chars.peek().copied() {
            if !is_word_char(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some((start..end, fold(&text[start..end])))
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The folded words of a text.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).map(|(_, w)| w).collect()
}

/// What to highlight: folded words, each whole or (the last word of a `*` term) as a prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlighter {
    whole: Vec<String>,
    prefixes: Vec<String>,
}

impl Highlighter {
    pub fn new(terms: &[super::Term]) -> Highlighter {
        let mut h = Highlighter::default();
        for t in terms {
            let mut toks = tokens(&t.text);
            if t.prefix {
                if let Some(last) = toks.pop() {
                    h.prefixes.push(last);
                }
            }
            h.whole.extend(toks);
        }
        h.whole.sort();
        h.whole.dedup();
        h
    }

    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.prefixes.is_empty()
    }

    /// Byte ranges of `text` to highlight, in order, not overlapping.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        if self.is_empty() {
            return Vec::new();
        }
        words(text)
            .filter(|(_, w)| {
                self.whole.binary_search(w).is_ok()
                    || self.prefixes.iter().any(|p| w.starts_with(p.as_str()))
            })
            .map(|(r, _)| r)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(
            fold("Café CRÈME Grüße ÅNGSTRÖM"),
            "cafe creme gruße angstrom"
        );
        assert_eq!(
            tokens("CVE-2026-1234: naïve  passkeys!"),
            ["cve", "2026", "1234", "naive", "passkeys"]
        );
        assert_eq!(tokens("日本語 と"), ["日本語", "と"]);
    }

    #[test]
    fn highlights_whole_words_and_prefixes() {
        let terms = [
            super::super::Term {
                field: super::super::Field::Any,
                text: "Cafe".into(),
                prefix: false,
            },
            super::super::Term {
                field: super::super::Field::Any,
                text: "pass".into(),
                prefix: true,
            },
        ];
        let h = Highlighter::new(&terms);
        let text = "A café for passkeys, not a cafeteria or a bypass";
        let got: Vec<&str> = h.ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["café", "passkeys"]);
    }
}
