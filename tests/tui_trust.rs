//! What must never lose read state or leave the UI stuck: `A` marks exactly the list on
//! screen, `u` undoes marks, and every refresh request ends in a state the UI leaves.

mod support;

use bulletin::model::{FeedId, ItemId};
use bulletin::store::{ItemQuery, Scope};
use bulletin::tui::model::FeedRow;
use bulletin::tui::msg::{Cmd, Msg};
use bulletin::tui::update::update;
use crossterm::event::KeyCode;
use support::tui::{code, fixture, key, send, serve_article};

fn mark_query(cmds: &[Cmd]) -> ItemQuery {
    match cmds {
        [Cmd::MarkRead { query, .. }] => query.clone(),
        other => panic!("expected one MarkRead, got {other:?}"),
    }
}

#[test]
fn a_on_starred_marks_only_the_starred() {
    let mut m = fixture(120, 30);
    send(&mut m, key('j'));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Starred));
    let q = mark_query(&send(&mut m, key('A')));
    assert!(q.starred_only, "{q:?}");
    assert!(!q.unread_only);
    // No feed count is touched before the store says what it marked.
    assert_eq!(m.feeds[0].unread, 2);
}

#[test]
fn a_on_a_tag_marks_that_tags_feeds() {
    let mut m = fixture(120, 30);
    send(&mut m, key('j'));
    send(&mut m, key('j'));
    assert_eq!(
        m.selected_feed_row(),
        Some(&FeedRow::Tag("security".into()))
    );
    let q = mark_query(&send(&mut m, key('A')));
    assert_eq!(q.scope, Scope::Feeds(vec![FeedId(1)]));
    assert!(!q.starred_only);
}

#[test]
fn a_on_untagged_marks_the_untagged_feeds() {
    let mut m = fixture(120, 30);
    for _ in 0..6 {
        send(&mut m, key('j'));
    }
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Tag(String::new())));
    assert_eq!(
        m.row_counts(&FeedRow::Tag(String::new())),
        Some((0, 1)),
        "the Untagged group counts its feeds"
    );
    let q = mark_query(&send(&mut m, key('A')));
    assert_eq!(q.scope, Scope::Feeds(vec![FeedId(3)]));
}

#[test]
fn a_with_a_filter_marks_only_the_filtered_rows() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('/'));
    for c in "invoice".chars() {
        send(&mut m, key(c));
    }
    send(&mut m, code(KeyCode::Enter));
    assert_eq!(m.articles.total, 1);
    let q = mark_query(&send(&mut m, key('A')));
    let search = q.search.expect("the search goes with the mark");
    assert_eq!(
        search.matching.as_deref(),
        Some("({title author feed body} : \"invoice\" *)")
    );
    assert!(q.unread_only, "All unread lists only unread articles");
    // The one row listed shows read; the other unread row is not in the list.
    assert!(m.articles.row(0).unwrap().read);
}

#[test]
fn a_big_mark_all_says_how_many_and_u_undoes_it() {
    let mut m = fixture(120, 30);
    send(&mut m, key('A'));
    let ids: Vec<ItemId> = (1..=300).map(ItemId).collect();
    update(&mut m, Msg::MarkedRead { ids: ids.clone() });
    let message = m.message.clone().unwrap_or_default();
    assert!(message.contains("Marked 300 articles read"), "{message}");
    assert!(message.contains("u undoes"), "{message}");

    let cmds = send(&mut m, key('u'));
    assert_eq!(cmds, vec![Cmd::SetRead { ids, read: false }]);
    assert_eq!(
        m.message.as_deref(),
        Some("Undone: marked 300 articles read")
    );
    send(&mut m, key('u'));
    assert_eq!(
        m.message.as_deref(),
        Some("Nothing to undo (undo takes back marks: read, unread, star, mark-all)")
    );
}

#[test]
fn undo_is_about_marks_and_stops_at_what_cannot_be_undone() {
    // Undo rebound: the message names the key the user has.
    let binding = bulletin::keys::parse_binding("undo", &["U".into()]).unwrap();
    let mut m = fixture(120, 30);
    m.keymap = bulletin::tui::keymap::Keymap::with_overrides(&[binding]);
    send(&mut m, key('A'));
    let ids: Vec<ItemId> = (1..=300).map(ItemId).collect();
    update(&mut m, Msg::MarkedRead { ids });
    let message = m.message.clone().unwrap_or_default();
    assert!(message.contains("U undoes"), "{message}");
    // A star, then a feed removed: U does not reach past the removal to the star.
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('s'));
    m.focus = bulletin::tui::model::Pane::Feeds;
    m.feeds_pane.selected = m
        .feeds_pane
        .rows
        .iter()
        .position(|r| matches!(r, FeedRow::Feed(_)))
        .unwrap();
    send(&mut m, key('d'));
    let cmds = send(&mut m, key('y'));
    assert!(matches!(cmds.as_slice(), [Cmd::EditFeeds(_)]), "{cmds:?}");
    assert!(send(&mut m, key('U')).is_empty());
    assert!(m
        .message
        .as_deref()
        .unwrap_or("")
        .starts_with("Nothing to undo"));
}

#[test]
fn a_small_mark_all_says_how_many() {
    let mut m = fixture(120, 30);
    send(&mut m, key('A'));
    update(
        &mut m,
        Msg::MarkedRead {
            ids: vec![ItemId(11)],
        },
    );
    assert_eq!(m.message.as_deref(), Some("Marked 1 article read"));
    update(&mut m, Msg::MarkedRead { ids: vec![] });
    assert_eq!(m.message.as_deref(), Some("No unread articles here"));
}

#[test]
fn undo_goes_back_through_several_marks() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    // Item 11 is selected and unread.
    send(&mut m, key('m'));
    assert!(m.articles.row(0).unwrap().read);
    send(&mut m, key('s'));
    assert!(m.articles.row(0).unwrap().starred);
    // The next row, newest first across feeds: Lantern 3.2.0.
    send(&mut m, key('j'));
    send(&mut m, key('m'));

    let cmds = send(&mut m, key('u'));
    assert_eq!(
        cmds,
        vec![Cmd::SetRead {
            ids: vec![ItemId(21)],
            read: false
        }]
    );
    assert!(!m.articles.row(1).unwrap().read);
    let cmds = send(&mut m, key('u'));
    assert_eq!(
        cmds,
        vec![Cmd::SetStarred {
            id: ItemId(11),
            starred: false
        }]
    );
    assert!(!m.articles.row(0).unwrap().starred);
    assert_eq!(m.message.as_deref(), Some("Undone: starred an article"));
    let cmds = send(&mut m, key('u'));
    assert_eq!(
        cmds,
        vec![Cmd::SetRead {
            ids: vec![ItemId(11)],
            read: false
        }]
    );
    assert!(!m.articles.row(0).unwrap().read);
}

#[test]
fn a_refresh_request_is_not_running_until_the_worker_says_so() {
    let mut m = fixture(120, 30);
    send(&mut m, key('R'));
    assert!(m.refresh.requested);
    assert_eq!(m.refresh.running, None);
    assert!(m.is_busy());
    update(&mut m, Msg::RefreshStarted { total: 3 });
    assert!(!m.refresh.requested);
    assert_eq!(m.refresh.running, Some((0, 3)));
}

#[test]
fn a_failed_refresh_leaves_the_ui_ready_for_the_next() {
    let mut m = fixture(120, 30);
    send(&mut m, key('R'));
    let out = update(
        &mut m,
        Msg::RefreshFailed("cannot open the cache: disk I/O error".into()),
    );
    assert!(out.cmds.contains(&Cmd::LoadFeeds));
    assert!(!m.is_busy(), "no refresh shows as running");
    assert_eq!(
        m.message.as_deref(),
        Some("Refresh failed: cannot open the cache: disk I/O error")
    );
    // A failure after it had started ends it too.
    send(&mut m, key('R'));
    update(&mut m, Msg::RefreshStarted { total: 3 });
    update(&mut m, Msg::RefreshFailed("internal error: boom".into()));
    assert!(!m.is_busy());
    let cmds = send(&mut m, key('R'));
    assert_eq!(
        cmds,
        vec![Cmd::Refresh {
            feeds: None,
            force: true
        }],
        "the next request goes through"
    );
}

#[test]
fn the_browser_result_comes_back_as_a_message() {
    let mut m = fixture(120, 30);
    update(&mut m, Msg::Notice("Opened https://news.example/48".into()));
    assert_eq!(m.message.as_deref(), Some("Opened https://news.example/48"));
}

/// Opening an article reads it, and `u` takes that read back first (a trial: `u` skipped it
/// and unread the article marked before); the push that follows leaves "Undone" shown.
#[test]
fn u_takes_back_the_read_an_open_made() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab)); // All unread: 11, 21, 12
    send(&mut m, key('m')); // 11 read by hand
    send(&mut m, key('j'));
    let cmds = send(&mut m, code(KeyCode::Enter)); // 21 read by opening it
    serve_article(&mut m, &cmds);
    let cmds = send(&mut m, key('u'));
    assert_eq!(
        cmds,
        vec![Cmd::SetRead {
            ids: vec![ItemId(21)],
            read: false
        }]
    );
    assert!(!m.articles.row(1).unwrap().read);
    assert!(
        !m.reader.as_ref().unwrap().item.read,
        "the reader says so too"
    );
    assert!(m.articles.row(0).unwrap().read, "the hand mark stays");
    update(&mut m, Msg::Pushed(3));
    assert_eq!(m.message.as_deref(), Some("Undone: marked 1 article read"));
    send(&mut m, key('u'));
    assert!(!m.articles.row(0).unwrap().read, "then the hand mark");
}
