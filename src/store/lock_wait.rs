//! Waiting for the write lock, fairly within one process.
//!
//! SQLite's own busy handler, once a wait goes on, looks again only every 100 ms. While
//! a refresh's writer (refresh::writer) is busy, the lock is free only between two of
//! its batches, for microseconds: a mark from the TUI's worker could miss every gap and
//! fail after `WRITE_WAIT`. Here a waiting connection looks every millisecond, and says
//! that it waits; the writer, before its next batch, gives way for a few milliseconds
//! when someone in its process waited lately. Another process (a cron refresh) is not
//! told, but finds the same short looks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a write waits for another connection's lock (the refresh's writer holds it
/// a batch at a time, so this is long only when something is wrong).
pub(super) const WRITE_WAIT: Duration = Duration::from_secs(10);

/// How long a chore that can wait for a later turn waits (`Store::briefly`: comparing
/// texts in a listing or between the TUI's keys).
pub(super) const BRIEF_WAIT: Duration = Duration::from_millis(200);

/// Looks this many times a millisecond apart, then every 10 ms.
const QUICK_LOOKS: i32 = 200;

/// When a connection of this process last waited for the lock, in milliseconds since
/// `epoch()` (0: never).
static WANTED_AT: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    // Never 0, which means never.
    epoch().elapsed().as_millis() as u64 + 1
}

/// One look of a waiting connection (`tries` looks came before): says it waits, sleeps
/// a little and goes on, or gives up once `limit` has passed.
fn look(tries: i32, limit: Duration) -> bool {
    WANTED_AT.store(now_ms(), Ordering::Relaxed);
    let tries = u64::try_from(tries).unwrap_or(0);
    let quick = QUICK_LOOKS as u64;
    let waited_ms = if tries < quick {
        tries
    } else {
        quick + (tries - quick) * 10
    };
    if Duration::from_millis(waited_ms) >= limit {
        return false;
    }
    std::thread::sleep(Duration::from_millis(if tries < quick { 1 } else { 10 }));
    true
}

/// The busy handler of every connection the store opens.
pub(super) fn wait_long(tries: i32) -> bool {
    look(tries, WRITE_WAIT)
}

/// The busy handler while a chore can wait for a later turn.
pub(super) fn wait_briefly(tries: i32) -> bool {
    look(tries, BRIEF_WAIT)
}

/// Whether a connection of this process waited for the write lock within `within`.
pub fn lock_wanted_within(within: Duration) -> bool {
    let at = WANTED_AT.load(Ordering::Relaxed);
    at != 0 && now_ms().saturating_sub(at) <= within.as_millis() as u64
}
