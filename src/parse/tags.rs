//! A quick look at a document's tags, for the documents the direct reader leaves to
//! feed-rs: whether a text element holds markup, whether an Atom text construct has a
//! `type` feed-rs refuses, and which namespace prefixes the elements use. One pass over
//! the `<`s (CDATA sections and comments skipped whole), no allocation but the list of
//! prefixes, so that feeds needing none of the passes after it pay little for asking.

/// What the look found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Look<'a> {
    /// An element starts inside a text element (`<description><p>`).
    pub markup_in_text: bool,
    /// An Atom text construct says a `type` other than `text`, `html` or `xhtml`.
    pub odd_type: bool,
    /// The prefixes element names use, each once.
    pub prefixes: Vec<&'a str>,
    /// What the repair mends and both readers pass by: an RSS or Atom element named in
    /// another case than its format's (`<PubDate>`, `<pubdate>`), an item inside an
    /// item, an attribute value without quotes. (The direct reader finds the first two
    /// itself in the documents it reads, and gives up on the third.)
    pub needs_repair: bool,
}

/// How far a tag's `>` is looked for, for `unquoted_value`.
const TAG_AT_MOST: usize = 4096;

/// Whether a tag's attributes have a value without quotes (`href=https://…`, as HTML
/// allows): the readers drop such an attribute, the repair quotes it.
fn unquoted_value(b: &[u8]) -> bool {
    let mut quote = None;
    for (i, &c) in b.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'=') => {
                let value = b[i + 1..].trim_ascii_start();
                if value.first().is_some_and(|c| !matches!(c, b'"' | b'\'')) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

pub(super) fn look(body: &str) -> Look<'_> {
    let mut found = Look::default();
    let b = body.as_bytes();
    let mut atom: Option<bool> = None;
    let mut in_text = false;
    let mut items_open = 0usize;
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[at..]) {
        at += lt + 1;
        let rest = &body[at..];
        match rest.as_bytes().first() {
            Some(b'/') => {
                in_text = false;
                if rest[1..].starts_with("item") && !rest[5..].starts_with(is_name_char) {
                    items_open = items_open.saturating_sub(1);
                }
                continue;
            }
            Some(b'!') => {
                // A CDATA section or a comment is skipped whole: its `<`s are text.
                let end = if rest.starts_with("![CDATA[") {
                    memchr::memmem::find(rest.as_bytes(), b"]]>")
                } else if rest.starts_with("!--") {
                    memchr::memmem::find(rest.as_bytes(), b"-->")
                } else {
                    None
                };
                if let Some(end) = end {
                    at += end;
                }
                continue;
            }
            Some(b'?') | None => continue,
            _ => {}
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        if name.is_empty() {
            continue;
        }
        if in_text {
            found.markup_in_text = true;
        }
        if !found.needs_repair {
            // Within a tag's likely length: a `<` that starts no tag (`if a<b`) must not
            // send the look to the end of the text each time (quadratic in `<`s).
            let near = &rest.as_bytes()[name_end..rest.len().min(name_end + TAG_AT_MOST)];
            if let Some(end) = memchr::memchr(b'>', near) {
                found.needs_repair = unquoted_value(&near[..end]);
            }
        }
        let (prefix, local) = match name.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, name),
        };
        if let Some(p) = prefix {
            if !found.prefixes.contains(&p) {
                found.prefixes.push(p);
            }
        } else if !found.needs_repair {
            let empty = rest[..rest.find('>').unwrap_or(rest.len())].ends_with('/');
            if local == "item" && !empty {
                found.needs_repair = items_open > 0;
                items_open += 1;
            } else if local.bytes().any(|c| c.is_ascii_uppercase())
                || matches!(
                    local,
                    "pubdate" | "lastbuilddate" | "managingeditor" | "webmaster"
                )
            {
                let lower = local.to_ascii_lowercase();
                found.needs_repair =
                    super::repair::canonical_name(&lower).is_some_and(|c| c != local);
            }
        }
        let is_atom = *atom.get_or_insert(local == "feed");
        let text = is_text_element(is_atom, prefix.is_some(), local);
        if !text {
            in_text = false;
            continue;
        }
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let mut markup_expected = false;
        if is_atom && prefix.is_none() {
            if let Some(kind) = attribute(tag, "type") {
                match kind {
                    "text" | "html" => {}
                    "xhtml" => markup_expected = true,
                    _ => found.odd_type = true,
                }
            }
        }
        in_text = !tag.ends_with('/') && !markup_expected;
    }
    found
}

/// Whether an element holds text (HTML or plain) rather than other elements: an Atom
/// text construct, RSS's title and description, and the modules' text elements (the
/// one list `constructs` escapes by, and this look finds markup in).
pub(super) fn is_text_element(atom: bool, prefixed: bool, local: &str) -> bool {
    match (atom, prefixed) {
        (true, false) => matches!(
            local,
            "title"
                | "subtitle"
                | "summary"
                | "content"
                | "rights"
                | "tagline"
                | "info"
                | "copyright"
        ),
        (false, false) => matches!(local, "title" | "description"),
        (_, true) => matches!(
            local,
            "encoded" | "description" | "title" | "summary" | "subtitle"
        ),
    }
}

pub(super) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

/// An attribute's value in a start tag, as written (quotes off).
pub(super) fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
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
        let value = &value[1..];
        return Some(&value[..value.find(quote)?]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::look;

    #[test]
    fn markup_in_text_odd_types_and_prefixes_are_seen_and_cdata_is_text() {
        let plain = look(
            "<rss><channel><title>T</title><item><description><![CDATA[<p>x</p>]]></description>\
             <!-- <b>no</b> --><itunes:author>A</itunes:author><enclosure url='x'/></item></channel></rss>",
        );
        assert!(!plain.markup_in_text && !plain.odd_type);
        assert_eq!(plain.prefixes, ["itunes"]);
        assert!(
            look("<rss><channel><item><description><p>x</p></description></item></channel></rss>")
                .markup_in_text
        );
        assert!(
            look("<rss><item><content:encoded>a<br/>b</content:encoded></item></rss>")
                .markup_in_text
        );
        let atom =
            "<feed><title type=\"xhtml\"><div>x</div></title><link type=\"text/html\" href=\"/\"/>\
                    <entry><content type='html'>&lt;p&gt;</content></entry></feed>";
        assert_eq!(look(atom), Default::default());
        assert!(
            look("<feed><entry><content type=\"text/plain\">x</content></entry></feed>").odd_type
        );
        assert!(look("<feed><title>A <b>b</b></title></feed>").markup_in_text);
    }

    /// An unquoted attribute value is the repair's; `=` inside a quoted one is not.
    #[test]
    fn an_unquoted_attribute_value_needs_the_repair() {
        let atom = |link: &str| format!("<feed><entry>{link}</entry></feed>");
        assert!(look(&atom("<link rel=\"alternate\" href=https://a.example/1/>")).needs_repair);
        assert!(look(&atom("<link href = /relative/>")).needs_repair);
        assert!(!look(&atom("<link href=\"https://a.example/?a=b&amp;c=d\"/>")).needs_repair);
        assert!(!look(&atom("<link title='x = y' href = 'https://a.example/'/>")).needs_repair);
    }
}
