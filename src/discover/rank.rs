//! Which of a page's feeds is the site's own: a blog's page links its posts' feed and
//! its comments' feed (WordPress on every page), often the same feed twice (Atom and
//! RSS, Blogger), and a page without links may answer at `/feed` and `/rss.xml` alike.
//! The same feed is offered once, and comments feeds come last, so that `add` takes the
//! site's feed by itself and a picker starts on it.

use super::Candidate;

/// A candidate that was fetched and parsed, with what tells one feed from another.
pub(super) struct Checked {
    pub candidate: Candidate,
    /// The feed's own title, site link, and first article's address (or id) and the
    /// length of its text (its words, markup and entities aside).
    pub same: Same,
}

pub(super) type Same = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<usize>,
);

/// The length of an article body's text: its words joined by single spaces, as markup,
/// entities and white space leave them (Atom's XHTML and RSS's escaped HTML of one post
/// differ in all three).
pub(super) fn text_length(html: &str) -> usize {
    // Wide enough that nothing wraps, narrow enough that no layout pads to it.
    let text = crate::render::html_to_text(html, None, 4096);
    text.split_whitespace().map(|w| w.chars().count() + 1).sum()
}

/// Whether two feeds are one: the same title, site and first article, and texts of
/// about one length (a paper's full-text feed and its summaries are two).
fn twins(a: &Same, b: &Same) -> bool {
    let alike = match (a.3, b.3) {
        (Some(x), Some(y)) => x.min(y) * 2 >= x.max(y),
        (None, None) => true,
        _ => false,
    };
    a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.2.is_some() && alike
}

impl Checked {
    pub fn is_comments(&self) -> bool {
        is_comments(&self.candidate.url, self.candidate.title.as_deref())
            || is_comments("", self.same.0.as_deref())
    }
}

/// The feeds in order, the same feed once (its first offer), comments feeds last. The
/// same feed: the same title, site and first article with the same text (Atom and RSS
/// of one blog); two feeds of one paper, full text and summaries, are two.
pub(super) fn rank(checked: Vec<Checked>) -> Vec<Candidate> {
    let mut kept: Vec<Checked> = Vec::new();
    for c in checked {
        let twin = kept
            .iter()
            .any(|k| k.candidate.url == c.candidate.url || twins(&k.same, &c.same));
        if !twin {
            kept.push(c);
        }
    }
    let mut out: Vec<Candidate> = kept
        .into_iter()
        .map(|c| {
            let comments = c.is_comments();
            Candidate {
                comments,
                ..c.candidate
            }
        })
        .collect();
    // Stable: page order within each part.
    out.sort_by_key(|c| c.comments);
    // The feeds as fetched are kept for the first few only, which `add` may take: a
    // page declaring many large feeds holds no more than these.
    for c in out.iter_mut().skip(KEPT) {
        c.found = None;
    }
    out
}

/// How many candidates keep the feed they were checked with.
const KEPT: usize = 4;

/// Whether a feed is of a site's comments: by its address (WordPress's
/// `/comments/feed/`, `?feed=comments-rss2`, in any language) or its title as WordPress
/// and its translations give it ("Comments for ...", "... » Comments Feed",
/// "Kommentar-Feed", "Flux des commentaires"). A word alone says too little: a paper's
/// "Kommentare" are its opinion pieces.
fn is_comments(url: &str, title: Option<&str>) -> bool {
    let url = url.to_ascii_lowercase();
    let by_url = url.contains("/comments/")
        || url.contains("comments-rss")
        || url.contains("comments-atom")
        || url.contains("feed=comments");
    let by_title = title.is_some_and(|t| {
        let t = t.to_lowercase();
        t.starts_with("comments for ")
            || t.starts_with("comments on ")
            || t.starts_with("comment on ")
            || [
                "comments feed",
                "comment feed",
                "kommentar-feed",
                "kommentare-feed",
                "kommentarfeed",
                "flux des commentaires",
                "feed de los comentarios",
                "feed de comentarios",
                "feed dei commenti",
                "reacties-feed",
                "reacties feed",
                "kommentarer-feed",
                "feed de comentários",
            ]
            .iter()
            .any(|p| t.contains(p))
    });
    by_url || by_title
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(url: &str, title: &str, same: (&str, &str, &str)) -> Checked {
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        Checked {
            candidate: Candidate {
                url: url.into(),
                title: some(title),
                comments: false,
                found: None,
            },
            same: (some(same.0), some(same.1), some(same.2), Some(4)),
        }
    }

    fn urls(c: &[Candidate]) -> Vec<(&str, bool)> {
        c.iter().map(|c| (c.url.as_str(), c.comments)).collect()
    }

    #[test]
    fn the_sites_feed_first_and_its_comments_last() {
        let got = rank(vec![
            checked(
                "https://b.example/comments/feed/",
                "Blog » Comments Feed",
                ("Comments for Blog", "https://b.example", "c1"),
            ),
            checked(
                "https://b.example/feed/",
                "Blog » Feed",
                ("Blog", "https://b.example", "p1"),
            ),
            checked(
                "https://b.example/?feed=comments-rss2",
                "",
                ("Blog", "https://b.example", "c9"),
            ),
            checked(
                "https://b.example/kommentare.xml",
                "Blog » Kommentar-Feed",
                ("Blog", "https://b.example", "c2"),
            ),
            // A paper's opinion pieces are no comments.
            checked(
                "https://p.example/meinung.xml",
                "Tagblatt – Kommentare",
                ("Tagblatt – Kommentare", "https://p.example", "m1"),
            ),
        ]);
        assert_eq!(
            urls(&got),
            [
                ("https://b.example/feed/", false),
                ("https://p.example/meinung.xml", false),
                ("https://b.example/comments/feed/", true),
                ("https://b.example/?feed=comments-rss2", true),
                ("https://b.example/kommentare.xml", true),
            ]
        );
    }

    #[test]
    fn one_posts_text_in_markup_or_entities_or_plain_is_one_length() {
        let a = text_length("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Caf&eacute; opens\n  at nine.</p></div>");
        let b = text_length("Café opens at nine.");
        assert_eq!(a, b);
    }

    #[test]
    fn the_same_feed_in_two_formats_or_at_two_places_is_offered_once() {
        let got = rank(vec![
            checked(
                "https://x.example/feeds/posts/default",
                "X - Atom",
                ("X", "https://x.example/", "https://x.example/p1"),
            ),
            checked(
                "https://x.example/feeds/posts/default?alt=rss",
                "X - RSS",
                ("X", "https://x.example/", "https://x.example/p1"),
            ),
            checked(
                "https://x.example/feeds/other",
                "Other",
                ("Other", "https://x.example/", "https://x.example/o1"),
            ),
        ]);
        assert_eq!(
            urls(&got),
            [
                ("https://x.example/feeds/posts/default", false),
                ("https://x.example/feeds/other", false)
            ]
        );
        // Full text and summaries of one paper are two feeds.
        let mut full = checked(
            "https://n.example/full",
            "",
            ("N", "https://n.example/", "https://n.example/1"),
        );
        let mut short = checked(
            "https://n.example/short",
            "",
            ("N", "https://n.example/", "https://n.example/1"),
        );
        full.same.3 = Some(text_length(
            "<p>The whole story, told at length over paragraphs.</p>",
        ));
        short.same.3 = Some(text_length("The whole story […]"));
        assert_eq!(rank(vec![full, short]).len(), 2);
        // Two untitled feeds without items are not taken for one.
        let got = rank(vec![
            checked("https://a.example/1", "", ("", "", "")),
            checked("https://a.example/2", "", ("", "", "")),
        ]);
        assert_eq!(got.len(), 2);
    }
}
