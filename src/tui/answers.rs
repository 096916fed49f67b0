//! The store thread's answers: each request (worker.rs) read or written and said back
//! as `Msg`s, and the TUI's session (selection, folds, sorts) kept in the cache's meta
//! table and given back at start.

use super::msg::Msg;
use super::worker::{load_feeds, StoreReq};
use crate::article::Prepared;
use crate::config::Config;
use crate::model::FeedId;
use crate::store::Store;
use std::collections::HashMap;
use std::sync::mpsc::Sender;

const META_FEED: &str = "tui.feed";
const META_ITEM: &str = "tui.item";
const META_HIDE_READ: &str = "tui.hide_read";
/// The folded tag groups, one `+tag` a line (`+` alone is Untagged).
const META_COLLAPSED: &str = "tui.collapsed";
const META_SORTS: &str = "tui.sorts";

/// The session as the last TUI left it.
pub(super) fn restored(store: &Store) -> Msg {
    Msg::Restored {
        feed_key: store.meta(META_FEED).ok().flatten(),
        item: store
            .meta(META_ITEM)
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .map(crate::model::ItemId),
        hide_read: store.meta(META_HIDE_READ).ok().flatten().as_deref() == Some("1"),
        collapsed: store
            .meta(META_COLLAPSED)
            .ok()
            .flatten()
            .map(|text| {
                text.lines()
                    .filter_map(|l| l.strip_prefix('+'))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        sorts: store
            .meta(META_SORTS)
            .ok()
            .flatten()
            .map(|text| {
                // One "order<TAB>key" a line: a key may hold any character but a newline.
                text.lines()
                    .filter_map(|l| l.split_once('\t'))
                    .filter_map(|(o, k)| Some((k.to_string(), crate::store::Order::from_name(o)?)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The feed counts after a mark that is written: a failure here is said as a cache
/// error, never as the mark failing (the mark is kept, and `u` can still undo it).
fn counts_after_mark(
    store: &Store,
    config: &Config,
    tx: &Sender<Msg>,
    names: &mut HashMap<FeedId, String>,
) {
    if let Err(e) = load_feeds(store, config, tx, names) {
        tracing::error!("feed counts: {e}");
        let _ = tx.send(Msg::StoreFailed(format!("Cache: {e}")));
    }
}

/// Answers one request (the config-changing ones are the loop's, in worker.rs).
pub(super) fn handle(
    store: &mut Store,
    config: &Config,
    tx: &Sender<Msg>,
    names: &mut HashMap<FeedId, String>,
    req: StoreReq,
    later: &mut std::collections::VecDeque<StoreReq>,
) -> Result<(), crate::store::StoreError> {
    match req {
        StoreReq::LoadFeeds => load_feeds(store, config, tx, names)?,
        StoreReq::LoadDownloads => {
            let list = crate::download::as_they_stand(store.downloads()?);
            let _ = tx.send(Msg::Downloads(list));
        }
        StoreReq::LoadPage {
            req,
            query,
            page,
            count,
        } => {
            // Read before the rows: an article written between the two is then past the
            // bound (never marked unseen), not within it.
            let upto = if page == 0 {
                store.newest_item()?
            } else {
                None
            };
            let rows = store.items(
                &query,
                page * super::model::PAGE_SIZE,
                super::model::PAGE_SIZE,
            )?;
            // A short first page is the whole list. Otherwise the page goes out now and the
            // count (slow over many matches) comes after, unless a newer list replaces it.
            let exact = page == 0 && rows.len() < super::model::PAGE_SIZE;
            let total = (count && exact).then_some(rows.len());
            let _ = tx.send(Msg::PageLoaded {
                req,
                page,
                total,
                rows,
                upto,
            });
            if count && !exact {
                later.push_front(StoreReq::Count { req, query });
            }
        }
        StoreReq::CountRecent => {
            let since = chrono::Utc::now() - chrono::Duration::days(28);
            let counts = store.recent_counts(since.timestamp())?;
            let _ = tx.send(Msg::RecentCounted(counts));
        }
        StoreReq::Count { req, query } => {
            let total = store.count_items(&query)?;
            let _ = tx.send(Msg::Counted { req, total });
        }
        StoreReq::LoadArticle { req, id, full } => {
            if let Some(item) = store.item(id)? {
                let name = names
                    .get(&item.feed_id)
                    .cloned()
                    .unwrap_or_else(|| item.feed_name());
                // Parsing the HTML happens here, off the UI thread; the UI only wraps.
                let mut prepared = Prepared::with_text(&item, &name, full);
                prepared.also_in = store
                    .copies(item.id)?
                    .into_iter()
                    .map(|c| (c.id, c.feed_name(names.get(&c.feed_id).map(String::as_str))))
                    .collect();
                if let Some(mailbox) = &item.mailbox {
                    prepared = prepared.mail_images(config.remote_images_allowed(mailbox));
                }
                let _ = tx.send(Msg::ArticleLoaded {
                    req,
                    item: Box::new(item),
                    prepared: Box::new(prepared),
                });
            } else {
                let _ = tx.send(Msg::ArticleGone { req });
            }
        }
        StoreReq::SetRead { ids, read } => {
            store.set_read(&ids, read)?;
            counts_after_mark(store, config, tx, names);
        }
        StoreReq::SetFullText { id, result } => {
            store.set_full_text(id, result.as_ref().map_err(String::as_str))?;
        }
        StoreReq::Locate { req, query, id } => {
            // Not found and could not look are the same to the cursor: it stays held.
            let position = store.list_position(&query, id).unwrap_or_else(|e| {
                tracing::warn!("locating an article: {e}");
                None
            });
            let place = match position {
                Some(_) => None,
                None => store.list_place(&query, id).unwrap_or_else(|e| {
                    tracing::warn!("placing an article: {e}");
                    None
                }),
            };
            let row = match position {
                Some(_) => None,
                None => store.item_row(id).ok().flatten().map(Box::new),
            };
            let next = place
                .and_then(|at| store.items(&query, at, 1).ok())
                .and_then(|rows| rows.first().map(|r| r.id));
            let _ = tx.send(Msg::Located {
                req,
                id,
                position,
                place,
                row,
                next,
            });
        }
        StoreReq::MarkRead { query, above, upto } => {
            let ids = store.mark_query_read(&query, above, upto)?;
            let _ = tx.send(Msg::MarkedRead { ids });
            counts_after_mark(store, config, tx, names);
        }
        StoreReq::SetStarred { id, starred } => {
            store.set_starred(id, starred)?;
            if !starred {
                // A removed feed's article was kept only while starred.
                let urls: Vec<&str> = config.feeds.iter().map(|f| f.url.as_str()).collect();
                if let Err(e) = store.drop_if_unsubscribed(id, &urls) {
                    tracing::warn!("after an unstar: {e}");
                }
            }
            counts_after_mark(store, config, tx, names);
        }
        StoreReq::SaveSelection { feed_key, item } => {
            store.set_meta(META_FEED, &feed_key)?;
            store.set_meta(
                META_ITEM,
                &item.map(|i| i.0.to_string()).unwrap_or_default(),
            )?;
        }
        StoreReq::SaveSorts(sorts) => {
            let mut lines: Vec<String> = sorts
                .iter()
                .filter(|(k, _)| !k.contains('\n'))
                .map(|(k, o)| format!("{}\t{k}", o.name()))
                .collect();
            lines.sort();
            store.set_meta(META_SORTS, &lines.join("\n"))?;
        }
        StoreReq::SaveCollapsed(tags) => {
            // A tag is one line (the config cleans it of control characters).
            let text: Vec<String> = tags.iter().map(|t| format!("+{t}")).collect();
            store.set_meta(META_COLLAPSED, &text.join("\n"))?;
        }
        StoreReq::SaveHideRead(hide) => {
            store.set_meta(META_HIDE_READ, if hide { "1" } else { "0" })?;
        }
        StoreReq::SaveArticle { path, title, text } => {
            // Only the save folder is made when missing: a folder typed wrong is said,
            // not made.
            let home = crate::export::save_dir(
                config.reader.save_dir.as_deref(),
                config.general.download_dir.as_deref(),
            );
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let missing = parent.filter(|p| !p.exists() && Some(*p) != home.as_deref());
            let saved = match missing {
                Some(dir) => Err(std::io::Error::other(format!(
                    "there is no folder {}",
                    dir.display()
                ))),
                None => crate::export::save_to(&path, &title, &text),
            };
            let notice = match saved {
                Ok(saved) => format!("Saved to {}", saved.display()),
                Err(e) => format!("Not saved to {}: {e}", path.display()),
            };
            let _ = tx.send(Msg::Notice(notice));
        }
        // Handled by the loop above, with the config it may replace.
        StoreReq::ReloadConfig | StoreReq::ReloadSynced | StoreReq::EditFeeds(_) => {}
    }
    Ok(())
}
