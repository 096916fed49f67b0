//! The hybrid logical clock that orders marks across devices: wall time in milliseconds
//! and a counter. A device's stamps never go backwards, even when its wall clock does,
//! and every stamp it makes after seeing another device's is later than that one, so a
//! device whose clock is a day behind still orders its marks after the ones it has
//! seen. Ties between devices go to the larger device id.

pub use crate::model::Stamp;

/// How far ahead of this machine's clock another device's stamp is still followed.
const FOLLOW_AHEAD_MS: i64 = 7 * 24 * 3600 * 1000;

/// The clock: the latest stamp made or seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    last: Stamp,
}

impl Clock {
    pub fn at(last: Stamp) -> Clock {
        Clock { last }
    }

    pub fn last(&self) -> Stamp {
        self.last
    }

    /// A stamp for something that happened here at wall time `ms`: later than every
    /// stamp made or seen so far.
    pub fn tick(&mut self, ms: i64) -> Stamp {
        self.last = if ms > self.last.0 {
            Stamp(ms, 0)
        } else {
            Stamp(self.last.0, self.last.1.saturating_add(1))
        };
        self.last
    }

    /// Another device's stamp, seen: what happens here next comes after it. A stamp
    /// further ahead of this machine's clock than any real skew (a week) is merged but
    /// not followed: one broken clock must not pin every device's stamps to its future.
    pub fn see(&mut self, other: Stamp) {
        if other.0 <= wall_ms() + FOLLOW_AHEAD_MS {
            self.last = self.last.max(other);
        }
    }
}

/// This machine's wall clock in milliseconds, moved by `BULLETIN_CLOCK_SKEW_SECS` when
/// set (the tests' way to give a device a clock that is off by a day).
pub fn wall_ms() -> i64 {
    chrono::Utc::now().timestamp_millis() + skew_ms()
}

/// The skew `BULLETIN_CLOCK_SKEW_SECS` asks for, in milliseconds (0 unset).
pub fn skew_ms() -> i64 {
    std::env::var("BULLETIN_CLOCK_SKEW_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map_or(0, |s| s.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_never_go_back_and_follow_what_was_seen() {
        let mut c = Clock::default();
        assert_eq!(c.tick(1000), Stamp(1000, 0));
        // The wall clock went back: the counter moves on.
        assert_eq!(c.tick(900), Stamp(1000, 1));
        // Another device a day ahead: ours come after it from now on.
        let now = wall_ms();
        c.see(Stamp(now + 86_400_000, 4));
        assert_eq!(c.tick(1100), Stamp(now + 86_400_000, 5));
        // A stamp years ahead is not followed.
        c.see(Stamp(now + 10 * 365 * 86_400_000, 0));
        assert_eq!(c.tick(1200), Stamp(now + 86_400_000, 6));
        assert_eq!(Stamp::from_meta(&Stamp(5, 7).to_meta()), Some(Stamp(5, 7)));
    }
}
