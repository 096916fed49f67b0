//! Liberal parsing: the feeds the real web sends, each shape read as browsers and
//! feedparser read it. The differential test against feedparser itself is
//! `tests/feedparser_diff.rs`.

mod support;

use bulletin::parse::parse_feed;
use support::{feeds_config, Env, Reply, Server};

const BASE: &str = "https://example.org/feed.xml";

fn parse(body: &str) -> bulletin::model::ParsedFeed {
    parse_feed(body.as_bytes(), None, BASE).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn rss_without_a_version() {
    let feed = parse(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>UOL Not&#237;cias</title>
<link>https://n.example/</link><item><title>Primeira</title><link>https://n.example/1</link>
<pubDate>Mon, 02 Nov 2026 08:00:00 -0300</pubDate></item></channel></rss>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("UOL Notícias"));
    assert_eq!(feed.items.len(), 1);
    assert_eq!(
        feed.items[0].published.unwrap().to_rfc3339(),
        "2026-11-02T11:00:00+00:00"
    );
}

#[test]
fn every_rss_version() {
    for version in ["0.90", "0.91", "0.92", "0.93", "0.94", "2.0"] {
        let feed = parse(&format!(
            "<rss version=\"{version}\"><channel><title>V{version}</title><link>https://v.example/</link>\
             <item><title>One</title><link>https://v.example/1</link><description>Body</description></item>\
             </channel></rss>"
        ));
        assert_eq!(feed.title.as_deref(), Some(format!("V{version}").as_str()));
        assert_eq!(feed.items.len(), 1, "{version}");
        assert_eq!(feed.items[0].link.as_deref(), Some("https://v.example/1"));
    }
}

#[test]
fn rss_090_in_rdf() {
    let feed = parse(
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Netscape era</title><link>https://ns.example/</link><description>d</description></channel>
<item><title>Old one</title><link>https://ns.example/1</link></item></rdf:RDF>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Netscape era"));
    assert_eq!(feed.items[0].link.as_deref(), Some("https://ns.example/1"));
}

#[test]
fn atom_03_maps_onto_atom_10() {
    let feed = parse(
        r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old blog</title>
<link rel="alternate" type="text/html" href="http://old.example/"/><tagline>Since 2004</tagline>
<entry><title>Post one</title><link rel="alternate" type="text/html" href="http://old.example/1"/>
<id>tag:old.example,2004:1</id><issued>2004-04-30T10:00:00Z</issued><modified>2004-05-01T12:00:00Z</modified>
<author><name>Ann</name></author>
<content type="text/html" mode="escaped">&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</content></entry>
<entry><title>Post two</title><id>tag:old.example,2004:2</id><issued>2004-04-29T10:00:00Z</issued>
<content type="text/html" mode="base64">PHA+QmFzZTY0IGJvZHk8L3A+</content></entry>
<entry><title>Post three</title><id>tag:old.example,2004:3</id>
<content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <i>xml</i></p></div></content></entry>
</feed>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Old blog"));
    assert_eq!(feed.description.as_deref(), Some("Since 2004"));
    assert_eq!(feed.link.as_deref(), Some("http://old.example/"));
    assert_eq!(feed.items.len(), 3);
    let one = &feed.items[0];
    assert_eq!(one.guid, "tag:old.example,2004:1");
    assert_eq!(one.author.as_deref(), Some("Ann"));
    assert_eq!(
        one.published.unwrap().to_rfc3339(),
        "2004-04-30T10:00:00+00:00"
    );
    assert_eq!(
        one.updated.unwrap().to_rfc3339(),
        "2004-05-01T12:00:00+00:00"
    );
    assert!(one
        .content_html
        .as_deref()
        .unwrap()
        .contains("<b>world</b>"));
    assert!(feed.items[1]
        .content_html
        .as_deref()
        .unwrap()
        .contains("Base64 body"));
    assert!(feed.items[2]
        .content_html
        .as_deref()
        .unwrap()
        .contains("<i>xml</i>"));
}

#[test]
fn html_entities_and_broken_references() {
    let feed = parse(
        "<rss version=\"2.0\"><channel><title>Caf&eacute; &mdash; news&hellip;</title>\
         <link>https://c.example/?a=1&b=2</link><item><title>Fish &amp; chips &ndash; &euro;5&nbsp;&copy; &#150; &#x26; &#38;#38; &bogus;</title>\
         <link>https://c.example/1</link><description>&lt;p&gt;Hi&amp;nbsp;there &rsquo;q&rsquo;&lt;/p&gt;</description></item></channel></rss>",
    );
    assert_eq!(feed.title.as_deref(), Some("Café — news…"));
    assert_eq!(feed.link.as_deref(), Some("https://c.example/?a=1&b=2"));
    assert_eq!(
        feed.items[0].title,
        // `&#38;#38;` is `&#38;` once XML is done, and RSS titles are read as HTML.
        "Fish & chips – €5 © – & & &bogus;"
    );
}

#[test]
fn entities_of_an_internal_dtd_are_expanded_and_bombs_are_not() {
    let feed = parse(
        r#"<!DOCTYPE rss [<!ENTITY brand "Acme Corp"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&brand; news</title><link>https://d.example/</link>
<item><title>About &brand; &ext;</title><link>https://d.example/1</link></item></channel></rss>"#,
    );
    assert_eq!(feed.title.as_deref(), Some("Acme Corp news"));
    assert_eq!(feed.items[0].title, "About Acme Corp &ext;");
    // A billion laughs: expanded one level only.
    let mut bomb = String::from("<!DOCTYPE rss [<!ENTITY a \"ha\">");
    for i in 1..10 {
        bomb.push_str(&format!(
            "<!ENTITY a{i} \"{}\">",
            format!(
                "&a{};",
                if i == 1 {
                    String::new()
                } else {
                    (i - 1).to_string()
                }
            )
            .repeat(10)
        ));
    }
    bomb.push_str("]><rss version=\"2.0\"><channel><title>&a9;</title></channel></rss>");
    let feed = parse(&bomb);
    assert!(feed.title.unwrap().len() < 1000);
}

#[test]
fn utf16_and_utf32_without_a_byte_order_mark() {
    let doc = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>Sixteen</title><item><title>Ünïcode 東京</title><link>https://u.example/1</link></item></channel></rss>";
    let le: Vec<u8> = doc.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = doc.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    let utf32: Vec<u8> = doc.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
    for bytes in [le, be, utf32] {
        // It used to panic inside the XML reader.
        let feed = parse_feed(&bytes, None, BASE).unwrap();
        assert_eq!(feed.items[0].title, "Ünïcode 東京");
    }
}

#[test]
fn declared_encodings_that_lie_are_survived() {
    // Says UTF-8, is Latin-1: read as Windows-1252, as browsers and feedparser do.
    let mut latin1 =
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Caf"
            .to_vec();
    latin1.push(0xE9);
    latin1.extend_from_slice(b"</title></channel></rss>");
    assert_eq!(
        parse_feed(&latin1, None, BASE).unwrap().title.as_deref(),
        Some("Café")
    );
    // Says UTF-16, is UTF-8.
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>Déjà</title></channel></rss>";
    assert_eq!(
        parse_feed(doc.as_bytes(), None, BASE)
            .unwrap()
            .title
            .as_deref(),
        Some("Déjà")
    );
    // UTF-8 encoded twice is mended, as feedparser mends it; a text with a real accent
    // beside the look-alike is left as the bytes say.
    let doc = "<rss version=\"2.0\"><channel><title>CafÃ©</title><description>CafÃ© \
               and café</description></channel></rss>";
    let feed = parse_feed(doc.as_bytes(), None, BASE).unwrap();
    assert_eq!(feed.title.as_deref(), Some("Café"));
    assert_eq!(feed.description.as_deref(), Some("CafÃ© and café"));
}

#[test]
fn broken_xml_is_recovered_where_the_intent_is_clear() {
    let feed = parse(
        "<rss version=\"2.0\"><channel><title>Broken & co</title><link>https://b.example/</link>\
         <item><title>a < b</title><link>https://b.example/1</link></item>\
         <item><title>Second</title><link>https://b.example/2</link><description>unclosed <b>bold</description></item>\
         </channel></rss>junk after the root <b>",
    );
    assert_eq!(feed.title.as_deref(), Some("Broken & co"));
    assert_eq!(feed.items.len(), 2);
    assert_eq!(feed.items[0].title, "a < b");
    // Truncated: the items before the cut.
    let feed = parse("<rss version=\"2.0\"><channel><title>Cut</title><item><title>Whole</title></item><item><title>Ha");
    assert_eq!(feed.items[0].title, "Whole");
    // A missing </rss> and </channel>.
    let feed =
        parse("<rss version=\"2.0\"><channel><title>Open</title><item><title>One</title></item>");
    assert_eq!(feed.items.len(), 1);
    // Element names in the wrong case.
    let feed = parse("<RSS VERSION=\"2.0\"><Channel><Title>Case</Title><Item><TITLE>Shout</TITLE><PubDate>Mon, 02 Nov 2026 08:00:00 GMT</PubDate></Item></Channel></RSS>");
    assert_eq!(feed.title.as_deref(), Some("Case"));
    assert_eq!(feed.items[0].title, "Shout");
    assert!(feed.items[0].published.is_some());
    // Still refused: nothing that is a feed.
    for not_a_feed in ["plain text", "<opml version=\"2.0\"><body/></opml>"] {
        assert!(parse_feed(not_a_feed.as_bytes(), None, BASE).is_err());
    }
}

#[test]
fn dublin_core_fills_in() {
    let feed = parse(
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link><description>d</description></channel>
<item rdf:about="https://rdf.example/1?x=1&amp;y=2"><dc:title>By DC</dc:title><link>https://rdf.example/1</link>
<dc:description>Body by DC</dc:description><dc:creator>Bob</dc:creator><dc:date>2026-11-02T10:00:00+01:00</dc:date><dc:subject>tech</dc:subject></item>
</rdf:RDF>"#,
    );
    let item = &feed.items[0];
    assert_eq!(item.title, "By DC");
    assert_eq!(
        item.guid, "https://rdf.example/1?x=1&y=2",
        "the rdf:about is the id"
    );
    assert!(item.summary_html.as_deref().unwrap().contains("Body by DC"));
    assert_eq!(item.author.as_deref(), Some("Bob"));
    assert_eq!(
        item.published.unwrap().to_rfc3339(),
        "2026-11-02T09:00:00+00:00"
    );
}

#[test]
fn dates_outside_the_calendar_are_no_dates() {
    let feed = parse(
        "<rss version=\"2.0\"><channel><title>Far</title>\
         <item><title>Far</title><link>https://f.example/1</link><pubDate>Mon, 01 Jan 99999 00:00:00 GMT</pubDate></item>\
         <item><title>Odd</title><link>https://f.example/2</link><pubDate>2026-11-02 08:00:00</pubDate></item></channel></rss>",
    );
    assert_eq!(feed.items[0].published, None);
    assert_eq!(
        feed.items[1].published.unwrap().to_rfc3339(),
        "2026-11-02T08:00:00+00:00"
    );
}

#[test]
fn links_only_to_the_web_and_mail() {
    let feed = parse(
        "<rss version=\"2.0\"><channel><title>L</title><link>javascript:alert(1)</link>\
         <item><title>JS</title><link>javascript:alert(1)</link><guid>js-1</guid>\
         <enclosure url=\"file:///etc/passwd\" type=\"text/plain\" length=\"1\"/></item>\
         <item><title>Data</title><link>data:text/html,hi</link><guid>d-1</guid>\
         <enclosure url=\"https://f.example/a.mp3\" type=\"audio/mpeg\" length=\"5\"/></item>\
         <item><title>Mail</title><link>mailto:a@b.example</link></item></channel></rss>",
    );
    assert_eq!(feed.link, None);
    assert_eq!(feed.items.len(), 3, "the items stay");
    assert_eq!(feed.items[0].link, None);
    assert!(feed.items[0].enclosures.is_empty());
    assert_eq!(feed.items[1].link, None);
    assert_eq!(feed.items[1].enclosures.len(), 1);
    assert_eq!(feed.items[2].link.as_deref(), Some("mailto:a@b.example"));
}

#[test]
fn xml_base_at_every_level() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/blog/"><title>B</title>
<link href="./"/><entry xml:base="posts/"><title>E</title><id>e1</id><link href="one.html"/></entry>
<entry><title>F</title><id>e2</id><link href="/root.html"/></entry></feed>"#,
    );
    assert_eq!(feed.link.as_deref(), Some("https://a.example/blog/"));
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://a.example/blog/posts/one.html")
    );
    assert_eq!(
        feed.items[1].link.as_deref(),
        Some("https://a.example/root.html")
    );
}

#[test]
fn content_location_is_the_base_for_relative_links() {
    let server = Server::start();
    server.route("/feed", |_| {
        Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>CL</title><item><title>R</title><link>post/1</link></item></channel></rss>",
        )
        .with_header("Content-Location", "/archive/feed.xml")
    });
    let env = Env::new(&feeds_config("", &[server.url("/feed")]));
    let probe = env.json(&["probe", &server.url("/feed"), "--json"]);
    assert_eq!(probe["items"][0]["link"], server.url("/archive/post/1"));
}

#[test]
fn nothing_from_a_feed_panics() {
    // Inputs that once took the process down, and their cousins.
    let inputs: Vec<Vec<u8>> = vec![
        b"\x00<\x00r\x00s\x00s".to_vec(),
        b"<\x00?\x00x\x00m\x00l\x00".to_vec(),
        vec![0, 0, 0],
        vec![0xFF, 0xFE, 0, 0, 0x3C, 0, 0, 0],
        b"<rss><channel><title>\xF0\x9F".to_vec(),
        "<a ￿=\u{a0}>".as_bytes().to_vec(),
        b"<feed xmlns=\"http://purl.org/atom/ns#\"><entry><content mode=\"base64\">!!!".to_vec(),
        // Found by the fuzzer: a declaration of UTF-16 after junk.
        b"A!\x00\x01\x01\x00\x00\x9b\x8b\xa0\xa0\xa0\xa0\n-<\xa0<?xml version=\"1.0\" encoding=\"utf-16\"?>\xa0</\x8b\x9b".to_vec(),
        b"<rss version=\"2.0\"><?xml version=\"1.0\" encoding=\"utf-16\"?><channel/></rss>".to_vec(),
    ];
    // parse_feed catches a panic as its last line of defence; the hook sees it all the
    // same, and there must be none.
    static PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    std::panic::set_hook(Box::new(|_| {
        PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }));
    for input in inputs {
        let _ = parse_feed(&input, Some("text/xml; charset=utf-16"), BASE);
        let _ = parse_feed(&input, None, BASE);
    }
    let _ = std::panic::take_hook();
    assert_eq!(PANICS.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A link written from `www.` is that site; an item without a guid keeps the id its
/// link always gave it (a path under the feed's address), so it does not come again.
#[test]
fn a_link_from_www_is_the_site_and_the_id_stays() {
    let doc = b"<rss version=\"2.0\"><channel><title>T</title><item><title>X</title><link>www.site.example/p/5</link></item></channel></rss>";
    let feed = parse_feed(doc, None, BASE).unwrap();
    let item = &feed.items[0];
    assert_eq!(item.link.as_deref(), Some("http://www.site.example/p/5"));
    let old = url::Url::parse(BASE)
        .unwrap()
        .join("www.site.example/p/5")
        .unwrap();
    assert_eq!(item.guid, old.to_string());
}
