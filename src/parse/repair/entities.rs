//! The text fixes of the repair: references (HTML named entities, numeric ones as
//! browsers show them, internal DTD entities one level deep), and `&`, `<` and `"` where
//! XML does not allow them.

use super::{Repairer, ENTITY_VALUE_MAX, EXPANSION_MAX};
use std::collections::HashMap;

impl Repairer<'_> {
    /// The text fixes alone over `src` (no markup expected), with the DTD's entities or
    /// none, drawing on the same expansion budget.
    pub(super) fn text_only(&mut self, src: &str, with_entities: bool) -> String {
        let mut sub = Repairer {
            src,
            out: String::with_capacity(src.len()),
            stack: Vec::new(),
            entities: if with_entities {
                self.entities.clone()
            } else {
                HashMap::new()
            },
            expanded: self.expanded,
            atom03: false,
            item_fields: Vec::new(),
            after_tag: 0,
            open_items: Vec::new(),
            cut: super::Cut::None,
        };
        sub.run_text();
        self.expanded = sub.expanded;
        sub.out
    }

    /// A DOCTYPE (or other `<!...>` declaration): entity declarations of its internal
    /// subset are remembered, the declaration itself dropped. Returns the bytes used.
    pub(super) fn doctype(&mut self, rest: &str) -> usize {
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

    /// Text only (no markup expected): references fixed, `<` escaped.
    pub(super) fn run_text(&mut self) {
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
                _ => i = self.copy_text(i),
            }
        }
    }

    pub(super) fn attr_value(&mut self, value: &str) {
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

    /// An `&` at the start of `rest`: writes what it stands for as XML, returns the bytes
    /// used. `expand` is false inside an entity's own value (one level only).
    pub(super) fn reference(&mut self, rest: &str, expand: bool) -> usize {
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
                // The value's own references are not expanded again: one level only.
                let text = self.text_only(&value, false);
                self.out.push_str(&text);
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

    pub(super) fn push_char(&mut self, c: char) {
        match c {
            '&' => self.out.push_str("&amp;"),
            '<' => self.out.push_str("&lt;"),
            '>' => self.out.push_str("&gt;"),
            '"' => self.out.push_str("&quot;"),
            c => self.out.push(c),
        }
    }
}

/// The character a browser shows for a numeric reference: Windows-1252 for 128-159, the
/// replacement character for what names no character XML allows.
pub(in crate::parse) fn browser_char(code: u32) -> char {
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

pub(in crate::parse) fn xml_escape(text: &str) -> String {
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
