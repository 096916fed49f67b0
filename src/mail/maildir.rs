//! Maildir as the Maildir specification has it: messages in `new/` (not yet seen by a
//! mail reader) and `cur/`, flags after `:2,` in the file name (`S` seen, `F` flagged).
//! Reading or starring a message here sets `S` or `F` the way mutt, neomutt and aerc
//! do, so that they agree.

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

fn split_name(name: &str) -> (&str, &str) {
    match name.rsplit_once(":2,") {
        Some((key, flags)) => (key, flags),
        None => (name, ""),
    }
}

/// Every message of the Maildir at `dir` (new/ and cur/), in name order. A missing
/// folder is an error naming it.
pub fn list(dir: &Path) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        let folder = dir.join(sub);
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| format!("{}: not a Maildir ({e})", folder.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let (key, flags) = split_name(&name);
            out.push(Entry {
                key: key.to_string(),
                flags: MailFlags {
                    seen: sub == "cur" && flags.contains('S'),
                    flagged: sub == "cur" && flags.contains('F'),
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
pub fn set_seen(path: &Path, seen: bool) -> Result<PathBuf, String> {
    set_flag(path, 'S', seen)
}

/// Sets or clears one flag letter (`S`, `F`) in a message's name, in `cur/`, the other
/// flags kept in order. Returns where the file is now.
pub fn set_flag(path: &Path, letter: char, on: bool) -> Result<PathBuf, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{}: no file name", path.display()))?;
    let (key, flags) = split_name(&name);
    let mut flags: Vec<char> = flags.chars().filter(|c| *c != letter).collect();
    if on {
        flags.push(letter);
    }
    // The specification wants the flags in ASCII order.
    flags.sort_unstable();
    let dir = path
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("{}: not in a Maildir", path.display()))?;
    let target = dir
        .join("cur")
        .join(format!("{key}:2,{}", flags.into_iter().collect::<String>()));
    if target != path {
        move_without_replacing(path, &target)?;
    }
    Ok(target)
}

/// Renames `from` to `to` unless `to` exists: a link then an unlink, so that a file
/// already there (`X:2,` beside `X:2,S`, as some mail tools leave them) is never
/// replaced; the clash is reported and both files stay as they are.
fn move_without_replacing(from: &Path, to: &Path) -> Result<(), String> {
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from).map_err(|e| format!("{}: {e}", from.display())),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(format!(
            "{}: not renamed: {} is already there (two copies of one message?)",
            from.display(),
            to.display()
        )),
        // No hard links there (some network or FAT file systems): check, then rename.
        Err(_) if !to.exists() => {
            std::fs::rename(from, to).map_err(|e| format!("{}: {e}", from.display()))
        }
        Err(e) => Err(format!("{}: {e}", from.display())),
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
            .contains("not a Maildir"));
    }
}
