//! Text elements as liberal parsers read them, for the documents the direct reader
//! leaves to feed-rs.
//!
//! - Markup written straight into a text element (`<description><p>Hi <b>you</b></p>
//!   </description>`, an Atom `type="html"` title holding `<b>`): feed-rs keeps the text
//!   up to the first tag and drops the rest; feedparser, and the author, mean the markup
//!   as the element's HTML. It is escaped here, so both readers take it whole.
//! - Atom `type` values feed-rs refuses the whole document for (`text/plain`,
//!   `application/xhtml+xml`, `HTML`, an XML media type on `content`): mapped onto the
//!   three Atom names, as feedparser reads them. Inline XML content that is not XHTML is
//!   no text to show (feedparser gives it empty too).
//!
//! Atom `type="xhtml"` and an RSS item's XHTML `body` are markup by design and are left
//! alone. The pass is one walk over quick-xml's events, run only where the direct reader
//! gave up (it reads no markup inside text), so the plain feeds it reads pay nothing.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::ops::Range;

/// The document with its text elements made plain, or None when it needs nothing (or is
/// not well-formed: the repair runs first then, and this pass after it).
pub(super) fn plain_text_elements(body: &str) -> Option<String> {
    let mut reader = Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut depth = 0usize;
    let mut atom = None;
    let mut open: Option<Open> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().ok()?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                depth += 1;
                let is_atom = *atom.get_or_insert_with(|| local(e.name().as_ref()) == "feed");
                match &mut open {
                    Some(o) => o.child(depth, &e, after),
                    None => {
                        if let Some(kind) = text_kind(&e, is_atom) {
                            open = Some(Open {
                                depth,
                                tag: before..after,
                                inner_start: after,
                                kind,
                                has_child: false,
                                wrapper: Wrapper::None,
                                start: e.into_owned(),
                            });
                        }
                    }
                }
            }
            Event::Empty(e) => match &mut open {
                Some(o) => {
                    o.has_child = true;
                    o.wrapper = Wrapper::Not;
                }
                None => {
                    let retype = match atom.and_then(|a| text_kind(&e, a)) {
                        Some(Kind::Atom(AtomType::Text(name, true))) => Some(name),
                        Some(Kind::Atom(AtomType::Xhtml(true))) => Some("xhtml"),
                        Some(Kind::Atom(AtomType::Xml | AtomType::Base64)) => Some("text"),
                        _ => None,
                    };
                    if let Some(tag) = retype.and_then(|name| retyped(&e, name, true)) {
                        edits.push((before..after, tag));
                    }
                }
            },
            Event::End(_) => {
                if let Some(o) = open.take_if(|o| o.depth == depth) {
                    o.edit(body, before, &mut edits);
                } else if let Some(o) = open.as_mut().filter(|o| o.depth + 1 == depth) {
                    if let Wrapper::Open(start) = o.wrapper {
                        o.wrapper = Wrapper::Closed(start..before);
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some(o) = open.as_mut().filter(|o| o.depth == depth) {
                    if !t.into_inner().trim_ascii().is_empty() {
                        o.wrapper = Wrapper::Not;
                    }
                }
            }
            Event::CData(_) | Event::GeneralRef(_) => {
                if let Some(o) = open.as_mut().filter(|o| o.depth == depth) {
                    o.wrapper = Wrapper::Not;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&body[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&body[at..]);
    Some(out)
}

/// A text element being read.
struct Open {
    depth: usize,
    tag: Range<usize>,
    inner_start: usize,
    kind: Kind,
    has_child: bool,
    /// Whether all inside is one `div` holding only text (feedparser reads such a `div`
    /// in a text or HTML construct as no markup: TypePad wrapped escaped HTML so).
    wrapper: Wrapper,
    start: BytesStart<'static>,
}

/// What the elements inside a text element are, as far as read.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Wrapper {
    /// None yet.
    None,
    /// A `div` whose text starts here, still open.
    Open(usize),
    /// One `div` with only text inside, this range.
    Closed(Range<usize>),
    /// Anything else.
    Not,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// RSS's and its modules' text elements: HTML, or text.
    Rss,
    /// An Atom text construct, with the `type` it is read as.
    Atom(AtomType),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AtomType {
    /// `text`, `html`: markup inside is escaped. The bool says the attribute needs
    /// rewriting to this name.
    Text(&'static str, bool),
    Xhtml(bool),
    /// Inline XML of another kind: no text.
    Xml,
    /// Any other media type: base64, as Atom says (decoded here; left as it is when it
    /// is not).
    Base64,
    /// A `src` or base64 text: left as it is.
    Other,
}

impl Open {
    /// An element starts inside, at `depth`; its content starts at `after`.
    fn child(&mut self, depth: usize, e: &BytesStart, after: usize) {
        let first = !self.has_child;
        self.has_child = true;
        self.wrapper = match self.wrapper {
            Wrapper::None
                if first && depth == self.depth + 1 && local(e.name().as_ref()) == "div" =>
            {
                Wrapper::Open(after)
            }
            _ => Wrapper::Not,
        };
    }

    fn edit(self, body: &str, inner_end: usize, edits: &mut Vec<(Range<usize>, String)>) {
        let inner = self.inner_start..inner_end;
        match self.kind {
            Kind::Rss => {
                if self.has_child {
                    edits.push((inner.clone(), escaped(&body[inner])));
                }
            }
            Kind::Atom(AtomType::Text(name, retype))
                if matches!(self.wrapper, Wrapper::Closed(_)) =>
            {
                // `<content type="html"><div>&lt;p&gt;…</div></content>`: the text inside
                // the `div` is the construct's, as it is written (escaped HTML for
                // `html`); the `div` would otherwise make it markup, and show its tags.
                let Wrapper::Closed(text) = self.wrapper else {
                    return;
                };
                if retype {
                    if let Some(tag) = retyped(&self.start, name, false) {
                        edits.push((self.tag, tag));
                    }
                }
                edits.push((inner, body[text].to_string()));
            }
            Kind::Atom(AtomType::Text(name, retype)) => {
                // Elements inside a text construct are markup, whatever it says it is
                // (feedparser reads them as XHTML): its escaped form is HTML.
                let name = if self.has_child { "html" } else { name };
                if retype || name != "text" && self.has_child {
                    if let Some(tag) = retyped(&self.start, name, false) {
                        edits.push((self.tag, tag));
                    }
                }
                if self.has_child {
                    edits.push((inner.clone(), escaped(&body[inner])));
                }
            }
            Kind::Atom(AtomType::Xhtml(true)) => {
                if let Some(tag) = retyped(&self.start, "xhtml", false) {
                    edits.push((self.tag, tag));
                }
            }
            Kind::Atom(AtomType::Xml) => {
                if let Some(tag) = retyped(&self.start, "text", false) {
                    edits.push((self.tag, tag));
                    edits.push((inner, String::new()));
                }
            }
            Kind::Atom(AtomType::Base64) => {
                use base64::Engine;
                let packed: String = body[inner.clone()].split_whitespace().collect();
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(packed)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok());
                match decoded {
                    Some(text) if !self.has_child => {
                        if let Some(tag) = retyped(&self.start, "html", false) {
                            edits.push((self.tag, tag));
                            edits.push((inner, super::repair::xml_escape(&text)));
                        }
                    }
                    // Not base64 after all: the text as it is.
                    _ => {
                        if let Some(tag) = retyped(&self.start, "text", false) {
                            edits.push((self.tag, tag));
                        }
                    }
                }
            }
            Kind::Atom(_) => {}
        }
    }
}

/// The local part of a qualified name.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// Whether `e` starts a text element, and of which kind.
fn text_kind(e: &BytesStart, atom: bool) -> Option<Kind> {
    let name = e.name();
    let prefixed = name.as_ref().contains(':');
    let local = local(name.as_ref());
    if !super::tags::is_text_element(atom, prefixed, local) {
        return None;
    }
    Some(if atom && !prefixed {
        Kind::Atom(atom_type(e, local == "content"))
    } else {
        Kind::Rss
    })
}

/// How an Atom text construct's `type` is read (feedparser's mapping).
fn atom_type(e: &BytesStart, content: bool) -> AtomType {
    let attr = |key: &str| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| a.value.to_string())
    };
    // Atom 0.3's `mode` (written into 1.0 documents too): base64 is decoded elsewhere;
    // "escaped" says the text is escaped markup, "xml" that it is inline.
    let mode = attr("mode").map(|m| m.trim().to_ascii_lowercase());
    if attr("src").is_some() || mode.as_deref() == Some("base64") {
        return AtomType::Other;
    }
    let escaped = mode.as_deref() == Some("escaped");
    let Some(raw) = attr("type") else {
        return AtomType::Text("text", false);
    };
    let given = raw.trim();
    let kind = given
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let as_is = |name: &str| given == name;
    match kind.as_str() {
        "text" | "" | "text/plain" => AtomType::Text("text", !as_is("text")),
        "html" | "text/html" => AtomType::Text("html", !as_is("html") && !as_is("text/html")),
        "xhtml" | "application/xhtml+xml" if escaped => AtomType::Text("html", true),
        "xhtml" | "application/xhtml+xml" => AtomType::Xhtml(!as_is("xhtml")),
        t if content && (t.ends_with("+xml") || t.ends_with("/xml")) => AtomType::Xml,
        t if t.starts_with("text/") => AtomType::Text("text", true),
        _ if kind.contains('/') => AtomType::Base64,
        _ => AtomType::Text("text", true),
    }
}

/// The start tag `e` again with `type` set to `name`.
fn retyped(e: &BytesStart, name: &str, empty: bool) -> Option<String> {
    let mut tag = String::from("<");
    tag.push_str(e.name().as_ref());
    for a in e.attributes().flatten() {
        let key = a.key.as_ref();
        tag.push(' ');
        tag.push_str(key);
        tag.push_str("=\"");
        if key == "type" {
            tag.push_str(name);
        } else {
            // The raw value, re-quoted: a `"` inside a single-quoted value is escaped.
            tag.push_str(&a.value.replace('"', "&quot;"));
        }
        tag.push('"');
    }
    if !e.attributes().flatten().any(|a| a.key.as_ref() == "type") {
        tag.push_str(" type=\"");
        tag.push_str(name);
        tag.push('"');
    }
    tag.push_str(if empty { "/>" } else { ">" });
    Some(tag)
}

/// Markup as the text of an element: XML-escaped, CDATA sections inside it becoming the
/// (HTML-escaped) text they hold.
fn escaped(raw: &str) -> String {
    super::repair::xml_escape(&crate::render::cdata_as_text(raw))
}

#[cfg(test)]
mod tests {
    use super::plain_text_elements as plain;

    #[test]
    fn markup_in_rss_text_is_escaped_whole() {
        let body = "<rss><channel><title>F <b>x</b></title><item><title>A <em>b</em></title>\
                    <description><p>Hi &amp; <![CDATA[<i>]]></p> tail</description></item></channel></rss>";
        let out = plain(body).unwrap();
        assert!(
            out.contains("<title>F &lt;b&gt;x&lt;/b&gt;</title>"),
            "{out}"
        );
        assert!(
            out.contains("<title>A &lt;em&gt;b&lt;/em&gt;</title>"),
            "{out}"
        );
        assert!(
            out.contains(
                "<description>&lt;p&gt;Hi &amp;amp; &amp;lt;i&amp;gt;&lt;/p&gt; tail</description>"
            ),
            "{out}"
        );
    }

    /// feedparser drops a `div` wrapped round the text of a text or HTML construct
    /// (TypePad's): the escaped HTML inside is the construct's; a `div` round markup, or
    /// beside other text, stays markup.
    #[test]
    fn a_div_round_escaped_html_is_no_markup() {
        let wrapped = "<feed><entry><content type=\"html\">\n <div>&lt;p&gt;Hi &amp;amp; \
                       &lt;b&gt;you&lt;/b&gt;&lt;/p&gt;</div>\n</content></entry></feed>";
        assert_eq!(
            plain(wrapped).unwrap(),
            "<feed><entry><content type=\"html\">&lt;p&gt;Hi &amp;amp; &lt;b&gt;you&lt;/b&gt;&lt;/p&gt;</content></entry></feed>"
        );
        let namespaced = "<feed><entry><summary type=\"text/html\"><div xmlns=\"http://www.w3.org/1999/xhtml\">&lt;i&gt;x&lt;/i&gt;</div></summary></entry></feed>";
        assert_eq!(
            plain(namespaced).unwrap(),
            "<feed><entry><summary type=\"text/html\">&lt;i&gt;x&lt;/i&gt;</summary></entry></feed>"
        );
        for markup in [
            "<div><p>a</p></div>",
            "<div>a<br/>b</div>",
            "t <div>a</div>",
            "<div>a</div> t",
            "<div>a</div><div>b</div>",
            "<p>a</p>",
        ] {
            let doc =
                format!("<feed><entry><content type=\"html\">{markup}</content></entry></feed>");
            let out = plain(&doc).unwrap();
            assert!(out.contains("&lt;/"), "{markup}: {out}");
        }
    }

    #[test]
    fn plain_documents_need_nothing() {
        let body = "<rss><channel><title>F</title><item><description>&lt;p&gt;x</description>\
                    <xhtml:body><p>kept</p></xhtml:body></item></channel></rss>";
        assert_eq!(plain(body), None);
        let atom = "<feed><title type=\"xhtml\"><div>x</div></title><content type=\"html\">&lt;b&gt;</content></feed>";
        assert_eq!(plain(atom), None);
    }

    #[test]
    fn atom_types_are_mapped_onto_atoms_names() {
        let body = "<feed><title type=\"text/plain\">P</title><subtitle type='HTML'>a<b>b</b></subtitle>\
                    <entry><content type=\"application/xhtml+xml\"><div>X</div></content>\
                    <summary type=\"text/html\"><p>s</p></summary>\
                    <content type=\"application/xml\"><foo>bar</foo></content>\
                    <content type=\"image/png\">iVBO</content>\
                    <content type=\"application/octet-stream\">PGI+aGk8L2I+</content></entry></feed>";
        let out = plain(body).unwrap();
        assert!(out.contains("<title type=\"text\">P</title>"), "{out}");
        let untyped = plain("<feed><title>A <b>b</b></title></feed>").unwrap();
        assert_eq!(
            untyped,
            "<feed><title type=\"html\">A &lt;b&gt;b&lt;/b&gt;</title></feed>"
        );
        assert!(
            out.contains("<subtitle type=\"html\">a&lt;b&gt;b&lt;/b&gt;</subtitle>"),
            "{out}"
        );
        assert!(
            out.contains("<content type=\"xhtml\"><div>X</div></content>"),
            "{out}"
        );
        assert!(
            out.contains("<summary type=\"html\">&lt;p&gt;s&lt;/p&gt;</summary>"),
            "{out}"
        );
        assert!(out.contains("<content type=\"text\"></content>"), "{out}");
        // Base64 that is no text stays as it is; text is decoded (HTML, as feedparser).
        assert!(
            out.contains("<content type=\"text\">iVBO</content>"),
            "{out}"
        );
        assert!(
            out.contains("<content type=\"html\">&lt;b&gt;hi&lt;/b&gt;</content>"),
            "{out}"
        );
    }

    #[test]
    fn a_broken_document_is_left_to_the_repair() {
        assert_eq!(
            plain("<rss><channel><title>a <b>b</title></channel></rss>"),
            None
        );
    }
}
