//! One sync session for the configured server or sync folder: the one owner of the
//! server's provider (its login and token, reused from one sync or push to the next, a
//! new login only after the server refused the old one), the lock that keeps two
//! processes from syncing one cache at once (a folder's too), and the time limit of each
//! run. `bulletin sync`, `refresh`, and the TUI's syncs and pushes all go through it.

use super::{Summary, SyncError, SyncFailure, SyncLock, SyncProvider};
use crate::config::{Config, FolderConfig, SyncConfig};
use crate::fetch::Fetcher;
use crate::store::{Brought, Store};
use std::time::Duration;

/// The most one sync may take, start to end: a server that pages for ever, or answers
/// each page slowly, ends here. What came is kept; the rest comes at the next sync.
pub const SYNC_LIMIT: Duration = Duration::from_secs(55);

pub struct Session {
    fetcher: Fetcher,
    via: Via,
}

/// What a session syncs with.
enum Via {
    /// An aggregator server, and its logged-in provider once there is one.
    Server {
        sync: SyncConfig,
        provider: Option<Box<dyn SyncProvider + Send>>,
    },
    /// `provider = "folder"`: a folder, and no server at all.
    Folder(FolderConfig),
}

/// Which queue of marks a failure says waits.
#[derive(Clone, Copy)]
enum Queue {
    Server,
    Folder,
}

impl Session {
    /// A session with the server or the folder `config` names (None without `[sync]`).
    /// Nothing is sent until the first sync or push.
    pub fn of(config: &Config, fetcher: &Fetcher) -> Option<Session> {
        let via = match (&config.folder, &config.sync) {
            (Some(folder), _) => Via::Folder(folder.clone()),
            (None, Some(sync)) => Via::Server {
                sync: sync.clone(),
                provider: None,
            },
            (None, None) => return None,
        };
        Some(Session {
            fetcher: fetcher.clone(),
            via,
        })
    }

    /// Syncs once: marks out, the server's feeds, articles and state in. One line of
    /// error naming the server, never holding the password.
    pub fn sync(&mut self, config: &Config, store: &mut Store) -> Result<Summary, SyncFailure> {
        self.sync_with(config, store, false)
    }

    /// `sync`; with `whole`, a stretch of the account's history is taken even when the
    /// last was less than an hour ago (`bulletin sync --all`).
    pub fn sync_with(
        &mut self,
        config: &Config,
        store: &mut Store,
        whole: bool,
    ) -> Result<Summary, SyncFailure> {
        let account = match &self.via {
            Via::Folder(folder) => {
                return with_folder(folder, store, |store| {
                    let outcome = crate::folder::sync(folder, config, store)?;
                    Ok(Summary {
                        provider: "folder",
                        feeds: outcome.summary.feeds,
                        new_items: 0,
                        pushed: outcome.summary.pushed,
                        pulled: outcome.summary.pulled,
                        config_changed: outcome.config_changed,
                        ..Summary::default()
                    })
                });
            }
            Via::Server { sync, .. } => sync.account(),
        };
        let scope = super::Scope::of(config);
        let result = self.with_provider(store, |provider, store| {
            super::run(store, provider, &account, &scope, whole)
        });
        if result.is_ok() {
            // keep_days for the server's articles, as for a feed's (never the starred).
            let now = chrono::Utc::now().timestamp();
            if let Err(e) = store.drop_old_brought(Brought::Synced, config.general.keep_days, now) {
                tracing::warn!("dropping old synced articles: {e}");
            }
        }
        result
    }

    /// Sends the queued marks and nothing else (a few seconds after a mark, so that
    /// other devices see it soon). Returns how many were sent.
    pub fn push(&mut self, store: &mut Store) -> Result<usize, SyncFailure> {
        let account = match &self.via {
            Via::Folder(folder) => {
                if store.folder_queue_len().unwrap_or(0) == 0 {
                    return Ok(0);
                }
                return with_folder(folder, store, |store| {
                    Ok(crate::folder::push_marks(folder, store)?)
                });
            }
            Via::Server { sync, .. } => sync.account(),
        };
        if store.queued_mark_count().unwrap_or(0) == 0 {
            return Ok(0);
        }
        // Marks queued under another account are not this server's to take.
        let stored = store.sync_account().ok().flatten();
        if !stored.is_some_and(|s| super::engine::same_account(&s, &account)) {
            return Ok(0);
        }
        self.with_provider(store, |provider, store| {
            super::engine::push(store, provider)
        })
    }

    /// Runs `f` under the lock with the logged-in provider, its requests bounded by
    /// `SYNC_LIMIT`; once more with a new login when the server no longer takes the old.
    fn with_provider<T>(
        &mut self,
        store: &mut Store,
        mut f: impl FnMut(&mut dyn SyncProvider, &mut Store) -> Result<T, SyncError>,
    ) -> Result<T, SyncFailure> {
        let Via::Server { sync, provider } = &mut self.via else {
            unreachable!("only a server's session has a provider")
        };
        let _lock = SyncLock::acquire(store.path().as_deref(), super::lock::WAIT)
            .map_err(|e| failed(&sync.url, e, store, Queue::Server))?;
        let mut retried = false;
        loop {
            let fresh = provider.is_none();
            if fresh {
                // A failure to log in says what waits here too.
                let connected = super::connect(sync, self.fetcher.clone());
                *provider =
                    Some(connected.map_err(|f| failed(&f.server, f.error, store, Queue::Server))?);
            }
            let Some(logged_in) = provider.as_mut() else {
                continue;
            };
            logged_in.set_deadline(SYNC_LIMIT);
            match f(logged_in.as_mut(), store) {
                Ok(v) => return Ok(v),
                // The token expired: log in again, once.
                Err(SyncError::Auth) if !fresh && !retried => {
                    retried = true;
                    *provider = None;
                }
                Err(e) => {
                    if matches!(e, SyncError::Auth) {
                        sync.password.forget();
                        *provider = None;
                    }
                    let failure = failed(&sync.url, e, store, Queue::Server);
                    tracing::warn!("{failure}");
                    return Err(failure);
                }
            }
        }
    }
}

/// Runs `f` on the folder under the cache's sync lock.
fn with_folder<T>(
    folder: &FolderConfig,
    store: &mut Store,
    f: impl FnOnce(&mut Store) -> Result<T, SyncError>,
) -> Result<T, SyncFailure> {
    let place = folder.path.display().to_string();
    let _lock = SyncLock::acquire(store.path().as_deref(), super::lock::WAIT)
        .map_err(|e| failed(&place, e, store, Queue::Folder))?;
    f(store).map_err(|e| {
        let failure = failed(&place, e, store, Queue::Folder);
        tracing::warn!("{failure}");
        failure
    })
}

/// A failed sync: the server, what went wrong, what was kept, and whether marks wait
/// (only when some do).
fn failed(url: &str, error: SyncError, store: &Store, queue: Queue) -> SyncFailure {
    let mut kept = String::new();
    if matches!(
        error,
        SyncError::Http(crate::fetch::FetchError::Deadline(_))
    ) {
        kept.push_str("; what came is kept, the rest comes at the next sync");
    }
    // The queue of the way this session syncs: the server's, or the folder's.
    let waiting = match queue {
        Queue::Server => store.queued_mark_count(),
        Queue::Folder => store.folder_queue_len(),
    };
    match waiting {
        Ok(0) | Err(_) => {}
        Ok(1) => kept.push_str("; 1 mark made here stays queued"),
        Ok(n) => kept.push_str(&format!("; {n} marks made here stay queued")),
    }
    SyncFailure {
        server: url.to_string(),
        error,
        kept,
    }
}
