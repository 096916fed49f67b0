//! Feeds in shapes the readers would read as empty or short, made plain before reading:
//! RSS under a default namespace (`<rss xmlns="http://backend.userland.com/rss">`, the
//! RSS 0.9x/2.0 namespaces some generators add), Atom under a misspelt namespace, an
//! Atom feed of RSS `<item>`s, RSS 1.0 items without a `<link>`, whose `rdf:about`
//! is their address as well as their id, and Microsoft's CDF (`cdf`). (RSS items
//! outside the channel are `channels`' to move.)

/// The document reshaped, or None when it needs nothing (the common case: a look at its
/// first kilobyte).
pub(super) fn reshape(body: &str) -> Option<String> {
    let head = &body[..floor_char(body, 1024)];
    if let Some(out) = rss_default_namespace(body, head) {
        return Some(out);
    }
    if let Some(out) = atom_namespace(body, head) {
        return Some(out);
    }
    if let Some(out) = rss_items_in_atom(body, head) {
        return Some(out);
    }
    if let Some(out) = rss_prefixed(body, head) {
        return Some(out);
    }
    if head.contains("rdf:RDF") {
        return super::rdf_shapes::reshape(body, head);
    }
    super::cdf::as_rss(body, head)
}

pub(super) fn floor_char(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `<rss ... xmlns="...">`: the default namespace declaration goes, so that RSS's
/// elements are in no namespace, where both readers look for them.
fn rss_default_namespace(body: &str, head: &str) -> Option<String> {
    let start = head.match_indices("<rss").find_map(|(at, _)| {
        let next = head[at + 4..].chars().next()?;
        (next.is_whitespace()).then_some(at)
    })?;
    let end = start + head[start..].find('>')?;
    let tag = &head[start..end];
    let attr = tag
        .find(" xmlns=")
        .or_else(|| tag.find("\txmlns="))
        .or_else(|| tag.find("\nxmlns="))?;
    let value = &tag[attr + 7..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let close = value[1..].find(quote)? + 2;
    let mut out = String::with_capacity(body.len());
    out.push_str(&body[..start + attr]);
    out.push_str(&body[start + attr + 7 + close..]);
    Some(out)
}

/// An Atom document whose namespace is misspelt (`http://www.w3.org/2005/Atom/`, another
/// case) or another one: read as Atom 1.0, as its shape says.
fn atom_namespace(body: &str, head: &str) -> Option<String> {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    let start = head.match_indices("<feed").find_map(|(at, _)| {
        let next = head[at + 5..].chars().next()?;
        next.is_whitespace().then_some(at)
    })?;
    let end = start + head[start..].find('>')?;
    let tag = &head[start..end];
    let attr = tag.find(" xmlns=")? + 7;
    let value = &tag[attr..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let uri = &value[1..1 + value[1..].find(quote)?];
    let lower = uri.to_ascii_lowercase();
    // Atom 0.3's own namespace is the repair's to read; its forerunner's (`pie`) is
    // read as 0.3, and any other namespace on a `<feed>` as Atom 1.0 (feedparser goes
    // by the element names).
    // (The drafts of 1.0 had `ns#draft-ietf-atompub-format-NN`: 1.0's elements.)
    let atom = if uri == ATOM || lower == "http://purl.org/atom/ns#" {
        return None;
    } else if lower.contains("purl.org/pie") {
        "http://purl.org/atom/ns#"
    } else {
        ATOM
    };
    let at = start + attr + 1;
    Some(format!("{}{atom}{}", &body[..at], &body[at + uri.len()..]))
}

/// An Atom feed that carries RSS `<item>`s (and no `<entry>`): each item becomes an
/// entry, its `description` a summary, its `<link>` an Atom link, its guid the id.
fn rss_items_in_atom(body: &str, head: &str) -> Option<String> {
    // The root is `<feed` (past comments); then the cheap test first: an Atom feed's
    // first entry is near its start.
    let root = root_tag(head);
    let is_feed = root.starts_with("<feed")
        && memchr::memmem::find(body.as_bytes(), b"<entry").is_none()
        && memchr::memmem::find(body.as_bytes(), b"<item>").is_some();
    if !is_feed {
        return None;
    }
    let mut out = body
        .replace("<item>", "<entry>")
        .replace("</item>", "</entry>")
        .replace("<description>", "<summary type=\"html\">")
        .replace("</description>", "</summary>")
        .replace("<guid>", "<id>")
        .replace("</guid>", "</id>");
    // <link>URL</link> inside entries: Atom's <link href="URL"/>.
    let mut from = 0;
    while let Some(at) = out[from..].find("<link>") {
        let start = from + at;
        let Some(len) = out[start..].find("</link>") else {
            break;
        };
        let url = out[start + 6..start + len].trim().to_string();
        let link = format!("<link href=\"{url}\"/>");
        out.replace_range(start..start + len + 7, &link);
        from = start + link.len();
    }
    Some(out)
}

/// The document from its root element's `<` on (past comments, processing
/// instructions and a doctype; those as far as `head` goes).
fn root_tag(head: &str) -> &str {
    let mut root = head;
    while let Some(at) = root.find('<') {
        root = &root[at..];
        if root.starts_with("<!") || root.starts_with("<?") {
            root = &root[1..];
            continue;
        }
        break;
    }
    root
}

/// Where a comment or CDATA section starting at `at` ends (past its close, or the
/// document's end when it has none); None when none starts there. For the rewrites
/// that must leave what those hold as it is.
pub(super) fn past_hidden(body: &str, at: usize) -> Option<usize> {
    let rest = &body[at..];
    let (_, close) = [("<!--", "-->"), ("<![CDATA[", "]]>")]
        .into_iter()
        .find(|(open, _)| rest.starts_with(open))?;
    Some(
        rest.find(close)
            .map_or(body.len(), |e| at + e + close.len()),
    )
}

/// RSS whose every element carries a prefix bound to an RSS namespace (`<r:rss
/// xmlns:r="http://backend.userland.com/rss2">`, `<r:item>`): the prefix goes, so that
/// RSS's elements are in no namespace, where both readers look for them (feedparser
/// reads them so). Comments and CDATA sections are left as they are.
fn rss_prefixed(body: &str, head: &str) -> Option<String> {
    let root = root_tag(head);
    let colon = root.find(':')?;
    let prefix = &root[1..colon];
    let named = !prefix.is_empty()
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    let after = root[colon + 1..].strip_prefix("rss")?;
    if !named || !after.starts_with(|c: char| c.is_whitespace() || c == '>') {
        return None;
    }
    let tag = &root[..root.find('>')?];
    let declared = &tag[tag.find(&format!("xmlns:{prefix}="))? + prefix.len() + 7..];
    let quote = declared
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let uri = declared[1..1 + declared[1..].find(quote)?].to_ascii_lowercase();
    let rss_ns = [
        "backend.userland.com/rss",
        "purl.org/rss/2.0",
        "blogs.law.harvard.edu/tech/rss",
    ];
    if !rss_ns.iter().any(|ns| uri.contains(ns)) {
        return None;
    }
    let open = format!("<{prefix}:");
    let close = format!("</{prefix}:");
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    while let Some(found) = body[from..].find('<') {
        let at = from + found;
        let rest = &body[at..];
        if let Some(stop) = past_hidden(body, at) {
            out.push_str(&body[from..stop]);
            from = stop;
        } else if rest.starts_with(&open) {
            out.push_str(&body[from..at]);
            out.push('<');
            from = at + open.len();
        } else if rest.starts_with(&close) {
            out.push_str(&body[from..at]);
            out.push_str("</");
            from = at + close.len();
        } else {
            out.push_str(&body[from..at + 1]);
            from = at + 1;
        }
    }
    out.push_str(&body[from..]);
    Some(out)
}

/// For each `<item>` of an RSS document, whether its guid says `isPermaLink="false"`.
pub(super) fn guids_not_links(body: &str) -> Vec<bool> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("<item") {
        rest = &rest[at + 5..];
        if !rest.starts_with(|c: char| c.is_whitespace() || c == '>') {
            continue;
        }
        let item = &rest[..rest.find("</item>").unwrap_or(rest.len())];
        // The guid that is the id: the last with text (an empty one says nothing).
        let mut not_link = false;
        for (at, _) in item.match_indices("<guid") {
            let Some(end) = item[at..].find('>') else {
                break;
            };
            let tag = &item[at..at + end];
            let text = &item[at + end + 1..];
            let text = &text[..text.find("</guid>").unwrap_or(0)];
            if tag.ends_with('/') || text.trim().is_empty() {
                continue;
            }
            let tag = tag.to_ascii_lowercase().replace(' ', "");
            // Anything but "true" says so, as feedparser reads it ("false", "0", "no").
            not_link = tag.find("ispermalink=").is_some_and(|at| {
                let value = tag[at + "ispermalink=".len()..].trim_start_matches(['"', '\'']);
                !value.starts_with("true")
            });
        }
        out.push(not_link);
    }
    out
}

/// The document from its feed root on, when markup that is no feed's comes first: a
/// script's warning printed before the feed (PHP's `<br />\n<b>Warning</b>: ...`). The
/// readers took the `<br />` for the root and found no feed. A page (it names `html`,
/// `head` or `body`, or HTML's doctype) is left as it is, to be told apart as a page.
pub(super) fn past_leading_markup(body: &str) -> &str {
    let head = &body[..floor_char(body, 4096)];
    let Some(first) = first_element_name(head) else {
        return body;
    };
    if is_feed_root(first) {
        return body;
    }
    let Some(at) = ["<rss", "<feed", "<rdf:RDF", "<RDF"]
        .iter()
        .filter_map(|root| {
            head.match_indices(root)
                .find(|(at, _)| {
                    head[at + root.len()..].starts_with(|c: char| c.is_whitespace() || c == '>')
                })
                .map(|(at, _)| at)
        })
        .min()
    else {
        return body;
    };
    let before = head[..at].to_ascii_lowercase();
    // (A feed's own DOCTYPE, `<!DOCTYPE rss ...>`, after the warning is no page's.)
    if ["<html", "<head", "<body", "<!doctype html"]
        .iter()
        .any(|page| before.contains(page))
    {
        return body;
    }
    &body[at..]
}

/// What a document that is no feed is, said in a line: a page, a list of feeds, a
/// sitemap, an image, or the root it has. None when nothing better than the reader's
/// own words can be said.
pub(super) fn what_instead(bytes: &[u8]) -> Option<super::ParseError> {
    use super::ParseError;
    let head = &bytes[..bytes.len().min(4096)];
    let kind = match head {
        [0x89, b'P', b'N', b'G', ..] => Some("a PNG image"),
        [0xff, 0xd8, 0xff, ..] => Some("a JPEG image"),
        [b'G', b'I', b'F', b'8', ..] => Some("a GIF image"),
        [b'%', b'P', b'D', b'F', ..] => Some("a PDF document"),
        [0x1f, 0x8b, ..] => Some("gzip data"),
        // Text has no NUL (UTF-16 and UTF-32, which do, were decoded before: a page
        // in them that is no feed has its root read below).
        _ if head.contains(&0) && super::decode::decode_wide(head).is_none() => Some("binary data"),
        _ => None,
    };
    if let Some(kind) = kind {
        return Some(ParseError::NotAFeed(format!("the document is {kind}")));
    }
    // Only its names are read: any encoding that keeps ASCII as it is will do.
    let text = String::from_utf8_lossy(head);
    // A name from the document goes into a message: no control may reach a terminal.
    let name = crate::sanitize::clean_line(first_element_name(&text)?)
        .chars()
        .take(40)
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match name.as_str() {
        "" => return None,
        "html" | "head" | "body" => ParseError::HtmlPage,
        "opml" => ParseError::NotAFeed(
            "the document is an OPML list of feeds (bulletin import-opml takes it)".into(),
        ),
        "urlset" | "sitemapindex" => {
            ParseError::NotAFeed("the document is a sitemap, not a feed".into())
        }
        root if is_feed_root(root) => ParseError::NotAFeed(format!(
            "the <{root}> holds no feed: no channel, no entries"
        )),
        other => ParseError::NotAFeed(format!(
            "the document's root is <{other}>, not rss, feed or rdf:RDF"
        )),
    })
}

fn first_element_name(text: &str) -> Option<&str> {
    let rest = super::repair::first_element(text)?;
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    // A name starts as XML's do: `<<<` or `< 3` in text is no element.
    let name = &rest[..end];
    name.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == ':')
        .then_some(name)
}

fn is_feed_root(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "rss" | "feed" | "rdf:rdf" | "rdf" | "channel"
    ) || lower.ends_with(":rss")
        || lower.ends_with(":feed")
}

#[cfg(test)]
mod tests {
    /// RSS with every element prefixed: the prefix of an RSS namespace goes (not in
    /// CDATA), another namespace's elements stay as they are.
    #[test]
    fn rss_written_with_a_prefix_is_plain_rss() {
        let body = r#"<?xml version="1.0"?><r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2" xmlns:x="urn:x"><r:channel><r:title>T</r:title><r:item><r:title>A</r:title><x:title>no</x:title><r:description><![CDATA[<r:b>kept</r:b>]]></r:description></r:item></r:channel></r:rss>"#;
        let out = super::reshape(body).unwrap();
        assert!(out.contains("<rss version"), "{out}");
        assert!(
            out.contains("<item><title>A</title><x:title>no</x:title>"),
            "{out}"
        );
        assert!(out.contains("<![CDATA[<r:b>kept</r:b>]]>"), "{out}");
        assert!(out.ends_with("</channel></rss>"), "{out}");
        // A prefix bound to something else is left alone.
        assert!(super::reshape(r#"<r:rss xmlns:r="urn:other"><r:channel/></r:rss>"#).is_none());
    }

    #[test]
    fn rss_loses_its_default_namespace() {
        let body = r#"<rss version="2.0" xmlns="http://backend.userland.com/rss" xmlns:dc="x"><channel/></rss>"#;
        assert_eq!(
            super::reshape(body).unwrap(),
            r#"<rss version="2.0" xmlns:dc="x"><channel/></rss>"#
        );
        assert!(super::reshape(r#"<rss version="2.0"><channel/></rss>"#).is_none());
        assert!(super::reshape(r#"<rss xmlns:content="x"><channel/></rss>"#).is_none());
    }

    #[test]
    fn a_misspelt_atom_namespace_is_atoms() {
        let body = r#"<feed xmlns="http://www.w3.org/2005/Atom/"><title>t</title></feed>"#;
        assert_eq!(
            super::reshape(body).unwrap(),
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>"#
        );
        assert!(super::reshape(r#"<feed xmlns="http://purl.org/atom/ns#"/>"#).is_none());
    }

    #[test]
    fn rss_items_in_an_atom_feed_are_its_entries() {
        let body = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>m</title><item><title>i</title><link>http://a/1</link><description>d</description></item></feed>"#;
        let out = super::reshape(body).unwrap();
        assert!(
            out.contains(r#"<entry><title>i</title><link href="http://a/1"/><summary type="html">d</summary></entry>"#),
            "{out}"
        );
    }

    #[test]
    fn rdf_items_without_a_link_get_their_about() {
        let body = r#"<rdf:RDF><item rdf:about="http://a/1"><title>t</title></item><item rdf:about="http://a/2"><link>http://a/two</link></item><items/></rdf:RDF>"#;
        let out = super::reshape(body).unwrap();
        assert!(out.contains(r#"<item rdf:about="http://a/1"><link>http://a/1</link><title>"#));
        assert_eq!(out.matches("<link>").count(), 2);
    }
}
