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
//! only while its feed's row is as the entry found it (same id, address and last attempt
//! in the cache), so a feed removed and added again, a failure or an update recorded
//! since, or another cache put in this one's place all make it void by themselves.
//!
//! The file is replaced whole (written aside, then renamed), never synced: losing it
//! costs at most a feed fetched again before its interval.

use super::Store;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The first line, so that a file of another shape is read as empty.
const HEADER: &str = "bulletin feed checks 1";

/// Entries checked this long ago are dropped when the file is written again (a feed
/// removed from the cache leaves its entry behind).
const KEEP_SECS: i64 = 90 * 24 * 3600;

/// One feed's check: the row it applies to and when the feed answered 304.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Check {
    pub url: String,
    /// The row's `last_attempt` when the check was made (what the cache still says).
    pub base: i64,
    pub checked: i64,
}

/// Checks read from the file, by feed id.
#[derive(Debug, Default)]
pub(super) struct Checks(HashMap<i64, Check>);

impl Checks {
    /// The checks beside the cache at `db`; empty when there is no file or it is not ours.
    pub fn read(db: &Path) -> Checks {
        std::fs::read_to_string(file_of(db)).map_or_else(|_| Checks::default(), |t| parse(&t))
    }

    /// The feed's last check, given what its row says: the later of the row's own time
    /// and the file's, when the file's entry is for this very row.
    pub fn last_checked(&self, id: i64, url: &str, last_attempt: Option<i64>) -> Option<i64> {
        let row = last_attempt?;
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
        last_attempt: Option<i64>,
    ) -> Option<DateTime<Utc>> {
        self.last_checked(id, url, last_attempt)
            .and_then(|t| DateTime::from_timestamp(t, 0))
    }
}

/// Checks made by this connection and not yet in the file.
#[derive(Debug, Default)]
pub(super) struct Pending(Vec<(i64, Check)>);

impl Pending {
    pub fn add(&mut self, id: i64, check: Check) {
        self.0.push((id, check));
    }

    /// Adds the pending checks to the file beside the cache at `db` (later ones win),
    /// dropping entries too old to matter. Errors are only logged: see the module's note.
    pub fn flush(&mut self, db: &Path, now: i64) {
        if self.0.is_empty() {
            return;
        }
        let mut all = Checks::read(db).0;
        all.retain(|_, c| now - c.checked < KEEP_SECS);
        for (id, check) in self.0.drain(..) {
            all.insert(id, check);
        }
        if let Err(e) = replace(&file_of(db), &render(&all)) {
            tracing::warn!("cannot keep the feeds' check times beside the cache: {e}");
        }
    }
}

impl Store {
    /// The cache's file, when it has one (an in-memory cache keeps its checks in itself).
    fn file_path(&self) -> Option<PathBuf> {
        self.path().filter(|p| !p.as_os_str().is_empty())
    }

    pub(super) fn has_checks_file(&self) -> bool {
        self.file_path().is_some()
    }

    /// The checks beside this cache, as the file says now (another process may have
    /// refreshed since this one opened the cache).
    pub(super) fn read_checks(&self) -> Checks {
        self.file_path()
            .map_or_else(Checks::default, |db| Checks::read(&db))
    }

    /// Puts this connection's checks beside the cache: at the end of each refresh, for
    /// the feed list and the next refresh to see.
    pub fn flush_checks(&mut self) {
        if let Some(db) = self.file_path() {
            self.checks.flush(&db, Utc::now().timestamp());
        }
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
/// skipped (the address comes last: nothing after it to be cut by a tab in it).
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
        // An address with a line break cannot be written as a line (and was never
        // fetched: the client refuses it); its check is left to the cache.
        if c.url.contains(['\n', '\r']) {
            continue;
        }
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
mod tests {
    use super::*;

    fn check(url: &str, base: i64, checked: i64) -> Check {
        Check {
            url: url.into(),
            base,
            checked,
        }
    }

    #[test]
    fn checks_round_trip_and_later_ones_win() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cache.db");
        let mut pending = Pending::default();
        pending.add(1, check("http://a/feed", 100, 200));
        pending.add(2, check("http://b/f\tx", 100, 300));
        pending.flush(&db, 1_000);
        let mut more = Pending::default();
        more.add(1, check("http://a/feed", 100, 250));
        more.flush(&db, 1_000);
        let read = Checks::read(&db);
        assert_eq!(read.last_checked(1, "http://a/feed", Some(100)), Some(250));
        assert_eq!(read.last_checked(2, "http://b/f\tx", Some(100)), Some(300));
        // Nothing aside is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// An entry counts only for the row it was made for: another address under the
    /// same id (a feed removed and another added), a row attempted since (a failure or
    /// an update), a row never attempted (added again).
    #[test]
    fn an_entry_for_another_row_is_void() {
        let checks = parse(&format!("{HEADER}\n7\t100\t500\thttp://a/feed\n"));
        assert_eq!(
            checks.last_checked(7, "http://a/feed", Some(100)),
            Some(500)
        );
        assert_eq!(
            checks.last_checked(7, "http://other/feed", Some(100)),
            Some(100)
        );
        assert_eq!(
            checks.last_checked(7, "http://a/feed", Some(600)),
            Some(600)
        );
        assert_eq!(checks.last_checked(7, "http://a/feed", None), None);
        assert_eq!(
            checks.last_checked(8, "http://a/feed", Some(100)),
            Some(100)
        );
    }

    /// A file of another shape, or with broken lines, costs only what it cannot say.
    #[test]
    fn a_foreign_or_broken_file_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cache.db");
        std::fs::write(file_of(&db), b"\xff\xfe not ours").unwrap();
        assert!(Checks::read(&db).0.is_empty());
        std::fs::write(file_of(&db), "7\t100\t500\thttp://a\n").unwrap();
        assert!(Checks::read(&db).0.is_empty());
        let text = format!("{HEADER}\nx\t1\t2\thttp://a\n3\t1\n4\t1\t2\thttp://b\n");
        std::fs::write(file_of(&db), text).unwrap();
        let read = Checks::read(&db);
        assert_eq!(read.0.len(), 1);
        assert_eq!(read.last_checked(4, "http://b", Some(1)), Some(2));
        // Written again, the file is whole once more, and old entries are dropped.
        let mut pending = Pending::default();
        pending.add(5, check("http://c", 1, KEEP_SECS + 10));
        pending.flush(&db, KEEP_SECS + 10);
        let read = Checks::read(&db);
        assert_eq!(read.0.len(), 1, "{:?}", read.0);
    }
}
