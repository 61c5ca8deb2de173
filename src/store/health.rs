//! What health scores are computed from, read in a few set-wise queries whatever the count:
//! the contacts wanted (when added, their own cadence, their tags that carry one), every
//! interaction of theirs as a [`Touch`] (one pass over the participations, grouped by contact)
//! and their follow-ups that may have been overdue at some moment since a given time.
//!
//! Interaction times are stored as UTC RFC 3339 with seconds (`2026-11-21T10:00:00Z`); they
//! are read without allocating, with chrono only for anything else a hand edit stored.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::contacts::ContactFilter;
use super::parse_ts;
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

/// The inputs of many contacts' scores: `touches[ranges[i]]` are `contacts[i]`'s interactions,
/// oldest first.
#[derive(Debug, Default)]
pub struct HealthRecords {
    pub contacts: Vec<HealthContact>,
    pub touches: Vec<Touch>,
    pub ranges: Vec<std::ops::Range<usize>>,
    pub follow_ups: HashMap<i64, Vec<FollowUpState>>,
}

/// The records of the contacts matching `filter`, in name order, with the follow-ups that
/// could count at any moment from `since` on (open then or later).
///
/// The whole book is read in two sequential passes — every interaction in id order, every
/// participation in interaction order — merged in Rust: a lookup of each participation's
/// interaction (a random read per row) costs several times more at a million. A tag or an
/// organization walks the participations of just their contacts instead.
pub fn records(
    conn: &Connection,
    filter: &ContactFilter,
    since: DateTime<Utc>,
) -> Result<HealthRecords> {
    let (where_sql, values) = filter.where_clause();
    let whole_book =
        filter.tag.is_none() && filter.organization_id.is_none() && filter.ids.is_none();
    let contacts = contacts(conn, &where_sql, &values, whole_book)?;
    let index: HashMap<i64, u32> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i as u32))
        .collect();
    let pairs = if whole_book {
        every_touch(conn, &index)?
    } else {
        touches_of_some(conn, &where_sql, &values, &index)?
    };
    let (touches, ranges) = group(pairs, contacts.len());
    let follow_ups = follow_ups(conn, &where_sql, &values, since)?;
    Ok(HealthRecords {
        contacts,
        touches,
        ranges,
        follow_ups,
    })
}

/// Every participation of a contact in `index`, with its interaction: both tables read in
/// interaction order and merged.
fn every_touch(conn: &Connection, index: &HashMap<i64, u32>) -> Result<Vec<(u32, Touch)>> {
    let mut interactions: Vec<(i64, Touch)> = Vec::new();
    let mut stmt =
        conn.prepare("SELECT id, occurred_at, channel, direction FROM interactions ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        interactions.push((r.get(0)?, touch_of_row(r, 1)?));
    }
    let mut pairs = Vec::with_capacity(interactions.len() * 11 / 10);
    let mut stmt = conn.prepare(
        "SELECT interaction_id, contact_id FROM interaction_participants ORDER BY interaction_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut at = 0;
    while let Some(r) = rows.next()? {
        let interaction: i64 = r.get(0)?;
        let Some(&contact) = index.get(&r.get::<_, i64>(1)?) else {
            continue;
        };
        while interactions
            .get(at)
            .is_some_and(|(id, _)| *id < interaction)
        {
            at += 1;
        }
        if let Some((id, touch)) = interactions.get(at)
            && *id == interaction
        {
            pairs.push((contact, *touch));
        }
    }
    Ok(pairs)
}

/// The participations of the contacts matching `where_sql`, walked by contact.
fn touches_of_some(
    conn: &Connection,
    where_sql: &str,
    values: &[Value],
    index: &HashMap<i64, u32>,
) -> Result<Vec<(u32, Touch)>> {
    let sql = format!(
        "SELECT p.contact_id, i.occurred_at, i.channel, i.direction
           FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
          WHERE p.contact_id IN (SELECT c.id FROM contacts c WHERE {where_sql})"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let mut pairs = Vec::new();
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
            pairs.push((i, touch_of_row(r, 1)?));
        }
    }
    Ok(pairs)
}

/// The touches of `n` contacts laid out contact after contact (a counting sort), each
/// contact's oldest first, and the range of each.
fn group(pairs: Vec<(u32, Touch)>, n: usize) -> (Vec<Touch>, Vec<std::ops::Range<usize>>) {
    let mut starts = vec![0usize; n + 1];
    for (c, _) in &pairs {
        starts[*c as usize + 1] += 1;
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    let mut next = starts.clone();
    let mut touches = vec![
        Touch {
            at: 0,
            channel: Channel::Other,
            direction: None,
        };
        pairs.len()
    ];
    for (c, t) in pairs {
        touches[next[c as usize]] = t;
        next[c as usize] += 1;
    }
    let ranges: Vec<std::ops::Range<usize>> = (0..n).map(|i| starts[i]..starts[i + 1]).collect();
    for r in &ranges {
        touches[r.clone()].sort_unstable_by_key(|t| t.at);
    }
    (touches, ranges)
}

/// One contact's interactions, oldest first.
pub fn touches_of(conn: &Connection, id: i64) -> Result<Vec<Touch>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.occurred_at, i.channel, i.direction
           FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
          WHERE p.contact_id = ?1",
    )?;
    let mut rows = stmt.query([id])?;
    let mut touches = Vec::new();
    while let Some(r) = rows.next()? {
        touches.push(touch_of_row(r, 0)?);
    }
    touches.sort_unstable_by_key(|t| t.at);
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
    let sql = format!(
        "SELECT c.id, c.uid, c.display_name, c.organization_id, c.created_at, c.cadence,
                c.name_key
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
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.contact.id.cmp(&b.1.contact.id)));
    let mut out: Vec<HealthContact> = keyed.into_iter().map(|(_, c)| c).collect();
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

/// A [`Touch`] from the columns `occurred_at, channel, direction` starting at `first`.
fn touch_of_row(r: &rusqlite::Row<'_>, first: usize) -> Result<Touch> {
    let channel = text(r, first + 1)?;
    Ok(Touch {
        at: secs(text(r, first)?)?,
        channel: stored_channel(channel),
        direction: opt_text(r, first + 2)?.and_then(Direction::parse),
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

/// A channel as kith stores it; anything else is read the forgiving way.
fn stored_channel(s: &str) -> Channel {
    Channel::ALL
        .into_iter()
        .find(|c| c.as_str() == s)
        .unwrap_or_else(|| s.parse().unwrap_or(Channel::Other))
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
    let num = |from: usize, to: usize| -> Option<i64> {
        b[from..to].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hh, mm, ss) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
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

    /// The whole book is two plain scans in interaction order, never a sort of a million rows
    /// nor a lookup per row; a tag or organization walks the participations by contact.
    #[test]
    fn the_passes_read_in_order_without_sorting() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let conn = store.conn();
        for sql in [
            "SELECT id, occurred_at, channel, direction FROM interactions ORDER BY id",
            "SELECT interaction_id, contact_id FROM interaction_participants ORDER BY interaction_id",
            "SELECT c.id FROM contacts c NOT INDEXED WHERE c.archived_at IS NULL",
        ] {
            let plan = plan(conn, sql);
            assert!(!plan.contains("TEMP B-TREE"), "{sql}: {plan}");
            assert!(plan.starts_with("SCAN"), "{sql}: {plan}");
        }
        let some = plan(
            conn,
            "SELECT p.contact_id, i.occurred_at FROM interaction_participants p
               JOIN interactions i ON i.id = p.interaction_id
              WHERE p.contact_id IN (SELECT c.id FROM contacts c WHERE c.organization_id = 1)",
        );
        assert!(
            some.contains("interaction_participants_by_contact"),
            "{some}"
        );
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
