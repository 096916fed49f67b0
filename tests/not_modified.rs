//! A refresh where healthy feeds answer 304, through the real binary against a real HTTP
//! server on 127.0.0.1: the cache file is left as it was (the check times go beside it),
//! yet the feed list, the refresh intervals and a failure in between all see them as if
//! they were in it.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};
use support::{feeds, Env, Reply, Server};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A route that answers 304 to its ETag, else the feed; or 500 while `failing` holds.
fn etag_route(server: &Server, path: &str, failing: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    let body = feeds::rss(path.trim_start_matches('/'), 2, 1);
    server.route(path, move |req| {
        if failing.load(std::sync::atomic::Ordering::SeqCst) {
            Reply::status(500)
        } else if req.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304)
        } else {
            Reply::ok("application/rss+xml", body.clone()).with_header("ETag", "\"v1\"")
        }
    });
}

/// Each feed's `last_success` from `feeds --json`, in config order.
fn last_successes(env: &Env) -> Vec<i64> {
    let feeds = env.json(&["feeds", "--json"]);
    feeds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let t = f["last_success"].as_str().expect("a last success");
            chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp()
        })
        .collect()
}

#[test]
fn a_refresh_of_304s_leaves_the_cache_file_as_it_was_and_the_feed_list_sees_it() {
    let server = Server::start();
    let failing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    etag_route(&server, "/plain", Default::default());
    etag_route(&server, "/hourly", Default::default());
    etag_route(&server, "/flaky", failing.clone());
    let config = format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\n\n[[feed]]\nurl = \"{}\"\nrefresh_interval_minutes = 60\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/plain"),
        server.url("/hourly"),
        server.url("/flaky"),
    );
    let env = Env::new(&config);
    assert_eq!(env.json(&["refresh", "--json"])["new_items"], 6);
    // The fetches are made to look two hours old, as the cache would have them after a
    // refresh two hours ago (the hourly feed is due again).
    let db = env.data_dir().join("cache.db");
    let old = now() - 7200;
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "UPDATE feeds SET last_attempt = ?1, last_success = ?1",
            [old],
        )
        .unwrap();
    }
    assert_eq!(last_successes(&env), vec![old; 3]);
    let before = std::fs::read(&db).unwrap();

    let second = env.json(&["refresh", "--json"]);
    assert_eq!(second["not_modified"], 3, "{second}");
    assert!(
        std::fs::read(&db).unwrap() == before,
        "a refresh of 304s wrote to the cache file"
    );
    assert!(!env.data_dir().join("cache.db-wal").exists());
    let checked = last_successes(&env);
    assert!(
        checked.iter().all(|t| (now() - t).abs() < 600),
        "the feed list does not see the 304s: {checked:?} (before: {old})"
    );

    // The hourly feed was checked just now: not due yet, however the cache file says.
    let third = env.json(&["refresh", "--json"]);
    assert_eq!(third["not_modified"], 2, "{third}");
    assert_eq!(server.requests_to("/hourly").len(), 2);
    assert_eq!(server.requests_to("/plain").len(), 3);
    let checked = last_successes(&env);

    // A failure goes into the cache; the last success stays the 304 beside it.
    failing.store(true, std::sync::atomic::Ordering::SeqCst);
    let fourth = env.json(&["refresh", "--json"]);
    assert_eq!(fourth["failed"], 1, "{fourth}");
    let feeds = env.json(&["feeds", "--json"]);
    let flaky = &feeds[2];
    assert!(
        flaky["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("500")),
        "{flaky}"
    );
    assert_eq!(last_successes(&env)[2], checked[2]);

    // The next 304 clears the failure in the cache itself.
    failing.store(false, std::sync::atomic::Ordering::SeqCst);
    let fifth = env.json(&["refresh", "--json"]);
    assert_eq!(fifth["failed"], 0, "{fifth}");
    let feeds = env.json(&["feeds", "--json"]);
    assert!(feeds[2]["last_error"].is_null(), "{}", feeds[2]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (errors, failures): (i64, i64) = conn
        .query_row(
            "SELECT count(last_error), sum(consecutive_failures) FROM feeds",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((errors, failures), (0, 0));
}

/// The check times are bookkeeping: a file beside the cache that is not ours, or one
/// left by another cache put in this one's place, changes nothing but them.
#[test]
fn a_broken_or_foreign_checks_file_costs_only_the_times() {
    let server = Server::start();
    etag_route(&server, "/feed", Default::default());
    let env = Env::new(&support::feeds_config("", &[server.url("/feed")]));
    env.ok(&["refresh"]);
    let checks = env.data_dir().join("cache.db-checks");
    std::fs::write(&checks, b"\x00\xff not ours\n").unwrap();
    assert_eq!(env.json(&["refresh", "--json"])["not_modified"], 1);
    assert_eq!(last_successes(&env).len(), 1);
    // A line for another feed at this id (another cache once here) is not taken.
    std::fs::write(
        &checks,
        "bulletin feed checks 1\n1\t5\t99999999999\thttp://elsewhere.invalid/feed\n",
    )
    .unwrap();
    let t = last_successes(&env)[0];
    assert!((now() - t).abs() < 600, "{t}");
}

/// Two refreshes at once (cron's and the TUI's, say) both keep their 304s beside one
/// cache: each ends well, the file stays whole (one writer's rename wins, never half of
/// each), nothing written aside is left, and every feed's last success is a 304's.
#[test]
fn two_refreshes_at_once_keep_the_checks_file_whole() {
    let server = Server::start();
    let urls: Vec<String> = (0..40)
        .map(|i| {
            let path = format!("/f{i}");
            etag_route(&server, &path, Default::default());
            server.url(&path)
        })
        .collect();
    let env = Env::new(&support::feeds_config("", &urls));
    env.ok(&["refresh"]);
    let old = now() - 7200;
    rusqlite::Connection::open(env.data_dir().join("cache.db"))
        .unwrap()
        .execute(
            "UPDATE feeds SET last_attempt = ?1, last_success = ?1",
            [old],
        )
        .unwrap();
    // Options after the subcommand, as scripts write them.
    let both: Vec<_> = (0..2)
        .map(|_| {
            env.command(&["refresh", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in both {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let checks = std::fs::read_to_string(env.data_dir().join("cache.db-checks")).unwrap();
    assert!(checks.starts_with("bulletin feed checks 1\n"), "{checks}");
    assert!(checks.ends_with('\n'));
    let names: Vec<String> = std::fs::read_dir(env.data_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("cache.db-checks"))
        .collect();
    assert_eq!(names, ["cache.db-checks"]);
    // One refresh's checks may lose to the other's rename; none is older than them both.
    let times = last_successes(&env);
    assert_eq!(times.len(), 40);
    assert!(times.iter().all(|t| now() - t < 600), "{times:?}");
}
