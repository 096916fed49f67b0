//! Which bands the text index may have, in memory: a bit for each of 2^24 slots of a
//! band's top bits, set for every band the index holds. A band whose bit is clear is
//! not looked up at all.
//!
//! Why: a new article's twelve bands are nearly all new, and each lookup of one that
//! is not there still cost SQLite a seek of a microsecond, half a second of a cold
//! refresh's 600,000. With the index's bands in 2 MiB, one in thirty of those lookups
//! is left (a slot another band shares).
//!
//! The bits are this connection's: built by reading the index once (nothing to read
//! on a new cache), kept as this connection writes bands, and built again when another
//! connection has written since (`PRAGMA data_version`), so that no band is ever taken
//! for missing. A bit left set for a band since pruned only costs a lookup.

use super::Result;
use rusqlite::Connection;

const SLOT_BITS: u32 = 24;
/// Below this many articles to look up, the bits are not read again (see `update`):
/// twelve lookups an article of about a microsecond each, against some 50 ms to read
/// a month's 600,000 rows.
const REBUILD_FOR: usize = 2_000;

#[derive(Default)]
pub struct BandFilter {
    bits: Vec<u64>,
    /// `PRAGMA data_version` when the bits were last right; None: never built.
    version: Option<i64>,
}

impl BandFilter {
    /// Makes the bits right for the index as this transaction sees it, before looking
    /// up `arrivals` articles' bands. For a few, bits that are not right are dropped
    /// instead, and every band is looked up: reading the whole index again costs more
    /// than their lookups (the TUI's small slices, while a cron refresh writes).
    pub fn update(&mut self, tx: &Connection, arrivals: usize) -> Result<()> {
        let version: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.version == Some(version) {
            return Ok(());
        }
        if arrivals < REBUILD_FOR {
            self.bits = Vec::new();
            self.version = None;
            return Ok(());
        }
        self.bits = vec![0; 1 << (SLOT_BITS - 6)];
        let mut stmt = tx.prepare_cached("SELECT k FROM story_band_keys")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            self.add(r.get(0)?);
        }
        self.version = Some(version);
        Ok(())
    }

    /// Forgets the bits: the next `update` reads the index again (after this connection
    /// filled it otherwise than through `add`).
    pub fn forget(&mut self) {
        self.version = None;
    }

    fn slot(row: i64) -> usize {
        ((row as u64) >> (64 - SLOT_BITS)) as usize
    }

    /// A row of the index (`bands::row`) written.
    pub fn add(&mut self, row: i64) {
        if let Some(word) = self.bits.get_mut(Self::slot(row) >> 6) {
            *word |= 1 << (Self::slot(row) & 63);
        }
    }

    /// Whether the index may have rows in this band's range (`bands::range`'s first);
    /// always, when the bits were dropped.
    pub fn may_have(&self, first: i64) -> bool {
        let slot = Self::slot(first);
        self.bits
            .get(slot >> 6)
            .is_none_or(|word| word & (1 << (slot & 63)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_band_written_is_never_taken_for_missing() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE story_band_keys (k INTEGER PRIMARY KEY)")
            .unwrap();
        let row = super::super::bands::row(0x1234_5678_9abc_def0, 7).unwrap();
        conn.execute("INSERT INTO story_band_keys VALUES (?1)", [row])
            .unwrap();
        let mut filter = BandFilter::default();
        assert!(filter.may_have(0), "not built yet: anything may be there");
        // A few to look up: the bits are not read, and every band may be there.
        filter.update(&conn, 10).unwrap();
        let other = super::super::bands::range(0x0234_5678_9abc_def0).0;
        assert!(filter.may_have(other));
        filter.update(&conn, REBUILD_FOR).unwrap();
        let (first, _) = super::super::bands::range(0x1234_5678_9abc_def0);
        assert!(filter.may_have(first));
        assert!(!filter.may_have(other));
        filter.add(super::super::bands::row(0x0234_5678_9abc_def0, 8).unwrap());
        assert!(filter.may_have(other));
    }
}
