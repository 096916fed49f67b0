//! A download's response, read on a thread of its own. The blocking HTTP client has a
//! time limit for a whole request only, and a download takes the time it takes; so a
//! server that accepts and never answers, or sends three bytes and stops, would hold a
//! download "downloading" for hours. Here every wait (for the answer, then for each
//! chunk) is at most the stall time: past it the download fails with why, and its
//! partial file stays for a resume. The reading thread ends when its next read returns
//! (or when the request's own limit ends it), with nobody left to hear it.

use super::DownloadError;
use crate::fetch::Fetcher;
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::Duration;

pub(super) enum Event {
    /// The answer's status and length, and whether it says it is a web page.
    Opened {
        status: u16,
        length: Option<u64>,
        page: bool,
    },
    Chunk(Vec<u8>),
    End,
}

pub(super) struct Body {
    rx: Receiver<Result<Event, DownloadError>>,
    stall: Duration,
}

impl Body {
    /// Starts the request for `url` from byte `from`.
    pub(super) fn open(fetcher: &Fetcher, url: &str, from: u64, stall: Duration) -> Body {
        let (tx, rx) = sync_channel(4);
        let (fetcher, url) = (fetcher.clone(), url.to_string());
        let spawned = std::thread::Builder::new()
            .name("download".into())
            .spawn(move || {
                let (mut response, _) = match fetcher.open_download(&url, from) {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = tx.send(Err(e.into()));
                        return;
                    }
                };
                let page = response
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| {
                        let v = v.trim_start().to_ascii_lowercase();
                        v.starts_with("text/html") || v.starts_with("application/xhtml")
                    });
                let opened = Event::Opened {
                    status: response.status().as_u16(),
                    length: response.content_length(),
                    page,
                };
                if tx.send(Ok(opened)).is_err() {
                    return;
                }
                let mut chunk = vec![0u8; 64 * 1024];
                loop {
                    let event = match response.read(&mut chunk) {
                        Ok(0) => Ok(Event::End),
                        Ok(n) => Ok(Event::Chunk(chunk[..n].to_vec())),
                        Err(e) => Err(DownloadError::Fetch(crate::fetch::FetchError::Network(
                            crate::sanitize::clean_line(&e.to_string()),
                        ))),
                    };
                    let last = !matches!(event, Ok(Event::Chunk(_)));
                    if tx.send(event).is_err() || last {
                        return;
                    }
                }
            });
        if let Err(e) = spawned {
            let (tx, rx2) = sync_channel(1);
            let _ = tx.send(Err(DownloadError::File {
                path: "download thread".into(),
                reason: e.to_string(),
            }));
            return Body { rx: rx2, stall };
        }
        Body { rx, stall }
    }

    /// The next event, or `Stalled` when none came within the stall time.
    pub(super) fn next(&self) -> Result<Event, DownloadError> {
        match self.rx.recv_timeout(self.stall) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => Err(DownloadError::Stalled(self.stall.as_secs())),
            Err(RecvTimeoutError::Disconnected) => Err(DownloadError::Fetch(
                crate::fetch::FetchError::Network("the download ended without a word".into()),
            )),
        }
    }
}
