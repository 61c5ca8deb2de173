//! An incoming organization, matched to a stored one by UID, then by its folded name: new,
//! or its domain, notes and tags merged, replaced or kept as `--on-conflict` says.

use super::importer::Importer;
use super::merge::{fill, merge_notes};
use super::{OnConflict, Outcome};
use crate::error::Result;
use crate::formats::Location;
use crate::formats::json::OrganizationRecord;
use crate::model::{new_uid, normalize_tag};
use crate::store::bulk::{Stamps, UidTable};
use crate::store::organizations::OrgDetails;
use crate::store::snapshot;

impl Importer<'_> {
    pub(super) fn organization(
        &mut self,
        file: &str,
        at: Location,
        record: OrganizationRecord,
    ) -> Result<()> {
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
        match existing {
            None => self.new_organization(file, at, record, tags, None),
            // Made by a contact earlier in this input: the record is its first description.
            Some(id) if self.writer.is_implied_org(id) => {
                self.new_organization(file, at, record, tags, Some(id))
            }
            Some(id) => self.matched_organization(file, at, id, record, tags),
        }
    }

    /// A new organization: written, or, when a contact earlier in this input made it
    /// (`implied`), given the record's UID, details, tags and times as if the record had
    /// come first.
    fn new_organization(
        &mut self,
        file: &str,
        at: Location,
        record: OrganizationRecord,
        tags: Vec<String>,
        implied: Option<i64>,
    ) -> Result<()> {
        let name = record.name.clone();
        let stamps = Stamps {
            created_at: record.created_at.unwrap_or(self.now),
            updated_at: record.updated_at.unwrap_or(self.now),
            archived_at: record.archived_at,
        };
        let details = OrgDetails {
            domain: record.domain.as_deref(),
            notes: record.notes.as_deref(),
            cadence: record.cadence.as_deref(),
        };
        let written = match implied {
            Some(id) => self
                .writer
                .describe_implied_org(id, record.uid.as_deref(), details, &tags, stamps)
                .map(|()| id),
            None => {
                let uid = record.uid.clone().unwrap_or_else(new_uid);
                (self.writer).insert_org(&uid, &record.name, details, &tags, stamps)
            }
        };
        match written {
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
        Ok(())
    }

    /// Stored organization `id`, which `record` (its tags normalised in `tags`) matched.
    fn matched_organization(
        &mut self,
        file: &str,
        at: Location,
        id: i64,
        record: OrganizationRecord,
        tags: Vec<String>,
    ) -> Result<()> {
        let name = record.name.clone();
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
                tags.clone(),
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
        // The cadence goes as the domain does: replaced, filled in when missing, or kept.
        let cadence = match self.options.on_conflict {
            OnConflict::Skip => stored.cadence.clone(),
            OnConflict::Replace => record.cadence.clone(),
            OnConflict::Merge => fill(
                &mut notes,
                "cadence",
                stored.cadence.clone(),
                record.cadence.clone(),
            ),
        };
        if domain == stored.domain
            && org_notes == stored.notes
            && new_tags == stored.tags
            && cadence == stored.cadence
        {
            self.entry(file, at, "organization", name, Outcome::Unchanged, notes);
            return Ok(());
        }
        self.writer.update_org(
            id,
            OrgDetails {
                domain: domain.as_deref(),
                notes: org_notes.as_deref(),
                cadence: cadence.as_deref(),
            },
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
                    cadence,
                    ..stored
                },
            );
        }
        self.entry(file, at, "organization", name, outcome, notes);
        Ok(())
    }
}
