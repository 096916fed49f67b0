//! Subscriptions changed from the TUI: discovery on a thread of its own (it waits on the
//! network), and the config edits on the store thread, which then reloads the config as
//! Ctrl-r does. The same core as `bulletin add`, `remove`, `rename` and `tag`.

use super::msg::{FeedEdit, Msg};
use crate::config::{Config, ConfigFile, General, Provider};
use crate::fetch::Fetcher;
use crate::store::{PreparedFeed, Store};
use std::path::Path;
use std::sync::mpsc::Sender;

/// Looks for the feed(s) at `url` on a new thread; the answer comes as `Msg::Discovered`.
pub fn discover(general: &General, url: String, origin: Option<String>, events: Sender<Msg>) {
    let general = general.clone();
    let job = move || {
        let found = crate::fetch::Fetcher::new(&general)
            .map_err(|e| e.to_string())
            .map(|f| match &origin {
                // As typed (`host:port/page`): the page's own address, which may be private.
                Some(page) => {
                    f.for_content_of(&crate::discover::normalise(page).unwrap_or(page.clone()))
                }
                None => f,
            })
            .and_then(|f| match origin {
                // Picked from a page: as it is. Typed: https, else http when bare.
                Some(_) => crate::discover::discover(&f, &url).map_err(|e| e.to_string()),
                None => crate::discover::discover_typed(&f, &url)
                    .map(|(found, _)| found)
                    .map_err(|e| e.to_string()),
            });
        Msg::Discovered(found)
    };
    super::jobs::run(&events, "discover", job, |e| Msg::Discovered(Err(e)));
}

/// Writes the change to the config file; returns what to tell the user. The caller
/// reloads the config afterwards. With `[sync]`, a subscription over the Google Reader
/// API and the removal of a server's feed go to the server, on a thread of their own
/// (they wait on the network), which answers with `Msg::ServerEdited`.
pub fn apply(
    store: &mut Store,
    config: &Config,
    config_path: Option<&Path>,
    edit: &FeedEdit,
    events: &Sender<Msg>,
) -> Result<String, String> {
    let Some(path) = config_path else {
        return Err("the demo has no config file: `bulletin init` writes one".into());
    };
    let url = match edit {
        FeedEdit::Remove { url } | FeedEdit::Rename { url, .. } | FeedEdit::Tags { url, .. } => {
            Some(url)
        }
        FeedEdit::Subscribe(_) => None,
    };
    if let Some(mailbox) = url
        .and_then(|u| config.feeds.iter().find(|f| &f.url == u))
        .and_then(|f| f.mailbox.as_deref())
    {
        return Err(format!(
            "a newsletter from the mailbox {mailbox:?}: use its Unsubscribe link, or file it elsewhere in your mail"
        ));
    }
    if let Some(said) = on_server(store, config, edit, events)? {
        return Ok(said);
    }
    let mut file = ConfigFile::open(path).map_err(|e| e.to_string())?;
    let said = match edit {
        FeedEdit::Subscribe(found) => {
            let config = file.config().map_err(|e| e.to_string())?;
            if let Some(f) = config.feeds.iter().find(|f| f.url == found.url) {
                return Err(format!(
                    "{} is already subscribed, as {:?}",
                    found.url,
                    f.name.as_deref().unwrap_or(&f.url)
                ));
            }
            file.add_feed(&found.url, None, &[])
                .map_err(|e| e.to_string())?;
            let config = file.save().map_err(|e| e.to_string())?;
            // The articles are in hand: into the cache now.
            let added = crate::feedlist::FeedList::of(&config, store)
                .map_err(|e| e.to_string())?
                .by_url(&found.url)
                .map(|f| f.id);
            if let Some(id) = added {
                store
                    .apply(
                        id,
                        &PreparedFeed::grouped(found.feed.clone(), config.general.stories),
                        &Default::default(),
                        Some(200),
                        chrono::Utc::now(),
                        config.general.keep_days,
                    )
                    .map_err(|e| e.to_string())?;
            }
            let title = found
                .feed
                .title
                .clone()
                .unwrap_or_else(|| found.url.clone());
            format!(
                "Subscribed to {title}: {} article{}",
                found.feed.items.len(),
                if found.feed.items.len() == 1 { "" } else { "s" }
            )
        }
        FeedEdit::Remove { url } => {
            file.remove_feed(url).map_err(|e| e.to_string())?;
            file.save().map_err(|e| e.to_string())?;
            let config_ids = store.feed_id(url).map_err(|e| e.to_string())?;
            let kept = match config_ids {
                Some(id) => store.remove_feed(id).map_err(|e| e.to_string())?.1,
                None => 0,
            };
            if kept > 0 {
                format!(
                    "Removed {url}; its {kept} starred article{} under Starred",
                    if kept == 1 { " stays" } else { "s stay" }
                )
            } else {
                format!("Removed {url}")
            }
        }
        FeedEdit::Rename { url, name } => {
            let name = name.trim();
            file.set_name(url, (!name.is_empty()).then_some(name))
                .map_err(|e| e.to_string())?;
            file.save().map_err(|e| e.to_string())?;
            format!("Renamed to {name:?}")
        }
        FeedEdit::Tags { url, tags } => {
            file.set_tags(url, tags).map_err(|e| e.to_string())?;
            file.save().map_err(|e| e.to_string())?;
            format!("Tags: {}", tags.join(", "))
        }
    };
    Ok(said)
}

/// The part of an edit that is the sync server's: Some(what to say now) when it went to
/// the server, None when the config file takes the edit.
fn on_server(
    store: &Store,
    config: &Config,
    edit: &FeedEdit,
    events: &Sender<Msg>,
) -> Result<Option<String>, String> {
    let Some(sync) = config.sync.clone() else {
        return Ok(None);
    };
    // A sync server fetches web feeds only: a Gemini or local feed stays in the config.
    if let FeedEdit::Subscribe(found) = edit {
        if !found.url.starts_with("http://") && !found.url.starts_with("https://") {
            return Ok(None);
        }
    }
    let remote_of = |url: &str| {
        config
            .feeds
            .iter()
            .find(|f| f.url == url)
            .and_then(|f| f.remote.clone())
    };
    let db = store.path().ok_or("the cache has no file")?;
    let general = config.general.clone();
    let scope = crate::sync::Scope::of(config);
    let job: Box<dyn FnOnce() -> Result<String, String> + Send> = match edit {
        FeedEdit::Subscribe(found) if sync.provider == Provider::Greader => {
            if remote_of(&found.url).is_some() {
                return Err(format!("{} is already subscribed on the server", found.url));
            }
            let url = found.url.clone();
            Box::new(move || {
                let fetcher = Fetcher::new(&general).map_err(|e| e.to_string())?;
                let mut provider =
                    crate::sync::connect(&sync, fetcher).map_err(|e| e.to_string())?;
                let server = |e: crate::sync::SyncError| {
                    crate::sync::SyncFailure::new(&sync.url, e).to_string()
                };
                provider.subscribe(&url, None).map_err(server)?;
                let mut store = Store::open(&db).map_err(|e| e.to_string())?;
                // The sync that brings its articles takes the lock every sync takes.
                let _lock = crate::sync::SyncLock::acquire(Some(&db), crate::sync::LOCK_WAIT)
                    .map_err(server)?;
                provider.set_deadline(crate::sync::SYNC_LIMIT);
                let s = crate::sync::run(
                    &mut store,
                    provider.as_mut(),
                    &sync.account(),
                    &scope,
                    false,
                )
                .map_err(server)?;
                Ok(format!(
                    "Subscribed on the server to {url}: {} new articles",
                    s.new_items
                ))
            })
        }
        FeedEdit::Remove { url } => match remote_of(url) {
            Some(remote) if !remote.configured => {
                let url = url.clone();
                Box::new(move || {
                    let fetcher = Fetcher::new(&general).map_err(|e| e.to_string())?;
                    let mut provider =
                        crate::sync::connect(&sync, fetcher).map_err(|e| e.to_string())?;
                    provider
                        .unsubscribe(&remote.id)
                        .map_err(|e| crate::sync::SyncFailure::new(&sync.url, e).to_string())?;
                    let mut store = Store::open(&db).map_err(|e| e.to_string())?;
                    if let Some(id) = store.feed_id(&url).map_err(|e| e.to_string())? {
                        store.remove_feed(id).map_err(|e| e.to_string())?;
                    }
                    Ok(format!("Unsubscribed on the server from {url}"))
                })
            }
            _ => return Ok(None),
        },
        FeedEdit::Rename { url, .. } | FeedEdit::Tags { url, .. }
            if remote_of(url).is_some_and(|r| !r.configured) =>
        {
            return Err(format!(
                "{url} comes from the sync server: rename or tag it there (its groups are its tags here)"
            ));
        }
        _ => return Ok(None),
    };
    super::jobs::run(
        events,
        "sync-edit",
        move || Msg::ServerEdited(job()),
        |e| Msg::ServerEdited(Err(e)),
    );
    Ok(Some("Asking the sync server…".into()))
}

/// Tags as typed at the prompt: separated by commas (or spaces when there is no comma).
pub fn split_tags(text: &str) -> Vec<String> {
    let parts: Vec<&str> = if text.contains(',') {
        text.split(',').collect()
    } else {
        text.split_whitespace().collect()
    };
    let mut out: Vec<String> = Vec::new();
    for p in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|t| t == p) {
            out.push(p.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_split_on_commas_else_spaces() {
        assert_eq!(
            super::split_tags("security, weekly news ,x"),
            ["security", "weekly news", "x"]
        );
        assert_eq!(super::split_tags("a b a"), ["a", "b"]);
        assert!(super::split_tags("  ").is_empty());
    }
}
