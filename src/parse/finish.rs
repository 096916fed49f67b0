//! The cleaning step after either reader: one-line titles, absolute web-only links,
//! sanitised HTML bodies, dates a calendar can print, and ids that stay the same from one
//! parse to the next.

use super::source::{Source, SourceEntry, SourceLink, SourceText};
use crate::links::{self, resolve, web_link};
use crate::model::{ParsedFeed, ParsedItem};
use crate::sanitize::clean_line;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use url::Url;

/// The cleaning step: lines for titles, absolute links, sanitised HTML, stable ids.
pub(super) fn finish(source: Source, base_url: &str) -> ParsedFeed {
    let url = Url::parse(base_url).ok();
    let base = source
        .base
        .as_deref()
        .and_then(|b| resolve(b, url.as_ref()))
        .or_else(|| url.clone());
    let title = source
        .title
        .as_ref()
        .map(|t| title_line(t, source.is_rss))
        .filter(|t| !t.is_empty());
    let link = page_link(&source.links).and_then(|l| shown_link(l, base.as_ref()));
    // A local file's or a command's feed has no web address of its own to resolve its
    // items' relative links against: its site's address (the channel's link, a JSON
    // Feed's home page) stands in for it, as the page the feed speaks for. Only for the
    // links left empty, after the ids are made: those stay as they always were.
    let site = base
        .as_ref()
        .filter(|b| b.scheme() == "file" || b.cannot_be_a_base())
        .and_then(|_| Url::parse(link.as_deref()?).ok());
    let description = source.description.as_ref().map(text_to_line);
    let items = super::distinct_ids::distinct_ids(
        source
            .entries
            .into_iter()
            .map(|entry| {
                finish_entry(
                    entry,
                    base.as_ref(),
                    site.as_ref(),
                    url.as_ref(),
                    source.is_rss,
                )
            })
            .collect(),
    );
    ParsedFeed {
        title,
        link,
        description,
        items,
    }
}

/// A link as shown and followed: a `www.` address written without its scheme is that
/// site (the direct reader keeps it apart; feed-rs's reading, and a local file's, has
/// it as written).
fn shown_link(link: &SourceLink, base: Option<&Url>) -> Option<String> {
    match &link.site {
        Some(site) => web_link(site, None),
        None => links::page_link(&link.href, base),
    }
}

/// The page a feed or item links to, as feedparser picks it: the last alternate link
/// (no `rel`, or `alternate` in any case) of an HTML type (none given, `text/html`,
/// `application/xhtml+xml`). Links with another relation (self, related, enclosure,
/// comments) are never the item's address.
fn page_link(links: &[SourceLink]) -> Option<&SourceLink> {
    links.iter().rfind(|l| {
        let alternate = l
            .rel
            .as_deref()
            .is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate"));
        let html = l.media_type.as_deref().is_none_or(|t| {
            let t = t.split(';').next().unwrap_or("").trim();
            t.is_empty()
                || t.eq_ignore_ascii_case("text/html")
                || t.eq_ignore_ascii_case("application/xhtml+xml")
        });
        alternate && html
    })
}

fn finish_entry(
    mut entry: SourceEntry,
    feed_base: Option<&Url>,
    site: Option<&Url>,
    feed_url: Option<&Url>,
    is_rss: bool,
) -> ParsedItem {
    let entry_base = entry
        .base
        .as_deref()
        .and_then(|b| resolve(b, feed_base))
        .or_else(|| feed_base.cloned());
    let content_base = entry.content_base.take();
    let summary_base = entry.summary_base.take();
    // Plain texts whose line breaks are kept (JSON Feed's, Atom's `type="text"`, a
    // YouTube description): made HTML after the id, which hashes them as they always
    // were made. (RSS's plain descriptions are often wrapped by hand: their breaks go.)
    let plain = |t: &Option<SourceText>| {
        t.as_ref()
            .filter(|t| (entry.text_lines || !is_rss) && !t.html && t.body.contains('\n'))
            .map(|t| t.body.clone())
    };
    let (lines_summary, lines_content) = (plain(&entry.summary), plain(&entry.content));
    let link = item_link(&entry, is_rss, entry_base.as_ref());
    // A local or command feed's relative link, against its site: set after the id,
    // which is made without it, as it always was.
    let site_link = match (&link, site) {
        (None, Some(site)) => {
            let base = entry.base.as_deref().and_then(|b| resolve(b, Some(site)));
            item_link(&entry, is_rss, base.as_ref().or(Some(site)))
        }
        _ => None,
    };
    let late_link = page_link(&entry.late_links).and_then(|l| shown_link(l, entry_base.as_ref()));
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
    let enclosures = super::enclosures::of_entry(&entry, entry_base.as_ref(), feed_url);
    // The same for its enclosures ("ep/1.mp3" on the site), also set after the id.
    let site_enclosures = site.map(|site| {
        let base = entry.base.as_deref().and_then(|b| resolve(b, Some(site)));
        super::enclosures::of_entry(&entry, base.as_ref().or(Some(site)), feed_url)
    });
    // A relative Atom id resolves against the entry's base (its xml:base, the HTTP
    // Content-Location, the document's address), as feedparser reads Atom ids; an RSS
    // guid stays as written (feedparser's too).
    // (A relative reference has no scheme, so no colon: the test costs no URL parse for
    // the `urn:`, `tag:` and `https:` ids nearly every feed has.)
    let raw = entry.id.trim();
    let relative = !is_rss
        && !entry.id_not_link
        && !raw.is_empty()
        && !raw.contains(':')
        && !raw.contains(char::is_whitespace);
    let id = match &entry_base {
        Some(base) if relative => base
            .join(raw)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| entry.id.clone()),
        _ => entry.id.clone(),
    };
    let mut item = ParsedItem {
        // As ids were always cleaned (see `sanitize::clean_id`).
        guid: crate::sanitize::clean_id(&id),
        title,
        title_source: Some(title_source),
        link,
        author,
        published: entry.published.filter(in_range),
        updated: entry.updated.filter(in_range),
        summary_html: entry.summary.map(|t| as_html(t.body, t.html)),
        content_html: entry.content.map(|t| as_html(t.body, t.html)),
        enclosures,
        guid_local: relative,
    };
    if item.guid.is_empty() {
        // Known by its link as links were always read: a link written from `www.` (now
        // that site) was a path under the feed's address, and an id made from it stays
        // so (else the article came again, unread).
        let id_link = page_link(&entry.links).and_then(|l| web_link(&l.href, entry_base.as_ref()));
        item.guid = stable_id(&item, id_link.as_deref());
    }
    item.link = item.link.map(crate::links::unescaped_twice);
    if let Some(body) = lines_summary {
        item.summary_html = Some(as_html_with(body, false, true));
    }
    if let Some(body) = lines_content {
        item.content_html = Some(as_html_with(body, false, true));
    }
    if item.link.is_none() {
        item.link = late_link.or(site_link);
    }
    if let Some(found) = site_enclosures.filter(|e| e.len() > item.enclosures.len()) {
        item.enclosures = found;
    }
    // After the id, which hashes the content and title as the feed gave them: ids
    // already in the cache stay the same.
    empty_content_yields(&mut item);
    title_from_text(&mut item);
    for (html, base) in [
        (&mut item.content_html, content_base),
        (&mut item.summary_html, summary_base),
    ] {
        if let (Some(h), Some(b)) = (html.as_mut(), base) {
            super::bases::with_base(h, &b);
        }
    }
    item
}

/// An entry's address: its page link, else (RSS 2.0's isPermaLink default, feedparser's
/// reading of Atom ids too) an id that is a web address or a path on the feed's site.
fn item_link(entry: &SourceEntry, is_rss: bool, base: Option<&Url>) -> Option<String> {
    page_link(&entry.links)
        .and_then(|l| shown_link(l, base))
        .or_else(|| {
            let guid = entry.id.trim();
            if entry.id_not_link {
                return None;
            }
            // An xml:base in scope of an RSS guid: what its relative permalink is
            // relative to ("posts/2", "?p=101" as well as "/posts/2"), as feedparser
            // resolves it.
            let guid_base = is_rss
                .then(|| entry.guid_base.as_deref().and_then(|b| Url::parse(b).ok()))
                .flatten();
            // A web address, or a path on the feed's site ("/items/7", or
            // "//host/items/7" in the site's scheme).
            let address = guid.starts_with("http://")
                || guid.starts_with("https://")
                || (is_rss && guid.starts_with('/'))
                || (guid_base.is_some() && relative_reference(guid));
            address
                .then(|| web_link(guid, guid_base.as_ref().or(base)))
                .flatten()
        })
}

/// A relative reference, not an opaque id: no scheme (no colon before its path), no
/// white space.
fn relative_reference(s: &str) -> bool {
    let head = s.split(['/', '?', '#']).next().unwrap_or("");
    !s.is_empty() && !head.contains(':') && !s.contains(char::is_whitespace)
}

/// A content with no words (`<p></p>`, a lone picture) where the description has some:
/// the description is the article, followed by the content's picture if any. The
/// reader showed the content alone, an empty page.
fn empty_content_yields(item: &mut ParsedItem) {
    // Only a short content can be empty of words; a long one is not looked through.
    let Some(content) = item.content_html.as_deref().filter(|c| c.len() < 4096) else {
        return;
    };
    let Some(summary) = item.summary_html.as_deref() else {
        return;
    };
    if has_words(content) || !has_words(summary) {
        return;
    }
    // A picture, a video or a frame in it is kept after the words.
    let lower = content.to_ascii_lowercase();
    let shows_something = [
        "<img", "<picture", "<svg", "<video", "<audio", "<iframe", "<object", "<embed",
    ]
    .iter()
    .any(|tag| lower.contains(tag));
    item.content_html = shows_something.then(|| format!("{summary}\n{content}"));
}

/// An item with no title (a Mastodon post, a micro.blog note) is listed by the first
/// words of its text, as Mastodon's own clients show such posts; a list of blank rows
/// said nothing. `title_source`, which ids hash, stays the feed's own (empty).
fn title_from_text(item: &mut ParsedItem) {
    if !item.title.is_empty() {
        return;
    }
    if let Some(html) = item
        .summary_html
        .as_deref()
        .or(item.content_html.as_deref())
    {
        let mut end = html.len().min(2048);
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        let line = clean_line(&crate::render::html_to_line(&html[..end]));
        item.title = first_words(&line, 80);
    }
    // No words at all (a pin that is one picture): its address, rather than a blank row.
    if item.title.is_empty() {
        if let Some(link) = &item.link {
            let bare = link
                .split_once("://")
                .map_or(link.as_str(), |(_, rest)| rest)
                .trim_end_matches('/');
            item.title = first_words(bare, 80);
        }
    }
}

/// At most `max` characters of `line`, cut after a word, with an ellipsis when cut.
fn first_words(line: &str, max: usize) -> String {
    if line.chars().count() <= max {
        return line.to_string();
    }
    let cut: String = line.chars().take(max).collect();
    let at = cut
        .rfind(' ')
        .filter(|&at| at > cut.len() / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// Whether HTML has a word outside its tags: a letter, or an entity that stands for
/// something other than a space (`&nbsp;` does not).
fn has_words(html: &str) -> bool {
    let mut in_tag = false;
    let mut chars = html.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '&' => {
                let rest = &html[at..];
                let end = rest.find(';').filter(|e| *e <= 32).map_or(1, |e| e + 1);
                let decoded = html_escape::decode_html_entities(&rest[..end]);
                if decoded.chars().any(|c| !c.is_whitespace() && c != '\u{a0}') {
                    return true;
                }
                // Past the entity (its letters are no words).
                for _ in 1..rest[..end].chars().count() {
                    chars.next();
                }
            }
            // The common case, answered at the first letter.
            c if !c.is_whitespace() && c != '\u{a0}' => return true,
            _ => {}
        }
    }
    false
}

/// Dates a calendar can print: years 1 to 9999 (RFC 3339 has no others).
fn in_range(d: &DateTime<Utc>) -> bool {
    use chrono::Datelike;
    // 0001-01-01T00:00:00Z is Go's zero time: Hugo and other Go programs write it for a
    // page with no date.
    (1..=9999).contains(&d.year()) && d.timestamp() != GO_ZERO_TIME
}

/// 0001-01-01T00:00:00Z in seconds since 1970.
const GO_ZERO_TIME: i64 = -62_135_596_800;

/// The id of an entry that has none of its own: its link, else a hash of what it says,
/// as the feed says it (the title before rendering), so ids outlive renderer changes.
fn stable_id(item: &ParsedItem, link: Option<&str>) -> String {
    if let Some(link) = link {
        return link.to_string();
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

/// RSS writes authors as `mail@example.org (Name)`: keep the name.
fn author_name(raw: &str) -> String {
    // An escaped name (`Bob &amp; Alice` inside CDATA, as WordPress themes write it)
    // is read as HTML text, as a title is; `AT&T` names no entity and stays.
    let raw = if raw.contains('&') && super::looks_html::looks_like_html(raw) {
        html_escape::decode_html_entities(raw)
    } else {
        raw.into()
    };
    // Markup in a name (arXiv's RDF links each author to a search): its text.
    let raw = if raw.contains('<') && super::looks_html::looks_like_html(&raw) {
        crate::render::html_to_line(&raw).into()
    } else {
        raw
    };
    let cleaned = clean_line(&windows_1252_controls(&raw));
    // `Name <mail@example.org>`, as mail writes it: the name (feedparser's reading).
    if let Some(name) = cleaned
        .strip_suffix('>')
        .and_then(|c| c.rsplit_once('<'))
        .filter(|(name, mail)| mail.contains('@') && !name.trim().is_empty())
        .map(|(name, _)| name.trim().trim_matches('"').trim())
    {
        return name.to_string();
    }
    match (cleaned.find('('), cleaned.ends_with(')')) {
        // `mail@example.org (Name)`, RSS's form: the name. Words before the brackets
        // are a name with a note ("Jane Doe (Guest)"), kept whole.
        (Some(open), true)
            if open + 1 < cleaned.len() - 1
                && (cleaned[..open].contains('@') || cleaned[..open].trim().is_empty()) =>
        {
            // Flickr writes `nobody@flickr.com ("name")`.
            let name = cleaned[open + 1..cleaned.len() - 1].trim();
            name.strip_prefix('"')
                .and_then(|n| n.strip_suffix('"'))
                .unwrap_or(name)
                .trim()
                .to_string()
        }
        // `Name (mail@example.org)`: the name (feedparser's reading).
        (Some(open), true)
            if !cleaned[..open].trim().is_empty() && {
                let inside = &cleaned[open + 1..cleaned.len() - 1];
                inside.contains('@') && !inside.contains(char::is_whitespace)
            } =>
        {
            cleaned[..open].trim().to_string()
        }
        // `mail@example.org(Name)` with no space: a reader took the address and the
        // opening bracket off, and left the closing one.
        // (Only after a letter: "Smiley :)" keeps its smile.)
        (None, true)
            if cleaned[..cleaned.len() - 1]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '.') =>
        {
            cleaned[..cleaned.len() - 1].trim().to_string()
        }
        _ => cleaned,
    }
}

/// A title as one clean line. RSS says nothing of a title's type, and feeds put escaped
/// HTML in them (`&lt;b&gt;New&lt;/b&gt;`): read as HTML when it looks like HTML (see
/// `looks_html`), as feedparser does.
fn title_line(text: &SourceText, is_rss: bool) -> String {
    if is_rss && !text.html && super::looks_html::looks_like_html(&text.body) {
        return text_to_line(&SourceText {
            body: text.body.clone(),
            html: true,
        });
    }
    text_to_line(text)
}

/// C1 control characters (U+0080-U+009F) in a feed's text are Windows-1252 written as
/// numeric references (`&#150;` for a dash) or decoded as Latin-1: shown as the
/// characters that code page has there, as browsers and feedparser show them, rather
/// than removed as controls.
fn windows_1252_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let has = memchr::memchr_iter(0xc2, b).any(|at| matches!(b.get(at + 1), Some(0x80..=0x9f)));
    if !has {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            '\u{80}'..='\u{9f}' => super::repair::browser_char(c as u32),
            c => c,
        })
        .collect::<String>()
        .into()
}

/// A title-like text as one clean line: tags dropped, entities (`&nbsp;`, `&amp;`) decoded.
fn text_to_line(text: &SourceText) -> String {
    let raw = &windows_1252_controls(&text.body);
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
    as_html_with(body, is_html, false)
}

/// `as_html`; with `breaks`, plain text's single line breaks stay breaks (`<br>`).
fn as_html_with(body: String, is_html: bool, breaks: bool) -> String {
    let body = match windows_1252_controls(&body) {
        std::borrow::Cow::Owned(mapped) => mapped,
        std::borrow::Cow::Borrowed(_) => body,
    };
    let body = crate::sanitize::clean_owned(body);
    if is_html {
        return body;
    }
    // HTML entities the XML layer did not know (`&copy;` undeclared) stay in the text as
    // written: they mean their characters, as in titles.
    let body = html_escape::decode_html_entities(&body);
    body.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let text = html_escape::encode_text(p.trim());
            if breaks {
                let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
                format!("<p>{}</p>", lines.join("<br>\n"))
            } else {
                format!("<p>{text}</p>")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
