//! An item's files as podcasts and media sites write them, each shape read against a
//! web address and against a local file (the two take different paths through the
//! parser): an enclosure beside a sized Media RSS object, a player's page, attribute
//! names in capitals, xml:base, Atom enclosure links in RSS and in capitals, RSS 1.0's
//! files, addresses that are no files. A differential attack against feedparser found
//! each of these read wrong.

use bulletin::parse::parse_feed;

const WEB: &str = "https://feeds.example.org/show.xml";
const LOCAL: &str = "file:///srv/feeds/show.xml";
const MEDIA: &str = r#"xmlns:media="http://search.yahoo.com/mrss/""#;

/// A file as (url, type, length).
type File = (String, Option<String>, Option<u64>);

/// Each item's files, read with both bases.
fn files(body: &str) -> Vec<Vec<File>> {
    let read = |base: &str| -> Vec<Vec<File>> {
        parse_feed(body.as_bytes(), None, base)
            .unwrap_or_else(|e| panic!("{e}: {body}"))
            .items
            .into_iter()
            .map(|i| {
                i.enclosures
                    .into_iter()
                    .map(|e| (e.url, e.mime, e.length))
                    .collect()
            })
            .collect()
    };
    let web = read(WEB);
    assert_eq!(web, read(LOCAL), "the two paths disagree on {body}");
    web
}

fn file(
    url: &str,
    mime: Option<&str>,
    length: Option<u64>,
) -> (String, Option<String>, Option<u64>) {
    (url.to_string(), mime.map(String::from), length)
}

fn rss(ns: &str, items: &str) -> String {
    format!(
        r#"<rss version="2.0" {ns}><channel><title>Show</title><link>https://show.example/</link>{items}</channel></rss>"#
    )
}

#[test]
fn an_enclosure_beside_a_sized_media_object_is_not_lost() {
    let body = rss(
        MEDIA,
        r#"<item><title>Ep 1</title><guid>ep1</guid>
<enclosure url="https://cdn.example/ep1.mp3" length="123456" type="audio/mpeg"/>
<media:content url="https://cdn.example/ep1-cover.jpg" type="image/jpeg" fileSize="5000" medium="image"/></item>"#,
    );
    assert_eq!(
        files(&body),
        [[
            file(
                "https://cdn.example/ep1.mp3",
                Some("audio/mpeg"),
                Some(123456)
            ),
            file(
                "https://cdn.example/ep1-cover.jpg",
                Some("image/jpeg"),
                Some(5000)
            ),
        ]]
    );
}

#[test]
fn a_players_page_is_no_file() {
    let body = rss(
        MEDIA,
        r#"<item><title>Clip</title><guid>c1</guid>
<media:content url="https://cdn.example/c1.mp4" type="video/mp4" fileSize="123456">
<media:player url="https://video.example/embed/c1"/></media:content></item>
<item><title>Only a player</title><guid>c2</guid>
<media:content type="video/x-flv"><media:player url="https://video.example/player?id=5"/></media:content></item>"#,
    );
    assert_eq!(
        files(&body),
        [
            vec![file(
                "https://cdn.example/c1.mp4",
                Some("video/mp4"),
                Some(123456)
            )],
            vec![]
        ]
    );
}

#[test]
fn attribute_names_in_capitals_and_padded_values_are_read() {
    let body = rss(
        "",
        r#"<item><title>Caps</title><guid>u1</guid><enclosure URL="https://cdn.example/u1.mp3" LENGTH="77" TYPE="audio/mpeg"/></item>
<item><title>Padded</title><guid>u2</guid><enclosure url=" https://cdn.example/u2.mp3 " length=" 31337 " type=" audio/mpeg "/></item>"#,
    );
    assert_eq!(
        files(&body),
        [
            [file(
                "https://cdn.example/u1.mp3",
                Some("audio/mpeg"),
                Some(77)
            )],
            [file(
                "https://cdn.example/u2.mp3",
                Some("audio/mpeg"),
                Some(31337)
            )]
        ]
    );
}

#[test]
fn a_relative_enclosure_resolves_against_the_xml_base_in_scope_only() {
    let body = r#"<rss version="2.0"><channel xml:base="https://media.example/pod/"><title>B</title><link>https://show.example/</link>
<item><title>1</title><guid>b1</guid><enclosure url="b1.mp3" length="10" type="audio/mpeg"/></item>
<item xml:base="https://other.example/x/"><title>2</title><guid>b2</guid><enclosure url="b2.mp3" length="0" type="audio/mpeg"/></item>
</channel></rss>"#;
    assert_eq!(
        files(body),
        [
            [file(
                "https://media.example/pod/b1.mp3",
                Some("audio/mpeg"),
                Some(10)
            )],
            [file(
                "https://other.example/x/b2.mp3",
                Some("audio/mpeg"),
                Some(0)
            )]
        ]
    );
}

#[test]
fn a_size_said_by_media_rss_only_is_kept() {
    let body = rss(
        MEDIA,
        r#"<item><title>Sized</title><guid>s1</guid>
<enclosure url="https://cdn.example/s1.mp3" length="0" type="audio/mpeg"/>
<media:content url="https://cdn.example/s1.mp3" fileSize="777" type="audio/mpeg"/></item>"#,
    );
    assert_eq!(
        files(&body),
        [[file(
            "https://cdn.example/s1.mp3",
            Some("audio/mpeg"),
            Some(777)
        )]]
    );
}

#[test]
fn atom_enclosure_links_in_capitals_or_in_rss_items_are_files() {
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>Caps</title><id>urn:a:1</id><updated>2026-01-01T00:00:00Z</updated><link href="https://show.example/1"/>
<link rel="Enclosure" type="audio/mpeg" length="5" href="https://cdn.example/a1.mp3"/></entry></feed>"#;
    assert_eq!(
        files(atom),
        [[file(
            "https://cdn.example/a1.mp3",
            Some("audio/mpeg"),
            Some(5)
        )]]
    );
    let in_rss = rss(
        r#"xmlns:atom="http://www.w3.org/2005/Atom""#,
        r#"<item><title>Atom in RSS</title><guid>r1</guid><link>https://show.example/r1</link>
<atom:link rel="enclosure" type="audio/mpeg" length="9" href="https://cdn.example/r1.mp3"/></item>"#,
    );
    assert_eq!(
        files(&in_rss),
        [[file(
            "https://cdn.example/r1.mp3",
            Some("audio/mpeg"),
            Some(9)
        )]]
    );
}

#[test]
fn rss_1_0_items_keep_their_files() {
    let body = format!(
        r#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" {MEDIA}>
<channel rdf:about="https://show.example/"><title>R</title><link>https://show.example/</link><description>d</description></channel>
<item rdf:about="https://show.example/r2"><title>Enclosure</title><link>https://show.example/r2</link>
<enclosure url="https://cdn.example/r2.mp3" length="55" type="audio/mpeg"/></item>
<item rdf:about="https://show.example/r3"><title>Media</title><link>https://show.example/r3</link>
<media:content url="https://cdn.example/r3.jpg" type="image/jpeg" fileSize="66"/></item></rdf:RDF>"#
    );
    assert_eq!(
        files(&body),
        [
            [file(
                "https://cdn.example/r2.mp3",
                Some("audio/mpeg"),
                Some(55)
            )],
            [file(
                "https://cdn.example/r3.jpg",
                Some("image/jpeg"),
                Some(66)
            )]
        ]
    );
}

#[test]
fn an_address_that_is_no_file_is_dropped() {
    let body = rss(
        "",
        r#"<item><title>Mail</title><guid>m1</guid><enclosure url="mailto:show@example.com" length="10" type="audio/mpeg"/></item>"#,
    );
    assert_eq!(files(&body), [Vec::<File>::new()]);
}

#[test]
fn an_itunes_title_names_an_episode_without_a_title() {
    let body = rss(
        r#"xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd""#,
        r#"<item><itunes:title>Hiking Treks Trailer</itunes:title><guid>t1</guid>
<description>The Sunset Explorers share tips.</description>
<enclosure url="https://cdn.example/t1.m4a" length="498537" type="audio/x-m4a"/></item>"#,
    );
    let feed = parse_feed(body.as_bytes(), None, WEB).unwrap();
    assert_eq!(feed.items[0].title, "Hiking Treks Trailer");
}

#[test]
fn a_player_at_a_files_own_address_leaves_the_file() {
    let body = rss(
        MEDIA,
        r#"<item><title>A</title><guid>a</guid>
<enclosure url="https://cdn.example/a.mp3" length="100" type="audio/mpeg"/>
<media:player url="https://cdn.example/a.mp3"/></item>"#,
    );
    assert_eq!(
        files(&body),
        [[file(
            "https://cdn.example/a.mp3",
            Some("audio/mpeg"),
            Some(100)
        )]]
    );
}

#[test]
fn a_relative_xml_base_resolves_against_the_feeds_address_once() {
    let body = r#"<rss version="2.0"><channel><title>P</title><link>https://show.example/</link>
<item xml:base="/media/"><title>E1</title><guid>e1</guid><enclosure url="ep1.mp3" type="audio/mpeg"/></item>
</channel></rss>"#;
    let feed = parse_feed(body.as_bytes(), None, WEB).unwrap();
    let urls: Vec<&str> = feed.items[0]
        .enclosures
        .iter()
        .map(|e| e.url.as_str())
        .collect();
    assert_eq!(urls, ["https://feeds.example.org/media/ep1.mp3"]);
}

/// WordPress gives each post its author's Gravatar as a Media RSS picture: no file of the
/// post's. The post's own pictures and its enclosure stay.
#[test]
fn an_authors_gravatar_is_no_attachment() {
    let body = rss(
        MEDIA,
        r#"<item><title>Yoke</title><guid>p1</guid>
<media:content url="https://blog.example/yoke.jpg" medium="image"><media:title type="html">yoke</media:title></media:content>
<media:content url="https://2.gravatar.com/avatar/0a1b2c?s=96&amp;d=identicon&amp;r=G" medium="image"><media:title type="html">knitter</media:title></media:content>
<enclosure url="https://blog.example/talk.mp3" length="10" type="audio/mpeg"/></item>
<item><title>Swap</title><guid>p2</guid>
<media:content url="https://secure.gravatar.com/avatar/9f8e?s=96" medium="image"/></item>"#,
    );
    assert_eq!(
        files(&body),
        [
            vec![
                file("https://blog.example/yoke.jpg", None, None),
                file(
                    "https://blog.example/talk.mp3",
                    Some("audio/mpeg"),
                    Some(10)
                ),
            ],
            vec![],
        ]
    );
}
