//! One sync session for a configured server: the one owner of the provider (its login
//! and token, reused from one sync or push to the next, a new login only after the
//! server refused the old one), the lock that keeps two processes from syncing one cache
//! at once, and the time limit of each run. `bulletin sync`, `refresh`, and the TUI's
//! syncs and pushes all go through it.

use super::{Summary, SyncError, SyncFailure, SyncLock, SyncProvider};
use crate::config::{Config, FolderConfig, SyncConfig};
use crate::fetch::Fetcher;
use crate::store::{Brought, Store};
use std::time::Duration;

/// The most one sync may take, start to end: a server that pages for ever, or answers
/// each page slowly, ends here. What came is kept; the rest comes at the next sync.
pub const SYNC_LIMIT: Duration = Duration::from_secs(55);

pub struct Session {
    sync: SyncConfig,
    fetcher: Fetcher,
    provider: Option<Box<dyn SyncProvider + Send>>,
    /// `provider = "folder"`: the folder, and no server at all.
    folder: Option<FolderConfig>,
}

impl Session {
    /// A session with the server or the folder `config` names (None without `[sync]`).
    /// Nothing is sent until the first sync or push.
    pub fn of(config: &Config, fetcher: &Fetcher) -> Option<Session> {
        if let Some(folder) = &config.folder {
            return Some(Session {
                sync: SyncConfig {
                    provider: crate::config::Provider::Folder,
                    url: folder.path.display().to_string(),
                    username: String::new(),
                    password: crate::config::Password::Plain(String::new()),
                },
                fetcher: fetcher.clone(),
                provider: None,
                folder: Some(folder.clone()),
            });
        }
        Some(Session {
            sync: config.sync.clone()?,
            fetcher: fetcher.clone(),
            provider: None,
            folder: None,
        })
    }

    /// Syncs once: marks out, the server's feeds, articles and state in. One line of
    /// error naming the server, never holding the password.
    pub fn sync(&mut self, config: &Config, store: &mut Store) -> Result<Summary, SyncFailure> {
        if let Some(folder) = &self.folder {
            return self.with_folder(store, |store| {
                let outcome = crate::folder::sync(folder, config, store)?;
                Ok(Summary {
                    provider: "folder",
                    feeds: outcome.summary.feeds,
                    new_items: 0,
                    pushed: outcome.summary.pushed,
                    pulled: outcome.summary.pulled,
                    config_changed: outcome.config_changed,
                })
            });
        }
        let account = self.sync.account();
        let configured = config.own_feed_urls();
        let result = self.with_provider(store, |provider, store| {
            super::run(store, provider, &account, &configured)
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
        if let Some(folder) = &self.folder {
            if store.folder_queue_len().unwrap_or(0) == 0 {
                return Ok(0);
            }
            return self.with_folder(store, |store| Ok(crate::folder::push_marks(folder, store)?));
        }
        if store.queued_mark_count().unwrap_or(0) == 0 {
            return Ok(0);
        }
        // Marks queued under another account are not this server's to take.
        let stored = store.sync_account().ok().flatten();
        if !stored.is_some_and(|s| super::engine::same_account(&s, &self.sync.account())) {
            return Ok(0);
        }
        self.with_provider(store, |provider, store| {
            super::engine::push(store, provider)
        })
    }

    /// Runs `f` on the folder under the cache's sync lock.
    fn with_folder<T>(
        &self,
        store: &mut Store,
        f: impl FnOnce(&mut Store) -> Result<T, SyncError>,
    ) -> Result<T, SyncFailure> {
        let _lock = SyncLock::acquire(store.path().as_deref(), super::lock::WAIT)
            .map_err(|e| failed(&self.sync.url, e, store))?;
        f(store).map_err(|e| {
            let failure = failed(&self.sync.url, e, store);
            tracing::warn!("{failure}");
            failure
        })
    }

    /// Runs `f` under the lock with the logged-in provider, its requests bounded by
    /// `SYNC_LIMIT`; once more with a new login when the server no longer takes the old.
    fn with_provider<T>(
        &mut self,
        store: &mut Store,
        mut f: impl FnMut(&mut dyn SyncProvider, &mut Store) -> Result<T, SyncError>,
    ) -> Result<T, SyncFailure> {
        let _lock = SyncLock::acquire(store.path().as_deref(), super::lock::WAIT)
            .map_err(|e| failed(&self.sync.url, e, store))?;
        let mut retried = false;
        loop {
            let fresh = self.provider.is_none();
            if fresh {
                // A failure to log in says what waits here too.
                let connected = super::connect(&self.sync, self.fetcher.clone());
                self.provider = Some(connected.map_err(|f| failed(&f.server, f.error, store))?);
            }
            let Some(provider) = self.provider.as_mut() else {
                continue;
            };
            provider.set_deadline(SYNC_LIMIT);
            match f(provider.as_mut(), store) {
                Ok(v) => return Ok(v),
                // The token expired: log in again, once.
                Err(SyncError::Auth) if !fresh && !retried => {
                    retried = true;
                    self.provider = None;
                }
                Err(e) => {
                    if matches!(e, SyncError::Auth) {
                        self.sync.password.forget();
                        self.provider = None;
                    }
                    let failure = failed(&self.sync.url, e, store);
                    tracing::warn!("{failure}");
                    return Err(failure);
                }
            }
        }
    }
}

/// A failed sync: the server, what went wrong, what was kept, and whether marks wait
/// (only when some do).
fn failed(url: &str, error: SyncError, store: &Store) -> SyncFailure {
    let mut kept = String::new();
    if matches!(
        error,
        SyncError::Http(crate::fetch::FetchError::Deadline(_))
    ) {
        kept.push_str("; what came is kept, the rest comes at the next sync");
    }
    // The queue of the way this session syncs: the server's, or the folder's.
    let waiting = if url_is_folder(url, store) {
        store.folder_queue_len()
    } else {
        store.queued_mark_count()
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

/// Whether a failure's place is the sync folder (this cache syncs through one).
fn url_is_folder(url: &str, store: &Store) -> bool {
    !url.starts_with("http") && store.folder_device().ok().flatten().is_some()
}
