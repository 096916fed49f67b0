//! The refresh pipeline against a real HTTP server on 127.0.0.1, through the real binary.

mod support;

use std::io::Write;
use support::{feeds, feeds_config, Env, Reply, Server};

fn refresh_json(env: &Env) -> serde_json::Value {
    env.json(&["refresh", "--json"])
}

#[test]
fn etag_gives_304_and_no_reparse() {
    let server = Server::start();
    let body = feeds::rss("etag", 3, 1);
    server.route("/feed", move |req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304)
        } else {
            Reply::ok("application/rss+xml", body.clone()).with_header("ETag", "\"v1\"")
        }
    });
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    let first = refresh_json(&env);
    assert_eq!(first["ok"], 1);
    assert_eq!(first["new_items"], 3);
    assert_eq!(first["not_modified"], 0);
    let second = refresh_json(&env);
    assert_eq!(second["not_modified"], 1);
    assert_eq!(second["new_items"], 0);
    let reqs = server.requests_to("/feed");
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].header("if-none-match"), Some("\"v1\""));
    assert!(reqs[0]
        .header("user-agent")
        .unwrap()
        .starts_with("bulletin/"));
}

#[test]
fn last_modified_gives_304() {
    let server = Server::start();
    let body = feeds::rss("lm", 2, 1);
    let stamp = "Wed, 21 Oct 2026 07:28:00 GMT";
    server.route("/feed", move |req| {
        if req.header("if-modified-since") == Some(stamp) {
            Reply::status(304)
        } else {
            Reply::ok("application/rss+xml", body.clone()).with_header("Last-Modified", stamp)
        }
    });
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    assert_eq!(refresh_json(&env)["new_items"], 2);
    assert_eq!(refresh_json(&env)["not_modified"], 1);
}

#[test]
fn failures_are_per_feed_and_reported() {
    let server = Server::start();
    server.fixed("/good", "application/rss+xml", feeds::rss("good", 2, 1));
    server.route("/gone", |_| Reply::status(404));
    server.route("/broken", |_| Reply::status(500));
    let urls = [
        server.url("/good"),
        server.url("/gone"),
        server.url("/broken"),
    ];
    let env = Env::new(&feeds_config("", &urls));
    let out = env.run(&["refresh", "--json"]);
    assert!(out.status.success(), "a failing feed must not fail the run");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["feeds"], 3);
    assert_eq!(summary["ok"], 1);
    assert_eq!(summary["failed"], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "one line per failed feed: {stderr}");
    assert!(stderr.contains("/gone: HTTP 404 Not Found"), "{stderr}");
    assert!(stderr.contains("/broken: HTTP 500"), "{stderr}");
    let feeds = env.json(&["feeds", "--json"]);
    let gone = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == urls[1])
        .unwrap();
    assert_eq!(gone["last_error"], "HTTP 404 Not Found");
    let good = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == urls[0])
        .unwrap();
    assert_eq!(good["last_error"], serde_json::Value::Null);
    assert_eq!(good["unread"], 2);
    assert_eq!(good["total"], 2);
}

#[test]
fn redirect_chain_is_followed_and_loops_are_not() {
    let server = Server::start();
    server.route("/a", |_| Reply::redirect("/b"));
    server.route("/b", |_| Reply::redirect("/c"));
    server.fixed("/c", "application/rss+xml", feeds::rss("moved", 1, 1));
    server.route("/loop", |_| Reply::redirect("/loop"));
    let env = Env::new(&feeds_config("", &[server.url("/a"), server.url("/loop")]));
    let out = env.run(&["refresh", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["ok"], 1);
    assert_eq!(summary["failed"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("redirect"));
    assert!(server.requests_to("/loop").len() <= 11);
}

#[test]
fn gzip_bodies_are_decoded() {
    let server = Server::start();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(feeds::rss("zipped", 4, 1).as_bytes())
        .unwrap();
    let gz = enc.finish().unwrap();
    server.route("/feed", move |req| {
        assert!(req.header("accept-encoding").unwrap_or("").contains("gzip"));
        Reply::ok("application/rss+xml", gz.clone()).with_header("Content-Encoding", "gzip")
    });
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    assert_eq!(refresh_json(&env)["new_items"], 4);
}

/// The shapes of gzip the web sends besides the plain one: a body labelled gzip that
/// is not (some servers label a plain body so; browsers and feedparser read it), a body
/// of two gzip members one after the other (files joined by `cat`), and `x-gzip`. A
/// body that is gzip but broken fails in one line naming its feed, and the other
/// feeds are kept.
#[test]
fn gzip_in_the_shapes_servers_send() {
    let gz = |text: &str| {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap()
    };
    let server = Server::start();
    let plain = feeds::rss("labelled", 2, 1).into_bytes();
    server.route("/labelled", move |_| {
        Reply::ok("application/rss+xml", plain.clone()).with_header("Content-Encoding", "gzip")
    });
    // One feed cut in two, each half a gzip member of its own.
    let whole = feeds::rss("members", 3, 1);
    let (a, b) = whole.split_at(whole.len() / 2);
    let mut members = gz(a);
    members.extend(gz(b));
    server.route("/members", move |_| {
        Reply::ok("application/rss+xml", members.clone()).with_header("Content-Encoding", "gzip")
    });
    let x = gz(&feeds::rss("x-gzip", 1, 1));
    server.route("/x", move |_| {
        Reply::ok("application/rss+xml", x.clone()).with_header("Content-Encoding", "x-gzip")
    });
    let mut broken = gz(&feeds::rss("broken", 5, 1));
    let middle = broken.len() / 2;
    broken[middle..middle + 8].copy_from_slice(b"\xff\x00\xff\x00\xff\x00\xff\x00");
    server.route("/broken", move |_| {
        Reply::ok("application/rss+xml", broken.clone()).with_header("Content-Encoding", "gzip")
    });
    let env = Env::new(&feeds_config(
        "",
        &[
            server.url("/labelled"),
            server.url("/members"),
            server.url("/x"),
            server.url("/broken"),
        ],
    ));
    let out = env.run(&["refresh", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["ok"].as_i64(), summary["failed"].as_i64()),
        (Some(3), Some(1)),
        "{summary}"
    );
    assert_eq!(summary["new_items"], 6, "{summary}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said: Vec<&str> = stderr.lines().filter(|l| l.contains("/broken")).collect();
    assert_eq!(said.len(), 1, "{stderr}");
    assert!(said[0].contains("gzip"), "{stderr}");
    let items = env.run(&["items", "--json"]);
    let items: serde_json::Value = serde_json::from_slice(&items.stdout).unwrap();
    let titles: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    for feed in ["labelled", "members", "x-gzip"] {
        assert!(
            titles.iter().any(|t| t.contains(feed)),
            "{feed}: {titles:?}"
        );
    }
}

/// `Content-Encoding: deflate` as servers send it: zlib's format, as HTTP says, or the
/// raw deflate stream many send under that name. Both are read.
#[test]
fn deflate_bodies_in_zlib_or_raw() {
    let server = Server::start();
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(feeds::rss("zlib", 2, 1).as_bytes()).unwrap();
    let zlib = zlib.finish().unwrap();
    let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    raw.write_all(feeds::rss("raw", 3, 1).as_bytes()).unwrap();
    let raw = raw.finish().unwrap();
    for (path, body) in [("/zlib", zlib), ("/raw", raw)] {
        server.route(path, move |req| {
            assert!(req
                .header("accept-encoding")
                .unwrap_or("")
                .contains("deflate"));
            Reply::ok("application/rss+xml", body.clone())
                .with_header("Content-Encoding", "deflate")
        });
    }
    let env = Env::new(&feeds_config(
        "",
        &[server.url("/zlib"), server.url("/raw")],
    ));
    let summary = refresh_json(&env);
    assert_eq!(summary["ok"], 2, "{summary}");
    assert_eq!(summary["new_items"], 5, "{summary}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Server::start();
    server.route("/hang", |_| Reply::Hang);
    server.fixed("/ok", "application/rss+xml", feeds::rss("fine", 1, 1));
    let env = Env::new(&feeds_config(
        "timeout_seconds = 1",
        &[server.url("/hang"), server.url("/ok")],
    ));
    let out = env.run(&["refresh", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["failed"], 1);
    assert_eq!(summary["ok"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("timed out"));
}

#[test]
fn oversized_bodies_are_refused() {
    let server = Server::start();
    let mut big = feeds::rss("big", 1, 1).into_bytes();
    big.extend(vec![b' '; 2 * 1024 * 1024]);
    server.fixed("/big", "application/rss+xml", big);
    server.route("/endless", |_| Reply::Endless);
    let env = Env::new(&feeds_config(
        "max_body_mib = 1",
        &[server.url("/big"), server.url("/endless")],
    ));
    let out = env.run(&["refresh"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("larger than 1 MiB").count(), 2, "{stderr}");
}

/// The cap is the decoded body's size to the byte: a feed of exactly 1 MiB is read, one
/// byte more is refused. Both come gzipped, so no Content-Length says their size before
/// the body is read (the option after the command, as people type it too).
#[test]
fn a_body_of_exactly_the_cap_is_read_and_one_byte_more_is_not() {
    let gzipped = |title: &str, len: usize| {
        let mut body = feeds::rss(title, 1, 1).into_bytes();
        body.resize(len, b' ');
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&body).unwrap();
        enc.finish().unwrap()
    };
    let server = Server::start();
    let mib = 1024 * 1024;
    for (path, len) in [("/exact", mib), ("/over", mib + 1)] {
        let body = gzipped(path, len);
        server.route(path, move |_| {
            Reply::ok("application/rss+xml", body.clone()).with_header("Content-Encoding", "gzip")
        });
    }
    let env = Env::new(&feeds_config(
        "max_body_mib = 1",
        &[server.url("/exact"), server.url("/over")],
    ));
    let out = env.run(&["refresh", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["ok"].as_i64(), summary["failed"].as_i64()),
        (Some(1), Some(1))
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/over") && stderr.contains("larger than 1 MiB"),
        "{stderr}"
    );
    assert!(!stderr.contains("/exact"), "{stderr}");
}

#[test]
fn read_state_survives_refresh_and_edits() {
    let server = Server::start();
    let version = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(1));
    let v = version.clone();
    server.route("/feed", move |_| {
        let n = v.load(std::sync::atomic::Ordering::SeqCst);
        Reply::ok("application/rss+xml", feeds::rss("keep", 2 + n as usize, n))
    });
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    assert_eq!(refresh_json(&env)["new_items"], 3);
    let items = env.json(&["items", "--json"]);
    let first_id = items[0]["id"].as_i64().unwrap().to_string();
    env.ok(&["mark-read", &first_id]);
    version.store(2, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(refresh_json(&env)["new_items"], 1);
    let items = env.json(&["items", "--json"]);
    let again = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"].as_i64().map(|v| v.to_string()).as_deref() == Some(first_id.as_str()))
        .unwrap();
    assert_eq!(again["read"], true, "an edited item keeps its read mark");
    let shown = env.ok(&["show", &first_id]);
    assert!(shown.contains("version 2"), "the edit was stored: {shown}");
    assert_eq!(
        items
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["read"] == false)
            .count(),
        3
    );
}

#[test]
fn retry_after_is_respected() {
    let server = Server::start();
    server.route("/busy", |_| {
        Reply::status(503).with_header("Retry-After", "3600")
    });
    let env = Env::new(&feeds_config("", &[server.url("/busy")]));
    let out = env.run(&["refresh"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("HTTP 503"));
    let out = env.run(&["refresh"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Retry-After"));
    assert_eq!(
        server.requests_to("/busy").len(),
        1,
        "not retried before the time the server gave"
    );
}

#[test]
fn connection_refused_is_plain_words() {
    // Bind then drop: the port is closed.
    let port = support::free_port();
    let env = Env::new(&feeds_config(
        "",
        &[format!("http://127.0.0.1:{port}/feed")],
    ));
    let out = env.run(&["refresh"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.to_lowercase().contains("refused"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn retry_after_is_capped_and_force_fetches_anyway() {
    let server = Server::start();
    // 136 years, as a broken or hostile server may say.
    server.route("/forever", |_| {
        Reply::status(503).with_header("Retry-After", "4294967295")
    });
    let env = Env::new(&feeds_config("", &[server.url("/forever")]));
    env.run(&["refresh"]);
    let out = env.run(&["refresh"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let when = stderr
        .split("not retried before ")
        .nth(1)
        .and_then(|rest| rest.get(..16))
        .unwrap_or_else(|| panic!("no wait reported: {stderr}"));
    let until = chrono::NaiveDateTime::parse_from_str(when, "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc();
    let cap = chrono::Utc::now() + chrono::Duration::minutes(61);
    assert!(until <= cap, "the wait is capped at an hour: {stderr}");
    assert_eq!(server.requests_to("/forever").len(), 1);

    // The user asked: fetched whatever the server said.
    env.run(&["refresh", "--force"]);
    assert_eq!(server.requests_to("/forever").len(), 2);

    // A cap of zero minutes: never wait.
    env.write_config(&feeds_config(
        "max_retry_after_minutes = 0",
        &[server.url("/forever")],
    ));
    env.run(&["refresh"]);
    assert_eq!(server.requests_to("/forever").len(), 3);
}

#[test]
fn a_far_retry_after_date_is_capped_too() {
    let server = Server::start();
    server.route("/later", |_| {
        Reply::status(429).with_header("Retry-After", "Fri, 31 Dec 2099 23:59:59 GMT")
    });
    let env = Env::new(&feeds_config(
        "max_retry_after_minutes = 0",
        &[server.url("/later")],
    ));
    env.run(&["refresh"]);
    env.run(&["refresh"]);
    assert_eq!(
        server.requests_to("/later").len(),
        2,
        "a cap of zero: the date is not waited for"
    );
}

#[test]
fn a_cap_over_a_day_and_a_bad_user_agent_are_refused_at_their_line() {
    let env = Env::new("[general]\nmax_retry_after_minutes = 2000\n");
    let out = env.run(&["feeds"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success());
    assert!(stderr.contains("config.toml:2:"), "{stderr}");
    assert!(stderr.contains("at most 1440"), "{stderr}");

    env.write_config("[general]\nuser_agent = \"bulletin\\r\\nX-Evil: 1\"\n");
    let out = env.run(&["feeds"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success());
    assert!(stderr.contains("config.toml:2:"), "{stderr}");
    assert!(stderr.contains("user_agent"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// A document that stops before its end (the connection cut mid-body, as the server's
/// own validators stay the whole document's): the whole items read are kept, the refresh
/// says so in one line and succeeds, and the validators are not kept, so the next refresh
/// fetches the document whole instead of being told it has not changed.
#[test]
fn a_document_cut_short_is_said_kept_and_fetched_whole_next_time() {
    let server = Server::start();
    let whole = feeds::rss("cut", 3, 1);
    let second_end = whole.match_indices("</item>").nth(1).unwrap().0 + "</item>".len();
    let cut = format!("{}<item><title>half", &whole[..second_end]);
    let served = std::sync::atomic::AtomicUsize::new(0);
    server.route("/feed", move |req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            return Reply::status(304);
        }
        let first = served.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
        let body = if first { cut.clone() } else { whole.clone() };
        Reply::ok("application/rss+xml", body).with_header("ETag", "\"v1\"")
    });
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    let out = env.run(&["refresh"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains(&server.url("/feed")) && err.contains("stops before its end"),
        "{err}"
    );
    assert_eq!(env.titles(&["items", "--json"]).len(), 2);
    let second = refresh_json(&env);
    assert_eq!(second["new_items"], 1, "{second}");
    assert!(second.get("cut_short").is_none(), "{second}");
    let reqs = server.requests_to("/feed");
    assert_eq!(reqs[1].header("if-none-match"), None);
    assert_eq!(refresh_json(&env)["not_modified"], 1);
}
