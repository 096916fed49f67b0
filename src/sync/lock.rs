//! One sync at a time per cache, across processes: the TUI's pushes, its server edits,
//! a cron `bulletin refresh` and a `bulletin sync` from another shell take the same lock
//! (a file beside the cache), so two pushers never read the same queue at once.

use super::SyncError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a sync waits for another process's sync to end before it gives up.
pub const WAIT: Duration = Duration::from_secs(120);

/// Held for one sync or push; released when dropped (or when the process dies: the
/// operating system lets go of a dead process's lock).
#[derive(Debug)]
pub struct SyncLock {
    _file: Option<File>,
}

impl SyncLock {
    /// Takes the lock beside the cache at `cache`, waiting at most `wait` for another
    /// process to finish. An in-memory cache (tests) has nothing to share: no lock.
    pub fn acquire(cache: Option<&Path>, wait: Duration) -> Result<SyncLock, SyncError> {
        let Some(dir) = cache.and_then(Path::parent) else {
            return Ok(SyncLock { _file: None });
        };
        let path = dir.join("sync.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| SyncError::Lock {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(SyncLock { _file: Some(file) }),
                Err(TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(SyncError::Busy {
                        secs: wait.as_secs(),
                        path: path.display().to_string(),
                    })
                }
                Err(TryLockError::Error(e)) => {
                    return Err(SyncError::Lock {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_sync_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache.db");
        let first = SyncLock::acquire(Some(&cache), WAIT).unwrap();
        let err = SyncLock::acquire(Some(&cache), Duration::from_millis(200)).unwrap_err();
        assert!(err.to_string().contains("another bulletin"), "{err}");
        drop(first);
        SyncLock::acquire(Some(&cache), Duration::from_millis(200)).unwrap();
    }
}
