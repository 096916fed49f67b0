//! Reading the cache: feed counts, pages of article lists, whole articles.

use super::{from_ts, ItemQuery, Result, Scope, Store};
use crate::config::FeedSpec;
use crate::model::{Enclosure, FeedId, FeedSummary, Item, ItemId, ItemRow};
use rusqlite::{params_from_iter, OptionalExtension};

/// Above this many feeds, a list is paged along the time-ordered index (items_by_unread)
/// rather than gathered per feed and sorted.
const MANY_FEEDS: usize = 16;

/// Reads a body written as text, as Snappy bytes or (before Snappy) as LZ4 bytes.
pub(super) fn stored_text(value: rusqlite::types::ValueRef) -> Option<String> {
    use rusqlite::types::ValueRef;
    let bytes = match value {
        ValueRef::Text(t) => return Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => match super::write::snappy_part(b) {
            Some(packed) => snap::raw::Decoder::new().decompress_vec(packed).ok()?,
            None => lz4_flex::decompress_size_prepended(b).ok()?,
        },
        _ => return None,
    };
    Some(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// A list row's columns, as `item_row` reads them.
const COLUMNS: &str = "items.id, items.feed_id, items.title, items.link, items.published,
    items.updated, items.is_read, items.starred, coalesce(items.story, items.id),
    CASE WHEN items.story IS NULL THEN 0
         ELSE (SELECT count(*) - 1 FROM items c WHERE c.story = items.story) END";

fn item_row(r: &rusqlite::Row) -> rusqlite::Result<ItemRow> {
    Ok(ItemRow {
        id: ItemId(r.get(0)?),
        feed_id: FeedId(r.get(1)?),
        title: r.get(2)?,
        link: r.get(3)?,
        published: r
            .get::<_, Option<i64>>(4)?
            .or(r.get::<_, Option<i64>>(5)?)
            .and_then(from_ts),
        read: r.get(6)?,
        starred: r.get(7)?,
        story: r.get(8)?,
        copies: r.get::<_, i64>(9)?.clamp(0, u32::MAX.into()) as u32,
    })
}

impl Store {
    /// The configured feeds with their counts, in config order. Feeds never refreshed
    /// show with zero counts.
    pub fn feed_summaries(&self, specs: &[FeedSpec]) -> Result<Vec<FeedSummary>> {
        // One pass over the feeds table, matched to the config by URL: with thousands of
        // feeds that is a few milliseconds less before the first frame than a lookup each.
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, id, title, unread, total, last_error, last_success,
                    consecutive_failures, failing_since, gone, moved_from, newest, site_link
             FROM feeds",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    crate::model::Health {
                        consecutive_failures: r.get::<_, i64>(7)?.clamp(0, u32::MAX.into()) as u32,
                        failing_since: r.get::<_, Option<i64>>(8)?.and_then(from_ts),
                        gone: r.get(9)?,
                        moved_from: r.get(10)?,
                        newest_item: r.get::<_, Option<i64>>(11)?.and_then(from_ts),
                    },
                    r.get::<_, Option<String>>(12)?,
                ),
            ))
        })?;
        let mut by_url: std::collections::HashMap<String, _> =
            rows.collect::<rusqlite::Result<_>>()?;
        let checks = self.read_checks();
        let mut out = Vec::with_capacity(specs.len());
        for spec in specs {
            let row = by_url.remove(&spec.url);
            let Some((id, title, unread, total, last_error, last_success, health, site)) = row
            else {
                continue;
            };
            out.push(FeedSummary {
                id: FeedId(id),
                url: spec.url.clone(),
                name: crate::model::feed_display_name(
                    spec.name.as_deref(),
                    title.as_deref(),
                    &spec.url,
                ),
                tags: spec.tags.clone(),
                unread: unread.max(0) as u32,
                total: total.max(0) as u32,
                last_error,
                last_success: checks.last_checked_at(id, &spec.url, last_success),
                health,
                hidden: spec.hidden,
                site,
            });
        }
        Ok(out)
    }

    /// The feeds the cache holds that `listed` leaves out (unsubscribed, kept for their
    /// starred articles), by their own title (else their address): the name their
    /// articles are shown under in Starred and `items`, which showed none.
    pub fn unlisted_feed_names(&self, listed: &[FeedId]) -> Result<Vec<(FeedId, String)>> {
        let listed: std::collections::HashSet<i64> = listed.iter().map(|f| f.0).collect();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, coalesce(nullif(trim(title), ''), url) FROM feeds")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name) = row?;
            if !listed.contains(&id) {
                out.push((FeedId(id), crate::sanitize::clean_line(&name)));
            }
        }
        Ok(out)
    }

    pub(super) fn where_clause(q: &ItemQuery) -> (String, Vec<rusqlite::types::Value>) {
        Store::clause_for(q, false)
    }

    /// The list's test; with `scope_in_one`, its feeds are one JSON argument, not one
    /// argument each (the test of a story's copies repeats it, and thousands of feeds
    /// twice over would pass SQLite's limit on arguments).
    fn clause_for(q: &ItemQuery, scope_in_one: bool) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut clauses = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        let ids_in = |column: &str, ids: &[FeedId], args: &mut Vec<Value>| {
            args.extend(ids.iter().map(|i| Value::Integer(i.0)));
            format!("{column} IN ({})", vec!["?"; ids.len()].join(","))
        };
        match &q.scope {
            Scope::Feed(id) => {
                clauses.push("items.feed_id = ?".to_string());
                args.push(Value::Integer(id.0));
            }
            // "Starred" lists every starred article, those of feeds since removed too
            // (removing a feed keeps its starred articles until they are unstarred).
            Scope::Feeds(_) if q.starred_only => {}
            Scope::Feeds(ids) if scope_in_one => {
                let list: Vec<String> = ids.iter().map(|i| i.0.to_string()).collect();
                clauses.push("items.feed_id IN (SELECT value FROM json_each(?))".into());
                args.push(Value::Text(format!("[{}]", list.join(","))));
            }
            Scope::Feeds(ids) => {
                // Over many feeds, walking a time-ordered index and filtering beats
                // gathering every row of every feed and sorting: the unary + keeps
                // SQLite from using the per-feed index for this test.
                let column = if ids.len() > MANY_FEEDS {
                    "+items.feed_id"
                } else {
                    "items.feed_id"
                };
                clauses.push(ids_in(column, ids, &mut args));
            }
        }
        if q.unread_only {
            clauses.push("items.is_read = 0".into());
        }
        if q.starred_only {
            clauses.push("items.starred = 1".into());
        }
        let search = q.search.clone().unwrap_or_default();
        // Articles a filter hid show only where asked for (the Hidden view, is:hidden).
        clauses.push(format!("items.hidden = {}", i64::from(search.hidden)));
        if search.never {
            clauses.push("0".into());
        }
        if let Some(feeds) = &search.feeds {
            clauses.push(ids_in("+items.feed_id", feeds, &mut args));
        }
        if !search.not_feeds.is_empty() {
            let mut c = ids_in("+items.feed_id", &search.not_feeds, &mut args);
            c = c.replacen(" IN ", " NOT IN ", 1);
            clauses.push(c);
        }
        if let Some(read) = search.read {
            clauses.push(format!("items.is_read = {}", i64::from(read)));
        }
        if let Some(starred) = search.starred {
            clauses.push(format!("items.starred = {}", i64::from(starred)));
        }
        if let Some(after) = search.after {
            clauses.push("items.sort_time >= ?".into());
            args.push(Value::Integer(after));
        }
        if let Some(before) = search.before {
            clauses.push("items.sort_time < ?".into());
            args.push(Value::Integer(before));
        }
        if let Some(excluding) = &search.excluding {
            clauses.push(
                "items.id NOT IN (SELECT rowid & 2147483647 FROM search WHERE search MATCH ?)"
                    .into(),
            );
            args.push(Value::Text(excluding.clone()));
        }
        if q.stories && matches!(q.scope, Scope::Feeds(_)) {
            clauses.push(Store::first_copy(q, &mut args));
        }
        (clauses.join(" AND "), args)
    }

    /// The test that keeps one copy of a story in a list: no earlier copy (by id) that
    /// the list shows too. The copies are held to the list's own test (its feeds, read
    /// state, dates, hidden, and a search's words), so that a story is never left out
    /// because its first copy is not in the list. Articles without copies pass on the
    /// first test, and the rest cost an index probe each.
    fn first_copy(q: &ItemQuery, args: &mut Vec<rusqlite::types::Value>) -> String {
        let own = ItemQuery {
            stories: false,
            ..q.clone()
        };
        let (clause, own_args) = Store::clause_for(&own, true);
        args.extend(own_args);
        let mut test = clause.replace("items.", "c.");
        if let Some(words) = q.search.as_ref().and_then(|s| s.matching.as_ref()) {
            test.push_str(
                " AND EXISTS (SELECT 1 FROM search s
                     WHERE s.rowid = max(min(c.sort_time, 2147483647), -2147483648)
                                     * 2147483648 + c.id
                     AND s.search MATCH ?)",
            );
            args.push(rusqlite::types::Value::Text(format!("({words})")));
        }
        format!(
            "(items.story IS NULL OR NOT EXISTS (SELECT 1 FROM items c
                WHERE c.story = items.story AND c.id < items.id AND {test}))"
        )
    }

    /// A page of a list: newest first, or for a search with few matches, most relevant
    /// first.
    pub fn items(&self, q: &ItemQuery, offset: usize, limit: usize) -> Result<Vec<ItemRow>> {
        const ORDER: &str = "ORDER BY sort_time DESC, id DESC";
        let source = self.source(q)?;
        let mut args = source.args.clone();
        let many_feeds = matches!(&q.scope, Scope::Feeds(ids) if ids.len() > MANY_FEEDS);
        let read_filter = q.search.as_ref().is_some_and(|s| s.read.is_some());
        let newest = q.order == super::Order::Newest;
        let sql = if !newest {
            format!(
                "SELECT {COLUMNS} {} ORDER BY {} LIMIT ? OFFSET ?",
                source.sql,
                q.order.sql()
            )
        } else if !source.indexed && many_feeds && !q.unread_only && !q.starred_only && !read_filter
        {
            // The only time-ordered index is by read state: the newest `offset + limit`
            // unread and the newest `offset + limit` read, merged, give the page.
            let from = &source.sql;
            let upto = (offset + limit) as i64;
            let both = args.clone();
            args.push(upto.into());
            args.extend(both);
            args.push(upto.into());
            format!(
                "SELECT * FROM (SELECT {COLUMNS}, items.sort_time AS sort_time {from}
                     AND items.is_read = 0 {ORDER} LIMIT ?)
                 UNION ALL
                 SELECT * FROM (SELECT {COLUMNS}, items.sort_time AS sort_time {from}
                     AND items.is_read = 1 {ORDER} LIMIT ?)
                 {ORDER} LIMIT ? OFFSET ?"
            )
        } else {
            let order = self.order(&source)?;
            format!("SELECT {COLUMNS} {} {order} LIMIT ? OFFSET ?", source.sql)
        };
        args.push((limit as i64).into());
        args.push((offset as i64).into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), item_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One article's list row, wherever it is listed (None: there is no such article).
    pub fn item_row(&self, id: ItemId) -> Result<Option<ItemRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM items WHERE items.id = ?1"))?
            .query_row([id.0], item_row)
            .optional()?)
    }

    /// Each feed's articles since `since` (a Unix time).
    pub fn recent_counts(&self, since: i64) -> Result<std::collections::HashMap<FeedId, u32>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT feed_id, count(*) FROM items WHERE sort_time >= ?1 GROUP BY feed_id",
        )?;
        let rows = stmt.query_map([since], |r| {
            Ok((
                FeedId(r.get(0)?),
                r.get::<_, i64>(1)?.clamp(0, u32::MAX.into()) as u32,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of these that no item has.
    pub fn missing_items(&self, ids: &[ItemId]) -> Result<Vec<ItemId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM items WHERE id = ?1)")?;
        let mut missing = Vec::new();
        for id in ids {
            if !stmt.query_row([id.0], |r| r.get::<_, bool>(0))? {
                missing.push(*id);
            }
        }
        Ok(missing)
    }

    /// A list's rows and how many of them are unread, in one pass.
    pub fn count_with_unread(&self, q: &ItemQuery) -> Result<(usize, usize)> {
        let source = self.source(q)?;
        let sql = format!(
            "SELECT count(*), coalesce(sum(items.is_read = 0), 0) {}",
            source.sql
        );
        let (total, unread): (i64, i64) = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(source.args), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok((total.max(0) as usize, unread.max(0) as usize))
    }

    /// The newest article in the cache (new ones get higher ids): what a list loaded now
    /// can show at most.
    pub fn newest_item(&self) -> Result<Option<ItemId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT max(id) FROM items")?
            .query_row([], |r| r.get::<_, Option<i64>>(0))?
            .map(ItemId))
    }

    pub fn count_items(&self, q: &ItemQuery) -> Result<usize> {
        let source = self.source(q)?;
        let sql = format!("SELECT count(*) {}", source.sql);
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(source.args), |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }

    pub fn item(&self, id: ItemId) -> Result<Option<Item>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.feed_id, f.url, f.title, i.title, i.link, i.author, i.published,
                    i.updated, i.summary, i.content, i.enclosures, i.is_read, i.starred,
                    i.full_text, i.full_text_url, i.full_text_error, f.mailbox,
                    (SELECT unsubscribe FROM mail_messages m WHERE m.item_id = i.id
                     AND unsubscribe IS NOT NULL LIMIT 1),
                    i.full_text_byline, i.full_text_site
             FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?1",
        )?;
        let item = stmt
            .query_row([id.0], |r| {
                let enclosures: Option<String> = r.get(11)?;
                Ok(Item {
                    id: ItemId(r.get(0)?),
                    feed_id: FeedId(r.get(1)?),
                    feed_url: r.get(2)?,
                    feed_title: r.get(3)?,
                    title: r.get(4)?,
                    link: r.get(5)?,
                    author: r.get(6)?,
                    published: r.get::<_, Option<i64>>(7)?.and_then(from_ts),
                    updated: r.get::<_, Option<i64>>(8)?.and_then(from_ts),
                    summary_html: stored_text(r.get_ref(9)?),
                    content_html: stored_text(r.get_ref(10)?),
                    enclosures: enclosures
                        .and_then(|e| serde_json::from_str::<Vec<Enclosure>>(&e).ok())
                        .unwrap_or_default(),
                    read: r.get(12)?,
                    starred: r.get(13)?,
                    full_text: crate::model::FullText {
                        html: stored_text(r.get_ref(14)?),
                        url: r.get(15)?,
                        error: r.get(16)?,
                        byline: r.get(19)?,
                        site_name: r.get(20)?,
                    },
                    mailbox: r.get(17)?,
                    unsubscribe: r.get(18)?,
                })
            })
            .optional()?;
        Ok(item)
    }
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
