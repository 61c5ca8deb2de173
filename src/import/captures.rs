//! `kith capture`'s bookkeeping coming back from a JSON backup: one of my addresses (new or
//! already there), and a capture run (new, or already there by its name), whose every
//! reference (interactions and contacts by UID, earlier runs by name) must be stored or
//! earlier in the input.

use super::Outcome;
use super::importer::Importer;
use crate::capture::addresses::match_key;
use crate::error::Result;
use crate::formats::Location;
use crate::formats::json::{CaptureBatchRecord, MeAddressRecord};
use crate::store::{capture, capture_backup};

impl Importer<'_> {
    pub(super) fn me_address(
        &mut self,
        file: &str,
        at: Location,
        record: MeAddressRecord,
    ) -> Result<()> {
        let name = record.address.trim().to_string();
        let Some(key) = match_key(&name) else {
            let why = "is not an email address (name@domain)".to_string();
            self.entry(
                file,
                at,
                "address of yours",
                name,
                Outcome::Invalid,
                vec![why],
            );
            return Ok(());
        };
        let added_at = record.added_at.unwrap_or(self.now);
        let added = capture::me_add(self.writer.tx(), &name, &key, added_at)?;
        let outcome = if added {
            Outcome::New
        } else {
            Outcome::Unchanged
        };
        self.entry(file, at, "address of yours", name, outcome, vec![]);
        Ok(())
    }

    pub(super) fn capture_batch(
        &mut self,
        file: &str,
        at: Location,
        record: &CaptureBatchRecord,
    ) -> Result<()> {
        let name = record.name.clone();
        let conn = self.writer.conn();
        if capture_backup::batch_stored(conn, &name)? {
            self.entry(file, at, "capture batch", name, Outcome::Unchanged, vec![]);
            return Ok(());
        }
        let problems = capture_backup::dangling(conn, record)?;
        if !problems.is_empty() {
            self.entry(file, at, "capture batch", name, Outcome::Invalid, problems);
            return Ok(());
        }
        capture_backup::restore_batch(self.writer.tx(), record)?;
        self.entry(file, at, "capture batch", name, Outcome::New, vec![]);
        Ok(())
    }
}
