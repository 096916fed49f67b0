//! Which of a page's feeds is the site's own: a blog's page links its posts' feed and
//! its comments' feed (WordPress on every page), often the same feed twice (Atom and
//! RSS, Blogger), and a page without links may answer at `/feed` and `/rss.xml` alike.
//! The same feed is offered once, and comments feeds come last, so that `add` takes the
//! site's feed by itself and a picker starts on it.

use super::Candidate;

/// A candidate that was fetched and parsed, with what tells one feed from another.
pub(super) struct Checked {
    /// The address fetched (the candidate's may be where it moved).
    pub asked: String,
    pub candidate: Candidate,
    /// The feed's own title, site link and first article's address or id.
    pub same: (Option<String>, Option<String>, Option<String>),
}

/// The feeds in order, the same feed once (its first offer), comments feeds last.
pub(super) fn rank(checked: Vec<Checked>) -> Vec<Candidate> {
    let mut kept: Vec<Checked> = Vec::new();
    for c in checked {
        let twin = kept.iter().any(|k| {
            k.candidate.url == c.candidate.url
                || k.same == c.same && (c.same.0.is_some() || c.same.2.is_some())
        });
        if !twin {
            kept.push(c);
        }
    }
    let mut out: Vec<Candidate> = kept
        .into_iter()
        .map(|c| {
            let comments = is_comments(&c.candidate.url, c.candidate.title.as_deref())
                || is_comments("", c.same.0.as_deref());
            Candidate {
                comments,
                ..c.candidate
            }
        })
        .collect();
    // Stable: page order within each part.
    out.sort_by_key(|c| c.comments);
    out
}

/// Whether a feed is of a site's comments: by its address (WordPress's
/// `/comments/feed/`, `?feed=comments-rss2`, in any language) or its title ("Comments
/// for ...", "... » Comments Feed", and the words WordPress's translations use).
fn is_comments(url: &str, title: Option<&str>) -> bool {
    let url = url.to_ascii_lowercase();
    let by_url =
        url.contains("/comments/") || url.contains("comments-") || url.contains("feed=comments");
    let by_title = title.is_some_and(|t| {
        let t = t.to_lowercase();
        t.split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w,
                "comments"
                    | "comment"
                    | "kommentar"
                    | "kommentare"
                    | "commentaires"
                    | "comentarios"
                    | "comentários"
                    | "commenti"
                    | "reacties"
                    | "kommentarer"
                    | "komentarze"
                    | "kommentit"
            )
        })
    });
    by_url || by_title
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(url: &str, title: &str, same: (&str, &str, &str)) -> Checked {
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        Checked {
            asked: url.into(),
            candidate: Candidate {
                url: url.into(),
                title: some(title),
                comments: false,
            },
            same: (some(same.0), some(same.1), some(same.2)),
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
        ]);
        assert_eq!(
            urls(&got),
            [
                ("https://b.example/feed/", false),
                ("https://b.example/comments/feed/", true),
                ("https://b.example/?feed=comments-rss2", true),
                ("https://b.example/kommentare.xml", true),
            ]
        );
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
        // Two untitled feeds without items are not taken for one.
        let got = rank(vec![
            checked("https://a.example/1", "", ("", "", "")),
            checked("https://a.example/2", "", ("", "", "")),
        ]);
        assert_eq!(got.len(), 2);
    }
}
