//! An incoming yearly date (an anniversary, a renewal) on a contact, by the contact's UID
//! (stored or earlier in the input) and the date's label: new, unchanged, or, when the
//! contact has another date under that label, kept as stored (and said) unless
//! `--on-conflict replace`. A date added to a contact stored before the import marks the
//! contact as updated, as `kith edit --date` does.

use super::importer::Importer;
use super::{OnConflict, Outcome};
use crate::error::Result;
use crate::formats::Location;
use crate::formats::json::YearlyDateRecord;
use crate::model::{Birthday, YearlyDate, normalize_label};
use crate::store::{contact_dates, contacts};

impl Importer<'_> {
    pub(super) fn yearly_date(
        &mut self,
        file: &str,
        at: Location,
        record: YearlyDateRecord,
    ) -> Result<()> {
        let name = format!("{} of {}", record.label, record.contact);
        let checked = normalize_label(&record.label)
            .map_err(|_| format!("invalid label \"{}\": expected one word", record.label))
            .and_then(|label| {
                let date = Birthday::parse(&record.date).map_err(|_| {
                    format!(
                        "invalid date \"{}\": expected YYYY-MM-DD, or --MM-DD without a year",
                        record.date
                    )
                })?;
                let id = self.matcher.by_uid(&record.contact).ok_or_else(|| {
                    format!(
                        "refers to contact uid \"{}\", which is neither stored nor earlier in the input",
                        record.contact
                    )
                })?;
                Ok((id, YearlyDate { label, date }))
            });
        let (contact_id, date) = match checked {
            Ok(checked) => checked,
            Err(why) => {
                self.entry(file, at, "date", name, Outcome::Invalid, vec![why]);
                return Ok(());
            }
        };
        if self.yearly_dates.is_none() {
            let stored = contact_dates::by_contact(self.writer.conn(), None)?;
            let by_label = stored
                .into_iter()
                .flat_map(|(id, dates)| dates.into_iter().map(move |d| ((id, d.label), d.date)))
                .collect();
            self.yearly_dates = Some(by_label);
        }
        let key = (contact_id, date.label.clone());
        let stored = self
            .yearly_dates
            .as_ref()
            .and_then(|m| m.get(&key))
            .copied();
        let (outcome, notes) = match (stored, self.options.on_conflict) {
            (None, _) => (Outcome::New, vec![]),
            (Some(s), _) if s == date.date => (Outcome::Unchanged, vec![]),
            (Some(_), OnConflict::Replace) => (Outcome::Replaced, vec![]),
            (Some(s), on_conflict) => {
                let outcome = match on_conflict {
                    OnConflict::Skip => Outcome::Skipped,
                    _ => Outcome::Unchanged,
                };
                let why = format!(
                    "kept stored {} {s}; the file has {} (use --on-conflict replace to overwrite)",
                    date.label, date.date
                );
                self.entry(file, at, "date", name, outcome, vec![why]);
                return Ok(());
            }
        };
        if outcome != Outcome::Unchanged {
            let tx = self.writer.tx();
            contact_dates::set(tx, contact_id, &date)?;
            if !self.matcher.was_added(contact_id) {
                contacts::touch(tx, contact_id, self.now)?;
            }
            if let Some(map) = self.yearly_dates.as_mut() {
                map.insert(key, date.date);
            }
        }
        self.entry(file, at, "date", name, outcome, notes);
        Ok(())
    }
}
