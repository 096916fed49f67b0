//! The disk cache of pictures: the reader's, and the refresh's when `[reader]
//! cache_images` asks for the pictures of full-text articles ahead of reading. Files are
//! named by a hash of their address; the least recently used go once the cache is over
//! its size.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest picture fetched.
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;
/// The disk cache's size; the least recently used pictures go beyond it.
pub const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// The picture's bytes, from the disk cache or fetched (and then cached).
pub fn bytes(
    fetcher: &crate::fetch::Fetcher,
    dir: &Path,
    url: &str,
    allow_file: bool,
) -> Result<Vec<u8>, String> {
    let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    match parsed.scheme() {
        "http" | "https" => {}
        "file" if allow_file => {}
        other => return Err(format!("{other}: links are not fetched for pictures")),
    }
    let key = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(url.as_bytes()));
    let path = dir.join(&key);
    if let Ok(mut file) = std::fs::File::open(&path) {
        let mut bytes = Vec::new();
        if file.read_to_end(&mut bytes).is_ok() {
            // Used now: last to go.
            let _ = file.set_modified(std::time::SystemTime::now());
            return Ok(bytes);
        }
    }
    let fetched = match fetcher
        .fetch(url, &Default::default())
        .map_err(|e| e.to_string())?
    {
        crate::fetch::FetchOutcome::Modified(f) => f.body,
        crate::fetch::FetchOutcome::NotModified { .. } => {
            return Err("304 to a plain request".into())
        }
    };
    if fetched.len() as u64 > MAX_BYTES {
        return Err(format!("larger than {} MiB", MAX_BYTES >> 20));
    }
    if std::fs::create_dir_all(dir).is_ok() && std::fs::write(&path, &fetched).is_ok() {
        evict(dir, CACHE_BYTES);
    }
    Ok(fetched)
}

/// Keeps the cache under `limit` bytes, the least recently used files out first.
pub fn evict(dir: &Path, limit: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let meta = e.metadata().ok()?;
            Some((meta.modified().ok()?, meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    files.sort();
    for (_, len, path) in files {
        if total <= limit {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}
