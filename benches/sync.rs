//! The server's state applied at a sync, on accounts of 10,000 and 100,000 synced
//! articles in 1,000 feeds, mostly read (200 unread, 100 starred, as a reader who keeps
//! up has whatever the account's age): with nothing changed
//! (the cost must not grow with the account: #33 asks the two within 2 times of each
//! other) and with 100 articles changed. The server's requests are not in it: this is
//! the store's share of a sync.

use bulletin::model::{RemoteFeed, RemoteItem};
use bulletin::store::Store;
use criterion::{criterion_group, criterion_main, Criterion};
use std::collections::HashSet;

const FEEDS: usize = 1_000;

/// A store holding `n` synced articles, and the server's unread and starred sets.
fn account(dir: &std::path::Path, n: usize) -> (Store, HashSet<String>, HashSet<String>) {
    let mut store = Store::open(&dir.join("cache.db")).unwrap();
    let feeds: Vec<RemoteFeed> = (0..FEEDS)
        .map(|f| RemoteFeed {
            id: format!("feed/{f}"),
            title: format!("Feed {f}"),
            url: format!("https://feeds{f}.example/rss"),
            site_url: None,
            groups: Vec::new(),
        })
        .collect();
    let ids = store.apply_remote_feeds(&feeds, &[]).unwrap();
    let now = 1_796_000_000;
    let items: Vec<RemoteItem> = (0..n)
        .map(|i| RemoteItem {
            id: format!("{}", 1_000_000 + i),
            feed_id: format!("feed/{}", i % FEEDS),
            title: format!("Article {i}"),
            author: None,
            html: format!("<p>Text of article {i}.</p>"),
            url: Some(format!("https://feeds{}.example/posts/{i}", i % FEEDS)),
            published: Some(now - i as i64),
            read: !(i % 50 == 0 && i < 10_000),
            starred: i % 100 == 0 && i < 10_000,
            enclosures: Vec::new(),
        })
        .collect();
    for page in items.chunks(1_000) {
        store.insert_remote_items(page, &ids, now).unwrap();
    }
    let unread: HashSet<String> = items
        .iter()
        .filter(|i| !i.read)
        .map(|i| i.id.clone())
        .collect();
    let starred: HashSet<String> = items
        .iter()
        .filter(|i| i.starred)
        .map(|i| i.id.clone())
        .collect();
    store.apply_remote_state(&unread, &starred).unwrap();
    (store, unread, starred)
}

fn apply_state(c: &mut Criterion) {
    let mut g = c.benchmark_group("sync_state");
    g.sample_size(20);
    for n in [10_000, 100_000] {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, unread, starred) = account(dir.path(), n);
        g.bench_function(format!("no change, {n} articles"), |b| {
            b.iter(|| store.apply_remote_state(&unread, &starred).unwrap())
        });
        // 100 read articles made unread on the server, then back: 100 changes a call.
        let mut more = unread.clone();
        more.extend((1..=100).map(|k| format!("{}", 1_000_000 + k * 50 + 1)));
        assert_eq!((unread.len(), starred.len()), (200, 100));
        let mut flip = false;
        g.bench_function(format!("100 changes, {n} articles"), |b| {
            b.iter(|| {
                flip = !flip;
                let set = if flip { &more } else { &unread };
                assert_eq!(store.apply_remote_state(set, &starred).unwrap(), 100);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, apply_state);
criterion_main!(benches);
