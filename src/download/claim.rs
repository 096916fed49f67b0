//! A download's partial file, locked while a download writes it: two bulletins (the TUI
//! and a `download --pending` in a shell) took the same download at once, wrote one
//! file from two places, and the second to finish failed to rename it. The lock goes
//! with the process, so a download cut short by a crash is free again; and it tells a
//! download that is running from one the cache only says is.

use super::{stream, DownloadError, Fetcher};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

pub(super) enum Taken {
    /// The partial file, locked, and the bytes it holds.
    Part(std::fs::File, u64),
    /// The file is whole already (another bulletin finished it since this one read the
    /// queue): its length.
    Done(u64),
}

/// Whether a body starts as an HTML document does (`<!DOCTYPE html`, `<html`), after
/// any byte-order mark and white space.
fn starts_like_a_page(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head: Vec<u8> = bytes[start..]
        .iter()
        .take(14)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// Whether another bulletin downloads into `path` now (holds its partial file).
pub(super) fn held(path: &Path) -> bool {
    std::fs::File::open(super::part_of(path)).is_ok_and(|file| held_file(&file))
}

/// Whether a download holds this open partial file (a shared lock cannot be had).
fn held_file(file: &std::fs::File) -> bool {
    matches!(
        file.try_lock_shared(),
        Err(std::fs::TryLockError::WouldBlock)
    )
}

/// Takes the partial file `part` of `path` for this process. A lock held elsewhere is
/// waited for a moment (a listing takes it shared for an instant) before the download
/// is left to whoever holds it.
pub(super) fn take(path: &Path, part: &Path) -> Result<Taken, DownloadError> {
    let file_err = |e: std::io::Error| DownloadError::File {
        path: part.display().to_string(),
        reason: e.to_string(),
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(part)
        .map_err(file_err)?;
    let mut tries = 0;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if tries < 10 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(DownloadError::Busy(path.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(file_err(e)),
        }
    }
    let have = file.metadata().map(|m| m.len()).unwrap_or(0);
    // Whole already: the part this open made is not a start.
    if have == 0 {
        if let Ok(whole) = std::fs::metadata(path) {
            let _ = std::fs::remove_file(part);
            return Ok(Taken::Done(whole.len()));
        }
    }
    Ok(Taken::Part(file, have))
}

/// Writes the body into the locked partial file (at `part`), which holds `have` bytes:
/// after them (206), or over them (a whole body; a 416 to the rest asked for says the
/// file is whole already). What is refused (a web page, too large) is refused before
/// the file is touched, so its bytes stay for a resume. Returns the bytes it then holds.
pub(super) fn fill(
    fetcher: &Fetcher,
    url: &str,
    (file, part): (&mut std::fs::File, &Path),
    have: u64,
    cap: u64,
    progress: &mut impl FnMut(u64, Option<u64>),
) -> Result<u64, DownloadError> {
    let file_err = |e: std::io::Error| DownloadError::File {
        path: part.display().to_string(),
        reason: e.to_string(),
    };
    let body = stream::Body::open(fetcher, url, have, fetcher.timeout());
    let stream::Event::Opened {
        status,
        length,
        page,
    } = body.next()?
    else {
        return Err(DownloadError::Fetch(crate::fetch::FetchError::Network(
            "no answer".into(),
        )));
    };
    let resume = match status {
        206 if have > 0 => true,
        200..=299 => false,
        // Asked for the rest of a file that is whole already.
        416 if have > 0 => return Ok(have),
        s => return Err(DownloadError::Status(s)),
    };
    // An enclosure is a file (audio, video, a PDF): a page in its place (a login page
    // with 200) is not saved as `episode.mp3` and called done. (Unless the address
    // names a page.)
    let named_page = url::Url::parse(url).is_ok_and(|u| {
        let path = u.path().to_ascii_lowercase();
        path.ends_with(".html") || path.ends_with(".htm") || path.ends_with(".xhtml")
    });
    if page && !named_page {
        return Err(DownloadError::WebPage);
    }
    let mut done = if resume { have } else { 0 };
    let total = length.map(|len| len + done);
    let cap_mib = cap / (1024 * 1024);
    if total.is_some_and(|t| t > cap) {
        return Err(DownloadError::TooLarge(cap_mib));
    }
    if resume {
        file.seek(SeekFrom::End(0)).map_err(file_err)?;
    } else {
        file.set_len(0).map_err(file_err)?;
        file.seek(SeekFrom::Start(0)).map_err(file_err)?;
    }
    progress(done, total);
    let mut first = !resume;
    while let stream::Event::Chunk(chunk) = body.next()? {
        // A page labelled as the file (a login page sent as audio/mpeg): its first
        // bytes say so.
        if std::mem::take(&mut first) && !named_page && starts_like_a_page(&chunk) {
            return Err(DownloadError::WebPage);
        }
        done += chunk.len() as u64;
        if done > cap {
            return Err(DownloadError::TooLarge(cap_mib));
        }
        file.write_all(&chunk).map_err(file_err)?;
        progress(done, total);
    }
    Ok(done)
}

/// Downloads as they stand: one the cache says is downloading that no bulletin runs
/// (cut short by a quit or a crash, whose lock went with it) is `interrupted`, and
/// each running or interrupted one counts the bytes its partial file holds (the cache
/// is told only every few hundred KiB, and not at all by a process killed).
pub fn as_they_stand(list: Vec<crate::store::Download>) -> Vec<crate::store::Download> {
    list.into_iter()
        .map(|mut d| {
            if d.state != "downloading" && d.state != "queued" {
                return d;
            }
            let Ok(file) = std::fs::File::open(super::part_of(Path::new(&d.path))) else {
                return d;
            };
            match (d.state.as_str(), held_file(&file)) {
                // Queued again while it runs elsewhere: it runs.
                ("queued", true) => d.state = "downloading".into(),
                ("downloading", false) => d.state = "interrupted".into(),
                _ => {}
            }
            if let Ok(meta) = file.metadata() {
                d.bytes = d.bytes.max(meta.len());
            }
            d
        })
        .collect()
}
