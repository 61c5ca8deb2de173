//! The writing side of an import: the bulk writer inside the import's one transaction, the
//! [`Matcher`] loaded with every stored contact, what is stored of the other record kinds
//! (loaded the first time a record of that kind comes), and the report's entries. Each
//! record goes to its kind's module; [`Importer::finish`] decides whether to commit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::keys::{ContactKeys, Prepared};
use super::matching::Matcher;
use super::merge::Known;
use super::{Entry, Options, Outcome, Report};
use crate::error::Result;
use crate::formats::json::{InteractionRecord, OrganizationRecord, ReminderRecord};
use crate::formats::{ContactIn, Located, Location, OtherCard, Problem, Record, RecordResult};
use crate::model::{Birthday, Period};
use crate::store::WriteTx;
use crate::store::bulk::BulkWriter;

pub(super) struct Importer<'c> {
    pub(super) writer: BulkWriter<'c>,
    pub(super) options: &'c Options,
    pub(super) now: DateTime<Utc>,
    pub(super) matcher: Matcher,
    pub(super) organizations: Option<HashMap<i64, OrganizationRecord>>,
    pub(super) interactions: Option<HashMap<String, InteractionRecord>>,
    pub(super) reminders: Option<HashMap<String, ReminderRecord>>,
    /// Stored yearly dates by contact id and label.
    pub(super) yearly_dates: Option<HashMap<(i64, String), Birthday>>,
    /// Stored tag cadences by tag.
    pub(super) tag_cadences: Option<HashMap<String, Period>>,
    /// UIDs of interactions (`i:`) and follow-ups (`r:`) seen in the input.
    pub(super) seen_uids: foldhash::HashSet<String>,
    entries: Vec<Entry>,
    /// Records by outcome, in the order of [`Outcome::ALL`].
    counts: [usize; Outcome::ALL.len()],
    /// Incoming contacts written since the last batch, for the reading thread to free. Kept
    /// in the boxes the reader made, which go back with them rather than being freed here.
    #[allow(clippy::vec_box)]
    pub(super) spent: Vec<Box<ContactIn>>,
    /// While the preparing thread matches ahead and holds the matcher (see
    /// [`super::matching_ahead`]): the contacts it matched whose write failed, with their
    /// keys, for the matcher to forget when it comes. None once this thread matches.
    pub(super) unwritten_ahead: Option<Vec<(i64, ContactKeys)>>,
    /// What the reader said of the record being taken (an organization's vCard: what it left
    /// out), for its entry to begin with.
    pub(super) reader_notes: Vec<String>,
    /// Notes that tell what was written (ids, commands to run), with what they say instead
    /// if nothing is (see [`Importer::note_unless_refused`]).
    if_refused: HashMap<String, String>,
}

impl<'c> Importer<'c> {
    /// `empty`: the book has no contacts yet.
    pub fn new(
        tx: &'c WriteTx<'_>,
        options: &'c Options,
        now: DateTime<Utc>,
        empty: bool,
    ) -> Result<Self> {
        let mut importer = Importer {
            writer: BulkWriter::new(tx)?,
            options,
            now,
            matcher: Matcher::default(),
            organizations: None,
            interactions: None,
            reminders: None,
            yearly_dates: None,
            tag_cadences: None,
            seen_uids: foldhash::HashSet::default(),
            entries: Vec::new(),
            counts: [0; Outcome::ALL.len()],
            spent: Vec::new(),
            unwritten_ahead: empty.then(Vec::new),
            reader_notes: Vec::new(),
            if_refused: HashMap::new(),
        };
        // Every stored contact is read before the large cache is set (see
        // `BulkWriter::each_stored_contact`), the writes' cache not filled by the read.
        let matcher = &mut importer.matcher;
        importer
            .writer
            .each_stored_contact(&mut |id, uid, fields, extras| {
                matcher.remember(id, uid, ContactKeys::of(fields, extras));
            })?;
        importer.writer.large_cache(empty)?;
        importer.writer.defer_indexes()?;
        Ok(importer)
    }

    /// Match every record from here on with `matcher`, handed over by the preparing thread.
    pub fn match_from_here(&mut self, matcher: Matcher) {
        self.matcher = matcher;
        for (id, keys) in self.unwritten_ahead.take().unwrap_or_default() {
            self.matcher.forget_added(id, &keys);
        }
    }

    /// Decide whether to commit, bring the indexes up to date if so, and report.
    pub fn finish(mut self) -> Result<(Report, bool)> {
        let invalid = self.counts[Outcome::Invalid as usize] > 0;
        let commit = !self.options.dry_run && (!invalid || self.options.skip_invalid);
        // Matching is over: what it kept of every contact is freed before the indexes are
        // rebuilt, which need memory of their own (a large import's peak).
        self.forget_for_matching();
        // What is rolled back needs no indexes; dropping the writer turns triggers back on.
        if commit {
            self.writer.finish_indexes()?;
        }
        self.writer.drop_unused_tags()?;
        if !commit && !self.if_refused.is_empty() {
            for note in self.entries.iter_mut().flat_map(|e| &mut e.notes) {
                if let Some(would_be) = self.if_refused.remove(note.as_str()) {
                    *note = would_be;
                }
            }
        }
        let counts = Outcome::ALL
            .iter()
            .map(|o| (o.as_str(), self.counts[*o as usize]))
            .collect();
        let report = Report {
            dry_run: self.options.dry_run,
            committed: commit,
            counts,
            organizations_created: self.writer.implied_org_count(),
            entries: self.entries,
            unknown_columns: Vec::new(),
            folders: Vec::new(),
        };
        Ok((report, commit))
    }

    /// Free the maps contacts are matched by (in the background, see
    /// [`crate::store::bulk::drop_in_background`]).
    fn forget_for_matching(&mut self) {
        crate::store::bulk::drop_in_background((
            std::mem::take(&mut self.matcher),
            std::mem::take(&mut self.seen_uids),
        ));
    }

    /// A note on a contact written: `written` once it is (it names ids, or commands to run
    /// with them), `would_be` in a dry run, or when the import is refused and nothing is.
    pub(super) fn note_unless_refused(
        &mut self,
        written: impl FnOnce() -> String,
        would_be: String,
    ) -> String {
        if self.options.dry_run {
            return would_be;
        }
        let note = written();
        self.if_refused.insert(note.clone(), would_be);
        note
    }

    /// The stored contact in full.
    pub(super) fn load(&self, id: i64, uid: &str) -> Result<Known> {
        let conn = self.writer.conn();
        Ok(Known {
            uid: uid.to_string(),
            fields: crate::store::contacts::get(conn, id)?.fields,
            extras: crate::store::extras::of(conn, id)?,
        })
    }

    pub(super) fn entry(
        &mut self,
        file: &str,
        at: Location,
        kind: &'static str,
        name: impl Into<String>,
        outcome: Outcome,
        mut notes: Vec<String>,
    ) {
        if !self.reader_notes.is_empty() {
            let mut said = std::mem::take(&mut self.reader_notes);
            said.append(&mut notes);
            notes = said;
        }
        self.counts[outcome as usize] += 1;
        if !self.options.every_record && notes.is_empty() && !outcome.worth_a_line() {
            return;
        }
        self.entries.push(Entry {
            file: file.to_string(),
            line: at.line,
            record: at.record,
            kind,
            // Made only for an entry kept: a million new contacts need none.
            name: name.into(),
            outcome,
            notes,
        });
    }

    /// A group's or a place's card: reported, not imported.
    fn other_card(&mut self, file: &str, at: Location, card: OtherCard) {
        let members = match card.members {
            0 => String::new(),
            n => format!(" of {}", crate::output::plural(n, "member", "members")),
        };
        let groups_are_tags = match card.kind {
            "group" => "; kith keeps groups as tags (`kith tag WHO +TAG`)",
            _ => "",
        };
        let note = format!(
            "a {kind}'s card{members}, not a person's (vCard KIND:{kind}): not imported{groups_are_tags}",
            kind = card.kind
        );
        self.entry(file, at, card.kind, card.name, Outcome::Skipped, vec![note]);
    }

    pub fn take(
        &mut self,
        file: &str,
        item: RecordResult,
        prepared: Option<Prepared>,
    ) -> Result<()> {
        match item {
            Err(Problem { at, message, named }) => {
                let (kind, name) = named.unwrap_or(("record", String::new()));
                self.entry(file, at, kind, name, Outcome::Invalid, vec![message]);
                Ok(())
            }
            Ok(Located { at, record }) => match record {
                Record::Contact(c) => {
                    let prepared = prepared.unwrap_or_else(|| Prepared {
                        keys: ContactKeys::of(&c.fields, &c.extras),
                        row: None,
                        decided: None,
                    });
                    let taken = self.contact(file, at, &c, prepared);
                    self.spent.push(c);
                    taken
                }
                Record::Organization(mut o) => {
                    self.reader_notes = std::mem::take(&mut o.warnings);
                    let taken = self.organization(file, at, o);
                    // Said on its entry; never carried to the next record's.
                    self.reader_notes.clear();
                    taken
                }
                Record::OtherCard(card) => {
                    self.other_card(file, at, card);
                    Ok(())
                }
                Record::Relationship(r) => self.relationship(file, at, r),
                Record::Interaction(i) => self.interaction(file, at, i),
                Record::Reminder(r) => self.reminder(file, at, r),
                Record::YearlyDate(d) => self.yearly_date(file, at, d),
                Record::TagCadence(t) => self.tag_cadence(file, at, t),
                Record::MeAddress(m) => self.me_address(file, at, m),
                Record::CaptureBatch(b) => self.capture_batch(file, at, &b),
            },
        }
    }
}
