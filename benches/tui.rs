//! Key press to redrawn frame on a model over a 200k-item list: update + draw on a
//! TestBackend, with pages answered as the store thread would; the same while a store
//! and a parser work on the other threads, as the TUI's store and refresh threads do
//! during a refresh.

use bulletin::model::{FeedId, FeedSummary, ItemId, ItemRow};
use bulletin::tui::model::{Model, PAGE_SIZE};
use bulletin::tui::msg::{Cmd, Msg};
use bulletin::tui::theme::Theme;
use bulletin::tui::update::update;
use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const FEEDS: usize = 1000;
const ITEMS: usize = 200_000;

fn feeds() -> Vec<FeedSummary> {
    (0..FEEDS)
        .map(|i| FeedSummary {
            health: Default::default(),
            id: FeedId(i as i64 + 1),
            url: format!("http://127.0.0.1:8766/feeds/{i}.xml"),
            name: format!("Feed number {i}"),
            tags: vec![],
            unread: (ITEMS / FEEDS) as u32,
            total: (ITEMS / FEEDS) as u32,
            last_error: None,
            last_success: None,
            hidden: false,
            site: None,
        })
        .collect()
}

fn page(p: usize) -> Vec<ItemRow> {
    (p * PAGE_SIZE..((p + 1) * PAGE_SIZE).min(ITEMS))
        .map(|i| ItemRow {
            id: ItemId(i as i64),
            feed_id: FeedId((i % FEEDS) as i64 + 1),
            title: format!("A headline of moderate length for item {i}"),
            link: None,
            published: None,
            read: false,
            starred: false,
            story: i as i64,
            copies: 0,
        })
        .collect()
}

fn answer(m: &mut Model, cmds: Vec<Cmd>) {
    for cmd in cmds {
        if let Cmd::LoadPage {
            req,
            page: p,
            count,
            ..
        } = cmd
        {
            // A list over many feeds (with stories on, copies share a row) is counted
            // by the store.
            let more = update(
                m,
                Msg::PageLoaded {
                    req,
                    page: p,
                    total: count.then_some(ITEMS),
                    rows: page(p),
                    upto: Some(bulletin::model::ItemId(i64::MAX)),
                },
            )
            .cmds;
            answer(m, more);
        }
    }
}

/// A model on the article list of 1,000 feeds and 200,000 articles, its first pages in.
fn listing() -> Model {
    let mut m = Model::new(Default::default(), chrono::Utc::now());
    m.size = (160, 48);
    let cmds = update(&mut m, Msg::FeedsLoaded(feeds())).cmds;
    answer(&mut m, cmds);
    let cmds = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
    )
    .cmds;
    answer(&mut m, cmds);
    assert_eq!(m.articles.total, ITEMS);
    m
}

/// One key, `j` or `k` in turn, through `update` and `draw`.
fn key_and_frame(m: &mut Model, term: &mut Terminal<TestBackend>, theme: &Theme, down: bool) {
    let key = if down { 'j' } else { 'k' };
    let out = update(
        m,
        Msg::Key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE)),
    );
    answer(m, out.cmds);
    term.draw(|f| bulletin::tui::view::draw(f, m, theme))
        .unwrap();
}

fn key_to_frame(c: &mut Criterion) {
    let mut m = listing();
    let theme = Theme::new(false);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut flip = false;
    c.bench_function("key press to frame (200k items, 1000 feeds)", |b| {
        b.iter(|| {
            flip = !flip;
            key_and_frame(&mut m, &mut term, &theme, flip);
        })
    });
    let bottom = Msg::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::NONE));
    let top = Msg::Key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE));
    c.bench_function("jump to bottom and back (200k items)", |b| {
        b.iter(|| {
            for k in [&bottom, &top] {
                let out = update(&mut m, k.clone());
                answer(&mut m, out.cmds);
                term.draw(|f| bulletin::tui::view::draw(f, &m, &theme))
                    .unwrap();
            }
        })
    });
}

/// A 200-item RSS feed whose items are new each time `round` changes.
fn rss(round: usize) -> String {
    let mut s = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Busy</title><link>http://127.0.0.1:1/</link>");
    for i in 0..200 {
        s.push_str(&format!(
            "<item><title>Round {round} item {i}</title><link>http://127.0.0.1:1/{round}/{i}</link>\
             <description><![CDATA[<p>Paragraph {i} of round {round}, with <a href=\"/x\">a link</a> and words enough \
             to be indexed, compressed and compared, as a bulletin's are.</p>]]></description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// The key press of `key_to_frame` while two threads work as a refresh makes the TUI's
/// work: one writes new feeds of 200 items into a real cache (a transaction a feed, the
/// triggers, the search index's batches), the other parses feeds. The UI thread shares
/// no lock with them (it only sends and receives messages), so what this measures is
/// what sharing the cores costs a key.
fn key_to_frame_while_busy(c: &mut Criterion) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let writer = {
        let (stop, path) = (stop.clone(), path.clone());
        std::thread::spawn(move || {
            let mut store = bulletin::store::Store::open(&path).unwrap();
            let mut round = 0;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                let url = format!("http://127.0.0.1:1/feed/{round}");
                let parsed =
                    bulletin::parse::parse_feed(rss(round).as_bytes(), None, &url).unwrap();
                let spec = bulletin::config::FeedSpec {
                    options: Default::default(),
                    url,
                    name: None,
                    hidden: false,
                    remote: None,
                    mailbox: None,
                    tags: vec![],
                };
                let id = store.sync_feeds(std::slice::from_ref(&spec)).unwrap()[0];
                let prepared = bulletin::store::PreparedFeed::new(parsed);
                store
                    .apply(
                        id,
                        &prepared,
                        &Default::default(),
                        Some(200),
                        chrono::Utc::now(),
                        0,
                    )
                    .unwrap();
                if round % 5 == 0 {
                    store.index_some(&Default::default(), 500).unwrap();
                }
            }
            round
        })
    };
    let parser = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let body = rss(0);
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let parsed =
                    bulletin::parse::parse_feed(body.as_bytes(), None, "http://127.0.0.1:1/p");
                n += parsed.map(|p| p.items.len()).unwrap_or(0);
            }
            n
        })
    };
    let mut m = listing();
    let theme = Theme::new(false);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut flip = false;
    c.bench_function("key press to frame while a store and a parser work", |b| {
        b.iter(|| {
            flip = !flip;
            key_and_frame(&mut m, &mut term, &theme, flip);
        })
    });
    stop.store(true, Ordering::Relaxed);
    let rounds = writer.join().unwrap();
    parser.join().unwrap();
    // The store really worked meanwhile.
    assert!(rounds > 1, "the writer wrote {rounds} feeds");
}

/// Scrolling the reader, full screen, with three pictures on screen (half-blocks: every
/// cell of a picture is drawn from the buffer at each frame). Target: under 16 ms.
fn scroll_with_pictures(c: &mut Criterion) {
    use bulletin::tui::images::{picker, Picture};
    use std::sync::Arc;
    let mut m = Model::new(Default::default(), chrono::Utc::now());
    m.size = (160, 48);
    m.images_on = true;
    // Full screen on the reader, so that the three pictures fit.
    m.fullscreen = true;
    m.focus = bulletin::tui::model::Pane::Reader;
    let html: String = (0..3)
        .map(|i| format!("<p>Paragraph {i} before the chart.</p><img src=\"https://pics.example/{i}.png\" alt=\"chart {i}\">"))
        .collect::<Vec<_>>()
        .join("")
        + &"<p>More text after the charts, to scroll through.</p>".repeat(40);
    let item = bulletin::model::Item {
        id: ItemId(1),
        feed_id: FeedId(1),
        feed_url: "https://pics.example/feed".into(),
        feed_title: Some("Pics".into()),
        title: "Three charts".into(),
        link: Some("https://pics.example/1".into()),
        author: None,
        published: None,
        updated: None,
        summary_html: None,
        content_html: Some(html),
        enclosures: vec![],
        read: false,
        starred: false,
        full_text: Default::default(),
        mailbox: None,
        unsubscribe: None,
    };
    let prepared = bulletin::article::Prepared::new(&item, "Pics");
    m.reader_req = 7;
    let cmds = update(
        &mut m,
        Msg::ArticleLoaded {
            req: 7,
            item: Box::new(item),
            prepared: Box::new(prepared),
        },
    )
    .cmds;
    let (req, width) = match cmds.first() {
        Some(Cmd::LoadImages { req, width, .. }) => (*req, *width),
        other => panic!("no pictures asked for: {other:?}"),
    };
    let picker = picker(ratatui_image::picker::ProtocolType::Halfblocks);
    for index in 0..3 {
        let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(600, 300, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        let protocol = picker
            .new_protocol(
                img,
                ratatui::layout::Size::new(width as u16, bulletin::tui::images::ROWS),
                ratatui_image::Resize::Fit(None),
            )
            .unwrap();
        let rows = protocol.size().height;
        let picture = Some(Picture {
            protocol: Arc::new(protocol),
            width,
            rows,
        });
        update(
            &mut m,
            Msg::ImageReady {
                req,
                index,
                picture,
            },
        );
    }
    assert_eq!(m.pictures.len(), 3);
    let theme = Theme::new(false);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    term.draw(|f| bulletin::tui::view::draw(f, &m, &theme))
        .unwrap();
    let coloured = term
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| matches!(c.bg, ratatui::style::Color::Rgb(..)))
        .count();
    // Two whole pictures and the top of the third.
    assert!(
        coloured > 2 * 12 * 40,
        "the pictures are on screen: {coloured} cells"
    );
    let down = Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    let up = Msg::Key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE));
    let mut flip = false;
    c.bench_function("reader scroll with three pictures on screen", |b| {
        b.iter(|| {
            flip = !flip;
            update(&mut m, if flip { down.clone() } else { up.clone() });
            term.draw(|f| bulletin::tui::view::draw(f, &m, &theme))
                .unwrap();
        })
    });
}

criterion_group!(
    benches,
    key_to_frame,
    key_to_frame_while_busy,
    scroll_with_pictures
);
criterion_main!(benches);
