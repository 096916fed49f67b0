//! The cost of grouping a few new articles on a cache whose last week holds many: a
//! busy account's warm refresh, or one feed added from the TUI. The refresh groups by
//! keys, the next reader by text (`Store::group_texts`), which reads the sketches that
//! share a band with the new article's (store::story::sketches): both are measured.

use bulletin::model::{ParsedFeed, ParsedItem, Validators};
use bulletin::store::{PreparedFeed, Store};
use bulletin::story::Mode;
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

const FEEDS: usize = 500;
const ITEMS: usize = 100;

/// A text of its own for each seed: 150 words drawn from 2,000 made-up ones.
fn text(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut out = String::from("<p>");
    for _ in 0..150 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(&format!("w{} ", x % 2000));
    }
    out.push_str("</p>");
    out
}

fn feed(feed: usize, items: std::ops::Range<usize>, mode: Mode) -> PreparedFeed {
    let week = Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap();
    let items = items
        .map(|i| ParsedItem {
            guid: format!("f{feed}-{i}"),
            title: format!("Item {i}"),
            link: Some(format!("https://f{feed}.example/{i}")),
            published: Some(week + chrono::Duration::minutes((i * 97 % 10_000) as i64)),
            content_html: Some(text((feed * 1_000_000 + i) as u64)),
            ..ParsedItem::default()
        })
        .collect();
    PreparedFeed::grouped(
        ParsedFeed {
            items,
            ..Default::default()
        },
        mode,
    )
}

fn one_new_article(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("c.db")).unwrap();
    let specs: Vec<_> = (0..FEEDS)
        .map(|f| bulletin::config::FeedSpec {
            options: Default::default(),
            url: format!("https://f{f}.example/feed"),
            name: None,
            hidden: false,
            remote: None,
            mailbox: None,
            tags: vec![],
        })
        .collect();
    let ids = store.sync_feeds(&specs).unwrap();
    let now = Utc::now();
    // Written as a refresh does: every feed, then one grouping.
    let mut arrivals = Vec::new();
    for (f, id) in ids.iter().enumerate() {
        let stats = store
            .apply_ungrouped(
                *id,
                &feed(f, 0..ITEMS, Mode::On),
                &Validators::default(),
                Some(200),
                now,
                0,
            )
            .unwrap();
        arrivals.extend(stats.arrivals);
    }
    store.group_stories(&arrivals, now.timestamp()).unwrap();
    store.group_all_texts(now.timestamp(), |_, _| {}).unwrap();
    let mut next = ITEMS;
    let mut g = c.benchmark_group("one_new_article_on_50000_in_its_week");
    g.sample_size(20);
    for mode in [Mode::On, Mode::Off] {
        g.bench_function(format!("stories {}", mode.name()), |b| {
            b.iter_batched(
                || {
                    next += 1;
                    feed(0, next..next + 1, mode)
                },
                |f| {
                    store
                        .apply(ids[0], &f, &Validators::default(), Some(200), now, 0)
                        .unwrap();
                    store.group_texts(100, now.timestamp()).unwrap()
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, one_new_article);
criterion_main!(benches);
