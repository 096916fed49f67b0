//! Links written into RSS as Atom writes them (`<link href="..."/>`, a template's slip,
//! and podcast tools' `<link rel="enclosure" href=... type=... length=.../>`), made
//! plain RSS for feed-rs, which reads a link's text only: the page link as `<link>`'s
//! text, an enclosure as `<enclosure>`. feedparser reads both. Prefixed links
//! (`atom:link`) are Atom's own and left alone.

/// The document with such links made plain, or None when it has none (or is no RSS).
pub(super) fn plain(body: &str) -> Option<String> {
    let head = &body[..super::shapes::floor_char(body, 4096)];
    if !head.contains("<rss") || !body.contains("<link ") {
        return None;
    }
    let mut out = String::with_capacity(body.len() + 64);
    let mut from = 0;
    let mut changed = false;
    while let Some(found) = body[from..].find("<link ") {
        let at = from + found;
        let Some(len) = body[at..].find('>') else {
            break;
        };
        let tag = &body[at..at + len + 1];
        out.push_str(&body[from..at]);
        from = at + tag.len();
        // `<link href="..."/>`, or `<link href="..."></link>` with nothing inside.
        let empty = tag.ends_with("/>");
        if !empty && !body[from..].starts_with("</link>") {
            out.push_str(tag);
            continue;
        }
        match rewritten(tag) {
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

/// A `<link ...>` start tag with an `href`, as plain RSS; None to leave it.
fn rewritten(tag: &str) -> Option<String> {
    let href = attribute(tag, "href")?;
    let rel = attribute(tag, "rel").map(|r| r.to_ascii_lowercase());
    match rel.as_deref() {
        None | Some("alternate") => Some(format!("<link>{href}</link>")),
        Some("enclosure") => {
            let mut enclosure = format!("<enclosure url=\"{href}\"");
            for name in ["type", "length"] {
                if let Some(v) = attribute(tag, name) {
                    enclosure.push_str(&format!(" {name}=\"{v}\""));
                }
            }
            enclosure.push_str("/>");
            Some(enclosure)
        }
        _ => None,
    }
}

/// An attribute's raw value (as escaped in the document) in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    loop {
        let at = rest.find(name)?;
        let before = rest[..at].chars().next_back();
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let end = value[1..].find(quote)?;
        return Some(&value[1..1 + end]);
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn atom_style_links_in_rss_are_plain_rss() {
        let doc = "<rss version=\"2.0\"><channel><item><link href=\"http://e.example/1\"/>\
                   <link rel=\"enclosure\" type=\"audio/mpeg\" length=\"9\" href=\"http://e.example/a.mp3\"/>\
                   <atom:link rel=\"self\" href=\"http://e.example/feed\"/></item></channel></rss>";
        assert_eq!(
            plain(doc).unwrap(),
            "<rss version=\"2.0\"><channel><item><link>http://e.example/1</link>\
             <enclosure url=\"http://e.example/a.mp3\" type=\"audio/mpeg\" length=\"9\"/>\
             <atom:link rel=\"self\" href=\"http://e.example/feed\"/></item></channel></rss>"
        );
        let open = "<rss><channel><link href='http://e.example/'></link></channel></rss>";
        assert_eq!(
            plain(open).unwrap(),
            "<rss><channel><link>http://e.example/</link></channel></rss>"
        );
        assert_eq!(plain("<rss><channel><link>x</link></channel></rss>"), None);
    }
}
