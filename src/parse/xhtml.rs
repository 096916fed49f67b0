//! Atom's `type="xhtml"` text constructs, as written: feed-rs rebuilds their markup from
//! the parsed tree, which turns text the author escaped (`&lt;b&gt;`) into markup. The
//! `div`'s inner markup is taken from the document itself instead, so the escaping the
//! author meant is kept (feedparser's reading too).

use super::source::{Source, SourceText};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Replaces each entry's XHTML title, content and summary with the markup as written.
pub(super) fn keep_as_written(source: &mut Source, body: &str) {
    let xhtml = |q: &[u8]| memchr::memmem::find(body.as_bytes(), q).is_some();
    if !(xhtml(b"type=\"xhtml\"") || xhtml(b"type='xhtml'")) {
        return;
    }
    let Some(doc) = super::fallbacks::tree(body) else {
        return;
    };
    let entries: Vec<roxmltree::Node> = doc
        .root_element()
        .children()
        .filter(|n| n.tag_name().namespace() == Some(ATOM) && n.tag_name().name() == "entry")
        .collect();
    if entries.len() != source.entries.len() {
        return;
    }
    for (entry, node) in source.entries.iter_mut().zip(entries) {
        for (name, slot) in [
            ("title", &mut entry.title),
            ("content", &mut entry.content),
            ("summary", &mut entry.summary),
        ] {
            let found = node.children().find(|n| {
                n.tag_name().namespace() == Some(ATOM)
                    && n.tag_name().name() == name
                    && n.attribute("type") == Some("xhtml")
            });
            if let Some(markup) = found.and_then(|n| as_written(n, doc.input_text())) {
                *slot = Some(SourceText {
                    body: markup,
                    html: true,
                });
            }
        }
    }
}

/// The inner markup of the construct's `div` (or of the construct, without one, or
/// when words or other elements stand beside the div: they are the author's too, as
/// feedparser keeps them), its `xhtml:` prefixes dropped.
fn as_written(node: roxmltree::Node, input: &str) -> Option<String> {
    let words_beside = node
        .children()
        .any(|n| n.is_text() && n.text().is_some_and(|t| !t.trim().is_empty()));
    let mut elements = node.children().filter(|n| n.is_element());
    let only = elements.next().filter(|_| elements.next().is_none());
    let div = only
        .filter(|n| n.tag_name().name() == "div" && !words_beside)
        .unwrap_or(node);
    let markup = super::fallbacks::inner_markup(div, input);
    let markup = markup.trim();
    (!markup.is_empty()).then(|| markup.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::source::SourceEntry;

    #[test]
    fn escaped_markup_stays_escaped_and_markup_stays_markup() {
        let body = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">&lt;b&gt;bold&lt;/b&gt; <i>text</i></div></content></entry></feed>"#;
        let mut source = Source {
            entries: vec![SourceEntry::default()],
            ..Default::default()
        };
        keep_as_written(&mut source, body);
        let content = source.entries[0].content.as_ref().unwrap();
        assert_eq!(content.body, "&lt;b&gt;bold&lt;/b&gt; <i>text</i>");
        assert!(content.html);
    }

    #[test]
    fn words_beside_the_div_are_kept() {
        let body = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">Before <div xmlns="http://www.w3.org/1999/xhtml"><p>Inside</p></div> after</content></entry></feed>"#;
        let mut source = Source {
            entries: vec![SourceEntry::default()],
            ..Default::default()
        };
        keep_as_written(&mut source, body);
        let content = source.entries[0].content.as_ref().unwrap();
        assert!(content.body.starts_with("Before <div"), "{}", content.body);
        assert!(
            content.body.contains("<p>Inside</p></div> after"),
            "{}",
            content.body
        );
    }

    /// Two divs (the spec asks for one): both are the content, not the first alone.
    #[test]
    fn a_second_div_is_kept() {
        let body = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">first</div><div xmlns="http://www.w3.org/1999/xhtml">second</div></content></entry></feed>"#;
        let mut source = Source {
            entries: vec![SourceEntry::default()],
            ..Default::default()
        };
        keep_as_written(&mut source, body);
        let content = source.entries[0].content.as_ref().unwrap();
        assert!(content.body.contains("first"), "{}", content.body);
        assert!(content.body.contains("second"), "{}", content.body);
    }
}
