//! Every interaction with an organization or its people, found without reading one
//! interaction row: each person's participations come from their index (interaction ids, in
//! id order) and their times from their `contact_touches` row (migration 0015), which holds
//! their interactions in that same order. An organization of 3,000 people is 3,000 rows of
//! each instead of 30k wide interaction rows looked up one by one and sorted by SQLite; the
//! brief's timeline then reads just the interactions it shows, and its rhythm counts the
//! times it already has.
//!
//! When a person's row does not hold as many interactions as they have participations (a
//! hand edit), [`of_organization`] says so with `None` and the caller asks the interactions
//! themselves.

use rusqlite::{Connection, OptionalExtension};

use super::contact_touches;
use crate::error::Result;

/// One interaction with the organization or someone there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgInteraction {
    pub id: i64,
    /// As stored (UTC RFC 3339), so it sorts as SQL sorts the column.
    pub occurred_at: String,
    /// With the organization itself or with one of its active people (what its rhythm
    /// counts); otherwise only with people there who are archived.
    pub active: bool,
}

/// Every interaction with organization `org` itself or with one of its people (archived
/// too) other than `except`, once each, in id order. `None` when the stored touches of
/// someone there do not match their participations.
pub fn of_organization(
    conn: &Connection,
    org: i64,
    except: Option<i64>,
) -> Result<Option<Vec<OrgInteraction>>> {
    // One row a person: their touches, and their participations' interaction ids as
    // group_concat takes them from their index walk (in id order, as the touches are).
    let mut stmt = conn.prepare_cached(
        "SELECT op.contact_id, op.archived_at IS NULL, op.touches,
                (SELECT group_concat(p.interaction_id) FROM interaction_participants p
                         INDEXED BY interaction_participants_by_contact
                  WHERE p.contact_id = op.contact_id)
           FROM organization_people op
          WHERE op.organization_id = ?1",
    )?;
    let mut found = Vec::new();
    let mut rows = stmt.query([org])?;
    while let Some(r) = rows.next()? {
        let (contact, active): (i64, bool) = (r.get(0)?, r.get(1)?);
        let (stored, ids) = (r.get_ref(2)?, r.get_ref(3)?);
        let (stored, ids) = match (stored.as_str_or_null(), ids.as_str_or_null()) {
            (Ok(Some(stored)), Ok(Some(ids))) => (stored, ids),
            // Neither: never in touch.
            (Ok(None), Ok(None)) => continue,
            _ => return Ok(None),
        };
        let mut ids = ids.split(',');
        for touch in contact_touches::each(stored) {
            let (Ok((occurred_at, _, _)), Some(Ok(id))) = (touch, ids.next().map(str::parse))
            else {
                return Ok(None);
            };
            if except != Some(contact) {
                found.push(OrgInteraction {
                    id,
                    occurred_at: occurred_at.as_stored(),
                    active,
                });
            }
        }
        if ids.next().is_some() {
            return Ok(None);
        }
    }
    let mut stmt =
        conn.prepare_cached("SELECT id, occurred_at FROM interactions WHERE organization_id = ?1")?;
    let mut rows = stmt.query([org])?;
    while let Some(r) = rows.next()? {
        found.push(OrgInteraction {
            id: r.get(0)?,
            occurred_at: r.get(1)?,
            active: true,
        });
    }
    // Once each: an interaction with two people there (or with the organization and someone
    // there) counts as active if any of them does.
    found.sort_unstable_by_key(|i| i.id);
    found.dedup_by(|later, kept| {
        let same = later.id == kept.id;
        kept.active |= same && later.active;
        same
    });
    Ok(Some(found))
}

/// The ids of the `n` latest of `found`, latest first (by time, then id, as the timeline's
/// SQL orders them).
pub fn latest(found: &mut [OrgInteraction], n: usize) -> Vec<i64> {
    let newest_first = |a: &OrgInteraction, b: &OrgInteraction| {
        b.occurred_at
            .as_bytes()
            .cmp(a.occurred_at.as_bytes())
            .then(b.id.cmp(&a.id))
    };
    let n = n.min(found.len());
    if n == 0 {
        return Vec::new();
    }
    if n < found.len() {
        found.select_nth_unstable_by(n - 1, newest_first);
    }
    let top = &mut found[..n];
    top.sort_unstable_by(newest_first);
    top.iter().map(|i| i.id).collect()
}

/// The id of the latest interaction (by time, then id, as the timeline's SQL orders them)
/// with organization `org` itself or with one of its people (archived too) other than
/// `except`: `kith show`'s last touch with someone else at a person's company. The times
/// come from the organization's range of `organization_people` (which its account health
/// reads too: [`LatestTouch`] lets that one pass find both); only the latest one's holders
/// have their participations read, to find its id. Walking back from the latest interaction
/// instead read a few hundred interactions' participants scattered over the book (at a
/// million contacts, a page fault each). `Ok(None)` when a stored row is out of step with
/// the participations, for the caller to walk instead; `Ok(Some(None))` when there is no
/// such interaction.
pub fn latest_by_touches(
    conn: &Connection,
    org: i64,
    except: Option<i64>,
) -> Result<Option<Option<i64>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, touches FROM organization_people WHERE organization_id = ?1",
    )?;
    let mut rows = stmt.query([org])?;
    let mut latest = LatestTouch::new(except);
    while let Some(r) = rows.next()? {
        latest.see(r.get(0)?, r.get_ref(1)?);
    }
    latest.finish(conn, org)
}

/// [`latest_by_touches`] worked out from an organization's rows of `organization_people`
/// as another pass reads them (each one given to [`LatestTouch::see`], in the table's
/// order), then [`LatestTouch::finish`]ed.
#[derive(Debug)]
pub struct LatestTouch {
    except: Option<i64>,
    /// The latest time as stored, and who has it: (contact, place among their touches, how
    /// many they have).
    latest: Option<Vec<u8>>,
    /// [`key_of`] the latest time, when it has one.
    latest_key: Option<(u64, u64, u32)>,
    /// The latest time in UTC seconds, when a compact record (migration 0018) gave it.
    latest_secs: Option<i64>,
    holders: Vec<(i64, usize, usize)>,
    /// People there with no stored touches: any participation of theirs is out of step.
    untouched: Vec<i64>,
    /// A stored row that is not text, or not read the way `contact_touches::each` reads it.
    unreadable: bool,
}

impl LatestTouch {
    /// Before any row, the latest with someone other than `except`.
    pub fn new(except: Option<i64>) -> LatestTouch {
        LatestTouch {
            except,
            latest: None,
            latest_key: None,
            latest_secs: None,
            holders: Vec::new(),
            untouched: Vec::new(),
            unreadable: false,
        }
    }

    /// The row of person `contact`, with their stored touches (NULL when none).
    pub fn see(&mut self, contact: i64, stored: rusqlite::types::ValueRef<'_>) {
        use rusqlite::types::ValueRef;
        if self.except == Some(contact) || self.unreadable {
            return;
        }
        let stored = match stored {
            ValueRef::Null => {
                self.untouched.push(contact);
                return;
            }
            // What kith writes is ASCII: anything else is checked to be text.
            ValueRef::Text(t) if t.is_ascii() || std::str::from_utf8(t).is_ok() => t,
            _ => {
                self.unreadable = true;
                return;
            }
        };
        let mut count = 0;
        for (place, at) in stored_times(stored).enumerate() {
            let Some(at) = at else {
                self.unreadable = true;
                return;
            };
            count += 1;
            let order = match at {
                // Compact records (all of kith's since 0018) compared as numbers.
                StoredTime::Secs(secs) => match (self.latest_secs, self.latest.as_deref()) {
                    (Some(latest), _) => Some(secs.cmp(&latest)),
                    (None, None) => None,
                    (None, Some(latest)) => match contact_touches::stored_time(secs) {
                        Some(text) => Some(text.as_slice().cmp(latest)),
                        None => {
                            self.unreadable = true;
                            return;
                        }
                    },
                },
                // Times as kith writes them (20 bytes) compared as three numbers.
                StoredTime::Text(at) => match (self.latest_key, key_of(at)) {
                    (Some(l), Some(a)) => Some(a.cmp(&l)),
                    _ => self.latest.as_deref().map(|l| at.cmp(l)),
                },
            };
            match order {
                Some(std::cmp::Ordering::Less) => {}
                Some(std::cmp::Ordering::Equal) => self.holders.push((contact, place, 0)),
                None | Some(std::cmp::Ordering::Greater) => {
                    let (text, secs) = match at {
                        StoredTime::Text(at) => (at.to_vec(), None),
                        StoredTime::Secs(secs) => match contact_touches::stored_time(secs) {
                            Some(text) => (text.to_vec(), Some(secs)),
                            None => {
                                self.unreadable = true;
                                return;
                            }
                        },
                    };
                    self.latest_key = key_of(&text);
                    self.latest_secs = secs;
                    self.latest = Some(text);
                    self.holders.clear();
                    self.holders.push((contact, place, 0));
                }
            }
        }
        // This row's holders are the last ones.
        for h in self.holders.iter_mut().rev().take_while(|h| h.0 == contact) {
            h.2 = count;
        }
    }

    /// The id of the latest interaction with organization `org` or someone seen there, as
    /// [`latest_by_touches`] says it.
    pub fn finish(self, conn: &Connection, org: i64) -> Result<Option<Option<i64>>> {
        if self.unreadable {
            return Ok(None);
        }
        // Someone without a stored row but with participations: out of step.
        let mut stmt = conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM interaction_participants p
                             INDEXED BY interaction_participants_by_contact
                             WHERE p.contact_id = ?1)",
        )?;
        for &contact in &self.untouched {
            if stmt.query_row([contact], |r| r.get::<_, bool>(0))? {
                return Ok(None);
            }
        }
        let mut best: Option<(Vec<u8>, i64)> = None;
        if let Some(at) = self.latest {
            let mut ids = conn.prepare_cached(
                "SELECT interaction_id FROM interaction_participants
                        INDEXED BY interaction_participants_by_contact
                  WHERE contact_id = ?1",
            )?;
            let mut time =
                conn.prepare_cached("SELECT occurred_at FROM interactions WHERE id = ?1")?;
            for &(contact, place, count) in &self.holders {
                let theirs: Vec<i64> = ids
                    .query_map([contact], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                // In step: as many participations as touches, and the one at that place
                // happened then.
                let Some(&id) = theirs.get(place).filter(|_| theirs.len() == count) else {
                    return Ok(None);
                };
                let stored: Option<String> = time.query_row([id], |r| r.get(0)).optional()?;
                if stored.as_deref().map(str::as_bytes) != Some(at.as_slice()) {
                    return Ok(None);
                }
                if best.as_ref().is_none_or(|(_, b)| id > *b) {
                    best = Some((at.clone(), id));
                }
            }
        }
        // And its own, latest first.
        let mut stmt = conn.prepare_cached(
            "SELECT occurred_at, id FROM interactions WHERE organization_id = ?1
              ORDER BY occurred_at DESC, id DESC LIMIT 1",
        )?;
        let own: Option<(String, i64)> = stmt
            .query_row([org], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let own = own.map(|(at, id)| (at.into_bytes(), id));
        let newer =
            |a: &(Vec<u8>, i64), b: &(Vec<u8>, i64)| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).is_gt();
        let best = match (best, own) {
            (Some(b), Some(o)) => Some(if newer(&o, &b) { o } else { b }),
            (b, o) => b.or(o),
        };
        Ok(Some(best.map(|(_, id)| id)))
    }
}

/// A 20-byte time as three big-endian numbers, which compare as its bytes do.
#[inline]
fn key_of(at: &[u8]) -> Option<(u64, u64, u32)> {
    let at: &[u8; 20] = at.try_into().ok()?;
    let (high, rest) = at.split_first_chunk::<8>()?;
    let (mid, low) = rest.split_first_chunk::<8>()?;
    let low: &[u8; 4] = low.try_into().ok()?;
    Some((
        u64::from_be_bytes(*high),
        u64::from_be_bytes(*mid),
        u32::from_be_bytes(*low),
    ))
}

/// The time of each interaction a `contact_touches` text holds, in order: a compact record's
/// (migration 0018) as seconds, any other's as stored; `None` for a record that is neither
/// compact nor `time US channel US direction RS` read as
/// [`contact_touches::each`] reads it (by its first and last separators; a 20-byte time
/// when a separator follows it), or that the two might read apart (a separator within its
/// first 20 bytes). Only the times are looked at: each record's bytes are scanned once.
fn stored_times(stored: &[u8]) -> impl Iterator<Item = Option<StoredTime<'_>>> {
    const FIELD: u8 = contact_touches::FIELD as u8;
    const RECORD: u8 = contact_touches::RECORD as u8;
    let mut rest = stored;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A compact record (migration 0018), as kith writes them now.
        if let Some((secs, _, _, used)) = contact_touches::compact(rest) {
            rest = rest.get(used..).unwrap_or_default();
            return Some(Some(StoredTime::Secs(secs)));
        }
        // A record as 0015 wrote them, read without searching for its separators.
        if let Some(len) = usual_record(rest) {
            let time = &rest[..20];
            rest = &rest[len..];
            return Some(Some(StoredTime::Text(time)));
        }
        let Some(end) = memchr::memchr(RECORD, rest) else {
            rest = &[];
            return Some(None);
        };
        let record = &rest[..end];
        let twenty = rest.get(20) == Some(&FIELD);
        rest = &rest[end + 1..];
        let first = memchr::memchr(FIELD, record);
        let last = memchr::memrchr(FIELD, record);
        if twenty && first != Some(20) {
            return Some(None);
        }
        Some(match (first, last) {
            (Some(first), Some(last)) if first < last => Some(StoredTime::Text(&record[..first])),
            _ => None,
        })
    })
}

/// A record's time as [`stored_times`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StoredTime<'a> {
    /// As stored by the interaction (a record of migration 0015).
    Text(&'a [u8]),
    /// UTC seconds (a compact record).
    Secs(i64),
}

/// The length (with its separator) of the record `b` starts with when it is one as kith
/// writes it: 20 bytes of time holding no separator, then a channel kith knows and a
/// direction or none. [`stored_times`] reads its time as the first 20 bytes, as the search
/// for its separators would.
#[inline]
fn usual_record(b: &[u8]) -> Option<usize> {
    const FIELD: u8 = contact_touches::FIELD as u8;
    // Both separators are below 0x20: no byte of the time may be. Eight bytes at a time: a
    // lane below 0x20 borrows into its high bit, which a lane of 0x80 or more has set (a
    // borrow only ever comes from a lane that is below, so the answer is exact).
    let below = |w: u64| w.wrapping_sub(0x2020_2020_2020_2020) & !w & 0x8080_8080_8080_8080;
    let (high, rest) = b.split_first_chunk::<8>()?;
    let (mid, rest) = rest.split_first_chunk::<8>()?;
    let (low, rest) = rest.split_first_chunk::<4>()?;
    // The four bytes in the low lanes, the high ones filled with spaces.
    let low = u64::from(u32::from_le_bytes(*low)) | 0x2020_2020_0000_0000;
    if below(u64::from_le_bytes(*high)) | below(u64::from_le_bytes(*mid)) | below(low) != 0
        || rest.first() != Some(&FIELD)
    {
        return None;
    }
    let (_, _, used) = contact_touches::usual_channel_and_direction(&rest[1..])?;
    Some(21 + used)
}

/// The ids of the `n` latest interactions with organization `org` itself or with one of its
/// people (archived too) other than `except`, latest first, found by walking every
/// interaction from the latest back (the time index, and each one's participants) for at
/// most `10 × its people + 1,000` interactions. In a big organization the latest are a few
/// hundred steps back; `None` when the walk gave up (few interactions there), for the
/// caller to ask per person instead.
pub fn latest_by_walk(
    conn: &Connection,
    org: i64,
    except: Option<i64>,
    n: usize,
) -> Result<Option<Vec<i64>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM contacts INDEXED BY contacts_by_organization
          WHERE organization_id = ?1",
    )?;
    let people: i64 = stmt.query_row([org], |r| r.get(0))?;
    let mut steps = people.saturating_mul(10).saturating_add(1000);
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.occurred_at,
                EXISTS (SELECT 1 FROM interaction_participants p
                         CROSS JOIN contacts c INDEXED BY contacts_by_organization
                         WHERE p.interaction_id = i.id AND p.contact_id <> ?2
                           AND c.organization_id = ?1 AND c.id = p.contact_id)
           FROM interactions i INDEXED BY interactions_by_time
          ORDER BY i.occurred_at DESC, i.id DESC",
    )?;
    let mut rows = stmt.query(rusqlite::params![org, except.unwrap_or(0)])?;
    let mut found = Vec::new();
    while found.len() < n {
        let Some(r) = rows.next()? else { break };
        if r.get::<_, bool>(2)? {
            found.push(OrgInteraction {
                id: r.get(0)?,
                occurred_at: r.get(1)?,
                active: true,
            });
        }
        steps -= 1;
        if steps == 0 && found.len() < n {
            return Ok(None);
        }
    }
    // And its own (rarely many), latest first.
    let mut stmt = conn.prepare_cached(
        "SELECT id, occurred_at FROM interactions WHERE organization_id = ?1
          ORDER BY occurred_at DESC, id DESC LIMIT ?2",
    )?;
    let own = stmt.query_map(rusqlite::params![org, n as i64], |r| {
        Ok(OrgInteraction {
            id: r.get(0)?,
            occurred_at: r.get(1)?,
            active: true,
        })
    })?;
    for i in own {
        found.push(i?);
    }
    found.sort_unstable_by_key(|i| i.id);
    found.dedup_by_key(|i| i.id);
    Ok(Some(latest(&mut found, n)))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::app::interactions::{LogInteraction, log};
    use crate::clock::Clock;
    use crate::model::{Channel, ContactFields};
    use crate::store::interactions::{self, InteractionFilter};
    use crate::store::{OpenMode, Store, organizations};

    fn clock() -> Clock {
        let now = DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z").unwrap();
        Clock::fixed(now.with_timezone(&Utc))
    }

    fn acme(store: &mut Store) -> i64 {
        let input = crate::app::organizations::AddOrganization {
            name: "Acme".into(),
            ..Default::default()
        };
        crate::app::organizations::add(store, clock().now, &input).unwrap()
    }

    fn add(store: &mut Store, name: &str, org: Option<&str>) -> i64 {
        let fields = ContactFields {
            display_name: name.into(),
            organization: org.map(str::to_string),
            ..ContactFields::default()
        };
        crate::app::contacts::add(store, clock(), fields).unwrap()
    }

    fn log_at(store: &mut Store, who: &[i64], org: Option<i64>, at: &str) {
        let input = LogInteraction {
            participants: who.to_vec(),
            organization: org,
            summary: format!("at {at}"),
            channel: Channel::Call,
            direction: None,
            at: Some(at.into()),
            body: None,
            follow_up: None,
        };
        log(store, clock(), &input).unwrap();
    }

    /// Both ways of finding an organization's interactions agree with the SQL that reads
    /// every one: shared interactions once, archived people in the timeline but not the
    /// rhythm, the organization's own, ties at the same moment by id, the person left out.
    #[test]
    fn the_touches_and_the_walk_find_what_sql_finds() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let org = acme(&mut store);
        let ada = add(&mut store, "Ada", Some("Acme"));
        let bob = add(&mut store, "Bob", Some("Acme"));
        let cy = add(&mut store, "Cy", Some("Acme"));
        let out = add(&mut store, "Out", None);
        log_at(&mut store, &[ada, bob], None, "2026-11-01 10:00");
        log_at(&mut store, &[bob], None, "2026-11-01 10:00");
        log_at(&mut store, &[out], Some(org), "2026-10-01 09:00");
        log_at(&mut store, &[cy, out], None, "2026-11-20 09:00");
        log_at(&mut store, &[ada], None, "2025-06-01 09:00");
        log_at(&mut store, &[out], None, "2026-11-23 09:00");
        // Logged late, and older than the rest.
        log_at(&mut store, &[bob, cy], None, "2024-01-01 09:00");
        crate::app::contacts::set_archived(&mut store, clock().now, cy, true).unwrap();
        let conn = store.conn();
        for except in [None, Some(ada), Some(bob), Some(cy)] {
            for n in [1, 2, 3, 10] {
                let sql: Vec<i64> = interactions::list(
                    conn,
                    &InteractionFilter {
                        organization_id: Some(org),
                        with_others_than: except,
                        limit: Some(n),
                        ..Default::default()
                    },
                )
                .unwrap()
                .iter()
                .map(|i| i.id)
                .collect();
                let mut found = of_organization(conn, org, except).unwrap().unwrap();
                assert_eq!(latest(&mut found, n), sql, "{except:?} {n}");
                let walked = latest_by_walk(conn, org, except, n).unwrap().unwrap();
                assert_eq!(walked, sql, "{except:?} {n}");
                if n == 1 {
                    let latest = latest_by_touches(conn, org, except).unwrap().unwrap();
                    assert_eq!(latest.into_iter().collect::<Vec<_>>(), sql, "{except:?}");
                }
            }
        }
        let since = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let mut sql = organizations::activity_days(conn, org, since).unwrap();
        sql.sort();
        let mut times: Vec<_> = of_organization(conn, org, None)
            .unwrap()
            .unwrap()
            .into_iter()
            .filter(|i| {
                i.active && i.occurred_at.as_str() >= organizations::day_start(since).as_str()
            })
            .map(|i| crate::store::parse_ts(&i.occurred_at).unwrap())
            .collect();
        times.sort();
        assert_eq!(times, sql);
        assert_eq!(sql.len(), 4);
    }

    /// The times as the scan for the latest reads them are the times `contact_touches::each`
    /// reads, or nothing (for the caller to walk instead); never another time.
    #[test]
    fn stored_times_are_the_touches_times_or_nothing() {
        let texts = [
            "2026-11-01T10:00:00Z\x1fcall\x1fout\x1e2026-11-02T10:00:00Z\x1femail\x1f\x1e",
            "2026-11-01 10:00\x1fcall\x1fin\x1e",
            "2026-11-01T10:00:00Z\x1fcarrier pigeon\x1fsideways\x1e",
            "2026-11\x1f01T10:00:00Z\x1fcall\x1f\x1e",
            "2026-11-01T10\x1e00:00Z\x1fcall\x1f\x1e",
            "no separators at all\x1e",
            "2026-11-01T10:00:00Z\x1fmeeting\x1fin\x1e2026-11-03T10:00:00Z\x1fmessage\x1f\x1e",
            "2026-11-01T10:00:00Z\x1fcalls\x1fout\x1e2026-11-02T10:00:00Z\x1fvideo\x1fout\x1e",
            "2026-11-01T10:00:00Z\x1fcall\x1fout\x1fmore\x1e",
            "2026-11-01T10:00:00Z\x1fnote\x1finside\x1e",
            "2026-11-01T10:00:00Z\x1fcall\x1f",
            "",
            "1761991200co\x1e1762077600e-\x1e-86400mi\x1e",
            "1761991200co\x1e2026-11-01T10:00:00+01:00\x1fcall\x1fin\x1e1762077600v-\x1e",
            "1761991200cx\x1e",
            "1761991200c\x1e",
        ];
        for text in texts {
            let times: Vec<Option<StoredTime>> = stored_times(text.as_bytes()).collect();
            let each: Vec<_> = contact_touches::each(text).collect();
            if times.iter().all(Option::is_some) {
                assert_eq!(times.len(), each.len(), "{text:?}");
                for (t, e) in times.iter().zip(&each) {
                    let (at, _, _) = e.as_ref().expect("read by both");
                    let read = match *at {
                        contact_touches::StoredAt::Text(at) => StoredTime::Text(at.as_bytes()),
                        contact_touches::StoredAt::Secs(secs) => StoredTime::Secs(secs),
                    };
                    assert_eq!(*t, Some(read), "{text:?}");
                }
            }
        }
        assert_eq!(stored_times(texts[12].as_bytes()).count(), 3);
        assert!(stored_times(texts[13].as_bytes()).all(|t| t.is_some()));
        assert!(stored_times(texts[14].as_bytes()).any(|t| t.is_none()));
        assert!(stored_times(texts[15].as_bytes()).any(|t| t.is_none()));
        assert_eq!(stored_times(texts[0].as_bytes()).count(), 2);
        assert!(stored_times(texts[0].as_bytes()).all(|t| t.is_some()));
        assert!(stored_times(texts[3].as_bytes()).any(|t| t.is_none()));
    }

    /// The record as read eight bytes at a time is the record as read byte by byte: every
    /// byte of a few records replaced in turn by bytes near the separators and the lanes'
    /// edges, and every record cut short.
    #[test]
    fn usual_records_read_by_words_as_by_bytes() {
        fn by_bytes(b: &[u8]) -> Option<usize> {
            const FIELD: u8 = contact_touches::FIELD as u8;
            const RECORD: u8 = contact_touches::RECORD as u8;
            if b.get(20) != Some(&FIELD) || !b[..20].iter().all(|&c| c > FIELD.max(RECORD)) {
                return None;
            }
            let rest = &b[21..];
            let name: &[u8] = match rest.first()? {
                b'c' => b"call",
                b'e' => b"email",
                b'm' if rest.get(2) == Some(&b'e') => b"meeting",
                b'm' => b"message",
                b'v' => b"video",
                b's' => b"social",
                b'l' => b"letter",
                b'n' => b"note",
                b'o' => b"other",
                _ => return None,
            };
            if rest.get(..name.len())? != name || rest.get(name.len()) != Some(&FIELD) {
                return None;
            }
            let used = match rest.get(name.len() + 1..)? {
                [RECORD, ..] => 1,
                [b'i', b'n', RECORD, ..] => 3,
                [b'o', b'u', b't', RECORD, ..] => 4,
                _ => return None,
            };
            Some(21 + name.len() + 1 + used)
        }
        let records = [
            "2026-11-01T10:00:00Z\x1fcall\x1fout\x1e",
            "2026-11-01T10:00:00Z\x1fmeeting\x1fin\x1e2026",
            "2026-11-01T10:00:00Z\x1fmessage\x1f\x1e",
            "2026-11-01T10:00:00Z\x1femail\x1fin\x1e",
            "2026-11-01T10:00:00Z\x1fvideo\x1f\x1e",
            "2026-11-01T10:00:00Z\x1fsocial\x1fout\x1e",
            "2026-11-01T10:00:00Z\x1fletter\x1f\x1e",
            "2026-11-01T10:00:00Z\x1fnote\x1f\x1e",
            "2026-11-01T10:00:00Z\x1fother\x1fin\x1e",
        ];
        let bytes = [
            0x00, 0x01, 0x1e, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0x9f, 0xa0, 0xff, b'a', b'e', b'i',
            b'n', b'o', b't', b'u',
        ];
        let mut checked = 0;
        for record in records {
            let record = record.as_bytes();
            for cut in 0..=record.len() {
                assert_eq!(usual_record(&record[..cut]), by_bytes(&record[..cut]));
            }
            for at in 0..record.len() {
                for &byte in &bytes {
                    let mut changed = record.to_vec();
                    changed[at] = byte;
                    assert_eq!(usual_record(&changed), by_bytes(&changed), "{changed:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 500);
    }

    /// A stored row that no longer matches the participations is not trusted.
    #[test]
    fn touches_out_of_step_with_the_participations_are_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let org = acme(&mut store);
        let ada = add(&mut store, "Ada", Some("Acme"));
        log_at(&mut store, &[ada], None, "2026-11-01 10:00");
        log_at(&mut store, &[ada], None, "2026-11-02 10:00");
        let conn = store.conn();
        conn.execute(
            "UPDATE contact_touches SET touches = substr(touches, 1, 24)",
            [],
        )
        .unwrap();
        assert_eq!(of_organization(conn, org, None).unwrap(), None);
        assert_eq!(latest_by_touches(conn, org, None).unwrap(), None);
        conn.execute("DELETE FROM contact_touches", []).unwrap();
        assert_eq!(of_organization(conn, org, None).unwrap(), None);
        assert_eq!(latest_by_touches(conn, org, None).unwrap(), None);
        // Without her, nobody there: nothing to find.
        assert_eq!(latest_by_touches(conn, org, Some(ada)).unwrap(), Some(None));
    }
}
