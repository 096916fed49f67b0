//! The commands that go to the network: `refresh` and `probe`.

use super::open_store;
use super::output::{to_json, ProbeJson};
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
    if summary.moved > 0 {
        // On stderr, so that --json stays one object.
        eprintln!(
            "bulletin: {} feed(s) moved by a permanent redirect; the config has the new address",
            summary.moved
        );
    }
    Ok(())
}

pub(super) fn cmd_probe(
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
        FetchOutcome::NotModified { .. } => {
            bail!("{target}: the server answered 304 to an unconditional request")
        }
    };
    let feed = crate::parse::parse_feed(
        &fetched.body,
        fetched.content_type.as_deref(),
        &fetched.final_url,
    )
    .map_err(|e| anyhow::anyhow!("{target}: {e}"))?;
    if json {
        // Text as the reader renders it, relative links against the item's own link.
        let text = |item: &crate::model::ParsedItem, html: &Option<String>| {
            let base = item.link.as_deref().or(Some(fetched.final_url.as_str()));
            html.as_deref()
                .map(|h| crate::render::html_to_text(h, base, width.max(10)))
        };
        out.push_str(&to_json(&ProbeJson::new(&feed, text))?);
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
