//! Finding the feeds of a web page, for `bulletin add` and the TUI's `a`: the page's
//! `<link rel="alternate">` feeds (resolved against `<base>` and the page's URL), else the
//! places sites usually put one (`/feed`, `/rss.xml`, ...), else links on the page that
//! look like feeds. Every candidate but the page's own alternates is fetched and parsed
//! before it is offered, so nothing that is not a feed is.

use crate::fetch::{FetchOutcome, Fetcher};
use crate::model::{ParsedFeed, Validators};
use scraper::{Html, Selector};
use url::Url;

/// Where sites put their feed when the page does not say.
pub const COMMON_PATHS: [&str; 7] = [
    "/feed",
    "/feed/",
    "/rss",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
];

/// At most this many `<a>` links are tried.
const MAX_LINK_GUESSES: usize = 8;

/// A feed found for a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub url: String,
    /// The `title` of the link, or the feed's own title when it was fetched.
    pub title: Option<String>,
}

/// A feed fetched and parsed: where it ended up (after redirects) and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub url: String,
    pub feed: ParsedFeed,
}

/// What an address turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Discovery {
    /// A feed itself.
    Feed(Found),
    /// A page, with the feeds found for it (none, one or several).
    Page(Vec<Candidate>),
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{0} is not an http(s) or gemini address, a file:// URL or a path")]
    BadUrl(String),
}

/// Fetches `url` and, when it is a feed, parses it.
pub fn fetch_feed(fetcher: &Fetcher, url: &str) -> Result<Found, DiscoverError> {
    match fetch_any(fetcher, url)? {
        (final_url, Ok(feed)) => Ok(Found {
            url: final_url,
            feed,
        }),
        (final_url, Err(reason)) => Err(DiscoverError::Fetch {
            url: final_url,
            reason: format!("not a feed ({reason})"),
        }),
    }
}

/// What `url` is: a feed, or a page and its feeds.
pub fn discover(fetcher: &Fetcher, url: &str) -> Result<Discovery, DiscoverError> {
    let url = normalise(url)?;
    let fetched = fetch_raw(fetcher, &url)?;
    let (body, content_type, final_url) = fetched;
    if let Ok(feed) = crate::parse::parse_feed(&body, content_type.as_deref(), &final_url) {
        return Ok(Discovery::Feed(Found {
            url: final_url,
            feed,
        }));
    }
    let page = Url::parse(&final_url).map_err(|_| DiscoverError::BadUrl(final_url.clone()))?;
    // What the page links to is fetched as the page's content: public addresses only,
    // unless the address typed is a private one (not where a redirect went: a public
    // address that redirects to this machine gains nothing).
    let fetcher = &fetcher.for_content_of(&url);
    let html = String::from_utf8_lossy(&body);
    // A Gemini page that is not a gemlog: its links that look like a feed or a gemlog.
    let gemtext = content_type.as_deref().is_some_and(|c| {
        c.trim_start()
            .to_ascii_lowercase()
            .starts_with("text/gemini")
    });
    if gemtext {
        let mut found = Vec::new();
        for link in crate::gemini::gemtext::feed_like_links(&html, &final_url)
            .into_iter()
            .take(MAX_LINK_GUESSES)
        {
            try_candidate(fetcher, &link, &mut found);
        }
        if !found.is_empty() {
            return Ok(Discovery::Page(found));
        }
    }
    let alternates = alternates(&html, &page);
    if !alternates.is_empty() {
        return Ok(Discovery::Page(alternates));
    }
    // Nothing declared: the usual places, then links that look like feeds, each tried.
    let mut found = Vec::new();
    for path in COMMON_PATHS {
        // From the site's root, then from the page's folder (a blog under /blog/).
        let mut tried: Vec<Url> = Vec::new();
        for u in [page.join(path), page.join(path.trim_start_matches('/'))]
            .into_iter()
            .flatten()
        {
            if !tried.contains(&u) {
                try_candidate(fetcher, u.as_str(), &mut found);
                tried.push(u);
            }
        }
        // One is enough: sites answer several of these with the same feed.
        if !found.is_empty() {
            return Ok(Discovery::Page(found));
        }
    }
    for link in feed_like_links(&html, &page)
        .into_iter()
        .take(MAX_LINK_GUESSES)
    {
        try_candidate(fetcher, &link, &mut found);
    }
    Ok(Discovery::Page(found))
}

/// Adds `url` to `found` when it fetches as a feed (under its final URL, once).
fn try_candidate(fetcher: &Fetcher, url: &str, found: &mut Vec<Candidate>) {
    if let Ok((final_url, Ok(feed))) = fetch_any(fetcher, url) {
        if !found.iter().any(|c| c.url == final_url) {
            found.push(Candidate {
                url: final_url,
                title: feed.title,
            });
        }
    }
}

/// `feed://host/path` and `feed:https://host/path`, the old feed-reader schemes, as the
/// http(s) URL they stand for.
fn unfeed(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("feed:http") {
        url[5..].to_string()
    } else if lower.starts_with("feed://") {
        format!("http://{}", &url[7..])
    } else {
        url.to_string()
    }
}

/// Discovery of an address as the user typed it: one typed with no scheme
/// (`example.org/feed.xml`) is tried with https, then, when https cannot be had from
/// that server, with http. The second value says so ("https://… failed: …; http://
/// answered"), for the user to know which was subscribed.
pub fn discover_typed(
    fetcher: &Fetcher,
    typed: &str,
) -> Result<(Discovery, Option<String>), DiscoverError> {
    let url = normalise(typed)?;
    let unschemed = !unfeed(typed.trim()).contains("://") && url.starts_with("https://");
    match discover(fetcher, &url) {
        Err(DiscoverError::Fetch { reason, .. }) if unschemed => {
            let plain = format!("http://{}", &url["https://".len()..]);
            match discover(fetcher, &plain) {
                Ok(found) => Ok((
                    found,
                    Some(format!("{url} failed ({reason}); {plain} answered")),
                )),
                // Both failed: the https error is the one to read.
                Err(_) => Err(DiscoverError::Fetch { url, reason }),
            }
        }
        other => Ok((other?, None)),
    }
}

/// A URL as typed: `example.org` is `https://example.org/`.
pub fn normalise(url: &str) -> Result<String, DiscoverError> {
    let url = unfeed(url.trim());
    let url = url.as_str();
    if url.is_empty() {
        return Err(DiscoverError::BadUrl(url.to_string()));
    }
    if let Ok(u) = Url::parse(url) {
        if matches!(u.scheme(), "http" | "https" | "file" | "gemini") {
            return Ok(u.to_string());
        }
        // "example.org:8080/x" parses with the scheme "example.org".
        let port_follows = url
            .split(':')
            .nth(1)
            .is_some_and(|p| p.starts_with(|c: char| c.is_ascii_digit()));
        if u.cannot_be_a_base() && !url.contains("://") && port_follows {
            return normalise(&format!("https://{url}"));
        }
        return Err(DiscoverError::BadUrl(url.to_string()));
    }
    if url.starts_with('/') || url.starts_with('.') || url.starts_with('~') {
        return Ok(url.to_string());
    }
    Url::parse(&format!("https://{url}"))
        .map(|u| u.to_string())
        .map_err(|_| DiscoverError::BadUrl(url.to_string()))
}

type Raw = (Vec<u8>, Option<String>, String);

fn fetch_raw(fetcher: &Fetcher, url: &str) -> Result<Raw, DiscoverError> {
    match fetcher.fetch(url, &Validators::default()) {
        Ok(FetchOutcome::Modified(f)) => Ok((f.body, f.content_type, f.final_url)),
        Ok(FetchOutcome::NotModified { .. }) => Err(DiscoverError::Fetch {
            url: url.to_string(),
            reason: "the server answered 304 to a plain GET".into(),
        }),
        Err(e) => Err(DiscoverError::Fetch {
            url: url.to_string(),
            reason: e.to_string(),
        }),
    }
}

fn fetch_any(
    fetcher: &Fetcher,
    url: &str,
) -> Result<(String, Result<ParsedFeed, String>), DiscoverError> {
    let (body, content_type, final_url) = fetch_raw(fetcher, url)?;
    let parsed = crate::parse::parse_feed(&body, content_type.as_deref(), &final_url)
        .map_err(|e| e.to_string());
    Ok((final_url, parsed))
}

/// The base of a page's relative links: its `<base href>` (itself resolved against the
/// page), else the page's URL.
fn base_of(doc: &Html, page: &Url) -> Url {
    Selector::parse("base[href]")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page.join(href.trim()).ok())
        .unwrap_or_else(|| page.clone())
}

/// The feeds a page declares with `<link rel="alternate">`, in page order, once each.
pub fn alternates(html: &str, page: &Url) -> Vec<Candidate> {
    let doc = Html::parse_document(&crate::html_depth::limited(html));
    let base = base_of(&doc, page);
    let Ok(links) = Selector::parse("link[href]") else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = Vec::new();
    for link in doc.select(&links) {
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
        let Some(url) = base.join(&unfeed(href.trim())).ok() else {
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
        let title = v
            .attr("title")
            .map(crate::sanitize::clean_line)
            .filter(|t| !t.is_empty());
        out.push(Candidate { url, title });
    }
    out
}

/// `<a>` links whose address looks like a feed's, same site first.
pub fn feed_like_links(html: &str, page: &Url) -> Vec<String> {
    let doc = Html::parse_document(&crate::html_depth::limited(html));
    let base = base_of(&doc, page);
    let Ok(anchors) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    let mut same = Vec::new();
    let mut other = Vec::new();
    for a in doc.select(&anchors) {
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
        if !looks {
            continue;
        }
        let s = url.to_string();
        let list = if url.host() == page.host() {
            &mut same
        } else {
            &mut other
        };
        if !list.contains(&s) {
            list.push(s);
        }
    }
    same.extend(other);
    same
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
            </head></html>"#;
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
    fn feed_like_links_same_site_first() {
        let page = Url::parse("https://site.example/").unwrap();
        let html = r#"<a href="https://elsewhere.example/feed">x</a> <a href="/about">a</a>
            <a href="/subscribe/rss">r</a> <a href="mailto:x@y">m</a> <a href="/subscribe/rss">again</a>
            <a href="/?feed=rss2">wp</a>"#;
        assert_eq!(
            feed_like_links(html, &page),
            [
                "https://site.example/subscribe/rss",
                "https://site.example/?feed=rss2",
                "https://elsewhere.example/feed"
            ]
        );
    }

    #[test]
    fn typed_addresses_become_urls() {
        assert_eq!(normalise("site.example").unwrap(), "https://site.example/");
        assert_eq!(
            normalise("site.example/blog").unwrap(),
            "https://site.example/blog"
        );
        assert_eq!(
            normalise("http://127.0.0.1:8080/x").unwrap(),
            "http://127.0.0.1:8080/x"
        );
        assert_eq!(normalise("./feeds/a.xml").unwrap(), "./feeds/a.xml");
        assert_eq!(
            normalise("feed://site.example/rss").unwrap(),
            "http://site.example/rss"
        );
        assert_eq!(
            normalise("feed:https://site.example/rss").unwrap(),
            "https://site.example/rss"
        );
        assert!(normalise("javascript:alert(1)").is_err());
        assert!(normalise("  ").is_err());
    }
}
