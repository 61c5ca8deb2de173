//! Default keep-in-touch cadences per tag (`kith tag-cadence client 30d`).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::WriteTx;
use super::ts;
use crate::error::Result;
use crate::model::{Period, TagCadence};

/// Set (or replace) the cadence of `tag`, which arrives normalised.
pub fn set(conn: &WriteTx, tag: &str, cadence: Period, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO tag_cadences (tag, cadence, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (tag) DO UPDATE SET cadence = excluded.cadence, updated_at = excluded.updated_at",
        params![tag, cadence.to_string(), ts(now)],
    )?;
    Ok(())
}

/// Remove the cadence of `tag`; whether there was one.
pub fn clear(conn: &WriteTx, tag: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM tag_cadences WHERE tag = ?1", [tag])? > 0)
}

/// Every tag cadence, by tag name.
pub fn list(conn: &Connection) -> Result<Vec<TagCadence>> {
    let mut stmt = conn.prepare(
        "SELECT tc.tag, tc.cadence,
                (SELECT count(*) FROM contact_tags ct
                   JOIN tags t ON t.id = ct.tag_id
                   JOIN contacts c ON c.id = ct.contact_id
                  WHERE t.name = tc.tag AND c.archived_at IS NULL)
           FROM tag_cadences tc ORDER BY tc.tag",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (tag, cadence, contacts) = row?;
        // A row is only ever written from a parsed Period; an unreadable one is skipped
        // rather than failing every agenda.
        if let Ok(cadence) = Period::parse(&cadence) {
            out.push(TagCadence {
                tag,
                cadence,
                contacts,
            });
        }
    }
    Ok(out)
}
