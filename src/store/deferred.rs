//! Index upkeep done once, set-wise, at the end of a bulk import instead of by triggers on
//! every row.
//!
//! The search triggers of migration 0002 rebuild a contact's `contact_search` row after each
//! detail and tag written (five times for a typical card) and feed the notes full-text index
//! one row at a time; because a statement with triggers runs in a statement journal, FTS5
//! also flushes its pending terms to a new segment on every statement. For 100k contacts
//! that was most of an import's time. So a bulk import switches triggers off on its own
//! connection (`SQLITE_DBCONFIG_ENABLE_TRIGGER`), remembers which contacts and interactions
//! it wrote, and before committing switches them back on and does, for those rows only,
//! exactly what the triggers would have done. Triggers on `contact_search` itself (added
//! by later migrations) still fire, once per contact, when the rows are written at the end.
//!
//! This is only safe while every trigger on a table the import writes is one replayed here.
//! [`DeferredIndexes::begin`] checks the schema and declines (the import then runs with
//! triggers, slower but right) when it finds any other.

use std::collections::HashSet;

use rusqlite::Connection;
use rusqlite::config::DbConfig;

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
];

/// The rows written with triggers off, whose derived rows are rebuilt at the end.
pub struct DeferredIndexes<'c> {
    conn: &'c Connection,
    /// Contacts inserted or rewritten: their search row and notes index entry are rebuilt.
    contacts: HashSet<i64>,
    interactions: HashSet<i64>,
    finished: bool,
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
        if IMPORT_TABLES.contains(&table.as_str()) && !REPLAYED_TRIGGERS.contains(&name.as_str()) {
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
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        Ok(Some(DeferredIndexes {
            conn,
            contacts: HashSet::new(),
            interactions: HashSet::new(),
            finished: false,
        }))
    }

    /// Call before rewriting stored contact `id`: the notes index must forget the notes it
    /// holds for it (FTS5 needs the old text to delete an entry), once per import.
    pub fn before_contact_rewrite(&mut self, id: i64) -> Result<()> {
        if self.contacts.insert(id) {
            self.conn
                .prepare_cached(
                    "INSERT INTO contact_notes_fts (contact_notes_fts, rowid, notes)
                     SELECT 'delete', id, notes FROM contacts WHERE id = ?1",
                )?
                .execute([id])?;
        }
        Ok(())
    }

    /// Call after inserting contact `id`.
    pub fn contact_inserted(&mut self, id: i64) {
        self.contacts.insert(id);
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
        }
        Ok(())
    }

    /// Call after inserting interaction `id`.
    pub fn interaction_inserted(&mut self, id: i64) {
        self.interactions.insert(id);
    }

    /// Switch triggers back on and bring the search rows and full-text indexes of every
    /// written row up to date, as the triggers would have.
    pub fn finish(mut self) -> Result<()> {
        self.finished = true;
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
        if self.contacts.is_empty() && self.interactions.is_empty() {
            return Ok(());
        }
        let conn = self.conn;
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS deferred_contacts (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS deferred_interactions (id INTEGER PRIMARY KEY);
             DELETE FROM temp.deferred_contacts;
             DELETE FROM temp.deferred_interactions;",
        )?;
        fill(conn, "deferred_contacts", &self.contacts)?;
        fill(conn, "deferred_interactions", &self.interactions)?;
        conn.execute_batch(
            "DELETE FROM contact_search WHERE contact_id IN (SELECT id FROM temp.deferred_contacts);
             INSERT INTO contact_search SELECT * FROM contact_search_source
              WHERE contact_id IN (SELECT id FROM temp.deferred_contacts);
             INSERT INTO contact_notes_fts (rowid, notes)
             SELECT id, notes FROM contacts WHERE id IN (SELECT id FROM temp.deferred_contacts);
             INSERT INTO interactions_fts (rowid, summary, body)
             SELECT id, summary, body FROM interactions
              WHERE id IN (SELECT id FROM temp.deferred_interactions);
             DROP TABLE temp.deferred_contacts;
             DROP TABLE temp.deferred_interactions;",
        )?;
        Ok(())
    }
}

fn fill(conn: &Connection, table: &str, ids: &HashSet<i64>) -> Result<()> {
    let mut sorted: Vec<i64> = ids.iter().copied().collect();
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
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::import::{self, Options, Source};
    use crate::model::ContactFields;
    use crate::store::{OpenMode, Store};

    fn card(uid: &str, name: &str) -> crate::formats::Records {
        let text = format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nEND:VCARD\r\n");
        crate::formats::read(
            crate::formats::sniff::ImportFormat::Vcard,
            text.into_bytes(),
            &crate::formats::ReadOptions { csv_map: vec![] },
        )
        .unwrap()
    }

    fn search_rows(store: &Store) -> i64 {
        store
            .conn()
            .query_row("SELECT count(*) FROM contact_search", [], |r| r.get(0))
            .unwrap()
    }

    /// The TUI and the demo keep their connection after an import: whatever the import did
    /// (dry run, commit), the triggers must be back on for the writes that follow.
    #[test]
    fn the_connection_gets_its_triggers_back_after_any_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        for dry_run in [true, false] {
            let options = Options {
                dry_run,
                ..Options::default()
            };
            let uid = if dry_run { "dry" } else { "wet" };
            let sources = vec![Source {
                name: "x.vcf".into(),
                records: card(uid, "Ada Lovelace"),
            }];
            import::run(&mut store, sources, &options, now, &mut |_| {}).unwrap();
        }
        assert_eq!(search_rows(&store), 1);
        let fields = ContactFields {
            display_name: "Grace Hopper".into(),
            ..ContactFields::default()
        };
        store
            .write(|tx| crate::store::contacts::insert(tx, &fields, now))
            .unwrap();
        assert_eq!(
            search_rows(&store),
            2,
            "a write after an import was not indexed"
        );
    }

    #[test]
    fn kiths_own_schema_has_no_trigger_an_import_cannot_replay() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        assert_eq!(
            super::unreplayed_triggers(store.conn()).unwrap(),
            Vec::<String>::new(),
            "a migration added a trigger on a table imports write: replay it in store::deferred"
        );
    }
}
