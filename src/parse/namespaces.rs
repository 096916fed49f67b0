//! The extension namespaces as feeds declare them, which is not always as their specs
//! spell them: Dublin Core 1.0's address for 1.1's elements, iTunes's in capitals, Media
//! RSS without its last slash, a well-known prefix bound to an address of its own
//! (`https://purl.org/...`), or a well-known prefix (`dc:`, `itunes:`) used and never
//! declared. Both readers match namespaces by their exact address, so such elements were
//! dropped; feedparser compares addresses in lower case against a list of known
//! variants, and goes by the prefix when it is undeclared. Both are read that way here.

/// Known namespaces: the address the readers know, the usual prefix, and the variants
/// feeds write (compared in lower case, without a trailing slash).
const KNOWN: &[(&str, &str, &[&str])] = &[
    (
        "http://purl.org/dc/elements/1.1/",
        "dc",
        &["http://purl.org/dc/elements/1.0"],
    ),
    ("http://purl.org/dc/terms/", "dcterms", &[]),
    ("http://purl.org/rss/1.0/modules/content/", "content", &[]),
    (
        "http://www.itunes.com/dtds/podcast-1.0.dtd",
        "itunes",
        &["https://www.itunes.com/dtds/podcast-1.0.dtd"],
    ),
    (
        "http://search.yahoo.com/mrss/",
        "media",
        &[
            "https://search.yahoo.com/mrss",
            "http://www.rssboard.org/media-rss",
            "http://tools.search.yahoo.com/mrss",
            "http://video.search.yahoo.com/mrss",
        ],
    ),
    ("http://www.w3.org/2005/Atom", "atom", &[]),
    ("http://www.w3.org/1999/xhtml", "xhtml", &[]),
    ("http://wellformedweb.org/CommentAPI/", "wfw", &[]),
    ("http://purl.org/rss/1.0/modules/slash/", "slash", &[]),
];

/// Two addresses alike but for case and a trailing slash (no allocation: this runs for
/// each declaration of each feed).
fn same(a: &str, b: &str) -> bool {
    a.trim()
        .trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim().trim_end_matches('/'))
}

/// Whether `uri` is a known address or a variant of one.
fn listed(uri: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(known, _, variants)| same(known, uri) || variants.iter().any(|v| same(v, uri)))
        .map(|(known, _, _)| *known)
}

/// The known address `uri` is a variant of, when it is one but not spelt so.
fn canonical(uri: &str) -> Option<&'static str> {
    listed(uri).filter(|known| *known != uri)
}

/// The root element's start tag: where feeds declare their namespaces.
fn root_tag(body: &str) -> Option<std::ops::Range<usize>> {
    let mut at = 0;
    loop {
        at += body[at..].find('<')?;
        let rest = &body[at..];
        if rest.starts_with("<?") || rest.starts_with("<!") {
            at += rest.find('>')? + 1;
            continue;
        }
        return Some(at..at + rest.find('>')?);
    }
}

/// The known address for a declaration of `prefix` to `uri`, when the readers would
/// not take `uri` for it: a variant of a known address, or, for a well-known prefix
/// (`content:`, `dc:`, `media:`...), an address no list knows (`https://` where the
/// spec says `http://`, Yahoo's other hosts for Media RSS). feedparser goes by the
/// prefix then, and so do we. (Not for `atom:` and `xhtml:`, which have one address.)
fn replacement(prefix: &str, uri: &str) -> Option<&'static str> {
    if let Some(known) = canonical(uri) {
        return Some(known);
    }
    // An address, not any text: the prefix rule is for a namespace spelt otherwise.
    if listed(uri).is_some() || !uri.contains("://") {
        return None;
    }
    KNOWN
        .iter()
        .find(|(_, p, _)| *p == prefix && !matches!(*p, "atom" | "xhtml"))
        .map(|(known, _, _)| *known)
}

/// The prefix a document's start (`head`) binds to the namespace `uri` (`xmlns:a10=`,
/// `xmlns:dcx=`), if it does.
pub(super) fn bound_prefix<'h>(head: &'h str, uri: &str) -> Option<&'h str> {
    let at = head.find(uri)?;
    let before = head[..at]
        .strip_suffix(['"', '\''])?
        .trim_end()
        .strip_suffix('=')?
        .trim_end();
    let at = before.rfind("xmlns:")?;
    Some(&before[at + "xmlns:".len()..])
        .filter(|p| !p.is_empty() && !p.contains(char::is_whitespace))
}

/// Whether the `xmlns:` at `at` is an attribute of a start tag: after white space, in
/// a tag that opened (`<name`) and has not closed before it. (Text that quotes a
/// declaration, in a CDATA section or escaped, mostly is not; a look back of a
/// kilobyte at most.)
fn in_start_tag(body: &str, at: usize) -> bool {
    let bytes = body.as_bytes();
    if !bytes[..at].last().is_some_and(u8::is_ascii_whitespace) {
        return false;
    }
    let from = at.saturating_sub(1024);
    let window = &bytes[from..at];
    let Some(lt) = memchr::memrchr(b'<', window) else {
        return false;
    };
    memchr::memchr(b'>', &window[lt..]).is_none()
        && window.get(lt + 1).is_some_and(u8::is_ascii_alphabetic)
}

/// The document with its namespace declarations spelt as the readers know them, or
/// None when they are (nearly every feed). Declarations anywhere count (an item may
/// declare Dublin Core for itself): one fast search through the document.
pub(super) fn canonical_declarations(body: &str) -> Option<String> {
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    for at in memchr::memmem::find_iter(body.as_bytes(), b"xmlns:") {
        // Never inside the value of one edited already.
        if edits.last().is_some_and(|(r, _)| at < r.end) || !in_start_tag(body, at) {
            continue;
        }
        let value = &body[at + "xmlns:".len()..];
        let Some(eq) = value.find('=') else { continue };
        let prefix = value[..eq].trim_end();
        if prefix.is_empty() || prefix.len() > 32 || prefix.contains(|c: char| c.is_whitespace()) {
            continue;
        }
        let quoted = value[eq + 1..].trim_start();
        let Some(quote) = quoted.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(len) = quoted[1..].find(quote) else {
            continue;
        };
        let uri = &quoted[1..1 + len];
        if uri.len() > 512 || uri.contains(|c: char| c.is_whitespace() || c == '<' || c == '>') {
            continue;
        }
        if let Some(known) = replacement(prefix, uri) {
            let from = body.len() - quoted.len() + 1;
            edits.push((from..from + len, known));
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(body.len() + 16);
    let mut done = 0;
    for (range, known) in edits {
        out.push_str(&body[done..range.start]);
        out.push_str(known);
        done = range.end;
    }
    out.push_str(&body[done..]);
    Some(out)
}

/// The document with a declaration on its root for each well-known prefix its elements
/// use (`used`, from `tags::look`) and that it never declares, or None when there is
/// none. For documents the direct reader leaves to feed-rs (it gives up on an
/// undeclared prefix).
pub(super) fn declare_used_prefixes(body: &str, used: &[&str]) -> Option<String> {
    let tag = root_tag(body)?;
    let mut added = String::new();
    for (known, prefix, _) in KNOWN.iter().filter(|(_, p, _)| used.contains(p)) {
        // Declared on the root, as feeds do (a declaration further down still wins
        // there over this one).
        let declared = format!("xmlns:{prefix}=");
        if !body[tag.clone()].contains(&declared) {
            added.push_str(&format!(" {declared}\"{known}\""));
        }
    }
    if added.is_empty() {
        return None;
    }
    // Before the `>` (or `/>`) that ends the root's start tag.
    let end = if body[..tag.end].ends_with('/') {
        tag.end - 1
    } else {
        tag.end
    };
    Some(format!("{}{added}{}", &body[..end], &body[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_spelt_as_known() {
        let body =
            "<?xml version=\"1.0\"?><!-- c --><rss xmlns:dc='http://purl.org/dc/elements/1.0/' \
                    xmlns:itunes=\"http://www.itunes.com/DTDs/Podcast-1.0.dtd\" xmlns:x=\"urn:x\" \
                    xmlns:media=\"http://search.yahoo.com/mrss\"><channel/></rss>";
        let out = canonical_declarations(body).unwrap();
        assert!(
            out.contains("xmlns:dc='http://purl.org/dc/elements/1.1/'"),
            "{out}"
        );
        assert!(
            out.contains("xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""),
            "{out}"
        );
        assert!(
            out.contains("xmlns:media=\"http://search.yahoo.com/mrss/\""),
            "{out}"
        );
        assert!(out.contains("xmlns:x=\"urn:x\""), "{out}");
        // A well-known prefix bound to an address no list knows: by the prefix. An
        // item's own declaration too.
        let body = "<rss xmlns:content=\"https://purl.org/rss/1.0/modules/content/\" \
                    xmlns:atom=\"urn:not-atom\"><channel><item \
                    xmlns:dc = \"http://purl.org/dc/elements/1.0/\"/></channel></rss>";
        let out = canonical_declarations(body).unwrap();
        assert!(
            out.contains("xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""),
            "{out}"
        );
        assert!(out.contains("xmlns:atom=\"urn:not-atom\""), "{out}");
        assert!(
            out.contains("<item xmlns:dc = \"http://purl.org/dc/elements/1.1/\"/>"),
            "{out}"
        );
        let plain = "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel/></rss>";
        assert_eq!(canonical_declarations(plain), None);
    }

    /// Declarations quoted in an article's text are its words: never rewritten, and a
    /// stray quote there (values that would run across each other) is no panic.
    #[test]
    fn declarations_in_text_are_left_alone() {
        let body = "<rss version=\"2.0\"><channel><item><description><![CDATA[ quoting \
                    xmlns:dc=\"http://purl.org/dc/elements/1.0/\" and xmlns:dc=\"http://example.org/ \
                    and also xmlns:media='x' then \" ]]></description></item></channel></rss>";
        assert_eq!(canonical_declarations(body), None);
        let escaped = "<rss><channel><description>&lt;rss xmlns:dc=\"http://purl.org/dc/elements/1.0/\"&gt;</description></channel></rss>";
        assert_eq!(canonical_declarations(escaped), None);
    }

    #[test]
    fn undeclared_prefixes_are_declared_on_the_root() {
        let body =
            "<rss version=\"2.0\"><channel><item><dc:creator>A</dc:creator></item></channel></rss>";
        let out = declare_used_prefixes(body, &["dc"]).unwrap();
        assert!(out.starts_with(
            "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
        ));
        assert_eq!(declare_used_prefixes("<rss><channel/></rss>", &[]), None);
        let declared = "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:x/></rss>";
        assert_eq!(declare_used_prefixes(declared, &["dc"]), None);
    }
}
