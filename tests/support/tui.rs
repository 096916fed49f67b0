//! A model filled through real messages, for update and view tests.

use bulletin::article::Prepared;
use bulletin::model::{FeedId, FeedSummary, Item, ItemId, ItemRow};
use bulletin::tui::keymap::Keymap;
use bulletin::tui::model::Model;
use bulletin::tui::msg::{Cmd, Msg};
use bulletin::tui::update::{update, Outcome};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

pub fn feed(
    id: i64,
    name: &str,
    tags: &[&str],
    unread: u32,
    total: u32,
    error: Option<&str>,
) -> FeedSummary {
    FeedSummary {
        health: Default::default(),
        id: FeedId(id),
        url: format!("https://feeds.example/{id}"),
        name: name.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        unread,
        total,
        last_error: error.map(str::to_string),
        last_success: None,
        hidden: false,
        site: None,
    }
}

pub fn feeds() -> Vec<FeedSummary> {
    vec![
        feed(1, "Safe Harbour Weekly", &["security"], 2, 3, None),
        feed(
            2,
            "Lantern releases",
            &["software"],
            1,
            2,
            Some("HTTP 503 Service Unavailable"),
        ),
        feed(3, "Harbour Notes", &[], 0, 1, None),
    ]
}

pub fn row(id: i64, feed: i64, title: &str, day: u32, read: bool) -> ItemRow {
    ItemRow {
        id: ItemId(id),
        feed_id: FeedId(feed),
        title: title.into(),
        link: Some(format!("https://news.example/{id}")),
        published: Some(Utc.with_ymd_and_hms(2026, 11, day, 8, 0, 0).unwrap()),
        read,
        starred: false,
        story: id,
        copies: 0,
    }
}

/// Rows of each feed, newest first.
pub fn rows_of(feed: i64) -> Vec<ItemRow> {
    match feed {
        1 => vec![
            row(11, 1, "Issue 48: The invoice that wasn't", 23, false),
            row(12, 1, "Issue 47: Backups you have restored", 16, false),
            row(13, 1, "Issue 46: Passkeys", 9, true),
        ],
        2 => vec![
            row(21, 2, "Lantern 3.2.0", 20, false),
            row(22, 2, "Lantern 3.1.1", 2, true),
        ],
        _ => vec![row(31, 3, "Winter ferry timetable", 25, true)],
    }
}

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn code(k: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

/// Answers the page loads in `out` from the fixture rows, like the store thread would.
pub fn serve_pages(m: &mut Model, out: &Outcome) -> Vec<Cmd> {
    let mut more = Vec::new();
    for cmd in &out.cmds {
        if let Cmd::LoadPage {
            req,
            query,
            page,
            count,
        } = cmd
        {
            let mut rows: Vec<ItemRow> = match &query.scope {
                bulletin::store::Scope::Feed(id) => rows_of(id.0),
                bulletin::store::Scope::Feeds(ids) => {
                    ids.iter().flat_map(|id| rows_of(id.0)).collect()
                }
            };
            rows.sort_by_key(|r| std::cmp::Reverse(r.published));
            if query.unread_only {
                rows.retain(|r| !r.read);
            }
            // A stand-in for the index: every word in the title.
            if let Some(search) = &query.search {
                let fold = bulletin::search::fold;
                rows.retain(|r| {
                    search
                        .terms
                        .iter()
                        .all(|t| fold(&r.title).contains(&fold(&t.text)))
                });
            }
            let total = rows.len();
            let o = update(
                m,
                Msg::PageLoaded {
                    req: *req,
                    page: *page,
                    total: count.then_some(total),
                    rows: if *page == 0 { rows } else { vec![] },
                    upto: Some(bulletin::model::ItemId(i64::MAX)),
                },
            );
            more.extend(o.cmds.clone());
            more.extend(serve_pages(m, &o));
        }
    }
    more
}

/// Sends a message and answers any page loads it causes; returns all commands.
pub fn send(m: &mut Model, msg: Msg) -> Vec<Cmd> {
    let out = update(m, msg);
    let mut cmds = out.cmds.clone();
    cmds.extend(serve_pages(m, &out));
    cmds
}

pub fn fixture(width: u16, height: u16) -> Model {
    std::env::set_var("TZ", "UTC");
    let mut m = Model::new(Keymap::default(), now());
    m.size = (width, height);
    send(&mut m, Msg::FeedsLoaded(feeds()));
    m
}

pub fn item(id: i64) -> Item {
    Item {
        full_text: Default::default(),
        mailbox: None,
        unsubscribe: None,
        id: ItemId(id),
        feed_id: FeedId(1),
        feed_url: "https://feeds.example/1".into(),
        feed_title: Some("Safe Harbour Weekly".into()),
        title: "Issue 48: The invoice that wasn't".into(),
        link: Some("https://news.example/48".into()),
        author: Some("Ingrid Sol".into()),
        published: Some(Utc.with_ymd_and_hms(2026, 11, 23, 7, 30, 0).unwrap()),
        updated: None,
        summary_html: None,
        content_html: Some(
            "<h2>This week</h2><p>A firm paid a <strong>fake invoice</strong>. Read <a href=\"/guide\">the guide</a>.</p>\
             <ul><li>Call back on a known number.</li><li>Two people approve payments.</li></ul>"
                .into(),
        ),
        enclosures: vec![],
        read: false,
        starred: false,
    }
}

/// Answers a LoadArticle like the store thread would.
pub fn serve_article(m: &mut Model, cmds: &[Cmd]) {
    for cmd in cmds {
        if let Cmd::LoadArticle { req, id, .. } = cmd {
            let it = item(id.0);
            let prepared = Prepared::new(&it, "Safe Harbour Weekly");
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

/// The screen the model draws, as text (one line per row).
pub fn screen(m: &Model) -> String {
    let backend = ratatui::backend::TestBackend::new(m.size.0, m.size.1);
    let mut t = ratatui::Terminal::new(backend).unwrap();
    t.draw(|f| bulletin::tui::view::draw(f, m, &bulletin::tui::theme::Theme::new(false)))
        .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
