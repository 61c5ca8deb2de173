//! When each contact last interacted: `contacts.last_contact_at`, derived data kept by the
//! triggers of migration 0011 (a participation added or removed or moved, an interaction's
//! time edited), so that the list, the agenda and an organization's people read it with the
//! contact's row. Working it out instead cost a random read of an interaction per
//! participation: 330 ms for the agenda of a 100k-contact book with 10 interactions each.
//!
//! A bulk import writes with triggers off (`store::deferred`) and calls [`recompute`] for the
//! contacts whose participations it wrote or removed.

use rusqlite::Connection;

use crate::error::Result;

/// The triggers of migration 0011, which an import with triggers off replays with
/// [`recompute`].
pub(crate) const TRIGGERS: &[&str] = &[
    "last_contact_after_participant_insert",
    "last_contact_after_participant_delete",
    "last_contact_after_participant_update",
    "last_contact_after_interaction_time",
];

/// Work `last_contact_at` out again for the contacts whose ids are in the temporary table
/// `temp.{ids_table}` (one column, `id`), as the triggers would have left it.
pub(crate) fn recompute(conn: &Connection, ids_table: &str) -> Result<()> {
    conn.execute(
        &format!(
            "UPDATE contacts SET last_contact_at = (
                 SELECT max(i.occurred_at)
                   FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
                  WHERE p.contact_id = contacts.id)
              WHERE id IN (SELECT id FROM temp.\"{ids_table}\")"
        ),
        [],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::params;

    use crate::store::{OpenMode, Store};

    /// The stored value and the one worked out from the interactions, for every contact.
    fn stored_and_derived(store: &Store) -> Vec<(i64, Option<String>, Option<String>)> {
        store
            .conn()
            .prepare(
                "SELECT c.id, c.last_contact_at,
                        (SELECT max(i.occurred_at) FROM interaction_participants p
                           JOIN interactions i ON i.id = p.interaction_id
                          WHERE p.contact_id = c.id)
                   FROM contacts c ORDER BY c.id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn assert_kept(store: &Store, step: &str) {
        for (id, stored, derived) in stored_and_derived(store) {
            assert_eq!(stored, derived, "contact #{id} after {step}");
        }
    }

    /// Raw SQL on every path the triggers cover, checked against the value worked out
    /// from scratch after each step (the CLI paths are tested in tests/integration).
    #[test]
    fn the_triggers_keep_every_contacts_last_contact_right() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        store
            .write(|tx| {
                for (id, name) in [(1, "Ada"), (2, "Bo"), (3, "Cy")] {
                    tx.execute(
                        "INSERT INTO contacts (id, uid, display_name, name_key, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                        params![id, format!("c{id}"), name],
                    )?;
                }
                for (id, at) in [(10, "2026-03-01T10:00:00Z"), (11, "2026-05-01T10:00:00Z")] {
                    tx.execute(
                        "INSERT INTO interactions (id, uid, occurred_at, channel, summary, created_at, updated_at)
                         VALUES (?1, ?2, ?3, 'call', 's', ?3, ?3)",
                        params![id, format!("i{id}"), at],
                    )?;
                }
                Ok(())
            })
            .unwrap();
        let steps = [
            (
                "a participation",
                "INSERT INTO interaction_participants VALUES (10, 1)",
            ),
            (
                "a later one",
                "INSERT INTO interaction_participants VALUES (11, 1)",
            ),
            (
                "an earlier one",
                "INSERT INTO interaction_participants VALUES (10, 2)",
            ),
            (
                "a second person",
                "INSERT INTO interaction_participants VALUES (11, 2)",
            ),
            (
                "a time edited earlier",
                "UPDATE interactions SET occurred_at = '2026-02-01T00:00:00Z' WHERE id = 11",
            ),
            (
                "a time edited later",
                "UPDATE interactions SET occurred_at = '2026-09-01T00:00:00Z' WHERE id = 10",
            ),
            (
                "a person taken off",
                "DELETE FROM interaction_participants WHERE interaction_id = 10 AND contact_id = 2",
            ),
            (
                "a merge",
                "UPDATE interaction_participants SET contact_id = 3 WHERE contact_id = 1",
            ),
            (
                "an interaction deleted",
                "DELETE FROM interactions WHERE id = 10",
            ),
            ("a contact deleted", "DELETE FROM contacts WHERE id = 2"),
            (
                "the last interaction deleted",
                "DELETE FROM interactions WHERE id = 11",
            ),
        ];
        for (step, sql) in steps {
            store.write(|tx| Ok(tx.execute_batch(sql)?)).unwrap();
            assert_kept(&store, step);
        }
        let left: Vec<Option<String>> = stored_and_derived(&store)
            .into_iter()
            .map(|(_, stored, _)| stored)
            .collect();
        assert_eq!(left, vec![None, None], "nothing left to have been in touch");
    }
}
