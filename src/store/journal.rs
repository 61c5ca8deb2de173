//! The journal a bulk write goes through.
//!
//! kith keeps its database in WAL mode, so that reading (the interactive mode, an agenda in
//! another terminal) goes on while one command writes. A WAL transaction writes every page
//! it changes twice, though: once to the log, once more when the log is copied back. For
//! the first import into an empty book that is the whole database, 100 MB for 100k
//! contacts, written and synced twice. Through a rollback journal an empty book's pages are
//! written once, and the journal holds only the few pages that existed before.
//!
//! So a bulk write into a book without contacts leaves WAL mode for its transaction, when
//! no other connection has the file open (leaving WAL needs it to itself: we ask without
//! waiting, and stay in WAL mode if anyone is there), and returns to WAL mode afterwards.
//! A crash in between leaves a rollback journal that SQLite replays on the next open, which
//! also puts the file back in WAL mode (`Store::configure`).

use rusqlite::{Connection, ErrorCode};

use crate::error::Result;

/// Switch `conn` to a rollback journal if its book has no contacts and nobody else has the
/// file open. True when switched: call [`back_to_wal`] once the transaction is over.
pub(super) fn leave_wal_if_empty(conn: &Connection) -> Result<bool> {
    if !super::contacts::none_stored(conn)? {
        return Ok(false);
    }
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let mode = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    });
    conn.busy_timeout(super::busy_timeout())?;
    match mode {
        Ok(mode) => Ok(mode.eq_ignore_ascii_case("delete")),
        // Another connection has the file open: stay in WAL mode, as any other write does.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Return to WAL mode after [`leave_wal_if_empty`]. Should a reader have opened the file in
/// the meantime and still hold it, the switch waits for it like any write; if it cannot be
/// made, the file stays valid in rollback mode and the next `kith` to open it switches it.
pub(super) fn back_to_wal(conn: &Connection) {
    let _ = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
}

/// Start writing the pages written so far to disk, on a thread of its own, and return at
/// once. An import into an empty book calls it when its rows are all written and only its
/// index builds are left: those run on one thread while the other core is idle, and the
/// commit's `fsync` then has only the last pages to wait for (100k real-shaped cards: a
/// 281 MB book, whose `fsync` took 0.1 s at the commit). Safe at any moment: in rollback
/// mode SQLite writes a page to the book only after the journal that can undo it is synced,
/// so an earlier flush only makes sooner durable what a crash would find anyway.
pub(super) fn flush_ahead(conn: &Connection) {
    let Some(path) = conn.path().filter(|p| !p.is_empty()) else {
        return;
    };
    let path = std::path::PathBuf::from(path);
    let _ = std::thread::Builder::new()
        .name("kith-flush".into())
        .spawn(move || {
            if let Ok(book) = std::fs::File::open(&path) {
                let _ = book.sync_data();
            }
        });
}
