//! Gemtext (`text/gemini`), the line-based text of Gemini pages: read as lines, made
//! into HTML for the reader (which then renders it as any article: headings, lists,
//! quotes, preformatted blocks, links numbered), and read as a gemlog, whose link lines
//! `=> URL YYYY-MM-DD title` are its entries (Gemini's feed companion specification;
//! other links are not entries).

use crate::model::{ParsedFeed, ParsedItem};
use chrono::{NaiveDate, TimeZone, Utc};

/// One line of gemtext, as its first characters say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    Text(&'a str),
    Link {
        url: &'a str,
        label: &'a str,
    },
    Heading(u8, &'a str),
    Item(&'a str),
    Quote(&'a str),
    /// A preformatted block, its alt text, and its lines as they are.
    Pre {
        alt: &'a str,
        lines: Vec<&'a str>,
    },
}

/// The lines of a gemtext document. A ``` block left open runs to the end.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pre: Option<(&str, Vec<&str>)> = None;
    for raw in text.lines() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = line.strip_prefix("```") {
            match pre.take() {
                Some((alt, lines)) => out.push(Line::Pre { alt, lines }),
                None => pre = Some((rest.trim(), Vec::new())),
            }
            continue;
        }
        if let Some((_, lines)) = pre.as_mut() {
            lines.push(line);
            continue;
        }
        out.push(if let Some(rest) = line.strip_prefix("=>") {
            let rest = rest.trim_start();
            let (url, label) = rest
                .split_once(char::is_whitespace)
                .map_or((rest, ""), |(u, l)| (u, l.trim()));
            Line::Link { url, label }
        } else if let Some(rest) = line.strip_prefix("###") {
            Line::Heading(3, rest.trim())
        } else if let Some(rest) = line.strip_prefix("##") {
            Line::Heading(2, rest.trim())
        } else if let Some(rest) = line.strip_prefix('#') {
            Line::Heading(1, rest.trim())
        } else if let Some(rest) = line.strip_prefix("* ") {
            Line::Item(rest.trim())
        } else if let Some(rest) = line.strip_prefix('>') {
            Line::Quote(rest.trim())
        } else {
            Line::Text(line)
        });
    }
    if let Some((alt, lines)) = pre {
        out.push(Line::Pre { alt, lines });
    }
    out
}

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// The document as HTML: each element of gemtext as its HTML counterpart, links in
/// paragraphs of their own (the reader numbers them), nothing of the text read as
/// markup. Relative links are made absolute against `base`, the page's URL.
pub fn to_html(text: &str, base: &str) -> String {
    let base_url = url::Url::parse(base).ok();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut in_list = false;
    let mut quote: Vec<&str> = Vec::new();
    let flush_quote = |out: &mut String, quote: &mut Vec<&str>| {
        if !quote.is_empty() {
            let inner: Vec<String> = quote.iter().map(|q| esc(q)).collect();
            out.push_str(&format!(
                "<blockquote><p>{}</p></blockquote>\n",
                inner.join("<br>")
            ));
            quote.clear();
        }
    };
    for line in lines(text) {
        if in_list && !matches!(line, Line::Item(_)) {
            out.push_str("</ul>\n");
            in_list = false;
        }
        if !matches!(line, Line::Quote(_)) {
            flush_quote(&mut out, &mut quote);
        }
        match line {
            Line::Text(t) if t.trim().is_empty() => {}
            Line::Text(t) => out.push_str(&format!("<p>{}</p>\n", esc(t))),
            Line::Link { url, label } => {
                let shown = if label.is_empty() { url } else { label };
                let target = crate::links::absolute(url, base_url.as_ref())
                    .unwrap_or_else(|| url.to_string());
                out.push_str(&format!(
                    "<p>⇒ <a href=\"{}\">{}</a></p>\n",
                    attr(&target),
                    esc(shown)
                ));
            }
            Line::Heading(level, t) => out.push_str(&format!("<h{level}>{}</h{level}>\n", esc(t))),
            Line::Item(t) => {
                if !in_list {
                    out.push_str("<ul>\n");
                    in_list = true;
                }
                out.push_str(&format!("<li>{}</li>\n", esc(t)));
            }
            Line::Quote(t) => quote.push(t),
            Line::Pre { alt, lines } => {
                let title = if alt.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", attr(alt))
                };
                out.push_str(&format!("<pre{title}>{}</pre>\n", esc(&lines.join("\n"))));
            }
        }
    }
    if in_list {
        out.push_str("</ul>\n");
    }
    flush_quote(&mut out, &mut quote);
    out
}

/// The page's title: its first top-level heading.
pub fn title(text: &str) -> Option<String> {
    lines(text).into_iter().find_map(|l| match l {
        Line::Heading(1, t) if !t.is_empty() => Some(crate::sanitize::clean_line(t)),
        _ => None,
    })
}

/// A dated link's date and title: `2026-11-30 - Title`, `2026-11-30: Title`,
/// `2026-11-30 Title`.
fn dated(label: &str) -> Option<(NaiveDate, &str)> {
    let label = label.trim_start();
    let date = NaiveDate::parse_from_str(label.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = label[10..].trim_start_matches(|c: char| c.is_whitespace() || "-–—:|".contains(c));
    Some((date, rest.trim()))
}

/// The page as a gemlog: its dated links are the entries (newest first, as written),
/// its first top-level heading the feed's title and the first second-level one under it
/// its description. None when no link is dated: the page is not a gemlog.
pub fn gemlog(text: &str, base: &str) -> Option<ParsedFeed> {
    let base_url = url::Url::parse(base).ok();
    let mut title = None;
    let mut description = None;
    let mut items = Vec::new();
    for line in lines(text) {
        match line {
            Line::Heading(1, t) if title.is_none() && !t.is_empty() => {
                title = Some(crate::sanitize::clean_line(t));
            }
            Line::Heading(2, t) if title.is_some() && description.is_none() && items.is_empty() => {
                description = Some(crate::sanitize::clean_line(t));
            }
            Line::Link { url, label } => {
                let Some((date, rest)) = dated(label) else {
                    continue;
                };
                // Where a reader may go only (no file: or javascript: entries).
                let Some(link) = crate::links::web_link(url, base_url.as_ref()) else {
                    continue;
                };
                let name = crate::sanitize::clean_line(if rest.is_empty() { url } else { rest });
                let published = date.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
                items.push(ParsedItem {
                    guid: link.clone(),
                    title_source: Some(name.clone()),
                    title: name,
                    link: Some(link),
                    published,
                    ..ParsedItem::default()
                });
            }
            _ => {}
        }
    }
    if items.is_empty() {
        return None;
    }
    Some(ParsedFeed {
        title,
        link: Some(base.to_string()),
        description,
        items,
    })
}

/// Links of a gemtext page that may lead to its feed: an Atom or RSS file, a gemlog, a
/// page named like one (same capsule first).
pub fn feed_like_links(text: &str, base: &str) -> Vec<String> {
    let Ok(base_url) = url::Url::parse(base) else {
        return Vec::new();
    };
    let mut found: Vec<(bool, String)> = Vec::new();
    for line in lines(text) {
        let Line::Link { url, label } = line else {
            continue;
        };
        let (u, l) = (url.to_ascii_lowercase(), label.to_ascii_lowercase());
        let likely = [".xml", ".atom", ".rss", "atom", "feed", "gemlog", "/log"]
            .iter()
            .any(|w| u.contains(w))
            || ["atom", "feed", "gemlog", "rss", "journal", "posts"]
                .iter()
                .any(|w| l.contains(w));
        if !likely {
            continue;
        }
        if let Some(abs) = crate::links::absolute(url, Some(&base_url)) {
            let same = url::Url::parse(&abs).is_ok_and(|a| a.host_str() == base_url.host_str());
            if !found.iter().any(|(_, f)| *f == abs) {
                found.push((same, abs));
            }
        }
    }
    found.sort_by_key(|(same, _)| !*same);
    found.into_iter().map(|(_, u)| u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "# Ada's gemlog\r\n## Notes from the terminal\n\nWelcome.\n=> /about.gmi About me\n=> 2026-11-30-relay.gmi 2026-11-30 - Relay outage postmortem\n=> gemini://other.example/x.gmi 2026-11-02: A guest post\n=> /old.gmi 2025-01-15 Old notes\n=> /undated.gmi Not an entry 2026-01-01\n```\n=> /in-pre.gmi 2026-01-01 not a link\n```\n";

    #[test]
    fn dated_links_are_a_gemlog_s_entries() {
        let feed = gemlog(LOG, "gemini://ada.example/log/").unwrap();
        assert_eq!(feed.title.as_deref(), Some("Ada's gemlog"));
        assert_eq!(feed.description.as_deref(), Some("Notes from the terminal"));
        let got: Vec<(&str, &str, String)> = feed
            .items
            .iter()
            .map(|i| {
                (
                    i.title.as_str(),
                    i.link.as_deref().unwrap(),
                    i.published.unwrap().format("%Y-%m-%d").to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Relay outage postmortem",
                    "gemini://ada.example/log/2026-11-30-relay.gmi",
                    "2026-11-30".to_string()
                ),
                (
                    "A guest post",
                    "gemini://other.example/x.gmi",
                    "2026-11-02".into()
                ),
                (
                    "Old notes",
                    "gemini://ada.example/old.gmi",
                    "2025-01-15".into()
                ),
            ]
        );
        assert!(gemlog("# Home\n=> /log/ My gemlog\n", "gemini://a.example/").is_none());
    }

    #[test]
    fn every_line_type_and_nothing_read_as_markup() {
        let html = to_html("# T <b>\n* one\n* two\ntext & more\n> q1\n> q2\n```sh\n  <x> & y\n```\n=> gemini://a/ \n=> /rel Label\n", "gemini://b.example/dir/");
        assert_eq!(
            html,
            "<h1>T &lt;b&gt;</h1>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>text &amp; more</p>\n<blockquote><p>q1<br>q2</p></blockquote>\n<pre title=\"sh\">  &lt;x&gt; &amp; y</pre>\n<p>⇒ <a href=\"gemini://a/\">gemini://a/</a></p>\n<p>⇒ <a href=\"gemini://b.example/rel\">Label</a></p>\n"
        );
        // An open block runs to the end.
        assert_eq!(
            lines("```\na\n=> b"),
            [Line::Pre {
                alt: "",
                lines: vec!["a", "=> b"]
            }]
        );
    }

    #[test]
    fn feed_like_links_same_capsule_first() {
        let page = "=> gemini://elsewhere.example/atom.xml Their feed\n=> /gemlog/ Gemlog\n=> /about.gmi About\n=> atom.xml Atom feed\n";
        assert_eq!(
            feed_like_links(page, "gemini://me.example/"),
            [
                "gemini://me.example/gemlog/",
                "gemini://me.example/atom.xml",
                "gemini://elsewhere.example/atom.xml"
            ]
        );
    }
}
