//! Calendar files into captured records: each past occurrence of an event becomes
//! an event record (a meeting) with its organizer and the attendees who did not decline;
//! each past occurrence the file says did not happen (cancelled, or taken out of its
//! series) is withdrawn, so a record captured earlier goes. The iCalendar reading is
//! [`crate::formats::ical`]'s; this decides what I declined and builds the records.
//!
//! A calendar file is taken as mine: every event in it counts, except one I declined (an
//! attendee line of mine says DECLINED and I do not organise it); with no address of mine
//! known, none can be told declined. An all-day event happened at noon of its day, as
//! `kith log` takes a date.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};

use super::addresses::{Me, match_key};
use super::{CapturedRecord, Item, Origin, Participant, RecordKind, Role, Unreadable, Withdrawn};
use crate::formats::ical::{self, Occurrence, OccurrenceKey, PartStat, When};
use crate::model::Channel;

/// The summary of an event that has none (a record must say something).
pub const UNTITLED: &str = "(untitled event)";

/// Every item of the calendar file `file` (its `bytes`), as of `now`, floating times and
/// dates read in `local`: records, withdrawals, and the events or file that could not be
/// read.
pub fn items<Tz: TimeZone>(
    file: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
    local: &Tz,
    me: &Me,
) -> Vec<Item> {
    let origin = Origin {
        file: file.to_string(),
        offset: None,
    };
    let calendar = match ical::read(file, bytes, now, local) {
        Ok(calendar) => calendar,
        Err(message) => {
            // The message starts with the file's name, which the origin says already.
            let reason = message
                .strip_prefix(file)
                .and_then(|r| r.strip_prefix(": "))
                .unwrap_or(&message)
                .to_string();
            return vec![Item::Unreadable(Unreadable { origin, reason })];
        }
    };
    let mut out = Vec::with_capacity(calendar.occurrences.len());
    for skipped in calendar.skipped {
        out.push(Item::Unreadable(Unreadable {
            origin: origin.clone(),
            reason: skipped.to_string(),
        }));
    }
    for occurrence in &calendar.occurrences {
        match record(occurrence, me, local, &origin) {
            Some(record) => out.push(Item::Record(Box::new(record))),
            // Declined: like a cancelled one, a record of it must go.
            None => out.push(withdrawn(&occurrence.key, occurrence.sequence, &origin)),
        }
    }
    for cancelled in &calendar.cancelled {
        out.push(withdrawn(&cancelled.key, cancelled.sequence, &origin));
    }
    out
}

/// The key an occurrence is captured under: its UID, and for one of a series the
/// RECURRENCE-ID of its slot.
pub fn key(key: &OccurrenceKey) -> String {
    match &key.recurrence_id {
        Some(rid) => format!("{};RECURRENCE-ID={rid}", key.uid),
        None => key.uid.clone(),
    }
}

fn withdrawn(occurrence: &OccurrenceKey, sequence: i64, origin: &Origin) -> Item {
    Item::Withdrawn(Withdrawn {
        kind: RecordKind::Event,
        key: key(occurrence),
        sequence: Some(sequence),
        origin: origin.clone(),
    })
}

/// The record of `occurrence`; `None` when I declined it.
pub fn record<Tz: TimeZone>(
    occurrence: &Occurrence,
    me: &Me,
    local: &Tz,
    origin: &Origin,
) -> Option<CapturedRecord> {
    if !is_mine(occurrence, me) {
        return None;
    }
    let mut participants: Vec<Participant> = Vec::new();
    let people = occurrence.organizer.iter().map(|p| (p, Role::From)).chain(
        occurrence
            .attendees
            .iter()
            .filter(|a| a.status != PartStat::Declined)
            .map(|a| (&a.person, Role::To)),
    );
    for (person, role) in people {
        let key = match_key(&person.address);
        let seen = participants.iter().any(|p| match_key(&p.address) == key);
        if !seen {
            participants.push(Participant {
                address: person.address.clone(),
                name: person.name.clone(),
                role,
            });
        }
    }
    Some(CapturedRecord {
        kind: RecordKind::Event,
        key: key(&occurrence.key),
        sequence: Some(occurrence.sequence),
        occurred_at: occurred_at(&occurrence.start, local),
        channel: Channel::Meeting,
        summary: occurrence
            .summary
            .clone()
            .unwrap_or_else(|| UNTITLED.to_string()),
        participants,
        location: occurrence.location.clone(),
        thread: None,
        replies_to: Vec::new(),
        body: None,
        noise: None,
        origin: Origin {
            file: origin.file.clone(),
            offset: None,
        },
    })
}

/// Whether an occurrence is mine to capture: not when I declined it (and do not organise it).
pub fn is_mine(occurrence: &Occurrence, me: &Me) -> bool {
    if me.is_empty() {
        return true;
    }
    let organizer_is_me = occurrence
        .organizer
        .as_ref()
        .is_some_and(|o| me.contains(&o.address));
    organizer_is_me
        || !occurrence
            .attendees
            .iter()
            .any(|a| a.status == PartStat::Declined && me.contains(&a.person.address))
}

/// When an occurrence happened: its time, or noon of its day for an all-day event.
pub fn occurred_at<Tz: TimeZone>(start: &When, local: &Tz) -> DateTime<Utc> {
    match start {
        When::Date(day) => {
            let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
            When::Floating(day.and_time(noon)).start(local)
        }
        other => other.start(local),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use calcard::common::timezone::Tz as CalTz;
    use chrono::NaiveDate;

    use super::*;
    use crate::formats::ical::{Attendee, Person};

    fn person(address: &str) -> Person {
        Person {
            address: address.into(),
            name: None,
        }
    }

    fn attendee(address: &str, status: PartStat) -> Attendee {
        Attendee {
            person: person(address),
            status,
        }
    }

    fn occurrence(organizer: Option<&str>, attendees: Vec<Attendee>) -> Occurrence {
        Occurrence {
            key: OccurrenceKey {
                uid: "u@example.com".into(),
                recurrence_id: Some("20250106T150000Z".into()),
            },
            sequence: 3,
            summary: Some("Review".into()),
            start: When::At("2025-01-06T15:00:00Z".parse().unwrap()),
            location: Some("Room 1".into()),
            organizer: organizer.map(person),
            attendees,
            line: Some(12),
        }
    }

    fn origin() -> Origin {
        Origin {
            file: "cal.ics".into(),
            offset: None,
        }
    }

    fn me() -> Me {
        Me::new(["Ada@Example.com"])
    }

    fn people(r: &CapturedRecord) -> Vec<(&str, Role)> {
        r.participants
            .iter()
            .map(|p| (p.address.as_str(), p.role))
            .collect()
    }

    #[test]
    fn a_meeting_names_its_organizer_and_who_did_not_decline() {
        let o = occurrence(
            Some("grace@example.com"),
            vec![
                attendee("ada+work@example.com", PartStat::Accepted),
                attendee("alan@example.com", PartStat::Tentative),
                attendee("bob@example.com", PartStat::Declined),
                attendee("GRACE@example.com", PartStat::Accepted),
            ],
        );
        let r = record(&o, &me(), &Utc, &origin()).unwrap();
        assert_eq!(
            people(&r),
            [
                ("grace@example.com", Role::From),
                ("ada+work@example.com", Role::To),
                ("alan@example.com", Role::To),
            ]
        );
        assert_eq!(r.key, "u@example.com;RECURRENCE-ID=20250106T150000Z");
        assert_eq!((r.kind, r.channel), (RecordKind::Event, Channel::Meeting));
        assert_eq!(r.sequence, Some(3));
        assert_eq!(r.summary, "Review");
        assert_eq!(r.location.as_deref(), Some("Room 1"));
        assert_eq!(
            r.occurred_at,
            "2025-01-06T15:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        // I attend: it came to me.
        assert_eq!(r.direction(&me()), Some(crate::model::Direction::In));
    }

    #[test]
    fn a_meeting_i_declined_is_not_mine() {
        let declined = occurrence(
            Some("grace@example.com"),
            vec![attendee("ada@example.com", PartStat::Declined)],
        );
        assert!(!is_mine(&declined, &me()));
        assert!(
            is_mine(&declined, &Me::default()),
            "not knowing me, none is declined"
        );
        // An event of the file that does not name me (a group invitation) counts.
        let others = occurrence(
            Some("grace@example.com"),
            vec![attendee("alan@example.com", PartStat::Accepted)],
        );
        assert!(is_mine(&others, &me()));
        assert!(
            is_mine(&occurrence(None, vec![]), &me()),
            "my own, with nobody"
        );
        let organized = occurrence(
            Some("ada@example.com"),
            vec![attendee("ada@example.com", PartStat::Declined)],
        );
        assert!(is_mine(&organized, &me()), "organizing is attending");
    }

    #[test]
    fn what_is_not_mine_or_cancelled_is_withdrawn_and_what_cannot_be_read_named() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20250101T090000Z\r\n\
            ORGANIZER:mailto:ada@example.com\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20250102T090000Z\r\nORGANIZER:mailto:x@example.com\r\n\
            ATTENDEE;PARTSTAT=DECLINED:mailto:ada@example.com\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20250103T090000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:d\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let now = "2025-06-01T00:00:00Z".parse().unwrap();
        let read = items("cal.ics", text.as_bytes(), now, &Utc, &me());
        let seen: Vec<String> = read
            .iter()
            .map(|i| match i {
                Item::Record(r) => format!("record {}", r.key),
                Item::Withdrawn(w) => format!("withdrawn {}", w.key),
                Item::Unreadable(u) => format!("unreadable {}: {}", u.origin, u.reason),
            })
            .collect();
        assert_eq!(
            seen,
            [
                "unreadable cal.ics: line 18: event d: has no DTSTART",
                "record a",
                "withdrawn b",
                "withdrawn c",
            ]
        );
        let broken = items("cut.ics", b"BEGIN:VCALENDAR\r\n", now, &Utc, &me());
        assert!(
            matches!(&broken[..], [Item::Unreadable(u)] if u.reason.starts_with("ends inside")),
            "{broken:?}"
        );
    }

    #[test]
    fn an_all_day_event_happened_at_noon_and_an_untitled_one_says_so() {
        let mut o = occurrence(None, vec![]);
        o.start = When::Date(NaiveDate::from_ymd_opt(2025, 6, 10).unwrap());
        o.summary = None;
        let berlin = CalTz::from_str("Europe/Berlin").unwrap();
        let r = record(&o, &me(), &berlin, &origin()).unwrap();
        assert_eq!(
            r.occurred_at,
            "2025-06-10T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(r.summary, UNTITLED);
    }
}
