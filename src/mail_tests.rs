use super::links::linkify;
use super::*;

const NEWSLETTER: &str = "From: \"Harbour Brief\" <brief@harbour.example>\r
To: reader@example.org\r
Subject: =?UTF-8?Q?Your_weekly_2-minute_brief_=E2=80=94_patch_week?=\r
Date: Mon, 30 Nov 2026 08:00:00 +0000\r
Message-ID: <w48@harbour.example>\r
List-Id: Harbour Brief <brief.harbour.example>\r
List-Unsubscribe: <https://harbour.example/unsub?u=1>, <mailto:unsub@harbour.example>\r
MIME-Version: 1.0\r
Content-Type: multipart/alternative; boundary=\"b1\"\r
\r
--b1\r
Content-Type: text/plain; charset=utf-8\r
\r
Plain version.\r
--b1\r
Content-Type: text/html; charset=iso-8859-1\r
Content-Transfer-Encoding: quoted-printable\r
\r
<p><a href=3D\"https://harbour.example/w48\">View in your browser</a></p><p>Caf=E9 patch notes.</p>\r
--b1--\r
";

#[test]
fn a_newsletter_reads_like_an_article() {
    let a = parse(NEWSLETTER.as_bytes(), None).unwrap();
    assert_eq!(a.list, "brief.harbour.example");
    assert_eq!(a.list_name, "Harbour Brief");
    assert_eq!(a.item.title, "Your weekly 2-minute brief — patch week");
    assert_eq!(a.item.author.as_deref(), Some("Harbour Brief"));
    assert_eq!(a.item.guid, "mid:w48@harbour.example");
    assert!(a
        .item
        .content_html
        .as_deref()
        .unwrap()
        .contains("Café patch notes"));
    assert_eq!(a.item.link.as_deref(), Some("https://harbour.example/w48"));
    assert_eq!(
        a.unsubscribe.as_deref(),
        Some("https://harbour.example/unsub?u=1")
    );
    assert_eq!(a.item.published.unwrap().timestamp(), 1_796_025_600);
}

#[test]
fn plain_text_becomes_paragraphs_and_hostile_headers_are_clean() {
    let raw = "From: Sender <s@x.example>\r\nSubject: Hi \u{1b}]0;pwned\u{7} there\r\n\r\nFirst <b>line</b>\r\n\r\nSecond.\r\n";
    let a = parse(raw.as_bytes(), None).unwrap();
    assert_eq!(a.list, "s@x.example");
    assert!(!a.item.title.contains('\u{1b}'), "{:?}", a.item.title);
    assert_eq!(
        a.item.content_html.as_deref(),
        Some("<p>First &lt;b&gt;line&lt;/b&gt;</p><p>Second.</p>")
    );
}

#[test]
fn plain_text_keeps_its_lines_and_indentation() {
    let body = "Hi all,\r\n\r\n> quoted line one\r\n> quoted line two\r\n\r\nThe list:\r\n  - first\r\n      nested\r\n\tafter a tab\r\n\r\n-- \r\nJo Sender\r\nhttps://jo.example/\r\n";
    let raw = format!("From: Jo <jo@x.example>\r\nSubject: s\r\n\r\n{body}");
    let a = parse(raw.as_bytes(), None).unwrap();
    let html = a.item.content_html.clone().unwrap();
    let doc = crate::render::blocks(&html, None);
    let text = crate::render::to_plain(&crate::render::layout(&doc.blocks, 60));
    for want in [
        "\n> quoted line one\n> quoted line two\n",
        "\nThe list:\n  - first\n      nested\n    after a tab\n",
        "\n--\nJo Sender\n",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
}

#[test]
fn web_addresses_in_plain_text_become_links_and_nothing_else_does() {
    assert_eq!(
        linkify("See https://a.example/x?y=1&z=2. Or (http://b.example/), <not html>"),
        "See <a href=\"https://a.example/x?y=1&amp;z=2\">https://a.example/x?y=1&amp;z=2</a>. \
         Or (<a href=\"http://b.example/\">http://b.example/</a>), &lt;not html&gt;"
    );
    assert_eq!(
        linkify("a javascript:alert(1) b"),
        "a javascript:alert(1) b"
    );
    assert_eq!(linkify("https://"), "<a href=\"https://\">https://</a>");
}

#[test]
fn the_web_unsubscribe_link_wins_and_archived_at_is_the_link() {
    let raw = "From: List <l@x.example>\r\nSubject: s\r\nList-Unsubscribe: <mailto:leave@x.example?subject=unsubscribe>,\r\n <https://x.example/leave?id=9>\r\nArchived-At: <https://x.example/archive/42>\r\nContent-Type: text/html\r\n\r\n<p><a href=\"https://x.example/other\">View this email in your browser</a></p>\r\n";
    let a = parse(raw.as_bytes(), None).unwrap();
    assert_eq!(
        a.unsubscribe.as_deref(),
        Some("https://x.example/leave?id=9")
    );
    assert_eq!(a.item.link.as_deref(), Some("https://x.example/archive/42"));
    let mailto_only = raw.replace(",\r\n <https://x.example/leave?id=9>", "");
    let a = parse(mailto_only.as_bytes(), None).unwrap();
    assert_eq!(
        a.unsubscribe.as_deref(),
        Some("mailto:leave@x.example?subject=unsubscribe")
    );
    let no_archive = raw.replace("Archived-At: <https://x.example/archive/42>\r\n", "");
    let a = parse(no_archive.as_bytes(), None).unwrap();
    assert_eq!(a.item.link.as_deref(), Some("https://x.example/other"));
}

#[test]
fn bytes_with_no_message_header_are_not_a_message() {
    assert!(parse(&[0, 159, 146, 150, 255], None).is_none());
    assert!(parse(b"just some words\n\nand more", None).is_none());
}

#[test]
fn a_newsletters_hidden_preview_text_is_not_shown() {
    let html = "<div style=\"DISPLAY: None; max-height:0\">Inbox preview \u{200c} \u{200c}</div>\
                <span hidden>also hidden</span><p style=\"color: red\">The body.</p>";
    let text = crate::render::html_to_text(html, None, 60);
    assert_eq!(text.trim(), "The body.");
}

#[test]
fn a_list_named_by_an_id_takes_the_senders_name() {
    let raw = "From: Weekly Security Roundup <roundup@secnews.example>\r\nSubject: s\r\nList-ID: 0a1b2c3d4e5f6a7b8c9d0e1f2mc list <0a1b2c3d4e5f6a7b8c9d0e1f2.123456.list-id.mcsv.net>\r\n\r\nx\r\n";
    let a = parse(raw.as_bytes(), None).unwrap();
    assert_eq!(a.list, "0a1b2c3d4e5f6a7b8c9d0e1f2.123456.list-id.mcsv.net");
    assert_eq!(a.list_name, "Weekly Security Roundup");
}

#[test]
fn a_sender_that_is_no_address_still_names_the_feed() {
    let raw = "From: alice at lists.example (Alice)\r\nSubject: archived post\r\n\r\nx\r\n";
    let a = parse(raw.as_bytes(), None).unwrap();
    assert!(!a.list.is_empty());
    assert!(a.list.contains("alice"), "{}", a.list);
    let raw = "Subject: nobody sent this\r\n\r\nx\r\n";
    assert_eq!(parse(raw.as_bytes(), None).unwrap().list, "(no sender)");
}

/// Quoted-printable for a test: every byte outside printable ASCII, and `=`, as `=XX`.
fn qp(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (b' '..=b'~').contains(&b) && b != b'=' {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            }
        })
        .collect()
}

/// Newsletters come in every charset their senders use: each here as the body (8bit,
/// quoted-printable or base64) and as the subject's encoded word, read back as the text.
#[test]
fn every_charset_a_newsletter_comes_in_reads_back() {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    for (label, text, transfer) in [
        ("ISO-8859-1", "Café crème, déjà vu", "quoted-printable"),
        ("windows-1252", "“Smart” quotes — €5", "8bit"),
        ("ISO-8859-15", "Œuvre à 5 €", "base64"),
        ("ISO-8859-2", "Zażółć gęślą jaźń", "quoted-printable"),
        ("KOI8-R", "Привет, мир", "8bit"),
        ("windows-1251", "Новости недели", "base64"),
        ("ISO-2022-JP", "今週のお知らせ", "7bit"),
        ("Shift_JIS", "週刊セキュリティ便り", "base64"),
        ("EUC-JP", "安全情報", "base64"),
        ("GBK", "本周安全简报", "base64"),
        ("Big5", "本週安全通報", "base64"),
        ("EUC-KR", "이번 주 보안 소식", "base64"),
        ("UTF-8", "Ünïcödé ✓ 🔐", "quoted-printable"),
    ] {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
        let (bytes, _, bad) = encoding.encode(text);
        assert!(!bad, "{label} cannot write {text}");
        let body: Vec<u8> = match transfer {
            "quoted-printable" => qp(&bytes).into_bytes(),
            "base64" => b64(&bytes).into_bytes(),
            _ => bytes.to_vec(),
        };
        let mut raw = format!(
            "From: News <news@x.example>\r\nSubject: =?{label}?B?{}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset={label}\r\nContent-Transfer-Encoding: {transfer}\r\n\r\n",
            b64(&bytes)
        )
        .into_bytes();
        raw.extend_from_slice(&body);
        raw.extend_from_slice(b"\r\n");
        let a = parse(&raw, None).unwrap_or_else(|| panic!("{label}: not read"));
        assert_eq!(a.item.title, text, "{label} subject");
        let content = a.item.content_html.unwrap_or_default();
        assert!(
            content.contains(&*html_escape::encode_text(text)),
            "{label} body: {content}"
        );
    }
}
