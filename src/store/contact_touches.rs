//! Each contact's interactions as health reads them: `contact_touches`, derived data kept by
//! the triggers of migrations 0015 and 0018, one row per contact holding every interaction of
//! theirs (time, channel, direction) in id order as one text. Scoring the whole book reads
//! 100k of these rows instead of a million participations joined with their interactions'
//! wide rows; scoring one contact reads one row.
//!
//! A record is, since 0018, `seconds channel-letter direction-letter RS` for an interaction
//! stored as kith writes it ([`compact`]), else `occurred_at US channel US direction RS` as
//! 0015 wrote every one ([`each`] reads both).
//!
//! A bulk import writes with triggers off (`store::deferred`) and calls [`rebuild`] for the
//! contacts whose participations it wrote or removed.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::model::{Channel, Direction};

/// The triggers of migrations 0015 and 0018, which an import with triggers off replays with
/// [`rebuild`].
pub(crate) const TRIGGERS: &[&str] = &[
    "contact_touches_after_participant_insert",
    "contact_touches_after_participant_delete",
    "contact_touches_after_participant_update",
    "contact_touches_after_interaction_update",
];

/// Between the fields of one interaction, and after each interaction (also read byte by
/// byte by the faster readers of `store::health` and `store::org_activity`).
pub(crate) const FIELD: char = '\u{1f}';
pub(crate) const RECORD: char = '\u{1e}';

/// Each interaction's record as `contact_touches` holds it, by interaction id: the view of
/// migration 0018 (`interaction_id`, `record`), which its triggers read, and so an import's
/// replay of them and the tests working rows out from scratch. Compact ([`compact`]) when the
/// interaction's time is stored as kith writes it (strftime gives it back unchanged) and its
/// channel and direction are ones kith knows, else as 0015 wrote it.
pub const RECORDS_VIEW: &str = "contact_touch_records";

/// A compact record (migration 0018) at the start of `b`: the interaction's time (UTC
/// seconds), channel and direction, and how many bytes the record took (its end included);
/// None for anything else. Read byte by byte by every pass over thousands of people's
/// touches (health, a company's last touch): inlined there.
#[inline(always)]
pub(crate) fn compact(b: &[u8]) -> Option<(i64, Channel, Option<Direction>, usize)> {
    let negative = b.first() == Some(&b'-');
    let start = usize::from(negative);
    let mut i = start;
    let mut secs: i64 = 0;
    // At most 12 digits: years 0 to 9999 are within 11 of them.
    while let Some(&d) = b.get(i) {
        if !d.is_ascii_digit() || i - start == 12 {
            break;
        }
        secs = secs * 10 + i64::from(d - b'0');
        i += 1;
    }
    if i == start {
        return None;
    }
    let channel = match b.get(i)? {
        b'c' => Channel::Call,
        b'e' => Channel::Email,
        b'm' => Channel::Meeting,
        b't' => Channel::Message,
        b'v' => Channel::Video,
        b's' => Channel::Social,
        b'l' => Channel::Letter,
        b'n' => Channel::Note,
        b'o' => Channel::Other,
        _ => return None,
    };
    let direction = match b.get(i + 1)? {
        b'-' => None,
        b'i' => Some(Direction::In),
        b'o' => Some(Direction::Out),
        _ => return None,
    };
    if *b.get(i + 2)? != RECORD as u8 {
        return None;
    }
    Some((
        if negative { -secs } else { secs },
        channel,
        direction,
        i + 3,
    ))
}

/// What follows a record's time and its separator in a record of migration 0015: a channel kith knows,
/// the separator, a direction or none, and the record's end. The channel, the direction and
/// how many bytes they took (the end included); None for any other shape. Read byte by byte
/// by health and by a company's last touch (`store::health`, `store::org_activity`), which
/// read every record of thousands of people: inlined there (a call cost them 2 % more).
#[inline(always)]
pub(crate) fn usual_channel_and_direction(b: &[u8]) -> Option<(Channel, Option<Direction>, usize)> {
    const RECORD_BYTE: u8 = RECORD as u8;
    // The channel by its first letter ("meeting" and "message" by their third), then
    // checked whole and followed by the separator.
    let (channel, len, key) = match b.first()? {
        b'c' => (Channel::Call, 4, CALL),
        b'e' => (Channel::Email, 5, EMAIL),
        b'm' if b.get(2) == Some(&b'e') => (Channel::Meeting, 7, MEETING),
        b'm' => (Channel::Message, 7, MESSAGE),
        b'v' => (Channel::Video, 5, VIDEO),
        b's' => (Channel::Social, 6, SOCIAL),
        b'l' => (Channel::Letter, 6, LETTER),
        b'n' => (Channel::Note, 4, NOTE),
        b'o' => (Channel::Other, 5, OTHER),
        _ => return None,
    };
    // The name and its separator (at most eight bytes) compared as one number, the bytes
    // after them masked off; fewer than eight bytes left, byte by byte.
    let whole = match b.first_chunk::<8>() {
        Some(head) => (u64::from_le_bytes(*head) & (u64::MAX >> (8 * (7 - len)))) == key,
        None => b.get(..=len) == key.to_le_bytes().get(..=len),
    };
    if !whole {
        return None;
    }
    let (direction, used) = match b.get(len + 1..)? {
        [RECORD_BYTE, ..] => (None, 1),
        [b'i', b'n', RECORD_BYTE, ..] => (Some(Direction::In), 3),
        [b'o', b'u', b't', RECORD_BYTE, ..] => (Some(Direction::Out), 4),
        _ => return None,
    };
    Some((channel, direction, len + 1 + used))
}

/// A channel's stored name (at most seven bytes) and the separator after it, as the
/// little-endian number of those bytes.
const fn channel_key(name: &[u8]) -> u64 {
    let mut key = (FIELD as u64) << (8 * name.len());
    let mut i = 0;
    while i < name.len() {
        key |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

const CALL: u64 = channel_key(b"call");
const EMAIL: u64 = channel_key(b"email");
const MEETING: u64 = channel_key(b"meeting");
const MESSAGE: u64 = channel_key(b"message");
const VIDEO: u64 = channel_key(b"video");
const SOCIAL: u64 = channel_key(b"social");
const LETTER: u64 = channel_key(b"letter");
const NOTE: u64 = channel_key(b"note");
const OTHER: u64 = channel_key(b"other");

/// Write the rows of the contacts whose ids are in the temporary table `temp.{ids_table}`
/// (one column, `id`) again from their participations, as the triggers would have left them.
pub(crate) fn rebuild(conn: &Connection, ids_table: &str) -> Result<()> {
    write_rows(conn, &format!("temp.\"{ids_table}\""))
}

/// Write every contact's row again from their participations: for a book written with the
/// triggers off from the start (`examples/gen`).
pub fn rebuild_all(conn: &Connection) -> Result<()> {
    write_rows(conn, "contacts")
}

/// The rows of the contacts whose ids the table `ids` holds (its column `id`), written again.
fn write_rows(conn: &Connection, ids: &str) -> Result<()> {
    // As the migrations' triggers do it: each contact's participations walked by
    // interaction, the order group_concat takes them in.
    conn.execute_batch(&format!(
        "DELETE FROM contact_touches WHERE contact_id IN (SELECT id FROM {ids});
         INSERT INTO contact_touches (contact_id, last_interaction, touches)
         SELECT w.id,
                (SELECT max(p.interaction_id) FROM interaction_participants p
                  INDEXED BY interaction_participants_by_contact WHERE p.contact_id = w.id),
                (SELECT group_concat(r.record, '')
                   FROM interaction_participants p
                        INDEXED BY interaction_participants_by_contact
                  CROSS JOIN {RECORDS_VIEW} r ON r.interaction_id = p.interaction_id
                  WHERE p.contact_id = w.id)
           FROM {ids} w
          WHERE EXISTS (SELECT 1 FROM interaction_participants WHERE contact_id = w.id);"
    ))?;
    Ok(())
}

/// An interaction's time as a row holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoredAt<'a> {
    /// As the interaction stores it (the records of migration 0015).
    Text(&'a str),
    /// UTC seconds, of a time stored as kith writes it (a compact record).
    Secs(i64),
}

impl StoredAt<'_> {
    /// The time as the interaction stores it: a compact record's is `YYYY-MM-DDTHH:MM:SSZ`,
    /// which is what it was made from.
    pub(crate) fn as_stored(&self) -> String {
        match *self {
            StoredAt::Text(t) => t.to_string(),
            StoredAt::Secs(secs) => stored_time(secs)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default(),
        }
    }
}

/// The time a compact record's UTC seconds `secs` were made from, as the interaction stores
/// it (`YYYY-MM-DDTHH:MM:SSZ`); None outside the years 0 to 9999, which no compact record
/// holds.
pub(crate) fn stored_time(secs: i64) -> Option<[u8; 20]> {
    crate::dates::text::utc_text(chrono::DateTime::from_timestamp(secs, 0)?)
}

/// The interactions one row holds, in order, each as its stored `(occurred_at, channel,
/// direction)`. Read byte by byte: the book's million are read for `kith health`.
pub(crate) fn each(
    touches: &str,
) -> impl Iterator<Item = Result<(StoredAt<'_>, &str, Option<&str>)>> {
    let mut rest = touches;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        if let Some((secs, channel, direction, used)) = compact(bytes) {
            // The record is ASCII: the cut is at a character boundary.
            rest = rest.get(used..).unwrap_or_default();
            let direction = direction.map(|d| d.as_str());
            return Some(Ok((StoredAt::Secs(secs), channel.as_str(), direction)));
        }
        if let Some(touch) = usual(rest) {
            rest = touch.3;
            return Some(Ok((StoredAt::Text(touch.0), touch.1, touch.2)));
        }
        let Some(end) = bytes.iter().position(|&b| b == RECORD as u8) else {
            let record = std::mem::take(&mut rest);
            return Some(Err(unreadable(record)));
        };
        // The separators are ASCII: every cut is at a character boundary.
        let (record, after) = (&rest[..end], &rest[end + 1..]);
        rest = after;
        let fields = record.as_bytes();
        let first = fields.iter().position(|&b| b == FIELD as u8);
        let last = fields.iter().rposition(|&b| b == FIELD as u8);
        Some(match (first, last) {
            (Some(first), Some(last)) if first < last => {
                let direction = &record[last + 1..];
                Ok((
                    StoredAt::Text(&record[..first]),
                    &record[first + 1..last],
                    (!direction.is_empty()).then_some(direction),
                ))
            }
            _ => Err(unreadable(record)),
        })
    })
}

/// A record as kith writes it — a 20-byte UTC time, a short channel, a direction — split
/// without scanning the time: the time, the channel, the direction and what follows.
#[allow(clippy::type_complexity)]
fn usual(rest: &str) -> Option<(&str, &str, Option<&str>, &str)> {
    let b = rest.as_bytes();
    if b.get(20) != Some(&(FIELD as u8)) {
        return None;
    }
    let channel_end = 21
        + b.get(21..)?
            .iter()
            .take(16)
            .position(|&c| c == FIELD as u8)?;
    let after = b.get(channel_end + 1..)?;
    let direction_len = match after {
        [r, ..] if *r == RECORD as u8 => 0,
        [b'i', b'n', r, ..] if *r == RECORD as u8 => 2,
        [b'o', b'u', b't', r, ..] if *r == RECORD as u8 => 3,
        _ => return None,
    };
    let direction_end = channel_end + 1 + direction_len;
    let direction = (direction_len > 0).then(|| rest.get(channel_end + 1..direction_end));
    Some((
        rest.get(..20)?,
        rest.get(21..channel_end)?,
        match direction {
            Some(d) => Some(d?),
            None => None,
        },
        rest.get(direction_end + 1..)?,
    ))
}

fn unreadable(record: &str) -> Error {
    Error::invalid(
        "contact_touches",
        record,
        "is not an interaction as migrations 0015 and 0018 store it (time, channel, direction)",
    )
}

#[cfg(test)]
mod tests {
    use rusqlite::params;

    use crate::store::{OpenMode, Store};

    type Row = (i64, i64, String);

    /// What the table holds, and what it must hold: every contact's participations with
    /// their interaction's time, channel and direction, in interaction order.
    pub(crate) fn stored_and_derived(store: &Store) -> (Vec<Row>, Vec<Row>) {
        let rows = |sql: &str| -> Vec<Row> {
            store
                .conn()
                .prepare(sql)
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        (
            rows("SELECT contact_id, last_interaction, touches FROM contact_touches ORDER BY 1"),
            rows(&format!(
                "SELECT p.contact_id, max(p.interaction_id),
                        group_concat(r.record, '' ORDER BY p.interaction_id)
                   FROM interaction_participants p
                   JOIN {} r ON r.interaction_id = p.interaction_id
                  GROUP BY p.contact_id ORDER BY 1",
                super::RECORDS_VIEW
            )),
        )
    }

    fn book() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        store
            .write(|tx| {
                for (id, name) in [(1, "Ada"), (2, "Bo"), (3, "Cy")] {
                    tx.execute(
                        "INSERT INTO contacts (id, uid, display_name, name_key, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                        params![id, format!("c{id}"), name],
                    )?;
                }
                for (id, at) in [
                    (10, "2026-03-01T10:00:00Z"),
                    (11, "2026-05-01T10:00:00Z"),
                    (12, "2026-04-01T10:00:00Z"),
                ] {
                    tx.execute(
                        "INSERT INTO interactions (id, uid, occurred_at, channel, direction, summary, created_at, updated_at)
                         VALUES (?1, ?2, ?3, 'call', 'in', 's', ?3, ?3)",
                        params![id, format!("i{id}"), at],
                    )?;
                }
                Ok(())
            })
            .unwrap();
        (dir, store)
    }

    /// Raw SQL on every path the triggers cover, checked against the rows worked out from
    /// scratch after each step (the CLI paths are tested in tests/integration).
    #[test]
    fn the_triggers_keep_every_contacts_touches_right() {
        let (_dir, mut store) = book();
        let steps = [
            (
                "a first participation",
                "INSERT INTO interaction_participants VALUES (11, 1)",
            ),
            (
                "an older one (written again)",
                "INSERT INTO interaction_participants VALUES (10, 1)",
            ),
            (
                "a newer one (appended)",
                "INSERT INTO interaction_participants VALUES (12, 1)",
            ),
            (
                "a second person",
                "INSERT INTO interaction_participants VALUES (10, 2)",
            ),
            (
                "one already there",
                "INSERT OR IGNORE INTO interaction_participants VALUES (10, 2)",
            ),
            (
                "a third",
                "INSERT INTO interaction_participants VALUES (11, 2)",
            ),
            (
                "a time edited",
                "UPDATE interactions SET occurred_at = '2026-02-01T00:00:00Z' WHERE id = 11",
            ),
            (
                "a channel and direction edited",
                "UPDATE interactions SET channel = 'email', direction = NULL WHERE id = 10",
            ),
            (
                "a summary edited",
                "UPDATE interactions SET summary = 't' WHERE id = 10",
            ),
            (
                "a person taken off",
                "DELETE FROM interaction_participants WHERE interaction_id = 10 AND contact_id = 2",
            ),
            (
                "a merge",
                "UPDATE OR IGNORE interaction_participants SET contact_id = 3 WHERE contact_id = 1",
            ),
            (
                "an interaction deleted",
                "DELETE FROM interactions WHERE id = 10",
            ),
            ("a contact deleted", "DELETE FROM contacts WHERE id = 2"),
        ];
        for (step, sql) in steps {
            store.write(|tx| Ok(tx.execute_batch(sql)?)).unwrap();
            let (stored, derived) = stored_and_derived(&store);
            assert_eq!(stored, derived, "after {step}");
        }
        let (left, _) = stored_and_derived(&store);
        assert_eq!(
            left,
            vec![(3, 12, "1769904000ci\u{1e}1775037600ci\u{1e}".into())]
        );
        assert_eq!(
            read(&left[0].2),
            vec![
                ("2026-02-01T00:00:00Z".into(), "call", Some("in")),
                ("2026-04-01T10:00:00Z".into(), "call", Some("in"))
            ]
        );
    }

    /// What an import with triggers off leaves is put right by [`super::rebuild`].
    #[test]
    fn a_rebuild_does_what_the_triggers_would_have() {
        let (_dir, mut store) = book();
        store
            .write(|tx| {
                tx.execute_batch("INSERT INTO interaction_participants VALUES (10, 1);")?;
                tx.set_db_config(
                    rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
                    false,
                )?;
                tx.execute_batch(
                    "UPDATE interactions SET occurred_at = '2026-04-01T10:00:00Z' WHERE id = 10;
                     DELETE FROM interaction_participants WHERE interaction_id = 10;
                     INSERT INTO interaction_participants VALUES (10, 2), (11, 1), (11, 2);
                     CREATE TEMP TABLE written (id INTEGER PRIMARY KEY);
                     INSERT INTO temp.written VALUES (1), (2);",
                )?;
                super::rebuild(tx, "written")?;
                tx.set_db_config(
                    rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
                    true,
                )?;
                Ok(())
            })
            .unwrap();
        let (stored, derived) = stored_and_derived(&store);
        assert_eq!(stored.len(), 2);
        assert_eq!(stored, derived);
    }

    /// A row's records as their stored times, channels and directions.
    fn read(stored: &str) -> Vec<(String, &str, Option<&str>)> {
        super::each(stored)
            .map(Result::unwrap)
            .map(|(at, channel, direction)| (at.as_stored(), channel, direction))
            .collect()
    }

    /// The usual records are split without scanning; compact ones (0018) read to the time
    /// they were made from; any other stored shape (a time with an offset, a channel kith
    /// does not know) is read the long way, to the same fields.
    #[test]
    fn every_shape_of_record_reads_back() {
        let stored = "2026-03-01T10:00:00Z\u{1f}call\u{1f}in\u{1e}\
                      2026-03-02T10:00:00Z\u{1f}email\u{1f}\u{1e}\
                      2026-03-03T10:00:00+01:00\u{1f}email\u{1f}out\u{1e}\
                      2026-03-04T10:00:00Z\u{1f}a channel longer than sixteen\u{1f}out\u{1e}\
                      2026-03-05T10:00:00Z\u{1f}meeting\u{1f}out\u{1e}\
                      1772791200t-\u{1e}-86400vo\u{1e}";
        assert_eq!(
            read(stored),
            vec![
                ("2026-03-01T10:00:00Z".into(), "call", Some("in")),
                ("2026-03-02T10:00:00Z".into(), "email", None),
                ("2026-03-03T10:00:00+01:00".into(), "email", Some("out")),
                (
                    "2026-03-04T10:00:00Z".into(),
                    "a channel longer than sixteen",
                    Some("out")
                ),
                ("2026-03-05T10:00:00Z".into(), "meeting", Some("out")),
                ("2026-03-06T10:00:00Z".into(), "message", None),
                ("1969-12-31T00:00:00Z".into(), "video", Some("out")),
            ]
        );
    }

    #[test]
    fn an_unreadable_row_is_an_error_not_a_panic() {
        assert!(
            super::each("2026-01-01T00:00:00Z\u{1e}")
                .next()
                .unwrap()
                .is_err()
        );
        assert_eq!(super::each("").count(), 0);
    }
}
