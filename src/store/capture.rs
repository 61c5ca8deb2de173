//! The capture bookkeeping (`kith capture`, `kith me`): my addresses, the runs (batches) and
//! what each created (interactions with their captured-record keys, participations added to
//! earlier captures, contacts made by `--add-unknown`), and taking a run back.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{WriteTx, parse_ts, ts};
use crate::error::Result;
use crate::model::{Channel, Direction, ThreadSpan, new_uid};

/// One of my addresses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MeAddress {
    pub address: String,
    pub added_at: DateTime<Utc>,
}

pub fn me_list(conn: &Connection) -> Result<Vec<MeAddress>> {
    let mut stmt =
        conn.prepare("SELECT address, added_at FROM me_addresses ORDER BY added_at, match_key")?;
    let rows = stmt.query_map([], |r| {
        Ok(MeAddress {
            address: r.get(0)?,
            added_at: parse_ts(&r.get::<_, String>(1)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Add an address under its match key; false when that key is there already.
pub fn me_add(tx: &WriteTx, address: &str, key: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(tx.execute(
        "INSERT OR IGNORE INTO me_addresses (match_key, address, added_at) VALUES (?1, ?2, ?3)",
        params![key, address, ts(now)],
    )? > 0)
}

/// Remove the address with match key `key`: the address as it was stored, if any.
pub fn me_remove(tx: &WriteTx, key: &str) -> Result<Option<String>> {
    let address: Option<String> = tx
        .query_row(
            "SELECT address FROM me_addresses WHERE match_key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    tx.execute("DELETE FROM me_addresses WHERE match_key = ?1", [key])?;
    Ok(address)
}

/// Every contact email: (the address as stored, the contact).
pub fn contact_emails(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt =
        conn.prepare("SELECT value, contact_id FROM contact_details WHERE kind = 'email'")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A record captured before: its interaction, the run that captured it, thread and SEQUENCE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    pub interaction_id: i64,
    pub batch_id: i64,
    pub thread: Option<String>,
    pub sequence: Option<i64>,
}

/// Every record of `kind` captured so far, by key.
pub fn captured(conn: &Connection, kind: &str) -> Result<HashMap<String, Captured>> {
    let mut stmt = conn.prepare(
        "SELECT key, interaction_id, thread_key, sequence, batch_id FROM captured_records WHERE kind = ?1",
    )?;
    let mut rows = stmt.query([kind])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        out.insert(
            r.get(0)?,
            Captured {
                interaction_id: r.get(1)?,
                thread: r.get(2)?,
                sequence: r.get(3)?,
                batch_id: r.get(4)?,
            },
        );
    }
    Ok(out)
}

/// The (interaction, contact) pairs of every captured interaction.
pub fn captured_participations(conn: &Connection) -> Result<HashSet<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT p.interaction_id, p.contact_id FROM interaction_participants p
          WHERE p.interaction_id IN (SELECT interaction_id FROM captured_records)",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A page cache big enough that a large capture does not spill pages to the WAL mid-way
/// (128 MiB at most, of pages actually read or written).
pub fn large_cache(tx: &WriteTx) -> Result<()> {
    tx.execute_batch("PRAGMA cache_size = -131072")?;
    Ok(())
}

pub fn batch_name_taken(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM capture_batches WHERE name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn insert_batch(tx: &WriteTx, name: &str, now: DateTime<Utc>, sources: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO capture_batches (name, created_at, sources) VALUES (?1, ?2, ?3)",
        params![name, ts(now), sources],
    )?;
    Ok(tx.last_insert_rowid())
}

/// A run, as `--undo` finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

pub fn batch(conn: &Connection, name: &str) -> Result<Option<Batch>> {
    Ok(conn
        .query_row(
            "SELECT id, name, created_at FROM capture_batches WHERE name = ?1",
            [name],
            |r| {
                Ok(Batch {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: parse_ts(&r.get::<_, String>(2)?)?,
                })
            },
        )
        .optional()?)
}

/// What a captured record becomes: an interaction and its key.
#[derive(Debug, Clone, Copy)]
pub struct NewCapture<'a> {
    pub kind: &'a str,
    pub key: &'a str,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Option<Direction>,
    pub summary: &'a str,
    pub body: Option<&'a str>,
    pub participants: &'a [i64],
    pub thread: Option<&'a str>,
    pub sequence: Option<i64>,
    pub location: Option<&'a str>,
    pub batch: i64,
}

/// Write a captured record as an interaction with its participants, under `batch`. Contacts
/// are not touched: when each was last in touch is read from their interactions.
pub fn insert(tx: &WriteTx, new: &NewCapture<'_>, now: DateTime<Utc>) -> Result<i64> {
    let now = ts(now);
    tx.prepare_cached(
        "INSERT INTO interactions (uid, occurred_at, channel, direction, summary, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        new_uid(),
        ts(new.occurred_at),
        new.channel.as_str(),
        new.direction.map(Direction::as_str),
        new.summary,
        new.body,
        now,
    ])?;
    let id = tx.last_insert_rowid();
    let mut participant = tx.prepare_cached(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id) VALUES (?1, ?2)",
    )?;
    for contact in new.participants {
        participant.execute(params![id, contact])?;
    }
    tx.prepare_cached(
        "INSERT INTO captured_records (kind, key, interaction_id, batch_id, thread_key, sequence, location)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        new.kind,
        new.key,
        id,
        new.batch,
        new.thread,
        new.sequence,
        new.location
    ])?;
    Ok(id)
}

/// A newer version of a captured event (a higher SEQUENCE): its time, summary and location
/// change in place; its contacts are not touched, as on insert.
pub struct EventUpdate<'a> {
    pub kind: &'a str,
    pub key: &'a str,
    pub interaction: i64,
    pub occurred_at: DateTime<Utc>,
    pub summary: &'a str,
    pub sequence: Option<i64>,
    pub location: Option<&'a str>,
}

pub fn update_event(tx: &WriteTx, update: &EventUpdate<'_>, now: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached(
        "UPDATE interactions SET occurred_at = ?2, summary = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![
        update.interaction,
        ts(update.occurred_at),
        update.summary,
        ts(now)
    ])?;
    tx.prepare_cached(
        "UPDATE captured_records SET sequence = ?3, location = ?4 WHERE kind = ?1 AND key = ?2",
    )?
    .execute(params![
        update.kind,
        update.key,
        update.sequence,
        update.location
    ])?;
    Ok(())
}

/// Add `contact` to an interaction an earlier run captured, under `batch`.
pub fn add_participation(tx: &WriteTx, interaction: i64, contact: i64, batch: i64) -> Result<()> {
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id) VALUES (?1, ?2)",
        )?
        .execute(params![interaction, contact])?;
    if added > 0 {
        tx.prepare_cached(
            "INSERT INTO captured_participations (interaction_id, contact_id, batch_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![interaction, contact, batch])?;
    }
    Ok(())
}

/// Mark `contact` as created by `batch` (`--add-unknown`).
pub fn mark_contact(tx: &WriteTx, contact: i64, batch: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO captured_contacts (contact_id, batch_id) VALUES (?1, ?2)",
        params![contact, batch],
    )?;
    Ok(())
}

/// What taking a run back removed, and how many records it had changed it put back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Removed {
    pub interactions: usize,
    /// Every participation that went: those of its interactions and those it added to
    /// earlier captures.
    pub participations: usize,
    pub contacts: usize,
    /// Records an earlier run captured that this run updated or removed, as they were again.
    pub restored: usize,
}

/// Remove everything batch `id` (named `name`) created, and the batch: its interactions
/// (with their participants and keys), the participations it added to earlier captures, its
/// contacts; and put back what it changed of earlier captures.
pub fn undo(tx: &WriteTx, id: i64, name: &str) -> Result<Removed> {
    let of_its_interactions: i64 = tx.query_row(
        "SELECT count(*) FROM interaction_participants
          WHERE interaction_id IN (SELECT interaction_id FROM captured_records WHERE batch_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    let interactions = tx.execute(
        "DELETE FROM interactions
          WHERE id IN (SELECT interaction_id FROM captured_records WHERE batch_id = ?1)",
        [id],
    )?;
    let added = tx.execute(
        "DELETE FROM interaction_participants
          WHERE (interaction_id, contact_id) IN
                (SELECT interaction_id, contact_id FROM captured_participations WHERE batch_id = ?1)",
        [id],
    )?;
    let contacts = tx.execute(
        "DELETE FROM contacts
          WHERE id IN (SELECT contact_id FROM captured_contacts WHERE batch_id = ?1)",
        [id],
    )?;
    let restored = super::capture_revisions::restore(tx, id, name)?;
    super::capture_index::put_back(tx, id)?;
    tx.execute("DELETE FROM capture_batches WHERE id = ?1", [id])?;
    Ok(Removed {
        interactions,
        participations: of_its_interactions as usize + added,
        contacts,
        restored,
    })
}

/// The timeline of contact `contact` with each mail thread as one entry, newest first: the
/// id of each entry's latest interaction, and for a thread of several messages its span.
/// Interactions not captured from mail are entries of their own. At most `limit` entries.
pub fn timeline_of_contact(
    conn: &Connection,
    contact: i64,
    limit: Option<usize>,
) -> Result<Vec<(i64, Option<ThreadSpan>)>> {
    // A bare column beside max() comes from the row holding the maximum (SQLite).
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, max(i.occurred_at || printf('%020d', i.id)), count(*),
                min(i.occurred_at), max(i.occurred_at)
           FROM interaction_participants p
           JOIN interactions i ON i.id = p.interaction_id
           LEFT JOIN captured_records c ON c.interaction_id = i.id AND c.kind = 'mail'
          WHERE p.contact_id = ?1
          GROUP BY coalesce(c.thread_key, '#' || i.id)
          ORDER BY 2 DESC
          LIMIT ?2",
    )?;
    let limit = limit.map_or(-1, |l| l as i64);
    let rows = stmt.query_map(params![contact, limit], |r| {
        let messages: i64 = r.get(2)?;
        let span = if messages > 1 {
            Some(ThreadSpan {
                messages: messages as usize,
                first_at: parse_ts(&r.get::<_, String>(3)?)?,
                last_at: parse_ts(&r.get::<_, String>(4)?)?,
            })
        } else {
            None
        };
        Ok((r.get(0)?, span))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
