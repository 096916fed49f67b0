//! Bytes of a feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to our [`ParsedFeed`].
//!
//! feed-rs does the format work, except for plain RSS 2.0 and Atom, which [`direct`] reads
//! faster with the same result. Around both: [`decode`] finds the charset, [`repair`]
//! makes broken and old-fashioned documents readable (only when they need it), [`dates`]
//! reads dates as they are written in the wild, and [`finish`] cleans what either reader
//! found: one-line titles, web-only absolute links, stable ids, no control characters.

use crate::model::ParsedFeed;
use crate::sanitize::clean_line;

mod atom03_names;
mod atom_in_rss;
mod bases;
mod cdf;
mod channels;
mod codepages;
mod constructs;
mod dates;
mod dates_regional;
pub(crate) mod decode;
mod direct;
mod distinct_ids;
mod enclosures;
mod ends_early;
mod fallbacks;
mod finish;
mod json_feed;
mod looks_html;
mod media_texts;
mod namespaces;
mod rdf_shapes;
#[doc(hidden)]
pub mod repair;
mod rss_links;
mod shapes;
mod source;
mod tags;
mod twice_utf8;
mod xhtml;

pub use decode::decode;
use decode::{looks_like_html, strip_xml_declaration, without_declarations};
pub use ends_early::ends_early;
use finish::finish;
use source::{Source, SourceEntry, SourceLink, SourceText};

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("not a feed: the document looks like an HTML page")]
    HtmlPage,
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("empty document")]
    Empty,
}

/// Parses one feed document. `content_type` is the HTTP Content-Type header, if any;
/// `base_url` is where the feed came from and resolves relative links.
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    base_url: &str,
) -> Result<ParsedFeed, ParseError> {
    // The causes are fixed (the encoding is ours to sniff, the XML is repaired first);
    // this is the last line of defence: nothing from a feed takes the process down.
    std::panic::catch_unwind(|| parse_unguarded(bytes, content_type, base_url)).unwrap_or_else(
        |_| {
            Err(ParseError::NotAFeed(
                "the parser failed on this document".into(),
            ))
        },
    )
}

fn parse_unguarded(
    bytes: &[u8],
    content_type: Option<&str>,
    base_url: &str,
) -> Result<ParsedFeed, ParseError> {
    parse_decoded(bytes, content_type, base_url).map_err(|e| match e {
        // feed-rs's words for a root it does not know, or for text with a `{` in it
        // that is no JSON either ("unable to parse JSON" for `garbage{{{`): the root,
        // or the document's first words, say more.
        ParseError::NotAFeed(why)
            if why.contains("no root element")
                || (why.contains("unable to parse JSON") && !starts_as_json(bytes)) =>
        {
            shapes::what_instead(bytes).unwrap_or_else(|| neither_xml_nor_json(bytes))
        }
        e => e,
    })
}

/// Whether a document's first character (past white space and a BOM) opens JSON.
fn starts_as_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['))
}

/// Text that is neither: said with its first words, cleaned for the terminal.
fn neither_xml_nor_json(bytes: &[u8]) -> ParseError {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let words: String = crate::sanitize::clean_line(&head)
        .chars()
        .take(40)
        .collect();
    ParseError::NotAFeed(format!(
        "the document is neither XML nor JSON (it starts {words:?})"
    ))
}

fn parse_decoded(
    bytes: &[u8],
    content_type: Option<&str>,
    base_url: &str,
) -> Result<ParsedFeed, ParseError> {
    let text = decode(bytes, content_type);
    let mut feed = parse_text(&text, content_type, base_url)?;
    // Read as UTF-8 as they were (the one case where nothing is copied), as feedparser
    // reads the documents whose texts it mends.
    if matches!(text, std::borrow::Cow::Borrowed(_)) {
        twice_utf8::mend(&mut feed);
    }
    Ok(feed)
}

fn parse_text(
    text: &str,
    content_type: Option<&str>,
    base_url: &str,
) -> Result<ParsedFeed, ParseError> {
    let body = strip_xml_declaration(text);
    // (JSON is left as it is: a post about RSS may hold `<rss ` in its first lines.)
    let body = if body.trim_start().starts_with('{') {
        body
    } else if let Some(json) = json_feed::after_warning(body) {
        json
    } else {
        shapes::past_leading_markup(body)
    };
    if body.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    // A Gemini page: a gemlog when its links are dated.
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(str::trim);
    if mime.is_some_and(|m| m.eq_ignore_ascii_case("text/gemini")) {
        return crate::gemini::gemtext::gemlog(text, base_url).ok_or_else(|| {
            ParseError::NotAFeed(
                "a Gemini page with no dated links (=> URL YYYY-MM-DD title): not a gemlog".into(),
            )
        });
    }
    if looks_like_html(body) {
        return Err(ParseError::HtmlPage);
    }
    if body.trim_start().starts_with('{') {
        let source = json_feed::read(body).map_err(ParseError::NotAFeed)?;
        return Ok(finish(source, base_url));
    }
    if json_feed::other_json(body) {
        return Err(ParseError::NotAFeed(
            "a JSON document that is not a JSON Feed (no object at its top)".into(),
        ));
    }
    // Shapes both readers miss, made plain first (a look at the root for feeds that
    // have neither: they pay nothing more).
    let canonical = namespaces::canonical_declarations(body);
    let body = canonical.as_deref().unwrap_or(body);
    let reshaped = shapes::reshape(body);
    let body = reshaped.as_deref().unwrap_or(body);
    // Documents the readers would misread go through the repair first; well-formed
    // feeds are read as they are, and repaired only when that fails or misses.
    if repair::needed_first(body) {
        return read(&repair::repair(body), base_url);
    }
    match read_first(body, base_url) {
        Ok(feed) if !misread(&feed, body) => Ok(feed),
        Ok(feed) => Ok(read(&repair::repair(body), base_url).unwrap_or(feed)),
        Err(e) => read(&repair::repair(body), base_url).map_err(|_| e),
    }
}

/// `read`, for a document not repaired yet: one that the direct reader leaves to
/// feed-rs and that names entities XML does not define (`&nbsp;`, `&eacute;` in XHTML
/// content) is repaired first, since feed-rs took such a document but kept those
/// entities as text, and the reader showed `&eacute;`; so is one that names RSS's
/// elements in another case (`<PubDate>`), which both readers pass by.
fn read_first(body: &str, base_url: &str) -> Result<ParsedFeed, ParseError> {
    let (read, how) = read_how(body, base_url);
    let repair_first = match how {
        How::Direct => false,
        How::FeedRs => repair::names_html_entities(body),
        How::ToRepair => true,
    };
    if repair_first {
        if let Ok(feed) = self::read(&repair::repair(body), base_url) {
            return Ok(feed);
        }
    }
    read
}

fn read(body: &str, base_url: &str) -> Result<ParsedFeed, ParseError> {
    read_how(body, base_url).0
}

/// Which reader read a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Direct,
    FeedRs,
    /// feed-rs, after the direct reader found what the repair mends (see
    /// `direct::Left::ToRepair`).
    ToRepair,
}

/// The feed, and which reader read it.
fn read_how(body: &str, base_url: &str) -> (Result<ParsedFeed, ParseError>, How) {
    let body = without_declarations(body);
    let body = body.as_ref();
    match direct::read(body, links_base(base_url)) {
        Ok(mut source) => {
            fallbacks::fill(&mut source, body);
            (Ok(finish(source, base_url)), How::Direct)
        }
        Err(left) => {
            // What the direct reader gives up on and feed-rs misreads, made plain (a
            // look at the tags first: most such documents need neither pass).
            let gathered = channels::gather(body);
            let body = gathered.as_deref().unwrap_or(body);
            let linked = rss_links::plain(body);
            let body = linked.as_deref().unwrap_or(body);
            let look = tags::look(body);
            let declared = namespaces::declare_used_prefixes(body, &look.prefixes);
            let body = declared.as_deref().unwrap_or(body);
            let plain = (look.markup_in_text || look.odd_type)
                .then(|| constructs::plain_text_elements(body))
                .flatten();
            let how = match left {
                direct::Left::ToRepair => How::ToRepair,
                _ if look.needs_repair => How::ToRepair,
                direct::Left::ToFeedRs => How::FeedRs,
            };
            (
                read_with_feed_rs(plain.as_deref().unwrap_or(body), base_url),
                how,
            )
        }
    }
}

/// A feed read without error that still lost something a repair brings back: items in
/// the wrong case, Dublin Core titles and descriptions standing in for RSS's own.
fn misread(feed: &ParsedFeed, body: &str) -> bool {
    let has = |needle: &str| memchr::memmem::find(body.as_bytes(), needle.as_bytes()).is_some();
    if feed.items.is_empty() {
        let lower = body.to_ascii_lowercase();
        return lower.contains("<item") || lower.contains("<entry");
    }
    (feed.items.iter().any(|i| i.title.is_empty()) && has("dc:title"))
        || (feed
            .items
            .iter()
            .any(|i| i.summary_html.is_none() && i.content_html.is_none())
            && has("dc:description"))
}

/// Both readers on one decoded document, for the differential fuzz target: the direct
/// reader's result (`None` when it leaves the document to feed-rs), and feed-rs's.
#[doc(hidden)]
pub fn read_both_ways(
    body: &str,
    base_url: &str,
) -> (Option<ParsedFeed>, Result<ParsedFeed, ParseError>) {
    let body = strip_xml_declaration(body);
    let direct = direct::read(body, links_base(base_url))
        .ok()
        .map(|s| finish(s, base_url));
    (direct, read_with_feed_rs(body, base_url))
}

/// What the readers resolve a document's relative links against: its address, but for
/// a local file's, against which a link could only name another file (never kept): such
/// links stay as written for `finish` to resolve against the feed's site.
fn links_base(base_url: &str) -> &str {
    let file = base_url
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("file:"));
    if file {
        "about:blank"
    } else {
        base_url
    }
}

fn read_with_feed_rs(body: &str, base_url: &str) -> Result<ParsedFeed, ParseError> {
    // feed-rs would give entries without guid or link a random id on every parse; an
    // empty id here lets `stable_id` below derive one from the content instead.
    // A parser for each reading: one that refused a document keeps state of it.
    let parser = || {
        feed_rs::parser::Builder::new()
            .base_uri(Some(links_base(base_url)))
            .id_generator(|_, _, _| String::new())
            .timestamp_parser(dates::parse)
            .build()
    };
    // Refused for an empty or oddly typed Media RSS text: read again with those mended.
    let mended;
    let (feed, body) = match parser().parse(body.as_bytes()) {
        Ok(feed) => (feed, body),
        Err(e) => {
            let refused = ParseError::NotAFeed(clean_line(&e.to_string()));
            mended = media_texts::mended(body).ok_or(refused)?;
            let feed = parser()
                .parse(mended.as_bytes())
                .map_err(|e| ParseError::NotAFeed(clean_line(&e.to_string())))?;
            (feed, mended.as_str())
        }
    };
    let mut source = Source::from_feed_rs(feed);
    source.base = root_base(body);
    bases::content_bases(&mut source, body, base_url);
    xhtml::keep_as_written(&mut source, body);
    // A local file's or a command's enclosures as written: feed-rs drops those it
    // cannot resolve (all relative ones, against no address), and `finish` resolves
    // them on the site.
    let no_address = url::Url::parse(links_base(base_url)).map_or(true, |u| u.cannot_be_a_base());
    if no_address && memchr::memmem::find(body.as_bytes(), b"<enclosure").is_some() {
        fallbacks::raw_enclosures(&mut source, body);
    }
    // `isPermaLink="false"`, which feed-rs does not keep: such a guid is no link.
    // (In any case: `ispermalink` is written too, and read as such.)
    let has = |n: &[u8]| memchr::memmem::find(body.as_bytes(), n).is_some();
    if has(b"ermaLink") || has(b"ermalink") || has(b"ERMALINK") {
        let marks = shapes::guids_not_links(body);
        if marks.len() == source.entries.len() {
            for (entry, not_link) in source.entries.iter_mut().zip(marks) {
                entry.id_not_link |= not_link;
            }
        }
    }
    // RSS 1.0 names each item by its rdf:about, which feed-rs does not keep: that is the
    // item's id (feedparser's too), where the item has no other.
    if memchr::memmem::find(body.as_bytes(), b"rdf:about").is_some() {
        let abouts = rdf_item_abouts(body);
        if abouts.len() == source.entries.len() {
            for (entry, about) in source.entries.iter_mut().zip(abouts) {
                if entry.id.is_empty() {
                    entry.id = about.unwrap_or_default();
                }
            }
        }
    }
    fallbacks::fill(&mut source, body);
    Ok(finish(source, base_url))
}

/// The root element's `xml:base`, which feed-rs applies to links but does not keep.
fn root_base(body: &str) -> Option<String> {
    let start = body.find('<')?;
    let mut at = start;
    // Past comments and processing instructions to the first element.
    while body[at..].starts_with("<?") || body[at..].starts_with("<!") {
        at += body[at..].find('>')? + 1;
        at += body[at..].find('<')?;
    }
    let tag = &body[at..at + body[at..].find('>')?];
    let value = &tag[tag.find("xml:base=")? + "xml:base=".len()..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(html_escape::decode_html_entities(&value[..value.find(quote)?]).into_owned())
}

/// The rdf:about of each `<item>` of an RSS 1.0 document, in order.
fn rdf_item_abouts(body: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("<item") {
        rest = &rest[at + 5..];
        if !rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            continue;
        }
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let about = tag.find("rdf:about").and_then(|a| {
            let value = tag[a + "rdf:about".len()..]
                .trim_start()
                .strip_prefix('=')?
                .trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let value = &value[1..];
            let end = value.find(quote)?;
            Some(html_escape::decode_html_entities(&value[..end]).into_owned())
        });
        out.push(about);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS_NO_GUID: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title><link>https://example.org/</link>
<item><title>First &amp;nbsp;one</title><description>Hello</description></item>
<item><title>Second</title><link>/posts/2</link></item>
</channel></rss>"#;

    /// A link escaped twice gets its `&` back, and the id made from it (no guid) stays
    /// as it was: the articles already in caches are not new ones.
    #[test]
    fn a_link_escaped_twice_is_mended_after_the_id() {
        let doc = r#"<rss version="2.0"><channel><title>T</title><item><title>A</title><link>http://x.example/p?a=1&amp;amp;b=2</link></item></channel></rss>"#;
        let feed = parse_feed(doc.as_bytes(), None, "https://x.example/feed").unwrap();
        assert_eq!(feed.items[0].guid, "http://x.example/p?a=1&amp;b=2");
        assert_eq!(
            feed.items[0].link.as_deref(),
            Some("http://x.example/p?a=1&b=2")
        );
    }

    #[test]
    fn ids_are_stable_without_guid_or_link() {
        let a = parse_feed(RSS_NO_GUID.as_bytes(), None, "https://example.org/feed").unwrap();
        let b = parse_feed(RSS_NO_GUID.as_bytes(), None, "https://example.org/feed").unwrap();
        assert_eq!(a.items[0].guid, b.items[0].guid);
        assert!(a.items[0].guid.starts_with("sha256:"));
        assert_eq!(a.items[1].guid, "https://example.org/posts/2");
        assert_eq!(
            a.items[1].link.as_deref(),
            Some("https://example.org/posts/2")
        );
    }

    /// Ids of items with neither guid nor link hash the title as the feed wrote it. If
    /// one of these changes, every such item in every cache comes back unread, as a
    /// duplicate: change them only together with a migration of the stored ids.
    #[test]
    fn ids_without_guid_or_link_are_pinned() {
        const FEED: &str = r#"<rss version="2.0"><channel><title>T</title>
<item><title>&lt;b&gt;Patch&lt;/b&gt; now &amp;amp; &amp;nbsp;then</title><description>Body</description></item>
<item><title>  Plain   title </title><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
<item><description>No title at all</description></item>
</channel></rss>"#;
        let feed = parse_feed(FEED.as_bytes(), None, "https://example.org/feed").unwrap();
        let ids: Vec<&str> = feed.items.iter().map(|i| i.guid.as_str()).collect();
        assert_eq!(ids, PINNED_IDS);
    }

    const PINNED_IDS: [&str; 3] = [
        "sha256:5e167e6a5fb3f99c898dab9c456e70a6",
        "sha256:909b0178367514aa058b4a6e02c890cf",
        "sha256:f048df9004aba6668aaf4a9eba09166c",
    ];

    #[test]
    fn entities_in_titles_are_decoded() {
        let feed = parse_feed(RSS_NO_GUID.as_bytes(), None, "https://example.org/feed").unwrap();
        assert_eq!(feed.items[0].title, "First one");
    }

    #[test]
    fn header_charset_wins() {
        let body = b"<rss version=\"2.0\"><channel><title>Caf\xe9</title></channel></rss>";
        let feed = parse_feed(body, Some("text/xml; charset=ISO-8859-1"), "http://x/").unwrap();
        assert_eq!(feed.title.as_deref(), Some("Café"));
    }

    /// A byte-order mark beats the header: a server-wide `charset=utf-8` (or Latin-1)
    /// on a feed written in UTF-16.
    #[test]
    fn a_byte_order_mark_beats_the_header() {
        let text = "<rss version=\"2.0\"><channel><title>Caf\u{e9} \u{2014} w</title>\
                    <item><title>One</title></item></channel></rss>";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, header) in [
            (&le, "application/rss+xml; charset=utf-8"),
            (&be, "application/rss+xml; charset=utf-8"),
            (&le, "text/xml; charset=ISO-8859-1"),
        ] {
            let feed = parse_feed(bytes, Some(header), "http://x/").unwrap();
            assert_eq!(feed.title.as_deref(), Some("Caf\u{e9} \u{2014} w"));
            assert_eq!(feed.items.len(), 1);
        }
    }

    #[test]
    fn html_page_is_not_a_feed() {
        let err = parse_feed(
            b"<!DOCTYPE html><html><body>hi</body></html>",
            None,
            "http://x/",
        );
        assert!(matches!(err, Err(ParseError::HtmlPage)));
    }
}
