//! The layer's calls that only pass through to the real handle, after writing out what
//! is gathered (and, for a database file, its log's): every call but a read or a write,
//! so that nothing SQLite does next finds the log behind.

use super::{methods, parts, settle};
use rusqlite::ffi;
use std::ffi::{c_int, c_void};
use std::ptr;

/// Writes out what is gathered, then calls the real handle; when the write-out fails,
/// its error is returned and the real handle is not called.
unsafe fn settled(
    f: *mut ffi::sqlite3_file,
    call: impl FnOnce(*mut ffi::sqlite3_file) -> c_int,
) -> c_int {
    match settle(f) {
        ffi::SQLITE_OK => call(parts(f).1),
        rc => rc,
    }
}

/// As [`settled`] for calls that must happen whatever (unlocks): the real handle is
/// called, and a failed write-out's error is the one returned.
unsafe fn settled_anyway(
    f: *mut ffi::sqlite3_file,
    call: impl FnOnce(*mut ffi::sqlite3_file) -> c_int,
) -> c_int {
    let rc = settle(f);
    let done = call(parts(f).1);
    if rc == ffi::SQLITE_OK {
        done
    } else {
        rc
    }
}

pub(super) unsafe extern "C" fn truncate(f: *mut ffi::sqlite3_file, size: i64) -> c_int {
    parts(f).0.ahead.clear();
    settled(f, |real| {
        methods(real)
            .xTruncate
            .map_or(ffi::SQLITE_IOERR_TRUNCATE, |t| t(real, size))
    })
}

pub(super) unsafe extern "C" fn sync(f: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    settled(f, |real| {
        methods(real)
            .xSync
            .map_or(ffi::SQLITE_IOERR_FSYNC, |s| s(real, flags))
    })
}

pub(super) unsafe extern "C" fn file_size(f: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    settled(f, |real| {
        methods(real)
            .xFileSize
            .map_or(ffi::SQLITE_IOERR_FSTAT, |s| s(real, size))
    })
}

pub(super) unsafe extern "C" fn lock(f: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    settled(f, |real| {
        methods(real)
            .xLock
            .map_or(ffi::SQLITE_IOERR_LOCK, |l| l(real, level))
    })
}

pub(super) unsafe extern "C" fn unlock(f: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    settled_anyway(f, |real| {
        methods(real)
            .xUnlock
            .map_or(ffi::SQLITE_IOERR_UNLOCK, |u| u(real, level))
    })
}

pub(super) unsafe extern "C" fn check_reserved_lock(
    f: *mut ffi::sqlite3_file,
    out: *mut c_int,
) -> c_int {
    let (_, real) = parts(f);
    methods(real)
        .xCheckReservedLock
        .map_or(ffi::SQLITE_IOERR_CHECKRESERVEDLOCK, |c| c(real, out))
}

pub(super) unsafe extern "C" fn file_control(
    f: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    let rc = settle(f);
    let (state, real) = parts(f);
    if !state.log && !state.partner.is_null() {
        let log = &mut *(*state.partner).state;
        match op {
            ffi::SQLITE_FCNTL_CKPT_START => log.checkpoint = true,
            ffi::SQLITE_FCNTL_CKPT_DONE => {
                log.checkpoint = false;
                log.ahead.clear();
            }
            _ => {}
        }
    }
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    methods(real)
        .xFileControl
        .map_or(ffi::SQLITE_NOTFOUND, |c| c(real, op, arg))
}

pub(super) unsafe extern "C" fn sector_size(f: *mut ffi::sqlite3_file) -> c_int {
    let (_, real) = parts(f);
    methods(real).xSectorSize.map_or(4096, |s| s(real))
}

pub(super) unsafe extern "C" fn device_characteristics(f: *mut ffi::sqlite3_file) -> c_int {
    let (_, real) = parts(f);
    methods(real).xDeviceCharacteristics.map_or(0, |d| d(real))
}

pub(super) unsafe extern "C" fn shm_map(
    f: *mut ffi::sqlite3_file,
    page: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    settled(f, |real| {
        methods(real).xShmMap.map_or(ffi::SQLITE_IOERR_SHMMAP, |m| {
            m(real, page, size, extend, out)
        })
    })
}

pub(super) unsafe extern "C" fn shm_lock(
    f: *mut ffi::sqlite3_file,
    offset: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    let call = |real: *mut ffi::sqlite3_file| {
        methods(real)
            .xShmLock
            .map_or(ffi::SQLITE_IOERR_SHMLOCK, |l| l(real, offset, n, flags))
    };
    // A lock is not taken when the write-out fails (SQLite, told the call failed,
    // would never release it); an unlock is always made.
    if flags & ffi::SQLITE_SHM_UNLOCK != 0 {
        settled_anyway(f, call)
    } else {
        settled(f, call)
    }
}

pub(super) unsafe extern "C" fn shm_barrier(f: *mut ffi::sqlite3_file) {
    // Nothing of a commit can be left by now (its writes go out at once, with their
    // errors); what may be is frames no commit names (a transaction rolled back after
    // spilling pages), whose loss on a failure here costs nothing.
    let _ = settle(f);
    let (_, real) = parts(f);
    if let Some(b) = methods(real).xShmBarrier {
        b(real);
    }
}

pub(super) unsafe extern "C" fn shm_unmap(f: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    let _ = settle(f);
    let (_, real) = parts(f);
    methods(real)
        .xShmUnmap
        .map_or(ffi::SQLITE_OK, |u| u(real, delete))
}

pub(super) unsafe extern "C" fn fetch(
    f: *mut ffi::sqlite3_file,
    off: i64,
    amt: c_int,
    out: *mut *mut c_void,
) -> c_int {
    settled(f, |real| match methods(real).xFetch {
        Some(x) => x(real, off, amt, out),
        None => {
            *out = ptr::null_mut();
            ffi::SQLITE_OK
        }
    })
}

pub(super) unsafe extern "C" fn unfetch(
    f: *mut ffi::sqlite3_file,
    off: i64,
    p: *mut c_void,
) -> c_int {
    let (_, real) = parts(f);
    methods(real)
        .xUnfetch
        .map_or(ffi::SQLITE_OK, |u| u(real, off, p))
}
