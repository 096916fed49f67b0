//! Feeds that move, die or fail, against a loopback server that answers 301, 308, 302 and
//! 410 across refreshes: the config follows permanent moves only (comments kept), the
//! cache keeps every article and read mark, `feeds --json` says how each feed is doing.

mod support;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use support::{feeds, Env, Reply, Server};

/// /old answers 200 while `mode` is 200, else `mode` with a Location to /new.
fn moving(server: &Server, mode: Arc<AtomicU16>, new_version: u32) {
    let new = server.url("/new");
    server.route("/old", move |_| match mode.load(Ordering::SeqCst) {
        200 => Reply::ok("application/rss+xml", feeds::rss("mover", 3, 1)),
        410 => Reply::status(410),
        code => {
            let mut r = Reply::redirect(&new);
            if let Reply::Full { status, .. } = &mut r {
                *status = code;
            }
            r
        }
    });
    server.fixed(
        "/new",
        "application/rss+xml",
        feeds::rss("mover", 3, new_version),
    );
}

fn config(server: &Server) -> String {
    format!(
        "# top comment\n[general]\nrefresh_on_startup = false\n\n# the feed that moves\n[[feed]]\nurl = \"{}\" # keep me\nname = \"Mover\"\n",
        server.url("/old")
    )
}

fn feed_json(env: &Env) -> serde_json::Value {
    env.json(&["feeds", "--json"])[0].clone()
}

#[test]
fn a_permanent_move_to_the_same_feed_is_followed_at_once_keeping_read_marks() {
    let server = Server::start();
    let mode = Arc::new(AtomicU16::new(200));
    moving(&server, mode.clone(), 1);
    let env = Env::new(&config(&server));
    env.ok(&["refresh"]);
    let first = env.json(&["items", "--json"])[0]["id"].as_i64().unwrap();
    env.ok(&["mark-read", &first.to_string()]);
    let before = feed_json(&env);
    // (The shape of feeds --json is checked in tests/cli.rs.)
    assert_eq!(before["status"], "ok");
    assert!(
        before["newest_item"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-03"),
        "{before}"
    );

    mode.store(301, Ordering::SeqCst);
    let out = env.run(&["refresh"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("moved by a permanent redirect"));
    let after = feed_json(&env);
    assert_eq!(after["url"], server.url("/new"), "{after}");
    assert_eq!(after["moved_from"], server.url("/old"));
    assert_eq!(after["status"], "moved");
    let listed = env.ok(&["feeds"]);
    assert!(
        listed.contains("Mover (moved)") && listed.contains("moved from"),
        "{listed}"
    );
    assert_eq!(after["total"], 3, "no article was duplicated");
    assert_eq!(after["unread"], 2, "the read mark stayed");
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        text.contains(&server.url("/new")) && !text.contains(&server.url("/old")),
        "{text}"
    );
    for kept in [
        "# top comment",
        "# the feed that moves",
        "# keep me",
        "name = \"Mover\"",
    ] {
        assert!(text.contains(kept), "{kept} lost:\n{text}");
    }
    // The next refresh asks the new address directly.
    let old_hits = server.requests_to("/old").len();
    env.ok(&["refresh"]);
    assert_eq!(server.requests_to("/old").len(), old_hits);
}

#[test]
fn a_308_to_a_new_feed_moves_on_the_third_refresh_and_a_302_never() {
    for (code, moves) in [(308u16, true), (302, false)] {
        let server = Server::start();
        let mode = Arc::new(AtomicU16::new(code));
        // The target's articles differ from anything cached: only the streak can move it.
        moving(&server, mode.clone(), 2);
        let env = Env::new(&config(&server));
        for round in 1..=4 {
            env.ok(&["refresh"]);
            let url = feed_json(&env)["url"].as_str().unwrap().to_string();
            let moved = url == server.url("/new");
            // Round 1 caches the target's articles; from round 2 the target answers with
            // them, which counts as the same feed, but only a permanent redirect moves.
            assert_eq!(moved, moves && round >= 2, "{code} round {round}: {url}");
        }
    }
}

#[test]
fn a_410_marks_the_feed_dead_and_it_is_not_fetched_until_forced() {
    let server = Server::start();
    let mode = Arc::new(AtomicU16::new(200));
    moving(&server, mode.clone(), 1);
    let env = Env::new(&config(&server));
    env.ok(&["refresh"]);
    mode.store(410, Ordering::SeqCst);
    env.ok(&["refresh"]);
    let dead = feed_json(&env);
    assert_eq!(dead["status"], "dead", "{dead}");
    assert_eq!(dead["consecutive_failures"], 1);
    assert_eq!(dead["total"], 3, "its articles stay");
    let listed = env.ok(&["feeds"]);
    assert!(listed.contains("Mover (dead)"), "{listed}");
    let hits = server.requests_to("/old").len();
    let out = env.run(&["refresh"]);
    assert_eq!(server.requests_to("/old").len(), hits, "not fetched again");
    assert!(String::from_utf8_lossy(&out.stderr).contains("gone"));
    mode.store(200, Ordering::SeqCst);
    env.ok(&["refresh", "--force"]);
    assert_eq!(server.requests_to("/old").len(), hits + 1);
    assert_eq!(feed_json(&env)["status"], "ok", "back to life");
}

#[test]
fn failures_count_up_and_a_success_clears_them() {
    let server = Server::start();
    let mode = Arc::new(AtomicU16::new(500));
    server.route("/flaky", {
        let mode = mode.clone();
        move |_| match mode.load(Ordering::SeqCst) {
            200 => Reply::ok("application/rss+xml", feeds::rss("flaky", 2, 1)),
            code => Reply::status(code),
        }
    });
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n[[feed]]\nurl = \"{}\"\n",
        server.url("/flaky")
    ));
    for n in 1..=3 {
        env.ok(&["refresh"]);
        let f = feed_json(&env);
        assert_eq!(f["consecutive_failures"], n);
        assert_eq!(f["status"], "failing");
        assert_eq!(f["last_success"], serde_json::Value::Null);
    }
    mode.store(200, Ordering::SeqCst);
    env.ok(&["refresh"]);
    let f = feed_json(&env);
    assert_eq!(f["consecutive_failures"], 0);
    assert_eq!(f["status"], "ok");
    assert!(f["last_success"].is_string());
}

#[test]
fn without_a_known_article_the_move_waits_for_three_permanent_redirects_in_a_row() {
    let server = Server::start();
    let hits = Arc::new(AtomicU16::new(0));
    let new = server.url("/new");
    server.route("/old", move |_| {
        let mut r = Reply::redirect(&new);
        if let Reply::Full { status, .. } = &mut r {
            *status = 301;
        }
        r
    });
    // Every answer has articles never seen before.
    server.route("/new", {
        let hits = hits.clone();
        move |_| {
            let n = hits.fetch_add(1, Ordering::SeqCst);
            Reply::ok(
                "application/rss+xml",
                feeds::rss(&format!("issue{n}"), 2, 1),
            )
        }
    });
    let env = Env::new(&config(&server));
    for round in 1..=3 {
        env.ok(&["refresh"]);
        let url = feed_json(&env)["url"].as_str().unwrap().to_string();
        assert_eq!(url == server.url("/new"), round == 3, "round {round}");
    }
}
