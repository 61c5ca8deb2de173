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
/// (`examples/gen`), or to check the kept rows against.
pub fn rebuild_all(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "DELETE FROM organization_people;
         INSERT INTO organization_people ({COLUMNS})
         SELECT {SOURCE} FROM contacts c LEFT JOIN contact_touches t ON t.contact_id = c.id
          WHERE c.organization_id IS NOT NULL
          ORDER BY c.organization_id, c.id;"
    ))?;
    Ok(())
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
