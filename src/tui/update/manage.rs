//! Managing feeds from the TUI: `a` asks for an address, finds its feeds (a picker when
//! there are several), previews the feed and subscribes on Enter; `d` removes the
//! selected feed after a y (a server's feed: on the server, which it says); `E` renames
//! it; `T` edits its tags.

use super::super::model::{Ask, FeedRow, Model, Overlay, Prompt};
use super::super::msg::{Cmd, FeedEdit};
use crate::discover::Discovery;
use crossterm::event::{KeyCode, KeyEvent};

/// The feed of the selected feed-list row, when it is one feed.
fn selected_feed(m: &Model) -> Option<(String, String, Vec<String>)> {
    match m.selected_feed_row()? {
        FeedRow::Feed(i) => m
            .feeds
            .get(*i)
            .map(|f| (f.url.clone(), f.name.clone(), f.tags.clone())),
        _ => None,
    }
}

/// The web site of the selected feed-list row's feed (inside: None when it names none),
/// or None when the row is not one feed.
pub(super) fn selected_feed_site(m: &Model) -> Option<Option<String>> {
    match m.selected_feed_row()? {
        FeedRow::Feed(i) => m.feeds.get(*i).map(|f| f.site.clone()),
        _ => None,
    }
}

pub(super) fn add(m: &mut Model) -> Vec<Cmd> {
    // Said before the address is typed: where the feed will go.
    if let Some(server) = m.server.as_ref().filter(|s| !s.edits_feeds) {
        m.message = Some(format!(
            "The {} server cannot subscribe: the feed is added to this config only",
            server.name
        ));
    }
    m.prompt = Some(Prompt::line(Ask::AddFeed, ""));
    Vec::new()
}

pub(super) fn remove(m: &mut Model) -> Vec<Cmd> {
    let Some((url, name, _)) = selected_feed(m) else {
        m.message = Some("Select a feed in the feed list to remove it".into());
        return Vec::new();
    };
    let server = m
        .server
        .as_ref()
        .filter(|_| m.server_feeds.contains(&url))
        .map(|s| s.name.to_string());
    if let (Some(name), Some(s)) = (&server, &m.server) {
        if !s.edits_feeds {
            m.message = Some(format!(
                "The {name} server cannot unsubscribe: remove the feed on the server itself"
            ));
            return Vec::new();
        }
    }
    m.prompt = Some(Prompt::ConfirmRemove { url, name, server });
    Vec::new()
}

pub(super) fn rename(m: &mut Model) -> Vec<Cmd> {
    match selected_feed(m) {
        Some((url, name, _)) => m.prompt = Some(Prompt::line(Ask::RenameFeed { url }, &name)),
        None => m.message = Some("Select a feed in the feed list to rename it".into()),
    }
    Vec::new()
}

pub(super) fn edit_tags(m: &mut Model) -> Vec<Cmd> {
    match selected_feed(m) {
        Some((url, _, tags)) => {
            m.prompt = Some(Prompt::line(Ask::EditTags { url }, &tags.join(", ")))
        }
        None => m.message = Some("Select a feed in the feed list to edit its tags".into()),
    }
    Vec::new()
}

/// Enter at one of this module's prompts.
pub(super) fn submit(m: &mut Model, ask: Ask, text: String) -> Vec<Cmd> {
    match ask {
        Ask::AddFeed if text.trim().is_empty() => Vec::new(),
        Ask::AddFeed => {
            let url = text.trim().to_string();
            // Said at once, as `bulletin add` says it: no fetch, no preview to refuse.
            if let Some(said) = already_subscribed(m, &url) {
                m.message = Some(said);
                return Vec::new();
            }
            m.message = Some(format!("Looking for feeds at {url}…"));
            m.discovering = Some(url.clone());
            vec![Cmd::Discover { url, origin: None }]
        }
        Ask::RenameFeed { url } => vec![Cmd::EditFeeds(FeedEdit::Rename { url, name: text })],
        Ask::EditTags { url } => {
            let tags = super::super::manage::split_tags(&text);
            vec![Cmd::EditFeeds(FeedEdit::Tags { url, tags })]
        }
        _ => Vec::new(),
    }
}

/// A key at a yes-or-no question: y does it, anything else does not.
pub(super) fn on_confirm_key(m: &mut Model, prompt: Prompt, key: KeyEvent) -> Vec<Cmd> {
    m.prompt = None;
    let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y'));
    match prompt {
        Prompt::ConfirmRemove { url, .. } if yes => {
            // Marks on a removed feed's articles cannot be taken back: `u` stops here.
            m.undo.clear();
            vec![Cmd::EditFeeds(FeedEdit::Remove { url })]
        }
        Prompt::ConfirmRemove { .. } => {
            m.message = Some("Not removed".into());
            Vec::new()
        }
        Prompt::ConfirmMarkEverything { upto } if yes => {
            super::articles::mark_everything_read(m, upto)
        }
        Prompt::ConfirmMarkEverything { .. } => {
            m.message = Some("Nothing marked".into());
            Vec::new()
        }
        Prompt::Line { .. } => Vec::new(),
    }
}

/// What discovery found: a preview of a feed, a picker of several, or why not.
pub(super) fn on_discovered(m: &mut Model, found: Result<Discovery, String>) -> Vec<Cmd> {
    m.message = None;
    match found {
        Err(e) => m.message = Some(format!("Not added: {e}")),
        Ok(Discovery::Feed(found)) => match already_subscribed(m, &found.url) {
            Some(said) => m.message = Some(format!("Not added: {said}")),
            None => {
                m.overlay = Some(Overlay::Preview(Box::new(found)));
                m.overlay_scroll = 0;
            }
        },
        // A page's feeds that are subscribed already are not offered again.
        Ok(Discovery::Page(mut candidates)) => {
            let found = candidates.len();
            candidates.retain(|c| already_subscribed(m, &c.url).is_none());
            return offer(m, candidates, found);
        }
    }
    Vec::new()
}

/// A page's feeds not subscribed yet (of `found` there): a preview of the one, a picker
/// of several, or why none.
fn offer(m: &mut Model, candidates: Vec<crate::discover::Candidate>, found: usize) -> Vec<Cmd> {
    match (candidates.len(), found) {
        (0, 0) => m.message = Some("Not added: no feed found at that address".into()),
        (0, 1) => m.message = Some("Not added: its feed is subscribed already".into()),
        (0, n) => m.message = Some(format!("Not added: its {n} feeds are subscribed already")),
        (1, _) => return preview_candidate(m, candidates.into_iter().next()),
        _ => {
            m.overlay = Some(Overlay::Picker {
                candidates,
                selected: 0,
            });
            m.overlay_scroll = 0;
        }
    }
    Vec::new()
}

/// "URL is already subscribed, as NAME" when the address (as typed, made canonical as
/// discovery makes it) is a feed of the list.
fn already_subscribed(m: &Model, url: &str) -> Option<String> {
    let url = crate::discover::normalise(url).ok()?;
    let feed = m.feeds.iter().find(|f| f.url == url)?;
    Some(format!("{url} is already subscribed, as {:?}", feed.name))
}

/// A page's feed chosen (or its only one): previewed as discovery fetched it, else
/// fetched now.
fn preview_candidate(m: &mut Model, chosen: Option<crate::discover::Candidate>) -> Vec<Cmd> {
    let Some(chosen) = chosen else {
        return Vec::new();
    };
    if let Some(found) = chosen.found {
        m.overlay = Some(Overlay::Preview(found));
        m.overlay_scroll = 0;
        return Vec::new();
    }
    m.message = Some(format!("Fetching {}…", chosen.url));
    vec![Cmd::Discover {
        url: chosen.url,
        origin: m.discovering.clone(),
    }]
}

/// Keys on the picker and the preview; None when the overlay is not one of them.
pub(super) fn on_overlay_key(m: &mut Model, key: KeyEvent) -> Option<Vec<Cmd>> {
    let action = super::input::overlay_action(m, &key);
    use super::super::keymap::Action;
    match m.overlay.take()? {
        Overlay::Picker {
            candidates,
            selected,
        } => {
            let last = candidates.len().saturating_sub(1);
            let selected = match action {
                Some(Action::Down) => (selected + 1).min(last),
                Some(Action::Up) => selected.saturating_sub(1),
                Some(Action::Open) => {
                    let chosen = candidates.into_iter().nth(selected.min(last));
                    return Some(preview_candidate(m, chosen));
                }
                Some(Action::Back) => return Some(Vec::new()),
                _ => selected,
            };
            m.overlay = Some(Overlay::Picker {
                candidates,
                selected,
            });
            Some(Vec::new())
        }
        Overlay::Preview(found) => match action {
            Some(Action::Open) => {
                m.message = Some(format!("Subscribing to {}…", found.url));
                Some(vec![Cmd::EditFeeds(FeedEdit::Subscribe(found))])
            }
            Some(Action::Back) => {
                m.message = Some("Not added".into());
                Some(Vec::new())
            }
            _ => {
                m.overlay = Some(Overlay::Preview(found));
                Some(Vec::new())
            }
        },
        Overlay::Health { sort, selected } => Some(on_health_key(m, sort, selected, key)),
        Overlay::Enclosures { selected } => {
            let last = m
                .reader
                .as_ref()
                .map_or(0, |r| r.item.enclosures.len().saturating_sub(1));
            let selected = match action {
                Some(Action::Down) => (selected + 1).min(last),
                Some(Action::Up) => selected.saturating_sub(1),
                Some(Action::Open) => {
                    return Some(super::super::enclosures::enter(
                        m,
                        selected,
                        m.enclosure_command,
                    ));
                }
                Some(Action::QueueDownload) => {
                    m.message = Some(super::hints::downloading(m));
                    let item = m.reader.as_ref().map(|r| r.item.id);
                    return Some(item.map_or_else(Vec::new, |item| {
                        vec![Cmd::QueueDownload {
                            item,
                            index: selected,
                        }]
                    }));
                }
                Some(Action::Back) | Some(Action::Enclosures) => return Some(Vec::new()),
                _ => selected,
            };
            m.overlay = Some(Overlay::Enclosures { selected });
            Some(Vec::new())
        }
        other => {
            m.overlay = Some(other);
            None
        }
    }
}

/// The health view: the movement keys select a feed, s sorts by the next column, Enter
/// goes to the feed in the feed list.
fn on_health_key(
    m: &mut Model,
    sort: super::super::health::HealthSort,
    selected: usize,
    key: KeyEvent,
) -> Vec<Cmd> {
    use super::super::keymap::Action;
    let last = m.feeds.len().saturating_sub(1);
    let page = super::super::overlay::place(m).visible.max(2) - 1;
    let (sort, selected) = match (key.code, super::input::overlay_action(m, &key)) {
        (KeyCode::Char('s'), _) => (sort.next(), 0),
        // A Gemini feed refused for a changed certificate: accept the host's new one.
        (KeyCode::Char('T'), _) => {
            let order = super::super::health::order(m, sort);
            let feed = order.get(selected).and_then(|&i| m.feeds.get(i));
            return match feed {
                Some(f) if f.url.starts_with("gemini://") => {
                    m.message = Some("Fetching the host's certificate…".into());
                    vec![Cmd::TrustHost {
                        feed: f.id,
                        url: f.url.clone(),
                    }]
                }
                _ => {
                    m.message = Some("T trusts a Gemini feed's host: this is not one".into());
                    m.overlay = Some(Overlay::Health { sort, selected });
                    Vec::new()
                }
            };
        }
        (_, Some(Action::Down)) => (sort, (selected + 1).min(last)),
        (_, Some(Action::Up)) => (sort, selected.saturating_sub(1)),
        (_, Some(Action::PageDown | Action::PageReader)) => (sort, (selected + page).min(last)),
        (_, Some(Action::PageUp)) => (sort, selected.saturating_sub(page)),
        (_, Some(Action::Top)) => (sort, 0),
        (_, Some(Action::Bottom)) => (sort, last),
        (_, Some(Action::Open)) => {
            let order = super::super::health::order(m, sort);
            if let Some(&i) = order.get(selected) {
                return go_to_feed(m, i);
            }
            return Vec::new();
        }
        (_, Some(Action::Back | Action::ShowErrors | Action::Help)) => return Vec::new(),
        _ => (sort, selected),
    };
    m.overlay = Some(Overlay::Health { sort, selected });
    // Keep the selected line in sight.
    let placed = super::super::overlay::place(m);
    let width = placed.area.width.saturating_sub(4) as usize;
    let (_, at) = super::super::health::content(m, sort, selected, width);
    if at < m.overlay_scroll + 1 {
        m.overlay_scroll = at.saturating_sub(1);
    } else if at + 3 > m.overlay_scroll + placed.visible {
        m.overlay_scroll = (at + 3).saturating_sub(placed.visible);
    }
    m.overlay_scroll = m.overlay_scroll.min(placed.max_scroll());
    Vec::new()
}

/// Selects the feed's row in the feed list and shows its articles.
fn go_to_feed(m: &mut Model, feed: usize) -> Vec<Cmd> {
    super::search::remove_search_row(m);
    let Some(pos) = m
        .visible_feed_rows()
        .iter()
        .position(|&r| m.feeds_pane.rows[r] == FeedRow::Feed(feed))
    else {
        return Vec::new();
    };
    m.feeds_pane.selected = pos;
    m.focus = super::super::model::Pane::Feeds;
    m.articles.filter.clear();
    let mut cmds = Vec::new();
    super::lists::reload_articles(m, &mut cmds, true);
    super::lists::keep_visible(m);
    cmds
}
