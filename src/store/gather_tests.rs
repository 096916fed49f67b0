//! The gathering layer against what SQLite promises: every commit whole to readers and
//! checkpoints on other connections while the log restarts, and a cache intact after
//! its writer is killed in the middle of a transaction.

use super::*;
use rusqlite::{params, Connection, OpenFlags};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A blob that differs for every row and that LZ4 would not shrink: pages fill as a
/// refresh's do.
fn blob(row: i64) -> Vec<u8> {
    let mut x = (row as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..3000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn open(path: &Path) -> Connection {
    install();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn
}

fn create(conn: &Connection) {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
         CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL);
         INSERT INTO counter SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM counter);",
    )
    .unwrap();
}

/// One transaction: `n` rows after the last, and the counter moved with them.
fn append(conn: &mut Connection, n: i64) {
    let tx = conn.transaction().unwrap();
    let last: i64 = tx
        .query_row("SELECT coalesce(max(id), 0) FROM rows", [], |r| r.get(0))
        .unwrap();
    for id in last + 1..=last + n {
        tx.execute("INSERT INTO rows VALUES (?1, ?2)", params![id, blob(id)])
            .unwrap();
    }
    tx.execute("UPDATE counter SET n = n + ?1", [n]).unwrap();
    tx.commit().unwrap();
}

/// The counter agrees with the rows, and every row holds its own bytes.
fn check_whole(conn: &Connection) -> i64 {
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let (rows, counted): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM rows), (SELECT n FROM counter)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(rows, counted, "a commit seen in part");
    let mut stmt = conn.prepare("SELECT id, body FROM rows").unwrap();
    let mut q = stmt.query([]).unwrap();
    while let Some(r) = q.next().unwrap() {
        let id: i64 = r.get(0).unwrap();
        assert_eq!(r.get::<_, Vec<u8>>(1).unwrap(), blob(id), "row {id}");
    }
    rows
}

#[test]
fn this_layer_is_the_default_once_installed() {
    install();
    // SAFETY: sqlite3_vfs_find returns a registered VFS (or null) and its name is a
    // NUL-terminated string that lives as long as the VFS.
    let name = unsafe {
        let vfs = ffi::sqlite3_vfs_find(ptr::null());
        CStr::from_ptr((*vfs).zName).to_bytes().to_vec()
    };
    assert_eq!(name, b"bulletin");
}

/// The file's length as the system has it (outside SQLite).
fn length(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

#[test]
fn frames_are_gathered_and_a_commits_writes_go_out_before_they_return() {
    install();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    let page = vec![7u8; 4096];
    let header = |commit: u32| {
        let mut h = [1u8; FRAME_HEADER];
        h[4..8].copy_from_slice(&commit.to_be_bytes());
        h
    };
    // SAFETY: the handle's memory is as large as the VFS asks and 8-aligned; it is
    // opened before use and closed before its memory goes.
    unsafe {
        let vfs = ffi::sqlite3_vfs_find(c"bulletin".as_ptr());
        let mut memory = vec![0u64; (*vfs).szOsFile as usize / 8 + 1];
        let file = memory.as_mut_ptr().cast::<ffi::sqlite3_file>();
        let mut out = 0;
        // Opened as a database file (a log's name must come from SQLite itself), then
        // told it is a log.
        let flags = ffi::SQLITE_OPEN_MAIN_DB | ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE;
        assert_eq!(
            super::open(vfs, name.as_ptr(), file, flags, &mut out),
            ffi::SQLITE_OK
        );
        (*(*file.cast::<File>()).state).log = true;
        let frame = (FRAME_HEADER + page.len()) as i64;
        let mut at = 32;
        for commit in [0, 0, 3] {
            let h = header(commit);
            assert_eq!(
                write(file, h.as_ptr().cast(), h.len() as c_int, at),
                ffi::SQLITE_OK
            );
            let rc = write(
                file,
                page.as_ptr().cast(),
                page.len() as c_int,
                at + FRAME_HEADER as i64,
            );
            assert_eq!(rc, ffi::SQLITE_OK);
            at += frame;
            if commit == 0 {
                assert_eq!(length(&path), 0, "a frame inside a transaction is gathered");
            }
        }
        assert_eq!(
            length(&path),
            32 + 3 * frame as u64,
            "the commit's frames are written"
        );
        // And what was written reads back.
        let mut back = vec![0u8; page.len()];
        let rc = read(
            file,
            back.as_mut_ptr().cast(),
            back.len() as c_int,
            32 + frame + FRAME_HEADER as i64,
        );
        assert_eq!(rc, ffi::SQLITE_OK);
        assert_eq!(back, page);
        // SQLite writes the headers again alone after a transaction that spilled pages
        // (walRewriteChecksums): the commit's, with no page after it, goes out at once.
        let rewritten = {
            let mut h = header(3);
            h[8..16].copy_from_slice(b"newsalt!");
            h
        };
        let commit_at = 32 + 2 * frame;
        let rc = write(
            file,
            rewritten.as_ptr().cast(),
            FRAME_HEADER as c_int,
            commit_at,
        );
        assert_eq!(rc, ffi::SQLITE_OK);
        let on_file = std::fs::read(&path).unwrap();
        let at = commit_at as usize;
        assert_eq!(
            &on_file[at..at + FRAME_HEADER],
            &rewritten[..],
            "the rewritten commit header"
        );
        // The next transaction's first frame is gathered again.
        let h = header(0);
        assert_eq!(
            write(file, h.as_ptr().cast(), h.len() as c_int, at as i64 + frame),
            ffi::SQLITE_OK
        );
        assert_eq!(
            length(&path),
            32 + 3 * frame as u64,
            "a new transaction's frame waits"
        );
        assert_eq!(close(file), ffi::SQLITE_OK);
        assert_eq!(
            length(&path),
            32 + 3 * frame as u64 + FRAME_HEADER as u64,
            "out at close"
        );
    }
}

#[test]
fn readers_and_checkpoints_on_other_connections_see_every_commit_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gather.db");
    let mut writer = open(&path);
    create(&writer);
    // A short log: it restarts from its beginning again and again under the readers.
    writer
        .pragma_update(None, "wal_autocheckpoint", 64)
        .unwrap();
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let reader = open(&path);
                let mut looks = 0;
                while !done.load(Ordering::Relaxed) {
                    let tx = reader.unchecked_transaction().unwrap();
                    let (rows, counted, last): (i64, i64, Option<Vec<u8>>) = tx
                        .query_row(
                            "SELECT (SELECT count(*) FROM rows), (SELECT n FROM counter),
                                    (SELECT body FROM rows ORDER BY id DESC LIMIT 1)",
                            [],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .unwrap();
                    assert_eq!(rows, counted, "a commit seen in part");
                    if let Some(body) = last {
                        assert_eq!(body, blob(rows), "the newest row's bytes");
                    }
                    drop(tx);
                    looks += 1;
                }
                assert!(looks > 0);
            });
        }
        s.spawn(|| {
            let checkpointer = open(&path);
            while !done.load(Ordering::Relaxed) {
                let _: (i64, i64, i64) = checkpointer
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .unwrap();
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        // Transactions of many pages (gathered across the 124 KiB bound) and of one.
        for round in 0..60 {
            append(&mut writer, if round % 3 == 0 { 1 } else { 90 });
        }
        done.store(true, Ordering::Relaxed);
    });
    assert_eq!(check_whole(&writer), 20 + 40 * 90);
    drop(writer);
    assert_eq!(check_whole(&open(&path)), 20 + 40 * 90);
}

/// Run by the test below in a process of its own, which it kills.
#[test]
#[ignore = "a child process of the test below"]
fn child_writes_until_killed() {
    let Some(path) = std::env::var_os("BULLETIN_GATHER_CHILD") else {
        return;
    };
    let mut conn = open(Path::new(&path));
    create(&conn);
    std::fs::write(Path::new(&path).with_extension("started"), b"").unwrap();
    loop {
        append(&mut conn, 40);
    }
}

#[test]
fn a_writer_killed_mid_transaction_leaves_every_commit_it_made_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.db");
    for round in 0..3 {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "store::gather::tests::child_writes_until_killed",
                "--ignored",
                "--nocapture",
            ])
            .env("BULLETIN_GATHER_CHILD", &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = path.with_extension("started");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !started.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(started.exists(), "the child never started");
        std::fs::remove_file(&started).unwrap();
        // Long enough for many commits, at a different point of one each round.
        std::thread::sleep(Duration::from_millis(300 + 70 * round));
        child.kill().unwrap();
        child.wait().unwrap();
        let conn = open(&path);
        let rows = check_whole(&conn);
        assert!(rows > 0, "round {round}: nothing was committed");
        assert_eq!(rows % 40, 0, "round {round}: a transaction in part");
    }
}
