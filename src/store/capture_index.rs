//! The full-text indexes as they were before a capture run, so `--undo` leaves the book as
//! it was byte for byte. FTS5 writes each change as new index segments (and merges them as it
//! likes), so deleting what a run added leaves the same rows but other index pages. Before
//! its first write a run copies the pages (the shadow tables `<fts>_data` and `<fts>_idx`)
//! with a digest of the text indexed; undoing that run puts the pages back when the text
//! indexed is the same again (nothing else changed it since). Only the latest run's copy is
//! kept, so the copy costs at most one index's size. It is kept in a file of its own next to
//! the book (`BOOK-capture-undo`, attached for the run): inside the book it would itself be
//! a difference an undo leaves behind, since the run it replaced cannot bring it back.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Store, WriteTx};
use crate::error::Result;

/// The file next to the book that holds the latest capture run's copy of the indexes.
fn sidecar(store: &Store) -> std::path::PathBuf {
    let mut name = store.path().as_os_str().to_owned();
    name.push("-capture-undo");
    name.into()
}

/// Attach the copy's file (made private if new) as `capture_undo`, before a capture run or
/// an undo opens its transaction (SQLite attaches only outside one).
pub fn attach(store: &Store) -> Result<()> {
    let path = sidecar(store);
    if !path.exists() {
        super::create_private_file(&path)?;
    }
    let conn = store.conn();
    if !attached(conn)? {
        conn.execute(
            "ATTACH DATABASE ?1 AS capture_undo",
            [path.to_string_lossy()],
        )?;
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS capture_undo.pages (
             batch_id INTEGER NOT NULL,
             shadow   TEXT NOT NULL,
             c0, c1, c2
         );
         CREATE TABLE IF NOT EXISTS capture_undo.digests (
             batch_id INTEGER NOT NULL,
             fts      TEXT NOT NULL,
             digest   TEXT NOT NULL,
             PRIMARY KEY (batch_id, fts)
         );",
    )?;
    Ok(())
}

/// Whether [`attach`] was called on this connection: a dry run keeps no copy.
fn attached(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare("SELECT 1 FROM pragma_database_list WHERE name = 'capture_undo'")?
        .exists([])?)
}

/// Each full-text index, with the rows it indexes in id order.
const INDEXES: [(&str, &str); 2] = [
    (
        "interactions_fts",
        "SELECT id, summary, body FROM interactions ORDER BY id",
    ),
    (
        "contact_notes_fts",
        "SELECT id, notes FROM contacts ORDER BY id",
    ),
];

/// The shadow tables of an index that hold its pages, with their columns.
fn shadows(fts: &str) -> [(String, &'static str); 2] {
    [
        (format!("{fts}_data"), "id, block"),
        (format!("{fts}_idx"), "segid, term, pgno"),
    ]
}

/// SHA-256 of the rows `sql` reads: what an index must index to be the same index.
fn digest(conn: &Connection, sql: &str) -> Result<String> {
    let mut hash = Sha256::new();
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        for i in 0..columns {
            match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => hash.update([0u8]),
                rusqlite::types::ValueRef::Integer(n) => {
                    hash.update([1u8]);
                    hash.update(n.to_le_bytes());
                }
                rusqlite::types::ValueRef::Real(x) => {
                    hash.update([2u8]);
                    hash.update(x.to_le_bytes());
                }
                rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                    hash.update([3u8]);
                    hash.update((b.len() as u64).to_le_bytes());
                    hash.update(b);
                }
            }
        }
    }
    Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Write what FTS5 holds in memory for `fts` to its shadow tables.
fn flush(tx: &WriteTx, fts: &str) -> Result<()> {
    tx.execute(&format!("INSERT INTO {fts}({fts}) VALUES ('flush')"), [])?;
    Ok(())
}

/// Before run `batch` first writes: copy every index's pages and digest, dropping any older
/// run's copy.
pub fn keep(tx: &WriteTx, batch: i64) -> Result<()> {
    if !attached(tx)? {
        return Ok(());
    }
    tx.execute("DELETE FROM capture_undo.pages", [])?;
    tx.execute("DELETE FROM capture_undo.digests", [])?;
    for (fts, content) in INDEXES {
        flush(tx, fts)?;
        for (shadow, columns) in shadows(fts) {
            let padded = match columns.matches(',').count() {
                1 => format!("{columns}, NULL"),
                _ => columns.to_string(),
            };
            tx.execute(
                &format!(
                    "INSERT INTO capture_undo.pages (batch_id, shadow, c0, c1, c2)
                     SELECT ?1, ?2, {padded} FROM {shadow}"
                ),
                params![batch, shadow],
            )?;
        }
        tx.execute(
            "INSERT INTO capture_undo.digests (batch_id, fts, digest) VALUES (?1, ?2, ?3)",
            params![batch, fts, digest(tx, content)?],
        )?;
    }
    Ok(())
}

/// After run `batch` was taken back: put its indexes' pages back as they were if it kept
/// them and the text indexed is what it was; whether it did. The copy goes either way.
pub fn put_back(tx: &WriteTx, batch: i64) -> Result<bool> {
    let mut same = true;
    for (fts, content) in INDEXES {
        let kept: Option<String> = tx
            .query_row(
                "SELECT digest FROM capture_undo.digests WHERE batch_id = ?1 AND fts = ?2",
                params![batch, fts],
                |r| r.get(0),
            )
            .optional()?;
        let now = digest(tx, content)?;
        same &= kept.as_deref() == Some(now.as_str());
    }
    if same {
        for (fts, _) in INDEXES {
            // What FTS5 still holds in memory is written first, then replaced: nothing of
            // it is left to be written over the pages put back when the transaction ends.
            flush(tx, fts)?;
            for (shadow, columns) in shadows(fts) {
                let from = match columns.matches(',').count() {
                    1 => "c0, c1",
                    _ => "c0, c1, c2",
                };
                tx.execute(&format!("DELETE FROM {shadow}"), [])?;
                tx.execute(
                    &format!(
                        "INSERT INTO {shadow} ({columns}) SELECT {from} FROM capture_undo.pages
                          WHERE batch_id = ?1 AND shadow = ?2 ORDER BY rowid"
                    ),
                    params![batch, shadow],
                )?;
            }
        }
    }
    tx.execute(
        "DELETE FROM capture_undo.pages WHERE batch_id = ?1",
        [batch],
    )?;
    tx.execute(
        "DELETE FROM capture_undo.digests WHERE batch_id = ?1",
        [batch],
    )?;
    Ok(same)
}
