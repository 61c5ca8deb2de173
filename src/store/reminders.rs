//! Follow-ups: due, snoozed, done, and recurring ones that move on when done.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{parse_opt_ts, parse_ts, ts};
use crate::error::{Error, Result};
use crate::model::{ContactRef, Due, OrgRef, Period, PeriodUnit, Reminder, new_uid};

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

/// What a recurring follow-up's next date counts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecurFrom {
    /// The due date: "every month on the 31st", whenever it was done.
    #[default]
    Due,
    /// The day it was completed: "two weeks after the last time".
    Done,
}

impl RecurFrom {
    fn to_db(self) -> &'static str {
        match self {
            RecurFrom::Due => "due",
            RecurFrom::Done => "done",
        }
    }
}

/// What the model's [`Reminder`] does not carry: how it recurs and which interaction it came
/// from (`kith log --follow-up`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderExtra {
    pub recur_from: RecurFrom,
    /// The date a due-anchored recurrence counts from (month-end clamping does not drift).
    pub anchor: Due,
    /// The interaction this follow-up was created with.
    pub interaction_id: Option<i64>,
}

/// The extras of the given follow-ups (all when `None`), by id.
pub fn extras(conn: &Connection, ids: Option<&[i64]>) -> Result<HashMap<i64, ReminderExtra>> {
    let (sql, values): (String, Vec<i64>) = match ids {
        Some([]) => return Ok(HashMap::new()),
        Some(ids) => (
            format!(
                "SELECT id, recur_from, coalesce(recur_anchor, due), interaction_id
                   FROM reminders WHERE id IN ({})",
                super::placeholders(ids.len())
            ),
            ids.to_vec(),
        ),
        None => (
            "SELECT id, recur_from, coalesce(recur_anchor, due), interaction_id FROM reminders"
                .into(),
            Vec::new(),
        ),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
        let from: Option<String> = r.get(1)?;
        let anchor: String = r.get(2)?;
        Ok((
            r.get::<_, i64>(0)?,
            ReminderExtra {
                recur_from: if from.as_deref() == Some("done") {
                    RecurFrom::Done
                } else {
                    RecurFrom::Due
                },
                anchor: Due::from_db(&anchor).ok_or_else(|| bad_date(&anchor))?,
                interaction_id: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn extra(conn: &Connection, id: i64) -> Result<ReminderExtra> {
    extras(conn, Some(&[id]))?
        .remove(&id)
        .ok_or(Error::NotFound {
            what: "follow-up",
            query: format!("#{id}"),
        })
}

/// Make a recurring follow-up count from its completion (or from its due date again).
pub fn set_recur_from(conn: &Connection, id: i64, from: RecurFrom) -> Result<()> {
    conn.execute(
        "UPDATE reminders SET recur_from = ?2 WHERE id = ?1",
        params![id, from.to_db()],
    )?;
    Ok(())
}

/// One past completion of a follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompletionRecord {
    /// The due date that was met.
    pub due: Due,
    pub done_at: DateTime<Utc>,
    /// The interaction logged with it (`kith done ID --log ...`).
    pub interaction_id: Option<i64>,
}

/// The completions of follow-up `id`, oldest first.
pub fn completions(conn: &Connection, id: i64) -> Result<Vec<CompletionRecord>> {
    let mut stmt = conn.prepare(
        "SELECT due, done_at, interaction_id FROM reminder_completions
          WHERE reminder_id = ?1 ORDER BY done_at, id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let due: String = r.get(0)?;
        Ok(CompletionRecord {
            due: Due::from_db(&due).ok_or_else(|| bad_date(&due))?,
            done_at: parse_ts(&r.get::<_, String>(1)?)?,
            interaction_id: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Complete follow-up `id` at `now`. A recurring one records the completion and moves its due
/// date forward (see [`next_due`]), keeping a timed one at the same local wall time.
pub fn complete(
    conn: &Connection,
    id: i64,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
) -> Result<Completion> {
    complete_linked(conn, id, now, today, None)
}

/// [`complete`], recording `interaction_id` as what was done about it.
pub fn complete_linked(
    conn: &Connection,
    id: i64,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
    interaction_id: Option<i64>,
) -> Result<Completion> {
    let reminder = get(conn, id)?;
    if reminder.done_at.is_some() {
        return Err(Error::Conflict(format!("follow-up #{id} is already done")));
    }
    let extra = extra(conn, id)?;
    conn.execute(
        "INSERT INTO reminder_completions (reminder_id, due, done_at, interaction_id)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, reminder.due.to_db(), ts(now), interaction_id],
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
            let next = next_due(
                reminder.due,
                extra.anchor,
                period,
                extra.recur_from,
                today,
                &chrono::Local,
            );
            // From completion, the new date is its own anchor; from the due date, the
            // original anchor stays so that clamped month ends recover (Feb 28 → Mar 31).
            let anchor = match extra.recur_from {
                RecurFrom::Due => Some(extra.anchor.to_db()),
                RecurFrom::Done => None,
            };
            conn.execute(
                "UPDATE reminders SET due = ?2, recur_anchor = ?3, snoozed_until = NULL,
                        updated_at = ?4 WHERE id = ?1",
                params![id, next.to_db(), anchor, ts(now)],
            )?;
            Ok(Completion::MovedTo(next))
        }
    }
}

/// The next due date of a recurring follow-up completed on `today`.
///
/// From the due date: the first `anchor + k·period` (k ≥ 1) after both the current due date
/// and today, counted from the anchor so that clamping does not accumulate (Jan 31 monthly:
/// Feb 28, Mar 31, Apr 30). From completion: `today + period`. A timed follow-up keeps its
/// local wall time in `tz`, across daylight-saving changes.
pub fn next_due<Tz: TimeZone>(
    due: Due,
    anchor: Due,
    period: Period,
    from: RecurFrom,
    today: NaiveDate,
    tz: &Tz,
) -> Due {
    let due_day = due.local_day(tz);
    let next_day = match from {
        RecurFrom::Done => period.add_to(today),
        RecurFrom::Due => {
            let anchor_day = anchor.local_day(tz).min(due_day);
            let after = due_day.max(today);
            // No k below span / (longest possible period) can reach `after`: start there.
            let span = crate::dates::days_between(anchor_day, after).max(0);
            let longest = i64::from(period.count)
                * match period.unit {
                    PeriodUnit::Day => 1,
                    PeriodUnit::Week => 7,
                    PeriodUnit::Month => 31,
                    PeriodUnit::Year => 366,
                };
            let mut k = u32::try_from((span / longest.max(1)).max(1)).unwrap_or(u32::MAX);
            let mut next = period.add_n_to(anchor_day, k);
            while next <= after && next < NaiveDate::MAX && k < u32::MAX {
                k += 1;
                next = period.add_n_to(anchor_day, k);
            }
            next
        }
    };
    match due {
        Due::Day(_) => Due::Day(next_day),
        Due::At(t) => {
            let wall = t.with_timezone(tz).time();
            let next = crate::dates::local_to_utc(tz, next_day.and_time(wall))
                .unwrap_or(t + (next_day - due_day));
            Due::At(next)
        }
    }
}

/// What `kith remind edit` may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ReminderEdit {
    pub text: Option<String>,
    pub due: Option<Due>,
    /// `Some(None)` stops it repeating.
    pub recurrence: Option<Option<Period>>,
    pub recur_from: Option<RecurFrom>,
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
}

/// Change follow-up `id`. A new due date clears a snooze and becomes the new anchor.
pub fn update(conn: &Connection, id: i64, edit: &ReminderEdit, now: DateTime<Utc>) -> Result<()> {
    get(conn, id)?;
    if let Some(text) = &edit.text {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid("--text", text, "is empty"));
        }
        conn.execute(
            "UPDATE reminders SET text = ?2 WHERE id = ?1",
            params![id, trimmed],
        )?;
    }
    if let Some(due) = edit.due {
        conn.execute(
            "UPDATE reminders SET due = ?2, recur_anchor = NULL, snoozed_until = NULL WHERE id = ?1",
            params![id, due.to_db()],
        )?;
    }
    if let Some(recurrence) = edit.recurrence {
        conn.execute(
            "UPDATE reminders SET recurrence = ?2, recur_anchor = NULL WHERE id = ?1",
            params![id, recurrence.map(|p| p.to_string())],
        )?;
    }
    if let Some(from) = edit.recur_from {
        set_recur_from(conn, id, from)?;
    }
    if let Some(contact) = edit.contact_id {
        conn.execute(
            "UPDATE reminders SET contact_id = ?2, organization_id = NULL WHERE id = ?1",
            params![id, contact],
        )?;
    }
    if let Some(org) = edit.organization_id {
        conn.execute(
            "UPDATE reminders SET organization_id = ?2, contact_id = NULL WHERE id = ?1",
            params![id, org],
        )?;
    }
    conn.execute(
        "UPDATE reminders SET updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )?;
    Ok(())
}

/// Delete follow-up `id` with its history.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let removed = conn.execute("DELETE FROM reminders WHERE id = ?1", [id])?;
    if removed == 0 {
        return Err(Error::NotFound {
            what: "follow-up",
            query: format!("#{id}"),
        });
    }
    Ok(())
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

/// Take back the latest completion of follow-up `id`: it is open again, due on `due`,
/// snoozed and anchored (`recur_anchor`, see [`recur_anchor`]) as it was (the undo of
/// [`complete`]).
pub fn reopen(
    conn: &Connection,
    id: i64,
    due: Due,
    snoozed_until: Option<Due>,
    recur_anchor: Option<Due>,
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
        "UPDATE reminders SET done_at = NULL, due = ?2, snoozed_until = ?3, updated_at = ?4,
                recur_anchor = ?5
          WHERE id = ?1",
        params![
            id,
            due.to_db(),
            snoozed_until.map(|d| d.to_db()),
            ts(now),
            recur_anchor.map(|d| d.to_db())
        ],
    )?;
    Ok(())
}

/// The stored anchor of a recurring follow-up, as it is (`None`: its due date is the anchor),
/// for an undo to put back exactly.
pub fn recur_anchor(conn: &Connection, id: i64) -> Result<Option<Due>> {
    let anchor: Option<String> = conn.query_row(
        "SELECT recur_anchor FROM reminders WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    anchor
        .map(|a| Due::from_db(&a).ok_or_else(|| bad_date(&a).into()))
        .transpose()
}

/// When each open follow-up is due (snoozed ones: when they wake), with its contact: what the
/// interactive mode counts as "due" in its tab bar, in one pass over the open ones without
/// reading them in full (the caller leaves out archived contacts', knowing who is active).
pub fn open_dues(conn: &Connection) -> Result<Vec<(Due, Option<i64>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(snoozed_until, due), contact_id FROM reminders WHERE done_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        let due: String = r.get(0)?;
        Ok((Due::from_db(&due).ok_or_else(|| bad_date(&due))?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn next(
        due: NaiveDate,
        anchor: NaiveDate,
        period: &str,
        from: RecurFrom,
        today: NaiveDate,
    ) -> NaiveDate {
        match next_due(
            Due::Day(due),
            Due::Day(anchor),
            Period::parse(period).unwrap(),
            from,
            today,
            &Utc,
        ) {
            Due::Day(d) => d,
            Due::At(_) => unreachable!(),
        }
    }

    #[test]
    fn due_anchored_recurrence_clamps_from_the_anchor() {
        let a = day(2027, 1, 31);
        assert_eq!(next(a, a, "1m", RecurFrom::Due, a), day(2027, 2, 28));
        assert_eq!(
            next(day(2027, 2, 28), a, "1m", RecurFrom::Due, day(2027, 2, 28)),
            day(2027, 3, 31)
        );
        // Done early: the next date after the current one, not after today.
        assert_eq!(
            next(a, a, "1m", RecurFrom::Due, day(2027, 1, 10)),
            day(2027, 2, 28)
        );
        // Done late: what was missed is skipped.
        assert_eq!(
            next(a, a, "1m", RecurFrom::Due, day(2027, 5, 31)),
            day(2027, 6, 30)
        );
        let leap = day(2028, 2, 29);
        assert_eq!(
            next(leap, leap, "1y", RecurFrom::Due, leap),
            day(2029, 2, 28)
        );
        assert_eq!(
            next(
                day(2031, 2, 28),
                leap,
                "1y",
                RecurFrom::Due,
                day(2031, 2, 28)
            ),
            day(2032, 2, 29)
        );
        // A daily recurrence decades behind still lands on the next day, quickly.
        assert_eq!(
            next(
                day(1990, 1, 1),
                day(1990, 1, 1),
                "1d",
                RecurFrom::Due,
                day(2026, 11, 24)
            ),
            day(2026, 11, 25)
        );
    }

    #[test]
    fn completion_anchored_recurrence_counts_from_today() {
        let due = day(2026, 11, 1);
        assert_eq!(
            next(due, due, "2w", RecurFrom::Done, day(2026, 11, 24)),
            day(2026, 12, 8)
        );
        assert_eq!(
            next(due, due, "1m", RecurFrom::Done, day(2027, 1, 31)),
            day(2027, 2, 28)
        );
    }

    #[test]
    fn a_timed_recurrence_keeps_its_wall_time_in_its_zone() {
        let zone = FixedOffset::east_opt(2 * 3600).unwrap();
        let t = "2026-11-24T07:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let next = next_due(
            Due::At(t),
            Due::At(t),
            Period::parse("1w").unwrap(),
            RecurFrom::Due,
            day(2026, 11, 24),
            &zone,
        );
        assert_eq!(next, Due::At("2026-12-01T07:30:00Z".parse().unwrap()));
    }
}
