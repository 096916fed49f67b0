//! The format fixes of the repair: element names in the format's case, RSS versions the
//! readers know, RSS 0.90's and Atom 0.3's namespaces and names mapped onto RSS 1.0 and
//! Atom 1.0, and Dublin Core standing in for a missing title or description.

use super::entities::xml_escape;
use super::{Repairer, ATOM03_NS, ATOM10_NS, KNOWN_RSS, RSS090_NS, RSS10_NS};
use base64::Engine;

/// Element names of RSS and Atom in their proper case, by their lower-case form.
pub(in crate::parse) fn canonical_name(lower: &str) -> Option<&'static str> {
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

impl Repairer<'_> {
    /// The name an element is written out with: the format's case, Atom 0.3's names as
    /// Atom 1.0 has them, Dublin Core stand-ins inside RSS items.
    pub(super) fn element_name(&self, raw: &str) -> String {
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

    pub(super) fn parent_is_item(&self) -> bool {
        self.stack.last().is_some_and(|(p, _)| p == "item")
    }

    pub(super) fn note_item_field(&mut self, name: &str) {
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

    pub(super) fn fix_attrs(&mut self, name: &str, attrs: &mut Vec<(String, String)>) {
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
    pub(super) fn atom03_text(
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
                // A CDATA section inside is escaped text written plainly: escaped here,
                // so that no `]]>` is left behind.
                let plain = crate::render::cdata_as_text(inner);
                let text = self.text_only(&plain, true);
                self.out.push_str(&text);
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
}
