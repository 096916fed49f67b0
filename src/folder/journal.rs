//! The files in the sync folder: one JSON object per line, so that a file cut while a
//! sync tool copies it loses at most its last line, and git can merge them line by line
//! (`merge=union`). Each device appends only to its own journal and writes its own
//! snapshots (a new file, then a rename); every device reads every file, conflict
//! copies included: merging is idempotent, so a line read twice changes nothing.

use super::clock::Stamp;
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The journal format this bulletin writes and reads. A file of a newer one is refused
/// in one line rather than half understood; new fields and line kinds in the same
/// format are ignored.
pub const FORMAT: u32 = 1;

/// One line of a journal or snapshot, as written (read by [`parse`] and [`parse_mark`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Line {
    /// The first line of every file: its format, and who writes it.
    Journal {
        format: u32,
        device: String,
        #[serde(default)]
        name: String,
    },
    /// A read or star state of one article, as every device names it: the feed's URL
    /// as configured (`mail:` for newsletters) and the article's own id there.
    Mark {
        at: Stamp,
        device: String,
        feed: String,
        item: String,
        kind: Kind,
        value: bool,
    },
    /// A subscription: in the config or not, with its name and tags.
    Feed {
        at: Stamp,
        device: String,
        url: String,
        present: bool,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
    },
    /// A kind of line a later bulletin writes: skipped.
    Other,
}

impl From<&crate::store::FolderMark> for Line {
    fn from(m: &crate::store::FolderMark) -> Line {
        Line::Mark {
            at: m.at,
            device: m.device.clone(),
            feed: m.feed.clone(),
            item: m.item.clone(),
            kind: m.kind,
            value: m.value,
        }
    }
}

impl From<&crate::store::FolderFeed> for Line {
    fn from(f: &crate::store::FolderFeed) -> Line {
        Line::Feed {
            at: f.at,
            device: f.device.clone(),
            url: f.url.clone(),
            present: f.present,
            name: f.name.clone(),
            tags: f.tags.clone(),
        }
    }
}

pub use crate::model::MarkKind as Kind;

/// Whether a file in the folder is one of ours to read: a journal or a snapshot, or a
/// sync tool's conflict copy of one (`x.sync-conflict-20261203-101010-ABC.journal`,
/// `x (host's conflicted copy 2026-12-03).journal`); never a file being written.
pub fn is_ours(name: &str) -> bool {
    !name.starts_with('.')
        && !name.ends_with(".tmp")
        && (name.ends_with(".journal") || name.ends_with(".snapshot"))
}

/// The new complete lines of a file from byte `offset` on: (the lines, the offset after
/// the last complete one). A last line without its newline is still being written or
/// copied: it waits for the next read.
pub fn read_from(path: &Path, offset: u64) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let complete = bytes
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at + 1);
    bytes.truncate(complete);
    // A line that is not UTF-8 is a broken one, skipped like any other.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok((text, offset + complete as u64))
}

/// A line's fields, all optional: read flat, without the buffering an internally
/// tagged enum costs (a million lines are read at a device's first sync).
#[derive(Deserialize)]
struct Flat {
    t: String,
    format: Option<u32>,
    at: Option<Stamp>,
    device: Option<String>,
    name: Option<String>,
    feed: Option<String>,
    item: Option<String>,
    kind: Option<String>,
    value: Option<bool>,
    url: Option<String>,
    present: Option<bool>,
    tags: Option<Vec<String>>,
}

/// A mark line as read, borrowing from the file's text where it can (no allocation for
/// the marks a device skips: those of feeds it does not have).
pub struct MarkRef<'a> {
    pub at: Stamp,
    pub device: std::borrow::Cow<'a, str>,
    pub feed: std::borrow::Cow<'a, str>,
    pub item: std::borrow::Cow<'a, str>,
    pub kind: Kind,
    pub value: bool,
}

#[derive(Deserialize)]
struct FlatMark<'a> {
    t: &'a str,
    at: Stamp,
    #[serde(borrow)]
    device: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    feed: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    item: std::borrow::Cow<'a, str>,
    kind: &'a str,
    value: bool,
}

/// A mark line, read fast; None for any other line (then [`parse`] reads it).
pub fn parse_mark(line: &str) -> Option<MarkRef<'_>> {
    let flat: FlatMark = serde_json::from_str(line.trim()).ok()?;
    if flat.t != "mark" {
        return None;
    }
    Some(MarkRef {
        at: flat.at,
        device: flat.device,
        feed: flat.feed,
        item: flat.item,
        kind: Kind::parse(flat.kind)?,
        value: flat.value,
    })
}

/// Parses one line; None for a blank, cut or foreign one (skipped, never fatal).
pub fn parse(line: &str) -> Option<Line> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let flat: Flat = serde_json::from_str(line).ok()?;
    Some(match flat.t.as_str() {
        "journal" => Line::Journal {
            format: flat.format?,
            device: flat.device?,
            name: flat.name.unwrap_or_default(),
        },
        "mark" => Line::Mark {
            at: flat.at?,
            device: flat.device?,
            feed: flat.feed?,
            item: flat.item?,
            kind: Kind::parse(&flat.kind?)?,
            value: flat.value?,
        },
        "feed" => Line::Feed {
            at: flat.at?,
            device: flat.device?,
            url: flat.url?,
            present: flat.present?,
            name: flat.name,
            tags: flat.tags.unwrap_or_default(),
        },
        _ => Line::Other,
    })
}

/// Appends `lines` to the journal at `path` (made with its header when new), and waits
/// until they are on disk. A last line left cut by a crash is ended first, so the new
/// lines start on their own.
pub fn append(path: &Path, header: &Line, lines: &[Line]) -> std::io::Result<()> {
    let mut text = String::new();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        text.push_str(&to_line(header));
    } else {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            text.push('\n');
        }
    }
    for line in lines {
        text.push_str(&to_line(line));
    }
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

/// Writes a whole file at `path` by way of a temporary one and a rename: a reader sees
/// the old file or the new one, never half of one.
pub fn write_whole(path: &Path, header: &Line, lines: &[Line]) -> std::io::Result<()> {
    let tmp = tmp_path(path);
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        file.write_all(to_line(header).as_bytes())?;
        for line in lines {
            file.write_all(to_line(line).as_bytes())?;
        }
        file.flush()?;
        file.get_ref().sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

fn to_line(line: &Line) -> String {
    // Serialising our own enum of strings, numbers and booleans cannot fail.
    let mut text = serde_json::to_string(line).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_back_unknown_fields_and_kinds_are_skipped() {
        let mark = Line::Mark {
            at: Stamp(1_733_220_000_123, 2),
            device: "a1".into(),
            feed: "https://example.org/feed".into(),
            item: "guid-1".into(),
            kind: Kind::Read,
            value: true,
        };
        let text = to_line(&mark);
        assert_eq!(parse(&text), Some(mark.clone()));
        // A later bulletin's extra field, and a kind of line it added.
        let newer = text
            .trim_end()
            .replace("\"value\":true", "\"value\":true,\"why\":\"x\"");
        assert_eq!(parse(&newer), Some(mark));
        assert_eq!(parse(r#"{"t":"folder-rename","x":1}"#), Some(Line::Other));
        assert_eq!(parse(r#"{"t":"mark","at":[1,0],"dev"#), None);
        assert_eq!(parse("  "), None);
    }

    #[test]
    fn a_cut_last_line_waits_and_an_append_after_a_crash_starts_clean() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.journal");
        let header = Line::Journal {
            format: FORMAT,
            device: "a".into(),
            name: "laptop".into(),
        };
        let feed = Line::Feed {
            at: Stamp(1, 0),
            device: "a".into(),
            url: "https://example.org/f".into(),
            present: true,
            name: None,
            tags: vec![],
        };
        append(&path, &header, std::slice::from_ref(&feed)).unwrap();
        // A crash cut the next append short.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"t\":\"feed\",\"at\":[2,")
            .unwrap();
        let (text, offset) = read_from(&path, 0).unwrap();
        assert_eq!(text.lines().count(), 2);
        let (rest, same) = read_from(&path, offset).unwrap();
        assert_eq!((rest.as_str(), same), ("", offset));
        append(&path, &header, std::slice::from_ref(&feed)).unwrap();
        let (text, _) = read_from(&path, offset).unwrap();
        let parsed: Vec<Option<Line>> = text.lines().map(parse).collect();
        assert_eq!(parsed, vec![None, Some(feed)]);
        assert!(is_ours("a.sync-conflict-20261203-101010-ABCDEFG.journal"));
        assert!(is_ours("a (host's conflicted copy 2026-12-03).snapshot"));
        assert!(!is_ours("a.snapshot.tmp") && !is_ours("notes.txt"));
    }
}
