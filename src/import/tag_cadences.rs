//! An incoming tag cadence (everyone tagged `client` every 30 days): new, unchanged, or, when
//! the tag has another cadence stored, kept as stored (and said) unless
//! `--on-conflict replace`. Tags need not be carried by anyone: a cadence outlives its tag.

use super::importer::Importer;
use super::{OnConflict, Outcome};
use crate::error::Result;
use crate::formats::Location;
use crate::formats::json::TagCadenceRecord;
use crate::model::{Period, normalize_tag};
use crate::store::tag_cadences;

impl Importer<'_> {
    pub(super) fn tag_cadence(
        &mut self,
        file: &str,
        at: Location,
        record: TagCadenceRecord,
    ) -> Result<()> {
        let name = record.tag.clone();
        let checked = normalize_tag(&record.tag)
            .map_err(|e| e.to_string())
            .and_then(|tag| {
                let cadence = Period::parse(&record.cadence).map_err(|_| {
                    format!(
                        "invalid cadence \"{}\": expected a period such as 30d, 2w, 3m, 1y",
                        record.cadence
                    )
                })?;
                Ok((tag, cadence))
            });
        let (tag, cadence) = match checked {
            Ok(checked) => checked,
            Err(why) => {
                self.entry(file, at, "tag cadence", name, Outcome::Invalid, vec![why]);
                return Ok(());
            }
        };
        if self.tag_cadences.is_none() {
            let stored = tag_cadences::list(self.writer.conn())?;
            let by_tag = stored.into_iter().map(|t| (t.tag, t.cadence)).collect();
            self.tag_cadences = Some(by_tag);
        }
        let stored = self
            .tag_cadences
            .as_ref()
            .and_then(|m| m.get(&tag))
            .copied();
        let outcome = match (stored, self.options.on_conflict) {
            (None, _) => Outcome::New,
            (Some(s), _) if s == cadence => Outcome::Unchanged,
            (Some(_), OnConflict::Replace) => Outcome::Replaced,
            (Some(s), on_conflict) => {
                let outcome = match on_conflict {
                    OnConflict::Skip => Outcome::Skipped,
                    _ => Outcome::Unchanged,
                };
                let why = format!(
                    "kept stored cadence {s}; the file has {cadence} (use --on-conflict replace to overwrite)"
                );
                self.entry(file, at, "tag cadence", name, outcome, vec![why]);
                return Ok(());
            }
        };
        if outcome != Outcome::Unchanged {
            // A restored cadence keeps its time; a replaced one changes now.
            let updated_at = match outcome {
                Outcome::New => record.updated_at.unwrap_or(self.now),
                _ => self.now,
            };
            tag_cadences::set(self.writer.tx(), &tag, cadence, updated_at)?;
            if let Some(map) = self.tag_cadences.as_mut() {
                map.insert(tag, cadence);
            }
        }
        self.entry(file, at, "tag cadence", name, outcome, vec![]);
        Ok(())
    }
}
