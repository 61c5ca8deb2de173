//! Health views (`kith health`, the line in `kith show`, `kith list --sort health`, the
//! interactive Contacts column, the reconnect ranking of `kith today`): the records read by
//! `store::health`, scored by the pure [`crate::health`] at one moment in the local time zone.
//! [`of_contact`] scores one person (with their 12-month rhythm); [`of_contacts`] everyone a
//! filter matches, in one pass over their interactions.

use chrono::{DateTime, Local, NaiveDate, Offset, TimeZone, Utc};
use serde::Serialize;

use crate::agenda::{CadenceSource, cadence_of};
use crate::clock::Clock;
use crate::dates::{Lean, When};
use crate::error::{Error, Result};
use crate::health::{self, Health, Moment, Subject, TREND_DAYS, rhythm};
use crate::model::{Contact, ContactRef, Period, TagCadence};
use crate::store::contacts::{Archived, ContactFilter};
use crate::store::health::{HealthContact, follow_ups_of, score_each, touches_of};
use crate::store::{Store, contacts, tag_cadences};

/// A contact's health, as `kith health --json` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactHealth {
    pub contact: ContactRef,
    #[serde(skip)]
    pub organization_id: Option<i64>,
    #[serde(flatten)]
    pub health: Health,
    /// Interactions per calendar month, the 12 months ending with the as-of month, oldest
    /// first; only for one contact ([`of_contact`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rhythm: Option<[u32; rhythm::MONTHS]>,
}

/// The moment `at` in the local time zone (its offset then).
pub fn moment(at: DateTime<Utc>) -> Moment {
    Moment::new(at, Local.offset_from_utc_datetime(&at.naive_utc()).fix())
}

/// The moment `kith health --at DATE` means: the end of that local day, or now for today;
/// a day to come is refused.
pub fn as_of(clock: Clock, input: &str) -> Result<DateTime<Utc>> {
    let at = match crate::app::parse_when(clock, "--at", input, Lean::Past)? {
        When::At(t) => t,
        When::Date(day) => end_of_local_day(day).unwrap_or(clock.now),
    };
    if at > clock.now {
        if end_of_local_day(clock.today()).is_some_and(|end| at <= end) {
            return Ok(clock.now);
        }
        return Err(Error::invalid(
            "--at",
            input,
            "is in the future; health is known only up to now",
        ));
    }
    Ok(at)
}

fn end_of_local_day(day: NaiveDate) -> Option<DateTime<Utc>> {
    let end = day.and_hms_opt(23, 59, 59)?;
    Local
        .from_local_datetime(&end)
        .latest()
        .map(|t| t.with_timezone(&Utc))
}

/// The health of contact `id` at `at`, with their rhythm.
pub fn of_contact(store: &Store, id: i64, at: DateTime<Utc>) -> Result<ContactHealth> {
    let conn = store.conn();
    let contact = contacts::get(conn, id)?;
    let cadence = cadence_of(
        contact.fields.cadence,
        &contact.fields.tags,
        &tag_cadences::list(conn)?,
    );
    of_loaded(store, &contact, cadence.as_ref(), at)
}

/// [`of_contact`] for a contact already read, with the cadence that applies to them (the
/// contact brief has both).
pub fn of_loaded(
    store: &Store,
    contact: &Contact,
    cadence: Option<&(Period, CadenceSource)>,
    at: DateTime<Utc>,
) -> Result<ContactHealth> {
    let conn = store.conn();
    let touches = touches_of(conn, contact.id)?;
    let m = moment(at);
    let follow_ups = follow_ups_of(conn, contact.id, m.days_before(TREND_DAYS).at)?;
    let subject = Subject {
        touches: &touches,
        cadence,
        added_at: contact.created_at.timestamp(),
        follow_ups: &follow_ups,
    };
    let days = touches.iter().map(|t| Moment::date_of_day(m.day_of(t.at)));
    Ok(ContactHealth {
        contact: contact.as_ref(),
        organization_id: contact.organization_id,
        health: health::health(&subject, m),
        rhythm: Some(rhythm::monthly_counts(days, Moment::date_of_day(m.today()))),
    })
}

/// The health at `at` of every contact `filter` matches, in name order.
pub fn of_contacts(
    store: &Store,
    filter: &ContactFilter,
    at: DateTime<Utc>,
) -> Result<Vec<ContactHealth>> {
    each_scored(store, filter, at, health::health)
}

/// [`of_contacts`] without the trends (each score is computed once, not twice): for what
/// reads only the scores and their factors, such as an account's roll-up.
pub fn scores_of_contacts(
    store: &Store,
    filter: &ContactFilter,
    at: DateTime<Utc>,
) -> Result<Vec<ContactHealth>> {
    each_scored(store, filter, at, |subject, m| {
        let (score, factors) = health::score_at(subject, m);
        Health {
            score,
            trend: None,
            factors,
            as_of: m.at,
        }
    })
}

/// [`of_contacts`] of organization `org`'s active people, read through `conn` (which may be
/// a second thread's, from [`Store::reader`]).
pub fn of_organization(
    conn: &rusqlite::Connection,
    org: i64,
    at: DateTime<Utc>,
) -> Result<Vec<ContactHealth>> {
    let m = moment(at);
    let tag_cadences = tag_cadences::list(conn)?;
    crate::store::health::score_organization(
        conn,
        org,
        Archived::Exclude,
        m.days_before(TREND_DAYS).at,
        &|c, touches, follow_ups| {
            score_inputs(c, touches, follow_ups, &tag_cadences, m, health::health)
        },
        &finished,
    )
}

/// Each active person of organization `org` as `finish` makes them from their contact and
/// what an account's roll-up reads of them at `at` before their follow-ups are known
/// ([`health::roll_up_parts_before_follow_ups`]: the other factors' points, days since the
/// last contact, interactions in the last 365 days; [`health::with_follow_through`] then
/// makes the score), in id order, read through `conn` (which may be a second thread's, from
/// [`Store::reader`]), without a [`ContactHealth`] nor factors held for each. Every row of
/// the organization (archived people's too) is also given to `seen` as it is read.
pub fn scores_of_organization<U>(
    conn: &rusqlite::Connection,
    org: i64,
    at: DateTime<Utc>,
    finish: impl Fn(ContactRef, (i32, Option<i64>, u32)) -> U,
    seen: crate::store::health::SeenRow<'_>,
) -> Result<Vec<U>> {
    let m = moment(at);
    let tag_cadences = tag_cadences::list(conn)?;
    crate::store::health::score_organization_before_follow_ups(
        conn,
        org,
        &|c, touches| {
            score_inputs(
                c,
                touches,
                &[],
                &tag_cadences,
                m,
                health::roll_up_parts_before_follow_ups,
            )
        },
        &|c, parts| finish(c.contact, parts),
        seen,
    )
}

/// From when a follow-up can count for a score at `at` (open then or later): what
/// `follow_ups` given to [`scores_of_organization`] must hold.
pub fn follow_ups_since(at: DateTime<Utc>) -> DateTime<Utc> {
    moment(at).days_before(TREND_DAYS).at
}

fn finished(c: HealthContact, health: Health) -> ContactHealth {
    ContactHealth {
        health,
        contact: c.contact,
        organization_id: c.organization_id,
        rhythm: None,
    }
}

/// Every contact `filter` matches, in name order, with what `score` makes of their inputs.
fn each_scored(
    store: &Store,
    filter: &ContactFilter,
    at: DateTime<Utc>,
    score: impl Fn(&Subject<'_>, Moment) -> Health + Sync,
) -> Result<Vec<ContactHealth>> {
    let m = moment(at);
    let tag_cadences = tag_cadences::list(store.conn())?;
    score_each(
        store,
        filter,
        m.days_before(TREND_DAYS).at,
        |c, touches, follow_ups| score_inputs(c, touches, follow_ups, &tag_cadences, m, &score),
        finished,
    )
}

/// What `score` makes of one contact's inputs: their touches, follow-ups, and cadence (their
/// own, else their tags').
fn score_inputs<T>(
    c: &HealthContact,
    touches: &[health::Touch],
    follow_ups: &[health::FollowUpState],
    tag_cadences: &[TagCadence],
    m: Moment,
    score: impl Fn(&Subject<'_>, Moment) -> T,
) -> T {
    let cadence = cadence_of(c.own_cadence, &c.cadence_tags, tag_cadences);
    let subject = Subject {
        touches,
        cadence: cadence.as_ref(),
        added_at: c.added_at,
        follow_ups,
    };
    score(&subject, m)
}

/// Healthiest first; equal scores by name (the order they came in), then id.
pub fn rank(list: &mut [ContactHealth]) {
    // A stable counting sort of the 101 scores: where each row goes, then the rows swapped
    // into place (each swap puts one for good), never compared nor moved more than once.
    let bucket = |h: &ContactHealth| 100 - usize::from(h.health.score.min(100));
    let mut next = [0usize; 102];
    for h in list.iter() {
        next[bucket(h) + 1] += 1;
    }
    for b in 1..next.len() {
        next[b] += next[b - 1];
    }
    let mut to: Vec<usize> = list
        .iter()
        .map(|h| {
            let place = &mut next[bucket(h)];
            *place += 1;
            *place - 1
        })
        .collect();
    for i in 0..list.len() {
        while to[i] != i {
            let j = to[i];
            list.swap(i, j);
            to.swap(i, j);
        }
    }
}

/// The health now of every active contact, by id (`kith today`, the interactive list).
pub fn scores_now(store: &Store, clock: Clock) -> Result<std::collections::HashMap<i64, Health>> {
    Ok(of_contacts(store, &ContactFilter::default(), clock.now)?
        .into_iter()
        .map(|h| (h.contact.id, h.health))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::interactions::{LogInteraction, log};
    use crate::model::{Channel, ContactFields, Direction};
    use crate::store::OpenMode;

    fn clock(s: &str) -> Clock {
        Clock::fixed(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    fn add(store: &mut Store, name: &str) -> i64 {
        let fields = ContactFields {
            display_name: name.into(),
            ..ContactFields::default()
        };
        crate::app::contacts::add(store, clock("2025-01-01T09:00:00Z"), fields).unwrap()
    }

    fn log_at(store: &mut Store, who: i64, at: &str, channel: Channel, dir: Option<Direction>) {
        let input = LogInteraction {
            participants: vec![who],
            organization: None,
            summary: "talked".into(),
            channel,
            direction: dir,
            at: Some(at.into()),
            body: None,
            follow_up: None,
        };
        log(store, clock("2026-12-03T12:00:00Z"), &input).unwrap();
    }

    /// One contact and the whole book agree, and an earlier moment ignores what came after.
    #[test]
    fn one_and_all_give_the_same_score_and_later_interactions_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let ada = add(&mut store, "Ada");
        let bob = add(&mut store, "Bob");
        for (day, dir) in [
            ("2026-10-01", Direction::In),
            ("2026-10-20", Direction::Out),
        ] {
            log_at(&mut store, ada, day, Channel::Call, Some(dir));
        }
        log_at(&mut store, ada, "2026-11-25", Channel::Meeting, None);
        log_at(
            &mut store,
            bob,
            "2026-06-01",
            Channel::Email,
            Some(Direction::Out),
        );
        let now = clock("2026-12-03T12:00:00Z").now;
        let all = of_contacts(&store, &ContactFilter::default(), now).unwrap();
        assert_eq!(all.len(), 2);
        for h in &all {
            let one = of_contact(&store, h.contact.id, now).unwrap();
            assert_eq!(one.health, h.health);
        }
        // A filter walks another path to the same scores.
        let only_ada = ContactFilter {
            ids: Some(vec![ada]),
            ..ContactFilter::default()
        };
        let some = of_contacts(&store, &only_ada, now).unwrap();
        assert_eq!(some.len(), 1);
        assert_eq!(some[0].health, of_contact(&store, ada, now).unwrap().health);
        let rhythm = of_contact(&store, ada, now).unwrap().rhythm.unwrap();
        assert_eq!(&rhythm[9..], &[2, 1, 0]);
        // As of Oct 5, only the first call had happened.
        let early = clock("2026-10-05T12:00:00Z").now;
        let then = of_contact(&store, ada, early).unwrap();
        let recency = then
            .health
            .factor(crate::health::factors::Kind::Recency)
            .unwrap();
        assert_eq!(
            recency.reason(),
            "4 days since last contact, no cadence or rhythm yet, so every 60 days is expected"
        );
    }
}
