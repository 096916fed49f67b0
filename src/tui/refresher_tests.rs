use super::*;

/// A cache that cannot be opened: every request is answered with a failure, and the
/// worker stays up for the next one.
#[test]
fn every_request_ends_in_a_message_even_without_a_cache() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "a file where the cache folder should be").unwrap();
    let (tx, rx) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let mut worker = RefreshWorker::spawn(
        blocker.join("cache.db"),
        Config::default(),
        tx,
        cancel.clone(),
    );
    for _ in 0..2 {
        worker.send(RefreshReq::Run {
            feeds: None,
            force: true,
        });
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Msg::RefreshFailed(e)) => assert!(e.contains("cannot open the cache"), "{e}"),
            other => panic!("expected RefreshFailed, got {other:?}"),
        }
    }
    assert!(worker.alive());
    cancel.store(true, Ordering::Relaxed);
}

/// A worker thread that is gone is started again by the next request.
#[test]
fn a_dead_worker_is_started_again() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, rx) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let mut worker =
        RefreshWorker::spawn(dir.path().join("cache.db"), Config::default(), tx, cancel);
    // Cut the worker's request channel: its thread sees the sender gone and ends.
    let (dead, _) = mpsc::channel();
    drop(std::mem::replace(&mut worker.requests, dead));
    if let Some(t) = worker.thread.take() {
        t.join().unwrap();
    }
    assert!(!worker.alive());
    worker.send(RefreshReq::Run {
        feeds: None,
        force: true,
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(Msg::RefreshStarted { total: 0 }) => {}
        other => panic!("expected RefreshStarted, got {other:?}"),
    }
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(Msg::RefreshFinished { .. }) => {}
        other => panic!("expected RefreshFinished, got {other:?}"),
    }
}

/// `bulletin remove` in a shell, then R before the TUI looked at the config file again:
/// the refresh goes by the file, so the feed removed is not fetched back into the cache.
#[test]
fn a_refresh_goes_by_a_config_file_changed_since_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulletin.toml");
    // Port 9 on loopback: nothing listens, each fetch fails at once.
    let (a, b) = ("http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml");
    std::fs::write(
        &path,
        format!("[[feed]]\nurl = \"{a}\"\n[[feed]]\nurl = \"{b}\"\n"),
    )
    .unwrap();
    let config = Config::load(&path).unwrap();
    let db = dir.path().join("cache.db");
    let mut store = Store::open(&db).unwrap();
    let ids: Vec<_> = crate::feedlist::FeedList::of(&config, &mut store)
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    let (tx, rx) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let mut worker = RefreshWorker::spawn(db, config, tx, cancel.clone());
    // What `bulletin remove` does: the file loses the feed, the cache its row.
    std::fs::write(&path, format!("[[feed]]\nurl = \"{a}\"\n")).unwrap();
    store.remove_feed(ids[1]).unwrap();
    worker.send(RefreshReq::Run {
        feeds: None,
        force: true,
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Msg::RefreshStarted { total }) => assert_eq!(total, 1),
        other => panic!("expected RefreshStarted, got {other:?}"),
    }
    loop {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Msg::RefreshFinished { .. }) => break,
            Ok(_) => {}
            other => panic!("expected RefreshFinished, got {other:?}"),
        }
    }
    assert_eq!(
        store.feed_id(b).unwrap(),
        None,
        "the removed feed came back"
    );
    assert!(store.feed_id(a).unwrap().is_some());
    cancel.store(true, Ordering::Relaxed);
}

/// The config reloaded with another sync server: a sync starts at once (its marks
/// wait for their articles to be linked on the new server, which only a sync does; a
/// push sent nothing and the status line counted them for ever).
#[test]
fn another_sync_server_in_a_reloaded_config_is_synced_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, rx) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let mut worker = RefreshWorker::spawn(
        dir.path().join("cache.db"),
        Config::default(),
        tx,
        cancel.clone(),
    );
    // Nothing listens on port 9 here: the sync is tried, and fails.
    let config = Config::parse(
        "[sync]\nprovider = \"greader\"\nurl = \"http://127.0.0.1:9/api/greader.php\"\nusername = \"alice\"\npassword = \"pw\"\n",
        std::path::Path::new("/c/config.toml"),
    )
    .unwrap();
    worker.send(RefreshReq::Config(Box::new(config)));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            Ok(Msg::SyncFinished(Err(_))) => break,
            Ok(_) => continue,
            Err(e) => panic!("no sync after the server changed: {e:?}"),
        }
    }
    cancel.store(true, Ordering::Relaxed);
}
