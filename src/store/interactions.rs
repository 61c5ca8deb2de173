//! Interactions (calls, emails, meetings...) and who took part in them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::WriteTx;
use super::{parse_ts, ts};
use crate::error::Result;
use crate::model::{Channel, ContactRef, Direction, Interaction, NewInteraction, new_uid};

/// Insert an interaction with its participants (its rules are [`crate::app::interactions`]').
pub fn insert(conn: &WriteTx, new: &NewInteraction, now: DateTime<Utc>) -> Result<i64> {
    let summary = new.summary.trim();
    conn.execute(
        "INSERT INTO interactions (uid, occurred_at, channel, direction, summary, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            new_uid(),
            ts(new.occurred_at),
            new.channel.as_str(),
            new.direction.map(Direction::as_str),
            summary,
            new.body.as_deref().map(str::trim_end).filter(|b| !b.trim().is_empty()),
            ts(now),
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

/// Which interactions to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct InteractionFilter {
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    /// Only interactions this contact was not part of.
    pub without_contact: Option<i64>,
    pub limit: Option<usize>,
}

pub fn list(conn: &Connection, filter: &InteractionFilter) -> Result<Vec<Interaction>> {
    let mut clauses = vec!["1".to_string()];
    let mut values: Vec<Value> = Vec::new();
    if let Some(id) = filter.contact_id {
        clauses.push(
            "i.id IN (SELECT interaction_id FROM interaction_participants WHERE contact_id = ?)"
                .into(),
        );
        values.push(Value::Integer(id));
    }
    if let Some(id) = filter.organization_id {
        clauses.push(
            "i.id IN (SELECT p.interaction_id FROM interaction_participants p
                        JOIN contacts c ON c.id = p.contact_id WHERE c.organization_id = ?)"
                .into(),
        );
        values.push(Value::Integer(id));
    }
    if let Some(id) = filter.without_contact {
        clauses.push(
            "i.id NOT IN (SELECT interaction_id FROM interaction_participants WHERE contact_id = ?)"
                .into(),
        );
        values.push(Value::Integer(id));
    }
    let limit = filter.limit.map_or(-1, |l| l as i64);
    values.push(Value::Integer(limit));
    let sql = format!(
        "SELECT i.id, i.uid, i.occurred_at, i.channel, i.direction, i.summary, i.body, i.created_at
           FROM interactions i WHERE {} ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?",
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
