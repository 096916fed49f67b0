//! What a web page says of its feeds: its `<link rel="alternate">` feeds, its `<a>` links
//! that look like one (by address, or by a text such as "RSS"), and where a
//! `<meta http-equiv="refresh">` sends the reader. Links resolve against `<base>` and the
//! page's URL; those in a `<template>` are no part of the page.

use super::Candidate;
use scraper::{ElementRef, Html, Selector};
use url::Url;

/// The page's text, read as a browser reads it (the header's charset, a byte-order
/// mark, `<meta charset>`): a page in Shift_JIS gave garbled titles, and a link with an
/// accent the wrong address, when read as UTF-8.
pub fn text(body: &[u8], content_type: Option<&str>) -> String {
    crate::fulltext::charset::decode(body, content_type)
}

/// The base of a page's relative links: its `<base href>` (itself resolved against the
/// page), else the page's URL.
fn base_of(doc: &Html, page: &Url) -> Url {
    Selector::parse("base[href]")
        .ok()
        .and_then(|s| doc.select(&s).find(|e| !in_template(e)))
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page.join(href.trim()).ok())
        .unwrap_or_else(|| page.clone())
}

/// Inside a `<template>`: markup a script may use, never shown (nor fetched) as it is.
fn in_template(e: &ElementRef) -> bool {
    e.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|el| el.name() == "template")
    })
}

/// The feeds a page declares with `<link rel="alternate">`, in page order, once each.
pub fn alternates(html: &str, page: &Url) -> Vec<Candidate> {
    let doc = Html::parse_document(&crate::html_depth::limited(html));
    let base = base_of(&doc, page);
    let Ok(links) = Selector::parse("link[href]") else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = Vec::new();
    for link in doc.select(&links).filter(|l| !in_template(l)) {
        let v = link.value();
        let rel = v.attr("rel").unwrap_or("").to_ascii_lowercase();
        if !rel
            .split_ascii_whitespace()
            .any(|r| r == "alternate" || r == "feed")
        {
            continue;
        }
        let kind = v.attr("type").unwrap_or("").trim().to_ascii_lowercase();
        let href = v.attr("href").unwrap_or("");
        let title_attr = v.attr("title").unwrap_or("");
        let feed_type = match kind.split(';').next().unwrap_or("").trim() {
            "application/rss+xml"
            | "application/atom+xml"
            | "application/feed+json"
            | "application/rdf+xml"
            | "application/x.atom+xml"
            | "application/x-atom+xml"
            | "text/xml"
            | "application/xml" => true,
            // JSON Feed's old type, which WordPress also gives its REST API links: only
            // when the link says it is a feed.
            "application/json" => {
                let said = format!("{href} {title_attr}").to_ascii_lowercase();
                said.contains("feed")
            }
            _ => false,
        };
        // rel="feed" with no type is a feed too (the HTML spec's own keyword).
        let bare_feed = kind.is_empty() && rel.split_ascii_whitespace().any(|r| r == "feed");
        if !(feed_type || bare_feed) {
            continue;
        }
        let Some(url) = base.join(&super::unfeed(href.trim())).ok() else {
            continue;
        };
        // A web page's links lead to the web only: a `file:` link on it would have us
        // read this machine's files (or hang on a FIFO). A local page may name its
        // neighbours.
        let local_page = page.scheme() == "file";
        let web = matches!(url.scheme(), "http" | "https");
        if !(web || local_page && url.scheme() == "file") {
            continue;
        }
        let url = url.to_string();
        if out.iter().any(|c| c.url == url) {
            continue;
        }
        let title = Some(crate::sanitize::clean_line(title_attr)).filter(|t| !t.is_empty());
        out.push(Candidate {
            url,
            title,
            comments: false,
            found: None,
        });
    }
    out
}

/// A page's `<a>` links that may be feeds: on the page's own site, those that say so
/// (reading "RSS", a feed icon) and those whose address looks like a feed's (`/feed`,
/// `rss.xml`, `?feed=rss2`); then links to other sites (a blogroll's).
#[derive(Debug, Default, PartialEq)]
pub struct FeedLinks {
    pub said: Vec<String>,
    pub addressed: Vec<String>,
    pub elsewhere: Vec<String>,
}

pub fn feed_like_links(html: &str, page: &Url) -> FeedLinks {
    let doc = Html::parse_document(&crate::html_depth::limited(html));
    let base = base_of(&doc, page);
    let mut out = FeedLinks::default();
    let Ok(anchors) = Selector::parse("a[href]") else {
        return out;
    };
    for a in doc.select(&anchors).filter(|a| !in_template(a)) {
        let Some(url) = a
            .value()
            .attr("href")
            .and_then(|h| base.join(h.trim()).ok())
        else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        // The path and the query: WordPress's feeds are "/?feed=rss2".
        let path = format!("{}?{}", url.path(), url.query().unwrap_or("")).to_ascii_lowercase();
        let looks = ["rss", "atom", "feed", ".xml", "json"]
            .iter()
            .any(|w| path.contains(w));
        let said = says_feed(&a);
        if !looks && !said {
            continue;
        }
        // The same site: the same host and port (a port is another server).
        let own = url.host_str() == page.host_str() && url.port() == page.port();
        let list = match (own, said) {
            (true, true) => &mut out.said,
            (true, false) => &mut out.addressed,
            (false, _) => &mut out.elsewhere,
        };
        let s = url.to_string();
        if !list.contains(&s) {
            list.push(s);
        }
    }
    out
}

/// Whether a link says it leads to a feed: its text, title or class has the word RSS
/// or Atom, or reads "feed"; or its picture is a feed icon (`feed-icon.png`, alt "RSS").
fn says_feed(a: &ElementRef) -> bool {
    fn words(s: &str) -> Vec<String> {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }
    let v = a.value();
    let text = [
        a.text().collect::<String>(),
        v.attr("title").unwrap_or("").into(),
        v.attr("class").unwrap_or("").into(),
    ];
    let by_text = text.iter().map(|t| words(t)).any(|w| {
        w.iter().any(|w| w == "rss" || w == "atom")
            || w == ["feed"]
            || w == ["subscribe", "to", "feed"]
    });
    let by_icon = Selector::parse("img").is_ok_and(|img| {
        a.select(&img).any(|i| {
            let said = format!(
                "{} {}",
                i.value().attr("alt").unwrap_or(""),
                i.value().attr("src").unwrap_or("")
            );
            words(&said)
                .iter()
                .any(|w| matches!(w.as_str(), "rss" | "atom" | "feed"))
        })
    });
    by_text || by_icon
}

/// Where a `<meta http-equiv="refresh" content="0; url=...">` sends the reader, when it
/// is a web address.
pub fn refresh_target(html: &str, page: &Url) -> Option<Url> {
    let doc = Html::parse_document(&crate::html_depth::limited(html));
    let base = base_of(&doc, page);
    let metas = Selector::parse("meta[http-equiv][content]").ok()?;
    let meta = doc.select(&metas).find(|m| {
        !in_template(m)
            && m.value()
                .attr("http-equiv")
                .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"))
    })?;
    let content = meta.value().attr("content")?;
    // "5; URL='https://...'": after the delay, `url=` in any case, quotes optional. A
    // page that sends its reader on only after a while (a 404's "back to the home page
    // in 30 s") is read, not left.
    let (delay, rest) = content.split_once([';', ','])?;
    if delay.trim().parse::<f64>().map_or(true, |d| d > 5.0) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("url="))
        .map_or(rest, |_| &rest[4..]);
    let target = rest.trim().trim_matches(['\'', '"']).trim();
    let url = base.join(target).ok()?;
    (matches!(url.scheme(), "http" | "https") && url != *page).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternates_resolve_against_base_and_page() {
        let page = Url::parse("https://site.example/blog/post.html").unwrap();
        let html = r#"<html><head><base href="/news/">
            <link rel="alternate" type="application/rss+xml" title="All posts" href="rss.xml">
            <link rel="ALTERNATE" type="application/atom+xml; charset=utf-8" href="https://other.example/atom">
            <link rel="alternate" type="text/html" href="/fr/">
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/feed+json" href="feed.json">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" href="rss.xml">
            <link rel="alternate" type="application/json" href="https://site.example/wp-json/wp/v2/pages/12">
            <link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
            <link rel="alternate" type="application/rss+xml" href="feed://podcasts.example/show">
            </head><body><template><link rel="alternate" type="application/rss+xml" href="/t.xml"></template></body></html>"#;
        let got = alternates(html, &page);
        let urls: Vec<&str> = got.iter().map(|c| c.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://site.example/news/rss.xml",
                "https://other.example/atom",
                "https://site.example/news/feed.json",
                "http://podcasts.example/show"
            ]
        );
        assert_eq!(got[0].title.as_deref(), Some("All posts"));
        // Without <base>, the page's own URL.
        let plain = alternates(
            r#"<link rel="alternate" type="application/atom+xml" href="../atom.xml">"#,
            &page,
        );
        assert_eq!(plain[0].url, "https://site.example/atom.xml");
    }

    #[test]
    fn feed_like_links_by_what_they_say_then_by_address_then_elsewhere() {
        let page = Url::parse("https://site.example/").unwrap();
        let html = r#"<a href="https://elsewhere.example/feed">x</a> <a href="/about">a</a>
            <a href="/subscribe/rss">r</a> <a href="mailto:x@y">m</a> <a href="/subscribe/rss">again</a>
            <a href="/?feed=rss2">wp</a> <a href="/subscribe">RSS</a>
            <a href="/follow"><img src="/icons/feed-icon.png" alt=""></a>
            <a href="/news">Feedback</a> <a href="/x">Our feed of thoughts</a>
            <a href="https://site.example:8443/feed">other port</a>
            <template><a href="/t/rss.xml">t</a></template>"#;
        assert_eq!(
            feed_like_links(html, &page),
            FeedLinks {
                said: vec![
                    "https://site.example/subscribe".to_string(),
                    "https://site.example/follow".into(),
                ],
                addressed: vec![
                    "https://site.example/subscribe/rss".to_string(),
                    "https://site.example/?feed=rss2".into(),
                ],
                elsewhere: vec![
                    "https://elsewhere.example/feed".to_string(),
                    "https://site.example:8443/feed".into(),
                ],
            }
        );
    }

    #[test]
    fn a_meta_refresh_names_where_the_page_went() {
        let page = Url::parse("https://site.example/old/").unwrap();
        let target = |html: &str| refresh_target(html, &page).map(String::from);
        assert_eq!(
            target(r#"<meta http-equiv="Refresh" content="0; URL='/new/'">"#).as_deref(),
            Some("https://site.example/new/")
        );
        assert_eq!(
            target(r#"<meta http-equiv="refresh" content="3;url=https://b.example/">"#).as_deref(),
            Some("https://b.example/")
        );
        assert_eq!(target(r#"<meta http-equiv="refresh" content="30">"#), None);
        assert_eq!(
            target(r#"<meta http-equiv="refresh" content="30; url=/">"#),
            None
        );
        assert_eq!(
            target(r#"<meta http-equiv="refresh" content="0; url=file:///etc/passwd">"#),
            None
        );
    }
}
