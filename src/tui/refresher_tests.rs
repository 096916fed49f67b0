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
