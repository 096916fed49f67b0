//! `bulletin search`, and saved searches (`[[query]]`) wherever a feed's name is taken.
//! Each takes the index's backlog in first, so results include the last refresh.

use super::cache::print_rows;
use super::progress::Progress;
use crate::config::Config;
use crate::model::{FeedId, FeedSummary};
use crate::search::Compiled;
use crate::store::{ItemQuery, Scope, Store};
use std::collections::HashMap;

/// Above this many waiting articles, indexing says what it is doing on stderr.
const SAY_PROGRESS_ABOVE: usize = 2000;

/// Indexes what the refreshes queued; when it takes a while, with a bar on a terminal
/// (not under `json`), else with one line (not with --quiet).
pub(super) fn catch_up(store: &mut Store, feeds: &[FeedSummary], json: bool) -> anyhow::Result<()> {
    let backlog = store.index_backlog()?;
    let names: HashMap<FeedId, String> = feeds.iter().map(|f| (f.id, f.name.clone())).collect();
    let verbose = backlog > SAY_PROGRESS_ABOVE;
    let progress = if verbose {
        Progress::bar(json, backlog as u64, "articles", "indexing for search")
    } else {
        Progress::none()
    };
    if verbose && !super::progress::shown(false) && !super::progress::quiet() {
        eprintln!("bulletin: indexing {backlog} articles for search");
    }
    store.index_all(&names, |done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })?;
    Ok(())
}

/// A query resolved against the configured feeds.
pub(super) fn compile(text: &str, feeds: &[FeedSummary]) -> anyhow::Result<Compiled> {
    // The query as the error quotes it: its start, when it is long (a line, not 24 KB).
    let shown = match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    };
    let usage = |e: crate::search::QueryError| super::Usage(format!("search {shown:?}: {e}"));
    let query = crate::search::parse(text, chrono::Utc::now()).map_err(usage)?;
    if query.is_empty() {
        // parse() takes "" as no search (an emptied filter); a command asked for one.
        return Err(usage(crate::search::QueryError {
            column: 1,
            message: "nothing to search for".into(),
        })
        .into());
    }
    let infos = crate::search::FeedInfo::of(feeds);
    Ok(crate::search::compile(&query, &infos).map_err(usage)?)
}

/// The list of a saved search named `key` (any case), if there is one.
pub(super) fn saved(
    config: &Config,
    feeds: &[FeedSummary],
    key: &str,
) -> anyhow::Result<Option<ItemQuery>> {
    let Some(q) = config
        .queries
        .iter()
        .find(|q| q.name == key || q.name.to_lowercase() == key.to_lowercase())
    else {
        return Ok(None);
    };
    Ok(Some(ItemQuery {
        scope: Scope::Feeds(feeds.iter().map(|f| f.id).collect()),
        unread_only: false,
        starred_only: false,
        // A saved search lists as a feed does: newest first.
        search: Some(crate::search::Compiled {
            by_time: true,
            ..compile(&q.query, feeds)?
        }),
        order: Default::default(),
        stories: false,
    }))
}

pub(super) fn cmd_search(
    config: &Config,
    paths: &crate::paths::AppPaths,
    text: &str,
    limit: Option<usize>,
    json: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    let (mut store, feeds) = super::listed(config, paths, json)?;
    let search = compile(text, &feeds)?;
    catch_up(&mut store, &feeds, json)?;
    // Every cached article: the starred ones kept from feeds no longer subscribed too.
    let mut scope: Vec<crate::model::FeedId> = feeds.iter().map(|f| f.id).collect();
    let unlisted = store.unlisted_feed_names(&scope)?;
    scope.extend(unlisted.into_iter().map(|(id, _)| id));
    let query = ItemQuery {
        scope: Scope::Feeds(scope),
        unread_only: false,
        starred_only: false,
        search: Some(search),
        order: Default::default(),
        // A story is found once, by its first copy.
        stories: config.general.stories != crate::story::Mode::Off,
    };
    let limit = limit.unwrap_or(usize::MAX >> 1).min(usize::MAX >> 1);
    let rows = store.items(&query, 0, limit)?;
    print_rows(&rows, &feeds, &store, json, out)
}
