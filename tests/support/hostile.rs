//! Hostile and broken feeds, generated (no megabyte fixtures in git).

/// (name, body, content type) of each hostile feed. `secret` is a file XXE must not read.
pub fn all(secret: &std::path::Path) -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let xml = "application/rss+xml";
    vec![
        ("truncated", b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Cut</title><item><title>half".to_vec(), xml),
        ("invalid_utf8", rss_with_title(b"Bad \xff\xfe bytes \xc3\x28 here"), xml),
        ("lying_charset", rss_with_title("Grüße aus Köln".as_bytes()), "application/rss+xml; charset=windows-1251"),
        ("billion_laughs", billion_laughs(), xml),
        ("xxe", xxe(secret), xml),
        ("many_items", many_items(100_000), xml),
        ("huge_title", rss_with_title("T".repeat(1024 * 1024).as_bytes()), xml),
        ("deep_html", deep_html(10_000), xml),
        ("nul_bytes", rss_with_title(b"nul\x00in\x00title"), xml),
        ("duplicate_ids", duplicate_ids(), xml),
        ("description_only", b"<rss version=\"2.0\"><channel><title>D</title><item><description>Only a &lt;b&gt;description&lt;/b&gt;</description></item><item><description>Another one</description></item></channel></rss>".to_vec(), xml),
        ("html_page", b"<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><p>This is a web page.</p></body></html>".to_vec(), "text/html; charset=utf-8"),
        ("empty", Vec::new(), xml),
        ("binary", (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(), "application/octet-stream"),
    ]
}

fn rss_with_title(title: &[u8]) -> Vec<u8> {
    let mut v =
        b"<rss version=\"2.0\"><channel><title>Feed</title><item><guid>1</guid><title>".to_vec();
    v.extend_from_slice(title);
    v.extend_from_slice(b"</title><description>x</description></item></channel></rss>");
    v
}

fn billion_laughs() -> Vec<u8> {
    let mut s = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    s.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..=9 {
        let prev = format!("&lol{};", i - 1);
        s.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", prev.repeat(10)));
    }
    s.push_str("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title><item><guid>1</guid><title>&lol9;</title></item></channel></rss>");
    s.into_bytes()
}

fn xxe(secret: &std::path::Path) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://{}\">]>\n<rss version=\"2.0\"><channel><title>XXE</title><item><guid>1</guid><title>leak: &xxe;</title><description>&xxe;</description></item></channel></rss>",
        secret.display()
    )
    .into_bytes()
}

fn many_items(n: usize) -> Vec<u8> {
    let mut s = String::from("<rss version=\"2.0\"><channel><title>Many</title>");
    for i in 0..n {
        s.push_str(&format!(
            "<item><guid>m{i}</guid><title>Item {i}</title></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s.into_bytes()
}

fn deep_html(depth: usize) -> Vec<u8> {
    let html = format!(
        "{}deep{}",
        "<div><b>".repeat(depth),
        "</b></div>".repeat(depth)
    );
    format!(
        "<rss version=\"2.0\"><channel><title>Deep</title><item><guid>d</guid><title>Deep</title><description><![CDATA[{html}]]></description></item></channel></rss>"
    )
    .into_bytes()
}

fn duplicate_ids() -> Vec<u8> {
    b"<rss version=\"2.0\"><channel><title>Dup</title>\
      <item><guid>same</guid><title>First</title></item>\
      <item><guid>same</guid><title>Second</title></item>\
      <item><guid>same</guid><title>Third</title></item></channel></rss>"
        .to_vec()
}
