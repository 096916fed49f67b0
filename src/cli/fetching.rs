//! The commands that go to the network: `refresh` and `probe`.

use super::open_store;
use super::output::{to_json, ProbeJson};
use super::progress::Progress;
use crate::config::Config;
use crate::fetch::{FetchOutcome, Fetcher};
use crate::paths::AppPaths;
use crate::refresh::{self, FeedResult};
use anyhow::bail;
use std::sync::atomic::AtomicBool;

pub(super) fn cmd_refresh(
    config: &Config,
    paths: &AppPaths,
    json: bool,
    force: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    let mut store = open_store(paths)?;
    let fetcher = Fetcher::new(&config.general)?;
    let since = crate::notify::mark(&store);
    // With [sync], the server's feeds come first; a failed sync still lets the local
    // feeds refresh, and the command fails at the end. `config` is the file's own.
    let mut sync_failed = None;
    let mut synced = None;
    let mut merged = config.clone();
    if config.sync.is_some() || config.folder.is_some() {
        let what = match &config.sync {
            Some(s) => format!("syncing with {}", s.provider.name()),
            None => "syncing through the folder".to_string(),
        };
        let progress = Progress::spinner(json, &what);
        let result = sync_once(config, &mut store, &fetcher);
        drop(progress);
        match result {
            Ok(s) => {
                // Another device's subscriptions came in: the feeds to fetch are the
                // config's as it is now.
                if s.config_changed {
                    if let Some(path) = &config.path {
                        merged = Config::load(path)?;
                    }
                }
                synced = Some(s)
            }
            Err(e) => {
                eprintln!("bulletin: {e}");
                sync_failed = Some(e);
            }
        }
    }
    // Then the mailboxes: their marks sent, their new messages read. A mailbox that
    // fails is said like a feed that fails.
    let mail = (!config.mailboxes.is_empty()).then(|| {
        let _progress = Progress::spinner(json, "reading the mailboxes");
        crate::mail::read::read_all(&mut store, config, None)
    });
    for e in mail.iter().flat_map(|m| &m.errors) {
        eprintln!("bulletin: {e}");
    }
    crate::feedlist::merge(&mut merged, &store)?;
    let config = &merged;
    let cancel = stop_on_interrupt();
    let progress = Progress::bar(json, 0, "feeds", "refreshing");
    let on_done = |done: &refresh::FeedDone, summary: &refresh::Summary| {
        if let FeedResult::Failed(e) = &done.result {
            progress.say(&format!("bulletin: {}: {e}", done.url));
        }
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            progress.set_message("stopping (Ctrl-C again to quit at once)");
            return;
        }
        progress.set_position((summary.ok + summary.failed) as u64);
        progress.set_message(&format!(
            "refreshing, {} new, {} failed",
            summary.new_items, summary.failed
        ));
    };
    let request = refresh::Request { feeds: None, force };
    let summary = refresh::run(
        &mut store,
        &fetcher,
        config,
        request,
        &cancel,
        |feeds| progress.set_length(feeds as u64),
        on_done,
    )?;
    drop(progress);
    // Marks other devices made on articles that only arrived now.
    if config.folder.is_some() {
        crate::folder::apply_arrived(&mut store)?;
    }
    if json {
        let mut value = serde_json::to_value(summary)?;
        if let Some(s) = &synced {
            value["sync"] = serde_json::to_value(s)?;
        }
        if let Some(e) = &sync_failed {
            value["sync"] = serde_json::json!({ "error": e.to_string() });
        }
        if let Some(m) = &mail {
            value["mail"] = serde_json::to_value(m)?;
        }
        out.push_str(&serde_json::to_string(&value)?);
        out.push('\n');
    } else {
        if let Some(s) = &synced {
            out.push_str(&sync_line(s));
        }
        if let Some(m) = &mail {
            out.push_str(&format!(
                "Read {} {}: {} new messages, {} marks sent, {} failed\n",
                m.mailboxes,
                if m.mailboxes == 1 {
                    "mailbox"
                } else {
                    "mailboxes"
                },
                m.new_items,
                m.pushed,
                m.errors.len()
            ));
        }
        out.push_str(&format!(
            "Refreshed {} feeds: {} ok ({} not modified), {} failed, {} new items\n",
            summary.feeds, summary.ok, summary.not_modified, summary.failed, summary.new_items
        ));
    }
    // A cron refresh can tell the desktop too (the command only: no terminal here).
    if !config.general.notify_command.is_empty() {
        if let Some(a) = crate::notify::arrivals(&store, config, since) {
            if let Err(e) = crate::notify::run_command(&config.general.notify_command, &a) {
                eprintln!("bulletin: {e}");
            }
        }
    }
    if summary.moved > 0 {
        // On stderr, so that --json stays one object.
        eprintln!(
            "bulletin: {} feed(s) moved by a permanent redirect; the config has the new address",
            summary.moved
        );
    }
    if let Some(e) = sync_failed {
        // The local feeds are written; the exit code still says the sync failed (the
        // error was said when it happened, and is not said twice).
        super::print(out)?;
        out.clear();
        return Err(super::Reported(e.to_string()).into());
    }
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!(
            "bulletin: refresh stopped (Ctrl-C): the feeds not fetched wait for the next one"
        );
        super::print(out)?;
        out.clear();
        return Err(super::Reported("interrupted".into()).into());
    }
    Ok(())
}

/// A flag Ctrl-C sets: the refresh stops handing out feeds, writes those already
/// fetched and says what it did (a second Ctrl-C ends the process at once, as usual).
fn stop_on_interrupt() -> std::sync::Arc<AtomicBool> {
    let flag = std::sync::Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        use signal_hook::consts::SIGINT;
        // The order matters: the exit is armed by the flag, which the second call sets.
        let _ = signal_hook::flag::register_conditional_shutdown(SIGINT, 130, flag.clone());
        let _ = signal_hook::flag::register(SIGINT, flag.clone());
    }
    flag
}

/// One sync with the configured server; the error is one line naming the server.
fn sync_once(
    config: &Config,
    store: &mut crate::store::Store,
    fetcher: &Fetcher,
) -> anyhow::Result<crate::sync::Summary> {
    match crate::sync::sync_configured(config, store, fetcher) {
        Some(result) => result.map_err(|e| anyhow::anyhow!("{e}")),
        None => bail!("no [sync] in the config: add provider, url, username and password_command, or provider = \"folder\" and path (see the comments in the config `bulletin init` writes)"),
    }
}

fn sync_line(s: &crate::sync::Summary) -> String {
    let n = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    let feeds = n(s.feeds, "feed", "feeds");
    let sent = n(s.pushed, "mark sent", "marks sent");
    let received = n(s.pulled, "change received", "changes received");
    if s.provider == "folder" {
        return format!("Synced through the folder: {feeds}, {sent}, {received}\n");
    }
    let new = n(s.new_items, "new item", "new items");
    let mut left = String::new();
    if s.unread_left > 0 {
        let articles = n(
            s.unread_left,
            "unread or starred article",
            "unread or starred articles",
        );
        left.push_str(&format!("; {articles} come at the next syncs"));
    }
    if s.older_left {
        left.push_str(
            "; older articles come at the next syncs (`bulletin sync --all` brings them now)",
        );
    }
    format!(
        "Synced with {}: {feeds}, {new}, {sent}, {received}{left}\n",
        s.provider
    )
}

pub(super) fn cmd_sync(
    config: &Config,
    paths: &AppPaths,
    json: bool,
    all: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    if config.sync.is_none() && config.folder.is_none() {
        bail!("no [sync] in the config: add provider, url, username and password_command, or provider = \"folder\" and path (see the comments in the config `bulletin init` writes)");
    }
    if config.sync.as_ref().is_some_and(|s| s.plain_password()) {
        eprintln!("bulletin: {}", super::cache::PLAIN_PASSWORD);
    }
    let mut store = open_store(paths)?;
    let fetcher = Fetcher::new(&config.general)?;
    let provider = config
        .sync
        .as_ref()
        .map_or("the folder".to_string(), |s| s.provider.name().to_string());
    let progress = Progress::spinner(json, &format!("syncing with {provider}"));
    let mut round = sync_once(config, &mut store, &fetcher)?;
    let mut summary = round.clone();
    // --all: sync after sync while the server has more and the last one brought some (a
    // server that says "more" and sends nothing ends it); a line each, and in JSON the
    // whole.
    while all && (round.older_left || round.unread_left > 0) && round.new_items > 0 {
        if !json {
            progress.say(sync_line(&round).trim_end());
        }
        progress.set_message(&format!(
            "syncing with {provider}: {} new articles so far, older ones next",
            summary.new_items
        ));
        round = sync_once(config, &mut store, &fetcher)?;
        summary = crate::sync::Summary {
            new_items: summary.new_items + round.new_items,
            pushed: summary.pushed + round.pushed,
            pulled: summary.pulled + round.pulled,
            config_changed: summary.config_changed || round.config_changed,
            ..round.clone()
        };
    }
    drop(progress);
    if summary.config_changed {
        eprintln!("bulletin: subscriptions from another device are in the config now; the next refresh fetches them");
    }
    if json {
        out.push_str(&serde_json::to_string(&summary)?);
        out.push('\n');
    } else {
        out.push_str(&sync_line(&round));
    }
    Ok(())
}

/// `extract --json`: the article's metadata, its text as the reader renders it, and the
/// cleaned HTML.
#[derive(serde::Serialize)]
struct ExtractJson<'a> {
    title: &'a str,
    byline: Option<&'a str>,
    site_name: Option<&'a str>,
    excerpt: Option<&'a str>,
    content: String,
    html: &'a str,
}

pub(super) fn cmd_extract(
    config: &Config,
    target: &str,
    json: bool,
    width: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let url =
        crate::config::canonical_url(target, &cwd).map_err(|e| anyhow::anyhow!("{target}: {e}"))?;
    let fetcher = Fetcher::new(&config.general)?;
    let article = crate::fulltext::fetch(&fetcher, &url, crate::fulltext::MAX_PAGES).map_err(
        |e| match e {
            crate::fulltext::ExtractError::Fetch(f) => anyhow::anyhow!("{url}: {f}"),
            other => anyhow::anyhow!("{other}"),
        },
    )?;
    let width = width.max(10);
    if json {
        let content = crate::render::html_to_body_text(&article.html, Some(&article.url), width);
        out.push_str(&to_json(&ExtractJson {
            title: &article.title,
            byline: article.byline.as_deref(),
            site_name: article.site_name.as_deref(),
            excerpt: article.excerpt.as_deref(),
            content,
            html: &article.html,
        })?);
        return Ok(());
    }
    let prepared = crate::article::Prepared::extracted(&article);
    out.push_str(&crate::render::to_plain(&prepared.layout(width)));
    out.push('\n');
    Ok(())
}

pub(super) fn cmd_probe(
    config: &Config,
    target: &str,
    json: bool,
    width: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    if let Some(path) = eml_path(target) {
        let feed = read_eml(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let base = url::Url::from_file_path(std::path::absolute(&path).unwrap_or(path))
            .map(String::from)
            .unwrap_or_default();
        return print_probe(&feed, &base, json, width, out);
    }
    let fetcher = Fetcher::new(&config.general)?;
    let fetched = match fetcher
        .fetch(target, &Default::default())
        .map_err(|e| anyhow::anyhow!("{target}: {e}"))?
    {
        FetchOutcome::Modified(f) => f,
        FetchOutcome::NotModified { .. } => {
            bail!("{target}: the server answered 304 to an unconditional request")
        }
    };
    // A message served on the web (message/rfc822, or a .eml address) reads as mail.
    let is_mail = fetched
        .content_type
        .as_deref()
        .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("message/rfc822"))
        || url::Url::parse(&fetched.final_url)
            .is_ok_and(|u| u.path().to_ascii_lowercase().ends_with(".eml"));
    let feed = if is_mail {
        eml_feed(&fetched.body)
    } else {
        crate::parse::parse_feed(
            &fetched.body,
            fetched.content_type.as_deref(),
            &fetched.final_url,
        )
        .map_err(|e| e.to_string())
    }
    .map_err(|e| anyhow::anyhow!("{target}: {e}"))?;
    print_probe(&feed, &fetched.final_url, json, width, out)
}

/// A local `.eml` file (a path or a file:// URL) names one message.
fn eml_path(target: &str) -> Option<std::path::PathBuf> {
    let path = match url::Url::parse(target) {
        Ok(u) if u.scheme() == "file" => u.to_file_path().ok()?,
        Ok(u) if u.scheme().len() > 1 => return None,
        _ => std::path::PathBuf::from(target),
    };
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
        .then_some(path)
}

/// One message as a feed of one item: its newsletter's name as the title.
fn read_eml(path: &std::path::Path) -> Result<crate::model::ParsedFeed, String> {
    let raw = crate::mail::read_message_file(path).map_err(|e| e.to_string())?;
    eml_feed(&raw)
}

fn eml_feed(raw: &[u8]) -> Result<crate::model::ParsedFeed, String> {
    let article = crate::mail::parse(raw, None)
        .ok_or("not an email message (no From, Subject, Date or Message-ID)")?;
    Ok(crate::model::ParsedFeed {
        title: Some(article.list_name),
        link: None,
        description: None,
        items: vec![article.item],
    })
}

/// What `probe` prints of a feed: its items as JSON (text as the reader renders it), or
/// a line each.
fn print_probe(
    feed: &crate::model::ParsedFeed,
    base_url: &str,
    json: bool,
    width: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    if json {
        // Text as the reader renders it, relative links against the item's own link.
        let text = |item: &crate::model::ParsedItem, html: &Option<String>| {
            let base = item.link.as_deref().or(Some(base_url));
            html.as_deref()
                .map(|h| crate::render::html_to_text(h, base, width.max(10)))
        };
        out.push_str(&to_json(&ProbeJson::new(feed, text))?);
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
