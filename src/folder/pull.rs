//! Reading the folder: every file but this device's own, from where the last read
//! stopped (a `stat` when nothing is new), its complete lines merged into the cache's
//! state. A file shorter than where reading stopped was replaced, and is read afresh;
//! a newer format is refused in one line.

use super::{io_error, journal, Device, FolderError};
use crate::config::FolderConfig;
use crate::store::{FileMark, FolderFeed, FolderMark, Store};
use journal::{Line, FORMAT};
use std::collections::{HashMap, HashSet};

/// Reads what is new in every other file of the folder and merges it. Returns how many
/// articles here changed.
pub(super) fn read_in(
    folder: &FolderConfig,
    store: &mut Store,
    device: &mut Device,
    relevant: &HashSet<&str>,
) -> Result<usize, FolderError> {
    let mut offsets = store.folder_offsets()?;
    let mut seen: HashMap<String, FileMark> = HashMap::new();
    let entries = std::fs::read_dir(&folder.path).map_err(|e| io_error(&folder.path, e))?;
    let mut won = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !journal::is_ours(&name) || device.owns(&name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let len = meta.len();
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        let path = entry.path();
        let from = match offsets.remove(&name) {
            // Nothing new: one `stat`.
            Some(m) if m.offset == len && m.mtime == mtime => {
                seen.insert(name, m);
                continue;
            }
            // Grown, and what was read is still there: the rest.
            Some(m) if m.offset <= len && tail(&path, m.offset) == Some(m.tail) => m.offset,
            // Shorter, or replaced by another file (a rewritten history, a restored
            // version): read afresh; what was read before changes nothing.
            _ => 0,
        };
        let (text, to) = match journal::read_from(&path, from) {
            Ok(read) => read,
            // Gone between the listing and the read, or not readable yet: next time.
            Err(e) => {
                tracing::warn!("{}: {e}", path.display());
                continue;
            }
        };
        won += merge_text(&name, &text, from == 0, relevant, store, device)?;
        // The clock has seen these stamps: kept with what they brought.
        store.set_meta(super::CLOCK, &device.clock.last().to_meta())?;
        let mark = FileMark {
            offset: to,
            mtime,
            tail: tail(&path, to).unwrap_or_default(),
        };
        seen.insert(name, mark);
    }
    store.folder_set_offsets(&seen)?;
    Ok(won)
}

/// A hash of the (at most 256) bytes of a file before `end`.
fn tail(path: &std::path::Path, end: u64) -> Option<i64> {
    use std::io::{Read, Seek, SeekFrom};
    let start = end.saturating_sub(256);
    let mut file = std::fs::File::open(path).ok()?;
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut bytes = vec![0u8; (end - start) as usize];
    file.read_exact(&mut bytes).ok()?;
    Some(xxhash_rust::xxh3::xxh3_64(&bytes) as i64)
}

/// Merges the lines of one file's new part. `whole` when it starts at the file's
/// beginning, whose header says the format.
fn merge_text(
    name: &str,
    text: &str,
    whole: bool,
    relevant: &HashSet<&str>,
    store: &mut Store,
    device: &mut Device,
) -> Result<usize, FolderError> {
    // A long part (a device's first read of a big journal) is parsed on two threads.
    // (Split after a newline, found in the bytes: a newline is always a character's
    // boundary, the middle byte may not be.)
    let parts: Vec<&str> = match text.len() > 1 << 20 {
        true => {
            let half = text.len() / 2;
            let middle = memchr::memchr(b'\n', &text.as_bytes()[half..])
                .map_or(text.len(), |at| half + at + 1);
            vec![&text[..middle], &text[middle..]]
        }
        false => vec![text],
    };
    let parsed: Vec<Parsed> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| scope.spawn(move || parse_part(part, relevant)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    if whole && text.lines().next().and_then(journal::parse).is_none() {
        tracing::warn!("{name}: no journal header");
    }
    let mut marks = Vec::new();
    let mut feeds = Vec::new();
    for part in parsed {
        if let Some(found) = part.newer {
            return Err(FolderError::TooNew {
                file: name.to_string(),
                found,
            });
        }
        device.clock.see(part.latest);
        marks.extend(part.marks);
        feeds.extend(part.feeds);
    }
    // The last of each article's marks in this part only, in key order: fewer and
    // ordered writes to the cache's tree.
    let mut best: HashMap<(i64, journal::Kind), usize> = HashMap::with_capacity(marks.len());
    for (i, m) in marks.iter().enumerate() {
        let key = (crate::store::folder_key(&m.feed, &m.item).0, m.kind);
        match best.get(&key) {
            Some(&old) if (m.at, &m.device) <= (marks[old].at, &marks[old].device) => {}
            _ => {
                best.insert(key, i);
            }
        }
    }
    let mut order: Vec<(i64, usize)> = best.into_iter().map(|((key, _), i)| (key, i)).collect();
    order.sort_unstable();
    let mut slots: Vec<Option<FolderMark>> = marks.into_iter().map(Some).collect();
    let winners: Vec<FolderMark> = order
        .into_iter()
        .filter_map(|(_, i)| slots[i].take())
        .collect();
    let changed = store.folder_merge_marks(&winners, None)?;
    store.folder_merge_feeds(&feeds, &device.id)?;
    Ok(changed)
}

/// What one stretch of a file holds.
#[derive(Default)]
struct Parsed {
    marks: Vec<FolderMark>,
    feeds: Vec<FolderFeed>,
    /// The latest stamp seen (the clock moves past it).
    latest: crate::folder::clock::Stamp,
    /// A header of a format newer than this bulletin reads.
    newer: Option<u32>,
}

fn parse_part(text: &str, relevant: &HashSet<&str>) -> Parsed {
    let mut out = Parsed::default();
    for raw in text.lines() {
        if let Some(m) = journal::parse_mark(raw) {
            out.latest = out.latest.max(m.at);
            // A feed this device does not have: its marks are read again if it comes.
            if relevant.contains(m.feed.as_ref()) {
                out.marks.push(FolderMark {
                    feed: m.feed.into_owned(),
                    item: m.item.into_owned(),
                    kind: m.kind,
                    at: m.at,
                    device: m.device.into_owned(),
                    value: m.value,
                });
            }
            continue;
        }
        // (Every mark line is `parse_mark`'s: only headers and subscriptions get here.)
        match journal::parse(raw) {
            Some(Line::Journal { format, .. }) if format > FORMAT => out.newer = Some(format),
            Some(Line::Feed {
                at,
                device,
                url,
                present,
                name,
                tags,
            }) => {
                out.latest = out.latest.max(at);
                out.feeds.push(FolderFeed {
                    url,
                    at,
                    device,
                    present,
                    name,
                    tags,
                });
            }
            _ => {}
        }
    }
    out
}
