//! Feed documents written for the tests.

/// An RSS 2.0 feed with `n` items; `version` changes the item text so a refresh sees edits.
pub fn rss(title: &str, n: usize, version: u32) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>https://example.org/</link>\n"
    );
    for i in 0..n {
        s.push_str(&format!(
            "<item><title>{title} item {i}</title><guid>{title}-{i}</guid><link>https://example.org/{title}/{i}</link>\
             <pubDate>Mon, {:02} Nov 2026 10:00:00 +0000</pubDate>\
             <description>&lt;p&gt;Body {i} version {version}&lt;/p&gt;</description></item>\n",
            (i % 28) + 1
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

pub const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/blog/">
  <title type="html">Atom &amp;amp; friends</title>
  <id>urn:atom</id>
  <link href="https://atom.example/"/>
  <updated>2026-11-01T00:00:00Z</updated>
  <entry>
    <title>First &amp;nbsp;post</title>
    <id>urn:atom:1</id>
    <link href="posts/1"/>
    <updated>2026-11-01T10:00:00Z</updated>
    <author><name>Ada</name></author>
    <content type="html">&lt;p&gt;See &lt;a href="other"&gt;the other post&lt;/a&gt;.&lt;/p&gt;</content>
    <link rel="enclosure" type="audio/mpeg" length="1234" href="https://atom.example/a.mp3"/>
  </entry>
</feed>"#;

pub const JSON_FEED: &str = r#"{"version":"https://jsonfeed.org/version/1.1","title":"JSON one",
 "home_page_url":"https://json.example/","items":[
 {"id":"j1","url":"https://json.example/1","title":"Hello JSON","content_html":"<p>Hi <b>there</b></p>",
  "date_published":"2026-11-02T08:00:00Z","authors":[{"name":"Jo"}]}]}"#;

pub const RSS1: &str = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://rdf.example/"><title>RDF feed</title><link>https://rdf.example/</link><description>d</description></channel>
  <item rdf:about="https://rdf.example/1"><title>RDF item</title><link>https://rdf.example/1</link><description>one</description></item>
</rdf:RDF>"#;

pub const RSS091: &str = r#"<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old feed</title><link>https://old.example/</link><description>d</description>
<item><title>Old item</title><link>https://old.example/1</link><description>old</description></item>
</channel></rss>"#;

/// An RSS 2.0 feed named `name` with these (title, link, guid, HTML body) items, all
/// published at one time.
pub fn rss_items(name: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title><link>https://{name}.example/</link>"
    );
    for (title, link, guid, body) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>\
             <pubDate>Tue, 10 Nov 2026 08:00:00 +0000</pubDate>\
             <description><![CDATA[{body}]]></description></item>"
        ));
    }
    s + "</channel></rss>"
}
