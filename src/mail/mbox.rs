//! mbox files (one file, messages after `From ` lines, as mutt and Thunderbird keep
//! them), split by `mail-parser`. bulletin only reads them: rewriting a file another
//! program appends to risks the mail in it, so read marks made here stay here. A
//! message's `Status: R` (or `X-Status`) says it was read there.

use crate::store::MailFlags;
use std::io::BufReader;
use std::path::Path;

/// One message of the file, with whether it was read (and flagged) there.
#[derive(Debug)]
pub struct Message {
    pub raw: Vec<u8>,
    pub flags: MailFlags,
}

/// What tells whether the file changed since the last look: its size and time.
pub fn stamp(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(format!("{}:{modified}", meta.len()))
}

/// Hands every message of the file to `each`, in order, one at a time (an mbox can be
/// larger than memory wants). A read error ends it with an error naming the file.
pub fn read_each(path: &Path, mut each: impl FnMut(Message)) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    for message in mail_parser::mailbox::mbox::MessageIterator::new(BufReader::new(file)) {
        let message = message.map_err(|e| format!("{}: {e}", path.display()))?;
        let raw = message.unwrap_contents();
        let flags = status_flags(&raw);
        each(Message { raw, flags });
    }
    Ok(())
}

#[cfg(test)]
fn read(path: &Path) -> Result<Vec<Message>, String> {
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
            .contains("nope"));
    }
}
