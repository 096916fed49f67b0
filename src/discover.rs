//! Finding the feeds of a web page, for `bulletin add` and the TUI's `a`: the page's
//! `<link rel="alternate">` feeds, else where its `<meta http-equiv="refresh">` goes,
//! else its own links that look like feeds and the places sites usually put one (the
//! page's folder first: a blog under `/blog/`), else links to other sites' feeds. Every
//! candidate is fetched and parsed before it is offered (several at once), so nothing
//! that is not a feed is, and the same feed is offered once, the site's own before its
//! comments (`rank`).

mod page;
mod rank;
mod tries;

use tries::Tried;

use crate::fetch::{FetchOutcome, Fetcher};
use crate::model::{ParsedFeed, Validators};
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

/// A page's declared feeds are checked in groups of this many (`AT_ONCE` of them
/// fetched at a time), until one is a feed (a page may declare thousands, the first of
/// them gone), up to `MAX_ALTERNATES`.
const ALTERNATES_AT_ONCE: usize = 16;
const MAX_ALTERNATES: usize = 64;

/// Candidates fetched at once: a site that never answers costs one timeout, not one
/// for each place tried.
const AT_ONCE: usize = 8;

/// A feed found for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub url: String,
    /// The `title` of the link, or the feed's own title when it was fetched.
    pub title: Option<String>,
    /// A feed of the site's comments, offered after the site's own.
    pub comments: bool,
    /// The feed as fetched to check it: what `add` takes, so that it is not fetched twice.
    pub found: Option<Box<Found>>,
}

/// A feed fetched and parsed: its address to subscribe to and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Where it was asked for, or where every redirect on the way said it moved for
    /// good (301, 308): a temporary redirect's target (a signed CDN link, a counter's
    /// hop) is no address to keep.
    pub url: String,
    pub feed: ParsedFeed,
}

/// What an address turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Discovery {
    /// A feed itself.
    Feed(Found),
    /// A page, with the feeds found for it (one or several; none is `NoFeed`), the
    /// site's own first.
    Page(Vec<Candidate>),
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{0} is not an http(s) or gemini address, a file:// URL or a path")]
    BadUrl(String),
    #[error("no feed found for {page}: {why}")]
    NoFeed { page: String, why: String },
}

/// Fetches `url` and, when it is a feed, parses it.
pub fn fetch_feed(fetcher: &Fetcher, url: &str) -> Result<Found, DiscoverError> {
    let raw = fetch_raw(fetcher, url)?;
    match crate::parse::parse_feed(&raw.body, raw.content_type.as_deref(), &raw.final_url) {
        Ok(feed) => Ok(Found {
            url: raw.address,
            feed,
        }),
        Err(e) => Err(DiscoverError::Fetch {
            url: raw.final_url,
            reason: not_a_feed(&e.to_string()),
        }),
    }
}

/// A parser's refusal as "not a feed (why)", said once.
fn not_a_feed(reason: &str) -> String {
    if reason.starts_with("not a feed") {
        reason.to_string()
    } else {
        format!("not a feed ({reason})")
    }
}

/// What `url` is: a feed, or a page and its feeds.
pub fn discover(fetcher: &Fetcher, url: &str) -> Result<Discovery, DiscoverError> {
    // However many places a page sends it to, a discovery ends.
    discover_at(&fetcher.with_deadline(DISCOVERY_LIMIT), url, true)
}

/// How long one discovery may take in all (a request waits at most what is left).
pub(super) const DISCOVERY_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// `discover`; `follow` says whether a `<meta http-equiv="refresh">` is followed (once).
fn discover_at(fetcher: &Fetcher, url: &str, follow: bool) -> Result<Discovery, DiscoverError> {
    let url = normalise(url)?;
    let raw = fetch_raw(fetcher, &url)?;
    let parsed = crate::parse::parse_feed(&raw.body, raw.content_type.as_deref(), &raw.final_url);
    if let Ok(feed) = parsed {
        return Ok(Discovery::Feed(Found {
            url: raw.address,
            feed,
        }));
    }
    let final_url = raw.final_url;
    let page_url = Url::parse(&final_url).map_err(|_| DiscoverError::BadUrl(final_url.clone()))?;
    // What the page links to is fetched as the page's content: public addresses only,
    // unless the address typed is a private one (not where a redirect went: a public
    // address that redirects to this machine gains nothing).
    let fetcher = &fetcher.for_content_of(&url);
    let html = page::text(&raw.body, raw.content_type.as_deref());
    let no_feed = |why: String| DiscoverError::NoFeed {
        page: url.clone(),
        why,
    };
    let mut tried = Tried::default();
    // A Gemini page that is not a gemlog: its links that look like a feed or a gemlog.
    let gemtext = raw.content_type.as_deref().is_some_and(|c| {
        c.trim_start()
            .to_ascii_lowercase()
            .starts_with("text/gemini")
    });
    if gemtext {
        let links: Vec<String> = crate::gemini::gemtext::feed_like_links(&html, &final_url)
            .into_iter()
            .take(MAX_LINK_GUESSES)
            .collect();
        let found = tried.all(fetcher, &links, &[]);
        return match found.is_empty() {
            false => Ok(Discovery::Page(rank::rank(found))),
            true => Err(no_feed("the page links no feed or gemlog".into())),
        };
    }
    // The page's own declarations, each fetched: one that is gone is not offered.
    let declared: Vec<Candidate> = page::alternates(&html, &page_url)
        .into_iter()
        .take(MAX_ALTERNATES)
        .collect();
    let mut found = Vec::new();
    for batch in declared.chunks(ALTERNATES_AT_ONCE) {
        let urls: Vec<String> = batch.iter().map(|c| c.url.clone()).collect();
        found.extend(tried.all(fetcher, &urls, batch));
        if !found.is_empty() {
            break;
        }
    }
    let declared_failed = tried.failed.first().cloned();
    // A comments feed alone (the site's own is gone): the site's is looked for as if
    // the page declared none, and the comments feed offered after it.
    if found.iter().any(|c| !c.is_comments()) {
        return Ok(Discovery::Page(rank::rank(found)));
    }
    // A page that sends the reader elsewhere: that page's feeds.
    if follow && found.is_empty() {
        if let Some(target) = page::refresh_target(&html, &page_url) {
            return discover_at(fetcher, target.as_str(), false);
        }
    }
    // Then, in this order, each place asked at once and the first that answers taken:
    // the page's links that say they are its feed, the usual places in its folder (a
    // blog under /blog/), its links that look like feeds, the usual places at the
    // site's root (which may be another site's, the company's under the blog), and
    // links to other sites (a blogroll's) last.
    let links = page::feed_like_links(&html, &page_url);
    let places = |root: bool| -> Vec<String> {
        COMMON_PATHS
            .iter()
            .filter_map(|p| match root {
                true => page_url.join(p).ok(),
                false => page_url.join(p.trim_start_matches('/')).ok(),
            })
            .map(String::from)
            .collect()
    };
    let take = |l: &[String]| l.iter().take(MAX_LINK_GUESSES).cloned().collect::<Vec<_>>();
    // (places, whether each that answers is offered, or the first one only)
    let tiers = [
        (take(&links.said), true),
        (places(false), false),
        (take(&links.addressed), true),
        (places(true), false),
        (take(&links.elsewhere), true),
    ];
    for (urls, every) in tiers {
        let mut more = tried.all(fetcher, &urls, &[]);
        if !every {
            more.truncate(1);
        }
        let own = more.iter().any(|c| !c.is_comments());
        found.extend(more);
        if own {
            return Ok(Discovery::Page(rank::rank(found)));
        }
    }
    if !found.is_empty() {
        return Ok(Discovery::Page(rank::rank(found)));
    }
    Err(no_feed(tried.why(declared_failed)))
}

/// `feed://host/path`, `feed:https://host/path` (the old feed-reader schemes) and podcast
/// apps' `itpc://` and `pcast://`, as the http(s) URL they stand for.
fn unfeed(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("feed:http") {
        url[5..].to_string()
    } else if lower.starts_with("feed://") {
        format!("http://{}", &url[7..])
    } else if let Some(scheme) = ["itpc://", "pcast://"]
        .iter()
        .find(|s| lower.starts_with(**s))
    {
        // Podcast apps' subscribe links: the feed over https.
        format!("https://{}", &url[scheme.len()..])
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
                // Both failed: the https error is the one to read, unless the server
                // spoke no TLS and answered over http (a 404 says more than "no TLS").
                Err(e) if crate::fetch::speaks_no_tls(&reason) => Err(e),
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

/// A fetched body, with where it came from and what address it goes by.
struct Raw {
    body: Vec<u8>,
    content_type: Option<String>,
    /// The base of its relative links (after redirects, or its Content-Location).
    final_url: String,
    /// What to subscribe to: as asked, or where permanent redirects said it moved.
    address: String,
}

fn fetch_raw(fetcher: &Fetcher, url: &str) -> Result<Raw, DiscoverError> {
    match fetcher.fetch(url, &Validators::default()) {
        Ok(FetchOutcome::Modified(f)) => Ok(Raw {
            // A path or file:// address is the file's absolute address, as before.
            address: match f.moved_to {
                Some(moved) => moved,
                None if url.starts_with("http://") || url.starts_with("https://") => {
                    url.to_string()
                }
                None => f.final_url.clone(),
            },
            body: f.body,
            content_type: f.content_type,
            final_url: f.final_url,
        }),
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            normalise("itpc://show.example/podcast.xml").unwrap(),
            "https://show.example/podcast.xml"
        );
        assert!(normalise("javascript:alert(1)").is_err());
        assert!(normalise("  ").is_err());
    }
}
