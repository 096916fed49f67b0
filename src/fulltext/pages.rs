//! Articles split over several pages: the `rel="next"` link to the article's next page,
//! told from a theme's link to the next post.

use super::charset;

/// The page of the article that comes after this one, if the page links one on the
/// same site.
pub(super) fn next_page(body: &[u8], content_type: Option<&str>, url: &str) -> Option<String> {
    let html = charset::decode(body, content_type);
    let doc = dom_query::Document::from(crate::html_depth::limited(&html).as_ref());
    let base = url::Url::parse(url).ok()?;
    // Not a theme's link to the next post (WordPress marks its post navigation
    // `rel="next"` too, and its `<link rel="next">` to the next post has the post's
    // title).
    let href = doc
        .select(r#"link[rel~="next"], a[rel~="next"]"#)
        .nodes()
        .iter()
        .filter(|n| !to_next_post(n))
        .find_map(|n| n.attr("href"))?;
    let next = base.join(href.trim()).ok()?;
    (next.host_str() == base.host_str() && is_continuation(&base, &next)).then(|| next.to_string())
}

/// Whether a `rel="next"` link goes to the next post rather than the next page: in a
/// post navigation (`nav-links`, `post-navigation`, ...), reading "next post" or "newer
/// article", or a `<link>` titled (WordPress titles its head link with the next post's
/// title).
fn to_next_post(node: &dom_query::NodeRef) -> bool {
    let is_link = node
        .node_name()
        .is_some_and(|n| n.eq_ignore_ascii_case("link"));
    if is_link {
        return node.attr("title").is_some_and(|t| !t.trim().is_empty());
    }
    let text = node.text().to_lowercase();
    // "Next page of this story" is the story's next page.
    let says_post = !text.contains("page")
        && ["post", "article", "story", "entry", "newer", "older"]
            .iter()
            .any(|w| text.contains(w));
    let in_navigation = std::iter::once(*node)
        .chain(node.ancestors(Some(6)))
        .any(|a| {
            let marks = format!(
                "{} {}",
                a.attr("class").unwrap_or_default(),
                a.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase();
            [
                "post-nav",
                "nav-next",
                "nav-links",
                "post-navigation",
                "entry-navigation",
                "next-post",
            ]
            .iter()
            .any(|w| marks.contains(w))
        });
    says_post || in_navigation
}

/// Whether `next` reads as the next page of the same article rather than the next
/// article (blogs put `rel="next"` on both): the same path with the next page number in
/// the query (`?page=2`, `?p=2`), or the path with the next page number after it (`/2`,
/// `/page/2`, `-2`, `.../2.html`). A page number is small: `/archives/1190` to
/// `/archives/1191` is the next post, by its number.
fn is_continuation(current: &url::Url, next: &url::Url) -> bool {
    if next == current {
        return false;
    }
    let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    // The next page's number after `now` (None: this is the first page).
    let follows = |now: Option<u64>, then: u64| match now {
        None => then <= 2,
        Some(n) => n.checked_add(1) == Some(then) && then <= MAX_PAGE_NUMBER,
    };
    if next.path() == current.path() {
        return next.query_pairs().any(|(k, v)| {
            let key = matches!(k.as_ref(), "page" | "p" | "pg" | "pagina" | "seite");
            let now = current
                .query_pairs()
                .find(|(ck, _)| *ck == k)
                .map(|(_, cv)| cv.parse::<u64>().ok());
            match (now, v.parse::<u64>()) {
                // The key holds no number here (`?p=about`): no page.
                (Some(None), _) | (_, Err(_)) => false,
                (now, Ok(then)) => key && number(&v) && follows(now.flatten(), then),
            }
        });
    }
    let path = current.path().trim_end_matches('/');
    let path = path.strip_suffix(".html").unwrap_or(path);
    // On the second page already (`/story/x/2/`): the third follows the article's own
    // address, not this page's.
    let (stem, now) = page_number_off(path);
    let Some(rest) = next.path().strip_prefix(stem) else {
        return false;
    };
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".html").unwrap_or(rest);
    let rest = rest
        .strip_prefix("/page/")
        .or_else(|| rest.strip_prefix('/'))
        .or_else(|| rest.strip_prefix('-'))
        .or_else(|| rest.strip_prefix('_'))
        .unwrap_or(rest);
    number(rest) && rest.parse().is_ok_and(|then| follows(now, then))
}

/// The highest page number taken for one: articles are split in a few pages, and a
/// number past this is an article's own (`/news/12345`).
const MAX_PAGE_NUMBER: u64 = 20;

/// A path without the page number at its end (`/x/2`, `/x/page/2`, `/x-2`), and the
/// number; as it is when it ends in no page number.
fn page_number_off(path: &str) -> (&str, Option<u64>) {
    let Some(at) = path.rfind(['/', '-', '_']) else {
        return (path, None);
    };
    let (head, tail) = (&path[..at], &path[at + 1..]);
    match tail.parse::<u64>() {
        Ok(n) if at > 0 && n <= MAX_PAGE_NUMBER && tail.bytes().all(|b| b.is_ascii_digit()) => {
            (head.strip_suffix("/page").unwrap_or(head), Some(n))
        }
        _ => (path, None),
    }
}
