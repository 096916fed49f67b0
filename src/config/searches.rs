//! `[[query]]` (saved searches that show as feeds) and `[[filter]]` (rules run on each
//! new article), checked when the config loads: the query's syntax, the names, the
//! action, each mistake with the place in the file.

use serde::Deserialize;
use toml::Spanned;

/// A saved search, listed among the feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQuery {
    pub name: String,
    pub query: String,
}

pub use crate::search::rules::Action as FilterAction;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterRule {
    pub query: String,
    pub action: FilterAction,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuery {
    name: Spanned<String>,
    query: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFilter {
    query: Spanned<String>,
    action: Spanned<String>,
}

/// Where in the file column `column` of a query string is: past the opening quote.
fn offset_in(text: &str, value: &Spanned<String>, column: usize) -> usize {
    let start = value.span().start + 1;
    let inner = text.get(start..).unwrap_or("");
    start
        + inner
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(0, |(i, _)| i)
}

fn check_query(
    text: &str,
    value: &Spanned<String>,
    invalid: &impl Fn(usize, String) -> super::ConfigError,
) -> Result<(), super::ConfigError> {
    if value.get_ref().trim().is_empty() {
        return Err(invalid(
            value.span().start,
            "query must not be empty".into(),
        ));
    }
    crate::search::parse(value.get_ref(), chrono::Utc::now())
        .map(|_| ())
        .map_err(|e| {
            invalid(
                offset_in(text, value, e.column),
                format!("query: {}", e.message),
            )
        })
}

pub(super) fn read_queries(
    text: &str,
    raw: Vec<RawQuery>,
    feed_names: &[String],
    invalid: &impl Fn(usize, String) -> super::ConfigError,
) -> Result<Vec<SavedQuery>, super::ConfigError> {
    let mut out: Vec<SavedQuery> = Vec::new();
    for q in raw {
        let name = q.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(invalid(
                q.name.span().start,
                "name must not be empty".into(),
            ));
        }
        if out.iter().any(|o| o.name == name) || feed_names.contains(&name) {
            return Err(invalid(
                q.name.span().start,
                format!("{name:?} is already the name of a feed or query"),
            ));
        }
        check_query(text, &q.query, invalid)?;
        out.push(SavedQuery {
            name,
            query: q.query.into_inner(),
        });
    }
    Ok(out)
}

pub(super) fn read_filters(
    text: &str,
    raw: Vec<RawFilter>,
    invalid: &impl Fn(usize, String) -> super::ConfigError,
) -> Result<Vec<FilterRule>, super::ConfigError> {
    raw.into_iter()
        .map(|f| {
            check_query(text, &f.query, invalid)?;
            let action = match f.action.get_ref().as_str() {
                "mark_read" => FilterAction::MarkRead,
                "hide" => FilterAction::Hide,
                "star" => FilterAction::Star,
                other => {
                    return Err(invalid(
                        f.action.span().start,
                        format!(
                            "action {other:?} is unknown; use \"mark_read\", \"hide\" or \"star\""
                        ),
                    ))
                }
            };
            Ok(FilterRule {
                query: f.query.into_inner(),
                action,
            })
        })
        .collect()
}
