//! Bytes to text: the charset from the HTTP header, a BOM or the XML declaration, UTF-16
//! and UTF-32 sniffed by their zero bytes, labels that lie survived; and the text made
//! safe for the XML readers (no declaration left to switch encodings on them).

use super::codepages::{CodePage, LABELS, PAGES};
use encoding_rs::Encoding;
use std::borrow::Cow;

/// A charset a label names: one of the WHATWG Encoding Standard's (encoding_rs), else a
/// single-byte code page Python's codecs know (IBM/DOS, EBCDIC, Mac...).
#[derive(Clone, Copy)]
enum Charset {
    Whatwg(&'static Encoding),
    Page(&'static CodePage),
}

impl Charset {
    fn for_label(label: &str) -> Option<Charset> {
        if let Some(e) = Encoding::for_label(label.trim().as_bytes()) {
            return Some(Charset::Whatwg(e));
        }
        // Python writes its names with underscores (`windows_1251`, `euc_jp`, `utf_8`).
        if let Some(e) = Encoding::for_label(label.trim().replace('_', "-").as_bytes()) {
            return Some(Charset::Whatwg(e));
        }
        let key: String = label
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // Names Python (and so feedparser) knows and the web's list does not: Windows'
        // code pages by number, underscores for dashes (`euc_kr`, `iso8859_2`).
        let known = match key.as_str() {
            "cp949" | "ms949" | "uhc" | "euckr" => Some("euc-kr"),
            "cp932" | "ms932" | "mskanji" | "sjis" => Some("shift_jis"),
            "cp936" | "ms936" | "euccn" | "gb2312" | "gb231280" => Some("gbk"),
            "macroman" | "xmacroman" => Some("macintosh"),
            "maccyrillic" | "xmaccyrillic" | "macukraine" => Some("x-mac-cyrillic"),
            "latin7" | "l7" => Some("iso-8859-13"),
            "latin8" | "l8" | "isoceltic" | "isoir199" => Some("iso-8859-14"),
            "latin9" => Some("iso-8859-15"),
            "latin10" | "l10" | "isoir226" => Some("iso-8859-16"),
            "thai" | "tis6200" | "tis62025291" | "tis62025290" | "isoir166" => Some("windows-874"),
            "elot928" | "greek8" | "ecma118" => Some("iso-8859-7"),
            "utf8" => Some("utf-8"),
            "eucjp" => Some("euc-jp"),
            "shiftjis" => Some("shift_jis"),
            "iso2022jp" => Some("iso-2022-jp"),
            "cp950" | "ms950" | "big5hkscs" => Some("big5"),
            "tis620" | "cp874" | "iso885911" => Some("windows-874"),
            // With its year too (`iso-8859-5-1988`, `iso_8859_2_1987`).
            k if k.starts_with("iso8859") && k.len() > 7 => {
                let part = &k[7..];
                let part = match part.len() {
                    5.. if part[part.len() - 4..].starts_with("19") => &part[..part.len() - 4],
                    _ => part,
                };
                Encoding::for_label(format!("iso-8859-{part}").as_bytes()).map(|e| e.name())
            }
            // Windows' code pages by their number alone.
            k if k.len() == 4 && k.starts_with("125") => {
                Encoding::for_label(format!("windows-{k}").as_bytes()).map(|e| e.name())
            }
            k if k.starts_with("cp125") && k.len() == 6 => {
                Encoding::for_label(format!("windows-{}", &k[2..]).as_bytes()).map(|e| e.name())
            }
            k if k.starts_with("windows") && k.len() > 7 => {
                Encoding::for_label(format!("windows-{}", &k[7..]).as_bytes()).map(|e| e.name())
            }
            _ => None,
        };
        if let Some(e) = known.and_then(|l| Encoding::for_label(l.as_bytes())) {
            return Some(Charset::Whatwg(e));
        }
        LABELS
            .iter()
            .find(|(l, _)| *l == key)
            .map(|(_, i)| Charset::Page(&PAGES[*i]))
    }
}

/// Bytes in a code page, to text.
fn decode_page(page: &CodePage, bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| char::from_u32(u32::from(page.chars[usize::from(*b)])).unwrap_or('\u{FFFD}'))
        .collect()
}

/// `<?xm` in EBCDIC (cp037 and its kin): such a document names its code page in a
/// declaration that only reads once decoded.
const EBCDIC_DECLARATION: [u8; 4] = [0x4C, 0x6F, 0xA7, 0x94];

/// Decodes to UTF-8: the HTTP charset wins, then a BOM, then the XML declaration, then UTF-8.
/// Invalid sequences become U+FFFD rather than failing the whole feed.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    // UTF-32, and UTF-16 without a byte-order mark, are known by their first bytes;
    // no charset label can be right about such bytes if they say otherwise.
    if let Some(text) = decode_wide(bytes) {
        return Cow::Owned(text);
    }
    // A byte-order mark wins over the header, as in browsers: a server-wide
    // `charset=utf-8` on a feed written in UTF-16 was read as binary data.
    let from_header = content_type
        .filter(|_| Encoding::for_bom(bytes).is_none())
        .and_then(charset_param)
        .and_then(|label| Charset::for_label(&label));
    let from_document = || {
        Encoding::for_bom(bytes)
            .map(|(enc, _)| Charset::Whatwg(enc))
            .or_else(|| declared_charset(bytes))
    };
    let encoding = match from_header.or_else(from_document) {
        Some(Charset::Page(page)) => {
            tracing::debug!("decoding a feed as {}", page.name);
            return Cow::Owned(decode_page(page, bytes));
        }
        Some(Charset::Whatwg(e)) => e,
        None => return undeclared(bytes),
    };
    let wide = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    // A label of UTF-16 on bytes with no BOM and no zero bytes (sniffed above) lies;
    // so does UTF-8 on bytes that are not UTF-8, which browsers and feedparser then
    // read as Windows-1252.
    let encoding = if wide && Encoding::for_bom(bytes).is_none() {
        encoding_rs::UTF_8
    } else {
        encoding
    };
    if encoding == encoding_rs::UTF_8 {
        // One validation pass, and no copy when the bytes are UTF-8.
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return utf8_or_1252(body);
    }
    // Latin-1, ASCII and Windows-1252 (one encoding to the web) on bytes that are UTF-8
    // with characters beyond ASCII: a template's or a server's label left from another
    // time. Read as UTF-8, as feedparser reads them: Latin-1 text is almost never valid
    // UTF-8 (an accented letter is followed by another byte of 0x80-0xBF in it).
    if encoding == encoding_rs::WINDOWS_1252 && !bytes.is_ascii() {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Cow::Borrowed(text);
        }
    }
    let (text, _, _) = encoding.decode(bytes);
    text
}

/// Bytes that say nothing of their encoding: UTF-8 when they are (nearly every feed);
/// else the legacy encoding they look like (Firefox's detector, as feedparser asks
/// chardet: an EUC-JP or EUC-KR feed read byte by byte as Windows-1252 was mojibake,
/// with stray characters where its bytes happened to be UTF-8); a feed that is UTF-8
/// but for a few bytes stays so (see `utf8_or_1252`).
pub(crate) fn undeclared(bytes: &[u8]) -> Cow<'_, str> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = simdutf8::basic::from_utf8(body) {
        return Cow::Borrowed(text);
    }
    // UTF-8 with a few stray bytes (a Windows-1252 quote pasted in) stays UTF-8: more of
    // its characters beyond ASCII are UTF-8 than not.
    let (utf8_chars, stray) = utf8_share(body);
    if utf8_chars >= stray {
        return utf8_or_1252(body);
    }
    let guess = guess_legacy(body);
    if guess == encoding_rs::UTF_8 || guess == encoding_rs::WINDOWS_1252 {
        return utf8_or_1252(body);
    }
    tracing::debug!("decoding an undeclared feed as {}", guess.name());
    let (text, _, _) = guess.decode(body);
    text
}

/// The encoding bytes that are not UTF-8 and name none look like, as Firefox guesses it
/// for such a page (chardetng).
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    // A word or two beyond ASCII is too little to tell: Windows-1252, the web's default
    // (the detector took "na\xefve" for a Baltic code page).
    if bytes.iter().filter(|b| **b >= 0x80).count() < 8 {
        return encoding_rs::WINDOWS_1252;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // A code page of one byte a character is taken only for text mostly beyond ASCII
    // (Cyrillic, Greek, Hebrew, Arabic, Thai): Latin text with a few signs (£, °, ½, §)
    // was guessed as Central European or Baltic and lost them. Latin text in another
    // code page than Windows-1252 reads as it did before (and as feedparser does
    // without chardet).
    let multi_byte = [
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::ISO_2022_JP,
        encoding_rs::EUC_KR,
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
    ];
    if multi_byte.contains(&guess) || mostly_beyond_ascii(bytes) {
        guess
    } else {
        encoding_rs::WINDOWS_1252
    }
}

/// Whether the text's bytes beyond ASCII mostly make words of their own, markup left
/// out: in a code page of one byte a character (Cyrillic, Greek, Hebrew, Thai) a word
/// is a run of such bytes, where in Latin text an accented letter or a sign (é, °, £, ½)
/// stands alone or in twos (ção). Counted against the bytes beyond ASCII, not against
/// the ASCII letters: a real feed's links, ids, dates and categories outnumbered the
/// letters of its Cyrillic titles, and it stayed mojibake.
fn mostly_beyond_ascii(bytes: &[u8]) -> bool {
    /// Runs of this many bytes beyond ASCII are words of such letters.
    const WORD: usize = 3;
    let mut in_tag = false;
    let (mut beyond, mut in_words, mut run) = (0usize, 0usize, 0usize);
    for &b in bytes {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ if in_tag => {}
            0x80.. => {
                beyond += 1;
                run += 1;
                continue;
            }
            _ => {}
        }
        if run >= WORD {
            in_words += run;
        }
        run = 0;
    }
    if run >= WORD {
        in_words += run;
    }
    in_words >= 8 && in_words * 2 > beyond
}

/// How many characters beyond ASCII in `body` are UTF-8, and how many byte sequences are
/// not.
fn utf8_share(mut body: &[u8]) -> (usize, usize) {
    let (mut chars, mut stray) = (0, 0);
    loop {
        match std::str::from_utf8(body) {
            Ok(text) => return (chars + count_lead_bytes(text.as_bytes()), stray),
            Err(e) => {
                let (valid, rest) = body.split_at(e.valid_up_to());
                chars += count_lead_bytes(valid);
                stray += 1;
                body = &rest[e.error_len().unwrap_or(rest.len())..];
            }
        }
    }
}

/// The multi-byte characters of valid UTF-8 (their first bytes).
fn count_lead_bytes(utf8: &[u8]) -> usize {
    utf8.iter().filter(|b| **b >= 0xC0).count()
}

/// UTF-8, with each byte that is not (a Windows-1252 quote or dash pasted into a UTF-8
/// page, or a page in that code page unlabelled) read as Windows-1252: one stray byte no
/// longer turns every accented letter of the feed into two.
fn utf8_or_1252(mut body: &[u8]) -> Cow<'_, str> {
    // The common case checked with SIMD; the standard check then says where an error is.
    if let Ok(text) = simdutf8::basic::from_utf8(body) {
        return Cow::Borrowed(text);
    }
    let first = match std::str::from_utf8(body) {
        Ok(text) => return Cow::Borrowed(text),
        Err(e) => e,
    };
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut error = first;
    loop {
        let (valid, rest) = body.split_at(error.valid_up_to());
        // Checked just above: the bytes before the error are UTF-8.
        out.push_str(std::str::from_utf8(valid).unwrap_or_default());
        let bad = error.error_len().unwrap_or(rest.len());
        out.push_str(
            &encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&rest[..bad])
                .0,
        );
        body = &rest[bad..];
        match std::str::from_utf8(body) {
            Ok(text) => {
                out.push_str(text);
                return Cow::Owned(out);
            }
            Err(e) => error = e,
        }
    }
}

/// UTF-32 (with or without BOM) and UTF-16 without BOM, recognised by the zero bytes
/// around the first `<` (the XML specification's appendix F).
pub(super) fn decode_wide(bytes: &[u8]) -> Option<String> {
    let head: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    let utf32 = |be: bool, skip: usize| -> String {
        bytes[skip..]
            .chunks_exact(4)
            .map(|c| {
                let word = [c[0], c[1], c[2], c[3]];
                let n = if be {
                    u32::from_be_bytes(word)
                } else {
                    u32::from_le_bytes(word)
                };
                char::from_u32(n).unwrap_or('\u{FFFD}')
            })
            .collect()
    };
    match head {
        [0, 0, 0xFE, 0xFF] => Some(utf32(true, 4)),
        [0xFF, 0xFE, 0, 0] => Some(utf32(false, 4)),
        [0, 0, 0, b] if b != 0 => Some(utf32(true, 0)),
        [b, 0, 0, 0] if b != 0 => Some(utf32(false, 0)),
        [0, a, 0, b] if a != 0 && b != 0 => Some(
            encoding_rs::UTF_16BE
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
        [a, 0, b, 0] if a != 0 && b != 0 => Some(
            encoding_rs::UTF_16LE
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
        _ => None,
    }
}

pub(crate) fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case("charset").then(|| {
            value
                .trim()
                .trim_matches('"')
                .trim_matches('\'')
                .to_string()
        })
    })
}

/// The charset the XML declaration names: read as ASCII, or, when the document starts
/// with `<?xm` in EBCDIC, as cp037 (an EBCDIC document without one is cp037 itself).
fn declared_charset(bytes: &[u8]) -> Option<Charset> {
    let head = &bytes[..bytes.len().min(200)];
    if head.starts_with(&EBCDIC_DECLARATION) {
        let cp037 = &PAGES[LABELS.iter().find(|(l, _)| *l == "cp037")?.1];
        let text = decode_page(cp037, head);
        return declared_label(&text)
            .and_then(Charset::for_label)
            .or(Some(Charset::Page(cp037)));
    }
    let head = std::str::from_utf8(head)
        .ok()
        .map(Cow::Borrowed)
        .unwrap_or_else(|| String::from_utf8_lossy(head))
        .into_owned();
    declared_label(&head).and_then(Charset::for_label)
}

/// The label in `encoding="..."` of a declaration at the start of `head`.
fn declared_label(head: &str) -> Option<&str> {
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(&value[..value.find(quote)?])
}

/// After decoding, the declaration's `encoding` no longer tells the truth; drop it so that
/// feed-rs reads the UTF-8 we hand it.
pub(super) fn strip_xml_declaration(text: &str) -> &str {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if let Some(rest) = trimmed.strip_prefix("<?xml") {
        if let Some(end) = rest.find("?>") {
            return &rest[end + 2..];
        }
    }
    trimmed
}

/// The body without any XML declaration left in it (after junk, or twice): the text is
/// UTF-8 by now, and a declaration of another encoding would make the XML reader switch
/// encodings mid-stream, which it cannot (it panics).
pub(super) fn without_declarations(body: &str) -> Cow<'_, str> {
    let is_decl = |at: usize| {
        body[at + 5..]
            .chars()
            .next()
            .is_some_and(|c| c.is_whitespace() || c == '?')
    };
    let found: Vec<usize> = memchr::memmem::find_iter(body.as_bytes(), b"<?xml")
        .filter(|&at| is_decl(at))
        .collect();
    if found.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    for at in found {
        if at < from {
            continue;
        }
        out.push_str(&body[from..at]);
        from = body[at..].find("?>").map_or(body.len(), |end| at + end + 2);
    }
    out.push_str(&body[from..]);
    Cow::Owned(out)
}

pub(super) fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(300)
        .collect::<String>()
        .to_ascii_lowercase();
    // An XHTML doctype on top of an RSS document (it happens): the root decides.
    let mut rest = head.as_str();
    if rest.starts_with("<!doctype html") {
        match rest.find('>') {
            Some(end) => rest = rest[end + 1..].trim_start(),
            None => return true,
        }
        while rest.starts_with("<!--") {
            match rest.find("-->") {
                Some(end) => rest = rest[end + 3..].trim_start(),
                None => return true,
            }
        }
        let feed = ["<rss", "<feed", "<rdf:rdf", "<channel"];
        return !feed.iter().any(|root| rest.starts_with(root));
    }
    rest.starts_with("<html")
}

#[cfg(test)]
mod codepage_tests {
    #[test]
    fn code_pages_beyond_whatwg_by_header_or_declaration_ebcdic_too() {
        // cp437: box drawing and accents, named by the HTTP header, in any spelling.
        let bytes = b"<rss>\x82\xb3\xb0</rss>";
        for label in ["cp437", "IBM437", "ibm-437", "437"] {
            let ct = format!("application/rss+xml; charset={label}");
            assert_eq!(super::decode(bytes, Some(&ct)), "<rss>é│░</rss>", "{label}");
        }
        // Named by the declaration.
        let doc = b"<?xml version=\"1.0\" encoding=\"cp850\"?><a>\x82t\x82</a>";
        assert!(super::decode(doc, None).ends_with("<a>\u{e9}t\u{e9}</a>"));
        // EBCDIC: `<?xml ... encoding="cp500"?>` read in EBCDIC; '[' is 0x4A in cp500.
        let text = "<?xml version=\"1.0\" encoding=\"cp500\"?><a>[x]</a>";
        let ebcdic: Vec<u8> = text
            .chars()
            .map(|c| {
                let page = super::PAGES.iter().find(|p| p.name == "cp500").unwrap();
                page.chars.iter().position(|&u| u == c as u16).unwrap() as u8
            })
            .collect();
        assert_eq!(super::decode(&ebcdic, None), text);
        // Python's names for the web's encodings, as feedparser reads them.
        for label in ["cp949", "ms949", "uhc", "euc_kr"] {
            let doc = format!(
                "<?xml version=\"1.0\" encoding=\"{label}\"?><a>\u{d55c}\u{ad6d}\u{c5b4}</a>"
            );
            let (bytes, _, _) = encoding_rs::EUC_KR.encode(&doc);
            assert!(
                super::decode(&bytes, None).contains("\u{d55c}\u{ad6d}\u{c5b4}"),
                "{label}"
            );
        }
        // Japanese, Chinese and Thai under Python's names, declared or in the header.
        for (labels, encoding, text) in [
            (
                &["cp932", "ms932", "sjis"][..],
                encoding_rs::SHIFT_JIS,
                "\u{65e5}\u{672c}\u{8a9e}",
            ),
            (
                &["cp936", "ms936", "euc-cn"][..],
                encoding_rs::GBK,
                "\u{4e2d}\u{6587}",
            ),
            (
                &["tis620", "cp874"][..],
                encoding_rs::WINDOWS_874,
                "\u{e44}\u{e17}\u{e22}",
            ),
            (
                &["windows_1251", "Windows1251", "cp1251"][..],
                encoding_rs::WINDOWS_1251,
                "\u{416}\u{434}",
            ),
            (
                &["macroman", "mac_roman"][..],
                encoding_rs::MACINTOSH,
                "caf\u{e9}",
            ),
            (
                &["GB2312-80", "gb2312"][..],
                encoding_rs::GBK,
                "\u{4e2d}\u{6587}",
            ),
            (&["euc_jp"][..], encoding_rs::EUC_JP, "\u{65e5}\u{672c}"),
            (
                &["mac-cyrillic", "maccyrillic"][..],
                encoding_rs::X_MAC_CYRILLIC,
                "\u{41c}\u{43e}\u{441}\u{43a}\u{432}\u{430}",
            ),
            (
                &["latin7", "l7"][..],
                encoding_rs::ISO_8859_13,
                "Vilni\u{173}s",
            ),
            (&["iso-8859-5-1988"][..], encoding_rs::ISO_8859_5, "\u{416}"),
            (&["iso_8859_2_1987"][..], encoding_rs::ISO_8859_2, "\u{105}"),
            (&["1250"][..], encoding_rs::WINDOWS_1250, "\u{105}"),
            (
                &["thai", "iso-ir-166"][..],
                encoding_rs::WINDOWS_874,
                "\u{e44}",
            ),
        ] {
            for label in labels {
                let body = format!("<a>{text}</a>");
                let (bytes, _, _) = encoding.encode(&body);
                let header = format!("text/xml; charset={label}");
                assert_eq!(
                    super::decode(&bytes, Some(&header)),
                    format!("<a>{text}</a>"),
                    "{label}"
                );
                let doc = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><a>{text}</a>");
                let (bytes, _, _) = encoding.encode(&doc);
                assert!(
                    super::decode(&bytes, None).ends_with(&format!("<a>{text}</a>")),
                    "{label}"
                );
            }
        }
        let latin2 = b"<a>\xb1</a>";
        assert_eq!(
            super::decode(latin2, Some("text/xml; charset=iso8859_2")),
            "<a>\u{105}</a>"
        );
        // A label nobody knows: as before (UTF-8, else Windows-1252).
        assert_eq!(
            super::decode(b"caf\xe9", Some("text/xml; charset=x-nothing")),
            "café"
        );
    }

    /// A feed that names no encoding and is not UTF-8: the legacy encoding it looks like,
    /// as feedparser finds it with chardet (Windows-1252 byte by byte was mojibake); UTF-8
    /// with a stray Windows-1252 byte stays UTF-8.
    #[test]
    fn an_undeclared_legacy_encoding_is_recognised() {
        for (encoding, title) in [
            (encoding_rs::EUC_JP, "ゲーム三昧な正月を過ごしました"),
            (encoding_rs::EUC_KR, "한글 닉네임 표시하기 위한 방법"),
            (encoding_rs::SHIFT_JIS, "記事投稿が反映されない問題について"),
            (encoding_rs::GBK, "不归移民漫画系列：专业工作者的故事"),
        ] {
            let doc =
                format!("<rss version=\"2.0\"><channel><title>{title}</title></channel></rss>");
            let (bytes, _, _) = encoding.encode(&doc);
            assert_eq!(super::decode(&bytes, None), doc, "{}", encoding.name());
        }
        // Cyrillic in KOI8-R: a code page of one byte a character, for text mostly
        // beyond ASCII.
        let doc =
            "<rss><channel><title>Как пережить новогоднюю ночь без забот</title></channel></rss>";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(doc);
        assert_eq!(super::decode(&bytes, None), doc);
        // Real feeds' shape: links, ids, dates and categories in ASCII outnumber the
        // letters of short titles in Windows-1251 (Russian), 1253 (Greek), 1255 (Hebrew).
        for (encoding, titles) in [
            (
                encoding_rs::WINDOWS_1251,
                [
                    "Обновление безопасности",
                    "Итоги недели",
                    "Новый релиз ядра",
                ],
            ),
            (
                encoding_rs::WINDOWS_1253,
                ["Ενημέρωση ασφαλείας", "Νέα έκδοση", "Εβδομαδιαία νέα"],
            ),
            (
                encoding_rs::WINDOWS_1255,
                ["עדכון אבטחה", "סיכום השבוע", "גרסה חדשה"],
            ),
        ] {
            let items: String = (0..10)
                .map(|i| {
                    format!(
                        "<item><title>{}</title><link>https://news.example.org/2024/05/{i}/post-{i}.html</link>\
                         <guid isPermaLink=\"false\">urn:news.example.org:posts:2024-05-{i:02}</guid>\
                         <pubDate>Tue, 14 May 2024 0{}:30:00 +0300</pubDate><category>security</category></item>",
                        titles[i % 3],
                        i % 10
                    )
                })
                .collect();
            let doc = format!(
                "<rss version=\"2.0\"><channel><title>{}</title>{items}</channel></rss>",
                titles[0]
            );
            let (bytes, _, _) = encoding.encode(&doc);
            assert_eq!(super::decode(&bytes, None), doc, "{}", encoding.name());
        }
        // Latin text with signs stays Windows-1252 (it was guessed Central European).
        for text in [
            "<t>£5 deal</t>".repeat(8),
            "<t>20°C ± 2°</t>".repeat(8),
            "<t>½ cup flour, ¼ tsp salt</t>".repeat(6),
            "<t>§ 1 BGB</t>".repeat(9),
            // Accented letters in twos (Portuguese) and alone (French, German).
            "<t>Informações da situação: não há alterações; café à côté; Größe, Übersicht</t>"
                .repeat(4),
        ] {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
            assert_eq!(super::decode(&bytes, None), text);
        }
        let mut mixed = "<a>caf\u{e9} na\u{ef}ve \u{2014} ".as_bytes().to_vec();
        mixed.extend_from_slice(b"it\x92s</a>");
        assert_eq!(
            super::decode(&mixed, None),
            "<a>caf\u{e9} na\u{ef}ve \u{2014} it\u{2019}s</a>"
        );
    }
}
