//! Issue 28 through `update`: the feed list's tag groups (folding, flat, read feeds
//! hidden), the newsboat keymap and the one keymap's coherence, prompts that edit their
//! line, the links and tags lists, and what the status line says about the server.

mod support;

use bulletin::model::FeedId;
use bulletin::tui::keymap::{Action, Keymap};
use bulletin::tui::model::{FeedRow, Overlay, Pane, Prompt};
use bulletin::tui::msg::{Cmd, Msg};
use bulletin::tui::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::tui::{code, ctrl, feed, feeds, fixture, key, send, serve_article};

fn tag(t: &str) -> FeedRow {
    FeedRow::Tag(t.into())
}

fn select(m: &mut bulletin::tui::model::Model, row: &FeedRow) {
    m.focus = Pane::Feeds;
    m.feeds_pane.selected = m.feeds_pane.rows.iter().position(|r| r == row).unwrap();
}

#[test]
fn tag_groups_fold_and_open_and_are_remembered() {
    let mut m = fixture(120, 30);
    select(&mut m, &tag("security"));
    let cmds = send(&mut m, code(KeyCode::Enter));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::SaveCollapsed(t) if t.contains("security"))),
        "{cmds:?}"
    );
    assert!(!m.feeds_pane.rows.contains(&FeedRow::Feed(0)), "folded");
    assert_eq!(
        m.selected_feed_row(),
        Some(&tag("security")),
        "the cursor stays"
    );
    assert_eq!(
        m.focus,
        Pane::Feeds,
        "Enter on a group folds; it does not leave"
    );
    send(&mut m, key(' '));
    assert!(m.feeds_pane.rows.contains(&FeedRow::Feed(0)), "open again");
    // Remembered: the next start folds what was folded.
    let mut next = bulletin::tui::model::Model::new(Default::default(), support::tui::now());
    next.size = (120, 30);
    send(
        &mut next,
        Msg::Restored {
            feed_key: None,
            item: None,
            hide_read: false,
            collapsed: ["software".to_string()].into(),
            sorts: Default::default(),
        },
    );
    send(&mut next, Msg::FeedsLoaded(feeds()));
    assert!(!next.feeds_pane.rows.contains(&FeedRow::Feed(1)));
    assert!(next.feeds_pane.rows.contains(&tag("software")));
}

#[test]
fn a_feed_with_two_tags_is_under_both_while_open_and_flat_lists_it_once() {
    let mut m = fixture(120, 30);
    let mut list = feeds();
    list.push(feed(4, "Both ways", &["security", "software"], 1, 1, None));
    send(&mut m, Msg::FeedsLoaded(list.clone()));
    let count = |m: &bulletin::tui::model::Model| {
        m.feeds_pane
            .rows
            .iter()
            .filter(|r| **r == FeedRow::Feed(3))
            .count()
    };
    assert_eq!(count(&m), 2);
    select(&mut m, &tag("software"));
    send(&mut m, code(KeyCode::Enter));
    assert_eq!(count(&m), 1, "only under the open group");
    // `[general] feed_list = "flat"`: no groups, each feed once.
    m.feed_layout = bulletin::config::FeedListLayout::Flat;
    send(&mut m, Msg::FeedsLoaded(list));
    assert_eq!(count(&m), 1);
    assert!(!m
        .feeds_pane
        .rows
        .iter()
        .any(|r| matches!(r, FeedRow::Tag(_))));
}

#[test]
fn h_hides_fully_read_feeds_but_not_the_one_under_the_cursor() {
    let mut m = fixture(120, 30);
    // Harbour Notes (feed 3) has nothing unread.
    assert!(m.feeds_pane.rows.contains(&FeedRow::Feed(2)));
    send(&mut m, key('H'));
    assert!(!m.feeds_pane.rows.contains(&FeedRow::Feed(2)));
    assert_eq!(
        m.message.as_deref(),
        Some("Read articles and fully read feeds hidden")
    );
    send(&mut m, key('H'));
    select(&mut m, &FeedRow::Feed(2));
    send(&mut m, key('H'));
    assert_eq!(
        m.selected_feed_row(),
        Some(&FeedRow::Feed(2)),
        "kept under the cursor"
    );
}

fn config_keymap(keys: &str) -> Keymap {
    let config =
        bulletin::config::Config::parse(keys, std::path::Path::new("/c/config.toml")).unwrap();
    Keymap::with_overrides(&config.keys)
}

fn resolve(km: &Keymap, code: KeyCode, mods: KeyModifiers) -> Option<Action> {
    km.resolve(&KeyEvent::new(code, mods))
}

#[test]
fn the_newsboat_preset_gives_newsboat_keys_and_the_config_goes_over_it() {
    let km = config_keymap("[keys]\npreset = \"newsboat\"\nhelp = [\"?\", \"F1\"]\n");
    let none = KeyModifiers::NONE;
    let c = |ch| KeyCode::Char(ch);
    for (key, action) in [
        (c('n'), Action::NextUnread),
        (c('p'), Action::PrevUnread),
        (c('N'), Action::ToggleRead),
        (c('A'), Action::MarkAllRead),
        (c('C'), Action::MarkEverythingRead),
        (c('J'), Action::NextFeed),
        (c('K'), Action::PrevFeed),
        (c('s'), Action::SaveArticle),
        (c('t'), Action::SelectTag),
        (c('u'), Action::ShowLinks),
        (c('r'), Action::Refresh),
        (c('R'), Action::RefreshAll),
        (c('/'), Action::Filter),
        (c('|'), Action::PipeArticle),
        (c('o'), Action::OpenInBrowser),
        (c('q'), Action::BackOrQuit),
        (c('Q'), Action::Quit),
        (c('*'), Action::ToggleStar),
        (c('x'), Action::ToggleFullText),
        (c('U'), Action::Undo),
        (c('#'), Action::FollowLink),
        (KeyCode::F(1), Action::Help),
    ] {
        assert_eq!(resolve(&km, key, none), Some(action), "{key:?}");
    }
    assert_eq!(
        resolve(&km, c('e'), KeyModifiers::CONTROL),
        Some(Action::EditConfig)
    );
    // Bulletin's own keymap is untouched by it.
    let own = Keymap::default();
    assert_eq!(resolve(&own, c('q'), none), Some(Action::Quit));
    assert_eq!(resolve(&own, KeyCode::Esc, none), Some(Action::Back));
    assert_eq!(resolve(&own, c('u'), none), Some(Action::Undo));
    // An unknown preset is a one-line error naming the line.
    let err = bulletin::config::Config::parse(
        "[keys]\npreset = \"vim\"\n",
        std::path::Path::new("/c/config.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("/c/config.toml:2:") && err.contains("newsboat"),
        "{err}"
    );
}

/// One coherent keymap: in each preset every action but the digit ones has a key of
/// its own, and the help lists each key once.
#[test]
fn every_action_has_a_key_and_no_key_two_actions() {
    for km in [
        Keymap::default(),
        config_keymap("[keys]\npreset = \"newsboat\"\n"),
    ] {
        let rows = km.help_rows();
        let mut seen = std::collections::HashSet::new();
        for (keys, what) in &rows {
            let unbound = keys == "(unbound)";
            // newsboat's q is back_or_quit; bulletin's own leaves it unbound.
            assert!(
                !unbound || what.contains("newsboat's q"),
                "{what} has no key"
            );
            if unbound || keys.contains('-') && keys.len() == 3 {
                continue;
            }
            for k in keys.split(", ") {
                assert!(seen.insert(k.to_string()), "{k} is bound twice");
            }
        }
    }
}

#[test]
fn newsboat_q_goes_back_a_level_then_quits() {
    let mut m = fixture(120, 30);
    m.keymap = config_keymap("[keys]\npreset = \"newsboat\"\n");
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('q'));
    assert_eq!(m.focus, Pane::Feeds);
    assert!(!m.quit);
    send(&mut m, key('q'));
    assert!(m.quit);
}

#[test]
fn prompts_edit_their_line() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('/'));
    for c in "lantern relase".chars() {
        send(&mut m, key(c));
    }
    // Fix the typo in the middle: left over "ase", Backspace twice, retype.
    for _ in 0..3 {
        send(&mut m, code(KeyCode::Left));
    }
    send(&mut m, code(KeyCode::Backspace));
    send(&mut m, code(KeyCode::Backspace));
    for c in "ele".chars() {
        send(&mut m, key(c));
    }
    assert_eq!(m.articles.filter, "lantern release");
    // Ctrl-a then Ctrl-k: the line is empty, and so is the search.
    send(&mut m, ctrl('a'));
    send(&mut m, ctrl('k'));
    assert_eq!(m.articles.filter, "");
    // Ctrl-y brings it back.
    send(&mut m, ctrl('y'));
    assert_eq!(m.articles.filter, "lantern release");
    // Ctrl-w takes the last word; Esc cancels the search.
    send(&mut m, ctrl('w'));
    assert_eq!(m.articles.filter, "lantern ");
    send(&mut m, code(KeyCode::Esc));
    assert!(m.prompt.is_none());
    assert_eq!(m.articles.filter, "");
}

#[test]
fn the_links_list_opens_or_copies_one() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    send(&mut m, key('U'));
    assert_eq!(m.overlay, Some(Overlay::Links { selected: 0 }));
    send(&mut m, key('y'));
    assert!(m.overlay.is_none());
    assert_eq!(
        m.message.as_deref(),
        Some("Copied https://news.example/guide")
    );
    send(&mut m, key('U'));
    assert_eq!(
        send(&mut m, code(KeyCode::Enter)),
        vec![Cmd::OpenUrl("https://news.example/guide".into())]
    );
}

#[test]
fn ctrl_t_goes_to_a_tags_group_and_opens_it() {
    let mut m = fixture(120, 30);
    select(&mut m, &tag("software"));
    send(&mut m, code(KeyCode::Enter));
    m.focus = Pane::Articles;
    send(&mut m, ctrl('t'));
    assert_eq!(m.overlay, Some(Overlay::Tags { selected: 0 }));
    send(&mut m, key('j'));
    send(&mut m, code(KeyCode::Enter));
    assert_eq!(m.focus, Pane::Feeds);
    assert_eq!(m.selected_feed_row(), Some(&tag("software")));
    assert!(m.feeds_pane.rows.contains(&FeedRow::Feed(1)), "opened");
}

#[test]
fn the_status_line_counts_marks_to_send_and_says_what_a_sync_brought() {
    let mut m = fixture(160, 30);
    let out = update(&mut m, Msg::MarksWaiting(12));
    assert_eq!(out.cmds, vec![Cmd::PushMarks], "more than before: sent");
    let screen = support::tui::screen(&m);
    assert!(screen.contains("12 marks to send"), "{screen}");
    assert!(update(&mut m, Msg::MarksWaiting(12)).cmds.is_empty());
    update(&mut m, Msg::Pushed(12));
    assert_eq!(m.message.as_deref(), Some("Sent 12 marks to the server"));
    update(
        &mut m,
        Msg::SyncFinished(Ok(bulletin::sync::Summary {
            pulled: 21,
            ..Default::default()
        })),
    );
    assert_eq!(m.message.as_deref(), Some("Synced: 21 changes"));
}

#[test]
fn a_server_feed_is_unsubscribed_there_after_a_question_that_says_so() {
    let mut m = fixture(120, 30);
    m.server = Some(bulletin::tui::model::Server {
        name: "Google Reader",
        edits_feeds: true,
    });
    m.server_feeds.insert("https://feeds.example/1".into());
    select(&mut m, &FeedRow::Feed(0));
    send(&mut m, key('d'));
    assert!(matches!(
        &m.prompt,
        Some(Prompt::ConfirmRemove {
            server: Some(_),
            ..
        })
    ));
    send(&mut m, code(KeyCode::Esc));
    // Fever cannot: d says so before anything is asked, a says where the feed goes.
    m.server = Some(bulletin::tui::model::Server {
        name: "Fever",
        edits_feeds: false,
    });
    send(&mut m, key('d'));
    assert!(m.prompt.is_none());
    assert!(m.message.as_deref().unwrap().contains("cannot unsubscribe"));
    send(&mut m, key('a'));
    assert!(m.message.as_deref().unwrap().contains("this config only"));
    assert!(matches!(m.prompt, Some(Prompt::Line { .. })));
}

#[test]
fn a_config_that_does_not_load_is_shown_whole() {
    let mut m = fixture(120, 30);
    let error = "/home/alice/.config/bulletin/config.toml:12:7: unknown field `bogus`, expected one of `refresh_on_startup`, `refresh_interval_minutes`";
    update(&mut m, Msg::ConfigReloaded(Err(error.into())));
    match &m.overlay {
        Some(Overlay::Text {
            lines, error: true, ..
        }) => {
            assert_eq!(lines.join(""), error)
        }
        other => panic!("{other:?}"),
    }
    // And it is drawn whole, wrapped, at a width that would cut the status line.
    let screen = support::tui::screen(&m).replace('\n', "");
    assert!(screen.contains("config.toml:12:7"), "{screen}");
    assert!(screen.contains("refresh_interval_minutes"), "{screen}");
}

#[test]
fn the_health_view_counts_a_week_as_a_number() {
    let mut m = fixture(140, 30);
    send(&mut m, key('e'));
    // Counted: a feed with nothing in four weeks has 0.0, never an ellipsis.
    let mut counts = std::collections::HashMap::new();
    counts.insert(FeedId(1), 8);
    update(&mut m, Msg::RecentCounted(counts));
    let screen = support::tui::screen(&m);
    assert!(!screen.contains('…'), "{screen}");
    assert!(screen.contains("2.0") && screen.contains("0.0"), "{screen}");
}

#[test]
fn leaving_a_search_goes_back_to_the_row_it_started_from() {
    let mut m = fixture(120, 30);
    select(&mut m, &tag("software"));
    send(&mut m, key('/'));
    send(&mut m, key('x'));
    send(&mut m, code(KeyCode::Esc));
    assert_eq!(m.selected_feed_row(), Some(&tag("software")));
    assert_eq!(m.focus, Pane::Feeds);
}

#[test]
fn a_reload_applies_the_feed_list_layout_and_ctrl_c_quits_from_a_prompt() {
    let mut m = fixture(120, 30);
    let mut config = bulletin::config::Config::parse(
        "[general]\nfeed_list = \"flat\"\n",
        std::path::Path::new("/c/config.toml"),
    )
    .unwrap();
    config.feeds.clear();
    update(&mut m, Msg::ConfigReloaded(Ok(Box::new(config))));
    assert!(!m
        .feeds_pane
        .rows
        .iter()
        .any(|r| matches!(r, FeedRow::Tag(_))));
    // The tag picker says why it has nothing to go to.
    send(&mut m, ctrl('t'));
    assert!(m.overlay.is_none());
    assert!(m.message.as_deref().unwrap().contains("flat"));
    send(&mut m, key('/'));
    send(&mut m, key('a'));
    send(&mut m, ctrl('c'));
    assert!(m.quit);
}

#[test]
fn a_number_prompt_gives_way_to_other_keys() {
    let mut m = fixture(120, 30);
    send(&mut m, key('3'));
    assert!(m.prompt.is_some());
    send(&mut m, key('j'));
    assert!(m.prompt.is_none(), "j ends the number and moves");
    assert_eq!(m.feeds_pane.selected, 1);
    send(&mut m, key('5'));
    send(&mut m, code(KeyCode::Backspace));
    assert!(m.prompt.is_none(), "emptied: closed");
}

/// newsboat's three levels in a wide terminal: Enter goes into the article, q comes back
/// to the list, q to the feed list, q quits (q went from the article to the feed list).
#[test]
fn newsboat_enter_goes_into_the_article_and_q_comes_back_a_level() {
    let mut m = fixture(120, 30);
    m.keymap = config_keymap("[keys]\npreset = \"newsboat\"\n");
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    assert_eq!(m.focus, Pane::Reader);
    assert!(!m.fullscreen, "beside the list, as before");
    send(&mut m, key('q'));
    assert_eq!(m.focus, Pane::Articles);
    send(&mut m, key('q'));
    assert_eq!((m.focus, m.quit), (Pane::Feeds, false));
    send(&mut m, key('q'));
    assert!(m.quit);
    // bulletin's own keys: Enter leaves the cursor in the list, q quits from anywhere.
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    assert_eq!(m.focus, Pane::Articles);
    send(&mut m, key('q'));
    assert!(m.quit);
}

/// Hints that name keys name this keymap's: with newsboat's preset, full text is `x`
/// and star `*` (the hints said `t` and `s`, which there select a tag and save).
#[test]
fn hints_name_the_keys_of_the_keymap_in_use() {
    let mut m = fixture(120, 30);
    m.keymap = config_keymap("[keys]\npreset = \"newsboat\"\n");
    let hint = |m: &mut bulletin::tui::model::Model, ch: char| {
        m.message = None;
        send(m, key(ch));
        m.message.clone().unwrap_or_default()
    };
    assert_eq!(hint(&mut m, 'x'), "Open an article first (Enter), then x");
    let marks = hint(&mut m, 'N');
    assert!(marks.ends_with("then N or *"), "{marks}");
    assert_eq!(hint(&mut m, 'D'), "Open an article first (Enter), then D");
}

/// `a` with an address already in the list says so at once, as `bulletin add` does (it
/// showed the preview and refused only after Enter); a page whose feeds are all
/// subscribed says that, and one with a new feed beside them offers only the new one.
#[test]
fn adding_a_feed_already_subscribed_is_refused_before_any_fetch() {
    let mut m = fixture(120, 30);
    let known = m.feeds[0].url.clone();
    send(&mut m, key('a'));
    for ch in known.chars() {
        send(&mut m, key(ch));
    }
    let cmds = send(&mut m, code(KeyCode::Enter));
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::Discover { .. })),
        "{cmds:?}"
    );
    let said = m.message.clone().unwrap_or_default();
    assert!(said.contains("already subscribed"), "{said}");
    // Discovery that ends at a subscribed feed (a redirect, a page's only feed).
    let found = |url: &str| bulletin::discover::Found {
        url: url.to_string(),
        feed: Default::default(),
    };
    update(
        &mut m,
        Msg::Discovered(Ok(bulletin::discover::Discovery::Feed(found(&known)))),
    );
    assert!(m.overlay.is_none());
    assert!(m.message.as_deref().unwrap().contains("already subscribed"));
    let candidate = |url: &str| bulletin::discover::Candidate {
        url: url.to_string(),
        title: None,
        comments: false,
        found: Some(Box::new(found(url))),
    };
    update(
        &mut m,
        Msg::Discovered(Ok(bulletin::discover::Discovery::Page(vec![candidate(
            &known,
        )]))),
    );
    assert!(m.overlay.is_none());
    assert!(m.message.as_deref().unwrap().contains("subscribed already"));
    update(
        &mut m,
        Msg::Discovered(Ok(bulletin::discover::Discovery::Page(vec![
            candidate(&known),
            candidate("https://new.example/feed.xml"),
        ]))),
    );
    match &m.overlay {
        Some(Overlay::Preview(found)) => assert_eq!(found.url, "https://new.example/feed.xml"),
        other => panic!("{other:?}"),
    }
}
