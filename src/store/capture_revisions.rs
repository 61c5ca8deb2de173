//! What a capture run changed of records an earlier run captured (an event's newer SEQUENCE
//! updated it, a cancellation removed it), kept as it was before the change so that
//! `kith capture --undo` puts it back: the interaction with its participants (by contact
//! UID, with the run that linked each) and its captured record, as JSON in
//! `capture_revisions.previous`. A run that changed a record a later run changed again is
//! not taken back before that later one.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::WriteTx;
use crate::error::Result;

/// How a run changed a record captured before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Updated,
    Removed,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Updated => "updated",
            Change::Removed => "removed",
        }
    }
}

/// A captured record as it was: what `previous` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previous {
    pub interaction: PreviousInteraction,
    pub participants: Vec<PreviousParticipant>,
    pub thread_key: Option<String>,
    pub sequence: Option<i64>,
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousInteraction {
    /// Its row id, taken again when free so the book is as it was.
    pub id: i64,
    pub uid: String,
    pub occurred_at: String,
    pub channel: String,
    pub direction: Option<String>,
    pub summary: String,
    pub body: Option<String>,
    /// The organization's UID.
    pub organization: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousParticipant {
    /// The contact's UID.
    pub contact: String,
    /// The run that linked them to it after it was captured, by name.
    pub added_by: Option<String>,
}

/// The record (`kind`, `key`) as it is now, with the id of the run that captured it.
fn snapshot(conn: &Connection, kind: &str, key: &str) -> Result<Option<(i64, Previous)>> {
    let found = conn
        .query_row(
            "SELECT c.batch_id, c.thread_key, c.sequence, c.location,
                    i.id, i.uid, i.occurred_at, i.channel, i.direction, i.summary, i.body,
                    (SELECT uid FROM organizations WHERE id = i.organization_id),
                    i.created_at, i.updated_at
               FROM captured_records c JOIN interactions i ON i.id = c.interaction_id
              WHERE c.kind = ?1 AND c.key = ?2",
            params![kind, key],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    Previous {
                        thread_key: r.get(1)?,
                        sequence: r.get(2)?,
                        location: r.get(3)?,
                        participants: Vec::new(),
                        interaction: PreviousInteraction {
                            id: r.get(4)?,
                            uid: r.get(5)?,
                            occurred_at: r.get(6)?,
                            channel: r.get(7)?,
                            direction: r.get(8)?,
                            summary: r.get(9)?,
                            body: r.get(10)?,
                            organization: r.get(11)?,
                            created_at: r.get(12)?,
                            updated_at: r.get(13)?,
                        },
                    },
                ))
            },
        )
        .optional()?;
    let Some((captured_by, mut previous)) = found else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT c.uid, (SELECT b.name FROM captured_participations cp
                          JOIN capture_batches b ON b.id = cp.batch_id
                         WHERE cp.interaction_id = p.interaction_id AND cp.contact_id = p.contact_id)
           FROM interaction_participants p JOIN contacts c ON c.id = p.contact_id
          WHERE p.interaction_id = ?1 ORDER BY c.uid",
    )?;
    previous.participants = stmt
        .query_map([previous.interaction.id], |r| {
            Ok(PreviousParticipant {
                contact: r.get(0)?,
                added_by: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some((captured_by, previous)))
}

/// Before run `batch` changes the record (`kind`, `key`) an earlier run captured, keep it as
/// it is. The first change a run makes keeps the record; a removal after an update in the
/// same run only marks it removed.
pub fn keep_previous(
    tx: &WriteTx,
    batch: i64,
    kind: &str,
    key: &str,
    change: Change,
) -> Result<()> {
    let kept = tx
        .query_row(
            "SELECT 1 FROM capture_revisions WHERE batch_id = ?1 AND kind = ?2 AND key = ?3",
            params![batch, kind, key],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if kept {
        if change == Change::Removed {
            tx.execute(
                "UPDATE capture_revisions SET change = 'removed'
                  WHERE batch_id = ?1 AND kind = ?2 AND key = ?3",
                params![batch, kind, key],
            )?;
        }
        return Ok(());
    }
    let Some((captured_by, previous)) = snapshot(tx, kind, key)? else {
        return Ok(());
    };
    // Written canonically (keys sorted, as serde_json's Value has them), so a backup's copy
    // restored is the same text.
    let json = serde_json::to_value(&previous)
        .map_err(|e| crate::error::Error::Conflict(format!("capture revision: {e}")))?
        .to_string();
    tx.execute(
        "INSERT INTO capture_revisions (batch_id, kind, key, captured_by, change, previous)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![batch, kind, key, captured_by, change.as_str(), json],
    )?;
    Ok(())
}

/// The latest run after `batch` that changed a record `batch` captured or changed: `batch`
/// cannot be taken back before it.
pub fn later_reviser(conn: &Connection, batch: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT b.name FROM capture_revisions r JOIN capture_batches b ON b.id = r.batch_id
              WHERE r.batch_id > ?1
                AND (r.captured_by = ?1
                     OR EXISTS (SELECT 1 FROM capture_revisions mine
                                 WHERE mine.batch_id = ?1 AND mine.kind = r.kind
                                   AND mine.key = r.key))
              ORDER BY r.batch_id DESC LIMIT 1",
            [batch],
            |r| r.get(0),
        )
        .optional()?)
}

/// Put back every record run `batch` changed, as it was; how many. Participants that run
/// linked, or whose contact is gone, are not put back.
pub fn restore(tx: &WriteTx, batch: i64, batch_name: &str) -> Result<usize> {
    let revisions: Vec<(String, String, i64, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT kind, key, captured_by, change, previous FROM capture_revisions
              WHERE batch_id = ?1 ORDER BY kind, key",
        )?;
        stmt.query_map([batch], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    let mut restored = 0;
    for (kind, key, captured_by, change, previous) in revisions {
        let previous: Previous = serde_json::from_str(&previous).map_err(|e| {
            crate::error::Error::Conflict(format!("capture revision of {kind} {key}: {e}"))
        })?;
        let done = if change == "removed" {
            put_back(tx, &kind, &key, captured_by, &previous, batch_name)?
        } else {
            roll_back(tx, &kind, &key, &previous)?
        };
        restored += usize::from(done);
    }
    tx.execute("DELETE FROM capture_revisions WHERE batch_id = ?1", [batch])?;
    Ok(restored)
}

/// An updated record back to how it was; false when its interaction is gone since.
fn roll_back(tx: &WriteTx, kind: &str, key: &str, p: &Previous) -> Result<bool> {
    let i = &p.interaction;
    let changed = tx.execute(
        "UPDATE interactions SET occurred_at = ?2, channel = ?3, direction = ?4, summary = ?5,
                body = ?6, updated_at = ?7
          WHERE uid = ?1",
        params![
            i.uid,
            i.occurred_at,
            i.channel,
            i.direction,
            i.summary,
            i.body,
            i.updated_at
        ],
    )?;
    tx.execute(
        "UPDATE captured_records SET thread_key = ?3, sequence = ?4, location = ?5
          WHERE kind = ?1 AND key = ?2",
        params![kind, key, p.thread_key, p.sequence, p.location],
    )?;
    Ok(changed > 0)
}

/// A removed record back in the book: its interaction (under its old id when free), its
/// participants who are still contacts, its captured record; false when it is there already.
fn put_back(
    tx: &WriteTx,
    kind: &str,
    key: &str,
    captured_by: i64,
    p: &Previous,
    batch_name: &str,
) -> Result<bool> {
    let i = &p.interaction;
    let there = |sql: &str, value: &dyn rusqlite::ToSql| -> Result<bool> {
        Ok(tx.query_row(sql, [value], |_| Ok(())).optional()?.is_some())
    };
    if there("SELECT 1 FROM interactions WHERE uid = ?1", &i.uid)? {
        return Ok(false);
    }
    let id_free = !there("SELECT 1 FROM interactions WHERE id = ?1", &i.id)?;
    tx.execute(
        "INSERT INTO interactions (id, uid, occurred_at, channel, direction, summary, body,
                                   organization_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
                 (SELECT id FROM organizations WHERE uid = ?8), ?9, ?10)",
        params![
            id_free.then_some(i.id),
            i.uid,
            i.occurred_at,
            i.channel,
            i.direction,
            i.summary,
            i.body,
            i.organization,
            i.created_at,
            i.updated_at
        ],
    )?;
    let id = tx.last_insert_rowid();
    for participant in &p.participants {
        if participant.added_by.as_deref() == Some(batch_name) {
            continue;
        }
        let added = tx.execute(
            "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id)
             SELECT ?1, id FROM contacts WHERE uid = ?2",
            params![id, participant.contact],
        )?;
        if added > 0
            && let Some(by) = &participant.added_by
        {
            tx.execute(
                "INSERT OR IGNORE INTO captured_participations (interaction_id, contact_id, batch_id)
                 SELECT ?1, c.id, b.id FROM contacts c, capture_batches b
                  WHERE c.uid = ?2 AND b.name = ?3",
                params![id, participant.contact, by],
            )?;
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO captured_records
                (kind, key, interaction_id, batch_id, thread_key, sequence, location)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            kind,
            key,
            id,
            captured_by,
            p.thread_key,
            p.sequence,
            p.location
        ],
    )?;
    Ok(true)
}
