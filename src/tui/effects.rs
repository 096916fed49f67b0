//! Carrying out `Cmd`s: the one place that talks to the workers and the outside world.
//! Results come back to `update` as `Msg`s; nothing here writes the model.

use super::input::InputControl;
use super::msg::{Cmd, Msg};
use super::refresher::{RefreshReq, RefreshWorker};
use super::worker::StoreReq;
use super::{browser, terminal};
use crate::config::Config;
use ratatui::DefaultTerminal;
use std::io::Write;
use std::sync::mpsc::Sender;

pub struct Effects {
    pub store: Sender<StoreReq>,
    pub refresh: RefreshWorker,
    pub events: Sender<Msg>,
    pub input: InputControl,
    browser: Vec<String>,
    browser_in_terminal: bool,
    /// For the HTTP client of a discovery or a full text.
    general: crate::config::General,
    /// The cache, which a full text is written to from its own thread.
    db: std::path::PathBuf,
    /// A sync server or a mailbox is configured: marks are pushed to them soon after
    /// they are made.
    marks_travel: bool,
    /// Runs the download queue on its own thread.
    pub downloader: super::enclosures::Downloader,
    /// Fetches and encodes pictures for the reader; None: they stay placeholders.
    pub images: Option<super::images::Loader>,
    enclosure_command: Vec<String>,
    /// The config file `Ctrl-e` edits; None in the demo.
    config_path: Option<std::path::PathBuf>,
}

impl Effects {
    pub fn new(
        config: &Config,
        store: Sender<StoreReq>,
        refresh: RefreshWorker,
        events: Sender<Msg>,
        input: InputControl,
        db: std::path::PathBuf,
    ) -> Effects {
        let downloader =
            super::enclosures::Downloader::new(db.clone(), config.general.clone(), events.clone());
        let mut fx = Effects {
            store,
            refresh,
            events,
            input,
            browser: Vec::new(),
            browser_in_terminal: false,
            general: config.general.clone(),
            downloader,
            images: None,
            db,
            marks_travel: false,
            enclosure_command: Vec::new(),
            config_path: None,
        };
        fx.use_config(config);
        fx
    }

    /// Fetches an article's page as a job (it waits on the network); the page, or why
    /// there is none, comes back as `Msg::FullTextFetched` for the store thread to keep.
    fn fetch_full_text(&self, id: crate::model::ItemId, url: String, origin: String) {
        let general = self.general.clone();
        let job = move || {
            let result = crate::fetch::Fetcher::new(&general)
                .map_err(|e| e.to_string())
                .and_then(|fetcher| {
                    let fetcher = fetcher.for_content_of(&origin);
                    crate::fulltext::fetch(&fetcher, &url, crate::fulltext::MAX_PAGES).map_err(
                        |e| match e {
                            crate::fulltext::ExtractError::Fetch(f) => format!("{url}: {f}"),
                            other => other.to_string(),
                        },
                    )
                });
            Msg::FullTextFetched { id, result }
        };
        super::jobs::run(&self.events, "full-text", job, move |e| {
            Msg::FullTextFetched { id, result: Err(e) }
        });
    }

    fn use_config(&mut self, config: &Config) {
        self.general = config.general.clone();
        self.marks_travel =
            config.sync.is_some() || config.folder.is_some() || !config.mailboxes.is_empty();
        self.enclosure_command = config.general.enclosure_command.clone();
        self.config_path = config.path.clone();
        self.downloader.use_config(config);
        let protocol = super::images::pick(config.reader.images, &|v| std::env::var(v).ok());
        self.images = protocol.map(|p| super::images::Loader {
            picker: super::images::picker(p),
            cache: self
                .db
                .parent()
                .map(|d| d.join("images"))
                .unwrap_or_else(|| "images".into()),
            general: config.general.clone(),
            events: self.events.clone(),
            latest: Default::default(),
        });
        self.browser = config.browser_argv();
        self.browser_in_terminal = config
            .general
            .browser_in_terminal
            .unwrap_or_else(|| browser::is_terminal_browser(&self.browser));
    }

    /// Returns true when the screen must be redrawn in full (after a terminal browser).
    pub fn run(
        &mut self,
        cmd: Cmd,
        terminal: &mut DefaultTerminal,
    ) -> Result<bool, super::TuiError> {
        let marks = matches!(
            cmd,
            Cmd::SetRead { .. }
                | Cmd::MarkRead { .. }
                | Cmd::MarkAboveRead { .. }
                | Cmd::SetStarred { .. }
        );
        if marks && self.marks_travel {
            self.refresh.send(RefreshReq::PushMarks);
        }
        let to_store = match cmd {
            Cmd::Refresh { feeds, force } => {
                self.refresh.send(RefreshReq::Run { feeds, force });
                return Ok(false);
            }
            Cmd::UseConfig(config) => {
                self.use_config(&config);
                self.refresh.send(RefreshReq::Config(config));
                return Ok(true);
            }
            Cmd::OpenUrl(url) => return self.open_url(&url, terminal),
            Cmd::CopyToClipboard(url) => {
                use base64::Engine;
                // OSC 52: the terminal puts it on the clipboard, even over ssh.
                let encoded = base64::engine::general_purpose::STANDARD.encode(url.as_bytes());
                let mut out = std::io::stdout();
                let _ = write!(out, "\x1b]52;c;{encoded}\x07");
                let _ = out.flush();
                return Ok(false);
            }
            Cmd::LoadFeeds => StoreReq::LoadFeeds,
            Cmd::LoadDownloads => StoreReq::LoadDownloads,
            Cmd::ReloadSynced => StoreReq::ReloadSynced,
            Cmd::LoadImages {
                req,
                width,
                images,
                allow_file,
                origin,
            } => {
                if let Some(loader) = &self.images {
                    loader.load(req, width, images, allow_file, origin);
                }
                return Ok(false);
            }
            Cmd::QueueDownload { item, index } => {
                self.downloader.queue(item, index);
                return Ok(false);
            }
            Cmd::OpenEnclosure(url) => {
                // A player opens a window or plays in the background: not waited for.
                match browser::spawn(&self.enclosure_command, &url) {
                    Ok(mut child) => {
                        std::thread::spawn(move || child.wait());
                    }
                    Err(e) => {
                        let _ = self
                            .events
                            .send(Msg::Notice(e.replace("the browser", "enclosure_command")));
                    }
                }
                return Ok(false);
            }
            Cmd::TerminalNotify(line) => {
                let seq = crate::notify::terminal_sequence(&line);
                let out = terminal.backend_mut();
                let _ = out.write_all(seq.as_bytes()).and_then(|_| out.flush());
                return Ok(false);
            }
            Cmd::LoadPage {
                req,
                query,
                page,
                count,
            } => StoreReq::LoadPage {
                req,
                query,
                page,
                count,
            },
            Cmd::LoadArticle { req, id, full } => StoreReq::LoadArticle { req, id, full },
            Cmd::TrustHost { feed, url } => {
                let timeout =
                    std::time::Duration::from_secs(u64::from(self.general.timeout_seconds.max(1)));
                let job = move || Msg::Trusted {
                    feed,
                    result: crate::fetch::gemini::trust_host(&url, timeout).map(|t| t.to_string()),
                };
                super::jobs::run(&self.events, "trust", job, move |e| Msg::Trusted {
                    feed,
                    result: Err(e),
                });
                return Ok(false);
            }
            Cmd::FetchFullText { id, url, origin } => {
                self.fetch_full_text(id, url, origin);
                return Ok(false);
            }
            Cmd::SetRead { ids, read } => StoreReq::SetRead { ids, read },
            Cmd::MarkRead { query, upto } => StoreReq::MarkRead {
                query,
                above: None,
                upto,
            },
            Cmd::MarkAboveRead { query, below, upto } => StoreReq::MarkRead {
                query,
                above: Some(below),
                upto,
            },
            Cmd::Locate { req, query, id } => StoreReq::Locate { req, query, id },
            Cmd::StoreFullText { id, result } => StoreReq::SetFullText { id, result },
            Cmd::SaveHideRead(hide) => StoreReq::SaveHideRead(hide),
            Cmd::SaveCollapsed(tags) => StoreReq::SaveCollapsed(tags),
            Cmd::SaveSorts(sorts) => StoreReq::SaveSorts(sorts),
            Cmd::SaveArticle { path, title, text } => StoreReq::SaveArticle { path, title, text },
            Cmd::PipeArticle { command, text } => {
                super::commands::pipe(command, text, self.events.clone());
                return Ok(false);
            }
            Cmd::EditConfig => return self.edit_config(terminal),
            Cmd::PushMarks => {
                if self.marks_travel {
                    self.refresh.send(RefreshReq::PushMarks);
                }
                return Ok(false);
            }
            Cmd::SetStarred { id, starred } => StoreReq::SetStarred { id, starred },
            Cmd::SaveSelection { feed_key, item } => StoreReq::SaveSelection { feed_key, item },
            Cmd::ReloadConfig => StoreReq::ReloadConfig,
            Cmd::Discover { url, origin } => {
                super::manage::discover(&self.general, url, origin, self.events.clone());
                return Ok(false);
            }
            Cmd::EditFeeds(edit) => StoreReq::EditFeeds(edit),
            Cmd::CountRecent => StoreReq::CountRecent,
        };
        if self.store.send(to_store).is_err() {
            let _ = self.events.send(Msg::StoreFailed(
                "The cache thread stopped; see the log".into(),
            ));
        }
        Ok(false)
    }

    /// Hands the terminal to the user's editor on the config, then reloads it (an error
    /// in it is shown in full, as for any reload).
    fn edit_config(&mut self, terminal: &mut DefaultTerminal) -> Result<bool, super::TuiError> {
        let Some(path) = self.config_path.clone() else {
            let _ = self.events.send(Msg::Notice(
                "The demo has no config file: `bulletin init` writes one".into(),
            ));
            return Ok(false);
        };
        let paused = self.input.pause();
        terminal::leave();
        let result = super::commands::edit(&path);
        *terminal = terminal::enter()?;
        let _ = terminal.clear();
        paused.resume();
        match result {
            Ok(()) => {
                let _ = self.store.send(StoreReq::ReloadConfig);
            }
            Err(e) => {
                let _ = self.events.send(Msg::Notice(e));
            }
        }
        Ok(true)
    }

    fn open_url(
        &mut self,
        url: &str,
        terminal: &mut DefaultTerminal,
    ) -> Result<bool, super::TuiError> {
        if let Err(e) = browser::check_url(url) {
            let _ = self.events.send(Msg::Notice(e));
            return Ok(false);
        }
        if !self.browser_in_terminal {
            // A window of its own: started, and waited for on a thread of its own, so a
            // browser that never detaches cannot freeze the UI.
            let message = match browser::spawn(&self.browser, url) {
                Ok(mut child) => {
                    let (events, url) = (self.events.clone(), url.to_string());
                    std::thread::spawn(move || {
                        let status = child.wait().map_err(|e| e.to_string());
                        let _ = events.send(Msg::Notice(browser::outcome(&url, status)));
                    });
                    return Ok(false);
                }
                Err(e) => e,
            };
            let _ = self.events.send(Msg::Notice(message));
            return Ok(false);
        }
        // A terminal browser needs the terminal: the input thread lets go of it (and says
        // so) before the browser starts, and the TUI waits, suspended.
        let paused = self.input.pause();
        terminal::leave();
        let result = browser::run(&self.browser, url);
        *terminal = terminal::enter()?;
        let _ = terminal.clear();
        paused.resume();
        let _ = self.events.send(Msg::Notice(browser::outcome(url, result)));
        Ok(true)
    }
}
