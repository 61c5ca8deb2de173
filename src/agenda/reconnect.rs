//! Who is due to reconnect: a contact's cadence (their own, else their tags'), the day it
//! runs out (last contact, or when added, plus the cadence), the contacts and organizations
//! past it, and their ranking by health. Pure, like the rest of [`super`].

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use super::{Agenda, AgendaInput, CadenceSource, OrgReconnect, Reconnect};
use crate::model::{Contact, Period, TagCadence};

/// A contact's own cadence, else the shortest of its tags' (ties: the first tag by name).
pub fn effective_cadence(
    contact: &Contact,
    tag_cadences: &[TagCadence],
) -> Option<(Period, CadenceSource)> {
    cadence_of(contact.fields.cadence, &contact.fields.tags, tag_cadences)
}

/// [`effective_cadence`] from a contact's own cadence and their tags.
pub fn cadence_of(
    own: Option<Period>,
    tags: &[String],
    tag_cadences: &[TagCadence],
) -> Option<(Period, CadenceSource)> {
    if let Some(own) = own {
        return Some((own, CadenceSource::Contact));
    }
    tag_cadences
        .iter()
        .filter(|tc| tags.contains(&tc.tag))
        .min_by_key(|tc| (tc.cadence.approx_days(), tc.tag.clone()))
        .map(|tc| {
            (
                tc.cadence,
                CadenceSource::Tag {
                    tag: tc.tag.clone(),
                },
            )
        })
}

/// The day a contact's cadence runs out: last interaction (or when added) plus the cadence.
pub fn reconnect_due_on<Tz: TimeZone>(contact: &Contact, cadence: Period, tz: &Tz) -> NaiveDate {
    due_on(contact.last_contact_at, contact.created_at, cadence, tz)
}

/// The last interaction (or when added) plus the cadence, as a local day.
pub fn due_on<Tz: TimeZone>(
    last: Option<DateTime<Utc>>,
    added: DateTime<Utc>,
    cadence: Period,
    tz: &Tz,
) -> NaiveDate {
    cadence.add_to(last.unwrap_or(added).with_timezone(tz).date_naive())
}

/// Bounds on the UTC day a contact's cadence counts from (their last contact, else when
/// added) that tell, in any time zone, whether they are due to reconnect `today` with
/// `cadence`: `(lo, hi)` with everyone whose UTC day is before `lo` due, and nobody whose
/// UTC day is `hi` or later. Between them (a few days) only [`due_on`] tells. None when the
/// bounds cannot be found in a few steps (a cadence of centuries): then only `due_on` tells.
///
/// A local day is at most a day off the UTC day, and [`Period::add_to`] never goes back as
/// the day moves on, so a contact is due exactly when their local day is at most the last
/// day `d` with `d + cadence <= today`; the bounds keep two days from it on either side.
pub fn counted_from_bounds(cadence: Period, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let days = u64::try_from(cadence.approx_days()).ok()?;
    let mut last = today.checked_sub_days(Days::new(days))?;
    let mut steps = 0;
    loop {
        steps += 1;
        if steps > 64 {
            return None;
        }
        if cadence.add_to(last) > today {
            last = last.pred_opt()?;
        } else if cadence.add_to(last.succ_opt()?) <= today {
            last = last.succ_opt()?;
        } else {
            break;
        }
    }
    Some((
        last.checked_sub_days(Days::new(1))?,
        last.checked_add_days(Days::new(3))?,
    ))
}

pub(super) fn reconnects<Tz: TimeZone>(
    input: &AgendaInput,
    today: NaiveDate,
    tz: &Tz,
) -> Vec<Reconnect> {
    let mut out: Vec<Reconnect> = Vec::with_capacity(input.contacts.len());
    out.extend(input.contacts.iter().filter_map(|c| {
        let (cadence, source) = cadence_of(c.cadence, &c.tags, &input.tag_cadences)?;
        let due_on = due_on(c.last_contact_at, c.created_at, cadence, tz);
        (due_on <= today).then(|| Reconnect {
            contact: c.contact.clone(),
            cadence,
            cadence_source: source,
            last_contact_at: c.last_contact_at,
            due_on,
            days_overdue: crate::dates::days_between(due_on, today),
            added_at: c.created_at,
            health: None,
        })
    }));
    // Sorted as keys with their places, each entry then moved once (no two share an id).
    let mut order: Vec<(NaiveDate, &str, i64, usize)> = (out.iter().enumerate())
        .map(|(i, r)| (r.due_on, r.contact.name.as_str(), r.contact.id, i))
        .collect();
    order.sort_unstable();
    let order: Vec<usize> = order.into_iter().map(|(.., i)| i).collect();
    in_order(&mut out, &order);
    out
}

/// Puts `items` in the order of their places `order` (a permutation of `0..items.len()`:
/// the item at `order[k]` goes to `k`), in place: each cycle of the permutation walked by
/// swaps, every item moved once.
fn in_order<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut k = start;
        while !placed[k] {
            placed[k] = true;
            let from = order[k];
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

/// Rank the people to reconnect with by their health (`health`: each one's by their place
/// in `agenda.reconnect`), weakest first (those without a score last), then as before: by
/// the day their cadence ran out and name.
pub fn rank_reconnects(agenda: &mut Agenda, health: &[Option<u8>]) {
    agenda.reconnect_ranked = true;
    for (i, r) in agenda.reconnect.iter_mut().enumerate() {
        r.health = health.get(i).copied().flatten();
    }
    // A stable sort: the places break ties.
    let mut order: Vec<(u16, NaiveDate, usize)> = (agenda.reconnect.iter().enumerate())
        .map(|(i, r)| (r.health.map_or(u16::MAX, u16::from), r.due_on, i))
        .collect();
    order.sort_unstable();
    let order: Vec<usize> = order.into_iter().map(|(.., i)| i).collect();
    in_order(&mut agenda.reconnect, &order);
}

pub(super) fn organization_reconnects<Tz: TimeZone>(
    input: &AgendaInput,
    today: NaiveDate,
    tz: &Tz,
) -> Vec<OrgReconnect> {
    let mut out: Vec<OrgReconnect> = input
        .organizations
        .iter()
        .filter_map(|o| {
            let due_on = due_on(o.last_touch_at, o.created_at, o.cadence, tz);
            (due_on <= today).then(|| OrgReconnect {
                organization: o.organization.clone(),
                cadence: o.cadence,
                last_touch_at: o.last_touch_at,
                due_on,
                days_overdue: crate::dates::days_between(due_on, today),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.due_on, &a.organization.name, a.organization.id).cmp(&(
            b.due_on,
            &b.organization.name,
            b.organization.id,
        ))
    });
    out
}
