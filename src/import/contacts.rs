//! An incoming contact: new (written with what the preparing thread made ready), or matched to
//! a contact stored or earlier in the input, and then unchanged, merged, replaced or skipped
//! as `--on-conflict` says. Every contact written is noted for matching the records after it.

use super::importer::Importer;
use super::keys::{ContactKeys, Prepared};
use super::matching::Match;
use super::matching_ahead::Decided;
use super::merge::{THE_FILE_HAS, merge, same_content};
use super::{OnConflict, Outcome};
use crate::error::Result;
use crate::formats::{ContactIn, Location};
use crate::model::new_uid;
use crate::store::bulk::{PreparedContact, Stamps};

/// How a new contact was found to be new: by this thread, with the keys to note it by, or
/// ahead by the preparing one, which numbered and noted it.
enum Found {
    Here {
        keys: ContactKeys,
        /// Stored contacts of another name with one of its phones (see [`Match::New`]).
        sharing_a_phone: Vec<i64>,
    },
    Ahead {
        id: i64,
        namesakes: Vec<i64>,
    },
}

impl Importer<'_> {
    /// `incoming` is prepared, with its keys and perhaps its search row in `prepared` (see
    /// [`super::keys::prepare`]).
    pub(super) fn contact(
        &mut self,
        file: &str,
        at: Location,
        incoming: &ContactIn,
        prepared: Prepared,
    ) -> Result<()> {
        let notes: Vec<String> = incoming
            .warnings
            .iter()
            .map(|w| match w.line {
                Some(line) => format!("line {line}: {}", w.message),
                None => w.message.clone(),
            })
            .collect();
        let Prepared { keys, row, decided } = prepared;
        if let Some(Decided { id, uid, namesakes }) = decided {
            let found = Found::Ahead { id, namesakes };
            return self.new_contact(file, at, incoming, &uid, found, row, notes);
        }
        let uid = incoming.uid.clone().unwrap_or_else(new_uid);
        let id = match self.matcher.find(&uid, &keys) {
            Match::Is(id) => id,
            Match::New { sharing_a_phone } => {
                let found = Found::Here {
                    keys,
                    sharing_a_phone,
                };
                return self.new_contact(file, at, incoming, &uid, found, row, notes);
            }
            Match::Several(ids) => return self.ambiguous(file, at, incoming, &ids, notes),
        };
        let Some(light) = self.matcher.get(id).cloned() else {
            return Ok(());
        };
        if light.uid != uid {
            self.matcher.alias(&uid, id);
        }
        // The same content as stored: nothing to merge, replace or skip.
        if light.digest == keys.digest {
            let name = incoming.fields.display_name.clone();
            self.entry(file, at, "contact", name, Outcome::Unchanged, notes);
            return Ok(());
        }
        self.matched_contact(file, at, incoming, id, &light.uid, notes)
    }

    #[allow(clippy::too_many_arguments)]
    fn new_contact(
        &mut self,
        file: &str,
        at: Location,
        incoming: &ContactIn,
        uid: &str,
        found: Found,
        row: Option<PreparedContact>,
        mut notes: Vec<String>,
    ) -> Result<()> {
        let name = incoming.fields.display_name.as_str();
        let stamps = Stamps {
            created_at: incoming.created_at.unwrap_or(self.now),
            updated_at: incoming.updated_at.unwrap_or(self.now),
            archived_at: incoming.archived_at,
        };
        let numbered = match &found {
            Found::Ahead { id, .. } => Some(*id),
            Found::Here { .. } => None,
        };
        // A UID taken by another record kind (or reused) would break the unique index.
        let written = self.writer.insert_contact_as(
            numbered,
            uid,
            &incoming.fields,
            &incoming.extras,
            stamps,
            row,
        );
        let id = match written {
            Ok(id) => id,
            Err(crate::Error::Invalid {
                field,
                value,
                reason,
            }) => {
                if let Some(id) = numbered {
                    self.unwritten_ahead(id, incoming);
                }
                notes.push(format!("invalid {field} \"{value}\": {reason}"));
                self.entry(file, at, "contact", name, Outcome::Invalid, notes);
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let namesakes = match found {
            Found::Here {
                keys,
                sharing_a_phone,
            } => {
                let namesakes = self.matcher.namesakes(&keys.name_key);
                self.matcher.remember_added(id, uid, keys);
                self.note_sharing_a_phone(&sharing_a_phone, id, &mut notes)?;
                namesakes
            }
            Found::Ahead { namesakes, .. } => namesakes,
        };
        self.note_namesakes(&namesakes, id, &mut notes)?;
        self.entry(file, at, "contact", name, Outcome::New, notes);
        Ok(())
    }

    /// Contact `id`, matched and noted ahead, was not written after all: the matcher
    /// forgets it now, or when it comes.
    fn unwritten_ahead(&mut self, id: i64, incoming: &ContactIn) {
        let keys = ContactKeys::of(&incoming.fields, &incoming.extras);
        match &mut self.unwritten_ahead {
            Some(unwritten) => unwritten.push((id, keys)),
            None => self.matcher.forget_added(id, &keys),
        }
    }

    /// The warning `kith add` gives for a new contact (#`id`) with the same name as stored
    /// ones that share no UID, email or phone with it, and how to merge them if they are one
    /// person (what it would be, if nothing is written). Their names are read here, by id,
    /// only for such a contact (rare).
    fn note_namesakes(
        &mut self,
        namesakes: &[i64],
        id: i64,
        notes: &mut Vec<String>,
    ) -> Result<()> {
        if namesakes.is_empty() {
            return Ok(());
        }
        for other in crate::store::contacts::refs(self.writer.conn(), namesakes)? {
            let would_be = format!(
                "{} (#{}) has the same name but no UID, email or phone in common; this would be a new contact",
                other.name, other.id
            );
            let written = || {
                format!(
                    "{}; `kith merge '#{}' '#{id}'` if they are one person",
                    crate::app::contacts::same_name_warning(&other.name, other.id, id),
                    other.id
                )
            };
            notes.push(self.note_unless_refused(written, would_be));
        }
        Ok(())
    }

    /// New contact `id` shares a phone number with these stored contacts of other names
    /// (colleagues on an office line, or one person renamed): said, with how to merge.
    fn note_sharing_a_phone(
        &mut self,
        others: &[i64],
        id: i64,
        notes: &mut Vec<String>,
    ) -> Result<()> {
        for other in crate::store::contacts::refs(self.writer.conn(), others)? {
            let (name, other) = (&other.name, other.id);
            let would_be = format!(
                "shares a phone number with stored contact \"{name}\" (#{other}), whose name differs; this would be a new contact"
            );
            let written = || {
                format!(
                    "shares a phone number with stored contact \"{name}\" (#{other}), whose name differs: added as a new contact; `kith merge '#{other}' '#{id}'` if they are one person"
                )
            };
            notes.push(self.note_unless_refused(written, would_be));
        }
        Ok(())
    }

    /// `incoming` has emails of each of these stored contacts (and the name of one of them
    /// at most): which of them it is, or whether they are one person, is not for the import
    /// to guess.
    fn ambiguous(
        &mut self,
        file: &str,
        at: Location,
        incoming: &ContactIn,
        ids: &[i64],
        mut notes: Vec<String>,
    ) -> Result<()> {
        let named: Vec<String> = crate::store::contacts::refs(self.writer.conn(), ids)?
            .iter()
            .map(|c| format!("\"{}\" (#{})", c.name, c.id))
            .collect();
        notes.push(format!(
            "its emails are those of {} stored contacts, {}: not merged into any; merge them \
             first if they are one person (`kith merge`), or give the record one person's",
            named.len(),
            match named.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            }
        ));
        let name = incoming.fields.display_name.clone();
        self.entry(file, at, "contact", name, Outcome::Skipped, notes);
        Ok(())
    }

    /// Contact `id`, stored as `stored_uid`, which `incoming` matched and differs from.
    fn matched_contact(
        &mut self,
        file: &str,
        at: Location,
        incoming: &ContactIn,
        id: i64,
        stored_uid: &str,
        mut notes: Vec<String>,
    ) -> Result<()> {
        let name = incoming.fields.display_name.clone();
        let known = self.load(id, stored_uid)?;
        let (fields, extras, outcome) = match self.options.on_conflict {
            OnConflict::Skip => (known.fields.clone(), known.extras.clone(), Outcome::Skipped),
            OnConflict::Replace => (
                incoming.fields.clone(),
                incoming.extras.clone(),
                Outcome::Replaced,
            ),
            OnConflict::Merge => {
                let (fields, extras) = merge(&known, incoming, THE_FILE_HAS, &mut notes);
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
            // A contact this same input added is not "stored" to whoever wrote the file.
            let into = if self.matcher.was_added(id) {
                format!("into \"{}\", earlier in the input", fields.display_name)
            } else {
                format!("into stored contact \"{}\"", fields.display_name)
            };
            notes.insert(0, into);
        }
        self.matcher
            .remember(id, &known.uid, ContactKeys::of(&fields, &extras));
        self.entry(file, at, "contact", name, outcome, notes);
        Ok(())
    }
}
