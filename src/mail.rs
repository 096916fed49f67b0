//! Email newsletters (work in progress for #19, on a branch): one message as an article.
//! MIME, encoded words and charsets are `mail-parser`'s; the rest is what makes a
//! newsletter read like a bulletin: the list it came from as its feed (List-Id, else
//! the sender's address), the HTML part (else the text turned into paragraphs), the
//! unsubscribe and "view online" links, attachments as enclosures. Mail is hostile input
//! like feeds: every text goes through the same sanitiser.

pub mod maildir;

use crate::model::{Enclosure, ParsedItem};
use mail_parser::{MessageParser, MimeHeaders};

/// A message made an article, with the newsletter it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct MailArticle {
    /// The newsletter: its List-Id, else the sender's address (lower case).
    pub list: String,
    /// The newsletter's name: the List-Id's phrase, else the sender's name or address.
    pub list_name: String,
    pub item: ParsedItem,
    /// `List-Unsubscribe`'s web or mailto link.
    pub unsubscribe: Option<String>,
}

/// Reads one message (RFC 5322 bytes). None only for bytes with no headers at all.
pub fn parse(raw: &[u8]) -> Option<MailArticle> {
    let msg = MessageParser::default().parse(raw)?;
    let clean = crate::sanitize::clean_line;
    let from = msg.from().and_then(|a| a.first());
    let address = from
        .and_then(|a| a.address())
        .map(|a| a.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let sender = from
        .and_then(|a| a.name())
        .map(clean)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| address.clone());
    // List-Id: "Weekly Brief <brief.example.org>", read as text or as an address.
    let list_id = msg.list_id();
    let from_text = list_id.as_text().map(|id| {
        let key = id
            .rsplit_once('<')
            .map(|(_, k)| k.trim_end_matches('>').trim().to_ascii_lowercase())
            .unwrap_or_else(|| id.trim().to_ascii_lowercase());
        let phrase = id
            .split('<')
            .next()
            .map(|p| clean(p.trim_matches('"')))
            .unwrap_or_default();
        (key, phrase)
    });
    let from_address = list_id.as_address().and_then(|a| a.first()).and_then(|a| {
        let key = a.address()?.trim().to_ascii_lowercase();
        Some((key, a.name().map(clean).unwrap_or_default()))
    });
    let (list, list_name) = match from_text.or(from_address) {
        Some((key, phrase)) if !key.is_empty() => {
            let name = if phrase.is_empty() {
                sender.clone()
            } else {
                phrase
            };
            (key, name)
        }
        _ => (address.clone(), sender.clone()),
    };
    let title = msg
        .subject()
        .map(clean)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "(no subject)".into());
    let html = msg.body_html(0).map(|h| h.into_owned());
    let text = msg.body_text(0).map(|t| t.into_owned());
    let content = match (html, text) {
        (Some(h), _)
            if msg
                .html_body
                .iter()
                .any(|id| msg.part(*id).is_some_and(|p| p.is_text_html())) =>
        {
            h
        }
        (_, Some(t)) => paragraphs(&t),
        (Some(h), None) => h,
        (None, None) => String::new(),
    };
    let published = msg
        .date()
        .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0));
    let guid = msg
        .message_id()
        .map(|id| format!("mid:{}", clean(id)))
        .unwrap_or_else(|| {
            format!(
                "mail:{:016x}",
                xxhash_rust::xxh3::xxh3_64(
                    format!("{title}\u{0}{published:?}\u{0}{address}").as_bytes()
                )
            )
        });
    let enclosures = msg
        .attachments()
        .filter(|p| p.content_id().is_none() || p.attachment_name().is_some())
        .map(|p| {
            let name = p
                .attachment_name()
                .map(clean)
                .unwrap_or_else(|| "attachment".into());
            let mime = p.content_type().map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{sub}", ct.ctype()),
                None => ct.ctype().to_string(),
            });
            Enclosure {
                // An attachment has no address; its name stands in until mailboxes
                // keep attachments on disk.
                url: format!("attachment:{name}"),
                mime,
                length: Some(p.contents().len() as u64),
            }
        })
        .collect();
    let unsubscribe = msg
        .list_unsubscribe()
        .as_address()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .or_else(|| msg.list_unsubscribe().as_text())
        .and_then(|u| crate::links::web_link(u.trim_matches(['<', '>']), None));
    let link = view_online(&content);
    Some(MailArticle {
        list,
        list_name,
        unsubscribe,
        item: ParsedItem {
            guid,
            title,
            title_source: None,
            link,
            author: Some(sender).filter(|s| !s.is_empty()),
            published,
            updated: None,
            summary_html: None,
            content_html: Some(content),
            enclosures,
        },
    })
}

/// Plain text as HTML paragraphs (blank lines split them), escaped.
fn paragraphs(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            format!(
                "<p>{}</p>",
                html_escape::encode_text(p).replace('\n', "<br>")
            )
        })
        .collect()
}

/// The newsletter's "view in your browser" link, when its HTML has one.
fn view_online(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_fragment(html);
    let anchors = scraper::Selector::parse("a[href]").ok()?;
    doc.select(&anchors).find_map(|a| {
        let text: String = a.text().collect::<String>().to_lowercase();
        let online = text.contains("view")
            && (text.contains("browser") || text.contains("online") || text.contains("web"));
        online
            .then(|| a.value().attr("href"))
            .flatten()
            .and_then(|h| crate::links::web_link(h, None))
    })
}

#[cfg(test)]
#[path = "mail_tests.rs"]
mod tests;
