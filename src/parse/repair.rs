//! Making a broken or old-fashioned feed document well-formed XML that the readers take,
//! the way browsers and liberal parsers read such documents. One pass over the text:
//!
//! - entities: HTML named entities become the characters they name; entities declared in
//!   an internal DTD subset are expanded one level (so no entity bomb can grow), external
//!   ones never; a bare `&` becomes `&amp;`; numeric references that name no character
//!   become U+FFFD, and 128-159 the Windows-1252 characters browsers show for them;
//! - markup: a `<` that starts no tag becomes `&lt;`; an end tag closes the elements left
//!   open inside it, an end tag with nothing to close is dropped, what is open at the
//!   end (a truncated download) is closed, and anything after the root element goes;
//! - old formats: `<rss>` without a version is read as 2.0; Atom 0.3 is mapped onto
//!   Atom 1.0 (`modified`, `issued`, `tagline`, `copyright`, and `content mode=escaped,
//!   base64 or xml`); element names in the wrong case (`<Item>`, `<PUBDATE>`) get the case
//!   the format has; an RSS item's `dc:title` and `dc:description` stand in for a missing
//!   `title` and `description`.
//!
//! It runs only when the document needs it (see `parse_feed`), so well-formed feeds pay
//! nothing.

use std::collections::HashMap;

mod entities;
pub(super) use entities::{browser_char, xml_escape};
mod formats;
pub(super) use formats::canonical_name;
#[cfg(test)]
mod tests;

/// The RSS versions the readers take as they are.
const KNOWN_RSS: [&str; 3] = ["0.91", "0.92", "2.0"];
const ATOM03_NS: &str = "http://purl.org/atom/ns#";
const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";
/// RSS 0.90's namespace: RSS 1.0 is its compatible successor.
const RSS090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS10_NS: &str = "http://purl.org/rss/1.0/";
/// The longest text an internal DTD entity may stand for.
const ENTITY_VALUE_MAX: usize = 16 * 1024;
/// How much text entity expansion may add in all: an entity used a million times stops
/// being expanded here.
const EXPANSION_MAX: usize = 4 * 1024 * 1024;

/// Whether the document should be repaired before any reader sees it: the readers would
/// take it but misread it (Atom 0.3, a root in the wrong case, RSS without a version).
pub fn needed_first(body: &str) -> bool {
    let head = &body[..floor_char_boundary(body, 4096)];
    if head.contains(ATOM03_NS) || head.contains(RSS090_NS) || head.contains("<!ENTITY") {
        return true;
    }
    let Some(start) = first_element(head) else {
        return false;
    };
    let name_end = start
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(start.len());
    let name = &start[..name_end];
    match name.to_ascii_lowercase().as_str() {
        "rss" => {
            let tag = &start[..start.find('>').unwrap_or(start.len())];
            let known = KNOWN_RSS.iter().any(|v| {
                tag.contains(&format!("version=\"{v}\"")) || tag.contains(&format!("version='{v}'"))
            });
            name != "rss" || !known
        }
        "feed" | "rdf:rdf" => name != "feed" && name != "rdf:RDF",
        _ => false,
    }
}

/// Whether the document's markup names an entity that only HTML defines (`&nbsp;`; not
/// one of XML's five, not a numeric reference). Text in CDATA sections and comments
/// is not markup (`&nbsp;` in a CDATA body is the common, well-formed case) and is
/// passed over. The look stops at the first.
pub fn names_html_entities(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut from = 0;
    // Where the next of each starts (absolute), looked for again only once passed: a
    // document of many CDATA sections and no comment is not searched to its end for a
    // comment at every section.
    let next = |marker: &[u8], from: usize| {
        memchr::memmem::find(&bytes[from..], marker).map(|at| from + at)
    };
    let mut cdata_at = next(b"<![CDATA[", 0);
    let mut comment_at = next(b"<!--", 0);
    while from < bytes.len() {
        if cdata_at.is_some_and(|at| at < from) {
            cdata_at = next(b"<![CDATA[", from);
        }
        if comment_at.is_some_and(|at| at < from) {
            comment_at = next(b"<!--", from);
        }
        let rest = &bytes[from..];
        let cdata = cdata_at.map(|at| at - from);
        let comment = comment_at.map(|at| at - from);
        let (until, skip_to): (usize, Option<(usize, &[u8])>) = match (cdata, comment) {
            (Some(c), Some(m)) if m < c => (m, Some((m, b"-->"))),
            (Some(c), _) => (c, Some((c, b"]]>"))),
            (None, Some(m)) => (m, Some((m, b"-->"))),
            (None, None) => (rest.len(), None),
        };
        if html_entity_in(&rest[..until]) {
            return true;
        }
        match skip_to {
            Some((at, end)) => match memchr::memmem::find(&rest[at..], end) {
                Some(e) => from += at + e + end.len(),
                None => return false,
            },
            None => return false,
        }
    }
    false
}

fn html_entity_in(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'&', bytes).any(|at| {
        let name: &[u8] = &bytes[at + 1..];
        let len = name
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        len > 0
            && name.get(len) == Some(&b';')
            && !matches!(&name[..len], b"amp" | b"lt" | b"gt" | b"quot" | b"apos")
    })
}

/// The text from the first element's name on, past the prolog.
/// The text from the first element's name on: past the declaration, processing
/// instructions, a DOCTYPE and comments (whose text may hold a `<` of its own).
pub(super) fn first_element(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = &comment[comment.find("-->")? + 3..];
            continue;
        }
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        return Some(rest);
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Repairs `body` (UTF-8, no XML declaration) as the module header says.
pub fn repair(body: &str) -> String {
    let mut r = Repairer {
        src: body,
        out: String::with_capacity(body.len() + body.len() / 8),
        stack: Vec::new(),
        entities: HashMap::new(),
        expanded: 0,
        atom03: body[..floor_char_boundary(body, 4096)].contains(ATOM03_NS),
        item_fields: Vec::new(),
        after_tag: 0,
        open_items: Vec::new(),
        cut: Cut::None,
    };
    r.run();
    r.out
}

struct Repairer<'a> {
    src: &'a str,
    out: String,
    /// Open elements: as written out, and as the document named them (lower case).
    stack: Vec<(String, String)>,
    /// Entities from the internal DTD subset.
    entities: HashMap<String, String>,
    expanded: usize,
    atom03: bool,
    /// For each open RSS item: the fields it has so far (for the Dublin Core stand-ins).
    item_fields: Vec<Vec<&'static str>>,
    /// Where the output stood after the last tag written.
    after_tag: usize,
    /// Each open item or entry: its depth in `stack`, and where its start tag begins
    /// in the output.
    open_items: Vec<(usize, usize)>,
    /// Where the document ended early, if it did.
    cut: Cut,
}

/// Where a document that ends early was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// In text, or not at all.
    None,
    /// Inside a start tag.
    InTag,
    /// Inside a CDATA section, which starts there in the output.
    InCdata(usize),
}

impl<'a> Repairer<'a> {
    fn run(&mut self) {
        let src = self.src;
        let bytes = src.as_bytes();
        let mut i = 0;
        let mut seen_root = false;
        while i < bytes.len() {
            if seen_root && self.stack.is_empty() {
                // Junk after the root element: gone.
                break;
            }
            match bytes[i] {
                b'<' => {
                    let rest = &src[i..];
                    if rest.starts_with("<!--") {
                        let Some(end) = rest.find("-->") else { break };
                        self.out.push_str(&rest[..end + 3]);
                        i += end + 3;
                    } else if rest.starts_with("<![CDATA[") {
                        match rest.find("]]>") {
                            Some(end) => {
                                self.out.push_str(&rest[..end + 3]);
                                i += end + 3;
                            }
                            None => {
                                // Cut off inside a CDATA section (or one never
                                // closed): its text goes with the rest (below), as
                                // feedparser drops it, but not its item.
                                self.cut = Cut::InCdata(self.out.len());
                                self.out.push_str(rest);
                                self.out.push_str("]]>");
                                break;
                            }
                        }
                    } else if rest.starts_with("<!") {
                        i += self.doctype(rest);
                    } else if rest.starts_with("<?") {
                        let Some(end) = rest.find("?>") else { break };
                        self.out.push_str(&rest[..end + 2]);
                        i += end + 2;
                    } else if rest.starts_with("</") {
                        let Some(end) = rest.find('>') else { break };
                        self.close_tag(rest[2..end].trim());
                        i += end + 1;
                    } else if rest[1..].starts_with(is_name_start) {
                        match self.open_tag(rest) {
                            Some(used) => {
                                seen_root = true;
                                i += used;
                            }
                            // A tag cut off by the end of the document.
                            None => {
                                self.cut = Cut::InTag;
                                break;
                            }
                        }
                    } else {
                        self.out.push_str("&lt;");
                        i += 1;
                    }
                }
                b'&' => i += self.reference(&src[i..], true),
                _ => i = self.copy_text(i),
            }
        }
        if !self.stack.is_empty() {
            // Cut off: the text of the element the cut fell in is incomplete, and goes
            // (as feedparser drops it); the elements before it stay. An item the cut
            // fell in goes whole: stored, it would stand for good as an article with
            // half its text, no enclosure, or no title, and under another id than the
            // whole item's (its guid not reached yet), beside it once the feed came back
            // whole. One whose id came stays (the whole item, later, is the same
            // article), unless the cut fell in a tag or one of its fields; so does one
            // whose CDATA never closed (a mistake or a cut, its text going either way).
            // Its id: its guid, or, in a feed whose items came without one, its link.
            let out = &self.out;
            let cut = self.cut;
            let depth_now = self.stack.len();
            let goes = |&&(depth, at): &&(usize, usize)| {
                // (What a CDATA section swallowed is no part of the item.)
                let end = match cut {
                    Cut::InCdata(from) if from >= at => from,
                    _ => out.len(),
                };
                let item = &out[at..end];
                let no_guids = !out[..at].contains("<guid");
                let has_id = item.contains("</guid>")
                    || item.contains("</id>")
                    || (no_guids && item.contains("</link>"));
                match cut {
                    Cut::InTag => true,
                    Cut::InCdata(_) => !has_id,
                    Cut::None => depth_now > depth + 1 || !has_id,
                }
            };
            match self.open_items.first().filter(goes) {
                Some(&(depth, at)) => {
                    self.out.truncate(at);
                    self.stack.truncate(depth);
                }
                None => self.out.truncate(self.after_tag),
            }
        }
        while let Some((name, _)) = self.stack.pop() {
            self.out.push_str(&format!("</{name}>"));
        }
    }

    /// Copies the text at `i` up to the next `<` or `&` (which the caller deals with; a
    /// `>` in text is legal XML); returns where it stopped.
    fn copy_text(&mut self, i: usize) -> usize {
        let bytes = self.src.as_bytes();
        let end = memchr::memchr2(b'<', b'&', &bytes[i..]).map_or(bytes.len(), |e| i + e);
        self.out.push_str(&self.src[i..end]);
        end
    }

    /// A start tag at the beginning of `rest`; None when the document ends inside it.
    fn open_tag(&mut self, rest: &str) -> Option<usize> {
        let name_len = rest[1..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len() - 1);
        let raw_name = &rest[1..1 + name_len];
        let mut i = 1 + name_len;
        let mut attrs: Vec<(String, String)> = Vec::new();
        let bytes = rest.as_bytes();
        let self_closing;
        let mut slash_before_end = false;
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= bytes.len() {
                return None;
            }
            if rest[i..].starts_with("/>") {
                self_closing = true;
                i += 2;
                break;
            }
            if bytes[i] == b'>' {
                self_closing = slash_before_end;
                i += 1;
                break;
            }
            slash_before_end = false;
            if bytes[i] == b'<' {
                // A tag that never closed: end it here.
                self_closing = false;
                break;
            }
            let name_end = rest[i..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .map_or(rest.len(), |e| i + e);
            let attr_name = &rest[i..name_end];
            i = name_end;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let close = rest[i + 1..].find(q as char).map(|c| c + i + 1);
                        // A quote left open (`href="http://x/a>` then the next tag):
                        // no closing quote, or the tag ends (`>`) and another begins
                        // (`<`) before it. The value ends with its tag, as browsers and
                        // feedparser read it, not at a quote in a later tag, which
                        // swallowed the document or refused it. (`title="<b>x</b>"` and
                        // `alt="I <3 it"` are closed values.)
                        let open = close.is_none_or(|c| {
                            let between = &rest[i + 1..c];
                            match (between.find('>'), between.find('<')) {
                                (Some(gt), Some(lt)) => gt < lt,
                                _ => false,
                            }
                        });
                        match rest[i + 1..].find('>').map(|e| e + i + 1) {
                            Some(end) if open => {
                                value = rest[i + 1..end].to_string();
                                // (`type="text/html/>`: an empty element, as meant.)
                                slash_before_end = value.ends_with('/');
                                i = end;
                            }
                            _ => {
                                let close = close?;
                                value = rest[i + 1..close].to_string();
                                i = close + 1;
                            }
                        }
                    }
                    Some(_) => {
                        // An unquoted value, as HTML allows.
                        let end = rest[i..]
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .map_or(rest.len(), |e| i + e);
                        // `href=http://x/a/>`: the slash is the value's (HTML's
                        // reading), and the element is empty, as it was meant.
                        value = rest[i..end].to_string();
                        slash_before_end = value.ends_with('/') && bytes.get(end) == Some(&b'>');
                        i = end;
                    }
                    None => return None,
                }
            }
            if attr_name.is_empty() {
                i += rest[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            // What is left of a value after a quote left open (`url="a.mp3 length="1"`
            // leaves `1"`) is no attribute: dropped, as an HTML parser drops it.
            if !attr_name.chars().all(super::tags::is_name_char)
                || attr_name.starts_with(['-', '.'])
            {
                continue;
            }
            if !attrs.iter().any(|(n, _)| n == attr_name) {
                attrs.push((attr_name.to_string(), value));
            }
        }
        let name = self.element_name(raw_name);
        self.fix_attrs(&name, &mut attrs);
        if self.atom03
            && matches!(
                name.as_str(),
                "content" | "summary" | "title" | "subtitle" | "rights"
            )
        {
            if let Some(used) = self.atom03_text(&name, raw_name, &attrs, &rest[i..], self_closing)
            {
                return Some(i + used);
            }
        }
        // A field left open (`<title>News` and no end tag) ends where the next field
        // starts, not at the end of its item: the link and guid after it stay theirs.
        const FIELDS: [&str; 10] = [
            "title",
            "link",
            "description",
            "guid",
            "pubDate",
            "author",
            "category",
            "comments",
            "enclosure",
            "source",
        ];
        const TEXT_ONLY: [&str; 7] = [
            "title", "link", "guid", "pubDate", "author", "category", "comments",
        ];
        if FIELDS.contains(&name.as_str()) {
            if let Some((open, _)) = self.stack.last() {
                if TEXT_ONLY.contains(&open.as_str()) {
                    let open = open.clone();
                    self.stack.pop();
                    self.out.push_str(&format!("</{open}>"));
                }
            }
        }
        // An item inside an item (one left open, or written nested): the open one ends
        // where the next begins, as feedparser reads it, so that neither is lost.
        if name == "item" && !self_closing && self.stack.iter().any(|(open, _)| open == "item") {
            self.close_tag("item");
        }
        self.note_item_field(&name);
        let item_at = self.out.len();
        self.out.push('<');
        self.out.push_str(&name);
        for (n, v) in &attrs {
            self.out.push(' ');
            self.out.push_str(n);
            self.out.push_str("=\"");
            self.attr_value(v);
            self.out.push('"');
        }
        if self_closing {
            self.out.push_str("/>");
            self.after_tag = self.out.len();
        } else {
            self.out.push('>');
            self.after_tag = self.out.len();
            if name == "item" {
                self.item_fields.push(Vec::new());
            }
            if name == "item" || name == "entry" {
                self.open_items.push((self.stack.len(), item_at));
            }
            self.stack.push((name, raw_name.to_ascii_lowercase()));
        }
        Some(i)
    }

    fn close_tag(&mut self, raw: &str) {
        let lower = raw.to_ascii_lowercase();
        let name = self.element_name(raw);
        // Close what was left open inside it; an end tag with nothing to close goes.
        let Some(at) = self
            .stack
            .iter()
            .rposition(|(written, named)| *named == lower || *written == name)
        else {
            return;
        };
        while self.stack.len() > at {
            if let Some((open, _)) = self.stack.pop() {
                if open == "item" {
                    self.item_fields.pop();
                }
                if self
                    .open_items
                    .last()
                    .is_some_and(|(d, _)| *d == self.stack.len())
                {
                    self.open_items.pop();
                }
                self.out.push_str(&format!("</{open}>"));
                self.after_tag = self.out.len();
            }
        }
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}
