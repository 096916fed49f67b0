//! The refresh worker: fetches, parses and writes feeds on its own thread, on request and
//! every `refresh_interval_minutes`. Every request it takes ends in a message the UI
//! shows (`RefreshFinished` or `RefreshFailed`), whatever goes wrong: a cache that will
//! not open, an HTTP client that cannot be built, a panic. A worker that died anyway is
//! started again by its handle.

use super::backoff::Backoff;
use super::msg::Msg;
use super::worker::panic_message;
use crate::config::Config;
use crate::fetch::Fetcher;
use crate::model::FeedId;
use crate::refresh;
use crate::store::Store;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the refresh worker is asked to do.
#[derive(Debug)]
pub enum RefreshReq {
    /// Refresh these feeds, or all of them; `force` fetches even feeds whose server
    /// asked to wait (a refresh the user asked for).
    Run {
        feeds: Option<Vec<FeedId>>,
        force: bool,
    },
    /// Use this config from now on (after a reload).
    Config(Box<Config>),
    /// Marks were made: send them to the sync server soon (a few seconds on, so that a
    /// run of key presses goes in one push).
    PushMarks,
}

/// How long marks wait before they are pushed.
const PUSH_DELAY: Duration = Duration::from_secs(3);

/// The UI's end of the worker: sends requests, and starts the thread again if it died.
pub struct RefreshWorker {
    db: PathBuf,
    config: Config,
    events: Sender<Msg>,
    cancel: Arc<AtomicBool>,
    requests: Sender<RefreshReq>,
    thread: Option<JoinHandle<()>>,
}

impl RefreshWorker {
    pub fn spawn(
        db: PathBuf,
        config: Config,
        events: Sender<Msg>,
        cancel: Arc<AtomicBool>,
    ) -> RefreshWorker {
        let (requests, rx) = mpsc::channel();
        let mut worker = RefreshWorker {
            db,
            config,
            events,
            cancel,
            requests,
            thread: None,
        };
        worker.start(rx);
        worker
    }

    fn start(&mut self, rx: Receiver<RefreshReq>) {
        let (db, config, tx, cancel) = (
            self.db.clone(),
            self.config.clone(),
            self.events.clone(),
            self.cancel.clone(),
        );
        self.thread = std::thread::Builder::new()
            .name("refresh".into())
            .spawn(move || refresh_thread(db, config, rx, tx, cancel))
            .ok();
    }

    fn alive(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Hands a request to the worker, starting a new one if the old one is gone. When
    /// even that fails, a refresh request is answered with `RefreshFailed` so the UI
    /// never waits for it.
    pub fn send(&mut self, req: RefreshReq) {
        if let RefreshReq::Config(config) = &req {
            self.config = (**config).clone();
        }
        if !self.alive() {
            tracing::error!("the refresh worker had stopped; starting it again");
            let (requests, rx) = mpsc::channel();
            self.requests = requests;
            self.start(rx);
        }
        let is_run = matches!(req, RefreshReq::Run { .. });
        if self.requests.send(req).is_err() && is_run {
            let _ = self.events.send(Msg::RefreshFailed(
                "the refresh worker cannot be started; see the log".into(),
            ));
        }
    }
}

/// Runs refreshes on request, and every `refresh_interval_minutes` when set.
pub fn refresh_thread(
    db: PathBuf,
    mut config: Config,
    rx: Receiver<RefreshReq>,
    tx: Sender<Msg>,
    cancel: Arc<AtomicBool>,
) {
    // Opened when first needed, and again after a failure: a cache or a config that is
    // fixed later makes the next refresh work.
    let mut store: Option<Store> = None;
    let mut fetcher: Option<Fetcher> = None;
    // The sync server's session (its login kept between syncs and pushes); made anew
    // with the HTTP client.
    let mut session: Option<crate::sync::Session> = None;
    let mut push_at: Option<Instant> = None;
    let mut retry = Backoff::default();
    let mut next_refresh = None;
    // Syncing through a folder: other devices' marks are looked for every few seconds
    // (a `stat` per file when nothing is new), so they arrive without a key.
    let mut poll_at: Option<Instant> = None;
    let mut poll_failing: Option<String> = None;
    // The config file as this thread's config was read from it: changed since, it is
    // read again before a refresh (config_watch).
    let mut config_seen = config.stamp;
    // Everything this thread does is background work (the refresh's writes, syncs,
    // mailbox imports): at the lowest priority, as its fetch threads are, it leaves the
    // cores to the UI thread and the terminal the moment a key arrives. At normal
    // priority it shared them evenly, and a key's frame waited its turn (99th
    // percentile of key to frame during a cold refresh, a first sync and an import:
    // 24 to 30 ms, against 13 to 17 ms here; bench/jank.py).
    let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
    loop {
        let interval = Duration::from_secs(u64::from(config.general.refresh_interval_minutes) * 60);
        let now = Instant::now();
        let refresh_at = (!interval.is_zero()).then(|| *next_refresh.get_or_insert(now + interval));
        if config.folder.is_some() && retry.at.is_none() {
            poll_at.get_or_insert(now + FOLDER_POLL);
        } else {
            poll_at = None;
        }
        let wake = [refresh_at, push_at, retry.at, poll_at]
            .into_iter()
            .flatten()
            .min();
        let request = match wake {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) => rx.recv_timeout(at.saturating_duration_since(now)),
        };
        let (mut feeds, mut force) = match request {
            Ok(RefreshReq::Run { feeds, force }) => (feeds, force),
            Ok(RefreshReq::Config(new)) => {
                // Another server (or account): the marks queued for the one before wait
                // for their articles to be linked on this one, which a sync does; a push
                // alone sends none of them. So a sync now, as the retry makes one.
                let other_server = new.sync.is_some() && new.sync != config.sync;
                config = *new;
                config_seen = config.stamp;
                fetcher = None;
                session = None;
                next_refresh = None;
                if other_server {
                    retry.at = Some(Instant::now());
                }
                continue;
            }
            Ok(RefreshReq::PushMarks) => {
                // While the server is being retried, the retry sends them.
                if retry.at.is_none() {
                    push_at.get_or_insert(Instant::now() + PUSH_DELAY);
                }
                continue;
            }
            Err(RecvTimeoutError::Timeout) if push_at.is_some_and(|at| at <= Instant::now()) => {
                push_at = None;
                if open_parts(&db, &config, &mut store, &mut fetcher).is_ok() {
                    if let (Some(s), Some(f)) = (store.as_mut(), fetcher.as_ref()) {
                        let session = session_of(&mut session, &config, f);
                        retry.after(push_marks(s, session, &config, &tx));
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Timeout) if poll_at.is_some_and(|at| at <= Instant::now()) => {
                poll_at = None;
                if open_parts(&db, &config, &mut store, &mut fetcher).is_ok() {
                    if let (Some(s), Some(f)) = (store.as_mut(), fetcher.as_ref()) {
                        if let Some(session) = session_of(&mut session, &config, f) {
                            poll_folder(s, session, &config, &tx, &mut poll_failing);
                        }
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Timeout) if retry.at.is_some_and(|at| at <= Instant::now()) => {
                // The server or a mailbox failed: try them again (a sync sends the
                // marks first), not the feeds.
                retry.at = None;
                if open_parts(&db, &config, &mut store, &mut fetcher).is_ok() {
                    if let (Some(s), Some(f)) = (store.as_mut(), fetcher.as_ref()) {
                        let session = session_of(&mut session, &config, f);
                        match remote(s, session, &config, None, &tx) {
                            Some(failed) => retry.after(failed),
                            None => return,
                        }
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Timeout) => (None, false),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // A refresh syncs, which pushes the marks too.
        push_at = None;
        next_refresh = None;
        // Requests that piled up meanwhile merge into this one: five R presses, one refresh.
        while let Ok(more) = rx.try_recv() {
            match more {
                RefreshReq::Run {
                    feeds: more_feeds,
                    force: more_force,
                } => {
                    force |= more_force;
                    feeds = match (feeds, more_feeds) {
                        (Some(mut a), Some(b)) => {
                            a.extend(b);
                            Some(a)
                        }
                        _ => None,
                    };
                }
                RefreshReq::Config(new) => {
                    config = *new;
                    config_seen = config.stamp;
                    fetcher = None;
                    session = None;
                }
                RefreshReq::PushMarks => {}
            }
        }
        let mut parts = open_parts(&db, &config, &mut store, &mut fetcher);
        // Changed since this thread last had it (`bulletin remove` a moment ago, and R
        // before the store thread looked): this refresh goes by the file, with a client
        // and a server session made from it.
        if let Some(s) = store.as_ref() {
            if let Some(fresh) = super::config_watch::fresher(&config, &mut config_seen, s) {
                tracing::info!("config changed: read again for this refresh");
                config = fresh;
                fetcher = None;
                session = None;
                parts = open_parts(&db, &config, &mut store, &mut fetcher);
            }
        }
        let (Some(store_ref), Some(fetcher_ref)) = (store.as_mut(), fetcher.as_ref()) else {
            let error = parts.err().unwrap_or_else(|| "cannot start".into());
            tracing::error!("refresh: {error}");
            if tx.send(Msg::RefreshFailed(error)).is_err() {
                return;
            }
            continue;
        };
        let session_ref = session_of(&mut session, &config, fetcher_ref);
        let run = std::panic::catch_unwind(AssertUnwindSafe(|| {
            run_refresh(
                store_ref,
                fetcher_ref,
                session_ref,
                &config,
                refresh::Request { feeds, force },
                &tx,
                &cancel,
            )
        }));
        match run {
            Ok(Some(failed)) => retry.after(failed),
            Ok(None) => return,
            Err(panic) => {
                let error = format!("internal error: {}", panic_message(&*panic));
                tracing::error!("refresh: {error}");
                // Whatever state they were in, start them afresh next time.
                store = None;
                fetcher = None;
                session = None;
                if tx.send(Msg::RefreshFailed(error)).is_err() {
                    return;
                }
            }
        }
    }
}

/// How often the sync folder is looked at for other devices' marks.
const FOLDER_POLL: Duration = Duration::from_secs(5);

/// A quiet sync through the folder: said only when it brought something (the lists and
/// counts follow), and not at all when it failed (`R` and the refreshes say why).
fn poll_folder(
    store: &mut Store,
    session: &mut crate::sync::Session,
    config: &Config,
    tx: &Sender<Msg>,
    failing: &mut Option<String>,
) {
    let run = std::panic::catch_unwind(AssertUnwindSafe(|| session.sync(config, store)));
    match run {
        // Something came, or a failure said before is over: the status line follows.
        Ok(Ok(summary)) if summary.pulled > 0 || summary.config_changed || failing.is_some() => {
            *failing = None;
            let _ = tx.send(Msg::SyncFinished(Ok(summary)));
        }
        Ok(Ok(summary)) if summary.pushed > 0 => {
            let _ = tx.send(Msg::Pushed(summary.pushed));
        }
        Ok(Ok(_)) => {}
        // A failure is said once (the folder unmounted), not every 5 s.
        Ok(Err(e)) => {
            let e = e.to_string();
            if failing.as_ref() != Some(&e) {
                *failing = Some(e.clone());
                let _ = tx.send(Msg::SyncFinished(Err(e)));
            }
        }
        Err(panic) => tracing::error!("folder poll: internal error: {}", panic_message(&*panic)),
    }
}

/// Sends the queued marks to the sync server (no more: the full sync waits for the next
/// refresh). A failure is said on the status line like a sync's; the marks stay queued.
/// True when the server or a mailbox failed.
fn push_marks(
    store: &mut Store,
    session: Option<&mut crate::sync::Session>,
    config: &Config,
    tx: &Sender<Msg>,
) -> bool {
    let mut failed = false;
    let mail = std::panic::catch_unwind(AssertUnwindSafe(|| {
        crate::mail::read::push_all(store, config)
    }));
    match mail {
        Ok(summary) if summary.pushed > 0 || !summary.errors.is_empty() => {
            failed |= !summary.errors.is_empty();
            let _ = tx.send(Msg::MailRead(summary));
        }
        Ok(_) => {}
        Err(panic) => tracing::error!("mail push: internal error: {}", panic_message(&*panic)),
    }
    let run = std::panic::catch_unwind(AssertUnwindSafe(|| {
        session.map(|s| s.push(store).map_err(|e| e.to_string()))
    }));
    match run {
        Ok(Some(Err(e))) => {
            failed = true;
            let _ = tx.send(Msg::SyncFinished(Err(e)));
        }
        Ok(Some(Ok(sent))) => {
            let _ = tx.send(Msg::Pushed(sent));
        }
        Ok(None) => {}
        Err(panic) => tracing::error!("push: internal error: {}", panic_message(&*panic)),
    }
    failed
}

/// Syncs with the server and reads the mailboxes, when the refresh is of everything
/// (`feeds` None) or of one of theirs. Some(true) when one of them failed; None when
/// the UI is gone.
fn remote(
    store: &mut Store,
    session: Option<&mut crate::sync::Session>,
    config: &Config,
    feeds: Option<&[crate::model::FeedId]>,
    tx: &Sender<Msg>,
) -> Option<bool> {
    let mut failed = false;
    let wants_sync = session.is_some()
        && match feeds {
            None => true,
            Some(ids) => store
                .synced_feeds()
                .is_ok_and(|synced| synced.iter().any(|f| ids.contains(&f.id))),
        };
    if let Some(session) = session.filter(|_| wants_sync) {
        let _ = tx.send(Msg::SyncStarted);
        let result = session.sync(config, store).map_err(|e| e.to_string());
        failed |= result.is_err();
        tx.send(Msg::SyncFinished(result)).ok()?;
    }
    let wants_mail = !config.mailboxes.is_empty()
        && match feeds {
            None => true,
            Some(ids) => store
                .mail_feeds()
                .is_ok_and(|mail| mail.iter().any(|f| ids.contains(&f.id))),
        };
    if wants_mail {
        let read = crate::mail::read::read_all(store, config, feeds);
        failed |= !read.errors.is_empty();
        tx.send(Msg::MailRead(read)).ok()?;
    }
    Some(failed)
}

/// The sync session, made when there is a server and none yet.
fn session_of<'a>(
    slot: &'a mut Option<crate::sync::Session>,
    config: &Config,
    fetcher: &Fetcher,
) -> Option<&'a mut crate::sync::Session> {
    if slot.is_none() {
        *slot = crate::sync::Session::of(config, fetcher);
    }
    slot.as_mut()
}

/// Opens the cache and builds the HTTP client where they are missing.
fn open_parts(
    db: &std::path::Path,
    config: &Config,
    store: &mut Option<Store>,
    fetcher: &mut Option<Fetcher>,
) -> Result<(), String> {
    if store.is_none() {
        *store = Some(Store::open(db).map_err(|e| format!("cannot open the cache: {e}"))?);
    }
    if fetcher.is_none() {
        *fetcher = Some(
            Fetcher::new(&config.general)
                .map_err(|e| format!("cannot set up HTTP (check [general] in the config): {e}"))?,
        );
    }
    Ok(())
}

/// One refresh: Some(whether the server or a mailbox failed), None when the UI is gone.
/// Every way out sends `RefreshFinished` or `RefreshFailed`.
fn run_refresh(
    store: &mut Store,
    fetcher: &Fetcher,
    session: Option<&mut crate::sync::Session>,
    config: &Config,
    request: refresh::Request,
    tx: &Sender<Msg>,
    cancel: &AtomicBool,
) -> Option<bool> {
    let started = |total| {
        let _ = tx.send(Msg::RefreshStarted { total });
    };
    let progress = |done: &refresh::FeedDone, summary: &refresh::Summary| {
        let _ = tx.send(Msg::RefreshProgress {
            done: done.clone(),
            summary: *summary,
        });
    };
    let since = crate::notify::mark(store);
    // The server's feeds first, then the mailboxes, when the refresh is theirs too.
    let failed = remote(store, session, config, request.feeds.as_deref(), tx)?;
    let run = refresh::run(store, fetcher, config, request, cancel, started, progress);
    // Marks other devices made on articles that only arrived now.
    if config.folder.is_some() {
        if let Err(e) = crate::folder::apply_arrived(store) {
            tracing::warn!("sync folder: {e}");
        }
    }
    let summary = match run {
        Ok(summary) => summary,
        Err(e) => {
            tracing::error!("refresh: {e}");
            tx.send(Msg::RefreshFailed(format!("cache: {e}"))).ok()?;
            return Some(failed);
        }
    };
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    if let Some(line) = crate::notify::after_refresh(store, config, since) {
        let _ = tx.send(Msg::Notify(line));
    }
    tx.send(Msg::RefreshFinished {
        summary,
        at: chrono::Utc::now(),
    })
    .ok()?;
    Some(failed)
}

#[cfg(test)]
#[path = "refresher_tests.rs"]
mod tests;
