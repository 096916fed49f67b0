//! The direct reader against feed-rs: fixed documents, the demo and bench shapes, what is
//! left to feed-rs, and proptests over generated RSS and Atom.

use super::super::{finish, read_with_feed_rs};
use super::*;
use crate::model::ParsedFeed;
use proptest::prelude::*;

const BASE: &str = "https://example.org/blog/feed.xml";

/// The direct reader's result, after checking that feed-rs reads the same.
fn same_as_feed_rs(body: &str) -> Option<ParsedFeed> {
    // Both as `parse_feed` has them: the gaps filled from other namespaces after either.
    let direct = read(body, BASE).ok().map(|mut s| {
        super::super::fallbacks::fill(&mut s, body);
        finish(s, BASE)
    });
    if let Some(direct) = &direct {
        match read_with_feed_rs(body, BASE) {
            Ok(slow) => assert_eq!(direct, &slow, "the readers differ on:\n{body}"),
            Err(e) => panic!("feed-rs refused ({e}) what the direct reader read:\n{body}"),
        }
    }
    direct
}

fn rss(items: &str) -> String {
    format!(
        r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<!-- generator comment --><channel><title>Weekly &amp; more</title>
<atom:link href="https://example.org/feed" rel="self" type="application/rss+xml"/>
<link>https://example.org/</link><description>All the &lt;b&gt;news&lt;/b&gt;</description>
<language>en</language><sy:updatePeriod>daily</sy:updatePeriod>
<image><url>/logo.png</url><title>Logo</title><link>/</link></image>
{items}</channel></rss>"#
    )
}

fn atom(entries: &str) -> String {
    format!(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
<title type="html">Release &lt;i&gt;notes&lt;/i&gt;</title><subtitle>What changed</subtitle>
<id>urn:x</id><updated>2026-11-01T00:00:00Z</updated><link rel="self" href="/feed.atom"/>
<link href="/"/><author><name>Team</name></author><rights>CC</rights>
<generator uri="https://gen.example/">gen</generator>{entries}</feed>"#
    )
}

#[test]
fn plain_rss_is_read_directly_and_as_feed_rs_reads_it() {
    let body = rss(r#"
<item><title>First &#233;dition &nbsp; <![CDATA[with <b>CDATA</b>]]></title>
 <link> /posts/1 </link><guid isPermaLink="true"> https://example.org/posts/1 </guid>
 <comments>https://example.org/posts/1#comments</comments>
 <wfw:commentRss>https://example.org/posts/1/feed</wfw:commentRss>
 <pubDate>Fri, 30 Oct 2026 22:57:00 +0000</pubDate><dc:creator>Ana <!-- c --> Lee</dc:creator>
 <category>news</category><description><![CDATA[<p>Summary &amp; <a href="/x">link</a></p>]]></description>
 <content:encoded>&lt;p&gt;Full &lt;img src="img.png"&gt;&lt;/p&gt;</content:encoded></item>
<item><title/><description>Only a description, no guid or link</description>
 <dc:date>2026-11-02T10:00:00+01:00</dc:date><content:encoded></content:encoded></item>
<item><comments>/c/3</comments><link>/c/3</link><author>Someone</author>
 <updated>2026-11-03T00:00:00Z</updated><pubDate>Tue, 3 Nov 2026 09:05:00 GMT</pubDate></item>
<item><author>desk@example.org (Ingrid Sol)</author><author>Bo Li &lt;bo@example.co.uk&gt;</author></item>
"#);
    let feed = same_as_feed_rs(&body).expect("read directly");
    assert_eq!(feed.items.len(), 4);
    assert_eq!(feed.items[3].author.as_deref(), Some("Ingrid Sol"));
    assert_eq!(feed.title.as_deref(), Some("Weekly & more"));
    assert_eq!(feed.link.as_deref(), Some("https://example.org/"));
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://example.org/posts/1")
    );
    assert_eq!(feed.items[0].author.as_deref(), Some("Ana Lee"));
    assert!(feed.items[1].guid.starts_with("sha256:"));
}

#[test]
fn plain_atom_is_read_directly_and_as_feed_rs_reads_it() {
    let body = atom(
        r#"
<entry><title type="html">A &lt;b&gt;bold&lt;/b&gt; title</title><id> tag:x,2026:1 </id>
 <link href="/posts/1"/><link rel="enclosure" type="audio/mpeg" length="123" href="/a.mp3"/>
 <link rel="replies" href="/posts/1#c"/><updated>2026-11-01T10:00:00Z</updated>
 <published>2026-10-31T10:00:00-05:00</published><author><name> Bo </name><email>b@x.org</email></author>
 <content type="html">&lt;p&gt;Hello&lt;/p&gt;</content><summary>Plain summary</summary>
 <category term="x"/><contributor><name>C</name></contributor></entry>
<entry><title>No id, plain content</title><content>Line one

Line two</content><wfw:commentRss>/c.rss</wfw:commentRss></entry>
<entry><id></id><title type="text"></title><content type="text/html"><![CDATA[<p>x</p>]]></content>
 <author><email>only@x.org</email></author><author><name>Second</name></author></entry>
"#,
    );
    let feed = same_as_feed_rs(&body).expect("read directly");
    assert_eq!(feed.items.len(), 3);
    assert_eq!(feed.link.as_deref(), Some("https://example.org/"));
    assert_eq!(feed.items[0].enclosures.len(), 1);
    // An address alone names the person, as feedparser has it.
    assert_eq!(feed.items[2].author.as_deref(), Some("only@x.org"));
}

#[test]
fn the_demo_bulletins_and_the_bench_corpus_shapes_are_read_directly() {
    // The shapes bench/gen_corpus.py writes: if they fell back to feed-rs, the
    // benchmark would silently measure the slow reader.
    let bench_rss = r#"<rss version="2.0"><channel><title>Weekly #1</title>
<link>https://bench.example/1/</link><description>Feed 1</description><item>
<title>Item 31: cloud &amp; more</title><link>https://bench.example/1/31</link>
<guid>https://bench.example/1/31</guid><pubDate>Fri, 30 Oct 2026 22:57:00 +0000</pubDate>
<description>&lt;p&gt;See &lt;a href="/posts/31/0"&gt;the details&lt;/a&gt; &amp;amp; more.&lt;/p&gt;
&lt;ul&gt;&lt;li&gt;Ferry 한국어 team.&lt;/li&gt;&lt;/ul&gt;</description></item></channel></rss>"#;
    let bench_atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Weekly #2</title>
<id>urn:bench:2</id><link href="https://bench.example/2/"/><updated>2026-11-01T00:00:00Z</updated>
<entry><title>Item 4: patch</title><id>https://bench.example/2/4</id>
<link href="https://bench.example/2/4"/><updated>2026-10-30T22:57:00Z</updated>
<content type="html">&lt;p&gt;Patch 🔒 &lt;b&gt;now&lt;/b&gt;.&lt;/p&gt;</content></entry></feed>"#;
    for body in [
        include_str!("../../demo/security-weekly.xml"),
        include_str!("../../demo/release-notes.xml"),
        bench_rss,
        bench_atom,
    ] {
        let body = super::super::strip_xml_declaration(body);
        assert!(same_as_feed_rs(body).is_some(), "left to feed-rs:\n{body}");
    }
}

#[test]
fn anything_outside_the_subset_is_left_to_feed_rs() {
    let outside = [
        rss(r#"<item><enclosure url="/a.mp3" type="audio/mpeg" length="1"/></item>"#),
        rss(
            r#"<item xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><title>x</title></item>"#,
        ),
        rss(r#"<item><title>T</title><foo:bar>undeclared</foo:bar></item>"#),
        rss(r#"<item xml:base="/sub/"><link>x</link></item>"#),
        rss(r#"<item><pubDate>Wed, 25 Aug 2026 10:00:00 GMT</pubDate></item>"#),
        rss(r#"<item><pubDate>25 August 2026 10:00 UTC</pubDate></item>"#),
        rss(r#"<item><author>Name &lt;mailto:mail@example.org&gt;</author></item>"#),
        rss(r#"<item><title>a <b>b</b></title></item>"#),
        rss(r#"<item><title>unclosed</item>"#),
        atom(r#"<entry><content type="xhtml"><div>x</div></content></entry>"#),
        atom(r#"<entry><content src="/x" type="text/html"/></entry>"#),
        atom(r#"<entry><title type="image/png">x</title></entry>"#),
        r#"<!DOCTYPE rss [<!ENTITY a "b">]><rss version="2.0"><channel/></rss>"#.into(),
        r#"<rss version="0.91"><channel><title>old</title></channel></rss>"#.into(),
        r#"<rss version="2.0" xmlns="http://purl.org/rss/1.0/"><channel/></rss>"#.into(),
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>"#.into(),
        r#"{"version": "https://jsonfeed.org/version/1.1", "title": "j", "items": []}"#.into(),
        "<rss version=\"2.0\"><channel><title>cut".into(),
    ];
    for body in outside {
        assert!(same_as_feed_rs(&body).is_none(), "read directly:\n{body}");
    }
}

/// Pieces that have tripped readers: entities known and not, CDATA, comments, stray
/// whitespace, markup, relative and odd URLs, control characters, non-ASCII.
fn text_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        " ",
        "plain",
        "  padded  ",
        "a &amp; b",
        "&lt;b&gt;bold&lt;/b&gt;",
        "&#233;t&#xE9;",
        "&nbsp;x&hellip;",
        "<![CDATA[<p>c &amp; d</p>]]>",
        "<![CDATA[]]>",
        "x<!-- c -->y",
        "line\none",
        "tab\there",
        "\u{1b}[31mred",
        "日本語 🔒",
        "/relative/path",
        "?q=1&amp;b=2",
        "https://example.org/a b",
        "mailto:x@example.org",
        "javascript:alert(1)",
        "#frag",
        "\u{a0}nbsp\u{a0}",
        "<b>tag</b>",
        "desk@example.org (Ingrid Sol)",
        "Bo &lt;bo@x.co.uk&gt;",
        " a@b.org ",
        "a@b.c",
        "x@y",
        "a@b.org.",
        "(a@b.org) A Long Name",
        "é a@b.org x",
        "mailto:a@b.org",
        "a@b.org\u{3000}(Name)",
        "_a@b.org",
        "a@b.org@c.org",
    ])
    .prop_map(str::to_string)
}

fn date_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Fri, 30 Oct 2026 22:57:00 +0000",
        "30 Oct 2026 22:57:00 GMT",
        "Fri, 30 Oct 2026 22:57 EST",
        "Sat, 30 Oct 2026 22:57:00 +0000",
        "Fri, 30 October 2026 22:57:00 UTC",
        "Fri, 30 Oct 2026 2:57:00 -0000",
        "2026-10-30T22:57:00Z",
        "2026-10-30T22:57:00.123+02:00",
        "2026-10-30T22:57:00+0200",
        "2026-10-30",
        " 2026-10-30T22:57:00Z ",
        "yesterday",
        "",
        "Fri, 30 Oct 2026 24:00:00 +0000",
    ])
    .prop_map(str::to_string)
}

fn rss_item_child() -> impl Strategy<Value = String> {
    let t = text_piece;
    prop_oneof![
        t().prop_map(|s| format!("<title>{s}</title>")),
        t().prop_map(|s| format!("<link>{s}</link>")),
        t().prop_map(|s| format!("<guid>{s}</guid>")),
        t().prop_map(|s| format!("<description>{s}</description>")),
        t().prop_map(|s| format!("<content:encoded>{s}</content:encoded>")),
        t().prop_map(|s| format!("<comments>{s}</comments>")),
        t().prop_map(|s| format!("<wfw:commentRss>{s}</wfw:commentRss>")),
        t().prop_map(|s| format!("<author>{s}</author>")),
        t().prop_map(|s| format!("<dc:creator>{s}</dc:creator>")),
        t().prop_map(|s| format!("<category>{s}</category>")),
        t().prop_map(|s| format!("<sy:other>{s}</sy:other>")),
        date_piece().prop_map(|s| format!("<pubDate>{s}</pubDate>")),
        date_piece().prop_map(|s| format!("<dc:date>{s}</dc:date>")),
        date_piece().prop_map(|s| format!("<atom:updated>{s}</atom:updated>")),
        Just("<title/>".to_string()),
        Just("<guid isPermaLink=\"false\"/>".to_string()),
        // Text straight inside <item>, which both readers ignore.
        t(),
        Just("<atom:link href=\"/x\"/>".to_string()),
    ]
}

fn atom_entry_child() -> impl Strategy<Value = String> {
    let t = text_piece;
    let kind = || {
        prop::sample::select(vec![
            "",
            " type=\"text\"",
            " type=\"html\"",
            " type=\"text/html\"",
        ])
    };
    prop_oneof![
        (kind(), t()).prop_map(|(k, s)| format!("<title{k}>{s}</title>")),
        (kind(), t()).prop_map(|(k, s)| format!("<content{k}>{s}</content>")),
        (kind(), t()).prop_map(|(k, s)| format!("<summary{k}>{s}</summary>")),
        t().prop_map(|s| format!("<id>{s}</id>")),
        t().prop_map(|s| format!("<author><name>{s}</name></author>")),
        t().prop_map(|s| format!("<author><email>{s}</email><uri>{s}</uri></author>")),
        t().prop_map(|s| format!("<wfw:commentRss>{s}</wfw:commentRss>")),
        date_piece().prop_map(|s| format!("<updated>{s}</updated>")),
        date_piece().prop_map(|s| format!("<published>{s}</published>")),
        (
            prop::sample::select(vec![
                "",
                " rel=\"alternate\"",
                " rel=\"enclosure\"",
                " rel=\"self\""
            ]),
            prop::sample::select(vec![
                "/p/1",
                "https://example.org/p/2",
                " /p/3 ",
                "",
                "a&amp;b"
            ]),
            prop::sample::select(vec![
                "",
                " type=\"audio/mpeg\"",
                " length=\"12\"",
                " length=\"x\""
            ]),
        )
            .prop_map(|(rel, href, extra)| format!("<link{rel} href=\"{href}\"{extra}/>")),
        Just("<link rel=\"alternate\"/>".to_string()),
        Just("<category term=\"x\"/>".to_string()),
        Just("<title/>".to_string()),
        Just("<id/>".to_string()),
        t(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn rss_reads_the_same_both_ways(items in prop::collection::vec(
        prop::collection::vec(rss_item_child(), 0..8), 0..4)) {
        let items: String = items.iter().map(|c| format!("<item>{}</item>\n", c.concat())).collect();
        same_as_feed_rs(&rss(&items));
    }

    #[test]
    fn atom_reads_the_same_both_ways(entries in prop::collection::vec(
        prop::collection::vec(atom_entry_child(), 0..8), 0..4)) {
        let entries: String =
            entries.iter().map(|c| format!("<entry>{}</entry>\n", c.concat())).collect();
        same_as_feed_rs(&atom(&entries));
    }
}

/// The unescaping as it was before its shortcuts for `&lt;` and the like (one search for
/// the `;` and one for the next `&` per reference): the shortcuts change nothing.
fn unescape_by_searching(raw: &str) -> Step<Option<String>> {
    if raw.is_empty() {
        return Ok(None);
    }
    let Some(first) = memchr::memchr(b'&', raw.as_bytes()) else {
        return Ok(Some(raw.to_string()));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    while let Some(after_amp) = rest.strip_prefix('&') {
        let stop = memchr::memchr2(b';', b'&', after_amp.as_bytes()).or_give_up()?;
        if after_amp.as_bytes()[stop] != b';' {
            return Err(GiveUp);
        }
        text::push_reference(
            &mut out,
            &quick_xml::events::BytesRef::new(&after_amp[..stop]),
        )?;
        let tail = &after_amp[stop + 1..];
        let next = memchr::memchr(b'&', tail.as_bytes()).unwrap_or(tail.len());
        out.push_str(&tail[..next]);
        rest = &tail[next..];
    }
    Ok(Some(out))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Escaped markup and its near misses: references cut short, unknown, numeric,
    /// back to back, at either end, next to multi-byte letters.
    #[test]
    fn unescaping_agrees_with_a_search_per_reference(
        parts in prop::collection::vec(prop_oneof![
            Just("&lt;"), Just("&gt;"), Just("&amp;"), Just("&quot;"), Just("&apos;"),
            Just("&lt"), Just("&g"), Just("&amp"), Just("&quo"), Just("&"), Just(";"),
            Just("&#60;"), Just("&#x3C;"), Just("&#xZZ;"), Just("&nbsp;"), Just("&;"),
            Just("p"), Just("lt;"), Just("word "), Just("ø"), Just("日本"),
            Just("a long run of plain words between two tags"),
        ], 0..24)
    ) {
        let raw = parts.concat();
        prop_assert_eq!(
            text::unescape_text(&raw).ok(),
            unescape_by_searching(&raw).ok(),
            "{}", raw
        );
    }
}
