//! An article's words for the index: the text of its HTML, tags and scripts left out,
//! entities decoded. The index needs words, not layout, so this skips the HTML parser
//! the reader uses (a tenth of the cost on long articles).

use std::borrow::Cow;

/// More text than this of one article is not indexed (a hostile feed's megabytes).
const MAX_TEXT: usize = 512 * 1024;

/// The words of an HTML body, separated by spaces and line breaks.
pub fn index_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(MAX_TEXT) / 2);
    let mut rest = html;
    while !rest.is_empty() && out.len() < MAX_TEXT {
        let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
            push_text(&mut out, rest);
            break;
        };
        push_text(&mut out, &rest[..lt]);
        out.push(' ');
        rest = &rest[lt..];
        rest = skip_markup(rest);
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

/// `rest` starts with `<`: returns what follows the tag, comment, or script/style element.
fn skip_markup(rest: &str) -> &str {
    if let Some(after) = rest.strip_prefix("<!--") {
        return after.find("-->").map_or("", |i| &after[i + 3..]);
    }
    let name: String = rest[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let after_tag = match memchr::memchr(b'>', rest.as_bytes()) {
        Some(gt) => &rest[gt + 1..],
        None => return "",
    };
    if matches!(name.as_str(), "script" | "style" | "template" | "noscript") {
        let close = format!("</{name}");
        let lower = after_tag.to_ascii_lowercase();
        return match lower.find(&close) {
            Some(i) => {
                let tail = &after_tag[i..];
                memchr::memchr(b'>', tail.as_bytes()).map_or("", |gt| &tail[gt + 1..])
            }
            None => "",
        };
    }
    after_tag
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
