//! A web page's bytes to text, as browsers decide its charset: the HTTP header, then a
//! byte-order mark, then `<meta charset>` or `<meta http-equiv="Content-Type">` near the
//! top, then as a feed that declares nothing is read (parse::decode::undeclared).

use encoding_rs::Encoding;

/// How far into the page a `<meta>` charset is looked for (browsers stop at 1024 bytes;
/// pages with long heads put it later, and a wider look costs nothing).
const PRESCAN: usize = 8192;

pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let from_header = content_type
        .and_then(crate::parse::decode::charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()));
    let encoding = from_header
        .or_else(|| Encoding::for_bom(bytes).map(|(enc, _)| enc))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN)]));
    match encoding {
        // A page cannot declare itself UTF-16 in ASCII: such a meta is wrong (HTML spec).
        Some(enc) if enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE => {
            enc.decode(bytes).0.into_owned()
        }
        // Undeclared: as a feed that declares nothing is read (UTF-8, UTF-8 with a stray
        // byte, else the legacy encoding it looks like: a Shift_JIS or GBK page was
        // Windows-1252 mojibake).
        _ => crate::parse::decode::undeclared(bytes).into_owned(),
    }
}

/// The charset a `<meta>` in these bytes declares.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = text.as_str();
    loop {
        let at = rest.find("<meta")?;
        // A meta in a comment (an old template's, commented out) declares nothing.
        if let Some(open) = rest[..at].find("<!--") {
            let close = rest[open + 4..]
                .find("-->")
                .map_or(rest.len(), |c| open + 4 + c + 3);
            rest = &rest[close..];
            continue;
        }
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..tag_end];
        if let Some(label) = attribute(tag, "charset") {
            if let Some(enc) = Encoding::for_label(label.as_bytes()) {
                return Some(enc);
            }
        }
        if attribute(tag, "http-equiv").is_some_and(|v| v == "content-type") {
            let content = attribute(tag, "content").unwrap_or_default();
            if let Some(enc) = content
                .split(';')
                .find_map(|p| p.trim().strip_prefix("charset="))
                .and_then(|l| Encoding::for_label(l.trim_matches(['"', '\'']).as_bytes()))
            {
                return Some(enc);
            }
        }
        rest = &rest[tag_end..];
    }
}

/// An attribute's value in a lower-cased tag: `name="v"`, `name='v'` or `name=v`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(found) = tag[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        // A whole attribute name: after a space, and followed by `=`.
        if !tag[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let after = tag[from..].trim_start();
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let v = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(v.trim().to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_then_the_bom_then_a_meta_decide() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        assert!(decode(latin1, None).contains("Café"));
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>";
        assert!(decode(equiv, None).contains("Привет"));
        // The header wins over the page.
        let sjis = b"<meta charset=\"utf-8\"><p>\x93\xfa\x96\x7b</p>";
        assert!(decode(sjis, Some("text/html; charset=Shift_JIS")).contains("日本"));
        // No label and not UTF-8: the encoding it looks like, as browsers guess it.
        assert!(decode(b"<p>na\xefve</p>", None).contains("naïve"));
        let (gbk, _, _) = encoding_rs::GBK.encode("<p>不归移民漫画系列：专业工作者的故事</p>");
        assert!(decode(&gbk, None).contains("专业工作者"));
        assert!(decode("<p>plain ü</p>".as_bytes(), None).contains('ü'));
        assert_eq!(
            attribute("<meta data-charset=\"x\" charset=utf-8>", "charset").as_deref(),
            Some("utf-8")
        );
        // A meta in a comment declares nothing.
        let commented =
            "<!-- <meta charset=\"iso-8859-1\"> --><meta charset=\"utf-8\"><p>Wärme</p>";
        assert!(decode(commented.as_bytes(), None).contains("Wärme"));
        assert!(decode(
            "<!-- <meta charset=\"iso-8859-1\"> --><p>Wärme</p>".as_bytes(),
            None
        )
        .contains("Wärme"));
    }
}
