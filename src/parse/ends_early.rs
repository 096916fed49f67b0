//! Whether an XML feed document stops before its root element ends: a connection cut
//! mid-body, a server that ran out of time, a proxy's limit. The repair reads what there
//! is (every whole item is kept), but the document said no word of it: the refresh then
//! kept the server's validators, and every later refresh got a 304 for the cut copy.
//!
//! A look at the raw bytes, not a parse: the root's name from the start of the document,
//! then its end tag anywhere in it (junk after the root is not a cut). Documents that are
//! not XML in an ASCII-compatible encoding (JSON, which does not parse when cut; UTF-16;
//! text/gemini) are never called cut here.

use memchr::memmem;

/// Whether `body` starts an XML root element and never ends it.
pub fn ends_early(body: &[u8]) -> bool {
    let Some(name) = root_name(body) else {
        return false;
    };
    let mut end = Vec::with_capacity(name.len() + 2);
    end.extend_from_slice(b"</");
    end.extend_from_slice(name);
    // Nearly always in the last bytes: looked for there first, so that a whole document
    // is not read again; then anywhere (junk after the root); then in another case
    // (`<RSS>` … `</rss>`), which XML forbids and feeds still do.
    let tail = &body[body.len().saturating_sub(TAIL)..];
    let closed = ends_at(tail, tail, &end)
        || ends_at(body, body, &end)
        || ends_at(tail, &tail.to_ascii_lowercase(), &end.to_ascii_lowercase());
    !closed && !self_closed_root(body, name)
}

/// How far from the end the root's end tag is looked for first.
const TAIL: usize = 64 * 1024;

/// Whether `end` (`</name`) is in `text` as an end tag: `</rss>` or `</rss >`, not
/// `</rssx>`, nor one written inside a CDATA section or a comment (an article about
/// feeds quoting one, in a document cut after it). `end` is looked for in `search`,
/// which is `text` or `text` in lower case.
fn ends_at(text: &[u8], search: &[u8], end: &[u8]) -> bool {
    memmem::rfind_iter(search, end).any(|at| {
        let after = &text[at + end.len()..];
        if !matches!(
            after.first(),
            Some(b'>' | b' ' | b'\t' | b'\r' | b'\n') | None
        ) {
            return false;
        }
        // The last thing in the document but white space: its end, as nearly always
        // (and no need to look back through the whole of it).
        let last = after
            .iter()
            .position(|&b| b == b'>')
            .is_some_and(|gt| after[gt + 1..].trim_ascii().is_empty());
        let before = &text[..at];
        last || !(inside(before, b"<![CDATA[", b"]]>") || inside(before, b"<!--", b"-->"))
    })
}

/// Whether `before` ends inside a section opened by `open` and not yet closed by `close`.
/// (Only the last opening counts: these sections do not nest.)
fn inside(before: &[u8], open: &[u8], close: &[u8]) -> bool {
    memmem::rfind(before, open)
        .is_some_and(|o| memmem::find(&before[o + open.len()..], close).is_none())
}

/// The root element's name as written, after a byte-order mark, white space, the XML
/// declaration, processing instructions, comments and a doctype.
fn root_name(body: &[u8]) -> Option<&[u8]> {
    let mut rest = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    loop {
        rest = rest.trim_ascii_start();
        if let Some(after) = rest.strip_prefix(b"<?") {
            rest = &after[memmem::find(after, b"?>")? + 2..];
        } else if let Some(after) = rest.strip_prefix(b"<!--") {
            rest = &after[memmem::find(after, b"-->")? + 3..];
        } else if rest.starts_with(b"<!") {
            rest = &rest[doctype_end(rest)?..];
        } else {
            break;
        }
    }
    let after = rest.strip_prefix(b"<")?;
    let len = after
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'))?;
    let name = &after[..len];
    let plausible = !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'));
    plausible.then_some(name)
}

/// Where a `<!DOCTYPE …>` ends, its internal subset (`[…]`) included.
fn doctype_end(rest: &[u8]) -> Option<usize> {
    let mut in_subset = false;
    for (i, b) in rest.iter().enumerate() {
        match b {
            b'[' => in_subset = true,
            b']' => in_subset = false,
            b'>' if !in_subset => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// `<rss version="2.0"/>`: a root with nothing in it, ended where it starts.
fn self_closed_root(body: &[u8], name: &[u8]) -> bool {
    let mut start = Vec::with_capacity(name.len() + 1);
    start.push(b'<');
    start.extend_from_slice(name);
    memmem::find(body, &start)
        .and_then(|at| memchr::memchr(b'>', &body[at..]).map(|gt| at + gt))
        .is_some_and(|gt| gt > 0 && body[gt - 1] == b'/')
}

#[cfg(test)]
mod tests {
    use super::ends_early;

    #[test]
    fn a_document_cut_before_its_root_ends_is_told_from_whole_ones() {
        let whole = "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<!DOCTYPE rss [<!ENTITY n \"&#160;\">]>\n\
                     <rss version=\"2.0\"><channel><title>T</title><item><title>a</title></item></channel></rss>\n";
        assert!(!ends_early(whole.as_bytes()));
        let cut = &whole[..whole.find("</item>").unwrap() + 7];
        assert!(ends_early(cut.as_bytes()));
        // Cut inside a tag, and inside the root's own end tag.
        assert!(ends_early(&whole.as_bytes()[..whole.len() - 4]));
        assert!(ends_early(
            b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>x"
        ));
        // Junk after the root, an end tag with a space, a prefixed root, a BOM.
        assert!(!ends_early(b"<rss><channel/></rss>\n<div>ad</div>"));
        assert!(!ends_early(b"<feed><entry/></feed >"));
        assert!(!ends_early(b"<rdf:RDF xmlns:rdf=\"x\"><item/></rdf:RDF>"));
        assert!(!ends_early(b"\xEF\xBB\xBF<rss></rss>"));
        assert!(!ends_early(b"<RSS><channel/></rss>"));
        // An end tag quoted in a CDATA section or a comment does not end the root; one
        // after the section closed does.
        let quoting =
            "<rss><channel><item><description><![CDATA[<pre></rss></pre>]]></description></item>";
        assert!(ends_early(quoting.as_bytes()));
        assert!(!ends_early(format!("{quoting}</channel></rss>").as_bytes()));
        assert!(ends_early(
            b"<rss><channel><!-- was </rss> --><item><title>x"
        ));
        assert!(!ends_early(b"<rss><!-- a --><channel/></rss>"));
        // Another element whose name starts as the root's does not end it.
        assert!(ends_early(b"<rss><channel><rssx/></rssx></channel>"));
        // A root with nothing in it, and what is not XML at all.
        assert!(!ends_early(b"<rss version=\"2.0\"/>"));
        assert!(!ends_early(
            b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": ["
        ));
        assert!(!ends_early(b"# A gemlog\n=> a.gmi 2024-01-01 One"));
        assert!(!ends_early(b""));
        assert!(!ends_early(
            "\u{FEFF}<rss>"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<_>>()
                .as_slice()
        ));
    }
}
