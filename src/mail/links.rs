//! The links a message gives, and its plain text made HTML: List-Unsubscribe's web
//! link (else its mailto), Archived-At, the HTML's "view in your browser" link, and the
//! web addresses of a text-only newsletter made links the reader numbers.

/// The `<...>` parts of a header like List-Unsubscribe or Archived-At (RFC 2369), or
/// the whole value when it has none.
pub(super) fn angle_links(raw: &str) -> impl Iterator<Item = String> + '_ {
    let bracketed: Vec<String> = raw
        .split('<')
        .skip(1)
        .filter_map(|part| {
            part.split_once('>')
                .map(|(u, _)| u.split_whitespace().collect())
        })
        .collect();
    let whole = bracketed
        .is_empty()
        .then(|| raw.split_whitespace().collect::<String>());
    bracketed.into_iter().chain(whole)
}

/// List-Unsubscribe's web link, else its mailto link (RFC 2369 lists them in the list's
/// order of preference; a web page is what a reader can follow).
pub(super) fn unsubscribe_link(msg: &mail_parser::Message<'_>) -> Option<String> {
    let links: Vec<String> = msg
        .header_raw("List-Unsubscribe")
        .map(|raw| {
            angle_links(raw)
                .filter_map(|u| crate::links::web_link(&u, None))
                .collect()
        })
        .unwrap_or_default();
    links
        .iter()
        .find(|u| u.starts_with("http"))
        .or_else(|| links.first())
        .cloned()
}

/// Plain text as HTML paragraphs (blank lines split them), escaped, with its web
/// addresses made links (so that the reader numbers them, as in an HTML newsletter).
/// Each line stays a line and keeps its indentation (no-break spaces, which the reader
/// shows as spaces): quoted text, lists, tables of figures and signatures keep their
/// shape.
pub(super) fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut lines: Vec<String> = Vec::new();
    let flush = |lines: &mut Vec<String>, out: &mut String| {
        if !lines.is_empty() {
            out.push_str("<p>");
            out.push_str(&lines.join("<br>"));
            out.push_str("</p>");
            lines.clear();
        }
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut lines, &mut out);
            continue;
        }
        let body = line.trim_start();
        let indent: usize = line[..line.len() - body.len()]
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        lines.push(format!("{}{}", "\u{a0}".repeat(indent), linkify(body)));
    }
    flush(&mut lines, &mut out);
    out
}

/// Escapes plain text for HTML and wraps its http(s) addresses in links. An address
/// ends at white space or `<`, `>`, `"`, and loses the punctuation that ends a sentence.
pub(super) fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        out.push_str(&html_escape::encode_text(&rest[..at]));
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '\'']);
        let url = if url.len() <= "https://".len() {
            &tail[..end]
        } else {
            url
        };
        out.push_str(&format!(
            "<a href=\"{}\">{}</a>",
            html_escape::encode_double_quoted_attribute(url),
            html_escape::encode_text(url)
        ));
        rest = &tail[url.len()..];
    }
    out.push_str(&html_escape::encode_text(rest));
    out
}

/// The newsletter's "view in your browser" link, when its HTML has one.
pub(super) fn view_online(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_fragment(&crate::html_depth::limited(html));
    let anchors = scraper::Selector::parse("a[href]").ok()?;
    doc.select(&anchors).find_map(|a| {
        let text: String = a.text().collect::<String>().to_lowercase();
        // "View this email in your browser", "Read online", "Open in browser", "Web
        // version", "View as a web page"...
        let online = !text.contains("unsubscribe")
            && (text.contains("browser")
                || text.contains("online")
                || text.contains("web version")
                || text.contains("webversion")
                || (text.contains("view") && text.contains("web")));
        online
            .then(|| a.value().attr("href"))
            .flatten()
            .and_then(|h| crate::links::web_link(h, None))
            .filter(|u| u.starts_with("http"))
    })
}
