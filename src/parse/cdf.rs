//! Microsoft's Channel Definition Format (CDF, 1997), which feedparser still reads and a
//! few old sites still serve: a root `<CHANNEL HREF="...">` with `<TITLE>`, `<ABSTRACT>`
//! and `<ITEM HREF="..." LASTMOD="...">`s, element and attribute names in any case,
//! sub-channels nested in the channel. Neither reader knows it: the document is
//! rewritten as the RSS 2.0 it means (the channel's address, title and abstract; each
//! item's, and its time), items of sub-channels with the rest, as feedparser lists them.
//!
//! A `<channel>` root in RSS's own words (a feed that lost its `<rss>`) is no CDF: only
//! a root or item with an `HREF`, or an `ABSTRACT`, makes one.

use super::repair::xml_escape as escape;
use std::fmt::Write;

/// The document as RSS 2.0, or None when it is not CDF (a look at its first kilobyte).
pub(super) fn as_rss(body: &str, head: &str) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    if !lower.contains("<channel") || lower.contains("<rss") || lower.contains("rdf:rdf") {
        return None;
    }
    let doc = super::fallbacks::tree(body)?;
    let root = doc.root_element();
    if !is(root, "channel") {
        return None;
    }
    let items: Vec<roxmltree::Node> = root.descendants().filter(|n| is(*n, "item")).collect();
    let cdf = href(root).is_some()
        || items.iter().any(|i| href(*i).is_some())
        || root.descendants().any(|n| is(n, "abstract"));
    if !cdf {
        return None;
    }
    let mut out = String::with_capacity(body.len() + 256);
    out.push_str("<rss version=\"2.0\"><channel>");
    fields(&mut out, root);
    for item in items {
        out.push_str("<item>");
        fields(&mut out, item);
        out.push_str("</item>");
    }
    out.push_str("</channel></rss>");
    Some(out)
}

/// A channel's or item's title, address, abstract and time, as RSS elements.
fn fields(out: &mut String, node: roxmltree::Node) {
    let child_text = |name: &str| {
        node.children().find(|c| is(*c, name)).map(|c| {
            c.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
        })
    };
    if let Some(title) = child_text("title") {
        let _ = write!(out, "<title>{}</title>", escape(title.trim()));
    }
    if let Some(link) = href(node) {
        let _ = write!(out, "<link>{}</link>", escape(link.trim()));
    }
    if let Some(abs) = child_text("abstract") {
        let _ = write!(out, "<description>{}</description>", escape(abs.trim()));
    }
    if let Some(when) = attr(node, "lastmod") {
        let _ = write!(out, "<pubDate>{}</pubDate>", escape(when.trim()));
    }
}

/// An element of CDF's: no namespace (`dcterms:abstract` in an RSS channel is not one).
fn is(node: roxmltree::Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace().is_none()
        && node.tag_name().name().eq_ignore_ascii_case(name)
}

fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value())
}

fn href<'a>(node: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    attr(node, "href").filter(|h| !h.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::as_rss;

    fn rss(body: &str) -> Option<String> {
        as_rss(body, &body[..body.len().min(1024)])
    }

    #[test]
    fn a_cdf_channel_reads_as_the_rss_it_means() {
        let body = r#"<?xml version="1.0"?>
<CHANNEL HREF="http://example.org/" LASTMOD="2004-04-06T23:05:43-05:00">
  <TITLE>News &amp; views</TITLE><ABSTRACT>What is new</ABSTRACT>
  <LOGO HREF="http://example.org/logo.gif" STYLE="IMAGE"/>
  <ITEM HREF="http://example.org/1.html" LASTMOD="2004-04-06T23:05:43-05:00">
    <TITLE>One</TITLE><ABSTRACT>The first &lt;b&gt;one&lt;/b&gt;</ABSTRACT>
  </ITEM>
  <CHANNEL HREF="http://example.org/sub/"><TITLE>Sub</TITLE>
    <item href="http://example.org/2.html"><title>Two</title></item>
  </CHANNEL>
</CHANNEL>"#;
        let out = rss(body).unwrap();
        assert!(out.starts_with("<rss version=\"2.0\"><channel><title>News &amp; views</title><link>http://example.org/</link><description>What is new</description><pubDate>2004-04-06T23:05:43-05:00</pubDate><item>"), "{out}");
        assert!(out.contains("<item><title>One</title><link>http://example.org/1.html</link><description>The first &lt;b&gt;one&lt;/b&gt;</description>"), "{out}");
        assert!(
            out.contains("<item><title>Two</title><link>http://example.org/2.html</link></item>"),
            "{out}"
        );
        let feed =
            crate::parse::parse_feed(body.as_bytes(), None, "http://example.org/cdf").unwrap();
        assert_eq!(feed.title.as_deref(), Some("News & views"));
        let titles: Vec<&str> = feed.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two"]);
        assert_eq!(
            feed.items[0].link.as_deref(),
            Some("http://example.org/1.html")
        );
        assert!(feed.items[0].published.is_some());
    }

    #[test]
    fn rss_without_its_rss_element_is_no_cdf() {
        assert!(rss("<channel><title>T</title><item><title>a</title><link>http://a/</link></item></channel>").is_none());
        assert!(rss("<rss><channel href=\"x\"/></rss>").is_none());
        assert!(
            rss("<CHANNEL HREF=\"http://a/\"><ITEM>").is_none(),
            "not XML"
        );
        let dcterms = "<channel xmlns:dcterms=\"http://purl.org/dc/terms/\"><title>R</title><dcterms:abstract>x</dcterms:abstract><item><title>A</title><link>https://r/a</link></item></channel>";
        assert!(rss(dcterms).is_none());
    }
}
