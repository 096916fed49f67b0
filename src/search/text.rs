//! An article's words for the index: the text of its HTML, tags and scripts left out,
//! entities decoded. The index needs words, not layout, so this skips the HTML parser
//! the reader uses (a tenth of the cost on long articles).

use std::borrow::Cow;

/// More text than this of one article is not indexed (a hostile feed's megabytes).
const MAX_TEXT: usize = 512 * 1024;

/// The words of an HTML body, separated by spaces and line breaks.
pub fn index_text(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len().min(MAX_TEXT) / 2);
    let mut at = 0;
    while at < bytes.len() && out.len() < MAX_TEXT {
        let Some(lt) = memchr::memchr(b'<', &bytes[at..]) else {
            push_text(&mut out, &html[at..]);
            break;
        };
        push_text(&mut out, &html[at..at + lt]);
        out.push(' ');
        at = end_of_markup(bytes, at + lt);
    }
    out
}

fn push_text(out: &mut String, text: &str) {
    if text.contains('&') {
        let decoded: Cow<str> = html_escape::decode_html_entities(text);
        out.push_str(&decoded);
    } else {
        out.push_str(text);
    }
}

/// Elements whose content is no text of the article.
const HIDDEN: [&[u8]; 4] = [b"script", b"style", b"template", b"noscript"];

/// `html[at]` is `<`: where what follows the tag, comment, or script/style element
/// starts (the end when it is not closed). Without a copy of the rest or of the tag's
/// name: this runs for every tag of every new article (its text is indexed and its
/// story's words are read, `story::text::shingles`).
pub(crate) fn end_of_markup(html: &[u8], at: usize) -> usize {
    let rest = &html[at..];
    if rest.starts_with(b"<!--") {
        return memchr::memmem::find(&rest[4..], b"-->").map_or(html.len(), |i| at + 4 + i + 3);
    }
    let name_len = rest[1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let name = &rest[1..1 + name_len];
    let after = match memchr::memchr(b'>', rest) {
        Some(gt) => at + gt + 1,
        None => return html.len(),
    };
    if !HIDDEN.iter().any(|h| name.eq_ignore_ascii_case(h)) {
        return after;
    }
    // The first `</name`, in any case.
    let mut from = after;
    while let Some(i) = memchr::memmem::find(&html[from..], b"</") {
        let close = from + i;
        let tail = &html[close + 2..];
        if tail.len() >= name.len() && tail[..name.len()].eq_ignore_ascii_case(name) {
            return memchr::memchr(b'>', &html[close..]).map_or(html.len(), |gt| close + gt + 1);
        }
        from = close + 2;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_words_and_drops_the_markup() {
        let html = r#"<p>Rotate your <a href="/x">pass&shy;keys</a> &amp; <b>tokens</b></p>
            <script>var secret = "never";</script><style>.x{color:red}</style>
            <!-- a comment --><p>Caf&eacute; talk</p><img alt="x">"#;
        let text = index_text(html);
        let words = crate::search::fold::tokens(&text);
        assert!(words.contains(&"tokens".to_string()), "{words:?}");
        assert!(words.contains(&"cafe".to_string()), "{words:?}");
        assert!(!words.contains(&"secret".to_string()), "{words:?}");
        assert!(!words.contains(&"color".to_string()), "{words:?}");
        assert!(!words.contains(&"comment".to_string()), "{words:?}");
        // Tags separate words.
        assert_eq!(
            crate::search::fold::tokens(&index_text("<p>one</p><p>two</p>")),
            ["one", "two"]
        );
        // Unclosed things end the text, never panic.
        for bad in ["<p", "<!-- open", "<script>x", "text <", "<\u{e9}>é"] {
            let _ = index_text(bad);
        }
    }
}
