//! What a refresh needs to know about each feed it fetches: its address, validators
//! and the server's last word on when to come back.

use super::checks::Checks;
use super::{from_ts, Result, Store};
use crate::model::{FeedId, Validators};
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use std::collections::{HashMap, HashSet};

/// What a refresh needs to know about one feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedTarget {
    pub id: FeedId,
    pub url: String,
    pub validators: Validators,
    pub retry_after: Option<DateTime<Utc>>,
    /// When it was last fetched (or tried), which a Retry-After counts from: the later
    /// of the cache's time and a 304 kept beside it (store::checks).
    pub last_attempt: Option<DateTime<Utc>>,
    /// The cache's own time of it (Unix seconds), which a check beside it is made for.
    pub cached_attempt: Option<i64>,
    /// It answered 410 Gone: left alone until a refresh is forced.
    pub gone: bool,
    /// Its last fetch was answered 429 or 503: a wait it keeps is its own server's
    /// answer to it, not its host's answer to another feed (which leaves its own
    /// status as it was).
    pub failing: bool,
}

impl Store {
    pub fn feed_targets(&self, ids: &[FeedId]) -> Result<Vec<FeedTarget>> {
        // One pass over the feeds table, not a query per feed: each query outside a
        // transaction takes and drops the log's read lock, and a thousand of them held
        // back the first request by a few milliseconds with both cores idle.
        // A few feeds (`refresh URL`, a feed added in the TUI) are looked up by id
        // instead: a pass over a big account's feeds for one of them is the slower way.
        const BY_ID_UP_TO: usize = 16;
        let mut found = HashMap::with_capacity(ids.len());
        let checks = self.read_checks();
        if ids.len() <= BY_ID_UP_TO {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, url, etag, last_modified, retry_after, last_attempt, gone,
                     coalesce(consecutive_failures > 0 AND http_status IN (429, 503), 0)
                 FROM feeds WHERE id = ?1",
            )?;
            for id in ids {
                if let Some(target) = stmt
                    .query_row([id.0], |r| target_of(r, &checks))
                    .optional()?
                {
                    found.insert(id.0, target);
                }
            }
        } else {
            let wanted: HashSet<i64> = ids.iter().map(|id| id.0).collect();
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, url, etag, last_modified, retry_after, last_attempt, gone,
                     coalesce(consecutive_failures > 0 AND http_status IN (429, 503), 0)
                 FROM feeds",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if wanted.contains(&id) {
                    found.insert(id, target_of(r, &checks)?);
                }
            }
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

/// One row of the queries above.
fn target_of(r: &rusqlite::Row, checks: &Checks) -> rusqlite::Result<FeedTarget> {
    let id = r.get(0)?;
    let url: String = r.get(1)?;
    let cached_attempt = r.get::<_, Option<i64>>(5)?;
    Ok(FeedTarget {
        id: FeedId(id),
        last_attempt: checks.last_checked_at(id, &url, cached_attempt),
        cached_attempt,
        url,
        validators: Validators {
            etag: r.get(2)?,
            last_modified: r.get(3)?,
        },
        retry_after: r.get::<_, Option<i64>>(4)?.and_then(from_ts),
        gone: r.get(6)?,
        failing: r.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Few feeds are read by id and many in one pass; either way every asked feed comes
    /// back in the order asked, and a feed the cache lacks is an error.
    #[test]
    fn targets_come_in_the_order_asked_however_many() {
        let (_dir, store, ids) = crate::store::test_store(40);
        for n in [1, 3, 16, 17, 40] {
            let asked: Vec<FeedId> = ids.iter().rev().take(n).copied().collect();
            let got = store.feed_targets(&asked).unwrap();
            let got_ids: Vec<FeedId> = got.iter().map(|t| t.id).collect();
            assert_eq!(got_ids, asked, "{n} feeds");
            assert!(got.iter().all(|t| !t.url.is_empty()));
        }
        assert!(store.feed_targets(&[FeedId(9999)]).is_err());
        let many: Vec<FeedId> = ids.iter().copied().chain([FeedId(9999)]).collect();
        assert!(store.feed_targets(&many).is_err());
    }

    /// A wait of a feed's own (its server answered it 429) and one its host put on it
    /// (another feed's 429), after a timeout of its own, are told apart.
    #[test]
    fn a_wait_of_its_own_is_told_from_its_hosts() {
        let (_dir, mut store, ids) = crate::store::test_store(2);
        let now = chrono::Utc::now();
        let later = now + chrono::Duration::hours(1);
        let failure = |status| crate::store::Failure {
            message: "failed",
            http_status: status,
            retry_after: Some(later),
        };
        store
            .record_failure(ids[0], &failure(Some(429)), now)
            .unwrap();
        // The second timed out once, then was held by its host.
        let timeout = crate::store::Failure {
            message: "timed out",
            http_status: None,
            retry_after: None,
        };
        store.record_failure(ids[1], &timeout, now).unwrap();
        store.record_held(ids[1], Some(later), now).unwrap();
        let targets = store.feed_targets(&ids).unwrap();
        assert!(targets[0].failing);
        assert!(!targets[1].failing);
        assert!(targets.iter().all(|t| t.retry_after.is_some()));
    }
}
