//! RSS items where neither reader looks for them: before the `<channel>`, after its
//! end, in a wrapper element inside it (`<items><item>…</item></items>`), or in a
//! second channel (two documents served as one). feedparser takes an `<item>` wherever
//! it stands; both readers read only the items that are children of the first channel,
//! so these are moved there.
//!
//! This pass looks through the whole document, so it runs only for documents the
//! direct reader leaves: it gives up on the shapes above (it reads the root to its
//! end), and the rest of what it reads (nearly every RSS 2.0 feed) pays nothing.

/// The document with its stray items moved into the first channel, or None when it
/// has none (or is no RSS 2.0 document, or has a channel inside a channel: left as
/// it is).
pub(super) fn gather(body: &str) -> Option<String> {
    let Some(open) = find_tag(body, "<channel") else {
        return channel_for(body);
    };
    // RSS 0.9x and 2.0 only: RSS 1.0's channel has an `<items>` of its own.
    let root = find_tag(&body[..open], "<rss")?;
    let open_end = open + body[open..].find('>')? + 1;
    if body[open..open_end].ends_with("/>") {
        return None;
    }
    let close = open_end + body[open_end..].find("</channel>")?;
    let inside = &body[open_end..close];
    if find_tag(inside, "<channel").is_some() {
        return None;
    }
    let after = &body[close + "</channel>".len()..];
    let (before_rest, before_items) = take_items(&body[root..open]);
    let (after_rest, mut after_items) = take_items(after);
    // A second channel that repeats the first one's items word for word (one document
    // served twice over) adds none of them again.
    if !after_items.is_empty() {
        let (_, own) = take_items(inside);
        let own: std::collections::HashSet<&str> = split_items(&own).collect();
        after_items = split_items(&after_items)
            .filter(|i| !own.contains(i))
            .collect();
    }
    let unwrapped = unwrap_items(inside);
    if before_items.is_empty() && after_items.is_empty() && unwrapped.is_none() {
        return None;
    }
    let mut out = String::with_capacity(body.len() + 32);
    out.push_str(&body[..root]);
    out.push_str(&before_rest);
    out.push_str(&body[open..open_end]);
    out.push_str(&before_items);
    out.push_str(unwrapped.as_deref().unwrap_or(inside));
    out.push_str(&after_items);
    out.push_str("</channel>");
    out.push_str(&after_rest);
    Some(out)
}

/// An `<rss>` whose title, link and items stand in it with no `<channel>` around them
/// (hand-made feeds, a template's slip), given one: feedparser reads such items.
fn channel_for(body: &str) -> Option<String> {
    let root = find_tag(body, "<rss")?;
    let open_end = root + body[root..].find('>')? + 1;
    if body[root..open_end].ends_with("/>") || find_tag(&body[open_end..], "<item").is_none() {
        return None;
    }
    let close = body.rfind("</rss>").filter(|&c| c >= open_end);
    let (inside, after) = match close {
        Some(c) => (&body[open_end..c], &body[c..]),
        None => (&body[open_end..], ""),
    };
    let mut out = String::with_capacity(body.len() + 24);
    out.push_str(&body[..open_end]);
    out.push_str("<channel>");
    out.push_str(inside);
    out.push_str("</channel>");
    out.push_str(after);
    Some(out)
}

/// Where a start tag named `name` (with its `<`) first stands: followed by white space,
/// `>` or `/`, so that `<item` does not find `<items>`; never inside a comment or a
/// CDATA section (a draft item commented out is no item).
fn find_tag(s: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + s[from..].find(name)?;
        let hidden = [("<!--", "-->"), ("<![CDATA[", "]]>")]
            .iter()
            .filter_map(|(open, close)| {
                let start = from + s[from..at].find(open)?;
                Some((start, *close))
            })
            .min();
        if let Some((start, close)) = hidden {
            // Past the comment or section the first one found opens (to the end, if
            // it never closes).
            from = s[start..]
                .find(close)
                .map_or(s.len(), |e| start + e + close.len());
            continue;
        }
        let after = &s[at + name.len()..];
        if after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            return Some(at);
        }
        from = at + name.len();
    }
}

/// `s` without its whole `<item>` elements, and those elements in their order.
fn take_items(s: &str) -> (String, String) {
    let mut rest = String::new();
    let mut items = String::new();
    let mut from = 0;
    while let Some(found) = find_tag(&s[from..], "<item") {
        let at = from + found;
        let Some(tag_len) = s[at..].find('>') else {
            break;
        };
        let tag_end = at + tag_len + 1;
        if s[at..tag_end].ends_with("/>") {
            rest.push_str(&s[from..tag_end]);
            from = tag_end;
            continue;
        }
        // An item cut off with the document stays where it is.
        let Some(end) = s[tag_end..].find("</item>") else {
            break;
        };
        let end = tag_end + end + "</item>".len();
        rest.push_str(&s[from..at]);
        items.push_str(&s[at..end]);
        from = end;
    }
    rest.push_str(&s[from..]);
    (rest, items)
}

/// Whole items, as `take_items` put them one after another, one by one.
fn split_items(items: &str) -> impl Iterator<Item = &str> {
    items
        .split_inclusive("</item>")
        .filter(|i| !i.trim().is_empty())
}

/// The channel's content without the `<items>` and `</items>` tags around items.
fn unwrap_items(inside: &str) -> Option<String> {
    let open = find_tag(inside, "<items")?;
    let open_end = open + inside[open..].find('>')? + 1;
    let close = open_end + inside[open_end..].find("</items>")?;
    find_tag(&inside[open_end..close], "<item")?;
    let mut out = String::with_capacity(inside.len());
    out.push_str(&inside[..open]);
    out.push_str(&inside[open_end..close]);
    out.push_str(&inside[close + "</items>".len()..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\">";

    #[test]
    fn items_of_a_second_channel_join_the_first() {
        let body = format!(
            "{HEAD}<channel><title>A</title><item><title>1</title></item></channel>\
             <channel><title>B</title><item><title>2</title></item></channel></rss>"
        );
        assert_eq!(
            gather(&body).unwrap(),
            format!(
                "{HEAD}<channel><title>A</title><item><title>1</title></item>\
                 <item><title>2</title></item></channel><channel><title>B</title></channel></rss>"
            )
        );
    }

    #[test]
    fn items_after_the_channels_end_are_the_channels() {
        let body = format!(
            "{HEAD}<channel><title>A</title><item><title>1</title></item></channel>\
             <item><title>2</title></item>\n</rss>"
        );
        assert_eq!(
            gather(&body).unwrap(),
            format!(
                "{HEAD}<channel><title>A</title><item><title>1</title></item>\
                 <item><title>2</title></item></channel>\n</rss>"
            )
        );
    }

    #[test]
    fn items_before_the_channel_and_in_a_wrapper_are_the_channels() {
        let body = format!(
            "{HEAD}<item><title>0</title></item><channel><title>A</title>\
             <items><item><title>1</title></item></items></channel></rss>"
        );
        assert_eq!(
            gather(&body).unwrap(),
            format!(
                "{HEAD}<channel><item><title>0</title></item><title>A</title>\
                 <item><title>1</title></item></channel></rss>"
            )
        );
    }

    #[test]
    fn items_in_comments_stay_there_and_repeated_items_come_once() {
        let body = format!(
            "{HEAD}<!-- <item><title>Draft</title></item> --><channel><title>A</title>\
             <item><title>1</title></item></channel><!-- <channel><item><title>Old</title></item></channel> -->\
             <channel><title>B</title><item><title>1</title></item><item><title>2</title></item></channel></rss>"
        );
        let out = gather(&body).unwrap();
        assert!(
            out.contains("<!-- <item><title>Draft</title></item> --><channel>"),
            "{out}"
        );
        assert!(
            out.contains("<item><title>1</title></item><item><title>2</title></item></channel><!-- <channel><item><title>Old"),
            "{out}"
        );
        assert_eq!(out.matches("<title>1</title>").count(), 1, "{out}");
    }

    #[test]
    fn items_with_no_channel_get_one() {
        let doc = "<rss version=\"2.0\"><title>Loose</title><item><title>A</title></item></rss>";
        assert_eq!(
            gather(doc).unwrap(),
            "<rss version=\"2.0\"><channel><title>Loose</title><item><title>A</title></item></channel></rss>"
        );
        assert_eq!(
            gather("<rss version=\"2.0\"><title>No items</title></rss>"),
            None
        );
    }

    #[test]
    fn plain_feeds_and_other_shapes_are_left_alone() {
        for body in [
            format!("{HEAD}<channel><title>A</title><item><title>1</title></item></channel></rss>"),
            // RSS 1.0: its <items> lists the items, it does not hold them.
            "<rdf:RDF><channel><items><rdf:Seq/></items></channel><item><title>1</title></item></rdf:RDF>"
                .to_string(),
            format!("{HEAD}<channel><channel><item/></channel></channel><item><title>x</title></item></rss>"),
            format!("{HEAD}<channel><title>A</title></channel><item><title>cut"),
        ] {
            assert_eq!(gather(&body), None, "{body}");
        }
    }
}
