//! A parsed query made ready for the cache: the words as an FTS5 expression built only
//! from quoted strings (nothing typed can become FTS5 syntax), feed and tag names
//! resolved to feed ids, dates as Unix times.

use super::query::{Field, Filter, Query, QueryError, Term, Text};
use crate::model::FeedId;

/// What a query needs to know of one feed to resolve `feed:` and `tag:`.
#[derive(Debug, Clone, Copy)]
pub struct FeedInfo<'a> {
    pub id: FeedId,
    pub name: &'a str,
    pub url: &'a str,
    pub tags: &'a [String],
}

impl<'a> FeedInfo<'a> {
    /// The feeds a query may name, from the feed list's summaries.
    pub fn of(feeds: &'a [crate::model::FeedSummary]) -> Vec<FeedInfo<'a>> {
        feeds
            .iter()
            .map(|f| FeedInfo {
                id: f.id,
                name: &f.name,
                url: &f.url,
                tags: &f.tags,
            })
            .collect()
    }
}

/// A query as the cache runs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compiled {
    /// An FTS5 expression every result matches; None when the query has no words.
    pub matching: Option<String>,
    /// An FTS5 expression no result matches (a query whose only words are excluded).
    pub excluding: Option<String>,
    /// Only items of these feeds (None: any feed).
    pub feeds: Option<Vec<FeedId>>,
    pub not_feeds: Vec<FeedId>,
    pub read: Option<bool>,
    pub starred: Option<bool>,
    /// `is:hidden`: only the articles a filter hid (otherwise they are left out).
    pub hidden: bool,
    /// Unix times: sort_time at or after, and before.
    pub after: Option<i64>,
    pub before: Option<i64>,
    /// Contradictory filters (is:read is:unread): nothing can match.
    pub never: bool,
    /// The words to highlight in lists and the reader.
    pub terms: Vec<Term>,
    /// Listed newest first, never by relevance: a saved search's own list, which reads
    /// as a feed of its matches (relevance is for what is typed after `/` and `search`).
    pub by_time: bool,
}

/// Resolves a parsed query against the feeds it may name.
pub fn compile(query: &Query, feeds: &[FeedInfo]) -> Result<Compiled, QueryError> {
    let mut out = Compiled {
        terms: query.highlight_terms(),
        ..Compiled::default()
    };
    let (excluded, included): (Vec<&Text>, Vec<&Text>) =
        query.text.iter().partition(|t| matches!(t, Text::Not(_)));
    let included = included
        .iter()
        .map(|t| fts(t))
        .collect::<Result<Vec<_>, _>>()?;
    let excluded = excluded
        .iter()
        .map(|t| match t {
            Text::Not(inner) => fts(inner),
            other => fts(other),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !included.is_empty() {
        let mut expr = included
            .iter()
            .map(|e| format!("({e})"))
            .collect::<Vec<_>>()
            .join(" AND ");
        for e in &excluded {
            expr.push_str(&format!(" NOT ({e})"));
        }
        out.matching = Some(expr);
    } else if !excluded.is_empty() {
        out.excluding = Some(
            excluded
                .iter()
                .map(|e| format!("({e})"))
                .collect::<Vec<_>>()
                .join(" OR "),
        );
    }
    for (filter, yes) in &query.filters {
        let yes = *yes;
        match filter {
            Filter::Feed(name) | Filter::Tag(name) => {
                let is_tag = matches!(filter, Filter::Tag(_));
                let wanted = super::fold(name);
                let ids: Vec<FeedId> = feeds
                    .iter()
                    .filter(|f| {
                        if is_tag {
                            f.tags.iter().any(|t| super::fold(t) == wanted)
                        } else if name.contains("://") {
                            // A whole address names that feed alone (as in `matcher`).
                            f.url == name.as_str()
                        } else {
                            super::fold(f.name).contains(&wanted) || f.url.contains(name.as_str())
                        }
                    })
                    .map(|f| f.id)
                    .collect();
                if ids.is_empty() {
                    let what = if is_tag { "tag" } else { "feed" };
                    return Err(QueryError {
                        column: 1,
                        message: format!("{what}:{name} names no {what}"),
                    });
                }
                if yes {
                    out.feeds = Some(match out.feeds.take() {
                        None => ids,
                        Some(prev) => prev.into_iter().filter(|i| ids.contains(i)).collect(),
                    });
                    if out.feeds.as_ref().is_some_and(Vec::is_empty) {
                        out.never = true;
                    }
                } else {
                    out.not_feeds.extend(ids);
                }
            }
            Filter::Read(read) => set(&mut out.read, *read == yes, &mut out.never),
            Filter::Starred(s) => set(&mut out.starred, *s == yes, &mut out.never),
            Filter::Hidden(h) => out.hidden = *h == yes,
            Filter::After(t) if yes => out.after = Some(out.after.map_or(*t, |a| a.max(*t))),
            Filter::Before(t) if yes => out.before = Some(out.before.map_or(*t, |b| b.min(*t))),
            // -after:X is before:X and the other way round.
            Filter::After(t) => out.before = Some(out.before.map_or(*t, |b| b.min(*t))),
            Filter::Before(t) => out.after = Some(out.after.map_or(*t, |a| a.max(*t))),
        }
    }
    if let (Some(a), Some(b)) = (out.after, out.before) {
        out.never |= a >= b;
    }
    Ok(out)
}

fn set(slot: &mut Option<bool>, value: bool, never: &mut bool) {
    match slot {
        Some(v) if *v != value => *never = true,
        _ => *slot = Some(value),
    }
}

/// The columns a bare word is looked for in (not `fid`, the feed id column).
pub const TEXT_COLUMNS: &str = "{title author feed body}";

/// One text node as an FTS5 expression.
fn fts(text: &Text) -> Result<String, QueryError> {
    match text {
        Text::Term(t) => Ok(term(t)),
        Text::Or(parts) => {
            let parts = parts
                .iter()
                .map(|p| match p {
                    Text::Not(_) => Err(QueryError {
                        column: 1,
                        message: "an excluded word cannot be one side of OR".into(),
                    }),
                    other => fts(other).map(|e| format!("({e})")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(parts.join(" OR "))
        }
        Text::And(parts) => {
            let (neg, pos): (Vec<&Text>, Vec<&Text>) =
                parts.iter().partition(|t| matches!(t, Text::Not(_)));
            if pos.is_empty() {
                return Err(QueryError {
                    column: 1,
                    message: "a group needs a word that is not excluded".into(),
                });
            }
            let mut expr = pos
                .iter()
                .map(|p| fts(p).map(|e| format!("({e})")))
                .collect::<Result<Vec<_>, _>>()?
                .join(" AND ");
            for n in neg {
                if let Text::Not(inner) = n {
                    expr.push_str(&format!(" NOT ({})", fts(inner)?));
                }
            }
            Ok(expr)
        }
        Text::Not(_) => Err(QueryError {
            column: 1,
            message: "an excluded group needs a word that is not excluded beside it".into(),
        }),
    }
}

/// A term as a column filter and one FTS5 string: the string is tokenized like the text,
/// so "CVE-2026-1234" is the phrase of its three words.
fn term(t: &Term) -> String {
    let column = match t.field {
        Field::Any => TEXT_COLUMNS,
        Field::Title => "title",
        Field::Author => "author",
    };
    let quoted = format!("\"{}\"", t.text.replace('"', "\"\""));
    if t.prefix {
        format!("{column} : {quoted} *")
    } else {
        format!("{column} : {quoted}")
    }
}
