//! Schema steps 1 to 12: feeds and articles, newsboat's marks, search, feed health,
//! server sync, full text, downloads and newsletters.

/// Entry `i` brings the schema from version `i` to `i + 1`.
pub(super) const STEPS: &[&str] = &[
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
];
