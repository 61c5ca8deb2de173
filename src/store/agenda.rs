//! Everything the agenda needs, read in a handful of queries whatever the counts, and only
//! for the contacts it can show: on a 100k-contact book most have no cadence, birthday or
//! yearly date, and their details and last interactions are never read. Who is due to
//! reconnect by their own cadence is a range of `contacts_reconnect_from` per cadence
//! (migration 0016): those whose cadence cannot have run out are never read, and
//! `kith today`'s summary counts the rest and reads only the first few.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use rusqlite::Connection;

use crate::agenda::{
    AgendaContact, AgendaInput, OrgCadence, counted_from_bounds, due_on, first_follow_ups,
};
use crate::error::Result;
use crate::model::{Birthday, ContactRef, Due, OrgRef, Period, Reminder, ReminderExtra};
use crate::store::reminders::{self, ReminderFilter, ReminderState};
use crate::store::{contact_dates, parse_ts, tag_cadences};

/// Open follow-ups (but those of archived contacts), the contacts the agenda can show on
/// `today` (a superset of those due to reconnect, with everyone who has a birthday or a
/// yearly date), tag cadences and yearly dates.
pub fn load<Tz: TimeZone>(conn: &Connection, today: NaiveDate, tz: &Tz) -> Result<AgendaInput> {
    Ok(AgendaInput {
        follow_ups: open_follow_ups(conn, true)?,
        extras: open_extras(conn)?,
        contacts: contacts(conn, today, tz, None)?,
        tag_cadences: tag_cadences::list(conn)?,
        dates: contact_dates::by_contact(conn, None)?,
        organizations: organizations_with_cadence(conn)?,
    })
}

/// What `kith today`'s summary reads: [`load`]'s records but for the follow-ups, only those
/// whose ids are `follow_ups` (the first of each group, see
/// [`crate::agenda::first_follow_ups`]), and of the contacts due to reconnect by a cadence of
/// their own, the `shown` first due (the longest overdue) with everyone [`load`] would give
/// whenever they number [`ALL_DUE_UP_TO`] or fewer.
pub struct Summary {
    pub input: AgendaInput,
    /// How many contacts are due to reconnect by a cadence of their own: those due by a
    /// tag's cadence are all in `input`.
    pub due_by_own_cadence: usize,
    /// Whether `input` holds every contact due to reconnect.
    pub all_due: bool,
}

/// Up to how many contacts due by their own cadence [`summary`] reads them all.
pub const ALL_DUE_UP_TO: usize = 1_000;

/// See [`Summary`].
pub fn summary<Tz: TimeZone>(
    conn: &Connection,
    today: NaiveDate,
    tz: &Tz,
    follow_up_ids: &[i64],
    shown: usize,
) -> Result<Summary> {
    let mut due = 0;
    for cadence in own_cadences(conn)? {
        due += count_due(conn, &cadence, today, tz)?;
    }
    let all_due = due <= ALL_DUE_UP_TO;
    let first = (!all_due).then_some(shown);
    let contacts = contacts(conn, today, tz, first)?;
    let follow_ups = if follow_up_ids.is_empty() {
        Vec::new()
    } else {
        reminders::list(
            conn,
            &ReminderFilter {
                state: ReminderState::Open,
                ids: Some(follow_up_ids.to_vec()),
                ..ReminderFilter::default()
            },
        )?
    };
    Ok(Summary {
        input: AgendaInput {
            extras: reminders::extras(conn, Some(follow_up_ids))?,
            follow_ups,
            contacts,
            tag_cadences: tag_cadences::list(conn)?,
            dates: contact_dates::by_contact(conn, None)?,
            organizations: organizations_with_cadence(conn)?,
        },
        due_by_own_cadence: due,
        all_due,
    })
}

/// `kith today`'s follow-ups in short, as [`first_follow_ups`] gives them from every open
/// follow-up, read from `reminders_open_by_effective_due` (migration 0016) without reading
/// them all: those surely overdue (due two days or more before today, in any time zone) are
/// counted and only their first `shown` read; the few days around today and the horizon are
/// read and grouped one by one; anything later is no group's. A book where an archived
/// contact has open follow-ups (they wait off the agenda) has them all read.
pub fn follow_up_groups<Tz: TimeZone>(
    conn: &Connection,
    now: DateTime<Utc>,
    tz: &Tz,
    horizon_days: u32,
    shown: usize,
) -> Result<([usize; 3], Vec<i64>)> {
    let today = now.with_timezone(tz).date_naive();
    let utc_today = now.date_naive();
    let lo = today.min(utc_today).checked_sub_days(Days::new(2));
    let hi = (today.max(utc_today)).checked_add_days(Days::new(u64::from(horizon_days) + 2));
    let (Some(lo), Some(hi), true) = (lo, hi, archived_with_open_follow_ups(conn)?.is_empty())
    else {
        return Ok(first_follow_ups(
            &open_dues(conn)?,
            now,
            tz,
            horizon_days,
            shown,
        ));
    };
    let (lo, hi) = (
        lo.format("%Y-%m-%d").to_string(),
        hi.format("%Y-%m-%d").to_string(),
    );
    let sure: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM reminders INDEXED BY reminders_open_by_effective_due
              WHERE done_at IS NULL AND coalesce(snoozed_until, due) < ?1",
        )?
        .query_row([&lo], |r| r.get(0))?;
    let sure = usize::try_from(sure).unwrap_or(0);
    // The first of those surely overdue, in the order of their text, which is their day's
    // give or take a day (a time's local day): read until one a day past the `shown`th.
    let mut head = Vec::new();
    if shown > 0 && sure > 0 {
        let mut bound: Option<NaiveDate> = None;
        dues_where(
            conn,
            "AND coalesce(snoozed_until, due) < ?1",
            &[&lo],
            |due, id| {
                let utc_day = match due {
                    Due::Day(d) => d,
                    Due::At(t) => t.date_naive(),
                };
                if bound.is_some_and(|b| utc_day.pred_opt().is_some_and(|d| d > b)) {
                    return false;
                }
                head.push((due, id));
                if head.len() == shown {
                    bound = head.iter().map(|(d, _)| d.local_day(tz)).max();
                }
                true
            },
        )?;
    }
    let mut near = Vec::new();
    dues_where(
        conn,
        "AND coalesce(snoozed_until, due) >= ?1 AND coalesce(snoozed_until, due) < ?2",
        &[&lo, &hi],
        |due, id| {
            near.push((due, id));
            true
        },
    )?;
    let in_head = head.len();
    near.extend(head);
    let (mut counts, ids) = first_follow_ups(&near, now, tz, horizon_days, shown);
    counts[0] = (counts[0] + sure).saturating_sub(in_head);
    Ok((counts, ids))
}

/// The open follow-ups matching `tail` (conditions on the alias-less `reminders`, with
/// `values`), in the order of `reminders_open_by_effective_due`, each as when it counts and
/// its id, to `each` until it says stop.
fn dues_where(
    conn: &Connection,
    tail: &str,
    values: &[&str],
    mut each: impl FnMut(Due, i64) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT coalesce(snoozed_until, due), id
           FROM reminders INDEXED BY reminders_open_by_effective_due
          WHERE done_at IS NULL {tail}
          ORDER BY coalesce(snoozed_until, due), id"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(1)?;
        let due = match text(r, 0)?.and_then(Due::from_db) {
            Some(due) => due,
            // A snooze that does not read is no snooze, as everywhere else: its due then.
            None => reminders::get(conn, id)?.effective_due(),
        };
        if !each(due, id) {
            break;
        }
    }
    Ok(())
}

/// The open follow-ups the agenda shows (those of archived contacts wait with them), each as
/// when it counts (a snooze applied) and its id: from `reminders_open_by_effective_due`
/// alone (migration 0016). `kith today` counts its groups from these and `--check` looks
/// for one overdue.
pub fn open_dues(conn: &Connection) -> Result<Vec<(Due, i64)>> {
    let archived = archived_with_open_follow_ups(conn)?;
    let mut stmt = conn.prepare(
        "SELECT coalesce(snoozed_until, due), id, contact_id
           FROM reminders INDEXED BY reminders_open_by_effective_due
          WHERE done_at IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let contact: Option<i64> = r.get(2)?;
        if contact.is_some_and(|c| archived.contains(&c)) {
            continue;
        }
        let id: i64 = r.get(1)?;
        let due = match text(r, 0)?.and_then(Due::from_db) {
            Some(due) => due,
            // A snooze that does not read is no snooze, as everywhere else: its due then.
            None => reminders::get(conn, id)?.effective_due(),
        };
        out.push((due, id));
    }
    Ok(out)
}

/// The extras the agenda reads (how a recurring one recurs, the interaction it came from)
/// of the open follow-ups that have any: most are one-off and made by hand, and the agenda
/// reads an extra only for a follow-up that recurs or came with an interaction.
fn open_extras(conn: &Connection) -> Result<HashMap<i64, ReminderExtra>> {
    // One pass over the table: walking the open ones' index reads each row from it anyway.
    reminders::extras_where(
        conn,
        "done_at IS NULL AND (recurrence IS NOT NULL OR interaction_id IS NOT NULL)",
    )
}

/// Active organizations with a cadence of their own, each with its last touch: the latest
/// interaction with it, or with one of its active people. Few have a cadence; each is two
/// indexed lookups (`interactions_by_organization`, `contacts_by_organization`).
fn organizations_with_cadence(conn: &Connection) -> Result<Vec<OrgCadence>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.uid, o.name, o.cadence, o.created_at,
                (SELECT max(i.occurred_at) FROM interactions i WHERE i.organization_id = o.id),
                (SELECT max(i.occurred_at) FROM contacts c
                   JOIN interaction_participants p ON p.contact_id = c.id
                   JOIN interactions i ON i.id = p.interaction_id
                  WHERE c.organization_id = o.id AND c.archived_at IS NULL)
           FROM organizations o
          WHERE o.cadence IS NOT NULL AND o.archived_at IS NULL
          ORDER BY o.name_key, o.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        // An unreadable cadence (a hand edit) is no cadence, as for a contact.
        let Some(cadence) = r
            .get::<_, String>(3)
            .ok()
            .and_then(|c| Period::parse(&c).ok())
        else {
            continue;
        };
        let own: Option<String> = r.get(5)?;
        let people: Option<String> = r.get(6)?;
        // Both are UTC RFC 3339 text, which sorts as time does.
        let last = own.max(people);
        out.push(OrgCadence {
            organization: OrgRef {
                id: r.get(0)?,
                uid: r.get(1)?,
                name: r.get(2)?,
            },
            cadence,
            created_at: parse_ts(&r.get::<_, String>(4)?)?,
            last_touch_at: last.as_deref().map(parse_ts).transpose()?,
        });
    }
    Ok(out)
}

/// The open follow-ups the agenda shows: all but those of archived contacts, which wait with
/// them (restoring brings them back). `kith today --check` reads only these.
/// With `names` false, whom each is about is left unnamed (ids only).
pub fn open_follow_ups(conn: &Connection, names: bool) -> Result<Vec<Reminder>> {
    let mut follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            state: ReminderState::Open,
            without_names: !names,
            ..ReminderFilter::default()
        },
    )?;
    let archived = archived_with_open_follow_ups(conn)?;
    follow_ups.retain(|r| r.contact.as_ref().is_none_or(|c| !archived.contains(&c.id)));
    Ok(follow_ups)
}

/// Archived contacts that still have open follow-ups: usually none, found from the archived
/// contacts' partial index (migration 0011) rather than by looking up every follow-up's.
fn archived_with_open_follow_ups(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.id FROM contacts c INDEXED BY contacts_archived
           CROSS JOIN reminders r ON r.contact_id = c.id
          WHERE r.done_at IS NULL AND c.archived_at IS NOT NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Archived contacts that have follow-ups, open or done (`kith reminders` marks theirs).
pub fn archived_with_follow_ups(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.id FROM contacts c INDEXED BY contacts_archived
           CROSS JOIN reminders r ON r.contact_id = c.id
          WHERE c.archived_at IS NOT NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// The active contacts the agenda can show on `today`, each once: everyone with a birthday,
/// a yearly date or a tag with a cadence, in name order, then those with a cadence of their
/// own that may have run out (a range of `contacts_reconnect_from` per cadence), all of them
/// or (`first`: Some(n)) only the first `n` due of each cadence and those tied with them.
fn contacts<Tz: TimeZone>(
    conn: &Connection,
    today: NaiveDate,
    tz: &Tz,
    first: Option<usize>,
) -> Result<Vec<AgendaContact>> {
    // Birthdays from their partial index, already in name order (migration 0016); the rest
    // (a yearly date, or a cadence from a tag) are usually none or few, read by id and put
    // in order here, by the names' keys.
    let mut keyed = agenda_rows(
        conn,
        "FROM contacts c INDEXED BY contacts_with_birthday
          WHERE c.archived_at IS NULL AND c.birthday IS NOT NULL
          ORDER BY c.name_key, c.id",
        true,
    )?;
    let others = agenda_rows(
        conn,
        "FROM contacts c
          WHERE c.id IN (SELECT contact_id FROM contact_dates
                         UNION SELECT ct.contact_id FROM tag_cadences tc
                           CROSS JOIN tags t ON t.name = tc.tag
                           CROSS JOIN contact_tags ct ON ct.tag_id = t.id)
            AND c.archived_at IS NULL AND c.birthday IS NULL",
        true,
    )?;
    if !others.is_empty() {
        keyed.extend(others);
        // SQLite orders text by its bytes, as Rust does.
        keyed.sort_by(|(a, x), (b, y)| (a, x.contact.id).cmp(&(b, y.contact.id)));
    }
    let mut contacts: Vec<AgendaContact> = keyed.into_iter().map(|(_, c)| c).collect();
    let mut seen: HashSet<i64> = contacts.iter().map(|c| c.contact.id).collect();
    for cadence in own_cadences(conn)? {
        let rows = match first {
            None => own_cadence_rows(conn, &cadence, today)?,
            Some(n) => first_due(conn, &cadence, today, tz, n)?,
        };
        contacts.extend(rows.into_iter().filter(|c| seen.insert(c.contact.id)));
    }

    let index: HashMap<i64, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i))
        .collect();
    // Tags without a cadence play no part in the agenda; archived contacts are not indexed.
    let mut stmt = conn.prepare(
        "SELECT ct.contact_id, t.name FROM tag_cadences tc CROSS JOIN tags t ON t.name = tc.tag
           CROSS JOIN contact_tags ct ON ct.tag_id = t.id
          ORDER BY t.name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
            contacts[i].tags.push(r.get(1)?);
        }
    }
    Ok(contacts)
}

/// One cadence of their own that active contacts have, as stored and as read; those whose
/// text does not read have none (a tag's may apply: they are read with the tags').
struct OwnCadence {
    text: String,
    period: Period,
}

/// The distinct cadences of active contacts, one index seek each (a book has a handful).
fn own_cadences(conn: &Connection) -> Result<Vec<OwnCadence>> {
    let mut stmt = conn.prepare_cached(
        "SELECT min(cadence) FROM contacts INDEXED BY contacts_reconnect_from
          WHERE archived_at IS NULL AND cadence IS NOT NULL AND cadence > ?1",
    )?;
    let mut out = Vec::new();
    let mut after = String::new();
    // The empty text is no cadence (it does not read), and sorts first.
    while let Some(text) = stmt.query_row([&after], |r| r.get::<_, Option<String>>(0))? {
        if let Ok(period) = Period::parse(&text) {
            out.push(OwnCadence {
                text: text.clone(),
                period,
            });
        }
        after = text;
    }
    Ok(out)
}

/// The UTC days (`YYYY-MM-DD`, which sort before any time of theirs) bounding who may be due
/// with `cadence` (see [`counted_from_bounds`]); None: anyone.
fn bounds(cadence: &OwnCadence, today: NaiveDate) -> Option<(String, String)> {
    counted_from_bounds(cadence.period, today).map(|(lo, hi)| {
        (
            lo.format("%Y-%m-%d").to_string(),
            hi.format("%Y-%m-%d").to_string(),
        )
    })
}

/// What the agenda reads of a contact with a cadence of their own, in the order the
/// cadence counts from (last contact, else when added): `tail` adds conditions on the
/// moment counted from (`f`), with `values` after the cadence.
fn own_rows_where(
    conn: &Connection,
    cadence: &OwnCadence,
    tail: &str,
    values: &[&str],
    mut each: impl FnMut(AgendaContact) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.uid, c.display_name, c.created_at, c.last_contact_at
           FROM contacts c INDEXED BY contacts_reconnect_from
          WHERE c.archived_at IS NULL AND c.cadence = ?1 {tail}
          ORDER BY coalesce(c.last_contact_at, c.created_at), c.id"
    ))?;
    let params: Vec<&str> = std::iter::once(cadence.text.as_str())
        .chain(values.iter().copied())
        .collect();
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    while let Some(r) = rows.next()? {
        let contact = AgendaContact {
            contact: ContactRef {
                id: r.get(0)?,
                uid: r.get(1)?,
                name: r.get(2)?,
            },
            birthday: None,
            cadence: Some(cadence.period),
            tags: Vec::new(),
            created_at: parse_ts(text(r, 3)?.unwrap_or_default())?,
            last_contact_at: text(r, 4)?.map(parse_ts).transpose()?,
        };
        if !each(contact) {
            break;
        }
    }
    Ok(())
}

/// Everyone with `cadence` of their own who may be due on `today` (some are not: the agenda
/// tells).
fn own_cadence_rows(
    conn: &Connection,
    cadence: &OwnCadence,
    today: NaiveDate,
) -> Result<Vec<AgendaContact>> {
    let hi = bounds(cadence, today).map(|(_, hi)| hi);
    let mut out = Vec::new();
    match hi.as_deref() {
        Some(hi) => own_rows_where(
            conn,
            cadence,
            "AND coalesce(c.last_contact_at, c.created_at) < ?2",
            &[hi],
            |c| {
                out.push(c);
                true
            },
        )?,
        None => own_rows_where(conn, cadence, "", &[], |c| {
            out.push(c);
            true
        })?,
    }
    Ok(out)
}

/// How many contacts with `cadence` of their own are due to reconnect on `today`: those
/// surely due counted in the index, those near the bounds worked out one by one.
fn count_due<Tz: TimeZone>(
    conn: &Connection,
    cadence: &OwnCadence,
    today: NaiveDate,
    tz: &Tz,
) -> Result<usize> {
    let is_due =
        |c: &AgendaContact| due_on(c.last_contact_at, c.created_at, cadence.period, tz) <= today;
    let Some((lo, hi)) = bounds(cadence, today) else {
        let mut due = 0;
        own_rows_where(conn, cadence, "", &[], |c| {
            due += usize::from(is_due(&c));
            true
        })?;
        return Ok(due);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM contacts c INDEXED BY contacts_reconnect_from
          WHERE c.archived_at IS NULL AND c.cadence = ?1
            AND coalesce(c.last_contact_at, c.created_at) < ?2",
    )?;
    let mut due: usize = stmt
        .query_row([cadence.text.as_str(), lo.as_str()], |r| r.get::<_, i64>(0))?
        .try_into()
        .unwrap_or(0);
    own_rows_where(
        conn,
        cadence,
        "AND coalesce(c.last_contact_at, c.created_at) >= ?2
         AND coalesce(c.last_contact_at, c.created_at) < ?3",
        &[&lo, &hi],
        |c| {
            due += usize::from(is_due(&c));
            true
        },
    )?;
    Ok(due)
}

/// The first `n` contacts with `cadence` of their own due to reconnect on `today` (by the
/// day it ran out), with any whose day may tie with the `n`th: the rows are read in the
/// order the cadence counts from, until one whose day, a day's offset either way, is past.
fn first_due<Tz: TimeZone>(
    conn: &Connection,
    cadence: &OwnCadence,
    today: NaiveDate,
    tz: &Tz,
    n: usize,
) -> Result<Vec<AgendaContact>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let hi = bounds(cadence, today).map(|(_, hi)| hi);
    let mut out = Vec::new();
    // The latest day any of the first `n` ran out, once there are `n`.
    let mut nth: Option<NaiveDate> = None;
    let mut take = |c: AgendaContact| {
        let from = c.last_contact_at.unwrap_or(c.created_at);
        if let Some(nth) = nth {
            // Counted from two days earlier (in UTC), their day is still past the `n`th:
            // so is everyone's after them.
            let earliest = from
                .date_naive()
                .checked_sub_days(chrono::Days::new(2))
                .map(|d| cadence.period.add_to(d));
            if earliest.is_some_and(|d| d > nth) {
                return false;
            }
        }
        let day = due_on(c.last_contact_at, c.created_at, cadence.period, tz);
        if day <= today {
            out.push((day, c));
            if out.len() == n {
                nth = out.iter().map(|(d, _)| *d).max();
            }
        }
        true
    };
    match &hi {
        Some(hi) => own_rows_where(
            conn,
            cadence,
            "AND coalesce(c.last_contact_at, c.created_at) < ?2",
            &[hi.as_str()],
            &mut take,
        )?,
        None => own_rows_where(conn, cadence, "", &[], &mut take)?,
    }
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// The agenda's columns of the contacts `from_where` gives (an SQL tail on the alias `c`),
/// each with its name's sort key when `with_key`.
fn agenda_rows(
    conn: &Connection,
    from_where: &str,
    with_key: bool,
) -> Result<Vec<(Option<String>, AgendaContact)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.uid, c.display_name, c.birthday, c.cadence, c.created_at,
                c.last_contact_at{}
           {from_where}",
        if with_key { ", c.name_key" } else { "" }
    ))?;
    // A book has a handful of distinct cadences: each text is parsed once.
    let mut cadences: Vec<(String, Option<Period>)> = Vec::new();
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let cadence = match text(r, 4)? {
            None => None,
            Some(text) => match cadences.iter().find(|(t, _)| t == text) {
                Some((_, period)) => *period,
                None => {
                    // Unreadable values are skipped as the full listing skips them.
                    let period = Period::parse(text).ok();
                    cadences.push((text.to_string(), period));
                    period
                }
            },
        };
        let birthday = match text(r, 3)? {
            None => None,
            Some(b) => Birthday::parse(b).ok(),
        };
        let contact = AgendaContact {
            contact: ContactRef {
                id: r.get(0)?,
                uid: r.get(1)?,
                name: r.get(2)?,
            },
            birthday,
            cadence,
            tags: Vec::new(),
            created_at: parse_ts(text(r, 5)?.unwrap_or_default())?,
            // Kept by the triggers of migration 0011.
            last_contact_at: text(r, 6)?.map(parse_ts).transpose()?,
        };
        out.push((if with_key { r.get(7)? } else { None }, contact));
    }
    Ok(out)
}

/// Column `i` as text borrowed from the row (NULL: None), without a copy.
fn text<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset, TimeZone, Utc};
    use rusqlite::params;

    use super::*;
    use crate::agenda::{Agenda, build, first_follow_ups};
    use crate::store::{OpenMode, Store};

    /// A book of contacts with every kind of cadence (own, a tag's, one that does not read),
    /// counted from every moment around the bounds, birthdays, yearly dates, archived ones,
    /// and follow-ups due on days and at instants, some snoozed.
    fn book(seed: u64) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        let mut state = seed;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        let cadences = ["2w", "1m", "3m", "6m", "1y", "10d", "oops", "monthly"];
        let base = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let at = |secs: u64| {
            (base + chrono::Duration::seconds(secs as i64))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO tags (id, name) VALUES (1, 'client'), (2, 'friend'), (3, 'plain');
                     INSERT INTO tag_cadences VALUES ('client', '30d', '2026-01-01T00:00:00Z'),
                                                     ('friend', '2w', '2026-01-01T00:00:00Z');",
                )?;
                for id in 1..=400i64 {
                    let created = at(next(600 * 86_400));
                    let last = (next(4) > 0).then(|| at(next(700 * 86_400)));
                    let cadence = (next(3) > 0).then(|| cadences[next(8) as usize]);
                    let birthday = (next(8) == 0)
                        .then(|| format!("{}-{:02}-{:02}", 1950 + next(50), 1 + next(12), 1 + next(28)));
                    let archived = (next(20) == 0).then(|| at(0));
                    // Names repeat, so that ties are broken by id.
                    let name = format!("P{:02}", next(60));
                    tx.execute(
                        "INSERT INTO contacts (id, uid, display_name, name_key, created_at, updated_at,
                                               cadence, birthday, last_contact_at, archived_at)
                         VALUES (?1, ?2, ?3, lower(?3), ?4, ?4, ?5, ?6, ?7, ?8)",
                        params![id, format!("c{id}"), name, created, cadence, birthday, last, archived],
                    )?;
                    for tag in 1..=3 {
                        if next(5) == 0 {
                            tx.execute("INSERT INTO contact_tags VALUES (?1, ?2)", params![id, tag])?;
                        }
                    }
                    if next(15) == 0 {
                        tx.execute(
                            "INSERT INTO contact_dates (contact_id, label, date) VALUES (?1, 'renewal', ?2)",
                            params![id, format!("--{:02}-{:02}", 1 + next(12), 1 + next(28))],
                        )?;
                    }
                }
                for id in 1..=300i64 {
                    let day = base.date_naive() + chrono::Days::new(600 + next(120));
                    let due = if next(3) == 0 {
                        at((day - base.date_naive()).num_days() as u64 * 86_400 + next(86_400))
                    } else {
                        day.format("%Y-%m-%d").to_string()
                    };
                    let snoozed = (next(6) == 0).then(|| {
                        (day + chrono::Days::new(next(20))).format("%Y-%m-%d").to_string()
                    });
                    let done = (next(10) == 0).then(|| at(0));
                    tx.execute(
                        "INSERT INTO reminders (id, uid, contact_id, text, due, snoozed_until, done_at,
                                                created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                        params![id, format!("r{id}"), 1 + next(400) as i64, format!("task {id}"),
                                due, snoozed, done, at(0)],
                    )?;
                }
                Ok(())
            })
            .unwrap();
        (dir, store)
    }

    /// The agenda as it was computed before migration 0016: from every active contact with a
    /// cadence, a birthday, a yearly date or a tag with a cadence.
    fn reference<Tz: TimeZone>(conn: &Connection, now: DateTime<Utc>, tz: &Tz) -> Agenda {
        let mut contacts: Vec<AgendaContact> = agenda_rows(
            conn,
            "FROM contacts c WHERE c.archived_at IS NULL ORDER BY c.name_key, c.id",
            false,
        )
        .unwrap()
        .into_iter()
        .map(|(_, c)| c)
        .collect();
        let tags: Vec<(i64, String)> = conn
            .prepare(
                "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                  JOIN tag_cadences tc ON tc.tag = t.name ORDER BY t.name",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for c in &mut contacts {
            c.tags = (tags.iter())
                .filter(|(id, _)| *id == c.contact.id)
                .map(|(_, t)| t.clone())
                .collect();
        }
        let input = AgendaInput {
            follow_ups: open_follow_ups(conn, true).unwrap(),
            extras: open_extras(conn).unwrap(),
            contacts,
            tag_cadences: tag_cadences::list(conn).unwrap(),
            dates: contact_dates::by_contact(conn, None).unwrap(),
            organizations: Vec::new(),
        };
        build(&input, now, tz, 7)
    }

    #[test]
    fn the_agenda_read_by_index_ranges_is_the_agenda_of_everyone() {
        for seed in [1, 2, 3] {
            let (_dir, store) = book(seed);
            let conn = store.conn();
            for now in [
                "2026-06-01T10:00:00Z",
                "2026-08-24T23:30:00Z",
                "2026-09-30T00:10:00Z",
            ] {
                let now = DateTime::parse_from_rfc3339(now)
                    .unwrap()
                    .with_timezone(&Utc);
                for hours in [-12, -5, 0, 9, 14] {
                    let tz = FixedOffset::east_opt(hours * 3600).unwrap();
                    let today = now.with_timezone(&tz).date_naive();
                    let expected = reference(conn, now, &tz);
                    assert!(expected.reconnect.len() > 20, "a test worth running");
                    let got = build(&load(conn, today, &tz).unwrap(), now, &tz, 7);
                    assert_eq!(got, expected, "seed {seed}, {now}, {hours}h");

                    // The summary: the first of each group, and the counts.
                    let shown = 10;
                    let dues = open_dues(conn).unwrap();
                    let (counts, ids) = first_follow_ups(&dues, now, &tz, 7, shown);
                    assert_eq!(
                        counts,
                        [
                            expected.overdue.len(),
                            expected.today.len(),
                            expected.upcoming.len()
                        ]
                    );
                    let s = summary(conn, today, &tz, &ids, shown).unwrap();
                    let got = build(&s.input, now, &tz, 7);
                    let own = (expected.reconnect.iter())
                        .filter(|r| r.cadence_source == crate::agenda::CadenceSource::Contact)
                        .count();
                    assert_eq!(s.due_by_own_cadence, own);
                    for (got, expected) in [
                        (&got.overdue, &expected.overdue),
                        (&got.today, &expected.today),
                        (&got.upcoming, &expected.upcoming),
                    ] {
                        assert_eq!(got[..], expected[..shown.min(expected.len())]);
                    }
                    assert_eq!(got.dates, expected.dates);
                    // Past ALL_DUE_UP_TO, only the first few of each cadence are read.
                    for first in [1, 3, 10] {
                        let input = AgendaInput {
                            contacts: contacts(conn, today, &tz, Some(first)).unwrap(),
                            tag_cadences: tag_cadences::list(conn).unwrap(),
                            ..AgendaInput::default()
                        };
                        let got = build(&input, now, &tz, 7);
                        let n = first.min(expected.reconnect.len());
                        assert_eq!(
                            got.reconnect[..n],
                            expected.reconnect[..n],
                            "seed {seed}, {now}, {hours}h, first {first}"
                        );
                    }
                }
            }
        }
    }

    /// The follow-ups counted and read in part are grouped as when every one is read, in any
    /// time zone, with any horizon, whether or not archived contacts have some waiting.
    #[test]
    fn follow_ups_counted_by_index_ranges_are_grouped_as_when_all_are_read() {
        let (_dir, mut store) = book(5);
        for archived in [true, false] {
            if !archived {
                store
                    .write(|tx| Ok(tx.execute_batch("UPDATE contacts SET archived_at = NULL")?))
                    .unwrap();
            }
            let conn = store.conn();
            assert_eq!(
                !archived_with_open_follow_ups(conn).unwrap().is_empty(),
                archived
            );
            let dues = open_dues(conn).unwrap();
            for now in [
                "2026-09-01T01:00:00Z",
                "2026-10-15T23:30:00Z",
                "2026-12-30T12:00:00Z",
            ] {
                let now = DateTime::parse_from_rfc3339(now)
                    .unwrap()
                    .with_timezone(&Utc);
                for hours in [-11, 0, 13] {
                    let tz = FixedOffset::east_opt(hours * 3600).unwrap();
                    for (horizon, shown) in [(7, 10), (0, 0), (0, 1), (30, 3), (3, 500)] {
                        let expected = first_follow_ups(&dues, now, &tz, horizon, shown);
                        let got = follow_up_groups(conn, now, &tz, horizon, shown).unwrap();
                        assert_eq!(got, expected, "{now} {hours}h {horizon} {shown}");
                    }
                }
            }
        }
    }

    /// Every query of the agenda walks its index, never the table of contacts or
    /// follow-ups.
    #[test]
    fn the_agenda_reads_its_indexes_only() {
        let (_dir, store) = book(4);
        let conn = store.conn();
        let plan = |sql: &str| -> String {
            conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(["2w", "2026-01-01", "2026-02-01"], |r| {
                    r.get::<_, String>(3)
                })
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
                .join("\n")
        };
        for sql in [
            "SELECT c.id, c.uid, c.display_name, c.created_at, c.last_contact_at
               FROM contacts c INDEXED BY contacts_reconnect_from
              WHERE c.archived_at IS NULL AND c.cadence = ?1
                AND coalesce(c.last_contact_at, c.created_at) >= ?2
                AND coalesce(c.last_contact_at, c.created_at) < ?3
              ORDER BY coalesce(c.last_contact_at, c.created_at), c.id",
            "SELECT count(*), ?2, ?3 FROM contacts c INDEXED BY contacts_reconnect_from
              WHERE c.archived_at IS NULL AND c.cadence = ?1
                AND coalesce(c.last_contact_at, c.created_at) < ?2",
            "SELECT coalesce(snoozed_until, due), id, contact_id, ?1, ?2, ?3
               FROM reminders INDEXED BY reminders_open_by_effective_due
              WHERE done_at IS NULL",
        ] {
            let plan = plan(sql);
            assert!(plan.contains("COVERING INDEX"), "{sql}\n{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{sql}\n{plan}");
        }
    }
}
