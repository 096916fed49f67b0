//! Atom's elements in an RSS item, for documents feed-rs reads (the direct reader takes
//! them itself): .NET's SyndicationFeed writes an item's author, content and dates as
//! `a10:author`, `a10:content`, `a10:updated`, and other generators `atom:summary`.
//! feedparser reads them as the item's own; feed-rs read only the links.

use super::source::{Source, SourceEntry, SourceText};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The prefix the root binds to Atom's namespace (`a10`, `atom`), if it does.
fn prefix(head: &str) -> Option<&str> {
    super::namespaces::bound_prefix(head, ATOM)
}

/// Whether an RSS document has Atom elements that could fill an item's gap: no tree is
/// made for the many feeds that declare Atom for their `atom:link rel="self"` only.
pub(super) fn worth_a_look(source: &Source, body: &str) -> bool {
    if !source.is_rss {
        return false;
    }
    let head = &body[..super::shapes::floor_char(body, 4096)];
    let Some(prefix) = prefix(head) else {
        return false;
    };
    let has = |name: &str| {
        memchr::memmem::find(body.as_bytes(), format!("<{prefix}:{name}").as_bytes()).is_some()
    };
    let gap = |f: fn(&SourceEntry) -> bool| source.entries.iter().any(f);
    (gap(|e| e.author_names.is_empty()) && has("author"))
        || (gap(|e| e.content.is_none()) && has("content"))
        || (gap(|e| e.summary.is_none()) && has("summary"))
        || (gap(|e| e.published.is_none()) && has("published"))
}

/// Fills an RSS item's gaps from its Atom elements.
pub(super) fn fill(entry: &mut SourceEntry, item: roxmltree::Node, input: &str) {
    let atom = |name: &str| {
        item.children()
            .find(|n| n.tag_name().namespace() == Some(ATOM) && n.tag_name().name() == name)
    };
    if entry.author_names.is_empty() {
        let name = atom("author").and_then(|a| {
            let part = |p: &str| {
                a.children()
                    .find(|n| n.tag_name().name() == p)
                    .and_then(|n| n.text())
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
            };
            part("name").or_else(|| part("email"))
        });
        entry.author_names.extend(name.map(str::to_string));
    }
    if entry.summary.is_none() {
        entry.summary = atom("summary").and_then(|n| text(n, input));
    }
    if entry.content.is_none() {
        entry.content = atom("content")
            .filter(|n| n.attribute("src").is_none())
            .and_then(|n| text(n, input));
    }
    if entry.published.is_none() {
        entry.published = atom("published")
            .and_then(|n| n.text())
            .and_then(super::dates::parse);
    }
}

/// An Atom text construct: text, HTML, or XHTML markup.
fn text(node: roxmltree::Node, input: &str) -> Option<SourceText> {
    let kind = node.attribute("type").unwrap_or("text").trim();
    let body = if kind == "xhtml" {
        super::fallbacks::inner_markup(node, input)
    } else {
        node.descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect()
    };
    let body = body.trim().to_string();
    let html = matches!(kind, "html" | "xhtml" | "text/html");
    (!body.is_empty()).then_some(SourceText { body, html })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_atom_prefix_is_found_on_the_root() {
        let head = "<rss version=\"2.0\" xmlns:a10=\"http://www.w3.org/2005/Atom\">";
        assert_eq!(prefix(head), Some("a10"));
        assert_eq!(
            prefix("<rss xmlns:atom = 'http://www.w3.org/2005/Atom'>"),
            Some("atom")
        );
        assert_eq!(prefix("<rss version=\"2.0\">"), None);
    }
}
