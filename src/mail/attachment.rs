//! Saving a newsletter's attachment: the message is read again from the mailbox that
//! holds it (a Maildir file found by its key, the mbox message with its key, the IMAP
//! message by its UID), the attachment taken out of it, and written under a safe name,
//! never over a file. The cache keeps no attachment: mail can be big.

use super::MailError;
use crate::config::{MailSource, MailboxConfig};
use crate::model::ItemId;
use crate::store::Store;
use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};

/// Why an attachment was not saved.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    #[error("{0}")]
    Mail(#[from] MailError),
    #[error("the message is no longer in any mailbox configured (moved or deleted there)")]
    NoMessage,
    #[error("the message has no attachment {0:?} now")]
    NoAttachment(String),
    #[error("{path}: {reason}")]
    Write { path: String, reason: String },
}

/// Writes the attachment named `name` (as the article lists it; the `nth` of that name,
/// from 0) of the message behind `item` into `dir`. Returns the file written.
pub fn save(
    store: &Store,
    mailboxes: &[MailboxConfig],
    item: ItemId,
    name: &str,
    nth: usize,
    dir: &Path,
) -> Result<PathBuf, AttachmentError> {
    let raw = raw_message(store, mailboxes, item)?;
    let bytes = attachment(&raw, name, nth)
        .ok_or_else(|| AttachmentError::NoAttachment(name.to_string()))?;
    crate::export::save_bytes(dir, name, &bytes).map_err(|e| AttachmentError::Write {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })
}

/// The message behind an article, from the first configured mailbox that has it.
pub fn raw_message(
    store: &Store,
    mailboxes: &[MailboxConfig],
    item: ItemId,
) -> Result<Vec<u8>, AttachmentError> {
    let mut last_error = None;
    for (mailbox, key) in store.mail_keys_of(item).map_err(MailError::from)? {
        let Some(source) = mailboxes
            .iter()
            .find(|m| m.name == mailbox)
            .map(|m| &m.source)
        else {
            continue;
        };
        match read(source, &key) {
            Ok(Some(raw)) => return Ok(raw),
            Ok(None) => {}
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.map_or(AttachmentError::NoMessage, AttachmentError::Mail))
}

/// The message of `key` in a mailbox, None when it is not there.
fn read(source: &MailSource, key: &str) -> Result<Option<Vec<u8>>, MailError> {
    match source {
        MailSource::Maildir(dir) => {
            let dir = crate::paths::expand_home(dir);
            // Its file moves as its flags change: found by its key, now.
            let Some(entry) = super::maildir::list(&dir)?
                .into_iter()
                .find(|e| e.key == key)
            else {
                return Ok(None);
            };
            super::read_message_file(&entry.path)
                .map(Some)
                .map_err(|e| MailError::file(&entry.path, e))
        }
        MailSource::Mbox(path) => {
            let path = crate::paths::expand_home(path);
            let mut found = None;
            super::mbox::read_each(&path, |m| {
                if found.is_none() && super::message_key(&m.raw).as_deref() == Some(key) {
                    found = Some(m.raw);
                }
            })?;
            Ok(found)
        }
        MailSource::Imap(account) => {
            let Ok(uid) = key.parse::<u32>() else {
                return Ok(None);
            };
            let mut folder = super::imap::open(account)?;
            let raw = folder.message(uid);
            folder.close();
            raw
        }
    }
}

/// Saves the article's enclosure `index` when it is an attachment of its message: Some
/// (what happened), None when the enclosure is no attachment (a web address).
pub fn save_enclosure(
    store: &Store,
    mailboxes: &[MailboxConfig],
    item: &crate::model::Item,
    index: usize,
    dir: &Path,
) -> Option<Result<PathBuf, AttachmentError>> {
    let url = &item.enclosures.get(index)?.url;
    let name = url.strip_prefix(crate::model::ATTACHMENT_SCHEME)?;
    // The same name twice in one message: the how-manyeth of that name it is.
    let nth = item.enclosures[..index]
        .iter()
        .filter(|e| &e.url == url)
        .count();
    Some(save(store, mailboxes, item.id, name, nth, dir))
}

/// The bytes of the `nth` attachment called `name` (as `attachments_of` names them).
pub fn attachment(raw: &[u8], name: &str, nth: usize) -> Option<Vec<u8>> {
    let msg = MessageParser::default().parse(raw)?;
    let bytes = msg
        .attachments()
        .filter(|p| {
            let named = p
                .attachment_name()
                .map(crate::sanitize::clean_line)
                .unwrap_or_else(|| "attachment".into());
            named == name
        })
        .nth(nth)
        .map(|p| p.contents().to_vec());
    bytes
}
