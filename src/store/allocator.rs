//! SQLite's own allocations through kith's allocator (mimalloc), without SQLite's memory
//! statistics.
//!
//! SQLite allocates with the C library's `malloc` unless told otherwise, and under its
//! default `SQLITE_CONFIG_MEMSTATUS` takes a mutex and updates counters on every allocation
//! and free. A large import's writing thread allocates and frees SQLite's records, cursors and
//! bound values hundreds of thousands of times: glibc's `malloc` and `free` (consolidating and
//! unlinking chunks) and the statistics were ~5 % of its instructions. kith reads none of the
//! statistics (no soft heap limit, no `sqlite3_memory_used`).

use std::alloc::{Layout, alloc, dealloc, realloc};
use std::os::raw::{c_int, c_void};

use rusqlite::ffi;

/// Each block starts with its size (8 bytes, which keeps SQLite's 8-byte alignment), as
/// SQLite's own allocator does, since `xFree` is given only the pointer.
const HEADER: usize = 8;

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, HEADER).ok()
}

/// SQLite asks for sizes rounded up by [`x_roundup`]; any size is kept as asked.
unsafe extern "C" fn x_malloc(n: c_int) -> *mut c_void {
    let size = usize::try_from(n).unwrap_or(0);
    let Some(layout) = layout(size) else {
        return std::ptr::null_mut();
    };
    // SAFETY: the layout's size is at least HEADER, never zero.
    let base = unsafe { alloc(layout) };
    if base.is_null() {
        return base.cast();
    }
    // SAFETY: `base` is valid for HEADER bytes and aligned to 8.
    unsafe {
        base.cast::<u64>().write(size as u64);
        base.add(HEADER).cast()
    }
}

/// The block of `p` (from [`x_malloc`] or [`x_realloc`]) and its size.
///
/// # Safety
/// `p` is a non-null pointer this allocator returned and has not freed.
unsafe fn block(p: *mut c_void) -> (*mut u8, usize) {
    // SAFETY: per the contract, HEADER bytes before `p` hold its size.
    unsafe {
        let base = p.cast::<u8>().sub(HEADER);
        (base, base.cast::<u64>().read() as usize)
    }
}

unsafe extern "C" fn x_free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: SQLite frees only what this allocator gave it, once.
    unsafe {
        let (base, size) = block(p);
        if let Some(layout) = layout(size) {
            dealloc(base, layout);
        }
    }
}

unsafe extern "C" fn x_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    if p.is_null() {
        // SAFETY: as for any allocation.
        return unsafe { x_malloc(n) };
    }
    let size = usize::try_from(n).unwrap_or(0);
    if layout(size).is_none() {
        return std::ptr::null_mut();
    }
    // SAFETY: `p` is a live block of this allocator (SQLite's contract for xRealloc); the
    // new size with its header fits a Layout, checked above.
    unsafe {
        let (base, old) = block(p);
        let Some(old_layout) = layout(old) else {
            return std::ptr::null_mut();
        };
        let moved = realloc(base, old_layout, size + HEADER);
        if moved.is_null() {
            return moved.cast();
        }
        moved.cast::<u64>().write(size as u64);
        moved.add(HEADER).cast()
    }
}

unsafe extern "C" fn x_size(p: *mut c_void) -> c_int {
    if p.is_null() {
        return 0;
    }
    // SAFETY: SQLite asks only the size of a live block of this allocator.
    let (_, size) = unsafe { block(p) };
    c_int::try_from(size).unwrap_or(c_int::MAX)
}

unsafe extern "C" fn x_roundup(n: c_int) -> c_int {
    n.saturating_add(7) & !7
}

unsafe extern "C" fn x_init(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

unsafe extern "C" fn x_shutdown(_: *mut c_void) {}

/// Route SQLite's allocations through kith's allocator and turn its memory statistics off.
/// Does nothing (SQLite refuses) once SQLite is initialized.
///
/// # Safety
/// Call before any other use of SQLite and before any other thread starts (SQLite's
/// configuration is not thread-safe): in `main`, before the command runs. Only `kith import`
/// installs it: a command reading a large book through SQLite's page cache would pay for
/// mimalloc's fresh huge pages instead (`find` at 1M: 132 → 184–387 ms CPU).
pub unsafe fn install() {
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(x_malloc),
        xFree: Some(x_free),
        xRealloc: Some(x_realloc),
        xSize: Some(x_size),
        xRoundup: Some(x_roundup),
        xInit: Some(x_init),
        xShutdown: Some(x_shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: per this function's contract nothing else uses SQLite meanwhile; SQLite copies
    // the methods.
    unsafe {
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int);
        ffi::sqlite3_config(
            ffi::SQLITE_CONFIG_MALLOC,
            &methods as *const ffi::sqlite3_mem_methods,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_size_and_contents() {
        // SAFETY: each pointer comes from this allocator and is freed once.
        unsafe {
            let p = x_malloc(13);
            assert!(!p.is_null());
            assert_eq!(p as usize % 8, 0);
            assert_eq!(x_size(p), 13);
            std::ptr::copy_nonoverlapping(b"hello, sqlite".as_ptr(), p.cast::<u8>(), 13);
            let q = x_realloc(p, 4000);
            assert_eq!(x_size(q), 4000);
            assert_eq!(
                std::slice::from_raw_parts(q.cast::<u8>(), 13),
                b"hello, sqlite"
            );
            let r = x_realloc(q, 5);
            assert_eq!(std::slice::from_raw_parts(r.cast::<u8>(), 5), b"hello");
            x_free(r);
            x_free(std::ptr::null_mut());
            assert_eq!(x_roundup(13), 16);
            assert_eq!(x_size(std::ptr::null_mut()), 0);
        }
    }
}
