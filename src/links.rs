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
/// (http, https, gemini, mailto). `javascript:`, `data:`, `file:` and the like are
/// dropped.
pub fn web_link(href: &str, base: Option<&Url>) -> Option<String> {
    let cleaned = clean_line(&unwrapped(href));
    // White space at its end that a reader percent-encoded before it came here (a
    // no-break space after the address, `&#160;`) is the feed's spacing, not the address's.
    let mut cleaned = cleaned.as_str();
    while let Some(rest) = cleaned
        .strip_suffix("%C2%A0")
        .or_else(|| cleaned.strip_suffix("%c2%a0"))
        .or_else(|| cleaned.strip_suffix("%20"))
    {
        cleaned = rest.trim_end();
    }
    if cleaned.is_empty() {
        return None;
    }
    resolve(cleaned, base)
        .filter(|u| matches!(u.scheme(), "http" | "https" | "gemini" | "mailto"))
        .map(|u| u.to_string())
}

/// A page a feed or item links to: as `web_link`, but an address written without its
/// scheme from `www.` on (`<link>www.example.com/post/5</link>`, which some generators
/// write) is the site it names, as a browser's address bar takes it, not a path under
/// the feed's own address.
pub fn page_link(href: &str, base: Option<&Url>) -> Option<String> {
    match schemeless_site(href) {
        Some(site) => web_link(&site, None),
        None => web_link(href, base),
    }
}

/// `www.example.com/post/5` as the address it names (`http://www.example.com/post/5`);
/// None for anything else (a path, a full address, `www.html`).
pub fn schemeless_site(href: &str) -> Option<String> {
    let trimmed = href.trim();
    let host = trimmed.split(['/', '?', '#']).next().unwrap_or("");
    let site = trimmed
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("www."))
        && host.len() > 4
        && host[4..].contains('.')
        && !host.contains([':', ' ']);
    site.then(|| format!("http://{trimmed}"))
}

/// `href` without the tabs and line breaks an HTML source wraps a long address with:
/// browsers drop them (WHATWG's URL parser), where cleaning would make each a space
/// (`%20`) in the middle of the address.
fn unwrapped(href: &str) -> std::borrow::Cow<'_, str> {
    match href.contains(['\t', '\n', '\r']) {
        true => href.replace(['\t', '\n', '\r'], "").into(),
        false => href.into(),
    }
}

/// A feed's link escaped twice (`?a=1&amp;amp;b=2` in the document, `&amp;` once read)
/// with its `&` back, as feedparser reads it: the server would see a parameter named
/// `amp;b`. For feeds' links only (their text was HTML-decoded once already; a mail's or
/// a Gemini page's `&amp;` is as written), and set after an item's id is made from its
/// link, so that the ids already in caches stay the same.
pub fn unescaped_twice(link: String) -> String {
    if link.contains("&amp;") {
        link.replace("&amp;", "&")
    } else {
        link
    }
}

/// An absolute, clean URL string for a link from the feed, or None when it cannot be made one.
pub fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let cleaned = clean_line(&unwrapped(href));
    if cleaned.is_empty() {
        return None;
    }
    resolve(&cleaned, base).map(|u| u.to_string())
}

/// The target of a terminal hyperlink (OSC 8) for this URL, or None when it may not be
/// one: only http, https and mailto, as the URL crate writes them (percent-encoded),
/// and then only printable ASCII, so that nothing in it can end the escape sequence
/// (no ESC, BEL or other control, no space) whatever the feed wrote.
pub fn hyperlink_target(url: &str) -> Option<String> {
    let parsed = Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https" | "mailto") {
        return None;
    }
    let text = parsed.to_string();
    text.bytes()
        .all(|b| (0x21..=0x7e).contains(&b))
        .then_some(text)
}

#[cfg(test)]
mod hyperlink_tests {
    use super::{hyperlink_target, web_link};

    #[test]
    fn tabs_and_line_breaks_inside_an_address_are_dropped_as_browsers_do() {
        let base = url::Url::parse("http://127.0.0.1:9450/").unwrap();
        assert_eq!(
            super::web_link("http://127.0.0.1:9450/new\nline", None).as_deref(),
            Some("http://127.0.0.1:9450/newline")
        );
        assert_eq!(
            super::absolute("/a/\r\n\tlong/path", Some(&base)).as_deref(),
            Some("http://127.0.0.1:9450/a/long/path")
        );
    }

    #[test]
    fn an_address_escaped_twice_has_its_ampersands_back() {
        assert_eq!(
            super::unescaped_twice("https://e.example/p?x=1&amp;y=2&amp;amp;z=3".into()),
            "https://e.example/p?x=1&y=2&amp;z=3"
        );
        // web_link itself keeps what it is given (a mail's links, a Gemini page's).
        assert_eq!(
            web_link("https://e.example/p?x=1&amp;y=2", None).as_deref(),
            Some("https://e.example/p?x=1&amp;y=2")
        );
    }

    #[test]
    fn spacing_after_an_address_is_not_part_of_it() {
        for href in [
            "http://e.example/1\u{a0}",
            "http://e.example/1%C2%A0",
            "http://e.example/1%20%c2%a0",
        ] {
            assert_eq!(
                web_link(href, None).as_deref(),
                Some("http://e.example/1"),
                "{href}"
            );
        }
    }

    #[test]
    fn only_web_links_in_printable_ascii_become_hyperlinks() {
        assert_eq!(
            hyperlink_target("https://a.example/x y?q=é").as_deref(),
            Some("https://a.example/x%20y?q=%C3%A9")
        );
        assert_eq!(hyperlink_target("javascript:alert(1)"), None);
        assert_eq!(hyperlink_target("file:///etc/passwd"), None);
        // Escapes and BEL inside are encoded or refused: none survives as itself.
        for hostile in [
            "https://a.example/\u{1b}]8;;https://evil.example\u{7}x",
            "https://a.example/\u{7}\u{1b}\\",
            "https://a.example/\u{9c}",
        ] {
            if let Some(t) = hyperlink_target(hostile) {
                assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t:?}");
                assert!(t.bytes().all(|b| (0x21..=0x7e).contains(&b)), "{t:?}");
            }
        }
    }
}

#[cfg(test)]
mod page_link_tests {
    use super::*;

    #[test]
    fn an_address_from_www_without_its_scheme_is_that_site() {
        let base = Url::parse("https://links.example/feed.xml").unwrap();
        let link = |href: &str| page_link(href, Some(&base));
        assert_eq!(
            link("www.links.example/post/5").as_deref(),
            Some("http://www.links.example/post/5")
        );
        assert_eq!(
            link("WWW.Other.example").as_deref(),
            Some("http://www.other.example/")
        );
        // Paths stay paths: a file named www.html, a folder `www`, a bare `www.`.
        assert_eq!(
            link("www.html").as_deref(),
            Some("https://links.example/www.html")
        );
        assert_eq!(
            link("www/post/5").as_deref(),
            Some("https://links.example/www/post/5")
        );
        assert_eq!(
            link("https://www.links.example/a").as_deref(),
            Some("https://www.links.example/a")
        );
    }
}
