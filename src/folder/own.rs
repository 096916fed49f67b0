//! This device's own files, kept twice: in the folder, and a copy beside the cache
//! (`sync-folder/` in the data dir). Whatever happens to the folder's copy (deleted, the
//! folder replaced by an empty one, an empty mount point written to while the share was
//! away, an older version restored by the sync tool), the next sync puts this device's
//! files back as they should be, so no mark it wrote is lost to the others.

use super::{io_error, journal, Device, FolderError};
use crate::config::FolderConfig;
use crate::store::Store;
use journal::Line;
use std::path::{Path, PathBuf};

/// Where the copies live: beside the cache (None for a cache with no file).
pub(super) fn mirror_dir(store: &Store) -> Option<PathBuf> {
    Some(store.path()?.parent()?.join("sync-folder"))
}

/// Appends `lines` to this device's journal, in the folder and in the copy.
pub(super) fn append(
    folder: &FolderConfig,
    store: &Store,
    device: &Device,
    lines: &[Line],
) -> Result<(), FolderError> {
    let name = device.file(device.generation, "journal");
    let path = folder.path.join(&name);
    journal::append(&path, &device.header(), lines).map_err(|e| io_error(&path, e))?;
    if let Some(dir) = mirror_dir(store) {
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let copy = dir.join(&name);
        journal::append(&copy, &device.header(), lines).map_err(|e| io_error(&copy, e))?;
    }
    Ok(())
}

/// Writes a whole file of this device's (a snapshot), in the folder and in the copy.
pub(super) fn write_whole(
    folder: &FolderConfig,
    store: &Store,
    device: &Device,
    name: &str,
    lines: &[Line],
) -> Result<(), FolderError> {
    let path = folder.path.join(name);
    journal::write_whole(&path, &device.header(), lines).map_err(|e| io_error(&path, e))?;
    if let Some(dir) = mirror_dir(store) {
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let copy = dir.join(name);
        journal::write_whole(&copy, &device.header(), lines).map_err(|e| io_error(&copy, e))?;
    }
    Ok(())
}

/// Deletes one of this device's files, in the folder and in the copy.
pub(super) fn remove(folder: &FolderConfig, store: &Store, name: &str) {
    let mut paths = vec![folder.path.join(name)];
    paths.extend(mirror_dir(store).map(|d| d.join(name)));
    for path in paths {
        if let Err(e) = std::fs::remove_file(&path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!("{}: {e}", path.display());
            }
        }
    }
}

/// Puts this device's current files back in the folder where the folder lost lines of
/// them (missing, or shorter than the copy kept here), and takes the folder's where the
/// copy here is the one behind (missing, or shorter: a crash between the two appends).
/// Returns how many files were put back in the folder.
pub(super) fn restore(
    folder: &FolderConfig,
    store: &Store,
    device: &Device,
) -> Result<usize, FolderError> {
    let Some(dir) = mirror_dir(store) else {
        return Ok(0);
    };
    let mut restored = 0;
    for ext in ["snapshot", "journal"] {
        let name = device.file(device.generation, ext);
        let kept = dir.join(&name);
        let there = folder.path.join(&name);
        let len = |p: &Path| std::fs::metadata(p).ok().map(|m| m.len());
        match (len(&kept), len(&there)) {
            (None, None) => {}
            (None, Some(_)) => {
                std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
                copy(&there, &kept)?;
            }
            (Some(_), None) => {
                copy(&kept, &there)?;
                restored += 1;
            }
            (Some(k), Some(t)) if k < t => copy(&there, &kept)?,
            (Some(k), Some(t)) => {
                if k > t || !same_bytes(&kept, &there) {
                    copy(&kept, &there)?;
                    restored += 1;
                }
            }
        }
    }
    Ok(restored)
}

/// Whether two files hold the same bytes (their last 4 KiB, which an append changes).
fn same_bytes(a: &Path, b: &Path) -> bool {
    fn tail(p: &Path) -> Option<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(p).ok()?;
        let len = f.metadata().ok()?.len();
        f.seek(SeekFrom::Start(len.saturating_sub(4096))).ok()?;
        let mut out = Vec::new();
        f.read_to_end(&mut out).ok()?;
        Some(out)
    }
    tail(a).is_some_and(|t| Some(t) == tail(b))
}

/// Copies by way of a temporary file and a rename: a reader sees the old or the new.
fn copy(from: &Path, to: &Path) -> Result<(), FolderError> {
    let mut tmp = to.as_os_str().to_os_string();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::copy(from, &tmp).map_err(|e| io_error(to, e))?;
    std::fs::rename(&tmp, to).map_err(|e| io_error(to, e))?;
    tracing::info!("{}: put back from this device's copy", to.display());
    Ok(())
}
