//! The folded search haystacks, stored packed: `search_chunks` holds one blob per 256
//! contacts (chunk = id >> 8), so scanning 100k contacts reads a few hundred blobs instead of
//! decoding 100k rows (migration 0005).
//!
//! A blob is a run of records, in contact order:
//! `[contact id: i64 LE][mask: u64 LE][haystack length: u32 LE][haystack]`, where the
//! haystack and mask are what [`crate::search::haystack`] makes of the contact's
//! `contact_search.doc`, and bit 63 of the mask says the contact is archived.
//!
//! Triggers mark a chunk stale when a contact in it changes; [`refresh`] refolds stale
//! chunks at the end of every write transaction, and [`for_each`] folds any chunk still stale
//! (after a hand edit by another program) on the fly, so readers are never wrong.

use rusqlite::{Connection, params};

use super::search::doc_fields;
use crate::error::Result;
use crate::search::haystack;

/// Contacts per chunk, as a shift: a chunk holds ids `chunk << SHIFT ..= (chunk << SHIFT) + 255`.
const SHIFT: u32 = 8;
/// Set in a stored mask when the contact is archived (letter masks use the low 41 bits).
const ARCHIVED: u64 = 1 << 63;
/// Bytes before each haystack in a blob.
const HEADER: usize = 8 + 8 + 4;

/// Call `f(contact_id, mask, haystack)` for every contact (archived ones only when asked),
/// in id order.
pub fn for_each(
    conn: &Connection,
    include_archived: bool,
    mut f: impl FnMut(i64, u64, &[u8]),
) -> Result<()> {
    for_each_chunk(conn, |data| each_in(data, include_archived, &mut f))
}

/// Call `f` with every chunk's blob as stored (a stale chunk folded first), in chunk order:
/// for a reader that hands chunks to other threads ([`each_in`] reads one).
pub fn for_each_chunk(conn: &Connection, f: impl FnMut(&[u8])) -> Result<()> {
    for_each_chunk_in(conn, i64::MIN..=i64::MAX, f)
}

/// [`for_each_chunk`] for the chunks numbered in `chunks` only.
pub fn for_each_chunk_in(
    conn: &Connection,
    chunks: std::ops::RangeInclusive<i64>,
    mut f: impl FnMut(&[u8]),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT chunk, stale, data FROM search_chunks WHERE chunk BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([chunks.start(), chunks.end()])?;
    let mut folded = Vec::new();
    while let Some(r) = rows.next()? {
        let stale: bool = r.get(1)?;
        if stale {
            folded.clear();
            fold_chunk(conn, r.get(0)?, &mut folded)?;
            f(&folded);
        } else {
            f(r.get_ref(2)?
                .as_blob_or_null()
                .map_err(rusqlite::Error::from)?
                .unwrap_or_default());
        }
    }
    Ok(())
}

/// Call `f(contact_id, mask, haystack)` for every contact of one chunk's blob (archived ones
/// only when asked), in id order.
pub fn each_in(data: &[u8], include_archived: bool, mut f: impl FnMut(i64, u64, &[u8])) {
    for (id, mask, hay) in records(data) {
        if include_archived || mask & ARCHIVED == 0 {
            f(id, mask & !ARCHIVED, hay);
        }
    }
}

/// The lowest and highest chunk numbers stored, if any.
pub fn chunk_span(conn: &Connection) -> Result<Option<(i64, i64)>> {
    Ok(conn.query_row(
        "SELECT min(chunk), max(chunk) FROM search_chunks",
        [],
        |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
    )?)
}

/// The chunk that holds contact `id`.
pub fn chunk_of(id: i64) -> i64 {
    id >> SHIFT
}

/// The first contact id chunk `chunk` can hold. A chunk number no id can have (a hand edit
/// of `search_chunks`) is taken as the nearest one that can, never shifted out of range.
pub fn first_id(chunk: i64) -> i64 {
    chunk.clamp(i64::MIN >> SHIFT, i64::MAX >> SHIFT) << SHIFT
}

/// The first and last contact ids chunk `chunk` holds; none for a chunk number no id can
/// have. The last is the first with its low bits set: `first + 255` would overflow for ids
/// past `i64::MAX - 255`, which a book can hold (SQLite takes any 64-bit id).
fn id_range(chunk: i64) -> Option<(i64, i64)> {
    let first = chunk.checked_mul(1 << SHIFT)?;
    Some((first, first | ((1 << SHIFT) - 1)))
}

/// Mark `chunks` stale, as the triggers on `contact_search` do, for writers that switch
/// triggers off (`store::deferred`).
pub(super) fn mark_stale(conn: &Connection, chunks: impl IntoIterator<Item = i64>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO search_chunks (chunk, stale) VALUES (?1, 1)
         ON CONFLICT (chunk) DO UPDATE SET stale = 1 WHERE stale = 0",
    )?;
    for chunk in chunks {
        stmt.execute([chunk])?;
    }
    Ok(())
}

/// Refold every stale chunk (the triggers marked them when a contact changed). Runs at the
/// end of each write transaction and after migrations; returns how many chunks were folded.
pub(super) fn refresh(conn: &Connection) -> Result<usize> {
    let stale: Vec<i64> = {
        let mut stmt = conn.prepare_cached("SELECT chunk FROM search_chunks WHERE stale = 1")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut data = Vec::new();
    for &chunk in &stale {
        data.clear();
        if fold_chunk(conn, chunk, &mut data)? == 0 {
            conn.prepare_cached("DELETE FROM search_chunks WHERE chunk = ?1")?
                .execute([chunk])?;
        } else {
            conn.prepare_cached("UPDATE search_chunks SET stale = 0, data = ?2 WHERE chunk = ?1")?
                .execute(params![chunk, data])?;
        }
    }
    Ok(stale.len())
}

/// Append the records of every contact in `chunk` to `out`; returns how many.
fn fold_chunk(conn: &Connection, chunk: i64, out: &mut Vec<u8>) -> Result<usize> {
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, archived, doc FROM contact_search
          WHERE contact_id BETWEEN ?1 AND ?2 ORDER BY contact_id",
    )?;
    let Some((first, last)) = id_range(chunk) else {
        return Ok(0);
    };
    let mut rows = stmt.query(params![first, last])?;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let archived: bool = r.get(1)?;
        let doc = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        let start = out.len();
        out.resize(start + HEADER, 0);
        let mask = haystack(doc_fields(doc), out);
        let len = out.len() - start - HEADER;
        write_header(&mut out[start..start + HEADER], id, mask, archived, len);
        count += 1;
    }
    Ok(count)
}

fn write_header(header: &mut [u8], id: i64, mask: u64, archived: bool, len: usize) {
    let mask = if archived { mask | ARCHIVED } else { mask };
    header[..8].copy_from_slice(&id.to_le_bytes());
    header[8..16].copy_from_slice(&mask.to_le_bytes());
    header[16..HEADER].copy_from_slice(&(len as u32).to_le_bytes());
}

/// Store chunk `chunk` as folded, from the haystacks of all its contacts in id order
/// (`(id, archived, mask, haystack)`, as [`crate::search::haystack`] makes them), for a
/// writer that has them in hand (`store::deferred`): what [`refresh`] would store.
pub(super) fn put_chunk<'a>(
    conn: &Connection,
    chunk: i64,
    contacts: impl IntoIterator<Item = (i64, bool, u64, &'a [u8])>,
    buffer: &mut Vec<u8>,
) -> Result<()> {
    buffer.clear();
    for (id, archived, mask, hay) in contacts {
        let start = buffer.len();
        buffer.resize(start + HEADER, 0);
        write_header(&mut buffer[start..], id, mask, archived, hay.len());
        buffer.extend_from_slice(hay);
    }
    conn.prepare_cached(
        "INSERT INTO search_chunks (chunk, stale, data) VALUES (?1, 0, ?2)
         ON CONFLICT (chunk) DO UPDATE SET stale = 0, data = excluded.data",
    )?
    .execute(params![chunk, &buffer[..]])?;
    Ok(())
}

/// The records of a blob; a truncated tail (a damaged blob) ends the run rather than panics.
fn records(mut data: &[u8]) -> impl Iterator<Item = (i64, u64, &[u8])> {
    std::iter::from_fn(move || {
        let header = data.get(..HEADER)?;
        let id = i64::from_le_bytes(header[..8].try_into().ok()?);
        let mask = u64::from_le_bytes(header[8..16].try_into().ok()?);
        let len = u32::from_le_bytes(header[16..HEADER].try_into().ok()?) as usize;
        let hay = data.get(HEADER..HEADER + len)?;
        data = &data[HEADER + len..];
        Some((id, mask, hay))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{OpenMode, Store};

    fn stored(store: &Store) -> Vec<(i64, u64, Vec<u8>)> {
        let mut out = Vec::new();
        for_each(store.conn(), true, |id, mask, hay| {
            out.push((id, mask, hay.to_vec()))
        })
        .unwrap();
        out
    }

    /// Contacts with these ids and names and nothing else.
    fn add_people(store: &mut Store, people: &[(i64, &str)]) {
        store
            .write(|tx| {
                for (id, name) in people {
                    tx.execute(
                        "INSERT INTO contacts (id, uid, display_name, name_key, created_at, updated_at)
                         VALUES (?1, ?2, ?3, lower(?3), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                        params![id, format!("u{id}"), name],
                    )?;
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn stored_haystacks_are_the_folded_docs_and_refresh_after_writes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        add_people(
            &mut store,
            &[(1, "Jürgen Müller"), (300, "Ada"), (301, "Zoë")],
        );
        let all = stored(&store);
        assert_eq!(all.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 300, 301]);
        let mut expected = Vec::new();
        let mask = haystack(
            [(crate::search::Field::Name, "Jürgen Müller")].into_iter(),
            &mut expected,
        );
        assert_eq!((all[0].1, &all[0].2), (mask, &expected));
        let stale: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM search_chunks WHERE stale = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stale, 0, "a write leaves nothing stale");
        // A foreign write whose own conflict policy (OR IGNORE, OR REPLACE) would override a
        // trigger's still marks the chunk.
        for sql in [
            "INSERT OR IGNORE INTO tags (id, name) VALUES (1, 'vip')",
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (300, 1)",
            "INSERT OR REPLACE INTO contact_tags (contact_id, tag_id) VALUES (1, 1)",
        ] {
            store.conn().execute(sql, []).unwrap();
        }
        let stale: Vec<i64> = store
            .conn()
            .prepare("SELECT chunk FROM search_chunks WHERE stale = 1 ORDER BY chunk")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(stale, [0, 1]);
        let tagged: Vec<i64> = stored(&store)
            .into_iter()
            .filter(|(_, _, hay)| hay.windows(3).any(|w| w == b"vip"))
            .map(|r| r.0)
            .collect();
        assert_eq!(tagged, [1, 300], "stale chunks are folded on read");
        store.write(|_| Ok(())).unwrap();
        // Deleting the only contact of a chunk drops the chunk.
        store
            .write(|tx| Ok(tx.execute("DELETE FROM contacts WHERE id = 1", [])?))
            .unwrap();
        let chunks: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM search_chunks", [], |r| r.get(0))
            .unwrap();
        assert_eq!((chunks, stored(&store).len()), (1, 2));
    }

    #[test]
    fn ids_at_the_ends_of_i64_are_stored_and_found() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        // SQLite takes any 64-bit id (a hand edit, another program): the chunks at both ends.
        let people = [
            (i64::MIN, "Ada Min"),
            (i64::MIN + 300, "Bea Min"),
            (1, "Cy One"),
            (i64::MAX - 256, "Dee Max"),
            (i64::MAX - 1, "Eve Max"),
            (i64::MAX, "Fay Max"),
        ];
        add_people(&mut store, &people);
        let ids: Vec<i64> = stored(&store).iter().map(|r| r.0).collect();
        assert_eq!(ids, people.map(|p| p.0));
        // The chunks span all of i64: a search splits them over two threads.
        for (query, expected) in [("max", &people[3..]), ("min", &people[..2])] {
            let found = crate::store::search::best_matches(
                store.conn(),
                query,
                &crate::store::search::Scope::default(),
                10,
            )
            .unwrap();
            let mut ids: Vec<i64> = found.rows.iter().map(|r| r.entry.contact_id).collect();
            ids.sort_unstable();
            assert_eq!(ids, expected.iter().map(|p| p.0).collect::<Vec<_>>());
            assert_eq!(found.total, expected.len());
        }
        // A chunk number no id can have (a hand edit): nothing to fold, and dropped.
        store
            .conn()
            .execute(
                "INSERT INTO search_chunks (chunk, stale) VALUES (?1, 1)",
                [i64::MAX],
            )
            .unwrap();
        assert_eq!(stored(&store).len(), people.len());
        store.write(|_| Ok(())).unwrap();
        let bogus: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM search_chunks WHERE chunk = ?1",
                [i64::MAX],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(bogus, 0);
    }

    #[test]
    fn a_damaged_blob_ends_the_run_without_panicking() {
        let mut blob = Vec::new();
        blob.extend(7i64.to_le_bytes());
        blob.extend(0u64.to_le_bytes());
        blob.extend(1000u32.to_le_bytes());
        blob.extend(b"\x01short");
        assert_eq!(records(&blob).count(), 0);
        assert_eq!(records(&blob[..5]).count(), 0);
    }
}
