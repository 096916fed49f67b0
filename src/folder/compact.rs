//! A journal past its length becomes a snapshot: what this device's marks and
//! subscriptions still decide, written to a new file of the next generation and moved
//! into place; the old generation's files go. Never another device's files.

use super::{journal, Device, FolderError, GENERATION, LINES};
use crate::config::FolderConfig;
use crate::store::Store;
use journal::Line;
use std::path::PathBuf;

/// Rewrites this device's journal as a snapshot of what it still decides (its marks and
/// subscriptions that win), in new files of the next generation; the old ones go.
pub(super) fn compact(
    folder: &FolderConfig,
    store: &mut Store,
    device: &mut Device,
) -> Result<(), FolderError> {
    // This device's own lines, the snapshot's and the journal's, that still win.
    let mut lines: Vec<Line> = Vec::new();
    let mut kept = std::collections::HashSet::new();
    // From the copies kept here (the folder's may be gone), else the folder's.
    let dirs: Vec<PathBuf> = super::own::mirror_dir(store)
        .into_iter()
        .chain(std::iter::once(folder.path.clone()))
        .collect();
    for ext in ["snapshot", "journal"] {
        let name = device.file(device.generation, ext);
        // The first copy that is there; one that is there and cannot be read stops the
        // compaction (nothing is deleted), it is never left out.
        let mut text = None;
        for dir in &dirs {
            match std::fs::read(dir.join(&name)) {
                Ok(bytes) => {
                    text = Some(String::from_utf8_lossy(&bytes).into_owned());
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(super::io_error(&dir.join(&name), e)),
            }
        }
        let Some(text) = text else {
            continue;
        };
        for line in text.lines().filter_map(journal::parse) {
            if let Line::Mark {
                at,
                device: from,
                feed,
                item,
                kind,
                ..
            } = &line
            {
                let winner = store.folder_winner(feed, item, *kind)?;
                let wins = winner.is_some_and(|(stamp, d)| stamp == *at && d == *from);
                if wins && kept.insert((feed.clone(), item.clone(), *kind)) {
                    lines.push(line);
                }
            }
        }
    }
    let feeds = store.folder_own_feeds(&device.id)?;
    let next = device.generation + 1;
    lines.extend(feeds.iter().map(Line::from));
    let snapshot = device.file(next, "snapshot");
    super::own::write_whole(folder, store, device, &snapshot, &lines)?;
    store.set_meta(GENERATION, &next.to_string())?;
    store.set_meta(LINES, "0")?;
    let old = device.generation;
    device.generation = next;
    for ext in ["journal", "snapshot"] {
        super::own::remove(folder, store, &device.file(old, ext));
    }
    Ok(())
}
