//! Bytes of a feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to our [`ParsedFeed`].
//!
//! feed-rs does the format work. Around it this module fixes what feed-rs leaves to the
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
    let text = decode(bytes, content_type);
    let body = strip_xml_declaration(&text);
    if body.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    if looks_like_html(body) {
        return Err(ParseError::HtmlPage);
    }
    // feed-rs would give entries without guid or link a random id on every parse; an
    // empty id here lets `stable_id` below derive one from the content instead.
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base_url))
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser
        .parse(body.as_bytes())
        .map_err(|e| ParseError::NotAFeed(clean_line(&e.to_string())))?;
    Ok(convert(feed, base_url))
}

/// Decodes to UTF-8: the HTTP charset wins, then a BOM, then the XML declaration, then UTF-8.
/// Invalid sequences become U+FFFD rather than failing the whole feed.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let from_header = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()));
    let encoding = from_header
        .or_else(|| Encoding::for_bom(bytes).map(|(enc, _)| enc))
        .or_else(|| declared_encoding(bytes))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(bytes);
    text
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

fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(300)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn convert(feed: Feed, base_url: &str) -> ParsedFeed {
    let base = Url::parse(base_url).ok();
    let title = feed
        .title
        .as_ref()
        .map(text_to_line)
        .filter(|t| !t.is_empty());
    let link = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .and_then(|l| absolute(&l.href, base.as_ref()));
    let description = feed.description.as_ref().map(text_to_line);
    let items = feed
        .entries
        .into_iter()
        .map(|entry| convert_entry(entry, base.as_ref()))
        .collect();
    ParsedFeed {
        title,
        link,
        description,
        items,
    }
}

fn convert_entry(mut entry: Entry, feed_base: Option<&Url>) -> ParsedItem {
    // xml:base on the entry wins over the feed URL for its relative links.
    let entry_base = entry
        .base
        .as_deref()
        .and_then(|b| resolve(b, feed_base))
        .or_else(|| feed_base.cloned());
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())
        .and_then(|l| absolute(&l.href, entry_base.as_ref()));
    let title = entry.title.as_ref().map(text_to_line).unwrap_or_default();
    let author = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().map(author_name))
        .find(|n| !n.is_empty());
    let content_html = entry.content.take().and_then(|c| {
        let html = c.content_type.as_ref().contains("html") || c.content_type.as_ref().is_empty();
        Some(as_html(c.body?, html))
    });
    let summary_html = entry.summary.take().map(|t| {
        let html = t.content_type.as_ref().contains("html");
        as_html(t.content, html)
    });
    let enclosures = enclosures(&entry, entry_base.as_ref());
    let mut item = ParsedItem {
        guid: clean_line(&entry.id),
        title,
        link,
        author,
        published: entry.published,
        updated: entry.updated,
        summary_html,
        content_html,
        enclosures,
    };
    if item.guid.is_empty() {
        item.guid = stable_id(&item);
    }
    item
}

/// The id of an entry that has none of its own: its link, else a hash of what it says.
fn stable_id(item: &ParsedItem) -> String {
    if let Some(link) = &item.link {
        return link.clone();
    }
    let mut hasher = Sha256::new();
    hasher.update(item.title.as_bytes());
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

fn enclosures(entry: &Entry, base: Option<&Url>) -> Vec<Enclosure> {
    let from_media = entry
        .media
        .iter()
        .flat_map(|m| m.content.iter())
        .filter_map(|c| {
            Some(Enclosure {
                url: absolute(c.url.as_ref()?.as_str(), base)?,
                mime: c.content_type.as_ref().map(|t| clean_line(t.as_ref())),
                length: c.size,
            })
        });
    let from_links = entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
        .filter_map(|l| {
            Some(Enclosure {
                url: absolute(&l.href, base)?,
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

/// A title-like text as one clean line: tags dropped, entities (`&nbsp;`, `&amp;`) decoded.
fn text_to_line(text: &Text) -> String {
    let raw = &text.content;
    let is_html = text.content_type.to_string().contains("html");
    let decoded = if is_html && raw.contains('<') {
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
