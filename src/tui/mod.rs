//! The terminal UI: one UI thread owning the `Model`, an input thread, a store thread and
//! a refresh worker, all funnelled into one channel of `Msg`s.

mod answers;
mod backoff;
pub mod browser;
mod commands;
mod config_watch;
mod effects;
pub mod enclosures;
pub mod health;
pub mod images;
mod indexer;
mod input;
mod jobs;
pub mod keymap;
pub mod line;
mod manage;
pub mod model;
pub mod msg;
pub mod overlay;
mod refresher;
mod terminal;
pub mod theme;
pub mod update;
pub mod view;
mod worker;

use crate::config::Config;
use crate::paths::AppPaths;
use crate::store::Store;
use effects::Effects;
use model::Model;
use msg::Msg;
use ratatui::DefaultTerminal;
use refresher::{RefreshReq, RefreshWorker};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;
use theme::Theme;
use worker::StoreReq;

/// Why the TUI could not start or had to stop: one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Demo(#[from] crate::demo::DemoError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The data dir cannot be used (created, locked, or is locked by another bulletin).
    #[error("{0}")]
    DataDir(String),
    #[error("{0}")]
    Terminal(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// How often the screen updates while a refresh runs.
const TICK: Duration = Duration::from_millis(200);

/// Where the TUI reads from: the user's config, or the built-in demo.
struct Setup {
    config: Config,
    paths: AppPaths,
    hint: Option<String>,
}

fn setup(paths: &AppPaths) -> Result<Setup, TuiError> {
    if !paths.demo {
        if let Some(config) = Config::load_for(paths)? {
            return Ok(Setup {
                config,
                paths: paths.clone(),
                hint: None,
            });
        }
    }
    // No config (or --demo): the demo, with a cache of its own so the user's is never
    // touched.
    let demo_paths = paths.for_demo();
    let config = crate::demo::config(&demo_paths.data_dir.join("feeds"))?;
    let hint = format!(
        "Demo: `bulletin init` writes a config to {}",
        paths.config_file.display()
    );
    Ok(Setup {
        config,
        paths: demo_paths,
        hint: Some(hint),
    })
}

pub fn run(paths: &AppPaths, log: Option<&std::path::Path>) -> Result<(), TuiError> {
    let Setup {
        mut config,
        paths,
        hint,
    } = setup(paths)?;
    let _lock = lock_data_dir(&paths.data_dir)?;
    // Opened here so that a broken cache is reported before the screen is taken over.
    crate::paths::say_if_new(&paths.db_file());
    if crate::store::Store::needs_migration(&paths.db_file()) {
        eprintln!(
            "bulletin: updating the cache for this version (once; a big cache takes a while)"
        );
    }
    let mut store = open_store(&paths.db_file())?;
    // The server's feeds as the last sync left them, and the mailboxes' newsletters as
    // the last read left them: listed at once, offline too.
    crate::feedlist::merge(&mut config, &store)?;
    store.sync_feeds(&config.feeds)?;
    let mut terminal = terminal::enter()?;
    crate::config::detach_password_commands();

    let (tx, rx) = mpsc::channel::<Msg>();
    let (store_tx, store_rx) = mpsc::channel::<StoreReq>();
    let cancel = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));

    let store_thread = {
        let (config, tx) = (config.clone(), tx.clone());
        let config_path = config.path.clone();
        std::thread::Builder::new()
            .name("store".into())
            .spawn(move || worker::store_thread(store, config, config_path, store_rx, tx))?
    };
    let refresh = RefreshWorker::spawn(paths.db_file(), config.clone(), tx.clone(), cancel.clone());
    let input = input::spawn(tx.clone(), stop.clone());
    watch_sighup(tx.clone());

    let mut model = Model::new(keymap::Keymap::default(), chrono::Utc::now());
    model.no_color = Theme::no_color_env();
    model.hint = hint;
    model.auto_images = images::pick(crate::config::ImagesSetting::Auto, &|v| {
        std::env::var(v).ok()
    })
    .is_some();
    model.apply_config(&config);
    model.log_path = log.map(|p| p.display().to_string());
    let mut effects = Effects::new(&config, store_tx, refresh, tx, input, paths.db_file());
    // Downloads a quit cut short go on.
    effects.downloader.resume();
    if config.general.refresh_on_startup
        && (!config.feeds.is_empty() || config.sync.is_some() || !config.mailboxes.is_empty())
    {
        model.refresh.requested = true;
        effects.refresh.send(RefreshReq::Run {
            feeds: None,
            force: false,
        });
    }

    let size = terminal.size()?;
    model.size = (size.width, size.height);
    let result = event_loop(&mut terminal, &mut model, &rx, &mut effects);
    terminal::leave();

    stop.store(true, Ordering::Relaxed);
    cancel.store(true, Ordering::Relaxed);
    // Let the store thread finish queued writes (read marks, the saved selection).
    drop(effects);
    let _ = store_thread.join();
    result
}

/// One TUI per data dir: a second one would fight the first over the saved selection and
/// confuse its user. (A cron `bulletin refresh` needs no lock: SQLite serialises writers.)
fn lock_data_dir(dir: &std::path::Path) -> Result<std::fs::File, TuiError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| TuiError::DataDir(format!("{}: cannot create: {e}", dir.display())))?;
    let path = dir.join("tui.lock");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| TuiError::DataDir(format!("{}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.set_len(0);
            let _ = writeln!(file, "{}", std::process::id());
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(&path).unwrap_or_default();
            Err(TuiError::DataDir(format!(
                "another bulletin (pid {}) is already running on {}; quit it, or use --data-dir",
                pid.trim(),
                dir.display()
            )))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(TuiError::DataDir(format!(
            "{}: cannot lock: {e}",
            path.display()
        ))),
    }
}

/// Opens the cache; when the file there is not ours and someone is at the terminal, offers
/// to move it aside. Never deletes it.
fn open_store(path: &std::path::Path) -> Result<Store, TuiError> {
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
                return Err(e.into());
            }
            std::fs::rename(path, &aside).map_err(|err| {
                TuiError::DataDir(format!("cannot move {} aside: {err}", path.display()))
            })?;
            for suffix in ["-wal", "-shm", "-checks"] {
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
) -> Result<(), TuiError> {
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
                redraw |= fx.run(cmd, terminal)?;
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

/// SIGHUP reloads the config, as daemons and newsboat users expect. (A real hang-up also
/// closes the terminal, which the input thread sees and turns into a quit.) Windows has
/// no SIGHUP: Ctrl-r reloads there.
#[cfg(not(unix))]
fn watch_sighup(_tx: Sender<Msg>) {}

#[cfg(unix)]
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
