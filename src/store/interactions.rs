//! Interactions (calls, emails, meetings...) and who took part in them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::WriteTx;
use super::{parse_ts, ts};
use crate::error::{Error, Result};
use crate::model::{Channel, ContactRef, Direction, Interaction, NewInteraction, OrgRef, new_uid};

/// Insert an interaction with its participants (its rules are [`crate::app::interactions`]').
pub fn insert(conn: &WriteTx, new: &NewInteraction, now: DateTime<Utc>) -> Result<i64> {
    let summary = new.summary.trim();
    conn.execute(
        "INSERT INTO interactions (uid, occurred_at, channel, direction, summary, body, created_at, updated_at, organization_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
        params![
            new_uid(),
            ts(new.occurred_at),
            new.channel.as_str(),
            new.direction.map(Direction::as_str),
            summary,
            new.body.as_deref().map(str::trim_end).filter(|b| !b.trim().is_empty()),
            ts(now),
            new.organization_id,
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id) VALUES (?1, ?2)",
    )?;
    for contact in &new.participants {
        stmt.execute(params![id, contact])?;
        super::contacts::touch(conn, *contact, now)?;
    }
    Ok(id)
}

/// Replace every field of interaction `id` and its participants with `new`'s (its rules are
/// [`crate::app::interactions::edit`]'s). The contacts it now has are touched, as logging does.
pub fn update(conn: &WriteTx, id: i64, new: &NewInteraction, now: DateTime<Utc>) -> Result<()> {
    let changed = conn.execute(
        "UPDATE interactions SET occurred_at = ?2, channel = ?3, direction = ?4, summary = ?5,
                body = ?6, updated_at = ?7, organization_id = ?8
          WHERE id = ?1",
        params![
            id,
            ts(new.occurred_at),
            new.channel.as_str(),
            new.direction.map(Direction::as_str),
            new.summary.trim(),
            new.body
                .as_deref()
                .map(str::trim_end)
                .filter(|b| !b.trim().is_empty()),
            ts(now),
            new.organization_id,
        ],
    )?;
    if changed == 0 {
        return Err(not_found(id));
    }
    conn.execute(
        "DELETE FROM interaction_participants WHERE interaction_id = ?1",
        [id],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id) VALUES (?1, ?2)",
    )?;
    for contact in &new.participants {
        stmt.execute(params![id, contact])?;
        super::contacts::touch(conn, *contact, now)?;
    }
    Ok(())
}

/// Delete interaction `id`. Its participants go with it; the follow-ups made from it and the
/// completions logged as it stay, their link cleared (the schema's `ON DELETE SET NULL`).
pub fn delete(conn: &WriteTx, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM interactions WHERE id = ?1", [id])? == 0 {
        return Err(not_found(id));
    }
    Ok(())
}

/// Put a deleted interaction back as it was: its id, uid, times, participants, and the links
/// from the follow-ups and completions that pointed at it (the interactive mode's undo).
pub fn reinsert(conn: &WriteTx, gone: &Interaction, links: &Links) -> Result<()> {
    conn.execute(
        "INSERT INTO interactions (id, uid, occurred_at, channel, direction, summary, body, created_at, updated_at, organization_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8,
                 (SELECT id FROM organizations WHERE id = ?9))",
        params![
            gone.id,
            gone.uid,
            ts(gone.occurred_at),
            gone.channel.as_str(),
            gone.direction.map(Direction::as_str),
            gone.summary,
            gone.body,
            ts(gone.created_at),
            gone.organization.as_ref().map(|o| o.id),
        ],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id)
         SELECT ?1, id FROM contacts WHERE id = ?2",
    )?;
    for contact in &gone.participants {
        stmt.execute(params![gone.id, contact.id])?;
    }
    for follow_up in &links.follow_ups {
        conn.execute(
            "UPDATE reminders SET interaction_id = ?1 WHERE id = ?2 AND interaction_id IS NULL",
            params![gone.id, follow_up],
        )?;
    }
    for (completion, _) in &links.completions {
        conn.execute(
            "UPDATE reminder_completions SET interaction_id = ?1 WHERE id = ?2 AND interaction_id IS NULL",
            params![gone.id, completion],
        )?;
    }
    Ok(())
}

/// What points at an interaction: the follow-ups made with it (`kith log --follow-up`) and the
/// completions logged as it (`kith done --log`), each by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub follow_ups: Vec<i64>,
    /// (completion id, the follow-up it completed).
    pub completions: Vec<(i64, i64)>,
}

pub fn links(conn: &Connection, id: i64) -> Result<Links> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM reminders WHERE interaction_id = ?1 ORDER BY id")?;
    let follow_ups = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, reminder_id FROM reminder_completions WHERE interaction_id = ?1 ORDER BY id",
    )?;
    let completions = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(i64, i64)>>>()?;
    Ok(Links {
        follow_ups,
        completions,
    })
}

/// One interaction with its participants.
pub fn get(conn: &Connection, id: i64) -> Result<Interaction> {
    list(
        conn,
        &InteractionFilter {
            id: Some(id),
            ..Default::default()
        },
    )?
    .pop()
    .ok_or_else(|| not_found(id))
}

fn not_found(id: i64) -> Error {
    Error::NotFound {
        what: "interaction",
        query: format!("#{id}"),
    }
}

/// Which interactions to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct InteractionFilter {
    /// Just this one.
    pub id: Option<i64>,
    /// Just these.
    pub ids: Option<Vec<i64>>,
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    /// With `organization_id`: only those with the organization itself or with one of its
    /// people other than this contact (who may have been there too).
    pub with_others_than: Option<i64>,
    pub limit: Option<usize>,
}

pub fn list(conn: &Connection, filter: &InteractionFilter) -> Result<Vec<Interaction>> {
    let mut clauses = vec!["1".to_string()];
    let mut values: Vec<Value> = Vec::new();
    if let Some(id) = filter.id {
        clauses.push("i.id = ?".into());
        values.push(Value::Integer(id));
    }
    if let Some(ids) = &filter.ids {
        clauses.push(format!(
            "i.id IN ({})",
            super::placeholders(ids.len().max(1))
        ));
        values.extend(ids.iter().map(|&id| Value::Integer(id)));
        if ids.is_empty() {
            values.push(Value::Null);
        }
    }
    if let Some(id) = filter.contact_id {
        clauses.push(
            "i.id IN (SELECT interaction_id FROM interaction_participants WHERE contact_id = ?)"
                .into(),
        );
        values.push(Value::Integer(id));
    }
    if let Some(id) = filter.organization_id {
        // With the organization itself, or with any of its people (but one).
        clauses.push(
            "(i.organization_id = ? OR i.id IN (SELECT p.interaction_id FROM interaction_participants p
                        JOIN contacts c ON c.id = p.contact_id WHERE c.organization_id = ? AND c.id <> ?))"
                .into(),
        );
        values.push(Value::Integer(id));
        values.push(Value::Integer(id));
        values.push(Value::Integer(filter.with_others_than.unwrap_or(0)));
    }
    let limit = filter.limit.map_or(-1, |l| l as i64);
    values.push(Value::Integer(limit));
    let sql = format!(
        "SELECT i.id, i.uid, i.occurred_at, i.channel, i.direction, i.summary, i.body, i.created_at,
                o.id, o.uid, o.name,
                (SELECT location FROM captured_records WHERE interaction_id = i.id)
           FROM interactions i LEFT JOIN organizations o ON o.id = i.organization_id
          WHERE {} ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?",
        clauses.join(" AND ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
        let channel: String = r.get(3)?;
        let direction: Option<String> = r.get(4)?;
        Ok(Interaction {
            id: r.get(0)?,
            uid: r.get(1)?,
            occurred_at: parse_ts(&r.get::<_, String>(2)?)?,
            channel: channel.parse().unwrap_or(Channel::Other),
            direction: direction.as_deref().and_then(Direction::parse),
            summary: r.get(5)?,
            body: r.get(6)?,
            created_at: parse_ts(&r.get::<_, String>(7)?)?,
            participants: Vec::new(),
            organization: match r.get::<_, Option<i64>>(8)? {
                Some(id) => Some(OrgRef {
                    id,
                    uid: r.get(9)?,
                    name: r.get(10)?,
                }),
                None => None,
            },
            thread: None,
            location: r.get(11)?,
        })
    })?;
    let mut interactions = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    attach_participants(conn, &mut interactions)?;
    Ok(interactions)
}

/// Fill in participants for a page of interactions with one query.
fn attach_participants(conn: &Connection, interactions: &mut [Interaction]) -> Result<()> {
    if interactions.is_empty() {
        return Ok(());
    }
    let index: HashMap<i64, usize> = interactions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id, i))
        .collect();
    for chunk in interactions
        .iter()
        .map(|x| x.id)
        .collect::<Vec<_>>()
        .chunks(500)
    {
        let sql = format!(
            "SELECT p.interaction_id, c.id, c.uid, c.display_name FROM interaction_participants p
               JOIN contacts c ON c.id = p.contact_id
              WHERE p.interaction_id IN ({}) ORDER BY c.name_key",
            super::placeholders(chunk.len())
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(chunk.iter()))?;
        while let Some(r) = rows.next()? {
            let interaction: i64 = r.get(0)?;
            if let Some(&i) = index.get(&interaction) {
                interactions[i].participants.push(ContactRef {
                    id: r.get(1)?,
                    uid: r.get(2)?,
                    name: r.get(3)?,
                });
            }
        }
    }
    Ok(())
}
