//! Feeds read from this machine: a path or a `file:` URL, under the same cap as a
//! fetch. A file that is not a regular one (a FIFO, a device, `/dev/stdin`) is read on a
//! thread of its own within the timeout: a FIFO nobody writes to waited forever in its
//! open, and the refresh with it.

use super::{FetchError, FetchOutcome, Fetched, Fetcher, RequestOptions, Validators};
use std::io::Read;

impl Fetcher {
    /// A local file (a path or a file: URL), under the same cap as a fetch.
    pub(super) fn read_file(
        &self,
        path: &std::path::Path,
        url: &str,
        options: &RequestOptions,
    ) -> Result<FetchOutcome, FetchError> {
        let file_err = |e: std::io::Error| FetchError::File {
            path: path.display().to_string(),
            reason: match web_address_meant(path, &e) {
                Some(url) => format!("{e}; a web address needs its scheme: {url}"),
                None => e.to_string(),
            },
        };
        let limit = self.max_body + 1;
        let read = move |path: &std::path::Path| -> std::io::Result<Vec<u8>> {
            let mut body = Vec::new();
            std::fs::File::open(path)?
                .take(limit)
                .read_to_end(&mut body)?;
            Ok(body)
        };
        let regular = std::fs::metadata(path).map_err(file_err)?.is_file();
        let body = if regular {
            read(path).map_err(file_err)?
        } else {
            // A pipe (`probe /dev/stdin`), a FIFO or a device: its open or read may wait
            // for a writer that never comes. Read on a thread of its own within the
            // timeout; past it the refresh goes on (the thread ends when the writer
            // comes, or with the process). One such thread a path at most: a TUI that
            // refreshes every few minutes does not pile them up.
            static WAITING: std::sync::Mutex<Vec<std::path::PathBuf>> =
                std::sync::Mutex::new(Vec::new());
            let timeout = self.budget(options.timeout.unwrap_or(self.timeout))?;
            let owned = path.to_path_buf();
            {
                let mut waiting = WAITING.lock().unwrap_or_else(|e| e.into_inner());
                if waiting.contains(&owned) {
                    return Err(FetchError::File {
                        path: path.display().to_string(),
                        reason: "an earlier read still waits for data (not a regular file: a pipe with no writer?)".into(),
                    });
                }
                waiting.push(owned.clone());
            }
            let (tx, rx) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("local-read".into())
                .spawn(move || {
                    let read = read(&owned);
                    let mut waiting = WAITING.lock().unwrap_or_else(|e| e.into_inner());
                    waiting.retain(|p| *p != owned);
                    let _ = tx.send(read);
                });
            if let Err(e) = spawned {
                let mut waiting = WAITING.lock().unwrap_or_else(|e| e.into_inner());
                waiting.retain(|p| p != path);
                return Err(file_err(e));
            }
            match rx.recv_timeout(timeout) {
                Ok(read) => read.map_err(file_err)?,
                Err(_) => {
                    return Err(FetchError::File {
                        path: path.display().to_string(),
                        reason: format!(
                        "nothing to read within {} s (not a regular file: a pipe with no writer?)",
                        timeout.as_secs()
                    ),
                    })
                }
            }
        };
        if body.len() as u64 > self.max_body {
            return Err(self.too_large());
        }
        let final_url =
            url::Url::from_file_path(std::path::absolute(path).unwrap_or(path.to_path_buf()))
                .map(|u| u.to_string())
                .unwrap_or_else(|_| url.to_string());
        Ok(FetchOutcome::Modified(Fetched {
            body,
            content_type: None,
            validators: Validators::default(),
            http_status: None,
            final_url,
            moved_to: None,
        }))
    }
}

/// The web address a missing path was likely meant to be: `url = "example.com/feed.xml"`
/// in the config is a path relative to it, read from the disk. When the first of its
/// directories that does not exist is named like a host (`example.com`,
/// `www.site.org`), the error says what to write instead.
fn web_address_meant(path: &std::path::Path, e: &std::io::Error) -> Option<String> {
    if e.kind() != std::io::ErrorKind::NotFound {
        return None;
    }
    let missing = path.ancestors().filter(|a| !a.exists()).last()?;
    let host = missing.file_name()?.to_str()?;
    let labels: Vec<&str> = host.split('.').collect();
    let host_like = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    // A file name alone ("news.xml") is a file that is not there yet, not a host.
    let rest = path.strip_prefix(missing).ok()?;
    if !host_like || rest.as_os_str().is_empty() {
        return None;
    }
    let rest: Vec<&str> = rest.iter().filter_map(|c| c.to_str()).collect();
    Some(format!("https://{host}/{}", rest.join("/")))
}

#[cfg(test)]
mod tests {
    use super::web_address_meant;
    use std::io::{Error, ErrorKind};

    #[test]
    fn a_missing_path_named_like_a_host_is_said_to_be_a_web_address() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Error::from(ErrorKind::NotFound);
        let meant = |p: &str| web_address_meant(&dir.path().join(p), &missing);
        assert_eq!(
            meant("example.com/feed.xml").as_deref(),
            Some("https://example.com/feed.xml")
        );
        assert_eq!(
            meant("www.some-site.org/blog/rss").as_deref(),
            Some("https://www.some-site.org/blog/rss")
        );
        // A file not there yet, a directory of other names, another error: no guess.
        assert_eq!(meant("news.xml"), None);
        assert_eq!(meant("feeds/news.xml"), None);
        assert_eq!(meant("v1.2/news.xml"), None);
        let denied = Error::from(ErrorKind::PermissionDenied);
        assert_eq!(
            web_address_meant(&dir.path().join("example.com/feed.xml"), &denied),
            None
        );
    }
}
