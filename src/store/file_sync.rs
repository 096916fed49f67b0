//! The database file synced from outside SQLite, for the checkpoint thread (checkpoint.rs):
//! SQLite syncs it only in a checkpoint that reaches the log's end, which behind a busy
//! writer only the writer's own does, and that sync then waits for every page copied
//! since.
//!
//! On Unix the handle is opened once per file and never closed: closing any handle on a
//! file drops every POSIX lock this process holds on it, and SQLite's connections hold
//! theirs for as long as they are open (another process would then take the cache for
//! unused and delete its log under them). A file replaced at the same path gets a handle
//! of its own. Windows ties locks to handles, so there a handle is opened for each sync.

use std::path::Path;

/// Asks the system to write the file's data to the disk; errors only cost the speed-up.
pub(super) fn sync_data(path: &Path) {
    #[cfg(unix)]
    if let Some(file) = unix::handle(path) {
        let _ = file.sync_data();
    }
    #[cfg(not(unix))]
    // Write access: Windows syncs only a handle that may write (nothing is written).
    if let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    {
        let _ = file.sync_data();
    }
}

#[cfg(unix)]
mod unix {
    use std::collections::HashMap;
    use std::fs::File;
    use std::os::unix::fs::MetadataExt;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};

    /// Which file a path names: its device and inode.
    type Identity = (u64, u64);

    /// Each path's file as last looked at, and its handle (`None`: it could not be opened).
    type Handles = HashMap<PathBuf, (Identity, Option<&'static File>)>;

    /// The handle kept for the file at `path` now; `None` when it cannot be opened (and
    /// not tried again for that file).
    pub(super) fn handle(path: &Path) -> Option<&'static File> {
        static HANDLES: OnceLock<Mutex<Handles>> = OnceLock::new();
        let identity = std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))?;
        let mut handles = HANDLES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some((known, file)) = handles.get(path) {
            if *known == identity {
                return *file;
            }
        }
        let file = File::open(path)
            .ok()
            // The file opened is the one looked at, not one that replaced it since.
            .filter(|f| f.metadata().is_ok_and(|m| (m.dev(), m.ino()) == identity))
            .map(|f| &*Box::leak(Box::new(f)));
        handles.insert(path.to_path_buf(), (identity, file));
        file
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn one_handle_a_file_and_a_new_one_for_a_file_put_in_its_place() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("cache.db");
            assert!(handle(&path).is_none(), "no file, no handle");
            std::fs::write(&path, b"first").unwrap();
            let first = handle(&path).unwrap() as *const File;
            assert_eq!(handle(&path).unwrap() as *const File, first, "kept");
            // Another file at the same path (a cache deleted and made again).
            let aside = dir.path().join("aside");
            std::fs::write(&aside, b"second").unwrap();
            std::fs::rename(&aside, &path).unwrap();
            let second = handle(&path).unwrap();
            assert_ne!(second as *const File, first);
            let mut text = String::new();
            std::io::Read::read_to_string(&mut &*second, &mut text).unwrap();
            assert_eq!(text, "second");
        }
    }
}
