//! Two lists to pick from: the open article's links (`U`, newsboat's show-urls: Enter
//! opens one, y copies it) and the tags (`Ctrl-t`, newsboat's select-tag: Enter goes to
//! the tag's group in the feed list, unfolding it).

use super::super::keymap::Action;
use super::super::model::{FeedRow, Model, Overlay, Pane};
use super::super::msg::Cmd;
use crossterm::event::KeyEvent;

pub(super) fn show(m: &mut Model) -> Vec<Cmd> {
    match &m.reader {
        None => m.message = Some("Open an article first".into()),
        Some(r) if r.prepared.links().is_empty() => {
            m.message = Some(if r.item.link.is_some() {
                let open = m.keymap.key_for(Action::OpenInBrowser);
                format!("No links in this article's text ({open} opens its page)")
            } else {
                "This article has no links".into()
            })
        }
        Some(_) => {
            m.overlay = Some(Overlay::Links { selected: 0 });
            m.overlay_scroll = 0;
        }
    }
    Vec::new()
}

pub(super) fn select_tag(m: &mut Model) -> Vec<Cmd> {
    if m.feed_layout == crate::config::FeedListLayout::Flat {
        m.message =
            Some("The feed list is flat ([general] feed_list = \"flat\"): no groups".into());
    } else if m.tags().is_empty() {
        m.message = Some("No feed has a tag (T gives the selected feed some)".into());
    } else {
        m.overlay = Some(Overlay::Tags { selected: 0 });
        m.overlay_scroll = 0;
    }
    Vec::new()
}

/// Keys on the links and tags lists; None when neither is open.
pub(super) fn on_overlay_key(m: &mut Model, key: KeyEvent) -> Option<Vec<Cmd>> {
    let (selected, count) = match &m.overlay {
        Some(Overlay::Links { selected }) => (
            *selected,
            m.reader.as_ref().map_or(0, |r| r.prepared.links().len()),
        ),
        Some(Overlay::Tags { selected }) => (*selected, m.tags().len()),
        _ => return None,
    };
    let last = count.saturating_sub(1);
    let page = super::super::overlay::place(m).visible.max(2) - 1;
    let action = super::input::overlay_action(m, &key);
    let selected = match action {
        Some(Action::Down) => (selected + 1).min(last),
        Some(Action::Up) => selected.saturating_sub(1),
        Some(Action::PageDown | Action::PageReader) => (selected + page).min(last),
        Some(Action::PageUp) => selected.saturating_sub(page),
        Some(Action::Top) => 0,
        Some(Action::Bottom) => last,
        Some(Action::Back | Action::ShowLinks | Action::SelectTag) => {
            m.overlay = None;
            return Some(Vec::new());
        }
        Some(Action::Open) => {
            let tags = matches!(m.overlay, Some(Overlay::Tags { .. }));
            m.overlay = None;
            return Some(if tags {
                go_to_tag(m, selected)
            } else {
                super::articles::follow_link(m, selected + 1)
            });
        }
        Some(Action::CopyUrl) => {
            let url = m
                .reader
                .as_ref()
                .and_then(|r| r.prepared.links().get(selected).cloned());
            if let (Some(url), Some(Overlay::Links { .. })) = (url, &m.overlay) {
                m.overlay = None;
                m.message = Some(format!("Copied {url}"));
                return Some(vec![Cmd::CopyToClipboard(url)]);
            }
            selected
        }
        _ => selected,
    };
    if let Some(Overlay::Links { selected: s } | Overlay::Tags { selected: s }) = m.overlay.as_mut()
    {
        *s = selected;
    }
    // The selected line stays in sight.
    let visible = super::super::overlay::place(m).visible.max(1);
    if selected < m.overlay_scroll {
        m.overlay_scroll = selected;
    } else if selected >= m.overlay_scroll + visible {
        m.overlay_scroll = selected + 1 - visible;
    }
    Some(Vec::new())
}

/// Puts the feed-list cursor on the tag's group, unfolded, the feed list focused.
fn go_to_tag(m: &mut Model, index: usize) -> Vec<Cmd> {
    let Some(tag) = m.tags().into_iter().nth(index) else {
        return Vec::new();
    };
    let mut cmds = Vec::new();
    if m.collapsed.remove(&tag) {
        cmds.push(Cmd::SaveCollapsed(m.collapsed.clone()));
        cmds.extend(super::feedrows::rebuild(m));
    }
    let row = FeedRow::Tag(tag);
    if let Some(at) = m.feeds_pane.rows.iter().position(|r| *r == row) {
        m.focus = Pane::Feeds;
        m.fullscreen = false;
        let current = m.feeds_pane.selected;
        cmds.extend(super::lists::move_by(m, at as isize - current as isize));
    }
    cmds
}
