//! Politeness: which feed a fetch thread takes next. At most `[general] max_per_host`
//! requests are in flight to one host (sites ban readers that fetch dozens of feeds at
//! once from them); one host's feeds queue while other hosts' go on. A host that
//! answers 429 or 503 holds its other feeds: for a short Retry-After they wait in the
//! queue (and for none, a few seconds), for a longer one they are not fetched in this
//! refresh and keep the wait, which is not counted as their failure.

use super::{FeedTarget, Work};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// A Retry-After up to this long is waited out within the refresh; a longer one ends
/// the host's turn in it.
const WAIT_IN_REFRESH: Duration = Duration::from_secs(30);
/// How long a host that answered 429 or 503 without a Retry-After is left alone.
const HOLD_WITHOUT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// What a fetch thread does next.
pub(super) enum Next {
    Fetch(FeedTarget),
    /// Its host asked to wait: written as this without a request.
    Skip(FeedTarget, Work),
}

pub(super) struct Hosts {
    state: Mutex<State>,
    changed: Condvar,
    max_per_host: usize,
}

#[derive(Default)]
struct State {
    /// The feeds to fetch, each with its host (worked out once).
    queue: VecDeque<(FeedTarget, Option<String>)>,
    in_flight: HashMap<String, usize>,
    held: HashMap<String, Hold>,
}

/// A host that answered 429 or 503.
#[derive(Clone)]
struct Hold {
    status: u16,
    /// Its feeds wait in the queue until then; None: they are not fetched in this
    /// refresh, and keep `retry`.
    until: Option<Instant>,
    retry: Option<DateTime<Utc>>,
}

/// The host (and port) a feed's requests go to; None for files and commands, which
/// have no host to be polite to.
pub(super) fn host_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

impl Hosts {
    pub(super) fn new(targets: impl IntoIterator<Item = FeedTarget>, max_per_host: u32) -> Hosts {
        Hosts {
            state: Mutex::new(State {
                queue: targets
                    .into_iter()
                    .map(|t| {
                        let host = host_of(&t.url);
                        (t, host)
                    })
                    .collect(),
                ..State::default()
            }),
            changed: Condvar::new(),
            max_per_host: max_per_host.max(1) as usize,
        }
    }

    /// The next feed to fetch, waiting while every queued feed's host is busy; None
    /// once the queue is empty (or `stop` says so).
    pub(super) fn next(&self, stop: impl Fn() -> bool) -> Option<Next> {
        let mut state = self.state.lock().ok()?;
        loop {
            if stop() || state.queue.is_empty() {
                // Those waiting are done too.
                self.changed.notify_all();
                return None;
            }
            let now = Instant::now();
            let mut wake: Option<Instant> = None;
            let mut pick = None;
            for (i, (_, host)) in state.queue.iter().enumerate() {
                let Some(host) = host else {
                    pick = Some((i, None));
                    break;
                };
                match state.held.get(host) {
                    Some(hold) if hold.until.is_none() => {
                        pick = Some((i, Some((host.clone(), Some(hold.clone())))));
                        break;
                    }
                    Some(Hold { until: Some(t), .. }) if *t > now => {
                        wake = Some(wake.map_or(*t, |w| w.min(*t)));
                        continue;
                    }
                    _ => {}
                }
                if state.in_flight.get(host).copied().unwrap_or(0) < self.max_per_host {
                    pick = Some((i, Some((host.clone(), None))));
                    break;
                }
            }
            match pick {
                Some((i, host)) => {
                    let (target, _) = state.queue.remove(i)?;
                    if state.queue.is_empty() {
                        self.changed.notify_all();
                    }
                    return Some(match host {
                        Some((host, Some(hold))) => {
                            let work = Work::Held(skipped_why(&host, &hold), hold.retry);
                            Next::Skip(target, work)
                        }
                        Some((host, None)) => {
                            *state.in_flight.entry(host).or_default() += 1;
                            Next::Fetch(target)
                        }
                        None => Next::Fetch(target),
                    });
                }
                None => {
                    // Woken by a host's answer (its place free), or when the earliest
                    // hold ends (and now and then regardless, to see `stop`).
                    let wait = wake
                        .map(|w| w.saturating_duration_since(now))
                        .unwrap_or(Duration::from_millis(500))
                        .clamp(Duration::from_millis(1), Duration::from_millis(500));
                    state = self.changed.wait_timeout(state, wait).ok()?.0;
                }
            }
        }
    }

    /// The server answered the fetch of `target` (`outcome`: when that answer ended the
    /// feed's turn): its host's place is free again, and a 429 or 503 holds the host.
    pub(super) fn done(&self, target: &FeedTarget, outcome: Option<&Work>) {
        let Some(host) = host_of(&target.url) else {
            return;
        };
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if let Some(n) = state.in_flight.get_mut(&host) {
            *n = n.saturating_sub(1);
        }
        if let Some(Work::Failed(_, Some(status @ (429 | 503)), retry)) = outcome {
            let wait = retry.map(|r| (r - Utc::now()).to_std().unwrap_or(Duration::ZERO));
            let hold = match wait {
                Some(w) if w > WAIT_IN_REFRESH => Hold {
                    status: *status,
                    until: None,
                    retry: *retry,
                },
                short => Hold {
                    status: *status,
                    until: Some(Instant::now() + short.unwrap_or(HOLD_WITHOUT_RETRY_AFTER)),
                    retry: None,
                },
            };
            state.held.insert(host, hold);
            // Every feed of the host is now to be skipped or to wait: all threads look.
            self.changed.notify_all();
            return;
        }
        // One place is free: one waiting thread is enough (every thread would take the
        // same feed), and waking all sixteen for it cost each request of a refresh
        // their sixteen wake-ups on a busy host.
        self.changed.notify_one();
    }
}

fn skipped_why(host: &str, hold: &Hold) -> String {
    let until = hold.retry.map_or_else(String::new, |r| {
        r.format(" until %Y-%m-%d %H:%M UTC").to_string()
    });
    format!(
        "not fetched: {host} answered HTTP {} to another feed and asked to wait{until} (Retry-After)",
        hold.status
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_named_with_their_port() {
        assert_eq!(
            host_of("https://WWW.Example.org/a").as_deref(),
            Some("www.example.org")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080/x").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(
            host_of("gemini://capsule.example/g/").as_deref(),
            Some("capsule.example")
        );
        assert_eq!(host_of("file:///tmp/feed.xml"), None);
        assert_eq!(host_of("exec:./scrape.sh"), None);
    }
}
