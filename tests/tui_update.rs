//! The update logic: navigation, opening, marking, next-unread across feeds, filtering.

mod support;

use bulletin::model::{FeedId, ItemId};
use bulletin::tui::model::{FeedRow, Pane};
use bulletin::tui::msg::{Cmd, Msg};
use bulletin::tui::update::update;
use crossterm::event::KeyCode;
use support::tui::{code, ctrl, fixture, key, send, serve_article};

#[test]
fn starts_on_all_unread_with_unread_rows() {
    let m = fixture(120, 30);
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::AllUnread));
    assert_eq!(m.articles.total, 3);
    assert_eq!(m.articles.row(0).unwrap().id, ItemId(11));
}

#[test]
fn moving_in_the_feed_list_loads_that_feed() {
    let mut m = fixture(120, 30);
    let cmds = send(&mut m, key('j'));
    assert!(cmds.iter().any(|c| matches!(c, Cmd::LoadPage { .. })));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Starred));
    send(&mut m, key('j')); // tag heading "security"
    send(&mut m, key('j')); // Safe Harbour Weekly
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(0)));
    assert_eq!(m.articles.total, 3);
    send(&mut m, key('G'));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(2)));
    send(&mut m, key('g'));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::AllUnread));
    send(&mut m, key('k'));
    assert_eq!(m.feeds_pane.selected, 0, "no wrap past the top");
}

/// `J`/`K` (newsboat's next-feed / prev-feed) from the article list and the reader: the
/// feed list moves a row, that row's articles are listed, and the focus stays on the
/// list (the reader gives it to the list).
#[test]
fn j_and_k_upper_case_step_through_the_feed_list_from_any_pane() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, Pane::Articles);
    let cmds = send(&mut m, key('J'));
    assert!(cmds.iter().any(|c| matches!(c, Cmd::LoadPage { .. })));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Starred));
    assert_eq!(m.focus, Pane::Articles);
    send(&mut m, key('J'));
    send(&mut m, key('J'));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(0)));
    assert_eq!(m.articles.total, 3);
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    assert!(m.reader.is_some());
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, Pane::Reader);
    send(&mut m, key('K'));
    assert_eq!(
        m.selected_feed_row(),
        Some(&FeedRow::Tag("security".into()))
    );
    assert_eq!(m.focus, Pane::Articles);
}

#[test]
fn opening_an_article_marks_it_read_at_once() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, Pane::Articles);
    let cmds = send(&mut m, code(KeyCode::Enter));
    assert!(cmds.contains(&Cmd::SetRead {
        ids: vec![ItemId(11)],
        read: true
    }));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Cmd::LoadArticle { id: ItemId(11), .. })));
    assert_eq!(m.feeds[0].unread, 1);
    assert!(m.articles.row(0).unwrap().read);
    serve_article(&mut m, &cmds);
    assert!(m.reader.is_some());
    // Enter again: full screen.
    send(&mut m, code(KeyCode::Enter));
    assert!(m.fullscreen);
    send(&mut m, code(KeyCode::Esc));
    assert!(!m.fullscreen);
    // Esc goes back a pane at a time and, at the top, does nothing: it never quits.
    for _ in 0..5 {
        send(&mut m, code(KeyCode::Esc));
    }
    assert_eq!(m.focus, Pane::Feeds);
    assert!(!m.quit);
    // q quits, with no question.
    send(&mut m, key('q'));
    assert!(m.quit);
}

#[test]
fn stale_pages_are_ignored() {
    let mut m = fixture(120, 30);
    let old = m.articles.req;
    send(&mut m, key('j'));
    let before = m.articles.clone();
    let out = update(
        &mut m,
        Msg::PageLoaded {
            req: old,
            page: 0,
            total: Some(1),
            rows: vec![],
            upto: Some(bulletin::model::ItemId(i64::MAX)),
        },
    );
    assert!(!out.redraw);
    assert_eq!(m.articles, before);
}

#[test]
fn toggle_read_and_star() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, key('m'));
    assert_eq!(
        cmds,
        vec![Cmd::SetRead {
            ids: vec![ItemId(11)],
            read: true
        }]
    );
    let cmds = send(&mut m, key('m'));
    assert_eq!(
        cmds,
        vec![Cmd::SetRead {
            ids: vec![ItemId(11)],
            read: false
        }]
    );
    assert_eq!(m.feeds[0].unread, 2);
    let cmds = send(&mut m, key('s'));
    assert_eq!(
        cmds,
        vec![Cmd::SetStarred {
            id: ItemId(11),
            starred: true
        }]
    );
}

#[test]
fn next_unread_crosses_feeds() {
    let mut m = fixture(120, 30);
    // Go to Safe Harbour Weekly, read its two unread items with n.
    for _ in 0..3 {
        send(&mut m, key('j'));
    }
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(0)));
    let cmds = send(&mut m, key('n'));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Cmd::LoadArticle { id: ItemId(11), .. })));
    serve_article(&mut m, &cmds);
    let cmds = send(&mut m, key('n'));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Cmd::LoadArticle { id: ItemId(12), .. })));
    serve_article(&mut m, &cmds);
    // No more unread here: n moves on to Lantern releases and opens its unread item.
    let cmds = send(&mut m, key('n'));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(1)));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::LoadArticle { id: ItemId(21), .. })),
        "{cmds:?}"
    );
    assert_eq!(m.feeds[1].unread, 0);
    // Nothing unread anywhere else.
    send(&mut m, key('n'));
    assert_eq!(m.message.as_deref(), Some("No unread articles"));
}

#[test]
fn mark_feed_read() {
    let mut m = fixture(120, 30);
    for _ in 0..3 {
        send(&mut m, key('j'));
    }
    let cmds = send(&mut m, key('A'));
    assert_eq!(
        cmds,
        vec![Cmd::MarkRead {
            query: bulletin::store::ItemQuery::feed(FeedId(1)),
            upto: ItemId(i64::MAX)
        }]
    );
    assert!((0..3).all(|i| m.articles.row(i).unwrap().read));
}

#[test]
fn filtering_the_article_list() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('/'));
    let mut last = Vec::new();
    for c in "lant".chars() {
        last = send(&mut m, key(c));
    }
    // While typing, the last word is the start of a word.
    assert!(last.iter().any(|c| matches!(c, Cmd::LoadPage { query, .. }
        if query.search.as_ref().and_then(|s| s.matching.as_deref())
            == Some("({title author feed body} : \"lant\" *)"))));
    assert_eq!(m.articles.total, 1);
    send(&mut m, code(KeyCode::Enter));
    assert!(m.prompt.is_none());
    assert_eq!(m.articles.filter, "lant");
    send(&mut m, code(KeyCode::Esc));
    assert_eq!(m.articles.filter, "", "Esc clears the filter first");
    assert_eq!(m.articles.total, 3);
}

#[test]
fn slash_in_the_feed_list_searches_everything() {
    let mut m = fixture(120, 30);
    send(&mut m, key('j'));
    let cmds = send(&mut m, key('/'));
    assert_eq!(m.feeds_pane.rows[0], FeedRow::Search);
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Search));
    assert!(cmds.iter().any(|c| matches!(c, Cmd::LoadPage { query, .. }
        if !query.unread_only && query.search.is_none())));
    let mut last = Vec::new();
    for c in "lantern".chars() {
        last = send(&mut m, key(c));
    }
    assert!(last.iter().any(|c| matches!(c, Cmd::LoadPage { query, .. }
        if matches!(&query.scope, bulletin::store::Scope::Feeds(ids) if ids.len() == m.feeds.len())
            && query.search.is_some())));
    send(&mut m, code(KeyCode::Enter));
    assert!(m.prompt.is_none());
    assert_eq!(m.focus, Pane::Articles, "Enter goes to the results");
    // Back in the feed list, Esc ends the search and its row goes.
    send(&mut m, code(KeyCode::Esc));
    assert_eq!(m.focus, Pane::Feeds);
    assert_ne!(m.feeds_pane.rows[0], FeedRow::Search);
    assert!(m.articles.filter.is_empty());
    // A query that does not parse says why and keeps the list.
    send(&mut m, key('/'));
    for c in "auther:x".chars() {
        send(&mut m, key(c));
    }
    assert!(m
        .articles
        .search_error
        .as_deref()
        .unwrap_or("")
        .contains("not a field"));
    send(&mut m, code(KeyCode::Esc));
    assert_ne!(m.feeds_pane.rows[0], FeedRow::Search);
    assert!(m.articles.search_error.is_none());
}

#[test]
fn refresh_is_not_started_twice() {
    let mut m = fixture(120, 30);
    let cmds = send(&mut m, key('R'));
    assert_eq!(
        cmds,
        vec![Cmd::Refresh {
            feeds: None,
            force: true
        }]
    );
    assert!(send(&mut m, key('R')).is_empty());
    assert_eq!(m.message.as_deref(), Some("A refresh is already running"));
    for _ in 0..3 {
        send(&mut m, key('j'));
    }
    update(
        &mut m,
        Msg::RefreshFinished {
            summary: Default::default(),
            at: support::tui::now(),
        },
    );
    let cmds = send(&mut m, key('r'));
    assert_eq!(
        cmds,
        vec![Cmd::Refresh {
            feeds: Some(vec![FeedId(1)]),
            force: true
        }]
    );
}

#[test]
fn quit_from_the_top_saves_the_selection() {
    let mut m = fixture(120, 30);
    let cmds = send(&mut m, key('q'));
    assert!(m.quit);
    assert_eq!(
        cmds,
        vec![Cmd::SaveSelection {
            feed_key: "all-unread".into(),
            item: Some(ItemId(11))
        }]
    );
}

#[test]
fn restored_selection_is_applied() {
    let mut m = restored_on_feed_2();
    send(&mut m, Msg::FeedsLoaded(support::tui::feeds()));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(1)));
    assert_eq!(m.articles.selected_row().map(|r| r.id), Some(ItemId(22)));
    assert_eq!(
        m.articles.query.as_ref().map(|q| q.order),
        Some(bulletin::store::Order::Title),
        "the list's remembered order"
    );
}

#[test]
fn s_cycles_the_list_order_and_remembers_it_per_list() {
    use bulletin::store::Order;
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let mut seen = Vec::new();
    for _ in 0..Order::ALL.len() {
        let cmds = send(&mut m, key('S'));
        let order = cmds
            .iter()
            .find_map(|c| match c {
                Cmd::LoadPage { query, .. } => Some(query.order),
                _ => None,
            })
            .expect("the list is asked for again");
        assert!(cmds.iter().any(|c| matches!(c, Cmd::SaveSorts(_))));
        seen.push(order);
    }
    assert_eq!(
        seen,
        [
            Order::Oldest,
            Order::UnreadFirst,
            Order::Feed,
            Order::Title,
            Order::Newest
        ]
    );
    // Another list keeps its own order.
    send(&mut m, key('S'));
    send(&mut m, code(KeyCode::BackTab));
    send(&mut m, key('j'));
    assert_eq!(m.articles.query.as_ref().unwrap().order, Order::Newest);
    send(&mut m, key('k'));
    assert_eq!(m.articles.query.as_ref().unwrap().order, Order::Oldest);
}

#[test]
fn narrow_screens_show_one_pane() {
    let mut m = fixture(80, 24);
    let areas = m.areas();
    assert!(areas.feeds.is_some() && areas.articles.is_none());
    send(&mut m, code(KeyCode::Tab));
    let areas = m.areas();
    assert!(areas.feeds.is_none() && areas.articles.is_some());
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    assert_eq!(m.focus, Pane::Reader);
    assert!(m.areas().reader.is_some());
    send(&mut m, Msg::Resize(140, 40));
    assert!(m.areas().feeds.is_some() && m.areas().reader.is_some());
    assert_eq!(
        m.reader.as_ref().unwrap().width,
        bulletin::tui::model::reader_text_width(m.areas().reader.unwrap()).min(m.reader_max_width)
    );
}

#[test]
fn links_open_by_number_and_refuse_missing_ones() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    // In the list a digit is a row number, never a link opened by accident.
    assert!(send(&mut m, key('1')).is_empty());
    assert!(matches!(
        m.prompt,
        Some(bulletin::tui::model::Prompt::Line { .. })
    ));
    send(&mut m, code(KeyCode::Esc));
    // f and a number, from anywhere the article is open.
    send(&mut m, key('f'));
    send(&mut m, key('1'));
    assert_eq!(
        send(&mut m, code(KeyCode::Enter)),
        vec![Cmd::OpenUrl("https://news.example/guide".into())]
    );
    // In the reader, the digit itself.
    send(&mut m, key('l'));
    assert_eq!(m.focus, Pane::Reader);
    assert_eq!(
        send(&mut m, key('1')),
        vec![Cmd::OpenUrl("https://news.example/guide".into())]
    );
    assert!(send(&mut m, key('7')).is_empty());
    assert!(m.message.as_deref().unwrap().contains("[7]"));
    send(&mut m, key('f'));
    send(&mut m, key('1'));
    assert_eq!(
        send(&mut m, code(KeyCode::Enter)),
        vec![Cmd::OpenUrl("https://news.example/guide".into())]
    );
    // Back in the list, on the row the reader shows: the article shown (the fixture's
    // article has a link of its own, as a story's other copy on screen has).
    send(&mut m, key('h'));
    assert_eq!(
        send(&mut m, key('o')),
        vec![Cmd::OpenUrl("https://news.example/48".into())]
    );
    // Another row: its own.
    send(&mut m, key('j'));
    let cmds = send(&mut m, key('o'));
    assert!(
        matches!(cmds.as_slice(), [Cmd::OpenUrl(u)] if u != "https://news.example/48"),
        "{cmds:?}"
    );
}

#[test]
fn a_long_list_keeps_its_length_from_the_feed_counts() {
    use bulletin::tui::model::PAGE_SIZE;
    let mut m = bulletin::tui::model::Model::new(Default::default(), support::tui::now());
    m.size = (120, 30);
    let feeds = vec![support::tui::feed(1, "Big", &[], 5000, 5000, None)];
    let out = update(&mut m, Msg::FeedsLoaded(feeds));
    let Some(Cmd::LoadPage { req, count, .. }) = out.cmds.first().cloned() else {
        panic!("no page asked for: {:?}", out.cmds);
    };
    assert!(!count, "the feed list already knows how many");
    let rows: Vec<_> = (0..PAGE_SIZE as i64)
        .map(|i| support::tui::row(i + 1, 1, &format!("item {i}"), 1, false))
        .collect();
    update(
        &mut m,
        Msg::PageLoaded {
            req,
            page: 0,
            total: None,
            rows,
            upto: Some(bulletin::model::ItemId(i64::MAX)),
        },
    );
    assert_eq!(m.articles.total, 5000);
    // Going to the bottom asks for the last page, not every page in between.
    send_raw(&mut m, code(KeyCode::Tab));
    let cmds = send_raw(&mut m, key('G'));
    let pages: Vec<usize> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::LoadPage { page, .. } => Some(*page),
            _ => None,
        })
        .collect();
    assert_eq!(pages, vec![(5000 - 1) / PAGE_SIZE]);
}

fn send_raw(m: &mut bulletin::tui::model::Model, msg: Msg) -> Vec<Cmd> {
    update(m, msg).cmds
}

#[test]
fn space_pages_then_moves_to_the_next_unread() {
    let mut m = fixture(120, 60);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    // The fixture article fits the pane: Space goes straight on to the next unread.
    let cmds = send(&mut m, key(' '));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::LoadArticle { id: ItemId(21), .. })),
        "{cmds:?}"
    );
    serve_article(&mut m, &cmds);
    // In a short pane the same article needs paging first.
    let mut m = fixture(120, 14);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    let cmds = send(&mut m, key(' '));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(m.reader.as_ref().unwrap().scroll > 0);
}

fn opened(cmds: &[Cmd]) -> Option<ItemId> {
    cmds.iter().find_map(|c| match c {
        Cmd::LoadArticle { id, .. } => Some(*id),
        _ => None,
    })
}

#[test]
fn next_unread_wraps_round_the_feeds_and_the_list() {
    let mut m = fixture(120, 30);
    // The last feed (Harbour Notes) has nothing unread: n wraps to the first feed.
    send(&mut m, key('G'));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(2)));
    let cmds = send(&mut m, key('n'));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(0)));
    assert_eq!(opened(&cmds), Some(ItemId(11)));

    // Only this feed has unread articles, all above the cursor: n goes round to them.
    let mut m = fixture(120, 30);
    m.feeds[1].unread = 0;
    for _ in 0..3 {
        send(&mut m, key('j'));
    }
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('G'));
    assert_eq!(m.articles.selected, 2);
    let cmds = send(&mut m, key('n'));
    assert_eq!(opened(&cmds), Some(ItemId(11)), "{:?}", m.message);

    // N the same backwards: nothing before the top row, so round from the bottom.
    let mut m = fixture(120, 30);
    m.feeds[1].unread = 0;
    for _ in 0..3 {
        send(&mut m, key('j'));
    }
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, key('N'));
    assert_eq!(opened(&cmds), Some(ItemId(12)), "{:?}", m.message);

    // Nothing unread anywhere: said once, nothing opened.
    let mut m = fixture(120, 30);
    for f in &mut m.feeds {
        f.unread = 0;
    }
    for page in m.articles.pages.values_mut() {
        for r in page.iter_mut() {
            r.read = true;
        }
    }
    let cmds = send(&mut m, key('n'));
    assert_eq!(opened(&cmds), None);
    assert_eq!(m.message.as_deref(), Some("No unread articles"));
}

#[test]
fn small_things_a_newsboat_user_trips_over() {
    let mut m = fixture(120, 30);
    // A link with no article open.
    send(&mut m, key('f'));
    assert_eq!(m.message.as_deref(), Some("Open an article first"));
    // A number and Enter in a list: that row (counted from 1).
    send(&mut m, key('3'));
    send(&mut m, code(KeyCode::Enter));
    assert_eq!(m.feeds_pane.selected, 2);
    send(&mut m, key('1'));
    send(&mut m, code(KeyCode::Enter));
    assert_eq!(m.feeds_pane.selected, 0);
    // A key bound to nothing says so.
    send(&mut m, key('X'));
    assert_eq!(m.message.as_deref(), Some("X: not bound (? for help)"));
    // h stops at the first pane, l at the last; Tab goes round.
    send(&mut m, key('h'));
    assert_eq!(m.focus, bulletin::tui::model::Pane::Feeds);
    send(&mut m, key('l'));
    send(&mut m, key('l'));
    assert_eq!(
        m.focus,
        bulletin::tui::model::Pane::Articles,
        "no reader open"
    );
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, bulletin::tui::model::Pane::Feeds);
}

#[test]
fn hide_read_mark_above_save_and_pipe() {
    use bulletin::tui::model::{Ask, Overlay, Prompt};
    let mut m = fixture(120, 30);
    for _ in 0..3 {
        send(&mut m, key('j'));
    }
    assert_eq!(m.articles.total, 3);
    // H hides read articles in every list, and is remembered.
    let cmds = send(&mut m, key('H'));
    assert!(cmds.contains(&Cmd::SaveHideRead(true)));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Cmd::LoadPage { query, .. } if query.unread_only)));
    assert_eq!(m.articles.total, 2);
    send(&mut m, key('H'));
    assert_eq!(m.articles.total, 3);

    // M marks what is above the cursor.
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('G'));
    let cmds = send(&mut m, key('M'));
    match cmds.as_slice() {
        [Cmd::MarkAboveRead { below, .. }] => assert_eq!(*below, ItemId(13)),
        other => panic!("{other:?}"),
    }
    assert!(m.articles.row(0).unwrap().read && m.articles.row(1).unwrap().read);

    // w and | need an open article: from the feed list, with none open, they say so.
    send(&mut m, code(KeyCode::BackTab));
    assert_eq!(m.focus, Pane::Feeds);
    assert!(send(&mut m, key('w')).is_empty());
    assert_eq!(m.message.as_deref(), Some("Open an article first"));
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    // w asks where, offering a name made from the title in the save folder.
    m.save_dir = Some("/saved".into());
    assert!(send(&mut m, key('w')).is_empty());
    let offered = std::path::Path::new("/saved").join("Issue-48-The-invoice-that-wasn-t.txt");
    match &m.prompt {
        Some(Prompt::Line { line, .. }) => assert_eq!(line.value(), offered.to_str().unwrap()),
        other => panic!("{other:?}"),
    }
    // Ctrl-u kills the line; a new name is typed.
    send(&mut m, ctrl('u'));
    for c in "/saved/mine.txt".chars() {
        send(&mut m, key(c));
    }
    let cmds = send(&mut m, code(KeyCode::Enter));
    match cmds.as_slice() {
        [Cmd::SaveArticle { path, title, text }] => {
            assert!(path.ends_with("mine.txt"), "{path:?}");
            assert_eq!(title, "Issue 48: The invoice that wasn't");
            assert!(text.contains("fake invoice"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    // | starts empty; the line goes to the shell whole.
    send(&mut m, key('|'));
    assert_eq!(m.prompt, Some(Prompt::line(Ask::Pipe, "")));
    for c in "wc -l | tr -d ' '".chars() {
        send(&mut m, key(c));
    }
    let cmds = send(&mut m, code(KeyCode::Enter));
    match cmds.as_slice() {
        [Cmd::PipeArticle { command, text }] => {
            assert_eq!(command, "wc -l | tr -d ' '");
            assert!(text.contains("fake invoice"));
        }
        other => panic!("{other:?}"),
    }
    // The next | is empty again, the last command one Up away.
    send(&mut m, key('|'));
    send(&mut m, code(KeyCode::Up));
    assert_eq!(m.prompt, Some(Prompt::line(Ask::Pipe, "wc -l | tr -d ' '")));
    send(&mut m, code(KeyCode::Esc));
    // What it printed comes back in an overlay, exit status and all.
    update(
        &mut m,
        Msg::Piped {
            command: "wc -l".into(),
            status: "exit status 1".into(),
            output: "12\n\u{1b}]52;c;x\u{7}oops".into(),
        },
    );
    match &m.overlay {
        Some(Overlay::Text {
            title,
            lines,
            error,
        }) => {
            assert!(title.contains("exit status 1") && *error);
            assert_eq!(lines, &["12", "oops"], "no escape reaches the screen");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_long_search_shows_its_first_page_before_it_is_counted() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('/'));
    let cmds = update(&mut m, key('x')).cmds;
    let Some(Cmd::LoadPage { req, count, .. }) = cmds
        .iter()
        .find(|c| matches!(c, Cmd::LoadPage { .. }))
        .cloned()
    else {
        panic!("no page asked for: {cmds:?}");
    };
    assert!(count);
    assert!(m.articles.counting);
    let rows: Vec<_> = (0..bulletin::tui::model::PAGE_SIZE as i64)
        .map(|i| support::tui::row(1000 + i, 1, &format!("x {i}"), 1, false))
        .collect();
    update(
        &mut m,
        Msg::PageLoaded {
            req,
            page: 0,
            total: None,
            rows,
            upto: Some(bulletin::model::ItemId(i64::MAX)),
        },
    );
    assert_eq!(
        m.articles.total,
        bulletin::tui::model::PAGE_SIZE,
        "as long as what came"
    );
    assert!(m.articles.counting);
    // A count for an older list is ignored; this list's is taken.
    update(
        &mut m,
        Msg::Counted {
            req: req - 1,
            total: 5,
        },
    );
    assert_eq!(m.articles.total, bulletin::tui::model::PAGE_SIZE);
    update(&mut m, Msg::Counted { req, total: 4321 });
    assert_eq!(m.articles.total, 4321);
    assert!(!m.articles.counting);
}

#[test]
fn the_health_view_sorts_and_enter_goes_to_the_feed() {
    let mut m = fixture(120, 30);
    let cmds = send(&mut m, key('e'));
    assert!(cmds.contains(&Cmd::CountRecent), "{cmds:?}");
    // Sorted by status first: the failing feed leads.
    let order = bulletin::tui::health::order(&m, bulletin::tui::health::HealthSort::Status);
    assert!(m.feeds[order[0]].last_error.is_some());
    // s: by name; j: the second name; Enter: that feed's row, its articles asked for.
    send(&mut m, key('s'));
    send(&mut m, key('j'));
    let cmds = send(&mut m, code(KeyCode::Enter));
    assert!(m.overlay.is_none());
    let mut names: Vec<(String, usize)> = m
        .feeds
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.to_lowercase(), i))
        .collect();
    names.sort();
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(names[1].1)));
    assert!(cmds.iter().any(|c| matches!(c, Cmd::LoadPage { .. })) || m.articles.total > 0);
}

#[test]
fn the_feed_list_follows_feed_list_order() {
    use bulletin::config::FeedListOrder;
    let mut m = fixture(120, 30);
    let names = |m: &bulletin::tui::model::Model| -> Vec<String> {
        m.feeds_pane
            .rows
            .iter()
            .filter_map(|r| match r {
                FeedRow::Feed(i) => Some(m.feeds[*i].name.clone()),
                _ => None,
            })
            .collect()
    };
    let mut feeds = support::tui::feeds();
    feeds.truncate(3);
    for f in &mut feeds {
        f.tags.clear();
    }
    feeds[0].unread = 1;
    feeds[1].unread = 9;
    feeds[2].unread = 5;
    m.feed_order = FeedListOrder::Name;
    send(&mut m, Msg::FeedsLoaded(feeds.clone()));
    let mut sorted: Vec<String> = feeds.iter().map(|f| f.name.clone()).collect();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names(&m), sorted);
    m.feed_order = FeedListOrder::Unread;
    send(&mut m, Msg::FeedsLoaded(feeds.clone()));
    assert_eq!(
        names(&m),
        [
            feeds[1].name.clone(),
            feeds[2].name.clone(),
            feeds[0].name.clone()
        ]
    );
    m.feed_order = FeedListOrder::Config;
    send(&mut m, Msg::FeedsLoaded(feeds.clone()));
    assert_eq!(
        names(&m),
        feeds.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn saved_search_counts_stay_while_they_are_counted_again() {
    use bulletin::tui::msg::SavedCount;
    let mut m = fixture(120, 30);
    let saved = |counts| SavedCount {
        name: "CVEs".into(),
        query: "cve".into(),
        counts,
    };
    send(
        &mut m,
        Msg::SearchesCounted {
            searches: vec![saved(Some((2, 5)))],
            hidden: 1,
            hidden_unread: 0,
        },
    );
    assert_eq!(m.feeds_pane.rows[2], FeedRow::Query(0));
    assert_eq!(*m.feeds_pane.rows.last().unwrap(), FeedRow::Hidden);
    // The names-only list sent with each feed reload keeps the known counts.
    send(
        &mut m,
        Msg::SearchesCounted {
            searches: vec![saved(None)],
            hidden: 1,
            hidden_unread: 0,
        },
    );
    assert_eq!(m.searches[0].counts, Some((2, 5)));
    send(
        &mut m,
        Msg::SearchesCounted {
            searches: vec![saved(Some((0, 5)))],
            hidden: 1,
            hidden_unread: 1,
        },
    );
    assert_eq!(m.searches[0].counts, Some((0, 5)));
    // The Hidden row counts its unread ones (marked so after the filter hid them).
    assert_eq!(m.row_counts(&FeedRow::Hidden), Some((1, 1)));
}

/// A hidden feed (newsboat's `!`) is not a row of the feed list, nor is a tag only it
/// has; the others are listed as before.
#[test]
fn a_hidden_feed_is_left_out_of_the_feed_list() {
    let mut m = fixture(120, 30);
    let mut feeds = support::tui::feeds();
    feeds[1].hidden = true;
    send(&mut m, Msg::FeedsLoaded(feeds));
    let rows = &m.feeds_pane.rows;
    assert!(!rows.contains(&FeedRow::Feed(1)), "{rows:?}");
    assert!(rows.contains(&FeedRow::Feed(0)) && rows.contains(&FeedRow::Feed(2)));
    assert!(!rows.contains(&FeedRow::Tag("software".into())), "{rows:?}");
    // Its articles are still in All unread (the right pane); the feed list has no row.
    let text = support::tui::screen(&m);
    let feed_pane: String = text
        .lines()
        .map(|l| l.chars().take(34).collect::<String>() + "\n")
        .collect();
    assert!(!feed_pane.contains("Lantern"), "{text}");
    assert!(feed_pane.contains("Safe Harbour Weekly"), "{text}");
    assert!(
        text.contains("Lantern releases     Lantern 3.2.0"),
        "{text}"
    );
}

/// `T` in the health view on a Gemini feed asks for its host's certificate; once it is
/// trusted, every feed of that host (not only the one selected) is fetched again.
#[test]
fn t_in_the_health_view_trusts_a_gemini_host_and_refreshes_its_feeds() {
    let mut m = fixture(120, 30);
    let mut feeds = support::tui::feeds();
    feeds[0].url = "gemini://capsule.example:7000/log/".into();
    feeds[1].url = "gemini://capsule.example:7000/atom.xml".into();
    send(&mut m, Msg::FeedsLoaded(feeds));
    send(&mut m, key('e'));
    // The health view lists the failing feed first: Lantern releases, now on Gemini.
    let cmds = send(&mut m, key('T'));
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::TrustHost { feed: FeedId(2), url } if url.starts_with("gemini://capsule.example:7000/"))),
        "{cmds:?}"
    );
    let cmds = send(
        &mut m,
        Msg::Trusted {
            feed: FeedId(2),
            result: Ok("Trusted capsule.example:7000".into()),
        },
    );
    let refreshed: Vec<FeedId> = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Refresh { feeds: Some(f), .. } => Some(f.clone()),
            _ => None,
        })
        .unwrap_or_default();
    assert_eq!(refreshed, [FeedId(1), FeedId(2)]);
    assert_eq!(m.message.as_deref(), Some("Trusted capsule.example:7000"));
}

/// The health view at 40x10 with a Gemini feed refused for its certificate: the long
/// line wraps inside the frame, nothing spills, the keys' line is there.
#[test]
fn the_health_view_with_a_certificate_error_fits_at_40x10() {
    let mut m = fixture(40, 10);
    let mut feeds = support::tui::feeds();
    feeds[1].url = "gemini://capsule.example:7000/log/".into();
    feeds[1].last_error = Some("capsule.example:7000: its certificate changed since bulletin first trusted it (was sha256:0123456789abcdef…, now sha256:fedcba9876543210…); if the capsule renewed it, accept it with `bulletin trust capsule.example:7000` (or T in the feed health view)".into());
    send(&mut m, Msg::FeedsLoaded(feeds));
    send(&mut m, key('e'));
    let text = support::tui::screen(&m);
    assert_eq!(text.lines().count(), 10, "{text}");
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 40,
            "{line:?} in\n{text}"
        );
    }
    assert!(text.contains("health"), "{text}");
    // T still works from there.
    let cmds = send(&mut m, key('T'));
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::TrustHost { .. })),
        "{cmds:?}\n{text}"
    );
}

/// The downloads list (`L`) asks the cache for them when it opens, and again when
/// another process wrote while it is open: downloads a `bulletin download` in a shell
/// made were missing until the TUI itself downloaded something (a trial's find).
#[test]
fn the_downloads_list_is_read_from_the_cache_when_shown() {
    let mut m = fixture(120, 30);
    let cmds = send(&mut m, key('L'));
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::LoadDownloads)),
        "{cmds:?}"
    );
    let cmds = send_raw(&mut m, Msg::CacheChanged);
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::LoadDownloads)),
        "{cmds:?}"
    );
    send(&mut m, code(KeyCode::Esc));
    let cmds = send_raw(&mut m, Msg::CacheChanged);
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::LoadDownloads)),
        "{cmds:?}"
    );
}

/// newsboat's `o` on a feed: the feed's web site, not an article of it.
#[test]
fn o_on_a_feed_opens_its_web_site() {
    use bulletin::tui::model::FeedRow;
    let mut m = fixture(120, 30);
    let mut feeds = support::tui::feeds();
    feeds[0].site = Some("https://harbour.example/".into());
    send(&mut m, Msg::FeedsLoaded(feeds));
    assert_eq!(m.focus, Pane::Feeds);
    let mut moves = 0;
    while !matches!(m.selected_feed_row(), Some(FeedRow::Feed(0))) {
        send(&mut m, key('j'));
        moves += 1;
        assert!(moves < 20, "no row for the first feed");
    }
    assert_eq!(
        send(&mut m, key('o')),
        vec![Cmd::OpenUrl("https://harbour.example/".into())]
    );
    while !matches!(m.selected_feed_row(), Some(FeedRow::Feed(1))) {
        send(&mut m, key('j'));
        moves += 1;
        assert!(moves < 40, "no row for the second feed");
    }
    assert!(send(&mut m, key('o')).is_empty());
    assert_eq!(m.message.as_deref(), Some("This feed names no web site"));
}

/// w (save), | (pipe) and U (links) in the list act on the row under the cursor, as in
/// newsboat: one not open is opened first (not marked read), and the key acts once it
/// is shown; they acted on the article opened before, or said "Open an article first".
#[test]
fn article_keys_in_the_list_act_on_the_row_under_the_cursor() {
    use bulletin::tui::model::{Ask, Prompt};
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, Pane::Articles);
    // Nothing open: the row under the cursor is opened, then saved.
    let first = m.articles.selected_row().unwrap().clone();
    let cmds = send(&mut m, key('w'));
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::SetRead { .. })),
        "not marked read: {cmds:?}"
    );
    assert!(m.prompt.is_none(), "no prompt before the article is shown");
    serve_article(&mut m, &cmds);
    assert_eq!(m.reader.as_ref().unwrap().item.id, first.id);
    assert!(matches!(
        &m.prompt,
        Some(Prompt::Line {
            ask: Ask::SaveTo { .. },
            ..
        })
    ));
    send(&mut m, code(KeyCode::Esc));
    // Another row: U shows its links, not those of the open one.
    send(&mut m, key('j'));
    let second = m.articles.selected_row().unwrap().id;
    assert_ne!(second, first.id);
    let cmds = send(&mut m, key('U'));
    assert!(
        m.overlay.is_none(),
        "the open article's links are not shown"
    );
    serve_article(&mut m, &cmds);
    assert_eq!(m.reader.as_ref().unwrap().item.id, second);
    assert!(matches!(
        m.overlay,
        Some(bulletin::tui::model::Overlay::Links { .. })
    ));
    // On the row already open it acts at once.
    send(&mut m, code(KeyCode::Esc));
    let cmds = send(&mut m, key('|'));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(matches!(
        &m.prompt,
        Some(Prompt::Line { ask: Ask::Pipe, .. })
    ));
    send(&mut m, code(KeyCode::Esc));
    // So do D, v, t, c and f: each first opens the row under the cursor.
    for k in ['D', 'v', 't', 'c', 'f'] {
        let open = m.reader.as_ref().unwrap().item.id;
        for step in ['j', 'k', 'k'] {
            if m.articles.selected_row().unwrap().id != open {
                break;
            }
            send(&mut m, key(step));
        }
        let row = m.articles.selected_row().unwrap().id;
        assert_ne!(m.reader.as_ref().unwrap().item.id, row, "{k}");
        let cmds = send(&mut m, key(k));
        // (t loads the feed's text, to show the full text after.)
        assert!(
            matches!(cmds.as_slice(), [Cmd::LoadArticle { id, full, .. }]
                if *id == row && *full == (k != 't')),
            "{k}: {cmds:?}"
        );
        serve_article(&mut m, &cmds);
        assert_eq!(m.reader.as_ref().unwrap().item.id, row, "{k}");
        m.prompt = None;
        m.overlay = None;
    }
}

/// The shown article gone from the cache (its feed removed from another device): the
/// reader lets it go and says so, rather than keep it for marks that change nothing.
#[test]
fn an_article_gone_from_the_cache_leaves_the_reader() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    assert!(m.reader.is_some());
    let req = m.reader_req;
    send(&mut m, Msg::ArticleGone { req: req + 1 });
    assert!(m.reader.is_some(), "an answer to another request");
    send(&mut m, Msg::ArticleGone { req });
    assert!(m.reader.is_none());
    assert_eq!(
        m.message.as_deref(),
        Some("That article is no longer in the cache")
    );
}

/// A starred article of a feed no longer subscribed is shown under that feed's own name
/// (its feed column was empty).
#[test]
fn an_unlisted_feeds_articles_keep_its_name() {
    let mut m = fixture(120, 30);
    assert_eq!(m.feed_name(bulletin::model::FeedId(99)), "");
    send(
        &mut m,
        Msg::UnlistedFeeds(vec![(bulletin::model::FeedId(99), "Old wire".into())]),
    );
    assert_eq!(m.feed_name(bulletin::model::FeedId(99)), "Old wire");
    assert_eq!(
        m.feed_name(bulletin::model::FeedId(1)),
        "Safe Harbour Weekly"
    );
}

/// A row opened by a key that acts on it (U here) is not marked read; Enter on it then
/// opens it as any article, marked read (it only went full-screen, and stayed unread).
#[test]
fn enter_on_a_row_a_key_opened_marks_it_read() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let row = m.articles.selected_row().unwrap().clone();
    assert!(!row.read);
    let cmds = send(&mut m, key('U'));
    serve_article(&mut m, &cmds);
    send(&mut m, code(KeyCode::Esc));
    assert!(!m.articles.selected_row().unwrap().read);
    let cmds = send(&mut m, code(KeyCode::Enter));
    assert!(
        cmds.contains(&Cmd::SetRead {
            ids: vec![row.id],
            read: true
        }),
        "{cmds:?}"
    );
    assert!(m.articles.selected_row().unwrap().read);
}

/// w on a row, then Enter on another before the first answer came: the first answer is
/// not shown, and the key acts on nothing (it acted on whatever the reader showed).
#[test]
fn a_key_overtaken_by_another_open_acts_on_nothing() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let opened = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &opened);
    send(&mut m, key('j'));
    let first = send(&mut m, key('w'));
    send(&mut m, key('j'));
    let second = send(&mut m, code(KeyCode::Enter));
    let other = m.articles.selected_row().unwrap().id;
    serve_article(&mut m, &first);
    assert!(m.prompt.is_none(), "{:?}", m.prompt);
    serve_article(&mut m, &second);
    assert_eq!(m.reader.as_ref().unwrap().item.id, other);
    assert!(m.prompt.is_none(), "{:?}", m.prompt);
    assert!(m.after_open.is_none());
}

/// `/` in the feed list searches every cached article: the starred ones kept from a
/// feed no longer subscribed too.
#[test]
fn a_search_covers_the_feeds_kept_for_their_stars() {
    use bulletin::store::Scope;
    use bulletin::tui::model::FeedRow;
    let mut m = fixture(120, 30);
    send(
        &mut m,
        Msg::UnlistedFeeds(vec![(bulletin::model::FeedId(99), "Old wire".into())]),
    );
    let q = m.row_query(&FeedRow::Search);
    assert!(matches!(&q.scope, Scope::Feeds(ids) if ids.contains(&bulletin::model::FeedId(99))));
    let all = m.row_query(&FeedRow::AllUnread);
    assert!(!matches!(&all.scope, Scope::Feeds(ids) if ids.contains(&bulletin::model::FeedId(99))));
}

/// A feed a permanent redirect moved between two sessions keeps its list's order and the
/// last session's cursor, both kept under its old address (the rows' keys).
#[test]
fn a_moved_feed_keeps_its_order_and_the_restored_cursor() {
    let mut m = restored_on_feed_2();
    let mut feeds = support::tui::feeds();
    let moved = feeds
        .iter_mut()
        .find(|f| f.url == "https://feeds.example/2")
        .expect("the fixture's second feed");
    moved.health.moved_from = Some(moved.url.clone());
    moved.url = "https://moved.example/2".into();
    let cmds = send(&mut m, Msg::FeedsLoaded(feeds));
    assert_eq!(m.selected_feed_row(), Some(&FeedRow::Feed(1)));
    assert_eq!(
        m.articles.query.as_ref().map(|q| q.order),
        Some(bulletin::store::Order::Title),
        "the order kept under the old address"
    );
    let saved = cmds.iter().find_map(|c| match c {
        Cmd::SaveSorts(s) => Some(s.clone()),
        _ => None,
    });
    assert_eq!(
        saved.and_then(|s| s.get("feed:https://moved.example/2").copied()),
        Some(bulletin::store::Order::Title),
        "{cmds:?}"
    );
}

/// A new model that the last session left on feed 2's article 22, its list by title.
fn restored_on_feed_2() -> bulletin::tui::model::Model {
    let mut m = bulletin::tui::model::Model::new(Default::default(), support::tui::now());
    m.size = (120, 30);
    send(
        &mut m,
        Msg::Restored {
            hide_read: false,
            collapsed: Default::default(),
            feed_key: Some("feed:https://feeds.example/2".into()),
            item: Some(ItemId(22)),
            sorts: [(
                "feed:https://feeds.example/2".to_string(),
                bulletin::store::Order::Title,
            )]
            .into(),
        },
    );
    m
}

/// A page's feed that discovery fetched to check it is previewed as it is (the page's
/// only one, or the one picked): not fetched again, by an address typed without its
/// scheme that the second fetch took for a public one.
#[test]
fn a_feed_discovery_fetched_is_previewed_without_a_second_fetch() {
    use bulletin::discover::{Candidate, Discovery, Found};
    use bulletin::tui::model::Overlay;
    let found = |n: u32| Found {
        url: format!("http://127.0.0.1:18350/feed{n}"),
        feed: bulletin::model::ParsedFeed {
            title: Some(format!("Feed {n}")),
            link: None,
            description: None,
            items: Vec::new(),
        },
    };
    let candidate = |n: u32| Candidate {
        url: format!("http://127.0.0.1:18350/feed{n}"),
        title: Some(format!("Feed {n}")),
        comments: n == 2,
        found: Some(Box::new(found(n))),
    };
    let mut m = fixture(120, 30);
    let out = update(
        &mut m,
        Msg::Discovered(Ok(Discovery::Page(vec![candidate(1)]))),
    );
    assert!(
        !out.cmds.iter().any(|c| matches!(c, Cmd::Discover { .. })),
        "{:?}",
        out.cmds
    );
    assert!(matches!(&m.overlay, Some(Overlay::Preview(f)) if f.url.ends_with("/feed1")));
    m.overlay = None;
    update(
        &mut m,
        Msg::Discovered(Ok(Discovery::Page(vec![candidate(1), candidate(2)]))),
    );
    assert!(matches!(&m.overlay, Some(Overlay::Picker { .. })));
    send(&mut m, key('j'));
    let cmds = send(&mut m, code(KeyCode::Enter));
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::Discover { .. })),
        "{cmds:?}"
    );
    assert!(matches!(&m.overlay, Some(Overlay::Preview(f)) if f.url.ends_with("/feed2")));
}
