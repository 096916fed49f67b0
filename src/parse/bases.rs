//! xml:base in scope of an entry's content and summary. Relative links in an article's
//! HTML are resolved, by the reader, against the article's own link (right for the
//! many blogs whose posts link pictures beside them); where the feed says what they
//! are relative to (an `xml:base` on the root, the entry or the content element, as
//! RFC 4287 and XML Base have it, and feedparser reads it), that address wins: a
//! FeedBurner entry's link is on another host, and its relative links led nowhere.
//! feed-rs applies xml:base to links but keeps none for the content; the direct reader
//! leaves every document with an xml:base to feed-rs. So this pass reads the document's
//! tree, only when it names xml:base.

use super::source::Source;
use crate::links::resolve;
use url::Url;

const XML: &str = "http://www.w3.org/XML/1998/namespace";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const ATOM03: &str = "http://purl.org/atom/ns#";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";

/// Sets each entry's `content_base`, `summary_base` and `guid_base`: the address
/// xml:base makes for its content, summary and RSS guid elements, when one is in scope.
pub(super) fn content_bases(source: &mut Source, body: &str, doc_url: &str) {
    if memchr::memmem::find(body.as_bytes(), b"xml:base").is_none() {
        return;
    }
    let Some(doc) = super::fallbacks::tree(body) else {
        return;
    };
    let items = super::fallbacks::entry_nodes(doc.root_element());
    if items.len() != source.entries.len() {
        return;
    }
    let doc_url = Url::parse(doc_url).ok();
    for (entry, item) in source.entries.iter_mut().zip(items) {
        let content = item.children().find(|n| {
            let (ns, name) = (n.tag_name().namespace(), n.tag_name().name());
            (name == "content" && matches!(ns, Some(ATOM | ATOM03)))
                || (name == "encoded" && ns == Some(CONTENT))
        });
        let summary = item.children().find(|n| {
            let (ns, name) = (n.tag_name().namespace(), n.tag_name().name());
            (name == "summary" && matches!(ns, Some(ATOM | ATOM03)))
                || (name == "description" && ns.is_none())
        });
        let guid = item
            .children()
            .find(|n| n.tag_name().name() == "guid" && n.tag_name().namespace().is_none());
        entry.guid_base = guid.and_then(|n| in_scope(n, doc_url.as_ref()));
        entry.content_base = content.and_then(|n| in_scope(n, doc_url.as_ref()));
        entry.summary_base = summary.and_then(|n| in_scope(n, doc_url.as_ref()));
    }
}

/// The base xml:base gives `node` (its own, its ancestors', resolved outermost first
/// against the document's address); None when no xml:base is in scope, or it names no
/// web address.
pub(super) fn in_scope(node: roxmltree::Node, doc_url: Option<&Url>) -> Option<String> {
    let said: Vec<&str> = node
        .ancestors()
        .filter_map(|n| n.attribute((XML, "base")))
        .collect();
    if said.is_empty() {
        return None;
    }
    let mut base = doc_url.cloned();
    for b in said.iter().rev() {
        base = resolve(b, base.as_ref()).or(base);
    }
    base.filter(|b| matches!(b.scheme(), "http" | "https"))
        .map(String::from)
}

/// Puts `<base href>` before HTML that has links or sources to resolve: what xml:base
/// made of its address, which the reader (render::blocks) resolves them against
/// instead of the article's link.
pub(super) fn with_base(html: &mut String, base: &str) {
    let has = |attr: &[u8]| {
        memchr::memmem::find_iter(html.as_bytes(), attr)
            .next()
            .is_some()
    };
    if has(b"href=") || has(b"src=") || has(b"HREF=") || has(b"SRC=") {
        html.insert_str(
            0,
            &format!(
                "{}{}\">",
                crate::render::BASE_START,
                html_escape::encode_double_quoted_attribute(base)
            ),
        );
    }
}
