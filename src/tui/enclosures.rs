//! Enclosures in the TUI: `v` lists the open article's (type, size), Enter opens one with
//! `[general] enclosure_command` or downloads it, `D` downloads; `L` shows the downloads.
//! Downloads run on a thread of their own, one at a time, from the queue in the cache,
//! telling the UI how they go; a queue left by an earlier run resumes at start.

use super::msg::{Cmd, Msg};
use super::overlay::{Row, Tone};
use crate::model::ItemId;
use crate::store::{Download, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The enclosure overlay's lines: each with its type and size, the selected one marked.
pub fn content(m: &super::model::Model, selected: usize) -> Vec<Row> {
    let Some(r) = &m.reader else {
        return vec![vec![("Open an article first.".into(), Tone::Dim)]];
    };
    if r.item.enclosures.is_empty() {
        return vec![vec![("This article has no enclosures.".into(), Tone::Dim)]];
    }
    r.item
        .enclosures
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut details = Vec::new();
            if let Some(t) = &e.mime {
                details.push(crate::sanitize::clean_line(t));
            }
            if let Some(len) = e.length.filter(|l| *l > 0) {
                details.push(crate::article::human_size(len));
            }
            let (mark, tone) = if i == selected {
                ("▸ ", Tone::Title)
            } else {
                ("  ", Tone::Plain)
            };
            vec![
                (
                    format!("{mark}{} ", crate::sanitize::clean_line(&e.url)),
                    tone,
                ),
                (format!("({})", details.join(", ")), Tone::Dim),
            ]
        })
        .collect()
}

/// The downloads overlay's lines: state, progress, file; the error under a failed one.
pub fn downloads(list: &[Download]) -> Vec<Row> {
    if list.is_empty() {
        return vec![vec![(
            "No downloads yet: v on an article lists its enclosures, D downloads one.".into(),
            Tone::Dim,
        )]];
    }
    // A done one says its size; the others how far they are.
    let size_of = |d: &Download| match d.total {
        Some(t) if t > 0 && d.state != "done" => format!(
            "{} of {} ({}%)",
            crate::article::human_size(d.bytes),
            crate::article::human_size(t),
            d.bytes * 100 / t
        ),
        _ => crate::article::human_size(d.bytes),
    };
    // As wide as the widest, so that the titles line up.
    let width = list.iter().map(|d| size_of(d).len()).max().unwrap_or(0);
    let mut rows = Vec::new();
    for d in list {
        let size = size_of(d);
        let tone = if d.state == "failed" {
            Tone::Error
        } else {
            Tone::Plain
        };
        rows.push(vec![
            (format!("{:<11} ", d.state), tone),
            (format!("{size:<width$} "), Tone::Dim),
            (d.title.clone(), Tone::Plain),
        ]);
        rows.push(vec![(format!("            {}", d.path), Tone::Dim)]);
        if let Some(e) = &d.error {
            rows.push(vec![(format!("            {e}"), Tone::Error)]);
        }
    }
    rows
}

/// What Enter does on an enclosure: open it with the command, else download it.
pub fn enter(m: &super::model::Model, selected: usize, has_command: bool) -> Vec<Cmd> {
    let Some(r) = &m.reader else {
        return Vec::new();
    };
    let Some(e) = r.item.enclosures.get(selected) else {
        return Vec::new();
    };
    // Only a web address goes to the player; anything else (an email's attachment, saved
    // from its message) goes to the downloader.
    if has_command && crate::links::web_link(&e.url, None).is_some() {
        vec![Cmd::OpenEnclosure(e.url.clone())]
    } else {
        vec![Cmd::QueueDownload {
            item: r.item.id,
            index: selected,
        }]
    }
}

/// The download thread's handle: one thread at a time runs the queue.
#[derive(Clone)]
pub struct Downloader {
    db: PathBuf,
    general: crate::config::General,
    /// Where a newsletter's attachment is read from again to be saved.
    mailboxes: Vec<crate::config::MailboxConfig>,
    running: Arc<AtomicBool>,
    events: Sender<Msg>,
}

impl Downloader {
    pub fn new(db: PathBuf, general: crate::config::General, events: Sender<Msg>) -> Downloader {
        Downloader {
            db,
            general,
            mailboxes: Vec::new(),
            running: Arc::default(),
            events,
        }
    }

    pub fn use_config(&mut self, config: &crate::config::Config) {
        self.general = config.general.clone();
        self.mailboxes = config.mailboxes.clone();
    }

    /// Queues an enclosure (off the UI thread: it writes the cache) and runs the queue.
    pub fn queue(&self, item: ItemId, index: usize) {
        let this = self.clone();
        let spawned = std::thread::Builder::new()
            .name("download".into())
            .spawn(move || {
                let queued = Store::open(&this.db)
                    .map_err(|e| e.to_string())
                    .and_then(|mut s| {
                        let item = s
                            .item(item)
                            .map_err(|e| e.to_string())?
                            .ok_or("the article is gone")?;
                        let dir = crate::download::dir(this.general.download_dir.as_deref());
                        // An email's attachment is saved from the message, now.
                        let attached = crate::mail::attachment::save_enclosure(
                            &s,
                            &this.mailboxes,
                            &item,
                            index,
                            &dir,
                        );
                        match attached {
                            Some(saved) => Ok(Some(saved)),
                            None => crate::download::queue(&mut s, &item, index, &dir)
                                .map(|_| None)
                                .map_err(|e| e.to_string()),
                        }
                    });
                let notice = match queued {
                    Ok(Some(Ok(path))) => Some(format!("Saved to {}", path.display())),
                    Ok(Some(Err(e))) => Some(format!("Not saved: {e}")),
                    Ok(None) => None,
                    Err(e) => Some(format!("Not downloaded: {e}")),
                };
                if let Some(notice) = notice {
                    let _ = this.events.send(Msg::Notice(notice));
                    return;
                }
                this.run_queue();
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start a download: {e}");
        }
    }

    /// Runs what the queue holds (a download cut short by a quit resumes), on this
    /// thread, unless another runs it already.
    pub fn resume(&self) {
        let this = self.clone();
        let _ = std::thread::Builder::new()
            .name("download".into())
            .spawn(move || {
                // A panic ends this run with a word, and the queue runs again next time
                // (it was held as running for good).
                let run =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| this.run_queue()));
                if let Err(panic) = run {
                    let why = super::worker::panic_message(&*panic);
                    tracing::error!("downloads: internal error: {why}");
                    this.running.store(false, Ordering::SeqCst);
                    let _ = this.events.send(Msg::Notice(format!(
                        "Downloads stopped: internal error: {why}"
                    )));
                }
            });
    }

    fn run_queue(&self) {
        // Downloads another bulletin holds (a `download --pending` in a shell) are left
        // to it for as long as this runs, not taken again and again.
        let mut theirs = std::collections::HashSet::new();
        loop {
            if self
                .running
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                return;
            }
            let Ok(mut store) = Store::open(&self.db) else {
                self.running.store(false, Ordering::SeqCst);
                return;
            };
            self.tell(&store);
            let fetcher = crate::fetch::Fetcher::new(&self.general);
            let cap = u64::from(self.general.max_download_mib.max(1)) * 1024 * 1024;
            while let (Ok(fetcher), Some(d)) = (
                fetcher.as_ref(),
                store
                    .pending_downloads()
                    .ok()
                    .and_then(|p| p.into_iter().find(|d| !theirs.contains(&d.id))),
            ) {
                let mut said = Instant::now();
                let events = self.events.clone();
                let mut list =
                    crate::download::as_they_stand(store.downloads().unwrap_or_default());
                let id = d.id;
                let result =
                    crate::download::perform(&mut store, fetcher, &d, cap, |bytes, total| {
                        // A line of progress four times a second is plenty.
                        if said.elapsed() >= Duration::from_millis(250) {
                            said = Instant::now();
                            if let Some(e) = list.iter_mut().find(|e| e.id == id) {
                                e.state = "downloading".into();
                                e.bytes = bytes;
                                e.total = total;
                            }
                            let _ = events.send(Msg::Downloads(list.clone()));
                        }
                    });
                if let Err(e) = &result {
                    tracing::warn!("download {}: {e}", d.url);
                }
                let done = match result {
                    Ok(_) => format!("Downloaded {}", d.path),
                    Err(e @ crate::download::DownloadError::Busy(_)) => {
                        theirs.insert(d.id);
                        format!("Not downloaded here: {e}")
                    }
                    Err(e) => format!("Download failed: {e}"),
                };
                let _ = self.events.send(Msg::Notice(done));
                self.tell(&store);
            }
            self.running.store(false, Ordering::SeqCst);
            // Something queued while this one was finishing: go on with it (not with
            // what another bulletin holds).
            let more = store
                .pending_downloads()
                .is_ok_and(|p| p.iter().any(|d| !theirs.contains(&d.id)));
            if !more {
                return;
            }
        }
    }

    fn tell(&self, store: &Store) {
        if let Ok(list) = store.downloads() {
            let list = crate::download::as_they_stand(list);
            let _ = self.events.send(Msg::Downloads(list));
        }
    }
}
