//! The first screen of the contact list, read without touching the rest of the address book:
//! the interactive mode draws these while the whole list loads on another thread.

use rusqlite::Connection;

use crate::error::Result;

/// One contact as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedContact {
    pub id: i64,
    pub display_name: String,
    pub nickname: Option<String>,
    pub organization: Option<String>,
}

/// How many contacts are not archived (a scan of the table: about 50 ms at 100k).
pub fn count_active(conn: &Connection) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM contacts WHERE archived_at IS NULL",
        [],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Whether there are more than `n` contacts, archived ones included: walks at most `n + 1`
/// entries of an index, so it costs the same on any size of book (a `count(*)` reads every
/// page of one: a few ms at 1M, before the first frame).
pub fn more_than(conn: &Connection, n: usize) -> Result<bool> {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    let more: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM contacts LIMIT 1 OFFSET ?1)",
        [n],
        |r| r.get(0),
    )?;
    Ok(more)
}

/// The first `limit` active contacts by folded name (then id), walking `contacts_by_name_key`
/// so only those rows are read: the same order as the whole list sorted in memory.
pub fn first_by_name(conn: &Connection, limit: usize) -> Result<Vec<ListedContact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.display_name, c.nickname, o.name
           FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
          WHERE c.archived_at IS NULL
          ORDER BY c.name_key, c.id
          LIMIT ?1",
    )?;
    let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        Ok(ListedContact {
            id: r.get(0)?,
            display_name: r.get(1)?,
            nickname: r.get(2)?,
            organization: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_first_page_walks_the_name_index_without_sorting() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(
            &dir.path().join("kith.db"),
            crate::store::OpenMode::CreateIfMissing,
        )
        .unwrap();
        let plan: Vec<String> = store
            .conn()
            .prepare(
                "EXPLAIN QUERY PLAN SELECT c.id, c.display_name, c.nickname, o.name
                   FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
                  WHERE c.archived_at IS NULL ORDER BY c.name_key, c.id LIMIT 10",
            )
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("contacts_by_name_key"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
