//! Article HTML to wrapped, styled lines of terminal text.
//!
//! Two steps: [`blocks`] turns the HTML (parsed by html5ever through scraper) into a small
//! tree of blocks and styled inline runs, collecting links as numbered references; then
//! [`layout`] wraps that tree to a width. The TUI keeps the blocks and re-runs only the
//! layout on resize; `bulletin show` and `probe --json` use the same code as plain text.

use scraper::{ElementRef, Html, Node};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use url::Url;

mod convert;
pub mod layout;
pub(crate) mod tables;
use convert::Converter;
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

/// The most of an article's HTML the reader and `show` lay out. Past it the article is
/// cut, with a line that says so: a 30 MB article took 1.25 GB to show, all of it for
/// text nobody scrolls to. What is kept is a long read still (a novel's chapters).
pub const MAX_RENDERED: usize = 4 * 1024 * 1024;

/// How a body whose feed said its base (xml:base, see parse::bases) starts: the
/// address its relative links resolve against, which wins over the one the caller has.
pub const BASE_START: &str = "<base href=\"";

/// The base a body names at its start (`BASE_START`), and the body after it.
fn own_base(html: &str) -> (Option<String>, &str) {
    let Some(rest) = html.strip_prefix(BASE_START) else {
        return (None, html);
    };
    match rest.split_once("\">") {
        Some((href, body)) => (
            Some(html_escape::decode_html_entities(href).into_owned()),
            body,
        ),
        None => (None, html),
    }
}

/// Parses article HTML. `base` resolves relative links and image/video sources (unless
/// the body names its own, from its feed's xml:base).
pub fn blocks(html: &str, base: Option<&str>) -> Document {
    let (own, html) = own_base(html);
    let base = own.as_deref().or(base);
    let (html, cut) = cut_long(html);
    // Bounded depth before parsing: html5ever's time grows with the square of it.
    let html = cdata_as_text(html);
    let fragment = Html::parse_fragment(&crate::html_depth::limited(&html));
    let base = base.and_then(|b| Url::parse(b).ok());
    let mut conv = Converter::new(base.as_ref());
    conv.children(fragment.root_element(), 0);
    conv.flush();
    if let Some(rest) = cut {
        conv.out.push(Block::Rule);
        conv.out.push(Block::Para(vec![Inline::Text(
            format!(
                "The rest of this article ({:.1} MiB) is not shown here: o opens it in the browser.",
                rest as f64 / (1024.0 * 1024.0)
            ),
            Style::ITALIC,
        )]));
    }
    Document {
        images: conv.images,
        blocks: conv.out,
        links: conv.links,
    }
}

/// `html` cut to `MAX_RENDERED` bytes at a tag's start (or a character's), and how many
/// bytes were left out.
fn cut_long(html: &str) -> (&str, Option<usize>) {
    if html.len() <= MAX_RENDERED {
        return (html, None);
    }
    let mut end = MAX_RENDERED;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    // At a tag's start when one is near, so that no tag is cut in half.
    if let Some(lt) = html[..end].rfind('<').filter(|lt| end - lt < 64 * 1024) {
        end = lt;
    }
    (&html[..end], Some(html.len() - end))
}

/// An HTML snippet (a title) as one line of text.
/// A script's, a style sheet's or a template's text (and a noscript's, which the reader
/// drops too) is never text: titles hold `<script>` in escaped HTML in the wild.
pub fn html_to_line(html: &str) -> String {
    let html = cdata_as_text(html);
    let fragment = Html::parse_fragment(&crate::html_depth::limited(&html));
    let mut text = String::new();
    for node in fragment.root_element().descendants() {
        // A line break or a block's start parts words (`Line<br>two`, `<p>a</p><p>b`),
        // which ran together.
        if let Some(e) = node.value().as_element() {
            if matches!(
                e.name(),
                "br" | "p"
                    | "div"
                    | "li"
                    | "tr"
                    | "td"
                    | "th"
                    | "blockquote"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
            ) {
                text.push(' ');
            }
            continue;
        }
        let Some(t) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "script" | "style" | "template" | "noscript"))
        });
        if !hidden {
            text.push_str(t);
        }
    }
    crate::sanitize::clean_line(&text)
}

/// A CDATA section written inside HTML (`&lt;![CDATA[...]]&gt;` in a feed, or raw inside
/// markup the parser escapes) is its text, as in XML. An HTML parser reads it as a bogus comment that ends at the
/// first `>`, which dropped the words and left a `]]>` behind.
pub fn cdata_as_text(html: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memmem::find(html.as_bytes(), b"<![CDATA[").is_none() {
        return html.into();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&rest[..at]);
        let inner = &rest[at + 9..];
        let end = inner.find("]]>").unwrap_or(inner.len());
        out.push_str(&html_escape::encode_text(&inner[..end]));
        rest = inner.get(end + 3..).unwrap_or("");
    }
    out.push_str(rest);
    out.into()
}

/// HTML to plain text at `width`, with a Links list: the text fields of `probe --json`.
/// A word wider than the line stays whole (an address cut in two is no address).
pub fn html_to_text(html: &str, base: Option<&str>, width: usize) -> String {
    let doc = blocks(html, base);
    let mut lines = layout::layout_as(&doc.blocks, width, layout::Overlong::Whole);
    append_links(&mut lines, &doc.links, width, LinkUrls::Whole);
    to_plain(&lines)
}

/// HTML to plain text at `width`, without the Links list: the article's own words, as
/// `extract --json` gives them (the reader shows the list after them).
pub fn html_to_body_text(html: &str, base: Option<&str>, width: usize) -> String {
    let blocks = blocks(html, base).blocks;
    to_plain(&layout::layout_as(&blocks, width, layout::Overlong::Whole))
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
/// How a Links list writes an address longer than the width: cut over lines (a pane),
/// or whole on its line (text for a terminal's copy or a script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkUrls {
    Wrapped,
    Whole,
}

pub fn append_links(lines: &mut Vec<Line>, links: &[String], width: usize, urls: LinkUrls) {
    if links.is_empty() {
        return;
    }
    lines.push(Line::default());
    lines.push(Line::plain("Links", Style::HEADING.with(Style::BOLD)));
    for (i, url) in links.iter().enumerate() {
        let label = format!("[{}] ", i + 1);
        let indent = label.width();
        let avail = width.saturating_sub(indent).max(1);
        let chunks = match urls {
            LinkUrls::Wrapped => chunk_by_width(url, avail),
            LinkUrls::Whole => vec![url.clone()],
        };
        for (j, chunk) in chunks.into_iter().enumerate() {
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
