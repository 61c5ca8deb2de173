//! The contact brief (`kith show`, the interactive mode's Brief pane): the contact, how long
//! since you were last in touch against their cadence (their own or a tag's), their birthday
//! and yearly dates with when each next falls, open and done follow-ups with where each
//! stands, recent interactions and relationships, and their organization's context: its
//! notes, its other open follow-ups and the last touch with someone else there.

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};
use serde::Serialize;

use super::FollowUpItem;
use crate::agenda::{CadenceSource, effective_cadence, reconnect_due_on};
use crate::clock::Clock;
use crate::error::Result;
use crate::model::{
    Birthday, Channel, Contact, ContactRef, Interaction, Period, Relationship, Reminder,
};
use crate::store::health::FollowUpsByContact;
use crate::store::interactions::{self, InteractionFilter};
use crate::store::reminders::{self, ReminderFilter};
use crate::store::{Store, contact_dates, contacts, organizations, relationships, tag_cadences};

/// How many interactions `kith show` lists unless `--full`.
pub const RECENT_INTERACTIONS: usize = 5;

/// How long since the last interaction, against the contact's own cadence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactStatus {
    pub days_since_last_contact: Option<i64>,
    pub cadence_days: Option<i64>,
    /// Days past the cadence (positive) or left before it (negative).
    pub cadence_overdue_by_days: Option<i64>,
}

impl ContactStatus {
    pub fn of(contact: &Contact, today: NaiveDate) -> ContactStatus {
        let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&Local).date_naive();
        let since = contact
            .last_contact_at
            .map(|t| crate::dates::days_between(day(t), today));
        let cadence_days = contact.fields.cadence.map(|p| p.approx_days());
        // Never contacted: count from when they were added, so a cadence still comes due.
        let reference =
            since.unwrap_or_else(|| crate::dates::days_between(day(contact.created_at), today));
        ContactStatus {
            days_since_last_contact: since,
            cadence_days,
            cadence_overdue_by_days: cadence_days.map(|c| reference - c),
        }
    }
}

/// A birthday or labeled yearly date, and when it next falls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearlyItem {
    /// `"birthday"` for the birthday, else the date's label (`"renewal"`).
    pub label: String,
    /// As stored: `1986-12-01`, or `--12-01` without a year.
    pub date: Birthday,
    /// The day it next falls on, today or later.
    #[serde(skip)]
    pub next: NaiveDate,
    /// The age turned (or the count) on `next`; only when the year is known and `next` is
    /// not its first occurrence (a count of 0 years says nothing).
    #[serde(skip)]
    pub years: Option<i32>,
}

impl YearlyItem {
    fn new(label: String, date: Birthday, today: NaiveDate) -> YearlyItem {
        let next = date.next_on_or_after(today);
        YearlyItem {
            label,
            date,
            next,
            years: date.year.map(|y| next.year() - y).filter(|&n| n >= 1),
        }
    }
}

/// The keep-in-touch cadence that applies to a contact, and when to reconnect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeepInTouch {
    pub every: Period,
    /// Their own, or inherited from a tag (the shortest of their tags').
    pub cadence_source: CadenceSource,
    /// Last interaction (or when added) plus the cadence.
    pub reconnect_on: NaiveDate,
    /// Whether `reconnect_on` is today or past (the agenda lists them).
    #[serde(skip)]
    pub due: bool,
}

/// What to know about a contact's organization before a call with them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyContext {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub archived: bool,
    pub notes: Option<String>,
    /// Open follow-ups on the organization or on its other people (the contact's own are
    /// in the brief's `follow_ups`), soonest first.
    pub follow_ups: Vec<FollowUpItem>,
    /// The latest interaction with the organization or someone else there (the contact may
    /// have been there too).
    pub last_touch: Option<LastTouch>,
    /// The organization's health rolled up from its people, as `kith org show` gives it.
    pub health: crate::account::AccountHealth,
}

/// An interaction as the company context names it: who, when, how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastTouch {
    pub interaction_id: i64,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub summary: String,
    /// Everyone who took part.
    pub with: Vec<ContactRef>,
}

/// Everything `kith show` prints, in the shape `--json` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactBrief {
    pub contact: Contact,
    pub status: ContactStatus,
    pub interactions: Vec<Interaction>,
    pub follow_ups: Vec<FollowUpItem>,
    pub relationships: Vec<Relationship>,
    /// Yearly dates other than the birthday.
    pub dates: Vec<YearlyItem>,
    pub keep_in_touch: Option<KeepInTouch>,
    /// Their organization's context, when they belong to one.
    pub organization: Option<CompanyContext>,
    /// Properties changed both here and on a sync server since they last met: kith kept its
    /// value, the server's is here to take (`kith sync conflicts`). Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sync_conflicts: Vec<crate::store::sync::ConflictRow>,
    /// How the relationship is doing (`kith health`): score, trend, every factor.
    pub health: crate::health::Health,
    /// Interactions per calendar month, the last 12 months, oldest first (the sparkline).
    #[serde(skip)]
    pub rhythm: [u32; crate::health::rhythm::MONTHS],
    #[serde(skip)]
    pub birthday: Option<YearlyItem>,
    /// The local day of the last interaction.
    #[serde(skip)]
    pub last_contact_day: Option<NaiveDate>,
    #[serde(skip)]
    pub archived: bool,
    /// The day it was built for (relative dates are counted from it), and the instant.
    #[serde(skip)]
    pub today: NaiveDate,
    #[serde(skip)]
    pub now: DateTime<Utc>,
}

/// The brief of contact `id`, with its `interactions` latest interactions (all when `None`).
/// In a large book, their organization's health (most of the work) and its last touch are
/// worked out meanwhile on a second thread with a connection of its own (as `kith org show`
/// scores its people's health), given the follow-ups this one reads (it names whom the open
/// ones are about from the people it reads).
pub fn contact_brief(
    store: &Store,
    id: i64,
    clock: Clock,
    interactions: Option<usize>,
) -> Result<ContactBrief> {
    contact_brief_with(store, id, clock, interactions, &mut SecondReader::Later)
}

/// From this size of book on, a contact's organization is read on a second thread: in a
/// smaller one it takes less than opening a connection (~1 ms).
const SECOND_THREAD_FROM_BYTES: u64 = 256 << 20;

/// The second thread a contact's organization is read on, with a connection of its own.
pub enum SecondReader {
    /// Started: [`SecondReader::before_open`], [`SecondReader::opening`].
    Started(Worker),
    /// Started when the contact is known to have an organization, if the book is large.
    Later,
    /// None: the book is small.
    None,
}

impl SecondReader {
    /// For the book at `path`, before this process opens it: in a large book, a thread that
    /// opens a connection of its own and reads the schema meanwhile (where the book's
    /// header allows: [`Store::reader_opener_before_open`]), then waits for an
    /// organization to read; none in a small one.
    pub fn before_open(path: &std::path::Path) -> SecondReader {
        if !large(path) {
            return SecondReader::None;
        }
        match Store::reader_opener_before_open(path) {
            Some(open) => SecondReader::opening(open),
            None => SecondReader::Later,
        }
    }

    /// A thread that opens its connection with `open` and reads the schema now, then waits.
    pub fn opening(
        open: impl FnOnce() -> Result<rusqlite::Connection> + Send + 'static,
    ) -> SecondReader {
        SecondReader::Started(Worker::start(open))
    }
}

/// A thread with a connection of its own, waiting for the organization [`of_organization`]
/// reads there; it ends by itself when none comes (the contact has none). It answers before
/// it closes its connection, and is waited for when dropped.
pub struct Worker {
    jobs: Option<std::sync::mpsc::SyncSender<Job>>,
    answers: std::sync::mpsc::Receiver<Result<FromPeople>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Worker {
    /// Not asked, it is told so; either way it is waited for: its connection is closed before
    /// the process ends (a connection left open leaves the book's `-wal` and `-shm` files
    /// behind).
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What a [`Worker`] is asked: organization `org` of person `person`, with its follow-ups
/// to come through `follow_ups`.
struct Job {
    org: i64,
    person: i64,
    clock: Clock,
    follow_ups: Receiver,
}

/// An organization's follow-ups as [`crate::store::health::organization_follow_ups`] reads
/// them: the open ones (whom each is about not yet named), and its people's by contact.
type FollowUps = (Vec<Reminder>, FollowUpsByContact);

impl Worker {
    fn start(open: impl FnOnce() -> Result<rusqlite::Connection> + Send + 'static) -> Worker {
        let (jobs, job) = std::sync::mpsc::sync_channel::<Job>(1);
        let (answer, answers) = std::sync::mpsc::sync_channel(1);
        let thread = std::thread::spawn(move || {
            let conn = open();
            // Read through its own page cache: the organization's rows lie together.
            let work = |conn: &rusqlite::Connection| {
                crate::store::without_map(conn, || {
                    // Its schema is read by its first statement, before the job comes.
                    conn.prepare("SELECT 1 FROM organization_people LIMIT 0")?;
                    let Ok(job) = job.recv() else {
                        return Ok(None);
                    };
                    // Should the other thread fail before sending them, they are read here.
                    of_organization(conn, job.org, job.person, job.clock, || {
                        job.follow_ups.recv().ok()
                    })
                    .map(Some)
                })
            };
            // Answered before its people are let go and its connection is closed (which
            // take a while).
            let (told, people) = match conn {
                Ok(conn) => match work(&conn) {
                    Ok(Some((told, people))) => (Some(Ok(told)), Some(people)),
                    Ok(None) => (None, None),
                    Err(e) => (Some(Err(e)), None),
                },
                // Said when asked: a contact without an organization never asks.
                Err(e) => (job.recv().ok().map(|_| Err(e)), None),
            };
            if let Some(told) = told {
                let _ = answer.send(told);
            }
            drop(people);
        });
        Worker {
            jobs: Some(jobs),
            answers,
            thread: Some(thread),
        }
    }

    /// Ask it for organization `org` of person `person`, whose people's follow-ups come
    /// through `follow_ups`; its answer comes with [`Worker::answer`] (None: it was gone).
    fn ask(&mut self, org: i64, person: i64, clock: Clock, follow_ups: Receiver) -> bool {
        let job = Job {
            org,
            person,
            clock,
            follow_ups,
        };
        self.jobs.take().is_some_and(|jobs| jobs.send(job).is_ok())
    }

    /// What it worked out when asked (None: it was gone).
    fn answer(&mut self) -> Option<Result<FromPeople>> {
        self.answers.recv().ok()
    }
}

type Receiver = std::sync::mpsc::Receiver<FollowUps>;

/// Whether the book at `path` is large enough for a second thread.
fn large(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() >= SECOND_THREAD_FROM_BYTES)
}

/// [`contact_brief`], with the second thread `second` (see [`SecondReader`]; kept by the
/// caller, who waits for it when dropping it: after its output, in `kith show`).
pub fn contact_brief_with(
    store: &Store,
    id: i64,
    clock: Clock,
    interactions: Option<usize>,
    second: &mut SecondReader,
) -> Result<ContactBrief> {
    let conn = store.conn();
    let contact = contacts::get(conn, id)?;
    let Some(org) = contact.organization_id else {
        let none: Option<fn() -> _> = None;
        return read_brief(store, contact, clock, interactions, none);
    };
    let since = super::health::follow_ups_since(clock.now);
    let mut started = None;
    let worker = match second {
        SecondReader::Started(worker) => worker,
        SecondReader::Later if large(store.path()) => {
            started.insert(Worker::start(store.reader_opener()?))
        }
        _ => {
            let theirs = crate::store::health::organization_follow_ups(conn, org, since)?;
            let from_people = of_organization(conn, org, id, clock, || Some(theirs));
            return read_brief(
                store,
                contact,
                clock,
                interactions,
                Some(|| from_people.map(|(told, _)| told)),
            );
        }
    };
    let (send, follow_ups) = std::sync::mpsc::sync_channel(1);
    // Should the thread be gone, what it would have said is worked out here.
    let asked = worker.ask(org, id, clock, follow_ups);
    let theirs = crate::store::health::organization_follow_ups(conn, org, since)?;
    // The other thread reads them itself should it be gone.
    let _ = send.send(theirs);
    read_brief(
        store,
        contact,
        clock,
        interactions,
        Some(|| match worker.answer().filter(|_| asked) {
            Some(told) => told,
            None => of_organization(conn, org, id, clock, || None).map(|(told, _)| told),
        }),
    )
}

/// What the brief says of organization `org` from its people's rows: its health, the last
/// touch with someone there other than `person` (or with it), and its open follow-ups
/// (whom each is about named from those rows).
struct FromPeople {
    health: crate::account::AccountHealth,
    last_touch: Option<LastTouch>,
    open: Vec<Reminder>,
}

/// [`FromPeople`] of organization `org`, read through `conn` (which may be a second
/// thread's): one pass over the organization's range of `organization_people` scores its
/// people but for their follow-ups and finds the latest time there, whose interaction is
/// then read. Its follow-ups come from `follow_ups` (asked last: another thread may be
/// reading them meanwhile), read here when it has none. With its people as read (for the
/// caller to let go of when it suits it: they are many).
fn of_organization(
    conn: &rusqlite::Connection,
    org: i64,
    person: i64,
    clock: Clock,
    follow_ups: impl FnOnce() -> Option<FollowUps>,
) -> Result<(FromPeople, super::org_brief::AccountPeople)> {
    let mut latest = crate::store::org_activity::LatestTouch::new(Some(person));
    let mut people =
        super::org_brief::AccountPeople::read(conn, org, clock, &mut |c, t| latest.see(c, t))?;
    let latest = match latest.finish(conn, org)? {
        Some(id) => interactions::list(
            conn,
            &InteractionFilter {
                ids: Some(id.into_iter().collect()),
                ..Default::default()
            },
        )?,
        None => super::org_brief::latest_interactions(conn, org, Some(person), None, 1)?,
    };
    let last_touch = latest.into_iter().next().map(|i| LastTouch {
        interaction_id: i.id,
        occurred_at: i.occurred_at,
        channel: i.channel,
        summary: i.summary,
        with: i.participants,
    });
    let (mut open, follow_ups) = match follow_ups() {
        Some(given) => given,
        None => crate::store::health::organization_follow_ups(
            conn,
            org,
            super::health::follow_ups_since(clock.now),
        )?,
    };
    reminders::name_people(conn, org, &mut open, |id| people.person(id))?;
    let told = FromPeople {
        health: people.health(&follow_ups, clock),
        last_touch,
        open,
    };
    Ok((told, people))
}

/// [`contact_brief`] of `contact`, with what their organization's people's rows say of it
/// (its health, its last touch, its open follow-ups named), when they have one (asked
/// last, so that a second thread has the longest to work it out).
fn read_brief(
    store: &Store,
    contact: Contact,
    clock: Clock,
    interactions: Option<usize>,
    company: Option<impl FnOnce() -> Result<FromPeople>>,
) -> Result<ContactBrief> {
    let conn = store.conn();
    let id = contact.id;
    let history = timeline(conn, id, interactions)?;
    let follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            contact_id: Some(id),
            ..Default::default()
        },
    )?;
    let links = relationships::for_contact(conn, id)?;
    let dates = contact_dates::by_contact(conn, Some(&[id]))?
        .remove(&id)
        .unwrap_or_default();
    let cadence = effective_cadence(&contact, &tag_cadences::list(conn)?);
    let today = clock.today();
    let health = super::health::of_loaded(store, &contact, cadence.as_ref(), clock.now)?;
    let sync_conflicts = crate::store::sync::conflicts_of(conn, &contact.uid)?;
    let organization = match (contact.organization_id, company) {
        (Some(org), Some(theirs)) => Some(company_context(store, org, id, clock, theirs()?)?),
        _ => None,
    };
    let keep_in_touch = cadence.map(|(every, cadence_source)| {
        let reconnect_on = reconnect_due_on(&contact, every, &Local);
        KeepInTouch {
            every,
            cadence_source,
            reconnect_on,
            due: reconnect_on <= today,
        }
    });
    Ok(ContactBrief {
        status: ContactStatus::of(&contact, today),
        birthday: contact
            .fields
            .birthday
            .map(|b| YearlyItem::new("birthday".into(), b, today)),
        last_contact_day: contact
            .last_contact_at
            .map(|t| t.with_timezone(&Local).date_naive()),
        archived: contact.archived_at.is_some(),
        dates: dates
            .into_iter()
            .map(|d| YearlyItem::new(d.label, d.date, today))
            .collect(),
        keep_in_touch,
        organization,
        sync_conflicts,
        health: health.health,
        rhythm: health.rhythm.unwrap_or_default(),
        interactions: history,
        follow_ups: FollowUpItem::all(follow_ups, clock),
        relationships: links,
        contact,
        today,
        now: clock.now,
    })
}

/// The latest `limit` entries of a contact's timeline: interactions, with a thread of
/// captured mail as one (its latest message, carrying the thread's count and span).
fn timeline(
    conn: &rusqlite::Connection,
    contact: i64,
    limit: Option<usize>,
) -> Result<Vec<Interaction>> {
    let entries = crate::store::capture::timeline_of_contact(conn, contact, limit)?;
    let mut found = interactions::list(
        conn,
        &InteractionFilter {
            ids: Some(entries.iter().map(|(id, _)| *id).collect()),
            ..Default::default()
        },
    )?;
    let spans: std::collections::HashMap<i64, _> = entries
        .into_iter()
        .filter_map(|(id, span)| Some((id, span?)))
        .collect();
    for i in &mut found {
        i.thread = spans.get(&i.id).copied();
    }
    Ok(found)
}

/// The context of organization `org` for its person `person`, with what its people's rows
/// say (its open follow-ups, on it or on its people, but `person`'s own).
fn company_context(
    store: &Store,
    org: i64,
    person: i64,
    clock: Clock,
    theirs: FromPeople,
) -> Result<CompanyContext> {
    let o = organizations::named(store.conn(), org)?;
    let mut follow_ups = theirs.open;
    follow_ups.retain(|r| r.contact.as_ref().is_none_or(|c| c.id != person));
    Ok(CompanyContext {
        id: o.id,
        uid: o.uid,
        name: o.name,
        archived: o.archived_at.is_some(),
        notes: o.notes,
        follow_ups: FollowUpItem::all(follow_ups, clock),
        last_touch: theirs.last_touch,
        health: theirs.health,
    })
}

impl ContactBrief {
    /// The cadence the contact inherits from a tag, if that is where it comes from (a cadence
    /// of their own shows with their status).
    pub fn inherited_cadence(&self) -> Option<(&KeepInTouch, &str)> {
        let k = self.keep_in_touch.as_ref()?;
        match &k.cadence_source {
            CadenceSource::Tag { tag } => Some((k, tag.as_str())),
            CadenceSource::Contact => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;
    use crate::app::follow_ups::{AddFollowUp, Subject};
    use crate::app::interactions::{LogInteraction, log};
    use crate::model::{ContactFields, Due, RecurFrom};
    use crate::store::OpenMode;

    fn clock() -> Clock {
        let now = DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z").unwrap();
        Clock::fixed(now.with_timezone(&Utc))
    }

    fn add(store: &mut Store, name: &str, org: Option<&str>) -> i64 {
        let fields = ContactFields {
            display_name: name.into(),
            organization: org.map(str::to_string),
            ..ContactFields::default()
        };
        crate::app::contacts::add(store, clock(), fields).unwrap()
    }

    fn remind(store: &mut Store, about: Subject, day: u32) -> i64 {
        let input = AddFollowUp {
            about,
            text: format!("by the {day}th"),
            due: Due::Day(NaiveDate::from_ymd_opt(2026, 11, day).unwrap()),
            recurrence: None,
            recur_from: RecurFrom::Due,
        };
        crate::app::follow_ups::add(store, clock().now, &input).unwrap()
    }

    /// The company's side worked out on a second thread (as in a large book) is the one
    /// worked out on this thread, and its health is `kith org show`'s: open, done lately,
    /// done long ago, snoozed and archived people's follow-ups, and one on the organization
    /// about someone elsewhere.
    #[test]
    fn the_company_side_is_the_same_on_a_second_thread_and_as_org_show_gives_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        for name in ["Acme", "Initech"] {
            let input = crate::app::organizations::AddOrganization {
                name: name.into(),
                ..Default::default()
            };
            crate::app::organizations::add(&mut store, clock().now, &input).unwrap();
        }
        let ada = add(&mut store, "Ada", Some("Acme"));
        let people: Vec<i64> = ["Bo", "Cy", "Di", "Ed", "Flo"]
            .iter()
            .map(|n| add(&mut store, n, Some("Acme")))
            .collect();
        let elsewhere = add(&mut store, "Gus", Some("Initech"));
        let org = contacts::get(store.conn(), ada)
            .unwrap()
            .organization_id
            .unwrap();
        for (i, &who) in people.iter().enumerate() {
            let input = LogInteraction {
                participants: vec![who],
                organization: None,
                summary: format!("call {i}"),
                channel: Channel::Call,
                direction: None,
                at: Some(format!("2026-{:02}-10 10:00", 6 + i)),
                body: None,
                follow_up: None,
            };
            log(&mut store, clock(), &input).unwrap();
            remind(&mut store, Subject::Contact(who), 10 + i as u32);
        }
        let on_org = remind(&mut store, Subject::Contact(elsewhere), 20);
        let conn = store.conn();
        conn.execute(
            "UPDATE reminders SET organization_id = ?1 WHERE id = ?2",
            [org, on_org],
        )
        .unwrap();
        let ids: Vec<i64> = people.clone();
        let set = |sql: &str, who: i64| {
            conn.execute(sql, [who]).unwrap();
        };
        set(
            "UPDATE reminders SET done_at = '2026-11-20T10:00:00Z' WHERE contact_id = ?1",
            ids[0],
        );
        set(
            "UPDATE reminders SET done_at = '2026-01-20T10:00:00Z' WHERE contact_id = ?1",
            ids[1],
        );
        set(
            "UPDATE reminders SET snoozed_until = '2026-12-01' WHERE contact_id = ?1",
            ids[2],
        );
        set(
            "UPDATE contacts SET archived_at = '2026-10-01T00:00:00Z' WHERE id = ?1",
            ids[3],
        );
        let here =
            contact_brief_with(&store, ada, clock(), Some(5), &mut SecondReader::None).unwrap();
        let mut second = SecondReader::opening(store.reader_opener().unwrap());
        let there = contact_brief_with(&store, ada, clock(), Some(5), &mut second).unwrap();
        assert_eq!(here, there);
        let company = here.organization.unwrap();
        // Everyone's open follow-ups but Ada's, the done ones left out, the snoozed and
        // the archived person's in, and the one on the organization.
        assert_eq!(company.follow_ups.len(), 4);
        assert_eq!(company.last_touch.unwrap().summary, "call 4");
        let org_show = super::super::org_brief::org_brief(
            &store,
            org,
            clock(),
            Some(1),
            super::super::org_brief::Detail::Complete,
        )
        .unwrap();
        assert_eq!(company.health, org_show.health);
    }
}
