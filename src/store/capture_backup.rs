//! `kith capture`'s bookkeeping in the JSON backup: my addresses, and each run with what it
//! captured, linked, added and changed, read for export and written back on import, every
//! reference by UID (interactions, contacts) or run name, so `--undo` and a second run's
//! "already captured" survive a restore.

use rusqlite::{Connection, OptionalExtension, params};

use super::{WriteTx, parse_ts};
use crate::error::Result;
use crate::formats::json::{
    CaptureBatchRecord, CaptureRevisionRecord, CapturedParticipationRecord, CapturedRecordRecord,
    MeAddressRecord,
};

/// My addresses, oldest first.
pub fn me_addresses(conn: &Connection) -> Result<Vec<MeAddressRecord>> {
    Ok(super::capture::me_list(conn)?
        .into_iter()
        .map(|m| MeAddressRecord {
            address: m.address,
            added_at: Some(m.added_at),
        })
        .collect())
}

/// Every run, oldest first, with what it made and changed.
pub fn batches(conn: &Connection) -> Result<Vec<CaptureBatchRecord>> {
    let mut stmt =
        conn.prepare("SELECT id, name, created_at, sources FROM capture_batches ORDER BY id")?;
    let runs: Vec<(i64, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(runs.len());
    for (id, name, created_at, sources) in runs {
        out.push(CaptureBatchRecord {
            name,
            created_at: parse_ts(&created_at)?,
            sources: sources
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            records: records(conn, id)?,
            participations: participations(conn, id)?,
            contacts: strings(
                conn,
                "SELECT c.uid FROM captured_contacts cc JOIN contacts c ON c.id = cc.contact_id
                  WHERE cc.batch_id = ?1 ORDER BY c.uid",
                id,
            )?,
            revisions: revisions(conn, id)?,
        });
    }
    Ok(out)
}

fn strings(conn: &Connection, sql: &str, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn records(conn: &Connection, batch: i64) -> Result<Vec<CapturedRecordRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.kind, c.key, i.uid, c.thread_key, c.sequence, c.location
           FROM captured_records c JOIN interactions i ON i.id = c.interaction_id
          WHERE c.batch_id = ?1 ORDER BY c.kind, c.key",
    )?;
    let rows = stmt.query_map([batch], |r| {
        Ok(CapturedRecordRecord {
            kind: r.get(0)?,
            key: r.get(1)?,
            interaction: r.get(2)?,
            thread_key: r.get(3)?,
            sequence: r.get(4)?,
            location: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn participations(conn: &Connection, batch: i64) -> Result<Vec<CapturedParticipationRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.uid, c.uid FROM captured_participations p
           JOIN interactions i ON i.id = p.interaction_id JOIN contacts c ON c.id = p.contact_id
          WHERE p.batch_id = ?1 ORDER BY i.uid, c.uid",
    )?;
    let rows = stmt.query_map([batch], |r| {
        Ok(CapturedParticipationRecord {
            interaction: r.get(0)?,
            contact: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn revisions(conn: &Connection, batch: i64) -> Result<Vec<CaptureRevisionRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.kind, r.key, b.name, r.change, r.previous FROM capture_revisions r
           JOIN capture_batches b ON b.id = r.captured_by
          WHERE r.batch_id = ?1 ORDER BY r.kind, r.key",
    )?;
    let rows: Vec<(String, String, String, String, String)> = stmt
        .query_map([batch], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(kind, key, captured_by, change, previous)| {
            let previous = serde_json::from_str(&previous).map_err(|e| {
                crate::error::Error::Conflict(format!("capture revision of {kind} {key}: {e}"))
            })?;
            Ok(CaptureRevisionRecord {
                kind,
                key,
                captured_by,
                change,
                previous,
            })
        })
        .collect()
}

/// Whether a run of that name is stored.
pub fn batch_stored(conn: &Connection, name: &str) -> Result<bool> {
    super::capture::batch_name_taken(conn, name)
}

/// What in `run` refers to nothing stored: each named.
pub fn dangling(conn: &Connection, run: &CaptureBatchRecord) -> Result<Vec<String>> {
    let exists = |sql: &str, value: &str| -> Result<bool> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row([value], |_| Ok(()))
            .optional()?
            .is_some())
    };
    let interaction = "SELECT 1 FROM interactions WHERE uid = ?1";
    let contact = "SELECT 1 FROM contacts WHERE uid = ?1";
    let mut out = Vec::new();
    for r in &run.records {
        if !exists(interaction, &r.interaction)? {
            out.push(format!("refers to interaction uid \"{}\"", r.interaction));
        }
        if r.kind != "mail" && r.kind != "event" {
            out.push(format!(
                "record kind \"{}\" is neither mail nor event",
                r.kind
            ));
        }
    }
    for p in &run.participations {
        if !exists(interaction, &p.interaction)? {
            out.push(format!("refers to interaction uid \"{}\"", p.interaction));
        }
        if !exists(contact, &p.contact)? {
            out.push(format!("refers to contact uid \"{}\"", p.contact));
        }
    }
    for c in &run.contacts {
        if !exists(contact, c)? {
            out.push(format!("refers to contact uid \"{c}\""));
        }
    }
    for r in &run.revisions {
        let own = r.captured_by == run.name;
        if !own && !batch_stored(conn, &r.captured_by)? {
            out.push(format!("refers to capture batch \"{}\"", r.captured_by));
        }
        if r.change != "updated" && r.change != "removed" {
            out.push(format!(
                "change \"{}\" is neither updated nor removed",
                r.change
            ));
        }
    }
    Ok(out)
}

/// Write a run back (checked by [`dangling`] first): the batch, its records, the
/// participations it added (where the participant is there), its contacts, its revisions.
pub fn restore_batch(tx: &WriteTx, run: &CaptureBatchRecord) -> Result<()> {
    let id = super::capture::insert_batch(tx, &run.name, run.created_at, &run.sources.join("\n"))?;
    for r in &run.records {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO captured_records
                    (kind, key, interaction_id, batch_id, thread_key, sequence, location)
             SELECT ?1, ?2, id, ?4, ?5, ?6, ?7 FROM interactions WHERE uid = ?3",
        )?
        .execute(params![
            r.kind,
            r.key,
            r.interaction,
            id,
            r.thread_key,
            r.sequence,
            r.location
        ])?;
    }
    for p in &run.participations {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO captured_participations (interaction_id, contact_id, batch_id)
             SELECT p.interaction_id, p.contact_id, ?3 FROM interaction_participants p
              WHERE p.interaction_id = (SELECT id FROM interactions WHERE uid = ?1)
                AND p.contact_id = (SELECT id FROM contacts WHERE uid = ?2)",
        )?
        .execute(params![p.interaction, p.contact, id])?;
    }
    for c in &run.contacts {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO captured_contacts (contact_id, batch_id)
             SELECT id, ?2 FROM contacts WHERE uid = ?1",
        )?
        .execute(params![c, id])?;
    }
    for r in &run.revisions {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO capture_revisions (batch_id, kind, key, captured_by, change, previous)
             SELECT ?1, ?2, ?3, id, ?5, ?6 FROM capture_batches WHERE name = ?4",
        )?
        .execute(params![
            id,
            r.kind,
            r.key,
            r.captured_by,
            r.change,
            r.previous.to_string()
        ])?;
    }
    Ok(())
}
