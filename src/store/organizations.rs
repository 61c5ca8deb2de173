//! Organizations: the companies contacts belong to.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::WriteTx;
use super::{parse_opt_ts, parse_ts, ts};
use crate::error::{Error, Result};
use crate::model::{OrgRef, Organization, fold, new_uid, validate_name};

/// The id of the organization named `name` (compared folded), created when missing.
pub(super) fn ensure(conn: &WriteTx, name: &str, now: DateTime<Utc>) -> Result<i64> {
    let name = validate_name("organization", name)?;
    if let Some(id) = by_name_key(conn, &fold(&name))? {
        return Ok(id);
    }
    insert(conn, &name, None, None, now)
}

/// As [`ensure`], for someone joining the organization: an archived one is current again.
pub(super) fn ensure_current(conn: &WriteTx, name: &str, now: DateTime<Utc>) -> Result<i64> {
    let name = validate_name("organization", name)?;
    if let Some(id) = by_name_key(conn, &fold(&name))? {
        conn.execute(
            "UPDATE organizations SET archived_at = NULL, updated_at = ?2
             WHERE id = ?1 AND archived_at IS NOT NULL",
            params![id, ts(now)],
        )?;
        return Ok(id);
    }
    insert(conn, &name, None, None, now)
}

pub fn insert(
    conn: &WriteTx,
    name: &str,
    domain: Option<&str>,
    notes: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO organizations (uid, name, name_key, domain, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![new_uid(), name, fold(name), domain, notes, ts(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn by_name_key(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM organizations WHERE name_key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM organizations WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Fields `org edit` may change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct OrgChanges {
    pub name: Option<String>,
    pub domain: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

pub fn update(conn: &WriteTx, id: i64, changes: &OrgChanges, now: DateTime<Utc>) -> Result<()> {
    if let Some(name) = &changes.name {
        conn.execute(
            "UPDATE organizations SET name = ?2, name_key = ?3 WHERE id = ?1",
            params![id, name, fold(name)],
        )?;
    }
    if let Some(domain) = &changes.domain {
        conn.execute(
            "UPDATE organizations SET domain = ?2 WHERE id = ?1",
            params![id, domain],
        )?;
    }
    if let Some(notes) = &changes.notes {
        conn.execute(
            "UPDATE organizations SET notes = ?2 WHERE id = ?1",
            params![id, notes],
        )?;
    }
    conn.execute(
        "UPDATE organizations SET updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )?;
    Ok(())
}

pub fn set_archived(
    conn: &WriteTx,
    id: i64,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE organizations SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, at.map(ts), ts(now)],
    )?;
    Ok(())
}

/// Delete for good; its people stay, without an organization.
pub fn purge(conn: &WriteTx, id: i64) -> Result<()> {
    conn.execute("DELETE FROM organizations WHERE id = ?1", [id])?;
    Ok(())
}

/// All organizations (or one), with tags and the count of their active people.
pub fn list(
    conn: &Connection,
    include_archived: bool,
    only: Option<i64>,
) -> Result<Vec<Organization>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.uid, o.name, o.domain, o.notes, o.created_at, o.updated_at, o.archived_at,
                (SELECT count(*) FROM contacts c WHERE c.organization_id = o.id AND c.archived_at IS NULL),
                (SELECT group_concat(name, ' ') FROM (SELECT t.name FROM organization_tags ot
                    JOIN tags t ON t.id = ot.tag_id WHERE ot.organization_id = o.id ORDER BY t.name))
           FROM organizations o
          WHERE (?1 OR o.archived_at IS NULL) AND (?2 IS NULL OR o.id = ?2)
          ORDER BY o.name_key",
    )?;
    let rows = stmt.query_map(params![include_archived, only], |r| {
        let tags: Option<String> = r.get(9)?;
        Ok(Organization {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
            domain: r.get(3)?,
            notes: r.get(4)?,
            created_at: parse_ts(&r.get::<_, String>(5)?)?,
            updated_at: parse_ts(&r.get::<_, String>(6)?)?,
            archived_at: parse_opt_ts(r.get(7)?)?,
            contact_count: r.get(8)?,
            tags: tags
                .map(|t| t.split(' ').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Organization> {
    list(conn, true, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| Error::NotFound {
            what: "organization",
            query: format!("#{id}"),
        })
}

/// Name candidates for organization lookups.
pub fn refs(conn: &Connection, include_archived: bool) -> Result<Vec<OrgRef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uid, name FROM organizations WHERE ?1 OR archived_at IS NULL ORDER BY name_key",
    )?;
    let rows = stmt.query_map([include_archived], |r| {
        Ok(OrgRef {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Resolve `#ID`, a UID or a (fuzzy) name to one organization.
pub fn resolve(conn: &Connection, query: &str, include_archived: bool) -> Result<i64> {
    let not_found = || Error::NotFound {
        what: "organization",
        query: query.to_string(),
    };
    if let crate::resolve::Probe::Id(id) = crate::resolve::probe(query) {
        return match list(conn, true, Some(id))?.first() {
            Some(o) => Ok(o.id),
            None => Err(not_found()),
        };
    }
    if let Some(id) = by_uid(conn, query.trim())? {
        return Ok(id);
    }
    if let Some(id) = by_name_key(conn, &fold(query))? {
        return Ok(id);
    }
    let orgs = refs(conn, include_archived)?;
    let candidates: Vec<crate::resolve::NameCandidate> = orgs
        .iter()
        .map(|o| crate::resolve::NameCandidate {
            id: o.id,
            display_name: o.name.clone(),
            nickname: None,
            organization: None,
            email: None,
            archived: false,
        })
        .collect();
    match crate::resolve::match_name(query, &candidates) {
        crate::resolve::NameMatch::One(id) => Ok(id),
        crate::resolve::NameMatch::None => Err(not_found()),
        crate::resolve::NameMatch::Many(ids) => Err(Error::Ambiguous {
            what: "organization",
            query: query.to_string(),
            candidates: ids
                .iter()
                .filter_map(|id| orgs.iter().find(|o| o.id == *id))
                .map(|o| crate::error::Candidate {
                    id: o.id,
                    name: o.name.clone(),
                    detail: String::new(),
                })
                .collect(),
        }),
    }
}
