//! Snapshots of the real views on ratatui's TestBackend.

mod support;

use bulletin::refresh::{FeedDone, FeedResult, Summary};
use bulletin::tui::model::Model;
use bulletin::tui::msg::Msg;
use bulletin::tui::theme::Theme;
use bulletin::tui::view;
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use support::tui::{code, fixture, key, send, serve_article};

fn render(m: &Model) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(m.size.0, m.size.1)).unwrap();
    t.draw(|f| view::draw(f, m, &Theme::new(false))).unwrap();
    t
}

fn with_article(width: u16, height: u16) -> Model {
    let mut m = fixture(width, height);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    m
}

#[test]
fn wide_three_panes() {
    let m = with_article(120, 32);
    insta::assert_snapshot!(render(&m).backend());
}

#[test]
fn narrow_one_pane() {
    let mut m = fixture(80, 20);
    insta::assert_snapshot!("narrow_feeds", render(&m).backend());
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    insta::assert_snapshot!("narrow_reader", render(&m).backend());
}

#[test]
fn help_overlay() {
    let mut m = fixture(100, 36);
    send(&mut m, key('?'));
    insta::assert_snapshot!(render(&m).backend());
}

#[test]
fn refresh_in_progress() {
    let mut m = fixture(110, 16);
    send(&mut m, Msg::RefreshStarted { total: 40 });
    let done = FeedDone {
        id: bulletin::model::FeedId(1),
        url: "u".into(),
        result: FeedResult::NotModified,
    };
    send(
        &mut m,
        Msg::RefreshProgress {
            done,
            summary: Summary {
                feeds: 40,
                ok: 11,
                failed: 1,
                ..Summary::default()
            },
        },
    );
    insta::assert_snapshot!(render(&m).backend());
}

#[test]
fn failing_feed_and_error_list() {
    let mut m = fixture(110, 16);
    let t = render(&m);
    let screen = format!("{:?}", t.backend());
    assert!(screen.contains("! "), "error marker in the feed list");
    assert!(screen.contains("1 feed failed, press e"));
    send(&mut m, key('e'));
    insta::assert_snapshot!(render(&m).backend());
}

#[test]
fn styles_bold_unread_and_reverse_selection() {
    use ratatui::style::Modifier;
    let m = fixture(110, 16);
    let t = render(&m);
    let buf = t.backend().buffer();
    // Row 1 of the article list is unread and selected (articles start at x=28, y=1).
    let cell = &buf[(30, 1)];
    assert!(cell.modifier.contains(Modifier::BOLD));
    // Terminals clear bold and dim with one code (SGR 22): a cell with both loses its bold
    // in ratatui's diffing, so the views never combine them.
    for cell in buf.content() {
        assert!(
            !(cell.modifier.contains(Modifier::BOLD) && cell.modifier.contains(Modifier::DIM)),
            "{cell:?}"
        );
    }
    let no_color = {
        let mut t = Terminal::new(TestBackend::new(110, 16)).unwrap();
        t.draw(|f| view::draw(f, &m, &Theme::new(true))).unwrap();
        t
    };
    let buf = no_color.backend().buffer();
    for cell in buf.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "NO_COLOR: no colours at all"
        );
    }
}

/// Every view draws at every size down to 1x1: no panic, nothing outside the buffer.
/// Sizes change through `Msg::Resize`, as in the running app.
#[test]
fn every_view_draws_at_every_size() {
    use bulletin::tui::keymap::Keymap;
    let states: Vec<(&str, Model)> = vec![
        (
            "no feeds",
            Model::new(Keymap::default(), support::tui::now()),
        ),
        ("lists", fixture(120, 30)),
        ("article", with_article(120, 30)),
        ("help", {
            let mut m = fixture(120, 30);
            send(&mut m, key('?'));
            m
        }),
        ("health", {
            let mut m = fixture(120, 30);
            send(&mut m, key('e'));
            m
        }),
        ("prompt", {
            let mut m = fixture(120, 30);
            send(&mut m, key('/'));
            send(&mut m, key('x'));
            m
        }),
        ("feed picker", {
            let mut m = fixture(120, 30);
            let candidates = (0..5)
                .map(|i| bulletin::discover::Candidate {
                    url: format!("https://site.example/a-rather-long-path/{i}/feed.xml"),
                    title: Some(format!("Candidate feed number {i} with a long title")),
                    comments: false,
                    found: None,
                })
                .collect();
            send(
                &mut m,
                Msg::Discovered(Ok(bulletin::discover::Discovery::Page(candidates))),
            );
            assert!(m.overlay.is_some());
            m
        }),
        ("feed preview", {
            let mut m = fixture(120, 30);
            let feed = bulletin::model::ParsedFeed {
                title: Some("A feed with a title longer than a narrow screen".into()),
                items: (0..12)
                    .map(|i| bulletin::model::ParsedItem {
                        guid: i.to_string(),
                        title: format!("Article {i}: a title that goes on and on"),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            };
            let found = bulletin::discover::Found {
                url: "https://site.example/feed".into(),
                feed,
            };
            send(
                &mut m,
                Msg::Discovered(Ok(bulletin::discover::Discovery::Feed(found))),
            );
            assert!(m.overlay.is_some());
            m
        }),
        ("sorted search results", {
            let mut m = fixture(120, 30);
            send(&mut m, code(KeyCode::Tab));
            send(&mut m, key('S'));
            send(&mut m, key('/'));
            send(&mut m, key('a'));
            m
        }),
        ("full screen", {
            let mut m = with_article(120, 30);
            send(&mut m, key('z'));
            m
        }),
        ("refreshing", {
            let mut m = fixture(120, 30);
            send(&mut m, key('R'));
            m
        }),
        ("enclosures", {
            let mut m = with_article(120, 30);
            send(&mut m, key('v'));
            assert!(m.overlay.is_some());
            m
        }),
        ("downloads", {
            let mut m = fixture(120, 30);
            let list = (0..4)
                .map(|i| bulletin::store::Download {
                    id: i,
                    title: format!("Episode {i} with a title longer than a narrow screen"),
                    url: format!("https://pod.example/{i}.mp3"),
                    path: format!("/home/reader/Downloads/bulletin/episode-{i}.mp3"),
                    state: ["downloading", "done", "failed", "queued"][i as usize].into(),
                    bytes: 1_000_000 * i as u64,
                    total: Some(5_000_000),
                    error: (i == 2).then(|| "the server answered HTTP 404".to_string()),
                    origin: None,
                })
                .collect();
            send(&mut m, Msg::Downloads(list));
            send(&mut m, key('L'));
            assert!(m.overlay.is_some());
            m
        }),
        ("syncing, a sync failed, fetching a full text", {
            let mut m = with_article(120, 30);
            send(&mut m, Msg::SyncFinished(Err("sync with https://rss.example/api/greader.php: the server answered HTTP 503; marks made here stay queued".into())));
            send(&mut m, key('t'));
            m
        }),
        ("a mailbox failed beside a failed sync", {
            let mut m = with_article(120, 30);
            send(
                &mut m,
                Msg::SyncFinished(Err(
                    "sync with https://rss.example/api/greader.php: the server answered HTTP 503"
                        .into(),
                )),
            );
            send(
                &mut m,
                Msg::MailRead(bulletin::mail::read::MailSummary {
                    mailboxes: 2,
                    errors: vec!["mailbox \"Work bulletins\": mail.example.org:993: login as alice refused: [AUTHENTICATIONFAILED] Authentication failed.".into()],
                    ..Default::default()
                }),
            );
            assert!(m.refresh.mail_error.is_some());
            m
        }),
        ("a command's output", {
            let mut m = with_article(120, 30);
            send(
                &mut m,
                Msg::Piped {
                    command: "grep -c something | a long pipeline of commands".into(),
                    status: "exit status 1".into(),
                    output: "col1    col2\n".repeat(40) + &"x".repeat(300),
                },
            );
            m
        }),
        ("a config error", {
            let mut m = fixture(120, 30);
            send(&mut m, Msg::ConfigReloaded(Err("/home/someone/.config/bulletin/config.toml:12:7: unknown field `bogus`, expected one of `refresh_on_startup`".into())));
            m
        }),
        ("links", {
            let mut m = with_article(120, 30);
            send(&mut m, key('U'));
            assert!(m.overlay.is_some());
            m
        }),
        ("tags", {
            let mut m = fixture(120, 30);
            send(&mut m, support::tui::ctrl('t'));
            assert!(m.overlay.is_some());
            m
        }),
        ("save prompt, long path, cursor moved", {
            let mut m = with_article(120, 30);
            m.save_dir = Some("/home/someone/a/very/long/folder/name/for/saved/articles".into());
            send(&mut m, key('w'));
            send(&mut m, code(KeyCode::Home));
            send(&mut m, code(KeyCode::Right));
            m
        }),
        ("number prompt", {
            let mut m = fixture(120, 30);
            send(&mut m, key('4'));
            m
        }),
        ("unsubscribe question", {
            let mut m = fixture(120, 30);
            m.server = Some(bulletin::tui::model::Server {
                name: "Google Reader",
                edits_feeds: true,
            });
            m.server_feeds.insert("https://feeds.example/1".into());
            send(&mut m, key('j'));
            send(&mut m, key('j'));
            send(&mut m, key('j'));
            send(&mut m, key('d'));
            m
        }),
    ];
    for (name, state) in states {
        for width in (1..=60).chain([99, 100, 101, 140]) {
            for height in 1..=14 {
                let mut m = state.clone();
                send(&mut m, Msg::Resize(width, height));
                let drawn = std::panic::catch_unwind(|| render(&m));
                assert!(drawn.is_ok(), "{name} at {width}x{height} panicked");
            }
        }
    }
}

#[test]
fn overlays_scroll_and_say_what_is_hidden() {
    // Help at 40x10: the keymap does not fit; j moves it, G to its end, g back.
    let mut m = fixture(40, 10);
    send(&mut m, key('?'));
    let first = support::tui::screen(&m);
    assert!(first.contains("Move down"), "{first}");
    assert!(first.contains("1-7/"), "a position shows: {first}");
    // A box as tall as the screen stops above the status line.
    let last = first.lines().last().unwrap();
    assert!(
        !last.contains('┘') && !last.contains('└'),
        "the status line is left to itself: {first}"
    );
    send(&mut m, key('j'));
    send(&mut m, key('j'));
    let moved = support::tui::screen(&m);
    assert!(moved.contains("3-9/"), "{moved}");
    assert!(!moved.contains("Move down"), "{moved}");
    send(&mut m, key('G'));
    let end = support::tui::screen(&m);
    assert!(
        end.contains("Mouse: click selects"),
        "the last line shows: {end}"
    );
    send(&mut m, key('g'));
    assert_eq!(m.overlay_scroll, 0);
    send(&mut m, key('q'));
    assert!(m.overlay.is_none());

    // Forty failing feeds in the health view at 70x20.
    let mut m = fixture(70, 20);
    let mut feeds = support::tui::feeds();
    for i in 0..40 {
        feeds.push(support::tui::feed(
            100 + i,
            &format!("Broken feed {i}"),
            &[],
            0,
            0,
            Some("HTTP 404 Not Found"),
        ));
    }
    send(&mut m, Msg::FeedsLoaded(feeds));
    send(&mut m, key('e'));
    let first = support::tui::screen(&m);
    assert!(first.contains("Lantern releases"), "{first}");
    assert!(!first.contains("Broken feed 39"), "{first}");
    send(&mut m, code(KeyCode::End));
    let end = support::tui::screen(&m);
    assert!(end.contains("Broken feed 39"), "{end}");
    send(&mut m, code(KeyCode::PageUp));
    assert!(m.overlay_scroll > 0);

    // The same list at 40x10 still fits, says where it is and scrolls to its end.
    send(&mut m, Msg::Resize(40, 10));
    let small = support::tui::screen(&m);
    let position = small
        .split('/')
        .skip(1)
        .any(|after| after.starts_with(|c: char| c.is_ascii_digit()));
    assert!(position, "a position shows: {small}");
    send(&mut m, code(KeyCode::End));
    let end = support::tui::screen(&m);
    // Sorted by status, the healthy feeds come last; the selected one's name shows whole.
    assert!(end.contains("Harbour Notes"), "{end}");
}

/// A story in three feeds, at the smallest size and a common one: its row says "+2",
/// the reader's header names the other feeds, and `c` asks for the next copy by id.
#[test]
fn a_story_row_and_its_copies_fit_at_every_size() {
    use bulletin::model::ItemId;
    use bulletin::tui::msg::Cmd;
    for (w, h) in [(40, 10), (120, 30)] {
        let mut m = fixture(w, h);
        for rows in m.articles.pages.values_mut() {
            rows[0].copies = 2;
        }
        let cmds = send(&mut m, code(KeyCode::Tab));
        serve_article(&mut m, &cmds);
        let list = support::tui::screen(&m);
        assert!(list.contains("+2 "), "{w}x{h}: {list}");
        let cmds = send(&mut m, code(KeyCode::Enter));
        let Some(Cmd::LoadArticle { req, id, .. }) = cmds
            .iter()
            .find(|c| matches!(c, Cmd::LoadArticle { .. }))
            .cloned()
        else {
            panic!("{w}x{h}: no article asked for: {cmds:?}");
        };
        let it = support::tui::item(id.0);
        let mut prepared = bulletin::article::Prepared::new(&it, "Safe Harbour Weekly");
        prepared.also_in = vec![
            (ItemId(id.0 + 100), "World".into()),
            (ItemId(id.0 + 200), "Europe".into()),
        ];
        send(
            &mut m,
            Msg::ArticleLoaded {
                req,
                item: Box::new(it),
                prepared: Box::new(prepared),
            },
        );
        let reader = support::tui::screen(&m);
        if w >= 80 {
            assert!(reader.contains("Also in: World, Europe"), "{reader}");
        }
        let cmds = send(&mut m, key('c'));
        assert!(
            cmds.iter()
                .any(|c| matches!(c, Cmd::LoadArticle { id: next, .. } if next.0 == id.0 + 100)),
            "{w}x{h}: {cmds:?}"
        );
        // Drawing it at this size must not panic, with the message on the status line.
        support::tui::screen(&m);
    }
}

/// A feed named in a wide script takes two columns a character: the titles of a list
/// over several feeds still start in one column (they were pushed right by as many
/// columns as the name had characters: a trial's find).
#[test]
fn titles_start_in_one_column_beside_a_feed_name_in_a_wide_script() {
    std::env::set_var("TZ", "UTC");
    let mut m = bulletin::tui::model::Model::new(
        bulletin::tui::keymap::Keymap::default(),
        support::tui::now(),
    );
    m.size = (120, 30);
    let mut feeds = support::tui::feeds();
    feeds[1].name = "技術ブログ・テックノート".into();
    send(&mut m, Msg::FeedsLoaded(feeds));
    let screen = support::tui::screen(&m);
    let starts: Vec<usize> = (0..m.articles.shown_len())
        .filter_map(|i| m.articles.shown_row(i))
        .map(|r| {
            let line = screen
                .lines()
                .find(|l| l.contains(&r.title))
                .expect("row shown");
            // A cell a character: the second cell of a wide one is a space here.
            line[..line.find(&r.title).unwrap()].chars().count()
        })
        .collect();
    assert!(
        starts.len() >= 2 && starts.windows(2).all(|w| w[0] == w[1]),
        "{starts:?}\n{screen}"
    );
}

/// At 60 and at 40 columns the `d` question still ends with its keys (it was cut before
/// "y/n"), and the key hints are the question's (n answers it).
#[test]
fn a_question_keeps_its_keys_on_a_narrow_screen() {
    for (w, h) in [(60, 15), (40, 10)] {
        question_at(w, h);
    }
}

fn question_at(w: u16, h: u16) {
    let mut m = fixture(w, h);
    let mut feeds = support::tui::feeds();
    feeds[0].name = "A feed with a rather long name for a narrow screen".into();
    send(&mut m, Msg::FeedsLoaded(feeds));
    for _ in 0..3 {
        send(&mut m, key('j'));
    }
    send(&mut m, key('d'));
    let screen = support::tui::screen(&m);
    let status = screen.lines().last().unwrap_or("");
    assert!(status.contains("? y/n"), "{screen}");
    assert!(!status.contains("next unread"), "{status}");
}
