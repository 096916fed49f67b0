//! The reader's article as it arrives from the store: one the user opened, or the one
//! shown, read again after the cache changed (a refresh rewrote its title or text: the
//! reader kept the old one until the article was opened again).

use super::lists;
use crate::article::{Prepared, Source};
use crate::model::{Item, ItemId};
use crate::tui::model::{Model, ReaderPane};
use crate::tui::msg::{Cmd, ReqId};
use crate::tui::update::Outcome;

/// An article for the reader. Only the answer to the latest request counts; the shown
/// article's reload replaces it only where it changed, at the place read to.
pub(super) fn article_loaded(m: &mut Model, req: ReqId, item: Item, prepared: Prepared) -> Outcome {
    let mut out = shown(m, req, item, prepared);
    // A key kept for this article (`Model::after_open`) acts now that it is shown; one
    // kept for another request is gone (another article was opened since).
    if let Some((for_req, action)) = m.after_open {
        // Only once this answer is the one shown: one another request (Enter on another
        // row) overtook is not, and the key would act on whatever the reader shows.
        if for_req == req && req == m.reader_req {
            m.after_open = None;
            out.cmds.extend(super::input::act(m, action));
            out.redraw = true;
        } else if for_req != m.reader_req {
            m.after_open = None;
        }
    }
    out
}

fn shown(m: &mut Model, req: ReqId, item: Item, prepared: Prepared) -> Outcome {
    if req != m.reader_req {
        return Outcome::default();
    }
    let reload = req == m.reader_shown_req;
    m.reader_shown_req = req;
    if let Some(r) = m.reader.as_mut().filter(|r| reload && r.item.id == item.id) {
        // Read and starred marks are the list's to show (and change at every mark):
        // only what the reader lays out counts.
        if same_text(&r.item, &item) {
            r.item.read = item.read;
            r.item.starred = item.starred;
            return Outcome::default();
        }
        r.item = item;
        r.prepared = prepared;
        return Outcome::redraw(lists::lay_out_reader(m));
    }
    // Asked for by the reader (another copy, the text again), it stands for the reader's
    // row; opened from the list, for itself.
    let for_row = match m.reader_for.take() {
        Some((for_req, row)) if for_req == req => row,
        _ => item.id,
    };
    // Opened from the list, it was marked read there as the store was asked for it: the
    // row's marks are the ones to show (the store may have read the article first).
    let mut item = item;
    if let Some(row) = m
        .articles
        .position_of(item.id)
        .and_then(|i| m.articles.row(i))
    {
        item.read = row.read;
        item.starred = row.starred;
    }
    let width = lists::reader_width(m);
    m.reader = Some(ReaderPane {
        item,
        row: for_row,
        prepared,
        lines: Vec::new(),
        width,
        scroll: 0,
        slots: Vec::new(),
    });
    Outcome::redraw(lists::lay_out_reader(m))
}

/// Asks for an article in the reader's place as the same list row's: another copy of its
/// story (`c`), its text again (`t`).
pub(super) fn load_for_row(m: &mut Model, id: ItemId, full: bool) -> Vec<Cmd> {
    let req = m.req();
    m.reader_req = req;
    m.reader_for = m.reader.as_ref().map(|r| (req, r.row));
    vec![Cmd::LoadArticle { req, id, full }]
}

/// The article asked for is gone from the cache: the reader stops showing it (a mark
/// there changed nothing and said nothing, and undo then claimed to undo it).
pub(super) fn article_gone(m: &mut Model, req: ReqId) -> Outcome {
    if req != m.reader_req {
        return Outcome::default();
    }
    m.after_open = None;
    m.reader_shown_req = req;
    if m.reader.take().is_some() || m.focus == crate::tui::model::Pane::Reader {
        m.message = Some("That article is no longer in the cache".into());
    }
    if m.focus == crate::tui::model::Pane::Reader {
        m.focus = crate::tui::model::Pane::Articles;
        m.fullscreen = false;
    }
    Outcome::redraw(Vec::new())
}

/// Asks for the reader's article again after the cache changed (another process wrote
/// it, or a refresh ended), unless another article is on its way to the reader. Not at
/// every list reload (a sort, a tick during a refresh): each read lays the article out
/// again on the store thread.
pub(super) fn reload_shown(m: &Model, cmds: &mut Vec<Cmd>) {
    let Some(r) = &m.reader else { return };
    if m.reader_req != m.reader_shown_req {
        return;
    }
    cmds.push(Cmd::LoadArticle {
        req: m.reader_req,
        id: r.item.id,
        full: matches!(r.prepared.source, Source::FullText(_)),
    });
}

/// Whether two reads of an article lay out the same (their marks aside).
fn same_text(a: &Item, b: &Item) -> bool {
    a.title == b.title
        && a.link == b.link
        && a.author == b.author
        && a.published == b.published
        && a.updated == b.updated
        && a.summary_html == b.summary_html
        && a.content_html == b.content_html
        && a.enclosures == b.enclosures
        && a.full_text == b.full_text
}
