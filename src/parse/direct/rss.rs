//! The RSS 2.0 half of the direct reader: `<rss>`, its first `<channel>` and its items.

use super::text::{html, parse_date, person_name, plain};
use super::GiveUp;
use super::{Doc, LinkKind, Ns, Step};
use crate::parse::{Source, SourceEntry, SourceLink, SourceText};
use chrono::{DateTime, Utc};
use quick_xml::events::Event;

impl Doc<'_> {
    pub(super) fn rss(&mut self) -> Step<Source> {
        // The first <channel> under the root. Items outside it (before it, in a
        // second channel) are parse::channels' to move into it, before feed-rs reads.
        while let Some(e) = self.child()? {
            let (ns, local) = self.name(&e)?;
            if local == "channel" {
                let feed = self.channel()?;
                self.after_channel()?;
                return Ok(feed);
            }
            if local == "item" {
                return Err(GiveUp);
            }
            self.skip_unread(ns, local)?;
        }
        Err(GiveUp)
    }

    /// The rest of the root after its channel: another channel or an item there gives
    /// up; anything else, the root's end or the document's (cut off there) ends it.
    fn after_channel(&mut self) -> Step<()> {
        loop {
            match self.next()? {
                Event::Start(e) => {
                    let (ns, local) = self.name(&e)?;
                    if matches!(local, "channel" | "item") {
                        return Err(GiveUp);
                    }
                    self.skip_unread(ns, local)?;
                }
                Event::End(_) | Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    pub(super) fn channel(&mut self) -> Step<Source> {
        let mut feed = Source {
            is_rss: true,
            ..Source::default()
        };
        while let Some(e) = self.child()? {
            match self.name(&e)? {
                (Ns::Plain, "title") => feed.title = self.text()?.map(plain),
                (Ns::Plain, "link") => {
                    if let Some((s, _)) = self.link_text(&e)? {
                        feed.links.push(self.link(&s, None));
                    }
                }
                (Ns::Atom, "link") => feed.links.extend(self.atom_link(&e)?),
                (Ns::Plain, "description") => feed.description = self.text()?.map(plain),
                (Ns::Plain, "item") => feed.entries.push(self.item()?),
                // Items in a wrapper (parse::channels).
                (Ns::Plain, "items") | (Ns::Unsupported, _) => return Err(GiveUp),
                (ns, local) => self.skip_unread(ns, local)?,
            }
        }
        Ok(feed)
    }

    /// An RSS `<link>`'s address: its text, else (with `true`) an `href` as Atom writes
    /// it (a template's slip feedparser reads).
    fn link_text(&mut self, e: &quick_xml::events::BytesStart) -> Step<Option<(String, bool)>> {
        let href = super::text::attr(e, "href")?;
        // Another relation (an enclosure written so): `rss_links` makes it plain RSS.
        if href.is_some()
            && super::text::attr(e, "rel")?.is_some_and(|r| !r.eq_ignore_ascii_case("alternate"))
        {
            return Err(GiveUp);
        }
        let text = self.text()?;
        Ok(match href {
            Some(href) if text.as_ref().is_none_or(|t| t.trim().is_empty()) => Some((href, true)),
            _ => text.map(|t| (t, false)),
        })
    }

    pub(super) fn item(&mut self) -> Step<SourceEntry> {
        let mut entry = SourceEntry::default();
        let mut links: Vec<(SourceLink, LinkKind)> = Vec::new();
        while let Some(e) = self.child()? {
            match self.name(&e)? {
                (Ns::Plain, "title") => entry.title = self.text()?.map(plain),
                (Ns::Plain, "link") => match self.link_text(&e)? {
                    // Read by a later version than the id: no part of it.
                    Some((s, true)) => entry.late_links.push(self.link(&s, None)),
                    Some((s, false)) => links.push((self.link(&s, None), LinkKind::Plain)),
                    None => {}
                },
                (Ns::WellFormedWeb, "commentRss" | "commentRSS") => {
                    if let Some(s) = self.text()? {
                        let rel = Some("comments-feed".to_string());
                        links.push((self.link(&s, rel), LinkKind::Plain));
                    }
                }
                (Ns::Plain, "comments") => {
                    if let Some(s) = self.text()? {
                        let rel = Some("comments".to_string());
                        links.push((self.link(&s, rel), LinkKind::Comments));
                    }
                }
                (Ns::Plain, "description") => entry.summary = self.text()?.map(html),
                (Ns::Plain, "author") | (Ns::DublinCore, "creator") => {
                    if let Some(raw) = self.text()? {
                        entry.author_names.extend(person_name(&raw)?);
                    }
                }
                (Ns::Plain, "guid") => {
                    // isPermaLink="false": an id only, never the item's address.
                    // (Anything but "true" says so, as feedparser reads it: "0", "no".)
                    let permalink = match super::text::attr(&e, "isPermaLink")? {
                        Some(p) => Some(p),
                        None => super::text::attr(&e, "ispermalink")?,
                    };
                    if let Some(guid) = self.text()? {
                        entry.id = guid.trim().to_string();
                        entry.id_not_link =
                            permalink.is_some_and(|p| !p.trim().eq_ignore_ascii_case("true"));
                    }
                }
                (Ns::Plain, "pubDate") | (Ns::DublinCore, "date") => {
                    entry.published = self.date()?;
                }
                (Ns::Plain, "updated") | (Ns::Atom, "updated") => entry.updated = self.date()?,
                // Atom's elements in an RSS item (.NET's SyndicationFeed writes `a10:`):
                // what RSS's own do not say, as feedparser reads them.
                (Ns::Atom, "published") => {
                    let date = self.date()?;
                    entry.published = entry.published.or(date);
                }
                (Ns::Atom, "author") => {
                    // Only where the item names no one (as feed-rs's path fills it).
                    if let Some(name) = self.atom_person()? {
                        if entry.author_names.is_empty() {
                            entry.author_names.push(name);
                        }
                    }
                }
                (Ns::Atom, "summary") => {
                    let text = self.text_construct(&e)?;
                    if entry.summary.is_none() && !text.body.is_empty() {
                        entry.summary = Some(text);
                    }
                }
                (Ns::Atom, "content") => {
                    if super::text::attr(&e, "src")?.is_some() {
                        return Err(GiveUp);
                    }
                    let text = self.text_construct(&e)?;
                    if entry.content.is_none() && !text.body.is_empty() {
                        entry.content = Some(text);
                    }
                }
                (Ns::Content, "encoded") => {
                    // Unlike the other fields, an empty body here means no content.
                    entry.content = self
                        .text()?
                        .filter(|s| !s.is_empty())
                        .map(|body| SourceText { body, html: true });
                }
                (Ns::Plain, "enclosure") | (Ns::Unsupported, _) => return Err(GiveUp),
                // An item in an item: the repair makes them two.
                (Ns::Plain, "item") => {
                    self.needs_repair = true;
                    return Err(GiveUp);
                }
                (ns, local) => self.skip_unread(ns, local)?,
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
        Ok(entry)
    }

    /// A date element: `None` inside when empty; gives up on what strict parsing refuses.
    pub(super) fn date(&mut self) -> Step<Option<DateTime<Utc>>> {
        match self.text()? {
            None => Ok(None),
            Some(text) => Ok(Some(parse_date(&text)?)),
        }
    }

    // ---- Atom ----
}
