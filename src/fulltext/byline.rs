//! Bylines that are nobody's: Readability takes the first element of the page that says
//! "author" (`rel="author"`, an `author` or `byline` class), before it drops the page's
//! clutter. A theme's site title linked `rel="author"` in the header (Jekyll's and many
//! WordPress themes'), a commenter's `comment-author`, or a hidden hAtom author then
//! became the article's author, and the real "By ..." line stayed in the text. Here such
//! elements stop saying so before extraction; one in the article is left to Readability.

use dom_query::{Document, NodeRef};

/// What Readability reads as a byline in a class or id.
const BYLINE_WORDS: [&str; 5] = ["byline", "author", "dateline", "writtenby", "p-author"];

/// Where a page keeps what is not its article: a class or id word that starts with one
/// of these (whole words: a body's `showing-comments` or Genesis's
/// `content-sidebar-wrap` hold the article too).
const ELSEWHERE: [&str; 13] = [
    "comment",
    "respond",
    "reply",
    "replies",
    "sidebar",
    "widget-area",
    "site-title",
    "site-name",
    "site-header",
    "site-footer",
    "site-branding",
    "masthead",
    "navbar",
];

pub fn keep_to_article(doc: &Document) {
    let said = r#"[rel~="author"], [itemprop*="author"], [class*="author"], [class*="byline"],
        [class*="dateline"], [class*="writtenby"], [id*="author"], [id*="byline"]"#;
    for node in doc.select(said).nodes() {
        if !outside_article(node) {
            continue;
        }
        node.remove_attr("rel");
        node.remove_attr("itemprop");
        let id = node
            .attr("id")
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        if BYLINE_WORDS.iter().any(|w| id.contains(w)) {
            node.remove_attr("id");
        }
        if let Some(class) = node.attr("class") {
            let kept: Vec<&str> = class
                .split_ascii_whitespace()
                .filter(|c| {
                    let c = c.to_ascii_lowercase();
                    !BYLINE_WORDS.iter().any(|w| c.contains(w))
                })
                .collect();
            node.set_attr("class", &kept.join(" "));
        }
    }
}

/// Whether a node sits where a page keeps what is not its article: comments, a sidebar,
/// the site's title, something hidden, between it and its article; or, outside any
/// article, the site's header, a nav, footer or aside.
fn outside_article(node: &NodeRef) -> bool {
    let mut chain = vec![*node];
    chain.extend(node.ancestors(None));
    let in_article = chain
        .iter()
        .any(|n| matches!(name(n).as_str(), "article" | "main"));
    for n in &chain {
        let tag = name(n);
        if matches!(tag.as_str(), "article" | "main" | "body" | "html") {
            return false;
        }
        let words = format!(
            "{} {}",
            n.attr("class").unwrap_or_default(),
            n.attr("id").unwrap_or_default()
        )
        .to_ascii_lowercase();
        // `commentary` wraps an opinion piece, which is an article.
        let marked = words
            .split_ascii_whitespace()
            .filter(|w| !w.starts_with("commentar"))
            .any(|w| ELSEWHERE.iter().any(|e| w.starts_with(e)));
        let hidden = n.attr("hidden").is_some()
            || n.attr("aria-hidden").is_some_and(|v| v.trim() == "true")
            || n.attr("style").is_some_and(|s| {
                let s = s.to_ascii_lowercase().replace(' ', "");
                s.contains("display:none") || s.contains("visibility:hidden")
            });
        let around = !in_article && matches!(tag.as_str(), "nav" | "footer" | "aside" | "header");
        if marked || hidden || around {
            return true;
        }
    }
    false
}

fn name(n: &NodeRef) -> String {
    n.node_name()
        .map(|t| t.to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn byline(html: &str) -> Option<String> {
        let doc = Document::from(html);
        keep_to_article(&doc);
        let mut r =
            dom_smoothie::Readability::with_document(doc, Some("https://x.example/p"), None)
                .unwrap();
        r.parse().unwrap().byline
    }

    const BODY: &str = "<p>A dripping tap wastes more water than most people expect: a drip a second adds up to over five thousand litres a year, and the fix costs a few pounds.</p><p>First, turn off the water at the isolation valve under the sink, or at the stopcock, and open the tap to drain what is left in the pipe.</p>";

    #[test]
    fn a_site_title_or_a_commenter_is_no_author_and_the_articles_byline_is() {
        let page = format!(
            r#"<html><body><header class="site-header"><a class="site-title" rel="author" href="/">Hearth &amp; Home</a></header>
            <article><h1>Taps</h1><p class="byline">By Joan Whitaker</p>{BODY}</article>
            <div id="comments"><div class="comment-author vcard">Graham Pike says:</div><p>Thanks!</p></div></body></html>"#
        );
        assert_eq!(byline(&page).as_deref(), Some("By Joan Whitaker"));
        let page = format!(
            r#"<html><body><header><a class="site-title" rel="author" href="/">Hive Mind</a></header>
            <article>{BODY}</article><section class="comments"><span class="comment-author">Graham Pike</span></section></body></html>"#
        );
        assert_eq!(byline(&page), None);
        // An article's own header keeps its author.
        let page = format!(
            r#"<html><body><article><header><span class="author">Ana Ruiz</span></header>{BODY}</article></body></html>"#
        );
        assert_eq!(byline(&page).as_deref(), Some("Ana Ruiz"));
        // The page's own classes around the article (WordPress's body class when a
        // post has comments, Genesis's wrapper, Blogger's widget) take nothing away.
        let page = format!(
            r#"<html><body class="single showing-comments"><div class="content-sidebar-wrap"><div class="widget Blog"><article><p class="byline">By Nell Price</p>{BODY}</article></div></div></body></html>"#
        );
        assert_eq!(byline(&page).as_deref(), Some("By Nell Price"));
    }
}
