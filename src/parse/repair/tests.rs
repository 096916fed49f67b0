//! The repair on small documents, one kind of breakage each.

use super::*;

#[test]
fn entities_and_stray_markup() {
    let out = repair("<rss><channel><title>Caf&eacute; &amp; AT&T &#150; &#0; &bogus; a < b</title></channel></rss>");
    assert_eq!(
        out,
        "<rss version=\"2.0\"><channel><title>Café &amp; AT&amp;T – \u{FFFD} &amp;bogus; a &lt; b</title></channel></rss>"
    );
}

#[test]
fn truncated_and_unbalanced() {
    let out = repair("<rss version=\"2.0\"><channel><item><title>One</title><description>x <b>y</description></item><item><title>Tw");
    assert_eq!(
        out,
        "<rss version=\"2.0\"><channel><item><title>One</title><description>x <b>y</b></description></item></channel></rss>"
    );
    // The item the cut fell in goes whole, however far it came.
    let out = repair("<rss version=\"2.0\"><channel><title>C</title><item><title>Ep 3</title><enclosure url=\"http://x/3.mp3\"/><description>Sh");
    assert_eq!(
        out,
        "<rss version=\"2.0\"><channel><title>C</title></channel></rss>"
    );
    let out = repair(
        "<feed><title>t</title><entry><title>a</title></entry><entry><title>b</title><content>c",
    );
    assert_eq!(
        out,
        "<feed><title>t</title><entry><title>a</title></entry></feed>"
    );
    // An item whose fields all ended and whose guid came stays (the whole item, later,
    // is the same article); without its guid it goes, as does one cut inside a field.
    let out = repair("<rss version=\"2.0\"><channel><item><title>a</title><guid>g-a</guid><link>http://x/a</link>");
    assert!(
        out.ends_with("<guid>g-a</guid><link>http://x/a</link></item></channel></rss>"),
        "{out}"
    );
    // In a feed whose items have no guid, the link is the id: such an item stays; where
    // the items before had one, it goes.
    let out = repair("<rss version=\"2.0\"><channel><item><title>a</title><link>http://x/a</link>");
    assert!(
        out.ends_with("<link>http://x/a</link></item></channel></rss>"),
        "{out}"
    );
    let out = repair("<rss version=\"2.0\"><channel><item><guid>g-1</guid></item><item><title>a</title><link>http://x/a</link>");
    assert_eq!(
        out,
        "<rss version=\"2.0\"><channel><item><guid>g-1</guid></item></channel></rss>"
    );
    // A CDATA never closed: its text goes, its item stays when its guid came.
    let out = repair(
        "<rss version=\"2.0\"><channel><item><guid>g-a</guid><title>a</title><description><![CDATA[<p>b",
    );
    assert!(
        out.contains("<title>a</title><description></description></item>"),
        "{out}"
    );
    let out = repair("<feed></entry><title>t</title></feed>junk<more/>");
    assert_eq!(out, "<feed><title>t</title></feed>");
}

#[test]
fn dtd_entities_one_level_and_external_ones_never() {
    let out = repair(
        "<!DOCTYPE rss [<!ENTITY brand \"Acme &amp; Co\"><!ENTITY a \"&brand;&brand;\"><!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><title>&brand; &a; &x;</title></rss>",
    );
    assert_eq!(
        out,
        "<rss version=\"2.0\"><title>Acme &amp; Co &amp;brand;&amp;brand; &amp;x;</title></rss>"
    );
}

#[test]
fn atom_03_becomes_atom_10() {
    let out = repair(
        "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><tagline>T</tagline><entry><issued>2004</issued><content type=\"text/html\" mode=\"base64\">PGI+eDwvYj4=</content><summary type=\"text/html\" mode=\"escaped\">&lt;i&gt;y&lt;/i&gt;</summary></entry></feed>",
    );
    assert_eq!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><subtitle type=\"html\">T</subtitle><entry><published>2004</published><content type=\"html\">&lt;b&gt;x&lt;/b&gt;</content><summary type=\"html\">&lt;i&gt;y&lt;/i&gt;</summary></entry></feed>"
    );
}

#[test]
fn case_and_dublin_core_stand_ins() {
    let out = repair(
        "<RSS><Channel><Item><dc:title>D</dc:title><PubDate>x</PubDate></Item></Channel></RSS>",
    );
    assert_eq!(
        out,
        "<rss version=\"2.0\"><channel><item><title>D</title><pubDate>x</pubDate></item></channel></rss>"
    );
}

#[test]
fn needed_first_spots_what_readers_misread() {
    assert!(needed_first("<rss xmlns:itunes=\"x\"><channel/></rss>"));
    assert!(needed_first("<RSS version=\"2.0\"></RSS>"));
    assert!(needed_first(
        "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
    ));
    assert!(!needed_first("<rss version=\"2.0\"><channel/></rss>"));
    assert!(!needed_first(
        "<!-- c --><feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
}

/// `&nbsp;` in CDATA or a comment is text, not markup: no repair is asked for; in
/// markup it is.
#[test]
fn html_entities_are_looked_for_in_markup_only() {
    use super::names_html_entities as names;
    assert!(!names(
        "<rss><item><description><![CDATA[a&nbsp;b]]></description></item></rss>"
    ));
    assert!(!names(
        "<rss><!-- &copy; 2026 --><item>&amp; &lt; &#160;</item></rss>"
    ));
    assert!(names(
        "<feed><content type=\"xhtml\"><div>&eacute;t&eacute;</div></content></feed>"
    ));
    assert!(names("<rss><![CDATA[x]]><t>&nbsp;</t><!-- c --></rss>"));
    assert!(!names("<rss><![CDATA[never closed &nbsp;"));
}

#[test]
fn a_quote_left_open_ends_with_its_tag() {
    // The quote would have closed in the next tag: the rest of the document was one
    // attribute, and the feed was refused.
    let out = repair("<rss version=\"2.0\"><channel><item><enclosure url=\"http://x/1.mp3 length=\"12\" type=\"audio/mpeg\"/><title>A</title></item><item><link>http://x/2</link><atom:link href=\"http://x/f type=\"a/b/><title>B</title></item></channel></rss>");
    assert_eq!(
        out,
        "<rss version=\"2.0\"><channel><item><enclosure url=\"http://x/1.mp3 length=\" type=\"audio/mpeg\"/><title>A</title></item><item><link>http://x/2</link><atom:link href=\"http://x/f type=\" a=\"\" b=\"\"/><title>B</title></item></channel></rss>"
    );
    // A `<` inside a value that closes is the value's.
    let out = repair("<rss version=\"2.0\"><channel><item><media:content url=\"http://x/p.jpg\" title=\"<b>Bold</b> I <3 it\"/><enclosure url=\"http://x/e.mp3\"/><title>D</title></item></channel></rss>");
    assert!(
        out.contains("title=\"&lt;b>Bold&lt;/b> I &lt;3 it\"/><enclosure url=\"http://x/e.mp3\"/>"),
        "{out}"
    );
    // No closing quote before the next tag: the value ends with its own tag.
    let out = repair("<rss version=\"2.0\"><channel><item><link href=\"http://x/3/><title>C</title></item></channel></rss>");
    assert_eq!(
        out,
        "<rss version=\"2.0\"><channel><item><link href=\"http://x/3/\"/><title>C</title></item></channel></rss>"
    );
}
