//! The cursor through list reloads (issue 26, item 1): a sync, a push, a refresh or a
//! mark from another process reloads the list while the user reads. Rows move under the
//! cursor; keys must act on the article the user had, by id, never on the row that took
//! its place. Each test fails on the code before the fix, where the selection stayed at
//! its row number.

mod support;

use bulletin::model::ItemId;
use bulletin::tui::model::{Model, Pane};
use bulletin::tui::msg::{Cmd, Msg};
use bulletin::tui::update::update;
use crossterm::event::KeyCode;
use support::tui::{code, fixture, key, row, screen, send, serve_article};

/// The list reload a CacheChanged starts: its request and the page it asked for.
fn reload(m: &mut Model) -> (bulletin::tui::msg::ReqId, Vec<usize>) {
    let out = update(m, Msg::CacheChanged);
    let pages: Vec<usize> = out
        .cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::LoadPage { page, .. } => Some(*page),
            _ => None,
        })
        .collect();
    assert!(!pages.is_empty(), "a reload asks for pages: {:?}", out.cmds);
    (m.articles.req, pages)
}

fn page(m: &mut Model, req: bulletin::tui::msg::ReqId, ids: &[i64]) -> Vec<Cmd> {
    let rows = ids
        .iter()
        .map(|&id| row(id, 1, &format!("Article {id}"), 20, false))
        .collect();
    update(
        m,
        Msg::PageLoaded {
            req,
            page: 0,
            total: Some(ids.len()),
            rows,
            // As the store reads it: the newest article, which a full list shows.
            upto: ids.iter().copied().max().map(ItemId),
        },
    )
    .cmds
}

/// The store's answer to the `Locate` in `cmds` (there must be one): the held article
/// is at `position`, or gone from the list, with the row it would be on (`place`) and
/// its row as the cache has it now. The article asked for, and what the update said.
fn locate(
    m: &mut Model,
    cmds: &[Cmd],
    position: Option<usize>,
    place: Option<usize>,
    row: Option<bulletin::model::ItemRow>,
) -> (ItemId, bulletin::tui::update::Outcome) {
    let (req, id) = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Locate { req, id, .. } => Some((*req, *id)),
            _ => None,
        })
        .expect("the store is asked where the article went");
    let out = update(
        m,
        Msg::Located {
            req,
            id,
            position,
            place,
            row: row.map(Box::new),
            next: None,
        },
    );
    (id, out)
}

fn starred(cmds: &[Cmd]) -> Option<ItemId> {
    cmds.iter().find_map(|c| match c {
        Cmd::SetStarred { id, .. } => Some(*id),
        _ => None,
    })
}

/// All unread (newest first: 11, 21, 12), cursor on the second row (Lantern 3.2.0, 21).
fn on_second_row() -> Model {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    send(&mut m, key('j'));
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(21));
    m
}

#[test]
fn new_articles_above_do_not_move_the_cursor_off_its_article() {
    let mut m = on_second_row();
    let (req, _) = reload(&mut m);
    // A key while the reload is on its way acts on the article under the cursor.
    assert_eq!(starred(&send(&mut m, key('s'))), Some(ItemId(21)));
    // Three new articles arrive above it.
    page(&mut m, req, &[90, 91, 92, 11, 21, 12]);
    assert_eq!(m.articles.selected, 4);
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(21));
    assert_eq!(starred(&send(&mut m, key('s'))), Some(ItemId(21)));
    // Moving goes on from there.
    send(&mut m, key('j'));
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(12));
}

#[test]
fn an_article_that_left_the_list_stays_under_the_keys_until_the_cursor_moves() {
    let mut m = on_second_row();
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    assert_eq!(m.reader.as_ref().unwrap().item.id, ItemId(21));
    assert_eq!(m.focus, Pane::Articles);
    // Another device read it: the unread list no longer holds it.
    let (req, _) = reload(&mut m);
    let cmds = page(&mut m, req, &[11, 12]);
    // Not on the page: the store is asked where it went.
    let (id, _) = locate(&mut m, &cmds, None, None, None);
    assert_eq!(id, ItemId(21));
    assert!(m.articles.detached());
    // It is still shown, at the cursor between the rows that were around it, so that
    // the keys act on a row the user sees (it went blank and Enter opened it unseen).
    let ghost = m.articles.held.clone().unwrap();
    // Gone from a list of unread articles: shown (and toggled) as read.
    assert!(ghost.read);
    assert_eq!(m.articles.shown_row(m.articles.selected), Some(&ghost));
    assert_eq!(m.articles.shown_len(), 3);
    let shown = screen(&m);
    let at = |t: &str| {
        shown
            .find(t)
            .unwrap_or_else(|| panic!("{t} not shown:\n{shown}"))
    };
    assert!(at("Article 11") < at(&ghost.title) && at(&ghost.title) < at("Article 12"));
    // Another reload (a refresh's, every second) looks for it again: it stays shown
    // the while, where it was, instead of vanishing for the round trip.
    let (req, _) = reload(&mut m);
    assert_eq!(m.articles.shown_row(m.articles.selected), Some(&ghost));
    let cmds = page(&mut m, req, &[11, 12]);
    assert_eq!(m.articles.shown_row(m.articles.selected), Some(&ghost));
    locate(&mut m, &cmds, None, Some(1), None);
    assert_eq!(m.articles.shown_row(m.articles.selected), Some(&ghost));
    assert_eq!(m.articles.shown_len(), 3);
    // Star, read and unread act on the article the reader shows, not on Issue 47
    // which now sits at its row number.
    assert_eq!(starred(&send(&mut m, key('s'))), Some(ItemId(21)));
    let cmds = send(&mut m, key('m'));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::SetRead { ids, .. } if ids == &vec![ItemId(21)])),
        "{cmds:?}"
    );
    assert_eq!(m.reader.as_ref().unwrap().item.id, ItemId(21));
    // M would mark rows above an article that is not in the list: it says so instead.
    assert!(send(&mut m, key('M')).is_empty());
    // j lets go: the cursor lands on the row that took its place, and the article
    // gone from the list is no longer shown.
    send(&mut m, key('j'));
    assert!(!m.articles.detached());
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(12));
    assert!(!screen(&m).contains(&ghost.title));
}

/// A window shrunk and grown back shows the list from its top again when it all fits
/// (it began at the cursor's row, with blank lines under it).
#[test]
fn a_window_grown_back_shows_the_rows_above_the_cursor() {
    let mut m = on_second_row();
    send(&mut m, key('j'));
    assert_eq!(m.articles.selected, 2);
    update(&mut m, Msg::Resize(20, 5));
    assert!(
        m.articles.offset > 0,
        "the cursor's row kept in a tiny window"
    );
    update(&mut m, Msg::Resize(120, 30));
    assert_eq!(m.articles.offset, 0);
}

#[test]
fn an_article_moved_past_the_loaded_pages_is_found_by_the_store() {
    let mut m = on_second_row();
    let (req, _) = reload(&mut m);
    // 300 new articles above it: page 0 does not hold it.
    let newer: Vec<i64> = (1000..1200).collect();
    let cmds = page(&mut m, req, &newer);
    let (_, out) = locate(&mut m, &cmds, Some(301), None, None);
    assert_eq!(m.articles.selected, 301);
    assert!(
        out.cmds
            .iter()
            .any(|c| matches!(c, Cmd::LoadPage { page: 1, .. })),
        "its page is loaded: {:?}",
        out.cmds
    );
    // Until that page arrives, keys act on the held article.
    assert_eq!(starred(&send(&mut m, key('s'))), Some(ItemId(21)));
}

#[test]
fn in_the_reader_keys_act_on_the_open_article() {
    let mut m = on_second_row();
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, Pane::Reader);
    // The list moved on under the reader (a reload put another row at the cursor).
    let (req, _) = reload(&mut m);
    page(&mut m, req, &[90, 11, 12]);
    assert_eq!(starred(&send(&mut m, key('s'))), Some(ItemId(21)));
}

/// `StoreFailed` for a mark: the optimistic mark is taken back and its undo step goes.
#[test]
fn a_mark_the_cache_refused_is_taken_back() {
    let mut m = on_second_row();
    send(&mut m, key('s'));
    assert!(m.articles.selected_row().unwrap().starred);
    assert_eq!(m.undo.len(), 1);
    update(
        &mut m,
        Msg::MarkFailed {
            error: "Cache: disk full".into(),
            mark: Some(bulletin::tui::model::Undo::Star {
                id: ItemId(21),
                starred: true,
            }),
        },
    );
    assert!(m.undo.is_empty(), "no undo step for a mark never made");
    assert!(m.message.as_deref().unwrap().contains("not kept"));
    assert!(!m.articles.selected_row().unwrap().starred);
}

fn feed_xml(items: &[(&str, u32)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Seams</title><link>https://example.org/</link>",
    );
    for (title, day) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><guid>{title}</guid><link>https://example.org/{day}</link>\
             <pubDate>{day:02} Nov 2026 10:00:00 +0000</pubDate><description>Body of {title}.</description></item>"
        ));
    }
    s + "</channel></rss>"
}

/// The real binary in tmux: an article is open, a cron `bulletin refresh` in another
/// process brings three newer articles (the list reloads, every row moves down three),
/// then another device reads an article (the open one, read when opened, leaves All
/// unread too), and `s` stars the article the user had, as the cache says afterwards.
/// Before, the cursor stayed at its row number and `s` starred whatever sat there.
#[test]
fn a_refresh_from_another_process_under_the_open_article_moves_no_key() {
    use std::sync::{Arc, Mutex};
    let server = support::Server::start();
    let items = Arc::new(Mutex::new(feed_xml(&[
        ("Alpha", 3),
        ("Bravo", 2),
        ("Charlie", 1),
    ])));
    {
        let items = items.clone();
        server.route("/feed.xml", move |_| {
            support::Reply::ok("application/rss+xml", items.lock().unwrap().clone())
        });
    }
    let env = support::Env::new(&format!(
        "[general]\nrefresh_on_startup = false\n\n[[feed]]\nurl = \"{}\"\nname = \"Seams\"\n",
        server.url("/feed.xml")
    ));
    env.ok(&["refresh"]);
    let tmux = support::tmux::Tmux::new(env.path());
    tmux.start(&env);
    tmux.wait_for("Charlie");
    // All unread: Alpha, Bravo, Charlie. Open Bravo.
    tmux.keys(&["Tab", "j", "Enter"]);
    tmux.wait_for("Body of Bravo.");
    *items.lock().unwrap() = feed_xml(&[
        ("Xray", 9),
        ("Yankee", 8),
        ("Zulu", 7),
        ("Alpha", 3),
        ("Bravo", 2),
        ("Charlie", 1),
    ]);
    env.ok(&["refresh"]);
    tmux.wait_for("Zulu");
    // Another device reads Charlie: All unread reloads without Bravo (read when opened)
    // and without Charlie; the row Bravo had is someone else's now.
    let charlie = env.item_id("Charlie");
    env.ok(&["mark-read", &charlie]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while tmux.screen().lines().any(|l| l.contains("Charlie")) {
        assert!(std::time::Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tmux.keys(&["s"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let starred = env.titles(&["items", "--starred", "--json"]);
        if !starred.is_empty() {
            assert_eq!(starred, ["Bravo"], "{}", tmux.screen());
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    tmux.keys(&["q", "q", "q"]);
    tmux.wait_exit();
}

/// Any reload that keeps the selection keeps it on its article, whoever asks for it:
/// here the feed counts grew (new articles arrived) and the list reloads on its own.
#[test]
fn a_reload_for_new_counts_keeps_the_cursor_on_its_article() {
    let mut m = on_second_row();
    let mut feeds = support::tui::feeds();
    feeds[0].unread += 3;
    feeds[0].total += 3;
    let out = update(&mut m, Msg::FeedsLoaded(feeds));
    let req = m.articles.req;
    assert!(
        out.cmds.iter().any(|c| matches!(c, Cmd::LoadPage { .. })),
        "{:?}",
        out.cmds
    );
    assert_eq!(starred(&send(&mut m, key('s'))), Some(ItemId(21)));
    page(&mut m, req, &[90, 91, 92, 11, 21, 12]);
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(21));
    assert_eq!(m.articles.selected, 4);
}

/// `A` and `M` between a refresh's new articles landing and the list showing them: the
/// mark stops at the newest article the list was read with, so what came after (never
/// on screen) stays unread; once the reload shows them, a mark takes them too.
#[test]
fn a_mark_leaves_unread_what_came_after_the_list() {
    let mut m = on_second_row();
    let req = m.articles.req;
    page(&mut m, req, &[11, 21, 12]);
    let bound = |cmds: &[Cmd]| -> Vec<ItemId> {
        cmds.iter()
            .filter_map(|c| match c {
                Cmd::MarkRead { upto, .. } | Cmd::MarkAboveRead { upto, .. } => Some(*upto),
                _ => None,
            })
            .collect()
    };
    // The cron refresh wrote 30 and 31; the reload is asked but has not come.
    let (req, _) = reload(&mut m);
    assert_eq!(bound(&send(&mut m, key('A'))), [ItemId(21)]);
    assert!(send(&mut m, key('C')).is_empty(), "C asks first");
    assert_eq!(bound(&send(&mut m, key('y'))), [ItemId(21)]);
    // The reload shows them: now they are the list's, and a mark takes them.
    page(&mut m, req, &[31, 30, 11, 21, 12]);
    assert_eq!(bound(&send(&mut m, key('A'))), [ItemId(31)]);
    send(&mut m, key('j'));
    send(&mut m, key('j'));
    assert_eq!(bound(&send(&mut m, key('M'))), [ItemId(31)]);
}

/// Another list opened: until its first page comes nothing of it is on screen, and `A`
/// marks nothing (the bound of the list before is not this one's).
#[test]
fn a_on_a_list_not_come_yet_marks_nothing() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let req = m.articles.req;
    page(&mut m, req, &[11, 21, 12]);
    send(&mut m, code(KeyCode::BackTab));
    let out = update(&mut m, key('j'));
    assert!(
        out.cmds.iter().any(|c| matches!(c, Cmd::LoadPage { .. })),
        "{:?}",
        out.cmds
    );
    assert!(send(&mut m, key('A')).is_empty());
    assert_eq!(m.message.as_deref(), Some("Nothing to mark read"));
}

/// While the TUI's own refresh runs, a mark made by another process (`bulletin
/// mark-read`) shows at the next tick, not when the refresh ends: the list is reloaded,
/// its cursor kept on its article, at most once a tick.
#[test]
fn a_mark_from_another_process_shows_while_a_refresh_runs() {
    let mut m = on_second_row();
    update(&mut m, Msg::RefreshStarted { total: 5 });
    assert!(m.is_busy());
    let out = update(&mut m, Msg::CacheChanged);
    assert!(out.cmds.is_empty(), "{:?}", out.cmds);
    update(&mut m, Msg::CacheChanged);
    let loads = |cmds: &[Cmd]| {
        cmds.iter()
            .filter(|c| matches!(c, Cmd::LoadPage { .. } | Cmd::LoadFeeds))
            .count()
    };
    let out = update(&mut m, Msg::Tick);
    assert!(out.cmds.iter().any(|c| matches!(c, Cmd::LoadFeeds)));
    // The list within five ticks (a second), once.
    let pages: usize = (0..5)
        .map(|_| {
            update(&mut m, Msg::Tick)
                .cmds
                .iter()
                .filter(|c| matches!(c, Cmd::LoadPage { .. }))
                .count()
        })
        .sum();
    assert!(pages >= 1, "the list is reloaded within a second");
    assert_eq!(m.articles.selected_row().map(|r| r.id), Some(ItemId(21)));
    let later: usize = (0..10)
        .map(|_| loads(&update(&mut m, Msg::Tick).cmds))
        .sum();
    assert_eq!(later, 0, "once, not every tick");
}

/// `H` with the cursor on a read article: it leaves the list, and so do the read rows
/// above it. `j` lands on the row after where it was and `k` on the one before, not on
/// whatever row now has its old row number.
#[test]
fn hiding_read_rows_keeps_j_and_k_next_to_the_article_that_left() {
    for (key_pressed, expected) in [('j', 5), ('k', 9)] {
        let mut m = fixture(120, 30);
        send(&mut m, code(KeyCode::Tab));
        let req = m.articles.req;
        // Eight rows; the cursor on the seventh (6), read, after read rows 8 and 7.
        page(&mut m, req, &[9, 8, 7, 6, 5, 4, 3, 2]);
        m.articles.selected = 3;
        let (req, _) = reload(&mut m);
        // The unread rows: 9, 5, 4, 3, 2. The store says 6 is gone, and that one row
        // (9; 8 and 7 were read) comes before where it stood.
        page(&mut m, req, &[9, 5, 4, 3, 2]);
        update(
            &mut m,
            Msg::Located {
                req,
                id: ItemId(6),
                position: None,
                place: Some(1),
                row: None,
                next: None,
            },
        );
        assert!(m.articles.detached());
        send(&mut m, key(key_pressed));
        assert_eq!(
            m.articles.selected_row().unwrap().id,
            ItemId(expected),
            "{key_pressed}"
        );
    }
}

/// `j` pressed while a reload is on its way (a cron refresh put new rows above): the
/// move waits for where the cursor's article lands and goes on from there, instead of
/// moving from its old row number onto an article the user never passed.
#[test]
fn a_move_during_a_reload_goes_from_the_article_not_its_old_row() {
    let mut m = on_second_row();
    let (req, _) = reload(&mut m);
    send(&mut m, key('j'));
    send(&mut m, key('j'));
    send(&mut m, key('k'));
    // Still on its article until the page says where it is.
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(21));
    page(&mut m, req, &[90, 91, 92, 11, 21, 12, 13]);
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(12));
    // Then keys move as ever.
    send(&mut m, key('j'));
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(13));
}

/// `G` or `g` pressed while a reload is on its way: the jump is kept as a jump (the
/// last one wins), not summed with the moves before it into a step of one row.
#[test]
fn a_jump_during_a_reload_stays_a_jump() {
    let mut m = on_second_row();
    let (req, _) = reload(&mut m);
    send(&mut m, key('g'));
    send(&mut m, key('G'));
    send(&mut m, key('G'));
    page(&mut m, req, &[90, 91, 92, 11, 21, 12, 13]);
    assert_eq!(m.articles.selected_row().unwrap().id, ItemId(13));
}

/// `C` is bounded by the feed counts it was shown with (`FeedsUpto`, read with them),
/// and the rows shown read at once are those under that bound only.
#[test]
fn c_stops_at_the_newest_article_the_feed_counts_knew() {
    let mut m = on_second_row();
    let req = m.articles.req;
    page(&mut m, req, &[30, 11, 21, 12]);
    update(&mut m, Msg::FeedsUpto(Some(ItemId(21))));
    // Anything but y at the question marks nothing.
    send(&mut m, key('C'));
    assert!(send(&mut m, key('n')).is_empty());
    assert!(m.articles.row(1).is_some_and(|r| !r.read));
    send(&mut m, key('C'));
    // New counts while the question is open (a refresh's): the answer keeps to what the
    // user saw when pressing C.
    update(&mut m, Msg::FeedsUpto(Some(ItemId(30))));
    let cmds = send(&mut m, key('y'));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::MarkRead { upto, .. } if *upto == ItemId(21))),
        "{cmds:?}"
    );
    let read: Vec<(i64, bool)> = (0..4)
        .map(|i| m.articles.row(i).map(|r| (r.id.0, r.read)).unwrap())
        .collect();
    assert_eq!(read, [(30, false), (11, true), (21, true), (12, true)]);
}

/// The article open in the reader follows a refresh that rewrote it (its title, its
/// text), at the place read to; it kept the old text until opened again. An article the
/// user opens while such a reload is on its way is the one shown.
#[test]
fn the_open_article_follows_a_refresh_that_rewrote_it() {
    use bulletin::article::Prepared;
    let mut m = on_second_row();
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    assert_eq!(m.reader.as_ref().unwrap().item.id, ItemId(21));
    m.reader.as_mut().unwrap().scroll = 1;
    let load = |cmds: &[Cmd]| {
        cmds.iter().find_map(|c| match c {
            Cmd::LoadArticle { req, id, .. } => Some((*req, *id)),
            _ => None,
        })
    };
    let answer = |m: &mut Model, req, title: &str| {
        let id = m.reader.as_ref().map_or(21, |r| r.item.id.0);
        let mut it = support::tui::item(if title == "Opened" { 12 } else { id });
        it.title = title.into();
        let prepared = Prepared::new(&it, "Safe Harbour Weekly");
        update(
            m,
            Msg::ArticleLoaded {
                req,
                item: Box::new(it),
                prepared: Box::new(prepared),
            },
        )
    };
    let (req, id) = load(&update(&mut m, Msg::CacheChanged).cmds).expect("read again");
    assert_eq!(id, ItemId(21));
    // Unchanged: nothing to redraw, the place kept.
    let same = m.reader.as_ref().unwrap().item.title.clone();
    assert!(!answer(&mut m, req, &same).redraw);
    // Rewritten: the new title shows, at the place read to.
    let (req, _) = load(&update(&mut m, Msg::CacheChanged).cmds).unwrap();
    answer(&mut m, req, "Lantern 3.2.1 (rewritten)");
    let r = m.reader.as_ref().unwrap();
    assert_eq!(r.item.title, "Lantern 3.2.1 (rewritten)");
    assert_eq!(r.scroll, 1);
    assert!(bulletin::render::to_plain(&r.lines).starts_with("Lantern 3.2.1 (rewritten)"));
    // A reload on its way, then the user opens another article: that one is shown,
    // from its start, and the reload's answer is dropped.
    let (stale, _) = load(&update(&mut m, Msg::CacheChanged).cmds).unwrap();
    let list = m.articles.req;
    page(&mut m, list, &[11, 21, 12]);
    send(&mut m, key('j'));
    let (req, id) = load(&send(&mut m, code(KeyCode::Enter))).expect("opened");
    assert_eq!(id, ItemId(12));
    assert_ne!(req, stale);
    answer(&mut m, stale, "stale");
    assert_ne!(m.reader.as_ref().unwrap().item.title, "stale");
    answer(&mut m, req, "Opened");
    let r = m.reader.as_ref().unwrap();
    assert_eq!((r.item.id, r.item.title.as_str()), (ItemId(12), "Opened"));
    assert_eq!(r.scroll, 0, "opened from its start");
}

/// An unread article read from another shell leaves the unread list: the row kept
/// under the cursor shows it as the cache has it now (read, its new title), so `m`
/// makes it unread in one press (it showed the stale unread mark, and `m` first marked
/// it read again).
#[test]
fn an_article_read_elsewhere_is_shown_read_where_it_stays() {
    let mut m = on_second_row();
    assert!(!m.articles.selected_row().unwrap().read);
    let (req, _) = reload(&mut m);
    let cmds = page(&mut m, req, &[11, 12]);
    // As the cache has it now: read, and retitled by a refresh.
    let now = row(21, 2, "Lantern 3.2.0 (retitled)", 20, true);
    locate(&mut m, &cmds, None, Some(1), Some(now));
    let ghost = m.articles.ghost().unwrap();
    assert!(ghost.read);
    assert_eq!(ghost.title, "Lantern 3.2.0 (retitled)");
    assert!(screen(&m).contains("Lantern 3.2.0 (retitled)"));
    // At 40x10 too (one pane at a time): the kept row is drawn, between its neighbours.
    m.size = (40, 10);
    update(&mut m, Msg::Resize(40, 10));
    let small = screen(&m);
    let at = |t: &str| small.find(t).unwrap_or_else(|| panic!("{t}:\n{small}"));
    assert!(at("Article 11") < at("Lantern 3.2.0") && at("Lantern 3.2.0") < at("Article 12"));
    let cmds = send(&mut m, key('m'));
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Cmd::SetRead { ids, read: false } if ids == &vec![ItemId(21)]
        )),
        "{cmds:?}"
    );
}

/// The cursor on a feed's row, by id: the feed list's row of feed `id`.
fn select_feed(m: &mut Model, id: i64) {
    let at = m
        .feeds_pane
        .rows
        .iter()
        .position(|r| matches!(r, bulletin::tui::model::FeedRow::Feed(i) if m.feeds[*i].id.0 == id))
        .expect("the feed has a row");
    m.feeds_pane.selected = at;
}

fn selected_feed(m: &Model) -> Option<i64> {
    match m.selected_feed_row() {
        Some(bulletin::tui::model::FeedRow::Feed(i)) => Some(m.feeds[*i].id.0),
        _ => None,
    }
}

/// A permanent redirect gives the feed under the cursor another address (and, written
/// into the config, can put it elsewhere in the list): the cursor stays on the feed. It
/// stayed on the row's place, another feed, whose article the next key marked.
#[test]
fn a_feed_moved_by_a_redirect_keeps_the_cursor() {
    let mut m = fixture(120, 30);
    select_feed(&mut m, 1);
    send(&mut m, code(KeyCode::Tab));
    let mut feeds = support::tui::feeds();
    let mut moved = feeds.remove(0);
    moved.url = "https://moved.example/1".into();
    feeds.push(moved);
    update(&mut m, Msg::FeedsLoaded(feeds));
    assert_eq!(selected_feed(&m), Some(1));
    assert_eq!(m.focus, Pane::Articles);
}

/// The feed being read is removed from another shell: the cursor goes back to the feed
/// list, where `m` and `s` touch no article (the list beside it is another row's).
#[test]
fn a_feed_removed_elsewhere_sends_the_cursor_back_to_the_feed_list() {
    let mut m = fixture(120, 30);
    select_feed(&mut m, 1);
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, Pane::Articles);
    let mut feeds = support::tui::feeds();
    feeds.remove(0);
    update(&mut m, Msg::FeedsLoaded(feeds));
    assert_eq!(m.focus, Pane::Feeds);
    assert_ne!(selected_feed(&m), Some(1));
    for k in ['m', 's'] {
        let cmds = send(&mut m, key(k));
        assert!(
            !cmds
                .iter()
                .any(|c| matches!(c, Cmd::SetRead { .. } | Cmd::SetStarred { .. })),
            "{k}: {cmds:?}"
        );
        assert!(m.message.as_deref().unwrap_or("").contains("feed list"));
    }
}

/// Rows marked read in a list of unread articles leave the cache's list, so a page
/// counted from the cache past them starts as many rows further on: a tester's cursor
/// passed over the five rows after row 200 once five above were read. The list is read
/// again from the cursor's article before the cursor or the window goes there.
#[test]
fn rows_read_above_do_not_shift_the_next_page() {
    let mut m = fixture(120, 30);
    assert!(m.articles.query.as_ref().unwrap().unread_only);
    let ids: Vec<i64> = (0..400).map(|i| 10_000 - i).collect();
    let rows = |ids: &[i64]| -> Vec<bulletin::model::ItemRow> {
        ids.iter()
            .map(|&id| row(id, 1, &format!("Article {id}"), 20, false))
            .collect()
    };
    let req = m.articles.req;
    update(
        &mut m,
        Msg::PageLoaded {
            req,
            page: 0,
            total: Some(400),
            rows: rows(&ids[..200]),
            upto: Some(ItemId(10_000)),
        },
    );
    update(&mut m, code(KeyCode::Tab));
    for _ in 0..5 {
        update(&mut m, key('m'));
        update(&mut m, key('j'));
    }
    // Down until the window reaches the second page: the list is read again first.
    let mut before = None;
    let mut asked = Vec::new();
    for _ in 0..200 {
        before = m.articles.selected_row().map(|r| r.id);
        let out = update(&mut m, key('j'));
        asked = out
            .cmds
            .iter()
            .filter_map(|c| match c {
                Cmd::LoadPage { req, page, .. } => Some((*req, *page)),
                _ => None,
            })
            .collect();
        if !asked.is_empty() {
            break;
        }
    }
    let before = before.unwrap();
    assert!(
        asked.iter().all(|(r, _)| *r != req),
        "no page of the old count: {asked:?}"
    );
    assert_eq!(m.articles.want, Some(before));
    let at = ids.iter().position(|&id| ItemId(id) == before).unwrap();
    // The cache's list, the five read rows gone.
    let (new_req, _) = asked[0];
    update(
        &mut m,
        Msg::PageLoaded {
            req: new_req,
            page: 0,
            total: Some(395),
            rows: rows(&ids[5..205]),
            upto: Some(ItemId(10_000)),
        },
    );
    assert_eq!(
        m.articles.selected_row().map(|r| r.id),
        Some(ItemId(ids[at + 1])),
        "the row after the cursor's, none passed over"
    );
}

/// A refresh commits new rows above between the reload's pages and the store's answer
/// of where the cursor's article went: the answer is in the new list, the pages in the
/// old, and the cursor landed as many rows too far on. Now the list is read again.
#[test]
fn an_answer_from_a_list_that_changed_since_its_pages_reads_it_again() {
    let mut m = on_second_row();
    let (req, _) = reload(&mut m);
    // 21 was read elsewhere: the pages hold 11, 12, 13.
    let cmds = page(&mut m, req, &[11, 12, 13]);
    assert!(cmds.iter().any(|c| matches!(c, Cmd::Locate { .. })));
    // Meanwhile 95 arrived where 21 stood: the store's list is 11, 95, 12, 13.
    let out = update(
        &mut m,
        Msg::Located {
            req,
            id: ItemId(21),
            position: None,
            place: Some(1),
            row: None,
            next: Some(ItemId(95)),
        },
    );
    let again = out
        .cmds
        .iter()
        .find_map(|c| match c {
            Cmd::LoadPage { req, .. } => Some(*req),
            _ => None,
        })
        .expect("the list is read again");
    assert_ne!(again, req);
    assert_eq!(m.articles.want, Some(ItemId(21)));
    // The new list: 21 would stand at 1, where 95 is now, in the pages too.
    page(&mut m, again, &[11, 95, 12, 13]);
    update(
        &mut m,
        Msg::Located {
            req: again,
            id: ItemId(21),
            position: None,
            place: Some(1),
            row: None,
            next: Some(ItemId(95)),
        },
    );
    send(&mut m, key('j'));
    assert_eq!(m.articles.selected_row().map(|r| r.id), Some(ItemId(95)));
}

/// Opened, an article is marked read as the store is asked for it: the store's answer
/// may carry the unread mark it read first. The reader shows the list's mark, so the
/// first `m` there makes it unread (it marked it read again, and a second `m` was
/// needed: a trial's find).
#[test]
fn the_first_m_in_the_reader_makes_an_article_just_opened_unread() {
    let mut m = on_second_row();
    assert!(!m.articles.selected_row().unwrap().read);
    let cmds = send(&mut m, code(KeyCode::Enter));
    let order: Vec<&str> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::SetRead { .. } => Some("mark"),
            Cmd::LoadArticle { .. } => Some("load"),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["mark", "load"], "the mark goes to the store first");
    serve_article(&mut m, &cmds);
    assert!(m.reader.as_ref().unwrap().item.read);
    send(&mut m, code(KeyCode::Tab));
    assert_eq!(m.focus, Pane::Reader);
    let marks: Vec<(Vec<ItemId>, bool)> = send(&mut m, key('m'))
        .into_iter()
        .filter_map(|c| match c {
            Cmd::SetRead { ids, read } => Some((ids, read)),
            _ => None,
        })
        .collect();
    assert_eq!(marks, [(vec![ItemId(21)], false)]);
}

/// Answers a LoadArticle as a story in three feeds: 11 (Alpha), 111 (Beta), 211 (Epsilon),
/// each copy with a link of its own.
fn serve_copy(m: &mut Model, cmds: &[Cmd]) {
    let copies = [
        (ItemId(11), "Alpha"),
        (ItemId(111), "Beta"),
        (ItemId(211), "Epsilon"),
    ];
    for cmd in cmds {
        if let Cmd::LoadArticle { req, id, .. } = cmd {
            let mut it = support::tui::item(id.0);
            it.link = Some(format!("https://copy.example/{}", id.0));
            let mut prepared = bulletin::article::Prepared::new(&it, "Alpha");
            prepared.also_in = copies
                .iter()
                .filter(|(c, _)| c != id)
                .map(|(c, n)| (*c, n.to_string()))
                .collect();
            update(
                m,
                Msg::ArticleLoaded {
                    req: *req,
                    item: Box::new(it),
                    prepared: Box::new(prepared),
                },
            );
        }
    }
}

/// `c` pressed in the list on a story's row goes round its copies from the one on screen,
/// and every key there acts on that copy (a trial: `c` always showed Beta's copy, then
/// `o` opened Alpha's link, Enter opened Alpha again).
#[test]
fn keys_on_a_storys_row_act_on_the_copy_on_screen() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter)); // row 11; the cursor stays in the list
    serve_copy(&mut m, &cmds);
    for next in [111, 211, 11, 111, 211] {
        let cmds = send(&mut m, key('c'));
        assert!(
            matches!(cmds.as_slice(), [Cmd::LoadArticle { id, .. }] if id.0 == next),
            "{cmds:?}"
        );
        serve_copy(&mut m, &cmds);
    }
    assert_eq!(m.reader.as_ref().unwrap().item.id, ItemId(211));
    let url = "https://copy.example/211".to_string();
    assert_eq!(send(&mut m, key('o')), vec![Cmd::OpenUrl(url.clone())]);
    assert_eq!(send(&mut m, key('y')), vec![Cmd::CopyToClipboard(url)]);
    assert_eq!(
        send(&mut m, key('s')),
        vec![Cmd::SetStarred {
            id: ItemId(211),
            starred: true
        }]
    );
    assert!(
        m.articles.row(0).unwrap().starred,
        "the row shows the story's star"
    );
    assert!(m.reader.as_ref().unwrap().item.starred);
    // Enter on the row: the copy full screen, nothing loaded again.
    let cmds = send(&mut m, code(KeyCode::Enter));
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::LoadArticle { .. })),
        "{cmds:?}"
    );
    assert!(m.fullscreen);
    assert_eq!(m.reader.as_ref().unwrap().item.id, ItemId(211));
}

/// `J` in the full-screen reader shows the next feed-list row's articles, and the keys
/// act on what is shown: the reader hid the new list, and `m` marked its cursor's
/// article, not the one on screen (a trial). On All unread, `o` and `y` in the feed list
/// act on no article.
#[test]
fn j_in_the_full_screen_reader_shows_the_list_it_moved_to() {
    let mut m = fixture(120, 30);
    send(&mut m, code(KeyCode::Tab));
    let cmds = send(&mut m, code(KeyCode::Enter));
    serve_article(&mut m, &cmds);
    send(&mut m, key('z'));
    assert!(m.fullscreen);
    let open = m.reader.as_ref().unwrap().item.id;
    send(&mut m, key('J'));
    assert!(!m.fullscreen, "the list moved to is shown");
    assert_eq!(m.focus, Pane::Articles);
    // `m` marks the row under the cursor in the list shown, not the article that was
    // on screen.
    let row = m.articles.selected_row().map(|r| r.id);
    assert!(row.is_some_and(|r| r != open), "{row:?}");
    let cmds = send(&mut m, key('m'));
    let marked: Vec<ItemId> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::SetRead { ids, .. } => Some(ids.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(marked, vec![row.unwrap()], "the open article was {open:?}");
    // The feed list on All unread: no site, and no article chosen there.
    let mut m = fixture(120, 30);
    assert_eq!(m.focus, Pane::Feeds);
    assert!(send(&mut m, key('o')).is_empty());
    assert!(send(&mut m, key('y')).is_empty());
    assert!(
        m.message.as_deref().unwrap_or("").contains("Not a feed"),
        "{:?}",
        m.message
    );
}
