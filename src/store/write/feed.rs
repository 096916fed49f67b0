//! One parsed feed written in its transaction: new and changed items, read marks
//! carried over from an import, and the old read items `keep_days` lets go.

use super::*;
use crate::store::item_ids::ItemIds;

/// One feed's items upserted, its metadata and validators updated; the caller commits.
pub(super) fn write_feed(
    tx: &Connection,
    id: FeedId,
    feed: &PreparedFeed,
    validators: &Validators,
    http_status: Option<u16>,
    now: DateTime<Utc>,
    keep_days: u32,
) -> Result<ApplyStats> {
    // (`total` leaves out what filters hid: whether the feed has articles at all is
    // asked apart, for `carry`. New items are counted as listed, hidden ones not.)
    let (total_before, has_items): (i64, bool) = tx
        .prepare_cached(
            "SELECT total, EXISTS (SELECT 1 FROM items WHERE feed_id = ?1)
             FROM feeds WHERE id = ?1",
        )?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
    // New rows get ids above this one: how the newsboat marks below find them.
    let max_id_before: i64 = tx
        .prepare_cached("SELECT coalesce(max(id), 0) FROM items")?
        .query_row([], |r| r.get(0))?;
    // Every statement here is cached: five of them were parsed anew for each feed (the
    // thousand of a cold refresh) on the single writer's thread.
    tx.prepare_cached(
        "UPDATE feeds SET title = ?2, site_link = ?3, description = ?4, etag = ?5,
             last_modified = ?6, last_attempt = ?7, last_success = ?7, http_status = ?8,
             last_error = NULL, retry_after = NULL, consecutive_failures = 0,
             failing_since = NULL, gone = 0
         WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        feed.title,
        feed.link,
        feed.description,
        validators.etag,
        validators.last_modified,
        now.timestamp(),
        http_status
    ])?;
    if has_items {
        super::shared_ids::carry(tx, id, &feed.items)?;
    }
    {
        let mut ids = ItemIds::start(tx)?;
        let mut upsert = tx.prepare_cached(
            "INSERT INTO items (feed_id, guid, title, link, author, published, updated,
                 sort_time, summary, content, enclosures, hash, first_seen,
                 is_read, starred, hidden, id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17)
             ON CONFLICT (feed_id, guid) DO UPDATE SET
                 title = excluded.title, link = excluded.link, author = excluded.author,
                 published = excluded.published, updated = excluded.updated,
                 sort_time = min(coalesce(excluded.published, excluded.updated, items.first_seen),
                                 items.first_seen),
                 summary = excluded.summary, content = excluded.content,
                 enclosures = excluded.enclosures, hash = excluded.hash
             WHERE items.hash != excluded.hash",
        )?;
        // Last to first: the feed's first item gets the highest id, and items of one
        // time (undated ones, or a day's without an hour) list in the feed's own order.
        // Items dated in the future all sort as now (below): among them the later date
        // gets the higher id and lists first (they listed in the feed's order, so
        // oldest first from a feed written in date order).
        let now_ts = now.timestamp();
        // A date in the future sorts as the time it arrived: it keeps its place among
        // the news of that day instead of topping every list for years.
        let time = |item: &PreparedItem| item.published.or(item.updated).unwrap_or(now_ts);
        let mut order: Vec<&PreparedItem> = feed.items.iter().rev().collect();
        order.sort_by_key(|item| (time(item).min(now_ts), time(item).max(now_ts)));
        for item in order {
            upsert.execute(params![
                id.0,
                item.guid,
                item.title,
                item.link,
                item.author,
                item.published,
                item.updated,
                time(item).min(now_ts),
                item.summary,
                item.content,
                item.enclosures,
                item.hash,
                now.timestamp(),
                item.arrival.read,
                item.arrival.starred,
                item.arrival.hidden,
                ids.next(),
            ])?;
            // An article already there is updated (or left) and keeps its own id.
            if tx.last_insert_rowid() == ids.next() {
                ids.taken();
            }
        }
    }
    let arrivals = arrivals(tx, id, feed, max_id_before)?;
    crate::store::story::queue(tx, &arrivals, now.timestamp())?;
    // Items new to us that were read in newsboat arrive read. (Asked first, so that a
    // feed with no imported marks costs one index probe, not a scan.)
    let url = feed_url(tx, id)?;
    let has_marks: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM imported_read WHERE feed_url = ?1)")?
        .query_row([&url], |r| r.get(0))?;
    if has_marks {
        tx.prepare_cached(
            "UPDATE items SET is_read = 1
             WHERE feed_id = ?1 AND id > ?2 AND +is_read = 0 AND (
                 guid IN (SELECT guid FROM imported_read WHERE feed_url = ?3)
                 OR link IN (SELECT link FROM imported_read WHERE feed_url = ?3))",
        )?
        .execute(params![id.0, max_id_before, url])?;
    }
    let total_after: i64 = tx
        .prepare_cached("SELECT total FROM feeds WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))?;
    let dropped = if keep_days > 0 {
        let cutoff = now - chrono::Duration::days(i64::from(keep_days));
        let current: HashSet<&str> = feed.items.iter().map(|i| i.guid.as_str()).collect();
        drop_old(tx, id, cutoff, &current)?
    } else {
        0
    };
    Ok(ApplyStats {
        new_items: (total_after - total_before).max(0) as usize,
        dropped,
        arrivals,
    })
}

pub(super) fn feed_url(tx: &Connection, id: FeedId) -> Result<String> {
    Ok(tx
        .prepare_cached("SELECT url FROM feeds WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))?)
}

/// Read, unstarred items older than the cutoff that the feed no longer lists.
pub(super) fn drop_old(
    tx: &Connection,
    id: FeedId,
    cutoff: DateTime<Utc>,
    current: &HashSet<&str>,
) -> Result<usize> {
    let candidates: Vec<(i64, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, guid FROM items WHERE feed_id = ?1 AND is_read = 1 AND starred = 0 AND sort_time < ?2",
        )?;
        let rows = stmt.query_map(params![id.0, cutoff.timestamp()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut delete = tx.prepare_cached("DELETE FROM items WHERE id = ?1")?;
    let mut dropped = 0;
    for (item_id, guid) in candidates {
        // Still in the feed: dropping it would bring it back as unread next refresh.
        if !current.contains(guid.as_str()) {
            dropped += delete.execute([item_id])?;
        }
    }
    Ok(dropped)
}

/// The feed's new items with what finds their copies in other feeds (none when the
/// feed is never grouped).
fn arrivals(
    tx: &Connection,
    id: FeedId,
    feed: &PreparedFeed,
    max_id_before: i64,
) -> Result<Vec<crate::store::story::Arrival>> {
    if feed.stories == crate::story::Mode::Off {
        return Ok(Vec::new());
    }
    let by_guid: std::collections::HashMap<&str, &crate::story::Keys> = feed
        .items
        .iter()
        .map(|i| (i.guid.as_str(), &i.story))
        .collect();
    // An article a filter hid joins no story: its read mark (the filter's) would reach
    // the story's other copies, and a later copy would arrive read, never seen; and it
    // would stand in the story's rows and "Also in" where no list shows it.
    let mut stmt = tx.prepare_cached(
        "SELECT id, guid, sort_time FROM items WHERE feed_id = ?1 AND id > ?2 AND hidden = 0",
    )?;
    let rows = stmt.query_map(params![id.0, max_id_before], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (item, guid, time) = row?;
        if let Some(keys) = by_guid.get(guid.as_str()) {
            out.push(crate::store::story::Arrival {
                feed: id,
                id: item,
                time,
                mode: feed.stories,
                keys: (*keys).clone(),
            });
        }
    }
    Ok(out)
}
