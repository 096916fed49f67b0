//! The worker's config reload, on a real cache and config file.

use super::*;

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
    store
        .record_not_modified(ids[0], chrono::Utc::now())
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut names = HashMap::new();
    load_feeds(&store, &config, &tx, &mut names).unwrap();
    reload(&mut store, &mut config, Some(&path), &tx, &mut names);
    assert_eq!(added(&rx), [], "nothing new");
    // Removed elsewhere: its row goes, and the list the TUI shows loses it (the cache
    // changed); the file keeps it, or gets it back.
    store.remove_feed(ids[1]).unwrap();
    load_feeds(&store, &config, &tx, &mut names).unwrap();
    reload(&mut store, &mut config, Some(&path), &tx, &mut names);
    let back = added(&rx);
    assert_eq!(back.len(), 1, "{back:?}");
    assert_ne!(back[0], ids[0]);
}
