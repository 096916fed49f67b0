//! The headless CLI contract: config errors, listing, marking, show, probe, OPML.

mod support;

use support::{feeds, feeds_config, Env, Server};

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn config_errors_name_file_line_and_column() {
    let cases = [
        ("[general]\nbogus = 1\n", ":2:1:", "bogus"),
        ("[general]\ntimeout_seconds = \"x\"\n", ":2:19:", "expected"),
        (
            "[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://a.example/\"\n",
            ":4:",
            "duplicate",
        ),
        ("[[feed]]\nurl = \"ftp://a.example/\"\n", ":2:", "scheme"),
        ("[[feed]]\nname = \"no url\"\n", ":1:", "url"),
        ("[general\n", ":1:", ""),
    ];
    for (text, place, word) in cases {
        let env = Env::new(text);
        let out = env.run(&["feeds"]);
        assert!(!out.status.success(), "{text:?} was accepted");
        let err = stderr_of(&out);
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one line for {text:?}: {err}"
        );
        assert!(
            err.contains("config.toml") && err.contains(place),
            "{text:?}: {err}"
        );
        assert!(err.contains(word), "{text:?}: {err}");
    }
    // Saved in Latin-1: the line and column where it stops being UTF-8.
    let env = Env::new("");
    std::fs::write(env.config_path(), b"[general]\nuser_agent = \"caf\xe9\"\n").unwrap();
    let err = stderr_of(&env.run(&["feeds"]));
    assert!(err.contains("config.toml:2:18: not UTF-8"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn a_named_config_that_is_missing_is_an_error() {
    let env = Env::new("");
    std::fs::remove_file(env.config_path()).unwrap();
    let out = env.run(&["feeds"]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("cannot read"));
}

fn served_env(server: &Server) -> Env {
    server.fixed("/one", "application/rss+xml", feeds::rss("one", 3, 1));
    server.fixed("/two", "application/atom+xml", feeds::ATOM);
    let config = format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\nname = \"First\"\ntags = [\"news\", \"daily\"]\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/one"),
        server.url("/two")
    );
    let env = Env::new(&config);
    env.ok(&["refresh"]);
    env
}

#[test]
fn feeds_and_items_json() {
    let server = Server::start();
    let env = served_env(&server);
    let feeds = env.json(&["feeds", "--json"]);
    let list = feeds.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let keys: Vec<&String> = list[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "title",
            "url",
            "tags",
            "unread",
            "total",
            "last_error",
            "last_success",
            "consecutive_failures",
            "newest_item",
            "moved_from",
            "status"
        ]
    );
    assert_eq!(list[0]["title"], "First");
    assert_eq!(list[0]["tags"], serde_json::json!(["news", "daily"]));
    assert_eq!(
        list[1]["title"], "Atom & friends",
        "the feed's own title, entities decoded"
    );

    let items = env.json(&["items", "--json"]);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 4);
    let keys: Vec<&String> = items[0].as_object().unwrap().keys().collect();
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
    // Newest first.
    let dates: Vec<&str> = items
        .iter()
        .map(|i| i["published"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);

    let only = env.json(&["items", "--feed", "First", "--json"]);
    assert_eq!(only.as_array().unwrap().len(), 3);
    let by_url = env.json(&["items", "--feed", &server.url("/two"), "--json"]);
    assert_eq!(by_url[0]["title"], "First post");
    assert_eq!(
        by_url[0]["link"], "https://atom.example/blog/posts/1",
        "xml:base resolves links"
    );
    let out = env.run(&["items", "--feed", "nope"]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("nope"));
}

#[test]
fn mark_read_and_unread() {
    let server = Server::start();
    let env = served_env(&server);
    let items = env.json(&["items", "--json"]);
    let id = items[0]["id"].to_string();
    env.ok(&["mark-read", &id]);
    assert_eq!(
        env.json(&["items", "--unread", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    env.ok(&["mark-unread", &id]);
    assert_eq!(
        env.json(&["items", "--unread", "--json"])
            .as_array()
            .unwrap()
            .len(),
        4
    );
    env.ok(&["mark-read", "--feed", "First"]);
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[0]["unread"], 0);
    assert_eq!(feeds[1]["unread"], 1);
    env.ok(&["mark-read", "--all"]);
    assert_eq!(
        env.json(&["items", "--unread", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert!(
        !env.run(&["mark-read"]).status.success(),
        "nothing to mark is a usage error"
    );
}

#[test]
fn show_renders_the_article() {
    let server = Server::start();
    let env = served_env(&server);
    let items = env.json(&["items", "--feed", &server.url("/two"), "--json"]);
    let id = items[0]["id"].to_string();
    let text = env.ok(&["show", &id, "--width", "60"]);
    assert!(text.starts_with("First post\n"), "{text}");
    assert!(text.contains("Author: Ada"));
    assert!(text.contains("See the other post[1]."), "{text}");
    assert!(
        text.contains("[1] https://atom.example/blog/other"),
        "relative link resolved against the root's xml:base: {text}"
    );
    // Narrower than the address: it is printed whole, to be copied, not cut over lines.
    let narrow = env.ok(&["show", &id, "--width", "20"]);
    assert!(
        narrow.contains("[1] https://atom.example/blog/other\n"),
        "{narrow}"
    );
    assert!(
        narrow.contains("Link: https://atom.example/blog/posts/1\n"),
        "{narrow}"
    );
    assert!(
        text.contains("Enclosure: https://atom.example/a.mp3 (audio/mpeg, 1.2 KiB)"),
        "{text}"
    );
    assert!(text
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 60));
    let out = env.run(&["show", "999999"]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("999999"));
}

#[test]
fn probe_json_has_the_exact_shape() {
    let server = Server::start();
    server.fixed("/atom", "application/atom+xml", feeds::ATOM);
    let env = Env::bare("");
    let v = env.json(&["probe", &server.url("/atom"), "--json"]);
    let top: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(top, ["feed", "items"]);
    let feed: Vec<&String> = v["feed"].as_object().unwrap().keys().collect();
    assert_eq!(feed, ["title", "link", "description"]);
    let item = &v["items"][0];
    let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "title",
            "link",
            "author",
            "published",
            "updated",
            "summary",
            "content",
            "enclosures"
        ]
    );
    assert_eq!(item["id"], "urn:atom:1");
    assert_eq!(item["title"], "First post");
    assert_eq!(item["updated"], "2026-11-01T10:00:00Z");
    assert_eq!(item["published"], serde_json::Value::Null);
    assert_eq!(item["summary"], serde_json::Value::Null);
    // The content's relative link resolves against the xml:base in scope (the root's),
    // as RFC 4287 has it, not against the entry's link (blog/posts/1).
    assert_eq!(
        item["content"],
        "See the other post[1].\n\nLinks\n[1] https://atom.example/blog/other"
    );
    assert_eq!(
        item["enclosures"],
        serde_json::json!([{"url": "https://atom.example/a.mp3", "type": "audio/mpeg", "length": 1234}])
    );
    // Probe never touched a cache.
    assert!(!env.data_dir().join("cache.db").exists());
}

#[test]
fn probe_reads_paths_and_fails_in_one_line() {
    let env = Env::new("");
    let path = env.path().join("feed.json");
    std::fs::write(&path, feeds::JSON_FEED).unwrap();
    let v = env.json(&["probe", path.to_str().unwrap(), "--json"]);
    assert_eq!(v["feed"]["title"], "JSON one");
    assert_eq!(v["items"][0]["content"], "Hi there");
    assert_eq!(v["items"][0]["author"], "Jo");

    for garbage in [
        "<html><body>hello</body></html>",
        "not a feed at all",
        "",
        "<opml version=\"2.0\"><body/></opml>",
        "<?xml version=\"1.0\"?><note><to>you</to></note>",
    ] {
        let bad = env.path().join("bad.xml");
        std::fs::write(&bad, garbage).unwrap();
        let out = env.run(&["probe", bad.to_str().unwrap()]);
        assert!(!out.status.success(), "{garbage:?} was accepted");
        let err = stderr_of(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("bad.xml"), "{err}");
    }
    // An address without a scheme is a web address, as `add` reads it (https), not a
    // file that is not there.
    // (The option after the address, as people type it.)
    let out = env.run(&["probe", "127.0.0.1:9/feed.xml", "--json"]);
    let err = stderr_of(&out);
    assert!(!out.status.success());
    assert!(err.contains("https://127.0.0.1:9/feed.xml"), "{err}");
    assert!(!err.contains("No such file"), "{err}");
}

#[test]
fn opml_import_export_round_trip() {
    let env = Env::new("# my feeds\n[general]\nrefresh_on_startup = false # keep\n");
    let opml = env.path().join("subs.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
        <outline text="Security"><outline text="Weekly" type="rss" xmlUrl="https://sec.example/feed"/>
          <outline text="Deep"><outline text="Nested" xmlUrl="https://deep.example/rss"/></outline></outline>
        <outline text="Loose" xmlUrl="https://loose.example/atom"/>
        <outline text="News"><outline text="Again" xmlUrl="https://loose.example/atom"/></outline>
        </body></opml>"#,
    )
    .unwrap();
    let out = env.run(&["import-opml", opml.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Imported 3 feeds"));
    // One feed in two places of the file (Feedly's two folders): one feed, both tags.
    let loose = env.json(&["feeds", "--json"]);
    let loose = loose
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == "https://loose.example/atom")
        .unwrap()
        .clone();
    assert_eq!(loose["tags"], serde_json::json!(["News"]), "{loose}");
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(text.starts_with("# my feeds\n"), "comments kept: {text}");
    assert!(text.contains("# keep"));
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[1]["tags"], serde_json::json!(["Security", "Deep"]));

    let exported = env.ok(&["export-opml"]);
    assert!(exported.contains("<opml version=\"2.0\">"));
    let again = Env::new("");
    let file = again.path().join("out.opml");
    std::fs::write(&file, &exported).unwrap();
    again.ok(&["import-opml", file.to_str().unwrap()]);
    let a = Env::new(&std::fs::read_to_string(env.config_path()).unwrap());
    let b = std::fs::read_to_string(again.config_path()).unwrap();
    let b = Env::new(&b);
    let list = |e: &Env| {
        let v = e.json(&["feeds", "--json"]);
        let mut rows: Vec<(String, String, String)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["url"].to_string(),
                    f["title"].to_string(),
                    f["tags"].to_string(),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(list(&a), list(&b));
}

#[test]
fn refresh_with_a_bad_cache_fails_in_one_line_and_keeps_the_file() {
    let env = Env::new(&feeds_config("", &[]));
    std::fs::create_dir_all(env.data_dir()).unwrap();
    let db = env.data_dir().join("cache.db");
    std::fs::write(&db, b"this is not sqlite, it is someone's notes").unwrap();
    let out = env.run(&["refresh"]);
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert_eq!(err.trim_end().lines().count(), 1);
    assert!(
        err.contains("cache.db") && err.contains("--data-dir"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        b"this is not sqlite, it is someone's notes"
    );
}

#[test]
fn completions_and_man_page() {
    let env = Env::new("");
    // The scripts call bulletin back as the user types (the subcommands and feed names
    // come from it then: tests/install.rs completes them through bash).
    for shell in ["bash", "zsh", "fish"] {
        let script = env.ok(&["completions", shell]);
        assert!(
            script.contains("COMPLETE") && script.contains("bulletin"),
            "{shell}: {script}"
        );
    }
    let man = env.ok(&["man"]);
    assert!(man.contains(".TH bulletin 1"));
    assert!(man.contains("export\\-opml") || man.contains("export-opml"));
    assert!(!env.run(&["completions", "tcsh"]).status.success());
}

#[test]
fn the_tui_without_a_terminal_is_a_one_line_error() {
    let env = Env::new("[general]\nrefresh_on_startup = false\n");
    let out = env.run(&[]);
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn read_only_commands_write_nothing() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("ro", 3, 1));
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    env.ok(&["refresh"]);
    // Another process holds the write lock (a refresh writing, say): listing does not
    // wait for it, because listing writes nothing.
    let db = env.data_dir().join("cache.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let feeds = env.json(&["feeds", "--json"]);
    assert_eq!(feeds[0]["total"], 3);
    let items = env.json(&["items", "--json"]);
    assert_eq!(items.as_array().unwrap().len(), 3);
    conn.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn feed_paths_resolve_as_the_config_does() {
    let env = Env::new("");
    let feed = env.path().join("local.xml");
    std::fs::write(&feed, feeds::rss("local", 2, 1)).unwrap();
    env.write_config("[[feed]]\nurl = \"local.xml\"\nname = \"Local\"\n");
    env.ok(&["refresh"]);
    // From another working directory, the path as written in the config finds it.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = env
        .command(&["items", "--feed", "local.xml", "--json"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 2);
}

#[test]
fn marking_unknown_ids_is_an_error_and_the_known_ones_are_marked() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("mk", 3, 1));
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    env.ok(&["refresh"]);
    let items = env.json(&["items", "--json"]);
    let id = items[0]["id"].to_string();
    let out = env.run(&["mark-read", &id, "999999"]);
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("999999"), "{err}");
    assert_eq!(
        env.json(&["items", "--unread", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let out = env.run(&["mark-unread", "999999"]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("no item with id 999999"));
}

#[test]
fn mark_unread_by_feed_or_all_and_items_filters() {
    let server = Server::start();
    server.fixed("/a", "application/rss+xml", feeds::rss("alpha", 3, 1));
    server.fixed("/b", "application/rss+xml", feeds::rss("beta", 2, 1));
    let env = Env::new(&format!(
        "[[feed]]\nurl = \"{}\"\nname = \"Alpha Weekly\"\n[[feed]]\nurl = \"{}\"\nname = \"Alpine notes\"\n",
        server.url("/a"),
        server.url("/b")
    ));
    env.ok(&["refresh"]);
    env.ok(&["mark-read", "--all"]);
    assert!(env
        .json(&["items", "--unread", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
    // A unique prefix, in any case.
    env.ok(&["mark-unread", "--feed", "alpha"]);
    assert_eq!(
        env.json(&["items", "--unread", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // An ambiguous one names the candidates.
    let out = env.run(&["items", "--feed", "alp"]);
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("Alpha Weekly") && err.contains("Alpine notes"),
        "{err}"
    );
    env.ok(&["mark-unread", "--all"]);
    assert_eq!(
        env.json(&["items", "--unread", "--json"])
            .as_array()
            .unwrap()
            .len(),
        5
    );
    // --limit and --starred.
    assert_eq!(
        env.json(&["items", "--limit", "2", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(env
        .json(&["items", "--starred", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn init_writes_the_commented_config_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sub").join("config.toml");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["init"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("[general]") && text.contains("# "), "{text}");
    // The config it wrote is valid.
    assert!(run(&["feeds"]).status.success());
    let again = run(&["init"]);
    assert!(!again.status.success());
    assert!(stderr_of(&again).contains("exists already"));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), text);
}

#[test]
fn listing_with_no_config_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .env("XDG_CONFIG_HOME", dir.path().join("cfg"))
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("feeds")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains("no config") && err.contains("bulletin init"),
        "{err}"
    );
}

#[test]
fn every_flag_and_argument_has_help() {
    let env = Env::new("");
    let top = String::from_utf8(env.run(&["--help"]).stdout).unwrap();
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() > 10, "{top}");
    for command in commands {
        let help = String::from_utf8(env.run(&[&command, "--help"]).stdout).unwrap();
        let lines: Vec<&str> = help.lines().collect();
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| {
            l.trim_start().starts_with('-')
                || l.trim_start().starts_with('<')
                || l.trim_start().starts_with('[')
        }) {
            // "  --json  Print ..." : after the flag (or argument) and its value name,
            // words that say what it is.
            let described = line
                .split_whitespace()
                .find(|w| {
                    !(w.starts_with('-')
                        || w.starts_with('<')
                        || w.starts_with('[')
                        || w.ends_with(','))
                })
                .is_some()
                // Long help puts the words on the next line, further in.
                || lines.get(i + 1).is_some_and(|next| {
                    next.starts_with("          ") && !next.trim().is_empty()
                });
            assert!(
                described,
                "bulletin {command}: no help for {line:?}\n{help}"
            );
        }
    }
}

/// Issue 27: text from the config reaches the terminal as feed text does, cleaned: a tag
/// with an OSC sequence in `feeds`, a quoted key with ESC in the config's error.
#[test]
fn config_text_is_cleaned_before_it_reaches_the_terminal() {
    let env = support::Env::new(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"https://a.example/feed\"\nname = \"Name\\u001b[2J\"\ntags = [\"news\\u001b]0;pwned\\u0007\"]\n",
    );
    let out = env.ok(&["feeds"]);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("news"), "{out}");
    env.write_config("[general]\n\"bad\\u001b]0;x\\u0007key\" = 1\n");
    let run = env.run(&["feeds"]);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn a_new_cache_is_said_once_and_a_missing_config_names_init() {
    let env = Env::bare("");
    let out = env.run(&["feeds"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("bulletin: new cache at ").count(), 1, "{err}");
    assert!(err.contains(&env.data_dir().display().to_string()), "{err}");
    let again = env.run(&["feeds"]);
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // --config naming a file that is not there: the error says how to make one.
    let missing = env.path().join("other.toml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .arg("--config")
        .arg(&missing)
        .arg("--data-dir")
        .arg(env.data_dir())
        .arg("feeds")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("bulletin init --config {}", missing.display())),
        "{err}"
    );
}

#[test]
fn a_search_with_nothing_to_search_is_a_usage_error_with_a_column() {
    let env = Env::new("");
    for query in ["title:", "\"\"", "-", "  ", "is:"] {
        let out = env.run(&["search", query]);
        assert_eq!(out.status.code(), Some(2), "{query:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("column "), "{query:?}: {err}");
    }
    let out = env.run(&["search", "nothing-matches-this"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn add_without_a_scheme_tries_https_then_http_and_says_which() {
    let server = Server::start();
    server.fixed(
        "/feed.xml",
        "application/rss+xml",
        feeds::rss("plain", 2, 1),
    );
    let env = Env::new("");
    let bare = server.url("/feed.xml").replace("http://", "");
    let out = env.run(&["add", &bare]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let port = bare.split(':').nth(1).unwrap().split('/').next().unwrap();
    assert!(
        err.contains(&format!("does not speak TLS on port {port}"))
            && err.contains(&format!("http://{bare} answered")),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("<http://{bare}>")), "{stdout}");
    // Asked for https by name: the error is worded for people, in one line.
    let out = env.run(&["probe", &format!("https://{bare}")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("does not speak TLS"), "{err}");
    assert!(!err.contains("InvalidContentType"), "{err}");
    // mark-read --feed says how many it marked.
    let marked = env.ok(&["mark-read", "--feed", "plain"]);
    assert_eq!(marked.trim(), "Marked 2 articles of plain read");
    let again = env.ok(&["mark-read", "--feed", "plain"]);
    assert_eq!(again.trim(), "Marked 0 articles of plain read");
}

/// Found in a trial: two feeds of one name were told apart by nobody, and `remove`
/// dropped the first; the suggested `bulletin init --config FILE` did not parse.
#[test]
fn two_feeds_of_one_name_are_asked_about_and_options_go_anywhere() {
    let server = Server::start();
    server.fixed(
        "/a.xml",
        "application/rss+xml",
        feeds::rss("Alpha News", 2, 1),
    );
    server.fixed(
        "/b.xml",
        "application/rss+xml",
        feeds::rss("Alpha News", 2, 1),
    );
    let env = Env::new(&feeds_config(
        "",
        &[server.url("/a.xml"), server.url("/b.xml")],
    ));
    env.ok(&["refresh"]);
    for args in [
        vec!["remove", "Alpha News"],
        vec!["mark-read", "--feed", "alpha news"],
        vec!["items", "--feed", "Alpha"],
    ] {
        let out = env.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("matches 2 feeds") && err.contains(&server.url("/b.xml")),
            "{args:?}: {err}"
        );
    }
    assert_eq!(env.json(&["feeds", "--json"]).as_array().unwrap().len(), 2);
    // Global options after the subcommand, as the missing-config error suggests.
    let other = env.path().join("other.toml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["init", "--config"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(other.exists());
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .arg("feeds")
        .arg("--config")
        .arg(env.config_path())
        .arg("--data-dir")
        .arg(env.data_dir())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Alpha News"));
}

/// A proxy variable the connection went through is named when it fails (a stale
/// `http_proxy` read as the feed's server being down), without its password; a host
/// `no_proxy` lists is reached directly.
#[test]
fn a_failed_connection_through_a_proxy_names_the_proxy() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("proxied", 1, 1));
    let probe = |proxy: &str, no_proxy: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"))
            .env_remove("HTTP_PROXY")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .env_remove("NO_PROXY")
            .env("http_proxy", proxy)
            .env("no_proxy", no_proxy)
            .args(["probe", &server.url("/feed")])
            .output()
            .unwrap();
        (out.status.success(), stderr_of(&out))
    };
    // Port 9 on loopback: nothing listens (discard is not run here).
    let (ok, err) = probe("http://user:secret@127.0.0.1:9", "");
    assert!(!ok);
    assert!(
        err.contains("through the proxy http://127.0.0.1:9 that http_proxy names"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
    let (ok, err) = probe("http://127.0.0.1:9", "localhost,127.0.0.1");
    assert!(ok, "{err}");
}

/// What OPML has no word for comes back from bulletin's own export: a hidden feed (an
/// attribute of bulletin's namespace, declared only then) and a tag with a comma in it
/// (`category` is a comma-separated list).
#[test]
fn an_opml_export_gives_back_hidden_feeds_and_tags_with_commas() {
    let env = Env::new(
        "[[feed]]\nurl = \"https://a.example/feed\"\nhidden = true\ntags = [\"news, daily\", \"100%\"]\n\n[[feed]]\nurl = \"https://b.example/feed\"\n",
    );
    let exported = env.ok(&["export-opml"]);
    assert!(exported.contains("xmlns:bulletin="), "{exported}");
    let again = Env::new("");
    let file = again.path().join("out.opml");
    std::fs::write(&file, &exported).unwrap();
    again.ok(&["import-opml", file.to_str().unwrap()]);
    let config = std::fs::read_to_string(again.config_path()).unwrap();
    let parsed =
        bulletin::config::Config::parse(&config, std::path::Path::new("/c/config.toml")).unwrap();
    let a = parsed
        .feeds
        .iter()
        .find(|f| f.url == "https://a.example/feed")
        .unwrap();
    assert!(a.hidden, "{config}");
    assert_eq!(a.tags, ["news, daily", "100%"], "{config}");
    let b = parsed
        .feeds
        .iter()
        .find(|f| f.url == "https://b.example/feed")
        .unwrap();
    assert!(!b.hidden);
    // Without a hidden feed the file reads as it always did.
    let plain = Env::new("[[feed]]\nurl = \"https://b.example/feed\"\n");
    assert!(plain
        .ok(&["export-opml"])
        .contains("<opml version=\"2.0\">"));
}
