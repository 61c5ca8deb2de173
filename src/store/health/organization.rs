//! An organization's people scored from their range of `organization_people` (migration
//! 0017), and their follow-ups read with the organization's list of them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::{
    FollowUpState, FollowUpsByContact, HealthContact, follow_up_state, follow_ups_where,
    health_contact, read_touches, text,
};
use crate::error::Result;
use crate::health::Touch;
use crate::store::contacts::Archived;

/// What is handed every row of an organization's people as it is read: their contact id and
/// stored touches (see [`score_organization_before_follow_ups`]).
pub type SeenRow<'a> = &'a mut dyn FnMut(i64, rusqlite::types::ValueRef<'_>);

/// The people of organization `org` (`archived` says which), in name order, each as `finish`
/// makes them with what `score` made of them: one range of `organization_people` (migration
/// 0017), which holds their contact fields and touches side by side, then their follow-ups
/// and cadence tags by id.
pub fn score_organization<T, U>(
    conn: &Connection,
    org: i64,
    archived: Archived,
    since: DateTime<Utc>,
    score: &impl Fn(&HealthContact, &[Touch], &[FollowUpState]) -> T,
    finish: &impl Fn(HealthContact, T) -> U,
) -> Result<Vec<U>> {
    let mut keyed = Vec::new();
    each_of_organization(conn, org, archived, since, None, score, |c, s, key| {
        keyed.push((key.to_owned(), c.contact.id, finish(c, s)));
    })?;
    keyed.sort_unstable_by(|(a, x, _), (b, y, _)| a.cmp(b).then(x.cmp(y)));
    Ok(keyed.into_iter().map(|(_, _, u)| u).collect())
}

/// Organization `org`'s active people in the table's order (by contact id), each as `finish`
/// makes them with what `score` made of them before their follow-ups are read (for an
/// account's roll-up, whose follow-ups another thread may still be reading); every row of
/// the organization (archived people's too) is also given to `seen`, with its stored
/// touches, as the same pass reads it (for [`crate::store::org_activity::LatestTouch`]).
pub fn score_organization_before_follow_ups<T, U>(
    conn: &Connection,
    org: i64,
    score: &impl Fn(&HealthContact, &[Touch]) -> T,
    finish: &impl Fn(HealthContact, T) -> U,
    seen: SeenRow<'_>,
) -> Result<Vec<U>> {
    let mut out = Vec::new();
    each_row(
        conn,
        org,
        Archived::Exclude,
        Some(seen),
        false,
        |c, touches, _| {
            let s = score(&c, touches);
            out.push(finish(c, s));
            Ok(())
        },
    )?;
    Ok(out)
}

fn people_sql(archived: Archived) -> String {
    format!(
        "SELECT op.contact_id FROM organization_people op
          WHERE op.organization_id = ? AND {}",
        which(archived)
    )
}

fn which(archived: Archived) -> &'static str {
    match archived {
        Archived::Exclude => "op.archived_at IS NULL",
        Archived::Only => "op.archived_at IS NOT NULL",
        Archived::Include => "1",
    }
}

/// Each person of organization `org` (`archived` says which) given to `each` with what
/// `score` made of them and their name key, in the table's order; their follow-ups from
/// `follow_ups` when given (those of its people from `since` on, by contact).
fn each_of_organization<T>(
    conn: &Connection,
    org: i64,
    archived: Archived,
    since: DateTime<Utc>,
    follow_ups: Option<FollowUpsByContact>,
    score: &impl Fn(&HealthContact, &[Touch], &[FollowUpState]) -> T,
    mut each: impl FnMut(HealthContact, T, &str),
) -> Result<()> {
    let follow_ups = match follow_ups {
        Some(given) => given,
        None => follow_ups_where(
            conn,
            "",
            &format!("r.contact_id IN ({})", people_sql(archived)),
            &[Value::Integer(org)],
            since,
        )?,
    };
    each_row(conn, org, archived, None, true, |c, touches, key| {
        let theirs = follow_ups.get(&c.contact.id).map_or(&[][..], Vec::as_slice);
        let s = score(&c, touches, theirs);
        each(c, s, key);
        Ok(())
    })
}

/// Each person of organization `org` (`archived` says which) given to `each` as a
/// [`HealthContact`] with their touches (oldest first) and name key (with `name_key`, else
/// empty), in the table's order; with `seen`, every row of the organization (archived or
/// not) is given to it first, with its contact id and stored touches.
fn each_row(
    conn: &Connection,
    org: i64,
    archived: Archived,
    mut seen: Option<SeenRow<'_>>,
    name_key: bool,
    mut each: impl FnMut(HealthContact, &[Touch], &str) -> Result<()>,
) -> Result<()> {
    let which = which(archived);
    let mut cadence_tags: HashMap<i64, Vec<String>> = HashMap::new();
    // Without a tag that carries a cadence (the usual book), nobody's tags are looked up:
    // each person's would be a lookup of their own.
    let any_cadence_tag: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM tag_cadences)", [], |r| {
            r.get(0)
        })?;
    if any_cadence_tag {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
               JOIN tag_cadences tc ON tc.tag = t.name
              WHERE ct.contact_id IN ({})
              ORDER BY t.name",
            people_sql(archived)
        ))?;
        let mut rows = stmt.query([org])?;
        while let Some(r) = rows.next()? {
            cadence_tags.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    // With `seen`, every row, and whether it is one of those `archived` says.
    let (counted, filter) = match seen {
        Some(_) => (which, "1"),
        None => ("1", which),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT op.contact_id, op.uid, op.display_name, op.organization_id, op.created_at,
                op.cadence, op.name_key, op.touches, {counted}
           FROM organization_people op WHERE op.organization_id = ? AND {filter}"
    ))?;
    let mut rows = stmt.query([org])?;
    let mut touches = Vec::new();
    while let Some(r) = rows.next()? {
        if let Some(seen) = seen.as_mut() {
            seen(r.get(0)?, r.get_ref(7)?);
            if !r.get::<_, bool>(8)? {
                continue;
            }
        }
        let mut c = health_contact(r)?;
        c.cadence_tags = cadence_tags.remove(&c.contact.id).unwrap_or_default();
        touches.clear();
        if let Some(stored) = r.get_ref(7)?.as_bytes_or_null().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
        })? {
            read_touches(stored, &mut touches)?;
        }
        each(c, &touches, if name_key { text(r, 6)? } else { "" })?;
    }
    Ok(())
}

/// [`crate::store::reminders::of_organization_and_since`]: the open follow-ups on organization
/// `org` or its people as [`crate::store::reminders::list`] reads them, and its people's that
/// could count from `since` on, by contact, as [`score_organization`] reads them.
pub fn organization_follow_ups(
    conn: &Connection,
    org: i64,
    since: DateTime<Utc>,
) -> Result<(Vec<crate::model::Reminder>, FollowUpsByContact)> {
    let mut by_contact = FollowUpsByContact::default();
    let open = crate::store::reminders::of_organization_and_since(
        conn,
        org,
        since,
        |contact_id, due, created, done| {
            if let Some(state) = follow_up_state(due, created, done)? {
                by_contact.entry(contact_id).or_default().push(state);
            }
            Ok(())
        },
    )?;
    Ok((open, by_contact))
}
