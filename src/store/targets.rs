//! What a refresh needs to know about each feed it fetches: its address, validators
//! and the server's last word on when to come back.

use super::{from_ts, Result, Store};
use crate::model::{FeedId, Validators};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// What a refresh needs to know about one feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedTarget {
    pub id: FeedId,
    pub url: String,
    pub validators: Validators,
    pub retry_after: Option<DateTime<Utc>>,
    /// When it was last fetched (or tried), which a Retry-After counts from.
    pub last_attempt: Option<DateTime<Utc>>,
    /// It answered 410 Gone: left alone until a refresh is forced.
    pub gone: bool,
}

impl Store {
    pub fn feed_targets(&self, ids: &[FeedId]) -> Result<Vec<FeedTarget>> {
        // One pass over the feeds table, not a query per feed: each query outside a
        // transaction takes and drops the log's read lock, and a thousand of them held
        // back the first request by a few milliseconds with both cores idle.
        let wanted: HashSet<i64> = ids.iter().map(|id| id.0).collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, url, etag, last_modified, retry_after, last_attempt, gone FROM feeds",
        )?;
        let mut found = HashMap::with_capacity(ids.len());
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if !wanted.contains(&id) {
                continue;
            }
            let target = FeedTarget {
                id: FeedId(id),
                url: r.get(1)?,
                validators: Validators {
                    etag: r.get(2)?,
                    last_modified: r.get(3)?,
                },
                retry_after: r.get::<_, Option<i64>>(4)?.and_then(from_ts),
                last_attempt: r.get::<_, Option<i64>>(5)?.and_then(from_ts),
                gone: r.get(6)?,
            };
            found.insert(id, target);
        }
        ids.iter()
            .map(|id| {
                found
                    .get(&id.0)
                    .cloned()
                    .ok_or_else(|| rusqlite::Error::QueryReturnedNoRows.into())
            })
            .collect()
    }
}
