//! Follow-ups: due, snoozed, done, and recurring ones that move on when done.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params};

use super::{parse_opt_ts, parse_ts, ts};
use crate::error::{Error, Result};
use crate::model::{ContactRef, Due, OrgRef, Period, Reminder, new_uid};

#[derive(Debug, Clone)]
pub struct NewReminder {
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub text: String,
    pub due: Due,
    pub recurrence: Option<Period>,
    pub interaction_id: Option<i64>,
}

pub fn insert(conn: &Connection, new: &NewReminder, now: DateTime<Utc>) -> Result<i64> {
    let text = new.text.trim();
    if text.is_empty() {
        return Err(Error::invalid("follow-up text", &new.text, "is empty"));
    }
    conn.execute(
        "INSERT INTO reminders (uid, contact_id, organization_id, text, due, recurrence, interaction_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            new_uid(),
            new.contact_id,
            new.organization_id,
            text,
            new.due.to_db(),
            new.recurrence.map(|p| p.to_string()),
            new.interaction_id,
            ts(now),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReminderState {
    #[default]
    Open,
    Done,
    All,
}

#[derive(Debug, Clone, Default)]
pub struct ReminderFilter {
    pub state: ReminderState,
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    /// Follow-ups on the organization or on any of its people.
    pub organization_wide: bool,
    pub ids: Option<Vec<i64>>,
}

pub fn list(conn: &Connection, filter: &ReminderFilter) -> Result<Vec<Reminder>> {
    let mut clauses = vec!["1".to_string()];
    let mut values: Vec<Value> = Vec::new();
    match filter.state {
        ReminderState::Open => clauses.push("r.done_at IS NULL".into()),
        ReminderState::Done => clauses.push("r.done_at IS NOT NULL".into()),
        ReminderState::All => {}
    }
    if let Some(id) = filter.contact_id {
        clauses.push("r.contact_id = ?".into());
        values.push(Value::Integer(id));
    }
    if let Some(id) = filter.organization_id {
        if filter.organization_wide {
            clauses.push("(r.organization_id = ? OR c.organization_id = ?)".into());
            values.push(Value::Integer(id));
        } else {
            clauses.push("r.organization_id = ?".into());
        }
        values.push(Value::Integer(id));
    }
    if let Some(ids) = &filter.ids {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        clauses.push(format!("r.id IN ({})", super::placeholders(ids.len())));
        values.extend(ids.iter().map(|&i| Value::Integer(i)));
    }
    let sql = format!(
        "SELECT r.id, r.uid, r.text, r.due, r.recurrence, r.snoozed_until, r.done_at, r.created_at,
                c.id, c.uid, c.display_name, o.id, o.uid, o.name
           FROM reminders r
           LEFT JOIN contacts c ON c.id = r.contact_id
           LEFT JOIN organizations o ON o.id = r.organization_id
          WHERE {}
          ORDER BY coalesce(r.snoozed_until, r.due), r.id",
        clauses.join(" AND ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
        let due: String = r.get(3)?;
        let recurrence: Option<String> = r.get(4)?;
        let snoozed: Option<String> = r.get(5)?;
        let contact = match r.get::<_, Option<i64>>(8)? {
            Some(id) => Some(ContactRef {
                id,
                uid: r.get(9)?,
                name: r.get(10)?,
            }),
            None => None,
        };
        let organization = match r.get::<_, Option<i64>>(11)? {
            Some(id) => Some(OrgRef {
                id,
                uid: r.get(12)?,
                name: r.get(13)?,
            }),
            None => None,
        };
        Ok(Reminder {
            id: r.get(0)?,
            uid: r.get(1)?,
            text: r.get(2)?,
            due: Due::from_db(&due).ok_or_else(|| bad_date(&due))?,
            recurrence: recurrence.and_then(|p| Period::parse(&p).ok()),
            snoozed_until: snoozed.as_deref().and_then(Due::from_db),
            done_at: parse_opt_ts(r.get(6)?)?,
            created_at: parse_ts(&r.get::<_, String>(7)?)?,
            contact,
            organization,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn bad_date(s: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        3,
        rusqlite::types::Type::Text,
        format!("malformed due date {s:?}").into(),
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Reminder> {
    let filter = ReminderFilter {
        state: ReminderState::All,
        ids: Some(vec![id]),
        ..ReminderFilter::default()
    };
    list(conn, &filter)?
        .into_iter()
        .next()
        .ok_or(Error::NotFound {
            what: "follow-up",
            query: format!("#{id}"),
        })
}

/// What completing a follow-up did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    Closed,
    /// A recurring follow-up moved on to its next due date.
    MovedTo(Due),
}

/// Complete follow-up `id` at `now`. A recurring one records the completion and moves its due
/// date forward by its period until it lies after `today`.
pub fn complete(
    conn: &Connection,
    id: i64,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
) -> Result<Completion> {
    let reminder = get(conn, id)?;
    if reminder.done_at.is_some() {
        return Err(Error::Conflict(format!("follow-up #{id} is already done")));
    }
    conn.execute(
        "INSERT INTO reminder_completions (reminder_id, due, done_at) VALUES (?1, ?2, ?3)",
        params![id, reminder.due.to_db(), ts(now)],
    )?;
    match reminder.recurrence {
        None => {
            conn.execute(
                "UPDATE reminders SET done_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![id, ts(now)],
            )?;
            Ok(Completion::Closed)
        }
        Some(period) => {
            let next = next_due(reminder.due, period, today);
            conn.execute(
                "UPDATE reminders SET due = ?2, snoozed_until = NULL, updated_at = ?3 WHERE id = ?1",
                params![id, next.to_db(), ts(now)],
            )?;
            Ok(Completion::MovedTo(next))
        }
    }
}

/// The first date `due + k·period` (k ≥ 1) that falls after `today`.
pub fn next_due(due: Due, period: Period, today: chrono::NaiveDate) -> Due {
    let start = match due {
        Due::Day(d) => d,
        Due::At(t) => t.date_naive(),
    };
    let mut k = 1;
    let mut next = period.add_n_to(start, k);
    while next <= today && k < 100_000 {
        k += 1;
        next = period.add_n_to(start, k);
    }
    match due {
        Due::Day(_) => Due::Day(next),
        Due::At(t) => Due::At(t + (next - start)),
    }
}

pub fn snooze(conn: &Connection, id: i64, until: Due, now: DateTime<Utc>) -> Result<()> {
    let reminder = get(conn, id)?;
    if reminder.done_at.is_some() {
        return Err(Error::Conflict(format!("follow-up #{id} is already done")));
    }
    conn.execute(
        "UPDATE reminders SET snoozed_until = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, until.to_db(), ts(now)],
    )?;
    Ok(())
}

/// Take back the latest completion of follow-up `id`: it is open again, due on `due` and
/// snoozed as it was (the undo of [`complete`]).
pub fn reopen(
    conn: &Connection,
    id: i64,
    due: Due,
    snoozed_until: Option<Due>,
    now: DateTime<Utc>,
) -> Result<()> {
    get(conn, id)?;
    conn.execute(
        "DELETE FROM reminder_completions WHERE rowid = (
            SELECT rowid FROM reminder_completions WHERE reminder_id = ?1
             ORDER BY done_at DESC, rowid DESC LIMIT 1)",
        [id],
    )?;
    conn.execute(
        "UPDATE reminders SET done_at = NULL, due = ?2, snoozed_until = ?3, updated_at = ?4
          WHERE id = ?1",
        params![id, due.to_db(), snoozed_until.map(|d| d.to_db()), ts(now)],
    )?;
    Ok(())
}
