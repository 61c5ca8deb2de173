//! An incoming relationship between two contacts (by their UIDs, stored or earlier in the
//! input): new, unchanged, or its note merged, replaced or kept.

use super::importer::Importer;
use super::merge::merge_notes;
use super::{OnConflict, Outcome};
use crate::error::Result;
use crate::formats::Location;
use crate::formats::json::RelationshipRecord;

impl Importer<'_> {
    pub(super) fn relationship(
        &mut self,
        file: &str,
        at: Location,
        record: RelationshipRecord,
    ) -> Result<()> {
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
        let (Some(from), Some(to)) = (
            self.matcher.by_uid(&record.from),
            self.matcher.by_uid(&record.to),
        ) else {
            let missing = if self.matcher.by_uid(&record.from).is_none() {
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
}
