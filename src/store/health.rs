//! What health scores are computed from, read in a few set-wise queries whatever the count:
//! the contacts wanted (when added, their own cadence, their tags that carry one), every
//! interaction of theirs as a [`Touch`] (from `contact_touches`, one row a contact) and their
//! follow-ups that may have been overdue at some moment since a given time.
//!
//! `contact_touches` holds interaction times as UTC seconds since schema 18 (compact
//! records), any other as stored (UTC RFC 3339 with seconds, `2026-11-21T10:00:00Z`, read
//! without allocating; chrono only for anything else a hand edit stored).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::Store;
use super::contacts::ContactFilter;
use crate::error::Result;
use crate::health::{FollowUpState, Touch};
use crate::model::{ContactRef, Due, Period};

/// A contact as health needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthContact {
    pub contact: ContactRef,
    pub organization_id: Option<i64>,
    /// When added (UTC seconds).
    pub added_at: i64,
    pub own_cadence: Option<Period>,
    /// Their tags that have a cadence, by name.
    pub cadence_tags: Vec<String>,
}

/// Each contact matching `filter`, in name order, as `finish` makes them with what `score`
/// made of their interactions (oldest first) and their follow-ups that could count at any
/// moment from `since` on (open then or later).
///
/// Their interactions come from `contact_touches` (migration 0015), one row per contact
/// holding all of theirs: the whole book is one pass of 100k rows, a tag or an organization
/// the rows of just their contacts. Each row is scored as it is read, so a contact's
/// interactions are held only while they are scored, never the book's million at once. A
/// large whole book is read and scored in two halves by id, the upper one on a second
/// thread with a connection of its own (see [`every_contact`]).
pub fn score_each<T: Send, U: Send>(
    store: &Store,
    filter: &ContactFilter,
    since: DateTime<Utc>,
    score: impl Fn(&HealthContact, &[Touch], &[FollowUpState]) -> T + Sync,
    finish: impl Fn(HealthContact, T) -> U + Sync,
) -> Result<Vec<U>> {
    let conn = store.conn();
    let whole_book =
        filter.tag.is_none() && filter.organization_id.is_none() && filter.ids.is_none();
    if whole_book {
        return every_contact(store, filter, since, &score, &finish, TWO_THREADS_FROM);
    }
    if let (Some(org), None, None) = (filter.organization_id, &filter.tag, &filter.ids) {
        return score_organization(conn, org, filter.archived, since, &score, &finish);
    }
    let (where_sql, values) = filter.where_clause();
    let contacts = contacts(conn, &where_sql, &values)?;
    let follow_ups = follow_ups(conn, &where_sql, &values, since)?;
    let follow_ups_of =
        |c: &HealthContact| follow_ups.get(&c.contact.id).map_or(&[][..], Vec::as_slice);
    let index: HashMap<i64, u32> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i as u32))
        .collect();
    let sql = format!(
        "SELECT t.contact_id, t.touches FROM contact_touches t
          WHERE t.contact_id IN (SELECT c.id FROM contacts c WHERE {where_sql})"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let mut scored: Vec<Option<T>> = std::iter::repeat_with(|| None)
        .take(contacts.len())
        .collect();
    let mut touches = Vec::new();
    while let Some(r) = rows.next()? {
        let Some(&i) = index.get(&r.get::<_, i64>(0)?) else {
            continue;
        };
        touches.clear();
        read_touches(bytes(r, 1)?, &mut touches)?;
        let c = &contacts[i as usize];
        scored[i as usize] = Some(score(c, &touches, follow_ups_of(c)));
    }
    Ok(contacts
        .into_iter()
        .zip(scored)
        .map(|(c, s)| {
            // Never contacted: no row.
            let s = s.unwrap_or_else(|| score(&c, &[], follow_ups_of(&c)));
            finish(c, s)
        })
        .collect())
}

/// From this span of ids on, the whole book is read on two threads.
const TWO_THREADS_FROM: i64 = 20_000;

/// The contacts of the whole book (`filter` says only whether the archived are in), scored
/// by halves of their ids: the lower on this thread, the upper on a second one with its own
/// connection (WAL lets both read at once; each half is one range scan of `contacts`, of
/// `contact_touches` and of the follow-ups, joined by id as they come). The name order is
/// one pass over the name index meanwhile, and each scored contact is put in its place.
fn every_contact<T: Send, U: Send>(
    store: &Store,
    filter: &ContactFilter,
    since: DateTime<Utc>,
    score: &(impl Fn(&HealthContact, &[Touch], &[FollowUpState]) -> T + Sync),
    finish: &(impl Fn(HealthContact, T) -> U + Sync),
    two_threads_from: i64,
) -> Result<Vec<U>> {
    let conn = store.conn();
    let (lo, hi): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT (SELECT min(id) FROM contacts), (SELECT max(id) FROM contacts)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(Vec::new());
    };
    let (where_sql, values) = filter.where_clause();
    let range = |conn: &Connection, from: i64, to: i64| {
        scored_range(conn, &where_sql, &values, (from, to), since, score, finish)
    };
    let split = hi.saturating_sub(lo) >= two_threads_from;
    let (lower, upper, places) = if split {
        // This thread also reads the name order: it takes a little less than half.
        // (In i128: ids may be anywhere in i64.)
        let mid = (i128::from(lo) + (i128::from(hi) - i128::from(lo)) * 9 / 20) as i64;
        let second = store.reader()?;
        let range = &range;
        std::thread::scope(|s| {
            let upper = s.spawn(move || range(&second, mid + 1, hi));
            let lower = range(conn, lo, mid);
            let places = name_places(conn, lo, hi);
            let upper = upper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (lower, upper, places)
        })
    } else {
        (
            range(conn, lo, hi),
            Ok(Vec::new()),
            name_places(conn, lo, hi),
        )
    };
    let (lower, upper, places) = (lower?, upper?, places?);
    let mut slots: Vec<Option<U>> = std::iter::repeat_with(|| None).take(places.count).collect();
    // A contact added since the name index was read (none, unless another kith writes
    // meanwhile) goes last.
    let mut unplaced = Vec::new();
    for (id, u) in lower.into_iter().chain(upper) {
        match places.of(id).and_then(|p| slots.get_mut(p)) {
            Some(slot) => *slot = Some(u),
            None => unplaced.push(u),
        }
    }
    Ok(slots.into_iter().flatten().chain(unplaced).collect())
}

/// The contacts with ids in `from..=to` matching `where_sql`, in id order, each as `finish`
/// makes them with what `score` made of them, with their ids.
#[allow(clippy::too_many_arguments)]
fn scored_range<T, U>(
    conn: &Connection,
    where_sql: &str,
    values: &[Value],
    (from, to): (i64, i64),
    since: DateTime<Utc>,
    score: &impl Fn(&HealthContact, &[Touch], &[FollowUpState]) -> T,
    finish: &impl Fn(HealthContact, T) -> U,
) -> Result<Vec<(i64, U)>> {
    let in_range = format!("{where_sql} AND c.id BETWEEN ? AND ?");
    let mut all = values.to_vec();
    all.extend([Value::Integer(from), Value::Integer(to)]);
    let mut contacts = range_contacts(conn, &in_range, &all)?;
    // Their tags that carry a cadence, by name.
    let mut stmt = conn.prepare_cached(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
           JOIN tag_cadences tc ON tc.tag = t.name WHERE ct.contact_id BETWEEN ?1 AND ?2
          ORDER BY t.name",
    )?;
    let mut rows = stmt.query([from, to])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if let Ok(i) = contacts.binary_search_by_key(&id, |c| c.contact.id) {
            contacts[i].cadence_tags.push(r.get(1)?);
        }
    }
    // By contact id alone: the contacts left out (archived) are never asked about.
    let range = [Value::Integer(from), Value::Integer(to)];
    let follow_ups = follow_ups_where(conn, "", "r.contact_id BETWEEN ? AND ?", &range, since)?;
    let scored = |c: HealthContact, touches: &[Touch]| {
        let id = c.contact.id;
        let theirs = follow_ups.get(&id).map_or(&[][..], Vec::as_slice);
        let s = score(&c, touches, theirs);
        (id, finish(c, s))
    };
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, touches FROM contact_touches WHERE contact_id BETWEEN ?1 AND ?2
          ORDER BY contact_id",
    )?;
    let mut rows = stmt.query([from, to])?;
    let mut out = Vec::with_capacity(contacts.len());
    let mut pending = contacts.into_iter().peekable();
    let mut touches = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        // Never contacted: no row.
        while let Some(c) = pending.next_if(|c| c.contact.id < id) {
            out.push(scored(c, &[]));
        }
        if let Some(c) = pending.next_if(|c| c.contact.id == id) {
            touches.clear();
            read_touches(bytes(r, 1)?, &mut touches)?;
            out.push(scored(c, &touches));
        }
    }
    out.extend(pending.map(|c| scored(c, &[])));
    Ok(out)
}

/// The contacts matching `where_sql` (over `contacts c`), in id order, without their tags.
fn range_contacts(
    conn: &Connection,
    where_sql: &str,
    values: &[Value],
) -> Result<Vec<HealthContact>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.uid, c.display_name, c.organization_id, c.created_at, c.cadence
           FROM contacts c WHERE {where_sql} ORDER BY c.id"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(health_contact(r)?);
    }
    Ok(out)
}

/// A contact from a row of id, UID, name, organization, when added and cadence; its
/// strings read without rusqlite's conversions (a hundred thousand rows).
fn health_contact(r: &rusqlite::Row<'_>) -> Result<HealthContact> {
    Ok(HealthContact {
        contact: ContactRef {
            id: r.get(0)?,
            uid: text(r, 1)?.to_owned(),
            name: text(r, 2)?.to_owned(),
        },
        organization_id: r.get(3)?,
        added_at: secs(text(r, 4)?)?,
        // An unreadable stored cadence is left out, as everywhere else.
        own_cadence: opt_text(r, 5)?.and_then(|c| Period::parse(c).ok()),
        cadence_tags: Vec::new(),
    })
}

/// Where each contact comes in name order (by key, then id), from one pass over the name
/// index (key and id only) instead of sorting 100k names here.
struct Places {
    /// By id less `lo` when the ids are few enough for a table, else by id.
    dense: Vec<u32>,
    lo: i64,
    sparse: HashMap<i64, u32>,
    /// How many places: the contacts in the index.
    count: usize,
}

impl Places {
    fn of(&self, id: i64) -> Option<usize> {
        let place = if self.dense.is_empty() {
            *self.sparse.get(&id)?
        } else {
            *self
                .dense
                .get(usize::try_from(id.checked_sub(self.lo)?).ok()?)?
        };
        (place != u32::MAX).then_some(place as usize)
    }
}

/// Up to this span of ids (16 MB), the places are a table by id.
const DENSE_PLACES: i64 = 4 << 20;

fn name_places(conn: &Connection, lo: i64, hi: i64) -> Result<Places> {
    let span = hi.saturating_sub(lo).saturating_add(1);
    let mut places = Places {
        dense: Vec::new(),
        lo,
        sparse: HashMap::new(),
        count: 0,
    };
    if span <= DENSE_PLACES {
        places.dense = vec![u32::MAX; span as usize];
    }
    let mut stmt = conn
        .prepare("SELECT id FROM contacts INDEXED BY contacts_by_name_key ORDER BY name_key, id")?;
    let mut ids = stmt.query([])?;
    let mut place = 0u32;
    while let Some(r) = ids.next()? {
        let id: i64 = r.get(0)?;
        if places.dense.is_empty() {
            places.sparse.insert(id, place);
        } else if let Some(slot) = id
            .checked_sub(lo)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| places.dense.get_mut(i))
        {
            *slot = place;
        } else {
            continue; // added since the ends were read: goes last
        }
        place += 1;
    }
    places.count = place as usize;
    Ok(places)
}

/// Follow-ups by their contact's id (looked up, never walked: any order).
pub type FollowUpsByContact = foldhash::HashMap<i64, Vec<FollowUpState>>;

/// One contact's interactions, oldest first.
pub fn touches_of(conn: &Connection, id: i64) -> Result<Vec<Touch>> {
    let mut stmt =
        conn.prepare_cached("SELECT touches FROM contact_touches WHERE contact_id = ?1")?;
    let mut rows = stmt.query([id])?;
    let mut touches = Vec::new();
    if let Some(r) = rows.next()? {
        read_touches(bytes(r, 0)?, &mut touches)?;
    }
    Ok(touches)
}

/// One contact's follow-ups that could count from `since` on.
pub fn follow_ups_of(
    conn: &Connection,
    id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<FollowUpState>> {
    let values = [Value::Integer(id)];
    Ok(follow_ups(conn, "c.id = ?", &values, since)?
        .remove(&id)
        .unwrap_or_default())
}

/// The contacts matching `where_sql` (a tag, an organization, some ids), in name order.
fn contacts(conn: &Connection, where_sql: &str, values: &[Value]) -> Result<Vec<HealthContact>> {
    let sql = format!(
        "SELECT c.id, c.uid, c.display_name, c.organization_id, c.created_at, c.cadence,
                c.name_key
           FROM contacts c WHERE {where_sql}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let mut keyed = Vec::new();
    while let Some(r) = rows.next()? {
        let key: String = r.get(6)?;
        keyed.push((key, health_contact(r)?));
    }
    keyed.sort_unstable_by(|(a, x), (b, y)| a.cmp(b).then(x.contact.id.cmp(&y.contact.id)));
    let mut out: Vec<HealthContact> = keyed.into_iter().map(|(_, c)| c).collect();
    let index: HashMap<i64, usize> = out
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i))
        .collect();
    // Only the wanted contacts'.
    let mut stmt = conn.prepare(&format!(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
           JOIN tag_cadences tc ON tc.tag = t.name
          WHERE ct.contact_id IN (SELECT c.id FROM contacts c WHERE {where_sql})
          ORDER BY t.name"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
            out[i].cadence_tags.push(r.get(1)?);
        }
    }
    Ok(out)
}

/// Every contact's follow-ups that could count from `since` on, by contact: for scoring
/// thousands of contacts by id (the agenda's people to reconnect with), one pass over the
/// follow-ups instead of a long `IN`.
pub fn all_follow_ups(conn: &Connection, since: DateTime<Utc>) -> Result<FollowUpsByContact> {
    follow_ups_where(conn, "", "r.contact_id IS NOT NULL", &[], since)
}

/// [`all_follow_ups`], and the open follow-ups as [`super::reminders::list`] reads them with
/// their extras, from one pass over the table ([`super::reminders::open_and_since`]; those
/// due `listed_before` or later by their text only for health): the agenda wants them all.
#[allow(clippy::type_complexity)]
pub fn open_and_all_follow_ups(
    conn: &Connection,
    since: DateTime<Utc>,
    listed_before: &str,
) -> Result<(
    Vec<crate::model::Reminder>,
    HashMap<i64, crate::model::ReminderExtra>,
    FollowUpsByContact,
)> {
    // Room for them all made once: no more are open, nor people with one, than there are.
    let open = super::reminders::count(conn)?.min(super::reminders::OPEN_ROOM_UP_TO);
    let mut by_contact =
        FollowUpsByContact::with_capacity_and_hasher(open, foldhash::fast::RandomState::default());
    let (open, extras) = super::reminders::open_and_since(
        conn,
        since,
        listed_before,
        open,
        |contact_id, due, created, done| {
            if let Some(state) = follow_up_state(due, created, done)? {
                // Most people have one: room for one, not the four a first push makes.
                by_contact
                    .entry(contact_id)
                    .or_insert_with(|| Vec::with_capacity(1))
                    .push(state);
            }
            Ok(())
        },
    )?;
    Ok((open, extras, by_contact))
}

/// A follow-up as health reads it from its stored fields; none when its due date is
/// unreadable (the agenda skips it too).
fn follow_up_state(due: &str, created: &str, done: Option<&str>) -> Result<Option<FollowUpState>> {
    let Some(due) = Due::from_db(due) else {
        return Ok(None);
    };
    let done_at = match done {
        Some(t) => Some(secs(t)?),
        None => None,
    };
    Ok(Some(FollowUpState {
        due,
        created_at: secs(created)?,
        done_at,
    }))
}

/// Follow-ups about the contacts matching `where_sql` that were made by now and were still
/// open at `since` or later, by contact.
fn follow_ups(
    conn: &Connection,
    where_sql: &str,
    values: &[Value],
    since: DateTime<Utc>,
) -> Result<FollowUpsByContact> {
    follow_ups_where(
        conn,
        "JOIN contacts c ON c.id = r.contact_id",
        where_sql,
        values,
        since,
    )
}

/// [`follow_ups`] of the reminders `r` (`join`ed with what `where_sql` asks about).
fn follow_ups_where(
    conn: &Connection,
    join: &str,
    where_sql: &str,
    values: &[Value],
    since: DateTime<Utc>,
) -> Result<FollowUpsByContact> {
    let sql = format!(
        "SELECT r.contact_id, coalesce(r.snoozed_until, r.due), r.created_at, r.done_at
           FROM reminders r {join}
          WHERE (r.done_at IS NULL OR r.done_at >= ?) AND {where_sql}"
    );
    let mut all = vec![Value::Text(super::ts(since))];
    all.extend(values.iter().cloned());
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(all.iter()))?;
    let mut out = FollowUpsByContact::default();
    while let Some(r) = rows.next()? {
        let Some(due) = Due::from_db(text(r, 1)?) else {
            continue; // unreadable: the agenda skips it too
        };
        let done_at = match opt_text(r, 3)? {
            Some(t) => Some(secs(t)?),
            None => None,
        };
        out.entry(r.get(0)?).or_default().push(FollowUpState {
            due,
            created_at: secs(text(r, 2)?)?,
            done_at,
        });
    }
    Ok(out)
}

/// Column `i`'s bytes, without checking that they are text nor copying them.
fn bytes<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    r.get_ref(i)?.as_bytes().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

/// Column `i` as text, without copying it.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    opt_text(r, i)?.ok_or(rusqlite::Error::InvalidColumnType(
        i,
        "NULL".into(),
        rusqlite::types::Type::Null,
    ))
}

fn opt_text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

mod touches;

#[cfg(test)]
use touches::plain_utc_secs;
use touches::{read_touches, secs};

mod batches;
pub use batches::TouchBatches;

mod organization;
pub use organization::{
    SeenRow, organization_follow_ups, score_organization, score_organization_before_follow_ups,
};

#[cfg(test)]
mod tests;
