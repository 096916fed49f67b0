//! Managing subscriptions from the command line: `add` (a feed or a page that links to
//! one), `remove`, `rename` and `tag`. Each edits config.toml in place (comments kept)
//! and checks the result loads before writing it.

use super::cache::find_feed;
use super::output::to_json;
use crate::config::{Config, ConfigFile};
use crate::discover::{discover, fetch_feed, Discovery, Found};
use crate::paths::AppPaths;
use crate::store::{PreparedFeed, Store};
use anyhow::{bail, Context};

/// What `add` was asked.
pub(super) struct AddArgs<'a> {
    pub url: &'a str,
    pub name: Option<&'a str>,
    pub tags: &'a [String],
    pub first: bool,
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Added<'a> {
    url: &'a str,
    title: Option<&'a str>,
    items: usize,
}

#[derive(serde::Serialize)]
struct CandidateJson<'a> {
    url: &'a str,
    title: Option<&'a str>,
    /// Its articles, as `add --json` says of the feed it adds (each candidate was
    /// fetched to be offered).
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<usize>,
}

/// Whether two web addresses are on different sites (host or port).
fn other_site(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) if a.scheme().starts_with("http") && b.scheme().starts_with("http") => {
            a.host_str() != b.host_str() || a.port() != b.port()
        }
        _ => false,
    }
}

/// The name a feed is listed under in messages: its configured name, else its URL.
/// How a subscribed feed at `url` is listed (its configured name, else its own title
/// from the cache), or None when no feed is there.
fn already(config: &Config, paths: &AppPaths, url: &str) -> Option<String> {
    let spec = config.feeds.iter().find(|f| f.url == url)?;
    let listed = paths
        .db_file()
        .exists()
        .then(|| Store::open(&paths.db_file()).ok())
        .flatten()
        .and_then(|s| s.feed_summaries(std::slice::from_ref(spec)).ok())
        .and_then(|mut found| found.pop())
        .map(|f| f.name);
    Some(listed.unwrap_or_else(|| spec.name.clone().unwrap_or_else(|| spec.url.clone())))
}

pub(super) fn cmd_add(paths: &AppPaths, args: &AddArgs, out: &mut String) -> anyhow::Result<()> {
    let mut file = ConfigFile::open(&paths.config_file)?;
    let own = file.config()?;
    // A feed the sync server already brings is subscribed already.
    let mut config = own.clone();
    if config.sync.is_some() && paths.db_file().exists() {
        let store = Store::open(&paths.db_file())?;
        crate::sync::add_synced_feeds(&mut config, store.synced_feeds()?);
    }
    let dir = paths
        .config_file
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let typed = crate::discover::normalise(args.url)?;
    // A path typed here is the shell's: relative to where the user is, not to the
    // config's folder (where `./x.xml` in the config itself is read).
    let here = std::env::current_dir().unwrap_or_else(|_| dir.to_path_buf());
    let canonical = crate::config::canonical_url(&typed, &here).unwrap_or(typed.clone());
    if let Some(name) = already(&config, paths, &canonical) {
        bail!("{canonical} is already subscribed, as {name:?}");
    }
    let fetcher = crate::fetch::Fetcher::new(&config.general)?;
    // Typed without a scheme: https, else http, said on stderr.
    let typed_bare = !args.url.contains("://") && canonical.starts_with("https://");
    let (discovered, note) = if typed_bare {
        crate::discover::discover_typed(&fetcher, args.url)?
    } else {
        (discover(&fetcher, &canonical)?, None)
    };
    if let Some(note) = note {
        eprintln!("bulletin: {note}");
    }
    let from_page = matches!(discovered, Discovery::Page(_));
    let found: Found = match discovered {
        Discovery::Feed(found) => found,
        Discovery::Page(candidates) => {
            let fetcher = fetcher.for_content_of(&canonical);
            // Fetched already to check it: taken as it is.
            let take = |c: &crate::discover::Candidate| match &c.found {
                Some(found) => Ok((**found).clone()),
                None => fetch_feed(&fetcher, &c.url),
            };
            let own: Vec<&crate::discover::Candidate> =
                candidates.iter().filter(|c| !c.comments).collect();
            match (candidates.as_slice(), own.as_slice()) {
                ([], _) => bail!("no feed found for {canonical}"),
                ([one], []) => {
                    eprintln!(
                        "bulletin: the one feed found for {canonical} is of its comments: {}",
                        one.title.as_deref().unwrap_or(&one.url)
                    );
                    take(one)?
                }
                ([one], _) => take(one)?,
                ([first, ..], _) if args.first => take(first)?,
                // The site's feed beside its comments': the site's, said so.
                (all, [one]) => {
                    eprintln!(
                        "bulletin: {canonical} offers {} feeds; adding the site's own, {} (the others are of its comments)",
                        all.len(),
                        one.url
                    );
                    take(one)?
                }
                (many, _) => {
                    if args.json {
                        let list: Vec<CandidateJson> = many
                            .iter()
                            .map(|c| CandidateJson {
                                url: &c.url,
                                title: c.title.as_deref(),
                                items: c.found.as_ref().map(|f| f.feed.items.len()),
                            })
                            .collect();
                        println!("{}", to_json(&list)?);
                    } else {
                        for c in many {
                            println!("{}\t{}", c.url, c.title.as_deref().unwrap_or(""));
                        }
                    }
                    bail!(
                        "{canonical} offers {} feeds (listed above): add one of them, or use --first for the first",
                        many.len()
                    );
                }
            }
        }
    };
    // A page's feed on another site (a blogroll's link, a feed service): said, for the
    // user to know whose feed it is.
    if from_page && other_site(&canonical, &found.url) {
        eprintln!(
            "bulletin: the feed found for {canonical} is on another site: {}",
            found.url
        );
    }
    // The feed may live elsewhere than asked (a redirect, the page's link).
    if let Some(name) = already(&config, paths, &found.url) {
        bail!("{} is already subscribed, as {name:?}", found.url);
    }
    // A sync server fetches web feeds only: a Gemini or local feed stays in the config.
    let web = found.url.starts_with("http://") || found.url.starts_with("https://");
    if let Some(sync) = config.sync.as_ref().filter(|_| web) {
        if subscribe_on_server(paths, &own, sync, &fetcher, &found, args, out)? {
            return Ok(());
        }
    }
    let new_config = !paths.config_file.exists();
    file.add_feed(&found.url, args.name, args.tags)?;
    let config = file.save()?;
    if new_config {
        eprintln!(
            "bulletin: wrote {} (every other key commented, as `bulletin init` writes it)",
            paths.config_file.display()
        );
    }
    // The articles are in hand: into the cache at once, so they show without a refresh.
    let items = found.feed.items.len();
    let title = found.feed.title.clone();
    let mut store = Store::open(&paths.db_file())?;
    let added = crate::feedlist::FeedList::of(&config, &mut store)?
        .by_url(&found.url)
        .map(|f| f.id);
    if let Some(id) = added {
        store.apply(
            id,
            &PreparedFeed::grouped(found.feed, config.general.stories),
            &Default::default(),
            Some(200),
            chrono::Utc::now(),
            config.general.keep_days,
        )?;
        // A gemlog's entries are links: their pages are the articles.
        // Subscribed already: a failure here is said, and the next refresh tries again.
        if found.url.starts_with("gemini://") {
            if let Err(e) = crate::refresh::pages_of_added(&mut store, &fetcher, &config, id) {
                eprintln!("bulletin: the entries' pages: {e} (the next refresh fetches them)");
            }
        }
    }
    if args.json {
        out.push_str(&to_json(&Added {
            url: &found.url,
            title: title.as_deref(),
            items,
        })?);
    } else {
        out.push_str(&format!(
            "Subscribed to {} <{}>: {}\n",
            args.name.or(title.as_deref()).unwrap_or(&found.url),
            found.url,
            super::syncing::counted(items, "article", "articles")
        ));
    }
    Ok(())
}

/// With `[sync]`, a new feed is subscribed on the server, which fetches it from then on,
/// and a sync brings it here. Says false when the server's API cannot add feeds (Fever):
/// the feed then goes in the config, fetched by bulletin.
fn subscribe_on_server(
    paths: &AppPaths,
    config: &Config,
    sync: &crate::config::SyncConfig,
    fetcher: &crate::fetch::Fetcher,
    found: &Found,
    args: &AddArgs,
    out: &mut String,
) -> anyhow::Result<bool> {
    let mut provider =
        crate::sync::connect(sync, fetcher.clone()).map_err(|e| anyhow::anyhow!("{e}"))?;
    match provider.subscribe(&found.url, args.tags.first().map(String::as_str)) {
        Ok(()) => {}
        Err(crate::sync::SyncError::Unsupported(why)) => {
            eprintln!("bulletin: {why}: added to the config here instead");
            return Ok(false);
        }
        Err(e) => bail!("sync with {}: {e}", sync.url),
    }
    let mut store = Store::open(&paths.db_file())?;
    let scope = crate::sync::Scope::of(config);
    let summary = crate::sync::run(
        &mut store,
        provider.as_mut(),
        &sync.account(),
        &scope,
        false,
    )
    .map_err(|e| anyhow::anyhow!("subscribed on {}, but the sync after failed: {e}", sync.url))?;
    let title = found.feed.title.as_deref();
    if args.json {
        out.push_str(&to_json(&Added {
            url: &found.url,
            title,
            items: summary.new_items,
        })?);
    } else {
        out.push_str(&format!(
            "Subscribed on {} to {} <{}>: {}\n",
            sync.url,
            args.name.or(title).unwrap_or(&found.url),
            found.url,
            super::syncing::counted(summary.new_items, "article", "articles")
        ));
    }
    Ok(true)
}

/// The feed `key` names (configured, or brought by the sync server), and the config file
/// open for editing.
struct Target {
    file: ConfigFile,
    store: Store,
    url: String,
    id: crate::model::FeedId,
    /// The server's id, when the sync server brings the feed.
    remote: Option<String>,
    config: Config,
}

fn open_feed(paths: &AppPaths, key: &str) -> anyhow::Result<Target> {
    let file = ConfigFile::open(&paths.config_file)?;
    let mut config = file.config()?;
    let mut store = Store::open(&paths.db_file())?;
    crate::feedlist::merge(&mut config, &store)?;
    store.sync_feeds(&config.feeds)?;
    let feeds = store.feed_summaries(&config.feeds)?;
    let feed = find_feed(&config, &feeds, key)?;
    let (url, id) = (feed.url.clone(), feed.id);
    let remote = config
        .feeds
        .iter()
        .find(|f| f.url == url)
        .and_then(|f| f.remote.as_ref().map(|r| r.id.clone()));
    Ok(Target {
        file,
        store,
        url,
        id,
        remote,
        config,
    })
}

/// Renaming and tagging edit the config: a feed only the server has is named there.
fn configured(t: Target) -> anyhow::Result<(ConfigFile, String)> {
    let in_file = t.file.config()?.feeds.iter().any(|f| f.url == t.url);
    if !in_file {
        bail!(
            "{} comes from the sync server: rename or tag it there (its groups are its tags here)",
            t.url
        );
    }
    Ok((t.file, t.url))
}

pub(super) fn cmd_remove(paths: &AppPaths, key: &str, out: &mut String) -> anyhow::Result<()> {
    let Target {
        mut file,
        mut store,
        url,
        id,
        remote,
        config,
    } = open_feed(paths, key)?;
    if let (Some(remote), Some(sync)) = (&remote, &config.sync) {
        // The server first: if it refuses, nothing here changes.
        let fetcher = crate::fetch::Fetcher::new(&config.general)?;
        let mut provider =
            crate::sync::connect(sync, fetcher).map_err(|e| anyhow::anyhow!("{e}"))?;
        provider
            .unsubscribe(remote)
            .map_err(|e| anyhow::anyhow!("sync with {}: {e}", sync.url))?;
    }
    if file.config()?.feeds.iter().any(|f| f.url == url) {
        file.remove_feed(&url)?;
        file.save()?;
    }
    let (dropped, kept) = store
        .remove_feed(id)
        .with_context(|| format!("{url} left the config, but its articles are still cached"))?;
    out.push_str(&format!(
        "Removed {url}: {} dropped",
        super::syncing::counted(dropped, "cached article", "cached articles")
    ));
    if kept > 0 {
        out.push_str(&format!(", {kept} starred kept until unstarred"));
    }
    out.push('\n');
    Ok(())
}

pub(super) fn cmd_rename(
    paths: &AppPaths,
    key: &str,
    name: &str,
    out: &mut String,
) -> anyhow::Result<()> {
    let (mut file, url) = configured(open_feed(paths, key)?)?;
    let name = name.trim();
    file.set_name(&url, (!name.is_empty()).then_some(name))?;
    file.save()?;
    if name.is_empty() {
        out.push_str(&format!("{url} is listed under its own title again\n"));
    } else {
        out.push_str(&format!("Renamed {url} to {name:?}\n"));
    }
    Ok(())
}

/// How `tag` changes the tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TagEdit {
    Replace,
    Add,
    Remove,
    /// Only said: the feed's tags as they are.
    Show,
}

pub(super) fn cmd_tag(
    paths: &AppPaths,
    key: &str,
    tags: &[String],
    edit: TagEdit,
    out: &mut String,
) -> anyhow::Result<()> {
    let (mut file, url) = configured(open_feed(paths, key)?)?;
    let config = file.config()?;
    let current = config
        .feeds
        .iter()
        .find(|f| f.url == url)
        .map(|f| f.tags.clone())
        .unwrap_or_default();
    let wanted: Vec<String> = tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let new: Vec<String> = match edit {
        TagEdit::Show => {
            let listed = match current.is_empty() {
                true => "(none)".to_string(),
                false => current.join(", "),
            };
            out.push_str(&format!("Tags of {url}: {listed}\n"));
            return Ok(());
        }
        TagEdit::Replace => wanted,
        TagEdit::Add => {
            let mut all = current;
            for t in wanted {
                if !all.contains(&t) {
                    all.push(t);
                }
            }
            all
        }
        TagEdit::Remove => current
            .into_iter()
            .filter(|t| !wanted.contains(t))
            .collect(),
    };
    file.set_tags(&url, &new)?;
    file.save()?;
    let listed = match new.is_empty() {
        true => "(none)".to_string(),
        false => new.join(", "),
    };
    out.push_str(&format!("Tags of {url}: {listed}\n"));
    Ok(())
}
