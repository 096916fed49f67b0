//! Mailboxes that are files on this machine: a Maildir (marks sent as the `S` and `F`
//! letters of a file's name, new messages found by file name) and an mbox (read only,
//! read again when its size or time changed, one message at a time).

use super::{apply, gone_keys, parse_all, Done, MailError, Pushed, IMPORT_BATCH};
use crate::mail::{maildir, mbox};
use crate::store::{FlagChange, MailFlag, QueuedFlag, Store};
use std::collections::{HashMap, HashSet};
use std::path::Path;

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

pub(super) fn push_maildir(store: &mut Store, name: &str, dir: &Path) -> Result<Pushed, MailError> {
    let queue = store.mail_queue(name)?;
    if queue.is_empty() {
        return Ok(Pushed::default());
    }
    // Where each message is now: a read mark and a star on one message rename it twice.
    // A message in two files (`X:2,` beside `X:2,S`) takes no mark: which one would it be?
    let mut paths: HashMap<String, std::path::PathBuf> = HashMap::new();
    let mut twice: HashMap<String, String> = HashMap::new();
    for e in maildir::list(dir)? {
        if let Some(other) = paths.get(&e.key) {
            twice.insert(
                e.key.clone(),
                format!(
                    "{} and {} are one message; not renamed",
                    relative(dir, other),
                    relative(dir, &e.path)
                ),
            );
        }
        paths.insert(e.key, e.path);
    }
    let mut done = Vec::with_capacity(queue.len());
    let mut pushed = Pushed::default();
    for mark in queue {
        if let Some(why) = twice.get(&mark.key) {
            pushed.reason.get_or_insert_with(|| why.clone());
            pushed.refused.push(mark);
            continue;
        }
        // A message deleted there takes its mark with it.
        let Some(path) = paths.get_mut(&mark.key) else {
            done.push(mark);
            continue;
        };
        let letter = match mark.flag {
            MailFlag::Seen => 'S',
            MailFlag::Flagged => 'F',
        };
        match maildir::set_flag(path, letter, mark.on) {
            Ok(moved) => {
                *path = moved;
                done.push(QueuedFlag {
                    location: Some(relative(dir, path)),
                    ..mark
                })
            }
            // Moved by another mail client meanwhile: the next read finds it.
            Err(_) if !path.exists() => {}
            // Refused (a read-only folder, a name taken): said once, kept here only.
            Err(e) => {
                pushed.reason.get_or_insert(e.to_string());
                pushed.refused.push(mark);
            }
        }
    }
    store.mail_pushed(name, &done)?;
    pushed.sent = done.len();
    Ok(pushed)
}

pub(super) fn read_maildir(
    store: &mut Store,
    name: &str,
    dir: &Path,
    parts: Option<&Path>,
) -> Result<Done, MailError> {
    // A refused mark never stops the read: new mail comes all the same.
    let pushed = push_maildir(store, name, dir)?.settle(store)?;
    let entries = maildir::list(dir)?;
    let known = store.mail_known(name)?;
    let mut fresh = Vec::new();
    let mut changed = Vec::new();
    let mut present = HashSet::with_capacity(entries.len());
    for entry in entries {
        present.insert(entry.key.clone());
        let location = relative(dir, &entry.path);
        match known.get(&entry.key) {
            None => fresh.push((entry, location)),
            Some(k) if k.flags != entry.flags || k.location.as_deref() != Some(&location) => {
                changed.push(FlagChange {
                    key: entry.key,
                    location: Some(location),
                    flags: entry.flags,
                })
            }
            Some(_) => {}
        }
    }
    let gone = gone_keys(&known, &present);
    let mut done = apply(store, name, Vec::new(), &changed, &gone, pushed)?;
    let mut fresh = fresh.into_iter().peekable();
    while fresh.peek().is_some() {
        let batch: Vec<_> = fresh.by_ref().take(IMPORT_BATCH).collect();
        let new = parse_all(batch, parts, |(entry, location)| {
            let raw = crate::mail::read_message_file(&entry.path).ok();
            (entry.key, Some(location), entry.flags, raw)
        });
        done.add(apply(store, name, new, &[], &[], (0, None))?);
    }
    Ok(done)
}

/// An mbox is only read: marks made here stay here, and leave the queue.
pub(super) fn drop_marks(store: &mut Store, name: &str) -> Result<usize, MailError> {
    store.mail_drop_queue(name)?;
    Ok(0)
}

pub(super) fn read_mbox(
    store: &mut Store,
    name: &str,
    path: &Path,
    parts: Option<&Path>,
) -> Result<Done, MailError> {
    drop_marks(store, name)?;
    let stamp = mbox::stamp(path)?;
    let mut state = store.mailbox_state(name)?;
    if state.stamp.as_deref() == Some(stamp.as_str()) {
        return Ok(Done::default());
    }
    let known = store.mail_known(name)?;
    let mut present = HashSet::new();
    let mut fresh = Vec::new();
    let mut changed = Vec::new();
    let mut done = Done::default();
    let mut failed = None;
    let read =
        |(key, message): (String, mbox::Message)| (key, None, message.flags, Some(message.raw));
    // Only a batch of new messages is kept in memory.
    mbox::read_each(path, |message| {
        if failed.is_some() {
            return;
        }
        // The key is the message's own id (its place in the file changes as mail is
        // deleted), else a hash of its bytes (the same bytes twice are one message).
        let key = crate::mail::message_key(&message.raw)
            .unwrap_or_else(|| format!("h:{:016x}", xxhash_rust::xxh3::xxh3_64(&message.raw)));
        if !present.insert(key.clone()) {
            return;
        }
        match known.get(&key) {
            None => fresh.push((key, message)),
            Some(k) if k.flags != message.flags => changed.push(FlagChange {
                key,
                location: None,
                flags: message.flags,
            }),
            Some(_) => {}
        }
        if fresh.len() >= IMPORT_BATCH {
            let new = parse_all(std::mem::take(&mut fresh), parts, read);
            match apply(store, name, new, &[], &[], (0, None)) {
                Ok(more) => done.add(more),
                Err(e) => failed = Some(e),
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    let gone = gone_keys(&known, &present);
    let new = parse_all(fresh, parts, read);
    done.add(apply(store, name, new, &changed, &gone, (0, None))?);
    state.stamp = Some(stamp);
    store.set_mailbox_state(name, &state)?;
    Ok(done)
}
