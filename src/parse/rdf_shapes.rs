//! RSS 1.0 documents (RDF) made plain for feed-rs, which reads only RSS 1.0's own
//! namespace, items beside the channel, and items with a `<link>`: a default namespace
//! spelt otherwise (`https://`, without its slash, in capitals), RSS 0.90's, or none;
//! items written inside the channel; items whose address is only their `rdf:about`.
//! feedparser reads all of these by their element names.

const RSS1: &str = "http://purl.org/rss/1.0/";

/// The document reshaped, or None when it needs nothing. `head` is its first kilobyte,
/// where the root's start tag is.
pub(super) fn reshape(body: &str, head: &str) -> Option<String> {
    let named = namespace(body, head);
    let body_now = named.as_deref().unwrap_or(body);
    let moved = items_out_of_channel(body_now);
    let body_now = moved.as_deref().unwrap_or(body_now);
    let linked = links(body_now);
    let body_now = linked.as_deref().unwrap_or(body_now);
    rss2_names(body_now).or(linked).or(moved).or(named)
}

/// The root's default namespace made RSS 1.0's (added when it has none).
fn namespace(body: &str, head: &str) -> Option<String> {
    let start = head.find("<rdf:RDF")?;
    let end = start + head[start..].find('>')?;
    let tag = &head[start..end];
    match default_namespace(tag) {
        Some((_, uri)) if uri == RSS1 => None,
        Some((at, uri)) => {
            let at = start + at;
            Some(format!("{}{RSS1}{}", &body[..at], &body[at + uri.len()..]))
        }
        None => {
            let at = start + "<rdf:RDF".len();
            Some(format!("{} xmlns=\"{RSS1}\"{}", &body[..at], &body[at..]))
        }
    }
}

/// The value of a start tag's `xmlns="..."` (not `xmlns:x=`), with where it starts.
fn default_namespace(tag: &str) -> Option<(usize, &str)> {
    tag.match_indices("xmlns").find_map(|(at, _)| {
        let before = tag[..at].chars().next_back()?;
        if !before.is_whitespace() {
            return None;
        }
        let rest = tag[at + 5..].trim_start();
        let value = rest.strip_prefix('=')?.trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let len = value[1..].find(quote)?;
        let from = tag.len() - value.len() + 1;
        Some((from, &tag[from..from + len]))
    })
}

/// Items written inside `<channel>`: the channel is closed before the first of them.
fn items_out_of_channel(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    let open = memchr::memmem::find(bytes, b"<channel")?;
    let close = open + memchr::memmem::find(&bytes[open..], b"</channel>")?;
    let inside = &body[open..close];
    let item = inside.match_indices("<item").find_map(|(at, _)| {
        inside[at + 5..]
            .starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .then_some(open + at)
    })?;
    let mut out = String::with_capacity(body.len());
    out.push_str(&body[..item]);
    out.push_str("</channel>");
    out.push_str(&body[item..close]);
    out.push_str(&body[close + "</channel>".len()..]);
    Some(out)
}

/// RSS 1.0 items with an `rdf:about` and no `<link>` get one (feed-rs drops such items).
/// An item with neither (RSS 0.90's, a hand-made one) gets an address that is none:
/// not being a web address it is no link, and the item's id is made from its text, as
/// an RSS 2.0 item's with neither guid nor link (feedparser reads such items).
fn links(body: &str) -> Option<String> {
    rewrite_items(body, |tag, inner| {
        if inner.contains("<link") {
            return None;
        }
        Some(match about_of(tag).filter(|a| !a.trim().is_empty()) {
            Some(about) => format!("<link>{about}</link>{inner}"),
            None => format!("<link>{NO_LINK}</link>{inner}"),
        })
    })
}

/// The address an item with none is given for feed-rs (see `links`).
const NO_LINK: &str = "urn:x-bulletin:no-link";

/// RSS 2.0's `<pubDate>` and `<author>` in RSS 1.0 items (generators that write both
/// formats mix them) as Dublin Core's `dc:date` and `dc:creator`, which feed-rs reads
/// in RSS 1.0; feedparser reads them by name. An item's own Dublin Core wins. (A `dc`
/// prefix left undeclared is declared with the others before feed-rs reads.)
fn rss2_names(body: &str) -> Option<String> {
    const RENAMES: [(&str, &str, &str, &str); 2] = [
        ("<pubDate>", "</pubDate>", "<dc:date>", "</dc:date>"),
        ("<author>", "</author>", "<dc:creator>", "</dc:creator>"),
    ];
    let bytes = body.as_bytes();
    if !RENAMES
        .iter()
        .any(|(open, ..)| memchr::memmem::find(bytes, open.as_bytes()).is_some())
    {
        return None;
    }
    rewrite_items(body, |_, inner| {
        let mut out: Option<String> = None;
        for (open, close, new_open, new_close) in RENAMES {
            let now = out.as_deref().unwrap_or(inner);
            let dc = &new_open[..new_open.len() - 1];
            if now.contains(open) && !now.contains(dc) {
                out = Some(now.replace(open, new_open).replace(close, new_close));
            }
        }
        out
    })
}

/// The document with each item's content (between `<item ...>` and `</item>`) replaced
/// by what `rewrite` makes of the start tag and the content, where it makes something;
/// None when it made nothing. Self-closing items and `<items>` are passed by.
fn rewrite_items(
    body: &str,
    mut rewrite: impl FnMut(&str, &str) -> Option<String>,
) -> Option<String> {
    let mut out = String::with_capacity(body.len() + 256);
    let mut from = 0;
    let mut changed = false;
    while let Some(found) = body[from..].find("<item") {
        let at = from + found;
        let Some(tag_len) = body[at..].find('>') else {
            break;
        };
        let tag_end = at + tag_len + 1;
        let tag = &body[at..tag_end];
        out.push_str(&body[from..tag_end]);
        from = tag_end;
        let boundary = tag[5..].starts_with(|c: char| c.is_whitespace() || c == '>');
        if !boundary || tag.ends_with("/>") {
            continue;
        }
        let item_end = body[tag_end..]
            .find("</item>")
            .map_or(body.len(), |e| tag_end + e);
        let inner = &body[tag_end..item_end];
        match rewrite(tag, inner) {
            Some(new) => {
                out.push_str(&new);
                changed = true;
            }
            None => out.push_str(inner),
        }
        from = item_end;
    }
    out.push_str(&body[from..]);
    changed.then_some(out)
}

/// The value of `rdf:about="..."` in a start tag (already escaped as XML text needs).
fn about_of(tag: &str) -> Option<&str> {
    let at = tag.find("rdf:about=")? + "rdf:about=".len();
    let rest = &tag[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(&value[..value.find(quote)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reshaped(body: &str) -> String {
        reshape(body, &body[..body.len().min(1024)]).unwrap_or_else(|| body.to_string())
    }

    #[test]
    fn the_default_namespace_becomes_rss_1_0s() {
        let rdf = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"";
        for ns in [
            " xmlns=\"https://purl.org/rss/1.0/\"",
            " xmlns='http://purl.org/rss/1.0'",
            "\n  xmlns = \"http://my.netscape.com/rdf/simple/0.9/\"",
            "",
        ] {
            let body = format!("{rdf}{ns}><channel><title>C</title></channel></rdf:RDF>");
            let out = reshaped(&body);
            assert_eq!(
                default_namespace(&out[..out.find('>').unwrap()]).map(|(_, u)| u),
                Some(RSS1),
                "{out}"
            );
            assert!(out.contains("xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""));
        }
        let right = format!("{rdf} xmlns=\"{RSS1}\"><channel/></rdf:RDF>");
        assert_eq!(reshape(&right, &right), None);
    }

    #[test]
    fn rss_2_dates_and_authors_in_items_become_dublin_cores() {
        let body = format!(
            "<rdf:RDF xmlns=\"{RSS1}\"><channel><title>C</title><pubDate>x</pubDate></channel>\
             <item rdf:about=\"http://e.example/1\"><link>http://e.example/1</link>\
             <pubDate>Tue, 04 Mar 2025 09:15:00 GMT</pubDate><author>a@e.example (Ann)</author></item>\
             <item rdf:about=\"http://e.example/2\"><link>http://e.example/2</link>\
             <pubDate>Wed, 05 Mar 2025 09:15:00 GMT</pubDate><dc:date>2025-03-06</dc:date></item>\
             </rdf:RDF>"
        );
        let out = reshaped(&body);
        assert!(
            out.contains("<channel><title>C</title><pubDate>x</pubDate>"),
            "{out}"
        );
        assert!(
            out.contains("<dc:date>Tue, 04 Mar 2025 09:15:00 GMT</dc:date><dc:creator>a@e.example (Ann)</dc:creator>"),
            "{out}"
        );
        // The item's own dc:date stays the one read.
        assert!(
            out.contains(
                "<pubDate>Wed, 05 Mar 2025 09:15:00 GMT</pubDate><dc:date>2025-03-06</dc:date>"
            ),
            "{out}"
        );
        let plain = format!("<rdf:RDF xmlns=\"{RSS1}\"><item><link>l</link></item></rdf:RDF>");
        assert_eq!(rss2_names(&plain), None);
    }

    #[test]
    fn items_inside_the_channel_come_out_of_it() {
        let body = format!(
            "<rdf:RDF xmlns=\"{RSS1}\"><channel><title>C</title><items/>\
             <item rdf:about=\"http://e.example/1\"><title>t</title><link>http://e.example/1</link></item>\
             </channel></rdf:RDF>"
        );
        let out = reshaped(&body);
        assert!(
            out.contains("<items/></channel><item rdf:about") && out.ends_with("</item></rdf:RDF>"),
            "{out}"
        );
    }
}
