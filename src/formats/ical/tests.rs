//! The reader on real files (khal's and python-icalendar's test calendars, copied into
//! tests/fixtures/ics with their SOURCE and licence) and on files written here in the shapes
//! Google, Outlook and Apple export.

use std::str::FromStr;

use calcard::common::timezone::Tz as CalTz;

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    at("2026-12-03T12:00:00Z")
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/ics/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn read_fixture(path: &str) -> Calendar {
    read(path, &fixture(path), now(), &Utc).unwrap()
}

fn read_text(text: &str, now: DateTime<Utc>) -> Calendar {
    read("test.ics", text.as_bytes(), now, &Utc).unwrap()
}

fn rids(calendar: &Calendar) -> Vec<String> {
    calendar
        .occurrences
        .iter()
        .map(|o| o.key.recurrence_id.clone().unwrap_or_default())
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn an_override_replaces_its_slot_and_keeps_its_key() {
    let calendar = read_fixture("khal/event_rrule_recuid.ics");
    assert_eq!(
        rids(&calendar),
        [
            "20140630T050000Z",
            "20140707T050000Z",
            "20140714T050000Z",
            "20140721T050000Z",
            "20140728T050000Z",
            "20140804T050000Z",
        ]
    );
    let moved = &calendar.occurrences[1];
    // 09:00 in Berlin (summer) instead of 07:00, from the override's VEVENT (line 11).
    assert_eq!(moved.start, When::At(at("2014-07-07T07:00:00Z")));
    assert_eq!(moved.line, Some(11));
    assert_eq!(calendar.occurrences[0].line, Some(4));
    assert!(calendar.cancelled.is_empty() && calendar.skipped.is_empty());
}

#[test]
fn a_cancelled_override_gives_no_occurrence_but_is_listed() {
    let calendar = read_fixture("khal/event_rrule_recuid_cancelled.ics");
    assert_eq!(calendar.occurrences.len(), 5);
    assert!(!rids(&calendar).contains(&"20140714T050000Z".to_string()));
    assert_eq!(
        calendar.cancelled,
        [Cancelled {
            key: OccurrenceKey {
                uid: "event_rrule_recurrence_id".into(),
                recurrence_id: Some("20140714T050000Z".into()),
            },
            sequence: 0,
        }]
    );
}

#[test]
fn exdates_in_utc_or_in_a_zone_remove_their_slots() {
    let utc = read_fixture("khal/event_dtr_exdatez.ics");
    assert_eq!(
        rids(&utc),
        ["20140630T053000Z", "20140707T053000Z", "20140714T053000Z"]
    );
    assert_eq!(
        utc.cancelled[0].key.recurrence_id.as_deref(),
        Some("20140721T053000Z")
    );
    let zoned = read_fixture("khal/event_rrule_recuid_update.ics");
    assert_eq!(zoned.occurrences.len(), 5);
    assert_eq!(
        zoned.cancelled[0].key.recurrence_id.as_deref(),
        Some("20140714T050000Z")
    );
}

#[test]
fn series_are_told_apart_by_uid_whatever_the_order_of_their_parts() {
    let calendar = read_fixture("khal/mult_uids_and_recuid_no_order.ics");
    let by_uid = |uid: &str| {
        calendar
            .occurrences
            .iter()
            .filter(|o| o.key.uid == uid)
            .count()
    };
    assert_eq!(by_uid("date123"), 6);
    assert_eq!(by_uid("event_rrule_recurrence_id"), 6);
    let first = &calendar.occurrences[0];
    assert_eq!(first.key.recurrence_id.as_deref(), Some("20130301"));
    assert_eq!(first.start, When::Date(date(2013, 3, 1)));
    assert_eq!(first.summary.as_deref(), Some("Event with Ümläutß"));
    // The override comes first in the file and still replaces the series' second slot.
    let moved = calendar
        .occurrences
        .iter()
        .find(|o| o.key.recurrence_id.as_deref() == Some("20140707T050000Z"))
        .unwrap();
    assert_eq!(moved.start, When::At(at("2014-07-07T07:00:00Z")));
    assert_eq!(moved.line, Some(3));
}

#[test]
fn all_day_floating_and_rdate_events() {
    let days = read_fixture("khal/event_d_rr.ics");
    assert_eq!(days.occurrences.len(), 10);
    assert_eq!(days.occurrences[9].start, When::Date(date(2014, 4, 18)));
    assert_eq!(
        days.occurrences[9].key.recurrence_id.as_deref(),
        Some("20140418")
    );

    let floating = read_fixture("khal/event_dt_floating.ics");
    let occurrence = &floating.occurrences[0];
    assert_eq!(occurrence.key.recurrence_id, None);
    let naive = date(2014, 4, 9).and_hms_opt(9, 30, 0).unwrap();
    assert_eq!(occurrence.start, When::Floating(naive));
    // A floating time is a wall time where the reader is.
    let berlin = CalTz::from_str("Europe/Berlin").unwrap();
    assert_eq!(occurrence.start.start(&berlin), at("2014-04-09T07:30:00Z"));

    let rdate = read_fixture("khal/event_dt_rd.ics");
    assert_eq!(rids(&rdate), ["20140409T093000", "20140410T093000"]);
}

#[test]
fn windows_zone_names_and_vtimezones_resolve() {
    let outlook = read_fixture("khal/tz_windows_format.ics");
    // 13:00 New Zealand daylight time (UTC+13).
    assert_eq!(
        outlook.occurrences[0].start,
        When::At(at("2019-11-20T00:00:00Z"))
    );
    let thunderbird = read_fixture("python-icalendar/alarm_thunderbird_future.ics");
    // 15:00 in London in British summer time.
    assert_eq!(
        thunderbird.occurrences[0].start,
        When::At(at("2024-10-23T14:00:00Z"))
    );
    assert_eq!(thunderbird.occurrences[0].line, Some(603));
    let new_york = read_fixture("python-icalendar/issue_1050_calendar_with_events_and_todos.ics");
    assert_eq!(
        new_york.occurrences.len(),
        2,
        "the VTODO and VJOURNAL are no events"
    );
    assert_eq!(
        new_york.occurrences[0].start,
        When::At(at("2025-01-15T15:00:00Z"))
    );
}

#[test]
fn an_event_without_uid_gets_a_stable_one_from_its_content() {
    let a = read_fixture("khal/without_uid.ics");
    let b = read_fixture("khal/without_uid.ics");
    assert_eq!(a.occurrences[0].key, b.occurrences[0].key);
    assert!(a.occurrences[0].key.uid.starts_with("no-uid-"));
    let other = String::from_utf8(fixture("khal/without_uid.ics"))
        .unwrap()
        .replace("An Event", "Another");
    assert_ne!(
        read_text(&other, now()).occurrences[0].key,
        a.occurrences[0].key
    );
}

#[test]
fn attendees_with_names_and_answers() {
    let calendar = read_fixture("khal/event_dt_partstat.ics");
    let attendees = &calendar.occurrences[0].attendees;
    let seen: Vec<(&str, Option<&str>, PartStat)> = attendees
        .iter()
        .map(|a| {
            (
                a.person.address.as_str(),
                a.person.name.as_deref(),
                a.status,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            // Folded with two spaces by its writer: the address is whole again.
            (
                "hcabot@example.com",
                Some("Henry Cabot"),
                PartStat::Tentative
            ),
            (
                "iamboss@example.com",
                Some("The Big Cheese"),
                PartStat::Delegated
            ),
            ("jdoe@example.com", Some("Jane Doe"), PartStat::Accepted),
            ("jqpublic@example.com", None, PartStat::Accepted),
            ("another@example.com", None, PartStat::Declined),
            ("tent@example.com", None, PartStat::Tentative),
        ]
    );

    let blackberry = read_fixture("python-icalendar/property_params.ics");
    let meeting = &blackberry.occurrences[0];
    assert_eq!(meeting.sequence, 2);
    assert_eq!(meeting.start, When::Date(date(2012, 8, 14)));
    assert_eq!(
        meeting.organizer,
        Some(Person {
            address: "rembrand@daxlab.com".into(),
            name: None
        })
    );
    assert_eq!(meeting.attendees.len(), 3);
    assert_eq!(
        meeting.attendees[0].person.name.as_deref(),
        Some("RembrandXS")
    );
    assert_eq!(meeting.attendees[0].status, PartStat::NeedsAction);
}

#[test]
fn google_export_alarms_are_not_attendees() {
    let calendar = read_fixture("python-icalendar/alarm_google_acknowledged.ics");
    let event = &calendar.occurrences[0];
    assert_eq!(event.key.uid, "79fs7pkqvht9m5igs0vjv1sfra@google.com");
    assert_eq!(event.start, When::At(at("2024-10-04T18:15:00Z")));
    assert!(event.attendees.is_empty(), "{:?}", event.attendees);
    assert_eq!(event.line, Some(26));
    let sixt = read_fixture("python-icalendar/issue_348_exception_parsing_value.ics");
    assert_eq!(
        sixt.occurrences[0].location.as_deref(),
        Some(
            "Sixt Genève Aéroport secteur France, AP de Genève Cointrin Sect(F), 01210 Ferney-Voltaire, FR"
        )
    );
}

#[test]
fn an_event_that_cannot_be_read_is_named_and_the_rest_is_read() {
    let calendar = read_fixture("python-icalendar/rfc_7256_multi_value_parameters.ics");
    let said: Vec<String> = calendar.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "line 2: event list: has no DTSTART",
            "line 9: event single: has no DTSTART"
        ]
    );

    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:bad-rule\r\nSUMMARY:Standup\r\n\
        DTSTART:20250101T090000Z\r\nRRULE:FREQ=SOMETIMES\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:bad-start\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:fine\r\nDTSTART:20250101T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let calendar = read_text(text, now());
    assert_eq!(calendar.occurrences.len(), 1);
    assert_eq!(calendar.occurrences[0].key.uid, "fine");
    assert_eq!(calendar.skipped.len(), 2, "{:?}", calendar.skipped);
    let first = calendar.skipped[0].to_string();
    assert!(
        first.starts_with("line 2: event bad-rule (\"Standup\"): RRULE"),
        "{first}"
    );
    let second = calendar.skipped[1].to_string();
    assert!(
        second.starts_with("line 8: event bad-start: DTSTART"),
        "{second}"
    );
}

#[test]
fn a_file_that_is_no_calendar_is_an_error_naming_it() {
    let empty = read(
        "a.ics",
        &fixture("python-icalendar/alarm_outlook_closed.ics"),
        now(),
        &Utc,
    );
    assert_eq!(empty.unwrap_err(), "a.ics: is empty");
    let card = read(
        "b.ics",
        b"BEGIN:VCARD\r\nFN:X\r\nEND:VCARD\r\n",
        now(),
        &Utc,
    );
    assert!(card.unwrap_err().starts_with("b.ics: is a vCard"));
    let cut = read(
        "c.ics",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250101\r\n",
        now(),
        &Utc,
    );
    assert!(cut.unwrap_err().starts_with("c.ics: ends inside"));
    let junk = read("d.ics", b"From: someone\r\nSubject: hi\r\n", now(), &Utc);
    assert_eq!(
        junk.unwrap_err(),
        "d.ics: holds no calendar (no BEGIN:VCALENDAR)"
    );
    // A byte-order mark and nothing in the calendar: no occurrence, no error.
    assert_eq!(
        read_fixture("python-icalendar/bom_calendar.ics"),
        Calendar::default()
    );
}

#[test]
fn only_what_started_before_now_is_read() {
    let bytes = fixture("python-icalendar/issue_1081_event_with_rrule.ics");
    let calendar = read("r.ics", &bytes, at("2025-01-05T10:00:00Z"), &Utc).unwrap();
    // Daily at 10:00 UTC from January 1st: the 5th starts exactly now, so is not past.
    assert_eq!(
        rids(&calendar),
        [
            "20250101T100000Z",
            "20250102T100000Z",
            "20250103T100000Z",
            "20250104T100000Z"
        ]
    );
    assert!(
        read("r.ics", &bytes, at("2024-12-31T00:00:00Z"), &Utc)
            .unwrap()
            .occurrences
            .is_empty()
    );
}

#[test]
fn files_are_recognised_by_their_first_line() {
    assert!(looks_like_calendar(&fixture(
        "python-icalendar/example.ics"
    )));
    assert!(looks_like_calendar(&fixture(
        "python-icalendar/bom_calendar.ics"
    )));
    assert!(looks_like_calendar(b"\r\n  begin:vcalendar\r\n"));
    assert!(!looks_like_calendar(b"BEGIN:VCARD\r\n"));
    assert!(!looks_like_calendar(b"From x@y Mon Jan 1 00:00:00 2024\n"));
    assert!(!looks_like_calendar(b""));
    let utf16: Vec<u8> = "\u{feff}BEGIN:VCALENDAR\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(looks_like_calendar(&utf16));
    // And it is read, in that encoding.
    let mut file = utf16.clone();
    let rest = "BEGIN:VEVENT\r\nUID:w\r\nDTSTART:20250101T090000Z\r\nSUMMARY:Réunion\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n";
    file.extend(rest.encode_utf16().flat_map(u16::to_le_bytes));
    let calendar = read("w.ics", &file, now(), &Utc).unwrap();
    assert_eq!(calendar.occurrences[0].summary.as_deref(), Some("Réunion"));
}
