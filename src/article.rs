//! An article as the reader pane shows it: a header (title, feed, author, date, reading
//! time, enclosures), the body, and the numbered links. `bulletin show` prints the same.

use crate::model::Item;
use crate::render::{self, append_links, Document, Line, Style};
use chrono::{DateTime, Local, Utc};

/// Words a minute for the reading-time estimate.
const WORDS_PER_MINUTE: usize = 230;

/// An article parsed once; [`Prepared::layout`] wraps it to any width.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub title: String,
    pub feed: String,
    pub author: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub link: Option<String>,
    pub enclosures: Vec<String>,
    pub doc: Document,
    pub summary_only: bool,
    /// Where the text shown comes from, for the header.
    pub source: Source,
    /// A newsletter's List-Unsubscribe link.
    pub unsubscribe: Option<String>,
    /// The story's other copies: their articles and their feeds' names.
    pub also_in: Vec<(crate::model::ItemId, String)>,
}

/// The text the reader shows: the feed's, or the full text from the article's page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Source {
    #[default]
    Feed,
    /// The full text, from this site (its name, else its host).
    FullText(String),
    /// The feed's text, because the page gave none (why, in one line).
    FullTextFailed(String),
    /// The feed's text, with a full text at hand (`t` shows it).
    FeedWithFullText,
}

impl Prepared {
    /// The article as the reader first shows it: its full text when there is one.
    pub fn new(item: &Item, feed_name: &str) -> Prepared {
        Prepared::with_text(item, feed_name, true)
    }

    /// The article with its full text (`full`, when the cache has one) or the feed's.
    pub fn with_text(item: &Item, feed_name: &str, full: bool) -> Prepared {
        let ft = &item.full_text;
        let base = item.link.as_deref().unwrap_or(&item.feed_url);
        let (html, summary_only, base, source) = match (&ft.html, full) {
            (Some(h), true) => {
                let page = ft.url.as_deref().unwrap_or(base);
                let site = match &ft.site_name {
                    Some(name) => format!("{name} ({})", crate::fulltext::host_of(page)),
                    None => crate::fulltext::host_of(page),
                };
                (h.as_str(), false, page, Source::FullText(site))
            }
            _ => {
                let source = match (&ft.html, &ft.error) {
                    (Some(_), _) => Source::FeedWithFullText,
                    (None, Some(e)) => Source::FullTextFailed(e.clone()),
                    (None, None) => Source::Feed,
                };
                match (&item.content_html, &item.summary_html) {
                    (Some(c), _) if !c.trim().is_empty() => (c.as_str(), false, base, source),
                    (_, Some(s)) => (s.as_str(), true, base, source),
                    _ => ("", true, base, source),
                }
            }
        };
        let source_is_full = matches!(source, Source::FullText(_));
        let doc = render::blocks(html, Some(base));
        let enclosures = item
            .enclosures
            .iter()
            .map(|e| {
                let mut details = Vec::new();
                if let Some(t) = &e.mime {
                    details.push(t.clone());
                }
                if let Some(len) = e.length.filter(|l| *l > 0) {
                    details.push(human_size(len));
                }
                if details.is_empty() {
                    e.url.clone()
                } else {
                    format!("{} ({})", e.url, details.join(", "))
                }
            })
            .collect();
        Prepared {
            title: if item.title.is_empty() {
                "(untitled)".into()
            } else {
                item.title.clone()
            },
            feed: feed_name.to_string(),
            // The page's byline with its full text: the feed's author field is often a
            // site's name or empty.
            author: match &ft.byline {
                Some(byline) if source_is_full => Some(byline.clone()),
                _ => item.author.clone(),
            },
            date: item.published.or(item.updated),
            link: item.link.clone(),
            enclosures,
            doc,
            summary_only,
            source,
            unsubscribe: item.unsubscribe.clone(),
            also_in: Vec::new(),
        }
    }

    /// The pictures a message may show: its own inline parts (saved beside the cache by
    /// the mailbox's read), and web pictures only with `remote` (`[[mailbox]]
    /// remote_images`; in newsletters they are tracking pixels as often as not). No
    /// other `file:` picture, whatever the message says.
    pub fn mail_images(mut self, remote: bool) -> Prepared {
        for image in &mut self.doc.images {
            let keep = image.as_deref().is_some_and(|u| {
                crate::mail::is_inline_part(u)
                    || (remote && (u.starts_with("http://") || u.starts_with("https://")))
            });
            if !keep {
                *image = None;
            }
        }
        self
    }

    /// A page's article as `bulletin extract` prints it: its site where the feed's name
    /// goes.
    pub fn extracted(article: &crate::fulltext::Extracted) -> Prepared {
        Prepared {
            title: if article.title.is_empty() {
                "(untitled)".into()
            } else {
                article.title.clone()
            },
            feed: article
                .site_name
                .clone()
                .unwrap_or_else(|| crate::fulltext::host_of(&article.url)),
            author: article.byline.clone(),
            date: None,
            link: Some(article.url.clone()),
            enclosures: Vec::new(),
            doc: render::blocks(&article.html, Some(&article.url)),
            summary_only: false,
            source: Source::Feed,
            unsubscribe: None,
            also_in: Vec::new(),
        }
    }

    pub fn minutes(&self) -> usize {
        self.doc.word_count().div_ceil(WORDS_PER_MINUTE).max(1)
    }

    /// The links `1`-`9` open: the article's own link list.
    pub fn links(&self) -> &[String] {
        &self.doc.links
    }

    /// The article laid out for the reader pane at `width`.
    pub fn layout(&self, width: usize) -> Vec<Line> {
        self.layout_with(width, render::LinkUrls::Wrapped)
    }

    /// The article as `show` prints it: its Links list has each address whole on its
    /// line, however long, so that it can be copied.
    pub fn layout_for_text(&self, width: usize) -> Vec<Line> {
        self.layout_with(width, render::LinkUrls::Whole)
    }

    fn layout_with(&self, width: usize, urls: render::LinkUrls) -> Vec<Line> {
        let width = width.max(1);
        // Text for `show` keeps a word wider than the line whole (an address, to be
        // copied); the pane cuts it.
        let whole = urls == render::LinkUrls::Whole;
        let long = match whole {
            true => render::layout::Overlong::Whole,
            false => render::layout::Overlong::Cut,
        };
        let mut lines = render::layout::wrap_as(
            &[render::Inline::Text(self.title.clone(), Style::PLAIN)],
            width,
            Style::HEADING.with(Style::BOLD),
            long,
        );
        // A header field; with `link`, its value is a hyperlink to it. An address in
        // text for `show` is kept whole on its line, to be copied.
        let mut linked = |name: &str, value: &str, link: Option<String>| {
            if whole && matches!(name, "Link" | "Enclosure" | "Unsubscribe") {
                let span = |text: String, style, link| render::Span { text, style, link };
                lines.push(Line {
                    spans: vec![
                        span(format!("{name}: "), Style::DIM, None),
                        span(value.to_string(), Style::PLAIN, link),
                    ],
                });
                return;
            }
            let runs = [
                render::Inline::Text(format!("{name}: "), Style::DIM),
                render::Inline::Text(value.to_string(), Style::PLAIN),
            ];
            let start = lines.len();
            lines.extend(render::layout::wrap_as(&runs, width, Style::PLAIN, long));
            for line in &mut lines[start..] {
                for span in line
                    .spans
                    .iter_mut()
                    .filter(|s| s.style != Style::DIM && !s.text.trim().is_empty())
                {
                    span.link = link.clone();
                }
            }
        };
        let mut field = |name: &str, value: &str| linked(name, value, None);
        field("Feed", &self.feed);
        if !self.also_in.is_empty() {
            let mut names: Vec<&str> = Vec::new();
            for (_, name) in &self.also_in {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
            field("Also in", &names.join(", "));
        }
        if let Some(a) = &self.author {
            field("Author", a);
        }
        if let Some(d) = self.date {
            field(
                "Date",
                &d.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
            );
        }
        field("Reading time", &format!("{} min read", self.minutes()));
        if let Some(l) = &self.link {
            linked("Link", l, crate::links::hyperlink_target(l));
        }
        for e in &self.enclosures {
            linked("Enclosure", e, None);
        }
        if let Some(u) = &self.unsubscribe {
            linked("Unsubscribe", u, crate::links::hyperlink_target(u));
        }
        let mut field = |name: &str, value: &str| linked(name, value, None);
        match &self.source {
            Source::Feed => {}
            Source::FullText(host) => field(
                "Full text",
                &format!("from {host} (toggle full text again for the feed's text)"),
            ),
            Source::FeedWithFullText => field("Full text", "at hand (t shows it)"),
            Source::FullTextFailed(why) => field("Full text", &format!("none: {why}")),
        }
        lines.push(Line::plain("─".repeat(width.min(72)), Style::DIM));
        lines.push(Line::default());
        lines.extend(render::layout::layout_as(&self.doc.blocks, width, long));
        if self.summary_only {
            lines.push(Line::default());
            let note = match &self.link {
                Some(_) => {
                    // No key named: keymaps differ (t is the tag picker under newsboat's).
                    "This is a summary: the full article is on its page (full text fetches it here)."
                }
                None => "This is a summary; the feed gives no full article.",
            };
            lines.extend(render::layout::wrap(
                &[render::Inline::Text(note.into(), Style::ITALIC)],
                width,
                Style::DIM,
            ));
        }
        append_links(&mut lines, &self.doc.links, width, urls);
        lines
    }
}

/// 1536 -> "1.5 KiB".
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
