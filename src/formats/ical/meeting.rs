//! What capture makes of one past occurrence: a meeting with the people in it, or nothing
//! when it is not mine (I declined it, or others' event I am not in). Which people are
//! contacts is the caller's business (it matches addresses as it does for mail).

use chrono::{DateTime, NaiveTime, TimeZone, Utc};

use super::{Occurrence, OccurrenceKey, PartStat, Person, When};

/// A meeting to record for an occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub key: OccurrenceKey,
    pub sequence: i64,
    pub occurred_at: DateTime<Utc>,
    /// The event's SUMMARY, or a stand-in when it has none (a record must say something).
    pub summary: String,
    pub location: Option<String>,
    /// The organizer and the attendees who did not decline, without me, each address once,
    /// in the file's order.
    pub people: Vec<Person>,
}

/// The summary of an event that has none.
pub const UNTITLED: &str = "(untitled event)";

/// The meeting `occurrence` is for me (`me`: my addresses); `None` when I declined it, or
/// when it names people and I am none of them (another's calendar shared with me). With no
/// address of mine known, every event is taken as mine. An all-day event happened at noon
/// of its day in `local`, as `kith log` takes a date.
pub fn meeting<Tz: TimeZone>(
    occurrence: &Occurrence,
    me: &[String],
    local: &Tz,
) -> Option<Meeting> {
    let mine: Vec<String> = me.iter().map(|a| address_key(a)).collect();
    let is_me = |address: &str| mine.contains(&address_key(address));
    let organizer_is_me = occurrence
        .organizer
        .as_ref()
        .is_some_and(|o| is_me(&o.address));
    let my_answers: Vec<PartStat> = occurrence
        .attendees
        .iter()
        .filter(|a| is_me(&a.person.address))
        .map(|a| a.status)
        .collect();
    if !organizer_is_me && my_answers.contains(&PartStat::Declined) {
        return None;
    }
    let names_people = occurrence.organizer.is_some() || !occurrence.attendees.is_empty();
    let i_am_in_it = organizer_is_me || !my_answers.is_empty();
    if names_people && !mine.is_empty() && !i_am_in_it {
        return None;
    }
    let mut people: Vec<Person> = Vec::new();
    let candidates = occurrence.organizer.iter().chain(
        occurrence
            .attendees
            .iter()
            .filter(|a| a.status != PartStat::Declined)
            .map(|a| &a.person),
    );
    for person in candidates {
        let key = address_key(&person.address);
        if !is_me(&person.address) && !people.iter().any(|p| address_key(&p.address) == key) {
            people.push(person.clone());
        }
    }
    Some(Meeting {
        key: occurrence.key.clone(),
        sequence: occurrence.sequence,
        occurred_at: occurred_at(&occurrence.start, local),
        summary: occurrence
            .summary
            .clone()
            .unwrap_or_else(|| UNTITLED.to_string()),
        location: occurrence.location.clone(),
        people,
    })
}

/// An address as compared: lower case, without a `+tag` in its local part.
pub fn address_key(address: &str) -> String {
    let address = address.trim().to_lowercase();
    match address.split_once('@') {
        Some((local, domain)) => {
            let local = local.split_once('+').map_or(local, |(base, _)| base);
            format!("{local}@{domain}")
        }
        None => address,
    }
}

/// When an occurrence happened: its time, or noon of its day for an all-day event.
pub fn occurred_at<Tz: TimeZone>(start: &When, local: &Tz) -> DateTime<Utc> {
    match start {
        When::Date(d) => {
            When::Floating(d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()))
                .start(local)
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
    use crate::formats::ical::Attendee;

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
                uid: "u".into(),
                recurrence_id: None,
            },
            sequence: 0,
            summary: Some("Review".into()),
            start: When::At("2025-01-06T15:00:00Z".parse().unwrap()),
            location: Some("Room 1".into()),
            organizer: organizer.map(person),
            attendees,
            line: None,
        }
    }

    fn me() -> Vec<String> {
        vec!["Ada@Example.com".into()]
    }

    fn addresses(m: &Meeting) -> Vec<&str> {
        m.people.iter().map(|p| p.address.as_str()).collect()
    }

    #[test]
    fn the_people_are_everyone_but_me_and_those_who_declined() {
        let o = occurrence(
            Some("grace@example.com"),
            vec![
                attendee("ada+work@example.com", PartStat::Accepted),
                attendee("alan@example.com", PartStat::Tentative),
                attendee("bob@example.com", PartStat::Declined),
                attendee("GRACE@example.com", PartStat::Accepted),
            ],
        );
        let m = meeting(&o, &me(), &Utc).unwrap();
        assert_eq!(addresses(&m), ["grace@example.com", "alan@example.com"]);
        assert_eq!(m.summary, "Review");
        assert_eq!(m.location.as_deref(), Some("Room 1"));
        assert_eq!(
            m.occurred_at,
            "2025-01-06T15:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn a_meeting_i_declined_or_am_not_in_is_none() {
        let declined = occurrence(
            Some("grace@example.com"),
            vec![attendee("ada@example.com", PartStat::Declined)],
        );
        assert_eq!(meeting(&declined, &me(), &Utc), None);
        let others = occurrence(
            Some("grace@example.com"),
            vec![attendee("alan@example.com", PartStat::Accepted)],
        );
        assert_eq!(meeting(&others, &me(), &Utc), None);
        // Not knowing who I am, every event is mine.
        assert!(meeting(&others, &[], &Utc).is_some());
        // My own event with nobody in it is mine (and has nobody to credit).
        let alone = meeting(&occurrence(None, vec![]), &me(), &Utc).unwrap();
        assert!(alone.people.is_empty());
        // Organizing is attending, whatever an attendee line of mine says.
        let organized = occurrence(
            Some("ada@example.com"),
            vec![
                attendee("ada@example.com", PartStat::Declined),
                attendee("alan@example.com", PartStat::NeedsAction),
            ],
        );
        assert_eq!(
            addresses(&meeting(&organized, &me(), &Utc).unwrap()),
            ["alan@example.com"]
        );
    }

    #[test]
    fn an_all_day_event_happened_at_noon_and_an_untitled_one_says_so() {
        let mut o = occurrence(None, vec![]);
        o.start = When::Date(NaiveDate::from_ymd_opt(2025, 6, 10).unwrap());
        o.summary = None;
        let berlin = CalTz::from_str("Europe/Berlin").unwrap();
        let m = meeting(&o, &me(), &berlin).unwrap();
        assert_eq!(
            m.occurred_at,
            "2025-06-10T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(m.summary, UNTITLED);
    }

    #[test]
    fn addresses_compare_without_case_or_tag() {
        assert_eq!(address_key(" Ada+Work@Example.COM "), "ada@example.com");
        assert_eq!(address_key("nobody"), "nobody");
    }
}
