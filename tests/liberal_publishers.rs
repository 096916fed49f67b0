//! Shapes publishers send that a trial against real feeds found read wrong: a picture's
//! caption taken for the article, undated items listed backwards, items sharing an id
//! lost, JSON Feeds refused for one odd field, an empty content hiding the description,
//! an empty enclosure address turned into the feed's own. (Titles, encodings, a PHP
//! warning before the root and XHTML entities are in `tests/liberal/cases`, held to
//! feedparser by `tests/feedparser_diff.rs`.)

mod support;

use bulletin::parse::parse_feed;
use support::{feeds_config, Env, Server};

const BASE: &str = "https://example.org/feed.xml";

fn parse(body: &str) -> bulletin::model::ParsedFeed {
    parse_feed(body.as_bytes(), None, BASE).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn a_pictures_caption_is_not_the_article() {
    // The New York Times' shape, and Mastodon's (the caption inside media:content).
    for media in [
        r#"<media:content url="https://n.example/p.jpg" medium="image"/><media:description>Senators leaving.</media:description>"#,
        r#"<media:content url="https://n.example/p.jpg" medium="image"><media:description>Senators leaving.</media:description></media:content>"#,
    ] {
        let feed = parse(&format!(
            r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>N</title><link>https://n.example/</link>
<item><title>Budget deal</title><link>https://n.example/1</link><description>Lawmakers agreed on a budget deal late on Sunday night.</description>{media}</item></channel></rss>"#
        ));
        let item = &feed.items[0];
        let shown = item
            .content_html
            .as_deref()
            .or(item.summary_html.as_deref());
        assert!(shown.unwrap().contains("Lawmakers agreed"), "{item:?}");
    }
    // A podcast's itunes:summary, the longer show notes, is still the content.
    let feed = parse(
        r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>P</title><link>https://p.example/</link>
<item><title>Ep 1</title><link>https://p.example/1</link><description>Short.</description><itunes:summary>The long notes of the episode, with links.</itunes:summary></item></channel></rss>"#,
    );
    assert!(feed.items[0]
        .content_html
        .as_deref()
        .unwrap()
        .contains("long notes"));
}

#[test]
fn json_feeds_with_odd_fields_are_read_not_refused() {
    let feed = parse(
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example/","feed_url":"https://j.example/feed.json",
"author":"Jane",
"items":[
 {"id":1,"url":"https://j.example/1","title":"Numeric id","content_text":"a","date_published":"2026-11-02T08:00:00Z",
  "attachments":[{"url":"https://j.example/ep1.mp3","mime_type":"audio/mpeg","size_in_bytes":"1000"},{"url":"https://j.example/ep1.ogg","size_in_bytes":2000.0}]},
 {"id":"2","url":"https://j.example/2","title":"Odd fields","content_html":"<p>b</p>","tags":"x","authors":{"name":"Max"},"date_published":1762070400},
 {"id":"3","external_url":"https://elsewhere.example/x","title":"Link blog","content_text":"c"},
],}"#,
    );
    assert_eq!(feed.link.as_deref(), Some("https://j.example/"));
    assert_eq!(feed.items.len(), 3);
    let one = &feed.items[0];
    // A number as an id is its text, resolved as string ids always were here.
    assert_eq!(one.guid, "https://example.org/1");
    assert_eq!(one.author.as_deref(), Some("Jane"));
    let files: Vec<(&str, Option<u64>)> = one
        .enclosures
        .iter()
        .map(|e| (e.url.as_str(), e.length))
        .collect();
    assert_eq!(
        files,
        [
            ("https://j.example/ep1.mp3", Some(1000)),
            ("https://j.example/ep1.ogg", Some(2000))
        ]
    );
    let two = &feed.items[1];
    assert_eq!(two.author.as_deref(), Some("Max"));
    assert_eq!(two.published.unwrap().timestamp(), 1762070400);
    assert_eq!(
        feed.items[2].link.as_deref(),
        Some("https://elsewhere.example/x")
    );
    // Not a feed at all: one line that says so.
    let err = parse_feed(br#"{"hello": "world"}"#, None, BASE).unwrap_err();
    assert!(err.to_string().contains("not a JSON Feed"), "{err}");
}

#[test]
fn an_empty_content_gives_way_to_the_description() {
    let feed = parse(
        r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>C</title><link>https://c.example/</link>
<item><title>Empty</title><link>https://c.example/1</link><description>Real text here.</description><content:encoded><![CDATA[<p>&nbsp;</p> <p> </p>]]></content:encoded></item>
<item><title>Video</title><link>https://c.example/4</link><description>Watch.</description><content:encoded><![CDATA[<iframe src="https://v.example/e/1"></iframe>]]></content:encoded></item>
<item><title>Picture</title><link>https://c.example/2</link><description>The words.</description><content:encoded><![CDATA[<p><img src="https://c.example/p.jpg"></p>]]></content:encoded></item>
<item><title>Full</title><link>https://c.example/3</link><description>Teaser.</description><content:encoded><![CDATA[<p>The whole article.</p>]]></content:encoded></item>
</channel></rss>"#,
    );
    assert_eq!(feed.items[0].content_html, None);
    let picture = feed.items[2].content_html.as_deref().unwrap();
    assert!(
        picture.contains("The words.") && picture.contains("<img"),
        "{picture}"
    );
    assert_eq!(
        feed.items[3].content_html.as_deref(),
        Some("<p>The whole article.</p>")
    );
    let video = feed.items[1].content_html.as_deref().unwrap();
    assert!(
        video.contains("Watch.") && video.contains("<iframe"),
        "{video}"
    );
}

#[test]
fn an_empty_enclosure_address_is_no_file() {
    for enclosure in [
        r#"<enclosure url="" length="0" type=""/>"#,
        r#"<enclosure url=" " length="0" type="audio/mpeg"/>"#,
        r#"<media:content url="" type="audio/mpeg"/>"#,
    ] {
        let feed = parse(&format!(
            r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>E</title><link>https://e.example/</link>
<item><title>Text only</title><link>https://e.example/1</link>{enclosure}</item></channel></rss>"#
        ));
        assert_eq!(feed.items[0].enclosures, [], "{enclosure}");
    }
}

/// Items with no date (or one date for all) list in the feed's order, and items that
/// share an id are each kept: through a refresh into the cache, as `items` lists them.
#[test]
fn undated_items_keep_the_feeds_order_and_shared_ids_lose_no_item() {
    let server = Server::start();
    server.fixed(
        "/undated",
        "application/rss+xml",
        r#"<rss version="2.0"><channel><title>U</title><link>https://u.example/</link>
<item><title>Newest</title><link>https://u.example/3</link></item>
<item><title>Middle</title><link>https://u.example/2</link></item>
<item><title>Oldest</title><link>https://u.example/1</link></item></channel></rss>"#,
    );
    server.fixed(
        "/shared",
        "application/rss+xml",
        r#"<rss version="2.0"><channel><title>D</title><link>https://d.example/</link>
<item><title>One</title><link>https://d.example/</link><description>first</description><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Two</title><link>https://d.example/</link><description>second</description><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Two</title><link>https://d.example/</link><description>second</description><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Three</title><guid isPermaLink="false">same</guid><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Four</title><guid isPermaLink="false">same</guid><pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>"#,
    );
    let env = Env::new(&feeds_config(
        "",
        &[server.url("/undated"), server.url("/shared")],
    ));
    for _ in 0..2 {
        env.ok(&["refresh"]);
        let titles = |feed: &str| -> Vec<String> {
            env.json(&["items", "--json", "--feed", feed])
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["title"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(titles("U"), ["Newest", "Middle", "Oldest"]);
        // The exact repeat of Two is one item; the second refresh adds nothing.
        assert_eq!(titles("D"), ["One", "Two", "Three", "Four"]);
    }
}

/// A URL that answers with something else than a feed says what it answered with, in
/// one line: a page (a comment before its doctype too), a list of feeds, a sitemap, an
/// image, an error document, an empty feed.
#[test]
fn what_is_not_a_feed_is_named() {
    let cases: [(&[u8], &str); 9] = [
        (
            b"<!-- cached <b>page</b> -->\n<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>",
            "HTML page",
        ),
        (
            b"<?xml version=\"1.0\"?><opml version=\"2.0\"><body><outline xmlUrl=\"https://a.example/f\"/></body></opml>",
            "OPML",
        ),
        (
            b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://a.example/</loc></url></urlset>",
            "sitemap",
        ),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", "PNG image"),
        (
            b"<?xml version=\"1.0\"?><error><code>404</code><message>No such feed</message></error>",
            "<error>",
        ),
        (b"<rss version=\"2.0\"/>", "no channel"),
        (b"\0\x01\x02\x03binary\xff\xfe", "binary"),
        // Text with a brace in it was "unable to parse JSON"; `<<<` was a root `<<`.
        (b"garbage{{{ <<<", "neither XML nor JSON (it starts \"garbage{{{ <<<\")"),
        (b"hello world", "neither XML nor JSON"),
    ];
    for (body, said) in cases {
        let err = parse_feed(body, None, BASE).unwrap_err().to_string();
        assert!(err.contains(said), "{said}: {err}");
        assert!(!err.contains('\n') && err.len() < 200, "{err}");
    }
}

/// The root's name, which a message about a document that is no feed repeats, is the
/// feed's text: no escape sequence in it reaches the terminal.
#[test]
fn a_hostile_root_name_is_cleaned_in_the_message() {
    let body = b"<\x1b]52;c;cHduZWQ=\x07x:rss version=\"9\"><y/></\x1b]52;c;cHduZWQ=\x07x:rss>";
    if let Err(e) = parse_feed(body, None, BASE) {
        let said = e.to_string();
        assert!(
            !said.chars().any(|c| c.is_control()),
            "a control character in {said:?}"
        );
    }
}

/// An item with no title (Mastodon's RSS, micro.blog) is listed by the first words of its
/// text; its id does not change with them.
#[test]
fn an_item_without_a_title_is_listed_by_its_first_words() {
    let body = r#"<rss version="2.0"><channel><title>M</title><link>https://masto.example/@jane</link>
<item><link>https://masto.example/@jane/111</link><description>&lt;p&gt;Just shipped a release!&lt;/p&gt;</description></item>
<item><guid isPermaLink="false">n-2</guid><description>&lt;p&gt;A much longer note that goes on and on about the weather, the harbour, the ferry and the market until it is far too long for a row&lt;/p&gt;</description></item>
<item><title></title><guid isPermaLink="false">n-3</guid></item>
</channel></rss>"#;
    let feed = parse(body);
    assert_eq!(feed.items[0].title, "Just shipped a release!");
    assert_eq!(
        feed.items[0].guid, "https://masto.example/@jane/111",
        "the id is the item's own"
    );
    let long = &feed.items[1].title;
    assert!(long.ends_with('…') && long.chars().count() <= 81, "{long}");
    assert!(long.starts_with("A much longer note"), "{long}");
    assert_eq!(feed.items[2].title, "", "nothing to take a title from");
}

/// A file named by both `<enclosure>` and `<media:content>` (podcast hosts send both) is
/// one file, with the size and type whichever of the two gave them, in either order.
#[test]
fn a_file_named_twice_keeps_what_either_says_of_it() {
    for (first, second) in [
        (
            r#"<enclosure url="https://p.example/1.mp3" length="5000000" type="audio/mpeg"/>"#,
            r#"<media:content url="https://p.example/1.mp3" type="audio/mpeg"/>"#,
        ),
        (
            r#"<media:content url="https://p.example/1.mp3"/>"#,
            r#"<enclosure url="https://p.example/1.mp3" length="5000000" type="audio/mpeg"/>"#,
        ),
    ] {
        let feed = parse(&format!(
            r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>P</title><link>https://p.example/</link>
<item><title>Ep 1</title><link>https://p.example/1</link>{first}{second}</item></channel></rss>"#
        ));
        let files = &feed.items[0].enclosures;
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].length, Some(5_000_000), "{first} {second}");
        assert_eq!(files[0].mime.as_deref(), Some("audio/mpeg"));
    }
}

/// An author escaped inside CDATA (`Bob &amp; Alice`) reads as a title would; a bare
/// ampersand naming no entity stays.
#[test]
fn an_escaped_author_reads_as_its_name() {
    for (creator, name) in [
        ("<![CDATA[ Bob &amp; Alice ]]>", "Bob & Alice"),
        ("<![CDATA[AT&T Research]]>", "AT&T Research"),
        ("Bob &amp;amp; Alice", "Bob & Alice"),
    ] {
        let feed = parse(&format!(
            r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>A</title><link>https://a.example/</link>
<item><title>T</title><link>https://a.example/1</link><dc:creator>{creator}</dc:creator></item></channel></rss>"#
        ));
        assert_eq!(feed.items[0].author.as_deref(), Some(name), "{creator}");
    }
}

/// The same for their enclosures (a trial's find: `ep/1.mp3` in a local podcast feed
/// was dropped, so `download` found none), in the document's order.
#[test]
fn relative_enclosures_in_a_local_or_command_feed_resolve_against_its_site() {
    let rss = r#"<rss version="2.0"><channel><title>P</title><link>http://127.0.0.1:9450/</link>
<item><title>Ep</title><guid>e1</guid><enclosure url="ep/full/rel.mp3" type="audio/mpeg" length="3"/>
<enclosure url="https://cdn.example/abs.mp3" type="audio/mpeg" length="4"/></item></channel></rss>"#;
    for base in [
        "file:///home/me/feeds/pod.xml",
        "exec:cat pod.xml",
        "http://127.0.0.1:9450/feed.xml",
    ] {
        let feed = parse_feed(rss.as_bytes(), None, base).unwrap();
        let found: Vec<_> = feed.items[0]
            .enclosures
            .iter()
            .map(|e| (e.url.as_str(), e.length))
            .collect();
        assert_eq!(
            found,
            [
                ("http://127.0.0.1:9450/ep/full/rel.mp3", Some(3)),
                ("https://cdn.example/abs.mp3", Some(4))
            ],
            "{base}"
        );
        assert_eq!(feed.items[0].guid, "e1");
    }
}

/// A feed read from a file or a command has no web address: its items' relative links
/// resolve against its site's address (the channel's link, a JSON Feed's home page), as
/// the same file served over HTTP gives them; they were dropped.
#[test]
fn relative_links_in_a_local_or_command_feed_resolve_against_its_site() {
    let rss = r#"<rss version="2.0"><channel><title>L</title><link>https://l.example/blog/</link>
<item><title>One</title><link>/posts/1</link></item>
<item><title>Two</title><link>posts/2</link></item></channel></rss>"#;
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
        "home_page_url": "https://j.example/", "items": [
        {"id": "1", "url": "/posts/1", "title": "One"}]}"#;
    // The same through feed-rs (which a DOCTYPE sends it to).
    let doctype = format!("<!DOCTYPE rss>\n{rss}");
    for base in ["file:///home/me/feeds/local.xml", "exec:cat local.xml"] {
        for doc in [rss, doctype.as_str()] {
            let feed = parse_feed(doc.as_bytes(), None, base).unwrap();
            let links: Vec<_> = feed.items.iter().map(|i| i.link.as_deref()).collect();
            assert_eq!(
                links,
                [
                    Some("https://l.example/posts/1"),
                    Some("https://l.example/blog/posts/2")
                ],
                "{base} {doc}"
            );
            // Their ids are made as they were before the links resolved (from the
            // title, date and text): an id that changed would bring the article back.
            assert!(
                feed.items.iter().all(|i| i.guid.starts_with("sha256:")),
                "{:?}",
                feed.items.iter().map(|i| &i.guid).collect::<Vec<_>>()
            );
        }
        // A relative Atom id resolves as it always did (against the document's own
        // address): an id that changed would bring its article back as new.
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<link href="https://a.example/"/><entry><id>7</id><title>Seven</title>
<link href="/posts/7"/></entry></feed>"#;
        let feed = parse_feed(atom.as_bytes(), None, base).unwrap();
        assert_eq!(
            feed.items[0].link.as_deref(),
            Some("https://a.example/posts/7")
        );
        if base.starts_with("file:") {
            assert_eq!(feed.items[0].guid, "file:///home/me/feeds/7");
        }
        let feed = parse_feed(json.as_bytes(), None, base).unwrap();
        assert_eq!(
            feed.items[0].link.as_deref(),
            Some("https://j.example/posts/1"),
            "{base}"
        );
    }
}

/// Relative links in an article resolve against what xml:base says of its content (the
/// root's, the entry's, the content element's own), as RFC 4287 and feedparser read it:
/// a FeedBurner entry's link is on another host. Without an xml:base they resolve
/// against the article's own link, as before.
#[test]
fn xml_base_decides_what_an_articles_relative_links_mean() {
    let links = |doc: &str| -> String {
        let feed = parse(doc);
        let item = &feed.items[0];
        let html = item
            .content_html
            .as_deref()
            .or(item.summary_html.as_deref())
            .unwrap();
        bulletin::render::html_to_text(html, item.link.as_deref(), 200)
    };
    let atom = |root: &str, content: &str| {
        format!(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" {root}><title>B</title>
<entry><id>tag:b,1</id><title>Post</title><link href="http://feedproxy.example/~r/b/1/"/>
<content type="html" {content}>&lt;p&gt;See &lt;a href="/2020/other-post"&gt;this&lt;/a&gt; and &lt;a href="rel.html"&gt;that&lt;/a&gt;.&lt;/p&gt;</content></entry>
<entry><id>tag:b,0</id><title>Older</title><link href="http://feedproxy.example/~r/b/0/"/>
<content type="html">&lt;a href="/0"&gt;0&lt;/a&gt;</content></entry></feed>"#
        )
    };
    let text = links(&atom(r#"xml:base="https://blog.example.com/posts/""#, ""));
    assert!(
        text.contains("https://blog.example.com/2020/other-post"),
        "{text}"
    );
    assert!(
        text.contains("https://blog.example.com/posts/rel.html"),
        "{text}"
    );
    let text = links(&atom(
        r#"xml:base="https://blog.example.com/posts/""#,
        r#"xml:base="/other/""#,
    ));
    assert!(
        text.contains("https://blog.example.com/other/rel.html"),
        "{text}"
    );
    // An entry's own xml:base, relative to the root's.
    let text = links(
        &atom(r#"xml:base="https://blog.example.com/posts/""#, "").replacen(
            "<entry>",
            r#"<entry xml:base="/archive/2020/">"#,
            1,
        ),
    );
    assert!(
        text.contains("https://blog.example.com/archive/2020/rel.html"),
        "{text}"
    );
    let text = links(&atom("", ""));
    assert!(
        text.contains("http://feedproxy.example/2020/other-post"),
        "{text}"
    );
    assert!(
        text.contains("http://feedproxy.example/~r/b/1/rel.html"),
        "{text}"
    );
    let rss = r#"<rss version="2.0" xml:base="http://example.com/blog/"><channel><title>R</title>
<item><title>T</title><link>http://example.com/posts/1</link>
<description>&lt;a href="foo"&gt;foo&lt;/a&gt; &lt;img src="pic.png"&gt;</description></item></channel></rss>"#;
    let text = links(rss);
    assert!(text.contains("http://example.com/blog/foo"), "{text}");
}

/// A YouTube channel's feed with a video that has no description (an empty
/// `media:description`), and a Flickr feed with an untitled photo: feed-rs refused the
/// whole feed ("missing text"), as it did for a Media RSS text typed `text`.
#[test]
fn an_empty_media_text_costs_nothing() {
    let youtube = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <title>Workshop</title><link rel="alternate" href="https://www.youtube.com/channel/UC1"/>
 <entry><id>yt:video:a1</id><yt:videoId>a1</yt:videoId><title>Sharpening</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v=a1"/><published>2024-03-18T16:00:06+00:00</published>
  <media:group><media:title>Sharpening</media:title>
   <media:description>00:00 Intro
01:12 Flattening the back</media:description></media:group></entry>
 <entry><id>yt:video:b2</id><yt:videoId>b2</yt:videoId><title>Short</title>
  <link rel="alternate" href="https://www.youtube.com/shorts/b2"/><published>2024-03-15T11:30:00+00:00</published>
  <media:group><media:title>Short</media:title><media:description></media:description>
   <media:description type="text">again</media:description></media:group></entry>
</feed>"#;
    let feed = parse(youtube);
    assert_eq!(feed.items.len(), 2);
    // The description's lines stay lines (Atom's plain text, as a video's chapters).
    assert_eq!(
        feed.items[0].summary_html.as_deref(),
        Some("<p>00:00 Intro<br>\n01:12 Flattening the back</p>")
    );
    let flickr = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Uploads</title>
<item><title>Fog</title><link>https://www.flickr.com/photos/h/1/</link><author>nobody@flickr.com ("harbourphotos")</author>
<media:title></media:title><media:content url="https://live.example/1.jpg" type="image/jpeg"/></item></channel></rss>"#;
    let feed = parse(flickr);
    assert_eq!(feed.items.len(), 1);
    assert_eq!(feed.items[0].author.as_deref(), Some("harbourphotos"));
}

/// arXiv's RSS 1.0 links each author to a search (`dc:creator` holds escaped HTML), and
/// Hugo writes Go's zero time for a page with no date.
#[test]
fn linked_authors_read_as_names_and_gos_zero_time_is_no_date() {
    let arxiv = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/"><title>cs.CL</title><link>http://arxiv.org/</link><description>d</description></channel>
<item rdf:about="http://arxiv.org/abs/1"><title>Paper</title><link>http://arxiv.org/abs/1</link>
<dc:creator>&lt;a href="http://arxiv.org/find/cs/1/au:+Smith_A"&gt;Alice Smith&lt;/a&gt;, &lt;a href="http://arxiv.org/find/cs/1/au:+Jones_B"&gt;Bob Jones&lt;/a&gt;</dc:creator></item></rdf:RDF>"#;
    assert_eq!(
        parse(arxiv).items[0].author.as_deref(),
        Some("Alice Smith, Bob Jones")
    );
    let hugo = r#"<rss version="2.0"><channel><title>Site</title><link>https://site.example/</link>
<item><title>About</title><link>https://site.example/about/</link><pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate></item>
<item><title>Post</title><link>https://site.example/post/</link><pubDate>Sat, 16 Mar 2024 10:00:00 +0000</pubDate></item></channel></rss>"#;
    let feed = parse(hugo);
    assert_eq!(feed.items[0].published, None);
    assert!(feed.items[1].published.is_some());
}

/// Lines of a code block or a poem written with `<br>` (Medium, WordPress's verse
/// block) stay lines; an empty item of a bulleted list is no bullet alone.
#[test]
fn breaks_in_a_code_block_and_empty_list_items() {
    let text = bulletin::render::html_to_text(
        "<pre>SELECT *<br>FROM orders<br/>WHERE id = $1;</pre>\
         <ul><li>Twitter</li><li class=\"share-end\"></li></ul>",
        None,
        80,
    );
    assert!(
        text.contains("SELECT *\nFROM orders\nWHERE id = $1;"),
        "{text}"
    );
    assert_eq!(text.matches('•').count(), 1, "{text}");
}

/// A pin that is one picture and no words, with no title: listed by its address, not as
/// a blank row.
#[test]
fn an_item_of_no_words_and_no_title_is_listed_by_its_address() {
    let feed = parse(
        r#"<rss version="2.0"><channel><title>Pins</title><link>https://pins.example/</link>
<item><link>https://pins.example/pin/12345/</link><guid>https://pins.example/pin/12345/</guid>
<description>&lt;a href="https://pins.example/pin/12345/"&gt;&lt;img src="https://i.pins.example/1.jpg"&gt;&lt;/a&gt;</description></item>
</channel></rss>"#,
    );
    assert_eq!(feed.items[0].title, "pins.example/pin/12345");
}
