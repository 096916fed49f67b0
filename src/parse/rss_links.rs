//! Enclosures written into RSS as Atom writes them (`<link rel="enclosure" href=...
//! type=... length=.../>`, podcast tools), made plain RSS `<enclosure>`s for feed-rs,
//! which reads a link's text only; feedparser reads them. (An item's own link written
//! so, `<link href="..."/>`, is read by `fallbacks`, after the id.) Prefixed links
//! (`atom:link`) are Atom's own and left alone; so is what comments and CDATA hold.

/// The document with such enclosures made plain, or None when it has none (or is no RSS).
pub(super) fn plain(body: &str) -> Option<String> {
    let head = &body[..super::shapes::floor_char(body, 4096)];
    // Every podcast has `<enclosure>`s; only a quoted "enclosure" (a rel's value, in
    // any case) can be this shape, and a document without one is not copied.
    if !head.contains("<rss") || !quoted_enclosure(body) {
        return None;
    }
    let mut out = String::with_capacity(body.len() + 64);
    let mut from = 0;
    let mut changed = false;
    while let Some(found) = body[from..].find('<') {
        let at = from + found;
        let rest = &body[at..];
        // Past what a comment or a CDATA section holds, as it is.
        if let Some(end) = super::shapes::past_hidden(body, at) {
            out.push_str(&body[from..end]);
            from = end;
            continue;
        }
        let is_link =
            rest.starts_with("<link") && rest[5..].starts_with(|c: char| c.is_ascii_whitespace());
        let Some(len) = rest.find('>').filter(|_| is_link) else {
            out.push_str(&body[from..at + 1]);
            from = at + 1;
            continue;
        };
        let tag = &rest[..len + 1];
        out.push_str(&body[from..at]);
        from = at + tag.len();
        // `<link .../>`, or `<link ...></link>` with nothing inside.
        let empty = tag.ends_with("/>");
        match enclosure(tag).filter(|_| empty || body[from..].starts_with("</link>")) {
            Some(new) => {
                out.push_str(&new);
                changed = true;
                if !empty {
                    from += "</link>".len();
                }
            }
            None => out.push_str(tag),
        }
    }
    out.push_str(&body[from..]);
    changed.then_some(out)
}

/// Whether `enclosure` stands quoted somewhere in `body` (`"enclosure"`, `'Enclosure'`).
fn quoted_enclosure(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr2_iter(b'"', b'\'', bytes).any(|at| {
        bytes
            .get(at + 1..at + 10)
            .is_some_and(|word| word.eq_ignore_ascii_case(b"enclosure"))
            && bytes.get(at + 10) == Some(&bytes[at])
    })
}

/// A `<link rel="enclosure" href=...>` start tag as an `<enclosure>`; None to leave it.
fn enclosure(tag: &str) -> Option<String> {
    use super::tags::attribute;
    let href = attribute(tag, "href")?;
    if !attribute(tag, "rel")?.eq_ignore_ascii_case("enclosure") {
        return None;
    }
    let mut enclosure = format!("<enclosure url=\"{href}\"");
    for name in ["type", "length"] {
        if let Some(v) = attribute(tag, name) {
            enclosure.push_str(&format!(" {name}=\"{v}\""));
        }
    }
    enclosure.push_str("/>");
    Some(enclosure)
}

#[cfg(test)]
mod tests {
    use super::plain;

    /// Only a quoted "enclosure" makes the document worth a pass: a podcast's own
    /// `<enclosure>`s do not.
    #[test]
    fn only_a_quoted_enclosure_is_looked_for() {
        assert!(super::quoted_enclosure(
            "<link rel=\"enclosure\" href=\"a\"/>"
        ));
        assert!(super::quoted_enclosure("<link REL='Enclosure' href='a'/>"));
        assert!(!super::quoted_enclosure(
            "<enclosure url=\"a.mp3\" type=\"audio/mpeg\"/><p>\"enclosures\"</p>"
        ));
        let podcast = "<rss><channel><item><enclosure url=\"http://e.example/a.mp3\"/></item></channel></rss>";
        assert_eq!(plain(podcast), None);
    }

    #[test]
    fn enclosures_written_as_atom_links_are_rss_enclosures() {
        let doc = "<rss version=\"2.0\"><channel><item><link href=\"http://e.example/1\"/>\
                   <link\trel=\"enclosure\" type=\"audio/mpeg\" length=\"9\" href=\"http://e.example/a.mp3\"/>\
                   <description><![CDATA[<link rel=\"enclosure\" href=\"x\"/>]]></description>\
                   <atom:link rel=\"enclosure\" href=\"http://e.example/b.mp3\"/></item></channel></rss>";
        assert_eq!(
            plain(doc).unwrap(),
            "<rss version=\"2.0\"><channel><item><link href=\"http://e.example/1\"/>\
             <enclosure url=\"http://e.example/a.mp3\" type=\"audio/mpeg\" length=\"9\"/>\
             <description><![CDATA[<link rel=\"enclosure\" href=\"x\"/>]]></description>\
             <atom:link rel=\"enclosure\" href=\"http://e.example/b.mp3\"/></item></channel></rss>"
        );
        assert_eq!(plain("<rss><channel><link>x</link></channel></rss>"), None);
    }

    /// A link read by a later version than an item's id (`<link href>`, on either
    /// reader's path) is its link and no part of its id: the items already stored keep
    /// theirs (they came back as new). An id keeps the invisible characters lines lose.
    #[test]
    fn links_read_later_leave_ids_as_they_were() {
        let parse = |doc: &str| {
            crate::parse::parse_feed(doc.as_bytes(), None, "http://e.example/feed").unwrap()
        };
        let direct = "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title>\
                      <link href=\"http://e.example/1\"/><description>x</description></item></channel></rss>";
        // A prefix declared on a child element sends the document to feed-rs.
        let feed_rs = direct.replace(
            "<description>",
            "<p:c xmlns:p=\"http://podlove.org/simple-chapters\"/><description>",
        );
        for doc in [direct.to_string(), feed_rs] {
            let with = parse(&doc);
            let without = parse(&doc.replace("<link href=\"http://e.example/1\"/>", ""));
            assert_eq!(
                with.items[0].link.as_deref(),
                Some("http://e.example/1"),
                "{doc}"
            );
            assert_eq!(with.items[0].guid, without.items[0].guid, "{doc}");
        }
        let zw = "<rss version=\"2.0\"><channel><title>T</title><item><title>A\u{200b}B</title>\
                  <guid>post-1\u{200b}</guid></item></channel></rss>";
        let item = &parse(zw).items[0];
        assert_eq!(item.guid, "post-1\u{200b}");
        assert_eq!(item.title, "AB");
    }
}
