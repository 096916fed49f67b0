//! `t` in the reader: the article's full text from the cache, or fetched from its page
//! (off the UI thread), and back to the feed's text.

use super::super::model::Model;
use super::super::msg::Cmd;

/// `t`: the full text of the article in the reader, from the cache or its page; again,
/// back to the feed's text.
pub(super) fn toggle_full_text(m: &mut Model) -> Vec<Cmd> {
    let Some(reader) = &m.reader else {
        m.message = Some(super::hints::open_first(
            m,
            crate::tui::keymap::Action::ToggleFullText,
        ));
        return Vec::new();
    };
    let item = &reader.item;
    let showing_full = matches!(reader.prepared.source, crate::article::Source::FullText(_));
    if showing_full || item.full_text.html.is_some() {
        let id = item.id;
        return super::reader::load_for_row(m, id, !showing_full);
    }
    let Some(url) = item.link.clone() else {
        m.message = Some("This article has no link to fetch its full text from".into());
        return Vec::new();
    };
    if m.full_text_fetching.is_some() {
        return Vec::new();
    }
    m.full_text_fetching = Some(item.id);
    vec![Cmd::FetchFullText {
        id: item.id,
        url,
        origin: item.feed_url.clone(),
    }]
}

/// A full text arrived (or did not): the reader shows it, or the feed's text with why.
pub(super) fn full_text_fetched(
    m: &mut Model,
    id: crate::model::ItemId,
    result: Result<crate::fulltext::Extracted, String>,
) -> Vec<Cmd> {
    m.full_text_fetching = None;
    if let Err(e) = &result {
        m.message = Some(format!("No full text: {e}"));
    }
    // Kept by the store thread first; the reload after it reads it back.
    let mut cmds = vec![Cmd::StoreFullText { id, result }];
    if m.reader.as_ref().is_some_and(|r| r.item.id == id) {
        cmds.extend(super::reader::load_for_row(m, id, true));
    }
    cmds
}
