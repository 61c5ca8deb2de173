//! Tags on contacts and organizations. Tag names arrive normalised (see `model::normalize_tag`).

use rusqlite::{Connection, params};

use super::WriteTx;
use crate::error::Result;

fn tag_id(conn: &Connection, name: &str) -> Result<i64> {
    conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?1)", [name])?;
    Ok(conn.query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| r.get(0))?)
}

/// Make contact `id`'s tags exactly `tags`.
pub fn set_contact_tags(conn: &WriteTx, id: i64, tags: &[String]) -> Result<()> {
    conn.execute("DELETE FROM contact_tags WHERE contact_id = ?1", [id])?;
    for tag in tags {
        let tag = tag_id(conn, tag)?;
        conn.execute(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2)",
            params![id, tag],
        )?;
    }
    drop_unused(conn)
}

/// Add and remove tags on an organization.
pub fn change_organization_tags(
    conn: &WriteTx,
    id: i64,
    add: &[String],
    remove: &[String],
) -> Result<()> {
    for tag in add {
        let tag = tag_id(conn, tag)?;
        conn.execute(
            "INSERT OR IGNORE INTO organization_tags (organization_id, tag_id) VALUES (?1, ?2)",
            params![id, tag],
        )?;
    }
    for tag in remove {
        conn.execute(
            "DELETE FROM organization_tags WHERE organization_id = ?1
                AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
            params![id, tag],
        )?;
    }
    drop_unused(conn)
}

/// A tag nobody carries any more disappears from `kith tags`.
fn drop_unused(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM contact_tags)
            AND id NOT IN (SELECT tag_id FROM organization_tags)",
        [],
    )?;
    Ok(())
}

/// Every tag with how many active contacts and organizations carry it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TagCount {
    pub name: String,
    pub contacts: i64,
    pub organizations: i64,
}

/// Every tag's carriers are counted from `contact_tags_by_tag` alone, and the archived
/// among them (found through the small `contacts_archived` index) taken off: reading each
/// carrier's contact row to see whether it is archived cost 80 ms at 100k contacts.
pub fn counts(conn: &Connection) -> Result<Vec<TagCount>> {
    let mut stmt = conn.prepare(
        "SELECT t.name,
                (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id)
                - (SELECT count(*) FROM contacts c INDEXED BY contacts_archived
                     CROSS JOIN contact_tags ct ON ct.contact_id = c.id
                    WHERE c.archived_at IS NOT NULL AND ct.tag_id = t.id),
                (SELECT count(*) FROM organization_tags ot WHERE ot.tag_id = t.id)
           FROM tags t ORDER BY t.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TagCount {
            name: r.get(0)?,
            contacts: r.get(1)?,
            organizations: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
