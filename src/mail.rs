//! Email newsletters: one message as an article. MIME, encoded words and charsets are
//! `mail-parser`'s; the rest is what makes a newsletter read like a bulletin: the list it
//! came from as its feed (List-Id, else the sender's address), the HTML part (else the
//! text turned into paragraphs), the unsubscribe and "view online" links, inline
//! pictures (`cid:`) saved beside the cache, attachments as enclosures. Mail is hostile
//! input like feeds: every text goes through the same sanitiser, and the reader shows
//! no picture from the web unless the mailbox allows it.
//!
//! Where messages come from: `maildir`, `mbox` and `imap`; `read` brings a mailbox's
//! new messages and flags into the cache and sends the read marks made here back.

pub mod attachment;
pub mod imap;
mod links;
pub mod maildir;
pub mod mbox;
pub mod read;

use crate::model::{Enclosure, MailArticle, ParsedItem};
use links::{angle_links, paragraphs, unsubscribe_link, view_online};
use mail_parser::{MessageParser, MimeHeaders};

/// The folder (beside the cache) that keeps messages' inline pictures.
pub const PARTS_DIR: &str = "mail-parts";

/// Whether a picture's address is a message's inline part as `parse` saved it: a file
/// straight inside a `mail-parts` folder, named by its hash.
pub fn is_inline_part(url: &str) -> bool {
    let Ok(path) = url::Url::parse(url).and_then(|u| {
        u.to_file_path()
            .map_err(|_| url::ParseError::RelativeUrlWithoutBase)
    }) else {
        return false;
    };
    let named = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() == 16 && n.bytes().all(|b| b.is_ascii_hexdigit()));
    named
        && path.parent().and_then(|p| p.file_name()) == Some(std::ffi::OsStr::new(PARTS_DIR))
        && path
            .components()
            .all(|c| !matches!(c, std::path::Component::ParentDir))
}

/// The key of a message in a mailbox without keys of its own (mbox): its Message-ID,
/// read from the header alone.
pub fn message_key(raw: &[u8]) -> Option<String> {
    let headers = MessageParser::default().parse_headers(raw)?;
    headers
        .message_id()
        .map(|id| format!("mid:{}", crate::sanitize::clean_line(id)))
}

/// What went wrong reading a mailbox or sending it marks, in one line naming where.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A file or folder of a Maildir or an mbox, and what the system said.
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    /// The IMAP server (host:port), or the way to it, and what it said.
    #[error("{server}: {reason}")]
    Server { server: String, reason: String },
    /// A Maildir file would be renamed onto one that is there.
    #[error("{path}: not renamed: {other} is already there (two copies of one message?)")]
    Clash { path: String, other: String },
    /// The password could not be had.
    #[error("{0}")]
    Password(String),
    /// The read ran out of its time.
    #[error(
        "stopped at the read's limit of {0} s; what came is kept, the rest comes at the next read"
    )]
    Limit(u64),
    #[error("cache: {0}")]
    Cache(#[from] crate::store::StoreError),
}

impl MailError {
    pub fn file(path: &std::path::Path, reason: impl std::fmt::Display) -> MailError {
        MailError::File {
            path: path.display().to_string(),
            reason: crate::sanitize::clean_line(&reason.to_string()),
        }
    }

    pub fn server(server: &str, reason: impl std::fmt::Display) -> MailError {
        MailError::Server {
            server: server.to_string(),
            reason: crate::sanitize::clean_line(&reason.to_string()),
        }
    }
}

/// Reads one message (RFC 5322 bytes). None for bytes that are not a message (no From,
/// Subject, Date or Message-ID), and for one the MIME parser fails on. With `parts` (a
/// `mail-parts` folder), inline pictures are saved there and the HTML points at them.
pub fn parse(raw: &[u8], parts: Option<&std::path::Path>) -> Option<MailArticle> {
    // As for feeds (parse::parse_feed), the last line of defence: nothing in a message
    // takes the process down, or a whole batch of messages with it.
    std::panic::catch_unwind(|| parse_unguarded(raw, parts)).unwrap_or(None)
}

/// The bytes of a message file, at most 64 MiB (a larger one keeps its header and
/// text); `bulletin probe` and the Maildir reader both read messages this way.
pub fn read_message_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_MESSAGE_BYTES)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The largest message read whole (a 20 MB attachment is fine).
pub const MAX_MESSAGE_BYTES: u64 = 64 * 1024 * 1024;

/// `text` cut to at most `max` bytes, at a character's start.
fn at_most(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn parse_unguarded(raw: &[u8], parts: Option<&std::path::Path>) -> Option<MailArticle> {
    let msg = MessageParser::default().parse(raw)?;
    // Bytes with none of a message's headers are not a message (mail-parser reads
    // anything as one).
    if msg.from().is_none()
        && msg.subject().is_none()
        && msg.date().is_none()
        && msg.message_id().is_none()
    {
        return None;
    }
    let clean = crate::sanitize::clean_line;
    let Sender {
        address,
        name: sender,
        list,
        list_name,
    } = sender_of(&msg);
    let title = msg
        .subject()
        .map(clean)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "(no subject)".into());
    // The HTML part when there is one, else the text made paragraphs: one of them is
    // decoded, not both (the crate makes HTML of a text body, a copy of a big message),
    // and no more of it than the reader lays out, twice over.
    let has_html = msg
        .html_body
        .iter()
        .any(|id| msg.part(*id).is_some_and(|p| p.is_text_html()));
    let content = if has_html {
        msg.body_html(0).map(|h| h.into_owned()).unwrap_or_default()
    } else {
        match msg.body_text(0) {
            Some(t) => paragraphs(at_most(&t, 2 * crate::render::MAX_RENDERED)),
            None => msg.body_html(0).map(|h| h.into_owned()).unwrap_or_default(),
        }
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
                    format!(
                        "{title}\u{0}{}\u{0}{address}",
                        published.map_or(0, |d| d.timestamp())
                    )
                    .as_bytes()
                )
            )
        });
    let enclosures = attachments_of(&msg, &content);
    let unsubscribe = unsubscribe_link(&msg);
    let content = match parts {
        Some(dir) => inline_parts(&msg, &guid, content, dir),
        None => content,
    };
    // The message's own web page: Archived-At (RFC 5064) where the list gives one, else
    // the "view in your browser" link of its HTML.
    let link = msg
        .header_raw("Archived-At")
        .and_then(|raw| angle_links(raw).find_map(|u| crate::links::web_link(&u, None)))
        .filter(|u| u.starts_with("http"))
        .or_else(|| view_online(&content));
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
            guid_local: false,
        },
    })
}

/// The message's attachments, as enclosures; parts its HTML shows (cid:) are pictures
/// of the message, not attachments.
fn attachments_of(msg: &mail_parser::Message<'_>, content: &str) -> Vec<Enclosure> {
    let clean = crate::sanitize::clean_line;
    let shown = |p: &mail_parser::MessagePart<'_>| {
        p.content_id()
            .map(|id| id.trim_matches(['<', '>']))
            .is_some_and(|id| !id.is_empty() && content.contains(&format!("cid:{id}")))
    };
    msg.attachments()
        .filter(|p| !shown(p))
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
                // An attachment has no address; its name stands in (the reader lists
                // it, the download queue says to save it from the mail client).
                url: format!("{}{name}", crate::model::ATTACHMENT_SCHEME),
                mime,
                length: Some(p.contents().len() as u64),
            }
        })
        .collect()
}

/// Who sent a message, and the newsletter it belongs to.
struct Sender {
    /// The sender's address (lower case), else the From header's text.
    address: String,
    /// The sender's name, else the address.
    name: String,
    /// The newsletter: its List-Id, else the sender's address.
    list: String,
    /// The newsletter's name: the List-Id's phrase, else the sender's name.
    list_name: String,
}

fn sender_of(msg: &mail_parser::Message<'_>) -> Sender {
    let clean = crate::sanitize::clean_line;
    let from = msg.from().and_then(|a| a.first());
    // A From that is no address ("alice at example.org (Alice)", as list archives write
    // it) still names a sender: its text.
    let address = from
        .and_then(|a| a.address())
        .map(|a| clean(a.trim()).to_lowercase())
        .filter(|a| !a.is_empty())
        .or_else(|| {
            msg.header_raw("From")
                .map(|raw| clean(raw.trim()).to_lowercase())
                .filter(|a| !a.is_empty())
        })
        .unwrap_or_else(|| "(no sender)".into());
    let sender = from
        .and_then(|a| a.name())
        .map(clean)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| address.clone());
    // List-Id: "Weekly Brief <brief.example.org>", read as text or as an address.
    let list_id = msg.list_id();
    let from_text = list_id.as_text().map(|id| {
        // The key names the list's feed (`mail:BOX/KEY`), which `feeds` prints: it is the
        // sender's text, so cleaned like every other.
        let key = id
            .rsplit_once('<')
            .map(|(_, k)| clean(k.trim_end_matches('>').trim()).to_ascii_lowercase())
            .unwrap_or_else(|| clean(id.trim()).to_ascii_lowercase());
        let phrase = id
            .split('<')
            .next()
            .map(|p| clean(p.trim_matches('"')))
            .unwrap_or_default();
        (key, phrase)
    });
    let from_address = list_id.as_address().and_then(|a| a.first()).and_then(|a| {
        let key = clean(a.address()?.trim()).to_ascii_lowercase();
        Some((key, a.name().map(clean).unwrap_or_default()))
    });
    let (list, list_name) = match from_text.or(from_address) {
        Some((key, phrase)) if !key.is_empty() => {
            // Mailing services name lists by an id ("0a1b2c3d4e5f6a7b8c9dmc list"): the
            // sender's name reads better.
            let name = if phrase.is_empty() || machine_made(&phrase) {
                sender.clone()
            } else {
                phrase
            };
            (key, name)
        }
        _ => (address.clone(), sender.clone()),
    };
    Sender {
        address,
        name: sender,
        list,
        list_name,
    }
}

/// A phrase with an id in it: a word of 16 or more letters and digits, digits among them.
fn machine_made(phrase: &str) -> bool {
    phrase.split_whitespace().any(|w| {
        w.len() >= 16
            && w.chars().all(|c| c.is_ascii_alphanumeric())
            && w.chars().any(|c| c.is_ascii_digit())
    })
}

/// Saves the message's `cid:` pictures in `dir` (named by a hash of the message and the
/// part, so a message read twice writes nothing new) and points the HTML at them.
fn inline_parts(
    msg: &mail_parser::Message<'_>,
    guid: &str,
    mut html: String,
    dir: &std::path::Path,
) -> String {
    if !html.contains("cid:") {
        return html;
    }
    for part in msg.parts.iter() {
        let (Some(cid), Some(ct)) = (part.content_id(), part.content_type()) else {
            continue;
        };
        if !ct.ctype().eq_ignore_ascii_case("image") {
            continue;
        }
        let cid = cid.trim_matches(['<', '>']);
        let reference = format!("cid:{cid}");
        // The same cap as a picture from the web.
        let too_large = part.contents().len() as u64 > crate::imagecache::MAX_BYTES;
        if cid.is_empty() || too_large || !html.contains(&reference) {
            continue;
        }
        let name = format!(
            "{:016x}",
            xxhash_rust::xxh3::xxh3_64(format!("{guid}\u{0}{cid}").as_bytes())
        );
        let path = dir.join(&name);
        let saved = path.exists()
            || (std::fs::create_dir_all(dir).is_ok()
                && std::fs::write(&path, part.contents()).is_ok());
        if !saved {
            continue;
        }
        if let Ok(url) = url::Url::from_file_path(&path) {
            html = html.replace(&reference, url.as_str());
        }
    }
    html
}

#[cfg(test)]
#[path = "mail_tests.rs"]
mod tests;
