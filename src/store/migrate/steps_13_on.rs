//! Schema steps 13 on: the sync queue's numbers, folder sync, stories, the search
//! index's queue, Snappy bodies, ids never reused.

/// Entry `i` brings the schema from version `12 + i` to `13 + i`.
pub(super) const STEPS: &[&str] = &[
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
    // 21: an article's id is never given to another. SQLite gives a new row the
    // highest id plus one, so deleting the newest articles (a feed removed, old ones
    // let go) handed their ids to the next ones, and whatever still held such an id (a
    // list's bound for `A`, a cursor, a story) meant another article. The highest id
    // ever deleted is kept here, and every writer of articles numbers them above it
    // (store::item_ids); AUTOINCREMENT would have meant rebuilding the table.
    r#"
    CREATE TRIGGER items_high_water AFTER DELETE ON items
    WHEN OLD.id > coalesce((SELECT max(id) FROM items), 0) BEGIN
        INSERT INTO meta (key, value) VALUES ('items.high', OLD.id)
            ON CONFLICT (key) DO UPDATE
            SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER));
    END;
    "#,
    // 22: a feed's counts leave out the articles a filter hid, as its list does. Hidden
    // ones arrive read, but a mark made later (`mark-unread --feed`, a sync, the Hidden
    // view) made them unread and counted where no list shows them: "1/8" over 7 rows,
    // and All unread (1) over an empty list, with `n` leading nowhere. (An article's
    // `hidden` and `feed_id` never change once written.)
    r#"
    DROP TRIGGER items_count_insert;
    CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
        UPDATE feeds SET total = total + (NEW.hidden = 0),
            unread = unread + (NEW.is_read = 0 AND NEW.hidden = 0),
            newest = max(coalesce(newest, NEW.sort_time), NEW.sort_time)
        WHERE id = NEW.feed_id;
    END;
    DROP TRIGGER items_count_delete;
    CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
        UPDATE feeds SET total = total - (OLD.hidden = 0),
            unread = unread - (OLD.is_read = 0 AND OLD.hidden = 0)
        WHERE id = OLD.feed_id;
    END;
    DROP TRIGGER items_count_read;
    CREATE TRIGGER items_count_read AFTER UPDATE OF is_read ON items
    WHEN OLD.is_read != NEW.is_read AND NEW.hidden = 0 BEGIN
        UPDATE feeds SET unread = unread + (NEW.is_read = 0) - (OLD.is_read = 0)
        WHERE id = NEW.feed_id;
    END;
    UPDATE feeds SET
        total = (SELECT count(*) FROM items WHERE feed_id = feeds.id AND hidden = 0),
        unread = (SELECT count(*) FROM items
                  WHERE feed_id = feeds.id AND hidden = 0 AND is_read = 0);
    "#,
    // 23: an article a filter hid leaves the story it joined (hidden articles now join
    // none: store::write::feed): it made the story's other copies read with its
    // filter's mark, and stood as a copy where no list shows it.
    r#"
    UPDATE items SET story = NULL WHERE hidden = 1 AND story IS NOT NULL;
    "#,
];
