//! Each organization's follow-ups side by side: `organization_follow_ups`, derived data kept
//! by the triggers of migration 0019, one row per follow-up on an organization or about one
//! of its people, keyed by (organization, follow-up), holding what a company's brief reads of
//! it. `kith show`'s company line reads one range of this table instead of a probe for each
//! person there and each follow-up's row scattered over the book.
//!
//! A bulk import writes with triggers off (`store::deferred`) and calls [`rebuild_all`]
//! when the book has follow-ups; `examples/gen` calls it too.

use rusqlite::Connection;

use crate::error::Result;

/// The triggers of migration 0019, which an import with triggers off replays with
/// [`rebuild_all`].
pub(crate) const TRIGGERS: &[&str] = &[
    "organization_follow_ups_after_reminder_insert",
    "organization_follow_ups_after_reminder_update",
    "organization_follow_ups_after_reminder_delete",
    "organization_follow_ups_after_contact_move",
];

/// The rows the table should hold, from migration 0019's view over `reminders` and
/// `contacts` (which its triggers write from too), in key order.
pub const FROM_SCRATCH: &str = "SELECT * FROM organization_follow_up_rows \
     ORDER BY organization_id, reminder_id";

/// The rows the table holds, in key order: for tests.
pub const KEPT: &str = "SELECT * FROM organization_follow_ups \
     ORDER BY organization_id, reminder_id";

/// Write every row again, as the triggers would have left them: after a bulk write with the
/// triggers off. Nothing to do in a book without follow-ups (a first import of cards).
pub fn rebuild_all(conn: &Connection) -> Result<()> {
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM reminders)", [], |r| r.get(0))?;
    let kept: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM organization_follow_ups)",
        [],
        |r| r.get(0),
    )?;
    if !any && !kept {
        return Ok(());
    }
    conn.execute_batch(&format!(
        "DELETE FROM organization_follow_ups;
         INSERT INTO organization_follow_ups {FROM_SCRATCH};"
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::types::Value;

    use crate::store::{OpenMode, Store};

    fn rows(store: &Store, sql: &str) -> Vec<Vec<Value>> {
        let mut stmt = store.conn().prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Raw SQL on every path the triggers cover, checked against the rows worked out from
    /// scratch after each step (the CLI's paths are checked by the integration tests, after
    /// every write they make).
    #[test]
    fn the_triggers_keep_every_organizations_follow_ups_right() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        let t = "'2026-01-01T00:00:00Z'";
        let steps = [
            (
                "two organizations",
                format!(
                    "INSERT INTO organizations (id, uid, name, name_key, created_at, updated_at)
                     VALUES (1, 'o1', 'Globex', 'globex', {t}, {t}),
                            (2, 'o2', 'Initech', 'initech', {t}, {t})"
                ),
            ),
            (
                "people at them and one at none",
                format!(
                    "INSERT INTO contacts (id, uid, display_name, name_key, organization_id,
                                           created_at, updated_at)
                     VALUES (1, 'c1', 'Ada', 'ada', 1, {t}, {t}),
                            (2, 'c2', 'Bo', 'bo', 2, {t}, {t}),
                            (3, 'c3', 'Cy', 'cy', NULL, {t}, {t})"
                ),
            ),
            (
                "follow-ups about each, on an organization, and on both at once",
                format!(
                    "INSERT INTO reminders (id, uid, contact_id, organization_id, text, due,
                                            created_at, updated_at)
                     VALUES (1, 'r1', 1, NULL, 'a', '2026-02-01', {t}, {t}),
                            (2, 'r2', 2, NULL, 'b', '2026-02-02', {t}, {t}),
                            (3, 'r3', 3, NULL, 'c', '2026-02-03', {t}, {t}),
                            (4, 'r4', NULL, 2, 'd', '2026-02-04', {t}, {t}),
                            (5, 'r5', 1, 1, 'e', '2026-02-05', {t}, {t}),
                            (6, 'r6', 1, 2, 'f', '2026-02-06', {t}, {t})"
                ),
            ),
            (
                "one done, one snoozed, one's text edited",
                format!(
                    "UPDATE reminders SET done_at = {t} WHERE id = 1;
                     UPDATE reminders SET snoozed_until = '2026-03-01' WHERE id = 2;
                     UPDATE reminders SET text = 'g' WHERE id = 4"
                ),
            ),
            (
                "a follow-up moved to another person (a merge)",
                "UPDATE reminders SET contact_id = 2 WHERE id = 3".to_string(),
            ),
            (
                "a person moved to another organization",
                "UPDATE contacts SET organization_id = 2 WHERE id = 1".to_string(),
            ),
            (
                "a person left with no organization",
                "UPDATE contacts SET organization_id = NULL WHERE id = 2".to_string(),
            ),
            (
                "a person joining one",
                "UPDATE contacts SET organization_id = 1 WHERE id = 3".to_string(),
            ),
            (
                "a follow-up deleted",
                "DELETE FROM reminders WHERE id = 5".to_string(),
            ),
            (
                "an organization deleted (its follow-ups go, its people stay)",
                "DELETE FROM organizations WHERE id = 2".to_string(),
            ),
            (
                "a contact deleted",
                "DELETE FROM contacts WHERE id = 2".to_string(),
            ),
            (
                "a new follow-up about someone there",
                format!(
                    "INSERT INTO reminders (id, uid, contact_id, text, due, created_at,
                                            updated_at)
                     VALUES (7, 'r7', 3, 'h', '2026-02-07', {t}, {t})"
                ),
            ),
        ];
        let keys = |store: &Store| -> Vec<(i64, i64)> {
            let mut stmt = (store.conn())
                .prepare("SELECT organization_id, reminder_id FROM organization_follow_ups ORDER BY 1, 2")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        for (n, (step, sql)) in steps.iter().enumerate() {
            store.write(|tx| Ok(tx.execute_batch(sql)?)).unwrap();
            assert_eq!(
                rows(&store, super::KEPT),
                rows(&store, super::FROM_SCRATCH),
                "after {step}"
            );
            if n == 2 {
                // Under the person's organization, under its own, once when both are one.
                let expected = [(1, 1), (1, 5), (1, 6), (2, 2), (2, 4), (2, 6)];
                assert_eq!(keys(&store), expected, "after {step}");
            }
        }
        assert_eq!(keys(&store), [(1, 7)]);
        // And a rebuild writes the same rows.
        let before = rows(&store, super::KEPT);
        store.write(|tx| super::rebuild_all(tx)).unwrap();
        assert_eq!(rows(&store, super::KEPT), before);
    }
}
