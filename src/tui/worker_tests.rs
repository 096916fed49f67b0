//! The worker on a real cache and config file: the config read again, other writers seen.

use super::*;
use crate::tui::config_watch::{reload, Reload};

fn config_with(dir: &std::path::Path, urls: &[&str]) -> std::path::PathBuf {
    let path = dir.join("bulletin.toml");
    let feeds: String = urls
        .iter()
        .map(|u| format!("[[feed]]\nurl = \"{u}\"\n\n"))
        .collect();
    std::fs::write(&path, feeds).unwrap();
    path
}

/// What the reload asks to fetch at once.
fn added(rx: &std::sync::mpsc::Receiver<Msg>) -> Vec<FeedId> {
    rx.try_iter()
        .find_map(|m| match m {
            Msg::FeedsAdded(ids) => Some(ids),
            _ => None,
        })
        .unwrap_or_default()
}

/// A feed removed from the cache while the TUI ran (`bulletin remove` in a shell) and
/// put back in the config file is fetched when the config is reloaded, though the
/// config the TUI held still named it; the feeds listed before are not, fetched or not.
#[test]
fn a_feed_put_back_after_a_remove_elsewhere_is_fetched_on_reload() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = ("http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml");
    let path = config_with(dir.path(), &[a, b]);
    let mut store = Store::open(&dir.path().join("cache.db")).unwrap();
    let mut config = Config::load(&path).unwrap();
    let ids = crate::feedlist::FeedList::of(&config, &mut store)
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect::<Vec<_>>();
    // One was fetched, one not yet (a first refresh still going on).
    let target = store.feed_targets(&ids[..1]).unwrap().remove(0);
    store
        .record_not_modified(&target, chrono::Utc::now())
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut names = HashMap::new();
    load_feeds(&store, &config, &tx, &mut names).unwrap();
    reload(
        &mut store,
        &mut config,
        Some(&path),
        &tx,
        &mut names,
        Reload::Asked,
    );
    assert_eq!(added(&rx), [], "nothing new");
    // Removed elsewhere: its row goes, and the list the TUI shows loses it (the cache
    // changed); the file keeps it, or gets it back.
    store.remove_feed(ids[1]).unwrap();
    load_feeds(&store, &config, &tx, &mut names).unwrap();
    reload(
        &mut store,
        &mut config,
        Some(&path),
        &tx,
        &mut names,
        Reload::Asked,
    );
    let back = added(&rx);
    assert_eq!(back.len(), 1, "{back:?}");
    assert_ne!(back[0], ids[0]);
}

/// The config file changed under the running TUI (`bulletin remove` from a shell): the
/// store thread, when idle, reads it again on its own, as Ctrl-r would. A file changed
/// into one with an error is said on the status line and leaves the config as it was.
#[test]
fn the_store_thread_reads_a_config_file_changed_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = ("http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml");
    let path = config_with(dir.path(), &[a, b]);
    let store = Store::open(&dir.path().join("cache.db")).unwrap();
    let config = Config::load(&path).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let (req_tx, req_rx) = std::sync::mpsc::channel();
    let thread_path = path.clone();
    let thread = std::thread::spawn(move || {
        store_thread(store, config, Some(thread_path), req_rx, tx);
    });
    let wait_for = |what: &str, test: &dyn Fn(&Msg) -> bool| {
        let until = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < until {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(m) if test(&m) => return m,
                Ok(Msg::ConfigReloaded(Err(e))) => panic!("an error in a box: {e}"),
                _ => {}
            }
        }
        panic!("no {what} within 20 s");
    };
    config_with(dir.path(), &[a]);
    let reloaded = wait_for("reload", &|m| matches!(m, Msg::ConfigReloaded(Ok(_))));
    let Msg::ConfigReloaded(Ok(config)) = reloaded else {
        unreachable!()
    };
    assert_eq!(config.feeds.len(), 1);
    assert_eq!(config.feeds[0].url, a);
    std::fs::write(&path, "[[feed]]\nurl = \n").unwrap();
    let said = wait_for("notice", &|m| matches!(m, Msg::Notice(_)));
    let Msg::Notice(text) = said else {
        unreachable!()
    };
    // Where first, for the status line: the file and its line.
    assert!(text.starts_with("Config changed, not read: "), "{text}");
    assert!(
        text.contains("bulletin.toml") && text.contains(":2"),
        "{text}"
    );
    drop(req_tx);
    thread.join().unwrap();
}

/// Another process writes while keys keep the store thread busy (a request every
/// 100 ms, as a user going down a list makes): the write is still seen. The thread
/// looked for other writers only after a second without any request, so a cron
/// refresh's articles waited until the user stopped.
#[test]
fn another_writer_is_seen_while_requests_keep_coming() {
    let dir = tempfile::tempdir().unwrap();
    let path = config_with(dir.path(), &["http://127.0.0.1:9/a.xml"]);
    let db = dir.path().join("cache.db");
    let store = Store::open(&db).unwrap();
    let config = Config::load(&path).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let (req_tx, req_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        store_thread(store, config, Some(path), req_rx, tx);
    });
    // Its first looks, done while idle.
    std::thread::sleep(Duration::from_millis(1500));
    while rx.try_recv().is_ok() {}
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute(
            "INSERT INTO meta (key, value) VALUES ('elsewhere', '1')",
            [],
        )
        .unwrap();
    let until = std::time::Instant::now() + Duration::from_secs(20);
    let mut seen = false;
    while !seen && std::time::Instant::now() < until {
        req_tx.send(StoreReq::LoadFeeds).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        seen = rx.try_iter().any(|m| matches!(m, Msg::CacheChanged));
    }
    assert!(seen, "no CacheChanged while requests kept coming");
    drop(req_tx);
    thread.join().unwrap();
}
