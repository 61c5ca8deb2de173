//! The follow-ups as the agenda's and a company's health read them: the open ones as
//! [`super::list`] reads them and, from the same rows, each that could count for its
//! contact's health, handed on as health reads it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{OPEN_ROOM_UP_TO, extra_at, in_list_order, reminder_at, reminder_of_row, text};
use crate::error::Result;
use crate::model::{ContactRef, Due, OrgRef, Reminder, ReminderExtra};
use crate::store::ts;

/// The open follow-ups as [`list`](super::list) reads them (with whom each is about), in no particular
/// order (the agenda puts them in its own), with the extras of those that recur or came
/// with an interaction (as [`extras_where`](super::extras_where) reads them), and, from the same pass over the
/// table, each row that could count for its contact's health from `since` on (open, or
/// done since): `(contact id, coalesce(snoozed_until, due), created_at, done_at)` handed to
/// `also`, in id order, as [`crate::store::health::all_follow_ups`] reads them. The agenda
/// needs all three: one pass instead of three over every follow-up. `open`: about how many
/// are open, room for them all made at once (no more than [`OPEN_ROOM_UP_TO`](super::OPEN_ROOM_UP_TO)).
///
/// `listed_before` (a `YYYY-MM-DD` day): an open follow-up due (or snoozed until) that day or
/// later by its stored text is handed to `also` only, neither named nor returned: the
/// agenda shows none so far ahead, and at 100k contacts they are half the follow-ups.
#[allow(clippy::type_complexity)]
pub fn open_and_since(
    conn: &Connection,
    since: DateTime<Utc>,
    listed_before: &str,
    open: usize,
    mut also: impl FnMut(i64, &str, &str, Option<&str>) -> Result<()>,
) -> Result<(Vec<Reminder>, HashMap<i64, ReminderExtra>)> {
    // Those not listed are looked up by a NULL id, which SQLite does not seek (a condition
    // beside the id in the join's ON is tested only after the seek).
    let mut stmt = conn.prepare(
        "SELECT r.id, r.uid, r.text, r.due, r.recurrence, r.snoozed_until, r.done_at, r.created_at,
                c.id, c.uid, c.display_name, o.id, o.uid, o.name, r.contact_id,
                r.recur_from, coalesce(r.recur_anchor, r.due), r.interaction_id,
                r.organization_id
           FROM reminders r NOT INDEXED
           LEFT JOIN contacts c ON c.id =
                CASE WHEN coalesce(r.snoozed_until, r.due) < ?2 THEN r.contact_id END
           LEFT JOIN organizations o ON o.id =
                CASE WHEN coalesce(r.snoozed_until, r.due) < ?2 THEN r.organization_id END
          WHERE r.done_at IS NULL OR r.done_at >= ?1",
    )?;
    let mut rows = stmt.query(params![ts(since), listed_before])?;
    let mut out = Vec::with_capacity(open.min(OPEN_ROOM_UP_TO));
    let mut extras = HashMap::new();
    while let Some(r) = rows.next()? {
        if hand_on(r, 14, &mut also)?.is_some() {
            continue;
        }
        // Beyond what is listed, as SQLite compared it (text against text). One whose date
        // does not read is read as before (its names looked up here: SQLite did not).
        let effective = text(r, 5)?.or(text(r, 3)?).unwrap_or_default();
        let beyond = effective >= listed_before;
        if beyond && Due::from_db(effective).is_some() {
            continue;
        }
        let mut reminder = reminder_at(r)?;
        if beyond {
            name_unlisted(conn, &mut reminder, r.get(14)?, r.get(18)?)?;
        }
        let recurs = r.get_ref(4)? != rusqlite::types::ValueRef::Null;
        if recurs || r.get_ref(17)? != rusqlite::types::ValueRef::Null {
            extras.insert(reminder.id, extra_at(r, 15)?);
        }
        out.push(reminder);
    }
    Ok((out, extras))
}

/// Whom `reminder` is about (`contact`, `organization`: their ids), named as [`list`](super::list) names
/// them, for the rare one [`open_and_since`] reads in full without SQLite having named it.
fn name_unlisted(
    conn: &Connection,
    reminder: &mut Reminder,
    contact: Option<i64>,
    organization: Option<i64>,
) -> Result<()> {
    reminder.contact = match contact {
        None => None,
        Some(id) => conn
            .query_row(
                "SELECT uid, display_name FROM contacts WHERE id = ?1",
                [id],
                |r| {
                    Ok(ContactRef {
                        id,
                        uid: r.get(0)?,
                        name: r.get(1)?,
                    })
                },
            )
            .optional()?,
    };
    reminder.organization = match organization {
        None => None,
        Some(id) => conn
            .query_row(
                "SELECT uid, name FROM organizations WHERE id = ?1",
                [id],
                |r| {
                    Ok(OrgRef {
                        id,
                        uid: r.get(0)?,
                        name: r.get(1)?,
                    })
                },
            )
            .optional()?,
    };
    Ok(())
}

/// The open follow-ups on organization `org` or on any of its people, as [`list`](super::list) reads
/// them (`organization_wide`), and, from the same rows, each that could count for its
/// contact's health from `since` on (open, or done since) handed to `also` as
/// [`open_and_since`] hands them: `kith show`'s company line wants both. Read from one range
/// of `organization_follow_ups` (migration 0019): a lookup a person there and a row read
/// for each follow-up was half the line's cost. Whom each is about is left for
/// [`name_people`] (their uid and name empty): `kith show` names them from the people its
/// second thread reads anyway.
pub fn of_organization_and_since(
    conn: &Connection,
    org: i64,
    since: DateTime<Utc>,
    mut also: impl FnMut(i64, &str, &str, Option<&str>) -> Result<()>,
) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.reminder_id, f.uid, f.text, f.due, f.recurrence, f.snoozed_until, f.done_at,
                f.created_at, f.contact_id, '', '', o.id, o.uid, o.name
           FROM organization_follow_ups f
           LEFT JOIN organizations o ON o.id = f.own_organization_id
          WHERE f.organization_id = ?2 AND (f.done_at IS NULL OR f.done_at >= ?1)",
    )?;
    let mut rows = stmt.query(params![ts(since), org])?;
    let mut keys = Vec::new();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if hand_on(r, 8, &mut also)?.is_some() {
            continue;
        }
        let (key, reminder) = reminder_of_row(r)?;
        keys.push((key, reminder.id, out.len() as u32));
        out.push(Some(reminder));
    }
    Ok(in_list_order(keys, out))
}

/// Name whom each of `list` ([`of_organization_and_since`]'s, of organization `org`) is
/// about: as `known` names them, else from the organization's rows of `organization_people`
/// (a range of the file), else from their contact row; about nobody when none is found.
pub fn name_people<'k>(
    conn: &Connection,
    org: i64,
    list: &mut [Reminder],
    known: impl Fn(i64) -> Option<&'k ContactRef>,
) -> Result<()> {
    let mut there = conn.prepare_cached(
        "SELECT uid, display_name FROM organization_people
          WHERE organization_id = ?1 AND contact_id = ?2",
    )?;
    let mut anywhere =
        conn.prepare_cached("SELECT uid, display_name FROM contacts WHERE id = ?1")?;
    for reminder in list {
        let Some(c) = &mut reminder.contact else {
            continue;
        };
        if let Some(k) = known(c.id) {
            c.uid.clone_from(&k.uid);
            c.name.clone_from(&k.name);
            continue;
        }
        let named = |r: &rusqlite::Row| Ok((r.get(0)?, r.get(1)?));
        let found = match there.query_row(params![org, c.id], named).optional()? {
            Some(found) => Some(found),
            None => anywhere.query_row([c.id], named).optional()?,
        };
        match found {
            Some((uid, name)) => (c.uid, c.name) = (uid, name),
            None => reminder.contact = None,
        }
    }
    Ok(())
}

/// Hands the follow-up of row `r` (columns as [`open_and_since`] reads them, its contact's id
/// at `contact`) to `also` as health reads it when it is about a contact: the contact, the
/// day it counts from (snoozed until, else due), when it was made and when done. Returns
/// when it was done.
fn hand_on<'r>(
    r: &'r rusqlite::Row,
    contact: usize,
    also: &mut impl FnMut(i64, &str, &str, Option<&str>) -> Result<()>,
) -> Result<Option<&'r str>> {
    let done_at = text(r, 6)?;
    if let Some(contact_id) = r.get::<_, Option<i64>>(contact)? {
        let effective = text(r, 5)?.or(text(r, 3)?).unwrap_or_default();
        also(
            contact_id,
            effective,
            text(r, 7)?.unwrap_or_default(),
            done_at,
        )?;
    }
    Ok(done_at)
}
