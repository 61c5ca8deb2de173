use super::touches::stored_channel;
use super::*;
use crate::model::Direction;
use crate::store::{OpenMode, Store, contact_touches, parse_ts};

fn plan(conn: &Connection, sql: &str) -> String {
    conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
        .join("\n")
}

/// The whole book is read by ranges of ids, each a range scan of `contacts` and of
/// `contact_touches` in id order, never a sort nor a lookup per row, and its name order
/// is one scan of the name index; a tag or an organization reads just their contacts'
/// rows.
#[test]
fn the_passes_read_in_order_without_sorting() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let conn = store.conn();
    let plan_of = |sql: &str| {
        let plan = plan(conn, sql);
        assert!(!plan.contains("TEMP B-TREE"), "{sql}: {plan}");
        plan
    };
    let sql = "SELECT id FROM contacts INDEXED BY contacts_by_name_key ORDER BY name_key, id";
    assert!(plan_of(sql).starts_with("SCAN"));
    // A half of the whole book: a range of rowids in each table, in id order.
    for sql in [
        "SELECT contact_id, touches FROM contact_touches WHERE contact_id BETWEEN 1 AND 9
          ORDER BY contact_id",
        "SELECT c.id FROM contacts c WHERE c.archived_at IS NULL AND c.id BETWEEN 1 AND 9
          ORDER BY c.id",
    ] {
        let plan = plan_of(sql);
        assert!(
            plan.contains("INTEGER PRIMARY KEY (rowid>? AND rowid<?)"),
            "{plan}"
        );
    }
    let some = plan(
        conn,
        "SELECT t.contact_id, t.touches FROM contact_touches t
          WHERE t.contact_id IN (SELECT c.id FROM contacts c WHERE c.organization_id = 1)",
    );
    assert!(some.contains("USING INTEGER PRIMARY KEY"), "{some}");
    // An organization's people: one range of `organization_people` (migration 0017),
    // their follow-ups by the contacts' index.
    let people = plan(
        conn,
        "SELECT op.contact_id, op.touches FROM organization_people op
          WHERE op.organization_id = 1 AND op.archived_at IS NULL",
    );
    assert_eq!(people, "SEARCH op USING PRIMARY KEY (organization_id=?)");
    let follow_ups = plan(
        conn,
        "SELECT r.contact_id FROM reminders r
          WHERE (r.done_at IS NULL OR r.done_at >= '2026-01-01') AND r.contact_id IN
                (SELECT op.contact_id FROM organization_people op
                  WHERE op.organization_id = 1 AND op.archived_at IS NULL)",
    );
    assert!(
        follow_ups.contains("USING INDEX reminders_by_contact (contact_id=?)")
            && follow_ups.contains("SEARCH op USING PRIMARY KEY (organization_id=?)"),
        "{follow_ups}"
    );
}

#[test]
fn stored_times_read_directly_agree_with_chrono() {
    for s in [
        "1970-01-01T00:00:00Z",
        "2026-11-21T10:00:00Z",
        "2024-02-29T23:59:59Z",
        "1999-12-31T12:30:05Z",
    ] {
        assert_eq!(
            plain_utc_secs(s.as_bytes()),
            Some(parse_ts(s).unwrap().timestamp())
        );
    }
    assert_eq!(plain_utc_secs(b"2026-11-21T10:00:00+01:00"), None);
    assert_eq!(
        secs("2026-11-21T10:00:00+01:00").unwrap(),
        parse_ts("2026-11-21T09:00:00Z").unwrap().timestamp()
    );
}

/// Every shape of day (leap years, the years' first months, 0000 to 9999) and of time of
/// day read directly as chrono reads it.
#[test]
fn stored_times_of_any_year_agree_with_chrono() {
    use chrono::Datelike;
    let mut day = chrono::NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
    let mut n = 0u32;
    while day <= last {
        let s = format!(
            "{}T{:02}:{:02}:{:02}Z",
            day.format("%Y-%m-%d"),
            n % 24,
            (n * 7) % 60,
            (n * 13) % 60
        );
        assert_eq!(
            plain_utc_secs(s.as_bytes()),
            Some(parse_ts(&s).unwrap().timestamp()),
            "{s}"
        );
        day += chrono::Duration::days(if day.year() % 97 == 0 { 1 } else { 29 });
        n += 1;
    }
    for bad in [
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-01-32T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:61Z",
        "2026-0a-01T00:00:00Z",
        "2026/01/01T00:00:00Z",
    ] {
        assert_eq!(plain_utc_secs(bad.as_bytes()), None, "{bad}");
    }
}

/// The records kith writes, read byte by byte, give what the forgiving reader gives, for
/// every channel and direction; near misses go the forgiving way.
#[test]
fn usual_touches_read_as_the_forgiving_reader_reads_them() {
    let slow = |stored: &str| -> Vec<Touch> {
        let mut out: Vec<Touch> = contact_touches::each(stored)
            .map(|t| {
                let (at, channel, direction) = t.unwrap();
                Touch {
                    at: match at {
                        contact_touches::StoredAt::Secs(secs) => secs,
                        contact_touches::StoredAt::Text(at) => secs(at).unwrap(),
                    },
                    channel: stored_channel(channel),
                    direction: direction.and_then(Direction::parse),
                }
            })
            .collect();
        out.sort_by_key(|t| t.at);
        out
    };
    let mut stored = String::new();
    let channels = [
        "call", "email", "meeting", "video", "message", "social", "letter", "note", "other",
    ];
    for (i, channel) in channels.iter().enumerate() {
        for direction in ["", "in", "out"] {
            stored.push_str(&format!(
                "2026-0{}-1{}T10:2{}:00Z\u{1f}{channel}\u{1f}{direction}\u{1e}",
                1 + i % 9,
                i % 10,
                direction.len()
            ));
        }
    }
    let mut fast = Vec::new();
    read_touches(stored.as_bytes(), &mut fast).unwrap();
    assert_eq!(fast, slow(&stored));
    for odd in [
        "2026-01-01T10:00:00Z\u{1f}calls\u{1f}\u{1e}",
        "2026-01-01T10:00:00Z\u{1f}mess\u{1f}in\u{1e}",
        "2026-01-01T10:00:00Z\u{1f}meetinG\u{1f}out\u{1e}",
        "2026-01-01T10:00:00+01:00\u{1f}call\u{1f}in\u{1e}",
        "2026-01-01T10:00:00Z\u{1f}Call\u{1f}sideways\u{1e}",
    ] {
        let with = format!("{stored}{odd}");
        let mut fast = Vec::new();
        read_touches(with.as_bytes(), &mut fast).unwrap();
        assert_eq!(fast, slow(&with), "{odd}");
    }
}

/// Two threads (each half of the ids on its own connection) and one give the same
/// contacts, in the same name order, with the same interactions, follow-ups and tags.
#[test]
fn the_halves_on_two_threads_make_the_same_book_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    store
        .write(|tx| {
            let names = [
                "Zoe", "Ada", "Mia", "Bo", "Ada", "Cy", "Eve", "Al", "Lu", "Di",
            ];
            for (i, name) in names.iter().enumerate() {
                let id = i as i64 * 3 + 1;
                let archived = (id == 10).then_some("2026-01-02T00:00:00Z");
                tx.execute(
                    "INSERT INTO contacts (id, uid, display_name, name_key, created_at,
                                           updated_at, archived_at, cadence)
                     VALUES (?1, ?2, ?3, lower(?3), '2026-01-01T00:00:00Z',
                             '2026-01-01T00:00:00Z', ?4, ?5)",
                    rusqlite::params![
                        id,
                        format!("c{id}"),
                        name,
                        archived,
                        (id % 2 == 0).then_some("2w")
                    ],
                )?;
            }
            tx.execute_batch(
                "INSERT INTO tags (id, name) VALUES (1, 'client');
                 INSERT INTO tag_cadences (tag, cadence, updated_at)
                 VALUES ('client', '1m', '2026-01-01T00:00:00Z');
                 INSERT INTO contact_tags (contact_id, tag_id) VALUES (4, 1), (19, 1);",
            )?;
            for (id, at, who) in [
                (10, "2026-03-01T10:00:00Z", 1),
                (11, "2026-05-01T10:00:00Z", 1),
                (12, "2026-04-01T10:00:00+02:00", 16),
                (13, "2026-06-01T10:00:00Z", 28),
                (14, "2026-02-01T10:00:00Z", 28),
            ] {
                tx.execute(
                    "INSERT INTO interactions (id, uid, occurred_at, channel, direction,
                                               summary, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'call', 'in', 's', ?3, ?3)",
                    rusqlite::params![id, format!("i{id}"), at],
                )?;
                tx.execute(
                    "INSERT INTO interaction_participants VALUES (?1, ?2)",
                    [id, who],
                )?;
            }
            tx.execute_batch(
                "INSERT INTO reminders (uid, contact_id, text, due, created_at, updated_at)
                 VALUES ('r1', 16, 't', '2026-07-01', '2026-01-01T00:00:00Z',
                         '2026-01-01T00:00:00Z'),
                        ('r2', 25, 't', '2026-07-01', '2026-01-01T00:00:00Z',
                         '2026-01-01T00:00:00Z');",
            )?;
            Ok(())
        })
        .unwrap();
    let since = parse_ts("2026-01-01T00:00:00Z").unwrap();
    let score = |c: &HealthContact, t: &[Touch], f: &[FollowUpState]| {
        let times: Vec<i64> = t.iter().map(|t| t.at).collect();
        (times, f.len(), c.cadence_tags.clone(), c.own_cadence)
    };
    let finish = |c: HealthContact, s| (c.contact.id, c.contact.name, s);
    let filter = ContactFilter::default();
    let one = every_contact(&store, &filter, since, &score, &finish, i64::MAX).unwrap();
    let two = every_contact(&store, &filter, since, &score, &finish, 0).unwrap();
    assert_eq!(one, two);
    let order: Vec<i64> = one.iter().map(|(id, ..)| *id).collect();
    assert_eq!(order, [4, 13, 22, 16, 28, 19, 25, 7, 1]);
    // Ids far apart: the places by id are a map, the halves still meet.
    store
        .write(|tx| {
            for (id, name) in [(-1_000_000, "Ann"), (1_i64 << 50, "Zed")] {
                tx.execute(
                    "INSERT INTO contacts (id, uid, display_name, name_key, created_at,
                                           updated_at)
                     VALUES (?1, ?2, ?3, lower(?3), '2026-01-01T00:00:00Z',
                             '2026-01-01T00:00:00Z')",
                    rusqlite::params![id, format!("x{name}"), name],
                )?;
            }
            Ok(())
        })
        .unwrap();
    let far = every_contact(&store, &filter, since, &score, &finish, 0).unwrap();
    assert_eq!(
        far,
        every_contact(&store, &filter, since, &score, &finish, i64::MAX).unwrap()
    );
    let order: Vec<i64> = far.iter().map(|(id, ..)| *id).collect();
    assert_eq!(
        order,
        [4, 13, 22, -1_000_000, 16, 28, 19, 25, 7, 1_i64 << 50, 1]
    );
    let by_id = |id: i64| one.iter().find(|(i, ..)| *i == id).unwrap();
    assert_eq!(by_id(1).2.0.len(), 2);
    assert_eq!(by_id(16).2.1, 1);
    assert_eq!(by_id(4).2.2, vec!["client".to_string()]);
    assert_eq!(by_id(28).2.0.len(), 2);
    assert!(by_id(28).2.0.is_sorted());
}

/// A compact record (migration 0018) reads as the record of 0015 it replaces, for every
/// channel and direction kith writes, times before 1970 and at the ends of the years SQL
/// dates reach; any other interaction keeps the record of 0015 (a time with an offset or a
/// fraction, a date that does not exist, a channel or direction kith does not know).
#[test]
fn compact_records_read_as_the_records_they_replace() {
    // The view as migration 0018 makes it, over interactions without the book's checks.
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let migration = include_str!("../migrations/0018_compact_touches.sql");
    let view = migration
        .split_inclusive(';')
        .find(|statement| statement.contains("CREATE VIEW"))
        .unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE interactions (id INTEGER PRIMARY KEY, occurred_at TEXT, channel TEXT,
                                    direction TEXT);
         {view}"
    ))
    .unwrap();
    let channels = [
        "call", "email", "meeting", "video", "message", "social", "letter", "note", "other",
    ];
    let times = [
        "2026-11-21T10:00:00Z",
        "1969-12-31T23:59:59Z",
        "1815-12-10T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2024-02-29T12:30:45Z",
    ];
    let mut kept = 0;
    for (n, channel) in channels.iter().enumerate() {
        for direction in [None, Some("in"), Some("out")] {
            let at = times[n % times.len()];
            conn.execute(
                "INSERT INTO interactions (occurred_at, channel, direction) VALUES (?1, ?2, ?3)",
                (at, channel, direction),
            )
            .unwrap();
            kept += 1;
        }
    }
    for (at, channel, direction) in [
        ("2026-11-21T10:00:00+01:00", "call", Some("in")),
        ("2026-11-21T10:00:00.5Z", "call", None),
        ("2026-02-30T10:00:00Z", "email", Some("out")),
        ("2026-11-21 10:00:00", "email", None),
        ("2026-11-21T10:00:00Z", "carrier pigeon", Some("out")),
        ("2026-11-21T10:00:00Z", "call", Some("sideways")),
    ] {
        conn.execute(
            "INSERT INTO interactions (occurred_at, channel, direction) VALUES (?1, ?2, ?3)",
            (at, channel, direction),
        )
        .unwrap();
    }
    let text = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let old = text(
        "SELECT group_concat(occurred_at || char(31) || channel || char(31)
                             || coalesce(direction, '') || char(30), '' ORDER BY id)
           FROM interactions",
    );
    let new = text(&format!(
        "SELECT group_concat(record, '' ORDER BY interaction_id) FROM {}",
        contact_touches::RECORDS_VIEW
    ));
    let compact = contact_touches::each(&new)
        .filter(|t| matches!(t, Ok((contact_touches::StoredAt::Secs(_), ..))))
        .count();
    assert_eq!(compact, kept, "{new:?}");
    // The odd ones are read the forgiving way, which may refuse a time; the rest must match.
    let usual = |stored: &str| -> Vec<Touch> {
        let records: Vec<&str> = stored.split_inclusive('\u{1e}').take(kept).collect();
        let mut out = Vec::new();
        read_touches(records.concat().as_bytes(), &mut out).unwrap();
        out
    };
    assert_eq!(usual(&new), usual(&old));
    let odd = |stored: &str| -> Vec<String> {
        stored
            .split_inclusive('\u{1e}')
            .skip(kept)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(odd(&new), odd(&old));
    // Less than half the bytes for what kith writes.
    let size = |stored: &str| -> usize {
        stored
            .split_inclusive('\u{1e}')
            .take(kept)
            .map(str::len)
            .sum()
    };
    assert!(size(&new) * 2 < size(&old), "{new:?} against {old:?}");
}
