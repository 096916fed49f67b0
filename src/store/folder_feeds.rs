//! The cache's side of subscriptions through the folder: the winning state of every
//! feed URL seen there (the later by the hybrid clock, ties to the larger device id),
//! `pending` until another device's is made to the config here.

use super::{Result, Store};
use crate::model::Stamp;
use rusqlite::params;

/// A subscription as the folder has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFeed {
    pub url: String,
    pub at: Stamp,
    pub device: String,
    pub present: bool,
    pub name: Option<String>,
    pub tags: Vec<String>,
}

impl Store {
    /// Merges subscription states (the later wins, as for marks); returns those that
    /// won and came from another device, to be applied to the config.
    pub fn folder_merge_feeds(&mut self, feeds: &[FolderFeed], own: &str) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut won = 0;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO folder_feeds (url, ms, n, device, present, name, tags, pending)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (url) DO UPDATE SET
                     ms = excluded.ms, n = excluded.n, device = excluded.device,
                     present = excluded.present, name = excluded.name, tags = excluded.tags,
                     pending = excluded.pending
                 WHERE (excluded.ms, excluded.n, excluded.device)
                     > (folder_feeds.ms, folder_feeds.n, folder_feeds.device)",
            )?;
            for f in feeds {
                won += upsert.execute(params![
                    f.url,
                    f.at.0,
                    f.at.1,
                    f.device,
                    f.present,
                    f.name,
                    f.tags.join("\n"),
                    f.device != own
                ])?;
            }
        }
        tx.commit()?;
        Ok(won)
    }

    /// The subscription states another device set that are not applied here yet.
    pub fn folder_pending_feeds(&self) -> Result<Vec<FolderFeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, ms, n, device, present, name, tags FROM folder_feeds
             WHERE pending = 1 ORDER BY ms, n",
        )?;
        let rows = stmt.query_map([], |r| {
            let tags: String = r.get(6)?;
            Ok(FolderFeed {
                url: r.get(0)?,
                at: Stamp(r.get(1)?, r.get::<_, i64>(2)? as u32),
                device: r.get(3)?,
                present: r.get(4)?,
                name: r.get(5)?,
                tags: tags
                    .lines()
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn folder_feed_applied(&mut self, url: &str) -> Result<()> {
        self.conn
            .execute("UPDATE folder_feeds SET pending = 0 WHERE url = ?1", [url])?;
        Ok(())
    }

    /// Subscriptions present in the folder's state.
    pub fn folder_feed_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM folder_feeds WHERE present = 1",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// The subscription states this device wrote that still win (a snapshot keeps them).
    pub fn folder_own_feeds(&self, device: &str) -> Result<Vec<FolderFeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, ms, n, present, name, tags FROM folder_feeds WHERE device = ?1",
        )?;
        let rows = stmt.query_map([device], |r| {
            let tags: String = r.get(5)?;
            Ok(FolderFeed {
                url: r.get(0)?,
                at: Stamp(r.get(1)?, r.get::<_, i64>(2)? as u32),
                device: device.to_string(),
                present: r.get(3)?,
                name: r.get(4)?,
                tags: tags.lines().map(str::to_string).collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every feed URL the folder has a state for, present or not.
    pub fn folder_feed_urls(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT url FROM folder_feeds")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
