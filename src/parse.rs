//! Bytes of a feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to our [`ParsedFeed`].
//!
//! feed-rs does the format work, except for plain RSS 2.0 and Atom, which [`direct`] reads
//! faster with the same result. Around both this module fixes what feed-rs leaves to the
//! caller: the charset (HTTP header, BOM or XML declaration, decoded with encoding_rs),
//! ids that stay the same from one parse to the next, entities in titles, relative links,
//! and control characters in every text field.

use crate::model::{Enclosure, ParsedFeed, ParsedItem};
use crate::sanitize::clean_line;
use chrono::{DateTime, Utc};
use encoding_rs::Encoding;
use feed_rs::model::{Entry, Feed, Text};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use url::Url;

mod dates;
mod direct;
mod repair;

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
    let text = decode(bytes, content_type);
    let body = strip_xml_declaration(&text);
    if body.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    if looks_like_html(body) {
        return Err(ParseError::HtmlPage);
    }
    if body.trim_start().starts_with('{') {
        return read(body, base_url);
    }
    // Documents the readers would misread go through the repair first; well-formed
    // feeds are read as they are, and repaired only when that fails or misses.
    if repair::needed_first(body) {
        return read(&repair::repair(body), base_url);
    }
    match read(body, base_url) {
        Ok(feed) if !misread(&feed, body) => Ok(feed),
        Ok(feed) => Ok(read(&repair::repair(body), base_url).unwrap_or(feed)),
        Err(e) => read(&repair::repair(body), base_url).map_err(|_| e),
    }
}

fn read(body: &str, base_url: &str) -> Result<ParsedFeed, ParseError> {
    let body = without_declarations(body);
    let body = body.as_ref();
    match direct::read(body, base_url) {
        Some(source) => Ok(finish(source, base_url)),
        None => read_with_feed_rs(body, base_url),
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
    let direct = direct::read(body, base_url).map(|s| finish(s, base_url));
    (direct, read_with_feed_rs(body, base_url))
}

fn read_with_feed_rs(body: &str, base_url: &str) -> Result<ParsedFeed, ParseError> {
    // feed-rs would give entries without guid or link a random id on every parse; an
    // empty id here lets `stable_id` below derive one from the content instead.
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base_url))
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(dates::parse)
        .build();
    let feed = parser
        .parse(body.as_bytes())
        .map_err(|e| ParseError::NotAFeed(clean_line(&e.to_string())))?;
    let mut source = Source::from_feed_rs(feed);
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
    Ok(finish(source, base_url))
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

/// Decodes to UTF-8: the HTTP charset wins, then a BOM, then the XML declaration, then UTF-8.
/// Invalid sequences become U+FFFD rather than failing the whole feed.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    // UTF-32, and UTF-16 without a byte-order mark, are known by their first bytes;
    // no charset label can be right about such bytes if they say otherwise.
    if let Some(text) = decode_wide(bytes) {
        return Cow::Owned(text);
    }
    let from_header = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()));
    let encoding = from_header
        .or_else(|| Encoding::for_bom(bytes).map(|(enc, _)| enc))
        .or_else(|| declared_encoding(bytes))
        .unwrap_or(encoding_rs::UTF_8);
    let wide = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    // A label of UTF-16 on bytes with no BOM and no zero bytes (sniffed above) lies;
    // so does UTF-8 on bytes that are not UTF-8, which browsers and feedparser then
    // read as Windows-1252.
    let encoding = if wide && Encoding::for_bom(bytes).is_none() {
        encoding_rs::UTF_8
    } else {
        encoding
    };
    if encoding == encoding_rs::UTF_8 {
        // One validation pass, and no copy when the bytes are UTF-8.
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return match std::str::from_utf8(body) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => encoding_rs::WINDOWS_1252.decode(body).0,
        };
    }
    let (text, _, _) = encoding.decode(bytes);
    text
}

/// UTF-32 (with or without BOM) and UTF-16 without BOM, recognised by the zero bytes
/// around the first `<` (the XML specification's appendix F).
fn decode_wide(bytes: &[u8]) -> Option<String> {
    let head: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    let utf32 = |be: bool, skip: usize| -> String {
        bytes[skip..]
            .chunks_exact(4)
            .map(|c| {
                let word = [c[0], c[1], c[2], c[3]];
                let n = if be {
                    u32::from_be_bytes(word)
                } else {
                    u32::from_le_bytes(word)
                };
                char::from_u32(n).unwrap_or('\u{FFFD}')
            })
            .collect()
    };
    match head {
        [0, 0, 0xFE, 0xFF] => Some(utf32(true, 4)),
        [0xFF, 0xFE, 0, 0] => Some(utf32(false, 4)),
        [0, 0, 0, b] if b != 0 => Some(utf32(true, 0)),
        [b, 0, 0, 0] if b != 0 => Some(utf32(false, 0)),
        [0, a, 0, b] if a != 0 && b != 0 => Some(
            encoding_rs::UTF_16BE
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
        [a, 0, b, 0] if a != 0 && b != 0 => Some(
            encoding_rs::UTF_16LE
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
        _ => None,
    }
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case("charset").then(|| {
            value
                .trim()
                .trim_matches('"')
                .trim_matches('\'')
                .to_string()
        })
    })
}

/// The `encoding` of an ASCII-compatible XML declaration, if there is one.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    let head = std::str::from_utf8(head)
        .ok()
        .map(Cow::Borrowed)
        .unwrap_or_else(|| String::from_utf8_lossy(head))
        .into_owned();
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let label = &value[..value.find(quote)?];
    Encoding::for_label(label.as_bytes())
}

/// After decoding, the declaration's `encoding` no longer tells the truth; drop it so that
/// feed-rs reads the UTF-8 we hand it.
fn strip_xml_declaration(text: &str) -> &str {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if let Some(rest) = trimmed.strip_prefix("<?xml") {
        if let Some(end) = rest.find("?>") {
            return &rest[end + 2..];
        }
    }
    trimmed
}

/// The body without any XML declaration left in it (after junk, or twice): the text is
/// UTF-8 by now, and a declaration of another encoding would make the XML reader switch
/// encodings mid-stream, which it cannot (it panics).
fn without_declarations(body: &str) -> Cow<'_, str> {
    let is_decl = |at: usize| {
        body[at + 5..]
            .chars()
            .next()
            .is_some_and(|c| c.is_whitespace() || c == '?')
    };
    let found: Vec<usize> = memchr::memmem::find_iter(body.as_bytes(), b"<?xml")
        .filter(|&at| is_decl(at))
        .collect();
    if found.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    for at in found {
        if at < from {
            continue;
        }
        out.push_str(&body[from..at]);
        from = body[at..].find("?>").map_or(body.len(), |end| at + end + 2);
    }
    out.push_str(&body[from..]);
    Cow::Owned(out)
}

fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(300)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// What a feed says, in the few fields bulletin keeps, before any cleaning. Both readers
/// fill it: [`direct`] for plain RSS 2.0 and Atom, feed-rs for everything else; one
/// cleaning step ([`finish`]) then makes the [`ParsedFeed`], so the two cannot drift.
#[derive(Debug, Default)]
struct Source {
    title: Option<SourceText>,
    links: Vec<SourceLink>,
    description: Option<SourceText>,
    entries: Vec<SourceEntry>,
    /// RSS (any version), where an item's guid is also its permalink when it has no link.
    is_rss: bool,
}

#[derive(Debug)]
struct SourceText {
    body: String,
    html: bool,
}

#[derive(Debug)]
struct SourceLink {
    href: String,
    rel: Option<String>,
    media_type: Option<String>,
    length: Option<u64>,
}

#[derive(Debug, Default)]
struct SourceEntry {
    id: String,
    /// xml:base of the entry, which wins over the feed URL for its relative links.
    base: Option<String>,
    title: Option<SourceText>,
    links: Vec<SourceLink>,
    author_names: Vec<String>,
    content: Option<SourceText>,
    summary: Option<SourceText>,
    /// Media objects (url, type, size), as feed-rs reads enclosures and Media RSS.
    media: Vec<(Option<String>, Option<String>, Option<u64>)>,
    published: Option<DateTime<Utc>>,
    updated: Option<DateTime<Utc>>,
}

impl Source {
    fn from_feed_rs(feed: Feed) -> Source {
        Source {
            title: feed.title.map(SourceText::from_feed_rs),
            links: feed
                .links
                .into_iter()
                .map(SourceLink::from_feed_rs)
                .collect(),
            description: feed.description.map(SourceText::from_feed_rs),
            entries: feed
                .entries
                .into_iter()
                .map(SourceEntry::from_feed_rs)
                .collect(),
            is_rss: matches!(
                feed.feed_type,
                feed_rs::model::FeedType::RSS0
                    | feed_rs::model::FeedType::RSS1
                    | feed_rs::model::FeedType::RSS2
            ),
        }
    }
}

impl SourceText {
    fn from_feed_rs(text: Text) -> SourceText {
        SourceText {
            html: text.content_type.as_ref().contains("html"),
            body: text.content,
        }
    }
}

impl SourceLink {
    fn from_feed_rs(link: feed_rs::model::Link) -> SourceLink {
        SourceLink {
            href: link.href,
            rel: link.rel,
            media_type: link.media_type,
            length: link.length,
        }
    }
}

impl SourceEntry {
    fn from_feed_rs(entry: Entry) -> SourceEntry {
        let media = entry
            .media
            .iter()
            .flat_map(|m| m.content.iter())
            .map(|c| {
                (
                    c.url.as_ref().map(|u| u.to_string()),
                    c.content_type
                        .as_ref()
                        .map(|t| AsRef::<str>::as_ref(t).to_owned()),
                    c.size,
                )
            })
            .collect();
        SourceEntry {
            id: entry.id,
            base: entry.base,
            title: entry.title.map(SourceText::from_feed_rs),
            links: entry
                .links
                .into_iter()
                .map(SourceLink::from_feed_rs)
                .collect(),
            // A person written as an e-mail address alone is named by it (as feedparser
            // does).
            author_names: {
                let mut names: Vec<String> = entry
                    .authors
                    .into_iter()
                    .filter_map(|p| p.name.filter(|n| !n.trim().is_empty()).or(p.email))
                    .collect();
                // A podcast episode's itunes:author, where the item names no one else.
                if names.is_empty() {
                    names.extend(
                        entry
                            .media
                            .iter()
                            .flat_map(|m| m.credits.iter())
                            .map(|c| c.entity.clone()),
                    );
                }
                names
            },
            // A content type feed-rs left empty is taken for HTML. An episode with both a
            // description and an itunes:summary has the second as its content, as
            // feedparser reads it.
            content: entry
                .content
                .and_then(|c| {
                    let ct = c.content_type.as_ref();
                    let html = ct.contains("html") || ct.is_empty();
                    Some(SourceText {
                        body: c.body?,
                        html,
                    })
                })
                .or_else(|| {
                    entry.summary.as_ref()?;
                    entry
                        .media
                        .iter()
                        .find_map(|m| m.description.clone())
                        .map(SourceText::from_feed_rs)
                }),
            // An episode's itunes:summary stands in for a missing description.
            summary: entry.summary.map(SourceText::from_feed_rs).or_else(|| {
                entry
                    .media
                    .iter()
                    .find_map(|m| m.description.clone())
                    .map(SourceText::from_feed_rs)
            }),
            media,
            published: entry.published,
            updated: entry.updated,
        }
    }
}

/// The cleaning step: lines for titles, absolute links, sanitised HTML, stable ids.
fn finish(source: Source, base_url: &str) -> ParsedFeed {
    let base = Url::parse(base_url).ok();
    let title = source
        .title
        .as_ref()
        .map(|t| title_line(t, source.is_rss))
        .filter(|t| !t.is_empty());
    let link = alternate(&source.links)
        .next()
        .and_then(|l| web_link(&l.href, base.as_ref()));
    let description = source.description.as_ref().map(text_to_line);
    let items = source
        .entries
        .into_iter()
        .map(|entry| finish_entry(entry, base.as_ref(), source.is_rss))
        .collect();
    ParsedFeed {
        title,
        link,
        description,
        items,
    }
}

fn alternate(links: &[SourceLink]) -> impl Iterator<Item = &SourceLink> {
    links
        .iter()
        .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
}

fn finish_entry(entry: SourceEntry, feed_base: Option<&Url>, is_rss: bool) -> ParsedItem {
    let entry_base = entry
        .base
        .as_deref()
        .and_then(|b| resolve(b, feed_base))
        .or_else(|| feed_base.cloned());
    let link = alternate(&entry.links)
        .next()
        .or_else(|| entry.links.first())
        .and_then(|l| web_link(&l.href, entry_base.as_ref()))
        // An item with no link but a web address for an id: the id is its permalink
        // (RSS 2.0's isPermaLink default; feedparser reads Atom ids so too).
        .or_else(|| {
            let guid = entry.id.trim();
            (guid.starts_with("http://") || guid.starts_with("https://"))
                .then(|| web_link(guid, entry_base.as_ref()))
                .flatten()
        });
    let title = entry
        .title
        .as_ref()
        .map(|t| title_line(t, is_rss))
        .unwrap_or_default();
    let title_source = entry
        .title
        .as_ref()
        .map(|t| t.body.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let author = entry
        .author_names
        .iter()
        .map(|n| author_name(n))
        .find(|n| !n.is_empty());
    let enclosures = enclosures(&entry, entry_base.as_ref());
    let mut item = ParsedItem {
        guid: clean_line(&entry.id),
        title,
        title_source: Some(title_source),
        link,
        author,
        published: entry.published.filter(in_range),
        updated: entry.updated.filter(in_range),
        summary_html: entry.summary.map(|t| as_html(t.body, t.html)),
        content_html: entry.content.map(|t| as_html(t.body, t.html)),
        enclosures,
    };
    if item.guid.is_empty() {
        item.guid = stable_id(&item);
    }
    item
}

/// Dates a calendar can print: years 1 to 9999 (RFC 3339 has no others).
fn in_range(d: &DateTime<Utc>) -> bool {
    use chrono::Datelike;
    (1..=9999).contains(&d.year())
}

/// The id of an entry that has none of its own: its link, else a hash of what it says,
/// as the feed says it (the title before rendering), so ids outlive renderer changes.
fn stable_id(item: &ParsedItem) -> String {
    if let Some(link) = &item.link {
        return link.clone();
    }
    let mut hasher = Sha256::new();
    hasher.update(
        item.title_source
            .as_deref()
            .unwrap_or(&item.title)
            .as_bytes(),
    );
    hasher.update([0]);
    let date: Option<DateTime<Utc>> = item.published.or(item.updated);
    hasher.update(date.map(|d| d.to_rfc3339()).unwrap_or_default().as_bytes());
    hasher.update([0]);
    hasher.update(item.content_html.as_deref().unwrap_or_default().as_bytes());
    hasher.update(item.summary_html.as_deref().unwrap_or_default().as_bytes());
    let digest = hasher.finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn enclosures(entry: &SourceEntry, base: Option<&Url>) -> Vec<Enclosure> {
    let from_media = entry.media.iter().filter_map(|(url, mime, size)| {
        Some(Enclosure {
            url: web_link(url.as_deref()?, base)?,
            mime: mime.as_deref().map(clean_line),
            length: *size,
        })
    });
    let from_links = entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
        .filter_map(|l| {
            Some(Enclosure {
                url: web_link(&l.href, base)?,
                mime: l.media_type.as_deref().map(clean_line),
                length: l.length,
            })
        });
    let mut out: Vec<Enclosure> = Vec::new();
    for enc in from_media.chain(from_links) {
        if !out.iter().any(|e| e.url == enc.url) {
            out.push(enc);
        }
    }
    out
}

/// RSS writes authors as `mail@example.org (Name)`: keep the name.
fn author_name(raw: &str) -> String {
    let cleaned = clean_line(raw);
    match (cleaned.find('('), cleaned.ends_with(')')) {
        (Some(open), true) if open + 1 < cleaned.len() - 1 => {
            cleaned[open + 1..cleaned.len() - 1].trim().to_string()
        }
        _ => cleaned,
    }
}

/// A title as one clean line. RSS says nothing of a title's type, and feeds put escaped
/// HTML in them (`&lt;b&gt;New&lt;/b&gt;`): read as HTML when it has a tag, as feedparser
/// and browsers do.
fn title_line(text: &SourceText, is_rss: bool) -> String {
    if is_rss && !text.html && has_tag(&text.body) {
        return text_to_line(&SourceText {
            body: text.body.clone(),
            html: true,
        });
    }
    text_to_line(text)
}

/// Whether text holds something that looks like an HTML tag: `<` then a letter, `/` or
/// `!`, and a `>` after it.
fn has_tag(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        let rest = &text[at + 1..];
        rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
            && rest.contains('>')
    })
}

/// A title-like text as one clean line: tags dropped, entities (`&nbsp;`, `&amp;`) decoded.
fn text_to_line(text: &SourceText) -> String {
    let raw = &text.body;
    let decoded = if text.html && raw.contains('<') {
        crate::render::html_to_line(raw)
    } else {
        // Feeds often escape twice, so entities survive the XML layer: decode them here.
        html_escape::decode_html_entities(raw).into_owned()
    };
    clean_line(&decoded.replace('\u{a0}', " "))
}

/// Content as HTML: text/plain bodies are escaped and split into paragraphs. Takes the
/// body by value: clean HTML, the common case, is passed on without a copy.
fn as_html(body: String, is_html: bool) -> String {
    let body = crate::sanitize::clean_owned(body);
    if is_html {
        return body;
    }
    body.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", html_escape::encode_text(p.trim())))
        .collect::<Vec<_>>()
        .join("\n")
}

fn resolve(href: &str, base: Option<&Url>) -> Option<Url> {
    let href = href.trim();
    match Url::parse(href) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok(),
        Err(_) => None,
    }
}

/// An absolute, clean URL string for a link from the feed, or None when it cannot be made one.
/// A link of a feed, an item or an enclosure: absolute, and only where a reader may go
/// (http, https, mailto). `javascript:`, `data:`, `file:` and the like are dropped.
fn web_link(href: &str, base: Option<&Url>) -> Option<String> {
    let cleaned = clean_line(href);
    if cleaned.is_empty() {
        return None;
    }
    resolve(&cleaned, base)
        .filter(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
        .map(|u| u.to_string())
}

pub fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let cleaned = clean_line(href);
    if cleaned.is_empty() {
        return None;
    }
    resolve(&cleaned, base).map(|u| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS_NO_GUID: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title><link>https://example.org/</link>
<item><title>First &amp;nbsp;one</title><description>Hello</description></item>
<item><title>Second</title><link>/posts/2</link></item>
</channel></rss>"#;

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
