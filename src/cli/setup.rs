//! The commands that write the config: `init`, the imports, and the OPML export that
//! reads it back.

use super::open_store;
use super::progress::Progress;
use crate::config::{Config, FeedSpec};
use crate::model::FeedSummary;
use crate::paths::AppPaths;
use anyhow::{bail, Context};
use std::io::Write;
use std::path::PathBuf;

pub use crate::config::{init_text, EXAMPLE_CONFIG};

pub(super) fn cmd_init(paths: &AppPaths, out: &mut String) -> anyhow::Result<()> {
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
        .and_then(|mut f| f.write_all(init_text().as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    out.push_str(&format!(
        "Wrote {}: add your feeds as [[feed]] tables there\n",
        path.display()
    ));
    Ok(())
}

pub(super) fn cmd_import_opml(
    paths: &AppPaths,
    file: &std::path::Path,
    out: &mut String,
) -> anyhow::Result<()> {
    // `-`: standard input (`curl ... | bulletin import-opml -`).
    let bytes = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .context("standard input: cannot read")?;
        bytes
    } else {
        std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?
    };
    let read = crate::opml::parse_bytes(&bytes, file)?;
    if let Some(broken) = &read.broken {
        eprintln!("bulletin: {broken}");
    }
    for (what, why) in &read.skipped {
        eprintln!("bulletin: {}: skipped {what}: {why}", file.display());
    }
    add_feeds(paths, &read.feeds, read.skipped.len(), out)
}

/// Appends imported feeds to the config and reports what was added and skipped.
fn add_feeds(
    paths: &AppPaths,
    feeds: &[crate::opml::ImportedFeed],
    skipped_before: usize,
    out: &mut String,
) -> anyhow::Result<()> {
    // The spinner only while the config is written: what is said after comes below it.
    let report = {
        let _progress = Progress::spinner(false, &format!("importing {} feeds", feeds.len()));
        crate::opml::append_to_config(&paths.config_file, feeds)?
    };
    for (url, why) in &report.skipped {
        // Feeds' addresses from a file: cleaned for the terminal.
        let clean = crate::sanitize::clean_line;
        eprintln!("bulletin: skipped {}: {}", clean(url), clean(why));
    }
    out.push_str(&format!(
        "Imported {} into {} ({} skipped)\n",
        super::syncing::counted(report.added.len(), "feed", "feeds"),
        paths.config_file.display(),
        report.skipped.len() + skipped_before
    ));
    Ok(())
}

/// One of newsboat's files where newsboat looks for it: in `~/.newsboat` when that
/// exists, else in the XDG directories (`urls` with the config, `cache.db` with the data).
fn newsboat_default(file: &str) -> Option<PathBuf> {
    let dirs = directories::BaseDirs::new()?;
    let xdg = match file {
        "urls" => dirs.config_dir(),
        _ => dirs.data_dir(),
    };
    [
        dirs.home_dir().join(".newsboat").join(file),
        xdg.join("newsboat").join(file),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

pub(super) fn cmd_import_newsboat(
    paths: &AppPaths,
    urls: Option<PathBuf>,
    cache: Option<&std::path::Path>,
    out: &mut String,
) -> anyhow::Result<()> {
    // The cache newsboat keeps beside a urls file given, else where it keeps it; read
    // marks were dropped without a word when --cache was not given.
    let cache_found = match (&urls, cache) {
        (_, Some(_)) => None,
        (Some(u), None) => u
            .parent()
            .map(|dir| dir.join("cache.db"))
            .filter(|p| p.is_file())
            .or_else(|| newsboat_default("cache.db")),
        (None, None) => newsboat_default("cache.db"),
    };
    let cache = cache.or(cache_found.as_deref());
    let urls = urls.or_else(|| newsboat_default("urls")).context(
        "no newsboat urls file found in ~/.newsboat or $XDG_CONFIG_HOME/newsboat: give its path",
    )?;
    let bytes = std::fs::read(&urls).with_context(|| format!("{}: cannot read", urls.display()))?;
    // UTF-8 (its byte-order mark dropped), else Latin-1 as an old file has it.
    let text = crate::fulltext::charset::decode(&bytes, Some("text/plain"));
    let head = text
        .trim_start()
        .get(..5)
        .unwrap_or("")
        .to_ascii_lowercase();
    if head.starts_with("<?xml") || head.starts_with("<opml") {
        bail!(
            "{}: this is OPML, not a newsboat urls file: `bulletin import-opml` reads it",
            urls.display()
        );
    }
    let crate::newsboat::UrlsFile {
        feeds,
        queries,
        mut skipped,
    } = crate::newsboat::parse_urls(&text);
    // The cache's marks are read before the config is touched: a wrong --cache path is
    // an error with nothing written.
    let marks = {
        let _progress = Progress::spinner(false, "reading newsboat's cache");
        cache.map(crate::newsboat::read_marks).transpose()?
    };
    add_feeds(paths, &feeds, 0, out)?;
    if !queries.is_empty() {
        let mut file = crate::config::ConfigFile::open(&paths.config_file)?;
        let mut added = 0;
        for q in &queries {
            match file.add_query(&q.name, &q.query) {
                Ok(()) => added += 1,
                Err(why) => skipped.push(crate::newsboat::SkippedLine {
                    line: q.line,
                    text: format!("query:{}", q.name),
                    why,
                }),
            }
        }
        file.save()?;
        out.push_str(&format!(
            "Imported {} as saved searches\n",
            super::syncing::counted(added, "query", "queries")
        ));
    }
    say_skipped(&urls, &mut skipped);
    if !skipped.is_empty() {
        out.push_str(&format!(
            "{} skipped (see above)\n",
            super::syncing::counted(skipped.len(), "line", "lines")
        ));
    }
    if cache.is_none() {
        out.push_str("No newsboat cache.db found: give --cache PATH to bring its read marks\n");
    }
    // newsboat's config, beside its urls file in both of its layouts.
    if let Some(config) = urls
        .parent()
        .map(|d| d.join("config"))
        .filter(|p| p.is_file())
    {
        // Its feeds are in already: a config that cannot be read is said, and the read
        // marks still come over.
        if let Err(e) = import_newsboat_config(paths, &config, out) {
            eprintln!("bulletin: {}: not brought over: {e:#}", config.display());
        }
    }
    if let Some(marks) = marks {
        let mut store = open_store(paths)?;
        let config = Config::load(&paths.config_file)?;
        store.sync_feeds(&config.feeds)?;
        let progress = Progress::spinner(
            false,
            &format!("applying {} read marks from newsboat", marks.len()),
        );
        let now = store.import_read_marks(&marks)?;
        drop(progress);
        out.push_str(&format!(
            "Read marks: {} from newsboat's {} ({} on cached articles now, the rest as they arrive)\n",
            marks.len(),
            cache.map(|c| c.display().to_string()).unwrap_or_default(),
            now
        ));
    }
    out.push_str("newsboat's keys: put `[keys]` `preset = \"newsboat\"` in the config\n");
    Ok(())
}

/// The lines of a newsboat file not brought over, in order, each with why.
fn say_skipped(path: &std::path::Path, skipped: &mut [crate::newsboat::SkippedLine]) {
    skipped.sort_by_key(|s| s.line);
    for s in skipped.iter() {
        eprintln!(
            "bulletin: {}:{}: skipped {}: {}",
            path.display(),
            s.line,
            s.text,
            s.why
        );
    }
}

/// newsboat's `config`: its browser, auto-reload and refresh-on-startup (unless the
/// config here chose its own) and its `ignore-article` rules, as filters that hide.
fn import_newsboat_config(
    paths: &AppPaths,
    path: &std::path::Path,
    out: &mut String,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let found = crate::newsboat::parse_config(&text);
    let mut skipped = found.skipped;
    let mut file = crate::config::ConfigFile::open(&paths.config_file)?;
    if let Some(argv) = &found.browser {
        if file.set_browser_if_unset(argv) {
            out.push_str(&format!("Browser: {} (newsboat's)\n", argv.join(" ")));
        }
    }
    // (Unless the config here chose otherwise: the defaults `init` writes are no choice.)
    let defaults = crate::config::General::default();
    if let Some(minutes) = found.refresh_minutes {
        let value = toml_edit::Value::from(i64::from(minutes));
        let default = i64::from(defaults.refresh_interval_minutes).into();
        if file.set_general_if_unset("refresh_interval_minutes", value, default) {
            out.push_str(&match minutes {
                0 => "Refresh: only when asked (newsboat's auto-reload no)\n".to_string(),
                m => format!("Refresh: every {m} minutes (newsboat's auto-reload)\n"),
            });
        } else {
            out.push_str(
                "Refresh interval: yours kept (newsboat's auto-reload not brought over)\n",
            );
        }
    }
    if let Some(on) = found.refresh_on_startup {
        let default = defaults.refresh_on_startup.into();
        if file.set_general_if_unset("refresh_on_startup", on.into(), default) {
            out.push_str(&format!("Refresh on start-up: {on} (newsboat's)\n"));
        }
    }
    let mut hidden = 0;
    // A rule brought over before (an import run again) is not added twice.
    let had: Vec<String> = file
        .config()?
        .filters
        .iter()
        .filter(|f| f.action == crate::config::FilterAction::Hide)
        .map(|f| f.query.clone())
        .collect();
    for (line, query) in found.hide.iter().filter(|(_, q)| !had.contains(q)) {
        match file.add_filter(query, "hide") {
            Ok(()) => hidden += 1,
            Err(why) => skipped.push(crate::newsboat::SkippedLine {
                line: *line,
                text: format!("ignore-article ({query})"),
                why,
            }),
        }
    }
    file.save()?;
    if hidden > 0 {
        out.push_str(&format!(
            "Imported {} as filters that hide what they match\n",
            super::syncing::counted(hidden, "ignore-article rule", "ignore-article rules")
        ));
    }
    say_skipped(path, &mut skipped);
    if found.other > 0 {
        out.push_str(&format!(
            "newsboat's config: {} with no equivalent here left as they are ({})\n",
            super::syncing::counted(found.other, "line", "lines"),
            named(&found.other_names)
        ));
    }
    Ok(())
}

pub(super) fn cmd_export_opml(
    config: &Config,
    paths: &AppPaths,
    out: &mut String,
) -> anyhow::Result<()> {
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
    // Newsletters and command feeds have no feed address another reader could take.
    let feeds: Vec<FeedSpec> = config
        .feeds
        .iter()
        .filter(|f| f.mailbox.is_none() && !f.url.starts_with(crate::config::EXEC_PREFIX))
        .cloned()
        .collect();
    out.push_str(&crate::opml::export(&feeds, &name));
    Ok(())
}

/// The names of newsboat's commands left behind, ten at most.
fn named(names: &[String]) -> String {
    match names.len() {
        0..=10 => names.join(", "),
        n => format!("{}, and {} more", names[..10].join(", "), n - 10),
    }
}
