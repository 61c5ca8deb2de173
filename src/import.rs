//! Import: match each incoming record against the database (contacts by UID, then email,
//! then phone), decide what it means (new, merged, replaced, unchanged, skipped, invalid) and
//! write it, all in one transaction. Everything the matching needs is loaded into memory once,
//! so a 100k-contact file costs one pass, not one query per record per table.
//!
//! All or nothing: the transaction commits only when no record was invalid (or the user
//! asked to skip invalid ones) and this is not a dry run. Either way the report lists every
//! record's fate with its file and line.

use std::collections::{HashMap, HashSet};

use foldhash::{HashMapExt, HashSetExt};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Result;
use crate::formats::json::{
    InteractionRecord, OrganizationRecord, RelationshipRecord, ReminderRecord,
};
use crate::formats::vcard_write::{comparable_extra, group_of};
use crate::formats::{ContactIn, Located, Location, Problem, Record, RecordResult};
use crate::model::{
    ContactFields, Due, FieldKind, Labeled, field_key, fold, new_uid, normalize_tag,
};
use crate::store::bulk::{BulkWriter, InteractionRow, ReminderRow, Stamps, UidTable};
use crate::store::{WriteTx, snapshot};

mod keys;
use keys::{ContactKeys, Prepared};

/// What to do when an incoming contact matches one already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    /// Fill blank fields, add new emails, phones, tags and other values; keep what is stored
    /// where both have a value (and say so).
    #[default]
    Merge,
    /// Leave the stored contact as it is.
    Skip,
    /// The file's version replaces the stored one (its UID and history stay).
    Replace,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub on_conflict: OnConflict,
    /// Tags added to every imported contact (already normalised).
    pub tags: Vec<String>,
    pub skip_invalid: bool,
    pub dry_run: bool,
}

/// The fate of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    New,
    Merged,
    Replaced,
    Unchanged,
    Skipped,
    Invalid,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::New,
        Outcome::Merged,
        Outcome::Replaced,
        Outcome::Unchanged,
        Outcome::Skipped,
        Outcome::Invalid,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::New => "new",
            Outcome::Merged => "merged",
            Outcome::Replaced => "replaced",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped => "skipped",
            Outcome::Invalid => "invalid",
        }
    }
}

/// One line of the plan: which record, what happens to it, and anything worth knowing.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub file: String,
    pub line: Option<usize>,
    pub record: usize,
    pub kind: &'static str,
    pub name: String,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Entry {
    /// `file:line` or `file: record N`.
    pub fn place(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None if self.record == 0 => self.file.clone(),
            None => format!("{}: record {}", self.file, self.record),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub dry_run: bool,
    /// Whether anything was written.
    pub committed: bool,
    /// By outcome name, in a stable order.
    pub counts: std::collections::BTreeMap<&'static str, usize>,
    pub entries: Vec<Entry>,
}

impl Report {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.counts.get(outcome.as_str()).copied().unwrap_or(0)
    }
}

/// One input: its name (for messages) and its records, read lazily.
pub struct Source<'a> {
    pub name: String,
    pub records: Box<dyn Iterator<Item = RecordResult> + Send + 'a>,
}

/// Records travel from the reading thread to the writing one in batches of this many, so
/// the channel costs little per record and little memory is held in between.
const BATCH: usize = 256;
/// Batches read ahead of the writer, at most. The two threads take turns at being the slower
/// one; a deep queue rides that out instead of stalling one of them (8k cards, about 16 MB:
/// a first import of 100k cards took 8 % less time than with 2k).
const BATCHES_AHEAD: usize = 32;

/// Import `sources` in the transaction `tx` (see [`crate::app::import::run`]); the report,
/// and whether to commit. `progress` is called after each record.
///
/// Reading (decoding and parsing the files) runs on a second thread while this one matches
/// and writes, so a large import costs about the larger of the two rather than their sum.
pub fn write(
    tx: &WriteTx<'_>,
    sources: Vec<Source<'_>>,
    options: &Options,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize),
) -> Result<(Report, bool)> {
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    {
        // Into an empty book every contact is new: the reading thread prepares their rows
        // too (search row, detail keys, encoded extras). Into a stored book most are usually
        // matched, and the few new ones are worked out on this thread, so a re-import's
        // reading thread (its bottleneck) is spared.
        let empty = crate::store::contacts::none_stored(tx)?;
        std::thread::scope(|scope| {
            let (sender, batches) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
            let (give_back, given_back) = std::sync::mpsc::channel();
            scope.spawn(move || read_ahead(sources, options, empty, sender, given_back));
            // Loading what is stored overlaps with the reading of the first records.
            let mut importer = Importer::new(tx, options, now)?;
            let mut done = 0;
            for mut batch in batches {
                for (source, item, prepared) in batch.drain(..) {
                    importer.take(&names[source], item, prepared)?;
                    done += 1;
                    progress(done);
                }
                // The reading thread allocated them; it frees them faster, and has the time.
                let _ = give_back.send((batch, std::mem::take(&mut importer.spent)));
            }
            importer.finish()
        })
    }
}

/// A record read, with the index of its source and, for a contact, what is prepared of it.
type Read = (usize, RecordResult, Option<Prepared>);

/// What the writing thread is done with: an emptied batch, to fill again, and the contacts
/// it has written, to free.
type Spent = (Vec<Read>, Vec<Box<ContactIn>>);

/// Parse every source in turn and send its records, tagged with the source's index and
/// prepared for matching, in batches. Stops early when the writer has gone (it failed).
fn read_ahead(
    sources: Vec<Source<'_>>,
    options: &Options,
    for_new: bool,
    sender: std::sync::mpsc::SyncSender<Vec<Read>>,
    given_back: std::sync::mpsc::Receiver<Spent>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut empties = Vec::new();
    for (index, source) in sources.into_iter().enumerate() {
        for mut item in source.records {
            let prepared = keys::prepare(options, &mut item, for_new);
            batch.push((index, item, prepared));
            if batch.len() == BATCH {
                empties.extend(given_back.try_iter().map(|(empty, _written)| empty));
                let next = empties.pop().unwrap_or_else(|| Vec::with_capacity(BATCH));
                let full = std::mem::replace(&mut batch, next);
                if sender.send(full).is_err() {
                    return;
                }
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
}

/// A stored contact in full, as merging needs it.
#[derive(Debug, Clone)]
struct Known {
    uid: String,
    fields: ContactFields,
    extras: Vec<String>,
}

/// What matching keeps in memory of each stored contact: small, so that 100k contacts fit.
/// The full contact is read only when an incoming record differs from it.
#[derive(Debug, Clone)]
struct Light {
    uid: String,
    name_key: String,
    digest: u64,
}

struct Importer<'c> {
    writer: BulkWriter<'c>,
    options: &'c Options,
    now: DateTime<Utc>,
    contacts: foldhash::HashMap<i64, Light>,
    by_uid: foldhash::HashMap<String, i64>,
    /// Contacts by email and phone key, in the order they were stored or imported.
    by_email: foldhash::HashMap<String, Vec<i64>>,
    by_phone: foldhash::HashMap<String, Vec<i64>>,
    /// Contacts by the digest of their content: a card identical to a stored contact is that
    /// contact, even without a UID and when others share its email (see `find_contact`).
    by_digest: foldhash::HashMap<u64, i64>,
    /// UIDs in the file that matched a stored contact with another UID.
    aliases: foldhash::HashMap<String, i64>,
    organizations: Option<HashMap<i64, OrganizationRecord>>,
    interactions: Option<HashMap<String, InteractionRecord>>,
    reminders: Option<HashMap<String, ReminderRecord>>,
    seen_uids: foldhash::HashSet<String>,
    /// Contacts this import created.
    added: foldhash::HashSet<i64>,
    entries: Vec<Entry>,
    /// Incoming contacts written since the last batch, for the reading thread to free. Kept
    /// in the boxes the reader made, which go back with them rather than being freed here.
    #[allow(clippy::vec_box)]
    spent: Vec<Box<ContactIn>>,
}

impl<'c> Importer<'c> {
    fn new(tx: &'c WriteTx<'_>, options: &'c Options, now: DateTime<Utc>) -> Result<Self> {
        let conn: &'c rusqlite::Connection = tx;
        let mut importer = Importer {
            writer: BulkWriter::new(tx)?,
            options,
            now,
            contacts: foldhash::HashMap::new(),
            by_uid: foldhash::HashMap::new(),
            by_email: foldhash::HashMap::new(),
            by_phone: foldhash::HashMap::new(),
            by_digest: foldhash::HashMap::new(),
            aliases: foldhash::HashMap::new(),
            organizations: None,
            interactions: None,
            reminders: None,
            seen_uids: foldhash::HashSet::new(),
            added: foldhash::HashSet::new(),
            entries: Vec::new(),
            spent: Vec::new(),
        };
        importer.writer.large_cache()?;
        importer.writer.defer_indexes()?;
        snapshot::each_contact(conn, &mut |id, uid, fields, extras| {
            let keys = ContactKeys::of(fields, extras);
            importer.remember(id, uid, keys);
        })?;
        Ok(importer)
    }

    /// Decide whether to commit, bring the indexes up to date if so, and report.
    fn finish(mut self) -> Result<(Report, bool)> {
        let invalid = self.entries.iter().any(|e| e.outcome == Outcome::Invalid);
        let commit = !self.options.dry_run && (!invalid || self.options.skip_invalid);
        // Matching is over: what it kept of every contact is freed before the indexes are
        // rebuilt, which need memory of their own (a large import's peak).
        self.forget_for_matching();
        // What is rolled back needs no indexes; dropping the writer turns triggers back on.
        if commit {
            self.writer.finish_indexes()?;
        }
        self.writer.drop_unused_tags()?;
        let mut counts = std::collections::BTreeMap::new();
        for outcome in Outcome::ALL {
            counts.insert(outcome.as_str(), 0);
        }
        for e in &self.entries {
            *counts.entry(e.outcome.as_str()).or_insert(0) += 1;
        }
        let report = Report {
            dry_run: self.options.dry_run,
            committed: commit,
            counts,
            entries: self.entries,
        };
        Ok((report, commit))
    }

    /// Free the maps contacts are matched by (in the background, see
    /// [`crate::store::bulk::drop_in_background`]).
    fn forget_for_matching(&mut self) {
        crate::store::bulk::drop_in_background((
            std::mem::take(&mut self.contacts),
            std::mem::take(&mut self.by_uid),
            std::mem::take(&mut self.by_email),
            std::mem::take(&mut self.by_phone),
            std::mem::take(&mut self.by_digest),
            std::mem::take(&mut self.aliases),
            std::mem::take(&mut self.seen_uids),
            std::mem::take(&mut self.added),
        ));
    }

    /// Note a stored or imported contact for matching, by its keys.
    fn remember(&mut self, id: i64, uid: &str, keys: ContactKeys) {
        self.by_digest.entry(keys.digest).or_insert(id);
        self.by_uid.insert(uid.to_string(), id);
        fn note(index: &mut foldhash::HashMap<String, Vec<i64>>, keys: Vec<String>, id: i64) {
            for key in keys {
                let ids = index.entry(key).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        note(&mut self.by_email, keys.emails, id);
        note(&mut self.by_phone, keys.phones, id);
        self.contacts.insert(
            id,
            Light {
                uid: uid.to_string(),
                name_key: keys.name_key,
                digest: keys.digest,
            },
        );
    }

    /// The stored contact in full.
    fn load(&self, id: i64, uid: &str) -> Result<Known> {
        let conn = self.writer.conn();
        Ok(Known {
            uid: uid.to_string(),
            fields: crate::store::contacts::get(conn, id)?.fields,
            extras: crate::store::extras::of(conn, id)?,
        })
    }

    fn entry(
        &mut self,
        file: &str,
        at: Location,
        kind: &'static str,
        name: String,
        outcome: Outcome,
        notes: Vec<String>,
    ) {
        self.entries.push(Entry {
            file: file.to_string(),
            line: at.line,
            record: at.record,
            kind,
            name,
            outcome,
            notes,
        });
    }

    fn take(&mut self, file: &str, item: RecordResult, prepared: Option<Prepared>) -> Result<()> {
        match item {
            Err(Problem { at, message }) => {
                self.entry(
                    file,
                    at,
                    "record",
                    String::new(),
                    Outcome::Invalid,
                    vec![message],
                );
                Ok(())
            }
            Ok(Located { at, record }) => match record {
                Record::Contact(c) => {
                    let prepared = prepared.unwrap_or_else(|| Prepared {
                        keys: ContactKeys::of(&c.fields, &c.extras),
                        row: None,
                    });
                    let taken = self.contact(file, at, &c, prepared);
                    self.spent.push(c);
                    taken
                }
                Record::Organization(o) => self.organization(file, at, o),
                Record::Relationship(r) => self.relationship(file, at, r),
                Record::Interaction(i) => self.interaction(file, at, i),
                Record::Reminder(r) => self.reminder(file, at, r),
            },
        }
    }

    fn find_contact(&self, uid: &str, keys: &ContactKeys) -> Option<i64> {
        if let Some(&id) = self.by_uid.get(uid).or_else(|| self.aliases.get(uid)) {
            return Some(id);
        }
        // The very same content as a stored contact (a card without a UID imported again):
        // that contact, not another that happens to share an email with it.
        if let Some(&id) = self.by_digest.get(&keys.digest) {
            return Some(id);
        }
        // Of the contacts sharing an email or phone, one with the same name is preferred.
        // A contact added by this same import is matched only when the names agree: two
        // cards of one file sharing an office phone are two people.
        let same_name = |id: &i64| {
            self.contacts
                .get(id)
                .is_some_and(|k| k.name_key == keys.name_key)
        };
        let emails = keys.emails.iter().filter_map(|e| self.by_email.get(e));
        let phones = keys.phones.iter().filter_map(|p| self.by_phone.get(p));
        let candidates: Vec<i64> = emails.chain(phones).flatten().copied().collect();
        candidates
            .iter()
            .find(|id| same_name(id))
            .or_else(|| candidates.iter().find(|id| !self.added.contains(id)))
            .copied()
    }

    /// `incoming` is prepared, with its keys and perhaps its search row in `prepared` (see
    /// [`keys::prepare`]).
    fn contact(
        &mut self,
        file: &str,
        at: Location,
        incoming: &ContactIn,
        prepared: Prepared,
    ) -> Result<()> {
        let Prepared { keys, row } = prepared;
        let name = incoming.fields.display_name.clone();
        let mut notes: Vec<String> = incoming
            .warnings
            .iter()
            .map(|w| match w.line {
                Some(line) => format!("line {line}: {}", w.message),
                None => w.message.clone(),
            })
            .collect();
        let uid = incoming.uid.clone().unwrap_or_else(new_uid);
        let Some(id) = self.find_contact(&uid, &keys) else {
            let stamps = Stamps {
                created_at: incoming.created_at.unwrap_or(self.now),
                updated_at: incoming.updated_at.unwrap_or(self.now),
                archived_at: incoming.archived_at,
            };
            // A UID taken by another record kind (or reused) would break the unique index.
            let id = match self.writer.insert_contact(
                &uid,
                &incoming.fields,
                &incoming.extras,
                stamps,
                row,
            ) {
                Ok(id) => id,
                Err(crate::Error::Invalid {
                    field,
                    value,
                    reason,
                }) => {
                    notes.push(format!("invalid {field} \"{value}\": {reason}"));
                    self.entry(file, at, "contact", name, Outcome::Invalid, notes);
                    return Ok(());
                }
                Err(e) => return Err(e),
            };
            self.added.insert(id);
            self.remember(id, &uid, keys);
            self.entry(file, at, "contact", name, Outcome::New, notes);
            return Ok(());
        };
        let Some(light) = self.contacts.get(&id).cloned() else {
            return Ok(());
        };
        if light.uid != uid {
            self.aliases.insert(uid.clone(), id);
        }
        // The same content as stored: nothing to merge, replace or skip.
        if light.digest == keys.digest {
            self.entry(file, at, "contact", name, Outcome::Unchanged, notes);
            return Ok(());
        }
        let known = self.load(id, &light.uid)?;
        let (fields, extras, outcome) = match self.options.on_conflict {
            OnConflict::Skip => (known.fields.clone(), known.extras.clone(), Outcome::Skipped),
            OnConflict::Replace => (
                incoming.fields.clone(),
                incoming.extras.clone(),
                Outcome::Replaced,
            ),
            OnConflict::Merge => {
                let (fields, extras) = merge(&known, incoming, &mut notes);
                (fields, extras, Outcome::Merged)
            }
        };
        if fields == known.fields && extras == known.extras {
            let outcome = if outcome == Outcome::Skipped && !same_content(&known, incoming) {
                notes.push(format!(
                    "matches stored contact \"{}\" and differs from it; kept as stored (--on-conflict skip)",
                    known.fields.display_name
                ));
                Outcome::Skipped
            } else {
                Outcome::Unchanged
            };
            self.entry(file, at, "contact", name, outcome, notes);
            return Ok(());
        }
        if let Err(e) = self.writer.update_contact(id, &fields, &extras, self.now) {
            if let crate::Error::Invalid {
                field,
                value,
                reason,
            } = e
            {
                notes.push(format!("invalid {field} \"{value}\": {reason}"));
                self.entry(file, at, "contact", name, Outcome::Invalid, notes);
                return Ok(());
            }
            return Err(e);
        }
        if fields.display_name != name {
            notes.insert(
                0,
                format!("into stored contact \"{}\"", fields.display_name),
            );
        }
        self.remember(id, &known.uid, ContactKeys::of(&fields, &extras));
        self.entry(file, at, "contact", name, outcome, notes);
        Ok(())
    }

    fn contact_id(&self, uid: &str) -> Option<i64> {
        self.by_uid
            .get(uid)
            .or_else(|| self.aliases.get(uid))
            .copied()
    }

    fn organization(&mut self, file: &str, at: Location, record: OrganizationRecord) -> Result<()> {
        let name = record.name.clone();
        let mut tags = Vec::new();
        for t in record.tags.iter().chain(&self.options.tags) {
            match normalize_tag(t) {
                Ok(t) if !tags.contains(&t) => tags.push(t),
                Ok(_) => {}
                Err(e) => {
                    self.entry(
                        file,
                        at,
                        "organization",
                        name,
                        Outcome::Invalid,
                        vec![e.to_string()],
                    );
                    return Ok(());
                }
            }
        }
        tags.sort();
        if self.organizations.is_none() {
            let conn = self.writer.conn();
            let all = snapshot::document_organizations(conn)?;
            self.organizations = Some(all);
        }
        let existing = match &record.uid {
            Some(uid) => self.writer.id_by_uid(UidTable::Organizations, uid)?,
            None => None,
        }
        .or_else(|| self.writer.org_by_name(&record.name));
        let Some(id) = existing else {
            let stamps = Stamps {
                created_at: record.created_at.unwrap_or(self.now),
                updated_at: record.updated_at.unwrap_or(self.now),
                archived_at: record.archived_at,
            };
            let uid = record.uid.clone().unwrap_or_else(new_uid);
            match self.writer.insert_org(
                &uid,
                &record.name,
                record.domain.as_deref(),
                record.notes.as_deref(),
                &tags,
                stamps,
            ) {
                Ok(id) => {
                    let mut stored = record.clone();
                    stored.tags = tags;
                    if let Some(map) = self.organizations.as_mut() {
                        map.insert(id, stored);
                    }
                    self.entry(file, at, "organization", name, Outcome::New, vec![]);
                }
                Err(crate::Error::Invalid {
                    field,
                    value,
                    reason,
                }) => {
                    self.entry(
                        file,
                        at,
                        "organization",
                        name,
                        Outcome::Invalid,
                        vec![format!("invalid {field} \"{value}\": {reason}")],
                    );
                }
                Err(e) => return Err(e),
            }
            return Ok(());
        };
        let Some(stored) = self
            .organizations
            .as_ref()
            .and_then(|m| m.get(&id))
            .cloned()
        else {
            return Ok(());
        };
        let mut notes = Vec::new();
        let (domain, org_notes, new_tags, outcome) = match self.options.on_conflict {
            OnConflict::Skip => (
                stored.domain.clone(),
                stored.notes.clone(),
                stored.tags.clone(),
                Outcome::Skipped,
            ),
            OnConflict::Replace => (
                record.domain.clone(),
                record.notes.clone(),
                tags,
                Outcome::Replaced,
            ),
            OnConflict::Merge => {
                let domain = fill(
                    &mut notes,
                    "domain",
                    stored.domain.clone(),
                    record.domain.clone(),
                );
                let org_notes = merge_notes(stored.notes.clone(), record.notes.clone());
                let mut all = stored.tags.clone();
                for t in tags {
                    if !all.contains(&t) {
                        all.push(t);
                    }
                }
                all.sort();
                (domain, org_notes, all, Outcome::Merged)
            }
        };
        if domain == stored.domain && org_notes == stored.notes && new_tags == stored.tags {
            self.entry(file, at, "organization", name, Outcome::Unchanged, notes);
            return Ok(());
        }
        self.writer.update_org(
            id,
            domain.as_deref(),
            org_notes.as_deref(),
            &new_tags,
            self.now,
        )?;
        if let Some(map) = self.organizations.as_mut() {
            map.insert(
                id,
                OrganizationRecord {
                    domain,
                    notes: org_notes,
                    tags: new_tags,
                    ..stored
                },
            );
        }
        self.entry(file, at, "organization", name, outcome, notes);
        Ok(())
    }

    fn relationship(&mut self, file: &str, at: Location, record: RelationshipRecord) -> Result<()> {
        let name = format!("{} {} {}", record.from, record.kind, record.to);
        let invalid = |s: &mut Self, why: String| {
            s.entry(
                file,
                at,
                "relationship",
                name.clone(),
                Outcome::Invalid,
                vec![why],
            );
            Ok(())
        };
        let kind = match crate::model::normalize_relationship_kind(&record.kind) {
            Ok(k) => k,
            Err(e) => return invalid(self, e.to_string()),
        };
        let (Some(from), Some(to)) = (self.contact_id(&record.from), self.contact_id(&record.to))
        else {
            let missing = if self.contact_id(&record.from).is_none() {
                &record.from
            } else {
                &record.to
            };
            return invalid(
                self,
                format!(
                    "refers to contact uid \"{missing}\", which is neither stored nor earlier in the input"
                ),
            );
        };
        if from == to {
            return invalid(self, "a contact cannot be linked to themselves".into());
        }
        let outcome = match self.writer.relationship(from, to, &kind)? {
            None => {
                self.writer.put_relationship(
                    from,
                    to,
                    &kind,
                    record.note.as_deref(),
                    record.created_at.unwrap_or(self.now),
                )?;
                Outcome::New
            }
            Some(note) if note == record.note => Outcome::Unchanged,
            Some(note) => match self.options.on_conflict {
                OnConflict::Skip => Outcome::Skipped,
                OnConflict::Replace => {
                    self.writer.put_relationship(
                        from,
                        to,
                        &kind,
                        record.note.as_deref(),
                        self.now,
                    )?;
                    Outcome::Replaced
                }
                OnConflict::Merge => {
                    let merged = merge_notes(note.clone(), record.note.clone());
                    if merged == note {
                        Outcome::Unchanged
                    } else {
                        self.writer.put_relationship(
                            from,
                            to,
                            &kind,
                            merged.as_deref(),
                            self.now,
                        )?;
                        Outcome::Merged
                    }
                }
            },
        };
        self.entry(file, at, "relationship", name, outcome, vec![]);
        Ok(())
    }

    fn interaction(&mut self, file: &str, at: Location, record: InteractionRecord) -> Result<()> {
        let name = record.summary.clone();
        let mut problems = Vec::new();
        let channel = match record.channel.parse::<crate::model::Channel>() {
            Ok(c) => c.as_str(),
            Err(e) => {
                problems.push(e.to_string());
                "other"
            }
        };
        let direction = match record.direction.as_deref() {
            None => None,
            Some(d) => match crate::model::Direction::parse(d) {
                Some(d) => Some(d.as_str()),
                None => {
                    problems.push(format!("invalid direction \"{d}\": expected in or out"));
                    None
                }
            },
        };
        if record.summary.trim().is_empty() {
            problems.push("summary is empty".into());
        }
        let mut participants = Vec::new();
        let mut participant_uids = Vec::new();
        for uid in &record.participants {
            match self.contact_id(uid) {
                Some(id) => {
                    participants.push(id);
                    if let Some(k) = self.contacts.get(&id) {
                        participant_uids.push(k.uid.clone());
                    }
                }
                None => problems.push(format!(
                    "refers to contact uid \"{uid}\", which is neither stored nor earlier in the input"
                )),
            }
        }
        if record.participants.is_empty() {
            problems.push("has no participants".into());
        }
        if !problems.is_empty() {
            self.entry(file, at, "interaction", name, Outcome::Invalid, problems);
            return Ok(());
        }
        participant_uids.sort();
        participant_uids.dedup();
        let uid = record.uid.clone().unwrap_or_else(new_uid);
        if !self.seen_uids.insert(format!("i:{uid}")) {
            self.entry(
                file,
                at,
                "interaction",
                name,
                Outcome::Invalid,
                vec![format!("uid \"{uid}\" appears twice in the input")],
            );
            return Ok(());
        }
        if self.interactions.is_none() {
            self.interactions = Some(snapshot::interactions_by_uid(self.writer.conn())?);
        }
        let normalized = InteractionRecord {
            uid: Some(uid.clone()),
            channel: channel.to_string(),
            direction: direction.map(str::to_string),
            participants: participant_uids,
            created_at: None,
            updated_at: None,
            body: record.body.clone().filter(|b| !b.trim().is_empty()),
            summary: record.summary.trim().to_string(),
            ..record.clone()
        };
        let existing = self
            .interactions
            .as_ref()
            .and_then(|m| m.get(&uid))
            .cloned();
        let id = match &existing {
            None => None,
            Some(stored) => {
                let same = InteractionRecord {
                    created_at: None,
                    updated_at: None,
                    ..stored.clone()
                } == normalized;
                if same {
                    self.entry(file, at, "interaction", name, Outcome::Unchanged, vec![]);
                    return Ok(());
                }
                if self.options.on_conflict != OnConflict::Replace {
                    self.entry(file, at, "interaction", name, Outcome::Skipped, vec!["differs from the stored interaction with this uid; kept as stored (use --on-conflict replace to overwrite)".into()]);
                    return Ok(());
                }
                self.writer.id_by_uid(UidTable::Interactions, &uid)?
            }
        };
        let row = InteractionRow {
            uid: &uid,
            occurred_at: record.occurred_at,
            channel,
            direction,
            summary: record.summary.trim(),
            body: normalized.body.as_deref(),
            participants: &participants,
            created_at: record.created_at.unwrap_or(self.now),
            updated_at: if existing.is_some() {
                self.now
            } else {
                record.updated_at.unwrap_or(self.now)
            },
        };
        self.writer.put_interaction(id, &row)?;
        if let Some(map) = self.interactions.as_mut() {
            map.insert(uid, normalized);
        }
        let outcome = if existing.is_some() {
            Outcome::Replaced
        } else {
            Outcome::New
        };
        self.entry(file, at, "interaction", name, outcome, vec![]);
        Ok(())
    }

    fn reminder(&mut self, file: &str, at: Location, record: ReminderRecord) -> Result<()> {
        let name = record.text.clone();
        let mut problems = Vec::new();
        if record.text.trim().is_empty() {
            problems.push("text is empty".into());
        }
        if Due::from_db(&record.due).is_none() {
            problems.push(format!(
                "invalid due \"{}\": expected YYYY-MM-DD or an RFC 3339 time",
                record.due
            ));
        }
        if let Some(s) = &record.snoozed_until
            && Due::from_db(s).is_none()
        {
            problems.push(format!(
                "invalid snoozed_until \"{s}\": expected YYYY-MM-DD or an RFC 3339 time"
            ));
        }
        if let Some(r) = &record.recurrence
            && crate::model::Period::parse(r).is_err()
        {
            problems.push(format!(
                "invalid recurrence \"{r}\": expected a period such as 2w, 3m, 1y"
            ));
        }
        let contact_id = match &record.contact {
            None => None,
            Some(uid) => match self.contact_id(uid) {
                Some(id) => Some(id),
                None => {
                    problems.push(format!("refers to contact uid \"{uid}\", which is neither stored nor earlier in the input"));
                    None
                }
            },
        };
        let organization_id = match &record.organization {
            None => None,
            Some(org) => match self.writer.org_by_name(org) {
                Some(id) => Some(id),
                None => {
                    problems.push(format!("refers to organization \"{org}\", which is neither stored nor earlier in the input"));
                    None
                }
            },
        };
        if record.contact.is_none() && record.organization.is_none() {
            problems.push("is about no contact and no organization".into());
        }
        let interaction_id = match &record.interaction {
            None => None,
            Some(uid) => match self.writer.id_by_uid(UidTable::Interactions, uid)? {
                Some(id) => Some(id),
                None => {
                    problems.push(format!("refers to interaction uid \"{uid}\", which is neither stored nor earlier in the input"));
                    None
                }
            },
        };
        for c in &record.completions {
            if Due::from_db(&c.due).is_none() {
                problems.push(format!("invalid completion due \"{}\"", c.due));
            }
        }
        if !problems.is_empty() {
            self.entry(file, at, "follow-up", name, Outcome::Invalid, problems);
            return Ok(());
        }
        let uid = record.uid.clone().unwrap_or_else(new_uid);
        if !self.seen_uids.insert(format!("r:{uid}")) {
            self.entry(
                file,
                at,
                "follow-up",
                name,
                Outcome::Invalid,
                vec![format!("uid \"{uid}\" appears twice in the input")],
            );
            return Ok(());
        }
        if self.reminders.is_none() {
            self.reminders = Some(snapshot::reminders_by_uid(self.writer.conn())?);
        }
        let normalized = ReminderRecord {
            uid: Some(uid.clone()),
            text: record.text.trim().to_string(),
            contact: contact_id
                .and_then(|id| self.contacts.get(&id))
                .map(|k| k.uid.clone()),
            created_at: None,
            updated_at: None,
            ..record.clone()
        };
        let existing = self.reminders.as_ref().and_then(|m| m.get(&uid)).cloned();
        let id = match &existing {
            None => None,
            Some(stored) => {
                let stored = ReminderRecord {
                    created_at: None,
                    updated_at: None,
                    organization: stored.organization.as_deref().map(|o| {
                        // Compare organizations by their folded name, as they are matched.
                        if fold(o) == record.organization.as_deref().map(fold).unwrap_or_default() {
                            record.organization.clone().unwrap_or_default()
                        } else {
                            o.to_string()
                        }
                    }),
                    ..stored.clone()
                };
                if stored == normalized {
                    self.entry(file, at, "follow-up", name, Outcome::Unchanged, vec![]);
                    return Ok(());
                }
                if self.options.on_conflict != OnConflict::Replace {
                    self.entry(file, at, "follow-up", name, Outcome::Skipped, vec!["differs from the stored follow-up with this uid; kept as stored (use --on-conflict replace to overwrite)".into()]);
                    return Ok(());
                }
                self.writer.id_by_uid(UidTable::Reminders, &uid)?
            }
        };
        let completions: Vec<(String, DateTime<Utc>)> = record
            .completions
            .iter()
            .map(|c| (c.due.clone(), c.done_at))
            .collect();
        let row = ReminderRow {
            uid: &uid,
            contact_id,
            organization_id,
            text: record.text.trim(),
            due: &record.due,
            recurrence: record.recurrence.as_deref(),
            snoozed_until: record.snoozed_until.as_deref(),
            done_at: record.done_at,
            interaction_id,
            completions: &completions,
            created_at: record.created_at.unwrap_or(self.now),
            updated_at: if existing.is_some() {
                self.now
            } else {
                record.updated_at.unwrap_or(self.now)
            },
        };
        self.writer.put_reminder(id, &row)?;
        if let Some(map) = self.reminders.as_mut() {
            map.insert(uid, normalized);
        }
        let outcome = if existing.is_some() {
            Outcome::Replaced
        } else {
            Outcome::New
        };
        self.entry(file, at, "follow-up", name, outcome, vec![]);
        Ok(())
    }
}

/// Whether an incoming contact says nothing the stored one does not already say.
fn same_content(known: &Known, incoming: &ContactIn) -> bool {
    let mut scratch = Vec::new();
    let (fields, extras) = merge(known, incoming, &mut scratch);
    fields == known.fields && extras == known.extras && scratch.is_empty()
}

/// Keep `stored` when set; take `incoming` when it is blank; say so when both differ.
fn fill<T: PartialEq + std::fmt::Display>(
    notes: &mut Vec<String>,
    field: &str,
    stored: Option<T>,
    incoming: Option<T>,
) -> Option<T> {
    match (stored, incoming) {
        (Some(s), Some(i)) => {
            if s != i {
                notes.push(format!("kept stored {field} \"{s}\"; the file has \"{i}\""));
            }
            Some(s)
        }
        (Some(s), None) => Some(s),
        (None, i) => i,
    }
}

/// Notes are text a person wrote: both are kept, the incoming appended unless already there.
fn merge_notes(stored: Option<String>, incoming: Option<String>) -> Option<String> {
    match (stored, incoming) {
        (Some(s), Some(i)) if s.contains(i.trim()) => Some(s),
        (Some(s), Some(i)) => Some(format!("{}\n\n{}", s.trim_end(), i.trim())),
        (s, None) => s,
        (None, i) => i,
    }
}

/// The kept properties of `stored` with those of `incoming` that it lacks, in order.
///
/// Groups (`item1.`) tie properties together within one card (an address and its
/// `X-ABLabel`), so a group is compared whole, by its lines without the group name: an
/// incoming group whose every line a stored group already has is the same group, whatever
/// its number, and importing the same card again adds nothing. A new group whose name the
/// stored properties already use is renamed.
fn merge_extras(stored: &[String], incoming: &[String]) -> Vec<String> {
    fn split(line: &str) -> Option<(String, &str)> {
        group_of(line).map(|g| (g.to_ascii_lowercase(), &line[g.len() + 1..]))
    }
    let groups_of = |lines: &[String]| {
        let mut groups: HashMap<String, Vec<String>> = HashMap::new();
        for line in lines {
            if let Some((group, rest)) = split(line) {
                groups
                    .entry(group)
                    .or_default()
                    .push(comparable_extra(rest));
            }
        }
        groups
    };
    let mut ungrouped: HashSet<String> = stored
        .iter()
        .filter(|l| group_of(l).is_none())
        .map(|l| comparable_extra(l))
        .collect();
    let stored_groups = groups_of(stored);
    let incoming_groups = groups_of(incoming);
    let mut taken: HashSet<String> = stored_groups.keys().cloned().collect();
    // Per incoming group: None when a stored group already has it, else the name to use.
    let mut decided: HashMap<String, Option<String>> = HashMap::new();
    let mut extras = stored.to_vec();
    for line in incoming {
        let Some((group, rest)) = split(line) else {
            if ungrouped.insert(comparable_extra(line)) {
                extras.push(line.clone());
            }
            continue;
        };
        let name = decided.entry(group.clone()).or_insert_with(|| {
            let lines = &incoming_groups[&group];
            let known = stored_groups
                .values()
                .any(|have| lines.iter().all(|l| have.contains(l)));
            if known {
                return None;
            }
            let mut name = group.clone();
            let mut n = 1;
            while taken.contains(&name) {
                name = format!("item{n}");
                n += 1;
            }
            taken.insert(name.clone());
            Some(name)
        });
        if let Some(name) = name {
            let renamed = if *name == group {
                line.clone()
            } else {
                format!("{name}.{rest}")
            };
            if !extras.contains(&renamed) {
                extras.push(renamed);
            }
        }
    }
    extras
}

/// Merge contact `b` into contact `a` (fields, details, tags, unmodelled properties), as
/// `kith merge` does; `notes` says where both had different values and `a`'s was kept.
pub fn merge_fields(
    a: (&str, &ContactFields, &[String]),
    b: (&ContactFields, &[String]),
    notes: &mut Vec<String>,
) -> (ContactFields, Vec<String>) {
    let known = Known {
        uid: a.0.to_string(),
        fields: a.1.clone(),
        extras: a.2.to_vec(),
    };
    let incoming = ContactIn {
        fields: b.0.clone(),
        extras: b.1.to_vec(),
        ..ContactIn::default()
    };
    merge(&known, &incoming, notes)
}

/// Merge `incoming` into `known`: blanks filled, lists unioned (emails by address, phones by
/// digits), tags and unmodelled properties unioned. Where both have a different value, the
/// stored one stays and a note says what the file had.
fn merge(
    known: &Known,
    incoming: &ContactIn,
    notes: &mut Vec<String>,
) -> (ContactFields, Vec<String>) {
    let stored = &known.fields;
    let new = &incoming.fields;
    let mut fields = stored.clone();
    if fold(&stored.display_name) != fold(&new.display_name) {
        notes.push(format!(
            "kept stored name \"{}\"; the file has \"{}\"",
            stored.display_name, new.display_name
        ));
    }
    fields.given_name = fill(
        notes,
        "given name",
        stored.given_name.clone(),
        new.given_name.clone(),
    );
    fields.family_name = fill(
        notes,
        "family name",
        stored.family_name.clone(),
        new.family_name.clone(),
    );
    fields.nickname = fill(
        notes,
        "nickname",
        stored.nickname.clone(),
        new.nickname.clone(),
    );
    fields.organization = match (&stored.organization, &new.organization) {
        (Some(s), Some(i)) if fold(s) != fold(i) => {
            notes.push(format!(
                "kept stored organization \"{s}\"; the file has \"{i}\""
            ));
            Some(s.clone())
        }
        (Some(s), _) => Some(s.clone()),
        (None, i) => i.clone(),
    };
    fields.title = fill(notes, "title", stored.title.clone(), new.title.clone());
    fields.birthday = fill(notes, "birthday", stored.birthday, new.birthday);
    fields.preferred_channel = fill(
        notes,
        "preferred channel",
        stored.preferred_channel,
        new.preferred_channel,
    );
    fields.cadence = fill(notes, "cadence", stored.cadence, new.cadence);
    fields.notes = merge_notes(stored.notes.clone(), new.notes.clone());
    for kind in FieldKind::ALL {
        let list = fields.labeled_mut(kind);
        for item in new.labeled(kind) {
            let key = field_key(kind, &item.value);
            match list.iter_mut().find(|l| field_key(kind, &l.value) == key) {
                Some(existing) => {
                    if existing.label.is_none() && item.label.is_some() {
                        existing.label = item.label.clone();
                    }
                }
                None => list.push(Labeled {
                    label: item.label.clone(),
                    value: item.value.clone(),
                }),
            }
        }
    }
    for tag in &new.tags {
        if !fields.tags.contains(tag) {
            fields.tags.push(tag.clone());
        }
    }
    fields.tags.sort();
    let extras = merge_extras(&known.extras, &incoming.extras);
    (fields, extras)
}
