//! When each contact last interacted, worked out in one set-wise pass over the contacts asked
//! for rather than a correlated `max()` per contact row.
//!
//! Why this shape (measured on 100k contacts × 10 interactions, see docs/PERFORMANCE.md): the
//! cost is the lookup of each interaction's `occurred_at` in the `interactions` table, one
//! random page read per participant row. A subquery per contact read in name order paid that
//! plus a fresh index descent per contact; walking `interaction_participants_by_contact` in
//! contact order for just the wanted contacts (`p.contact_id IN (...)`) and grouping there
//! halves it, and callers that need only some contacts (the agenda: those with a cadence)
//! skip the rest entirely. A covering `interactions(id, occurred_at)` index measured slower.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::parse_ts;
use crate::error::Result;

/// The latest `occurred_at` of every contact `c` matching `contacts_where` (an SQL condition
/// on the alias `c`, with `values` for its placeholders) that has any interaction. Contacts
/// never interacted with are absent. Like the listing it feeds, the latest is the greatest
/// stored text: every writer stores UTC RFC 3339 with seconds, which sorts as time does.
pub(crate) fn latest_by_contact(
    conn: &Connection,
    contacts_where: &str,
    values: &[Value],
) -> Result<HashMap<i64, DateTime<Utc>>> {
    let sql = format!(
        "SELECT p.contact_id, max(i.occurred_at)
           FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
          WHERE p.contact_id IN (SELECT c.id FROM contacts c WHERE {contacts_where})
          GROUP BY p.contact_id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let mut latest = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        latest.insert(id, parse_ts(&at)?);
    }
    Ok(latest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{OpenMode, Store};

    fn plan(conn: &Connection, sql: &str) -> String {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
            .join("\n")
    }

    /// The pass must walk the participants index by contact (no per-contact subquery, no
    /// sort of every participant row): the reason it is fast on a large book.
    #[test]
    fn the_pass_walks_participants_by_contact_without_a_sort() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        let plan = plan(
            store.conn(),
            "SELECT p.contact_id, max(i.occurred_at)
               FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
              WHERE p.contact_id IN (SELECT c.id FROM contacts c WHERE c.archived_at IS NULL)
              GROUP BY p.contact_id",
        );
        assert!(
            plan.contains("interaction_participants_by_contact"),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        assert!(!plan.contains("CORRELATED"), "{plan}");
    }
}
