//! A mailbox read into the cache: the read marks and stars made here sent first
//! (Maildir: the `S` and `F` flags in the file's name; IMAP: `\Seen`, `\Flagged`),
//! then the new messages as articles of their newsletters, the flags changed there, and
//! the messages deleted there. Incremental: a Maildir by its file names, an mbox by its
//! size and time, an IMAP folder by UIDVALIDITY and UIDNEXT (and MODSEQ with
//! CONDSTORE). A message that cannot be read is said in the log and remembered, so that
//! it never stops the mailbox nor is read again.

use super::imap;
use super::MailError;
use crate::config::{Config, MailSource, MailboxConfig};
use crate::model::FeedId;
use crate::store::{FlagChange, KnownMessage, MailFlags, NewMessage, Store};
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod files;
mod folder;
use files::{drop_marks, push_maildir, read_maildir, read_mbox};
use folder::{push_imap, read_imap};

/// New messages are parsed and written this many at a time: a first import of a big
/// mailbox holds one batch in memory, not the mailbox, and each batch is its own
/// transaction.
pub(super) const IMPORT_BATCH: usize = 1000;

/// What reading the mailboxes did, as `refresh --json` prints it under "mail".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MailSummary {
    pub mailboxes: usize,
    pub new_items: usize,
    /// Read marks and stars made here that the mailboxes took.
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
                if let Err(e) = store.mailbox_read_ok(&mailbox.name, now()) {
                    tracing::warn!(mailbox = %mailbox.name, "{e}");
                }
                summary.new_items += done.new_items;
                summary.new_feeds += done.new_feeds;
                summary.pushed += done.pushed;
                if let Some(refused) = done.refused {
                    tracing::warn!(mailbox = %mailbox.name, "{refused}");
                    summary
                        .errors
                        .push(format!("mailbox {:?}: {refused}", mailbox.name));
                }
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
        // keep_days for newsletters, as for a feed's articles (never the starred).
        let now = now();
        let kept =
            store.drop_old_brought(crate::store::Brought::Mail, config.general.keep_days, now);
        if let Err(e) = kept {
            tracing::warn!("dropping old newsletters: {e}");
        }
        tracing::info!(
            mailboxes = summary.mailboxes,
            new = summary.new_items,
            failed = summary.errors.len(),
            "mailboxes read"
        );
    }
    summary
}

/// Sends the read marks and stars made here to every mailbox that has some waiting, and
/// reads nothing (the TUI's push a few seconds after a mark).
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
            MailSource::Mbox(_) => drop_marks(store, &mailbox.name).map(|sent| Pushed {
                sent,
                ..Pushed::default()
            }),
            MailSource::Imap(account) => imap::open(account).and_then(|mut folder| {
                let n = push_imap(store, &mailbox.name, &mut folder);
                folder.close();
                n
            }),
        };
        match pushed.and_then(|p| p.settle(store)) {
            Ok((n, refused)) => {
                summary.pushed += n;
                if let Some(refused) = refused {
                    summary
                        .errors
                        .push(format!("mailbox {:?}: {refused}", mailbox.name));
                }
            }
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
    /// Marks the mailbox refused (read only), said once and dropped from the queue.
    refused: Option<String>,
}

/// What a push of marks did: how many the mailbox took, and those it refused.
#[derive(Default)]
pub(super) struct Pushed {
    pub(super) sent: usize,
    pub(super) refused: Vec<crate::store::QueuedFlag>,
    pub(super) reason: Option<String>,
}

impl Pushed {
    /// Unqueues the refused marks (they stay marks here) and says why, in one line.
    pub(super) fn settle(self, store: &mut Store) -> Result<(usize, Option<String>), MailError> {
        if self.refused.is_empty() {
            return Ok((self.sent, None));
        }
        store.mail_refused(&self.refused)?;
        let n = self.refused.len();
        let s = if n == 1 { "" } else { "s" };
        Ok((
            self.sent,
            Some(format!(
                "{n} mark{s} refused ({}); kept here only",
                self.reason.unwrap_or_default()
            )),
        ))
    }
}

impl Done {
    pub(super) fn add(&mut self, more: Done) {
        self.new_items += more.new_items;
        self.new_feeds += more.new_feeds;
        self.pushed += more.pushed;
        self.refused = self.refused.take().or(more.refused);
    }
}

fn read_one(
    store: &mut Store,
    mailbox: &MailboxConfig,
    parts: Option<&Path>,
) -> Result<Done, MailError> {
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
    pushed: (usize, Option<String>),
) -> Result<Done, MailError> {
    let (pushed, refused) = pushed;
    if new.is_empty() && changed.is_empty() && gone.is_empty() {
        return Ok(Done {
            pushed,
            refused,
            ..Done::default()
        });
    }
    let applied = store.apply_mail(name, new, changed, gone, now())?;
    Ok(Done {
        new_items: applied.new_items,
        new_feeds: applied.new_feeds,
        pushed,
        refused,
    })
}
