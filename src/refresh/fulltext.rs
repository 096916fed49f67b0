//! After a refresh, the full text of the new articles of `full_text = true` feeds (and
//! of Gemini feeds, whose entries' pages are their articles), so that they are there
//! offline. Politely: one request per article and never again on its own
//! (a page that fails is recorded as failed), one request at a time per site, the
//! refresh's own client and user agent, at most a week back.

use crate::fetch::Fetcher;
use crate::model::{FeedId, ItemId};
use crate::store::Store;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

/// New articles are those that arrived in the last week (a refresh cut short leaves
/// some for the next one).
const WINDOW_DAYS: i64 = 7;
/// The most articles of one feed fetched in one refresh.
const PER_FEED: usize = 100;
/// The most pictures of one article cached ahead of reading.
const PICTURES_PER_ARTICLE: usize = 16;

/// The full-text phase of a refresh: the new articles of the feeds in `list` that ask
/// for it (those `requested`, or all). A public feed's pages and pictures come from
/// public addresses only; a feed on this machine or the LAN may point there (see
/// `Fetcher::for_content_of`). Returns how many articles got their full text.
pub fn fetch_for(
    store: &mut Store,
    fetcher: &Fetcher,
    config: &crate::config::Config,
    list: &crate::feedlist::FeedList,
    requested: Option<&[FeedId]>,
    opts: &super::Options,
    cancel: &AtomicBool,
) -> Result<usize, crate::store::StoreError> {
    // A gemlog's entries are links only: their Gemini pages are the articles, fetched
    // for every Gemini feed (its links elsewhere only when it asks for full text).
    let gemini_only = |f: &crate::feedlist::Listed| !f.spec.options.full_text;
    let (private, public): (Vec<_>, Vec<_>) = list
        .iter()
        .filter(|f| f.spec.options.full_text || f.spec.url.starts_with("gemini://"))
        .filter(|f| requested.is_none_or(|r| r.contains(&f.id)))
        .partition(|f| crate::fetch::on_private_network(&f.spec.url));
    let ids = |feeds: &[crate::feedlist::Listed], gemini: bool| {
        feeds
            .iter()
            .filter(|f| gemini_only(f) == gemini)
            .map(|f| f.id)
            .collect::<Vec<_>>()
    };
    let pictures = config
        .reader
        .cache_images
        .then(|| store.path())
        .flatten()
        .and_then(|db| Some(db.parent()?.join("images")));
    let mut got = 0;
    for (feeds, fetcher) in [(private, fetcher.clone()), (public, fetcher.public_only())] {
        for gemini in [false, true] {
            let feeds = ids(&feeds, gemini);
            if feeds.is_empty() || cancel.load(Ordering::Relaxed) {
                continue;
            }
            let scope = Scope {
                gemini_only: gemini,
                pictures: pictures.as_deref(),
            };
            got += fetch_new(store, &fetcher, &feeds, opts.concurrency, cancel, scope)?;
        }
    }
    Ok(got)
}

/// Which of the new articles' pages are fetched, and where their pictures go.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// Gemini pages only (a Gemini feed that does not ask for full text).
    pub gemini_only: bool,
    /// The picture cache, when pictures are cached ahead of reading.
    pub pictures: Option<&'a std::path::Path>,
}

/// Fetches and stores the full text of the new articles of `feeds`; returns how many
/// articles got it.
pub fn fetch_new(
    store: &mut Store,
    fetcher: &Fetcher,
    feeds: &[FeedId],
    concurrency: usize,
    cancel: &AtomicBool,
    scope: Scope,
) -> Result<usize, crate::store::StoreError> {
    let pictures = scope.pictures;
    let since = chrono::Utc::now().timestamp() - WINDOW_DAYS * 86_400;
    let mut wanted = store.full_text_wanted(feeds, since, PER_FEED)?;
    if scope.gemini_only {
        wanted.retain(|(_, link)| link.starts_with("gemini://"));
    }
    if wanted.is_empty() {
        return Ok(0);
    }
    // One queue per site: a thread takes a whole site, so no site sees two requests at
    // once.
    let mut by_host: BTreeMap<String, Vec<(ItemId, String)>> = BTreeMap::new();
    for (id, link) in wanted {
        let host = url::Url::parse(&link)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        by_host.entry(host).or_default().push((id, link));
    }
    let threads = concurrency.clamp(1, 8).min(by_host.len());
    let sites = Mutex::new(by_host.into_values().collect::<VecDeque<_>>());
    let (tx, rx) =
        mpsc::sync_channel::<(ItemId, Result<crate::fulltext::Extracted, String>)>(threads);
    let mut got = 0;
    let mut failure = None;
    // Ends this phase only: `cancel` is the UI quitting, which a store error is not (it
    // set `cancel` once, and every later refresh of the session stopped at its start).
    let stop = AtomicBool::new(false);
    let stop = &stop;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (tx, sites) = (tx.clone(), &sites);
            scope.spawn(move || loop {
                let Some(site) = sites.lock().ok().and_then(|mut s| s.pop_front()) else {
                    return;
                };
                for (id, link) in site {
                    if cancel.load(Ordering::Relaxed) || stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let result =
                        crate::fulltext::fetch(fetcher, &link, 1).map_err(|e| e.to_string());
                    // The article's pictures too, into the picture cache, when asked.
                    if let (Ok(a), Some(dir)) = (&result, pictures) {
                        let doc = crate::render::blocks(&a.html, Some(&a.url));
                        for url in doc.images.iter().flatten().take(PICTURES_PER_ARTICLE) {
                            if let Err(e) = crate::imagecache::bytes(fetcher, dir, url, false) {
                                tracing::info!("picture {url}: {e}");
                            }
                        }
                    }
                    if tx.send((id, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        for (id, result) in rx {
            let written = match &result {
                Ok(a) => store.set_full_text(id, Ok(a)),
                Err(e) => {
                    tracing::info!("full text of item {}: {e}", id.0);
                    store.set_full_text(id, Err(e))
                }
            };
            match written {
                Ok(()) => got += usize::from(result.is_ok()),
                Err(e) => {
                    failure = Some(e);
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(got),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParsedItem;

    /// Issue 26, item 5: a store error in this phase used to set the UI's quit flag, so
    /// that every later refresh of the session stopped at its start (the spinner turned
    /// for ever). The phase ends with the error; the flag is the UI's alone.
    #[test]
    fn a_store_error_ends_the_phase_and_leaves_the_quit_flag_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let mut store = Store::open(&path).unwrap();
        let ids = store.sync_feeds(&crate::store::test_specs(1)).unwrap();
        let items = (0..3)
            .map(|i| ParsedItem {
                guid: format!("a{i}"),
                title: format!("a{i}"),
                // A closed port: each fetch fails at once, and its failure is written.
                link: Some(format!("http://127.0.0.1:1/a{i}")),
                ..ParsedItem::default()
            })
            .collect();
        crate::store::test_write(&mut store, ids[0], items);
        // The disk is full, as far as full text goes.
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TRIGGER full BEFORE UPDATE OF full_text_error ON items
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
            )
            .unwrap();
        let fetcher = Fetcher::new(&crate::config::General::default()).unwrap();
        let cancel = AtomicBool::new(false);
        let result = fetch_new(&mut store, &fetcher, &ids, 2, &cancel, Scope::default());
        assert!(result.is_err());
        assert!(!cancel.load(Ordering::Relaxed), "the UI is not quitting");
    }
}
