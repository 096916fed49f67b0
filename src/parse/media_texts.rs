//! Media RSS texts feed-rs refuses a whole feed for: an empty `media:title` or
//! `media:description` (a YouTube video without a description, a Flickr photo without a
//! title: "missing text") and a `type` other than its two (`text`, `HTML`, `text/html`:
//! "unsupported content type"). feedparser reads such feeds; so does bulletin, by
//! reading the document again with those elements made plain, only after feed-rs has
//! refused it (the feeds that do not need it pay nothing).

const MRSS: &str = "http://search.yahoo.com/mrss/";
const TEXTS: [&str; 4] = ["title", "description", "text", "copyright"];

/// The document with its empty Media RSS texts dropped and their types made `plain` or
/// `html`; None when it has nothing to mend.
pub(super) fn mended(body: &str) -> Option<String> {
    let mut out = body.to_string();
    let mut changed = false;
    for prefix in prefixes(body) {
        for name in TEXTS {
            if let Some(next) = mend_element(&out, &format!("{prefix}:{name}")) {
                out = next;
                changed = true;
            }
        }
    }
    changed.then_some(out)
}

/// The prefixes the document binds to Media RSS (`media` when it declares none).
fn prefixes(body: &str) -> Vec<String> {
    let mut found: Vec<String> = body
        .match_indices(MRSS)
        .filter_map(|(at, _)| {
            let before = body[..at].strip_suffix(['"', '\''])?.trim_end();
            let before = before.strip_suffix('=')?.trim_end();
            let start = before.rfind("xmlns:")? + "xmlns:".len();
            let prefix = &before[start..];
            (!prefix.is_empty()
                && prefix
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_.".contains(c)))
            .then(|| prefix.to_string())
        })
        .collect();
    if found.is_empty() {
        found.push("media".into());
    }
    found.dedup();
    found
}

/// Every element named `qname` mended; None when none needed it.
fn mend_element(body: &str, qname: &str) -> Option<String> {
    let open = format!("<{qname}");
    let close = format!("</{qname}>");
    let mut out = String::with_capacity(body.len());
    let (mut from, mut changed) = (0, false);
    while let Some(found) = body[from..].find(&open) {
        let at = from + found;
        let after = at + open.len();
        if !body[after..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            out.push_str(&body[from..after]);
            from = after;
            continue;
        }
        let Some(tag_len) = body[at..].find('>') else {
            break;
        };
        let tag_end = at + tag_len + 1;
        let tag = &body[at..tag_end];
        out.push_str(&body[from..at]);
        if tag.ends_with("/>") {
            // Empty: no text to give.
            from = tag_end;
            changed = true;
            continue;
        }
        let Some(inner_len) = body[tag_end..].find(&close) else {
            out.push_str(tag);
            from = tag_end;
            continue;
        };
        let inner = &body[tag_end..tag_end + inner_len];
        let end = tag_end + inner_len + close.len();
        let blank = inner
            .trim()
            .strip_prefix("<![CDATA[")
            .and_then(|c| c.strip_suffix("]]>"))
            .unwrap_or(inner.trim())
            .trim()
            .is_empty();
        if blank {
            from = end;
            changed = true;
            continue;
        }
        match plain_type(tag) {
            Some(mended) => {
                out.push_str(&mended);
                changed = true;
            }
            None => out.push_str(tag),
        }
        out.push_str(&body[tag_end..end]);
        from = end;
    }
    out.push_str(&body[from..]);
    changed.then_some(out)
}

/// The start tag with its `type` made one of Media RSS's two, when it is another.
fn plain_type(tag: &str) -> Option<String> {
    let at = tag.find(" type=").or_else(|| tag.find("\ttype="))? + " type=".len();
    let quote = tag[at..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let len = tag[at + 1..].find(quote)?;
    let value = &tag[at + 1..at + 1 + len];
    if value == "plain" || value == "html" {
        return None;
    }
    let kind = if value.to_ascii_lowercase().contains("html") {
        "html"
    } else {
        "plain"
    };
    Some(format!("{}{kind}{}", &tag[..at + 1], &tag[at + 1 + len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_texts_go_and_odd_types_are_made_plain_or_html() {
        let body = "<feed xmlns:media=\"http://search.yahoo.com/mrss/\"><entry><media:group>\
            <media:title>Clip</media:title><media:description></media:description>\
            <media:description/><media:title type=\"text/html\">A <b>b</b></media:title>\
            <media:description type=\"text\"><![CDATA[ ]]></media:description>\
            <media:text type=\"TEXT\">words</media:text><media:thumbnail url=\"x\"/></media:group></entry></feed>";
        let out = mended(body).unwrap();
        assert_eq!(
            out,
            "<feed xmlns:media=\"http://search.yahoo.com/mrss/\"><entry><media:group>\
            <media:title>Clip</media:title><media:title type=\"html\">A <b>b</b></media:title>\
            <media:text type=\"plain\">words</media:text><media:thumbnail url=\"x\"/></media:group></entry></feed>"
        );
        let fine = "<rss xmlns:m='http://search.yahoo.com/mrss/'><m:title>T</m:title></rss>";
        assert_eq!(mended(fine), None);
        assert_eq!(prefixes(fine), ["m"]);
    }
}
