//! The account's articles at a sync: those new since the last one, then, until the
//! account's oldest is reached, the next stretch of its history, newest first. A first
//! sync starts on the history, so a big account's recent articles come first and the
//! rest over the following syncs (or `bulletin sync --all`), never capped away. A server
//! that cannot page backwards (coldsweat's `max_id`) sends its history oldest first,
//! through the new-articles cursor. Unread and starred articles come by id besides
//! (engine.rs), whatever the history has reached.

use super::engine::Taker;
use super::{SyncError, SyncProvider};

/// The most articles one sync takes by paging, new and history each.
const ITEMS_PER_SYNC: usize = 10_000;

/// The cursor of new articles.
const CURSOR: &str = "sync.cursor";
/// Where the account's history goes on (a provider's cursor), or one of the two words
/// below; none before the first sync.
const HISTORY: &str = "sync.history";
/// The account's oldest article is here.
const DONE: &str = "done";
/// The server cannot page backwards: its history comes oldest first, through the
/// new-articles cursor, and is done when that reaches the newest.
const FORWARD: &str = "forward";

/// Fetches what this sync takes; returns whether older articles are left for the next.
pub(super) fn fetch(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
) -> Result<bool, SyncError> {
    fetch_up_to(provider, taker, ITEMS_PER_SYNC)
}

fn fetch_up_to(
    provider: &mut dyn SyncProvider,
    taker: &mut Taker<'_>,
    limit: usize,
) -> Result<bool, SyncError> {
    let cursor = taker.store.meta(CURSOR)?;
    let mut history = taker.store.meta(HISTORY)?;
    let mut forward_more = false;
    if cursor.is_some() || history.is_some() {
        forward_more = forward(provider, taker, cursor.as_deref(), limit)?;
    }
    let going_on = history.as_deref().is_none_or(|h| h != DONE && h != FORWARD);
    if going_on {
        match provider.older_items(history.as_deref(), limit, &mut |p| taker.page(p)) {
            Ok(paged) => {
                if cursor.is_none() {
                    // A first sync: new articles are those after the newest it saw.
                    if let Some(top) = &paged.top {
                        taker.store.set_meta(CURSOR, top)?;
                    }
                }
                let next = match paged.cursor {
                    Some(c) if paged.more => c,
                    _ => DONE.to_string(),
                };
                taker.store.set_meta(HISTORY, &next)?;
                history = Some(next);
            }
            Err(SyncError::Unsupported(why)) => {
                tracing::info!("{why}: the account's history comes oldest first");
                taker.store.set_meta(HISTORY, FORWARD)?;
                history = Some(FORWARD.to_string());
                if cursor.is_none() {
                    forward_more = forward(provider, taker, None, limit)?;
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(match history.as_deref() {
        Some(DONE) => false,
        Some(FORWARD) => forward_more,
        _ => true,
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
