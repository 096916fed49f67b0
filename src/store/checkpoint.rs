//! Checkpoints of the write-ahead log on a thread of their own during a refresh.
//!
//! A checkpoint copies the log into the database and waits for the disk twice (fsync of
//! the log, then of the database). Done by the writer, as SQLite does by default, those
//! waits stopped every write behind them: a third of a cold refresh's wall time went to
//! them. Here a second connection checkpoints while the writer goes on appending; WAL
//! allows exactly this, and durability is unchanged (a commit is durable in the log, as
//! before).

use super::{Result, Store};
use rusqlite::{Connection, OpenFlags};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// The writer's own threshold, restored when background checkpoints stop.
pub(super) const AUTOCHECKPOINT_PAGES: i64 = 10000;

/// Time between passive checkpoints: often enough that a restart finds little left to
/// copy, rarely enough that the syncs do not come one after another.
const ROUND: Duration = Duration::from_millis(50);

/// Running background checkpoints; [`Store::stop_background_checkpoints`] ends them.
pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Store {
    /// Starts checkpointing on another thread and stops this connection from doing it.
    /// `None` when there is no file to open a second connection on.
    pub fn start_background_checkpoints(&self) -> Result<Option<Checkpointer>> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::spawn(move || checkpoint_until(&conn, &stopped));
        Ok(Some(Checkpointer { stop, thread }))
    }

    /// Stops background checkpoints; this connection checkpoints again as it did.
    pub fn stop_background_checkpoints(&self, checkpointer: Checkpointer) -> Result<()> {
        drop(checkpointer.stop);
        let _ = checkpointer.thread.join();
        Ok(())
    }
}

fn checkpoint_until(conn: &Connection, stopped: &mpsc::Receiver<()>) {
    loop {
        // PASSIVE never waits for the writer: it copies what is committed and syncs.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        match stopped.recv_timeout(ROUND) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => return,
        }
    }
}
