//! An IMAP folder read into the cache: read marks sent as `\Seen` and stars as
//! `\Flagged`, then new messages from the last UIDNEXT, flags changed (since the last
//! MODSEQ where the server has CONDSTORE), and, when the count says some went, the UIDs
//! deleted there. A folder made anew (a new UIDVALIDITY) is read again; its articles are
//! found by their Message-ID.

use super::{apply, gone_keys, parse_all, Done, MailError, Pushed};
use crate::mail::imap;
use crate::store::{FlagChange, MailFlag, Store};
use std::collections::HashSet;
use std::path::Path;

pub(super) fn push_imap(
    store: &mut Store,
    name: &str,
    folder: &mut imap::Folder,
) -> Result<Pushed, MailError> {
    let queue = store.mail_queue(name)?;
    let mut pushed = Pushed::default();
    let mut done = Vec::with_capacity(queue.len());
    for flag in [MailFlag::Seen, MailFlag::Flagged] {
        for on in [true, false] {
            let marks: Vec<_> = queue
                .iter()
                .filter(|q| q.flag == flag && q.on == on)
                .cloned()
                .collect();
            let uids: Vec<u32> = marks.iter().filter_map(|q| q.key.parse().ok()).collect();
            if uids.is_empty() {
                done.extend(marks);
                continue;
            }
            match folder.set_flag(&uids, flag, on) {
                Ok(()) => done.extend(marks),
                // A read-only folder (or a NO to the STORE): these marks stay here.
                Err(imap::FlagError::Refused(e)) => {
                    pushed.reason.get_or_insert(e);
                    pushed.refused.extend(marks);
                }
                // The connection failed: everything stays queued for the next read.
                Err(imap::FlagError::Failed(e)) => {
                    store.mail_pushed(name, &done)?;
                    return Err(e);
                }
            }
        }
    }
    store.mail_pushed(name, &done)?;
    pushed.sent = done.len();
    Ok(pushed)
}

/// The most one IMAP read may take.
const READ_LIMIT: std::time::Duration = std::time::Duration::from_secs(55);

pub(super) fn read_imap(
    store: &mut Store,
    name: &str,
    folder: &mut imap::Folder,
    parts: Option<&Path>,
) -> Result<Done, MailError> {
    let mut state = store.mailbox_state(name)?;
    let made_anew = state.uidvalidity.is_some_and(|v| v != folder.uidvalidity);
    if made_anew {
        // The folder was made anew: its UIDs name other messages now.
        store.forget_mailbox_keys(name)?;
        state = Default::default();
    }
    // A refused mark never stops the read: new mail comes all the same.
    let pushed = push_imap(store, name, folder)?.settle(store)?;
    let known = store.mail_known(name)?;
    let known_uids: HashSet<u32> = known.keys().filter_map(|k| k.parse().ok()).collect();
    let mut done = Done::default();
    // One read takes at most READ_LIMIT: a slow server's big folder is read over several
    // refreshes, each batch kept as it comes (the next read skips the UIDs it has).
    let deadline = std::time::Instant::now() + READ_LIMIT;
    let new_count = folder.new_messages(state.uidnext.unwrap_or(1), &known_uids, |batch| {
        let new = parse_all(batch, parts, |f| {
            (f.uid.to_string(), None, f.flags, Some(f.raw))
        });
        done.add(apply(store, name, new, &[], &[], (0, None))?);
        if std::time::Instant::now() > deadline {
            return Err(MailError::Limit(READ_LIMIT.as_secs()));
        }
        Ok(())
    })?;
    // The flags of the messages known before this read (a first read has none).
    let flags = if known.is_empty() {
        Vec::new()
    } else {
        folder.flags(state.modseq)?
    };
    let changed: Vec<FlagChange> = flags
        .into_iter()
        .filter_map(|(uid, flags)| {
            let key = uid.to_string();
            let k = known.get(&key)?;
            (k.flags != flags).then_some(FlagChange {
                key,
                location: None,
                flags,
            })
        })
        .collect();
    // Only when the count says some message went: a search for every UID.
    let gone = if (folder.exists as usize) < known.len() + new_count {
        let present: HashSet<String> = folder.uids()?.iter().map(u32::to_string).collect();
        gone_keys(&known, &present)
    } else {
        Vec::new()
    };
    done.add(apply(store, name, Vec::new(), &changed, &gone, pushed)?);
    if made_anew {
        // Read whole again: an article no message names is gone there.
        store.drop_unlisted_mail_items(name)?;
    }
    store.set_mailbox_state(
        name,
        &crate::store::MailboxState {
            uidvalidity: Some(folder.uidvalidity),
            uidnext: Some(folder.uidnext),
            modseq: folder.modseq,
            stamp: None,
        },
    )?;
    Ok(done)
}
