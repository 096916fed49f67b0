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
}

impl Prepared {
    pub fn new(item: &Item, feed_name: &str) -> Prepared {
        let base = item.link.as_deref().unwrap_or(&item.feed_url);
        let (html, summary_only) = match (&item.content_html, &item.summary_html) {
            (Some(c), _) if !c.trim().is_empty() => (c.as_str(), false),
            (_, Some(s)) => (s.as_str(), true),
            _ => ("", true),
        };
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
            author: item.author.clone(),
            date: item.published.or(item.updated),
            link: item.link.clone(),
            enclosures,
            doc,
            summary_only,
        }
    }

    pub fn minutes(&self) -> usize {
        self.doc.word_count().div_ceil(WORDS_PER_MINUTE).max(1)
    }

    /// The links `1`-`9` open: the article's own link list.
    pub fn links(&self) -> &[String] {
        &self.doc.links
    }

    pub fn layout(&self, width: usize) -> Vec<Line> {
        let width = width.max(1);
        let mut lines = render::layout::wrap(
            &[render::Inline::Text(self.title.clone(), Style::PLAIN)],
            width,
            Style::HEADING.with(Style::BOLD),
        );
        let mut field = |name: &str, value: &str| {
            let runs = [
                render::Inline::Text(format!("{name}: "), Style::DIM),
                render::Inline::Text(value.to_string(), Style::PLAIN),
            ];
            lines.extend(render::layout::wrap(&runs, width, Style::PLAIN));
        };
        field("Feed", &self.feed);
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
            field("Link", l);
        }
        for e in &self.enclosures {
            field("Enclosure", e);
        }
        lines.push(Line::plain("─".repeat(width.min(72)), Style::DIM));
        lines.push(Line::default());
        lines.extend(render::layout(&self.doc.blocks, width));
        if self.summary_only {
            lines.push(Line::default());
            let note = match &self.link {
                Some(_) => "This is a summary; the full article is at the link (press o).",
                None => "This is a summary; the feed gives no full article.",
            };
            lines.extend(render::layout::wrap(
                &[render::Inline::Text(note.into(), Style::ITALIC)],
                width,
                Style::DIM,
            ));
        }
        append_links(&mut lines, &self.doc.links, width);
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
