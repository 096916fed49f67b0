//! The command line: clap definitions and the headless commands scripts and tests use.

use crate::article::Prepared;
use crate::config::{Config, FeedSpec};
use crate::fetch::{FetchOutcome, Fetcher};
use crate::model::{FeedId, FeedSummary, ItemId};
use crate::paths::AppPaths;
use crate::refresh::{self, FeedResult};
use crate::store::{ItemQuery, Scope, Store};
use anyhow::{bail, Context};
use chrono::{DateTime, SecondsFormat, Utc};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Parser)]
#[command(
    name = "bulletin",
    version,
    about = "A fast terminal reader for RSS, Atom and JSON Feed bulletins"
)]
pub struct Cli {
    /// Config file [default: $XDG_CONFIG_HOME/bulletin/config.toml]
    #[arg(long, value_name = "FILE", env = "BULLETIN_CONFIG")]
    pub config: Option<PathBuf>,
    /// Where the cache lives [default: $XDG_DATA_HOME/bulletin]
    #[arg(long, value_name = "DIR", env = "BULLETIN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// How much goes to the log file: error, warn, info, debug or trace
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    pub log_level: tracing::Level,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Refresh every configured feed
    Refresh {
        /// Print the summary as JSON
        #[arg(long)]
        json: bool,
        /// Fetch every feed now, even those whose server asked to wait (Retry-After)
        #[arg(long)]
        force: bool,
    },
    /// List feeds with their unread and total counts
    Feeds {
        /// Print a JSON array: title, url, tags, unread, total, last_error
        #[arg(long)]
        json: bool,
    },
    /// List items, newest first
    Items {
        /// Only this feed: its name, a unique prefix of it (any case), its URL or path
        #[arg(long, value_name = "NAME_OR_URL")]
        feed: Option<String>,
        /// Only unread items
        #[arg(long)]
        unread: bool,
        /// Only starred items
        #[arg(long)]
        starred: bool,
        /// At most this many items (the newest)
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print a JSON array: id, feed, title, link, published, read, starred
        #[arg(long)]
        json: bool,
    },
    /// Print an article as the reader pane renders it
    Show {
        /// The item's id, as `items` prints it
        id: i64,
        /// Wrap to this many columns
        #[arg(long, default_value_t = 80)]
        width: usize,
    },
    /// Mark items read: by id, a whole feed, or everything
    MarkRead(MarkArgs),
    /// Mark items unread: by id, a whole feed, or everything
    MarkUnread(MarkArgs),
    /// Fetch and parse one feed without touching the cache
    Probe {
        /// An http(s) URL, a file:// URL or a path
        #[arg(value_name = "URL_OR_PATH")]
        target: String,
        /// Print the feed and its items as JSON
        #[arg(long)]
        json: bool,
        /// Wrap text fields to this many columns
        #[arg(long, default_value_t = 80)]
        width: usize,
    },
    /// Add the feeds of an OPML file to the config
    ImportOpml {
        /// The OPML file (folders become tags)
        file: PathBuf,
    },
    /// Print the configured feeds as OPML 2.0
    ExportOpml,
    /// Import newsboat's urls file, and the read marks of its cache
    ImportNewsboat {
        /// newsboat's urls file [default: ~/.newsboat/urls, else ~/.config/newsboat/urls]
        urls: Option<PathBuf>,
        /// newsboat's cache.db, whose read articles become read here too
        #[arg(long, value_name = "CACHE_DB")]
        cache: Option<PathBuf>,
    },
    /// Write a commented config (every key, with its default) to the config path
    Init,
    /// Print a shell completion script
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// Which items `mark-read` and `mark-unread` act on.
#[derive(Debug, clap::Args)]
pub struct MarkArgs {
    /// Item ids, as `items` prints them; unknown ones are an error, the others are marked
    #[arg(required_unless_present_any = ["feed", "all"], conflicts_with_all = ["feed", "all"])]
    pub ids: Vec<i64>,
    /// Every item of this feed: its name, a unique prefix of it (any case), its URL or path
    #[arg(long, value_name = "NAME_OR_URL", conflicts_with = "all")]
    pub feed: Option<String>,
    /// Every item of every configured feed
    #[arg(long)]
    pub all: bool,
}

/// Commands that need neither config nor cache: completions and the man page.
pub fn run_static(command: &Command) -> Option<anyhow::Result<()>> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    match command {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "bulletin", &mut out);
        }
        Command::Man => {
            if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut out) {
                return Some(Err(e.into()));
            }
        }
        _ => return None,
    }
    Some(print(&String::from_utf8_lossy(&out)))
}

pub fn run(command: Command, paths: &AppPaths) -> anyhow::Result<()> {
    if let Some(result) = run_static(&command) {
        return result;
    }
    let mut out = String::new();
    // Imports create the config file; they read it themselves.
    match command {
        Command::Init => {
            cmd_init(paths, &mut out)?;
            return print(&out);
        }
        Command::ImportOpml { file } => {
            cmd_import_opml(paths, &file, &mut out)?;
            return print(&out);
        }
        Command::ImportNewsboat { urls, cache } => {
            cmd_import_newsboat(paths, urls, cache.as_deref(), &mut out)?;
            return print(&out);
        }
        _ => {}
    }
    let loaded = Config::load_for(paths)?;
    if loaded.is_none() && matches!(command, Command::Feeds { .. } | Command::Items { .. }) {
        eprintln!(
            "bulletin: no config at {}; `bulletin init` writes a commented one",
            paths.config_file.display()
        );
    }
    let config = loaded.unwrap_or_default();
    match command {
        Command::Refresh { json, force } => cmd_refresh(&config, paths, json, force, &mut out)?,
        Command::Feeds { json } => cmd_feeds(&config, paths, json, &mut out)?,
        Command::Items {
            feed,
            unread,
            starred,
            limit,
            json,
        } => {
            let filter = ItemFilter {
                feed: feed.as_deref(),
                unread,
                starred,
                limit,
            };
            cmd_items(&config, paths, &filter, json, &mut out)?
        }
        Command::Show { id, width } => cmd_show(&config, paths, id, width, &mut out)?,
        Command::MarkRead(args) => cmd_mark(&config, paths, &args, true)?,
        Command::MarkUnread(args) => cmd_mark(&config, paths, &args, false)?,
        Command::Probe {
            target,
            json,
            width,
        } => cmd_probe(&config, &target, json, width, &mut out)?,

        Command::ExportOpml => cmd_export_opml(&config, paths, &mut out)?,

        Command::Completions { .. }
        | Command::Man
        | Command::Init
        | Command::ImportOpml { .. }
        | Command::ImportNewsboat { .. } => {
            unreachable!("handled before the config is read")
        }
    }
    print(&out)
}

/// The example config, embedded so that an installed binary can write it.
pub const EXAMPLE_CONFIG: &str = include_str!("../config.example.toml");

fn cmd_init(paths: &AppPaths, out: &mut String) -> anyhow::Result<()> {
    let path = &paths.config_file;
    if path.exists() {
        bail!(
            "{} exists already; bulletin init never overwrites a config",
            path.display()
        );
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // create_new: a config written meanwhile by someone else is not overwritten either.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(EXAMPLE_CONFIG.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    out.push_str(&format!(
        "Wrote {}: add your feeds as [[feed]] tables there\n",
        path.display()
    ));
    Ok(())
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
    Ok(Store::open(&paths.db_file())?)
}

fn cmd_refresh(
    config: &Config,
    paths: &AppPaths,
    json: bool,
    force: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    let fetcher = Fetcher::new(&config.general)?;
    let cancel = AtomicBool::new(false);
    let on_done = |done: &refresh::FeedDone, _: &refresh::Summary| {
        if let FeedResult::Failed(e) = &done.result {
            eprintln!("bulletin: {}: {e}", done.url);
        }
    };
    let request = refresh::Request { feeds: None, force };
    let summary = refresh::run(
        &mut store,
        &fetcher,
        config,
        request,
        &cancel,
        |_| {},
        on_done,
    )?;
    if json {
        out.push_str(&serde_json::to_string(&summary)?);
        out.push('\n');
    } else {
        out.push_str(&format!(
            "Refreshed {} feeds: {} ok ({} not modified), {} failed, {} new items\n",
            summary.feeds, summary.ok, summary.not_modified, summary.failed, summary.new_items
        ));
    }
    Ok(())
}

fn summaries(config: &Config, store: &Store) -> anyhow::Result<Vec<FeedSummary>> {
    Ok(store.feed_summaries(&config.feeds)?)
}

fn cmd_feeds(
    config: &Config,
    paths: &AppPaths,
    json: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    store.sync_feeds(&config.feeds)?;
    let feeds = summaries(config, &store)?;
    if json {
        let list: Vec<Value> = feeds
            .iter()
            .map(|f| {
                json!({"title": f.name, "url": f.url, "tags": f.tags, "unread": f.unread,
                       "total": f.total, "last_error": f.last_error})
            })
            .collect();
        out.push_str(&serde_json::to_string_pretty(&list)?);
        out.push('\n');
        return Ok(());
    }
    for f in &feeds {
        let tags = if f.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", f.tags.join(", "))
        };
        out.push_str(&format!(
            "{:>5}/{:<5} {}{} <{}>\n",
            f.unread, f.total, f.name, tags, f.url
        ));
        if let Some(e) = &f.last_error {
            out.push_str(&format!("            error: {e}\n"));
        }
    }
    Ok(())
}

/// Finds a configured feed by its display name, configured name or URL. A path is read
/// as the config reads it (relative to the config's folder), then relative to the
/// working directory.
fn find_feed<'a>(
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
    let exact = feeds
        .iter()
        .find(|f| f.url == key || f.name == key)
        .or_else(|| {
            feeds
                .iter()
                .find(|f| f.name.to_lowercase() == key.to_lowercase())
        })
        .or_else(|| by_path(config_dir))
        .or_else(|| by_path(std::path::Path::new(".")));
    if let Some(feed) = exact {
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
        many => {
            let names: Vec<String> = many.iter().map(|f| format!("{:?}", f.name)).collect();
            bail!("{key:?} matches {} feeds: {}", many.len(), names.join(", "))
        }
    }
}

fn rfc3339(d: Option<DateTime<Utc>>) -> Value {
    d.map(|d| Value::String(d.to_rfc3339_opts(SecondsFormat::Secs, true)))
        .unwrap_or(Value::Null)
}

/// Which items `items` lists.
struct ItemFilter<'a> {
    feed: Option<&'a str>,
    unread: bool,
    starred: bool,
    limit: Option<usize>,
}

fn cmd_items(
    config: &Config,
    paths: &AppPaths,
    filter: &ItemFilter,
    json: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    store.sync_feeds(&config.feeds)?;
    let feeds = summaries(config, &store)?;
    let scope = match filter.feed {
        Some(key) => Scope::Feed(find_feed(config, &feeds, key)?.id),
        None => Scope::Feeds(feeds.iter().map(|f| f.id).collect()),
    };
    let query = ItemQuery {
        scope,
        unread_only: filter.unread,
        starred_only: filter.starred,
        text: None,
    };
    let limit = filter.limit.unwrap_or(usize::MAX >> 1).min(usize::MAX >> 1);
    let rows = store.items(&query, 0, limit)?;
    let name_of = |id: FeedId| {
        feeds
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.name.as_str())
            .unwrap_or("")
    };
    if json {
        let list: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({"id": r.id.0, "feed": name_of(r.feed_id), "title": r.title, "link": r.link,
                       "published": rfc3339(r.published), "read": r.read, "starred": r.starred})
            })
            .collect();
        out.push_str(&serde_json::to_string_pretty(&list)?);
        out.push('\n');
        return Ok(());
    }
    for r in &rows {
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

fn cmd_show(
    config: &Config,
    paths: &AppPaths,
    id: i64,
    width: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    let store = open_store(paths)?;
    let item = store
        .item(ItemId(id))?
        .with_context(|| format!("no item with id {id}"))?;
    // The configured name when the feed is in the config; else the feed's own.
    let name = summaries(config, &store)?
        .into_iter()
        .find(|f| f.id == item.feed_id)
        .map(|f| f.name)
        .unwrap_or_else(|| item.feed_name());
    let lines = Prepared::new(&item, &name).layout(width.max(10));
    out.push_str(&crate::render::to_plain(&lines));
    out.push('\n');
    Ok(())
}

fn cmd_mark(config: &Config, paths: &AppPaths, args: &MarkArgs, read: bool) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    store.sync_feeds(&config.feeds)?;
    if let Some(key) = &args.feed {
        let feeds = summaries(config, &store)?;
        let id = find_feed(config, &feeds, key)?.id;
        store.set_feeds_read(&[id], read)?;
    } else if args.all {
        let feeds = summaries(config, &store)?;
        let ids: Vec<FeedId> = feeds.iter().map(|f| f.id).collect();
        store.set_feeds_read(&ids, read)?;
    } else {
        let ids: Vec<ItemId> = args.ids.iter().copied().map(ItemId).collect();
        // The ids that exist are marked; the others are named in the error.
        let missing = store.missing_items(&ids)?;
        store.set_read(&ids, read)?;
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|id| id.0.to_string()).collect();
            let s = if missing.len() == 1 { "" } else { "s" };
            bail!("no item with id{s} {}", list.join(", "));
        }
    }
    Ok(())
}

fn cmd_probe(
    config: &Config,
    target: &str,
    json: bool,
    width: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    let fetcher = Fetcher::new(&config.general)?;
    let fetched = match fetcher
        .fetch(target, &Default::default())
        .map_err(|e| anyhow::anyhow!("{target}: {e}"))?
    {
        FetchOutcome::Modified(f) => f,
        FetchOutcome::NotModified => {
            bail!("{target}: the server answered 304 to an unconditional request")
        }
    };
    let feed = crate::parse::parse_feed(
        &fetched.body,
        fetched.content_type.as_deref(),
        &fetched.final_url,
    )
    .map_err(|e| anyhow::anyhow!("{target}: {e}"))?;
    let text = |html: &Option<String>, base: Option<&str>| -> Value {
        html.as_deref()
            .map(|h| Value::String(crate::render::html_to_text(h, base, width.max(10))))
            .unwrap_or(Value::Null)
    };
    if json {
        let items: Vec<Value> = feed
            .items
            .iter()
            .map(|i| {
                let base = i.link.as_deref().or(Some(fetched.final_url.as_str()));
                let enclosures: Vec<Value> = i
                    .enclosures
                    .iter()
                    .map(|e| json!({"url": e.url, "type": e.mime, "length": e.length}))
                    .collect();
                json!({"id": i.guid, "title": i.title, "link": i.link, "author": i.author,
                       "published": rfc3339(i.published), "updated": rfc3339(i.updated),
                       "summary": text(&i.summary_html, base), "content": text(&i.content_html, base),
                       "enclosures": enclosures})
            })
            .collect();
        let value = json!({"feed": {"title": feed.title, "link": feed.link, "description": feed.description},
                           "items": items});
        out.push_str(&serde_json::to_string_pretty(&value)?);
        out.push('\n');
        return Ok(());
    }
    out.push_str(&format!(
        "{} ({} items)\n",
        feed.title.as_deref().unwrap_or("(untitled feed)"),
        feed.items.len()
    ));
    for i in &feed.items {
        let date = i
            .published
            .or(i.updated)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "----------".into());
        out.push_str(&format!("  {date}  {}\n", i.title));
    }
    Ok(())
}

fn cmd_import_opml(
    paths: &AppPaths,
    file: &std::path::Path,
    out: &mut String,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read", file.display()))?;
    let feeds = crate::opml::parse(&text, file)?;
    add_feeds(paths, &feeds, 0, out)
}

/// Appends imported feeds to the config and reports what was added and skipped.
fn add_feeds(
    paths: &AppPaths,
    feeds: &[crate::opml::ImportedFeed],
    skipped_before: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    let report = crate::opml::append_to_config(&paths.config_file, feeds)?;
    for (url, why) in &report.skipped {
        eprintln!("bulletin: skipped {url}: {why}");
    }
    out.push_str(&format!(
        "Imported {} feeds into {} ({} skipped)\n",
        report.added.len(),
        paths.config_file.display(),
        report.skipped.len() + skipped_before
    ));
    Ok(())
}

fn newsboat_urls_default() -> Option<PathBuf> {
    let home = directories::BaseDirs::new()?.home_dir().to_path_buf();
    [
        home.join(".newsboat/urls"),
        home.join(".config/newsboat/urls"),
    ]
    .into_iter()
    .find(|p| p.exists())
}

fn cmd_import_newsboat(
    paths: &AppPaths,
    urls: Option<PathBuf>,
    cache: Option<&std::path::Path>,
    out: &mut String,
) -> anyhow::Result<()> {
    let urls = urls
        .or_else(newsboat_urls_default)
        .context("no newsboat urls file found: give its path")?;
    let text = std::fs::read_to_string(&urls)
        .with_context(|| format!("{}: cannot read", urls.display()))?;
    let (feeds, skipped) = crate::newsboat::parse_urls(&text);
    for s in &skipped {
        eprintln!(
            "bulletin: {}:{}: skipped {}: {}",
            urls.display(),
            s.line,
            s.text,
            s.why
        );
    }
    add_feeds(paths, &feeds, skipped.len(), out)?;
    if let Some(cache) = cache {
        let marks = crate::newsboat::read_marks(cache)?;
        let mut store = open_store(paths)?;
        let config = Config::load(&paths.config_file)?;
        store.sync_feeds(&config.feeds)?;
        let now = store.import_read_marks(&marks)?;
        out.push_str(&format!(
            "Read marks: {} from newsboat ({} on cached articles now, the rest as they arrive)\n",
            marks.len(),
            now
        ));
    }
    Ok(())
}

fn cmd_export_opml(config: &Config, paths: &AppPaths, out: &mut String) -> anyhow::Result<()> {
    // Names: the configured one, else the feed's own title from the cache when there is one.
    let titles: Vec<FeedSummary> = if paths.db_file().exists() {
        open_store(paths)
            .and_then(|s| Ok(s.feed_summaries(&config.feeds)?))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let name = |f: &FeedSpec| {
        titles
            .iter()
            .find(|t| t.url == f.url)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| crate::model::feed_display_name(f.name.as_deref(), None, &f.url))
    };
    out.push_str(&crate::opml::export(&config.feeds, &name));
    Ok(())
}
