//! HTML to blocks: the walk over the parsed document that makes blocks and styled inline
//! runs, numbers links and collects pictures; and what it asks of an element (hidden, a
//! tracking pixel); tables are in tables.rs.

use super::*;

pub(super) struct Converter<'a> {
    base: Option<&'a Url>,
    pub(super) links: Vec<String>,
    pub(super) images: Vec<Option<String>>,
    pub(super) out: Vec<Block>,
    inline: Vec<Inline>,
    style: Style,
}

impl<'a> Converter<'a> {
    pub(super) fn new(base: Option<&'a Url>) -> Converter<'a> {
        Converter {
            base,
            links: Vec::new(),
            images: Vec::new(),
            out: Vec::new(),
            inline: Vec::new(),
            style: Style::PLAIN,
        }
    }

    pub(super) fn flush(&mut self) {
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
        let cleaned = crate::sanitize::clean_display(text);
        if !cleaned.is_empty() {
            self.inline.push(Inline::Text(cleaned, self.style));
        }
    }

    pub(super) fn children(&mut self, el: ElementRef, depth: usize) {
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
    pub(super) fn nested(&mut self, f: impl FnOnce(&mut Self)) -> Vec<Block> {
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
                // A `<br>` in a code block is its line's end (Medium and WordPress's
                // verse and preformatted blocks write lines so).
                let text: String = el
                    .descendants()
                    .filter_map(|n| match n.value() {
                        Node::Text(t) => Some(t.to_string()),
                        Node::Element(e) if e.name() == "br" => Some("\n".to_string()),
                        _ => None,
                    })
                    .collect();
                self.out
                    .push(Block::Pre(crate::sanitize::clean_display(&text)));
            }
            "table" => self.table(el, depth),
            // A 1x1 picture is a tracking pixel, which a browser shows as nothing.
            "img" if is_pixel(el) => {}
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
                // One with no address shows nothing (it was `[video: ]`).
                if let Some(src) =
                    media_source(el).and_then(|s| crate::links::absolute(&s, self.base))
                {
                    self.inline_marker(&format!("[{kind}:\u{a0}{src}]"));
                }
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
        if href.is_empty() || href.starts_with('#') {
            return;
        }
        // Numbered only where a reader may go (what `1`-`9` and the links list open):
        // a `file:`, `javascript:` or `data:` link keeps its text and gets no number.
        if let Some(url) = crate::links::web_link(href, self.base) {
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
                        // An empty item of a bulleted list (WordPress's `share-end`)
                        // would be a bullet alone; a numbered list keeps its count.
                        if ordered || !inner.is_empty() {
                            items.push(inner);
                        }
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
}

fn is_pixel(img: ElementRef) -> bool {
    let side = |name: &str| {
        img.value()
            .attr(name)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
    };
    matches!((side("width"), side("height")), (Some(w), Some(h)) if w <= 1 && h <= 1)
}

fn media_source(el: ElementRef) -> Option<String> {
    let given = |s: &&str| !s.trim().is_empty();
    if let Some(src) = el
        .value()
        .attr("src")
        .or_else(|| el.value().attr("data"))
        .filter(given)
    {
        return Some(src.to_string());
    }
    // A `<source>`, or, in an old Flash embed, the `<embed>` or the movie `<param>`.
    el.descendants()
        .filter_map(ElementRef::wrap)
        .find_map(|e| {
            let v = e.value();
            match v.name() {
                "source" | "embed" => v.attr("src"),
                "param" => v
                    .attr("name")
                    .filter(|n| matches!(n.to_ascii_lowercase().as_str(), "movie" | "src"))
                    .and(v.attr("value")),
                _ => None,
            }
            .filter(given)
        })
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
