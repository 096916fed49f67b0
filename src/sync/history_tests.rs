//! The account's history over several syncs, with a server in memory that pages seven
//! articles at a time, backwards or not: every article arrives once, the newest first
//! where the server can, and the syncs say when the history is done.

use super::fetch_up_to;
use crate::model::{RemoteFeed, RemoteItem};
use crate::store::Store;
use crate::sync::engine::Taker;
use crate::sync::{Mark, Paged, SyncError, SyncProvider};

const PAGE: usize = 7;

struct Account {
    /// Ids 1..=newest, in one feed.
    newest: u64,
    backwards: bool,
    /// Whether the server tells its newest id (where it cannot page backwards).
    tells_newest: bool,
    /// Requests by id answered before the connection fails once.
    fail_after: Option<usize>,
}

fn item(id: u64) -> RemoteItem {
    RemoteItem {
        id: id.to_string(),
        feed_id: "f".into(),
        title: format!("Article {id}"),
        author: None,
        html: String::new(),
        url: Some(format!("https://news.example/{id}")),
        published: Some(1_790_000_000 + id as i64),
        read: true,
        starred: false,
        enclosures: Vec::new(),
    }
}

impl SyncProvider for Account {
    fn name(&self) -> &'static str {
        "memory"
    }
    fn set_deadline(&mut self, _: std::time::Duration) {}
    fn login(&mut self) -> Result<(), SyncError> {
        Ok(())
    }
    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError> {
        Ok(Vec::new())
    }
    fn new_items(
        &mut self,
        cursor: Option<&str>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Paged, SyncError> {
        let mut since: u64 = cursor.map_or(0, |c| c.parse().unwrap());
        let mut taken = 0;
        while since < self.newest {
            if taken >= limit {
                return Ok(Paged {
                    cursor: Some(since.to_string()),
                    more: true,
                    top: None,
                });
            }
            let last = (since + PAGE as u64).min(self.newest);
            page(&(since + 1..=last).map(item).collect::<Vec<_>>())?;
            taken += (last - since) as usize;
            since = last;
        }
        Ok(Paged {
            cursor: Some(since.to_string()),
            more: false,
            top: None,
        })
    }
    fn older_items(
        &mut self,
        before: Option<&str>,
        limit: usize,
        page: &mut dyn FnMut(&[RemoteItem]) -> Result<(), SyncError>,
    ) -> Result<Paged, SyncError> {
        if !self.backwards {
            return Err(SyncError::Unsupported("no max_id".into()));
        }
        let mut below: u64 = before.map_or(self.newest + 1, |b| b.parse().unwrap());
        let mut out = Paged::default();
        let mut taken = 0;
        while below > 1 {
            if taken >= limit {
                out.more = true;
                break;
            }
            let low = below.saturating_sub(PAGE as u64).max(1);
            page(&(low..below).rev().map(item).collect::<Vec<_>>())?;
            out.top = out.top.or(Some((below - 1).to_string()));
            out.cursor = Some(low.to_string());
            taken += (below - low) as usize;
            below = low;
        }
        Ok(out)
    }
    fn newest_id(&mut self, above: u64) -> Result<Option<u64>, SyncError> {
        if !self.tells_newest {
            return Err(SyncError::Unsupported("no newest id".into()));
        }
        Ok((self.newest > above).then_some(self.newest))
    }
    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError> {
        if let Some(left) = self.fail_after.as_mut() {
            if *left == 0 {
                self.fail_after = None;
                return Err(SyncError::Protocol("the connection broke".into()));
            }
            *left -= 1;
        }
        // In an order of its own, as a server that lists them by feed.
        let mut found: Vec<u64> = ids
            .iter()
            .filter_map(|i| i.parse().ok())
            .filter(|&i| (1..=self.newest).contains(&i))
            .collect();
        let half = found.len() / 2;
        found.rotate_left(half);
        Ok(found.into_iter().map(item).collect())
    }
    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError> {
        Ok(Vec::new())
    }
    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError> {
        Ok(Vec::new())
    }
    fn mark(&mut self, _: &[String], _: Mark) -> Result<(), SyncError> {
        Ok(())
    }
}

/// Syncs until the history is done (at most 50 times); returns each sync's new
/// article ids in the order they came, and checks every one came once.
fn syncs(account: &mut Account, limit: usize, grow: u64) -> Vec<Vec<u64>> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let feeds = news_feed(&mut store);
    let mut rounds = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..50 {
        let before: Vec<String> = (1..=account.newest).map(|i| i.to_string()).collect();
        let missing_before = store.missing_remote_items(&before).unwrap();
        let mut taker = Taker::new(&mut store, &feeds, 1_790_000_000);
        let left = fetch_up_to(account, &mut taker, limit, true).unwrap();
        let missing_after = store.missing_remote_items(&before).unwrap();
        let came: Vec<u64> = missing_before
            .iter()
            .filter(|m| !missing_after.contains(m))
            .map(|m| m.parse().unwrap())
            .collect();
        for id in &came {
            assert!(seen.insert(*id), "{id} came twice");
        }
        rounds.push(came);
        // Articles arrive on the server between syncs.
        account.newest += grow;
        if !left {
            let all: Vec<String> = (1..=account.newest - grow).map(|i| i.to_string()).collect();
            assert!(store.missing_remote_items(&all).unwrap().is_empty());
            return rounds;
        }
    }
    panic!("the history never ended: {rounds:?}");
}

#[test]
fn a_first_sync_brings_the_newest_and_the_next_ones_the_rest() {
    let mut account = Account {
        newest: 100,
        backwards: true,
        tells_newest: false,
        fail_after: None,
    };
    let rounds = syncs(&mut account, 30, 3);
    // The first sync: the newest 35 (five pages of seven).
    let first = &rounds[0];
    assert_eq!(first.len(), 35);
    assert_eq!(first.iter().max(), Some(&100));
    assert_eq!(first.iter().min(), Some(&66));
    // The second: the three that arrived meanwhile, and the next stretch back.
    let second = &rounds[1];
    assert!((101..=103).all(|i| second.contains(&i)), "{second:?}");
    assert!(second.contains(&65), "{second:?}");
    assert!(rounds.len() >= 3 && rounds.len() <= 5, "{rounds:?}");
}

#[test]
fn a_server_that_cannot_page_backwards_sends_its_history_oldest_first() {
    let mut account = Account {
        newest: 100,
        backwards: false,
        tells_newest: false,
        fail_after: None,
    };
    let rounds = syncs(&mut account, 30, 2);
    assert_eq!(rounds[0].iter().min(), Some(&1));
    assert_eq!(rounds[0].len(), 35);
    assert!(rounds.len() >= 3 && rounds.len() <= 6, "{rounds:?}");
}

#[test]
fn an_empty_account_is_done_at_once_and_its_first_articles_come_as_new() {
    let mut account = Account {
        newest: 0,
        backwards: true,
        tells_newest: false,
        fail_after: None,
    };
    let rounds = syncs(&mut account, 30, 0);
    assert_eq!(rounds, vec![Vec::<u64>::new()]);
}

#[test]
fn a_server_that_tells_its_newest_id_sends_the_newest_first_then_the_history() {
    let mut account = Account {
        newest: 300,
        backwards: false,
        tells_newest: true,
        fail_after: None,
    };
    let rounds = syncs(&mut account, 30, 2);
    // The first sync: the newest run of fifty ids, from the newest down.
    let mut first = rounds[0].clone();
    first.sort_unstable();
    assert_eq!(first, (251..=300).collect::<Vec<u64>>());
    // Then what arrived meanwhile, and the next run down.
    let second = &rounds[1];
    assert!(second.contains(&301) && second.contains(&250), "{second:?}");
    assert!(!second.contains(&1), "{second:?}");
    assert!(rounds.len() >= 6 && rounds.len() <= 8, "{rounds:?}");
}

/// The account's one feed, as the server lists it, made a feed of the cache.
fn news_feed(store: &mut Store) -> std::collections::HashMap<String, crate::model::FeedId> {
    let feed = RemoteFeed {
        id: "f".into(),
        title: "News".into(),
        url: "https://news.example/feed".into(),
        site_url: None,
        groups: Vec::new(),
    };
    store.apply_remote_feeds(&[feed], &[]).unwrap()
}

/// Syncs at these times (Unix seconds; `whole` as `sync --all`): how many articles each
/// brought, and whether it said older ones were left.
fn syncs_at(account: &mut Account, times: &[(i64, bool)]) -> Vec<(usize, bool)> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let feeds = news_feed(&mut store);
    let mut out = Vec::new();
    for &(now, whole) in times {
        let mut taker = Taker::new(&mut store, &feeds, now);
        let due = whole || super::due(&taker).unwrap();
        let left = fetch_up_to(account, &mut taker, 100, due).unwrap();
        out.push((taker.new, left));
    }
    out
}

/// Between two stretches of history an hour at least, so that a sync with nothing new
/// costs nothing more on a big account; `sync --all` takes the next stretch at once.
#[test]
fn the_history_comes_a_stretch_an_hour_unless_all_is_asked() {
    // From the newest down, by pages of seven back (105 a stretch, 15 pages) or by runs
    // of fifty ids (100 a stretch).
    for (backwards, tells_newest, first, last) in [(true, false, 105, 40), (false, true, 100, 50)] {
        let mut account = Account {
            newest: 250,
            backwards,
            tells_newest,
            fail_after: None,
        };
        let t = 1_790_000_000;
        let rounds = syncs_at(
            &mut account,
            &[
                (t, false),
                (t + 60, false),
                (t + 120, true),
                (t + 180, false),
                (t + 3_800, false),
            ],
        );
        assert_eq!(
            rounds,
            [
                (first, true),
                (0, true),
                (first, true),
                (0, true),
                (last, false)
            ],
            "backwards {backwards}"
        );
    }
}

/// Syncs (each one due for history) until none is left, whatever fails on the way: true
/// when every article of the account is here then.
fn all_come(account: &mut Account, store: &mut Store, limit: usize) -> bool {
    let feeds = news_feed(store);
    for _ in 0..30 {
        let mut taker = Taker::new(store, &feeds, 1_790_000_000);
        if let Ok(false) = fetch_up_to(account, &mut taker, limit, true) {
            let all: Vec<String> = (1..=account.newest).map(|i| i.to_string()).collect();
            return store.missing_remote_items(&all).unwrap().is_empty();
        }
    }
    false
}

/// A first sync cut short in its stretch of history: the next syncs go on from there,
/// and every article comes.
#[test]
fn a_first_sync_cut_short_goes_on_at_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    // The first sync asks for three runs of fifty; the second fails.
    let mut account = Account {
        newest: 300,
        backwards: false,
        tells_newest: true,
        fail_after: Some(1),
    };
    assert!(all_come(&mut account, &mut store, 120));
    assert!(account.fail_after.is_none(), "the failure happened");
}

/// A cache from the version that took such a server's history through its new-articles
/// cursor (`forward`): its articles below the cursor are looked over again by ids, so
/// that those pages by `since_id` left out come too.
#[test]
fn a_history_that_came_forward_is_looked_over_again_by_ids() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    store.set_meta(super::HISTORY, super::FORWARD).unwrap();
    store.set_meta(super::CURSOR, "60").unwrap();
    let mut account = Account {
        newest: 100,
        backwards: false,
        tells_newest: true,
        fail_after: None,
    };
    assert!(all_come(&mut account, &mut store, 30));
    assert_eq!(store.meta(super::BY_IDS).unwrap().as_deref(), Some("1"));
}
