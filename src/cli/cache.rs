//! The commands that read and mark the cache: `feeds`, `items`, `show`, `mark-read` and
//! `mark-unread`.

use super::output::{to_json, FeedJson, ItemJson};
use super::{listed, open_store, summaries, MarkArgs};
use crate::article::Prepared;
use crate::config::Config;
use crate::model::{FeedId, FeedSummary, ItemId};
use crate::paths::AppPaths;
use crate::store::{ItemQuery, Scope};
use anyhow::{bail, Context};

/// Said wherever the config's sync password shows: `feeds` and `sync`.
pub(super) const PLAIN_PASSWORD: &str = "[sync] password is written in the config file; password_command or password_env keeps it out of it (discouraged)";

pub(super) fn cmd_feeds(
    config: &Config,
    paths: &AppPaths,
    json: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    if config.sync.as_ref().is_some_and(|s| s.plain_password()) {
        eprintln!("bulletin: {PLAIN_PASSWORD}");
    }
    let (_, feeds) = listed(config, paths, json)?;
    if json {
        let now = chrono::Utc::now();
        let list: Vec<FeedJson> = feeds.iter().map(|f| FeedJson::new(f, now)).collect();
        out.push_str(&to_json(&list)?);
        return Ok(());
    }
    let now = chrono::Utc::now();
    for f in &feeds {
        let tags = if f.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", f.tags.join(", "))
        };
        let mut status = match f.status(now) {
            crate::model::Status::Ok => String::new(),
            other => format!(" ({})", other.as_str()),
        };
        if f.hidden {
            status.push_str(" (hidden)");
        }
        out.push_str(&format!(
            "{:>5}/{:<5} {}{}{} <{}>\n",
            f.unread, f.total, f.name, tags, status, f.url
        ));
        if let Some(from) = &f.health.moved_from {
            out.push_str(&format!("            moved from {from}\n"));
        }
        if let Some(e) = &f.last_error {
            out.push_str(&format!("            error: {e}\n"));
        }
    }
    Ok(())
}

/// Finds a configured feed by its display name, configured name or URL. A path is read
/// as the config reads it (relative to the config's folder), then relative to the
/// working directory.
pub(super) fn find_feed<'a>(
    config: &Config,
    feeds: &'a [FeedSummary],
    key: &str,
) -> anyhow::Result<&'a FeedSummary> {
    let config_dir = config
        .path
        .as_deref()
        .and_then(std::path::Path::parent)
        .unwrap_or(std::path::Path::new("."));
    let by_path = |dir: &std::path::Path| {
        let canonical = crate::config::canonical_url(key, dir).ok()?;
        feeds.iter().find(|f| f.url == canonical)
    };
    // Two feeds of one name (two addresses of one site): which is meant is asked, never
    // guessed, since `remove` acts on what is found.
    let ambiguous = |many: &[&FeedSummary]| {
        let names: Vec<String> = many
            .iter()
            .map(|f| format!("{:?} <{}>", f.name, f.url))
            .collect();
        anyhow::anyhow!(
            "{key:?} matches {} feeds: {}; give the address",
            many.len(),
            names.join(", ")
        )
    };
    if let Some(feed) = feeds.iter().find(|f| f.url == key) {
        return Ok(feed);
    }
    for same in [
        |f: &FeedSummary, key: &str| f.name == key,
        |f: &FeedSummary, key: &str| f.name.to_lowercase() == key.to_lowercase(),
    ] {
        let named: Vec<&FeedSummary> = feeds.iter().filter(|f| same(f, key)).collect();
        match named.as_slice() {
            [] => {}
            [one] => return Ok(one),
            many => return Err(ambiguous(many)),
        }
    }
    if let Some(feed) = by_path(config_dir).or_else(|| by_path(std::path::Path::new("."))) {
        return Ok(feed);
    }
    // A prefix of a name, in any case, when it names one feed only.
    let wanted = key.to_lowercase();
    let matches: Vec<&FeedSummary> = feeds
        .iter()
        .filter(|f| !wanted.is_empty() && f.name.to_lowercase().starts_with(&wanted))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => bail!("no configured feed is named or located at {key:?}"),
        many => Err(ambiguous(many)),
    }
}

/// Which items `items` lists.
pub(super) struct ItemFilter<'a> {
    pub feed: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub unread: bool,
    pub starred: bool,
    pub limit: Option<usize>,
}

pub(super) fn cmd_items(
    config: &Config,
    paths: &AppPaths,
    filter: &ItemFilter,
    json: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    let (mut store, feeds) = listed(config, paths, json)?;
    let saved = match filter.feed {
        Some(key) => super::searching::saved(config, &feeds, key)?,
        None => None,
    };
    let query = match saved {
        Some(q) => {
            super::searching::catch_up(&mut store, &feeds, json)?;
            ItemQuery {
                unread_only: filter.unread,
                starred_only: filter.starred,
                ..q
            }
        }
        None => ItemQuery {
            scope: match (filter.feed, filter.tag) {
                (Some(key), _) => Scope::Feed(find_feed(config, &feeds, key)?.id),
                (None, Some(tag)) => {
                    let tagged: Vec<FeedId> = feeds
                        .iter()
                        .filter(|f| {
                            let tag = crate::search::fold(tag);
                            f.tags.iter().any(|t| crate::search::fold(t) == tag)
                        })
                        .map(|f| f.id)
                        .collect();
                    if tagged.is_empty() {
                        bail!("no configured feed has the tag {tag:?}");
                    }
                    Scope::Feeds(tagged)
                }
                (None, None) => Scope::Feeds(feeds.iter().map(|f| f.id).collect()),
            },
            unread_only: filter.unread,
            starred_only: filter.starred,
            search: None,
            order: Default::default(),
            stories: false,
        },
    };
    let limit = filter.limit.unwrap_or(usize::MAX >> 1).min(usize::MAX >> 1);
    let rows = store.items(&query, 0, limit)?;
    print_rows(&rows, &feeds, &store, json, out)
}

/// Prints a list of items as `items` does, as text or JSON.
pub(super) fn print_rows(
    rows: &[crate::model::ItemRow],
    feeds: &[FeedSummary],
    store: &crate::store::Store,
    json: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    // A starred article of a feed no longer subscribed goes by that feed's own title.
    let mut names: std::collections::HashMap<FeedId, &str> =
        feeds.iter().map(|f| (f.id, f.name.as_str())).collect();
    let unlisted = if rows.iter().any(|r| !names.contains_key(&r.feed_id)) {
        store.unlisted_feed_names(&feeds.iter().map(|f| f.id).collect::<Vec<_>>())?
    } else {
        Vec::new()
    };
    names.extend(unlisted.iter().map(|(id, n)| (*id, n.as_str())));
    let name_of = |id: FeedId| names.get(&id).copied().unwrap_or("");
    if json {
        let list: Vec<ItemJson> = rows
            .iter()
            .map(|r| ItemJson::new(r, name_of(r.feed_id)))
            .collect();
        out.push_str(&to_json(&list)?);
        return Ok(());
    }
    for r in rows {
        let date = r
            .published
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "----------".into());
        let flag = match (r.read, r.starred) {
            (_, true) => '*',
            (false, _) => 'N',
            _ => ' ',
        };
        out.push_str(&format!(
            "{:>6} {flag} {date}  {}: {}\n",
            r.id.0,
            name_of(r.feed_id),
            r.title
        ));
    }
    Ok(())
}

pub(super) fn cmd_show(
    config: &Config,
    paths: &AppPaths,
    id: i64,
    width: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    super::grouping::catch_up(config, &mut store, false, true);
    let item = store
        .item(ItemId(id))?
        .with_context(|| format!("no item with id {id}"))?;
    // The configured name when the feed is in the config; else the feed's own.
    let feeds = summaries(config, &store)?;
    let configured = |id: FeedId| feeds.iter().find(|f| f.id == id).map(|f| f.name.as_str());
    let name = configured(item.feed_id)
        .map(str::to_string)
        .unwrap_or_else(|| item.feed_name());
    let mut prepared = Prepared::new(&item, &name);
    prepared.also_in = store
        .copies(item.id)?
        .into_iter()
        .map(|c| (c.id, c.feed_name(configured(c.feed_id))))
        .collect();
    let lines = prepared.layout_for_text(width.max(10));
    out.push_str(&crate::render::to_plain(&lines));
    out.push('\n');
    Ok(())
}

pub(super) fn cmd_star(
    config: &Config,
    paths: &AppPaths,
    ids: &[i64],
    starred: bool,
    push: bool,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    crate::folder::join(config, &mut store)?;
    super::grouping::catch_up(config, &mut store, false, false);
    let ids: Vec<ItemId> = ids.iter().copied().map(ItemId).collect();
    let missing = store.missing_items(&ids)?;
    for id in &ids {
        store.set_starred(*id, starred)?;
    }
    if push {
        super::travel::send_marks(config, paths, &mut store);
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|id| id.0.to_string()).collect();
        let s = if missing.len() == 1 { "" } else { "s" };
        bail!("no item with id{s} {}", list.join(", "));
    }
    Ok(())
}

pub(super) fn cmd_mark(
    config: &Config,
    paths: &AppPaths,
    args: &MarkArgs,
    read: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    crate::folder::join(config, &mut store)?;
    store.sync_feeds(&config.feeds)?;
    super::grouping::catch_up(config, &mut store, false, false);
    let mut missing = Vec::new();
    let mut marked_feed = None;
    let marked = if let Some(key) = &args.feed {
        let feeds = summaries(config, &store)?;
        if let Some(query) = super::searching::saved(config, &feeds, key)? {
            super::searching::catch_up(&mut store, &feeds, false)?;
            store.set_query_read(&query, read)?
        } else {
            let feed = find_feed(config, &feeds, key)?;
            marked_feed = Some(feed.name.clone());
            store.set_feeds_read(&[feed.id], read)?
        }
    } else if args.all {
        let feeds = summaries(config, &store)?;
        let ids: Vec<FeedId> = feeds.iter().map(|f| f.id).collect();
        store.set_feeds_read(&ids, read)?
    } else {
        let ids: Vec<ItemId> = args.ids.iter().copied().map(ItemId).collect();
        // The ids that exist are marked; the others are named in the error.
        missing = store.missing_items(&ids)?;
        store.set_read(&ids, read)?
    };
    // By feed or all: how many, since the user did not list them.
    if args.feed.is_some() || args.all {
        let s = if marked == 1 { "" } else { "s" };
        let state = if read { "read" } else { "unread" };
        // Named, since a prefix of one letter is enough to find a feed.
        let of = marked_feed.map(|n| format!(" of {n}")).unwrap_or_default();
        out.push_str(&format!("Marked {marked} article{s}{of} {state}\n"));
    }
    if !args.no_push {
        super::travel::send_marks(config, paths, &mut store);
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|id| id.0.to_string()).collect();
        let s = if missing.len() == 1 { "" } else { "s" };
        bail!("no item with id{s} {}", list.join(", "));
    }
    Ok(())
}

pub(super) fn cmd_download(
    config: &Config,
    paths: &AppPaths,
    id: Option<i64>,
    enclosure: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    let dir = crate::download::dir(config.general.download_dir.as_deref());
    let mut asked = None;
    if let Some(id) = id {
        let item = store
            .item(ItemId(id))?
            .ok_or_else(|| anyhow::anyhow!("no item with id {id}"))?;
        // An email's attachment: saved from its message, in the mailbox.
        let index = enclosure.saturating_sub(1);
        if let Some(saved) =
            crate::mail::attachment::save_enclosure(&store, &config.mailboxes, &item, index, &dir)
        {
            let path = saved?;
            out.push_str(&format!("Saved {}\n", path.display()));
            return Ok(());
        }
        let queued = crate::download::queue(&mut store, &item, enclosure.saturating_sub(1), &dir);
        let (queued, _) = match queued {
            Err(crate::download::DownloadError::Already(path)) => {
                out.push_str(&format!("Already downloaded: {path}\n"));
                return Ok(());
            }
            other => other.map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        asked = Some(queued);
    }
    let mut wanted = store.pending_downloads()?;
    // Without --pending, only the one just asked for.
    if let Some(queued) = asked {
        wanted.retain(|d| d.id == queued);
    }
    let fetcher = crate::fetch::Fetcher::new(&config.general)?;
    let cap = u64::from(config.general.max_download_mib.max(1)) * 1024 * 1024;
    let mut failed = None;
    for d in wanted {
        let mut shown = 0u64;
        let result = crate::download::perform(&mut store, &fetcher, &d, cap, |bytes, total| {
            // One line of progress on stderr, redrawn every MiB.
            if bytes >= shown + 1024 * 1024 {
                shown = bytes;
                let of = total.map(|t| format!(" of {}", crate::article::human_size(t)));
                eprint!(
                    "\r{}: {}{}   ",
                    d.title,
                    crate::article::human_size(bytes),
                    of.unwrap_or_default()
                );
            }
        });
        if shown > 0 {
            eprintln!();
        }
        match result {
            Ok(n) => out.push_str(&format!("{} ({})\n", d.path, crate::article::human_size(n))),
            // Not a failure: the other bulletin is on it.
            Err(e @ crate::download::DownloadError::Busy(_)) => eprintln!("bulletin: {e}"),
            Err(e) => {
                eprintln!("bulletin: {}: {e}", d.url);
                failed = Some(e);
            }
        }
    }
    if let Some(e) = failed {
        super::print(out)?;
        out.clear();
        // Each failure was said on its own line, naming its URL: not said again.
        return Err(super::Reported(format!("a download failed: {e}")).into());
    }
    Ok(())
}

pub(super) fn cmd_downloads(paths: &AppPaths, json: bool, out: &mut String) -> anyhow::Result<()> {
    let store = open_store(paths)?;
    let list = crate::download::as_they_stand(store.downloads()?);
    if json {
        out.push_str(&super::output::to_json(&list)?);
        return Ok(());
    }
    for d in list {
        let size = match d.total {
            Some(t) => format!(
                "{}/{}",
                crate::article::human_size(d.bytes),
                crate::article::human_size(t)
            ),
            None => crate::article::human_size(d.bytes),
        };
        out.push_str(&format!(
            "{:>4} {:<11} {:>20}  {}\n",
            d.id, d.state, size, d.path
        ));
        if let Some(e) = d.error {
            out.push_str(&format!("     {e}\n"));
        }
    }
    Ok(())
}
