//! Email fixtures, written by the tests: newsletters in every MIME shape the mail reader
//! must take (alternative, related with a `cid:` picture, quoted-printable, base64,
//! encoded words, Latin-1 and Shift_JIS, 8-bit headers, broken headers, a large
//! attachment), and Maildir and mbox folders to hold them.

#![allow(dead_code)]

use std::path::Path;

/// A tiny PNG (a 2x2 red square) for inline pictures.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(2, 2, |_, _| image::Rgb([220, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    text.as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// A weekly issue of a list: multipart/alternative, the HTML part quoted-printable in
/// ISO-8859-1, a "view in browser" link, List-Unsubscribe, an encoded-word subject.
pub fn weekly(issue: u32, image_url: &str) -> Vec<u8> {
    format!(
        "From: \"Harbour Brief\" <brief@harbour.example>\r\n\
To: reader@example.org\r\n\
Subject: =?UTF-8?Q?Harbour_Brief_#{issue}_=E2=80=94_your_weekly_2-minute_read?=\r\n\
Date: Mon, {day:02} Nov 2026 08:00:00 +0000\r\n\
Message-ID: <issue{issue}@harbour.example>\r\n\
List-Id: Harbour Brief <brief.harbour.example>\r\n\
List-Unsubscribe: <https://harbour.example/unsub?u=7>, <mailto:unsub@harbour.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"alt\"\r\n\
\r\n\
--alt\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Plain version of issue {issue}.\r\n\
--alt\r\n\
Content-Type: text/html; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
<p><a href=3D\"https://harbour.example/issues/{issue}\">View in your browser</a></p>\r\n\
<h2>Caf=E9 security, issue {issue}</h2><p>Patch the r=E9sum=E9 parser this week.</p>\r\n\
<img src=3D\"{image_url}\" alt=3D\"Harbour Brief banner\">\r\n\
--alt--\r\n",
        day = issue % 28 + 1
    )
    .into_bytes()
}

/// multipart/related: HTML with a `cid:` picture and the picture as a base64 part.
/// With `web_picture`, a picture on the web comes before the inline one.
pub fn with_inline_picture(web_picture: Option<&str>) -> Vec<u8> {
    let web = web_picture
        .map(|u| format!("<img src=\"{u}\" alt=\"From the web\">"))
        .unwrap_or_default();
    format!(
        "From: Patch Notes <notes@patches.example>\r\n\
Subject: Patch notes with a chart\r\n\
Date: Tue, 03 Nov 2026 09:00:00 +0000\r\n\
Message-ID: <chart@patches.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/related; boundary=\"rel\"\r\n\
\r\n\
--rel\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Before the chart.</p>{web}<img src=\"cid:chart1@patches.example\" alt=\"Incidents\"><p>After the chart.</p>\r\n\
--rel\r\n\
Content-Type: image/png\r\n\
Content-ID: <chart1@patches.example>\r\n\
Content-Transfer-Encoding: base64\r\n\
Content-Disposition: inline; filename=\"chart.png\"\r\n\
\r\n\
{}\r\n\
--rel--\r\n",
        b64(&png()),
    )
    .into_bytes()
}

/// text/plain only, in Shift_JIS, base64; the subject an encoded word in Shift_JIS.
pub fn shift_jis() -> Vec<u8> {
    let (subject, _, _) = encoding_rs::SHIFT_JIS.encode("週刊セキュリティ便り");
    let (body, _, _) = encoding_rs::SHIFT_JIS.encode("今週の更新です。\r\n\r\n二段落目。\r\n");
    use base64::Engine;
    let subject = base64::engine::general_purpose::STANDARD.encode(&subject);
    format!(
        "From: =?UTF-8?B?5pel5pys44Gu44OL44Ol44O844K5?= <news@jp.example>\r\n\
Subject: =?Shift_JIS?B?{subject}?=\r\n\
Date: Wed, 04 Nov 2026 10:00:00 +0900\r\n\
Message-ID: <sjis@jp.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=Shift_JIS\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
{}\r\n",
        b64(&body)
    )
    .into_bytes()
}

/// Raw 8-bit headers: UTF-8 in the subject, Latin-1 in the sender's name, and a body in
/// ISO-8859-1 declared as such, 8bit.
pub fn eight_bit() -> Vec<u8> {
    let mut out = b"From: Ren\xe9 <rene@latin.example>\r\nSubject: Caf\xc3\xa9 notes \xe2\x80\x94 8-bit\r\nDate: Thu, 05 Nov 2026 11:00:00 +0000\r\nMessage-ID: <8bit@latin.example>\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".to_vec();
    out.extend_from_slice(b"Cr\xe8me br\xfbl\xe9e for the team.\r\n");
    out
}

/// Headers as broken as they come: a line with no colon, an unterminated encoded word,
/// a date that is not one, no Message-ID, control characters and an escape sequence.
pub fn broken() -> Vec<u8> {
    b"From broken\r\nNoColonHere\r\nFrom: \"Half =?UTF-8?Q?open <x@broken.example>\r\nSubject: Broken \x1b]52;c;aGk=\x07headers \x1b[31mred\r\nDate: sometime last week\r\nContent-Type: text/html; charset=unknown-8bit\r\n\r\n<p>Still readable.</p>\r\n".to_vec()
}

/// A newsletter with an attachment of `mib` MiB (base64).
pub fn with_attachment(mib: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..mib * 1024 * 1024)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    let mut out = "From: Reports <reports@big.example>\r\n\
Subject: The quarterly report\r\n\
Date: Fri, 06 Nov 2026 12:00:00 +0000\r\n\
Message-ID: <report@big.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"mix\"\r\n\
\r\n\
--mix\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
The report is attached.\r\n\
--mix\r\n\
Content-Type: application/pdf; name=\"report.pdf\"\r\n\
Content-Disposition: attachment; filename=\"report.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n"
        .to_string();
    out.push_str(&b64(&data));
    out.push_str("\r\n--mix--\r\n");
    out.into_bytes()
}

/// A Maildir at `dir` (cur, new, tmp).
pub fn maildir(dir: &Path) {
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
}

/// Delivers a message into `new/` (unseen) or `cur/` with these flags.
pub fn deliver(dir: &Path, name: &str, flags: Option<&str>, raw: &[u8]) -> std::path::PathBuf {
    let path = match flags {
        None => dir.join("new").join(name),
        Some(f) => dir.join("cur").join(format!("{name}:2,{f}")),
    };
    std::fs::write(&path, raw).unwrap();
    path
}

/// The file names in the Maildir's `cur/` and `new/`.
pub fn names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["cur", "new"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            out.push(format!(
                "{sub}/{}",
                e.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    out.sort();
    out
}
