//! Follow-ups: due, snoozed, done, and recurring ones that move on when done.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params};
use serde::Serialize;

use super::WriteTx;
use super::{parse_ts, ts};
use crate::error::{Error, Result};
use crate::model::{
    Completion, ContactRef, Due, NewReminder, OrgRef, Period, RecurFrom, Reminder, ReminderExtra,
    new_uid, next_due,
};

mod table_lines;
mod with_health;

pub use table_lines::{ReminderLine, ReminderLines, lines};
pub use with_health::{name_people, of_organization_and_since, open_and_since};

/// Insert a new follow-up (its text checked by [`crate::app::follow_ups`]).
pub fn insert(conn: &WriteTx, new: &NewReminder, now: DateTime<Utc>) -> Result<i64> {
    let text = new.text.trim();
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
    /// Leave out whom each is about's uid and name (the ids stay): `kith today` names only
    /// the few it shows.
    pub without_names: bool,
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
            // Through the two indexes, not an OR over the join, which read every follow-up.
            clauses.push(
                "r.id IN (SELECT id FROM reminders WHERE organization_id = ?
                          UNION SELECT p.id FROM contacts pc JOIN reminders p ON p.contact_id = pc.id
                           WHERE pc.organization_id = ?)"
                    .into(),
            );
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
    // Every follow-up at once (`kith reminders`, the agenda): one pass over the table is a
    // tenth of walking the due index and reading each row from it, and sorting here a third
    // of SQLite sorting whole rows. A contact's or an organization's few come by their index.
    let whole_table = filter.contact_id.is_none() && filter.organization_id.is_none();
    let (about, joins) = if filter.without_names {
        ("r.contact_id, '', '', r.organization_id, '', ''", "")
    } else {
        (
            "c.id, c.uid, c.display_name, o.id, o.uid, o.name",
            "LEFT JOIN contacts c ON c.id = r.contact_id
             LEFT JOIN organizations o ON o.id = r.organization_id",
        )
    };
    let sql = format!(
        "SELECT r.id, r.uid, r.text, r.due, r.recurrence, r.snoozed_until, r.done_at, r.created_at,
                {about}
           FROM reminders r {} {joins}
          WHERE {}",
        if whole_table { "NOT INDEXED" } else { "" },
        clauses.join(" AND ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let mut keys = Vec::new();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let (key, reminder) = reminder_of_row(r)?;
        keys.push((key, reminder.id, out.len() as u32));
        out.push(Some(reminder));
    }
    Ok(in_list_order(keys, out))
}

/// `out` in the order the agenda and the list show: by effective due as stored (SQLite's
/// coalesce(snoozed_until, due): both are text, compared byte by byte), then by id. The
/// keys (with their rows' places) are sorted, and each row moved once.
fn in_list_order(
    mut keys: Vec<(String, i64, u32)>,
    mut out: Vec<Option<Reminder>>,
) -> Vec<Reminder> {
    keys.sort_unstable();
    keys.into_iter()
        .filter_map(|(_, _, i)| out[i as usize].take())
        .collect()
}

/// Up to how many open follow-ups [`open_and_since`] makes room for at once (more are
/// grown into).
pub const OPEN_ROOM_UP_TO: usize = 1 << 17;

/// How many follow-ups there are, open or done: SQLite counts a whole table's rows a page
/// at a time (the cells of each leaf), not row by row as it counts the open ones in their
/// index (thousands of instructions here instead of 5 M at 15k follow-ups).
pub fn count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn.query_row("SELECT count(*) FROM reminders", [], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A row's place in [`lines`]' order: by its text (byte by byte, as SQLite compares text),
/// then by id. A stored date or time fits the first 24 bytes, read as two numbers (zero
/// padded, big-endian: they compare as the text does), so rows are sorted as numbers; a
/// longer text (or one holding a NUL) makes [`sort_keys`] compare the texts whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    high: u128,
    low: u64,
    id: i64,
    at: u32,
}

impl SortKey {
    /// The key of `text` (also added to `keys`) and whether the numbers hold it whole.
    fn new(
        keys: &mut Vec<std::ops::Range<usize>>,
        all: &mut String,
        text: &str,
        id: i64,
        at: u32,
    ) -> (SortKey, bool) {
        let mut head = [0; 24];
        let n = text.len().min(head.len());
        head[..n].copy_from_slice(&text.as_bytes()[..n]);
        let start = all.len();
        all.push_str(text);
        keys.push(start..all.len());
        let mut high = [0; 16];
        let mut low = [0; 8];
        high.copy_from_slice(&head[..16]);
        low.copy_from_slice(&head[16..]);
        let key = SortKey {
            high: u128::from_be_bytes(high),
            low: u64::from_be_bytes(low),
            id,
            at,
        };
        (
            key,
            text.len() <= head.len() && !text.as_bytes().contains(&0),
        )
    }
}

/// The places (`at`) of `order` sorted; unless `whole`, by the texts of `keys` in `all`.
/// `whole` also says `order` comes by id: the rows are then put in groups of the same text
/// (a long list has few distinct dates), the groups sorted, each keeping its rows' order.
fn sort_keys(
    mut order: Vec<SortKey>,
    whole: bool,
    keys: &[std::ops::Range<usize>],
    all: &str,
) -> Vec<u32> {
    if !whole {
        let text = |k: &SortKey| &all.as_bytes()[keys[k.at as usize].clone()];
        order.sort_unstable_by(|a, b| text(a).cmp(text(b)).then(a.id.cmp(&b.id)));
        return order.into_iter().map(|k| k.at).collect();
    }
    let mut groups: foldhash::HashMap<(u128, u64), u32> = foldhash::HashMap::default();
    let mut distinct: Vec<(u128, u64)> = Vec::new();
    let mut group_of = Vec::with_capacity(order.len());
    for k in &order {
        let g = *groups.entry((k.high, k.low)).or_insert_with(|| {
            distinct.push((k.high, k.low));
            (distinct.len() - 1) as u32
        });
        group_of.push(g);
    }
    let mut by_text: Vec<u32> = (0..distinct.len() as u32).collect();
    by_text.sort_unstable_by_key(|&g| distinct[g as usize]);
    // Where each group's next row goes in the sorted order.
    let mut next = vec![0usize; distinct.len()];
    for &g in &group_of {
        next[g as usize] += 1;
    }
    let mut at = 0;
    for &g in &by_text {
        let count = next[g as usize];
        next[g as usize] = at;
        at += count;
    }
    let mut sorted = vec![0u32; order.len()];
    for (k, &g) in order.iter().zip(&group_of) {
        sorted[next[g as usize]] = k.at;
        next[g as usize] += 1;
    }
    sorted
}

/// A row of [`list`]'s query, with the effective due as stored (its sort key with the id).
fn reminder_of_row(r: &rusqlite::Row) -> rusqlite::Result<(String, Reminder)> {
    let key = text(r, 5)?.or(text(r, 3)?).unwrap_or_default().to_string();
    Ok((key, reminder_at(r)?))
}

/// The follow-up of a row of [`list`]'s columns.
fn reminder_at(r: &rusqlite::Row) -> rusqlite::Result<Reminder> {
    let due = text(r, 3)?.unwrap_or_default();
    let recurrence = text(r, 4)?;
    let snoozed = text(r, 5)?;
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
    let reminder = Reminder {
        id: r.get(0)?,
        uid: r.get(1)?,
        text: r.get(2)?,
        due: Due::from_db(due).ok_or_else(|| bad_date(due))?,
        recurrence: recurrence.and_then(|p| Period::parse(p).ok()),
        snoozed_until: snoozed.and_then(Due::from_db),
        done_at: text(r, 6)?.map(parse_ts).transpose()?,
        created_at: parse_ts(text(r, 7)?.unwrap_or_default())?,
        contact,
        organization,
    };
    Ok(reminder)
}

/// Column `i`'s bytes borrowed from the row (NULL: none), not yet checked to be UTF-8.
fn raw<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<&'r [u8]> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(b) => Ok(b),
        rusqlite::types::ValueRef::Null => Ok(&[]),
        other => Err(rusqlite::Error::InvalidColumnType(
            i,
            String::new(),
            other.data_type(),
        )),
    }
}

/// Column `i` as text borrowed from the row (NULL: None), without a copy.
fn text<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
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
        None => return extras_where(conn, "1"),
    };
    extras_of(conn, &sql, &values)
}

/// The extras of the follow-ups `where_sql` (a condition on `reminders`, no parameters)
/// selects, by id, in one pass over the table.
pub fn extras_where(conn: &Connection, where_sql: &str) -> Result<HashMap<i64, ReminderExtra>> {
    let sql = format!(
        "SELECT id, recur_from, coalesce(recur_anchor, due), interaction_id
           FROM reminders NOT INDEXED WHERE {where_sql}"
    );
    extras_of(conn, &sql, &[])
}

fn extras_of(conn: &Connection, sql: &str, values: &[i64]) -> Result<HashMap<i64, ReminderExtra>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
        Ok((r.get::<_, i64>(0)?, extra_at(r, 1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The extra of a row whose columns from `first` on are `recur_from`,
/// `coalesce(recur_anchor, due)` and `interaction_id`.
fn extra_at(r: &rusqlite::Row, first: usize) -> rusqlite::Result<ReminderExtra> {
    let from: Option<String> = r.get(first)?;
    let anchor: String = r.get(first + 1)?;
    Ok(ReminderExtra {
        recur_from: if from.as_deref() == Some("done") {
            RecurFrom::Done
        } else {
            RecurFrom::Due
        },
        anchor: Due::from_db(&anchor).ok_or_else(|| bad_date(&anchor))?,
        interaction_id: r.get(first + 2)?,
    })
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
pub fn set_recur_from(conn: &WriteTx, id: i64, from: RecurFrom) -> Result<()> {
    conn.execute(
        "UPDATE reminders SET recur_from = ?2 WHERE id = ?1",
        params![id, from.as_str()],
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
    conn: &WriteTx,
    id: i64,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
) -> Result<Completion> {
    complete_linked(conn, id, now, today, None)
}

/// [`complete`], recording `interaction_id` as what was done about it.
pub fn complete_linked(
    conn: &WriteTx,
    id: i64,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
    interaction_id: Option<i64>,
) -> Result<Completion> {
    let reminder = get(conn, id)?;
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
pub fn update(conn: &WriteTx, id: i64, edit: &ReminderEdit, now: DateTime<Utc>) -> Result<()> {
    if let Some(text) = &edit.text {
        conn.execute(
            "UPDATE reminders SET text = ?2 WHERE id = ?1",
            params![id, text.trim()],
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
pub fn delete(conn: &WriteTx, id: i64) -> Result<()> {
    let removed = conn.execute("DELETE FROM reminders WHERE id = ?1", [id])?;
    if removed == 0 {
        return Err(Error::NotFound {
            what: "follow-up",
            query: format!("#{id}"),
        });
    }
    Ok(())
}

/// Snooze follow-up `id` until `until` (the bounds are [`crate::app::follow_ups::snooze`]'s).
pub fn snooze(conn: &WriteTx, id: i64, until: Due, now: DateTime<Utc>) -> Result<()> {
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
    conn: &WriteTx,
    id: i64,
    due: Due,
    snoozed_until: Option<Due>,
    recur_anchor: Option<Due>,
    now: DateTime<Utc>,
) -> Result<()> {
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
