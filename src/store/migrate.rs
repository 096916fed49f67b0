//! Numbered schema migrations keyed on `PRAGMA user_version`.

use rusqlite::Connection;

/// Each entry brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: feeds, items, counts kept by triggers, the UI's remembered state.
    r#"
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        site_link TEXT,
        description TEXT,
        etag TEXT,
        last_modified TEXT,
        last_attempt INTEGER,
        last_success INTEGER,
        http_status INTEGER,
        last_error TEXT,
        retry_after INTEGER,
        unread INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        title TEXT NOT NULL,
        link TEXT,
        author TEXT,
        published INTEGER,
        updated INTEGER,
        sort_time INTEGER NOT NULL,
        summary TEXT,
        content TEXT,
        enclosures TEXT,
        hash INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        is_read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX items_by_feed ON items (feed_id, sort_time DESC, id DESC);
    CREATE INDEX items_by_unread ON items (is_read, sort_time DESC, id DESC);
    CREATE INDEX items_by_starred ON items (starred, sort_time DESC, id DESC) WHERE starred = 1;
    -- The feed list shows counts at start-up; keeping them here makes that cost
    -- independent of the number of cached items.
    CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
        UPDATE feeds SET total = total + 1, unread = unread + (NEW.is_read = 0)
        WHERE id = NEW.feed_id;
    END;
    CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
        UPDATE feeds SET total = total - 1, unread = unread - (OLD.is_read = 0)
        WHERE id = OLD.feed_id;
    END;
    CREATE TRIGGER items_count_read AFTER UPDATE OF is_read ON items
    WHEN OLD.is_read != NEW.is_read BEGIN
        UPDATE feeds SET unread = unread + (NEW.is_read = 0) - (OLD.is_read = 0)
        WHERE id = NEW.feed_id;
    END;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    "#,
    // 2: read marks brought over from newsboat, applied to items as they arrive.
    r#"
    CREATE TABLE imported_read (
        feed_url TEXT NOT NULL,
        guid TEXT,
        link TEXT
    );
    CREATE INDEX imported_read_by_guid ON imported_read (feed_url, guid);
    CREATE INDEX imported_read_by_link ON imported_read (feed_url, link);
    "#,
    // 3: lists over many feeds (a tag, everything) page in time order without sorting.
    r#"
    CREATE INDEX items_by_time ON items (sort_time DESC, id DESC);
    "#,
    // 4: the unique (feed_id, guid) index already finds a feed's items; sorting one feed's
    // few hundred rows costs less than keeping a second per-feed index on every insert.
    r#"
    DROP INDEX items_by_feed;
    "#,
    // 5: each time-ordered index costs a refresh a page write per new item, wherever
    // its time falls; lists over many feeds now page along items_by_unread, one read
    // state at a time (see store::read), so the general time index goes.
    r#"
    DROP INDEX items_by_time;
    "#,
    // 6: importing newsboat's marks twice must not keep two copies of each: the
    // duplicates go, and a unique index makes the import's INSERT OR IGNORE skip them.
    r#"
    DELETE FROM imported_read WHERE rowid NOT IN (
        SELECT min(rowid) FROM imported_read
        GROUP BY feed_url, coalesce(guid, ''), coalesce(link, ''));
    CREATE UNIQUE INDEX imported_read_unique
        ON imported_read (feed_url, coalesce(guid, ''), coalesce(link, ''));
    "#,
    // 7: full-text search. The index keeps only its own structures (contentless), keyed
    // by sort time and item id so that it lists matches newest first without a sort (see
    // store::search::key). New and changed items wait in search_pending until indexed.
    // Filters may hide articles as they arrive. (The triggers test before inserting: an
    // upsert's conflict handling would override an INSERT OR IGNORE inside a trigger.)
    r#"
    ALTER TABLE items ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    CREATE VIRTUAL TABLE search USING fts5(
        title, author, feed, body, fid,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2');
    CREATE INDEX items_hidden ON items (sort_time) WHERE hidden = 1;
    CREATE TABLE search_pending (item_id INTEGER PRIMARY KEY);
    INSERT INTO search_pending SELECT id FROM items;
    CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
        INSERT INTO search_pending (item_id) SELECT NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE item_id = NEW.id);
    END;
    CREATE TRIGGER items_search_update AFTER UPDATE OF title, author, summary, content, sort_time
    ON items BEGIN
        DELETE FROM search
        WHERE rowid = max(min(OLD.sort_time, 2147483647), -2147483648) * 2147483648 + OLD.id;
        INSERT INTO search_pending (item_id) SELECT NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE item_id = NEW.id);
    END;
    CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
        DELETE FROM search
        WHERE rowid = max(min(OLD.sort_time, 2147483647), -2147483648) * 2147483648 + OLD.id;
        DELETE FROM search_pending WHERE item_id = OLD.id;
    END;
    "#,
    // 8: feed health (failures in a row and since when, 410 Gone, a move by permanent
    // redirect and the redirect seen so far) and the newest article's time, kept by the
    // count trigger so that `feeds --json` reads it without touching the items.
    r#"
    ALTER TABLE feeds ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN failing_since INTEGER;
    ALTER TABLE feeds ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN moved_from TEXT;
    ALTER TABLE feeds ADD COLUMN redirect_to TEXT;
    ALTER TABLE feeds ADD COLUMN redirect_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN newest INTEGER;
    UPDATE feeds SET newest = (SELECT max(sort_time) FROM items WHERE items.feed_id = feeds.id);
    UPDATE feeds SET consecutive_failures = 1, failing_since = last_attempt
        WHERE last_error IS NOT NULL;
    DROP TRIGGER items_count_insert;
    CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
        UPDATE feeds SET total = total + 1, unread = unread + (NEW.is_read = 0),
            newest = max(coalesce(newest, NEW.sort_time), NEW.sort_time)
        WHERE id = NEW.feed_id;
    END;
    "#,
    // 9: syncing with an aggregator server. Feeds and items it sends carry its ids; a
    // user's mark on a synced item queues the change for the server in the same
    // transaction (the sync, when it applies the server's state, drops what its own
    // writes queued: see store::sync).
    r#"
    ALTER TABLE feeds ADD COLUMN remote_id TEXT;
    ALTER TABLE feeds ADD COLUMN remote_groups TEXT;
    ALTER TABLE items ADD COLUMN remote_id TEXT;
    CREATE UNIQUE INDEX items_by_remote_id ON items (remote_id) WHERE remote_id IS NOT NULL;
    CREATE TABLE sync_queue (
        seq INTEGER PRIMARY KEY,
        remote_id TEXT NOT NULL,
        mark TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    CREATE TRIGGER items_sync_read AFTER UPDATE OF is_read ON items
    WHEN NEW.remote_id IS NOT NULL AND OLD.is_read != NEW.is_read BEGIN
        INSERT INTO sync_queue (remote_id, mark, at)
        VALUES (NEW.remote_id, CASE NEW.is_read WHEN 0 THEN 'unread' ELSE 'read' END,
                unixepoch());
    END;
    CREATE TRIGGER items_sync_star AFTER UPDATE OF starred ON items
    WHEN NEW.remote_id IS NOT NULL AND OLD.starred != NEW.starred BEGIN
        INSERT INTO sync_queue (remote_id, mark, at)
        VALUES (NEW.remote_id, CASE NEW.starred WHEN 0 THEN 'unstar' ELSE 'star' END,
                unixepoch());
    END;
    "#,
    // 10: full text fetched from the article's page (compressed like bodies), where it
    // came from, or why it could not be had (then it is not tried again on its own); the
    // search index takes the full text in when it arrives.
    r#"
    ALTER TABLE items ADD COLUMN full_text BLOB;
    ALTER TABLE items ADD COLUMN full_text_url TEXT;
    ALTER TABLE items ADD COLUMN full_text_error TEXT;
    DROP TRIGGER items_search_update;
    CREATE TRIGGER items_search_update
    AFTER UPDATE OF title, author, summary, content, sort_time, full_text ON items BEGIN
        DELETE FROM search
        WHERE rowid = max(min(OLD.sort_time, 2147483647), -2147483648) * 2147483648 + OLD.id;
        INSERT INTO search_pending (item_id) SELECT NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE item_id = NEW.id);
    END;
    "#,
    // 11: the download queue: enclosures asked for, where they go, how far they got.
    r#"
    CREATE TABLE downloads (
        id INTEGER PRIMARY KEY,
        item_id INTEGER,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        path TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued',
        bytes INTEGER NOT NULL DEFAULT 0,
        total INTEGER,
        error TEXT,
        added INTEGER NOT NULL
    );
    "#,
    // 12: email newsletters. Every message a mailbox holds is remembered by its key there
    // (Maildir: the file's unique name; IMAP: its UID; mbox: its id), even once its
    // article is purged, so that a refresh reads only what is new. A read mark or a star
    // on a message's article is queued, in the mark's transaction, for the mailbox's
    // seen or flagged flag.
    r#"
    ALTER TABLE feeds ADD COLUMN mailbox TEXT;
    CREATE TABLE mail_messages (
        mailbox TEXT NOT NULL,
        key TEXT NOT NULL,
        item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
        location TEXT,
        seen INTEGER NOT NULL,
        flagged INTEGER NOT NULL DEFAULT 0,
        unsubscribe TEXT,
        PRIMARY KEY (mailbox, key)
    ) WITHOUT ROWID;
    CREATE INDEX mail_messages_by_item ON mail_messages (item_id) WHERE item_id IS NOT NULL;
    CREATE TABLE mail_state (
        mailbox TEXT PRIMARY KEY,
        uidvalidity INTEGER,
        uidnext INTEGER,
        modseq INTEGER,
        stamp TEXT
    );
    CREATE TABLE mail_queue (
        item_id INTEGER NOT NULL,
        flag TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (item_id, flag)
    ) WITHOUT ROWID;
    CREATE TRIGGER items_mail_read AFTER UPDATE OF is_read ON items
    WHEN OLD.is_read != NEW.is_read
        AND EXISTS (SELECT 1 FROM mail_messages WHERE item_id = NEW.id) BEGIN
        INSERT OR REPLACE INTO mail_queue (item_id, flag, value)
        VALUES (NEW.id, 'seen', NEW.is_read);
    END;
    CREATE TRIGGER items_mail_star AFTER UPDATE OF starred ON items
    WHEN OLD.starred != NEW.starred
        AND EXISTS (SELECT 1 FROM mail_messages WHERE item_id = NEW.id) BEGIN
        INSERT OR REPLACE INTO mail_queue (item_id, flag, value)
        VALUES (NEW.id, 'flagged', NEW.starred);
    END;
    "#,
    // 13: the sync queue's numbers are never reused (AUTOINCREMENT): a push unqueues the
    // marks it sent by number, and a number given again to a newer mark after the queue
    // emptied let another push's delete take that mark before it was sent.
    r#"
    CREATE TEMP TABLE sync_queue_keep AS SELECT seq, remote_id, mark, at FROM sync_queue;
    DROP TRIGGER items_sync_read;
    DROP TRIGGER items_sync_star;
    DROP TABLE sync_queue;
    CREATE TABLE sync_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        remote_id TEXT NOT NULL,
        mark TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    INSERT INTO sync_queue (seq, remote_id, mark, at)
        SELECT seq, remote_id, mark, at FROM sync_queue_keep ORDER BY seq;
    DROP TABLE sync_queue_keep;
    CREATE TRIGGER items_sync_read AFTER UPDATE OF is_read ON items
    WHEN NEW.remote_id IS NOT NULL AND OLD.is_read != NEW.is_read BEGIN
        INSERT INTO sync_queue (remote_id, mark, at)
        VALUES (NEW.remote_id, CASE NEW.is_read WHEN 0 THEN 'unread' ELSE 'read' END,
                unixepoch());
    END;
    CREATE TRIGGER items_sync_star AFTER UPDATE OF starred ON items
    WHEN NEW.remote_id IS NOT NULL AND OLD.starred != NEW.starred BEGIN
        INSERT INTO sync_queue (remote_id, mark, at)
        VALUES (NEW.remote_id, CASE NEW.starred WHEN 0 THEN 'unstar' ELSE 'star' END,
                unixepoch());
    END;
    "#,
    // 14: a full text keeps its page's byline and site name, for the reader's header.
    r#"
    ALTER TABLE items ADD COLUMN full_text_byline TEXT;
    ALTER TABLE items ADD COLUMN full_text_site TEXT;
    "#,
    // 15: sync through a folder. Marks made here wait in `folder_queue` (triggers, so a
    // mark from any process is caught) once this cache takes part (`sync.folder.device`
    // is set); marks being applied from the folder set `folder_applying` in their own
    // transaction and are not queued again. `folder_marks` holds the winning mark of
    // every article seen in the folder, read state and star, by a hash of the article's
    // feed URL and id (a million marks fit in a few dozen megabytes, written in key
    // order); `folder_feeds` the same for subscriptions, `pending` until applied;
    // `folder_files` how far each journal has been read (with its time and a hash of
    // the bytes before that point, to tell a file replaced by another).
    r#"
    CREATE TABLE folder_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        value INTEGER NOT NULL,
        at_ms INTEGER NOT NULL,
        feed TEXT,
        item TEXT
    );
    CREATE INDEX folder_queue_by_item ON folder_queue (item_id, kind);
    CREATE TABLE folder_applying (flag INTEGER);
    CREATE TRIGGER items_folder_read AFTER UPDATE OF is_read ON items
    WHEN OLD.is_read != NEW.is_read AND NEW.remote_id IS NULL
        AND EXISTS (SELECT 1 FROM meta WHERE key = 'sync.folder.device')
        AND NOT EXISTS (SELECT 1 FROM folder_applying) BEGIN
        INSERT INTO folder_queue (item_id, kind, value, at_ms, feed, item)
        VALUES (NEW.id, 'read', NEW.is_read,
                CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
                (SELECT CASE WHEN mailbox IS NOT NULL THEN 'mail:' ELSE url END
                 FROM feeds WHERE id = NEW.feed_id),
                NEW.guid);
    END;
    CREATE TRIGGER items_folder_star AFTER UPDATE OF starred ON items
    WHEN OLD.starred != NEW.starred AND NEW.remote_id IS NULL
        AND EXISTS (SELECT 1 FROM meta WHERE key = 'sync.folder.device')
        AND NOT EXISTS (SELECT 1 FROM folder_applying) BEGIN
        INSERT INTO folder_queue (item_id, kind, value, at_ms, feed, item)
        VALUES (NEW.id, 'star', NEW.starred,
                CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
                (SELECT CASE WHEN mailbox IS NOT NULL THEN 'mail:' ELSE url END
                 FROM feeds WHERE id = NEW.feed_id),
                NEW.guid);
    END;
    CREATE TABLE folder_marks (
        key INTEGER PRIMARY KEY,
        check_hash INTEGER NOT NULL,
        read_ms INTEGER,
        read_n INTEGER,
        read_device TEXT,
        read_value INTEGER,
        star_ms INTEGER,
        star_n INTEGER,
        star_device TEXT,
        star_value INTEGER
    );
    CREATE TABLE folder_feeds (
        url TEXT PRIMARY KEY,
        ms INTEGER NOT NULL,
        n INTEGER NOT NULL,
        device TEXT NOT NULL,
        present INTEGER NOT NULL,
        name TEXT,
        tags TEXT NOT NULL,
        pending INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE folder_files (
        name TEXT PRIMARY KEY,
        offset INTEGER NOT NULL,
        mtime INTEGER NOT NULL,
        tail INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 16: one story in many feeds. `story` is the id shared by an article's copies (NULL:
    // no copy, its story is its own id; the index holds only grouped articles, so an
    // article without copies costs nothing). Keys find copies by lookup: links and ids
    // for good, text sketches (and their bands) for a month after arrival (`at`). A read or a star on one
    // copy is given to every copy by trigger, so that no code path can mark one copy and
    // leave the others (and the sync, mail and folder triggers queue each copy's mark);
    // applying a server's own state sets `story_quiet`, since that state is per copy.
    // A refresh groups its new articles at its end: until then they wait in
    // `story_pending`, written with them, so that a refresh killed before it grouped
    // leaves them for the next one. All unread counts the unread copies beyond a
    // story's first on their own small index.
    r#"
    ALTER TABLE items ADD COLUMN story INTEGER;
    CREATE INDEX items_by_story ON items (story, id) WHERE story IS NOT NULL;
    CREATE INDEX items_unread_copies ON items (story)
        WHERE story IS NOT NULL AND is_read = 0 AND hidden = 0;
    CREATE TABLE story_pending (
        item INTEGER PRIMARY KEY,
        mode TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    CREATE TABLE story_links (
        key INTEGER NOT NULL,
        item INTEGER NOT NULL,
        PRIMARY KEY (key, item)
    ) WITHOUT ROWID;
    CREATE TABLE story_bands (
        key INTEGER NOT NULL,
        item INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (key, item)
    ) WITHOUT ROWID;
    CREATE TABLE story_sketches (
        item INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        sketch BLOB NOT NULL
    );
    CREATE TABLE story_quiet (flag INTEGER);
    CREATE TRIGGER items_story_read AFTER UPDATE OF is_read ON items
    WHEN NEW.story IS NOT NULL AND OLD.is_read != NEW.is_read
        AND NOT EXISTS (SELECT 1 FROM story_quiet) BEGIN
        UPDATE items SET is_read = NEW.is_read
        WHERE story = NEW.story AND id != NEW.id AND is_read != NEW.is_read;
    END;
    CREATE TRIGGER items_story_star AFTER UPDATE OF starred ON items
    WHEN NEW.story IS NOT NULL AND OLD.starred != NEW.starred
        AND NOT EXISTS (SELECT 1 FROM story_quiet) BEGIN
        UPDATE items SET starred = NEW.starred
        WHERE story = NEW.story AND id != NEW.id AND starred != NEW.starred;
    END;
    "#,
    // 17: the text bands' index as bare integer keys, a band's top 32 bits over the
    // article's id (see store::story::bands): a row is a rowid and nothing else, where
    // it was a three-column record, and a cold refresh writes twelve of them an
    // article. Words are hashed anew (story::text::shingles), so the articles whose
    // sketches are kept are sketched again from their text, and banded, at the next
    // grouping (`stories.resketch`).
    r#"
    DROP TABLE story_bands;
    CREATE TABLE story_band_keys (k INTEGER PRIMARY KEY);
    INSERT INTO meta (key, value) VALUES ('stories.resketch', '1')
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    "#,
    // 18: the search index's pending terms are written out as a segment at 16 MiB
    // rather than FTS5's 1 MiB: a batch of 5,000 articles made a dozen segments, each
    // merged again later (50,000 articles: about 8 % of the indexing's time).
    r#"
    INSERT INTO search (search, rank) VALUES ('hashsize', 16777216);
    "#,
    // 19: a new or changed article queued for the index in one probe of the queue, not a
    // look first and then the insert (each new article of a refresh pays it: about a
    // tenth of an insert's time, measured on this schema). DO NOTHING, not OR IGNORE:
    // a trigger fired by an upsert's update takes the upsert's ABORT for its own OR.
    r#"
    DROP TRIGGER items_search_insert;
    CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
        INSERT INTO search_pending (item_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    END;
    DROP TRIGGER items_search_update;
    CREATE TRIGGER items_search_update
    AFTER UPDATE OF title, author, summary, content, sort_time, full_text ON items BEGIN
        DELETE FROM search
        WHERE rowid = max(min(OLD.sort_time, 2147483647), -2147483648) * 2147483648 + OLD.id;
        INSERT INTO search_pending (item_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    END;
    "#,
    // 20: bodies are stored as Snappy (store::write::Stored), which a version before
    // reads as no body at all: the version number keeps that version off the cache
    // instead ("the cache was written by a newer bulletin"). LZ4 bodies already stored
    // are read as ever.
    r#"
    INSERT INTO meta (key, value) VALUES ('bodies', 'snappy')
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    "#,
];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies what is missing, each step in its own transaction with its version bump.
pub fn run(conn: &mut Connection) -> rusqlite::Result<()> {
    let current = version(conn)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        if version(&tx)? > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache written before search (schema 6) gets the index's queue filled with every
    /// article it holds, so the next search indexes them all.
    #[test]
    fn a_cache_from_before_search_queues_every_article() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            for (i, sql) in MIGRATIONS[..6].iter().enumerate() {
                let tx = conn.transaction().unwrap();
                tx.execute_batch(sql).unwrap();
                tx.pragma_update(None, "user_version", i as i64 + 1)
                    .unwrap();
                tx.commit().unwrap();
            }
            conn.execute(
                "INSERT INTO feeds (url) VALUES ('http://127.0.0.1:1/f')",
                [],
            )
            .unwrap();
            for i in 0..5 {
                conn.execute(
                    "INSERT INTO items (feed_id, guid, title, sort_time, hash, first_seen, content)
                     VALUES (1, ?1, ?2, 0, 0, 0, '<p>old words</p>')",
                    rusqlite::params![i.to_string(), format!("Old {i}")],
                )
                .unwrap();
            }
        }
        let mut store = crate::store::Store::open(&path).unwrap();
        assert_eq!(store.index_backlog().unwrap(), 5);
        let mut seen = Vec::new();
        store
            .index_all(&Default::default(), |d, t| seen.push((d, t)))
            .unwrap();
        assert_eq!(seen.last(), Some(&(5, 5)));
        let q = crate::search::compile(
            &crate::search::parse("old words", chrono::Utc::now()).unwrap(),
            &[],
        )
        .unwrap();
        let query = crate::store::ItemQuery {
            scope: crate::store::Scope::Feeds(vec![crate::model::FeedId(1)]),
            unread_only: false,
            starred_only: false,
            search: Some(q),
            order: Default::default(),
            stories: false,
        };
        assert_eq!(store.count_items(&query).unwrap(), 5);
    }
}

#[cfg(test)]
mod outdated {
    #[test]
    fn an_older_cache_says_it_needs_migrating_and_a_current_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        assert!(!crate::store::Store::needs_migration(&path), "no cache yet");
        drop(crate::store::Store::open(&path).unwrap());
        assert!(!crate::store::Store::needs_migration(&path), "current");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", super::LATEST - 1)
            .unwrap();
        drop(conn);
        assert!(crate::store::Store::needs_migration(&path));
    }
}
