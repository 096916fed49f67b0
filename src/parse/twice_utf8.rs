//! Text encoded as UTF-8 twice: a publisher's software took UTF-8 bytes for Latin-1 (or
//! Windows-1252) and encoded them again, so `Café` arrives as `CafÃ©` and `it’s` as
//! `itâ€™s`. feedparser mends a text of a UTF-8 document when all of it reads back as
//! UTF-8 from its Latin-1 bytes; so does this, and from Windows-1252's too (the `â€™`
//! kind, the commonest on the web). A text with one character that does not fit, such as
//! a real `é` before a space, is left as it is: legitimate text almost never passes.

use crate::model::ParsedFeed;

/// Mends every text of a feed that reads as UTF-8 encoded twice (ids are left as
/// they were made, so an article keeps its id).
pub(super) fn mend(feed: &mut ParsedFeed) {
    let fields = feed.title.iter_mut().chain(feed.description.iter_mut());
    for text in fields {
        mend_text(text);
    }
    for item in &mut feed.items {
        mend_text(&mut item.title);
        let fields = item
            .author
            .iter_mut()
            .chain(item.summary_html.iter_mut())
            .chain(item.content_html.iter_mut());
        for text in fields {
            mend_text(text);
        }
    }
}

fn mend_text(text: &mut String) {
    if let Some(mended) = once_decoded(text) {
        *text = mended;
    }
}

/// The text its characters' single bytes spell in UTF-8, when they are all single
/// bytes (Latin-1 or Windows-1252) and spell well-formed UTF-8 with at least one
/// character beyond ASCII; else None. Stops at the first character that does not fit,
/// which in ordinary text is its first accented letter.
fn once_decoded(text: &str) -> Option<String> {
    let first = text.bytes().position(|b| b >= 0x80)?;
    let mut bytes = Vec::with_capacity(text.len());
    bytes.extend_from_slice(&text.as_bytes()[..first]);
    // Continuation bytes still due for the sequence under way.
    let mut due = 0u8;
    for c in text[first..].chars() {
        let b = single_byte(c)?;
        if due > 0 {
            if !(0x80..=0xBF).contains(&b) {
                return None;
            }
            due -= 1;
        } else if b >= 0x80 {
            due = match b {
                0xC2..=0xDF => 1,
                0xE0..=0xEF => 2,
                0xF0..=0xF4 => 3,
                _ => return None,
            };
        }
        bytes.push(b);
    }
    if due > 0 {
        return None;
    }
    // (Overlong forms and surrogates pass the count above; this refuses them.)
    String::from_utf8(bytes).ok()
}

/// The byte a character is in Latin-1, or in Windows-1252 for the signs it puts at
/// 0x80-0x9F. (By hand: encoding_rs encodes a whole text before it says a character
/// did not fit, and most texts are given up at their first accented letter.)
fn single_byte(c: char) -> Option<u8> {
    if let Ok(b) = u8::try_from(u32::from(c)) {
        return Some(b);
    }
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twice_encoded_text_is_mended() {
        assert_eq!(
            once_decoded("CafÃ© Mojibake").as_deref(),
            Some("Café Mojibake")
        );
        assert_eq!(
            once_decoded("NaÃ¯ve rÃ©sumÃ©").as_deref(),
            Some("Naïve résumé")
        );
        // Through Windows-1252: the apostrophe and the dash.
        assert_eq!(
            once_decoded("itâ€™s â€” here").as_deref(),
            Some("it’s — here")
        );
        assert_eq!(
            once_decoded("<p>DÃ©jÃ\u{a0} vu</p>").as_deref(),
            Some("<p>Déjà vu</p>")
        );
        assert_eq!(once_decoded("æ—¥æœ¬").as_deref(), Some("日本"));
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "plain ascii",
            "Café au lait",
            "Größe",
            "Straße",
            "¿Qué?",
            "25 °C",
            "Tête-à-tête",
            "日本語",
            "naïve",
            "© 2026",
            "Ã",
            // An overlong form and a surrogate spelled in single bytes.
            "à€€",
            "\u{ed}\u{a0}\u{80}",
        ] {
            assert_eq!(once_decoded(text), None, "{text}");
        }
    }

    #[test]
    fn a_feed_is_mended_field_by_field_and_ids_stay() {
        let mut feed = ParsedFeed {
            title: Some("CafÃ©".into()),
            link: None,
            description: Some("ordinary é text".into()),
            items: vec![crate::model::ParsedItem {
                guid: "CafÃ©-id".into(),
                title: "rÃ©sumÃ©".into(),
                author: Some("ZoÃ«".into()),
                summary_html: Some("<p>Ã\u{a0}la</p>".into()),
                content_html: None,
                ..Default::default()
            }],
        };
        mend(&mut feed);
        assert_eq!(feed.title.as_deref(), Some("Café"));
        assert_eq!(feed.description.as_deref(), Some("ordinary é text"));
        let item = &feed.items[0];
        assert_eq!(item.title, "résumé");
        assert_eq!(item.author.as_deref(), Some("Zoë"));
        assert_eq!(item.summary_html.as_deref(), Some("<p>àla</p>"));
        assert_eq!(item.guid, "CafÃ©-id");
    }
}
