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
    // A file is fetched: a web or Gemini address (a `mailto:` one is a link, no file).
    let file = |url: &str| {
        web_link(Some(url).filter(|u| !u.trim().is_empty())?, base)
            .filter(|u| !u.starts_with("mailto:"))
            .filter(|u| feed.is_none_or(|f| f.as_str() != u))
    };
    // A Flash player (YouTube's old `/v/` address) plays nothing any more.
    let flash = |mime: &Option<String>| {
        mime.as_deref().is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-shockwave-flash")
        })
    };
    let from_media = entry
        .media
        .iter()
        .filter(|m| !flash(&m.1))
        .filter(|m| !m.0.as_deref().is_some_and(avatar))
        .filter_map(|(url, mime, size)| {
            Some(Enclosure {
                url: file(url.as_deref()?)?,
                mime: mime.as_deref().map(clean_line),
                length: *size,
            })
        });
    let from_links = entry
        .links
        .iter()
        .filter(|l| {
            l.rel
                .as_deref()
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("enclosure"))
        })
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

/// A Gravatar picture: WordPress gives every post its author's as a Media RSS object
/// (`media:content medium="image"` titled with the author's name). It is nobody's
/// attachment, and listed it made every post of a blog look as if it carried a file.
fn avatar(url: &str) -> bool {
    let Ok(url) = Url::parse(url.trim()) else {
        return false;
    };
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    (host == "gravatar.com" || host.ends_with(".gravatar.com"))
        && url.path().starts_with("/avatar/")
}

/// An RSS `<enclosure>` beside Media RSS: feed-rs keeps the `media:content` alone when
/// it has a size of its own (the episode's file was lost), and its size and type
/// otherwise (podcast hosts give the size in the enclosure only). Each enclosure fills
/// the media object of the same address, or is added. Read as feedparser reads it:
/// attribute names in any case, values trimmed, the address under the xml:base in
/// scope, RSS 1.0's enclosures too. Then Media RSS's own files, which feed-rs misses in
/// RSS 1.0; and of the reader's objects, none that only a `media:player` names
/// (feed-rs gives a player's page as the object's address, in place of its file).
/// (The fallbacks pass calls this.)
pub(super) fn fill_from_rss(entry: &mut SourceEntry, item: roxmltree::Node) {
    const RSS1: &str = "http://purl.org/rss/1.0/";
    const MEDIA: &str = "http://search.yahoo.com/mrss/";
    let norm = |u: &str| Url::parse(u.trim()).map_or_else(|_| u.trim().to_string(), String::from);
    let attr = |n: roxmltree::Node, name: &str| {
        n.attributes()
            .find(|a| a.namespace().is_none() && a.name().eq_ignore_ascii_case(name))
            .map(|a| a.value().trim().to_string())
            .filter(|v| !v.is_empty())
    };
    // A relative address under an xml:base that is itself relative (`/media/`) needs
    // the document's address, which this pass has not: the reader's copy, resolved,
    // stands for it.
    let address = |n: roxmltree::Node, url: String| -> Option<String> {
        if Url::parse(&url).is_ok() {
            return Some(url);
        }
        let based = n.ancestors().any(|a| {
            a.attribute(("http://www.w3.org/XML/1998/namespace", "base"))
                .is_some()
        });
        match super::bases::in_scope(n, None) {
            Some(base) => Some(
                Url::parse(&base)
                    .and_then(|b| b.join(&url))
                    .map_or(url, String::from),
            ),
            None if based => None,
            None => Some(url),
        }
    };
    let players: std::collections::HashSet<String> = item
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(MEDIA) && n.tag_name().name() == "player")
        .filter_map(|n| attr(n, "url").and_then(|u| address(n, u)))
        .map(|u| norm(&u))
        .collect();
    // In the document's order (`download -e 2` counts them so), then the reader's
    // others. Found by address through a map: an item of thousands of files costs no
    // more than thousands of items.
    let kept = std::mem::take(&mut entry.media);
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut add = |media: &mut Vec<Media>, url: Option<String>, mime, length| {
        let key = url.as_deref().map(norm);
        match key.as_ref().and_then(|k| at.get(k)) {
            // The same file: what either said of its size and type.
            Some(&i) => {
                let (_, known_mime, known_length) = &mut media[i];
                *known_length = known_length.filter(|l| *l > 0).or(length);
                if known_mime.is_none() {
                    *known_mime = mime;
                }
            }
            None => {
                if let Some(k) = key {
                    at.insert(k, media.len());
                }
                media.push((url, mime, length));
            }
        }
    };
    let files = item.descendants().filter(|n| {
        let (ns, name) = (n.tag_name().namespace(), n.tag_name().name());
        (name.eq_ignore_ascii_case("enclosure") && matches!(ns, None | Some(RSS1)))
            || (name == "content" && ns == Some(MEDIA))
    });
    let mut named = std::collections::HashSet::new();
    for file in files {
        let media = file.tag_name().namespace() == Some(MEDIA);
        let Some(url) = attr(file, "url").and_then(|u| address(file, u)) else {
            continue;
        };
        let length = attr(file, if media { "fileSize" } else { "length" })
            .and_then(|l| l.parse::<u64>().ok())
            .filter(|l| *l > 0);
        let mime = attr(file, "type");
        named.insert(norm(&url));
        add(&mut entry.media, Some(url), mime, length);
    }
    for (url, mime, length) in kept {
        let key = url.as_deref().map(norm);
        if key
            .as_ref()
            .is_some_and(|k| players.contains(k) && !named.contains(k))
        {
            continue;
        }
        add(&mut entry.media, url, mime, length);
    }
}

/// A media object as the readers give it: address, type, size.
type Media = (Option<String>, Option<String>, Option<u64>);
