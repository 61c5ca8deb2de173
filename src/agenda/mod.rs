//! What is due: follow-ups (overdue, today, the coming days), contacts due to reconnect by
//! their keep-in-touch cadence, and birthdays and other yearly dates coming up.
//!
//! [`build`] is pure: it takes the records, "now" and the time zone as arguments, so tests run
//! it on a fixed clock. The application layer (`app::views::agenda`) reads the records and
//! calls it; the CLI (`kith today`, `--check`, `--json`) and the interactive mode all show
//! what it returns.
//!
//! # Rules
//! - A follow-up counts at its effective due date (a snooze moves it). An all-day one is
//!   overdue from the day after its date; a timed one once its instant has passed. One due
//!   later today is in `today`; one due within the next `horizon_days` days is in `upcoming`.
//! - A contact's cadence is its own (`kith edit ada --every 2m`), else the shortest cadence of
//!   its tags (`kith tag-cadence client 30d`). It is due to reconnect once its last interaction
//!   plus the cadence is today or earlier (never contacted: counted from when it was added).
//!   Logging an interaction resets it.
//! - An organization with a cadence of its own (`kith org edit globex --every 1m`) is due to
//!   reconnect once its last touch (the latest interaction with it or with anyone there)
//!   plus the cadence is today or earlier (never touched: counted from when it was added).
//! - Birthdays and yearly dates occurring from today to `horizon_days` days ahead are listed;
//!   Feb 29 falls on Feb 28 in common years. `years` (the age turned, or the anniversary's
//!   count) is only given when the year is known.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use crate::model::{
    Birthday, ContactRef, Due, OrgRef, Period, RecurFrom, Reminder, ReminderExtra, TagCadence,
    YearlyDate,
};

mod follow_ups;
mod reconnect;

pub use follow_ups::{build_follow_ups, first_follow_ups, listed_before};
use follow_ups::{follow_up_item, grouped};
pub use reconnect::{
    cadence_of, counted_from_bounds, due_on, effective_cadence, rank_reconnects, reconnect_due_on,
};
use reconnect::{organization_reconnects, reconnects};

/// How many days ahead `kith today` looks by default.
pub const DEFAULT_HORIZON_DAYS: u32 = 7;

/// The records the agenda is computed from (see `store::agenda::load`).
#[derive(Debug, Clone, Default)]
pub struct AgendaInput {
    /// Open follow-ups.
    pub follow_ups: Vec<Reminder>,
    pub extras: HashMap<i64, ReminderExtra>,
    /// Active (not archived) contacts with a cadence or a yearly date, or a birthday within
    /// the days the agenda looks ahead (see `store::agenda::load`).
    pub contacts: Vec<AgendaContact>,
    pub tag_cadences: Vec<TagCadence>,
    /// Yearly dates other than birthdays, by contact id.
    pub dates: HashMap<i64, Vec<YearlyDate>>,
    /// Active organizations with a cadence of their own.
    pub organizations: Vec<OrgCadence>,
}

/// An active contact as the agenda reads them: only what it computes from (a whole
/// [`Contact`] is ten times the size, and a large book has tens of thousands of these).
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaContact {
    pub contact: ContactRef,
    pub birthday: Option<Birthday>,
    /// Their own cadence.
    pub cadence: Option<Period>,
    /// Their tags that have a cadence.
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_contact_at: Option<DateTime<Utc>>,
}

/// An organization with its own cadence, and its last touch.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgCadence {
    pub organization: OrgRef,
    pub cadence: Period,
    pub created_at: DateTime<Utc>,
    /// The latest interaction with the organization or with anyone there.
    pub last_touch_at: Option<DateTime<Utc>>,
}

/// The agenda of one day. Field names are stable: scripts read them from `kith today --json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Agenda {
    /// Today, in the local time zone.
    #[serde(serialize_with = "crate::dates::text::serialize_day")]
    pub date: NaiveDate,
    #[serde(serialize_with = "crate::dates::text::serialize_time")]
    pub now: DateTime<Utc>,
    pub horizon_days: u32,
    pub overdue: Vec<AgendaFollowUp>,
    pub today: Vec<AgendaFollowUp>,
    /// Due after today, up to `horizon_days` days ahead.
    pub upcoming: Vec<AgendaFollowUp>,
    pub reconnect: Vec<Reconnect>,
    /// Organizations whose own cadence ran out: nobody there was contacted in time.
    pub reconnect_organizations: Vec<OrgReconnect>,
    /// Birthdays and other yearly dates from today to `horizon_days` days ahead.
    pub dates: Vec<DateOccurrence>,
    /// Whether `reconnect` is ranked by health ([`rank_reconnects`]); false when only the
    /// first few, longest overdue, were scored (`kith today`'s summary of a long list).
    #[serde(skip)]
    pub reconnect_ranked: bool,
    /// Entries counted but not held: `kith today`'s summary reads only each group's first
    /// few (zero in a complete agenda).
    #[serde(skip)]
    pub unlisted: Unlisted,
    /// Contacts listed whose name another contact has too: the text names them with their
    /// #id (see `app::views::agenda::mark_namesakes`); `--json` has every id anyway.
    #[serde(skip)]
    pub namesakes: std::collections::HashSet<i64>,
}

/// How many entries of each group an agenda counts beyond those it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unlisted {
    pub overdue: usize,
    pub today: usize,
    pub upcoming: usize,
    pub reconnect: usize,
}

impl Agenda {
    pub fn has_overdue(&self) -> bool {
        !self.overdue.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many entries it lists, all groups together.
    pub fn len(&self) -> usize {
        self.overdue.len()
            + self.today.len()
            + self.upcoming.len()
            + self.reconnect.len()
            + self.reconnect_organizations.len()
            + self.dates.len()
    }

    /// Entry `i` in the order shown: overdue, today, upcoming, reconnect (people, then
    /// organizations), dates.
    pub fn entry(&self, i: usize) -> Option<Entry<'_>> {
        let mut i = i;
        for (group, list) in [
            (Group::Overdue, &self.overdue),
            (Group::Today, &self.today),
            (Group::Upcoming, &self.upcoming),
        ] {
            if let Some(f) = list.get(i) {
                return Some(Entry::FollowUp(group, f));
            }
            i -= list.len();
        }
        if let Some(r) = self.reconnect.get(i) {
            return Some(Entry::Reconnect(r));
        }
        i -= self.reconnect.len();
        if let Some(o) = self.reconnect_organizations.get(i) {
            return Some(Entry::OrgReconnect(o));
        }
        self.dates
            .get(i - self.reconnect_organizations.len())
            .map(Entry::Date)
    }

    /// Every entry in the order shown.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        fn follow_ups(group: Group, list: &[AgendaFollowUp]) -> impl Iterator<Item = Entry<'_>> {
            list.iter().map(move |f| Entry::FollowUp(group, f))
        }
        follow_ups(Group::Overdue, &self.overdue)
            .chain(follow_ups(Group::Today, &self.today))
            .chain(follow_ups(Group::Upcoming, &self.upcoming))
            .chain(self.reconnect.iter().map(Entry::Reconnect))
            .chain(self.reconnect_organizations.iter().map(Entry::OrgReconnect))
            .chain(self.dates.iter().map(Entry::Date))
    }
}

/// Which group of follow-ups an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Overdue,
    Today,
    Upcoming,
}

/// One entry of the agenda, in a single list (the interactive mode's rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry<'a> {
    FollowUp(Group, &'a AgendaFollowUp),
    Reconnect(&'a Reconnect),
    OrgReconnect(&'a OrgReconnect),
    Date(&'a DateOccurrence),
}

impl Entry<'_> {
    /// The contact it is about, if any (a follow-up may be about an organization).
    pub fn contact(&self) -> Option<&ContactRef> {
        match self {
            Entry::FollowUp(_, f) => f.contact.as_ref(),
            Entry::Reconnect(r) => Some(&r.contact),
            Entry::OrgReconnect(_) => None,
            Entry::Date(d) => Some(&d.contact),
        }
    }

    /// The follow-up it is, if it is one.
    pub fn follow_up(&self) -> Option<&AgendaFollowUp> {
        match self {
            Entry::FollowUp(_, f) => Some(f),
            Entry::Reconnect(_) | Entry::OrgReconnect(_) | Entry::Date(_) => None,
        }
    }

    /// The day it is listed under: when due, when the cadence ran out, when the date falls.
    pub fn day(&self) -> NaiveDate {
        match self {
            Entry::FollowUp(_, f) => f.day,
            Entry::Reconnect(r) => r.due_on,
            Entry::OrgReconnect(o) => o.due_on,
            Entry::Date(d) => d.on,
        }
    }

    /// Whom it is about: the contact, else the organization; empty for neither.
    pub fn who(&self) -> &str {
        match self {
            Entry::FollowUp(_, f) => f
                .contact
                .as_ref()
                .map(|c| c.name.as_str())
                .or_else(|| f.organization.as_ref().map(|o| o.name.as_str()))
                .unwrap_or_default(),
            Entry::Reconnect(r) => &r.contact.name,
            Entry::OrgReconnect(o) => &o.organization.name,
            Entry::Date(d) => &d.contact.name,
        }
    }
}

/// Whether a follow-up due `due` is overdue at `now` (`today` in the local zone): an all-day
/// one from the day after its date, a timed one once its instant has passed. The one rule of
/// "overdue" for the agenda, the briefs and `kith reminders --overdue`.
pub fn is_overdue(due: Due, now: DateTime<Utc>, today: NaiveDate) -> bool {
    match due {
        Due::Day(d) => d < today,
        Due::At(t) => t < now,
    }
}

/// A follow-up as the agenda shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaFollowUp {
    pub id: i64,
    pub uid: String,
    pub text: String,
    /// When it is due: `YYYY-MM-DD` (all day) or an RFC 3339 UTC time; a snooze replaces it.
    pub due: Due,
    /// The local day it is due on.
    #[serde(serialize_with = "crate::dates::text::serialize_day")]
    pub day: NaiveDate,
    pub all_day: bool,
    /// Days from today to `day`: negative when overdue.
    pub days: i64,
    pub snoozed: bool,
    /// Its period when it recurs, e.g. `"1m"`.
    pub every: Option<Period>,
    /// For a recurring one: `"due"` or `"done"` (counted from completion).
    pub recur_from: Option<RecurFrom>,
    pub contact: Option<ContactRef>,
    pub organization: Option<OrgRef>,
    /// The interaction it was created with (`kith log --follow-up`).
    pub interaction_id: Option<i64>,
}

/// Where a contact's cadence comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "lowercase")]
pub enum CadenceSource {
    Contact,
    Tag { tag: String },
}

/// A contact due to reconnect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconnect {
    pub contact: ContactRef,
    pub cadence: Period,
    pub cadence_source: CadenceSource,
    #[serde(serialize_with = "crate::dates::text::serialize_opt_time")]
    pub last_contact_at: Option<DateTime<Utc>>,
    /// The day the cadence ran out.
    #[serde(serialize_with = "crate::dates::text::serialize_day")]
    pub due_on: NaiveDate,
    pub days_overdue: i64,
    /// When they were added to the book (health counts from it); not printed.
    #[serde(skip)]
    pub added_at: DateTime<Utc>,
    /// Their health (`kith health`), when it was worked out: the reconnect list is ranked by
    /// it, weakest first ([`rank_reconnects`]).
    pub health: Option<u8>,
}

/// An organization due to reconnect: nobody there was contacted within its cadence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgReconnect {
    pub organization: OrgRef,
    pub cadence: Period,
    /// The latest interaction with the organization or anyone there.
    #[serde(serialize_with = "crate::dates::text::serialize_opt_time")]
    pub last_touch_at: Option<DateTime<Utc>>,
    /// The day the cadence ran out.
    #[serde(serialize_with = "crate::dates::text::serialize_day")]
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateKind {
    Birthday,
    /// A labeled yearly date: an anniversary, a renewal.
    Yearly,
}

/// A birthday or yearly date coming up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateOccurrence {
    pub contact: ContactRef,
    pub kind: DateKind,
    /// `"birthday"`, or the date's label (`"renewal"`).
    pub label: String,
    /// As stored: `1986-12-01`, or `--12-01` without a year.
    pub date: Birthday,
    /// The day it falls on this time.
    #[serde(serialize_with = "crate::dates::text::serialize_day")]
    pub on: NaiveDate,
    pub days_until: i64,
    /// The age turned, or the anniversary's count; only when the year is known.
    pub years: Option<i32>,
}

/// Today in `tz` at `now`, and the last day the agenda looks ahead to.
pub fn today_and_horizon<Tz: TimeZone>(
    now: DateTime<Utc>,
    tz: &Tz,
    horizon_days: u32,
) -> (NaiveDate, NaiveDate) {
    let today = now.with_timezone(tz).date_naive();
    let horizon = today
        .checked_add_days(Days::new(u64::from(horizon_days)))
        .unwrap_or(NaiveDate::MAX);
    (today, horizon)
}

/// The agenda of `input` at `now`, reading days in `tz`.
pub fn build<Tz: TimeZone>(
    input: &AgendaInput,
    now: DateTime<Utc>,
    tz: &Tz,
    horizon_days: u32,
) -> Agenda {
    let (today, horizon) = today_and_horizon(now, tz, horizon_days);
    let mut agenda = Agenda {
        date: today,
        now,
        horizon_days,
        overdue: Vec::new(),
        today: Vec::new(),
        upcoming: Vec::new(),
        reconnect: reconnects(input, today, tz),
        reconnect_organizations: organization_reconnects(input, today, tz),
        dates: dates(input, today, horizon),
        reconnect_ranked: false,
        unlisted: Unlisted::default(),
        namesakes: Default::default(),
    };
    for (group, i, day) in grouped(&input.follow_ups, now, today, horizon, tz) {
        let r = &input.follow_ups[i];
        let mut item = follow_up_item(r, input.extras.get(&r.id), today, day);
        item.uid.clone_from(&r.uid);
        item.text.clone_from(&r.text);
        item.contact.clone_from(&r.contact);
        item.organization.clone_from(&r.organization);
        agenda.group_mut(group).push(item);
    }
    agenda
}

fn dates(input: &AgendaInput, today: NaiveDate, horizon: NaiveDate) -> Vec<DateOccurrence> {
    let mut out = Vec::new();
    for c in &input.contacts {
        let birthday = c
            .birthday
            .map(|b| (DateKind::Birthday, "birthday".to_string(), b));
        let others = input
            .dates
            .get(&c.contact.id)
            .into_iter()
            .flatten()
            .map(|d| (DateKind::Yearly, d.label.clone(), d.date));
        for (kind, label, date) in birthday.into_iter().chain(others) {
            let on = date.next_on_or_after(today);
            if on > horizon {
                continue;
            }
            out.push(DateOccurrence {
                contact: c.contact.clone(),
                kind,
                label,
                date,
                on,
                days_until: crate::dates::days_between(today, on),
                years: date.year.map(|y| on.year() - y).filter(|&n| n >= 0),
            });
        }
    }
    out.sort_by(|a, b| (a.on, &a.contact.name, &a.label).cmp(&(b.on, &b.contact.name, &b.label)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn contact(id: i64, name: &str, created: &str) -> AgendaContact {
        AgendaContact {
            contact: ContactRef {
                id,
                uid: format!("uid-{id}"),
                name: name.into(),
            },
            birthday: None,
            cadence: None,
            tags: Vec::new(),
            created_at: at(created),
            last_contact_at: None,
        }
    }

    fn follow_up(id: i64, due: Due) -> Reminder {
        Reminder {
            id,
            uid: format!("r-{id}"),
            text: format!("task {id}"),
            due,
            recurrence: None,
            snoozed_until: None,
            done_at: None,
            contact: None,
            organization: None,
            created_at: at("2026-01-01T00:00:00Z"),
        }
    }

    #[test]
    fn follow_ups_are_grouped_by_when_they_are_due() {
        let now = at("2026-11-24T10:00:00Z");
        let mut snoozed = follow_up(5, Due::Day(day(2026, 11, 20)));
        snoozed.snoozed_until = Some(Due::Day(day(2026, 11, 26)));
        let input = AgendaInput {
            follow_ups: vec![
                follow_up(1, Due::Day(day(2026, 11, 23))),
                follow_up(2, Due::Day(day(2026, 11, 24))),
                follow_up(3, Due::At(at("2026-11-24T09:00:00Z"))),
                follow_up(4, Due::At(at("2026-11-24T15:00:00Z"))),
                snoozed,
                follow_up(6, Due::Day(day(2026, 12, 1))),
                follow_up(7, Due::Day(day(2026, 12, 2))),
            ],
            ..AgendaInput::default()
        };
        let a = build(&input, now, &Utc, 7);
        let ids = |v: &[AgendaFollowUp]| v.iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(ids(&a.overdue), [1, 3]);
        assert_eq!(ids(&a.today), [2, 4]);
        assert_eq!(ids(&a.upcoming), [5, 6]);
        assert!(a.has_overdue());
        assert_eq!(a.overdue[0].days, -1);
        assert!(a.upcoming[0].snoozed);
    }

    #[test]
    fn days_are_read_in_the_given_time_zone() {
        // 23:30 UTC on the 24th is already the 25th at +01:00.
        let now = at("2026-11-24T23:30:00Z");
        let input = AgendaInput {
            follow_ups: vec![follow_up(1, Due::Day(day(2026, 11, 24)))],
            ..AgendaInput::default()
        };
        let plus_one = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(build(&input, now, &Utc, 7).today.len(), 1);
        assert_eq!(build(&input, now, &plus_one, 7).overdue.len(), 1);
    }

    #[test]
    fn cadence_comes_from_the_contact_or_its_shortest_tag() {
        let now = at("2026-11-24T10:00:00Z");
        let mut own = contact(1, "Ada", "2026-01-01T00:00:00Z");
        own.cadence = Some(Period::parse("2m").unwrap());
        own.tags = vec!["client".into()];
        own.last_contact_at = Some(at("2026-10-01T12:00:00Z"));
        let mut tagged = contact(2, "Bob", "2026-01-01T00:00:00Z");
        tagged.tags = vec!["client".into(), "friend".into()];
        tagged.last_contact_at = Some(at("2026-11-10T12:00:00Z"));
        let never = {
            let mut c = contact(3, "Cy", "2026-10-01T00:00:00Z");
            c.tags = vec!["friend".into()];
            c
        };
        let fresh = {
            let mut c = contact(4, "Di", "2026-11-20T00:00:00Z");
            c.tags = vec!["client".into()];
            c
        };
        let tag = |t: &str, p: &str| TagCadence {
            tag: t.into(),
            cadence: Period::parse(p).unwrap(),
            contacts: 0,
        };
        let input = AgendaInput {
            contacts: vec![own, tagged, never, fresh],
            tag_cadences: vec![tag("client", "30d"), tag("friend", "2w")],
            ..AgendaInput::default()
        };
        let a = build(&input, now, &Utc, 7);
        let names: Vec<&str> = a
            .reconnect
            .iter()
            .map(|r| r.contact.name.as_str())
            .collect();
        // Ada: own 2m from Oct 1 → Dec 1, not yet. Bob: friend 2w from Nov 10 → Nov 24, due.
        // Cy: never contacted, added Oct 1, 2w → Oct 15. Di: added 4 days ago.
        assert_eq!(names, ["Cy", "Bob"]);
        assert_eq!(
            a.reconnect[1].cadence_source,
            CadenceSource::Tag {
                tag: "friend".into()
            }
        );
        assert_eq!(a.reconnect[1].days_overdue, 0);
        assert_eq!(a.reconnect[0].due_on, day(2026, 10, 15));
    }

    #[test]
    fn an_organization_is_due_when_nobody_there_was_contacted_within_its_cadence() {
        let now = at("2026-11-24T10:00:00Z");
        let org = |id: i64, name: &str, last: Option<&str>| OrgCadence {
            organization: OrgRef {
                id,
                uid: format!("o{id}"),
                name: name.into(),
            },
            cadence: Period::parse("1m").unwrap(),
            created_at: at("2026-01-01T00:00:00Z"),
            last_touch_at: last.map(at),
        };
        let input = AgendaInput {
            organizations: vec![
                org(1, "Globex", Some("2026-10-20T09:00:00Z")),
                org(2, "Initech", Some("2026-10-24T09:00:00Z")),
                org(3, "Hooli", Some("2026-11-01T09:00:00Z")),
                org(4, "Umbrella", None),
            ],
            ..AgendaInput::default()
        };
        let a = build(&input, now, &Utc, 7);
        let due: Vec<(&str, i64)> = a
            .reconnect_organizations
            .iter()
            .map(|o| (o.organization.name.as_str(), o.days_overdue))
            .collect();
        // Umbrella: never touched, added Jan 1 → Feb 1. Globex: Oct 20 + 1m → Nov 20.
        // Initech: Oct 24 + 1m → Nov 24, today. Hooli: Dec 1, not yet.
        assert_eq!(due, [("Umbrella", 296), ("Globex", 4), ("Initech", 0)]);
        assert_eq!(a.entries().count(), 3);
        assert!(matches!(a.entry(0), Some(Entry::OrgReconnect(_))));
        assert_eq!(a.entry(0).and_then(|e| e.contact().cloned()), None);
    }

    #[test]
    fn birthdays_and_yearly_dates_show_ahead_of_time() {
        let now = at("2027-02-25T10:00:00Z");
        let mut leap = contact(1, "Leap", "2020-01-01T00:00:00Z");
        leap.birthday = Some(Birthday::parse("1988-02-29").unwrap());
        let mut yearless = contact(2, "Nyx", "2020-01-01T00:00:00Z");
        yearless.birthday = Some(Birthday::parse("--03-03").unwrap());
        let mut later = contact(3, "Zed", "2020-01-01T00:00:00Z");
        later.birthday = Some(Birthday::parse("1990-03-05").unwrap());
        let mut dates = HashMap::new();
        dates.insert(
            3,
            vec![YearlyDate {
                label: "renewal".into(),
                date: Birthday::parse("2025-02-26").unwrap(),
            }],
        );
        let input = AgendaInput {
            contacts: vec![leap, yearless, later],
            dates,
            ..AgendaInput::default()
        };
        let a = build(&input, now, &Utc, 7);
        let got: Vec<(String, NaiveDate, Option<i32>)> = a
            .dates
            .iter()
            .map(|d| (format!("{}:{}", d.contact.name, d.label), d.on, d.years))
            .collect();
        assert_eq!(
            got,
            [
                ("Zed:renewal".to_string(), day(2027, 2, 26), Some(2)),
                ("Leap:birthday".to_string(), day(2027, 2, 28), Some(39)),
                ("Nyx:birthday".to_string(), day(2027, 3, 3), None),
            ]
        );
        // Mar 5 is 8 days ahead: outside a 7-day horizon.
        assert_eq!(build(&input, now, &Utc, 8).dates.len(), 4);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            /// Every open follow-up lands in at most one group: overdue exactly when it is
            /// past, today/upcoming by its day, nothing beyond the horizon; groups are sorted.
            #[test]
            fn groups_partition_the_open_follow_ups(
                offsets in proptest::collection::vec((-40i64..40, proptest::option::of(0u32..24)), 0..30),
                hour in 0u32..24,
                horizon in 0u32..15,
            ) {
                let today = day(2026, 11, 24);
                let now = Utc.from_utc_datetime(&today.and_hms_opt(hour, 30, 0).unwrap());
                let follow_ups: Vec<Reminder> = offsets
                    .iter()
                    .enumerate()
                    .map(|(i, (off, h))| {
                        let d = today + chrono::Duration::days(*off);
                        let due = match h {
                            None => Due::Day(d),
                            Some(h) => Due::At(Utc.from_utc_datetime(&d.and_hms_opt(*h, 0, 0).unwrap())),
                        };
                        follow_up(i as i64 + 1, due)
                    })
                    .collect();
                let input = AgendaInput { follow_ups: follow_ups.clone(), ..AgendaInput::default() };
                let a = build(&input, now, &Utc, horizon);
                let listed = a.overdue.len() + a.today.len() + a.upcoming.len();
                let mut seen = std::collections::HashSet::new();
                for f in a.overdue.iter().chain(&a.today).chain(&a.upcoming) {
                    prop_assert!(seen.insert(f.id), "#{} listed twice", f.id);
                }
                for r in &follow_ups {
                    let d = r.due.local_day(&Utc);
                    let past = match r.due { Due::Day(d) => d < today, Due::At(t) => t < now };
                    let within = d <= today + chrono::Duration::days(i64::from(horizon));
                    prop_assert_eq!(seen.contains(&r.id), past || within);
                    prop_assert_eq!(a.overdue.iter().any(|f| f.id == r.id), past);
                }
                prop_assert!(listed <= follow_ups.len());
                for group in [&a.overdue, &a.today, &a.upcoming] {
                    prop_assert!(group.windows(2).all(|w| w[0].day <= w[1].day));
                }
                // The single list the interactive mode shows: every entry once, in order.
                prop_assert_eq!(a.entries().count(), a.len());
                for (i, entry) in a.entries().enumerate() {
                    prop_assert_eq!(a.entry(i), Some(entry));
                }
                prop_assert_eq!(a.entry(a.len()), None);
                prop_assert!(a.today.iter().all(|f| f.days == 0));
                prop_assert!(a.upcoming.iter().all(|f| f.days > 0 && f.days <= i64::from(horizon)));
            }
        }
    }
}
