//! The feed list's rows: "All unread", "Starred", the saved searches, then the feeds,
//! grouped under their tags (`[general] feed_list = "tags"`, a feed with two tags under
//! both) or in one flat list; groups fold shut and open again (Enter or Space on one,
//! remembered); `H` hides fully read feeds as well as read articles.

use super::super::model::{FeedRow, Model};
use super::super::msg::Cmd;
use crate::config::{FeedListLayout, FeedListOrder};
use crate::model::FeedSummary;

/// The rows for the model's feeds as its settings say. `keep` is the id of a feed
/// that stays listed though read (the one under the cursor: it must not vanish
/// from under the user while `H` hides read feeds).
pub fn feed_rows(m: &Model, keep: Option<crate::model::FeedId>) -> Vec<FeedRow> {
    let feeds = &m.feeds;
    // The feeds in the order asked for; each group below keeps it.
    let mut sorted: Vec<(usize, &FeedSummary)> = feeds
        .iter()
        .enumerate()
        // A hidden feed (newsboat's `!`) is reached through searches and lists only.
        .filter(|(_, f)| !f.hidden)
        .filter(|(_, f)| !m.hide_read || f.unread > 0 || keep == Some(f.id))
        .collect();
    match m.feed_order {
        FeedListOrder::Config => {}
        FeedListOrder::Name => sorted.sort_by_key(|(_, f)| f.name.to_lowercase()),
        FeedListOrder::Unread => sorted.sort_by_key(|(_, f)| std::cmp::Reverse(f.unread)),
    }
    let mut rows = vec![FeedRow::AllUnread, FeedRow::Starred];
    rows.extend((0..m.searches.len()).map(FeedRow::Query));
    let tags = match m.feed_layout {
        FeedListLayout::Tags => m.tags(),
        FeedListLayout::Flat => Vec::new(),
    };
    let group = |rows: &mut Vec<FeedRow>, tag: &str, of: &dyn Fn(&FeedSummary) -> bool| {
        // With read feeds hidden, a group with none left goes too.
        if m.hide_read && !sorted.iter().any(|(_, f)| of(f)) {
            return;
        }
        rows.push(FeedRow::Tag(tag.to_string()));
        if !m.collapsed.contains(tag) {
            rows.extend(
                sorted
                    .iter()
                    .filter(|(_, f)| of(f))
                    .map(|(i, _)| FeedRow::Feed(*i)),
            );
        }
    };
    for tag in &tags {
        group(&mut rows, tag, &|f| f.tags.contains(tag));
    }
    if tags.is_empty() {
        rows.extend(sorted.iter().map(|(i, _)| FeedRow::Feed(*i)));
    } else if feeds.iter().any(|f| f.tags.is_empty() && !f.hidden) {
        group(&mut rows, "", &|f| f.tags.is_empty());
    }
    if m.hidden > 0 {
        rows.push(FeedRow::Hidden);
    }
    rows
}

/// Enter or Space on a tag group: folds it shut or opens it; the cursor stays on it.
pub(super) fn toggle_group(m: &mut Model, tag: String) -> Vec<Cmd> {
    if !m.collapsed.remove(&tag) {
        m.collapsed.insert(tag);
    }
    let mut cmds = vec![Cmd::SaveCollapsed(m.collapsed.clone())];
    cmds.extend(rebuild(m));
    cmds
}

/// The rows again after a setting changed, the cursor kept on its row.
pub(super) fn rebuild(m: &mut Model) -> Vec<Cmd> {
    let feeds = m.feeds.clone();
    super::on_feeds_loaded(m, feeds)
}
