//! A direct reader for the plainest RSS 2.0 and Atom documents, the bulk of what people
//! subscribe to.
//!
//! feed-rs reads every format and every extension, and most of a cold refresh's CPU went
//! into its general event machinery (namespace resolution, an owned copy of every
//! name, attribute and text on the way). This reader walks quick-xml's borrowed events
//! once and keeps only the fields bulletin stores. It must give what feed-rs gives, so it
//! reads a narrow subset and gives up (returns `None`) on anything outside it: feed-rs
//! then reads the document from the start, so a give-up costs time, never correctness.
//! Outside the subset: DOCTYPEs, xml:base, namespace declarations below the root, a
//! default namespace other than Atom's, undeclared prefixes, iTunes, Podcast and Media
//! RSS elements, RSS enclosures, markup inside a text field, XHTML or out-of-line
//! content, dates that need feed-rs's repairs, authors whose e-mail address is not plainly
//! delimited, and every syntax error (feed-rs then words the error).
//!
//! The tests in this module hold the two readers to the same output.

use super::{Source, SourceEntry, SourceLink, SourceText};
use chrono::{DateTime, Utc};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use url::Url;

/// Reads `body` (UTF-8, without its XML declaration), or `None` to leave it to feed-rs.
pub(super) fn read(body: &str, base_url: &str) -> Option<Source> {
    let base = Url::parse(base_url).ok()?;
    let mut doc = Doc::new(body, base);
    let root = doc.root()?;
    let local = local_name(&root)?;
    doc.declare(&root)?;
    match local {
        "rss" if attr(&root, "version")?.as_deref() == Some("2.0") && doc.default_ns.is_none() => {
            doc.rss()
        }
        "feed" if doc.default_ns.as_deref().is_none_or(|ns| ns == ATOM_NS) => doc.atom(),
        _ => None,
    }
}

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The namespaces whose elements this reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No prefix: RSS in an RSS document, Atom in an Atom one.
    Plain,
    Atom,
    Content,
    DublinCore,
    WellFormedWeb,
    /// iTunes, Podcast, Media RSS, RSS 1.0: feed-rs reads things from them.
    Unsupported,
    /// Anything else: ignored by both readers.
    Other,
}

fn namespace(uri: &str) -> Ns {
    match uri {
        ATOM_NS => Ns::Atom,
        "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
        "http://purl.org/dc/elements/1.1/" => Ns::DublinCore,
        "http://wellformedweb.org/CommentAPI/" => Ns::WellFormedWeb,
        "http://www.itunes.com/dtds/podcast-1.0.dtd"
        | "https://podcastindex.org/namespace/1.0"
        | "http://search.yahoo.com/mrss/"
        | "http://purl.org/rss/1.0/" => Ns::Unsupported,
        _ => Ns::Other,
    }
}

/// Which link a `<link>`-like element adds, as feed-rs tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    Plain,
    /// RSS `<comments>`: dropped when another link has the same address.
    Comments,
}

struct Doc<'a> {
    body: &'a str,
    reader: Reader<&'a [u8]>,
    base: Url,
    default_ns: Option<String>,
    prefixes: Vec<(String, Ns)>,
}

/// `None` everywhere below means "give up": the `?` operator carries it out.
type Step<T> = Option<T>;

impl<'a> Doc<'a> {
    fn new(body: &'a str, base: Url) -> Doc<'a> {
        let mut reader = Reader::from_str(body);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.trim_markup_names_in_closing_tags = true;
        config.check_end_names = true;
        Doc {
            body,
            reader,
            base,
            default_ns: None,
            prefixes: Vec::new(),
        }
    }

    fn next(&mut self) -> Step<Event<'a>> {
        match self.reader.read_event().ok()? {
            // A second declaration (it can switch the encoding) or a DTD (entities): feed-rs.
            Event::Decl(_) | Event::DocType(_) => None,
            event => Some(event),
        }
    }

    /// The first element, past comments, processing instructions and whitespace.
    fn root(&mut self) -> Step<BytesStart<'a>> {
        loop {
            match self.next()? {
                Event::Start(e) => return Some(e),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return None,
            }
        }
    }

    /// Namespace declarations: on the root only; below it they are left to feed-rs.
    fn declare(&mut self, root: &BytesStart) -> Step<()> {
        for a in root.attributes() {
            let a = a.ok()?;
            let key = a.key.as_ref();
            if key == "xmlns" {
                self.default_ns = Some(unescape(&a.value));
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                let uri = unescape(&a.value);
                // An undeclaration is not allowed on a prefix in XML 1.0.
                if uri.is_empty() {
                    return None;
                }
                self.prefixes.push((prefix.to_string(), namespace(&uri)));
            } else if key == "xml:base" {
                return None;
            }
        }
        Some(())
    }

    /// The namespace and local name of an element below the root.
    fn name<'e>(&self, e: &'e BytesStart) -> Step<(Ns, &'e str)> {
        for a in e.attributes() {
            let a = a.ok()?;
            let key = a.key.as_ref();
            if key == "xml:base" || key == "xmlns" || key.starts_with("xmlns:") {
                return None;
            }
        }
        let full = qname(e)?;
        match full.split_once(':') {
            None => Some((Ns::Plain, full)),
            Some((prefix, local)) => {
                let ns = self
                    .prefixes
                    .iter()
                    .rev()
                    .find(|(p, _)| p == prefix)
                    .map(|(_, ns)| *ns)?;
                Some((ns, local))
            }
        }
    }

    /// The next child element of the element being read, `None` inside at its end.
    /// Text, comments and the like between children mean nothing to either reader.
    fn child(&mut self) -> Step<Option<BytesStart<'a>>> {
        loop {
            match self.next()? {
                Event::Start(e) => return Some(Some(e)),
                Event::End(_) => return Some(None),
                Event::Eof => return None,
                _ => {}
            }
        }
    }

    /// Skips the rest of an element whose start was just read. Names are still checked:
    /// feed-rs fails a whole document on a bad xml:base anywhere in it.
    fn skip(&mut self) -> Step<()> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Event::Start(e) => {
                    self.name(&e)?;
                    depth += 1;
                }
                Event::End(_) => depth -= 1,
                Event::Eof => return None,
                _ => {}
            }
        }
        Some(())
    }

    /// The text of an element whose start was just read, up to its end, as feed-rs
    /// gathers it: text, CDATA and references in one run, unknown entities kept as
    /// written, comments skipped. `None` inside when the element is empty; gives up on
    /// an element inside.
    fn text(&mut self) -> Step<Option<String>> {
        // The common case, text and references straight up to the end tag, is read here
        // in one pass over the input: as quick-xml events, every `&lt;` of an escaped
        // HTML body would be an event of its own.
        let rest: &'a [u8] = self.reader.get_ref();
        let offset = self.body.len() - rest.len();
        // `<title/>`: the reader has yet to hand out its end, and what follows is not its text.
        if self.body[..offset].ends_with("/>") {
            return self.text_events();
        }
        let tail = &self.body[offset..];
        let end = memchr::memchr(b'<', tail.as_bytes()).unwrap_or(tail.len());
        if !tail[end..].starts_with("</") {
            return self.text_events();
        }
        let text = unescape_text(&tail[..end])?;
        // The reader goes on from the end tag, which it checks against the start tag.
        *self.reader.get_mut() = &rest[end..];
        match self.next()? {
            Event::End(_) => Some(text),
            _ => None,
        }
    }

    /// [`Doc::text`] from quick-xml's events, for text with CDATA or comments in it.
    fn text_events(&mut self) -> Step<Option<String>> {
        let mut out: Option<String> = None;
        loop {
            match self.next()? {
                Event::Text(t) => {
                    if !t.is_empty() {
                        out.get_or_insert_with(String::new).push_str(&t);
                    }
                }
                Event::CData(t) => {
                    if !t.is_empty() {
                        out.get_or_insert_with(String::new).push_str(&t);
                    }
                }
                Event::GeneralRef(r) => {
                    push_reference(out.get_or_insert_with(String::new), &r)?;
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::End(_) => return Some(out),
                _ => return None,
            }
        }
    }

    /// A link as feed-rs makes one from a text (RSS) or an attribute (Atom).
    fn link(&self, raw: &str, rel: Option<String>) -> SourceLink {
        let href = match resolve(raw, &self.base) {
            Some(url) => url.to_string(),
            None => raw.to_string(),
        };
        SourceLink {
            href: href.trim().to_string(),
            rel,
            media_type: None,
            length: None,
        }
    }

    // ---- RSS 2.0 ----

    fn rss(&mut self) -> Step<Source> {
        // The first <channel> under the root; feed-rs reads nothing after it.
        while let Some(e) = self.child()? {
            if self.name(&e)?.1 == "channel" {
                return self.channel();
            }
            self.skip()?;
        }
        None
    }

    fn channel(&mut self) -> Step<Source> {
        let mut feed = Source {
            is_rss: true,
            ..Source::default()
        };
        while let Some(e) = self.child()? {
            match self.name(&e)? {
                (Ns::Plain, "title") => feed.title = self.text()?.map(plain),
                (Ns::Plain, "link") => {
                    if let Some(s) = self.text()? {
                        feed.links.push(self.link(&s, None));
                    }
                }
                (Ns::Atom, "link") => feed.links.extend(self.atom_link(&e)?),
                (Ns::Plain, "description") => feed.description = self.text()?.map(plain),
                (Ns::Plain, "item") => feed.entries.push(self.item()?),
                (Ns::Unsupported, _) => return None,
                _ => self.skip()?,
            }
        }
        Some(feed)
    }

    fn item(&mut self) -> Step<SourceEntry> {
        let mut entry = SourceEntry::default();
        let mut links: Vec<(SourceLink, LinkKind)> = Vec::new();
        while let Some(e) = self.child()? {
            match self.name(&e)? {
                (Ns::Plain, "title") => entry.title = self.text()?.map(plain),
                (Ns::Plain, "link") | (Ns::WellFormedWeb, "commentRss" | "commentRSS") => {
                    if let Some(s) = self.text()? {
                        links.push((self.link(&s, None), LinkKind::Plain));
                    }
                }
                (Ns::Plain, "comments") => {
                    if let Some(s) = self.text()? {
                        links.push((self.link(&s, None), LinkKind::Comments));
                    }
                }
                (Ns::Plain, "description") => entry.summary = self.text()?.map(html),
                (Ns::Plain, "author") | (Ns::DublinCore, "creator") => {
                    if let Some(raw) = self.text()? {
                        entry.author_names.extend(person_name(&raw)?);
                    }
                }
                (Ns::Plain, "guid") => {
                    if let Some(guid) = self.text()? {
                        entry.id = guid.trim().to_string();
                    }
                }
                (Ns::Plain, "pubDate") | (Ns::DublinCore, "date") => {
                    entry.published = self.date()?;
                }
                (Ns::Plain, "updated") | (Ns::Atom, "updated") => entry.updated = self.date()?,
                (Ns::Content, "encoded") => {
                    // Unlike the other fields, an empty body here means no content.
                    entry.content = self
                        .text()?
                        .filter(|s| !s.is_empty())
                        .map(|body| SourceText { body, html: true });
                }
                (Ns::Plain, "enclosure") | (Ns::Unsupported, _) => return None,
                _ => self.skip()?,
            }
        }
        if entry.updated.is_none() {
            entry.updated = entry.published;
        }
        // A comments link to where another link already points adds nothing.
        let targets: Vec<String> = links
            .iter()
            .filter(|(_, kind)| *kind != LinkKind::Comments)
            .map(|(l, _)| l.href.clone())
            .collect();
        entry.links = links
            .into_iter()
            .filter(|(l, kind)| *kind != LinkKind::Comments || !targets.contains(&l.href))
            .map(|(l, _)| l)
            .collect();
        Some(entry)
    }

    /// A date element: `None` inside when empty; gives up on what strict parsing refuses.
    fn date(&mut self) -> Step<Option<DateTime<Utc>>> {
        match self.text()? {
            None => Some(None),
            Some(text) => Some(Some(parse_date(&text)?)),
        }
    }

    // ---- Atom ----

    fn atom(&mut self) -> Step<Source> {
        let mut feed = Source::default();
        while let Some(e) = self.child()? {
            match self.atom_name(&e)? {
                (Ns::Atom, "title") => feed.title = Some(self.text_construct(&e)?),
                (Ns::Atom, "subtitle") => feed.description = Some(self.text_construct(&e)?),
                (Ns::Atom, "link") => feed.links.extend(self.atom_link(&e)?),
                (Ns::Atom, "rights") => {
                    self.text_construct(&e)?;
                }
                (Ns::Atom, "entry") => feed.entries.push(self.entry()?),
                (Ns::Unsupported, _) => return None,
                _ => self.skip()?,
            }
        }
        Some(feed)
    }

    /// In an Atom document, unprefixed elements are Atom's.
    fn atom_name<'e>(&self, e: &'e BytesStart) -> Step<(Ns, &'e str)> {
        let (ns, local) = self.name(e)?;
        Some((if ns == Ns::Plain { Ns::Atom } else { ns }, local))
    }

    fn entry(&mut self) -> Step<SourceEntry> {
        let mut entry = SourceEntry::default();
        while let Some(e) = self.child()? {
            match self.atom_name(&e)? {
                (Ns::Atom, "id") => {
                    if let Some(id) = self.text()? {
                        entry.id = id;
                    }
                }
                (Ns::Atom, "title") => entry.title = Some(self.text_construct(&e)?),
                (Ns::Atom, "updated") => {
                    if let Some(date) = self.date()? {
                        entry.updated = Some(date);
                    }
                }
                (Ns::Atom, "published" | "pubDate") => {
                    if let Some(date) = self.date()? {
                        entry.published = Some(date);
                    }
                }
                (Ns::Atom, "author") => {
                    if let Some(name) = self.atom_person()? {
                        entry.author_names.push(name);
                    }
                }
                (Ns::Atom, "content") => {
                    if attr(&e, "src")?.is_some() {
                        return None;
                    }
                    entry.content = Some(self.text_construct(&e)?);
                }
                (Ns::Atom, "summary") => entry.summary = Some(self.text_construct(&e)?),
                (Ns::Atom, "link") => entry.links.extend(self.atom_link(&e)?),
                (Ns::Atom, "rights") => {
                    self.text_construct(&e)?;
                }
                (Ns::WellFormedWeb, "commentRss" | "commentRSS") => {
                    if let Some(s) = self.text()? {
                        entry.links.push(self.link(&s, None));
                    }
                }
                (Ns::Unsupported, _) => return None,
                _ => self.skip()?,
            }
        }
        Some(entry)
    }

    /// `<link href=.. rel=.. type=.. length=..>`, read to its end; no href, no link. rel
    /// defaults to alternate.
    fn atom_link(&mut self, e: &BytesStart) -> Step<Option<SourceLink>> {
        self.skip()?;
        let Some(href) = attr(e, "href")? else {
            return Some(None);
        };
        let mut link = self.link(&href, None);
        link.rel = Some(attr(e, "rel")?.unwrap_or_else(|| "alternate".to_string()));
        link.media_type = attr(e, "type")?;
        link.length = attr(e, "length")?.and_then(|l| l.parse().ok());
        Some(Some(link))
    }

    /// An Atom text construct: plain or HTML text; XHTML and markup inside give up.
    fn text_construct(&mut self, e: &BytesStart) -> Step<SourceText> {
        let html = match attr(e, "type")?.as_deref() {
            None | Some("text") => false,
            Some("html" | "text/html") => true,
            _ => return None,
        };
        let body = trim_owned(self.text()?.unwrap_or_default());
        Some(SourceText { body, html })
    }

    /// An Atom person's name; `None` inside when it has none.
    fn atom_person(&mut self) -> Step<Option<String>> {
        let mut name = None;
        let mut email = None;
        while let Some(e) = self.child()? {
            let (_, local) = self.name(&e)?;
            match local {
                "name" => {
                    if let Some(n) = self.text()? {
                        name = Some(n);
                    }
                }
                "email" => {
                    if let Some(m) = self.text()? {
                        email = Some(m);
                    }
                }
                "uri" => {
                    self.text()?;
                }
                _ => self.skip()?,
            }
        }
        // No name: the address stands for the person, as it does in the feed-rs reader.
        Some(name.filter(|n| !n.trim().is_empty()).or(email))
    }
}

/// Character data with references, as quick-xml tokenises it and feed-rs joins it: a
/// reference runs from `&` to the next `;`; a `&` with another `&` (or the end) before
/// any `;` is an error, which leaves the document to feed-rs. `None` inside for no text.
fn unescape_text(raw: &str) -> Step<Option<String>> {
    if raw.is_empty() {
        return Some(None);
    }
    let Some(first) = memchr::memchr(b'&', raw.as_bytes()) else {
        return Some(Some(raw.to_string()));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    while let Some(after_amp) = rest.strip_prefix('&') {
        let stop = memchr::memchr2(b';', b'&', after_amp.as_bytes())?;
        if after_amp.as_bytes()[stop] != b';' {
            return None;
        }
        push_reference(&mut out, &BytesRef::new(&after_amp[..stop]))?;
        let tail = &after_amp[stop + 1..];
        let next = memchr::memchr(b'&', tail.as_bytes()).unwrap_or(tail.len());
        out.push_str(&tail[..next]);
        rest = &tail[next..];
    }
    Some(Some(out))
}

/// A character or entity reference as feed-rs resolves it: characters and the five XML
/// entities; any other entity is kept as written. A bad character reference gives up.
fn push_reference(out: &mut String, r: &BytesRef) -> Step<()> {
    if let Some(ch) = r.resolve_char_ref().ok()? {
        out.push(ch);
        return Some(());
    }
    let name: &str = r;
    match quick_xml::escape::resolve_predefined_entity(name) {
        Some(resolved) => out.push_str(resolved),
        None => {
            out.push('&');
            out.push_str(name);
            out.push(';');
        }
    }
    Some(())
}

/// feed-rs's resolution: unlike [`super::resolve`], no trimming first.
fn resolve(raw: &str, base: &Url) -> Option<Url> {
    match Url::parse(raw) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.join(raw).ok(),
        Err(_) => None,
    }
}

fn plain(body: String) -> SourceText {
    SourceText {
        body: trim_owned(body),
        html: false,
    }
}

fn html(body: String) -> SourceText {
    SourceText {
        body: trim_owned(body),
        html: true,
    }
}

/// `s.trim()` without copying what stays: bodies run to megabytes.
fn trim_owned(mut s: String) -> String {
    s.truncate(s.trim_end().len());
    let start = s.len() - s.trim_start().len();
    s.drain(..start);
    s
}

/// An RSS author (`<author>`, `<dc:creator>`) as feed-rs splits it into a name: with an
/// e-mail address in it, the longer of the text before and after the address (so
/// `desk@example.org (Ingrid Sol)` gives `(Ingrid Sol)`, which the cleaning step
/// unwraps). Only one plainly delimited address is read here; `mailto:`, several `@`
/// and the like are left to feed-rs. `None` inside when there is no name.
fn person_name(raw: &str) -> Step<Option<String>> {
    let Some(at) = raw.find('@') else {
        return Some(Some(raw.trim().to_string()));
    };
    if raw[at + 1..].contains('@') || raw.contains("<[(") || raw.contains(">])") {
        return None;
    }
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    // Local and domain characters are ASCII, so scanning bytes finds char boundaries.
    let start = raw.as_bytes()[..at]
        .iter()
        .rposition(|&b| !local_ok(b as char))
        .map_or(0, |i| i + 1);
    let end = raw[at + 1..]
        .find(|c: char| !domain_ok(c))
        .map_or(raw.len(), |i| at + 1 + i);
    let local = &raw[start..at];
    let (host, tld) = raw[at + 1..end].rsplit_once('.')?;
    let before = raw[..start].chars().next_back();
    let after = raw[end..].chars().next();
    let plain_start = local.starts_with(|c: char| c.is_ascii_alphanumeric())
        && before.is_none_or(|c| c.is_ascii_whitespace() || c == '<' || c == '(');
    let plain_end = tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !host.is_empty()
        && after.is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == ')');
    if !plain_start || !plain_end {
        return None;
    }
    let name = if start > raw.len() - end {
        &raw[..start - 1]
    } else if end < raw.len() {
        &raw[end + 1..]
    } else {
        ""
    };
    let name = name.trim();
    // An address alone names the person by itself, as feed-rs's e-mail (and feedparser).
    Some(Some(if name.is_empty() {
        raw[start..end].to_string()
    } else {
        name.to_string()
    }))
}

/// RFC 3339, then RFC 2822, both strict. What feed-rs reads only after its repairs
/// (a wrong weekday, "UTC", long month names) is left to feed-rs.
fn parse_date(text: &str) -> Step<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn qname<'e>(e: &'e BytesStart) -> Step<&'e str> {
    Some(e.name().into_inner())
}

fn local_name<'e>(e: &'e BytesStart) -> Step<&'e str> {
    let full = qname(e)?;
    Some(full.rsplit(':').next().unwrap_or(full))
}

/// An attribute's value, unescaped as feed-rs does (kept as written when that fails).
fn attr(e: &BytesStart, name: &str) -> Step<Option<String>> {
    for a in e.attributes() {
        let a = a.ok()?;
        if a.key.as_ref() == name {
            return Some(Some(unescape(&a.value)));
        }
    }
    Some(None)
}

fn unescape(raw: &str) -> String {
    quick_xml::escape::unescape(raw)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::{finish, read_with_feed_rs};
    use super::*;
    use crate::model::ParsedFeed;
    use proptest::prelude::*;

    const BASE: &str = "https://example.org/blog/feed.xml";

    /// The direct reader's result, after checking that feed-rs reads the same.
    fn same_as_feed_rs(body: &str) -> Option<ParsedFeed> {
        let direct = read(body, BASE).map(|s| finish(s, BASE));
        if let Some(direct) = &direct {
            match read_with_feed_rs(body, BASE) {
                Ok(slow) => assert_eq!(direct, &slow, "the readers differ on:\n{body}"),
                Err(e) => panic!("feed-rs refused ({e}) what the direct reader read:\n{body}"),
            }
        }
        direct
    }

    fn rss(items: &str) -> String {
        format!(
            r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<!-- generator comment --><channel><title>Weekly &amp; more</title>
<atom:link href="https://example.org/feed" rel="self" type="application/rss+xml"/>
<link>https://example.org/</link><description>All the &lt;b&gt;news&lt;/b&gt;</description>
<language>en</language><sy:updatePeriod>daily</sy:updatePeriod>
<image><url>/logo.png</url><title>Logo</title><link>/</link></image>
{items}</channel></rss>"#
        )
    }

    fn atom(entries: &str) -> String {
        format!(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
<title type="html">Release &lt;i&gt;notes&lt;/i&gt;</title><subtitle>What changed</subtitle>
<id>urn:x</id><updated>2026-11-01T00:00:00Z</updated><link rel="self" href="/feed.atom"/>
<link href="/"/><author><name>Team</name></author><rights>CC</rights>
<generator uri="https://gen.example/">gen</generator>{entries}</feed>"#
        )
    }

    #[test]
    fn plain_rss_is_read_directly_and_as_feed_rs_reads_it() {
        let body = rss(r#"
<item><title>First &#233;dition &nbsp; <![CDATA[with <b>CDATA</b>]]></title>
 <link> /posts/1 </link><guid isPermaLink="true"> https://example.org/posts/1 </guid>
 <comments>https://example.org/posts/1#comments</comments>
 <wfw:commentRss>https://example.org/posts/1/feed</wfw:commentRss>
 <pubDate>Fri, 30 Oct 2026 22:57:00 +0000</pubDate><dc:creator>Ana <!-- c --> Lee</dc:creator>
 <category>news</category><description><![CDATA[<p>Summary &amp; <a href="/x">link</a></p>]]></description>
 <content:encoded>&lt;p&gt;Full &lt;img src="img.png"&gt;&lt;/p&gt;</content:encoded></item>
<item><title/><description>Only a description, no guid or link</description>
 <dc:date>2026-11-02T10:00:00+01:00</dc:date><content:encoded></content:encoded></item>
<item><comments>/c/3</comments><link>/c/3</link><author>Someone</author>
 <updated>2026-11-03T00:00:00Z</updated><pubDate>Tue, 3 Nov 2026 09:05:00 GMT</pubDate></item>
<item><author>desk@example.org (Ingrid Sol)</author><author>Bo Li &lt;bo@example.co.uk&gt;</author></item>
"#);
        let feed = same_as_feed_rs(&body).expect("read directly");
        assert_eq!(feed.items.len(), 4);
        assert_eq!(feed.items[3].author.as_deref(), Some("Ingrid Sol"));
        assert_eq!(feed.title.as_deref(), Some("Weekly & more"));
        assert_eq!(feed.link.as_deref(), Some("https://example.org/"));
        assert_eq!(
            feed.items[0].link.as_deref(),
            Some("https://example.org/posts/1")
        );
        assert_eq!(feed.items[0].author.as_deref(), Some("Ana Lee"));
        assert!(feed.items[1].guid.starts_with("sha256:"));
    }

    #[test]
    fn plain_atom_is_read_directly_and_as_feed_rs_reads_it() {
        let body = atom(
            r#"
<entry><title type="html">A &lt;b&gt;bold&lt;/b&gt; title</title><id> tag:x,2026:1 </id>
 <link href="/posts/1"/><link rel="enclosure" type="audio/mpeg" length="123" href="/a.mp3"/>
 <link rel="replies" href="/posts/1#c"/><updated>2026-11-01T10:00:00Z</updated>
 <published>2026-10-31T10:00:00-05:00</published><author><name> Bo </name><email>b@x.org</email></author>
 <content type="html">&lt;p&gt;Hello&lt;/p&gt;</content><summary>Plain summary</summary>
 <category term="x"/><contributor><name>C</name></contributor></entry>
<entry><title>No id, plain content</title><content>Line one

Line two</content><wfw:commentRss>/c.rss</wfw:commentRss></entry>
<entry><id></id><title type="text"></title><content type="text/html"><![CDATA[<p>x</p>]]></content>
 <author><email>only@x.org</email></author><author><name>Second</name></author></entry>
"#,
        );
        let feed = same_as_feed_rs(&body).expect("read directly");
        assert_eq!(feed.items.len(), 3);
        assert_eq!(feed.link.as_deref(), Some("https://example.org/"));
        assert_eq!(feed.items[0].enclosures.len(), 1);
        // An address alone names the person, as feedparser has it.
        assert_eq!(feed.items[2].author.as_deref(), Some("only@x.org"));
    }

    #[test]
    fn the_demo_bulletins_and_the_bench_corpus_shapes_are_read_directly() {
        // The shapes bench/gen_corpus.py writes: if they fell back to feed-rs, the
        // benchmark would silently measure the slow reader.
        let bench_rss = r#"<rss version="2.0"><channel><title>Weekly #1</title>
<link>https://bench.example/1/</link><description>Feed 1</description><item>
<title>Item 31: cloud &amp; more</title><link>https://bench.example/1/31</link>
<guid>https://bench.example/1/31</guid><pubDate>Fri, 30 Oct 2026 22:57:00 +0000</pubDate>
<description>&lt;p&gt;See &lt;a href="/posts/31/0"&gt;the details&lt;/a&gt; &amp;amp; more.&lt;/p&gt;
&lt;ul&gt;&lt;li&gt;Ferry 한국어 team.&lt;/li&gt;&lt;/ul&gt;</description></item></channel></rss>"#;
        let bench_atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Weekly #2</title>
<id>urn:bench:2</id><link href="https://bench.example/2/"/><updated>2026-11-01T00:00:00Z</updated>
<entry><title>Item 4: patch</title><id>https://bench.example/2/4</id>
<link href="https://bench.example/2/4"/><updated>2026-10-30T22:57:00Z</updated>
<content type="html">&lt;p&gt;Patch 🔒 &lt;b&gt;now&lt;/b&gt;.&lt;/p&gt;</content></entry></feed>"#;
        for body in [
            include_str!("../demo/security-weekly.xml"),
            include_str!("../demo/release-notes.xml"),
            bench_rss,
            bench_atom,
        ] {
            let body = super::super::strip_xml_declaration(body);
            assert!(same_as_feed_rs(body).is_some(), "left to feed-rs:\n{body}");
        }
    }

    #[test]
    fn anything_outside_the_subset_is_left_to_feed_rs() {
        let outside = [
            rss(r#"<item><enclosure url="/a.mp3" type="audio/mpeg" length="1"/></item>"#),
            rss(
                r#"<item xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><title>x</title></item>"#,
            ),
            rss(r#"<item><title>T</title><foo:bar>undeclared</foo:bar></item>"#),
            rss(r#"<item xml:base="/sub/"><link>x</link></item>"#),
            rss(r#"<item><pubDate>Wed, 25 Aug 2026 10:00:00 GMT</pubDate></item>"#),
            rss(r#"<item><pubDate>25 August 2026 10:00 UTC</pubDate></item>"#),
            rss(r#"<item><author>Name &lt;mailto:mail@example.org&gt;</author></item>"#),
            rss(r#"<item><title>a <b>b</b></title></item>"#),
            rss(r#"<item><title>unclosed</item>"#),
            atom(r#"<entry><content type="xhtml"><div>x</div></content></entry>"#),
            atom(r#"<entry><content src="/x" type="text/html"/></entry>"#),
            atom(r#"<entry><title type="image/png">x</title></entry>"#),
            r#"<!DOCTYPE rss [<!ENTITY a "b">]><rss version="2.0"><channel/></rss>"#.into(),
            r#"<rss version="0.91"><channel><title>old</title></channel></rss>"#.into(),
            r#"<rss version="2.0" xmlns="http://purl.org/rss/1.0/"><channel/></rss>"#.into(),
            r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>"#.into(),
            r#"{"version": "https://jsonfeed.org/version/1.1", "title": "j", "items": []}"#.into(),
            "<rss version=\"2.0\"><channel><title>cut".into(),
        ];
        for body in outside {
            assert!(same_as_feed_rs(&body).is_none(), "read directly:\n{body}");
        }
    }

    /// Pieces that have tripped readers: entities known and not, CDATA, comments, stray
    /// whitespace, markup, relative and odd URLs, control characters, non-ASCII.
    fn text_piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "",
            " ",
            "plain",
            "  padded  ",
            "a &amp; b",
            "&lt;b&gt;bold&lt;/b&gt;",
            "&#233;t&#xE9;",
            "&nbsp;x&hellip;",
            "<![CDATA[<p>c &amp; d</p>]]>",
            "<![CDATA[]]>",
            "x<!-- c -->y",
            "line\none",
            "tab\there",
            "\u{1b}[31mred",
            "日本語 🔒",
            "/relative/path",
            "?q=1&amp;b=2",
            "https://example.org/a b",
            "mailto:x@example.org",
            "javascript:alert(1)",
            "#frag",
            "\u{a0}nbsp\u{a0}",
            "<b>tag</b>",
            "desk@example.org (Ingrid Sol)",
            "Bo &lt;bo@x.co.uk&gt;",
            " a@b.org ",
            "a@b.c",
            "x@y",
            "a@b.org.",
            "(a@b.org) A Long Name",
            "é a@b.org x",
            "mailto:a@b.org",
            "a@b.org\u{3000}(Name)",
            "_a@b.org",
            "a@b.org@c.org",
        ])
        .prop_map(str::to_string)
    }

    fn date_piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "Fri, 30 Oct 2026 22:57:00 +0000",
            "30 Oct 2026 22:57:00 GMT",
            "Fri, 30 Oct 2026 22:57 EST",
            "Sat, 30 Oct 2026 22:57:00 +0000",
            "Fri, 30 October 2026 22:57:00 UTC",
            "Fri, 30 Oct 2026 2:57:00 -0000",
            "2026-10-30T22:57:00Z",
            "2026-10-30T22:57:00.123+02:00",
            "2026-10-30T22:57:00+0200",
            "2026-10-30",
            " 2026-10-30T22:57:00Z ",
            "yesterday",
            "",
            "Fri, 30 Oct 2026 24:00:00 +0000",
        ])
        .prop_map(str::to_string)
    }

    fn rss_item_child() -> impl Strategy<Value = String> {
        let t = text_piece;
        prop_oneof![
            t().prop_map(|s| format!("<title>{s}</title>")),
            t().prop_map(|s| format!("<link>{s}</link>")),
            t().prop_map(|s| format!("<guid>{s}</guid>")),
            t().prop_map(|s| format!("<description>{s}</description>")),
            t().prop_map(|s| format!("<content:encoded>{s}</content:encoded>")),
            t().prop_map(|s| format!("<comments>{s}</comments>")),
            t().prop_map(|s| format!("<wfw:commentRss>{s}</wfw:commentRss>")),
            t().prop_map(|s| format!("<author>{s}</author>")),
            t().prop_map(|s| format!("<dc:creator>{s}</dc:creator>")),
            t().prop_map(|s| format!("<category>{s}</category>")),
            t().prop_map(|s| format!("<sy:other>{s}</sy:other>")),
            date_piece().prop_map(|s| format!("<pubDate>{s}</pubDate>")),
            date_piece().prop_map(|s| format!("<dc:date>{s}</dc:date>")),
            date_piece().prop_map(|s| format!("<atom:updated>{s}</atom:updated>")),
            Just("<title/>".to_string()),
            Just("<guid isPermaLink=\"false\"/>".to_string()),
            // Text straight inside <item>, which both readers ignore.
            t(),
            Just("<atom:link href=\"/x\"/>".to_string()),
        ]
    }

    fn atom_entry_child() -> impl Strategy<Value = String> {
        let t = text_piece;
        let kind = || {
            prop::sample::select(vec![
                "",
                " type=\"text\"",
                " type=\"html\"",
                " type=\"text/html\"",
            ])
        };
        prop_oneof![
            (kind(), t()).prop_map(|(k, s)| format!("<title{k}>{s}</title>")),
            (kind(), t()).prop_map(|(k, s)| format!("<content{k}>{s}</content>")),
            (kind(), t()).prop_map(|(k, s)| format!("<summary{k}>{s}</summary>")),
            t().prop_map(|s| format!("<id>{s}</id>")),
            t().prop_map(|s| format!("<author><name>{s}</name></author>")),
            t().prop_map(|s| format!("<author><email>{s}</email><uri>{s}</uri></author>")),
            t().prop_map(|s| format!("<wfw:commentRss>{s}</wfw:commentRss>")),
            date_piece().prop_map(|s| format!("<updated>{s}</updated>")),
            date_piece().prop_map(|s| format!("<published>{s}</published>")),
            (
                prop::sample::select(vec![
                    "",
                    " rel=\"alternate\"",
                    " rel=\"enclosure\"",
                    " rel=\"self\""
                ]),
                prop::sample::select(vec![
                    "/p/1",
                    "https://example.org/p/2",
                    " /p/3 ",
                    "",
                    "a&amp;b"
                ]),
                prop::sample::select(vec![
                    "",
                    " type=\"audio/mpeg\"",
                    " length=\"12\"",
                    " length=\"x\""
                ]),
            )
                .prop_map(|(rel, href, extra)| format!("<link{rel} href=\"{href}\"{extra}/>")),
            Just("<link rel=\"alternate\"/>".to_string()),
            Just("<category term=\"x\"/>".to_string()),
            Just("<title/>".to_string()),
            Just("<id/>".to_string()),
            t(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn rss_reads_the_same_both_ways(items in prop::collection::vec(
            prop::collection::vec(rss_item_child(), 0..8), 0..4)) {
            let items: String = items.iter().map(|c| format!("<item>{}</item>\n", c.concat())).collect();
            same_as_feed_rs(&rss(&items));
        }

        #[test]
        fn atom_reads_the_same_both_ways(entries in prop::collection::vec(
            prop::collection::vec(atom_entry_child(), 0..8), 0..4)) {
            let entries: String =
                entries.iter().map(|c| format!("<entry>{}</entry>\n", c.concat())).collect();
            same_as_feed_rs(&atom(&entries));
        }
    }
}
