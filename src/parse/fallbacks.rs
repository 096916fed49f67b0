//! What other namespaces say where a feed leaves its own fields empty, as feedparser
//! reads them: Dublin Core (`dc:title`, `dc:creator`, `dc:author`, `dc:description`),
//! DCMI terms (`dcterms:issued`, `modified`), iTunes (the feed's
//! `itunes:subtitle`, an item's `itunes:summary` and `itunes:author`), Media RSS (`media:title`, `media:description`,
//! also inside `media:group`) and an XHTML `body` in an RSS item.
//!
//! Either reader fills the feed's own fields; this pass only fills the gaps, on a tree of
//! the document (roxmltree) made only when a field is empty and the document has an
//! element that could fill it: other feeds pay a few substring searches.

use super::source::{Source, SourceEntry, SourceLink, SourceText};

const DC: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const MEDIA: &str = "http://search.yahoo.com/mrss/";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const ATOM: &str = "http://www.w3.org/2005/Atom";

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

/// Fills what `source` lacks from the other namespaces of `body`.
pub(super) fn fill(source: &mut Source, body: &str) {
    if !has_gap(source, body)
        && !super::atom_in_rss::worth_a_look(source, body)
        && !super::atom03_names::worth_a_look(source, body)
    {
        return;
    }
    let Some(doc) = tree(body) else {
        return;
    };
    let root = doc.root_element();
    let channel = channel_of(root);
    // Atom says a text without a type is text; RSS says nothing (see `text_or_html`).
    let untyped = if root.tag_name().name() == "feed" {
        plain
    } else {
        text_or_html
    };
    if empty(&source.title) {
        source.title = first_text(channel, &[(DC, "title")]).map(plain);
    }
    if empty(&source.description) {
        // feedparser's reading: the feed's subtitle, not its summary.
        let said = [(DC, "description"), (ITUNES, "subtitle")];
        source.description = first_text(channel, &said).map(untyped);
    }
    let atom = root.tag_name().namespace() == Some(ATOM);
    if atom {
        super::atom03_names::fill_feed(source, root);
    }
    let items = entry_nodes(root);
    if items.len() != source.entries.len() {
        return;
    }
    for (entry, item) in source.entries.iter_mut().zip(items) {
        fill_entry(entry, item, doc.input_text(), untyped);
        if atom {
            super::atom03_names::fill_entry(entry, item);
        } else if root.tag_name().name() != "feed" {
            super::atom_in_rss::fill(entry, item, doc.input_text());
        }
    }
}

/// Each RSS item's `<enclosure>` addresses as written, beside those the reader kept
/// (for a local file's feed, whose relative ones no reader could resolve).
pub(super) fn raw_enclosures(source: &mut Source, body: &str) {
    let Some(doc) = tree(body) else {
        return;
    };
    let items = entry_nodes(doc.root_element());
    if items.len() != source.entries.len() {
        return;
    }
    for (entry, item) in source.entries.iter_mut().zip(items) {
        super::enclosures::fill_from_rss(entry, item);
    }
}

/// Where an RSS 2.0 document keeps the feed's own fields: its channel (the root, for
/// Atom and RSS 1.0).
fn channel_of<'a, 'i>(root: Node<'a, 'i>) -> Node<'a, 'i> {
    root.children()
        .find(|n| n.has_tag_name("channel"))
        .filter(|_| root.tag_name().name() == "rss")
        .unwrap_or(root)
}

/// The document's items, in the order the readers give its entries: the channel's
/// children (RSS 2.0) or the root's (Atom, RSS 1.0). The passes that read the tree
/// after a reader pair them with its entries only when the counts agree.
pub(super) fn entry_nodes<'a, 'i>(root: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let channel = channel_of(root);
    let parents = if channel == root {
        vec![root]
    } else {
        vec![channel, root]
    };
    parents
        .iter()
        .flat_map(|parent| parent.children())
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "item" | "entry"))
        .collect()
}

/// The document as a tree for the passes that read it after a reader (this one and
/// `xhtml`): None when it is not well-formed XML, and then the pass does nothing.
pub(super) fn tree(body: &str) -> Option<roxmltree::Document<'_>> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(body, options).ok()
}

fn fill_entry(entry: &mut SourceEntry, item: Node, input: &str, untyped: fn(String) -> SourceText) {
    let group = item
        .children()
        .find(|n| n.tag_name().namespace() == Some(MEDIA) && n.tag_name().name() == "group");
    let in_item_or_group = |names: &[(&str, &str)]| {
        first_text(item, names).or_else(|| group.and_then(|g| first_text(g, names)))
    };
    if empty(&entry.title) {
        // itunes:title only where the item's id is not made from its title (it has a
        // guid or a link): an item named by neither keeps the id it always had.
        let named = !entry.id.trim().is_empty() || !entry.links.is_empty();
        let names: &[(&str, &str)] = if named {
            &[(DC, "title"), (MEDIA, "title"), (ITUNES, "title")]
        } else {
            &[(DC, "title"), (MEDIA, "title")]
        };
        entry.title = in_item_or_group(names).map(plain);
    }
    if entry.author_names.is_empty() {
        let names = [(DC, "creator"), (DC, "author"), (ITUNES, "author")];
        entry.author_names.extend(first_text(item, &names));
    }
    // Both an RSS pubDate and a dc:date: the first is when it was published, the
    // second when it was updated (feedparser's reading); the readers keep the last.
    let pub_date = first_text(item, &[("", "pubDate")]).and_then(|d| super::dates::parse(&d));
    if let Some(published) = pub_date {
        if let Some(updated) =
            first_text(item, &[(DC, "date")]).and_then(|d| super::dates::parse(&d))
        {
            entry.published = Some(published);
            entry.updated = Some(updated);
        }
    }
    // dcterms:issued beside a dc:date, with no pubDate (JVN's RSS 1.0 writes the last
    // change in dc:date): issued is when it was published, as feedparser reads it; the
    // readers took dc:date for that.
    if pub_date.is_none() {
        let issued = first_text(item, &[(DCTERMS, "issued")]).and_then(|d| super::dates::parse(&d));
        if issued.is_some() && first_text(item, &[(DC, "date")]).is_some() {
            entry.published = issued;
        }
    }
    if entry.published.is_none() {
        // Issued (feedparser's `published`; it takes no date from `created`).
        entry.published =
            first_text(item, &[(DCTERMS, "issued")]).and_then(|d| super::dates::parse(&d));
    }
    if entry.updated.is_none() {
        // dc:date is feedparser's `updated` (RSS readers take it as the date already).
        entry.updated = first_text(item, &[(DCTERMS, "modified"), (DC, "date")])
            .and_then(|d| super::dates::parse(&d));
    }
    if !has_page_link(entry) {
        // An Atom link in an RSS item: the item's address when it says alternate.
        let alternate = item.children().find(|n| {
            n.tag_name().namespace() == Some(ATOM)
                && n.tag_name().name() == "link"
                && n.attribute("rel").is_none_or(|r| r.trim() == "alternate")
        });
        if let Some(href) = alternate.and_then(|l| l.attribute("href")) {
            entry.links.push(SourceLink {
                href: href.trim().to_string(),
                rel: None,
                media_type: None,
                length: None,
                site: None,
            });
        }
        // RSS's own link written as Atom writes one (`<link href="..."/>`): its address,
        // read after the id (see `SourceEntry::late_links`).
        let written_as_atom = item.children().find(|n| {
            n.tag_name().namespace().is_none_or(str::is_empty)
                && n.tag_name().name() == "link"
                && n.text().is_none_or(|t| t.trim().is_empty())
                && n.attribute("rel").is_none_or(|r| r.trim() == "alternate")
        });
        if let Some(href) = written_as_atom.and_then(|l| l.attribute("href")) {
            if entry.late_links.is_empty() && alternate.is_none() {
                entry.late_links.push(SourceLink {
                    href: href.trim().to_string(),
                    rel: None,
                    media_type: None,
                    length: None,
                    site: None,
                });
            }
        }
    }
    // An Atom enclosure link in an RSS item is a file, as in Atom (feed-rs reads
    // none there).
    let rss_item = item.tag_name().name() == "item";
    let atom_files = item.children().filter(|n| {
        rss_item
            && n.tag_name().namespace() == Some(ATOM)
            && n.tag_name().name() == "link"
            && n.attribute("rel")
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("enclosure"))
    });
    for link in atom_files {
        let Some(href) = link
            .attribute("href")
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        if entry.links.iter().all(|l| l.href != href) {
            entry.links.push(SourceLink {
                href: href.to_string(),
                rel: Some("enclosure".into()),
                media_type: link.attribute("type").map(|t| t.trim().to_string()),
                length: link.attribute("length").and_then(|l| l.trim().parse().ok()),
                site: None,
            });
        }
    }
    if entry.content.is_none() {
        // An XHTML body (namespaced, or a plain `body` in RSS) is the item's content, as
        // is RSS 0.9x's `fullitem`.
        let body = item.children().find(|n| {
            let name = n.tag_name();
            let ns = name.namespace();
            (name.name() == "body" && matches!(ns, Some(XHTML) | None))
                || (name.name() == "fullitem" && ns.is_none())
        });
        // (`fullitem` holds escaped HTML, as `description` does; a body is markup.)
        let markup = |b: Node| match b.tag_name().name() {
            "fullitem" => b
                .descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect(),
            _ => inner_markup(b, input),
        };
        if let Some(html) = body.map(markup) {
            if !html.trim().is_empty() {
                entry.content = Some(SourceText {
                    body: html,
                    html: true,
                });
            }
        }
    }
    super::enclosures::fill_from_rss(entry, item);
    if entry.summary.is_none() && entry.content.is_none() {
        // feedparser's reading: an item's summary, not its subtitle.
        let said = [
            ("", "summary"),
            (ITUNES, "summary"),
            (MEDIA, "description"),
            (DC, "description"),
        ];
        entry.summary = in_item_or_group(&said).map(untyped);
    }
}

/// Whether an entry has a link that can be its address (no relation, or alternate).
fn has_page_link(entry: &SourceEntry) -> bool {
    entry.links.iter().any(|l| {
        l.rel
            .as_deref()
            .is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate"))
    })
}

fn empty(text: &Option<SourceText>) -> bool {
    text.as_ref().is_none_or(|t| t.body.trim().is_empty())
}

fn plain(body: String) -> SourceText {
    SourceText { body, html: false }
}

/// A text whose element has no type (`itunes:summary`, `media:description`): HTML when
/// it looks like HTML, by feedparser's rule for such text outside Atom (a podcast's show
/// notes are HTML in CDATA, and were shown with their tags).
fn text_or_html(body: String) -> SourceText {
    let html = super::looks_html::looks_like_html(&body);
    SourceText { body, html }
}

/// Whether a field is empty that an element the document has could fill: a podcast
/// whose items have no author but no `itunes:author` either makes no tree. (By the
/// prefixes these namespaces are written with everywhere.)
fn has_gap(source: &Source, body: &str) -> bool {
    // Their namespaces are declared on the root in practice: a document whose start
    // declares none of them is looked at no further (bar a plain `<body>` in RSS).
    let head = &body.as_bytes()[..body.len().min(4096)];
    let declared = [DC, DCTERMS, ITUNES, MEDIA, XHTML]
        .iter()
        .any(|ns| memchr::memmem::find(head, ns.as_bytes()).is_some());
    // Dublin Core under another prefix (`dcx:title`) is looked for by that one too.
    let dc_other =
        super::namespaces::bound_prefix(&body[..super::shapes::floor_char(body, 4096)], DC)
            .filter(|p| *p != "dc")
            .map(str::as_bytes);
    let found = |n: &[u8]| memchr::memmem::find(body.as_bytes(), n).is_some();
    let has = |names: &[&str]| {
        names.iter().any(|n| {
            (declared || *n == "<summary" || n.starts_with("atom:"))
                && (found(n.as_bytes())
                    || dc_other
                        .zip(n.strip_prefix("dc:"))
                        .is_some_and(|(p, rest)| found(&[p, b":", rest.as_bytes()].concat())))
        })
    };
    // Shapes a generator writes into every item or none: looked for in the first items
    // only, so that the many feeds without them pay no search of the whole document.
    let first_items = {
        let bytes = body.as_bytes();
        let at = memchr::memmem::find(bytes, b"<item")
            .or_else(|| memchr::memmem::find(bytes, b"<entry"))
            .unwrap_or(0);
        &bytes[at..bytes.len().min(at + 16 * 1024)]
    };
    let early = |names: &[&str]| {
        names
            .iter()
            .any(|n| memchr::memmem::find(first_items, n.as_bytes()).is_some())
    };
    // The gaps first (no search at all for a feed that has every field), then whether
    // the document holds anything for them.
    let entries = &source.entries;
    let gap = |f: fn(&SourceEntry) -> bool| entries.iter().any(f);
    (empty(&source.title) && has(&["dc:title"]))
        || (empty(&source.description) && has(&["dc:description", "itunes:subtitle"]))
        || (gap(|e| empty(&e.title)) && has(&["dc:title", "media:title", "itunes:title"]))
        || (gap(|e| e.author_names.is_empty())
            && has(&["dc:creator", "dc:author", "itunes:author"]))
        || (gap(|e| e.published.is_none()) && has(&["dcterms:issued"]))
        || (gap(|e| e.updated.is_none()) && has(&["dcterms:modified", "dc:date"]))
        || (declared && early(&["dc:date>"]) && early(&["<pubDate", "dcterms:issued>"]))
        || (gap(|e| e.summary.is_none() && e.content.is_none())
            && has(&[
                "itunes:summary",
                "media:description",
                "dc:description",
                "<summary",
            ]))
        || (gap(|e| e.content.is_none()) && early(&["body>", "fullitem>"]))
        || (gap(|e| !has_page_link(e)) && has(&["atom:link"]))
        || (gap(|e| !has_page_link(e) && e.late_links.is_empty())
            && early(&["<link href", "<link rel"]))
        || (early(&["<enclosure"])
            && (has(&["media:"])
                || gap(|e| e.media.is_empty() || e.media.iter().any(|m| m.2.is_none()))))
        || (declared && early(&["media:player"]))
        || (declared && gap(|e| e.media.is_empty()) && early(&["media:content"]))
        || (source.is_rss
            && gap(|e| e.media.is_empty())
            && early(&["rel=\"enclosure\"", "rel='enclosure'", "rel=\"Enclosure\""]))
}

/// The text of the first child of `node` with one of these (namespace, name), not blank.
fn first_text(node: Node, names: &[(&str, &str)]) -> Option<String> {
    names.iter().find_map(|(ns, name)| {
        node.children()
            .filter(|n| {
                // An empty namespace here is none: an RSS element.
                n.tag_name().namespace().unwrap_or("") == *ns && n.tag_name().name() == *name
            })
            .map(|n| {
                n.descendants()
                    .filter(|d| d.is_text())
                    .filter_map(|d| d.text())
                    .collect::<String>()
            })
            .map(|t| t.trim().to_string())
            .find(|t| !t.is_empty())
    })
}

/// An element's inner markup as it is written, its `xhtml:` prefixes dropped (HTML).
pub(super) fn inner_markup(node: Node, input: &str) -> String {
    let (Some(first), Some(last)) = (node.first_child(), node.last_child()) else {
        return String::new();
    };
    let inner = &input[first.range().start..last.range().end];
    let prefix = node
        .tag_name()
        .namespace()
        .and_then(|ns| node.lookup_prefix(ns));
    match prefix {
        Some(p) if !p.is_empty() => inner
            .replace(&format!("<{p}:"), "<")
            .replace(&format!("</{p}:"), "</"),
        _ => inner.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_from_the_other_namespaces_and_nothing_else_is_touched() {
        let body = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:xhtml="http://www.w3.org/1999/xhtml"><channel><dc:title>Channel</dc:title>
<item><title>Own</title><dc:title>Not this</dc:title><dc:author>A. Uthor</dc:author><dcterms:issued>2026-03-01T10:00:00Z</dcterms:issued><media:group><media:description>Group words</media:description></media:group></item>
<item><media:title>From media</media:title><xhtml:body><xhtml:p>Body <xhtml:b>text</xhtml:b></xhtml:p></xhtml:body></item>
</channel></rss>"#;
        let mut source = Source {
            entries: vec![
                SourceEntry {
                    title: Some(plain("Own".into())),
                    ..Default::default()
                },
                SourceEntry::default(),
            ],
            ..Default::default()
        };
        fill(&mut source, body);
        assert_eq!(source.title.unwrap().body, "Channel");
        let [a, b] = &source.entries[..] else {
            panic!()
        };
        assert_eq!(a.title.as_ref().unwrap().body, "Own");
        assert_eq!(a.author_names, ["A. Uthor"]);
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2026-03-01T10:00:00+00:00"
        );
        assert_eq!(a.summary.as_ref().unwrap().body, "Group words");
        assert_eq!(b.title.as_ref().unwrap().body, "From media");
        assert_eq!(b.content.as_ref().unwrap().body, "<p>Body <b>text</b></p>");
    }
}
