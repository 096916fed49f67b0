//! The account's articles at a sync: those new since the last one, then, until the
//! account's oldest is reached, the next stretch of its history. A first sync starts on
//! the history, so a big account's recent articles come first; the rest comes a stretch
//! at a time, at most one stretch an hour (so that the syncs in between cost what
//! changed, whatever the account's size), or all at once with `bulletin sync --all`;
//! never capped away. Unread and starred articles come by id besides (engine.rs),
//! whatever the history has reached.
//!
//! A server that cannot page backwards (coldsweat's `max_id`) is asked for its newest id
//! instead: new articles then start that far below it, and the history is the stretch of
//! ids under that start, paged forwards. Where even that cannot be told, the history
//! comes oldest first through the new-articles cursor, as new articles do.

use super::engine::Taker;
use super::{SyncError, SyncProvider};

/// The most articles one sync takes by paging, new and history each.
const ITEMS_PER_SYNC: usize = 10_000;

/// The least time between two stretches of history, in seconds.
const HISTORY_EVERY: i64 = 3600;

/// The cursor of new articles.
const CURSOR: &str = "sync.cursor";
/// Where the account's history goes on (a provider's cursor, a window's, or one of the
/// two words below); none before the first sync.
const HISTORY: &str = "sync.history";
/// When the last stretch of history was taken (Unix seconds).
const HISTORY_AT: &str = "sync.history_at";
/// The account's oldest article is here.
const DONE: &str = "done";
/// The server cannot page backwards: its history comes oldest first, through the
/// new-articles cursor, and is done when that reaches the newest.
const FORWARD: &str = "forward";
/// The history is the ids up to a number, paged forwards: `window:END:FROM`.
const WINDOW: &str = "window:";

/// Fetches what this sync takes (with `whole`, a stretch of history whenever one is
/// left, however recent the last); returns whether older articles are left.
pub(super) fn fetch(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    whole: bool,
) -> Result<bool, SyncError> {
    let due = whole || due(taker)?;
    fetch_up_to(provider, taker, ITEMS_PER_SYNC, due)
}

/// Whether the next stretch of history is due (an hour since the last, or none yet).
fn due(taker: &Taker<'_>) -> Result<bool, SyncError> {
    let now = taker.now();
    let last = taker
        .store
        .meta(HISTORY_AT)?
        .and_then(|t| t.parse::<i64>().ok());
    // A clock set back makes it due too, rather than never.
    Ok(last.is_none_or(|at| now - at >= HISTORY_EVERY || now < at))
}

fn fetch_up_to(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    limit: usize,
    due: bool,
) -> Result<bool, SyncError> {
    let cursor = taker.store.meta(CURSOR)?;
    let mut history = taker.store.meta(HISTORY)?;
    let mut forward_more = false;
    if cursor.is_some() || history.is_some() {
        forward_more = forward(provider, taker, cursor.as_deref(), limit)?;
    }
    let first = history.is_none();
    let stretch = match history.as_deref() {
        Some(DONE) | Some(FORWARD) => None,
        // A first sync always takes its stretch.
        _ if !(first || due) => None,
        Some(h) if h.starts_with(WINDOW) => Some(window(provider, taker, h, limit)?),
        _ => match provider.older_items(history.as_deref(), limit, &mut |p| taker.page(p)) {
            Ok(paged) => {
                if cursor.is_none() {
                    // A first sync: new articles are those after the newest it saw.
                    if let Some(top) = &paged.top {
                        taker.store.set_meta(CURSOR, top)?;
                    }
                }
                Some(match paged.cursor {
                    Some(c) if paged.more => c,
                    _ => DONE.to_string(),
                })
            }
            Err(SyncError::Unsupported(why)) => {
                tracing::info!("{why}");
                let (next, more) = forwards(provider, taker, cursor.as_deref(), limit)?;
                forward_more |= more;
                Some(next)
            }
            Err(e) => return Err(e),
        },
    };
    if let Some(next) = stretch {
        taker.store.set_meta(HISTORY, &next)?;
        taker.store.set_meta(HISTORY_AT, &taker.now().to_string())?;
        history = Some(next);
    }
    Ok(match history.as_deref() {
        Some(DONE) => false,
        Some(FORWARD) => forward_more,
        _ => true,
    })
}

/// A server that cannot page backwards: where the new articles start (just below its
/// newest, when it can tell) and what its history is then. Returns the history's value,
/// and whether new articles are left for the next sync.
fn forwards(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    cursor: Option<&str>,
    limit: usize,
) -> Result<(String, bool), SyncError> {
    if cursor.is_some() {
        // A cache from before the history: its cursor has gone on already.
        return Ok((FORWARD.to_string(), false));
    }
    let newest = match provider.newest_id() {
        Ok(newest) => newest,
        Err(SyncError::Unsupported(why)) => {
            tracing::info!("{why}: the account's history comes oldest first");
            return Ok((FORWARD.to_string(), forward(provider, taker, None, limit)?));
        }
        Err(e) => return Err(e),
    };
    let start = newest.unwrap_or(0).saturating_sub(limit as u64);
    let more = forward(provider, taker, Some(&start.to_string()), limit)?;
    let history = if start == 0 {
        DONE.to_string()
    } else {
        format!("{WINDOW}{start}:0")
    };
    Ok((history, more))
}

/// The next stretch of a window's history (`window:END:FROM`): the articles above FROM,
/// up to END (the first sync's start). Returns the history's next value.
fn window(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    value: &str,
    limit: usize,
) -> Result<String, SyncError> {
    let parsed = value
        .strip_prefix(WINDOW)
        .and_then(|v| v.split_once(':'))
        .and_then(|(end, from)| Some((end.parse::<u64>().ok()?, from.parse::<u64>().ok()?)));
    let Some((end, from)) = parsed else {
        return Err(SyncError::Protocol(format!("history cursor {value:?}")));
    };
    // No more than the window holds: what lies above it is here already.
    let span = usize::try_from(end.saturating_sub(from)).unwrap_or(usize::MAX);
    let paged = provider.new_items(Some(&from.to_string()), limit.min(span), &mut |p| {
        taker.page(p)
    })?;
    let reached = paged.cursor.as_deref().and_then(|c| c.parse::<u64>().ok());
    Ok(match reached {
        Some(at) if paged.more && at < end => format!("{WINDOW}{end}:{at}"),
        _ => DONE.to_string(),
    })
}

/// New articles from `cursor`; returns whether more were left.
fn forward(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    cursor: Option<&str>,
    limit: usize,
) -> Result<bool, SyncError> {
    let paged = provider.new_items(cursor, limit, &mut |p| taker.page(p))?;
    if let Some(next) = paged.cursor {
        taker.store.set_meta(CURSOR, &next)?;
    }
    Ok(paged.more)
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
