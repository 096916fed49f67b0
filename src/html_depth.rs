//! A bound on how deep HTML nests, applied to the text before any parser sees it.
//!
//! Hostile pages nest tags 100,000 deep. html5ever builds such a tree in time that grows
//! with the square of the depth (its scope checks walk the stack of open elements), and
//! the walks over the tree that follow (ours, and the readability crate's) recurse, so
//! enough depth runs out of stack and aborts the process, which no panic handler
//! catches. Browsers keep going on such pages, and so do we: past `MAX_DEPTH` open
//! elements, further tags are left out (their text stays, read as flat text), so every
//! later step sees a tree of bounded depth in time linear in the input.
//!
//! This is a scanner, not a parser: it finds tags, comments and raw-text elements
//! (script, style, ...) well enough to count nesting, and errs towards counting too deep
//! (tags that close themselves implicitly, like `<p>` and `<li>`, are closed when the
//! same tag opens again nearby, as the HTML parser does). Well-formed pages of any
//! real depth come out unchanged, byte for byte.

use std::borrow::Cow;

/// Open elements kept at most. Real pages nest a few dozen deep; mail templates of
/// nested layout tables reach a hundred or so.
pub const MAX_DEPTH: usize = 256;

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound", "image",
];

/// Elements whose content is text, up to their own end tag.
const RAW: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// Where an open element of the same name is closed by this start tag, as the HTML
/// parser's implied end tags do (`<p>a<p>b` is two paragraphs, a list's next `<li>`
/// ends the one before): the like within its scope (the list, the row, the table), or
/// for `<p>`, above inline elements only.
fn implied_close(stack: &[String], name: &str) -> Option<usize> {
    const INLINE: &[&str] = &[
        "a", "b", "i", "em", "strong", "span", "small", "big", "font", "u", "s", "code", "sub",
        "sup", "abbr", "cite", "q", "mark", "label", "tt", "var", "kbd", "samp",
    ];
    let scope: &[&str] = match name {
        "li" => &["ul", "ol", "menu"],
        "dt" | "dd" => &["dl"],
        "tr" => &["table", "thead", "tbody", "tfoot"],
        "td" | "th" => &["tr", "table"],
        "thead" | "tbody" | "tfoot" => &["table"],
        "option" | "optgroup" => &["select", "datalist"],
        "rb" | "rt" | "rp" => &["ruby"],
        "p" => &[],
        // A new link ends an open one in the same cell (the adoption agency), however
        // deep: `<a id=x/>` in XHTML pages opens a link each time.
        "a" => &[
            "td", "th", "caption", "table", "template", "applet", "object", "marquee",
        ],
        _ => return None,
    };
    let reach = if name == "a" { stack.len() } else { 16 };
    for (pos, open) in stack.iter().enumerate().rev().take(reach) {
        let same = open == name
            || (matches!(name, "dt" | "dd") && matches!(open.as_str(), "dt" | "dd"))
            || (matches!(name, "td" | "th") && matches!(open.as_str(), "td" | "th"));
        if same {
            return Some(pos);
        }
        if scope.contains(&open.as_str()) || (name == "p" && !INLINE.contains(&open.as_str())) {
            return None;
        }
    }
    None
}

/// `html` with nesting past `MAX_DEPTH` flattened; borrowed when nothing was cut.
pub fn limited(html: &str) -> Cow<'_, str> {
    limit(html, MAX_DEPTH)
}

/// `limited`, at a given depth.
pub fn limit(html: &str, max: usize) -> Cow<'_, str> {
    // Fewer tags than the limit cannot nest past it.
    if memchr::memchr_iter(b'<', html.as_bytes())
        .nth(max)
        .is_none()
    {
        return Cow::Borrowed(html);
    }
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut stack: Vec<String> = Vec::new();
    // Start tags left out and not yet closed: inside them, every tag is left out (the
    // page is past the depth already, whatever implied end tags would say).
    let mut dropped: usize = 0;
    let mut ever_dropped = false;
    let mut copied = 0; // bytes of `html` before this are in `out` (or dropped)
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &bytes[i..]).map(|p| i + p) {
        let tag = scan_tag(bytes, at);
        let Some(Tag {
            end,
            name,
            closing,
            self_closed,
        }) = tag
        else {
            i = at + 1;
            continue;
        };
        let mut keep = true;
        if closing {
            if dropped > 0 {
                dropped -= 1;
                keep = false;
            } else if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                // The parser ignores an end tag whose element sits outside the current
                // scope (a cell or a table between): so does the count.
                if !crosses_scope(&name, &stack[pos + 1..]) {
                    stack.truncate(pos);
                }
            } else if ever_dropped {
                // An end tag with nothing to close, in a page cut already: the closing
                // half of what was left out.
                keep = false;
            }
        } else if opens(&name, self_closed, &stack) {
            if dropped == 0 {
                if let Some(pos) = implied_close(&stack, &name) {
                    stack.truncate(pos);
                }
            }
            if dropped > 0 || stack.len() >= max {
                keep = false;
                dropped += 1;
                ever_dropped = true;
            } else if RAW.contains(&name.as_str()) {
                // Its text runs to its end tag, which the parser reads as text too.
                let close = find_end_tag(bytes, end, &name);
                if !keep_range(&mut out, html, &mut copied, at, close, true) {
                    break;
                }
                i = close;
                continue;
            } else {
                stack.push(name);
            }
        }
        keep_range(&mut out, html, &mut copied, at, end, keep);
        i = end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut s) => {
            s.push_str(&html[copied..]);
            Cow::Owned(s)
        }
    }
}

/// Whether the elements `between` an end tag's element and the current one include a
/// boundary of the scope the parser looks for it in.
fn crosses_scope(name: &str, between: &[String]) -> bool {
    let table_part = matches!(
        name,
        "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table" | "caption" | "colgroup"
    );
    between.iter().any(|n| {
        let n = n.as_str();
        if table_part {
            matches!(n, "html" | "table" | "template")
        } else {
            matches!(
                n,
                "applet"
                    | "caption"
                    | "html"
                    | "table"
                    | "td"
                    | "th"
                    | "marquee"
                    | "object"
                    | "template"
            )
        }
    })
}

/// Whether a start tag opens an element that later tags nest in: not a comment, not a
/// void element, and not `<x/>` in SVG or MathML (`<div/>` opens a div in HTML, and in
/// SVG too, since `div` breaks out of it).
fn opens(name: &str, self_closed: bool, stack: &[String]) -> bool {
    let closes_itself = VOID.contains(&name) || self_closed && in_foreign(name, stack);
    !name.is_empty() && !closes_itself
}

/// Whether `name`, opened here, is an SVG or MathML element: the nearest of `<svg>` or
/// `<math>` is open, with no HTML integration point (`foreignObject`, `desc`, MathML's
/// text elements) between, and `name` is not one of the HTML tags that break out.
fn in_foreign(name: &str, stack: &[String]) -> bool {
    const BREAKOUT: &[&str] = &[
        "b",
        "big",
        "blockquote",
        "body",
        "br",
        "center",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "hr",
        "i",
        "img",
        "li",
        "listing",
        "menu",
        "meta",
        "nobr",
        "ol",
        "p",
        "pre",
        "ruby",
        "s",
        "small",
        "span",
        "strong",
        "strike",
        "sub",
        "sup",
        "table",
        "tt",
        "u",
        "ul",
        "var",
        "font",
    ];
    if BREAKOUT.contains(&name) {
        return false;
    }
    for open in stack.iter().rev() {
        match open.as_str() {
            "svg" | "math" => return true,
            "foreignobject" | "desc" | "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml" => {
                return false
            }
            _ => {}
        }
    }
    false
}

/// Copies `html[copied..from]` as it is, then `html[from..to]` if `keep`; only once
/// something is left out is a copy made at all. Returns false at the end of input.
fn keep_range(
    out: &mut Option<String>,
    html: &str,
    copied: &mut usize,
    from: usize,
    to: usize,
    keep: bool,
) -> bool {
    if !keep {
        let s = out.get_or_insert_with(|| String::with_capacity(html.len()));
        s.push_str(&html[*copied..from]);
        *copied = to;
    }
    to < html.len()
}

struct Tag {
    /// Just past the tag's `>` (or the end of input).
    end: usize,
    /// Lower case; empty for comments, doctypes and processing instructions.
    name: String,
    closing: bool,
    self_closed: bool,
}

/// The tag at `at` (which is a `<`), or None when it is text (`a < b`).
fn scan_tag(b: &[u8], at: usize) -> Option<Tag> {
    let rest = &b[at + 1..];
    if rest.starts_with(b"!--") {
        let end = memchr::memmem::find(&rest[3..], b"-->").map_or(b.len(), |p| at + 4 + p + 3);
        return Some(Tag {
            end,
            name: String::new(),
            closing: false,
            self_closed: true,
        });
    }
    if rest.first().is_some_and(|c| *c == b'!' || *c == b'?') {
        let end = memchr::memchr(b'>', rest).map_or(b.len(), |p| at + 1 + p + 1);
        return Some(Tag {
            end,
            name: String::new(),
            closing: false,
            self_closed: true,
        });
    }
    let closing = rest.first() == Some(&b'/');
    let start = at + 1 + usize::from(closing);
    let name_len = b[start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
        .count();
    if name_len == 0 || !b[start].is_ascii_alphabetic() {
        return None;
    }
    let name = String::from_utf8_lossy(&b[start..start + name_len]).to_ascii_lowercase();
    // To the `>` that ends the tag, past quoted attribute values.
    // A quote opens a value only after `=` (elsewhere it is part of a name, as the
    // tokenizer reads it: `<b x'>` is one whole tag).
    let mut j = start + name_len;
    let mut quote = None;
    let mut after_eq = false;
    while j < b.len() {
        match (quote, b[j]) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if after_eq => quote = Some(b[j]),
            (None, b'>') => break,
            (None, c) if c.is_ascii_whitespace() => {}
            (None, c) => after_eq = c == b'=',
        }
        j += 1;
    }
    let self_closed = j > 0 && j < b.len() && b[j - 1] == b'/';
    Some(Tag {
        end: (j + 1).min(b.len()),
        name,
        closing,
        self_closed,
    })
}

/// Where the end tag `</name` of a raw-text element starts (or the end of input).
fn find_end_tag(b: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&b[i..], b"</") {
        let at = i + p;
        let candidate = &b[at + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_come_out_unchanged() {
        let page = "<html><head><title>a < b</title><script>if (a<b) { x = '<div>'; }</script></head>\
            <body><!-- <div><div> --><ul><li>one<li>two</ul><p>a<p>b<table><tr><td>1<td>2<tr><td>3</table>\
            <img src=x><br/><div class=\"a>b\">text</div></body></html>";
        assert!(
            matches!(limit(page, 6), Cow::Borrowed(_)),
            "{}",
            limit(page, 6)
        );
        let many_paragraphs: String = (0..2000).map(|i| format!("<p>paragraph {i}")).collect();
        assert!(matches!(limit(&many_paragraphs, 8), Cow::Borrowed(_)));
        let many_items: String = format!(
            "<ul>{}</ul>",
            (0..2000)
                .map(|i| format!("<li>item {i}"))
                .collect::<String>()
        );
        assert!(matches!(limit(&many_items, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_and_its_text_kept() {
        let n = 100_000;
        let deep = format!(
            "{}core{}",
            "<div><span><b>".repeat(n),
            "</b></span></div>".repeat(n)
        );
        let cut = limit(&deep, 30);
        assert!(cut.contains("core"));
        assert_eq!(cut.matches("<div>").count(), 10);
        assert_eq!(cut.matches("</div>").count(), 10);
        // Unclosed, as attacks are.
        let slashed = "<div/>".repeat(50_000) + "end";
        assert!(limit(&slashed, 30).len() < 1000);
        let open = "<div><table><tr><td>".repeat(50_000) + "end";
        let cut = limit(&open, 30);
        assert!(cut.len() < 1000 && cut.ends_with("end"), "{}", cut.len());
    }

    #[test]
    fn a_cut_page_parses_to_a_shallow_tree_quickly() {
        let deep = "<div><span><b><table><tr><td>".repeat(60_000) + "x";
        let html = limited(&deep);
        let doc = scraper::Html::parse_fragment(&html);
        let depth = doc
            .root_element()
            .descendants()
            .map(|n| n.ancestors().count())
            .max()
            .unwrap_or(0);
        // The parser adds what the page leaves out (a <tbody> in each table).
        assert!(depth <= MAX_DEPTH * 3 / 2, "{depth}");
    }

    /// The review's bypasses: each nests deep in the parser while a naive count stays low.
    #[test]
    fn what_the_parser_nests_the_count_sees() {
        let n = 20_000;
        let depth_of = |html: &str| {
            let doc = scraper::Html::parse_fragment(&limited(html));
            doc.root_element()
                .descendants()
                .map(|n| n.ancestors().count())
                .max()
                .unwrap_or(0)
        };
        for hostile in [
            // A quote outside a value is part of a name, not the start of one.
            format!("<b x'>{}<i y'>x", "<div>".repeat(n)),
            // `div` breaks out of SVG: `<div/>` opens a div there too.
            format!("<svg>{}", "<div/>".repeat(n)),
            // An end tag across a cell closes nothing.
            "<div><table><td></div>".repeat(n / 4),
        ] {
            let depth = depth_of(&hostile);
            assert!(depth <= MAX_DEPTH * 2, "{depth}: {}", &hostile[..40]);
        }
        // Links written the XHTML way (`<a/>` opens a link in HTML) are closed by the
        // next one, as the parser does: an ordinary page keeps its tags.
        let links = "<p>".to_string() + &"<a href=x/>word ".repeat(2000);
        assert!(matches!(limit(&links, 64), Cow::Borrowed(_)));
    }
}
