//! JSON Feed (1.0 and 1.1) read as the web writes it. The specification asks a reader
//! to take an id that is not a string as its text; publishers also write numbers as
//! strings, an author as a plain name, a date as a number, and leave fields out. A field
//! of the wrong shape is skipped or coerced, never the whole feed refused (feed-rs's
//! typed reading refused the feed for any of them, and dropped attachments).

use super::source::{Source, SourceEntry, SourceLink, SourceText};
use serde_json::{Map, Value};

/// `Err` with a one-line reason when the text is not JSON or not a JSON Feed.
pub(super) fn read(body: &str) -> Result<Source, String> {
    let value: Value = serde_json::from_str(body.trim())
        .or_else(|e| without_trailing_commas(body).ok_or(e))
        .or_else(|e| {
            let mended = lone_surrogates_replaced(body).ok_or(e)?;
            serde_json::from_str(mended.trim())
                .or_else(|e| without_trailing_commas(&mended).ok_or(e))
        })
        .map_err(|e| format!("unable to parse JSON: {e}"))?;
    let Value::Object(feed) = value else {
        return Err("a JSON document that is not a JSON Feed (no object at its top)".into());
    };
    let version = text(feed.get("version")).unwrap_or_default();
    // Without the version, items that look like a feed's (an API's answer with an
    // `items` list of its own is no feed).
    let like_items = list(feed.get("items")).iter().any(|i| {
        [
            "content_html",
            "content_text",
            "url",
            "title",
            "summary",
            "external_url",
        ]
        .iter()
        .any(|k| i.get(k).is_some_and(|v| v.is_string()))
    });
    if !version.contains("jsonfeed.org/version/") && !like_items {
        return Err("a JSON document that is not a JSON Feed (no version, no items)".into());
    }
    let feed_authors = authors(&feed);
    let mut links = Vec::new();
    links.extend(text(feed.get("home_page_url")).map(|href| link(href, None)));
    // Where the feed itself lives: never the page the feed stands for.
    links.extend(text(feed.get("feed_url")).map(|href| link(href, Some("self"))));
    let entries = list(feed.get("items"))
        .into_iter()
        .filter_map(Value::as_object)
        .map(|item| entry(item, &feed_authors))
        .collect();
    Ok(Source {
        title: text(feed.get("title")).map(plain),
        links,
        description: text(feed.get("description")).map(plain),
        entries,
        is_rss: false,
        base: None,
    })
}

fn entry(item: &Map<String, Value>, feed_authors: &[String]) -> SourceEntry {
    let mut links = Vec::new();
    // A blank `url` names no page (an `external_url` beside it is then the link).
    let own = text(item.get("url")).filter(|u| !u.trim().is_empty());
    // A link blog's item points elsewhere; its own page, when it names one, is `url`.
    let elsewhere =
        text(item.get("external_url")).map(|href| link(href, own.is_some().then_some("related")));
    links.extend(own.map(|href| link(href, None)));
    links.extend(elsewhere);
    let mut media = Vec::new();
    {
        for a in list(item.get("attachments"))
            .into_iter()
            .filter_map(Value::as_object)
        {
            let Some(url) = text(a.get("url")).filter(|u| !u.trim().is_empty()) else {
                continue;
            };
            media.push((
                Some(url),
                text(a.get("mime_type")),
                number(a.get("size_in_bytes")),
            ));
        }
    }
    let html = text(item.get("content_html")).map(|b| SourceText {
        body: b.trim().to_string(),
        html: true,
    });
    let plain_text = text(item.get("content_text")).map(|b| SourceText {
        body: b.trim().to_string(),
        html: false,
    });
    let mut summary = text(item.get("summary")).map(plain);
    // Both bodies: the HTML one is the content, the text one the summary when there is
    // none (feed-rs's reading, kept).
    let content = match (html, plain_text) {
        (Some(h), Some(t)) => {
            summary = summary.or(Some(t));
            Some(h)
        }
        (h, t) => h.or(t),
    };
    // The feed's authors stand in only where the item names none of its own: an item
    // author given by address or picture alone is no one the feed names.
    let mut author_names = authors(item);
    if author_names.is_empty() && !item.contains_key("authors") && !item.contains_key("author") {
        author_names = feed_authors.to_vec();
    }
    SourceEntry {
        // content_text is plain text whose line breaks are the author's.
        text_lines: true,
        id: id(item.get("id")),
        // Resolved against the feed's address when relative, as feed-rs's reading had
        // it: the ids already in people's caches stay the same.
        id_not_link: false,
        base: None,
        content_base: None,
        summary_base: None,
        guid_base: None,
        title: text(item.get("title")).map(plain),
        links,
        late_links: Vec::new(),
        author_names,
        content,
        summary,
        media,
        published: date(item.get("date_published")),
        updated: date(item.get("date_modified")),
    }
}

fn link(href: String, rel: Option<&str>) -> SourceLink {
    SourceLink {
        href,
        rel: rel.map(str::to_string),
        media_type: None,
        length: None,
        site: None,
    }
}

fn plain(body: String) -> SourceText {
    SourceText { body, html: false }
}

/// A JSON Feed after the warning a PHP site printed before it (`<br />\n<b>Deprecated</b>:
/// ... on line <b>12</b><br />`), as the same warning before an RSS document is passed
/// over: from its first `{`, when it ends as an object does and nothing before it is a
/// feed's own markup.
pub(super) fn after_warning(body: &str) -> Option<&str> {
    let t = body.trim_start();
    if !t.starts_with('<') || !t.trim_end().ends_with('}') {
        return None;
    }
    let brace = t.find('{')?;
    let before = t[..brace].to_ascii_lowercase();
    let warning = before.contains("<br") || before.contains("<b>");
    let feed_markup = ["<rss", "<feed", "<rdf", "<?xml", "<html", "<channel"]
        .iter()
        .any(|m| before.contains(m));
    (warning && !feed_markup).then(|| &t[brace..])
}

/// JSON that is no object at its top (`[...]`, `null`): said as such, not as XML.
pub(super) fn other_json(body: &str) -> bool {
    let t = body.trim();
    (t.starts_with('[') && t.ends_with(']') && serde_json::from_str::<Value>(t).is_ok())
        || t == "null"
}

/// A list's values; one object written where the list belongs is a list of one.
fn list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(values)) => values.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    }
}

/// A string, or a number or boolean written where a string belongs, as its text.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The id as text, whatever JSON type it was written in ("must be coerced to a string").
fn id(value: Option<&Value>) -> String {
    text(value)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// A size: a number, or a number written as a string (`"1000"`, `1000.0`).
fn number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| *f >= 0.0)
            .map(|f| f as u64),
        _ => None,
    }
}

/// RFC 3339 as the specification says, else what the date reader makes of the text,
/// else a number of seconds since 1970.
fn date(value: Option<&Value>) -> Option<chrono::DateTime<chrono::Utc>> {
    match value? {
        Value::String(s) => super::dates::parse(s.trim()),
        Value::Number(n) => chrono::DateTime::from_timestamp(n.as_i64()?, 0),
        _ => None,
    }
}

/// The names in `authors` (1.1) and `author` (1.0), each an object with a name, or a
/// plain string; one object where a list belongs is read too.
fn authors(object: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for key in ["authors", "author"] {
        let people: Vec<&Value> = match object.get(key) {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one) => vec![one],
            None => continue,
        };
        for person in people {
            let name = match person {
                Value::Object(p) => text(p.get("name")),
                Value::String(s) => Some(s.clone()),
                _ => None,
            };
            if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// The document again without the commas JavaScript allows before `]` and `}` (outside
/// strings), for the feeds templates write by hand.
fn without_trailing_commas(body: &str) -> Option<Value> {
    let mut out = String::with_capacity(body.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = body.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            in_string = c != '"' || escaped;
            escaped = c == '\\' && !escaped;
            out.push(c);
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some(']') | Some('}')) {
                continue;
            }
        }
        out.push(c);
    }
    serde_json::from_str(out.trim()).ok()
}

/// The document with each `\uD800`-`\uDFFF` escape that is not half of a pair made
/// U+FFFD, as browsers and Python read it (JavaScript's `JSON.stringify` writes one for a
/// string cut in the middle of an emoji, and serde refuses the whole document for it).
/// None when there is none.
fn lone_surrogates_replaced(body: &str) -> Option<String> {
    let surrogate = |hex: &str| {
        u16::from_str_radix(hex, 16)
            .ok()
            .filter(|u| (0xD800..=0xDFFF).contains(u))
    };
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    let (mut from, mut at, mut changed) = (0, 0, false);
    while let Some(found) = memchr::memchr(b'\\', &bytes[at..]) {
        let i = at + found;
        // An escaped backslash is passed whole (its second half is no escape).
        if bytes.get(i + 1) == Some(&b'\\') {
            at = i + 2;
            continue;
        }
        let unit = |j: usize| {
            (bytes.get(j + 1) == Some(&b'u'))
                .then(|| body.get(j + 2..j + 6))
                .flatten()
                .and_then(surrogate)
        };
        match unit(i) {
            Some(high) if (0xD800..0xDC00).contains(&high) => {
                if unit(i + 6).is_some_and(|low| low >= 0xDC00) {
                    at = i + 12;
                    continue;
                }
                out.push_str(&body[from..i]);
                out.push_str("\\uFFFD");
                (from, at, changed) = (i + 6, i + 6, true);
            }
            Some(_) => {
                out.push_str(&body[from..i]);
                out.push_str("\\uFFFD");
                (from, at, changed) = (i + 6, i + 6, true);
            }
            None => at = i + 1,
        }
    }
    out.push_str(&body[from..]);
    changed.then_some(out)
}
