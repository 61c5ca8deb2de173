//! The reader on calendars written here in the shapes Google, Outlook and Apple export
//! (their properties, zones, folding and line ends), and properties over generated series.

use proptest::prelude::*;

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn read_text(text: &str, now: DateTime<Utc>) -> Calendar {
    read(
        "export.ics",
        text.replace('\n', "\r\n").as_bytes(),
        now,
        &Utc,
    )
    .unwrap()
}

fn rid(o: &Occurrence) -> &str {
    o.key.recurrence_id.as_deref().unwrap_or("")
}

/// A Google Calendar export: a weekly meeting in New York with an EXDATE and a moved
/// occurrence whose SEQUENCE differs from its series', another event that overrides a
/// slot at the same time under another UID, a cancelled series, one to come.
const GOOGLE: &str = "BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:ada@example.com
X-WR-TIMEZONE:Europe/Berlin
BEGIN:VTIMEZONE
TZID:America/New_York
X-LIC-LOCATION:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20250106T100000
DTEND;TZID=America/New_York:20250106T103000
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=America/New_York:20250120T100000
DTSTAMP:20250201T000000Z
ORGANIZER;CN=Grace Hopper:mailto:grace@example.com
UID:5f0c2a7e1b@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ada Lov
 elace;X-NUM-GUESTS=0:mailto:ada@example.com
ATTENDEE;CUTYPE=RESOURCE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Room 1 (
 8);X-NUM-GUESTS=0:mailto:c_1881d0@resource.calendar.google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED;CN=bob@exa
 mple.com;X-NUM-GUESTS=0:mailto:bob@example.com
CREATED:20241220T090000Z
LAST-MODIFIED:20250110T090000Z
LOCATION:Room 1 (8)
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Weekly sync
TRANSP:OPAQUE
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20250114T150000
DTEND;TZID=America/New_York:20250114T153000
DTSTAMP:20250201T000000Z
ORGANIZER;CN=Grace Hopper:mailto:grace@example.com
UID:5f0c2a7e1b@google.com
RECURRENCE-ID;TZID=America/New_York:20250113T100000
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE;CN=Ada Lo
 velace;X-NUM-GUESTS=0:mailto:ada@example.com
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Weekly sync (moved)
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20250113T120000
DTEND;TZID=America/New_York:20250113T130000
DTSTAMP:20250201T000000Z
UID:lunch-7d1e@google.com
RECURRENCE-ID;TZID=America/New_York:20250113T100000
SEQUENCE:0
SUMMARY:Lunch
END:VEVENT
BEGIN:VEVENT
DTSTART:20250107T170000Z
DTEND:20250107T180000Z
RRULE:FREQ=DAILY;COUNT=3
UID:cancelled-9a@google.com
SEQUENCE:2
STATUS:CANCELLED
SUMMARY:Dropped
END:VEVENT
BEGIN:VEVENT
DTSTART:20250301T090000Z
UID:future-1@google.com
SUMMARY:Not yet
END:VEVENT
END:VCALENDAR
";

#[test]
fn a_google_export() {
    let calendar = read_text(GOOGLE, at("2025-02-01T00:00:00Z"));
    let weekly: Vec<&Occurrence> = calendar
        .occurrences
        .iter()
        .filter(|o| o.key.uid == "5f0c2a7e1b@google.com")
        .collect();
    let keys: Vec<&str> = weekly.iter().map(|o| rid(o)).collect();
    // Mondays at 10:00 in New York (15:00 UTC in winter); the 20th removed; the 13th moved.
    assert_eq!(
        keys,
        ["20250106T150000Z", "20250113T150000Z", "20250127T150000Z"]
    );
    let moved = weekly[1];
    assert_eq!(moved.start, When::At(at("2025-01-14T20:00:00Z")));
    assert_eq!(moved.summary.as_deref(), Some("Weekly sync (moved)"));
    assert_eq!(moved.sequence, 1);
    assert_eq!(moved.attendees[0].status, PartStat::Tentative);

    let first = weekly[0];
    assert_eq!(first.location.as_deref(), Some("Room 1 (8)"));
    assert_eq!(
        first.organizer.as_ref().unwrap().name.as_deref(),
        Some("Grace Hopper")
    );
    let attendees: Vec<(&str, PartStat)> = first
        .attendees
        .iter()
        .map(|a| (a.person.address.as_str(), a.status))
        .collect();
    // The room is no person; bob's CN is his address, so no name.
    assert_eq!(
        attendees,
        [
            ("ada@example.com", PartStat::Accepted),
            ("bob@example.com", PartStat::Declined)
        ]
    );
    assert_eq!(
        first.attendees[0].person.name.as_deref(),
        Some("Ada Lovelace")
    );
    assert_eq!(first.attendees[1].person.name, None);

    // The other UID's override of the same slot time stands alone.
    let lunch: Vec<&Occurrence> = calendar
        .occurrences
        .iter()
        .filter(|o| o.key.uid == "lunch-7d1e@google.com")
        .collect();
    assert_eq!(lunch.len(), 1);
    assert_eq!(lunch[0].start, When::At(at("2025-01-13T17:00:00Z")));

    let cancelled: Vec<String> = calendar
        .cancelled
        .iter()
        .map(|c| c.key.to_string())
        .collect();
    assert_eq!(
        cancelled,
        [
            "5f0c2a7e1b@google.com at 20250120T150000Z",
            "cancelled-9a@google.com at 20250107T170000Z",
            "cancelled-9a@google.com at 20250108T170000Z",
            "cancelled-9a@google.com at 20250109T170000Z",
        ]
    );
    assert!(
        calendar
            .occurrences
            .iter()
            .all(|o| o.key.uid != "future-1@google.com")
    );
    assert_eq!(calendar.occurrences.len(), 4);
    assert!(calendar.skipped.is_empty());
}

/// Outlook: Windows zone names (defined by a VTIMEZONE under that name, or not at all),
/// quoted display names with commas, X-MICROSOFT properties, LANGUAGE parameters.
const OUTLOOK: &str = "BEGIN:VCALENDAR
METHOD:PUBLISH
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
X-WR-CALNAME:Calendar
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
ORGANIZER;CN=\"Doe, John\":mailto:john.doe@contoso.com
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=\"Smith, Jan
 e\":mailto:Jane.Smith@contoso.com
DESCRIPTION;LANGUAGE=en-US:Quarterly review\\n
UID:040000008200E00074C5B7101A82E00800000000D0D1A2B3C4D5D601000000000000000
 010000000A1B2C3D4E5F60718293A4B5C6D7E8F90
SUMMARY;LANGUAGE=en-US:Q3 review
DTSTART;TZID=W. Europe Standard Time:20250915T140000
DTEND;TZID=W. Europe Standard Time:20250915T150000
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20250901T080000Z
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:3
LOCATION;LANGUAGE=en-US:Microsoft Teams Meeting
X-MICROSOFT-CDO-APPT-SEQUENCE:3
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
END:VEVENT
BEGIN:VEVENT
UID:outlook-older-zone-name
SUMMARY:Older zone name
DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":2
 0250115T090000
DTSTAMP:20250101T080000Z
END:VEVENT
END:VCALENDAR
";

#[test]
fn an_outlook_export() {
    let calendar = read_text(OUTLOOK, at("2025-12-01T00:00:00Z"));
    assert!(calendar.skipped.is_empty(), "{:?}", calendar.skipped);
    let zone = &calendar.occurrences[0];
    assert_eq!(zone.key.uid, "outlook-older-zone-name");
    // 09:00 in Berlin in winter.
    assert_eq!(zone.start, When::At(at("2025-01-15T08:00:00Z")));
    let review = &calendar.occurrences[1];
    assert!(review.key.uid.starts_with("040000008200E000"));
    assert!(
        review.key.uid.ends_with("8F90"),
        "unfolded: {}",
        review.key.uid
    );
    // 14:00 in Berlin in summer.
    assert_eq!(review.start, When::At(at("2025-09-15T12:00:00Z")));
    assert_eq!(review.sequence, 3);
    assert_eq!(review.summary.as_deref(), Some("Q3 review"));
    assert_eq!(review.location.as_deref(), Some("Microsoft Teams Meeting"));
    let organizer = review.organizer.as_ref().unwrap();
    assert_eq!(organizer.name.as_deref(), Some("Doe, John"));
    assert_eq!(review.attendees[0].person.address, "Jane.Smith@contoso.com");
    assert_eq!(
        review.attendees[0].person.name.as_deref(),
        Some("Smith, Jane")
    );
}

/// Apple Calendar: people as `urn:uuid:` addresses with an EMAIL parameter, an all-day
/// event, a second version of the same event later in the file.
const APPLE: &str = "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 14.5//EN
CALSCALE:GREGORIAN
BEGIN:VEVENT
UID:6B29FC40-CA47-1067-B31D-00DD010662DA
DTSTART;VALUE=DATE:20250610
DTEND;VALUE=DATE:20250611
SUMMARY:Offsite
SEQUENCE:1
ORGANIZER;CN=Ada Lovelace;EMAIL=ada@example.com:urn:uuid:00000000-0000-0000-0000-000000000001
ATTENDEE;CN=Alan Turing;CUTYPE=INDIVIDUAL;EMAIL=alan@example.com;PARTSTAT=ACCEPTED:urn:uuid:00000000-0000-0000-0000-000000000002
X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
END:VEVENT
BEGIN:VEVENT
UID:6B29FC40-CA47-1067-B31D-00DD010662DA
DTSTART;VALUE=DATE:20250611
DTEND;VALUE=DATE:20250612
SUMMARY:Offsite (one day later)
SEQUENCE:2
END:VEVENT
END:VCALENDAR
";

#[test]
fn an_apple_export() {
    let calendar = read_text(APPLE, at("2025-12-01T00:00:00Z"));
    assert_eq!(
        calendar.occurrences.len(),
        1,
        "one event, its newest version"
    );
    let event = &calendar.occurrences[0];
    assert_eq!(event.summary.as_deref(), Some("Offsite (one day later)"));
    assert_eq!(event.sequence, 2);
    assert_eq!(event.line, Some(15));
    let older = read_text(
        &APPLE.replace("SEQUENCE:2", "SEQUENCE:0"),
        at("2025-12-01T00:00:00Z"),
    );
    let first = &older.occurrences[0];
    assert_eq!(
        first.start,
        When::Date(NaiveDate::from_ymd_opt(2025, 6, 10).unwrap())
    );
    assert_eq!(first.organizer.as_ref().unwrap().address, "ada@example.com");
    assert_eq!(first.attendees[0].person.address, "alan@example.com");
    assert_eq!(
        first.attendees[0].person.name.as_deref(),
        Some("Alan Turing")
    );
}

#[test]
fn a_cancellation_notice_cancels_what_it_names() {
    let text = "BEGIN:VCALENDAR
METHOD:CANCEL
BEGIN:VEVENT
UID:meeting-1
SEQUENCE:4
DTSTART:20250110T090000Z
SUMMARY:Kick-off
END:VEVENT
END:VCALENDAR
";
    let calendar = read_text(text, at("2025-12-01T00:00:00Z"));
    assert!(calendar.occurrences.is_empty());
    assert_eq!(
        calendar.cancelled,
        [Cancelled {
            key: OccurrenceKey {
                uid: "meeting-1".into(),
                recurrence_id: None
            },
            sequence: 4
        }]
    );
}

#[test]
fn several_calendars_in_one_file_and_legacy_bytes() {
    let mut bytes = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20250101T090000Z\r\n\
        SUMMARY:Caf"
        .as_bytes()
        .to_vec();
    // windows-1252 "é", as old Outlook files have it.
    bytes.push(0xE9);
    bytes.extend_from_slice(
        b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b\r\n\
          DTSTART:20250102T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let calendar = read("two.ics", &bytes, at("2025-12-01T00:00:00Z"), &Utc).unwrap();
    let seen: Vec<(&str, Option<&str>, Option<usize>)> = calendar
        .occurrences
        .iter()
        .map(|o| (o.key.uid.as_str(), o.summary.as_deref(), o.line))
        .collect();
    assert_eq!(seen, [("a", Some("Café"), Some(2)), ("b", None, Some(9))]);
}

#[test]
fn a_series_too_dense_to_be_meetings_is_skipped_and_said() {
    let text = "BEGIN:VCALENDAR
BEGIN:VEVENT
UID:every-minute
DTSTART:20200101T000000Z
RRULE:FREQ=MINUTELY
SUMMARY:Tick
END:VEVENT
END:VCALENDAR
";
    let calendar = read_text(text, at("2025-12-01T00:00:00Z"));
    assert!(calendar.occurrences.is_empty());
    assert_eq!(
        calendar.skipped[0].to_string(),
        "line 2: event every-minute (\"Tick\"): recurs more than 100000 times before now"
    );
}

/// A weekly series of `count` from `start`, every `interval` weeks, with `extra` lines in
/// the master and `parts` (overrides) after it.
fn weekly(start: DateTime<Utc>, interval: u32, count: u32, parts: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:series\nSUMMARY:Sync\nDTSTART:{}\n\
         RRULE:FREQ=WEEKLY;INTERVAL={interval};COUNT={count}\nEND:VEVENT\n{parts}END:VCALENDAR\n",
        When::At(start).key_text()
    )
}

fn slot(start: DateTime<Utc>, interval: u32, k: u32) -> DateTime<Utc> {
    start + chrono::Duration::weeks(i64::from(interval * k))
}

proptest! {
    #[test]
    fn any_bytes_give_a_result_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read("any.ics", &bytes, at("2025-01-01T00:00:00Z"), &Utc);
    }

    #[test]
    fn a_cut_or_mangled_export_gives_a_result_not_a_panic(
        cut in 0usize..GOOGLE.len(),
        drop in proptest::collection::vec(0usize..90, 0..4),
    ) {
        let lines: Vec<&str> = GOOGLE.lines().enumerate()
            .filter(|(i, _)| !drop.contains(i)).map(|(_, l)| l).collect();
        let text = lines.join("\n");
        let cut = text.char_indices().map(|(i, _)| i).find(|&i| i >= cut).unwrap_or(text.len());
        let _ = read("g.ics", &text.as_bytes()[..cut], at("2025-02-01T00:00:00Z"), &Utc);
        let _ = read("g.ics", text.as_bytes(), at("2025-02-01T00:00:00Z"), &Utc);
    }

    #[test]
    fn a_series_gives_each_past_slot_once_in_order(
        days in 0i64..2000, minutes in 0i64..1440, interval in 1u32..5, count in 1u32..80,
        now_days in 0i64..3000,
    ) {
        let start = at("2018-01-01T00:00:00Z") + chrono::Duration::days(days) + chrono::Duration::minutes(minutes);
        let now = at("2018-01-01T00:00:00Z") + chrono::Duration::days(now_days);
        let calendar = read_text(&weekly(start, interval, count, ""), now);
        let expected: Vec<String> = (0..count).map(|k| slot(start, interval, k))
            .filter(|t| *t < now).map(|t| When::At(t).key_text()).collect();
        let got: Vec<String> = calendar.occurrences.iter().map(|o| rid(o).to_string()).collect();
        prop_assert_eq!(got, expected);
        prop_assert!(calendar.occurrences.iter().all(|o| o.start.start(&Utc) < now));
    }

    #[test]
    fn an_override_moves_its_slot_and_a_cancellation_removes_it(
        interval in 1u32..5, count in 2u32..40, pick in 0u32..40, cancel in any::<bool>(),
        shift in -600i64..600, sequence in 0i64..9,
    ) {
        let k = pick % count;
        let start = at("2024-01-01T09:00:00Z");
        let original = slot(start, interval, k);
        let moved = original + chrono::Duration::minutes(shift);
        let status = if cancel { "STATUS:CANCELLED\n" } else { "" };
        let part = format!(
            "BEGIN:VEVENT\nUID:series\nRECURRENCE-ID:{}\nDTSTART:{}\nSEQUENCE:{sequence}\n{status}SUMMARY:Moved\nEND:VEVENT\n",
            When::At(original).key_text(), When::At(moved).key_text()
        );
        let now = at("2030-01-01T00:00:00Z");
        let calendar = read_text(&weekly(start, interval, count, &part), now);
        let key = When::At(original).key_text();
        let found: Vec<&Occurrence> = calendar.occurrences.iter().filter(|o| rid(o) == key).collect();
        if cancel {
            prop_assert_eq!(calendar.occurrences.len() as u32, count - 1);
            prop_assert!(found.is_empty());
            prop_assert_eq!(calendar.cancelled.len(), 1);
            prop_assert_eq!(calendar.cancelled[0].key.recurrence_id.as_deref(), Some(key.as_str()));
            prop_assert_eq!(calendar.cancelled[0].sequence, sequence);
        } else {
            prop_assert_eq!(calendar.occurrences.len() as u32, count);
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(found[0].start, When::At(moved));
            prop_assert_eq!(found[0].summary.as_deref(), Some("Moved"));
            prop_assert_eq!(found[0].sequence, sequence);
            prop_assert!(calendar.cancelled.is_empty());
        }
    }
}
