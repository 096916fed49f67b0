//! Writing the cache: feeds as they are refreshed, their failures, waits and moves (marks
//! are in marks.rs).

use super::{ApplyStats, Failure, FeedTarget, Result, Store};
use crate::model::{FeedId, ParsedFeed, Validators};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, TransactionBehavior};
use std::collections::HashSet;

mod feed;
mod shared_ids;
use feed::write_feed;

/// A parsed feed made ready for the cache: bodies compressed, fingerprints taken. Built
/// on the fetch threads, so the single writer only writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedFeed {
    pub title: Option<String>,
    pub link: Option<String>,
    pub description: Option<String>,
    pub items: Vec<PreparedItem>,
    /// Which copies in other feeds its new items are grouped with.
    pub stories: crate::story::Mode,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreparedItem {
    pub guid: String,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<i64>,
    pub updated: Option<i64>,
    pub summary: Option<Stored>,
    pub content: Option<Stored>,
    pub enclosures: Option<String>,
    /// Changes when anything stored changes, so unchanged items skip the write.
    pub hash: i64,
    /// The state the item takes if it is new (the `[[filter]]` rules' verdict).
    pub arrival: crate::search::rules::Arrival,
    /// What finds its copies in other feeds.
    pub story: crate::story::Keys,
}

/// An article body as stored: short ones as text, longer ones compressed. HTML
/// compresses about threefold, which keeps the cache small and its writes few.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    Text(String),
    /// Snappy's raw format behind [`SNAPPY_TAG`] (caches written before it hold LZ4
    /// blobs, which `read::stored_text` still reads).
    Packed(Vec<u8>),
}

const COMPRESS_ABOVE: usize = 256;

/// The largest compression buffer a thread keeps between bodies (there are as many
/// fetch threads as `max_concurrent_fetches` says, up to 256): a body of about 220 KB.
const SCRATCH_KEPT: usize = 256 << 10;

/// What a Snappy blob starts with. An LZ4 blob starts with the body's length as four
/// little-endian bytes, and only bodies over `COMPRESS_ABOVE` bytes were ever compressed,
/// so no LZ4 blob starts with a length of 0. (And a version before Snappy, were it to
/// read one, would see an empty body, not a 4 GiB one; migration 20 keeps it off such a
/// cache anyway.)
pub(super) const SNAPPY_TAG: [u8; 4] = [0; 4];

/// The Snappy bytes of a stored blob, if it is one. The first commits with Snappy
/// tagged it `FF FF FF FF` (an LZ4 length of 4 GiB, which no body has either): read
/// all the same, so that a cache one of them wrote never reaches the LZ4 reader, which
/// would make a buffer of that length.
pub(super) fn snappy_part(blob: &[u8]) -> Option<&[u8]> {
    blob.strip_prefix(&SNAPPY_TAG)
        .or_else(|| blob.strip_prefix(&[0xFF; 4]))
}

impl Stored {
    pub(super) fn new(text: String) -> Stored {
        if text.len() <= COMPRESS_ABOVE {
            return Stored::Text(text);
        }
        // Compressed into a buffer each thread keeps, then copied out at its size: a
        // buffer of Snappy's worst case for each body was zeroed for nothing and, held
        // in the queue to the writer, made the refresh's peak memory 77 MiB against 64.
        // The encoder too: a body over 1 KiB needs its larger hash table (32 KiB), which
        // a new encoder would allocate for each body.
        thread_local! {
            static SCRATCH: std::cell::RefCell<(Vec<u8>, snap::raw::Encoder)> =
                std::cell::RefCell::new((Vec::new(), snap::raw::Encoder::new()));
        }
        SCRATCH.with_borrow_mut(|(scratch, encoder)| {
            let bytes = text.as_bytes();
            let most = snap::raw::max_compress_len(bytes.len());
            if scratch.len() < most {
                scratch.resize(most, 0);
            }
            let stored = match encoder.compress(bytes, scratch) {
                Ok(n) => {
                    let mut packed = Vec::with_capacity(SNAPPY_TAG.len() + n);
                    packed.extend_from_slice(&SNAPPY_TAG);
                    packed.extend_from_slice(&scratch[..n]);
                    Stored::Packed(packed)
                }
                // Only a body over Snappy's 4 GiB limit fails (max_compress_len is then
                // 0), and no fetch brings one.
                Err(_) => Stored::Text(text),
            };
            // A rare huge body's buffer is not kept by every thread.
            if scratch.len() > SCRATCH_KEPT {
                *scratch = Vec::new();
            }
            stored
        })
    }
}

impl rusqlite::ToSql for Stored {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(match self {
            Stored::Text(t) => t.as_str().into(),
            Stored::Packed(b) => b.as_slice().into(),
        })
    }
}

impl PreparedFeed {
    pub fn new(feed: ParsedFeed) -> PreparedFeed {
        PreparedFeed::grouped(feed, crate::story::Mode::On)
    }

    /// As `new`, its items' copies found as `stories` says.
    pub fn grouped(feed: ParsedFeed, stories: crate::story::Mode) -> PreparedFeed {
        let sources: Vec<crate::story::Source> = feed
            .items
            .iter()
            .map(|i| crate::story::Source {
                link: i.link.as_deref(),
                // A feed's own relative id, made absolute, is no key across feeds: two
                // feeds in one folder both have an article "1".
                guid: if i.guid_local { "" } else { &i.guid },
            })
            .collect();
        let mut keys = crate::story::keys(&sources, stories).into_iter();
        let items = feed
            .items
            .into_iter()
            .map(|item| {
                let hash = item_hash(&item);
                PreparedItem {
                    hash,
                    story: keys.next().unwrap_or_default(),
                    arrival: Default::default(),
                    published: item.published.map(|d| d.timestamp()),
                    updated: item.updated.map(|d| d.timestamp()),
                    enclosures: (!item.enclosures.is_empty())
                        .then(|| serde_json::to_string(&item.enclosures).ok())
                        .flatten(),
                    summary: item.summary_html.map(Stored::new),
                    content: item.content_html.map(Stored::new),
                    guid: item.guid,
                    title: item.title,
                    link: item.link,
                    author: item.author,
                }
            })
            .collect();
        PreparedFeed {
            title: feed.title,
            link: feed.link,
            description: feed.description,
            items,
            stories,
        }
    }

    /// About what it holds in memory: its texts and bodies, and each item's fixed part.
    pub fn bytes(&self) -> usize {
        fn len(s: &Option<String>) -> usize {
            s.as_ref().map_or(0, String::len)
        }
        fn stored(s: &Option<Stored>) -> usize {
            match s {
                Some(Stored::Text(t)) => t.len(),
                Some(Stored::Packed(b)) => b.len(),
                None => 0,
            }
        }
        let items: usize = self
            .items
            .iter()
            .map(|i| {
                std::mem::size_of::<PreparedItem>()
                    + i.guid.len()
                    + i.title.len()
                    + len(&i.link)
                    + len(&i.author)
                    + len(&i.enclosures)
                    + stored(&i.summary)
                    + stored(&i.content)
            })
            .sum();
        items + len(&self.title) + len(&self.link) + len(&self.description)
    }
}

/// A fingerprint of everything stored for an item (xxh3: fast, and stable across builds).
/// The title counts as the feed wrote it, not as rendered.
fn item_hash(item: &crate::model::ParsedItem) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        item.title_source.as_deref().unwrap_or(&item.title),
        item.link.as_deref().unwrap_or(""),
        item.author.as_deref().unwrap_or(""),
        item.summary_html.as_deref().unwrap_or(""),
        item.content_html.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    for d in [item.published, item.updated] {
        h.update(&d.map(|d| d.timestamp()).unwrap_or(i64::MIN).to_le_bytes());
    }
    for e in &item.enclosures {
        h.update(e.url.as_bytes());
        h.update(&[0]);
    }
    h.digest() as i64
}

impl Store {
    /// Writes a freshly parsed feed, then groups its new items with their copies in
    /// other feeds by key (see `apply_ungrouped`, `group_stories`; their texts wait).
    pub fn apply(
        &mut self,
        id: FeedId,
        feed: &PreparedFeed,
        validators: &Validators,
        http_status: Option<u16>,
        now: DateTime<Utc>,
        keep_days: u32,
    ) -> Result<ApplyStats> {
        let mut stats = self.apply_ungrouped(id, feed, validators, http_status, now, keep_days)?;
        self.group_stories(&std::mem::take(&mut stats.arrivals), now.timestamp())?;
        Ok(stats)
    }

    /// Writes a freshly parsed feed in one transaction. Items seen before keep their read
    /// and starred state; unchanged items cost an index probe and no write. The new
    /// items wait to be grouped (`ApplyStats::arrivals`, and `story_pending` should the
    /// process end first): a refresh groups its arrivals by key in batches as it goes.
    pub fn apply_ungrouped(
        &mut self,
        id: FeedId,
        feed: &PreparedFeed,
        validators: &Validators,
        http_status: Option<u16>,
        now: DateTime<Utc>,
        keep_days: u32,
    ) -> Result<ApplyStats> {
        // Within a refresh's batch (`begin_batch`), in its transaction. Not in a
        // savepoint: that keeps a copy of every page the feed's fifty articles touch,
        // which spills to a temporary file (twice the cold refresh's system time); a
        // failure instead rolls the batch back, and its feeds are written one by one.
        if self.batch.open {
            self.batch_alive()?;
            return write_feed(
                &self.conn,
                id,
                feed,
                validators,
                http_status,
                now,
                keep_days,
            );
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stats = write_feed(&tx, id, feed, validators, http_status, now, keep_days)?;
        tx.commit()?;
        Ok(stats)
    }

    /// A 304. For a feed whose last attempt was a success (nothing to clear) only the
    /// time changes, and it goes beside the cache (store::checks) instead: a refresh of
    /// 304s then leaves the cache file as it was. Asked in the UPDATE itself, so that a
    /// failure another process recorded since the refresh began is still cleared.
    pub fn record_not_modified(&mut self, target: &FeedTarget, now: DateTime<Utc>) -> Result<()> {
        let base = self
            .can_keep_check(&target.url)
            .then_some(target.cached_attempt)
            .flatten();
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE feeds SET last_attempt = ?2, last_success = ?2, http_status = 304,
                     last_error = NULL, retry_after = NULL, consecutive_failures = 0,
                     failing_since = NULL, gone = 0
                 WHERE id = ?1 AND (?3 IS NULL OR last_attempt IS NOT ?3
                     OR last_success IS NOT ?3 OR last_error IS NOT NULL
                     OR retry_after IS NOT NULL OR consecutive_failures != 0
                     OR failing_since IS NOT NULL OR gone != 0)",
            )?
            .execute(params![target.id.0, now.timestamp(), base])?;
        if let (0, Some(base)) = (changed, base) {
            self.add_check(
                target.id.0,
                super::checks::Check {
                    url: target.url.clone(),
                    base,
                    checked: now.timestamp(),
                },
            );
        }
        Ok(())
    }

    pub fn record_failure(
        &mut self,
        id: FeedId,
        failure: &Failure,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE feeds SET last_attempt = ?2, http_status = ?3, last_error = ?4,
                     retry_after = ?5, consecutive_failures = consecutive_failures + 1,
                     failing_since = coalesce(failing_since, ?2), gone = (?3 IS 410)
                 WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                now.timestamp(),
                failure.http_status,
                failure.message,
                failure.retry_after.map(|d| d.timestamp())
            ])?;
        Ok(())
    }

    /// A feed not fetched because its host asked to wait: the wait is kept (and the
    /// attempt's time, which caps it), nothing is counted as its failure.
    pub fn record_held(
        &mut self,
        id: FeedId,
        retry_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if let Some(retry) = retry_after {
            self.conn
                .prepare_cached(
                    "UPDATE feeds SET last_attempt = ?2, retry_after = ?3 WHERE id = ?1",
                )?
                .execute(params![id.0, now.timestamp(), retry.timestamp()])?;
        }
        Ok(())
    }

    /// Remembers a permanent redirect to `to` (None: this refresh saw none); returns how
    /// many refreshes in a row have seen it.
    pub fn note_redirect(&mut self, id: FeedId, to: Option<&str>) -> Result<u32> {
        let Some(to) = to else {
            // Cached: it runs for every feed a refresh writes.
            self.conn
                .prepare_cached(
                    "UPDATE feeds SET redirect_to = NULL, redirect_count = 0
                     WHERE id = ?1 AND redirect_to IS NOT NULL",
                )?
                .execute([id.0])?;
            return Ok(0);
        };
        let n: i64 = self.conn.query_row(
            "UPDATE feeds SET redirect_count = CASE WHEN redirect_to IS ?2
                     THEN redirect_count + 1 ELSE 1 END, redirect_to = ?2
             WHERE id = ?1 RETURNING redirect_count",
            params![id.0, to],
            |r| r.get(0),
        )?;
        Ok(n.clamp(0, u32::MAX.into()) as u32)
    }

    /// Gives a feed its new URL; its id, articles and read marks stay.
    pub fn move_feed(&mut self, id: FeedId, to: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE feeds SET moved_from = url, url = ?2, redirect_to = NULL, redirect_count = 0
             WHERE id = ?1",
            params![id.0, to],
        )?;
        self.check_moved(id.0, to);
        Ok(())
    }

    /// Whether the feed has any of these articles cached.
    pub fn has_any_guid<'a>(
        &self,
        id: FeedId,
        guids: impl IntoIterator<Item = &'a str>,
    ) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1 AND guid = ?2)",
        )?;
        for g in guids {
            if stmt.query_row(params![id.0, g], |r| r.get::<_, bool>(0))? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
