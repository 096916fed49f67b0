//! End to end: the real binary in a real pseudo-terminal (tmux) against a loopback server.
//! Start, navigate, open an article, quit, start again: the read mark is still there.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use support::tmux::Tmux;
use support::{feeds, Env, Server};

#[test]
fn read_marks_survive_a_restart() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("e2e", 3, 1));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\nbrowser = [\"true\"]\n\n[[feed]]\nurl = \"{}\"\nname = \"Loopback news\"\n",
        server.url("/feed")
    ));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("Loopback news");
    tmux.wait_for("All unread (3)");
    // The newest item is "e2e item 2" (dated Nov 03).
    tmux.keys(&["Tab", "Enter"]);
    let screen = tmux.wait_for("Reading time");
    assert!(screen.contains("Body 2 version 1"), "{screen}");
    tmux.keys(&["?"]);
    tmux.wait_for("Keys (? or q closes)");
    tmux.keys(&["q", "q", "q"]);
    tmux.wait_exit();

    let items = env.json(&["items", "--json"]);
    let read: Vec<_> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["read"] == true)
        .collect();
    assert_eq!(read.len(), 1, "{items}");
    assert_eq!(read[0]["title"], "e2e item 2");

    tmux.start(&env);
    tmux.wait_for("Loopback news");
    let screen = tmux.wait_for("All unread (2)");
    assert!(
        screen.contains("2/3"),
        "the feed shows 2 of 3 unread: {screen}"
    );
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

#[test]
fn demo_opens_with_no_config_and_no_network() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::new(dir.path());
    let cfg_home = dir.path().join("config-home");
    let data = dir.path().join("data");
    let home_var = format!("XDG_CONFIG_HOME={}", cfg_home.display());
    tmux.run(&[&home_var], &["--data-dir", data.to_str().unwrap()]);
    let screen = tmux.wait_for("Safe Harbour Weekly");
    assert!(screen.contains("bulletin init"), "{screen}");
    tmux.wait_for("Lantern 3.2.0");
    tmux.keys(&["q"]);
    tmux.wait_exit();
    assert!(!cfg_home.exists(), "the demo writes no config");
}

#[test]
fn a_second_tui_on_the_same_data_dir_says_so() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("lock", 2, 1));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/feed")
    ));
    env.ok(&["refresh"]);
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (2)");
    let out = env.run(&[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already running"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
    // A cron refresh meanwhile is fine.
    env.ok(&["refresh"]);
    tmux.keys(&["q"]);
    tmux.wait_exit();
}

#[test]
fn a_broken_cache_is_moved_aside_only_when_the_user_says_so() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("aside", 2, 1));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/feed")
    ));
    std::fs::create_dir_all(env.data_dir()).unwrap();
    std::fs::write(env.data_dir().join("cache.db"), "my precious notes").unwrap();
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("[y/N]");
    tmux.keys(&["y", "Enter"]);
    tmux.wait_for("All unread (2)");
    tmux.keys(&["q"]);
    tmux.wait_exit();
    let moved: Vec<_> = std::fs::read_dir(env.data_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("cache.db.broken-")
        })
        .collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(
        std::fs::read_to_string(moved[0].path()).unwrap(),
        "my precious notes"
    );
}

#[test]
fn keymap_from_config_reload_on_key_and_sighup_and_a_log() {
    let server = Server::start();
    for name in ["one", "two", "three"] {
        server.fixed(
            &format!("/{name}"),
            "application/rss+xml",
            feeds::rss(name, 1, 1),
        );
    }
    let feed = |name: &str, title: &str| {
        format!(
            "\n[[feed]]\nurl = \"{}\"\nname = \"{title}\"\n",
            server.url(&format!("/{name}"))
        )
    };
    let head =
        "[general]\nrefresh_on_startup = true\n\n[keys]\nnext_unread = [\"x\", \"Ctrl-n\"]\n";
    let env = Env::new(&format!("{head}{}", feed("one", "First feed")));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("First feed");
    tmux.keys(&["?"]);
    let help = tmux.wait_for("Keys (? or q closes)");
    assert!(
        help.contains("x, Ctrl-n") && help.contains("Next unread article"),
        "{help}"
    );
    tmux.keys(&["q"]);

    env.write_config(&format!(
        "{head}{}{}",
        feed("one", "First feed"),
        feed("two", "Second feed")
    ));
    tmux.keys(&["C-r"]);
    tmux.wait_for("Config reloaded: 2 feeds");
    tmux.wait_for("Second feed");

    env.write_config(&format!(
        "{head}{}{}{}",
        feed("one", "First feed"),
        feed("two", "Second feed"),
        feed("three", "Third feed")
    ));
    let pid = tmux.pid();
    let killed = Command::new("kill").args(["-HUP", &pid]).status().unwrap();
    assert!(killed.success());
    tmux.wait_for("Third feed");

    env.write_config("[general]\nbogus = 1\n");
    tmux.keys(&["C-r"]);
    // The error in full, file:line:column and all, over the panes; q closes it.
    let screen = tmux.wait_for("The config has an error");
    assert!(
        screen.contains("config.toml:2:1") && screen.contains("bogus"),
        "{screen}"
    );
    tmux.keys(&["q"]);
    let screen = tmux.wait_gone("The config has an error");
    assert!(
        screen.contains("Third feed"),
        "the old config stays in force: {screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_exit();
    let log = std::fs::read_to_string(env.data_dir().join("bulletin.log")).unwrap();
    assert!(log.contains("config reloaded"), "{log}");
    assert!(log.contains("refresh finished"), "{log}");
}

#[test]
fn opening_in_the_browser_and_copying_the_link() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("web", 2, 1));
    let dir = tempfile::tempdir().unwrap();
    let script = browser_script(dir.path(), "");
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nbrowser = [\"{}\", \"%u\"]\nbrowser_in_terminal = true\n\n[[feed]]\nurl = \"{}\"\n",
        script.display(),
        server.url("/feed")
    ));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.cmd(&["set", "-g", "set-clipboard", "on"]);
    tmux.wait_for("All unread (2)");
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for("Reading time");
    tmux.keys(&["o"]);
    assert_eq!(
        wait_opened(dir.path(), &tmux),
        "https://example.org/web/1\n"
    );
    // The TUI took the terminal back.
    tmux.wait_for("Opened https://example.org/web/1");
    tmux.keys(&["y"]);
    tmux.wait_for("Copied https://example.org/web/1");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let buffer = tmux.cmd(&["show-buffer"]);
        if String::from_utf8_lossy(&buffer.stdout).contains("https://example.org/web/1") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "OSC 52 did not reach the terminal's clipboard"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

/// A browser that opens a window and never exits must not freeze the UI.
#[test]
fn a_window_browser_that_never_exits_does_not_freeze_the_ui() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("web", 2, 1));
    let dir = tempfile::tempdir().unwrap();
    let script = browser_script(dir.path(), "sleep 30\n");
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nbrowser = [\"{}\", \"%u\"]\n\n[[feed]]\nurl = \"{}\"\n",
        script.display(),
        server.url("/feed")
    ));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (2)");
    tmux.keys(&["Tab", "o"]);
    wait_opened(dir.path(), &tmux);
    // The browser still runs; the UI answers keys all the same.
    tmux.keys(&["?"]);
    tmux.wait_for("Keys (? or q closes)");
    tmux.keys(&["q", "C-c"]);
    tmux.wait_exit();
}

/// `A` on Starred marks only the starred article, `u` undoes it, and with a filter on
/// `A` marks only the rows the filter leaves: checked in the cache by the CLI.
#[test]
fn mark_all_marks_the_view_and_undo_brings_it_back() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("e2e", 4, 1));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n\n[[feed]]\nurl = \"{}\"\nname = \"Loopback news\"\n",
        server.url("/feed")
    ));
    let read_titles = || -> Vec<String> {
        let items = env.json(&["items", "--json"]);
        let mut read: Vec<String> = items
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["read"] == true)
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect();
        read.sort();
        read
    };
    // The store thread writes after the key: wait for the cache to say so.
    let wait_read = |want: &[&str]| {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let read = read_titles();
            if read == want {
                return;
            }
            assert!(Instant::now() < deadline, "read {read:?}, wanted {want:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (4)");
    // Star the newest article (e2e item 3), then A on Starred.
    tmux.keys(&["Tab", "s", "BTab", "j"]);
    tmux.wait_for("Starred (");
    tmux.keys(&["A"]);
    tmux.wait_for("Marked 1 article read");
    wait_read(&["e2e item 3"]);
    tmux.keys(&["u"]);
    tmux.wait_for("Undone: marked 1 article read");
    wait_read(&[]);

    // The feed, searched down to one title: A marks that one only.
    tmux.keys(&["j", "Tab", "/"]);
    for c in ["t", "i", "t", "l", "e", ":", "1"] {
        tmux.keys(&[c]);
    }
    tmux.keys(&["Enter"]);
    tmux.wait_for("(1) /title:1");
    tmux.keys(&["A"]);
    tmux.wait_for("Marked 1 article read");
    wait_read(&["e2e item 1"]);
    tmux.keys(&["u"]);
    wait_read(&[]);
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

/// A change made by another process shows in the open TUI without a key press, and a feed
/// added to the config is fetched as soon as the config is reloaded.
#[test]
fn other_processes_changes_and_added_feeds_show_up_by_themselves() {
    let server = Server::start();
    server.fixed("/one", "application/rss+xml", feeds::rss("one", 3, 1));
    server.fixed("/two", "application/rss+xml", feeds::rss("two", 2, 1));
    let config = |urls: &[&str]| {
        let mut s =
            "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n".to_string();
        for u in urls {
            s.push_str(&format!("\n[[feed]]\nurl = \"{}\"\n", server.url(u)));
        }
        s
    };
    let env = Env::new(&config(&["/one"]));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (3)");
    let items = env.json(&["items", "--json"]);
    let id = items[0]["id"].to_string();
    env.ok(&["mark-read", &id]);
    tmux.wait_for("All unread (2)");

    env.write_config(&config(&["/one", "/two"]));
    tmux.keys(&["C-r"]);
    // The new feed's two articles arrive with no refresh key.
    tmux.wait_for("All unread (4)");
    let screen = tmux.wait_for("two item 1");
    assert!(screen.contains("2/2"), "{screen}");
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

/// `w` saves the open article as shown, `|` pipes it to a command (argv, no shell unless
/// written), and `H` hides read articles, remembered across a restart.
#[test]
fn save_pipe_and_hide_read() {
    let server = Server::start();
    server.fixed("/feed", "application/rss+xml", feeds::rss("sv", 3, 1));
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    let piped = dir.path().join("piped.txt");
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n\n[reader]\nsave_dir = \"{}\"\n\n[[feed]]\nurl = \"{}\"\nname = \"Saved news\"\n",
        saved.display(),
        server.url("/feed")
    ));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (3)");
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for("Body 2 version 1");
    // w asks where, offering the save folder and a name from the title.
    tmux.keys(&["w"]);
    let screen = tmux.wait_for("Save the article to:");
    assert!(screen.contains("sv-item-2.txt"), "{screen}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Saved to");
    let file = saved.join("sv-item-2.txt");
    assert!(screen.contains("sv-item-2.txt"), "it says where: {screen}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Body 2 version 1"), "{text}");
    // Again, with a name typed over the offered one (Ctrl-u kills the line).
    tmux.keys(&["w", "C-u"]);
    let mine = dir.path().join("mine.txt");
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", &mine.display().to_string()]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("mine.txt");
    assert!(std::fs::read_to_string(&mine)
        .unwrap()
        .contains("Body 2 version 1"));

    // | runs the line with the shell, the article on its standard input; what it
    // prints and its exit status come up in an overlay.
    tmux.keys(&["|"]);
    tmux.wait_for("Pipe the article to (sh -c):");
    let command = format!(
        "tee {} | grep -c Body; echo done >&2; exit 3",
        piped.display()
    );
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", &command]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("exit status 3");
    assert!(
        screen.contains("│ 1 ") && screen.contains("│ done "),
        "{screen}"
    );
    let text = std::fs::read_to_string(&piped).unwrap();
    assert!(text.contains("Body 2 version 1"), "{text}");
    tmux.keys(&["Escape"]);
    tmux.wait_gone("exit status 3 (q closes)");

    // Hide read articles in the feed's list, quit, and come back to the same.
    tmux.keys(&["BTab", "j", "j", "H"]);
    tmux.wait_for("Read articles and fully read feeds hidden");
    tmux.wait_for("Saved news (2/3)");
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
    tmux.start(&env);
    let screen = tmux.wait_for("Saved news (2/3)");
    assert!(!screen.contains("sv item 2"), "{screen}");
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

/// A stand-in browser: writes its arguments to opened.txt beside it, then runs `then`.
fn browser_script(dir: &Path, then: &str) -> PathBuf {
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/opened.txt\"\n{then}"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Waits until the stand-in browser has run; returns what it was given.
fn wait_opened(dir: &Path, tmux: &Tmux) -> String {
    let opened = dir.join("opened.txt");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !opened.exists() {
        assert!(
            Instant::now() < deadline,
            "the browser was not run; screen:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(&opened).unwrap()
}

/// `/` in the feed list searches every feed's articles as you type (the index built in the
/// background after the refresh), Enter goes to the results, which open like any list;
/// a saved search shows as a row with its count.
#[test]
fn search_from_the_feed_list_and_saved_searches() {
    let server = Server::start();
    server.fixed("/one", "application/rss+xml", feeds::rss("alpha", 3, 3));
    server.fixed("/two", "application/rss+xml", feeds::rss("beta", 3, 7));
    let env = Env::new(&format!(
        "[general]\nrefresh_on_startup = true\nrefresh_interval_minutes = 0\n\n[[query]]\nname = \"Version seven\"\nquery = \"version 7\"\n\n[[feed]]\nurl = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/one"),
        server.url("/two")
    ));
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread (6)");
    // The saved search counts once the index has the articles.
    tmux.wait_for("⌕ Version seven");
    tmux.wait_for("3/3");
    // "item 1" is in one title of each feed.
    tmux.keys(&["/"]);
    for c in ["i", "t", "e", "m", "Space", "1"] {
        tmux.keys(&[c]);
    }
    let screen = tmux.wait_for("Search (2)");
    assert!(
        screen.contains("alpha item 1") && screen.contains("beta item 1"),
        "{screen}"
    );
    assert!(!screen.contains("alpha item 2"), "{screen}");
    // Enter: to the results; Enter again opens one, as any list.
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_for("Body 1 version");
    // Esc in the results ends the search: back in the feed list, the Search row gone.
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for("All unread (5)");
    assert!(!screen.contains("⌕ /"), "{screen}");
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

/// `a` with a site's address: the picker lists its two feeds, Enter on the second shows
/// its newest titles, Enter subscribes and its articles show; `E` renames it, `T` tags
/// it, `d` then `y` removes it. The config keeps its comments through all of it.
#[test]
fn add_from_a_site_pick_preview_subscribe_rename_tag_and_remove() {
    let server = Server::start();
    server.fixed("/one.xml", "application/rss+xml", feeds::rss("first", 2, 1));
    server.fixed(
        "/two.xml",
        "application/rss+xml",
        feeds::rss("second", 3, 1),
    );
    server.fixed(
        "/",
        "text/html",
        r#"<html><head><link rel="alternate" type="application/rss+xml" title="First feed" href="/one.xml"><link rel="alternate" type="application/rss+xml" title="Second feed" href="/two.xml"></head></html>"#,
    );
    let env = Env::new(
        "# my config\n[general]\nrefresh_on_startup = false\nrefresh_interval_minutes = 0\n",
    );
    let tmux = Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("All unread");
    tmux.keys(&["a"]);
    tmux.wait_for("Add a feed");
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", &server.url("/")]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Feeds found");
    let screen = tmux.wait_for("Second feed");
    assert!(screen.contains("First feed"), "{screen}");
    tmux.keys(&["j", "Enter"]);
    let screen = tmux.wait_for("Subscribe?");
    assert!(
        screen.contains("second item 2"),
        "the newest titles: {screen}"
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("Subscribed to second: 3 articles");
    tmux.wait_for("All unread (3)");
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        text.contains("# my config") && text.contains(&server.url("/two.xml")),
        "{text}"
    );
    // Select the feed row (the last one) and rename it, then tag it.
    tmux.keys(&["G", "E"]);
    tmux.wait_for("Rename to");
    for _ in 0..10 {
        tmux.keys(&["BSpace"]);
    }
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", "Chosen"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Chosen");
    tmux.keys(&["G", "T"]);
    tmux.wait_for("Tags, separated");
    tmux.cmd(&["send-keys", "-t", "e2e", "-l", "weekly, news"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("weekly");
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        text.contains("name = \"Chosen\"") && text.contains("tags = [\"weekly\", \"news\"]"),
        "{text}"
    );
    // d on the feed: asked first; n keeps it, y removes it.
    tmux.keys(&["G", "d"]);
    tmux.wait_for("Remove Chosen");
    tmux.keys(&["n"]);
    tmux.wait_for("Not removed");
    tmux.keys(&["G", "d"]);
    tmux.wait_for("Remove Chosen");
    tmux.keys(&["y"]);
    tmux.wait_for("Removed");
    tmux.wait_for("No feeds yet");
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        text.contains("# my config") && !text.contains("two.xml"),
        "{text}"
    );
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}
