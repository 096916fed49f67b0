//! Key press to redrawn frame on a model over a 200k-item list: update + draw on a
//! TestBackend, with pages answered as the store thread would.

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
        if let Cmd::LoadPage { req, page: p, .. } = cmd {
            let more = update(
                m,
                Msg::PageLoaded {
                    req,
                    page: p,
                    total: None,
                    rows: page(p),
                },
            )
            .cmds;
            answer(m, more);
        }
    }
}

fn key_to_frame(c: &mut Criterion) {
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
    let theme = Theme::new(false);
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let down = Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    let up = Msg::Key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE));
    let mut flip = false;
    c.bench_function("key press to frame (200k items, 1000 feeds)", |b| {
        b.iter(|| {
            flip = !flip;
            let out = update(&mut m, if flip { down.clone() } else { up.clone() });
            answer(&mut m, out.cmds);
            term.draw(|f| bulletin::tui::view::draw(f, &m, &theme))
                .unwrap();
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

criterion_group!(benches, key_to_frame, scroll_with_pictures);
criterion_main!(benches);
