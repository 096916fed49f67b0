//! The download queue in the cache: what was asked for survives a restart (a download
//! cut short resumes from its partial file), and `bulletin downloads` lists it.

use super::{Result, Store};
use rusqlite::params;

/// A download as the queue keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Download {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub path: String,
    /// queued, downloading, done or failed.
    pub state: String,
    pub bytes: u64,
    pub total: Option<u64>,
    pub error: Option<String>,
    /// The URL of the feed whose article named it (None: the article is gone): what it
    /// may reach depends on where that feed lives (see `Fetcher::for_content_of`).
    pub origin: Option<String>,
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Download> {
    Ok(Download {
        id: r.get(0)?,
        title: r.get(1)?,
        url: r.get(2)?,
        path: r.get(3)?,
        state: r.get(4)?,
        bytes: r.get::<_, i64>(5)?.max(0) as u64,
        total: r.get::<_, Option<i64>>(6)?.map(|t| t.max(0) as u64),
        error: r.get(7)?,
        origin: r.get(8)?,
    })
}

const COLUMNS: &str = "d.id, d.title, d.url, d.path, d.state, d.bytes, d.total, d.error,
    (SELECT f.url FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = d.item_id)";

impl Store {
    /// Queues a download of `url` to `path` (`download::queue` first looks for the same
    /// URL not done, to resume it instead).
    pub fn queue_download(
        &mut self,
        item: Option<i64>,
        title: &str,
        url: &str,
        path: &str,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO downloads (item_id, title, url, path, added) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                item,
                crate::sanitize::clean_line(title),
                url,
                path,
                chrono::Utc::now().timestamp()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Every download, newest first.
    pub fn downloads(&self) -> Result<Vec<Download>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM downloads d ORDER BY d.id DESC"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The downloads still to do (queued, or cut short while downloading), oldest first.
    pub fn pending_downloads(&self) -> Result<Vec<Download>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM downloads d WHERE d.state IN ('queued', 'downloading') ORDER BY d.id"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The files downloads not yet done will write: taken, though not on disk yet.
    pub fn reserved_download_paths(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path FROM downloads WHERE state != 'done'")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records how a download stands.
    pub fn set_download(
        &mut self,
        id: i64,
        state: &str,
        bytes: u64,
        total: Option<u64>,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE downloads SET state = ?2, bytes = ?3, total = ?4, error = ?5 WHERE id = ?1",
            params![
                id,
                state,
                bytes as i64,
                total.map(|t| t as i64),
                error.map(crate::sanitize::clean_line)
            ],
        )?;
        Ok(())
    }
}
