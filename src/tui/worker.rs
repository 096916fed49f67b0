//! The threads behind the UI: the store thread (reads for the lists and reader, read-mark
//! writes, in order) and the refresh worker (fetch, parse, write). They talk to the UI
//! only through `Msg`s.

use super::msg::{Cmd, Msg};
use crate::article::Prepared;
use crate::config::Config;
use crate::fetch::Fetcher;
use crate::model::FeedId;
use crate::refresh;
use crate::store::Store;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

const META_FEED: &str = "tui.feed";
const META_ITEM: &str = "tui.item";

/// What the refresh worker is asked to do.
pub enum RefreshReq {
    /// Refresh these feeds, or all of them.
    Run(Option<Vec<FeedId>>),
    /// Use this config from now on (after a reload).
    Config(Box<Config>),
}

/// Runs the store thread until the UI drops its sender. `config_path` is None in the demo.
pub fn store_thread(
    mut store: Store,
    mut config: Config,
    config_path: Option<PathBuf>,
    rx: Receiver<Cmd>,
    tx: Sender<Msg>,
) {
    let mut names: HashMap<FeedId, String> = HashMap::new();
    let restored = Msg::Restored {
        feed_key: store.meta(META_FEED).ok().flatten(),
        item: store
            .meta(META_ITEM)
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .map(crate::model::ItemId),
    };
    let _ = load_feeds(&store, &config, &tx, &mut names);
    if tx.send(restored).is_err() {
        return;
    }
    for cmd in rx {
        if cmd == Cmd::ReloadConfig {
            reload(
                &mut store,
                &mut config,
                config_path.as_deref(),
                &tx,
                &mut names,
            );
            continue;
        }
        let result = handle(&mut store, &config, &tx, &mut names, cmd);
        if let Err(e) = result {
            tracing::error!("cache: {e}");
            if tx.send(Msg::StoreFailed(format!("Cache: {e}"))).is_err() {
                return;
            }
        }
    }
}

/// Reads the config again; on success the feed list follows it, read state untouched.
fn reload(
    store: &mut Store,
    config: &mut Config,
    path: Option<&std::path::Path>,
    tx: &Sender<Msg>,
    names: &mut HashMap<FeedId, String>,
) {
    let loaded = match path {
        None => Err("the demo has no config file: create one and restart".to_string()),
        Some(p) => Config::load(p).map_err(|e| e.to_string()),
    };
    let loaded = loaded.and_then(|c| {
        store.sync_feeds(&c.feeds).map_err(|e| e.to_string())?;
        Ok(c)
    });
    if let Ok(new) = &loaded {
        *config = new.clone();
        tracing::info!(feeds = new.feeds.len(), "config reloaded");
        let _ = load_feeds(store, config, tx, names);
    }
    let _ = tx.send(Msg::ConfigReloaded(loaded.map(Box::new)));
}

fn load_feeds(
    store: &Store,
    config: &Config,
    tx: &Sender<Msg>,
    names: &mut HashMap<FeedId, String>,
) -> anyhow::Result<()> {
    let feeds = store.feed_summaries(&config.feeds)?;
    *names = feeds.iter().map(|f| (f.id, f.name.clone())).collect();
    let _ = tx.send(Msg::FeedsLoaded(feeds));
    Ok(())
}

fn handle(
    store: &mut Store,
    config: &Config,
    tx: &Sender<Msg>,
    names: &mut HashMap<FeedId, String>,
    cmd: Cmd,
) -> anyhow::Result<()> {
    match cmd {
        Cmd::LoadFeeds => load_feeds(store, config, tx, names)?,
        Cmd::LoadPage {
            req,
            query,
            page,
            count,
        } => {
            let rows = store.items(
                &query,
                page * super::model::PAGE_SIZE,
                super::model::PAGE_SIZE,
            )?;
            let total = if count {
                Some(store.count_items(&query)?)
            } else {
                None
            };
            let _ = tx.send(Msg::PageLoaded {
                req,
                page,
                total,
                rows,
            });
        }
        Cmd::LoadArticle { req, id } => {
            if let Some(item) = store.item(id)? {
                let name = names
                    .get(&item.feed_id)
                    .cloned()
                    .or_else(|| item.feed_title.clone())
                    .unwrap_or_else(|| item.feed_url.clone());
                // Parsing the HTML happens here, off the UI thread; the UI only wraps.
                let prepared = Prepared::new(&item, &name);
                let _ = tx.send(Msg::ArticleLoaded {
                    req,
                    item: Box::new(item),
                    prepared: Box::new(prepared),
                });
            }
        }
        Cmd::SetRead { ids, read } => {
            store.set_read(&ids, read)?;
            load_feeds(store, config, tx, names)?;
        }
        Cmd::MarkFeedsRead(ids) => {
            store.mark_feeds_read(&ids)?;
            load_feeds(store, config, tx, names)?;
        }
        Cmd::SetStarred { id, starred } => store.set_starred(id, starred)?,
        Cmd::SaveSelection { feed_key, item } => {
            store.set_meta(META_FEED, &feed_key)?;
            store.set_meta(
                META_ITEM,
                &item.map(|i| i.0.to_string()).unwrap_or_default(),
            )?;
        }
        Cmd::Refresh(_)
        | Cmd::OpenUrl(_)
        | Cmd::CopyToClipboard(_)
        | Cmd::ReloadConfig
        | Cmd::UseConfig(_) => {}
    }
    Ok(())
}

/// Runs refreshes on request, and every `refresh_interval_minutes` when set.
pub fn refresh_thread(
    db: PathBuf,
    mut config: Config,
    rx: Receiver<RefreshReq>,
    tx: Sender<Msg>,
    cancel: Arc<AtomicBool>,
) {
    let mut store = match Store::open(&db) {
        Ok(s) => s,
        Err(e) => {
            let _ = tx.send(Msg::StoreFailed(format!("Refresh: {e}")));
            return;
        }
    };
    let mut fetcher = match Fetcher::new(&config.general) {
        Ok(f) => f,
        Err(e) => {
            let _ = tx.send(Msg::StoreFailed(format!("Refresh: {e}")));
            return;
        }
    };
    loop {
        let interval = Duration::from_secs(u64::from(config.general.refresh_interval_minutes) * 60);
        let request = if interval.is_zero() {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            rx.recv_timeout(interval)
        };
        let mut feeds = match request {
            Ok(RefreshReq::Run(feeds)) => feeds,
            Ok(RefreshReq::Config(new)) => {
                if let Ok(f) = Fetcher::new(&new.general) {
                    fetcher = f;
                }
                config = *new;
                continue;
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // Requests that piled up meanwhile merge into this one: five R presses, one refresh.
        while let Ok(more) = rx.try_recv() {
            feeds = match (feeds, more) {
                (Some(mut a), RefreshReq::Run(Some(b))) => {
                    a.extend(b);
                    Some(a)
                }
                (feeds, RefreshReq::Config(new)) => {
                    config = *new;
                    feeds
                }
                _ => None,
            };
        }
        if !run_refresh(&mut store, &fetcher, &config, feeds, &tx, &cancel) {
            return;
        }
    }
}

/// One refresh; false when the UI is gone.
fn run_refresh(
    store: &mut Store,
    fetcher: &Fetcher,
    config: &Config,
    feeds: Option<Vec<FeedId>>,
    tx: &Sender<Msg>,
    cancel: &AtomicBool,
) -> bool {
    let ids = match feeds {
        Some(mut ids) => {
            ids.sort();
            ids.dedup();
            Ok(ids)
        }
        None => store.sync_feeds(&config.feeds),
    };
    let targets = match ids.and_then(|ids| store.feed_targets(&ids)) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!("refresh: {e}");
            return tx.send(Msg::StoreFailed(format!("Refresh: {e}"))).is_ok();
        }
    };
    tracing::info!(feeds = targets.len(), "refresh started");
    if tx
        .send(Msg::RefreshStarted {
            total: targets.len(),
        })
        .is_err()
    {
        return false;
    }
    let opts = refresh::Options {
        concurrency: config.general.max_concurrent_fetches as usize,
        keep_days: config.general.keep_days,
    };
    let summary = refresh::refresh(store, fetcher, targets, &opts, cancel, |done, summary| {
        if let refresh::FeedResult::Failed(e) = &done.result {
            tracing::warn!(url = %done.url, "feed failed: {e}");
        }
        let _ = tx.send(Msg::RefreshProgress {
            done: done.clone(),
            summary: *summary,
        });
    });
    if cancel.load(Ordering::Relaxed) {
        return false;
    }
    tracing::info!(
        ok = summary.ok,
        failed = summary.failed,
        new = summary.new_items,
        "refresh finished"
    );
    tx.send(Msg::RefreshFinished {
        summary,
        at: chrono::Utc::now(),
    })
    .is_ok()
}
