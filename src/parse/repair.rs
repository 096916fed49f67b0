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

use base64::Engine;
use std::collections::HashMap;

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

/// The text from the first element's name on, past the prolog.
fn first_element(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
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

/// Element names of RSS and Atom in their proper case, by their lower-case form.
fn canonical_name(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "rss" => "rss",
        "channel" => "channel",
        "item" => "item",
        "title" => "title",
        "link" => "link",
        "description" => "description",
        "pubdate" => "pubDate",
        "lastbuilddate" => "lastBuildDate",
        "guid" => "guid",
        "author" => "author",
        "category" => "category",
        "enclosure" => "enclosure",
        "comments" => "comments",
        "source" => "source",
        "managingeditor" => "managingEditor",
        "webmaster" => "webMaster",
        "language" => "language",
        "copyright" => "copyright",
        "image" => "image",
        "url" => "url",
        "ttl" => "ttl",
        "generator" => "generator",
        "feed" => "feed",
        "entry" => "entry",
        "id" => "id",
        "updated" => "updated",
        "published" => "published",
        "summary" => "summary",
        "content" => "content",
        "subtitle" => "subtitle",
        "name" => "name",
        "email" => "email",
        "uri" => "uri",
        "rdf:rdf" => "rdf:RDF",
        _ => return None,
    })
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
                                // Cut off inside a CDATA section: keep what came.
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
                            None => break,
                        }
                    } else {
                        self.out.push_str("&lt;");
                        i += 1;
                    }
                }
                b'&' => i += self.reference(&src[i..], true),
                _ => {
                    let end =
                        memchr::memchr2(b'<', b'&', &bytes[i..]).map_or(bytes.len(), |e| i + e);
                    self.text(&src[i..end]);
                    i = end;
                }
            }
        }
        if !self.stack.is_empty() {
            // Cut off: the text of the element the cut fell in is incomplete, and goes
            // (as feedparser drops it); the elements before it stay.
            self.out.truncate(self.after_tag);
        }
        while let Some((name, _)) = self.stack.pop() {
            self.out.push_str(&format!("</{name}>"));
        }
    }

    fn text(&mut self, text: &str) {
        // A `>` in text is legal XML; only `<` and `&` need care, done by the caller.
        self.out.push_str(text);
    }

    /// A DOCTYPE (or other `<!...>` declaration): entity declarations of its internal
    /// subset are remembered, the declaration itself dropped. Returns the bytes used.
    fn doctype(&mut self, rest: &str) -> usize {
        let mut depth = 0usize;
        let mut end = rest.len();
        let mut quote: Option<char> = None;
        for (at, c) in rest.char_indices().skip(2) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, '>') if depth == 0 => {
                    end = at + 1;
                    break;
                }
                _ => {}
            }
        }
        let decl = &rest[..end];
        let mut search = decl;
        while let Some(at) = search.find("<!ENTITY") {
            search = &search[at + "<!ENTITY".len()..];
            let mut words = search.trim_start().splitn(2, char::is_whitespace);
            let (Some(name), Some(after)) = (words.next(), words.next()) else {
                break;
            };
            let after = after.trim_start();
            // Parameter entities (`%`) and external ones (SYSTEM, PUBLIC) are never used.
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if name == "%" {
                continue;
            }
            if let Some(close) = after[1..].find(q) {
                let value = &after[1..1 + close];
                if value.len() <= ENTITY_VALUE_MAX {
                    self.entities.insert(name.to_string(), value.to_string());
                }
            }
        }
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
                self_closing = false;
                i += 1;
                break;
            }
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
                        let close = rest[i + 1..].find(q as char)? + i + 1;
                        value = rest[i + 1..close].to_string();
                        i = close + 1;
                    }
                    Some(_) => {
                        // An unquoted value, as HTML allows.
                        let end = rest[i..]
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .map_or(rest.len(), |e| i + e);
                        value = rest[i..end].trim_end_matches('/').to_string();
                        i = end;
                    }
                    None => return None,
                }
            }
            if attr_name.is_empty() {
                i += rest[i..].chars().next().map_or(1, char::len_utf8);
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
        self.note_item_field(&name);
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
            self.stack.push((name, raw_name.to_ascii_lowercase()));
        }
        Some(i)
    }

    /// The name an element is written out with: the format's case, Atom 0.3's names as
    /// Atom 1.0 has them, Dublin Core stand-ins inside RSS items.
    fn element_name(&self, raw: &str) -> String {
        let lower = raw.to_ascii_lowercase();
        let mut name = match canonical_name(&lower) {
            Some(c) if !raw.contains(':') || lower == "rdf:rdf" => c.to_string(),
            _ => raw.to_string(),
        };
        if self.atom03 {
            name = match name.as_str() {
                "modified" => "updated".into(),
                "issued" => "published".into(),
                "tagline" => "subtitle".into(),
                "copyright" => "rights".into(),
                _ => name,
            };
        }
        if let Some(fields) = self.item_fields.last() {
            if self.parent_is_item() {
                let stand_in = match lower.as_str() {
                    "dc:title" if !fields.contains(&"title") => Some("title"),
                    "dc:description" if !fields.contains(&"description") => Some("description"),
                    _ => None,
                };
                if let Some(s) = stand_in {
                    return s.to_string();
                }
            }
        }
        name
    }

    fn parent_is_item(&self) -> bool {
        self.stack.last().is_some_and(|(p, _)| p == "item")
    }

    fn note_item_field(&mut self, name: &str) {
        if self.parent_is_item() {
            if let Some(fields) = self.item_fields.last_mut() {
                match name {
                    "title" => fields.push("title"),
                    "description" => fields.push("description"),
                    _ => {}
                }
            }
        }
    }

    fn fix_attrs(&mut self, name: &str, attrs: &mut Vec<(String, String)>) {
        if name == "rss" {
            // No version, or one the readers do not know (0.90, 0.93, 0.94 are all read
            // as the 2.0 they grew into).
            attrs.retain(|(n, v)| n != "version" || KNOWN_RSS.contains(&v.trim()));
            if !attrs.iter().any(|(n, _)| n == "version") {
                attrs.push(("version".into(), "2.0".into()));
            }
        }
        for (n, v) in attrs.iter_mut() {
            if (n == "xmlns" || n.starts_with("xmlns:")) && v == RSS090_NS {
                *v = RSS10_NS.into();
            }
        }
        if self.atom03 {
            for (n, v) in attrs.iter_mut() {
                if (n == "xmlns" || n.starts_with("xmlns:")) && v == ATOM03_NS {
                    *v = ATOM10_NS.into();
                }
            }
            if name == "feed" {
                attrs.retain(|(n, _)| n != "version");
            }
        }
    }

    /// An Atom 0.3 text construct: `mode="escaped"` is Atom 1.0's `type="html"`,
    /// `mode="base64"` is decoded, and inline XML (the default mode) is carried as
    /// escaped HTML. Returns the bytes used after the start tag.
    fn atom03_text(
        &mut self,
        name: &str,
        raw_name: &str,
        attrs: &[(String, String)],
        after: &str,
        self_closing: bool,
    ) -> Option<usize> {
        let get = |key: &str| {
            attrs
                .iter()
                .find(|(n, _)| n == key)
                .map(|(_, v)| v.as_str())
        };
        let mime = get("type").unwrap_or("text/plain").to_ascii_lowercase();
        let mode = get("mode").unwrap_or("xml").to_ascii_lowercase();
        let html = mime.contains("html");
        if self_closing {
            self.out.push_str(&format!("<{name}/>"));
            return Some(0);
        }
        let close = format!("</{raw_name}");
        let Some(end) = after.find(&close) else {
            // Cut off inside it: the partial text goes, as at any other cut.
            return Some(after.len());
        };
        let inner = &after[..end];
        let used = after[end..].find('>').map_or(after.len(), |g| end + g + 1);
        let text = match mode.as_str() {
            "base64" => {
                let cleaned: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(cleaned)
                    .unwrap_or_default();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            // Escaped text: the readers undo the XML escaping themselves.
            "escaped" => {
                let kind = if html { "html" } else { "text" };
                self.out.push_str(&format!("<{name} type=\"{kind}\">"));
                let mut sub = Repairer {
                    src: inner,
                    out: String::new(),
                    stack: Vec::new(),
                    entities: self.entities.clone(),
                    expanded: self.expanded,
                    atom03: false,
                    item_fields: Vec::new(),
                    after_tag: 0,
                };
                sub.run_text();
                self.out.push_str(&sub.out);
                self.out.push_str(&format!("</{name}>"));
                self.after_tag = self.out.len();
                return Some(used);
            }
            // Inline markup: its source is the HTML.
            _ => inner.to_string(),
        };
        let kind = if html || mode == "xml" {
            "html"
        } else {
            "text"
        };
        self.out.push_str(&format!("<{name} type=\"{kind}\">"));
        self.out.push_str(&xml_escape(&text));
        self.out.push_str(&format!("</{name}>"));
        self.after_tag = self.out.len();
        Some(used)
    }

    /// Text only (no markup expected): references fixed, `<` escaped.
    fn run_text(&mut self) {
        let src = self.src;
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'<' => {
                    self.out.push_str("&lt;");
                    i += 1;
                }
                b'&' => i += self.reference(&src[i..], true),
                _ => {
                    let end =
                        memchr::memchr2(b'<', b'&', &bytes[i..]).map_or(bytes.len(), |e| i + e);
                    self.out.push_str(&src[i..end]);
                    i = end;
                }
            }
        }
    }

    fn attr_value(&mut self, value: &str) {
        let mut i = 0;
        let bytes = value.as_bytes();
        while i < bytes.len() {
            match bytes[i] {
                b'&' => i += self.reference(&value[i..], false),
                b'<' => {
                    self.out.push_str("&lt;");
                    i += 1;
                }
                b'"' => {
                    self.out.push_str("&quot;");
                    i += 1;
                }
                _ => {
                    let end = value[i..]
                        .find(['&', '<', '"'])
                        .map_or(value.len(), |e| i + e);
                    self.out.push_str(&value[i..end]);
                    i = end;
                }
            }
        }
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
                self.out.push_str(&format!("</{open}>"));
                self.after_tag = self.out.len();
            }
        }
    }

    /// An `&` at the start of `rest`: writes what it stands for as XML, returns the bytes
    /// used. `expand` is false inside an entity's own value (one level only).
    fn reference(&mut self, rest: &str, expand: bool) -> usize {
        let body_end = rest[1..]
            .char_indices()
            .take(40)
            .find(|(_, c)| {
                !(c.is_ascii_alphanumeric() || *c == '#' || *c == '_' || *c == '.' || *c == '-')
            })
            .map(|(at, c)| (at + 1, c));
        let Some((end, ';')) = body_end else {
            // No `;`: a bare ampersand ("AT&T", a query string).
            self.out.push_str("&amp;");
            return 1;
        };
        let name = &rest[1..end];
        let used = end + 1;
        if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            match code.map(browser_char) {
                Some(c) => self.push_char(c),
                None => self.out.push_str("&amp;"),
            }
            return if code.is_some() { used } else { 1 };
        }
        match name {
            "amp" | "lt" | "gt" | "quot" | "apos" => {
                self.out.push_str(&rest[..used]);
                return used;
            }
            _ => {}
        }
        if let Some(value) = self.entities.get(name).cloned() {
            if expand && self.expanded + value.len() <= EXPANSION_MAX {
                self.expanded += value.len();
                let mut sub = Repairer {
                    src: &value,
                    out: String::new(),
                    stack: Vec::new(),
                    entities: HashMap::new(),
                    expanded: 0,
                    atom03: false,
                    item_fields: Vec::new(),
                    after_tag: 0,
                };
                sub.run_text();
                self.out.push_str(&sub.out);
                return used;
            }
            self.out.push_str("&amp;");
            return 1;
        }
        let decoded = html_escape::decode_html_entities(&rest[..used]);
        if decoded != rest[..used] {
            for c in decoded.chars() {
                self.push_char(c);
            }
            return used;
        }
        // An entity nobody knows: shown as written, as a browser does.
        self.out.push_str("&amp;");
        1
    }

    fn push_char(&mut self, c: char) {
        match c {
            '&' => self.out.push_str("&amp;"),
            '<' => self.out.push_str("&lt;"),
            '>' => self.out.push_str("&gt;"),
            '"' => self.out.push_str("&quot;"),
            c => self.out.push(c),
        }
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

/// The character a browser shows for a numeric reference: Windows-1252 for 128-159, the
/// replacement character for what names no character XML allows.
fn browser_char(code: u32) -> char {
    const CP1252: [u32; 32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ];
    let code = match code {
        0x80..=0x9F => CP1252[(code - 0x80) as usize],
        c => c,
    };
    match char::from_u32(code) {
        Some(c)
            if c == '\t'
                || c == '\n'
                || c == '\r'
                || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}') =>
        {
            c
        }
        _ => '\u{FFFD}',
    }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_stray_markup() {
        let out = repair("<rss><channel><title>Caf&eacute; &amp; AT&T &#150; &#0; &bogus; a < b</title></channel></rss>");
        assert_eq!(
            out,
            "<rss version=\"2.0\"><channel><title>Café &amp; AT&amp;T – \u{FFFD} &amp;bogus; a &lt; b</title></channel></rss>"
        );
    }

    #[test]
    fn truncated_and_unbalanced() {
        let out = repair("<rss version=\"2.0\"><channel><item><title>One</title><description>x <b>y</description></item><item><title>Tw");
        assert_eq!(
            out,
            "<rss version=\"2.0\"><channel><item><title>One</title><description>x <b>y</b></description></item><item><title></title></item></channel></rss>"
        );
        let out = repair("<feed></entry><title>t</title></feed>junk<more/>");
        assert_eq!(out, "<feed><title>t</title></feed>");
    }

    #[test]
    fn dtd_entities_one_level_and_external_ones_never() {
        let out = repair(
            "<!DOCTYPE rss [<!ENTITY brand \"Acme &amp; Co\"><!ENTITY a \"&brand;&brand;\"><!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><title>&brand; &a; &x;</title></rss>",
        );
        assert_eq!(
            out,
            "<rss version=\"2.0\"><title>Acme &amp; Co &amp;brand;&amp;brand; &amp;x;</title></rss>"
        );
    }

    #[test]
    fn atom_03_becomes_atom_10() {
        let out = repair(
            "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><tagline>T</tagline><entry><issued>2004</issued><content type=\"text/html\" mode=\"base64\">PGI+eDwvYj4=</content><summary type=\"text/html\" mode=\"escaped\">&lt;i&gt;y&lt;/i&gt;</summary></entry></feed>",
        );
        assert_eq!(
            out,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><subtitle type=\"html\">T</subtitle><entry><published>2004</published><content type=\"html\">&lt;b&gt;x&lt;/b&gt;</content><summary type=\"html\">&lt;i&gt;y&lt;/i&gt;</summary></entry></feed>"
        );
    }

    #[test]
    fn case_and_dublin_core_stand_ins() {
        let out = repair(
            "<RSS><Channel><Item><dc:title>D</dc:title><PubDate>x</PubDate></Item></Channel></RSS>",
        );
        assert_eq!(
            out,
            "<rss version=\"2.0\"><channel><item><title>D</title><pubDate>x</pubDate></item></channel></rss>"
        );
    }

    #[test]
    fn needed_first_spots_what_readers_misread() {
        assert!(needed_first("<rss xmlns:itunes=\"x\"><channel/></rss>"));
        assert!(needed_first("<RSS version=\"2.0\"></RSS>"));
        assert!(needed_first(
            "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
        ));
        assert!(!needed_first("<rss version=\"2.0\"><channel/></rss>"));
        assert!(!needed_first(
            "<!-- c --><feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
    }
}
