//! Sync without a server: three devices (a data dir and a config each) on this machine
//! share one folder, through the real binary: marks and stars both ways, the later
//! mark winning, marks made apart surviving, a device that joins late, subscriptions,
//! conflict copies and a cut file, a missing folder, clocks a day off, and `kill -9`
//! in the middle of a sync. The feeds come from a real HTTP server on 127.0.0.1.

mod support;

use std::path::Path;
use std::process::Command;
use support::{feeds::rss, Env, Server};

fn config(folder: &Path, device: &str, feeds: &[String]) -> String {
    let mut text = format!(
        "[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = \"folder\"\npath = \"{}\"\ndevice = \"{device}\"\n",
        folder.display()
    );
    for url in feeds {
        text.push_str(&format!("\n[[feed]]\nurl = \"{url}\"\n"));
    }
    text
}

fn device(folder: &Path, name: &str, feeds: &[String]) -> Env {
    Env::new(&config(folder, name, feeds))
}

fn state(env: &Env, title: &str) -> (bool, bool) {
    let item = env.item(title);
    (
        item["read"].as_bool().unwrap(),
        item["starred"].as_bool().unwrap(),
    )
}

fn server() -> Server {
    let server = Server::start();
    server.fixed("/a.xml", "application/rss+xml", rss("alpha", 4, 1));
    server.fixed("/b.xml", "application/rss+xml", rss("beta", 2, 1));
    server
}

#[test]
fn three_devices_share_marks_stars_and_subscriptions_through_one_folder() {
    let server = server();
    let folder = tempfile::tempdir().unwrap();
    let a_url = server.url("/a.xml");
    let a = device(folder.path(), "laptop", std::slice::from_ref(&a_url));
    let b = device(folder.path(), "desktop", std::slice::from_ref(&a_url));
    a.ok(&["refresh"]);
    a.ok(&["mark-read", &a.item_id("alpha item 0")]);
    a.ok(&["star", &a.item_id("alpha item 1")]);
    // B has none of the articles yet: the marks wait for them and land as they arrive.
    let out = b.json(&["refresh", "--json"]);
    assert_eq!(out["sync"]["provider"], "folder", "{out}");
    assert_eq!(state(&b, "alpha item 0"), (true, false));
    assert_eq!(state(&b, "alpha item 1"), (false, true));
    // Back the other way; the later mark wins.
    b.ok(&["mark-unread", &b.item_id("alpha item 0")]);
    let synced = a.json(&["sync", "--json"]);
    for key in ["provider", "feeds", "new_items", "pushed", "pulled"] {
        assert!(synced.get(key).is_some(), "{key} in {synced}");
    }
    assert_eq!(synced["pulled"], 1, "{synced}");
    assert_eq!(state(&a, "alpha item 0"), (false, false));
    // Made apart on both sides before either syncs: both survive.
    // (Options after the ids, as people type them, and before.)
    a.ok(&["mark-read", &a.item_id("alpha item 2"), "--no-push"]);
    b.ok(&["star", "--no-push", &b.item_id("alpha item 3")]);
    a.ok(&["sync"]);
    b.ok(&["sync"]);
    a.ok(&["sync"]);
    for env in [&a, &b] {
        assert_eq!(state(env, "alpha item 2"), (true, false));
        assert_eq!(state(env, "alpha item 3"), (false, true));
    }
    // A subscription made on A travels: C, which joins late with no feeds at all, gets
    // both feeds in its config and every mark.
    a.ok(&["add", &server.url("/b.xml"), "--name", "Beta news"]);
    a.ok(&["sync"]);
    // What file-sync tools leave: a conflict copy and a copy cut mid-line.
    let journal = std::fs::read_dir(folder.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.to_string_lossy().contains("laptop-") && p.to_string_lossy().ends_with(".journal")
        })
        .unwrap();
    let text = std::fs::read_to_string(&journal).unwrap();
    std::fs::write(
        folder
            .path()
            .join("laptop.sync-conflict-20261203-101010-ABCDEFG.journal"),
        &text,
    )
    .unwrap();
    std::fs::write(
        folder
            .path()
            .join("laptop (desktop's conflicted copy 2026-12-03).journal"),
        &text[..text.len() - 7],
    )
    .unwrap();
    let c = device(folder.path(), "tablet", &[]);
    let out = c.run(&["refresh"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = std::fs::read_to_string(c.config_path()).unwrap();
    assert!(
        config.contains(&a_url) && config.contains("Beta news"),
        "{config}"
    );
    // The config's comments and layout are kept: it is edited, not rewritten.
    assert!(config.contains("provider = \"folder\""), "{config}");
    c.ok(&["refresh"]);
    assert_eq!(state(&c, "alpha item 0"), (false, false));
    assert_eq!(state(&c, "alpha item 1"), (false, true));
    assert_eq!(state(&c, "alpha item 2"), (true, false));
    assert_eq!(state(&c, "alpha item 3"), (false, true));
    assert_eq!(state(&c, "beta item 0"), (false, false));
    // And a removal travels too.
    b.ok(&["sync"]);
    c.ok(&["remove", &server.url("/b.xml")]);
    c.ok(&["sync"]);
    a.ok(&["sync"]);
    let config = std::fs::read_to_string(a.config_path()).unwrap();
    assert!(!config.contains("/b.xml"), "{config}");
}

#[test]
fn a_missing_folder_fails_in_one_line_and_keeps_the_marks() {
    let server = server();
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("Sync");
    let a = device(&folder, "laptop", &[server.url("/a.xml")]);
    // The feeds still refresh; the sync fails, and the command says so.
    let out = a.run(&["refresh"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("Sync") && err.contains("not there"), "{err}");
    let out = a.run(&["mark-read", &a.item_id("alpha item 0")]);
    assert!(out.status.success());
    let out = a.run(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 mark made here stays queued"), "{err}");
    // Mounted again: the mark goes, and another device gets it.
    std::fs::create_dir(&folder).unwrap();
    let sent = a.json(&["sync", "--json"]);
    assert_eq!(sent["pushed"], 1, "{sent}");
    let b = device(&folder, "desktop", &[server.url("/a.xml")]);
    b.ok(&["refresh"]);
    assert_eq!(state(&b, "alpha item 0"), (true, false));
}

#[test]
fn clocks_a_day_off_either_way_still_order_marks() {
    let server = server();
    let folder = tempfile::tempdir().unwrap();
    let url = server.url("/a.xml");
    let ahead = device(folder.path(), "ahead", std::slice::from_ref(&url));
    let behind = device(folder.path(), "behind", std::slice::from_ref(&url));
    let run = |env: &Env, skew: &str, args: &[&str]| {
        let out = env
            .command(args)
            .env("BULLETIN_CLOCK_SKEW_SECS", skew)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&ahead, "86400", &["refresh"]);
    run(&behind, "-86400", &["refresh"]);
    let id_ahead = ahead.item_id("alpha item 0");
    let id_behind = behind.item_id("alpha item 0");
    // The device a day ahead marks, the one a day behind marks after it: the later wins.
    run(&ahead, "86400", &["mark-read", &id_ahead]);
    run(&behind, "-86400", &["sync"]);
    assert_eq!(state(&behind, "alpha item 0"), (true, false));
    run(&behind, "-86400", &["mark-unread", &id_behind]);
    run(&ahead, "86400", &["sync"]);
    assert_eq!(state(&ahead, "alpha item 0"), (false, false));
    // And the other way round.
    run(&ahead, "86400", &["mark-read", &id_ahead]);
    run(&behind, "-86400", &["sync"]);
    assert_eq!(state(&behind, "alpha item 0"), (true, false));
}

#[test]
fn kill_9_during_a_sync_loses_no_mark() {
    // A feed of 300 articles, all marked read then unread in turns, so that each sync
    // writes 300 lines; the sync (about 30 ms here) is killed at a different moment each
    // round, 4 ms apart, from before it opens the cache to after its append.
    let server = Server::start();
    server.fixed("/big.xml", "application/rss+xml", rss("big", 300, 1));
    let folder = tempfile::tempdir().unwrap();
    let url = server.url("/big.xml");
    let a = device(folder.path(), "laptop", std::slice::from_ref(&url));
    a.ok(&["refresh"]);
    for round in 0..9u64 {
        let verb = if round % 2 == 0 {
            "mark-read"
        } else {
            "mark-unread"
        };
        a.ok(&[verb, "--all", "--no-push"]);
        let mut child = a.command(&["sync"]).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(round * 4));
        // SIGKILL: no handler runs.
        let _ = Command::new("kill")
            .arg("-9")
            .arg(child.id().to_string())
            .status();
        let _ = child.wait();
    }
    // Round 8 marked everything read: whatever the kills cut, that is what arrives.
    a.ok(&["sync"]);
    let b = device(folder.path(), "desktop", &[url]);
    b.ok(&["refresh"]);
    let items = b.json(&["items", "--json"]);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 300);
    assert!(items.iter().all(|i| i["read"] == true), "{items:?}");
}

#[test]
fn the_tui_sends_its_marks_and_gets_others_without_a_key() {
    use std::time::{Duration, Instant};
    let server = server();
    let folder = tempfile::tempdir().unwrap();
    let url = server.url("/a.xml");
    let tui = device(folder.path(), "laptop", std::slice::from_ref(&url));
    tui.write_config(
        &config(folder.path(), "laptop", std::slice::from_ref(&url))
            .replace("refresh_on_startup = false", "refresh_on_startup = true"),
    );
    let other = device(folder.path(), "desktop", std::slice::from_ref(&url));
    other.ok(&["refresh"]);
    let tmux = support::tmux::Tmux::new(tui.path());
    let data = tui.data_dir();
    tmux.run(
        &["NO_COLOR=1"],
        &[
            "--config",
            tui.config_path().to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
    );
    tmux.wait_for("alpha item 3");
    // Opening the newest article marks it read; the mark reaches the folder by itself.
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for("Body 3 version 1");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        other.ok(&["sync"]);
        if state(&other, "alpha item 3").0 {
            break;
        }
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(300));
    }
    // Another device's mark arrives in the running TUI without a key.
    other.ok(&["star", &other.item_id("alpha item 0")]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !state(&tui, "alpha item 0").1 {
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(200));
    }
    // The seam: the other device renames the feed; a cron `refresh` on the TUI's data dir
    // makes the rename to the config file while the TUI, holding the config it started
    // with, goes on looking at the folder. It must not write the old name back.
    other.ok(&["rename", &url, "Renamed elsewhere"]);
    tui.ok(&["refresh"]);
    assert!(std::fs::read_to_string(tui.config_path())
        .unwrap()
        .contains("Renamed elsewhere"));
    // Two of the TUI's looks at the folder (every 5 s).
    std::thread::sleep(Duration::from_secs(11));
    other.ok(&["sync"]);
    let config = std::fs::read_to_string(other.config_path()).unwrap();
    assert!(config.contains("Renamed elsewhere"), "{config}");
    tmux.keys(&["q"]);
}

#[test]
fn a_feed_subscribed_later_brings_the_marks_made_on_it_before() {
    let server = server();
    let folder = tempfile::tempdir().unwrap();
    let url = server.url("/a.xml");
    let a = device(folder.path(), "laptop", std::slice::from_ref(&url));
    a.ok(&["refresh"]);
    a.ok(&["mark-read", &a.item_id("alpha item 2")]);
    // A leaves alpha; D, which follows another feed only, skips alpha's marks.
    a.ok(&["remove", &url]);
    a.ok(&["sync"]);
    let d = device(folder.path(), "phone", &[server.url("/b.xml")]);
    d.ok(&["refresh"]);
    let config = std::fs::read_to_string(d.config_path()).unwrap();
    assert!(!config.contains("/a.xml"), "{config}");
    // D subscribes to alpha itself later: the marks made on it before come with it.
    d.ok(&["add", &url]);
    d.ok(&["refresh"]);
    assert_eq!(state(&d, "alpha item 2"), (true, false));
    assert_eq!(state(&d, "alpha item 1"), (false, false));
}

#[test]
fn a_device_that_joins_with_feeds_takes_the_folders_names_and_removals() {
    let server = server();
    let folder = tempfile::tempdir().unwrap();
    let (a_url, b_url) = (server.url("/a.xml"), server.url("/b.xml"));
    let both = [a_url.clone(), b_url.clone()];
    let a = device(folder.path(), "laptop", &both);
    a.ok(&["refresh"]);
    a.ok(&["rename", &a_url, "Alpha desk"]);
    a.ok(&["tag", &a_url, "security"]);
    a.ok(&["remove", &b_url]);
    a.ok(&["sync"]);
    // A new machine whose config lists both feeds, plainly.
    let z = device(folder.path(), "new", &both);
    z.ok(&["sync"]);
    z.ok(&["sync"]);
    a.ok(&["sync"]);
    let on_a = std::fs::read_to_string(a.config_path()).unwrap();
    assert!(
        on_a.contains("Alpha desk") && on_a.contains("security"),
        "{on_a}"
    );
    assert!(!on_a.contains("/b.xml"), "{on_a}");
    let on_z = std::fs::read_to_string(z.config_path()).unwrap();
    assert!(
        on_z.contains("Alpha desk") && !on_z.contains("/b.xml"),
        "{on_z}"
    );
}

#[test]
fn a_lost_or_replaced_journal_is_put_back_and_a_replaced_file_is_read_again() {
    let server = server();
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let url = server.url("/a.xml");
    let a = device(&folder, "laptop", std::slice::from_ref(&url));
    let b = device(&folder, "desktop", std::slice::from_ref(&url));
    a.ok(&["refresh"]);
    b.ok(&["refresh"]);
    a.ok(&["mark-read", &a.item_id("alpha item 0")]);
    // The share goes away and an empty mount point takes its place: a mark is made there.
    std::fs::rename(&folder, root.path().join("away")).unwrap();
    std::fs::create_dir(&folder).unwrap();
    a.ok(&["star", &a.item_id("alpha item 1")]);
    // The share comes back, without that mark; then A's journal is deleted outright.
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::rename(root.path().join("away"), &folder).unwrap();
    a.ok(&["sync"]);
    b.ok(&["sync"]);
    assert_eq!(state(&b, "alpha item 0"), (true, false));
    assert_eq!(state(&b, "alpha item 1"), (false, true));
    for entry in std::fs::read_dir(&folder).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("laptop-") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    a.ok(&["sync"]);
    let c = device(&folder, "tablet", std::slice::from_ref(&url));
    c.ok(&["refresh"]);
    assert_eq!(state(&c, "alpha item 0"), (true, false));
    assert_eq!(state(&c, "alpha item 1"), (false, true));
    // A file replaced by a longer one with other lines (a rewritten history) is read
    // again from its start.
    let fake = folder.join("other-0a0b0c0d0e0f.1.journal");
    let header = "{\"t\":\"journal\",\"format\":1,\"device\":\"0a0b0c0d0e0f\"}\n";
    let mark = |item: &str, ms: u64| {
        format!("{{\"t\":\"mark\",\"at\":[{ms},0],\"device\":\"0a0b0c0d0e0f\",\"feed\":\"{url}\",\"item\":\"{item}\",\"kind\":\"star\",\"value\":true}}\n")
    };
    std::fs::write(
        &fake,
        format!("{header}{}", mark("alpha-3", 9_000_000_000_000)),
    )
    .unwrap();
    b.ok(&["sync"]);
    assert_eq!(state(&b, "alpha item 3"), (false, true));
    std::fs::write(
        &fake,
        format!(
            "{header}{}{}",
            mark("alpha-2", 9_000_000_000_001),
            mark("alpha-3", 9_000_000_000_000)
        ),
    )
    .unwrap();
    b.ok(&["sync"]);
    assert_eq!(state(&b, "alpha item 2"), (false, true));
}

#[test]
fn a_copied_cache_is_another_device() {
    let server = server();
    let folder = tempfile::tempdir().unwrap();
    let url = server.url("/a.xml");
    let a = device(folder.path(), "laptop", std::slice::from_ref(&url));
    a.ok(&["refresh"]);
    a.ok(&["sync"]);
    // A backup of A's data dir restored as a second machine.
    let copy = device(folder.path(), "laptop", std::slice::from_ref(&url));
    std::fs::remove_dir_all(copy.data_dir()).unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(a.data_dir())
        .arg(copy.data_dir())
        .status()
        .unwrap();
    assert!(status.success());
    copy.ok(&["mark-read", &copy.item_id("alpha item 1")]);
    a.ok(&["sync"]);
    assert_eq!(state(&a, "alpha item 1"), (true, false));
    let files: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
}
