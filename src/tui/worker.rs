//! The store thread: reads for the lists and the reader, and read-mark writes, in the
//! order they were asked for. It takes `StoreReq`s and answers only through `Msg`s; a
//! panic while handling one request is reported and the thread goes on.

use super::model::Undo;
use super::msg::{Msg, ReqId};
use crate::config::Config;
use crate::model::{FeedId, ItemId};
use crate::store::{ItemQuery, Store};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How often the store thread, when idle, looks whether another connection wrote.
/// `PRAGMA data_version` is one cheap read.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// What the store thread is asked to do. Every request is handled: there is no arm that
/// quietly drops one.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreReq {
    LoadFeeds,
    LoadDownloads,
    LoadPage {
        req: ReqId,
        query: ItemQuery,
        page: usize,
        count: bool,
    },
    /// Count a list's rows (asked after its first page was sent); answered with
    /// `Msg::Counted`.
    Count {
        req: ReqId,
        query: ItemQuery,
    },
    LoadArticle {
        req: ReqId,
        id: ItemId,
        full: bool,
    },
    SetRead {
        ids: Vec<ItemId>,
        read: bool,
    },
    /// Mark read what a list shows (above an item only, when given); answered with
    /// `Msg::MarkedRead`.
    MarkRead {
        query: ItemQuery,
        above: Option<ItemId>,
        /// The newest article the list was loaded with: none after it is marked.
        upto: ItemId,
    },
    /// Where an article is in a list; answered with `Msg::Located`.
    Locate {
        req: ReqId,
        query: ItemQuery,
        id: ItemId,
    },
    /// Keep a full text fetched by a job (only this thread writes the cache).
    SetFullText {
        id: ItemId,
        result: Result<crate::fulltext::Extracted, String>,
    },
    SaveHideRead(bool),
    SaveCollapsed(std::collections::BTreeSet<String>),
    SaveSorts(std::collections::HashMap<String, crate::store::Order>),
    /// Write the article text to a new file in the save folder.
    SaveArticle {
        path: std::path::PathBuf,
        title: String,
        text: String,
    },
    SetStarred {
        id: ItemId,
        starred: bool,
    },
    SaveSelection {
        feed_key: String,
        item: Option<ItemId>,
    },
    ReloadConfig,
    /// A sync changed the server's feeds: merge them in again and list them.
    ReloadSynced,
    /// Count each feed's articles of the last four weeks.
    CountRecent,
    /// Change the subscriptions, then reload the config.
    EditFeeds(super::msg::FeedEdit),
}

/// The text of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into())
}

/// Runs the store thread until the UI drops its sender. `config_path` is None in the demo.
pub fn store_thread(
    mut store: Store,
    mut config: Config,
    config_path: Option<PathBuf>,
    rx: Receiver<StoreReq>,
    tx: Sender<Msg>,
) {
    let mut names: HashMap<FeedId, String> = HashMap::new();
    let restored = super::answers::restored(&store);
    // Syncing through a folder: marks made from now on travel.
    if let Err(e) = crate::folder::join(&config, &mut store) {
        tracing::warn!("sync folder: {e}");
    }
    let _ = load_feeds(&store, &config, &tx, &mut names);
    if tx.send(restored).is_err() {
        return;
    }
    let mut seen_version = store.data_version().ok();
    let mut watch = super::config_watch::Watch::new(&config);
    let mut backlog = super::indexer::Backlog::default();
    backlog.recount(&mut store, &config);
    let mut queue = std::collections::VecDeque::new();
    // The saved searches and hidden articles want counting again.
    let mut counts_due = true;
    // When another connection's writes were last looked for: keys pressed faster than
    // WATCH_EVERY kept the store thread from ever idling that long, and a cron refresh's
    // articles did not show until the user stopped.
    let mut looked = std::time::Instant::now();
    loop {
        // Waiting work (the index's backlog, counts) makes the wait for a request zero:
        // it is done only while no request waits.
        let wait = if backlog.waiting() || counts_due {
            Duration::ZERO
        } else {
            WATCH_EVERY.saturating_sub(looked.elapsed())
        };
        let next = match queue.pop_front() {
            Some(req) => Ok(req),
            None => rx.recv_timeout(wait),
        };
        let req = match next {
            Ok(req) => req,
            Err(RecvTimeoutError::Timeout) => {
                if backlog.stories {
                    match backlog.step_stories(&mut store) {
                        // Copies found: the lists show them as one row.
                        Ok(true) => {
                            counts_due = true;
                            if tx.send(Msg::CacheChanged).is_err() {
                                return;
                            }
                        }
                        Ok(false) => {}
                        // Another process writes: again when it has committed.
                        Err(e) if e.is_busy() => backlog.stories = false,
                        Err(e) => {
                            backlog.stories = false;
                            let _ = tx.send(Msg::StoreFailed(format!("Stories: {e}")));
                        }
                    }
                    continue;
                }
                if backlog.left > 0 {
                    match backlog.step(&mut store, &names, &tx) {
                        // The index caught up: lists and counts are asked again.
                        Ok(true) => {
                            counts_due = true;
                            let _ = load_feeds(&store, &config, &tx, &mut names);
                            if tx.send(Msg::CacheChanged).is_err() {
                                return;
                            }
                        }
                        Ok(false) => {}
                        Err(e) if e.is_busy() => backlog.left = 0,
                        Err(e) => {
                            backlog.left = 0;
                            let _ = tx.send(Msg::StoreFailed(format!("Search index: {e}")));
                        }
                    }
                    continue;
                }
                if counts_due {
                    counts_due = false;
                    let counted = store.feed_summaries(&config.feeds).and_then(|feeds| {
                        if let Some(msg) = super::indexer::tag_copies(&store, &config, &feeds)? {
                            let _ = tx.send(msg);
                        }
                        super::indexer::searches(&store, &config, &feeds, true)
                    });
                    match counted {
                        Ok(msg) => {
                            let _ = tx.send(msg);
                        }
                        Err(e) => {
                            let _ = tx.send(Msg::StoreFailed(format!("Saved searches: {e}")));
                        }
                    }
                    continue;
                }
                // The config file changed (`bulletin add`/`remove` from another shell, an
                // editor): read again, so that the feed list, and what R fetches, follow.
                if watch.settled_change(config_path.as_deref()) {
                    counts_due = true;
                    let path = config_path.as_deref();
                    let reloaded = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        super::config_watch::reload(
                            &mut store,
                            &mut config,
                            path,
                            &tx,
                            &mut names,
                            super::config_watch::Reload::Noticed,
                        )
                    }));
                    if reloaded.is_err() {
                        let _ = tx.send(Msg::StoreFailed("Config: internal error".into()));
                    }
                    backlog.recount(&mut store, &config);
                    continue;
                }
                // Another process (a cron refresh, `bulletin mark-read`, the refresh
                // worker) committed: say so, so the lists catch up without a key press.
                looked = std::time::Instant::now();
                let version = store.data_version().ok();
                if version != seen_version {
                    seen_version = version;
                    counts_due = true;
                    backlog.recount(&mut store, &config);
                    if tx.send(Msg::CacheChanged).is_err() {
                        return;
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let req = if matches!(req, StoreReq::LoadPage { .. }) {
            // When a newer list was asked for while this page waited, it is stale.
            queue.push_front(req);
            super::indexer::drain(&rx, &mut queue);
            match queue.pop_front() {
                Some(req) => req,
                None => continue,
            }
        } else {
            req
        };
        // What changes read state, stars or the feeds changes the saved searches' counts.
        counts_due |= matches!(
            req,
            StoreReq::SetRead { .. }
                | StoreReq::MarkRead { .. }
                | StoreReq::SetStarred { .. }
                | StoreReq::LoadFeeds
                | StoreReq::ReloadConfig
                | StoreReq::ReloadSynced
                | StoreReq::EditFeeds(_)
        );
        // A mark shown before it was written, to take back should the write fail.
        let mark = match &req {
            StoreReq::SetRead { ids, read } => Some(Some(Undo::Read {
                ids: ids.clone(),
                read: *read,
            })),
            StoreReq::SetStarred { id, starred } => Some(Some(Undo::Star {
                id: *id,
                starred: *starred,
            })),
            StoreReq::MarkRead { .. } => Some(None),
            _ => None,
        };
        // A feed added here, or stories turned on, leaves texts to compare that no other
        // connection's commit will announce.
        let recount = matches!(
            req,
            StoreReq::EditFeeds(_) | StoreReq::ReloadConfig | StoreReq::ReloadSynced
        );
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            // These two change the config, which only this loop holds.
            let said = match &req {
                StoreReq::EditFeeds(edit) => Some(super::manage::apply(
                    &mut store,
                    &config,
                    config_path.as_deref(),
                    edit,
                    &tx,
                )),
                StoreReq::ReloadConfig => None,
                StoreReq::ReloadSynced => {
                    crate::feedlist::merge(&mut config, &store)?;
                    store.sync_feeds(&config.feeds)?;
                    return load_feeds(&store, &config, &tx, &mut names);
                }
                _ => {
                    return super::answers::handle(
                        &mut store, &config, &tx, &mut names, req, &mut queue,
                    )
                }
            };
            if said.as_ref().is_none_or(Result::is_ok) {
                let path = config_path.as_deref();
                watch.reading(path);
                super::config_watch::reload(
                    &mut store,
                    &mut config,
                    path,
                    &tx,
                    &mut names,
                    super::config_watch::Reload::Asked,
                );
            }
            if let Some(said) = said {
                let _ = tx.send(Msg::Notice(said.unwrap_or_else(|e| e)));
            }
            Ok(())
        }));
        if recount {
            backlog.recount(&mut store, &config);
        }
        let error = match result {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => format!("Cache: {e}"),
            Err(panic) => format!("Cache: internal error: {}", panic_message(&*panic)),
        };
        tracing::error!("{error}");
        let msg = match mark {
            Some(mark) => Msg::MarkFailed { error, mark },
            None => Msg::StoreFailed(error),
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
}

pub(super) fn load_feeds(
    store: &Store,
    config: &Config,
    tx: &Sender<Msg>,
    names: &mut HashMap<FeedId, String>,
) -> Result<(), crate::store::StoreError> {
    let upto = store.newest_item()?;
    let feeds = store.feed_summaries(&config.feeds)?;
    *names = feeds.iter().map(|f| (f.id, f.name.clone())).collect();
    let listed: Vec<FeedId> = feeds.iter().map(|f| f.id).collect();
    let unlisted = store.unlisted_feed_names(&listed)?;
    names.extend(unlisted.iter().cloned());
    let _ = tx.send(Msg::UnlistedFeeds(unlisted));
    // The Starred row's counts, over the feeds listed (the partial index makes it cheap),
    // a story once as its list shows it (a star given to a story stars every copy).
    let starred = ItemQuery {
        scope: crate::store::Scope::Feeds(listed.clone()),
        unread_only: false,
        starred_only: true,
        search: None,
        order: Default::default(),
        stories: config.general.stories != crate::story::Mode::Off,
    };
    let total = store.count_items(&starred)?;
    let unread = store.count_items(&ItemQuery {
        unread_only: true,
        ..starred
    })?;
    // The saved searches' rows first, so a restored selection finds them; their counts
    // (which search the index, up to a second for words in every article) come when the
    // store thread has nothing else to do (`counts_due` in the loop).
    if !config.queries.is_empty() {
        let _ = tx.send(super::indexer::searches(store, config, &feeds, false)?);
    }
    let _ = tx.send(Msg::FeedsUpto(upto));
    let _ = tx.send(Msg::FeedsLoaded(feeds));
    let _ = tx.send(Msg::StarredCounted { unread, total });
    if config.general.stories != crate::story::Mode::Off {
        let _ = tx.send(Msg::CopiesCounted(store.unread_copies(&listed)?));
    }
    // Marks waiting for the server or the mailbox: ours, or a `bulletin mark-read`'s
    // from another shell (which the UI then sends).
    if config.sync.is_some() || config.folder.is_some() || !config.mailboxes.is_empty() {
        let waiting =
            store.queued_mark_count()? + store.mail_queue_len()? + store.folder_queue_len()?;
        let _ = tx.send(Msg::MarksWaiting(waiting));
    }
    // Which feeds are the server's, as the last sync left them (`d` asks accordingly).
    if config.sync.is_some() {
        let _ = tx.send(Msg::ServerFeeds(crate::tui::model::server_feeds(config)));
    }
    Ok(())
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
