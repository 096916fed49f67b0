//! Downloading enclosures (podcast episodes, attachments) to the download folder: safe
//! file names whatever the URL or the title says, resumable with `Range` from the partial
//! file, and capped in size. The queue lives in the cache (`store::downloads`); this is
//! the part that writes files, for the TUI's download thread and `bulletin download`.

use crate::fetch::Fetcher;
use std::io::Write;
use std::path::{Path, PathBuf};

mod claim;
mod stream;

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("{0}")]
    Fetch(#[from] crate::fetch::FetchError),
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("larger than the {0} MiB limit ([general] max_download_mib)")]
    TooLarge(u64),
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error("no data for {0} s ([general] timeout_seconds); the part downloaded stays, to resume")]
    Stalled(u64),
    #[error("item {item} has {count} enclosure(s), not {asked}")]
    NoSuchEnclosure {
        item: i64,
        count: usize,
        asked: usize,
    },
    #[error("{0} is attached to the email: save it from your mail client")]
    Attached(String),
    #[error("{0}: not a web link")]
    NotWeb(String),
    #[error("{0}")]
    Cache(#[from] crate::store::StoreError),
    /// Downloaded before, and the file is still there.
    #[error("already downloaded: {0}")]
    Already(String),
    /// A web page came for a file (a login or an error page answered with 200).
    #[error("the server sent a web page (a login or error page?), not the file")]
    WebPage,
    /// Another bulletin (the TUI, a `download --pending`) holds its partial file.
    #[error("{0}: being downloaded by another bulletin; left to it")]
    Busy(String),
}

/// The longest file name written (bytes), extension included.
const MAX_NAME: usize = 120;

/// A file name for an enclosure: the last part of its URL's path (decoded), else the
/// article's title, with an extension from the URL or the type. Nothing in it can leave
/// the folder or surprise a shell: no separators, no `..`, no leading dot or dash, no
/// control characters, and a length limit.
pub fn file_name(url: &str, title: &str, mime: Option<&str>) -> String {
    let from_url = url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.path_segments()?
                .rev()
                .find(|s| !s.is_empty())
                .map(str::to_string)
        })
        .map(|s| percent_encoding_decode(&s))
        .unwrap_or_default();
    let (stem, ext) = match from_url.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem.to_string(), Some(ext.to_ascii_lowercase()))
        }
        _ => (from_url.clone(), None),
    };
    let ext = ext.or_else(|| mime.and_then(extension_for).map(str::to_string));
    // A URL's name like "download" or "file.php" says less than the title.
    let generic = stem.is_empty()
        || ["download", "file", "media", "index", "stream", "audio"]
            .contains(&stem.to_ascii_lowercase().as_str());
    let stem = if generic && !title.trim().is_empty() {
        title.to_string()
    } else {
        stem
    };
    let mut clean: String = crate::sanitize::clean_line(&stem)
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    clean = clean
        .trim_start_matches(['.', '-', ' '])
        .trim_end_matches(['.', ' '])
        .replace("..", "_");
    if clean.is_empty() {
        clean = "enclosure".into();
    }
    let ext = ext.map(|e| format!(".{e}")).unwrap_or_default();
    let room = MAX_NAME.saturating_sub(ext.len());
    while clean.len() > room {
        clean.pop();
    }
    format!("{clean}{ext}")
}

fn percent_encoding_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

fn extension_for(mime: &str) -> Option<&'static str> {
    let mime = mime.split(';').next()?.trim().to_ascii_lowercase();
    Some(match mime.as_str() {
        "audio/mpeg" | "audio/mp3" => "mp3",
        "audio/mp4" | "audio/x-m4a" | "audio/m4a" => "m4a",
        "audio/ogg" => "ogg",
        "audio/opus" => "opus",
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => return None,
    })
}

/// Where a new download of `name` goes in `dir`: the name, or "name (2)" and on when a
/// file of that name is there already (a download is never written over another file).
pub fn target_path(dir: &Path, name: &str) -> PathBuf {
    target_path_except(dir, name, &[])
}

/// `target_path`, also passing over the files of downloads queued and not done
/// (`reserved`): two `episode.mp3` queued together become two files, and a `.part`
/// belongs to one download only.
pub fn target_path_except(dir: &Path, name: &str, reserved: &[String]) -> PathBuf {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), format!(".{e}")),
        None => (name.to_string(), String::new()),
    };
    let taken =
        |p: &Path| p.exists() || part_of(p).exists() || reserved.iter().any(|r| Path::new(r) == p);
    let mut path = dir.join(name);
    let mut n = 2;
    while taken(&path) {
        path = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    path
}

/// The partial file a download writes until it is complete.
pub fn part_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// Downloads `url` to `path`, resuming from the partial file when there is one (a
/// `Range` request; a server that ignores it sends everything again, and the partial
/// file starts over). `progress` hears (bytes so far, total if known). Stops with an
/// error beyond `cap` bytes, leaving the partial file for nothing else to take.
pub fn run(
    fetcher: &Fetcher,
    url: &str,
    path: &Path,
    cap: u64,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<u64, DownloadError> {
    let part = part_of(path);
    let file_err = |p: &Path, e: std::io::Error| DownloadError::File {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| file_err(dir, e))?;
    }
    let (mut file, have) = match claim::take(path, &part)? {
        claim::Taken::Part(file, have) => (file, have),
        // Done by another bulletin since this one read the queue.
        claim::Taken::Done(len) => return Ok(len),
    };
    let result = claim::fill(fetcher, url, (&mut file, &part), have, cap, &mut progress);
    let result = result.and_then(|done| {
        file.flush().map_err(|e| file_err(&part, e))?;
        std::fs::rename(&part, path).map_err(|e| file_err(path, e))?;
        Ok(done)
    });
    // Nothing came (refused, too large, not found): no empty partial file left behind.
    if result.is_err() && file.metadata().is_ok_and(|m| m.len() == 0) {
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// Queues enclosure `index` (from 0) of `item` for download into `dir`; returns the
/// queue's id and where the file will be.
pub fn queue(
    store: &mut crate::store::Store,
    item: &crate::model::Item,
    index: usize,
    dir: &Path,
) -> Result<(i64, PathBuf), DownloadError> {
    let enclosure = item
        .enclosures
        .get(index)
        .ok_or(DownloadError::NoSuchEnclosure {
            item: item.id.0,
            count: item.enclosures.len(),
            asked: index + 1,
        })?;
    let url = crate::links::web_link(&enclosure.url, None).ok_or_else(|| {
        let url = crate::sanitize::clean_line(&enclosure.url);
        match url.strip_prefix(crate::model::ATTACHMENT_SCHEME) {
            Some(name) => DownloadError::Attached(name.to_string()),
            None => DownloadError::NotWeb(url),
        }
    })?;
    // Downloaded before and still there: said, not fetched into a second copy (its
    // file gone, it is downloaded again).
    let downloads = store.downloads()?;
    if let Some(d) = downloads
        .iter()
        .find(|d| d.url == url && d.state == "done" && Path::new(&d.path).exists())
    {
        return Err(DownloadError::Already(d.path.clone()));
    }
    // The same URL asked for before and not done keeps its place and its partial file,
    // so that asking again resumes it.
    if let Some(d) = downloads
        .into_iter()
        .find(|d| d.url == url && d.state != "done")
    {
        // (Running in another bulletin: its row is left as that one keeps it.)
        if !claim::held(Path::new(&d.path)) {
            store.set_download(d.id, "queued", d.bytes, d.total, None)?;
        }
        return Ok((d.id, PathBuf::from(d.path)));
    }
    let name = file_name(&url, &item.title, enclosure.mime.as_deref());
    let reserved = store.reserved_download_paths()?;
    let path = target_path_except(dir, &name, &reserved);
    let id = store.queue_download(Some(item.id.0), &item.title, &url, &path.to_string_lossy())?;
    Ok((id, path))
}

/// Runs one queued download to its end, recording how it stands in the cache as it
/// goes (every few hundred KiB, not every chunk). `progress` hears (bytes, total).
pub fn perform(
    store: &mut crate::store::Store,
    fetcher: &Fetcher,
    d: &crate::store::Download,
    cap: u64,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<u64, DownloadError> {
    let mut last = (0u64, None);
    let mut started = false;
    // An enclosure goes where its feed's content may go: a public feed's, to public
    // addresses only.
    let fetcher = &match &d.origin {
        Some(origin) => fetcher.for_content_of(origin),
        None => fetcher.public_only(),
    };
    let result = run(fetcher, &d.url, Path::new(&d.path), cap, |bytes, total| {
        // Said once its partial file is this process's (not over another's progress).
        if !started {
            started = true;
            let _ = store.set_download(d.id, "downloading", bytes, total, None);
        }
        last = (bytes, total);
        progress(bytes, total);
    });
    let (bytes, total) = last;
    match &result {
        Ok(n) => store.set_download(d.id, "done", *n, Some(*n), None),
        // The other bulletin records how it goes.
        Err(DownloadError::Busy(_)) => Ok(()),
        Err(e) => store.set_download(d.id, "failed", bytes, total, Some(&e.to_string())),
    }?;
    result
}

pub use claim::as_they_stand;

/// The folder downloads go to: `[general] download_dir` (`~` is home), else
/// `default_dir`.
pub fn dir(configured: Option<&Path>) -> PathBuf {
    match configured {
        Some(d) => crate::paths::expand_home(d),
        None => default_dir(),
    }
}

/// The desktop's download folder (`$XDG_DOWNLOAD_DIR`), else ~/Downloads, with a
/// `bulletin` folder in it.
pub fn default_dir() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| {
            d.download_dir()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| d.home_dir().join("Downloads"))
        })
        .unwrap_or_else(|| PathBuf::from("Downloads"))
        .join("bulletin")
}

#[cfg(test)]
#[path = "download_tests.rs"]
mod tests;
