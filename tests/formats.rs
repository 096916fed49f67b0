//! Every feed format and the odd charsets, on fixtures written here.

mod support;

use bulletin::parse::parse_feed;
use support::feeds;

#[test]
fn rss2_atom_json_rss1_rss091() {
    let cases: [(&str, &str, &str); 5] = [
        ("rss2", &feeds::rss("r", 2, 1), "r item 0"),
        ("atom", feeds::ATOM, "First post"),
        ("json", feeds::JSON_FEED, "Hello JSON"),
        ("rss1", feeds::RSS1, "RDF item"),
        ("rss091", feeds::RSS091, "Old item"),
    ];
    for (name, body, first_title) in cases {
        let feed = parse_feed(body.as_bytes(), None, "https://base.example/feed")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(feed.items[0].title, first_title, "{name}");
        assert!(!feed.items[0].guid.is_empty(), "{name}");
        assert!(
            feed.items[0]
                .link
                .as_deref()
                .unwrap()
                .starts_with("https://"),
            "{name}"
        );
    }
}

#[test]
fn windows_1252_from_the_http_header() {
    // "Smart quotes" and the euro sign are 0x93, 0x94 and 0x80 in windows-1252.
    let mut body = b"<rss version=\"2.0\"><channel><title>T</title><item><title>\x93Quoted\x94 \x80 5</title><guid>1</guid></item></channel></rss>".to_vec();
    body.extend_from_slice(b"\n");
    let feed = parse_feed(
        &body,
        Some("application/rss+xml; charset=windows-1252"),
        "http://x/",
    )
    .unwrap();
    assert_eq!(feed.items[0].title, "\u{201c}Quoted\u{201d} \u{20ac} 5");
}

#[test]
fn iso_8859_1_from_the_declaration() {
    let body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>R\xe9sum\xe9</title><item><title>Sm\xf8rrebr\xf8d</title><guid>1</guid></item></channel></rss>";
    let feed = parse_feed(body, Some("text/xml"), "http://x/").unwrap();
    assert_eq!(feed.title.as_deref(), Some("Résumé"));
    assert_eq!(feed.items[0].title, "Smørrebrød");
}

#[test]
fn iso_8859_15_and_utf16_with_bom() {
    let body = b"<?xml version=\"1.0\" encoding=\"iso-8859-15\"?><rss version=\"2.0\"><channel><title>\xa4 price</title></channel></rss>";
    assert_eq!(
        parse_feed(body, None, "http://x/")
            .unwrap()
            .title
            .as_deref(),
        Some("€ price")
    );

    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>日本語</title><item><title>ok</title><guid>1</guid></item></channel></rss>";
    let mut utf16 = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let feed = parse_feed(&utf16, None, "http://x/").unwrap();
    assert_eq!(feed.title.as_deref(), Some("日本語"));
    assert_eq!(feed.items.len(), 1);
}

#[test]
fn control_characters_are_removed_on_ingest() {
    let body = "<rss version=\"2.0\"><channel><title>T</title><item><title>Evil &#x1b;]52;c;aGk=&#x7;title&#x202e;</title><guid>1</guid><author>x&#x1b;[2Jy</author></item></channel></rss>";
    let feed = parse_feed(body.as_bytes(), None, "http://x/").unwrap();
    assert_eq!(feed.items[0].title, "Evil title");
}

#[test]
fn relative_links_resolve_against_the_feed_url() {
    let body = "<rss version=\"2.0\"><channel><title>T</title><item><title>a</title><link>/posts/a</link></item></channel></rss>";
    let feed = parse_feed(body.as_bytes(), None, "https://blog.example/feed.xml").unwrap();
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://blog.example/posts/a")
    );
    assert_eq!(feed.items[0].guid, "https://blog.example/posts/a");
}
