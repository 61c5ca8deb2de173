//! Directed relationships between contacts.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::WriteTx;
use super::{parse_ts, ts};
use crate::error::Result;
use crate::link_rules::StoredLink;
use crate::model::{ContactRef, Relationship};

/// Link `from` <kind> `to`; linking again updates the note.
pub fn link(
    conn: &WriteTx,
    from: i64,
    to: i64,
    kind: &str,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO relationships (from_contact_id, to_contact_id, kind, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (from_contact_id, to_contact_id, kind) DO UPDATE SET note = excluded.note",
        params![from, to, kind, note, ts(now)],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM relationships WHERE from_contact_id = ?1 AND to_contact_id = ?2 AND kind = ?3",
        params![from, to, kind],
        |r| r.get(0),
    )?)
}

/// The links between two contacts, either direction.
pub fn between(conn: &Connection, a: i64, b: i64) -> Result<Vec<StoredLink>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, from_contact_id, to_contact_id, kind FROM relationships
          WHERE (from_contact_id = ?1 AND to_contact_id = ?2)
             OR (from_contact_id = ?2 AND to_contact_id = ?1)
          ORDER BY id",
    )?;
    let rows = stmt.query_map(params![a, b], |r| {
        Ok(StoredLink {
            id: r.get(0)?,
            from: r.get(1)?,
            to: r.get(2)?,
            kind: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Update the note of one link.
pub fn set_note(conn: &WriteTx, id: i64, note: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE relationships SET note = ?2 WHERE id = ?1",
        params![id, note],
    )?;
    Ok(())
}

/// Remove these links; returns how many were removed.
pub fn delete(conn: &WriteTx, ids: &[i64]) -> Result<usize> {
    let mut stmt = conn.prepare_cached("DELETE FROM relationships WHERE id = ?1")?;
    let mut removed = 0;
    for id in ids {
        removed += stmt.execute([id])?;
    }
    Ok(removed)
}

/// Every relationship that involves contact `id`, either side.
pub fn for_contact(conn: &Connection, id: i64) -> Result<Vec<Relationship>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.kind, r.note, r.created_at,
                a.id, a.uid, a.display_name, b.id, b.uid, b.display_name
           FROM relationships r
           JOIN contacts a ON a.id = r.from_contact_id
           JOIN contacts b ON b.id = r.to_contact_id
          WHERE r.from_contact_id = ?1 OR r.to_contact_id = ?1
          ORDER BY r.kind, a.name_key, b.name_key",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Relationship {
            id: r.get(0)?,
            kind: r.get(1)?,
            note: r.get(2)?,
            created_at: parse_ts(&r.get::<_, String>(3)?)?,
            from: ContactRef {
                id: r.get(4)?,
                uid: r.get(5)?,
                name: r.get(6)?,
            },
            to: ContactRef {
                id: r.get(7)?,
                uid: r.get(8)?,
                name: r.get(9)?,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
