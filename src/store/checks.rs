//! When a healthy feed last answered 304, kept in a small file beside the cache rather
//! than in it.
//!
//! Why: a refresh where every feed answers 304 otherwise writes one thing to the cache,
//! each feed's check time, and that one write costs the refresh a sync of the database
//! file at its close. On a cache copied or written just before (a backup restored, a
//! benchmark's copy, a cold refresh a moment ago) that sync waits for the whole file to
//! reach the disk: 0.09 s of a 0.1 s refresh of 1,000 feeds. With the times here, such
//! a refresh leaves the cache file untouched.
//!
//! This is bookkeeping only, never the sole copy of anything: a missing, unreadable or
//! corrupt file reads as empty, and the cache's own times count again. An entry counts
//! only for the row it was made for: same id and address, and the row's own time still
//! the one the check came after. For the refresh's intervals that is the last attempt,
//! so a failure or an update since voids it; for the feed list's last success it is
//! the last success, so an update since voids it and a failure does not (the check is
//! still the last success). A feed removed and added again, or another cache put in this
//! one's place, void it too.
//!
//! The file is replaced whole (written aside, then renamed), never synced, during a
//! refresh at most once a second and at its end; where it cannot be written, the times
//! go into the cache as before. Each write drops the entries of rows gone or changed.

use super::Store;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The first line, so that a file of another shape is read as empty.
const HEADER: &str = "bulletin feed checks 1";

/// A file larger than this is not ours to read (a line is about 70 bytes a feed).
const READ_AT_MOST: u64 = 128 << 20;

/// How long a refresh keeps checks in memory before putting them in the file: a refresh
/// killed or quit before its end loses at most this much of them.
const FLUSH_AFTER: Duration = Duration::from_secs(1);

/// One feed's check: the row it applies to and when the feed answered 304.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Check {
    pub url: String,
    /// The row's `last_attempt` when the check was made, which was also its
    /// `last_success` (only a healthy feed's check comes here).
    pub base: i64,
    pub checked: i64,
}

/// Checks read from the file, by feed id.
#[derive(Debug, Default)]
pub(super) struct Checks(HashMap<i64, Check>);

impl Checks {
    /// The checks beside the cache at `db`; empty when there is no file or it is not ours.
    pub fn read(db: &Path) -> Checks {
        let path = file_of(db);
        if std::fs::metadata(&path).map_or(true, |m| m.len() > READ_AT_MOST) {
            return Checks::default();
        }
        std::fs::read_to_string(path).map_or_else(|_| Checks::default(), |t| parse(&t))
    }

    /// The feed's last check, given the row's own time of it (`row_time`: its last
    /// attempt, or its last success): the file's when its entry is for this very row and
    /// later, else the row's.
    pub fn last_checked(&self, id: i64, url: &str, row_time: Option<i64>) -> Option<i64> {
        let row = row_time?;
        match self.0.get(&id) {
            Some(c) if c.base == row && c.url == url => Some(c.checked.max(row)),
            _ => Some(row),
        }
    }

    /// `last_checked` as a time.
    pub fn last_checked_at(
        &self,
        id: i64,
        url: &str,
        row_time: Option<i64>,
    ) -> Option<DateTime<Utc>> {
        self.last_checked(id, url, row_time)
            .and_then(|t| DateTime::from_timestamp(t, 0))
    }
}

/// Checks made by this connection and not yet in the file, and since when they wait.
#[derive(Debug, Default)]
pub(super) struct Pending {
    checks: Vec<(i64, Check)>,
    since: Option<Instant>,
}

impl Pending {
    pub fn add(&mut self, id: i64, check: Check) {
        self.since.get_or_insert_with(Instant::now);
        self.checks.push((id, check));
    }

    /// A feed moved to `url` keeps the checks it waits with.
    pub fn moved(&mut self, id: i64, url: &str) {
        for (_, c) in self.checks.iter_mut().filter(|(i, _)| *i == id) {
            c.url = url.to_string();
        }
    }
}

/// A row as the entries are matched to it: its address, last attempt and last success.
type Row = (String, Option<i64>, Option<i64>);

impl Store {
    /// The cache's file, when it has one (an in-memory cache keeps its checks in itself).
    fn file_path(&self) -> Option<PathBuf> {
        self.path().filter(|p| !p.as_os_str().is_empty())
    }

    /// Whether a 304 for a feed at `url` may be kept beside the cache.
    pub(super) fn can_keep_check(&self, url: &str) -> bool {
        // An address with a line break cannot be written as a line.
        self.file_path().is_some() && !url.contains(['\n', '\r'])
    }

    pub(super) fn add_check(&mut self, id: i64, check: Check) {
        self.checks.add(id, check);
    }

    pub(super) fn check_moved(&mut self, id: i64, url: &str) {
        self.checks.moved(id, url);
    }

    /// The checks beside this cache, as the file says now (another process may have
    /// refreshed since this one opened the cache).
    pub(super) fn read_checks(&self) -> Checks {
        self.file_path()
            .map_or_else(Checks::default, |db| Checks::read(&db))
    }

    /// `flush_checks` once checks have waited `FLUSH_AFTER`: between a refresh's batches.
    pub fn flush_checks_now_and_then(&mut self) {
        if self
            .checks
            .since
            .is_some_and(|t| t.elapsed() >= FLUSH_AFTER)
        {
            self.flush_checks();
        }
    }

    /// Puts this connection's checks beside the cache (at the end of each refresh, for the
    /// feed list and the next refresh to see), or into it when the file cannot be written.
    pub fn flush_checks(&mut self) {
        let pending = std::mem::take(&mut self.checks).checks;
        let Some(db) = self.file_path().filter(|_| !pending.is_empty()) else {
            return;
        };
        let rows = self.check_rows().ok();
        let mut all = Checks::read(&db).0;
        all.extend(pending.iter().cloned());
        if let Some(rows) = rows {
            all.retain(|id, c| {
                rows.get(id).is_some_and(|(url, attempt, success)| {
                    *url == c.url && (*attempt == Some(c.base) || *success == Some(c.base))
                })
            });
        }
        if let Err(e) = replace(&file_of(&db), &render(&all)) {
            tracing::warn!("cannot keep the feeds' check times beside the cache ({e}): kept in it");
            if let Err(e) = self.checks_into_cache(&pending) {
                tracing::warn!("the feeds' check times are not kept: {e}");
            }
        }
    }

    /// Every row's address and times, by id.
    fn check_rows(&self) -> super::Result<HashMap<i64, Row>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, url, last_attempt, last_success FROM feeds")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The checks written into the cache, as before there was a file beside it: a row
    /// changed since its check keeps its own times.
    fn checks_into_cache(&mut self, pending: &[(i64, Check)]) -> super::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE feeds SET last_attempt = ?2, last_success = ?2
                 WHERE id = ?1 AND url = ?3 AND last_attempt IS ?4",
            )?;
            for (id, c) in pending {
                stmt.execute(rusqlite::params![id, c.checked, c.url, c.base])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

impl Drop for Store {
    /// A refresh that ended early (cancelled, failed) still keeps what it checked.
    fn drop(&mut self) {
        self.flush_checks();
    }
}

/// The file beside the cache at `db`.
fn file_of(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-checks");
    PathBuf::from(name)
}

/// Lines of `id TAB base TAB checked TAB url` under the header; any other line is
/// skipped (the address comes last: nothing after it to be cut by a tab in it), and so
/// is a time no clock can say.
fn parse(text: &str) -> Checks {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Checks::default();
    }
    let entries = lines.filter_map(|line| {
        let mut f = line.splitn(4, '\t');
        let id = f.next()?.parse().ok()?;
        let base = f.next()?.parse().ok()?;
        let checked = f.next()?.parse().ok()?;
        let url = f.next()?.to_string();
        DateTime::from_timestamp(checked, 0)?;
        Some((id, Check { url, base, checked }))
    });
    Checks(entries.collect())
}

fn render(all: &HashMap<i64, Check>) -> String {
    let mut ids: Vec<&i64> = all.keys().collect();
    ids.sort_unstable();
    let mut out = String::with_capacity(64 * all.len() + HEADER.len() + 1);
    out.push_str(HEADER);
    out.push('\n');
    for id in ids {
        let c = &all[id];
        out.push_str(&format!("{id}\t{}\t{}\t{}\n", c.base, c.checked, c.url));
    }
    out
}

/// Writes `text` aside under a name no other writer uses, then puts it in place: a
/// reader sees the old file or the new one, never half of one. Two refreshes ending
/// together may lose one's checks (the cache's times count then).
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".{}.{n}", std::process::id()));
    let aside = PathBuf::from(aside);
    let written = std::fs::write(&aside, text).and_then(|()| std::fs::rename(&aside, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&aside);
    }
    written
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;
