//! Throughput of the engine: parse+normalise against feed-rs alone on the same bytes,
//! cache upserts, and rendering a 1 MB article.

use bulletin::model::Validators;
use bulletin::store::Store;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

fn feed(items: usize) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench</title><link>https://bench.example/</link>");
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>Item {i} &amp; more</title><link>https://bench.example/{i}</link><guid>g{i}</guid>\
             <pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><description><![CDATA[<p>Paragraph {i} with <a href=\"/x\">a link</a> and text that goes on for a while, as bulletins do.</p><ul><li>one</li><li>two</li></ul>]]></description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// Atom with escaped HTML content, the other shape the direct reader takes.
fn atom(entries: usize) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Bench</title><id>urn:b</id><link href=\"https://bench.example/\"/>");
    for i in 0..entries {
        s.push_str(&format!(
            "<entry><title>Entry {i} &amp; more</title><id>urn:b:{i}</id><link href=\"/{i}\"/>\
             <updated>2026-11-02T10:00:00Z</updated><content type=\"html\">&lt;p&gt;Paragraph {i} with \
             &lt;a href=\"/x\"&gt;a link&lt;/a&gt; and text that goes on for a while, as bulletins do.\
             &lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;</content></entry>"
        ));
    }
    s.push_str("</feed>");
    s
}

/// A podcast's RSS: iTunes elements and enclosures, which the direct reader leaves to
/// feed-rs (the path that pays for the passes feed-rs needs).
fn podcast(items: usize) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Bench cast</title><link>https://bench.example/</link><itunes:author>Host</itunes:author>");
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>Episode {i}</title><link>https://bench.example/e/{i}</link><guid isPermaLink=\"false\">e{i}</guid>\
             <pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><itunes:author>Host</itunes:author><itunes:duration>31:00</itunes:duration>\
             <enclosure url=\"https://bench.example/e/{i}.mp3\" length=\"1234\" type=\"audio/mpeg\"/>\
             <description>Show notes {i} &lt;b&gt;bold&lt;/b&gt;</description><content:encoded><![CDATA[<p>Notes {i} with <a href=\"/x\">a link</a>.</p>]]></content:encoded></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn parse(c: &mut Criterion) {
    for (name, body) in [
        ("parse_200_items", feed(200)),
        ("parse_200_atom_entries", atom(200)),
        ("parse_200_podcast_items", podcast(200)),
    ] {
        parse_group(c, name, &body);
    }
}

fn parse_group(c: &mut Criterion, name: &str, body: &str) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("feed-rs alone", |b| {
        b.iter(|| feed_rs::parser::parse(body.as_bytes()).unwrap())
    });
    g.bench_function("bulletin parse+normalise", |b| {
        b.iter(|| {
            bulletin::parse::parse_feed(
                body.as_bytes(),
                Some("application/xml"),
                "https://bench.example/feed",
            )
            .unwrap()
        })
    });
    g.finish();
}

/// One refresh's write of `parsed` into `store`.
fn apply(store: &mut Store, id: bulletin::model::FeedId, parsed: &bulletin::store::PreparedFeed) {
    store
        .apply(
            id,
            parsed,
            &Validators::default(),
            Some(200),
            chrono::Utc::now(),
            0,
        )
        .unwrap();
}

fn upsert(c: &mut Criterion) {
    let body = feed(200);
    let parsed =
        bulletin::parse::parse_feed(body.as_bytes(), None, "https://bench.example/feed").unwrap();
    let parsed = bulletin::store::PreparedFeed::new(parsed);
    let spec = bulletin::config::FeedSpec {
        options: Default::default(),
        url: "https://bench.example/feed".into(),
        name: None,
        hidden: false,
        remote: None,
        mailbox: None,
        tags: vec![],
    };
    let mut g = c.benchmark_group("cache_upsert_200_items");
    g.throughput(Throughput::Elements(200));
    g.bench_function("new items", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let mut store = Store::open(&dir.path().join("c.db")).unwrap();
                let id = store.sync_feeds(std::slice::from_ref(&spec)).unwrap()[0];
                (dir, store, id)
            },
            |(_dir, mut store, id)| apply(&mut store, id, &parsed),
            BatchSize::PerIteration,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("c.db")).unwrap();
    let id = store.sync_feeds(std::slice::from_ref(&spec)).unwrap()[0];
    apply(&mut store, id, &parsed);
    g.bench_function("unchanged items", |b| {
        b.iter(|| apply(&mut store, id, &parsed))
    });
    g.finish();
}

fn render(c: &mut Criterion) {
    let para = "<p>Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit, sed do <a href=\"/x\">eiusmod</a> tempor 日本語 😀.</p>\n<ul><li>item</li></ul>\n";
    let html = para.repeat(1_000_000 / para.len());
    let mut g = c.benchmark_group("render_1mb_article");
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.sample_size(10);
    g.bench_function("parse html to blocks", |b| {
        b.iter(|| bulletin::render::blocks(&html, Some("https://x.example/")))
    });
    let doc = bulletin::render::blocks(&html, Some("https://x.example/"));
    g.bench_function("wrap to 80 columns", |b| {
        b.iter(|| bulletin::render::layout(&doc.blocks, 80))
    });
    // An email newsletter's template: layout tables four deep around each section, a
    // data table in some, as mailing services write them (read as flow, not grids).
    let section = "<table role=\"presentation\" width=\"100%\"><tr><td><table width=\"600\"><tr><td>\
        <table><tr><td><h2>Section</h2><p>Patch the <b>gateway</b> before <a href=\"/f\">Friday</a>.</p>\
        <table><tr><th>Product</th><th>Fix</th></tr><tr><td>VPN</td><td>22.1</td></tr></table>\
        </td></tr></table></td></tr></table></td></tr></table>\n";
    let template = section.repeat(1_000_000 / section.len());
    g.bench_function("parse a newsletter template to blocks", |b| {
        b.iter(|| bulletin::render::blocks(&template, Some("https://x.example/")))
    });
    g.finish();
}

criterion_group!(benches, parse, upsert, render);
criterion_main!(benches);
