//! An incoming interaction: checked (channel, direction, summary, participants and
//! organization that are stored or earlier in the input), then new, unchanged, or, when it differs from the stored
//! one with its UID, replaced only under `--on-conflict replace`.

use super::importer::Importer;
use super::{OnConflict, Outcome};
use crate::error::Result;
use crate::formats::Location;
use crate::formats::json::InteractionRecord;
use crate::model::new_uid;
use crate::store::bulk::{InteractionRow, UidTable};
use crate::store::snapshot;

/// What an interaction record refers to and says, once checked.
struct Checked {
    channel: &'static str,
    direction: Option<&'static str>,
    participants: Vec<i64>,
    /// The participants' stored UIDs, sorted, as the stored record has them.
    participant_uids: Vec<String>,
    organization_id: Option<i64>,
}

impl Importer<'_> {
    pub(super) fn interaction(
        &mut self,
        file: &str,
        at: Location,
        record: InteractionRecord,
    ) -> Result<()> {
        let name = record.summary.clone();
        let checked = match self.check_interaction(&record) {
            Ok(checked) => checked,
            Err(problems) => {
                self.entry(file, at, "interaction", name, Outcome::Invalid, problems);
                return Ok(());
            }
        };
        let uid = record.uid.clone().unwrap_or_else(new_uid);
        if !self.seen_uids.insert(format!("i:{uid}")) {
            let why = format!("uid \"{uid}\" appears twice in the input");
            self.entry(file, at, "interaction", name, Outcome::Invalid, vec![why]);
            return Ok(());
        }
        if self.interactions.is_none() {
            self.interactions = Some(snapshot::interactions_by_uid(self.writer.conn())?);
        }
        let normalized = InteractionRecord {
            uid: Some(uid.clone()),
            channel: checked.channel.to_string(),
            direction: checked.direction.map(str::to_string),
            participants: checked.participant_uids,
            created_at: None,
            updated_at: None,
            body: record.body.clone().filter(|b| !b.trim().is_empty()),
            summary: record.summary.trim().to_string(),
            ..record.clone()
        };
        let existing = self
            .interactions
            .as_ref()
            .and_then(|m| m.get(&uid))
            .cloned();
        let id = match &existing {
            None => None,
            Some(stored) => {
                let same = InteractionRecord {
                    created_at: None,
                    updated_at: None,
                    ..stored.clone()
                } == normalized;
                if same {
                    self.entry(file, at, "interaction", name, Outcome::Unchanged, vec![]);
                    return Ok(());
                }
                if self.options.on_conflict != OnConflict::Replace {
                    self.entry(file, at, "interaction", name, Outcome::Skipped, vec!["differs from the stored interaction with this uid; kept as stored (use --on-conflict replace to overwrite)".into()]);
                    return Ok(());
                }
                self.writer.id_by_uid(UidTable::Interactions, &uid)?
            }
        };
        let row = InteractionRow {
            uid: &uid,
            occurred_at: record.occurred_at,
            channel: checked.channel,
            direction: checked.direction,
            summary: record.summary.trim(),
            body: normalized.body.as_deref(),
            participants: &checked.participants,
            organization_id: checked.organization_id,
            created_at: record.created_at.unwrap_or(self.now),
            updated_at: if existing.is_some() {
                self.now
            } else {
                record.updated_at.unwrap_or(self.now)
            },
        };
        self.writer.put_interaction(id, &row)?;
        if let Some(map) = self.interactions.as_mut() {
            map.insert(uid, normalized);
        }
        let outcome = if existing.is_some() {
            Outcome::Replaced
        } else {
            Outcome::New
        };
        self.entry(file, at, "interaction", name, outcome, vec![]);
        Ok(())
    }

    /// The record's channel, direction and participants, or every problem with them.
    fn check_interaction(&self, record: &InteractionRecord) -> Result<Checked, Vec<String>> {
        let mut problems = Vec::new();
        let channel = match record.channel.parse::<crate::model::Channel>() {
            Ok(c) => c.as_str(),
            Err(e) => {
                problems.push(e.to_string());
                "other"
            }
        };
        let direction = match record.direction.as_deref() {
            None => None,
            Some(d) => match crate::model::Direction::parse(d) {
                Some(d) => Some(d.as_str()),
                None => {
                    problems.push(format!("invalid direction \"{d}\": expected in or out"));
                    None
                }
            },
        };
        if record.summary.trim().is_empty() {
            problems.push("summary is empty".into());
        }
        let mut participants = Vec::new();
        let mut participant_uids = Vec::new();
        for uid in &record.participants {
            match self.matcher.by_uid(uid) {
                Some(id) => {
                    participants.push(id);
                    if let Some(k) = self.matcher.get(id) {
                        participant_uids.push(k.uid.clone());
                    }
                }
                None => problems.push(format!(
                    "refers to contact uid \"{uid}\", which is neither stored nor earlier in the input"
                )),
            }
        }
        let organization_id = match &record.organization {
            None => None,
            Some(org) => {
                let id = self.writer.org_by_name(org);
                if id.is_none() {
                    problems.push(format!("refers to organization \"{org}\", which is neither stored nor earlier in the input"));
                }
                id
            }
        };
        if record.participants.is_empty() && record.organization.is_none() {
            problems.push("has no participants and no organization".into());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        participant_uids.sort();
        participant_uids.dedup();
        Ok(Checked {
            channel,
            direction,
            participants,
            participant_uids,
            organization_id,
        })
    }
}
