//! Replacing the config file safely: the new text is written beside the real file (a
//! symlink from stow or home-manager is followed, not replaced by a plain file), with
//! the old file's mode and owner (a 0600 config holding a password stays 0600), synced
//! to disk, then moved over it in one rename. A file changed since it was read is not
//! overwritten: the edit is refused in one line and can be done again.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `text` over the config at `path`, which held `read` when it was read (None:
/// it did not exist). The error is the reason, for a line naming the file.
pub fn write(path: &Path, read: Option<&str>, text: &str) -> Result<(), String> {
    let target = resolve(path)?;
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot write: {e}"))?;
    let current = match std::fs::read_to_string(&target) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    if current.as_deref() != read {
        return Err(
            "changed since it was read (another editor?); not overwritten: try again".into(),
        );
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // Left by a run of this process id that died mid-write.
    let _ = std::fs::remove_file(&tmp);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        // The old file's permissions before a byte is written: a password never sits
        // in a file others can read, not even for a moment.
        if let Ok(meta) = std::fs::metadata(&target) {
            file.set_permissions(meta.permissions())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                // Only root may give a file away; for anyone else it is theirs already.
                let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
            }
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        // The rename itself on disk (where the platform lets a folder be synced).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok::<(), std::io::Error>(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write: {e}"));
    }
    Ok(())
}

/// The file a path names, through any symlinks (even to a file not there yet).
fn resolve(path: &Path) -> Result<PathBuf, String> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path).map_err(|e| format!("cannot read: {e}"))?;
                path = match path.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err("too many levels of symbolic links".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_private_config_stays_private_and_a_symlink_stays_a_symlink() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles/bulletin.toml");
        std::fs::create_dir_all(real.parent().unwrap()).unwrap();
        std::fs::write(&real, "a = 1\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink("dotfiles/bulletin.toml", &link).unwrap();
        write(&link, Some("a = 1\n"), "a = 2\n").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "a = 2\n");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let left: Vec<_> = std::fs::read_dir(real.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "a = 1\n# added by hand\n").unwrap();
        let err = write(&path, Some("a = 1\n"), "a = 2\n").unwrap_err();
        assert!(err.contains("changed since it was read"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "a = 1\n# added by hand\n"
        );
        // A file that appeared where there was none is a change too.
        let new = dir.path().join("new.toml");
        std::fs::write(&new, "b = 1\n").unwrap();
        assert!(write(&new, None, "a = 2\n").is_err());
    }
}
