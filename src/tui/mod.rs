//! The terminal UI: one UI thread owning the `Model`, an input thread, a store thread and
//! a refresh worker, all funnelled into one channel of `Msg`s.

pub mod browser;
pub mod keymap;
pub mod model;
pub mod msg;
pub mod theme;
pub mod update;
pub mod view;
mod worker;

use crate::config::Config;
use crate::paths::AppPaths;
use crate::store::Store;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::ExecutableCommand;
use model::Model;
use msg::{Cmd, Msg};
use ratatui::DefaultTerminal;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;
use theme::Theme;

/// How often the screen updates while a refresh runs.
const TICK: Duration = Duration::from_millis(200);

/// Where the TUI reads from: the user's config, or the built-in demo.
struct Setup {
    config: Config,
    paths: AppPaths,
    hint: Option<String>,
}

fn setup(paths: &AppPaths) -> anyhow::Result<Setup> {
    if let Some(config) = crate::cli::load_config(paths)? {
        return Ok(Setup {
            config,
            paths: paths.clone(),
            hint: None,
        });
    }
    // No config: the demo, with a cache of its own so the user's is never touched.
    let demo_paths = AppPaths {
        data_dir: paths.demo_dir(),
        ..paths.clone()
    };
    let config = crate::demo::config(&demo_paths.data_dir.join("feeds"))?;
    let hint = format!(
        "Demo: feeds go in {}; see config.example.toml",
        paths.config_file.display()
    );
    Ok(Setup {
        config,
        paths: demo_paths,
        hint: Some(hint),
    })
}

pub fn run(paths: &AppPaths, log: Option<&std::path::Path>) -> anyhow::Result<()> {
    let Setup {
        config,
        paths,
        hint,
    } = setup(paths)?;
    let _lock = lock_data_dir(&paths.data_dir)?;
    // Opened here so that a broken cache is reported before the screen is taken over.
    let mut store = open_store(&paths.db_file())?;
    store.sync_feeds(&config.feeds)?;

    let (tx, rx) = mpsc::channel::<Msg>();
    let (store_tx, store_rx) = mpsc::channel::<Cmd>();
    let (refresh_tx, refresh_rx) = mpsc::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let paused = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));

    let store_thread = {
        let (config, tx) = (config.clone(), tx.clone());
        let config_path = config.path.clone();
        std::thread::spawn(move || worker::store_thread(store, config, config_path, store_rx, tx))
    };
    {
        let (config, tx, cancel, db) =
            (config.clone(), tx.clone(), cancel.clone(), paths.db_file());
        std::thread::spawn(move || worker::refresh_thread(db, config, refresh_rx, tx, cancel));
    }
    {
        let (tx, paused, stop) = (tx.clone(), paused.clone(), stop.clone());
        std::thread::spawn(move || input_thread(tx, paused, stop));
    }
    watch_sighup(tx.clone());
    drop(tx);

    let keymap = keymap::Keymap::with_overrides(&config.keys).map_err(anyhow::Error::msg)?;
    let mut model = Model::new(keymap, chrono::Utc::now());
    model.no_color = Theme::no_color_env();
    model.theme = Theme::from_config(&config.theme, model.no_color);
    model.hint = hint;
    model.log_path = log.map(|p| p.display().to_string());
    let mut effects = Effects {
        store: store_tx,
        refresh: refresh_tx,
        browser: config.browser_argv(),
        paused,
    };
    if config.general.refresh_on_startup && !config.feeds.is_empty() {
        model.refresh.running = Some((0, config.feeds.len()));
        effects.refresh.send(worker::RefreshReq::Run(None)).ok();
    }

    let mut terminal = ratatui::init();
    std::io::stdout().execute(EnableMouseCapture).ok();
    let size = terminal.size()?;
    model.size = (size.width, size.height);
    let result = event_loop(&mut terminal, &mut model, &rx, &mut effects);
    std::io::stdout().execute(DisableMouseCapture).ok();
    ratatui::restore();

    stop.store(true, Ordering::Relaxed);
    cancel.store(true, Ordering::Relaxed);
    // Let the store thread finish queued writes (read marks, the saved selection).
    drop(effects);
    let _ = store_thread.join();
    result
}

/// One TUI per data dir: a second one would fight the first over the saved selection and
/// confuse its user. (A cron `bulletin refresh` needs no lock: SQLite serialises writers.)
fn lock_data_dir(dir: &std::path::Path) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", dir.display()))?;
    let path = dir.join("tui.lock");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.set_len(0);
            let _ = writeln!(file, "{}", std::process::id());
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(&path).unwrap_or_default();
            anyhow::bail!(
                "another bulletin (pid {}) is already running on {}; quit it, or use --data-dir",
                pid.trim(),
                dir.display()
            )
        }
        Err(std::fs::TryLockError::Error(e)) => {
            anyhow::bail!("{}: cannot lock: {e}", path.display())
        }
    }
}

/// Opens the cache; when the file there is not ours and someone is at the terminal, offers
/// to move it aside. Never deletes it.
fn open_store(path: &std::path::Path) -> anyhow::Result<Store> {
    use std::io::IsTerminal;
    match Store::open(path) {
        Err(e @ crate::store::StoreError::NotOurs { .. }) if std::io::stdin().is_terminal() => {
            let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
            let aside = path.with_extension(format!("db.broken-{stamp}"));
            eprint!(
                "bulletin: {e}\nMove it aside to {} and start an empty cache? [y/N] ",
                aside.display()
            );
            let _ = std::io::stderr().flush();
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer)?;
            if !answer.trim().eq_ignore_ascii_case("y") {
                anyhow::bail!("{e}");
            }
            std::fs::rename(path, &aside)
                .map_err(|err| anyhow::anyhow!("cannot move {} aside: {err}", path.display()))?;
            for suffix in ["-wal", "-shm"] {
                let side = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
                let _ = std::fs::rename(&side, format!("{}{suffix}", aside.display()));
            }
            Ok(Store::open(path)?)
        }
        other => Ok(other?),
    }
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    m: &mut Model,
    rx: &Receiver<Msg>,
    fx: &mut Effects,
) -> anyhow::Result<()> {
    terminal.draw(|f| view::draw(f, m, &m.theme))?;
    while !m.quit {
        let first = if m.is_busy() {
            match rx.recv_timeout(TICK) {
                Ok(msg) => msg,
                Err(RecvTimeoutError::Timeout) => Msg::Tick,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(msg) => msg,
                Err(_) => break,
            }
        };
        m.now = chrono::Utc::now();
        let mut redraw = false;
        // Drain what is queued, then draw once: one frame per batch of messages.
        for msg in std::iter::once(first).chain(rx.try_iter().take(256)) {
            let out = update::update(m, msg);
            redraw |= out.redraw;
            for cmd in out.cmds {
                if fx.run(cmd, terminal, m) {
                    redraw = true;
                }
            }
            if m.quit {
                break;
            }
        }
        if redraw && !m.quit {
            terminal.draw(|f| view::draw(f, m, &m.theme))?;
        }
    }
    Ok(())
}

/// Carries out `Cmd`s: the one place that talks to the workers and the outside world.
struct Effects {
    store: Sender<Cmd>,
    refresh: Sender<worker::RefreshReq>,
    browser: Vec<String>,
    paused: Arc<AtomicBool>,
}

impl Effects {
    /// Returns true when the screen must be redrawn in full (after the browser).
    fn run(&mut self, cmd: Cmd, terminal: &mut DefaultTerminal, m: &mut Model) -> bool {
        match cmd {
            Cmd::Refresh(feeds) => {
                let _ = self.refresh.send(worker::RefreshReq::Run(feeds));
                false
            }
            Cmd::UseConfig(config) => {
                self.browser = config.browser_argv();
                let _ = self.refresh.send(worker::RefreshReq::Config(config));
                true
            }
            Cmd::OpenUrl(url) => {
                if let Err(e) = browser::check_url(&url) {
                    m.message = Some(e);
                    return true;
                }
                self.suspend_for_browser(terminal, &url, m);
                true
            }
            Cmd::CopyToClipboard(url) => {
                use base64::Engine;
                // OSC 52: the terminal puts it on the clipboard, even over ssh.
                let encoded = base64::engine::general_purpose::STANDARD.encode(url.as_bytes());
                let mut out = std::io::stdout();
                let _ = write!(out, "\x1b]52;c;{encoded}\x07");
                let _ = out.flush();
                false
            }
            other => {
                if self.store.send(other).is_err() {
                    m.message = Some("The cache thread stopped; see the log".into());
                }
                false
            }
        }
    }

    /// Gives the terminal to the browser (w3m, lynx need it) and takes it back after.
    fn suspend_for_browser(&mut self, terminal: &mut DefaultTerminal, url: &str, m: &mut Model) {
        self.paused.store(true, Ordering::SeqCst);
        // Let the input thread finish its current poll so it does not eat the browser's keys.
        std::thread::sleep(Duration::from_millis(120));
        std::io::stdout().execute(DisableMouseCapture).ok();
        ratatui::restore();
        let result = browser::run(&self.browser, url);
        *terminal = ratatui::init();
        std::io::stdout().execute(EnableMouseCapture).ok();
        let _ = terminal.clear();
        self.paused.store(false, Ordering::SeqCst);
        m.message = Some(match result {
            Ok(status) if status.success() => format!("Opened {url}"),
            Ok(status) => format!("The browser exited with {status}"),
            Err(e) => e,
        });
    }
}

fn input_thread(tx: Sender<Msg>, paused: Arc<AtomicBool>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Relaxed) {
        if paused.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        match event::poll(Duration::from_millis(100)) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(_) => {
                // The terminal is gone (hang-up): quit, saving what we have.
                let _ = tx.send(Msg::InputClosed);
                return;
            }
        }
        if paused.load(Ordering::SeqCst) {
            continue;
        }
        let msg = match event::read() {
            Ok(Event::Key(k)) => Msg::Key(k),
            Ok(Event::Mouse(me)) => Msg::Mouse(me),
            Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
            Ok(_) => continue,
            Err(_) => {
                let _ = tx.send(Msg::InputClosed);
                return;
            }
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
}

/// SIGHUP reloads the config, as daemons and newsboat users expect. (A real hang-up also
/// closes the terminal, which the input thread sees and turns into a quit.)
fn watch_sighup(tx: Sender<Msg>) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([signal_hook::consts::SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        for _ in signals.forever() {
            if tx.send(Msg::ReloadRequested).is_err() {
                return;
            }
        }
    });
}
