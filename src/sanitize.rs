//! Makes untrusted text from feeds safe to put on a terminal or on stdout.
//!
//! Feeds are written by strangers. A title carrying `ESC ] 52 ; ...` could write to the
//! clipboard, an OSC 8 could disguise a link, a bidi override could reorder what the user
//! reads. Everything a feed gives us passes through here before it is stored or shown.

/// Removes C0/C1 control characters, whole ESC sequences (CSI, OSC, DCS, ...) and bidi
/// override/isolate characters. Newlines and tabs are kept; use [`clean_line`] for
/// single-line fields.
pub fn clean_text(input: &str) -> String {
    // Almost all text is clean: a byte scan finds that without decoding characters.
    if !needs_cleaning(input.as_bytes()) {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 introducers that start a string or control sequence on 8-bit terminals.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\t' => out.push(c),
            // Vertical tab and form feed part words as white space does.
            '\u{b}' | '\u{c}' => out.push(' '),
            // A line's end, as XML reads it: CR LF is one, a lone CR is one too (it
            // was dropped, and joined the words on either side).
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Bytes that may start something to remove: C0 controls but `\n` and `\t`, DEL, and the
/// lead bytes of the multi-byte characters [`is_forbidden`] rejects (C1 controls C2 80-9F,
/// the soft hyphen C2 AD, D8 9C, and the marks and bidi controls E2 80 8E/8F/AA-AE and
/// E2 81 A6-A9).
/// Branch-free, so that the compiler checks many bytes at once with vector instructions.
#[inline(always)]
fn suspect(c: u8) -> bool {
    (c < 0x20) & (c != b'\n') & (c != b'\t') | (c == 0x7f) | (c == 0xc2) | (c == 0xd8) | (c == 0xe2)
}

/// True when `b` holds a character [`is_forbidden`] rejects (other than `\n` and `\t`), or
/// an escape. Whole blocks are checked for suspects at once; the rare block with one
/// gets a closer look (a dash or a euro sign is a suspect, not a reason to clean).
fn needs_cleaning(b: &[u8]) -> bool {
    const BLOCK: usize = 64;
    let mut start = 0;
    for block in b.chunks(BLOCK) {
        if block.iter().fold(false, |any, &c| any | suspect(c))
            && has_forbidden(b, start, start + block.len())
        {
            return true;
        }
        start += block.len();
    }
    false
}

/// Whether a forbidden sequence starts in `b[from..to]` (it may end after `to`).
fn has_forbidden(b: &[u8], from: usize, to: usize) -> bool {
    (from..to)
        .filter(|&at| suspect(b[at]))
        .any(|at| match b[at] {
            0xc2 => matches!(b.get(at + 1), Some(0x80..=0x9f | 0xad)),
            0xd8 => b.get(at + 1) == Some(&0x9c),
            0xe2 => matches!(
                (b.get(at + 1), b.get(at + 2)),
                (Some(0x80), Some(0x8e | 0x8f | 0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
            ),
            _ => true,
        })
}

/// [`clean_text`] for an owned string: returned as it is when there is nothing to remove.
pub fn clean_owned(input: String) -> String {
    if needs_cleaning(input.as_bytes()) {
        clean_text(&input)
    } else {
        input
    }
}

/// Like [`clean_text`], then folds all whitespace runs (newlines included) to one space and
/// trims, and drops the invisible characters (see [`is_invisible`]): for titles, authors,
/// feed names and URLs.
pub fn clean_line(input: &str) -> String {
    without_invisibles(clean_id(input))
}

/// [`clean_text`] and the invisible characters dropped: for text that is shown.
pub fn clean_display(input: &str) -> String {
    without_invisibles(clean_text(input))
}

/// `text` without [`is_invisible`] characters; as it is (no decoding) when it has no
/// byte they start with (E2, EF), as nearly all text.
fn without_invisibles(text: String) -> String {
    let maybe = memchr::memchr2(0xE2, 0xEF, text.as_bytes()).is_some();
    if maybe && text.contains(is_invisible) {
        text.chars().filter(|c| !is_invisible(*c)).collect()
    } else {
        text
    }
}

/// Invisible characters with no part in any script's shaping (the zero-width space,
/// word joiner, invisible operators, a byte-order mark inside text): terminals give some
/// of them a column the layout does not count, and they hide words from the eye. They
/// are dropped from what is shown, not from what is stored: an article's id is made of
/// its text as it always was. The joiners (U+200C, U+200D) stay: emoji sequences and
/// Persian and Indic text need them.
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200b | 0x2060..=0x2064 | 0xfeff)
}

/// [`clean_line`] keeping the invisible characters: for ids, which stay as they were
/// made before those were dropped from lines.
pub fn clean_id(input: &str) -> String {
    let cleaned = clean_text(input);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True for characters that must never reach a terminal.
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n' && c != '\t')
        || (0x7f..=0x9f).contains(&u)
        // The soft hyphen: a browser shows it only where it breaks a word, a terminal
        // as a hyphen (one column that the layout, counting it as none, did not give).
        || u == 0xad
        || matches!(u, 0x202a..=0x202e | 0x2066..=0x2069 | 0x200e | 0x200f | 0x061c)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Skips the rest of an escape sequence whose ESC was just consumed.
fn skip_escape(chars: &mut Chars) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        // OSC, DCS, SOS, PM, APC: strings terminated by BEL or ST.
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            chars.next();
            skip_string(chars);
        }
        // nF sequences: intermediates 0x20-0x2f then one final byte.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while matches!(chars.peek(), Some(c) if ('\u{20}'..='\u{2f}').contains(c)) {
                chars.next();
            }
            chars.next();
        }
        // Two-character sequences (ESC 7, ESC c, ...).
        Some(c) if ('\u{30}'..='\u{7e}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in 0x40..=0x7e.
fn skip_csi(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not a well-formed CSI: stop here so we do not swallow ordinary text.
            return;
        }
    }
}

/// OSC-like strings end at BEL, ST (ESC \) or the C1 ST; everything up to there is dropped.
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_csi_and_osc() {
        assert_eq!(clean_text("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean_text("x\u{1b}]52;c;aGVsbG8=\u{7}y"), "xy");
        assert_eq!(
            clean_text("\u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
            "link"
        );
        assert_eq!(clean_text("a\u{9b}2Jb"), "ab");
    }

    #[test]
    fn strips_controls_and_bidi() {
        assert_eq!(
            clean_text("a\u{0}b\u{7}c\u{202e}d\u{2066}e\u{85}f"),
            "abcdef"
        );
        assert_eq!(clean_text("line1\nline2\tx\r\n"), "line1\nline2\tx\n");
        // Soft hyphens go (German and Dutch sites write long words with them).
        assert_eq!(
            clean_line("in\u{ad}com\u{ad}pre\u{ad}hen\u{ad}si\u{ad}ble"),
            "incomprehensible"
        );
        // Invisible characters go from what is shown; the joiners emoji and Persian
        // need stay; an id keeps them.
        assert_eq!(
            clean_line("a\u{200b}b\u{2060}c\u{feff}d 👩\u{200d}💻 می\u{200c}خواهم"),
            "abcd 👩\u{200d}💻 می\u{200c}خواهم"
        );
        assert_eq!(clean_display("x\u{200b}y\nz"), "xy\nz");
        assert_eq!(clean_id("post-1\u{200b}"), "post-1\u{200b}");
    }

    /// A lone CR ends a line (old Mac files, some CMSes): the words on either side stay
    /// apart, in a title as in a body.
    #[test]
    fn a_carriage_return_parts_words() {
        assert_eq!(clean_text("and\rCR\r\nreturn"), "and\nCR\nreturn");
        assert_eq!(
            clean_line("Tabs\tin\ttitle\rCR here"),
            "Tabs in title CR here"
        );
    }

    #[test]
    fn clean_line_folds_whitespace() {
        assert_eq!(clean_line("  a\n\n b\t c "), "a b c");
    }

    #[test]
    fn the_fast_path_agrees_with_the_slow_one() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let slow: String = s
                .chars()
                .filter(|c| *c == '\n' || *c == '\t' || !is_forbidden(*c))
                .collect();
            let fast_says_clean = !needs_cleaning(s.as_bytes());
            assert_eq!(fast_says_clean, slow == s, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_fast_path_sees_a_character_at_any_offset_of_its_block() {
        // Multi-byte characters straddle the 64-byte blocks at some of these offsets.
        for bad in ['\u{1b}', '\u{85}', '\u{ad}', '\u{202e}', '\u{61c}'] {
            for at in 0..200 {
                let s = format!("{}{bad}{}", "x".repeat(at), "—€".repeat(20));
                assert!(needs_cleaning(s.as_bytes()), "{bad:?} at {at}");
            }
        }
        for at in 0..200 {
            let s = format!("{}—€\u{a0}£\n\t{}", "x".repeat(at), "y".repeat(at));
            assert!(!needs_cleaning(s.as_bytes()), "false alarm at {at}");
        }
    }

    #[test]
    fn keeps_unicode() {
        assert_eq!(clean_text("日本語 😀 é"), "日本語 😀 é");
    }
}
