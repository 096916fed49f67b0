//! mbox files (one file, messages after `From ` lines, as mutt and Thunderbird keep
//! them), split by `mail-parser`. bulletin only reads them: rewriting a file another
//! program appends to risks the mail in it, so read marks made here stay here. A
//! message's `Status: R` (or `X-Status`) says it was read there.

use super::MailError;
use crate::store::MailFlags;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// One message of the file, with whether it was read (and flagged) there.
#[derive(Debug)]
pub struct Message {
    pub raw: Vec<u8>,
    pub flags: MailFlags,
}

/// What tells whether the file changed since the last look: its size and time.
pub fn stamp(path: &Path) -> Result<String, MailError> {
    let meta = std::fs::metadata(path).map_err(|e| MailError::file(path, e))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(format!("{}:{modified}", meta.len()))
}

/// Hands every message of the file to `each`, in order, one at a time (an mbox can be
/// larger than memory wants), each cut to `MAX_MESSAGE_BYTES` as a Maildir's are (a
/// message of 300 MB keeps its header and the first 64 MiB; the rest is passed over,
/// never held). A read error ends it with an error naming the file.
///
/// The file is split here, not by the MIME crate, whose splitter holds each message
/// whole, but as it splits (so a message's bytes, and the key hashed from them, are the
/// same): a line starting `From ` starts a message, and `>From `, `>>From ` lose one `>`.
pub fn read_each(path: &Path, mut each: impl FnMut(Message)) -> Result<(), MailError> {
    let file = std::fs::File::open(path).map_err(|e| MailError::file(path, e))?;
    let cap = crate::mail::MAX_MESSAGE_BYTES as usize;
    let mut reader = BufReader::new(file);
    let mut chunk = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    let mut at_line_start = true;
    let mut full = false;
    let mut finish = |message: Option<Vec<u8>>| {
        if let Some(raw) = message {
            let flags = status_flags(&raw);
            each(Message { raw, flags });
        }
    };
    loop {
        chunk.clear();
        // A line at most this long at a time: a file of one 300 MB line is read in parts.
        let n = (&mut reader)
            .take(64 * 1024)
            .read_until(b'\n', &mut chunk)
            .map_err(|e| MailError::file(path, e))?;
        if n == 0 {
            break;
        }
        let line_start = at_line_start;
        at_line_start = chunk.ends_with(b"\n");
        if line_start && chunk.starts_with(b"From ") {
            finish(current.replace(Vec::new()));
            full = false;
            // The rest of a From line longer than a read is the same line.
            while !at_line_start {
                chunk.clear();
                let n = (&mut reader)
                    .take(64 * 1024)
                    .read_until(b'\n', &mut chunk)
                    .map_err(|e| MailError::file(path, e))?;
                at_line_start = n == 0 || chunk.ends_with(b"\n");
            }
            continue;
        }
        let Some(message) = current.as_mut() else {
            // Text before the first `From ` line is no message.
            continue;
        };
        let mut text: &[u8] = &chunk;
        if line_start && text.starts_with(b">") {
            let quoted = text.iter().take_while(|b| **b == b'>').count();
            if text[quoted..].starts_with(b"From ") {
                text = &text[1..];
            }
        }
        // Past the cap, nothing more of this message: what is kept is its beginning.
        if !full && message.len() + text.len() <= cap {
            message.extend_from_slice(text);
        } else {
            full = true;
        }
    }
    finish(current);
    Ok(())
}

#[cfg(test)]
fn read(path: &Path) -> Result<Vec<Message>, MailError> {
    let mut out = Vec::new();
    read_each(path, |m| out.push(m))?;
    Ok(out)
}

/// `Status: RO` and `X-Status: F` in the header block, as mutt writes them: R is read,
/// F flagged.
fn status_flags(raw: &[u8]) -> MailFlags {
    let header_end = memchr::memmem::find(raw, b"\n\n")
        .or_else(|| memchr::memmem::find(raw, b"\r\n\r\n"))
        .unwrap_or(raw.len());
    let mut flags = MailFlags::default();
    for line in raw[..header_end].split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.eq_ignore_ascii_case(b"status") {
            flags.seen |= value.contains(&b'R');
        } else if name.eq_ignore_ascii_case(b"x-status") {
            flags.flagged |= value.contains(&b'F');
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_mbox_splits_into_messages_with_their_status() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.mbox");
        std::fs::write(
            &path,
            "From a@x Mon Nov 30 08:00:00 2026\nSubject: one\nStatus: RO\n\nbody\n>From the quoted line\n\nFrom b@x Mon Nov 30 09:00:00 2026\nSubject: two\n\nStatus: R is in the body only\n",
        )
        .unwrap();
        let messages = super::read(&path).unwrap();
        assert_eq!(messages.len(), 2);
        assert!(messages[0].flags.seen);
        assert!(
            !messages[1].flags.seen,
            "a Status line in the body does not count"
        );
        let text = String::from_utf8_lossy(&messages[0].raw);
        assert!(text.contains("From the quoted line"), "{text}");
        let before = super::stamp(&path).unwrap();
        std::fs::write(
            &path,
            "From a@x Mon Nov 30 08:00:00 2026\nSubject: one\n\nx\n",
        )
        .unwrap();
        assert_ne!(super::stamp(&path).unwrap(), before);
        assert!(super::read(&dir.path().join("nope"))
            .unwrap_err()
            .to_string()
            .contains("nope"));
    }
}

#[cfg(test)]
mod cap_tests {
    /// Issue 27: a 300 MB message in an mbox took 926 MB to read (the cap applied to
    /// Maildir files only). Each message is cut to the cap as it is read, and the
    /// messages after it are read as ever. (A smaller cap would need a knob; 70 MB of
    /// one line shows the line is read in parts and cut.)
    #[test]
    fn a_message_over_the_cap_is_cut_and_the_next_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.mbox");
        let cap = crate::mail::MAX_MESSAGE_BYTES as usize;
        let mut text = b"From a@x Mon Nov 30 08:00:00 2026\nSubject: big\n\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', cap + 6 * 1024 * 1024));
        text.extend_from_slice(b"\n\nFrom b@x Mon Nov 30 09:00:00 2026\nSubject: after\n\nsmall\n");
        std::fs::write(&path, &text).unwrap();
        drop(text);
        let mut sizes = Vec::new();
        super::read_each(&path, |m| {
            sizes.push((m.raw.len(), m.raw.starts_with(b"Subject")))
        })
        .unwrap();
        assert_eq!(sizes.len(), 2);
        assert!(sizes[0].0 <= cap && sizes[0].1);
        assert_eq!(sizes[1], (b"Subject: after\n\nsmall\n".len(), true));
    }
}
