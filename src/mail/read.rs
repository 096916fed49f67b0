//! A mailbox read into the cache: the read marks and stars made here sent first
//! (Maildir: the `S` and `F` flags in the file's name; IMAP: `\Seen`, `\Flagged`), then the new messages as articles of their
//! newsletters, the flags changed there, and the messages deleted there. Incremental:
//! a Maildir by its file names, an mbox by its size and time, an IMAP folder by
//! UIDVALIDITY and UIDNEXT (and MODSEQ with CONDSTORE). A message that cannot be read is
//! said in the log and remembered, so that it never stops the mailbox nor is read again.

use super::{imap, maildir, mbox};
use crate::config::{Config, MailSource, MailboxConfig};
use crate::model::FeedId;
use crate::store::{FlagChange, KnownMessage, MailFlag, MailFlags, NewMessage, QueuedFlag, Store};
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod folder;
use folder::{push_imap, read_imap};

/// New messages are parsed and written this many at a time: a first import of a big
/// mailbox holds one batch in memory, not the mailbox, and each batch is its own
/// transaction.
pub(super) const IMPORT_BATCH: usize = 1000;

/// The largest message file read whole (a 20 MB attachment is fine); a larger one is
/// read up to this size, which keeps its header and text.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What reading the mailboxes did, as `refresh --json` prints it under "mail".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MailSummary {
    pub mailboxes: usize,
    pub new_items: usize,
    /// Read marks made here that the mailboxes took.
    pub pushed: usize,
    /// One line per mailbox that failed, naming it.
    pub errors: Vec<String>,
    /// Newsletters seen for the first time (the feed list grows).
    #[serde(skip)]
    pub new_feeds: usize,
}

/// Reads the configured mailboxes (those with a feed among `only`, or all), each on its
/// own: one that fails is said in `errors` and the others go on.
pub fn read_all(store: &mut Store, config: &Config, only: Option<&[FeedId]>) -> MailSummary {
    let mut summary = MailSummary::default();
    let wanted: Option<HashSet<String>> = only.map(|ids| {
        store
            .mail_feeds()
            .unwrap_or_default()
            .into_iter()
            .filter(|f| ids.contains(&f.id))
            .map(|f| f.mailbox)
            .collect()
    });
    let parts = parts_dir(store);
    for mailbox in &config.mailboxes {
        if wanted.as_ref().is_some_and(|w| !w.contains(&mailbox.name)) {
            continue;
        }
        summary.mailboxes += 1;
        match read_one(store, mailbox, parts.as_deref()) {
            Ok(done) => {
                summary.new_items += done.new_items;
                summary.new_feeds += done.new_feeds;
                summary.pushed += done.pushed;
            }
            Err(e) => {
                tracing::warn!(mailbox = %mailbox.name, "mailbox failed: {e}");
                summary
                    .errors
                    .push(format!("mailbox {:?}: {e}", mailbox.name));
            }
        }
    }
    if summary.mailboxes > 0 {
        tracing::info!(
            mailboxes = summary.mailboxes,
            new = summary.new_items,
            failed = summary.errors.len(),
            "mailboxes read"
        );
    }
    summary
}

/// Sends the read marks made here to every mailbox that has some waiting, and reads
/// nothing (the TUI's push a few seconds after a mark).
pub fn push_all(store: &mut Store, config: &Config) -> MailSummary {
    let mut summary = MailSummary::default();
    if store.mail_queue_len().unwrap_or(0) == 0 {
        return summary;
    }
    for mailbox in &config.mailboxes {
        // A server is not asked when nothing waits for it.
        if store
            .mail_queue(&mailbox.name)
            .map(|q| q.is_empty())
            .unwrap_or(true)
        {
            continue;
        }
        let pushed = match &mailbox.source {
            MailSource::Maildir(dir) => push_maildir(store, &mailbox.name, dir),
            MailSource::Mbox(_) => drop_marks(store, &mailbox.name),
            MailSource::Imap(account) => imap::open(account).and_then(|mut folder| {
                let n = push_imap(store, &mailbox.name, &mut folder);
                folder.close();
                n
            }),
        };
        match pushed {
            Ok(n) => summary.pushed += n,
            Err(e) => summary
                .errors
                .push(format!("mailbox {:?}: {e}", mailbox.name)),
        }
    }
    summary
}

/// Where inline pictures go: beside the cache.
fn parts_dir(store: &Store) -> Option<std::path::PathBuf> {
    Some(store.path()?.parent()?.join(super::PARTS_DIR))
}

#[derive(Default)]
pub(super) struct Done {
    new_items: usize,
    new_feeds: usize,
    pushed: usize,
}

impl Done {
    pub(super) fn add(&mut self, more: Done) {
        self.new_items += more.new_items;
        self.new_feeds += more.new_feeds;
        self.pushed += more.pushed;
    }
}

fn read_one(
    store: &mut Store,
    mailbox: &MailboxConfig,
    parts: Option<&Path>,
) -> Result<Done, String> {
    match &mailbox.source {
        MailSource::Maildir(dir) => read_maildir(store, &mailbox.name, dir, parts),
        MailSource::Mbox(path) => read_mbox(store, &mailbox.name, path, parts),
        MailSource::Imap(account) => {
            let mut folder = imap::open(account)?;
            let done = read_imap(store, &mailbox.name, &mut folder, parts);
            folder.close();
            done
        }
    }
}

pub(super) fn cache_error(e: crate::store::StoreError) -> String {
    format!("cache: {e}")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Parses messages on every core: importing a big mailbox is parsing bound.
pub(super) fn parse_all<T: Send>(
    sources: Vec<T>,
    parts: Option<&Path>,
    read: impl Fn(T) -> (String, Option<String>, MailFlags, Option<Vec<u8>>) + Sync,
) -> Vec<NewMessage> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let chunk = sources.len().div_ceil(threads).max(1);
    let mut chunks: Vec<Vec<T>> = Vec::new();
    let mut sources = sources.into_iter().peekable();
    while sources.peek().is_some() {
        chunks.push(sources.by_ref().take(chunk).collect());
    }
    let read = &read;
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|source| {
                            let (key, location, flags, raw) = read(source);
                            let article = raw.as_deref().and_then(|r| super::parse(r, parts));
                            if article.is_none() {
                                tracing::warn!(key = %key, "message could not be read");
                            }
                            NewMessage {
                                key,
                                location,
                                flags,
                                article,
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The file's bytes, at most `MAX_FILE_BYTES`.
fn read_capped(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn push_maildir(store: &mut Store, name: &str, dir: &Path) -> Result<usize, String> {
    let queue = store.mail_queue(name).map_err(cache_error)?;
    if queue.is_empty() {
        return Ok(0);
    }
    // Where each message is now: a read mark and a star on one message rename it twice.
    let mut paths: HashMap<String, std::path::PathBuf> = maildir::list(dir)?
        .into_iter()
        .map(|e| (e.key, e.path))
        .collect();
    let mut done = Vec::with_capacity(queue.len());
    let mut first_error = None;
    for mark in queue {
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
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    store.mail_pushed(name, &done).map_err(cache_error)?;
    match first_error {
        Some(e) => Err(e),
        None => Ok(done.len()),
    }
}

fn read_maildir(
    store: &mut Store,
    name: &str,
    dir: &Path,
    parts: Option<&Path>,
) -> Result<Done, String> {
    let pushed = push_maildir(store, name, dir)?;
    let entries = maildir::list(dir)?;
    let known = store.mail_known(name).map_err(cache_error)?;
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
            let raw = read_capped(&entry.path);
            (entry.key, Some(location), entry.flags, raw)
        });
        done.add(apply(store, name, new, &[], &[], 0)?);
    }
    Ok(done)
}

pub(super) fn gone_keys(
    known: &HashMap<String, KnownMessage>,
    present: &HashSet<String>,
) -> Vec<String> {
    known
        .keys()
        .filter(|k| !present.contains(*k))
        .cloned()
        .collect()
}

pub(super) fn apply(
    store: &mut Store,
    name: &str,
    new: Vec<NewMessage>,
    changed: &[FlagChange],
    gone: &[String],
    pushed: usize,
) -> Result<Done, String> {
    if new.is_empty() && changed.is_empty() && gone.is_empty() {
        return Ok(Done {
            pushed,
            ..Done::default()
        });
    }
    let applied = store
        .apply_mail(name, new, changed, gone, now())
        .map_err(cache_error)?;
    Ok(Done {
        new_items: applied.new_items,
        new_feeds: applied.new_feeds,
        pushed,
    })
}

/// An mbox is only read: marks made here stay here, and leave the queue.
fn drop_marks(store: &mut Store, name: &str) -> Result<usize, String> {
    store.mail_drop_queue(name).map_err(cache_error)?;
    Ok(0)
}

fn read_mbox(
    store: &mut Store,
    name: &str,
    path: &Path,
    parts: Option<&Path>,
) -> Result<Done, String> {
    drop_marks(store, name)?;
    let stamp = mbox::stamp(path)?;
    let mut state = store.mailbox_state(name).map_err(cache_error)?;
    if state.stamp.as_deref() == Some(stamp.as_str()) {
        return Ok(Done::default());
    }
    let known = store.mail_known(name).map_err(cache_error)?;
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
        let key = super::message_key(&message.raw)
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
            match apply(store, name, new, &[], &[], 0) {
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
    done.add(apply(store, name, new, &changed, &gone, 0)?);
    state.stamp = Some(stamp);
    store.set_mailbox_state(name, &state).map_err(cache_error)?;
    Ok(done)
}
