//! Whether an RSS title (which has no type) is HTML: a title that only names a
//! generic type or an address in angle brackets (`Vec<String>`, `<template>`,
//! `<bob@example.org>`) is text, and reading it as HTML lost the bracketed words.

/// HTML when the title closes a tag or has an entity, and every tag in it is one that
/// shows text (no `script`, `style` or `template`, whose text a browser hides, and no
/// name HTML does not know), and every named entity is HTML's: the rule feedparser
/// reads RSS titles by.
pub(super) fn looks_like_html(text: &str) -> bool {
    let mut closes = false;
    let mut entity = false;
    let bytes = text.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => {
                let rest = &text[at + 1..];
                let (closing, rest) = match rest.strip_prefix('/') {
                    Some(r) => (true, r),
                    None => (false, rest),
                };
                let name_len = rest
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if name_len == 0 {
                    continue;
                }
                let name = rest[..name_len].to_ascii_lowercase();
                if !SHOWN.contains(&name.as_str()) {
                    return false;
                }
                if closing && rest[name_len..].starts_with('>') {
                    closes = true;
                }
                // A line break, which has no end tag (`Line<br/>break`): HTML too.
                let after = rest[name_len..].trim_start();
                if name == "br" && (after.starts_with('>') || after.starts_with("/>")) {
                    closes = true;
                }
            }
            b'&' => match entity_at(&text[at..]) {
                Some(true) => entity = true,
                Some(false) => return false,
                None => {}
            },
            _ => {}
        }
    }
    closes || entity
}

/// At an `&`: `Some(true)` for a numeric reference or an entity HTML names,
/// `Some(false)` for `&word;` that it does not, `None` for a bare `&`.
fn entity_at(s: &str) -> Option<bool> {
    let body = &s[1..];
    let len = body
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'#')
        .count();
    if len == 0 || !body[len..].starts_with(';') {
        return None;
    }
    let reference = &s[..len + 2];
    if body.starts_with('#') {
        return Some(true);
    }
    Some(html_escape::decode_html_entities(reference) != reference)
}

/// Elements whose text a browser shows, in titles as in bodies.
const SHOWN: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

#[cfg(test)]
mod tests {
    use super::looks_like_html;

    #[test]
    fn generic_types_and_addresses_are_text() {
        for text in [
            "Vec<String> vs Box<str>",
            "List<T> and HashMap<K, V>",
            "Mail from <bob@example.com>",
            "The <template> element explained",
            "Why <script> tags block & how",
            "a < b > c",
            "Tom & Jerry",
            "<b>bold without an end",
            "Hello &notanentity; <b>x</b>",
        ] {
            assert!(!looks_like_html(text), "{text}");
        }
    }

    #[test]
    fn escaped_markup_is_html() {
        for text in [
            "<b>New</b> release",
            "Caf&eacute; opens",
            "Fish &amp; chips",
            "<em>Vec</em>&#60;T&#62;",
            "Line<br/>break &nbsp;",
        ] {
            assert!(looks_like_html(text), "{text}");
        }
    }
}
