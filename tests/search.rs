//! Search from the command line over a real cache filled by a real refresh from a
//! loopback server: the query language, saved searches as feeds, filters on arrival.

mod support;

use support::{Env, Server};

fn rss(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut s = format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://example.org/</link>");
    for (i, (t, body, date)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><title>{t}</title><link>https://example.org/{title}/{i}</link><guid>{title}-{i}</guid>\
             <pubDate>{date}</pubDate><description><![CDATA[{body}]]></description></item>"
        ));
    }
    s + "</channel></rss>"
}

fn env(server: &Server, extra: &str) -> Env {
    server.fixed(
        "/sec",
        "application/rss+xml",
        rss(
            "Security Weekly",
            &[
                (
                    "Passkeys arrive everywhere",
                    "<p>Rotate your tokens before <b>Friday</b>.</p>",
                    "Mon, 02 Mar 2026 10:00:00 GMT",
                ),
                (
                    "Sponsored: the passkeys vendor",
                    "<p>Buy now.</p>",
                    "Tue, 03 Mar 2026 10:00:00 GMT",
                ),
                (
                    "CVE-2026-1234 in the kernel",
                    "<p>Patch the kernel; the café wifi is not the risk.</p>",
                    "Wed, 04 Nov 2026 10:00:00 GMT",
                ),
            ],
        ),
    );
    server.fixed(
        "/harbour",
        "application/rss+xml",
        rss(
            "Harbour Notes",
            &[(
                "Ferry timetable",
                "<p>The Café by the pier opens on Passkey day.</p>",
                "Thu, 05 Mar 2026 10:00:00 GMT",
            )],
        ),
    );
    let config = format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\ntags = [\"security\"]\n\n[[feed]]\nurl = \"{}\"\nname = \"Harbour\"\n{extra}",
        server.url("/sec"),
        server.url("/harbour")
    );
    let env = Env::new(&config);
    env.ok(&["refresh"]);
    env
}

fn titles(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    env.titles(&all)
}

#[test]
fn search_answers_the_query_language() {
    let server = Server::start();
    let env = env(&server, "");
    let out = env.json(&["search", "--json", "passkeys"]);
    let first = out.as_array().unwrap()[0].as_object().unwrap();
    let keys: Vec<&String> = first.keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "feed",
            "title",
            "link",
            "published",
            "read",
            "starred",
            "story"
        ]
    );
    assert_eq!(
        titles(&env, &["PASSKEYS"]),
        [
            "Passkeys arrive everywhere",
            "Sponsored: the passkeys vendor"
        ]
    );
    assert_eq!(
        titles(&env, &["cafe"]),
        ["CVE-2026-1234 in the kernel", "Ferry timetable"]
    );
    assert_eq!(
        titles(&env, &["passkey*", "-sponsored"]),
        ["Ferry timetable", "Passkeys arrive everywhere"]
    );
    assert_eq!(
        titles(&env, &["\"rotate your tokens\""]),
        ["Passkeys arrive everywhere"]
    );
    assert_eq!(
        titles(&env, &["cve-2026-1234"]),
        ["CVE-2026-1234 in the kernel"]
    );
    assert_eq!(
        titles(&env, &["title:ferry OR title:kernel"]),
        ["CVE-2026-1234 in the kernel", "Ferry timetable"]
    );
    assert_eq!(
        titles(&env, &["tag:security", "cafe"]),
        ["CVE-2026-1234 in the kernel"]
    );
    assert_eq!(titles(&env, &["feed:harbour"]), ["Ferry timetable"]);
    assert_eq!(
        titles(&env, &["security weekly kernel"]),
        ["CVE-2026-1234 in the kernel"],
        "the feed's name is searched"
    );
    assert_eq!(
        titles(&env, &["passkey*", "after:2026-03-03", "before:2026-03-05"]),
        ["Sponsored: the passkeys vendor"]
    );
    assert_eq!(
        titles(&env, &["--limit", "1", "passkey*", "-sponsored", "-ferry"]).len(),
        1
    );
    // State filters follow marks.
    let id = env.json(&["search", "--json", "title:ferry"])[0]["id"]
        .as_i64()
        .unwrap();
    env.ok(&["mark-read", &id.to_string()]);
    assert_eq!(
        titles(&env, &["cafe", "is:unread"]),
        ["CVE-2026-1234 in the kernel"]
    );
    assert_eq!(titles(&env, &["cafe", "is:read"]), ["Ferry timetable"]);
    // Plain text output, one line per article.
    let text = env.ok(&["search", "kernel"]);
    assert_eq!(text.lines().count(), 1);
    assert!(text.contains("CVE-2026-1234 in the kernel"), "{text}");
}

#[test]
fn a_malformed_query_is_one_line_and_never_sqlite() {
    let server = Server::start();
    let env = env(&server, "");
    for bad in [
        "\"open",
        "(cve",
        "auther:x",
        "is:new",
        "after:soon",
        "OR",
        "feed:nowhere",
        "a OR -b",
    ] {
        let out = env.run(&["search", bad]);
        assert!(!out.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{bad}: {err}");
        for leak in ["fts5", "sqlite", "SQL", "syntax error"] {
            assert!(!err.contains(leak), "{bad}: {err}");
        }
    }
    // Words FTS5 would read as its own syntax are only words here.
    for odd in [
        "NEAR", "AND", "NOT", "title:*", "x:y\"", "\"\"", "*", "^kernel", "{title}",
    ] {
        let out = env.run(&["search", "--", odd]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("fts5") && !err.contains("panicked"),
            "{odd}: {err}"
        );
    }
}

#[test]
fn saved_searches_work_where_feed_names_do() {
    let server = Server::start();
    let env = env(
        &server,
        "\n[[query]]\nname = \"Passkey news\"\nquery = \"passkey* -sponsored\"\n",
    );
    let items = env.json(&["items", "--feed", "Passkey news", "--json"]);
    let got: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    // Newest first, as `items` lists any feed (relevance put the title match first).
    assert_eq!(got, ["Ferry timetable", "Passkeys arrive everywhere"]);
    let searched = env.json(&["search", "--json", "passkey* -sponsored"]);
    assert_eq!(
        searched[0]["title"], "Passkeys arrive everywhere",
        "a search ranks: {searched}"
    );
    env.ok(&["mark-read", "--feed", "passkey NEWS"]);
    let unread = env.json(&["items", "--unread", "--json"]);
    let left: Vec<&str> = unread
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left.iter()
            .all(|t| !t.contains("Ferry") && !t.contains("arrive")),
        "{left:?}"
    );
}

#[test]
fn filters_act_on_arrival_and_hidden_articles_stay_findable() {
    let server = Server::start();
    let env = env(
        &server,
        "\n[[filter]]\nquery = \"title:sponsored\"\naction = \"hide\"\n\n[[filter]]\nquery = \"kernel\"\naction = \"star\"\n\n[[filter]]\nquery = \"feed:harbour\"\naction = \"mark_read\"\n",
    );
    let items = env.json(&["items", "--json"]);
    let list = items.as_array().unwrap();
    assert_eq!(list.len(), 3, "the hidden one is not listed: {list:?}");
    let by_title = |t: &str| {
        list.iter()
            .find(|i| i["title"].as_str().unwrap().contains(t))
            .unwrap()
            .clone()
    };
    assert_eq!(by_title("kernel")["starred"], true);
    assert_eq!(by_title("Ferry")["read"], true);
    assert_eq!(by_title("arrive")["read"], false);
    assert_eq!(
        titles(&env, &["is:hidden"]),
        ["Sponsored: the passkeys vendor"]
    );
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(
        feeds[0]["unread"], 2,
        "hidden articles arrive read: {feeds}"
    );
    assert_eq!(feeds[0]["total"], 2, "counted as listed: {feeds}");
    // Made unread with the rest, the hidden one is still counted nowhere a list does
    // not show it (it made 4 unread over 3 rows).
    env.ok(&["mark-unread", "--all"]);
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(
        (&feeds[0]["unread"], &feeds[0]["total"]),
        (&2.into(), &2.into()),
        "{feeds}"
    );
    // A second refresh changes nothing: rules act on new articles only.
    env.ok(&["refresh"]);
    assert_eq!(
        env.json(&["items", "--unread", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn bad_queries_and_filters_in_the_config_name_file_line_and_column() {
    for (extra, at, needle) in [
        (
            "[[query]]\nname = \"Q\"\nquery = \"cve OR\"\n",
            ":3:14:",
            "OR needs",
        ),
        ("[[query]]\nname = \"Q\"\nquery = \"\"\n", ":3:9:", "empty"),
        ("[[query]]\nname = \"\"\nquery = \"x\"\n", ":2:8:", "name"),
        (
            "[[query]]\nname = \"Q\"\nquery = \"x\"\n[[query]]\nname = \"Q\"\nquery = \"y\"\n",
            ":5:8:",
            "already",
        ),
        (
            "[[filter]]\nquery = \"x\"\naction = \"delete\"\n",
            ":3:10:",
            "mark_read",
        ),
        (
            "[[filter]]\nquery = \"is:new\"\naction = \"hide\"\n",
            ":2:10:",
            "is:new",
        ),
        ("[[filter]]\nquery = \"x\"\n", ":1:1:", "action"),
    ] {
        let env = Env::new(extra);
        let out = env.run(&["feeds"]);
        assert!(!out.status.success(), "{extra}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(at) && err.contains(needle), "{extra}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

#[test]
fn a_big_backlog_is_indexed_with_a_progress_line_before_the_answer() {
    let server = Server::start();
    let items: Vec<(String, String, String)> = (0..2100)
        .map(|i| {
            (
                format!("Bulletin {i}"),
                format!("<p>word{i} and the common one</p>"),
                "Mon, 02 Mar 2026 10:00:00 GMT".to_string(),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    server.fixed("/big", "application/rss+xml", rss("Big", &refs));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n[[feed]]\nurl = \"{}\"\n",
        server.url("/big")
    ));
    env.ok(&["refresh"]);
    let out = env.run(&["search", "--json", "word2099"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("indexing 2100 articles for search"), "{err}");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["title"], "Bulletin 2099");
    // The next search has nothing left to index: no progress line.
    let again = env.run(&["search", "common"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
    assert_eq!(String::from_utf8_lossy(&again.stdout).lines().count(), 2100);
}

/// The global options written after a search's words, as people type them: the config,
/// the cache and the log level are those named, not refused as unknown options.
#[test]
fn global_options_after_the_query_name_the_config_and_cache() {
    let server = Server::start();
    let env = env(&server, "");
    let config = env.config_path();
    let data = env.data_dir();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["search", "passkeys", "--json", "--config"])
        .arg(&config)
        .arg(format!("--data-dir={}", data.display()))
        .args(["--log-level", "debug", "--limit", "1"])
        .env_remove("BULLETIN_CONFIG")
        .env_remove("BULLETIN_DATA_DIR")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert!(found[0]["title"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("passkeys"));
}
