//! Sync through a folder at scale: a device's first sync reading another's journal of a
//! million marks (10,000 feeds of 50 articles, read and starred), into a fresh cache,
//! for a device that has none of those feeds and for one that has them all.

use bulletin::config::{Config, FolderConfig};
use bulletin::store::Store;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::io::Write;

const MARKS: usize = 1_000_000;

fn journal(dir: &std::path::Path) {
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(dir.join("desktop-0a0b0c0d0e0f.1.journal")).unwrap(),
    );
    writeln!(
        out,
        "{{\"t\":\"journal\",\"format\":1,\"device\":\"0a0b0c0d0e0f\",\"name\":\"desktop\"}}"
    )
    .unwrap();
    for i in 0..MARKS {
        let (feed, item, kind) = (
            i / 100,
            (i / 2) % 50,
            if i % 2 == 0 { "read" } else { "star" },
        );
        writeln!(
            out,
            "{{\"t\":\"mark\",\"at\":[{},0],\"device\":\"0a0b0c0d0e0f\",\"feed\":\"https://feeds{feed}.example/rss\",\"item\":\"https://feeds{feed}.example/posts/{item}\",\"kind\":\"{kind}\",\"value\":true}}",
            1_796_000_000_000u64 + i as u64
        )
        .unwrap();
    }
}

fn first_sync(c: &mut Criterion) {
    let folder = tempfile::tempdir().unwrap();
    journal(folder.path());
    let config = Config {
        folder: Some(FolderConfig {
            path: folder.path().to_path_buf(),
            device: Some("laptop".into()),
        }),
        ..Config::default()
    };
    // A device that has all 10,000 feeds: every mark is kept.
    let mut all = config.clone();
    all.feeds = (0..MARKS / 100)
        .map(|f| bulletin::config::FeedSpec {
            url: format!("https://feeds{f}.example/rss"),
            name: None,
            tags: Vec::new(),
            options: Default::default(),
            hidden: false,
            remote: None,
            mailbox: None,
        })
        .collect();
    let mut g = c.benchmark_group("folder");
    g.sample_size(10);
    // Each a first sync: a fresh cache each time (made outside the measure).
    for (name, config) in [
        (
            "first sync, 1,000,000 marks on feeds it does not have",
            &config,
        ),
        ("first sync, 1,000,000 marks on its 10,000 feeds", &all),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().unwrap();
                    let store = Store::open(&dir.path().join("cache.db")).unwrap();
                    (dir, store)
                },
                |(dir, mut store)| {
                    let folder = config.folder.as_ref().unwrap();
                    bulletin::folder::sync(folder, config, &mut store).unwrap();
                    drop(store);
                    dir
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.bench_function("a sync with nothing new", |b| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
        let folder = config.folder.as_ref().unwrap();
        bulletin::folder::sync(folder, &config, &mut store).unwrap();
        b.iter(|| bulletin::folder::sync(folder, &config, &mut store).unwrap())
    });
    g.finish();
}

criterion_group!(benches, first_sync);
criterion_main!(benches);
