//! The command line: the headless commands scripts, cron jobs and tests use. One dispatch
//! here; the commands by what they touch: the cache (`cache`), the network (`fetching`),
//! the config (`setup`); `--json` output as types (`output`).

pub mod args;
mod cache;
pub mod complete;
mod fetching;
mod grouping;
mod interrupt;
mod manage;
mod output;
pub mod progress;
mod search_args;
mod searching;
pub use search_args::hoist_globals;
mod setup;
mod syncing;
mod travel;

pub use args::{Cli, Command, MarkArgs};
pub use setup::EXAMPLE_CONFIG;

/// A failure already said on standard error (once, in one line): the command exits 1
/// without saying it again.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Reported(pub String);

/// A command given what it cannot take (a search with nothing to search): exit status
/// 2, as for a mistake on the command line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

use crate::config::Config;
use crate::model::FeedSummary;
use crate::paths::AppPaths;
use crate::store::Store;
use std::io::Write;

/// Runs one command. The config is read by the commands that use it, when they run;
/// the imports and `init` write it themselves.
pub fn run(command: Command, paths: &AppPaths) -> anyhow::Result<()> {
    use clap::CommandFactory;
    let mut out = String::new();
    let own_config =
        || -> anyhow::Result<Config> { Ok(Config::load_for(paths)?.unwrap_or_default()) };
    let config = || -> anyhow::Result<Config> { with_synced(own_config()?, paths) };
    if paths.demo && !command.reads_the_demo() {
        return Err(Usage(
            "--demo: only the TUI, feeds, items, search and show read the demo; other commands act on your own config and cache, without --demo".into(),
        )
        .into());
    }
    match command {
        Command::Completions { shell } => {
            out = String::from_utf8_lossy(&complete::script(shell)).into_owned();
        }
        // No `help` subcommand in the pages: `--help` is on every one.
        Command::Man { dir: None } => {
            let mut bytes = Vec::new();
            clap_mangen::Man::new(Cli::command().disable_help_subcommand(true))
                .render(&mut bytes)?;
            out = String::from_utf8_lossy(&bytes).into_owned();
        }
        Command::Man { dir: Some(dir) } => {
            std::fs::create_dir_all(&dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            let cli = Cli::command();
            let pages = 1 + cli.get_subcommands().count();
            clap_mangen::generate_to(cli, &dir)
                .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            out = format!("{pages} man pages in {}\n", dir.display());
        }
        Command::Init => setup::cmd_init(paths, &mut out)?,
        Command::ImportOpml { file } => setup::cmd_import_opml(paths, &file, &mut out)?,
        Command::ImportNewsboat { urls, cache } => {
            setup::cmd_import_newsboat(paths, urls, cache.as_deref(), &mut out)?
        }
        Command::ExportOpml => setup::cmd_export_opml(&config()?, paths, &mut out)?,
        Command::Refresh { json, force } => {
            fetching::cmd_refresh(&own_config()?, paths, json, force, &mut out)?
        }
        Command::Sync { json, all } => {
            syncing::cmd_sync(&own_config()?, paths, json, all, &mut out)?
        }
        Command::Extract {
            target,
            json,
            width,
        } => fetching::cmd_extract(&config()?, &target, json, width, &mut out)?,
        Command::Probe {
            target,
            json,
            width,
        } => fetching::cmd_probe(&config()?, &target, json, width, &mut out)?,
        Command::Trust { host } => {
            let timeout = std::time::Duration::from_secs(u64::from(
                own_config()?.general.timeout_seconds.max(1),
            ));
            let trusted =
                crate::fetch::gemini::trust_host(&host, timeout).map_err(anyhow::Error::msg)?;
            out.push_str(&format!("{trusted}\n"));
        }
        Command::Feeds { json } => {
            let (config, paths) = listing(paths)?;
            cache::cmd_feeds(&config, &paths, json, &mut out)?
        }
        Command::Items {
            feed,
            tag,
            unread,
            starred,
            limit,
            json,
        } => {
            let filter = cache::ItemFilter {
                feed: feed.as_deref(),
                tag: tag.as_deref(),
                unread,
                starred,
                limit,
            };
            let (config, paths) = listing(paths)?;
            cache::cmd_items(&config, &paths, &filter, json, &mut out)?
        }
        Command::Search { query, limit, json } => {
            // `search passkeys --json --limit 5`: options after the query are options.
            // `search -- --words`: clap took that `--` for its own; it is the query's.
            // (Lossy: a word that is not Unicode is no `--`, and must not panic here.)
            let raw: Vec<String> = std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let query = args::keep_escape(&raw, query);
            let (query, more) = args::search_options(query)?;
            if more.quiet {
                progress::set_quiet(true);
            }
            let paths = AppPaths {
                demo: paths.demo || more.demo,
                ..paths.clone()
            };
            let (config, paths) = listing(&paths)?;
            searching::cmd_search(
                &config,
                &paths,
                &query,
                more.limit.or(limit),
                json || more.json,
                &mut out,
            )?
        }
        Command::Add {
            url,
            name,
            tags,
            first,
            json,
        } => {
            let args = manage::AddArgs {
                url: &url,
                name: name.as_deref(),
                tags: &tags,
                first,
                json,
            };
            manage::cmd_add(paths, &args, &mut out)?;
            travel::send_subscriptions(paths);
        }
        Command::Remove { feed } => {
            manage::cmd_remove(paths, &feed, &mut out)?;
            travel::send_subscriptions(paths);
        }
        Command::Rename { feed, name } => {
            manage::cmd_rename(paths, &feed, &name, &mut out)?;
            travel::send_subscriptions(paths);
        }
        Command::Tag {
            feed,
            tags,
            add,
            remove,
            clear,
        } => {
            let edit = match (add, remove, clear) {
                (_, _, true) => manage::TagEdit::Replace,
                // Tags to add or remove, and none named: a mistake, not a no-op.
                (true, _, _) | (_, true, _) if tags.is_empty() => {
                    anyhow::bail!("name the tags to {}", if add { "add" } else { "remove" })
                }
                (true, _, _) => manage::TagEdit::Add,
                (_, true, _) => manage::TagEdit::Remove,
                // `tag FEED` alone asks what its tags are: it cleared them (`--clear` does).
                _ if tags.is_empty() => manage::TagEdit::Show,
                _ => manage::TagEdit::Replace,
            };
            manage::cmd_tag(paths, &feed, &tags, edit, &mut out)?;
            travel::send_subscriptions(paths);
        }
        Command::Show { id, width } => {
            let (config, paths) = listing(paths)?;
            cache::cmd_show(&config, &paths, id, width, &mut out)?
        }
        Command::MarkRead(args) => {
            cache::cmd_mark(&marking_config(paths)?, paths, &args, true, &mut out)?
        }
        Command::MarkUnread(args) => {
            cache::cmd_mark(&marking_config(paths)?, paths, &args, false, &mut out)?
        }
        // Without an id, --pending (clap requires one or the other): every queued one.
        Command::Download { id, enclosure, .. } => {
            cache::cmd_download(&config()?, paths, id, enclosure, &mut out)?
        }
        Command::Downloads { json } => cache::cmd_downloads(paths, json, &mut out)?,
        Command::Star { ids, no_push } => {
            cache::cmd_star(&marking_config(paths)?, paths, &ids, true, !no_push)?
        }
        Command::Unstar { ids, no_push } => {
            cache::cmd_star(&marking_config(paths)?, paths, &ids, false, !no_push)?
        }
    }
    print(&out)
}

/// The config and paths for a listing (`feeds`, `items`, `search`, `show`). With no
/// config, or with `--demo`, the built-in demo as the TUI shows it: its feeds are files
/// inside the data dir (no network), read into a cache of its own the first time.
fn listing(paths: &AppPaths) -> anyhow::Result<(Config, AppPaths)> {
    let loaded = if paths.demo {
        None
    } else {
        Config::load_for(paths)?
    };
    if let Some(config) = loaded {
        return Ok((with_synced(config, paths)?, paths.clone()));
    }
    if !paths.demo {
        eprintln!(
            "bulletin: no config at {}; this is the built-in demo (`bulletin init` writes a config)",
            paths.config_file.display()
        );
    }
    let demo = paths.for_demo();
    let config = crate::demo::config(&demo.data_dir.join("feeds"))?;
    // Read in when it holds nothing yet (also after a first try that was cut short).
    let mut store = Store::open(&demo.db_file())?;
    store.sync_feeds(&config.feeds)?;
    if summaries(&config, &store)?.iter().all(|f| f.total == 0) {
        let fetcher = crate::fetch::Fetcher::new(&config.general)?;
        let request = crate::refresh::Request {
            feeds: None,
            force: true,
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        crate::refresh::run(
            &mut store,
            &fetcher,
            &config,
            request,
            &cancel,
            |_| {},
            |_, _| {},
        )?;
    }
    Ok((config, demo))
}

/// The config for a mark or a star. With none, the listings show the demo, whose marks
/// are not kept: say so rather than look for the ids in a cache that has none.
fn marking_config(paths: &AppPaths) -> anyhow::Result<Config> {
    match Config::load_for(paths)? {
        Some(config) => with_synced(config, paths),
        None => Err(Usage(format!(
            "no config at {}: the listings show the built-in demo, which is not marked (`bulletin init` writes a config)",
            paths.config_file.display()
        ))
        .into()),
    }
}

/// The config with the sync server's feeds and the mailboxes' newsletters added (as the
/// last sync and read left them), so that
/// every command sees them as feeds. Without either, or before any cache, as it is.
fn with_synced(mut config: Config, paths: &AppPaths) -> anyhow::Result<Config> {
    if (config.sync.is_some() || !config.mailboxes.is_empty()) && paths.db_file().exists() {
        let store = open_store(paths)?;
        crate::feedlist::merge(&mut config, &store)?;
    }
    Ok(config)
}

/// Writes to stdout; a closed pipe (`bulletin items | head`) is not an error.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub fn open_store(paths: &AppPaths) -> anyhow::Result<Store> {
    let path = paths.db_file();
    crate::paths::say_if_new(&path);
    if Store::needs_migration(&path) {
        eprintln!(
            "bulletin: updating the cache for this version (once; a big cache takes a while)"
        );
    }
    Ok(Store::open(&path)?)
}

fn summaries(config: &Config, store: &Store) -> anyhow::Result<Vec<FeedSummary>> {
    Ok(store.feed_summaries(&config.feeds)?)
}

/// The cache with every configured feed in it, and the feeds' summaries, the texts
/// the last refresh left waiting compared first (`grouping`: copies counted once; with
/// `json`, no progress).
fn listed(
    config: &Config,
    paths: &AppPaths,
    json: bool,
) -> anyhow::Result<(Store, Vec<FeedSummary>)> {
    let mut store = open_store(paths)?;
    store.sync_feeds(&config.feeds)?;
    grouping::catch_up(config, &mut store, json, true);
    let feeds = summaries(config, &store)?;
    Ok((store, feeds))
}
