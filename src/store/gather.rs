//! Fewer, larger file writes for SQLite's write-ahead log: a thin layer over SQLite's own
//! file layer (its VFS), installed as the process's default on Unix.
//!
//! SQLite hands the log two writes for each page it commits (a 24-byte frame header, then
//! the page) and the checkpoint one read for each page it copies back. A cold refresh of
//! 1,000 feeds commits about 45,000 pages: 90,000 `pwrite` calls on the writer's thread
//! and 45,000 `pread` calls on the checkpoint's, each paying the system call and the
//! page cache's lookup for 4 KiB. Gathered into writes and reads of up to 124 KiB, the same
//! bytes cost a quarter of the time (0.25 s against 0.06 s for the writes in a C loop on
//! this machine). No crate does this: the VFS crates implement whole file layers, not a
//! pass-through.
//!
//! What keeps it as safe as SQLite alone:
//! - A transaction's last frame (the one whose header names the database size), and
//!   whatever the log is given after it until the next transaction's first frame (a
//!   commit header written again alone, padding), is written out before its `xWrite`
//!   returns, and that call returns the error if the system refuses it: SQLite then
//!   abandons the commit as it would have. So every frame a commit makes visible to
//!   other connections is in the system's hands first.
//!   Every other call on the log or its database (locks, syncs, reads, size, the shared
//!   memory's barrier) also writes out what is gathered first.
//! - A write that fails drops what was gathered with it, as a failed `pwrite` would;
//!   SQLite rolls the transaction back and writes those offsets again.
//! - Reading ahead happens only inside a checkpoint's copy (between the
//!   `SQLITE_FCNTL_CKPT_START` and `_DONE` calls SQLite makes on the database file), for
//!   frames SQLite has committed before the checkpoint began and that stay fixed while
//!   it runs; what was read ahead is dropped when the copy ends. The database file's own
//!   writes are never held back: a failure there has to reach SQLite before it records
//!   the copy as done, and nothing tells this layer which write is the last.
#![allow(unsafe_code)]

use rusqlite::ffi;
use std::ffi::{c_int, c_void, CStr};
use std::ptr;
use std::sync::OnceLock;

mod forward;

/// The most gathered before it is written out. SQLite's Unix layer writes at most
/// 128 KiB in one call (it masks the length to 17 bits), so no more than that.
const GATHER: usize = 124 << 10;
/// How much of the log one read takes in during a checkpoint (the same bound).
const READ_AHEAD: usize = 124 << 10;
/// A log frame's header, written on its own before the page.
const FRAME_HEADER: usize = 24;

/// Makes this layer the default for every connection the process opens from now on.
/// Idempotent; does nothing when SQLite's default is not its Unix layer.
pub(crate) fn install() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // SAFETY: sqlite3_vfs_find and sqlite3_vfs_register are thread-safe; the VFS
        // registered is leaked and so lives as long as the process.
        unsafe {
            let real = ffi::sqlite3_vfs_find(ptr::null());
            if real.is_null() || CStr::from_ptr((*real).zName).to_bytes() != b"unix" {
                return;
            }
            let mut vfs = *real;
            vfs.zName = c"bulletin".as_ptr();
            vfs.szOsFile = (std::mem::size_of::<File>() as c_int) + (*real).szOsFile;
            vfs.pNext = ptr::null_mut();
            vfs.xOpen = Some(open);
            let _ = REAL.set(Real(real));
            ffi::sqlite3_vfs_register(Box::into_raw(Box::new(vfs)), 1);
        }
    });
}

/// The Unix layer this one passes everything to.
struct Real(*mut ffi::sqlite3_vfs);
// SAFETY: SQLite's VFS objects are immutable once registered and used from any thread.
unsafe impl Send for Real {}
unsafe impl Sync for Real {}
static REAL: OnceLock<Real> = OnceLock::new();

/// What SQLite allocates for a database or log file: its handle, then the real one.
#[repr(C)]
struct File {
    base: ffi::sqlite3_file,
    real: *mut ffi::sqlite3_file,
    state: *mut State,
}

#[derive(Default)]
struct State {
    log: bool,
    /// Writes gathered and not yet given to the system, starting at `at`.
    pending: Vec<u8>,
    at: i64,
    /// The last frame header written closes a transaction: writes go straight out
    /// until the next transaction's first header.
    commit: bool,
    /// The log: a checkpoint's copy is running; what was read ahead, starting at `ahead_at`.
    checkpoint: bool,
    ahead: Vec<u8>,
    ahead_at: i64,
    /// The database's log, or the log's database (to write out and to read ahead).
    partner: *mut File,
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(close),
    xRead: Some(read),
    xWrite: Some(write),
    xTruncate: Some(forward::truncate),
    xSync: Some(forward::sync),
    xFileSize: Some(forward::file_size),
    xLock: Some(forward::lock),
    xUnlock: Some(forward::unlock),
    xCheckReservedLock: Some(forward::check_reserved_lock),
    xFileControl: Some(forward::file_control),
    xSectorSize: Some(forward::sector_size),
    xDeviceCharacteristics: Some(forward::device_characteristics),
    xShmMap: Some(forward::shm_map),
    xShmLock: Some(forward::shm_lock),
    xShmBarrier: Some(forward::shm_barrier),
    xShmUnmap: Some(forward::shm_unmap),
    xFetch: Some(forward::fetch),
    xUnfetch: Some(forward::unfetch),
};

unsafe extern "C" fn open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let real_vfs = match REAL.get() {
        Some(r) => r.0,
        None => return ffi::SQLITE_ERROR,
    };
    let Some(real_open) = (*real_vfs).xOpen else {
        return ffi::SQLITE_ERROR;
    };
    let main = flags & ffi::SQLITE_OPEN_MAIN_DB != 0;
    let log = flags & ffi::SQLITE_OPEN_WAL != 0;
    if !main && !log {
        // Journals and temporary files: the real handle takes SQLite's place whole.
        return real_open(real_vfs, name, file, flags, out_flags);
    }
    let ours = file.cast::<File>();
    let real = file
        .cast::<u8>()
        .add(std::mem::size_of::<File>())
        .cast::<ffi::sqlite3_file>();
    (*ours).base.pMethods = ptr::null();
    let rc = real_open(real_vfs, name, real, flags, out_flags);
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    let state = Box::into_raw(Box::new(State {
        log,
        ..State::default()
    }));
    if log && !name.is_null() {
        let db = ffi::sqlite3_database_file_object(name).cast::<File>();
        if !db.is_null() && ptr::eq((*db).base.pMethods, &METHODS) {
            (*(*db).state).partner = ours;
            (*state).partner = db;
        }
    }
    ptr::write(
        ours,
        File {
            base: ffi::sqlite3_file { pMethods: &METHODS },
            real,
            state,
        },
    );
    rc
}

/// The real handle's methods (every one the Unix layer has, version 3).
unsafe fn methods(f: *mut ffi::sqlite3_file) -> &'static ffi::sqlite3_io_methods {
    &*(*f).pMethods
}

unsafe fn parts<'a>(f: *mut ffi::sqlite3_file) -> (&'a mut State, *mut ffi::sqlite3_file) {
    let f = f.cast::<File>();
    (&mut *(*f).state, (*f).real)
}

/// Gives the system what was gathered. On failure it is dropped, as a failed write is.
unsafe fn write_out(state: &mut State, real: *mut ffi::sqlite3_file) -> c_int {
    if state.pending.is_empty() {
        return ffi::SQLITE_OK;
    }
    let Some(w) = methods(real).xWrite else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    let rc = w(
        real,
        state.pending.as_ptr().cast(),
        state.pending.len() as c_int,
        state.at,
    );
    state.pending.clear();
    rc
}

/// Writes out this file's gathered writes and, for a database, its log's.
unsafe fn settle(f: *mut ffi::sqlite3_file) -> c_int {
    let (state, real) = parts(f);
    let rc = write_out(state, real);
    if !state.log && !state.partner.is_null() {
        let partner = state.partner;
        let other = write_out(&mut *(*partner).state, (*partner).real);
        if rc == ffi::SQLITE_OK {
            return other;
        }
    }
    rc
}

unsafe extern "C" fn close(f: *mut ffi::sqlite3_file) -> c_int {
    let rc = settle(f);
    let ours = f.cast::<File>();
    let state = Box::from_raw((*ours).state);
    if !state.partner.is_null() {
        (*(*state.partner).state).partner = ptr::null_mut();
    }
    let real = (*ours).real;
    let closed = methods(real).xClose.map_or(ffi::SQLITE_OK, |c| c(real));
    (*ours).base.pMethods = ptr::null();
    if rc == ffi::SQLITE_OK {
        closed
    } else {
        rc
    }
}

unsafe extern "C" fn read(
    f: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amt: c_int,
    off: i64,
) -> c_int {
    let rc = settle(f);
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    let (state, real) = parts(f);
    let Some(r) = methods(real).xRead else {
        return ffi::SQLITE_IOERR_READ;
    };
    let want = amt.max(0) as usize;
    if state.log && state.checkpoint {
        if !covers(state, off, want) {
            fill_ahead(state, real, off, want);
        }
        if covers(state, off, want) {
            let from = (off - state.ahead_at) as usize;
            ptr::copy_nonoverlapping(state.ahead.as_ptr().add(from), buf.cast::<u8>(), want);
            return ffi::SQLITE_OK;
        }
    }
    r(real, buf, amt, off)
}

fn covers(state: &State, off: i64, want: usize) -> bool {
    off >= state.ahead_at && off - state.ahead_at + want as i64 <= state.ahead.len() as i64
}

/// Reads up to READ_AHEAD bytes of the log from `off`, no further than its end; leaves
/// nothing read ahead if that fails (the caller then reads what it asked for alone).
unsafe fn fill_ahead(state: &mut State, real: *mut ffi::sqlite3_file, off: i64, want: usize) {
    state.ahead.clear();
    let mut size = 0i64;
    let (Some(r), Some(s)) = (methods(real).xRead, methods(real).xFileSize) else {
        return;
    };
    if s(real, &mut size) != ffi::SQLITE_OK || off < 0 || size < off + want as i64 {
        return;
    }
    let len = (READ_AHEAD.max(want) as i64).min(size - off) as usize;
    state.ahead.resize(len, 0);
    if r(real, state.ahead.as_mut_ptr().cast(), len as c_int, off) == ffi::SQLITE_OK {
        state.ahead_at = off;
    } else {
        state.ahead.clear();
    }
}

unsafe extern "C" fn write(
    f: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amt: c_int,
    off: i64,
) -> c_int {
    let (state, real) = parts(f);
    state.ahead.clear();
    let len = amt.max(0) as usize;
    let bytes = std::slice::from_raw_parts(buf.cast::<u8>(), len);
    if !state.log || len > GATHER {
        let rc = write_out(state, real);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        return match methods(real).xWrite {
            Some(w) => w(real, buf, amt, off),
            None => ffi::SQLITE_IOERR_WRITE,
        };
    }
    let follows = state.at + state.pending.len() as i64 == off;
    if state.pending.is_empty() || !follows || state.pending.len() + len > GATHER {
        let rc = write_out(state, real);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        state.at = off;
    }
    state.pending.extend_from_slice(bytes);
    if len == FRAME_HEADER {
        // Bytes 4-7: the database's size in pages after a commit, 0 for any other frame.
        // A transaction's first frame ends the last one's commit.
        state.commit = bytes[4..8] != [0, 0, 0, 0];
    }
    if state.commit {
        // From a commit frame's header until the next transaction's first frame, every
        // write goes out before it returns: the commit's page, and the headers SQLite
        // writes again alone (`walRewriteChecksums`, after a transaction rewrote pages it
        // had spilled), whose commit header no page follows. So a failure reaches SQLite
        // while it can still abandon the commit.
        return write_out(state, real);
    }
    ffi::SQLITE_OK
}

#[cfg(test)]
#[path = "gather_tests.rs"]
mod tests;
