//! A query tried on one article in memory: how `[[filter]]` rules judge each new article
//! as it arrives, before it is in the index. Words are matched as the index matches them
//! (see `fold`), so a rule and a search with the same words agree.

use super::fold::{fold, tokens};
use super::query::{Field, Filter, Query, Term, Text};

/// One article as a rule sees it.
#[derive(Debug, Clone, Default)]
pub struct Article<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub feed_name: &'a str,
    pub feed_url: &'a str,
    pub tags: &'a [String],
    /// The body's text (see `text::index_text`).
    pub body: &'a str,
    /// The time lists sort by, a Unix time.
    pub time: i64,
}

/// An article's words, folded once for all the rules.
pub struct Words {
    title: Vec<String>,
    author: Vec<String>,
    feed: Vec<String>,
    body: Vec<String>,
}

impl Words {
    pub fn new(a: &Article) -> Words {
        Words {
            title: tokens(a.title),
            author: tokens(a.author),
            feed: tokens(a.feed_name),
            body: tokens(a.body),
        }
    }
}

/// Whether a new article (unread, not starred, not hidden) matches the query.
pub fn matches(q: &Query, a: &Article, words: &Words) -> bool {
    q.text.iter().all(|t| text(t, words)) && q.filters.iter().all(|(f, yes)| filter(f, a) == *yes)
}

fn filter(f: &Filter, a: &Article) -> bool {
    match f {
        // A whole address (`feed:"https://a.example/rss"`) names that feed alone: it
        // also ended `…/rss?page=2` and `…/rss/comments`.
        Filter::Feed(name) if name.contains("://") => a.feed_url == name.as_str(),
        Filter::Feed(name) => {
            fold(a.feed_name).contains(&fold(name)) || a.feed_url.contains(name.as_str())
        }
        Filter::Tag(tag) => a.tags.iter().any(|t| fold(t) == fold(tag)),
        // A new article is unread, not starred, not hidden.
        Filter::Read(read) => !*read,
        Filter::Starred(s) => !*s,
        Filter::Hidden(h) => !*h,
        Filter::After(t) => a.time >= *t,
        Filter::Before(t) => a.time < *t,
    }
}

fn text(t: &Text, w: &Words) -> bool {
    match t {
        Text::Term(term) => term_matches(term, w),
        Text::And(parts) => parts.iter().all(|p| text(p, w)),
        Text::Or(parts) => parts.iter().any(|p| text(p, w)),
        Text::Not(inner) => !text(inner, w),
    }
}

fn term_matches(term: &Term, w: &Words) -> bool {
    let phrase = tokens(&term.text);
    if phrase.is_empty() {
        return true;
    }
    let columns: &[&Vec<String>] = match term.field {
        Field::Any => &[&w.title, &w.author, &w.feed, &w.body],
        Field::Title => &[&w.title],
        Field::Author => &[&w.author],
    };
    columns
        .iter()
        .any(|col| contains_phrase(col, &phrase, term.prefix))
}

/// The words in a row, the last as a prefix when asked.
fn contains_phrase(haystack: &[String], phrase: &[String], prefix: bool) -> bool {
    if haystack.len() < phrase.len() {
        return false;
    }
    let last = phrase.len() - 1;
    haystack.windows(phrase.len()).any(|win| {
        win.iter().zip(phrase).enumerate().all(|(i, (h, p))| {
            if i == last && prefix {
                h.starts_with(p.as_str())
            } else {
                h == p
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn check(query: &str, a: &Article) -> bool {
        let q = super::super::parse(query, Utc::now()).unwrap();
        matches(&q, a, &Words::new(a))
    }

    #[test]
    fn rules_match_as_the_index_would() {
        let tags = vec!["security".to_string()];
        let a = Article {
            title: "Sponsored: the Café passkeys guide",
            author: "Jane Roe",
            feed_name: "Security Weekly",
            feed_url: "https://sec.example/feed",
            tags: &tags,
            body: "Rotate your tokens now. CVE-2026-1234 is out.",
            time: Utc::now().timestamp(),
        };
        assert!(check("sponsored", &a));
        assert!(check("title:sponsored", &a));
        assert!(!check("author:sponsored", &a));
        assert!(check("cafe passkey*", &a));
        assert!(check("\"rotate your tokens\"", &a));
        assert!(!check("\"your rotate\"", &a));
        assert!(check("cve-2026-1234", &a));
        assert!(check("tag:Security is:unread after:-1d", &a));
        assert!(!check("tag:news", &a));
        assert!(check("feed:weekly -author:john", &a));
        assert!(check("missing OR roe", &a));
        assert!(!check("sponsored -guide", &a));
        assert!(!check("is:starred", &a));
        assert!(!check("before:-1d", &a));
        // A whole address names that feed alone; a part of one, any feed it is in.
        assert!(check("feed:\"https://sec.example/feed\"", &a));
        assert!(check("feed:sec.example", &a));
        let longer = Article {
            feed_url: "https://sec.example/feed/comments",
            ..a
        };
        assert!(!check("feed:\"https://sec.example/feed\"", &longer));
        assert!(check("feed:sec.example/feed", &longer));
    }
}
