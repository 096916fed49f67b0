//! The account's articles at a sync: those new since the last one, then, until the
//! account's oldest is reached, the next stretch of its history. A first sync starts on
//! the history, so a big account's recent articles come first; the rest comes a stretch
//! at a time, at most one stretch an hour (so that the syncs in between cost what
//! changed, whatever the account's size), or all at once with `bulletin sync --all`;
//! never capped away. Unread and starred articles come by id besides (engine.rs),
//! whatever the history has reached.
//!
//! A server that cannot page backwards (coldsweat's `max_id`) is asked for its newest id
//! instead: new articles are those above it, and the history is every id below, taken
//! by runs of ids from the newest down (`items_between`, through `items_by_id`). Such a
//! server's pages by `since_id` are any fifty articles above the id (coldsweat lists
//! them by feed), so new articles too are taken by runs of ids, up to the newest. Where
//! even that cannot be told, the history comes oldest first through the new-articles
//! cursor, as new articles do.

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
/// The history is the ids up to a number, taken by ranges from there down: `below:N`.
const BELOW: &str = "below:";
/// Set ("1") when new articles are taken by ranges of ids up to the newest.
const BY_IDS: &str = "sync.by_ids";
/// Set ("1") when the server could not tell its newest id: not asked again.
const NO_NEWEST: &str = "sync.no_newest";
/// Ids asked for in one request by id (Fever's `with_ids` takes fifty).
const IDS_A_REQUEST: u64 = 50;

/// What a sync did with the account's history.
pub(super) struct History {
    /// Articles are left for the next syncs: older ones, or new ones past this sync's
    /// share.
    pub left: bool,
    /// The history went on (its cursor moved), whether or not articles came.
    pub moved: bool,
}

/// Fetches what this sync takes (with `whole`, a stretch of history whenever one is
/// left, however recent the last).
pub(super) fn fetch(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    whole: bool,
) -> Result<History, SyncError> {
    let due = whole || due(taker)?;
    let before = taker.store.meta(HISTORY)?;
    let left = fetch_up_to(provider, taker, ITEMS_PER_SYNC, due)?;
    let moved = taker.store.meta(HISTORY)? != before;
    Ok(History { left, moved })
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
    if history.as_deref() == Some(FORWARD)
        && taker.store.meta(BY_IDS)?.is_none()
        && taker.store.meta(NO_NEWEST)?.is_none()
    {
        history = by_ids_from_forward(provider, taker, cursor.as_deref())?.or(history);
    }
    let mut forward_more = false;
    if cursor.is_some() || history.is_some() {
        forward_more = forward(provider, taker, cursor.as_deref(), limit)?;
    }
    let first = history.is_none();
    let stretch = match history.as_deref() {
        Some(DONE) | Some(FORWARD) => None,
        // A first sync always takes its stretch.
        _ if !(first || due) => None,
        Some(h) if h.starts_with(BELOW) => Some(below(provider, taker, h, limit)?),
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
    // New articles past this sync's share are left too, whatever the history: `--all`
    // goes on for them as for older ones.
    Ok(forward_more || !matches!(history.as_deref(), Some(DONE) | Some(FORWARD)))
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
    let newest = match provider.newest_id(0) {
        Ok(newest) => newest,
        Err(SyncError::Unsupported(why)) => {
            tracing::info!("{why}: the account's history comes oldest first");
            taker.store.set_meta(NO_NEWEST, "1")?;
            return Ok((FORWARD.to_string(), forward(provider, taker, None, limit)?));
        }
        Err(e) => return Err(e),
    };
    // New articles are those above the newest now; the first stretch of history is
    // taken at once, from the newest down. The history is kept before the stretch, so
    // that a sync cut short goes on from there.
    let top = newest.unwrap_or(0);
    let history = format!("{BELOW}{top}");
    taker.store.set_meta(HISTORY, &history)?;
    taker.store.set_meta(BY_IDS, "1")?;
    taker.store.set_meta(CURSOR, &top.to_string())?;
    Ok((below(provider, taker, &history, limit)?, false))
}

/// A cache whose history came through the new-articles cursor (`forward`, before the
/// server was asked for its newest id): where the server tells it, articles go by ranges
/// of ids from now on, and everything below the cursor is looked over again as history,
/// newest first (pages by `since_id` there may have left articles out). Returns the new
/// history, if any.
fn by_ids_from_forward(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    cursor: Option<&str>,
) -> Result<Option<String>, SyncError> {
    let Some(at) = cursor.and_then(|c| c.parse::<u64>().ok()) else {
        return Ok(None);
    };
    match provider.newest_id(at) {
        Ok(_) => {
            let history = format!("{BELOW}{at}");
            taker.store.set_meta(HISTORY, &history)?;
            taker.store.set_meta(BY_IDS, "1")?;
            Ok(Some(history))
        }
        Err(SyncError::Unsupported(_)) => {
            taker.store.set_meta(NO_NEWEST, "1")?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// New articles by ranges of ids, from `from` up to `top`; the cursor follows. Returns
/// whether more were left.
fn by_ids(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    from: u64,
    top: u64,
    limit: usize,
) -> Result<bool, SyncError> {
    if top <= from {
        return Ok(false);
    }
    let (next, more) = items_between(provider, taker, from, top, limit, false)?;
    taker.store.set_meta(CURSOR, &next.to_string())?;
    Ok(more)
}

/// The next stretch of a history by ids (`below:N`): the articles at and below N, the
/// newest first. Returns the history's next value.
fn below(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    value: &str,
    limit: usize,
) -> Result<String, SyncError> {
    let Some(high) = value
        .strip_prefix(BELOW)
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return Err(SyncError::Protocol(format!("history cursor {value:?}")));
    };
    let (at, more) = items_between(provider, taker, 0, high, limit, true)?;
    Ok(if more && at > 0 {
        format!("{BELOW}{at}")
    } else {
        DONE.to_string()
    })
}

/// The articles with ids above `after` up to `upto`, by runs of ids (whatever order the
/// server lists them in; ids that are gone cost nothing but their place), up to `limit`
/// articles, from the lowest ids or with `newest_first` from the highest. Returns where
/// the ids not asked for yet start (above it from the lowest, at and below it from the
/// highest) and whether any are left.
fn items_between(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    after: u64,
    upto: u64,
    limit: usize,
    newest_first: bool,
) -> Result<(u64, bool), SyncError> {
    let (mut low, mut high) = (after, upto);
    let (mut taken, mut asked) = (0, 0);
    // Where many ids are gone, the requests stop at four times what `limit` articles
    // need in full runs.
    let most_asked = limit as u64 / IDS_A_REQUEST * 4 + 1;
    while low < high {
        if taken >= limit || asked >= most_asked {
            break;
        }
        let (first, last) = if newest_first {
            (high.saturating_sub(IDS_A_REQUEST).max(low) + 1, high)
        } else {
            (low + 1, low.saturating_add(IDS_A_REQUEST).min(high))
        };
        let ids: Vec<String> = (first..=last).map(|i| i.to_string()).collect();
        let items = provider.items_by_id(&ids)?;
        asked += 1;
        if newest_first {
            high = first - 1;
        } else {
            low = last;
        }
        taken += items.len();
        // Even an empty run goes to `page`, which says when the sync's share of time is
        // spent: a long run of ids that are gone must not hold it up.
        match taker.page(&items) {
            Err(SyncError::Enough) => break,
            other => other?,
        }
    }
    Ok((if newest_first { high } else { low }, low < high))
}

/// New articles from `cursor`; returns whether more were left.
fn forward(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    cursor: Option<&str>,
    limit: usize,
) -> Result<bool, SyncError> {
    if taker.store.meta(BY_IDS)?.is_some() {
        let from = cursor
            .unwrap_or("0")
            .parse::<u64>()
            .map_err(|_| SyncError::Protocol(format!("new articles' cursor {cursor:?}")))?;
        // One request when nothing is new.
        return match provider.newest_id(from)? {
            Some(top) => by_ids(provider, taker, from, top, limit),
            None => Ok(false),
        };
    }
    let paged = provider.new_items(cursor, limit, &mut |p| taker.page(p))?;
    if let Some(next) = paged.cursor {
        taker.store.set_meta(CURSOR, &next)?;
    }
    Ok(paged.more)
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
