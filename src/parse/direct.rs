//! A direct reader for the plainest RSS 2.0 and Atom documents, the bulk of what people
//! subscribe to.
//!
//! feed-rs reads every format and every extension, and most of a cold refresh's CPU went
//! into its general event machinery (namespace resolution, an owned copy of every
//! name, attribute and text on the way). This reader walks quick-xml's borrowed events
//! once and keeps only the fields bulletin stores. It must give what feed-rs gives, so it
//! reads a narrow subset and gives up (`Err(GiveUp)`) on anything outside it: feed-rs
//! then reads the document from the start, so a give-up costs time, never correctness.
//! Outside the subset: DOCTYPEs, xml:base, namespace declarations below the root, a
//! default namespace other than Atom's, undeclared prefixes, iTunes, Podcast and Media
//! RSS elements, RSS enclosures, markup inside a text field, XHTML or out-of-line
//! content, dates that need feed-rs's repairs, authors whose e-mail address is not plainly
//! delimited, and every syntax error (feed-rs then words the error).
//!
//! The tests in this module hold the two readers to the same output.

use super::{Source, SourceLink};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use url::Url;

mod atom;
mod rss;
#[cfg(test)]
mod tests;
mod text;

use text::{attr, local_name, push_reference, qname, resolve, unescape, unescape_text};

/// Why the direct reader left a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Left {
    /// Outside its subset: feed-rs reads it.
    ToFeedRs,
    /// RSS elements named in another case than RSS's (`<PubDate>` in an `<item>`), or
    /// an item inside an item: both readers would pass them by, and the repair gives
    /// them their case, or makes the items two.
    ToRepair,
}

/// Reads `body` (UTF-8, without its XML declaration), or says why it leaves it.
pub(super) fn read(body: &str, base_url: &str) -> Result<Source, Left> {
    let Ok(base) = Url::parse(base_url) else {
        return Err(Left::ToFeedRs);
    };
    let mut doc = Doc::new(body, base);
    read_subset(&mut doc).map_err(|_| {
        if doc.needs_repair {
            Left::ToRepair
        } else {
            Left::ToFeedRs
        }
    })
}

fn read_subset(doc: &mut Doc) -> Step<Source> {
    let root = doc.root()?;
    let local = local_name(&root)?;
    doc.declare(&root)?;
    match local {
        "rss" if attr(&root, "version")?.as_deref() == Some("2.0") && doc.default_ns.is_none() => {
            doc.rss()
        }
        "feed" if doc.default_ns.as_deref().is_none_or(|ns| ns == ATOM_NS) => doc.atom(),
        _ => Err(GiveUp),
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
    /// The document is one for the repair (see `Left::ToRepair`).
    needs_repair: bool,
}

/// The document is outside the direct reader's subset: feed-rs reads it instead. Kept
/// apart from "absent" (`Option` inside a `Step`), which is no reason to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GiveUp;

/// A reading step: its value, or the reason the reader gives the document up.
type Step<T> = Result<T, GiveUp>;

/// Where something missing means the document is outside the subset.
trait OrGiveUp<T> {
    fn or_give_up(self) -> Step<T>;
}

impl<T> OrGiveUp<T> for Option<T> {
    fn or_give_up(self) -> Step<T> {
        self.ok_or(GiveUp)
    }
}

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
            needs_repair: false,
        }
    }

    /// Skips an element this reader does not read; one that RSS or Atom names in another
    /// case (`<PubDate>`, `<Description>`, Atom's `<Entry>`) gives the document up to the
    /// repair.
    fn skip_unread(&mut self, ns: Ns, local: &str) -> Step<()> {
        if matches!(ns, Ns::Plain | Ns::Atom) {
            let lower = if local.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(local.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(local)
            };
            if super::repair::canonical_name(&lower).is_some_and(|c| c != local) {
                self.needs_repair = true;
                return Err(GiveUp);
            }
        }
        self.skip()
    }

    fn next(&mut self) -> Step<Event<'a>> {
        match self.reader.read_event().ok().or_give_up()? {
            // A second declaration (it can switch the encoding) or a DTD (entities): feed-rs.
            Event::Decl(_) | Event::DocType(_) => Err(GiveUp),
            event => Ok(event),
        }
    }

    /// The first element, past comments, processing instructions and whitespace.
    fn root(&mut self) -> Step<BytesStart<'a>> {
        loop {
            match self.next()? {
                Event::Start(e) => return Ok(e),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(GiveUp),
            }
        }
    }

    /// Namespace declarations: on the root only; below it they are left to feed-rs.
    fn declare(&mut self, root: &BytesStart) -> Step<()> {
        for a in root.attributes() {
            let a = a.ok().or_give_up()?;
            let key = a.key.as_ref();
            if key == "xmlns" {
                self.default_ns = Some(unescape(&a.value));
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                let uri = unescape(&a.value);
                // An undeclaration is not allowed on a prefix in XML 1.0.
                if uri.is_empty() {
                    return Err(GiveUp);
                }
                self.prefixes.push((prefix.to_string(), namespace(&uri)));
            } else if key == "xml:base" {
                return Err(GiveUp);
            }
        }
        Ok(())
    }

    /// The namespace and local name of an element below the root.
    fn name<'e>(&self, e: &'e BytesStart) -> Step<(Ns, &'e str)> {
        for a in e.attributes() {
            let a = a.ok().or_give_up()?;
            let key = a.key.as_ref();
            if key == "xml:base" || key == "xmlns" || key.starts_with("xmlns:") {
                return Err(GiveUp);
            }
        }
        let full = qname(e)?;
        match full.split_once(':') {
            None => Ok((Ns::Plain, full)),
            Some((prefix, local)) => {
                let ns = self
                    .prefixes
                    .iter()
                    .rev()
                    .find(|(p, _)| p == prefix)
                    .map(|(_, ns)| *ns)
                    .or_give_up()?;
                Ok((ns, local))
            }
        }
    }

    /// The next child element of the element being read, `None` inside at its end.
    /// Text, comments and the like between children mean nothing to either reader.
    fn child(&mut self) -> Step<Option<BytesStart<'a>>> {
        loop {
            match self.next()? {
                Event::Start(e) => return Ok(Some(e)),
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(GiveUp),
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
                Event::Eof => return Err(GiveUp),
                _ => {}
            }
        }
        Ok(())
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
            Event::End(_) => Ok(text),
            _ => Err(GiveUp),
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
                Event::End(_) => return Ok(out),
                _ => return Err(GiveUp),
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
            site: crate::links::schemeless_site(raw),
        }
    }

    // ---- RSS 2.0 ----
}
