//! Migration from newsboat, against a urls file and a cache written by the real newsboat.

mod support;

use std::process::Command;
use support::{feeds, Env, Server};

#[test]
fn urls_and_read_marks_come_over_from_newsboat() {
    let found = Command::new("newsboat").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "newsboat is required for the migration test (.ci/run installs it)"
    );
    let server = Server::start();
    server.fixed("/a.xml", "application/rss+xml", feeds::rss("nba", 4, 1));
    server.fixed("/b.xml", "application/rss+xml", feeds::rss("nbb", 2, 1));
    let env = Env::new("# my bulletin config\n");
    std::fs::remove_file(env.config_path()).unwrap();
    let home = env.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let urls = env.path().join("urls");
    std::fs::write(
        &urls,
        format!(
            "# newsboat feeds\n{} \"security news\" weekly \"~Alpha bulletin\"\n{}\n\"query:Unread Articles:unread = \\\"yes\\\"\"\nexec:~/bin/make-feed.sh\nfilter:~/bin/f.py:{}\n",
            server.url("/a.xml"),
            server.url("/b.xml"),
            server.url("/filtered")
        ),
    )
    .unwrap();
    let cache = env.path().join("cache.db");
    let done = Command::new("newsboat")
        .args(["-x", "reload", "-C", "/dev/null"])
        .arg("-u")
        .arg(&urls)
        .arg("-c")
        .arg(&cache)
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "newsboat: {}",
        String::from_utf8_lossy(&done.stderr)
    );
    // Reading in newsboat sets unread = 0; do that for two items of feed a.
    let conn = rusqlite::Connection::open(&cache).unwrap();
    let n = conn
        .execute(
            "UPDATE rss_item SET unread = 0 WHERE guid IN ('nba-1', 'nba-3')",
            [],
        )
        .unwrap();
    assert_eq!(n, 2, "newsboat stored the guids");
    drop(conn);

    let out = env.run(&[
        "import-newsboat",
        urls.to_str().unwrap(),
        "--cache",
        cache.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for line in [
        ":4: skipped \"query:",
        ":5: skipped exec:",
        ":6: skipped filter:",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Imported 2 feeds"), "{stdout}");
    assert!(stdout.contains("Read marks: 2 from newsboat"), "{stdout}");

    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[0]["title"], "Alpha bulletin");
    assert_eq!(
        feeds[0]["tags"],
        serde_json::json!(["security news", "weekly"])
    );
    assert_eq!(feeds[1]["tags"], serde_json::json!([]));

    // The articles arrive with the first refresh, already read where they were in newsboat.
    env.ok(&["refresh"]);
    let items = env.json(&["items", "--json"]);
    let mut read: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["read"] == true)
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    read.sort();
    assert_eq!(read, vec!["nba item 1", "nba item 3"]);
    // Marked unread here, they stay unread on the next refresh.
    let id = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "nba item 1")
        .unwrap()["id"]
        .to_string();
    env.ok(&["mark-unread", &id]);
    env.ok(&["refresh"]);
    let unread = env.json(&["items", "--unread", "--json"]);
    assert_eq!(unread.as_array().unwrap().len(), 5);

    // Importing again skips what is there.
    let again = env.run(&[
        "import-newsboat",
        urls.to_str().unwrap(),
        "--cache",
        cache.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("Imported 0 feeds"));
    // The marks remembered for later refreshes are kept once, however often imported.
    let db = rusqlite::Connection::open(env.data_dir().join("cache.db")).unwrap();
    let remembered: i64 = db
        .query_row("SELECT count(*) FROM imported_read", [], |r| r.get(0))
        .unwrap();
    assert_eq!(remembered, 2);
}
