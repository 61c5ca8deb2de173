//! Index upkeep done once, set-wise, at the end of a bulk import instead of by triggers on
//! every row.
//!
//! The search triggers of migration 0002 rebuild a contact's `contact_search` row after each
//! detail and tag written (five times for a typical card) and feed the notes full-text index
//! one row at a time; because a statement with triggers runs in a statement journal, FTS5
//! also flushes its pending terms to a new segment on every statement. For 100k contacts
//! that was most of an import's time. So a bulk import switches triggers off on its own
//! connection (`SQLITE_DBCONFIG_ENABLE_TRIGGER`), remembers which contacts and interactions
//! it wrote, and before committing does, for those rows only, exactly what the triggers
//! would have done, then switches them back on. The search row of a contact the import
//! created is built in Rust from the fields in hand (`store::search::PreparedDoc`, on the
//! import's reading thread), instead of read back through the `contact_search_source` view,
//! which costs several subqueries and sorts per contact; contacts it rewrote go through the
//! view. Likewise the search chunks (`store::haystacks`) the import alone filled are stored
//! from the haystacks in hand rather than refolded.
//!
//! This is only safe while every trigger on a table the import writes is one replayed here.
//! [`DeferredIndexes::begin`] checks the schema and declines (the import then runs with
//! triggers, slower but right) when it finds any other.

use std::collections::{BTreeSet, HashMap};

use foldhash::{HashMapExt, HashSetExt};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension};

use super::search::PreparedDoc;
use crate::error::Result;

/// The triggers whose work [`DeferredIndexes::finish`] replays, all from migration 0002.
/// Triggers that fire only on renames or deletes, which an import never does, are listed
/// too: with triggers off they simply have nothing to miss.
pub const REPLAYED_TRIGGERS: &[&str] = &[
    "contact_search_after_contact_insert",
    "contact_search_after_contact_update",
    "contact_search_after_contact_delete",
    "contact_search_after_detail_insert",
    "contact_search_after_detail_update",
    "contact_search_after_detail_delete",
    "contact_search_after_tag_insert",
    "contact_search_after_tag_delete",
    "contact_search_after_tag_rename",
    "contact_search_after_organization_rename",
    "contact_notes_fts_after_insert",
    "contact_notes_fts_after_delete",
    "contact_notes_fts_after_update",
    "interactions_fts_after_insert",
    "interactions_fts_after_delete",
    "interactions_fts_after_update",
    "search_chunks_after_search_insert",
    "search_chunks_after_search_update",
    "search_chunks_after_search_delete",
];

/// Every table an import writes while triggers are off.
pub const IMPORT_TABLES: &[&str] = &[
    "contacts",
    "contact_details",
    "contact_tags",
    "contact_extras",
    "tags",
    "organizations",
    "organization_tags",
    "relationships",
    "interactions",
    "interaction_participants",
    "reminders",
    "reminder_completions",
    "contact_search",
];

/// Non-unique indexes with keys in no particular order, which a large import drops and
/// rebuilds once at the end: sorting 100k keys once costs far less than 100k inserts at
/// random places in a B-tree. Unique indexes stay, as they guard the data.
pub const REBUILT_INDEXES: &[&str] = &[
    "contacts_by_name_key",
    "contacts_by_organization",
    "contact_details_by_key",
    // Contacts by tag: an insert at the end of each tag's run, one per tag of a contact.
    "contact_tags_by_tag",
];

/// The agenda's partial indexes: contacts with a birthday by its day, contacts with a cadence
/// by when they are due. Entries at random places, one per such contact: an import drops
/// one at the first contact it writes that the index holds (past the point where it drops
/// [`REBUILT_INDEXES`]), and builds it again at the end. Never before: a book of contacts
/// without birthdays would pay a scan of every contact (0.45 s at a million) to build an
/// index with nothing new in it.
const REBUILT_WHEN_WRITTEN: [&str; 2] = ["contacts_by_birthday_day", "contacts_reconnect_from"];

/// An import drops [`REBUILT_INDEXES`] once it has created this many contacts, and as many
/// as were stored before it, so that the rebuild costs less than it saves. Into a book with
/// no contacts it drops them at its first: every row is its own, and a rebuild of a few
/// costs next to nothing.
const REBUILD_INDEXES_AFTER: usize = 10_000;

/// Into a book that started empty, the notes of every this many contacts written go into
/// the notes' full-text index while the import goes on (see [`DeferredIndexes::index_notes`]).
/// Each batch is a segment of the index, which FTS5 merges with the others as they
/// accumulate: at 4,096 the merging was 5.5 % of a 100k import's writing thread (24
/// segments); at 16,384 (6 segments) a writing thread of 9.67 G instructions takes 9.38 G.
const NOTES_BATCH: i64 = 16_384;

/// The rows written with triggers off, whose derived rows are rebuilt at the end.
pub struct DeferredIndexes<'c> {
    conn: &'c Connection,
    /// How many contacts the import must create before it drops [`REBUILT_INDEXES`].
    drop_indexes_at: usize,
    /// Whether the book had no contacts before the import.
    started_empty: bool,
    /// The definitions of the indexes dropped, to create again at the end.
    dropped: Vec<String>,
    /// Which of [`REBUILT_WHEN_WRITTEN`] are dropped.
    dropped_when_written: [bool; 2],
    /// The contacts this import created (and did not rewrite), with their folded haystacks,
    /// but for those already stored in their search chunk (see [`Self::store_full_chunk`]).
    created: foldhash::HashMap<i64, CreatedHaystack>,
    /// How many contacts this import created.
    created_count: usize,
    /// Into a book that started empty: the search chunk the last contact created falls in,
    /// and the contacts created in it, stored together once a contact falls in the next.
    open_chunk: i64,
    open_ids: Vec<i64>,
    /// Into a book that started empty: the notes of every contact up to this id are in the
    /// notes' full-text index already (but for those rewritten since, see
    /// [`Self::before_contact_rewrite`]).
    notes_indexed: i64,
    /// Writes a created contact's `contact_search` row.
    insert_search: super::bulk::borrowed::Borrowed<'c>,
    /// Contacts rewritten: their search rows are rebuilt by the view. With `created`, every
    /// contact whose notes index entry is rebuilt.
    rewritten: foldhash::HashSet<i64>,
    interactions: foldhash::HashSet<i64>,
    /// Contacts taken off an interaction the import rewrote: their last contact is worked
    /// out again, as for everyone on the interactions it wrote.
    left_interactions: foldhash::HashSet<i64>,
    finished: bool,
}

/// What the search chunk of a created contact needs: its folded haystack.
struct CreatedHaystack {
    archived: bool,
    mask: u64,
    haystack: Vec<u8>,
}

/// Triggers on import tables that this module does not know how to replay.
pub fn unreplayed_triggers(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")?;
    let mut rows = stmt.query([])?;
    let mut unknown = Vec::new();
    while let Some(r) = rows.next()? {
        let name: String = r.get(0)?;
        let table: String = r.get(1)?;
        let replayed = REPLAYED_TRIGGERS.contains(&name.as_str())
            || super::last_contact::TRIGGERS.contains(&name.as_str())
            || super::contact_touches::TRIGGERS.contains(&name.as_str())
            || super::organization_people::TRIGGERS.contains(&name.as_str())
            || super::organization_follow_ups::TRIGGERS.contains(&name.as_str());
        if IMPORT_TABLES.contains(&table.as_str()) && !replayed {
            unknown.push(name);
        }
    }
    Ok(unknown)
}

impl<'c> DeferredIndexes<'c> {
    /// Switch triggers off on `conn` for a bulk write, or None when the schema has a trigger
    /// this module cannot replay (then triggers stay on and do their work row by row).
    pub fn begin(conn: &'c Connection) -> Result<Option<DeferredIndexes<'c>>> {
        if !unreplayed_triggers(conn)?.is_empty() {
            return Ok(None);
        }
        let stored: i64 = conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        Ok(Some(DeferredIndexes {
            conn,
            drop_indexes_at: if stored == 0 {
                1
            } else {
                REBUILD_INDEXES_AFTER.max(stored as usize)
            },
            started_empty: stored == 0,
            dropped: Vec::new(),
            dropped_when_written: [false; 2],
            created: foldhash::HashMap::new(),
            created_count: 0,
            open_chunk: 0,
            open_ids: Vec::new(),
            notes_indexed: 0,
            insert_search: super::bulk::borrowed::Borrowed::prepare(
                conn,
                "INSERT INTO contact_search (contact_id, organization_id, archived, doc)
                 VALUES (?1, ?2, ?3, ?4)",
            )?,
            rewritten: foldhash::HashSet::new(),
            interactions: foldhash::HashSet::new(),
            left_interactions: foldhash::HashSet::new(),
            finished: false,
        }))
    }

    /// Call before rewriting stored contact `id`: the notes index must forget the notes it
    /// holds for it (FTS5 needs the old text to delete an entry), once per import.
    pub fn before_contact_rewrite(&mut self, id: i64) -> Result<()> {
        // A contact this import created has no index entry yet: nothing to forget.
        // (Into a book that started empty, every contact is one, its haystack perhaps
        // stored and let go already.)
        // Unless its notes went into the index already (see `index_notes`).
        let created_here = self.created.remove(&id).is_some() || self.started_empty;
        let indexed = !created_here || (self.started_empty && id <= self.notes_indexed);
        if self.rewritten.insert(id) && indexed {
            self.conn
                .prepare_cached(
                    "INSERT INTO contact_notes_fts (contact_notes_fts, rowid, notes)
                     SELECT 'delete', id, notes FROM contacts WHERE id = ?1",
                )?
                .execute([id])?;
        }
        Ok(())
    }

    /// Call after inserting contact `id`, with its search row made of its fields as stored:
    /// the row is written now (a rewrite later in the import replaces it), its haystack kept
    /// for the search chunks.
    pub fn contact_inserted(
        &mut self,
        id: i64,
        prepared: PreparedDoc,
        organization_id: Option<i64>,
        archived: bool,
    ) -> Result<()> {
        self.insert_search.execute(&[
            id.into(),
            organization_id.into(),
            i64::from(archived).into(),
            prepared.doc.as_str().into(),
        ])?;
        if self.started_empty {
            self.store_full_chunk(id)?;
        }
        self.created.insert(
            id,
            CreatedHaystack {
                archived,
                mask: prepared.mask,
                haystack: prepared.haystack,
            },
        );
        self.created_count += 1;
        if self.created_count == self.drop_indexes_at {
            self.drop_indexes()?;
        }
        Ok(())
    }

    /// Into a book that started empty, every contact is one this import creates, with ids
    /// in rising order: when contact `id` falls in a new search chunk, the chunk before is
    /// whole and is stored now from the haystacks in hand, which are then let go (a large
    /// import would otherwise hold every contact's haystack to the end). A contact of it
    /// rewritten later marks it stale at the end, as any rewritten contact's chunk is.
    fn store_full_chunk(&mut self, id: i64) -> Result<()> {
        use super::haystacks::chunk_of;
        if chunk_of(id) != self.open_chunk && !self.open_ids.is_empty() {
            let mut whole: Vec<(i64, CreatedHaystack)> = self
                .open_ids
                .drain(..)
                .filter_map(|id| self.created.remove(&id).map(|h| (id, h)))
                .collect();
            whole.sort_unstable_by_key(|(id, _)| *id);
            let contacts = whole
                .iter()
                .map(|(id, h)| (*id, h.archived, h.mask, &h.haystack[..]));
            super::haystacks::put_chunk(self.conn, self.open_chunk, contacts, &mut Vec::new())?;
            if let Some(&(last, _)) = whole.last() {
                self.index_notes(last)?;
            }
        }
        self.open_chunk = chunk_of(id);
        self.open_ids.push(id);
        Ok(())
    }

    /// Into a book that started empty, put the notes of the contacts up to `last` (every
    /// one written so far) into the notes' full-text index, every [`NOTES_BATCH`]
    /// contacts, rather than all of them at the end: the writing thread waits for the
    /// reading one while the import goes on, and works alone at the end, which is what a
    /// large import's time is bound by (a tenth of the writing thread's instructions at
    /// 20k cards). Stops at the first contact rewritten, after which only
    /// [`Self::replay`] indexes notes (each contact indexed once, a rewritten one anew).
    fn index_notes(&mut self, last: i64) -> Result<()> {
        if !self.rewritten.is_empty() || last - self.notes_indexed < NOTES_BATCH {
            return Ok(());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO contact_notes_fts (rowid, notes)
                 SELECT id, notes FROM contacts WHERE id > ?1 AND id <= ?2",
            )?
            .execute([self.notes_indexed, last])?;
        self.notes_indexed = last;
        Ok(())
    }

    /// Tests make a handful of contacts count as a large import.
    #[cfg(test)]
    pub fn drop_indexes_at(&mut self, created: usize) {
        self.drop_indexes_at = created;
    }

    /// Drop [`REBUILT_INDEXES`], keeping their definitions (as the schema holds them, so a
    /// later migration's change to one is kept) for [`Self::finish`]. The import's own
    /// lookups go through memory and primary keys, never these. Undone by a rollback.
    fn drop_indexes(&mut self) -> Result<()> {
        for name in REBUILT_INDEXES {
            self.drop_index(name)?;
        }
        Ok(())
    }

    fn drop_index(&mut self, name: &str) -> Result<()> {
        let sql: Option<String> = self
            .conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(sql) = sql {
            self.conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            self.dropped.push(sql);
        }
        Ok(())
    }

    /// Call before inserting a contact, with whether it has a birthday and a cadence: the
    /// first such contact of a large import drops the index of its kind (see
    /// [`REBUILT_WHEN_WRITTEN`]).
    pub fn before_contact_insert(&mut self, on_agenda: [bool; 2]) -> Result<()> {
        if self.created_count + 1 < self.drop_indexes_at {
            return Ok(());
        }
        for (kind, name) in REBUILT_WHEN_WRITTEN.iter().enumerate() {
            if on_agenda[kind] && !self.dropped_when_written[kind] {
                self.dropped_when_written[kind] = true;
                self.drop_index(name)?;
            }
        }
        Ok(())
    }

    /// Call before rewriting stored interaction `id` (see [`Self::before_contact_rewrite`]).
    pub fn before_interaction_rewrite(&mut self, id: i64) -> Result<()> {
        if self.interactions.insert(id) {
            self.conn
                .prepare_cached(
                    "INSERT INTO interactions_fts (interactions_fts, rowid, summary, body)
                     SELECT 'delete', id, summary, body FROM interactions WHERE id = ?1",
                )?
                .execute([id])?;
            let mut stmt = self.conn.prepare_cached(
                "SELECT contact_id FROM interaction_participants WHERE interaction_id = ?1",
            )?;
            let mut rows = stmt.query([id])?;
            while let Some(r) = rows.next()? {
                self.left_interactions.insert(r.get(0)?);
            }
        }
        Ok(())
    }

    /// Call after inserting interaction `id`.
    pub fn interaction_inserted(&mut self, id: i64) {
        self.interactions.insert(id);
    }

    /// Bring the search rows and full-text indexes of every written row up to date, as the
    /// triggers would have, and switch triggers back on.
    pub fn finish(mut self) -> Result<()> {
        self.finished = true;
        // Migration 0019's rows: any follow-up written, or any contact moved, may change them.
        let result = self
            .replay()
            .and_then(|()| super::organization_follow_ups::rebuild_all(self.conn));
        super::bulk::drop_in_background(std::mem::take(&mut self.created));
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
        result
    }

    fn replay(&self) -> Result<()> {
        let conn = self.conn;
        let done = if self.started_empty {
            super::journal::flush_ahead(conn);
            in_small_sort_runs(conn, || self.rebuild_indexes_and_whole_book())?
        } else {
            self.rebuild_indexes_and_whole_book()?
        };
        if done {
            return Ok(());
        }
        let mut created: Vec<(&i64, &CreatedHaystack)> = self.created.iter().collect();
        created.sort_unstable_by_key(|(id, _)| **id);
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS deferred_contacts (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS deferred_rewritten (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS deferred_interactions (id INTEGER PRIMARY KEY);
             DELETE FROM temp.deferred_contacts;
             DELETE FROM temp.deferred_rewritten;
             DELETE FROM temp.deferred_interactions;",
        )?;
        let written = self.created.keys().chain(&self.rewritten);
        fill(conn, "deferred_contacts", written)?;
        fill(conn, "deferred_rewritten", &self.rewritten)?;
        fill(conn, "deferred_interactions", &self.interactions)?;
        self.replay_last_contacts()?;
        // Migration 0017's rows of the contacts written (those whose touches changed are
        // rebuilt with their touches). Into a book that started empty every contact is one
        // this import wrote, but `deferred_contacts` lacks those whose search chunk was
        // stored as the import went (see `store_full_chunk`): every row is written.
        if self.started_empty {
            super::organization_people::rebuild_all(conn)?;
        } else {
            super::organization_people::rebuild(conn, "deferred_contacts")?;
        }
        conn.execute_batch(
            "DELETE FROM contact_search WHERE contact_id IN (SELECT id FROM temp.deferred_rewritten);
             INSERT INTO contact_search SELECT * FROM contact_search_source
              WHERE contact_id IN (SELECT id FROM temp.deferred_rewritten);",
        )?;
        self.put_search_chunks(&created)?;
        // Into a book that started empty every contact is written here but those whose
        // notes are indexed already and not rewritten since (see `index_notes`); those whose
        // chunk is stored already are no longer in `created`.
        if self.started_empty {
            conn.execute(
                "INSERT INTO contact_notes_fts (rowid, notes) SELECT id, notes FROM contacts
                  WHERE id > ?1 OR id IN (SELECT id FROM temp.deferred_rewritten)",
                [self.notes_indexed],
            )?;
        } else {
            conn.execute_batch(
                "INSERT INTO contact_notes_fts (rowid, notes)
                 SELECT id, notes FROM contacts WHERE id IN (SELECT id FROM temp.deferred_contacts);",
            )?;
        }
        conn.execute_batch(
            "INSERT INTO interactions_fts (rowid, summary, body)
             SELECT id, summary, body FROM interactions
              WHERE id IN (SELECT id FROM temp.deferred_interactions);
             DROP TABLE temp.deferred_contacts;
             DROP TABLE temp.deferred_rewritten;
             DROP TABLE temp.deferred_interactions;",
        )?;
        Ok(())
    }

    /// Create the dropped indexes again and, when every contact in the book is one this
    /// import created and nothing was rewritten, bring everything else up to date too. True
    /// when nothing is left to do.
    fn rebuild_indexes_and_whole_book(&self) -> Result<bool> {
        let conn = self.conn;
        for sql in &self.dropped {
            conn.execute_batch(sql)?;
        }
        if self.created_count == 0 && self.rewritten.is_empty() && self.interactions.is_empty() {
            return Ok(true);
        }
        if !(self.started_empty && self.rewritten.is_empty() && self.interactions.is_empty()) {
            return Ok(false);
        }
        // Every contact in the book is one this import created, its search row written
        // already: the notes index takes them all, with no list of them to join.
        let mut created: Vec<(&i64, &CreatedHaystack)> = self.created.iter().collect();
        created.sort_unstable_by_key(|(id, _)| **id);
        self.put_search_chunks(&created)?;
        conn.execute(
            "INSERT INTO contact_notes_fts (rowid, notes) SELECT id, notes FROM contacts
              WHERE id > ?1",
            [self.notes_indexed],
        )?;
        // The indexes just built are on disk by the time `organization_people` is.
        super::journal::flush_ahead(conn);
        super::organization_people::rebuild_all(conn)?;
        Ok(true)
    }

    /// What the triggers of migrations 0011, 0015 and 0017 would have done: the last
    /// contact, the touches and the `organization_people` row of everyone on an interaction
    /// the import wrote, or taken off one, worked out again.
    fn replay_last_contacts(&self) -> Result<()> {
        if self.interactions.is_empty() {
            return Ok(());
        }
        let conn = self.conn;
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS deferred_participants (id INTEGER PRIMARY KEY);
             DELETE FROM temp.deferred_participants;",
        )?;
        fill(conn, "deferred_participants", &self.left_interactions)?;
        conn.execute_batch(
            "INSERT OR IGNORE INTO temp.deferred_participants (id)
             SELECT p.contact_id FROM interaction_participants p
              WHERE p.interaction_id IN (SELECT id FROM temp.deferred_interactions);",
        )?;
        super::last_contact::recompute(conn, "deferred_participants")?;
        super::contact_touches::rebuild(conn, "deferred_participants")?;
        super::organization_people::rebuild(conn, "deferred_participants")?;
        conn.execute_batch("DROP TABLE temp.deferred_participants")?;
        Ok(())
    }

    /// What the search_chunks triggers of migration 0005 would have led to. A chunk whose
    /// every contact this import created is stored folded from the haystacks in hand; any
    /// other chunk written to (it also holds contacts stored before, or rewritten) is marked
    /// stale, for `haystacks::refresh` to refold from the search rows.
    fn put_search_chunks(&self, created: &[(&i64, &CreatedHaystack)]) -> Result<()> {
        use super::haystacks::chunk_of;
        let conn = self.conn;
        let Some(first) = created.first().map(|(id, _)| **id) else {
            return super::haystacks::mark_stale(
                conn,
                self.rewritten.iter().map(|id| chunk_of(*id)),
            );
        };
        let stored: HashMap<i64, i64> = conn
            .prepare(
                "SELECT contact_id >> 8, count(*) FROM contact_search
                  WHERE contact_id >= ?1 GROUP BY 1",
            )?
            .query_map([super::haystacks::first_id(chunk_of(first))], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stale: BTreeSet<i64> = self.rewritten.iter().map(|id| chunk_of(*id)).collect();
        let mut buffer = Vec::new();
        for group in created.chunk_by(|(a, _), (b, _)| chunk_of(**a) == chunk_of(**b)) {
            let chunk = chunk_of(*group[0].0);
            if stale.contains(&chunk) || stored.get(&chunk) != Some(&(group.len() as i64)) {
                stale.insert(chunk);
                continue;
            }
            let contacts = group
                .iter()
                .map(|(id, row)| (**id, row.archived, row.mask, &row.haystack[..]));
            super::haystacks::put_chunk(conn, chunk, contacts, &mut buffer)?;
        }
        super::haystacks::mark_stale(conn, stale)
    }
}

/// The page cache, in KiB (negative, as `PRAGMA cache_size` takes it), while
/// [`in_small_sort_runs`] runs: SQLite's sorter holds as many records in one run.
const SORT_RUN_CACHE: i64 = -4096;

/// Run `f` (the index builds and sorts at the end of an import into a book that started
/// empty) with SQLite sorting in runs of 4 MB, each sorted where the processor's cache holds
/// it, written to a temporary file and merged, instead of in one list in memory (the
/// `sqlite3` shell at 1M: the rebuilds' and `organization_people`'s sorts 9.0 → 4.0 s of CPU;
/// at 100k 0.48 → 0.31 s): a list of millions of records sorted by pointer-chasing misses the
/// cache at every step. The run length is the page cache's size, so the cache is that small
/// meanwhile (the tables are read in order, once, and the pages written are spilled to the
/// book's file, where the commit would write them anyway), and put back after. Sorts spill
/// only with temporary storage in files, which `Store::bulk_write_or_roll_back` sets for a
/// write into an empty book (it cannot change inside a transaction); otherwise they stay
/// in memory as before.
fn in_small_sort_runs<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let cache = super::pragma_value(conn, "cache_size")?;
    super::set_pragma(conn, "cache_size", SORT_RUN_CACHE)?;
    let out = f();
    if let Some(cache) = cache {
        super::set_pragma(conn, "cache_size", cache)?;
    }
    out
}

fn fill<'a>(conn: &Connection, table: &str, ids: impl IntoIterator<Item = &'a i64>) -> Result<()> {
    let mut sorted: Vec<i64> = ids.into_iter().copied().collect();
    sorted.sort_unstable();
    let mut stmt = conn.prepare(&format!("INSERT INTO temp.{table} (id) VALUES (?1)"))?;
    for id in sorted {
        stmt.execute([id])?;
    }
    Ok(())
}

impl Drop for DeferredIndexes<'_> {
    /// An import that fails or is not committed rolls back: the indexes need nothing, but
    /// the connection must get its triggers back.
    fn drop(&mut self) {
        if !self.finished {
            let _ = self
                .conn
                .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true);
        }
    }
}

#[cfg(test)]
#[path = "deferred_tests.rs"]
mod tests;
