//! Organizations: the companies contacts belong to.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::WriteTx;
use super::{parse_opt_ts, parse_ts, ts};
use crate::error::{Error, Result};
use crate::model::{OrgRef, Organization, Period, fold, new_uid, validate_name};
use crate::resolve::org::{self, OrgCandidate, OrgResolution};
use crate::resolve::{Purpose, Why};

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
    pub cadence: Option<Option<Period>>,
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
    if let Some(cadence) = &changes.cadence {
        conn.execute(
            "UPDATE organizations SET cadence = ?2 WHERE id = ?1",
            params![id, cadence.map(|p| p.to_string())],
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

/// Delete for good; its people stay, without an organization, and so do the interactions
/// with them; an interaction about the organization alone goes with it.
pub fn purge(conn: &WriteTx, id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM interactions WHERE organization_id = ?1
            AND NOT EXISTS (SELECT 1 FROM interaction_participants p WHERE p.interaction_id = interactions.id)",
        [id],
    )?;
    conn.execute("DELETE FROM organizations WHERE id = ?1", [id])?;
    Ok(())
}

/// All organizations (or one), with tags and the count of their active people.
pub fn list(
    conn: &Connection,
    include_archived: bool,
    only: Option<i64>,
) -> Result<Vec<Organization>> {
    // One by its id, not found by walking them all in name order.
    let only_sql = if only.is_some() {
        "o.id = ?2"
    } else {
        "?2 IS NULL"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT o.id, o.uid, o.name, o.domain, o.notes, o.created_at, o.updated_at, o.archived_at,
                (SELECT count(*) FROM organization_people op
                  WHERE op.organization_id = o.id AND op.archived_at IS NULL),
                (SELECT group_concat(name, ' ') FROM (SELECT t.name FROM organization_tags ot
                    JOIN tags t ON t.id = ot.tag_id WHERE ot.organization_id = o.id ORDER BY t.name)),
                o.cadence
           FROM organizations o
          WHERE (?1 OR o.archived_at IS NULL) AND {only_sql}
          ORDER BY o.name_key"
    ))?;
    let rows = stmt.query_map(params![include_archived, only], |r| {
        let tags: Option<String> = r.get(9)?;
        let cadence: Option<String> = r.get(10)?;
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
            // An unreadable value (a hand edit) is no cadence, as for a contact.
            cadence: cadence.and_then(|c| Period::parse(&c).ok()),
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

/// Organization `id`'s name, notes and whether it is archived, as [`get`] reads them, without
/// what else `get` works out (its people counted over their rows, its tags): what a person's
/// brief says of their organization.
pub fn named(conn: &Connection, id: i64) -> Result<OrgNamed> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uid, name, notes, archived_at FROM organizations WHERE id = ?1",
    )?;
    stmt.query_row([id], |r| {
        Ok(OrgNamed {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
            notes: r.get(3)?,
            archived_at: parse_opt_ts(r.get(4)?)?,
        })
    })
    .optional()?
    .ok_or_else(|| Error::NotFound {
        what: "organization",
        query: format!("#{id}"),
    })
}

/// An organization as [`named`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgNamed {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub notes: Option<String>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// How many people organization `id` has, archived ones too (one range of
/// `organization_people`).
pub fn people_count(conn: &Connection, id: i64) -> Result<i64> {
    let mut stmt =
        conn.prepare_cached("SELECT count(*) FROM organization_people WHERE organization_id = ?1")?;
    Ok(stmt.query_row([id], |r| r.get(0))?)
}

/// One of an organization's people as its brief's lines show them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonHead {
    pub contact: crate::model::ContactRef,
    pub title: Option<String>,
    pub last_contact_at: Option<DateTime<Utc>>,
}

/// The active people of organization `id` as their lines in `kith org show` show them
/// (any order): four columns of each one's row, found by the organization index, instead of
/// every contact read whole with their details and tags.
pub fn people_heads(conn: &Connection, id: i64) -> Result<Vec<PersonHead>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.uid, c.display_name, c.title, c.last_contact_at
           FROM contacts c INDEXED BY contacts_by_organization
          WHERE c.organization_id = ?1 AND c.archived_at IS NULL",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(PersonHead {
            contact: crate::model::ContactRef {
                id: r.get(0)?,
                uid: r.get(1)?,
                name: r.get(2)?,
            },
            title: r.get(3)?,
            last_contact_at: r.get_ref(4)?.as_str_or_null()?.map(parse_ts).transpose()?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// Every organization as a lookup needs it: name, domain, archived.
pub fn candidates(conn: &Connection) -> Result<Vec<OrgCandidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, domain, archived_at IS NOT NULL FROM organizations ORDER BY name_key, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OrgCandidate {
            id: r.get(0)?,
            name: r.get(1)?,
            domain: r.get(2)?,
            archived: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The organization a lookup settled on; `closest` says why when it was not a sure match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFound {
    pub id: i64,
    pub name: String,
    pub archived: bool,
    pub closest: Option<Why>,
}

/// Resolve `#ID`, a UID or a name to one organization, for a change: only a sure match
/// (see [`crate::resolve::org`]); an archived one only when `include_archived`.
pub fn resolve(conn: &Connection, query: &str, include_archived: bool) -> Result<i64> {
    Ok(lookup(conn, query, include_archived, Purpose::Change)?.id)
}

/// Resolve `query` for a `purpose`. Active organizations come first; an archived one is
/// found only when no active one fits, and is refused unless `include_archived`.
pub fn lookup(
    conn: &Connection,
    query: &str,
    include_archived: bool,
    purpose: Purpose,
) -> Result<OrgFound> {
    let orgs = candidates(conn)?;
    let found = |id: i64, closest: Option<Why>| {
        let org = orgs.iter().find(|o| o.id == id);
        OrgFound {
            id,
            name: org.map(|o| o.name.clone()).unwrap_or_default(),
            archived: org.is_some_and(|o| o.archived),
            closest,
        }
    };
    let by_key = match crate::resolve::probe(query) {
        crate::resolve::Probe::Id(id) => Some(orgs.iter().any(|o| o.id == id).then_some(id)),
        _ => by_uid(conn, query.trim())?.map(Some),
    };
    let chosen = match by_key {
        Some(Some(id)) => found(id, None),
        Some(None) => return Err(not_found(query)),
        None => match org::decide(query, &orgs, purpose) {
            OrgResolution::Confident { id, .. } => found(id, None),
            OrgResolution::Closest { id, why, .. } => found(id, Some(why)),
            OrgResolution::Ambiguous { ids, loose } => {
                return Err(Error::Ambiguous {
                    what: "organization",
                    query: query.to_string(),
                    total: ids.len(),
                    candidates: ids
                        .iter()
                        .filter_map(|id| orgs.iter().find(|o| o.id == *id))
                        .map(describe)
                        .collect(),
                    loose,
                });
            }
            OrgResolution::None => return Err(not_found(query)),
        },
    };
    if chosen.archived && !include_archived {
        return Err(Error::Archived {
            name: chosen.name,
            id: chosen.id,
            restore: "kith org restore",
        });
    }
    Ok(chosen)
}

fn not_found(query: &str) -> Error {
    Error::NotFound {
        what: "organization",
        query: query.to_string(),
    }
}

fn describe(o: &OrgCandidate) -> crate::error::Candidate {
    let mut detail = Vec::new();
    if let Some(domain) = &o.domain {
        detail.push(domain.clone());
    }
    if o.archived {
        detail.push("archived".to_string());
    }
    crate::error::Candidate {
        id: o.id,
        name: o.name.clone(),
        detail: detail.join(", "),
    }
}

/// The organization a person joins by `--org` (an existing, active one, resolved like a
/// name) or `--new-org` (created, and refused when one of that name exists). Returns the
/// stored name, which the contact's write then finds. Nothing is created here.
pub fn for_member(
    conn: &Connection,
    org: Option<&str>,
    new_org: Option<&str>,
) -> Result<Option<String>> {
    if let Some(name) = new_org {
        let name = validate_name("organization", name)?;
        if let Some(id) = by_name_key(conn, &fold(&name))? {
            let archived = candidates(conn)?.iter().any(|o| o.id == id && o.archived);
            let hint = if archived {
                format!("archived: `kith org restore '#{id}'` brings it back, then --org '#{id}'")
            } else {
                format!("--org '#{id}' joins it")
            };
            return Err(Error::Conflict(format!(
                "an organization named \"{name}\" already exists (#{id}; {hint})"
            )));
        }
        return Ok(Some(name));
    }
    let Some(query) = org else {
        return Ok(None);
    };
    match lookup(conn, query, false, Purpose::Change) {
        Ok(found) => Ok(Some(found.name)),
        Err(Error::NotFound { .. }) => Err(Error::NoOrganization {
            query: query.to_string(),
        }),
        Err(e) => Err(e),
    }
}

/// The one active organization whose domain is that of one of `emails`, when exactly one:
/// its id and name.
pub fn by_email_domain<'a>(
    conn: &Connection,
    emails: impl IntoIterator<Item = &'a str>,
) -> Result<Option<(i64, String)>> {
    let orgs = candidates(conn)?;
    let mut ids: Vec<i64> = emails
        .into_iter()
        .filter_map(|e| org::by_email_domain(e, &orgs))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let [id] = ids.as_slice() else {
        return Ok(None);
    };
    Ok(orgs
        .iter()
        .find(|o| o.id == *id)
        .map(|o| (o.id, o.name.clone())))
}

/// What an import writes of an organization besides its name and tags.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrgDetails<'a> {
    pub domain: Option<&'a str>,
    pub notes: Option<&'a str>,
    /// A period as the record gives it (`1m`); checked here.
    pub cadence: Option<&'a str>,
}

/// An organization's cadence as a record gives it, in the form kith stores.
pub(crate) fn stored_cadence(raw: &str) -> Result<String> {
    Period::parse(raw.trim())
        .map(|p| p.to_string())
        .map_err(|_| {
            Error::invalid(
                "cadence",
                raw,
                "expected a period such as 30d, 2w, 1m or 1y",
            )
        })
}

/// When each interaction with organization `org` or one of its active people happened, from
/// `since` (a local day, compared as its UTC midnight) on: each interaction once.
pub fn activity_days(
    conn: &Connection,
    org: i64,
    since: chrono::NaiveDate,
) -> Result<Vec<DateTime<Utc>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT occurred_at FROM interactions WHERE id IN (
             SELECT id FROM interactions WHERE organization_id = ?1
             UNION
             SELECT p.interaction_id FROM contacts c
               JOIN interaction_participants p ON p.contact_id = c.id
              WHERE c.organization_id = ?1 AND c.archived_at IS NULL)
           AND occurred_at >= ?2",
    )?;
    let rows = stmt.query_map(params![org, day_start(since)], |r| {
        parse_ts(&r.get::<_, String>(0)?)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first moment of `day` as stored times are compared with it.
pub fn day_start(day: chrono::NaiveDate) -> String {
    format!("{}T00:00:00Z", day.format("%Y-%m-%d"))
}
