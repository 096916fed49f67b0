//! Text as the direct reader reads it, exactly as feed-rs would: character data and
//! references, trimmed bodies, people's names, strict dates, names and attributes.

use super::Step;
use super::{GiveUp, OrGiveUp};
use crate::parse::SourceText;
use chrono::{DateTime, Utc};
use quick_xml::events::{BytesRef, BytesStart};
use url::Url;

/// Character data with references, as quick-xml tokenises it and feed-rs joins it: a
/// reference runs from `&` to the next `;`; a `&` with another `&` (or the end) before
/// any `;` is an error, which leaves the document to feed-rs. `None` inside for no text.
pub(super) fn unescape_text(raw: &str) -> Step<Option<String>> {
    if raw.is_empty() {
        return Ok(None);
    }
    let bytes = raw.as_bytes();
    let Some(mut amp) = memchr::memchr(b'&', bytes) else {
        return Ok(Some(raw.to_string()));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..amp]);
    loop {
        // An escaped HTML body is mostly `&lt;` and `&gt;`, two to a tag: those and
        // the other common ones are read here without a search for the `;`.
        let after = &bytes[amp + 1..];
        let used = match after {
            [b'l', b't', b';', ..] => {
                out.push('<');
                3
            }
            [b'g', b't', b';', ..] => {
                out.push('>');
                3
            }
            [b'a', b'm', b'p', b';', ..] => {
                out.push('&');
                4
            }
            [b'q', b'u', b'o', b't', b';', ..] => {
                out.push('"');
                5
            }
            _ => {
                let stop = memchr::memchr2(b';', b'&', after).or_give_up()?;
                if after[stop] != b';' {
                    return Err(GiveUp);
                }
                push_reference(&mut out, &BytesRef::new(&raw[amp + 1..amp + 1 + stop]))?;
                stop + 1
            }
        };
        let start = amp + 1 + used;
        match next_amp(&bytes[start..]) {
            Some(n) => {
                out.push_str(&raw[start..start + n]);
                amp = start + n;
            }
            None => {
                out.push_str(&raw[start..]);
                return Ok(Some(out));
            }
        }
    }
}

/// The next `&`: in escaped markup it is often a few bytes on (`&lt;p&gt;`), where
/// looking byte by byte beats setting up a vector search.
fn next_amp(bytes: &[u8]) -> Option<usize> {
    const NEAR: usize = 8;
    if let Some(n) = bytes.iter().take(NEAR).position(|&b| b == b'&') {
        return Some(n);
    }
    let far = bytes.get(NEAR..)?;
    memchr::memchr(b'&', far).map(|n| n + NEAR)
}

/// A character or entity reference as feed-rs resolves it: characters and the five XML
/// entities; any other entity is kept as written. A bad character reference gives up.
pub(super) fn push_reference(out: &mut String, r: &BytesRef) -> Step<()> {
    if let Some(ch) = r.resolve_char_ref().ok().or_give_up()? {
        out.push(ch);
        return Ok(());
    }
    let name: &str = r;
    match quick_xml::escape::resolve_predefined_entity(name) {
        Some(resolved) => out.push_str(resolved),
        None => {
            out.push('&');
            out.push_str(name);
            out.push(';');
        }
    }
    Ok(())
}

/// feed-rs's resolution: unlike [`super::resolve`], no trimming first.
pub(super) fn resolve(raw: &str, base: &Url) -> Option<Url> {
    match Url::parse(raw) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.join(raw).ok(),
        Err(_) => None,
    }
}

pub(super) fn plain(body: String) -> SourceText {
    SourceText {
        body: trim_owned(body),
        html: false,
    }
}

pub(super) fn html(body: String) -> SourceText {
    SourceText {
        body: trim_owned(body),
        html: true,
    }
}

/// `s.trim()` without copying what stays: bodies run to megabytes.
pub(super) fn trim_owned(mut s: String) -> String {
    s.truncate(s.trim_end().len());
    let start = s.len() - s.trim_start().len();
    s.drain(..start);
    s
}

/// An RSS author (`<author>`, `<dc:creator>`) as feed-rs splits it into a name: with an
/// e-mail address in it, the longer of the text before and after the address (so
/// `desk@example.org (Ingrid Sol)` gives `(Ingrid Sol)`, which the cleaning step
/// unwraps). Only one plainly delimited address is read here; `mailto:`, several `@`
/// and the like are left to feed-rs. `None` inside when there is no name.
pub(super) fn person_name(raw: &str) -> Step<Option<String>> {
    let Some(at) = raw.find('@') else {
        return Ok(Some(raw.trim().to_string()));
    };
    if raw[at + 1..].contains('@') || raw.contains("<[(") || raw.contains(">])") {
        return Err(GiveUp);
    }
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    // Local and domain characters are ASCII, so scanning bytes finds char boundaries.
    let start = raw.as_bytes()[..at]
        .iter()
        .rposition(|&b| !local_ok(b as char))
        .map_or(0, |i| i + 1);
    let end = raw[at + 1..]
        .find(|c: char| !domain_ok(c))
        .map_or(raw.len(), |i| at + 1 + i);
    let local = &raw[start..at];
    let (host, tld) = raw[at + 1..end].rsplit_once('.').or_give_up()?;
    let before = raw[..start].chars().next_back();
    let after = raw[end..].chars().next();
    let plain_start = local.starts_with(|c: char| c.is_ascii_alphanumeric())
        && before.is_none_or(|c| c.is_ascii_whitespace() || c == '<' || c == '(');
    let plain_end = tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !host.is_empty()
        && after.is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == ')');
    if !plain_start || !plain_end {
        return Err(GiveUp);
    }
    let name = if start > raw.len() - end {
        &raw[..start - 1]
    } else if end < raw.len() {
        &raw[end + 1..]
    } else {
        ""
    };
    let name = name.trim();
    // An address alone names the person by itself, as feed-rs's e-mail (and feedparser).
    Ok(Some(if name.is_empty() {
        raw[start..end].to_string()
    } else {
        name.to_string()
    }))
}

/// RFC 3339, then RFC 2822, both strict. What feed-rs reads only after its repairs
/// (a wrong weekday, "UTC", long month names) is left to feed-rs.
pub(super) fn parse_date(text: &str) -> Step<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .map(|d| crate::parse::dates::past_leap_second(d.with_timezone(&Utc)))
        .map_err(|_| GiveUp)
}

pub(super) fn qname<'e>(e: &'e BytesStart) -> Step<&'e str> {
    Ok(e.name().into_inner())
}

pub(super) fn local_name<'e>(e: &'e BytesStart) -> Step<&'e str> {
    let full = qname(e)?;
    Ok(full.rsplit(':').next().unwrap_or(full))
}

/// An attribute's value, unescaped as feed-rs does (kept as written when that fails).
pub(super) fn attr(e: &BytesStart, name: &str) -> Step<Option<String>> {
    for a in e.attributes() {
        let a = a.ok().or_give_up()?;
        if a.key.as_ref() == name {
            return Ok(Some(unescape(&a.value)));
        }
    }
    Ok(None)
}

pub(super) fn unescape(raw: &str) -> String {
    quick_xml::escape::unescape(raw)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| raw.to_string())
}
