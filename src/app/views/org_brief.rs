//! The organization brief (`kith org show`, the interactive mode's Organizations pane): the
//! organization, its active people most recently contacted first, its follow-ups (its own and
//! its people's) with where each stands, and the merged timeline; and the account rolled up
//! (`crate::account`): each person's health and role, who has gone cold, the organization's
//! own health with its reasons, and its 12-month rhythm.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::Serialize;

use super::FollowUpItem;
use super::health::{ContactHealth, scores_of_contacts, scores_of_organization};
use crate::account::{AccountHealth, Member, roll_up};
use crate::clock::Clock;
use crate::error::Result;
use crate::health::factors::Measured;
use crate::health::{TrendDirection, rhythm};
use crate::model::{Contact, ContactRef, Interaction, Organization};
use crate::store::contacts::{Archived, ContactFilter};
use crate::store::health::FollowUpsByContact;
use crate::store::interactions::{self, InteractionFilter};
use crate::store::org_activity::{self, OrgInteraction};
use crate::store::organizations::PersonHead;
use crate::store::reminders::{self, ReminderFilter};
use crate::store::{Store, contacts, organizations};

/// How many interactions `kith org show` lists unless `--full`.
pub const RECENT_TIMELINE: usize = 20;

/// Everything `kith org show` prints, in the shape `--json` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgBrief {
    pub organization: Organization,
    /// Its active people, most recently contacted first; read only for
    /// [`Detail::Complete`].
    pub people: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    /// Whether there are interactions earlier than those in `interactions` (which are then
    /// the latest only).
    pub earlier_interactions: bool,
    pub follow_ups: Vec<FollowUpItem>,
    /// The last touch: the latest interaction with the organization itself or anyone there.
    pub last_touch_at: Option<DateTime<Utc>>,
    /// Its people rolled up, healthiest first.
    pub roll_up: Vec<PersonRollUp>,
    /// The organization's own health, with its reasons and who has gone cold.
    pub health: AccountHealth,
    /// Interactions with it or anyone there per month, the 12 months to this one, oldest
    /// first; counted only for [`Detail::Complete`].
    pub rhythm: [u32; rhythm::MONTHS],
    #[serde(skip)]
    pub archived: bool,
    /// The day it was built for (relative dates are counted from it), and the instant.
    #[serde(skip)]
    pub today: NaiveDate,
    #[serde(skip)]
    pub now: DateTime<Utc>,
}

/// One person of the organization in the roll-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonRollUp {
    pub contact: ContactRef,
    /// Their role there.
    pub title: Option<String>,
    pub health: u8,
    pub trend: Option<TrendDirection>,
    pub last_contact_at: Option<DateTime<Utc>>,
    /// In touch before, but not in the last 90 days.
    pub cold: bool,
    pub open_follow_ups: usize,
}

/// How much of an organization's brief [`org_brief`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// All of it (`kith org show --json`, the interactive mode).
    Complete,
    /// What the text of `kith org show` prints: `people` is left empty (each person's line
    /// comes from their `roll_up` entry, which holds all it shows) and `rhythm` all zeros.
    Text,
}

/// From this many people on, an organization's health is scored on a second thread.
const HEALTH_THREAD_FROM: i64 = 1_000;

/// The brief of organization `id`, with its `timeline` latest interactions (all when `None`),
/// read as far as `detail` says. Its people's health, most of the work in a big organization,
/// is scored meanwhile on a second thread with a connection of its own.
pub fn org_brief(
    store: &Store,
    id: i64,
    clock: Clock,
    timeline: Option<usize>,
    detail: Detail,
) -> Result<OrgBrief> {
    let conn = store.conn();
    if organizations::people_count(conn, id)? < HEALTH_THREAD_FROM {
        return read_brief(store, id, clock, timeline, detail, || {
            people_health(conn, id, clock)
        });
    }
    let second = store.reader()?;
    std::thread::scope(|s| {
        let healths = s.spawn(move || people_health(&second, id, clock));
        read_brief(store, id, clock, timeline, detail, || {
            healths
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// [`org_brief`], with the people's health from `healths`.
fn read_brief(
    store: &Store,
    id: i64,
    clock: Clock,
    timeline: Option<usize>,
    detail: Detail,
    healths: impl FnOnce() -> Result<HashMap<i64, ContactHealth>>,
) -> Result<OrgBrief> {
    let conn = store.conn();
    let organization = organizations::get(conn, id)?;
    let (people, heads) = people_of(conn, id, detail)?;
    // One more than shown, to know whether there are earlier ones.
    let (mut interactions, found) = timeline_of(conn, id, timeline.map(|n| n + 1), detail)?;
    let earlier_interactions = timeline.is_some_and(|n| interactions.len() > n);
    interactions.truncate(timeline.unwrap_or(usize::MAX));
    let follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            organization_id: Some(id),
            organization_wide: true,
            ..Default::default()
        },
    )?;
    // The timeline is newest first and holds the organization's own interactions too.
    let last_touch_at = interactions.first().map(|i| i.occurred_at);
    let today = clock.today();
    let healths = healths()?;
    let follow_ups = FollowUpItem::all(follow_ups, clock);
    let health = roll_up_healths(&healths, today);
    let roll_up_people = roll_up_people(heads, &healths, &health, &follow_ups);
    let rhythm = match detail {
        Detail::Complete => {
            let since = first_of_rhythm(today);
            let days = match found {
                Some(found) => rhythm_times(found, since)?,
                None => organizations::activity_days(conn, id, since)?,
            }
            .into_iter()
            .map(|t| t.with_timezone(&Local).date_naive());
            rhythm::monthly_counts(days, today)
        }
        Detail::Text => [0; rhythm::MONTHS],
    };
    Ok(OrgBrief {
        last_touch_at,
        archived: organization.archived_at.is_some(),
        organization,
        people,
        interactions,
        earlier_interactions,
        follow_ups,
        roll_up: roll_up_people,
        health,
        rhythm,
        today,
        now: clock.now,
    })
}

/// The `limit` latest interactions (all when `None`) with organization `org` itself or with
/// one of its people other than `except`, newest first. Only the ones shown are read: their
/// ids picked from `found` (the organization's interactions as [`org_activity`] finds
/// them), or by walking back from the latest interaction; for all of them, or when the walk
/// gives up, SQL picks them from every interaction of everyone there.
pub(super) fn latest_interactions(
    conn: &rusqlite::Connection,
    org: i64,
    except: Option<i64>,
    found: Option<&mut Vec<OrgInteraction>>,
    limit: impl Into<Option<usize>>,
) -> Result<Vec<Interaction>> {
    let limit = limit.into();
    let ids = match (found, limit) {
        (Some(found), Some(n)) => Some(org_activity::latest(found, n)),
        (None, Some(n)) => org_activity::latest_by_walk(conn, org, except, n)?,
        (_, None) => None,
    };
    let filter = match ids {
        Some(ids) => InteractionFilter {
            ids: Some(ids),
            ..Default::default()
        },
        None => InteractionFilter {
            organization_id: Some(org),
            with_others_than: except,
            limit,
            ..Default::default()
        },
    };
    interactions::list(conn, &filter)
}

/// The organization's active people as `detail` reads them: whole (most recently contacted
/// first) with their heads, or only their heads.
fn people_of(
    conn: &rusqlite::Connection,
    id: i64,
    detail: Detail,
) -> Result<(Vec<Contact>, Vec<PersonHead>)> {
    if detail == Detail::Text {
        return Ok((Vec::new(), organizations::people_heads(conn, id)?));
    }
    let mut people = contacts::list(
        conn,
        &ContactFilter {
            organization_id: Some(id),
            archived: Archived::Exclude,
            ..Default::default()
        },
    )?;
    people.sort_by(|a, b| {
        b.last_contact_at
            .cmp(&a.last_contact_at)
            .then(a.id.cmp(&b.id))
    });
    let heads = people
        .iter()
        .map(|c| PersonHead {
            contact: c.as_ref(),
            title: c.fields.title.clone(),
            last_contact_at: c.last_contact_at,
        })
        .collect();
    Ok((people, heads))
}

/// The timeline's `timeline` latest interactions (all when `None`), and every interaction
/// there as [`org_activity`] found them when it was asked. The text needs no rhythm, so its
/// few latest are found by walking back from the latest one (a few hundred steps in a big
/// organization) when the walk finds them; the rhythm needs every interaction there of the
/// last 12 months.
fn timeline_of(
    conn: &rusqlite::Connection,
    id: i64,
    timeline: Option<usize>,
    detail: Detail,
) -> Result<(Vec<Interaction>, Option<Vec<OrgInteraction>>)> {
    if let (Detail::Text, Some(n)) = (detail, timeline)
        && let Some(ids) = org_activity::latest_by_walk(conn, id, None, n)?
    {
        let filter = InteractionFilter {
            ids: Some(ids),
            ..Default::default()
        };
        return Ok((interactions::list(conn, &filter)?, None));
    }
    let mut found = org_activity::of_organization(conn, id, None)?;
    let interactions = latest_interactions(conn, id, None, found.as_mut(), timeline)?;
    Ok((interactions, found))
}

/// The times of the interactions the rhythm counts (with the organization or its active
/// people) from `since` on.
fn rhythm_times(found: Vec<OrgInteraction>, since: NaiveDate) -> Result<Vec<DateTime<Utc>>> {
    let since = organizations::day_start(since);
    let mut out = Vec::new();
    for i in found {
        // Compared as stored, as SQL compares them.
        if i.active && i.occurred_at.as_str() >= since.as_str() {
            out.push(crate::store::parse_ts(&i.occurred_at)?);
        }
    }
    Ok(out)
}

/// An organization's active people as its health reads them (what `kith show` says of a
/// person's organization), scored but for their follow-ups, which another thread may still
/// be reading: [`AccountPeople::health`] finishes it. Each person becomes a [`Member`] as
/// they are scored, as `kith org show`'s people do in [`roll_up_healths`] ([`member_of`] for
/// both, so the two agree).
#[derive(Debug)]
pub struct AccountPeople {
    /// In id order.
    members: Vec<Member>,
    /// Each one's points from every factor but follow-through.
    points: Vec<i32>,
}

impl AccountPeople {
    /// Organization `org`'s, read through `conn` (which may be a second thread's, from
    /// [`Store::reader`]); every row of the organization (archived people's too) is also
    /// given to `seen`, with its stored touches, as it is read.
    pub fn read(
        conn: &rusqlite::Connection,
        org: i64,
        clock: Clock,
        seen: crate::store::health::SeenRow<'_>,
    ) -> Result<AccountPeople> {
        let today = clock.today();
        let mut people = scores_of_organization(
            conn,
            org,
            clock.now,
            |contact, (points, since, last_year)| {
                (member_of(contact, 0, since, last_year, today), points)
            },
            seen,
        )?;
        people.sort_by_key(|(m, _)| m.contact.id);
        let (members, points) = people.into_iter().unzip();
        Ok(AccountPeople { members, points })
    }

    /// The organization's health, with its people's follow-ups `follow_ups` (those that
    /// could count from [`super::health::follow_ups_since`] on, by contact).
    pub fn health(&mut self, follow_ups: &FollowUpsByContact, clock: Clock) -> AccountHealth {
        let m = super::health::moment(clock.now);
        for (member, &points) in self.members.iter_mut().zip(&self.points) {
            let theirs = follow_ups
                .get(&member.contact.id)
                .map_or(&[][..], Vec::as_slice);
            member.score = crate::health::with_follow_through(points, theirs, m);
        }
        roll_up(&self.members, clock.today())
    }

    /// Active person `id` there, as read.
    pub fn person(&self, id: i64) -> Option<&ContactRef> {
        let at = self
            .members
            .binary_search_by_key(&id, |m| m.contact.id)
            .ok()?;
        Some(&self.members[at].contact)
    }
}

fn roll_up_healths(healths: &HashMap<i64, ContactHealth>, today: NaiveDate) -> AccountHealth {
    let members: Vec<Member> = healths.values().map(|h| member(h, today)).collect();
    roll_up(&sorted(members), today)
}

/// The health of the organization's active people, by id.
fn people_health(
    conn: &rusqlite::Connection,
    org: i64,
    clock: Clock,
) -> Result<HashMap<i64, ContactHealth>> {
    Ok(super::health::of_organization(conn, org, clock.now)?
        .into_iter()
        .map(|h| (h.contact.id, h))
        .collect())
}

fn roll_up_people(
    people: Vec<PersonHead>,
    healths: &HashMap<i64, ContactHealth>,
    account: &AccountHealth,
    follow_ups: &[FollowUpItem],
) -> Vec<PersonRollUp> {
    let cold: HashSet<i64> = account.cold.iter().map(|r| r.id).collect();
    let mut open: HashMap<i64, usize> = HashMap::new();
    for f in follow_ups.iter().filter(|f| f.done_at.is_none()) {
        if let Some(r) = &f.contact {
            *open.entry(r.id).or_default() += 1;
        }
    }
    let mut out: Vec<PersonRollUp> = people
        .into_iter()
        .map(|c| {
            let id = c.contact.id;
            let h = healths.get(&id);
            PersonRollUp {
                contact: c.contact,
                title: c.title,
                health: h.map_or(0, |h| h.health.score),
                trend: h.and_then(|h| h.health.trend).map(|t| t.direction),
                last_contact_at: c.last_contact_at,
                cold: cold.contains(&id),
                open_follow_ups: open.get(&id).copied().unwrap_or(0),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.health
            .cmp(&a.health)
            .then(b.last_contact_at.cmp(&a.last_contact_at))
            .then(a.contact.id.cmp(&b.contact.id))
    });
    out
}

/// A person as the account roll-up reads them, from their health's measured factors.
pub fn member(h: &ContactHealth, today: NaiveDate) -> Member {
    let mut since = None;
    let mut last_year = 0;
    for f in &h.health.factors {
        match &f.measured {
            Measured::Recency {
                days_since_last_contact: Some(days),
                ..
            } => since = Some(*days),
            Measured::Frequency { last_365_days, .. } => last_year = *last_365_days,
            _ => {}
        }
    }
    member_of(h.contact.clone(), h.health.score, since, last_year, today)
}

/// A person as the roll-up reads them: their score, the days since their last contact and
/// their interactions in the last 365 days.
fn member_of(
    contact: ContactRef,
    score: u8,
    since: Option<i64>,
    last_year: u32,
    today: NaiveDate,
) -> Member {
    Member {
        contact,
        score,
        last_contact: since
            .and_then(|days| today.checked_sub_days(chrono::Days::new(days.unsigned_abs()))),
        last_year,
    }
}

/// Members in id order, so the roll-up does not depend on a map's order.
fn sorted(mut members: Vec<Member>) -> Vec<Member> {
    members.sort_by_key(|m| m.contact.id);
    members
}

/// The first day of the rhythm's first month (11 months before this one).
fn first_of_rhythm(today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let first = today.with_day(1).unwrap_or(today);
    first
        .checked_sub_months(chrono::Months::new(rhythm::MONTHS as u32 - 1))
        .unwrap_or(first)
}

/// Every active organization's health, by id (`kith org list --sort health`): everyone's
/// health once, grouped by organization.
pub fn account_healths(store: &Store, clock: Clock) -> Result<HashMap<i64, AccountHealth>> {
    let today = clock.today();
    let mut by_org: HashMap<i64, Vec<Member>> = HashMap::new();
    for h in scores_of_contacts(store, &ContactFilter::default(), clock.now)? {
        if let Some(org) = h.organization_id {
            by_org.entry(org).or_default().push(member(&h, today));
        }
    }
    Ok(by_org
        .into_iter()
        .map(|(org, members)| (org, roll_up(&sorted(members), today)))
        .collect())
}
