//! The whole database read in a handful of queries: for export (as kith's JSON document) and
//! for the importer, which matches incoming records against everything at once instead of
//! asking the database once per record.

use std::collections::HashMap;

use rusqlite::Connection;

use super::contacts::{Archived, ContactFilter};
use super::{parse_opt_ts, parse_ts};
use crate::error::Result;
use crate::formats::json::{
    CompletionRecord, ContactRecord, Document, FORMAT_VERSION, InteractionRecord,
    OrganizationRecord, RelationshipRecord, ReminderRecord,
};
use crate::model::{Contact, fold};

/// Every contact (archived too), with its unmodelled properties.
pub fn contacts_with_extras(conn: &Connection) -> Result<Vec<(Contact, Vec<String>)>> {
    let filter = ContactFilter {
        archived: Archived::Include,
        ..ContactFilter::default()
    };
    let contacts = super::contacts::list(conn, &filter)?;
    let mut extras = super::extras::all(conn)?;
    Ok(contacts
        .into_iter()
        .map(|c| {
            let e = extras.remove(&c.id).unwrap_or_default();
            (c, e)
        })
        .collect())
}

/// Everything, as kith's JSON document, in an order that depends only on the data.
pub fn document(conn: &Connection) -> Result<Document> {
    let mut organizations: Vec<(String, OrganizationRecord)> =
        super::organizations::list(conn, true, None)?
            .into_iter()
            .map(|o| {
                (
                    fold(&o.name),
                    OrganizationRecord {
                        uid: Some(o.uid),
                        name: o.name,
                        domain: o.domain,
                        notes: o.notes,
                        tags: o.tags,
                        created_at: Some(o.created_at),
                        updated_at: Some(o.updated_at),
                        archived_at: o.archived_at,
                    },
                )
            })
            .collect();
    organizations.sort_by(|a, b| (&a.0, &a.1.uid).cmp(&(&b.0, &b.1.uid)));

    let mut contacts: Vec<(String, ContactRecord)> = contacts_with_extras(conn)?
        .into_iter()
        .map(|(c, extras)| {
            (
                fold(&c.fields.display_name),
                ContactRecord::from_contact(
                    &c.uid,
                    &c.fields,
                    &extras,
                    c.created_at,
                    c.updated_at,
                    c.archived_at,
                ),
            )
        })
        .collect();
    contacts.sort_by(|a, b| (&a.0, &a.1.uid).cmp(&(&b.0, &b.1.uid)));

    Ok(Document {
        kith_format: FORMAT_VERSION,
        organizations: organizations.into_iter().map(|(_, o)| o).collect(),
        contacts: contacts.into_iter().map(|(_, c)| c).collect(),
        relationships: relationships(conn)?,
        interactions: interactions(conn)?,
        reminders: reminders(conn)?,
    })
}

fn relationships(conn: &Connection) -> Result<Vec<RelationshipRecord>> {
    let mut stmt = conn.prepare(
        "SELECT a.uid, r.kind, b.uid, r.note, r.created_at FROM relationships r
           JOIN contacts a ON a.id = r.from_contact_id JOIN contacts b ON b.id = r.to_contact_id
          ORDER BY a.uid, r.kind, b.uid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RelationshipRecord {
            from: r.get(0)?,
            kind: r.get(1)?,
            to: r.get(2)?,
            note: r.get(3)?,
            created_at: Some(parse_ts(&r.get::<_, String>(4)?)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn interactions(conn: &Connection) -> Result<Vec<InteractionRecord>> {
    let mut participants: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT p.interaction_id, c.uid FROM interaction_participants p
           JOIN contacts c ON c.id = p.contact_id ORDER BY p.interaction_id, c.uid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        participants.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    let mut stmt = conn.prepare(
        "SELECT id, uid, occurred_at, channel, direction, summary, body, created_at, updated_at
           FROM interactions ORDER BY occurred_at, uid",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok(InteractionRecord {
            uid: Some(r.get(1)?),
            occurred_at: parse_ts(&r.get::<_, String>(2)?)?,
            channel: r.get(3)?,
            direction: r.get(4)?,
            summary: r.get(5)?,
            body: r.get(6)?,
            participants: participants.remove(&id).unwrap_or_default(),
            created_at: Some(parse_ts(&r.get::<_, String>(7)?)?),
            updated_at: Some(parse_ts(&r.get::<_, String>(8)?)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn reminders(conn: &Connection) -> Result<Vec<ReminderRecord>> {
    let mut completions: HashMap<i64, Vec<CompletionRecord>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT reminder_id, due, done_at FROM reminder_completions ORDER BY reminder_id, done_at, due",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        completions
            .entry(r.get(0)?)
            .or_default()
            .push(CompletionRecord {
                due: r.get(1)?,
                done_at: parse_ts(&r.get::<_, String>(2)?)?,
            });
    }
    let mut stmt = conn.prepare(
        "SELECT r.id, r.uid, r.text, r.due, r.recurrence, r.snoozed_until, r.done_at,
                c.uid, o.name, i.uid, r.created_at, r.updated_at
           FROM reminders r
           LEFT JOIN contacts c ON c.id = r.contact_id
           LEFT JOIN organizations o ON o.id = r.organization_id
           LEFT JOIN interactions i ON i.id = r.interaction_id
          ORDER BY r.due, r.uid",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok(ReminderRecord {
            uid: Some(r.get(1)?),
            text: r.get(2)?,
            due: r.get(3)?,
            recurrence: r.get(4)?,
            snoozed_until: r.get(5)?,
            done_at: parse_opt_ts(r.get(6)?)?,
            contact: r.get(7)?,
            organization: r.get(8)?,
            interaction: r.get(9)?,
            completions: completions.remove(&id).unwrap_or_default(),
            created_at: Some(parse_ts(&r.get::<_, String>(10)?)?),
            updated_at: Some(parse_ts(&r.get::<_, String>(11)?)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every organization as its JSON record, by id.
pub fn document_organizations(conn: &Connection) -> Result<HashMap<i64, OrganizationRecord>> {
    Ok(super::organizations::list(conn, true, None)?
        .into_iter()
        .map(|o| {
            (
                o.id,
                OrganizationRecord {
                    uid: Some(o.uid),
                    name: o.name,
                    domain: o.domain,
                    notes: o.notes,
                    tags: o.tags,
                    created_at: Some(o.created_at),
                    updated_at: Some(o.updated_at),
                    archived_at: o.archived_at,
                },
            )
        })
        .collect())
}

/// Every interaction as its JSON record (without times), by UID.
pub fn interactions_by_uid(conn: &Connection) -> Result<HashMap<String, InteractionRecord>> {
    Ok(interactions(conn)?
        .into_iter()
        .filter_map(|i| {
            let uid = i.uid.clone()?;
            Some((
                uid,
                InteractionRecord {
                    created_at: None,
                    updated_at: None,
                    ..i
                },
            ))
        })
        .collect())
}

/// Every follow-up as its JSON record (without times), by UID.
pub fn reminders_by_uid(conn: &Connection) -> Result<HashMap<String, ReminderRecord>> {
    Ok(reminders(conn)?
        .into_iter()
        .filter_map(|r| {
            let uid = r.uid.clone()?;
            Some((
                uid,
                ReminderRecord {
                    created_at: None,
                    updated_at: None,
                    ..r
                },
            ))
        })
        .collect())
}

/// Every contact (archived too) with its unmodelled properties, `chunk` at a time, so that
/// memory holds one chunk however many contacts there are.
pub fn each_contact_chunk(
    conn: &Connection,
    chunk: usize,
    f: &mut dyn FnMut(&Contact, &[String]),
) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id FROM contacts ORDER BY id")?;
    let ids: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for ids in ids.chunks(chunk.max(1)) {
        let filter = ContactFilter {
            archived: Archived::Include,
            ids: Some(ids.to_vec()),
            ..ContactFilter::default()
        };
        let contacts = super::contacts::list(conn, &filter)?;
        let extras = super::extras::for_ids(conn, ids)?;
        for c in &contacts {
            f(c, extras.get(&c.id).map_or(&[][..], Vec::as_slice));
        }
    }
    Ok(())
}
