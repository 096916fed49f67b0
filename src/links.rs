//! Links from feeds made absolute and clean: one leaf that the parser (feed, item and
//! enclosure links) and the renderer (links and images in articles) both use.

use crate::sanitize::clean_line;
use url::Url;

/// `href` as an absolute URL: as it is when it is one, else joined to `base`.
pub fn resolve(href: &str, base: Option<&Url>) -> Option<Url> {
    let href = href.trim();
    match Url::parse(href) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok(),
        Err(_) => None,
    }
}

/// A link of a feed, an item or an enclosure: absolute, and only where a reader may go
/// (http, https, mailto). `javascript:`, `data:`, `file:` and the like are dropped.
pub fn web_link(href: &str, base: Option<&Url>) -> Option<String> {
    let cleaned = clean_line(href);
    if cleaned.is_empty() {
        return None;
    }
    resolve(&cleaned, base)
        .filter(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
        .map(|u| u.to_string())
}

/// An absolute, clean URL string for a link from the feed, or None when it cannot be made one.
pub fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let cleaned = clean_line(href);
    if cleaned.is_empty() {
        return None;
    }
    resolve(&cleaned, base).map(|u| u.to_string())
}
