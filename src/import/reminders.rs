//! An incoming follow-up: checked (text, due and snooze times, recurrence and its anchor,
//! completions, and the contact, organization and interactions it refers to, stored or
//! earlier in the input),
//! then new, unchanged, or, when it differs from the stored one with its UID, replaced only
//! under `--on-conflict replace`.
use super::importer::Importer;
use super::{OnConflict, Outcome};
use crate::error::Result;
use crate::formats::Location;
use crate::formats::json::ReminderRecord;
use crate::model::{Due, fold, new_uid};
use crate::store::bulk::{CompletionRow, ReminderRow, UidTable};
use crate::store::snapshot;

/// The stored records a follow-up refers to, once checked.
struct References {
    contact_id: Option<i64>,
    organization_id: Option<i64>,
    interaction_id: Option<i64>,
}

/// What becomes of a follow-up whose UID is stored.
enum Stored {
    /// Nothing stored under its UID: it is new.
    No,
    /// The same as stored, or kept as stored: its outcome is decided.
    Decided,
    /// Stored as this row, which it replaces.
    Replaced(Option<i64>),
}

impl Importer<'_> {
    pub(super) fn reminder(
        &mut self,
        file: &str,
        at: Location,
        record: ReminderRecord,
    ) -> Result<()> {
        let name = record.text.clone();
        let mut problems = reminder_problems(&record);
        let references = self.reminder_references(&record, &mut problems)?;
        let completions = self.completions(&record, &mut problems)?;
        if !problems.is_empty() {
            self.entry(file, at, "follow-up", name, Outcome::Invalid, problems);
            return Ok(());
        }
        let uid = record.uid.clone().unwrap_or_else(new_uid);
        if !self.seen_uids.insert(format!("r:{uid}")) {
            let why = format!("uid \"{uid}\" appears twice in the input");
            self.entry(file, at, "follow-up", name, Outcome::Invalid, vec![why]);
            return Ok(());
        }
        if self.reminders.is_none() {
            self.reminders = Some(snapshot::reminders_by_uid(self.writer.conn())?);
        }
        let normalized = ReminderRecord {
            uid: Some(uid.clone()),
            text: record.text.trim().to_string(),
            contact: references
                .contact_id
                .and_then(|id| self.matcher.get(id))
                .map(|k| k.uid.clone()),
            created_at: None,
            updated_at: None,
            ..record.clone()
        };
        let (id, replaced) = match self.stored_reminder(file, at, &record, &normalized)? {
            Stored::Decided => return Ok(()),
            Stored::No => (None, false),
            Stored::Replaced(id) => (id, true),
        };
        let row = ReminderRow {
            uid: &uid,
            contact_id: references.contact_id,
            organization_id: references.organization_id,
            text: record.text.trim(),
            due: &record.due,
            recurrence: record.recurrence.as_deref(),
            recur_from: record.recur_from.as_deref(),
            recur_anchor: record.recur_anchor.as_deref(),
            snoozed_until: record.snoozed_until.as_deref(),
            done_at: record.done_at,
            interaction_id: references.interaction_id,
            completions: &completions,
            created_at: record.created_at.unwrap_or(self.now),
            updated_at: if replaced {
                self.now
            } else {
                record.updated_at.unwrap_or(self.now)
            },
        };
        self.writer.put_reminder(id, &row)?;
        if let Some(map) = self.reminders.as_mut() {
            map.insert(uid, normalized);
        }
        let outcome = if replaced {
            Outcome::Replaced
        } else {
            Outcome::New
        };
        self.entry(file, at, "follow-up", name, outcome, vec![]);
        Ok(())
    }

    /// The contact, organization and interaction `record` refers to; a reference to none
    /// stored or earlier in the input is a problem.
    fn reminder_references(
        &self,
        record: &ReminderRecord,
        problems: &mut Vec<String>,
    ) -> Result<References> {
        let missing = |what: &str, key: &str| {
            format!("refers to {what} \"{key}\", which is neither stored nor earlier in the input")
        };
        let contact_id = record.contact.as_deref().and_then(|uid| {
            let id = self.matcher.by_uid(uid);
            if id.is_none() {
                problems.push(missing("contact uid", uid));
            }
            id
        });
        let organization_id = record.organization.as_deref().and_then(|org| {
            let id = self.writer.org_by_name(org);
            if id.is_none() {
                problems.push(missing("organization", org));
            }
            id
        });
        if record.contact.is_none() && record.organization.is_none() {
            problems.push("is about no contact and no organization".into());
        }
        let interaction_id = match &record.interaction {
            None => None,
            Some(uid) => {
                let id = self.writer.id_by_uid(UidTable::Interactions, uid)?;
                if id.is_none() {
                    problems.push(missing("interaction uid", uid));
                }
                id
            }
        };
        Ok(References {
            contact_id,
            organization_id,
            interaction_id,
        })
    }

    /// Each completion as written: its due date, when, and the stored id of the interaction
    /// logged with it; a bad date or a reference to no interaction is a problem.
    fn completions(
        &self,
        record: &ReminderRecord,
        problems: &mut Vec<String>,
    ) -> Result<Vec<CompletionRow>> {
        let mut out = Vec::with_capacity(record.completions.len());
        for c in &record.completions {
            if Due::from_db(&c.due).is_none() {
                problems.push(format!("invalid completion due \"{}\"", c.due));
            }
            let interaction_id = match &c.interaction {
                None => None,
                Some(uid) => {
                    let id = self.writer.id_by_uid(UidTable::Interactions, uid)?;
                    if id.is_none() {
                        problems.push(format!(
                            "a completion refers to interaction uid \"{uid}\", which is neither stored nor earlier in the input"
                        ));
                    }
                    id
                }
            };
            out.push((c.due.clone(), c.done_at, interaction_id));
        }
        Ok(out)
    }

    /// Compare `normalized` with the follow-up stored under its UID, and report it when the
    /// comparison decides its outcome (unchanged, or skipped).
    fn stored_reminder(
        &mut self,
        file: &str,
        at: Location,
        record: &ReminderRecord,
        normalized: &ReminderRecord,
    ) -> Result<Stored> {
        let Some(uid) = normalized.uid.as_deref() else {
            return Ok(Stored::No);
        };
        let Some(stored) = self.reminders.as_ref().and_then(|m| m.get(uid)) else {
            return Ok(Stored::No);
        };
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
        let name = record.text.clone();
        if stored == *normalized {
            self.entry(file, at, "follow-up", name, Outcome::Unchanged, vec![]);
            return Ok(Stored::Decided);
        }
        if self.options.on_conflict != OnConflict::Replace {
            self.entry(file, at, "follow-up", name, Outcome::Skipped, vec!["differs from the stored follow-up with this uid; kept as stored (use --on-conflict replace to overwrite)".into()]);
            return Ok(Stored::Decided);
        }
        Ok(Stored::Replaced(
            self.writer.id_by_uid(UidTable::Reminders, uid)?,
        ))
    }
}

/// What is wrong with a follow-up's own values.
fn reminder_problems(record: &ReminderRecord) -> Vec<String> {
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
    if let Some(from) = &record.recur_from
        && from != "due"
        && from != "done"
    {
        problems.push(format!(
            "invalid recur_from \"{from}\": expected due or done"
        ));
    }
    if let Some(a) = &record.recur_anchor
        && Due::from_db(a).is_none()
    {
        problems.push(format!(
            "invalid recur_anchor \"{a}\": expected YYYY-MM-DD or an RFC 3339 time"
        ));
    }
    if let Some(r) = &record.recurrence
        && crate::model::Period::parse(r).is_err()
    {
        problems.push(format!(
            "invalid recurrence \"{r}\": expected a period such as 2w, 3m, 1y"
        ));
    }
    problems
}
