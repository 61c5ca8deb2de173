//! Import: match each incoming record against the database (contacts by UID, then email,
//! then phone), decide what it means (new, merged, replaced, unchanged, skipped, invalid) and
//! write it, all in one transaction. Everything the matching needs is loaded into memory once,
//! so a 100k-contact file costs one pass, not one query per record per table.
//!
//! All or nothing: the transaction commits only when no record was invalid (or the user
//! asked to skip invalid ones) and this is not a dry run. Either way the report lists every
//! record's fate with its file and line.
//!
//! Here: the options, the report, and [`write`], which reads on one thread, prepares on
//! another and writes on this one. [`keys`] works out what matching needs of a record (on
//! a preparing thread), [`matching`] decides which contact it is (pure; by the tables of
//! [`key_index`] and [`by_id`]), on the preparing thread into an empty book
//! ([`matching_ahead`]) and on the writing one otherwise, [`importer`] holds the writing
//! side and hands each record to its kind's module ([`contacts`], [`organizations`],
//! [`relationships`], [`interactions`], [`reminders`], [`yearly_dates`], [`tag_cadences`],
//! [`captures`]); [`merge`] says what a merged contact is.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Result;
use crate::formats::{ContactIn, RecordResult};
use crate::store::WriteTx;

mod by_id;
mod captures;
mod contacts;
mod importer;
mod interactions;
mod key_index;
mod keys;
mod matching;
mod matching_ahead;
mod merge;
mod organizations;
mod relationships;
mod reminders;
mod tag_cadences;
mod yearly_dates;

use importer::Importer;
pub use merge::merge_fields;

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
    /// Keep an entry in the report for every record (a dry run and `--json` print them
    /// all). Otherwise only records worth a line are kept (merged, replaced, skipped,
    /// invalid, or with notes) and the rest only counted: a large import's report then
    /// takes no memory per record.
    pub every_record: bool,
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
    /// Whether a record with this outcome is worth a line of its own without a note:
    /// what a plain import prints (new and unchanged records are only counted).
    pub fn worth_a_line(self) -> bool {
        !matches!(self, Outcome::New | Outcome::Unchanged)
    }

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
    /// Organizations created for the organization names contacts gave (an organization
    /// record's own outcome is in `counts`).
    pub organizations_created: usize,
    /// Every record's entry with [`Options::every_record`], else those worth a line.
    pub entries: Vec<Entry>,
    /// CSV columns kith did not know whose values it kept as properties (`--map` reads
    /// them as fields). Filled in by the face that read the inputs.
    pub unknown_columns: Vec<UnknownColumn>,
    /// The folders read when a directory was imported, with how many files each gave.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<FolderRead>,
}

/// A CSV column of `file` kith did not know; its values were kept as `property`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownColumn {
    pub file: String,
    pub column: String,
    pub property: String,
}

/// A folder read by an import of a directory (a vdir tree has one per address book).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderRead {
    pub folder: String,
    pub files: usize,
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

/// Records travel from the reading thread to the preparing one, and from there to the
/// writing one, in batches of this many, so the channels cost little per record and little
/// memory is held in between.
const BATCH: usize = 256;
/// Batches ahead of the next thread, at most, on each of the two channels: 2k cards in all.
/// The threads take turns at being the slower one, which a queue rides out, but what waits in
/// a long one has left the processor's caches by the time it is taken: with 8k cards in
/// flight a first import of 100k cards took more CPU (session 16, ten rotations of each
/// depth: real-shaped cards 2.20 s of user time at 16 batches, 2.12 s at 4; rich cards 1.82
/// against 1.66 s, median 1.24 against 1.165 s; generated cards no different) and memory
/// (263 against 232 MB).
const BATCHES_AHEAD: usize = 4;

/// Import `sources` in the transaction `tx` (see [`crate::app::import::run`]); the report,
/// and whether to commit. `progress` is called after each record.
///
/// Three threads form a pipeline: one reads (decodes and parses the files), a second
/// prepares each contact (its keys for matching and, into an empty book, its rows and its
/// match), and this one writes (and matches, but into an empty book). A large import
/// costs about the largest of the three, or their sum shared out over the cores, rather
/// than their sum: with real exports the parse alone outweighed the writes, with generated
/// cards the writes outweigh the parse.
pub fn write(
    tx: &WriteTx<'_>,
    sources: Vec<Source<'_>>,
    options: &Options,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize),
) -> Result<(Report, bool)> {
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    {
        // Into an empty book every contact is new: the preparing thread makes their rows
        // too (search row, detail keys, encoded extras). Into a stored book most are usually
        // matched, and the few new ones are worked out on this thread, so a re-import's
        // other threads (its bottleneck) are spared.
        let empty = crate::store::contacts::none_stored(tx)?;
        std::thread::scope(|scope| {
            let (sender, read) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
            let (prepared_sender, batches) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
            let (give_back, given_back) = std::sync::mpsc::channel();
            scope.spawn(move || read_ahead(sources, sender, given_back));
            scope.spawn(move || prepare_ahead(options, empty, read, prepared_sender));
            // Loading what is stored overlaps with the reading of the first records.
            let mut importer = Importer::new(tx, options, now, empty)?;
            let mut done = 0;
            for PreparedBatch { mut batch, matcher } in batches {
                if let Some(matcher) = matcher {
                    importer.match_from_here(matcher);
                }
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
type Read = (usize, RecordResult, Option<keys::Prepared>);

/// What the writing thread is done with: an emptied batch, to fill again, and the contacts
/// it has written, to free.
type Spent = (Vec<Read>, Vec<Box<ContactIn>>);

/// Parse every source in turn and send its records, tagged with the source's index, in
/// batches. Stops early when the next thread has gone (the writer failed).
fn read_ahead(
    sources: Vec<Source<'_>>,
    sender: std::sync::mpsc::SyncSender<Vec<Read>>,
    given_back: std::sync::mpsc::Receiver<Spent>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut empties = Vec::new();
    for (index, source) in sources.into_iter().enumerate() {
        for item in source.records {
            batch.push((index, item, None));
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

/// A batch prepared for the writer, and the matcher when the writer is to match from this
/// batch on (see [`matching_ahead`]).
struct PreparedBatch {
    batch: Vec<Read>,
    matcher: Option<matching::Matcher>,
}

/// Prepare every contact of each batch read for matching (and, `for_new`, for writing; see
/// [`keys::prepare`]), match them ahead into an empty book while that lasts, and pass the
/// batch on to the writer. Stops early when the writer has gone.
fn prepare_ahead(
    options: &Options,
    for_new: bool,
    read: std::sync::mpsc::Receiver<Vec<Read>>,
    sender: std::sync::mpsc::SyncSender<PreparedBatch>,
) {
    let mut ahead = for_new.then(matching_ahead::MatchingAhead::into_empty_book);
    for mut batch in read {
        let mut matcher = None;
        for (_, item, prepared) in &mut batch {
            *prepared = keys::prepare(options, item, for_new);
            let Some(matching) = &mut ahead else { continue };
            // An invalid record is only reported: nothing to match.
            if item.is_ok() && !matching.decide(item, prepared) {
                matcher = ahead
                    .take()
                    .map(matching_ahead::MatchingAhead::into_matcher);
            }
        }
        if sender.send(PreparedBatch { batch, matcher }).is_err() {
            return;
        }
    }
    // A matcher kept to the end is freed here, on a thread that has nothing else to do.
}
