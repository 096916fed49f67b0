//! Article HTML to wrapped, styled lines of terminal text.
//!
//! Two steps: [`blocks`] turns the HTML (parsed by html5ever through scraper) into a small
//! tree of blocks and styled inline runs, collecting links as numbered references; then
//! [`layout`] wraps that tree to a width. The TUI keeps the blocks and re-runs only the
//! layout on resize; `bulletin show` and `probe --json` use the same code as plain text.

use crate::sanitize::clean_text;
use scraper::{ElementRef, Html, Node};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use url::Url;

pub mod layout;
pub use layout::{layout, Block, Inline};

/// Style bits of a run of text; the TUI maps them to colours from its theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style(pub u8);

impl Style {
    pub const PLAIN: Style = Style(0);
    pub const BOLD: Style = Style(1);
    pub const ITALIC: Style = Style(2);
    pub const CODE: Style = Style(4);
    pub const LINK: Style = Style(8);
    pub const HEADING: Style = Style(16);
    pub const QUOTE: Style = Style(32);
    pub const DIM: Style = Style(64);

    pub fn with(self, other: Style) -> Style {
        Style(self.0 | other.0)
    }
    pub fn has(self, other: Style) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    /// Where the text links to (the Links list, the header's link): the reader makes it
    /// a clickable hyperlink. Set only to a URL that passed the scheme allow-list.
    pub link: Option<String>,
}

/// One terminal line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    pub fn plain(text: impl Into<String>, style: Style) -> Line {
        Line {
            spans: vec![Span {
                text: text.into(),
                style,
                link: None,
            }],
        }
    }
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| s.text.width()).sum()
    }
}

/// An article body as blocks plus the links it references, numbered from 1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
    /// Each `[image: ...]` marker's picture, in the order the markers come: its absolute
    /// address (the real one of a lazy image), or None when it has none.
    pub images: Vec<Option<String>>,
}

impl Document {
    /// Words in the text, for the reading-time estimate.
    pub fn word_count(&self) -> usize {
        self.blocks.iter().map(Block::word_count).sum()
    }
}

/// Deeper than this, elements are flattened to their text: hostile feeds nest 10,000 deep
/// and recursion must not run out of stack.
const MAX_DEPTH: usize = 64;

/// Parses article HTML. `base` resolves relative links and image/video sources.
pub fn blocks(html: &str, base: Option<&str>) -> Document {
    let fragment = Html::parse_fragment(html);
    let base = base.and_then(|b| Url::parse(b).ok());
    let mut conv = Converter {
        base: base.as_ref(),
        links: Vec::new(),
        images: Vec::new(),
        out: Vec::new(),
        inline: Vec::new(),
        style: Style::PLAIN,
    };
    conv.children(fragment.root_element(), 0);
    conv.flush();
    Document {
        images: conv.images,
        blocks: conv.out,
        links: conv.links,
    }
}

/// An HTML snippet (a title) as one line of text.
pub fn html_to_line(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect();
    crate::sanitize::clean_line(&text)
}

/// HTML to plain text at `width`, with a Links list: the text fields of `probe --json`.
pub fn html_to_text(html: &str, base: Option<&str>, width: usize) -> String {
    let doc = blocks(html, base);
    let mut lines = layout(&doc.blocks, width);
    append_links(&mut lines, &doc.links, width);
    to_plain(&lines)
}

/// HTML to plain text at `width`, without the Links list: the article's own words, as
/// `extract --json` gives them (the reader shows the list after them).
pub fn html_to_body_text(html: &str, base: Option<&str>, width: usize) -> String {
    to_plain(&layout(&blocks(html, base).blocks, width))
}

/// Joins lines as plain text with trailing spaces trimmed.
pub fn to_plain(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(line.text().trim_end());
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out.trim_end_matches('\n').to_string()
}

/// Appends the "Links" section: `[n] url`, URLs broken to the width when too long.
pub fn append_links(lines: &mut Vec<Line>, links: &[String], width: usize) {
    if links.is_empty() {
        return;
    }
    lines.push(Line::default());
    lines.push(Line::plain("Links", Style::HEADING.with(Style::BOLD)));
    for (i, url) in links.iter().enumerate() {
        let label = format!("[{}] ", i + 1);
        let indent = label.width();
        let avail = width.saturating_sub(indent).max(1);
        for (j, chunk) in chunk_by_width(url, avail).into_iter().enumerate() {
            let prefix = if j == 0 {
                label.clone()
            } else {
                " ".repeat(indent)
            };
            lines.push(Line {
                spans: vec![
                    Span {
                        text: prefix,
                        style: Style::DIM,
                        link: None,
                    },
                    Span {
                        text: chunk,
                        style: Style::LINK,
                        link: crate::links::hyperlink_target(url),
                    },
                ],
            });
        }
    }
}

/// Splits `s` into pieces no wider than `width` columns (at least one char each).
pub fn chunk_by_width(s: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if cur_w + w > width && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            cur_w = 0;
        }
        cur.push(c);
        cur_w += w;
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

struct Converter<'a> {
    base: Option<&'a Url>,
    links: Vec<String>,
    images: Vec<Option<String>>,
    out: Vec<Block>,
    inline: Vec<Inline>,
    style: Style,
}

impl Converter<'_> {
    fn flush(&mut self) {
        let has_text = self.inline.iter().any(|i| match i {
            Inline::Text(t, _) => !t.trim().is_empty(),
            Inline::Break => false,
        });
        if has_text {
            self.out.push(Block::Para(std::mem::take(&mut self.inline)));
        } else {
            self.inline.clear();
        }
    }

    fn text(&mut self, text: &str) {
        let cleaned = clean_text(text);
        if !cleaned.is_empty() {
            self.inline.push(Inline::Text(cleaned, self.style));
        }
    }

    fn children(&mut self, el: ElementRef, depth: usize) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(_) => {
                    if let Some(child_el) = ElementRef::wrap(child) {
                        self.element(child_el, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// Runs `f` on a fresh converter that shares the link numbering, returning its blocks.
    fn nested(&mut self, f: impl FnOnce(&mut Self)) -> Vec<Block> {
        let saved_out = std::mem::take(&mut self.out);
        let saved_inline = std::mem::take(&mut self.inline);
        f(self);
        self.flush();
        let inner = std::mem::replace(&mut self.out, saved_out);
        self.inline = saved_inline;
        inner
    }

    /// Inline content of `el` as a list of runs (for headings and table cells).
    fn inline_of(&mut self, el: ElementRef, depth: usize) -> Vec<Inline> {
        let saved = std::mem::take(&mut self.inline);
        self.children(el, depth);
        std::mem::replace(&mut self.inline, saved)
    }

    fn element(&mut self, el: ElementRef, depth: usize) {
        let name = el.value().name();
        if depth > MAX_DEPTH {
            let text: String = el.text().collect();
            self.text(&text);
            return;
        }
        if hidden(el) {
            return;
        }
        match name {
            "script" | "style" | "head" | "template" | "noscript" | "title" | "meta" | "link" => {}
            "br" => self.inline.push(Inline::Break),
            "hr" => {
                self.flush();
                self.out.push(Block::Rule);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name.as_bytes()[1] - b'0';
                let runs = self.inline_of(el, depth);
                self.out.push(Block::Heading(level, runs));
            }
            "ul" | "ol" | "menu" => self.list(el, name == "ol", depth),
            "blockquote" => {
                self.flush();
                let inner = self.nested(|c| c.children(el, depth));
                self.out.push(Block::Quote(inner));
            }
            "pre" => {
                self.flush();
                let text: String = el.text().collect();
                self.out.push(Block::Pre(clean_text(&text)));
            }
            "table" => self.table(el, depth),
            "img" => {
                let alt = crate::sanitize::clean_line(el.value().attr("alt").unwrap_or(""));
                let label = if alt.is_empty() {
                    "image"
                } else {
                    alt.as_str()
                };
                let src = ["src", "data-src", "data-original"]
                    .iter()
                    .filter_map(|a| el.value().attr(a))
                    .find(|s| !s.trim().is_empty() && !s.trim_start().starts_with("data:"))
                    .and_then(|s| crate::links::absolute(s, self.base));
                self.images.push(src);
                self.inline_marker(&format!("[image:\u{a0}{label}]"));
            }
            "iframe" | "video" | "embed" | "object" | "audio" => {
                let kind = if name == "audio" { "audio" } else { "video" };
                let src = media_source(el).and_then(|s| crate::links::absolute(&s, self.base));
                self.inline_marker(&format!("[{kind}:\u{a0}{}]", src.unwrap_or_default()));
            }
            "a" => self.anchor(el, depth),
            "p" | "div" | "section" | "article" | "header" | "footer" | "main" | "aside"
            | "nav" | "figure" | "figcaption" | "center" | "dl" | "dt" | "dd" | "form"
            | "details" | "summary" | "address" | "li" | "body" | "html" | "tr" => {
                self.flush();
                self.children(el, depth);
                self.flush();
            }
            _ => {
                let style = match name {
                    "strong" | "b" => Style::BOLD,
                    "em" | "i" | "cite" | "dfn" => Style::ITALIC,
                    "code" | "kbd" | "tt" | "samp" | "var" => Style::CODE,
                    _ => Style::PLAIN,
                };
                let saved = self.style;
                self.style = self.style.with(style);
                self.children(el, depth);
                self.style = saved;
            }
        }
    }

    fn inline_marker(&mut self, text: &str) {
        self.inline
            .push(Inline::Text(format!(" {} ", text.trim()), Style::DIM));
    }

    fn anchor(&mut self, el: ElementRef, depth: usize) {
        let saved = self.style;
        self.style = self.style.with(Style::LINK);
        self.children(el, depth);
        self.style = saved;
        let href = el.value().attr("href").unwrap_or("").trim();
        if href.is_empty() || href.starts_with('#') || href.starts_with("javascript:") {
            return;
        }
        if let Some(url) = crate::links::absolute(href, self.base) {
            let n = match self.links.iter().position(|l| *l == url) {
                Some(i) => i + 1,
                None => {
                    self.links.push(url);
                    self.links.len()
                }
            };
            self.inline.push(Inline::Text(format!("[{n}]"), Style::DIM));
        }
    }

    fn list(&mut self, el: ElementRef, ordered: bool, depth: usize) {
        self.flush();
        let start = el
            .value()
            .attr("start")
            .and_then(|s| s.trim().parse::<u32>().ok())
            .unwrap_or(1);
        let mut items = Vec::new();
        for child in el.children() {
            match child.value() {
                Node::Element(_) => {
                    if let Some(child_el) = ElementRef::wrap(child) {
                        let inner = self.nested(|c| {
                            if child_el.value().name() == "li" {
                                c.children(child_el, depth + 1)
                            } else {
                                c.element(child_el, depth + 1)
                            }
                        });
                        items.push(inner);
                    }
                }
                Node::Text(t) if !t.trim().is_empty() => {
                    let text = t.to_string();
                    items.push(self.nested(|c| c.text(&text)));
                }
                _ => {}
            }
        }
        if !items.is_empty() {
            self.out.push(Block::List {
                ordered,
                start,
                items,
            });
        }
    }

    fn table(&mut self, el: ElementRef, depth: usize) {
        self.flush();
        let mut rows: Vec<Vec<(String, bool)>> = Vec::new();
        for node in el.descendants() {
            let Some(tr) = ElementRef::wrap(node) else {
                continue;
            };
            if tr.value().name() != "tr" {
                continue;
            }
            let mut row = Vec::new();
            for cell in tr.children().filter_map(ElementRef::wrap) {
                let name = cell.value().name();
                if name != "td" && name != "th" {
                    continue;
                }
                let runs = self.inline_of(cell, depth + 1);
                row.push((layout::inline_text(&runs), name == "th"));
            }
            if !row.is_empty() {
                rows.push(row);
            }
        }
        if !rows.is_empty() {
            self.out.push(Block::Table(rows));
        }
    }
}

fn media_source(el: ElementRef) -> Option<String> {
    if let Some(src) = el.value().attr("src").or_else(|| el.value().attr("data")) {
        return Some(src.to_string());
    }
    el.descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "source")
        .and_then(|e| e.value().attr("src"))
        .map(str::to_string)
}

/// What a browser would not show: `hidden`, or an inline `display: none` (newsletters
/// carry their inbox preview text that way, padded with invisible characters).
fn hidden(el: ElementRef) -> bool {
    let v = el.value();
    v.attr("hidden").is_some()
        || v.attr("style").is_some_and(|style| {
            let compact: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            compact.contains("display:none")
        })
}
