//! SIGKILL at any moment leaves a cache that opens, with every committed read mark.

mod support;

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{feeds, feeds_config, Env, Reply, Server};

fn integrity(env: &Env) -> String {
    let conn = rusqlite::Connection::open(env.data_dir().join("cache.db")).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn read_ids(env: &Env) -> Vec<i64> {
    let items = env.json(&["items", "--json"]);
    items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["read"] == true)
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn sigkill_during_refresh_keeps_the_cache_and_the_marks() {
    let server = Server::start();
    let version = Arc::new(AtomicU32::new(1));
    let served = Arc::new(AtomicUsize::new(0));
    let mut urls = Vec::new();
    for i in 0..60 {
        let path = format!("/f{i}");
        let (version, served) = (version.clone(), served.clone());
        server.route(&path, move |_| {
            served.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            let v = version.load(Ordering::SeqCst);
            Reply::ok(
                "application/rss+xml",
                feeds::rss(&format!("feed{i}"), 30 + v as usize, v),
            )
        });
        urls.push(server.url(&path));
    }
    let env = Env::new(&feeds_config("max_concurrent_fetches = 4", &urls));
    env.ok(&["refresh"]);
    let items = env.json(&["items", "--json"]);
    let chosen: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .step_by(7)
        .map(|i| i["id"].to_string())
        .collect();
    let mut args = vec!["mark-read"];
    args.extend(chosen.iter().map(String::as_str));
    env.ok(&args);
    let before = read_ids(&env);
    assert_eq!(before.len(), chosen.len());

    version.store(2, Ordering::SeqCst);
    let start_count = served.load(Ordering::SeqCst);
    let mut child = env.command(&["refresh"]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while served.load(Ordering::SeqCst) < start_count + 20 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        served.load(Ordering::SeqCst) < start_count + 60,
        "the kill came mid-refresh"
    );

    assert_eq!(integrity(&env), "ok");
    let after = read_ids(&env);
    for id in &before {
        assert!(after.contains(id), "read mark on {id} lost");
    }
    // And the next refresh completes normally.
    let summary = env.json(&["refresh", "--json"]);
    assert_eq!(summary["failed"], 0);
}

#[test]
fn sigkill_while_marking_leaves_a_consistent_cache() {
    let server = Server::start();
    let mut urls = Vec::new();
    for i in 0..20 {
        let path = format!("/m{i}");
        server.fixed(
            &path,
            "application/rss+xml",
            feeds::rss(&format!("m{i}"), 50, 1),
        );
        urls.push(server.url(&path));
    }
    let env = Env::new(&feeds_config("", &urls));
    env.ok(&["refresh"]);
    env.ok(&["mark-read", "--feed", &urls[0]]);
    for delay_ms in [0u64, 2, 5, 10, 20] {
        let mut child = env.command(&["mark-read", "--all"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().ok();
        child.wait().unwrap();
        assert_eq!(integrity(&env), "ok");
        let feeds = env.json(&["feeds", "--json"]);
        assert_eq!(feeds[0]["unread"], 0, "the committed marks of feed 0 stay");
        // Counts kept by triggers agree with the rows.
        let items = env.json(&["items", "--unread", "--json"]);
        let unread_sum: u64 = feeds
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["unread"].as_u64().unwrap())
            .sum();
        assert_eq!(items.as_array().unwrap().len() as u64, unread_sum);
        env.ok(&["mark-unread", "1", "2", "3"]);
        env.ok(&["mark-read", "--feed", &urls[0]]);
    }
}

/// `chattr +i` makes a file or dir unwritable even for root (CI runs as root).
fn immutable(path: &std::path::Path, on: bool) {
    let flag = if on { "+i" } else { "-i" };
    let status = std::process::Command::new("chattr")
        .arg(flag)
        .arg(path)
        .status()
        .expect("chattr (e2fsprogs)");
    assert!(status.success(), "chattr {flag} {}", path.display());
}

#[test]
fn a_read_only_cache_gives_a_clear_error_and_keeps_its_marks() {
    let server = Server::start();
    server.fixed("/ro", "application/rss+xml", feeds::rss("ro", 5, 1));
    let env = Env::new(&feeds_config("", &[server.url("/ro")]));
    env.ok(&["refresh"]);
    let id = env.json(&["items", "--json"])[0]["id"].to_string();
    env.ok(&["mark-read", &id]);
    let data = env.data_dir();
    // Checkpoint and close cleanly first, so the files are settled.
    env.ok(&["feeds"]);
    let files: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for f in &files {
        immutable(f, true);
    }
    immutable(&data, true);
    let out = env.run(&["mark-read", "--all"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    immutable(&data, false);
    for f in &files {
        immutable(f, false);
    }
    assert!(
        !out.status.success(),
        "writing to a read-only cache succeeded"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("read-only") || err.contains("writable") || err.contains("permission"),
        "{err}"
    );
    assert_eq!(integrity(&env), "ok");
    let read = read_ids(&env);
    assert_eq!(
        read.len(),
        1,
        "the earlier mark is there and nothing else changed"
    );
}
