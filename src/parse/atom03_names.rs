//! Atom 0.3's names left in Atom 1.0 documents (`tagline`, `issued`, `modified`, and
//! `mode="base64"` text), for documents feed-rs reads. The direct reader takes them
//! itself; feed-rs ignored them, so the same feed lost its dates, its description and
//! its decoded bodies as soon as one `xml:base`, DOCTYPE or XHTML content sent it there.
//! feedparser reads them as their 1.0 counterparts.

use super::source::{Source, SourceEntry, SourceText};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Whether an Atom document could fill a gap from an old name: a search of the first
/// entries only for `mode="base64"` (which leaves no gap to see; a `data:` picture's
/// `;base64,` is not it), of the document only where a gap is.
pub(super) fn worth_a_look(source: &Source, body: &str) -> bool {
    if source.is_rss {
        return false;
    }
    let bytes = body.as_bytes();
    let has = |name: &str| memchr::memmem::find(bytes, name.as_bytes()).is_some();
    let gap = |f: fn(&SourceEntry) -> bool| source.entries.iter().any(f);
    let empty = source
        .description
        .as_ref()
        .is_none_or(|d| d.body.trim().is_empty());
    let first_entries = {
        let at = memchr::memmem::find(bytes, b"<entry").unwrap_or(0);
        &bytes[at..bytes.len().min(at + 16 * 1024)]
    };
    let early = |n: &[u8]| memchr::memmem::find(first_entries, n).is_some();
    (empty && has("tagline"))
        || (gap(|e| e.published.is_none()) && has("issued>"))
        || (gap(|e| e.updated.is_none()) && has("modified>"))
        || (gap(|e| e.author_names.is_empty()) && has_bare_author(bytes))
        || early(b"base64\"")
        || early(b"base64'")
}

/// Whether an `<author>` holds text rather than elements (`<author>A. Name</author>`).
/// Most Atom feeds name their author once, for the feed, with a `<name>`: they must not
/// cost a tree of the document at every refresh for their entries' empty authors.
fn has_bare_author(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"<author>").any(|at| {
        let inside = &bytes[at + b"<author>".len()..];
        let start = inside.iter().position(|b| !b.is_ascii_whitespace());
        start.is_some_and(|i| inside[i] != b'<' || inside[i..].starts_with(b"<![CDATA["))
    })
}

/// The feed's description from its tagline, when it has none.
pub(super) fn fill_feed(source: &mut Source, root: roxmltree::Node) {
    let empty = source
        .description
        .as_ref()
        .is_none_or(|d| d.body.trim().is_empty());
    if empty {
        if let Some(node) = child(root, "tagline") {
            // HTML by its type (1.0's names) or its mode (0.3's), as the direct reader
            // reads a text construct.
            let kind = node.attribute("type").unwrap_or("text").trim();
            let html = matches!(kind, "html" | "text/html" | "xhtml")
                || node
                    .attribute("mode")
                    .is_some_and(|m| m.trim() == "escaped");
            source.description = text_of(node).map(|body| SourceText { body, html });
        }
    }
}

/// An entry's dates from `issued` and `modified`, and its texts decoded where they are
/// still in base64.
pub(super) fn fill_entry(entry: &mut SourceEntry, node: roxmltree::Node) {
    let date = |name: &str| {
        child(node, name)
            .and_then(|n| text_of(n))
            .and_then(|d| super::dates::parse(&d))
    };
    if entry.published.is_none() {
        entry.published = date("issued");
    }
    if entry.updated.is_none() {
        entry.updated = date("modified");
    }
    // `<author>A. Name</author>`: a name with no element of its own (feedparser's
    // reading), which feed-rs left out.
    if entry.author_names.is_empty() {
        let bare = child(node, "author").filter(|a| !a.children().any(|c| c.is_element()));
        entry.author_names.extend(bare.and_then(|a| text_of(a)));
    }
    for (name, text) in [
        ("content", &mut entry.content),
        ("summary", &mut entry.summary),
    ] {
        let Some(n) = child(node, name) else {
            continue;
        };
        let base64 = n
            .attribute("mode")
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("base64"));
        // Still as written (the direct reader decodes it itself).
        let packed = |s: &str| s.split_whitespace().collect::<String>();
        let written = text_of(n).map(|w| packed(&w));
        if let (true, Some(t)) = (base64, text.as_mut()) {
            if written.is_some_and(|w| w == packed(&t.body)) {
                decode_in_place(t);
            }
        }
    }
}

/// A text still as the feed encoded it, decoded (one that is not base64, or not UTF-8
/// once decoded, stays as it is).
fn decode_in_place(text: &mut SourceText) {
    use base64::Engine;
    let packed: String = text.body.split_whitespace().collect();
    if packed.is_empty() {
        return;
    }
    if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(packed) {
        if let Ok(decoded) = String::from_utf8(bytes) {
            text.body = decoded;
        }
    }
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|n| n.tag_name().namespace() == Some(ATOM) && n.tag_name().name() == name)
}

fn text_of(node: roxmltree::Node) -> Option<String> {
    let text: String = node
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_names_fill_only_the_gaps_and_base64_is_decoded_once() {
        let body = r#"<feed xmlns="http://www.w3.org/2005/Atom"><tagline>Old tagline</tagline>
<entry><issued>2025-03-02T10:00:00Z</issued><modified>2025-03-03T10:00:00Z</modified><content type="html" mode="base64">PHA+Rmlyc3QgYm9keTwvcD4=</content></entry>
<entry><published>2025-01-01T00:00:00Z</published><issued>2025-03-02T10:00:00Z</issued><content type="html" mode="base64">PHA+Rmlyc3QgYm9keTwvcD4=</content></entry>
</feed>"#;
        let doc = roxmltree::Document::parse(body).unwrap();
        let root = doc.root_element();
        let published = Some("2025-01-01T00:00:00Z".parse().unwrap());
        let mut source = Source {
            entries: vec![
                SourceEntry {
                    content: Some(SourceText {
                        body: "PHA+Rmlyc3QgYm9keTwvcD4=".into(),
                        html: true,
                    }),
                    ..Default::default()
                },
                SourceEntry {
                    published,
                    // What the direct reader leaves: decoded already.
                    content: Some(SourceText {
                        body: "<p>First body</p>".into(),
                        html: true,
                    }),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        assert!(worth_a_look(&source, body));
        assert!(has_bare_author(
            b"<entry><author>\n A. Name</author></entry>"
        ));
        assert!(!has_bare_author(
            b"<feed><author>\n <name>A</name></author></feed>"
        ));
        fill_feed(&mut source, root);
        let nodes: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name((ATOM, "entry")))
            .collect();
        for (entry, node) in source.entries.iter_mut().zip(nodes) {
            fill_entry(entry, node);
        }
        assert_eq!(source.description.unwrap().body, "Old tagline");
        let [a, b] = &source.entries[..] else {
            panic!()
        };
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2025-03-02T10:00:00+00:00"
        );
        assert_eq!(a.updated.unwrap().to_rfc3339(), "2025-03-03T10:00:00+00:00");
        assert_eq!(a.content.as_ref().unwrap().body, "<p>First body</p>");
        assert_eq!(b.published, published);
        assert_eq!(b.content.as_ref().unwrap().body, "<p>First body</p>");
    }
}
