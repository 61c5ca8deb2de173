//! Everything the agenda needs, read in a handful of queries whatever the counts, and only
//! for the contacts it can show: on a 100k-contact book most have no cadence, birthday or
//! yearly date, and their details and last interactions are never read. Who is due to
//! reconnect by their own cadence is a range of `contacts_reconnect_from` per cadence
//! (migration 0016): those whose cadence cannot have run out are never read, and
//! `kith today`'s summary counts the rest and reads only the first few.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use rusqlite::Connection;

use crate::agenda::{
    AgendaContact, AgendaInput, OrgCadence, counted_from_bounds, due_on, first_follow_ups,
};
use crate::error::Result;
use crate::model::{Birthday, ContactRef, Due, OrgRef, Period, Reminder, ReminderExtra};
use crate::store::reminders::{self, ReminderFilter, ReminderState};
use crate::store::{contact_dates, parse_ts, tag_cadences};

/// Open follow-ups (but those of archived contacts), the contacts the agenda can show from
/// `today` to `horizon` (a superset of those due to reconnect, with everyone who has a
/// yearly date or a birthday in those days), tag cadences and yearly dates.
pub fn load<Tz: TimeZone>(
    conn: &Connection,
    today: NaiveDate,
    horizon: NaiveDate,
    tz: &Tz,
) -> Result<AgendaInput> {
    let (follow_ups, extras) = load_follow_ups(conn)?;
    Ok(AgendaInput {
        follow_ups,
        extras,
        ..load_but_follow_ups(conn, today, horizon, tz)?
    })
}

/// [`load`]'s open follow-ups and their extras (the half of it that needs no contact).
#[allow(clippy::type_complexity)]
pub fn load_follow_ups(conn: &Connection) -> Result<(Vec<Reminder>, HashMap<i64, ReminderExtra>)> {
    Ok((open_follow_ups(conn, true)?, open_extras(conn)?))
}

/// [`load_follow_ups`] but for those due too far ahead to be listed (on `listed_before` or
/// later, see [`crate::agenda::listed_before`]) and, from the same pass over the follow-ups,
/// every contact's that could count for health from `since` on
/// ([`crate::store::health::all_follow_ups`]).
pub fn load_follow_ups_and_health(
    conn: &Connection,
    since: DateTime<Utc>,
    listed_before: NaiveDate,
) -> Result<(
    Vec<Reminder>,
    HashMap<i64, ReminderExtra>,
    crate::store::health::FollowUpsByContact,
)> {
    // Past year 9999 a day is written with a sign, which sorts before digits: all listed.
    let before = match listed_before.year() {
        0..=9999 => listed_before.format("%Y-%m-%d").to_string(),
        _ => "~".to_string(),
    };
    let (mut follow_ups, extras, for_health) =
        crate::store::health::open_and_all_follow_ups(conn, since, &before)?;
    let archived = archived_with_open_follow_ups(conn)?;
    follow_ups.retain(|r| r.contact.as_ref().is_none_or(|c| !archived.contains(&c.id)));
    Ok((follow_ups, extras, for_health))
}

/// [`load`] but for the follow-ups (none) and their extras: the contacts, tag cadences,
/// yearly dates and organizations.
pub fn load_but_follow_ups<Tz: TimeZone>(
    conn: &Connection,
    today: NaiveDate,
    horizon: NaiveDate,
    tz: &Tz,
) -> Result<AgendaInput> {
    Ok(AgendaInput {
        follow_ups: Vec::new(),
        extras: HashMap::new(),
        contacts: contacts(conn, today, horizon, tz, None)?,
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
    horizon: NaiveDate,
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
    let contacts = contacts(conn, today, horizon, tz, first)?;
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

/// The active contacts the agenda can show from `today` to `horizon`, each once: everyone
/// with a birthday on one of those days, a yearly date or a tag with a cadence, in name
/// order, then those with a cadence of their own that may have run out (a range of
/// `contacts_reconnect_from` per cadence), all of them or (`first`: Some(n)) only the first
/// `n` due of each cadence and those tied with them.
fn contacts<Tz: TimeZone>(
    conn: &Connection,
    today: NaiveDate,
    horizon: NaiveDate,
    tz: &Tz,
    first: Option<usize>,
) -> Result<Vec<AgendaContact>> {
    // Birthdays by their day (migration 0020): only those coming up are read. The rest (a
    // yearly date, or a cadence from a tag) are usually none or few, read by id; all are put
    // in order here, by the names' keys, someone found both ways once.
    let mut keyed = agenda_rows(
        conn,
        &format!(
            "FROM contacts c
              WHERE c.archived_at IS NULL AND c.birthday IS NOT NULL
                AND substr(c.birthday, -5) IN ({})",
            birthday_days(today, horizon)
        ),
        true,
    )?;
    let others = agenda_rows(
        conn,
        "FROM contacts c
          WHERE c.id IN (SELECT contact_id FROM contact_dates
                         UNION SELECT ct.contact_id FROM tag_cadences tc
                           CROSS JOIN tags t ON t.name = tc.tag
                           CROSS JOIN contact_tags ct ON ct.tag_id = t.id)
            AND c.archived_at IS NULL",
        true,
    )?;
    keyed.extend(others);
    // SQLite orders text by its bytes, as Rust does.
    keyed.sort_by(|(a, x), (b, y)| (a, x.contact.id).cmp(&(b, y.contact.id)));
    keyed.dedup_by_key(|(_, c)| c.contact.id);
    let mut contacts: Vec<AgendaContact> = keyed.into_iter().map(|(_, c)| c).collect();
    // Those read so far (few): someone with a cadence of their own is read once more only
    // when they are among them.
    let seen: foldhash::HashSet<i64> = contacts.iter().map(|c| c.contact.id).collect();
    for cadence in &own_cadences(conn)? {
        let fresh = |c: &AgendaContact| !seen.contains(&c.contact.id);
        match first {
            None => own_cadence_rows(conn, cadence, today, |c| {
                if fresh(&c) {
                    contacts.push(c);
                }
            })?,
            Some(n) => {
                let rows = first_due(conn, cadence, today, tz, n)?;
                contacts.extend(rows.into_iter().filter(fresh));
            }
        }
    }

    let index: foldhash::HashMap<i64, usize> = contacts
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
/// tells), each handed to `each`.
fn own_cadence_rows(
    conn: &Connection,
    cadence: &OwnCadence,
    today: NaiveDate,
    mut each: impl FnMut(AgendaContact),
) -> Result<()> {
    let hi = bounds(cadence, today).map(|(_, hi)| hi);
    let all = |c| {
        each(c);
        true
    };
    match hi.as_deref() {
        Some(hi) => own_rows_where(
            conn,
            cadence,
            "AND coalesce(c.last_contact_at, c.created_at) < ?2",
            &[hi],
            all,
        ),
        None => own_rows_where(conn, cadence, "", &[], all),
    }
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

/// The days of the year (`'MM-DD'`, quoted for SQL) on which a birthday occurs from `today`
/// to `horizon`: a birthday on 29 February occurs on the 28th in other years, so that day
/// brings it in too (the agenda keeps only those that do occur). A horizon a year or more
/// ahead takes every day.
fn birthday_days(today: NaiveDate, horizon: NaiveDate) -> String {
    let mut days: Vec<String> = today
        .iter_days()
        .take_while(|day| *day <= horizon)
        .take(367)
        .map(|day| format!("'{}'", day.format("%m-%d")))
        .collect();
    if days.iter().any(|day| day == "'02-28'") {
        days.push("'02-29'".to_string());
    }
    days.join(", ")
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
mod tests;
