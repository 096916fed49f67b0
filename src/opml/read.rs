//! Reading an OPML file: its encoding, its outlines (folders become tags, a feed in two
//! folders has both), the attribute spellings apps use, the addresses they write.

use super::{ImportedFeed, OpmlError};
use std::path::Path;

/// What an OPML file holds: its feeds, and the outlines that name no feed (with why).
#[derive(Debug, Default)]
pub struct Read {
    pub feeds: Vec<ImportedFeed>,
    pub skipped: Vec<(String, String)>,
    /// Where the document stopped being well-formed, when that was more than an entity
    /// or a DOCTYPE: it was read as repaired, and outlines past there may be missing.
    pub broken: Option<String>,
}

/// Folders deeper than this become no more tags (a hand-made file nested thousands
/// deep overflowed the stack), and their feeds are read all the same.
const MAX_DEPTH: usize = 32;

/// Reads an OPML file's bytes in the encoding they declare (a byte-order mark, the XML
/// declaration: apps export ISO-8859-1 and UTF-16 too).
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Read, OpmlError> {
    parse(&crate::parse::decode(bytes, None), path)
}

/// Reads the feeds of an OPML document; nested outlines (folders) become tags, and a
/// feed in two folders has both. A document XML refuses (an HTML entity such as
/// `&nbsp;`, a bare `&`, a DOCTYPE) is read as the feed reader repairs feeds; the error
/// said is the document's own.
pub fn parse(text: &str, path: &Path) -> Result<Read, OpmlError> {
    let invalid = |e: roxmltree::Error| {
        let pos = e.pos();
        OpmlError::Invalid {
            path: path.display().to_string(),
            line: pos.row,
            column: pos.col,
            reason: e.to_string(),
        }
    };
    let repaired;
    let mut broken = None;
    let doc = match roxmltree::Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let body = match text.trim_start().strip_prefix("<?xml") {
                Some(rest) => rest.split_once("?>").map_or(rest, |(_, after)| after),
                None => text,
            };
            repaired = crate::parse::repair::repair(body);
            let doc = roxmltree::Document::parse(&repaired).map_err(|_| invalid(e.clone()))?;
            // An HTML entity or a DOCTYPE is repaired whole; a tag left open or a cut
            // file is repaired as well as can be, and said.
            use roxmltree::Error as E;
            if !matches!(
                e,
                E::UnknownEntityReference(..)
                    | E::MalformedEntityReference(..)
                    | E::DtdDetected
                    | E::EntityReferenceLoop(..)
            ) {
                // roxmltree places a root never closed (a file cut short) at its start.
                let pos = e.pos();
                let at = if (pos.row, pos.col) == (1, 1) {
                    String::new()
                } else {
                    format!(":{}:{}", pos.row, pos.col)
                };
                broken = Some(format!(
                    "{}{at}: the file is broken ({e}); read as far as it goes: outlines after there may be missing",
                    path.display()
                ));
            }
            doc
        }
    };
    let body = doc
        .root_element()
        .children()
        .find(|n| n.tag_name().name().eq_ignore_ascii_case("body"))
        .ok_or_else(|| OpmlError::NoBody(path.display().to_string()))?;
    let mut read = Read {
        broken,
        ..Read::default()
    };
    collect(body, &mut Vec::new(), 0, &mut read);
    Ok(read)
}

/// An attribute by its name in any case (`xmlUrl`, `xmlurl`, `XMLURL`).
fn attribute<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value())
}

fn collect(node: roxmltree::Node, folders: &mut Vec<String>, depth: usize, read: &mut Read) {
    let outlines = node
        .children()
        .filter(|n| n.tag_name().name().eq_ignore_ascii_case("outline"));
    for outline in outlines {
        if depth >= MAX_DEPTH {
            // Deeper still: the feeds, under the folders so far, without recursion.
            for inner in std::iter::once(outline).chain(outline.descendants()) {
                feed_of(inner, folders, read);
            }
            continue;
        }
        let label = attribute(outline, "title")
            .filter(|t| !t.trim().is_empty())
            .or_else(|| attribute(outline, "text"))
            .map(crate::sanitize::clean_line)
            .filter(|s| !s.is_empty());
        if feed_of(outline, folders, read) {
            // A feed outline holding others (hand-edited files): those are feeds too.
            collect(outline, folders, depth + 1, read);
            continue;
        }
        let pushed = label.is_some();
        if let Some(l) = label {
            folders.push(l);
        }
        collect(outline, folders, depth + 1, read);
        if pushed {
            folders.pop();
        }
    }
}

/// The feed an outline names, if it names one: added (or, already there, given this
/// folder's tags too). An outline with only a web page is said to be skipped.
fn feed_of(outline: roxmltree::Node, folders: &[String], read: &mut Read) -> bool {
    if !outline.tag_name().name().eq_ignore_ascii_case("outline") {
        return false;
    }
    let kind = attribute(outline, "type")
        .unwrap_or("")
        .to_ascii_lowercase();
    // Some apps write a feed's address as `url` with its type.
    let url = attribute(outline, "xmlUrl").or_else(|| {
        matches!(kind.as_str(), "rss" | "atom" | "podcast" | "feed")
            .then(|| attribute(outline, "url"))
            .flatten()
    });
    let label = attribute(outline, "title")
        .filter(|t| !t.trim().is_empty())
        .or_else(|| attribute(outline, "text"))
        .map(crate::sanitize::clean_line)
        .filter(|s| !s.is_empty());
    let url = url.map(|u| address(u.trim(), attribute(outline, "htmlUrl")));
    if let Some(Err(why)) = &url {
        read.skipped.push((
            crate::sanitize::clean_line(&why.0),
            crate::sanitize::clean_line(&why.1),
        ));
        return true;
    }
    let Some(url) = url.and_then(Result::ok).filter(|u| !u.is_empty()) else {
        if let Some(page) = attribute(outline, "htmlUrl").filter(|_| !outline.has_children()) {
            read.skipped.push((
                crate::sanitize::clean_line(page),
                "a web page, no feed address (xmlUrl)".into(),
            ));
        }
        return false;
    };
    let mut tags: Vec<String> = folders.to_vec();
    for cat in attribute(outline, "category").unwrap_or("").split(',') {
        // A comma inside a tag, as bulletin's export writes it.
        let cat = cat
            .replace("%2C", ",")
            .replace("%2c", ",")
            .replace("%25", "%");
        let cat = crate::sanitize::clean_line(cat.trim().trim_start_matches('/'));
        if !cat.is_empty() && !tags.contains(&cat) {
            tags.push(cat);
        }
    }
    // An app's export names the feed by its address when it has no title: no name then.
    let name = label.filter(|l| *l != url);
    match read.feeds.iter_mut().find(|f| f.url == url) {
        Some(known) => {
            for t in tags {
                if !known.tags.contains(&t) {
                    known.tags.push(t);
                }
            }
        }
        None => read.feeds.push(ImportedFeed {
            url,
            name,
            tags,
            // bulletin's own `bulletin:hidden` (by its local name, as every attribute).
            hidden: attribute(outline, "hidden").is_some_and(|h| h.trim() == "true"),
            ..ImportedFeed::default()
        }),
    }
    true
}

/// A feed's address as apps write it, as bulletin takes it: podcast apps' `itpc://` and
/// `pcast://`, `feed://` and `//host/...` are web addresses, one without a scheme is an
/// https one, and a relative one (`/feeds/all.xml`) is under the outline's web page, or
/// skipped (with the address, and why) when it has none: it is no file on this machine.
fn address(url: &str, page: Option<&str>) -> Result<String, (String, String)> {
    // `itpc://`, `pcast://` and `feed://` are the discovery's to read (`normalise`).
    if url.starts_with("//") {
        return Ok(format!("https:{url}"));
    }
    let relative = url.starts_with('/') || url.starts_with("./") || url.starts_with("../");
    if relative
        || !url.contains(':')
            && url.starts_with(|c: char| c.is_ascii_alphanumeric())
            && !url.contains('.')
    {
        return page
            .and_then(|p| url::Url::parse(p.trim()).ok())
            .filter(|p| matches!(p.scheme(), "http" | "https"))
            .and_then(|p| p.join(url).ok())
            .map(String::from)
            .ok_or_else(|| {
                (
                    url.to_string(),
                    "a relative address, and no web page to read it against".into(),
                )
            });
    }
    crate::discover::normalise(url).map_err(|e| (url.to_string(), e.to_string()))
}
