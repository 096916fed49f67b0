//! The commands that go to the network: `refresh` and `probe`.

use super::open_store;
use super::output::{to_json, ProbeJson};
use super::progress::Progress;
use super::syncing::{sync_line, sync_once};
use crate::config::Config;
use crate::fetch::{FetchOutcome, Fetcher};
use crate::paths::AppPaths;
use crate::refresh::{self, FeedResult};
use anyhow::bail;

pub(super) fn cmd_refresh(
    config: &Config,
    paths: &AppPaths,
    json: bool,
    force: bool,
    out: &mut String,
) -> anyhow::Result<()> {
    // (The HTTP client reads the system's certificates at its first TLS handshake:
    // fetch::tls.)
    let fetcher = Fetcher::new(&config.general)?;
    let mut store = open_store(paths)?;
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
        let result = sync_once(config, &mut store, &fetcher, false);
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
    let interrupt = super::interrupt::Interrupt::catch();
    let cancel = interrupt.flag();
    let progress = Progress::bar(json, 0, "feeds", "refreshing");
    let on_done = |done: &refresh::FeedDone, summary: &refresh::Summary| {
        match &done.result {
            FeedResult::Failed(e) | FeedResult::Held(e) => {
                progress.say(&format!("bulletin: {}: {e}", done.url))
            }
            FeedResult::Updated {
                cut_short: true, ..
            } => progress.say(&format!("bulletin: {}: {}", done.url, refresh::CUT_SHORT)),
            _ => {}
        }
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            progress.set_message("stopping (Ctrl-C again to quit at once)");
            return;
        }
        progress.set_position((summary.ok + summary.failed + summary.held) as u64);
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
    // Asked now: a Ctrl-C after the feeds (during a notify command, say) interrupted
    // nothing of the refresh, and ends the process as usual.
    let interrupted = interrupt.finish();
    // Marks other devices made on articles that only arrived now.
    if config.folder.is_some() {
        crate::folder::apply_arrived(&mut store)?;
    }
    if json {
        let mut value = serde_json::to_value(summary)?;
        if interrupted {
            value["interrupted"] = true.into();
        }
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
            let n_of = super::syncing::counted;
            out.push_str(&format!(
                "Read {} {}: {}, {}, {} failed\n",
                m.mailboxes,
                if m.mailboxes == 1 {
                    "mailbox"
                } else {
                    "mailboxes"
                },
                n_of(m.new_items, "new message", "new messages"),
                n_of(m.pushed, "mark sent", "marks sent"),
                m.errors.len()
            ));
        }
        let n = super::syncing::counted;
        // (Held feeds only when there are any: the line is read by scripts.)
        let held = match summary.held {
            0 => String::new(),
            h => format!(", {h} waiting for their host"),
        };
        out.push_str(&format!(
            "Refreshed {}: {} ok ({} not modified), {} failed{held}, {}\n",
            n(summary.feeds, "feed", "feeds"),
            summary.ok,
            summary.not_modified,
            summary.failed,
            n(summary.new_items, "new item", "new items"),
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
    if interrupted {
        eprintln!(
            "bulletin: refresh stopped (Ctrl-C): the feeds not fetched wait for the next one"
        );
        super::print(out)?;
        out.clear();
        // Ends as a process Ctrl-C ends, so that a script running it stops too.
        super::interrupt::die_as_interrupted();
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
    out.push_str(&crate::render::to_plain(&prepared.layout_for_text(width)));
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
    // An address typed as `add` takes it (`example.org/feed`, `host:8080/feed`) is a web
    // address, not a file (unless there is such a file).
    let typed = target;
    let normalised;
    let target = if std::path::Path::new(typed).exists() {
        typed
    } else {
        normalised = crate::discover::normalise(typed).unwrap_or_else(|_| typed.to_string());
        normalised.as_str()
    };
    let fetcher = Fetcher::new(&config.general)?;
    // Typed without a scheme: https, else http, said on stderr (as `add` does).
    let unschemed = target != typed && !typed.contains("://") && target.starts_with("https://");
    let plain;
    let (target, outcome) = match fetcher.fetch(target, &Default::default()) {
        Err(e) if unschemed => {
            plain = format!("http://{}", &target["https://".len()..]);
            match fetcher.fetch(&plain, &Default::default()) {
                Ok(outcome) => {
                    eprintln!("bulletin: {target} failed ({e}); {plain} answered");
                    (plain.as_str(), Ok(outcome))
                }
                // The server spoke no TLS: what it said over http is the one to read.
                Err(plain_err) if crate::fetch::speaks_no_tls(&e.to_string()) => {
                    (plain.as_str(), Err(plain_err))
                }
                Err(_) => (target, Err(e)),
            }
        }
        other => (target, other),
    };
    let fetched = match outcome.map_err(|e| anyhow::anyhow!("{target}: {e}"))? {
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
        .map_err(|e| match e {
            // A page: `add` is what finds the feeds it links.
            crate::parse::ParseError::HtmlPage => {
                format!("{e}; `bulletin add {target}` finds the feeds it links")
            }
            e => e.to_string(),
        })
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
    // "(1 items)" as ever: scripts read this line.
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
