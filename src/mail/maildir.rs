//! Maildir as the Maildir specification has it: messages in `new/` (not yet seen by a
//! mail reader) and `cur/`, flags after `:2,` in the file name (`S` seen, `F` flagged).
//! Reading or starring a message here sets `S` or `F` the way mutt, neomutt and aerc
//! do, so that they agree.

use super::MailError;
use crate::store::MailFlags;
use std::path::{Path, PathBuf};

/// A message file and its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    /// The unique part of the name (before `:2,`): the message's key in the mailbox.
    pub key: String,
    pub flags: MailFlags,
}

/// A file name's unique part and its flags, as bytes: a name need not be UTF-8.
fn split_name(name: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memmem::rfind(name, b":2,") {
        Some(at) => (&name[..at], &name[at + 3..]),
        None => (name, b""),
    }
}

/// The unique part as the cache keys it: itself when it is UTF-8, else with each byte
/// that is not written `\xNN`, so that two names never share a key (a lossy conversion
/// made two names one, and the rename of one overwrote the other).
fn key_of(unique: &[u8]) -> String {
    let mut key = String::with_capacity(unique.len());
    for chunk in unique.utf8_chunks() {
        key.push_str(chunk.valid());
        for b in chunk.invalid() {
            key.push_str(&format!("\\x{b:02x}"));
        }
    }
    key
}

/// A file name from bytes, as the platform takes them.
fn os_name(bytes: Vec<u8>) -> Result<std::ffi::OsString, &'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Ok(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes)
            .map(Into::into)
            .map_err(|_| "a file name that is not Unicode")
    }
}

/// Every message of the Maildir at `dir` (new/ and cur/), in name order. A missing
/// folder is an error naming it.
pub fn list(dir: &Path) -> Result<Vec<Entry>, MailError> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        let folder = dir.join(sub);
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| MailError::file(&folder, format!("not a Maildir ({e})")))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.as_encoded_bytes();
            if name.starts_with(b".") {
                continue;
            }
            let (unique, flags) = split_name(name);
            out.push(Entry {
                key: key_of(unique),
                flags: MailFlags {
                    seen: sub == "cur" && flags.contains(&b'S'),
                    flagged: sub == "cur" && flags.contains(&b'F'),
                },
                path: entry.path(),
            });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// Marks a message seen (or not): the `S` flag in its name, in `cur/`, the other flags
/// kept in order. Returns where the file is now.
pub fn set_seen(path: &Path, seen: bool) -> Result<PathBuf, MailError> {
    set_flag(path, 'S', seen)
}

/// Sets or clears one flag letter (`S`, `F`) in a message's name, in `cur/`, the other
/// flags kept in order. Returns where the file is now.
pub fn set_flag(path: &Path, letter: char, on: bool) -> Result<PathBuf, MailError> {
    let name = path
        .file_name()
        .ok_or_else(|| MailError::file(path, "no file name"))?;
    let (unique, flags) = split_name(name.as_encoded_bytes());
    let letter = letter as u8;
    let mut flags: Vec<u8> = flags.iter().copied().filter(|c| *c != letter).collect();
    if on {
        flags.push(letter);
    }
    // The specification wants the flags in ASCII order.
    flags.sort_unstable();
    // The unique part byte for byte, whatever its encoding.
    let mut new_name = unique.to_vec();
    new_name.extend_from_slice(b":2,");
    new_name.extend_from_slice(&flags);
    let new_name = os_name(new_name).map_err(|e| MailError::file(path, e))?;
    let dir = path
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| MailError::file(path, "not in a Maildir"))?;
    let target = dir.join("cur").join(new_name);
    if target != path {
        move_without_replacing(path, &target)?;
    }
    Ok(target)
}

/// Renames `from` to `to` unless `to` exists: a link then an unlink, so that a file
/// already there (`X:2,` beside `X:2,S`, as some mail tools leave them) is never
/// replaced; the clash is reported and both files stay as they are.
fn move_without_replacing(from: &Path, to: &Path) -> Result<(), MailError> {
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from).map_err(|e| MailError::file(from, e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(MailError::Clash {
            path: from.display().to_string(),
            other: to.display().to_string(),
        }),
        // No hard links there (some network or FAT file systems): check, then rename.
        Err(_) if !to.exists() => std::fs::rename(from, to).map_err(|e| MailError::file(from, e)),
        Err(e) => Err(MailError::file(from, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_is_the_s_flag_in_cur_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(
            dir.path().join("new/1700000000.a.host"),
            "Subject: a\r\n\r\nx",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("cur/1700000001.b.host:2,FS"),
            "Subject: b\r\n\r\ny",
        )
        .unwrap();
        let found = super::list(dir.path()).unwrap();
        assert_eq!(
            found
                .iter()
                .map(|e| (e.key.as_str(), e.flags.seen))
                .collect::<Vec<_>>(),
            [("1700000000.a.host", false), ("1700000001.b.host", true)]
        );
        // Read here: into cur/ with S; unread again: S gone, F kept.
        let moved = set_seen(&found[0].path, true).unwrap();
        assert_eq!(moved, dir.path().join("cur/1700000000.a.host:2,S"));
        let back = set_seen(&found[1].path, false).unwrap();
        assert_eq!(back, dir.path().join("cur/1700000001.b.host:2,F"));
        assert!(super::list(dir.path())
            .unwrap()
            .iter()
            .all(|e| e.flags.seen == (e.key == "1700000000.a.host")));
        // F is flagged, the other letters stay.
        let flagged = set_flag(&dir.path().join("cur/1700000000.a.host:2,S"), 'F', true).unwrap();
        assert_eq!(flagged, dir.path().join("cur/1700000000.a.host:2,FS"));
        assert!(super::list(dir.path()).unwrap()[0].flags.flagged);
        assert!(super::list(&dir.path().join("nope"))
            .unwrap_err()
            .to_string()
            .contains("not a Maildir"));
    }

    /// Issue 27: a flag rename never replaces a file. `X:2,` beside `X:2,S` (what some
    /// mail tools leave): marking the first read would have overwritten the second.
    #[test]
    fn a_rename_onto_a_file_there_is_refused_and_both_stay() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let plain = dir.path().join("cur/1700000000.x.host:2,");
        let seen = dir.path().join("cur/1700000000.x.host:2,S");
        std::fs::write(&plain, "one").unwrap();
        std::fs::write(&seen, "two").unwrap();
        let err = set_flag(&plain, 'S', true).unwrap_err().to_string();
        assert!(err.contains("already there"), "{err}");
        assert_eq!(std::fs::read_to_string(&plain).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&seen).unwrap(), "two");
        let err = set_flag(&seen, 'S', false).unwrap_err().to_string();
        assert!(err.contains("already there"), "{err}");
    }

    /// Issue 27: names that are not UTF-8 keep their bytes through a rename, and two
    /// that a lossy conversion would make one stay two.
    #[cfg(unix)]
    #[test]
    fn names_are_bytes_never_a_lossy_conversion() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let name = |b: &[u8]| std::ffi::OsStr::from_bytes(b).to_os_string();
        let a = dir.path().join("cur").join(name(b"17.a\xff.host:2,"));
        let b = dir.path().join("cur").join(name(b"17.a\xfe.host:2,"));
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        let listed = list(dir.path()).unwrap();
        assert_eq!(listed.len(), 2);
        assert_ne!(listed[0].key, listed[1].key);
        let moved = set_flag(&a, 'S', true).unwrap();
        assert_eq!(moved.file_name().unwrap().as_bytes(), b"17.a\xff.host:2,S");
        assert_eq!(std::fs::read_to_string(&moved).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "b");
    }
}
