//! The Atom 1.0 half of the direct reader: `<feed>`, its entries, links, text constructs
//! and people.

use super::text::{attr, push_reference, trim_owned};
use super::GiveUp;
use super::{Doc, Ns, Step};
use crate::parse::{Source, SourceEntry, SourceLink, SourceText};
use quick_xml::events::{BytesStart, Event};

impl Doc<'_> {
    pub(super) fn atom(&mut self) -> Step<Source> {
        let mut feed = Source::default();
        while let Some(e) = self.child()? {
            match self.atom_name(&e)? {
                (Ns::Atom, "title") => feed.title = Some(self.text_construct(&e)?),
                (Ns::Atom, "subtitle") => feed.description = Some(self.text_construct(&e)?),
                // Atom 0.3's name for it, left in 1.0 documents (feedparser reads it).
                (Ns::Atom, "tagline") => {
                    let text = self.text_construct(&e)?;
                    feed.description = feed.description.take().or(Some(text));
                }
                (Ns::Atom, "link") => feed.links.extend(self.atom_link(&e)?),
                (Ns::Atom, "rights") => {
                    self.text_construct(&e)?;
                }
                (Ns::Atom, "entry") => feed.entries.push(self.entry()?),
                // RSS's name in an Atom feed (templates that mix the two): what Atom's
                // own subtitle does not say, as feedparser reads it.
                (Ns::Atom, "description") => {
                    let text = self.text_construct(&e)?;
                    if feed.description.is_none() && !text.body.is_empty() {
                        feed.description = Some(text);
                    }
                }
                (Ns::Unsupported, _) => return Err(GiveUp),
                // `<Entry>`, `<Title>`: the repair's, which gives them Atom's case.
                (ns, local) => self.skip_unread(ns, local)?,
            }
        }
        Ok(feed)
    }

    /// In an Atom document, unprefixed elements are Atom's.
    pub(super) fn atom_name<'e>(&self, e: &'e BytesStart) -> Step<(Ns, &'e str)> {
        let (ns, local) = self.name(e)?;
        Ok((if ns == Ns::Plain { Ns::Atom } else { ns }, local))
    }

    pub(super) fn entry(&mut self) -> Step<SourceEntry> {
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
                // Atom 0.3's names, left in 1.0 documents: what 1.0's own do not say.
                (Ns::Atom, "issued") => {
                    let date = self.date()?;
                    entry.published = entry.published.or(date);
                }
                (Ns::Atom, "modified") => {
                    let date = self.date()?;
                    entry.updated = entry.updated.or(date);
                }
                (Ns::Atom, "author") => {
                    if let Some(name) = self.atom_person()? {
                        entry.author_names.push(name);
                    }
                }
                (Ns::Atom, "content") => {
                    if attr(&e, "src")?.is_some() {
                        return Err(GiveUp);
                    }
                    entry.content = Some(self.text_construct(&e)?);
                }
                (Ns::Atom, "summary") => entry.summary = Some(self.text_construct(&e)?),
                // RSS's full text in an Atom entry (podcast generators write both
                // formats' names): where Atom's own content says nothing.
                (Ns::Content, "encoded") => {
                    let body = self.text()?.filter(|s| !s.is_empty());
                    if entry.content.is_none() {
                        entry.content = body.map(|body| SourceText { body, html: true });
                    }
                }
                (Ns::Atom, "link") => entry.links.extend(self.atom_link(&e)?),
                // RSS's names in an Atom entry: its HTML description where no summary
                // is, its guid where no id is.
                (Ns::Atom, "description") => {
                    let body = self.text()?.map(trim_owned).filter(|s| !s.is_empty());
                    if entry.summary.is_none() {
                        entry.summary = body.map(|body| SourceText { body, html: true });
                    }
                }
                (Ns::Atom, "guid") => {
                    if let Some(guid) = self.text()?.map(trim_owned) {
                        if entry.id.trim().is_empty() {
                            entry.id = guid;
                        }
                    }
                }
                (Ns::Atom, "rights") => {
                    self.text_construct(&e)?;
                }
                (Ns::WellFormedWeb, "commentRss" | "commentRSS") => {
                    if let Some(s) = self.text()? {
                        // The comments' feed, never the entry's address.
                        entry
                            .links
                            .push(self.link(&s, Some("comments-feed".into())));
                    }
                }
                (Ns::Unsupported, _) => return Err(GiveUp),
                (ns, local) => self.skip_unread(ns, local)?,
            }
        }
        Ok(entry)
    }

    /// `<link href=.. rel=.. type=.. length=..>`, read to its end; no href, no link. rel
    /// defaults to alternate.
    pub(super) fn atom_link(&mut self, e: &BytesStart) -> Step<Option<SourceLink>> {
        // `url=` for `href=`, a slip feedparser forgives.
        let href = match attr(e, "href")?.or(attr(e, "url")?) {
            Some(href) => {
                self.skip()?;
                href
            }
            // `<link>https://…</link>`, the address written as RSS writes it (early Atom
            // drafts, hand-made feeds): feedparser takes the text.
            // Only a web address: `<link>Read more</link>` is no link.
            None => match self.text()?.map(trim_owned).filter(|t| web_address(t)) {
                Some(text) => text,
                None => return Ok(None),
            },
        };
        let mut link = self.link(&href, None);
        link.rel = Some(attr(e, "rel")?.unwrap_or_else(|| "alternate".to_string()));
        link.media_type = attr(e, "type")?;
        link.length = attr(e, "length")?.and_then(|l| l.parse().ok());
        Ok(Some(link))
    }

    /// An Atom text construct: plain or HTML text; XHTML and markup inside give up.
    pub(super) fn text_construct(&mut self, e: &BytesStart) -> Step<SourceText> {
        let html = match attr(e, "type")?.as_deref() {
            None | Some("text") => false,
            Some("html" | "text/html") => true,
            _ => return Err(GiveUp),
        };
        // `mode="base64"` (Atom 0.3's, seen in 1.0 documents): the text is encoded; its
        // escaping is the author's, kept as it decodes.
        let base64 = attr(e, "mode")?.is_some_and(|m| m.eq_ignore_ascii_case("base64"));
        let mut body = trim_owned(self.text()?.unwrap_or_default());
        if base64 {
            use base64::Engine;
            let packed: String = body.split_whitespace().collect();
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(packed) {
                body = String::from_utf8_lossy(&bytes).into_owned();
            }
        }
        Ok(SourceText { body, html })
    }

    /// An Atom person's name; `None` inside when it has none.
    pub(super) fn atom_person(&mut self) -> Step<Option<String>> {
        let mut name = None;
        let mut email = None;
        // `<author>A. Name</author>`, a name with no element of its own (feedparser's
        // reading; the white space between elements is all there is otherwise).
        let mut bare = String::new();
        loop {
            let e = match self.next()? {
                Event::Start(e) => e,
                Event::Text(t) => {
                    bare.push_str(&t);
                    continue;
                }
                Event::CData(t) => {
                    bare.push_str(&t);
                    continue;
                }
                Event::GeneralRef(r) => {
                    push_reference(&mut bare, &r)?;
                    continue;
                }
                Event::End(_) => break,
                Event::Eof => return Err(GiveUp),
                _ => continue,
            };
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
        let bare = Some(bare.trim().to_string()).filter(|b| !b.is_empty());
        Ok(name.filter(|n| !n.trim().is_empty()).or(email).or(bare))
    }
}

/// Whether `text` is an absolute http(s) address (what a link written as text may be).
fn web_address(text: &str) -> bool {
    let head = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    (head.starts_with("http://") || head.starts_with("https://"))
        && !text.contains(char::is_whitespace)
}
