//! Managing feeds from the TUI: `a` asks for an address, finds its feeds (a picker when
//! there are several), previews the feed and subscribes on Enter; `d` removes the
//! selected feed after a y; `E` renames it; `T` edits its tags.

use super::super::model::{FeedRow, Model, Overlay, Prompt};
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

pub(super) fn add(m: &mut Model) -> Vec<Cmd> {
    m.prompt = Some(Prompt::AddFeed(String::new()));
    Vec::new()
}

pub(super) fn remove(m: &mut Model) -> Vec<Cmd> {
    match selected_feed(m) {
        Some((url, name, _)) => m.prompt = Some(Prompt::ConfirmRemove { url, name }),
        None => m.message = Some("Select a feed in the feed list to remove it".into()),
    }
    Vec::new()
}

pub(super) fn rename(m: &mut Model) -> Vec<Cmd> {
    match selected_feed(m) {
        Some((url, name, _)) => m.prompt = Some(Prompt::RenameFeed { url, text: name }),
        None => m.message = Some("Select a feed in the feed list to rename it".into()),
    }
    Vec::new()
}

pub(super) fn edit_tags(m: &mut Model) -> Vec<Cmd> {
    match selected_feed(m) {
        Some((url, _, tags)) => {
            m.prompt = Some(Prompt::EditTags {
                url,
                text: tags.join(", "),
            })
        }
        None => m.message = Some("Select a feed in the feed list to edit its tags".into()),
    }
    Vec::new()
}

/// A line being typed: Some(text) when Enter ends it, None while typing or after Esc.
fn typed(
    m: &mut Model,
    mut text: String,
    key: KeyEvent,
    again: impl Fn(String) -> Prompt,
) -> Option<String> {
    match key.code {
        KeyCode::Enter => {
            m.prompt = None;
            return Some(text);
        }
        KeyCode::Esc => m.prompt = None,
        KeyCode::Backspace => {
            text.pop();
            m.prompt = Some(again(text));
        }
        KeyCode::Char(c) if !c.is_control() => {
            text.push(c);
            m.prompt = Some(again(text));
        }
        _ => m.prompt = Some(again(text)),
    }
    None
}

/// Keys while one of this module's prompts is open.
pub(super) fn on_prompt_key(m: &mut Model, prompt: Prompt, key: KeyEvent) -> Vec<Cmd> {
    match prompt {
        Prompt::AddFeed(text) => match typed(m, text, key, Prompt::AddFeed) {
            Some(url) if !url.trim().is_empty() => {
                m.message = Some(format!("Looking for feeds at {}…", url.trim()));
                m.discovering = Some(url.trim().to_string());
                vec![Cmd::Discover {
                    url: url.trim().to_string(),
                    origin: None,
                }]
            }
            _ => Vec::new(),
        },
        Prompt::RenameFeed { url, text } => {
            let again = |t| Prompt::RenameFeed {
                url: url.clone(),
                text: t,
            };
            match typed(m, text, key, again) {
                Some(name) => vec![Cmd::EditFeeds(FeedEdit::Rename { url, name })],
                None => Vec::new(),
            }
        }
        Prompt::EditTags { url, text } => {
            let again = |t| Prompt::EditTags {
                url: url.clone(),
                text: t,
            };
            match typed(m, text, key, again) {
                Some(text) => {
                    let tags = super::super::manage::split_tags(&text);
                    vec![Cmd::EditFeeds(FeedEdit::Tags { url, tags })]
                }
                None => Vec::new(),
            }
        }
        Prompt::ConfirmRemove { url, .. } => {
            m.prompt = None;
            if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                vec![Cmd::EditFeeds(FeedEdit::Remove { url })]
            } else {
                m.message = Some("Not removed".into());
                Vec::new()
            }
        }
        other => {
            m.prompt = Some(other);
            Vec::new()
        }
    }
}

/// What discovery found: a preview of a feed, a picker of several, or why not.
pub(super) fn on_discovered(m: &mut Model, found: Result<Discovery, String>) -> Vec<Cmd> {
    m.message = None;
    match found {
        Err(e) => m.message = Some(format!("Not added: {e}")),
        Ok(Discovery::Feed(found)) => {
            m.overlay = Some(Overlay::Preview(Box::new(found)));
            m.overlay_scroll = 0;
        }
        Ok(Discovery::Page(candidates)) => match candidates.len() {
            0 => m.message = Some("Not added: no feed found at that address".into()),
            1 => {
                let url = candidates[0].url.clone();
                m.message = Some(format!("Fetching {url}…"));
                return vec![Cmd::Discover {
                    url,
                    origin: m.discovering.clone(),
                }];
            }
            _ => {
                m.overlay = Some(Overlay::Picker {
                    candidates,
                    selected: 0,
                });
                m.overlay_scroll = 0;
            }
        },
    }
    Vec::new()
}

/// Keys on the picker and the preview; None when the overlay is not one of them.
pub(super) fn on_overlay_key(m: &mut Model, key: KeyEvent) -> Option<Vec<Cmd>> {
    let action = m.keymap.resolve(&key);
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
                    let url = candidates[selected.min(last)].url.clone();
                    m.message = Some(format!("Fetching {url}…"));
                    return Some(vec![Cmd::Discover {
                        url,
                        origin: m.discovering.clone(),
                    }]);
                }
                Some(Action::Back) | Some(Action::Quit) => return Some(Vec::new()),
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
            Some(Action::Back) | Some(Action::Quit) => {
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
                    m.message = Some("Downloading in the background (L shows downloads)".into());
                    let item = m.reader.as_ref().map(|r| r.item.id);
                    return Some(item.map_or_else(Vec::new, |item| {
                        vec![Cmd::QueueDownload {
                            item,
                            index: selected,
                        }]
                    }));
                }
                Some(Action::Back) | Some(Action::Quit) | Some(Action::Enclosures) => {
                    return Some(Vec::new())
                }
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
    let (sort, selected) = match (key.code, m.keymap.resolve(&key)) {
        (KeyCode::Char('s'), _) => (sort.next(), 0),
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
        (_, Some(Action::Quit)) => return super::input::quit(m),
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
