//! When the refresher tries the sync server and the mailboxes again after they failed:
//! 5 s after, then twice as long each time, up to 5 minutes, so that coming back online
//! is noticed without hammering a server that is down.

use std::time::{Duration, Instant};

/// After a sync or a mailbox failed, the first retry waits this long; each failure
/// after doubles the wait, up to `RETRY_MAX`. Coming back online is noticed that soon.
const RETRY_FIRST: Duration = Duration::from_secs(5);
const RETRY_MAX: Duration = Duration::from_secs(5 * 60);

/// When to try the server and the mailboxes again after they failed.
#[derive(Debug, Default)]
pub(super) struct Backoff {
    pub(super) at: Option<Instant>,
    wait: Duration,
}

impl Backoff {
    /// One more failure: the next try waits twice as long as the last (5 s to 5 min).
    pub(super) fn failed(&mut self) {
        self.wait = if self.wait.is_zero() {
            RETRY_FIRST
        } else {
            (self.wait * 2).min(RETRY_MAX)
        };
        self.at = Some(Instant::now() + self.wait);
    }

    pub(super) fn succeeded(&mut self) {
        *self = Backoff::default();
    }

    /// Records how the server and the mailboxes answered.
    pub(super) fn after(&mut self, failed: bool) {
        if failed {
            self.failed()
        } else {
            self.succeeded()
        }
    }
}
#[cfg(test)]
mod tests {
    #[test]
    fn the_wait_doubles_to_its_cap_and_a_success_starts_over() {
        let mut b = super::Backoff::default();
        let mut waits = Vec::new();
        for _ in 0..8 {
            b.failed();
            waits.push(b.wait.as_secs());
        }
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 300, 300]);
        b.after(false);
        assert!(b.at.is_none());
        b.after(true);
        assert_eq!(b.wait.as_secs(), 5);
    }
}
