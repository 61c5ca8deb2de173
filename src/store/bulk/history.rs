//! The history rows of a bulk write: interactions with their participants and follow-ups
//! with their completions, inserted or overwritten by id, found by UID; and the moves a merge
//! makes of one contact's history onto another.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::BulkWriter;
use crate::error::Result;
use crate::store::{WriteTx, ts};

impl<'c> BulkWriter<'c> {
    pub fn id_by_uid(&self, table: UidTable, uid: &str) -> Result<Option<i64>> {
        use rusqlite::OptionalExtension;
        let sql = match table {
            UidTable::Interactions => "SELECT id FROM interactions WHERE uid = ?1",
            UidTable::Reminders => "SELECT id FROM reminders WHERE uid = ?1",
            UidTable::Organizations => "SELECT id FROM organizations WHERE uid = ?1",
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    /// Insert (`id` None) or overwrite an interaction and its participants.
    pub fn put_interaction(&mut self, id: Option<i64>, row: &InteractionRow<'_>) -> Result<i64> {
        let id = match id {
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO interactions (uid, occurred_at, channel, direction, summary, body, created_at, updated_at, organization_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?
                    .execute(params![
                        row.uid,
                        ts(row.occurred_at),
                        row.channel,
                        row.direction,
                        row.summary,
                        row.body,
                        ts(row.created_at),
                        ts(row.updated_at),
                        row.organization_id
                    ])?;
                let id = self.conn.last_insert_rowid();
                if let Some(deferred) = &mut self.deferred {
                    deferred.interaction_inserted(id);
                }
                id
            }
            Some(id) => {
                if let Some(deferred) = &mut self.deferred {
                    deferred.before_interaction_rewrite(id)?;
                }
                self.conn.execute(
                    "UPDATE interactions SET occurred_at = ?2, channel = ?3, direction = ?4,
                        summary = ?5, body = ?6, updated_at = ?7, organization_id = ?8 WHERE id = ?1",
                    params![
                        id,
                        ts(row.occurred_at),
                        row.channel,
                        row.direction,
                        row.summary,
                        row.body,
                        ts(row.updated_at),
                        row.organization_id
                    ],
                )?;
                self.conn.execute(
                    "DELETE FROM interaction_participants WHERE interaction_id = ?1",
                    [id],
                )?;
                id
            }
        };
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id) VALUES (?1, ?2)",
        )?;
        for contact in row.participants {
            stmt.execute(params![id, contact])?;
        }
        Ok(id)
    }

    /// Insert (`id` None) or overwrite a follow-up and its completions.
    pub fn put_reminder(&self, id: Option<i64>, row: &ReminderRow<'_>) -> Result<i64> {
        let id = match id {
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO reminders (uid, contact_id, organization_id, text, due, recurrence,
                            snoozed_until, done_at, interaction_id, created_at, updated_at,
                            recur_from, recur_anchor)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    )?
                    .execute(params![
                        row.uid,
                        row.contact_id,
                        row.organization_id,
                        row.text,
                        row.due,
                        row.recurrence,
                        row.snoozed_until,
                        row.done_at.map(ts),
                        row.interaction_id,
                        ts(row.created_at),
                        ts(row.updated_at),
                        row.recur_from,
                        row.recur_anchor
                    ])?;
                self.conn.last_insert_rowid()
            }
            Some(id) => {
                self.conn.execute(
                    "UPDATE reminders SET contact_id = ?2, organization_id = ?3, text = ?4, due = ?5,
                        recurrence = ?6, snoozed_until = ?7, done_at = ?8, interaction_id = ?9,
                        updated_at = ?10, recur_from = ?11, recur_anchor = ?12 WHERE id = ?1",
                    params![
                        id,
                        row.contact_id,
                        row.organization_id,
                        row.text,
                        row.due,
                        row.recurrence,
                        row.snoozed_until,
                        row.done_at.map(ts),
                        row.interaction_id,
                        ts(row.updated_at),
                        row.recur_from,
                        row.recur_anchor
                    ],
                )?;
                self.conn.execute(
                    "DELETE FROM reminder_completions WHERE reminder_id = ?1",
                    [id],
                )?;
                id
            }
        };
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO reminder_completions (reminder_id, due, done_at, interaction_id)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (due, done_at, interaction_id) in row.completions {
            stmt.execute(params![id, due, ts(*done_at), interaction_id])?;
        }
        Ok(id)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum UidTable {
    Interactions,
    Reminders,
    Organizations,
}

pub struct InteractionRow<'a> {
    pub uid: &'a str,
    pub occurred_at: DateTime<Utc>,
    pub channel: &'a str,
    pub direction: Option<&'a str>,
    pub summary: &'a str,
    pub body: Option<&'a str>,
    pub participants: &'a [i64],
    pub organization_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A follow-up's completion: its due date, when it was done, the interaction logged with it.
pub type CompletionRow = (String, DateTime<Utc>, Option<i64>);

pub struct ReminderRow<'a> {
    pub uid: &'a str,
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub text: &'a str,
    pub due: &'a str,
    pub recurrence: Option<&'a str>,
    /// `due` or `done` (NULL: due).
    pub recur_from: Option<&'a str>,
    pub recur_anchor: Option<&'a str>,
    pub snoozed_until: Option<&'a str>,
    pub done_at: Option<DateTime<Utc>>,
    pub interaction_id: Option<i64>,
    pub completions: &'a [CompletionRow],
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What moving one contact's history onto another moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Moved {
    pub interactions: usize,
    pub follow_ups: usize,
    pub relationships: usize,
}

/// Move contact `from`'s interactions, follow-ups and relationships to contact `into`.
/// A relationship between the two, or one `into` already has, is dropped rather than
/// duplicated or turned into a link to itself.
pub fn move_history(conn: &WriteTx, from: i64, into: i64) -> Result<Moved> {
    // Interactions both took part in stay once, under `into`; all of `from`'s now are `into`'s.
    let interactions: i64 = conn.query_row(
        "SELECT count(*) FROM interaction_participants WHERE contact_id = ?1",
        [from],
        |r| r.get(0),
    )?;
    let interactions = interactions as usize;
    conn.execute(
        "UPDATE OR IGNORE interaction_participants SET contact_id = ?2 WHERE contact_id = ?1",
        params![from, into],
    )?;
    let follow_ups = conn.execute(
        "UPDATE reminders SET contact_id = ?2 WHERE contact_id = ?1",
        params![from, into],
    )?;
    let mut relationships = conn.execute(
        "UPDATE OR IGNORE relationships SET from_contact_id = ?2
          WHERE from_contact_id = ?1 AND to_contact_id <> ?2",
        params![from, into],
    )?;
    relationships += conn.execute(
        "UPDATE OR IGNORE relationships SET to_contact_id = ?2
          WHERE to_contact_id = ?1 AND from_contact_id <> ?2",
        params![from, into],
    )?;
    Ok(Moved {
        interactions,
        follow_ups,
        relationships,
    })
}

/// Delete a contact row; its details, tags, extras and leftover links go with it.
pub fn delete_contact(conn: &WriteTx, id: i64) -> Result<()> {
    conn.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    Ok(())
}
