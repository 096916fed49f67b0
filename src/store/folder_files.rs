//! How far each file of the sync folder has been read (see `folder::pull`).

use super::{Result, Store};
use rusqlite::params;
use std::collections::HashMap;

/// How far a file of the folder was read: the offset, the file's modification time
/// then, and a hash of the bytes just before the offset (a file replaced by another of
/// the same length or longer is told apart by it, and read again from the start).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileMark {
    pub offset: u64,
    pub mtime: i64,
    pub tail: i64,
}

impl Store {
    /// How far each file of the folder has been read, by file name.
    pub fn folder_offsets(&self) -> Result<HashMap<String, FileMark>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, offset, mtime, tail FROM folder_files")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                FileMark {
                    offset: r.get::<_, i64>(1)?.max(0) as u64,
                    mtime: r.get(2)?,
                    tail: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers how far each file has been read (files gone are forgotten).
    pub fn folder_set_offsets(&mut self, offsets: &HashMap<String, FileMark>) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM folder_files", [])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO folder_files (name, offset, mtime, tail) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (name, m) in offsets {
                insert.execute(params![name, m.offset as i64, m.mtime, m.tail])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
