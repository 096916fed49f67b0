//! `/`: from the feed list it searches every article (the results are a "Search" row at
//! the top of the feed list); from an article list, it searches that list. Also the
//! query behind the saved-search and Hidden rows.

use super::super::model::{Ask, FeedRow, Model, Pane, Prompt};
use super::super::msg::Cmd;
use super::lists::reload_articles;
use crate::search::Compiled;

/// `/` pressed.
pub(super) fn start(m: &mut Model) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    if m.focus == Pane::Feeds {
        if m.selected_feed_row() != Some(&FeedRow::Search) {
            if m.feeds_pane.rows.first() != Some(&FeedRow::Search) {
                m.feeds_pane.before_search = m.selected_feed_row().map(|r| r.key(&m.feeds));
                m.feeds_pane.rows.insert(0, FeedRow::Search);
            }
            m.feeds_pane.selected = 0;
            m.feeds_pane.offset = 0;
            m.articles.filter.clear();
            reload_articles(m, &mut cmds, true);
        }
        m.prompt = Some(Prompt::line(
            Ask::Filter { pane: Pane::Feeds },
            &m.articles.filter,
        ));
        return cmds;
    }
    m.focus = Pane::Articles;
    m.fullscreen = false;
    m.prompt = Some(Prompt::line(
        Ask::Filter {
            pane: Pane::Articles,
        },
        &m.articles.filter,
    ));
    cmds
}

/// The text of the search changed (a key in the prompt).
pub(super) fn apply(m: &mut Model, text: String) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    if m.articles.filter != text {
        m.articles.filter = text;
        reload_articles(m, &mut cmds, true);
    }
    cmds
}

/// Enter in the prompt: a search over everything moves to its results.
pub(super) fn confirm(m: &mut Model, pane: Pane) -> Vec<Cmd> {
    m.prompt = None;
    if pane == Pane::Feeds {
        if m.articles.filter.trim().is_empty() {
            return end(m);
        }
        m.focus = Pane::Articles;
    }
    Vec::new()
}

/// Leaves a search: an article list shows all of itself again; the Search row goes.
pub(super) fn end(m: &mut Model) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    m.prompt = None;
    m.articles.filter.clear();
    m.articles.search_error = None;
    if remove_search_row(m) {
        // Back where the cursor was before the search.
        let before = m.feeds_pane.before_search.take();
        m.feeds_pane.selected = before
            .and_then(|key| {
                let feeds = &m.feeds;
                m.feeds_pane.rows.iter().position(|r| r.key(feeds) == key)
            })
            .unwrap_or(0);
        m.feeds_pane.offset = 0;
        m.focus = Pane::Feeds;
        super::lists::keep_visible(m);
    }
    reload_articles(m, &mut cmds, true);
    cmds
}

/// Takes the Search row out of the feed list; says whether it was there. The selection
/// keeps pointing at the same row.
pub(super) fn remove_search_row(m: &mut Model) -> bool {
    if m.feeds_pane.rows.first() != Some(&FeedRow::Search) {
        return false;
    }
    m.feeds_pane.rows.remove(0);
    m.feeds_pane.selected = m.feeds_pane.selected.saturating_sub(1);
    true
}

/// The search of the selected row's list: the row's own query (a saved search, the
/// hidden articles) and what was typed after `/`. While typing, the last word counts as
/// the start of a word, so results follow each key. Err with the reason when it does
/// not parse (the list then stays as it was).
pub(super) fn row_search(m: &Model, row: &FeedRow) -> Result<Option<Compiled>, String> {
    let base = match row {
        FeedRow::Query(i) => m.searches.get(*i).map(|s| s.query.clone()),
        FeedRow::Hidden => Some("is:hidden".to_string()),
        _ => None,
    };
    let mut typed = m.articles.filter.trim_end().to_string();
    let last = typed.split_whitespace().last().unwrap_or("");
    let plain_word = !last.contains([':', '"', '*', '(', ')']) && last != "OR";
    if m.articles.filter.ends_with(|c: char| c.is_alphanumeric()) && plain_word {
        typed.push('*');
    }
    // A saved search's row lists as a feed does, newest first; words typed after `/`
    // in it are ranked.
    let by_time = typed.trim().is_empty();
    let text = match base {
        Some(b) => format!("{b} {typed}"),
        None => typed,
    };
    let query = crate::search::parse(&text, m.now).map_err(|e| e.message)?;
    if query.is_empty() {
        return Ok(None);
    }
    crate::search::compile(&query, &crate::search::FeedInfo::of(&m.feeds))
        .map(|c| Some(crate::search::Compiled { by_time, ..c }))
        .map_err(|e| e.message)
}
