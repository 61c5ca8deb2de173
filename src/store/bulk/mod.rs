//! Writes for imports and merges: many records in one transaction, with the lookups they
//! need (organizations by name, tags by name) loaded once and kept in memory, and every
//! statement prepared once. Timestamps are taken from the records when they carry them, so
//! that a JSON backup restores exactly.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use borrowed::{Borrowed, Value};

pub(crate) mod borrowed;
mod history;

pub use history::{
    CompletionRow, InteractionRow, Moved, ReminderRow, UidTable, delete_contact, move_history,
};

use super::WriteTx;
use super::deferred::DeferredIndexes;
use super::organizations::OrgDetails;
use super::search::PreparedDoc;
use super::ts;
use crate::error::Result;
use crate::model::{ContactFields, FieldKind, fold, new_uid, validate_name};

pub struct BulkWriter<'c> {
    tx: &'c WriteTx<'c>,
    conn: &'c Connection,
    /// Organizations by folded name, and their stored names by id.
    orgs: HashMap<String, i64>,
    org_names: HashMap<i64, String>,
    tags: HashMap<String, i64>,
    /// Organizations this writer created for a contact's organization name, which no record
    /// of their own has described yet (see [`BulkWriter::describe_implied_org`]).
    implied_orgs: foldhash::HashSet<i64>,
    /// Set by [`BulkWriter::defer_indexes`]: triggers are off and the rows written are noted.
    deferred: Option<DeferredIndexes<'c>>,
    /// The statements written for every contact, held rather than looked up in the
    /// connection's cache each time (which hashes their text).
    per_contact: PerContact<'c>,
    /// Into an empty book, the contacts written so far, by which its page cache grows.
    contacts_for_cache: Option<usize>,
}

struct PerContact<'c> {
    conn: &'c Connection,
    contact: Borrowed<'c>,
    /// `details[n - 1]` inserts n details of one contact, `tags[n - 1]` n tags: one
    /// statement a contact rather than one a row, made the first time a contact has n.
    details: Vec<Option<Borrowed<'c>>>,
    tags: Vec<Option<Borrowed<'c>>>,
    extras: Borrowed<'c>,
    /// Held too: a file whose people each work somewhere else makes an organization a
    /// contact (a fifth of the writing thread for 100k cards of 100k companies).
    organization: Borrowed<'c>,
}

/// A new organization's row.
const INSERT_ORGANIZATION: &str = "INSERT INTO organizations (uid, name, name_key, domain, notes, \
     created_at, updated_at, archived_at, cadence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// The page cache of an import into an empty book: its start, and its largest (see
/// [`BulkWriter::grow_cache`]), in KiB.
const EMPTY_BOOK_CACHE_BASE_KIB: usize = 12 * 1024;
const EMPTY_BOOK_CACHE_MAX_KIB: usize = 64 * 1024;
/// How many contacts an import into an empty book writes between two resizings of its cache.
const CACHE_GROWS_EVERY: usize = 16_384;

/// The most rows one statement of [`PerContact`] inserts; a contact with more takes several.
const ROWS_A_STATEMENT: usize = 16;

impl<'c> PerContact<'c> {
    fn new(conn: &'c Connection) -> Result<PerContact<'c>> {
        Ok(PerContact {
            conn,
            contact: Borrowed::prepare(conn, super::contacts::INSERT_ROW)?,
            details: Vec::new(),
            tags: Vec::new(),
            extras: Borrowed::prepare(conn, super::extras::PUT)?,
            organization: Borrowed::prepare(conn, INSERT_ORGANIZATION)?,
        })
    }

    /// The statement that inserts `rows` rows into `table`'s `columns`, the first column
    /// (the contact's id) bound once as ?1, the others numbered on from ?2 row by row.
    fn statement<'s>(
        conn: &'c Connection,
        cache: &'s mut Vec<Option<Borrowed<'c>>>,
        head: &str,
        columns: usize,
        rows: usize,
    ) -> Result<&'s mut Borrowed<'c>> {
        if cache.len() < rows {
            cache.resize_with(rows, || None);
        }
        let slot = &mut cache[rows - 1];
        let statement = match slot.take() {
            Some(statement) => statement,
            None => {
                let values: Vec<String> = (0..rows)
                    .map(|row| {
                        let first = 2 + row * (columns - 1);
                        let params: Vec<String> = (first..first + columns - 1)
                            .map(|n| format!("?{n}"))
                            .collect();
                        format!("(?1, {})", params.join(", "))
                    })
                    .collect();
                Borrowed::prepare(conn, &format!("{head} VALUES {}", values.join(", ")))?
            }
        };
        Ok(slot.insert(statement))
    }

    /// Insert contact `id`'s details: (kind, label, value, match key, position) each.
    fn insert_details(&mut self, id: i64, rows: &[DetailRow<'_>]) -> Result<()> {
        for chunk in rows.chunks(ROWS_A_STATEMENT) {
            let stmt = Self::statement(
                self.conn,
                &mut self.details,
                // OR FAIL, not the default OR ABORT: a statement of several rows that may
                // abort takes back its earlier rows, for which SQLite copies every page it
                // changes to a statement journal first (a tenth of a large import's
                // writing thread). A failure fails the whole import either way.
                "INSERT OR FAIL INTO contact_details (contact_id, kind, label, value, match_key, position)",
                6,
                chunk.len(),
            )?;
            let mut values = Vec::with_capacity(1 + chunk.len() * 5);
            values.push(Value::from(id));
            for (kind, label, value, key, position) in chunk {
                values.extend::<[Value<'_>; 5]>([
                    (*kind).into(),
                    (*label).into(),
                    (*value).into(),
                    (**key).into(),
                    (*position).into(),
                ]);
            }
            stmt.execute(&values)?;
        }
        Ok(())
    }

    /// Tag contact `id` with the tags of these ids (a tag given twice is tagged once).
    fn insert_tags(&mut self, id: i64, tags: &[i64]) -> Result<()> {
        for chunk in tags.chunks(ROWS_A_STATEMENT) {
            let stmt = Self::statement(
                self.conn,
                &mut self.tags,
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)",
                2,
                chunk.len(),
            )?;
            let mut values = Vec::with_capacity(1 + chunk.len());
            values.push(Value::from(id));
            values.extend(chunk.iter().map(|&tag| Value::from(tag)));
            stmt.execute(&values)?;
        }
        Ok(())
    }
}

/// A detail row as [`PerContact::insert_details`] writes it.
type DetailRow<'a> = (&'static str, &'a Option<String>, &'a str, Cow<'a, str>, i64);

/// Free `value` on a thread of its own. What a large import keeps of every contact (100k
/// haystacks, the maps it matched by) takes a tenth of a second to free, one small block at
/// a time, while the index rebuild and commit that follow use one core and leave the other
/// idle. Freed here instead if no thread can be started.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("kith-free".into())
        .spawn(move || drop(value));
}

/// What writing a new contact takes that its fields alone decide, worked out ahead: a bulk
/// import does it on a thread of its own (see `import::write`), while the writing thread
/// is the one a large import waits for.
#[derive(Debug, Clone)]
pub struct PreparedContact {
    /// Its search row, made with its own organization name.
    pub search: PreparedDoc,
    /// Its folded display name.
    name_key: String,
    /// The folded name its organization is found by.
    org_key: Option<String>,
    /// The match key of each detail, in the order [`BulkWriter::write_parts`] writes them.
    detail_keys: Vec<String>,
    /// Its kept properties, encoded as stored (None when there are none).
    extras: Option<String>,
}

impl PreparedContact {
    /// `name_key` is [`fold`] of its display name, which the caller has in hand.
    pub fn of(fields: &ContactFields, name_key: String, extras: &[String]) -> PreparedContact {
        PreparedContact {
            search: PreparedDoc::of(fields, fields.organization.as_deref()),
            name_key,
            org_key: fields.organization.as_deref().map(fold),
            detail_keys: FieldKind::ALL
                .iter()
                .flat_map(|&kind| {
                    let values = fields.labeled(kind).iter();
                    values.map(move |item| crate::model::field_key(kind, &item.value))
                })
                .collect(),
            extras: (!extras.is_empty()).then(|| super::extras::to_json(extras)),
        }
    }

    /// The match keys of the emails and of the phones of `fields`, the fields this was made
    /// of: [`crate::model::field_key`] is `email_key` and `phone_key` for those kinds, so
    /// matching can take them from here instead of working them out again.
    pub fn email_and_phone_keys(&self, fields: &ContactFields) -> Option<(&[String], &[String])> {
        let emails = fields.emails.len();
        let phones = emails + fields.phones.len();
        Some((
            self.detail_keys.get(..emails)?,
            self.detail_keys.get(emails..phones)?,
        ))
    }
}

/// The times a new or updated record carries.
#[derive(Debug, Clone, Copy)]
pub struct Stamps {
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl<'c> BulkWriter<'c> {
    pub fn new(tx: &'c WriteTx<'_>) -> Result<BulkWriter<'c>> {
        let conn: &'c Connection = tx;
        let mut orgs = HashMap::new();
        let mut org_names = HashMap::new();
        let mut stmt = conn.prepare("SELECT name_key, id, name FROM organizations")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(1)?;
            orgs.insert(r.get(0)?, id);
            org_names.insert(id, r.get(2)?);
        }
        let mut tags = HashMap::new();
        let mut stmt = conn.prepare("SELECT name, id FROM tags")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            tags.insert(r.get(0)?, r.get(1)?);
        }
        Ok(BulkWriter {
            tx,
            conn,
            orgs,
            org_names,
            tags,
            implied_orgs: foldhash::HashSet::default(),
            deferred: None,
            per_contact: PerContact::new(conn)?,
            contacts_for_cache: None,
        })
    }

    /// Keep search rows and full-text indexes up to date once, in [`Self::finish_indexes`],
    /// rather than by triggers on every row (see `store::deferred`). False when the schema
    /// does not allow it; the writes are then indexed row by row as usual.
    pub fn defer_indexes(&mut self) -> Result<bool> {
        if self.deferred.is_none() {
            self.deferred = DeferredIndexes::begin(self.conn)?;
        }
        Ok(self.deferred.is_some())
    }

    /// Bring the indexes of everything written since [`Self::defer_indexes`] up to date and
    /// switch triggers back on. Needed before committing; dropping the writer without it
    /// (a dry run, a failure) only switches triggers back on.
    pub fn finish_indexes(&mut self) -> Result<()> {
        match self.deferred.take() {
            Some(deferred) => deferred.finish(),
            None => Ok(()),
        }
    }

    /// Tests make a handful of contacts count as a large import (see `store::deferred`).
    #[cfg(test)]
    pub fn drop_indexes_at(&mut self, created: usize) {
        if let Some(deferred) = &mut self.deferred {
            deferred.drop_indexes_at(created);
        }
    }

    /// Hand every stored contact to `f`, as [`super::snapshot::each_contact`] does, read
    /// through SQLite's default 2 MB page cache and no memory map: the scan goes through the
    /// whole book once, and every page it touched stayed in the process's memory either way
    /// (mapped, or in the large cache of [`Self::large_cache`]): a re-import of 100k
    /// real-shaped cards (photos kept) peaked at 417 MB, 251 MB of it the mapped book. Each
    /// setting is put back as it was afterwards, for the writes that follow.
    pub fn each_stored_contact(&self, f: &mut super::snapshot::ContactVisitor<'_>) -> Result<()> {
        let cache = super::pragma_value(self.conn, "cache_size")?;
        super::set_pragma(self.conn, "cache_size", -2000)?;
        let scanned = super::without_map(self.conn, || super::snapshot::each_contact(self.conn, f));
        if let Some(c) = cache {
            super::set_pragma(self.conn, "cache_size", c)?;
        }
        scanned
    }

    /// A big page cache (256 MB) keeps a large import from spilling pages to the WAL
    /// mid-way. Into a book that was `empty` the write goes through a rollback journal (see
    /// `store::journal`), where a page spilled is written once, where it belongs: the cache
    /// need hold only the pages written at random places (the contacts' UID index, above
    /// all), and grows with them (see [`Self::grow_cache`]).
    pub fn large_cache(&mut self, empty: bool) -> Result<()> {
        if empty {
            self.contacts_for_cache = Some(0);
            return self.grow_cache(0);
        }
        self.conn.execute_batch("PRAGMA cache_size = -262144")?;
        Ok(())
    }

    /// Size the page cache of an import into an empty book for `contacts` written: 12 MB
    /// and 96 bytes a contact, at most 64 MB. Every page the cache holds is memory the
    /// process touches for the first time, which on this machine costs more than the write
    /// of a page spilled early: 100k real-shaped cards took 1.68 s with 64 MB, 1.485 s with
    /// 16 MB (six rotations), the rich ones no different. But the UID index takes each
    /// contact at a random place, and once it outgrows the cache nearly every insert reads
    /// a page back: a million rich cards took 17.4 s with 16 MB, 14.9 s with 64 MB.
    fn grow_cache(&self, contacts: usize) -> Result<()> {
        let kib = (EMPTY_BOOK_CACHE_BASE_KIB + contacts * 96 / 1024).min(EMPTY_BOOK_CACHE_MAX_KIB);
        super::set_pragma(self.conn, "cache_size", -(kib as i64))?;
        Ok(())
    }

    /// The import's transaction, for the store's own writes of the rarer record kinds.
    pub fn tx(&self) -> &'c WriteTx<'c> {
        self.tx
    }

    pub fn conn(&self) -> &Connection {
        self.conn
    }

    pub fn org_by_name(&self, name: &str) -> Option<i64> {
        self.orgs.get(&fold(name)).copied()
    }

    /// The organization named `name`, created when missing.
    pub fn ensure_org(&mut self, name: &str, now: DateTime<Utc>) -> Result<i64> {
        self.ensure_org_by_key(name, &fold(name), now)
    }

    /// [`Self::ensure_org`] with the folded `name` in hand.
    fn ensure_org_by_key(&mut self, name: &str, key: &str, now: DateTime<Utc>) -> Result<i64> {
        if let Some(&id) = self.orgs.get(key) {
            return Ok(id);
        }
        let stamps = Stamps {
            created_at: now,
            updated_at: now,
            archived_at: None,
        };
        let id = self.insert_org_keyed(
            &new_uid(),
            name,
            Some(key),
            OrgDetails::default(),
            &[],
            stamps,
        )?;
        self.implied_orgs.insert(id);
        Ok(id)
    }

    /// How many organizations this writer created for contacts' organization names and no
    /// record described afterwards.
    pub fn implied_org_count(&self) -> usize {
        self.implied_orgs.len()
    }

    /// Whether organization `id` is one this writer created for a contact's organization
    /// name, not yet described by a record of its own.
    pub fn is_implied_org(&self, id: i64) -> bool {
        self.implied_orgs.contains(&id)
    }

    /// Describe organization `id`, created by this writer for a contact's organization name,
    /// as the record that comes later says: its UID (when it gives one), details, tags and
    /// times, as if the record had come first.
    pub fn describe_implied_org(
        &mut self,
        id: i64,
        uid: Option<&str>,
        details: OrgDetails<'_>,
        tags: &[String],
        stamps: Stamps,
    ) -> Result<()> {
        self.update_org(id, details, tags, stamps.updated_at)?;
        self.conn.execute(
            "UPDATE organizations SET uid = coalesce(?2, uid), created_at = ?3, archived_at = ?4
              WHERE id = ?1",
            params![id, uid, ts(stamps.created_at), stamps.archived_at.map(ts)],
        )?;
        self.implied_orgs.remove(&id);
        Ok(())
    }

    pub fn insert_org(
        &mut self,
        uid: &str,
        name: &str,
        details: OrgDetails<'_>,
        tags: &[String],
        stamps: Stamps,
    ) -> Result<i64> {
        self.insert_org_keyed(uid, name, None, details, tags, stamps)
    }

    /// [`Self::insert_org`], with `name` folded already (`key`) when the caller has it.
    fn insert_org_keyed(
        &mut self,
        uid: &str,
        given: &str,
        key: Option<&str>,
        details: OrgDetails<'_>,
        tags: &[String],
        stamps: Stamps,
    ) -> Result<i64> {
        let name = validate_name("organization", given)?;
        let OrgDetails {
            domain,
            notes,
            cadence,
        } = details;
        let cadence = cadence
            .map(super::organizations::stored_cadence)
            .transpose()?;
        // The caller's key is of the name as given, which validation may have trimmed.
        let key = match key {
            Some(key) if name == given => key.to_owned(),
            _ => fold(&name),
        };
        let created_at = ts(stamps.created_at);
        let updated_at = (stamps.updated_at != stamps.created_at).then(|| ts(stamps.updated_at));
        let archived_at = stamps.archived_at.map(ts);
        self.per_contact.organization.execute(&[
            uid.into(),
            name.as_str().into(),
            key.as_str().into(),
            domain.into(),
            notes.into(),
            created_at.as_str().into(),
            updated_at.as_deref().unwrap_or(&created_at).into(),
            archived_at.as_deref().into(),
            cadence.as_deref().into(),
        ])?;
        let id = self.conn.last_insert_rowid();
        self.orgs.insert(key, id);
        self.org_names.insert(id, name);
        // A new organization has no tags to replace.
        if !tags.is_empty() {
            self.set_org_tags(id, tags)?;
        }
        Ok(id)
    }

    pub fn update_org(
        &mut self,
        id: i64,
        details: OrgDetails<'_>,
        tags: &[String],
        updated_at: DateTime<Utc>,
    ) -> Result<()> {
        let OrgDetails {
            domain,
            notes,
            cadence,
        } = details;
        let cadence = cadence
            .map(super::organizations::stored_cadence)
            .transpose()?;
        self.conn.execute(
            "UPDATE organizations SET domain = ?2, notes = ?3, updated_at = ?4, cadence = ?5 WHERE id = ?1",
            params![id, domain, notes, ts(updated_at), cadence],
        )?;
        self.set_org_tags(id, tags)
    }

    fn tag_id(&mut self, name: &str) -> Result<i64> {
        if let Some(&id) = self.tags.get(name) {
            return Ok(id);
        }
        self.conn
            .prepare_cached("INSERT INTO tags (name) VALUES (?1)")?
            .execute([name])?;
        let id = self.conn.last_insert_rowid();
        self.tags.insert(name.to_string(), id);
        Ok(id)
    }

    fn set_org_tags(&mut self, id: i64, tags: &[String]) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM organization_tags WHERE organization_id = ?1")?
            .execute([id])?;
        for tag in tags {
            let tag = self.tag_id(tag)?;
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO organization_tags (organization_id, tag_id) VALUES (?1, ?2)",
                )?
                .execute(params![id, tag])?;
        }
        Ok(())
    }

    /// Insert a validated contact with its details, tags and unmodelled properties.
    /// `prepared` is what [`PreparedContact::of`] worked out of these same fields and
    /// extras, if it was; what it lacks is made here, as is the search row when the
    /// organization is stored under another spelling.
    pub fn insert_contact(
        &mut self,
        uid: &str,
        fields: &ContactFields,
        extras: &[String],
        stamps: Stamps,
        prepared: Option<PreparedContact>,
    ) -> Result<i64> {
        self.insert_contact_as(None, uid, fields, extras, stamps, prepared)
    }

    /// [`BulkWriter::insert_contact`] as number `id` when given: an import that matched the
    /// contact ahead of the writes numbered it already (see `import::matching_ahead`).
    pub fn insert_contact_as(
        &mut self,
        id: Option<i64>,
        uid: &str,
        fields: &ContactFields,
        extras: &[String],
        stamps: Stamps,
        prepared: Option<PreparedContact>,
    ) -> Result<i64> {
        let (search, name_key, org_key, ahead) = match prepared {
            Some(p) => (
                Some(p.search),
                Some(p.name_key),
                p.org_key,
                Some((p.detail_keys, p.extras)),
            ),
            None => (None, None, None, None),
        };
        let org_id = match (&fields.organization, org_key) {
            (Some(name), Some(key)) => {
                Some(self.ensure_org_by_key(name, &key, stamps.updated_at)?)
            }
            (Some(name), None) => Some(self.ensure_org(name, stamps.updated_at)?),
            (None, _) => None,
        };
        if let Some(deferred) = &mut self.deferred {
            deferred
                .before_contact_insert([fields.birthday.is_some(), fields.cadence.is_some()])?;
        }
        let id = super::contacts::insert_row(
            self.conn,
            super::contacts::RowInserter::Borrowed(&mut self.per_contact.contact),
            id,
            uid,
            fields,
            name_key.as_deref(),
            org_id,
            stamps,
        )?;
        if let Some(deferred) = &mut self.deferred {
            let organization = org_id
                .and_then(|o| self.org_names.get(&o))
                .map(String::as_str);
            let prepared = match search {
                Some(prepared) if prepared.organization.as_deref() == organization => prepared,
                _ => PreparedDoc::of(fields, organization),
            };
            deferred.contact_inserted(id, prepared, org_id, stamps.archived_at.is_some())?;
        }
        match ahead {
            Some((keys, encoded)) => self.write_parts(id, fields, extras, true, &keys, encoded)?,
            None => self.write_parts(id, fields, extras, true, &[], None)?,
        }
        if let Some(written) = &mut self.contacts_for_cache {
            *written += 1;
            let written = *written;
            if written % CACHE_GROWS_EVERY == 0 {
                self.grow_cache(written)?;
            }
        }
        Ok(id)
    }

    /// Replace every field, detail, tag and unmodelled property of contact `id`.
    pub fn update_contact(
        &mut self,
        id: i64,
        fields: &ContactFields,
        extras: &[String],
        updated_at: DateTime<Utc>,
    ) -> Result<()> {
        let org_id = match &fields.organization {
            Some(name) => Some(self.ensure_org(name, updated_at)?),
            None => None,
        };
        if let Some(deferred) = &mut self.deferred {
            deferred.before_contact_rewrite(id)?;
        }
        super::contacts::update_row(self.conn, id, fields, org_id, updated_at)?;
        for table in ["contact_details", "contact_tags"] {
            self.conn
                .prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?
                .execute([id])?;
        }
        self.write_parts(id, fields, extras, false, &[], None)
    }

    /// Write the details, tags and kept properties of contact `id`, which has none stored
    /// (`new`, or they were just deleted) except perhaps kept properties. `detail_keys` and
    /// `encoded` are the details' match keys and the encoded extras from a
    /// [`PreparedContact`] of these fields, or empty and None to work them out here.
    fn write_parts(
        &mut self,
        id: i64,
        fields: &ContactFields,
        extras: &[String],
        new: bool,
        detail_keys: &[String],
        encoded: Option<String>,
    ) -> Result<()> {
        let mut keys = detail_keys.iter();
        let mut rows = Vec::new();
        for kind in FieldKind::ALL {
            for (position, item) in fields.labeled(kind).iter().enumerate() {
                let key = match keys.next() {
                    Some(key) => Cow::Borrowed(key.as_str()),
                    None => Cow::Owned(crate::model::field_key(kind, &item.value)),
                };
                rows.push((
                    kind.as_str(),
                    &item.label,
                    &item.value[..],
                    key,
                    position as i64,
                ));
            }
        }
        self.per_contact.insert_details(id, &rows)?;
        let mut tags = Vec::with_capacity(fields.tags.len());
        for tag in &fields.tags {
            tags.push(self.tag_id(tag)?);
        }
        self.per_contact.insert_tags(id, &tags)?;
        if extras.is_empty() {
            // A new contact has no kept properties to remove.
            if !new {
                super::extras::put(self.conn, id, extras)?;
            }
            return Ok(());
        }
        let encoded = match encoded {
            Some(encoded) => encoded,
            None => super::extras::encode(id, extras)?,
        };
        self.per_contact
            .extras
            .execute(&[id.into(), encoded.as_str().into()])?;
        Ok(())
    }

    /// Tags nobody carries any more disappear, once at the end rather than per contact.
    pub fn drop_unused_tags(&mut self) -> Result<()> {
        self.conn.execute(
            "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM contact_tags)
                AND id NOT IN (SELECT tag_id FROM organization_tags)",
            [],
        )?;
        self.tags.clear();
        let mut stmt = self.conn.prepare("SELECT name, id FROM tags")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            self.tags.insert(r.get(0)?, r.get(1)?);
        }
        Ok(())
    }

    /// The note of relationship `from` <kind> `to`, if that relationship exists.
    pub fn relationship(&self, from: i64, to: i64, kind: &str) -> Result<Option<Option<String>>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT note FROM relationships WHERE from_contact_id = ?1 AND to_contact_id = ?2 AND kind = ?3",
            )?
            .query_row(params![from, to, kind], |r| r.get(0))
            .optional()?)
    }

    /// Insert, or update the note of, relationship `from` <kind> `to`.
    pub fn put_relationship(
        &self,
        from: i64,
        to: i64,
        kind: &str,
        note: Option<&str>,
        created_at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO relationships (from_contact_id, to_contact_id, kind, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (from_contact_id, to_contact_id, kind) DO UPDATE SET note = excluded.note",
            )?
            .execute(params![from, to, kind, note, ts(created_at)])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
