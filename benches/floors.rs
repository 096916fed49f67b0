//! What each part of a cold refresh costs alone (#33): the floors a refresh of the
//! 1,000 x 50 corpus cannot go under, one core each, measured on the corpus's own files.
//!
//! - `gunzip`: the gzip bodies as the server sends them, decoded by the refresh's own
//!   `fetch::gunzip` (libdeflate; `gunzip, flate2`: flate2's stream on zlib-rs, as before);
//! - `parse`: the XML read into feeds (our reader: XML, entities, HTML cleaning, dates);
//! - `prepare`: the parsed feeds made ready to store (bodies Snappy-compressed, text keys),
//!   with stories off and on (the difference is the stories' link and id keys);
//! - `write`: the prepared feeds written into a fresh cache, sixteen a transaction as a
//!   refresh's busy writer does (SQLite, its indexes and triggers), stories off and on
//!   (the grouping by keys in batches of 5,000, as a refresh does);
//! - `group texts`: after that refresh, the texts compared as the next reader does
//!   (`Store::group_all_texts`: read back, shingled, sketched, looked up and filed); not
//!   part of the refresh.
//!
//! Their sum beside `bulletin refresh`'s CPU time (bench/compare.sh) says what the
//! refresh costs beyond its parts: threads, HTTP, the kernel. The corpus is
//! bench/gen_corpus.py's (FLOORS_CORPUS names one already generated, such as the one
//! bench/compare.sh writes; otherwise it is generated into target/bench-floors-1000x50).

use bulletin::model::{FeedId, ParsedFeed, Validators};
use bulletin::store::{PreparedFeed, Store};
use bulletin::story::Mode;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The corpus's feed files: (the XML, its gzip), in the manifest's order.
fn corpus() -> Vec<(Vec<u8>, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("FLOORS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/bench-floors-1000x50"));
    if !dir.join("manifest.json").exists() {
        let status = std::process::Command::new("python3")
            .arg(root.join("bench/gen_corpus.py"))
            .args(["-n", "1000", "-m", "50", "-p", "8781", "--out"])
            .arg(&dir)
            .status()
            .expect("python3 runs bench/gen_corpus.py");
        assert!(status.success(), "gen_corpus.py failed");
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir.join("feeds"))
        .expect("the corpus's feeds folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let xml = std::fs::read(&p).unwrap();
            let mut gz = p.clone().into_os_string();
            gz.push(".gz");
            (xml, std::fs::read(gz).unwrap_or_default())
        })
        .collect()
}

fn parse_all(files: &[(Vec<u8>, Vec<u8>)]) -> Vec<ParsedFeed> {
    files
        .iter()
        .enumerate()
        .map(|(i, (xml, _))| {
            let url = format!("http://127.0.0.1/feeds/f{i:05}.xml");
            bulletin::parse::parse_feed(xml, Some("application/rss+xml"), &url).unwrap()
        })
        .collect()
}

/// A fresh cache with a feed row for each file.
fn fresh(n: usize) -> (tempfile::TempDir, Store, Vec<FeedId>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let specs: Vec<bulletin::config::FeedSpec> = (0..n)
        .map(|i| bulletin::config::FeedSpec {
            options: Default::default(),
            url: format!("http://127.0.0.1/feeds/f{i:05}.xml"),
            name: None,
            hidden: false,
            remote: None,
            mailbox: None,
            tags: vec![],
        })
        .collect();
    let ids = store.sync_feeds(&specs).unwrap();
    (dir, store, ids)
}

/// Writes every feed as a refresh does when its writer is the busy one: the sixteen
/// feeds the fetch threads have waiting in one transaction (refresh::writer), arrivals
/// grouped by 5,000.
fn write_all(store: &mut Store, ids: &[FeedId], prepared: &[PreparedFeed]) {
    write_batches(store, ids, prepared, 16)
}

/// As `write_all`, `size` feeds a batch; 0: a transaction a feed with SQLite's default
/// page cache, as before refresh::writer.
fn write_batches(store: &mut Store, ids: &[FeedId], prepared: &[PreparedFeed], size: usize) {
    let now = chrono::Utc::now();
    let mut arrivals = Vec::new();
    let feeds: Vec<_> = ids.iter().zip(prepared).collect();
    for batch in feeds.chunks(size.max(1)) {
        if size > 0 {
            store.begin_batch().unwrap();
        }
        for (id, feed) in batch {
            let stats = store
                .apply_ungrouped(**id, feed, &Validators::default(), Some(200), now, 0)
                .unwrap();
            arrivals.extend(stats.arrivals);
        }
        if size > 0 {
            store.commit_batch().unwrap();
        }
        if arrivals.len() >= 5_000 {
            store.group_stories(&arrivals, now.timestamp()).unwrap();
            arrivals.clear();
        }
    }
    store.end_batches().unwrap();
    store.group_stories(&arrivals, now.timestamp()).unwrap();
}

fn floors(c: &mut Criterion) {
    let files = corpus();
    let mut g = c.benchmark_group("floors_1000x50");
    g.sample_size(10);
    g.bench_function("gunzip", |b| {
        // The refresh's own decoding, which takes each body by value.
        b.iter_batched(
            || files.iter().map(|(_, gz)| gz.clone()).collect::<Vec<_>>(),
            |bodies| {
                bodies
                    .into_iter()
                    .map(|gz| bulletin::fetch::gunzip(gz, u64::MAX).unwrap().len())
                    .sum::<usize>()
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("gunzip, flate2", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            for (_, gz) in &files {
                out.clear();
                flate2::read::GzDecoder::new(gz.as_slice())
                    .read_to_end(&mut out)
                    .unwrap();
            }
            out.len()
        })
    });
    g.bench_function("parse", |b| b.iter(|| parse_all(&files)));
    let parsed = parse_all(&files);
    for mode in [Mode::Off, Mode::On] {
        let name = format!("prepare, stories {}", mode.name());
        g.bench_function(&name, |b| {
            b.iter_batched(
                || parsed.clone(),
                |feeds| {
                    feeds
                        .into_iter()
                        .map(|f| PreparedFeed::grouped(f, mode))
                        .collect::<Vec<_>>()
                },
                BatchSize::PerIteration,
            )
        });
    }
    for mode in [Mode::Off, Mode::On] {
        let prepared: Vec<PreparedFeed> = parsed
            .iter()
            .cloned()
            .map(|f| PreparedFeed::grouped(f, mode))
            .collect();
        let name = format!("write, stories {}", mode.name());
        g.bench_function(&name, |b| {
            b.iter_batched(
                || fresh(prepared.len()),
                |(dir, mut store, ids)| {
                    write_all(&mut store, &ids, &prepared);
                    (dir, store)
                },
                BatchSize::PerIteration,
            )
        });
        // The same a transaction a feed, as the writer did before its batches, for the
        // ratio in one run.
        let name = format!("write, stories {}, a transaction a feed", mode.name());
        g.bench_function(&name, |b| {
            b.iter_batched(
                || fresh(prepared.len()),
                |(dir, mut store, ids)| {
                    write_batches(&mut store, &ids, &prepared, 0);
                    (dir, store)
                },
                BatchSize::PerIteration,
            )
        });
    }
    let prepared: Vec<PreparedFeed> = parsed
        .iter()
        .cloned()
        .map(|f| PreparedFeed::grouped(f, Mode::On))
        .collect();
    g.bench_function("group texts, after the refresh", |b| {
        b.iter_batched(
            || {
                let (dir, mut store, ids) = fresh(prepared.len());
                write_all(&mut store, &ids, &prepared);
                (dir, store)
            },
            |(dir, mut store)| {
                let now = chrono::Utc::now().timestamp();
                store.group_all_texts(now, |_, _| {}).unwrap();
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, floors);
criterion_main!(benches);
