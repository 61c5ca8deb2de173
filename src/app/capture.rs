//! `kith capture`: a stream of captured records (mail messages now, calendar events next)
//! written as interactions with exactly the contacts among their participants, in one
//! transaction under one batch that `--undo` takes back; and `kith me`, the addresses that
//! decide a record's direction. The reading is [`crate::capture`]'s; this is the run.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::capture::addresses::{Me, match_key};
use crate::capture::unknown::{Correspondent, Tally};
use crate::capture::{CapturedRecord, Item, Noise, RecordKind, Unreadable, Withdrawn};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::{ContactFields, Labeled};
use crate::store::capture::{self as captures, Captured, EventUpdate, NewCapture, Removed};
use crate::store::capture_revisions::{self, Change};
use crate::store::{Store, WriteTx, contacts};

/// Which kinds of noise a run includes rather than skips.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Include {
    pub lists: bool,
    pub automated: bool,
    pub crowds: bool,
}

impl Include {
    fn includes(self, noise: Noise) -> bool {
        match noise {
            Noise::List => self.lists,
            Noise::Automated => self.automated,
            Noise::Crowd => self.crowds,
        }
    }
}

/// How to run a capture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaptureOptions {
    /// My addresses for this run only, beside those `kith me` keeps.
    pub me: Vec<String>,
    pub include: Include,
    /// Create the unknown correspondents as contacts (and log their mail with them).
    pub add_unknown: bool,
    /// Work everything out, write nothing.
    pub dry_run: bool,
    /// The paths read, recorded with the batch.
    pub sources: Vec<String>,
}

/// How many records of one kind of noise were seen, and whether they were let in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoiseCount {
    pub kind: Noise,
    pub count: usize,
    pub included: bool,
}

/// A correspondent who is not a contact, and whether this run added them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    #[serde(flatten)]
    pub correspondent: Correspondent,
    pub added: bool,
}

/// What a run did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureReport {
    /// The batch `--undo` takes back; `None` when nothing was written.
    pub batch: Option<String>,
    pub dry_run: bool,
    /// Records read (messages, events), noise and repeats included.
    pub read: usize,
    /// New interactions.
    pub captured: usize,
    /// Records already in the book (an earlier run, or a copy earlier in this one).
    pub already_captured: usize,
    /// Events already in the book whose newer version (a higher SEQUENCE) changed them.
    pub updated: usize,
    /// Events captured before that a file now says did not happen (cancelled, declined).
    pub removed: usize,
    /// Contacts added to interactions captured before (they are contacts now).
    pub linked: usize,
    /// Records with no contact among their participants.
    pub without_contacts: usize,
    pub noise: Vec<NoiseCount>,
    /// Records that could not be read, each named.
    pub skipped: Vec<Unreadable>,
    /// People mail went both ways with who are not contacts, best first.
    pub unknown: Vec<Unknown>,
    pub contacts_added: usize,
    /// No address of mine is known: directions are unknown, and so are correspondents.
    pub no_me: bool,
}

/// Capture `items` into the book under one new batch, in one transaction.
pub fn run(
    store: &mut Store,
    clock: Clock,
    options: &CaptureOptions,
    items: impl Iterator<Item = Item>,
) -> Result<CaptureReport> {
    for address in &options.me {
        me_key(address)?;
    }
    if !options.dry_run {
        crate::store::capture_index::attach(store)?;
    }
    store.write_or_roll_back(|tx| {
        let mut run = Run::load(tx, clock, options)?;
        for item in items {
            match item {
                Item::Record(record) => run.record(tx, *record, true)?,
                Item::Withdrawn(withdrawn) => run.withdraw(tx, withdrawn)?,
                Item::Unreadable(u) => run.report.skipped.push(u),
            }
        }
        run.finish(tx)?;
        let r = &run.report;
        let wrote = r.captured + r.linked + r.contacts_added + r.updated + r.removed > 0;
        let commit = wrote && !options.dry_run;
        if !wrote {
            run.report.batch = None;
        }
        Ok((run.report, commit))
    })
}

/// A run in progress: what the book knows, and the report so far.
struct Run<'o> {
    options: &'o CaptureOptions,
    now: DateTime<Utc>,
    batch: i64,
    me: Me,
    /// Contact ids by email match key.
    contacts: HashMap<String, Vec<i64>>,
    captured: HashMap<(RecordKind, String), Captured>,
    /// Records withdrawn in this run, with their SEQUENCE: an older copy read later stays out.
    withdrawn: HashMap<(RecordKind, String), i64>,
    participations: HashSet<(i64, i64)>,
    tally: Tally,
    /// With --add-unknown: records without contacts, and interactions by stranger address,
    /// to log with the correspondents once they are contacts.
    pending: Vec<CapturedRecord>,
    pending_keys: HashSet<(RecordKind, String)>,
    stranger_interactions: HashMap<String, Vec<i64>>,
    noise: HashMap<Noise, usize>,
    report: CaptureReport,
    /// Whether the full-text indexes were copied for --undo (before the first write).
    index_kept: bool,
}

impl<'o> Run<'o> {
    fn load(tx: &WriteTx, clock: Clock, options: &'o CaptureOptions) -> Result<Run<'o>> {
        captures::large_cache(tx)?;
        let stored = captures::me_list(tx)?;
        let me = Me::new(
            stored
                .iter()
                .map(|m| m.address.as_str())
                .chain(options.me.iter().map(String::as_str)),
        );
        let mut contacts: HashMap<String, Vec<i64>> = HashMap::new();
        for (address, id) in captures::contact_emails(tx)? {
            if let Some(key) = match_key(&address) {
                let ids = contacts.entry(key).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        let mut captured = HashMap::new();
        for kind in [RecordKind::Mail, RecordKind::Event] {
            for (key, c) in captures::captured(tx, kind.as_str())? {
                captured.insert((kind, key), c);
            }
        }
        let name = batch_name(tx, clock.now)?;
        let batch = captures::insert_batch(tx, &name, clock.now, &options.sources.join("\n"))?;
        let no_me = me.is_empty();
        Ok(Run {
            options,
            now: clock.now,
            batch,
            me,
            contacts,
            captured,
            withdrawn: HashMap::new(),
            participations: captures::captured_participations(tx)?,
            tally: Tally::default(),
            pending: Vec::new(),
            pending_keys: HashSet::new(),
            stranger_interactions: HashMap::new(),
            noise: HashMap::new(),
            index_kept: false,
            report: CaptureReport {
                batch: Some(name),
                dry_run: options.dry_run,
                read: 0,
                captured: 0,
                already_captured: 0,
                updated: 0,
                removed: 0,
                linked: 0,
                without_contacts: 0,
                noise: Vec::new(),
                skipped: Vec::new(),
                unknown: Vec::new(),
                contacts_added: 0,
                no_me,
            },
        })
    }
}

impl Run<'_> {
    /// One record: skipped as noise, linked when captured before, else logged with its
    /// contacts. `first_pass` is false when a record held back for --add-unknown comes back.
    fn record(&mut self, tx: &WriteTx, record: CapturedRecord, first_pass: bool) -> Result<()> {
        if first_pass {
            self.report.read += 1;
            if let Some(noise) = record.noise {
                *self.noise.entry(noise).or_default() += 1;
                if !self.options.include.includes(noise) {
                    return Ok(());
                }
            }
        }
        let direction = record.direction(&self.me);
        let known = self.known_participants(&record);
        // Meetings are no correspondence: only mail counts towards unknown correspondents.
        if first_pass && record.kind == RecordKind::Mail {
            let (contacts, me) = (&self.contacts, &self.me);
            self.tally.note(&record, direction, |key| {
                !contacts.contains_key(key) && !me.contains(key)
            });
        }
        let id = (record.kind, record.key.clone());
        if self
            .withdrawn
            .get(&id)
            .is_some_and(|&seq| seq >= record.sequence.unwrap_or(0))
        {
            return Ok(());
        }
        if let Some(existing) = self.captured.get(&id) {
            let interaction = existing.interaction_id;
            if record.kind == RecordKind::Event
                && record.sequence.unwrap_or(0) > existing.sequence.unwrap_or(0)
            {
                self.update_event(tx, &record, interaction)?;
            } else {
                self.report.already_captured += 1;
            }
            for contact in known {
                if self.participations.insert((interaction, contact)) {
                    self.before_writing(tx)?;
                    captures::add_participation(tx, interaction, contact, self.batch)?;
                    self.report.linked += 1;
                }
            }
            self.note_strangers(&record, interaction);
            return Ok(());
        }
        if known.is_empty() {
            if first_pass {
                self.report.without_contacts += 1;
                if self.options.add_unknown && self.pending_keys.insert(id) {
                    self.pending.push(record);
                }
            }
            return Ok(());
        }
        if !first_pass {
            self.report.without_contacts -= 1;
        }
        let thread = self.thread_of(&record);
        self.before_writing(tx)?;
        let interaction = captures::insert(
            tx,
            &NewCapture {
                kind: record.kind.as_str(),
                key: &record.key,
                occurred_at: record.occurred_at,
                channel: record.channel,
                direction,
                summary: &record.summary,
                body: record.body.as_deref(),
                participants: &known,
                thread: thread.as_deref(),
                sequence: record.sequence,
                location: record.location.as_deref(),
                batch: self.batch,
            },
            self.now,
        )?;
        self.report.captured += 1;
        for contact in &known {
            self.participations.insert((interaction, *contact));
        }
        self.note_strangers(&record, interaction);
        self.captured.insert(
            id,
            Captured {
                interaction_id: interaction,
                batch_id: self.batch,
                thread,
                sequence: record.sequence,
            },
        );
        Ok(())
    }

    /// A newer version of an event captured before: its time, summary and location change.
    fn update_event(
        &mut self,
        tx: &WriteTx,
        record: &CapturedRecord,
        interaction: i64,
    ) -> Result<()> {
        self.before_writing(tx)?;
        self.keep_previous(tx, record.kind, &record.key, Change::Updated)?;
        captures::update_event(
            tx,
            &EventUpdate {
                kind: record.kind.as_str(),
                key: &record.key,
                interaction,
                occurred_at: record.occurred_at,
                summary: &record.summary,
                sequence: record.sequence,
                location: record.location.as_deref(),
            },
            self.now,
        )?;
        if let Some(c) = self.captured.get_mut(&(record.kind, record.key.clone())) {
            c.sequence = record.sequence;
        }
        self.report.updated += 1;
        Ok(())
    }

    /// A record a file withdrew: the interaction captured for it goes, unless the copy
    /// captured is newer than the withdrawal.
    fn withdraw(&mut self, tx: &WriteTx, withdrawn: Withdrawn) -> Result<()> {
        let sequence = withdrawn.sequence.unwrap_or(0);
        let id = (withdrawn.kind, withdrawn.key);
        let seen = self.withdrawn.entry(id.clone()).or_insert(sequence);
        *seen = (*seen).max(sequence);
        let Some(existing) = self.captured.get(&id) else {
            return Ok(());
        };
        if existing.sequence.unwrap_or(0) > sequence {
            return Ok(());
        }
        let interaction = existing.interaction_id;
        self.before_writing(tx)?;
        self.keep_previous(tx, id.0, &id.1, Change::Removed)?;
        crate::store::interactions::delete(tx, interaction)?;
        self.captured.remove(&id);
        self.participations.retain(|(i, _)| *i != interaction);
        self.report.removed += 1;
        Ok(())
    }

    /// Before the run's first write, copy the full-text indexes for `--undo`.
    fn before_writing(&mut self, tx: &WriteTx) -> Result<()> {
        if !self.index_kept {
            crate::store::capture_index::keep(tx, self.batch)?;
            self.index_kept = true;
        }
        Ok(())
    }

    /// Before changing a record an earlier run captured, keep it as it is for `--undo`.
    fn keep_previous(
        &self,
        tx: &WriteTx,
        kind: RecordKind,
        key: &str,
        change: Change,
    ) -> Result<()> {
        let earlier = self
            .captured
            .get(&(kind, key.to_string()))
            .is_some_and(|c| c.batch_id != self.batch);
        if earlier {
            capture_revisions::keep_previous(tx, self.batch, kind.as_str(), key, change)?;
        }
        Ok(())
    }

    /// The contacts among a record's participants (never me), each once, in id order.
    fn known_participants(&self, record: &CapturedRecord) -> Vec<i64> {
        let mut ids: Vec<i64> = record
            .participants
            .iter()
            .filter_map(|p| match_key(&p.address))
            .filter(|key| !self.me.contains(key))
            .filter_map(|key| self.contacts.get(&key))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The thread a record joins: that of a message it answers captured already, else its own.
    fn thread_of(&self, record: &CapturedRecord) -> Option<String> {
        record
            .replies_to
            .iter()
            .find_map(|id| {
                self.captured
                    .get(&(record.kind, id.clone()))
                    .and_then(|c| c.thread.clone())
            })
            .or_else(|| record.thread.clone())
    }

    /// With --add-unknown, remember which interaction each stranger's address was in.
    fn note_strangers(&mut self, record: &CapturedRecord, interaction: i64) {
        if !self.options.add_unknown {
            return;
        }
        for key in record
            .participants
            .iter()
            .filter_map(|p| match_key(&p.address))
        {
            if !self.contacts.contains_key(&key) && !self.me.contains(&key) {
                let list = self.stranger_interactions.entry(key).or_default();
                if list.last() != Some(&interaction) {
                    list.push(interaction);
                }
            }
        }
    }

    /// The unknown correspondents (created with --add-unknown, then their mail logged with
    /// them), and the noise counts.
    fn finish(&mut self, tx: &WriteTx) -> Result<()> {
        let strangers = std::mem::take(&mut self.tally).both_ways();
        let mut unknown = Vec::with_capacity(strangers.len());
        for (key, correspondent) in strangers {
            let added = self.options.add_unknown;
            if added {
                let id = self.add_contact(tx, &correspondent)?;
                for interaction in self.stranger_interactions.remove(&key).unwrap_or_default() {
                    if self.participations.insert((interaction, id)) {
                        captures::add_participation(tx, interaction, id, self.batch)?;
                    }
                }
                self.contacts.insert(key, vec![id]);
            }
            unknown.push(Unknown {
                correspondent,
                added,
            });
        }
        self.report.unknown = unknown;
        for record in std::mem::take(&mut self.pending) {
            self.record(tx, record, false)?;
        }
        self.report.noise = Noise::ALL
            .iter()
            .filter_map(|&kind| {
                let count = self.noise.get(&kind).copied().unwrap_or(0);
                (count > 0).then_some(NoiseCount {
                    kind,
                    count,
                    included: self.options.include.includes(kind),
                })
            })
            .collect();
        Ok(())
    }

    fn add_contact(&mut self, tx: &WriteTx, who: &Correspondent) -> Result<i64> {
        let mut fields = ContactFields {
            display_name: who.contact_name(),
            emails: vec![Labeled {
                label: None,
                value: who.address.clone(),
            }],
            ..Default::default()
        };
        super::contacts::check_new(&mut fields, self.now.date_naive())?;
        self.before_writing(tx)?;
        let id = contacts::insert(tx, &fields, self.now)?;
        captures::mark_contact(tx, id, self.batch)?;
        self.report.contacts_added += 1;
        Ok(id)
    }
}

/// The batch name of a run at `now`: its UTC time, with a suffix when one is taken.
fn batch_name(conn: &rusqlite::Connection, now: DateTime<Utc>) -> Result<String> {
    let base = now.format("%Y%m%d-%H%M%S").to_string();
    let mut name = base.clone();
    let mut n = 1;
    while captures::batch_name_taken(conn, &name)? {
        n += 1;
        name = format!("{base}-{n}");
    }
    Ok(name)
}

/// What `kith capture --undo` removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Undone {
    pub batch: String,
    #[serde(flatten)]
    pub removed: Removed,
}

/// Take batch `name` back: everything that run created goes, in one transaction.
pub fn undo(store: &mut Store, name: &str) -> Result<Undone> {
    let Some(batch) = captures::batch(store.conn(), name.trim())? else {
        return Err(Error::NotFound {
            what: "capture batch",
            query: name.to_string(),
        });
    };
    if let Some(later) = capture_revisions::later_reviser(store.conn(), batch.id)? {
        return Err(Error::Refused(format!(
            "capture batch {later} changed events this run captured or changed; take it back first: kith capture --undo {later}"
        )));
    }
    crate::store::capture_index::attach(store)?;
    let removed = store.write(|tx| captures::undo(tx, batch.id, &batch.name))?;
    Ok(Undone {
        batch: batch.name,
        removed,
    })
}

/// The match key of one of my addresses, or why it is not one.
fn me_key(address: &str) -> Result<String> {
    match_key(address)
        .ok_or_else(|| Error::invalid("address", address, "is not an email address (name@domain)"))
}

/// `kith me add`: false when it (or another spelling of it) is there already.
pub fn me_add(store: &mut Store, clock: Clock, address: &str) -> Result<bool> {
    let key = me_key(address)?;
    store.write(|tx| captures::me_add(tx, address.trim(), &key, clock.now))
}

/// `kith me rm`: the address as it was stored.
pub fn me_remove(store: &mut Store, address: &str) -> Result<String> {
    let key = me_key(address)?;
    store
        .write(|tx| captures::me_remove(tx, &key))?
        .ok_or_else(|| Error::NotFound {
            what: "address of yours",
            query: address.to_string(),
        })
}

/// `kith me`: my addresses, oldest first.
pub fn me_list(store: &Store) -> Result<Vec<captures::MeAddress>> {
    captures::me_list(store.conn())
}
