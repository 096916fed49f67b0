//! `update(model, msg)`: the only place the UI state changes. No I/O, no channels, no clock:
//! effects come back as `Cmd`s for the runner, so everything here is unit-testable.
//! This file takes the messages; `input` the keys and the mouse, `lists` selection and
//! paging, `articles` what is done to articles.

mod articles;
mod background;
mod copies;
mod feedrows;
mod fulltext;
mod hints;
mod input;
mod links;
mod lists;
mod manage;
mod pages;
mod reader;
mod search;

use super::model::{FeedRow, Model, Overlay, Pane};
use super::msg::{Cmd, Msg};
use crate::model::FeedSummary;
use crossterm::event::KeyEventKind;
use input::{on_key, on_mouse, quit};
/// Ticks (200 ms) between reloads of the list while a refresh runs.
const RELOAD_TICKS: u32 = 5;

use lists::{ensure_pages, keep_visible, reload_articles, rewrap_reader};

#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub cmds: Vec<Cmd>,
    pub redraw: bool,
}

impl Outcome {
    fn redraw(cmds: Vec<Cmd>) -> Outcome {
        Outcome { cmds, redraw: true }
    }
}

pub fn update(m: &mut Model, msg: Msg) -> Outcome {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => Outcome::redraw(on_key(m, key)),
        Msg::Key(_) => Outcome::default(),
        Msg::Mouse(ev) => Outcome::redraw(on_mouse(m, ev)),
        Msg::Resize(w, h) => {
            m.size = (w, h);
            let mut cmds = rewrap_reader(m);
            keep_visible(m);
            ensure_pages(m, &mut cmds);
            Outcome::redraw(cmds)
        }
        Msg::Tick => {
            let mut cmds = Vec::new();
            if m.feeds_dirty {
                m.feeds_dirty = false;
                cmds.push(Cmd::LoadFeeds);
            }
            // Once a second at most: the refresh's own writes change the cache many
            // times a second, and each reload redraws the list's rows.
            m.ticks = m.ticks.wrapping_add(1);
            if m.articles_dirty && m.ticks.is_multiple_of(RELOAD_TICKS) {
                m.articles_dirty = false;
                reload_articles(m, &mut cmds, false);
            }
            Outcome::redraw(cmds)
        }
        Msg::FeedsLoaded(feeds) => Outcome::redraw(on_feeds_loaded(m, feeds)),
        Msg::UnlistedFeeds(names) => {
            m.unlisted_feeds = names.into_iter().collect();
            Outcome::redraw(Vec::new())
        }
        Msg::CopiesCounted(n) => {
            m.unread_copies = n;
            Outcome::redraw(Vec::new())
        }
        Msg::TagCopiesCounted(copies) => {
            m.tag_copies = copies;
            Outcome::redraw(Vec::new())
        }
        Msg::StarredCounted { unread, total } => {
            m.starred = (unread, total);
            Outcome::redraw(Vec::new())
        }
        Msg::SearchesCounted {
            mut searches,
            hidden,
            hidden_unread,
        } => {
            // A list of names only keeps the counts already known until new ones come.
            for s in searches.iter_mut().filter(|s| s.counts.is_none()) {
                s.counts = m
                    .searches
                    .iter()
                    .find(|o| o.name == s.name && o.query == s.query)
                    .and_then(|o| o.counts);
            }
            let shape_changed = searches.len() != m.searches.len()
                || (hidden > 0) != (m.hidden > 0)
                || searches
                    .iter()
                    .zip(&m.searches)
                    .any(|(a, b)| a.name != b.name || a.query != b.query);
            m.searches = searches;
            m.hidden = hidden;
            m.hidden_unread = hidden_unread;
            if shape_changed {
                let feeds = m.feeds.clone();
                return Outcome::redraw(on_feeds_loaded(m, feeds));
            }
            Outcome::redraw(Vec::new())
        }
        Msg::Indexing { left } => {
            m.indexing = left;
            Outcome::redraw(Vec::new())
        }
        Msg::PageLoaded {
            req,
            page,
            total,
            rows,
            upto,
        } => {
            if req != m.articles.req {
                return Outcome::default();
            }
            if page == 0 {
                m.articles.upto = upto;
            }
            Outcome::redraw(pages::on_page_loaded(m, page, total, rows))
        }
        Msg::FeedsUpto(upto) => {
            m.feeds_upto = upto;
            Outcome::default()
        }
        Msg::Located {
            req,
            id,
            position,
            place,
            row,
            next,
        } => {
            if req != m.articles.req || m.articles.want != Some(id) {
                return Outcome::default();
            }
            if pages::shifted(m, id, position, place, next) {
                // Rows came or went above between the pages and this answer: read again
                // from the article, rather than land where the pages do not say.
                let mut cmds = Vec::new();
                reload_articles(m, &mut cmds, false);
                return Outcome::redraw(cmds);
            }
            Outcome::redraw(pages::on_located(m, position, place, row.map(|r| *r)))
        }
        Msg::RecentCounted(counts) => {
            m.recent = counts;
            m.recent_counted = true;
            Outcome::redraw(Vec::new())
        }
        Msg::Discovered(found) => Outcome::redraw(manage::on_discovered(m, found)),
        Msg::Counted { req, total } => {
            if req != m.articles.req {
                return Outcome::default();
            }
            m.articles.counting = false;
            m.articles.total = total;
            m.articles.selected = m.articles.selected.min(total.saturating_sub(1));
            let mut cmds = Vec::new();
            keep_visible(m);
            ensure_pages(m, &mut cmds);
            Outcome::redraw(cmds)
        }
        Msg::ArticleLoaded {
            req,
            item,
            prepared,
        } => reader::article_loaded(m, req, *item, *prepared),
        Msg::ArticleGone { req } => reader::article_gone(m, req),
        Msg::Restored {
            feed_key,
            item,
            hide_read,
            collapsed,
            sorts,
        } => {
            m.restore = Some((feed_key, item));
            m.hide_read = hide_read;
            m.collapsed = collapsed;
            m.sorts = sorts;
            if m.feeds.is_empty() {
                return Outcome::default();
            }
            let feeds = m.feeds.clone();
            Outcome::redraw(on_feeds_loaded(m, feeds))
        }
        Msg::InputClosed => Outcome::redraw(quit(m)),
        Msg::ReloadRequested => Outcome::redraw(vec![Cmd::ReloadConfig]),
        Msg::ConfigReloaded(Ok(config)) => {
            m.apply_config(&config);
            // The rows as the config now has them (flat or grouped, the order).
            let rows_cmds = feedrows::rebuild(m);
            // An overlay showing why the last reload failed is answered.
            if matches!(m.overlay, Some(Overlay::Text { error: true, .. })) {
                m.overlay = None;
            }
            let mut cmds = rewrap_reader(m);
            cmds.extend(rows_cmds);
            let n = config.feeds.len();
            let s = if n == 1 { "" } else { "s" };
            m.message = Some(format!("Config reloaded: {n} feed{s}"));
            cmds.push(Cmd::UseConfig(config));
            Outcome::redraw(cmds)
        }
        Msg::FeedsAdded(ids) => {
            // Fetched now rather than left empty until the next refresh. A refresh that
            // is running already takes this one up when it is done.
            m.refresh.requested |= m.refresh.running.is_none();
            Outcome::redraw(vec![Cmd::Refresh {
                feeds: Some(ids),
                force: false,
            }])
        }
        Msg::ConfigReloaded(Err(e)) => {
            // In full, file:line:column and all: the status line would cut it.
            m.message = Some("Config not reloaded: the config has an error".into());
            m.overlay = Some(Overlay::text("The config has an error", &e, true));
            m.overlay_scroll = 0;
            Outcome::redraw(Vec::new())
        }
        Msg::CacheChanged => {
            if m.is_busy() {
                // During a refresh (which writes many times a second) the counts are
                // reloaded at the next tick and the list within a second: a mark from
                // another process shows then, not when the refresh ends.
                m.feeds_dirty = true;
                m.articles_dirty = true;
                return Outcome::default();
            }
            // Counts and read marks may have changed under the list: reload both,
            // keeping the selected row.
            let mut cmds = vec![Cmd::LoadFeeds];
            m.articles.hold_selection();
            reload_articles(m, &mut cmds, false);
            // Another process may have rewritten the open article (a cron refresh).
            reader::reload_shown(m, &mut cmds);
            // Or downloaded something while the list of downloads is open.
            if matches!(m.overlay, Some(Overlay::Downloads)) {
                cmds.push(Cmd::LoadDownloads);
            }
            Outcome::redraw(cmds)
        }
        Msg::MarkFailed { error, mark } => Outcome::redraw(articles::mark_failed(m, error, mark)),
        Msg::StoreFailed(e) => {
            m.message = Some(e);
            Outcome::redraw(Vec::new())
        }
        msg @ (Msg::ServerEdited(_)
        | Msg::Trusted { .. }
        | Msg::FullTextFetched { .. }
        | Msg::ImageReady { .. }
        | Msg::Downloads(_)
        | Msg::Notify(_)
        | Msg::SyncStarted
        | Msg::Pushed(_)
        | Msg::MailRead(_)
        | Msg::SyncFinished(_)) => background::on_message(m, msg),
        Msg::RefreshStarted { total } => {
            m.refresh.requested = false;
            m.refresh.running = Some((0, total));
            Outcome::redraw(Vec::new())
        }
        Msg::RefreshFailed(e) => {
            m.refresh.requested = false;
            m.refresh.running = None;
            m.message = Some(format!("Refresh failed: {e}"));
            // Feeds written before the failure show their new counts.
            Outcome::redraw(vec![Cmd::LoadFeeds])
        }
        Msg::MarkedRead { ids } => {
            articles::marked_read(m, ids);
            Outcome::redraw(Vec::new())
        }
        Msg::Notice(message) => {
            m.message = Some(message);
            Outcome::redraw(Vec::new())
        }
        Msg::ServerFeeds(urls) => {
            m.server_feeds = urls;
            Outcome::default()
        }
        Msg::MarksWaiting(n) => {
            let more = n > m.marks_to_send;
            m.marks_to_send = n;
            // More than before, and not by a key here (those are sent already): another
            // process marked (`bulletin mark-read` from a shell). This TUI sends them.
            Outcome::redraw(if more {
                vec![Cmd::PushMarks]
            } else {
                Vec::new()
            })
        }
        Msg::Piped {
            command,
            status,
            output,
        } => {
            let failed = status != "exit status 0";
            let output = if output.trim().is_empty() {
                "(no output)".to_string()
            } else {
                output
            };
            m.message = Some(format!("{command}: {status}"));
            m.overlay = Some(Overlay::text(
                &format!("{command}: {status}"),
                &output,
                failed,
            ));
            m.overlay_scroll = 0;
            Outcome::redraw(Vec::new())
        }
        Msg::RefreshProgress { summary, .. } => {
            let total = m.refresh.running.map(|r| r.1).unwrap_or(summary.feeds);
            m.refresh.running = Some((summary.ok + summary.failed + summary.held, total));
            m.feeds_dirty = true;
            Outcome::redraw(Vec::new())
        }
        Msg::RefreshFinished { summary, at } => {
            m.refresh.requested = false;
            m.refresh.running = None;
            m.refresh.last = Some(at);
            m.refresh.last_new = summary.new_items + std::mem::take(&mut m.refresh.synced_new);
            m.feeds_dirty = false;
            m.articles_dirty = false;
            let mut cmds = vec![Cmd::LoadFeeds];
            // A feed followed its permanent redirect: config.toml has its new URL, which
            // this session's config must learn before anything refreshes it again.
            if summary.moved > 0 {
                let s = if summary.moved == 1 { "" } else { "s" };
                m.message = Some(format!(
                    "{} feed{s} moved (permanent redirect): the config has the new address",
                    summary.moved
                ));
                cmds.push(Cmd::ReloadConfig);
            }
            // New items may have arrived in the list on screen: reload it, keeping the row.
            m.articles.hold_selection();
            reload_articles(m, &mut cmds, false);
            // And the open article may have been rewritten.
            reader::reload_shown(m, &mut cmds);
            Outcome::redraw(cmds)
        }
    }
}

pub(super) fn on_feeds_loaded(m: &mut Model, feeds: Vec<FeedSummary>) -> Vec<Cmd> {
    let old_key = m.selected_feed_row().map(|r| r.key(&m.feeds));
    let old_query = m.selected_feed_row().map(|r| m.row_query(r));
    // The feed's row is found by its id too: a permanent redirect changes its address
    // (the key) under the cursor, and the cursor stayed on the row's place, another feed.
    let old_feed = match m.selected_feed_row() {
        Some(FeedRow::Feed(i)) => m.feeds.get(*i).map(|f| f.id),
        _ => None,
    };
    m.feeds = feeds;
    let rekeyed = rekey_moved(m);
    m.feed_name_width = m
        .feeds
        .iter()
        .map(|f| unicode_width::UnicodeWidthStr::width(f.name.as_str()))
        .max()
        .unwrap_or(0);
    let searching = m.feeds_pane.rows.first() == Some(&FeedRow::Search);
    m.feeds_pane.rows = feedrows::feed_rows(m, old_feed);
    if searching {
        m.feeds_pane.rows.insert(0, FeedRow::Search);
    }
    let restore = m.restore.take();
    let wanted_key = restore.as_ref().and_then(|(k, _)| k.clone()).or(old_key);
    if let Some(key) = wanted_key {
        let visible = m.visible_feed_rows();
        let by_id = |i: &usize| match &m.feeds_pane.rows[*i] {
            FeedRow::Feed(f) => old_feed.is_some() && m.feeds.get(*f).map(|f| f.id) == old_feed,
            _ => false,
        };
        let by_key = visible
            .iter()
            .position(|&i| m.feeds_pane.rows[i].key(&m.feeds) == key);
        match by_key.or_else(|| visible.iter().position(by_id)) {
            Some(pos) => m.feeds_pane.selected = pos,
            // The feed under the cursor left the list (removed from another shell): the
            // cursor goes back to the feed list, on the row that took its place. The
            // article list beside it is another row's, which the user never chose.
            None if old_feed.is_some()
                && m.focus != Pane::Feeds
                && !m.feeds.iter().any(|f| Some(f.id) == old_feed) =>
            {
                m.focus = Pane::Feeds;
                m.fullscreen = false;
                m.message = Some("The feed you were in is no longer in the list".into());
            }
            None => {}
        }
    }
    clamp_feed_selection(m);
    let mut cmds = Vec::new();
    let restored = restore.and_then(|(_, item)| item);
    if restored.is_some() {
        m.focus = Pane::Articles;
    }
    let new_query = m.selected_feed_row().map(|r| m.row_query(r));
    if new_query != old_query || m.articles.query.is_none() || restored.is_some() {
        reload_articles(m, &mut cmds, old_query != new_query);
        // Last session's article, found by id once its page (or the store) says where.
        if restored.is_some() {
            m.articles.want = restored;
        }
    } else if m.articles.filter.is_empty() {
        if let Some(sum) = m.selected_feed_row().and_then(|r| m.row_sum(r)) {
            if sum > m.articles.sum {
                // New rows may land above the cursor: it stays on its article.
                m.articles.hold_selection();
                reload_articles(m, &mut cmds, false);
            }
        }
    }
    keep_visible(m);
    if rekeyed {
        cmds.push(Cmd::SaveSorts(m.sorts.clone()));
    }
    cmds
}

/// A feed a permanent redirect moved keeps what was kept under its old address (the
/// rows' keys are addresses): its sort order, and the last session's cursor on it.
/// True when a sort order moved (it is saved again).
fn rekey_moved(m: &mut Model) -> bool {
    let mut rekeyed = false;
    for f in &m.feeds {
        let Some(from) = &f.health.moved_from else {
            continue;
        };
        let (old, new) = (format!("feed:{from}"), format!("feed:{}", f.url));
        if !m.sorts.contains_key(&new) {
            if let Some(order) = m.sorts.remove(&old) {
                m.sorts.insert(new.clone(), order);
                rekeyed = true;
            }
        }
        if let Some((key @ Some(_), _)) = &mut m.restore {
            if key.as_deref() == Some(old.as_str()) {
                *key = Some(new.clone());
            }
        }
        if m.feeds_pane.before_search.as_deref() == Some(old.as_str()) {
            m.feeds_pane.before_search = Some(new);
        }
    }
    rekeyed
}

fn clamp_feed_selection(m: &mut Model) {
    let n = m.visible_feed_rows().len();
    m.feeds_pane.selected = m.feeds_pane.selected.min(n.saturating_sub(1));
}
