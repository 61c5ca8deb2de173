//! The edges `who-knows` searches ([`crate::network`]), gathered around a set of people only:
//! their typed links, their colleagues (the same organization), the people they shared an
//! interaction with, and those on the same captured mail thread. Each is an indexed walk from the people asked about
//! (`relationships`' unique key and `relationships_by_to`, `contacts_by_organization`,
//! `interaction_participants_by_contact` and its primary key), so the cost follows the
//! neighbourhood, not the book. Archived contacts are no one's way in.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;

use super::parse_ts;
use crate::error::Result;
use crate::model::{Channel, ContactRef, OrgRef};
use crate::network::{Colleagues, Edge, Evidence, Ring};

/// How many ids go in one `IN (...)` list: well under SQLite's limit on variables.
const CHUNK: usize = 500;

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

fn values(ids: &[i64]) -> Vec<Value> {
    ids.iter().map(|&i| Value::Integer(i)).collect()
}

/// Every edge that touches one of `ids`, and the colleague groups of their organizations.
pub fn around(conn: &Connection, ids: &[i64]) -> Result<Ring> {
    let mut ring = Ring {
        asked: ids.to_vec(),
        ..Ring::default()
    };
    let mut orgs = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        links(conn, chunk, &mut ring.edges)?;
        organizations_of(conn, chunk, &mut orgs)?;
        shared_interactions(conn, chunk, &mut ring.edges)?;
        shared_threads(conn, chunk, &mut ring.edges)?;
    }
    orgs.sort_unstable();
    orgs.dedup();
    for org in orgs {
        ring.groups.extend(colleagues(conn, org)?);
    }
    Ok(ring)
}

fn contact_ref(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<ContactRef> {
    Ok(ContactRef {
        id: r.get(at)?,
        uid: r.get(at + 1)?,
        name: r.get(at + 2)?,
    })
}

fn links(conn: &Connection, ids: &[i64], edges: &mut Vec<Edge>) -> Result<()> {
    let list = placeholders(ids.len());
    // Two arms, so each is served by its own index (the unique key leads with from, and
    // relationships_by_to); UNION drops a link found from both ends.
    let sql = format!(
        "SELECT r.kind, r.note, f.id, f.uid, f.display_name, t.id, t.uid, t.display_name
           FROM (SELECT id FROM relationships WHERE from_contact_id IN ({list})
                 UNION SELECT id FROM relationships WHERE to_contact_id IN ({list})) hit
           JOIN relationships r ON r.id = hit.id
           JOIN contacts f ON f.id = r.from_contact_id AND f.archived_at IS NULL
           JOIN contacts t ON t.id = r.to_contact_id AND t.archived_at IS NULL"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut both = values(ids);
    both.extend(values(ids));
    let mut rows = stmt.query(rusqlite::params_from_iter(both))?;
    while let Some(r) = rows.next()? {
        let from = contact_ref(r, 2)?;
        let to = contact_ref(r, 5)?;
        edges.push(Edge {
            a: from.id,
            b: to.id,
            evidence: Evidence::Link {
                link: r.get(0)?,
                from,
                to,
                note: r.get(1)?,
            },
        });
    }
    Ok(())
}

/// The organizations the active ones of `ids` are at.
fn organizations_of(conn: &Connection, ids: &[i64], orgs: &mut Vec<i64>) -> Result<()> {
    let sql = format!(
        "SELECT DISTINCT organization_id FROM contacts
          WHERE id IN ({}) AND archived_at IS NULL AND organization_id IS NOT NULL",
        placeholders(ids.len())
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let found = stmt.query_map(rusqlite::params_from_iter(values(ids)), |r| r.get(0))?;
    for org in found {
        orgs.push(org?);
    }
    Ok(())
}

/// The active people of organization `org` as one group: everyone asked about there is a
/// colleague of everyone else there, and the search pairs them only when a path needs it
/// (a pair each would be 48k edges for 219 people, 3.6M for 1,891).
fn colleagues(conn: &Connection, org: i64) -> Result<Option<Colleagues>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.uid, o.name, m.id
           FROM organizations o JOIN contacts m ON m.organization_id = o.id
          WHERE o.id = ?1 AND m.archived_at IS NULL
          ORDER BY m.id",
    )?;
    let mut rows = stmt.query([org])?;
    let mut group: Option<Colleagues> = None;
    while let Some(r) = rows.next()? {
        let id = r.get(2)?;
        match &mut group {
            Some(g) => g.people.push(id),
            None => {
                group = Some(Colleagues {
                    organization: OrgRef {
                        id: org,
                        uid: r.get(0)?,
                        name: r.get(1)?,
                    },
                    people: vec![id],
                })
            }
        }
    }
    Ok(group)
}

fn shared_interactions(conn: &Connection, ids: &[i64], edges: &mut Vec<Edge>) -> Result<()> {
    let list = placeholders(ids.len());
    let sql = format!(
        "SELECT p.contact_id, q.contact_id, i.id, i.occurred_at, i.channel, i.summary
           FROM interaction_participants p
           JOIN interaction_participants q
             ON q.interaction_id = p.interaction_id AND q.contact_id <> p.contact_id
           JOIN contacts m ON m.id = q.contact_id AND m.archived_at IS NULL
           JOIN interactions i ON i.id = p.interaction_id
          WHERE p.contact_id IN ({list})"
    );
    met_rows(conn, &sql, ids, edges)
}

/// People on the same captured mail thread (`kith capture`) in different messages of it:
/// each message is an interaction of its own, and the thread's root ties them together.
fn shared_threads(conn: &Connection, ids: &[i64], edges: &mut Vec<Edge>) -> Result<()> {
    let list = placeholders(ids.len());
    let sql = format!(
        "SELECT p.contact_id, q.contact_id, i.id, i.occurred_at, i.channel, i.summary
           FROM interaction_participants p
           JOIN captured_records mine ON mine.interaction_id = p.interaction_id
           JOIN captured_records other ON other.thread_key = mine.thread_key
                                      AND other.interaction_id <> mine.interaction_id
           JOIN interaction_participants q
             ON q.interaction_id = other.interaction_id AND q.contact_id <> p.contact_id
           JOIN contacts m ON m.id = q.contact_id AND m.archived_at IS NULL
           JOIN interactions i ON i.id = other.interaction_id
          WHERE p.contact_id IN ({list}) AND mine.thread_key IS NOT NULL"
    );
    met_rows(conn, &sql, ids, edges)
}

/// Rows of (asked, other, interaction id, when, channel, summary) as "met" edges.
fn met_rows(conn: &Connection, sql: &str, ids: &[i64], edges: &mut Vec<Edge>) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values(ids)))?;
    while let Some(r) = rows.next()? {
        let channel: String = r.get(4)?;
        edges.push(Edge {
            a: r.get(0)?,
            b: r.get(1)?,
            evidence: Evidence::Met {
                interaction_id: r.get(2)?,
                occurred_at: parse_ts(&r.get::<_, String>(3)?)?,
                // A channel kith does not know (a hand edit) reads as "other".
                channel: channel.parse().unwrap_or(Channel::Other),
                summary: r.get(5)?,
            },
        });
    }
    Ok(())
}

/// The active people of organization `org`.
pub fn people_of(conn: &Connection, org: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM contacts WHERE organization_id = ?1 AND archived_at IS NULL ORDER BY id",
    )?;
    let ids = stmt.query_map([org], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Names of `ids` (the ones that exist).
pub fn refs(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, ContactRef>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, uid, display_name FROM contacts WHERE id IN ({})",
            placeholders(chunk.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values(chunk)))?;
        while let Some(r) = rows.next()? {
            let c = contact_ref(r, 0)?;
            out.insert(c.id, c);
        }
    }
    Ok(out)
}

/// Those of `ids` whose name another contact has too (archived or not): where a name alone
/// would not say who is meant.
pub fn namesakes(conn: &Connection, ids: &[i64]) -> Result<HashSet<i64>> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT c.id FROM contacts c WHERE c.id IN ({})
                AND EXISTS (SELECT 1 FROM contacts o
                             WHERE o.name_key = c.name_key AND o.id <> c.id)",
            placeholders(chunk.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values(chunk)))?;
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?);
        }
    }
    Ok(out)
}

/// When each of `ids` was last in an interaction (the ones never met are absent): the
/// column the store keeps for every contact.
pub fn last_contact(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, DateTime<Utc>>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, last_contact_at FROM contacts
              WHERE id IN ({}) AND last_contact_at IS NOT NULL",
            placeholders(chunk.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values(chunk)))?;
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?, parse_ts(&r.get::<_, String>(1)?)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{OpenMode, Store};

    fn plan(conn: &Connection, sql: &str, n: usize) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let ids: Vec<Value> = (1..=n as i64).map(Value::Integer).collect();
        stmt.query_map(rusqlite::params_from_iter(ids), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
            .join("\n")
    }

    /// Each gathering walks an index from the people asked about: no scan of a whole table.
    #[test]
    fn the_edges_are_read_through_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        let conn = store.conn();
        let shared = plan(
            conn,
            "SELECT p.contact_id, q.contact_id, i.id FROM interaction_participants p
               JOIN interaction_participants q ON q.interaction_id = p.interaction_id AND q.contact_id <> p.contact_id
               JOIN contacts m ON m.id = q.contact_id AND m.archived_at IS NULL
               JOIN interactions i ON i.id = p.interaction_id WHERE p.contact_id IN (?,?)",
            2,
        );
        assert!(!shared.contains("SCAN"), "{shared}");
        let links = plan(
            conn,
            "SELECT r.kind FROM (SELECT id FROM relationships WHERE from_contact_id IN (?,?)
                UNION SELECT id FROM relationships WHERE to_contact_id IN (?,?)) hit
               JOIN relationships r ON r.id = hit.id",
            4,
        );
        assert!(!links.contains("SCAN relationships"), "{links}");
        let colleagues = plan(
            conn,
            "SELECT o.uid, o.name, m.id FROM organizations o JOIN contacts m ON m.organization_id = o.id
              WHERE o.id = ? AND m.archived_at IS NULL ORDER BY m.id",
            1,
        );
        assert!(!colleagues.contains("SCAN"), "{colleagues}");
        let orgs = plan(
            conn,
            "SELECT DISTINCT organization_id FROM contacts
              WHERE id IN (?,?) AND archived_at IS NULL AND organization_id IS NOT NULL",
            2,
        );
        assert!(!orgs.contains("SCAN"), "{orgs}");
        let threads = plan(
            conn,
            "SELECT q.contact_id FROM interaction_participants p
               JOIN captured_records mine ON mine.interaction_id = p.interaction_id
               JOIN captured_records other ON other.thread_key = mine.thread_key
                                          AND other.interaction_id <> mine.interaction_id
               JOIN interaction_participants q ON q.interaction_id = other.interaction_id
              WHERE p.contact_id IN (?,?) AND mine.thread_key IS NOT NULL",
            2,
        );
        assert!(!threads.contains("SCAN"), "{threads}");
    }

    /// Two messages of one captured thread, each with its own person: they are on the same
    /// thread, and the edge names the other's message.
    #[test]
    fn people_on_one_mail_thread_are_linked_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        let conn = store.conn();
        conn.execute_batch(
            "INSERT INTO contacts (id, uid, display_name, name_key, created_at, updated_at)
               VALUES (1, 'a', 'Ada', 'ada', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                      (2, 'm', 'Maria', 'maria', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO interactions (id, uid, occurred_at, channel, summary, created_at, updated_at)
               VALUES (10, 'i10', '2026-10-01T09:00:00Z', 'email', 'Budget', '2026-10-01T09:00:00Z', '2026-10-01T09:00:00Z'),
                      (11, 'i11', '2026-10-02T09:00:00Z', 'email', 'Re: Budget', '2026-10-02T09:00:00Z', '2026-10-02T09:00:00Z');
             INSERT INTO interaction_participants VALUES (10, 1), (11, 2);
             INSERT INTO capture_batches (id, name, created_at, sources) VALUES (1, 'b1', '2026-10-03T00:00:00Z', 'mbox');
             INSERT INTO captured_records (kind, key, interaction_id, batch_id, thread_key)
               VALUES ('mail', 'k10', 10, 1, 'root'), ('mail', 'k11', 11, 1, 'root');",
        )
        .unwrap();
        let edges = around(conn, &[1]).unwrap().edges;
        assert_eq!(edges.len(), 1, "{edges:?}");
        assert_eq!((edges[0].a, edges[0].b), (1, 2));
        assert!(matches!(
            &edges[0].evidence,
            Evidence::Met { interaction_id: 11, summary, .. } if summary == "Re: Budget"
        ));
    }
}
