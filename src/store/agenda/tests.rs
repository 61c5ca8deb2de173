//! Tests of the agenda's reads: what the index ranges find is what the agenda built from
//! every contact finds.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use rusqlite::params;

use super::*;
use crate::agenda::{Agenda, build, first_follow_ups};
use crate::store::{OpenMode, Store};

/// A book of contacts with every kind of cadence (own, a tag's, one that does not read),
/// counted from every moment around the bounds, birthdays, yearly dates, archived ones,
/// and follow-ups due on days and at instants, some snoozed.
fn book(seed: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
    let mut state = seed;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let cadences = ["2w", "1m", "3m", "6m", "1y", "10d", "oops", "monthly"];
    let base = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let at = |secs: u64| {
        (base + chrono::Duration::seconds(secs as i64))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO tags (id, name) VALUES (1, 'client'), (2, 'friend'), (3, 'plain');
                 INSERT INTO tag_cadences VALUES ('client', '30d', '2026-01-01T00:00:00Z'),
                                                 ('friend', '2w', '2026-01-01T00:00:00Z');",
            )?;
            for id in 1..=400i64 {
                let created = at(next(600 * 86_400));
                let last = (next(4) > 0).then(|| at(next(700 * 86_400)));
                let cadence = (next(3) > 0).then(|| cadences[next(8) as usize]);
                // Some on 29 February, some without a year, some on the year's last days.
                let birthday = match next(16) {
                    0 | 1 => Some(format!(
                        "{}-{:02}-{:02}",
                        1950 + next(50),
                        1 + next(12),
                        1 + next(28)
                    )),
                    2 => Some("1988-02-29".to_string()),
                    3 => Some(format!("--{:02}-{:02}", 1 + next(12), 1 + next(28))),
                    4 => Some(format!("19{}-12-{}", 50 + next(50), 29 + next(3))),
                    _ => None,
                };
                let archived = (next(20) == 0).then(|| at(0));
                // Names repeat, so that ties are broken by id.
                let name = format!("P{:02}", next(60));
                tx.execute(
                    "INSERT INTO contacts (id, uid, display_name, name_key, created_at, updated_at,
                                           cadence, birthday, last_contact_at, archived_at)
                     VALUES (?1, ?2, ?3, lower(?3), ?4, ?4, ?5, ?6, ?7, ?8)",
                    params![id, format!("c{id}"), name, created, cadence, birthday, last, archived],
                )?;
                for tag in 1..=3 {
                    if next(5) == 0 {
                        tx.execute("INSERT INTO contact_tags VALUES (?1, ?2)", params![id, tag])?;
                    }
                }
                if next(15) == 0 {
                    tx.execute(
                        "INSERT INTO contact_dates (contact_id, label, date) VALUES (?1, 'renewal', ?2)",
                        params![id, format!("--{:02}-{:02}", 1 + next(12), 1 + next(28))],
                    )?;
                }
            }
            for id in 1..=300i64 {
                let day = base.date_naive() + chrono::Days::new(600 + next(120));
                let due = if next(3) == 0 {
                    at((day - base.date_naive()).num_days() as u64 * 86_400 + next(86_400))
                } else {
                    day.format("%Y-%m-%d").to_string()
                };
                let snoozed = (next(6) == 0).then(|| {
                    (day + chrono::Days::new(next(20))).format("%Y-%m-%d").to_string()
                });
                let done = (next(10) == 0).then(|| at(0));
                tx.execute(
                    "INSERT INTO reminders (id, uid, contact_id, text, due, snoozed_until, done_at,
                                            created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                    params![id, format!("r{id}"), 1 + next(400) as i64, format!("task {id}"),
                            due, snoozed, done, at(0)],
                )?;
            }
            Ok(())
        })
        .unwrap();
    (dir, store)
}

/// The agenda as it was computed before migration 0016: from every active contact with a
/// cadence, a birthday, a yearly date or a tag with a cadence.
fn reference<Tz: TimeZone>(
    conn: &Connection,
    now: DateTime<Utc>,
    tz: &Tz,
    horizon_days: u32,
) -> Agenda {
    let mut contacts: Vec<AgendaContact> = agenda_rows(
        conn,
        "FROM contacts c WHERE c.archived_at IS NULL ORDER BY c.name_key, c.id",
        false,
    )
    .unwrap()
    .into_iter()
    .map(|(_, c)| c)
    .collect();
    let tags: Vec<(i64, String)> = conn
        .prepare(
            "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
              JOIN tag_cadences tc ON tc.tag = t.name ORDER BY t.name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for c in &mut contacts {
        c.tags = (tags.iter())
            .filter(|(id, _)| *id == c.contact.id)
            .map(|(_, t)| t.clone())
            .collect();
    }
    let input = AgendaInput {
        follow_ups: open_follow_ups(conn, true).unwrap(),
        extras: open_extras(conn).unwrap(),
        contacts,
        tag_cadences: tag_cadences::list(conn).unwrap(),
        dates: contact_dates::by_contact(conn, None).unwrap(),
        organizations: Vec::new(),
    };
    build(&input, now, tz, horizon_days)
}

#[test]
fn the_agenda_read_by_index_ranges_is_the_agenda_of_everyone() {
    for seed in [1, 2, 3] {
        let (_dir, store) = book(seed);
        let conn = store.conn();
        // Birthdays on 29 February come on the 28th in other years (2026, 2027), on the 29th
        // in 2028; the days ahead cross a year's end, or cover a whole year.
        for (now, days) in [
            ("2026-06-01T10:00:00Z", 7),
            ("2026-08-24T23:30:00Z", 7),
            ("2026-09-30T00:10:00Z", 7),
            ("2026-12-27T12:00:00Z", 7),
            ("2027-02-27T23:00:00Z", 1),
            ("2027-02-21T08:00:00Z", 14),
            ("2028-02-28T12:00:00Z", 0),
            ("2026-03-01T12:00:00Z", 366),
        ] {
            let now = DateTime::parse_from_rfc3339(now)
                .unwrap()
                .with_timezone(&Utc);
            for hours in [-12, -5, 0, 9, 14] {
                let tz = FixedOffset::east_opt(hours * 3600).unwrap();
                let (today, horizon) = crate::agenda::today_and_horizon(now, &tz, days);
                let expected = reference(conn, now, &tz, days);
                assert!(expected.reconnect.len() > 20, "a test worth running");
                let got = build(&load(conn, today, horizon, &tz).unwrap(), now, &tz, days);
                assert_eq!(got, expected, "seed {seed}, {now}, {hours}h, {days} days");

                // The summary: the first of each group, and the counts.
                let shown = 10;
                let dues = open_dues(conn).unwrap();
                let (counts, ids) = first_follow_ups(&dues, now, &tz, days, shown);
                assert_eq!(
                    counts,
                    [
                        expected.overdue.len(),
                        expected.today.len(),
                        expected.upcoming.len()
                    ]
                );
                let s = summary(conn, today, horizon, &tz, &ids, shown).unwrap();
                let got = build(&s.input, now, &tz, days);
                let own = (expected.reconnect.iter())
                    .filter(|r| r.cadence_source == crate::agenda::CadenceSource::Contact)
                    .count();
                assert_eq!(s.due_by_own_cadence, own);
                for (got, expected) in [
                    (&got.overdue, &expected.overdue),
                    (&got.today, &expected.today),
                    (&got.upcoming, &expected.upcoming),
                ] {
                    assert_eq!(got[..], expected[..shown.min(expected.len())]);
                }
                assert_eq!(got.dates, expected.dates);
                if days == 1 {
                    // The leap day's birthdays, read by the 28th.
                    assert!(
                        expected
                            .dates
                            .iter()
                            .any(|d| (d.date.month, d.date.day) == (2, 29))
                    );
                }
                // Past ALL_DUE_UP_TO, only the first few of each cadence are read.
                for first in [1, 3, 10] {
                    let input = AgendaInput {
                        contacts: contacts(conn, today, horizon, &tz, Some(first)).unwrap(),
                        tag_cadences: tag_cadences::list(conn).unwrap(),
                        ..AgendaInput::default()
                    };
                    let got = build(&input, now, &tz, days);
                    let n = first.min(expected.reconnect.len());
                    assert_eq!(
                        got.reconnect[..n],
                        expected.reconnect[..n],
                        "seed {seed}, {now}, {hours}h, first {first}"
                    );
                }
            }
        }
    }
}

/// The follow-ups counted and read in part are grouped as when every one is read, in any
/// time zone, with any horizon, whether or not archived contacts have some waiting.
#[test]
fn follow_ups_counted_by_index_ranges_are_grouped_as_when_all_are_read() {
    let (_dir, mut store) = book(5);
    for archived in [true, false] {
        if !archived {
            store
                .write(|tx| Ok(tx.execute_batch("UPDATE contacts SET archived_at = NULL")?))
                .unwrap();
        }
        let conn = store.conn();
        assert_eq!(
            !archived_with_open_follow_ups(conn).unwrap().is_empty(),
            archived
        );
        let dues = open_dues(conn).unwrap();
        for now in [
            "2026-09-01T01:00:00Z",
            "2026-10-15T23:30:00Z",
            "2026-12-30T12:00:00Z",
        ] {
            let now = DateTime::parse_from_rfc3339(now)
                .unwrap()
                .with_timezone(&Utc);
            for hours in [-11, 0, 13] {
                let tz = FixedOffset::east_opt(hours * 3600).unwrap();
                for (horizon, shown) in [(7, 10), (0, 0), (0, 1), (30, 3), (3, 500)] {
                    let expected = first_follow_ups(&dues, now, &tz, horizon, shown);
                    let got = follow_up_groups(conn, now, &tz, horizon, shown).unwrap();
                    assert_eq!(got, expected, "{now} {hours}h {horizon} {shown}");
                }
            }
        }
    }
}

/// `kith today --json` reads the follow-ups it cannot list (due past its horizon by their
/// stored text) for health only: its groups are those of every open follow-up, in every
/// zone and horizon, and health gets every follow-up as `all_follow_ups` reads them. A
/// snooze that does not read, far ahead by its text, is read in full and named as before.
#[test]
fn the_follow_ups_read_for_listing_give_the_groups_of_all_of_them() {
    let (_dir, mut store) = book(7);
    store
        .write(|tx| {
            Ok(tx.execute_batch(
                "UPDATE reminders SET snoozed_until = 'zzz' WHERE id = 3;
                 UPDATE reminders SET due = '2026-09-30T23:30:00+05:00' WHERE id = 4;",
            )?)
        })
        .unwrap();
    let conn = store.conn();
    let all = (
        open_follow_ups(conn, true).unwrap(),
        open_extras(conn).unwrap(),
    );
    assert!(all.0.iter().any(|r| r.id == 3 && r.contact.is_some()));
    for now in [
        "2026-08-20T01:00:00Z",
        "2026-09-24T23:30:00Z",
        "2026-10-15T12:00:00Z",
    ] {
        let now = DateTime::parse_from_rfc3339(now)
            .unwrap()
            .with_timezone(&Utc);
        let since = now - chrono::Duration::days(90);
        for hours in [-11, 0, 14] {
            let tz = FixedOffset::east_opt(hours * 3600).unwrap();
            for horizon in [0, 7, 30] {
                let before = crate::agenda::listed_before(now, &tz, horizon);
                let (listed, extras, for_health) =
                    load_follow_ups_and_health(conn, since, before).unwrap();
                assert!(listed.len() < all.0.len(), "{now} {hours}h {horizon}");
                let got = crate::agenda::build_follow_ups(listed, &extras, now, &tz, horizon);
                let expected =
                    crate::agenda::build_follow_ups(all.0.clone(), &all.1, now, &tz, horizon);
                assert_eq!(
                    (got.overdue, got.today, got.upcoming),
                    (expected.overdue, expected.today, expected.upcoming),
                    "{now} {hours}h {horizon}"
                );
                assert_eq!(
                    for_health,
                    crate::store::health::all_follow_ups(conn, since).unwrap()
                );
            }
        }
    }
}

/// Every query of the agenda walks its index, never the table of contacts or
/// follow-ups.
#[test]
fn the_agenda_reads_its_indexes_only() {
    let (_dir, store) = book(4);
    let conn = store.conn();
    let plan = |sql: &str| -> String {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(["2w", "2026-01-01", "2026-02-01"], |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
            .join("\n")
    };
    for sql in [
        "SELECT c.id, c.uid, c.display_name, c.created_at, c.last_contact_at
           FROM contacts c INDEXED BY contacts_reconnect_from
          WHERE c.archived_at IS NULL AND c.cadence = ?1
            AND coalesce(c.last_contact_at, c.created_at) >= ?2
            AND coalesce(c.last_contact_at, c.created_at) < ?3
          ORDER BY coalesce(c.last_contact_at, c.created_at), c.id",
        "SELECT count(*), ?2, ?3 FROM contacts c INDEXED BY contacts_reconnect_from
          WHERE c.archived_at IS NULL AND c.cadence = ?1
            AND coalesce(c.last_contact_at, c.created_at) < ?2",
        "SELECT coalesce(snoozed_until, due), id, contact_id, ?1, ?2, ?3
           FROM reminders INDEXED BY reminders_open_by_effective_due
          WHERE done_at IS NULL",
    ] {
        let plan = plan(sql);
        assert!(plan.contains("COVERING INDEX"), "{sql}\n{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{sql}\n{plan}");
    }
}

/// The birthdays coming up are found by their day, not by reading everyone with one.
#[test]
fn the_agenda_finds_birthdays_by_their_day() {
    let (_dir, store) = book(4);
    let today = NaiveDate::from_ymd_opt(2026, 12, 29).unwrap();
    let horizon = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let days = birthday_days(today, horizon);
    assert_eq!(
        days,
        "'12-29', '12-30', '12-31', '01-01', '01-02', '01-03', '01-04'"
    );
    let sql = format!(
        "EXPLAIN QUERY PLAN SELECT c.id FROM contacts c
          WHERE c.archived_at IS NULL AND c.birthday IS NOT NULL
            AND substr(c.birthday, -5) IN ({days})"
    );
    let plan: Vec<String> = (store.conn().prepare(&sql).unwrap())
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let plan = plan.join("\n");
    assert!(
        plan.contains("SEARCH c USING INDEX contacts_by_birthday_day"),
        "{plan}"
    );
    // A week with 28 February takes the leap day's birthdays too.
    let feb = |d| NaiveDate::from_ymd_opt(2027, 2, d).unwrap();
    assert!(birthday_days(feb(25), feb(28)).ends_with("'02-28', '02-29'"));
    assert!(!birthday_days(feb(20), feb(27)).contains("02-29"));
}
