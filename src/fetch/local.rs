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
            reason: e.to_string(),
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
