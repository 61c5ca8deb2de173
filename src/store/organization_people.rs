//! Each organization's people as health reads them, side by side: `organization_people`,
//! derived data kept by the triggers of migration 0017, one row per contact with an
//! organization keyed by (organization, contact), holding what scoring them needs from
//! `contacts` (name key, UID, name, when added, own cadence, when archived) and their
//! `contact_touches` text. An account's health reads one range of this table instead of
//! each colleague's rows scattered over the book (at a million contacts, a page fault each).
//!
//! A bulk import writes with triggers off (`store::deferred`) and calls [`rebuild`] for the
//! contacts it wrote or whose touches it changed; `examples/gen` calls [`rebuild_all`].

use rusqlite::Connection;

use crate::error::Result;

/// The triggers of migration 0017, which an import with triggers off replays with
/// [`rebuild`].
pub(crate) const TRIGGERS: &[&str] = &[
    "organization_people_after_contact_insert",
    "organization_people_after_contact_update",
    "organization_people_after_contact_delete",
    "organization_people_after_touches_insert",
    "organization_people_after_touches_update",
    "organization_people_after_touches_delete",
];

/// The columns of a row, in the order [`SOURCE`] gives them.
const COLUMNS: &str = "organization_id, contact_id, name_key, uid, display_name, created_at, \
                       cadence, archived_at, touches";

/// A contact's row as the triggers write it, from `contacts c` and `contact_touches t`.
const SOURCE: &str = "c.organization_id, c.id, c.name_key, c.uid, c.display_name, c.created_at, \
                      c.cadence, c.archived_at, t.touches";

/// Write the rows of the contacts whose ids are in the temporary table `temp.{ids_table}`
/// (one column, `id`) again from `contacts` and `contact_touches`, as the triggers would
/// have left them.
pub(crate) fn rebuild(conn: &Connection, ids_table: &str) -> Result<()> {
    let ids = format!("temp.\"{ids_table}\"");
    conn.execute_batch(&format!(
        "DELETE FROM organization_people WHERE contact_id IN (SELECT id FROM {ids});
         INSERT INTO organization_people ({COLUMNS})
         SELECT {SOURCE} FROM {ids} w CROSS JOIN contacts c ON c.id = w.id
           LEFT JOIN contact_touches t ON t.contact_id = c.id
          WHERE c.organization_id IS NOT NULL;"
    ))?;
    Ok(())
}

/// Write every row again: for a book written with the triggers off from the start
/// (`examples/gen`, a first import into an empty book), or to check the kept rows against.
///
/// A book larger than the page cache has its contacts read in the order they are stored
/// (`NOT INDEXED`) and sorted, rather than walked through `contacts_by_organization`, which
/// looks each one up at a random place in the table: at a million contacts, a page read
/// from the file for nearly every one (10 s of CPU, 17 s elapsed, of a 1M import's tail);
/// a smaller one is walked, as its pages are at hand (the sort costs more instructions:
/// 255 M against 178 M at 20k cards). The table's own indexes are dropped meanwhile and built again
/// after it, from the rows in one sort, rather than kept row by row in the order of the
/// organizations (their contact ids at random places): 7.1 → 3.1 s at 1M, `sqlite3` shell,
/// in the import's 64 MB cache. Undone by a rollback.
pub fn rebuild_all(conn: &Connection) -> Result<()> {
    let scan = if fits_in_cache(conn)? {
        ""
    } else {
        "NOT INDEXED"
    };
    let indexes: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master
              WHERE type = 'index' AND tbl_name = 'organization_people' AND sql IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    conn.execute_batch(&format!(
        "DELETE FROM organization_people;
         INSERT INTO organization_people ({COLUMNS})
         SELECT {SOURCE} FROM contacts c {scan}
           LEFT JOIN contact_touches t ON t.contact_id = c.id
          WHERE c.organization_id IS NOT NULL
          ORDER BY c.organization_id, c.id;"
    ))?;
    for (_, sql) in &indexes {
        conn.execute_batch(sql)?;
    }
    Ok(())
}

/// Whether the whole book fits in `conn`'s page cache.
fn fits_in_cache(conn: &Connection) -> Result<bool> {
    let pragma = |name: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
    };
    let page_size = pragma("page_size")?;
    let cache = pragma("cache_size")?;
    let cache_bytes = if cache < 0 {
        cache.saturating_mul(-1024)
    } else {
        cache.saturating_mul(page_size)
    };
    Ok(pragma("page_count")?.saturating_mul(page_size) <= cache_bytes)
}

/// The rows `organization_people` should hold, as `select *` in key order gives them, made
/// from `contacts` and `contact_touches` (the query [`rebuild_all`] writes): for tests.
pub const FROM_SCRATCH: &str = "SELECT c.organization_id, c.id, c.name_key, c.uid, \
     c.display_name, c.created_at, c.cadence, c.archived_at, t.touches \
     FROM contacts c LEFT JOIN contact_touches t ON t.contact_id = c.id \
     WHERE c.organization_id IS NOT NULL ORDER BY c.organization_id, c.id";

/// The rows `organization_people` holds, in key order: for tests.
pub const KEPT: &str = "SELECT organization_id, contact_id, name_key, uid, display_name, \
     created_at, cadence, archived_at, touches FROM organization_people \
     ORDER BY organization_id, contact_id";
