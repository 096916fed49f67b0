//! Migration from newsboat, against a urls file and a cache written by the real newsboat:
//! tags, titles, hidden feeds, `exec:` and `filter:` feeds run as newsboat ran them, a
//! `query:` that translates and one that does not, and the read marks of all of them.

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
    server.fixed("/filtered", "application/rss+xml", feeds::rss("nbf", 2, 1));
    let env = Env::new("# my bulletin config\n");
    std::fs::remove_file(env.config_path()).unwrap();
    let home = env.path().join("home");
    std::fs::create_dir_all(home.join("bin")).unwrap();
    let exec_feed = feeds::rss("nbexec", 3, 1);
    for (name, body) in [
        ("make-feed.sh", format!("cat <<'X'\n{exec_feed}\nX")),
        ("f.sh", "sed 's/ item / filtered item /'".to_string()),
    ] {
        let path = home.join("bin").join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Where newsboat keeps them without ~/.newsboat: found there with no arguments.
    let xdg_config = home.join("xdg-config");
    let xdg_data = home.join("xdg-data");
    std::fs::create_dir_all(xdg_config.join("newsboat")).unwrap();
    std::fs::create_dir_all(xdg_data.join("newsboat")).unwrap();
    let urls = xdg_config.join("newsboat/urls");
    std::fs::write(
        &urls,
        format!(
            "# newsboat feeds\n{} \"security news\" weekly \"~Alpha bulletin\" # was: \"old\"\n{} !\n\"query:Unread Articles:unread = \\\"yes\\\"\"\nexec:~/bin/make-feed.sh scripts\nfilter:~/bin/f.sh:{}\n\"query:Links:link =~ \\\"x\\\"\"\n",
            server.url("/a.xml"),
            server.url("/b.xml"),
            server.url("/filtered")
        ),
    )
    .unwrap();
    let cache = xdg_data.join("newsboat/cache.db");
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
            "UPDATE rss_item SET unread = 0 WHERE guid IN ('nba-1', 'nba-3', 'nbexec-2', 'nbf-1')",
            [],
        )
        .unwrap();
    assert_eq!(n, 4, "newsboat stored the guids");
    drop(conn);

    let out = env
        .command(&["import-newsboat"])
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &xdg_config)
        .env("XDG_DATA_HOME", &xdg_data)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The one query that does not translate is said, with its line and why.
    assert!(stderr.contains(":7: skipped \"query:Links"), "{stderr}");
    assert!(
        stderr.contains("link =~ \"x\" has no equivalent"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("skipped").count(), 1, "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Imported 4 feeds"), "{stdout}");
    assert!(
        stdout.contains("Imported 1 query as saved searches"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "Read marks: 4 from newsboat's {}",
            cache.display()
        )),
        "{stdout}"
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    for line in [
        "command = [\"sh\", \"-c\", \"~/bin/make-feed.sh\"]",
        "filter = [\"sh\", \"-c\", \"~/bin/f.sh\"]",
        "hidden = true",
        "name = \"Unread Articles\"",
        "query = \"is:unread\"",
    ] {
        assert!(config.contains(line), "{line} in {config}");
    }

    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[0]["title"], "Alpha bulletin");
    assert_eq!(
        feeds[0]["tags"],
        serde_json::json!(["security news", "weekly"])
    );
    assert_eq!(feeds[1]["tags"], serde_json::json!([]));
    assert_eq!(feeds[1]["hidden"], true);
    assert_eq!(feeds[2]["url"], "exec:~/bin/make-feed.sh");
    assert_eq!(feeds[2]["tags"], serde_json::json!(["scripts"]));
    assert_eq!(feeds[3]["url"], server.url("/filtered"));

    // The articles arrive with the first refresh, already read where they were in newsboat
    // (the commands run as newsboat ran them, through a shell that finds ~ in HOME).
    let refresh = |env: &Env| {
        let out = env
            .command(&["refresh", "--json"])
            .env("HOME", &home)
            .output()
            .unwrap();
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["failed"], 0, "{summary}");
    };
    refresh(&env);
    let items = env.json(&["items", "--json"]);
    let mut read: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["read"] == true)
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    read.sort();
    assert_eq!(
        read,
        vec![
            "nba item 1",
            "nba item 3",
            "nbexec item 2",
            "nbf filtered item 1"
        ]
    );
    // Marked unread here, they stay unread on the next refresh.
    let id = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "nba item 1")
        .unwrap()["id"]
        .to_string();
    env.ok(&["mark-unread", &id]);
    refresh(&env);
    let unread = env.json(&["items", "--unread", "--json"]);
    assert_eq!(unread.as_array().unwrap().len(), 8);
    // The saved search works on them.
    let found = env.json(&["items", "--feed", "Unread Articles", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 8);

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
    assert_eq!(remembered, 4);
}

/// newsboat's config beside its urls file: its browser (as an argv, never a shell line)
/// and its ignore-article rules (filters that hide) come over; the rest is counted.
#[test]
fn browser_and_ignore_rules_come_over_from_newsboats_config() {
    let server = Server::start();
    server.fixed(
        "/sec.xml",
        "application/rss+xml",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Sec</title>\
         <item><title>Passkeys, rotated</title><guid>s-1</guid></item>\
         <item><title>Sponsored: a vault</title><guid>s-2</guid></item>\
         </channel></rss>"
            .to_string(),
    );
    let env = Env::new("# mine\n");
    let dir = env.path().join("nb");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("urls"), format!("{}\n", server.url("/sec.xml"))).unwrap();
    std::fs::write(
        dir.join("config"),
        "color listfocus black yellow\nbrowser \"firefox --new-tab %u\"\n\
         ignore-article \"*\" \"title =~ \\\"Sponsored\\\"\"\n\
         ignore-article \"*\" \"title =~ \\\"^Ad[0-9]+\\\"\"\n\
         auto-reload yes\nreload-time 30\n",
    )
    .unwrap();
    let out = env.run(&["import-newsboat", dir.join("urls").to_str().unwrap()]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Browser: firefox --new-tab %u"), "{stdout}");
    assert!(
        stdout.contains("Imported 1 ignore-article rule as filters"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 line with no equivalent here left as they are (color)"),
        "{stdout}"
    );
    assert!(stdout.contains("Refresh: every 30 minutes"), "{stdout}");
    // The rule with a regular expression is said, with its line.
    assert!(stderr.contains("config:4: skipped"), "{stderr}");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        config.contains("browser = [\"firefox\", \"--new-tab\", \"%u\"]"),
        "{config}"
    );
    assert!(config.contains("refresh_interval_minutes = 30"), "{config}");
    // Run again: nothing is added twice.
    let again = env.ok(&["import-newsboat", dir.join("urls").to_str().unwrap()]);
    assert!(!again.contains("ignore-article"), "{again}");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert_eq!(config.matches("[[filter]]").count(), 1, "{config}");
    env.ok(&["refresh"]);
    assert_eq!(env.titles(&["items", "--json"]), ["Passkeys, rotated"]);
}

/// After `bulletin init` (README's first step), the values it writes are defaults, not
/// choices: newsboat's browser and auto-reload still come over, in place.
#[test]
fn newsboats_settings_come_over_after_init() {
    let env = Env::new(&bulletin::config::init_text());
    let dir = env.path().join("nb");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("urls"), "file:///nowhere/feed.xml\n").unwrap();
    std::fs::write(
        dir.join("config"),
        "browser \"lynx %u\"\nauto-reload yes\nreload-time 15\nrefresh-on-startup no\n",
    )
    .unwrap();
    let stdout = env.ok(&["import-newsboat", dir.join("urls").to_str().unwrap()]);
    assert!(stdout.contains("Browser: lynx %u"), "{stdout}");
    assert!(stdout.contains("Refresh: every 15 minutes"), "{stdout}");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("browser = [\"lynx\", \"%u\"]"), "{config}");
    assert!(config.contains("refresh_interval_minutes = 15"), "{config}");
    assert!(config.contains("refresh_on_startup = false"), "{config}");
    // Once each: the file still loads.
    assert_eq!(
        config.matches("refresh_interval_minutes =").count(),
        1,
        "{config}"
    );
    env.ok(&["feeds"]);
}
