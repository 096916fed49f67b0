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
