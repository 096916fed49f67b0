//! Search on a big cache: a two-word query's first page, a rare word's, and a query feed's
//! count, on a cache built from bench/gen_corpus.py's feeds (1,000 × 200 = 200,000 articles
//! by default; SEARCH_FEEDS and SEARCH_ITEMS change it).
//!
//! The cache is built once into target/bench-search-FxI (generated with python3, or the
//! corpus in SEARCH_CORPUS; refreshed from the files; indexed) and reused by later runs.

use bulletin::config::Config;
use bulletin::search::{compile, parse, FeedInfo};
use bulletin::store::{ItemQuery, Scope, Store};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The corpus's feeds as a config of file paths, and a cache of them, indexed.
fn cache() -> (Config, PathBuf) {
    let (feeds, items) = (
        env_usize("SEARCH_FEEDS", 1000),
        env_usize("SEARCH_ITEMS", 200),
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(format!("target/bench-search-{feeds}x{items}"));
    // SEARCH_CORPUS reuses a corpus bench/compare.sh already generated.
    let corpus = std::env::var_os("SEARCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join("corpus"));
    if !corpus.join("manifest.json").exists() {
        let status = std::process::Command::new("python3")
            .arg(root.join("bench/gen_corpus.py"))
            .args([
                "-n",
                &feeds.to_string(),
                "-m",
                &items.to_string(),
                "-p",
                "1",
                "-s",
                "42",
                "-o",
            ])
            .arg(&corpus)
            .status()
            .expect("python3 runs bench/gen_corpus.py");
        assert!(status.success());
    }
    let mut toml = String::from("[general]\nrefresh_on_startup = false\n");
    let mut names: Vec<_> = std::fs::read_dir(corpus.join("feeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
        .collect();
    names.sort();
    for (i, p) in names.iter().enumerate() {
        let tag = if i % 10 == 0 {
            "\ntags = [\"security\"]"
        } else {
            ""
        };
        toml.push_str(&format!("\n[[feed]]\nurl = \"{}\"{tag}\n", p.display()));
    }
    std::fs::create_dir_all(&dir).unwrap();
    let config_path = dir.join("config.toml");
    std::fs::write(&config_path, &toml).unwrap();
    let config = Config::parse(&toml, &config_path).unwrap();
    let db = dir.join("cache.db");
    let mut store = Store::open(&db).unwrap();
    if store
        .feed_summaries(&config.feeds)
        .unwrap()
        .iter()
        .map(|f| f.total)
        .sum::<u32>()
        == 0
    {
        eprintln!("building the cache in {}", dir.display());
        let fetcher = bulletin::fetch::Fetcher::new(&config.general).unwrap();
        bulletin::refresh::run(
            &mut store,
            &fetcher,
            &config,
            Default::default(),
            &AtomicBool::new(false),
            |_| {},
            |_, _| {},
        )
        .unwrap();
    }
    let names = store
        .feed_summaries(&config.feeds)
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect();
    store
        .index_all(&names, |d, t| {
            if d == t {
                eprintln!("indexed {t}")
            }
        })
        .unwrap();
    (config, db)
}

fn query(store: &Store, config: &Config, text: &str) -> ItemQuery {
    let feeds = store.feed_summaries(&config.feeds).unwrap();
    let infos = FeedInfo::of(&feeds);
    let parsed = parse(text, chrono::Utc::now()).unwrap();
    ItemQuery {
        scope: Scope::Feeds(feeds.iter().map(|f| f.id).collect()),
        unread_only: false,
        starred_only: false,
        search: Some(compile(&parsed, &infos).unwrap()),
        order: Default::default(),
        stories: false,
    }
}

fn search(c: &mut Criterion) {
    let (config, db) = cache();
    let store = Store::open(&db).unwrap();
    let mut g = c.benchmark_group("search_200k");
    g.sample_size(30);
    for text in [
        // Two words found in nearly every article of this corpus: newest first.
        "kernel phishing",
        // A phrase and a prefix.
        "\"patch advisory\" firm*",
        // Few matches: ranked by relevance.
        "smørrebrød title:festival tag:security",
        // A saved search's shape: words, a tag, a relative date.
        "tag:security ransomware after:-30d",
        // What the TUI asks while "kernel phish" is being typed.
        "kernel phish*",
    ] {
        let q = query(&store, &config, text);
        g.bench_function(format!("first page: {text}"), |b| {
            b.iter(|| store.items(&q, 0, 50).unwrap())
        });
    }
    let q = query(
        &store,
        &config,
        "tag:security ransomware after:-30d is:unread",
    );
    g.bench_function("count: tag:security ransomware after:-30d is:unread", |b| {
        b.iter(|| store.count_items(&q).unwrap())
    });
    // A saved search whose words are in nearly every article: the feed list's count of
    // it is taken again after each mark.
    let q = query(&store, &config, "kernel");
    g.bench_function("count with unread: kernel", |b| {
        b.iter(|| store.count_with_unread(&q).unwrap())
    });
    g.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
