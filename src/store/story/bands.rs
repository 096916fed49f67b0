//! The index of text bands: which articles have a band of their sketch. A row is one
//! integer, the band's top 32 bits over the article's id, the table's rowid: all of a
//! band's articles sit in one range of it, and a row costs SQLite no record to build,
//! compare or store.
//!
//! Why so small: a cold refresh writes twelve rows an article, 600,000 for a thousand
//! feeds; as (key, item, at) records in a WITHOUT ROWID table they were half of what
//! grouping cost. 32 bits of a band are plenty: two different bands that agree on them
//! only bring a candidate whose sketch is then compared, never a merge.

use super::Result;
use crate::story::text;
use rusqlite::{params_from_iter, Connection, OptionalExtension};

/// Rows given to one INSERT: one statement a row cost more than the row itself.
const PER_INSERT: usize = 200;
const LOW: u64 = 0xffff_ffff;

/// The row of `band` for the article `item`; None for an id past 32 bits, which no
/// cache reaches (such an article is found by its links only).
pub fn row(band: i64, item: i64) -> Option<i64> {
    let item = u64::try_from(item).ok().filter(|i| *i <= LOW)?;
    Some((((band as u64) & !LOW) | item) as i64)
}

/// The rows of `band`, first and last.
pub fn range(band: i64) -> (i64, i64) {
    let first = (band as u64) & !LOW;
    (first as i64, (first | LOW) as i64)
}

/// The article a row names (as `k & 4294967295` in SQL, see `Sketches::around`).
#[cfg(test)]
fn item(row: i64) -> i64 {
    ((row as u64) & LOW) as i64
}

/// Writes rows (sorted here: in key order each page of the index is written once).
pub fn write(tx: &Connection, rows: &mut Vec<i64>) -> Result<()> {
    rows.sort_unstable();
    rows.dedup();
    let mut chunks = rows.chunks_exact(PER_INSERT);
    let mut full = tx.prepare_cached(&insert(PER_INSERT))?;
    for chunk in &mut chunks {
        full.execute(params_from_iter(chunk))?;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        tx.prepare(&insert(rest.len()))?
            .execute(params_from_iter(rest))?;
    }
    Ok(())
}

fn insert(rows: usize) -> String {
    let mut sql = String::from("INSERT OR IGNORE INTO story_band_keys (k) VALUES (?)");
    for _ in 1..rows {
        sql.push_str(",(?)");
    }
    sql
}

/// The rows of stored sketches (their bands worked out again): those filed before a
/// time, or every one.
fn rows_of_sketches(tx: &Connection, older_than: Option<i64>) -> Result<Vec<i64>> {
    let mut stmt =
        tx.prepare("SELECT item, sketch FROM story_sketches WHERE ?1 IS NULL OR at < ?1")?;
    let mut rows = Vec::new();
    let mut found = stmt.query([older_than])?;
    while let Some(r) = found.next()? {
        let id: i64 = r.get(0)?;
        let sketch = text::sketch_from_bytes(r.get_ref(1)?.as_blob().unwrap_or_default());
        rows.extend(text::bands(&sketch).into_iter().filter_map(|b| row(b, id)));
    }
    Ok(rows)
}

/// Forgets the sketches filed before `cutoff` and their bands.
pub fn prune(tx: &Connection, cutoff: i64) -> Result<()> {
    let mut rows = rows_of_sketches(tx, Some(cutoff))?;
    rows.sort_unstable();
    let mut delete = tx.prepare_cached("DELETE FROM story_band_keys WHERE k = ?1")?;
    for k in rows {
        delete.execute([k])?;
    }
    tx.execute("DELETE FROM story_sketches WHERE at < ?1", [cutoff])?;
    Ok(())
}

/// Sketches the articles whose sketches are kept again from their text, and fills the
/// index from them, once, after a migration that changed how words are hashed or how
/// the index is kept (`stories.resketch`).
/// Whether it did.
pub fn rebuild_if_asked(tx: &Connection) -> Result<bool> {
    if super::super::meta_get(tx, "stories.resketch")?.is_none() {
        return Ok(false);
    }
    // By feed, its kept articles' boilerplate left out as at their arrival (what they
    // share near their ends): one reading of each text, where reading each with its
    // neighbours (`stored_shingles`) read seven.
    let kept: Vec<(i64, Option<i64>)> = tx
        .prepare(
            "SELECT s.item, i.feed_id FROM story_sketches s LEFT JOIN items i ON i.id = s.item
             ORDER BY i.feed_id, s.item",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut body = tx.prepare("SELECT summary, content FROM items WHERE id = ?1")?;
    let mut update = tx.prepare("UPDATE story_sketches SET sketch = ?2 WHERE item = ?1")?;
    let mut forget = tx.prepare("DELETE FROM story_sketches WHERE item = ?1")?;
    for feed in kept.chunk_by(|a, b| a.1 == b.1) {
        let texts: Vec<Vec<u64>> = feed
            .iter()
            .map(|(id, _)| {
                body.query_row([id], |r| {
                    Ok(super::shingles_of(r.get_ref(0)?, r.get_ref(1)?))
                })
                .optional()
                .map(Option::unwrap_or_default)
            })
            .collect::<rusqlite::Result<_>>()?;
        let sketches = text::sketches(&texts, texts.len());
        for ((id, feed_id), sketch) in feed.iter().zip(sketches) {
            let sketch = match feed_id {
                Some(_) => sketch,
                None => Vec::new(),
            };
            if sketch.is_empty() {
                forget.execute([id])?;
            } else {
                update.execute(rusqlite::params![id, text::sketch_bytes(&sketch)])?;
            }
        }
    }
    tx.execute("DELETE FROM story_band_keys", [])?;
    let mut rows = rows_of_sketches(tx, None)?;
    write(tx, &mut rows)?;
    tx.execute("DELETE FROM meta WHERE key = 'stories.resketch'", [])?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bands_rows_are_one_range_and_name_their_article() {
        for band in [0i64, 1, -1, i64::MIN, i64::MAX, 0x1234_5678_9abc_def0] {
            let (first, last) = range(band);
            for id in [1i64, 2, 77, 0xffff_ffff] {
                let k = row(band, id).unwrap();
                assert!(first <= k && k <= last, "{band:x} {id}");
                assert_eq!(item(k), id);
            }
            // Another band's rows are outside the range.
            let other = band.wrapping_add(1 << 32);
            let k = row(other, 5).unwrap();
            assert!(k < first || k > last);
        }
        assert_eq!(row(1, 1 << 32), None);
        assert_eq!(row(1, -1), None);
    }
}
