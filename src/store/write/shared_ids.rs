//! An article keeps its row when its id changes form because another item came to
//! share (or stopped sharing) its id, or because it is read otherwise now (a parser's
//! fix gives it another id): a row of the same title and address whose id the document
//! no longer has is its row. parse::distinct_ids gives each item of a group
//! sharing an id the shared id and `#` and a hash of its own (16 or 32 hex digits),
//! and a lone item the id as it is: so a status page's one item linking to the page
//! was `…/status` until a second such item appeared, then `…/status#…`, and came back
//! as new and unread beside its read self.

use super::*;

/// Before a feed's items are upserted: each item new to the feed by its id whose other
/// form names a row of the feed with the same title and link (exactly one) has that
/// row's id changed to its own, so the upsert finds it with its marks. Only for a feed
/// that had articles: a first fetch (every feed of a cold refresh) has nothing to carry.
pub(super) fn carry(tx: &Connection, feed: FeedId, items: &[PreparedItem]) -> Result<usize> {
    let mut known = tx.prepare_cached("SELECT 1 FROM items WHERE feed_id = ?1 AND guid = ?2")?;
    let mut same_bare = tx.prepare_cached(
        "SELECT id, guid, hash FROM items WHERE feed_id = ?1 AND guid = ?2
             AND title = ?3 AND link IS ?4",
    )?;
    // '$' follows '#': the range is every id that starts with the bare one and '#'.
    let mut same_hashed = tx.prepare_cached(
        "SELECT id, guid, hash FROM items WHERE feed_id = ?1
             AND guid > ?2 || '#' AND guid < ?2 || '$' AND title = ?3 AND link IS ?4",
    )?;
    // An id another reading gave it (a parser's fix: Atom's `<guid>` read as the id where
    // the link stood, a link written as text): the row of the same title and address.
    let mut same_page = tx.prepare_cached(
        "SELECT id, guid, hash FROM items WHERE feed_id = ?1 AND link = ?2 AND title = ?3",
    )?;
    let current: std::collections::HashSet<&str> = items.iter().map(|i| i.guid.as_str()).collect();
    let mut rename = tx.prepare_cached("UPDATE items SET guid = ?2 WHERE id = ?1")?;
    // Items alike in title and link (a daily digest of one title and one address)
    // cannot be told apart by them: one of those takes a row only if it is that row
    // word for word (the same hash), never another's read mark.
    let mut alike: std::collections::HashMap<(&str, Option<&str>), u32> = Default::default();
    for item in items {
        *alike
            .entry((item.title.as_str(), item.link.as_deref()))
            .or_default() += 1;
    }
    let mut carried = 0;
    for item in items {
        if known.exists(params![feed.0, item.guid])? {
            continue;
        }
        let one_alike = alike[&(item.title.as_str(), item.link.as_deref())] == 1;
        let like = params![
            feed.0,
            bare_of(&item.guid).unwrap_or(&item.guid),
            item.title,
            item.link
        ];
        let rows: Vec<(i64, String, i64)> = match bare_of(&item.guid) {
            // It shares its id now: the row of when it did not.
            Some(_) => same_bare
                .query_map(like, row)?
                .collect::<rusqlite::Result<_>>()?,
            // It no longer shares its id: the row of when it did.
            None => same_hashed
                .query_map(like, row)?
                .filter(|r| {
                    r.as_ref().map_or(true, |(_, guid, _)| {
                        bare_of(guid) == Some(item.guid.as_str())
                    })
                })
                .collect::<rusqlite::Result<_>>()?,
        };
        let rows = match (rows.is_empty(), item.link.as_deref()) {
            (true, Some(link)) if one_alike => same_page
                .query_map(params![feed.0, link, item.title], row)?
                .filter(|r| {
                    r.as_ref()
                        .map_or(true, |(_, guid, _)| !current.contains(guid.as_str()))
                })
                .collect::<rusqlite::Result<_>>()?,
            _ => rows,
        };
        if let [(id, _, hash)] = rows.as_slice() {
            if one_alike || *hash == item.hash {
                rename.execute(params![id, item.guid])?;
                carried += 1;
            }
        }
    }
    Ok(carried)
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<(i64, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

/// The shared id of an id distinct_ids made: what comes before `#` and 16 or 32
/// lowercase hex digits at its end.
fn bare_of(guid: &str) -> Option<&str> {
    let (bare, hash) = guid.rsplit_once('#')?;
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    (matches!(hash.len(), 16 | 32) && hex(hash)).then_some(bare)
}

#[cfg(test)]
mod tests {
    use crate::model::{ItemId, Validators};
    use crate::store::{PreparedFeed, Store};

    const PAGE: &str = "https://status.example.org/";

    fn item(title: &str, body: &str) -> String {
        format!("<item><title>{title}</title><link>{PAGE}</link>{body}</item>")
    }

    /// One fetch of `feed` serving a document of these `<item>`s.
    fn refresh_with(store: &mut Store, feed: crate::model::FeedId, items: &str) {
        let doc = format!("<rss version=\"2.0\"><channel><title>S</title>{items}</channel></rss>");
        let parsed = crate::parse::parse_feed(doc.as_bytes(), None, PAGE).unwrap();
        store
            .apply(
                feed,
                &PreparedFeed::new(parsed),
                &Validators::default(),
                Some(200),
                chrono::Utc::now(),
                0,
            )
            .unwrap();
    }

    /// One fetch serving items of these titles, all linking to the page.
    fn refresh(store: &mut Store, feed: crate::model::FeedId, titles: &[&str]) {
        let items: String = titles.iter().map(|t| item(t, "")).collect();
        refresh_with(store, feed, &items);
    }

    fn only_id(store: &Store) -> i64 {
        store
            .conn
            .query_row("SELECT id FROM items", [], |r| r.get(0))
            .unwrap()
    }

    fn guid_of(store: &Store, id: i64) -> String {
        store
            .conn
            .query_row("SELECT guid FROM items WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
    }

    /// (title, read) of the feed's rows, by title.
    fn rows(store: &Store) -> Vec<(String, bool)> {
        let mut stmt = store
            .conn
            .prepare("SELECT title, is_read FROM items ORDER BY title")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// An item alone with its link, read; a second item with the same link comes on
    /// top (both ids change form), then goes: the first is one row, read, throughout.
    /// An article the parser now gives another id (its guid where its link was the id)
    /// keeps its row and read mark; a second article at the same page does not take it.
    #[test]
    fn an_article_read_with_another_id_keeps_its_row() {
        let (_dir, mut store, feeds) = crate::store::test_store(1);
        let a = format!("<item><title>A</title><link>{PAGE}a</link></item>");
        let b = format!("<item><title>B</title><link>{PAGE}b</link></item>");
        refresh_with(&mut store, feeds[0], &format!("{a}{b}"));
        store
            .conn
            .execute("UPDATE items SET is_read = 1", [])
            .unwrap();
        let a2 = format!("<item><title>A</title><link>{PAGE}a</link><guid>tag:x,1</guid></item>");
        refresh_with(&mut store, feeds[0], &format!("{a2}{b}"));
        assert_eq!(rows(&store), [("A".into(), true), ("B".into(), true)]);
        // The same title and page under a new id while the old one is still listed: a
        // second article, new and unread.
        let a3 = format!("<item><title>A</title><link>{PAGE}a</link><guid>tag:x,2</guid></item>");
        refresh_with(&mut store, feeds[0], &format!("{a2}{a3}{b}"));
        let unread: i64 = store
            .conn
            .query_row("SELECT count(*) FROM items WHERE is_read = 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(unread, 1);
    }

    #[test]
    fn an_item_keeps_its_row_and_mark_when_another_comes_to_share_its_id() {
        let (_dir, mut store, feeds) = crate::store::test_store(1);
        refresh(&mut store, feeds[0], &["Maintenance"]);
        let first = only_id(&store);
        store.set_read(&[ItemId(first)], true).unwrap();
        refresh(&mut store, feeds[0], &["Outage", "Maintenance"]);
        assert_eq!(
            rows(&store),
            [("Maintenance".into(), true), ("Outage".into(), false)]
        );
        let guid = guid_of(&store, first);
        assert!(guid.starts_with(&format!("{PAGE}#")), "{guid}");
        refresh(&mut store, feeds[0], &["Maintenance"]);
        assert_eq!(
            rows(&store),
            [("Maintenance".into(), true), ("Outage".into(), false)]
        );
        let guid = guid_of(&store, first);
        assert_eq!(guid, PAGE);
    }

    /// Two items of one title and link (a daily digest): only the one that is the row
    /// word for word takes it, so the new one never reads as read.
    #[test]
    fn items_alike_in_title_and_link_are_carried_only_word_for_word() {
        let (_dir, mut store, feeds) = crate::store::test_store(1);
        let day = |body: &str| item("Digest", &format!("<description>{body}</description>"));
        refresh_with(&mut store, feeds[0], &day("day one"));
        let first = only_id(&store);
        store.set_read(&[ItemId(first)], true).unwrap();
        refresh_with(
            &mut store,
            feeds[0],
            &format!("{}{}", day("day two"), day("day one")),
        );
        let all = rows(&store);
        assert_eq!(
            all.len(),
            2,
            "day one is its row again, word for word: {all:?}"
        );
        // The read row is day one's still; day two comes as new and unread.
        let read: Vec<i64> = {
            let mut stmt = store
                .conn
                .prepare("SELECT id FROM items WHERE is_read = 1")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        assert_eq!(read, [first]);
    }

    /// Only an id of distinct_ids' form is taken for another's: a publisher's own
    /// fragment, or a row of another title, is left alone.
    #[test]
    fn only_hashes_of_the_same_item_are_carried() {
        assert_eq!(super::bare_of("a#0123456789abcdef"), Some("a"));
        assert_eq!(
            super::bare_of("a#0123456789abcdef0123456789abcdef"),
            Some("a")
        );
        assert_eq!(super::bare_of("a#section"), None);
        assert_eq!(super::bare_of("a#0123456789ABCDEF"), None);
        let (_dir, mut store, feeds) = crate::store::test_store(1);
        refresh(&mut store, feeds[0], &["One"]);
        refresh(&mut store, feeds[0], &["Two", "Three"]);
        assert_eq!(rows(&store).len(), 3, "{:?}", rows(&store));
    }
}
