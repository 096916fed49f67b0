//! An entry's files: Media RSS objects and enclosure links, one entry per address with
//! what either element said of its size and type.

use super::source::SourceEntry;
use crate::links::web_link;
use crate::model::Enclosure;
use crate::sanitize::clean_line;
use url::Url;

/// The files an entry carries. An empty address names no file: resolved, it was the
/// feed's own address, which a download then fetched (feed-rs hands it over resolved,
/// so the feed's address itself is no file either).
pub(super) fn of_entry(
    entry: &SourceEntry,
    base: Option<&Url>,
    feed: Option<&Url>,
) -> Vec<Enclosure> {
    let file = |url: &str| {
        web_link(Some(url).filter(|u| !u.trim().is_empty())?, base)
            .filter(|u| feed.is_none_or(|f| f.as_str() != u))
    };
    let from_media = entry.media.iter().filter_map(|(url, mime, size)| {
        Some(Enclosure {
            url: file(url.as_deref()?)?,
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
                url: file(&l.href)?,
                mime: l.media_type.as_deref().map(clean_line),
                length: l.length,
            })
        });
    // One file named twice (podcast hosts send `<enclosure>` and `<media:content>` for
    // the same address, often with the size in one only): one entry, with what either
    // said of its type and size.
    let mut out: Vec<Enclosure> = Vec::new();
    for enc in from_media.chain(from_links) {
        match out.iter_mut().find(|e| e.url == enc.url) {
            Some(known) => {
                known.mime = known.mime.take().or(enc.mime);
                known.length = known.length.filter(|n| *n > 0).or(enc.length);
            }
            None => out.push(enc),
        }
    }
    out
}

/// An RSS `<enclosure>` beside Media RSS: feed-rs keeps the `media:content` alone, so
/// the enclosure's size (podcast hosts give it there only) was lost. Its size and type
/// fill the media object of the same address, and an enclosure of another address is
/// added. (The fallbacks pass calls this when a media object lacks a size.)
pub(super) fn fill_from_rss(entry: &mut SourceEntry, item: roxmltree::Node) {
    let same = |a: &str, b: &str| {
        let norm =
            |u: &str| url::Url::parse(u.trim()).map_or_else(|_| u.trim().to_string(), String::from);
        norm(a) == norm(b)
    };
    for enclosure in item
        .children()
        .filter(|n| n.tag_name().namespace().is_none() && n.tag_name().name() == "enclosure")
    {
        let Some(url) = enclosure.attribute("url").filter(|u| !u.trim().is_empty()) else {
            continue;
        };
        let length = enclosure
            .attribute("length")
            .and_then(|l| l.trim().parse::<u64>().ok())
            .filter(|l| *l > 0);
        let mime = enclosure
            .attribute("type")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from);
        match entry
            .media
            .iter_mut()
            .find(|(u, _, _)| u.as_deref().is_some_and(|u| same(u, url)))
        {
            Some((_, known_mime, known_length)) => {
                *known_length = known_length.filter(|l| *l > 0).or(length);
                if known_mime.is_none() {
                    *known_mime = mime;
                }
            }
            None => entry
                .media
                .push((Some(url.trim().to_string()), mime, length)),
        }
    }
}
