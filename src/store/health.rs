//! What health scores are computed from, read in a few set-wise queries whatever the count:
//! the contacts wanted (when added, their own cadence, their tags that carry one), every
//! interaction of theirs as a [`Touch`] (from `contact_touches`, one row a contact) and their
//! follow-ups that may have been overdue at some moment since a given time.
//!
//! Interaction times are stored as UTC RFC 3339 with seconds (`2026-11-21T10:00:00Z`); they
//! are read without allocating, with chrono only for anything else a hand edit stored.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::contacts::ContactFilter;
use super::{contact_touches, parse_ts};
use crate::error::Result;
use crate::health::{FollowUpState, Touch};
use crate::model::{Channel, ContactRef, Direction, Due, Period};

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
/// interactions are held only while they are scored, never the book's million at once.
pub fn score_each<T, U>(
    conn: &Connection,
    filter: &ContactFilter,
    since: DateTime<Utc>,
    mut score: impl FnMut(&HealthContact, &[Touch], &[FollowUpState]) -> T,
    mut finish: impl FnMut(HealthContact, T) -> U,
) -> Result<Vec<U>> {
    let (where_sql, values) = filter.where_clause();
    let whole_book =
        filter.tag.is_none() && filter.organization_id.is_none() && filter.ids.is_none();
    let contacts = contacts(conn, &where_sql, &values, whole_book)?;
    let follow_ups = follow_ups(conn, &where_sql, &values, since)?;
    let follow_ups_of =
        |c: &HealthContact| follow_ups.get(&c.contact.id).map_or(&[][..], Vec::as_slice);
    let index: HashMap<i64, u32> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i as u32))
        .collect();
    let sql = if whole_book {
        "SELECT contact_id, touches FROM contact_touches".to_string()
    } else {
        format!(
            "SELECT t.contact_id, t.touches FROM contact_touches t
              WHERE t.contact_id IN (SELECT c.id FROM contacts c WHERE {where_sql})"
        )
    };
    let values: &[Value] = if whole_book { &[] } else { &values[..] };
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
        read_touches(text(r, 1)?, &mut touches)?;
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

/// The interactions of one `contact_touches` row appended to `out`, oldest first (those at
/// the same moment in interaction order, as stored).
fn read_touches(stored: &str, out: &mut Vec<Touch>) -> Result<()> {
    let start = out.len();
    for touch in contact_touches::each(stored) {
        let (at, channel, direction) = touch?;
        out.push(Touch {
            at: secs(at)?,
            channel: stored_channel(channel),
            direction: direction.and_then(Direction::parse),
        });
    }
    let theirs = &mut out[start..];
    if !theirs.is_sorted_by_key(|t| t.at) {
        theirs.sort_by_key(|t| t.at);
    }
    Ok(())
}

/// One contact's interactions, oldest first.
pub fn touches_of(conn: &Connection, id: i64) -> Result<Vec<Touch>> {
    let mut stmt =
        conn.prepare_cached("SELECT touches FROM contact_touches WHERE contact_id = ?1")?;
    let mut rows = stmt.query([id])?;
    let mut touches = Vec::new();
    if let Some(r) = rows.next()? {
        read_touches(text(r, 0)?, &mut touches)?;
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

/// The contacts matching `where_sql`, in name order. For the whole book, one pass over the
/// table and a sort here: walking the name index costs a random row read per contact.
fn contacts(
    conn: &Connection,
    where_sql: &str,
    values: &[Value],
    whole_book: bool,
) -> Result<Vec<HealthContact>> {
    let not_indexed = if whole_book { "NOT INDEXED" } else { "" };
    // The whole book's order comes from the name index: its keys need not be read here.
    let key = if whole_book { "''" } else { "c.name_key" };
    let sql = format!(
        "SELECT c.id, c.uid, c.display_name, c.organization_id, c.created_at, c.cadence, {key}
           FROM contacts c {not_indexed} WHERE {where_sql}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let mut keyed = Vec::new();
    while let Some(r) = rows.next()? {
        let cadence: Option<String> = r.get(5)?;
        let key: String = r.get(6)?;
        keyed.push((
            key,
            HealthContact {
                contact: ContactRef {
                    id: r.get(0)?,
                    uid: r.get(1)?,
                    name: r.get(2)?,
                },
                organization_id: r.get(3)?,
                added_at: secs(text(r, 4)?)?,
                // An unreadable stored cadence is left out, as everywhere else.
                own_cadence: cadence.and_then(|c| Period::parse(&c).ok()),
                cadence_tags: Vec::new(),
            },
        ));
    }
    // The keys are sorted with their rows' places, and each row moved once.
    let (keys, rows): (Vec<String>, Vec<HealthContact>) = keyed.into_iter().unzip();
    let order = if whole_book {
        name_order(conn, &rows)?
    } else {
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            keys[a]
                .cmp(&keys[b])
                .then(rows[a].contact.id.cmp(&rows[b].contact.id))
        });
        order
    };
    let mut rows: Vec<Option<HealthContact>> = rows.into_iter().map(Some).collect();
    let mut out: Vec<HealthContact> = order
        .iter()
        .filter_map(|&i| rows[i as usize].take())
        .collect();
    let index: HashMap<i64, usize> = out
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i))
        .collect();
    // Only the wanted contacts' (a filter's few, or everyone's in one pass).
    let wanted = if whole_book {
        String::new()
    } else {
        format!("WHERE ct.contact_id IN (SELECT c.id FROM contacts c WHERE {where_sql})")
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
           JOIN tag_cadences tc ON tc.tag = t.name {wanted}
          ORDER BY t.name"
    ))?;
    let values: &[Value] = if whole_book { &[] } else { values };
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
            out[i].cadence_tags.push(r.get(1)?);
        }
    }
    Ok(out)
}

/// The places of `rows` in name order (by key, then id), read from the name index: one pass
/// over it (key and id only) instead of sorting 100k names here.
fn name_order(conn: &Connection, rows: &[HealthContact]) -> Result<Vec<u32>> {
    let place: HashMap<i64, u32> = rows
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i as u32))
        .collect();
    let mut stmt = conn
        .prepare("SELECT id FROM contacts INDEXED BY contacts_by_name_key ORDER BY name_key, id")?;
    let mut ids = stmt.query([])?;
    let mut order = Vec::with_capacity(rows.len());
    while let Some(r) = ids.next()? {
        if let Some(&i) = place.get(&r.get::<_, i64>(0)?) {
            order.push(i);
        }
    }
    Ok(order)
}

/// Follow-ups about the contacts matching `where_sql` that were made by now and were still
/// open at `since` or later, by contact.
fn follow_ups(
    conn: &Connection,
    where_sql: &str,
    values: &[Value],
    since: DateTime<Utc>,
) -> Result<HashMap<i64, Vec<FollowUpState>>> {
    let sql = format!(
        "SELECT r.contact_id, coalesce(r.snoozed_until, r.due), r.created_at, r.done_at
           FROM reminders r JOIN contacts c ON c.id = r.contact_id
          WHERE (r.done_at IS NULL OR r.done_at >= ?) AND {where_sql}"
    );
    let mut all = vec![Value::Text(super::ts(since))];
    all.extend(values.iter().cloned());
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(all.iter()))?;
    let mut out: HashMap<i64, Vec<FollowUpState>> = HashMap::new();
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

/// A channel as kith stores it; anything else is read the forgiving way.
fn stored_channel(s: &str) -> Channel {
    match s {
        "call" => Channel::Call,
        "email" => Channel::Email,
        "meeting" => Channel::Meeting,
        "video" => Channel::Video,
        "message" => Channel::Message,
        "social" => Channel::Social,
        "letter" => Channel::Letter,
        "note" => Channel::Note,
        "other" => Channel::Other,
        _ => s.parse().unwrap_or(Channel::Other),
    }
}

/// UTC seconds of a stored time: `YYYY-MM-DDTHH:MM:SSZ` read directly, else by chrono.
fn secs(s: &str) -> Result<i64> {
    if let Some(t) = plain_utc_secs(s.as_bytes()) {
        return Ok(t);
    }
    Ok(parse_ts(s)?.timestamp())
}

fn plain_utc_secs(b: &[u8]) -> Option<i64> {
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    for i in DIGITS {
        if !b[i].is_ascii_digit() {
            return None;
        }
    }
    let n = |i: usize| i64::from(b[i] - b'0');
    let y = n(0) * 1000 + n(1) * 100 + n(2) * 10 + n(3);
    let (m, d) = (n(5) * 10 + n(6), n(8) * 10 + n(9));
    let (hh, mm, ss) = (n(11) * 10 + n(12), n(14) * 10 + n(15), n(17) * 10 + n(18));
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{OpenMode, Store};

    fn plan(conn: &Connection, sql: &str) -> String {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
            .join("\n")
    }

    /// The whole book is one plain scan of `contact_touches`, never a sort nor a lookup per
    /// row; a tag or an organization reads just their contacts' rows.
    #[test]
    fn the_passes_read_in_order_without_sorting() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let conn = store.conn();
        for sql in [
            "SELECT contact_id, touches FROM contact_touches",
            "SELECT c.id FROM contacts c NOT INDEXED WHERE c.archived_at IS NULL",
            "SELECT id FROM contacts INDEXED BY contacts_by_name_key ORDER BY name_key, id",
        ] {
            let plan = plan(conn, sql);
            assert!(!plan.contains("TEMP B-TREE"), "{sql}: {plan}");
            assert!(plan.starts_with("SCAN"), "{sql}: {plan}");
        }
        let some = plan(
            conn,
            "SELECT t.contact_id, t.touches FROM contact_touches t
              WHERE t.contact_id IN (SELECT c.id FROM contacts c WHERE c.organization_id = 1)",
        );
        assert!(some.contains("USING INTEGER PRIMARY KEY"), "{some}");
    }

    #[test]
    fn stored_times_read_directly_agree_with_chrono() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2026-11-21T10:00:00Z",
            "2024-02-29T23:59:59Z",
            "1999-12-31T12:30:05Z",
        ] {
            assert_eq!(
                plain_utc_secs(s.as_bytes()),
                Some(parse_ts(s).unwrap().timestamp())
            );
        }
        assert_eq!(plain_utc_secs(b"2026-11-21T10:00:00+01:00"), None);
        assert_eq!(
            secs("2026-11-21T10:00:00+01:00").unwrap(),
            parse_ts("2026-11-21T09:00:00Z").unwrap().timestamp()
        );
    }
}
