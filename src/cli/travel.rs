//! Marks made on the command line (`mark-read`, `star`, ...) reach the sync server and
//! the mailboxes: a running TUI on the same cache sends them (it watches the cache);
//! with none, the command sends them itself, and says so, or says the next refresh will.

use crate::config::Config;
use crate::paths::AppPaths;
use crate::store::Store;

/// Whether a TUI holds this data dir (its `tui.lock`). The lock is taken and let go at
/// once when free: a TUI starting in that instant is the only one that could mind.
pub fn tui_running(paths: &AppPaths) -> bool {
    let path = paths.data_dir.join("tui.lock");
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
    else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

/// After marks were made in `store`: sends them where they go, saying what happened on
/// standard error (the marks themselves are made and kept whatever the network does).
pub fn send_marks(config: &Config, paths: &AppPaths, store: &mut Store) {
    if config.sync.is_none() && config.folder.is_none() && config.mailboxes.is_empty() {
        return;
    }
    let waiting = store.queued_mark_count().unwrap_or(0)
        + store.mail_queue_len().unwrap_or(0)
        + store.folder_queue_len().unwrap_or(0);
    if waiting == 0 {
        return;
    }
    if tui_running(paths) {
        eprintln!("bulletin: the running bulletin sends the marks ({waiting} waiting)");
        return;
    }
    let later = "the next refresh (or sync) sends them";
    let fetcher = match crate::fetch::Fetcher::new(&config.general) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("bulletin: marks not sent ({e}); {later}");
            return;
        }
    };
    let mail = crate::mail::read::push_all(store, config);
    for e in &mail.errors {
        eprintln!("bulletin: mail: {e}; {later}");
    }
    if mail.pushed > 0 {
        let s = if mail.pushed == 1 { "" } else { "s" };
        eprintln!("bulletin: sent {} mark{s} to the mailbox", mail.pushed);
    }
    if let Some(mut session) = crate::sync::Session::of(config, &fetcher) {
        match session.push(store) {
            Ok(0) => {}
            Ok(n) => {
                let s = if n == 1 { "" } else { "s" };
                let to = if config.folder.is_some() {
                    "the sync folder"
                } else {
                    "the server"
                };
                eprintln!("bulletin: sent {n} mark{s} to {to}");
            }
            Err(e) => eprintln!("bulletin: marks not sent: {e}; {later}"),
        }
    }
}

/// After a subscription changed on the command line (`add`, `remove`, `rename`, `tag`):
/// with a sync folder, the change is written there at once, stamped now (a running TUI
/// writes it within seconds itself). What fails is said on stderr; the next sync sends it.
pub fn send_subscriptions(paths: &AppPaths) {
    let Ok(Some(config)) = Config::load_for(paths) else {
        return;
    };
    if config.folder.is_none() || tui_running(paths) || !paths.db_file().exists() {
        return;
    }
    let Ok(mut store) = Store::open(&paths.db_file()) else {
        return;
    };
    let Ok(fetcher) = crate::fetch::Fetcher::new(&config.general) else {
        return;
    };
    if let Some(mut session) = crate::sync::Session::of(&config, &fetcher) {
        if let Err(e) = session.sync(&config, &mut store) {
            eprintln!("bulletin: {e}; the next sync sends the change");
        }
    }
}
