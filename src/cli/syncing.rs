//! `bulletin sync`: one sync with the `[sync]` server or folder, or with `--all` sync after
//! sync until the account is whole; and the line that says what a sync did.

use super::open_store;
use super::progress::Progress;
use crate::config::Config;
use crate::fetch::Fetcher;
use crate::paths::AppPaths;
use anyhow::bail;

/// One sync with the configured server; the error is one line naming the server.
pub(super) fn sync_once(
    config: &Config,
    store: &mut crate::store::Store,
    fetcher: &Fetcher,
    whole: bool,
) -> anyhow::Result<crate::sync::Summary> {
    match crate::sync::sync_configured(config, store, fetcher, whole) {
        Some(result) => result.map_err(|e| anyhow::anyhow!("{e}")),
        None => bail!("no [sync] in the config: add provider, url, username and password_command, or provider = \"folder\" and path (see the comments in the config `bulletin init` writes)"),
    }
}

/// "1 feed", "2 feeds": a count with its noun, one of it said in the singular.
pub(super) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

pub(super) fn sync_line(s: &crate::sync::Summary) -> String {
    let n = counted;
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
    if s.carried_waiting > 0 {
        let marks = n(s.carried_waiting, "mark", "marks");
        let wait = if s.carried_waiting == 1 {
            "waits"
        } else {
            "wait"
        };
        left.push_str(&format!(
            "; {marks} on articles of the account before {wait} for them on this server"
        ));
    }
    if s.older_left {
        left.push_str(
            "; older articles come at the next syncs, 10,000 an hour at most (`bulletin sync --all` brings them now)",
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
    let mut round = sync_once(config, &mut store, &fetcher, all)?;
    let mut summary = round.clone();
    // --all: sync after sync while the server has more and the last one brought some or
    // went on through the history (a server that says "more" and sends nothing ends it);
    // a line each, and in JSON the whole.
    while all
        && (round.older_left || round.unread_left > 0)
        && (round.new_items > 0 || round.history_moved)
    {
        if !json {
            progress.out(&sync_line(&round))?;
        }
        progress.set_message(&format!(
            "syncing with {provider}: {} new articles so far, older ones next",
            summary.new_items
        ));
        round = sync_once(config, &mut store, &fetcher, true)?;
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
