//! Full text for summary-only bulletins: the article's page fetched and its readable part
//! extracted the way Firefox's Reader View does, to be cached and shown like feed content.
//!
//! Extraction is `dom_smoothie`, a close port of Mozilla's Readability.js that runs its
//! test pages; of the Rust candidates it is the one kept up (monthly releases in 2025-26)
//! and the one that follows Readability's scoring, cleaning and metadata rules, where
//! `readability` (unmaintained since 2023) and `readable-readability` follow the old
//! arc90 heuristics. Around it, what Readability leaves to the browser: the page's
//! charset, lazy-loaded images, and pages split in several (a `rel="next"` link).

mod byline;
pub(crate) mod charset;
mod clutter;
mod lazy;
mod pages;

use pages::next_page;

use crate::fetch::{FetchOutcome, Fetcher};

/// An article as extracted: metadata as clean lines, and the cleaned HTML (links and
/// images absolute), which goes through the same renderer and sanitiser as feed content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Extracted {
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    pub excerpt: Option<String>,
    pub html: String,
    /// The page it came from, after redirects.
    pub url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{0}: no article found on the page")]
    NotAnArticle(String),
    #[error("{url}: not a web page ({content_type})")]
    NotHtml { url: String, content_type: String },
    #[error("{0}")]
    Fetch(#[from] crate::fetch::FetchError),
    #[error("{0}: the server answered 304 to a request without validators")]
    NotModified(String),
}

/// Less text than this, on a page Readability does not find readable, is no article: a
/// login wall, a page not found, a cookie wall, a paywall's teaser. A character of a
/// wide script (Chinese, Japanese, Korean) counts three: it says about what a word does,
/// and a whole news story in one may be 300 of them.
const MIN_TEXT: usize = 400;

/// Down to this much, on a page that says it is an article (`<article>`, `og:type`
/// article, schema.org's Article or BlogPosting, hAtom's `hentry`): a three-sentence
/// announcement. (140 is Readability's least length of a paragraph that counts towards
/// "probably readable"; at 140 on any page, login walls and soft 404s read as articles.)
const MIN_ARTICLE_TEXT: usize = 140;

/// Pages of one article followed by `rel="next"`, at most.
pub const MAX_PAGES: usize = 5;

/// Extracts the article from a page's bytes. `url` is the page's address (relative links
/// and images resolve against it, or against the page's `<base>`).
pub fn extract(
    body: &[u8],
    content_type: Option<&str>,
    url: &str,
) -> Result<Extracted, ExtractError> {
    extract_with(body, content_type, url, MIN_TEXT)
}

/// `extract`, with less text than `min_text` on a page Readability does not find
/// readable taken as no article (a later page of an article may be its short ending).
fn extract_with(
    body: &[u8],
    content_type: Option<&str>,
    url: &str,
    min_text: usize,
) -> Result<Extracted, ExtractError> {
    let html = charset::decode(body, content_type);
    // Bounded depth before the readability crate, which recurses over the tree.
    let doc = dom_query::Document::from(crate::html_depth::limited(&html).as_ref());
    lazy::fix_images(&doc);
    byline::keep_to_article(&doc);
    clutter::remove(&doc);
    let min_text = if says_article(&doc) {
        min_text.min(MIN_ARTICLE_TEXT)
    } else {
        min_text
    };
    let not_article = || ExtractError::NotAnArticle(url.to_string());
    let mut reader = dom_smoothie::Readability::with_document(doc, Some(url), None)
        .map_err(|_| not_article())?;
    let readable = reader.is_probably_readable();
    let article = reader.parse().map_err(|_| not_article())?;
    let text = article.text_content.trim();
    let weight: usize = text
        .chars()
        .map(|c| match unicode_width::UnicodeWidthChar::width(c) {
            Some(2) => 3,
            _ => 1,
        })
        .sum();
    if text.is_empty() || (!readable && weight < min_text) {
        return Err(not_article());
    }
    let line = |s: &str| Some(crate::sanitize::clean_line(s)).filter(|s| !s.is_empty());
    Ok(Extracted {
        title: line(&article.title).unwrap_or_default(),
        byline: article.byline.as_deref().and_then(line),
        site_name: article.site_name.as_deref().and_then(line),
        excerpt: article.excerpt.as_deref().and_then(line),
        html: article.content.to_string(),
        url: url.to_string(),
    })
}

/// Whether a page says it holds an article: an `<article>`, schema.org's Article or
/// BlogPosting (microdata or JSON-LD), hAtom or microformats' entry, Open Graph's
/// article type or published time. Not one its JSON-LD says is behind a paywall
/// (`isAccessibleForFree: false`): what shows of it is the teaser.
fn says_article(doc: &dom_query::Document) -> bool {
    const MARKS: &str = r#"article, [itemtype*="Article"], [itemtype*="BlogPosting"], .hentry,
        .h-entry, meta[property="article:published_time"], meta[property="og:type"][content="article"]"#;
    let ld: Vec<String> = doc
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
        .map(|s| s.text().to_string())
        .collect();
    let paywalled = ld.iter().any(|t| {
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        let compact = compact.to_ascii_lowercase();
        compact.contains("\"isaccessibleforfree\":false")
            || compact.contains("\"isaccessibleforfree\":\"false\"")
    });
    // What a page says of itself when it is a wall or an error: a password to type, a
    // theme's error page (WordPress's `error404`).
    let wall = doc
        .select(r#"input[type="password"], .error404, .error-404, .not-found, .page-not-found"#)
        .exists();
    let said = doc.select(MARKS).exists()
        || ld.iter().any(|t| {
            ["Article\"", "BlogPosting\"", "\"Report\""]
                .iter()
                .any(|k| t.contains(k))
        });
    said && !paywalled && !wall
}

/// Fetches a page and extracts its article; with `max_pages` above 1, the pages after it
/// too (`rel="next"`, same site), their text appended. One request a page.
pub fn fetch(fetcher: &Fetcher, url: &str, max_pages: usize) -> Result<Extracted, ExtractError> {
    let mut seen = vec![url.to_string()];
    let (mut article, mut next) = fetch_one(fetcher, url, MIN_TEXT)?;
    while let Some(page) = next.take() {
        if seen.len() >= max_pages || seen.contains(&page) {
            break;
        }
        seen.push(page.clone());
        // A later page that fails ends the article where it is.
        // A later page may be the article's short ending; a login wall is still none.
        match fetch_one(fetcher, &page, MIN_ARTICLE_TEXT) {
            Ok((more, after)) => {
                article.html.push_str(&more.html);
                next = after;
            }
            Err(e) => tracing::info!("full text: {page}: {e}"),
        }
    }
    Ok(article)
}

/// One page's article, and the page after it; `min_text` as `extract_with` takes it.
fn fetch_one(
    fetcher: &Fetcher,
    url: &str,
    min_text: usize,
) -> Result<(Extracted, Option<String>), ExtractError> {
    let fetched = match fetcher.fetch(url, &Default::default())? {
        FetchOutcome::Modified(f) => f,
        FetchOutcome::NotModified { .. } => return Err(ExtractError::NotModified(url.into())),
    };
    let content_type = fetched.content_type.as_deref();
    // A Gemini page is its own article: gemtext has no clutter to take away.
    if content_type.is_some_and(|c| {
        c.trim_start()
            .to_ascii_lowercase()
            .starts_with("text/gemini")
    }) {
        let text = crate::parse::decode(&fetched.body, content_type);
        let page_url = fetched.final_url.clone();
        let article = Extracted {
            title: crate::gemini::gemtext::title(&text).unwrap_or_default(),
            byline: None,
            site_name: None,
            excerpt: None,
            html: crate::gemini::gemtext::to_html(&text, &page_url),
            url: page_url,
        };
        return Ok((article, None));
    }
    if let Some(ct) = content_type {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let html_like = mime.is_empty()
            || mime.contains("html")
            || mime.starts_with("text/")
            || mime == "application/octet-stream";
        // Taken as a page too: servers label pages application/octet-stream. But bytes
        // no text has (a file, a picture) are no page, whatever the label says.
        let binary =
            (mime.is_empty() || mime == "application/octet-stream") && looks_binary(&fetched.body);
        if !html_like || binary {
            return Err(ExtractError::NotHtml {
                url: url.to_string(),
                content_type: crate::sanitize::clean_line(ct),
            });
        }
    } else if looks_binary(&fetched.body) {
        return Err(ExtractError::NotHtml {
            url: url.to_string(),
            content_type: "binary data".into(),
        });
    }
    let page_url = fetched.final_url.clone();
    // Plain text is its own article, as a browser shows it: not read as markup (an
    // address in angle brackets is no tag).
    if content_type.is_some_and(|c| {
        c.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/plain"))
    }) {
        let text = crate::parse::decode(&fetched.body, content_type);
        // Not an empty body or a blocker's one line ("Access denied").
        if text.trim().chars().count() < min_text.min(MIN_ARTICLE_TEXT) {
            return Err(ExtractError::NotAnArticle(url.to_string()));
        }
        let article = Extracted {
            title: String::new(),
            byline: None,
            site_name: None,
            excerpt: None,
            html: plain_to_html(&text),
            url: page_url,
        };
        return Ok((article, None));
    }
    let article = extract_with(&fetched.body, content_type, &page_url, min_text)?;
    let next = next_page(&fetched.body, content_type, &page_url);
    Ok((article, next))
}

/// Plain text as HTML that shows it as written: paragraphs at blank lines, their lines
/// kept, everything escaped; a paragraph laid out with spaces (an indented block, columns
/// three spaces apart or more, tabs) kept verbatim. (Two spaces after a full stop are
/// prose, which wraps.)
fn plain_to_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + text.len() / 8);
    for para in text.replace("\r\n", "\n").split("\n\n") {
        let para = para.trim_matches('\n');
        if para.trim().is_empty() {
            continue;
        }
        let laid_out = para
            .lines()
            .any(|l| l.starts_with([' ', '\t']) || l.trim().contains("   ") || l.contains('\t'));
        if laid_out {
            html.push_str("<pre>");
            html.push_str(&html_escape::encode_text(para));
            html.push_str("</pre>\n");
            continue;
        }
        html.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                html.push_str("<br>");
            }
            html.push_str(&html_escape::encode_text(line));
        }
        html.push_str("</p>\n");
    }
    html
}

/// Whether a body is binary as browsers sniff it (WHATWG MIME sniffing): no byte-order
/// mark, and a byte among the first 1445 that no text holds (the C0 controls but tab,
/// newline, form feed, carriage return and escape).
fn looks_binary(body: &[u8]) -> bool {
    // A byte-order mark says text (UTF-16 is full of zero bytes).
    if [&b"\xFE\xFF"[..], b"\xFF\xFE", b"\xEF\xBB\xBF"]
        .iter()
        .any(|bom| body.starts_with(bom))
    {
        return false;
    }
    body.iter()
        .take(1445)
        .any(|&b| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F))
}

/// The site an article's full text came from, for the reader's header.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        })
        .unwrap_or_else(|| crate::sanitize::clean_line(url))
}

#[cfg(test)]
#[path = "fulltext/tests.rs"]
mod tests;
